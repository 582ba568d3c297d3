//! The fuzz target's seed corpus runs through the same pipeline in every test run, so a
//! regression that panics on a known input fails CI without a fuzzer.

mod common;

#[test]
fn every_seed_runs_through_the_pipeline_without_panicking() {
    let dir = common::root().join("fuzz/corpus/profile_pipeline");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(e.unwrap().path()).unwrap();
        capform::fuzz_pipeline(&bytes);
        // and a few mutations: truncated, and with bytes flipped
        capform::fuzz_pipeline(&bytes[..bytes.len() / 2]);
        let mut flipped = bytes.clone();
        for i in (0..flipped.len()).step_by(97) {
            flipped[i] ^= 0x20;
        }
        capform::fuzz_pipeline(&flipped);
        n += 1;
    }
    assert!(n >= 40, "{n} seeds");
}
