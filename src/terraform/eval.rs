//! Static evaluation of a module, as far as Terraform's values can be known before `plan`.
//!
//! Known: variable defaults, `terraform.tfvars`, `*.auto.tfvars` (and their `.json` forms),
//! `-var-file` and `-var` values (in Terraform's order of precedence), converted to the
//! variable's type (optional attributes take their defaults); locals; `count` and `for_each`
//! instances with `count.index`, `each.key` and `each.value`; `dynamic` blocks; string templates;
//! conditionals, `for` expressions, operators and the functions of [`super::funcs`]; references
//! between resources (to the attributes their configuration sets, and `id` where the provider
//! defines it from them); `path.module`; local child modules (`source = "./…"`) with their
//! inputs and outputs.
//!
//! Unknown: data sources, attributes only the provider computes (`arn`, `stream_arn`, …),
//! variables without a default or a value, `terraform.workspace`, `self`, remote modules, and
//! anything that depends on an unknown value. An expression is unknown as soon as the branch
//! it takes needs an unknown value: a conditional whose condition is known takes its branch,
//! `try` and `can` are unknown when the argument they would fall past is unknown.
//!
//! How: references are resolved by capform (it knows the module's structure: which instance,
//! which attribute, which child module), each replaced in the expression by the literal value
//! it resolves to, or by a poison variable that no context declares when it cannot be known.
//! hcl-rs (`hcl::eval`) then evaluates what remains; reaching a poison is an evaluation error,
//! which reads as "unknown". Every value is computed once (memoised), so a module is evaluated
//! in time linear in its size.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl::eval::{ErrorKind, Evaluate};
use hcl::expr::{
    BinaryOp, Conditional, ForExpr, FuncCall, Operation, TemplateExpr, Traversal,
    TraversalOperator, UnaryOp,
};
use hcl::template::{Directive, Element, Template};
use hcl::{Expression, ObjectKey, Value};
use indexmap::IndexMap;

use super::model::{
    Blocks, Evaluated, Field, IgnoreChanges, Instance, Loc, Obj, is_production_name,
    tags_say_production,
};
use super::source::{Block, Body, Module, TopBlock};
use super::types;
use crate::diag::Diagnostic;

/// Stands for a value that cannot be known before apply.
const UNKNOWN: &str = "__capform_unknown__";
/// Stands for a reference Terraform would refuse (a key a known map does not have).
const INVALID: &str = "__capform_invalid__";

/// The resource types whose instances the rules judge.
pub const JUDGED: &[&str] = &[
    "aws_dynamodb_table",
    "aws_appautoscaling_target",
    "aws_appautoscaling_policy",
    "aws_cloudwatch_metric_alarm",
];

/// The attributes the module rules read: the instances they judge carry only these, so that
/// 10,000 alarms are not evaluated attribute by attribute for nothing. (A reference from one
/// resource to another still evaluates whatever it names.)
pub const RULE_ATTRS: &[&str] = &[
    "name",
    "billing_mode",
    "tags",
    "tags_all",
    "enabled",
    "resource_id",
    "scalable_dimension",
    "policy_type",
    "namespace",
    "metric_name",
    "dimensions",
    "period",
    "statistic",
    "extended_statistic",
    "stat",
    "evaluation_periods",
];

/// The most instances one evaluation expands (ten times the largest module the benchmark
/// reads); past it, `count` and `for_each` are unknown and the rules say nothing of them.
pub const MAX_INSTANCES: u64 = 200_000;

/// Values given to the root module, as on Terraform's command line.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// `-var NAME=VALUE`, in order.
    pub vars: Vec<(String, String)>,
    /// `-var-file FILE`, in order.
    pub var_files: Vec<PathBuf>,
}

/// An instance key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    /// A block without `count` or `for_each`.
    None,
    /// `count.index`.
    Int(u64),
    /// `each.key`.
    Str(String),
}

impl Key {
    /// The address suffix: `""`, `[0]`, `["a"]`.
    pub fn suffix(&self) -> String {
        match self {
            Key::None => String::new(),
            Key::Int(i) => format!("[{i}]"),
            Key::Str(s) => format!("[{}]", serde_json::to_string(s).unwrap_or_default()),
        }
    }
}

/// Names bound while evaluating: `each`, `count`, `dynamic` iterators.
type Env = Vec<(String, Value)>;

/// The instances of a block: their keys and what each binds.
struct Instances {
    counted: bool,
    for_each: bool,
    list: IndexMap<Key, Env>,
}

/// A module instance being evaluated.
struct Scope {
    id: usize,
    module: Rc<Module>,
    dir: PathBuf,
    prefix: String,
    depth: usize,
    parent: Option<usize>,
    vars: HashMap<String, Option<Value>>,
    locals: HashMap<String, usize>,
    resources: HashMap<(String, String), usize>,
    calls: HashMap<String, usize>,
    outputs: HashMap<String, usize>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Memo {
    Local(usize, String),
    Output(usize, String),
    Attr(usize, usize, Key, String),
    Whole(usize, usize, Key),
    Collection(usize, usize),
}

enum Slot {
    Busy,
    Done(Option<Rc<Value>>),
}

/// What a reference resolves to.
enum Resolved {
    /// A value, and how many traversal operators it consumed.
    Value(Rc<Value>, usize, bool),
    Unknown,
    Invalid,
    /// Not a module reference (a `for` variable, a type keyword): left to hcl-rs.
    Keep,
}

/// A block of a scope: (scope id, block index).
type BlockId = (usize, usize);
/// A module call's instances: their keys and scope ids.
type Children = Vec<(Key, usize)>;

/// The evaluator: scopes (the root module and every child module instance) and memos.
pub struct Evaluator {
    scopes: RefCell<Vec<Rc<Scope>>>,
    memo: RefCell<HashMap<Memo, Slot>>,
    instances: RefCell<HashMap<BlockId, Option<Rc<Instances>>>>,
    children: RefCell<HashMap<BlockId, Option<Rc<Children>>>>,
    modules: RefCell<HashMap<PathBuf, Rc<Module>>>,
    /// How many more instances (`count`, `for_each`, child module instances) may be expanded:
    /// beyond [`MAX_INSTANCES`] they are unknown, so that no configuration can make validation
    /// run away.
    budget: std::cell::Cell<u64>,
    /// Findings met on the way: child modules that do not parse, unreadable var files.
    pub findings: RefCell<Vec<Diagnostic>>,
    /// Parsed child modules, by directory, for the rules that read source.
    pub child_modules: RefCell<Vec<(String, Rc<Module>)>>,
}

fn poison(name: &str) -> Expression {
    Expression::Variable(hcl::expr::Variable::unchecked(name))
}

fn is_poison(e: &hcl::eval::Error, name: &str) -> bool {
    matches!(e.kind(), ErrorKind::UndefinedVar(v) if v.as_str() == name)
}

fn env_get<'a>(env: &'a Env, name: &str) -> Option<&'a Value> {
    env.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v)
}

