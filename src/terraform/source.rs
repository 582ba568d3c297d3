//! Terraform source on disk: every `.tf` and `.tf.json` file of a module directory parsed with
//! hcl-edit (which keeps byte spans) into the compact form of [`super::syntax`] (a large file
//! once per shape of block, [`super::shape`]), and the helpers
//! that read references and literals.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use hcl::edit::Span;
use hcl::edit::expr::TraversalOperator;
use hcl::edit::structure::BlockLabel;
use hcl::edit::visit::{self, Visit};

pub use super::syntax::{Attribute, Block, Body};

use crate::diag::Diagnostic;
use crate::profile::yaml::Pos;
use crate::rules::RuleId;

/// A top-level block of a module (`resource`, `variable`, …).
#[derive(Clone, Debug, PartialEq)]
pub struct TopBlock {
    /// File it stands in.
    pub file: String,
    /// `resource`, `data`, `variable`, `locals`, `output`, `module`, …
    pub kind: String,
    /// Its labels.
    pub labels: Vec<String>,
    /// The parsed block.
    pub block: Block,
    /// Every reference its expressions make, read while it was parsed.
    pub refs: Vec<Reference>,
    /// Rule IDs suppressed by `# capform:ignore CFxxx` comments right above the block.
    pub ignores: Vec<String>,
    /// For a block of a `.tf.json` file: the byte offset of its key in the JSON text, where its
    /// findings point (its spans are in the HCL it was turned into).
    pub anchor: Option<usize>,
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
    pub sources: BTreeMap<String, std::sync::Arc<str>>,
    /// Top-level blocks of all files, file by file.
    pub blocks: Vec<TopBlock>,
    /// CF701 findings.
    pub syntax_errors: Vec<Diagnostic>,
    /// The directory read, for [`Module::read_dir`].
    pub dir: Option<std::path::PathBuf>,
    /// File name → byte offsets of its line starts, to locate findings without rescanning.
    pub lines: BTreeMap<String, Vec<usize>>,
}

