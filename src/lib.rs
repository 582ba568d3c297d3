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
