//! The economy's own mechanisms on hand-built worlds: procurement and its crises, collectivisation,
//! the herds, famine and investment, one December at a time.

mod support;

use razvilka_kernel::Month;
use razvilka_model::economy::{self, Year};
use razvilka_model::politics;
use razvilka_model::{EventKind, Policy};
use razvilka_model::{Params, World};
use support::{count, id, params, streams, world, world_of};

/// The 1926 census economy, set up as the model sets it in December 1926, now at December `year`
/// under `policy`.
fn economy_in(year: u32, policy: Policy, p: &Params) -> World {
    let mut w = world(1926, 12);
    economy::step(&mut w, &p.economy, &streams(0));
    assert!(w.economy.started && w.economy.years.is_empty());
    w.month = Month::new(year, 12);
    w.economy.policy = policy;
    w
}

/// One harvest year under `policy` at December `year`; returns the world and the year's accounts.
fn harvest(policy: Policy, p: &Params, seed: u64) -> (World, Year) {
    let mut w = economy_in(1928, policy, p);
    economy::step(&mut w, &p.economy, &streams(seed));
    let year = *w.economy.last().expect("a harvest year");
    (w, year)
}

/// Normal weather every year: the harvest is its mean.
fn steady_weather() -> Params {
    let mut p = params();
    p.economy.harvest_sd = 0.0;
    p
}

#[test]
fn a_procurement_crisis_follows_a_price_below_market() {
    // Peasants sell `market_share · grain · terms^ε`; the plan needs `procurement · grain` in a
    // normal year. Below the terms where the two meet (less the tolerance) the state's grain falls
    // short; at the market price (terms 1) under the NEP it does not.
    let mut p = steady_weather();
    let e = &p.economy;
    let nep = e.regimes[Policy::Nep.index()];
    let critical = (nep.procurement * (1.0 - e.crisis_tolerance) / e.market_share)
        .powf(1.0 / e.price_elasticity);
    assert!(critical < 1.0, "the market price meets the plan");
    for (terms, crisis) in [
        (1.0, false),
        (1.05 * critical, false),
        (0.95 * critical, true),
    ] {
        p.economy.regimes[Policy::Nep.index()].terms = terms;
        let (w, year) = harvest(Policy::Nep, &p, 1);
        assert_eq!(year.crisis, crisis, "terms {terms}");
        assert_eq!(
            count(&w, |k| matches!(k, EventKind::ProcurementCrisis { .. })),
            crisis as usize
        );
    }
}

#[test]
fn collectivisation_holds_its_quota_but_for_the_campaigns_revision_and_has_no_crisis() {
    // The quota is set on the normal harvest; a failed harvest cuts it by `plan_revision` of the
    // fall (`1 − ρ (1 − W)`), a good one leaves it where it was.
    let mut p = params();
    p.economy.harvest_sd = 0.4;
    // The quota as set, without the villages' resistance (the collection limit has its own test).
    p.economy.collection_resistance = 0.0;
    let e = &p.economy;
    let quota = e.regimes[Policy::Collectivization.index()].procurement;
    let mut short = 0;
    for seed in 0..100 {
        let (_, year) = harvest(Policy::Collectivization, &p, seed);
        let planned = quota * year.grain / year.weather;
        let revised = planned * (1.0 - e.plan_revision * (1.0 - year.weather).max(0.0));
        let expected = revised.min(year.grain * (1.0 - e.seed_share));
        assert!((year.procurement - expected).abs() < 1e-9, "seed {seed}");
        assert!(!year.crisis);
        short += (year.weather < 1.0) as u32;
    }
    assert!(
        short > 0,
        "some harvests fail, and the quota is cut only by the revision"
    );
}

#[test]
fn the_memory_of_crises_halves_each_year_and_grows_by_one_at_a_crisis() {
    let mut p = steady_weather();
    for (terms, memory) in [(1.0, 0.3), (0.1, 1.3)] {
        p.economy.regimes[Policy::Nep.index()].terms = terms;
        let mut w = economy_in(1928, Policy::Nep, &p);
        w.economy.crisis_memory = 0.6;
        economy::step(&mut w, &p.economy, &streams(2));
        assert!(
            (w.economy.crisis_memory - memory).abs() < 1e-12,
            "terms {terms}"
        );
    }
}

#[test]
fn collectivisation_slaughters_the_herds_and_they_recover_once_it_is_over() {
    let p = steady_weather();
    let e = &p.economy;
    let moved = e.regimes[Policy::Collectivization.index()].collectivization;
    assert!(moved >= e.rebuilding_threshold);
    let (w, _) = harvest(Policy::Collectivization, &p, 3);
    assert!((w.economy.livestock - (1.0 - e.slaughter * moved)).abs() < 1e-12);
    assert!((w.economy.collectivized - moved).abs() < 1e-12);
    // Under the NEP no one is moved and a depleted herd is rebuilt.
    let mut w = economy_in(1934, Policy::Nep, &p);
    w.economy.livestock = 0.5;
    economy::step(&mut w, &p.economy, &streams(3));
    assert!((w.economy.livestock - (0.5 + e.livestock_recovery * 0.5)).abs() < 1e-12);
}

