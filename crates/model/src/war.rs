//! The Red Army and the war: the army purge, a coup, the campaign. See `docs/model/war.md`.
//!
//! 1. **The army purge.** Until a war, while the terror reaches the army (politics publishes its
//!    intensity there, `TerrorState::army`: the terror's intensity times the leader's suspicion of
//!    the army, mechanism 9), a share `purge_rate · intensity` of the officers not yet purged is
//!    discharged each month (no year is decreed: the purge comes when a terror does); `reinstated` of each month's discharges are booked as coming back. The army's quality falls with the net share
//!    purged, graded and saturating: `q = q0 · (1 − purge_quality · (1 − exp(−net share / purge_scale)))`.
//!    An intervention can exempt the army.
//! 2. **A coup.** While the purge runs, soldiers strike first with monthly hazard
//!    `coup_hazard · intensity`; a coup succeeds with `coup_success` and ends the army purge.
//! 3. **The campaign**, monthly from Germany's attack, on one axis (Brest–Moscow–Berlin). Field
//!    armies `S` (Soviet) and `G` (German, in the East) in millions; Soviet quality grows with
//!    experience toward `q_max` with time constant `learning` (months); munitions `m` from the war
//!    economy: last December's military-industrial capacity (relative to the recorded path) times
//!    the share of industry the Soviet economy still works this month (the occupied share of it
//!    lost, the evacuated plant back from the war's second year, labour taken by the army: the
//!    economy's own shares, `economy::war_industry`), plus Lend-Lease. Lend-Lease flows while the
//!    West is at war with Germany and grows to `lend_lease` over `lend_lease_ramp` months from the
//!    day the USSR became the West's partner: the crisis under a Western alliance (supply routes
//!    planned with allies), the attack otherwise (aid to a former partner of Germany is improvised).
//!    Lanchester's square law (aimed fire) gives the losses:
//!    `L_S = k_s · G · (q_G / q_S) · surprise`, `L_G = k_g · S · (q_S / q_G) · m`. Both sides
//!    reinforce: the USSR `mobilisation` a month, up to the field army it can arm and supply
//!    (`soviet_field_cap`), Germany `reinforcement` times the share
//!    of its reserve not yet drawn (`german_reserve`, `german_intake`) times the share
//!    of its army not tied down in the West (the army in the East itself moves when that share
//!    changes: `G · (1 − w) / (1 − w_last)`), which grows when the West opens a second front,
//!    `second_front` months after its war with Germany began (normal, sd `second_front_sd`: the
//!    time to raise, train and ship an army of invasion) once France has fallen. The front moves `speed` times the part of `ln(P_G / P_S)` beyond the defender's edge `ln(defence)` km a month,
//!    `P = strength · quality · munitions`, slowed for the attacker in mud and (for the Germans)
//!    winter and by supply lines (`exp(−advanced / supply_km)`, each side's advance counted from where it
//!    began: the border for the Germans, the deepest German line for the Red Army).
//! 4. **Endings.** The Red Army in Berlin: Soviet victory. Moscow taken: a monthly hazard of Soviet
//!    collapse. A front deep in Soviet land after two years: a hazard of a negotiated peace, lower
//!    under a dominant leader. Otherwise the war goes on past 1945 (`ongoing`).
//!
//! Draws: `war` at each month of the war (index 0 collapse, 1 peace), `war.coup` at each month of
//! the purge (0 strike, 1 success) and `war.west` at January 1939 (an address, not a date: the same
//! number in twin worlds), index 0 the second front's spread.

use crate::{EventKind, WarOutcome};
use razvilka_kernel::{Month, Origin, Stream, Streams};

use crate::{Log, View, World};

const WAR: Stream = Stream::named("war");
const COUP: Stream = Stream::named("war.coup");
const WEST: Stream = Stream::named("war.west");
/// The month whose block of `war.west` holds the number drawn once per world: an address.
const WEST_ADDRESS: Month = Month::new(1939, 1);

/// The ground on the Moscow axis in a month (the climate of western Russia, not a date of history).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ground {
    /// The spring thaw and the autumn rains (rasputitsa): March–April, October–November.
    Mud,
    /// December to February.
    Winter,
    /// May to September.
    Dry,
}

