//! Which assumptions move an answer: Sobol' indices over every assumption with a prior (and the
//! world's own luck), and a one-at-a-time tornado for quick looks. The mathematics is in
//! [`crate::sobol`]; here each point of a design becomes one simulated world.

use rayon::prelude::*;
use razvilka_ensemble::{categorical_outcomes, numeric_outcomes};
use razvilka_kernel::{Prior, Registry, Streams};
use razvilka_model::Params;
use razvilka_world::catalogue::{CATEGORICAL, NUMERIC};
use razvilka_world::{simulate_with, Data, Outcome, Scenario};
use serde::Serialize;

use crate::sobol::{self, Design, Index, SobolError};

/// The name of the extra input that stands for the world's own luck (its random streams).
pub const CHANCE: &str = "(chance: the world's own random draws)";

/// What is measured in each world.
pub struct Output {
    /// As written: `war_outcome=soviet_collapse` or `industry_1940`.
    pub name: String,
    measure: Box<dyn Fn(&Outcome) -> f64 + Sync>,
}

impl Output {
    /// A categorical outcome taking a value (measured as 1 or 0: its mean is a probability), or a
    /// numeric outcome.
    pub fn parse(text: &str, data: &Data) -> Result<Output, SensitivityError> {
        let (name, value) = match text.split_once('=') {
            Some((n, v)) => (n.trim(), Some(v.trim().to_string())),
            None => (text.trim(), None),
        };
        let ids =
            |defs: &mut dyn Iterator<Item = &'static str>| defs.collect::<Vec<_>>().join(", ");
        let valid = || {
            format!(
                "a categorical outcome and a value (e.g. war_outcome=soviet_collapse; outcomes: {}) or a numeric outcome ({})",
                ids(&mut CATEGORICAL.iter().map(|d| d.about.id)),
                ids(&mut NUMERIC.iter().map(|d| d.about.id))
            )
        };
        if let Some(value) = value {
            let Some(f) = categorical_outcomes(data)
                .into_iter()
                .find(|(n, _)| *n == name)
                .map(|(_, f)| f)
            else {
                return Err(SensitivityError::Output(format!(
                    "`{name}` is not a categorical outcome; give {}",
                    valid()
                )));
            };
            return Ok(Output {
                name: format!("{name}={value}"),
                measure: Box::new(move |o| (f(o) == value) as u8 as f64),
            });
        }
        match numeric_outcomes(data).into_iter().find(|(n, _)| *n == name) {
            Some((_, f)) => Ok(Output {
                name: name.to_string(),
                measure: f,
            }),
            None if CATEGORICAL.iter().any(|d| d.about.id == name) => {
                Err(SensitivityError::Output(format!(
                    "`{name}` is categorical: name one of its values, e.g. `{name}=VALUE` (the values are those `run --json` lists under categorical.{name})"
                )))
            }
            None => Err(SensitivityError::Output(format!(
                "no outcome `{name}`; give {}",
                valid()
            ))),
        }
    }

    pub fn of(&self, outcome: &Outcome) -> f64 {
        (self.measure)(outcome)
    }
}

/// Why an analysis could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SensitivityError {
    #[error("{0}")]
    Output(String),
    #[error("the output `{output}` has no value in {missing} of {worlds} worlds (for example a war's end month where no war came); choose an output every world has, such as a share (`war_outcome=no_war`)")]
    Undefined {
        output: String,
        missing: usize,
        worlds: usize,
    },
    #[error("{0}")]
    Sobol(#[from] SobolError),
    #[error("{0}")]
    Run(String),
}

/// An assumption the analysis varies over its prior.
#[derive(Clone, Debug, Serialize)]
pub struct Factor {
    pub key: String,
    pub default: f64,
    #[serde(skip)]
    prior: Prior,
}

/// Every assumption with a prior that the scenario leaves free (its own overrides stay fixed).
pub fn factors(registry: &Registry, scenario: &Scenario) -> Vec<Factor> {
    free_assumptions(registry, scenario)
        .into_iter()
        .map(|i| {
            let a = &registry.assumptions()[i];
            Factor {
                key: a.key.clone(),
                default: registry.get(&a.key).unwrap_or(a.default),
                prior: a.prior.clone(),
            }
        })
        .collect()
}

