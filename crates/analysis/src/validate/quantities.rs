//! What a target reads from one world: its statistics, computed from the world's outcome.

use super::*;

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
                    .map(|o| number_statistic(data, o, t, stat))
                    .collect();
                vec![one("number", obs, values)]
            }
            "series" => {
                let stat = t.statistic.as_deref().unwrap_or_default();
                let Some(series) = catalogue::series_def(stat) else {
                    return Vec::new();
                };
                self.points
                    .iter()
                    .map(|&(year, value)| Quantity {
                        id: format!("{}:{year}", t.id),
                        kind: "number",
                        observed: value,
                        values: outcomes
                            .iter()
                            .map(|o| series_value(o, series, year, t.base))
                            .collect(),
                    })
                    .collect()
            }
            _ => Vec::new(),
        }
    }
}

/// One world's value of a categorical statistic.
pub(super) fn category(
    data: &Data,
    o: &Outcome,
    stat: &str,
    year: u32,
    person: Option<PersonId>,
) -> String {
    let id = |p: Option<PersonId>, none: &str| {
        p.map_or(none.to_string(), |p| data.people.get(p).id.clone())
    };
    if let Some(def) = catalogue::categorical_def(stat) {
        return def.value(&Context::new(data), o);
    }
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
        "war_start_month" => o.europe.war_start.map_or("none".into(), |m| m.to_string()),
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
        "most_collectivized" => y.and_then(|y| y.economy).map_or("no".into(), |e| {
            if e.collectivized > 0.5 {
                "yes".into()
            } else {
                "no".into()
            }
        }),
        _ => "none".into(),
    }
}

/// One world's value of a `number` statistic (NaN where the world has none): a catalogue outcome
/// (`absent` standing for a world without one), a catalogue series read in `year` (over its value in
/// `base` for an index), or one of validation's own statistics.
pub(super) fn number_statistic(data: &Data, o: &Outcome, t: &RawTarget, stat: &str) -> f64 {
    if let Some(def) = catalogue::numeric_def(stat) {
        let v = def.value(&Context::new(data), o);
        return if v.is_nan() { t.absent.unwrap_or(v) } else { v };
    }
    let year = t.year.unwrap_or(1945);
    if let Some(def) = catalogue::series_def(stat) {
        return series_value(o, def, year, t.base);
    }
    match stat {
        "nsdap_vote" => o
            .europe
            .votes
            .iter()
            .find(|v| Some(v.month) == t.from)
            .map_or(f64::NAN, |v| v.nsdap),
        "politburo_loyal" => o.year(year).map_or(f64::NAN, |y| y.politburo_loyal),
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

/// One world's value of a catalogue series in `year`, over its value in `base` where given.
pub(super) fn series_value(o: &Outcome, def: &SeriesDef, year: u32, base: Option<u32>) -> f64 {
    let value = def.in_year(o, year);
    match base {
        Some(b) => value / def.in_year(o, b),
        None => value,
    }
}

pub(super) fn month_of_index(index: u32) -> Month {
    Month::new(index / 12, index % 12 + 1)
}

pub(super) fn milestone(text: &str) -> Option<Milestone> {
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
pub(super) const DATE_TOLERANCE: i32 = 1;

/// Dated statistics without a person.
pub(super) const DATE_STATISTICS: [&str; 3] = ["nazi_power", "war_start", "war_end"];

/// Numbers validation reads that are not outcomes of the catalogue (every other number a target
/// names is a catalogue outcome or yearly series): an election's vote (`from`), the loyal share of the
/// Politburo in `year`, and a count of a milestone between `from` and `by`.
pub(super) const OWN_NUMBERS: [&str; 3] = ["nsdap_vote", "politburo_loyal", "count"];

/// Categories validation reads that are not outcomes of the catalogue, each read in a target's `year`
/// (or of its `person`); every other category a target names is a catalogue outcome.
pub(super) const OWN_CATEGORIES: [&str; 11] = [
    "general_secretary",
    "leader",
    "fate",
    "german_regime",
    "comintern_line",
    "alignment",
    "war_start_month",
    "war_end_year",
    "policy",
    "famine_peak_year",
    "most_collectivized",
];

/// A categorical statistic: validation's own (read in a `year`) or a catalogue outcome (read in its
/// own year, so a target gives none).
pub(super) fn category_statistic(stat: &str, year: Option<u32>) -> bool {
    OWN_CATEGORIES.contains(&stat) || (catalogue::categorical_def(stat).is_some() && year.is_none())
}
