//! The war's own mechanisms on hand-built worlds: the army purge and a coup, the campaign's losses
//! and front, and how the war ends.

mod support;

use razvilka_kernel::Month;
use razvilka_model::WarOutcome;
use razvilka_model::{war, Params, World};
use support::{next_month, params, streams, world};

fn run(world: &mut World, params: &Params, seed: u64, months: u32) {
    let streams = streams(seed);
    for _ in 0..months {
        war::step(world, &params.war, &streams);
        next_month(world);
    }
}

/// No coup: the purge alone.
fn no_coup() -> Params {
    let mut p = params();
    p.war.coup_hazard = 0.0;
    p
}

/// A world at `year`-`month` under repression `r`, the war not begun.
/// A world whose terror reaches the army with intensity `a` (politics publishes it each month).
fn terror_on_army(year: u32, month: u32, a: f64) -> World {
    let mut w = world(year, month);
    w.politics.terror.army = a;
    w
}

/// A war under way since this month with the June 1941 armies, no surprise, no West.
fn at_war(year: u32, month: u32, p: &Params) -> World {
    let mut w = world(year, month);
    w.war.officers = p.war.officers;
    w.war.start = Some(w.month);
    w.war.soviet_field = p.war.soviet_troops;
    w.war.german_field = p.war.german_troops;
    w.diplomacy.surprise = Some(false);
    w
}

#[test]
fn the_army_purge_needs_the_terror_to_reach_the_army() {
    let p = no_coup();
    for (a, purged) in [(0.0, false), (0.1, true)] {
        let mut w = terror_on_army(1938, 1, a);
        run(&mut w, &p, 1, 6);
        assert_eq!(w.war.discharged > 0.0, purged, "the terror on the army {a}");
    }
}

#[test]
fn the_army_purge_comes_when_the_terror_does_not_on_a_date() {
    // No year is decreed: a terror that reaches the army in 1930 purges it in 1930.
    let p = no_coup();
    let mut w = terror_on_army(1930, 1, 0.5);
    run(&mut w, &p, 2, 1);
    assert!(w.war.discharged > 0.0, "January 1930");
    w.politics.terror.army = 0.0;
    let before = w.war.discharged;
    run(&mut w, &p, 2, 12);
    assert_eq!(w.war.discharged, before, "the terror gone, the purge stops");
}

#[test]
fn a_month_of_purge_discharges_its_rate_times_its_intensity() {
    let p = no_coup();
    let w0 = &p.war;
    let intensity = 0.4;
    let mut w = terror_on_army(1938, 3, intensity);
    run(&mut w, &p, 3, 1);
    let out = w0.officers * w0.purge_rate * intensity;
    assert!((w.war.discharged - out).abs() < 1e-9 * out);
    assert!((w.war.net_purged - out * (1.0 - w0.reinstated)).abs() < 1e-9 * out);
    assert!((w.war.purged_share() - out * (1.0 - w0.reinstated) / w0.officers).abs() < 1e-12);
}

#[test]
fn an_exempt_army_is_not_purged() {
    let p = no_coup();
    let mut w = terror_on_army(1938, 1, 1.0);
    w.war.purge_exempt = true;
    run(&mut w, &p, 4, 12);
    assert_eq!(w.war.discharged, 0.0);
}

#[test]
fn a_successful_coup_ends_the_army_purge_and_a_failed_one_does_not() {
    let mut p = params();
    p.war.coup_hazard = 1e6;
    for (success, exempt) in [(1.0, true), (0.0, false)] {
        p.war.coup_success = success;
        let mut w = terror_on_army(1938, 1, 1.0);
        run(&mut w, &p, 5, 1);
        assert_eq!(w.war.coup, Some((Month::new(1938, 1), exempt)));
        let after_coup = w.war.discharged;
        run(&mut w, &p, 5, 3);
        assert_eq!(w.war.purge_exempt, exempt);
        assert_eq!(w.war.discharged > after_coup, !exempt, "success {success}");
    }
}

#[test]
fn the_war_begins_only_on_the_month_germany_attacks() {
    let p = no_coup();
    let mut w = world(1941, 1);
    run(&mut w, &p, 6, 12);
    assert_eq!(w.war.start, None, "no attack, no war");
    let mut w = world(1941, 1);
    w.diplomacy.attack = Some(Month::new(1941, 6));
    run(&mut w, &p, 6, 12);
    assert_eq!(w.war.start, Some(Month::new(1941, 6)));
    assert!(w.war.soviet_dead > 0.0 && w.war.german_dead > 0.0);
}

