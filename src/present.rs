//! Formatting every output shares — `capform plan`, CAPACITY.md, the module README, messages —
//! so that one fact reads the same everywhere: money, percentages, comparison signs.

use crate::capacity::Q;
use crate::capacity::whole;

/// USD with 2 decimals, rounded half up.
pub fn money(v: &Q) -> String {
    let cents = (v * whole(100)).round().to_integer();
    let neg = cents < 0.into();
    let cents = if neg { -cents } else { cents };
    let whole = &cents / num_bigint::BigInt::from(100);
    let frac = &cents % num_bigint::BigInt::from(100);
    let frac: u64 = frac.try_into().unwrap_or(0);
    format!(
        "{}{}.{:02}",
        if neg { "-" } else { "" },
        group(&whole.to_string()),
        frac
    )
}

/// USD per customer with 4 decimals.
pub fn money4(v: &Q) -> String {
    let units = (v * whole(10_000)).round().to_integer();
    let whole = &units / num_bigint::BigInt::from(10_000);
    let frac: u64 = (&units % num_bigint::BigInt::from(10_000))
        .try_into()
        .unwrap_or(0);
    format!("{}.{:04}", group(&whole.to_string()), frac)
}

/// A whole number with its thousands grouped: `119,955`.
pub fn count(n: u64) -> String {
    group(&n.to_string())
}

fn group(digits: &str) -> String {
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A percentage with one decimal, rounded half up (`61.3`).
pub fn percent1(v: &Q) -> String {
    let tenths = (v * whole(10)).round().to_integer();
    let whole = &tenths / num_bigint::BigInt::from(10);
    let frac: u64 = (&tenths % num_bigint::BigInt::from(10))
        .try_into()
        .unwrap_or(0);
    format!("{whole}.{frac}")
}

/// The sign of a CloudWatch comparison operator, as the module README's alarm table shows it.
pub fn comparison(operator: &str) -> &'static str {
    match operator {
        "GreaterThanThreshold" => ">",
        "GreaterThanOrEqualToThreshold" => "≥",
        "LessThanThreshold" => "<",
        _ => "≤",
    }
}

/// How a table is billed, as every output names it: `provisioned, autoscaled`,
/// `provisioned, fixed` or `on demand`, with ` (auto)` where `billing: auto` chose.
///
/// ```
/// assert_eq!(capform::present::billing(true, false, true), "provisioned, fixed (auto)");
/// ```
pub fn billing(provisioned: bool, autoscaled: bool, chosen_by_auto: bool) -> String {
    let billing = match (provisioned, autoscaled) {
        (true, true) => "provisioned, autoscaled",
        (true, false) => "provisioned, fixed",
        (false, _) => "on demand",
    };
    if chosen_by_auto {
        format!("{billing} (auto)")
    } else {
        billing.to_owned()
    }
}

/// The units of one dimension of provisioned capacity: `25–100` (minimum–maximum) when
/// autoscaled, the fixed `100` otherwise.
///
/// ```
/// assert_eq!(capform::present::units(25, 100, 25, true), "25–100");
/// assert_eq!(capform::present::units(25, 100, 100, false), "100");
/// ```
pub fn units(min: u64, max: u64, initial: u64, autoscaled: bool) -> String {
    if autoscaled {
        format!("{min}–{max}")
    } else {
        initial.to_string()
    }
}

/// What a table's capacity comes from, as the module README and the table's comment say it:
/// `derived` from the workload, `override` (its own `capacity:`), `table` (an index of a table
/// without a workload, which takes the table's `capacity:`).
pub fn capacity_source(source: &str) -> &'static str {
    match source {
        "override" => "explicit `capacity:` in the profile",
        "table" => "the table's `capacity:` (no workload in the profile)",
        _ => "the workload",
    }
}

/// The target utilization of a range: `70 %`, or `60 % read / 80 % write` when they differ.
pub fn targets(read: u32, write: u32) -> String {
    if read == write {
        format!("{read} %")
    } else {
        format!("{read} % read / {write} % write")
    }
}
