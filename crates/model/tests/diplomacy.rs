//! Diplomacy's own mechanisms on hand-built worlds: the European crisis, the Soviet choice, the
//! western war, the attack in the East and its surprise.

mod support;

use razvilka_kernel::Month;
use razvilka_model::{diplomacy, Params, World};
use razvilka_model::{Alignment, GermanRegime};
use support::{next_month, params, streams, world};

/// Steps diplomacy alone until the end of 1945.
fn run(world: &mut World, params: &Params, seed: u64) {
    let streams = streams(seed);
    while world.month <= Month::new(1945, 12) {
        diplomacy::step(world, &params.diplomacy, &streams);
        next_month(world);
    }
}

/// A world of January 1933 with `regime` in Germany since then, the Soviet choice forced if given.
fn germany_under(regime: GermanRegime, forced: Option<Alignment>) -> World {
    let mut w = world(1933, 1);
    w.germany.regime = regime;
    w.germany.regime_since = Some(Month::new(1933, 1));
    w.diplomacy.forced = forced;
    w
}

/// Germany's demands at a fixed pace and a West ready at a fixed month: no spread; the president
/// dead by January 1933, so a Nazi Germany has its free hand from the month it takes power.
fn fixed_demands() -> Params {
    let mut p = params();
    p.diplomacy.demand_sd = 0.0;
    p.diplomacy.west_ready_sd = 0.0;
    p.diplomacy.president_death = Month::new(1933, 1);
    p
}

/// A world in which the Nazis have ruled since `year`-`month`.
fn nazis_since(year: u32, month: u32) -> World {
    let mut w = world(year, month);
    w.germany.regime = GermanRegime::Nazi;
    w.germany.regime_since = Some(Month::new(year, month));
    w
}

#[test]
fn an_attack_needs_a_crisis() {
    let p = params();
    for seed in 0..50 {
        let mut republic = germany_under(GermanRegime::Weimar, Some(Alignment::Pact));
        run(&mut republic, &p, seed);
        assert_eq!(republic.diplomacy.crisis, None);
        assert_eq!(republic.diplomacy.attack, None, "seed {seed}");
        let mut nazi = germany_under(GermanRegime::Nazi, Some(Alignment::Pact));
        run(&mut nazi, &p, seed);
        let (crisis, attack) = (nazi.diplomacy.crisis, nazi.diplomacy.attack);
        assert!(
            crisis.is_some() && attack > crisis,
            "seed {seed}: {crisis:?} {attack:?}"
        );
    }
}

#[test]
fn the_crisis_is_the_first_demand_made_once_the_west_is_ready() {
    // Demands at 30, 40, 50, 60, ... months; the West ready at 45: the demands of 30 and 40 are
    // conceded, the one of 50 is refused.
    let mut p = fixed_demands();
    p.diplomacy.first_demand = 30.0;
    p.diplomacy.demand_gap = 10.0;
    p.diplomacy.west_ready = 45.0;
    let mut w = germany_under(GermanRegime::Nazi, None);
    run(&mut w, &p, 1);
    assert_eq!(w.diplomacy.crisis, Some(Month::new(1933, 1).offset(50)));
    // A West ready before the first demand refuses that one.
    p.diplomacy.west_ready = 10.0;
    let mut w = germany_under(GermanRegime::Nazi, None);
    run(&mut w, &p, 1);
    assert_eq!(w.diplomacy.crisis, Some(Month::new(1933, 1).offset(30)));
}

#[test]
fn faster_demands_bring_the_crisis_sooner() {
    // The same West, readiness at 60 months: demands every 20 months reach it at 70, every 5 at 60.
    let mut p = fixed_demands();
    p.diplomacy.first_demand = 30.0;
    p.diplomacy.west_ready = 60.0;
    let mut crisis = Vec::new();
    for gap in [20.0, 5.0] {
        p.diplomacy.demand_gap = gap;
        let mut w = germany_under(GermanRegime::Nazi, None);
        run(&mut w, &p, 1);
        crisis.push(
            w.diplomacy
                .crisis
                .expect("a crisis")
                .since(Month::new(1933, 1)),
        );
    }
    assert_eq!(crisis, vec![70, 60]);
}

#[test]
fn the_campaign_opens_on_dry_ground_with_enough_of_it_left() {
    // Three dry months: from August the first such run begins the next May; from June, June itself.
    for ((year, month), opens) in [
        ((1940, 8), (1941, 5)),
        ((1941, 6), (1941, 6)),
        ((1941, 1), (1941, 5)),
    ] {
        assert_eq!(
            diplomacy::campaign_start(Month::new(year, month), 3),
            Month::new(opens.0, opens.1)
        );
    }
    // Asking for five dry months leaves only May.
    assert_eq!(
        diplomacy::campaign_start(Month::new(1941, 6), 5),
        Month::new(1942, 5)
    );
}

#[test]
fn an_authoritarian_germany_brings_a_crisis_only_with_its_probability() {
    let mut p = params();
    p.diplomacy.authoritarian_months = 60.0;
    for (chance, crisis) in [(1.0, Some(Month::new(1938, 1))), (0.0, None)] {
        p.diplomacy.authoritarian_crisis = chance;
        let mut w = germany_under(GermanRegime::Authoritarian, None);
        run(&mut w, &p, 2);
        assert_eq!(w.diplomacy.crisis, crisis, "chance {chance}");
    }
}

