//! The terror on hand-built worlds: its trigger, escalation, halt and decay, the show trials' victims,
//! and the army purge's intensity that politics publishes.

mod support;

use razvilka_model::{politics, Params, World};
use razvilka_model::{DeathCause, EventKind, Fate, GermanRegime, Office, PersonId, Regime};
use support::{id, margin, next_month, params, streams, world_of};

fn step(world: &mut World, params: &Params, seed: u64) {
    politics::step(world, &params.politics, &streams(seed));
}

/// A world in January 1934 where Stalin holds every vote (a personal dictatorship once politics
/// has tallied them, ruling alone since January 1929, so that his grip is full) and Kirov, his loyal
/// client, sits in the Politburo; no meeting is due. The Nazis rule Germany, as they did then.
fn dictatorship_with_kirov() -> World {
    let mut w = world_of(1934, 1, &["stalin", "kirov"]);
    w.germany.regime = GermanRegime::Nazi;
    let (stalin, kirov) = (id(&w, "stalin"), id(&w, "kirov"));
    w.politics.terror.dictator_since = Some((stalin, w.month.offset(-60)));
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
fn an_oligarch_meets_no_scare_and_a_dictator_s_grip_builds() {
    // Stalin leads, but Bukharin still heads his own faction from the Politburo: an oligarchy, not
    // a dictatorship. However certain the trigger, a leader who shares the Politburo with an
    // unbroken rival does not turn a scare into a terror (grip 0). Bukharin's faction gone, Stalin
    // rules alone, and his grip builds over `terror_grip_months` from his first month as
    // dictator (nothing in that month, so no terror starts in it).
    let mut p = params();
    p.politics.terror_trigger = 1.0;
    p.politics.terror_assassination = 0.0;
    p.politics.terror_grip_months = 12.0;
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
    for k in 0..6 {
        step(&mut w, &p, 3);
        assert_eq!(w.politics.leader, Some(stalin));
        assert_eq!(w.politics.regime, Regime::Oligarchy, "month {k}");
        assert_eq!(politics::grip(&w, &p.politics), 0.0);
        next_month(&mut w);
    }
    assert_eq!(w.politics.terror.began, None);
    // Bukharin's seat and following lost, and he Stalin's man: Stalin rules alone from this month.
    w.person_mut(bukharin).offices.remove(Office::Politburo);
    w.person_mut(stalin).cadre = 1.0;
    w.person_mut(bukharin).cadre = 0.0;
    w.person_mut(bukharin).patron = Some(stalin);
    let alone = w.month;
    step(&mut w, &p, 3);
    assert_eq!(w.politics.regime, Regime::PersonalDictatorship);
    assert_eq!(w.politics.terror.dictator_since, Some((stalin, alone)));
    assert_eq!(politics::grip(&w, &p.politics), 0.0);
    assert_eq!(w.politics.terror.began, None);
    next_month(&mut w);
    step(&mut w, &p, 3);
    assert!((politics::grip(&w, &p.politics) - 1.0 / 12.0).abs() < 1e-12);
    // Half a year in, half the grip; a year in, all of it.
    let mut v = w.clone();
    v.month = alone.offset(6);
    assert!((politics::grip(&v, &p.politics) - 0.5).abs() < 1e-12);
    v.month = alone.offset(30);
    assert_eq!(politics::grip(&v, &p.politics), 1.0);
}

#[test]
fn the_trigger_reads_the_grip() {
    // Over many worlds a dictator with every vote, a quarter of the way into his grip's building,
    // under a long-established Nazi regime, starts his terror in a month with probability
    // `terror_trigger · ruthlessness · ¼`.
    let mut p = params();
    p.politics.terror_trigger = 0.8;
    p.politics.terror_grip_months = 40.0;
    let n = 2000;
    let mut begun = 0;
    let mut ruthless = 0.0;
    for seed in 0..n {
        let mut w = dictatorship_with_kirov();
        let stalin = id(&w, "stalin");
        w.politics.terror.dictator_since = Some((stalin, w.month.offset(-10)));
        ruthless = w.people.get(stalin).ruthlessness;
        step(&mut w, &p, seed as u64);
        begun += usize::from(w.politics.terror.began.is_some());
    }
    let expected = 0.8 * ruthless * 0.25;
    let share = begun as f64 / n as f64;
    assert!(
        (share - expected).abs() < margin(expected, n),
        "{share} against {expected}"
    );
}

#[test]
fn the_trigger_waits_on_the_war_danger() {
    // Its hazard is `terror_trigger · ruthlessness · share² · danger`, the danger being
    // `terror_republic_danger` while Germany is a republic and 1 once the regime that replaced it is
    // long established (here its month of power is not set: a world built in the middle of its
    // rule). At a certain trigger and no danger from a republic, a dictator starts nothing in two
    // years of Weimar, and starts his terror in the first month the Nazis (or the generals) rule.
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
fn the_war_danger_builds_with_the_regime_s_time_in_power() {
    // `d₀` under the republic; from the Nazis' (or the generals') month of power it climbs in a
    // straight line to 1 over `terror_danger_months`, and stays there. A step at the takeover (the
    // model before) fails at the takeover month and halfway.
    let mut p = params();
    p.politics.terror_republic_danger = 0.1;
    p.politics.terror_danger_months = 36.0;
    let mut w = dictatorship_with_kirov();
    w.germany.regime = GermanRegime::Weimar;
    assert_eq!(politics::war_danger(&w, &p.politics), 0.1);
    for regime in [GermanRegime::Nazi, GermanRegime::Authoritarian] {
        w.germany.regime = regime;
        w.germany.regime_since = Some(w.month);
        let danger = |w: &World| politics::war_danger(w, &p.politics);
        assert!((danger(&w) - 0.1).abs() < 1e-12, "{regime:?}");
        w.germany.regime_since = Some(w.month.offset(-18));
        assert!((danger(&w) - 0.55).abs() < 1e-12, "{regime:?}");
        w.germany.regime_since = Some(w.month.offset(-36));
        assert!((danger(&w) - 1.0).abs() < 1e-12, "{regime:?}");
        w.germany.regime_since = Some(w.month.offset(-60));
        assert!((danger(&w) - 1.0).abs() < 1e-12, "{regime:?}");
    }
    // The trigger reads it: over many worlds a dictator with every vote, 18 months into Nazi rule
    // with no danger from the republic, starts his terror in a month with probability
    // `terror_trigger · ruthlessness · ½`, against the full hazard three years in.
    p.politics.terror_republic_danger = 0.0;
    p.politics.terror_trigger = 0.8;
    let n = 2000;
    for (months, built) in [(18, 0.5), (36, 1.0)] {
        let mut begun = 0;
        let mut ruthless = 0.0;
        for seed in 0..n {
            let mut w = dictatorship_with_kirov();
            w.germany.regime_since = Some(w.month.offset(-months));
            ruthless = w.people.get(id(&w, "stalin")).ruthlessness;
            step(&mut w, &p, seed as u64);
            begun += usize::from(w.politics.terror.began.is_some());
        }
        let expected = 0.8 * ruthless * built;
        let share = begun as f64 / n as f64;
        assert!(
            (share - expected).abs() < margin(expected, n),
            "{months} months: {share} against {expected}"
        );
    }
}

#[test]
fn the_halt_s_hazard_grows_with_the_square_of_the_intensity_past_the_army_stage() {
    // At intensity E the leader halts with probability `terror_halt · (E − terror_army_stage)₊²` a
    // month (after this month's escalation): at a halt rate of one and E half a point past the stage,
    // about a quarter of worlds halt, not the half a hazard linear in the excess would give, nor
    // the 0.49 of a hazard in the square of the whole intensity.
    let mut p = params();
    p.politics.terror_halt = 1.0;
    p.politics.terror_escalation = 0.0;
    p.politics.terror_army_stage = 0.2;
    let n = 2000;
    let halted_share = |p: &Params, e: f64| {
        let mut halted = 0;
        for seed in 0..n {
            let mut w = dictatorship_with_kirov();
            let stalin = id(&w, "stalin");
            w.politics.terror.began = Some((stalin, w.month));
            w.politics.terror.escalation = e;
            step(&mut w, p, seed as u64);
            halted += usize::from(w.politics.terror.halted.is_some());
        }
        halted as f64 / n as f64
    };
    let share = halted_share(&p, 0.7);
    assert!((share - 0.25).abs() < margin(0.25, n), "{share}");
    // Short of the stage the terror has not yet turned on the leader's own instruments of rule: no
    // leader halts it, however ready he is to halt one that has.
    p.politics.terror_halt = 1000.0;
    assert_eq!(halted_share(&p, 0.15), 0.0);
    assert_eq!(halted_share(&p, 0.25), 1.0);
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

#[test]
fn the_terror_reaches_the_army_only_once_it_has_run_past_its_stage() {
    // Stalin's terror escalates by 0.05 · ruthlessness a month, with Tukhachevsky, a soldier of
    // standing and no one's client, in the party. While the intensity is below
    // `terror_army_stage` the army is not purged; in the first month it stands at the stage the
    // terror reaches the army, and from then on the purge follows the intensity, through the halt
    // and the decay after it.
    let mut p = params();
    p.politics.terror_trigger = 0.0;
    p.politics.terror_halt = 0.0;
    p.politics.terror_escalation = 0.05;
    p.politics.terror_army_stage = 0.2;
    let mut w = world_of(1935, 1, &["stalin", "tukhachevsky"]);
    w.germany.regime = GermanRegime::Nazi;
    w.politics.last_meeting = Some(w.month);
    let (stalin, tukhachevsky) = (id(&w, "stalin"), id(&w, "tukhachevsky"));
    w.person_mut(stalin).cadre = 1.0;
    w.person_mut(tukhachevsky).cadre = 0.0;
    w.politics.terror.began = Some((stalin, w.month));
    let ruthless = w.people.get(stalin).ruthlessness;
    let months_to_stage = (0.2 / (0.05 * ruthless)).ceil() as u32;
    assert!(
        months_to_stage > 1,
        "the stage comes after some months of terror"
    );
    for month in 1..=months_to_stage + 2 {
        step(&mut w, &p, 9);
        let t = &w.politics.terror;
        if month < months_to_stage {
            assert!(t.escalation > 0.0 && t.escalation < 0.2);
            assert_eq!(t.army_reached, None, "month {month}");
            assert_eq!(t.army, 0.0, "month {month}");
        } else {
            assert!(t.escalation >= 0.2);
            assert!(t.army > 0.0, "month {month}");
            if month == months_to_stage {
                assert_eq!(t.army_reached, Some(w.month));
            }
        }
        next_month(&mut w);
    }
    // Halted: the army purge decays with the terror rather than stopping at once.
    w.politics.terror.halted = Some(w.month);
    step(&mut w, &p, 9);
    assert!(w.politics.terror.army > 0.0);
    assert!(w.politics.terror.army_reached.is_some());

    // A terror halted short of the stage never reaches the army, however long its tail.
    let mut short = world_of(1935, 1, &["stalin", "tukhachevsky"]);
    short.germany.regime = GermanRegime::Nazi;
    short.politics.last_meeting = Some(short.month);
    short.person_mut(stalin).cadre = 1.0;
    short.person_mut(tukhachevsky).cadre = 0.0;
    short.politics.terror.began = Some((stalin, short.month));
    short.politics.terror.escalation = 0.15;
    short.politics.terror.halted = Some(short.month);
    for _ in 0..24 {
        step(&mut short, &p, 9);
        assert_eq!(short.politics.terror.army, 0.0);
        next_month(&mut short);
    }
    assert_eq!(short.politics.terror.army_reached, None);
}

/// The terror's events in the log: its triggers and its halts.
fn terror_events(w: &World) -> Vec<EventKind> {
    w.log
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::TerrorBegan { .. } | EventKind::TerrorHalted { .. }
            )
        })
        .map(|e| e.kind.clone())
        .collect()
}

