//! Whatever the text, parsing ends in a filter or an error: never a panic, never a stack
//! overflow. Random strings, random soups of the grammar's tokens, random well-formed filters
//! and very deep or very long input, from fixed seeds so a failure repeats.

use odata_filter::{Filter, MAX_DEPTH};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

/// A record with the names the generators use, so evaluation walks real paths.
fn record() -> Value {
    json!({
        "a": 1, "b": "x", "x": [{"a": 1, "x": [{"b": "x"}]}, {"a": null}],
        "operations": [{"flowhost.accountId": "42"}, {"swaggerOperationId": "SendEmail"}],
        "properties": {"itemlink": "https://desk.example/accounts/1"},
    })
}

/// Parses `text`. An error points inside the text or at its end; a filter can be evaluated,
/// and its canonical form parses back to the same filter.
fn check(text: &str) -> Result<Filter, String> {
    match Filter::parse(text) {
        Ok(filter) => {
            filter.matches(&record());
            let written = filter.to_string();
            let again = Filter::parse(&written);
            assert_eq!(
                again.as_ref(),
                Ok(&filter),
                "{text:?} was written back as {written:?}"
            );
            Ok(filter)
        }
        Err(e) => {
            assert!(e.position <= text.chars().count(), "{text:?}: {e}");
            assert!(!e.message.is_empty(), "{text:?}");
            Err(e.to_string())
        }
    }
}

#[test]
fn random_strings_parse_or_are_refused() {
    let mut rng = StdRng::seed_from_u64(0x0da7a);
    let alphabet: Vec<char> = "()/:'-. eE+0123456789abnotrqyx_$@,=é\t\u{a0}"
        .chars()
        .collect();
    for _ in 0..20_000 {
        let len = rng.gen_range(0..40);
        let text: String = (0..len)
            .map(|_| {
                if rng.gen_bool(0.1) {
                    rng.r#gen::<char>()
                } else {
                    *alphabet.choose(&mut rng).unwrap()
                }
            })
            .collect();
        let _ = check(&text);
    }
}

#[test]
fn token_soups_parse_or_are_refused() {
    const TOKENS: &[&str] = &[
        "(",
        ")",
        "/",
        ":",
        "'",
        "''",
        "'x'",
        "'O''Brien'",
        "and",
        "or",
        "not",
        "eq",
        "ne",
        "any",
        "any(",
        "a",
        "b",
        "x",
        "operations",
        "flowhost.accountId",
        "true",
        "false",
        "null",
        "1",
        "-2",
        "3.5",
        "1e5",
        "2E-3",
        "1e400",
        "-",
        "1.2.3",
        "a eq 1",
        "x/any(x: x/a eq 1)",
    ];
    let mut rng = StdRng::seed_from_u64(0x50a9);
    let mut parsed = 0;
    for _ in 0..20_000 {
        let len = rng.gen_range(1..30);
        let mut text = String::new();
        for _ in 0..len {
            text.push_str(TOKENS.choose(&mut rng).unwrap());
            if rng.gen_bool(0.7) {
                text.push(' ');
            }
        }
        parsed += usize::from(check(&text).is_ok());
    }
    assert!(parsed > 0, "some soups happen to be filters");
}

/// A well-formed filter about `depth` levels deep, its names drawn from `record()`'s.
fn filter(rng: &mut StdRng, depth: usize) -> String {
    let names = [
        "a",
        "b",
        "x/a",
        "properties/itemlink",
        "operations/flowhost.accountId",
    ];
    let values = ["1", "'x'", "null", "true", "-2.5", "'O''Brien'", "1e3"];
    let compare = |rng: &mut StdRng| {
        let op = if rng.gen_bool(0.5) { "eq" } else { "ne" };
        let (name, value) = (names.choose(rng).unwrap(), values.choose(rng).unwrap());
        format!("{name} {op} {value}")
    };
    if depth == 0 {
        return compare(rng);
    }
    match rng.gen_range(0..6) {
        0 => format!("({})", filter(rng, depth - 1)),
        1 => format!("not {}", filter(rng, depth - 1)),
        2 => format!("x/any(x: {})", filter(rng, depth - 1)),
        3 => format!("{} and {}", filter(rng, depth - 1), filter(rng, depth / 2)),
        4 => format!("{} or {}", filter(rng, depth / 2), filter(rng, depth - 1)),
        _ => compare(rng),
    }
}

#[test]
fn random_filters_parse_and_write_back() {
    let mut rng = StdRng::seed_from_u64(0xf117);
    for _ in 0..3_000 {
        let depth = rng.gen_range(0..8);
        let text = filter(&mut rng, depth);
        if let Err(e) = check(&text) {
            panic!("{text:?} is well formed: {e}");
        }
    }
}

#[test]
fn very_deep_or_long_input_is_refused_without_running_out_of_stack() {
    let mut rng = StdRng::seed_from_u64(0xdee9);
    let openers = ["(", "not ", "x/any(x: ", "not(", "(not "];
    let mixed: String = (0..100_000)
        .map(|_| *openers.choose(&mut rng).unwrap())
        .collect();
    let long = [
        "(".repeat(100_000),
        ")".repeat(100_000),
        "not ".repeat(100_000),
        "x/any(x: ".repeat(100_000),
        format!("{}a eq 1{}", "(".repeat(100_000), ")".repeat(100_000)),
        format!("{mixed}a eq 1"),
        vec!["a eq 1"; 100_000].join(" or "),
        vec!["a eq 1"; 100_000].join(" and "),
        vec!["(a eq 1 or b eq 'x')"; 50_000].join(" and "),
        "'".repeat(100_001),
        "a".repeat(100_000),
    ];
    for text in long {
        assert!(check(&text).is_err(), "{}…", &text[..40]);
    }
    // Just inside the limit, every mix of openers parses.
    for _ in 0..200 {
        let opened: Vec<&str> = (0..MAX_DEPTH)
            .map(|_| *openers[..3].choose(&mut rng).unwrap())
            .collect();
        let text = opened.concat()
            + "a eq 1"
            + &")".repeat(opened.iter().filter(|o| o.contains('(')).count());
        check(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
    }
}
