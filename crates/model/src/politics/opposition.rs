//! What the beaten do inside the party: stripped of posts, recanting.

use super::*;

/// Takes away what rung `step` of the ladder costs.
pub(super) fn strip(world: &mut World, id: PersonId, step: u8) {
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
pub(super) fn submit(world: &mut World, id: PersonId) {
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
pub(super) fn recantations(world: &mut World, params: &Params, draws: &mut Draws) {
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
