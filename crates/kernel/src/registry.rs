//! The assumption registry: every parameter of the model, with what it means, its unit, its default,
//! its prior, and where the number comes from.
//!
//! The registry is read from TOML text (`data/assumptions.toml`); the kernel never opens a file. A
//! sub-model reads its parameters by key when a run starts; an unknown key is an error, not a default.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::{Diagnostic, Month, Stream, Streams};

/// How an assumption may vary in an ensemble that samples priors.
#[derive(Clone, Debug, PartialEq, Deserialize, serde::Serialize)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
pub enum Prior {
    /// Held at its default.
    Fixed,
    Uniform {
        low: f64,
        high: f64,
    },
    Triangular {
        low: f64,
        mode: f64,
        high: f64,
    },
    /// A normal distribution truncated to [low, high].
    Normal {
        mean: f64,
        sd: f64,
        low: f64,
        high: f64,
    },
}

impl Prior {
    /// The bounds a value must lie in, if the prior has any.
    pub fn bounds(&self) -> Option<(f64, f64)> {
        match *self {
            Prior::Fixed => None,
            Prior::Uniform { low, high }
            | Prior::Triangular { low, high, .. }
            | Prior::Normal { low, high, .. } => Some((low, high)),
        }
    }

    /// The value at quantile `u` in (0, 1), or `default` for a fixed prior.
    pub fn quantile(&self, u: f64, default: f64) -> f64 {
        match *self {
            Prior::Fixed => default,
            Prior::Uniform { low, high } => low + u * (high - low),
            Prior::Triangular { low, mode, high } => {
                let split = (mode - low) / (high - low);
                if u < split {
                    low + ((high - low) * (mode - low) * u).sqrt()
                } else {
                    high - ((high - low) * (high - mode) * (1.0 - u)).sqrt()
                }
            }
            Prior::Normal {
                mean,
                sd,
                low,
                high,
            } => {
                // Inverse CDF restricted to the truncation interval.
                let cdf = |x: f64| 0.5 * (1.0 + erf((x - mean) / (sd * std::f64::consts::SQRT_2)));
                let (a, b) = (cdf(low), cdf(high));
                let p = (a + u * (b - a)).clamp(1e-12, 1.0 - 1e-12);
                (mean + sd * crate::streams::inverse_normal_cdf(p)).clamp(low, high)
            }
        }
    }
}

impl Assumption {
    /// The closed range the assumption's values must lie in: its domain, narrowed by `min` and `max`.
    pub fn limits(&self) -> (f64, f64) {
        let (low, high) = self.domain.range();
        (
            self.min.map_or(low, |m| m.max(low)),
            self.max.map_or(high, |m| m.min(high)),
        )
    }

    /// Whether `value` is one the assumption can take (never NaN or an infinity).
    pub fn admits(&self, value: f64) -> bool {
        let (low, high) = self.limits();
        self.domain.contains(value) && (low..=high).contains(&value)
    }

    /// What the assumption admits, in words: "its domain `share` (a number from 0 to 1)", or with
    /// narrower limits "a share from 0.01 to 0.99".
    pub fn admitted(&self) -> String {
        if self.min.is_none() && self.max.is_none() {
            return self.domain.to_string();
        }
        let (low, high) = self.limits();
        format!(
            "its limits: a {} from {low} to {high} (data/assumptions.toml)",
            self.domain.name()
        )
    }
}

