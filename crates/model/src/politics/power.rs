//! The apparatus, the votes and the leader: clienteles (mechanism 1), vote shares (mechanism 2),
//! the leader and the regime (mechanism 7).

use super::*;

/// Appointments and the decay of clienteles (mechanism 1). Runs in replay too: the real office
/// holders build their networks.
pub(super) fn apparatus(world: &mut World, params: &Params) {
    let tau = params.turnover;
    // One pass decays every clientele, lets the General Secretary and the regional chiefs appoint,
    // and sums the result (each person's clientele depends on his own state only, so one pass gives
    // the same numbers as one pass for each).
    const APPOINTING: OfficeSet = REGION_SET.union(OfficeSet::of(&[Office::GeneralSecretary]));
    let people = &world.people;
    let n = world.persons.len();
    let persons = &mut world.persons[..n];
    // Only the men who may have a clientele or appoint ([`World::clienteles`]): anyone else has
    // none, gains none, and adds exactly 0 to the sum, which is taken in the people's order.
    let walk = world.clienteles & crate::world::first_people(n);
    let mut kept = 0u64;
    let mut total = 0.0;
    for i in bits(walk) {
        let p = &mut persons[i];
        p.cadre *= 1.0 - tau;
        // A clientele below a hundred-thousandth of the party is no clientele (and costs nothing to
        // tally).
        if p.cadre < 1e-5 {
            p.cadre = 0.0;
        }
        let offices = p.offices;
        // The offices first: a bit test rules out most people before their standing is read.
        if offices.meets(APPOINTING) && p.fate.is_member() && !p.incapacitated {
            let org = people.get(PersonId(i as u8)).organization;
            let mut share = 0.0;
            if offices.has(Office::GeneralSecretary) {
                share += params.appointment_bias;
            }
            for (office, weight) in REGIONS.iter().zip(params.region_weight) {
                if offices.has(*office) {
                    share += params.regional_bias * weight;
                }
            }
            p.cadre += tau * share * org;
        }
        if p.cadre != 0.0 || offices.meets(APPOINTING) {
            kept |= 1 << i;
        }
        total += p.cadre;
    }
    if total > 1.0 {
        for i in bits(kept) {
            persons[i].cadre /= total;
        }
    }
    world.clienteles = kept;
    debug_assert!(
        world
            .persons
            .iter()
            .enumerate()
            .all(|(i, p)| kept >> i & 1 != 0 || (p.cadre == 0.0 && !p.offices.meets(APPOINTING))),
        "a clientele or an appointing post outside the apparatus's walk"
    );
}

/// What makes a faction head a live rival (a contender): he sits in the Politburo, holds a key post,
/// or has been beaten and not recanted (an unrepentant oppositionist stays a target until he recants
/// or is expelled).
pub(super) fn is_rival(p: &crate::PersonState) -> bool {
    p.defeats > 0 || p.offices.in_politburo() || p.offices.meets(KEY_SET)
}

