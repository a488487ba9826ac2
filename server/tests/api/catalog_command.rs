//! `flowhost catalog`: the binary lists its catalog and writes a template's export package,
//! which reads back as the same flow; a wrong command line says what is possible.

use std::process::Command;

fn flowhost(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_flowhost"))
        .arg("catalog")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn the_catalog_is_listed_and_a_template_is_packaged_for_its_offer() {
    let dir = std::env::temp_dir().join(format!("flowhost-catalog-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    let listed = flowhost(&["list"], &dir);
    assert!(listed.status.success());
    let listed = String::from_utf8(listed.stdout).unwrap();
    assert!(
        listed.contains(
            "request-approval\tf10a0057a0c1400080000000000a0003\tv1\ttemplate\tRequest approval for a ticket"
        ),
        "{listed}"
    );

    let packaged = flowhost(&["package", "request-approval"], &dir);
    assert!(packaged.status.success(), "{packaged:?}");
    let package =
        catalog::package::read(&std::fs::read(dir.join("request-approval.zip")).unwrap()).unwrap();
    let flow = catalog::find("f10a0057a0c1400080000000000a0003").unwrap();
    assert_eq!(package.exported["definition"], *flow.definition());

    // By id, to a named file.
    let out = dir.join("escalate.zip");
    let packaged = flowhost(
        &[
            "package",
            "f10a0057a0c1400080000000000a0004",
            "--out",
            out.to_str().unwrap(),
        ],
        &dir,
    );
    assert!(packaged.status.success(), "{packaged:?}");
    assert_eq!(
        catalog::package::read(&std::fs::read(&out).unwrap())
            .unwrap()
            .display_name,
        "Escalate a ticket"
    );

    let unknown = flowhost(&["package", "email-the-owner"], &dir);
    assert_eq!(unknown.status.code(), Some(2));
    let said = String::from_utf8(unknown.stderr).unwrap();
    assert!(
        said.contains("no entry \"email-the-owner\"") && said.contains("request-approval"),
        "{said}"
    );
    // A pre-built flow is deployed, never submitted.
    let prebuilt = flowhost(&["package", "escalate-urgent-tickets"], &dir);
    assert_eq!(prebuilt.status.code(), Some(2));
    assert!(
        String::from_utf8(prebuilt.stderr)
            .unwrap()
            .contains("escalate-urgent-tickets is not a template")
    );
    let wrong = flowhost(&["publish"], &dir);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(
        String::from_utf8(wrong.stderr)
            .unwrap()
            .contains("usage: flowhost catalog")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The names record pages give flows made from the ISV's templates are the catalog's titles.
#[test]
fn the_template_names_pages_show_are_the_catalogs_titles() {
    for (id, name) in domain::placement::templates::NAMES {
        let flow = catalog::find(id).unwrap_or_else(|| panic!("{id} is not in the catalog"));
        assert_eq!(flow.meta.title, name, "{id}");
    }
    let templates = catalog::flows()
        .iter()
        .filter(|f| f.is(catalog::Use::Template))
        .count();
    assert_eq!(domain::placement::templates::NAMES.len(), templates);
}
