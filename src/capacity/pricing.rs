//! Price lists: the embedded us-east-1 list (`pricing/us-east-1.yaml`) or one given with
//! `--pricing FILE`. Every price carries its unit, source page and the date it was checked.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Num, Q};

/// The embedded default price list.
pub const DEFAULT_TEXT: &str = include_str!("../../pricing/us-east-1.yaml");

/// One price.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Price {
    /// Price per unit, in the list's currency (never negative).
    #[serde(serialize_with = "ser_num")]
    #[schemars(range(min = 0))]
    pub price: Num,
    /// What one unit is.
    #[schemars(length(min = 1, max = 200))]
    pub unit: String,
    /// Where the price was read (a URL or a document).
    #[schemars(length(min = 1, max = 500))]
    pub source: String,
    /// When it was checked: a real date, YYYY-MM-DD.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub checked: String,
}

fn ser_num<S: serde::Serializer>(n: &Num, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(n.as_str())
}

/// Every price the cost model uses.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Prices {
    pub dynamodb_provisioned_rcu_hour: Price,
    pub dynamodb_provisioned_wcu_hour: Price,
    pub dynamodb_provisioned_rcu_hour_ia: Price,
    pub dynamodb_provisioned_wcu_hour_ia: Price,
    pub dynamodb_on_demand_read_million: Price,
    pub dynamodb_on_demand_write_million: Price,
    pub dynamodb_on_demand_read_million_ia: Price,
    pub dynamodb_on_demand_write_million_ia: Price,
    pub dynamodb_storage_gb_month: Price,
    pub dynamodb_storage_gb_month_ia: Price,
    pub dynamodb_pitr_gb_month: Price,
    pub cloudwatch_alarm_metric_month: Price,
    pub cloudwatch_dashboard_month: Price,
    pub cloudwatch_custom_metric_month: Price,
    pub lambda_request_million: Price,
    pub lambda_gb_second_x86_64: Price,
    pub lambda_gb_second_arm64: Price,
    pub apigateway_rest_million: Price,
    pub apigateway_http_million: Price,
    /// A KMS key, per key-month (the keys the module creates).
    pub kms_key_month: Price,
    /// KMS requests, per 10,000 (the table keys DynamoDB fetches with an account key).
    pub kms_request_10k: Price,
    /// Replicated write capacity of a global table, per rWCU-hour (default: the WCU-hour price,
    /// which it equals in us-east-1 since November 2024).
    #[serde(default)]
    pub dynamodb_replicated_wcu_hour: Option<Price>,
    /// The same for Standard-IA tables.
    #[serde(default)]
    pub dynamodb_replicated_wcu_hour_ia: Option<Price>,
    /// Replicated writes on demand, per million rWRU (default: the write-request price).
    #[serde(default)]
    pub dynamodb_on_demand_replicated_write_million: Option<Price>,
    /// The same for Standard-IA tables.
    #[serde(default)]
    pub dynamodb_on_demand_replicated_write_million_ia: Option<Price>,
}

/// Monthly free-tier allowances (used only when asked for).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct FreeTier {
    pub dynamodb_storage_gb: u64,
    pub dynamodb_provisioned_rcu: u64,
    pub dynamodb_provisioned_wcu: u64,
    pub cloudwatch_alarm_metrics: u64,
    pub cloudwatch_dashboards: u64,
    pub cloudwatch_custom_metrics: u64,
    pub lambda_requests: u64,
    pub lambda_gb_seconds: u64,
    pub apigateway_requests: u64,
}

/// A price list.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pricing {
    /// Region the prices are for.
    #[schemars(length(min = 1, max = 64))]
    pub region: String,
    /// Currency (informational; the model is currency-agnostic): an ISO 4217 code.
    #[schemars(regex(pattern = "^[A-Z]{3}$"))]
    pub currency: String,
    /// Hours in a billing month (AWS uses 730): within a month, 672 (28 days) to 744 (31).
    #[schemars(range(min = 672, max = 744))]
    pub hours_per_month: u32,
    /// The prices.
    pub prices: Prices,
    /// REST API cache price per hour, by cache size in GB.
    #[schemars(extend("propertyNames" = { "pattern": "^[0-9]+(\\.[0-9]+)?$" }))]
    pub cache_hour: BTreeMap<String, Price>,
    /// Free-tier allowances.
    pub free_tier: FreeTier,
}

impl Pricing {
    /// Parse a price list; the error names the line and column.
    pub fn parse(text: &str) -> Result<Pricing, String> {
        serde_saphyr::from_str::<Pricing>(text).map_err(|e| {
            let loc = e
                .location()
                .filter(|l| l.line() > 0)
                .map(|l| format!("{}:{}: ", l.line(), l.column()))
                .unwrap_or_default();
            format!(
                "{loc}{}",
                e.to_string().lines().next().unwrap_or("invalid price list")
            )
        })
    }

    /// The embedded us-east-1 list.
    pub fn default_list() -> &'static Pricing {
        static P: OnceLock<Pricing> = OnceLock::new();
        P.get_or_init(|| Pricing::parse(DEFAULT_TEXT).expect("the embedded price list parses"))
    }

    /// Seconds in a billing month.
    pub fn seconds_per_month(&self) -> Q {
        Q::from_integer((u64::from(self.hours_per_month) * 3600).into())
    }

    /// Hours in a billing month.
    pub fn hours(&self) -> Q {
        Q::from_integer(u64::from(self.hours_per_month).into())
    }

    /// The cache price for at least `size_gb`: the smallest size offered that holds it.
    pub fn cache_price(&self, size_gb: &Q) -> Option<(String, &Price)> {
        let mut sizes: Vec<(Q, &String, &Price)> = self
            .cache_hour
            .iter()
            .filter_map(|(k, p)| Num::parse(k).map(|n| (n.exact().clone(), k, p)))
            .collect();
        sizes.sort_by(|a, b| a.0.cmp(&b.0));
        sizes
            .into_iter()
            .find(|(s, _, _)| s >= size_gb)
            .map(|(_, k, p)| (k.clone(), p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_list_parses_with_sources_and_dates() {
        let p = Pricing::default_list();
        assert_eq!(p.region, "us-east-1");
        assert_eq!(
            p.prices.dynamodb_provisioned_wcu_hour.price.as_str(),
            "0.00065"
        );
        assert_eq!(
            p.prices.dynamodb_on_demand_write_million.price.as_str(),
            "0.625"
        );
        assert!(
            p.prices
                .lambda_gb_second_x86_64
                .source
                .starts_with("https://aws.amazon.com/")
        );
        assert_eq!(p.prices.dynamodb_pitr_gb_month.checked, "2026-11-28");
        let (size, price) = p.cache_price(&Q::new(1.into(), 1.into())).unwrap();
        assert_eq!((size.as_str(), price.price.as_str()), ("1.6", "0.038"));
        assert!(p.cache_price(&Q::from_integer(500.into())).is_none());
    }

    #[test]
    fn a_broken_list_is_located() {
        let text = DEFAULT_TEXT.replace("price: 0.00013,", "price: cheap,");
        let e = Pricing::parse(&text).unwrap_err();
        assert!(e.starts_with("13:"), "{e}");
        let text = DEFAULT_TEXT.replace(
            "  apigateway_http_million:",
            "  apigateway_websocket_million:",
        );
        assert!(Pricing::parse(&text).is_err());
    }
}
