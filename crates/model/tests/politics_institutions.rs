//! Politics' institutions on hand-built worlds and every month of every shipped scenario: no one holds
//! an abolished office, an incompatible pair or an office out of the party; no same-month
//! contradictions; the party's decisions end with the state.

mod support;

use razvilka_model::{politics, Params, World};
use razvilka_model::{EventKind, Fate, Office, PersonId};
use support::{congress, id, params, streams, votes_only};

fn step(world: &mut World, params: &Params, seed: u64) {
    politics::step(world, &params.politics, &streams(seed));
}

/// What breaks the institutions' rules in `w` this month, if anything: an office held by a man out
/// of the party or dead, an office that does not exist this month, two offices one man may not hold
/// together, more posts than one man may hold, or a man whose standing changes twice in the month
/// (a death aside), who gains an office in the month he leaves the party, or who both gains and
/// loses the same office in the month by the mechanisms (appointed and stripped the same day).
fn institutional_breach(w: &World) -> Option<String> {
    let inst = &w.people.institutions;
    for id in w.ids() {
        let p = w.person(id);
        let name = &w.people.get(id).id;
        if !p.fate.is_member() && !p.offices.is_empty() {
            return Some(format!(
                "{}: {name} is {} and holds offices",
                w.month, p.fate
            ));
        }
        for o in p.offices.iter() {
            if !inst.exists(o, w.month) {
                return Some(format!(
                    "{}: {name} holds {o}, which does not exist",
                    w.month
                ));
            }
            for other in p.offices.iter() {
                if !inst.compatible(o, other) {
                    return Some(format!("{}: {name} holds {o} with {other}", w.month));
                }
            }
        }
        let posts = p.offices.iter().filter(|&o| inst.is_post(o)).count();
        if posts > inst.max_posts {
            return Some(format!("{}: {name} holds {posts} posts", w.month));
        }
    }
    let this_month = w.log.iter().rev().take_while(|e| e.month == w.month);
    let mut changes: Vec<(PersonId, Fate)> = Vec::new();
    let mut gained: Vec<PersonId> = Vec::new();
    let mut offices_gained: Vec<(PersonId, Office)> = Vec::new();
    let mut offices_lost: Vec<(PersonId, Office)> = Vec::new();
    for e in this_month {
        let mechanism = e.origin == razvilka_kernel::Origin::Mechanism;
        match e.kind {
            EventKind::FateChanged { person, to, .. } if !to.is_dead() => {
                changes.push((person, to))
            }
            EventKind::OfficeGained { person, office } => {
                gained.push(person);
                if mechanism {
                    offices_gained.push((person, office));
                }
            }
            EventKind::OfficeLost { person, office } if mechanism => {
                offices_lost.push((person, office))
            }
            _ => {}
        }
    }
    if let Some((p, o)) = offices_gained.iter().find(|g| offices_lost.contains(g)) {
        let name = &w.people.get(*p).id;
        return Some(format!("{}: {name} both gains and loses {o}", w.month));
    }
    for (i, (p, to)) in changes.iter().enumerate() {
        let name = &w.people.get(*p).id;
        if changes[i + 1..].iter().any(|(q, _)| q == p) {
            return Some(format!("{}: {name} changes standing twice", w.month));
        }
        if !to.is_member() && gained.contains(p) {
            return Some(format!(
                "{}: {name} gains an office and leaves the party",
                w.month
            ));
        }
    }
    None
}

#[test]
fn institutions_hold_every_month_in_every_shipped_scenario() {
    use razvilka_kernel::Streams;
    use razvilka_world::{run_registry, simulate_inspecting, Scenario, BUILTIN_SCENARIOS};
    let data = support::data();
    for (name, text) in BUILTIN_SCENARIOS {
        let scenario = Scenario::parse(text, &format!("{name}.toml"), &data.context()).unwrap();
        for run in 0..60 {
            let streams = Streams::new(1000 + run, run);
            let registry = run_registry(data, &scenario, &streams);
            let params = Params::new(&registry, &data.model_calendar).unwrap();
            let mut breach = None;
            simulate_inspecting(
                data,
                &scenario,
                scenario.divergence,
                &params,
                &streams,
                |w| {
                    if breach.is_none() {
                        breach = institutional_breach(w);
                    }
                },
            )
            .unwrap();
            assert!(breach.is_none(), "{name}, run {run}: {}", breach.unwrap());
        }
    }
}

