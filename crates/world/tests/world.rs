//! The world layer on the real data: replay, twins, determinism, interventions and invariants.

use proptest::prelude::*;
use razvilka_kernel::{Month, Origin, Streams};
use razvilka_model::{Fate, Office};
use razvilka_model::{Params, World};
use razvilka_world::{builtin_scenario, simulate, simulate_inspecting, Data, Scenario};

fn data() -> Data {
    Data::builtin().unwrap_or_else(|e| panic!("built-in data must load:\n{e}"))
}

fn scenario(data: &Data, name: &str) -> Scenario {
    let text = builtin_scenario(name).expect("shipped scenario");
    Scenario::parse(text, name, &data.context()).unwrap_or_else(|e| panic!("{e}"))
}

fn custom(data: &Data, text: &str) -> Scenario {
    Scenario::parse(text, "test.toml", &data.context()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_shipped_scenario_parses() {
    let data = data();
    for (name, _) in razvilka_world::BUILTIN_SCENARIOS {
        let s = scenario(&data, name);
        assert_eq!(s.name, name, "the file name and the scenario name agree");
    }
}

#[test]
fn twin_logs_are_identical_before_the_divergence() {
    let data = data();
    let otl = scenario(&data, "otl");
    let expelled = scenario(&data, "stalin-expelled");
    let divergence = expelled.divergence;
    for run in 0..20 {
        let a = simulate(&data, &otl, divergence, 7, run).unwrap();
        let b = simulate(&data, &expelled, divergence, 7, run).unwrap();
        let before = |w: &World| -> Vec<_> {
            w.log
                .iter()
                .filter(|e| e.month < divergence)
                .cloned()
                .collect()
        };
        let (la, lb) = (before(&a.world), before(&b.world));
        assert!(!la.is_empty(), "history before May 1924 is replayed");
        assert_eq!(la, lb, "run {run}: the twins share the past");
        // And they do part: the intervention is in one log only.
        let forced = |w: &World| w.log.iter().any(|e| e.origin == Origin::Intervention);
        assert!(forced(&b.world) && !forced(&a.world));
    }
}

#[test]
fn same_seed_same_world_and_different_runs_differ() {
    let data = data();
    let s = scenario(&data, "stalin-expelled");
    let a = simulate(&data, &s, s.divergence, 11, 3).unwrap();
    let b = simulate(&data, &s, s.divergence, 11, 3).unwrap();
    assert_eq!(a.world.log, b.world.log);
    assert_eq!(a.outcome.years, b.outcome.years);
    let logs: Vec<_> = (0..10)
        .map(|k| simulate(&data, &s, s.divergence, 11, k).unwrap().world.log)
        .collect();
    assert!(
        logs.windows(2).any(|w| w[0] != w[1]),
        "runs are not all the same world"
    );
}

#[test]
fn replaying_all_recorded_history_reproduces_it() {
    let data = data();
    // Replayed to the end: every month up to 1930 is recorded history on the Soviet side. (A scenario
    // cannot diverge after 1924-12, where Germany's unreplayed history begins; `simulate` replays the
    // Soviet record to any month, which is all this test reads.)
    let s = custom(
        &data,
        r#"
[scenario]
name = "replay"
title = "replay only"
start = "1922-04"
end = "1931-01"
divergence = "1924-12"
"#,
    );
    let replay_until = Month::new(1931, 1);
    let run = simulate(&data, &s, replay_until, 1, 0).unwrap();
    let id = |name: &str| data.people.find(name).unwrap();
    let y1930 = run.outcome.year(1930).unwrap();
    assert_eq!(y1930.fates[id("lenin").index()], Fate::DeadNatural);
    assert_eq!(
        y1930.fates[id("trotsky").index()],
        Fate::Abroad,
        "deported in 1929"
    );
    assert_eq!(y1930.fates[id("frunze").index()], Fate::DeadNatural);
    assert_eq!(y1930.general_secretary, Some(id("stalin")));
    assert_eq!(
        y1930.policy,
        razvilka_model::Policy::Collectivization,
        "Nov 1929, replayed"
    );
    let w = &run.world;
    assert!(
        !w.person(id("bukharin")).offices.in_politburo(),
        "out since Nov 1929"
    );
    assert!(
        w.person(id("molotov")).offices.has(Office::SovnarkomChair),
        "Dec 1930"
    );
    // The Politburo of Jul 1930 as recorded (Rykov left in Dec 1930).
    for name in [
        "stalin",
        "molotov",
        "kaganovich",
        "kalinin",
        "kirov",
        "kosior",
        "kuibyshev",
        "rudzutak",
        "voroshilov",
    ] {
        assert!(
            w.person(id(name)).offices.has(Office::Politburo),
            "{name} in the Politburo"
        );
    }
    // Nothing but the record, and the politics model's reading of it (who leads, the regime).
    for e in w.log.iter().filter(|e| e.month < replay_until) {
        let derived = matches!(
            e.kind,
            razvilka_model::EventKind::LeaderChanged { .. }
                | razvilka_model::EventKind::RegimeChanged { .. }
        );
        assert!(
            e.origin == Origin::Recorded || derived,
            "{e:?} is not from the record"
        );
    }
}

#[test]
fn expelling_stalin_takes_him_out_of_the_party_at_once() {
    let data = data();
    let s = scenario(&data, "stalin-expelled");
    let stalin = data.people.find("stalin").unwrap();
    for run in 0..10 {
        let r = simulate(&data, &s, s.divergence, 3, run).unwrap();
        // He leaves the party in the month of the intervention (he may recant and come back later,
        // but never as General Secretary: a readmitted man is not appointed).
        let expelled = r.world.log.iter().any(|e| {
            e.month == s.divergence
                && matches!(
                    e.kind,
                    razvilka_model::EventKind::FateChanged { person, to, .. }
                        if person == stalin && !to.is_member()
                )
        });
        assert!(
            expelled,
            "run {run}: Stalin is not expelled in {}",
            s.divergence
        );
        let y1924 = r.outcome.year(1924).unwrap();
        assert_ne!(y1924.general_secretary, Some(stalin));
    }
}

#[test]
fn lenin_lives_until_the_intervention_says() {
    let data = data();
    let s = scenario(&data, "lenin-lives");
    let lenin = data.people.find("lenin").unwrap();
    for run in 0..20 {
        let r = simulate(&data, &s, s.divergence, 5, run).unwrap();
        for year in 1923..=1925 {
            let fate = r.outcome.year(year).unwrap().fates[lenin.index()];
            assert!(
                !fate.is_dead(),
                "run {run}: spared until 1926-01, dead in {year}"
            );
        }
    }
}

/// The invariants every world keeps every month. (The institutions' rules and the same-month
/// contradictions are checked in crates/model/tests/politics_institutions.rs, `institutional_breach`.)
fn check_invariants(w: &World) -> Result<(), String> {
    let mut secretaries = 0;
    let total_cadre: f64 = w.persons.iter().map(|p| p.cadre).sum();
    if total_cadre > 1.0 + 1e-9 {
        return Err(format!("{}: clienteles sum to {total_cadre} > 1", w.month));
    }
    for id in w.ids() {
        let p = w.person(id);
        if !(p.cadre >= 0.0 && p.prestige >= 0.0 && p.prestige <= 1.0 + 1e-9) {
            return Err(format!(
                "{}: {} has cadre {} prestige {}",
                w.month,
                w.people.get(id).id,
                p.cadre,
                p.prestige
            ));
        }
        if !p.fate.is_member() && !p.offices.is_empty() {
            return Err(format!(
                "{}: {} is {} but holds offices",
                w.month,
                w.people.get(id).id,
                p.fate
            ));
        }
        if p.offices.in_politburo() != (p.fate == Fate::InLeadership)
            && p.fate.is_member()
            && p.fate != Fate::Readmitted
        {
            return Err(format!(
                "{}: {} fate {} vs Politburo seat",
                w.month,
                w.people.get(id).id,
                p.fate
            ));
        }
        if p.offices.has(Office::GeneralSecretary) {
            secretaries += 1;
        }
    }
    if secretaries > 1 {
        return Err(format!("{}: {secretaries} General Secretaries", w.month));
    }
    let power: f64 = w.politics.power.iter().sum();
    if power > 0.0 && (power - 1.0).abs() > 1e-9 {
        return Err(format!("{}: vote shares sum to {power}", w.month));
    }
    if !(0.0..=1.0).contains(&w.politics.repression) {
        return Err(format!("{}: repression {}", w.month, w.politics.repression));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn invariants_hold_every_month(seed in any::<u64>(), run in 0u64..1000, which in 0usize..razvilka_world::BUILTIN_SCENARIOS.len()) {
        let data = data();
        let name = razvilka_world::BUILTIN_SCENARIOS[which].0;
        let s = scenario(&data, name);
        let params = Params::new(&data.registry, &data.model_calendar).unwrap();
        let mut failure = None;
        simulate_inspecting(&data, &s, s.divergence, &params, &Streams::new(seed, run), |w| {
            if failure.is_none() {
                failure = check_invariants(w).err();
            }
        }).unwrap();
        prop_assert!(failure.is_none(), "{}", failure.unwrap());
    }

    #[test]
    fn death_is_final(seed in any::<u64>(), run in 0u64..1000) {
        let data = data();
        let s = scenario(&data, "free-1922");
        let r = simulate(&data, &s, s.divergence, seed, run).unwrap();
        for id in r.world.ids() {
            let mut dead = false;
            for y in &r.outcome.years {
                let f = y.fates[id.index()];
                prop_assert!(!dead || f.is_dead(), "{} rose from the dead in {}", data.people.get(id).id, y.year);
                dead |= f.is_dead();
            }
        }
    }
}

#[test]
fn the_free_run_replays_nothing() {
    let data = data();
    let s = scenario(&data, "free-1922");
    let r = simulate(&data, &s, s.divergence, 1, 0).unwrap();
    let institutions = &data.people.institutions;
    assert!(
        r.world.log.iter().all(|e| e.origin != Origin::Recorded
            || matches!(e.kind, razvilka_model::EventKind::Meeting { .. })
            || matches!(e.kind, razvilka_model::EventKind::OfficeLost { office, .. }
                if !institutions.exists(office, e.month))),
        "only the party calendar (meetings on their dates) and the offices' abolition dates come \
         from the record"
    );
    assert_eq!(s.divergence, Month::new(1922, 4));
}

#[test]
fn twins_share_the_harvest_weather() {
    let data = data();
    let otl = scenario(&data, "otl");
    let expelled = scenario(&data, "stalin-expelled");
    for run in 0..20 {
        let a = simulate(&data, &otl, otl.divergence, 7, run).unwrap();
        let b = simulate(&data, &expelled, otl.divergence, 7, run).unwrap();
        let weather = |r: &razvilka_world::Run| -> Vec<f64> {
            r.outcome
                .years
                .iter()
                .filter_map(|y| y.economy)
                .map(|e| e.weather)
                .collect()
        };
        let (wa, wb) = (weather(&a), weather(&b));
        assert_eq!(wa.len(), 19, "harvest years 1927-1945");
        assert_eq!(wa, wb, "run {run}: the same weather in both worlds");
    }
}

#[test]
fn policy_comes_from_politics_unless_forced() {
    use razvilka_model::{EventKind, Policy};
    let data = data();
    let otl = scenario(&data, "otl");
    let nep = scenario(&data, "nep-continued");
    let mut chosen = 0;
    for run in 0..20 {
        let r = simulate(&data, &otl, otl.divergence, 3, run).unwrap();
        // Every change of policy in the baseline is the politics model's, never forced.
        for e in &r.world.log {
            if let EventKind::PolicyChanged { .. } = e.kind {
                assert_eq!(e.origin, Origin::Mechanism);
                chosen += 1;
            }
        }
        let n = simulate(&data, &nep, nep.divergence, 3, run).unwrap();
        for y in n.outcome.years.iter().filter(|y| y.year >= 1928) {
            assert_eq!(
                y.policy,
                Policy::Nep,
                "run {run}: forced NEP from 1928 ({})",
                y.year
            );
        }
        assert!(n.world.log.iter().any(|e| e.origin == Origin::Intervention
            && matches!(
                e.kind,
                EventKind::PolicyChanged {
                    to: Policy::Nep,
                    ..
                }
            )));
    }
    assert!(
        chosen > 0,
        "the leadership changes policy in some baseline worlds"
    );
}

#[test]
fn economic_stocks_stay_sane() {
    let data = data();
    for name in ["otl", "stalin-expelled", "nep-continued", "free-1922"] {
        let s = scenario(&data, name);
        for run in 0..10 {
            let r = simulate(&data, &s, s.divergence, 9, run).unwrap();
            for e in r.outcome.years.iter().filter_map(|y| y.economy) {
                assert!(
                    e.gdp > 0.0 && e.industry > 0.0 && e.agriculture > 0.0,
                    "{name} {run} {e:?}"
                );
                assert!(
                    e.grain > 0.0 && e.procurement >= 0.0 && e.procurement <= e.grain,
                    "{e:?}"
                );
                assert!(
                    (0.0..=1.0).contains(&e.urban) && (0.0..=1.0).contains(&e.collectivized),
                    "{e:?}"
                );
                assert!(e.famine_deaths >= 0.0 && e.livestock > 0.0, "{e:?}");
            }
        }
    }
}

/// Deliverable 9 of the party issue: a month's events in causal order. A congress or plenum opens
/// before what it decided is told, so the recorded elections of April 1923 follow "the 12th Party
/// Congress meets", not precede it.
#[test]
fn a_meeting_opens_before_the_recorded_events_of_its_month() {
    use razvilka_model::EventKind;
    let data = data();
    let s = scenario(&data, "otl");
    let run = simulate(&data, &s, s.divergence, 1, 0).unwrap();
    let mut checked = 0;
    for meeting in run
        .world
        .log
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Meeting { .. }) && e.month < s.divergence)
    {
        let month_events: Vec<_> = run
            .world
            .log
            .iter()
            .filter(|e| e.month == meeting.month)
            .collect();
        assert!(
            std::ptr::eq(month_events[0], meeting),
            "{}: the meeting is told first, before {:?}",
            meeting.month,
            month_events[0].kind
        );
        checked += usize::from(month_events.len() > 1);
    }
    assert!(
        checked > 0,
        "some replayed month has both a meeting and recorded events (April 1923)"
    );
}
