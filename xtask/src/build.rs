//! `cargo xtask build` and `cargo xtask run`: cargo-leptos builds the server and the
//! wasm site together; `run` then serves the debug build.
//!
//! Demo mode is a build of its own: the server's `demo` feature (the sandbox and the demo
//! data) goes in only when asked for (`--demo`, and always for `run` and `test`).
//! `[[workspace.metadata.leptos]]` keeps `bin-features = []`, so a plain `cargo leptos build`
//! makes a production server too.

use std::os::unix::process::CommandExt;

use crate::Result;
use crate::install::{self, Options};
use crate::leptos::{BIN_TARGET, DEMO_FEATURE};
use crate::proc::{command, root, run as run_cmd};

/// Which server `cargo leptos build` makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Build {
    pub release: bool,
    pub demo: bool,
}

impl Build {
    /// `[--release] [--demo]`, in either order; `None` for anything else.
    pub fn parse(flags: &[&str]) -> Option<Build> {
        let mut how = Build {
            release: false,
            demo: false,
        };
        for flag in flags {
            match *flag {
                "--release" if !how.release => how.release = true,
                "--demo" if !how.demo => how.demo = true,
                _ => return None,
            }
        }
        Some(how)
    }
}

pub fn build(how: Build) -> Result {
    install::install(Options { chromium: false })?;
    leptos_build(how)
}

/// `cargo leptos build`: target/{debug,release}/flowhost and target/site.
pub fn leptos_build(how: Build) -> Result {
    let mut cmd = command("cargo");
    cmd.args(["leptos", "build"]);
    if how.release {
        cmd.arg("--release");
    }
    if how.demo {
        cmd.args(["--bin-features", DEMO_FEATURE]);
    }
    run_cmd(&mut cmd)
}

/// Builds the demo, then replaces this process with the server, so Ctrl-C and exit codes
/// behave as if it had been started directly. The environment passes through unchanged:
/// without DATABASE_URL the server uses its own default.
pub fn run() -> Result {
    build(Build {
        release: false,
        demo: true,
    })?;
    let server = root().join("target/debug").join(BIN_TARGET);
    let addr = std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "localhost:3000".into());
    println!("xtask: starting {} on http://{addr}", server.display());
    let err = command(&server).exec();
    Err(format!("cannot start {}: {err}", server.display()).into())
}

#[cfg(test)]
mod tests {
    use super::Build;

    #[test]
    fn build_takes_release_and_demo_in_either_order() {
        let how = |release, demo| Some(Build { release, demo });
        assert_eq!(Build::parse(&[]), how(false, false));
        assert_eq!(Build::parse(&["--release"]), how(true, false));
        assert_eq!(Build::parse(&["--demo", "--release"]), how(true, true));
        assert_eq!(Build::parse(&["--release", "--demo"]), how(true, true));
        assert_eq!(Build::parse(&["--demo", "--demo"]), None);
        assert_eq!(Build::parse(&["--debug"]), None);
    }
}
