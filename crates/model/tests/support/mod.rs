//! Small hand-built worlds for the mechanism tests: the real people table and assumption registry
//! (through `razvilka_world::Data`), a world at a chosen month with the mechanisms running free, and
//! helpers to set the few fields a mechanism reads.
#![allow(dead_code)]

use std::sync::OnceLock;

use razvilka_kernel::{Month, Streams};
use razvilka_model::{EventKind, Fate, PersonId};
use razvilka_model::{Params, World};
use razvilka_world::Data;

/// The shipped data, read once per test binary.
pub fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| Data::builtin().unwrap_or_else(|e| panic!("built-in data must load:\n{e}")))
}

/// Every sub-model's parameters at their registry defaults (a test overrides the one it needs).
pub fn params() -> Params {
    Params::new(&data().registry, &data().model_calendar).expect("the registry has every key")
}

/// The world at `year`-`month` with everyone as the people table has him in April 1922, the
/// mechanisms switched on (no replay), and nothing else set.
pub fn world(year: u32, month: u32) -> World {
    let mut world = World::new(data().people.clone(), Month::new(year, month));
    world.free = true;
    world
}

/// A world in which only `active` are alive: everyone else has died of natural causes (quietly: no
/// event, no clientele), so that a mechanism sees only the men a test names.
pub fn world_of(year: u32, month: u32, active: &[&str]) -> World {
    let mut w = world(year, month);
    let keep: Vec<PersonId> = active.iter().map(|name| id(&w, name)).collect();
    for i in 0..w.persons.len() {
        let pid = PersonId(i as u8);
        if !keep.contains(&pid) {
            let p = w.person_mut(pid);
            p.fate = Fate::DeadNatural;
            p.offices = Default::default();
            p.cadre = 0.0;
        }
    }
    w
}

pub fn id(world: &World, name: &str) -> PersonId {
    world
        .people
        .find(name)
        .unwrap_or_else(|| panic!("{name} is in the people table"))
}

pub fn streams(seed: u64) -> Streams {
    Streams::new(seed, 0)
}

/// Advances the world's clock by one month.
pub fn next_month(world: &mut World) {
    world.month = world.month.next();
}

/// The events of kind `matches` in the log.
pub fn count(world: &World, matches: impl Fn(&EventKind) -> bool) -> usize {
    world.log.iter().filter(|e| matches(&e.kind)).count()
}

/// A binomial tolerance: four standard deviations of a share estimated from `n` trials of
/// probability `p` (a false alarm about once in 16,000 runs of a test whose seeds are fixed anyway).
pub fn margin(p: f64, n: usize) -> f64 {
    4.0 * (p * (1.0 - p) / n as f64).sqrt()
}

/// Votes that are exactly the clienteles (no turnover, no shock) and a threat that is the votes
/// alone (no prestige, ambition, army, pursuit or ideology), with a coalition certain to act.
pub fn votes_only() -> Params {
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
pub fn congress(cadres: &[(&str, f64)]) -> World {
    let names: Vec<&str> = cadres.iter().map(|(n, _)| *n).collect();
    let mut w = world_of(1925, 6, &names);
    for (name, cadre) in cadres {
        let man = id(&w, name);
        w.person_mut(man).cadre = *cadre;
    }
    w.politics.meeting = Some(("a congress".to_string(), true));
    w
}
