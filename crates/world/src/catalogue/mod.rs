//! The catalogue of outcomes: every question the ensemble answers about a world, defined once.
//!
//! Each outcome has an id (the key of the JSON contract, the export's column and the name a claim or
//! a sensitivity analysis uses), a question in words, a short title for tables and charts, a unit,
//! the year it is read, and how it is computed from one world's [`Outcome`]. The summary, comparisons,
//! validation, claims, sensitivity, the exports, the text and HTML reports and the web pages all read
//! this module; an outcome's id is spelled as a string only here (in [`id`]).
//!
//! Adding an outcome is one entry in [`CATEGORICAL`], [`NUMERIC`] or [`SERIES`] (and its id in
//! [`id`]); everything that lists outcomes picks it up.

use std::sync::Arc;

use razvilka_kernel::Month;
use razvilka_model::economy::Year as Economy;
use razvilka_model::People;
use razvilka_model::{
    Alignment, CominternLine, Fate, GermanRegime, PersonId, Policy, Regime, WarOutcome,
};

use crate::{Data, Milestone, Outcome, YearRecord, EARLIEST, LATEST};

/// Every outcome's id, spelled once.
pub mod id {
    pub const LEADER_1926: &str = "leader_1926";
    pub const LEADER_1930: &str = "leader_1930";
    pub const LEADER_1940: &str = "leader_1940";
    pub const GENERAL_SECRETARY_1925: &str = "general_secretary_1925";
    pub const STALIN_FATE_1930: &str = "stalin_fate_1930";
    pub const STALIN_FATE_1941: &str = "stalin_fate_1941";
    pub const STALIN_CAUCASUS_BY_1941: &str = "stalin_caucasus_by_1941";
    pub const POLICY_1930: &str = "policy_1930";
    pub const COLLECTIVIZATION: &str = "collectivization";
    pub const GERMAN_REGIME_1934: &str = "german_regime_1934";
    pub const COMINTERN_LINE_1932: &str = "comintern_line_1932";
    pub const ALIGNMENT_1939: &str = "alignment_1939";
    pub const WAR_START_YEAR: &str = "war_start_year";
    pub const WAR_OUTCOME: &str = "war_outcome";
    pub const SURPRISE_1941: &str = "surprise_1941";
    pub const MILITARY_COUP_BY_1941: &str = "military_coup_by_1941";
    pub const REGIME_1935: &str = "regime_1935";

    pub const LOYALISTS_OUTCAST_1941: &str = "loyalists_outcast_1941";
    pub const LEADER_RUTHLESSNESS_1940: &str = "leader_ruthlessness_1940";
    pub const REPRESSION_PEAK: &str = "repression_peak";
    pub const REPRESSION_PEAK_YEAR: &str = "repression_peak_year";
    pub const LEADERS_KILLED_BY_1941: &str = "leaders_killed_by_1941";
    pub const GDP_1940: &str = "gdp_1940";
    pub const INDUSTRY_1940: &str = "industry_1940";
    pub const CONSUMPTION_1940: &str = "consumption_1940";
    pub const FAMINE_DEATHS_1930_1934: &str = "famine_deaths_1930_1934";
    pub const MILITARY_CAPACITY_1941: &str = "military_capacity_1941";
    pub const NAZI_POWER_MONTH: &str = "nazi_power_month";
    pub const WAR_END_MONTH: &str = "war_end_month";
    pub const SOVIET_MILITARY_DEATHS: &str = "soviet_military_deaths";
    pub const RED_ARMY_OFFICERS_PURGED: &str = "red_army_officers_purged";
    pub const FRONT_FIRST_DECEMBER_KM: &str = "front_first_december_km";
    pub const SOVIET_DEAD_FIRST_DECEMBER: &str = "soviet_dead_first_december";
    pub const LEADER_SHARE_1930: &str = "leader_share_1930";
    pub const CIVILIAN_WAR_DEATHS_TOTAL: &str = "civilian_war_deaths_total";
    pub const OCCUPIED_POPULATION_PEAK: &str = "occupied_population_peak";

