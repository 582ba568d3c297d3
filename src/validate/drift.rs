//! Drift: differences between a module on disk and what its profile renders.
//!
//! Both sides are parsed the same way and compared structurally (whitespace and formatting do
//! not count): resources, variables and outputs by address, attributes by value, nested blocks by
//! their `name` or `id` (else their position). Each difference is one finding, located in the
//! module on disk, with a rule saying what kind of difference it is.

use std::collections::BTreeMap;

use super::module::{Block, Body, Module, TopBlock, as_string};
use crate::diag::Diagnostic;
use crate::plan;
use crate::profile::Loaded;
use crate::rules::RuleId;

fn show(e: &hcl::Expression) -> String {
    let text = hcl::format::to_string(e).unwrap_or_else(|_| e.to_string());
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 80 {
        format!("{}…", one.chars().take(79).collect::<String>())
    } else {
        one
    }
}

fn same(a: &hcl::Expression, b: &hcl::Expression) -> bool {
    a == b
}

/// The rule for a difference at `path` (block idents and attribute names) in a resource type.
fn rule_for(resource_type: &str, path: &[&str]) -> RuleId {
    let last = path.last().copied().unwrap_or("");
    match resource_type {
        "aws_cloudwatch_metric_alarm" => RuleId::CF806,
        "aws_appautoscaling_target" if matches!(last, "min_capacity" | "max_capacity") => {
            RuleId::CF801
        }
        "aws_appautoscaling_policy"
            if matches!(
                last,
                "target_value" | "scale_in_cooldown" | "scale_out_cooldown"
            ) =>
        {
            RuleId::CF802
        }
        "aws_dynamodb_table" => {
            if matches!(last, "read_capacity" | "write_capacity") {
                RuleId::CF801
            } else if path.iter().any(|p| {
                p.starts_with("global_secondary_index") || p.starts_with("local_secondary_index")
            }) {
                RuleId::CF803
            } else if path.iter().any(|p| p.starts_with("ttl")) {
                RuleId::CF804
            } else if path.iter().any(|p| p.starts_with("point_in_time_recovery")) {
                RuleId::CF805
            } else {
                RuleId::CF807
            }
        }
        _ => RuleId::CF807,
    }
}

fn rule_for_block(tb: &TopBlock) -> RuleId {
    match tb.resource_type() {
        Some("aws_cloudwatch_metric_alarm") => RuleId::CF806,
        Some("aws_appautoscaling_target") => RuleId::CF801,
        Some("aws_appautoscaling_policy") => RuleId::CF802,
        _ => RuleId::CF807,
    }
}

/// Nested blocks keyed by `ident`, `ident[name]` or `ident#n`.
fn keyed_blocks(body: &Body) -> BTreeMap<String, &Block> {
    let mut out = BTreeMap::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for b in body.blocks() {
        let ident = b.ident.clone();
        let id = b
            .body
            .get_attribute("name")
            .or_else(|| b.body.get_attribute("id"))
            .and_then(|a| as_string(&a.value));
        let key = match id {
            Some(n) => format!("{ident}[{n}]"),
            None => {
                let c = counts.entry(ident.clone()).or_insert(0);
                *c += 1;
                if *c == 1 {
                    ident
                } else {
                    format!("{ident}#{c}")
                }
            }
        };
        out.insert(key, b);
    }
    out
}

struct Cmp<'a> {
    actual: &'a Module,
    file: &'a str,
    resource_type: &'a str,
    address: String,
    out: Vec<Diagnostic>,
}

