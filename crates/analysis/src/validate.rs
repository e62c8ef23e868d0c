//! Validation: the actual-history baseline (and the free run from 1922) against the calibration
//! targets of `data/targets.toml`.

use razvilka_kernel::{Diagnostic, Month};
use razvilka_model::{Fate, Office};
use razvilka_world::{Data, Milestone, Outcome};
use serde::{Deserialize, Serialize};

const TARGETS: &str = include_str!("../../../data/targets.toml");

/// Which ensemble a target is checked on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunKind {
    Baseline,
    Free,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    id: String,
    run: RunKind,
    text: String,
    source: String,
    kind: String,
    #[serde(default)]
    person: Option<String>,
    #[serde(default)]
    milestone: Option<String>,
    #[serde(default)]
    observed: Option<toml::Value>,
    #[serde(default)]
    from: Option<Month>,
    #[serde(default)]
    by: Option<Month>,
    #[serde(default)]
    min_share: Option<f64>,
    #[serde(default)]
    max_share: Option<f64>,
    #[serde(default)]
    band: Option<bool>,
    /// Shown, not judged.
    #[serde(default)]
    report: bool,
    #[serde(default)]
    statistic: Option<String>,
    #[serde(default)]
    year: Option<u32>,
    /// For ratios: the base year; for sums: the first year (`year` is the last).
    #[serde(default)]
    base: Option<u32>,
    /// For coverage targets: recorded (year, value) points.
    #[serde(default)]
    points: Vec<(u32, f64)>,
    #[serde(default)]
    min_coverage: Option<f64>,
    #[serde(default)]
    values: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTargets {
    target: Vec<RawTarget>,
}

/// One row of the validation table.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub id: String,
    pub run: RunKind,
    pub text: String,
    pub source: String,
    /// What history shows.
    pub observed: String,
    /// What the model gives: a share of runs, and a 5–95% band where there is one.
    pub model: String,
    /// The share of runs in which it happened (for `first` and `share` targets).
    pub share: Option<f64>,
    pub band: Option<[String; 2]>,
    /// Reported only: not judged, and not counted.
    pub report: bool,
    pub pass: bool,
}

/// A parsed target.
pub struct Target(RawTarget);

/// Recorded (year, value) points of a yearly series, from a coverage target.
pub struct RecordedSeries<'a> {
    pub series: &'a str,
    pub points: &'a [(u32, f64)],
    pub source: &'a str,
}

fn milestone(text: &str) -> Option<Milestone> {
    if text == "defeated" {
        return Some(Milestone::Defeated);
    }
    if text == "left_politburo" {
        return Some(Milestone::LeftPolitburo);
    }
    if let Some(o) = text.strip_prefix("lost:") {
        return Office::from_id(o).map(Milestone::LostOffice);
    }
    text.strip_prefix("fate:")
        .and_then(Fate::from_id)
        .map(Milestone::Reached)
}

/// Reads the built-in targets.
pub fn targets(data: &Data) -> Result<Vec<Target>, Diagnostic> {
    let file = "data/targets.toml";
    let raw: RawTargets =
        toml::from_str(TARGETS).map_err(|e| Diagnostic::from_toml(file, TARGETS, &e))?;
    for t in &raw.target {
        let bad = |msg: String| Diagnostic::whole_file(file, format!("target `{}`: {msg}", t.id));
        if let Some(p) = &t.person {
            if data.people.find(p).is_none() {
                return Err(bad(format!("unknown person `{p}`")));
            }
        }
        if let Some(m) = &t.milestone {
            if milestone(m).is_none() {
                return Err(bad(format!("unknown milestone `{m}` (lost:<office>, fate:<fate>, left_politburo or defeated)")));
            }
        }
        let ok = match t.kind.as_str() {
            "first" => t.person.is_some() && t.milestone.is_some() && t.by.is_some(),
            "share" => t.statistic.is_some() && t.year.is_some(),
            "count" => t.milestone.is_some() && t.by.is_some(),
            "band" => {
                t.year.is_some()
                    && t.statistic.as_deref().is_some_and(|s| {
                        BAND_STATISTICS.contains(&s)
                            && (s != "nsdap_vote" || t.from.is_some())
                            && (t.base.is_some()
                                || !matches!(
                                    s,
                                    "gdp_ratio"
                                        | "industry_ratio"
                                        | "livestock_ratio"
                                        | "famine_deaths"
                                ))
                    })
            }
            "coverage" => {
                t.statistic.as_deref().is_some_and(|s| SERIES.contains(&s))
                    && !t.points.is_empty()
                    && t.min_coverage.is_some()
            }
            _ => false,
        };
        if !ok {
            return Err(bad(format!(
                "kind `{}` is unknown or lacks its fields",
                t.kind
            )));
        }
    }
    Ok(raw.target.into_iter().map(Target).collect())
}