#[test]
fn surprise_multiplies_the_soviet_losses() {
    let p = params();
    let losses = |surprise: bool| {
        let mut w = at_war(1941, 6, &p);
        w.diplomacy.surprise = Some(surprise);
        run(&mut w, &p, 7, 1);
        (w.war.soviet_dead, w.war.german_dead)
    };
    let (caught, ready) = (losses(true), losses(false));
    assert!(
        (caught.0 / ready.0 - p.war.surprise).abs() < 1e-9,
        "{caught:?} {ready:?}"
    );
    assert_eq!(caught.1, ready.1, "German losses do not depend on surprise");
}

#[test]
fn a_purged_army_loses_more_men() {
    // Lanchester's square law: Soviet losses scale with q_G / q_S, and the purge keeps
    // `1 − purge_quality · (1 − exp(−share / purge_scale))` of q_S.
    let p = params();
    let losses = |purged: f64| {
        let mut w = at_war(1941, 6, &p);
        w.war.net_purged = purged * w.war.officers;
        run(&mut w, &p, 8, 1);
        w.war.soviet_dead
    };
    let share = 0.3;
    let ratio = losses(share) / losses(0.0);
    let kept = 1.0 - p.war.purge_quality * (1.0 - (-share / p.war.purge_scale).exp());
    assert!(
        (ratio - 1.0 / kept).abs() < 1e-9,
        "{ratio} against {}",
        1.0 / kept
    );
}

#[test]
fn the_purge_harms_the_army_less_with_each_further_officer_and_never_wholly() {
    let p = params();
    let kept = |share: f64| war::purge_kept(&p.war, share);
    assert_eq!(kept(0.0), 1.0, "no purge, no harm");
    // The recorded purge (a net 24,437 of 142,427 officers) keeps 0.8 of the army's quality, the
    // middle of the 0.6-0.9 prior of ../shared/data/germany_war.md section 6.
    let recorded = kept(24_437.0 / 142_427.0);
    assert!((recorded - 0.8).abs() < 0.01, "{recorded}");
    // Graded: each further tenth of the corps costs less than the one before.
    let steps: Vec<f64> = (0..5)
        .map(|k| kept(0.1 * k as f64) - kept(0.1 * (k + 1) as f64))
        .collect();
    assert!(steps[0] > 0.0, "{steps:?}");
    assert!(steps.windows(2).all(|w| w[1] < w[0]), "{steps:?}");
    // Even the whole corps purged leaves an army of some quality.
    assert!(
        (kept(1.0) - (1.0 - p.war.purge_quality)).abs() < 0.01,
        "{}",
        kept(1.0)
    );
    assert!(kept(1.0) > 0.0);
}

#[test]
fn inside_the_defenders_edge_the_front_stands() {
    let mut p = params();
    p.war.defence = 1.2;
    let edge = 1.2f64.ln();
    // A side 10% stronger cannot break through an edge of 20%; one 50% stronger moves the front by
    // the part of its log ratio beyond the edge, either way.
    assert_eq!(war::push(&p.war, 1.1, 1.0), 0.0);
    assert_eq!(war::push(&p.war, 1.0, 1.1), 0.0);
    let german = war::push(&p.war, 1.5, 1.0);
    assert!((german - p.war.speed * (1.5f64.ln() - edge)).abs() < 1e-9);
    let soviet = war::push(&p.war, 1.0, 1.5);
    assert!((soviet + german).abs() < 1e-9, "{soviet} {german}");
    // Without an edge the front moves with the log ratio itself.
    p.war.defence = 1.0;
    assert!((war::push(&p.war, 1.5, 1.0) - p.war.speed * 1.5f64.ln()).abs() < 1e-9);
}

