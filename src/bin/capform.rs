//! The `capform` binary: a thin shell over [`capform::cli::run`].

fn main() {
    let code = capform::cli::run(
        std::env::args_os(),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    std::process::exit(code);
}
