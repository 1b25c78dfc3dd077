#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| tcp_timeline::fuzzing::frame_batch(data));