#[test]
fn famine_follows_the_grain_taken_from_the_villages() {
    // Deaths are `lethality · (shortfall − buffer) · rural`: the shortfall of what procurement and
    // seed leave the villages, with their stores, against their need, beyond what the herds and
    // potatoes make up. A plan that takes most of the harvest starves them; the NEP's sales do not.
    let mut p = steady_weather();
    p.economy.regimes[Policy::Collectivization.index()].procurement = 0.8;
    for (policy, famine) in [(Policy::Collectivization, true), (Policy::Nep, false)] {
        let mut w = economy_in(1928, policy, &p);
        let rural = w.economy.population - w.economy.urban_population;
        let stock = w.economy.village_stock;
        economy::step(&mut w, &p.economy, &streams(4));
        let year = *w.economy.last().unwrap();
        let e = &p.economy;
        let left = year.grain * (1.0 - e.seed_share) - year.procurement + stock;
        let shortfall = (1.0 - left / (rural * e.grain_need)).clamp(0.0, 1.0);
        // The buffer is read after this year's slaughter, before the famine's own losses.
        let moved = e.regimes[policy.index()].collectivization;
        let herds = 1.0 - e.slaughter * moved;
        let hunger = (shortfall - e.famine_buffer * herds).max(0.0);
        assert!((year.famine_deaths - e.lethality * hunger * rural).abs() < 1e-9);
        assert_eq!(year.famine_deaths > 0.0, famine, "{policy:?}: {year:?}");
        assert_eq!(
            count(&w, |k| matches!(k, EventKind::Famine { .. })),
            famine as usize
        );
        if famine {
            // The famine eats the draft animals and the state remembers it.
            assert!(
                (w.economy.livestock - herds * (1.0 - e.famine_livestock * hunger)).abs() < 1e-12
            );
            assert!((w.economy.famine_memory - 1.0).abs() < 1e-12);
            assert_eq!(w.economy.village_stock, 0.0);
        }
    }
}

#[test]
fn the_villages_stores_carry_them_through_the_first_bad_year_only() {
    // A quota that leaves the villages a little short is met from the stores of the NEP the first
    // year; with the stores gone the same quota starves them the next.
    let mut p = steady_weather();
    p.economy.regimes[Policy::Collectivization.index()].procurement = 0.5;
    p.economy.regimes[Policy::Collectivization.index()].collectivization = 0.0;
    let mut w = economy_in(1928, Policy::Collectivization, &p);
    assert!(w.economy.village_stock > 0.0);
    economy::step(&mut w, &p.economy, &streams(6));
    let first = *w.economy.last().unwrap();
    w.month = Month::new(1929, 12);
    economy::step(&mut w, &p.economy, &streams(6));
    let second = *w.economy.last().unwrap();
    assert_eq!(first.famine_deaths, 0.0, "{first:?}");
    assert!(second.famine_deaths > 0.1, "{second:?}");
    // Without the stores the first year would already have starved.
    let mut bare = economy_in(1928, Policy::Collectivization, &p);
    bare.economy.village_stock = 0.0;
    economy::step(&mut bare, &p.economy, &streams(6));
    assert!(bare.economy.last().unwrap().famine_deaths > 0.0);
}

#[test]
fn cheaper_grain_abroad_raises_the_plan_and_a_famine_eases_the_next() {
    // The plan exports grain for machinery: when wheat falls against steel the same imports need
    // more grain, so the quota rises; after a famine the state forgoes `famine_relief` of it.
    let mut p = steady_weather();
    p.economy.collection_resistance = 0.0;
    let quota = |prices: Vec<(u32, f64)>, memory: f64| {
        let mut p = p.clone();
        p.economy.wheat_over_steel = prices;
        let mut w = economy_in(1928, Policy::Collectivization, &p);
        w.economy.famine_memory = memory;
        economy::step(&mut w, &p.economy, &streams(5));
        w.economy.last().unwrap().procurement
    };
    let dear = quota(vec![(1900, 1.0)], 0.0);
    let cheap = quota(vec![(1900, 0.5)], 0.0);
    let e = &p.economy;
    assert!(cheap > dear * 1.05, "{cheap} vs {dear}");
    let export =
        |price: f64| 1.0 - e.export_share + e.export_share / price.powf(e.price_pass_through);
    assert!((cheap / dear - export(0.5) / export(1.0)).abs() < 1e-9);
    let eased = quota(vec![(1900, 1.0)], 1.0);
    assert!((eased / dear - (1.0 - e.famine_relief)).abs() < 1e-9);
}

