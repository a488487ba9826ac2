//! The Python tools in `tools/.venv`, from `tools/requirements.txt`: made when missing and
//! brought in line when the requirements changed (the venv keeps a copy of those it has).

use std::fs;
use std::path::PathBuf;

use crate::Result;
use crate::proc::{command, root, run};

const REQUIREMENTS: &str = "tools/requirements.txt";
/// The requirements the venv was last brought in line with.
const INSTALLED: &str = ".requirements.txt";

pub fn venv() -> PathBuf {
    root().join("tools/.venv")
}

/// A program of the venv, e.g. `st`.
pub fn tool(name: &str) -> PathBuf {
    venv().join("bin").join(name)
}

pub fn install() -> Result {
    let wanted = fs::read_to_string(root().join(REQUIREMENTS))
        .map_err(|err| format!("cannot read {REQUIREMENTS}: {err}"))?;
    let venv = venv();
    if fs::read_to_string(venv.join(INSTALLED)).is_ok_and(|had| had == wanted) {
        return Ok(());
    }
    println!("xtask install: Python tools ({REQUIREMENTS}) in tools/.venv");
    if !tool("python").exists() {
        run(command("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    run(command(tool("pip"))
        .args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--requirement",
        ])
        .arg(root().join(REQUIREMENTS)))?;
    fs::write(venv.join(INSTALLED), wanted)?;
    Ok(())
}
