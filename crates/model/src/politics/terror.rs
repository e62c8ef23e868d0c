//! Repression and the terror (mechanism 7, its second half; mechanism 9).
//!
//! Repression is the sum of two parts. The regime's *drift* moves (`repression_speed`) toward what
//! the leader's temper, his grip and his surviving enemies call for (see the module's mechanism 7);
//! once a leader has halted his own terror, the men it imprisoned no longer count among them.
//! The *terror* is an episode on top of it: a trigger, escalation, a halt and de-escalation.
//!
//! 1. **Trigger.** Each month a leader who has not yet had his terror meets a plot scare with
//!    probability `terror_trigger · ruthlessness · share² · danger · grip`, never under collective
//!    leadership. `grip` ([`grip`]) is nothing under an oligarchy (a rival heading his own faction
//!    still sits in the Politburo: the oligarchy of 1926-30 shot none of its beaten men) and, under
//!    a personal dictatorship, builds from nothing to 1 over its first `terror_grip_months` (Kirov
//!    was killed four years after Rykov, the last rival, left the Politburo). `danger` is the war
//!    danger that makes a leader fear a fifth
//!    column: `terror_republic_danger` = d₀ (near zero) while the Weimar republic lasts; once the
//!    Nazis or the generals rule Germany it builds with their time in power, as they leave the League,
//!    rearm and make demands, `d₀ + (1 − d₀) · min(1, months / terror_danger_months)`, instead of
//!    jumping to 1 at the takeover. With probability
//!    `terror_assassination` the scare is an assassination: a full member of the Politburo other than
//!    the leader is killed, chosen in proportion to his prestige (the popular rival is the likely
//!    victim, as Kirov was). The trigger is logged (`EventKind::TerrorBegan`, with the victim if
//!    there is one, his death logged after it), so the arrests that follow have their cause in the
//!    story.
//! 2. **Escalation.** From the trigger the terror's intensity `E` grows each month by
//!    `terror_escalation · ruthlessness` (quotas raised, confessions naming more enemies), up to 1.
//!    Repression is `drift + E` (at most 1); the purges of the party (show trials of former
//!    oppositionists first: `fates.purge_opposition`), the executions and the army purge all read it.
//!    The army is reached last: the purge of the command (and the soldiers' extra arrests in the
//!    party's purges) waits until `E` first stands at `terror_army_stage` while the terror runs.
//! 3. **Halt.** Each month of escalation the leader calls a halt with probability
//!    `terror_halt · (E − terror_army_stage)₊²`: while the terror consumes the former oppositionists
//!    it costs him nothing he rules through; once it has run through the civilian apparatus and
//!    reached the army, the higher it runs past that stage the more it threatens his own instruments
//!    of rule, and the more steeply (a hazard in the square makes the halt come at a narrower range
//!    of dates). So a terror is not halted before it reaches the army. A new leader halts his
//!    predecessor's terror at once. Either halt is logged (`EventKind::TerrorHalted`).
//! 4. **De-escalation.** After the halt `E` falls by a share `terror_decay` a month. A leader has
//!    one terror: the next trigger waits for the next leader.
//!
//! Draws: `politics.terror` (index 0: the trigger, 1: assassination or scare, 2: the victim, 3: the
//! halt).

use super::*;
use crate::GermanRegime;
use razvilka_kernel::Month;

const TERROR: Stream = Stream::named("politics.terror");

/// The terror's state.
#[derive(Clone, Debug, Default)]
pub struct TerrorState {
    /// The regime's slow part of repression (before any terror: all of it).
    pub drift: f64,
    /// The terror's intensity on top of the drift, 0..1.
    pub escalation: f64,
    /// The leader whose terror this is, and the month of its trigger.
    pub began: Option<(PersonId, Month)>,
    /// The month the terror was halted.
    pub halted: Option<Month>,
    /// The month the terror reached the army: the first month its intensity stood at
    /// `terror_army_stage` or above while it ran (the record's Tukhachevsky affair, May 1937).
    /// Until then the army purge and the soldiers' extra arrests wait.
    pub army_reached: Option<Month>,
    /// The army purge's intensity this month, 0..1: the terror's intensity times the leader's
    /// suspicion of the army (see [`army_purge`]). The war model discharges officers in proportion.
    pub army: f64,
    /// The leader who rules as a personal dictator, and the first month of his present spell of
    /// it (`None` under an oligarchy or collective leadership): his grip on the apparatus and the
    /// police, which the trigger reads ([`grip`]), is measured from here.
    pub dictator_since: Option<(PersonId, Month)>,
}