#[test]
fn investment_builds_industrial_capital() {
    let p = steady_weather();
    let capital = |policy: Policy| {
        let (w, year) = harvest(policy, &p, 5);
        let e = &p.economy;
        let k0 = e.capital_output_industry * (1.0 - e.omega);
        let r = e.regimes[policy.index()];
        let expected = (1.0 - e.depreciation) * k0 + r.industry_share * r.investment * year.gdp;
        assert!(
            (w.economy.capital_industry - expected).abs() < 1e-12,
            "{policy:?}"
        );
        w.economy.capital_industry
    };
    assert!(capital(Policy::SuperIndustrialization) > capital(Policy::Nep));
}

#[test]
fn the_economy_runs_once_a_year_in_december_from_its_first_harvest() {
    let p = params();
    let s = streams(6);
    let mut w = world(1925, 12);
    economy::step(&mut w, &p.economy, &s);
    assert!(
        !w.economy.started,
        "December 1925 is before the census economy"
    );
    let mut w = economy_in(1928, Policy::Nep, &p);
    for month in 1..=11 {
        w.month = Month::new(1928, month);
        economy::step(&mut w, &p.economy, &s);
    }
    assert!(
        w.economy.years.is_empty(),
        "no harvest year before December"
    );
    w.month = Month::new(1928, 12);
    economy::step(&mut w, &p.economy, &s);
    assert_eq!(
        w.economy.years.iter().map(|y| y.year).collect::<Vec<_>>(),
        [1928]
    );
}

#[test]
fn a_replayed_crisis_is_booked_but_not_told() {
    // In replay the accounts run (the economy is slow dynamics) but the model emits no event.
    let mut p = steady_weather();
    p.economy.regimes[Policy::Nep.index()].terms = 0.1;
    let mut w = economy_in(1928, Policy::Nep, &p);
    w.free = false;
    economy::step(&mut w, &p.economy, &streams(7));
    assert!(w.economy.last().unwrap().crisis);
    assert!(w.log.is_empty());
}

#[test]
fn the_front_decides_the_occupied_share_and_the_war_takes_output_labour_and_lives() {
    // At war from June 1941, the front 500 km deep at December 1942: half of Moscow's depth, so half
    // of `occupied_at_moscow` is occupied; the army takes `war_mobilisation` of labour all year.
    let p = steady_weather();
    let e = &p.economy;
    let at_peace = {
        let mut w = economy_in(1942, Policy::Collectivization, &p);
        economy::step(&mut w, &p.economy, &streams(8));
        *w.economy.last().unwrap()
    };
    let mut w = economy_in(1942, Policy::Collectivization, &p);
    w.war.start = Some(Month::new(1941, 6));
    w.war.depth = e.war.moscow_km / 2.0;
    let population = w.economy.population;
    let war = economy::war_year(&w.war, 1942, e);
    assert_eq!(war.fraction, 1.0);
    assert!((war.occupied - e.war.occupied_at_moscow / 2.0).abs() < 1e-12);
    let labour = 1.0 - e.war.mobilisation;
    let evacuated = e.war.evacuation * (1.0 - e.war.evacuation_loss);
    assert!(
        (war.industry - (1.0 - war.occupied * (1.0 - evacuated)) * labour.powf(1.0 - e.alpha))
            .abs()
            < 1e-12
    );
    assert!(
        (war.agriculture - (1.0 - war.occupied) * labour.powf(e.farm_labour_elasticity)).abs()
            < 1e-12
    );
    economy::step(&mut w, &p.economy, &streams(8));
    let at_war = *w.economy.last().unwrap();
    assert!((at_war.industry - at_peace.industry * war.industry).abs() < 1e-9);
    assert!((at_war.grain - at_peace.grain * war.agriculture).abs() < 1e-9);
    assert!(
        at_war.gdp < 0.85 * at_peace.gdp,
        "{at_war:?} vs {at_peace:?}"
    );
    assert!(at_war.consumption_per_head < at_peace.consumption_per_head);
    assert!((at_war.occupied - war.occupied).abs() < 1e-12);
    let civilians = e.occupation_mortality * war.occupied * population;
    assert!((at_war.civilian_war_deaths - civilians).abs() < 1e-9);
    assert!(at_war.civilian_war_deaths > 1.0);
    assert_eq!(at_peace.civilian_war_deaths, 0.0);
    assert_eq!(at_peace.occupied, 0.0);
}

