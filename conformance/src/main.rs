//! `cargo run -p shoppable-conformance -- --base-url URL [--admin-token T] [--webhook-listen ADDR --webhook-secret S] [--origin O]`

#[tokio::main]
async fn main() {
    let code = shoppable_conformance::cli::run(std::env::args_os(), &mut std::io::stdout()).await;
    std::process::exit(code);
}