/// The ground in `month`.
pub fn ground(month: Month) -> Ground {
    match month.month_of_year() {
        3 | 4 | 10 | 11 => Ground::Mud,
        12 | 1 | 2 => Ground::Winter,
        _ => Ground::Dry,
    }
}

assumptions! {
    pub struct Params {
        pub officers: f64 = "war.officers_1937",
        pub purge_rate: f64 = "war.purge_rate",
        pub reinstated: f64 = "war.reinstated",
        /// The largest share of the army's quality a purge can take (`war.purge_quality`).
        pub purge_quality: f64 = "war.purge_quality",
        /// The share of the officer corps whose purge does 63% of that harm (`war.purge_scale`).
        pub purge_scale: f64 = "war.purge_scale",
        pub coup_hazard: f64 = "war.coup_hazard",
        pub coup_success: f64 = "war.coup_success",
        pub soviet_troops: f64 = "war.soviet_troops_1941",
        pub german_troops: f64 = "war.german_troops_1941",
        pub q_soviet: f64 = "war.soviet_quality",
        pub q_max: f64 = "war.soviet_quality_max",
        pub learning: f64 = "war.learning",
        pub q_german: f64 = "war.german_quality",
        pub surprise: f64 = "war.surprise",
        pub surprise_months: f64 = "war.surprise_months",
        pub k_soviet: f64 = "war.soviet_loss_rate",
        pub k_german: f64 = "war.german_loss_rate",
        pub mobilisation: f64 = "war.mobilisation",
        pub field_cap: f64 = "war.soviet_field_cap",
        pub reinforcement: f64 = "war.reinforcement",
        /// The men Germany can still send East once it has attacked, in millions (`war.german_reserve`):
        /// its replacements fall as the reserve is drawn.
        pub german_reserve: f64 = "war.german_reserve",
        pub west_share_france: f64 = "war.west_share_france",
        pub west_share: f64 = "war.west_share",
        /// The share held in the West once it has landed in France (`war.west_share_1944`, named for
        /// the recorded landing).
        pub west_share_1944: f64 = "war.west_share_1944",
        /// Months from the West's war with Germany to its landing in France, and their spread.
        pub second_front: f64 = "war.second_front_months",
        pub second_front_sd: f64 = "war.second_front_sd",
        /// Months over which Lend-Lease grows to its full flow.
        pub lend_lease_ramp: f64 = "war.lend_lease_ramp",
        pub military_reference: f64 = "war.military_reference",
        pub munitions_elasticity: f64 = "war.munitions_elasticity",
        /// The war economy's shares (`economy.*`): occupied at Moscow's depth, evacuated, lost on the
        /// way, mobilised; and industry's capital elasticity.
        pub economy: crate::economy::WarShares = { crate::economy::WarShares },
        pub lend_lease: f64 = "war.lend_lease",
        pub speed: f64 = "war.front_speed",
        pub supply_km: f64 = "war.supply_km",
        pub mud: f64 = "war.mud",
        pub winter: f64 = "war.winter",
        pub berlin_km: f64 = "war.berlin_km",
        pub collapse_hazard: f64 = "war.collapse_hazard",
        pub peace_hazard: f64 = "war.peace_hazard",
        /// The defender's edge: the front moves only by the part of the log power ratio beyond
        /// `ln(defence)` (`war.defence`).
        pub defence: f64 = "war.defence",
    }
}