    pub const REPRESSION: &str = "repression";
    pub const FRONT_KM: &str = "front_km";
    pub const SOVIET_MILITARY_DEAD: &str = "soviet_military_dead";
    pub const GDP: &str = "gdp";
    pub const INDUSTRY: &str = "industry";
    pub const AGRICULTURE: &str = "agriculture";
    pub const GRAIN_HARVEST: &str = "grain_harvest";
    pub const GRAIN_PROCUREMENT: &str = "grain_procurement";
    pub const CONSUMPTION_PER_HEAD: &str = "consumption_per_head";
    pub const URBAN_SHARE: &str = "urban_share";
    pub const FAMINE_DEATHS: &str = "famine_deaths";
    pub const MILITARY_CAPACITY: &str = "military_capacity";
    pub const LIVESTOCK: &str = "livestock";
    pub const COLLECTIVIZED: &str = "collectivized";
    pub const LEADER_SHARE: &str = "leader_share";
    pub const CIVILIAN_WAR_DEATHS_YEAR: &str = "civilian_war_deaths";
    pub const OCCUPIED_SHARE: &str = "occupied_share";
}

/// What a number measures, and how a person reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A categorical outcome's value: read through [`value_label`].
    Label,
    /// A share between 0 and 1.
    Share,
    /// An index between 0 and 1 (repression, a leader's ruthlessness).
    Score,
    /// A calendar year.
    Year,
    /// Months counted from January 1922: shown as a date.
    Month,
    /// A count of people.
    People,
    /// Millions of people.
    Millions,
    /// Kilometres.
    Km,
    /// Million tonnes.
    MillionTonnes,
    /// An index with 1928 = 100 (each world over its own 1928: the first plan's base year, the
    /// base of the recorded GDP series).
    Index1928,
}

impl Unit {
    /// The unit in words, for a table's heading or a chart's axis ("" for a label).
    pub const fn words(self) -> &'static str {
        match self {
            Unit::Label => "",
            Unit::Share => "share",
            Unit::Score => "index, 0–1",
            Unit::Year => "year",
            Unit::Month => "date",
            Unit::People => "people",
            Unit::Millions => "millions",
            Unit::Km => "km",
            Unit::MillionTonnes => "million tonnes",
            Unit::Index1928 => "1928 = 100",
        }
    }

    /// A value for a person to read: a month as `1933-01`, a year without decimals, a share as a
    /// percentage, other numbers with one decimal. A value no world has (NaN) reads "—".
    pub fn format(self, value: f64) -> String {
        if !value.is_finite() {
            return "—".to_string();
        }
        match self {
            Unit::Month => month_of(value).to_string(),
            Unit::Year | Unit::People => format!("{value:.0}"),
            Unit::Share => format!("{:.0}%", value * 100.0),
            Unit::Score => format!("{value:.2}"),
            Unit::Km => format!("{value:.0}"),
            _ => format!("{value:.1}"),
        }
    }
}

/// The month `months` after January 1922 (a numeric outcome in [`Unit::Month`]).
pub fn month_of(months: f64) -> Month {
    Month::new(1922, 1).offset(months.round() as i32)
}

/// Months from January 1922 to `month`, the numeric form of a date outcome.
fn months_since_1922(month: Month) -> f64 {
    month.since(Month::new(1922, 1)) as f64
}

/// One outcome, described.
#[derive(Clone, Copy, Debug)]
pub struct Question {
    pub id: &'static str,
    /// The question it answers, as a sentence ("Who leads the party at the end of 1930?").
    pub question: &'static str,
    /// A short title for a table's column or a chart ("Leader 1930").
    pub title: &'static str,
    pub unit: Unit,
    /// The year the outcome is read in, for an outcome of one year (`None`: read over the whole run,
    /// like the month the war ends, and for the yearly series).
    pub year: Option<u32>,
}

/// What the computing functions share: the data's people and who Stalin's men are.
pub struct Context {
    people: Arc<People>,
    stalin: Option<PersonId>,
    /// The people whose patron in 1922 is Stalin (data/people.toml).
    loyalists: Vec<usize>,
    ruthlessness: Vec<f64>,
}