impl Target {
    pub fn run(&self) -> RunKind {
        self.0.run
    }

    /// For a coverage target: the series it checks, its recorded points and their source (for
    /// drawing history over a fan chart).
    pub fn recorded_series(&self) -> Option<RecordedSeries<'_>> {
        let t = &self.0;
        match (t.kind.as_str(), &t.statistic) {
            ("coverage", Some(series)) => Some(RecordedSeries {
                series,
                points: &t.points,
                source: &t.source,
            }),
            _ => None,
        }
    }

    /// Checks the target against the outcomes of its ensemble.
    pub fn check(&self, data: &Data, outcomes: &[Outcome]) -> Row {
        let t = &self.0;
        let n = outcomes.len().max(1) as f64;
        let observed = match &t.observed {
            Some(toml::Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => String::new(),
        };
        let from = t.from.unwrap_or(razvilka_world::EARLIEST);
        let (min, max) = (t.min_share.unwrap_or(0.0), t.max_share.unwrap_or(1.0));
        let (share, band, pass, model) = match t.kind.as_str() {
            "first" => {
                let person = t
                    .person
                    .as_deref()
                    .and_then(|p| data.people.find(p))
                    .expect("checked");
                let m = milestone(t.milestone.as_deref().unwrap_or_default()).expect("checked");
                let by = t.by.expect("checked");
                let mut months: Vec<Month> = outcomes
                    .iter()
                    .filter_map(|o| o.first(person, m))
                    .filter(|&month| month >= from && month <= by)
                    .collect();
                months.sort();
                let share = months.len() as f64 / n;
                let band = band_of(&months);
                let in_band = match (&band, observed.parse::<Month>()) {
                    (Some([lo, hi]), Ok(obs)) => *lo <= obs && obs <= *hi,
                    _ => false,
                };
                let pass = (min..=max).contains(&share) && (!t.band.unwrap_or(false) || in_band);
                let model = match &band {
                    Some([lo, hi]) => format!("{:.0}% of runs; 5–95%: {lo} to {hi}", share * 100.0),
                    None => format!("{:.0}% of runs", share * 100.0),
                };
                (
                    Some(share),
                    band.map(|[a, b]| [a.to_string(), b.to_string()]),
                    pass,
                    model,
                )
            }
            "share" => {
                let year = t.year.expect("checked");
                let stat = t.statistic.as_deref().unwrap_or_default();
                let person = t.person.as_deref().and_then(|p| data.people.find(p));
                let hits = outcomes
                    .iter()
                    .filter(|o| {
                        let Some(y) = o.year(year) else { return false };
                        let id = |p: Option<razvilka_model::PersonId>| {
                            p.map_or("none".to_string(), |p| data.people.get(p).id.clone())
                        };
                        match stat {
                            "general_secretary" => t.values.contains(&id(y.general_secretary)),
                            "leader" => t
                                .values
                                .contains(&y.leader.map_or("collective".into(), |p| {
                                    data.people.get(p).id.clone()
                                })),
                            "fate" => person.is_some_and(|p| {
                                t.values.iter().any(|v| v == y.fates[p.index()].id())
                            }),
                            "german_regime" => t.values.iter().any(|v| v == y.german_regime.id()),
                            "comintern_line" => t.values.iter().any(|v| v == y.comintern_line.id()),
                            "alignment" => {
                                t.values.iter().any(|v| v == o.europe.alignment_by(year))
                            }
                            "war_start_year" => t.values.contains(&o.europe.war_start_year()),
                            "war_outcome" => t.values.iter().any(|v| v == o.europe.result().id()),
                            _ => false,
                        }
                    })
                    .count();
                let share = hits as f64 / n;
                let ci = razvilka_ensemble::wilson(hits, outcomes.len());
                let model = format!(
                    "{:.0}% of runs (95% CI {:.0}–{:.0}%)",
                    share * 100.0,
                    ci[0] * 100.0,
                    ci[1] * 100.0
                );
                (Some(share), None, (min..=max).contains(&share), model)
            }
            "band" => {
                let year = t.year.expect("checked");
                let stat = t.statistic.as_deref().unwrap_or_default();
                let values: Vec<f64> = outcomes
                    .iter()
                    .map(|o| band_statistic(o, stat, year, t.base, t.from))
                    .collect();
                let q = razvilka_ensemble::Quantiles::of(&values);
                let obs: f64 = observed.parse().unwrap_or(f64::NAN);
                let pass = q.p05 <= obs && obs <= q.p95;
                let model = format!("median {:.2}; 5–95%: {:.2} to {:.2}", q.p50, q.p05, q.p95);
                (
                    None,
                    Some([format!("{:.2}", q.p05), format!("{:.2}", q.p95)]),
                    pass,
                    model,
                )
            }
            "coverage" => {
                let stat = t.statistic.as_deref().unwrap_or_default();
                let mut covered = 0;
                let mut missed = Vec::new();
                for &(year, value) in &t.points {
                    let values: Vec<f64> = outcomes
                        .iter()
                        .map(|o| series_value(o, stat, year))
                        .collect();
                    let q = razvilka_ensemble::Quantiles::of(&values);
                    if q.p05 <= value && value <= q.p95 {
                        covered += 1;
                    } else {
                        missed.push(format!("{year} ({value} vs {:.0}–{:.0})", q.p05, q.p95));
                    }
                }
                let share = covered as f64 / t.points.len() as f64;
                let pass = share >= t.min_coverage.unwrap_or(1.0);
                let model = if missed.is_empty() {
                    format!("all {} years within the 5–95% band", t.points.len())
                } else {
                    format!(
                        "{covered} of {} years within the 5–95% band; outside: {}",
                        t.points.len(),
                        missed.join(", ")
                    )
                };
                (Some(share), None, pass, model)
            }
            _ => {
                let m = milestone(t.milestone.as_deref().unwrap_or_default()).expect("checked");
                let by = t.by.expect("checked");
                let mut counts: Vec<f64> = outcomes
                    .iter()
                    .map(|o| {
                        o.milestones
                            .iter()
                            .filter(|(_, x, month)| *x == m && *month >= from && *month <= by)
                            .count() as f64
                    })
                    .collect();
                counts.sort_by(f64::total_cmp);
                let q = razvilka_ensemble::Quantiles::of(&counts);
                let obs: f64 = observed.parse().unwrap_or(f64::NAN);
                let pass = q.p05 <= obs && obs <= q.p95;
                let model = format!("mean {:.1}; 5–95%: {} to {}", q.mean, q.p05, q.p95);
                (
                    None,
                    Some([q.p05.to_string(), q.p95.to_string()]),
                    pass,
                    model,
                )
            }
        };
        Row {
            id: t.id.clone(),
            run: t.run,
            text: t.text.clone(),
            source: t.source.clone(),
            observed,
            model,
            share,
            band,
            report: t.report,
            pass,
        }
    }
}