#[test]
fn the_trigger_is_logged_with_its_victim_before_his_death() {
    // An assassination: the trigger names the leader and the murdered man, and his violent death
    // follows it in the log (so the story tells the murder as the terror's cause).
    let mut p = params();
    p.politics.terror_trigger = 1.0;
    p.politics.terror_assassination = 1.0;
    let mut w = dictatorship_with_kirov();
    step(&mut w, &p, 3);
    let (stalin, kirov) = (id(&w, "stalin"), id(&w, "kirov"));
    assert_eq!(
        terror_events(&w),
        vec![EventKind::TerrorBegan {
            leader: stalin,
            victim: Some(kirov)
        }]
    );
    let at = |kind: &dyn Fn(&EventKind) -> bool| w.log.iter().position(|e| kind(&e.kind));
    let trigger = at(&|k| matches!(k, EventKind::TerrorBegan { .. })).unwrap();
    let death = at(
        &|k| matches!(k, EventKind::Died { person, cause: DeathCause::Killed } if *person == kirov),
    )
    .unwrap();
    assert!(trigger < death);
    assert_eq!(w.log[trigger].month, w.log[death].month);

    // A scare: the trigger with no victim, and no one killed.
    p.politics.terror_assassination = 0.0;
    let mut w = dictatorship_with_kirov();
    step(&mut w, &p, 3);
    assert_eq!(
        terror_events(&w),
        vec![EventKind::TerrorBegan {
            leader: stalin,
            victim: None
        }]
    );
    assert!(deaths(&w, DeathCause::Killed).is_empty());

    // No trigger, no event.
    p.politics.terror_trigger = 0.0;
    let mut w = dictatorship_with_kirov();
    step(&mut w, &p, 3);
    assert!(terror_events(&w).is_empty());
    assert!(w.politics.terror.began.is_none());
}

