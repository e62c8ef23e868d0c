//! The summary of an ensemble: the JSON contract of `run --json` (documented in `docs/json.md`).

use std::collections::BTreeMap;

use rayon::prelude::*;
use razvilka_kernel::{Fate, PersonId};
use razvilka_model::economy::Year as Economy;
use razvilka_world::{Data, Milestone, Outcome, Scenario, YearRecord};
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

/// A categorical outcome: the value one world takes.
pub type Categorical = Box<dyn Fn(&Outcome) -> String + Sync>;
/// A numeric outcome: NaN where the world has none.
pub type Numeric = Box<dyn Fn(&Outcome) -> f64 + Sync>;

fn person_id(data: &Data, p: Option<PersonId>, none: &str) -> String {
    p.map_or(none.to_string(), |p| data.people.get(p).id.clone())
}

/// The categorical outcomes of the contract, by name.
pub fn categorical_outcomes(data: &Data) -> Vec<(&'static str, Categorical)> {
    let stalin = data.people.find("stalin");
    let mut out: Vec<(&'static str, Categorical)> = Vec::new();
    for (name, year) in [
        ("leader_1926", 1926),
        ("leader_1930", 1930),
        ("leader_1940", 1940),
    ] {
        let d = data.clone();
        out.push((
            name,
            Box::new(move |o: &Outcome| {
                o.year(year)
                    .map_or("n/a".into(), |y| person_id(&d, y.leader, "collective"))
            }),
        ));
    }
    let d = data.clone();
    out.push((
        "general_secretary_1925",
        Box::new(move |o: &Outcome| {
            o.year(1925)
                .map_or("n/a".into(), |y| person_id(&d, y.general_secretary, "none"))
        }),
    ));
    for (name, year) in [("stalin_fate_1930", 1930), ("stalin_fate_1941", 1941)] {
        out.push((
            name,
            Box::new(move |o: &Outcome| match (o.year(year), stalin) {
                (Some(y), Some(s)) => y.fates[s.index()].id().to_string(),
                _ => "n/a".into(),
            }),
        ));
    }
    // HARRY's claim: how far toward a Caucasian break Stalin went by the end of 1941.
    out.push((
        "stalin_caucasus_by_1941",
        Box::new(move |o: &Outcome| {
            let Some(s) = stalin else { return "n/a".into() };
            if o.year(1941).is_none() {
                return "n/a".into();
            }
            let reached = |f: Fate| {
                o.first(s, Milestone::Reached(f))
                    .is_some_and(|m| m.year() <= 1941)
            };
            if reached(Fate::Breakaway) {
                "breakaway".into()
            } else if reached(Fate::Revolt) {
                "revolt".into()
            } else if reached(Fate::CaucasusBase) {
                "power_base".into()
            } else {
                "none".into()
            }
        }),
    ));
    out.push((
        "policy_1930",
        Box::new(|o: &Outcome| {
            o.year(1930)
                .map_or("n/a".into(), |y| y.policy.id().to_string())
        }),
    ));
    out.push((
        "collectivization",
        Box::new(|o: &Outcome| {
            // How far forced collectivisation went by the end of 1940.
            match o
                .year(1940)
                .and_then(|y| y.economy)
                .map(|e| e.collectivized)
            {
                None => "n/a".into(),
                Some(c) if c >= 0.7 => "full".into(),
                Some(c) if c >= 0.1 => "partial".into(),
                Some(_) => "none".into(),
            }
        }),
    ));
    out.push((
        "german_regime_1934",
        Box::new(|o: &Outcome| {
            o.year(1934)
                .map_or("n/a".into(), |y| y.german_regime.id().to_string())
        }),
    ));
    out.push((
        "comintern_line_1932",
        Box::new(|o: &Outcome| {
            o.year(1932)
                .map_or("n/a".into(), |y| y.comintern_line.id().to_string())
        }),
    ));
    out.push((
        "alignment_1939",
        Box::new(|o: &Outcome| o.europe.alignment_by(1939).to_string()),
    ));
    out.push((
        "war_start_year",
        Box::new(|o: &Outcome| o.europe.war_start_year()),
    ));
    out.push((
        "war_outcome",
        Box::new(|o: &Outcome| o.europe.result().id().to_string()),
    ));
    out.push((
        "surprise_1941",
        Box::new(
            |o: &Outcome| match (o.europe.war_start, o.europe.surprise) {
                (Some(m), Some(s)) if m.year() == 1941 => (if s { "yes" } else { "no" }).into(),
                _ => "no_attack_1941".into(),
            },
        ),
    ));
    out.push((
        "military_coup_by_1941",
        Box::new(|o: &Outcome| match o.europe.coup {
            Some((m, ok)) if m.year() <= 1941 => (if ok { "succeeded" } else { "failed" }).into(),
            _ => "none".into(),
        }),
    ));
    out.push((
        "regime_1935",
        Box::new(|o: &Outcome| {
            o.year(1935)
                .map_or("n/a".into(), |y| y.regime.id().to_string())
        }),
    ));
    out
}

fn violent(f: Fate) -> bool {
    matches!(f, Fate::Executed | Fate::Killed | Fate::Suicide)
}

/// `value(year) / value(base)` of an economic series, NaN where either year is missing.
fn ratio(o: &Outcome, year: u32, base: u32, value: impl Fn(&Economy) -> f64) -> f64 {
    match (
        o.year(year).and_then(|y| y.economy),
        o.year(base).and_then(|y| y.economy),
    ) {
        (Some(a), Some(b)) => value(&a) / value(&b),
        _ => f64::NAN,
    }
}

/// Out of the party at the end of 1941 for a cause other than natural death: expelled, exiled,
/// imprisoned, abroad, in the Caucasus, or executed, killed or driven to suicide.
fn outcast(f: Fate) -> bool {
    !f.is_member() && f != Fate::DeadNatural
}

/// The numeric outcomes of the contract, by name.
pub fn numeric_outcomes(data: &Data) -> Vec<(&'static str, Numeric)> {
    // Stalin's men: the people whose patron in 1922 is Stalin (data/people.toml).
    let loyalists: Vec<usize> = match data.people.find("stalin") {
        Some(s) => data
            .people
            .ids()
            .filter(|(_, p)| p.patron == Some(s))
            .map(|(id, _)| id.index())
            .collect(),
        None => Vec::new(),
    };
    let ruthlessness: Vec<f64> = data.people.ids().map(|(_, p)| p.ruthlessness).collect();
    vec![
        (
            "loyalists_outcast_1941",
            Box::new(move |o: &Outcome| {
                if loyalists.is_empty() {
                    return f64::NAN;
                }
                o.year(1941).map_or(f64::NAN, |y| {
                    let out = loyalists.iter().filter(|&&i| outcast(y.fates[i])).count();
                    out as f64 / loyalists.len() as f64
                })
            }),
        ),
        (
            "leader_ruthlessness_1940",
            Box::new(move |o: &Outcome| {
                o.year(1940)
                    .and_then(|y| y.leader)
                    .map_or(f64::NAN, |l| ruthlessness[l.index()])
            }),
        ),
        (
            "repression_peak",
            Box::new(|o: &Outcome| o.years.iter().map(|y| y.repression).fold(0.0, f64::max)),
        ),
        (
            "repression_peak_year",
            Box::new(|o: &Outcome| {
                o.years
                    .iter()
                    .max_by(|a, b| a.repression.total_cmp(&b.repression))
                    .map_or(f64::NAN, |y| y.year as f64)
            }),
        ),
        (
            "leaders_killed_by_1941",
            Box::new(|o: &Outcome| {
                o.year(1941).map_or(f64::NAN, |y| {
                    y.fates.iter().filter(|f| violent(**f)).count() as f64
                })
            }),
        ),
        (
            "gdp_1940",
            Box::new(|o: &Outcome| ratio(o, 1940, 1928, |e| e.gdp) * 100.0),
        ),
        (
            "industry_1940",
            Box::new(|o: &Outcome| ratio(o, 1940, 1928, |e| e.industry) * 100.0),
        ),
        (
            "consumption_1940",
            Box::new(|o: &Outcome| ratio(o, 1940, 1928, |e| e.consumption_per_head) * 100.0),
        ),
        (
            "famine_deaths_1930_1934",
            Box::new(|o: &Outcome| {
                (1930..=1934)
                    .filter_map(|y| o.year(y).and_then(|r| r.economy))
                    .map(|e| e.famine_deaths)
                    .sum()
            }),
        ),
        (
            "military_capacity_1941",
            Box::new(|o: &Outcome| ratio(o, 1941, 1928, |e| e.military) * 100.0),
        ),
        (
            "nazi_power_month",
            Box::new(|o: &Outcome| {
                o.europe.nazi_power.map_or(f64::NAN, |m| {
                    m.since(razvilka_kernel::Month::new(1922, 1)) as f64
                })
            }),
        ),
        (
            "war_end_month",
            Box::new(|o: &Outcome| {
                o.europe.outcome.map_or(f64::NAN, |(_, m)| {
                    m.since(razvilka_kernel::Month::new(1922, 1)) as f64
                })
            }),
        ),
        (
            "soviet_military_deaths",
            Box::new(|o: &Outcome| {
                o.europe
                    .war_start
                    .map_or(f64::NAN, |_| o.europe.soviet_dead)
            }),
        ),
        (
            "red_army_officers_purged",
            Box::new(|o: &Outcome| o.europe.officers_purged),
        ),
        (
            "front_first_december_km",
            Box::new(|o: &Outcome| o.europe.first_december.map_or(f64::NAN, |(d, _)| d)),
        ),
        (
            "soviet_dead_first_december",
            Box::new(|o: &Outcome| o.europe.first_december.map_or(f64::NAN, |(_, d)| d)),
        ),
        (
            "leader_share_1930",
            Box::new(|o: &Outcome| o.year(1930).map_or(f64::NAN, |y| y.top_share)),
        ),
    ]
}

type Yearly = Box<dyn Fn(&YearRecord) -> f64 + Sync>;

/// A yearly series of the contract: one value per world and year, banded by the summary.
pub struct Series {
    pub name: &'static str,
    /// The value in one year's record; NaN where the world has none that year.
    pub value: Yearly,
    /// The summary keeps only the years whose median is a number (the economic series, which start
    /// with the 1927 harvest year); the other series keep every year.
    pub only_years_with_values: bool,
}

/// The yearly series of the contract, in the order the export writes them.
pub fn yearly_series() -> Vec<Series> {
    let every_year = |name, value: fn(&YearRecord) -> f64| Series {
        name,
        value: Box::new(value),
        only_years_with_values: false,
    };
    let mut out = vec![
        every_year("repression", |y| y.repression),
        every_year("front_km", |y| y.front_km.unwrap_or(f64::NAN)),
        // Over the worlds at war (or after one) by that year, like the numeric outcome.
        every_year("soviet_military_dead", |y| {
            if y.soviet_dead > 0.0 {
                y.soviet_dead
            } else {
                f64::NAN
            }
        }),
    ];
    type EconomicValue = fn(&Economy) -> f64;
    let economic: [(&str, EconomicValue); 11] = [
        ("gdp", |e| e.gdp),
        ("industry", |e| e.industry),
        ("agriculture", |e| e.agriculture),
        ("grain_harvest", |e| e.grain),
        ("grain_procurement", |e| e.procurement),
        ("consumption_per_head", |e| e.consumption_per_head),
        ("urban_share", |e| e.urban),
        ("famine_deaths", |e| e.famine_deaths),
        ("military_capacity", |e| e.military),
        ("livestock", |e| e.livestock),
        ("collectivized", |e| e.collectivized),
    ];
    out.extend(economic.into_iter().map(|(name, value)| Series {
        name,
        value: Box::new(move |y: &YearRecord| y.economy.map_or(f64::NAN, |e| value(&e))),
        only_years_with_values: true,
    }));
    out.push(every_year("leader_share", |y| y.top_share));
    out
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
    let band = |value: &dyn Fn(&YearRecord) -> f64| -> Vec<YearBand> {
        years
            .iter()
            .map(|&year| {
                let values: Vec<f64> = outcomes
                    .iter()
                    .filter_map(|o| o.year(year))
                    .map(value)
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
    let banded: Vec<(&str, Vec<YearBand>)> = yearly_series()
        .par_iter()
        .map(|s| {
            let mut bands = band(&s.value);
            if s.only_years_with_values {
                bands.retain(|b| b.p50.is_finite());
            }
            (s.name, bands)
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
