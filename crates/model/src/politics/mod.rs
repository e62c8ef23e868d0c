//! Politics: the succession struggle. See `docs/model/politics.md` for the equations and sources.
//!
//! Each month, in this order: (1) the apparatus; then, once the mechanisms run free, (6) vacancies,
//! and at a party meeting (2) votes, (5) Lenin's letter (at a congress), (3–4) coalitions and the
//! defeat ladder, recantations, and at a congress the Politburo topped up; finally, every month,
//! (7) leader, regime and repression. Before the divergence only (1) and (7) run, on the replayed
//! facts.
//!
//! 1. **The apparatus (the circular flow of power).** A share `cadre_turnover` of regional party
//!    posts changes hands each month. The General Secretary fills a share `appointment_bias ·
//!    organization` of them with his own clients; a regional party chief fills `regional_bias ·
//!    region_weight · organization`. Every clientele decays at the turnover rate. A faction's votes
//!    are the sum of its members' clienteles: the delegates it sends to a congress and its CC votes.
//! 2. **Votes.** Each faction head `f` commands `v_f = cadre_f + U · a_f / Σa`, where `U` is the
//!    uncommitted share (including the clienteles of men whose head has recanted) and `a_f =
//!    ambition_f · exp(β_p · prestige_f − β_i · distance(f, party centre))` is his appeal to it (only a
//!    man who wants to lead campaigns for it). At a meeting each `v_f` takes a log-normal shock
//!    (`vote_noise`).
//! 3. **Coalitions.** Each head picks as enemy the rival `j` maximising
//!    `E_ij = (w_v v_j + w_p prestige_j)(1 − w_m + w_m ambition_j) + w_a army_j + γ · distance(i, j) +
//!    pursuit · [j already beaten and unrepentant]`: perceived threat (rivals underrate the
//!    apparatus when `w_p` is large against `w_v`, and fear ambition), the fear of a Bonaparte,
//!    ideological enmity, and the momentum of a campaign under way. Then each head chooses again,
//!    adding `counterattack · v_j` for a rival whose faction chose him: a faction that turns on a
//!    head is answered (the troika's split, 1925). The heads sharing an enemy form the coalition
//!    against him.
//! 4. **Defeat ladder.** If the largest coalition holds a majority, its target's threat is at least
//!    `min_threat` (or he is already beaten), `ladder_gap` months have passed since his last defeat,
//!    and the coalition takes the initiative (`initiative_plenum` or `initiative_congress`, damped by
//!    `lenin_restraint` while Lenin works, and after Lenin's letter is read by `letter_truce ·
//!    exp(−months since / letter_truce_months)`), the target goes one rung down: (1) his posts outside the
//!    Politburo, (2) his Politburo seat, (3) his CC seat, (4) expulsion. With him goes every other
//!    head who fights the coalition's leader and is nearer the target in his politics (the
//!    opposition condemned as a bloc), each a rung down his own ladder if it allows. From the second rung his
//!    followers share the fall (at expulsion each is expelled with probability equal to his loyalty,
//!    or recants). A beaten head out of the Politburo may recant at a meeting (`recant_rate · (1 −
//!    ambition)`), which ends his fight.
//! 5. **Lenin's letter.** The letter names the General Secretary of the month Lenin first fell ill.
//!    At the first congress after Lenin dies it is read: the other leaders it criticises lose
//!    `testament_others_hit` of their prestige; if the man it names is still General Secretary, he
//!    loses `testament_gs_hit` and the CC votes on removing him. Heads whose enemy is his faction vote
//!    for removal, and the letter's authority moves a share `testament_pull` of every other vote (his
//!    own faction's included), times a log-normal shock (`vote_noise`); the motion carries above one
//!    half. If Lenin is
//!    alive and back at work after a stroke, he moves the removal himself at the next congress, with
//!    `lenin_pull` instead and no reading.
//! 6. **Vacancies.** A key post left vacant by someone in the people table is filled, on this month's
//!    tally, by the candidate with the best fitness for it (organisation for party posts; the mean of
//!    organisation and prestige for great state posts; `fitness_soldier` for soldiers at the War
//!    Commissariat) plus `appointment_faction_bonus` for the strongest faction's men, minus
//!    `appointment_busy_penalty` per key post held, plus noise (`appointment_noise`).
//! 7. **Leader, regime and repression.** The head of the strongest faction is the leader if his share
//!    passes `leader_threshold`; the regime is collective, an oligarchy, or a personal dictatorship
//!    once he passes `dictatorship_threshold` with no unbroken rival left in the Politburo. The
//!    leader's prestige drifts toward 1 (`cult_rate`). Repression moves (`repression_speed`) toward
//!    `base + ρ · ruthlessness · share² · min(1, w · surviving enemies' prestige)`, where `ρ = 1` under
//!    a personal dictatorship and `oligarchy_restraint` otherwise. That is the *drift*; the terror
//!    (mechanism 9) adds its intensity on top.
//!
//! 8. **Policy** is the economy's decision (`economy::decide`), each December, on the leadership this
//!    model publishes: who leads (`View::leadership_ideology`) is decided here, what they do with the
//!    economy there.
//!
//! 9. **The terror** (`terror.rs`): a trigger under a personal dictatorship (a plot scare or an
//!    assassination), escalation with the leader's ruthlessness, a halt whose hazard grows with the
//!    terror's intensity, and decay; repression is the drift plus the terror's intensity.
//!
//! Draws: `politics.meeting`, one block per meeting, with n = the number of people: index = head for
//! his vote shock, n for the letter's pull, n + 1 for the motion, n + 2 + person for a recantation,
//! 2n + 2 + person for a follower at his head's expulsion; `politics.choice` (index = person + 64 ×
//! office: appointments); `politics.terror` (see `terror.rs`).

