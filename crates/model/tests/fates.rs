//! The fates' own mechanisms on hand-built worlds: what followers do when their patron falls, the
//! outcast's state machine, and the purges.

mod support;

use razvilka_kernel::{Month, Origin};
use razvilka_model::{fates, Params, World};
use razvilka_model::{EventKind, Fate, Office, PersonId};
use support::{id, margin, next_month, params, streams, world_of};

fn run(world: &mut World, params: &Params, seed: u64, months: u32) {
    let streams = streams(seed);
    for _ in 0..months {
        fates::step(world, &params.fates, &streams);
        next_month(world);
    }
}

/// Every outcast's move switched off, so a test can switch on the one it studies.
fn no_moves() -> Params {
    let mut p = params();
    let f = &mut p.fates;
    for rate in [
        &mut f.recant,
        &mut f.exile,
        &mut f.deport,
        &mut f.emigrate,
        &mut f.caucasus,
        &mut f.revolt,
        &mut f.arrest,
        &mut f.crush,
        &mut f.success,
        &mut f.breakaway_fall,
        &mut f.execution,
        &mut f.release,
        &mut f.assassination,
        &mut f.show_arrest,
    ] {
        *rate = 0.0;
    }
    p
}

/// Only one of a follower's four choices (defect, demoted, fall, arrested) has weight.
fn only_choice(choice: usize) -> Params {
    let mut p = params();
    let f = &mut p.fates;
    let weights = [
        &mut f.defect_weight,
        &mut f.demote_weight,
        &mut f.fall_weight,
        &mut f.arrest_weight,
    ];
    for (k, w) in weights.into_iter().enumerate() {
        if k != choice {
            *w = 0.0;
        }
    }
    p
}

/// Whether `who` was ever arrested in this world (he may since have moved on: executed, released).
fn arrested(w: &World, who: PersonId) -> bool {
    w.log.iter().any(|e| {
        matches!(e.kind, EventKind::FateChanged { person, to: Fate::Imprisoned, .. } if person == who)
    })
}

#[test]
fn a_purge_needs_repression_above_its_threshold() {
    // Purge rates so high that whoever faces the purges is arrested in the first month.
    let mut p = params();
    p.fates.purge_elite = 1e6;
    // (The arrest itself, not the suicide that may forestall it.)
    p.fates.purge_suicide = 0.0;
    p.fates.purge_opposition = 1e6;
    let names = ["rykov", "tomsky", "kalinin"];
    for (repression, arrested) in [
        (p.fates.purge_threshold - 0.01, false),
        (p.fates.purge_threshold, false),
        (p.fates.purge_threshold + 0.01, true),
    ] {
        let mut w = world_of(1937, 1, &names);
        w.politics.repression = repression;
        // (In a terror: outside one only the marked men are purged.)
        w.politics.terror.escalation = 0.1;
        run(&mut w, &p, 1, 1);
        for name in names {
            let fate = w.person(id(&w, name)).fate;
            assert_eq!(
                fate == Fate::Imprisoned,
                arrested,
                "{name} at repression {repression}: {fate:?}"
            );
        }
    }
}

#[test]
fn the_leader_is_never_purged() {
    let mut p = params();
    p.fates.purge_elite = 1e6;
    // (The arrest itself, not the suicide that may forestall it.)
    p.fates.purge_suicide = 0.0;
    let mut w = world_of(1937, 1, &["stalin", "rykov"]);
    let (stalin, rykov) = (id(&w, "stalin"), id(&w, "rykov"));
    w.politics.leader = Some(stalin);
    w.politics.repression = 1.0;
    // (In a terror: outside one only the marked men are purged.)
    w.politics.terror.escalation = 0.1;
    run(&mut w, &p, 2, 12);
    assert!(w.person(stalin).fate.is_member());
    assert!(arrested(&w, rykov), "the man beside him is taken at once");
}

#[test]
fn the_purges_spare_the_leaders_followers_by_their_loyalty() {
    // Molotov follows Stalin: his rate is cut by (1 − loyalty). Entirely loyal, he is never taken;
    // entirely disloyal, he is taken at once like anyone.
    let mut p = params();
    p.fates.purge_elite = 1e6;
    // (The arrest itself, not the suicide that may forestall it.)
    p.fates.purge_suicide = 0.0;
    for (loyalty, arrested) in [(1.0, false), (0.0, true)] {
        let mut w = world_of(1937, 1, &["stalin", "molotov"]);
        let (stalin, molotov) = (id(&w, "stalin"), id(&w, "molotov"));
        w.politics.leader = Some(stalin);
        w.politics.repression = 1.0;
        // (In a terror: outside one only the marked men are purged.)
        w.politics.terror.escalation = 0.1;
        w.person_mut(molotov).loyalty = loyalty;
        run(&mut w, &p, 3, 12);
        assert_eq!(self::arrested(&w, molotov), arrested);
    }
}