/// The registry positions of the assumptions an analysis may vary: those with a prior that the
/// scenario does not set itself.
pub fn free_assumptions(registry: &Registry, scenario: &Scenario) -> Vec<usize> {
    registry
        .assumptions()
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            a.prior != Prior::Fixed && !scenario.overrides.iter().any(|(k, _)| *k == a.key)
        })
        .map(|(i, _)| i)
        .collect()
}

/// What every world of one analysis shares: the scenario, its registry, the seed and the output.
struct Bench<'a> {
    data: &'a Data,
    scenario: &'a Scenario,
    base: Registry,
    seed: u64,
    output: &'a Output,
}

impl<'a> Bench<'a> {
    /// The bench of `scenario`, and the assumptions it may vary.
    fn new(
        data: &'a Data,
        scenario: &'a Scenario,
        seed: u64,
        output: &'a Output,
    ) -> (Self, Vec<Factor>) {
        let base = data.registry_for(scenario);
        let factors = factors(&base, scenario);
        (
            Bench {
                data,
                scenario,
                base,
                seed,
                output,
            },
            factors,
        )
    }

    /// Runs one world with `factors` at quantiles `u` (the rest at their defaults) and the random
    /// streams of `(seed, run)`, and measures it.
    fn world(&self, factors: &[Factor], u: &[f64], run: u64) -> Result<f64, SensitivityError> {
        let mut registry = self.base.clone();
        for (f, &q) in factors.iter().zip(u) {
            let value = f.prior.quantile(q, f.default);
            registry
                .set(&f.key, value)
                .map_err(|e| SensitivityError::Run(e.to_string()))?;
        }
        let params = Params::new(&registry, &self.data.model_calendar)
            .map_err(|e| SensitivityError::Run(e.to_string()))?;
        let streams = Streams::new(self.seed, run);
        let s = self.scenario;
        let (w, years) = simulate_with(self.data, s, s.divergence, &params, &streams)
            .map_err(|e| SensitivityError::Run(e.to_string()))?;
        Ok(self.output.of(&Outcome::from_world(&w, years)))
    }
}

/// The ensemble layer's worker pool (0 threads: one per core).
fn pool(threads: usize) -> Result<rayon::ThreadPool, SensitivityError> {
    razvilka_ensemble::pool(threads).map_err(|e| SensitivityError::Run(e.to_string()))
}

/// How large an analysis.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Settings {
    /// Rows of each Sobol' sample matrix (a power of two); the design has n·(d+3) worlds.
    pub n: usize,
    /// Bootstrap resamples for the intervals.
    pub resamples: usize,
    /// Worlds averaged at each Sobol' point (1: one world, its luck one more input); more worlds
    /// estimate the indices of a probability rather than of one world's result.
    pub worlds_per_point: u32,
    /// Worlds per end of each tornado bar.
    pub runs: u32,
    pub seed: u64,
    pub threads: usize,
}

/// One input's Sobol' indices.
#[derive(Clone, Debug, Serialize)]
pub struct Ranked {
    pub key: String,
    #[serde(flatten)]
    pub index: Index,
}

/// The Sobol' analysis of one output.
#[derive(Clone, Debug, Serialize)]
pub struct SobolReport {
    pub scenario: String,
    pub output: String,
    pub settings: Settings,
    /// Worlds simulated.
    pub worlds: usize,
    /// Mean and variance of the output over the A and B samples.
    pub mean: f64,
    pub variance: f64,
    /// Every input, by total index, largest first; the world's own luck is [`CHANCE`].
    pub ranked: Vec<Ranked>,
}

