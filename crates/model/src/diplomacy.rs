//! Diplomacy, 1933–1941: the European crisis, the Soviet choice, and whether and when Germany
//! attacks. See `docs/model/diplomacy.md`.
//!
//! 1. **The crisis.** A Nazi Germany rearms and brings Europe to the brink `rearm_months` after it
//!    takes power (normal, sd `rearm_sd`). A conservative authoritarian Germany does so only with
//!    probability `authoritarian_crisis`, after `authoritarian_months`. The republic never does.
//! 2. **The choice.** At the crisis the Soviet leadership picks a pact with Germany, an alliance with
//!    Britain and France, or neutrality by a multinomial logit:
//!    `U_pact = pact_base + pact_army · (officers purged, share) + pact_ruthless · ruthlessness`,
//!    `U_west = west_base + west_popular · [Popular Front line] − west_transit · [Poland refuses
//!    transit]`, `U_neutral = 0`. Poland refuses the Red Army transit with probability
//!    `transit_refused`. An intervention may fix the choice.
//! 3. **War.** An alliance deters Germany with probability `deterrence`; otherwise Germany fights
//!    the USSR and the West at once, from the month after the crisis, on two fronts, with no
//!    surprise. After a pact or under neutrality Germany fights the West first; France falls with
//!    probability `france_falls` after `france_months`; Germany turns east `attack_gap` months after
//!    the crisis (normal, sd `attack_sd`; a year later if France still stands), in the next
//!    campaigning season (May–July).
//! 4. **Surprise.** An attack on a state at peace with Germany finds the Red Army unready with
//!    probability `logistic(surprise_base + surprise_pact · [pact] + surprise_grip · share ·
//!    repression)`: the leader who trusts his treaty and whose subordinates dare not contradict him
//!    disbelieves the warnings.
//!
//! Draws: `diplomacy` at January 1933 (the same numbers in twin worlds, whatever the dates), index
//! 0 rearmament, 1 authoritarian crisis, 2 transit, 3 choice, 4 deterrence, 5 France, 6 gap,
//! 7 surprise.

use crate::{Alignment, CominternLine, EventKind, GermanRegime};
use razvilka_kernel::{Month, Origin, Registry, Stream, Streams};

use crate::{param, MissingAssumption, World};

/// The month whose block of the diplomacy stream holds the numbers drawn once per world: an
/// address, not a date of history.
const FIXED_ADDRESS: Month = Month::new(1933, 1);
const DIPLOMACY: Stream = Stream::named("diplomacy");

#[derive(Clone, Debug)]
pub struct Params {
    /// No European crisis before this year (`diplomacy.earliest_crisis_year`).
    pub earliest_crisis_year: u32,
    /// Germany attacks the USSR only in these months of the year, first to last.
    pub attack_months: (u32, u32),
    pub rearm_months: f64,
    pub rearm_sd: f64,
    pub authoritarian_crisis: f64,
    pub authoritarian_months: f64,
    pub pact_base: f64,
    pub pact_army: f64,
    pub pact_ruthless: f64,
    pub west_base: f64,
    pub west_popular: f64,
    pub west_transit: f64,
    pub transit_refused: f64,
    pub deterrence: f64,
    pub france_falls: f64,
    pub france_months: f64,
    pub attack_gap: f64,
    pub attack_sd: f64,
    pub surprise_base: f64,
    pub surprise_pact: f64,
    pub surprise_grip: f64,
}

impl Params {
    pub fn from_registry(r: &Registry) -> Result<Params, MissingAssumption> {
        let p = |k: &str| param(r, &format!("diplomacy.{k}"));
        Ok(Params {
            earliest_crisis_year: p("earliest_crisis_year")?.round() as u32,
            attack_months: (
                p("attack_first_month")?.round() as u32,
                p("attack_last_month")?.round() as u32,
            ),
            rearm_months: p("rearm_months")?,
            rearm_sd: p("rearm_sd")?,
            authoritarian_crisis: p("authoritarian_crisis")?,
            authoritarian_months: p("authoritarian_months")?,
            pact_base: p("pact_base")?,
            pact_army: p("pact_army")?,
            pact_ruthless: p("pact_ruthless")?,
            west_base: p("west_base")?,
            west_popular: p("west_popular")?,
            west_transit: p("west_transit")?,
            transit_refused: p("transit_refused")?,
            deterrence: p("deterrence")?,
            france_falls: p("france_falls")?,
            france_months: p("france_months")?,
            attack_gap: p("attack_gap")?,
            attack_sd: p("attack_sd")?,
            surprise_base: p("surprise_base")?,
            surprise_pact: p("surprise_pact")?,
            surprise_grip: p("surprise_grip")?,
        })
    }
}

#[derive(Clone, Debug, Default)]
pub struct DiplomacyState {
    pub crisis: Option<Month>,
    pub alignment: Option<Alignment>,
    /// An intervention's choice, applied at the crisis.
    pub forced: Option<Alignment>,
    pub deterred: bool,
    /// Germany at war with Britain and France since.
    pub west_war: Option<Month>,
    pub france_fallen: Option<Month>,
    /// The month Germany attacks the USSR (set when the choice is made).
    pub attack: Option<Month>,
    /// Germany fights the West as well when it attacks.
    pub two_fronts: bool,
    pub surprise: Option<bool>,
}

