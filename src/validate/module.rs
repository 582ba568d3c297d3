//! Terraform modules on disk: every `.tf` file parsed with hcl-edit (which keeps byte spans),
//! and the module rules (CF6xx, CF70x) checked over them.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;

use hcl::edit::Span;
use hcl::edit::expr::{Expression, TraversalOperator};
use hcl::edit::structure::{Block, BlockLabel, Body};
use hcl::edit::visit::{self, Visit};

use crate::diag::Diagnostic;
use crate::profile::yaml::Pos;
use crate::rules::RuleId;

/// A top-level block of a module (`resource`, `variable`, …).
#[derive(Clone, Debug)]
pub struct TopBlock {
    /// File it stands in.
    pub file: String,
    /// `resource`, `data`, `variable`, `locals`, `output`, `module`, …
    pub kind: String,
    /// Its labels.
    pub labels: Vec<String>,
    /// The parsed block.
    pub block: Block,
    /// Rule IDs suppressed by `# capform:ignore CFxxx` comments right above the block.
    pub ignores: Vec<String>,
}

impl TopBlock {
    /// `type.name` for resources, `data.type.name`, `var.name`, …
    pub fn address(&self) -> String {
        match self.kind.as_str() {
            "resource" => self.labels.join("."),
            "data" => format!("data.{}", self.labels.join(".")),
            "variable" => format!("var.{}", self.labels.join(".")),
            "output" => format!("output.{}", self.labels.join(".")),
            "module" => format!("module.{}", self.labels.join(".")),
            other => format!("{other}.{}", self.labels.join(".")),
        }
    }

    /// The resource type, for resources.
    pub fn resource_type(&self) -> Option<&str> {
        (self.kind == "resource")
            .then(|| self.labels.first().map(String::as_str))
            .flatten()
    }
}

/// A module directory, parsed.
#[derive(Clone, Debug, Default)]
pub struct Module {
    /// File name → text, for every `.tf` file, sorted.
    pub sources: BTreeMap<String, String>,
    /// Top-level blocks of all files, file by file.
    pub blocks: Vec<TopBlock>,
    /// CF701 findings.
    pub syntax_errors: Vec<Diagnostic>,
}

fn label_text(l: &BlockLabel) -> String {
    match l {
        BlockLabel::Ident(i) => i.value().as_str().to_owned(),
        BlockLabel::String(s) => s.value().clone(),
    }
}

fn ignores_above(text: &str, start: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in text[..start.min(text.len())].lines().rev() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if !(t.starts_with('#') || t.starts_with("//")) {
            break;
        }
        if let Some(rest) = t.split("capform:ignore").nth(1) {
            let ids = rest.split(" --").next().unwrap_or(rest);
            out.extend(
                ids.split(|c: char| c.is_whitespace() || c == ',')
                    .filter(|w| {
                        w.len() == 5
                            && w.starts_with("CF")
                            && w[2..].chars().all(|c| c.is_ascii_digit())
                    })
                    .map(str::to_owned),
            );
        }
    }
    out
}

/// The largest `.tf` file `validate --terraform` reads (a 1,000-table module of capform's is
/// about 35 MB in all).
pub const MAX_TF_FILE_BYTES: u64 = 256 * 1024 * 1024;

