//! `--posterior FILE` on `run`, `compare`, `claims` and `serve`: each world takes its assumptions from
//! a row of a posterior sample (docs/calibration.md).

use std::path::PathBuf;
use std::sync::Arc;

use razvilka_analysis::claims;
use razvilka_export::posterior::{self, Posterior};
use razvilka_world::{Data, Scenario};

use super::{note, Failure};

/// A posterior sample (`--posterior FILE`), checked against the registry before any world runs.
pub(crate) fn load(data: &Data, file: &Option<PathBuf>) -> Result<Option<Arc<Posterior>>, Failure> {
    file.as_ref()
        .map(|f| {
            posterior::read(f, &data.registry).map_err(|e| Failure::Input(format!("error: {e}")))
        })
        .transpose()
}

/// The scenario as it runs: under the sample, if there is one (and said so on stderr, since the
/// text report's figures are then the sample's).
pub(crate) fn apply(scenario: Scenario, sample: &Option<Arc<Posterior>>, quiet: bool) -> Scenario {
    match sample {
        Some(p) => {
            if !quiet {
                note(&format!(
                    "{}: each world takes its assumptions from one of the {} rows of {}",
                    scenario.name,
                    p.rows.len(),
                    p.file.display()
                ));
            }
            posterior::under(&scenario, p)
        }
        None => scenario,
    }
}

/// `claims --posterior FILE`: every claim answered again under the sample, with the same worlds and
/// seed as the answers at the defaults.
pub(crate) fn claims(
    data: &Data,
    list: &claims::ClaimsFile,
    answers: &claims::Answers,
    settings: claims::Settings,
    sample: &Option<Arc<Posterior>>,
    quiet: bool,
) -> Result<Option<claims::UnderPosterior>, Failure> {
    let Some(sample) = sample else {
        return Ok(None);
    };
    let bar = super::progress_bar(
        claims::posterior_work(list, settings),
        "claims under the posterior",
        quiet,
    );
    let under = claims::under_posterior(data, list, answers, settings, sample, &|| bar.inc(1))
        .map_err(|e| Failure::Run(e.to_string()))?;
    bar.finish_and_clear();
    Ok(Some(under))
}

/// The JSON of `claims --json` with `under_posterior` after the answers at the defaults (whose bytes
/// are those of `claims --json` without a sample).
#[derive(serde::Serialize)]
pub(crate) struct ClaimsWithPosterior<'a> {
    #[serde(flatten)]
    pub answers: &'a claims::Answers,
    pub under_posterior: &'a claims::UnderPosterior,
}
