//! The event log: what happened, when, and why (replayed history, a mechanism, or an intervention).

use crate::{DeathCause, Fate, Month, Office, PersonId, Policy, Regime};

/// Why an event is in the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Recorded history, replayed before the divergence date.
    Recorded,
    /// Produced by a mechanism of the model.
    Mechanism,
    /// Forced by the scenario's intervention.
    Intervention,
}

/// One thing that happened.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Event {
    pub month: Month,
    pub origin: Origin,
    pub kind: EventKind,
}

/// What happened. Person ids index the world's people table.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    OfficeGained {
        person: PersonId,
        office: Office,
    },
    OfficeLost {
        person: PersonId,
        office: Office,
    },
    /// Illness takes a person out of work (Lenin's strokes).
    Incapacitated {
        person: PersonId,
    },
    Recovered {
        person: PersonId,
    },
    Died {
        person: PersonId,
        cause: DeathCause,
    },
    /// A person's standing changes (expulsion, exile, arrest, readmission, revolt ...).
    FateChanged {
        person: PersonId,
        from: Fate,
        to: Fate,
    },
    /// A party meeting opens. `name` comes from the calendar data.
    Meeting {
        name: String,
        congress: bool,
    },
    /// Lenin's letter to the Congress is read to the delegations.
    TestamentRead,
    /// A vote on removing `target` from `office`; `share_for` is the share of votes for removal.
    RemovalVote {
        target: PersonId,
        office: Office,
        share_for: f64,
        passed: bool,
    },
    /// A coalition led by `leader` defeats `target`'s faction; `step` is the rung of the defeat ladder.
    FactionDefeated {
        target: PersonId,
        leader: PersonId,
        share: f64,
        step: u8,
    },
    /// A beaten man recants: he leads and follows no faction any more.
    Recanted {
        person: PersonId,
    },
    /// A client chooses a new patron (or none) after his patron falls.
    PatronChanged {
        person: PersonId,
        from: Option<PersonId>,
        to: Option<PersonId>,
    },
    /// The dominant leader changes (`None`: collective leadership).
    LeaderChanged {
        from: Option<PersonId>,
        to: Option<PersonId>,
    },
    RegimeChanged {
        from: Regime,
        to: Regime,
    },
    /// The leadership changes economic policy (`crisis`: a procurement crisis pushed it).
    PolicyChanged {
        from: Policy,
        to: Policy,
        crisis: bool,
    },
    /// The state's grain procurement falls short of what the plan needs (share short).
    ProcurementCrisis {
        shortfall: f64,
    },
    /// A harvest year ends in famine: excess deaths in millions.
    Famine {
        deaths_millions: f64,
    },
    /// A recorded fact with no state change, for the timeline (index into the recorded events).
    Note {
        record: u16,
    },
}