#[test]
fn the_purges_take_the_opposition_faster_than_the_loyal_elite() {
    // Over many worlds, a former oppositionist is arrested within a year more often than a member
    // never in a defeated faction, by the ratio of their rates.
    let mut p = params();
    p.fates.purge_suicide = 0.0;
    let n = 1000;
    let share = |opposition: bool| {
        (0..n)
            .filter(|&seed| {
                let mut w = world_of(1937, 1, &["rykov"]);
                let rykov = id(&w, "rykov");
                w.politics.repression = 0.8;
                // (In a terror that runs: outside one only the marked men are purged, and a man
                // of standing among them is shielded by it.)
                w.politics.terror.escalation = 0.1;
                w.politics.terror.began = Some((id(&w, "stalin"), w.month));
                w.person_mut(rykov).opposition = opposition;
                run(&mut w, &p, seed as u64, 12);
                arrested(&w, rykov)
            })
            .count() as f64
            / n as f64
    };
    let excess = 0.8 - p.fates.purge_threshold;
    let expect = |rate: f64| 1.0 - (1.0 - excess * rate).powi(12);
    let (opp, elite) = (share(true), share(false));
    let (e_opp, e_elite) = (
        expect(p.fates.purge_opposition),
        expect(p.fates.purge_elite),
    );
    assert!(
        (opp - e_opp).abs() < margin(e_opp, n),
        "{opp} against {e_opp}"
    );
    assert!(
        (elite - e_elite).abs() < margin(e_elite, n),
        "{elite} against {e_elite}"
    );
    assert!(opp > elite);
}

#[test]
fn followers_fall_with_an_expelled_patron_when_falling_is_their_only_choice() {
    let p = only_choice(2);
    let mut w = world_of(1927, 11, &["trotsky", "smirnov", "pyatakov"]);
    let trotsky = id(&w, "trotsky");
    w.person_mut(trotsky).fate = Fate::Expelled;
    run(&mut w, &p, 4, 1);
    for name in ["smirnov", "pyatakov"] {
        let f = w.person(id(&w, name));
        assert_eq!(f.fate, Fate::Expelled, "{name}");
        assert!(f.opposition, "{name} is a marked man");
    }
}

#[test]
fn a_follower_who_falls_with_his_patron_takes_his_own_followers_in_the_peoples_order() {
    // A chain: the first man expelled, the second follows him, the third follows the second, and
    // falling is every follower's only choice. The followers choose in the people's order: a man
    // whose patron falls before him in that order falls the same month; one whose patron falls
    // after him chooses the month after.
    let p = only_choice(2);
    let names = ["trotsky", "smirnov", "pyatakov"];
    let template = world_of(1927, 11, &names);
    let mut ids: Vec<PersonId> = names.iter().map(|n| id(&template, n)).collect();
    ids.sort();
    let (first, middle, last) = (ids[0], ids[1], ids[2]);
    for (patron, follower, his_follower, same_month) in
        [(first, middle, last, true), (first, last, middle, false)]
    {
        let mut w = template.clone();
        w.person_mut(patron).fate = Fate::Expelled;
        w.person_mut(patron).patron = None;
        w.person_mut(follower).patron = Some(patron);
        w.person_mut(his_follower).patron = Some(follower);
        run(&mut w, &p, 4, 1);
        assert_eq!(w.person(follower).fate, Fate::Expelled);
        let fell_at_once = w.person(his_follower).fate == Fate::Expelled;
        assert_eq!(
            fell_at_once, same_month,
            "{his_follower:?} after {follower:?}"
        );
        run(&mut w, &p, 4, 1);
        assert_eq!(w.person(his_follower).fate, Fate::Expelled);
    }
}

#[test]
fn a_demoted_follower_loses_his_central_posts_and_his_patron() {
    let p = only_choice(1);
    let mut w = world_of(1927, 11, &["stalin", "molotov"]);
    let (stalin, molotov) = (id(&w, "stalin"), id(&w, "molotov"));
    assert!(w.person(molotov).offices.has(Office::Secretariat));
    w.person_mut(stalin).fate = Fate::Expelled;
    run(&mut w, &p, 5, 1);
    let m = w.person(molotov);
    assert!(m.fate.is_member());
    assert_eq!(m.patron, None);
    assert!(!m.offices.has(Office::Secretariat) && !m.offices.in_politburo());
    assert!(
        m.offices.has(Office::CentralCommittee),
        "he keeps his CC seat"
    );
}

#[test]
fn a_follower_whose_patron_died_a_natural_death_becomes_his_own_man() {
    // Even with falling as the only choice: a natural death is no fall.
    let p = only_choice(2);
    let mut w = world_of(1925, 1, &["zinoviev", "kamenev"]);
    let (zinoviev, kamenev) = (id(&w, "zinoviev"), id(&w, "kamenev"));
    w.person_mut(zinoviev).fate = Fate::DeadNatural;
    run(&mut w, &p, 6, 1);
    assert_eq!(w.person(kamenev).patron, None);
    assert!(w.person(kamenev).fate.is_member());
    assert!(w.person(kamenev).offices.has(Office::Politburo));
}

#[test]
fn followers_who_stay_inherit_the_fallen_patrons_clientele_by_organisation() {
    let p = only_choice(1);
    let mut w = world_of(1927, 11, &["stalin", "molotov", "kaganovich"]);
    let (stalin, molotov, kaganovich) = (id(&w, "stalin"), id(&w, "molotov"), id(&w, "kaganovich"));
    w.person_mut(stalin).fate = Fate::Expelled;
    w.person_mut(stalin).lost_cadre = 0.4;
    run(&mut w, &p, 7, 1);
    let org = |c| w.people.get(c).organization;
    let inheritance = 0.4 * p.fates.network_inheritance;
    for c in [molotov, kaganovich] {
        let expected = inheritance * org(c) / (org(molotov) + org(kaganovich));
        assert!(
            (w.person(c).cadre - expected).abs() < 1e-12,
            "{}",
            w.person(c).cadre
        );
    }
    assert_eq!(w.person(stalin).lost_cadre, 0.0, "inherited once");
}