/// Checks an assumption's default and prior against its domain: every number finite and inside it, a
/// normal prior's spread above 0. Gives the message and the help.
fn check_domain(a: &Assumption) -> Result<(), (String, String, &'static str)> {
    let domain = a.domain;
    for (what, limit) in [("min", a.min), ("max", a.max)] {
        if let Some(limit) = limit {
            if !domain.contains(limit) {
                return Err((
                    format!("assumption `{}`: {what} {limit} is outside {domain}", a.key),
                    "`min` and `max` may only narrow the domain".to_string(),
                    what,
                ));
            }
        }
    }
    let (low, high) = a.limits();
    if low > high {
        return Err((
            format!("assumption `{}`: min {low} is above max {high}", a.key),
            "give a min no larger than the max".to_string(),
            "min",
        ));
    }
    let outside = |what: &str, field: &'static str, value: f64| {
        Err((
            format!(
                "assumption `{}`: {what} {value} is outside {}",
                a.key,
                a.admitted()
            ),
            format!("`{}` is a {}: use {}", a.key, domain.name(), describe(a)),
            field,
        ))
    };
    if !a.admits(a.default) {
        return outside("default", "default", a.default);
    }
    let mut bounds = Vec::new();
    match a.prior {
        Prior::Fixed => {}
        Prior::Uniform { low, high } => bounds.extend([("low", low), ("high", high)]),
        Prior::Triangular { low, mode, high } => {
            bounds.extend([("low", low), ("mode", mode), ("high", high)])
        }
        Prior::Normal {
            mean,
            sd,
            low,
            high,
        } => {
            // A spread of 0 or less, or an infinite one, is no distribution (the inverse CDF divides
            // by it).
            if !(sd > 0.0 && sd <= LARGEST) {
                return Err((
                    format!(
                        "assumption `{}`: the normal prior's sd {sd} must be above 0",
                        a.key
                    ),
                    format!("give a finite sd above 0 and at most {LARGEST}"),
                    "prior",
                ));
            }
            if !mean.is_finite() || mean.abs() > LARGEST {
                return Err((
                    format!(
                        "assumption `{}`: the normal prior's mean {mean} is not finite",
                        a.key
                    ),
                    format!("give a mean from {} to {LARGEST}", -LARGEST),
                    "prior",
                ));
            }
            bounds.extend([("low", low), ("high", high)])
        }
    }
    for (what, value) in bounds {
        if !a.admits(value) {
            return outside(&format!("the prior's {what}"), "prior", value);
        }
    }
    Ok(())
}

/// The span of the line `field = …` inside the entry that starts at `entry`, or the entry's own span
/// when the field is not written there.
fn field_span(text: &str, entry: std::ops::Range<usize>, field: &str) -> std::ops::Range<usize> {
    let from = entry.start.min(text.len());
    let end = text[from..]
        .find("\n[[")
        .map_or(text.len(), |i| from + i + 1);
    let key = format!("\n{field} =");
    match text[from..end].find(&key) {
        Some(i) => {
            let start = from + i + 1;
            let stop = text[start..].find('\n').map_or(text.len(), |j| start + j);
            start..stop
        }
        None => entry,
    }
}

/// The admitted values in words, without the domain's name.
fn describe(a: &Assumption) -> String {
    if a.min.is_none() && a.max.is_none() {
        return a.domain.describe();
    }
    let (low, high) = a.limits();
    format!("a number from {low} to {high}")
}

/// Abramowitz–Stegun 7.1.26 (absolute error < 1.5e-7), enough for truncating a prior.
fn erf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.3275911 * x.abs());
    let y = 1.0
        - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
            + 0.254829592)
            * t
            * (-x * x).exp();
    if x >= 0.0 {
        y
    } else {
        -y
    }
}

/// The largest magnitude any assumption may take. No parameter of the model comes within an order of
/// magnitude of it (the largest, the army's officer corps in 1937, is 142,427), and it keeps every
/// product the model forms of two parameters far from overflow: a value beyond it is a typo, not a
/// finding.
pub const LARGEST: f64 = 1e6;

/// The values an assumption can take at all, whatever its prior: what its unit means. Checked on the
/// default, on the prior's bounds and on every override, so that no NaN, infinity or impossible value
/// (a probability of 1.5, a negative distance) enters a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    /// A probability, of an event or per year, month or meeting: 0 to 1.
    Probability,
    /// A share of a whole, or of a stock per period: 0 to 1.
    Share,
    /// A number of people or seats: a whole number, 0 upward.
    Count,
    /// A distance in kilometres (or kilometres per month): 0 upward.
    Km,
    /// A duration in months: 0 to 1,200 (a century; the model's calendar spans 32 years).
    Months,
    /// A hazard rate per month, which may exceed 1: 0 upward.
    Rate,
    /// A magnitude that cannot be negative (a ratio, a weight, an index, millions): 0 upward.
    Nonnegative,
    /// A magnitude that must be above 0 (a spread or a divisor): above 0.
    Positive,
    /// A coefficient whose sign the data decide (a logit, an intercept, a score): any finite number.
    Real,
}

impl Domain {
    /// Every domain's name, for error messages.
    pub const NAMES: &'static str =
        "probability, share, count, km, months, rate, nonnegative, positive, real";

