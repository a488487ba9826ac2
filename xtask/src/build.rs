//! `cargo xtask build` and `cargo xtask run`: cargo-leptos builds the server and the
//! wasm site together; `run` then serves the debug build.

use std::os::unix::process::CommandExt;

use crate::Result;
use crate::install::{self, Options};
use crate::leptos::BIN_TARGET;
use crate::proc::{command, root, run as run_cmd};

pub fn build(release: bool) -> Result {
    install::install(Options { chromium: false })?;
    leptos_build(release)
}

/// `cargo leptos build`: target/{debug,release}/flowhost and target/site.
pub fn leptos_build(release: bool) -> Result {
    let mut cmd = command("cargo");
    cmd.args(["leptos", "build"]);
    if release {
        cmd.arg("--release");
    }
    run_cmd(&mut cmd)
}

/// Builds, then replaces this process with the server, so Ctrl-C and exit codes behave as
/// if it had been started directly. The environment passes through unchanged: without
/// DATABASE_URL the server uses its own default.
pub fn run() -> Result {
    build(false)?;
    let server = root().join("target/debug").join(BIN_TARGET);
    let addr = std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "localhost:3000".into());
    println!("xtask: starting {} on http://{addr}", server.display());
    let err = command(&server).exec();
    Err(format!("cannot start {}: {err}", server.display()).into())
}
