//! Validation: the actual-history baseline (and the free run from 1922) against the targets of
//! `data/targets.toml`, each scored against a stated know-nothing model (the null).
//!
//! A target passes only if the model beats its null *and* its rule holds:
//! - a dated event: the log score of the recorded month under the model's distribution of that month
//!   over ALL worlds (a world where it never happens puts its mass on "never"), against a null spread
//!   evenly over a stated window; it beats the null when the lower 95% Wilson bound of the model's
//!   probability of the recorded month exceeds the null's;
//! - a category: the same log score against the uniform over stated categories (or a stated base rate);
//! - a number: the CRPS of the model's distribution against a stated broad uniform null;
//! - a yearly series: the CRPS summed over the years against a broad null, the coverage of the model's
//!   5–95% band and the PIT's balance (a bias puts the record on one side too often);
//! - a path (several outcomes together): the share of worlds that follow it against the product of the
//!   marginal shares, which is what the model would give if it did not tie them together.
//!
//! Targets are `calibrated` (some parameter was set from the same observation) or `validation` (no
//! parameter was): the headline verdict uses validation targets only.

use std::collections::BTreeMap;
use std::ops::Range;

use razvilka_kernel::{Diagnostic, Month};
use razvilka_model::{Fate, Office, PersonId};
use razvilka_world::catalogue::{self, Context, SeriesDef};
use razvilka_world::{Data, Milestone, Outcome};
use serde::{Deserialize, Serialize};
use toml::Spanned;

mod quantities;
mod score;
mod stats;

pub use quantities::*;
pub use stats::*;

const TARGETS: &str = include_str!("../../../../data/targets.toml");
const ECONOMY: &str = include_str!("../../../../data/economy.toml");

/// Which ensemble a target is checked on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunKind {
    Baseline,
    Free,
}

