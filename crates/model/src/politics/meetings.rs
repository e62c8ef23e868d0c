//! Party meetings and Lenin's letter (mechanism 5).

use super::*;

/// Lenin's letter waits for a congress once he is dead after a stroke (or, alive, once he is back at
/// work after one: then he argues for it himself).
pub(super) fn testament_check(world: &mut World) {
    let Some(lenin) = world.lenin else { return };
    if world.politics.testament_read.is_some() {
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
pub(super) fn convene(world: &mut World, params: &Params) -> Option<bool> {
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
pub(super) fn lenin_motion(world: &mut World, params: &Params, votes: &mut Draws) {
    if !world.politics.testament_due {
        return;
    }
    let Some(lenin) = world.lenin else { return };
    let lenin_alive = world.is_active(lenin);
    world.politics.testament_due = false;
    world.politics.testament_read = Some(world.month);
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
