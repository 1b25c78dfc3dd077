//! Hand-made segment sequences for every rule of the tracker.
