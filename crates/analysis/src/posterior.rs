//! Answers under the calibrated uncertainty: each world of an ensemble takes one assumption set drawn
//! from a posterior sample, the Parquet file of non-implausible assumption sets that
//! `python -m razvilka.calibrate` writes (docs/calibration.md).
//!
//! World `k` of an ensemble seeded with `s` draws its row from the streams of `(s, k)`, so the draw is
//! the same on any thread count, and twin worlds (which share their streams) take the same row. The
//! scenario's own overrides win over the sample: an intervention that fixes an assumption fixes it.

use std::fs::File;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use razvilka_ensemble::{pool, twin_replay, EnsembleError, Options};
use razvilka_kernel::{Month, Registry, Stream, Streams};
use razvilka_model::Params;
use razvilka_world::{run_registry, simulate_with, Data, Outcome, RunError, Scenario};

/// The stream that picks a world's row of the sample (its own, so no mechanism's draws move).
const POSTERIOR_STREAM: Stream = Stream::named("posterior.row");

/// A posterior sample: rows of values for some of the registry's assumptions.
#[derive(Clone, Debug)]
pub struct Posterior {
    /// The file it was read from, for messages.
    pub file: PathBuf,
    /// The assumptions the sample sets, in the file's column order.
    pub keys: Vec<String>,
    /// One assumption set per row, values in the order of `keys`.
    pub rows: Vec<Vec<f64>>,
}

/// Why a posterior sample could not be used. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum PosteriorError {
    #[error("cannot read the posterior sample {}: {message}", file.display())]
    Read { file: PathBuf, message: String },
    #[error("the posterior sample {} has no column named after an assumption\n  = help: its columns are assumption keys such as `politics.pursuit` (`razvilka assumptions` lists them); other columns, without a dot, are ignored", file.display())]
    NoAssumptions { file: PathBuf },
    #[error("the posterior sample {} has no rows", file.display())]
    Empty { file: PathBuf },
    #[error("the posterior sample {}, column `{column}`: there is no assumption `{column}`\n  = help: a column whose name has a dot must be an assumption key (`razvilka assumptions` lists them)", file.display())]
    UnknownColumn { file: PathBuf, column: String },
    #[error("the posterior sample {}, row {row}, column `{column}`: {message}", file.display())]
    Value {
        file: PathBuf,
        row: usize,
        column: String,
        message: String,
    },
}

impl Posterior {
    /// Reads a Parquet sample and checks every value against its assumption's domain and prior bounds
    /// (rows are counted from 0, as pandas counts them).
    pub fn read(path: &Path, registry: &Registry) -> Result<Posterior, PosteriorError> {
        use parquet::file::reader::{FileReader, SerializedFileReader};
        use parquet::record::Field;

        let file = path.to_path_buf();
        let read_error = |message: String| PosteriorError::Read {
            file: file.clone(),
            message,
        };
        let handle = File::open(path).map_err(|e| read_error(e.to_string()))?;
        let reader = SerializedFileReader::new(handle).map_err(|e| read_error(e.to_string()))?;
        let schema = reader.metadata().file_metadata().schema_descr_ptr();
        let names: Vec<String> = schema
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        let mut keys = Vec::new();
        for name in names.iter().filter(|n| n.contains('.')) {
            if registry.get(name).is_err() {
                return Err(PosteriorError::UnknownColumn {
                    file,
                    column: name.clone(),
                });
            }
            keys.push(name.clone());
        }
        if keys.is_empty() {
            return Err(PosteriorError::NoAssumptions { file });
        }
        let mut rows = Vec::new();
        let mut check = registry.clone();
        let iter = reader
            .get_row_iter(None)
            .map_err(|e| read_error(e.to_string()))?;
        for (index, row) in iter.enumerate() {
            let row = row.map_err(|e| {
                let codec = if e.to_string().contains("Disabled feature") {
                    "\n  = help: write the sample uncompressed (pyarrow: `compression=\"none\"`), as `python -m razvilka.calibrate` does"
                } else {
                    ""
                };
                read_error(format!("row {index}: {e}{codec}"))
            })?;
            let mut values = vec![f64::NAN; keys.len()];
            for (name, field) in row.get_column_iter() {
                let Some(slot) = keys.iter().position(|k| k == name) else {
                    continue;
                };
                let bad = |message: String| PosteriorError::Value {
                    file: file.clone(),
                    row: index,
                    column: name.clone(),
                    message,
                };
                let value = match field {
                    Field::Double(v) => *v,
                    Field::Float(v) => f64::from(*v),
                    Field::Long(v) => *v as f64,
                    Field::Int(v) => f64::from(*v),
                    Field::Null => return Err(bad("the value is missing (null)".into())),
                    other => return Err(bad(format!("`{other}` is not a number"))),
                };
                check.set(name, value).map_err(|e| bad(e.to_string()))?;
                values[slot] = value;
            }
            rows.push(values);
        }
        if rows.is_empty() {
            return Err(PosteriorError::Empty { file });
        }
        Ok(Posterior { file, keys, rows })
    }

