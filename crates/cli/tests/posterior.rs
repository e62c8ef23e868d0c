//! `--posterior FILE`: each world takes its assumptions from a row of a posterior sample. The same
//! file, runs and seed give the same bytes on any thread count and from the command line and the web
//! server; `claims --posterior` adds the answers under the sample and leaves those at the defaults
//! as they were.

mod support;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use support::{get, Server, TestDir};

fn razvilka() -> Command {
    Command::cargo_bin("razvilka").unwrap()
}

/// A sample of three assumption sets over three assumptions, each value at 10%, 50% or 90% of its
/// prior's range (read from the registry, so that a changed prior does not break the test).
fn sample(dir: &Path) -> PathBuf {
    let data = razvilka_world::Data::builtin().unwrap();
    let keys = [
        "politics.pursuit",
        "economy.tfp_growth_industry",
        "war.purge_rate",
    ];
    let bounds: Vec<(f64, f64)> = keys
        .iter()
        .map(|k| {
            let a = data
                .registry
                .assumptions()
                .iter()
                .find(|a| a.key == *k)
                .unwrap();
            a.prior.bounds().unwrap()
        })
        .collect();
    let rows: Vec<Vec<f64>> = [[0.1, 0.9, 0.5], [0.5, 0.1, 0.9], [0.9, 0.5, 0.1]]
        .iter()
        .map(|fractions| {
            fractions
                .iter()
                .zip(&bounds)
                .map(|(f, (low, high))| low + f * (high - low))
                .collect()
        })
        .collect();
    let path = dir.join("posterior.parquet");
    razvilka_export::posterior::write(&path, &keys, &rows).unwrap();
    path
}

fn stdout(args: &[&str]) -> String {
    let out = razvilka().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn run_under_a_posterior_streams_the_same_bytes_on_any_thread_count() {
    let dir = TestDir::new("posterior-run");
    let file = sample(dir.path());
    let f = file.to_str().unwrap();
    let csv = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (one, two) = (csv("one.csv"), csv("two.csv"));
    let args = [
        "run",
        "otl",
        "--runs",
        "120",
        "--seed",
        "5",
        "--json",
        "--posterior",
        f,
    ];
    let a = stdout(&[&args[..], &["--threads", "1", "--out", &one]].concat());
    let b = stdout(&[&args[..], &["--threads", "2", "--out", &two]].concat());
    assert_eq!(a, b);
    assert_eq!(
        std::fs::read(&one).unwrap(),
        std::fs::read(&two).unwrap(),
        "the export under the posterior depends on the thread count"
    );
    let defaults = stdout(&["run", "otl", "--runs", "120", "--seed", "5", "--json"]);
    assert_ne!(a, defaults, "the posterior sample changed nothing");
    // The export's assumption columns are not part of it; the worlds differ, which the summary shows.
    let (a, d): (Value, Value) = (
        serde_json::from_str(&a).unwrap(),
        serde_json::from_str(&defaults).unwrap(),
    );
    assert_eq!(a["runs"], d["runs"]);
}

#[test]
fn serve_posterior_answers_with_the_bytes_of_the_command_line() {
    let dir = TestDir::new("posterior-serve");
    let file = sample(dir.path());
    let f = file.to_str().unwrap();
    let server = Server::start(&dir.path().join("x.db"), &["--posterior", f]);
    let cli = stdout(&[
        "run",
        "otl",
        "--runs",
        "60",
        "--seed",
        "3",
        "--json",
        "--posterior",
        f,
    ]);
    let web = get(&server.addr, "/api/run?scenario=otl&runs=60&seed=3").unwrap();
    assert_eq!(web.status, 200, "{}", web.body);
    assert_eq!(
        web.body, cli,
        "/api/run under the posterior is not `run --posterior --json`"
    );
    let defaults = stdout(&["run", "otl", "--runs", "60", "--seed", "3", "--json"]);
    assert_ne!(web.body, defaults);

    let cli: Value = serde_json::from_str(&stdout(&[
        "compare",
        "otl",
        "stalin-expelled",
        "--runs",
        "40",
        "--seed",
        "3",
        "--json",
        "--posterior",
        f,
    ]))
    .unwrap();
    let web = get(
        &server.addr,
        "/api/compare?a=otl&b=stalin-expelled&runs=40&seed=3",
    )
    .unwrap();
    assert_eq!(web.status, 200, "{}", web.body);
    assert_eq!(serde_json::from_str::<Value>(&web.body).unwrap(), cli);

    let cli: Value = serde_json::from_str(&stdout(&[
        "timeline",
        "otl",
        "--run",
        "7",
        "--seed",
        "3",
        "--format",
        "json",
        "--posterior",
        f,
    ]))
    .unwrap();
    let web = get(
        &server.addr,
        "/api/timeline?scenario=otl&runs=40&seed=3&run=7",
    )
    .unwrap();
    assert_eq!(web.status, 200, "{}", web.body);
    assert_eq!(serde_json::from_str::<Value>(&web.body).unwrap(), cli);

    let page = get(&server.addr, "/run?scenario=otl&runs=40&seed=3").unwrap();
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("id=\"posterior-note\"") && page.body.contains("3 assumption sets"),
        "the results page does not say it runs under the posterior"
    );
}

#[test]
fn claims_posterior_adds_the_answers_under_the_sample() {
    let dir = TestDir::new("posterior-claims");
    let file = sample(dir.path());
    let f = file.to_str().unwrap();
    let args = [
        "claims",
        "--runs",
        "60",
        "--prior-runs",
        "20",
        "--json",
        "-q",
    ];
    let without: Value = serde_json::from_str(&stdout(&args)).unwrap();
    let mut with: Value =
        serde_json::from_str(&stdout(&[&args[..], &["--posterior", f]].concat())).unwrap();
    let under = with
        .as_object_mut()
        .unwrap()
        .remove("under_posterior")
        .unwrap();
    assert_eq!(with, without, "the answers at the defaults moved");
    let claims = without["claims"].as_array().unwrap();
    let posterior = under["claims"].as_array().unwrap();
    assert_eq!(posterior.len(), claims.len());
    assert_eq!(under["rows"], 3);
    for (d, p) in claims.iter().zip(posterior) {
        assert_eq!(d["claim"]["number"], p["number"]);
        assert_eq!(d["call"], p["call_at_defaults"]);
    }
    assert!(
        claims
            .iter()
            .zip(posterior)
            .any(|(d, p)| d["answer"]["value"] != p["answer"]["value"]),
        "no claim's answer moved under the posterior"
    );
    let text = stdout(&[
        "claims",
        "--runs",
        "60",
        "--prior-runs",
        "20",
        "-q",
        "--posterior",
        f,
    ]);
    assert!(text.contains("Under the posterior sample"), "{text}");
}

#[test]
fn a_bad_posterior_file_is_a_clear_error() {
    let dir = TestDir::new("posterior-bad");
    let missing = dir.path().join("missing.parquet");
    for command in [
        &["run", "otl", "--runs", "5"][..],
        &["claims", "--runs", "5"][..],
    ] {
        let out = razvilka()
            .args(command)
            .arg("--posterior")
            .arg(&missing)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{command:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("cannot read the posterior sample") && err.contains("missing.parquet"),
            "{err}"
        );
    }
    let bad = dir.path().join("bad.parquet");
    razvilka_export::posterior::write(&bad, &["politics.pursuit"], &[vec![0.2], vec![7.0]])
        .unwrap();
    let out = razvilka()
        .args(["run", "otl", "--runs", "5", "--posterior"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.parquet, row 1, column `politics.pursuit`"),
        "{err}"
    );
}
