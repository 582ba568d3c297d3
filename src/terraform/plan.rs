//! The JSON of `terraform show -json PLANFILE`: every value resolved by Terraform itself.
//! `planned_values` gives each instance's attributes (nested blocks as lists of objects),
//! `resource_changes[].change.after_unknown` what stays unknown until apply, `variables` the
//! root variables, and `configuration` each module call's source, so that with the module
//! directory at hand a finding points at the block that declares the resource (and reads its
//! `lifecycle`, which the plan does not carry).

use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

use serde_json::Value as Json;

use super::eval::ignore_changes;
use super::model::{
    Blocks, ENVIRONMENT_KEYS, Evaluated, Field, IgnoreChanges, Instance, Loc, Obj,
    is_production_name, tags_say_production,
};
use super::source::{Module, TopBlock, line_starts};
use crate::diag::Diagnostic;
use crate::profile::yaml::Pos;
use crate::rules::RuleId;

/// A plan, read.
#[derive(Debug)]
pub struct Plan {
    /// The plan file as given.
    pub file: String,
    /// Its text.
    pub text: String,
    /// What it creates or keeps.
    pub evaluated: Evaluated,
    /// Child modules read to locate findings (directory → module).
    pub modules: Vec<(String, Rc<Module>)>,
}

impl Plan {
    /// A module holding just the plan's text, so that findings can be located in it.
    pub fn locator_module(&self) -> Module {
        let mut m = Module::default();
        m.lines.insert(self.file.clone(), line_starts(&self.text));
        m.sources
            .insert(self.file.clone(), self.text.as_str().into());
        m
    }
}

fn input_error(file: &str, message: String) -> Box<Diagnostic> {
    Box::new(Diagnostic::new(
        RuleId::CF001,
        file,
        Pos::default(),
        "",
        message,
    ))
}

/// Where the configuration of a module path is: its directory and parsed source.
struct Sources {
    by_prefix: HashMap<String, Rc<Module>>,
    modules: Vec<(String, Rc<Module>)>,
}

impl Sources {
    fn walk(&mut self, prefix: &str, dir: &Path, config: &Json, depth: usize) {
        let Some(calls) = config.get("module_calls").and_then(Json::as_object) else {
            return;
        };
        for (name, call) in calls {
            let Some(source) = call.get("source").and_then(Json::as_str) else {
                continue;
            };
            if !super::eval::is_local_source(source) || depth > 16 {
                continue;
            }
            let child_dir = super::eval::normalize(&dir.join(source));
            let Ok(m) = Module::read_dir(&child_dir) else {
                continue;
            };
            let m = Rc::new(m);
            let p = format!("{prefix}module.{name}.");
            self.modules
                .push((child_dir.display().to_string(), m.clone()));
            self.by_prefix.insert(p.clone(), m);
            if let Some(inner) = call.get("module") {
                self.walk(&p, &child_dir, inner, depth + 1);
            }
        }
    }
}

