//! Fates: what becomes of the people who fall, and of the people who followed them.
//!
//! Mechanisms (equations and sources in `docs/model/fates.md`):
//! 1. **Loyalists.** When a patron leaves the party by expulsion, arrest or violent death (an
//!    intervention, or the fates of an outcast), each follower still in the party chooses, with
//!    weights, to *defect* to the strongest faction (`w_defect · value · (1 − loyalty)`, value = mean
//!    of organisation and prestige; he keeps `defect_loyalty_kept` of his loyalty), to be *demoted*
//!    (`w_demote`: central posts lost, patron none), to *fall with him* (`w_fall · loyalty`:
//!    expelled), or is *arrested* (`w_arrest · r · loyalty`, r = repression). Those who fall are marked
//!    as opposition. Followers who stay inherit a share `network_inheritance` of the fallen patron's
//!    clientele, by organisational skill. A follower whose patron dies a natural death or is abroad
//!    simply becomes his own man. (A head expelled at the end of the politics model's defeat ladder
//!    takes his followers with him there: they are expelled or recant, and inherit nothing.)
//! 2. **The outcast's state machine.** Each month an outcast moves by competing hazards:
//!    expelled → readmitted (recantation, `recant · (1 − ambition) · (1 − r) · s`, where
//!    `s = 1 − recant_standing · P₀` and `P₀` is his standing in the movement, the prestige the people
//!    table gives him: a man of great standing loses more by recanting), internal exile
//!    (`exile · P₀ · (exile_floor + r)`: the name that makes him dangerous in Moscow, which his
//!    defeats did not take away), a Caucasian power base (`caucasus · ambition ·
//!    network`, for a man from the Caucasus; network = `caucasus_floor` + the loyalty of the
//!    Caucasians who fell with him), emigration (`emigrate · (1 − r) · (1 − exit_watch)`: the police
//!    watch an expelled man), or prison (`arrest · r ·
//!    (1 − standing_shield · P₀)` while no terror runs, and then only once he has been out
//!    `recant_window` months, the time the party gave the expelled to recant; `arrest · r +
//!    show_arrest · P₀` while one does: his standing shields him, then makes him the show trials'
//!    first defendant);
//!    internal exile → abroad (deportation, `deport · prestige · (1 − r)`, times `1 − deport_precedent`
//!    once the regime has deported one man and `1 − deport_dictatorship` under a personal dictatorship), readmitted or prison (only while a terror runs: exile
//!    was the sentence, prison came with the terror); Caucasian base → revolt
//!    (`revolt · ambition · network`), prison (`arrest · (r + crackdown)`), readmitted or abroad;
//!    revolt → crushed (`crush`; killed with probability `revolt_death`, else prison) or a breakaway
//!    republic (`success · network`); breakaway → reconquered (`breakaway_fall`); prison → executed
//!    (`execution · E`, E the terror's intensity: no terror, no executions) or released and readmitted (`release · (1 − r) · s`,
//!    only once he has served `prison_term` months and while no terror runs, and never for a rebel taken in a crushed
//!    revolt, [`taken_in_arms`]: he took up arms against the state); abroad →
//!    assassinated
//!    (`assassination · r · prestige`, only once a terror has begun and `operation_abroad` months
//!    after the later of its trigger and his going abroad, [`hunted_abroad`]).
//! 3. **Purges.** When repression passes `purge_threshold` and a terror is on (its intensity above
//!    zero: no member, not even a former oppositionist, is purged outside one), party members are
//!    arrested at monthly rate
//!    `(r − threshold) · (w_opposition if ever in a defeated faction, times `1 − standing_shield · P₀`
//!    after the terror's halt, else w_elite, + w_military for
//!    soldiers once the terror has reached the army, `TerrorState::army_reached`)`, lowered by `(1 − loyalty)` for the leader's own loyal followers; the leader is
//!    never arrested. A man whose arrest comes takes his own life instead with probability
//!    `purge_suicide`.
//!
//! Draws: `fates.loyalist` (index = person); `fates.transition` (index = person), a threshold drawn
//! when a man enters a standing: he moves in the first month his survival in it falls below the
//! threshold (inverse transform, the same law as a monthly coin, one draw per move); `fates.which`
//! (index = person), which move; `fates.purge` (index = person), a threshold drawn when a member
//! first faces the purges (or faces them again after leaving and rejoining the party): he is arrested
//! in the first month his survival under them falls below it; `fates.suicide` (index = person),
//! whether he forestalls the arrest.

use crate::{DeathCause, EventKind, Fate, Office, PersonId};
use razvilka_kernel::{HazardClock, Origin, Stream, Streams};

use crate::world::set_bits;
use crate::World;