impl Module {
    /// Parse every `.tf` file of `dir` (not recursing).
    pub fn read_dir(dir: &Path) -> Result<Module, Box<Diagnostic>> {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            Box::new(Diagnostic::new(
                RuleId::CF001,
                &dir.display().to_string(),
                Pos::default(),
                "",
                format!("cannot read the module directory: {e}"),
            ))
        })?;
        let mut files: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "tf") && p.is_file())
            .collect();
        files.sort();
        let mut m = Module::default();
        for path in files {
            let file = path.display().to_string();
            let unreadable = |message: String| {
                Diagnostic::new(RuleId::CF001, &file, Pos::default(), "", message)
            };
            match crate::input::read_limited(&path, MAX_TF_FILE_BYTES) {
                // as Terraform reads it: UTF-8, a byte-order mark allowed (and dropped)
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => {
                        let text = match text.strip_prefix('\u{FEFF}') {
                            Some(rest) => rest.to_owned(),
                            None => text,
                        };
                        m.add(&file, text)
                    }
                    Err(e) => {
                        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                        let text = String::from_utf8_lossy(valid);
                        let pos = Pos::at(&text, text.len());
                        m.syntax_errors.push(Diagnostic::new(
                            RuleId::CF001,
                            &file,
                            pos,
                            "",
                            format!("the file is not UTF-8 text (invalid byte at offset {}); Terraform refuses it too", valid.len()),
                        ));
                    }
                },
                Err(e) => m.syntax_errors.push(unreadable(e.to_string())),
            }
        }
        Ok(m)
    }

    /// Parse files given as name → text (used for rendered modules).
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a String, &'a String)>) -> Module {
        let mut m = Module::default();
        for (name, text) in files {
            if name.ends_with(".tf") {
                m.add(name, text.clone());
            }
        }
        m
    }

    fn add(&mut self, file: &str, text: String) {
        match hcl::edit::parser::parse_body(&text) {
            Ok(body) => {
                for s in body.iter() {
                    if let Some(b) = s.as_block() {
                        let start = b.span().map(|r| r.start).unwrap_or(0);
                        self.blocks.push(TopBlock {
                            file: file.to_owned(),
                            kind: b.ident.value().as_str().to_owned(),
                            labels: b.labels.iter().map(label_text).collect(),
                            block: b.clone(),
                            ignores: ignores_above(&text, start),
                        });
                    }
                }
            }
            Err(e) => {
                let loc = e.location();
                let pos = Pos {
                    line: loc.line() as u64,
                    column: loc.column() as u64,
                };
                self.syntax_errors.push(
                    Diagnostic::new(
                        RuleId::CF701,
                        file,
                        pos,
                        "",
                        format!("invalid HCL: {}", e.message()),
                    )
                    .with_span(loc.offset()..loc.offset() + 1),
                );
            }
        }
        self.sources.insert(file.to_owned(), text);
    }

    /// Blocks of one kind.
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a TopBlock> + 'a {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }

    /// Resources of one type.
    pub fn resources<'a>(&'a self, ty: &'a str) -> impl Iterator<Item = &'a TopBlock> + 'a {
        self.blocks
            .iter()
            .filter(move |b| b.resource_type() == Some(ty))
    }

    /// A diagnostic located at a byte span of a file.
    pub fn diag_at(
        &self,
        rule: RuleId,
        file: &str,
        span: Option<Range<usize>>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let text = self.sources.get(file).map(String::as_str).unwrap_or("");
        let span = span.unwrap_or(0..0);
        let pos = if text.is_empty() {
            Pos::default()
        } else {
            Pos::at(text, span.start)
        };
        let mut d = Diagnostic::new(rule, file, pos, path, message);
        if span.end > span.start {
            // point at the first line of the node
            let end = text[span.start..span.end.min(text.len())]
                .find('\n')
                .map(|i| span.start + i)
                .unwrap_or(span.end);
            d = d.with_span(span.start..end.max(span.start + 1));
        }
        d
    }
}

/// A reference found in an expression: its root and the attribute names after it.
#[derive(Clone, Debug)]
pub struct Reference {
    /// Root identifier (`var`, `aws_dynamodb_table`, …).
    pub root: String,
    /// Attribute names after the root, up to the first non-attribute operator.
    pub attrs: Vec<String>,
    /// Byte span.
    pub span: Option<Range<usize>>,
}

struct RefCollector {
    refs: Vec<Reference>,
}

