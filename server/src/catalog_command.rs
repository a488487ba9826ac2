//! `flowhost catalog …`: the ISV's flows built into this binary (`flows/`).
//!
//! - `flowhost catalog list`: each entry's folder, id, version, uses and title.
//! - `flowhost catalog package <folder or id> [--out <file>]`: the entry's export package
//!   (.zip), which a template's Partner Center offer carries; `<folder>.zip` in the current
//!   directory unless `--out` names the file.

use catalog::{Flow, Use};
use std::process::ExitCode;
use time::format_description::well_known::Rfc3339;

const USAGE: &str =
    "usage: flowhost catalog list | flowhost catalog package <folder or id> [--out <file>]";

/// Exit code for a command line that cannot be carried out.
const BAD_USAGE: u8 = 2;

/// Runs `flowhost catalog` with the arguments after `catalog`.
pub fn run(args: &[String]) -> ExitCode {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match args.as_slice() {
        ["list"] => {
            list();
            Ok(())
        }
        ["package", entry] => package(entry, None),
        ["package", entry, "--out", file] => package(entry, Some(file)),
        _ => Err(USAGE.to_owned()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("flowhost catalog: {why}");
            ExitCode::from(BAD_USAGE)
        }
    }
}

fn list() {
    for flow in catalog::flows() {
        let uses: Vec<&str> = flow
            .meta
            .kinds
            .iter()
            .map(|k| match k {
                Use::Template => "template",
                Use::Prebuilt => "prebuilt",
            })
            .collect();
        println!(
            "{}\t{}\tv{}\t{}\t{}",
            flow.folder,
            flow.meta.id,
            flow.meta.version,
            uses.join(","),
            flow.meta.title
        );
    }
}

fn find(entry: &str) -> Result<&'static Flow, String> {
    catalog::flows()
        .iter()
        .find(|f| f.folder == entry)
        .or_else(|| catalog::find(entry))
        .ok_or_else(|| {
            let folders: Vec<&str> = catalog::flows().iter().map(|f| f.folder.as_str()).collect();
            format!(
                "no entry {entry:?} in the catalog; its folders are {}",
                folders.join(", ")
            )
        })
}

fn package(entry: &str, out: Option<&str>) -> Result<(), String> {
    let flow = find(entry)?;
    if !flow.is(Use::Template) {
        return Err(format!(
            "{} is not a template: only templates are submitted as packages",
            flow.folder
        ));
    }
    let created = time::OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .map_err(|e| e.to_string())?;
    let bytes = catalog::package::write(flow, &created);
    let path = out.map_or_else(|| format!("{}.zip", flow.folder), str::to_owned);
    std::fs::write(&path, bytes).map_err(|e| format!("{path}: {e}"))?;
    println!("{path}");
    Ok(())
}
