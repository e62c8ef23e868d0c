//! Every value an assumption's domain admits yields finite outcomes: each assumption is set, in turn,
//! to the ends of its domain (the prior is bypassed, as an edited data file could widen it) and a few
//! worlds of recorded history, of the free run and of the expulsion are run to the end.

use razvilka_kernel::{Assumption, Domain, Prior};
use razvilka_world::{builtin_scenario, simulate, Data, Scenario};

/// The values at the ends of what `a` admits (the smallest positive number stands in for 0 when 0 is
/// out).
fn ends(a: &Assumption) -> [f64; 2] {
    let (low, high) = a.limits();
    match a.domain {
        Domain::Positive if low == 0.0 => [f64::MIN_POSITIVE, high],
        _ => [low, high],
    }
}

/// "NaN" or "inf" as a value in a Debug dump (not inside a word such as "info").
pub fn non_finite(dump: &str) -> Option<usize> {
    let bytes = dump.as_bytes();
    for word in ["NaN", "inf"] {
        for (i, _) in dump.match_indices(word) {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + word.len()).copied();
            let edge = |b: Option<u8>| b.is_none_or(|b| !b.is_ascii_alphanumeric() && b != b'_');
            if edge(before) && edge(after) {
                return Some(i);
            }
        }
    }
    None
}

#[test]
fn the_ends_of_every_domain_give_finite_outcomes() {
    let data = Data::builtin().unwrap();
    let scenarios: Vec<Scenario> = ["otl", "free-1922", "stalin-expelled"]
        .iter()
        .map(|n| Scenario::parse(builtin_scenario(n).unwrap(), n, &data.context()).unwrap())
        .collect();
    let mut failures = Vec::new();
    let keys: Vec<_> = data.registry.assumptions().to_vec();
    for a in &keys {
        for value in ends(a) {
            let mut changed = data.clone();
            let mut text = String::new();
            // The assumption fixed at the value: rebuild the registry from its own entries.
            let mut list = data.registry.assumptions().to_vec();
            for b in list.iter_mut().filter(|b| b.key == a.key) {
                b.default = value;
                b.prior = Prior::Fixed;
            }
            for b in &list {
                text.push_str(&toml::to_string(&Wrapper { assumption: [b] }).unwrap());
            }
            changed.registry = razvilka_kernel::Registry::parse(&text, "edge.toml")
                .unwrap_or_else(|e| panic!("{} = {value}: {e}", a.key));
            'worlds: for scenario in &scenarios {
                for run in 0..4 {
                    let r = simulate(&changed, scenario, scenario.divergence, 1, run).unwrap();
                    let dump = format!("{:?}", r.outcome);
                    if let Some(i) = non_finite(&dump) {
                        let from = i.saturating_sub(120);
                        failures.push(format!(
                            "{} = {value} ({}), {} world {run}: …{}…",
                            a.key,
                            a.domain.name(),
                            scenario.name,
                            &dump[from..(i + 10).min(dump.len())]
                        ));
                        break 'worlds;
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[derive(serde::Serialize)]
struct Wrapper<'a> {
    assumption: [&'a razvilka_kernel::Assumption; 1],
}
