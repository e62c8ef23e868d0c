//! The numeric outcomes: each a number one world gives (a count, an index, a date as months).

use super::*;

fn violent(f: Fate) -> bool {
    matches!(f, Fate::Executed | Fate::Killed | Fate::Suicide)
}

/// Out of the party at the end of the year for a cause other than natural death: expelled, exiled,
/// imprisoned, abroad, in the Caucasus, or executed, killed or driven to suicide.
fn outcast(f: Fate) -> bool {
    !f.is_member() && f != Fate::DeadNatural
}

/// A world's yearly economic records if it had a war (a world without one has no war figures).
fn war_economy(o: &Outcome) -> Option<impl Iterator<Item = Economy> + '_> {
    o.europe
        .war_start
        .map(|_| o.years.iter().filter_map(|y| y.economy))
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
        |_, _, o| war_economy(o).map_or(f64::NAN, |ys| ys.map(|e| e.civilian_war_deaths).sum()),
    ),
    numeric(
        id::OCCUPIED_POPULATION_PEAK,
        "What share of the Soviet population falls under occupation at most (at a year's end)?",
        "Population under occupation, peak",
        Unit::Share,
        None,
        |_, _, o| {
            war_economy(o).map_or(f64::NAN, |ys| ys.map(|e| e.occupied).fold(0.0, f64::max))
        },
    ),
];
