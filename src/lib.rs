//! capform turns a capacity profile (YAML) into a reviewed-ready Terraform module for DynamoDB.
//!
//! Data flows one way: [`profile`] (YAML → typed, located, schema-checked) → [`capacity`] (pure
//! math) → [`plan`] (every decision resolved into a model of the module) → [`render`] (templates
//! lay the model out; the HCL is formatted and parsed back before it is written).
#![warn(missing_docs)]

// The library's interface: the stages, their findings and the formatting they share.
pub mod capacity;
pub mod diag;
pub mod init;
pub mod plan;
pub mod present;
pub mod profile;
pub mod render;
pub mod rules;
pub mod simulate;
pub mod terraform;
pub mod tier;
pub mod validate;

// The binary's shell and helpers the tests and benchmarks reach: public for them, not part of
// the documented interface.
#[doc(hidden)]
pub mod alloc;
#[doc(hidden)]
pub mod cli;
pub(crate) mod input;
#[doc(hidden)]
pub mod text;
pub(crate) mod timing;

/// The whole pipeline on arbitrary bytes, for the fuzz target (`fuzz/`) and its seed-corpus
/// test: load, validate, plan at the profile's tier and at 10,000 customers, render. Errors are
/// fine; panics are bugs, and so is a profile that validates at a tier but does not render there
/// (the render parses every file back, so the module it returns parses).
#[doc(hidden)]
pub fn fuzz_pipeline(data: &[u8]) {
    if let Ok(loaded) = profile::load_bytes("fuzz.yaml", data.to_vec()) {
        let _ = validate::lint::profile_findings(&loaded, None);
        for customers in [loaded.profile.customers, 10_000] {
            let (plan, findings) = tier::module(&loaded, customers, plan::Options::default());
            let valid = findings.iter().all(|d| d.severity != diag::Severity::Error);
            let rendered = render::render(&plan);
            if valid && let Err(e) = rendered {
                panic!("a profile that validates at {customers} customers does not render: {e}");
            }
        }
    }
}