impl Context {
    pub fn new(data: &Data) -> Context {
        let stalin = data.people.find("stalin");
        let loyalists = match stalin {
            Some(s) => data
                .people
                .ids()
                .filter(|(_, p)| p.patron == Some(s))
                .map(|(id, _)| id.index())
                .collect(),
            None => Vec::new(),
        };
        Context {
            people: Arc::clone(&data.people),
            stalin,
            loyalists,
            ruthlessness: data.people.ids().map(|(_, p)| p.ruthlessness).collect(),
        }
    }

    fn person(&self, p: Option<PersonId>, none: &str) -> String {
        p.map_or(none.to_string(), |p| self.people.get(p).id.clone())
    }
}

/// A categorical outcome: its description, the year it is read, and its value in one world.
pub struct CategoricalDef {
    pub about: Question,
    value: fn(&Context, u32, &Outcome) -> String,
}

/// A numeric outcome: NaN where the world has none (no war, no Nazi government...).
pub struct NumericDef {
    pub about: Question,
    value: fn(&Context, u32, &Outcome) -> f64,
}

/// A yearly series: one value per world and year, banded by the summary.
pub struct SeriesDef {
    pub about: Question,
    value: Yearly,
    /// The summary keeps only the years whose median is a number (the economic series, which start
    /// with the 1927 harvest year); the other series keep every year.
    pub only_years_with_values: bool,
}

mod categorical;
mod numeric;
mod series;

pub use categorical::CATEGORICAL;
pub use numeric::NUMERIC;
pub use series::SERIES;

/// `value(year) / value(1928)` of an economic series, × 100; NaN where either year is missing.
fn index_1928(o: &Outcome, year: u32, value: impl Fn(&Economy) -> f64) -> f64 {
    match (
        o.year(year).and_then(|y| y.economy),
        o.year(1928).and_then(|y| y.economy),
    ) {
        (Some(a), Some(b)) => value(&a) / value(&b) * 100.0,
        _ => f64::NAN,
    }
}

/// A categorical outcome: the value one world takes.
pub type Categorical = Box<dyn Fn(&Outcome) -> String + Sync + Send>;
/// A numeric outcome: NaN where the world has none.
pub type Numeric = Box<dyn Fn(&Outcome) -> f64 + Sync + Send>;
/// A yearly series' value in one year's record of a world: NaN where the world has none that year.
pub type Yearly = fn(&Outcome, &YearRecord) -> f64;

/// The year a computing function is given: the outcome's own, or 0 for an outcome read over the
/// whole run (whose function does not look at it).
fn read_in(about: &Question) -> u32 {
    about.year.unwrap_or(0)
}

/// The categorical outcomes as functions of a world, by id, in catalogue order.
pub fn categorical_outcomes(data: &Data) -> Vec<(&'static str, Categorical)> {
    let context = Arc::new(Context::new(data));
    CATEGORICAL
        .iter()
        .map(|def| {
            let c = Arc::clone(&context);
            let f: Categorical =
                Box::new(move |o: &Outcome| (def.value)(&c, read_in(&def.about), o));
            (def.about.id, f)
        })
        .collect()
}

/// The numeric outcomes as functions of a world, by id, in catalogue order.
pub fn numeric_outcomes(data: &Data) -> Vec<(&'static str, Numeric)> {
    let context = Arc::new(Context::new(data));
    NUMERIC
        .iter()
        .map(|def| {
            let c = Arc::clone(&context);
            let f: Numeric = Box::new(move |o: &Outcome| (def.value)(&c, read_in(&def.about), o));
            (def.about.id, f)
        })
        .collect()
}

impl SeriesDef {
    /// The series' value in one year's record of a world.
    pub fn value(&self, world: &Outcome, year: &YearRecord) -> f64 {
        (self.value)(world, year)
    }

    /// The series' value in `year` of a world; NaN where the world has no such year.
    pub fn in_year(&self, world: &Outcome, year: u32) -> f64 {
        world.year(year).map_or(f64::NAN, |y| self.value(world, y))
    }
}

