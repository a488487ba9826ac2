//! What the filter subset accepts, what it means, and what it refuses.

use odata_filter::{Filter, MAX_CONDITIONS, MAX_DEPTH, quote};
use serde_json::{Value, json};

fn flow(account: &str) -> Value {
    json!({"operations": [
        {"swaggerOperationId": "GetAccount", "flowhost.accountId": account},
        {"swaggerOperationId": "SendEmail"}
    ]})
}

#[test]
fn the_flows_filter_finds_operations_on_the_account() {
    let f =
        Filter::parse("operations/any(operation: operation/flowhost.accountId eq '42')").unwrap();
    assert!(f.matches(&flow("42")));
    assert!(!f.matches(&flow("420")));
    assert!(!f.matches(&json!({"operations": []})));
    assert!(!f.matches(&json!({})), "no collection matches nothing");
}

#[test]
fn the_approvals_filter_compares_the_item_link() {
    let link = "https://desk.example/accounts/1/tickets/7";
    let f = Filter::parse(&format!("properties/itemlink eq {}", quote(link))).unwrap();
    assert!(f.matches(&json!({"properties": {"itemlink": link}})));
    assert!(!f.matches(&json!({"properties": {"itemlink": format!("{link}0")}})));
}

#[test]
fn and_or_not_and_parentheses_combine() {
    let f = Filter::parse("(a eq 1 or a eq 2) and not b eq 'x'").unwrap();
    assert!(f.matches(&json!({"a": 2, "b": "y"})));
    assert!(!f.matches(&json!({"a": 2, "b": "x"})));
    assert!(!f.matches(&json!({"a": 3, "b": "y"})));
    let f = Filter::parse("a eq null and c ne true").unwrap();
    assert!(f.matches(&json!({"c": false})));
}

#[test]
fn quotes_are_doubled_inside_text() {
    let f = Filter::parse("name eq 'O''Brien'").unwrap();
    assert!(f.matches(&json!({"name": "O'Brien"})));
    assert_eq!(quote("O'Brien"), "'O''Brien'");
    assert_eq!(f.to_string(), "name eq 'O''Brien'");
}

#[test]
fn what_it_cannot_parse_is_an_error_with_its_position() {
    for (text, position, says) in [
        ("", 0, "the filter ends where a property name was expected"),
        (
            "properties/itemlink eq",
            22,
            "the filter ends where a value",
        ),
        ("properties/itemlink = 'x'", 20, "'=' is not allowed here"),
        ("properties/itemlink eq 'x", 23, "never closed"),
        ("a eq 'x' b eq 'y'", 9, "unexpected text after the end"),
        ("operations/any(o o/x eq 1)", 17, "expected ':'"),
        ("operations/any(o: o/x eq 1", 26, "')' closing any("),
        ("contains(a, 'x')", 10, "',' is not allowed here"),
        ("startswith(a)", 10, "expected 'eq' or 'ne'"),
        ("a eq b", 5, "expected a value"),
    ] {
        let e = Filter::parse(text).unwrap_err();
        assert_eq!(e.position, position, "{text}: {e}");
        assert!(e.message.contains(says), "{text}: {e}");
    }
}

#[test]
fn canonical_form_parses_back_to_the_same_filter() {
    for text in [
        "operations/any(operation: operation/flowhost.accountId eq '42')",
        "(a eq 1 or b ne 'x') and not c eq true",
        "a eq 1 or b eq 2 and c eq 3 or not (d eq 4 or e eq 5)",
        "a eq 1 and (b eq 2 and c eq 3) or (d eq 4 or e eq 5)",
    ] {
        let f = Filter::parse(text).unwrap();
        assert_eq!(f.to_string(), text, "only the parentheses the tree needs");
        assert_eq!(Filter::parse(&f.to_string()).unwrap(), f);
    }
}