/// Repression: the drift toward what the leader's temper, his grip and his surviving enemies call
/// for, plus the terror.
pub(super) fn repression(world: &mut World, params: &Params, streams: &Streams) {
    let target = match world.politics.leader {
        None => params.repression_base,
        Some(leader) => {
            let share = world.politics.power[leader.index()];
            // A leader who has had his terror and called it off holds the men it put in prison as
            // dealt with: they no longer call for repression. Before and during his terror they
            // count, as the enemies the police are still to break.
            let settled = world
                .politics
                .terror
                .began
                .is_some_and(|(l, _)| l == leader)
                && world.politics.terror.halted.is_some();
            let enemies = enemies_prestige(world, leader, settled);
            let ruthlessness = world.people.get(leader).ruthlessness;
            params.repression_base
                + restraint(world, params)
                    * ruthlessness
                    * share
                    * share
                    * (params.repression_threat * enemies).min(1.0)
        }
    };
    let dictator = match world.politics.leader {
        Some(l) if world.politics.regime == Regime::PersonalDictatorship => Some(l),
        _ => None,
    };
    let t = &mut world.politics.terror;
    if dictator != t.dictator_since.map(|(l, _)| l) {
        t.dictator_since = dictator.map(|l| (l, world.month));
    }
    t.drift += params.repression_speed * (target - t.drift);
    t.drift = t.drift.clamp(0.0, 1.0);
    if world.free {
        terror(world, params, streams);
    }
    let t = &world.politics.terror;
    world.politics.repression = (t.drift + t.escalation).clamp(0.0, 1.0);
    world.politics.terror.army = army_purge(world, params);
}

/// The prestige of the leader's living enemies: the beaten and unrepentant, those outside the party
/// (but, once the leader has settled with them, not his prisoners), and the soldiers not of his
/// faction. Summed again only when someone other than the leader has been written since the last sum
/// ([`crate::world::EnemiesSum`]), or the leader or his settledness changed.
fn enemies_prestige(world: &mut World, leader: PersonId, settled: bool) -> f64 {
    let others = world.enemies_sum.written & !(1 << leader.index());
    if let Some((l, s, sum)) = world.enemies_sum.sum {
        if others == 0 && l == leader && s == settled {
            debug_assert_eq!(
                sum.to_bits(),
                sum_enemies_prestige(world, leader, settled).to_bits(),
                "the enemies' prestige changed without a write through person_mut"
            );
            world.enemies_sum.written = 0;
            return sum;
        }
    }
    let sum = sum_enemies_prestige(world, leader, settled);
    world.enemies_sum = crate::world::EnemiesSum {
        written: 0,
        sum: Some((leader, settled, sum)),
    };
    sum
}

/// [`enemies_prestige`] summed afresh, in the people's order. The sum starts at −0.0, as
/// `Iterator::sum` of `f64` does (its value with no enemy), so it is the sum that iterator gave.
fn sum_enemies_prestige(world: &World, leader: PersonId, settled: bool) -> f64 {
    let mut enemies = -0.0;
    for (i, p) in world.persons.iter().enumerate() {
        if i == leader.index() || p.fate.is_dead() || (settled && p.fate == Fate::Imprisoned) {
            continue;
        }
        if p.opposition
            || !p.fate.is_member()
            || (world.people.get(PersonId(i as u8)).military
                && world.head_of(PersonId(i as u8)) != leader)
        {
            enemies += p.prestige;
        }
    }
    enemies
}