const META: &[&str] = &[
    "count",
    "for_each",
    "provider",
    "depends_on",
    "source",
    "version",
    "providers",
];

impl Evaluator {
    fn new() -> Evaluator {
        Evaluator {
            scopes: RefCell::new(vec![]),
            memo: RefCell::new(HashMap::new()),
            instances: RefCell::new(HashMap::new()),
            children: RefCell::new(HashMap::new()),
            budget: std::cell::Cell::new(MAX_INSTANCES),
            modules: RefCell::new(HashMap::new()),
            findings: RefCell::new(vec![]),
            child_modules: RefCell::new(vec![]),
        }
    }

    /// Take `n` instances from the budget; `None` (unknown instances) when it is spent.
    fn spend(&self, n: u64) -> Option<()> {
        let left = self.budget.get();
        if n > left {
            return None;
        }
        self.budget.set(left - n);
        Some(())
    }

    fn scope(&self, id: usize) -> Rc<Scope> {
        self.scopes.borrow()[id].clone()
    }

    /// Register a module instance with its variables' values.
    fn add_scope(
        &self,
        module: Rc<Module>,
        dir: PathBuf,
        prefix: String,
        parent: Option<usize>,
        given: HashMap<String, Option<Value>>,
    ) -> usize {
        let depth = parent.map(|p| self.scope(p).depth + 1).unwrap_or(0);
        let mut vars = HashMap::new();
        let mut locals = HashMap::new();
        let mut resources = HashMap::new();
        let mut calls = HashMap::new();
        let mut outputs = HashMap::new();
        for (i, b) in module.blocks.iter().enumerate() {
            match (b.kind.as_str(), b.labels.as_slice()) {
                ("variable", [name]) => {
                    let ty = b
                        .block
                        .body
                        .get_attribute("type")
                        .map(|a| types::parse(&a.value))
                        .unwrap_or(types::Type::Any);
                    let value = match given.get(name) {
                        Some(v) => v.clone(),
                        None => match b.block.body.get_attribute("default") {
                            Some(d) => types::literal(&d.value),
                            None => None,
                        },
                    };
                    vars.insert(name.clone(), value.map(|v| types::convert(v, &ty)));
                }
                ("locals", _) => {
                    for a in b.block.body.attributes() {
                        locals.insert(a.key.as_str().to_owned(), i);
                    }
                }
                ("resource", [ty, name]) => {
                    resources.insert((ty.clone(), name.clone()), i);
                }
                ("module", [name]) => {
                    calls.insert(name.clone(), i);
                }
                ("output", [name]) => {
                    outputs.insert(name.clone(), i);
                }
                _ => {}
            }
        }
        let mut scopes = self.scopes.borrow_mut();
        let id = scopes.len();
        scopes.push(Rc::new(Scope {
            id,
            module,
            dir,
            prefix,
            depth,
            parent,
            vars,
            locals,
            resources,
            calls,
            outputs,
        }));
        id
    }

    /// Run `f` once per memo key; a cycle reads as unknown.
    fn memo(&self, key: Memo, f: impl FnOnce() -> Option<Value>) -> Option<Rc<Value>> {
        match self.memo.borrow().get(&key) {
            Some(Slot::Done(v)) => return v.clone(),
            Some(Slot::Busy) => return None,
            None => {}
        }
        self.memo.borrow_mut().insert(key.clone(), Slot::Busy);
        let v = f().map(Rc::new);
        self.memo.borrow_mut().insert(key, Slot::Done(v.clone()));
        v
    }

    /// The value of a source expression in a scope, `None` when unknown.
    fn value(&self, sc: &Scope, e: &Expression, env: &Env) -> Option<Value> {
        self.eval(sc, e, env).ok()
    }

    fn eval(&self, sc: &Scope, e: &Expression, env: &Env) -> Result<Value, hcl::eval::Error> {
        let mut partial = false;
        let r = self.rewrite(sc, e, env, &mut vec![], &mut partial);
        r.evaluate(super::funcs::context())
    }

    /// The expression with every module reference replaced by its value or a poison.
    fn rewrite(
        &self,
        sc: &Scope,
        e: &Expression,
        env: &Env,
        bound: &mut Vec<String>,
        partial: &mut bool,
    ) -> Expression {
        match e {
            Expression::Null
            | Expression::Bool(_)
            | Expression::Number(_)
            | Expression::String(_) => e.clone(),
            Expression::Array(a) => Expression::Array(
                a.iter()
                    .map(|x| self.rewrite(sc, x, env, bound, partial))
                    .collect(),
            ),
            Expression::Object(o) => Expression::Object(
                o.iter()
                    .map(|(k, v)| {
                        let k = match k {
                            ObjectKey::Expression(ke) => {
                                ObjectKey::Expression(self.rewrite(sc, ke, env, bound, partial))
                            }
                            other => other.clone(),
                        };
                        (k, self.rewrite(sc, v, env, bound, partial))
                    })
                    .collect(),
            ),
            Expression::TemplateExpr(t) => self.template(sc, t, env, bound, partial),
            Expression::Variable(v) => self.reference(sc, v.as_str(), &[], env, bound, partial, e),
            Expression::Traversal(t) => match &t.expr {
                Expression::Variable(v) => {
                    self.reference(sc, v.as_str(), &t.operators, env, bound, partial, e)
                }
                inner => {
                    let inner = self.rewrite(sc, inner, env, bound, partial);
                    let ops = self.rewrite_ops(sc, &t.operators, env, bound, partial);
                    Expression::Traversal(Box::new(Traversal::new(inner, ops)))
                }
            },
            Expression::FuncCall(f) => {
                let name = f.name.name.as_str();
                if !f.name.is_namespaced() && (name == "try" || name == "can") {
                    return self.try_can(sc, f, env, bound, partial);
                }
                let mut f2 = (**f).clone();
                f2.args = f
                    .args
                    .iter()
                    .map(|x| self.rewrite(sc, x, env, bound, partial))
                    .collect();
                Expression::FuncCall(Box::new(f2))
            }
            Expression::Parenthesis(p) => {
                Expression::Parenthesis(Box::new(self.rewrite(sc, p, env, bound, partial)))
            }
            Expression::Conditional(c) => Expression::Conditional(Box::new(Conditional::new(
                self.rewrite(sc, &c.cond_expr, env, bound, partial),
                self.rewrite(sc, &c.true_expr, env, bound, partial),
                self.rewrite(sc, &c.false_expr, env, bound, partial),
            ))),
            Expression::Operation(op) => Expression::Operation(Box::new(match &**op {
                Operation::Unary(u) => Operation::Unary(UnaryOp::new(
                    u.operator,
                    self.rewrite(sc, &u.expr, env, bound, partial),
                )),
                Operation::Binary(b) => Operation::Binary(BinaryOp::new(
                    self.rewrite(sc, &b.lhs_expr, env, bound, partial),
                    b.operator,
                    self.rewrite(sc, &b.rhs_expr, env, bound, partial),
                )),
            })),
            Expression::ForExpr(f) => {
                let collection = self.rewrite(sc, &f.collection_expr, env, bound, partial);
                let n = bound.len();
                bound.extend(f.key_var.iter().map(|k| k.as_str().to_owned()));
                bound.push(f.value_var.as_str().to_owned());
                let mut f2 = ForExpr::new(
                    f.value_var.clone(),
                    collection,
                    self.rewrite(sc, &f.value_expr, env, bound, partial),
                );
                f2.key_var = f.key_var.clone();
                f2.key_expr = f
                    .key_expr
                    .as_ref()
                    .map(|k| self.rewrite(sc, k, env, bound, partial));
                f2.cond_expr = f
                    .cond_expr
                    .as_ref()
                    .map(|c| self.rewrite(sc, c, env, bound, partial));
                f2.grouping = f.grouping;
                bound.truncate(n);
                Expression::ForExpr(Box::new(f2))
            }
            other => other.clone(),
        }
    }

