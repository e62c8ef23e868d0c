//! Ensembles: many worlds of one scenario, or twin pairs of two, run in parallel and summarised.
//!
//! Run `k` of an ensemble seeded with `s` uses the random streams of `(s, k)` whatever thread runs
//! it, and results are gathered in run order, so a summary is the same for any thread count. In a
//! twin pair both worlds use the streams of the same run and replay history up to the earlier of the
//! two divergences, so they differ only by what the divergence changed.

mod channels;
mod summary;

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use razvilka_kernel::{Month, Streams};
use razvilka_model::Params;
use razvilka_world::{run_registry, simulate_with, Data, Outcome, RunError, Scenario};

pub use channels::{Channel, Mean, Split, EFFECTS, TURNING_POINTS};
pub use razvilka_world::catalogue::{
    categorical_outcomes, numeric_outcomes, Categorical, Numeric, SeriesDef,
};
pub use summary::{
    compare, summarize, wilson, Comparison, Paired, Quantiles, Summary, Tally, YearBand,
    EXACT_QUANTILES_UP_TO,
};

/// How to run an ensemble.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub runs: u32,
    pub seed: u64,
    /// Worker threads; 0 lets rayon choose (one per core).
    pub threads: usize,
}

/// Why an ensemble could not run.
#[derive(Debug, thiserror::Error)]
pub enum EnsembleError {
    #[error(transparent)]
    Run(#[from] RunError),
    #[error("could not start {threads} worker threads: {message}")]
    Threads { threads: usize, message: String },
    /// The caller raised the cancellation flag before every world had run.
    #[error("the ensemble was cancelled before it finished")]
    Cancelled,
}

/// Worlds in one indivisible piece of work: one. Rayon otherwise splits a range into a few long
/// pieces (a quarter of it, say) that a thread runs without letting the other take any, so at the end
/// of a range one thread could wait for the other to finish hundreds of worlds; a world is a
/// fraction of a millisecond, so handing them out one at a time costs nothing measurable.
const WORLDS_PER_PIECE: usize = 1;

/// A flag that is never raised, for the runs nobody cancels.
static NEVER: AtomicBool = AtomicBool::new(false);

/// A worker pool of `threads` threads (0: one per core), for ensembles and analyses built on them.
pub fn pool(threads: usize) -> Result<rayon::ThreadPool, EnsembleError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| EnsembleError::Threads {
            threads,
            message: e.to_string(),
        })
}

/// Parameters shared by every run of a scenario, when its priors are not sampled and no posterior
/// sample gives each world its own.
fn fixed_params(data: &Data, scenario: &Scenario) -> Result<Option<Params>, RunError> {
    if scenario.sample_priors || scenario.posterior.is_some() {
        return Ok(None);
    }
    let registry = data.registry_for(scenario);
    Ok(Some(Params::new(&registry, &data.model_calendar)?))
}

fn one(
    data: &Data,
    scenario: &Scenario,
    fixed: &Option<Params>,
    replay_until: Month,
    seed: u64,
    run: u64,
) -> Result<Outcome, RunError> {
    let streams = Streams::new(seed, run);
    let sampled;
    let params = match fixed {
        Some(p) => p,
        None => {
            sampled = Params::new(
                &run_registry(data, scenario, &streams),
                &data.model_calendar,
            )?;
            &sampled
        }
    };
    let (world, years) = simulate_with(data, scenario, replay_until, params, &streams)?;
    Ok(Outcome::from_world(&world, years))
}