/// Drop instance keys from a module path: `module.a["x"].module.b[0].` → `module.a.module.b.`.
fn strip_keys(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    let mut in_str = false;
    let mut prev = '\0';
    for c in path.chars() {
        match c {
            '"' if depth > 0 && prev != '\\' => in_str = !in_str,
            '[' if !in_str => depth += 1,
            ']' if !in_str => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
        prev = c;
    }
    out
}

/// Read a plan's JSON; `source` is the module directory and its parsed root, when given.
pub fn read(path: &Path, source: Option<(&Module, &Path)>) -> Result<Plan, Box<Diagnostic>> {
    let file = path.display().to_string();
    let bytes = crate::input::read_limited(path, super::source::MAX_TF_FILE_BYTES)
        .map_err(|e| input_error(&file, e.to_string()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| input_error(&file, "the plan is not UTF-8 text".into()))?;
    let json: Json = serde_json::from_str(&text).map_err(|e| {
        Box::new(Diagnostic::new(
            RuleId::CF001,
            &file,
            Pos {
                line: e.line() as u64,
                column: e.column() as u64,
            },
            "",
            format!("not the JSON of `terraform show -json PLANFILE`: {e}"),
        ))
    })?;
    let Some(root) = json.pointer("/planned_values/root_module") else {
        return Err(input_error(
            &file,
            "no `planned_values` in this JSON: give the output of `terraform show -json PLANFILE`"
                .into(),
        ));
    };
    let mut sources = Sources {
        by_prefix: HashMap::new(),
        modules: vec![],
    };
    if let Some((m, dir)) = source {
        sources.by_prefix.insert(String::new(), Rc::new(m.clone()));
        if let Some(cfg) = json.pointer("/configuration/root_module") {
            sources.walk("", dir, cfg, 0);
        }
    }
    let mut unknown: HashMap<&str, &Json> = HashMap::new();
    for rc in json
        .get("resource_changes")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(a), Some(u)) = (
            rc.get("address").and_then(Json::as_str),
            rc.pointer("/change/after_unknown"),
        ) {
            unknown.insert(a, u);
        }
    }
    let mut configured: HashMap<String, &Json> = HashMap::new();
    if let Some(cfg) = json.pointer("/configuration/root_module") {
        collect_config("", cfg, &mut configured);
    }
    let mut evaluated = Evaluated::default();
    let mut stack = vec![root];
    let mut cursor = 0usize;
    while let Some(m) = stack.pop() {
        for r in m
            .get("resources")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(address), Some(ty), Some(name)) = (
                r.get("address").and_then(Json::as_str),
                r.get("type").and_then(Json::as_str),
                r.get("name").and_then(Json::as_str),
            ) else {
                continue;
            };
            if r.get("mode").and_then(Json::as_str) != Some("managed")
                || !super::eval::JUDGED.contains(&ty)
            {
                continue;
            }
            let module = r
                .get("address")
                .and_then(Json::as_str)
                .and_then(|a| a.rfind(&format!("{ty}.{name}")).map(|i| &a[..i]))
                .unwrap_or("")
                .to_owned();
            let module_key = strip_keys(&module);
            let block = sources.by_prefix.get(&module_key).and_then(|src| {
                src.blocks
                    .iter()
                    .find(|b| b.kind == "resource" && b.labels == [ty, name])
                    .map(|b| (src.clone(), b.clone()))
            });
            // located in the plan file when the configuration is not at hand
            let quoted = serde_json::to_string(address).unwrap_or_default();
            let at = text[cursor..]
                .find(&quoted)
                .map(|i| cursor + i)
                .or_else(|| text.find(&quoted));
            if let Some(a) = at {
                cursor = a;
            }
            let plan_loc = Loc {
                file: file.as_str().into(),
                span: at.map(|a| a..a + quoted.len()),
            };
            let config_key = format!("{module_key}{ty}.{name}");
            let config = configured.get(&config_key).copied();
            let values = r.get("values").cloned().unwrap_or(Json::Null);
            let obj = obj_of(
                &values,
                unknown.get(address).copied(),
                config.and_then(|c| c.get("expressions")),
                block.as_ref().map(|(_, b)| b),
                &plan_loc,
            );
            let refers_to = config
                .map(|c| references(c, &module_key))
                .unwrap_or_default();
            evaluated.instances.push(Instance {
                address: address.to_owned(),
                block_address: format!("{module_key}{ty}.{name}"),
                module: module_key.clone(),
                ty: ty.to_owned(),
                name: name.to_owned(),
                obj,
                ignore_changes: block
                    .as_ref()
                    .map(|(_, b)| ignore_changes(&b.block.body))
                    .unwrap_or(IgnoreChanges::Unknown),
                ignores: block
                    .as_ref()
                    .map(|(_, b)| b.ignores.clone())
                    .unwrap_or_default(),
                certain: true,
                refers_to,
            });
        }
        if let Some(children) = m.get("child_modules").and_then(Json::as_array) {
            stack.extend(children.iter().rev());
        }
    }
    evaluated.production = variables_production(json.get("variables"));
    Ok(Plan {
        file,
        text,
        evaluated,
        modules: sources.modules,
    })
}

fn collect_config<'a>(prefix: &str, cfg: &'a Json, out: &mut HashMap<String, &'a Json>) {
    for r in cfg
        .get("resources")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(a) = r.get("address").and_then(Json::as_str) {
            out.insert(format!("{prefix}{a}"), r);
        }
    }
    if let Some(calls) = cfg.get("module_calls").and_then(Json::as_object) {
        for (name, call) in calls {
            if let Some(inner) = call.get("module") {
                collect_config(&format!("{prefix}module.{name}."), inner, out);
            }
        }
    }
}

