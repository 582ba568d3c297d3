//! Allocator settings for the `capform` binary and the benchmarks, which allocate with
//! mimalloc.

/// mimalloc's `mi_option_purge_delay` (`mimalloc.h`: the sixteenth option, counting from 0;
/// not exported by libmimalloc-sys). A test checks it against the option's documented default.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Set up memory for a short run: freed memory goes back to the system after 10 ms instead of
/// mimalloc's default second, and no transparent huge pages (see `no_huge_pages`).
///
/// Rendering frees the plan's dashboards and alarms while it writes their HCL; with the
/// default delay, memory freed during a render of a second or less is never returned while it
/// runs, and the peak resident size of a 1,000-table render is a quarter higher
/// (README § Speed). Call before the work starts.
pub fn configure() {
    // SAFETY: sets a global option (an atomic store in mimalloc); any value is valid.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 10) };
    no_huge_pages();
}

/// Turn transparent huge pages off for this process (`prctl(PR_SET_THP_DISABLE)`).
///
/// Where the kernel hands out 2 MB pages, the first touch of each fresh mimalloc page zeroes
/// 2 MB: in a profile of the phase3b render that zeroing was most of the CPU time, and the
/// 1,000-table render peaked at 174 MB resident instead of 150 MB (README § Speed). A failed
/// call (an old kernel) changes nothing else.
fn no_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments and touches no memory of ours.
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
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
