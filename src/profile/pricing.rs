//! Price lists given with `--pricing FILE`, read like profiles: a regular file within the size
//! limit, YAML with its resource limits and duplicate keys refused, a schema generated from
//! [`Pricing`] (no negative prices, a month of 672–744 hours, no unknown or misspelt keys), and
//! real dates in `checked`; every problem located at its line and column.

use std::path::Path;
use std::sync::OnceLock;

use super::load::{decode, located_json, read_text};
use super::schema::Checker;
use super::yaml::{PathSeg, display_path};
use crate::capacity::pricing::Pricing;
use crate::diag::Diagnostic;
use crate::rules::RuleId;

/// The price list JSON Schema, generated from [`Pricing`].
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Pricing)).expect("a generated schema serializes")
}

fn checker() -> &'static Checker {
    static C: OnceLock<Checker> = OnceLock::new();
    C.get_or_init(|| Checker::new(schema()))
}

/// Read and check a price list file.
pub fn load_file(path: &Path) -> Result<Pricing, Vec<Diagnostic>> {
    let (file, text) = read_text(path, "price lists")?;
    load_str(&file, &text)
}

/// Check a price list given as text.
pub fn load_str(file: &str, text: &str) -> Result<Pricing, Vec<Diagnostic>> {
    let (root, json) = located_json(file, text, |f, root, json| checker().check(f, root, json))?;
    // every `checked`, where it stands: the prices, then the cache sizes
    let mut problems = Vec::new();
    for section in ["prices", "cache_hour"] {
        for (name, price) in json[section].as_object().into_iter().flatten() {
            let checked = price["checked"].as_str().unwrap_or_default();
            if !real_date(checked) {
                let path = [section, name.as_str(), "checked"].map(|k| PathSeg::Key(k.to_owned()));
                problems.push(Diagnostic::new(
                    RuleId::CF100,
                    file,
                    root.locate(&path, false),
                    display_path(&path),
                    format!("`{checked}` is not a date (YYYY-MM-DD)"),
                ));
            }
        }
    }
    let pricing: Pricing = decode(file, &root, json)?;
    if problems.is_empty() {
        Ok(pricing)
    } else {
        Err(problems)
    }
}

/// A calendar date written `YYYY-MM-DD` (the schema checks the shape; chrono the calendar).
fn real_date(s: &str) -> bool {
    let mut parts = s.splitn(3, '-').map(str::parse::<u32>);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) => {
            i32::try_from(y).is_ok_and(|y| chrono::NaiveDate::from_ymd_opt(y, m, d).is_some())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::pricing::{DEFAULT_TEXT, Pricing};

    #[test]
    fn the_embedded_list_passes_the_checks_users_lists_get() {
        assert_eq!(
            &load_str("us-east-1.yaml", DEFAULT_TEXT).unwrap(),
            Pricing::default_list()
        );
    }

    #[test]
    fn every_problem_is_located() {
        let text = DEFAULT_TEXT
            .replace("price: 0.00013,", "price: -0.00013,")
            .replace("hours_per_month: 730", "hours_per_month: 8760")
            .replace(
                "dynamodb_pitr_gb_month:             { price: 0.20,         unit: \"GB-month\", source: \"https://aws.amazon.com/dynamodb/pricing/on-demand/\", checked: 2026-11-28 }",
                "dynamodb_pitr_gb_month:             { price: 0.20,         unit: \"GB-month\", source: \"https://aws.amazon.com/dynamodb/pricing/on-demand/\", checked: 2026-02-30 }",
            );
        let errs = load_str("p.yaml", &text).unwrap_err();
        let got: Vec<String> = errs
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.column, d.path))
            .collect();
        assert_eq!(
            got,
            [
                "11:18 hours_per_month",
                "13:48 prices.dynamodb_provisioned_rcu_hour.price"
            ],
            "{errs:#?}"
        );
        // the date is checked once the shape is right
        let text = text
            .replace("price: -0.00013,", "price: 0.00013,")
            .replace("hours_per_month: 8760", "hours_per_month: 730");
        let errs = load_str("p.yaml", &text).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].message.contains("`2026-02-30` is not a date"),
            "{}",
            errs[0]
        );
        assert_eq!(errs[0].path, "prices.dynamodb_pitr_gb_month.checked");
        // misspelt keys are named
        let text = DEFAULT_TEXT.replace("  apigateway_http_million:", "  apigateway_http_milion:");
        let errs = load_str("p.yaml", &text).unwrap_err();
        assert!(
            errs.iter()
                .any(|d| d.message.contains("unknown field `apigateway_http_milion`")),
            "{errs:#?}"
        );
    }

    #[test]
    fn dates_are_real() {
        assert!(real_date("2024-02-29"));
        assert!(!real_date("2023-02-29"));
        assert!(!real_date("2026-13-01"));
        assert!(!real_date("yesterday"));
    }
}
