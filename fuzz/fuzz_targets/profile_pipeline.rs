//! Any bytes through profile loading, validation, planning and rendering: no panic, no hang.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    capform::fuzz_pipeline(data);
});