const LOYALIST: Stream = Stream::named("fates.loyalist");
const TRANSITION: Stream = Stream::named("fates.transition");
const WHICH: Stream = Stream::named("fates.which");
/// An unused slot in a list of moves: zero hazard.
const NONE: (Fate, f64) = (Fate::Expelled, 0.0);
const PURGE: Stream = Stream::named("fates.purge");
const SUICIDE: Stream = Stream::named("fates.suicide");

assumptions! {
    pub struct Params {
        pub defect_weight: f64 = "fates.defect_weight",
        pub demote_weight: f64 = "fates.demote_weight",
        pub fall_weight: f64 = "fates.fall_weight",
        pub arrest_weight: f64 = "fates.arrest_weight",
        pub network_inheritance: f64 = "fates.network_inheritance",
        pub defect_loyalty_kept: f64 = "fates.defect_loyalty_kept",
        pub exile_floor: f64 = "fates.exile_floor",
        pub recant: f64 = "fates.recant_rate",
        pub recant_standing: f64 = "fates.recant_standing",
        pub exile: f64 = "fates.exile_rate",
        pub deport: f64 = "fates.deport_rate",
        pub deport_precedent: f64 = "fates.deport_precedent",
        pub emigrate: f64 = "fates.emigrate_rate",
        pub caucasus: f64 = "fates.caucasus_rate",
        pub caucasus_floor: f64 = "fates.caucasus_floor",
        pub revolt: f64 = "fates.revolt_rate",
        pub arrest: f64 = "fates.arrest_rate",
        pub crackdown: f64 = "fates.crackdown",
        pub crush: f64 = "fates.revolt_crush",
        pub success: f64 = "fates.revolt_success",
        pub revolt_death: f64 = "fates.revolt_death",
        pub breakaway_fall: f64 = "fates.breakaway_fall",
        pub execution: f64 = "fates.execution_rate",
        pub release: f64 = "fates.release_rate",
        pub assassination: f64 = "fates.assassination_rate",
        pub purge_threshold: f64 = "fates.purge_threshold",
        pub purge_opposition: f64 = "fates.purge_opposition",
        pub purge_elite: f64 = "fates.purge_elite",
        pub purge_military: f64 = "fates.purge_military",
        pub purge_suicide: f64 = "fates.purge_suicide",
        pub standing_shield: f64 = "fates.standing_shield",
        pub show_arrest: f64 = "fates.show_arrest",
        /// How much less a personal dictatorship deports an exile abroad (`fates.deport_dictatorship`).
        pub deport_dictatorship: f64 = "fates.deport_dictatorship",
        /// The least months a prisoner serves before he can be released (`fates.prison_term`).
        pub prison_term: f64 = "fates.prison_term",
        /// The months an expelled man is left to recant before he can be arrested outside a terror
        /// (`fates.recant_window`).
        pub recant_window: f64 = "fates.recant_window",
        /// How much of an expelled man's hazard of leaving the country of his own will the police's
        /// watch on him takes away (`fates.exit_watch`).
        pub exit_watch: f64 = "fates.exit_watch",
        /// The least months the police's service abroad takes to mount a killing, counted from the
        /// later of his going abroad and the terror's trigger (`fates.operation_abroad`).
        pub operation_abroad: f64 = "fates.operation_abroad",
    }
}

/// The outcasts' fates and the purges' arrests: the sub-model (no intervention is its own).
pub struct Fates;

impl crate::SubModel for Fates {
    const NAME: &'static str = "fates";
    type Params = Params;
    fn step(world: &mut World, params: &Params, streams: &Streams) {
        step(world, params, streams)
    }
}

pub fn step(world: &mut World, params: &Params, streams: &Streams) {
    // After the state's collapse no party-state is left to expel, exile, arrest or shoot.
    if !world.free || world.state_collapsed() {
        return;
    }
    // The party's members, carried from pass to pass while no pass changes anyone's standing (most
    // months none does), so that each pass does not ask the world for them again.
    let members = loyalists(world, params, streams);
    let members = transitions(world, params, streams, members);
    purges(world, params, streams, members);
}

/// The party's members: `known` if a pass that changed no one's standing has just found them
/// (checked in debug builds), else as the world derives them.
fn members_now(world: &World, known: Option<u64>) -> u64 {
    match known {
        Some(members) => {
            debug_assert_eq!(
                members,
                world.members_and_heads().0,
                "the members changed in a pass that said it changed no one"
            );
            members
        }
        None => world.members_and_heads().0,
    }
}