#[test]
fn the_war_counts_only_its_months_and_a_front_beyond_the_border_occupies_nothing() {
    let p = steady_weather();
    let e = &p.economy;
    // Begun in June: seven months of 1941 at war, and no evacuated plant working yet.
    let mut w = economy_in(1941, Policy::Nep, &p);
    w.war.start = Some(Month::new(1941, 6));
    w.war.depth = e.war.moscow_km;
    let war = economy::war_year(&w.war, 1941, e);
    assert!((war.fraction - 7.0 / 12.0).abs() < 1e-12);
    let labour = 1.0 - e.war.mobilisation * 7.0 / 12.0;
    assert!(
        (war.industry - (1.0 - e.war.occupied_at_moscow) * labour.powf(1.0 - e.alpha)).abs()
            < 1e-12
    );
    // Ended in a victory in May 1945, the front in Germany: five months at war, nothing occupied.
    w.war.depth = -700.0;
    w.war.outcome = Some((
        razvilka_model::WarOutcome::SovietVictory,
        Month::new(1945, 5),
    ));
    let war = economy::war_year(&w.war, 1945, e);
    assert!((war.fraction - 5.0 / 12.0).abs() < 1e-12);
    assert_eq!(war.occupied, 0.0);
    // A year after the war: no war at all in the accounts.
    let war = economy::war_year(&w.war, 1946, e);
    assert_eq!(war.fraction, 0.0);
}

#[test]
fn a_remembered_crisis_pushes_the_leadership_into_collectivisation() {
    // Stalin leads alone: his coercion, raised by `crisis_coercion` per remembered crisis, against
    // `policy_coercion`; his pace passes the plan's.
    let p = params();
    let q = &p.economy.decision;
    let mut probe = world_of(1928, 12, &["stalin"]);
    let stalin = id(&probe, "stalin");
    let [pace, agrarian, _] = probe.people.get(stalin).ideology;
    assert!(
        pace >= q.policy_pace_plan && pace < q.policy_pace_super && agrarian < q.policy_coercion
    );
    let needed = (q.policy_coercion - agrarian) / q.crisis_coercion;
    probe.person_mut(stalin).cadre = 1.0;
    probe.politics.last_meeting = Some(probe.month);
    for (memory, from, to) in [
        (1.1 * needed, Policy::Nep, Policy::Collectivization),
        (0.9 * needed, Policy::Nep, Policy::ModeratePlan),
        // Once begun, collectivisation is left only well below the threshold (hysteresis).
        (0.0, Policy::Collectivization, Policy::Collectivization),
    ] {
        let mut w = probe.clone();
        w.economy.crisis_memory = memory;
        w.economy.policy = from;
        // Politics publishes who leads; the economy decides.
        politics::step(&mut w, &p.politics, &streams(9));
        assert_eq!(
            w.economy.policy, from,
            "politics alone does not change the policy"
        );
        let (e, view, mut log) = w.split_economy();
        economy::decide(e, &view, &mut log, q);
        assert_eq!(w.economy.policy, to, "memory {memory} from {from:?}");
    }
}

#[test]
fn the_years_harvest_is_procured_under_the_policy_in_force_and_a_turn_starts_next_year() {
    // Stalin leads alone and remembers enough crises to turn to collectivisation this December:
    // the harvest already gathered is still the NEP's (no one is driven into a collective farm in
    // its accounts); the drive begins with the next year's.
    let p = params();
    let q = &p.economy.decision;
    let mut w = world_of(1926, 12, &["stalin"]);
    let stalin = id(&w, "stalin");
    let [_, agrarian, _] = w.people.get(stalin).ideology;
    w.person_mut(stalin).cadre = 1.0;
    economy::step(&mut w, &p.economy, &streams(11));
    assert!(w.economy.started);
    w.month = Month::new(1928, 12);
    w.politics.last_meeting = Some(w.month);
    w.economy.policy = Policy::Nep;
    w.economy.crisis_memory = 1.1 * (q.policy_coercion - agrarian) / q.crisis_coercion;
    politics::step(&mut w, &p.politics, &streams(11));
    economy::step(&mut w, &p.economy, &streams(11));
    assert_eq!(w.economy.policy, Policy::Collectivization);
    let turn = *w.economy.last().unwrap();
    assert_eq!(turn.year, 1928);
    assert_eq!(turn.collectivized, 0.0, "{turn:?}");
    w.month = Month::new(1929, 12);
    economy::step(&mut w, &p.economy, &streams(11));
    let first = *w.economy.last().unwrap();
    let moved = p.economy.regimes[Policy::Collectivization.index()].collectivization;
    assert!((first.collectivized - moved).abs() < 1e-12, "{first:?}");
}

