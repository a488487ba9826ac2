//! `cargo xtask test`: every check in order, continuing past failures where the later
//! steps still make sense, and ending with the line `N passed, N failed`.

use std::env;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::time::Duration;

use crate::Result;
use crate::build::{Build, leptos_build};
use crate::install::{self, Options};
use crate::leptos::{self, BIN_TARGET, SERVER_DEMO};
use crate::proc::{command, display, root, status};
use crate::server::{Server, free_port};
use crate::summary::{PlaywrightReport, Summary, Tally, parse_test_result};

const POSTGRES_VAR: &str = "FLOWHOST_TEST_POSTGRES_URL";
/// The test code picks PostgreSQL when this is set, SQLite otherwise.
const TEST_DB_VAR: &str = "FLOWHOST_TEST_DATABASE_URL";

pub fn test() -> ExitCode {
    let mut summary = Summary::default();
    if summary.step("install", install::install(Options { chromium: true })) {
        run_all(&mut summary);
    }
    summary.print();
    if summary.failed() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The API checks alone, on the demo build `test` or `run` left in target/debug.
pub fn api_checks_alone() -> ExitCode {
    let mut summary = Summary::default();
    if summary.step("install", install::install(Options { chromium: false })) {
        crate::api_checks::api_checks(&mut summary);
    }
    summary.print();
    if summary.failed() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn run_all(s: &mut Summary) {
    s.step(
        "cargo fmt --all --check",
        check(command("cargo").args(["fmt", "--all", "--check"])),
    );

    let env: Vec<String> = leptos::debug_env()
        .iter()
        .map(|(k, v)| format!("{k}={v:?}"))
        .collect();
    println!(
        "\nxtask: cargo clippy/test/build below run with cargo-leptos's env: {}",
        env.join(" ")
    );

    // Never `--workspace` with frontend on the host: feature unification would turn on
    // both `ssr` and `hydrate` in `app`. The wasm half is checked for its own target.
    // With the demo feature, as the build and the tests below have it.
    s.step(
        "clippy (workspace without frontend: ssr, demo)",
        check(
            cargo()
                .args([
                    "clippy",
                    "--workspace",
                    "--exclude",
                    "frontend",
                    "--all-targets",
                    "--features",
                    SERVER_DEMO,
                ])
                .args(DENY),
        ),
    );
    // The production server has no demo mode: its code paths are checked on their own.
    s.step(
        "clippy (server without demo)",
        check(
            cargo()
                .args(["clippy", "--package", "server", "--all-targets"])
                .args(DENY),
        ),
    );
    let front = leptos::front_target_dir();
    s.step(
        "clippy (frontend for wasm32: hydrate)",
        check(
            cargo()
                .args([
                    "clippy",
                    "--package",
                    "frontend",
                    "--lib",
                    "--target",
                    "wasm32-unknown-unknown",
                ])
                .arg("--target-dir")
                .arg(&front)
                .arg("--no-default-features")
                .args(DENY),
        ),
    );
    // Release builds (the benchmarks' and production's) type every view; `erase_components`
    // is for debug builds only. A view that borrows past its function compiles erased but not
    // typed, so the server is checked once as a release build compiles it, in a target dir of
    // its own (other RUSTFLAGS would rebuild the debug artifacts).
    s.step(
        "check (server with typed views, as release builds compile it)",
        check(
            command("cargo")
                .args(["check", "--package", "server", "--features", "demo"])
                .arg("--target-dir")
                .arg(root().join("target/typed"))
                .env_remove("RUSTFLAGS"),
        ),
    );

    let built = s.step("cargo leptos build --bin-features demo", {
        header("cargo leptos build --bin-features demo");
        leptos_build(Build {
            release: false,
            demo: true,
        })
    });

    rust_tests(
        s,
        "Rust tests (SQLite)",
        &[
            "--workspace",
            "--exclude",
            "frontend",
            "--features",
            SERVER_DEMO,
        ],
        None,
    );
    // The production server's own unit tests (it refuses to start without AZURE_CLIENT_ID);
    // the integration tests sign in through the sandbox and need the demo build.
    rust_tests(
        s,
        "Rust tests (server without demo)",
        &["--package", "server", "--lib"],
        None,
    );
    match env::var(POSTGRES_VAR) {
        Ok(url) if !url.is_empty() => {
            rust_tests(
                s,
                "Rust tests (PostgreSQL)",
                &[
                    "--package",
                    "domain",
                    "--package",
                    "server",
                    "--features",
                    SERVER_DEMO,
                ],
                Some(&url),
            );
            println!("xtask: PostgreSQL tests ran ({POSTGRES_VAR} is set)");
        }
        _ => {
            println!("xtask: PostgreSQL tests were not run: {POSTGRES_VAR} is unset");
            s.not_run(
                "Rust tests (PostgreSQL)",
                &format!("{POSTGRES_VAR} is unset"),
            );
        }
    }

    if !built {
        s.skip("API checks", "cargo leptos build failed");
        s.skip("Playwright", "cargo leptos build failed");
        s.not_run("Playwright tests", "cargo leptos build failed");
        return;
    }
    crate::api_checks::api_checks(s);
    playwright(s);
}

const DENY: [&str; 3] = ["--", "-D", "warnings"];

/// cargo with cargo-leptos's compile-time env, so that it reuses that build cache.
fn cargo() -> Command {
    let mut cmd = command("cargo");
    cmd.envs(leptos::debug_env());
    cmd
}

pub(crate) fn header(what: &str) {
    println!("\n==> {what}");
}

/// Runs with inherited stdio; an error unless it exits 0.
pub(crate) fn check(cmd: &mut Command) -> Result {
    header(&display(cmd));
    let status = status(cmd)?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("exited with {status}").into())
    }
}

