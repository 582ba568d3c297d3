//! A table's demand at a tier: the profile's workload read through the capacity math. The plan
//! computes it once per table ([`super::TablePlan::exact_demand`]); costs, lint and the plan
//! report read it from there.

use crate::capacity::{
    Demand, Num, ReadConsistency, ReadWrite, TableDemand, WriteMode, projected_item_kb,
    read_units_per_read, write_units_per_write,
};
use crate::profile::model::Table;

/// The units one request costs on table `t` and on each of its global secondary indexes, with
/// each index's `read_share` (see [`table_demand`] for the rules); `None` without a workload.
pub fn request_units(t: &Table) -> Option<super::load::RequestUnits> {
    let w = t.workload.as_ref()?;
    let item = w.item_size_kb.exact();
    let indexes = t
        .indexes
        .values()
        .map(|gsi| {
            let size = projected_item_kb(
                gsi.projection,
                gsi.item_size_kb.as_ref().map(Num::exact),
                item,
            );
            (
                read_units_per_read(&size, ReadConsistency::Eventual),
                write_units_per_write(&size, WriteMode::Standard),
                gsi.read_share.exact().clone(),
            )
        })
        .collect();
    Some(super::load::RequestUnits {
        table: (
            read_units_per_read(item, w.read_consistency),
            write_units_per_write(item, w.write_mode),
        ),
        indexes,
    })
}

/// Derive a table's demand at `customers` customers; `None` for a table without a workload.
///
/// Index reads are `read_share` × the table's read rate, eventually consistent (GSIs offer no
/// other kind), on the projected item size. Every table write propagates to every GSI as one
/// standard write of the projected item size.
pub fn table_demand(table: &Table, customers: u64) -> Option<TableDemand> {
    let w = table.workload.as_ref()?;
    let units = request_units(table)?;
    let peak = w.peak_factor.exact();
    let (reads, writes) = (w.reads_per_second.exact(), w.writes_per_second.exact());
    let indexes = table
        .indexes
        .keys()
        .zip(&units.indexes)
        .map(|(name, (r, wr, share))| {
            let read = Demand::new(customers, &(reads * share), r, peak);
            let write = Demand::new(customers, writes, wr, peak);
            (name.clone(), ReadWrite { read, write })
        })
        .collect();
    Some(TableDemand {
        table: ReadWrite {
            read: Demand::new(customers, reads, &units.table.0, peak),
            write: Demand::new(customers, writes, &units.table.1, peak),
        },
        indexes,
    })
}