/// Vote shares of the faction heads (mechanism 2), stored in `world.politics.power`.
///
/// The tally runs several times a month, so it works on bit masks of the members and the heads (one
/// bit a person, at most [`MAX_PEOPLE`] = 64) and walks only the people a pass needs. The sums are
/// taken in the people's order, as a plain walk over everyone would take them: a person skipped adds
/// exactly 0.
pub(super) fn update_power(world: &mut World, params: &Params, mut shock: Option<&mut Draws>) {
    let n = world.persons.len();
    let mut power = std::mem::take(&mut world.politics.power);
    power.clear();
    power.resize(n, 0.0);
    // The members and heads as the world keeps them ([`World::members_and_heads`]).
    let (members, heads) = world.members_and_heads();
    let persons = &world.persons[..n];
    let is_head = |i: usize| heads >> i & 1 != 0;
    // First the committed votes: each active member's clientele goes to his faction head (one pass
    // over the members: clienteles change every month, so who has one is read here).
    // A recanted head's followers (and the sick) are nobody's votes: they join the uncommitted.
    // Only members who may have a clientele ([`World::clienteles`]): a man outside them has none.
    let mut committed = 0.0;
    for i in bits(members & world.clienteles) {
        let p = &persons[i];
        if p.cadre == 0.0 || p.incapacitated {
            continue;
        }
        let cadre = p.cadre;
        // A head is his own head (his patron is gone, or he has none): no walk up the tree.
        let h = if is_head(i) {
            i
        } else {
            crate::world::head_by(persons, i, |m| members >> m & 1 != 0)
        };
        if is_head(h) {
            power[h] += cadre;
            committed += cadre;
        }
    }
    let uncommitted = (1.0 - committed).max(0.0);
    // Then the uncommitted, by appeal. Only a man who wants the leadership campaigns for them.
    let mut appeal = [0.0f64; MAX_PEOPLE];
    let mut total_appeal = 0.0;
    for i in bits(heads) {
        if is_rival(&world.persons[i]) {
            let a = appeal_of(world, params, PersonId(i as u8));
            appeal[i] = a;
            total_appeal += a;
        }
    }
    let mut total = 0.0;
    for i in bits(heads) {
        let v = &mut power[i];
        if total_appeal > 0.0 {
            *v += uncommitted * appeal[i] / total_appeal;
        }
        if let Some(draws) = shock.as_deref_mut() {
            // A head without votes has none after any shock (0 · exp(x) = 0: the normal is clamped,
            // so x is finite), and his number is not drawn: draws are addressed by index, so no
            // other number moves.
            if *v != 0.0 {
                *v *= (params.vote_noise * draws.normal(i as u32)).exp();
            }
        }
        total += *v;
    }
    if total > 0.0 {
        for i in bits(heads) {
            power[i] /= total;
        }
    }
    world.politics.power = power;
    world.politics.power_heads = heads;
}

/// The party members and the faction heads (see [`World::is_faction_head`]), one bit a person.
pub(super) fn members_and_heads(world: &World) -> (u64, u64) {
    world.members_and_heads()
}

/// The indices of the set bits of `mask`, lowest first.
pub(super) fn bits(mask: u64) -> impl Iterator<Item = usize> {
    crate::world::set_bits(mask)
}

/// `ambition · exp(β_p · prestige − β_i · distance(ideology, party centre))`, cached while his prestige
/// stays as it was (it changes only at a defeat, a victory, the Testament or the cult; ideology is fixed
/// for life).
pub(super) fn appeal_of(world: &mut World, params: &Params, id: PersonId) -> f64 {
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

/// The leader and the regime (mechanism 7).
pub(super) fn leadership(world: &mut World, params: &Params) {
    let power = &world.politics.power[..world.persons.len()];
    // The greatest share; among equals the last (as `Iterator::max_by` would choose). Only the
    // tally's heads are read: everyone else's share is 0, so a man outside them is never the one
    // kept below (a share of 0 or less is no one's), and among the heads the order is the people's.
    let mut top: Option<usize> = None;
    for i in bits(world.politics.power_heads) {
        let v = &power[i];
        if top.is_none_or(|t| power[t].total_cmp(v) != std::cmp::Ordering::Greater) {
            top = Some(i);
        }
    }
    debug_assert!(
        (0..power.len()).all(|i| world.politics.power_heads >> i & 1 != 0 || power[i] == 0.0),
        "a share outside the tally's heads"
    );
    let top = top.filter(|&t| power[t] > 0.0).map(|t| PersonId(t as u8));
    let share = top.map_or(0.0, |t| power[t.index()]);
    let leader = top.filter(|_| share >= params.leader_threshold);
    let regime = match leader {
        None => Regime::Collective,
        Some(l) => {
            // Another faction head in the Politburo (the heads as the world keeps them).
            let (_, heads) = world.members_and_heads();
            let rivals =
                bits(heads & !(1 << l.index())).any(|i| world.persons[i].offices.in_politburo());
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
        let prestige = world.person(l).prestige;
        world.set_prestige(l, prestige + params.cult_rate * share * (1.0 - prestige));
    }
}