/// Byte offsets where the lines of `text` start.
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// A block label's text (identifier or string).
pub fn label_text(l: &BlockLabel) -> String {
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

/// A configuration file's text as Terraform reads it: UTF-8, a byte-order mark allowed (and
/// dropped); anything else is an input error located where the text stops being UTF-8.
fn read_config(path: &Path, file: &str) -> Result<String, Box<Diagnostic>> {
    let bytes = crate::input::read_limited(path, MAX_TF_FILE_BYTES).map_err(|e| {
        Box::new(Diagnostic::new(
            RuleId::CF001,
            file,
            Pos::default(),
            "",
            e.to_string(),
        ))
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(match text.strip_prefix('\u{FEFF}') {
            Some(rest) => rest.to_owned(),
            None => text,
        }),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let text = String::from_utf8_lossy(valid);
            let pos = Pos::at(&text, text.len());
            Err(Box::new(Diagnostic::new(
                RuleId::CF001,
                file,
                pos,
                "",
                format!(
                    "the file is not UTF-8 text (invalid byte at offset {}); Terraform refuses it too",
                    valid.len()
                ),
            )))
        }
    }
}

/// Whether Terraform reads this file as configuration: `*.tf` or `*.tf.json`.
pub fn is_config_file(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    (name.ends_with(".tf") || name.ends_with(".tf.json")) && !name.starts_with('.')
}

/// The top-level blocks of `text[range]`: filled in from the template of its shape, or parsed
/// in full when it has none; `None` when it does not parse.
fn unit_blocks(
    file: &str,
    text: &str,
    range: Range<usize>,
    cache: &super::shape::Cache,
) -> Option<Vec<TopBlock>> {
    let unit = &text[range.clone()];
    let direct = || {
        hcl::edit::parser::parse_body(unit)
            .ok()
            .map(|body| top_blocks(file, text, body, range.start, None))
    };
    let Some(shaped) = super::shape::shape(unit) else {
        return direct();
    };
    let template = cache.template(&shaped, |shape| {
        let body = hcl::edit::parser::parse_body(shape).ok()?;
        Some(
            body.into_iter()
                .filter_map(|s| match s {
                    hcl::edit::structure::Structure::Block(b) => {
                        let refs = references_edit(&b.body);
                        Some((super::syntax::block(b, 0), refs))
                    }
                    _ => None,
                })
                .collect(),
        )
    });
    let Some(template) = template else {
        return direct();
    };
    Some(
        shaped
            .fill(&template, range.start)
            .into_iter()
            .map(|(block, refs)| {
                let start = block.span.as_ref().map(|r| r.start).unwrap_or(range.start);
                TopBlock {
                    file: file.to_owned(),
                    kind: block.ident.clone(),
                    labels: block.labels.clone(),
                    ignores: ignores_above(text, start),
                    block,
                    refs,
                    anchor: None,
                }
            })
            .collect(),
    )
}

/// The top-level blocks of a parsed piece of `text` that starts at byte `offset`, in the
/// form the later stages read, with the references and `capform:ignore` comments of each.
fn top_blocks(
    file: &str,
    text: &str,
    body: hcl::edit::structure::Body,
    offset: usize,
    anchors: Option<Vec<usize>>,
) -> Vec<TopBlock> {
    let mut out = Vec::new();
    for s in body.into_iter() {
        if let hcl::edit::structure::Structure::Block(b) = s {
            let start = b.span().map(|r| r.start).unwrap_or(0) + offset;
            let (ignores, anchor) = match &anchors {
                None => (ignores_above(text, start), None),
                Some(a) => (vec![], a.get(out.len()).copied()),
            };
            let mut refs = references_edit(&b.body);
            for r in &mut refs {
                r.span = r.span.take().map(|x| x.start + offset..x.end + offset);
            }
            let block = super::syntax::block(b, offset);
            out.push(TopBlock {
                file: file.to_owned(),
                kind: block.ident.clone(),
                labels: block.labels.clone(),
                block,
                refs,
                ignores,
                anchor,
            });
        }
    }
    out
}

impl Module {
    /// Parse every `.tf` and `.tf.json` file of `dir` (not recursing). A directory without any
    /// is an input error, as it is for `terraform init`.
    pub fn read_dir(dir: &Path) -> Result<Module, Box<Diagnostic>> {
        let input_error = |message: String| {
            Box::new(Diagnostic::new(
                RuleId::CF001,
                &dir.display().to_string(),
                Pos::default(),
                "",
                message,
            ))
        };
        let entries = std::fs::read_dir(dir)
            .map_err(|e| input_error(format!("cannot read the module directory: {e}")))?;
        let mut files: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| is_config_file(p) && p.is_file())
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(input_error(format!(
                "no Terraform files (*.tf, *.tf.json) in {}: nothing to validate",
                dir.display()
            )));
        }
        let mut m = Module {
            dir: Some(dir.to_path_buf()),
            ..Module::default()
        };
        // read in order, parse on all cores (a 1,000-table module is tens of megabytes), then
        // join in file order
        let read: Vec<(String, Result<String, Box<Diagnostic>>)> = files
            .iter()
            .map(|path| {
                let file = path.display().to_string();
                let text = read_config(path, &file);
                (file, text)
            })
            .collect();
        use rayon::prelude::*;
        let parsed: Vec<Module> = read
            .into_par_iter()
            .map(|(file, text)| {
                let mut one = Module::default();
                match text {
                    Ok(text) => one.add(&file, text),
                    Err(d) => one.syntax_errors.push(*d),
                }
                one
            })
            .collect();
        for one in parsed {
            m.merge(one);
        }
        Ok(m)
    }

    /// Parse files given as name → text (used for rendered modules), on all cores.
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a String, &'a str)>) -> Module {
        use rayon::prelude::*;
        let files: Vec<(&String, &str)> = files
            .into_iter()
            .filter(|(name, _)| name.ends_with(".tf") || name.ends_with(".tf.json"))
            .collect();
        let parsed: Vec<Module> = files
            .into_par_iter()
            .map(|(name, text)| {
                let mut one = Module::default();
                one.add(name, text.to_owned());
                one
            })
            .collect();
        let mut m = Module::default();
        for one in parsed {
            m.merge(one);
        }
        m
    }

    fn merge(&mut self, one: Module) {
        self.blocks.extend(one.blocks);
        self.sources.extend(one.sources);
        self.lines.extend(one.lines);
        self.syntax_errors.extend(one.syntax_errors);
    }

    /// The source text of a block.
    pub fn block_text(&self, b: &TopBlock) -> Option<&str> {
        let span = b.block.span.clone()?;
        self.sources.get(&b.file)?.get(span)
    }

    fn add(&mut self, file: &str, text: String) {
        if file.ends_with(".json") {
            return self.add_json(file, text);
        }
        // A large file is read block by block on all cores, each block's shape parsed once
        // (super::shape); if a block does not parse, the whole file is parsed again for the
        // error Terraform would give.
        let t0 = std::time::Instant::now();
        let units = super::syntax::units(&text);
        crate::timing::log(file, "cut into blocks", t0);
        let t0 = std::time::Instant::now();
        let parse_whole = || {
            hcl::edit::parser::parse_body(&text).map(|body| top_blocks(file, &text, body, 0, None))
        };
        let whole = if units.is_empty() {
            parse_whole()
        } else {
            use rayon::prelude::*;
            let cache = super::shape::Cache::default();
            let pieces: Option<Vec<Vec<TopBlock>>> = units
                .par_iter()
                .map(|r| unit_blocks(file, &text, r.clone(), &cache))
                .collect();
            match pieces {
                Some(pieces) => Ok(pieces.into_iter().flatten().collect()),
                // (a block that does not parse in a text that does would be a wrong cut: the
                // whole text then stands)
                None => parse_whole(),
            }
        };
        crate::timing::log(file, "parse blocks", t0);
        match whole {
            Ok(blocks) => self.blocks.extend(blocks),
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
        self.lines.insert(file.to_owned(), line_starts(&text));
        self.sources.insert(file.to_owned(), text.into());
    }

    /// A `.tf.json` file: Terraform's JSON syntax, turned into the HCL it stands for
    /// ([`super::json`]); findings point at the JSON key of the block they concern.
    fn add_json(&mut self, file: &str, text: String) {
        match super::json::to_hcl(&text) {
            Ok(converted) => match hcl::edit::parser::parse_body(&converted.hcl) {
                Ok(body) => self.blocks.extend(top_blocks(
                    file,
                    &converted.hcl,
                    body,
                    0,
                    Some(converted.anchors),
                )),
                Err(e) => self.syntax_errors.push(Diagnostic::new(
                    RuleId::CF701,
                    file,
                    Pos { line: 1, column: 1 },
                    "",
                    format!("invalid Terraform JSON: {}", e.message()),
                )),
            },
            Err((offset, message)) => {
                let pos = Pos::at(&text, offset);
                self.syntax_errors.push(
                    Diagnostic::new(
                        RuleId::CF701,
                        file,
                        pos,
                        "",
                        format!("invalid Terraform JSON: {message}"),
                    )
                    .with_span(offset..offset + 1),
                );
            }
        }
        self.lines.insert(file.to_owned(), line_starts(&text));
        self.sources.insert(file.to_owned(), text.into());
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
        let text = self.sources.get(file).map(|s| &**s).unwrap_or("");
        let mut span = span.unwrap_or(0..0);
        if file.ends_with(".tf.json") {
            // spans are in the HCL the JSON was turned into: point at the block's key instead
            let anchor = self
                .blocks
                .iter()
                .filter(|b| b.file == file)
                .find(|b| {
                    b.block
                        .span
                        .as_ref()
                        .is_some_and(|r| r.contains(&span.start))
                })
                .and_then(|b| b.anchor)
                .unwrap_or(0);
            let end = text[anchor..]
                .find('"')
                .and_then(|q| text[anchor + q + 1..].find('"').map(|e| anchor + q + e + 2))
                .unwrap_or(anchor + 1);
            span = anchor..end;
        }
        let pos = if text.is_empty() {
            Pos::default()
        } else {
            self.pos(file, text, span.start)
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

    /// Line and column of a byte offset, from the file's line index.
    fn pos(&self, file: &str, text: &str, offset: usize) -> Pos {
        let Some(lines) = self.lines.get(file) else {
            return Pos::at(text, offset);
        };
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = lines.partition_point(|&s| s <= offset).max(1);
        let start = lines[line - 1];
        Pos {
            line: line as u64,
            column: text[start..offset].chars().count() as u64 + 1,
        }
    }
}

/// A reference found in an expression: its root and the attribute names after it.
#[derive(Clone, Debug, PartialEq)]
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
    fn visit_expr(&mut self, e: &hcl::edit::expr::Expression) {
        match e {
            hcl::edit::expr::Expression::Variable(v) => self.refs.push(Reference {
                root: v.value().as_str().to_owned(),
                attrs: vec![],
                span: e.span(),
            }),
            _ => visit::visit_expr(self, e),
        }
    }
    fn visit_traversal(&mut self, node: &hcl::edit::expr::Traversal) {
        if let hcl::edit::expr::Expression::Variable(v) = &node.expr {
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

/// Every reference in a body of hcl-edit's tree (attributes and nested blocks), read once
/// when a block is parsed ([`TopBlock::refs`]).
fn references_edit(body: &hcl::edit::structure::Body) -> Vec<Reference> {
    let mut c = RefCollector { refs: vec![] };
    c.visit_body(body);
    c.refs
}

/// The expression of an attribute of a body.
pub fn attr<'a>(body: &'a Body, name: &str) -> Option<&'a hcl::Expression> {
    body.get_attribute(name).map(|a| &a.value)
}

/// A string literal's value; a template's text with each interpolation shown as `${…}`.
pub fn as_string(e: &hcl::Expression) -> Option<String> {
    match e {
        hcl::Expression::String(s) => Some(s.clone()),
        hcl::Expression::TemplateExpr(t) => {
            let template = hcl::Template::from_expr(t).ok()?;
            let mut out = String::new();
            for el in template.elements() {
                match el {
                    hcl::template::Element::Literal(l) => out.push_str(l),
                    _ => out.push_str("${…}"),
                }
            }
            Some(out)
        }
        _ => None,
    }
}

/// A number literal's value.
pub fn as_number(e: &hcl::Expression) -> Option<f64> {
    match e {
        hcl::Expression::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// A bool literal's value.
pub fn as_bool(e: &hcl::Expression) -> Option<bool> {
    match e {
        hcl::Expression::Bool(b) => Some(*b),
        _ => None,
    }
}

/// Nested blocks of a body with this identifier.
pub fn blocks<'a>(body: &'a Body, ident: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
    body.get_blocks(ident)
}

/// Locates findings in any file of a module and its child modules.
pub struct Locator<'a> {
    modules: Vec<&'a Module>,
    by_file: HashMap<&'a str, usize>,
}

impl<'a> Locator<'a> {
    /// A locator over these modules' files.
    pub fn new(modules: impl IntoIterator<Item = &'a Module>) -> Locator<'a> {
        let modules: Vec<&Module> = modules.into_iter().collect();
        let mut by_file = HashMap::new();
        for (i, m) in modules.iter().enumerate() {
            for f in m.sources.keys() {
                by_file.insert(f.as_str(), i);
            }
        }
        Locator { modules, by_file }
    }

    /// A finding at a location of one of the files.
    pub fn diag(
        &self,
        rule: RuleId,
        loc: &super::model::Loc,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        match self.by_file.get(&*loc.file) {
            Some(&i) => self.modules[i].diag_at(rule, &loc.file, loc.span.clone(), path, message),
            None => Diagnostic::new(rule, &loc.file, Pos::default(), path, message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file read block by block through shapes, and read whole: the same blocks, spans,
    /// references and ignore comments.
    fn same_both_ways(file: &str, text: &str) -> usize {
        let Ok(body) = hcl::edit::parser::parse_body(text) else {
            return 0;
        };
        let whole = top_blocks(file, text, body, 0, None);
        let cache = super::super::shape::Cache::default();
        let by_units: Vec<TopBlock> = super::super::syntax::units_of_any_size(text)
            .into_iter()
            .flat_map(|r| unit_blocks(file, text, r, &cache).expect("every block parses"))
            .collect();
        assert_eq!(by_units.len(), whole.len(), "{file}");
        for (a, b) in by_units.iter().zip(&whole) {
            assert_eq!(a, b, "{file}: {}", b.address());
        }
        whole.len()
    }

    fn tf_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                tf_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "tf") {
                out.push(p);
            }
        }
    }

    #[test]
    fn shapes_read_every_corpus_module_as_a_full_parse_does() {
        let mut files = Vec::new();
        tf_files(
            Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus")),
            &mut files,
        );
        let mut blocks = 0;
        for f in &files {
            if let Ok(text) = std::fs::read_to_string(f) {
                blocks += same_both_ways(&f.display().to_string(), &text);
            }
        }
        assert!(blocks > 200, "{blocks} blocks compared");
    }

    #[test]
    fn shapes_read_capforms_own_modules_as_a_full_parse_does() {
        let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/profiles"));
        let mut blocks = 0;
        for name in [
            "phase3b",
            "billing-platform",
            "global-saas",
            "helpdesk-staging",
        ] {
            let loaded = crate::profile::load_file(&root.join(format!("{name}.yaml"))).unwrap();
            let plan = crate::plan::resolve_tier(
                &loaded.profile,
                &loaded.file,
                loaded.profile.customers,
                &Default::default(),
            );
            for (file, text) in crate::render::render(&plan).unwrap() {
                if file.ends_with(".tf") {
                    blocks += same_both_ways(&file, &text);
                }
            }
        }
        assert!(blocks > 300, "{blocks} blocks compared");
    }

    #[test]
    fn odd_literals_read_the_same() {
        let text = r#"
# capform:ignore CF702
resource "aws_x" "a-b" {
  n      = -5
  f      = 1.5e3
  big    = 12345678901234567890
  zero   = 0
  lead   = 007
  s      = "tab\there \"quoted\" $${literal} %%{literal} ünï"
  t      = "pre-${var.x}-mid-${aws_y.z[0].id}-post"
  d      = "%{ if var.on }yes%{ else }no%{ endif }"
  i      = local.m["k"].v.0
  o      = { "k" = 1, k2 = "v", (var.k) = 2 }
  c      = var.a ? "x" : "y"
  e      = each.value.name
  l      = [for k, v in var.m : "${k}=${v}" if v != ""]
  fn     = provider::aws::arn_parse("arn")
  split  = a.b-c
  dotnum = x.1.y
}
"#;
        assert_eq!(same_both_ways("odd.tf", text), 1);
    }
}