    fn rewrite_ops(
        &self,
        sc: &Scope,
        ops: &[TraversalOperator],
        env: &Env,
        bound: &mut Vec<String>,
        partial: &mut bool,
    ) -> Vec<TraversalOperator> {
        ops.iter()
            .map(|op| match op {
                TraversalOperator::Index(i) => {
                    TraversalOperator::Index(self.rewrite(sc, i, env, bound, partial))
                }
                other => other.clone(),
            })
            .collect()
    }

    /// A string template, its interpolations and directives rewritten.
    fn template(
        &self,
        sc: &Scope,
        t: &TemplateExpr,
        env: &Env,
        bound: &mut Vec<String>,
        partial: &mut bool,
    ) -> Expression {
        let Ok(mut tpl) = Template::from_expr(t) else {
            return poison(INVALID);
        };
        self.template_elements(sc, &mut tpl, env, bound, partial);
        Expression::TemplateExpr(Box::new(TemplateExpr::QuotedString(tpl.to_string())))
    }

    fn template_elements(
        &self,
        sc: &Scope,
        tpl: &mut Template,
        env: &Env,
        bound: &mut Vec<String>,
        partial: &mut bool,
    ) {
        for el in tpl.elements_mut() {
            match el {
                Element::Literal(_) => {}
                Element::Interpolation(i) => {
                    i.expr = self.rewrite(sc, &i.expr, env, bound, partial);
                }
                Element::Directive(d) => match &mut **d {
                    Directive::If(d) => {
                        d.cond_expr = self.rewrite(sc, &d.cond_expr, env, bound, partial);
                        self.template_elements(sc, &mut d.true_template, env, bound, partial);
                        if let Some(f) = &mut d.false_template {
                            self.template_elements(sc, f, env, bound, partial);
                        }
                    }
                    Directive::For(d) => {
                        d.collection_expr =
                            self.rewrite(sc, &d.collection_expr, env, bound, partial);
                        let n = bound.len();
                        bound.extend(d.key_var.iter().map(|k| k.as_str().to_owned()));
                        bound.push(d.value_var.as_str().to_owned());
                        self.template_elements(sc, &mut d.template, env, bound, partial);
                        bound.truncate(n);
                    }
                },
            }
        }
    }

