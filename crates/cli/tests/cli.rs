//! The real binary on real files: the JSON contract, determinism across threads, errors with exit
//! status 2, the timeline formats, the reports, exports, claims, sensitivity and progress.

mod binary;

use binary::*;

#[test]
fn run_json_follows_the_contract() {
    let v = json(&[
        "run",
        "../../scenarios/stalin-expelled.toml",
        "--runs",
        "300",
        "--seed",
        "7",
        "--json",
    ]);
    assert_eq!(v["scenario"], "stalin-expelled");
    assert_eq!(v["runs"], 300);
    assert_eq!(v["seed"], 7);
    for key in [
        "leader_1926",
        "leader_1930",
        "leader_1940",
        "stalin_fate_1930",
        "stalin_fate_1941",
        "regime_1935",
    ] {
        let values = v["categorical"][key]
            .as_object()
            .unwrap_or_else(|| panic!("categorical.{key}"));
        let total: f64 = values.values().map(|p| p.as_f64().unwrap()).sum();
        assert!((total - 1.0).abs() < 1e-9, "{key} sums to {total}");
    }
    let fates = [
        "in_leadership",
        "in_party",
        "readmitted",
        "expelled",
        "internal_exile",
        "caucasus_base",
        "revolt",
        "breakaway",
        "imprisoned",
        "abroad",
        "dead_natural",
        "executed",
        "killed",
        "suicide",
    ];
    for value in v["categorical"]["stalin_fate_1941"]
        .as_object()
        .unwrap()
        .keys()
    {
        assert!(fates.contains(&value.as_str()), "undocumented fate {value}");
    }
    for value in v["categorical"]["leader_1930"].as_object().unwrap().keys() {
        assert!(
            value == "collective" || v["people"].get(value).is_some(),
            "leader {value} is a person id"
        );
    }
    assert!(v["people"]["molotov"].is_object());
    for (_, q) in v["numeric"].as_object().unwrap() {
        for k in ["mean", "p05", "p50", "p95"] {
            assert!(q[k].is_number(), "{q}");
        }
        assert!(q["p05"].as_f64() <= q["p50"].as_f64() && q["p50"].as_f64() <= q["p95"].as_f64());
    }
}

#[test]
fn same_seed_same_bytes_on_any_thread_count() {
    let run = |threads: &str| {
        razvilka()
            .args([
                "run",
                "stalin-expelled",
                "--runs",
                "400",
                "--seed",
                "7",
                "--json",
                "--threads",
                threads,
            ])
            .output()
            .unwrap()
            .stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("2"));
}