/// Whether a parameter was set from the target's observation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A parameter was fitted to it: reported, not part of the verdict.
    Calibrated,
    /// No parameter was set from it: the verdict.
    Validation,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNull {
    /// Dated events: the window the null spreads evenly over.
    #[serde(default)]
    from: Option<Month>,
    #[serde(default)]
    to: Option<Month>,
    /// Numbers and series: a uniform over [low, high].
    #[serde(default)]
    low: Option<f64>,
    #[serde(default)]
    high: Option<f64>,
    /// Categories: a stated base rate per category (else uniform over `categories`).
    #[serde(default)]
    base_rate: BTreeMap<String, f64>,
    /// Why this null: what a know-nothing model would say.
    why: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    statistic: String,
    #[serde(default)]
    year: Option<u32>,
    #[serde(default)]
    person: Option<String>,
    values: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    id: String,
    run: RunKind,
    role: Role,
    /// For calibrated targets: the parameters set from this observation.
    #[serde(default)]
    fitted: Option<String>,
    text: String,
    source: String,
    kind: String,
    #[serde(default)]
    person: Option<String>,
    #[serde(default)]
    milestone: Option<String>,
    #[serde(default)]
    statistic: Option<String>,
    #[serde(default)]
    observed: Option<toml::Value>,
    /// Counts and NSDAP votes: the first month (the election's month for a vote).
    #[serde(default)]
    from: Option<Month>,
    /// Counts: the last month.
    #[serde(default)]
    by: Option<Month>,
    #[serde(default)]
    year: Option<u32>,
    /// A yearly series: the year its value is divided by (an index over that year).
    #[serde(default)]
    base: Option<u32>,
    /// A catalogue outcome that some worlds lack (the war's dead in a world without a war): the value
    /// such a world counts as, where the target's text says so; without it they are left out.
    #[serde(default)]
    absent: Option<f64>,
    #[serde(default)]
    null: Option<RawNull>,
    /// Categories: the values the null spreads over (a world with any other value counts as "other",
    /// which the uniform null gives nothing).
    #[serde(default)]
    categories: Vec<String>,
    /// `in_band`, `commonest`, `share_at_least` or `none`.
    #[serde(default)]
    rule: Option<String>,
    /// `share_at_least`: the threshold, and `why` it is that.
    #[serde(default)]
    min_share: Option<f64>,
    #[serde(default)]
    why: Option<String>,
    /// Series: the id of a series in `economy.toml` and the years checked.
    #[serde(default)]
    series: Option<String>,
    #[serde(default)]
    years: Option<[u32; 2]>,
    /// Series: model value = recorded value × `scale` (after indexing to `base`, if any).
    #[serde(default)]
    scale: Option<f64>,
    /// Series: the recorded point of year `y + shift` is compared with the model's year `y` (1 January
    /// counts are the end of the December before).
    #[serde(default)]
    shift: Option<u32>,
    /// Paths: the outcomes that must hold together.
    #[serde(default)]
    conditions: Vec<RawCondition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTargets {
    target: Vec<Spanned<RawTarget>>,
}

#[derive(Deserialize)]
struct RawEconomy {
    series: Vec<RawSeries>,
}

#[derive(Deserialize)]
struct RawSeries {
    id: String,
    source: String,
    points: Vec<RawPoint>,
}

#[derive(Deserialize)]
struct RawPoint {
    year: u32,
    value: f64,
    verified: bool,
}

/// A target's score against its null.
#[derive(Clone, Debug, Serialize)]
pub struct Score {
    /// `log` (log score, natural log; higher is better) or `crps` (lower is better).
    pub metric: &'static str,
    pub model: f64,
    pub null: f64,
}

/// One year of a series check.
#[derive(Clone, Debug, Serialize)]
pub struct SeriesYear {
    pub year: u32,
    pub observed: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
    /// The share of worlds below the recorded value (ties count half): the probability integral
    /// transform. A calibrated model gives uniform PITs.
    pub pit: f64,
}

/// One row of the validation table.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub id: String,
    pub run: RunKind,
    pub role: Role,
    /// For calibrated targets: what was fitted to it.
    pub fitted: Option<String>,
    pub kind: String,
    pub text: String,
    pub source: String,
    /// What history shows.
    pub observed: String,
    /// The model's distribution, summarised.
    pub model: String,
    /// The model's probability of the recorded outcome (dated events, categories, paths).
    pub share: Option<f64>,
    /// The model's 5–95% band over all worlds, where there is one.
    pub band: Option<[String; 2]>,
    /// The null model, in words, with why.
    pub null: String,
    pub score: Score,
    /// Log scores: bits gained over the null (log2 of the ratio of probabilities); CRPS: 1 − model/null.
    /// Positive is better than the null.
    pub skill: f64,
    pub beats_null: bool,
    /// The rule beside the null, in words.
    pub rule: String,
    pub rule_holds: bool,
    pub pass: bool,
    /// Series: the years, their bands and PITs.
    pub years: Vec<SeriesYear>,
}

/// A parsed target.
pub struct Target {
    raw: RawTarget,
    /// Series: recorded (model year, value in model units).
    points: Vec<(u32, f64)>,
    /// Series: the source of the recorded points.
    series_source: String,
}

/// Recorded (year, value) points of a yearly series, from a series target.
pub struct RecordedSeries<'a> {
    pub series: &'a str,
    /// For an index: the year its points are indexed to (the point of that year is 1).
    pub base: Option<u32>,
    pub points: &'a [(u32, f64)],
    pub source: &'a str,
}

/// The targets of the data's `targets.toml`, with series from its `economy.toml` (the built-in copies,
/// or those of the `--data` directory the data was read from).
pub fn targets(data: &Data) -> Result<Vec<Target>, Diagnostic> {
    let (targets_file, targets) = data.companion("targets.toml", TARGETS)?;
    let (economy_file, economy) = data.companion("economy.toml", ECONOMY)?;
    parse(data, (&targets, &targets_file), (&economy, &economy_file))
}

/// The built-in texts of `targets.toml` and `economy.toml`, for a caller that reads the files itself
/// when they are missing from a data directory.
pub fn builtin_texts() -> [(&'static str, &'static str); 2] {
    [("targets.toml", TARGETS), ("economy.toml", ECONOMY)]
}