    /// `try` and `can`, whose arguments Terraform evaluates one by one: an argument that fails
    /// for a reason (a missing key) is passed over; one that is unknown makes the call unknown.
    fn try_can(
        &self,
        sc: &Scope,
        f: &FuncCall,
        env: &Env,
        bound: &mut Vec<String>,
        partial: &mut bool,
    ) -> Expression {
        let is_try = f.name.name.as_str() == "try";
        let args: Vec<Expression> = f
            .args
            .iter()
            .map(|x| self.rewrite(sc, x, env, bound, partial))
            .collect();
        if !bound.is_empty() || *partial {
            // inside a `for`, the arguments need its variables: leave the call to hcl-rs,
            // where any failing argument fails the call (unknown, never a wrong value)
            let mut f2 = f.clone();
            f2.args = args;
            return Expression::FuncCall(Box::new(f2));
        }
        for a in &args {
            match a.evaluate(super::funcs::context()) {
                Ok(v) => {
                    return if is_try {
                        Expression::from(v)
                    } else {
                        Expression::Bool(true)
                    };
                }
                Err(e) if is_poison(&e, UNKNOWN) => return poison(UNKNOWN),
                Err(_) => {}
            }
        }
        if is_try {
            poison(INVALID)
        } else {
            Expression::Bool(false)
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn reference(
        &self,
        sc: &Scope,
        root: &str,
        ops: &[TraversalOperator],
        env: &Env,
        bound: &mut Vec<String>,
        partial: &mut bool,
        original: &Expression,
    ) -> Expression {
        if bound.iter().any(|b| b == root) {
            return match original {
                Expression::Traversal(t) => Expression::Traversal(Box::new(Traversal::new(
                    t.expr.clone(),
                    self.rewrite_ops(sc, ops, env, bound, partial),
                ))),
                other => other.clone(),
            };
        }
        match self.resolve(sc, root, ops, env) {
            Resolved::Keep => match original {
                Expression::Traversal(t) => Expression::Traversal(Box::new(Traversal::new(
                    t.expr.clone(),
                    self.rewrite_ops(sc, ops, env, bound, partial),
                ))),
                other => other.clone(),
            },
            Resolved::Unknown => poison(UNKNOWN),
            Resolved::Invalid => poison(INVALID),
            Resolved::Value(v, used, is_partial) => {
                *partial |= is_partial;
                // navigate on through the value as far as the operators allow
                let mut cur: &Value = &v;
                let mut i = used;
                while i < ops.len() {
                    let next = match &ops[i] {
                        TraversalOperator::GetAttr(a) => match cur {
                            Value::Object(o) => match o.get(a.as_str()) {
                                Some(x) => Some(x),
                                None if is_partial => return poison(UNKNOWN),
                                None => return poison(INVALID),
                            },
                            _ => return poison(INVALID),
                        },
                        TraversalOperator::Index(ix) => match self.eval(sc, ix, env) {
                            Ok(k) => match index(cur, &k) {
                                Some(x) => Some(x),
                                None if is_partial => return poison(UNKNOWN),
                                None => return poison(INVALID),
                            },
                            Err(e) if is_poison(&e, UNKNOWN) => return poison(UNKNOWN),
                            Err(_) => None,
                        },
                        TraversalOperator::LegacyIndex(n) => match cur {
                            Value::Array(a) => match a.get(*n as usize) {
                                Some(x) => Some(x),
                                None => return poison(INVALID),
                            },
                            _ => return poison(INVALID),
                        },
                        _ => None,
                    };
                    match next {
                        Some(x) => {
                            cur = x;
                            i += 1;
                        }
                        None => break,
                    }
                }
                let lit = Expression::from(cur.clone());
                if i == ops.len() {
                    lit
                } else {
                    let rest = self.rewrite_ops(sc, &ops[i..], env, bound, partial);
                    Expression::Traversal(Box::new(Traversal::new(lit, rest)))
                }
            }
        }
    }

    /// Resolve the start of a reference: a root and the operators that pick a module object.
    fn resolve(&self, sc: &Scope, root: &str, ops: &[TraversalOperator], env: &Env) -> Resolved {
        if let Some(v) = env_get(env, root) {
            return Resolved::Value(Rc::new(v.clone()), 0, false);
        }
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        };
        match root {
            "var" => match attr(0) {
                Some(n) => match sc.vars.get(n) {
                    Some(Some(v)) => Resolved::Value(Rc::new(v.clone()), 1, false),
                    Some(None) => Resolved::Unknown,
                    None => Resolved::Invalid,
                },
                None => Resolved::Unknown,
            },
            "local" => match attr(0) {
                Some(n) if sc.locals.contains_key(n) => match self.local(sc, n) {
                    Some(v) => Resolved::Value(v, 1, false),
                    None => Resolved::Unknown,
                },
                Some(_) => Resolved::Invalid,
                None => Resolved::Unknown,
            },
            "path" => match attr(0) {
                Some("module") => {
                    Resolved::Value(Rc::new(Value::from(sc.dir.display().to_string())), 1, false)
                }
                _ => Resolved::Unknown,
            },
            "count" | "each" | "self" | "terraform" | "data" => Resolved::Unknown,
            "module" => match attr(0) {
                Some(call) => match sc.calls.get(call) {
                    Some(&idx) => self.module_ref(sc, idx, &ops[1..], env),
                    None => Resolved::Invalid,
                },
                None => Resolved::Unknown,
            },
            ty => match attr(0).and_then(|n| sc.resources.get(&(ty.to_owned(), n.to_owned()))) {
                Some(&idx) => self.resource_ref(sc, idx, &ops[1..], env),
                None if ty.contains('_') && attr(0).is_some() => Resolved::Unknown,
                None => Resolved::Keep,
            },
        }
    }

    fn local(&self, sc: &Scope, name: &str) -> Option<Rc<Value>> {
        let idx = *sc.locals.get(name)?;
        self.memo(Memo::Local(sc.id, name.to_owned()), || {
            let a = sc.module.blocks[idx].block.body.get_attribute(name)?;
            self.value(sc, &a.value, &vec![])
        })
    }

    /// Pick the instance a reference names, when the block has instances; `used` counts the
    /// operators consumed.
    fn pick(
        &self,
        sc: &Scope,
        insts: &Instances,
        ops: &[TraversalOperator],
        env: &Env,
    ) -> Result<(Key, usize), Resolved> {
        if !insts.counted && !insts.for_each {
            return Ok((Key::None, 0));
        }
        let k = match ops.first() {
            Some(TraversalOperator::Index(ix)) => match self.eval(sc, ix, env) {
                Ok(k) => k,
                Err(e) if is_poison(&e, UNKNOWN) => return Err(Resolved::Unknown),
                Err(_) => return Err(Resolved::Invalid),
            },
            Some(TraversalOperator::LegacyIndex(n)) => Value::from(*n),
            _ => return Err(Resolved::Keep),
        };
        let key = match (&k, insts.counted) {
            (Value::Number(n), true) => Key::Int(n.as_u64().unwrap_or(u64::MAX)),
            (Value::String(s), false) => Key::Str(s.clone()),
            (Value::Number(n), false) => Key::Str(n.to_string()),
            _ => return Err(Resolved::Invalid),
        };
        if insts.list.contains_key(&key) {
            Ok((key, 1))
        } else {
            Err(Resolved::Invalid)
        }
    }

    fn resource_ref(
        &self,
        sc: &Scope,
        idx: usize,
        ops: &[TraversalOperator],
        env: &Env,
    ) -> Resolved {
        let Some(insts) = self.instances(sc, idx) else {
            return Resolved::Unknown;
        };
        let (key, used) = match self.pick(sc, &insts, ops, env) {
            Ok(k) => k,
            Err(Resolved::Keep) => {
                // the whole collection (`aws_x.y[*]`, `for_each = aws_x.y`)
                return match self.collection(sc, idx, &insts) {
                    Some(v) => Resolved::Value(v, 1, true),
                    None => Resolved::Unknown,
                };
            }
            Err(other) => return other,
        };
        match ops.get(used) {
            Some(TraversalOperator::GetAttr(a)) => {
                match self.attr_value(sc, idx, &key, a.as_str(), &insts) {
                    Some(v) => Resolved::Value(v, used + 2, false),
                    None => Resolved::Unknown,
                }
            }
            _ => match self.whole(sc, idx, &key, &insts) {
                Some(v) => Resolved::Value(v, used + 1, true),
                None => Resolved::Unknown,
            },
        }
    }

    /// `count`/`for_each` of a block in a scope: `None` when unknown.
    fn instances(&self, sc: &Scope, idx: usize) -> Option<Rc<Instances>> {
        if let Some(v) = self.instances.borrow().get(&(sc.id, idx)) {
            return v.clone();
        }
        let body = &sc.module.blocks[idx].block.body;
        let r = self.expand(sc, body, &vec![]).map(Rc::new);
        self.instances.borrow_mut().insert((sc.id, idx), r.clone());
        r
    }

    fn expand(&self, sc: &Scope, body: &Body, env: &Env) -> Option<Instances> {
        let mut list = IndexMap::new();
        if let Some(c) = body.get_attribute("count") {
            let n = self.value(sc, &c.value, env)?;
            let n = n.as_u64().or_else(|| n.as_f64().map(|f| f as u64))?;
            self.spend(n)?;
            for i in 0..n {
                let mut e = env.clone();
                e.push(("count".into(), hcl::value!({ index = (i) })));
                list.insert(Key::Int(i), e);
            }
            return Some(Instances {
                counted: true,
                for_each: false,
                list,
            });
        }
        if let Some(f) = body.get_attribute("for_each") {
            let v = self.value(sc, &f.value, env)?;
            let mut pairs: Vec<(String, Value)> = match v {
                Value::Object(o) => o.into_iter().collect(),
                Value::Array(a) => a
                    .into_iter()
                    .map(|x| {
                        let k = super::funcs::string(&x).ok()?;
                        Some((k, x))
                    })
                    .collect::<Option<_>>()?,
                _ => return None,
            };
            self.spend(pairs.len() as u64)?;
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            for (k, v) in pairs {
                let mut e = env.clone();
                e.push((
                    "each".into(),
                    hcl::value!({ key = (k.clone()), value = (v) }),
                ));
                list.insert(Key::Str(k), e);
            }
            return Some(Instances {
                counted: false,
                for_each: true,
                list,
            });
        }
        list.insert(Key::None, env.clone());
        Some(Instances {
            counted: false,
            for_each: false,
            list,
        })
    }

    fn attr_value(
        &self,
        sc: &Scope,
        idx: usize,
        key: &Key,
        name: &str,
        insts: &Instances,
    ) -> Option<Rc<Value>> {
        let b = &sc.module.blocks[idx];
        let env = insts.list.get(key)?;
        self.memo(Memo::Attr(sc.id, idx, key.clone(), name.to_owned()), || {
            if let Some(a) = b.block.body.get_attribute(name) {
                return self.value(sc, &a.value, env);
            }
            // what the provider sets from the configuration
            let from = match (b.labels[0].as_str(), name) {
                ("aws_dynamodb_table", "id") => "name",
                ("aws_appautoscaling_target", "id") => "resource_id",
                _ => return None,
            };
            let a = b.block.body.get_attribute(from)?;
            self.value(sc, &a.value, env)
        })
    }

    /// One instance as an object: every attribute its configuration sets that can be known,
    /// nested blocks as lists of objects.
    fn whole(&self, sc: &Scope, idx: usize, key: &Key, insts: &Instances) -> Option<Rc<Value>> {
        let env = insts.list.get(key)?.clone();
        self.memo(Memo::Whole(sc.id, idx, key.clone()), || {
            let b = &sc.module.blocks[idx];
            let obj = self.obj(sc, &b.file.as_str().into(), &b.block.body, &env);
            let mut v = obj_value(&obj);
            if let Value::Object(o) = &mut v {
                for special in ["id"] {
                    if !o.contains_key(special)
                        && let Some(x) = self.attr_value(sc, idx, key, special, insts)
                    {
                        o.insert(special.into(), (*x).clone());
                    }
                }
            }
            Some(v)
        })
    }

    fn collection(&self, sc: &Scope, idx: usize, insts: &Instances) -> Option<Rc<Value>> {
        self.memo(Memo::Collection(sc.id, idx), || {
            if insts.counted {
                let mut out = Vec::new();
                for k in insts.list.keys() {
                    out.push((*self.whole(sc, idx, k, insts)?).clone());
                }
                Some(Value::Array(out))
            } else if insts.for_each {
                let mut out = hcl::Map::new();
                for k in insts.list.keys() {
                    if let Key::Str(s) = k {
                        out.insert(s.clone(), (*self.whole(sc, idx, k, insts)?).clone());
                    }
                }
                Some(Value::Object(out))
            } else {
                self.whole(sc, idx, &Key::None, insts).map(|v| (*v).clone())
            }
        })
    }

    fn module_ref(&self, sc: &Scope, idx: usize, ops: &[TraversalOperator], env: &Env) -> Resolved {
        let Some(insts) = self.instances(sc, idx) else {
            return Resolved::Unknown;
        };
        let Some(children) = self.children(sc, idx) else {
            return Resolved::Unknown;
        };
        let (key, used) = match self.pick(sc, &insts, ops, env) {
            Ok(k) => k,
            Err(Resolved::Keep) => return Resolved::Unknown,
            Err(other) => return other,
        };
        let Some(&(_, child)) = children.iter().find(|(k, _)| *k == key) else {
            return Resolved::Unknown;
        };
        let child = self.scope(child);
        match ops.get(used) {
            Some(TraversalOperator::GetAttr(out)) => match child.outputs.get(out.as_str()) {
                Some(_) => match self.output(&child, out.as_str()) {
                    Some(v) => Resolved::Value(v, used + 2, false),
                    None => Resolved::Unknown,
                },
                None => Resolved::Invalid,
            },
            _ => Resolved::Unknown,
        }
    }

    fn output(&self, sc: &Scope, name: &str) -> Option<Rc<Value>> {
        let idx = *sc.outputs.get(name)?;
        self.memo(Memo::Output(sc.id, name.to_owned()), || {
            let a = sc.module.blocks[idx].block.body.get_attribute("value")?;
            self.value(sc, &a.value, &vec![])
        })
    }

    /// The child scopes of a module call, one per instance; `None` when its source is not a
    /// local directory or its instances are unknown.
    fn children(&self, sc: &Scope, idx: usize) -> Option<Rc<Vec<(Key, usize)>>> {
        if let Some(v) = self.children.borrow().get(&(sc.id, idx)) {
            return v.clone();
        }
        let r = self.make_children(sc, idx).map(Rc::new);
        self.children.borrow_mut().insert((sc.id, idx), r.clone());
        r
    }

    fn make_children(&self, sc: &Scope, idx: usize) -> Option<Vec<(Key, usize)>> {
        let b = &sc.module.blocks[idx];
        let source = b
            .block
            .body
            .get_attribute("source")
            .and_then(|a| super::source::as_string(&a.value))?;
        if !is_local_source(&source) || sc.depth >= 16 {
            return None;
        }
        let dir = normalize(&sc.dir.join(&source));
        // a module that calls itself, directly or not, is refused by Terraform: not followed
        let canon = dir.canonicalize().ok()?;
        let mut ancestor = Some(sc.id);
        while let Some(a) = ancestor {
            let s = self.scope(a);
            if s.dir.canonicalize().ok().as_ref() == Some(&canon) {
                return None;
            }
            ancestor = s.parent;
        }
        let module = self.read_module(&dir)?;
        let insts = self.instances(sc, idx)?;
        let name = b.labels.first()?.clone();
        self.spend(insts.list.len() as u64)?;
        let mut out = Vec::new();
        for (key, env) in &insts.list {
            let given: HashMap<String, Option<Value>> = b
                .block
                .body
                .attributes()
                .filter(|a| !META.contains(&a.key.as_str()))
                .map(|a| (a.key.as_str().to_owned(), self.value(sc, &a.value, env)))
                .collect();
            let prefix = format!("{}module.{name}{}.", sc.prefix, key.suffix());
            let id = self.add_scope(module.clone(), dir.clone(), prefix, Some(sc.id), given);
            out.push((key.clone(), id));
        }
        Some(out)
    }

    fn read_module(&self, dir: &Path) -> Option<Rc<Module>> {
        let canon = dir.canonicalize().ok()?;
        if let Some(m) = self.modules.borrow().get(&canon) {
            return Some(m.clone());
        }
        let m = match Module::read_dir(dir) {
            Ok(m) => Rc::new(m),
            Err(d) => {
                self.findings.borrow_mut().push(*d);
                return None;
            }
        };
        self.findings
            .borrow_mut()
            .extend(m.syntax_errors.iter().cloned());
        self.modules.borrow_mut().insert(canon, m.clone());
        self.child_modules
            .borrow_mut()
            .push((dir.display().to_string(), m.clone()));
        Some(m)
    }

    /// A body evaluated: attributes (meta-arguments left out), nested blocks, `dynamic` blocks
    /// expanded.
    fn obj(&self, sc: &Scope, file: &Rc<str>, body: &Body, env: &Env) -> Obj {
        self.obj_of(sc, file, body, env, false)
    }

    /// A body evaluated; `judged`: only the attributes the rules read ([`RULE_ATTRS`]).
    fn obj_of(&self, sc: &Scope, file: &Rc<str>, body: &Body, env: &Env, judged: bool) -> Obj {
        let mut obj = Obj {
            loc: Loc {
                file: file.clone(),
                span: None,
            },
            ..Obj::default()
        };
        for a in body.attributes() {
            let name = a.key.as_str();
            if META.contains(&name) || (judged && !RULE_ATTRS.contains(&name)) {
                continue;
            }
            obj.attrs.insert(
                name.to_owned(),
                Field {
                    value: self.value(sc, &a.value, env),
                    loc: Loc {
                        file: file.clone(),
                        span: a.value_span.clone(),
                    },
                },
            );
        }
        for b in body.blocks() {
            let ident = b.ident.as_str();
            match ident {
                "lifecycle" | "provisioner" | "connection" => {}
                "dynamic" => {
                    let Some(label) = b.labels.first().cloned() else {
                        continue;
                    };
                    let expanded = self.dynamic(sc, file, b, env, judged);
                    push_blocks(&mut obj, &label, expanded);
                }
                _ => {
                    let mut inner = self.obj_of(sc, file, &b.body, env, judged);
                    inner.loc.span = b.span.clone();
                    push_blocks(&mut obj, ident, Some(vec![inner]));
                }
            }
        }
        obj
    }

    fn dynamic(
        &self,
        sc: &Scope,
        file: &Rc<str>,
        b: &Block,
        env: &Env,
        judged: bool,
    ) -> Option<Vec<Obj>> {
        let label = b.labels.first().cloned()?;
        let iterator = b
            .body
            .get_attribute("iterator")
            .map(|a| a.value.to_string().trim().to_owned())
            .unwrap_or(label);
        let coll = self.value(sc, &b.body.get_attribute("for_each")?.value, env)?;
        let pairs: Vec<(Value, Value)> = match coll {
            Value::Object(o) => o.into_iter().map(|(k, v)| (Value::from(k), v)).collect(),
            Value::Array(a) => a
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::from(i as u64), v))
                .collect(),
            _ => return None,
        };
        let content = b.body.get_blocks("content").next()?;
        let mut out = Vec::new();
        for (k, v) in pairs {
            let mut e = env.clone();
            e.push((iterator.clone(), hcl::value!({ key = (k), value = (v) })));
            let mut o = self.obj_of(sc, file, &content.body, &e, judged);
            o.loc.span = content.span.clone().or(b.span.clone());
            out.push(o);
        }
        Some(out)
    }
}