#[test]
fn numbers_with_an_exponent_are_read_and_written_back() {
    let f = Filter::parse("a eq 99999999999999999999").unwrap();
    assert_eq!(f.to_string(), "a eq 1e+20");
    assert_eq!(Filter::parse(&f.to_string()).unwrap(), f);
    assert!(
        Filter::parse("a eq 1.5E-3")
            .unwrap()
            .matches(&json!({"a": 0.0015}))
    );
    assert!(Filter::parse("a eq 1e").is_err());
    assert!(Filter::parse("a eq 1e400").is_err(), "out of range");
}

/// `levels` parentheses, `not`s or `any(`s around one comparison.
fn nested(levels: usize) -> [String; 3] {
    [
        format!("{}a eq 1{}", "(".repeat(levels), ")".repeat(levels)),
        format!("{}a eq 1", "not ".repeat(levels)),
        format!("{}a eq 1{}", "x/any(x: ".repeat(levels), ")".repeat(levels)),
    ]
}

#[test]
fn nesting_up_to_the_limit_parses() {
    for text in nested(MAX_DEPTH) {
        let f = Filter::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(Filter::parse(&f.to_string()).unwrap(), f);
    }
    let deep = "(not x/any(x: ".repeat(MAX_DEPTH / 3) + "a eq 1" + &"))".repeat(MAX_DEPTH / 3);
    assert!(Filter::parse(&deep).is_ok());
}

#[test]
fn nesting_past_the_limit_is_an_error_where_it_goes_too_deep() {
    for text in nested(MAX_DEPTH + 1) {
        let e = Filter::parse(&text).unwrap_err();
        assert!(
            e.message.contains("nests deeper than 32 levels"),
            "{text}: {e}"
        );
        // The 33rd opening: its '(', its `not`, or the '(' of its `any(`.
        let expected = match text.chars().next() {
            Some('(') => MAX_DEPTH,
            Some('n') => 4 * MAX_DEPTH,
            _ => "x/any(x: ".len() * MAX_DEPTH + 5,
        };
        assert_eq!(e.position, expected, "{text}: {e}");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for text in [
        "(".repeat(100_000),
        "not ".repeat(100_000),
        "x/any(x: ".repeat(100_000),
        format!("{}a eq 1{}", "(".repeat(100_000), ")".repeat(100_000)),
    ] {
        let e = Filter::parse(&text).unwrap_err();
        assert!(e.message.contains("nests deeper"), "{e}");
    }
}

#[test]
fn long_and_or_chains_stop_at_the_condition_limit() {
    let chain = |n: usize, op: &str| vec!["a eq 1"; n].join(&format!(" {op} "));
    for op in ["and", "or"] {
        let f = Filter::parse(&chain(MAX_CONDITIONS, op)).unwrap();
        assert!(f.matches(&json!({"a": 1})));
        assert_eq!(Filter::parse(&f.to_string()).unwrap(), f);
        let e = Filter::parse(&chain(MAX_CONDITIONS + 1, op)).unwrap_err();
        assert!(e.message.contains("compares more than 256 values"), "{e}");
        // The value of the comparison that went over.
        let step = "a eq 1".len() + op.len() + 2;
        assert_eq!(e.position, MAX_CONDITIONS * step + "a eq ".len());
        let e = Filter::parse(&chain(100_000, op)).unwrap_err();
        assert!(e.message.contains("compares more than"), "{e}");
    }
}

#[test]
fn a_guid_is_a_literal_as_dataverse_writes_it() {
    let id = "2A5BD0A4-51c3-4f0e-9a53-0f5b8a1c9d21";
    let filter = Filter::parse(&format!("_workflow_value eq {id}")).unwrap();
    assert!(filter.matches(&json!({"_workflow_value": id.to_ascii_lowercase()})));
    assert!(!filter.matches(&json!({"_workflow_value": "7c1d4c8e-2f0b-4f7a-9a11-3b2d6e5f4a10"})));
    // Shorter, or running on into a name, it is no GUID: a number or a name, as before.
    assert!(Filter::parse("x eq 2a5bd0a4-51c3").is_err());
    assert!(Filter::parse(&format!("x eq {id}x")).is_err());
    assert!(Filter::parse("x eq 12").unwrap().matches(&json!({"x": 12})));
}