impl CategoricalDef {
    /// The outcome's value in one world, read in its own year.
    pub fn value(&self, context: &Context, world: &Outcome) -> String {
        (self.value)(context, read_in(&self.about), world)
    }
}

impl NumericDef {
    /// The outcome's value in one world, read in its own year (NaN where the world has none).
    pub fn value(&self, context: &Context, world: &Outcome) -> f64 {
        (self.value)(context, read_in(&self.about), world)
    }
}

/// The categorical outcome `id`, if the catalogue has one.
pub fn categorical_def(id: &str) -> Option<&'static CategoricalDef> {
    CATEGORICAL.iter().find(|d| d.about.id == id)
}

/// The numeric outcome `id`, if the catalogue has one.
pub fn numeric_def(id: &str) -> Option<&'static NumericDef> {
    NUMERIC.iter().find(|d| d.about.id == id)
}

/// The yearly series `id`, if the catalogue has one.
pub fn series_def(id: &str) -> Option<&'static SeriesDef> {
    SERIES.iter().find(|d| d.about.id == id)
}

/// Every outcome and series, described.
pub fn questions() -> impl Iterator<Item = &'static Question> {
    CATEGORICAL
        .iter()
        .map(|d| &d.about)
        .chain(NUMERIC.iter().map(|d| &d.about))
        .chain(SERIES.iter().map(|d| &d.about))
}

/// The description of the outcome or series `id`, if the catalogue has it.
pub fn about(id: &str) -> Option<&'static Question> {
    questions().find(|q| q.id == id)
}

/// The short title of an outcome or series for a table or chart (the id itself if unknown).
pub fn title(id: &str) -> &str {
    about(id).map_or(id, |q| q.title)
}

/// The question an outcome or series answers (the id itself if unknown).
pub fn question(id: &str) -> &str {
    about(id).map_or(id, |q| q.question)
}

/// Why a numeric outcome has no value in any world, for "—": an outcome of a year no world reached
/// (the scenario ends before it, or every world did), or one no world had at all (a front with no
/// war).
pub fn undefined(id: &str) -> String {
    match about(id).and_then(|q| q.year) {
        Some(year) => format!("no world reached {year}"),
        None => "no world had it".to_string(),
    }
}

/// A categorical value for a person to read: a person's short name for a person id, words for the
/// vocabulary's ids (`in_leadership` → "In leadership"), "not reached" for a world without that year.
pub fn value_label(data: &Data, value: &str) -> String {
    if let Some(p) = data.people.find(value) {
        return data.people.get(p).short.clone();
    }
    if let Some(fate) = Fate::from_id(value) {
        return fate_label(fate).to_string();
    }
    match value {
        "n/a" => "not reached".to_string(),
        "collective" => "Collective leadership".to_string(),
        "collectivization" => "Forced collectivisation".to_string(),
        "super_industrialization" => "Super-industrialisation".to_string(),
        "none" => "None".to_string(),
        "nep" => "NEP".to_string(),
        "nep_investment" => "NEP with investment".to_string(),
        "no_crisis" => "No crisis by 1939".to_string(),
        "no_attack_1941" => "No attack in 1941".to_string(),
        "weimar" => "Weimar republic".to_string(),
        "nazi" => "Nazi".to_string(),
        other => words(other),
    }
}

/// A person's standing in a few words, for a table or a chart.
fn fate_label(fate: Fate) -> &'static str {
    match fate {
        Fate::InLeadership => "In the leadership",
        Fate::InParty => "Party member, no high office",
        Fate::Readmitted => "Readmitted",
        Fate::Expelled => "Expelled",
        Fate::InternalExile => "Internal exile",
        Fate::CaucasusBase => "Power base in the Caucasus",
        Fate::Revolt => "Revolt in the Caucasus",
        Fate::Breakaway => "Breakaway Caucasian republic",
        Fate::Imprisoned => "Imprisoned",
        Fate::Abroad => "Abroad",
        Fate::DeadNatural => "Died a natural death",
        Fate::Executed => "Executed",
        Fate::Killed => "Killed",
        Fate::Suicide => "Suicide",
    }
}