/// Block addresses of the resources a configured resource's expressions refer to.
fn references(config: &Json, prefix: &str) -> Vec<String> {
    fn walk(v: &Json, prefix: &str, out: &mut Vec<String>) {
        match v {
            Json::Object(o) => {
                for (k, x) in o {
                    if k == "references"
                        && let Some(refs) = x.as_array()
                    {
                        for r in refs.iter().filter_map(Json::as_str) {
                            let plain = strip_keys(r);
                            let mut it = plain.split('.');
                            if let (Some(t), Some(n)) = (it.next(), it.next())
                                && t.starts_with("aws_")
                            {
                                out.push(format!("{prefix}{t}.{n}"));
                            }
                        }
                    } else {
                        walk(x, prefix, out);
                    }
                }
            }
            Json::Array(a) => a.iter().for_each(|x| walk(x, prefix, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(config, prefix, &mut out);
    out.sort();
    out.dedup();
    out
}

fn variables_production(vars: Option<&Json>) -> Option<bool> {
    let vars = vars?.as_object()?;
    let mut verdict = None;
    for (name, v) in vars {
        let Some(value) = v.get("value") else {
            continue;
        };
        let lower = name.to_ascii_lowercase();
        if ENVIRONMENT_KEYS.contains(&lower.as_str())
            && let Some(s) = value.as_str()
        {
            verdict = Some(verdict.unwrap_or(false) || is_production_name(s));
        }
        if lower.ends_with("tags")
            && let Ok(h) = hcl::to_value(value)
            && let Some(p) = tags_say_production(&h)
        {
            verdict = Some(verdict.unwrap_or(false) || p);
        }
    }
    verdict
}

fn is_block_list(v: &Json) -> bool {
    v.as_array().is_some_and(|a| a.iter().all(Json::is_object))
        && !v.as_array().is_some_and(Vec::is_empty)
}

/// One instance's values as an [`Obj`]; `unknown` is its `after_unknown`, `expressions` its
/// configuration, `block` its source block (for locations).
fn obj_of(
    values: &Json,
    unknown: Option<&Json>,
    expressions: Option<&Json>,
    block: Option<&TopBlock>,
    plan_loc: &Loc,
) -> Obj {
    let src = block.map(|b| (&b.file, &b.block));
    body_obj(values, unknown, expressions, src, plan_loc)
}

fn body_obj(
    values: &Json,
    unknown: Option<&Json>,
    expressions: Option<&Json>,
    src: Option<(&String, &super::syntax::Block)>,
    plan_loc: &Loc,
) -> Obj {
    let loc_of = |name: Option<&str>| -> Loc {
        match src {
            Some((file, block)) => Loc {
                file: file.as_str().into(),
                span: name
                    .and_then(|n| block.body.get_attribute(n))
                    .and_then(|a| a.value_span.clone())
                    .or_else(|| block.span.clone()),
            },
            None => plan_loc.clone(),
        }
    };
    let mut obj = Obj {
        loc: loc_of(None),
        ..Obj::default()
    };
    let Some(values) = values.as_object() else {
        return obj;
    };
    let unknown_of = |k: &str| unknown.and_then(|u| u.get(k));
    let configured = |k: &str| expressions.is_some_and(|e| e.get(k).is_some());
    for (k, v) in values {
        if is_block_list(v) {
            // nested blocks written literally line up with the plan's list; a `dynamic` block
            // stands for any number of them, located at the block it is written in
            let nested_src: Vec<_> = src
                .map(|(f, b)| b.body.get_blocks(k).map(|nb| (f, nb)).collect())
                .unwrap_or_default();
            let dynamic = src.and_then(|(f, b)| {
                b.body
                    .get_blocks("dynamic")
                    .find(|d| d.labels.first().map(String::as_str) == Some(k))
                    .map(|d| (f, d.body.get_blocks("content").next().unwrap_or(d)))
            });
            let list = v
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, x)| {
                    let u = unknown_of(k).and_then(|u| u.get(i));
                    let e = expressions.and_then(|e| e.get(k)).and_then(|e| e.get(i));
                    let s = nested_src.get(i).copied().or(dynamic).or(src);
                    body_obj(x, u, e, s, plan_loc)
                })
                .collect();
            obj.blocks.insert(k.clone(), Blocks::Known(list));
        } else if v.as_array().is_some_and(Vec::is_empty) && is_block_name(k) {
            obj.blocks.insert(k.clone(), Blocks::Known(vec![]));
        } else {
            obj.attrs.insert(
                k.clone(),
                Field {
                    value: hcl::to_value(v).ok(),
                    loc: loc_of(Some(k)),
                },
            );
        }
    }
    if let Some(Json::Object(u)) = unknown {
        for (k, x) in u {
            if x != &Json::Bool(true) || values.contains_key(k) {
                continue;
            }
            if is_block_name(k) {
                // a computed block the configuration does not set: the provider's default
                // (point-in-time recovery, TTL off) is what apply creates
                let b = if configured(k) {
                    Blocks::Unknown
                } else {
                    Blocks::Known(vec![])
                };
                obj.blocks.insert(k.clone(), b);
            } else {
                obj.attrs.insert(
                    k.clone(),
                    Field {
                        value: None,
                        loc: loc_of(Some(k)),
                    },
                );
            }
        }
    }
    obj
}

fn is_block_name(k: &str) -> bool {
    // the nested block types `.tf.json` reading knows, and the computed ones of the plan
    super::json::BLOCKS.contains(&k) || k == "suspended_state"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_dropped_from_module_paths() {
        assert_eq!(
            strip_keys("module.a[\"x]\"].module.b[0]."),
            "module.a.module.b."
        );
    }
}