/// Whether a module source is a directory on this machine: `./…`, `../…`, or an absolute
/// path (which Terraform copies in at `init`).
pub(crate) fn is_local_source(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source.starts_with('/')
}

/// A path with `.` dropped and `..` applied lexically, as a reader expects to see it.
pub(crate) fn normalize(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn push_blocks(obj: &mut Obj, ident: &str, blocks: Option<Vec<Obj>>) {
    let entry = obj
        .blocks
        .get_or_insert_with(ident, || Blocks::Known(vec![]));
    match (entry, blocks) {
        (Blocks::Known(have), Some(more)) => have.extend(more),
        (e, _) => *e = Blocks::Unknown,
    }
}

fn index<'v>(v: &'v Value, k: &Value) -> Option<&'v Value> {
    match (v, k) {
        (Value::Object(o), Value::String(s)) => o.get(s.as_str()),
        (Value::Object(o), Value::Number(n)) => o.get(n.to_string().as_str()),
        (Value::Array(a), Value::Number(n)) => a.get(n.as_u64()? as usize),
        (Value::Array(a), Value::String(s)) => a.get(s.parse::<usize>().ok()?),
        _ => None,
    }
}

/// An evaluated body as a value: known attributes, nested blocks as lists of objects.
pub fn obj_value(o: &Obj) -> Value {
    let mut m = hcl::Map::new();
    for (k, f) in &o.attrs {
        if let Some(v) = &f.value {
            m.insert(k.clone(), v.clone());
        }
    }
    for (k, b) in &o.blocks {
        if let Blocks::Known(list) = b {
            m.insert(
                k.clone(),
                Value::Array(list.iter().map(obj_value).collect()),
            );
        }
    }
    Value::Object(m)
}

