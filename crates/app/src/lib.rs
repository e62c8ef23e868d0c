//! The application layer: the use cases that the command line, the web application and the Python
//! package share. Each face parses its own input (arguments, a form, keyword arguments) into
//! scenarios and options, calls one function here, and prints or renders what it returns; the order
//! in which worlds are run, summarised, exported and scored lives here once, so the faces cannot drift
//! apart (same seed, same bytes, from every face).
//!
//! - [`run`]: one scenario's ensemble folded into its summary as each world finishes, written to an
//!   export as it goes, with the worlds kept only when a report draws from them, and the sampled world
//!   (run 0) that the reports tell, simulated once.
//! - [`twins`]: twin pairs of two scenarios and their comparison.
//! - [`results`]: a scenario's worlds beside their twins in actual history (the web's results page).
//! - [`validate`]: the baseline and the free run scored against the targets.
//! - [`claims`]: the thread's claims answered.
//! - [`timeline`]: one world told as a timeline.

use std::sync::atomic::AtomicBool;

use razvilka_analysis::{claims as stats_claims, validate as stats_validate};
use razvilka_ensemble::{Comparison, EnsembleError, Options, Summary, Tally};
use razvilka_export::{ExportError, Format, RunWriter};
use razvilka_present::narrative::Timeline;
use razvilka_world::{Data, Outcome, Run, RunError, Scenario};

/// Why a use case failed: a world, the ensemble (a thread pool, a cancellation) or an export. Its
/// text is the underlying error's, word for word.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Ensemble(#[from] EnsembleError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    World(#[from] RunError),
    #[error(transparent)]
    Claims(#[from] stats_claims::ClaimsError),
}

/// What a face shows while worlds run. A use case may run several ensembles one after another (the
/// validation runs two); each is a stage with a label and a count of worlds. `tick` is called from the
/// worker threads, once per finished world (or twin pair).
pub trait Progress: Sync {
    /// A stage of `total` worlds begins.
    fn begin(&self, _label: &str, _total: u64) {}
    /// One world done.
    fn tick(&self) {}
    /// The stage is done.
    fn end(&self) {}
}

/// No progress shown (the web and Python).
pub struct Quiet;

impl Progress for Quiet {}

/// Never raised: for the faces that do not cancel.
static NEVER: AtomicBool = AtomicBool::new(false);

/// What [`run`] does besides summarising.
#[derive(Default)]
pub struct RunRequest<'a> {
    /// Write each world's row here as it finishes, in run order.
    pub export: Option<RunWriter<'a>>,
    /// Keep every world (the HTML report draws from them all); otherwise memory does not grow with
    /// the number of worlds.
    pub keep: bool,
    /// Simulate the sampled world (run 0) that the text and HTML reports tell.
    pub sample: bool,
}

/// What [`run`] returns.
pub struct RunResult {
    pub summary: Summary,
    /// Every world, in run order, when the request kept them; else empty.
    pub outcomes: Vec<Outcome>,
    /// Run 0, when the request asked for it.
    pub sample: Option<Run>,
    /// Rows written and the format, when the request had an export.
    pub exported: Option<(usize, Format)>,
}

/// One scenario's ensemble: each world is folded into the summary and written to the export as it
/// finishes, in run order, and then dropped unless the request keeps it.
pub fn run(
    data: &Data,
    scenario: &Scenario,
    options: Options,
    request: RunRequest<'_>,
    progress: &dyn Progress,
    cancel: Option<&AtomicBool>,
) -> Result<RunResult, AppError> {
    let RunRequest {
        mut export,
        keep,
        sample,
    } = request;
    let mut tally = Tally::new(data, scenario, options.seed);
    let mut kept = Vec::new();
    progress.begin(&scenario.name, u64::from(options.runs));
    razvilka_ensemble::run_each(
        data,
        scenario,
        options,
        &|| progress.tick(),
        cancel.unwrap_or(&NEVER),
        |run, outcome: Outcome| -> Result<(), AppError> {
            tally.add(&outcome);
            if keep {
                kept.push(outcome.clone());
            }
            if let Some(export) = &mut export {
                export.write(run, outcome)?;
            }
            Ok(())
        },
    )?;
    progress.end();
    let summary = tally.finish();
    let exported = match export {
        Some(export) => {
            let rows = export.rows();
            Some((rows, export.finish()?))
        }
        None => None,
    };
    let sample = if sample {
        Some(razvilka_world::simulate(
            data,
            scenario,
            scenario.divergence,
            options.seed,
            0,
        )?)
    } else {
        None
    };
    Ok(RunResult {
        summary,
        outcomes: kept,
        sample,
        exported,
    })
}

