//! The world state that every sub-model reads and writes, and the few operations that keep it
//! consistent (an office gained is logged; a person who leaves the party loses his offices).

use std::cell::Cell;
use std::sync::Arc;

use crate::fates::FatesState;
use crate::mortality::MortalityState;
use crate::politics::PoliticsState;
use crate::{DeathCause, Event, EventKind, Fate, Office, PersonId, Regime};
use razvilka_kernel::{HazardClock, Month, Origin};

use crate::people::MAX_PEOPLE;
use crate::People;

/// A set of offices, one bit each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OfficeSet(u32);

impl OfficeSet {
    pub fn has(self, office: Office) -> bool {
        self.0 & office.bit() != 0
    }
    pub fn insert(&mut self, office: Office) {
        self.0 |= office.bit();
    }
    pub fn remove(&mut self, office: Office) {
        self.0 &= !office.bit();
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The offices in the set, in the order of `Office::ALL` (bit `i` is `Office::ALL[i]`): one step
    /// per office held, not per office that exists.
    pub fn iter(self) -> impl Iterator<Item = Office> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            Some(Office::ALL[i])
        })
    }
    /// The set of `offices` (usable in constants).
    pub const fn of(offices: &[Office]) -> OfficeSet {
        let mut bits = 0;
        let mut i = 0;
        while i < offices.len() {
            bits |= offices[i].bit();
            i += 1;
        }
        OfficeSet(bits)
    }
    /// Whether the two sets share an office.
    pub fn meets(self, other: OfficeSet) -> bool {
        self.0 & other.0 != 0
    }
    /// The union (usable in constants).
    pub const fn union(self, other: OfficeSet) -> OfficeSet {
        OfficeSet(self.0 | other.0)
    }
    pub fn intersection(self, other: OfficeSet) -> OfficeSet {
        OfficeSet(self.0 & other.0)
    }
    /// How many offices the set holds.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }
    /// A seat in the Politburo, full or candidate.
    pub fn in_politburo(self) -> bool {
        self.has(Office::Politburo) || self.has(Office::PolitburoCandidate)
    }
}

/// One person's state in one world.
#[derive(Clone, Debug)]
pub struct PersonState {
    pub fate: Fate,
    pub fate_since: Month,
    pub offices: OfficeSet,
    /// The person he follows; a person without one heads his own faction.
    pub patron: Option<PersonId>,
    /// Dependence on the patron, 0..1.
    pub loyalty: f64,
    pub prestige: f64,
    /// Share of the regional party apparatus (and so of congress delegates) that are his clients.
    pub cadre: f64,
    /// Too ill to work (Lenin after his strokes).
    pub incapacitated: bool,
    /// Rungs of the defeat ladder his faction has gone down.
    pub defeats: u8,
    pub last_defeat: Option<Month>,
    /// Has recanted: leads no faction and is no longer a target of factional attack.
    pub submitted: bool,
    /// Was ever in a defeated faction, or fell with his patron: what later repression looks for.
    pub opposition: bool,
    /// An intervention keeps him alive and well until this month.
    pub spared_until: Option<Month>,
    /// His clientele when he left the party, for his followers to inherit.
    pub lost_cadre: f64,
    /// Strokes suffered (Lenin).
    pub strokes: u8,
    /// The last month he gained an office or changed standing: no second, contradicting change of
    /// standing is made in the same month (a man is not promoted and arrested, or readmitted and
    /// arrested, at once).
    pub changed: Option<Month>,
}