/// `cargo test … --no-fail-fast` (every binary runs even after a failure), counting the
/// `test result:` lines while passing the output through.
fn rust_tests(s: &mut Summary, label: &'static str, args: &[&str], postgres_url: Option<&str>) {
    let mut cmd = cargo();
    cmd.arg("test").args(args).arg("--no-fail-fast");
    match postgres_url {
        Some(url) => cmd.env(TEST_DB_VAR, url),
        None => cmd.env_remove(TEST_DB_VAR),
    };
    header(&display(&cmd));
    let result = run_counting(&mut cmd).and_then(|(tally, status)| {
        s.tests(label, tally, String::new());
        if tally.failed > 0 {
            Err(format!("{} test(s) failed", tally.failed).into())
        } else if !status.success() {
            // No failing test was reported: a compile error or a crashed test binary.
            Err(format!("cargo test exited with {status} without a failing test").into())
        } else {
            Ok(())
        }
    });
    s.step(label, result);
}

/// Runs `cmd`, echoing its stdout line by line and summing libtest's result lines.
fn run_counting(cmd: &mut Command) -> Result<(Tally, ExitStatus)> {
    let mut child = cmd.stdout(Stdio::piped()).spawn()?;
    let mut reader = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let mut stdout = std::io::stdout();
    let mut tally = Tally::default();
    let mut line = Vec::new();
    // Bytes, not `lines()`: test output need not be UTF-8.
    while reader.read_until(b'\n', &mut line)? > 0 {
        stdout.write_all(&line)?;
        if let Some(t) = parse_test_result(&String::from_utf8_lossy(&line)) {
            tally += t;
        }
        line.clear();
    }
    stdout.flush()?;
    Ok((tally, child.wait()?))
}

/// The debug server on a free port with a fresh SQLite database, then Playwright.
fn playwright(s: &mut Summary) {
    match run_playwright() {
        Ok((report, status)) => {
            let mut note = String::new();
            if report.flaky > 0 {
                note += &format!(" ({} flaky, counted as passed)", report.flaky);
            }
            if report.skipped > 0 {
                note += &format!(" ({} skipped)", report.skipped);
            }
            s.tests("Playwright tests", report.tally(), note);
            let result: Result = if report.unexpected > 0 {
                Err(format!("{} test(s) failed", report.unexpected).into())
            } else if !status.success() {
                let errors = report.errors.join("; ");
                Err(format!("playwright exited with {status}: {errors}").into())
            } else {
                Ok(())
            };
            s.step("Playwright", result);
        }
        Err(err) => {
            s.step("Playwright", Err(err));
            s.not_run("Playwright tests", "see the failed Playwright step");
        }
    }
}

fn run_playwright() -> Result<(PlaywrightReport, ExitStatus)> {
    // target/e2e is recreated each run and left behind for post-mortems: the database,
    // the server's log and Playwright's JSON report.
    let dir = root().join("target/e2e");
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    fs::create_dir_all(&dir)?;
    let database_url = format!("sqlite://{}?mode=rwc", dir.join("e2e.db").display());
    let port = free_port()?;
    let base_url = format!("http://localhost:{port}");
    // Demo mode: the server starts the sandbox identity provider and Power Automate, each on
    // its own origin.
    let sandbox_addr = format!("127.0.0.1:{}", free_port()?);
    let flow_addr = format!("127.0.0.1:{}", free_port()?);
    let bin = root().join("target/debug").join(BIN_TARGET);

    let mut cmd = command(&bin);
    cmd.env("DATABASE_URL", &database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("PUBLIC_URL", &base_url)
        .env("SANDBOX_ADDR", &sandbox_addr)
        .env("SANDBOX_FLOW_ADDR", &flow_addr)
        .env("RUST_LOG", "warn");
    let log = dir.join("server.log");
    header(&format!(
        "target/debug/{BIN_TARGET} on {base_url} (log: {})",
        log.display()
    ));
    // Killed when `server` is dropped, whichever way this function returns.
    let mut server = Server::start(cmd, port, &log)?;
    if let Err(err) = server.wait_ready(Duration::from_secs(60)) {
        print_log_tail(&server);
        return Err(err);
    }

    let report_file = dir.join("report.json");
    let mut pw = command("npx");
    // `--no`: never fetch playwright from the registry if end2end/node_modules is broken.
    pw.args(["--no", "playwright", "test", "--reporter=list,json"])
        .current_dir(root().join("end2end"))
        .env("BASE_URL", &base_url)
        .env("SANDBOX_URL", format!("http://{sandbox_addr}"))
        .env("FLOW_SANDBOX_URL", format!("http://{flow_addr}"))
        // For tests that start (and restart) servers of their own.
        .env("FLOWHOST_BIN", &bin)
        .env("E2E_DIR", &dir)
        // Playwright 1.65 resolves PLAYWRIGHT_JSON_OUTPUT_FILE against the cwd
        // (`resolveOutputFile` in playwright/lib/runner/index.js); absolute here.
        .env("PLAYWRIGHT_JSON_OUTPUT_FILE", &report_file);
    header(&format!("{} (in end2end/)", display(&pw)));
    let status = status(&mut pw)?;
    let report = PlaywrightReport::read(&report_file);
    if !status.success() || report.as_ref().map_or(true, |r| r.unexpected > 0) {
        print_log_tail(&server);
    }
    Ok((report?, status))
}

fn print_log_tail(server: &Server) {
    println!("--- last 50 lines of {} ---", server.log.display());
    println!("{}", server.log_tail(50));
    println!("--- end of server log ---");
}