#[test]
fn an_expelled_man_is_arrested_only_under_repression() {
    let mut p = no_moves();
    p.fates.arrest = 1.0;
    // (His standing's shield is studied below.)
    p.fates.standing_shield = 0.0;
    for (repression, arrested) in [(0.0, false), (1.0, true)] {
        let mut w = world_of(1928, 1, &["trotsky"]);
        let trotsky = id(&w, "trotsky");
        w.person_mut(trotsky).fate = Fate::Expelled;
        // (Expelled two years ago: his time to recant is past.)
        w.person_mut(trotsky).fate_since = w.month.offset(-24);
        w.politics.repression = repression;
        // (In a terror: outside one only the marked men are purged.)
        w.politics.terror.escalation = 0.1;
        run(&mut w, &p, 8, 3);
        assert_eq!(w.person(trotsky).fate == Fate::Imprisoned, arrested);
    }
}

#[test]
fn only_a_caucasian_builds_a_power_base_in_the_caucasus() {
    let mut p = no_moves();
    p.fates.caucasus = 1e6;
    for (name, base) in [("stalin", true), ("trotsky", false)] {
        let mut w = world_of(1925, 1, &[name]);
        let man = id(&w, name);
        w.person_mut(man).fate = Fate::Expelled;
        run(&mut w, &p, 9, 1);
        assert_eq!(w.person(man).fate == Fate::CaucasusBase, base, "{name}");
    }
}

#[test]
fn moves_split_in_proportion_to_their_hazards() {
    // An expelled man with two open roads, exile and emigration at equal hazards, takes each about
    // half the time.
    let mut p = no_moves();
    p.fates.emigrate = 0.3;
    // (No police watch on his leaving: emigration at its full rate.)
    p.fates.exit_watch = 0.0;
    let mut w0 = world_of(1928, 1, &["zinoviev"]);
    let zinoviev = id(&w0, "zinoviev");
    w0.person_mut(zinoviev).fate = Fate::Expelled;
    w0.politics.repression = 0.0;
    // exile · prestige · (floor + r), set equal to emigration's hazard.
    p.fates.exile = 0.3 / (w0.person(zinoviev).prestige * p.fates.exile_floor);
    let n = 1000;
    let (mut exile, mut abroad) = (0, 0);
    for seed in 0..n {
        let mut w = w0.clone();
        run(&mut w, &p, seed, 24);
        match w.person(zinoviev).fate {
            Fate::InternalExile => exile += 1,
            Fate::Abroad => abroad += 1,
            other => panic!("seed {seed}: {other:?}"),
        }
    }
    let share = exile as f64 / (exile + abroad) as f64;
    assert!(
        (share - 0.5).abs() < margin(0.5, n as usize),
        "{exile} exiled, {abroad} abroad"
    );
}

#[test]
fn a_defector_joins_the_strongest_other_faction_and_keeps_part_of_his_loyalty() {
    let p = only_choice(0);
    let mut w = world_of(1927, 11, &["trotsky", "pyatakov", "stalin", "zinoviev"]);
    let (trotsky, pyatakov, stalin, zinoviev) = (
        id(&w, "trotsky"),
        id(&w, "pyatakov"),
        id(&w, "stalin"),
        id(&w, "zinoviev"),
    );
    // At the last tally Trotsky's faction was the largest; of the rest, Stalin's.
    w.politics.power[trotsky.index()] = 0.5;
    w.politics.power[stalin.index()] = 0.3;
    w.politics.power[zinoviev.index()] = 0.2;
    w.person_mut(trotsky).fate = Fate::Expelled;
    let loyalty = w.person(pyatakov).loyalty;
    run(&mut w, &p, 11, 1);
    let f = w.person(pyatakov);
    assert_eq!(f.patron, Some(stalin));
    assert!((f.loyalty - loyalty * p.fates.defect_loyalty_kept).abs() < 1e-12);
    assert!(f.fate.is_member() && !f.opposition);
}

#[test]
fn an_expelled_man_is_readmitted_only_when_repression_allows_and_then_leads_no_faction() {
    // Readmission is `recant · (1 − ambition) · (1 − r) · (1 − recant_standing · prestige)`: certain at no repression with the rate
    // set high, impossible at full repression.
    let mut p = no_moves();
    p.fates.recant = 1e6;
    for (repression, readmitted) in [(0.0, true), (1.0, false)] {
        let mut w = world_of(1928, 1, &["kamenev", "zinoviev"]);
        let kamenev = id(&w, "kamenev");
        w.person_mut(kamenev).fate = Fate::Expelled;
        w.politics.repression = repression;
        // (In a terror: outside one only the marked men are purged.)
        w.politics.terror.escalation = 0.1;
        run(&mut w, &p, 12, 3);
        let k = w.person(kamenev);
        assert_eq!(
            k.fate == Fate::Readmitted,
            readmitted,
            "repression {repression}"
        );
        assert_eq!(k.submitted, readmitted);
        if readmitted {
            assert_eq!(k.patron, None);
        }
    }
}