mod careers;
mod contest;
mod meetings;
mod opposition;
mod power;
mod terror;

use crate::{EventKind, Fate, Office, PersonId, Regime};
use razvilka_kernel::{cell, Draws, Origin, Stream, Streams};

use crate::people::ideology_distance as distance;
use crate::people::{Testament, MAX_PEOPLE};
use crate::{OfficeSet, World};

use careers::*;
use contest::*;
use meetings::*;
use opposition::*;
use power::*;
use terror::*;
pub use terror::{army_purge, grip, war_danger, TerrorState};

const MEETING: Stream = Stream::named("politics.meeting");
const CHOICE: Stream = Stream::named("politics.choice");
/// Indices in `politics.meeting` (n = the number of people): each head's vote shock at his own index,
/// then the letter's pull, the motion, recantations and followers' choices, so that one block of the
/// stream serves a whole meeting.
fn letter_index(n: usize) -> u32 {
    n as u32
}
fn motion_index(n: usize) -> u32 {
    n as u32 + 1
}
fn recant_index(n: usize, id: PersonId) -> u32 {
    n as u32 + 2 + id.0 as u32
}
fn follower_index(n: usize, id: PersonId) -> u32 {
    2 * n as u32 + 2 + id.0 as u32
}

/// Posts whose holders the strongest faction replaces when they fall vacant. The General Secretary
/// comes first: the rest are appointed by the faction that controls the Secretariat.
pub const KEY_OFFICES: [Office; 13] = [
    Office::GeneralSecretary,
    Office::SovnarkomChair,
    Office::WarCommissar,
    Office::CominternChair,
    Office::PravdaEditor,
    Office::TradeUnions,
    Office::CccChair,
    Office::OgpuChair,
    Office::VsnkhChair,
    Office::LeningradBoss,
    Office::MoscowBoss,
    Office::UkraineBoss,
    Office::TranscaucasiaBoss,
];

const KEY_SET: OfficeSet = OfficeSet::of(&KEY_OFFICES);

/// Regional party organisations whose chief appoints his region's officials.
const REGIONS: [Office; 5] = [
    Office::LeningradBoss,
    Office::MoscowBoss,
    Office::UkraineBoss,
    Office::TranscaucasiaBoss,
    Office::NorthCaucasusBoss,
];
const REGION_SET: OfficeSet = OfficeSet::of(&REGIONS);