#[test]
fn the_plan_does_not_see_what_collectivisation_cost_the_fields() {
    // With the farms in disorder and the herds thinned, a blind plan sets the quota on the harvest
    // without those losses: `1 / ((1 − D) · H^η)^κ` times the quota a seeing plan would set.
    let mut p = steady_weather();
    // A small quota, so that neither plan runs into the cap of the grain beyond seed.
    p.economy.regimes[Policy::Collectivization.index()].procurement = 0.15;
    // The quota as set: without the villages' resistance, which is not proportional to the quota
    // once part of it falls within their surplus (the collection limit has its own test).
    p.economy.collection_resistance = 0.0;
    let quota = |blindness: f64| {
        let mut p = p.clone();
        p.economy.plan_blindness = blindness;
        let mut w = economy_in(1928, Policy::Collectivization, &p);
        w.economy.disorder = 0.2;
        w.economy.livestock = 0.6;
        economy::step(&mut w, &p.economy, &streams(12));
        w.economy.last().unwrap().procurement
    };
    let losses = 0.8 * 0.6f64.powf(p.economy.eta);
    let seeing = quota(0.0);
    assert!((quota(1.0) / seeing - 1.0 / losses).abs() < 1e-9);
    assert!((quota(0.5) / seeing - 1.0 / losses.sqrt()).abs() < 1e-9);
    assert!(quota(1.0) > seeing * 1.2);
}

#[test]
fn the_villages_do_not_store_grain_again_while_the_drive_is_on() {
    // A generous harvest (no quota) leaves grain beyond the villages' need. While households are
    // still being driven into the collective farms the stores stay where they were; once the drive
    // is over they fill again, up to `village_stocks` of a year's need.
    let mut p = steady_weather();
    let c = Policy::Collectivization.index();
    p.economy.regimes[c].procurement = 0.0;
    let stock_after = |collectivization: f64| {
        let mut p = p.clone();
        p.economy.regimes[c].collectivization = collectivization;
        let mut w = economy_in(1928, Policy::Collectivization, &p);
        w.economy.village_stock = 1.0;
        economy::step(&mut w, &p.economy, &streams(13));
        w.economy.village_stock
    };
    let e = &p.economy;
    assert!(e.regimes[c].collectivization >= e.rebuilding_threshold);
    assert_eq!(stock_after(e.regimes[c].collectivization), 1.0);
    assert!(stock_after(0.0) > 2.0, "{}", stock_after(0.0));
}

#[test]
fn a_famine_in_the_millions_teaches_the_state_to_spare_a_bad_harvest() {
    // Before a famine the quota is set on the normal harvest; after `lesson_deaths` of famine
    // deaths it moves `famine_lesson` of the way to the harvest the state sees: a bad year's
    // quota is lower by `famine_lesson · (1 − W)`, half that after half the deaths.
    let mut p = params();
    p.economy.harvest_sd = 0.3;
    p.economy.plan_blindness = 0.0;
    // The lesson alone, without the campaign's own revision (tested below).
    p.economy.plan_revision = 0.0;
    p.economy.regimes[Policy::Collectivization.index()].procurement = 0.15;
    let e = &p.economy;
    let year = |dead: f64, seed: u64| {
        let mut w = economy_in(1928, Policy::Collectivization, &p);
        w.economy.famine_dead = dead;
        economy::step(&mut w, &p.economy, &streams(seed));
        *w.economy.last().unwrap()
    };
    let seed = (0..100)
        .find(|&s| year(0.0, s).weather < 0.8)
        .expect("a bad harvest among a hundred");
    let naive = year(0.0, seed);
    let taught = year(e.lesson_deaths, seed);
    let half = year(e.lesson_deaths / 2.0, seed);
    let w = naive.weather;
    assert!(
        (taught.procurement / naive.procurement - (1.0 - e.famine_lesson * (1.0 - w))).abs() < 1e-9
    );
    assert!(
        (half.procurement / naive.procurement - (1.0 - 0.5 * e.famine_lesson * (1.0 - w))).abs()
            < 1e-9
    );
    assert!(taught.procurement < 0.9 * naive.procurement);
}

#[test]
fn a_state_taught_by_famine_sets_the_quota_on_the_fields_as_they_are() {
    // A blind plan sets the quota on the harvest without collectivisation's losses,
    // `1 / ((1 − D) · H^η)^κ` times a seeing plan's. After a famine of `lesson_deaths` the
    // blindness is `κ · (1 − lesson_sight)`; a state with no lesson (`lesson_sight` 0) stays blind.
    let mut p = steady_weather();
    p.economy.regimes[Policy::Collectivization.index()].procurement = 0.15;
    // The quota as set, without the villages' resistance (as above).
    p.economy.collection_resistance = 0.0;
    let quota = |p: &Params, dead: f64| {
        let mut w = economy_in(1928, Policy::Collectivization, p);
        w.economy.disorder = 0.2;
        w.economy.livestock = 0.6;
        w.economy.famine_dead = dead;
        economy::step(&mut w, &p.economy, &streams(14));
        w.economy.last().unwrap().procurement
    };
    let e = p.economy.clone();
    assert!(e.plan_blindness > 0.5 && e.lesson_sight > 0.0);
    let losses = 0.8 * 0.6f64.powf(e.eta);
    let naive = quota(&p, 0.0);
    let taught = quota(&p, e.lesson_deaths);
    let expected = losses.powf(e.plan_blindness * e.lesson_sight);
    assert!(
        (taught / naive - expected).abs() < 1e-9,
        "{taught} / {naive}"
    );
    assert!(taught < 0.95 * naive);
    p.economy.lesson_sight = 0.0;
    assert!((quota(&p, e.lesson_deaths) - naive).abs() < 1e-9);
}

