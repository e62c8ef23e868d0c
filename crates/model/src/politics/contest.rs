//! Coalitions and the defeat ladder (mechanisms 3–4).

use super::*;
use std::cmp::Ordering;
use std::sync::Arc;

/// How threatening `j` looks: his votes and his prestige, scaled by his ambition.
pub(super) fn threat(world: &World, params: &Params, j: PersonId) -> f64 {
    let ambition = world.people.get(j).ambition;
    (params.threat_power * world.politics.power[j.index()]
        + params.threat_prestige * world.person(j).prestige)
        * (1.0 - params.threat_ambition + params.threat_ambition * ambition)
}

/// Each head's enemy (mechanism 3), by his index (`None` beyond the people table). A head without votes
/// at the last tally has none: he adds nothing to a coalition, so his choice is not computed.
///
/// The choice reads the heads, their vote shares, the contenders' threats and the fixed distances
/// between the people; the world keeps the last choice with all of these ([`crate::world::EnemiesMemo`])
/// and gives it again while they are the same, bit for bit (Lenin's letter, the contest and the
/// careers ask several times a month; debug builds check each reuse against a fresh choice).
pub(super) fn enemies(world: &World, params: &Params) -> [Option<PersonId>; MAX_PEOPLE] {
    let (_, heads) = members_and_heads(world);
    let mut contenders = [(PersonId(0), 0.0); MAX_PEOPLE];
    let count = contenders_into(world, params, heads, &mut contenders);
    if let Some(enemies) = remembered(world, params, heads, &contenders[..count]) {
        return enemies;
    }
    let enemies = choose_enemies(world, params, heads, &contenders[..count]);
    remember(world, params, heads, &contenders[..count], &enemies);
    enemies
}

/// Each head's enemy, chosen afresh from the contenders.
fn choose_enemies(
    world: &World,
    params: &Params,
    heads: u64,
    contenders: &[(PersonId, f64)],
) -> [Option<PersonId>; MAX_PEOPLE] {
    let (mut enemies, attacked) = first_choices(world, params, heads, contenders);
    if params.counterattack > 0.0 {
        // A faction that has turned on a head is answered: each head chooses again, now counting
        // the votes of those who chose him as their enemy (the troika's split in 1925: Zinoviev and
        // Kamenev turned on Stalin, and Stalin, with Bukharin, turned on them at the 14th Congress).
        let attacks = enemies;
        for i in bits(heads & attacked) {
            enemies[i] = enemy_among(world, params, contenders, i, Some(&attacks));
        }
    }
    enemies
}

/// The parameters the choice reads besides the contenders' threats, as bits.
fn choice_params(params: &Params) -> [u64; 2] {
    [
        params.enmity_ideology.to_bits(),
        params.counterattack.to_bits(),
    ]
}

/// The last choice of enemies, if it read what the world holds now: the same people table and
/// parameters, the same heads with the same vote shares, and the same contenders with the same
/// threats.
fn remembered(
    world: &World,
    params: &Params,
    heads: u64,
    contenders: &[(PersonId, f64)],
) -> Option<[Option<PersonId>; MAX_PEOPLE]> {
    let memo = world.enemies_memo.0.borrow();
    let chosen = memo.as_deref()?;
    let power = &world.politics.power;
    let same = chosen.heads == heads
        && chosen.count == contenders.len()
        && std::ptr::eq(chosen.people.as_ptr(), Arc::as_ptr(&world.people))
        && chosen.params == choice_params(params)
        && bits(heads).all(|i| power[i].to_bits() == chosen.power[i].to_bits())
        && contenders
            .iter()
            .zip(&chosen.contenders)
            .all(|(a, b)| a.0 == b.0 && a.1.to_bits() == b.1.to_bits());
    if !same {
        return None;
    }
    debug_assert_eq!(
        chosen.enemies,
        choose_enemies(world, params, heads, contenders),
        "the enemies were reused although something they read changed"
    );
    Some(chosen.enemies)
}

