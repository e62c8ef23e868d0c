//! Mortality and illness: natural deaths by an age-based hazard, and Lenin's strokes.
//!
//! Mechanism. Each month a living person dies of natural causes with probability `h`, the monthly
//! equivalent of the annual `m50 · exp(g · (age − 50)) · frailty · c`: a Gompertz hazard (mortality
//! rising exponentially with age) scaled to the annual probability `m50` at age 50, by the person's
//! `frailty` (a documented chronic illness) and by `c = hardship` for a prisoner or an exile. The
//! death month is drawn by inverse transform: each person draws one uniform threshold a year and dies
//! in the first month his survival since January, `Π(1 − h)`, falls below it. That is the same law as a
//! monthly coin, costs one draw a year, and keeps twin worlds' deaths aligned when only the hazard
//! differs (a prisoner dies earlier in the same draw, not in a different one): the kernel's
//! `HazardClock`, which the fates' two clocks share. When the clocks are armed, the people whose
//! thresholds lie below any survival the rest of the year can reach (at the worst hazard each could
//! have: December's age, prison's hardship) are set aside: only the others' clocks tick each month,
//! and the deaths and draws are those of ticking everyone's. Lenin, while he works,
//! suffers a disabling stroke with monthly probability `lenin_incapacity`; after each stroke he recovers
//! with monthly probability `lenin_recovery / strokes`, and his frailty grows with every stroke.
//! Before the divergence no hazard acts: deaths and strokes come from the record.
//!
//! Draws: stream `mortality.death` in January of each year (index = person), `mortality.illness`
//! (index 0: stroke, 1: recovery).

use crate::{DeathCause, EventKind, Fate, PersonId};
use razvilka_kernel::{HazardClock, Origin, Stream, Streams};

use crate::World;

const DEATH: Stream = Stream::named("mortality.death");
const ILLNESS: Stream = Stream::named("mortality.illness");

assumptions! {
    pub struct Params {
        /// Annual probability of a natural death at age 50.
        pub annual_at_50: f64 = "mortality.annual_at_50",
        /// Gompertz slope: how fast the hazard rises with each year of age.
        pub gompertz_slope: f64 = "mortality.gompertz_slope",
        /// The hazard's multiplier in prison or exile.
        pub hardship: f64 = "mortality.hardship_multiplier",
        pub lenin_incapacity: f64 = "mortality.lenin_incapacity",
        pub lenin_recovery: f64 = "mortality.lenin_recovery",
        pub stroke_frailty: f64 = "mortality.stroke_frailty",
    }
}

/// The monthly probability that `age`-year-old with `frailty` dies of natural causes.
pub fn monthly_hazard(params: &Params, age: f64, frailty: f64) -> f64 {
    let annual = params.annual_at_50 * (params.gompertz_slope * (age - 50.0)).exp() * frailty;
    monthly_from_annual(annual)
}

/// The monthly probability equivalent to an annual probability.
fn monthly_from_annual(annual: f64) -> f64 {
    if annual < 0.05 {
        // 1 − (1 − a)^(1/12) = a/12 · (1 + 11a/24 + …): the first correction is exact enough here.
        annual / 12.0 * (1.0 + 11.0 * annual / 24.0)
    } else {
        1.0 - (1.0 - annual.min(1.0)).powf(1.0 / 12.0)
    }
}

/// Natural death: the sub-model. It carries out a scenario's deaths and reprieves.
pub struct Mortality;

impl crate::SubModel for Mortality {
    const NAME: &'static str = "mortality";
    type Params = Params;
    fn step(world: &mut World, params: &Params, streams: &Streams) {
        step(world, params, streams)
    }
    fn apply(world: &mut World, action: &crate::Action) -> crate::Applied {
        let origin = Origin::Intervention;
        match *action {
            crate::Action::Dies(p) => world.die(p, DeathCause::Natural, origin),
            crate::Action::SurvivesUntil(p, until) => {
                world.person_mut(p).spared_until = Some(until);
                if world.person(p).incapacitated {
                    world.person_mut(p).incapacitated = false;
                    world.emit(origin, EventKind::Recovered { person: p });
                }
            }
            _ => return crate::Applied::NotMine,
        }
        crate::Applied::Done
    }
}

