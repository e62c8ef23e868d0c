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
            if let Some((low, high)) = a.prior.bounds() {
                // `partial_cmp` is not `Less` for low ≥ high and for a NaN bound alike.
                let ordered = low.partial_cmp(&high) == Some(std::cmp::Ordering::Less);
                if !ordered || !(low..=high).contains(&a.default) {
                    return Err(fail(format!(
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

    /// Sets `key` to `value` (a scenario override), checking the prior's bounds.
    pub fn set(&mut self, key: &str, value: f64) -> Result<(), RegistryError> {
        let &i = self.index.get(key).ok_or_else(|| RegistryError::Unknown {
            key: key.to_string(),
        })?;
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
mod tests {
    use super::*;

    const TEXT: &str = r#"
[[assumption]]
key = "a.x"
meaning = "a test value"
unit = "share"
default = 0.5
prior = { dist = "uniform", low = 0.2, high = 0.8 }
provenance = "judgment"
basis = "because"

[[assumption]]
key = "a.y"
meaning = "another"
unit = "1"
default = 2.0
prior = { dist = "fixed" }
provenance = "source"
basis = "a book"
thread = ["HARRY"]
"#;

    #[test]
    fn reads_and_overrides() {
        let mut r = Registry::parse(TEXT, "t.toml").unwrap();
        assert_eq!(r.get("a.x").unwrap(), 0.5);
        assert!(matches!(r.get("a.z"), Err(RegistryError::Unknown { .. })));
        r.set("a.x", 0.3).unwrap();
        assert_eq!(r.get("a.x").unwrap(), 0.3);
        assert!(matches!(
            r.set("a.x", 0.9),
            Err(RegistryError::OutOfBounds { .. })
        ));
    }

    #[test]
    fn sampling_respects_bounds_fixed_priors_and_kept_keys() {
        let r = Registry::parse(TEXT, "t.toml").unwrap();
        let mut seen = Vec::new();
        for run in 0..200 {
            let s = r.sampled(&Streams::new(1, run), &[]);
            let x = s.get("a.x").unwrap();
            assert!((0.2..=0.8).contains(&x));
            assert_eq!(s.get("a.y").unwrap(), 2.0);
            seen.push(x);
        }
        let mean = seen.iter().sum::<f64>() / seen.len() as f64;
        assert!((mean - 0.5).abs() < 0.05);
        let kept = r.sampled(&Streams::new(1, 0), &["a.x".to_string()]);
        assert_eq!(kept.get("a.x").unwrap(), 0.5);
    }

    #[test]
    fn priors_quantiles() {
        let t = Prior::Triangular {
            low: 0.0,
            mode: 0.5,
            high: 1.0,
        };
        assert!((t.quantile(0.5, 0.0) - 0.5).abs() < 1e-9);
        let n = Prior::Normal {
            mean: 1.0,
            sd: 0.1,
            low: 0.0,
            high: 2.0,
        };
        assert!((n.quantile(0.5, 0.0) - 1.0).abs() < 1e-6);
        assert!((n.quantile(0.975, 0.0) - 1.196).abs() < 1e-3);
    }

    #[test]
    fn bad_entries_are_located() {
        let bad = TEXT.replace("default = 0.5", "default = 1.5");
        let e = Registry::parse(&bad, "t.toml").unwrap_err();
        assert!(e.message.contains("bounds"), "{e}");
        assert_eq!(e.line, 2);
        let unknown = TEXT.replace("unit = \"share\"", "units = \"share\"");
        let e = Registry::parse(&unknown, "t.toml").unwrap_err();
        assert!(e.message.contains("unknown field"), "{e}");
        assert!(e.help.unwrap().contains("unit"));
        assert_eq!(e.line, 5);
    }
}