/// Keeps a choice of enemies with what it read.
fn remember(
    world: &World,
    params: &Params,
    heads: u64,
    contenders: &[(PersonId, f64)],
    enemies: &[Option<PersonId>; MAX_PEOPLE],
) {
    let mut memo = world.enemies_memo.0.borrow_mut();
    let chosen = memo.get_or_insert_with(|| {
        Box::new(crate::world::ChosenEnemies {
            people: std::sync::Weak::new(),
            params: [0; 2],
            heads: 0,
            power: [0.0; MAX_PEOPLE],
            contenders: [(PersonId(0), 0.0); MAX_PEOPLE],
            count: 0,
            enemies: [None; MAX_PEOPLE],
        })
    });
    if !std::ptr::eq(chosen.people.as_ptr(), Arc::as_ptr(&world.people)) {
        chosen.people = Arc::downgrade(&world.people);
    }
    chosen.params = choice_params(params);
    chosen.heads = heads;
    let power = &world.politics.power;
    for i in bits(heads) {
        chosen.power[i] = power[i];
    }
    chosen.contenders[..contenders.len()].copy_from_slice(contenders);
    chosen.count = contenders.len();
    chosen.enemies = *enemies;
}

/// One man's enemy: `enemies(world, params)[id.index()]` (a man who heads no faction has none).
pub(super) fn enemy_of(world: &World, params: &Params, id: PersonId) -> Option<PersonId> {
    let (_, heads) = members_and_heads(world);
    if heads >> id.index() & 1 == 0 {
        return None;
    }
    enemies(world, params)[id.index()]
}

/// Each head's first choice of enemy, before anyone answers an attack, and the heads some head
/// chose, one bit each: only they choose again (a head no one chose has the same enmities the second
/// time, so the same enemy).
fn first_choices(
    world: &World,
    params: &Params,
    heads: u64,
    contenders: &[(PersonId, f64)],
) -> ([Option<PersonId>; MAX_PEOPLE], u64) {
    let mut choices = [None; MAX_PEOPLE];
    let mut attacked = 0u64;
    for i in bits(heads) {
        let choice = enemy_among(world, params, contenders, i, None);
        if let Some(j) = choice {
            attacked |= 1 << j.index();
        }
        choices[i] = choice;
    }
    (choices, attacked)
}

/// The heads who want the leadership, each with the part of E_ij that does not depend on i, written
/// to the front of `contenders`; returns how many.
fn contenders_into(
    world: &World,
    params: &Params,
    heads: u64,
    contenders: &mut [(PersonId, f64); MAX_PEOPLE],
) -> usize {
    let mut count = 0;
    for j in bits(heads) {
        let pj = &world.persons[j];
        if !is_rival(pj) {
            continue;
        }
        let army = if pj.offices.has(Office::WarCommissar) {
            params.threat_army
        } else {
            0.0
        };
        let pursued = if pj.defeats > 0 { params.pursuit } else { 0.0 };
        let j = PersonId(j as u8);
        contenders[count] = (j, threat(world, params, j) + army + pursued);
        count += 1;
    }
    count
}

/// Head `i`'s enemy among the contenders: none if he had no votes at the last tally. With `attacks`
/// (each head's first choice of enemy), a contender who chose `i` adds `counterattack` times his
/// vote share to `i`'s enmity toward him: the votes turned against a man threaten him in full.
/// Inlined into the walks over the heads, which read the same tables for every head.
#[inline(always)]
fn enemy_among(
    world: &World,
    params: &Params,
    contenders: &[(PersonId, f64)],
    i: usize,
    attacks: Option<&[Option<PersonId>; MAX_PEOPLE]>,
) -> Option<PersonId> {
    if world.politics.power[i] <= 0.0 {
        return None;
    }
    let distance = world.people.distances_from(PersonId(i as u8));
    // The greatest enmity; among equals the last (as `Iterator::max_by` would choose).
    let mut enemy: Option<(PersonId, f64)> = None;
    for &(j, base) in contenders {
        if j.index() == i {
            continue;
        }
        let mut enmity = base + params.enmity_ideology * distance[j.index()];
        if attacks.is_some_and(|a| a[j.index()] == Some(PersonId(i as u8))) {
            enmity += params.counterattack * world.politics.power[j.index()];
        }
        if enemy.is_none_or(|(_, e)| e.total_cmp(&enmity) != Ordering::Greater) {
            enemy = Some((j, enmity));
        }
    }
    enemy.map(|(j, _)| j)
}

