//! The real binary against recorded history and edited data: validation's scores and report, a
//! sabotaged model failing, the targets the model keeps, and every data file read from `--data`.

mod binary;

use binary::*;

#[test]
fn validate_json_scores_every_target_against_its_null() {
    let (code, v) = validate("300", None);
    let targets = v["targets"].as_array().unwrap();
    for t in targets {
        for key in ["observed", "model", "null", "rule", "role", "kind"] {
            assert!(t[key].is_string(), "{key} of {t}");
        }
        assert!(!t["null"].as_str().unwrap().is_empty(), "{t}");
        assert!(t["skill"].is_number(), "{t}");
        assert!(
            t["score"]["model"].is_number() && t["score"]["null"].is_number(),
            "{t}"
        );
        let metric = t["score"]["metric"].as_str().unwrap();
        assert!(["log", "crps"].contains(&metric), "{t}");
        // A pass needs both the null beaten and the rule.
        assert_eq!(
            t["pass"].as_bool().unwrap(),
            t["beats_null"].as_bool().unwrap() && t["rule_holds"].as_bool().unwrap(),
            "{t}"
        );
        if t["role"] == "calibrated" {
            assert!(t["fitted"].as_str().is_some_and(|f| !f.is_empty()), "{t}");
        }
    }
    // The verdict counts validation targets only, and the exit status follows it.
    let validation: Vec<&Value> = targets
        .iter()
        .filter(|t| t["role"] == "validation")
        .collect();
    assert!(validation.len() >= 10 && validation.len() < targets.len());
    let all = validation.iter().all(|t| t["pass"] == true);
    assert_eq!(v["pass"], all);
    assert_eq!(v["verdict"]["validation_targets"], validation.len());
    assert_eq!(code, Some(if all { 0 } else { 1 }));
    // Dated targets are scored over all worlds: the model's share of worlds near the recorded month
    // is out of every world, and a world where the event never comes counts.
    let dated = target(&v, "trotsky_expelled");
    assert_eq!(dated["kind"], "date");
    assert!(dated["model"]
        .as_str()
        .unwrap()
        .contains("never by the run's end"));
    assert!(targets.iter().any(|t| t["kind"] == "path"));
    assert!(targets.iter().any(|t| t["run"] == "free"));
    let series = target(&v, "grain_harvests_1928_1940");
    assert_eq!(series["years"].as_array().unwrap().len(), 13);
}

