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

fn leader(c: &Context, year: u32, o: &Outcome) -> String {
    o.year(year)
        .map_or("n/a".into(), |y| c.person(y.leader, "collective"))
}

fn stalin_fate(c: &Context, year: u32, o: &Outcome) -> String {
    match (o.year(year), c.stalin) {
        (Some(y), Some(s)) => y.fates[s.index()].id().to_string(),
        _ => "n/a".into(),
    }
}

/// HARRY's claim: how far toward a Caucasian break Stalin went by the end of `year`.
fn stalin_caucasus(c: &Context, year: u32, o: &Outcome) -> String {
    let Some(s) = c.stalin else {
        return "n/a".into();
    };
    if o.year(year).is_none() {
        return "n/a".into();
    }
    let reached = |f: Fate| {
        o.first(s, Milestone::Reached(f))
            .is_some_and(|m| m.year() <= year)
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
}

/// How far forced collectivisation went by the end of `year`.
fn collectivization(_: &Context, year: u32, o: &Outcome) -> String {
    match o
        .year(year)
        .and_then(|y| y.economy)
        .map(|e| e.collectivized)
    {
        None => "n/a".into(),
        Some(c) if c >= 0.7 => "full".into(),
        Some(c) if c >= 0.1 => "partial".into(),
        Some(_) => "none".into(),
    }
}

const fn categorical(
    id: &'static str,
    question: &'static str,
    title: &'static str,
    year: Option<u32>,
    value: fn(&Context, u32, &Outcome) -> String,
) -> CategoricalDef {
    CategoricalDef {
        about: Question {
            id,
            question,
            title,
            unit: Unit::Label,
            year,
        },
        value,
    }
}

/// The categorical outcomes, in the order of the export's columns.
pub static CATEGORICAL: &[CategoricalDef] = &[
    categorical(
        id::LEADER_1926,
        "Who leads the party at the end of 1926?",
        "Leader 1926",
        Some(1926),
        leader,
    ),
    categorical(
        id::LEADER_1930,
        "Who leads the party at the end of 1930?",
        "Leader 1930",
        Some(1930),
        leader,
    ),
    categorical(
        id::LEADER_1940,
        "Who leads the party at the end of 1940?",
        "Leader 1940",
        Some(1940),
        leader,
    ),
    categorical(
        id::GENERAL_SECRETARY_1925,
        "Who is General Secretary at the end of 1925?",
        "General Secretary 1925",
        Some(1925),
        |c, year, o| {
            o.year(year)
                .map_or("n/a".into(), |y| c.person(y.general_secretary, "none"))
        },
    ),
    categorical(
        id::STALIN_FATE_1930,
        "Where does Stalin stand at the end of 1930?",
        "Stalin's fate 1930",
        Some(1930),
        stalin_fate,
    ),
    categorical(
        id::STALIN_FATE_1941,
        "Where does Stalin stand at the end of 1941?",
        "Stalin's fate 1941",
        Some(1941),
        stalin_fate,
    ),
    categorical(
        id::STALIN_CAUCASUS_BY_1941,
        "How far toward a Caucasian break did Stalin go by 1941?",
        "Caucasian break, 1941",
        Some(1941),
        stalin_caucasus,
    ),
    categorical(
        id::POLICY_1930,
        "Which economic policy is in force at the end of 1930?",
        "Economic policy 1930",
        Some(1930),
        |_, year, o| {
            o.year(year)
                .map_or("n/a".into(), |y| y.policy.id().to_string())
        },
    ),
    categorical(
        id::COLLECTIVIZATION,
        "How far did forced collectivisation go by 1940 (full ≥ 70% of households, partial ≥ 10%)?",
        "Collectivisation 1940",
        Some(1940),
        collectivization,
    ),
    categorical(
        id::GERMAN_REGIME_1934,
        "Who governs Germany at the end of 1934?",
        "German regime 1934",
        Some(1934),
        |_, year, o| {
            o.year(year)
                .map_or("n/a".into(), |y| y.german_regime.id().to_string())
        },
    ),
    categorical(
        id::COMINTERN_LINE_1932,
        "Which line does the Comintern follow at the end of 1932?",
        "Comintern line 1932",
        Some(1932),
        |_, year, o| {
            o.year(year)
                .map_or("n/a".into(), |y| y.comintern_line.id().to_string())
        },
    ),
    categorical(
        id::ALIGNMENT_1939,
        "What does the USSR choose in the European crisis, by the end of 1939?",
        "Choice in 1939",
        Some(1939),
        |_, year, o| o.europe.alignment_by(year).to_string(),
    ),
    categorical(
        id::WAR_START_YEAR,
        "In which year does Germany attack the USSR?",
        "Year the war starts",
        None,
        |_, _, o| o.europe.war_start_year(),
    ),
    categorical(
        id::WAR_OUTCOME,
        "How does the war stand at the end of 1945?",
        "War outcome",
        None,
        |_, _, o| o.europe.result().id().to_string(),
    ),
    categorical(
        id::SURPRISE_1941,
        "If Germany attacks in 1941, does the attack come as a surprise?",
        "Surprise in 1941",
        Some(1941),
        |_, year, o| match (o.europe.war_start, o.europe.surprise) {
            (Some(m), Some(s)) if m.year() == year => (if s { "yes" } else { "no" }).into(),
            _ => "no_attack_1941".into(),
        },
    ),
    categorical(
        id::MILITARY_COUP_BY_1941,
        "Is there a military coup by the end of 1941?",
        "Military coup by 1941",
        Some(1941),
        |_, year, o| match o.europe.coup {
            Some((m, ok)) if m.year() <= year => (if ok { "succeeded" } else { "failed" }).into(),
            _ => "none".into(),
        },
    ),
    categorical(
        id::REGIME_1935,
        "What shape does power at the top take in 1935?",
        "Regime 1935",
        Some(1935),
        |_, year, o| {
            o.year(year)
                .map_or("n/a".into(), |y| y.regime.id().to_string())
        },
    ),
];

fn violent(f: Fate) -> bool {
    matches!(f, Fate::Executed | Fate::Killed | Fate::Suicide)
}

/// Out of the party at the end of the year for a cause other than natural death: expelled, exiled,
/// imprisoned, abroad, in the Caucasus, or executed, killed or driven to suicide.
fn outcast(f: Fate) -> bool {
    !f.is_member() && f != Fate::DeadNatural
}

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

const fn numeric(
    id: &'static str,
    question: &'static str,
    title: &'static str,
    unit: Unit,
    year: Option<u32>,
    value: fn(&Context, u32, &Outcome) -> f64,
) -> NumericDef {
    NumericDef {
        about: Question {
            id,
            question,
            title,
            unit,
            year,
        },
        value,
    }
}

/// The numeric outcomes, in the order of the export's columns.
pub static NUMERIC: &[NumericDef] = &[
    numeric(
        id::LOYALISTS_OUTCAST_1941,
        "What share of Stalin's 1924 loyalists are out of the party (or dead by violence) at the end of 1941?",
        "Loyalists outcast, 1941",
        Unit::Share,
        Some(1941),
        |c, year, o| {
            if c.loyalists.is_empty() {
                return f64::NAN;
            }
            o.year(year).map_or(f64::NAN, |y| {
                let out = c.loyalists.iter().filter(|&&i| outcast(y.fates[i])).count();
                out as f64 / c.loyalists.len() as f64
            })
        },
    ),
    numeric(
        id::LEADER_RUTHLESSNESS_1940,
        "How ruthless is the man who leads in 1940 (his judged score)?",
        "Leader's ruthlessness 1940",
        Unit::Score,
        Some(1940),
        |c, year, o| {
            o.year(year)
                .and_then(|y| y.leader)
                .map_or(f64::NAN, |l| c.ruthlessness[l.index()])
        },
    ),
    numeric(
        id::REPRESSION_PEAK,
        "How high does repression peak?",
        "Repression at its peak",
        Unit::Score,
        None,
        |_, _, o| o.years.iter().map(|y| y.repression).fold(0.0, f64::max),
    ),
    numeric(
        id::REPRESSION_PEAK_YEAR,
        "In which year does repression peak?",
        "Year repression peaks",
        Unit::Year,
        None,
        |_, _, o| {
            o.years
                .iter()
                .max_by(|a, b| a.repression.total_cmp(&b.repression))
                .map_or(f64::NAN, |y| y.year as f64)
        },
    ),
    numeric(
        id::LEADERS_KILLED_BY_1941,
        "How many of the tracked leaders are executed, killed or driven to suicide by the end of 1941?",
        "Leaders dead by violence, 1941",
        Unit::People,
        Some(1941),
        |_, year, o| {
            o.year(year).map_or(f64::NAN, |y| {
                y.fates.iter().filter(|f| violent(**f)).count() as f64
            })
        },
    ),
    numeric(
        id::GDP_1940,
        "How large is GDP in 1940?",
        "GDP 1940",
        Unit::Index1928,
        Some(1940),
        |_, year, o| index_1928(o, year, |e| e.gdp),
    ),
    numeric(
        id::INDUSTRY_1940,
        "How large is industrial output in 1940?",
        "Industrial output 1940",
        Unit::Index1928,
        Some(1940),
        |_, year, o| index_1928(o, year, |e| e.industry),
    ),
    numeric(
        id::CONSUMPTION_1940,
        "How large is consumption per head in 1940?",
        "Consumption per head 1940",
        Unit::Index1928,
        Some(1940),
        |_, year, o| index_1928(o, year, |e| e.consumption_per_head),
    ),
    numeric(
        id::FAMINE_DEATHS_1930_1934,
        "How many die of famine in 1930–34?",
        "Famine deaths 1930–34",
        Unit::Millions,
        Some(1934),
        |_, year, o| {
            (1930..=year)
                .filter_map(|y| o.year(y).and_then(|r| r.economy))
                .map(|e| e.famine_deaths)
                .sum()
        },
    ),
    numeric(
        id::MILITARY_CAPACITY_1941,
        "How large is military-industrial capacity in 1941?",
        "Military-industrial capacity 1941",
        Unit::Index1928,
        Some(1941),
        |_, year, o| index_1928(o, year, |e| e.military),
    ),
    numeric(
        id::NAZI_POWER_MONTH,
        "When do the Nazis come to power in Germany?",
        "Nazis in power",
        Unit::Month,
        None,
        |_, _, o| o.europe.nazi_power.map_or(f64::NAN, months_since_1922),
    ),
    numeric(
        id::WAR_END_MONTH,
        "When does the German–Soviet war end?",
        "War ends",
        Unit::Month,
        None,
        |_, _, o| {
            o.europe
                .outcome
                .map_or(f64::NAN, |(_, m)| months_since_1922(m))
        },
    ),
    numeric(
        id::SOVIET_MILITARY_DEATHS,
        "How many Soviet soldiers die in the war?",
        "Soviet military dead",
        Unit::Millions,
        None,
        |_, _, o| {
            o.europe
                .war_start
                .map_or(f64::NAN, |_| o.europe.soviet_dead)
        },
    ),
    numeric(
        id::RED_ARMY_OFFICERS_PURGED,
        "How many Red Army officers are discharged in the army purge?",
        "Red Army officers discharged",
        Unit::People,
        None,
        |_, _, o| o.europe.officers_purged,
    ),
    numeric(
        id::FRONT_FIRST_DECEMBER_KM,
        "How far east of the June 1941 border is the front in the war's first December?",
        "Deepest advance by the first winter",
        Unit::Km,
        None,
        |_, _, o| o.europe.first_december.map_or(f64::NAN, |(d, _)| d),
    ),
    numeric(
        id::SOVIET_DEAD_FIRST_DECEMBER,
        "How many Soviet soldiers have died by the war's first December?",
        "Soviet military dead by the first winter",
        Unit::Millions,
        None,
        |_, _, o| o.europe.first_december.map_or(f64::NAN, |(_, d)| d),
    ),
    numeric(
        id::LEADER_SHARE_1930,
        "What share of the vote does the leader's faction (or the strongest) hold at the end of 1930?",
        "Leader's faction's share 1930",
        Unit::Share,
        Some(1930),
        |_, year, o| o.year(year).map_or(f64::NAN, |y| y.top_share),
    ),
    numeric(
        id::CIVILIAN_WAR_DEATHS_TOTAL,
        "How many Soviet civilians die in the war (occupation, siege, hunger, deportation)?",
        "Soviet civilian war dead",
        Unit::Millions,
        None,
        |_, _, o| {
            o.europe.war_start.map_or(f64::NAN, |_| {
                o.years
                    .iter()
                    .filter_map(|y| y.economy)
                    .map(|e| e.civilian_war_deaths)
                    .sum()
            })
        },
    ),
    numeric(
        id::OCCUPIED_POPULATION_PEAK,
        "What share of the Soviet population falls under occupation at most (at a year's end)?",
        "Population under occupation, peak",
        Unit::Share,
        None,
        |_, _, o| {
            o.europe.war_start.map_or(f64::NAN, |_| {
                o.years
                    .iter()
                    .filter_map(|y| y.economy)
                    .map(|e| e.occupied)
                    .fold(0.0, f64::max)
            })
        },
    ),
];

const fn series(
    id: &'static str,
    question: &'static str,
    title: &'static str,
    unit: Unit,
    value: Yearly,
    only_years_with_values: bool,
) -> SeriesDef {
    SeriesDef {
        about: Question {
            id,
            question,
            title,
            unit,
            year: None,
        },
        value,
        only_years_with_values,
    }
}

/// An economic series's value in one year's record; NaN before the economy starts.
macro_rules! economic {
    ($field:ident) => {
        |_: &Outcome, y: &YearRecord| y.economy.map_or(f64::NAN, |e| e.$field)
    };
}

/// An economic series as an index over the same world's 1928 (= 100), the base of every index the
/// catalogue shows; NaN before the economy starts.
macro_rules! indexed {
    ($field:ident) => {
        |o: &Outcome, y: &YearRecord| index_1928(o, y.year, |e| e.$field)
    };
}

/// The yearly series, in the order the export writes them.
pub static SERIES: &[SeriesDef] = &[
    series(
        id::REPRESSION,
        "How harsh is repression each year?",
        "Repression",
        Unit::Score,
        |_, y| y.repression,
        false,
    ),
    series(
        id::FRONT_KM,
        "Where is the front at the end of each year of war (km east of the June 1941 border; negative: west)?",
        "Front line",
        Unit::Km,
        |_, y| y.front_km.unwrap_or(f64::NAN),
        false,
    ),
    // Over the worlds at war (or after one) by that year, like the numeric outcome.
    series(
        id::SOVIET_MILITARY_DEAD,
        "How many Soviet soldiers have died in the war by the end of each year?",
        "Soviet military dead",
        Unit::Millions,
        |_, y| {
            if y.soviet_dead > 0.0 {
                y.soviet_dead
            } else {
                f64::NAN
            }
        },
        false,
    ),
    series(
        id::GDP,
        "How large is GDP each year?",
        "GDP",
        Unit::Index1928,
        indexed!(gdp),
        true,
    ),
    series(
        id::INDUSTRY,
        "How large is industrial output each year?",
        "Industrial output",
        Unit::Index1928,
        indexed!(industry),
        true,
    ),
    series(
        id::AGRICULTURE,
        "How large is farm output each year?",
        "Farm output",
        Unit::Index1928,
        indexed!(agriculture),
        true,
    ),
    series(
        id::GRAIN_HARVEST,
        "How large is the grain harvest each year?",
        "Grain harvest",
        Unit::MillionTonnes,
        economic!(grain),
        true,
    ),
    series(
        id::GRAIN_PROCUREMENT,
        "How much grain does the state procure each year?",
        "Grain procurement",
        Unit::MillionTonnes,
        economic!(procurement),
        true,
    ),
    series(
        id::CONSUMPTION_PER_HEAD,
        "How much does a person consume each year?",
        "Consumption per head",
        Unit::Index1928,
        indexed!(consumption_per_head),
        true,
    ),
    series(
        id::URBAN_SHARE,
        "What share of the population lives in towns each year?",
        "Urban share",
        Unit::Share,
        economic!(urban),
        true,
    ),
    series(
        id::FAMINE_DEATHS,
        "How many die of famine each harvest year?",
        "Famine deaths",
        Unit::Millions,
        economic!(famine_deaths),
        true,
    ),
    series(
        id::MILITARY_CAPACITY,
        "How large is military-industrial capacity each year?",
        "Military-industrial capacity",
        Unit::Index1928,
        indexed!(military),
        true,
    ),
    series(
        id::LIVESTOCK,
        "How large are the herds each year?",
        "Livestock",
        Unit::Index1928,
        indexed!(livestock),
        true,
    ),
    series(
        id::COLLECTIVIZED,
        "What share of peasant households is collectivised each year?",
        "Collectivised households",
        Unit::Share,
        economic!(collectivized),
        true,
    ),
    series(
        id::LEADER_SHARE,
        "What share of the vote does the leader's faction (or the strongest) hold each year?",
        "Leader's faction's share",
        Unit::Share,
        |_, y| y.top_share,
        false,
    ),
    series(
        id::CIVILIAN_WAR_DEATHS_YEAR,
        "How many Soviet civilians die of the war each year?",
        "Civilian war deaths",
        Unit::Millions,
        economic!(civilian_war_deaths),
        true,
    ),
    series(
        id::OCCUPIED_SHARE,
        "What share of the Soviet population is under occupation at each year's end?",
        "Population under occupation",
        Unit::Share,
        economic!(occupied),
        true,
    ),
];

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
