//! Capacity math: workload × customers → capacity units and autoscaling ranges.
//!
//! Pure functions over exact rationals. Profile numbers are decimals (`0.035`), and binary
//! floating point cannot hold most of them, so `17.5 / 0.70` would round to `25.000000000000004`
//! and ceil to 26. Every quantity here is a [`Q`] (an exact rational: machine integers while the
//! numbers fit, arbitrary precision beyond) built from the decimal text the user wrote, and
//! rounding happens once, at the end, with `ceil`.

pub mod cost;
pub mod exact;
pub mod pricing;
pub mod schedule;
pub mod sim;
pub mod units;

use std::fmt;

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};
use schemars::JsonSchema;
use serde::de::{self, Deserialize, Deserializer, Visitor};

pub use units::{Projection, ReadConsistency, WriteMode};

pub use exact::Q;

/// A decimal number from a profile, kept exactly as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Num {
    text: String,
    value: Q,
}

impl Num {
    /// Parse decimal text such as `0.035`, `-2` or `40000`. No exponents.
    pub fn parse(text: &str) -> Option<Num> {
        let value = parse_decimal(text)?;
        Some(Num {
            text: text.to_owned(),
            value,
        })
    }

    /// The number from a whole number.
    pub fn from_u64(v: u64) -> Num {
        Num {
            text: v.to_string(),
            value: Q::from_integer(BigInt::from(v)),
        }
    }

    /// Zero.
    pub fn zero() -> Num {
        Num::from_u64(0)
    }

    /// One.
    pub fn one() -> Num {
        Num::from_u64(1)
    }

    /// The exact value.
    pub fn exact(&self) -> &Q {
        &self.value
    }

    /// The decimal text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn parse_decimal(text: &str) -> Option<Q> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{int}{frac}");
    let numer: BigInt = if digits.is_empty() {
        BigInt::zero()
    } else {
        digits.parse().ok()?
    };
    let denom = num_traits::pow(BigInt::from(10), frac.len());
    let q = Q::new(numer, denom);
    Some(if neg { -q } else { q })
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NumVisitor;
        impl Visitor<'_> for NumVisitor {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Num, E> {
                Ok(Num {
                    text: v.to_string(),
                    value: Q::from_integer(BigInt::from(v)),
                })
            }
            fn visit_u64<E>(self, v: u64) -> Result<Num, E> {
                Ok(Num::from_u64(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
                if !v.is_finite() {
                    return Err(E::custom("expected a finite number"));
                }
                // `Display` for f64 prints the shortest decimal that reads back as the same
                // double, never in exponent form: for anything a person types, the text typed.
                let text = v.to_string();
                Num::parse(&text).ok_or_else(|| E::custom(format!("`{text}` is not a number")))
            }
        }
        d.deserialize_any(NumVisitor)
    }
}

impl JsonSchema for Num {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "number".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "number" })
    }
}

/// Smallest whole number ≥ q.
pub fn ceil(q: &Q) -> BigInt {
    q.ceil().to_integer()
}

/// A whole number of units as u64, saturating (values that large are reported by the validator).
pub fn to_u64(n: &BigInt) -> u64 {
    if n.is_negative() {
        0
    } else {
        n.to_u64().unwrap_or(u64::MAX)
    }
}

/// Read capacity units one read of an item of `item_kb` costs:
/// `ceil(item_kb / 4) × 0.5` (eventual), `× 1` (strong), `× 2` (transactional).
pub fn read_units_per_read(item_kb: &Q, consistency: ReadConsistency) -> Q {
    let blocks = Q::from_integer(ceil(&(item_kb / whole(4))));
    let factor = match consistency {
        ReadConsistency::Eventual => Q::new(BigInt::from(1), BigInt::from(2)),
        ReadConsistency::Strong => whole(1),
        ReadConsistency::Transactional => whole(2),
    };
    blocks * factor
}

/// Write capacity units one write of an item of `item_kb` costs:
/// `ceil(item_kb / 1) × 1` (standard) or `× 2` (transactional).
pub fn write_units_per_write(item_kb: &Q, mode: WriteMode) -> Q {
    let blocks = Q::from_integer(ceil(item_kb));
    match mode {
        WriteMode::Standard => blocks,
        WriteMode::Transactional => blocks * whole(2),
    }
}

