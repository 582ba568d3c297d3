//! What the evaluator (or a saved plan) says a module creates: resource instances, each with
//! its attributes and nested blocks, every value either known or unknown, and where it is
//! written. The module rules judge this, whichever of the two built it.

use std::ops::Range;

use hcl::Value;

/// Where a value or block is written: a file and a byte span in it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loc {
    /// File name, as the module was read (shared: every field of a block is in its file).
    pub file: std::rc::Rc<str>,
    /// Byte span, when known.
    pub span: Option<Range<usize>>,
}

/// One attribute: its value (`None`: unknown until apply) and where it is written.
#[derive(Clone, Debug)]
pub struct Field {
    /// The value, when it can be known.
    pub value: Option<Value>,
    /// Where it is written.
    pub loc: Loc,
}

/// A nested block type's instances: known, or unknown (a `dynamic` block over an unknown
/// collection).
#[derive(Clone, Debug)]
pub enum Blocks {
    /// These blocks.
    Known(Vec<Obj>),
    /// Some blocks, which cannot be known.
    Unknown,
}

/// Entries by name, in the order first inserted. A body has a handful of attributes and
/// block types, and a module tens of thousands of bodies: a vector searched in order takes a
/// fraction of a hash map's memory and is as fast at this size.
#[derive(Clone, Debug)]
pub struct Named<T>(Vec<(String, T)>);

impl<T> Default for Named<T> {
    fn default() -> Self {
        Named(Vec::new())
    }
}