#[test]
fn a_man_whose_arrest_comes_may_take_his_own_life_first() {
    // Certain arrest: with suicide certain he dies by his own hand and is never imprisoned; with
    // suicide impossible he is imprisoned.
    for (suicide, dead) in [(1.0, true), (0.0, false)] {
        let mut p = params();
        p.fates.purge_elite = 1e6;
        p.fates.purge_suicide = suicide;
        let mut w = world_of(1937, 1, &["stalin", "rykov"]);
        let (stalin, rykov) = (id(&w, "stalin"), id(&w, "rykov"));
        w.politics.leader = Some(stalin);
        w.politics.repression = 1.0;
        // (In a terror: outside one only the marked men are purged.)
        w.politics.terror.escalation = 0.1;
        run(&mut w, &p, 2, 1);
        assert_eq!(w.person(rykov).fate == Fate::Suicide, dead);
        assert_eq!(w.person(rykov).fate == Fate::Imprisoned, !dead);
    }
}

#[test]
fn a_man_of_great_standing_recants_less_readily() {
    // Trotsky (prestige 0.85) against Radek (0.45), both expelled, at no repression: over many
    // worlds each is readmitted within a year at `1 − (1 − recant · (1 − ambition) · (1 − P₀))^12`;
    // with the standing switched off the two differ only by their ambition.
    let n = 2000;
    for standing in [1.0, 0.0] {
        let mut p = no_moves();
        p.fates.recant = 0.05;
        p.fates.recant_standing = standing;
        let share = |name: &str| {
            (0..n)
                .filter(|&seed| {
                    let mut w = world_of(1928, 1, &["stalin", name]);
                    let man = id(&w, name);
                    w.person_mut(man).fate = Fate::Expelled;
                    run(&mut w, &p, seed as u64, 12);
                    w.person(man).fate == Fate::Readmitted
                })
                .count() as f64
                / n as f64
        };
        let expect = |name: &str| {
            let w = world_of(1928, 1, &[name]);
            let person = w.people.get(id(&w, name));
            let h = 0.05 * (1.0 - person.ambition) * (1.0 - standing * person.prestige);
            1.0 - (1.0 - h).powi(12)
        };
        for name in ["trotsky", "radek"] {
            let (got, want) = (share(name), expect(name));
            assert!(
                (got - want).abs() < margin(want, n),
                "{name} at standing {standing}: {got} vs {want}"
            );
        }
    }
}

#[test]
fn a_man_of_standing_is_shielded_from_arrest_until_a_terror_runs_and_then_taken_first() {
    // Trotsky (prestige 0.85) against Radek (0.45), both expelled, at repression 0.5. Outside a
    // terror each is arrested within a year at `1 − (1 − arrest · r · (1 − P₀))^12`, so the man of
    // great standing less often; in the first month of a terror at `arrest · r + show · P₀`, so he is
    // taken first. With the shield and the show arrests switched off the two are alike.
    let n = 2000;
    let r = 0.5;
    for (shield, show) in [(1.0, 0.5), (0.0, 0.0)] {
        let mut p = no_moves();
        p.fates.arrest = 0.1;
        p.fates.standing_shield = shield;
        p.fates.show_arrest = show;
        let share = |name: &str, terror: bool, months: u32| {
            (0..n)
                .filter(|&seed| {
                    let mut w = world_of(1930, 1, &["stalin", name]);
                    let man = id(&w, name);
                    w.person_mut(man).fate = Fate::Expelled;
                    // (Expelled two years ago: his time to recant is past.)
                    w.person_mut(man).fate_since = w.month.offset(-24);
                    w.politics.repression = r;
                    if terror {
                        let stalin = id(&w, "stalin");
                        w.politics.terror.began = Some((stalin, w.month));
                        w.politics.terror.escalation = 0.01;
                    }
                    run(&mut w, &p, seed as u64, months);
                    arrested(&w, man)
                })
                .count() as f64
                / n as f64
        };
        for name in ["trotsky", "radek"] {
            let prestige = {
                let w = world_of(1930, 1, &[name]);
                w.people.get(id(&w, name)).prestige
            };
            let calm = 1.0 - (1.0 - 0.1 * r * (1.0 - shield * prestige)).powi(12);
            let got = share(name, false, 12);
            assert!(
                (got - calm).abs() < margin(calm, n),
                "{name} outside a terror, shield {shield}: {got} vs {calm}"
            );
            let scare = 0.1 * r + show * prestige;
            let got = share(name, true, 1);
            assert!(
                (got - scare).abs() < margin(scare, n),
                "{name} in a terror, show {show}: {got} vs {scare}"
            );
        }
    }
}

#[test]
fn a_former_oppositionist_of_standing_is_purged_less_until_a_terror_runs() {
    // Rykov (prestige 0.6), once in a beaten faction, still a member, at repression 0.8 after a
    // terror has been halted (its intensity not yet decayed): the purges take him within a year at
    // `1 − (1 − (r − θ) · π_o · (1 − shield · P₀))^12`; while the terror runs, at the full `π_o`.
    let mut p = params();
    p.fates.purge_suicide = 0.0;
    p.fates.purge_opposition = 0.1;
    let n = 2000;
    for running in [false, true] {
        let got = (0..n)
            .filter(|&seed| {
                let mut w = world_of(1939, 1, &["rykov"]);
                let rykov = id(&w, "rykov");
                w.person_mut(rykov).opposition = true;
                w.politics.repression = 0.8;
                w.politics.terror.escalation = 0.1;
                w.politics.terror.began =
                    Some((id(&w, "stalin"), razvilka_kernel::Month::new(1935, 1)));
                if !running {
                    w.politics.terror.halted = Some(razvilka_kernel::Month::new(1938, 11));
                }
                run(&mut w, &p, seed as u64, 12);
                arrested(&w, rykov)
            })
            .count() as f64
            / n as f64;
        let prestige = {
            let w = world_of(1939, 1, &["rykov"]);
            w.people.get(id(&w, "rykov")).prestige
        };
        let shield = if running {
            0.0
        } else {
            p.fates.standing_shield * prestige
        };
        let rate = (0.8 - p.fates.purge_threshold) * 0.1 * (1.0 - shield);
        let want = 1.0 - (1.0 - rate).powi(12);
        assert!(
            (got - want).abs() < margin(want, n),
            "terror running {running}: {got} vs {want}"
        );
    }
}

