//! Profiles: YAML → typed, located, schema-checked.
pub mod yaml;
