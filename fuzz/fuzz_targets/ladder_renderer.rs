#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| tcp_timeline::fuzzing::ladder_renderer(data));
