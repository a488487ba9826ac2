//! `cargo xtask install`: each step checks first and acts only when something is
//! missing, so a warm machine pays a few version probes and prints nothing.

use std::fs;
use std::path::Path;

use crate::Result;
use crate::proc::{command, probe, root, run};

const CARGO_LEPTOS_VERSION: &str = "0.3.10";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
const CHROMIUM: &str = "/usr/bin/chromium";

pub struct Options {
    /// Debian's chromium, for Playwright (only `test` needs it).
    pub chromium: bool,
}

pub fn install(opts: Options) -> Result {
    wasm_target()?;
    cargo_leptos()?;
    wasm_bindgen_cli()?;
    npm_ci("tools")?;
    npm_ci("end2end")?;
    crate::python::install()?;
    if opts.chromium {
        chromium()?;
    }
    Ok(())
}

fn wasm_target() -> Result {
    let installed = probe(command("rustup").args(["target", "list", "--installed"]))
        .ok_or("`rustup target list --installed` failed: is rustup installed?")?;
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    announce(&format!("rustup target {WASM_TARGET}"));
    run(command("rustup").args(["target", "add", WASM_TARGET]))
}

/// 0.3.10 because 0.3.11 needs rustc 1.96; `no_downloads` makes a missing tool an error
/// instead of a download attempt (this machine is offline).
fn cargo_leptos() -> Result {
    let version = probe(command("cargo").args(["leptos", "--version"]));
    if version.is_some_and(|v| v.split_whitespace().any(|w| w == CARGO_LEPTOS_VERSION)) {
        return Ok(());
    }
    announce(&format!(
        "cargo-leptos {CARGO_LEPTOS_VERSION} (about 14 minutes on 2 cores)"
    ));
    run(command("cargo").args([
        "install",
        &format!("cargo-leptos@{CARGO_LEPTOS_VERSION}"),
        "--locked",
        "--features",
        "no_downloads",
    ]))
}

/// The CLI must equal the `wasm-bindgen` crate in Cargo.lock exactly; cargo-leptos does
/// not check the one it finds on PATH.
fn wasm_bindgen_cli() -> Result {
    let wanted = locked_version("wasm-bindgen")?;
    let found = probe(command("wasm-bindgen").arg("--version"));
    if found.is_some_and(|v| v.split_whitespace().nth(1) == Some(wanted.as_str())) {
        return Ok(());
    }
    announce(&format!("wasm-bindgen-cli {wanted}"));
    let install = |locked: bool| {
        let mut cmd = command("cargo");
        cmd.args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &wanted,
            "--force",
        ]);
        if locked {
            cmd.arg("--locked");
        }
        run(&mut cmd)
    };
    // With --locked, 0.2.130 pins webpki-roots 1.0.11, which the package registry here lacks
    // (its index ends at 1.0.10); a fresh resolution works.
    install(true).or_else(|err| {
        eprintln!("xtask: {err}; retrying without --locked");
        install(false)
    })
}

/// The version Cargo.lock pins for `package` (the line after `name = "<package>"`).
fn locked_version(package: &str) -> Result<String> {
    let lock = fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|err| format!("cannot read Cargo.lock ({err}); run `cargo generate-lockfile`"))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line
            && let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
        {
            return Ok(version.to_string());
        }
    }
    Err(format!("Cargo.lock has no `{package}` package").into())
}

/// `npm ci` when node_modules is missing or older than package-lock.json (npm writes
/// node_modules/.package-lock.json at the end of every install).
fn npm_ci(dir: &str) -> Result {
    let dir = root().join(dir);
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    let lock = modified(&dir.join("package-lock.json"))
        .ok_or_else(|| format!("{} is missing", dir.join("package-lock.json").display()))?;
    match modified(&dir.join("node_modules/.package-lock.json")) {
        Some(installed) if installed >= lock => return Ok(()),
        _ => {}
    }
    announce(&format!("npm ci in {}", dir.display()));
    run(command("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        // Playwright must use Debian's chromium; there is no network for its download.
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
}

/// Debian's chromium (156 here) runs Playwright 1.65; Playwright's own download is
/// unreachable offline.
fn chromium() -> Result {
    if Path::new(CHROMIUM).exists() {
        return Ok(());
    }
    announce("chromium (apt)");
    run(command("apt-get")
        .arg("update")
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(command("apt-get")
        .args(["install", "-y", "chromium"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn announce(what: &str) {
    println!("xtask install: {what}");
}