/// What the followers of a fallen patron do (mechanism 1). Returns the party's members if the pass
/// acted on no one.
fn loyalists(world: &mut World, params: &Params, streams: &Streams) -> Option<u64> {
    // Followers still in the party whose patron is not: most months there are none.
    // (A man whose standing or offices changed this month chooses next month.)
    let orphaned = |world: &World, c: PersonId| {
        world.person(c).fate.is_member()
            && !world.changed_this_month(c)
            && world
                .person(c)
                .patron
                .is_some_and(|p| !world.person(p).fate.is_member())
    };
    // Only members whose patron is out of the party can be orphaned. Outside this pass a patron is
    // only ever taken away, never given, so a new one appears only when someone leaves or joins
    // the party: while the members are those of the last pass that acted on no one, only the men
    // it passed over (their standing had changed that month) can be; otherwise one look at each
    // member's patron. The full test for those few.
    let (members, _) = world.members_and_heads();
    let suspects = match world.fates.orphans_seen {
        Some((then, waiting)) if then == members => waiting,
        _ => members,
    };
    let with_fallen_patron = |suspects: u64| {
        set_bits(suspects)
            .filter(|&i| {
                world.persons[i]
                    .patron
                    .is_some_and(|p| members >> p.index() & 1 == 0)
            })
            .fold(0u64, |mask, i| mask | 1 << i)
    };
    let fallen = with_fallen_patron(suspects);
    debug_assert_eq!(
        fallen,
        with_fallen_patron(members),
        "a patron was given outside the fates"
    );
    let mut pending = set_bits(fallen)
        .filter(|&i| orphaned(world, PersonId(i as u8)))
        .fold(0u64, |mask, i| mask | 1 << i);
    if pending == 0 {
        world.fates.orphans_seen = Some((members, fallen));
        return Some(members);
    }
    world.fates.orphans_seen = None;
    let mut draws = streams.draws(LOYALIST, world.month);
    let r = world.politics.repression;
    let mut fallen_patrons: Vec<PersonId> = Vec::new();
    let mut stayed: Vec<(PersonId, PersonId)> = Vec::new();
    // In the people's order. A follower who falls with his patron orphans his own followers in
    // turn: those after him in the order are taken up in this pass (those before him next month),
    // and everyone taken up is tested again when his turn comes, as a walk over everyone would.
    while pending != 0 {
        let index = pending.trailing_zeros() as usize;
        pending &= pending - 1;
        let c = PersonId(index as u8);
        if !orphaned(world, c) {
            continue;
        }
        let patron = world.person(c).patron.expect("orphaned has a patron");
        if !fallen_patrons.contains(&patron) {
            fallen_patrons.push(patron);
        }
        let fallen = world.person(patron).fate;
        let loyalty = world.person(c).loyalty;
        if fallen == Fate::DeadNatural || fallen == Fate::Abroad {
            set_patron(world, c, None);
            stayed.push((patron, c));
            continue;
        }
        let person = world.people.get(c);
        let value = 0.5 * (person.organization + world.person(c).prestige);
        let weights = [
            params.defect_weight * value * (1.0 - loyalty),
            params.demote_weight,
            params.fall_weight * loyalty,
            params.arrest_weight * r * loyalty,
        ];
        match draws.choose(c.0 as u32, &weights) {
            Some(0) => {
                let to = world.strongest_head(Some(patron));
                set_patron(world, c, to);
                world.person_mut(c).loyalty *= params.defect_loyalty_kept;
                stayed.push((patron, c));
            }
            Some(choice @ (2 | 3)) => {
                // He shares his patron's fall: from now on he is a marked man.
                world.person_mut(c).opposition = true;
                let to = if choice == 2 {
                    Fate::Expelled
                } else {
                    Fate::Imprisoned
                };
                world.set_fate(c, to, Origin::Mechanism);
                // His own followers after him in the order may now be orphaned.
                let later = u64::MAX.checked_shl(index as u32 + 1).unwrap_or(0);
                for (j, p) in world.persons.iter().enumerate() {
                    if p.patron == Some(c) {
                        pending |= (1 << j) & later;
                    }
                }
            }
            _ => {
                for office in [
                    Office::GeneralSecretary,
                    Office::Secretariat,
                    Office::Orgburo,
                    Office::Politburo,
                    Office::PolitburoCandidate,
                ] {
                    world.lose_office(c, office, Origin::Mechanism);
                }
                set_patron(world, c, None);
                stayed.push((patron, c));
            }
        }
    }
    // Those who stayed in the party inherit part of the fallen man's clientele, by skill.
    for patron in fallen_patrons {
        let inheritance = world.person(patron).lost_cadre * params.network_inheritance;
        world.person_mut(patron).lost_cadre = 0.0;
        let heirs: Vec<PersonId> = stayed
            .iter()
            .filter(|(p, _)| *p == patron)
            .map(|(_, c)| *c)
            .collect();
        let total_org: f64 = heirs
            .iter()
            .map(|&c| world.people.get(c).organization)
            .sum();
        if total_org > 0.0 {
            for c in heirs {
                let share = world.people.get(c).organization / total_org;
                world.person_mut(c).cadre += inheritance * share;
            }
        }
    }
    None
}