pub fn step(world: &mut World, params: &Params, streams: &Streams) {
    natural_deaths(world, params, streams, Walk::WhoCanDie);
    illness(world, params, streams);
}

/// Mortality's month with every living person's clock ticked, none skipped: the plain monthly walk
/// that [`step`] must match death for death (the tests compare the two).
pub fn step_walking_everyone(world: &mut World, params: &Params, streams: &Streams) {
    natural_deaths(world, params, streams, Walk::Everyone);
    illness(world, params, streams);
}

/// Whose clocks a month ticks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// Only the people who can die before the year is out ([`MortalityState::can_die`]).
    WhoCanDie,
    /// Every living person.
    Everyone,
}

fn natural_deaths(world: &mut World, params: &Params, streams: &Streams, walk: Walk) {
    if !world.free {
        return;
    }
    let n = world.persons.len();
    // annual hazard = m50 · exp(g · (age − 50)) · frailty, with age = (now − born) / 12, split into a
    // factor for this month and one for each person's birth month.
    let g = params.gompertz_slope;
    if world.mortality.birth_factor.is_empty() {
        let factors = world
            .ids()
            .map(|id| (-g * years_since_1900(world.people.get(id).born)).exp())
            .collect();
        world.mortality.birth_factor = factors;
    }
    let new_year = world.mortality.clock.is_empty() || world.month.month_of_year() == 1;
    if new_year {
        let january = razvilka_kernel::Month::new(world.month.year(), 1);
        let mut draws = streams.draws(DEATH, january);
        let clock = &mut world.mortality.clock;
        clock.clear();
        clock.extend((0..n as u32).map(|i| HazardClock::armed(draws.uniform(i))));
        world.mortality.can_die = who_can_die(world, params);
    }
    let walked = match walk {
        Walk::WhoCanDie => world.mortality.can_die,
        Walk::Everyone => crate::world::first_people(n),
    };
    if walked == 0 {
        return;
    }
    let this_month = params.annual_at_50 * (g * (years_since_1900(world.month) - 50.0)).exp();
    let lenin_strokes = world.lenin.map_or(0, |l| world.person(l).strokes);
    // One pass over the people walked, in the people's order (no per-person look-ups through the
    // world); the deaths are carried out after it, in the people's order. A death changes no one
    // else's hazard this month, so the events are the same as when each died within the pass.
    let mut dying: u64 = 0;
    let mut dead: u64 = 0;
    {
        let month = world.month;
        let lenin = world.lenin.map(|l| l.index());
        let people = &world.people;
        let persons = &world.persons[..n];
        let factors = &world.mortality.birth_factor[..n];
        let clocks = &mut world.mortality.clock[..n];
        let mut bits = walked;
        while bits != 0 {
            let index = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let person = &persons[index];
            if person.fate.is_dead() {
                dead |= 1 << index;
                continue;
            }
            if person.spared_until.is_some_and(|m| month < m) {
                continue;
            }
            let mut frailty = people.get(PersonId(index as u8)).frailty;
            if Some(index) == lenin {
                frailty *= 1.0 + params.stroke_frailty * lenin_strokes as f64;
            }
            if matches!(person.fate, Fate::Imprisoned | Fate::InternalExile) {
                frailty *= params.hardship;
            }
            let h = monthly_from_annual(this_month * factors[index] * frailty);
            if clocks[index].tick(h) {
                dying |= 1 << index;
            }
        }
    }
    // The dead are walked no more this year (a death is for good).
    world.mortality.can_die &= !(dead | dying);
    while dying != 0 {
        let index = dying.trailing_zeros() as usize;
        dying &= dying - 1;
        world.die(
            PersonId(index as u8),
            DeathCause::Natural,
            Origin::Mechanism,
        );
    }
}

