use super::*;

#[test]
fn crps_of_an_ensemble_matches_its_definition() {
    let xs = [1.0, 2.0, 4.0, 7.0];
    let y = 3.0;
    let n = xs.len() as f64;
    let direct: f64 = xs.iter().map(|x: &f64| (x - y).abs()).sum::<f64>() / n
        - xs.iter()
            .flat_map(|a| xs.iter().map(move |b: &f64| (a - b).abs()))
            .sum::<f64>()
            / (2.0 * n * n);
    assert!((crps_sorted(&xs, y) - direct).abs() < 1e-12);
    // A point forecast's CRPS is its absolute error.
    assert!((crps_sorted(&[5.0], 2.0) - 3.0).abs() < 1e-12);
}

#[test]
fn crps_of_a_uniform_matches_a_fine_ensemble() {
    let grid: Vec<f64> = (0..20_001)
        .map(|i| 2.0 + 8.0 * i as f64 / 20_000.0)
        .collect();
    for y in [0.0, 2.0, 3.5, 9.0, 13.0] {
        let exact = crps_uniform(2.0, 10.0, y);
        assert!((crps_sorted(&grid, y) - exact).abs() < 1e-3, "y = {y}");
    }
}

#[test]
fn a_uniform_in_window_model_does_not_beat_a_uniform_null() {
    // The sabotage the issue names: each dated event dropped at a uniformly random month of its
    // window. 2,000 worlds spread exactly evenly over 40 months: 50 in the recorded month.
    let score = log_score(50, 2000, 1.0 / 40.0);
    assert!(!score.beats, "{score:?}");
    assert!(score.skill.abs() < 0.05, "{score:?}");
    // A model that concentrates a fifth of its worlds on the recorded month beats it.
    assert!(log_score(400, 2000, 1.0 / 40.0).beats);
    // One that never produces the recorded month loses to it.
    let never = log_score(0, 2000, 1.0 / 40.0);
    assert!(!never.beats && never.skill < -10.0, "{never:?}");
}

/// Worlds in which Trotsky is expelled in the months `months` gives, one world each.
fn worlds_expelling_trotsky(data: &Data, months: impl Iterator<Item = Month>) -> Vec<Outcome> {
    let trotsky = data.people.find("trotsky").unwrap();
    months
        .map(|m| Outcome {
            years: Vec::new(),
            milestones: vec![(trotsky, Milestone::Reached(Fate::Expelled), m)],
            europe: razvilka_world::Europe::default(),
        })
        .collect()
}

#[test]
fn a_model_that_drops_the_event_uniformly_in_its_window_fails() {
    let data = Data::builtin().unwrap();
    let text = r#"[[target]]
id = "trotsky_expelled"
run = "baseline"
role = "validation"
text = "Trotsky is expelled"
source = "politics.md"
kind = "date"
person = "trotsky"
milestone = "fate:expelled"
observed = "1927-11"
null = { from = "1924-05", to = "1930-12", why = "the succession struggle" }
rule = "in_band"
"#;
    let targets = parse(&data, (text, "targets.toml"), (ECONOMY, "economy.toml")).unwrap();
    let from = Month::new(1924, 5);
    // 2,000 worlds spread evenly over the 80 months of the window: the old rule (a share in the
    // window and the record inside the band) passed this; the null does not let it.
    let uniform = worlds_expelling_trotsky(&data, (0..2000).map(|i| from.offset(i % 80)));
    let row = targets[0].check(&data, &uniform);
    assert!(
        row.rule_holds,
        "the record lies inside a uniform band: {row:?}"
    );
    assert!(!row.beats_null && !row.pass, "{row:?}");
    // A model that puts a third of its worlds within a month of the record passes.
    let sharp = worlds_expelling_trotsky(
        &data,
        (0..2000).map(|i| {
            if i % 3 == 0 {
                Month::new(1927, 11)
            } else {
                from.offset(i % 80)
            }
        }),
    );
    let row = targets[0].check(&data, &sharp);
    assert!(row.beats_null && row.pass && row.skill > 1.0, "{row:?}");
    // Worlds where it never happens count: with nine in ten never expelling him, the same timing
    // no longer beats the null.
    let mostly_never: Vec<Outcome> = sharp
        .into_iter()
        .enumerate()
        .map(|(i, mut o)| {
            if i % 10 != 0 {
                o.milestones.clear();
            }
            o
        })
        .collect();
    let row = targets[0].check(&data, &mostly_never);
    assert!(!row.pass, "{row:?}");
}

