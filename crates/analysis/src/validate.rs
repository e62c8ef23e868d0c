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
use razvilka_world::{Data, Milestone, Outcome};
use serde::{Deserialize, Serialize};
use toml::Spanned;

const TARGETS: &str = include_str!("../../../data/targets.toml");
const ECONOMY: &str = include_str!("../../../data/economy.toml");

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
    /// Ratios: the base year; sums: the first year (`year` is the last).
    #[serde(default)]
    base: Option<u32>,
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

/// A dated event is scored on the recorded month give or take this many months, for the model and the
/// null alike: the model acts at its calendar's meetings, and history's decisions often fell a few
/// weeks from them (Trotsky was expelled on 14 November 1927, between the October plenum and the
/// December congress). One month either side keeps the test a test of timing, not of the calendar.
const DATE_TOLERANCE: i32 = 1;

/// Dated statistics without a person.
const DATE_STATISTICS: [&str; 3] = ["nazi_power", "war_start", "war_end"];

/// Statistics a `number` target can ask for.
const NUMBER_STATISTICS: [&str; 12] = [
    "nsdap_vote",
    "soviet_military_dead",
    "politburo_loyal",
    "gdp_ratio",
    "industry_ratio",
    "livestock_ratio",
    "urban_share",
    "grain_procurement",
    "famine_deaths",
    "count",
    "officers_purged",
    "grain_harvest",
];

/// Categorical statistics (for `category` targets and the conditions of paths).
const CATEGORY_STATISTICS: [&str; 13] = [
    "general_secretary",
    "leader",
    "fate",
    "german_regime",
    "comintern_line",
    "alignment",
    "war_start_year",
    "war_start_month",
    "war_outcome",
    "war_end_year",
    "policy",
    "famine_peak_year",
    "collectivized",
];

/// Yearly series a `series` target can ask for, in model units.
const SERIES: [&str; 5] = [
    "grain_harvest",
    "grain_procurement",
    "urban_fraction",
    "gdp_index",
    "livestock_index",
];