#[test]
fn bad_scenarios_exit_2_with_a_location() {
    let dir = std::env::temp_dir().join(format!("razvilka-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    let good = std::fs::read_to_string("../../scenarios/stalin-expelled.toml").unwrap();
    std::fs::write(
        &path,
        good.replace("person = \"stalin\"", "person = \"stalin\"\nwhen = 3"),
    )
    .unwrap();
    let out = razvilka()
        .args(["check", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml:") && err.contains("unknown field `when`"),
        "{err}"
    );
    assert!(err.contains("help:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let out = razvilka()
        .args(["run", "no-such-scenario"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stalin-expelled"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_accepts_every_shipped_scenario() {
    for name in [
        "otl",
        "stalin-expelled",
        "stalin-demoted",
        "lenin-lives",
        "free-1922",
    ] {
        let path = format!("../../scenarios/{name}.toml");
        razvilka().args(["check", &path]).assert().success();
    }
}

/// The timeline of world 2 of the seed scenario in `format`.
fn timeline(format: &str) -> String {
    let out = razvilka()
        .args([
            "timeline",
            "stalin-expelled",
            "--run",
            "2",
            "--format",
            format,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn timeline_in_every_format() {
    let text = timeline("text");
    assert!(text.contains("⑂") && text.contains("1924-05"), "{text}");
    assert!(
        text.contains("Joseph Stalin"),
        "named in full at first mention"
    );
    let md = timeline("md");
    assert!(
        md.starts_with("## ") && md.contains("### 1924") && md.contains("- **May 1924**"),
        "{md}"
    );
    let bb = timeline("bbcode");
    assert!(
        bb.contains("[list]") && bb.contains("[/list]") && bb.contains("[quote]"),
        "{bb}"
    );
    let v: Value = serde_json::from_str(&timeline("json")).unwrap();
    let entries = v["entries"].as_array().unwrap();
    assert!(entries.iter().any(|e| e["mark"] == "divergence"));
    assert!(entries.iter().any(|e| e["mark"] == "recorded"));
    for field in ["month", "date", "text", "mark", "kind"] {
        assert!(entries.iter().all(|e| e[field].is_string()), "{field}");
    }
    let summary = v["summary"].as_str().unwrap();
    assert!(summary.contains("leads the Soviet Union") || summary.contains("no one man"));
    assert!(v["description"].as_str().unwrap().contains("Lenin"));
    assert!(
        text.contains(summary.split_whitespace().next().unwrap()),
        "the text opens with the summary"
    );
}

#[test]
fn compare_reports_paired_changes() {
    let v = json(&[
        "compare",
        "otl",
        "stalin-expelled",
        "--runs",
        "200",
        "--json",
    ]);
    assert_eq!(v["twins_free_from"], "1924-05");
    let changed = v["paired"]["stalin_fate_1930"]["value"].as_f64().unwrap();
    // Not every pair: a natural death before 1930 comes from the same draw in both twins.
    assert!(
        changed > 0.8,
        "expelling Stalin changes his fate: {changed}"
    );
    assert!(v["a"]["categorical"]["leader_1930"].is_object());
}

#[test]
fn help_teaches() {
    let out = razvilka().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for word in [
        "run", "compare", "timeline", "check", "validate", "Examples",
    ] {
        assert!(help.contains(word), "{help}");
    }
}

/// Data-driven: each `tests/bad/NAME.toml` must fail `razvilka check` with exit status 2 and exactly
/// the error in `tests/bad/NAME.expected`. Set RAZVILKA_BLESS=1 to write the expected files anew
/// (then read the diff like code).
#[test]
fn bad_scenarios_give_the_expected_errors() {
    let dir = std::path::Path::new("tests/bad");
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
    {
        let out = razvilka()
            .args(["check", path.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", path.display());
        let stderr = String::from_utf8(out.stderr).unwrap();
        let expected_path = path.with_extension("expected");
        if std::env::var_os("RAZVILKA_BLESS").is_some() {
            std::fs::write(&expected_path, &stderr).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| {
            panic!(
                "missing {}: run with RAZVILKA_BLESS=1",
                expected_path.display()
            )
        });
        assert_eq!(stderr, expected, "{}", path.display());
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} bad scenarios found");
}

#[test]
fn bad_arguments_exit_2_without_a_panic() {
    for args in [
        vec!["run", "otl", "--runs", "0"],
        vec!["run", "otl", "--threads", "100000"],
        vec!["validate", "--runs", "0"],
        vec!["timeline", "otl", "--format", "pdf"],
    ] {
        let out = razvilka().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("error") && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn claims_prints_every_claim_with_its_post_and_verdicts_then_the_questions() {
    let out = razvilka()
        .args([
            "claims",
            "--runs",
            "40",
            "--prior-runs",
            "40",
            "--seed",
            "2",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("    Verdict: ").count(), 14, "{text}");
    assert_eq!(
        text.matches("    With the priors sampled: ").count(),
        14,
        "{text}"
    );
    for n in 2..=15 {
        assert!(
            text.contains(&format!("{n:>2}. ")),
            "claim {n} missing:\n{text}"
        );
    }
    // Claim 2 quotes Admiral Halsey's post 2.
    assert!(
        text.contains(
            " 2. Admiral Halsey, posts 2 and 7 — \"The Soviet Union might end up loosing WW2."
        ),
        "{text}"
    );
    // The questions come after the claims, the opening post's first.
    let claims_end = text.find("15. ").unwrap();
    let q1 = text
        .find("Q1. MarshalBraginsky, post 1 — ")
        .expect("question 1");
    assert!(q1 > claims_end, "{text}");
}

#[test]
fn a_bad_claims_file_is_refused_with_its_location() {
    let dir = std::env::temp_dir().join(format!("razvilka-claims-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("claims.toml");
    std::fs::write(
        &file,
        "[[claim]]\nnumber = 1\nauthors = [\"x\"]\nposts = [3]\nquote = \"q\"\nclaim = \"c\"\nreading = \"r\"\nmechanism = \"m\"\nworld = \"otl\"\ntest = \"level\"\nevent = [{ outcome = \"war_outcome\", at_least = 1.0 }]\nsupported = { at_least = 0.5 }\nrefuted = { at_most = 0.2 }\nthresholds = \"t\"\n",
    )
    .unwrap();
    let out = razvilka()
        .args(["claims", "--file", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("claims.toml:11:"), "{err}");
    assert!(err.contains("is categorical"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn run_writes_a_self_contained_html_report() {
    let dir = std::env::temp_dir().join(format!("razvilka-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("r.html");
    let plain = razvilka()
        .args(["run", "otl", "--runs", "50"])
        .output()
        .unwrap();
    let out = razvilka()
        .args(["run", "otl", "--runs", "50", "--report"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The usual report is unchanged on stdout; the file is noted on stderr.
    assert_eq!(out.stdout, plain.stdout);
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrote "));
    let page = std::fs::read_to_string(&file).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.trim_end().ends_with("</html>"));
    // Probability bars, fan charts and stacked fate bars are all there.
    assert!(charts(&page, "bars") >= 9, "{}", charts(&page, "bars"));
    assert!(charts(&page, "fan") >= 10, "{}", charts(&page, "fan"));
    assert!(
        charts(&page, "stacked") >= 2,
        "{}",
        charts(&page, "stacked")
    );
    assert_eq!(page.matches("<svg").count(), page.matches("</svg>").count());
    // Nothing runs and nothing is fetched: no script, no stylesheet or image links, and no URL
    // outside the text of the assumptions' sources (the SVG namespace is an identifier, not a fetch).
    assert!(!page.to_lowercase().contains("<script"));
    assert!(!page.contains("<link") && !page.contains("<img") && !page.contains("src="));
    let (charts_part, sources) = page.split_at(page.find("id=\"assumptions\"").unwrap());
    let without_namespace = charts_part.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!without_namespace.contains("http://") && !without_namespace.contains("https://"));
    assert!(!sources.contains("url("));
    // The sections a reader looks for.
    for id in [
        "scenario",
        "party",
        "stalin",
        "economy",
        "war",
        "timeline",
        "assumptions",
    ] {
        assert!(page.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    assert!(page.contains("<details>"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn compare_writes_an_html_report() {
    let dir = std::env::temp_dir().join(format!("razvilka-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("c.html");
    let out = razvilka()
        .args([
            "compare",
            "otl",
            "stalin-expelled",
            "--runs",
            "40",
            "--report",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("twin pairs"));
    let page = std::fs::read_to_string(&file).unwrap();
    assert!(page.contains("Stalin expelled from the party"));
    assert!(charts(&page, "bars") >= 11 && charts(&page, "fan") >= 6);
    // Side-by-side fan charts carry both worlds.
    assert!(page.contains("A: otl") && page.contains("B: stalin-expelled"));
    assert!(!page.to_lowercase().contains("<script"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn report_to_an_unwritable_path_is_a_clear_error() {
    let out = razvilka()
        .args([
            "run",
            "otl",
            "--runs",
            "5",
            "--report",
            "/nonexistent-dir/r.html",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write /nonexistent-dir/r.html"));
}

#[test]
fn sensitivity_ranks_assumptions_by_sobol_index_and_by_tornado() {
    let v = json(&[
        "sensitivity",
        "otl",
        "--output",
        "industry_1940",
        "--n",
        "16",
        "--resamples",
        "50",
        "--json",
    ]);
    let ranked = v["ranked"].as_array().unwrap();
    // Every free assumption and the world's luck, by total index.
    assert!(ranked.len() > 150, "{}", ranked.len());
    let totals: Vec<f64> = ranked
        .iter()
        .map(|r| r["total"].as_f64().unwrap())
        .collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
    assert_eq!(v["worlds"], 16 * (ranked.len() + 2));
    let t = json(&[
        "sensitivity",
        "otl",
        "--output",
        "war_outcome=no_war",
        "--tornado",
        "--runs",
        "8",
        "--json",
    ]);
    let bars = t["bars"].as_array().unwrap();
    let width = |b: &Value| (b["at_high"].as_f64().unwrap() - b["at_low"].as_f64().unwrap()).abs();
    assert!(bars.windows(2).all(|w| width(&w[0]) >= width(&w[1])));
    assert!(
        width(&bars[0]) > 0.0,
        "some assumption moves the share of worlds without a war"
    );
}

#[test]
fn sensitivity_refuses_unknown_and_undefined_outputs() {
    for (output, says, code) in [
        ("war_outcom=x", "is not a categorical outcome", 2),
        ("war_outcome", "is categorical: name one of its values", 2),
        ("war_end_month", "has no value in", 1),
    ] {
        let out = razvilka()
            .args(["sensitivity", "otl", "--output", output, "--n", "16"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{output}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{output}: {err}");
    }
}

#[test]
fn run_out_writes_one_row_per_run_and_still_prints_the_summary() {
    let dir = std::env::temp_dir().join(format!("razvilka-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let args = ["run", "otl", "--runs", "20", "--seed", "3", "--json"];
    let plain = razvilka().args(args).output().unwrap();
    for (file, series, format) in [
        ("runs.csv", false, "CSV"),
        ("runs.jsonl", true, "JSON Lines"),
        ("runs.parquet", true, "Parquet"),
    ] {
        let path = dir.join(file);
        let mut command = razvilka();
        command.args(args).arg("--out").arg(&path);
        if series {
            command.arg("--series");
        }
        let out = command.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The file comes in addition to the summary, which does not change.
        assert_eq!(out.stdout, plain.stdout, "{file}");
        let err = String::from_utf8_lossy(&out.stderr);
        let note = format!("wrote 20 runs to {} ({format})", path.display());
        assert!(err.contains(&note), "{err}");
        let bytes = std::fs::read(&path).unwrap();
        match format {
            "CSV" => {
                let text = String::from_utf8(bytes).unwrap();
                assert_eq!(text.lines().count(), 21, "a header and 20 rows");
                assert!(text.starts_with("run,seed,leader_1926,"), "{text}");
                assert!(!text.contains("series_"), "no series without --series");
            }
            "JSON Lines" => {
                let text = String::from_utf8(bytes).unwrap();
                let rows: Vec<Value> = text
                    .lines()
                    .map(|l| serde_json::from_str(l).unwrap())
                    .collect();
                assert_eq!(rows.len(), 20);
                assert_eq!(rows[19]["run"], 19);
                assert_eq!(rows[0]["seed"], 3);
                assert!(rows[0]["series_gdp_1930"].is_number(), "{}", rows[0]);
            }
            _ => assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1")),
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn run_out_rejects_unknown_extensions_before_running() {
    let path = std::env::temp_dir().join(format!("razvilka-out-{}.xlsx", std::process::id()));
    let out = razvilka()
        .args(["run", "otl", "--runs", "5", "--out"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "no report for a run that cannot be saved"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&path.display().to_string())
            && err.contains(".csv, .jsonl (or .ndjson), .parquet"),
        "{err}"
    );
    assert!(!path.exists());
    // --series means nothing without a file.
    let out = razvilka()
        .args(["run", "otl", "--runs", "5", "--series"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out"));
}

#[test]
fn claims_write_an_html_page_with_every_claim_and_its_chart() {
    let dir = std::env::temp_dir().join(format!("razvilka-claims-page-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("claims.html");
    let out = razvilka()
        .args(["claims", "--runs", "30", "--prior-runs", "30", "--report"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(&file).unwrap();
    assert_eq!(page.matches("<h3 id=\"claim-").count(), 14);
    assert!(page.matches("<svg").count() >= 14);
    assert_eq!(
        page.matches("<blockquote>").count(),
        14 + page.matches("<h3 id=\"question-").count()
    );
    assert!(
        page.contains("id=\"question-1\""),
        "the questions follow the claims"
    );
    assert!(!page.contains("<script"));
    std::fs::remove_dir_all(&dir).ok();
}

/// When stderr is not a terminal, a long run prints a progress line every few seconds (here every
/// hundredth of a second, through RAZVILKA_PROGRESS_EVERY) and a closing line; `--quiet` prints none,
/// and stdout is the same either way.
#[test]
fn progress_lines_on_a_non_terminal_stderr_and_quiet() {
    let args = [
        "run",
        "otl",
        "--runs",
        "400",
        "--seed",
        "3",
        "--json",
        "--threads",
        "1",
    ];
    let loud = razvilka()
        .args(args)
        .env("RAZVILKA_PROGRESS_EVERY", "0.01")
        .output()
        .unwrap();
    assert!(loud.status.success());
    let err = String::from_utf8_lossy(&loud.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("otl: ")).collect();
    assert!(lines.len() >= 2, "{err}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("/400 (") && l.contains("left")),
        "{err}"
    );
    assert!(lines.last().unwrap().contains("400/400 done in"), "{err}");
    let quiet = razvilka()
        .args(args)
        .arg("--quiet")
        .env("RAZVILKA_PROGRESS_EVERY", "0.01")
        .output()
        .unwrap();
    assert!(quiet.status.success());
    assert_eq!(String::from_utf8_lossy(&quiet.stderr), "");
    assert_eq!(quiet.stdout, loud.stdout);
    let bad = razvilka()
        .args(["run", "otl", "--runs", "5", "--json"])
        .env("RAZVILKA_PROGRESS_EVERY", "soon")
        .output()
        .unwrap();
    assert!(bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("RAZVILKA_PROGRESS_EVERY=`soon`"));
}