#[test]
fn mud_slows_the_front_and_winter_slows_only_the_germans() {
    let p = params();
    let advance = |month: u32, stronger_germans: bool| {
        let mut w = at_war(1941, month, &p);
        if !stronger_germans {
            w.war.soviet_field = 4.0 * p.war.german_troops;
        }
        run(&mut w, &p, 9, 1);
        w.war.depth
    };
    // A German advance from the border (no supply drag at depth 0).
    let (june, april, january) = (advance(6, true), advance(4, true), advance(1, true));
    assert!(june > 0.0);
    assert!((april / june - p.war.mud).abs() < 1e-9);
    assert!((january / june - p.war.winter).abs() < 1e-9);
    // A Soviet advance in January goes at full pace.
    let (june, january) = (advance(6, false), advance(1, false));
    assert!(june < 0.0);
    assert!((january - june).abs() < 1e-9);
}

#[test]
fn the_red_army_s_supply_thins_with_its_advance_from_the_deepest_german_line() {
    // The same Soviet superiority in the same summer month moves the front less the farther the
    // Red Army has come from the deepest German line: by exp(−advanced / supply_km).
    let p = params();
    let step = |max_depth: f64, depth: f64| {
        let mut w = at_war(1943, 7, &p);
        w.war.start = Some(Month::new(1941, 6));
        w.war.soviet_field = 4.0 * p.war.german_troops;
        w.war.max_depth = max_depth;
        w.war.depth = depth;
        run(&mut w, &p, 15, 1);
        w.war.depth - depth
    };
    // Both fronts west of the border, so that no industry is occupied and munitions are the same.
    let fresh = step(0.0, 0.0);
    let far = step(0.0, -600.0);
    assert!(fresh < 0.0, "{fresh}");
    let expected = (-600.0 / p.war.supply_km).exp();
    assert!(
        (far / fresh - expected).abs() < 1e-9,
        "{} against {expected}",
        far / fresh
    );
}

#[test]
fn the_red_army_in_berlin_wins_the_war() {
    // A Soviet side 50% stronger three years in pushes the front `war::push` km west in a summer
    // month, less its supply's thinning over the road from the border (the deepest German line of a
    // war fought west of it): from just short of Berlin that takes it in; from twice the unthinned
    // push away it does not.
    let p = params();
    let w0 = &p.war;
    let q_s = w0.q_max - (w0.q_max - w0.q_soviet) * (-36.0 / w0.learning).exp();
    let push = -war::push(w0, 1.0, 1.5);
    assert!(push > 0.0);
    let thinned_at_berlin = push * (-w0.berlin_km / w0.supply_km).exp();
    for (short_of_berlin, victory) in [(0.5 * thinned_at_berlin, true), (2.0 * push, false)] {
        let mut w = at_war(1944, 6, &p);
        w.war.start = Some(Month::new(1941, 6));
        w.war.soviet_field = 1.5 * w.war.german_field * w0.q_german / q_s;
        w.war.depth = -w0.berlin_km + short_of_berlin;
        run(&mut w, &p, 10, 1);
        let moved = push * (-(w0.berlin_km - short_of_berlin) / w0.supply_km).exp();
        assert!((w.war.depth - (-w0.berlin_km + short_of_berlin - moved)).abs() < 1e-6);
        let outcome = w.war.outcome.map(|(o, _)| o);
        assert_eq!(
            outcome == Some(WarOutcome::SovietVictory),
            victory,
            "{}",
            w.war.depth
        );
    }
}

#[test]
fn moscow_taken_risks_a_soviet_collapse() {
    let mut p = params();
    p.war.collapse_hazard = 1.0;
    for (depth, collapse) in [
        (p.war.economy.moscow_km + 100.0, true),
        (p.war.economy.moscow_km * 0.4, false),
    ] {
        let mut w = at_war(1942, 8, &p);
        w.war.depth = depth;
        w.war.max_depth = depth;
        run(&mut w, &p, 11, 1);
        let outcome = w.war.outcome.map(|(o, _)| o);
        assert_eq!(
            outcome == Some(WarOutcome::SovietCollapse),
            collapse,
            "{depth} km"
        );
    }
}

/// The German losses of one month of war (proportional to Soviet munitions) with the front at
/// `depth` km, in a war begun in June 1941, in `year`-`month`.
fn german_losses_at(p: &Params, depth: f64, year: u32, month: u32) -> f64 {
    let mut w = at_war(year, month, p);
    w.war.start = Some(Month::new(1941, 6));
    w.war.depth = depth;
    run(&mut w, p, 12, 1);
    w.war.german_dead
}

