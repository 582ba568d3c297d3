//! A table's demand at a tier: the profile's workload read through the capacity math. The plan
//! computes it once per table ([`super::TablePlan::exact_demand`]); costs, lint and the plan
//! report read it from there.

use crate::capacity::{
    Demand, Num, ReadConsistency, ReadWrite, TableDemand, WriteMode, projected_item_kb,
    read_units_per_read, write_units_per_write,
};
use crate::profile::model::Table;

/// Derive a table's demand at `customers` customers; `None` for a table without a workload.
///
/// Index reads are `read_share` × the table's read rate, eventually consistent (GSIs offer no
/// other kind), on the projected item size. Every table write propagates to every GSI as one
/// standard write of the projected item size.
pub fn table_demand(table: &Table, customers: u64) -> Option<TableDemand> {
    let w = table.workload.as_ref()?;
    let item = w.item_size_kb.exact();
    let peak = w.peak_factor.exact();
    let read = Demand::new(
        customers,
        w.reads_per_second.exact(),
        &read_units_per_read(item, w.read_consistency),
        peak,
    );
    let write = Demand::new(
        customers,
        w.writes_per_second.exact(),
        &write_units_per_write(item, w.write_mode),
        peak,
    );
    let indexes = table
        .indexes
        .iter()
        .map(|(name, gsi)| {
            let size = projected_item_kb(
                gsi.projection,
                gsi.item_size_kb.as_ref().map(Num::exact),
                item,
            );
            let rate = w.reads_per_second.exact() * gsi.read_share.exact();
            let read = Demand::new(
                customers,
                &rate,
                &read_units_per_read(&size, ReadConsistency::Eventual),
                peak,
            );
            let write = Demand::new(
                customers,
                w.writes_per_second.exact(),
                &write_units_per_write(&size, WriteMode::Standard),
                peak,
            );
            (name.clone(), ReadWrite { read, write })
        })
        .collect();
    Some(TableDemand {
        table: ReadWrite { read, write },
        indexes,
    })
}