/// The people whose clocks, armed this month, can fire before the year is out, one bit each: every
/// other man survives the year whatever befalls him, so his clock need not tick. A man's annual
/// hazard this year is at most his worst, at the larger of this month's and December's age factor
/// (the factor moves one way through the year) and with the hardship of prison whatever his fate
/// becomes (raised by a part in a billion, so that rounding never puts the bound below a month's
/// hazard); a monthly hazard grows with the annual one, so his clock cannot fire in the months
/// left while it cannot at the monthly equivalent of that worst ([`HazardClock::cannot_fire_within`]).
/// Lenin, whose frailty grows with each stroke, is always walked while he lives; so is everyone if
/// a factor of the bound is negative or not a number. The dead are not walked (a death is for good).
///
/// Nothing but the tick reads a clock's survival, so a clock left unticked changes nothing the
/// world shows: the deaths, their months and order, and the draws are those of the plain walk
/// ([`step_walking_everyone`]). The bound holds for the rest of the calendar year only; mortality
/// steps once a month, and each January arms every clock again.
fn who_can_die(world: &World, params: &Params) -> u64 {
    let n = world.persons.len();
    let g = params.gompertz_slope;
    let now = world.month;
    let december = razvilka_kernel::Month::new(now.year(), 12);
    let months_left = 13 - now.month_of_year();
    let at = |month| params.annual_at_50 * (g * (years_since_1900(month) - 50.0)).exp();
    let (first, last) = (at(now), at(december));
    if !(first >= 0.0 && last >= 0.0 && params.hardship >= 0.0) {
        return crate::world::first_people(n);
    }
    let worst = first.max(last) * params.hardship.max(1.0) * (1.0 + 1e-9);
    let lenin = world.lenin.map(|l| l.index());
    let mut can_die = 0u64;
    for (index, (clock, factor)) in world.mortality.clock[..n]
        .iter()
        .zip(&world.mortality.birth_factor[..n])
        .enumerate()
    {
        if world.persons[index].fate.is_dead() {
            continue;
        }
        let annual = worst * factor * world.people.get(PersonId(index as u8)).frailty;
        let bounded = Some(index) != lenin && annual >= 0.0;
        if !(bounded && clock.cannot_fire_within(months_left, monthly_from_annual(annual))) {
            can_die |= 1 << index;
        }
    }
    can_die
}

/// Lenin's strokes and recoveries.
fn illness(world: &mut World, params: &Params, streams: &Streams) {
    if !world.free {
        return;
    }
    let lenin_strokes = world.lenin.map_or(0, |l| world.person(l).strokes);
    let Some(lenin) = world.lenin else { return };
    if !world.is_alive(lenin) || world.is_spared(lenin) {
        return;
    }
    let mut illness = streams.draws(ILLNESS, world.month);
    if world.person(lenin).incapacitated {
        let recovery = params.lenin_recovery / lenin_strokes.max(1) as f64;
        if illness.chance(1, recovery) {
            world.person_mut(lenin).incapacitated = false;
            world.emit(Origin::Mechanism, EventKind::Recovered { person: lenin });
        }
    } else if illness.chance(0, params.lenin_incapacity) {
        world.person_mut(lenin).incapacitated = true;
        world.person_mut(lenin).strokes += 1;
        world.emit(
            Origin::Mechanism,
            EventKind::Incapacitated { person: lenin },
        );
    }
}

fn years_since_1900(month: razvilka_kernel::Month) -> f64 {
    month.years_since(razvilka_kernel::Month::new(1900, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> Params {
        Params {
            annual_at_50: 0.015,
            gompertz_slope: 0.085,
            hardship: 2.0,
            lenin_incapacity: 0.1,
            lenin_recovery: 0.2,
            stroke_frailty: 1.0,
        }
    }

    #[test]
    fn hazard_rises_with_age_and_frailty() {
        let p = params();
        let h50 = monthly_hazard(&p, 50.0, 1.0);
        assert!((h50 * 12.0 - 0.015).abs() < 0.001);
        assert!(monthly_hazard(&p, 60.0, 1.0) > 2.0 * h50);
        assert!(monthly_hazard(&p, 50.0, 3.0) > 2.9 * h50);
        assert!(monthly_hazard(&p, 120.0, 50.0) <= 1.0);
    }
}

/// The mortality sub-model's state.
#[derive(Clone, Debug, Default)]
pub struct MortalityState {
    /// Each person's birth-cohort factor `exp(−g · born)`, computed once, so that a monthly hazard
    /// costs one multiplication per person.
    pub birth_factor: Vec<f64>,
    /// Each person's clock for this calendar year (or from the divergence to its end), armed each
    /// January: he dies in the first month his survival since then falls below its threshold.
    pub clock: Vec<HazardClock>,
    /// The people whose clocks can fire before the year is out, one bit each, found when the clocks
    /// are armed: only they are walked each month (see `who_can_die`).
    pub can_die: u64,
}
