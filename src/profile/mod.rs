//! Profiles: YAML → typed, located, schema-checked.
//!
//! [`load_file`] is the entry point: it returns a [`Loaded`] profile or every
//! problem found, each a located [`crate::diag::Diagnostic`].
pub(crate) mod check;
pub(crate) mod load;
pub mod loaded;
pub mod model;
pub mod pricing;
pub mod reference;
pub mod schema;
pub mod yaml;

pub use load::{load_bytes, load_file, load_str};
pub use loaded::Loaded;