#[test]
fn occupied_industry_cuts_munitions_and_evacuated_plant_restores_them() {
    // Munitions (and so the German losses) scale with the share of industry the economy still works:
    // the occupied share lost, the evacuated share of it back from the war's second calendar year.
    let p = params();
    let shares = p.war.economy;
    let (free, held) = (
        german_losses_at(&p, 0.0, 1941, 9),
        german_losses_at(&p, 500.0, 1941, 9),
    );
    let occupied = shares.occupied(500.0);
    assert!(occupied > 0.1, "{occupied}");
    let expected = 1.0 - occupied;
    assert!(
        (held / free - expected).abs() < 1e-9,
        "{} against {expected}",
        held / free
    );
    // The same front a year on: the evacuated plant works again.
    let (free, held) = (
        german_losses_at(&p, 0.0, 1942, 9),
        german_losses_at(&p, 500.0, 1942, 9),
    );
    let back = shares.evacuation * (1.0 - shares.evacuation_loss);
    let expected = 1.0 - occupied * (1.0 - back);
    assert!(
        (held / free - expected).abs() < 1e-9,
        "{} against {expected}",
        held / free
    );
}

#[test]
fn lend_lease_flows_from_partnership_with_the_west_not_from_a_date() {
    use razvilka_model::Alignment;
    let p = params();
    let crisis = Month::new(1939, 8);
    let attack = Month::new(1941, 6);
    let at = |alignment: Alignment, west: bool, month: Month| {
        let mut w = world(month.year(), month.month_of_year());
        w.diplomacy.alignment = Some(alignment);
        w.diplomacy.crisis = Some(crisis);
        w.diplomacy.attack = Some(attack);
        w.diplomacy.west_war = west.then_some(crisis.next());
        war::lend_lease(&w.view(), &p.war)
    };
    let half = attack.offset((p.war.lend_lease_ramp / 2.0).round() as i32);
    let months = half.since(attack) as f64;
    let expected = p.war.lend_lease * months / p.war.lend_lease_ramp;
    // After a pact the flow grows from the attack; an ally's grew from the crisis and is full.
    assert!((at(Alignment::Pact, true, half) - expected).abs() < 1e-12);
    assert_eq!(at(Alignment::WesternAlliance, true, half), p.war.lend_lease);
    assert_eq!(
        at(Alignment::Pact, true, attack.offset(-1)),
        0.0,
        "before the attack"
    );
    // With the West at peace with Germany there is nothing.
    assert_eq!(at(Alignment::Pact, false, half), 0.0);
}

#[test]
fn the_second_front_opens_when_the_west_is_ready() {
    let mut p = params();
    p.war.second_front_sd = 0.0;
    let west = Month::new(1939, 9);
    let mut w = world(1939, 9);
    w.diplomacy.west_war = Some(west);
    run(&mut w, &p, 14, 1);
    let lag = p.war.second_front.round() as i32;
    assert_eq!(w.war.second_front, Some(west.offset(lag)));
    // A West at war a year later lands a year later.
    let mut w = world(1940, 9);
    w.diplomacy.west_war = Some(Month::new(1940, 9));
    run(&mut w, &p, 14, 1);
    assert_eq!(w.war.second_front, Some(west.offset(lag + 12)));
}

#[test]
fn the_landing_in_france_draws_the_german_army_west_not_only_its_reinforcements() {
    // The army in the East is the share of Germany's army the West does not hold: the month the West
    // lands, (1 − west_share_1944) / (1 − west_share) of it stays, and the reinforcements follow the
    // new share.
    let p = params();
    let w0 = &p.war;
    let landing = Month::new(1944, 6);
    let german_field_after = |lands: Month| {
        let mut w = at_war(1944, 6, &p);
        w.war.start = Some(Month::new(1941, 6));
        w.diplomacy.west_war = Some(Month::new(1939, 9));
        w.diplomacy.france_fallen = Some(Month::new(1940, 6));
        w.war.second_front = Some(lands);
        w.war.west_held = w0.west_share;
        run(&mut w, &p, 16, 1);
        (w.war.german_field, w.war.german_dead)
    };
    let (not_yet, dead_not_yet) = german_field_after(landing.next());
    let (landed, dead_landed) = german_field_after(landing);
    assert_eq!(
        dead_not_yet, dead_landed,
        "German losses follow the Soviet army"
    );
    let g = w0.german_troops;
    let expected_not_yet = g - dead_not_yet + w0.reinforcement * (1.0 - w0.west_share);
    let expected_landed = g * (1.0 - w0.west_share_1944) / (1.0 - w0.west_share) - dead_landed
        + w0.reinforcement * (1.0 - w0.west_share_1944);
    assert!(
        (not_yet - expected_not_yet).abs() < 1e-9,
        "{not_yet} against {expected_not_yet}"
    );
    assert!(
        (landed - expected_landed).abs() < 1e-9,
        "{landed} against {expected_landed}"
    );
    assert!(landed < not_yet - 0.1 * g, "{landed} {not_yet}");
}

