//! The platform-neutral model shared by every appvet crate.
//!
//! Parser crates (`appvet-android`, `appvet-ios`) turn a package file into a [`PackageScan`]:
//! the package's identity ([`PackageInfo`]) and its [`Inventory`] of facts. Every fact carries a
//! [`Location`] saying where in the package it was found, so a reviewer can check the evidence.
//! Nothing in this crate knows a file format, a signature or a policy clause.
//!
//! Collections are `Vec`s kept in a deterministic order by the producers (sorted where the source
//! order is meaningless), so the same package always serialises to the same bytes.

mod error;
mod findings;
mod inventory;
mod limits;
mod location;
mod methods;
pub mod urls;

pub use error::{Error, Result};
pub use findings::*;
pub use inventory::*;
pub use limits::{flag_hint, Limits, PARALLEL_ABOVE_BYTES, TIME_LIMIT};
pub use location::{Anomaly, Location};
pub use methods::{MethodRef, MethodRefs};