fn set_patron(world: &mut World, id: PersonId, to: Option<PersonId>) {
    let from = world.person(id).patron;
    if from == to {
        return;
    }
    world.person_mut(id).patron = to;
    world.emit(
        Origin::Mechanism,
        EventKind::PatronChanged {
            person: id,
            from,
            to,
        },
    );
}

/// His following in the Caucasus: the Caucasians who fell with him (weighted by loyalty), and his own
/// connections there. (Followers who stayed in the party broke with him when he fell, so a loyal
/// Caucasian party chief counts only if he went down with his patron.)
fn caucasus_network(world: &World, params: &Params, id: PersonId) -> f64 {
    // The Caucasians, one bit each (known from the outcasts' pass; the people table does not change).
    let caucasians = world.fates.caucasians.unwrap_or_else(|| caucasians(world));
    debug_assert_eq!(caucasians, self::caucasians(world));
    if caucasians >> id.index() & 1 == 0 {
        return 0.0;
    }
    // His Caucasian followers outside the party, in the people's order.
    let followers: f64 = set_bits(caucasians)
        .map(|i| PersonId(i as u8))
        .filter(|&c| world.person(c).patron == Some(id) && world.is_alive(c))
        .filter(|&c| !world.person(c).fate.is_member())
        .map(|c| world.person(c).loyalty)
        .sum();
    params.caucasus_floor + followers
}

/// The people whose home is in the Caucasus, one bit each.
fn caucasians(world: &World) -> u64 {
    world
        .people
        .ids()
        .filter(|(_, p)| p.caucasian())
        .fold(0u64, |mask, (id, _)| mask | 1 << id.index())
}

/// The outcast's state machine (mechanism 2). `known`: the party's members, if the pass before
/// changed no one's standing. Returns them if this pass moved no one.
fn transitions(
    world: &mut World,
    params: &Params,
    streams: &Streams,
    known: Option<u64>,
) -> Option<u64> {
    let month = Monthly::of(world, params);
    if world.fates.caucasians.is_none() {
        world.fates.caucasians = Some(caucasians(world));
    }
    // The outcasts are the people outside the party (the dead among them are passed over). No move
    // in this pass brings a member out of the party (each man's move is his own), so the people
    // outside it now are all it can concern.
    let members = members_now(world, known);
    let mut moved = false;
    debug_assert!(
        set_bits(world.fates.dead).all(|i| world.persons[i].fate.is_dead()),
        "a death is for good"
    );
    for i in
        set_bits(crate::world::first_people(world.persons.len()) & !members & !world.fates.dead)
    {
        let id = PersonId(i as u8);
        let fate = world.person(id).fate;
        if fate.is_dead() {
            world.fates.dead |= 1 << i;
            continue;
        }
        // A man whose standing changed this month moves on from it next month at the earliest.
        if fate.is_member() || world.is_spared(id) || world.changed_this_month(id) {
            continue;
        }
        let since = Some(world.person(id).fate_since);
        if world.fates.entered[i] != since || !world.fates.clock[i].is_armed() {
            // A new standing (or a move just made): a fresh threshold, keyed by this month.
            world.fates.entered[i] = since;
            world.fates.clock[i] =
                HazardClock::armed(streams.uniform(TRANSITION, world.month, id.0 as u32));
            world.fates.forget_in_arms(i);
        }
        // A man abroad whom the police's service does not hunt has no move: at no hazard his
        // survival is multiplied by one, so the month passes him by.
        if fate == Fate::Abroad && !hunted_abroad(world, params, id) {
            debug_assert!(moves(world, params, &month, id, fate)
                .iter()
                .all(|&(_, h)| h == 0.0));
            continue;
        }
        let options = moves(world, params, &month, id, fate);
        // Inverse transform on the time to the next move: he moves in the first month his survival
        // in this standing, Π(1 − P(any move)), falls below his threshold; which move, in proportion
        // to the hazards. The same law as a monthly draw, at a draw per move instead of per month.
        let any = 1.0
            - options
                .iter()
                .map(|(_, h)| 1.0 - h.clamp(0.0, 1.0))
                .product::<f64>();
        if !world.fates.clock[i].tick(any) {
            continue;
        }
        let which = streams.uniform(WHICH, world.month, id.0 as u32);
        if let Some(to) = competing(&options, which * any) {
            moved = true;
            match to {
                Fate::Killed => world.die(id, DeathCause::Killed, Origin::Mechanism),
                Fate::Executed => world.die(id, DeathCause::Executed, Origin::Mechanism),
                Fate::Readmitted => {
                    world.set_fate(id, Fate::Readmitted, Origin::Mechanism);
                    let p = world.person_mut(id);
                    p.submitted = true;
                    p.patron = None;
                }
                _ => world.set_fate(id, to, Origin::Mechanism),
            }
        }
    }
    (!moved).then_some(members)
}