/// The army purge's intensity: nothing until the terror has reached the army (its intensity has
/// stood at `terror_army_stage` while it ran, [`TerrorState::army_reached`]); from then on the
/// terror's intensity `E` (escalating, then decaying after the halt) times the leader's suspicion of the army,
/// `σ₀ + (1 − σ₀) · (prestige of the soldiers in the party outside his faction) / (prestige of all
/// the soldiers in the party)`, σ₀ = `army_suspicion_floor`. A leader who sees a soldier of
/// standing who is not his man (Tukhachevsky in 1937) purges the command at the terror's full
/// intensity; one whose army is led by his own clients (or whose rivals in uniform are already
/// gone) purges it at the floor's share. No leader, no terror: no army purge.
pub fn army_purge(world: &World, params: &Params) -> f64 {
    let Some(leader) = world.politics.leader else {
        return 0.0;
    };
    let e = world.politics.terror.escalation;
    if e <= 0.0 || world.politics.terror.army_reached.is_none() {
        return 0.0;
    }
    let (mut outside, mut all) = (0.0, 0.0);
    for id in world.ids() {
        if id == leader || !world.people.get(id).military || !world.person(id).fate.is_member() {
            continue;
        }
        let prestige = world.person(id).prestige;
        all += prestige;
        if world.head_of(id) != leader {
            outside += prestige;
        }
    }
    let floor = params.army_suspicion_floor;
    let suspicion = if all > 0.0 {
        floor + (1.0 - floor) * outside / all
    } else {
        floor
    };
    (e * suspicion).clamp(0.0, 1.0)
}

/// A leader who still shares power with unbroken rivals cannot turn the police on the party as a
/// dictator can.
fn restraint(world: &World, params: &Params) -> f64 {
    if world.politics.regime == Regime::PersonalDictatorship {
        1.0
    } else {
        params.oligarchy_restraint
    }
}

/// How far the leader fears a fifth column in the party and the army: `terror_republic_danger`
/// while the Weimar republic lasts; once the Nazis or the generals rule Germany, a danger that
/// builds over their first `terror_danger_months` in power (they leave the League, rearm, reoccupy
/// the Rhineland and make demands) from the republic's level to 1. A regime whose month of power
/// is not known (a world built in the middle of its rule) is taken as long established.
pub fn war_danger(world: &World, params: &Params) -> f64 {
    let floor = params.terror_republic_danger;
    if world.germany.regime == GermanRegime::Weimar {
        return floor;
    }
    let Some(since) = world.germany.regime_since else {
        return 1.0;
    };
    let months = f64::from(world.month.since(since).max(0));
    let built = if params.terror_danger_months > 0.0 {
        (months / params.terror_danger_months).min(1.0)
    } else {
        1.0
    };
    floor + (1.0 - floor) * built
}

/// How far the leader's grip on the party lets him turn a scare into a terror: nothing while he
/// still shares the Politburo with rivals who head their own factions (an oligarchy, in the model's
/// sense) or there is no leader; under his personal dictatorship it builds in a straight line over
/// its first `terror_grip_months` (from his first month as dictator, 0, to 1), the time it takes
/// to put his own men at the head of the apparatus and the police. A dictatorship the model has
/// not seen begin is taken as new.
pub fn grip(world: &World, params: &Params) -> f64 {
    let Some((dictator, since)) = world.politics.terror.dictator_since else {
        return 0.0;
    };
    if world.politics.leader != Some(dictator) {
        return 0.0;
    }
    if params.terror_grip_months <= 0.0 {
        return 1.0;
    }
    (f64::from(world.month.since(since).max(0)) / params.terror_grip_months).min(1.0)
}

