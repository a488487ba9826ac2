//! Child processes: every one starts in the repository root with a PATH that finds
//! npm's wasm-opt and cargo-installed tools first.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::OnceLock;

use crate::Result;

/// The workspace root (this crate lives in `<root>/xtask`).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
}

/// `$CARGO_HOME/bin`, by default `$HOME/.cargo/bin`: where `cargo install` puts tools.
pub fn cargo_bin_dir() -> PathBuf {
    match env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home).join("bin"),
        None => PathBuf::from(env::var_os("HOME").unwrap_or_default()).join(".cargo/bin"),
    }
}

/// PATH for children. npm's binaryen comes first so that cargo-leptos never picks up
/// Debian's wasm-opt 108, whose output fails to hydrate, with no error at build time.
fn child_path() -> &'static OsString {
    static PATH: OnceLock<OsString> = OnceLock::new();
    PATH.get_or_init(|| {
        let mut dirs = vec![root().join("tools/node_modules/.bin"), cargo_bin_dir()];
        dirs.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
        env::join_paths(dirs).expect("PATH entries contain no ':'")
    })
}

/// A command run from the repository root with the children's PATH (which is also
/// where `program` is looked up), without the variables `cargo run` set for xtask.
pub fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(root()).env("PATH", child_path());
    for name in cargo_run_vars() {
        cmd.env_remove(name);
    }
    cmd
}

/// `cargo run` hands xtask CARGO, CARGO_MANIFEST_DIR, CARGO_MANIFEST_PATH and
/// CARGO_PKG_*. Build scripts such as ring's declare `rerun-if-env-changed` on several
/// of these, so passing them on would make every cargo build under xtask dirty against
/// one started from a shell (and the other way round). LD_LIBRARY_PATH, which `cargo
/// run` extends, is left as it is.
fn cargo_run_vars() -> &'static [OsString] {
    static VARS: OnceLock<Vec<OsString>> = OnceLock::new();
    VARS.get_or_init(|| {
        env::vars_os()
            .map(|(name, _)| name)
            .filter(|name| {
                let name = name.to_string_lossy();
                name == "CARGO"
                    || name == "CARGO_MANIFEST_DIR"
                    || name == "CARGO_MANIFEST_PATH"
                    || name.starts_with("CARGO_PKG_")
            })
            .collect()
    })
}

/// `program args…` as a shell would show it, for progress and error messages.
pub fn display(cmd: &Command) -> String {
    let mut line = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// Runs with inherited stdio; the exit status is returned, not judged.
pub fn status(cmd: &mut Command) -> Result<ExitStatus> {
    cmd.status()
        .map_err(|err| format!("cannot start `{}`: {err}", display(cmd)).into())
}

/// Runs with inherited stdio and fails unless it exits 0.
pub fn run(cmd: &mut Command) -> Result {
    let status = status(cmd)?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", display(cmd)).into())
    }
}

/// Stdout of a successful run, or `None` if the program is missing or fails; used to
/// probe what is installed, so its stderr is discarded.
pub fn probe(cmd: &mut Command) -> Option<String> {
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
