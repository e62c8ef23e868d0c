//! Diplomacy, 1933–1941: the European crisis, the Soviet choice, and whether and when Germany
//! attacks. See `docs/model/diplomacy.md`.
//!
//! 1. **The crisis: Germany's demands.** A Nazi Germany has a free hand once it rules and the
//!    Reich President is dead (`president_death`: Hindenburg, August 1934; until then the army
//!    answers to him). It makes its first demand on its neighbours (Austria, the Sudetenland,
//!    Prague, Danzig in the record) `first_demand` months after its free hand, and a new one every
//!    `demand_gap` months after that (normal, sd `demand_sd`, at least a month). The West concedes
//!    every demand made before it is ready to fight, `west_ready` months after Germany's free hand
//!    (normal, sd `west_ready_sd`: its own rearmament, in answer to Germany's open one, and its
//!    public's patience); the first demand made once it is ready is refused, and
//!    that refusal is the crisis. A conservative authoritarian Germany brings a crisis only with
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
//!    the crisis (normal, sd `attack_sd`; a year later if France still stands), in the first month
//!    of dry ground followed by at least `attack_dry_months` of it in all (the war's seasons:
//!    `war::season`; May to July on the spring and autumn mud of western Russia).
//! 4. **Surprise.** An attack on a state at peace with Germany finds the Red Army unready with
//!    probability `logistic(surprise_base + surprise_pact · [pact] + surprise_grip · share ·
//!    repression)`: the leader who trusts his treaty and whose subordinates dare not contradict him
//!    disbelieves the warnings.
//!
//! Draws: `diplomacy` at January 1933 (the same numbers in twin worlds, whatever the dates), index
//! 0 the West's readiness, 1 authoritarian crisis, 2 transit, 3 choice, 4 deterrence, 5 France,
//! 6 gap, 7 surprise; `diplomacy.demands` at the same address, index k the gap before demand k + 1.

use crate::war::Ground;
use crate::{Alignment, CominternLine, EventKind, GermanRegime};
use razvilka_kernel::{Month, Origin, Stream, Streams};

use crate::{Log, View, World};

/// The month whose block of the diplomacy stream holds the numbers drawn once per world: an
/// address, not a date of history.
const FIXED_ADDRESS: Month = Month::new(1933, 1);
const DIPLOMACY: Stream = Stream::named("diplomacy");
const DEMANDS: Stream = Stream::named("diplomacy.demands");
/// Demands a Germany can make before its crisis (the record had five); a bound on the loop, far
/// beyond any prior's reach (the crisis comes at the first demand after the West is ready).
const MAX_DEMANDS: u32 = 64;

assumptions! {
    pub struct Params {
        /// Months from the Nazis' taking power to their first demand.
        pub first_demand: f64 = "diplomacy.first_demand",
        /// Months between demands, and their spread.
        pub demand_gap: f64 = "diplomacy.demand_gap",
        pub demand_sd: f64 = "diplomacy.demand_sd",
        /// Months from the Nazis' taking power until the West is ready to refuse a demand, and spread.
        pub west_ready: f64 = "diplomacy.west_ready",
        pub west_ready_sd: f64 = "diplomacy.west_ready_sd",
        /// Months of dry ground an attack in the East needs before the autumn mud.
        pub attack_dry_months: u32 = "diplomacy.attack_dry_months" => |v: f64| v.round().max(1.0) as u32,
        pub authoritarian_crisis: f64 = "diplomacy.authoritarian_crisis",
        pub authoritarian_months: f64 = "diplomacy.authoritarian_months",
        pub pact_base: f64 = "diplomacy.pact_base",
        pub pact_army: f64 = "diplomacy.pact_army",
        pub pact_ruthless: f64 = "diplomacy.pact_ruthless",
        pub west_base: f64 = "diplomacy.west_base",
        pub west_popular: f64 = "diplomacy.west_popular",
        pub west_transit: f64 = "diplomacy.west_transit",
        pub transit_refused: f64 = "diplomacy.transit_refused",
        pub deterrence: f64 = "diplomacy.deterrence",
        pub france_falls: f64 = "diplomacy.france_falls",
        pub france_months: f64 = "diplomacy.france_months",
        pub attack_gap: f64 = "diplomacy.attack_gap",
        pub attack_sd: f64 = "diplomacy.attack_sd",
        pub surprise_base: f64 = "diplomacy.surprise_base",
        pub surprise_pact: f64 = "diplomacy.surprise_pact",
        pub surprise_grip: f64 = "diplomacy.surprise_grip",
        /// The month the Reich President dies (Hindenburg, 2 August 1934), read from a decimal year:
        /// until then a Nazi chancellor governs beside him and the army he commands.
        pub president_death: Month = "diplomacy.president_death_year" => president_death_month,
    }
}

