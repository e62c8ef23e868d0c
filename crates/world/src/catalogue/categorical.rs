//! The categorical outcomes: each a value one world takes (a person, a fate, a policy, a regime).

use super::*;

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
