//! Mortality's own mechanisms on hand-built worlds: the Gompertz hazard drawn by inverse transform,
//! hardship in prison, an intervention's protection, and Lenin's strokes and recoveries.

mod support;

use razvilka_model::{mortality, Params, World};
use razvilka_model::{EventKind, Fate};
use support::{count, id, margin, next_month, params, streams, world};

/// Steps mortality alone for `months` months.
fn run(world: &mut World, params: &Params, seed: u64, months: u32) {
    let streams = streams(seed);
    for _ in 0..months {
        mortality::step(world, &params.mortality, &streams);
        next_month(world);
    }
}

/// A certain death: the annual hazard at 50 set past one, so everyone's monthly hazard is one.
fn certain_death() -> Params {
    let mut p = params();
    p.mortality.annual_at_50 = 1e6;
    p.mortality.lenin_incapacity = 0.0;
    p
}

#[test]
fn no_one_dies_by_hazard_while_history_is_replayed() {
    let p = certain_death();
    let mut replayed = world(1925, 1);
    replayed.free = false;
    run(&mut replayed, &p, 1, 12);
    assert!(replayed.ids().all(|i| replayed.is_alive(i)));
    assert_eq!(count(&replayed, |k| matches!(k, EventKind::Died { .. })), 0);
    // The contrast: the same hazard, running free, kills everyone in the first month.
    let mut free = world(1925, 1);
    run(&mut free, &p, 1, 1);
    assert!(free.ids().all(|i| free.person(i).fate == Fate::DeadNatural));
}

#[test]
fn a_man_spared_by_an_intervention_does_not_die() {
    let p = certain_death();
    let mut w = world(1925, 1);
    let stalin = id(&w, "stalin");
    w.person_mut(stalin).spared_until = Some(w.month.offset(6));
    run(&mut w, &p, 2, 6);
    assert!(w.is_alive(stalin), "spared for six months");
    let trotsky = id(&w, "trotsky");
    assert!(!w.is_alive(trotsky), "the unspared die of the same hazard");
    // Once the protection lapses the hazard acts on him too.
    run(&mut w, &p, 2, 1);
    assert!(!w.is_alive(stalin));
}

#[test]
fn deaths_in_a_year_follow_the_gompertz_hazard() {
    // Raise the hazard so that a year's deaths are many enough to measure: one man of known age,
    // over many worlds, dies within the year with probability 1 − Π(1 − h_month).
    let mut p = params();
    p.mortality.annual_at_50 = 0.2;
    p.mortality.lenin_incapacity = 0.0;
    let template = world(1930, 1);
    let bukharin = id(&template, "bukharin");
    let frailty = template.people.get(bukharin).frailty;
    let mut alive = 1.0;
    let mut probe = template.clone();
    for _ in 0..12 {
        alive *= 1.0 - mortality::monthly_hazard(&p.mortality, probe.age(bukharin), frailty);
        next_month(&mut probe);
    }
    let expected = 1.0 - alive;
    let n = 2000;
    let died = (0..n)
        .filter(|&seed| {
            let mut w = template.clone();
            run(&mut w, &p, seed as u64, 12);
            !w.is_alive(bukharin)
        })
        .count();
    let share = died as f64 / n as f64;
    assert!(
        (share - expected).abs() < margin(expected, n),
        "{share} died within the year; the hazard says {expected}"
    );
}

#[test]
fn a_prisoner_dies_no_later_than_a_free_man_on_the_same_draw() {
    let mut p = params();
    p.mortality.annual_at_50 = 0.05;
    p.mortality.lenin_incapacity = 0.0;
    let mut earlier = 0;
    for seed in 0..300 {
        let death = |fate: Fate| {
            let mut w = world(1930, 1);
            let zinoviev = id(&w, "zinoviev");
            w.person_mut(zinoviev).fate = fate;
            let streams = streams(seed);
            for m in 0..120 {
                mortality::step(&mut w, &p.mortality, &streams);
                if !w.is_alive(zinoviev) {
                    return m;
                }
                next_month(&mut w);
            }
            120
        };
        let (prisoner, free) = (death(Fate::Imprisoned), death(Fate::InParty));
        assert!(
            prisoner <= free,
            "seed {seed}: the same threshold, a larger hazard"
        );
        earlier += (prisoner < free) as u32;
    }
    assert!(earlier > 0, "hardship shortens some prisoners' lives");
}

#[test]
fn lenin_at_work_suffers_a_stroke_when_the_stroke_hazard_is_certain() {
    let mut p = params();
    p.mortality.annual_at_50 = 0.0;
    for (incapacity, struck) in [(1.0, true), (0.0, false)] {
        p.mortality.lenin_incapacity = incapacity;
        let mut w = world(1922, 5);
        let lenin = id(&w, "lenin");
        run(&mut w, &p, 3, 1);
        assert_eq!(w.person(lenin).incapacitated, struck);
        assert_eq!(w.person(lenin).strokes, struck as u8);
        assert_eq!(
            count(&w, |k| matches!(k, EventKind::Incapacitated { .. })),
            struck as usize
        );
    }
}