pub fn step(world: &mut World, params: &Params, streams: &Streams) {
    if !world.free || world.month.year() < params.earliest_crisis_year {
        return;
    }
    let month = world.month;
    // The diplomacy numbers sit at one fixed address; a generator is set up only in a month that
    // reads them (every number is addressed by its index, so a fresh one reads the same values).
    let fixed = || streams.draws(DIPLOMACY, FIXED_ADDRESS);
    if world.diplomacy.crisis.is_none() {
        if world.germany.regime == GermanRegime::Weimar {
            return;
        }
        let mut draws = fixed();
        let due = match (world.germany.regime, world.germany.regime_since) {
            (GermanRegime::Nazi, Some(since)) => {
                let lag = params.rearm_months + params.rearm_sd * draws.normal(0);
                Some(since.offset(lag.round().max(0.0) as i32))
            }
            (GermanRegime::Authoritarian, Some(since))
                if draws.uniform(1) < params.authoritarian_crisis =>
            {
                Some(since.offset(params.authoritarian_months.round() as i32))
            }
            _ => None,
        };
        if due == Some(month) {
            world.diplomacy.crisis = Some(month);
            world.emit(Origin::Mechanism, EventKind::EuropeanCrisis);
            choose(world, params, &mut draws);
        }
        return;
    }
    let d = &world.diplomacy;
    if d.west_war.is_none() && !d.deterred && d.crisis.is_some_and(|c| month == c.next()) {
        world.diplomacy.west_war = Some(month);
        world.emit(Origin::Mechanism, EventKind::WarInWest);
        if world.diplomacy.alignment == Some(Alignment::WesternAlliance) {
            world.diplomacy.attack = Some(month);
            world.diplomacy.two_fronts = true;
            world.diplomacy.surprise = Some(false);
        }
    }
    let d = &world.diplomacy;
    if let (Some(start), None) = (d.west_war, d.france_fallen) {
        if d.alignment != Some(Alignment::WesternAlliance)
            && month == start.offset(params.france_months.round() as i32)
            && fixed().uniform(5) < params.france_falls
        {
            world.diplomacy.france_fallen = Some(month);
            world.emit(Origin::Mechanism, EventKind::FranceFalls);
        }
    }
    // Plan the attack in the East once the western campaign is decided (a year later if France
    // still stands).
    let d = &world.diplomacy;
    if let (None, Some(crisis), Some(west)) = (d.attack, d.crisis, d.west_war) {
        if month == west.offset(params.france_months.round() as i32) {
            let standing = d.france_fallen.is_none();
            let mut gap = params.attack_gap + params.attack_sd * fixed().normal(6);
            if standing {
                gap += 12.0;
            }
            let mut at = crisis.offset(gap.round().max(1.0) as i32).max(month.next());
            // The season may wrap the year's end (first month after the last): any month of it
            // comes within twelve.
            let (first, last) = params.attack_months;
            let in_season = |m: u32| {
                if first <= last {
                    (first..=last).contains(&m)
                } else {
                    m >= first || m <= last
                }
            };
            while !in_season(at.month_of_year()) {
                at = at.next();
            }
            world.diplomacy.attack = Some(at);
            world.diplomacy.two_fronts = standing;
        }
    }
    if world.diplomacy.attack == Some(month) && world.diplomacy.surprise.is_none() {
        let pact = world.diplomacy.alignment == Some(Alignment::Pact);
        let grip = world
            .politics
            .leader
            .map_or(0.0, |l| world.politics.power[l.index()])
            * world.politics.repression;
        let x = params.surprise_base
            + if pact { params.surprise_pact } else { 0.0 }
            + params.surprise_grip * grip;
        let p = 1.0 / (1.0 + (-x).exp());
        world.diplomacy.surprise = Some(fixed().uniform(7) < p);
    }
}

/// Mechanism 2: the choice at the crisis.
fn choose(world: &mut World, params: &Params, draws: &mut razvilka_kernel::Draws) {
    let alignment = match world.diplomacy.forced {
        Some(a) => a,
        None => {
            let ruthless = match world.politics.leader {
                Some(l) => world.people.get(l).ruthlessness,
                None => {
                    let power = &world.politics.power;
                    let total: f64 = power.iter().sum::<f64>().max(1e-12);
                    world
                        .ids()
                        .map(|id| power[id.index()] / total * world.people.get(id).ruthlessness)
                        .sum()
                }
            };
            let transit_refused = draws.uniform(2) < params.transit_refused;
            let pact = params.pact_base
                + params.pact_army * world.war.purged_share()
                + params.pact_ruthless * ruthless;
            let west = params.west_base
                + if world.germany.line == CominternLine::PopularFront {
                    params.west_popular
                } else {
                    0.0
                }
                - if transit_refused {
                    params.west_transit
                } else {
                    0.0
                };
            let options = [
                Alignment::Pact,
                Alignment::WesternAlliance,
                Alignment::Neutrality,
            ];
            let pick = draws.choose(3, &[pact.exp(), west.exp(), 1.0]);
            options[pick.unwrap_or(2)]
        }
    };
    world.diplomacy.alignment = Some(alignment);
    let origin = if world.diplomacy.forced.is_some() {
        Origin::Intervention
    } else {
        Origin::Mechanism
    };
    world.emit(origin, EventKind::Aligned { alignment });
    if alignment == Alignment::WesternAlliance && draws.uniform(4) < params.deterrence {
        world.diplomacy.deterred = true;
        world.emit(Origin::Mechanism, EventKind::Deterred);
    }
}