    /// The closed range a value must lie in (`Positive` excludes its low end).
    pub fn range(self) -> (f64, f64) {
        match self {
            Domain::Probability | Domain::Share => (0.0, 1.0),
            Domain::Months => (0.0, 1200.0),
            Domain::Count | Domain::Km | Domain::Rate | Domain::Nonnegative | Domain::Positive => {
                (0.0, LARGEST)
            }
            Domain::Real => (-LARGEST, LARGEST),
        }
    }

    /// Whether `value` belongs to the domain (never true of NaN or an infinity).
    pub fn contains(self, value: f64) -> bool {
        let (low, high) = self.range();
        let inside = (low..=high).contains(&value);
        match self {
            Domain::Positive => inside && value > 0.0,
            Domain::Count => inside && value.fract() == 0.0,
            _ => inside,
        }
    }

    /// The domain's name, as written in data/assumptions.toml.
    pub fn name(self) -> &'static str {
        match self {
            Domain::Probability => "probability",
            Domain::Share => "share",
            Domain::Count => "count",
            Domain::Km => "km",
            Domain::Months => "months",
            Domain::Rate => "rate",
            Domain::Nonnegative => "nonnegative",
            Domain::Positive => "positive",
            Domain::Real => "real",
        }
    }

    /// What the domain allows, in words: "a number from 0 to 1".
    pub fn describe(self) -> String {
        let (low, high) = self.range();
        match self {
            Domain::Count => format!("a whole number from 0 to {high}"),
            Domain::Positive => format!("a number above 0, at most {high}"),
            _ => format!("a number from {low} to {high}"),
        }
    }
}

impl std::fmt::Display for Domain {
    /// "its domain `share` (a number from 0 to 1)".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "its domain `{}` ({})", self.name(), self.describe())
    }
}

/// Where a number comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// A published source, named in `basis`.
    Source,
    /// Chosen so the actual-history baseline meets a calibration target, named in `basis`.
    Calibration,
    /// The modeller's judgment, with the reasoning in `basis`.
    Judgment,
}

/// One parameter of the model.
#[derive(Clone, Debug, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Assumption {
    pub key: String,
    pub meaning: String,
    pub unit: String,
    /// The values the assumption can take at all.
    pub domain: Domain,
    /// Narrower ends than the domain's, where the model's equations need them (a share the model
    /// divides by cannot be 0); the reason is given beside them in data/assumptions.toml.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    pub default: f64,
    pub prior: Prior,
    pub provenance: Provenance,
    /// The source, the calibration target, or the reasoning.
    pub basis: String,
    /// Thread authors whose claims this assumption encodes.
    #[serde(default)]
    pub thread: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryFile {
    assumption: Vec<Spanned<Assumption>>,
}

/// An error in using the registry.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RegistryError {
    #[error("there is no assumption `{key}`")]
    Unknown { key: String },
    #[error("assumption `{key}` = {value} is outside {admitted}")]
    OutOfDomain {
        key: String,
        value: f64,
        /// "its domain `share` (a number from 0 to 1)".
        admitted: String,
        /// "a number from 0 to 1".
        valid: String,
    },
    #[error("assumption `{key}` = {value} is outside its prior's bounds [{low}, {high}]")]
    OutOfBounds {
        key: String,
        value: f64,
        low: f64,
        high: f64,
    },
}

/// The assumptions, and the value each has in this run.
#[derive(Clone, Debug)]
pub struct Registry {
    /// Shared between copies: a run's copy differs only in `values`.
    assumptions: std::sync::Arc<Vec<Assumption>>,
    values: Vec<f64>,
    index: std::sync::Arc<BTreeMap<String, usize>>,
}

const PRIOR_STREAM: Stream = Stream::named("assumptions.prior");

