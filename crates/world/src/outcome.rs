//! What a run produces for the ensemble: yearly snapshots and the first time notable things happened.

use razvilka_kernel::Month;
use razvilka_model::World;
use razvilka_model::{
    Alignment, CominternLine, EventKind, Fate, GermanRegime, Office, PersonId, Policy, Regime,
    WarOutcome,
};

/// The world at the end of one December.
#[derive(Clone, Debug, PartialEq)]
pub struct YearRecord {
    pub year: u32,
    pub leader: Option<PersonId>,
    pub regime: Regime,
    pub repression: f64,
    pub general_secretary: Option<PersonId>,
    /// The leader's faction's share of the vote (the strongest faction's when there is no leader).
    pub top_share: f64,
    /// Share of full Politburo members in the leader's faction (0 without a leader).
    pub politburo_loyal: f64,
    /// Each person's standing, indexed by person.
    pub fates: Vec<Fate>,
    /// The economic policy in force at the end of the year (chosen for the next).
    pub policy: Policy,
    /// The year's economic accounts (from the 1927 harvest year on).
    pub economy: Option<razvilka_model::economy::Year>,
    pub comintern_line: CominternLine,
    pub german_regime: GermanRegime,
    /// The front at the year's end (km east of the June 1941 border; `None` outside a war).
    pub front_km: Option<f64>,
    /// Soviet military dead so far, millions.
    pub soviet_dead: f64,
}

impl YearRecord {
    pub fn snapshot(world: &World) -> YearRecord {
        let power = &world.politics.power;
        let top_share = power.iter().copied().fold(0.0, f64::max);
        let leader = world.politics.leader;
        // The Politburo's living full members, and those of them in the leader's faction, counted
        // in one walk (no list is kept).
        let (mut seats, mut loyal) = (0usize, 0usize);
        for id in world
            .ids()
            .filter(|&id| world.is_alive(id) && world.person(id).offices.has(Office::Politburo))
        {
            seats += 1;
            if leader.is_some_and(|l| world.head_of(id) == l) {
                loyal += 1;
            }
        }
        let politburo_loyal = match leader {
            Some(_) if seats > 0 => loyal as f64 / seats as f64,
            _ => 0.0,
        };
        YearRecord {
            year: world.month.year(),
            leader,
            regime: world.politics.regime,
            repression: world.politics.repression,
            general_secretary: world.general_secretary(),
            top_share,
            politburo_loyal,
            fates: world.persons.iter().map(|p| p.fate).collect(),
            policy: world.economy.policy,
            economy: world.economy.year(world.month.year()).copied(),
            comintern_line: world.germany.line,
            german_regime: world.germany.regime,
            front_km: world.war.active().then_some(world.war.depth),
            soviet_dead: world.war.soviet_dead,
        }
    }
}

/// A notable first: the first month a person lost an office, reached a fate, or saw his faction beaten.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Milestone {
    LostOffice(Office),
    /// Left the Politburo: lost his last seat there, full or candidate.
    LeftPolitburo,
    Reached(Fate),
    Defeated,
}

impl Milestone {
    /// How many milestones a person can reach: [`Milestone::key`] is below this.
    const KEYS: usize = Office::ALL.len() + Fate::ALL.len() + 2;

    /// A distinct small number for each milestone.
    fn key(self) -> usize {
        match self {
            Milestone::LostOffice(office) => office as usize,
            Milestone::LeftPolitburo => Office::ALL.len(),
            Milestone::Reached(fate) => Office::ALL.len() + 1 + fate as usize,
            Milestone::Defeated => Office::ALL.len() + 1 + Fate::ALL.len(),
        }
    }
}

/// Germany, 1939 and the war in one run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Europe {
    pub votes: Vec<razvilka_model::germany::Vote>,
    pub nazi_power: Option<Month>,
    pub crisis: Option<Month>,
    pub alignment: Option<Alignment>,
    pub war_start: Option<Month>,
    pub surprise: Option<bool>,
    /// The outcome and its month; `Ongoing` or `NoWar` at the run's end have no month.
    pub outcome: Option<(WarOutcome, Month)>,
    pub soviet_dead: f64,
    /// The front (km) and Soviet dead (millions) at the war's first December.
    pub first_december: Option<(f64, f64)>,
    /// Officers discharged in the army purge (before any reinstatement).
    pub officers_purged: f64,
    pub coup: Option<(Month, bool)>,
}

