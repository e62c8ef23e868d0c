//! The kernel of razvilka: what every layer above shares and nothing in it knows how the model works.
//!
//! - [`Month`]: the calendar. The model steps a month at a time.
//! - [`Streams`] and [`Draws`]: counter-based random numbers keyed by (seed, run, stream name, month,
//!   index), so that twin worlds draw the same numbers wherever the divergence has not changed what is
//!   drawn.
//! - [`Event`] and [`Origin`]: the frame of the event log (when, and why); what happened is the
//!   model's own type.
//! - [`Registry`]: the assumptions, each with a meaning, unit, default, prior and provenance.
//! - [`Diagnostic`]: an error in an input file, with file, line, column and what would be valid.
//!
//! ```
//! use razvilka_kernel::{Month, Stream, Streams};
//! let streams = Streams::new(7, 0);
//! let weather = Stream::named("economy.weather");
//! let month: Month = "1932-06".parse().unwrap();
//! let a = streams.draws(weather, month).uniform(3);
//! let b = streams.draws(weather, month).uniform(3);
//! assert_eq!(a, b); // the same key gives the same number, whoever asks and in whatever order
//! ```

mod calendar;
mod diag;
mod event;
mod hash;
mod hazard;
mod registry;
mod streams;

pub use calendar::{Month, MonthParseError};
pub use diag::{line_col, Diagnostic};
pub use event::{Event, Origin};
pub use hash::{fnv1a, FNV_OFFSET};
pub use hazard::HazardClock;
pub use registry::{Assumption, Domain, Prior, Provenance, Registry, RegistryError, LARGEST};
#[cfg(feature = "census")]
pub use streams::census;
pub use streams::{cell, inverse_normal_cdf, Draws, Stream, Streams};
