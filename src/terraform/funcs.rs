//! The Terraform functions the evaluator knows, as hcl-rs function definitions. A function
//! missing here makes the expression that calls it unknown, never wrong. `try` and `can` are
//! handled by the evaluator itself (their arguments are not evaluated before the call); the
//! definitions here only serve the cases it leaves to hcl-rs (see [`super::eval`]).

use std::sync::OnceLock;

use hcl::Value;
use hcl::eval::{Context, FuncArgs, FuncDef, ParamType};

type R = Result<Value, String>;

fn num(v: &Value) -> Result<f64, String> {
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(|| "not a number".into()),
        Value::String(s) => s.parse().map_err(|_| format!("`{s}` is not a number")),
        _ => Err("a number is required".into()),
    }
}

fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        Value::from(f as i64)
    } else {
        hcl::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

/// A value as Terraform's `tostring` writes it.
pub fn string(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err("a string is required".into()),
    }
}

fn list(v: &Value) -> Result<&Vec<Value>, String> {
    v.as_array().ok_or_else(|| "a list is required".into())
}

fn map(v: &Value) -> Result<&hcl::Map<String, Value>, String> {
    v.as_object().ok_or_else(|| "a map is required".into())
}

fn arg(args: &[Value], i: usize) -> Result<&Value, String> {
    args.get(i).ok_or_else(|| "too few arguments".into())
}

fn f_lookup(a: FuncArgs) -> R {
    let a = a.into_values();
    let m = map(arg(&a, 0)?)?;
    let k = string(arg(&a, 1)?)?;
    match (m.get(&k), a.get(2)) {
        (Some(v), _) => Ok(v.clone()),
        (None, Some(d)) => Ok(d.clone()),
        (None, None) => Err(format!("no key `{k}`")),
    }
}

fn f_coalesce(a: FuncArgs) -> R {
    a.into_values()
        .into_iter()
        .find(|v| !v.is_null() && v.as_str() != Some(""))
        .ok_or_else(|| "no non-null, non-empty argument".into())
}

fn f_coalescelist(a: FuncArgs) -> R {
    a.into_values()
        .into_iter()
        .find(|v| v.as_array().is_some_and(|l| !l.is_empty()))
        .ok_or_else(|| "no non-empty list".into())
}

fn f_merge(a: FuncArgs) -> R {
    let mut out = hcl::Map::new();
    for v in a.into_values() {
        match v {
            Value::Null => {}
            Value::Object(o) => out.extend(o),
            _ => return Err("merge takes maps or objects".into()),
        }
    }
    Ok(Value::Object(out))
}

fn f_concat(a: FuncArgs) -> R {
    let mut out = Vec::new();
    for v in a.into_values() {
        out.extend(list(&v)?.iter().cloned());
    }
    Ok(Value::Array(out))
}

fn f_length(a: FuncArgs) -> R {
    let a = a.into_values();
    Ok(Value::from(match arg(&a, 0)? {
        Value::Array(l) => l.len() as i64,
        Value::Object(o) => o.len() as i64,
        Value::String(s) => {
            unicode_segmentation::UnicodeSegmentation::graphemes(s.as_str(), true).count() as i64
        }
        _ => return Err("length of a value without one".into()),
    }))
}

fn sorted_keys(m: &hcl::Map<String, Value>) -> Vec<&String> {
    let mut k: Vec<&String> = m.keys().collect();
    k.sort();
    k
}

fn f_keys(a: FuncArgs) -> R {
    let a = a.into_values();
    let m = map(arg(&a, 0)?)?;
    Ok(Value::Array(
        sorted_keys(m)
            .into_iter()
            .map(|k| Value::from(k.as_str()))
            .collect(),
    ))
}

fn f_values(a: FuncArgs) -> R {
    let a = a.into_values();
    let m = map(arg(&a, 0)?)?;
    Ok(Value::Array(
        sorted_keys(m).into_iter().map(|k| m[k].clone()).collect(),
    ))
}

