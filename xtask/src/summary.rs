//! Counting tests and remembering which steps failed, for the closing summary.
//!
//! The last line `cargo xtask test` prints is `N passed, N failed`: Rust tests on SQLite,
//! Rust tests on PostgreSQL and Playwright tests, summed.

use std::fmt;
use std::path::Path;

use crate::Result;

/// Test counts from one or more `test result:` lines of libtest.
#[derive(Clone, Copy, Default, Debug, PartialEq)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} passed, {} failed", self.passed, self.failed)?;
        if self.ignored > 0 {
            write!(f, ", {} ignored", self.ignored)?;
        }
        Ok(())
    }
}

/// Parses libtest's closing line of one test binary, e.g.
/// `test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; …`.
pub fn parse_test_result(line: &str) -> Option<Tally> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let (_, counts) = rest.split_once(". ")?;
    let mut tally = Tally::default();
    for part in counts.split(';') {
        let mut words = part.split_whitespace();
        let (Some(n), Some(what)) = (words.next(), words.next()) else {
            continue;
        };
        let Ok(n) = n.parse::<u64>() else { continue };
        match what {
            "passed" => tally.passed = n,
            "failed" => tally.failed = n,
            "ignored" => tally.ignored = n,
            _ => {}
        }
    }
    Some(tally)
}

/// `stats` of Playwright's JSON report, plus its top-level errors (global setup, config).
#[derive(Default, Debug, PartialEq)]
pub struct PlaywrightReport {
    pub expected: u64,
    pub unexpected: u64,
    pub flaky: u64,
    pub skipped: u64,
    pub errors: Vec<String>,
}

impl PlaywrightReport {
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|err| format!("cannot read Playwright report {}: {err}", path.display()))?;
        Self::parse(&text)
    }

    pub fn parse(json: &str) -> Result<Self> {
        let report: serde_json::Value = serde_json::from_str(json)?;
        let stats = report
            .get("stats")
            .ok_or("Playwright report has no `stats`")?;
        let count = |key: &str| stats.get(key).and_then(|v| v.as_u64()).unwrap_or(0);
        let errors = report
            .get("errors")
            .and_then(|e| e.as_array())
            .into_iter()
            .flatten()
            .map(|e| {
                let message = e
                    .get("message")
                    .and_then(|m| m.as_str())
                    .unwrap_or("(no message)");
                message.lines().next().unwrap_or_default().to_string()
            })
            .collect();
        Ok(PlaywrightReport {
            expected: count("expected"),
            unexpected: count("unexpected"),
            flaky: count("flaky"),
            skipped: count("skipped"),
            errors,
        })
    }

    /// A flaky test failed and then passed on retry: it counts as passed (with
    /// `retries: 0` there are none).
    pub fn tally(&self) -> Tally {
        Tally {
            passed: self.expected + self.flaky,
            failed: self.unexpected,
            ignored: self.skipped,
        }
    }
}

/// How each step ended, and every test counted, in the order they ran.
#[derive(Default)]
pub struct Summary {
    steps: Vec<(String, Outcome)>,
    counts: Vec<(&'static str, String)>,
    total: Tally,
}

enum Outcome {
    Ok,
    Failed(String),
    Skipped(String),
}

impl Summary {
    /// Records a step; returns whether it succeeded.
    pub fn step(&mut self, name: &str, result: Result) -> bool {
        match result {
            Ok(()) => {
                self.steps.push((name.to_string(), Outcome::Ok));
                true
            }
            Err(err) => {
                println!("xtask: FAILED: {name}: {err}");
                self.steps
                    .push((name.to_string(), Outcome::Failed(err.to_string())));
                false
            }
        }
    }

    pub fn skip(&mut self, name: &str, why: &str) {
        println!("xtask: skipped: {name}: {why}");
        self.steps
            .push((name.to_string(), Outcome::Skipped(why.to_string())));
    }

    /// Adds tests to the total, with a line in the summary.
    pub fn tests(&mut self, label: &'static str, tally: Tally, note: String) {
        self.total += tally;
        self.counts.push((label, format!("{tally}{note}")));
    }

    /// A line in the summary for tests that did not run.
    pub fn not_run(&mut self, label: &'static str, why: &str) {
        self.counts.push((label, format!("not run: {why}")));
    }

    pub fn failed(&self) -> bool {
        self.total.failed > 0
            || self
                .steps
                .iter()
                .any(|(_, o)| matches!(o, Outcome::Failed(_)))
    }

    /// Prints the summary; the very last line is `N passed, N failed`.
    pub fn print(&self) {
        println!("\n==> summary");
        for (name, outcome) in &self.steps {
            match outcome {
                Outcome::Ok => println!("  ok       {name}"),
                Outcome::Failed(err) => println!("  FAILED   {name}: {err}"),
                Outcome::Skipped(why) => println!("  skipped  {name}: {why}"),
            }
        }
        for (label, line) in &self.counts {
            println!("  {label}: {line}");
        }
        let failed: Vec<&str> = self
            .steps
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Failed(_)))
            .map(|(n, _)| n.as_str())
            .collect();
        if !failed.is_empty() {
            println!("failed steps: {}", failed.join(", "));
        }
        println!("{} passed, {} failed", self.total.passed, self.total.failed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_libtest_lines() {
        let ok = "test result: ok. 12 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.31s";
        assert_eq!(
            parse_test_result(ok),
            Some(Tally {
                passed: 12,
                failed: 0,
                ignored: 2
            })
        );
        let bad = "test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.00s";
        assert_eq!(
            parse_test_result(bad),
            Some(Tally {
                passed: 3,
                failed: 1,
                ignored: 0
            })
        );
        assert_eq!(parse_test_result("running 3 tests"), None);
        assert_eq!(parse_test_result("test it_works ... ok"), None);
    }

    #[test]
    fn reads_playwright_stats() {
        let json = r#"{"config":{},"suites":[],"errors":[{"message":"Error: boom\n  at x"}],
            "stats":{"startTime":"2026-01-01T00:00:00.000Z","duration":1.0,
                     "expected":5,"skipped":1,"unexpected":2,"flaky":1}}"#;
        let report = PlaywrightReport::parse(json).unwrap();
        assert_eq!(report.errors, vec!["Error: boom".to_string()]);
        assert_eq!(
            report.tally(),
            Tally {
                passed: 6,
                failed: 2,
                ignored: 1
            }
        );
    }

    #[test]
    fn any_failure_fails_the_run() {
        let mut s = Summary::default();
        s.step("fmt", Ok(()));
        assert!(!s.failed());
        s.tests(
            "Rust",
            Tally {
                passed: 1,
                failed: 1,
                ignored: 0,
            },
            String::new(),
        );
        assert!(s.failed());
        let mut s = Summary::default();
        s.step("clippy", Err("exit 101".into()));
        assert!(s.failed());
    }
}