/// `lifecycle.ignore_changes` of a body, read as Terraform reads it: references or (legacy)
/// quoted names, comments anywhere; each as its first step.
pub fn ignore_changes(body: &Body) -> IgnoreChanges {
    use hcl::Expression as E;
    let mut names = Vec::new();
    for l in body.get_blocks("lifecycle") {
        let Some(a) = l.body.get_attribute("ignore_changes") else {
            continue;
        };
        match &a.value {
            E::Variable(v) if v.as_str() == "all" => return IgnoreChanges::All,
            E::String(s) if s == "all" => return IgnoreChanges::All,
            E::Array(items) => {
                for x in items.iter() {
                    match x {
                        E::Variable(v) => names.push(v.as_str().to_owned()),
                        E::Traversal(t) => match &t.expr {
                            E::Variable(v) => names.push(v.as_str().to_owned()),
                            _ => return IgnoreChanges::Unknown,
                        },
                        E::String(s) => {
                            let first = s.split(['.', '[']).next().unwrap_or("").to_owned();
                            names.push(first);
                        }
                        _ => return IgnoreChanges::Unknown,
                    }
                }
            }
            _ => return IgnoreChanges::Unknown,
        }
    }
    IgnoreChanges::Attrs(names)
}

/// Read `*.tfvars` (HCL) or `*.tfvars.json` into name → value.
fn read_tfvars(path: &Path) -> Result<Vec<(String, Value)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    if path.extension().is_some_and(|x| x == "json") {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let serde_json::Value::Object(o) = v else {
            return Err("a JSON object is required".into());
        };
        return Ok(o
            .into_iter()
            .map(|(k, v)| (k, hcl::to_value(v).unwrap_or(Value::Null)))
            .collect());
    }
    let body: hcl::Body = hcl::parse(text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for a in body.attributes() {
        let v = a
            .expr()
            .evaluate(super::funcs::context())
            .map_err(|e| e.to_string())?;
        out.push((a.key().to_owned(), v));
    }
    Ok(out)
}

