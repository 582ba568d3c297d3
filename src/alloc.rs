//! Allocator settings for the `capform` binary and the benchmarks, which allocate with
//! mimalloc.

/// mimalloc's `mi_option_purge_delay` (`mimalloc.h`: the sixteenth option, counting from 0;
/// not exported by libmimalloc-sys). A test checks it against the option's documented default.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Give freed memory back to the system after 10 ms instead of mimalloc's default second.
///
/// Rendering frees the plan's dashboards and alarms while it writes their HCL; with the
/// default delay, memory freed during a render of a second or less is never returned while it
/// runs, and the peak resident size of a 1,000-table render is a quarter higher
/// (README § Speed). Call before the work starts.
pub fn return_memory_promptly() {
    // SAFETY: sets a global option (an atomic store in mimalloc); any value is valid.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 10) };
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_option_number_is_the_purge_delay() {
        // SAFETY: reads a global option.
        let default = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        // 1,000 ms is mimalloc 3's default purge delay (options.c), and no neighbouring option
        // defaults to it; a renumbered enum would fail here.
        assert_eq!(default, 1000);
        let neighbours = [14, 16].map(|o| unsafe { libmimalloc_sys::mi_option_get(o) });
        assert!(!neighbours.contains(&1000), "{neighbours:?}");
    }
}
