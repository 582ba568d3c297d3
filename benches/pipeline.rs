//! Benchmarks: load + validate + plan + render on generated profiles of 1, 10, 100 and 1,000
//! tables (each with two GSIs, TTL, alarms and a dashboard), with peak heap memory; and
//! validating every shipped profile and its rendered module.
//!
//! `cargo bench --bench pipeline` prints a table. Time is the median of the runs; peak memory
//! is the largest heap in use during one more run, measured by a counting allocator that is
//! off during the timed runs.

use std::alloc::{GlobalAlloc, Layout};

// The binary allocates with mimalloc; so does the benchmark, under the counter.
#[allow(non_upper_case_globals)]
static System: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::{Duration, Instant};

struct Counting;
// Signed: memory allocated before a counted run may be freed during it.
static CURRENT: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
/// Counting is on only for the memory run: shared counters updated by every allocation on
/// every thread would slow the timed runs down.
static COUNTING: AtomicBool = AtomicBool::new(false);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() && COUNTING.load(Ordering::Relaxed) {
            let size = layout.size() as isize;
            let now = CURRENT.fetch_add(size, Ordering::Relaxed) + size;
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        if COUNTING.load(Ordering::Relaxed) {
            CURRENT.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() && COUNTING.load(Ordering::Relaxed) {
            let grow = new_size as isize - layout.size() as isize;
            let now = CURRENT.fetch_add(grow, Ordering::Relaxed) + grow;
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn profile(tables: usize) -> String {
    let mut s = String::from(
        "name: bench\nenvironment: production\nregion: us-east-1\ncustomers: 1000\ntables:\n",
    );
    for i in 0..tables {
        s.push_str(&format!(
            "  t{i}:\n    hash_key: {{ name: tenant_id, type: S }}\n    range_key: {{ name: id, type: S }}\n    billing: provisioned\n    ttl: expires_at\n    workload: {{ reads_per_second: 0.01, writes_per_second: 0.005, item_size_kb: 2, peak_factor: 3, items_per_customer: 100 }}\n    indexes:\n      by_a: {{ hash_key: {{ name: a, type: S }}, range_key: {{ name: ts, type: N }}, read_share: 0.2 }}\n      by_b: {{ hash_key: {{ name: b, type: S }}, projection: keys_only, read_share: 0.1 }}\n"
        ));
    }
    s
}

fn pipeline(text: &str) -> usize {
    // what `capform render` does: load, plan, validate that plan, render
    let loaded = capform::profile::load_str("bench.yaml", text).expect("valid profile");
    let (plan, findings) = capform::tier::module(&loaded, 1000, Default::default());
    assert!(
        findings
            .iter()
            .all(|d| d.severity != capform::diag::Severity::Error)
    );
    let files = capform::render::render_owned(plan).expect("renders");
    files.values().map(String::len).sum()
}

fn measure(runs: usize, mut f: impl FnMut() -> usize) -> (Duration, usize, usize) {
    let mut times = Vec::new();
    let mut out = 0;
    for _ in 0..runs {
        let t = Instant::now();
        out = std::hint::black_box(f());
        times.push(t.elapsed());
    }
    // then one run with the allocator counting, for the peak
    CURRENT.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::SeqCst);
    std::hint::black_box(f());
    COUNTING.store(false, Ordering::SeqCst);
    let peak = PEAK.load(Ordering::Relaxed).max(0) as usize;
    times.sort();
    (times[times.len() / 2], peak, out)
}

fn main() {
    capform::alloc::configure();
    // `cargo test --benches` runs this binary with --bench absent; keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    println!("| Tables | Time (median) | Per table | Peak heap | Output |");
    println!("|---:|---:|---:|---:|---:|");
    for tables in [1usize, 10, 100, 1000] {
        if quick && tables > 10 {
            continue;
        }
        let text = profile(tables);
        let runs = match tables {
            1 | 10 => 20,
            100 => 5,
            _ => 7,
        };
        let (t, peak, bytes) = measure(if quick { 1 } else { runs }, || pipeline(&text));
        println!(
            "| {tables} | {:.1} ms | {:.2} ms | {:.1} MB | {:.1} MB |",
            t.as_secs_f64() * 1e3,
            t.as_secs_f64() * 1e3 / tables as f64,
            peak as f64 / 1_048_576.0,
            bytes as f64 / 1_048_576.0
        );
    }

    // `capform simulate`'s built-in day on 1,000 tables (two GSIs each: 6,000 dimensions,
    // 86,400 seconds each)
    let text = profile(if quick { 10 } else { 1000 });
    let loaded = capform::profile::load_str("bench.yaml", &text).expect("valid profile");
    let pricing = capform::capacity::pricing::Pricing::default_list();
    let day: Vec<_> = capform::simulate::specs(&loaded.profile, 1000)
        .into_iter()
        .filter(|s| s.name == capform::simulate::DAY)
        .collect();
    let module =
        capform::plan::resolve_tier(&loaded.profile, &loaded.file, 1000, &Default::default());
    let (t, peak, subjects) = measure(if quick { 1 } else { 5 }, || {
        capform::simulate::run_on(&loaded.profile, &module, &day[0], pricing)
            .subjects
            .len()
    });
    println!(
        "
simulate the day on {} tables ({subjects} tables and indexes): {:.1} ms median, {:.1} MB peak heap",
        loaded.profile.tables.len(),
        t.as_secs_f64() * 1e3,
        peak as f64 / 1_048_576.0
    );

    // validate every shipped profile and the module it renders (drift included)
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut profiles: Vec<_> = std::fs::read_dir(root.join("profiles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    profiles.sort();
    let tmp = tempfile::tempdir().unwrap();
    for p in &profiles {
        let loaded = capform::profile::load_file(p).unwrap();
        let plan = capform::plan::resolve(
            &loaded.profile,
            &loaded.file,
            loaded.profile.customers,
            Default::default(),
        );
        capform::render::write::write_module(
            &tmp.path().join(p.file_stem().unwrap()),
            &capform::render::render(&plan).unwrap(),
            false,
        )
        .unwrap();
    }
    let (t, peak, findings) = measure(if quick { 1 } else { 10 }, || {
        let mut n = capform::validate::profiles(&profiles, None)
            .diagnostics
            .len();
        for p in &profiles {
            n += capform::validate::terraform(
                &tmp.path().join(p.file_stem().unwrap()),
                Some(p),
                None,
            )
            .diagnostics
            .len();
        }
        n
    });
    println!(
        "\nvalidate {} shipped profiles and their modules (with drift): {:.1} ms median, {:.1} MB peak heap, {findings} findings",
        profiles.len(),
        t.as_secs_f64() * 1e3,
        peak as f64 / 1_048_576.0
    );
}
