//! Validation: profiles (schema, structure, lint rules) and Terraform modules (syntax, rules,
//! drift against a profile). Validation never writes files.

pub mod drift;
pub mod indexes;
pub mod lint;
pub mod module;
pub mod output;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{self, Diagnostic, Severity};
use crate::profile::{self, yaml::Pos};
use crate::rules::RuleId;

/// What a validation run found, with the text of every file read (for snippets).
#[derive(Debug, Default)]
pub struct Report {
    /// Findings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// File name → source text, for every file read.
    pub sources: BTreeMap<String, std::sync::Arc<str>>,
    /// Files that could not be read at all (usage or input errors).
    pub unreadable: usize,
}

impl Report {
    /// Count at a severity.
    pub fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }

    /// Whether the run fails: any error, or any warning with `deny_warnings`.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.count(Severity::Error) > 0 || (deny_warnings && self.count(Severity::Warning) > 0)
    }

    /// `2 errors, 3 warnings in 4 files` (infos mentioned when present).
    pub fn summary(&self) -> String {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        let mut s = format!(
            "{}, {}",
            plural(self.count(Severity::Error), "error"),
            plural(self.count(Severity::Warning), "warning")
        );
        let infos = self.count(Severity::Info);
        if infos > 0 {
            s.push_str(&format!(", {}", plural(infos, "note")));
        }
        s.push_str(&format!(" in {}", plural(self.sources.len(), "file")));
        s
    }

    /// Sort the findings and give each the span of its location (for snippets).
    pub fn finish(&mut self) {
        for d in &mut self.diagnostics {
            if d.span.is_none()
                && d.line > 0
                && let Some(text) = self.sources.get(&d.file)
            {
                d.span = yaml_span(
                    text,
                    Pos {
                        line: d.line,
                        column: d.column.max(1),
                    },
                );
            }
        }
        diag::sort(&mut self.diagnostics);
        self.diagnostics.dedup();
    }
}

/// The byte range of the YAML token starting at `pos`: a quoted scalar to its closing quote,
/// else up to the next `,` `]` `}` ` #` or the end of the line.
pub fn yaml_span(text: &str, pos: Pos) -> Option<std::ops::Range<usize>> {
    let line_start = text
        .split_inclusive('\n')
        .take(pos.line.saturating_sub(1) as usize)
        .map(str::len)
        .sum::<usize>();
    let line = text[line_start..].split('\n').next()?;
    let col_byte = line
        .char_indices()
        .nth(pos.column.saturating_sub(1) as usize)
        .map(|(i, _)| i)
        .unwrap_or(line.len());
    let rest = &line[col_byte..];
    let len = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].find(q).map(|i| i + 2).unwrap_or(rest.len()),
        Some(_) => {
            let end = rest.find([',', ']', '}']).unwrap_or(rest.len());
            let end = rest[..end].find(" #").unwrap_or(end);
            rest[..end].trim_end().len()
        }
        None => 0,
    };
    let start = line_start + col_byte;
    Some(start..start + len.max(1).min(text.len().saturating_sub(start).max(1)))
}

/// Read and load one profile into the report: its text is kept for snippets, load errors become
/// findings, and a file that cannot be read as text counts as an input error.
fn load_into(report: &mut Report, path: &Path) -> Option<profile::Loaded> {
    let file = path.display().to_string();
    match crate::input::read_limited(path, profile::yaml::limits::MAX_FILE_BYTES as u64) {
        Ok(bytes) => {
            report
                .sources
                .insert(file.clone(), String::from_utf8_lossy(&bytes).into());
            match profile::load_bytes(&file, bytes) {
                Ok(loaded) => Some(loaded),
                Err(diags) => {
                    // a file that is not text is an input error, not a finding
                    if diags.iter().any(|d| d.rule == RuleId::CF001) {
                        report.unreadable += 1;
                    }
                    report.diagnostics.extend(diags);
                    None
                }
            }
        }
        Err(e) => {
            report.unreadable += 1;
            report.diagnostics.push(Diagnostic::new(
                RuleId::CF001,
                &file,
                Pos::default(),
                "",
                e.to_string(),
            ));
            None
        }
    }
}

/// Validate profiles at their own tier or at `customers`.
pub fn profiles(paths: &[PathBuf], customers: Option<u64>) -> Report {
    let mut report = Report::default();
    for path in paths {
        if let Some(loaded) = load_into(&mut report, path) {
            report
                .diagnostics
                .extend(lint::profile_findings(&loaded, customers));
        }
    }
    report.finish();
    report
}

/// What `validate --terraform` reads besides the module directory.
#[derive(Clone, Debug, Default)]
pub struct TerraformOptions {
    /// A profile: also report every difference from what it renders (and take its
    /// environment for the production rules).
    pub profile: Option<PathBuf>,
    /// Check the profile at N customers instead of its own.
    pub customers: Option<u64>,
    /// Root variables, as Terraform's `-var` and `-var-file`.
    pub inputs: crate::terraform::eval::Inputs,
    /// The JSON of `terraform show -json PLANFILE`: judge its resolved values.
    pub plan: Option<PathBuf>,
}

/// Validate a Terraform module directory; with a profile, also report drift against what the
/// profile renders (at its tier or at `customers`).
pub fn terraform(dir: &Path, profile_path: Option<&Path>, customers: Option<u64>) -> Report {
    terraform_with(
        Some(dir),
        &TerraformOptions {
            profile: profile_path.map(Path::to_path_buf),
            customers,
            ..TerraformOptions::default()
        },
    )
}

