//! Ensembles: the same results on any thread count; twins that differ only by the intervention.

use razvilka_ensemble::{compare, run, run_pairs, summarize, Mean, Options, TURNING_POINTS};
use razvilka_world::{builtin_scenario, Data, Scenario};

fn setup(name: &str) -> (Data, Scenario) {
    let data = Data::builtin().unwrap();
    let s = Scenario::parse(builtin_scenario(name).unwrap(), name, &data.context()).unwrap();
    (data, s)
}

#[test]
fn summaries_do_not_depend_on_thread_count() {
    let (data, s) = setup("stalin-expelled");
    let summary = |threads| {
        let outcomes = run(
            &data,
            &s,
            Options {
                runs: 300,
                seed: 9,
                threads,
            },
            &|| {},
        )
        .unwrap();
        serde_json::to_string(&summarize(&data, &s, 9, &outcomes)).unwrap()
    };
    let one = summary(1);
    assert_eq!(one, summary(2));
    assert_eq!(one, summary(3));
}

#[test]
fn probabilities_sum_to_one() {
    let (data, s) = setup("otl");
    let outcomes = run(
        &data,
        &s,
        Options {
            runs: 200,
            seed: 2,
            threads: 0,
        },
        &|| {},
    )
    .unwrap();
    let summary = summarize(&data, &s, 2, &outcomes);
    for (name, values) in summary.categorical.iter().chain(summary.people.iter()) {
        let total: f64 = values.values().sum();
        assert!((total - 1.0).abs() < 1e-9, "{name}: {total}");
    }
    for (name, values) in &summary.intervals {
        for (value, [lo, hi]) in values {
            let p = summary.categorical[name][value];
            assert!(
                *lo <= p && p <= *hi,
                "{name}={value}: {p} outside [{lo}, {hi}]"
            );
        }
    }
}

#[test]
fn a_scenario_twinned_with_itself_changes_nothing() {
    let (data, s) = setup("otl");
    let pairs = run_pairs(
        &data,
        &s,
        &s,
        Options {
            runs: 100,
            seed: 4,
            threads: 2,
        },
        &|| {},
    )
    .unwrap();
    let c = compare(&data, &s, &s, 4, &pairs);
    for (name, p) in &c.paired {
        assert_eq!(p.value, 0.0, "{name} changed between identical twins");
    }
    // No turning point changes, so no pair falls on the "changed" side of any split.
    assert_eq!(c.channels.len(), TURNING_POINTS.len());
    for channel in &c.channels {
        assert_eq!(channel.changed_pairs, 0, "{}", channel.turning_point);
        for (effect, split) in &channel.effects {
            assert_eq!(split.changed, None, "{effect}");
            assert_eq!(
                split.unchanged.as_ref().map(|m| m.value),
                Some(0.0),
                "{effect}"
            );
        }
    }
}

/// The split of the pairs by a turning point is a partition: its "changed" count is the comparison's
/// share of pairs whose turning point differs, and the two groups' means, weighted by their pairs,
/// give the mean paired difference over all pairs.
#[test]
fn the_pairs_split_by_a_turning_point_partition_the_comparison() {
    let data = Data::builtin().unwrap();
    let parse =
        |n: &str| Scenario::parse(builtin_scenario(n).unwrap(), n, &data.context()).unwrap();
    let (otl, expelled) = (parse("otl"), parse("stalin-expelled"));
    let opts = Options {
        runs: 200,
        seed: 4,
        threads: 2,
    };
    let pairs = run_pairs(&data, &otl, &expelled, opts, &|| {}).unwrap();
    let c = compare(&data, &otl, &expelled, 4, &pairs);
    let mut some_changed = false;
    for channel in &c.channels {
        let share = c.paired[&channel.turning_point].value;
        assert_eq!(channel.changed_pairs, (share * 200.0).round() as usize);
        some_changed |= channel.changed_pairs > 0;
        for (effect, split) in &channel.effects {
            let part = |m: &Option<Mean>| {
                m.as_ref()
                    .map_or((0.0, 0), |m| (m.value * m.pairs as f64, m.pairs))
            };
            let (sum_changed, n_changed) = part(&split.changed);
            let (sum_held, n_held) = part(&split.unchanged);
            let n = n_changed + n_held;
            let whole = (sum_changed + sum_held) / n as f64;
            let overall = c.paired[effect].value;
            assert!(
                (whole - overall).abs() <= 1e-9 * overall.abs().max(1.0),
                "{}: {effect} {whole} against {overall}",
                channel.turning_point
            );
        }
    }
    assert!(
        some_changed,
        "the divergence moved no turning point in 200 pairs"
    );
}