/// The root variables' values given from outside: auto-loaded var files, then `-var-file`,
/// then `-var`, later ones winning (Terraform's precedence).
fn root_inputs(
    m: &Module,
    dir: &Path,
    inputs: &Inputs,
    findings: &mut Vec<Diagnostic>,
) -> HashMap<String, Option<Value>> {
    let mut files: Vec<PathBuf> = Vec::new();
    for name in ["terraform.tfvars", "terraform.tfvars.json"] {
        let p = dir.join(name);
        if p.is_file() {
            files.push(p);
        }
    }
    let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
        })
        .collect();
    auto.sort();
    files.extend(auto);
    files.extend(inputs.var_files.iter().cloned());
    let mut out = HashMap::new();
    for f in files {
        match read_tfvars(&f) {
            Ok(vals) => out.extend(vals.into_iter().map(|(k, v)| (k, Some(v)))),
            Err(e) => findings.push(Diagnostic::new(
                crate::rules::RuleId::CF001,
                &f.display().to_string(),
                Default::default(),
                "",
                format!("cannot read the variable file: {e}"),
            )),
        }
    }
    for (k, raw) in &inputs.vars {
        // as Terraform: a string variable takes the text as it is; others parse it as HCL
        let string_typed = m.of_kind("variable").any(|v| {
            v.labels.first() == Some(k)
                && v.block
                    .body
                    .get_attribute("type")
                    .is_none_or(|t| t.value.to_string().trim() == "string")
        });
        let v = if string_typed {
            Value::from(raw.as_str())
        } else {
            hcl::parse(&format!("v = {raw}"))
                .ok()
                .and_then(|b: hcl::Body| {
                    b.attributes()
                        .next()
                        .and_then(|a| a.expr().evaluate(super::funcs::context()).ok())
                })
                .unwrap_or_else(|| Value::from(raw.as_str()))
        };
        out.insert(k.clone(), Some(v));
    }
    out
}

/// The result of evaluating a module: what it creates, the findings met on the way, and the
/// child modules read (their source, for the rules that read source).
pub struct Outcome {
    /// What the module creates.
    pub evaluated: Evaluated,
    /// Input errors and syntax errors of child modules.
    pub findings: Vec<Diagnostic>,
    /// Child modules read: directory → parsed module.
    pub child_modules: Vec<(String, Rc<Module>)>,
}

/// Evaluate a module (read from `dir`) with the given inputs; the instances carry the
/// attributes the rules read ([`RULE_ATTRS`]).
pub fn evaluate(root: Rc<Module>, dir: &Path, inputs: &Inputs) -> Outcome {
    evaluate_attrs(root, dir, inputs, true)
}

/// [`evaluate`], with every attribute of every instance when `rule_attrs_only` is false.
pub fn evaluate_attrs(
    root: Rc<Module>,
    dir: &Path,
    inputs: &Inputs,
    rule_attrs_only: bool,
) -> Outcome {
    let ev = Evaluator::new();
    let mut findings = Vec::new();
    let given = root_inputs(&root, dir, inputs, &mut findings);
    let id = ev.add_scope(root, dir.to_path_buf(), String::new(), None, given);
    let mut evaluated = Evaluated::default();
    let sc = ev.scope(id);
    evaluated.production = root_production(&sc);
    evaluated.default_tags = default_tags(&ev, &sc);
    let mut queue = vec![id];
    while let Some(sid) = queue.pop() {
        let sc = ev.scope(sid);
        for (idx, b) in sc.module.blocks.iter().enumerate() {
            match b.kind.as_str() {
                "resource" if JUDGED.contains(&b.labels[0].as_str()) => {
                    instances_of(&ev, &sc, idx, b, rule_attrs_only, &mut evaluated.instances);
                }
                "module" => match ev.children(&sc, idx) {
                    Some(children) => queue.extend(children.iter().map(|(_, c)| *c)),
                    None => evaluated.opaque.push(opaque_call(&sc, b)),
                },
                _ => {}
            }
        }
    }
    findings.extend(ev.findings.borrow_mut().drain(..));
    let child_modules = ev.child_modules.borrow().clone();
    Outcome {
        evaluated,
        findings,
        child_modules,
    }
}

fn instances_of(
    ev: &Evaluator,
    sc: &Scope,
    idx: usize,
    b: &TopBlock,
    rule_attrs_only: bool,
    out: &mut Vec<Instance>,
) {
    let block_address = format!("{}{}", sc.prefix, b.labels.join("."));
    let refers_to: Vec<String> = b
        .refs
        .iter()
        .filter(|r| r.root.starts_with("aws_") && !r.attrs.is_empty())
        .map(|r| format!("{}{}.{}", sc.prefix, r.root, r.attrs[0]))
        .collect();
    let ignore = ignore_changes(&b.block.body);
    let (list, certain): (Vec<(Key, Env)>, bool) = match ev.instances(sc, idx) {
        Some(insts) => (
            insts
                .list
                .iter()
                .map(|(k, e)| (k.clone(), e.clone()))
                .collect(),
            true,
        ),
        None => (vec![(Key::None, vec![])], false),
    };
    let file: Rc<str> = b.file.as_str().into();
    for (key, env) in list {
        let mut obj = ev.obj_of(sc, &file, &b.block.body, &env, rule_attrs_only);
        obj.loc.span = b.block.span.clone();
        out.push(Instance {
            address: format!("{block_address}{}", key.suffix()),
            block_address: block_address.clone(),
            module: sc.prefix.clone(),
            ty: b.labels[0].clone(),
            name: b.labels.get(1).cloned().unwrap_or_default(),
            obj,
            ignore_changes: ignore.clone(),
            ignores: b.ignores.clone(),
            certain,
            refers_to: refers_to.clone(),
        });
    }
}

/// A module call capform does not follow: what it may create for which tables.
fn opaque_call(sc: &Scope, b: &TopBlock) -> super::model::Opaque {
    let refers_to: Vec<String> = b
        .refs
        .iter()
        .filter(|r| r.root == "aws_dynamodb_table" && !r.attrs.is_empty())
        .map(|r| format!("{}{}.{}", sc.prefix, r.root, r.attrs[0]))
        .collect();
    let text = sc.module.block_text(b).unwrap_or("").to_ascii_lowercase();
    super::model::Opaque {
        address: format!("{}module.{}", sc.prefix, b.labels.join(".")),
        refers_to,
        mentions_tables: text.contains("dynamodb") || text.contains("table"),
    }
}

