//! Runs the sandbox on its own: `SANDBOX_ADDR` (default 127.0.0.1:3100) and
//! `SANDBOX_REDIRECT_URIS` (comma-separated).

#[tokio::main]
async fn main() -> std::io::Result<()> {
    sandbox::run_standalone().await
}
