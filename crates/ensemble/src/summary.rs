//! The summary of an ensemble: the JSON contract of `run --json` (documented in `docs/json.md`).

use std::collections::BTreeMap;

use rayon::prelude::*;
use razvilka_model::Fate;
use razvilka_world::catalogue::{categorical_outcomes, numeric_outcomes, SERIES};
use razvilka_world::{Data, Outcome, Scenario, YearRecord};
use serde::Serialize;

/// Quantiles of a number over the runs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quantiles {
    pub mean: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
}

impl Quantiles {
    pub fn of(values: &[f64]) -> Quantiles {
        let mut finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        let n = finite.len();
        if n == 0 {
            return Quantiles {
                mean: f64::NAN,
                p05: f64::NAN,
                p50: f64::NAN,
                p95: f64::NAN,
            };
        }
        let mean = finite.iter().sum::<f64>() / n as f64;
        // Nearest-rank quantiles by selection (no full sort): rank ⌈p·n⌉.
        let rank = |p: f64| ((p * n as f64).ceil() as usize).clamp(1, n) - 1;
        let mut at = |k: usize| *finite.select_nth_unstable_by(k, f64::total_cmp).1;
        let p05 = at(rank(0.05));
        let p50 = at(rank(0.5));
        let p95 = at(rank(0.95));
        Quantiles {
            mean,
            p05,
            p50,
            p95,
        }
    }
}

/// One year of a fan chart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YearBand {
    pub year: u32,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
}

/// What `run --json` prints.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub title: String,
    pub runs: u32,
    pub seed: u64,
    pub sample_priors: bool,
    /// First month the mechanisms ran free (history is replayed before it).
    pub divergence: String,
    /// Outcome → value → probability.
    pub categorical: BTreeMap<String, BTreeMap<String, f64>>,
    /// Outcome → value → 95% Wilson interval of the probability.
    pub intervals: BTreeMap<String, BTreeMap<String, [f64; 2]>>,
    /// Person id → his standing at the end of 1941 → probability.
    pub people: BTreeMap<String, BTreeMap<String, f64>>,
    pub numeric: BTreeMap<String, Quantiles>,
    /// Numeric outcome → how many worlds have no value for it (left out of its quantiles; all of them
    /// when its numbers are null). Outcomes every world has are not listed.
    pub undefined: BTreeMap<String, usize>,
    /// Series name → yearly bands.
    pub series: BTreeMap<String, Vec<YearBand>>,
}

/// The 95% Wilson score interval for `k` successes in `n` trials.
pub fn wilson(k: usize, n: usize) -> [f64; 2] {
    if n == 0 {
        return [0.0, 1.0];
    }
    let (n, p, z) = (n as f64, k as f64 / n as f64, 1.959964);
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / (1.0 + z * z / n);
    // The interval always contains p (rounding could push an end past it at p = 0 or 1).
    [(centre - half).clamp(0.0, p), (centre + half).clamp(p, 1.0)]
}

/// Aggregates the outcomes of an ensemble.
pub fn summarize(data: &Data, scenario: &Scenario, seed: u64, outcomes: &[Outcome]) -> Summary {
    let n = outcomes.len();
    let mut categorical = BTreeMap::new();
    let mut intervals = BTreeMap::new();
    // Each outcome is counted on its own thread; the maps are keyed, so the order does not matter.
    let counted: Vec<(&str, BTreeMap<String, usize>)> = categorical_outcomes(data)
        .par_iter()
        .map(|(name, f)| {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for o in outcomes {
                *counts.entry(f(o)).or_default() += 1;
            }
            (*name, counts)
        })
        .collect();
    for (name, counts) in counted {
        categorical.insert(
            name.to_string(),
            counts
                .iter()
                .map(|(v, c)| (v.clone(), *c as f64 / n as f64))
                .collect(),
        );
        intervals.insert(
            name.to_string(),
            counts
                .iter()
                .map(|(v, c)| (v.clone(), wilson(*c, n)))
                .collect(),
        );
    }
    let mut people = BTreeMap::new();
    for (id, person) in data.people.ids() {
        let mut counts = [0usize; 32];
        for o in outcomes {
            if let Some(y) = o.year(1941) {
                counts[y.fates[id.index()] as usize] += 1;
            }
        }
        let shares: BTreeMap<String, f64> = Fate::ALL
            .iter()
            .filter(|f| counts[**f as usize] > 0)
            .map(|f| (f.id().to_string(), counts[*f as usize] as f64 / n as f64))
            .collect();
        if !shares.is_empty() {
            people.insert(person.id.clone(), shares);
        }
    }
    let quantiles: Vec<(String, Quantiles, usize)> = numeric_outcomes(data)
        .par_iter()
        .map(|(name, f)| {
            let values: Vec<f64> = outcomes.iter().map(f).collect();
            let missing = values.iter().filter(|v| !v.is_finite()).count();
            (name.to_string(), Quantiles::of(&values), missing)
        })
        .collect();
    let undefined = quantiles
        .iter()
        .filter(|(_, _, missing)| *missing > 0)
        .map(|(name, _, missing)| (name.clone(), *missing))
        .collect();
    let numeric = quantiles
        .into_iter()
        .map(|(name, q, _)| (name, q))
        .collect();
    let mut series = BTreeMap::new();
    let years: Vec<u32> = outcomes
        .first()
        .map(|o| o.years.iter().map(|y| y.year).collect())
        .unwrap_or_default();
    let band = |value: &dyn Fn(&Outcome, &YearRecord) -> f64| -> Vec<YearBand> {
        years
            .iter()
            .map(|&year| {
                let values: Vec<f64> = outcomes
                    .iter()
                    .filter_map(|o| o.year(year).map(|y| value(o, y)))
                    .collect();
                let q = Quantiles::of(&values);
                YearBand {
                    year,
                    p05: q.p05,
                    p50: q.p50,
                    p95: q.p95,
                }
            })
            .collect()
    };
    let banded: Vec<(&str, Vec<YearBand>)> = SERIES
        .par_iter()
        .map(|s| {
            let mut bands = band(&|o, y| s.value(o, y));
            if s.only_years_with_values {
                bands.retain(|b| b.p50.is_finite());
            }
            (s.about.id, bands)
        })
        .collect();
    for (name, bands) in banded {
        series.insert(name.to_string(), bands);
    }
    Summary {
        scenario: scenario.name.clone(),
        title: scenario.title.clone(),
        runs: n as u32,
        seed,
        sample_priors: scenario.sample_priors,
        divergence: scenario.divergence.to_string(),
        categorical,
        intervals,
        people,
        numeric,
        undefined,
        series,
    }
}

