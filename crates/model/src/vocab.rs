//! The words the event log speaks: people, offices, fates and regimes.
//!
//! Each has a stable lowercase id (`general_secretary`, `internal_exile`) used in data files, scenario
//! files, the JSON contract and the docs; renaming one is a breaking change.

use std::fmt;

/// A person: an index into the people table that the world loads from `data/people.toml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct PersonId(pub u8);

impl PersonId {
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

macro_rules! id_enum {
    ($(#[$doc:meta])* $name:ident, $all:ident { $($variant:ident => $id:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const $all: &'static [$name] = &[$($name::$variant),+];
            /// The stable id used in files and the JSON contract.
            pub const fn id(self) -> &'static str {
                match self { $($name::$variant => $id),+ }
            }
            /// The value with this id, if any.
            pub fn from_id(id: &str) -> Option<$name> {
                match id { $($id => Some($name::$variant),)+ _ => None }
            }
            /// Every valid id, comma-separated, for error messages.
            pub fn valid_ids() -> String {
                [$($id),+].join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.id())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.id())
            }
        }
    };
}

id_enum!(
    /// A post in the party or the state.
    Office, ALL {
        GeneralSecretary => "general_secretary",
        Politburo => "politburo",
        PolitburoCandidate => "politburo_candidate",
        Orgburo => "orgburo",
        Secretariat => "secretariat",
        CentralCommittee => "central_committee",
        SovnarkomChair => "sovnarkom_chair",
        SovnarkomDeputy => "sovnarkom_deputy",
        WarCommissar => "war_commissar",
        CominternChair => "comintern_chair",
        PravdaEditor => "pravda_editor",
        TradeUnions => "trade_unions",
        CccChair => "ccc_chair",
        OgpuChair => "ogpu_chair",
        HeadOfState => "head_of_state",
        VsnkhChair => "vsnkh_chair",
        LeningradBoss => "leningrad_boss",
        MoscowBoss => "moscow_boss",
        UkraineBoss => "ukraine_boss",
        TranscaucasiaBoss => "transcaucasia_boss",
        NorthCaucasusBoss => "north_caucasus_boss",
        GeorgiaGpu => "georgia_gpu",
        FinanceCommissar => "finance_commissar",
    }
);

/// Every office, in a fixed order (the bit order of office sets).
pub const ALL_OFFICES: &[Office] = Office::ALL;

impl Office {
    /// The bit of this office in an office set.
    pub const fn bit(self) -> u32 {
        1 << (self as u32)
    }
    /// A phrase for prose: "General Secretary", "the Politburo".
    pub const fn title(self) -> &'static str {
        match self {
            Office::GeneralSecretary => "General Secretary",
            Office::Politburo => "a full member of the Politburo",
            Office::PolitburoCandidate => "a candidate member of the Politburo",
            Office::Orgburo => "a member of the Orgburo",
            Office::Secretariat => "a Secretary of the Central Committee",
            Office::CentralCommittee => "a member of the Central Committee",
            Office::SovnarkomChair => "chairman of the Council of People's Commissars",
            Office::SovnarkomDeputy => "a deputy chairman of the Council of People's Commissars",
            Office::WarCommissar => "People's Commissar for War",
            Office::CominternChair => "chairman of the Comintern",
            Office::PravdaEditor => "editor of Pravda",
            Office::TradeUnions => "head of the trade unions",
            Office::CccChair => "chairman of the Central Control Commission",
            Office::OgpuChair => "chairman of the OGPU",
            Office::HeadOfState => "head of state",
            Office::VsnkhChair => "chairman of the Supreme Economic Council",
            Office::LeningradBoss => "party chief of Leningrad",
            Office::MoscowBoss => "party chief of Moscow",
            Office::UkraineBoss => "party chief of Ukraine",
            Office::TranscaucasiaBoss => "party chief of Transcaucasia",
            Office::NorthCaucasusBoss => "party chief of the North Caucasus",
            Office::GeorgiaGpu => "a chief of the Georgian secret police",
            Office::FinanceCommissar => "People's Commissar of Finance",
        }
    }
    /// A seat in the Politburo, full or candidate.
    pub const fn is_politburo(self) -> bool {
        matches!(self, Office::Politburo | Office::PolitburoCandidate)
    }
    /// Whether one man holds the office at a time (a post), rather than many (a seat in a body).
    pub const fn is_single_seat(self) -> bool {
        !matches!(
            self,
            Office::Politburo
                | Office::PolitburoCandidate
                | Office::Orgburo
                | Office::Secretariat
                | Office::CentralCommittee
        )
    }
}

id_enum!(
    /// Where a person stands at a moment: in power, out of it, or dead. Each person has exactly one.
    Fate, ALL {
        InLeadership => "in_leadership",
        InParty => "in_party",
        Readmitted => "readmitted",
        Expelled => "expelled",
        InternalExile => "internal_exile",
        CaucasusBase => "caucasus_base",
        Revolt => "revolt",
        Breakaway => "breakaway",
        Imprisoned => "imprisoned",
        Abroad => "abroad",
        DeadNatural => "dead_natural",
        Executed => "executed",
        Killed => "killed",
        Suicide => "suicide",
    }
);