/// Splits the world into one sub-model's own state (to write), a view of the rest (to read) and the
/// log (to append to): the borrow checker then keeps the sub-model's writes to its own state.
macro_rules! split {
    ($(#[$meta:meta])* $name:ident, $own:ident : $ty:ty; $($other:ident),*) => {
        $(#[$meta])*
        pub fn $name(&mut self) -> (&mut $ty, View<'_>, Log<'_>) {
            let World { month, free, people, persons, politics, log, $own, $($other,)* .. } = self;
            let view = View {
                month: *month,
                free: *free,
                people,
                persons,
                politics,
                $own: None,
                $( $other: Some(&*$other), )*
            };
            (
                $own,
                view,
                Log {
                    month: *month,
                    events: log,
                },
            )
        }
    };
}

/// What a sub-model that owns one state reads of the others: the month, the people and the party,
/// and the other sub-models' published states (its own is left out: it holds that to write).
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub month: Month,
    /// False while recorded history is replayed: the sub-models' decisions are off.
    pub free: bool,
    pub people: &'a People,
    pub persons: &'a [PersonState],
    pub politics: &'a PoliticsState,
    economy: Option<&'a crate::economy::EconomyState>,
    germany: Option<&'a crate::germany::GermanyState>,
    diplomacy: Option<&'a crate::diplomacy::DiplomacyState>,
    war: Option<&'a crate::war::WarState>,
}

/// A sub-model reading its own state through the view is a programming error, caught by the first
/// month of any run.
const OWN: &str = "a sub-model reads its own state from what it holds, not through the view";

impl<'a> View<'a> {
    pub fn economy(&self) -> &'a crate::economy::EconomyState {
        self.economy.expect(OWN)
    }
    pub fn germany(&self) -> &'a crate::germany::GermanyState {
        self.germany.expect(OWN)
    }
    pub fn diplomacy(&self) -> &'a crate::diplomacy::DiplomacyState {
        self.diplomacy.expect(OWN)
    }
    pub fn war(&self) -> &'a crate::war::WarState {
        self.war.expect(OWN)
    }

    /// Whether the state collapsed in the war: from then on the party-state makes no more decisions.
    pub fn state_collapsed(&self) -> bool {
        self.war()
            .outcome
            .is_some_and(|(o, _)| o == crate::WarOutcome::SovietCollapse)
    }

    pub fn ids(&self) -> impl Iterator<Item = PersonId> {
        (0..self.persons.len()).map(|i| PersonId(i as u8))
    }

    /// The leadership's ideology (pace, agrarian coercion, world revolution): the dominant leader's,
    /// or under collective leadership the faction heads' weighted by their votes; `None` before
    /// anyone has votes.
    pub fn leadership_ideology(&self) -> Option<[f64; 3]> {
        if let Some(l) = self.politics.leader {
            return Some(self.people.get(l).ideology);
        }
        let power = &self.politics.power;
        let total: f64 = power.iter().sum();
        if total <= 0.0 {
            return None;
        }
        Some(self.ids().fold([0.0; 3], |mut acc, id| {
            let w = power[id.index()] / total;
            let x = self.people.get(id).ideology;
            for k in 0..3 {
                acc[k] += w * x[k];
            }
            acc
        }))
    }
}

/// The log, for a sub-model that holds its own state: events are stamped with the month.
pub struct Log<'a> {
    month: Month,
    events: &'a mut Vec<Event>,
}

impl Log<'_> {
    pub fn emit(&mut self, origin: Origin, kind: EventKind) {
        self.events.push(Event {
            month: self.month,
            origin,
            kind,
        });
    }
}

/// The shared state of one world.
#[derive(Clone, Debug)]
pub struct World {
    pub month: Month,
    /// The people table, fixed for the run: set in [`World::new`] and never replaced (the kept
    /// derivations, the abolished offices and the fates' Caucasians read it once).
    pub people: Arc<People>,
    pub persons: Vec<PersonState>,
    pub politics: PoliticsState,
    pub mortality: MortalityState,
    pub fates: FatesState,
    pub economy: crate::economy::EconomyState,
    pub germany: crate::germany::GermanyState,
    pub diplomacy: crate::diplomacy::DiplomacyState,
    pub war: crate::war::WarState,
    /// False while recorded history is replayed: the sub-models' decisions are off.
    pub free: bool,
    pub log: Vec<Event>,
    /// Lenin, whose authority restrains the struggle while he works. Set in [`World::new`] and never
    /// changed after (mortality's yearly bound walks him always, his frailty growing with each
    /// stroke; the standing memo compares him at every reuse).
    pub lenin: Option<PersonId>,
    /// Offices someone in the table has left, for the politics model to refill.
    pub vacated: OfficeSet,
    /// The people each office's appointment test accepted, kept while no one's standing changes
    /// (see [`World::accepted_for`]).
    pub standing_memo: StandingMemo,
    /// The faction heads' enemies as politics last chose them, with what the choice read (see
    /// `politics::contest::enemies`).
    pub enemies_memo: EnemiesMemo,
    /// The people who may have a clientele or appoint clients (one bit each; a superset): those the
    /// apparatus last left with a clientele or an appointing post, and everyone written through
    /// [`World::person_mut`] since. Anyone else has no clientele and gains none until he is written,
    /// so the apparatus and the tally walk only these (`politics::power`).
    pub(crate) clienteles: u64,
    /// The enemies' prestige as repression last summed it (`politics::terror::repression`).
    pub(crate) enemies_sum: EnemiesSum,
}

/// The prestige of the leader's enemies as repression last summed it, for the leader and the
/// settledness it was summed for, and the people written through [`World::person_mut`] since (one
/// bit each). The sum reads only the people's records and the fixed people table, so while no one
/// but the leader (whom it leaves out) has been written, it is the same number.
#[derive(Clone, Debug, Default)]
pub(crate) struct EnemiesSum {
    pub(crate) written: u64,
    pub(crate) sum: Option<(PersonId, bool, f64)>,
}

/// The faction heads' enemies as politics last chose them, kept with everything the choice read
/// (Lenin's letter, the contest and the careers ask for them several times a month, and the choice
/// is the same while the heads, their votes and the contenders' threats are). A cell, so that the
/// readers holding `&World` share it.
#[derive(Clone, Debug, Default)]
pub struct EnemiesMemo(pub(crate) std::cell::RefCell<Option<Box<ChosenEnemies>>>);

