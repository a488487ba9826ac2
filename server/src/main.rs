use server::config::Config;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code for configuration that cannot work; nothing was served.
const BAD_CONFIGURATION: u8 = 2;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("sandbox") => return sandbox(),
        Some("catalog") => return server::catalog_command::run(&args[1..]),
        _ => {}
    }
    let config = match Config::from_environment() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("flowhost: {e}");
            return ExitCode::from(BAD_CONFIGURATION);
        }
    };
    server::telemetry::init(&config.log_filter);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run(config))
}

/// `flowhost sandbox`: only the sandbox, for tests and local setups.
#[cfg(feature = "demo")]
fn sandbox() -> ExitCode {
    server::telemetry::init(&std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into()));
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    match runtime.block_on(sandbox::run_standalone()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("flowhost sandbox: {e}");
            ExitCode::from(BAD_CONFIGURATION)
        }
    }
}

/// A build without demo mode has no sandbox.
#[cfg(not(feature = "demo"))]
fn sandbox() -> ExitCode {
    eprintln!("flowhost: `sandbox` exists only in a demo build (cargo xtask build --demo)");
    ExitCode::from(BAD_CONFIGURATION)
}

async fn run(config: Config) -> ExitCode {
    let started = async {
        let app = server::build(&config).await?.router;
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|source| server::StartError::Listen {
                addr: config.listen,
                source,
            })?;
        Ok::<_, server::StartError>((app, listener))
    };
    let (app, listener) = match started.await {
        Ok(ready) => ready,
        Err(e) => {
            eprintln!("flowhost: {e}");
            return ExitCode::from(BAD_CONFIGURATION);
        }
    };
    tracing::info!(address = %config.listen, public_url = %config.public_url, demo = config.is_demo(), "Flowhost is listening");
    match server::serve_with(listener, app, &config.limits).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("flowhost: {e}");
            ExitCode::FAILURE
        }
    }
}