    /// The row of the sample the world with these streams takes.
    pub fn row_for(&self, streams: &Streams) -> usize {
        let u = streams.uniform(POSTERIOR_STREAM, Month::new(1900, 1), 0);
        ((u * self.rows.len() as f64) as usize).min(self.rows.len() - 1)
    }

    /// The registry of one world: the scenario's (its overrides, and its prior draws if it samples
    /// them), with the sample's row set on every assumption the scenario does not override.
    pub fn registry(&self, data: &Data, scenario: &Scenario, streams: &Streams) -> Registry {
        let mut registry = run_registry(data, scenario, streams);
        let row = &self.rows[self.row_for(streams)];
        for (key, value) in self.keys.iter().zip(row) {
            if scenario.overrides.iter().any(|(k, _)| k == key) {
                continue;
            }
            // Checked against the domain and the prior's bounds when the sample was read.
            let _ = registry.set(key, *value);
        }
        registry
    }

    fn world(
        &self,
        data: &Data,
        scenario: &Scenario,
        replay_until: Month,
        seed: u64,
        run: u64,
    ) -> Result<Outcome, RunError> {
        let streams = Streams::new(seed, run);
        let params = Params::new(
            &self.registry(data, scenario, &streams),
            &data.model_calendar,
        )?;
        let (world, years) = simulate_with(data, scenario, replay_until, &params, &streams)?;
        Ok(Outcome::from_world(&world, years))
    }

    /// An ensemble of `scenario` in which each world takes its own row of the sample (as
    /// `razvilka_ensemble::run`, in run order, the same on any thread count).
    pub fn run(
        &self,
        data: &Data,
        scenario: &Scenario,
        options: Options,
        progress: &(dyn Fn() + Sync),
    ) -> Result<Vec<Outcome>, EnsembleError> {
        pool(options.threads)?.install(|| {
            (0..options.runs as u64)
                .into_par_iter()
                .map(|k| {
                    let o = self.world(data, scenario, scenario.divergence, options.seed, k)?;
                    progress();
                    Ok(o)
                })
                .collect()
        })
    }

    /// Twin pairs under the sample: both twins of pair `k` take the same row (as
    /// `razvilka_ensemble::run_pairs`).
    pub fn run_pairs(
        &self,
        data: &Data,
        a: &Scenario,
        b: &Scenario,
        options: Options,
        progress: &(dyn Fn() + Sync),
    ) -> Result<Vec<(Outcome, Outcome)>, EnsembleError> {
        let replay_until = twin_replay(a, b);
        pool(options.threads)?.install(|| {
            (0..options.runs as u64)
                .into_par_iter()
                .map(|k| {
                    let x = self.world(data, a, replay_until, options.seed, k)?;
                    let y = self.world(data, b, replay_until, options.seed, k)?;
                    progress();
                    Ok((x, y))
                })
                .collect()
        })
    }
}