impl<T> Named<T> {
    /// The entry with this name.
    pub fn get(&self, name: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Set an entry, in place of one of the same name.
    pub fn insert(&mut self, name: String, value: T) {
        match self.0.iter_mut().find(|(k, _)| *k == name) {
            Some((_, v)) => *v = value,
            None => self.0.push((name, value)),
        }
    }

    /// The entry with this name, inserted with `make` when missing.
    pub fn get_or_insert_with(&mut self, name: &str, make: impl FnOnce() -> T) -> &mut T {
        let i = match self.0.iter().position(|(k, _)| k == name) {
            Some(i) => i,
            None => {
                self.0.push((name.to_owned(), make()));
                self.0.len() - 1
            }
        };
        &mut self.0[i].1
    }

    /// Every entry, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &T)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<'a, T> IntoIterator for &'a Named<T> {
    type Item = (&'a String, &'a T);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, T)>,
        fn(&'a (String, T)) -> (&'a String, &'a T),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

/// A body: attributes and nested blocks.
#[derive(Clone, Debug, Default)]
pub struct Obj {
    /// Attributes by name.
    pub attrs: Named<Field>,
    /// Nested blocks by type.
    pub blocks: Named<Blocks>,
    /// Where the body is written.
    pub loc: Loc,
}

/// An attribute as a rule sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val<'a> {
    /// Not set (null counts as not set, as Terraform treats it).
    Absent,
    /// Set, but not known before apply.
    Unknown,
    /// Known.
    Known(&'a Value),
}

impl<'a> Val<'a> {
    /// The string, when known to be one (numbers and bools as Terraform converts them).
    pub fn str(self) -> Option<String> {
        match self {
            Val::Known(Value::String(s)) => Some(s.clone()),
            Val::Known(Value::Number(n)) => Some(n.to_string()),
            Val::Known(Value::Bool(b)) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The number, when known to be one.
    pub fn num(self) -> Option<f64> {
        match self {
            Val::Known(Value::Number(n)) => n.as_f64(),
            Val::Known(Value::String(s)) => s.parse().ok(),
            _ => None,
        }
    }

    /// The bool, when known to be one.
    pub fn bool(self) -> Option<bool> {
        match self {
            Val::Known(Value::Bool(b)) => Some(*b),
            Val::Known(Value::String(s)) if s == "true" || s == "false" => Some(s == "true"),
            _ => None,
        }
    }

    /// Whether the value is unknown.
    pub fn is_unknown(self) -> bool {
        self == Val::Unknown
    }
}

impl Obj {
    /// An attribute.
    pub fn get(&self, name: &str) -> Val<'_> {
        match self.attrs.get(name) {
            None => Val::Absent,
            Some(Field { value: None, .. }) => Val::Unknown,
            Some(Field {
                value: Some(Value::Null),
                ..
            }) => Val::Absent,
            Some(Field { value: Some(v), .. }) => Val::Known(v),
        }
    }

    /// Where an attribute is written, else where the body is.
    pub fn loc_of(&self, name: &str) -> &Loc {
        self.attrs.get(name).map(|f| &f.loc).unwrap_or(&self.loc)
    }

    /// The nested blocks of a type: `Some(&[])` when there are none, `None` when unknown.
    pub fn blocks(&self, name: &str) -> Option<&[Obj]> {
        match self.blocks.get(name) {
            None => Some(&[]),
            Some(Blocks::Known(b)) => Some(b),
            Some(Blocks::Unknown) => None,
        }
    }
}

/// `lifecycle { ignore_changes = … }` as read.
#[derive(Clone, Debug, PartialEq)]
pub enum IgnoreChanges {
    /// `ignore_changes = all`.
    All,
    /// The attributes named (their first step: `global_secondary_index` for any path into it).
    Attrs(Vec<String>),
    /// Not readable (an expression capform does not know), or not in the source (a plan).
    Unknown,
}

impl IgnoreChanges {
    /// Whether an attribute is ignored: `None` when it cannot be known.
    pub fn covers(&self, attr: &str) -> Option<bool> {
        match self {
            IgnoreChanges::All => Some(true),
            IgnoreChanges::Attrs(a) => Some(a.iter().any(|x| x == attr)),
            IgnoreChanges::Unknown => None,
        }
    }
}

/// One resource instance.
#[derive(Clone, Debug)]
pub struct Instance {
    /// Its address: `module.orders.aws_dynamodb_table.this["events"]`.
    pub address: String,
    /// The address of its block: `module.orders.aws_dynamodb_table.this`.
    pub block_address: String,
    /// The module path it belongs to: `module.orders.` (empty at the root).
    pub module: String,
    /// Resource type.
    pub ty: String,
    /// Resource name.
    pub name: String,
    /// Its body, evaluated.
    pub obj: Obj,
    /// Its `lifecycle.ignore_changes`.
    pub ignore_changes: IgnoreChanges,
    /// Rules silenced by `# capform:ignore` above its block.
    pub ignores: Vec<String>,
    /// Whether it certainly exists (false when its `count` or `for_each` is unknown: it stands
    /// for instances that may or may not be there).
    pub certain: bool,
    /// Block addresses of the resources its expressions refer to.
    pub refers_to: Vec<String>,
}

impl Instance {
    /// Whether a rule is silenced for this instance.
    pub fn ignores(&self, rule: &str) -> bool {
        self.ignores.iter().any(|i| i == rule)
    }
}

/// What a module creates, as far as it can be known.
#[derive(Clone, Debug, Default)]
pub struct Evaluated {
    /// Instances of the resource types the rules judge, module by module.
    pub instances: Vec<Instance>,
    /// Whether the configuration says it is for production (root variables such as
    /// `environment`, a `tags` default, provider default tags): `None` when nothing says.
    pub production: Option<bool>,
    /// Tags every resource of the root module gets from `provider "aws" { default_tags }`.
    pub default_tags: Option<Value>,
    /// Module calls not followed (registry, git): they may create targets and alarms.
    pub opaque: Vec<Opaque>,
}

/// A module call capform does not follow (its source is not a local directory).
#[derive(Clone, Debug)]
pub struct Opaque {
    /// Its address.
    pub address: String,
    /// Block addresses of the tables its inputs refer to.
    pub refers_to: Vec<String>,
    /// Whether its source or inputs speak of DynamoDB tables at all.
    pub mentions_tables: bool,
}

/// Values that mean production in an environment tag or variable. Exact matches only:
/// `non-prod`, `preprod` and `production-like` do not.
pub const PRODUCTION_NAMES: &[&str] = &["production", "prod", "prd", "live"];

/// Names of tags and variables that say which environment a module is for.
pub const ENVIRONMENT_KEYS: &[&str] = &[
    "environment",
    "env",
    "stage",
    "environment_name",
    "env_name",
];

/// Whether an environment value means production.
pub fn is_production_name(v: &str) -> bool {
    PRODUCTION_NAMES
        .iter()
        .any(|p| p.eq_ignore_ascii_case(v.trim()))
}

/// What a tag map says of production: `Some(true)` when an environment tag is a production
/// name, `Some(false)` when it is another, `None` when no environment tag is known.
pub fn tags_say_production(tags: &Value) -> Option<bool> {
    let Value::Object(o) = tags else { return None };
    o.iter()
        .find(|(k, _)| ENVIRONMENT_KEYS.iter().any(|e| e.eq_ignore_ascii_case(k)))
        .and_then(|(_, v)| v.as_str())
        .map(is_production_name)
}
