//! capform turns a capacity profile (YAML) into a reviewed-ready Terraform module for DynamoDB.
//!
//! Data flows one way: [`profile`] (YAML → typed, located, schema-checked) → [`capacity`] (pure
//! math) → [`plan`] (every decision resolved into a model of the module) → [`render`] (templates
//! lay the model out; the HCL is formatted and parsed back before it is written).
#![warn(missing_docs)]

pub mod capacity;
pub mod cli;
pub mod diag;
pub mod plan;
pub mod profile;
pub mod render;
pub mod report;
pub mod rules;
pub mod validate;

/// With `CAPFORM_TIMING` set, print how long a step took to stderr (for profiling).
#[doc(hidden)]
pub fn timing(what: &str, step: &str, since: std::time::Instant) {
    if std::env::var_os("CAPFORM_TIMING").is_some() {
        eprintln!("timing: {what} {step} {:?}", since.elapsed());
    }
}
