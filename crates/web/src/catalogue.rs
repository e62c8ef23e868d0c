//! What the web application says about the outcomes: their human labels and the values each can
//! take, all read from the world crate's outcome catalogue.

use razvilka_world::catalogue;
use razvilka_world::Data;

/// The human label of value `value` of outcome `outcome`.
pub fn value_label(data: &Data, outcome: &str, value: &str) -> String {
    // The catalogue's labels do not depend on the outcome.
    let _ = outcome;
    catalogue::value_label(data, value)
}

/// The human label of outcome `outcome` (its short title in the catalogue).
pub fn outcome_label(outcome: &str) -> String {
    catalogue::title(outcome).to_string()
}

/// Every value categorical outcome `outcome` can take, or `None` for an outcome the catalogue does
/// not know (its values are then not checked).
pub fn values(data: &Data, outcome: &str) -> Option<Vec<String>> {
    catalogue::possible_values(data, outcome)
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