impl Visit for RefCollector {
    fn visit_expr(&mut self, e: &Expression) {
        match e {
            Expression::Variable(v) => self.refs.push(Reference {
                root: v.value().as_str().to_owned(),
                attrs: vec![],
                span: e.span(),
            }),
            _ => visit::visit_expr(self, e),
        }
    }
    fn visit_traversal(&mut self, node: &hcl::edit::expr::Traversal) {
        if let Expression::Variable(v) = &node.expr {
            let mut attrs = Vec::new();
            for op in &node.operators {
                match op.value() {
                    TraversalOperator::GetAttr(a) => attrs.push(a.value().as_str().to_owned()),
                    _ => break,
                }
            }
            self.refs.push(Reference {
                root: v.value().as_str().to_owned(),
                attrs,
                span: node.span(),
            });
        } else {
            self.visit_expr(&node.expr);
        }
        for op in &node.operators {
            if let TraversalOperator::Index(e) = op.value() {
                self.visit_expr(e);
            }
        }
    }
    fn visit_for_expr(&mut self, node: &hcl::edit::expr::ForExpr) {
        // iterator variables are local to the for expression; skip references to them
        let mut inner = RefCollector { refs: vec![] };
        visit::visit_for_expr(&mut inner, node);
        let key = node
            .intro
            .key_var
            .as_ref()
            .map(|k| k.value().as_str().to_owned());
        let val = node.intro.value_var.value().as_str().to_owned();
        self.refs.extend(
            inner
                .refs
                .into_iter()
                .filter(|r| Some(&r.root) != key.as_ref() && r.root != val),
        );
    }
}

/// Every reference in a body (attributes and nested blocks).
pub fn references(body: &Body) -> Vec<Reference> {
    let mut c = RefCollector { refs: vec![] };
    c.visit_body(body);
    c.refs
}

/// Every reference in an expression.
pub fn expr_references(e: &Expression) -> Vec<Reference> {
    let mut c = RefCollector { refs: vec![] };
    c.visit_expr(e);
    c.refs
}

/// The expression of an attribute of a body.
pub fn attr<'a>(body: &'a Body, name: &str) -> Option<&'a Expression> {
    body.get_attribute(name).map(|a| &a.value)
}

/// A string literal's value.
pub fn as_string(e: &Expression) -> Option<String> {
    match e {
        Expression::String(s) => Some(s.value().clone()),
        Expression::StringTemplate(t) => {
            let mut out = String::new();
            for el in t.iter() {
                match el {
                    hcl::edit::template::Element::Literal(l) => out.push_str(l.value()),
                    _ => out.push_str("${…}"),
                }
            }
            Some(out)
        }
        _ => None,
    }
}

/// A number literal's value.
pub fn as_number(e: &Expression) -> Option<f64> {
    match e {
        Expression::Number(n) => n.value().as_f64(),
        _ => None,
    }
}

/// A bool literal's value.
pub fn as_bool(e: &Expression) -> Option<bool> {
    match e {
        Expression::Bool(b) => Some(*b.value()),
        _ => None,
    }
}

/// Nested blocks of a body with this identifier.
pub fn blocks<'a>(body: &'a Body, ident: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
    body.get_blocks(ident)
}

const BUILTIN_ROOTS: &[&str] = &[
    "var",
    "local",
    "module",
    "data",
    "path",
    "terraform",
    "count",
    "each",
    "self",
];

fn is_latency_metric(name: &str) -> bool {
    name.contains("Latency")
        || name.contains("Duration")
        || name.contains("latency")
        || name.contains("duration")
}

fn is_percentile(stat: &str) -> bool {
    stat.starts_with('p')
        && stat[1..].chars().all(|c| c.is_ascii_digit() || c == '.')
        && stat.len() > 1
}

/// Whether a module is for production: by the profile, else by its generated header or an
/// `environment` tag default.
fn is_production(m: &Module, production: Option<bool>) -> bool {
    if let Some(p) = production {
        return p;
    }
    if m.sources.values().any(|t| {
        t.starts_with(crate::render::HCL_MARKER)
            && t.lines()
                .next()
                .is_some_and(|l| l.contains(", production)"))
    }) {
        return true;
    }
    m.of_kind("variable")
        .filter(|v| v.labels.first().is_some_and(|l| l == "tags"))
        .any(|v| {
            attr(&v.block.body, "default").is_some_and(|d| {
                let text = d.to_string().to_lowercase();
                text.contains("environment") && text.contains("prod")
            })
        })
}

