//! How DynamoDB counts capacity: the read consistency and write mode of requests, and what an
//! index projects. The profile's schema uses these types as they are (`profile::model`
//! re-exports them); the capacity math reads them.

use schemars::JsonSchema;
use serde::Deserialize;

/// Read consistency of table reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReadConsistency {
    /// Eventually consistent: half a read unit per 4 KB.
    #[default]
    Eventual,
    /// Strongly consistent: one read unit per 4 KB.
    Strong,
    /// Transactional: two read units per 4 KB.
    Transactional,
}

/// Write mode of table writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WriteMode {
    /// One write unit per KB.
    #[default]
    Standard,
    /// Two write units per KB.
    Transactional,
}

/// Which attributes an index copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Projection {
    /// ALL: the whole item.
    #[default]
    All,
    /// KEYS_ONLY: the table and index keys.
    KeysOnly,
    /// INCLUDE: the keys and `non_key_attributes`.
    Include,
}

impl Projection {
    /// The name DynamoDB uses.
    pub fn as_aws(self) -> &'static str {
        match self {
            Projection::All => "ALL",
            Projection::KeysOnly => "KEYS_ONLY",
            Projection::Include => "INCLUDE",
        }
    }
}
