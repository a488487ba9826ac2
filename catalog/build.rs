//! Embeds every folder of `flows/` (its `flow.toml` and `definition.json`), in name order.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../flows");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut folders: Vec<_> = std::fs::read_dir(&root)
        .expect("flows/ exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().join("flow.toml").is_file())
        .map(|e| e.file_name().into_string().expect("folder names are UTF-8"))
        .collect();
    folders.sort();
    let mut code = String::from("pub(crate) const EMBEDDED: &[(&str, &str, &str)] = &[\n");
    for folder in &folders {
        let dir = root.join(folder);
        println!("cargo:rerun-if-changed={}", dir.display());
        let file = |name: &str| {
            let path = dir.join(name);
            println!("cargo:rerun-if-changed={}", path.display());
            format!("{:?}", path.display().to_string())
        };
        let _ = writeln!(
            code,
            "    ({folder:?}, include_str!({}), include_str!({})),",
            file("flow.toml"),
            file("definition.json")
        );
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("flows.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