/// Coalitions and the defeat ladder (mechanisms 3–4).
pub(super) fn contest(world: &mut World, params: &Params, congress: bool, initiative: &mut Draws) {
    // Whether the majority takes the initiative at this meeting reads neither the enemies nor the
    // votes, and its number is addressed by its index: asked first, a meeting at which no one moves
    // (three plenums in four) costs no choice of enemies, and every number and outcome is the same
    // as when it was asked last.
    if !takes_initiative(world, params, congress, initiative) {
        return;
    }
    let enemies = enemies(world, params);
    let power = &world.politics.power;
    let n = world.persons.len();
    // Only a head chooses an enemy: the others are walked past (in the people's order, as before).
    let (_, heads) = members_and_heads(world);
    let mut support = [0.0; MAX_PEOPLE];
    // The men someone chose, one bit each: everyone else has no support.
    let mut targets = 0u64;
    for i in bits(heads) {
        if let Some(j) = enemies[i] {
            support[j.index()] += power[i];
            targets |= 1 << j.index();
        }
    }
    debug_assert!(
        (0..n).all(|i| heads >> i & 1 != 0 || enemies[i].is_none()),
        "an enemy chosen by a man who heads no faction"
    );
    // The greatest support; among equals the last (as `Iterator::max_by` would choose). A man no
    // one chose has none, and a chosen man's is positive (a head without votes chooses no one),
    // so only the chosen are compared; with no one chosen nothing passes one half.
    let mut target: Option<usize> = None;
    for j in bits(targets) {
        if target.is_none_or(|t| support[t].total_cmp(&support[j]) != Ordering::Greater) {
            target = Some(j);
        }
    }
    let Some(target) = target.map(|i| PersonId(i as u8)) else {
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
    // A man given an office (or a new standing) this month is not also brought down in it: the
    // meeting that sits after the month's appointments does not undo them the same day, as his
    // followers are spared in `defeat`. The majority may move against him at its next meeting.
    if !ladder_allows(world, params, target) {
        return;
    }
    // The opposition is condemned as a bloc: every other head who stands against the majority's
    // leader and is nearer the target in his politics than the leader goes down a rung of his own
    // ladder with the target (the United Opposition's leaders beaten together in 1926-27, the
    // Right's three in 1929-30), if his own ladder allows it.
    let bloc: Vec<PersonId> = (0..n)
        .filter(|&i| i != target.index() && enemies[i] == Some(leader))
        .filter(|&i| {
            let d = world.people.distances_from(PersonId(i as u8));
            d[target.index()] < d[leader.index()]
        })
        .map(|i| PersonId(i as u8))
        .filter(|&a| ladder_allows(world, params, a))
        .collect();
    defeat(world, params, target, leader, share, initiative);
    for a in bloc {
        if world.is_active(a) && !world.changed_this_month(a) {
            defeat(world, params, a, leader, share, initiative);
        }
    }
}

/// Whether the majority moves against its target at this meeting, if it has one: `initiative_congress`
/// or `initiative_plenum`, held back while Lenin works and while his letter's truce lasts. It reads
/// neither the votes nor the enemies (its number is the meeting's `motion_index`), so it may be asked
/// before the tally.
pub(super) fn takes_initiative(
    world: &World,
    params: &Params,
    congress: bool,
    initiative: &mut Draws,
) -> bool {
    let mut chance = if congress {
        params.initiative_congress
    } else {
        params.initiative_plenum
    };
    if world.lenin.is_some_and(|l| world.is_active(l)) {
        chance *= 1.0 - params.lenin_restraint;
    }
    chance *= 1.0 - letter_truce(world, params);
    initiative.chance(motion_index(world.persons.len()), chance)
}

/// Whether a head may go one rung down now: not moved this month, a threat (or already beaten), and
/// `ladder_gap` months since his last defeat.
fn ladder_allows(world: &World, params: &Params, who: PersonId) -> bool {
    if world.changed_this_month(who) {
        return false;
    }
    let p = world.person(who);
    if threat(world, params, who) < params.min_threat && p.defeats == 0 {
        return false;
    }
    p.last_defeat
        .is_none_or(|last| world.month.since(last) as f64 >= params.ladder_gap)
}

/// How far the majority still holds back from the ladder after Lenin's letter: `letter_truce ·
/// exp(−months since the reading / letter_truce_months)`, 0 before the letter is read. The reading put
/// every leader the letter names in question, the General Secretary first; the majority that kept him
/// needed the congress's unity and its rivals' silence, and did not open a campaign until it had a
/// pretext and the letter had faded (politics.md §1, §6.4).
pub(super) fn letter_truce(world: &World, params: &Params) -> f64 {
    let Some(read) = world.politics.testament_read else {
        return 0.0;
    };
    let since = world.month.since(read).max(0) as f64;
    params.letter_truce * (-since / params.letter_truce_months).exp()
}

/// One rung down the ladder for `target` and his followers.
pub(super) fn defeat(
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
