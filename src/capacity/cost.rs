//! Cost primitives: what provisioned capacity, on-demand requests and storage cost per month.
//! Pure functions over exact rationals; prices come from a [`super::pricing::Pricing`].

use super::Q;
use crate::capacity::whole;

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