/// One choice of every head's enemy and what it read.
#[derive(Clone, Debug)]
pub(crate) struct ChosenEnemies {
    /// The people table the ideological distances were read from, held weakly: while the memo
    /// holds it its allocation cannot be reused, so a table at the same address is the same table.
    pub people: std::sync::Weak<People>,
    /// `politics.enmity_ideology` and `politics.counterattack`, as bits.
    pub params: [u64; 2],
    /// The faction heads, one bit each.
    pub heads: u64,
    /// The vote shares at the choice (the heads' entries are the ones read).
    pub power: [f64; MAX_PEOPLE],
    /// The contenders and the part of each one's enmity that does not depend on the head.
    pub contenders: [(PersonId, f64); MAX_PEOPLE],
    pub count: usize,
    /// Each head's enemy, by his index.
    pub enemies: [Option<PersonId>; MAX_PEOPLE],
}

/// What the world remembers of what it derived from its people's standing, and who was written
/// since ([`World::accepted_for`], [`World::members_and_heads`], [`World::held_offices`],
/// [`World::active_holders`]; the abolished offices, [`World::abolished_set`], read no one's
/// standing and are kept for the months between two of the institutions' dates). Cells, so that
/// the readers holding `&World` (the tally, the enemies) share one derivation.
#[derive(Clone, Debug)]
pub struct StandingMemo {
    /// The people written through [`World::person_mut`] (through which every operation on a person
    /// writes) since their words were last compared, one bit each.
    touched: Cell<u64>,
    /// Each person's standing as one word ([`standing_word`]) when last compared; `u64::MAX` (no
    /// standing's word) before the first comparison.
    standing: [Cell<u64>; MAX_PEOPLE],
    /// Lenin when the words were last compared.
    lenin: Cell<Option<PersonId>>,
    /// Counts the comparisons that found a changed standing.
    generation: Cell<u64>,
    /// Counts the comparisons that found a changed standing other than offices (a fate, an
    /// illness, a recantation or a patron: what the members and heads read), or a new Lenin.
    faction_generation: Cell<u64>,
    /// The people whose fate, illness, recantation or patron changed since the members and heads
    /// were last derived (one bit each; everyone at a new Lenin).
    faction_dirty: Cell<u64>,
    /// For each office (by its index in `Office::ALL`, at most 32 as in an [`OfficeSet`]), the people
    /// whom its test accepted, and those whose standing changed since it last asked (one bit each).
    accepted: [Cell<u64>; 32],
    stale: [Cell<u64>; 32],
    /// The party members and the faction heads (one bit each) and the faction generation they were
    /// derived at.
    factions: Cell<Option<(u64, u64, u64)>>,
    /// Every office someone holds, and the generation it was derived at.
    held: Cell<Option<(u64, OfficeSet)>>,
    /// For each office (by its index in `Office::ALL`), its active holders (one bit each) when last
    /// derived.
    seated: [Cell<u64>; 32],
    /// The offices whose active holders may have changed since they were derived (one bit each, by
    /// the office's index): an office gained or lost, or a holder's fate, illness, recantation or
    /// patron changed (every office he held before or after).
    seated_stale: Cell<u32>,
    /// The offices that do not exist, and the months they stay so: from the first month, up to (not
    /// including) the second (`None`: for ever). No office is created or abolished in between.
    abolished: Cell<Option<(Month, Option<Month>, OfficeSet)>>,
}

impl Default for StandingMemo {
    fn default() -> StandingMemo {
        StandingMemo {
            touched: Cell::new(u64::MAX),
            standing: std::array::from_fn(|_| Cell::new(u64::MAX)),
            lenin: Cell::new(None),
            generation: Cell::new(0),
            faction_generation: Cell::new(0),
            faction_dirty: Cell::new(u64::MAX),
            accepted: std::array::from_fn(|_| Cell::new(0)),
            stale: std::array::from_fn(|_| Cell::new(u64::MAX)),
            factions: Cell::new(None),
            held: Cell::new(None),
            seated: std::array::from_fn(|_| Cell::new(0)),
            seated_stale: Cell::new(u32::MAX),
            abolished: Cell::new(None),
        }
    }
}

/// A person's standing as the careers' tests read it, in one word: his offices (bits 0-31), his
/// fate (32-39), whether he is ill (40) or has recanted (41), and his patron (42-49, 0 for none).
/// Two people's words differ exactly when one of these does; bit 63 is never set.
fn standing_word(p: &PersonState) -> u64 {
    u64::from(p.offices.0)
        | (p.fate as u64) << 32
        | u64::from(p.incapacitated) << 40
        | u64::from(p.submitted) << 41
        | p.patron.map_or(0, |patron| u64::from(patron.0) + 1) << 42
}

