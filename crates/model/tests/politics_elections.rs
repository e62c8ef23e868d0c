//! The congress elects the Central Committee: the seats the tracked men held after each congress
//! (data/people.toml) are topped up, the holders of the great posts first, never a man in opposition,
//! and only at a congress.

mod support;

use razvilka_model::{politics, Office, Params, World};
use support::{id, params, streams, world};

/// The June 1925 world with everyone as in April 1922 (21 of the men in the Committee: one of the 22
/// seats of the 13th Congress open), a meeting this month, and the month's draws from `seed`.
fn after_a_meeting(congress: bool, p: &Params, prepare: impl Fn(&mut World), seed: u64) -> World {
    let mut w = world(1925, 6);
    // No faction moves against another this month: no seat is lost to a defeat.
    let mut p = p.clone();
    p.politics.initiative_congress = 0.0;
    p.politics.initiative_plenum = 0.0;
    w.politics.meeting = Some(("a meeting".to_string(), congress));
    w.politics.last_meeting = Some(w.month);
    prepare(&mut w);
    politics::step(&mut w, &p.politics, &streams(seed));
    w
}

/// The men elected to the Committee this month (not those seated in it with a Politburo seat).
fn elected(w: &World) -> Vec<String> {
    let gained = |office: Office| {
        w.log.iter().filter_map(move |e| match e.kind {
            razvilka_model::EventKind::OfficeGained { person, office: o } if o == office => {
                Some(person)
            }
            _ => None,
        })
    };
    let politburo: Vec<_> = gained(Office::Politburo).collect();
    let mut men: Vec<String> = gained(Office::CentralCommittee)
        .filter(|p| !politburo.contains(p))
        .map(|p| w.people.get(p).id.clone())
        .collect();
    men.sort();
    men
}

#[test]
fn the_open_seat_goes_to_the_man_with_a_great_post_whatever_the_noise() {
    let mut p = params();
    p.politics.appointment_noise = 5.0;
    for seed in 0..20 {
        let w = after_a_meeting(true, &p, |_| {}, seed);
        // Mikoyan heads the North Caucasus party: the one man outside the Committee with a post.
        assert_eq!(elected(&w), vec!["mikoyan".to_string()], "seed {seed}");
    }
}

#[test]
fn a_man_in_opposition_is_not_elected_and_another_takes_the_seat() {
    let p = params();
    let w = after_a_meeting(
        true,
        &p,
        |w| {
            let mikoyan = id(w, "mikoyan");
            w.person_mut(mikoyan).opposition = true;
        },
        1,
    );
    let men = elected(&w);
    assert_eq!(men.len(), 1, "{men:?}");
    assert_ne!(men[0], "mikoyan");
}

#[test]
fn a_plenum_elects_no_one_to_the_committee() {
    let p = params();
    let w = after_a_meeting(false, &p, |_| {}, 1);
    assert!(elected(&w).is_empty(), "{:?}", elected(&w));
}

#[test]
fn a_full_committee_elects_no_one() {
    let p = params();
    let w = after_a_meeting(
        true,
        &p,
        |w| {
            let kaganovich = id(w, "kaganovich");
            w.person_mut(kaganovich)
                .offices
                .insert(Office::CentralCommittee);
        },
        1,
    );
    assert!(elected(&w).is_empty(), "{:?}", elected(&w));
}

#[test]
fn a_man_without_a_great_post_needs_the_committees_standing() {
    let p = params();
    let bar = p.politics.committee_prestige;
    let run = |kosior: f64| {
        after_a_meeting(
            true,
            &p,
            |w| {
                let mikoyan = id(w, "mikoyan");
                w.person_mut(mikoyan).offices = Default::default();
                for man in w.ids().collect::<Vec<_>>() {
                    if !w.person(man).offices.has(Office::CentralCommittee) {
                        w.person_mut(man).prestige = bar / 2.0;
                    }
                }
                let kosior_id = id(w, "kosior");
                w.person_mut(kosior_id).prestige = kosior;
            },
            1,
        )
    };
    assert_eq!(elected(&run(bar)), vec!["kosior".to_string()]);
    assert!(elected(&run(bar / 2.0)).is_empty());
}