/// The terror's trigger, escalation, halt and de-escalation.
fn terror(world: &mut World, params: &Params, streams: &Streams) {
    let leader = world.politics.leader;
    let t = &world.politics.terror;
    let running = t.began.is_some() && t.halted.is_none();
    if let Some((whose, _)) = t.began.filter(|&(l, _)| running && Some(l) != leader) {
        // A new leader (or none) does not carry on his predecessor's terror.
        world.politics.terror.halted = Some(world.month);
        world.emit(
            Origin::Mechanism,
            EventKind::TerrorHalted {
                leader: whose,
                successor: true,
            },
        );
    }
    let t = &world.politics.terror;
    if t.halted.is_some() {
        let e = &mut world.politics.terror.escalation;
        *e *= 1.0 - params.terror_decay;
        if *e < 1e-4 {
            *e = 0.0;
        }
    }
    let Some(leader) = leader else { return };
    let ruthlessness = world.people.get(leader).ruthlessness;
    let t = &world.politics.terror;
    if t.began.is_some() && t.halted.is_none() {
        let mut draws = streams.draws(TERROR, world.month);
        let e = &mut world.politics.terror.escalation;
        *e = (*e + params.terror_escalation * ruthlessness).min(1.0);
        let e = *e;
        // The terror reaches the army once it has run through the civilian apparatus: the record's
        // order, the opposition's show trials (Aug 1936, Jan 1937) before the military plot (May
        // 1937), whose accused the earlier confessions had named.
        if e >= params.terror_army_stage && world.politics.terror.army_reached.is_none() {
            world.politics.terror.army_reached = Some(world.month);
        }
        // The halt weighs what the terror costs the leader's own instruments of rule: nothing while
        // it consumes the former oppositionists, more and more once it has turned on the
        // apparatus and the army (the stage of its reach).
        let beyond = (e - params.terror_army_stage).max(0.0);
        if draws.chance(3, params.terror_halt * beyond * beyond) {
            world.politics.terror.halted = Some(world.month);
            world.emit(
                Origin::Mechanism,
                EventKind::TerrorHalted {
                    leader,
                    successor: false,
                },
            );
        }
        return;
    }
    if t.began.is_some_and(|(l, _)| l == leader) {
        return;
    }
    // Only a leader who rules alone, and has had the time to put his men at the head of the
    // apparatus and the police, turns a scare into a terror (grip): Kirov was killed four years
    // after Rykov, the last rival heading his own faction, left the Politburo, in what Khlevniuk
    // calls the oligarchy of Stalin's own men. A Germany still a republic makes a fifth column less
    // to be feared (war danger).
    let share = world.politics.power[leader.index()];
    let hazard = params.terror_trigger
        * ruthlessness
        * share
        * share
        * war_danger(world, params)
        * grip(world, params);
    let mut draws = streams.draws(TERROR, world.month);
    if !draws.chance(0, hazard) {
        return;
    }
    world.politics.terror = TerrorState {
        drift: world.politics.terror.drift,
        escalation: world.politics.terror.escalation,
        began: Some((leader, world.month)),
        halted: None,
        army_reached: None,
        army: world.politics.terror.army,
        dictator_since: world.politics.terror.dictator_since,
    };
    // The trigger is logged with its victim, if the scare is an assassination, and his death after
    // it: the murder told as the terror's cause, the police's "plot" as what followed.
    let victim = if draws.chance(1, params.terror_assassination) {
        assassination_victim(world, leader, &mut draws)
    } else {
        None
    };
    world.emit(Origin::Mechanism, EventKind::TerrorBegan { leader, victim });
    if let Some(victim) = victim {
        world.die(victim, crate::DeathCause::Killed, Origin::Mechanism);
    }
}

/// The assassination's victim: a full member of the Politburo other than the leader, chosen in
/// proportion to his prestige (`None` if there is no one to kill).
fn assassination_victim(world: &World, leader: PersonId, draws: &mut Draws) -> Option<PersonId> {
    let members: Vec<PersonId> = world
        .ids()
        .filter(|&id| {
            id != leader
                && world.is_active(id)
                && !world.is_spared(id)
                && !world.changed_this_month(id)
                && world.person(id).offices.has(Office::Politburo)
        })
        .collect();
    let weights: Vec<f64> = members
        .iter()
        .map(|&id| world.person(id).prestige)
        .collect();
    draws.choose(2, &weights).map(|k| members[k])
}
