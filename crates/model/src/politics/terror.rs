//! Repression (mechanism 7, its second half).

use super::*;

/// Repression drifts toward what the leader's temper, his grip and his surviving enemies call for.
pub(super) fn repression(world: &mut World, params: &Params) {
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