/// Statistics a `band` target can ask for.
const BAND_STATISTICS: [&str; 11] = [
    "nsdap_vote",
    "nazi_power_month",
    "soviet_military_dead",
    "war_end_month",
    "politburo_loyal",
    "gdp_ratio",
    "industry_ratio",
    "livestock_ratio",
    "urban_share",
    "grain_procurement",
    "famine_deaths",
];

/// Yearly economic series a `coverage` target can ask for.
const SERIES: [&str; 3] = ["grain_harvest", "grain_procurement", "urban_share"];

fn economy(o: &Outcome, year: u32) -> Option<razvilka_model::economy::Year> {
    o.year(year).and_then(|y| y.economy)
}

/// One run's value of a `band` statistic (NaN where the run has no such year).
/// `from` names the election month for `nsdap_vote`; months count from January 1922.
fn band_statistic(
    o: &Outcome,
    stat: &str,
    year: u32,
    base: Option<u32>,
    from: Option<Month>,
) -> f64 {
    let months = |m: Option<Month>| m.map_or(f64::NAN, |m| m.since(Month::new(1922, 1)) as f64);
    let ratio = |value: fn(&razvilka_model::economy::Year) -> f64| match (
        economy(o, year),
        base.and_then(|b| economy(o, b)),
    ) {
        (Some(a), Some(b)) => value(&a) / value(&b),
        _ => f64::NAN,
    };
    match stat {
        "nsdap_vote" => o
            .europe
            .votes
            .iter()
            .find(|v| Some(v.month) == from)
            .map_or(f64::NAN, |v| v.nsdap),
        "nazi_power_month" => months(o.europe.nazi_power),
        "war_end_month" => months(o.europe.outcome.map(|(_, m)| m)),
        "soviet_military_dead" => o
            .europe
            .war_start
            .map_or(f64::NAN, |_| o.europe.soviet_dead),
        "politburo_loyal" => o.year(year).map_or(f64::NAN, |y| y.politburo_loyal),
        "gdp_ratio" => ratio(|e| e.gdp),
        "industry_ratio" => ratio(|e| e.industry),
        "livestock_ratio" => ratio(|e| e.livestock),
        "famine_deaths" => (base.unwrap_or(year)..=year)
            .filter_map(|y| economy(o, y))
            .map(|e| e.famine_deaths)
            .sum(),
        _ => series_value(o, stat, year),
    }
}

