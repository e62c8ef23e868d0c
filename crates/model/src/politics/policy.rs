//! The economic policy the leadership chooses each December (mechanism 8).

use super::*;

/// The policy the leadership will pursue next year (mechanism 8): the leader's ideology (or the
/// vote-weighted ideology of the faction heads, under collective leadership), pushed toward coercing
/// the peasants by remembered procurement crises, read against thresholds.
pub(super) fn choose_policy(world: &mut World, params: &Params) {
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
