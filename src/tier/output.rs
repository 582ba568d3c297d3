//! `capform plan`: the capacity and cost plan of a profile across customer tiers, as a text
//! table, Markdown or JSON. Every figure comes from [`crate::plan::cost`] (formula × dated price).

use serde_json::json;

use crate::capacity::pricing::Pricing;
use crate::capacity::{self, Q};
use crate::plan;
use crate::plan::cost::{money, money4};
use crate::plan::tiers::SERVICES;
use crate::present;
use crate::profile::Loaded;

pub use crate::tier::Tier;

/// Plan a profile at each tier (see [`crate::tier`]).
pub fn tiers(l: &Loaded, customers: &[u64], pricing: &Pricing, free_tier: bool) -> Vec<Tier> {
    customers
        .iter()
        .map(|&n| crate::tier::at(l, n, pricing, free_tier))
        .collect()
}

fn rounded(q: &Q, places: i32) -> f64 {
    let scale = Q::from_integer(num_bigint::BigInt::from(10).pow(places as u32));
    let v = (q * &scale).round() / scale;
    v.to_f64().unwrap_or(f64::NAN)
}

fn table_rows(t: &Tier) -> Vec<[String; 7]> {
    let mut rows = Vec::new();
    let show = |q: Option<&Q>| q.map(capacity::display).unwrap_or_else(|| "–".into());
    for tp in &t.plan.tables {
        let d = tp.exact_demand.as_ref();
        let billing = tp.billing_label();
        let units = |c: plan::Capacity| present::units(c.min, c.max, c.initial, tp.autoscaled);
        let range = |c: Option<&plan::Provisioned>| match c {
            Some(c) => format!("{} / {}", units(c.read), units(c.write)),
            None => "–".into(),
        };
        let row = |name: String, rw: Option<&capacity::ReadWrite>, cap| {
            [
                name,
                billing.clone(),
                show(rw.map(|x| &x.read.average)),
                show(rw.map(|x| &x.read.peak)),
                show(rw.map(|x| &x.write.average)),
                show(rw.map(|x| &x.write.peak)),
                range(cap),
            ]
        };
        rows.push(row(
            tp.key.clone(),
            d.map(|d| &d.table),
            tp.capacity.as_ref(),
        ));
        for (i, ix) in tp.indexes.iter().enumerate() {
            rows.push(row(
                format!("  {} / {}", tp.key, ix.name),
                d.map(|d| &d.indexes[i].1),
                ix.capacity.as_ref(),
            ));
        }
    }
    rows
}

fn columns(header: &[&str], rows: &[Vec<String>], right: &[bool]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let fmt_row = |cells: Vec<&str>| -> String {
        let mut s = String::from(" ");
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i] - c.chars().count();
            s.push(' ');
            if right[i] {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&" ".repeat(pad));
            }
            s.push(' ');
        }
        s.trim_end().to_owned() + "\n"
    };
    let mut out = fmt_row(header.to_vec());
    out.push_str(&fmt_row(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    ));
    for r in rows {
        out.push_str(&fmt_row(r.iter().map(String::as_str).collect()));
    }
    out
}