#[test]
fn expelling_stalin_changes_his_fate_in_every_pair() {
    let data = Data::builtin().unwrap();
    let parse =
        |n: &str| Scenario::parse(builtin_scenario(n).unwrap(), n, &data.context()).unwrap();
    let (otl, expelled) = (parse("otl"), parse("stalin-expelled"));
    let pairs = run_pairs(
        &data,
        &otl,
        &expelled,
        Options {
            runs: 200,
            seed: 4,
            threads: 2,
        },
        &|| {},
    )
    .unwrap();
    let c = compare(&data, &otl, &expelled, 4, &pairs);
    // Not every pair: a natural death before 1930 comes from the same draw in both twins.
    assert!(
        c.paired["stalin_fate_1930"].value > 0.8,
        "{:?}",
        c.paired["stalin_fate_1930"]
    );
    assert!(c.paired["leader_1930"].value > 0.5);
    // Both twins replay the same history, so the General Secretary before the divergence agrees.
    for (a, b) in &pairs {
        assert_eq!(a.year(1923).unwrap(), b.year(1923).unwrap());
    }
}

#[test]
fn a_raised_flag_cancels_the_ensemble_and_a_lowered_one_changes_nothing() {
    use razvilka_ensemble::{run_cancellable, run_pairs_cancellable, EnsembleError};
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let (data, s) = setup("stalin-expelled");
    let (_, otl) = setup("otl");
    let opts = Options {
        runs: 400,
        seed: 3,
        threads: 2,
    };
    // Raised before the start: no world runs.
    let raised = AtomicBool::new(true);
    let ran = AtomicUsize::new(0);
    let r = run_cancellable(
        &data,
        &s,
        opts,
        &|| {
            ran.fetch_add(1, Ordering::Relaxed);
        },
        &raised,
    );
    assert!(matches!(r, Err(EnsembleError::Cancelled)));
    assert_eq!(ran.load(Ordering::Relaxed), 0);
    let r = run_pairs_cancellable(&data, &otl, &s, opts, &|| {}, &raised);
    assert!(matches!(r, Err(EnsembleError::Cancelled)));
    // Raised by the tenth finished world: the rest are skipped.
    let flag = AtomicBool::new(false);
    let done = AtomicUsize::new(0);
    let r = run_cancellable(
        &data,
        &s,
        opts,
        &|| {
            if done.fetch_add(1, Ordering::Relaxed) + 1 == 10 {
                flag.store(true, Ordering::Relaxed);
            }
        },
        &flag,
    );
    assert!(matches!(r, Err(EnsembleError::Cancelled)));
    assert!(
        done.load(Ordering::Relaxed) < 400,
        "{} worlds ran",
        done.load(Ordering::Relaxed)
    );
    // Never raised: the same outcomes as `run`.
    let lowered = AtomicBool::new(false);
    let a = run_cancellable(&data, &s, opts, &|| {}, &lowered).unwrap();
    let b = run(&data, &s, opts, &|| {}).unwrap();
    assert_eq!(
        serde_json::to_string(&summarize(&data, &s, 3, &a)).unwrap(),
        serde_json::to_string(&summarize(&data, &s, 3, &b)).unwrap()
    );
}

/// Worlds folded one by one as they finish give the summary of the collected ensemble, byte for byte,
/// on any thread count, and arrive in run order (across batch boundaries: more runs than a batch).
#[test]
fn streamed_summary_is_the_collected_one_on_any_thread_count() {
    use razvilka_ensemble::{run_each, EnsembleError, Tally};
    use std::sync::atomic::AtomicBool;
    let (data, s) = setup("otl");
    let runs = 1100;
    let options = |threads| Options {
        runs,
        seed: 4,
        threads,
    };
    let outcomes = run(&data, &s, options(2), &|| {}).unwrap();
    let collected = serde_json::to_string(&summarize(&data, &s, 4, &outcomes)).unwrap();
    for threads in [1, 2, 3] {
        let mut tally = Tally::new(&data, &s, 4);
        let mut order = Vec::new();
        run_each(
            &data,
            &s,
            options(threads),
            &|| {},
            &AtomicBool::new(false),
            |k, o| -> Result<(), EnsembleError> {
                // Each world arrives whole: the same as the collected run's world k.
                // (Debug prints every float exactly.)
                assert_eq!(format!("{o:?}"), format!("{:?}", outcomes[k as usize]));
                order.push(k);
                tally.add(&o);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(order, (0..runs as u64).collect::<Vec<_>>());
        let streamed = serde_json::to_string(&tally.finish()).unwrap();
        assert_eq!(streamed, collected, "{threads} threads");
    }
}

/// An error from the consumer stops the ensemble and comes back unchanged.
#[test]
fn a_failing_consumer_stops_the_ensemble() {
    use razvilka_ensemble::{run_each, EnsembleError};
    use std::sync::atomic::AtomicBool;
    #[derive(Debug, PartialEq)]
    enum Stop {
        At(u64),
        Ensemble(String),
    }
    impl From<EnsembleError> for Stop {
        fn from(e: EnsembleError) -> Stop {
            Stop::Ensemble(e.to_string())
        }
    }
    let (data, s) = setup("otl");
    let mut seen = 0;
    let options = Options {
        runs: 3000,
        seed: 1,
        threads: 2,
    };
    let result = run_each(
        &data,
        &s,
        options,
        &|| {},
        &AtomicBool::new(false),
        |k, _| {
            seen += 1;
            if k == 5 {
                Err(Stop::At(k))
            } else {
                Ok(())
            }
        },
    );
    assert_eq!(result, Err(Stop::At(5)));
    assert_eq!(seen, 6);
}
