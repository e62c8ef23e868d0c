//! Careers: vacancies filled by fitness, faction and memory of defeat (mechanism 6), and the
//! Politburo topped up at a congress.

use super::*;

/// Key posts someone in the table has left and no one holds.
pub(super) fn vacancies(world: &World) -> impl Iterator<Item = Office> + '_ {
    let held = world.held_offices();
    KEY_OFFICES.iter().copied().filter(move |o| {
        world.vacated.has(*o) && !held.has(*o) && world.people.institutions.exists(*o, world.month)
    })
}

/// The posts that rule the state: only the majority's own men are given them.
pub(super) const TOP_OFFICES: OfficeSet = OfficeSet::of(&[
    Office::GeneralSecretary,
    Office::SovnarkomChair,
    Office::WarCommissar,
    Office::OgpuChair,
]);

/// Whether `id` may take `office` under the institutions' rules: it goes with every office he holds,
/// and, if it is a post, he holds fewer than the most posts one man may hold.
pub(super) fn may_hold(world: &World, id: PersonId, office: Office) -> bool {
    let inst = &world.people.institutions;
    let held = world.person(id).offices;
    !inst.excluded_by(held).has(office)
        && (!inst.is_post(office) || inst.posts_among(held) < inst.max_posts)
}

/// What his defeats still cost him: `defeat_stigma · exp(−months since his last defeat /
/// defeat_memory)` for a man ever beaten or marked as opposition, else nothing.
pub(super) fn stigma(world: &World, params: &Params, id: PersonId) -> f64 {
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
pub(super) fn fitness(world: &World, params: &Params, id: PersonId, office: Office) -> f64 {
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

/// What [`fill_vacancies`] did to the state the month's tally reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Vacancies {
    /// It tallied the votes (to find the strongest faction) and appointed no one: the tally in
    /// `world.politics.power` is still the world's.
    TalliedNoneFilled,
    /// It did not tally, or it appointed someone after tallying.
    Other,
}

/// The strongest faction fills vacant key posts from its own people (mechanism 6).
pub(super) fn fill_vacancies(world: &mut World, params: &Params, streams: &Streams) -> Vacancies {
    // The coalition that carried the last defeat fills the posts for as long as its target's defeat
    // is remembered (and its leader still heads a faction); otherwise the strongest faction does.
    let majority = world.politics.majority.filter(|(leader, month)| {
        world.is_faction_head(*leader) && (world.month.since(*month) as f64) < params.defeat_memory
    });
    let mut tallied = false;
    let strongest = match majority {
        Some((leader, _)) => Some(leader),
        None => {
            // This month's tally: a man who has just died or fallen commands nothing. (The majority's
            // leader needs no tally: the votes are read only to find the strongest.)
            update_power(world, params, None);
            tallied = true;
            world.strongest_head(None)
        }
    };
    let Some(strongest) = strongest else {
        return if tallied {
            Vacancies::TalliedNoneFilled
        } else {
            Vacancies::Other
        };
    };
    let mut filled = false;
    let mut draws = streams.draws(CHOICE, world.month);
    let empty: Vec<Office> = vacancies(world).collect();
    for office in empty {
        let top = TOP_OFFICES.has(office);
        let seated = world.accepted_for(office, |world, id| appointable(world, id, office));
        let mut best = appoint(world, params, &mut draws, strongest, office, top, seated);
        if best.is_none() && office == Office::GeneralSecretary {
            // The majority has no man of its own for the post: the Secretariat's succession.
            let fought = enemy_of(world, params, strongest);
            best = secretariat_succession(world, params, &mut draws, strongest, fought);
        }
        if let Some(id) = best {
            world.gain_office(id, office, Origin::Mechanism);
            filled = true;
        }
    }
    if tallied && !filled {
        Vacancies::TalliedNoneFilled
    } else {
        Vacancies::Other
    }
}

/// How a candidate for `office` scores: fitness, the majority's favour, less his other posts and his
/// defeats, plus the month's noise.
fn appointment_score(
    world: &World,
    params: &Params,
    draws: &mut Draws,
    strongest: PersonId,
    id: PersonId,
    office: Office,
) -> f64 {
    let own = if world.head_of(id) == strongest {
        params.appointment_faction_bonus
    } else {
        0.0
    };
    let busy = world.person(id).offices.intersection(KEY_SET).len() as f64;
    fitness(world, params, id, office) + own
        - params.appointment_busy_penalty * busy
        - stigma(world, params, id)
        + params.appointment_noise
            * draws.normal(cell(id.0 as u32, MAX_PEOPLE as u32, office as u32))
}

/// Whether `id` may be appointed at all this month: a seated, active member of the Central
/// Committee who has not recanted, is not Lenin, and whose offices allow `office`.
fn appointable(world: &World, id: PersonId, office: Office) -> bool {
    // The seat first: a bit test that rules out most of the table.
    world.person(id).offices.has(Office::CentralCommittee)
        && world.is_active(id)
        && Some(id) != world.lenin
        && !world.person(id).submitted
        && may_hold(world, id, office)
}

/// Whether the majority beat `id` within the memory of a defeat.
fn beaten_lately(world: &World, params: &Params, id: PersonId) -> bool {
    world
        .person(id)
        .last_defeat
        .is_some_and(|d| (world.month.since(d) as f64) < params.defeat_memory)
}

/// The best candidate for `office` under the ordinary rule, among the people [`appointable`] accepts
/// (`seated`, one bit each).
fn appoint(
    world: &World,
    params: &Params,
    draws: &mut Draws,
    strongest: PersonId,
    office: Office,
    top: bool,
    seated: u64,
) -> Option<PersonId> {
    bits(seated)
        .map(|i| PersonId(i as u8))
        // No key post goes to a man the majority beat within the memory of a defeat (unless he now
        // heads the majority himself: a reversal): the beaten leaders of the record lost their
        // party organisations, newspapers, unions and the Comintern (Zinoviev Leningrad and the
        // Comintern, Bukharin Pravda and the Comintern, Tomsky the unions) and got none of them
        // back while their defeat was fresh (politics.md §1, §3). The posts that rule the state go
        // to the majority's own men besides.
        .filter(|&id| id == strongest || !beaten_lately(world, params, id))
        .filter(|&id| !top || world.head_of(id) == strongest)
        .map(|id| {
            (
                id,
                appointment_score(world, params, draws, strongest, id, office),
            )
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

/// The Secretariat's succession: when the General Secretary's post is vacant and the majority has no
/// man of its own who may hold it, the plenum does not leave the Secretariat headless but gives the
/// post to one of the sitting Secretaries of the Central Committee, the men who already do its work
/// (the General Secretary was always chosen from among the CC's secretaries, elected with them by
/// the plenum: archontology.org, 'USSR: Communist Party: Secretariat'). Not to one of the faction
/// the majority is fighting, not to a man in opposition, and not to one it beat within the memory of
/// a defeat, nor to a fallen leader's follower who has not broken with him; among the rest the
/// ordinary appointment score decides.
fn secretariat_succession(
    world: &World,
    params: &Params,
    draws: &mut Draws,
    strongest: PersonId,
    fought: Option<PersonId>,
) -> Option<PersonId> {
    let office = Office::GeneralSecretary;
    world
        .ids()
        .filter(|&id| world.person(id).offices.has(Office::Secretariat))
        .filter(|&id| appointable(world, id, office))
        .filter(|&id| acceptable_to_majority(world, params, id, fought))
        .map(|id| {
            (
                id,
                appointment_score(world, params, draws, strongest, id, office),
            )
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

/// A plenum elects Secretaries of the Central Committee to the Secretariat's open seats (`seats` of
/// `[[office]] secretariat` in data/people.toml): the Secretariat was re-elected by the plenum after
/// each congress and its gaps filled at ordinary plenums (archontology.org, 'USSR: Communist Party:
/// Secretariat'), so a party whose secretaries have fallen with their patron does not stay without a
/// Secretariat, and so without anyone from whom [`secretariat_succession`] could take a General
/// Secretary. The candidates are apparatus men: no commander and no holder of one of the model's
/// posts. That is a judgment, stricter than the record: most secretaries elected 1922-1927 held no
/// other post of the model's (Molotov, Andreyev, Rudzutak, Kosior, Kaganovich in 1924-25), and a
/// secretary sent to a post usually left the Secretariat (Kaganovich relieved on 30 Apr 1925 when he
/// went to Ukraine, Kosior on 12 Jul 1928; archontology.org, above), but Zelensky and then Uglanov
/// headed the Moscow organisation while secretaries (1924-28). Without the rule the plenum chose by
/// standing and seated Zinoviev, Kamenev and the commander Frunze. Among the candidates only those
/// the succession itself would accept (seated, active, not in opposition, not bound to a fallen
/// leader, not of the faction the majority is fighting, not beaten lately) stand. The
/// ordinary appointment score, with its bonus for the majority's own men, ranks them.
pub(super) fn fill_secretariat(world: &mut World, params: &Params, streams: &Streams) {
    let office = Office::Secretariat;
    let Some(Election {
        open,
        strongest,
        fought,
    }) = election(world, params, office)
    else {
        return;
    };
    let mut draws = streams.draws(CHOICE, world.month);
    let mut candidates: Vec<(PersonId, f64)> = world
        .ids()
        .filter(|&id| {
            let offices = world.person(id).offices;
            !offices.has(office)
                && world.people.institutions.posts_among(offices) == 0
                && !world.people.get(id).military
                && appointable(world, id, office)
        })
        .filter(|&id| acceptable_to_majority(world, params, id, fought))
        .map(|id| {
            (
                id,
                appointment_score(world, params, &mut draws, strongest, id, office),
            )
        })
        .collect();
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    for (id, _) in candidates.into_iter().take(open) {
        world.gain_office(id, office, Origin::Mechanism);
    }
}

/// A body's election: its open seats (its recorded size this month less its active members), the
/// strongest faction's head, who elects, and the faction he is fighting.
struct Election {
    open: usize,
    strongest: PersonId,
    fought: Option<PersonId>,
}

/// The seats of `office`'s body left open by its active holders this month (0 for a body without a
/// recorded size).
pub(super) fn open_seats(world: &World, office: Office) -> usize {
    let Some(size) = world.people.institutions.seats(office, world.month) else {
        return 0;
    };
    let seated = world.active_holders(office).count_ones() as usize;
    size.saturating_sub(seated)
}

/// The election `office`'s body holds this month, if it has a recorded size, an open seat and a
/// strongest faction to fill it.
fn election(world: &World, params: &Params, office: Office) -> Option<Election> {
    let open = open_seats(world, office);
    if open == 0 {
        return None;
    }
    let strongest = world.strongest_head(None)?;
    let fought = enemy_of(world, params, strongest);
    Some(Election {
        open,
        strongest,
        fought,
    })
}

/// The posts whose holders the congress seats in the Committee first: the key posts and the great
/// regional party organisations (not a deputy's post in a republic's police, Beria's in 1922-26).
const GREAT_POSTS: OfficeSet = KEY_SET
    .union(REGION_SET)
    .union(OfficeSet::of(&[Office::FinanceCommissar]));

/// The congress elects the Central Committee (mechanism 6): the seats the men this model tracks
/// held after the congress (`[[office]] central_committee` in data/people.toml) are topped up from
/// active members outside it whom the majority would seat (as for its apparatus). The holders of
/// the great posts come first, since every head of a commissariat or a great regional party
/// organisation sat in the Committee; a man without one needs `committee_prestige`; then standing
/// (as for the Politburo's seats: prestige and half the organiser's skill), the majority's favour,
/// less what defeats still cost, with the month's noise. Seats lost between congresses wait for
/// the next one.
pub(super) fn elect_central_committee(world: &mut World, params: &Params, streams: &Streams) {
    let office = Office::CentralCommittee;
    let Some(Election {
        open,
        strongest,
        fought,
    }) = election(world, params, office)
    else {
        return;
    };
    let mut draws = streams.draws(CHOICE, world.month);
    let mut candidates: Vec<(PersonId, bool, f64)> = world
        .ids()
        .filter(|&id| {
            !world.person(id).offices.has(office)
                && world.is_active(id)
                && Some(id) != world.lenin
                && !world.person(id).submitted
                && may_hold(world, id, office)
                && acceptable_to_majority(world, params, id, fought)
        })
        .filter_map(|id| {
            let posts = world.person(id).offices.meets(GREAT_POSTS);
            if !posts && world.person(id).prestige < params.committee_prestige {
                return None;
            }
            let own = if world.head_of(id) == strongest {
                params.appointment_faction_bonus
            } else {
                0.0
            };
            let standing = world.person(id).prestige
                + params.politburo_organization_weight * world.people.get(id).organization;
            let score = standing + own - stigma(world, params, id)
                + params.appointment_noise
                    * draws.normal(cell(id.0 as u32, MAX_PEOPLE as u32, office as u32));
            Some((id, posts, score))
        })
        .collect();
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
    for (id, _, _) in candidates.into_iter().take(open) {
        world.gain_office(id, office, Origin::Mechanism);
    }
}

/// Whether the majority would seat `id` in its apparatus: not a man in opposition, not a fallen
/// leader's follower who has not broken with him (he chooses the month after his standing last
/// changed, fates.rs; a dead or emigrated patron's followers are simply free, as fates.rs frees
/// them), not of the faction it is fighting, and not one it beat within the memory of a defeat.
fn acceptable_to_majority(
    world: &World,
    params: &Params,
    id: PersonId,
    fought: Option<PersonId>,
) -> bool {
    let p = world.person(id);
    let bound = p.patron.is_some_and(|patron| {
        let fate = world.person(patron).fate;
        !fate.is_member() && fate != Fate::DeadNatural && fate != Fate::Abroad
    });
    !p.opposition
        && !bound
        && Some(world.head_of(id)) != fought
        && !beaten_lately(world, params, id)
}

/// A congress tops the Politburo up to its recorded size (`seats` of `[[office]] politburo` in
/// data/people.toml; `politburo_size` where the data gives none). The seats go first to the sitting
/// candidates (all but those of the faction the strongest is fighting), as the
/// record's promotions did (Bukharin in 1924, Molotov and Kalinin in 1926), then to the strongest
/// faction's men; never to a man in opposition or one whose offices exclude a seat.
/// Within each group the standing counts most: `prestige + politburo_organization_weight ·
/// organization`.
pub(super) fn fill_politburo(world: &mut World, params: &Params) {
    let seated = world.active_holders(Office::Politburo).count_ones() as usize;
    let Some(strongest) = world.strongest_head(None) else {
        return;
    };
    // The majority promotes any sitting candidate but those of the faction it is fighting.
    let fought = enemy_of(world, params, strongest);
    let allied = |head: PersonId| head == strongest || fought != Some(head);
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