/// Months `id` has been in his present standing (none before it began).
fn months_in(world: &World, id: PersonId) -> f64 {
    f64::from(world.month.since(world.person(id).fate_since).max(0))
}

/// What is the same for every outcast in a month: the repression, the terror's intensity, whether
/// it runs, and what a personal dictatorship does to deportation.
struct Monthly {
    r: f64,
    terror: f64,
    terror_runs: bool,
    dictator: f64,
}

impl Monthly {
    fn of(world: &World, params: &Params) -> Monthly {
        // A dictator who needs no majority's consent to hold an exile where he is, or to jail him
        // once a terror runs, has no reason to give him a voice abroad: the one deportation of the
        // record (Trotsky, February 1929) was the Politburo's choice while the Right still sat in
        // it.
        let dictator = if world.politics.regime == crate::Regime::PersonalDictatorship {
            1.0 - params.deport_dictatorship
        } else {
            1.0
        };
        Monthly {
            r: world.politics.repression,
            terror: world.politics.terror.escalation,
            terror_runs: terror_runs(world),
            dictator,
        }
    }
}

/// An outcast's moves from his standing `fate` this month, each with its monthly hazard (unused
/// slots [`NONE`]). Only what his standing's moves read is computed.
fn moves(
    world: &World,
    params: &Params,
    month: &Monthly,
    id: PersonId,
    fate: Fate,
) -> [(Fate, f64); 5] {
    let Monthly {
        r,
        terror,
        terror_runs,
        dictator,
    } = *month;
    let person = world.people.get(id);
    let prestige = world.person(id).prestige;
    let ambition = person.ambition;
    // His standing in the movement (his prestige as the people table scores it, which no vote
    // takes away) makes recanting cost him more and readmitting him cost the regime more.
    let standing = || 1.0 - params.recant_standing * person.prestige;
    let recant = || params.recant * (1.0 - ambition) * (1.0 - r) * standing();
    let arrest = || arrest_hazard(params, r, person.prestige, terror_runs);
    // Months in his present standing: the regime's sentences run their course before it moves
    // him on (a prisoner serves his term; an expelled man is left time to recant before he is
    // arrested, unless a terror runs).
    let months = || months_in(world, id);
    let network = || caucasus_network(world, params, id);
    match fate {
        Fate::Expelled => {
            let waited = terror_runs || months() >= params.recant_window;
            [
                (Fate::Readmitted, recant()),
                // Exile answers the name he still has in the movement (his standing, which the
                // votes that beat him did not take away), not what is left of his prestige in
                // the party: Trotsky, stripped of every post, was sent to Alma-Ata two months
                // after his expulsion.
                (
                    Fate::InternalExile,
                    params.exile * person.prestige * (params.exile_floor + r),
                ),
                (Fate::CaucasusBase, params.caucasus * ambition * network()),
                // Leaving of his own will: the state held the border and the police watched him,
                // and no expelled leader of the record left so; the regime decided who went abroad
                // (it deported Trotsky from internal exile, below) and exiled or readmitted the
                // rest (politics.md §1, §3).
                (
                    Fate::Abroad,
                    params.emigrate * (1.0 - r) * (1.0 - params.exit_watch),
                ),
                // The record's expelled men were exiled or readmitted first: Trotsky was sent to
                // Alma-Ata two months after his expulsion, Zinoviev and Kamenev readmitted in 1928,
                // and the first of them in prison outside a terror, I. N. Smirnov, was taken in
                // January 1933 (politics.md §1, §3). So no arrest within the window to recant.
                (Fate::Imprisoned, if waited { arrest() } else { 0.0 }),
            ]
        }
        Fate::InternalExile => {
            // Once one opponent speaks from abroad, the regime is slow to give him a second voice
            // there. (Read for each man in turn: a deportation earlier in this pass is already a
            // precedent.)
            let precedent = if world.fates.deported {
                1.0 - params.deport_precedent
            } else {
                1.0
            };
            [
                // Deportation is a choice with a cost (a voice abroad): a regime that can simply
                // imprison or shoot makes it rarer.
                (
                    Fate::Abroad,
                    params.deport * prestige * (1.0 - r) * precedent * dictator,
                ),
                (Fate::Readmitted, recant()),
                // Exile was the regime's sentence on an expelled man who would not recant; prison
                // came with the terror (none of the tracked exiles of 1928-34, Trotsky, Rakovsky,
                // Radek, Preobrazhensky, Smirnov, was moved from exile to prison before Kirov's
                // murder; Zinoviev and Kamenev, exiled in 1932, were readmitted in 1933).
                (Fate::Imprisoned, if terror_runs { arrest() } else { 0.0 }),
                NONE,
                NONE,
            ]
        }
        Fate::CaucasusBase => [
            (Fate::Revolt, params.revolt * ambition * network()),
            (
                Fate::Imprisoned,
                arrest() + params.arrest * params.crackdown,
            ),
            (Fate::Readmitted, recant()),
            (Fate::Abroad, params.emigrate * (1.0 - r)),
            NONE,
        ],
        Fate::Revolt => [
            (Fate::Killed, params.crush * params.revolt_death),
            (Fate::Imprisoned, params.crush * (1.0 - params.revolt_death)),
            (Fate::Breakaway, params.success * network()),
            NONE,
            NONE,
        ],
        Fate::Breakaway => [
            (Fate::Killed, params.breakaway_fall * params.revolt_death),
            (
                Fate::Abroad,
                params.breakaway_fall * (1.0 - params.revolt_death),
            ),
            NONE,
            NONE,
            NONE,
        ],
        Fate::Imprisoned => [
            // A party leader is shot only in a terror, at a rate growing with its intensity:
            // before it the regime jailed and exiled its beaten men; the law of 1 December
            // 1934, passed the night of Kirov's murder, opened the way to trial and execution
            // for "terrorism", and the show trials followed as the terror escalated.
            (Fate::Executed, params.execution * terror),
            // Released only once his term is served: not a month after his arrest; not while
            // a terror runs (none of the tracked leaders imprisoned in 1934-38 came out,
            // politics.md §1); and a rebel taken in arms is not released into the party
            // at all ([`taken_in_arms`]).
            (
                Fate::Readmitted,
                if months() >= params.prison_term && !terror_runs && !in_arms(world, id) {
                    params.release * (1.0 - r) * standing()
                } else {
                    0.0
                },
            ),
            NONE,
            NONE,
            NONE,
        ],
        Fate::Abroad => [
            (
                Fate::Killed,
                if hunted_abroad(world, params, id) {
                    params.assassination * r * prestige
                } else {
                    0.0
                },
            ),
            NONE,
            NONE,
            NONE,
            NONE,
        ],
        _ => [NONE; 5],
    }
}