/// Plain-text tables.
pub fn text(l: &Loaded, tiers: &[Tier], pricing: &Pricing, free_tier: bool) -> String {
    let mut out = format!(
        "{}: capacity and cost plan ({} prices, {} h/month, free tiers {})\n",
        l.profile.name,
        pricing.region,
        pricing.hours_per_month,
        if free_tier { "applied" } else { "not applied" }
    );
    for t in tiers {
        out.push_str(&format!(
            "\n== {} customers ==\n\nTables (capacity units per second; range: RCU / WCU)\n",
            t.plan.customers
        ));
        let rows: Vec<Vec<String>> = table_rows(t).into_iter().map(|r| r.to_vec()).collect();
        out.push_str(&columns(
            &[
                "table / index",
                "billing",
                "RCU avg",
                "RCU peak",
                "WCU avg",
                "WCU peak",
                "range",
            ],
            &rows,
            &[false, false, true, true, true, true, false],
        ));
        out.push_str("\nMonthly cost (USD)\n");
        let rows: Vec<Vec<String>> = t
            .cost
            .lines
            .iter()
            .map(|x| {
                vec![
                    x.service.to_owned(),
                    x.item.clone(),
                    x.quantity_text(),
                    x.unit.clone(),
                    x.unit_price_text.clone(),
                    x.monthly_text(),
                ]
            })
            .collect();
        out.push_str(&columns(
            &[
                "service",
                "item",
                "quantity",
                "unit",
                "unit price",
                "monthly",
            ],
            &rows,
            &[false, false, true, false, true, true],
        ));
        let subtotals: Vec<String> = SERVICES
            .iter()
            .map(|s| format!("{s} ${}", money(&t.cost.service_total(s))))
            .collect();
        out.push_str(&format!(
            "\n  {}\n  Total ${}{} a month, ${} per customer\n",
            subtotals.join(" · "),
            money(&t.cost.total),
            t.cost.total_note(),
            money4(&t.cost.per_customer)
        ));
        for c in &t.cost.ceilings {
            out.push_str(&format!("  {}\n", c.text()));
        }
        out.push_str("\nFindings\n");
        for x in &t.findings {
            out.push_str(&format!(
                "  {}{}: {}\n",
                x.level,
                x.rule.map(|r| format!("[{r}]")).unwrap_or_default(),
                x.message
            ));
        }
    }
    out.push_str("\nPrices: ");
    let mut sources: Vec<(String, String)> = tiers
        .iter()
        .flat_map(|t| {
            t.cost
                .lines
                .iter()
                .map(|x| (x.source.clone(), x.checked.clone()))
        })
        .collect();
    sources.sort();
    sources.dedup();
    out.push_str(
        &sources
            .iter()
            .map(|(s, c)| format!("{s} (checked {c})"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    out.push('\n');
    out
}

fn md(s: &str) -> String {
    crate::render::escape::markdown(s)
}

/// Markdown tables.
pub fn markdown(l: &Loaded, tiers: &[Tier], pricing: &Pricing, free_tier: bool) -> String {
    let mut out = format!(
        "# {}: capacity and cost plan\n\n{} prices, {} hours a month, free tiers {}.\n\n## Summary\n\n| Customers | {} | Total / month | Per customer |\n|---:|{}---:|---:|\n",
        md(&l.profile.name),
        md(&pricing.region),
        pricing.hours_per_month,
        if free_tier { "applied" } else { "not applied" },
        SERVICES.join(" | "),
        "---:|".repeat(SERVICES.len())
    );
    for t in tiers {
        let subs: Vec<String> = SERVICES
            .iter()
            .map(|s| format!("${}", money(&t.cost.service_total(s))))
            .collect();
        out.push_str(&format!(
            "| {} | {} | ${}{} | ${} |\n",
            t.plan.customers,
            subs.join(" | "),
            money(&t.cost.total),
            md(&t.cost.total_note()),
            money4(&t.cost.per_customer)
        ));
    }
    for t in tiers {
        out.push_str(&format!("\n## {} customers\n\n| Table / index | Billing | RCU avg | RCU peak | WCU avg | WCU peak | Range (RCU / WCU) |\n|---|---|---:|---:|---:|---:|---|\n", t.plan.customers));
        for r in table_rows(t) {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                md(r[0].trim()),
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6]
            ));
        }
        out.push_str("\n| Service | Item | Quantity | Unit | Unit price | Monthly (USD) |\n|---|---|---:|---|---:|---:|\n");
        for x in &t.cost.lines {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                x.service,
                md(&x.item),
                x.quantity_text(),
                md(&x.unit),
                x.unit_price_text,
                x.monthly_text()
            ));
        }
        out.push_str(&format!(
            "| **Total** | | | | | **{}**{} |\n\nPer customer: ${} a month.\n\n",
            money(&t.cost.total),
            md(&t.cost.total_note()),
            money4(&t.cost.per_customer)
        ));
        for c in &t.cost.ceilings {
            out.push_str(&format!("- {}\n", md(&c.text())));
        }
        if !t.cost.ceilings.is_empty() {
            out.push('\n');
        }
        for x in &t.findings {
            out.push_str(&format!(
                "- **{}**{}: {}\n",
                x.level,
                x.rule.map(|r| format!(" ({r})")).unwrap_or_default(),
                md(&x.message)
            ));
        }
    }
    out
}