#[derive(Clone, Debug, Default)]
pub struct WarState {
    /// Officers discharged in the purge so far (before any reinstatement).
    pub discharged: f64,
    /// Of them, those not reinstated.
    pub net_purged: f64,
    pub officers: f64,
    /// Discharged this calendar year (for the yearly event).
    pub discharged_this_year: f64,
    /// An intervention (or a successful coup) keeps the army out of the purge.
    pub purge_exempt: bool,
    pub coup: Option<(Month, bool)>,
    pub start: Option<Month>,
    /// Kilometres east of the June 1941 border on the Moscow axis (negative: west of it).
    pub depth: f64,
    pub max_depth: f64,
    pub soviet_field: f64,
    pub german_field: f64,
    /// Soviet military dead (irrecoverable losses), millions.
    pub soviet_dead: f64,
    pub german_dead: f64,
    pub outcome: Option<(WarOutcome, Month)>,
    /// The front (km) and Soviet dead (millions) at the war's first December.
    pub first_december: Option<(f64, f64)>,
    /// The month the West lands in France (set when the West's war begins).
    pub second_front: Option<Month>,
    /// The share of Germany's army held in the West last month of the war (`west_share`).
    pub west_held: f64,
    /// Men sent East from Germany's reserve since the attack, millions (`german_intake`).
    pub german_reserve_drawn: f64,
}

impl WarState {
    /// Net share of the 1937 officer corps purged and not reinstated.
    pub fn purged_share(&self) -> f64 {
        if self.officers <= 0.0 {
            0.0
        } else {
            self.net_purged / self.officers
        }
    }

    pub fn active(&self) -> bool {
        self.start.is_some() && self.outcome.is_none()
    }
}

/// The Red Army's purge, a coup and the war: the sub-model. It carries out a scenario's sparing of
/// the army.
pub struct War;

impl crate::SubModel for War {
    const NAME: &'static str = "war";
    type Params = Params;
    fn step(world: &mut World, params: &Params, streams: &Streams) {
        step(world, params, streams)
    }
    fn apply(world: &mut World, action: &crate::Action) -> crate::Applied {
        if *action != crate::Action::NoArmyPurge {
            return crate::Applied::NotMine;
        }
        world.war.purge_exempt = true;
        crate::Applied::Done
    }
}

pub fn step(world: &mut World, params: &Params, streams: &Streams) {
    let (war, view, mut log) = world.split_war();
    month(war, &view, &mut log, params, streams);
}

/// One month: the war writes its own state and reads the party's terror, the diplomacy's dates and
/// the economy's accounts.
fn month(w: &mut WarState, view: &View, log: &mut Log, params: &Params, streams: &Streams) {
    if !view.free {
        return;
    }
    if w.officers == 0.0 {
        w.officers = params.officers;
    }
    if let (Some(west), None) = (view.diplomacy().west_war, w.second_front) {
        let spread = params.second_front_sd * streams.draws(WEST, WEST_ADDRESS).normal(0);
        let lag = (params.second_front + spread).round().max(1.0) as i32;
        w.second_front = Some(west.offset(lag));
    }
    if w.start.is_none() {
        purge(w, view, log, params, streams);
        if view.diplomacy().attack == Some(view.month) {
            begin(w, view, log, params);
        }
    } else if w.active() {
        campaign(w, view, log, params, streams);
    }
    if view.month.month_of_year() == 12 {
        if w.discharged_this_year > 0.0 {
            let officers = w.discharged_this_year;
            w.discharged_this_year = 0.0;
            log.emit(Origin::Mechanism, EventKind::ArmyPurge { officers });
        }
        if w.active() {
            let (depth_km, soviet_dead_millions) = (w.depth, w.soviet_dead);
            if w.first_december.is_none() {
                w.first_december = Some((w.max_depth, soviet_dead_millions));
            }
            log.emit(
                Origin::Mechanism,
                EventKind::FrontLine {
                    depth_km,
                    soviet_dead_millions,
                },
            );
        }
    }
}

/// Mechanisms 1–2.
/// The month's discharges, at the intensity with which the terror reaches the army.
fn purge(w: &mut WarState, view: &View, log: &mut Log, params: &Params, streams: &Streams) {
    let intensity = view.politics.terror.army;
    if w.purge_exempt || intensity <= 0.0 {
        return;
    }
    let remaining = w.officers - w.net_purged;
    let out = remaining * params.purge_rate * intensity;
    w.discharged += out;
    w.net_purged += out * (1.0 - params.reinstated);
    w.discharged_this_year += out;
    if w.coup.is_none() {
        let mut draws = streams.draws(COUP, view.month);
        if draws.chance(0, params.coup_hazard * intensity) {
            let succeeded = draws.chance(1, params.coup_success);
            w.coup = Some((view.month, succeeded));
            if succeeded {
                w.purge_exempt = true;
            }
            log.emit(Origin::Mechanism, EventKind::MilitaryCoup { succeeded });
        }
    }
}

