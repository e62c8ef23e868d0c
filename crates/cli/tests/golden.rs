//! Golden snapshots of what the binary prints: summaries, comparisons, timelines, validation, claims,
//! the text and HTML reports and an export, each byte for byte against `tests/golden/NAME`.
//!
//! They prove "output unchanged" across a refactor: a change that is only a new way of computing the
//! same thing must leave every file here as it is. A change of output on purpose re-blesses the
//! files in the same commit and says why in its message: run with `RAZVILKA_BLESS=1`, then read the
//! diff like code.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `razvilka ARGS` and checks its standard output (or, with `file`, the file it writes there)
/// against `tests/golden/NAME`.
fn golden(name: &str, args: &[&str], file: Option<&str>) {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("golden-{name}"));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let out_path = file.map(|f| scratch.join(f));
    let mut command = Command::new(env!("CARGO_BIN_EXE_razvilka"));
    command.args(args);
    if let Some(path) = &out_path {
        command.arg(path);
    }
    let out = command.output().expect("cannot run the razvilka binary");
    // Exit status 1 is a verdict (a validation that fails), not an error: the output still counts.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "razvilka {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let actual = match &out_path {
        Some(path) => std::fs::read(path).unwrap(),
        None => out.stdout,
    };
    let _ = std::fs::remove_dir_all(&scratch);
    let expected_path = PathBuf::from("tests/golden").join(name);
    // Only `RAZVILKA_BLESS=1` blesses: an empty or other value (a variable left set) does not.
    if std::env::var("RAZVILKA_BLESS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all("tests/golden").unwrap();
        std::fs::write(&expected_path, &actual).unwrap();
    }
    let expected = std::fs::read(&expected_path).unwrap_or_else(|_| {
        panic!(
            "missing {}: run with RAZVILKA_BLESS=1",
            expected_path.display()
        )
    });
    if actual != expected {
        let actual = String::from_utf8_lossy(&actual);
        let expected = String::from_utf8_lossy(&expected);
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
        panic!(
            "{name} differs from {} at line {}:\n  expected: {}\n  actual:   {}\n\
             (if the change is on purpose, run with RAZVILKA_BLESS=1 and say why in the commit)",
            expected_path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>"),
        );
    }
}

/// `run SCENARIO --runs 500 --json`.
fn summary(scenario: &str) {
    golden(
        &format!("run-{scenario}.json"),
        &["run", scenario, "--runs", "500", "--seed", "1", "--json"],
        None,
    );
}

#[test]
fn summary_otl() {
    summary("otl");
}

#[test]
fn summary_stalin_expelled() {
    summary("stalin-expelled");
}

#[test]
fn summary_lenin_lives() {
    summary("lenin-lives");
}

#[test]
fn summary_free_1922() {
    summary("free-1922");
}

#[test]
fn summary_nep_continued() {
    summary("nep-continued");
}

#[test]
fn summary_western_alliance_1939() {
    summary("western-alliance-1939");
}

#[test]
fn report_text_stalin_expelled() {
    golden(
        "run-stalin-expelled.txt",
        &["run", "stalin-expelled", "--runs", "500", "--seed", "1"],
        None,
    );
}

#[test]
fn report_html_stalin_expelled() {
    golden(
        "run-stalin-expelled.html",
        &[
            "run",
            "stalin-expelled",
            "--runs",
            "200",
            "--seed",
            "1",
            "--report",
        ],
        Some("report.html"),
    );
}

#[test]
fn export_csv_otl() {
    golden(
        "run-otl-series.csv",
        &[
            "run", "otl", "--runs", "50", "--seed", "1", "--series", "--out",
        ],
        Some("runs.csv"),
    );
}

#[test]
fn compare_otl_stalin_expelled() {
    golden(
        "compare-otl-stalin-expelled.json",
        &[
            "compare",
            "otl",
            "stalin-expelled",
            "--runs",
            "500",
            "--seed",
            "1",
            "--json",
        ],
        None,
    );
}

#[test]
fn compare_otl_stalin_expelled_text() {
    golden(
        "compare-otl-stalin-expelled.txt",
        &[
            "compare",
            "otl",
            "stalin-expelled",
            "--runs",
            "500",
            "--seed",
            "1",
        ],
        None,
    );
}

#[test]
fn compare_otl_no_purge() {
    golden(
        "compare-otl-no-purge.json",
        &[
            "compare", "otl", "no-purge", "--runs", "500", "--seed", "1", "--json",
        ],
        None,
    );
}

/// `timeline SCENARIO --run K --format FORMAT`.
fn timeline(scenario: &str, run: &str, format: &str) {
    golden(
        &format!("timeline-{scenario}-{run}.{format}"),
        &["timeline", scenario, "--run", run, "--format", format],
        None,
    );
}

#[test]
fn timeline_stalin_expelled_3() {
    timeline("stalin-expelled", "3", "json");
}

#[test]
fn timeline_otl_1() {
    timeline("otl", "1", "json");
}

#[test]
fn timeline_free_1922_2() {
    timeline("free-1922", "2", "json");
}

#[test]
fn timeline_stalin_expelled_3_text() {
    timeline("stalin-expelled", "3", "text");
}

#[test]
fn timeline_lenin_lives_5_bbcode() {
    timeline("lenin-lives", "5", "bbcode");
}

#[test]
fn validate_json() {
    golden(
        "validate.json",
        &["validate", "--runs", "500", "--seed", "1", "--json"],
        None,
    );
}

#[test]
fn claims_json() {
    golden(
        "claims.json",
        &[
            "claims",
            "--runs",
            "200",
            "--prior-runs",
            "200",
            "--seed",
            "1",
            "--json",
        ],
        None,
    );
}