/// Whether `id` came to the standing he is in from an armed revolt or a breakaway republic: a rebel
/// crushed and taken alive. Read from the log's record of that change of standing (found by its
/// month, `fate_since`, the log being in month order). Such a man took up arms against the Soviet
/// state, and the regime that readmitted the beaten men of its factions once they recanted did not
/// take rebels back: it answered the Georgian rising of August 1924 with 7,000-10,000 executions
/// and some 20,000 deportations (data/events.toml; docs/model/fates.md §3c'').
/// So the prison that follows a crushed revolt is not served out into readmission. The moves
/// leave a rebel no other road back: from a revolt he is killed, taken or holds a breakaway; from a
/// breakaway he is killed or flees abroad, where no readmission is open; and from this prison only
/// death (executed in a terror, or of natural causes) leads out.
pub fn taken_in_arms(world: &World, id: PersonId) -> bool {
    let p = world.person(id);
    let start = world.log.partition_point(|e| e.month < p.fate_since);
    world.log[start..]
        .iter()
        .take_while(|e| e.month == p.fate_since)
        .any(|e| {
            matches!(
                e.kind,
                EventKind::FateChanged { person, from: Fate::Revolt | Fate::Breakaway, to }
                    if person == id && to == p.fate
            )
        })
}

/// [`taken_in_arms`] for a man whose transition clock is armed for his present standing, asked
/// once a spell: the answer is kept (`FatesState::in_arms`) from the first month it is asked until
/// his clock is armed again. It is kept only once the month his standing began is over: the log's
/// records of that month are then all written (events are logged in the month they happen), and a
/// later change of standing begins in a later month and arms his clock again, so the kept answer
/// is the one a fresh reading gives (checked in debug builds).
fn in_arms(world: &World, id: PersonId) -> bool {
    let i = id.index();
    let (known, rebels) = world.fates.in_arms.get();
    if known >> i & 1 == 1 {
        let kept = rebels >> i & 1 == 1;
        debug_assert_eq!(kept, taken_in_arms(world, id), "a kept answer went stale");
        return kept;
    }
    let rebel = taken_in_arms(world, id);
    if world.person(id).fate_since < world.month {
        world
            .fates
            .in_arms
            .set((known | 1 << i, rebels & !(1 << i) | u64::from(rebel) << i));
    }
    rebel
}

/// Whether the police's service abroad hunts `id`, a man abroad: only once a terror has begun (the
/// regime that deported Trotsky in 1929 left him alone abroad until it had turned on its old
/// opponents as terrorists; he was killed in August 1940, 68 months after Kirov's murder,
/// politics.md §1, §3), and not for the first `operation_abroad` months of it, or of his time
/// abroad if he left later: a killing abroad needs agents placed near the man. Once begun the hunt
/// goes on after the terror's halt (Trotsky's killing came after it).
fn hunted_abroad(world: &World, params: &Params, id: PersonId) -> bool {
    let Some((_, began)) = world.politics.terror.began else {
        return false;
    };
    let from = began.max(world.person(id).fate_since);
    f64::from(world.month.since(from)) >= params.operation_abroad
}