/// The month of a decimal year (1934.59 is August 1934): the whole year, and the month into which
/// the fraction falls.
fn president_death_month(year: f64) -> Month {
    let whole = year.floor().max(0.0);
    let month = ((year - whole) * 12.0).floor().clamp(0.0, 11.0);
    Month::new(whole as u32, month as u32 + 1)
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
    /// The crisis Germany's demands will bring, worked out once for the regime that makes them.
    pub planned: Option<(GermanRegime, Option<Month>)>,
}

/// The European crisis and the Soviet alignment: the sub-model. It carries out a scenario's fixed
/// alignment.
pub struct Diplomacy;

impl crate::SubModel for Diplomacy {
    const NAME: &'static str = "diplomacy";
    type Params = Params;
    fn step(world: &mut World, params: &Params, streams: &Streams) {
        step(world, params, streams)
    }
    fn apply(world: &mut World, action: &crate::Action) -> crate::Applied {
        let crate::Action::Alignment(a) = *action else {
            return crate::Applied::NotMine;
        };
        world.diplomacy.forced = Some(a);
        crate::Applied::Done
    }
}

pub fn step(world: &mut World, params: &Params, streams: &Streams) {
    let (diplomacy, view, mut log) = world.split_diplomacy();
    month(diplomacy, &view, &mut log, params, streams);
}

/// One month: the diplomacy writes its own state and reads Germany's regime, the Soviet leadership
/// and the army purge.
fn month(d: &mut DiplomacyState, view: &View, log: &mut Log, params: &Params, streams: &Streams) {
    if !view.free {
        return;
    }
    let month = view.month;
    // The diplomacy numbers sit at one fixed address; a generator is set up only in a month that
    // reads them (every number is addressed by its index, so a fresh one reads the same values).
    let fixed = || streams.draws(DIPLOMACY, FIXED_ADDRESS);
    if d.crisis.is_none() {
        if view.germany().regime == GermanRegime::Weimar {
            return;
        }
        let regime = view.germany().regime;
        let due = match d.planned {
            Some((planned, due)) if planned == regime => due,
            _ => {
                let due = planned_crisis(view.germany(), params, streams);
                d.planned = Some((regime, due));
                due
            }
        };
        if due == Some(month) {
            d.crisis = Some(month);
            log.emit(Origin::Mechanism, EventKind::EuropeanCrisis);
            choose(d, view, log, params, &mut fixed());
        }
        return;
    }
    if d.west_war.is_none() && !d.deterred && d.crisis.is_some_and(|c| month == c.next()) {
        d.west_war = Some(month);
        log.emit(Origin::Mechanism, EventKind::WarInWest);
        if d.alignment == Some(Alignment::WesternAlliance) {
            d.attack = Some(month);
            d.two_fronts = true;
            d.surprise = Some(false);
        }
    }
    if let (Some(start), None) = (d.west_war, d.france_fallen) {
        if d.alignment != Some(Alignment::WesternAlliance)
            && month == start.offset(params.france_months.round() as i32)
            && fixed().uniform(5) < params.france_falls
        {
            d.france_fallen = Some(month);
            log.emit(Origin::Mechanism, EventKind::FranceFalls);
        }
    }
    // Plan the attack in the East once the western campaign is decided (a year later if France
    // still stands).
    if let (None, Some(crisis), Some(west)) = (d.attack, d.crisis, d.west_war) {
        if month == west.offset(params.france_months.round() as i32) {
            let standing = d.france_fallen.is_none();
            let mut gap = params.attack_gap + params.attack_sd * fixed().normal(6);
            if standing {
                gap += 12.0;
            }
            let earliest = crisis.offset(gap.round().max(1.0) as i32).max(month.next());
            let at = campaign_start(earliest, params.attack_dry_months);
            d.attack = Some(at);
            d.two_fronts = standing;
        }
    }
    if d.attack == Some(month) && d.surprise.is_none() {
        let pact = d.alignment == Some(Alignment::Pact);
        let grip = view
            .politics
            .leader
            .map_or(0.0, |l| view.politics.power[l.index()])
            * view.politics.repression;
        let x = params.surprise_base
            + if pact { params.surprise_pact } else { 0.0 }
            + params.surprise_grip * grip;
        let p = 1.0 / (1.0 + (-x).exp());
        d.surprise = Some(fixed().uniform(7) < p);
    }
}

