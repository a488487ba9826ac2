//! Runs the sandbox on its own: `SANDBOX_ADDR` (default 127.0.0.1:3100),
//! `SANDBOX_FLOW_ADDR` (default 127.0.0.1:3200), `SANDBOX_REDIRECT_URIS` (comma-separated),
//! `SANDBOX_FLOW_SDK` (`2.2` or `1.1`) and `SANDBOX_FLOW_PORTAL` (`maker` or `classic`).

#[tokio::main]
async fn main() -> std::io::Result<()> {
    sandbox::run_standalone().await
}
