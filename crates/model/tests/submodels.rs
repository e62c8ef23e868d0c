//! The one shape: the step order, and each intervention carried out by the sub-model it belongs to.

mod support;

use razvilka_kernel::Month;
use razvilka_model::{
    Action, Alignment, Applied, CominternLine, EventKind, Fate, Office, Policy, SUB_MODELS,
};
use support::*;

/// Every kind of intervention, on Trotsky where it concerns a person.
fn every_action(trotsky: razvilka_model::PersonId) -> Vec<Action> {
    vec![
        Action::Expel(trotsky),
        Action::RemoveOffice(trotsky, Office::WarCommissar),
        Action::Dies(trotsky),
        Action::SurvivesUntil(trotsky, Month::new(1930, 1)),
        Action::Appoint(trotsky, Office::GeneralSecretary),
        Action::Policy(Policy::Nep),
        Action::CominternLine(CominternLine::UnitedFront),
        Action::Alignment(Alignment::WesternAlliance),
        Action::NoArmyPurge,
    ]
}

#[test]
fn the_step_order_is_the_documented_one() {
    assert_eq!(
        SUB_MODELS,
        &[
            "mortality",
            "politics",
            "economy",
            "fates",
            "germany",
            "diplomacy",
            "war"
        ]
    );
}

#[test]
fn every_intervention_is_carried_out_and_changes_the_world() {
    let w0 = world(1924, 5);
    let trotsky = id(&w0, "trotsky");
    for action in every_action(trotsky) {
        let mut w = world(1924, 5);
        let before = format!(
            "{:?}",
            (&w.persons, &w.economy, &w.germany, &w.diplomacy, &w.war)
        );
        assert_eq!(
            razvilka_model::apply(&mut w, &action),
            Applied::Done,
            "{action:?}"
        );
        let after = format!(
            "{:?}",
            (&w.persons, &w.economy, &w.germany, &w.diplomacy, &w.war)
        );
        assert_ne!(before, after, "{action:?} changed nothing");
    }
}

#[test]
fn an_intervention_on_a_dead_man_changes_nothing() {
    let mut w = world(1924, 5);
    let trotsky = id(&w, "trotsky");
    w.person_mut(trotsky).fate = Fate::DeadNatural;
    for action in every_action(trotsky)
        .into_iter()
        .filter(|a| a.person().is_some())
    {
        let mut w = w.clone();
        razvilka_model::apply(&mut w, &action);
        assert!(
            w.log.is_empty(),
            "{action:?} acted on a dead man: {:?}",
            w.log
        );
        assert_eq!(w.person(trotsky).fate, Fate::DeadNatural);
    }
}

#[test]
fn an_appointment_to_a_post_takes_it_from_its_holder() {
    let mut w = world(1924, 5);
    let (stalin, trotsky) = (id(&w, "stalin"), id(&w, "trotsky"));
    assert!(w.person(stalin).offices.has(Office::GeneralSecretary));
    razvilka_model::apply(&mut w, &Action::Appoint(trotsky, Office::GeneralSecretary));
    assert_eq!(w.general_secretary(), Some(trotsky));
    assert!(!w.person(stalin).offices.has(Office::GeneralSecretary));
    // A seat in a body is added, not taken.
    let mut w = world(1924, 5);
    let members = w
        .ids()
        .filter(|&p| w.person(p).offices.has(Office::Politburo))
        .count();
    let outsider = w
        .ids()
        .find(|&p| w.person(p).fate.is_member() && !w.person(p).offices.in_politburo())
        .expect("someone outside the Politburo");
    razvilka_model::apply(&mut w, &Action::Appoint(outsider, Office::Politburo));
    let now = w
        .ids()
        .filter(|&p| w.person(p).offices.has(Office::Politburo))
        .count();
    assert_eq!(now, members + 1);
}

#[test]
fn a_fixed_policy_is_logged_and_binds_the_economy() {
    let mut w = world(1928, 1);
    razvilka_model::apply(&mut w, &Action::Policy(Policy::Collectivization));
    assert_eq!(w.economy.policy, Policy::Collectivization);
    assert!(w.economy.forced);
    assert_eq!(
        count(&w, |k| matches!(
            k,
            EventKind::PolicyChanged {
                to: Policy::Collectivization,
                ..
            }
        )),
        1
    );
}
