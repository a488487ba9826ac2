//! Both languages are complete: every message, attribute and variable of one exists in the
//! other, every id the code names exists, and no view shows text that bypasses the files.

mod source;

use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A message's attributes and the variables it reads.
#[derive(Debug, PartialEq, Default)]
struct Shape {
    attributes: BTreeSet<String>,
    variables: BTreeSet<String>,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// The folders that hold one folder of `.ftl` files per language.
fn locale_roots() -> Vec<PathBuf> {
    ["i18n/locales", "sandbox/locales"]
        .iter()
        .map(|root| workspace().join(root))
        .filter(|root| root.is_dir())
        .collect()
}

fn messages(dir: &Path) -> BTreeMap<String, Shape> {
    let mut found = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|e| e != "ftl") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let resource = fluent_syntax::parser::parse(text.as_str())
            .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", path.display()));
        for entry in resource.body {
            let (id, value, attributes) = match entry {
                ast::Entry::Message(m) => (m.id.name.to_owned(), m.value, m.attributes),
                ast::Entry::Term(t) => (format!("-{}", t.id.name), Some(t.value), t.attributes),
                ast::Entry::Junk { content } => {
                    panic!("{}: cannot read {content:?}", path.display())
                }
                _ => continue,
            };
            let mut shape = Shape::default();
            if let Some(value) = &value {
                variables(value, &mut shape.variables);
            }
            for attribute in &attributes {
                shape.attributes.insert(attribute.id.name.to_owned());
                variables(&attribute.value, &mut shape.variables);
            }
            assert!(
                found.insert(id.clone(), shape).is_none(),
                "{}: {id} is defined twice",
                path.display()
            );
        }
    }
    found
}

fn variables(pattern: &ast::Pattern<&str>, into: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, into);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, into: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, into);
            for variant in variants {
                variables(&variant.value, into);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, into),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, into: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            into.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, into),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, into);
            }
        }
        _ => {}
    }
}

#[test]
fn every_message_exists_in_both_languages_with_the_same_attributes_and_variables() {
    let roots = locale_roots();
    assert!(!roots.is_empty());
    for root in roots {
        let english = messages(&root.join("en"));
        let dutch = messages(&root.join("nl"));
        assert!(
            !english.is_empty(),
            "{} has no English messages",
            root.display()
        );
        let mut problems = Vec::new();
        for (id, shape) in &english {
            match dutch.get(id) {
                None => problems.push(format!("{id}: only in English")),
                Some(other) if other != shape => {
                    problems.push(format!("{id}: English {shape:?}, Dutch {other:?}"))
                }
                Some(_) => {}
            }
        }
        for id in dutch.keys().filter(|id| !english.contains_key(*id)) {
            problems.push(format!("{id}: only in Dutch"));
        }
        assert!(
            problems.is_empty(),
            "{}:\n{}",
            root.display(),
            problems.join("\n")
        );
    }
}

#[test]
fn every_message_the_code_names_exists() {
    let english: BTreeSet<String> = locale_roots()
        .iter()
        .flat_map(|root| messages(&root.join("en")).into_keys())
        .collect();
    let mut missing = Vec::new();
    for file in source::files(&workspace()) {
        for (id, line) in source::named_messages(&file) {
            if !english.contains(&id) {
                missing.push(format!("{}:{line}: {id}", file.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "messages named but not defined:\n{}",
        missing.join("\n")
    );
}

#[test]
fn no_view_or_message_shows_text_outside_the_translations() {
    let mut inline = Vec::new();
    for file in source::files(&workspace()) {
        for (text, line) in source::inline_text(&file) {
            inline.push(format!("{}:{line}: {text:?}", file.display()));
        }
    }
    assert!(
        inline.is_empty(),
        "text not taken from the translations:\n{}",
        inline.join("\n")
    );
}