#[test]
fn the_institutional_check_finds_each_kind_of_breach() {
    // An abolished office: the Comintern chairmanship after November 1926.
    let mut w = support::world(1927, 3);
    let zinoviev = id(&w, "zinoviev");
    assert!(w.person(zinoviev).offices.has(Office::CominternChair));
    assert!(institutional_breach(&w).unwrap().contains("does not exist"));
    // The same man in 1922 breaks nothing; give him the Control Commission too and he does.
    let mut w22 = support::world(1922, 5);
    assert_eq!(institutional_breach(&w22), None);
    w22.person_mut(zinoviev).offices.insert(Office::CccChair);
    assert!(institutional_breach(&w22).unwrap().contains("with"));
    // Offices while out of the party.
    let mut w22 = support::world(1922, 5);
    let trotsky = id(&w22, "trotsky");
    w22.person_mut(trotsky).fate = Fate::Imprisoned;
    assert!(institutional_breach(&w22)
        .unwrap()
        .contains("holds offices"));
    // Two changes of standing in one month.
    w.person_mut(zinoviev)
        .offices
        .remove(Office::CominternChair);
    w.person_mut(zinoviev).offices.remove(Office::LeningradBoss);
    assert_eq!(institutional_breach(&w), None);
    w.set_fate(zinoviev, Fate::Expelled, razvilka_kernel::Origin::Mechanism);
    w.set_fate(
        zinoviev,
        Fate::Imprisoned,
        razvilka_kernel::Origin::Mechanism,
    );
    assert!(institutional_breach(&w).unwrap().contains("twice"));
    // An office given and taken in one month.
    let mut w = support::world(1925, 1);
    let frunze = id(&w, "frunze");
    assert_eq!(institutional_breach(&w), None);
    w.gain_office(
        frunze,
        Office::OgpuChair,
        razvilka_kernel::Origin::Mechanism,
    );
    assert_eq!(institutional_breach(&w), None);
    w.lose_office(
        frunze,
        Office::OgpuChair,
        razvilka_kernel::Origin::Mechanism,
    );
    assert!(institutional_breach(&w)
        .unwrap()
        .contains("both gains and loses"));
}

#[test]
fn an_abolished_office_leaves_its_holder_and_is_not_refilled() {
    let mut w = support::world(1926, 11);
    let zinoviev = id(&w, "zinoviev");
    step(&mut w, &params(), 1);
    assert!(!w.person(zinoviev).offices.has(Office::CominternChair));
    assert_eq!(w.holder(Office::CominternChair), None);
    assert!(!w.vacated.has(Office::CominternChair));
    // And no one can be given it afterwards.
    let stalin = id(&w, "stalin");
    w.gain_office(
        stalin,
        Office::CominternChair,
        razvilka_kernel::Origin::Intervention,
    );
    assert_eq!(w.holder(Office::CominternChair), None);
}

#[test]
fn taking_the_control_commission_gives_up_the_politburo_seat() {
    let mut w = support::world(1926, 11);
    let ordzhonikidze = id(&w, "ordzhonikidze");
    w.gain_office(
        ordzhonikidze,
        Office::PolitburoCandidate,
        razvilka_kernel::Origin::Recorded,
    );
    w.gain_office(
        ordzhonikidze,
        Office::CccChair,
        razvilka_kernel::Origin::Recorded,
    );
    let offices = w.person(ordzhonikidze).offices;
    assert!(offices.has(Office::CccChair));
    assert!(!offices.in_politburo());
    assert!(!offices.has(Office::CentralCommittee));
}

#[test]
fn the_state_s_collapse_ends_the_party_s_decisions() {
    use razvilka_model::WarOutcome;
    let mut w = congress(&[("stalin", 0.7), ("trotsky", 0.3)]);
    let mut standing = w.clone();
    let before = standing.log.len();
    step(&mut standing, &votes_only(), 1);
    assert!(
        standing.log.len() > before,
        "a congress of a standing state decides something"
    );
    w.war.outcome = Some((WarOutcome::SovietCollapse, w.month));
    let before = w.log.len();
    step(&mut w, &votes_only(), 1);
    assert_eq!(
        w.log.len(),
        before,
        "no meeting, vote or appointment after the collapse"
    );
}