/// Consumed capacity units per second: the daily average and the busiest hour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Demand {
    /// Average units per second over a day.
    pub average: Q,
    /// Units per second in the busiest hour (`average × peak_factor`).
    pub peak: Q,
}

impl Demand {
    /// `customers × rate × units_per_request`, and that times `peak_factor`.
    pub fn new(customers: u64, rate: &Q, units_per_request: &Q, peak_factor: &Q) -> Demand {
        let average = whole(customers) * rate * units_per_request;
        let peak = &average * peak_factor;
        Demand { average, peak }
    }
}

/// An autoscaling range in whole capacity units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    /// Lowest provisioned units.
    pub min: u64,
    /// Highest provisioned units.
    pub max: u64,
}

/// An exact whole number: the one way every stage writes an integer constant as a [`Q`].
pub fn whole(n: u64) -> Q {
    Q::from_integer(BigInt::from(n))
}

/// [`scaling_range`] in words, as the module README states it.
pub const RANGE_RULE: &str =
    "minimum = ceil(average ÷ target), maximum = ceil(peak ÷ target), at least 1";

/// The autoscaling range that keeps utilization at `target_pct` percent:
/// `min = max(1, ceil(average / t))`, `max = max(min, ceil(peak / t))`.
///
/// ```
/// use capform::capacity::{scaling_range, Demand, Num, Range};
/// // 17.5 units/s on average, 70 at peak, 70 % target: exactly 25–100.
/// let d = Demand { average: Num::parse("17.5").unwrap().exact().clone(), peak: Num::parse("70").unwrap().exact().clone() };
/// assert_eq!(scaling_range(&d, 70), Range { min: 25, max: 100 });
/// ```
pub fn scaling_range(demand: &Demand, target_pct: u32) -> Range {
    let t = Q::new(BigInt::from(target_pct.max(1)), BigInt::from(100));
    let min = to_u64(&ceil(&(&demand.average / &t))).max(1);
    let max = to_u64(&ceil(&(&demand.peak / &t))).max(min);
    Range { min, max }
}

/// Read and write demand of a table or index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadWrite {
    /// Read units per second.
    pub read: Demand,
    /// Write units per second.
    pub write: Demand,
}

/// The demand a table puts on DynamoDB, and each of its global secondary indexes, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableDemand {
    /// The table itself.
    pub table: ReadWrite,
    /// Each global secondary index, in profile order.
    pub indexes: Vec<(String, ReadWrite)>,
}

/// Projected item size of an index in KB: an explicit size wins; `keys_only` counts 1 KB;
/// `all` and `include` count the table's item size (an upper bound for `include`).
pub fn projected_item_kb(projection: Projection, explicit: Option<&Q>, table_item_kb: &Q) -> Q {
    match (explicit, projection) {
        (Some(size), _) => size.clone(),
        (None, Projection::KeysOnly) => whole(1),
        (None, _) => table_item_kb.clone(),
    }
}