/// Whether a terror runs: begun and not yet halted.
fn terror_runs(world: &World) -> bool {
    let t = &world.politics.terror;
    t.began.is_some() && t.halted.is_none()
}

/// The monthly hazard that an outcast at home is arrested, for a man of standing `standing` (his
/// prestige in the movement as the people table scores it, which no vote takes away). Outside a
/// terror his standing shields him: the regime exiled, expelled and readmitted the leaders it had
/// beaten but did not jail them (the Politburo refused Ryutin's execution in 1932; Zinoviev and
/// Kamenev, expelled again that year, were exiled, and Trotsky deported rather than jailed), at
/// `arrest · r · (1 − standing_shield · standing)`. Once a terror runs it exposes him: the scare
/// names the old opposition's best-known men first (Zinoviev and Kamenev were arrested within two
/// weeks of Kirov's murder), at `arrest · r + show_arrest · standing`.
pub fn arrest_hazard(params: &Params, r: f64, standing: f64, terror_runs: bool) -> f64 {
    if terror_runs {
        params.arrest * r + params.show_arrest * standing
    } else {
        params.arrest * r * (1.0 - params.standing_shield * standing).max(0.0)
    }
}

/// Competing monthly hazards: which one fires, given one uniform number `u`. The chance that any
/// fires is `1 − Π(1 − h)`, split in proportion to the hazards.
fn competing(options: &[(Fate, f64)], u: f64) -> Option<Fate> {
    let total: f64 = options.iter().map(|(_, h)| h.max(0.0)).sum();
    if total <= 0.0 {
        return None;
    }
    let any = 1.0
        - options
            .iter()
            .map(|(_, h)| 1.0 - h.clamp(0.0, 1.0))
            .product::<f64>();
    if u >= any {
        return None;
    }
    let mut target = u / any * total;
    for (fate, h) in options {
        let h = h.max(0.0);
        if target < h {
            return Some(*fate);
        }
        target -= h;
    }
    // Rounding left `target` past the end: the last move with a positive hazard.
    options
        .iter()
        .rev()
        .find(|(_, h)| *h > 0.0)
        .map(|(f, _)| *f)
}

/// Arrests of party members when repression runs high (mechanism 3).
fn purges(world: &mut World, params: &Params, streams: &Streams, known: Option<u64>) {
    let excess = world.politics.repression - params.purge_threshold;
    if excess <= 0.0 {
        return;
    }
    let leader = world.politics.leader;
    let in_terror = world.politics.terror.escalation > 0.0;
    let terror_runs = terror_runs(world);
    let army_reached = world.politics.terror.army_reached.is_some();
    let mut draws = None;
    // The members now: an arrest in this pass takes a man out of the party, and no one enters it.
    let members = members_now(world, known);
    // Outside a terror, before it has reached the army, every rate is zero: the pass only draws
    // the thresholds of the members who have none for their standing yet, and only they are walked.
    let walked = if in_terror || army_reached {
        members
    } else {
        without_threshold(world, members)
    };
    // The leader and Lenin are never arrested (neither changes in this pass).
    let exempt = [leader, world.lenin]
        .into_iter()
        .flatten()
        .fold(0u64, |mask, id| mask | 1 << id.index());
    for i in set_bits(walked & !exempt) {
        let id = PersonId(i as u8);
        let p = world.person(id);
        if !p.fate.is_member() || world.is_spared(id) || world.changed_this_month(id) {
            continue;
        }
        // Inverse transform again: a threshold per man, drawn when he (re)enters the party's ranks
        // under the Terror, and an arrest in the first month his survival falls below it.
        let since = Some(p.fate_since);
        let state = &mut world.fates;
        if state.purge_since[i] != since || !state.purge_clock[i].is_armed() {
            state.purge_since[i] = since;
            let draws = draws.get_or_insert_with(|| streams.draws(PURGE, world.month));
            state.purge_clock[i] = HazardClock::armed(draws.uniform(id.0 as u32));
        }
        let p = world.person(id);
        let person = world.people.get(id);
        // No member is purged outside a terror. A beaten oppositionist who stayed in the party
        // (recanted, readmitted, or stripped of his posts) was demoted and watched, not jailed: the
        // police's arrests before Kirov's murder fell on the outcasts (Ryutin, expelled in 1930;
        // the Left's exiles), and Zinoviev, Kamenev and Bukharin, in the party when it came, were
        // arrested with the trigger or after it. Once a terror runs the old opposition goes first;
        // after its halt, while its intensity decays, a former oppositionist of standing is
        // shielded by it again, as an outcast is ([`arrest_hazard`]). The men of the majority are
        // hunted only in a terror too.
        let mut rate = if !in_terror {
            0.0
        } else if p.opposition {
            if terror_runs {
                params.purge_opposition
            } else {
                params.purge_opposition * (1.0 - params.standing_shield * person.prestige).max(0.0)
            }
        } else {
            params.purge_elite
        };
        // Soldiers are hunted as soldiers only once the terror has reached the army.
        if person.military && army_reached {
            rate += params.purge_military;
        }
        // At a zero rate his survival is multiplied by one: nothing moves, and the month passes
        // him by (his threshold was drawn above all the same).
        if rate == 0.0 {
            continue;
        }
        if leader.is_some_and(|l| world.head_of(id) == l) {
            rate *= 1.0 - p.loyalty;
        }
        if world.fates.purge_clock[i].tick((excess * rate).clamp(0.0, 1.0)) {
            // Some, warned of the arrest coming, take their own lives first.
            if streams.uniform(SUICIDE, world.month, id.0 as u32) < params.purge_suicide {
                world.die(id, DeathCause::Suicide, Origin::Mechanism);
            } else {
                world.set_fate(id, Fate::Imprisoned, Origin::Mechanism);
            }
        }
    }
}

