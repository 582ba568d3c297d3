//! The rule catalogue: every diagnostic capform emits has a stable ID documented here.
//! `capform explain RULE` prints an entry; `docs/rules.md` is generated from this table and a
//! test keeps the two in step.

use crate::diag::Severity;

/// One rule.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// Stable ID (`CF100`). Never reused for another meaning.
    pub id: &'static str,
    /// Short kebab-case name.
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

#[allow(unused_imports)]
use Severity::{Error, Info, Warning};

/// Every rule, ordered by ID.
pub const RULES: &[Rule] = &[
    Rule {
        id: "CF001",
        name: "unreadable-file",
        severity: Error,
        summary: "The file cannot be read, or is not UTF-8 text.",
        why: "A profile is YAML text; anything else cannot be checked or rendered.",
        fix: "Check the path and save the file as UTF-8.",
    },
    Rule {
        id: "CF002",
        name: "yaml-syntax",
        severity: Error,
        summary: "The YAML does not parse, or exceeds a resource limit (depth, aliases, size).",
        why: "Nothing can be checked until the document parses. The limits stop alias bombs and pathological nesting.",
        fix: "Fix the syntax at the reported location; see README § Limits for the bounds.",
    },
    Rule {
        id: "CF003",
        name: "duplicate-key",
        severity: Error,
        summary: "A mapping has the same key twice.",
        why: "YAML forbids it, and parsers disagree on which value wins: two tables or indexes with one name would silently become one.",
        fix: "Rename or remove one of the entries.",
    },
    Rule {
        id: "CF100",
        name: "schema",
        severity: Error,
        summary: "The profile does not match the profile JSON Schema (`capform schema`).",
        why: "Wrong types, unknown fields and out-of-range values would otherwise reach the capacity math or the HCL.",
        fix: "Correct the field named in the message; `capform schema` lists every field, its type and range.",
    },
    Rule {
        id: "CF201",
        name: "table-name",
        severity: Error,
        summary: "A table name, after the prefix is applied, is not 3–255 characters of [A-Za-z0-9_.-], or two tables share a name.",
        why: "DynamoDB rejects the name at apply time, after plan has passed.",
        fix: "Shorten the prefix or set `table_name` on the table.",
    },
    Rule {
        id: "CF202",
        name: "index-name",
        severity: Error,
        summary: "An index name is shorter than 3 characters, or is used twice on one table.",
        why: "DynamoDB index names are 3–255 characters and unique per table.",
        fix: "Rename the index.",
    },
    Rule {
        id: "CF203",
        name: "too-many-gsis",
        severity: Error,
        summary: "A table has more than 20 global secondary indexes.",
        why: "20 GSIs per table is DynamoDB's default quota; apply would fail.",
        fix: "Merge access patterns into overloaded indexes, or request a quota increase and split the table.",
    },
    Rule {
        id: "CF204",
        name: "too-many-lsis",
        severity: Error,
        summary: "A table has more than 5 local secondary indexes.",
        why: "5 LSIs per table is a hard DynamoDB limit.",
        fix: "Use global secondary indexes for the rest.",
    },
    Rule {
        id: "CF205",
        name: "hash-equals-range",
        severity: Error,
        summary: "A table or index uses one attribute as both partition and sort key.",
        why: "DynamoDB rejects a key schema that names one attribute twice.",
        fix: "Pick a different sort key, or drop it.",
    },
    Rule {
        id: "CF206",
        name: "attribute-type-conflict",
        severity: Error,
        summary: "One attribute is declared with two types across the table's keys and indexes.",
        why: "A table has one attribute definition per name; Terraform would emit conflicting definitions.",
        fix: "Use the same type everywhere the attribute is a key.",
    },
    Rule {
        id: "CF207",
        name: "ttl-attribute-type",
        severity: Error,
        summary: "The TTL attribute is a key attribute of type S or B.",
        why: "TTL reads a Number holding epoch seconds; a string or binary attribute never expires anything.",
        fix: "Point `ttl` at a Number attribute (e.g. `expires_at`).",
    },
    Rule {
        id: "CF208",
        name: "item-too-large",
        severity: Error,
        summary: "The item size is above DynamoDB's 400 KB limit.",
        why: "DynamoDB rejects items over 400 KB, so the workload cannot exist as described.",
        fix: "Store large payloads in S3 and keep a pointer in the item.",
    },
    Rule {
        id: "CF209",
        name: "projection-attributes",
        severity: Error,
        summary: "`non_key_attributes` is given without `projection: include`, `include` has none, or more than 100 are projected on one table.",
        why: "DynamoDB accepts non-key attributes only with INCLUDE, and at most 100 across a table's indexes.",
        fix: "Use `projection: include` with the attributes, or drop the list.",
    },
    Rule {
        id: "CF210",
        name: "lsi-without-sort-key",
        severity: Error,
        summary: "A local secondary index is defined on a table without a sort key.",
        why: "An LSI shares the table's partition key and needs the table to have a composite key.",
        fix: "Add a `range_key` to the table or make the index global.",
    },
    Rule {
        id: "CF301",
        name: "capacity-min-above-max",
        severity: Error,
        summary: "An explicit capacity range has min greater than max.",
        why: "Application Auto Scaling rejects a scalable target whose minimum exceeds its maximum.",
        fix: "Swap or correct the bounds.",
    },
    Rule {
        id: "CF305",
        name: "capacity-on-demand",
        severity: Error,
        summary: "An explicit capacity range is set on an on-demand table or its index.",
        why: "On-demand tables have no provisioned capacity; the range would be silently ignored.",
        fix: "Remove `capacity:` or switch the table to `billing: provisioned`.",
    },
    Rule {
        id: "CF604",
        name: "api-identity",
        severity: Error,
        summary: "A REST API without `name`, an HTTP API without `api_id`, or `cache` on an HTTP API.",
        why: "CloudWatch publishes REST API metrics by ApiName and Stage and HTTP API metrics by ApiId and Stage; without the right identity every API alarm and widget watches nothing. HTTP APIs have no cache.",
        fix: "Give REST APIs `name`, HTTP APIs `api_id`, and drop `cache` from HTTP APIs.",
    },
];

/// The rule with this ID, if any (case-insensitive).
pub fn lookup(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id.eq_ignore_ascii_case(id))
}

/// The documentation of a rule as Markdown.
pub fn doc(rule: &Rule) -> String {
    format!(
        "## {} `{}` ({})\n\n{}\n\n**Why it matters.** {}\n\n**How to fix it.** {}\n",
        rule.id, rule.name, rule.severity, rule.summary, rule.why, rule.fix
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_sorted() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].id < pair[1].id,
                "{} before {}",
                pair[0].id,
                pair[1].id
            );
        }
        assert_eq!(lookup("cf100").map(|r| r.name), Some("schema"));
    }
}