#[test]
fn mid_pit_counts_ties_half() {
    let xs = [1.0, 2.0, 2.0, 3.0];
    assert_eq!(mid_pit(&xs, 2.0), 0.5);
    assert_eq!(mid_pit(&xs, 0.0), 0.0);
    assert_eq!(mid_pit(&xs, 9.0), 1.0);
    // A record at the top of a model that piles up there is not "inside the band" for free.
    assert_eq!(mid_pit(&[0.0, 0.9, 0.9, 0.9], 0.9), 0.625);
}

fn years(pits: &[f64]) -> Vec<SeriesYear> {
    pits.iter()
        .enumerate()
        .map(|(i, p)| SeriesYear {
            year: 1928 + i as u32,
            observed: 0.0,
            p05: 0.0,
            p50: 0.0,
            p95: 0.0,
            pit: *p,
        })
        .collect()
}

#[test]
fn coverage_flags_misses_and_one_sided_records() {
    // 13 years: a calibrated 90% band covers 10 or more 19 times in 20.
    let fair = Coverage::of(&years(&[
        0.2, 0.7, 0.4, 0.9, 0.1, 0.6, 0.5, 0.3, 0.8, 0.45, 0.55, 0.35, 0.65,
    ]));
    assert_eq!((fair.years, fair.covered, fair.min_covered), (13, 13, 10));
    assert!(!fair.biased);
    // Every record above the model's median: inside the band, but biased.
    let high = Coverage::of(&years(&[0.7; 13]));
    assert_eq!(high.covered, 13);
    assert!(high.biased);
    // A band too narrow: most years outside.
    // One or two years: each must be inside.
    assert_eq!(Coverage::of(&years(&[0.03])).min_covered, 1);
    assert_eq!(Coverage::of(&years(&[0.5, 0.98])).min_covered, 2);
    let narrow = Coverage::of(&years(&[
        0.0, 1.0, 0.99, 0.02, 0.5, 1.0, 0.0, 0.5, 1.0, 0.0, 0.5, 1.0, 0.0,
    ]));
    assert!(narrow.covered < narrow.min_covered);
}

#[test]
fn binomial_cdf_is_exact_on_small_cases() {
    assert!((binomial_cdf(2, 0.5, 0) - 0.25).abs() < 1e-12);
    assert!((binomial_cdf(2, 0.5, 1) - 0.75).abs() < 1e-12);
    assert!((binomial_cdf(3, 0.9, 3) - 1.0).abs() < 1e-12);
}

#[test]
fn the_shipped_targets_parse_and_each_role_is_present() {
    let data = Data::builtin().unwrap();
    let targets = targets(&data).unwrap();
    assert!(targets.iter().any(|t| t.role() == Role::Validation));
    assert!(targets.iter().any(|t| t.role() == Role::Calibrated));
    let grain = targets
        .iter()
        .find_map(|t| t.recorded_series().filter(|s| s.series == "grain_harvest"))
        .expect("a grain harvest series");
    assert_eq!(grain.points.len(), 13);
}