/// One run's value of a yearly economic series.
fn series_value(o: &Outcome, stat: &str, year: u32) -> f64 {
    economy(o, year).map_or(f64::NAN, |e| match stat {
        "grain_harvest" => e.grain,
        "grain_procurement" => e.procurement,
        "urban_share" => e.urban,
        _ => f64::NAN,
    })
}

/// The 5–95% band of sorted months.
fn band_of(sorted: &[Month]) -> Option<[Month; 2]> {
    if sorted.is_empty() {
        return None;
    }
    let rank = |p: f64| ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    Some([sorted[rank(0.05)], sorted[rank(0.95)]])
}

/// The validation table as text.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    for (kind, heading) in [
        (
            RunKind::Baseline,
            "Actual-history baseline (history replayed to May 1924, then free)",
        ),
        (
            RunKind::Free,
            "Free run from April 1922 (nothing replayed): how often recorded history emerges",
        ),
    ] {
        out.push_str(&format!("\n{heading}\n"));
        for r in rows.iter().filter(|r| r.run == kind) {
            out.push_str(&format!(
                "  [{}] {}\n        observed: {}   model: {}\n",
                if r.report {
                    "info"
                } else if r.pass {
                    "pass"
                } else {
                    "FAIL"
                },
                r.text,
                r.observed,
                r.model
            ));
        }
    }
    let judged: Vec<&Row> = rows.iter().filter(|r| !r.report).collect();
    let passed = judged.iter().filter(|r| r.pass).count();
    out.push_str(&format!(
        "\n{passed} of {} targets pass ({} more reported, not judged)\n",
        judged.len(),
        rows.len() - judged.len()
    ));
    out
}