impl World {
    /// The world at `start`, with everyone as the people table describes him in April 1922.
    pub fn new(people: Arc<People>, start: Month) -> World {
        let persons = people
            .ids()
            .map(|(_, p)| {
                let mut offices = OfficeSet::default();
                for o in &p.offices {
                    offices.insert(*o);
                }
                let fate = if offices.in_politburo() {
                    Fate::InLeadership
                } else {
                    Fate::InParty
                };
                PersonState {
                    fate,
                    fate_since: start,
                    offices,
                    patron: p.patron,
                    loyalty: p.loyalty,
                    prestige: p.prestige,
                    cadre: 0.0,
                    incapacitated: false,
                    defeats: 0,
                    last_defeat: None,
                    submitted: false,
                    opposition: false,
                    spared_until: None,
                    lost_cadre: 0.0,
                    strokes: 0,
                    changed: None,
                }
            })
            .collect::<Vec<_>>();
        let n = persons.len();
        let lenin = people.in_testament(crate::people::Testament::Author).next();
        World {
            month: start,
            lenin,
            people,
            persons,
            politics: PoliticsState {
                power: vec![0.0; n],
                power_heads: 0,
                leader: None,
                regime: Regime::Collective,
                repression: 0.0,
                testament_due: false,
                testament_read: None,
                testament_target: None,
                meeting: None,
                last_meeting: None,
                appeal_cache: Vec::new(),
                majority: None,
                terror: Default::default(),
            },
            mortality: MortalityState::default(),
            economy: crate::economy::EconomyState::default(),
            germany: Default::default(),
            diplomacy: Default::default(),
            war: Default::default(),
            fates: FatesState {
                clock: vec![HazardClock::SPENT; n],
                entered: vec![None; n],
                purge_clock: vec![HazardClock::SPENT; n],
                purge_since: vec![None; n],
                deported: false,
                ..Default::default()
            },
            free: false,
            log: Vec::new(),
            vacated: OfficeSet::default(),
            standing_memo: StandingMemo::default(),
            enemies_memo: EnemiesMemo::default(),
            clienteles: u64::MAX,
            enemies_sum: EnemiesSum::default(),
        }
    }

