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
//!    ideological enmity, and the momentum of a campaign under way. The heads sharing an enemy form
//!    the coalition against him.
//! 4. **Defeat ladder.** If the largest coalition holds a majority, its target's threat is at least
//!    `min_threat` (or he is already beaten), `ladder_gap` months have passed since his last defeat,
//!    and the coalition takes the initiative (`initiative_plenum` or `initiative_congress`, damped by
//!    `lenin_restraint` while Lenin works), the target goes one rung down: (1) his posts outside the
//!    Politburo, (2) his Politburo seat, (3) his CC seat, (4) expulsion. From the second rung his
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
//!    a personal dictatorship and `oligarchy_restraint` otherwise.
//!
//! 8. **Policy.** Each December the leader's ideology (or, under collective leadership, the
//!    vote-weighted ideology of the heads) sets next year's economic policy: collectivisation if its
//!    coercion of the peasantry, raised by `crisis_coercion` per remembered procurement crisis, passes
//!    `policy_coercion` (less `policy_hysteresis` once begun) and its pace passes `policy_pace_plan`;
//!    otherwise super-industrialisation, a moderate plan, the NEP with investment or the NEP by pace
//!    thresholds. A scenario can force a policy instead.
//!
//! Draws: `politics.meeting`, one block per meeting, with n = the number of people: index = head for
//! his vote shock, n for the letter's pull, n + 1 for the motion, n + 2 + person for a recantation,
//! 2n + 2 + person for a follower at his head's expulsion; `politics.choice` (index = person + 64 ×
//! office: appointments).

use crate::{EventKind, Fate, Office, PersonId, Regime};
use razvilka_kernel::{cell, Draws, Origin, Registry, Stream, Streams};