/// JSON: a documented, stable shape (fields are only ever added).
pub fn json_output(l: &Loaded, tiers: &[Tier], pricing: &Pricing, free_tier: bool) -> String {
    let tiers_json: Vec<serde_json::Value> = tiers
        .iter()
        .map(|t| {
            let mut tables = Vec::new();
            for tp in &t.plan.tables {
                let d = tp.exact_demand.as_ref();
                let dim = |rw: Option<&capacity::ReadWrite>, cap: Option<&plan::Provisioned>| {
                    let (r, w) = (cap.map(|c| c.read), cap.map(|c| c.write));
                    let avg = |x: Option<&Q>| x.map(|x| rounded(x, 6));
                    json!({
                        "read": { "average": avg(rw.map(|x| &x.read.average)), "peak": avg(rw.map(|x| &x.read.peak)), "min": r.map(|c| c.min), "max": r.map(|c| c.max) },
                        "write": { "average": avg(rw.map(|x| &x.write.average)), "peak": avg(rw.map(|x| &x.write.peak)), "min": w.map(|c| c.min), "max": w.map(|c| c.max) },
                    })
                };
                let billing = if tp.capacity.is_some() { "provisioned" } else { "on_demand" };
                let mut row = json!({ "table": tp.key, "index": null, "billing": billing, "autoscaled": tp.autoscaled, "auto": tp.auto });
                row.as_object_mut().unwrap().extend(dim(d.map(|d| &d.table), tp.capacity.as_ref()).as_object().unwrap().clone());
                tables.push(row);
                for (i, ix) in tp.indexes.iter().enumerate() {
                    let mut row = json!({ "table": tp.key, "index": ix.name, "billing": billing, "autoscaled": tp.autoscaled, "auto": null });
                    row.as_object_mut().unwrap().extend(dim(d.map(|d| &d.indexes[i].1), ix.capacity.as_ref()).as_object().unwrap().clone());
                    tables.push(row);
                }
            }
            let costs: Vec<serde_json::Value> = t
                .cost
                .lines
                .iter()
                .map(|x| {
                    let mut line = json!({ "service": x.service, "item": x.item, "quantity": x.quantity.as_ref().map(|q| rounded(q, 6)), "unit": x.unit, "unit_price": x.unit_price_text, "monthly": x.monthly.as_ref().map(|m| rounded(m, 4)), "source": x.source, "checked": x.checked });
                    if let Some(why) = x.not_estimated {
                        line["reason"] = json!(why);
                    }
                    line
                })
                .collect();
            let services: serde_json::Map<String, serde_json::Value> = SERVICES.iter().map(|s| ((*s).to_owned(), json!(rounded(&t.cost.service_total(s), 2)))).collect();
            json!({
                "customers": t.plan.customers,
                "tables": tables,
                "costs": costs,
                "services": services,
                "total": rounded(&t.cost.total, 2),
                "per_customer": rounded(&t.cost.per_customer, 4),
                "not_estimated": t.cost.not_estimated(),
                "on_demand_ceilings": t.cost.ceilings.iter().map(|c| json!({ "table": c.table, "monthly": rounded(&c.monthly, 2), "capped": c.capped, "uncapped": c.uncapped })).collect::<Vec<_>>(),
                "findings": t.findings,
            })
        })
        .collect();
    let v = json!({
        "version": 1,
        "profile": l.profile.name,
        "pricing": { "region": pricing.region, "currency": pricing.currency, "hours_per_month": pricing.hours_per_month, "free_tier": free_tier },
        "tiers": tiers_json,
    });
    let mut s = serde_json::to_string_pretty(&v).expect("serializable");
    s.push('\n');
    s
}