/// An id in words: underscores to spaces, the first letter capital.
pub fn words(id: &str) -> String {
    let words = id.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Every value categorical outcome `outcome` can take, or `None` for an outcome this list does not
/// know.
pub fn possible_values(data: &Data, outcome: &str) -> Option<Vec<String>> {
    let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let people = || {
        data.people
            .ids()
            .map(|(_, p)| p.id.clone())
            .collect::<Vec<_>>()
    };
    let mut out = match outcome {
        id::LEADER_1926 | id::LEADER_1930 | id::LEADER_1940 => {
            let mut v = people();
            v.push("collective".into());
            v
        }
        id::GENERAL_SECRETARY_1925 => {
            let mut v = people();
            v.push("none".into());
            v
        }
        id::STALIN_FATE_1930 | id::STALIN_FATE_1941 => {
            Fate::ALL.iter().map(|f| f.id().into()).collect()
        }
        id::STALIN_CAUCASUS_BY_1941 => ids(&["breakaway", "revolt", "power_base", "none"]),
        id::POLICY_1930 => Policy::ALL.iter().map(|p| p.id().into()).collect(),
        id::COLLECTIVIZATION => ids(&["full", "partial", "none"]),
        id::GERMAN_REGIME_1934 => GermanRegime::ALL.iter().map(|g| g.id().into()).collect(),
        id::COMINTERN_LINE_1932 => CominternLine::ALL.iter().map(|c| c.id().into()).collect(),
        id::ALIGNMENT_1939 => {
            let mut v: Vec<String> = Alignment::ALL.iter().map(|a| a.id().into()).collect();
            v.push("no_crisis".into());
            return Some(v);
        }
        id::WAR_START_YEAR => {
            let mut v: Vec<String> = (EARLIEST.year()..=LATEST.year())
                .map(|y| y.to_string())
                .collect();
            v.push("none".into());
            return Some(v);
        }
        id::WAR_OUTCOME => return Some(WarOutcome::ALL.iter().map(|w| w.id().into()).collect()),
        id::SURPRISE_1941 => return Some(ids(&["yes", "no", "no_attack_1941"])),
        id::MILITARY_COUP_BY_1941 => return Some(ids(&["succeeded", "failed", "none"])),
        id::REGIME_1935 => Regime::ALL.iter().map(|r| r.id().into()).collect(),
        _ => return None,
    };
    // An outcome read from a year the world did not reach.
    out.push("n/a".into());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_every_one_is_described() {
        let mut seen = std::collections::HashSet::new();
        for q in questions() {
            assert!(seen.insert(q.id), "{} is in the catalogue twice", q.id);
            assert!(q.question.ends_with('?'), "{}: {}", q.id, q.question);
            assert!(!q.title.is_empty(), "{} has no title", q.id);
        }
        assert_eq!(seen.len(), CATEGORICAL.len() + NUMERIC.len() + SERIES.len());
    }

    #[test]
    fn categorical_outcomes_read_as_labels_and_numbers_carry_a_unit() {
        assert!(CATEGORICAL.iter().all(|d| d.about.unit == Unit::Label));
        assert!(NUMERIC.iter().all(|d| d.about.unit != Unit::Label));
        assert!(SERIES.iter().all(|d| d.about.unit != Unit::Label));
    }

    #[test]
    fn months_read_as_dates_and_missing_values_as_a_dash() {
        assert_eq!(Unit::Month.format(132.0), "1933-01");
        assert_eq!(Unit::Month.format(0.0), "1922-01");
        assert_eq!(Unit::Share.format(0.456), "46%");
        assert_eq!(Unit::Millions.format(f64::NAN), "—");
        assert_eq!(Unit::Year.format(1937.0), "1937");
    }

    #[test]
    fn about_finds_outcomes_and_series() {
        assert_eq!(title(id::LEADER_1930), "Leader 1930");
        assert_eq!(about(id::GRAIN_HARVEST).unwrap().unit, Unit::MillionTonnes);
        assert!(about("no_such_outcome").is_none());
        assert_eq!(title("no_such_outcome"), "no_such_outcome");
    }
}
