//! Politics' own mechanisms on hand-built worlds: the apparatus, coalitions and the defeat ladder,
//! Lenin's restraint and his letter, the leader and the regime, and the choice of policy.

mod support;

use razvilka_model::{politics, Params, World};
use razvilka_model::{DeathCause, EventKind, Fate, GermanRegime, Office, PersonId, Regime};
use support::{id, margin, next_month, params, streams, world_of};

fn step(world: &mut World, params: &Params, seed: u64) {
    politics::step(world, &params.politics, &streams(seed));
}

/// Votes that are exactly the clienteles (no turnover, no shock) and a threat that is the votes
/// alone (no prestige, ambition, army, pursuit or ideology), with a coalition certain to act.
fn votes_only() -> Params {
    let mut p = params();
    let q = &mut p.politics;
    q.turnover = 0.0;
    q.vote_noise = 0.0;
    q.threat_power = 1.0;
    q.threat_prestige = 0.0;
    q.threat_ambition = 0.0;
    q.threat_army = 0.0;
    q.pursuit = 0.0;
    q.enmity_ideology = 0.0;
    q.initiative_congress = 1.0;
    q.initiative_plenum = 1.0;
    p
}

/// A congress in June 1925 where only the named men are alive, each with the given share of the
/// apparatus (the shares sum to one, so nothing is left uncommitted).
fn congress(cadres: &[(&str, f64)]) -> World {
    let names: Vec<&str> = cadres.iter().map(|(n, _)| *n).collect();
    let mut w = world_of(1925, 6, &names);
    for (name, cadre) in cadres {
        let man = id(&w, name);
        w.person_mut(man).cadre = *cadre;
    }
    w.politics.meeting = Some(("a congress".to_string(), true));
    w
}