/// Runs `options.runs` worlds of `scenario`. `progress` is called once per finished run.
pub fn run(
    data: &Data,
    scenario: &Scenario,
    options: Options,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<Outcome>, EnsembleError> {
    run_cancellable(data, scenario, options, progress, &NEVER)
}

/// [`run`], checking `cancel` before each world: once it is raised, the worlds not yet started are
/// skipped and the result is [`EnsembleError::Cancelled`] (a world already running finishes first).
pub fn run_cancellable(
    data: &Data,
    scenario: &Scenario,
    options: Options,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<Outcome>, EnsembleError> {
    let fixed = fixed_params(data, scenario)?;
    let replay_until = scenario.divergence;
    pool(options.threads)?.install(|| {
        (0..options.runs)
            .into_par_iter()
            .with_max_len(WORLDS_PER_PIECE)
            .map(|k| {
                let k = u64::from(k);
                if cancel.load(Ordering::Relaxed) {
                    return Err(EnsembleError::Cancelled);
                }
                let outcome = one(data, scenario, &fixed, replay_until, options.seed, k)?;
                progress();
                Ok(outcome)
            })
            .collect::<Result<Vec<_>, _>>()
    })
}

/// Worlds run between two hand-overs to the caller in [`run_each`]: enough to keep both threads busy
/// for a tenth of a second or so, few enough that the batch in flight (about 8 KB a world) stays small.
const BATCH: u64 = 1024;

/// Runs `options.runs` worlds of `scenario` and hands each to `each` as `(run, outcome)`, in run
/// order, without keeping them: memory does not grow with the number of worlds. Worlds are run in
/// batches; while one batch runs on the pool, the previous one is handed over, so `each` (a summary's
/// [`Tally`], an export writer) overlaps the simulation. The first error, from a world or from `each`,
/// stops the ensemble and is returned. `progress` is called once per finished run.
pub fn run_each<E>(
    data: &Data,
    scenario: &Scenario,
    options: Options,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
    mut each: impl FnMut(u64, Outcome) -> Result<(), E> + Send,
) -> Result<(), E>
where
    E: From<EnsembleError> + Send,
{
    let fixed = fixed_params(data, scenario).map_err(EnsembleError::from)?;
    let replay_until = scenario.divergence;
    let runs = options.runs as u64;
    let batch = |from: u64, to: u64| -> Result<Vec<Outcome>, EnsembleError> {
        // A `u32` range, unlike a `u64` one, is an indexed parallel iterator, which `with_max_len`
        // needs; runs are `u32`.
        (from as u32..to as u32)
            .into_par_iter()
            .with_max_len(WORLDS_PER_PIECE)
            .map(|k| {
                let k = u64::from(k);
                if cancel.load(Ordering::Relaxed) {
                    return Err(EnsembleError::Cancelled);
                }
                let outcome = one(data, scenario, &fixed, replay_until, options.seed, k)?;
                progress();
                Ok(outcome)
            })
            .collect()
    };
    pool(options.threads)?.install(|| {
        // `done` holds the finished batch that starts at run `done_from`.
        let (mut done, mut done_from): (Vec<Outcome>, u64) = (Vec::new(), 0);
        let mut from = 0;
        while from < runs || !done.is_empty() {
            let to = (from + BATCH).min(runs);
            let (handed, next) = rayon::join(
                || -> Result<(), E> {
                    for (k, outcome) in (done_from..).zip(done.drain(..)) {
                        each(k, outcome)?;
                    }
                    Ok(())
                },
                || batch(from, to),
            );
            handed?;
            (done, done_from) = (next?, from);
            from = to;
        }
        Ok(())
    })
}

/// Runs twin pairs: world `k` of `a` and world `k` of `b` share their random streams and replay
/// history up to the earlier divergence.
pub fn run_pairs(
    data: &Data,
    a: &Scenario,
    b: &Scenario,
    options: Options,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<(Outcome, Outcome)>, EnsembleError> {
    run_pairs_cancellable(data, a, b, options, progress, &NEVER)
}

/// [`run_pairs`], checking `cancel` before each pair (see [`run_cancellable`]).
pub fn run_pairs_cancellable(
    data: &Data,
    a: &Scenario,
    b: &Scenario,
    options: Options,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<(Outcome, Outcome)>, EnsembleError> {
    let (fixed_a, fixed_b) = (fixed_params(data, a)?, fixed_params(data, b)?);
    let replay_until = twin_replay(a, b);
    pool(options.threads)?.install(|| {
        (0..options.runs)
            .into_par_iter()
            .with_max_len(WORLDS_PER_PIECE)
            .map(|k| {
                let k = u64::from(k);
                if cancel.load(Ordering::Relaxed) {
                    return Err(EnsembleError::Cancelled);
                }
                let x = one(data, a, &fixed_a, replay_until, options.seed, k)?;
                let y = one(data, b, &fixed_b, replay_until, options.seed, k)?;
                progress();
                Ok((x, y))
            })
            .collect::<Result<Vec<_>, _>>()
    })
}

/// The month from which both twins run free: the earlier divergence.
pub fn twin_replay(a: &Scenario, b: &Scenario) -> Month {
    a.divergence.min(b.divergence)
}