impl Cmp<'_> {
    fn body(
        &mut self,
        path: &mut Vec<String>,
        have: &Body,
        want: &Body,
        have_span: Option<std::ops::Range<usize>>,
    ) {
        let p = |path: &Vec<String>, extra: &str| {
            let mut v: Vec<&str> = path.iter().map(String::as_str).collect();
            v.push(extra);
            v.into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(".")
        };
        for w in want.attributes() {
            let name = w.key.as_str();
            let refs: Vec<&str> = path.iter().map(String::as_str).chain([name]).collect();
            let rule = rule_for(self.resource_type, &refs);
            match have.get_attribute(name) {
                Some(h) if same(&h.value, &w.value) => {}
                Some(h) => self.out.push(self.actual.diag_at(
                    rule,
                    self.file,
                    h.value_span.clone(),
                    format!("{}.{}", self.address, p(path, name)),
                    format!(
                        "`{}` is {}; the profile renders {}",
                        p(path, name),
                        show(&h.value),
                        show(&w.value)
                    ),
                )),
                None => self.out.push(self.actual.diag_at(
                    rule,
                    self.file,
                    have_span.clone(),
                    format!("{}.{}", self.address, p(path, name)),
                    format!(
                        "`{}` is missing; the profile renders {}",
                        p(path, name),
                        show(&w.value)
                    ),
                )),
            }
        }
        for h in have.attributes() {
            let name = h.key.as_str();
            if want.get_attribute(name).is_none() {
                let refs: Vec<&str> = path.iter().map(String::as_str).chain([name]).collect();
                self.out.push(self.actual.diag_at(
                    rule_for(self.resource_type, &refs),
                    self.file,
                    h.span.clone(),
                    format!("{}.{}", self.address, p(path, name)),
                    format!(
                        "`{}` = {} is not in what the profile renders",
                        p(path, name),
                        show(&h.value)
                    ),
                ));
            }
        }
        let hb = keyed_blocks(have);
        let wb = keyed_blocks(want);
        for (key, w) in &wb {
            let refs: Vec<&str> = path
                .iter()
                .map(String::as_str)
                .chain([key.as_str()])
                .collect();
            match hb.get(key) {
                Some(h) => {
                    path.push(key.clone());
                    self.body(path, &h.body, &w.body, h.span.clone());
                    path.pop();
                }
                None => self.out.push(self.actual.diag_at(
                    rule_for(self.resource_type, &refs),
                    self.file,
                    have_span.clone(),
                    format!("{}.{}", self.address, p(path, key)),
                    format!("block `{}` is missing", p(path, key)),
                )),
            }
        }
        for (key, h) in &hb {
            if !wb.contains_key(key) {
                let refs: Vec<&str> = path
                    .iter()
                    .map(String::as_str)
                    .chain([key.as_str()])
                    .collect();
                self.out.push(self.actual.diag_at(
                    rule_for(self.resource_type, &refs),
                    self.file,
                    h.span.clone(),
                    format!("{}.{}", self.address, p(path, key)),
                    format!(
                        "block `{}` is not in what the profile renders",
                        p(path, key)
                    ),
                ));
            }
        }
    }
}

/// Every difference between `m` and what `l` renders at its tier (or `customers`).
pub fn drift(m: &Module, l: &Loaded, customers: Option<u64>) -> Vec<Diagnostic> {
    match render(l, customers) {
        Ok(files) => drift_from(m, &files),
        Err(d) => vec![*d],
    }
}

/// What the profile renders, as far as it is known before the module is read.
pub enum Expected {
    /// The module's manifest records a render of this very identity
    /// ([`crate::render::identity`]): the files it lists, with their digests, are what the
    /// profile renders, if the files on disk still have those digests.
    Recorded(BTreeMap<String, String>),
    /// Rendered (or the finding that the profile does not render).
    Rendered(Result<crate::render::Files, Box<Diagnostic>>),
}

/// What `l` renders into `dir` at its tier (or `customers`): read from the manifest when it
/// records a render of the same identity, else rendered.
pub fn expected(l: &Loaded, dir: &std::path::Path, customers: Option<u64>) -> Expected {
    let at = customers.unwrap_or(l.profile.customers);
    let identity = crate::render::identity(&l.profile, at, &plan::Options::default());
    match crate::render::write::manifest::Manifest::read(dir) {
        Some(m) if m.rendered_from.as_deref() == Some(identity.as_str()) => {
            Expected::Recorded(m.files)
        }
        _ => Expected::Rendered(render(l, customers)),
    }
}

/// Every difference between `m` and what the profile renders: from what the manifest records
/// when every `.tf` file it lists is on disk with its recorded digest (then the files on disk
/// are the render, byte for byte), else from rendering `l`.
pub fn drift_expected(
    m: &Module,
    expected: Expected,
    l: &Loaded,
    customers: Option<u64>,
) -> Vec<Diagnostic> {
    let recorded = match expected {
        Expected::Rendered(Ok(files)) => return drift_from(m, &files),
        Expected::Rendered(Err(d)) => return vec![*d],
        Expected::Recorded(recorded) => recorded,
    };
    let dir = m.dir.clone().unwrap_or_default();
    let tf: Vec<(&String, &String)> = recorded
        .iter()
        .filter(|(name, _)| name.ends_with(".tf"))
        .collect();
    use rayon::prelude::*;
    let on_disk: Option<BTreeMap<String, std::sync::Arc<str>>> = tf
        .par_iter()
        .map(|(name, digest)| {
            let text = m.sources.get(&dir.join(name).display().to_string())?;
            (crate::render::write::manifest::digest(text.as_bytes()) == **digest)
                .then(|| ((*name).clone(), text.clone()))
        })
        .collect();
    match on_disk {
        Some(files) => drift_from(m, &files),
        None => drift(m, l, customers),
    }
}