#[test]
fn once_one_man_is_deported_the_regime_is_slow_to_deport_a_second() {
    // Two exiles, both certain to be deported at the full rate (no repression to slow it). With the
    // precedent at full strength the second never follows the first; without it both go.
    for (precedent, both) in [(1.0, false), (0.0, true)] {
        let mut p = no_moves();
        p.fates.deport = 1e6;
        p.fates.deport_precedent = precedent;
        let mut w = world_of(1929, 1, &["trotsky", "radek"]);
        let (trotsky, radek) = (id(&w, "trotsky"), id(&w, "radek"));
        w.person_mut(trotsky).fate = Fate::InternalExile;
        w.politics.repression = 0.0;
        // (In a terror: outside one only the marked men are purged.)
        w.politics.terror.escalation = 0.1;
        // Radek goes into exile a month later, once Trotsky has been deported.
        run(&mut w, &p, 10, 2);
        assert_eq!(w.person(trotsky).fate, Fate::Abroad);
        assert!(w.fates.deported);
        w.person_mut(radek).fate = Fate::InternalExile;
        w.person_mut(radek).fate_since = w.month;
        run(&mut w, &p, 10, 24);
        assert_eq!(
            w.person(radek).fate == Fate::Abroad,
            both,
            "precedent {precedent}"
        );
    }
}

#[test]
fn a_personal_dictatorship_does_not_deport_an_exile() {
    // One exile, certain to be deported at the full rate under an oligarchy (no repression to slow
    // it, no precedent yet). With the dictatorship's restraint at full strength a dictator keeps
    // him in exile; without it he goes abroad under either regime.
    use razvilka_model::Regime;
    for (regime, restraint, deported) in [
        (Regime::Oligarchy, 1.0, true),
        (Regime::PersonalDictatorship, 1.0, false),
        (Regime::PersonalDictatorship, 0.0, true),
    ] {
        let mut p = no_moves();
        p.fates.deport = 1e6;
        p.fates.deport_dictatorship = restraint;
        let mut w = world_of(1931, 1, &["trotsky"]);
        let trotsky = id(&w, "trotsky");
        w.person_mut(trotsky).fate = Fate::InternalExile;
        w.politics.repression = 0.0;
        w.politics.regime = regime;
        run(&mut w, &p, 10, 24);
        assert_eq!(
            w.person(trotsky).fate == Fate::Abroad,
            deported,
            "{regime:?}, restraint {restraint}"
        );
    }
}

#[test]
fn a_recorded_deportation_is_a_precedent_too() {
    for (from, precedent) in [(Fate::InternalExile, true), (Fate::Expelled, false)] {
        let mut w = world_of(1929, 1, &["trotsky"]);
        let trotsky = id(&w, "trotsky");
        w.person_mut(trotsky).fate = from;
        w.set_fate(trotsky, Fate::Abroad, razvilka_kernel::Origin::Recorded);
        // Only a move from internal exile is the regime's deportation (an expelled man who leaves
        // emigrates).
        assert_eq!(w.fates.deported, precedent, "from {from:?}");
    }
}

#[test]
fn no_member_is_purged_outside_a_terror_not_even_a_former_oppositionist() {
    // Repression far above the purge threshold and purge rates so high that whoever faces the
    // purges is taken in the first month. Without a terror neither Rykov, once in a beaten faction
    // and still a member (demoted and watched), nor Kalinin, never in one, is arrested; once a
    // terror runs both are.
    let mut p = params();
    p.fates.purge_elite = 1e6;
    p.fates.purge_opposition = 1e6;
    p.fates.purge_suicide = 0.0;
    for terror in [0.0, 0.05] {
        let mut w = world_of(1933, 1, &["stalin", "rykov", "kalinin"]);
        let (rykov, kalinin) = (id(&w, "rykov"), id(&w, "kalinin"));
        w.person_mut(rykov).opposition = true;
        w.person_mut(rykov).submitted = true;
        w.person_mut(kalinin).opposition = false;
        w.politics.repression = 0.9;
        w.politics.terror.escalation = terror;
        if terror > 0.0 {
            w.politics.terror.began = Some((id(&w, "stalin"), w.month));
        }
        run(&mut w, &p, 6, 12);
        assert_eq!(arrested(&w, rykov), terror > 0.0, "terror {terror}");
        assert_eq!(arrested(&w, kalinin), terror > 0.0, "terror {terror}");
    }
}

