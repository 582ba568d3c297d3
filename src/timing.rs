//! With `CAPFORM_TIMING` set, each stage prints how long a step took to stderr, with the
//! process's peak resident memory where the system says it (for profiling; a leaf module every
//! stage may call).

/// Print `timing: WHAT STEP DURATION [peak N MB]` when `CAPFORM_TIMING` is set.
pub fn log(what: &str, step: &str, since: std::time::Instant) {
    if std::env::var_os("CAPFORM_TIMING").is_some() {
        let peak = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            })
            .map(|kb| format!(" peak {} MB", kb / 1024))
            .unwrap_or_default();
        eprintln!("timing: {what} {step} {:?}{peak}", since.elapsed());
    }
}