fn f_contains(a: FuncArgs) -> R {
    let a = a.into_values();
    Ok(Value::Bool(list(arg(&a, 0)?)?.contains(arg(&a, 1)?)))
}

fn f_element(a: FuncArgs) -> R {
    let a = a.into_values();
    let l = list(arg(&a, 0)?)?;
    let i = num(arg(&a, 1)?)? as usize;
    if l.is_empty() {
        return Err("element of an empty list".into());
    }
    Ok(l[i % l.len()].clone())
}

fn f_join(a: FuncArgs) -> R {
    let a = a.into_values();
    let sep = string(arg(&a, 0)?)?;
    let mut parts = Vec::new();
    for l in &a[1..] {
        for v in list(l)? {
            parts.push(string(v)?);
        }
    }
    Ok(Value::from(parts.join(&sep)))
}

fn f_split(a: FuncArgs) -> R {
    let a = a.into_values();
    let sep = string(arg(&a, 0)?)?;
    let s = string(arg(&a, 1)?)?;
    Ok(Value::Array(
        s.split(sep.as_str()).map(Value::from).collect(),
    ))
}

fn str1(a: FuncArgs, f: fn(&str) -> String) -> R {
    let a = a.into_values();
    Ok(Value::from(f(&string(arg(&a, 0)?)?)))
}

fn f_lower(a: FuncArgs) -> R {
    str1(a, str::to_lowercase)
}
fn f_upper(a: FuncArgs) -> R {
    str1(a, str::to_uppercase)
}
fn f_trimspace(a: FuncArgs) -> R {
    str1(a, |s| s.trim().to_owned())
}
fn f_title(a: FuncArgs) -> R {
    str1(a, |s| {
        let mut out = String::new();
        let mut start = true;
        for c in s.chars() {
            if start && c.is_alphabetic() {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            start = !c.is_alphanumeric();
        }
        out
    })
}

fn f_replace(a: FuncArgs) -> R {
    let a = a.into_values();
    let s = string(arg(&a, 0)?)?;
    let from = string(arg(&a, 1)?)?;
    let to = string(arg(&a, 2)?)?;
    if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
        return Err("regular expressions are not evaluated".into());
    }
    Ok(Value::from(s.replace(&from, &to)))
}

fn f_substr(a: FuncArgs) -> R {
    let a = a.into_values();
    let s: Vec<char> = string(arg(&a, 0)?)?.chars().collect();
    let off = num(arg(&a, 1)?)? as i64;
    let len = num(arg(&a, 2)?)? as i64;
    let start = if off < 0 { s.len() as i64 + off } else { off }.clamp(0, s.len() as i64) as usize;
    let end = if len < 0 {
        s.len()
    } else {
        (start + len as usize).min(s.len())
    };
    Ok(Value::from(s[start..end].iter().collect::<String>()))
}

fn f_trim(a: FuncArgs) -> R {
    let a = a.into_values();
    let s = string(arg(&a, 0)?)?;
    let cut = string(arg(&a, 1)?)?;
    Ok(Value::from(s.trim_matches(|c| cut.contains(c))))
}

fn f_trimprefix(a: FuncArgs) -> R {
    let a = a.into_values();
    let s = string(arg(&a, 0)?)?;
    let p = string(arg(&a, 1)?)?;
    Ok(Value::from(s.strip_prefix(p.as_str()).unwrap_or(&s)))
}

fn f_trimsuffix(a: FuncArgs) -> R {
    let a = a.into_values();
    let s = string(arg(&a, 0)?)?;
    let p = string(arg(&a, 1)?)?;
    Ok(Value::from(s.strip_suffix(p.as_str()).unwrap_or(&s)))
}

fn f_startswith(a: FuncArgs) -> R {
    let a = a.into_values();
    Ok(Value::Bool(
        string(arg(&a, 0)?)?.starts_with(&string(arg(&a, 1)?)?),
    ))
}

fn f_endswith(a: FuncArgs) -> R {
    let a = a.into_values();
    Ok(Value::Bool(
        string(arg(&a, 0)?)?.ends_with(&string(arg(&a, 1)?)?),
    ))
}