fn begin(w: &mut WarState, view: &View, log: &mut Log, params: &Params) {
    // The June 1941 army, less what a Germany still fighting France must keep in the West.
    let west = west_share(w, view, params);
    let held = (1.0 - west) / (1.0 - params.west_share);
    w.west_held = west;
    w.start = Some(view.month);
    w.soviet_field = params.soviet_troops;
    w.german_field = params.german_troops * held;
    let surprise = view.diplomacy().surprise.unwrap_or(false);
    let two_fronts = view.diplomacy().two_fronts;
    log.emit(
        Origin::Mechanism,
        EventKind::WarBegan {
            surprise,
            two_fronts,
        },
    );
}

/// The share of the Red Army's quality the purge leaves: `1 − purge_quality · (1 − exp(−share /
/// purge_scale))`. The harm saturates: the purge took the high command first and almost whole (154 of
/// 186 division commanders), and the juniors discharged after them were being replaced anyway by an
/// army that was tripling its officer corps (Reese: the expansion more than the purge). It stays above
/// `1 − purge_quality` (> 0: the assumption's bound), so the front's log power ratio stays defined.
pub fn purge_kept(params: &Params, purged_share: f64) -> f64 {
    1.0 - params.purge_quality * (1.0 - (-purged_share.max(0.0) / params.purge_scale).exp())
}

/// Soviet army quality this month of the war.
fn soviet_quality(w: &WarState, params: &Params, months: f64) -> f64 {
    let start = params.q_soviet * purge_kept(params, w.purged_share());
    params.q_max - (params.q_max - start) * (-months / params.learning).exp()
}

/// The front's movement this month before the season and supply (km; positive = German advance):
/// `front_speed` times the part of `ln(P_G / P_S)` beyond the defender's edge `ln(defence)`. Inside
/// the edge neither side can break through and the front stands (the Rzhev salient, 1942–43).
pub fn push(params: &Params, german_power: f64, soviet_power: f64) -> f64 {
    let balance = (german_power / soviet_power).ln();
    let edge = params.defence.max(1.0).ln();
    params.speed * balance.signum() * (balance.abs() - edge).max(0.0)
}

/// The share of Germany's army held in the West this month.
fn west_share(w: &WarState, view: &View, params: &Params) -> f64 {
    let d = view.diplomacy();
    if d.west_war.is_none() {
        return 0.0;
    }
    if d.france_fallen.is_none() {
        params.west_share_france
    } else if w.second_front.is_some_and(|landing| view.month >= landing) {
        params.west_share_1944
    } else {
        params.west_share
    }
}

/// This month's Lend-Lease, in units of the recorded path's munitions: while the West fights
/// Germany, growing over `lend_lease_ramp` months from the month the USSR became the West's partner
/// (the crisis for an ally, the attack otherwise).
pub fn lend_lease(view: &View, params: &Params) -> f64 {
    let d = view.diplomacy();
    if d.west_war.is_none() {
        return 0.0;
    }
    let partner = if d.alignment == Some(crate::Alignment::WesternAlliance) {
        d.crisis
    } else {
        d.attack
    };
    let Some(since) = partner.filter(|&m| m <= view.month) else {
        return 0.0;
    };
    let months = view.month.since(since) as f64;
    params.lend_lease * (months / params.lend_lease_ramp.max(1e-9)).min(1.0)
}

/// The German replacements reaching the East this month (millions): `reinforcement` times the share
/// of Germany's army the West does not hold, times the share of its reserve (`war.german_reserve`)
/// not yet drawn since the attack. Germany's armed forces grew by about a million a year (7.31 M in
/// 1941, 8.41 M in 1942, 9.48 M in 1943) while its losses rose, and the army in the East, replaced
/// at a constant flow, would outgrow them: a reserve that drains keeps the East's replacements below
/// its losses once the war has run a year, as the Ostheer's were.
pub fn german_intake(params: &Params, west: f64, drawn: f64) -> f64 {
    let left = (1.0 - drawn / params.german_reserve.max(1e-9)).clamp(0.0, 1.0);
    params.reinforcement * (1.0 - west) * left
}

