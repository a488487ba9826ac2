//! What cargo-leptos does, mirrored so plain cargo commands share its build cache.

use std::env;

use crate::proc::root;

/// The server binary `cargo leptos build` produces (`bin-target` in Cargo.toml).
pub const BIN_TARGET: &str = "flowhost";

/// The server's demo feature: `cargo leptos build --bin-features demo` for a demo build.
/// Cargo.toml's `bin-features` stays empty, so a build without it is a production build.
pub const DEMO_FEATURE: &str = "demo";

/// The same feature named from the workspace, for cargo commands that build more than the
/// server (`--features server/demo`); with it they compile the server exactly as the debug
/// demo build does and share its cache.
pub const SERVER_DEMO: &str = "server/demo";

/// Compile-time environment of a debug `cargo leptos build`, for both its server build
/// and its wasm build (cargo-leptos 0.3.10 `src/config/project.rs`, `Project::to_envs`,
/// lines 235-299, used by `src/compile/server.rs:130` and `src/compile/front.rs:203`).
///
/// `cargo test`, `cargo clippy` and `cargo build --example` must run with exactly this
/// env: `leptos_config` reads `LEPTOS_*` with `option_env!` and RUSTFLAGS is part of every
/// crate's fingerprint, so any difference recompiles ~400 crates into separate artifacts.
/// Values come from `[[workspace.metadata.leptos]]` in Cargo.toml;
/// the test below fails if the two drift apart.
///
/// Not mirrored, because this project does not use them: a `.env` file (cargo-leptos
/// overlays it), `hash-files`, `server-fn-prefix`, `disable-server-fn-hash`,
/// `server-fn-mod-path`, `split` and rustflags from a cargo config file.
pub fn debug_env() -> Vec<(&'static str, String)> {
    // cargo-leptos appends to rustflags already configured (here: only $RUSTFLAGS).
    let rustflags = match env::var("RUSTFLAGS") {
        Ok(flags) if !flags.trim().is_empty() => format!("{} --cfg erase_components", flags.trim()),
        _ => "--cfg erase_components".to_string(),
    };
    vec![
        ("LEPTOS_OUTPUT_NAME", "flowhost".into()),
        ("LEPTOS_SITE_ROOT", "target/site".into()),
        ("LEPTOS_SITE_PKG_DIR", "pkg".into()),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:3000".into()),
        ("LEPTOS_RELOAD_PORT", "3001".into()),
        // Package directories relative to the workspace root.
        ("LEPTOS_LIB_DIR", "frontend".into()),
        ("LEPTOS_BIN_DIR", "server".into()),
        // `--js-minify` applies to release builds only, so debug is always false.
        ("LEPTOS_JS_MINIFY", "false".into()),
        ("LEPTOS_HASH_FILES", "false".into()),
        // Debug builds type-erase components for faster compiles.
        ("RUSTFLAGS", rustflags),
    ]
}

/// cargo-leptos builds the wasm into its own target dir (`front-target-dir`, default
/// `<target>/front`); wasm clippy uses it too, to reuse the host proc-macros built there.
pub fn front_target_dir() -> std::path::PathBuf {
    root().join("target/front")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `key = "value"` / `key = number` pairs of `[[workspace.metadata.leptos]]`.
    fn metadata() -> Vec<(String, String)> {
        let toml = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
        toml.lines()
            .skip_while(|l| l.trim() != "[[workspace.metadata.leptos]]")
            .skip(1)
            .take_while(|l| !l.trim_start().starts_with('['))
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.trim().to_string(), v.trim().trim_matches('"').to_string()))
            .collect()
    }

    #[test]
    fn debug_env_matches_cargo_toml() {
        let meta = metadata();
        let get = |key: &str| {
            meta.iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("`{key}` missing from [[workspace.metadata.leptos]]"))
        };
        let env = debug_env();
        let var = |name: &str| env.iter().find(|(k, _)| *k == name).unwrap().1.clone();
        assert_eq!(var("LEPTOS_OUTPUT_NAME"), get("name"));
        assert_eq!(var("LEPTOS_SITE_ROOT"), get("site-root"));
        assert_eq!(var("LEPTOS_SITE_PKG_DIR"), get("site-pkg-dir"));
        assert_eq!(var("LEPTOS_SITE_ADDR"), get("site-addr"));
        assert_eq!(var("LEPTOS_RELOAD_PORT"), get("reload-port"));
        // Package names equal their directory names in this workspace.
        assert_eq!(var("LEPTOS_LIB_DIR"), get("lib-package"));
        assert_eq!(var("LEPTOS_BIN_DIR"), get("bin-package"));
        assert_eq!(BIN_TARGET, get("bin-target"));
        // Production unless asked: demo builds pass `--bin-features demo`.
        assert_eq!(get("bin-features"), "[]");
        assert_eq!(
            SERVER_DEMO,
            format!("{}/{DEMO_FEATURE}", get("bin-package"))
        );
        for key in ["hash-files", "server-fn-prefix", "front-target-dir"] {
            assert!(
                meta.iter().all(|(k, _)| k != key),
                "`{key}` is set: update debug_env()"
            );
        }
        assert!(
            !root().join(".env").exists(),
            "a .env changes cargo-leptos's env: update debug_env()"
        );
    }
}
