//! The use cases give what the layers beneath give when called by hand, whatever a face asks for
//! besides (kept worlds, an export, the sampled world), report their stages to the face's progress,
//! and stop on cancellation with the ensemble's own error.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

use razvilka_app::{AppError, Progress, Quiet, RunRequest};
use razvilka_ensemble::{EnsembleError, Options};
use razvilka_world::{builtin_scenario, Data, Scenario};

fn data() -> Data {
    Data::builtin().unwrap()
}

fn scenario(data: &Data, name: &str) -> Scenario {
    Scenario::parse(builtin_scenario(name).unwrap(), name, &data.context()).unwrap()
}

/// Outcomes compared field by field through their debug form (they hold floats, and a world is
/// reproduced bit for bit, so equal worlds print alike).
fn same<T: std::fmt::Debug>(a: &T, b: &T) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

fn options(runs: u32) -> Options {
    Options {
        runs,
        seed: 11,
        threads: 2,
    }
}

/// Records the stages begun and the ticks of each.
#[derive(Default)]
struct Recorder {
    stages: Mutex<Vec<(String, u64)>>,
    ticks: AtomicU64,
    ended: AtomicU64,
}

impl Progress for Recorder {
    fn begin(&self, label: &str, total: u64) {
        self.stages.lock().unwrap().push((label.to_string(), total));
    }
    fn tick(&self) {
        self.ticks.fetch_add(1, Ordering::Relaxed);
    }
    fn end(&self) {
        self.ended.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn a_run_summarises_as_the_whole_ensemble_does_and_keeps_only_what_is_asked() {
    let data = data();
    let s = scenario(&data, "stalin-expelled");
    let by_hand = razvilka_ensemble::run(&data, &s, options(40), &|| {}).unwrap();
    let expected = razvilka_ensemble::summarize(&data, &s, 11, &by_hand);

    let kept = RunRequest {
        keep: true,
        sample: true,
        ..Default::default()
    };
    let r = razvilka_app::run(&data, &s, options(40), kept, &Quiet, None).unwrap();
    assert_eq!(
        serde_json::to_string(&r.summary).unwrap(),
        serde_json::to_string(&expected).unwrap()
    );
    assert!(same(&r.outcomes, &by_hand));
    // The sampled world is world 0 of the ensemble.
    assert!(same(&r.sample.as_ref().unwrap().outcome, &by_hand[0]));
    assert!(r.exported.is_none());

    let bare =
        razvilka_app::run(&data, &s, options(40), RunRequest::default(), &Quiet, None).unwrap();
    assert!(bare.outcomes.is_empty() && bare.sample.is_none());
    assert_eq!(
        serde_json::to_string(&bare.summary).unwrap(),
        serde_json::to_string(&expected).unwrap()
    );
}

#[test]
fn a_run_writes_every_world_to_its_export_as_the_batch_writer_does() {
    let data = data();
    let s = scenario(&data, "otl");
    let dir = tempfile::tempdir().unwrap();
    let (streamed, whole) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    let request = RunRequest {
        export: Some(razvilka_export::RunWriter::create(&streamed, &data, 11, true).unwrap()),
        ..Default::default()
    };
    let r = razvilka_app::run(&data, &s, options(30), request, &Quiet, None).unwrap();
    assert_eq!(r.exported.map(|(rows, _)| rows), Some(30));
    let outcomes = razvilka_ensemble::run(&data, &s, options(30), &|| {}).unwrap();
    razvilka_export::write_runs(&whole, &data, 11, &outcomes, true).unwrap();
    assert_eq!(
        std::fs::read(&streamed).unwrap(),
        std::fs::read(&whole).unwrap()
    );
}

#[test]
fn twins_are_the_ensembles_pairs_and_their_comparison() {
    let data = data();
    let (a, b) = (scenario(&data, "otl"), scenario(&data, "stalin-expelled"));
    let progress = Recorder::default();
    let (pairs, comparison) =
        razvilka_app::twins(&data, &a, &b, options(25), &progress, None).unwrap();
    let by_hand = razvilka_ensemble::run_pairs(&data, &a, &b, options(25), &|| {}).unwrap();
    assert!(same(&pairs, &by_hand));
    assert_eq!(
        serde_json::to_string(&comparison).unwrap(),
        serde_json::to_string(&razvilka_ensemble::compare(&data, &a, &b, 11, &by_hand)).unwrap()
    );
    assert_eq!(
        *progress.stages.lock().unwrap(),
        [("twins".to_string(), 25)]
    );
    assert_eq!(progress.ticks.load(Ordering::Relaxed), 25);
    assert_eq!(progress.ended.load(Ordering::Relaxed), 1);
}

#[test]
fn results_take_the_twins_worlds_only_when_both_leave_history_together() {
    let data = data();
    let otl = scenario(&data, "otl");
    // Same divergence as the baseline: the scenario's worlds are the second twins.
    let expelled = scenario(&data, "stalin-expelled");
    assert_eq!(expelled.divergence, otl.divergence);
    let r = razvilka_app::results(&data, &otl, &expelled, options(20), None).unwrap();
    let own = razvilka_ensemble::run(&data, &expelled, options(20), &|| {}).unwrap();
    assert!(same(&r.outcomes, &own));
    // Against a free run as the first twin, the baseline's twins replay only to April 1922, less
    // than the baseline itself: its worlds are its own ensemble's, not the twins'.
    let free = scenario(&data, "free-1922");
    assert!(free.divergence < otl.divergence);
    let r = razvilka_app::results(&data, &free, &otl, options(20), None).unwrap();
    let own = razvilka_ensemble::run(&data, &otl, options(20), &|| {}).unwrap();
    assert!(same(&r.outcomes, &own));
    assert!(same(&r.sample.outcome, &own[0]));
    let pairs = razvilka_ensemble::run_pairs(&data, &free, &otl, options(20), &|| {}).unwrap();
    let twins: Vec<_> = pairs.into_iter().map(|(_, b)| b).collect();
    assert!(
        !same(&twins, &own),
        "the twins replay less, so their worlds differ"
    );
}

#[test]
fn the_validation_scores_both_runs_as_two_stages() {
    let data = data();
    let targets = razvilka_analysis::validate::targets(&data).unwrap();
    let (otl, free) = (scenario(&data, "otl"), scenario(&data, "free-1922"));
    let progress = Recorder::default();
    let v = razvilka_app::validate(&data, &targets, &otl, &free, options(30), &progress).unwrap();
    assert_eq!(v.rows.len(), targets.len());
    assert_eq!(
        *progress.stages.lock().unwrap(),
        [("otl".to_string(), 30), ("free-1922".to_string(), 30)]
    );
    assert_eq!(progress.ticks.load(Ordering::Relaxed), 60);
    let json = v.json();
    assert_eq!(json["runs"], 30);
    assert_eq!(json["pass"], v.verdict.pass);
    assert_eq!(json["targets"].as_array().unwrap().len(), targets.len());
}

#[test]
fn a_raised_cancel_flag_stops_a_run_with_the_ensembles_error() {
    let data = data();
    let s = scenario(&data, "otl");
    let cancel = AtomicBool::new(true);
    let r = razvilka_app::run(
        &data,
        &s,
        options(50),
        RunRequest::default(),
        &Quiet,
        Some(&cancel),
    );
    assert!(matches!(
        r,
        Err(AppError::Ensemble(EnsembleError::Cancelled))
    ));
    let r = razvilka_app::twins(&data, &s, &s, options(50), &Quiet, Some(&cancel));
    assert!(matches!(
        r,
        Err(AppError::Ensemble(EnsembleError::Cancelled))
    ));
}

#[test]
fn a_timeline_tells_the_world_the_ensemble_ran() {
    let data = data();
    let s = scenario(&data, "lenin-lives");
    let t = razvilka_app::timeline(&data, &s, 11, 3).unwrap();
    let world = razvilka_world::simulate(&data, &s, s.divergence, 11, 3).unwrap();
    let by_hand = razvilka_present::narrative::Timeline::of(&data, &s, &world, 11, 3);
    assert_eq!(t.text(), by_hand.text());
    assert!(!t.text().is_empty());
}