#[test]
fn a_taught_state_hands_back_part_of_what_the_villages_lack() {
    // A quota that starves the villages: a state that has not lived through a famine keeps all
    // it took; one taught by `lesson_deaths` hands back `famine_loans` of the villages' gap
    // (their need beyond the buffer, less what they have), and fewer die.
    let mut p = steady_weather();
    p.economy.regimes[Policy::Collectivization.index()].procurement = 0.8;
    let e = p.economy.clone();
    let year = |dead: f64| {
        let mut w = economy_in(1928, Policy::Collectivization, &p);
        w.economy.famine_dead = dead;
        let rural = w.economy.population - w.economy.urban_population;
        let stock = w.economy.village_stock;
        economy::step(&mut w, &p.economy, &streams(15));
        (*w.economy.last().unwrap(), rural, stock)
    };
    let (naive, rural, stock) = year(0.0);
    let (taught, _, _) = year(e.lesson_deaths);
    assert_eq!(naive.grain, taught.grain);
    let moved = e.regimes[Policy::Collectivization.index()].collectivization;
    let buffer = e.famine_buffer * (1.0 - e.slaughter * moved);
    let need = rural * e.grain_need;
    let left = naive.grain * (1.0 - e.seed_share) - naive.procurement + stock;
    let gap = need * (1.0 - buffer) - left;
    assert!(gap > 0.0, "the villages go hungry: {naive:?}");
    let loans = e.famine_loans * gap;
    assert!((naive.procurement - taught.procurement - loans).abs() < 1e-9);
    let hunger = |available: f64| ((1.0 - available / need) - buffer).max(0.0);
    assert!((naive.famine_deaths - e.lethality * hunger(left) * rural).abs() < 1e-9);
    assert!((taught.famine_deaths - e.lethality * hunger(left + loans) * rural).abs() < 1e-9);
    assert!(taught.famine_deaths < naive.famine_deaths * 0.9);
}

#[test]
fn machines_plough_where_the_lost_horses_did_on_collective_farms_as_industry_grows() {
    // Draft power is the herds plus `mechanised` of the gap below 1926; herds above 1926 need no
    // machines.
    assert!((economy::draft_power(0.6, 0.5) - 0.8).abs() < 1e-12);
    assert_eq!(economy::draft_power(0.6, 0.0), 0.6);
    assert_eq!(economy::draft_power(1.2, 0.5), 1.2);
    // The machines come to the collective farms in proportion to the share collectivised and to
    // industry's growth beyond 1926.
    let p = steady_weather();
    let e = &p.economy;
    let mut w = economy_in(1928, Policy::Collectivization, &p);
    w.economy.collectivized = 0.5;
    w.economy.tfp_industry = 2.0;
    economy::step(&mut w, &p.economy, &streams(16));
    let year = *w.economy.last().unwrap();
    assert!(year.industry > 1.5, "{year:?}");
    let expected = e.mechanisation * w.economy.collectivized * (year.industry - 1.0);
    assert!((w.economy.mechanised - expected).abs() < 1e-12);
    assert!(w.economy.mechanised > 0.05);
    // Individual farms get none, however fast industry grows.
    let mut nep = economy_in(1928, Policy::Nep, &p);
    nep.economy.tfp_industry = 2.0;
    economy::step(&mut nep, &p.economy, &streams(16));
    assert_eq!(nep.economy.mechanised, 0.0);
    // With half the lost draft power replaced, the harvest of thinned herds is larger by
    // `(0.8 / 0.6)^η`.
    let grain = |mechanised: f64| {
        let mut w = economy_in(1928, Policy::Nep, &p);
        w.economy.livestock = 0.6;
        w.economy.mechanised = mechanised;
        economy::step(&mut w, &p.economy, &streams(16));
        w.economy.last().unwrap().grain
    };
    assert!((grain(0.5) / grain(0.0) - (0.8f64 / 0.6).powf(e.eta)).abs() < 1e-9);
}

