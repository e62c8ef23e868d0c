//! What happened, in the model's words: the kinds of event the log records. The kernel gives each
//! its month and origin ([`crate::Event`]).

use crate::{
    Alignment, CominternLine, DeathCause, Fate, GermanRegime, Office, PersonId, Policy, Regime,
    WarOutcome,
};

/// One thing that happened in a world.
pub type Event = razvilka_kernel::Event<EventKind>;

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
    /// The terror's trigger: the leader meets a plot scare and turns the police on the party
    /// (`politics::terror`). `victim`: the scare was the assassination of this member of the
    /// Politburo, whose death is logged beside it (the record's Kirov, December 1934); `None`: a
    /// plot the police uncover with no one killed.
    TerrorBegan {
        leader: PersonId,
        victim: Option<PersonId>,
    },
    /// The terror is called off: by `leader`, whose terror it was, or (`successor`) at once by
    /// whoever comes after him, when he no longer leads.
    TerrorHalted {
        leader: PersonId,
        successor: bool,
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
    /// The Comintern changes its line.
    CominternLineChanged {
        from: CominternLine,
        to: CominternLine,
    },
    /// A Reichstag election: vote shares in per cent.
    Election {
        nsdap: f64,
        kpd: f64,
        spd: f64,
        /// The Nazis are the largest party (or the left, united, is not larger).
        nazis_largest: bool,
    },
    GermanRegimeChanged {
        from: GermanRegime,
        to: GermanRegime,
    },
    /// Germany's demands on a neighbour bring Europe to the brink (the crisis of 1939).
    EuropeanCrisis,
    /// The Soviet choice in the crisis.
    Aligned {
        alignment: Alignment,
    },
    /// Germany goes to war with Britain and France.
    WarInWest,
    /// France sues for an armistice.
    FranceFalls,
    /// The Western alliance deters Germany: no war in Europe.
    Deterred,
    /// Officers discharged from the Red Army this year (a yearly tally).
    ArmyPurge {
        officers: f64,
    },
    /// Soldiers turn on the leadership.
    MilitaryCoup {
        succeeded: bool,
    },
    /// War between Germany and the USSR; `surprise`: the attack catches the Red Army unready.
    WarBegan {
        surprise: bool,
        two_fronts: bool,
    },
    /// End-of-year front line: kilometres east of the June 1941 border on the Moscow axis
    /// (negative: west of it), and Soviet military dead so far, millions.
    FrontLine {
        depth_km: f64,
        soviet_dead_millions: f64,
    },
    WarEnded {
        outcome: WarOutcome,
    },
    /// A recorded fact with no state change, for the timeline (index into the recorded events).
    Note {
        record: u16,
    },
}
