//! Every assumption in data/assumptions.toml is read by the model: dropping any one of them makes
//! `Params::new` refuse the registry by that key. An assumption no sub-model reads would be a knob
//! that moves nothing while the docs, the priors and the sensitivity screen count it.

use razvilka_kernel::Registry;
use razvilka_model::{MissingAssumption, Params};
use razvilka_world::Data;

const FILE: &str = include_str!("../../../data/assumptions.toml");

#[test]
fn every_assumption_is_read_by_a_sub_model() {
    let data = Data::builtin().expect("the shipped data loads");
    let marker = "[[assumption]]";
    let pieces: Vec<&str> = FILE.split(marker).collect();
    let (head, entries) = pieces.split_first().expect("the file has a head");
    assert_eq!(entries.len(), data.registry.assumptions().len());
    let mut unread = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let key = data.registry.assumptions()[i].key.clone();
        assert!(
            entry.contains(&format!("key = \"{key}\"")),
            "entry {i} is not `{key}`"
        );
        let without: String = std::iter::once(head.to_string())
            .chain(
                entries
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, e)| format!("{marker}{e}")),
            )
            .collect();
        let registry = Registry::parse(&without, "data/assumptions.toml").expect("still parses");
        match Params::new(&registry, &data.model_calendar) {
            Err(MissingAssumption(missing)) => assert_eq!(missing, key),
            Ok(_) => unread.push(key),
        }
    }
    assert!(
        unread.is_empty(),
        "no sub-model reads these assumptions: {unread:?}"
    );
}

#[test]
fn the_declared_keys_are_the_registrys_and_each_has_one_owner() {
    let data = Data::builtin().expect("the shipped data loads");
    // (the block, the prefix its keys carry, its keys)
    let declared = [
        (
            "mortality",
            "mortality",
            razvilka_model::mortality::Params::keys(),
        ),
        (
            "politics",
            "politics",
            razvilka_model::politics::Params::keys(),
        ),
        ("fates", "fates", razvilka_model::fates::Params::keys()),
        (
            "diplomacy",
            "diplomacy",
            razvilka_model::diplomacy::Params::keys(),
        ),
        ("war", "war", razvilka_model::war::Params::keys()),
        (
            "germany",
            "germany",
            razvilka_model::germany::Assumed::keys(),
        ),
        (
            "economy",
            "economy",
            razvilka_model::economy::Accounts::keys(),
        ),
        // The war economy's shares are one block, read by the economy and the war alike; their keys
        // keep the names of the sub-model that states them.
        (
            "the war economy's shares",
            "",
            razvilka_model::economy::WarShares::keys(),
        ),
        // The economy decides the policy on the leadership's preferences, which keep the names
        // `politics.policy_*` under which scenarios and the claims name them.
        (
            "economy's decision",
            "politics",
            razvilka_model::economy::Decision::keys(),
        ),
    ];
    let mut owner = std::collections::BTreeMap::new();
    for (model, _, keys) in &declared {
        assert!(!keys.is_empty(), "{model} declares no keys");
        for key in keys {
            assert!(
                data.registry.get(key).is_ok(),
                "{model} declares `{key}`, which data/assumptions.toml lacks"
            );
            if let Some(other) = owner.insert(*key, *model) {
                panic!("`{key}` is declared by both {other} and {model}");
            }
        }
    }
    // Each sub-model's keys carry its own name (the registry's convention), or the one stated.
    for (model, prefix, keys) in &declared {
        for key in keys {
            assert!(
                prefix.is_empty() || key.starts_with(&format!("{prefix}.")),
                "{model} reads `{key}`"
            );
        }
    }
}

/// Data whose registry lacks an assumption the model reads are refused when they load, at
/// data/assumptions.toml, naming the key.
#[test]
fn data_without_an_assumption_the_model_reads_are_refused_at_the_file() {
    let mut files = razvilka_world::DATA_FILES.map(|(n, t)| (n.to_string(), t.to_string()));
    let marker = "[[assumption]]";
    let first = FILE.find(marker).expect("an assumption");
    let after = first + marker.len();
    let second = after + FILE[after..].find(marker).expect("a second assumption");
    files[3].1 = format!("{}{}", &FILE[..first], &FILE[second..]);
    let key = Data::builtin().unwrap().registry.assumptions()[0]
        .key
        .clone();
    let e = Data::from_files(&files).expect_err("a missing assumption");
    assert_eq!(e.file, "data/assumptions.toml");
    assert!(
        e.message.contains(&format!(
            "the model needs the assumption `{key}`, and this file does not define it"
        )),
        "{e}"
    );
}