/// The defeats this month: (target, coalition leader, rung).
fn defeats(w: &World) -> Vec<(PersonId, PersonId, u8)> {
    w.log
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::FactionDefeated {
                target,
                leader,
                step,
                ..
            } => Some((target, leader, step)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_coalition_forms_against_the_strongest_rival() {
    let p = votes_only();
    let names = ["stalin", "trotsky", "zinoviev"];
    for strongest in names {
        let cadres: Vec<(&str, f64)> = names
            .iter()
            .map(|&n| (n, if n == strongest { 0.4 } else { 0.3 }))
            .collect();
        let mut w = congress(&cadres);
        step(&mut w, &p, 1);
        let d = defeats(&w);
        assert_eq!(d.len(), 1, "{strongest}: {d:?}");
        let (target, leader, rung) = d[0];
        assert_eq!(target, id(&w, strongest));
        assert_ne!(leader, target);
        assert_eq!(rung, 1);
    }
}

#[test]
fn a_man_given_an_office_this_month_is_not_brought_down_in_it() {
    // The same congress as above, but the strongest was given a post earlier in the month: the
    // majority waits for its next meeting rather than undo the appointment the same day.
    let p = votes_only();
    let mut w = congress(&[("trotsky", 0.4), ("stalin", 0.3), ("zinoviev", 0.3)]);
    let trotsky = id(&w, "trotsky");
    w.person_mut(trotsky).changed = Some(w.month);
    step(&mut w, &p, 1);
    assert_eq!(defeats(&w), []);
    // A month later he is fair game again.
    next_month(&mut w);
    w.politics.meeting = Some(("a plenum".to_string(), false));
    step(&mut w, &p, 1);
    assert_eq!(defeats(&w).first().map(|d| d.0), Some(trotsky));
}

#[test]
fn half_the_votes_is_not_a_majority() {
    // Against a man with half the votes, the rest make only half: no defeat. A point more for the
    // rest, and he falls.
    let p = votes_only();
    let mut w = congress(&[("trotsky", 0.5), ("stalin", 0.25), ("zinoviev", 0.25)]);
    step(&mut w, &p, 2);
    assert_eq!(defeats(&w), []);
    let mut w = congress(&[("trotsky", 0.49), ("stalin", 0.25), ("zinoviev", 0.26)]);
    step(&mut w, &p, 2);
    assert_eq!(defeats(&w).len(), 1);
    assert_eq!(defeats(&w)[0].0, id(&w, "trotsky"));
}

#[test]
fn the_defeat_ladder_takes_posts_then_the_politburo_seat_then_the_party_card() {
    let p = votes_only();
    let cadres = [("trotsky", 0.4), ("stalin", 0.3), ("zinoviev", 0.3)];
    let beaten = |earlier: u8| {
        // At a plenum: a congress would also top up the Politburo.
        let mut w = congress(&cadres);
        w.politics.meeting = Some(("a plenum".to_string(), false));
        let trotsky = id(&w, "trotsky");
        w.person_mut(trotsky).defeats = earlier;
        w.person_mut(trotsky).last_defeat = (earlier > 0).then(|| w.month.offset(-12));
        step(&mut w, &p, 3);
        assert_eq!(defeats(&w).first().map(|d| d.2), Some(earlier + 1));
        let t = w.person(trotsky);
        (
            t.fate,
            t.offices.has(Office::WarCommissar),
            t.offices.has(Office::Politburo),
            t.offices.has(Office::CentralCommittee),
        )
    };
    assert_eq!(
        beaten(0),
        (Fate::InLeadership, false, true, true),
        "rung 1: his posts"
    );
    assert_eq!(
        beaten(1),
        (Fate::InParty, false, false, true),
        "rung 2: the Politburo"
    );
    assert_eq!(
        beaten(2),
        (Fate::InParty, false, false, false),
        "rung 3: the CC"
    );
    assert_eq!(beaten(3).0, Fate::Expelled, "rung 4: expulsion");
}

#[test]
fn a_beaten_man_is_not_beaten_again_before_the_ladder_gap() {
    let p = votes_only();
    let gap = p.politics.ladder_gap.round() as i32;
    for (since, again) in [(gap - 1, false), (gap, true)] {
        let mut w = congress(&[("trotsky", 0.4), ("stalin", 0.3), ("zinoviev", 0.3)]);
        let trotsky = id(&w, "trotsky");
        w.person_mut(trotsky).defeats = 1;
        w.person_mut(trotsky).last_defeat = Some(w.month.offset(-since));
        step(&mut w, &p, 4);
        assert_eq!(
            !defeats(&w).is_empty(),
            again,
            "{since} months after his last defeat"
        );
    }
}

#[test]
fn lenin_at_work_restrains_the_struggle() {
    let mut p = votes_only();
    p.politics.lenin_restraint = 1.0;
    for (lenin_works, defeat) in [(true, false), (false, true)] {
        let mut w = congress(&[
            ("lenin", 0.0),
            ("trotsky", 0.4),
            ("stalin", 0.3),
            ("zinoviev", 0.3),
        ]);
        let lenin = id(&w, "lenin");
        w.person_mut(lenin).incapacitated = !lenin_works;
        step(&mut w, &p, 5);
        assert_eq!(
            !defeats(&w).is_empty(),
            defeat,
            "Lenin at work: {lenin_works}"
        );
    }
}

/// A congress with a clear majority against Trotsky, held after Lenin has died of his strokes, so that
/// his letter is read at it (a letter whose pull moves no vote, so the General Secretary stays).
fn congress_reading_the_letter(lenin_ill: bool) -> World {
    let mut w = congress(&[
        ("lenin", 0.0),
        ("trotsky", 0.4),
        ("stalin", 0.3),
        ("zinoviev", 0.3),
    ]);
    let lenin = id(&w, "lenin");
    w.person_mut(lenin).fate = Fate::DeadNatural;
    w.person_mut(lenin).strokes = if lenin_ill { 3 } else { 0 };
    w
}

#[test]
fn the_congress_that_hears_lenins_letter_leaves_the_majoritys_target_his_posts() {
    let mut p = votes_only();
    p.politics.testament_pull = 0.0;
    p.politics.letter_truce = 1.0;
    // The same majority, certain to act: with the letter read it holds back; without a letter, or
    // without the truce, it strips Trotsky of his posts.
    for (lenin_ill, truce, beaten) in [(true, 1.0, false), (false, 1.0, true), (true, 0.0, true)] {
        p.politics.letter_truce = truce;
        let mut w = congress_reading_the_letter(lenin_ill);
        step(&mut w, &p, 6);
        assert_eq!(
            w.log.iter().any(|e| e.kind == EventKind::TestamentRead),
            lenin_ill
        );
        let trotsky = id(&w, "trotsky");
        let d: Vec<_> = defeats(&w).iter().map(|d| (d.0, d.2)).collect();
        let expected = if beaten { vec![(trotsky, 1)] } else { vec![] };
        assert_eq!(d, expected, "letter read: {lenin_ill}, truce {truce}");
        assert_eq!(w.person(trotsky).offices.has(Office::WarCommissar), !beaten);
    }
}

#[test]
fn the_truce_after_the_letter_fades_with_its_time_constant() {
    // A plenum certain to act, `months` after the letter was read, with a full truce: the majority
    // moves with probability 1 − exp(−months / letter_truce_months). Over 600 worlds (seeds), the
    // share that moves is within about three standard errors (0.06) of it.
    let mut p = votes_only();
    p.politics.letter_truce = 1.0;
    let tau = p.politics.letter_truce_months;
    for months in [0, tau.round() as i32, (3.0 * tau).round() as i32] {
        let expected = 1.0 - (-(months as f64) / tau).exp();
        let moved = (0..600)
            .filter(|&seed| {
                let mut w = congress(&[("trotsky", 0.4), ("stalin", 0.3), ("zinoviev", 0.3)]);
                w.politics.meeting = Some(("a plenum".to_string(), false));
                w.politics.testament_read = Some(w.month.offset(-months));
                step(&mut w, &p, 1000 + seed);
                !defeats(&w).is_empty()
            })
            .count() as f64
            / 600.0;
        assert!(
            (moved - expected).abs() < 0.06,
            "{months} months after the letter: moved in {moved}, expected {expected}"
        );
    }
}

#[test]
fn the_general_secretary_builds_a_clientele() {
    // Each month the GS fills `appointment_bias · organisation` of the posts that turn over, so from
    // nothing his clientele after n months is `bias · org · (1 − (1 − τ)^n)`; a man without an
    // appointing post builds none.
    let p = params();
    let q = &p.politics;
    let mut w = world_of(1923, 1, &["stalin", "trotsky"]);
    w.free = false;
    let (stalin, trotsky) = (id(&w, "stalin"), id(&w, "trotsky"));
    for _ in 0..24 {
        step(&mut w, &p, 6);
        next_month(&mut w);
    }
    let org = w.people.get(stalin).organization;
    let expected = q.appointment_bias * org * (1.0 - (1.0 - q.turnover).powi(24));
    assert!(
        (w.person(stalin).cadre - expected).abs() < 1e-12,
        "{}",
        w.person(stalin).cadre
    );
    assert_eq!(w.person(trotsky).cadre, 0.0);
    // The same man without the Secretariat builds nothing.
    let mut w = world_of(1923, 1, &["stalin", "trotsky"]);
    w.free = false;
    w.person_mut(stalin)
        .offices
        .remove(Office::GeneralSecretary);
    for _ in 0..24 {
        step(&mut w, &p, 6);
        next_month(&mut w);
    }
    assert_eq!(w.person(stalin).cadre, 0.0);
}

#[test]
fn the_leader_needs_his_threshold_and_a_dictator_needs_no_rival_in_the_politburo() {
    let p = votes_only();
    let regime = |cadres: &[(&str, f64)], trotsky_seated: bool| {
        let mut w = congress(cadres);
        w.free = false;
        w.politics.meeting = None;
        if !trotsky_seated {
            let trotsky = id(&w, "trotsky");
            w.person_mut(trotsky).offices.remove(Office::Politburo);
        }
        step(&mut w, &p, 7);
        (
            w.politics.leader.map(|l| w.people.get(l).id.clone()),
            w.politics.regime,
        )
    };
    let stalin = Some("stalin".to_string());
    let (shared, grip) = (
        p.politics.leader_threshold,
        p.politics.dictatorship_threshold,
    );
    assert!(shared < 0.6 && grip < 0.8 && grip > 0.6);
    assert_eq!(
        regime(
            &[("stalin", 0.4), ("trotsky", 0.3), ("zinoviev", 0.3)],
            true
        ),
        (None, Regime::Collective)
    );
    assert_eq!(
        regime(&[("stalin", 0.6), ("trotsky", 0.4)], true),
        (stalin.clone(), Regime::Oligarchy)
    );
    assert_eq!(
        regime(&[("stalin", 0.8), ("trotsky", 0.2)], true),
        (stalin.clone(), Regime::Oligarchy),
        "a rival still sits in the Politburo"
    );
    assert_eq!(
        regime(&[("stalin", 0.8), ("trotsky", 0.2)], false),
        (stalin, Regime::PersonalDictatorship)
    );
}

#[test]
fn lenins_letter_removes_the_general_secretary_when_its_pull_carries_half_the_votes() {
    // No faction is against him (his is the only one), so the share for removal is the letter's pull.
    let mut p = votes_only();
    p.politics.initiative_congress = 0.0;
    // No cult this month, so his prestige shows the letter's hit alone.
    p.politics.cult_rate = 0.0;
    for (pull, removed) in [(0.6, true), (0.4, false)] {
        p.politics.testament_pull = pull;
        let mut w = congress(&[("lenin", 0.0), ("stalin", 0.7), ("molotov", 0.3)]);
        let (lenin, stalin) = (id(&w, "lenin"), id(&w, "stalin"));
        // Dead after his strokes: his letter waits for this congress.
        w.person_mut(lenin).strokes = 3;
        w.person_mut(lenin).fate = Fate::DeadNatural;
        let prestige = w.person(stalin).prestige;
        step(&mut w, &p, 8);
        let vote = w.log.iter().find_map(|e| match e.kind {
            EventKind::RemovalVote {
                target,
                share_for,
                passed,
                ..
            } => Some((target, share_for, passed)),
            _ => None,
        });
        let (target, share_for, passed) = vote.expect("the letter is read and voted on");
        assert!(w.log.iter().any(|e| e.kind == EventKind::TestamentRead));
        assert_eq!(target, stalin);
        assert!((share_for - pull).abs() < 1e-12, "{share_for}");
        assert_eq!(passed, removed);
        assert_eq!(
            w.person(stalin).offices.has(Office::GeneralSecretary),
            !removed
        );
        let hit = prestige * (1.0 - p.politics.testament_gs_hit);
        assert!((w.person(stalin).prestige - hit).abs() < 1e-12);
    }
}

#[test]
fn a_congress_does_not_reseat_the_man_it_has_just_voted_off_the_politburo() {
    let p = votes_only();
    let mut w = congress(&[("trotsky", 0.4), ("stalin", 0.3), ("zinoviev", 0.3)]);
    let trotsky = id(&w, "trotsky");
    w.person_mut(trotsky).defeats = 1;
    w.person_mut(trotsky).last_defeat = Some(w.month.offset(-12));
    step(&mut w, &p, 10);
    assert_eq!(defeats(&w).first().map(|d| (d.0, d.2)), Some((trotsky, 2)));
    assert!(!w.person(trotsky).offices.has(Office::Politburo));
}

#[test]
fn a_vacant_key_post_goes_to_the_strongest_factions_fittest_man() {
    // No noise: the score is fitness, plus the bonus for the strongest faction's men, less the
    // penalty per key post already held. The chair of Sovnarkom falls vacant.
    let mut p = votes_only();
    p.politics.appointment_noise = 0.0;
    let appointee = |strongest: &str, free: bool| {
        let others = if strongest == "stalin" {
            ("trotsky", "zinoviev")
        } else {
            ("stalin", "zinoviev")
        };
        let mut w = congress(&[
            (strongest, 0.5),
            ("molotov", 0.1),
            (others.0, 0.2),
            (others.1, 0.2),
        ]);
        w.politics.meeting = None;
        w.politics.last_meeting = Some(w.month);
        w.free = free;
        w.vacated.insert(Office::SovnarkomChair);
        step(&mut w, &p, 11);
        w.holder(Office::SovnarkomChair)
            .map(|h| w.people.get(h).id.clone())
    };
    // Stalin's man Molotov (no key post) beats Stalin (already General Secretary).
    assert_eq!(appointee("stalin", true).as_deref(), Some("molotov"));
    assert_eq!(appointee("trotsky", true).as_deref(), Some("trotsky"));
    assert_eq!(
        appointee("stalin", false),
        None,
        "no appointment while history is replayed"
    );
}

/// June 1925: Zinoviev's faction is the strongest, and neither he (the Comintern and Leningrad) nor
/// his man Kamenev (Moscow) may hold the vacant General Secretaryship; Molotov, a sitting Secretary of
/// the Central Committee who follows no one, and Trotsky's man Radek are the only others in the
/// Central Committee. `secretaries` sit in the Secretariat; with `stalin_expelled` Molotov is still
/// the follower of an expelled Stalin. Returns who is General Secretary after the month.
fn general_secretary_after_a_vacancy(
    secretaries: &[&str],
    stalin_expelled: bool,
) -> Option<String> {
    let mut p = votes_only();
    p.politics.appointment_noise = 0.0;
    let mut w = congress(&[
        ("zinoviev", 0.45),
        ("kamenev", 0.1),
        ("trotsky", 0.3),
        ("radek", 0.05),
        ("molotov", 0.1),
    ]);
    w.politics.meeting = None;
    w.politics.last_meeting = Some(w.month);
    let molotov = id(&w, "molotov");
    let radek = id(&w, "radek");
    w.person_mut(molotov).patron = None;
    if stalin_expelled {
        let stalin = id(&w, "stalin");
        w.person_mut(stalin).fate = Fate::Expelled;
        w.person_mut(molotov).patron = Some(stalin);
    }
    w.person_mut(molotov).offices.remove(Office::Secretariat);
    w.person_mut(radek).patron = Some(id(&w, "trotsky"));
    for name in secretaries {
        let man = id(&w, name);
        w.person_mut(man).offices.insert(Office::Secretariat);
        w.person_mut(man).offices.insert(Office::CentralCommittee);
    }
    w.vacated.insert(Office::GeneralSecretary);
    step(&mut w, &p, 12);
    w.general_secretary().map(|h| w.people.get(h).id.clone())
}

#[test]
fn a_headless_secretariat_passes_to_a_sitting_secretary_outside_the_fought_faction() {
    // The majority has no man who may hold the post: a sitting secretary takes it.
    assert_eq!(
        general_secretary_after_a_vacancy(&["molotov"], false).as_deref(),
        Some("molotov")
    );
    // Without a seat in the Secretariat he has no claim, and the post stays vacant.
    assert_eq!(general_secretary_after_a_vacancy(&[], false), None);
    // Trotsky's man, though a secretary, is of the faction the majority is fighting.
    assert_eq!(general_secretary_after_a_vacancy(&["radek"], false), None);
    assert_eq!(
        general_secretary_after_a_vacancy(&["radek", "molotov"], false).as_deref(),
        Some("molotov")
    );
    // A follower of a leader just expelled, who has not yet broken with him, is passed over.
    let expelled = general_secretary_after_a_vacancy(&["molotov"], true);
    assert_eq!(expelled, None);
}

#[test]
fn a_beaten_man_out_of_the_politburo_recants_by_his_want_of_ambition() {
    // At a meeting, a head beaten twice recants with probability `recant_rate · (1 − ambition)`; a
    // head beaten once does not.
    let mut p = votes_only();
    p.politics.initiative_plenum = 0.0;
    p.politics.recant_rate = 1.0;
    let n = 1000;
    let share = |defeats: u8| {
        (0..n)
            .filter(|&seed| {
                let mut w = congress(&[("zinoviev", 0.3), ("stalin", 0.7)]);
                w.politics.meeting = Some(("a plenum".to_string(), false));
                let zinoviev = id(&w, "zinoviev");
                w.person_mut(zinoviev).defeats = defeats;
                step(&mut w, &p, seed);
                w.person(zinoviev).submitted
            })
            .count() as f64
            / n as f64
    };
    let w = world_of(1925, 6, &[]);
    let expected = 1.0 - w.people.get(id(&w, "zinoviev")).ambition;
    let twice = share(2);
    assert!(
        (twice - expected).abs() < margin(expected, n as usize),
        "{twice} against {expected}"
    );
    assert_eq!(share(1), 0.0);
}

#[test]
fn at_an_expulsion_followers_are_expelled_by_their_loyalty_or_recant() {
    let p = votes_only();
    for (loyalty, expelled) in [(1.0, true), (0.0, false)] {
        let mut w = congress(&[
            ("trotsky", 0.4),
            ("smirnov", 0.0),
            ("stalin", 0.3),
            ("zinoviev", 0.3),
        ]);
        w.politics.meeting = Some(("a plenum".to_string(), false));
        let (trotsky, smirnov) = (id(&w, "trotsky"), id(&w, "smirnov"));
        w.person_mut(trotsky).defeats = 3;
        w.person_mut(smirnov).loyalty = loyalty;
        step(&mut w, &p, 12);
        assert_eq!(w.person(trotsky).fate, Fate::Expelled);
        let s = w.person(smirnov);
        assert_eq!(s.fate == Fate::Expelled, expelled, "loyalty {loyalty}");
        assert_eq!(s.submitted, !expelled, "the rest recant");
    }
}

#[test]
fn repression_drifts_toward_what_a_dictators_temper_and_surviving_enemies_call_for() {
    // A personal dictator with all the votes and one surviving enemy (an expelled Trotsky): the
    // target is `base + ruthlessness · share² · min(1, w · his prestige)`, approached at
    // `repression_speed` a month. With the enemy dead, the target is the base.
    let p = params();
    let q = &p.politics;
    for trotsky_alive in [true, false] {
        let mut w = world_of(1930, 1, &["stalin", "trotsky"]);
        w.free = false;
        let (stalin, trotsky) = (id(&w, "stalin"), id(&w, "trotsky"));
        w.person_mut(stalin).cadre = 1.0;
        w.person_mut(trotsky).fate = if trotsky_alive {
            Fate::Expelled
        } else {
            Fate::DeadNatural
        };
        w.person_mut(trotsky).offices = Default::default();
        step(&mut w, &p, 13);
        assert_eq!(w.politics.regime, Regime::PersonalDictatorship);
        let enemies = if trotsky_alive {
            w.person(trotsky).prestige
        } else {
            0.0
        };
        let ruthless = w.people.get(stalin).ruthlessness;
        let target = q.repression_base + ruthless * (q.repression_threat * enemies).min(1.0);
        let expected = q.repression_speed * target;
        assert!(
            (w.politics.repression - expected).abs() < 1e-12,
            "{}",
            w.politics.repression
        );
    }
}

#[test]
fn the_letter_read_costs_the_others_it_criticises_their_prestige() {
    let mut p = votes_only();
    p.politics.initiative_congress = 0.0;
    p.politics.cult_rate = 0.0;
    let mut w = congress(&[("lenin", 0.0), ("stalin", 0.5), ("trotsky", 0.5)]);
    let (lenin, trotsky) = (id(&w, "lenin"), id(&w, "trotsky"));
    let before = w.person(trotsky).prestige;
    w.person_mut(lenin).strokes = 3;
    w.person_mut(lenin).fate = Fate::DeadNatural;
    step(&mut w, &p, 14);
    let after = w.person(trotsky).prestige;
    assert!((after - before * (1.0 - p.politics.testament_others_hit)).abs() < 1e-12);
    // No letter read (Lenin never ill), no hit.
    let mut w = congress(&[("lenin", 0.0), ("stalin", 0.5), ("trotsky", 0.5)]);
    w.person_mut(lenin).fate = Fate::DeadNatural;
    step(&mut w, &p, 14);
    assert_eq!(w.person(trotsky).prestige, before);
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

/// A world in January 1934 where Stalin holds every vote (a personal dictatorship once politics
/// has tallied them) and Kirov, his loyal client, sits in the Politburo; no meeting is due. The
/// Nazis rule Germany, as they did then.
fn dictatorship_with_kirov() -> World {
    let mut w = world_of(1934, 1, &["stalin", "kirov"]);
    w.germany.regime = GermanRegime::Nazi;
    let (stalin, kirov) = (id(&w, "stalin"), id(&w, "kirov"));
    w.person_mut(stalin).cadre = 1.0;
    w.person_mut(kirov).cadre = 0.0;
    w.person_mut(kirov).patron = Some(stalin);
    w.person_mut(kirov).offices.insert(Office::Politburo);
    w.person_mut(kirov).offices.insert(Office::CentralCommittee);
    w.politics.last_meeting = Some(w.month);
    w
}

fn deaths(w: &World, cause: DeathCause) -> Vec<PersonId> {
    w.log
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Died { person, cause: c } if c == cause => Some(person),
            _ => None,
        })
        .collect()
}

#[test]
fn a_terror_needs_a_trigger_and_a_leader_to_trigger_it() {
    // A certain trigger under a dictatorship starts the terror (and, with a certain assassination,
    // kills the Politburo's other member); under collective leadership nothing starts, however
    // certain the trigger.
    let mut p = params();
    p.politics.terror_trigger = 1.0;
    p.politics.terror_assassination = 1.0;
    let mut w = dictatorship_with_kirov();
    step(&mut w, &p, 3);
    assert_eq!(w.politics.regime, Regime::PersonalDictatorship);
    let stalin = id(&w, "stalin");
    assert_eq!(w.politics.terror.began, Some((stalin, w.month)));
    assert_eq!(deaths(&w, DeathCause::Killed), vec![id(&w, "kirov")]);

    // (No one's share can pass a leader's threshold above one: collective leadership.)
    let mut collective = p.clone();
    collective.politics.leader_threshold = 1.1;
    let mut w = dictatorship_with_kirov();
    step(&mut w, &collective, 3);
    assert_eq!(w.politics.leader, None);
    assert_eq!(w.politics.terror.began, None);
    assert!(deaths(&w, DeathCause::Killed).is_empty());
    // With no trigger at all a dictator starts no terror either.
    p.politics.terror_trigger = 0.0;
    let mut w = dictatorship_with_kirov();
    for _ in 0..24 {
        step(&mut w, &p, 3);
        next_month(&mut w);
    }
    assert_eq!(w.politics.terror.began, None);
    assert_eq!(w.politics.terror.escalation, 0.0);
}

#[test]
fn an_oligarch_meets_the_scare_as_a_dictator_does() {
    // Stalin leads, but Bukharin still heads his own faction from the Politburo: an oligarchy, not
    // a dictatorship. A certain trigger starts the terror all the same (Kirov was killed under the
    // oligarchy of 1934; the terror made the dictatorship).
    let mut p = params();
    p.politics.terror_trigger = 1.0;
    p.politics.terror_assassination = 0.0;
    let mut w = world_of(1934, 1, &["stalin", "bukharin"]);
    w.germany.regime = GermanRegime::Nazi;
    w.politics.last_meeting = Some(w.month);
    let (stalin, bukharin) = (id(&w, "stalin"), id(&w, "bukharin"));
    w.person_mut(stalin).cadre = 0.8;
    w.person_mut(bukharin).cadre = 0.2;
    w.person_mut(bukharin).patron = None;
    w.person_mut(bukharin).offices.insert(Office::Politburo);
    w.person_mut(bukharin)
        .offices
        .insert(Office::CentralCommittee);
    step(&mut w, &p, 3);
    assert_eq!(w.politics.leader, Some(stalin));
    assert_eq!(w.politics.regime, Regime::Oligarchy);
    assert_eq!(w.politics.terror.began, Some((stalin, w.month)));
}

#[test]
fn the_trigger_waits_on_the_war_danger() {
    // Its hazard is `terror_trigger · ruthlessness · share² · danger`, the danger being
    // `terror_republic_danger` while Germany is a republic and 1 once it is not. At a certain trigger
    // and no danger from a republic, a dictator starts nothing in two years of Weimar, and starts
    // his terror in the month the Nazis (or the generals) take power.
    let mut p = params();
    p.politics.terror_trigger = 1.0;
    p.politics.terror_republic_danger = 0.0;
    for regime in [GermanRegime::Nazi, GermanRegime::Authoritarian] {
        let mut w = dictatorship_with_kirov();
        w.germany.regime = GermanRegime::Weimar;
        for _ in 0..24 {
            step(&mut w, &p, 3);
            next_month(&mut w);
        }
        assert_eq!(w.politics.terror.began, None, "{regime:?}");
        w.germany.regime = regime;
        step(&mut w, &p, 3);
        assert_eq!(
            w.politics.terror.began.map(|(_, m)| m),
            Some(w.month),
            "{regime:?}"
        );
    }
    // Under the republic the hazard is the danger's share of the full one: over many worlds, a
    // dictator with every vote (share 1) starts his terror in a first month with probability
    // `terror_trigger · ruthlessness · danger`.
    p.politics.terror_trigger = 0.5;
    p.politics.terror_republic_danger = 0.4;
    let n = 2000;
    let mut begun = 0;
    let mut ruthless = 0.0;
    for seed in 0..n {
        let mut w = dictatorship_with_kirov();
        w.germany.regime = GermanRegime::Weimar;
        ruthless = w.people.get(id(&w, "stalin")).ruthlessness;
        step(&mut w, &p, seed as u64);
        begun += usize::from(w.politics.terror.began.is_some());
    }
    let expected = 0.5 * ruthless * 0.4;
    let share = begun as f64 / n as f64;
    assert!(
        (share - expected).abs() < margin(expected, n),
        "{share} against {expected}"
    );
}

#[test]
fn the_halt_s_hazard_grows_with_the_square_of_the_intensity() {
    // At intensity E the leader halts with probability `terror_halt · E²` a month (after this
    // month's escalation): at a halt rate of one and E just under one half, about a quarter of
    // worlds halt, not the half a hazard linear in E would give.
    let mut p = params();
    p.politics.terror_halt = 1.0;
    p.politics.terror_escalation = 0.0;
    let n = 2000;
    let mut halted = 0;
    for seed in 0..n {
        let mut w = dictatorship_with_kirov();
        let stalin = id(&w, "stalin");
        w.politics.terror.began = Some((stalin, w.month));
        w.politics.terror.escalation = 0.5;
        step(&mut w, &p, seed as u64);
        halted += usize::from(w.politics.terror.halted.is_some());
    }
    let share = halted as f64 / n as f64;
    assert!((share - 0.25).abs() < margin(0.25, n), "{share}");
}

#[test]
fn a_scare_without_an_assassination_kills_no_one() {
    let mut p = params();
    p.politics.terror_trigger = 1.0;
    p.politics.terror_assassination = 0.0;
    let mut w = dictatorship_with_kirov();
    step(&mut w, &p, 3);
    assert!(w.politics.terror.began.is_some());
    assert!(deaths(&w, DeathCause::Killed).is_empty());
    assert!(w.is_alive(id(&w, "kirov")));
}

#[test]
fn the_terror_escalates_with_the_leader_s_ruthlessness_and_adds_to_the_drift() {
    // Once begun and not halted, the intensity grows by `terror_escalation · ruthlessness` a month,
    // and repression is the drift plus the intensity.
    let mut p = params();
    p.politics.terror_halt = 0.0;
    p.politics.terror_escalation = 0.05;
    let mut w = dictatorship_with_kirov();
    let stalin = id(&w, "stalin");
    w.politics.terror.began = Some((stalin, w.month));
    for months in 1..=3 {
        step(&mut w, &p, 5);
        let ruthless = w.people.get(stalin).ruthlessness;
        let e = w.politics.terror.escalation;
        assert!((e - 0.05 * ruthless * months as f64).abs() < 1e-12, "{e}");
        let r = w.politics.repression;
        assert!((r - (w.politics.terror.drift + e).min(1.0)).abs() < 1e-12);
        next_month(&mut w);
    }
    // A gentler leader escalates more slowly.
    let mut v = world_of(1934, 1, &["bukharin"]);
    let bukharin = id(&v, "bukharin");
    v.person_mut(bukharin).cadre = 1.0;
    v.politics.last_meeting = Some(v.month);
    v.politics.terror.began = Some((bukharin, v.month));
    step(&mut v, &p, 5);
    assert_eq!(v.politics.leader, Some(bukharin));
    let gentle = v.politics.terror.escalation;
    assert!(gentle > 0.0 && gentle < 0.05 * w.people.get(stalin).ruthlessness);
}

#[test]
fn a_halted_terror_decays_and_a_leader_has_one_terror() {
    // A halt certain at full intensity: the terror stops, then falls by `terror_decay` a month, and
    // the same leader, though the trigger is certain, starts no second one.
    let mut p = params();
    p.politics.terror_halt = 1.0;
    p.politics.terror_trigger = 1.0;
    p.politics.terror_decay = 0.25;
    let mut w = dictatorship_with_kirov();
    let stalin = id(&w, "stalin");
    w.politics.terror.began = Some((stalin, w.month));
    w.politics.terror.escalation = 1.0;
    step(&mut w, &p, 7);
    assert_eq!(w.politics.terror.halted, Some(w.month));
    let e0 = w.politics.terror.escalation;
    next_month(&mut w);
    step(&mut w, &p, 7);
    let e1 = w.politics.terror.escalation;
    assert!((e1 - 0.75 * e0).abs() < 1e-12, "{e0} -> {e1}");
    assert_eq!(w.politics.terror.began.map(|(l, _)| l), Some(stalin));
    assert_eq!(w.politics.terror.halted.map(|m| m.year()), Some(1934));
}

#[test]
fn a_new_leader_halts_his_predecessor_s_terror() {
    let mut p = params();
    p.politics.terror_halt = 0.0;
    p.politics.terror_trigger = 0.0;
    let mut w = dictatorship_with_kirov();
    let (stalin, kirov) = (id(&w, "stalin"), id(&w, "kirov"));
    w.politics.terror.began = Some((stalin, w.month));
    w.politics.terror.escalation = 0.5;
    // Stalin is gone; Kirov inherits his votes.
    w.person_mut(stalin).fate = Fate::DeadNatural;
    w.person_mut(stalin).cadre = 0.0;
    w.person_mut(kirov).patron = None;
    w.person_mut(kirov).cadre = 1.0;
    step(&mut w, &p, 9);
    assert_eq!(w.politics.leader, Some(kirov));
    assert_eq!(w.politics.terror.halted, Some(w.month));
    assert!(w.politics.terror.escalation < 0.5);
}

#[test]
fn the_office_sets_iterate_in_office_order_and_the_masks_agree_with_the_rules() {
    // The set's bit i is Office::ALL[i], so iterating it is iterating Office::ALL filtered.
    use razvilka_model::OfficeSet;
    for (i, o) in Office::ALL.iter().enumerate() {
        assert_eq!(*o as usize, i, "{o:?}");
    }
    let all = OfficeSet::of(Office::ALL);
    assert_eq!(all.iter().collect::<Vec<_>>(), Office::ALL.to_vec());
    assert_eq!(all.len(), Office::ALL.len());
    // The incompatibility masks say what the rules say, pair by pair, both ways.
    let w = support::world(1930, 1);
    let inst = &w.people.institutions;
    let mut found = 0;
    for &a in Office::ALL {
        for &b in Office::ALL {
            let by_rule = a == b
                || !(inst.rule(a).incompatible.contains(&b)
                    || inst.rule(b).incompatible.contains(&a));
            assert_eq!(inst.compatible(a, b), by_rule, "{a:?} {b:?}");
            let held = OfficeSet::of(&[a]);
            assert_eq!(!inst.excluded_by(held).has(b), by_rule, "{a:?} {b:?}");
            found += usize::from(!by_rule);
        }
    }
    assert!(found > 0, "the shipped rules have some incompatible pair");
}

#[test]
fn the_army_purge_follows_the_terror_and_the_leader_s_suspicion_of_the_army() {
    // Stalin rules with his terror at 0.4; Voroshilov, a soldier, is his client; Tukhachevsky, a
    // soldier of standing, is no one's. The army purge runs at `E · (σ₀ + (1 − σ₀) · outside share)`
    // of the soldiers' prestige; at the floor alone once Tukhachevsky is Stalin's man too; and not
    // at all without a terror.
    let mut p = params();
    p.politics.terror_halt = 0.0;
    p.politics.terror_escalation = 0.0;
    p.politics.terror_trigger = 0.0;
    p.politics.army_suspicion_floor = 0.4;
    let setup = |tukhachevsky_is_client: bool, terror: bool| {
        let mut w = world_of(1937, 1, &["stalin", "voroshilov", "tukhachevsky"]);
        w.germany.regime = GermanRegime::Nazi;
        w.politics.last_meeting = Some(w.month);
        let (stalin, voroshilov, tukhachevsky) = (
            id(&w, "stalin"),
            id(&w, "voroshilov"),
            id(&w, "tukhachevsky"),
        );
        w.person_mut(stalin).cadre = 1.0;
        for soldier in [voroshilov, tukhachevsky] {
            w.person_mut(soldier).cadre = 0.0;
        }
        w.person_mut(voroshilov).patron = Some(stalin);
        w.person_mut(tukhachevsky).patron = tukhachevsky_is_client.then_some(stalin);
        if terror {
            w.politics.terror.began = Some((stalin, w.month));
            w.politics.terror.escalation = 0.4;
        }
        w
    };
    let mut w = setup(false, true);
    step(&mut w, &p, 11);
    let prestige = |w: &World, name: &str| w.person(id(w, name)).prestige;
    let (pt, pv) = (prestige(&w, "tukhachevsky"), prestige(&w, "voroshilov"));
    assert!(pt > 0.0 && pv > 0.0);
    let expected = 0.4 * (0.4 + 0.6 * pt / (pt + pv));
    assert!(
        (w.politics.terror.army - expected).abs() < 1e-12,
        "{} against {expected}",
        w.politics.terror.army
    );
    let mut loyal = setup(true, true);
    step(&mut loyal, &p, 11);
    assert!((loyal.politics.terror.army - 0.4 * 0.4).abs() < 1e-12);
    assert!(loyal.politics.terror.army < w.politics.terror.army);
    let mut calm = setup(false, false);
    step(&mut calm, &p, 11);
    assert_eq!(calm.politics.terror.army, 0.0);
}