#[test]
fn germany_s_replacements_fall_as_its_reserve_is_drawn() {
    // One month of war, no West: the army in the East gains `reinforcement` times the share of the
    // reserve not yet drawn, and that much more is booked as drawn.
    let p = params();
    let w0 = &p.war;
    let after_a_month = |drawn: f64| {
        let mut w = at_war(1942, 6, &p);
        w.war.german_reserve_drawn = drawn;
        run(&mut w, &p, 16, 1);
        (
            w.war.german_field + w.war.german_dead,
            w.war.german_reserve_drawn,
        )
    };
    let (fresh, drawn_fresh) = after_a_month(0.0);
    let (half, drawn_half) = after_a_month(w0.german_reserve / 2.0);
    let (spent, drawn_spent) = after_a_month(w0.german_reserve);
    let g = w0.german_troops;
    assert!((fresh - (g + w0.reinforcement)).abs() < 1e-9, "{fresh}");
    assert!((half - (g + w0.reinforcement / 2.0)).abs() < 1e-9, "{half}");
    assert!(
        (spent - g).abs() < 1e-9,
        "a drawn reserve sends no one: {spent}"
    );
    assert!((drawn_fresh - w0.reinforcement).abs() < 1e-9);
    assert!((drawn_half - w0.german_reserve / 2.0 - w0.reinforcement / 2.0).abs() < 1e-9);
    assert_eq!(drawn_spent, w0.german_reserve);
    // The West's share is taken first: a Germany holding a quarter of its army in the West sends a
    // quarter fewer men from the same reserve.
    let east = war::german_intake(w0, 0.25, 0.0);
    assert!((east - 0.75 * w0.reinforcement).abs() < 1e-12, "{east}");
}

#[test]
fn a_drained_reserve_wears_the_german_army_in_the_east_down_and_a_bottomless_one_does_not() {
    // Three years of war, the West holding a quarter of Germany's army, against a Red Army at its
    // cap: with the default reserve the army in the East is smaller in the third year than in the
    // first (its replacements fall below its losses, as the Ostheer's did from 1942) and the Red
    // Army reaches Berlin sooner; with a reserve that never drains it keeps growing.
    let years = |reserve: f64| {
        let mut p = params();
        p.war.german_reserve = reserve;
        let mut w = at_war(1941, 6, &p);
        w.diplomacy.west_war = Some(Month::new(1939, 9));
        w.diplomacy.france_fallen = Some(Month::new(1940, 6));
        w.war.second_front = Some(Month::new(1950, 1));
        w.war.west_held = p.war.west_share;
        w.war.soviet_field = p.war.field_cap;
        run(&mut w, &p, 16, 12);
        let first = w.war.german_field;
        run(&mut w, &p, 16, 24);
        let berlin = w.war.outcome.map(|(outcome, month)| {
            assert_eq!(outcome, WarOutcome::SovietVictory);
            month
        });
        (
            first,
            w.war.german_field,
            w.war.german_reserve_drawn,
            berlin,
        )
    };
    let p = params();
    let (first, third, drawn, berlin) = years(p.war.german_reserve);
    let (first_b, third_b, _, berlin_b) = years(1e9);
    assert!(
        drawn < p.war.german_reserve,
        "never more than the reserve: {drawn}"
    );
    assert!(
        third < first - 0.1,
        "the drained army shrinks: {first} then {third}"
    );
    assert!(
        third_b > first_b,
        "the bottomless army grows: {first_b} then {third_b}"
    );
    let berlin = berlin.expect("the drained army is beaten within three years");
    assert!(
        berlin_b.is_none_or(|b| berlin < b),
        "Berlin sooner against the drained army: {berlin:?} against {berlin_b:?}"
    );
}
