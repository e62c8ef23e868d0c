//! The claims answered again under a posterior sample (`claims --posterior FILE`): each world of every
//! claim's ensemble (both twins of a pair alike) takes its assumptions from a row of the sample of
//! non-implausible assumption sets (docs/calibration.md), and each verdict is set beside the one at
//! the defaults. The worlds, seed and thresholds are those of the answers at the defaults, so the two
//! differ by the assumptions alone.

use std::sync::Arc;

use razvilka_ensemble::Options;
use razvilka_world::{Data, PosteriorSample, Scenario};
use serde::Serialize;

use super::*;

/// One claim's answer under the sample, beside its verdict at the defaults.
#[derive(Clone, Debug, Serialize)]
pub struct PosteriorVerdict {
    pub number: u32,
    pub answer: Answer,
    pub call: Call,
    pub call_at_defaults: Call,
    /// The two verdicts in plain words, the difference said first.
    pub words: String,
}

/// Every claim under the sample: `under_posterior` in `claims --posterior FILE --json`.
#[derive(Clone, Debug, Serialize)]
pub struct UnderPosterior {
    /// The sample's file, its rows and the assumptions it sets.
    pub file: String,
    pub rows: usize,
    pub assumptions: Vec<String>,
    pub runs: u32,
    pub seed: u64,
    pub claims: Vec<PosteriorVerdict>,
}

/// Answers every claim of `file` under `sample` with the settings of `answers` (its worlds and seed),
/// comparing each verdict with the one `answers` gives at the defaults.
pub fn under_posterior(
    data: &Data,
    file: &ClaimsFile,
    answers: &Answers,
    settings: Settings,
    sample: &Arc<PosteriorSample>,
    progress: &(dyn Fn() + Sync),
) -> Result<UnderPosterior, ClaimsError> {
    let eval = Evaluator::new(data);
    let under = |s: Scenario| Scenario {
        posterior: Some(sample.clone()),
        ..s
    };
    let options = Options {
        runs: settings.runs,
        seed: settings.seed,
        threads: settings.threads,
    };
    let mut verdicts = Vec::new();
    for ((world_name, base_name), has_claims) in file.groups() {
        if !has_claims {
            continue;
        }
        let world = under(scenario(data, &world_name)?);
        let base = base_name
            .as_deref()
            .map(|b| scenario(data, b).map(under))
            .transpose()?;
        let pairs = run_group(data, &world, base.as_ref(), options, progress)?;
        for claim in file
            .claims
            .iter()
            .filter(|c| c.world == world_name && c.baseline == base_name)
        {
            let readings = read_claim(&eval, claim, &pairs);
            let refs: Vec<&Reading> = readings.iter().collect();
            let answer = answer(claim, &refs);
            let call = Call::of(claim, answer.value, answer.interval);
            let call_at_defaults = answers
                .claims
                .iter()
                .find(|v| v.claim.number == claim.number)
                .map_or(Call::Inconclusive, |v| v.call);
            let words = if call == call_at_defaults {
                format!("{} (at the defaults and under the posterior)", call.words())
            } else {
                format!(
                    "changes under the posterior: {} at the defaults, {} under the posterior",
                    call_at_defaults.words(),
                    call.words()
                )
            };
            verdicts.push(PosteriorVerdict {
                number: claim.number,
                answer,
                call,
                call_at_defaults,
                words,
            });
        }
    }
    verdicts.sort_by_key(|v| v.number);
    Ok(UnderPosterior {
        file: sample.file.display().to_string(),
        rows: sample.rows.len(),
        assumptions: sample.keys.clone(),
        runs: settings.runs,
        seed: settings.seed,
        claims: verdicts,
    })
}

/// Worlds (or twin pairs) `under_posterior` runs, for a progress bar.
pub fn posterior_work(file: &ClaimsFile, settings: Settings) -> u64 {
    file.groups().values().filter(|&&c| c).count() as u64 * settings.runs as u64
}
