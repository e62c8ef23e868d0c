//! The summary of an ensemble: the JSON contract of `run --json` (documented in `docs/json.md`).

use std::collections::BTreeMap;

use razvilka_model::Fate;
use razvilka_world::catalogue::{
    categorical_outcomes, numeric_outcomes, Categorical, Numeric, SERIES,
};
use razvilka_world::{Data, Outcome, Scenario};
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
    /// Mean and nearest-rank quantiles of the finite values, exactly (NaN if there are none).
    pub fn of(values: &[f64]) -> Quantiles {
        let mut finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if finite.is_empty() {
            return Quantiles::undefined();
        }
        let mean = finite.iter().sum::<f64>() / finite.len() as f64;
        let (p05, p50, p95) = nearest_ranks(&mut finite);
        Quantiles {
            mean,
            p05,
            p50,
            p95,
        }
    }

    /// The quantiles of no value at all.
    fn undefined() -> Quantiles {
        Quantiles {
            mean: f64::NAN,
            p05: f64::NAN,
            p50: f64::NAN,
            p95: f64::NAN,
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

/// Values of one number kept exactly, per numeric outcome and per series year, up to this many: the
/// quantiles of an ensemble of up to 16,384 worlds are exact (nearest rank). Beyond it each number
/// goes into a quantile sketch instead, so that memory does not grow with the number of worlds: about
/// 440 numbers × 16,384 × 8 bytes = 56 MB at most for the exact values (a power of two, so a vector
/// that doubles to hold them holds no more).
pub const EXACT_QUANTILES_UP_TO: usize = 1 << 14;

/// The sketches' relative accuracy. A sketch holds each value's distance from the first value (the
/// anchor), so a sketched quantile is within 0.1% of that distance of the exact value at a rank at most
/// one away: within 0.1% of the values' range. (Relative to the values themselves, a year such as 1943
/// could be off by two years; measured in docs/benchmarks.md.)
const SKETCH_ACCURACY: f64 = 0.001;

/// The most buckets a sketch keeps on each side of zero: at 0.1% accuracy, 8,192 buckets span values
/// from x to about 10^7·x before the smallest buckets are merged (which would coarsen only the low
/// tail). At most 8 bytes each, so even all 440 sketches full on both sides stay under 60 MB.
const SKETCH_BUCKETS: u32 = 8192;

/// The smallest magnitude a sketch tells from zero (smaller ones count as zero).
const SKETCH_SMALLEST: f64 = 1e-9;

/// One number over the worlds folded so far: its finite values' sum (for the mean, in run order, so
/// the same bits as summing the exact values) and either every finite value or a sketch of them.
struct Distribution {
    sum: f64,
    count: usize,
    spread: Spread,
}

enum Spread {
    Exact(Vec<f64>),
    /// Each value's distance from `anchor` (the first value), sketched.
    Sketched {
        anchor: f64,
        sketch: sketches_ddsketch::DDSketch,
    },
}

impl Distribution {
    fn new() -> Distribution {
        Distribution {
            // `Iterator::sum` of floats starts from -0.0; so does this, for the same bits.
            sum: -0.0,
            count: 0,
            spread: Spread::Exact(Vec::new()),
        }
    }

    /// Adds one world's value; NaN and infinities (the world has no value) are left out.
    fn add(&mut self, value: f64) {
        if !value.is_finite() {
            return;
        }
        self.sum += value;
        self.count += 1;
        match &mut self.spread {
            Spread::Exact(values) if values.len() < EXACT_QUANTILES_UP_TO => values.push(value),
            Spread::Exact(values) => {
                let mut sketch = sketches_ddsketch::DDSketch::new(sketches_ddsketch::Config::new(
                    SKETCH_ACCURACY,
                    SKETCH_BUCKETS,
                    SKETCH_SMALLEST,
                ));
                let anchor = values[0];
                for v in values.iter() {
                    sketch.add(v - anchor);
                }
                sketch.add(value - anchor);
                self.spread = Spread::Sketched { anchor, sketch };
            }
            Spread::Sketched { anchor, sketch } => sketch.add(value - *anchor),
        }
    }

    fn quantiles(&mut self) -> Quantiles {
        let n = self.count;
        if n == 0 {
            return Quantiles::undefined();
        }
        let mean = self.sum / n as f64;
        let (p05, p50, p95) = match &mut self.spread {
            Spread::Exact(values) => nearest_ranks(values),
            Spread::Sketched { anchor, sketch } => {
                let anchor = *anchor;
                let (lo, hi) = (
                    sketch.min().map_or(f64::NAN, |v| v + anchor),
                    sketch.max().map_or(f64::NAN, |v| v + anchor),
                );
                // A bucket's representative value may lie just outside the values seen.
                let at = |p: f64| {
                    sketch
                        .quantile(p)
                        .ok()
                        .flatten()
                        .map_or(f64::NAN, |v| (v + anchor).clamp(lo, hi))
                };
                (at(0.05), at(0.5), at(0.95))
            }
        };
        Quantiles {
            mean,
            p05,
            p50,
            p95,
        }
    }
}

/// The index of the nearest-rank quantile (rank ⌈p·n⌉) among `n` sorted values.
fn rank(p: f64, n: usize) -> usize {
    ((p * n as f64).ceil() as usize).clamp(1, n) - 1
}

/// The nearest-rank 5%, 50% and 95% quantiles of finite, non-empty `values`, by selection (no full
/// sort). The median is selected first; the values below it are then the lower part and those above it
/// the upper, so the 5% and 95% quantiles are each selected in about half the values (the summary of
/// 10,000 worlds spends most of its time here).
fn nearest_ranks(values: &mut [f64]) -> (f64, f64, f64) {
    let n = values.len();
    let (r05, r50, r95) = (rank(0.05, n), rank(0.5, n), rank(0.95, n));
    let (below, median, above) = values.select_nth_unstable_by(r50, f64::total_cmp);
    let p50 = *median;
    let p05 = if r05 < r50 {
        *below.select_nth_unstable_by(r05, f64::total_cmp).1
    } else {
        p50
    };
    let p95 = if r95 > r50 {
        *above
            .select_nth_unstable_by(r95 - r50 - 1, f64::total_cmp)
            .1
    } else {
        p50
    };
    (p05, p50, p95)
}

/// A summary being built: worlds are folded in one at a time, in run order, and only counts, sums and
/// the quantiles' values (or sketches, past [`EXACT_QUANTILES_UP_TO`]) are kept, so its memory does not
/// grow with the number of worlds beyond that limit. Folding the same worlds in the same order gives
/// the same bytes, whatever thread ran them.
pub struct Tally<'a> {
    data: &'a Data,
    scenario: &'a Scenario,
    seed: u64,
    runs: usize,
    categorical: Vec<(&'static str, Categorical, BTreeMap<String, usize>)>,
    /// Per person, worlds by his fate at the end of 1941 (indexed by `Fate as usize`).
    people: Vec<[usize; 32]>,
    numeric: Vec<(&'static str, Numeric, Distribution, usize)>,
    /// The years of the first world (every world of a scenario records the same ones).
    years: Option<Vec<u32>>,
    /// Per series, per year of `years`.
    series: Vec<Vec<Distribution>>,
}

impl<'a> Tally<'a> {
    pub fn new(data: &'a Data, scenario: &'a Scenario, seed: u64) -> Tally<'a> {
        Tally {
            data,
            scenario,
            seed,
            runs: 0,
            categorical: categorical_outcomes(data)
                .into_iter()
                .map(|(name, f)| (name, f, BTreeMap::new()))
                .collect(),
            people: vec![[0; 32]; data.people.len()],
            numeric: numeric_outcomes(data)
                .into_iter()
                .map(|(name, f)| (name, f, Distribution::new(), 0))
                .collect(),
            years: None,
            series: Vec::new(),
        }
    }

    /// Folds in the next world (worlds must come in run order for the bytes to be reproducible).
    pub fn add(&mut self, outcome: &Outcome) {
        self.runs += 1;
        for (_, f, counts) in &mut self.categorical {
            let value = f(outcome);
            match counts.get_mut(&value) {
                Some(c) => *c += 1,
                None => {
                    counts.insert(value, 1);
                }
            }
        }
        if let Some(y) = outcome.year(1941) {
            for (counts, fate) in self.people.iter_mut().zip(&y.fates) {
                counts[*fate as usize] += 1;
            }
        }
        for (_, f, distribution, missing) in &mut self.numeric {
            let value = f(outcome);
            if !value.is_finite() {
                *missing += 1;
            }
            distribution.add(value);
        }
        let years = self
            .years
            .get_or_insert_with(|| outcome.years.iter().map(|y| y.year).collect());
        if self.series.is_empty() {
            self.series = SERIES
                .iter()
                .map(|_| years.iter().map(|_| Distribution::new()).collect())
                .collect();
        }
        for (i, year) in years.iter().enumerate() {
            let Some(record) = outcome.year(*year) else {
                continue;
            };
            for (s, distributions) in SERIES.iter().zip(&mut self.series) {
                distributions[i].add(s.value(outcome, record));
            }
        }
    }

    /// The summary of the worlds folded in.
    pub fn finish(mut self) -> Summary {
        let n = self.runs;
        let mut categorical = BTreeMap::new();
        let mut intervals = BTreeMap::new();
        for (name, _, counts) in &self.categorical {
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
        for ((_, person), counts) in self.data.people.ids().zip(&self.people) {
            let shares: BTreeMap<String, f64> = Fate::ALL
                .iter()
                .filter(|f| counts[**f as usize] > 0)
                .map(|f| (f.id().to_string(), counts[*f as usize] as f64 / n as f64))
                .collect();
            if !shares.is_empty() {
                people.insert(person.id.clone(), shares);
            }
        }
        let undefined = self
            .numeric
            .iter()
            .filter(|(_, _, _, missing)| *missing > 0)
            .map(|(name, _, _, missing)| (name.to_string(), *missing))
            .collect();
        let numeric = self
            .numeric
            .iter_mut()
            .map(|(name, _, distribution, _)| (name.to_string(), distribution.quantiles()))
            .collect();
        let mut series = BTreeMap::new();
        let years = self.years.unwrap_or_default();
        for (s, distributions) in SERIES.iter().zip(&mut self.series) {
            let mut bands: Vec<YearBand> = years
                .iter()
                .zip(distributions.iter_mut())
                .map(|(&year, d)| {
                    let q = d.quantiles();
                    YearBand {
                        year,
                        p05: q.p05,
                        p50: q.p50,
                        p95: q.p95,
                    }
                })
                .collect();
            if s.only_years_with_values {
                bands.retain(|b| b.p50.is_finite());
            }
            series.insert(s.about.id.to_string(), bands);
        }
        Summary {
            scenario: self.scenario.name.clone(),
            title: self.scenario.title.clone(),
            runs: n as u32,
            seed: self.seed,
            sample_priors: self.scenario.sample_priors,
            divergence: self.scenario.divergence.to_string(),
            categorical,
            intervals,
            people,
            numeric,
            undefined,
            series,
        }
    }
}

/// Aggregates the outcomes of an ensemble (in run order): [`Tally`] over a slice.
pub fn summarize(data: &Data, scenario: &Scenario, seed: u64, outcomes: &[Outcome]) -> Summary {
    let mut tally = Tally::new(data, scenario, seed);
    for o in outcomes {
        tally.add(o);
    }
    tally.finish()
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
    /// Why the economy and the war moved: the pairs split by the turning points.
    pub channels: Vec<crate::channels::Channel>,
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
        let (value, interval) = paired_mean(&diffs);
        paired.insert(
            name.to_string(),
            Paired {
                value,
                interval,
                changes: BTreeMap::new(),
            },
        );
    }
    Comparison {
        a: summarize(data, a, seed, &left),
        b: summarize(data, b, seed, &right),
        twins_free_from: crate::twin_replay(a, b).to_string(),
        paired,
        channels: crate::channels::channels(data, pairs),
    }
}

/// The mean of paired differences and its 95% interval (normal approximation; 0 with an empty
/// interval at the mean for no pairs).
pub(crate) fn paired_mean(diffs: &[f64]) -> (f64, [f64; 2]) {
    let m = diffs.len().max(1) as f64;
    let mean = diffs.iter().sum::<f64>() / m;
    let var = diffs.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (m - 1.0).max(1.0);
    let half = 1.959964 * (var / m).sqrt();
    (mean, [mean - half, mean + half])
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

    /// Up to the exact limit a distribution's quantiles are the exact ones; past it, the sketch's are
    /// within its accuracy of the exact ones (at a rank at most one away), and the mean stays exact.
    #[test]
    fn sketched_quantiles_stay_within_their_accuracy() {
        // A skewed spread with negatives, zeros and a wide range, in a scrambled order.
        let values: Vec<f64> = (0..3 * EXACT_QUANTILES_UP_TO as u64)
            .map(|i| {
                let x = (i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 11) as f64 / (1u64 << 53) as f64;
                match i % 7 {
                    0 => 0.0,
                    1 => -50.0 * x,
                    _ => (x * 12.0).exp(),
                }
            })
            .collect();
        let mut exact = Distribution::new();
        values[..EXACT_QUANTILES_UP_TO]
            .iter()
            .for_each(|v| exact.add(*v));
        assert!(matches!(exact.spread, Spread::Exact(_)));
        assert_eq!(
            exact.quantiles(),
            Quantiles::of(&values[..EXACT_QUANTILES_UP_TO])
        );
        let mut sketched = Distribution::new();
        values.iter().for_each(|v| sketched.add(*v));
        assert!(matches!(sketched.spread, Spread::Sketched { .. }));
        let (got, want) = (sketched.quantiles(), Quantiles::of(&values));
        assert_eq!(got.mean, want.mean);
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        for (p, got) in [(0.05, got.p05), (0.5, got.p50), (0.95, got.p95)] {
            let rank = ((p * sorted.len() as f64).ceil() as usize) - 1;
            let near = &sorted[rank - 1..=rank + 1];
            // The anchor is the first value, 0.
            let close = near
                .iter()
                .any(|v| (got - v).abs() <= SKETCH_ACCURACY * v.abs() + 1e-12);
            assert!(close, "p{p}: {got} not within 0.1% of {near:?}");
        }
        assert_ne!(got.p05, got.p95);
    }

    /// Far from zero (years), the error is a fraction of the spread, not of the value: a median year
    /// is right to within 0.1% of its distance from the first year seen, not 0.1% of 1943 (two years).
    #[test]
    fn sketched_years_are_right_to_a_fraction_of_their_spread() {
        let years: Vec<f64> = (0..2 * EXACT_QUANTILES_UP_TO as u64 + 1)
            .map(|i| 1930.0 + ((i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) % 16) as f64)
            .collect();
        let mut sketched = Distribution::new();
        years.iter().for_each(|v| sketched.add(*v));
        assert!(matches!(sketched.spread, Spread::Sketched { .. }));
        let (got, want) = (sketched.quantiles(), Quantiles::of(&years));
        for (got, want) in [
            (got.p05, want.p05),
            (got.p50, want.p50),
            (got.p95, want.p95),
        ] {
            // At most 15 years from the anchor: within 0.015 of a year (or the neighbouring rank's
            // year, the same here as the values repeat).
            assert!((got - want).abs() <= 0.015 + 1e-9, "{got} against {want}");
        }
    }

    mod selection {
        use super::super::{nearest_ranks, rank};
        use proptest::prelude::*;

        proptest! {
            /// The three quantiles selected around the median are the values at their ranks in the
            /// sorted values, for any number of values (ties, signed zeros and small counts included).
            #[test]
            fn quantiles_by_selection_are_the_sorted_values_at_their_ranks(
                values in proptest::collection::vec(
                    prop_oneof![-3i32..4, -1_000_000i32..1_000_000].prop_map(f64::from),
                    1..300,
                ),
                negative_zeros in 0usize..3,
            ) {
                let mut values = values;
                values.extend(std::iter::repeat_n(-0.0, negative_zeros));
                let mut sorted = values.clone();
                sorted.sort_by(f64::total_cmp);
                let n = sorted.len();
                let want = (sorted[rank(0.05, n)], sorted[rank(0.5, n)], sorted[rank(0.95, n)]);
                let got = nearest_ranks(&mut values);
                prop_assert_eq!(
                    (got.0.to_bits(), got.1.to_bits(), got.2.to_bits()),
                    (want.0.to_bits(), want.1.to_bits(), want.2.to_bits())
                );
            }
        }
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