/// The module rules.
pub fn rules(m: &Module, production: Option<bool>) -> Vec<Diagnostic> {
    let mut out = undeclared_references(m);
    let targets: Vec<&TopBlock> = m.resources("aws_appautoscaling_target").collect();
    let policies: Vec<&TopBlock> = m.resources("aws_appautoscaling_policy").collect();
    let alarms: Vec<&TopBlock> = m.resources("aws_cloudwatch_metric_alarm").collect();
    let prod = is_production(m, production);
    for t in m.resources("aws_dynamodb_table") {
        out.extend(table_rules(m, t, &targets, &policies, &alarms, prod));
    }
    out.extend(alarm_rules(m, &alarms));
    out.retain(|d| {
        // honour ignores on the block the finding concerns
        !m.blocks.iter().any(|b| {
            d.path.starts_with(&b.address()) && b.ignores.iter().any(|i| i == d.rule.as_str())
        })
    });
    out
}

/// CF704: references to what the module does not declare.
fn undeclared_references(m: &Module) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let declared: BTreeSet<String> = m.blocks.iter().map(TopBlock::address).collect();
    let locals: BTreeSet<String> = m
        .of_kind("locals")
        .flat_map(|b| {
            b.block
                .body
                .attributes()
                .map(|a| a.key.value().as_str().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let resource_types: BTreeSet<String> = m
        .blocks
        .iter()
        .filter_map(|b| b.resource_type().map(str::to_owned))
        .collect();

    // CF704: undeclared references. Skipped when a file did not parse: its declarations are
    // unknown, and every reference to them would be a false finding.
    let complete = m.syntax_errors.iter().all(|d| d.rule != RuleId::CF701);
    for b in m.blocks.iter().filter(|_| complete) {
        let mut dynamic_iters: BTreeSet<String> = BTreeSet::new();
        collect_dynamic(&b.block.body, &mut dynamic_iters);
        for r in references(&b.block.body) {
            let missing = match r.root.as_str() {
                "var" => r
                    .attrs
                    .first()
                    .map(|n| format!("var.{n}"))
                    .filter(|a| !declared.contains(a)),
                "local" => r
                    .attrs
                    .first()
                    .filter(|n| !locals.contains(*n))
                    .map(|n| format!("local.{n}")),
                "module" => r
                    .attrs
                    .first()
                    .map(|n| format!("module.{n}"))
                    .filter(|a| !declared.contains(a)),
                "data" if r.attrs.len() >= 2 => Some(format!("data.{}.{}", r.attrs[0], r.attrs[1]))
                    .filter(|a| !declared.contains(a)),
                root if BUILTIN_ROOTS.contains(&root) || dynamic_iters.contains(root) => None,
                root if (resource_types.contains(root) || root.starts_with("aws_"))
                    && !r.attrs.is_empty() =>
                {
                    Some(format!("{root}.{}", r.attrs[0])).filter(|a| !declared.contains(a))
                }
                _ => None,
            };
            if let Some(addr) = missing
                && !b.ignores.iter().any(|i| i == RuleId::CF704.as_str())
            {
                out.push(m.diag_at(
                    RuleId::CF704,
                    &b.file,
                    r.span.clone(),
                    b.address(),
                    format!("`{addr}` is not declared in this module"),
                ));
            }
        }
    }
    out
}

/// CF702, CF703, CF705, CF603 for one table: scaling targets and policies, lifecycle, PITR in
/// production, a throttle alarm.
fn table_rules(
    m: &Module,
    t: &TopBlock,
    targets: &[&TopBlock],
    policies: &[&TopBlock],
    alarms: &[&TopBlock],
    prod: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let name = t.labels.get(1).cloned().unwrap_or_default();
    let addr = t.address();
    let body = &t.block.body;
    let span = t.block.span();
    let billing = attr(body, "billing_mode")
        .and_then(as_string)
        .unwrap_or_else(|| "PROVISIONED".into());
    let provisioned = billing == "PROVISIONED";

    // targets whose resource_id references this table
    let my_targets: Vec<&&TopBlock> = targets
        .iter()
        .filter(|tg| {
            attr(&tg.block.body, "resource_id").is_some_and(|e| {
                expr_references(e)
                    .iter()
                    .any(|r| r.root == "aws_dynamodb_table" && r.attrs.first() == Some(&name))
            })
        })
        .collect();
    let has = |index: Option<&str>, dim: &str| -> bool {
        my_targets.iter().any(|tg| {
            let b = &tg.block.body;
            let rid = attr(b, "resource_id")
                .and_then(as_string)
                .unwrap_or_default();
            let on_index = match index {
                Some(ix) => rid.ends_with(&format!("/index/{ix}")),
                None => !rid.contains("/index/"),
            };
            let dim_ok = attr(b, "scalable_dimension")
                .and_then(as_string)
                .is_some_and(|d| {
                    d.ends_with(dim)
                        && d.contains(if index.is_some() {
                            ":index:"
                        } else {
                            ":table:"
                        })
                });
            let label = tg.labels.get(1).cloned().unwrap_or_default();
            let has_policy = policies.iter().any(|p| {
                attr(&p.block.body, "policy_type")
                    .and_then(as_string)
                    .as_deref()
                    == Some("TargetTrackingScaling")
                    && attr(&p.block.body, "resource_id").is_some_and(|e| {
                        expr_references(e).iter().any(|r| {
                            r.root == "aws_appautoscaling_target" && r.attrs.first() == Some(&label)
                        })
                    })
            });
            on_index && dim_ok && has_policy
        })
    };
    if provisioned && !t.ignores.iter().any(|i| i == RuleId::CF702.as_str()) {
        for dim in ["ReadCapacityUnits", "WriteCapacityUnits"] {
            if !has(None, dim) {
                out.push(m.diag_at(RuleId::CF702, &t.file, span.clone(), &addr, format!("provisioned table `{name}` has no {} scaling target with a target-tracking policy", if dim.starts_with("Read") { "read" } else { "write" })));
            }
        }
        for g in blocks(body, "global_secondary_index") {
            let ix = attr(&g.body, "name")
                .and_then(as_string)
                .unwrap_or_default();
            for dim in ["ReadCapacityUnits", "WriteCapacityUnits"] {
                if !has(Some(&ix), dim) {
                    out.push(m.diag_at(RuleId::CF702, &t.file, g.span(), format!("{addr}.global_secondary_index.{ix}"), format!("index `{ix}` of provisioned table `{name}` has no {} scaling target with a target-tracking policy", if dim.starts_with("Read") { "read" } else { "write" })));
                }
            }
        }
    }

    // CF703: lifecycle
    if !my_targets.is_empty() {
        let ignored: Vec<String> = blocks(body, "lifecycle")
            .filter_map(|l| attr(&l.body, "ignore_changes"))
            .flat_map(|e| match e {
                Expression::Array(a) => a
                    .iter()
                    .map(|x| x.to_string().trim().to_owned())
                    .collect::<Vec<_>>(),
                Expression::Variable(v) if v.value().as_str() == "all" => {
                    vec!["read_capacity".into(), "write_capacity".into()]
                }
                _ => vec![],
            })
            .collect();
        for a in ["read_capacity", "write_capacity"] {
            if !ignored.iter().any(|i| i == a) {
                out.push(m.diag_at(RuleId::CF703, &t.file, span.clone(), &addr, format!("autoscaled table `{name}` does not ignore `{a}` in its lifecycle: every plan would undo autoscaling")));
            }
        }
    }

    // CF705: PITR in production
    if prod {
        let on = blocks(body, "point_in_time_recovery")
            .any(|b| attr(&b.body, "enabled").and_then(as_bool) == Some(true));
        if !on && !t.ignores.iter().any(|i| i == RuleId::CF705.as_str()) {
            let s = blocks(body, "point_in_time_recovery")
                .next()
                .and_then(|b| b.span())
                .or(span.clone());
            out.push(m.diag_at(
                RuleId::CF705,
                &t.file,
                s,
                &addr,
                format!("table `{name}` in a production module has point-in-time recovery off"),
            ));
        }
    }

    // CF603: throttle alarm
    let watched = alarms.iter().any(|a| {
        metrics_of(&a.block.body).iter().any(|(metric, dims)| {
            matches!(
                metric.as_str(),
                "ReadThrottleEvents" | "WriteThrottleEvents" | "ThrottledRequests"
            ) && dims.is_some_and(|d| {
                expr_references(d)
                    .iter()
                    .any(|r| r.root == "aws_dynamodb_table" && r.attrs.first() == Some(&name))
            })
        })
    });
    if !watched && !t.ignores.iter().any(|i| i == RuleId::CF603.as_str()) {
        out.push(m.diag_at(
            RuleId::CF603,
            &t.file,
            span.clone(),
            &addr,
            format!("table `{name}` has no throttle alarm"),
        ));
    }
    out
}

/// CF601, CF602: alarm periods and statistics.
fn alarm_rules(m: &Module, alarms: &[&TopBlock]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // CF601, CF602: alarm periods and statistics
    for a in alarms {
        let body = &a.block.body;
        let addr = a.address();
        let eval = attr(body, "evaluation_periods")
            .and_then(as_number)
            .unwrap_or(1.0);
        let mut periods: Vec<(&Expression, Option<&Expression>, Option<&Expression>)> = Vec::new();
        if let Some(p) = attr(body, "period") {
            periods.push((
                p,
                attr(body, "extended_statistic"),
                attr(body, "metric_name"),
            ));
        }
        for q in blocks(body, "metric_query") {
            for mm in blocks(&q.body, "metric") {
                if let Some(p) = attr(&mm.body, "period") {
                    periods.push((p, attr(&mm.body, "stat"), attr(&mm.body, "metric_name")));
                }
            }
        }
        for (p, stat, metric) in periods {
            if let Some(v) = as_number(p) {
                let legal = v == 10.0 || v == 30.0 || (v >= 60.0 && v % 60.0 == 0.0);
                if !legal {
                    out.push(m.diag_at(
                        RuleId::CF601,
                        &a.file,
                        p.span(),
                        &addr,
                        format!("alarm period {v} s is not 10, 30 or a multiple of 60"),
                    ));
                } else if v * eval > 86_400.0 {
                    out.push(m.diag_at(
                        RuleId::CF601,
                        &a.file,
                        p.span(),
                        &addr,
                        format!("period {v} s × {eval} evaluation periods exceeds one day"),
                    ));
                }
            }
            if let (Some(stat), Some(metric)) =
                (stat.and_then(as_string), metric.and_then(as_string))
                && is_percentile(&stat)
                && !is_latency_metric(&metric)
            {
                out.push(m.diag_at(
                    RuleId::CF602,
                    &a.file,
                    stat_span(body, &stat),
                    &addr,
                    format!(
                        "percentile `{stat}` on `{metric}`, which is not a latency or duration"
                    ),
                ));
            }
        }
    }
    out
}

/// The (metric name, dimensions) pairs an alarm watches: its own metric and each metric query's.
fn metrics_of(body: &Body) -> Vec<(String, Option<&Expression>)> {
    let mut out = Vec::new();
    if let Some(name) = attr(body, "metric_name").and_then(as_string) {
        out.push((name, attr(body, "dimensions")));
    }
    for q in blocks(body, "metric_query") {
        for mm in blocks(&q.body, "metric") {
            if let Some(name) = attr(&mm.body, "metric_name").and_then(as_string) {
                out.push((name, attr(&mm.body, "dimensions")));
            }
        }
    }
    out
}

fn stat_span(body: &Body, stat: &str) -> Option<Range<usize>> {
    if let Some(e) = attr(body, "extended_statistic") {
        return e.span();
    }
    for q in blocks(body, "metric_query") {
        for mm in blocks(&q.body, "metric") {
            if let Some(e) = attr(&mm.body, "stat")
                && as_string(e).as_deref() == Some(stat)
            {
                return e.span();
            }
        }
    }
    None
}

fn collect_dynamic(body: &Body, out: &mut BTreeSet<String>) {
    for b in body.blocks() {
        if b.ident.value().as_str() == "dynamic" {
            let it = attr(&b.body, "iterator").map(|e| e.to_string().trim().to_owned());
            out.insert(it.unwrap_or_else(|| b.labels.first().map(label_text).unwrap_or_default()));
        }
        collect_dynamic(&b.body, out);
    }
}