/// Mechanisms 3–4: one month of war.
fn campaign(w: &mut WarState, view: &View, log: &mut Log, params: &Params, streams: &Streams) {
    let start = w.start.expect("campaign runs only in war");
    let months = view.month.since(start) as f64;
    let q_s = soviet_quality(w, params, months);
    let q_g = params.q_german;
    let surprise = if view.diplomacy().surprise == Some(true) && months < params.surprise_months {
        params.surprise
    } else {
        1.0
    };
    // Munitions: last December's industrial capacity against the recorded path, times the share of
    // industry the economy still works this month.
    let capacity = view
        .economy()
        .last()
        .map_or(params.military_reference, |y| y.military);
    let occupied = params.economy.occupied(w.depth);
    // Evacuated plant works again from the war's second calendar year, as in the economy's account;
    // the labour the army takes comes out of civilian industry (munitions had first call on
    // workers), so it does not lower munitions here.
    let evacuated_back = view.month.year() > start.year();
    let working = params.economy.working(occupied, evacuated_back);
    let munitions = (capacity / params.military_reference).powf(params.munitions_elasticity)
        * working
        + lend_lease(view, params);
    let west = west_share(w, view, params);
    // The army in the East is the share of Germany's army the West does not hold (as at the attack):
    // when the West's share changes (France falls, the West lands in France) the army moves with it,
    // not only its reinforcements.
    w.german_field *= (1.0 - west) / (1.0 - w.west_held);
    w.west_held = west;
    let (s, g) = (w.soviet_field, w.german_field);
    let soviet_losses = (params.k_soviet * g * (q_g / q_s) * surprise).min(s);
    let german_losses = (params.k_german * s * (q_s / q_g) * munitions).min(g);
    // The recorded monthly intake (29.6 M over the war) already came from a country partly under
    // occupation, so it is not cut again by the occupied share.
    w.soviet_field = (s - soviet_losses + params.mobilisation).min(params.field_cap);
    let intake = german_intake(params, west, w.german_reserve_drawn);
    w.german_reserve_drawn += intake;
    w.german_field = g - german_losses + intake;
    w.soviet_dead += soviet_losses;
    w.german_dead += german_losses;
    let p_g = g * q_g * surprise;
    let p_s = s * q_s * munitions;
    let push = push(params, p_g, p_s);
    let season = match ground(view.month) {
        Ground::Mud => params.mud,
        Ground::Winter if push > 0.0 => params.winter,
        _ => 1.0,
    };
    // Each attacker's supply thins with the distance from where its advance began: the Germans' from
    // the border, the Red Army's from the deepest German line, across ground whose railways the
    // retreating side had wrecked and which had to be rebuilt (and re-gauged) behind the front.
    let advanced = if push > 0.0 {
        w.depth.max(0.0)
    } else {
        w.max_depth.max(0.0) - w.depth
    };
    let supply = (-advanced / params.supply_km).exp();
    w.depth += push * season * supply;
    w.max_depth = w.max_depth.max(w.depth);
    let mut draws = streams.draws(WAR, view.month);
    let outcome = if w.depth <= -params.berlin_km {
        Some(WarOutcome::SovietVictory)
    } else if w.depth >= params.economy.moscow_km && draws.chance(0, params.collapse_hazard) {
        Some(WarOutcome::SovietCollapse)
    } else if months >= 24.0 && w.depth > params.economy.moscow_km / 2.0 {
        let grip = view
            .politics
            .leader
            .map_or(0.0, |l| view.politics.power[l.index()]);
        draws
            .chance(1, params.peace_hazard * (1.0 - grip))
            .then_some(WarOutcome::NegotiatedPeace)
    } else {
        None
    };
    if let Some(outcome) = outcome {
        w.outcome = Some((outcome, view.month));
        log.emit(Origin::Mechanism, EventKind::WarEnded { outcome });
    }
}
