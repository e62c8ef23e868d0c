//! What the web application says about the outcomes: their human labels and the values each can
//! take. Every label the web crate shows and every outcome value it checks comes from here, so that
//! when the world crate's outcome catalogue lands these functions are pointed at it and nothing
//! else changes. Until then the labels are the HTML report's and the values are read from the
//! model's vocabularies, exactly as `razvilka_ensemble::categorical_outcomes` produces them.

use razvilka_analysis::html;
use razvilka_kernel::{Alignment, CominternLine, Fate, GermanRegime, Policy, Regime, WarOutcome};
use razvilka_world::{Data, EARLIEST, LATEST};

/// The human label of value `value` of outcome `outcome`.
pub fn value_label(data: &Data, outcome: &str, value: &str) -> String {
    // The report's labels do not depend on the outcome yet; the catalogue's may.
    let _ = outcome;
    html::value_label(data, value)
}

/// The human label of outcome `outcome` (a categorical outcome's name in words).
pub fn outcome_label(outcome: &str) -> String {
    html::outcome_title(outcome)
}

/// Every value categorical outcome `outcome` can take, or `None` for an outcome this list does not
/// know (its values are then not checked).
pub fn values(data: &Data, outcome: &str) -> Option<Vec<String>> {
    let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let people = || {
        data.people
            .ids()
            .map(|(_, p)| p.id.clone())
            .collect::<Vec<_>>()
    };
    let mut out = match outcome {
        "leader_1926" | "leader_1930" | "leader_1940" => {
            let mut v = people();
            v.push("collective".into());
            v
        }
        "general_secretary_1925" => {
            let mut v = people();
            v.push("none".into());
            v
        }
        "stalin_fate_1930" | "stalin_fate_1941" => {
            Fate::ALL.iter().map(|f| f.id().into()).collect()
        }
        "stalin_caucasus_by_1941" => ids(&["breakaway", "revolt", "power_base", "none"]),
        "policy_1930" => Policy::ALL.iter().map(|p| p.id().into()).collect(),
        "collectivization" => ids(&["full", "partial", "none"]),
        "german_regime_1934" => GermanRegime::ALL.iter().map(|g| g.id().into()).collect(),
        "comintern_line_1932" => CominternLine::ALL.iter().map(|c| c.id().into()).collect(),
        "alignment_1939" => {
            let mut v: Vec<String> = Alignment::ALL.iter().map(|a| a.id().into()).collect();
            v.push("no_crisis".into());
            return Some(v);
        }
        "war_start_year" => {
            let mut v: Vec<String> = (EARLIEST.year()..=LATEST.year())
                .map(|y| y.to_string())
                .collect();
            v.push("none".into());
            return Some(v);
        }
        "war_outcome" => return Some(WarOutcome::ALL.iter().map(|w| w.id().into()).collect()),
        "surprise_1941" => return Some(ids(&["yes", "no", "no_attack_1941"])),
        "military_coup_by_1941" => return Some(ids(&["succeeded", "failed", "none"])),
        "regime_1935" => Regime::ALL.iter().map(|r| r.id().into()).collect(),
        _ => return None,
    };
    // An outcome read from a year the world did not reach.
    out.push("n/a".into());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value the ensemble produces for the shipped scenarios is one this list knows, and every
    /// categorical outcome has a list.
    #[test]
    fn the_values_cover_what_the_ensembles_produce() {
        let data = Data::builtin().unwrap();
        let outcomes = razvilka_ensemble::categorical_outcomes(&data);
        for name in [
            "otl",
            "stalin-expelled",
            "lenin-lives",
            "western-alliance-1939",
        ] {
            let text = razvilka_world::builtin_scenario(name).unwrap();
            let s = razvilka_world::Scenario::parse(text, name, &data.context()).unwrap();
            let options = razvilka_ensemble::Options {
                runs: 60,
                seed: 3,
                threads: 1,
            };
            let worlds = razvilka_ensemble::run(&data, &s, options, &|| {}).unwrap();
            for (outcome, f) in &outcomes {
                let known =
                    values(&data, outcome).unwrap_or_else(|| panic!("no values for {outcome}"));
                for w in &worlds {
                    let v = f(w);
                    assert!(known.contains(&v), "{name}: {outcome} = {v} is not listed");
                }
            }
        }
        assert_eq!(values(&data, "no_such_outcome"), None);
    }
}