#[test]
fn the_collectors_take_the_villages_surplus_whole_and_only_part_of_what_they_need() {
    // `collection`: the grain beyond the villages' need is collected as the quota asks; of each
    // tonne the quota presses into their need the villages keep back `resistance`; never more than
    // the grain there is.
    assert_eq!(economy::collection(15.0, 60.0, 40.0, 0.5), 15.0);
    assert!((economy::collection(30.0, 60.0, 40.0, 0.5) - 25.0).abs() < 1e-12);
    assert!((economy::collection(30.0, 60.0, 40.0, 0.2) - 28.0).abs() < 1e-12);
    assert_eq!(economy::collection(30.0, 60.0, 40.0, 0.0), 30.0);
    assert_eq!(economy::collection(80.0, 60.0, 40.0, 0.0), 60.0);
    // With no surplus at all every tonne is fought over.
    assert!((economy::collection(30.0, 30.0, 40.0, 0.5) - 15.0).abs() < 1e-12);

    // On a hand-built world: a quota that cuts deep into the villages' need collects less than it
    // asks, by `collection_resistance` of the part beyond their surplus, and the grain kept back
    // saves lives; a quota within the surplus is collected whole.
    let base = steady_weather();
    let year = |procurement: f64, resistance: f64| {
        let mut p = base.clone();
        p.economy.regimes[Policy::Collectivization.index()].procurement = procurement;
        p.economy.collection_resistance = resistance;
        let mut w = economy_in(1928, Policy::Collectivization, &p);
        let rural = w.economy.population - w.economy.urban_population;
        economy::step(&mut w, &p.economy, &streams(17));
        (*w.economy.last().unwrap(), rural)
    };
    let e = &base.economy;
    assert!(e.collection_resistance > 0.0);
    let (whole, rural) = year(0.6, 0.0);
    let (limited, _) = year(0.6, e.collection_resistance);
    assert_eq!(whole.grain, limited.grain);
    let beyond_seed = whole.grain * (1.0 - e.seed_share);
    let need = rural * e.grain_need;
    let surplus = beyond_seed - need;
    assert!(
        surplus > 0.0 && whole.procurement > surplus + 5.0,
        "{whole:?}"
    );
    let expected = surplus + (1.0 - e.collection_resistance) * (whole.procurement - surplus);
    assert!(
        (limited.procurement - expected).abs() < 1e-9,
        "{} vs {expected}",
        limited.procurement
    );
    assert!(limited.procurement < whole.procurement - 2.0);
    assert!(limited.famine_deaths < whole.famine_deaths, "{limited:?}");
    let (small, _) = year(0.15, e.collection_resistance);
    let (small_whole, _) = year(0.15, 0.0);
    assert!(small.procurement < surplus);
    assert_eq!(small.procurement, small_whole.procurement);
}

#[test]
fn collective_farmers_withdraw_from_work_after_the_state_took_their_bread_until_it_learns() {
    // w = rate · c · x · (1 − L): on the collectivised share c, per unit of the villages' need the
    // state took the year before (x), ended by the lesson of a famine (L).
    assert!((economy::work_withdrawal(1.0, 0.5, 0.4, 0.0) - 0.2).abs() < 1e-12);
    assert!((economy::work_withdrawal(1.0, 0.5, 0.4, 0.5) - 0.1).abs() < 1e-12);
    assert_eq!(economy::work_withdrawal(1.0, 0.0, 0.4, 0.0), 0.0);
    assert_eq!(economy::work_withdrawal(1.0, 0.5, 0.4, 1.0), 0.0);
    assert_eq!(economy::work_withdrawal(9.0, 1.0, 1.0, 0.0), 1.0);

    let mut p = steady_weather();
    p.economy.work_withdrawal = 1.0;
    let grain = |taken: f64, famine_dead: f64| {
        // Under the NEP (no procurement pressure this year, no one moved), half the households
        // already in collective farms.
        let mut w = economy_in(1928, Policy::Nep, &p);
        w.economy.collectivized = 0.5;
        w.economy.taken_from_need = taken;
        w.economy.famine_dead = famine_dead;
        economy::step(&mut w, &p.economy, &streams(21));
        w.economy.last().unwrap().grain
    };
    let full = grain(0.0, 0.0);
    assert!((grain(0.4, 0.0) / full - 0.8).abs() < 1e-9);
    // A state taught by a famine of `lesson_deaths` has fixed its norms: the farmers work again.
    assert!((grain(0.4, p.economy.lesson_deaths) / full - 1.0).abs() < 1e-12);
    assert!((grain(0.4, p.economy.lesson_deaths / 2.0) / full - 0.9).abs() < 1e-9);
}