impl Fate {
    pub const fn is_dead(self) -> bool {
        matches!(
            self,
            Fate::DeadNatural | Fate::Executed | Fate::Killed | Fate::Suicide
        )
    }
    /// A party member (in power or not), as opposed to expelled, exiled, imprisoned, abroad or dead.
    pub const fn is_member(self) -> bool {
        matches!(self, Fate::InLeadership | Fate::InParty | Fate::Readmitted)
    }
    /// Out of the party but alive inside Soviet reach (so the regime can act on him).
    pub const fn is_outcast_at_home(self) -> bool {
        matches!(
            self,
            Fate::Expelled
                | Fate::InternalExile
                | Fate::CaucasusBase
                | Fate::Revolt
                | Fate::Imprisoned
        )
    }
    /// A phrase for prose.
    pub const fn describe(self) -> &'static str {
        match self {
            Fate::InLeadership => "in the leadership",
            Fate::InParty => "a party member without high office",
            Fate::Readmitted => "readmitted to the party after recanting",
            Fate::Expelled => "expelled from the party",
            Fate::InternalExile => "in internal exile",
            Fate::CaucasusBase => "gathering his followers in the Caucasus",
            Fate::Revolt => "in open revolt in the Caucasus",
            Fate::Breakaway => "ruling a breakaway Caucasian republic",
            Fate::Imprisoned => "in prison",
            Fate::Abroad => "abroad",
            Fate::DeadNatural => "dead of natural causes",
            Fate::Executed => "executed",
            Fate::Killed => "killed",
            Fate::Suicide => "dead by his own hand",
        }
    }
}

id_enum!(
    /// How a death came.
    DeathCause, ALL {
        Natural => "natural",
        Executed => "executed",
        Killed => "killed",
        Suicide => "suicide",
    }
);

impl DeathCause {
    pub const fn fate(self) -> Fate {
        match self {
            DeathCause::Natural => Fate::DeadNatural,
            DeathCause::Executed => Fate::Executed,
            DeathCause::Killed => Fate::Killed,
            DeathCause::Suicide => Fate::Suicide,
        }
    }
}

id_enum!(
    /// The shape of power at the top.
    Regime, ALL {
        Collective => "collective",
        Oligarchy => "oligarchy",
        PersonalDictatorship => "personal_dictatorship",
    }
);

id_enum!(
    /// The economic policy regime the leadership pursues.
    Policy, ALL {
        Nep => "nep",
        NepInvestment => "nep_investment",
        ModeratePlan => "moderate_plan",
        SuperIndustrialization => "super_industrialization",
        Collectivization => "collectivization",
    }
);

impl Policy {
    /// A phrase for prose.
    pub const fn describe(self) -> &'static str {
        match self {
            Policy::Nep => "the New Economic Policy, continued",
            Policy::NepInvestment => "the NEP with state investment and cooperatives",
            Policy::ModeratePlan => "a moderate plan",
            Policy::SuperIndustrialization => "super-industrialisation at the peasants' expense",
            Policy::Collectivization => "forced collectivisation and five-year plans",
        }
    }
    /// Position in [`Policy::ALL`] (for per-regime parameter tables).
    pub const fn index(self) -> usize {
        self as usize
    }
}

id_enum!(
    /// The Comintern's line toward the social democrats (and so the German left's unity).
    CominternLine, ALL {
        UnitedFront => "united_front",
        ThirdPeriod => "third_period",
        PopularFront => "popular_front",
    }
);

id_enum!(
    /// Germany's government: the republic, a conservative authoritarian regime, or the Nazis.
    GermanRegime, ALL {
        Weimar => "weimar",
        Authoritarian => "authoritarian",
        Nazi => "nazi",
    }
);

id_enum!(
    /// The Soviet choice in the crisis of 1939.
    Alignment, ALL {
        Pact => "pact",
        WesternAlliance => "western_alliance",
        Neutrality => "neutrality",
    }
);

id_enum!(
    /// How a German–Soviet war ends (or that none came by the end of 1945).
    WarOutcome, ALL {
        SovietVictory => "soviet_victory",
        NegotiatedPeace => "negotiated_peace",
        SovietCollapse => "soviet_collapse",
        Ongoing => "ongoing",
        NoWar => "no_war",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for o in Office::ALL {
            assert_eq!(Office::from_id(o.id()), Some(*o));
        }
        for f in Fate::ALL {
            assert_eq!(Fate::from_id(f.id()), Some(*f));
        }
        assert_eq!(Office::from_id("tsar"), None);
        assert!(Office::valid_ids().contains("general_secretary"));
        assert!(
            Office::ALL.len() <= 32,
            "offices must fit the 32-bit office set"
        );
    }
}
