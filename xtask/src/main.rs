//! `cargo xtask <command>`: the one entry point to set up, build, run and test Flowhost.
//!
//! Every command first runs `install`, which is idempotent and silent when nothing is
//! missing, so a fresh machine and a warm one take the same path.

mod api_checks;
mod build;
mod install;
mod leptos;
mod proc;
mod python;
mod server;
mod summary;
mod test;

use std::process::ExitCode;

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

const USAGE: &str = "\
usage: cargo xtask <command>

  install          install the toolchain pieces (idempotent; run by the others)
  build [--release] [--demo]
                   cargo leptos build -> target/{debug,release}/flowhost + target/site;
                   --demo: a demo build (the sandbox and the demo data), never for production
  run              debug demo build, then serve http://localhost:3000
  test             fmt, clippy, demo build, Rust tests (SQLite, PostgreSQL if
                   FLOWHOST_TEST_POSTGRES_URL is set), the REST API against the connector's
                   definition, Playwright; ends with `N passed, N failed`
  api-checks       only the REST API checks of `test`, on the last demo build";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["install"] => install::install(install::Options { chromium: false }),
        ["build", flags @ ..] => match build::Build::parse(flags) {
            Some(how) => build::build(how),
            None => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        },
        ["run"] => build::run(),
        // `test` reports its own outcome: it must always end with the summary line.
        ["test"] => return test::test(),
        ["api-checks"] => return test::api_checks_alone(),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: error: {err}");
            ExitCode::FAILURE
        }
    }
}