assumptions! {
    pub struct Params {
        pub turnover: f64 = "politics.cadre_turnover",
        pub appointment_bias: f64 = "politics.appointment_bias",
        pub regional_bias: f64 = "politics.regional_bias",
        /// Share of the apparatus in each region of [`REGIONS`].
        pub region_weight: [f64; 5] = [
            "politics.region_weight.leningrad",
            "politics.region_weight.moscow",
            "politics.region_weight.ukraine",
            "politics.region_weight.transcaucasia",
            "politics.region_weight.north_caucasus",
        ],
        pub appeal_prestige: f64 = "politics.appeal_prestige",
        pub appeal_ideology: f64 = "politics.appeal_ideology",
        pub party_centre: [f64; 3] = [
            "politics.party_centre.pace",
            "politics.party_centre.agrarian",
            "politics.party_centre.comintern",
        ],
        pub vote_noise: f64 = "politics.vote_noise",
        pub threat_power: f64 = "politics.threat_power",
        pub threat_prestige: f64 = "politics.threat_prestige",
        pub threat_army: f64 = "politics.threat_army",
        pub threat_ambition: f64 = "politics.threat_ambition",
        pub enmity_ideology: f64 = "politics.enmity_ideology",
        pub pursuit: f64 = "politics.pursuit",
        pub min_threat: f64 = "politics.min_threat",
        pub initiative_plenum: f64 = "politics.initiative_plenum",
        pub initiative_congress: f64 = "politics.initiative_congress",
        pub lenin_restraint: f64 = "politics.lenin_restraint",
        pub letter_truce: f64 = "politics.letter_truce",
        pub letter_truce_months: f64 = "politics.letter_truce_months",
        pub ladder_gap: f64 = "politics.ladder_gap",
        pub defeat_prestige_loss: f64 = "politics.defeat_prestige_loss",
        pub defeat_cadre_loss: f64 = "politics.defeat_cadre_loss",
        pub victory_prestige_gain: f64 = "politics.victory_prestige_gain",
        pub recant_rate: f64 = "politics.recant_rate",
        pub testament_gs_hit: f64 = "politics.testament_gs_hit",
        pub testament_others_hit: f64 = "politics.testament_others_hit",
        pub testament_pull: f64 = "politics.testament_pull",
        pub lenin_pull: f64 = "politics.lenin_pull",
        pub leader_threshold: f64 = "politics.leader_threshold",
        pub dictatorship_threshold: f64 = "politics.dictatorship_threshold",
        pub repression_base: f64 = "politics.repression_base",
        pub repression_speed: f64 = "politics.repression_speed",
        pub repression_threat: f64 = "politics.repression_threat",
        pub oligarchy_restraint: f64 = "politics.oligarchy_restraint",
        pub cult_rate: f64 = "politics.cult_rate",
        pub plenum_interval: f64 = "politics.plenum_interval",
        pub politburo_size: f64 = "politics.politburo_size",
        pub appointment_noise: f64 = "politics.appointment_noise",
        pub appointment_faction_bonus: f64 = "politics.appointment_faction_bonus",
        pub appointment_busy_penalty: f64 = "politics.appointment_busy_penalty",
        pub fitness_soldier: f64 = "politics.fitness_soldier",
        pub defeat_stigma: f64 = "politics.defeat_stigma",
        pub defeat_memory: f64 = "politics.defeat_memory",
        pub politburo_organization_weight: f64 = "politics.politburo_organization_weight",
        pub terror_trigger: f64 = "politics.terror_trigger",
        pub terror_assassination: f64 = "politics.terror_assassination",
        pub terror_escalation: f64 = "politics.terror_escalation",
        pub terror_halt: f64 = "politics.terror_halt",
        pub terror_decay: f64 = "politics.terror_decay",
        pub terror_republic_danger: f64 = "politics.terror_republic_danger",
        pub army_suspicion_floor: f64 = "politics.army_suspicion_floor",
        pub terror_army_stage: f64 = "politics.terror_army_stage",
        pub terror_danger_months: f64 = "politics.terror_danger_months",
        pub terror_grip_months: f64 = "politics.terror_grip_months",
        pub committee_prestige: f64 = "politics.committee_prestige",
        pub counterattack: f64 = "politics.counterattack",
    }
}

/// Gives everyone his starting clientele: a regional chief starts at the level his appointments
/// sustain (`regional_bias · region_weight · organization`).
pub fn init(world: &mut World, params: &Params) {
    for id in world.ids() {
        let offices = world.person(id).offices;
        let cadre: f64 = REGIONS
            .iter()
            .zip(params.region_weight)
            .filter(|(o, _)| offices.has(**o))
            .map(|(_, w)| w * params.regional_bias)
            .sum::<f64>()
            * world.people.get(id).organization;
        world.person_mut(id).cadre = cadre;
    }
    update_power(world, params, None);
}

/// The party's struggle: the sub-model. It carries out a scenario's expulsions, removals and
/// appointments.
pub struct Politics;

