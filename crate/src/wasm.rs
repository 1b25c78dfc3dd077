//! The browser API (wasm-bindgen). Placeholder until the page's API lands.