/// Sobol' indices of `output` over every free assumption of `scenario` plus the world's own luck:
/// point `k`'s last coordinate picks the world's random streams, so a world of AB_i keeps the luck
/// of its A row unless `i` is the luck itself.
pub fn sobol(
    data: &Data,
    scenario: &Scenario,
    output: &Output,
    settings: Settings,
    progress: &(dyn Fn() + Sync),
) -> Result<SobolReport, SensitivityError> {
    let (bench, factors) = Bench::new(data, scenario, settings.seed, output);
    let d = factors.len() + 1;
    let design = Design::new(settings.n, d, settings.seed);
    let outputs: Vec<f64> = pool(settings.threads)?.install(|| {
        (0..design.len())
            .into_par_iter()
            .map(|k| {
                let u = design.point(k);
                // The luck coordinate, on the sequence's 2^-24 grid, names the runs.
                let first = (u[d - 1] * (1u64 << 32) as f64) as u64 * 1024;
                let m = settings.worlds_per_point.max(1);
                let mut sum = 0.0;
                for j in 0..m as u64 {
                    sum += bench.world(&factors, &u[..d - 1], first + j)?;
                }
                progress();
                Ok::<f64, SensitivityError>(sum / m as f64)
            })
            .collect::<Result<Vec<f64>, _>>()
    })?;
    let missing = outputs.iter().filter(|y| !y.is_finite()).count();
    if missing > 0 {
        return Err(SensitivityError::Undefined {
            output: output.name.clone(),
            missing,
            worlds: outputs.len(),
        });
    }
    let n2 = 2 * settings.n;
    let mean = outputs[..n2].iter().sum::<f64>() / n2 as f64;
    let variance = outputs[..n2]
        .iter()
        .map(|y| (y - mean).powi(2))
        .sum::<f64>()
        / n2 as f64;
    let found = sobol::indices(&design, &outputs, settings.resamples, settings.seed)?;
    let ranked = sobol::rank(&found)
        .into_iter()
        .map(|i| Ranked {
            key: factors.get(i).map_or(CHANCE.to_string(), |f| f.key.clone()),
            index: found[i],
        })
        .collect();
    Ok(SobolReport {
        scenario: scenario.name.clone(),
        output: output.name.clone(),
        settings,
        worlds: outputs.len() * settings.worlds_per_point.max(1) as usize,
        mean,
        variance,
        ranked,
    })
}

/// One bar of a tornado: the output's mean with one assumption at its prior's 5th and 95th
/// percentiles, the rest at their defaults, over the same worlds.
#[derive(Clone, Debug, Serialize)]
pub struct Bar {
    pub key: String,
    pub low_value: f64,
    pub high_value: f64,
    /// The output's mean at each end.
    pub at_low: f64,
    pub at_high: f64,
}

/// The tornado of one output.
#[derive(Clone, Debug, Serialize)]
pub struct Tornado {
    pub scenario: String,
    pub output: String,
    pub runs: u32,
    pub seed: u64,
    /// The output's mean with every assumption at its default.
    pub at_defaults: f64,
    /// By the width of the bar, widest first.
    pub bars: Vec<Bar>,
}

/// One-at-a-time: each free assumption moved to its prior's 5th and then 95th percentile, the same
/// `runs` worlds (common random numbers) each time.
pub fn tornado(
    data: &Data,
    scenario: &Scenario,
    output: &Output,
    settings: Settings,
    progress: &(dyn Fn() + Sync),
) -> Result<Tornado, SensitivityError> {
    let (bench, factors) = Bench::new(data, scenario, settings.seed, output);
    // Quantiles of the defaults are not needed: a factor left out of `u` keeps its default.
    let mean_with = |moved: Option<(usize, f64)>| -> Result<f64, SensitivityError> {
        let values: Vec<f64> = (0..settings.runs as u64)
            .into_par_iter()
            .map(|run| {
                let (fs, us): (Vec<Factor>, Vec<f64>) = match moved {
                    Some((i, q)) => (vec![factors[i].clone()], vec![q]),
                    None => (Vec::new(), Vec::new()),
                };
                let y = bench.world(&fs, &us, run);
                progress();
                y
            })
            .collect::<Result<_, _>>()?;
        let finite: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
        Ok(if finite.is_empty() {
            f64::NAN
        } else {
            finite.iter().sum::<f64>() / finite.len() as f64
        })
    };
    pool(settings.threads)?.install(|| {
        let at_defaults = mean_with(None)?;
        let mut bars = Vec::new();
        for (i, f) in factors.iter().enumerate() {
            bars.push(Bar {
                key: f.key.clone(),
                low_value: f.prior.quantile(0.05, f.default),
                high_value: f.prior.quantile(0.95, f.default),
                at_low: mean_with(Some((i, 0.05)))?,
                at_high: mean_with(Some((i, 0.95)))?,
            });
        }
        bars.sort_by(|a, b| {
            let w = |x: &Bar| (x.at_high - x.at_low).abs();
            w(b).total_cmp(&w(a)).then(a.key.cmp(&b.key))
        });
        Ok(Tornado {
            scenario: scenario.name.clone(),
            output: output.name.clone(),
            runs: settings.runs,
            seed: settings.seed,
            at_defaults,
            bars,
        })
    })
}
