//! Why the divergence moved the economy and the war: the twin pairs split by whether one of the
//! model's turning points changed with the divergence (the 1930 policy, collectivisation, Germany's
//! regime in 1934, the Soviet choice in 1939, the year of the attack), and each number's mean paired
//! difference in the two groups. A difference found where a turning point changed and not where it
//! held points to the path the divergence took; it is a split of the pairs, not a proof of cause (two
//! turning points may change together).

use std::collections::BTreeMap;

use razvilka_world::catalogue::{categorical_outcomes, id, numeric_outcomes};
use razvilka_world::{Data, Outcome};
use serde::Serialize;

use crate::summary::paired_mean;

/// The turning points the pairs are split by, in the order a reader meets them.
pub const TURNING_POINTS: [&str; 5] = [
    id::POLICY_1930,
    id::COLLECTIVIZATION,
    id::GERMAN_REGIME_1934,
    id::ALIGNMENT_1939,
    id::WAR_START_YEAR,
];

/// The numbers of the economy and the war whose differences are split.
pub const EFFECTS: [&str; 6] = [
    id::GDP_1940,
    id::FAMINE_DEATHS_1930_1934,
    id::MILITARY_CAPACITY_1941,
    id::RED_ARMY_OFFICERS_PURGED,
    id::SOVIET_MILITARY_DEATHS,
    id::CIVILIAN_WAR_DEATHS_TOTAL,
];

/// A mean paired difference (B − A) over some pairs, with its 95% interval.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mean {
    pub value: f64,
    pub interval: [f64; 2],
    /// The pairs in which both twins have the number.
    pub pairs: usize,
}

/// One number's difference where the turning point changed and where it held (`None`: no such pair
/// has the number).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Split {
    pub changed: Option<Mean>,
    pub unchanged: Option<Mean>,
}

/// The pairs split by one turning point.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Channel {
    /// The categorical outcome's id.
    pub turning_point: String,
    /// Pairs in which it changed, of all pairs.
    pub changed_pairs: usize,
    pub pairs: usize,
    /// By the number's id.
    pub effects: BTreeMap<String, Split>,
}

/// Each turning point's split of the pairs.
pub fn channels(data: &Data, pairs: &[(Outcome, Outcome)]) -> Vec<Channel> {
    let categorical: BTreeMap<_, _> = categorical_outcomes(data).into_iter().collect();
    let numeric: BTreeMap<_, _> = numeric_outcomes(data).into_iter().collect();
    TURNING_POINTS
        .iter()
        .map(|point| {
            let f = &categorical[point];
            let changed: Vec<bool> = pairs.iter().map(|(x, y)| f(x) != f(y)).collect();
            let effects = EFFECTS
                .iter()
                .map(|effect| {
                    let g = &numeric[effect];
                    let mean_where = |moved: bool| {
                        let diffs: Vec<f64> = pairs
                            .iter()
                            .zip(&changed)
                            .filter(|(_, c)| **c == moved)
                            .map(|((x, y), _)| g(y) - g(x))
                            .filter(|d| d.is_finite())
                            .collect();
                        (!diffs.is_empty()).then(|| {
                            let (value, interval) = paired_mean(&diffs);
                            Mean {
                                value,
                                interval,
                                pairs: diffs.len(),
                            }
                        })
                    };
                    let split = Split {
                        changed: mean_where(true),
                        unchanged: mean_where(false),
                    };
                    (effect.to_string(), split)
                })
                .collect();
            Channel {
                turning_point: point.to_string(),
                changed_pairs: changed.iter().filter(|c| **c).count(),
                pairs: pairs.len(),
                effects,
            }
        })
        .collect()
}