impl Europe {
    pub fn from_world(world: &World) -> Europe {
        Europe {
            votes: world.germany.votes.clone(),
            nazi_power: world.germany.nazi_power(),
            crisis: world.diplomacy.crisis,
            alignment: world.diplomacy.alignment,
            war_start: world.war.start,
            surprise: world
                .diplomacy
                .surprise
                .filter(|_| world.war.start.is_some()),
            outcome: world.war.outcome,
            soviet_dead: world.war.soviet_dead,
            first_december: world.war.first_december,
            officers_purged: world.war.discharged,
            coup: world.war.coup,
        }
    }

    /// The Soviet choice if the crisis came by the end of `year`, else `no_crisis`.
    pub fn alignment_by(&self, year: u32) -> &'static str {
        match (self.crisis, self.alignment) {
            (Some(c), Some(a)) if c.year() <= year => a.id(),
            _ => "no_crisis",
        }
    }

    /// The year Germany attacked the USSR, or `none`.
    pub fn war_start_year(&self) -> String {
        self.war_start
            .map_or("none".to_string(), |m| m.year().to_string())
    }

    /// How the war stood at the run's end.
    pub fn result(&self) -> WarOutcome {
        match (self.outcome, self.war_start) {
            (Some((o, _)), _) => o,
            (None, Some(_)) => WarOutcome::Ongoing,
            (None, None) => WarOutcome::NoWar,
        }
    }
}

/// The compact result of one run.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub years: Vec<YearRecord>,
    /// (person, milestone, first month), in the order they happened.
    pub milestones: Vec<(PersonId, Milestone, Month)>,
    pub europe: Europe,
}

impl Outcome {
    pub fn from_world(world: &World, years: Vec<YearRecord>) -> Outcome {
        let mut milestones: Vec<(PersonId, Milestone, Month)> = Vec::new();
        // Politburo seats (full or candidate) held, to tell when a man leaves the Politburo.
        let mut seats: Vec<u8> = world
            .people
            .ids()
            .map(|(_, p)| p.offices.iter().filter(|o| o.is_politburo()).count() as u8)
            .collect();
        // The milestones already found, one bit for each person's each milestone (the first is
        // kept): a look-up instead of a search of the list so far for each event.
        let words = Milestone::KEYS.div_ceil(64);
        let mut found_before = vec![0u64; seats.len() * words];
        for e in &world.log {
            match e.kind {
                EventKind::OfficeGained { person, office } if office.is_politburo() => {
                    seats[person.index()] += 1
                }
                EventKind::OfficeLost { person, office } if office.is_politburo() => {
                    seats[person.index()] = seats[person.index()].saturating_sub(1)
                }
                _ => {}
            }
            let found = match e.kind {
                EventKind::OfficeLost { person, office } if office.is_politburo() => {
                    (seats[person.index()] == 0).then_some((person, Milestone::LeftPolitburo))
                }
                EventKind::OfficeLost { person, office } => {
                    Some((person, Milestone::LostOffice(office)))
                }
                EventKind::FateChanged { person, to, .. } => Some((person, Milestone::Reached(to))),
                EventKind::FactionDefeated { target, .. } => Some((target, Milestone::Defeated)),
                _ => None,
            };
            if let Some((p, m)) = found {
                let bit = p.index() * words * 64 + m.key();
                let (word, bit) = (bit / 64, bit % 64);
                if found_before[word] >> bit & 1 == 0 {
                    debug_assert!(!milestones.iter().any(|(q, n, _)| *q == p && *n == m));
                    found_before[word] |= 1 << bit;
                    milestones.push((p, m, e.month));
                }
            }
        }
        Outcome {
            years,
            milestones,
            europe: Europe::from_world(world),
        }
    }

    /// The snapshot of December `year` (or the run's last month, for the final year).
    pub fn year(&self, year: u32) -> Option<&YearRecord> {
        // One record a year from the first: index directly, and search only if that fails.
        let first = self.years.first()?.year;
        let index = year.checked_sub(first)? as usize;
        match self.years.get(index) {
            Some(y) if y.year == year => Some(y),
            _ => self.years.iter().find(|y| y.year == year),
        }
    }

    /// The first month `person` reached `milestone`.
    pub fn first(&self, person: PersonId, milestone: Milestone) -> Option<Month> {
        self.milestones
            .iter()
            .find(|(p, m, _)| *p == person && *m == milestone)
            .map(|(_, _, month)| *month)
    }
}