#[test]
fn soldiers_are_hunted_as_soldiers_only_once_the_terror_has_reached_the_army() {
    // Tukhachevsky, no oppositionist, under repression well above the purge threshold with a
    // soldier's rate alone: never arrested while the terror has not reached the army, arrested in
    // the first month once it has.
    let mut p = params();
    p.fates.purge_elite = 0.0;
    p.fates.purge_opposition = 0.0;
    p.fates.purge_military = 1e6;
    p.fates.purge_suicide = 0.0;
    for reached in [false, true] {
        let mut w = world_of(1937, 1, &["tukhachevsky"]);
        let tukhachevsky = id(&w, "tukhachevsky");
        assert!(w.people.get(tukhachevsky).military);
        w.politics.repression = 0.9;
        // (In a terror: outside one only the marked men are purged.)
        w.politics.terror.escalation = 0.1;
        w.politics.terror.army_reached = reached.then_some(w.month);
        run(&mut w, &p, 4, 12);
        assert_eq!(arrested(&w, tukhachevsky), reached, "reached: {reached}");
    }
}

#[test]
fn a_prisoner_is_shot_only_in_a_terror_at_a_rate_growing_with_its_intensity() {
    // Zinoviev in prison under repression far above the purge threshold: without a terror he is
    // never shot; in a terror of intensity E he is shot within a year with probability
    // 1 − (1 − execution · E)^12, more often at a higher intensity.
    let mut p = no_moves();
    p.fates.execution = 0.5;
    let n = 1000;
    let shot = |e: f64| {
        (0..n)
            .filter(|&seed| {
                let mut w = world_of(1936, 1, &["zinoviev"]);
                let zinoviev = id(&w, "zinoviev");
                w.set_fate(
                    zinoviev,
                    Fate::Imprisoned,
                    razvilka_kernel::Origin::Mechanism,
                );
                next_month(&mut w);
                w.politics.repression = 0.9;
                // (In a terror: outside one only the marked men are purged.)
                w.politics.terror.escalation = 0.1;
                w.politics.terror.escalation = e;
                run(&mut w, &p, seed as u64, 12);
                w.person(zinoviev).fate == Fate::Executed
            })
            .count() as f64
            / n as f64
    };
    assert_eq!(shot(0.0), 0.0);
    let (low, high) = (shot(0.05), shot(0.2));
    let expect = |e: f64| 1.0 - (1.0 - 0.5 * e).powi(12);
    assert!(
        (low - expect(0.05)).abs() < margin(expect(0.05), n),
        "{low}"
    );
    assert!(
        (high - expect(0.2)).abs() < margin(expect(0.2), n),
        "{high}"
    );
    assert!(high > low);
}

#[test]
fn an_exile_is_left_in_exile_until_a_terror_runs_and_then_taken() {
    // Zinoviev in internal exile, repression far above anything the 1920s knew and an arrest rate so
    // high that any arrest hazard at all takes him in the first month. Before the terror exile is
    // his sentence: not arrested in two years. Once a terror runs he is arrested at once. The same
    // man merely expelled is arrested outside a terror too (the outcast's arrest, shielded by his
    // standing but not switched off).
    let mut p = no_moves();
    p.fates.arrest = 1e6;
    for (standing, terror, taken) in [
        (Fate::InternalExile, false, false),
        (Fate::InternalExile, true, true),
        (Fate::Expelled, false, true),
    ] {
        let mut w = world_of(1931, 1, &["stalin", "zinoviev"]);
        let zinoviev = id(&w, "zinoviev");
        w.person_mut(zinoviev).fate = standing;
        w.politics.repression = 0.9;
        if terror {
            w.politics.terror.began = Some((id(&w, "stalin"), w.month));
            w.politics.terror.escalation = 0.05;
        }
        run(&mut w, &p, 3, 24);
        assert_eq!(
            arrested(&w, zinoviev),
            taken,
            "{standing:?}, terror {terror}"
        );
    }
}

#[test]
fn exile_answers_a_mans_standing_not_the_prestige_his_defeats_left_him() {
    // Trotsky expelled, his prestige in the party cut to a tenth by the ladder's defeats, at no
    // repression: he is sent into exile within three months at `exile · P₀ · floor` a month, with
    // P₀ his standing in the people table (0.85), not at the rate his cut prestige would give.
    let mut p = no_moves();
    p.fates.exile = 0.3;
    let n = 2000;
    let got = (0..n)
        .filter(|&seed| {
            let mut w = world_of(1928, 1, &["trotsky"]);
            let trotsky = id(&w, "trotsky");
            w.person_mut(trotsky).fate = Fate::Expelled;
            w.person_mut(trotsky).prestige = 0.085;
            w.politics.repression = 0.0;
            run(&mut w, &p, seed as u64, 3);
            w.person(trotsky).fate == Fate::InternalExile
        })
        .count() as f64
        / n as f64;
    let standing = {
        let w = world_of(1928, 1, &["trotsky"]);
        w.people.get(id(&w, "trotsky")).prestige
    };
    let monthly = |prestige: f64| 0.3 * prestige * p.fates.exile_floor;
    let want = 1.0 - (1.0 - monthly(standing)).powi(3);
    let cut = 1.0 - (1.0 - monthly(0.085)).powi(3);
    assert!(
        (got - want).abs() < margin(want, n),
        "{got} vs {want} (at the cut prestige: {cut})"
    );
    assert!((want - cut).abs() > 2.0 * margin(want, n));
}