/// How twin worlds differ on one outcome.
#[derive(Clone, Debug, Serialize)]
pub struct Paired {
    /// Share of twin pairs in which the outcome differs (categorical) or the mean paired difference
    /// B − A (numeric).
    pub value: f64,
    /// 95% interval of `value`.
    pub interval: [f64; 2],
    /// For categorical outcomes, the commonest changes "a → b" and their shares of all pairs.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub changes: BTreeMap<String, f64>,
}

/// What `compare A B --json` prints.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub a: Summary,
    pub b: Summary,
    /// First month both twins ran free.
    pub twins_free_from: String,
    pub paired: BTreeMap<String, Paired>,
}

/// Summarises twin pairs.
pub fn compare(
    data: &Data,
    a: &Scenario,
    b: &Scenario,
    seed: u64,
    pairs: &[(Outcome, Outcome)],
) -> Comparison {
    let (left, right): (Vec<Outcome>, Vec<Outcome>) = pairs.iter().cloned().unzip();
    let n = pairs.len();
    let mut paired = BTreeMap::new();
    for (name, f) in categorical_outcomes(data) {
        let mut changed = 0;
        let mut changes: BTreeMap<String, usize> = BTreeMap::new();
        for (x, y) in pairs {
            let (fx, fy) = (f(x), f(y));
            if fx != fy {
                changed += 1;
                *changes.entry(format!("{fx} → {fy}")).or_default() += 1;
            }
        }
        let mut top: Vec<(String, usize)> = changes.into_iter().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        paired.insert(
            name.to_string(),
            Paired {
                value: changed as f64 / n.max(1) as f64,
                interval: wilson(changed, n),
                changes: top
                    .into_iter()
                    .take(5)
                    .map(|(k, c)| (k, c as f64 / n.max(1) as f64))
                    .collect(),
            },
        );
    }
    for (name, f) in numeric_outcomes(data) {
        let diffs: Vec<f64> = pairs
            .iter()
            .map(|(x, y)| f(y) - f(x))
            .filter(|d| d.is_finite())
            .collect();
        let m = diffs.len().max(1) as f64;
        let mean = diffs.iter().sum::<f64>() / m;
        let var = diffs.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (m - 1.0).max(1.0);
        let half = 1.959964 * (var / m).sqrt();
        paired.insert(
            name.to_string(),
            Paired {
                value: mean,
                interval: [mean - half, mean + half],
                changes: BTreeMap::new(),
            },
        );
    }
    Comparison {
        a: summarize(data, a, seed, &left),
        b: summarize(data, b, seed, &right),
        twins_free_from: crate::twin_replay(a, b).to_string(),
        paired,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_interval_known_values() {
        // 50 of 100: 0.404 to 0.596 (standard tables).
        let [lo, hi] = wilson(50, 100);
        assert!(
            (lo - 0.4038).abs() < 1e-3 && (hi - 0.5962).abs() < 1e-3,
            "{lo} {hi}"
        );
        assert_eq!(wilson(0, 10)[0], 0.0);
        assert_eq!(wilson(10, 10)[1], 1.0);
        assert_eq!(wilson(0, 0), [0.0, 1.0]);
    }

    #[test]
    fn quantiles_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        let q = Quantiles::of(&v);
        assert_eq!((q.p05, q.p50, q.p95), (5.0, 50.0, 95.0));
        assert!((q.mean - 50.5).abs() < 1e-12);
        assert!(Quantiles::of(&[f64::NAN]).mean.is_nan());
    }
}
