//! The model: one module per sub-model, each of the same shape.
//!
//! Every sub-model has a `Params` struct read from the assumption registry, keeps its state inside the
//! shared [`World`], and has a monthly `step(&mut World, &Params, &Streams)` that reads the world and
//! emits typed events into its log. A sub-model never calls another; they meet only in the world state.
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
/// (`=> |v: f64| ...`).
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
    (@keys [$($key:literal),* $(,)?]) => { &[$($key),*][..] };
    (@keys $key:literal) => { &[$key][..] };
    (@read $r:ident, [$($key:literal),* $(,)?]) => { [$( $crate::param($r, $key)? ),*] };
    (@read $r:ident, $key:literal) => { $crate::param($r, $key)? };
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

        impl $name {
            /// Every registry key these parameters read, in the fields' order.
            pub fn keys() -> Vec<&'static str> {
                [$( assumptions!(@keys $source) ),*].concat()
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
pub use vocab::{
    Alignment, CominternLine, DeathCause, Fate, GermanRegime, Office, PersonId, Policy, Regime,
    WarOutcome, ALL_OFFICES,
};

pub use people::{People, Person};
pub use world::{FatesState, MortalityState, OfficeSet, PersonState, PoliticsState, World};

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

/// All sub-models' parameters, read once per run.
#[derive(Clone, Debug)]
pub struct Params {
    pub mortality: mortality::Params,
    pub politics: politics::Params,
    pub fates: fates::Params,
    pub economy: economy::Params,
    pub germany: germany::Params,
    pub diplomacy: diplomacy::Params,
    pub war: war::Params,
}

impl Params {
    /// Every sub-model's parameters from the registry, and the calendar of recorded dates the
    /// mechanisms obey.
    pub fn new(
        registry: &razvilka_kernel::Registry,
        calendar: &Calendar,
    ) -> Result<Params, MissingAssumption> {
        Ok(Params {
            mortality: mortality::Params::from_registry(registry)?,
            politics: politics::Params::from_registry(registry)?,
            fates: fates::Params::from_registry(registry)?,
            economy: economy::Params::from_registry(registry, calendar)?,
            germany: germany::Params::from_registry(registry, calendar)?,
            diplomacy: diplomacy::Params::from_registry(registry)?,
            war: war::Params::from_registry(registry)?,
        })
    }
}

/// Steps every sub-model one month, in the fixed order.
pub fn step_month(world: &mut World, params: &Params, streams: &razvilka_kernel::Streams) {
    mortality::step(world, &params.mortality, streams);
    politics::step(world, &params.politics, streams);
    economy::step(world, &params.economy, streams);
    fates::step(world, &params.fates, streams);
    germany::step(world, &params.germany, streams);
    diplomacy::step(world, &params.diplomacy, streams);
    war::step(world, &params.war, streams);
}
