//! With `CAPFORM_TIMING` set, each stage prints how long a step took to stderr (for profiling;
//! a leaf module every stage may call).

/// Print `timing: WHAT STEP DURATION` when `CAPFORM_TIMING` is set.
pub fn log(what: &str, step: &str, since: std::time::Instant) {
    if std::env::var_os("CAPFORM_TIMING").is_some() {
        eprintln!("timing: {what} {step} {:?}", since.elapsed());
    }
}