/// Validate a module directory, a saved plan, or both (the plan's findings then point at the
/// configuration that declares each resource).
pub fn terraform_with(dir: Option<&Path>, opts: &TerraformOptions) -> Report {
    // The profile is read, and what it renders found (from the module's manifest, or by
    // rendering it), on a thread of its own while the module is read and evaluated; the
    // module's rules need it only at the end (on two cores, a 1,000-table module with
    // --profile takes about a third less time).
    std::thread::scope(|s| {
        let profile = opts.profile.as_deref().map(|p| {
            s.spawn(move || {
                let mut report = Report::default();
                let loaded = load_into(&mut report, p);
                let expected = match (&loaded, dir) {
                    (Some(l), Some(dir)) => Some(drift::expected(l, dir, opts.customers)),
                    _ => None,
                };
                ProfileSide {
                    report,
                    loaded,
                    expected,
                }
            })
        });
        judge(dir, opts, move || {
            profile
                .map(|h| h.join().expect("reading the profile does not panic"))
                .unwrap_or_default()
        })
    })
}

/// What `--profile` contributes: its findings and source, the loaded profile, and what it
/// renders into the module directory.
#[derive(Default)]
struct ProfileSide {
    report: Report,
    loaded: Option<profile::Loaded>,
    expected: Option<drift::Expected>,
}

impl ProfileSide {
    /// Move the profile's findings and source into `report`.
    fn move_findings(&mut self, report: &mut Report) {
        let r = std::mem::take(&mut self.report);
        report.diagnostics.extend(r.diagnostics);
        report.sources.extend(r.sources);
        report.unreadable += r.unreadable;
    }
}

/// [`terraform_with`] with the profile's side given by `profile` (called once, when needed).
fn judge(
    dir: Option<&Path>,
    opts: &TerraformOptions,
    profile: impl FnOnce() -> ProfileSide,
) -> Report {
    let mut report = Report::default();
    let mut profile = Some(profile);
    let mut side = move |report: &mut Report| -> ProfileSide {
        let mut side = profile.take().map(|f| f()).unwrap_or_default();
        side.move_findings(report);
        side
    };
    let t0 = std::time::Instant::now();
    let module = match dir.map(module::Module::read_dir) {
        None => None,
        Some(Ok(m)) => Some(std::rc::Rc::new(m)),
        Some(Err(d)) => {
            report.unreadable += 1;
            report.diagnostics.push(*d);
            side(&mut report);
            report.finish();
            return report;
        }
    };
    if let Some(m) = &module {
        for (file, text) in &m.sources {
            report.sources.insert(file.clone(), text.clone());
        }
        // a file that is not text is an input error, as for profiles
        report.unreadable += m
            .syntax_errors
            .iter()
            .filter(|d| d.rule == RuleId::CF001)
            .count();
        report.diagnostics.extend(m.syntax_errors.iter().cloned());
    }
    let plan = match &opts.plan {
        None => None,
        Some(p) => match crate::terraform::plan::read(p, module.as_deref().zip(dir)) {
            Ok(plan) => {
                report
                    .sources
                    .insert(p.display().to_string(), plan.text.as_str().into());
                Some(plan)
            }
            Err(d) => {
                report.unreadable += 1;
                report.diagnostics.push(*d);
                side(&mut report);
                report.finish();
                return report;
            }
        },
    };
    crate::timing::log("validate", "read and parse", t0);
    let t0 = std::time::Instant::now();
    let outcome = match (&module, dir) {
        (Some(m), Some(dir)) => Some(crate::terraform::eval::evaluate(
            m.clone(),
            dir,
            &opts.inputs,
        )),
        _ => None,
    };
    crate::timing::log("validate", "evaluate", t0);
    let t0 = std::time::Instant::now();
    let mut modules: Vec<&module::Module> = Vec::new();
    if let Some(m) = &module {
        modules.push(m);
    }
    if let Some(o) = &outcome {
        report.unreadable += o
            .findings
            .iter()
            .filter(|d| d.rule == RuleId::CF001)
            .count();
        report.diagnostics.extend(o.findings.iter().cloned());
        for (_, child) in &o.child_modules {
            for (file, text) in &child.sources {
                report.sources.insert(file.clone(), text.clone());
            }
            modules.push(child);
        }
    }
    let plan_module;
    if let Some(p) = &plan {
        for (_, child) in &p.modules {
            for (file, text) in &child.sources {
                report.sources.insert(file.clone(), text.clone());
            }
            modules.push(child);
        }
        plan_module = p.locator_module();
        modules.push(&plan_module);
    }
    let locator = module::Locator::new(modules.iter().copied());
    let evaluated = match (&plan, &outcome) {
        (Some(p), _) => Some(&p.evaluated),
        (None, Some(o)) => Some(&o.evaluated),
        (None, None) => None,
    };
    let side = side(&mut report);
    let loaded = side.loaded.as_ref();
    let production =
        loaded.map(|l| l.profile.environment == profile::model::Environment::Production);
    if let Some(ev) = evaluated {
        // source rules read the module's files (the plan file is not HCL)
        let source_modules: Vec<&module::Module> = modules
            .iter()
            .copied()
            .filter(|m| m.dir.is_some() || !m.blocks.is_empty())
            .collect();
        report
            .diagnostics
            .extend(module::rules(&locator, &source_modules, ev, production));
    }
    crate::timing::log("validate", "rules", t0);
    let t0 = std::time::Instant::now();
    if let (Some(expected), Some(m), Some(l)) = (side.expected, &module, loaded) {
        report
            .diagnostics
            .extend(drift::drift_expected(m, expected, l, opts.customers));
    }
    crate::timing::log("validate", "drift", t0);
    report.finish();
    report
}