#[test]
fn the_villages_remember_what_forced_procurement_took_of_their_need() {
    // A heavy quota with no resistance and no stores: the state takes part of the villages' need,
    // and the share it took (net of loans, none before a famine) is remembered for next year.
    let mut p = steady_weather();
    p.economy.collection_resistance = 0.0;
    p.economy.regimes[Policy::Collectivization.index()].procurement = 0.6;
    let e = &p.economy;
    let mut w = economy_in(1928, Policy::Collectivization, &p);
    w.economy.village_stock = 0.0;
    let need = (w.economy.population - w.economy.urban_population) * e.grain_need;
    economy::step(&mut w, &p.economy, &streams(22));
    let year = *w.economy.last().unwrap();
    let surplus = (year.grain * (1.0 - e.seed_share) - need).max(0.0);
    let taken = (year.procurement - surplus) / need;
    assert!(taken > 0.1, "the quota cuts into the need: {year:?}");
    assert!((w.economy.taken_from_need - taken).abs() < 1e-9);
    // Grain bought at the market takes nothing the villages need.
    let mut nep = economy_in(1928, Policy::Nep, &p);
    nep.economy.taken_from_need = 0.3;
    economy::step(&mut nep, &p.economy, &streams(22));
    assert_eq!(nep.economy.taken_from_need, 0.0);
}

#[test]
fn the_campaigns_revision_leaves_the_market_alone() {
    // `plan_revision` cuts a collection campaign's quota; under the market the state's need is what
    // it buys, and a bad harvest that leaves it short is a procurement crisis whatever the
    // revision. Same bad years with and without it: the same purchases and the same crises.
    let mut p = params();
    p.economy.harvest_sd = 0.3;
    p.economy.plan_blindness = 0.0;
    let mut none = p.clone();
    none.economy.plan_revision = 0.0;
    assert!(p.economy.plan_revision > 0.0);
    let year = |p: &Params, seed: u64| {
        let mut w = economy_in(1928, Policy::Nep, p);
        economy::step(&mut w, &p.economy, &streams(seed));
        *w.economy.last().unwrap()
    };
    let bad: Vec<u64> = (0..200).filter(|&s| year(&p, s).weather < 0.8).collect();
    assert!(!bad.is_empty(), "a bad harvest among two hundred");
    assert!(
        bad.iter().any(|&s| year(&p, s).crisis),
        "a crisis in a bad year"
    );
    for s in bad {
        let (with, without) = (year(&p, s), year(&none, s));
        assert_eq!(with.procurement, without.procurement, "seed {s}");
        assert_eq!(with.crisis, without.crisis, "seed {s}");
    }
}

#[test]
fn the_campaign_cuts_the_quota_of_a_failed_harvest_before_any_lesson() {
    // Before any famine the quota of a bad harvest is cut within the year by `plan_revision` of
    // the harvest's fall: `1 − ρ (1 − W)` of the quota the plan held; a good harvest does not
    // raise it. After the whole lesson the quota follows the seen harvest by
    // `L + ρ (1 − L)` of the fall, L = `famine_lesson`.
    let mut p = params();
    p.economy.harvest_sd = 0.3;
    p.economy.plan_blindness = 0.0;
    p.economy.collection_resistance = 0.0;
    p.economy.regimes[Policy::Collectivization.index()].procurement = 0.15;
    let year = |p: &Params, dead: f64, seed: u64| {
        let mut w = economy_in(1928, Policy::Collectivization, p);
        w.economy.famine_dead = dead;
        economy::step(&mut w, &p.economy, &streams(seed));
        *w.economy.last().unwrap()
    };
    let mut held = p.clone();
    held.economy.plan_revision = 0.0;
    let e = &p.economy;
    assert!(e.plan_revision > 0.0);
    let bad = (0..100)
        .find(|&s| year(&p, 0.0, s).weather < 0.8)
        .expect("a bad harvest among a hundred");
    let good = (0..100)
        .find(|&s| year(&p, 0.0, s).weather > 1.2)
        .expect("a good harvest among a hundred");
    let w = year(&p, 0.0, bad).weather;
    let ratio = year(&p, 0.0, bad).procurement / year(&held, 0.0, bad).procurement;
    assert!(
        (ratio - (1.0 - e.plan_revision * (1.0 - w))).abs() < 1e-9,
        "{ratio}"
    );
    assert!(ratio < 1.0 - 0.2 * e.plan_revision);
    assert_eq!(
        year(&p, 0.0, good).procurement,
        year(&held, 0.0, good).procurement
    );
    let l = e.famine_lesson;
    let taught = year(&p, e.lesson_deaths, bad).procurement / year(&held, 0.0, bad).procurement;
    let weight = l + e.plan_revision * (1.0 - l);
    assert!(
        (taught - (1.0 - weight * (1.0 - w))).abs() < 1e-9,
        "{taught}"
    );
}
