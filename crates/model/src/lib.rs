//! The model: one module per sub-model, each of the same shape.
//!
//! Every sub-model has the one shape of [`SubModel`]: a `Params` struct read from the assumption
//! registry, its state inside the shared [`World`], `init`, a monthly `step` that reads the world and
//! emits typed events into its log, and `apply` for the interventions it understands. A sub-model
//! never calls another; they meet only in the world state. `sub_models!` below is the step order.
//! Before the divergence date the world replays recorded history and the sub-models' *decisions* (a
//! vote, a death by hazard, an arrest) are switched off, while their slow dynamics (the apparatus,
//! the leader and regime labels, the cult, repression) run on the replayed facts; see
//! [`World::free`].
//!
//! Order each month: [`mortality`], [`politics`], [`economy`] (in December), [`fates`], [`germany`],
//! [`diplomacy`], [`war`].

/// Declares a sub-model's parameters: each field written beside the registry key it reads (the key
/// whole, so a search for it finds the field), so that a field and its key cannot drift apart, and
/// `keys()`, every key the sub-model reads. A field may read a list of keys into an array, and a
/// field that is not a plain number says how it is made from the registry's value
/// (`=> |v: f64| ...`), and a field that is a block of its own (shared by two sub-models) names its
/// type in braces (`= { WarShares }`; the block declares its keys).
///
/// ```ignore
/// assumptions! {
///     pub struct Params {
///         /// Annual probability of death at age 50.
///         pub annual_at_50: f64 = "mortality.annual_at_50",
///         pub party_centre: [f64; 3] = ["politics.party_centre.pace", "politics.party_centre.agrarian",
///             "politics.party_centre.comintern"],
///         pub attack_dry_months: u32 = "diplomacy.attack_dry_months" => |v: f64| v.round().max(1.0) as u32,
///     }
/// }
/// ```
macro_rules! assumptions {
    (@keys $keys:ident, [$($key:literal),* $(,)?]) => { $keys.extend_from_slice(&[$($key),*]) };
    (@keys $keys:ident, $key:literal) => { $keys.push($key) };
    // A nested block declares its own keys.
    (@keys $keys:ident, { $nested:ty }) => { () };
    (@read $r:ident, [$($key:literal),* $(,)?]) => { [$( $crate::param($r, $key)? ),*] };
    (@read $r:ident, $key:literal) => { $crate::param($r, $key)? };
    (@read $r:ident, { $nested:ty }) => { <$nested>::from_registry($r)? };
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                pub $field:ident : $ty:ty = $source:tt $(=> $make:expr)?,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug)]
        pub struct $name {
            $(
                $(#[$field_meta])*
                pub $field: $ty,
            )*
        }

        impl $crate::Assumptions for $name {
            fn read(
                registry: &razvilka_kernel::Registry,
                _: &$crate::Calendar,
            ) -> Result<$name, $crate::MissingAssumption> {
                $name::from_registry(registry)
            }
        }

        impl $name {
            /// Every registry key these parameters read, in the fields' order (a nested block's keys
            /// are its own `keys()`).
            #[allow(clippy::vec_init_then_push)]
            pub fn keys() -> Vec<&'static str> {
                let mut keys: Vec<&'static str> = Vec::new();
                $( assumptions!(@keys keys, $source); )*
                keys
            }

            pub fn from_registry(
                r: &razvilka_kernel::Registry,
            ) -> Result<$name, $crate::MissingAssumption> {
                Ok($name {
                    $(
                        $field: {
                            let value = assumptions!(@read r, $source);
                            $( let value = ($make)(value); )?
                            value
                        },
                    )*
                })
            }
        }
    };
}

/// A sub-model's `Params` that hold an `assumptions!` block beside what the registry does not give
/// (the calendar, the regimes) read as that block: `params.alpha` for `params.accounts.alpha`.
macro_rules! reads_as {
    ($params:ty => $field:ident : $block:ty) => {
        impl std::ops::Deref for $params {
            type Target = $block;
            fn deref(&self) -> &$block {
                &self.$field
            }
        }

        impl std::ops::DerefMut for $params {
            fn deref_mut(&mut self) -> &mut $block {
                &mut self.$field
            }
        }
    };
}

#[macro_use]
mod submodel;

pub mod diplomacy;
pub mod economy;
mod event;
pub mod fates;
pub mod germany;
pub mod mortality;
pub mod people;
pub mod politics;
mod vocab;
pub mod war;
mod world;

pub use event::{Event, EventKind};
pub use submodel::{Action, Applied, Assumptions, SubModel};
pub use vocab::{
    Alignment, CominternLine, DeathCause, Fate, GermanRegime, Office, PersonId, Policy, Regime,
    WarOutcome, ALL_OFFICES,
};

pub use fates::FatesState;
pub use mortality::MortalityState;
pub use people::{People, Person};
pub use politics::PoliticsState;
pub use world::{Log, OfficeSet, PersonState, View, World};

/// A parameter the registry lacks: the model refuses to run on a silent default.
#[derive(Debug, thiserror::Error)]
#[error(
    "the assumption registry has no `{0}`: add it to data/assumptions.toml with its provenance"
)]
pub struct MissingAssumption(pub String);

/// Reads one key from the registry.
pub(crate) fn param(
    registry: &razvilka_kernel::Registry,
    key: &str,
) -> Result<f64, MissingAssumption> {
    registry
        .get(key)
        .map_err(|_| MissingAssumption(key.to_string()))
}

/// Dates of recorded history that the mechanisms obey as institutional facts (an election law, a
/// constitution's emergency powers, a congress), read from the data files (`data/germany.toml`'s
/// `[calendar]`), never written in a mechanism.
#[derive(Clone, Debug, PartialEq)]
pub struct Calendar {
    /// The Reichstag elections the vote model holds while the republic lasts, in date order; after
    /// the last, one every 24 months.
    pub reichstag_elections: Vec<razvilka_kernel::Month>,
    /// The first presidential cabinet: from then on the takeover hazards apply.
    pub presidential_cabinets: razvilka_kernel::Month,
    /// The Comintern's first review of its line; later reviews fall in the same month of each year.
    pub comintern_line_review: razvilka_kernel::Month,
    /// World wheat prices over steel by calendar year, 1928 = 1 (Jacks 2019, `data/germany.toml`'s
    /// `[[world_price]]` rows): the proxy for the terms of trade of Soviet grain exports.
    pub wheat_over_steel: Vec<(u32, f64)>,
}

sub_models! {
    mortality: mortality::Mortality,
    politics: politics::Politics,
    economy: economy::Economy,
    fates: fates::Fates,
    germany: germany::Germany,
    diplomacy: diplomacy::Diplomacy,
    war: war::War,
}