/// The men of `members` who have no purge threshold drawn for their present standing (none drawn
/// yet, or one drawn for a standing he has since left, or one spent by an arrest): the only members a
/// pass at zero rates acts on. One walk that reads only each man's standing and his clock, from
/// slices held for the walk; the pass that follows changes no one's standing (at zero rates no one is
/// arrested) and arms only the clocks of the men it walks, so the walk finds the same men as asking
/// each in turn within the pass.
fn without_threshold(world: &World, members: u64) -> u64 {
    let n = world.persons.len();
    let persons = &world.persons[..n];
    let since = &world.fates.purge_since[..n];
    let clocks = &world.fates.purge_clock[..n];
    set_bits(members & crate::world::first_people(n))
        .filter(|&i| !(since[i] == Some(persons[i].fate_since) && clocks[i].is_armed()))
        .fold(0u64, |mask, i| mask | 1 << i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn competing_hazards_split_in_proportion() {
        let options = [(Fate::Abroad, 0.1), (Fate::Imprisoned, 0.3)];
        let any = 1.0 - 0.9 * 0.7;
        assert_eq!(competing(&options, any + 0.01), None);
        let mut counts = [0; 2];
        for k in 0..10_000 {
            let u = k as f64 / 10_000.0;
            match competing(&options, u) {
                Some(Fate::Abroad) => counts[0] += 1,
                Some(Fate::Imprisoned) => counts[1] += 1,
                _ => {}
            }
        }
        assert!((counts[0] + counts[1]) as f64 / 10_000.0 - any < 0.001);
        assert!((counts[1] as f64 / counts[0] as f64 - 3.0).abs() < 0.05);
        assert_eq!(competing(&[(Fate::Abroad, 0.0)], 0.0), None);
    }
}

/// The fates sub-model's state: for each outcast, his survival in his present standing since he
/// entered it (or since his last move), the uniform threshold below which he moves, and the month his
/// standing began (to notice a change made elsewhere).
#[derive(Clone, Debug, Default)]
pub struct FatesState {
    pub clock: Vec<HazardClock>,
    pub entered: Vec<Option<razvilka_kernel::Month>>,
    /// The same, for a party member under the purges.
    pub purge_clock: Vec<HazardClock>,
    pub purge_since: Vec<Option<razvilka_kernel::Month>>,
    /// Whether the regime has already deported a man abroad from internal exile, by the model or by
    /// the record (set in `World::set_fate`; the precedent that makes it slow to deport a second).
    pub deported: bool,
    /// After a loyalists' pass that acted on no one: the members then, and those of them whose
    /// patron was out of the party (passed over, their standing having changed that month), one
    /// bit each; `None` before the first pass and after one that acted.
    pub orphans_seen: Option<(u64, u64)>,
    /// The people the outcasts' pass has found dead, one bit each (a death is for good).
    pub dead: u64,
    /// The people whose home is in the Caucasus, one bit each (from the people table, which a run
    /// does not change); `None` before the outcasts' first pass.
    pub caucasians: Option<u64>,
    /// The men for whom [`taken_in_arms`] has been asked since their transition clock was last
    /// armed, and of those, the rebels taken in arms, one bit each (see `in_arms`). A `Cell`: the
    /// hazards are computed from a shared world.
    pub in_arms: std::cell::Cell<(u64, u64)>,
}

impl FatesState {
    /// Forgets the kept answer of [`taken_in_arms`] for the man at index `i` (his clock is armed
    /// for a new standing).
    fn forget_in_arms(&mut self, i: usize) {
        let (known, rebels) = self.in_arms.get();
        self.in_arms.set((known & !(1 << i), rebels & !(1 << i)));
    }
}