#[test]
fn an_expelled_man_is_left_time_to_recant_before_he_is_arrested_outside_a_terror() {
    // At certain arrest (repression 1, no shield), a man expelled this month is not arrested for
    // `recant_window` months while no terror runs, and is taken in the first month after; while a
    // terror runs he is taken at once.
    let mut p = no_moves();
    p.fates.arrest = 1.0;
    p.fates.standing_shield = 0.0;
    p.fates.recant_window = 12.0;
    let world = || {
        let mut w = world_of(1928, 1, &["stalin", "kamenev"]);
        let kamenev = id(&w, "kamenev");
        w.person_mut(kamenev).fate = Fate::Expelled;
        w.person_mut(kamenev).fate_since = w.month;
        w.politics.repression = 1.0;
        (w, kamenev)
    };
    let (mut w, kamenev) = world();
    run(&mut w, &p, 5, 12);
    assert_eq!(w.person(kamenev).fate, Fate::Expelled);
    run(&mut w, &p, 5, 1);
    assert_eq!(w.person(kamenev).fate, Fate::Imprisoned);
    let (mut w, kamenev) = world();
    let stalin = id(&w, "stalin");
    w.politics.terror.began = Some((stalin, w.month));
    w.politics.terror.escalation = 0.01;
    // (The month of his expulsion itself is his fate's month: he moves the month after.)
    run(&mut w, &p, 5, 2);
    assert_eq!(w.person(kamenev).fate, Fate::Imprisoned);
}

#[test]
fn a_prisoner_serves_his_term_before_he_is_released() {
    // At certain release (no repression, the rate set high), a man imprisoned this month stays in
    // prison for `prison_term` months and is released and readmitted in the first month after.
    let mut p = no_moves();
    p.fates.release = 1e6;
    p.fates.prison_term = 12.0;
    let mut w = world_of(1926, 1, &["stalin", "trotsky"]);
    let trotsky = id(&w, "trotsky");
    w.person_mut(trotsky).fate = Fate::Imprisoned;
    w.person_mut(trotsky).fate_since = w.month;
    w.politics.repression = 0.0;
    run(&mut w, &p, 9, 12);
    assert_eq!(w.person(trotsky).fate, Fate::Imprisoned);
    run(&mut w, &p, 9, 1);
    assert_eq!(w.person(trotsky).fate, Fate::Readmitted);
}

#[test]
fn no_prisoner_is_released_while_a_terror_runs() {
    // Regression: in `timeline stalin-expelled --seed 1` prisoners were released and readmitted in
    // the middle of a terror and taken again months later. At certain release, a man who has served
    // his term stays in prison while a terror runs (begun, not halted) and is released the month
    // after its halt. No one is shot: the execution rate is off.
    let mut p = no_moves();
    p.fates.release = 1e6;
    p.fates.prison_term = 12.0;
    p.fates.execution = 0.0;
    let mut w = world_of(1936, 1, &["stalin", "trotsky"]);
    let (stalin, trotsky) = (id(&w, "stalin"), id(&w, "trotsky"));
    w.person_mut(trotsky).fate = Fate::Imprisoned;
    w.person_mut(trotsky).fate_since = Month::new(1934, 1);
    w.politics.repression = 0.0;
    w.politics.terror.began = Some((stalin, Month::new(1935, 1)));
    run(&mut w, &p, 6, 24);
    assert_eq!(w.person(trotsky).fate, Fate::Imprisoned);
    w.politics.terror.halted = Some(w.month);
    run(&mut w, &p, 6, 1);
    assert_eq!(w.person(trotsky).fate, Fate::Readmitted);
}

#[test]
fn a_rebel_taken_in_a_crushed_revolt_is_never_released_into_the_party() {
    // Regression: in `timeline stalin-expelled --seed 1`, runs 2 and 7, Stalin raised the Caucasus,
    // was taken when the revolt was crushed, served his term and was readmitted to the party. A
    // revolt crushed for certain (no one killed) sends the rebel to prison; at certain release after
    // `prison_term`, a man arrested as an expelled outcast in the same month is released and
    // readmitted (the contrast), and the rebel stays in prison however long he waits.
    let mut p = no_moves();
    p.fates.crush = 1e6;
    p.fates.revolt_death = 0.0;
    p.fates.release = 1e6;
    p.fates.prison_term = 12.0;
    let mut w = world_of(1926, 1, &["stalin", "trotsky"]);
    let (stalin, trotsky) = (id(&w, "stalin"), id(&w, "trotsky"));
    w.politics.repression = 0.0;
    w.person_mut(stalin).fate = Fate::CaucasusBase;
    w.set_fate(stalin, Fate::Revolt, Origin::Mechanism);
    next_month(&mut w);
    w.person_mut(trotsky).fate = Fate::Expelled;
    w.set_fate(trotsky, Fate::Imprisoned, Origin::Mechanism);
    run(&mut w, &p, 4, 1);
    assert_eq!(w.person(stalin).fate, Fate::Imprisoned);
    assert_eq!(w.person(stalin).fate_since, w.person(trotsky).fate_since);
    assert!(fates::taken_in_arms(&w, stalin));
    assert!(!fates::taken_in_arms(&w, trotsky));
    run(&mut w, &p, 4, 12);
    assert_eq!(w.person(trotsky).fate, Fate::Readmitted);
    assert_eq!(w.person(stalin).fate, Fate::Imprisoned);
    run(&mut w, &p, 4, 120);
    assert_eq!(w.person(stalin).fate, Fate::Imprisoned);
    let readmitted = |who: PersonId| {
        w.log.iter().any(|e| {
            matches!(e.kind, EventKind::FateChanged { person, to: Fate::Readmitted, .. } if person == who)
        })
    };
    assert!(readmitted(trotsky) && !readmitted(stalin));
    // A terror still reaches him in prison: he is shot at the rate of any prisoner.
    p.fates.execution = 1e6;
    w.politics.terror.escalation = 1.0;
    run(&mut w, &p, 4, 1);
    assert_eq!(w.person(stalin).fate, Fate::Executed);
}

