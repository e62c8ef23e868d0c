//! A posterior sample as one more way an ensemble draws a world's assumptions: beside the defaults
//! and the priors, each world takes one row of a sample of assumption sets (the non-implausible sets
//! `python -m razvilka.calibrate` writes, docs/calibration.md). The file is read and checked by
//! `razvilka_export::posterior`; here is only how a world picks its row.

use std::path::PathBuf;

use razvilka_kernel::{Month, Registry, Stream, Streams};

/// The stream that picks a world's row of the sample (its own, so no mechanism's draws move).
const ROW_STREAM: Stream = Stream::named("posterior.row");

/// Rows of values for some of the registry's assumptions, each checked against its domain and prior
/// bounds when it was read.
#[derive(Clone, Debug, PartialEq)]
pub struct PosteriorSample {
    /// The file it was read from, for messages and pages.
    pub file: PathBuf,
    /// The assumptions the sample sets, in the file's column order.
    pub keys: Vec<String>,
    /// One assumption set per row (never empty), values in the order of `keys`.
    pub rows: Vec<Vec<f64>>,
}

impl PosteriorSample {
    /// The row the world with these streams takes. World `k` of an ensemble seeded with `s` draws it
    /// from the streams of `(s, k)`, so the draw is the same on any thread count, and twin worlds
    /// (which share their streams) take the same row.
    pub fn row_for(&self, streams: &Streams) -> usize {
        let u = streams.uniform(ROW_STREAM, Month::new(1900, 1), 0);
        ((u * self.rows.len() as f64) as usize).min(self.rows.len() - 1)
    }

    /// Sets the world's row on every assumption of the sample that the scenario does not override:
    /// an intervention that fixes an assumption fixes it.
    pub fn apply(&self, registry: &mut Registry, streams: &Streams, overrides: &[(String, f64)]) {
        let row = &self.rows[self.row_for(streams)];
        for (key, value) in self.keys.iter().zip(row) {
            if overrides.iter().any(|(k, _)| k == key) {
                continue;
            }
            // Checked against the domain and the prior's bounds when the sample was read.
            let _ = registry.set(key, *value);
        }
    }
}