fn f_format(a: FuncArgs) -> R {
    let a = a.into_values();
    let spec = string(arg(&a, 0)?)?;
    let mut out = String::new();
    let mut args = a[1..].iter();
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('s') | Some('v') => {
                out.push_str(&string(args.next().ok_or("too few arguments")?)?)
            }
            Some('d') => {
                out.push_str(&(num(args.next().ok_or("too few arguments")?)? as i64).to_string())
            }
            Some('q') => out.push_str(&format!(
                "{:?}",
                string(args.next().ok_or("too few arguments")?)?
            )),
            _ => return Err("format verbs other than %s %v %d %q are not evaluated".into()),
        }
    }
    Ok(Value::from(out))
}

fn f_tostring(a: FuncArgs) -> R {
    let a = a.into_values();
    match arg(&a, 0)? {
        Value::Null => Ok(Value::Null),
        v => string(v).map(Value::from),
    }
}

fn f_tonumber(a: FuncArgs) -> R {
    let a = a.into_values();
    match arg(&a, 0)? {
        Value::Null => Ok(Value::Null),
        v => num(v).map(number),
    }
}

fn f_tobool(a: FuncArgs) -> R {
    let a = a.into_values();
    match arg(&a, 0)? {
        Value::Bool(b) => Ok(Value::Bool(*b)),
        Value::String(s) if s == "true" || s == "false" => Ok(Value::Bool(s == "true")),
        Value::Null => Ok(Value::Null),
        _ => Err("not a bool".into()),
    }
}

fn f_tolist(a: FuncArgs) -> R {
    let a = a.into_values();
    list(arg(&a, 0)?).map(|l| Value::Array(l.clone()))
}

fn f_toset(a: FuncArgs) -> R {
    let a = a.into_values();
    let mut l = list(arg(&a, 0)?)?.clone();
    if l.iter()
        .all(|v| matches!(v, Value::String(_) | Value::Number(_)))
    {
        let mut s: Vec<String> = l.iter().map(string).collect::<Result<_, _>>()?;
        s.sort();
        s.dedup();
        l = s.into_iter().map(Value::from).collect();
    } else {
        l.dedup();
    }
    Ok(Value::Array(l))
}

fn f_tomap(a: FuncArgs) -> R {
    let a = a.into_values();
    map(arg(&a, 0)?).map(|m| Value::Object(m.clone()))
}

fn f_distinct(a: FuncArgs) -> R {
    let a = a.into_values();
    let mut out: Vec<Value> = Vec::new();
    for v in list(arg(&a, 0)?)? {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    Ok(Value::Array(out))
}

fn flatten_into(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Array(l) => l.iter().for_each(|x| flatten_into(x, out)),
        other => out.push(other.clone()),
    }
}

fn f_flatten(a: FuncArgs) -> R {
    let a = a.into_values();
    let mut out = Vec::new();
    for v in list(arg(&a, 0)?)? {
        flatten_into(v, &mut out);
    }
    Ok(Value::Array(out))
}

fn f_compact(a: FuncArgs) -> R {
    let a = a.into_values();
    Ok(Value::Array(
        list(arg(&a, 0)?)?
            .iter()
            .filter(|v| !v.is_null() && v.as_str() != Some(""))
            .cloned()
            .collect(),
    ))
}

fn nums(a: FuncArgs) -> Result<Vec<f64>, String> {
    let a = a.into_values();
    let mut out = Vec::new();
    for v in &a {
        match v {
            Value::Array(l) => {
                for x in l {
                    out.push(num(x)?);
                }
            }
            x => out.push(num(x)?),
        }
    }
    if out.is_empty() {
        return Err("no numbers".into());
    }
    Ok(out)
}