impl crate::SubModel for Politics {
    const NAME: &'static str = "politics";
    type Params = Params;
    fn init(world: &mut World, params: &Params) {
        init(world, params)
    }
    fn step(world: &mut World, params: &Params, streams: &Streams) {
        step(world, params, streams)
    }
    fn apply(world: &mut World, action: &crate::Action) -> crate::Applied {
        let origin = Origin::Intervention;
        match *action {
            crate::Action::Appoint(p, office) => {
                if !world.person(p).fate.is_member() {
                    return crate::Applied::Done;
                }
                // A post held by one man changes hands; a seat in a body is simply added.
                if office.is_single_seat() {
                    if let Some(holder) = world.holder(office) {
                        world.lose_office(holder, office, origin);
                    }
                }
                world.gain_office(p, office, origin);
            }
            crate::Action::Expel(p) => {
                let month = world.month;
                let state = world.person_mut(p);
                state.defeats = 4;
                state.opposition = true;
                state.last_defeat = Some(month);
                world.set_fate(p, Fate::Expelled, origin);
            }
            crate::Action::RemoveOffice(p, office) => world.lose_office(p, office, origin),
            _ => return crate::Applied::NotMine,
        }
        crate::Applied::Done
    }
}

pub fn step(world: &mut World, params: &Params, streams: &Streams) {
    // After the state's collapse there is no party-state to appoint, vote or repress.
    if world.state_collapsed() {
        return;
    }
    world.abolish_offices();
    apparatus(world, params);
    testament_check(world);
    let meeting = convene(world, params);
    // Whether `world.politics.power` is already this month's tally of the world as it stands (the
    // tally is a pure function of the people's state, so a second one would give the same numbers).
    let mut tallied = false;
    if world.free {
        if !world.vacated.is_empty() && vacancies(world).next().is_some() {
            let vacancies = fill_vacancies(world, params, streams);
            tallied = vacancies == Vacancies::TalliedNoneFilled;
        }
        if let Some(congress) = meeting {
            tallied = false;
            let mut draws = streams.draws(MEETING, world.month);
            // The meeting's votes (the tally with its shocks) are read by Lenin's motion and the
            // elections at a congress, by the contest when the majority moves, and by the
            // Secretariat's election when a seat is open; the month's end tallies again from the
            // standing. At a plenum where the majority does not move and the Secretariat is full,
            // no one reads them, and neither the tally nor the contest is made (the recantations
            // change no one's activity or seat; every number is addressed by its index, so none
            // moves).
            let quiet = !congress
                && !takes_initiative(world, params, false, &mut draws)
                && open_seats(world, Office::Secretariat) == 0;
            if !quiet {
                update_power(world, params, Some(&mut draws));
                if congress {
                    lenin_motion(world, params, &mut draws);
                }
                contest(world, params, congress, &mut draws);
            }
            recantations(world, params, &mut draws);
            if congress {
                elect_central_committee(world, params, streams);
                fill_politburo(world, params);
            }
            fill_secretariat(world, params, streams);
        }
    }
    if !tallied {
        update_power(world, params, None);
    }
    leadership(world, params);
    repression(world, params, streams);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_is_a_normalised_euclidean_distance() {
        assert_eq!(distance(&[0.0; 3], &[0.0; 3]), 0.0);
        assert!((distance(&[0.0; 3], &[1.0; 3]) - 1.0).abs() < 1e-12);
    }
}

/// The politics sub-model's state.
#[derive(Clone, Debug)]
pub struct PoliticsState {
    /// For each person, the vote share of the faction he heads this month (0 if he heads none).
    pub power: Vec<f64>,
    /// The faction heads at the last tally, one bit each: everyone else's entry in `power` is 0.
    pub power_heads: u64,
    /// The dominant leader, or `None` for collective leadership.
    pub leader: Option<PersonId>,
    pub regime: Regime,
    /// Repression intensity, 0..1 (an index, not a count).
    pub repression: f64,
    /// Lenin's letter exists and waits for the next congress.
    pub testament_due: bool,
    /// The month Lenin's letter was read (or Lenin, back at work, moved the removal himself): the
    /// majority's truce after it is measured from here.
    pub testament_read: Option<razvilka_kernel::Month>,
    /// The General Secretary when Lenin first fell ill: the man his letter asks to remove.
    pub testament_target: Option<PersonId>,
    /// A party meeting held this month, from the calendar: (name, is a congress). The world layer
    /// sets it and logs the meeting; politics may add a routine plenum.
    pub meeting: Option<(String, bool)>,
    pub last_meeting: Option<razvilka_kernel::Month>,
    /// Each person's appeal to the uncommitted, with the prestige it was computed for.
    pub appeal_cache: Vec<Option<(f64, f64)>>,
    /// The leader of the coalition that carried the last defeat, and its month: the majority that
    /// fills the posts its target lost.
    pub majority: Option<(PersonId, razvilka_kernel::Month)>,
    /// The terror: the slow drift of repression and the terror's episode on top of it.
    pub terror: crate::politics::TerrorState,
}