/// What the root's variables say of production: an environment-like variable, or the
/// environment key of a `tags` variable's value.
fn root_production(sc: &Scope) -> Option<bool> {
    let mut verdict = None;
    for (name, v) in &sc.vars {
        let Some(v) = v else { continue };
        let lower = name.to_ascii_lowercase();
        if super::model::ENVIRONMENT_KEYS.contains(&lower.as_str())
            && let Some(s) = v.as_str()
        {
            verdict = Some(verdict.unwrap_or(false) || is_production_name(s));
        }
        if lower.ends_with("tags")
            && let Some(p) = tags_say_production(v)
        {
            verdict = Some(verdict.unwrap_or(false) || p);
        }
    }
    verdict
}

fn default_tags(ev: &Evaluator, sc: &Scope) -> Option<Value> {
    let p = sc
        .module
        .blocks
        .iter()
        .find(|b| b.kind == "provider" && b.labels.first().is_some_and(|l| l == "aws"))?;
    let dt = p.block.body.get_blocks("default_tags").next()?;
    ev.value(sc, &dt.body.get_attribute("tags")?.value, &vec![])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(text: &str) -> (tempfile::TempDir, Outcome) {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("main.tf"), text).unwrap();
        let m = Rc::new(Module::read_dir(tmp.path()).unwrap());
        let o = evaluate_attrs(m, tmp.path(), &Inputs::default(), false);
        (tmp, o)
    }

    fn attr<'a>(o: &'a Outcome, address: &str, name: &str) -> super::super::model::Val<'a> {
        o.evaluated
            .instances
            .iter()
            .find(|i| i.address == address)
            .unwrap_or_else(|| panic!("no {address}"))
            .obj
            .get(name)
    }

    #[test]
    fn defaults_locals_templates_and_for_each_are_known() {
        let (_t, o) = module(
            r#"
variable "tables" {
  type = map(object({ billing = optional(string, "PAY_PER_REQUEST"), rcu = optional(number) }))
  default = { orders = {}, events = { billing = "PROVISIONED", rcu = 5 } }
}
variable "prefix" { default = "acme" }
locals { names = { for k, v in var.tables : k => "${var.prefix}-${k}" } }
resource "aws_dynamodb_table" "t" {
  for_each     = var.tables
  name         = local.names[each.key]
  billing_mode = each.value.billing
  read_capacity = each.value.rcu
  stream_arn_copy = data.aws_caller_identity.me.account_id
}
resource "aws_appautoscaling_target" "r" {
  for_each     = { for k, v in var.tables : k => v if v.billing == "PROVISIONED" }
  resource_id  = "table/${aws_dynamodb_table.t[each.key].name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
}
"#,
        );
        use super::super::model::Val;
        assert_eq!(
            attr(&o, "aws_dynamodb_table.t[\"orders\"]", "name")
                .str()
                .as_deref(),
            Some("acme-orders")
        );
        assert_eq!(
            attr(&o, "aws_dynamodb_table.t[\"orders\"]", "billing_mode")
                .str()
                .as_deref(),
            Some("PAY_PER_REQUEST")
        );
        assert_eq!(
            attr(&o, "aws_dynamodb_table.t[\"orders\"]", "read_capacity"),
            Val::Absent
        );
        assert_eq!(
            attr(&o, "aws_dynamodb_table.t[\"events\"]", "read_capacity").num(),
            Some(5.0)
        );
        assert_eq!(
            attr(&o, "aws_dynamodb_table.t[\"events\"]", "stream_arn_copy"),
            Val::Unknown
        );
        assert_eq!(
            attr(&o, "aws_appautoscaling_target.r[\"events\"]", "resource_id")
                .str()
                .as_deref(),
            Some("table/acme-events")
        );
        assert!(
            !o.evaluated
                .instances
                .iter()
                .any(|i| i.address == "aws_appautoscaling_target.r[\"orders\"]")
        );
    }

    #[test]
    fn unknown_stays_unknown_and_try_falls_past_only_real_errors() {
        let (_t, o) = module(
            r#"
variable "table" { default = { name = "x" } }
variable "mode" {}
resource "aws_dynamodb_table" "t" {
  count        = 1
  name         = "${var.table.name}-${count.index}"
  billing_mode = try(var.table["billing-mode"], "PROVISIONED")
  hash_key     = try(var.mode, "id")
  range_key    = var.mode == null ? "a" : "b"
  table_class  = true ? "STANDARD" : var.mode
}
"#,
        );
        use super::super::model::Val;
        let a = "aws_dynamodb_table.t[0]";
        assert_eq!(attr(&o, a, "name").str().as_deref(), Some("x-0"));
        assert_eq!(
            attr(&o, a, "billing_mode").str().as_deref(),
            Some("PROVISIONED")
        );
        assert_eq!(attr(&o, a, "hash_key"), Val::Unknown);
        assert_eq!(attr(&o, a, "range_key"), Val::Unknown);
        assert_eq!(
            attr(&o, a, "table_class").str().as_deref(),
            Some("STANDARD")
        );
    }

    #[test]
    fn child_modules_take_their_inputs_and_give_their_outputs() {
        let tmp = tempfile::tempdir().unwrap();
        let child = tmp.path().join("modules/table");
        std::fs::create_dir_all(&child).unwrap();
        std::fs::write(
            child.join("main.tf"),
            r#"
variable "name" { type = string }
variable "billing_mode" { default = "PROVISIONED" }
resource "aws_dynamodb_table" "this" {
  name         = var.name
  billing_mode = var.billing_mode
}
output "name" { value = aws_dynamodb_table.this.name }
"#,
        )
        .unwrap();
        std::fs::write(
            tmp.path().join("main.tf"),
            r#"
module "orders" {
  source       = "./modules/table"
  for_each     = toset(["a", "b"])
  name         = "orders-${each.key}"
  billing_mode = "PAY_PER_REQUEST"
}
resource "aws_cloudwatch_metric_alarm" "x" {
  alarm_name = "throttles-${module.orders["a"].name}"
}
"#,
        )
        .unwrap();
        let m = Rc::new(Module::read_dir(tmp.path()).unwrap());
        let o = evaluate_attrs(m, tmp.path(), &Inputs::default(), false);
        let t = o
            .evaluated
            .instances
            .iter()
            .find(|i| i.address == "module.orders[\"b\"].aws_dynamodb_table.this")
            .expect("child instance");
        assert_eq!(t.obj.get("name").str().as_deref(), Some("orders-b"));
        assert_eq!(
            t.obj.get("billing_mode").str().as_deref(),
            Some("PAY_PER_REQUEST")
        );
        assert_eq!(
            attr(&o, "aws_cloudwatch_metric_alarm.x", "alarm_name")
                .str()
                .as_deref(),
            Some("throttles-orders-a")
        );
    }
}