/// Mechanism 1: the month of the crisis a non-republican Germany will bring, if any.
fn planned_crisis(
    germany: &crate::germany::GermanyState,
    params: &Params,
    streams: &Streams,
) -> Option<Month> {
    let mut draws = streams.draws(DIPLOMACY, FIXED_ADDRESS);
    match (germany.regime, germany.regime_since) {
        (GermanRegime::Nazi, Some(since)) => Some(refused_demand(
            params,
            free_hand(params, since),
            params.west_ready_sd * draws.normal(0),
            &mut streams.draws(DEMANDS, FIXED_ADDRESS),
        )),
        (GermanRegime::Authoritarian, Some(since))
            if draws.uniform(1) < params.authoritarian_crisis =>
        {
            Some(since.offset(params.authoritarian_months.round() as i32))
        }
        _ => None,
    }
}

/// The month a Nazi government in power since `since` has a free hand: its taking power, or the
/// president's death if that comes later. While Hindenburg lived the army answered to him; on his
/// death the offices of President and Chancellor were merged (2 August 1934: data/germany.toml
/// hindenburg_death). That open rearmament (conscription, March 1935), the demands it backed and
/// the West's answer date from then is a judgment (`diplomacy.president_death_year`).
pub fn free_hand(params: &Params, since: Month) -> Month {
    since.max(params.president_death)
}

/// The month of the first demand the West refuses, for a Nazi Germany with a free hand since
/// `since` (`free_hand`); `west_shift` is this world's deviation of the West's readiness (months),
/// `gaps` the draws of the gaps between demands.
pub fn refused_demand(
    params: &Params,
    since: Month,
    west_shift: f64,
    gaps: &mut razvilka_kernel::Draws,
) -> Month {
    let ready = params.west_ready + west_shift;
    let mut at = params.first_demand.max(0.0);
    for k in 0..MAX_DEMANDS {
        if at >= ready {
            break;
        }
        at += (params.demand_gap + params.demand_sd * gaps.normal(k)).max(1.0);
    }
    since.offset(at.round() as i32)
}

/// Mechanism 3: the first month from `earliest` that opens a run of at least `dry` months of dry
/// ground (the war's seasons); within two years, since every year has its dry season.
pub fn campaign_start(earliest: Month, dry: u32) -> Month {
    let is_dry = |m: Month| crate::war::ground(m) == Ground::Dry;
    let dry_from = |m: Month| (0..dry).all(|i| is_dry(m.offset(i as i32)));
    let mut at = earliest;
    for _ in 0..24 {
        if dry_from(at) {
            return at;
        }
        at = at.next();
    }
    // No run that long in any year (more dry months asked for than the climate has): the first
    // dry month.
    let mut at = earliest;
    while !is_dry(at) {
        at = at.next();
    }
    at
}

/// Mechanism 2: the choice at the crisis.
fn choose(
    d: &mut DiplomacyState,
    view: &View,
    log: &mut Log,
    params: &Params,
    draws: &mut razvilka_kernel::Draws,
) {
    let alignment = match d.forced {
        Some(a) => a,
        None => {
            let ruthless = match view.politics.leader {
                Some(l) => view.people.get(l).ruthlessness,
                None => {
                    let power = &view.politics.power;
                    let total: f64 = power.iter().sum::<f64>().max(1e-12);
                    view.ids()
                        .map(|id| power[id.index()] / total * view.people.get(id).ruthlessness)
                        .sum()
                }
            };
            let transit_refused = draws.uniform(2) < params.transit_refused;
            let pact = params.pact_base
                + params.pact_army * view.war().purged_share()
                + params.pact_ruthless * ruthless;
            let west = params.west_base
                + if view.germany().line == CominternLine::PopularFront {
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
    d.alignment = Some(alignment);
    let origin = if d.forced.is_some() {
        Origin::Intervention
    } else {
        Origin::Mechanism
    };
    log.emit(origin, EventKind::Aligned { alignment });
    if alignment == Alignment::WesternAlliance && draws.uniform(4) < params.deterrence {
        d.deterred = true;
        log.emit(Origin::Mechanism, EventKind::Deterred);
    }
}