#[test]
fn the_halt_is_logged_as_the_leader_s_or_his_successor_s() {
    // The leader's own halt (certain at full intensity past the army stage).
    let mut p = params();
    p.politics.terror_halt = 1.0;
    p.politics.terror_trigger = 0.0;
    let mut w = dictatorship_with_kirov();
    let (stalin, kirov) = (id(&w, "stalin"), id(&w, "kirov"));
    w.politics.terror.began = Some((stalin, w.month));
    w.politics.terror.escalation = 1.0;
    step(&mut w, &p, 7);
    assert_eq!(
        terror_events(&w),
        vec![EventKind::TerrorHalted {
            leader: stalin,
            successor: false
        }]
    );
    // Halted once: the months of decay that follow log nothing more.
    next_month(&mut w);
    step(&mut w, &p, 7);
    assert_eq!(terror_events(&w).len(), 1);

    // A running terror that no halt ends (its hazard nothing) logs no halt...
    p.politics.terror_halt = 0.0;
    let mut w = dictatorship_with_kirov();
    w.politics.terror.began = Some((stalin, w.month));
    w.politics.terror.escalation = 0.5;
    step(&mut w, &p, 9);
    assert!(terror_events(&w).is_empty());
    // ...until its leader is gone, when his successor calls it off.
    w.person_mut(stalin).fate = Fate::DeadNatural;
    w.person_mut(stalin).cadre = 0.0;
    w.person_mut(kirov).patron = None;
    w.person_mut(kirov).cadre = 1.0;
    next_month(&mut w);
    step(&mut w, &p, 9);
    assert_eq!(w.politics.leader, Some(kirov));
    assert_eq!(
        terror_events(&w),
        vec![EventKind::TerrorHalted {
            leader: stalin,
            successor: true
        }]
    );
}