fn f_min(a: FuncArgs) -> R {
    Ok(number(nums(a)?.into_iter().fold(f64::INFINITY, f64::min)))
}
fn f_max(a: FuncArgs) -> R {
    Ok(number(
        nums(a)?.into_iter().fold(f64::NEG_INFINITY, f64::max),
    ))
}
fn f_sum(a: FuncArgs) -> R {
    Ok(number(nums(a)?.into_iter().sum()))
}
fn f_ceil(a: FuncArgs) -> R {
    Ok(number(nums(a)?[0].ceil()))
}
fn f_floor(a: FuncArgs) -> R {
    Ok(number(nums(a)?[0].floor()))
}
fn f_abs(a: FuncArgs) -> R {
    Ok(number(nums(a)?[0].abs()))
}

fn f_zipmap(a: FuncArgs) -> R {
    let a = a.into_values();
    let k = list(arg(&a, 0)?)?;
    let v = list(arg(&a, 1)?)?;
    if k.len() != v.len() {
        return Err("zipmap of lists of different lengths".into());
    }
    let mut out = hcl::Map::new();
    for (k, v) in k.iter().zip(v) {
        out.insert(string(k)?, v.clone());
    }
    Ok(Value::Object(out))
}

fn f_one(a: FuncArgs) -> R {
    let a = a.into_values();
    let l = list(arg(&a, 0)?)?;
    match l.len() {
        0 => Ok(Value::Null),
        1 => Ok(l[0].clone()),
        _ => Err("one of a list of more than one".into()),
    }
}

fn f_jsonencode(a: FuncArgs) -> R {
    let a = a.into_values();
    serde_json::to_string(arg(&a, 0)?)
        .map(Value::from)
        .map_err(|e| e.to_string())
}

fn f_range(a: FuncArgs) -> R {
    let n = nums(a)?;
    let (start, end, step) = match n.as_slice() {
        [e] => (0.0, *e, 1.0),
        [s, e] => (*s, *e, 1.0),
        [s, e, st] => (*s, *e, *st),
        _ => return Err("range takes 1 to 3 numbers".into()),
    };
    if step == 0.0 || (end - start) / step > 1.0e6 {
        return Err("range too long".into());
    }
    let mut out = Vec::new();
    let mut x = start;
    while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
        out.push(number(x));
        x += step;
    }
    Ok(Value::Array(out))
}

fn f_sort(a: FuncArgs) -> R {
    let a = a.into_values();
    let mut s: Vec<String> = list(arg(&a, 0)?)?
        .iter()
        .map(string)
        .collect::<Result<_, _>>()?;
    s.sort();
    Ok(Value::Array(s.into_iter().map(Value::from).collect()))
}

fn f_reverse(a: FuncArgs) -> R {
    let a = a.into_values();
    let mut l = list(arg(&a, 0)?)?.clone();
    l.reverse();
    Ok(Value::Array(l))
}

fn f_slice(a: FuncArgs) -> R {
    let a = a.into_values();
    let l = list(arg(&a, 0)?)?;
    let s = num(arg(&a, 1)?)? as usize;
    let e = num(arg(&a, 2)?)? as usize;
    if s > e || e > l.len() {
        return Err("slice out of range".into());
    }
    Ok(Value::Array(l[s..e].to_vec()))
}

fn f_index(a: FuncArgs) -> R {
    let a = a.into_values();
    list(arg(&a, 0)?)?
        .iter()
        .position(|v| v == arg(&a, 1).unwrap_or(&Value::Null))
        .map(|i| Value::from(i as i64))
        .ok_or_else(|| "not in the list".into())
}

fn f_setproduct(a: FuncArgs) -> R {
    let lists = a.into_values();
    let mut out: Vec<Vec<Value>> = vec![vec![]];
    for l in &lists {
        let l = list(l)?;
        let mut next = Vec::with_capacity(out.len() * l.len());
        for prefix in &out {
            for x in l {
                let mut p = prefix.clone();
                p.push(x.clone());
                next.push(p);
            }
        }
        if next.len() > 1_000_000 {
            return Err("setproduct too large".into());
        }
        out = next;
    }
    if lists.is_empty() {
        return Err("setproduct needs lists".into());
    }
    Ok(Value::Array(out.into_iter().map(Value::Array).collect()))
}