/// Parses targets from `(text, file name)` of `targets.toml` and of `economy.toml` (the series).
pub fn parse(
    data: &Data,
    (text, file): (&str, &str),
    (economy_text, economy_file): (&str, &str),
) -> Result<Vec<Target>, Diagnostic> {
    let raw: RawTargets =
        toml::from_str(text).map_err(|e| Diagnostic::from_toml(file, text, &e))?;
    let economy: RawEconomy = toml::from_str(economy_text)
        .map_err(|e| Diagnostic::from_toml(economy_file, economy_text, &e))?;
    let at = |span: Range<usize>, msg: String, help: &str| {
        Diagnostic::at(file, text, span, msg).with_help(help.to_string())
    };
    let mut out = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    for spanned in raw.target {
        let span = spanned.span();
        let t = spanned.into_inner();
        let bad =
            |msg: String, help: &str| at(span.clone(), format!("target `{}`: {msg}", t.id), help);
        if !ids.insert(t.id.clone()) {
            return Err(bad("appears twice".into(), "give each target its own id"));
        }
        if t.role == Role::Calibrated && t.fitted.as_deref().is_none_or(str::is_empty) {
            return Err(bad(
                "a calibrated target must name what was fitted to it".into(),
                "add fitted = \"<assumption keys>\", or role = \"validation\" if nothing was",
            ));
        }
        if t.role == Role::Validation && t.fitted.is_some() {
            return Err(bad(
                "a validation target has nothing fitted to it".into(),
                "remove `fitted`, or mark it role = \"calibrated\"",
            ));
        }
        if let Some(p) = &t.person {
            if data.people.find(p).is_none() {
                return Err(bad(
                    format!("unknown person `{p}`"),
                    "a person id from people.toml",
                ));
            }
        }
        if let Some(m) = &t.milestone {
            if milestone(m).is_none() {
                return Err(bad(
                    format!("unknown milestone `{m}`"),
                    "lost:<office>, fate:<fate>, left_politburo or defeated",
                ));
            }
        }
        let null = t.null.as_ref();
        let uniform = null.and_then(|n| Some((n.low?, n.high?)));
        let uniform_ok = uniform.is_some_and(|(l, h)| l.is_finite() && h.is_finite() && l < h);
        let stat = t.statistic.as_deref().unwrap_or_default();
        let rule = t.rule.as_deref().unwrap_or("none");
        let observed_month = match &t.observed {
            Some(toml::Value::String(s)) => s.parse::<Month>().ok(),
            _ => None,
        };
        let observed_number = match &t.observed {
            Some(toml::Value::Float(x)) if x.is_finite() => Some(*x),
            Some(toml::Value::Integer(i)) => Some(*i as f64),
            _ => None,
        };
        let mut points = Vec::new();
        let mut series_source = String::new();
        let (ok, help): (bool, &str) = match t.kind.as_str() {
            "date" if !observed_month.is_some_and(|m| {
                null.is_some_and(|n| matches!((n.from, n.to), (Some(a), Some(b)) if a <= m && m <= b))
            }) =>
            {
                (false, "the recorded month must lie inside the null's window: a null that gives the record nothing cannot be beaten honestly")
            }
            "date" => (
                (t.person.is_some() && t.milestone.is_some()
                    || DATE_STATISTICS.contains(&stat))
                    && observed_month.is_some()
                    && null.is_some_and(|n| matches!((n.from, n.to), (Some(a), Some(b)) if a <= b))
                    && ["in_band", "none"].contains(&rule),
                "a date needs person and milestone (or statistic nazi_power | war_start | war_end), observed = \"YYYY-MM\", null = { from, to, why } and rule = \"in_band\" or \"none\"",
            ),
            "category" => {
                let base_ok = null.is_some_and(|n| {
                    n.base_rate.is_empty()
                        || (n.base_rate.keys().all(|k| t.categories.contains(k) || k == "other")
                            && n.base_rate.values().all(|p| *p > 0.0)
                            && (n.base_rate.values().sum::<f64>() - 1.0).abs() < 1e-6)
                });
                (
                    category_statistic(stat, t.year)
                        && t.observed.as_ref().and_then(|v| v.as_str()).is_some_and(|o| {
                            t.categories.iter().any(|c| c == o)
                                && null.is_some_and(|n| n.base_rate.is_empty() || n.base_rate.contains_key(o))
                        })
                        && !t.categories.is_empty()
                        && base_ok
                        && (rule == "commonest"
                            || rule == "none"
                            || (rule == "share_at_least"
                                && t.min_share.is_some_and(|s| (0.0..=1.0).contains(&s))
                                && t.why.is_some())),
                    "a category needs statistic (an outcome of the catalogue, read in its own year, so no `year`; or one of general_secretary, leader, fate, german_regime, comintern_line, alignment, war_start_month, war_end_year, policy, famine_peak_year, most_collectivized with `year`), observed (one of the categories), categories, null = { why } (or a base_rate over the categories summing to 1) and rule = \"commonest\", \"none\" or \"share_at_least\" with min_share and why",
                )
            }
            "number" => {
                let outcome = catalogue::numeric_def(stat).is_some();
                let series = catalogue::series_def(stat).is_some();
                (
                    (outcome || series || OWN_NUMBERS.contains(&stat))
                        && observed_number.is_some()
                        && uniform_ok
                        && ["in_band", "none"].contains(&rule)
                        && (stat != "nsdap_vote" || t.from.is_some())
                        && (stat != "count" || (t.milestone.is_some() && t.from.is_some() && t.by.is_some()))
                        && (!outcome || (t.year.is_none() && t.base.is_none()))
                        && (outcome || t.absent.is_none())
                        && t.absent.is_none_or(f64::is_finite)
                        && (!(series || stat == "politburo_loyal") || t.year.is_some()),
                    "a number needs statistic, observed (a number), null = { low, high, why } with low < high and rule = \"in_band\" or \"none\"; the statistic is an outcome of the catalogue (read in its own year: no year or base; absent = the value of a world without one), a yearly series of the catalogue with year (and base for an index over that year), nsdap_vote with from, politburo_loyal with year, or count with milestone, from and by",
                )
            }
            "series" => {
                let found = t.series.as_ref().and_then(|id| economy.series.iter().find(|s| &s.id == id));
                let ok = catalogue::series_def(stat).is_some()
                    && uniform_ok
                    && t.years.is_some_and(|[a, b]| a <= b)
                    && t.scale.is_none_or(|x| x.is_finite() && x > 0.0);
                if let (true, Some(s), Some([first, last])) = (ok, found, t.years) {
                    let shift = t.shift.unwrap_or(0);
                    let scale = t.scale.unwrap_or(1.0);
                    let value_of = |y: u32| {
                        s.points.iter().find(|p| p.year == y + shift && p.verified).map(|p| p.value)
                    };
                    let base = match t.base {
                        Some(b) => match value_of(b) {
                            Some(v) if v != 0.0 => Some(v),
                            _ => {
                                return Err(bad(
                                    format!("series `{}` has no verified point for the base year {}", s.id, b + shift),
                                    "choose a base year the series has, verified",
                                ))
                            }
                        },
                        None => None,
                    };
                    points = (first..=last)
                        .filter_map(|y| value_of(y).map(|v| (y, v / base.unwrap_or(1.0) * scale)))
                        .collect();
                    series_source = format!("{} ({economy_file} {})", s.source, s.id);
                }
                (
                    ok && found.is_some() && !points.is_empty(),
                    "a series needs statistic (a yearly series of the catalogue: grain_harvest, gdp, livestock...), series (an id in economy.toml with verified points in the years), years = [first, last] and null = { low, high, why }",
                )
            }
            "path" => (
                !t.conditions.is_empty()
                    && t.conditions.iter().all(|c| {
                        category_statistic(&c.statistic, c.year)
                            && !c.values.is_empty()
                            && c.person.as_ref().is_none_or(|p| data.people.find(p).is_some())
                    }),
                "a path needs conditions = [{ statistic, year, values }, ...] with categorical statistics (a catalogue outcome takes no year)",
            ),
            _ => (false, "kind is date, category, number, series or path"),
        };
        if !ok {
            return Err(bad(
                format!("kind `{}` is unknown or lacks its fields", t.kind),
                help,
            ));
        }
        out.push(Target {
            raw: t,
            points,
            series_source,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