    /// The whole world, read-only.
    pub fn view(&self) -> View<'_> {
        View {
            month: self.month,
            free: self.free,
            people: &self.people,
            persons: &self.persons,
            politics: &self.politics,
            economy: Some(&self.economy),
            germany: Some(&self.germany),
            diplomacy: Some(&self.diplomacy),
            war: Some(&self.war),
        }
    }

    split!(
        /// The war's own state, a read-only view of the rest, and the log.
        split_war, war: crate::war::WarState; economy, germany, diplomacy
    );
    split!(
        /// Germany's own state, a read-only view of the rest, and the log.
        split_germany, germany: crate::germany::GermanyState; economy, diplomacy, war
    );
    split!(
        /// The diplomacy's own state, a read-only view of the rest, and the log.
        split_diplomacy, diplomacy: crate::diplomacy::DiplomacyState; economy, germany, war
    );
    split!(
        /// The economy's own state, a read-only view of the rest, and the log.
        split_economy, economy: crate::economy::EconomyState; germany, diplomacy, war
    );

    pub fn ids(&self) -> impl Iterator<Item = PersonId> {
        (0..self.persons.len()).map(|i| PersonId(i as u8))
    }

    pub fn person(&self, id: PersonId) -> &PersonState {
        &self.persons[id.index()]
    }

    pub fn person_mut(&mut self, id: PersonId) -> &mut PersonState {
        // He may be given a new standing: his is compared again before anything derived is reused.
        let touched = &self.standing_memo.touched;
        touched.set(touched.get() | 1 << id.index());
        self.mark_for_walks(id);
        &mut self.persons[id.index()]
    }

    /// Marks `id` for the walks that read more of him than his standing: he may be given a
    /// clientele (the apparatus and the tally walk him again) and his record may count in the
    /// enemies' prestige (repression sums it again).
    fn mark_for_walks(&mut self, id: PersonId) {
        self.clienteles |= 1 << id.index();
        self.enemies_sum.written |= 1 << id.index();
    }

    /// Sets `id`'s prestige. Prestige is no part of the standing the kept derivations read
    /// ([`standing_word`]), so he is not marked for the standing's comparison, as a write through
    /// [`World::person_mut`] would mark him; the clienteles' walk and the enemies' sum, which read
    /// more than the standing, see the write. (The leader's prestige grows every month: through
    /// `person_mut` it would compare his standing every month for nothing.)
    pub fn set_prestige(&mut self, id: PersonId, prestige: f64) {
        self.mark_for_walks(id);
        self.persons[id.index()].prestige = prestige;
    }

    pub fn emit(&mut self, origin: Origin, kind: EventKind) {
        self.log.push(Event {
            month: self.month,
            origin,
            kind,
        });
    }

    /// Alive, a party member and able to work.
    pub fn is_active(&self, id: PersonId) -> bool {
        let p = self.person(id);
        p.fate.is_member() && !p.incapacitated
    }

    pub fn is_alive(&self, id: PersonId) -> bool {
        !self.person(id).fate.is_dead()
    }

    /// Age in years this month.
    pub fn age(&self, id: PersonId) -> f64 {
        self.month.years_since(self.people.get(id).born)
    }

    /// The holder of `office`, if any (the first, for offices held by several).
    pub fn holder(&self, office: Office) -> Option<PersonId> {
        self.ids().find(|&id| self.person(id).offices.has(office))
    }

    /// A faction head: an active member who follows no one still in the party, has not recanted, and
    /// is not Lenin. (`head_of(id) == id` exactly when his patron is not a member: checked in O(1).)
    pub fn is_faction_head(&self, id: PersonId) -> bool {
        let p = self.person(id);
        self.is_active(id)
            && p.patron
                .is_none_or(|patron| patron == id || !self.person(patron).fate.is_member())
            && !p.submitted
            && Some(id) != self.lenin
    }

    /// The faction head with the largest vote share at the last tally (other than `except`), if any
    /// head has votes.
    pub fn strongest_head(&self, except: Option<PersonId>) -> Option<PersonId> {
        let power = &self.politics.power[..self.persons.len()];
        // Only the heads are read, in the people's order (the world keeps them: see
        // [`World::members_and_heads`]).
        let (_, heads) = self.members_and_heads();
        // The greatest share; among equals the last (as `Iterator::max_by` would choose).
        let mut strongest: Option<usize> = None;
        for i in set_bits(heads) {
            let v = &power[i];
            if *v > 0.0
                && Some(PersonId(i as u8)) != except
                && strongest.is_none_or(|s| power[s].total_cmp(v) != std::cmp::Ordering::Greater)
            {
                strongest = Some(i);
            }
        }
        strongest.map(|i| PersonId(i as u8))
    }

    /// Every office someone holds. Derived again only when someone's standing (his offices among
    /// it) has changed (see [`World::accepted_for`]): the month's start and the careers ask for it
    /// every month, and most months no one gains or loses an office.
    pub fn held_offices(&self) -> OfficeSet {
        self.compare_standing();
        let memo = &self.standing_memo;
        let generation = memo.generation.get();
        if let Some((at, held)) = memo.held.get() {
            if at == generation {
                debug_assert_eq!(
                    held,
                    self.derive_held_offices(),
                    "an office changed hands without a write through person_mut"
                );
                return held;
            }
        }
        let held = self.derive_held_offices();
        memo.held.set(Some((generation, held)));
        held
    }

    /// The active holders of `office` (see [`World::is_active`]), one bit each. Derived again only
    /// when someone gained or lost the office, or the fate, illness, recantation or patron of a man
    /// who held it changed (see [`World::accepted_for`]): the elections count a body's seats at
    /// every meeting, and most meetings no one's seat in it changed.
    pub fn active_holders(&self, office: Office) -> u64 {
        self.compare_standing();
        let memo = &self.standing_memo;
        let slot = &memo.seated[office as usize];
        let bit = 1u32 << office as usize;
        let stale = memo.seated_stale.get();
        if stale & bit == 0 {
            debug_assert_eq!(
                slot.get(),
                self.derive_active_holders(office),
                "{office}: a standing changed without a write through person_mut"
            );
            return slot.get();
        }
        let seated = self.derive_active_holders(office);
        slot.set(seated);
        memo.seated_stale.set(stale & !bit);
        seated
    }

    /// [`World::active_holders`] from the per-person records.
    fn derive_active_holders(&self, office: Office) -> u64 {
        self.ids()
            .filter(|&id| self.is_active(id) && self.person(id).offices.has(office))
            .fold(0u64, |mask, id| mask | 1 << id.index())
    }

    /// [`World::held_offices`] from the per-person records.
    fn derive_held_offices(&self) -> OfficeSet {
        OfficeSet(self.persons.iter().fold(0, |acc, p| acc | p.offices.0))
    }

    pub fn general_secretary(&self) -> Option<PersonId> {
        self.holder(Office::GeneralSecretary)
    }

    /// The head of `id`'s faction: follow patrons while they are active party members.
    pub fn head_of(&self, id: PersonId) -> PersonId {
        let persons = &self.persons;
        PersonId(head_by(persons, id.index(), |i| persons[i].fate.is_member()) as u8)
    }

    /// Gives `id` the office, if he may hold it: a party member, in a month when the office exists.
    /// Taking it gives up the offices it excludes (Ordzhonikidze left his Politburo seat to head the
    /// Control Commission in 1926): see `[[office]]` in data/people.toml.
    pub fn gain_office(&mut self, id: PersonId, office: Office, origin: Origin) {
        if self.person(id).offices.has(office)
            || !self.person(id).fate.is_member()
            || !self.people.institutions.exists(office, self.month)
        {
            return;
        }
        let people = self.people.clone();
        let excluded: Vec<Office> = self
            .person(id)
            .offices
            .iter()
            .filter(|&held| !people.institutions.compatible(held, office))
            .collect();
        let month = self.month;
        self.person_mut(id).changed = Some(month);
        self.person_mut(id).offices.insert(office);
        if office.is_politburo() && self.person(id).fate == Fate::InParty {
            self.set_fate_quietly(id, Fate::InLeadership);
        }
        self.emit(origin, EventKind::OfficeGained { person: id, office });
        // He takes the office, then gives up what it excludes (in that order, so that a candidate
        // made a full member never stands outside the Politburo in between).
        for held in excluded {
            self.lose_office(id, held, origin);
        }
    }

    pub fn lose_office(&mut self, id: PersonId, office: Office, origin: Origin) {
        if !self.person(id).offices.has(office) {
            return;
        }
        self.person_mut(id).offices.remove(office);
        self.vacated.insert(office);
        if office.is_politburo()
            && !self.person(id).offices.in_politburo()
            && self.person(id).fate == Fate::InLeadership
        {
            self.set_fate_quietly(id, Fate::InParty);
        }
        self.emit(origin, EventKind::OfficeLost { person: id, office });
    }

    fn set_fate_quietly(&mut self, id: PersonId, fate: Fate) {
        let month = self.month;
        let p = self.person_mut(id);
        p.fate = fate;
        p.fate_since = month;
        p.changed = Some(month);
    }

    /// Whether `id` already gained an office or changed standing this month.
    pub fn changed_this_month(&self, id: PersonId) -> bool {
        self.person(id).changed == Some(self.month)
    }

    /// Offices that cease to exist this month leave their holders (a recorded fact, not a fall: the
    /// post is not vacant, so no one is appointed to it).
    pub fn abolish_offices(&mut self) {
        let abolished = self.abolished_set();
        // Most months no one holds an office that has ceased to exist.
        if !self.held_offices().meets(abolished) {
            self.vacated = OfficeSet(self.vacated.0 & !abolished.0);
            return;
        }
        for id in self.ids() {
            let gone = self.person(id).offices.intersection(abolished);
            for office in gone.iter() {
                self.person_mut(id).offices.remove(office);
                if office.is_politburo()
                    && !self.person(id).offices.in_politburo()
                    && self.person(id).fate == Fate::InLeadership
                {
                    self.set_fate_quietly(id, Fate::InParty);
                }
                self.emit(
                    Origin::Recorded,
                    EventKind::OfficeLost { person: id, office },
                );
            }
        }
        self.vacated = OfficeSet(self.vacated.0 & !abolished.0);
    }

    /// The offices that do not exist this month. Kept with the months it holds for (between two
    /// of the institutions' dates of creation or abolition), so that it is derived a few times a
    /// world rather than every month.
    pub fn abolished_set(&self) -> OfficeSet {
        let memo = &self.standing_memo.abolished;
        let month = self.month;
        if let Some((from, until, set)) = memo.get() {
            if from <= month && until.is_none_or(|u| month < u) {
                debug_assert_eq!(set, self.derive_abolished_set(), "the institutions changed");
                return set;
            }
        }
        let set = self.derive_abolished_set();
        // The months around this one in which no office is created or abolished.
        let inst = &self.people.institutions;
        let mut from = None::<Month>;
        let mut until = None::<Month>;
        for &o in Office::ALL {
            let rule = inst.rule(o);
            for date in [Some(rule.created), rule.abolished].into_iter().flatten() {
                if date <= month {
                    from = Some(from.map_or(date, |f| f.max(date)));
                } else {
                    until = Some(until.map_or(date, |u| u.min(date)));
                }
            }
        }
        // Before every date, the set holds from this month on only (nothing is known earlier).
        memo.set(Some((from.unwrap_or(month), until, set)));
        set
    }

    /// [`World::abolished_set`] from the institutions.
    fn derive_abolished_set(&self) -> OfficeSet {
        let inst = &self.people.institutions;
        let mut set = OfficeSet::default();
        for &o in Office::ALL {
            if !inst.exists(o, self.month) {
                set.insert(o);
            }
        }
        set
    }

    /// Whether the state collapsed in the war: from then on the party-state makes no more decisions.
    pub fn state_collapsed(&self) -> bool {
        self.view().state_collapsed()
    }

    /// Changes `id`'s standing. Leaving the party costs every office and his clientele.
    pub fn set_fate(&mut self, id: PersonId, to: Fate, origin: Origin) {
        let from = self.person(id).fate;
        if from == to {
            return;
        }
        self.set_fate_quietly(id, to);
        if !to.is_member() {
            let held = self.person(id).offices;
            self.vacated = OfficeSet(self.vacated.0 | held.0);
            let p = self.person_mut(id);
            p.offices = OfficeSet::default();
            p.lost_cadre = p.cadre;
            p.cadre = 0.0;
        }
        if to == Fate::InParty && self.person(id).offices.in_politburo() {
            self.set_fate_quietly(id, Fate::InLeadership);
        }
        // A deportation, by the model or by the record, is the precedent the fates read.
        if from == Fate::InternalExile && to == Fate::Abroad {
            self.fates.deported = true;
        }
        self.emit(
            origin,
            EventKind::FateChanged {
                person: id,
                from,
                to,
            },
        );
    }

    pub fn die(&mut self, id: PersonId, cause: DeathCause, origin: Origin) {
        if self.person(id).fate.is_dead() {
            return;
        }
        self.emit(origin, EventKind::Died { person: id, cause });
        self.set_fate(id, cause.fate(), origin);
        self.person_mut(id).incapacitated = false;
    }

    /// The person is kept alive and well by an intervention this month.
    pub fn is_spared(&self, id: PersonId) -> bool {
        self.person(id).spared_until.is_some_and(|m| self.month < m)
    }

    /// The people (one bit each, by index) whom `accepts` lets take `office`. `accepts` must read
    /// nothing of the world but the man's own offices, fate, illness, recantation and patron, and who
    /// Lenin is (not the month, a vote or a prestige), and one `office` must always be asked with the
    /// same test: then only the men whose standing changed since the office was last asked are
    /// asked again. A vacancy nobody may fill stays unfilled for months while the standing stays as
    /// it was; its search then costs a few word comparisons instead of a test of everyone for each
    /// vacant post each month.
    pub fn accepted_for(&self, office: Office, accepts: impl Fn(&World, PersonId) -> bool) -> u64 {
        self.compare_standing();
        let memo = &self.standing_memo;
        let slot = office as usize;
        let mut accepted = memo.accepted[slot].get();
        for i in set_bits(memo.stale[slot].replace(0) & self.everyone()) {
            if accepts(self, PersonId(i as u8)) {
                accepted |= 1 << i;
            } else {
                accepted &= !(1 << i);
            }
        }
        memo.accepted[slot].set(accepted);
        debug_assert_eq!(
            accepted,
            self.ids()
                .filter(|&id| accepts(self, id))
                .fold(0u64, |mask, id| mask | 1 << id.index()),
            "{office}: a standing changed without a write through person_mut"
        );
        accepted
    }

    /// Everyone in the table, one bit each.
    fn everyone(&self) -> u64 {
        first_people(self.persons.len())
    }

    /// Compares the standing of the people written since the last comparison (everyone's if Lenin
    /// changed) with their words, and marks those changed for every office's test, the held offices,
    /// the active holders of the offices they held before or after, and the factions.
    /// Most calls find no one written since and Lenin the same: that test is inlined into the
    /// callers, the comparison is not.
    #[inline(always)]
    fn compare_standing(&self) {
        let memo = &self.standing_memo;
        if memo.touched.get() == 0 && memo.lenin.get() == self.lenin {
            return;
        }
        self.compare_written();
    }

    /// [`World::compare_standing`] once someone was written or Lenin changed.
    #[inline(never)]
    fn compare_written(&self) {
        let memo = &self.standing_memo;
        let mut touched = memo.touched.replace(0) & self.everyone();
        let lenin_changed = memo.lenin.get() != self.lenin;
        if touched == 0 && !lenin_changed {
            return;
        }
        let mut changed = 0u64;
        // Whether more than offices changed (the word's bits from 32 on).
        let mut factions_changed = lenin_changed;
        let mut seated_stale = 0u32;
        let mut faction_dirty = 0u64;
        if lenin_changed {
            faction_dirty = self.everyone();
            memo.lenin.set(self.lenin);
            touched = self.everyone();
            changed = self.everyone();
        }
        for i in set_bits(touched) {
            let now = standing_word(&self.persons[i]);
            let was = memo.standing[i].replace(now);
            if was != now {
                changed |= 1 << i;
                let diff = was ^ now;
                if diff >> 32 != 0 {
                    factions_changed = true;
                    faction_dirty |= 1 << i;
                }
                // The offices whose active holders he may have joined or left: those gained or
                // lost, or, if more than his offices changed, every one he held before or after.
                seated_stale |= if diff >> 32 != 0 {
                    (was | now) as u32
                } else {
                    diff as u32
                };
            }
        }
        memo.seated_stale
            .set(memo.seated_stale.get() | seated_stale);
        memo.faction_dirty
            .set(memo.faction_dirty.get() | faction_dirty);
        if factions_changed {
            let generation = &memo.faction_generation;
            generation.set(generation.get().wrapping_add(1));
        }
        if changed != 0 {
            memo.generation.set(memo.generation.get().wrapping_add(1));
            for stale in &memo.stale {
                stale.set(stale.get() | changed);
            }
        }
    }

    /// The party members, and among them the faction heads (see [`World::is_faction_head`]), one bit
    /// each. Derived again only when someone's fate, illness, recantation or patron has changed, or
    /// Lenin (see [`World::accepted_for`]; a change of offices alone, an appointment or an
    /// election, leaves them as they were): the tally, the enemies and the careers read them several
    /// times a month, and most months no one's fate or patron changes. Inlined: most calls are a
    /// reuse, a few instructions.
    #[inline(always)]
    pub fn members_and_heads(&self) -> (u64, u64) {
        self.compare_standing();
        let memo = &self.standing_memo;
        let generation = memo.faction_generation.get();
        if let Some((at, members, heads)) = memo.factions.get() {
            if at == generation {
                debug_assert_eq!(
                    (members, heads),
                    self.derive_members_and_heads(),
                    "a standing changed without a write through person_mut"
                );
                return (members, heads);
            }
        }
        let (members, heads) = match memo.factions.get() {
            Some((_, members, heads)) => self.update_members_and_heads(members, heads),
            None => self.derive_members_and_heads(),
        };
        memo.faction_dirty.set(0);
        debug_assert_eq!(
            (members, heads),
            self.derive_members_and_heads(),
            "the members and heads updated for the men changed are not the ones derived afresh"
        );
        memo.factions.set(Some((generation, members, heads)));
        (members, heads)
    }

    /// The members and heads from the last ones, `members` and `heads`, asking again only about the
    /// men whose fate, illness, recantation or patron changed since (`faction_dirty`) and the
    /// members whose patron is one of them (whether a man heads a faction reads only his own
    /// standing, Lenin, and whether his patron is a member).
    #[inline(never)]
    fn update_members_and_heads(&self, members: u64, heads: u64) -> (u64, u64) {
        let persons = &self.persons;
        let dirty = self.standing_memo.faction_dirty.get() & self.everyone();
        let mut members = members & !dirty;
        for i in set_bits(dirty) {
            if persons[i].fate.is_member() {
                members |= 1 << i;
            }
        }
        // The men to ask again: the changed, and the members whose patron changed.
        let mut ask = dirty & members;
        for i in set_bits(members & !dirty) {
            if persons[i]
                .patron
                .is_some_and(|patron| dirty >> patron.index() & 1 != 0)
            {
                ask |= 1 << i;
            }
        }
        let mut heads = heads & members & !ask;
        let lenin = self.lenin.map(|l| l.index());
        for i in set_bits(ask) {
            if self.heads_faction(i, members, lenin) {
                heads |= 1 << i;
            }
        }
        (members, heads)
    }

    /// Whether member `i` heads a faction, given the members (see [`World::is_faction_head`]).
    #[inline(always)]
    fn heads_faction(&self, i: usize, members: u64, lenin: Option<usize>) -> bool {
        let p = &self.persons[i];
        !p.incapacitated
            && !p.submitted
            && lenin != Some(i)
            && p.patron
                .is_none_or(|patron| patron.index() == i || members >> patron.index() & 1 == 0)
    }

    /// [`World::members_and_heads`] from the per-person records.
    #[inline(never)]
    fn derive_members_and_heads(&self) -> (u64, u64) {
        let persons = &self.persons;
        let mut members: u64 = 0;
        for (i, p) in persons.iter().enumerate() {
            if p.fate.is_member() {
                members |= 1 << i;
            }
        }
        let lenin = self.lenin.map(|l| l.index());
        let mut heads: u64 = 0;
        for i in set_bits(members) {
            if self.heads_faction(i, members, lenin) {
                heads |= 1 << i;
            }
        }
        (members, heads)
    }
}

/// The head of `id`'s faction among the people `is_member` accepts (by index): follow patrons while
/// they are members, stopping at a cycle back to `id`. [`World::head_of`] asks each man's fate; the
/// tally asks its members' bit mask.
pub(crate) fn head_by(
    persons: &[PersonState],
    id: usize,
    is_member: impl Fn(usize) -> bool,
) -> usize {
    let mut current = id;
    for _ in 0..persons.len() {
        match persons[current].patron {
            Some(patron) if patron.index() != id && is_member(patron.index()) => {
                current = patron.index()
            }
            _ => return current,
        }
    }
    current
}

/// The first `n` people of a table (at most [`MAX_PEOPLE`]), one bit each.
pub(crate) fn first_people(n: usize) -> u64 {
    match n {
        0 => 0,
        n => u64::MAX >> (64 - n),
    }
}

/// The indices of the set bits of `mask`, lowest first.
pub(crate) fn set_bits(mut mask: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if mask == 0 {
            return None;
        }
        let i = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        Some(i)
    })
}
