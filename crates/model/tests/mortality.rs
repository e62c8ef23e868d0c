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