/// What `l` renders at its tier (or `customers`), or the finding that it does not render.
pub fn render(l: &Loaded, customers: Option<u64>) -> Result<crate::render::Files, Box<Diagnostic>> {
    let customers = customers.unwrap_or(l.profile.customers);
    // the module at one tier: drift compares `.tf` files, never the capacity tiers of CAPACITY.md
    let plan = plan::resolve_tier(&l.profile, &l.file, customers, &plan::Options::default());
    crate::render::render_terraform(plan).map_err(|e| {
        Box::new(Diagnostic::new(
            RuleId::CF807,
            &l.file,
            Default::default(),
            "",
            format!("the profile does not render: {e}"),
        ))
    })
}

/// Every difference between `m` and the rendered `files`.
pub fn drift_from<S: AsRef<str>>(m: &Module, files: &BTreeMap<String, S>) -> Vec<Diagnostic> {
    let dir_of = m
        .sources
        .keys()
        .next()
        .and_then(|f| std::path::Path::new(f).parent().map(|p| p.to_path_buf()));
    // A file that reads byte for byte as rendered has no drift: only the others are parsed
    // and compared block by block (an untouched 1,000-table module parses nothing here).
    let on_disk = |name: &String| {
        dir_of
            .as_ref()
            .map(|d| d.join(name).display().to_string())
            .unwrap_or_else(|| name.clone())
    };
    let identical: std::collections::BTreeSet<String> = files
        .iter()
        .filter(|(name, text)| m.sources.get(&on_disk(name)).map(|s| &**s) == Some(text.as_ref()))
        .map(|(name, _)| on_disk(name))
        .collect();
    let t0 = std::time::Instant::now();
    let want = Module::from_files(
        files
            .iter()
            .filter(|(name, _)| !identical.contains(&on_disk(name)))
            .map(|(name, text)| (name, text.as_ref())),
    );
    crate::timing::log("drift", "parse what the profile renders", t0);
    let relevant = |b: &TopBlock| {
        matches!(
            b.kind.as_str(),
            "resource" | "variable" | "output" | "data" | "module" | "locals"
        )
    };
    let have: BTreeMap<String, &TopBlock> = m
        .blocks
        .iter()
        .filter(|b| relevant(b))
        .map(|b| (b.address(), b))
        .collect();
    // what the profile renders: the parsed files, and the blocks of the identical ones
    let wanted: BTreeMap<String, &TopBlock> = want
        .blocks
        .iter()
        .chain(m.blocks.iter().filter(|b| identical.contains(&b.file)))
        .filter(|b| relevant(b))
        .map(|b| (b.address(), b))
        .collect();
    let mut out = Vec::new();
    // in rendered order, so findings read like the module
    for w in want.blocks.iter().filter(|b| relevant(b)) {
        let addr = w.address();
        match have.get(&addr) {
            // the same text is the same block: nothing to compare
            Some(h)
                if h.file.ends_with(&w.file)
                    && m.block_text(h).is_some()
                    && m.block_text(h) == want.block_text(w) => {}
            Some(h) => {
                let mut cmp = Cmp {
                    actual: m,
                    file: &h.file,
                    resource_type: h.resource_type().unwrap_or(""),
                    address: addr.clone(),
                    out: vec![],
                };
                cmp.body(
                    &mut vec![],
                    &h.block.body,
                    &w.block.body,
                    h.block.span.clone(),
                );
                out.extend(cmp.out);
            }
            None => {
                let file = dir_of
                    .as_ref()
                    .map(|d| d.join(&w.file).display().to_string())
                    .unwrap_or_else(|| w.file.clone());
                let located = m.sources.contains_key(&file);
                let mut d = Diagnostic::new(
                    rule_for_block(w),
                    &file,
                    if located {
                        crate::profile::yaml::Pos { line: 1, column: 1 }
                    } else {
                        Default::default()
                    },
                    addr.clone(),
                    format!("`{addr}` is missing; the profile renders it in {}", w.file),
                );
                if located {
                    d = d.with_span(0..1);
                }
                out.push(d);
            }
        }
    }
    for h in m.blocks.iter().filter(|b| relevant(b)) {
        let addr = h.address();
        if !wanted.contains_key(&addr) {
            out.push(m.diag_at(
                rule_for_block(h),
                &h.file,
                h.block.span.clone(),
                addr.clone(),
                format!("`{addr}` is not in what the profile renders"),
            ));
        }
    }
    out
}