fn f_try(a: FuncArgs) -> R {
    a.into_values()
        .into_iter()
        .next()
        .ok_or_else(|| "try needs an argument".into())
}

fn f_can(_: FuncArgs) -> R {
    Ok(Value::Bool(true))
}

const FUNCS: &[(&str, hcl::eval::Func)] = &[
    ("lookup", f_lookup),
    ("coalesce", f_coalesce),
    ("coalescelist", f_coalescelist),
    ("merge", f_merge),
    ("concat", f_concat),
    ("length", f_length),
    ("keys", f_keys),
    ("values", f_values),
    ("contains", f_contains),
    ("element", f_element),
    ("join", f_join),
    ("split", f_split),
    ("lower", f_lower),
    ("upper", f_upper),
    ("title", f_title),
    ("trimspace", f_trimspace),
    ("trim", f_trim),
    ("trimprefix", f_trimprefix),
    ("trimsuffix", f_trimsuffix),
    ("startswith", f_startswith),
    ("endswith", f_endswith),
    ("replace", f_replace),
    ("substr", f_substr),
    ("format", f_format),
    ("tostring", f_tostring),
    ("tonumber", f_tonumber),
    ("tobool", f_tobool),
    ("tolist", f_tolist),
    ("toset", f_toset),
    ("tomap", f_tomap),
    ("distinct", f_distinct),
    ("flatten", f_flatten),
    ("compact", f_compact),
    ("min", f_min),
    ("max", f_max),
    ("sum", f_sum),
    ("ceil", f_ceil),
    ("floor", f_floor),
    ("abs", f_abs),
    ("zipmap", f_zipmap),
    ("one", f_one),
    ("jsonencode", f_jsonencode),
    ("range", f_range),
    ("sort", f_sort),
    ("reverse", f_reverse),
    ("slice", f_slice),
    ("index", f_index),
    ("setproduct", f_setproduct),
    ("try", f_try),
    ("can", f_can),
];

/// Whether the evaluator knows a function.
pub fn known(name: &str) -> bool {
    FUNCS.iter().any(|(n, _)| *n == name)
}

/// The evaluation context: every known function, no variables (the evaluator puts values into
/// the expression itself before hcl-rs evaluates it). Built once.
pub fn context() -> &'static Context<'static> {
    static CTX: OnceLock<Context<'static>> = OnceLock::new();
    CTX.get_or_init(|| {
        let mut ctx = Context::new();
        for (name, f) in FUNCS {
            ctx.declare_func(
                *name,
                FuncDef::builder().variadic_param(ParamType::Any).build(*f),
            );
        }
        ctx
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(s: &str) -> Value {
        let body: hcl::Body = format!("x = {s}").parse().unwrap();
        let e = body.attributes().next().unwrap().expr().clone();
        hcl::eval::Evaluate::evaluate(&e, context()).unwrap()
    }

    #[test]
    fn functions_give_what_terraform_gives() {
        assert_eq!(eval(r#"lookup({a = 1}, "b", 2)"#), Value::from(2));
        assert_eq!(eval(r#"coalesce("", null, "x")"#), Value::from("x"));
        assert_eq!(
            eval(r#"merge({a = 1}, {a = 2, b = 3})"#),
            hcl::value!({ a = 2, b = 3 })
        );
        assert_eq!(
            eval(r#"format("table/%s/index/%s", "t", "g")"#),
            Value::from("table/t/index/g")
        );
        assert_eq!(eval(r#"length(concat(["a"], ["b", "c"]))"#), Value::from(3));
        assert_eq!(eval(r#"keys({b = 1, a = 2})"#), hcl::value!(["a", "b"]));
        assert_eq!(eval(r#"toset(["b", "a", "b"])"#), hcl::value!(["a", "b"]));
        assert_eq!(eval(r#"upper(substr("hello", 1, 3))"#), Value::from("ELL"));
        assert_eq!(eval(r#"max(1, 5, 3)"#), Value::from(5));
        assert_eq!(
            eval(r#"jsonencode({a = [1]})"#),
            Value::from(r#"{"a":[1]}"#)
        );
    }
}