#[test]
fn the_police_watch_keeps_an_expelled_man_from_leaving_of_his_own_will() {
    // Regression: in `razvilka timeline otl --seed 1 --run 4` Kamenev, expelled in April 1928, went
    // abroad in May 1928. An expelled man whose only open road is emigration, at a monthly rate of
    // 0.3 with no repression: with the police's watch at full strength he is still at home after
    // ten years; at half strength he leaves within a year with probability 1 − (1 − 0.15)^12,
    // which he does at the full rate when the watch is off. The deportation of an exile, the
    // state's own decision, is not held back by it.
    let share_abroad = |watch: f64, months: u32| {
        let mut p = no_moves();
        p.fates.emigrate = 0.3;
        p.fates.exit_watch = watch;
        let n = 1000;
        let abroad = (0..n)
            .filter(|&seed| {
                let mut w = world_of(1928, 1, &["kamenev"]);
                let kamenev = id(&w, "kamenev");
                w.person_mut(kamenev).fate = Fate::Expelled;
                w.politics.repression = 0.0;
                run(&mut w, &p, seed, months);
                w.person(kamenev).fate == Fate::Abroad
            })
            .count();
        abroad as f64 / n as f64
    };
    assert_eq!(share_abroad(1.0, 120), 0.0);
    let expect = 1.0 - (1.0 - 0.3 * 0.5_f64).powi(12);
    let half = share_abroad(0.5, 12);
    assert!((half - expect).abs() < margin(expect, 1000), "{half}");
    let open = 1.0 - 0.7_f64.powi(12);
    let none = share_abroad(0.0, 12);
    assert!((none - open).abs() < margin(open, 1000), "{none}");
    let mut p = no_moves();
    p.fates.deport = 1e6;
    p.fates.exit_watch = 1.0;
    let mut w = world_of(1929, 1, &["trotsky"]);
    let trotsky = id(&w, "trotsky");
    w.person_mut(trotsky).fate = Fate::InternalExile;
    w.politics.repression = 0.0;
    run(&mut w, &p, 2, 2);
    assert_eq!(w.person(trotsky).fate, Fate::Abroad);
}

#[test]
fn a_man_abroad_is_hunted_only_once_a_terror_has_begun_and_an_operation_is_mounted() {
    // Regression: in `razvilka timeline otl --seed 1 --run 1` Trotsky was killed three months after
    // his deportation, and in `timeline stalin-expelled --seed 1 --run 9` Stalin three months after
    // he fled, both before any terror. At a killing certain once he is hunted (repression high):
    // with no terror he lives abroad ten years; with a terror begun after he left he is killed in
    // the first month `operation_abroad` months after its trigger, and not before, even after the
    // terror's halt; a man who leaves after the trigger is given the same months from his going.
    let mut p = no_moves();
    p.fates.assassination = 1e6;
    p.fates.operation_abroad = 12.0;
    let world = || {
        let mut w = world_of(1929, 2, &["stalin", "trotsky"]);
        let trotsky = id(&w, "trotsky");
        w.person_mut(trotsky).fate = Fate::Abroad;
        w.person_mut(trotsky).fate_since = w.month;
        w.politics.repression = 0.9;
        (w, trotsky)
    };
    let (mut w, trotsky) = world();
    run(&mut w, &p, 6, 120);
    assert_eq!(w.person(trotsky).fate, Fate::Abroad);
    // The trigger five years after his deportation, the terror halted two years on.
    let (mut w, trotsky) = world();
    run(&mut w, &p, 6, 60);
    let stalin = id(&w, "stalin");
    w.politics.terror.began = Some((stalin, w.month));
    w.politics.terror.escalation = 0.1;
    run(&mut w, &p, 6, 12);
    assert_eq!(w.person(trotsky).fate, Fate::Abroad);
    run(&mut w, &p, 6, 1);
    assert_eq!(w.person(trotsky).fate, Fate::Killed);
    // Halted before the operation is ready: he is killed all the same once it is.
    let (mut w, trotsky) = world();
    w.politics.terror.began = Some((stalin, w.month));
    w.politics.terror.halted = Some(w.month);
    w.politics.terror.escalation = 0.0;
    run(&mut w, &p, 6, 12);
    assert_eq!(w.person(trotsky).fate, Fate::Abroad);
    run(&mut w, &p, 6, 1);
    assert_eq!(w.person(trotsky).fate, Fate::Killed);
    // Gone abroad two years into a terror: twelve months from his going.
    let (mut w, trotsky) = world();
    w.politics.terror.began = Some((stalin, w.month));
    w.politics.terror.escalation = 0.1;
    w.person_mut(trotsky).fate = Fate::Expelled;
    run(&mut w, &p, 6, 24);
    w.person_mut(trotsky).fate = Fate::Abroad;
    w.person_mut(trotsky).fate_since = w.month;
    run(&mut w, &p, 6, 12);
    assert_eq!(w.person(trotsky).fate, Fate::Abroad);
    run(&mut w, &p, 6, 1);
    assert_eq!(w.person(trotsky).fate, Fate::Killed);
}