/// The built-in targets (`data/targets.toml`, with series from `data/economy.toml`).
pub fn targets(data: &Data) -> Result<Vec<Target>, Diagnostic> {
    parse(
        data,
        (TARGETS, "data/targets.toml"),
        (ECONOMY, "data/economy.toml"),
    )
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
                    CATEGORY_STATISTICS.contains(&stat)
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
                    "a category needs statistic, observed (one of the categories), categories, null = { why } (or a base_rate over the categories summing to 1) and rule = \"commonest\", \"none\" or \"share_at_least\" with min_share and why",
                )
            }
            "number" => (
                NUMBER_STATISTICS.contains(&stat)
                    && observed_number.is_some()
                    && uniform_ok
                    && ["in_band", "none"].contains(&rule)
                    && (stat != "nsdap_vote" || t.from.is_some())
                    && (stat != "count" || (t.milestone.is_some() && t.from.is_some() && t.by.is_some()))
                    && (!stat.ends_with("_ratio") && stat != "famine_deaths" || t.base.is_some())
                    && (t.year.is_some() || ["count", "officers_purged", "soviet_military_dead"].contains(&stat)),
                "a number needs statistic, year, observed (a number), null = { low, high, why } with low < high and rule = \"in_band\" or \"none\" (ratios and famine_deaths need base; nsdap_vote needs from; count needs milestone, from and by)",
            ),
            "series" => {
                let found = t.series.as_ref().and_then(|id| economy.series.iter().find(|s| &s.id == id));
                let ok = SERIES.contains(&stat)
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
                    "a series needs statistic (grain_harvest, grain_procurement, urban_fraction, gdp_index, livestock_index), series (an id in economy.toml with verified points in the years), years = [first, last] and null = { low, high, why }",
                )
            }
            "path" => (
                !t.conditions.is_empty()
                    && t.conditions.iter().all(|c| {
                        CATEGORY_STATISTICS.contains(&c.statistic.as_str())
                            && !c.values.is_empty()
                            && c.person.as_ref().is_none_or(|p| data.people.find(p).is_some())
                    }),
                "a path needs conditions = [{ statistic, year, values }, ...] with categorical statistics",
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

impl Target {
    pub fn run(&self) -> RunKind {
        self.raw.run
    }

    pub fn role(&self) -> Role {
        self.raw.role
    }

    /// For a series target: the series it checks, its recorded points and their source (for
    /// drawing history over a fan chart).
    pub fn recorded_series(&self) -> Option<RecordedSeries<'_>> {
        let t = &self.raw;
        match (t.kind.as_str(), &t.statistic) {
            ("series", Some(series)) => Some(RecordedSeries {
                series,
                base: t.base,
                points: &self.points,
                source: &self.series_source,
            }),
            _ => None,
        }
    }

    /// Scores the target against the outcomes of its ensemble.
    pub fn check(&self, data: &Data, outcomes: &[Outcome]) -> Row {
        let t = &self.raw;
        let observed = match &t.observed {
            Some(toml::Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => String::new(),
        };
        let null = t.null.as_ref();
        let null_why = null.map_or(String::new(), |n| n.why.clone());
        let mut row = Row {
            id: t.id.clone(),
            run: t.run,
            role: t.role,
            fitted: t.fitted.clone(),
            kind: t.kind.clone(),
            text: t.text.clone(),
            source: t.source.clone(),
            observed: observed.clone(),
            model: String::new(),
            share: None,
            band: None,
            null: String::new(),
            score: Score {
                metric: "log",
                model: 0.0,
                null: 0.0,
            },
            skill: 0.0,
            beats_null: false,
            rule: String::new(),
            rule_holds: true,
            pass: false,
            years: Vec::new(),
        };
        let person = t.person.as_deref().and_then(|p| data.people.find(p));
        match t.kind.as_str() {
            "date" => {
                let n = null.expect("checked");
                let (from, to) = (n.from.expect("checked"), n.to.expect("checked"));
                let obs: Month = observed.parse().expect("checked");
                let months: Vec<Option<Month>> =
                    outcomes.iter().map(|o| self.date_of(o, person)).collect();
                // The recorded month give or take DATE_TOLERANCE, for the model and the null alike.
                let near = |m: Month| m.since(obs).abs() <= DATE_TOLERANCE;
                let k = months.iter().filter(|m| m.is_some_and(near)).count();
                let null_months = (-DATE_TOLERANCE..=DATE_TOLERANCE)
                    .filter(|d| (from..=to).contains(&obs.offset(*d)))
                    .count();
                let null_p = null_months as f64 / (to.since(from) + 1) as f64;
                let log = log_score(k, outcomes.len(), null_p);
                let never = months.iter().filter(|m| m.is_none()).count();
                // Never = after every month: the band runs over all worlds.
                let mut keys: Vec<f64> = months
                    .iter()
                    .map(|m| m.map_or(f64::INFINITY, |m| m.index() as f64))
                    .collect();
                keys.sort_by(f64::total_cmp);
                let pit = mid_pit(&keys, obs.index() as f64);
                let label = |x: f64| {
                    if x.is_finite() {
                        month_of_index(x as u32).to_string()
                    } else {
                        "never".to_string()
                    }
                };
                let (lo, mid, hi) = (
                    quantile(&keys, 0.05),
                    quantile(&keys, 0.5),
                    quantile(&keys, 0.95),
                );
                row.model = format!(
                    "{:.1}% of worlds within a month of {obs}; median {}, 5–95%: {} to {}; never by the run's end in {:.0}%",
                    k as f64 / outcomes.len().max(1) as f64 * 100.0,
                    label(mid),
                    label(lo),
                    label(hi),
                    never as f64 / outcomes.len().max(1) as f64 * 100.0
                );
                row.share = Some(k as f64 / outcomes.len().max(1) as f64);
                row.band = Some([label(lo), label(hi)]);
                row.null = format!(
                    "evenly over {from} to {to} ({:.1}% within a month of {obs}): {null_why}",
                    null_p * 100.0
                );
                row.score = log.score;
                row.skill = log.skill;
                row.beats_null = log.beats;
                if t.rule.as_deref() == Some("in_band") {
                    row.rule = "beats the null, and the recorded month lies inside the 5–95% band of all worlds (never counts as after the end)".into();
                    row.rule_holds = (0.05..=0.95).contains(&pit);
                } else {
                    row.rule = "beats the null".into();
                }
            }
            "category" | "path" => {
                let n = outcomes.len();
                let (k, null_p, model, null_text, ranked_first) = if t.kind == "path" {
                    self.path_counts(data, outcomes)
                } else {
                    self.category_counts(data, outcomes, &observed)
                };
                let log = log_score(k, n, null_p);
                if t.kind == "path" {
                    row.observed = t
                        .conditions
                        .iter()
                        .map(|c| {
                            format!(
                                "{}{}{} = {}",
                                c.statistic,
                                c.person
                                    .as_ref()
                                    .map_or(String::new(), |p| format!(" of {p}")),
                                c.year.map_or(String::new(), |y| format!(" {y}")),
                                c.values.join(" or ")
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ");
                }
                row.share = Some(k as f64 / n.max(1) as f64);
                row.model = model;
                row.null = if t.kind == "path" {
                    null_text
                } else {
                    format!("{null_text}: {null_why}")
                };
                row.score = log.score;
                row.skill = log.skill;
                row.beats_null = log.beats;
                match t.rule.as_deref() {
                    Some("commonest") => {
                        row.rule = "beats the null, and the recorded value is the commonest (ranked first)".into();
                        row.rule_holds = ranked_first;
                    }
                    Some("share_at_least") => {
                        let min = t.min_share.expect("checked");
                        row.rule = format!(
                            "beats the null, and at least {:.0}% of worlds: {}",
                            min * 100.0,
                            t.why.as_deref().unwrap_or_default()
                        );
                        row.rule_holds = k as f64 / n.max(1) as f64 >= min;
                    }
                    _ if t.kind == "path" => {
                        row.rule = "the share of worlds that follow the whole path beats the product of its outcomes' shares (the model ties them together)".into();
                    }
                    _ => row.rule = "beats the null".into(),
                }
            }
            "number" => {
                let stat = t.statistic.as_deref().unwrap_or_default();
                let mut values: Vec<f64> = outcomes
                    .iter()
                    .map(|o| number_statistic(o, t, stat))
                    .filter(|v| v.is_finite())
                    .collect();
                values.sort_by(f64::total_cmp);
                let (low, high) = {
                    let n = null.expect("checked");
                    (n.low.expect("checked"), n.high.expect("checked"))
                };
                let obs: f64 = observed.parse().unwrap_or(f64::NAN);
                // No world with the number at all scores as badly as can be written (finite, for JSON).
                let model = if values.is_empty() {
                    f64::MAX
                } else {
                    crps_sorted(&values, obs)
                };
                let null_crps = crps_uniform(low, high, obs);
                row.score = Score {
                    metric: "crps",
                    model,
                    null: null_crps,
                };
                row.skill = 1.0 - model / null_crps;
                row.beats_null = !values.is_empty() && model < null_crps;
                let (p05, p50, p95) = (
                    quantile(&values, 0.05),
                    quantile(&values, 0.5),
                    quantile(&values, 0.95),
                );
                row.model = format!(
                    "median {}; 5–95%: {} to {}{}",
                    number(p50),
                    number(p05),
                    number(p95),
                    if values.len() < outcomes.len() {
                        format!(
                            " (in the {} of {} worlds that have it)",
                            values.len(),
                            outcomes.len()
                        )
                    } else {
                        String::new()
                    }
                );
                row.band = Some([number(p05), number(p95)]);
                row.null = format!(
                    "uniform over {} to {}: {null_why}",
                    number(low),
                    number(high)
                );
                if t.rule.as_deref() == Some("in_band") {
                    row.rule = "beats the null (lower CRPS), and the recorded value lies inside the 5–95% band of all worlds".into();
                    row.rule_holds =
                        !values.is_empty() && (0.05..=0.95).contains(&mid_pit(&values, obs));
                } else {
                    row.rule = "beats the null (lower CRPS)".into();
                }
            }
            _ => {
                // A yearly series.
                let stat = t.statistic.as_deref().unwrap_or_default();
                let (low, high) = {
                    let n = null.expect("checked");
                    (n.low.expect("checked"), n.high.expect("checked"))
                };
                let (mut model_sum, mut null_sum) = (0.0, 0.0);
                for &(year, value) in &self.points {
                    let mut values: Vec<f64> = outcomes
                        .iter()
                        .map(|o| series_value(o, stat, year, t.base))
                        .filter(|v| v.is_finite())
                        .collect();
                    values.sort_by(f64::total_cmp);
                    if values.is_empty() {
                        continue;
                    }
                    model_sum += crps_sorted(&values, value);
                    null_sum += crps_uniform(low, high, value);
                    row.years.push(SeriesYear {
                        year,
                        observed: value,
                        p05: quantile(&values, 0.05),
                        p50: quantile(&values, 0.5),
                        p95: quantile(&values, 0.95),
                        pit: mid_pit(&values, value),
                    });
                }
                let coverage = Coverage::of(&row.years);
                row.score = Score {
                    metric: "crps",
                    model: model_sum,
                    null: null_sum,
                };
                row.skill = if null_sum > 0.0 {
                    1.0 - model_sum / null_sum
                } else {
                    0.0
                };
                row.beats_null = !row.years.is_empty() && model_sum < null_sum;
                row.share = Some(coverage.covered as f64 / coverage.years.max(1) as f64);
                let outside: Vec<String> = row
                    .years
                    .iter()
                    .filter(|y| !(0.05..=0.95).contains(&y.pit))
                    .map(|y| {
                        format!(
                            "{} ({} vs {}–{})",
                            y.year,
                            number(y.observed),
                            number(y.p05),
                            number(y.p95)
                        )
                    })
                    .collect();
                row.model = format!(
                    "{} of {} years inside the 5–95% band{}; {} of {} below the median",
                    coverage.covered,
                    coverage.years,
                    if outside.is_empty() {
                        String::new()
                    } else {
                        format!(" (outside: {})", outside.join(", "))
                    },
                    coverage.below,
                    coverage.years
                );
                row.observed = self
                    .points
                    .iter()
                    .map(|(y, v)| format!("{y}: {}", number(*v)))
                    .collect::<Vec<_>>()
                    .join(", ");
                row.null = format!(
                    "uniform over {} to {} each year: {null_why}",
                    number(low),
                    number(high)
                );
                row.rule = format!(
                    "beats the null (lower CRPS summed over the years); coverage of the 90% band not below what a calibrated band gives 19 times in 20, and every year when there are fewer than three (at least {} of {} years); the record not on one side of the median too often (two-sided binomial test at 5%)",
                    coverage.min_covered, coverage.years
                );
                row.rule_holds = coverage.covered >= coverage.min_covered && !coverage.biased;
            }
        }
        row.pass = row.beats_null && row.rule_holds;
        row
    }

    /// The month of a dated target's event in one world, if it happened by the run's end.
    fn date_of(&self, o: &Outcome, person: Option<PersonId>) -> Option<Month> {
        let t = &self.raw;
        match (person, t.milestone.as_deref().and_then(milestone)) {
            (Some(p), Some(m)) => o.first(p, m),
            _ => match t.statistic.as_deref() {
                Some("nazi_power") => o.europe.nazi_power,
                Some("war_start") => o.europe.war_start,
                Some("war_end") => o.europe.outcome.map(|(_, m)| m),
                _ => None,
            },
        }
    }

    /// A category target: (worlds with the recorded value, the null's probability of it, the model's
    /// distribution in words, the null in words, whether the recorded value ranks first).
    fn category_counts(
        &self,
        data: &Data,
        outcomes: &[Outcome],
        observed: &str,
    ) -> (usize, f64, String, String, bool) {
        let t = &self.raw;
        let stat = t.statistic.as_deref().unwrap_or_default();
        let person = t.person.as_deref().and_then(|p| data.people.find(p));
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for o in outcomes {
            let v = category(data, o, stat, t.year.unwrap_or(1945), person);
            let v = if t.categories.contains(&v) {
                v
            } else {
                "other".to_string()
            };
            *counts.entry(v).or_default() += 1;
        }
        let k = counts.get(observed).copied().unwrap_or(0);
        let base = &t.null.as_ref().expect("checked").base_rate;
        let (null_p, null_text) = if base.is_empty() {
            let support = t.categories.len();
            (
                1.0 / support as f64,
                format!(
                    "uniform over {} ({:.1}% each)",
                    t.categories.join(", "),
                    100.0 / support as f64
                ),
            )
        } else {
            (
                base.get(observed).copied().unwrap_or(0.0),
                format!(
                    "base rate {}",
                    base.iter()
                        .map(|(c, p)| format!("{c} {:.0}%", p * 100.0))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        };
        let mut ranked: Vec<(&String, &usize)> = counts.iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        // Ranked first: no other value is as common (a tie is not first).
        let first = ranked
            .first()
            .is_some_and(|(v, c)| *v == observed && ranked.get(1).is_none_or(|(_, d)| d < c));
        let n = outcomes.len().max(1) as f64;
        let model = ranked
            .iter()
            .take(4)
            .map(|(v, c)| format!("{v} {:.0}%", **c as f64 / n * 100.0))
            .collect::<Vec<_>>()
            .join(", ");
        (k, null_p, model, null_text, first)
    }

    /// A path target: (worlds following the whole path, the product of the conditions' shares, the
    /// model in words, the null in words, false).
    fn path_counts(&self, data: &Data, outcomes: &[Outcome]) -> (usize, f64, String, String, bool) {
        let conditions = &self.raw.conditions;
        let holds: Vec<Vec<bool>> = outcomes
            .iter()
            .map(|o| {
                conditions
                    .iter()
                    .map(|c| {
                        let person = c.person.as_deref().and_then(|p| data.people.find(p));
                        let v = category(data, o, &c.statistic, c.year.unwrap_or(1945), person);
                        c.values.contains(&v)
                    })
                    .collect()
            })
            .collect();
        let n = outcomes.len().max(1) as f64;
        let k = holds.iter().filter(|h| h.iter().all(|x| *x)).count();
        let marginals: Vec<f64> = (0..conditions.len())
            .map(|i| holds.iter().filter(|h| h[i]).count() as f64 / n)
            .collect();
        let product: f64 = marginals.iter().product();
        let model = format!(
            "{:.1}% of worlds follow the whole path (each outcome alone: {})",
            k as f64 / n * 100.0,
            marginals
                .iter()
                .map(|m| format!("{:.0}%", m * 100.0))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let null = format!(
            "the product of the outcomes' shares, {:.1}%: what the model would give if it did not tie them together",
            product * 100.0
        );
        (k, product, model, null, false)
    }
}

/// One scalar a target reads from each world, for history matching (crates/python): the recorded
/// value and every world's value, NaN where a world has none.
#[derive(Clone, Debug, Serialize)]
pub struct Quantity {
    /// The target's id; a series adds `:<model year>`.
    pub id: String,
    /// `month` (the month as a count, year × 12 + month − 1; NaN in a world where it never happens),
    /// `indicator` (1 where the world has the recorded category, else 0) or `number`.
    pub kind: &'static str,
    pub observed: f64,
    pub values: Vec<f64>,
}

impl Target {
    pub fn id(&self) -> &str {
        &self.raw.id
    }

    /// For a calibrated target: the parameters set from it, in words (`politics.ladder_gap and …`).
    pub fn fitted(&self) -> Option<&str> {
        self.raw.fitted.as_deref()
    }

    /// The target in words.
    pub fn text(&self) -> &str {
        &self.raw.text
    }

    /// The scalars this target reads from each world, as [`Target::check`] reads them: a dated event's
    /// month, whether a category is the recorded one, a number, or each recorded year of a series.
    /// A path gives none (paths are validation targets, and tie several of these together).
    pub fn quantities(&self, data: &Data, outcomes: &[Outcome]) -> Vec<Quantity> {
        let t = &self.raw;
        let person = t.person.as_deref().and_then(|p| data.people.find(p));
        let observed = match &t.observed {
            Some(toml::Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => String::new(),
        };
        let one = |kind, observed, values| Quantity {
            id: t.id.clone(),
            kind,
            observed,
            values,
        };
        match t.kind.as_str() {
            "date" => {
                let obs: Month = observed.parse().expect("checked");
                let values = outcomes
                    .iter()
                    .map(|o| {
                        self.date_of(o, person)
                            .map_or(f64::NAN, |m| m.index() as f64)
                    })
                    .collect();
                vec![one("month", obs.index() as f64, values)]
            }
            "category" => {
                let stat = t.statistic.as_deref().unwrap_or_default();
                let values = outcomes
                    .iter()
                    .map(|o| {
                        let v = category(data, o, stat, t.year.unwrap_or(1945), person);
                        f64::from(u8::from(v == observed))
                    })
                    .collect();
                vec![one("indicator", 1.0, values)]
            }
            "number" => {
                let stat = t.statistic.as_deref().unwrap_or_default();
                let obs = observed.parse::<f64>().unwrap_or(f64::NAN);
                let values = outcomes
                    .iter()
                    .map(|o| number_statistic(o, t, stat))
                    .collect();
                vec![one("number", obs, values)]
            }
            "series" => {
                let stat = t.statistic.as_deref().unwrap_or_default();
                self.points
                    .iter()
                    .map(|&(year, value)| Quantity {
                        id: format!("{}:{year}", t.id),
                        kind: "number",
                        observed: value,
                        values: outcomes
                            .iter()
                            .map(|o| series_value(o, stat, year, t.base))
                            .collect(),
                    })
                    .collect()
            }
            _ => Vec::new(),
        }
    }
}

/// One world's value of a categorical statistic.
fn category(data: &Data, o: &Outcome, stat: &str, year: u32, person: Option<PersonId>) -> String {
    let id = |p: Option<PersonId>, none: &str| {
        p.map_or(none.to_string(), |p| data.people.get(p).id.clone())
    };
    let y = o.year(year);
    match stat {
        "general_secretary" => y.map_or("none".into(), |y| id(y.general_secretary, "none")),
        "leader" => y.map_or("collective".into(), |y| id(y.leader, "collective")),
        "fate" => match (y, person) {
            (Some(y), Some(p)) => y.fates[p.index()].id().to_string(),
            _ => "none".into(),
        },
        "german_regime" => y.map_or("none".into(), |y| y.german_regime.id().to_string()),
        "comintern_line" => y.map_or("none".into(), |y| y.comintern_line.id().to_string()),
        "policy" => y.map_or("none".into(), |y| y.policy.id().to_string()),
        "alignment" => o.europe.alignment_by(year).to_string(),
        "war_start_year" => o.europe.war_start_year(),
        "war_start_month" => o.europe.war_start.map_or("none".into(), |m| m.to_string()),
        "war_outcome" => o.europe.result().id().to_string(),
        "war_end_year" => o
            .europe
            .outcome
            .map_or("none".into(), |(_, m)| m.year().to_string()),
        // The harvest year with the most famine deaths, 1927–`year`; "none" when no year had any.
        "famine_peak_year" => o
            .years
            .iter()
            .filter(|r| r.year <= year)
            .filter_map(|r| r.economy.map(|e| (r.year, e.famine_deaths)))
            .filter(|(_, d)| *d > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map_or("none".into(), |(y, _)| y.to_string()),
        // Most households collectivised (over half) by the end of `year`.
        "collectivized" => y.and_then(|y| y.economy).map_or("no".into(), |e| {
            if e.collectivized > 0.5 {
                "yes".into()
            } else {
                "no".into()
            }
        }),
        _ => "none".into(),
    }
}

fn economy(o: &Outcome, year: u32) -> Option<razvilka_model::economy::Year> {
    o.year(year).and_then(|y| y.economy)
}

/// One world's value of a `number` statistic (NaN where the world has none).
fn number_statistic(o: &Outcome, t: &RawTarget, stat: &str) -> f64 {
    let year = t.year.unwrap_or(1945);
    let ratio = |value: fn(&razvilka_model::economy::Year) -> f64| match (
        economy(o, year),
        t.base.and_then(|b| economy(o, b)),
    ) {
        (Some(a), Some(b)) => value(&a) / value(&b),
        _ => f64::NAN,
    };
    match stat {
        "nsdap_vote" => o
            .europe
            .votes
            .iter()
            .find(|v| Some(v.month) == t.from)
            .map_or(f64::NAN, |v| v.nsdap),
        // All worlds: a world without a war has no war dead.
        "soviet_military_dead" => o.europe.soviet_dead,
        "officers_purged" => o.europe.officers_purged,
        "politburo_loyal" => o.year(year).map_or(f64::NAN, |y| y.politburo_loyal),
        "gdp_ratio" => ratio(|e| e.gdp),
        "industry_ratio" => ratio(|e| e.industry),
        "livestock_ratio" => ratio(|e| e.livestock),
        "urban_share" => economy(o, year).map_or(f64::NAN, |e| e.urban),
        "grain_procurement" => economy(o, year).map_or(f64::NAN, |e| e.procurement),
        "grain_harvest" => economy(o, year).map_or(f64::NAN, |e| e.grain),
        "famine_deaths" => (t.base.unwrap_or(year)..=year)
            .filter_map(|y| economy(o, y))
            .map(|e| e.famine_deaths)
            .sum(),
        "count" => {
            let m = t.milestone.as_deref().and_then(milestone);
            let (from, by) = (
                t.from.unwrap_or(razvilka_world::EARLIEST),
                t.by.unwrap_or(razvilka_world::LATEST),
            );
            o.milestones
                .iter()
                .filter(|(_, x, month)| Some(*x) == m && *month >= from && *month <= by)
                .count() as f64
        }
        _ => f64::NAN,
    }
}

/// One world's value of a yearly series (indexed to `base` where the series is an index).
fn series_value(o: &Outcome, stat: &str, year: u32, base: Option<u32>) -> f64 {
    let index = |value: fn(&razvilka_model::economy::Year) -> f64| match (
        economy(o, year),
        base.and_then(|b| economy(o, b)),
    ) {
        (Some(a), Some(b)) => value(&a) / value(&b),
        _ => f64::NAN,
    };
    match stat {
        "gdp_index" => index(|e| e.gdp),
        "livestock_index" => index(|e| e.livestock),
        _ => economy(o, year).map_or(f64::NAN, |e| match stat {
            "grain_harvest" => e.grain,
            "grain_procurement" => e.procurement,
            "urban_fraction" => e.urban,
            _ => f64::NAN,
        }),
    }
}

fn month_of_index(index: u32) -> Month {
    Month::new(index / 12, index % 12 + 1)
}

/// A number for a table: two decimals below 10, none above 1,000.
fn number(x: f64) -> String {
    if !x.is_finite() {
        "none".into()
    } else if x.abs() >= 1000.0 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// A log score against a null.
#[derive(Clone, Debug)]
pub struct LogScore {
    pub score: Score,
    /// Bits gained over the null.
    pub skill: f64,
    /// The lower 95% Wilson bound of the model's probability exceeds the null's: beating the null is
    /// not an accident of the ensemble's size.
    pub beats: bool,
}

/// The log score of an outcome that `k` of `n` worlds produced, against a null that gives it `null_p`.
/// The model's probability is smoothed with one pseudo-world drawn from the null, (k + p₀)/(n + 1), so
/// that an outcome no world produced scores finitely (and exactly as the null would with n = 0).
pub fn log_score(k: usize, n: usize, null_p: f64) -> LogScore {
    let p = (k as f64 + null_p) / (n as f64 + 1.0);
    let lower = razvilka_ensemble::wilson(k, n)[0];
    let (model, null) = (p.ln(), null_p.ln());
    LogScore {
        // A null that gives the outcome nothing (a path whose outcomes never all came) is no yardstick:
        // no skill, and not beaten.
        skill: if null_p > 0.0 && p > 0.0 {
            (p / null_p).log2()
        } else {
            0.0
        },
        beats: null_p > 0.0 && lower > null_p,
        score: Score {
            metric: "log",
            model: if model.is_finite() { model } else { f64::MIN },
            null: if null.is_finite() { null } else { f64::MIN },
        },
    }
}

/// The CRPS of an ensemble (sorted ascending) at `y`: E|X − y| − ½E|X − X′|.
pub fn crps_sorted(sorted: &[f64], y: f64) -> f64 {
    let n = sorted.len();
    if n == 0 || !y.is_finite() {
        return f64::INFINITY;
    }
    let nf = n as f64;
    let absolute: f64 = sorted.iter().map(|x| (x - y).abs()).sum::<f64>() / nf;
    // ½E|X − X′| = (1/n²) Σᵢ (2i − n − 1) x₍ᵢ₎ for i = 1..n.
    let spread: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i + 1) as f64 - nf - 1.0) * x)
        .sum::<f64>()
        / (nf * nf);
    absolute - spread
}

/// The CRPS of the uniform distribution on [a, b] at `y`.
pub fn crps_uniform(a: f64, b: f64, y: f64) -> f64 {
    let w = b - a;
    if y < a {
        a - y + w / 3.0
    } else if y > b {
        y - b + w / 3.0
    } else {
        ((y - a).powi(3) + (b - y).powi(3)) / (3.0 * w * w)
    }
}

/// The share of the (sorted) values below `y`, ties counting half: the mid-PIT.
pub fn mid_pit(sorted: &[f64], y: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let below = sorted.partition_point(|x| *x < y);
    let not_above = sorted.partition_point(|x| *x <= y);
    (below as f64 + (not_above - below) as f64 / 2.0) / sorted.len() as f64
}

/// The nearest-rank quantile of sorted values.
fn quantile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[rank]
}

/// The coverage of a series' yearly bands and the balance of its PITs.
#[derive(Clone, Debug, PartialEq)]
pub struct Coverage {
    pub years: usize,
    /// Years whose recorded value lies inside the model's 5–95% band.
    pub covered: usize,
    /// The fewest covered years a calibrated 90% band gives 19 times in 20 (binomial, n = years); all
    /// of them below three years.
    pub min_covered: usize,
    /// Years whose recorded value lies below the model's median (PIT < 0.5).
    pub below: usize,
    /// The recorded values sit on one side of the median more often than a fair coin would put them
    /// 19 times in 20 (two-sided exact binomial test).
    pub biased: bool,
}

impl Coverage {
    pub fn of(years: &[SeriesYear]) -> Coverage {
        let n = years.len();
        let covered = years
            .iter()
            .filter(|y| (0.05..=0.95).contains(&y.pit))
            .count();
        let below = years.iter().filter(|y| y.pit < 0.5).count();
        let above = years.iter().filter(|y| y.pit > 0.5).count();
        // The smallest count c with P(X < c) ≤ 0.05 for X ~ Binomial(n, 0.9) fails; pass from the
        // first count whose lower tail exceeds 5%.
        // With fewer than three years the test cannot reject anything (one year missed has a chance of
        // 10% or more), so then every year must lie in its band, as a single number must.
        let min_covered = if n < 3 {
            n
        } else {
            (0..=n)
                .find(|&c| binomial_cdf(n, 0.9, c) > 0.05)
                .unwrap_or(0)
        };
        let sided = below + above;
        let extreme = below.min(above);
        let biased = sided > 0 && (2.0 * binomial_cdf(sided, 0.5, extreme)).min(1.0) < 0.05;
        Coverage {
            years: n,
            covered,
            min_covered,
            below,
            biased,
        }
    }
}

/// P(X ≤ k) for X ~ Binomial(n, p), summed exactly (n is a handful of years).
fn binomial_cdf(n: usize, p: f64, k: usize) -> f64 {
    let mut total = 0.0;
    let mut choose = 1.0;
    for i in 0..=k.min(n) {
        if i > 0 {
            choose *= (n - i + 1) as f64 / i as f64;
        }
        total += choose * p.powi(i as i32) * (1.0 - p).powi((n - i) as i32);
    }
    total.min(1.0)
}

/// The verdict over the judged rows: validation targets only.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    pub validation_targets: usize,
    pub validation_passed: usize,
    pub calibrated_targets: usize,
    pub calibrated_passed: usize,
    /// Mean skill of the validation targets scored by log score (bits over the null).
    pub mean_log_skill: f64,
    /// Mean skill of the validation targets scored by CRPS (1 − model/null).
    pub mean_crps_skill: f64,
    pub pass: bool,
}

impl Verdict {
    pub fn of(rows: &[Row]) -> Verdict {
        let validation: Vec<&Row> = rows.iter().filter(|r| r.role == Role::Validation).collect();
        let calibrated: Vec<&Row> = rows.iter().filter(|r| r.role == Role::Calibrated).collect();
        let mean = |metric: &str| {
            let skills: Vec<f64> = validation
                .iter()
                .filter(|r| r.score.metric == metric && r.skill.is_finite())
                .map(|r| r.skill)
                .collect();
            if skills.is_empty() {
                0.0
            } else {
                skills.iter().sum::<f64>() / skills.len() as f64
            }
        };
        let validation_passed = validation.iter().filter(|r| r.pass).count();
        Verdict {
            validation_targets: validation.len(),
            validation_passed,
            calibrated_targets: calibrated.len(),
            calibrated_passed: calibrated.iter().filter(|r| r.pass).count(),
            mean_log_skill: mean("log"),
            mean_crps_skill: mean("crps"),
            pass: validation_passed == validation.len(),
        }
    }
}

/// The validation table as text: validation targets first (the verdict), then calibrated ones.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    for (role, heading) in [
        (
            Role::Validation,
            "VALIDATION TARGETS (no parameter was set from these: the verdict)",
        ),
        (
            Role::Calibrated,
            "CALIBRATED TARGETS (a parameter was fitted to these: reported, not part of the verdict)",
        ),
    ] {
        out.push_str(&format!("\n{heading}\n"));
        for (kind, run_heading) in [
            (
                RunKind::Baseline,
                "Actual-history baseline (history replayed to May 1924, then free)",
            ),
            (
                RunKind::Free,
                "Free run from April 1922 (nothing replayed, assumptions drawn from their priors)",
            ),
        ] {
            let these: Vec<&Row> = rows.iter().filter(|r| r.role == role && r.run == kind).collect();
            if these.is_empty() {
                continue;
            }
            out.push_str(&format!("  {run_heading}\n"));
            for r in these {
                let skill = match r.score.metric {
                    "log" => format!("{:+.2} bits", r.skill),
                    _ => format!("{:+.2}", r.skill),
                };
                out.push_str(&format!(
                    "  [{}] {}  (skill {skill}{}{})\n        observed: {}\n        model:    {}\n        null:     {}\n",
                    if r.pass { "pass" } else { "FAIL" },
                    r.text,
                    if r.beats_null { "" } else { "; does not beat the null" },
                    if r.rule_holds { "" } else { "; rule fails" },
                    r.observed,
                    r.model,
                    r.null,
                ));
                if role == Role::Calibrated {
                    if let Some(f) = &r.fitted {
                        out.push_str(&format!("        fitted:   {f}\n"));
                    }
                }
            }
        }
    }
    let v = Verdict::of(rows);
    out.push_str(&format!(
        "\n{} of {} validation targets pass (mean skill {:+.2} bits over the null for events and categories, {:+.2} CRPS skill for numbers); {} of {} calibrated targets pass\n",
        v.validation_passed,
        v.validation_targets,
        v.mean_log_skill,
        v.mean_crps_skill,
        v.calibrated_passed,
        v.calibrated_targets
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crps_of_an_ensemble_matches_its_definition() {
        let xs = [1.0, 2.0, 4.0, 7.0];
        let y = 3.0;
        let n = xs.len() as f64;
        let direct: f64 = xs.iter().map(|x: &f64| (x - y).abs()).sum::<f64>() / n
            - xs.iter()
                .flat_map(|a| xs.iter().map(move |b: &f64| (a - b).abs()))
                .sum::<f64>()
                / (2.0 * n * n);
        assert!((crps_sorted(&xs, y) - direct).abs() < 1e-12);
        // A point forecast's CRPS is its absolute error.
        assert!((crps_sorted(&[5.0], 2.0) - 3.0).abs() < 1e-12);
    }

    #[test]
    fn crps_of_a_uniform_matches_a_fine_ensemble() {
        let grid: Vec<f64> = (0..20_001)
            .map(|i| 2.0 + 8.0 * i as f64 / 20_000.0)
            .collect();
        for y in [0.0, 2.0, 3.5, 9.0, 13.0] {
            let exact = crps_uniform(2.0, 10.0, y);
            assert!((crps_sorted(&grid, y) - exact).abs() < 1e-3, "y = {y}");
        }
    }

    #[test]
    fn a_uniform_in_window_model_does_not_beat_a_uniform_null() {
        // The sabotage the issue names: each dated event dropped at a uniformly random month of its
        // window. 2,000 worlds spread exactly evenly over 40 months: 50 in the recorded month.
        let score = log_score(50, 2000, 1.0 / 40.0);
        assert!(!score.beats, "{score:?}");
        assert!(score.skill.abs() < 0.05, "{score:?}");
        // A model that concentrates a fifth of its worlds on the recorded month beats it.
        assert!(log_score(400, 2000, 1.0 / 40.0).beats);
        // One that never produces the recorded month loses to it.
        let never = log_score(0, 2000, 1.0 / 40.0);
        assert!(!never.beats && never.skill < -10.0, "{never:?}");
    }

    /// Worlds in which Trotsky is expelled in the months `months` gives, one world each.
    fn worlds_expelling_trotsky(data: &Data, months: impl Iterator<Item = Month>) -> Vec<Outcome> {
        let trotsky = data.people.find("trotsky").unwrap();
        months
            .map(|m| Outcome {
                years: Vec::new(),
                milestones: vec![(trotsky, Milestone::Reached(Fate::Expelled), m)],
                europe: razvilka_world::Europe::default(),
            })
            .collect()
    }

    #[test]
    fn a_model_that_drops_the_event_uniformly_in_its_window_fails() {
        let data = Data::builtin().unwrap();
        let text = r#"[[target]]
id = "trotsky_expelled"
run = "baseline"
role = "validation"
text = "Trotsky is expelled"
source = "politics.md"
kind = "date"
person = "trotsky"
milestone = "fate:expelled"
observed = "1927-11"
null = { from = "1924-05", to = "1930-12", why = "the succession struggle" }
rule = "in_band"
"#;
        let targets = parse(&data, (text, "targets.toml"), (ECONOMY, "economy.toml")).unwrap();
        let from = Month::new(1924, 5);
        // 2,000 worlds spread evenly over the 80 months of the window: the old rule (a share in the
        // window and the record inside the band) passed this; the null does not let it.
        let uniform = worlds_expelling_trotsky(&data, (0..2000).map(|i| from.offset(i % 80)));
        let row = targets[0].check(&data, &uniform);
        assert!(
            row.rule_holds,
            "the record lies inside a uniform band: {row:?}"
        );
        assert!(!row.beats_null && !row.pass, "{row:?}");
        // A model that puts a third of its worlds within a month of the record passes.
        let sharp = worlds_expelling_trotsky(
            &data,
            (0..2000).map(|i| {
                if i % 3 == 0 {
                    Month::new(1927, 11)
                } else {
                    from.offset(i % 80)
                }
            }),
        );
        let row = targets[0].check(&data, &sharp);
        assert!(row.beats_null && row.pass && row.skill > 1.0, "{row:?}");
        // Worlds where it never happens count: with nine in ten never expelling him, the same timing
        // no longer beats the null.
        let mostly_never: Vec<Outcome> = sharp
            .into_iter()
            .enumerate()
            .map(|(i, mut o)| {
                if i % 10 != 0 {
                    o.milestones.clear();
                }
                o
            })
            .collect();
        let row = targets[0].check(&data, &mostly_never);
        assert!(!row.pass, "{row:?}");
    }

    #[test]
    fn mid_pit_counts_ties_half() {
        let xs = [1.0, 2.0, 2.0, 3.0];
        assert_eq!(mid_pit(&xs, 2.0), 0.5);
        assert_eq!(mid_pit(&xs, 0.0), 0.0);
        assert_eq!(mid_pit(&xs, 9.0), 1.0);
        // A record at the top of a model that piles up there is not "inside the band" for free.
        assert_eq!(mid_pit(&[0.0, 0.9, 0.9, 0.9], 0.9), 0.625);
    }

    fn years(pits: &[f64]) -> Vec<SeriesYear> {
        pits.iter()
            .enumerate()
            .map(|(i, p)| SeriesYear {
                year: 1928 + i as u32,
                observed: 0.0,
                p05: 0.0,
                p50: 0.0,
                p95: 0.0,
                pit: *p,
            })
            .collect()
    }

    #[test]
    fn coverage_flags_misses_and_one_sided_records() {
        // 13 years: a calibrated 90% band covers 10 or more 19 times in 20.
        let fair = Coverage::of(&years(&[
            0.2, 0.7, 0.4, 0.9, 0.1, 0.6, 0.5, 0.3, 0.8, 0.45, 0.55, 0.35, 0.65,
        ]));
        assert_eq!((fair.years, fair.covered, fair.min_covered), (13, 13, 10));
        assert!(!fair.biased);
        // Every record above the model's median: inside the band, but biased.
        let high = Coverage::of(&years(&[0.7; 13]));
        assert_eq!(high.covered, 13);
        assert!(high.biased);
        // A band too narrow: most years outside.
        // One or two years: each must be inside.
        assert_eq!(Coverage::of(&years(&[0.03])).min_covered, 1);
        assert_eq!(Coverage::of(&years(&[0.5, 0.98])).min_covered, 2);
        let narrow = Coverage::of(&years(&[
            0.0, 1.0, 0.99, 0.02, 0.5, 1.0, 0.0, 0.5, 1.0, 0.0, 0.5, 1.0, 0.0,
        ]));
        assert!(narrow.covered < narrow.min_covered);
    }

    #[test]
    fn binomial_cdf_is_exact_on_small_cases() {
        assert!((binomial_cdf(2, 0.5, 0) - 0.25).abs() < 1e-12);
        assert!((binomial_cdf(2, 0.5, 1) - 0.75).abs() < 1e-12);
        assert!((binomial_cdf(3, 0.9, 3) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn the_shipped_targets_parse_and_each_role_is_present() {
        let data = Data::builtin().unwrap();
        let targets = targets(&data).unwrap();
        assert!(targets.iter().any(|t| t.role() == Role::Validation));
        assert!(targets.iter().any(|t| t.role() == Role::Calibrated));
        let grain = targets
            .iter()
            .find_map(|t| t.recorded_series().filter(|s| s.series == "grain_harvest"))
            .expect("a grain harvest series");
        assert_eq!(grain.points.len(), 13);
    }

    #[test]
    fn a_target_without_its_null_is_refused_with_its_location() {
        let data = Data::builtin().unwrap();
        let text = "[[target]]\nid = \"x\"\nrun = \"baseline\"\nrole = \"validation\"\ntext = \"t\"\nsource = \"s\"\nkind = \"number\"\nstatistic = \"gdp_ratio\"\nyear = 1940\nbase = 1928\nobserved = 1.8\n";
        let err = parse(&data, (text, "targets.toml"), (ECONOMY, "economy.toml"))
            .err()
            .unwrap();
        assert_eq!((err.file.as_str(), err.line), ("targets.toml", 1));
        assert!(err.message.contains("target `x`"), "{err}");
        assert!(err.help.unwrap().contains("null = { low, high, why }"));
        // A validation target that names something fitted to it contradicts itself.
        let fitted = text.replace(
            "role = \"validation\"",
            "role = \"validation\"\nfitted = \"economy.tfp_growth_industry\"",
        );
        let err = parse(&data, (&fitted, "targets.toml"), (ECONOMY, "economy.toml"))
            .err()
            .unwrap();
        assert!(err.message.contains("nothing fitted"), "{err}");
        // A series id that economy.toml does not hold.
        let series = "[[target]]\nid = \"s\"\nrun = \"baseline\"\nrole = \"validation\"\ntext = \"t\"\nsource = \"s\"\nkind = \"series\"\nstatistic = \"gdp_index\"\nseries = \"gdp_nowhere\"\nyears = [1929, 1939]\nbase = 1928\nnull = { low = 0.8, high = 2.2, why = \"w\" }\n";
        let err = parse(&data, (series, "targets.toml"), (ECONOMY, "economy.toml"))
            .err()
            .unwrap();
        assert!(
            err.help
                .as_deref()
                .unwrap()
                .contains("an id in economy.toml"),
            "{err}"
        );
    }
}
