//! The yearly series: each a number per year of a world.

use super::*;

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