#[test]
fn validate_report_writes_the_pit_histogram_and_coverage_plot() {
    let path = std::env::temp_dir().join(format!("razvilka-validate-{}.html", std::process::id()));
    let out = razvilka()
        .args([
            "validate",
            "--runs",
            "100",
            "--report",
            path.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains(r#"class="chart pit""#) && page.contains(r#"class="chart coverage""#));
    assert!(page.contains("Validation targets") && page.contains("Calibrated targets"));
    // One PIT bar per tenth, and one coverage point per nominal band from 10% to 90%.
    assert_eq!(page.matches(r#"<rect class="pit""#).count(), 10);
    assert_eq!(page.matches(r#"<circle class="coverage""#).count(), 9);
}

/// The targets of a `validate --json` answer that passed.
fn passed(v: &Value) -> Vec<String> {
    v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["pass"] == true)
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect()
}

/// What the unmodified model passes at 1,000 worlds and seed 1, with a margin (docs/validation.md has
/// the whole table, failures included). A change that loses one of these loses fidelity.
/// (`politburo_loyal_1930` left the list when the leaders' mortality came from a sourced life table:
/// the recorded 0.9 now sits exactly on the model's 95th percentile and fails the band rule at its
/// edge, skill unchanged at +0.59; the same change passes `zinoviev_expelled`, which joined it.
/// `zinoviev_expelled` left again with the truce after Lenin's letter, which delays the whole ladder
/// and so Zinoviev's expulsion, to a median of late 1930, skill −0.70 bits; the same change brings
/// Trotsky's removal from the War Commissariat to a median of January 1925, +2.77 bits, which joined.)
const PASSED_BY_THE_MODEL: [&str; 16] = [
    "stalin_leads_1930",
    "stalin_leads_1941",
    "trotsky_loses_army",
    "gdp_path_1929_1939",
    "third_period_1932",
    "path_recorded",
    "free_stalin_leads_1930",
    "free_path_recorded",
    "testament_stalin_stays",
    "gdp_growth_1928_1940",
    "grain_harvests_1928_1940",
    "nsdap_1930",
    "nsdap_1932_07",
    "hitler_chancellor_month",
    "nazi_germany_1934",
    "barbarossa_month",
];

#[test]
fn the_unmodified_model_passes_what_it_should() {
    let dir = data_copy("validate-unmodified");
    let (_, builtin) = validate("1000", None);
    // --data is read for the targets and series too: an unchanged copy scores exactly the same.
    let (_, copied) = validate("1000", Some(&dir));
    assert_eq!(builtin, copied);
    let passed = passed(&builtin);
    for id in PASSED_BY_THE_MODEL {
        assert!(
            passed.iter().any(|p| p == id),
            "{id}: {:#}",
            target(&builtin, id)
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn validation_fails_a_sabotaged_model_and_names_the_targets() {
    let (_, honest) = validate("1000", None);
    let honest_passed = passed(&honest);
    let check = |name: &str, edits: &[(&str, f64)], expected: &[&str]| {
        let dir = data_copy(name);
        for (key, value) in edits {
            sabotage(&dir, key, *value);
        }
        let (code, v) = validate("1000", Some(&dir));
        assert_eq!(code, Some(1), "{name}: validate must fail");
        for id in expected {
            assert_eq!(
                target(&v, id)["pass"],
                false,
                "{name}: {id} should fail: {:#}",
                target(&v, id)
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
        v
    };
    // No weather: the same harvest for the same policy every year.
    let v = check(
        "no-weather",
        &[("economy.harvest_sd", 0.0)],
        &["grain_harvests_1928_1940"],
    );
    assert!(honest_passed
        .iter()
        .any(|p| p == "grain_harvests_1928_1940"));
    assert!(target(&v, "grain_harvests_1928_1940")["model"]
        .as_str()
        .unwrap()
        .contains("outside"));
    // The Nazi vote frozen at its 1928 level (2.6%, whatever the unemployment).
    check(
        "frozen-nazi-vote",
        &[
            ("germany.nsdap_intercept", 2.63),
            ("germany.nsdap_per_million", 0.0),
            ("germany.nsdap_sd", 0.0),
        ],
        &[
            "nsdap_1930",
            "nsdap_1932_07",
            "nsdap_1924_12",
            "hitler_chancellor_month",
            "nazi_germany_1934",
            "path_recorded",
        ],
    );
    // No purge: repression never reaches the party's threshold, and the army's purge discharges no one.
    let v = check(
        "no-purge",
        &[("fates.purge_threshold", 1.0), ("war.purge_rate", 0.0)],
        &["zinoviev_executed", "bukharin_executed", "officers_purged"],
    );
    for id in ["zinoviev_executed", "bukharin_executed", "officers_purged"] {
        let (with, without) = (
            target(&honest, id)["skill"].as_f64().unwrap(),
            target(&v, id)["skill"].as_f64().unwrap(),
        );
        assert!(
            without < with,
            "{id}: no purge scores {without}, the model {with}"
        );
    }
}

#[test]
fn every_assumption_has_provenance() {
    let v = json(&["assumptions", "--json"]);
    let list = v.as_array().unwrap();
    assert!(list.len() > 50);
    for a in list {
        assert!(["source", "calibration", "judgment"].contains(&a["provenance"].as_str().unwrap()));
        assert!(a["basis"].as_str().unwrap().len() > 20, "{a}");
    }
}

#[test]
fn edited_data_files_are_read_and_checked() {
    let dir = data_copy("data");
    // An unchanged copy runs exactly as the built-in data.
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "stalin-expelled", "--runs", "50", "--json"];
        args.extend_from_slice(extra);
        razvilka().args(&args).output().unwrap()
    };
    let builtin = run(&[]);
    let copied = run(&["--data", dir.to_str().unwrap()]);
    assert!(copied.status.success());
    assert_eq!(builtin.stdout, copied.stdout);
    // The model obeys the calendar of the copy: without the September 1930 election the Nazis'
    // breakthrough waits for July 1932, and Germany's path changes.
    let germany = std::fs::read_to_string(dir.join("germany.toml")).unwrap();
    let early = germany.replacen("\"reichstag_1930_09\", ", "", 1);
    assert_ne!(
        early, germany,
        "the calendar lists the September 1930 election"
    );
    std::fs::write(dir.join("germany.toml"), &early).unwrap();
    let edited = run(&["--data", dir.to_str().unwrap()]);
    assert!(edited.status.success());
    assert!(
        builtin.stdout != edited.stdout,
        "the edited calendar changed nothing"
    );
    // A calendar naming a date the files lack is a located error.
    std::fs::write(
        dir.join("germany.toml"),
        germany.replacen("\"reichstag_1932_11\"", "\"reichstag_1932_12\"", 1),
    )
    .unwrap();
    let unknown = run(&["--data", dir.to_str().unwrap()]);
    assert_eq!(unknown.status.code(), Some(2));
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        err.contains("germany.toml:")
            && err.contains("no [[date]] or [[election]] has the id `reichstag_1932_12`"),
        "{err}"
    );
    std::fs::write(dir.join("germany.toml"), &germany).unwrap();
    // A broken row is a located error, not a panic.
    let people = std::fs::read_to_string(dir.join("people.toml")).unwrap();
    std::fs::write(
        dir.join("people.toml"),
        people.replacen("prestige = 0.55", "prestige = 1.55", 1),
    )
    .unwrap();
    let broken = run(&["--data", dir.to_str().unwrap()]);
    assert_eq!(broken.status.code(), Some(2));
    let err = String::from_utf8_lossy(&broken.stderr);
    let located = format!("{}:", dir.join("people.toml").display());
    assert!(
        err.contains(&located) && err.contains("`prestige` of `stalin` is 1.55"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn claims_honour_data_dir() {
    // A copy of data/ whose claims.toml holds one question: `--data` must read it, not the built-in
    // file.
    let dir = std::env::temp_dir().join(format!("razvilka-claims-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        dir.join("claims.toml"),
        "[[question]]\nnumber = 1\nauthors = [\"Someone\"]\nposts = [1]\nquote = \"who leads?\"\nasks = \"Who leads in 1930?\"\nreading = \"r\"\nmechanism = \"m\"\nworld = \"otl\"\noutcomes = [\"leader_1930\"]\n",
    )
    .unwrap();
    let out = razvilka()
        .arg("--data")
        .arg(&dir)
        .args(["claims", "--runs", "20", "--prior-runs", "20", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["claims"].as_array().unwrap().len(), 0, "{json}");
    assert_eq!(
        json["questions"][0]["question"]["asks"],
        "Who leads in 1930?"
    );
    // A broken claims.toml there is reported under its own path.
    std::fs::write(dir.join("claims.toml"), "[[question]]\nnumber = \"one\"\n").unwrap();
    let out = razvilka()
        .arg("--data")
        .arg(&dir)
        .args(["claims", "--runs", "20", "--prior-runs", "20"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{}:2:", dir.join("claims.toml").display())),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
