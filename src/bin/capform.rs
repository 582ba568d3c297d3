//! The `capform` binary: a thin shell over [`capform::cli::run`].

// glibc's allocator spends a quarter of a large render consolidating and unlinking chunks;
// mimalloc is made for many short-lived allocations (see README § Speed).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    capform::alloc::configure();
    let code = capform::cli::run(
        std::env::args_os(),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    std::process::exit(code);
}