#[test]
fn lenins_recovery_slows_with_each_stroke() {
    // Recovery is `lenin_recovery / strokes` a month: with a certain recovery after one stroke, he
    // recovers every time after one stroke and about half the time after two.
    let mut p = params();
    p.mortality.annual_at_50 = 0.0;
    p.mortality.lenin_recovery = 1.0;
    let n = 2000;
    let recovered = |strokes: u8| {
        (0..n)
            .filter(|&seed| {
                let mut w = world(1923, 1);
                let lenin = id(&w, "lenin");
                w.person_mut(lenin).incapacitated = true;
                w.person_mut(lenin).strokes = strokes;
                run(&mut w, &p, seed as u64, 1);
                !w.person(lenin).incapacitated
            })
            .count() as f64
            / n as f64
    };
    assert_eq!(recovered(1), 1.0);
    let two = recovered(2);
    assert!(
        (two - 0.5).abs() < margin(0.5, n),
        "{two} recovered after two strokes"
    );
}

#[test]
fn strokes_make_lenin_frailer() {
    // The same draws, Lenin with three strokes behind him against none: he dies no later, and in
    // some worlds sooner.
    let mut p = params();
    p.mortality.lenin_incapacity = 0.0;
    p.mortality.lenin_recovery = 0.0;
    let mut sooner = 0;
    for seed in 0..300 {
        let death = |strokes: u8| {
            let mut w = world(1923, 1);
            let lenin = id(&w, "lenin");
            w.person_mut(lenin).strokes = strokes;
            let streams = streams(seed);
            for m in 0..60 {
                mortality::step(&mut w, &p.mortality, &streams);
                if !w.is_alive(lenin) {
                    return m;
                }
                next_month(&mut w);
            }
            60
        };
        let (struck, well) = (death(3), death(0));
        assert!(struck <= well, "seed {seed}");
        sooner += (struck < well) as u32;
    }
    assert!(sooner > 0);
}

#[test]
fn ticking_only_who_can_die_this_year_loses_no_death() {
    // The same worlds stepped by `step`, which ticks only the clocks that can fire before the year
    // is out, and by the plain walk of every living person: the same deaths in the same months and
    // order, over many thresholds (seeds), ages (start years), hazards and hardships, with some
    // men sent to prison in the middle of each year (the hardship switched on after the clocks
    // were armed) and let out again at its end.
    let mut deaths = 0;
    let mut set_aside = 0;
    // (annual at 50, hardship, Gompertz slope): the last rows age a man fast within a year.
    let cases = [
        (0.015, 2.0, 0.085),
        (0.05, 3.0, 0.085),
        (0.2, 2.0, 0.085),
        (0.005, 40.0, 0.085),
        (0.01, 2.0, 0.5),
        (0.001, 1.0, 1.0),
    ];
    for (annual, hardship, slope) in cases {
        let mut p = params();
        p.mortality.annual_at_50 = annual;
        p.mortality.hardship = hardship;
        p.mortality.gompertz_slope = slope;
        for seed in 0..100 {
            for (year, month) in [(1923, 1), (1930, 5), (1938, 11)] {
                let mut plain = world(year, month);
                let mut skipping = plain.clone();
                let streams = streams(seed);
                for _ in 0..30 {
                    let moy = plain.month.month_of_year();
                    if moy == 6 || moy == 12 {
                        let to = if moy == 6 {
                            Fate::Imprisoned
                        } else {
                            Fate::InParty
                        };
                        for w in [&mut plain, &mut skipping] {
                            for i in w.ids().collect::<Vec<_>>() {
                                if w.is_alive(i) && i.index() % 3 == seed as usize % 3 {
                                    w.set_fate(i, to, razvilka_kernel::Origin::Intervention);
                                }
                            }
                        }
                    }
                    mortality::step_walking_everyone(&mut plain, &p.mortality, &streams);
                    mortality::step(&mut skipping, &p.mortality, &streams);
                    let living = skipping.ids().filter(|&i| skipping.is_alive(i));
                    set_aside += living
                        .filter(|i| skipping.mortality.can_die >> i.index() & 1 == 0)
                        .count();
                    next_month(&mut plain);
                    next_month(&mut skipping);
                }
                assert_eq!(
                    plain.log, skipping.log,
                    "annual {annual}, hardship {hardship}, slope {slope}, seed {seed}, from {year}-{month}"
                );
                deaths += count(&plain, |k| matches!(k, EventKind::Died { .. }));
            }
        }
    }
    // The comparison means something: many deaths, and most of the living set aside most months.
    assert!(deaths > 5_000, "{deaths} deaths");
    assert!(set_aside > 500_000, "{set_aside} person-months set aside");
}
