//! Cost primitives: what provisioned capacity, on-demand requests and storage cost per month.
//! Pure functions over exact rationals; prices come from a [`super::pricing::Pricing`].

use super::{Demand, Q, Range};
use crate::capacity::whole;

/// Consumption in the busiest hour and in each of the other 23 hours of the day the profile
/// implies: the busiest hour runs at `peak`, the rest share what is left of a day at `average`
/// (`(24 × average − peak) / 23`, never below zero).
pub fn daily_curve(d: &Demand) -> (Q, Q) {
    let rest = (whole(24) * &d.average - &d.peak) / whole(23);
    let rest = if rest < whole(0) { whole(0) } else { rest };
    (d.peak.clone(), rest)
}

/// Mean provisioned units over the day. Autoscaled capacity follows consumption ÷ target,
/// clamped to the range (never below min); fixed capacity stays at `fixed`.
pub fn mean_provisioned(d: &Demand, range: Range, target_pct: u32, fixed: Option<u64>) -> Q {
    if let Some(units) = fixed {
        return whole(units);
    }
    let t = Q::new(u64::from(target_pct.max(1)).into(), 100u64.into());
    let clamp = |c: Q| -> Q {
        let v = c / &t;
        let (lo, hi) = (whole(range.min), whole(range.max));
        if v < lo {
            lo
        } else if v > hi {
            hi
        } else {
            v
        }
    };
    let (busy, rest) = daily_curve(d);
    (clamp(busy) + whole(23) * clamp(rest)) / whole(24)
}

/// Monthly cost of `units` provisioned on average at `hour_price` per unit-hour.
pub fn provisioned_monthly(units: &Q, hour_price: &Q, hours: &Q) -> Q {
    units * hour_price * hours
}

/// Monthly request units at `average` units per second.
pub fn monthly_units(average: &Q, seconds: &Q) -> Q {
    average * seconds
}

/// Monthly cost of on-demand requests at `average` units per second.
pub fn on_demand_monthly(average: &Q, million_price: &Q, seconds: &Q) -> Q {
    monthly_units(average, seconds) * million_price / whole(1_000_000)
}

/// The utilization at which provisioned capacity costs the same as on-demand requests:
/// (hour price ÷ 3600) ÷ (price per million ÷ 10⁶). Below it on-demand is cheaper.
pub fn break_even_utilization(hour_price: &Q, million_price: &Q) -> Q {
    (hour_price / whole(3600)) / (million_price / whole(1_000_000))
}

/// GB of `items` items of `item_kb` KB (1 GB = 1,048,576 KB).
pub fn storage_gb(items: &Q, item_kb: &Q) -> Q {
    items * item_kb / whole(1_048_576)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Q {
        crate::capacity::Num::parse(s).unwrap().exact().clone()
    }

    #[test]
    fn the_curve_keeps_the_daily_average() {
        let d = Demand {
            average: n("17.5"),
            peak: n("70"),
        };
        let (busy, rest) = daily_curve(&d);
        assert_eq!(busy, n("70"));
        assert_eq!((busy + whole(23) * rest) / whole(24), n("17.5"));
        // a peak above 24× the average leaves nothing for the other hours
        let d = Demand {
            average: n("1"),
            peak: n("30"),
        };
        assert_eq!(daily_curve(&d).1, whole(0));
    }

    #[test]
    fn mean_provisioned_follows_consumption_over_target_within_the_range() {
        // phase3b support_tickets reads at 1,000 customers: 25–100 at 70 %.
        // busiest hour 70 / 0.7 = 100; other hours (420 − 70) / 23 = 15.217… / 0.7 < 25 → 25.
        let d = Demand {
            average: n("17.5"),
            peak: n("70"),
        };
        let mean = mean_provisioned(&d, Range { min: 25, max: 100 }, 70, None);
        assert_eq!(mean, (whole(100) + whole(23) * whole(25)) / whole(24));
        assert_eq!(
            mean_provisioned(&d, Range { min: 25, max: 100 }, 70, Some(100)),
            whole(100)
        );
    }

    #[test]
    fn prices_multiply_exactly() {
        // 25 RCU for 730 hours at $0.00013: 2.3725
        assert_eq!(
            provisioned_monthly(&whole(25), &n("0.00013"), &whole(730)),
            n("2.3725")
        );
        // 1 unit/s on demand for 2,628,000 s at $0.125 per million: 0.3285
        assert_eq!(
            on_demand_monthly(&whole(1), &n("0.125"), &whole(2_628_000)),
            n("0.3285")
        );
        // break-even: (0.00013 / 3600) / (0.125 / 10⁶) = 0.28888…
        assert_eq!(
            break_even_utilization(&n("0.00013"), &n("0.125")),
            n("0.13") / n("0.45")
        );
        assert_eq!(storage_gb(&whole(1_048_576), &whole(2)), whole(2));
    }
}