impl Registry {
    /// Reads the registry from `text`, the contents of `file`, and checks every entry.
    pub fn parse(text: &str, file: &str) -> Result<Registry, Diagnostic> {
        let parsed: RegistryFile =
            toml::from_str(text).map_err(|e| Diagnostic::from_toml(file, text, &e))?;
        let mut assumptions = Vec::with_capacity(parsed.assumption.len());
        let mut index = BTreeMap::new();
        for spanned in parsed.assumption {
            let span = spanned.span();
            let a = spanned.into_inner();
            let fail = |msg: String| Diagnostic::at(file, text, span.clone(), msg);
            if index.insert(a.key.clone(), assumptions.len()).is_some() {
                return Err(fail(format!("assumption `{}` is defined twice", a.key)));
            }
            if a.basis.trim().is_empty() || a.meaning.trim().is_empty() {
                return Err(fail(format!(
                    "assumption `{}` needs a `meaning` and a `basis` (its source, calibration target or reasoning)",
                    a.key
                )));
            }
            check_domain(&a).map_err(|(message, help, field)| {
                Diagnostic::at(file, text, field_span(text, span.clone(), field), message)
                    .with_help(help)
            })?;
            if let Some((low, high)) = a.prior.bounds() {
                // `partial_cmp` is not `Less` for low ≥ high and for a NaN bound alike.
                let ordered = low.partial_cmp(&high) == Some(std::cmp::Ordering::Less);
                if !ordered || !(low..=high).contains(&a.default) {
                    return Err(Diagnostic::at(file, text, field_span(text, span.clone(), "default"), format!(
                        "assumption `{}`: default {} must lie within the prior's bounds [{low}, {high}], low < high",
                        a.key, a.default
                    )));
                }
            }
            if let Prior::Triangular { low, mode, high } = a.prior {
                if !(low..=high).contains(&mode) {
                    return Err(fail(format!(
                        "assumption `{}`: mode outside [low, high]",
                        a.key
                    )));
                }
            }
            assumptions.push(a);
        }
        let values = assumptions.iter().map(|a| a.default).collect();
        Ok(Registry {
            assumptions: std::sync::Arc::new(assumptions),
            values,
            index: std::sync::Arc::new(index),
        })
    }

    /// The value of `key` in this run.
    pub fn get(&self, key: &str) -> Result<f64, RegistryError> {
        self.index
            .get(key)
            .map(|&i| self.values[i])
            .ok_or_else(|| RegistryError::Unknown {
                key: key.to_string(),
            })
    }

    /// Sets `key` to `value` (a scenario override), checking its domain and the prior's bounds.
    pub fn set(&mut self, key: &str, value: f64) -> Result<(), RegistryError> {
        let &i = self.index.get(key).ok_or_else(|| RegistryError::Unknown {
            key: key.to_string(),
        })?;
        let a = &self.assumptions[i];
        if !a.admits(value) {
            return Err(RegistryError::OutOfDomain {
                key: key.to_string(),
                value,
                admitted: a.admitted(),
                valid: describe(a),
            });
        }
        if let Some((low, high)) = self.assumptions[i].prior.bounds() {
            if !(low..=high).contains(&value) {
                return Err(RegistryError::OutOfBounds {
                    key: key.to_string(),
                    value,
                    low,
                    high,
                });
            }
        }
        self.values[i] = value;
        Ok(())
    }

    /// A copy with every assumption not in `keep` drawn from its prior, using this run's streams
    /// (so twin worlds draw the same values).
    pub fn sampled(&self, streams: &Streams, keep: &[String]) -> Registry {
        let mut out = self.clone();
        for ((i, a), u) in self
            .assumptions
            .iter()
            .enumerate()
            .zip(self.prior_draws(streams))
        {
            if keep.iter().any(|k| k == &a.key) {
                continue;
            }
            out.values[i] = a.prior.quantile(u, a.default);
        }
        out
    }

    /// The uniform number in [0, 1) each assumption's prior is read at in a run with these streams
    /// (its quantile in [`Registry::sampled`]), in registry order.
    pub fn prior_draws(&self, streams: &Streams) -> Vec<f64> {
        let mut draws = streams.draws(PRIOR_STREAM, Month::new(1900, 1));
        (0..self.assumptions.len())
            .map(|i| draws.uniform(i as u32))
            .collect()
    }

    pub fn assumptions(&self) -> &[Assumption] {
        &self.assumptions
    }

    /// Every key, for error messages.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.assumptions.iter().map(|a| a.key.as_str())
    }

    /// (assumption, value in this run) pairs.
    pub fn values(&self) -> impl Iterator<Item = (&Assumption, f64)> {
        self.assumptions.iter().zip(self.values.iter().copied())
    }
}

#[cfg(test)]
mod tests;