use crate::people::{Testament, MAX_PEOPLE};
use crate::{param, MissingAssumption, OfficeSet, World};

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
const KEY_OFFICES: [Office; 13] = [
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

#[derive(Clone, Debug)]
pub struct Params {
    pub turnover: f64,
    pub appointment_bias: f64,
    pub regional_bias: f64,
    /// Share of the apparatus in each region of [`REGIONS`].
    pub region_weight: [f64; 5],
    pub appeal_prestige: f64,
    pub appeal_ideology: f64,
    pub party_centre: [f64; 3],
    pub vote_noise: f64,
    pub threat_power: f64,
    pub threat_prestige: f64,
    pub threat_army: f64,
    pub threat_ambition: f64,
    pub enmity_ideology: f64,
    pub pursuit: f64,
    pub min_threat: f64,
    pub initiative_plenum: f64,
    pub initiative_congress: f64,
    pub lenin_restraint: f64,
    pub ladder_gap: f64,
    pub defeat_prestige_loss: f64,
    pub defeat_cadre_loss: f64,
    pub victory_prestige_gain: f64,
    pub recant_rate: f64,
    pub testament_gs_hit: f64,
    pub testament_others_hit: f64,
    pub testament_pull: f64,
    pub lenin_pull: f64,
    pub leader_threshold: f64,
    pub dictatorship_threshold: f64,
    pub repression_base: f64,
    pub repression_speed: f64,
    pub repression_threat: f64,
    pub oligarchy_restraint: f64,
    pub cult_rate: f64,
    pub plenum_interval: f64,
    pub politburo_size: f64,
    pub appointment_noise: f64,
    pub appointment_faction_bonus: f64,
    pub appointment_busy_penalty: f64,
    pub fitness_soldier: f64,
    pub policy_pace_investment: f64,
    pub policy_pace_plan: f64,
    pub policy_pace_super: f64,
    pub policy_coercion: f64,
    pub crisis_coercion: f64,
    pub policy_hysteresis: f64,
    pub defeat_stigma: f64,
    pub defeat_memory: f64,
    pub politburo_organization_weight: f64,
}

impl Params {
    pub fn from_registry(r: &Registry) -> Result<Params, MissingAssumption> {
        let p = |k: &str| param(r, &format!("politics.{k}"));
        Ok(Params {
            turnover: p("cadre_turnover")?,
            appointment_bias: p("appointment_bias")?,
            regional_bias: p("regional_bias")?,
            region_weight: [
                p("region_weight.leningrad")?,
                p("region_weight.moscow")?,
                p("region_weight.ukraine")?,
                p("region_weight.transcaucasia")?,
                p("region_weight.north_caucasus")?,
            ],
            appeal_prestige: p("appeal_prestige")?,
            appeal_ideology: p("appeal_ideology")?,
            party_centre: [
                p("party_centre.pace")?,
                p("party_centre.agrarian")?,
                p("party_centre.comintern")?,
            ],
            vote_noise: p("vote_noise")?,
            threat_power: p("threat_power")?,
            threat_prestige: p("threat_prestige")?,
            threat_army: p("threat_army")?,
            threat_ambition: p("threat_ambition")?,
            enmity_ideology: p("enmity_ideology")?,
            pursuit: p("pursuit")?,
            min_threat: p("min_threat")?,
            initiative_plenum: p("initiative_plenum")?,
            initiative_congress: p("initiative_congress")?,
            lenin_restraint: p("lenin_restraint")?,
            ladder_gap: p("ladder_gap")?,
            defeat_prestige_loss: p("defeat_prestige_loss")?,
            defeat_cadre_loss: p("defeat_cadre_loss")?,
            victory_prestige_gain: p("victory_prestige_gain")?,
            recant_rate: p("recant_rate")?,
            testament_gs_hit: p("testament_gs_hit")?,
            testament_others_hit: p("testament_others_hit")?,
            testament_pull: p("testament_pull")?,
            lenin_pull: p("lenin_pull")?,
            leader_threshold: p("leader_threshold")?,
            dictatorship_threshold: p("dictatorship_threshold")?,
            repression_base: p("repression_base")?,
            repression_speed: p("repression_speed")?,
            repression_threat: p("repression_threat")?,
            oligarchy_restraint: p("oligarchy_restraint")?,
            cult_rate: p("cult_rate")?,
            plenum_interval: p("plenum_interval")?,
            politburo_size: p("politburo_size")?,
            appointment_noise: p("appointment_noise")?,
            appointment_faction_bonus: p("appointment_faction_bonus")?,
            appointment_busy_penalty: p("appointment_busy_penalty")?,
            fitness_soldier: p("fitness_soldier")?,
            policy_pace_investment: p("policy_pace_investment")?,
            policy_pace_plan: p("policy_pace_plan")?,
            policy_pace_super: p("policy_pace_super")?,
            policy_coercion: p("policy_coercion")?,
            crisis_coercion: p("crisis_coercion")?,
            policy_hysteresis: p("policy_hysteresis")?,
            defeat_stigma: p("defeat_stigma")?,
            defeat_memory: p("defeat_memory")?,
            politburo_organization_weight: p("politburo_organization_weight")?,
        })
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

pub fn step(world: &mut World, params: &Params, streams: &Streams) {
    // After the state's collapse there is no party-state to appoint, vote or repress.
    if world.state_collapsed() {
        return;
    }
    world.abolish_offices();
    apparatus(world, params);
    testament_check(world);
    let meeting = convene(world, params);
    if world.free {
        if !world.vacated.is_empty() && vacancies(world).next().is_some() {
            // This month's tally: a man who has just died or fallen commands nothing.
            update_power(world, params, None);
            fill_vacancies(world, params, streams);
        }
        if let Some(congress) = meeting {
            let mut draws = streams.draws(MEETING, world.month);
            update_power(world, params, Some(&mut draws));
            if congress {
                lenin_motion(world, params, &mut draws);
            }
            contest(world, params, congress, &mut draws);
            recantations(world, params, &mut draws);
            if congress {
                fill_politburo(world, params);
            }
        }
    }
    update_power(world, params, None);
    leadership(world, params);
    repression(world, params);
    if world.free && world.month.month_of_year() == 12 {
        choose_policy(world, params);
    }
}

/// The policy the leadership will pursue next year (mechanism 8): the leader's ideology (or the
/// vote-weighted ideology of the faction heads, under collective leadership), pushed toward coercing
/// the peasants by remembered procurement crises, read against thresholds.
fn choose_policy(world: &mut World, params: &Params) {
    use crate::Policy;
    if world.economy.forced || world.month.year() + 1 < crate::economy::FIRST_YEAR {
        return;
    }
    let Some([mut pace, mut agrarian, _]) = world.leadership_ideology() else {
        return;
    };
    let crisis = world.economy.crisis_memory > 0.25;
    agrarian += params.crisis_coercion * world.economy.crisis_memory;
    pace = pace.clamp(0.0, 1.0);
    let current = world.economy.policy;
    // Collectivisation, once begun, is left only if the leadership turns well away from coercion.
    let coercion = if current == Policy::Collectivization {
        params.policy_coercion - params.policy_hysteresis
    } else {
        params.policy_coercion
    };
    let next = if agrarian >= coercion && pace >= params.policy_pace_plan {
        Policy::Collectivization
    } else if pace >= params.policy_pace_super {
        Policy::SuperIndustrialization
    } else if pace >= params.policy_pace_plan {
        Policy::ModeratePlan
    } else if pace >= params.policy_pace_investment {
        Policy::NepInvestment
    } else {
        Policy::Nep
    };
    if next != current {
        world.economy.policy = next;
        world.emit(
            Origin::Mechanism,
            EventKind::PolicyChanged {
                from: current,
                to: next,
                crisis,
            },
        );
    }
}

/// Appointments and the decay of clienteles (mechanism 1). Runs in replay too: the real office
/// holders build their networks.
fn apparatus(world: &mut World, params: &Params) {
    let tau = params.turnover;
    for p in world.persons.iter_mut() {
        p.cadre *= 1.0 - tau;
        // A clientele below a hundred-thousandth of the party is no clientele (and costs nothing to
        // tally).
        if p.cadre < 1e-5 {
            p.cadre = 0.0;
        }
    }
    // One pass finds the General Secretary and the regional chiefs.
    for id in world.ids() {
        let offices = world.person(id).offices;
        if !world.is_active(id)
            || !(offices.has(Office::GeneralSecretary) || offices.meets(REGION_SET))
        {
            continue;
        }
        let org = world.people.get(id).organization;
        let mut share = 0.0;
        if offices.has(Office::GeneralSecretary) {
            share += params.appointment_bias;
        }
        for (office, weight) in REGIONS.iter().zip(params.region_weight) {
            if offices.has(*office) {
                share += params.regional_bias * weight;
            }
        }
        world.person_mut(id).cadre += tau * share * org;
    }
    let total: f64 = world.persons.iter().map(|p| p.cadre).sum();
    if total > 1.0 {
        for p in world.persons.iter_mut() {
            p.cadre /= total;
        }
    }
}

/// A faction head (see [`World::is_faction_head`]).
fn is_head(world: &World, id: PersonId) -> bool {
    world.is_faction_head(id)
}

/// A head who is a live rival: he sits in the Politburo, holds a key post, or has been beaten and
/// not recanted (an unrepentant oppositionist stays a target until he recants or is expelled).
fn is_contender(world: &World, id: PersonId) -> bool {
    is_head(world, id) && is_rival(world.person(id))
}

/// The part of [`is_contender`] beyond being a head.
fn is_rival(p: &crate::PersonState) -> bool {
    p.defeats > 0 || p.offices.in_politburo() || p.offices.meets(KEY_SET)
}

use crate::people::ideology_distance as distance;

/// Vote shares of the faction heads (mechanism 2), stored in `world.politics.power`.
fn update_power(world: &mut World, params: &Params, mut shock: Option<&mut Draws>) {
    let n = world.persons.len();
    let mut power = std::mem::take(&mut world.politics.power);
    power.clear();
    power.resize(n, 0.0);
    let mut head = [false; 256];
    for (i, h) in head.iter_mut().enumerate().take(n) {
        *h = is_head(world, PersonId(i as u8));
    }
    // First the committed votes: each active member's clientele goes to his faction head.
    // A recanted head's followers (and the sick) are nobody's votes: they join the uncommitted.
    let mut committed = 0.0;
    for (i, p) in world.persons.iter().enumerate() {
        if p.cadre == 0.0 || !p.fate.is_member() || p.incapacitated {
            continue;
        }
        // A head is his own head (his patron is gone, or he has none): no walk up the tree.
        let h = if head[i] {
            i
        } else {
            world.head_of(PersonId(i as u8)).index()
        };
        if head[h] {
            power[h] += p.cadre;
            committed += p.cadre;
        }
    }
    let uncommitted = (1.0 - committed).max(0.0);
    // Then the uncommitted, by appeal. Only a man who wants the leadership campaigns for them.
    let mut appeal = [0.0f64; 256];
    let mut total_appeal = 0.0;
    for i in 0..n {
        if head[i] && is_rival(&world.persons[i]) {
            let a = appeal_of(world, params, PersonId(i as u8));
            appeal[i] = a;
            total_appeal += a;
        }
    }
    for (i, v) in power.iter_mut().enumerate() {
        if !head[i] {
            *v = 0.0;
            continue;
        }
        if total_appeal > 0.0 {
            *v += uncommitted * appeal[i] / total_appeal;
        }
        if let Some(draws) = shock.as_deref_mut() {
            *v *= (params.vote_noise * draws.normal(i as u32)).exp();
        }
    }
    let total: f64 = power.iter().sum();
    if total > 0.0 {
        for v in power.iter_mut() {
            *v /= total;
        }
    }
    world.politics.power = power;
}

/// `ambition · exp(β_p · prestige − β_i · distance(ideology, party centre))`, cached while his prestige
/// stays as it was (it changes only at a defeat, a victory, the Testament or the cult; ideology is fixed
/// for life).
fn appeal_of(world: &mut World, params: &Params, id: PersonId) -> f64 {
    let key = world.person(id).prestige;
    let cache = &mut world.politics.appeal_cache;
    if cache.len() <= id.index() {
        cache.resize(id.index() + 1, None);
    }
    if let Some((k, value)) = cache[id.index()] {
        if k == key {
            return value;
        }
    }
    let person = world.people.get(id);
    let value = person.ambition
        * (params.appeal_prestige * key
            - params.appeal_ideology * distance(&person.ideology, &params.party_centre))
        .exp();
    world.politics.appeal_cache[id.index()] = Some((key, value));
    value
}

/// Lenin's letter waits for a congress once he is dead after a stroke (or, alive, once he is back at
/// work after one: then he argues for it himself).
fn testament_check(world: &mut World) {
    let Some(lenin) = world.lenin else { return };
    if world.politics.testament_read {
        return;
    }
    if world.person(lenin).strokes > 0 && world.politics.testament_target.is_none() {
        world.politics.testament_target = world.general_secretary();
    }
    let p = world.person(lenin);
    world.politics.testament_due = p.strokes > 0 && (p.fate.is_dead() || !p.incapacitated);
}

/// The meeting this month: one from the calendar, or a routine plenum when none has met for
/// `plenum_interval` months. Returns whether it is a congress.
fn convene(world: &mut World, params: &Params) -> Option<bool> {
    if let Some((_, congress)) = world.politics.meeting.take() {
        world.politics.last_meeting = Some(world.month);
        return Some(congress);
    }
    let due = world
        .politics
        .last_meeting
        .is_none_or(|m| world.month.since(m) as f64 >= params.plenum_interval);
    if !due || !world.free {
        return None;
    }
    world.politics.last_meeting = Some(world.month);
    let name = "a plenum of the Central Committee".to_string();
    world.emit(
        Origin::Mechanism,
        EventKind::Meeting {
            name,
            congress: false,
        },
    );
    Some(false)
}

/// The Testament read at a congress, or Lenin himself moving against the General Secretary.
fn lenin_motion(world: &mut World, params: &Params, votes: &mut Draws) {
    if !world.politics.testament_due {
        return;
    }
    let Some(lenin) = world.lenin else { return };
    let lenin_alive = world.is_active(lenin);
    world.politics.testament_due = false;
    world.politics.testament_read = true;
    // The letter names the General Secretary of Lenin's last working months; if he is gone, it is
    // read (or Lenin speaks) but there is no one to remove.
    let named = world.politics.testament_target;
    let gs = world.general_secretary().filter(|gs| Some(*gs) == named);
    let pull = if lenin_alive {
        params.lenin_pull
    } else {
        world.emit(Origin::Mechanism, EventKind::TestamentRead);
        // The people the letter criticises besides the General Secretary (`testament = "named"` in
        // data/people.toml, which sources the wording).
        let named: Vec<PersonId> = world.people.in_testament(Testament::Named).collect();
        for p in named {
            world.person_mut(p).prestige *= 1.0 - params.testament_others_hit;
        }
        params.testament_pull
    };
    let Some(gs) = gs else { return };
    world.person_mut(gs).prestige *= 1.0 - params.testament_gs_hit;
    let target = world.head_of(gs);
    let enemies = enemies(world, params);
    let power = &world.politics.power;
    let enemies_of_target: f64 = world
        .ids()
        .filter(|id| enemies[id.index()] == Some(target))
        .map(|id| power[id.index()])
        .sum();
    // The letter's (or the living Lenin's) authority moves a share of every vote not already for
    // removal, the General Secretary's own men included: they too were Lenin's party.
    // How far the authority carries on the day is itself uncertain: the same log-normal shock as a
    // faction's vote.
    let carried = (pull
        * (params.vote_noise * votes.normal(letter_index(world.persons.len()))).exp())
    .min(1.0);
    let share_for = enemies_of_target + carried * (1.0 - enemies_of_target);
    let passed = share_for > 0.5;
    world.emit(
        Origin::Mechanism,
        EventKind::RemovalVote {
            target: gs,
            office: Office::GeneralSecretary,
            share_for,
            passed,
        },
    );
    if passed {
        world.lose_office(gs, Office::GeneralSecretary, Origin::Mechanism);
        world.lose_office(gs, Office::Secretariat, Origin::Mechanism);
    }
}

/// How threatening `j` looks: his votes and his prestige, scaled by his ambition.
fn threat(world: &World, params: &Params, j: PersonId) -> f64 {
    let ambition = world.people.get(j).ambition;
    (params.threat_power * world.politics.power[j.index()]
        + params.threat_prestige * world.person(j).prestige)
        * (1.0 - params.threat_ambition + params.threat_ambition * ambition)
}

/// Each head's enemy (mechanism 3). A head without votes at the last tally has none: he adds nothing to
/// a coalition, so his choice is not computed.
fn enemies(world: &World, params: &Params) -> Vec<Option<PersonId>> {
    // The part of E_ij that does not depend on i, once per contender.
    let contenders: Vec<(PersonId, f64)> = world
        .ids()
        .filter(|&id| is_contender(world, id))
        .map(|j| {
            let pj = world.person(j);
            let army = if pj.offices.has(Office::WarCommissar) {
                params.threat_army
            } else {
                0.0
            };
            let pursued = if pj.defeats > 0 { params.pursuit } else { 0.0 };
            (j, threat(world, params, j) + army + pursued)
        })
        .collect();
    world
        .ids()
        .map(|i| {
            if world.politics.power[i.index()] <= 0.0 || !is_head(world, i) {
                return None;
            }
            contenders
                .iter()
                .filter(|(j, _)| *j != i)
                .map(|&(j, base)| {
                    (
                        j,
                        base + params.enmity_ideology * world.people.distance(i, j),
                    )
                })
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(j, _)| j)
        })
        .collect()
}

/// Coalitions and the defeat ladder (mechanisms 3–4).
fn contest(world: &mut World, params: &Params, congress: bool, initiative: &mut Draws) {
    let enemies = enemies(world, params);
    let power = world.politics.power.clone();
    let n = world.persons.len();
    let mut support = vec![0.0; n];
    for (i, enemy) in enemies.iter().enumerate() {
        if let Some(j) = enemy {
            support[j.index()] += power[i];
        }
    }
    let Some(target) = (0..n)
        .max_by(|&a, &b| support[a].total_cmp(&support[b]))
        .map(|i| PersonId(i as u8))
    else {
        return;
    };
    let share = support[target.index()];
    if share <= 0.5 {
        return;
    }
    let leader = (0..n)
        .filter(|&i| enemies[i] == Some(target))
        .max_by(|&a, &b| power[a].total_cmp(&power[b]))
        .map(|i| PersonId(i as u8));
    let Some(leader) = leader else { return };
    let t = world.person(target);
    if threat(world, params, target) < params.min_threat && t.defeats == 0 {
        return;
    }
    if let Some(last) = t.last_defeat {
        if (world.month.since(last) as f64) < params.ladder_gap {
            return;
        }
    }
    let mut chance = if congress {
        params.initiative_congress
    } else {
        params.initiative_plenum
    };
    if world.lenin.is_some_and(|l| world.is_active(l)) {
        chance *= 1.0 - params.lenin_restraint;
    }
    if !initiative.chance(motion_index(world.persons.len()), chance) {
        return;
    }
    defeat(world, params, target, leader, share, initiative);
}

/// One rung down the ladder for `target` and his followers.
fn defeat(
    world: &mut World,
    params: &Params,
    target: PersonId,
    leader: PersonId,
    share: f64,
    draws: &mut Draws,
) {
    let step = world.person(target).defeats + 1;
    let month = world.month;
    let followers: Vec<PersonId> = world
        .ids()
        .filter(|&id| id != target && world.is_active(id) && world.head_of(id) == target)
        // A man appointed this month is not also brought down with his head in the same month.
        .filter(|&id| !world.changed_this_month(id))
        .collect();
    world.emit(
        Origin::Mechanism,
        EventKind::FactionDefeated {
            target,
            leader,
            share,
            step,
        },
    );
    {
        let t = world.person_mut(target);
        t.defeats = step;
        t.last_defeat = Some(month);
        t.opposition = true;
        t.prestige *= 1.0 - params.defeat_prestige_loss;
        t.cadre *= 1.0 - params.defeat_cadre_loss;
    }
    world.politics.majority = Some((leader, month));
    let l = world.person_mut(leader);
    l.prestige = (l.prestige + params.victory_prestige_gain).min(1.0);
    strip(world, target, step);
    // Followers share the fall once their head loses his Politburo seat: they lose theirs, then their
    // CC seats, and at his expulsion they are expelled or recant.
    for f in followers {
        if step < 2 {
            continue;
        }
        world.person_mut(f).opposition = true;
        world.person_mut(f).cadre *= 1.0 - params.defeat_cadre_loss;
        if step >= 4 {
            // A follower shares the expulsion as far as he is bound to his patron; the rest recant.
            if draws.chance(
                follower_index(world.persons.len(), f),
                world.person(f).loyalty,
            ) {
                world.set_fate(f, Fate::Expelled, Origin::Mechanism);
            } else {
                submit(world, f);
            }
        } else if step == 2 {
            world.lose_office(f, Office::Politburo, Origin::Mechanism);
            world.lose_office(f, Office::PolitburoCandidate, Origin::Mechanism);
        } else {
            strip(world, f, 3);
        }
    }
}

/// Takes away what rung `step` of the ladder costs.
fn strip(world: &mut World, id: PersonId, step: u8) {
    match step {
        1 => {
            let offices = world.person(id).offices;
            for office in offices.iter() {
                if !matches!(
                    office,
                    Office::Politburo | Office::PolitburoCandidate | Office::CentralCommittee
                ) {
                    world.lose_office(id, office, Origin::Mechanism);
                }
            }
        }
        2 => {
            strip(world, id, 1);
            world.lose_office(id, Office::Politburo, Origin::Mechanism);
            world.lose_office(id, Office::PolitburoCandidate, Origin::Mechanism);
        }
        3 => {
            strip(world, id, 2);
            world.lose_office(id, Office::CentralCommittee, Origin::Mechanism);
        }
        _ => world.set_fate(id, Fate::Expelled, Origin::Mechanism),
    }
}

/// He recants: no longer leads or follows a faction.
fn submit(world: &mut World, id: PersonId) {
    let from = world.person(id).patron;
    let p = world.person_mut(id);
    p.submitted = true;
    p.patron = None;
    world.emit(Origin::Mechanism, EventKind::Recanted { person: id });
    if from.is_some() {
        world.emit(
            Origin::Mechanism,
            EventKind::PatronChanged {
                person: id,
                from,
                to: None,
            },
        );
    }
}

/// Defeated heads who have lost their Politburo seats may recant at a meeting.
fn recantations(world: &mut World, params: &Params, draws: &mut Draws) {
    for id in world.ids() {
        let p = world.person(id);
        if p.defeats >= 2 && !p.submitted && world.is_active(id) {
            let ambition = world.people.get(id).ambition;
            if draws.chance(
                recant_index(world.persons.len(), id),
                params.recant_rate * (1.0 - ambition),
            ) {
                submit(world, id);
            }
        }
    }
}

/// Key posts someone in the table has left and no one holds.
fn vacancies(world: &World) -> impl Iterator<Item = Office> + '_ {
    let held = world.held_offices();
    KEY_OFFICES.iter().copied().filter(move |o| {
        world.vacated.has(*o) && !held.has(*o) && world.people.institutions.exists(*o, world.month)
    })
}

/// The posts that rule the state: only the majority's own men are given them.
const TOP_OFFICES: OfficeSet = OfficeSet::of(&[
    Office::GeneralSecretary,
    Office::SovnarkomChair,
    Office::WarCommissar,
    Office::OgpuChair,
]);

/// Whether `id` may take `office` under the institutions' rules: it goes with every office he holds,
/// and, if it is a post, he holds fewer than the most posts one man may hold.
fn may_hold(world: &World, id: PersonId, office: Office) -> bool {
    let inst = &world.people.institutions;
    let held = world.person(id).offices;
    held.iter().all(|o| inst.compatible(o, office))
        && (!inst.is_post(office)
            || held.iter().filter(|&o| inst.is_post(o)).count() < inst.max_posts)
}

/// What his defeats still cost him: `defeat_stigma · exp(−months since his last defeat /
/// defeat_memory)` for a man ever beaten or marked as opposition, else nothing.
fn stigma(world: &World, params: &Params, id: PersonId) -> f64 {
    let p = world.person(id);
    match p.last_defeat {
        Some(last) if p.defeats > 0 || p.opposition => {
            params.defeat_stigma * (-(world.month.since(last) as f64) / params.defeat_memory).exp()
        }
        _ if p.opposition => params.defeat_stigma,
        _ => 0.0,
    }
}

/// How fit `id` is for `office`: organisers for the apparatus, soldiers for the army, the mean of
/// skill and standing for the great state posts.
fn fitness(world: &World, params: &Params, id: PersonId, office: Office) -> f64 {
    let person = world.people.get(id);
    let prestige = world.person(id).prestige;
    let soldier = if person.military {
        params.fitness_soldier
    } else {
        0.0
    };
    match office {
        Office::WarCommissar => soldier + 0.5 * person.organization,
        Office::GeneralSecretary
        | Office::LeningradBoss
        | Office::MoscowBoss
        | Office::UkraineBoss
        | Office::TranscaucasiaBoss
        | Office::OgpuChair
        | Office::CccChair => person.organization,
        _ => 0.5 * person.organization + 0.5 * prestige,
    }
}

/// The strongest faction fills vacant key posts from its own people (mechanism 6).
fn fill_vacancies(world: &mut World, params: &Params, streams: &Streams) {
    // The coalition that carried the last defeat fills the posts for as long as its target's defeat
    // is remembered (and its leader still heads a faction); otherwise the strongest faction does.
    let majority = world.politics.majority.filter(|(leader, month)| {
        world.is_faction_head(*leader) && (world.month.since(*month) as f64) < params.defeat_memory
    });
    let Some(strongest) = majority
        .map(|(l, _)| l)
        .or_else(|| world.strongest_head(None))
    else {
        return;
    };
    let mut draws = streams.draws(CHOICE, world.month);
    let empty: Vec<Office> = vacancies(world).collect();
    for office in empty {
        let top = TOP_OFFICES.has(office);
        let best = world
            .ids()
            .filter(|&id| {
                world.is_active(id) && Some(id) != world.lenin && !world.person(id).submitted
            })
            .filter(|&id| world.person(id).offices.has(Office::CentralCommittee))
            .filter(|&id| may_hold(world, id, office))
            // The posts that rule the state go to the majority's own men, and not to a man it beat
            // within the memory of a defeat (unless he now heads the majority himself: a reversal).
            .filter(|&id| {
                !top || (world.head_of(id) == strongest
                    && (id == strongest
                        || world
                            .person(id)
                            .last_defeat
                            .is_none_or(|d| world.month.since(d) as f64 >= params.defeat_memory)))
            })
            .map(|id| {
                let own = if world.head_of(id) == strongest {
                    params.appointment_faction_bonus
                } else {
                    0.0
                };
                let busy = KEY_OFFICES
                    .iter()
                    .filter(|o| world.person(id).offices.has(**o))
                    .count() as f64;
                let score = fitness(world, params, id, office) + own
                    - params.appointment_busy_penalty * busy
                    - stigma(world, params, id)
                    + params.appointment_noise
                        * draws.normal(cell(id.0 as u32, MAX_PEOPLE as u32, office as u32));
                (id, score)
            })
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((id, _)) = best {
            world.gain_office(id, office, Origin::Mechanism);
        }
    }
}

/// A congress tops the Politburo up to its recorded size (`seats` of `[[office]] politburo` in
/// data/people.toml; `politburo_size` where the data gives none). The seats go first to the sitting
/// candidates (all but those of the faction the strongest is fighting), as the
/// record's promotions did (Bukharin in 1924, Molotov and Kalinin in 1926), then to the strongest
/// faction's men; never to a man in opposition or one whose offices exclude a seat.
/// Within each group the standing counts most: `prestige + politburo_organization_weight ·
/// organization`.
fn fill_politburo(world: &mut World, params: &Params) {
    let seated = world
        .ids()
        .filter(|&id| world.is_active(id) && world.person(id).offices.has(Office::Politburo))
        .count();
    let Some(strongest) = world.strongest_head(None) else {
        return;
    };
    // The majority promotes any sitting candidate but those of the faction it is fighting.
    let enemies = enemies(world, params);
    let allied = |head: PersonId| head == strongest || enemies[strongest.index()] != Some(head);
    let mut candidates: Vec<(PersonId, bool, f64)> = world
        .ids()
        .filter(|&id| {
            let p = world.person(id);
            world.is_active(id)
                && !p.offices.has(Office::Politburo)
                && Some(id) != world.lenin
                && !p.opposition
                && p.defeats == 0
                // (The candidate's seat he holds is the one he gives up for the full one.)
                && p.offices.iter().all(|o| {
                    o == Office::PolitburoCandidate
                        || world.people.institutions.compatible(o, Office::Politburo)
                })
        })
        .filter_map(|id| {
            let p = world.person(id);
            let candidate = p.offices.has(Office::PolitburoCandidate);
            let head = world.head_of(id);
            ((candidate && allied(head)) || head == strongest).then(|| {
                let standing = p.prestige
                    + params.politburo_organization_weight * world.people.get(id).organization;
                (id, candidate, standing)
            })
        })
        .collect();
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
    let size = world
        .people
        .institutions
        .seats(Office::Politburo, world.month)
        .unwrap_or(params.politburo_size as usize);
    let open = size.saturating_sub(seated);
    for (id, _, _) in candidates.into_iter().take(open) {
        // The full seat gives up the candidate's seat (the two exclude each other), so he never
        // stands outside the Politburo on the way up.
        world.gain_office(id, Office::CentralCommittee, Origin::Mechanism);
        world.gain_office(id, Office::Politburo, Origin::Mechanism);
    }
}

/// The leader and the regime (mechanism 7).
fn leadership(world: &mut World, params: &Params) {
    let power = &world.politics.power;
    let top = world
        .ids()
        .max_by(|a, b| power[a.index()].total_cmp(&power[b.index()]))
        .filter(|id| power[id.index()] > 0.0);
    let share = top.map_or(0.0, |t| power[t.index()]);
    let leader = top.filter(|_| share >= params.leader_threshold);
    let regime = match leader {
        None => Regime::Collective,
        Some(l) => {
            let rivals = world
                .ids()
                .any(|id| id != l && is_head(world, id) && world.person(id).offices.in_politburo());
            if share >= params.dictatorship_threshold && !rivals {
                Regime::PersonalDictatorship
            } else {
                Regime::Oligarchy
            }
        }
    };
    if leader != world.politics.leader {
        let from = world.politics.leader;
        world.politics.leader = leader;
        world.emit(
            Origin::Mechanism,
            EventKind::LeaderChanged { from, to: leader },
        );
    }
    if regime != world.politics.regime {
        let from = world.politics.regime;
        world.politics.regime = regime;
        world.emit(
            Origin::Mechanism,
            EventKind::RegimeChanged { from, to: regime },
        );
    }
    if let Some(l) = leader {
        let p = world.person_mut(l);
        p.prestige += params.cult_rate * share * (1.0 - p.prestige);
    }
}

/// Repression drifts toward what the leader's temper, his grip and his surviving enemies call for.
fn repression(world: &mut World, params: &Params) {
    let target = match world.politics.leader {
        None => params.repression_base,
        Some(leader) => {
            let share = world.politics.power[leader.index()];
            let enemies: f64 = world
                .ids()
                .filter(|&id| id != leader && world.is_alive(id))
                .filter(|&id| {
                    let p = world.person(id);
                    (p.opposition || !p.fate.is_member())
                        || (world.people.get(id).military && world.head_of(id) != leader)
                })
                .map(|id| world.person(id).prestige)
                .sum();
            let ruthlessness = world.people.get(leader).ruthlessness;
            // A leader who still shares power with unbroken rivals cannot turn the police on the
            // party as a dictator can.
            let restraint = if world.politics.regime == Regime::PersonalDictatorship {
                1.0
            } else {
                params.oligarchy_restraint
            };
            params.repression_base
                + restraint
                    * ruthlessness
                    * share
                    * share
                    * (params.repression_threat * enemies).min(1.0)
        }
    };
    let r = &mut world.politics.repression;
    *r += params.repression_speed * (target - *r);
    *r = r.clamp(0.0, 1.0);
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
