//! Terraform as Terraform reads it: a module's source files (`.tf` and `.tf.json`), the values
//! its expressions evaluate to as far as they can be known before `plan` ([`eval`]), and the
//! JSON of a saved plan ([`plan`]). `validate --terraform` judges what this stage builds.

pub mod eval;
pub mod funcs;
pub mod json;
pub mod model;
pub mod plan;
pub mod shape;
pub mod syntax;

pub mod source;
pub mod types;