#[test]
fn germany_attacks_in_the_campaigning_season() {
    let p = params();
    let mut attacks = 0;
    for seed in 0..200 {
        let mut w = germany_under(GermanRegime::Nazi, Some(Alignment::Pact));
        run(&mut w, &p, seed);
        if let Some(at) = w.diplomacy.attack {
            attacks += 1;
            assert!((5..=7).contains(&at.month_of_year()), "seed {seed}: {at}");
        }
    }
    assert_eq!(
        attacks, 200,
        "after a pact, every Nazi Germany turns east by 1945"
    );
}

#[test]
fn a_western_alliance_means_war_on_two_fronts_at_once_without_surprise() {
    let mut p = fixed_demands();
    p.diplomacy.deterrence = 0.0;
    let mut w = germany_under(GermanRegime::Nazi, Some(Alignment::WesternAlliance));
    run(&mut w, &p, 3);
    let crisis = w.diplomacy.crisis.expect("a Nazi crisis");
    assert_eq!(w.diplomacy.attack, Some(crisis.next()));
    assert!(w.diplomacy.two_fronts);
    assert_eq!(w.diplomacy.surprise, Some(false));
    // A certain deterrence: no war at all.
    p.diplomacy.deterrence = 1.0;
    let mut w = germany_under(GermanRegime::Nazi, Some(Alignment::WesternAlliance));
    run(&mut w, &p, 3);
    assert!(w.diplomacy.deterred);
    assert_eq!((w.diplomacy.west_war, w.diplomacy.attack), (None, None));
}

#[test]
fn the_soviet_choice_follows_the_utilities() {
    // The logit with one utility far above the others picks it.
    for (pact, west, chosen) in [
        (50.0, 0.0, Alignment::Pact),
        (0.0, 50.0, Alignment::WesternAlliance),
        (-50.0, -50.0, Alignment::Neutrality),
    ] {
        let mut p = params();
        p.diplomacy.pact_base = pact;
        p.diplomacy.pact_army = 0.0;
        p.diplomacy.pact_ruthless = 0.0;
        p.diplomacy.west_base = west;
        p.diplomacy.west_transit = 0.0;
        p.diplomacy.west_popular = 0.0;
        let mut w = germany_under(GermanRegime::Nazi, None);
        run(&mut w, &p, 4);
        assert_eq!(w.diplomacy.alignment, Some(chosen));
    }
}

#[test]
fn a_pact_makes_the_attack_a_surprise() {
    let mut p = params();
    p.diplomacy.surprise_base = -50.0;
    p.diplomacy.surprise_pact = 100.0;
    p.diplomacy.surprise_grip = 0.0;
    for (alignment, surprise) in [(Alignment::Pact, true), (Alignment::Neutrality, false)] {
        let mut w = germany_under(GermanRegime::Nazi, Some(alignment));
        run(&mut w, &p, 5);
        assert!(w.diplomacy.attack.is_some());
        assert_eq!(w.diplomacy.surprise, Some(surprise), "{alignment:?}");
    }
}

#[test]
fn a_france_that_stands_holds_germany_a_year_longer_and_in_the_west() {
    let mut p = fixed_demands();
    p.diplomacy.attack_sd = 0.0;
    let france = p.diplomacy.france_months.round() as i32;
    let mut attack = Vec::new();
    for falls in [1.0, 0.0] {
        p.diplomacy.france_falls = falls;
        let mut w = germany_under(GermanRegime::Nazi, Some(Alignment::Neutrality));
        run(&mut w, &p, 6);
        let west = w.diplomacy.west_war.expect("Germany fights the West");
        let fallen = w.diplomacy.france_fallen;
        assert_eq!(fallen, (falls == 1.0).then(|| west.offset(france)));
        assert_eq!(w.diplomacy.two_fronts, fallen.is_none());
        attack.push(w.diplomacy.attack.expect("an attack"));
    }
    assert!(attack[1].since(attack[0]) >= 12, "{attack:?}");
}

#[test]
fn a_nazi_germany_makes_its_demands_from_the_presidents_death() {
    // Demands every 10 months from 30 months after the free hand, the West ready at 45: the crisis
    // is the demand of 50 months. The president dies in August 1934: a Germany whose Nazis came
    // in January 1933 or in January 1934 has its free hand then, and meets the same crisis; one
    // whose Nazis come after his death has it at once.
    let mut p = fixed_demands();
    p.diplomacy.first_demand = 30.0;
    p.diplomacy.demand_gap = 10.0;
    p.diplomacy.west_ready = 45.0;
    p.diplomacy.president_death = Month::new(1934, 8);
    let crisis = |year: u32, month: u32| {
        let mut w = nazis_since(year, month);
        run(&mut w, &p, 1);
        w.diplomacy.crisis.expect("a crisis")
    };
    let after_death = Month::new(1934, 8).offset(50);
    assert_eq!(crisis(1933, 1), after_death);
    assert_eq!(crisis(1934, 1), after_death);
    assert_eq!(crisis(1936, 1), Month::new(1936, 1).offset(50));
    assert_eq!(
        diplomacy::free_hand(&p.diplomacy, Month::new(1933, 1)),
        Month::new(1934, 8)
    );
}

#[test]
fn the_presidents_death_is_read_as_the_month_of_its_decimal_year() {
    // The shipped value, 1934.59, is Hindenburg's death in August 1934.
    assert_eq!(params().diplomacy.president_death, Month::new(1934, 8));
}