/// Format a rational for people: exact decimals where they terminate within 4 places, else
/// rounded to 4 places with a `≈`.
pub fn display(q: &Q) -> String {
    let scale = BigInt::from(10_000);
    let scaled = q * Q::from_integer(scale.clone());
    let exact = scaled.is_integer();
    let n = scaled.round().to_integer();
    let neg = n.is_negative();
    let n = n.abs();
    let int = &n / &scale;
    let frac = (&n % &scale).to_u64().unwrap_or(0);
    let mut s = format!("{}{}", if neg { "-" } else { "" }, int);
    if frac != 0 {
        let f = format!("{frac:04}");
        s.push('.');
        s.push_str(f.trim_end_matches('0'));
    }
    if exact { s } else { format!("≈{s}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Q {
        parse_decimal(s).unwrap()
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(n("0.035"), Q::new(BigInt::from(35), BigInt::from(1000)));
        assert_eq!(n("-1.5"), Q::new(BigInt::from(-3), BigInt::from(2)));
        assert_eq!(n(".5"), Q::new(BigInt::from(1), BigInt::from(2)));
        assert!(parse_decimal("1e3").is_none());
        assert!(parse_decimal("").is_none());
        assert!(parse_decimal(".").is_none());
    }

    #[test]
    fn floats_deserialize_to_the_decimal_written() {
        let v: Num = serde_json::from_value(serde_json::json!(0.035)).unwrap();
        assert_eq!(v.as_str(), "0.035");
        assert_eq!(*v.exact(), n("0.035"));
        let v: Num = serde_json::from_value(serde_json::json!(0.1)).unwrap();
        assert_eq!(v.exact() * whole(3), n("0.3"));
    }

    #[test]
    fn read_units_round_item_size_up_to_4_kb_blocks() {
        use ReadConsistency::*;
        assert_eq!(read_units_per_read(&n("2"), Eventual), n("0.5"));
        assert_eq!(read_units_per_read(&n("4"), Eventual), n("0.5"));
        assert_eq!(read_units_per_read(&n("4.001"), Eventual), n("1"));
        assert_eq!(read_units_per_read(&n("7"), Strong), n("2"));
        assert_eq!(read_units_per_read(&n("8"), Transactional), n("4"));
        assert_eq!(read_units_per_read(&n("0.1"), Strong), n("1"));
    }

    #[test]
    fn write_units_round_item_size_up_to_1_kb_blocks() {
        assert_eq!(write_units_per_write(&n("2"), WriteMode::Standard), n("2"));
        assert_eq!(
            write_units_per_write(&n("1.01"), WriteMode::Standard),
            n("2")
        );
        assert_eq!(
            write_units_per_write(&n("1"), WriteMode::Transactional),
            n("2")
        );
        assert_eq!(
            write_units_per_write(&n("0.2"), WriteMode::Transactional),
            n("2")
        );
    }

    #[test]
    fn exact_division_by_the_target_does_not_round_up() {
        let d = Demand {
            average: n("17.5"),
            peak: n("70"),
        };
        assert_eq!(scaling_range(&d, 70), Range { min: 25, max: 100 });
        // 2.1 / 0.7 is exactly 3; in f64 it is 3.0000000000000004, which would ceil to 4.
        let d = Demand {
            average: n("2.1"),
            peak: n("8.4"),
        };
        assert_eq!(scaling_range(&d, 70), Range { min: 3, max: 12 });
        let float = std::hint::black_box(2.1_f64) / std::hint::black_box(0.7_f64);
        assert_eq!(
            float.ceil(),
            4.0,
            "the float artefact exact arithmetic avoids"
        );
    }

    #[test]
    fn scaling_range_edges() {
        // zero traffic still provisions one unit
        let zero = Demand {
            average: n("0"),
            peak: n("0"),
        };
        assert_eq!(scaling_range(&zero, 70), Range { min: 1, max: 1 });
        // a hair over an exact multiple rounds up
        let d = Demand {
            average: n("17.5000001"),
            peak: n("70.0000001"),
        };
        assert_eq!(scaling_range(&d, 70), Range { min: 26, max: 101 });
        // peak below average cannot happen (peak_factor ≥ 1), but max never drops below min
        let d = Demand {
            average: n("10"),
            peak: n("5"),
        };
        assert_eq!(scaling_range(&d, 50), Range { min: 20, max: 20 });
    }

    #[test]
    fn demand_multiplies_customers_rate_units_and_peak() {
        // phase3b support_tickets reads at 1,000 customers: 1000 × 0.035 × 0.5 = 17.5, peak × 4 = 70
        let d = Demand::new(1000, &n("0.035"), &n("0.5"), &n("4"));
        assert_eq!(d.average, n("17.5"));
        assert_eq!(d.peak, n("70"));
    }

    #[test]
    fn projected_sizes() {
        assert_eq!(
            projected_item_kb(Projection::KeysOnly, None, &n("7")),
            n("1")
        );
        assert_eq!(projected_item_kb(Projection::All, None, &n("7")), n("7"));
        assert_eq!(
            projected_item_kb(Projection::Include, Some(&n("2")), &n("7")),
            n("2")
        );
    }

    #[test]
    fn display_is_exact_or_marked() {
        assert_eq!(display(&n("17.5")), "17.5");
        assert_eq!(display(&n("25")), "25");
        assert_eq!(display(&(n("1") / n("3"))), "≈0.3333");
    }
}