/// Twin pairs of `a` and `b` (world `k` of each shares its random streams) and their comparison.
pub fn twins(
    data: &Data,
    a: &Scenario,
    b: &Scenario,
    options: Options,
    progress: &dyn Progress,
    cancel: Option<&AtomicBool>,
) -> Result<(Vec<(Outcome, Outcome)>, Comparison), AppError> {
    progress.begin("twins", u64::from(options.runs));
    let pairs = razvilka_ensemble::run_pairs_cancellable(
        data,
        a,
        b,
        options,
        &|| progress.tick(),
        cancel.unwrap_or(&NEVER),
    )?;
    progress.end();
    let comparison = razvilka_ensemble::compare(data, a, b, options.seed, &pairs);
    Ok((pairs, comparison))
}

/// Everything a results page shows: the scenario's worlds, their summary, the comparison with their
/// twins in `otl`, and the sampled world (run 0).
pub struct Results {
    pub summary: Summary,
    pub outcomes: Vec<Outcome>,
    pub comparison: Comparison,
    pub sample: Run,
}

/// The scenario's worlds beside their twins in actual history (`otl`, as the caller gives it).
pub fn results(
    data: &Data,
    otl: &Scenario,
    scenario: &Scenario,
    options: Options,
    cancel: Option<&AtomicBool>,
) -> Result<Results, AppError> {
    let (pairs, comparison) = twins(data, otl, scenario, options, &Quiet, cancel)?;
    // The twin of world k is world k of the scenario itself when both replay history to the same
    // month; otherwise the scenario's own ensemble is run (it replays less).
    let outcomes: Vec<Outcome> =
        if razvilka_ensemble::twin_replay(otl, scenario) == scenario.divergence {
            pairs.into_iter().map(|(_, b)| b).collect()
        } else {
            razvilka_ensemble::run_cancellable(
                data,
                scenario,
                options,
                &|| {},
                cancel.unwrap_or(&NEVER),
            )?
        };
    let summary = razvilka_ensemble::summarize(data, scenario, options.seed, &outcomes);
    let sample = razvilka_world::simulate(data, scenario, scenario.divergence, options.seed, 0)?;
    Ok(Results {
        summary,
        outcomes,
        comparison,
        sample,
    })
}

/// The validation: rows for every target, and the verdict over them.
pub struct Validation {
    pub runs: u32,
    pub seed: u64,
    pub rows: Vec<stats_validate::Row>,
    pub verdict: stats_validate::Verdict,
}

impl Validation {
    /// As `razvilka validate --json` prints it.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "runs": self.runs,
            "seed": self.seed,
            "pass": self.verdict.pass,
            "verdict": self.verdict,
            "targets": self.rows,
        })
    }
}

/// The baseline and the free run (as the caller built them: shipped, or under a posterior sample),
/// each run with the same seed and scored against the targets of its kind.
pub fn validate(
    data: &Data,
    targets: &[stats_validate::Target],
    baseline: &Scenario,
    free: &Scenario,
    options: Options,
    progress: &dyn Progress,
) -> Result<Validation, AppError> {
    let mut rows = Vec::new();
    for (scenario, kind) in [
        (baseline, stats_validate::RunKind::Baseline),
        (free, stats_validate::RunKind::Free),
    ] {
        progress.begin(&scenario.name, u64::from(options.runs));
        let outcomes = razvilka_ensemble::run(data, scenario, options, &|| progress.tick())?;
        progress.end();
        rows.extend(
            targets
                .iter()
                .filter(|t| t.run() == kind)
                .map(|t| t.check(data, &outcomes)),
        );
    }
    let verdict = stats_validate::Verdict::of(&rows);
    Ok(Validation {
        runs: options.runs,
        seed: options.seed,
        rows,
        verdict,
    })
}

/// The claims of `list` answered, with the priors sampled where the settings ask.
pub fn claims(
    data: &Data,
    list: &stats_claims::ClaimsFile,
    settings: stats_claims::Settings,
    progress: &dyn Progress,
) -> Result<stats_claims::Answers, AppError> {
    progress.begin("claims", list.work(settings));
    let answers = stats_claims::evaluate(data, list, settings, &|| progress.tick())?;
    progress.end();
    Ok(answers)
}

/// World `run` of `scenario` with `seed`, told as a timeline.
pub fn timeline(
    data: &Data,
    scenario: &Scenario,
    seed: u64,
    run: u64,
) -> Result<Timeline, AppError> {
    let world = razvilka_world::simulate(data, scenario, scenario.divergence, seed, run)?;
    Ok(Timeline::of(data, scenario, &world, seed, run))
}
