//! The one shape of a sub-model, the interventions a scenario forces, and the step order.
//!
//! A sub-model is a module with a unit type implementing [`SubModel`]: its parameters (declared with
//! `assumptions!`, each field beside the registry key it reads), its state (a field of [`World`]),
//! `init` once before the first month, `step` each month, and `apply` for the interventions it
//! understands. To add one: write the module, add its state to `World`, and add one line to the
//! `sub_models!` list in `lib.rs`, whose order is the monthly step order.

use razvilka_kernel::{Month, Registry, Streams};

use crate::{
    Alignment, Calendar, CominternLine, MissingAssumption, Office, PersonId, Policy, World,
};

/// What a scenario forces, from its month on.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Expel the person from the party.
    Expel(PersonId),
    /// Remove the person from one office.
    RemoveOffice(PersonId, Office),
    /// The person dies (of natural causes).
    Dies(PersonId),
    /// The person is alive and able to work from the date until `until`; then his own hazards apply.
    SurvivesUntil(PersonId, Month),
    /// The person is appointed to an office (whoever held it loses it).
    Appoint(PersonId, Office),
    /// The economic policy regime is fixed from the date on; the leadership no longer chooses it.
    Policy(Policy),
    /// The Comintern's line is fixed from the date on.
    CominternLine(CominternLine),
    /// The Soviet choice in the European crisis, whenever it comes after the date.
    Alignment(Alignment),
    /// The army is kept out of any purge from the date on.
    NoArmyPurge,
}

impl Action {
    /// The person acted on, if the action concerns one.
    pub fn person(&self) -> Option<PersonId> {
        match *self {
            Action::Expel(p)
            | Action::RemoveOffice(p, _)
            | Action::Dies(p)
            | Action::SurvivesUntil(p, _)
            | Action::Appoint(p, _) => Some(p),
            Action::Policy(_)
            | Action::CominternLine(_)
            | Action::Alignment(_)
            | Action::NoArmyPurge => None,
        }
    }
}

/// Whether a sub-model carried out an intervention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    Done,
    /// Not this sub-model's: the next one in the order is asked.
    NotMine,
}

/// Parameters read once per world from the assumption registry (`assumptions!` implements it; a
/// sub-model whose mechanisms obey recorded dates also reads the calendar).
pub trait Assumptions: Sized + Clone + std::fmt::Debug {
    fn read(registry: &Registry, calendar: &Calendar) -> Result<Self, MissingAssumption>;
}

/// The shape every sub-model has.
pub trait SubModel {
    /// The sub-model's name: its module, and the prefix of most of its assumptions' keys.
    const NAME: &'static str;
    /// Its parameters.
    type Params: Assumptions;
    /// Sets up its state on the world as the people table describes it at the start.
    fn init(_world: &mut World, _params: &Self::Params) {}
    /// One month.
    fn step(world: &mut World, params: &Self::Params, streams: &Streams);
    /// Carries out `action` if it is this sub-model's to carry out.
    fn apply(_world: &mut World, _action: &Action) -> Applied {
        Applied::NotMine
    }
}

/// One sub-model's month, kept out of line so that a profile (callgrind) names each sub-model's cost
/// apart. The price is what the optimiser could no longer merge across the sub-models: about 0.7% of a
/// world's instructions (810.9 M → 816.5 M for 200 `stalin-expelled` worlds, `docs/benchmarks.md`).
#[inline(never)]
pub fn step_one<M: SubModel>(world: &mut World, params: &M::Params, streams: &Streams) {
    M::step(world, params, streams)
}

/// Declares the sub-models in their monthly order: `Params` (every sub-model's parameters),
/// `init`, `step_month` and `apply`.
macro_rules! sub_models {
    ($( $field:ident : $model:ty ),* $(,)?) => {
        /// All sub-models' parameters, read once per run.
        #[derive(Clone, Debug)]
        pub struct Params {
            $( pub $field: <$model as $crate::SubModel>::Params, )*
        }

        impl Params {
            /// Every sub-model's parameters from the registry, and the calendar of recorded dates
            /// the mechanisms obey.
            pub fn new(
                registry: &razvilka_kernel::Registry,
                calendar: &$crate::Calendar,
            ) -> Result<Params, $crate::MissingAssumption> {
                Ok(Params {
                    $( $field: <<$model as $crate::SubModel>::Params as $crate::Assumptions>::read(
                        registry, calendar,
                    )?, )*
                })
            }
        }

        /// The sub-models' names, in the step order.
        pub const SUB_MODELS: &[&str] = &[$( <$model as $crate::SubModel>::NAME ),*];

        /// Sets every sub-model up on a new world, in the step order.
        pub fn init(world: &mut World, params: &Params) {
            $( <$model as $crate::SubModel>::init(world, &params.$field); )*
        }

        /// Steps every sub-model one month, in the fixed order.
        pub fn step_month(world: &mut World, params: &Params, streams: &razvilka_kernel::Streams) {
            $( $crate::submodel::step_one::<$model>(world, &params.$field, streams); )*
        }

        /// Carries out a scenario's intervention: the first sub-model in the order that understands
        /// it does. Acting on someone already dead changes nothing.
        pub fn apply(world: &mut World, action: &$crate::Action) -> $crate::Applied {
            if action.person().is_some_and(|p| !world.is_alive(p)) {
                return $crate::Applied::Done;
            }
            $(
                if <$model as $crate::SubModel>::apply(world, action) == $crate::Applied::Done {
                    return $crate::Applied::Done;
                }
            )*
            $crate::Applied::NotMine
        }
    };
}