/// Data read from a directory brings its own targets and claims; a directory that lacks one is
/// an error naming the file, not a silent fall back to the built-in copy.
#[test]
fn a_data_directory_brings_its_own_targets_and_claims() {
    let dir = std::env::temp_dir().join(format!("razvilka-companion-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in razvilka_world::DATA_FILES {
        std::fs::write(dir.join(name.trim_start_matches("data/")), text).unwrap();
    }
    let data = Data::from_dir(&dir).unwrap();
    let missing = targets(&data).err().unwrap();
    assert!(missing.file.ends_with("targets.toml"), "{missing}");
    assert!(
        missing
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("--data"),
        "{missing}"
    );
    // One target of the shipped file, and the shipped series.
    let first = TARGETS.split("\n[[target]]").nth(1).unwrap();
    std::fs::write(dir.join("targets.toml"), format!("[[target]]{first}")).unwrap();
    std::fs::write(dir.join("economy.toml"), ECONOMY).unwrap();
    let read = targets(&data).unwrap();
    assert_eq!(read.len(), 1);
    assert!(targets(&Data::builtin().unwrap()).unwrap().len() > 1);
    assert!(crate::claims::load(&data).is_err());
    std::fs::write(dir.join("claims.toml"), crate::claims::CLAIMS).unwrap();
    assert!(crate::claims::load(&data).is_ok());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn statistics_are_the_catalogues_outcomes_read_as_the_catalogue_reads_them() {
    let data = Data::builtin().unwrap();
    let number = |statistic: &str, extra: &str| {
        format!("[[target]]\nid = \"x\"\nrun = \"baseline\"\nrole = \"validation\"\ntext = \"t\"\nsource = \"s\"\nkind = \"number\"\nstatistic = \"{statistic}\"\n{extra}observed = 1.0\nnull = {{ low = 0.0, high = 2.0, why = \"w\" }}\nrule = \"in_band\"\n")
    };
    let parses = |text: &str| parse(&data, (text, "targets.toml"), (ECONOMY, "economy.toml"));
    // A catalogue outcome, a catalogue series read in a year, and validation's own statistic.
    assert!(parses(&number("famine_deaths_1930_1934", "")).is_ok());
    assert!(parses(&number("gdp", "year = 1940\nbase = 1928\n")).is_ok());
    assert!(parses(&number("politburo_loyal", "year = 1930\n")).is_ok());
    // A catalogue outcome is read in its own year: a target's year would be silently ignored.
    let err = parses(&number("famine_deaths_1930_1934", "year = 1933\n"))
        .err()
        .unwrap();
    assert!(
        err.help
            .as_deref()
            .unwrap_or_default()
            .contains("read in its own year"),
        "{err}"
    );
    // A series needs its year; an unknown name is no statistic at all.
    assert!(parses(&number("gdp", "")).is_err());
    assert!(parses(&number("gdp_ratio", "year = 1940\nbase = 1928\n")).is_err());
    // `absent` belongs to catalogue outcomes only, and must be a number.
    assert!(parses(&number("soviet_military_deaths", "absent = 0.0\n")).is_ok());
    assert!(parses(&number("politburo_loyal", "year = 1930\nabsent = 0.0\n")).is_err());
    assert!(parses(&number("soviet_military_deaths", "absent = nan\n")).is_err());
}

#[test]
fn a_target_without_its_null_is_refused_with_its_location() {
    let data = Data::builtin().unwrap();
    let text = "[[target]]\nid = \"x\"\nrun = \"baseline\"\nrole = \"validation\"\ntext = \"t\"\nsource = \"s\"\nkind = \"number\"\nstatistic = \"gdp\"\nyear = 1940\nbase = 1928\nobserved = 1.8\n";
    let err = parse(&data, (text, "targets.toml"), (ECONOMY, "economy.toml"))
        .err()
        .unwrap();
    assert_eq!((err.file.as_str(), err.line), ("targets.toml", 1));
    assert!(err.message.contains("target `x`"), "{err}");
    assert!(err.help.unwrap().contains("null = { low, high, why }"));
    // A validation target that names something fitted to it contradicts itself.
    let fitted = text.replace(
        "role = \"validation\"",
        "role = \"validation\"\nfitted = \"economy.tfp_growth_industry\"",
    );
    let err = parse(&data, (&fitted, "targets.toml"), (ECONOMY, "economy.toml"))
        .err()
        .unwrap();
    assert!(err.message.contains("nothing fitted"), "{err}");
    // A series id that economy.toml does not hold.
    let series = "[[target]]\nid = \"s\"\nrun = \"baseline\"\nrole = \"validation\"\ntext = \"t\"\nsource = \"s\"\nkind = \"series\"\nstatistic = \"gdp\"\nseries = \"gdp_nowhere\"\nyears = [1929, 1939]\nbase = 1928\nnull = { low = 0.8, high = 2.2, why = \"w\" }\n";
    let err = parse(&data, (series, "targets.toml"), (ECONOMY, "economy.toml"))
        .err()
        .unwrap();
    assert!(
        err.help
            .as_deref()
            .unwrap()
            .contains("an id in economy.toml"),
        "{err}"
    );
}
