//! Variable type constraints (`type = object({ billing_mode = optional(string, "PROVISIONED") })`)
//! and the conversions Terraform applies to a variable's value: strings from numbers and bools,
//! an object's missing optional attributes filled with their defaults (or null), undeclared
//! attributes dropped, sets sorted and made distinct.

use hcl::{Expression, Value};

/// A type constraint.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    /// `any`, or a constraint capform does not read.
    Any,
    /// `string`.
    String,
    /// `number`.
    Number,
    /// `bool`.
    Bool,
    /// `list(T)`.
    List(Box<Type>),
    /// `set(T)`.
    Set(Box<Type>),
    /// `map(T)`.
    Map(Box<Type>),
    /// `tuple([T, …])`.
    Tuple(Vec<Type>),
    /// `object({ name = T, … })`; an optional attribute carries its default (`None`: null).
    Object(Vec<Attr>),
}

/// An attribute of an object type.
#[derive(Clone, Debug, PartialEq)]
pub struct Attr {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// `optional(T)` → `Some(None)`; `optional(T, default)` → `Some(Some(default))`.
    pub optional: Option<Option<Value>>,
}

fn ident(e: &Expression) -> Option<&str> {
    match e {
        Expression::Variable(v) => Some(v.as_str()),
        _ => None,
    }
}

/// Read a type constraint; what capform does not know reads as [`Type::Any`].
pub fn parse(e: &Expression) -> Type {
    match e {
        Expression::Variable(v) => match v.as_str() {
            "string" => Type::String,
            "number" => Type::Number,
            "bool" => Type::Bool,
            _ => Type::Any,
        },
        Expression::Parenthesis(inner) => parse(inner),
        Expression::FuncCall(f) => {
            let arg = f.args.first();
            match f.name.name.as_str() {
                "list" => Type::List(Box::new(arg.map(parse).unwrap_or(Type::Any))),
                "set" => Type::Set(Box::new(arg.map(parse).unwrap_or(Type::Any))),
                "map" => Type::Map(Box::new(arg.map(parse).unwrap_or(Type::Any))),
                "tuple" => match arg {
                    Some(Expression::Array(items)) => {
                        Type::Tuple(items.iter().map(parse).collect())
                    }
                    _ => Type::Any,
                },
                "object" => match arg {
                    Some(Expression::Object(o)) => Type::Object(
                        o.iter()
                            .filter_map(|(k, v)| {
                                let name = match k {
                                    hcl::ObjectKey::Identifier(i) => i.as_str().to_owned(),
                                    hcl::ObjectKey::Expression(Expression::String(s)) => s.clone(),
                                    hcl::ObjectKey::Expression(e) => ident(e)?.to_owned(),
                                    _ => return None,
                                };
                                Some(attr(name, v))
                            })
                            .collect(),
                    ),
                    _ => Type::Any,
                },
                _ => Type::Any,
            }
        }
        _ => Type::Any,
    }
}

fn attr(name: String, e: &Expression) -> Attr {
    if let Expression::FuncCall(f) = e
        && f.name.name.as_str() == "optional"
    {
        let ty = f.args.first().map(parse).unwrap_or(Type::Any);
        let default = f.args.get(1).and_then(literal).map(|v| convert(v, &ty));
        return Attr {
            name,
            ty,
            optional: Some(default),
        };
    }
    Attr {
        name,
        ty: parse(e),
        optional: None,
    }
}

/// A constant expression's value (defaults in types and `variable` blocks are constants).
pub fn literal(e: &Expression) -> Option<Value> {
    hcl::eval::Evaluate::evaluate(e, &hcl::eval::Context::new()).ok()
}

/// Convert a value to a type as Terraform does for a variable; what does not convert is left
/// as it is (Terraform would refuse it at plan, and no rule judges it).
pub fn convert(v: Value, t: &Type) -> Value {
    match (t, v) {
        (_, Value::Null) => Value::Null,
        (Type::Any, v) => v,
        (Type::String, Value::Number(n)) => Value::String(n.to_string()),
        (Type::String, Value::Bool(b)) => Value::String(b.to_string()),
        (Type::Number, Value::String(s)) => match s.parse::<i64>() {
            Ok(i) => Value::from(i),
            Err(_) => s
                .parse::<f64>()
                .ok()
                .and_then(hcl::Number::from_f64)
                .map(Value::Number)
                .unwrap_or(Value::String(s)),
        },
        (Type::Bool, Value::String(s)) if s == "true" || s == "false" => Value::Bool(s == "true"),
        (Type::List(el), Value::Array(a)) => {
            Value::Array(a.into_iter().map(|x| convert(x, el)).collect())
        }
        (Type::Set(el), Value::Array(a)) => {
            let mut items: Vec<Value> = a.into_iter().map(|x| convert(x, el)).collect();
            if items.iter().all(|x| matches!(x, Value::String(_))) {
                items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            }
            items.dedup();
            Value::Array(items)
        }
        (Type::Tuple(els), Value::Array(a)) => Value::Array(
            a.into_iter()
                .enumerate()
                .map(|(i, x)| match els.get(i) {
                    Some(t) => convert(x, t),
                    None => x,
                })
                .collect(),
        ),
        (Type::Map(el), Value::Object(o)) => {
            Value::Object(o.into_iter().map(|(k, x)| (k, convert(x, el))).collect())
        }
        (Type::Object(attrs), Value::Object(mut o)) => {
            let mut out = hcl::Map::new();
            for a in attrs {
                match o.swap_remove(&a.name) {
                    Some(Value::Null) | None => {
                        let v = match &a.optional {
                            Some(Some(default)) => default.clone(),
                            _ => Value::Null,
                        };
                        out.insert(a.name.clone(), v);
                    }
                    Some(v) => {
                        out.insert(a.name.clone(), convert(v, &a.ty));
                    }
                }
            }
            Value::Object(out)
        }
        (_, v) => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(s: &str) -> Type {
        let body: hcl::Body = format!("t = {s}").parse().unwrap();
        let e = body.attributes().next().unwrap().expr().clone();
        parse(&e)
    }

    #[test]
    fn optional_attributes_take_their_defaults() {
        let t = ty(
            r#"map(object({ billing_mode = optional(string, "PAY_PER_REQUEST"), rcu = optional(number), name = string }))"#,
        );
        let v: Value = hcl::value!({ a = { name = "orders", extra = true } });
        let got = convert(v, &t);
        assert_eq!(
            got,
            hcl::value!({ a = { billing_mode = "PAY_PER_REQUEST", rcu = null, name = "orders" } })
        );
    }

    #[test]
    fn scalars_convert_as_terraform_converts_them() {
        assert_eq!(convert(Value::from(5), &Type::String), Value::from("5"));
        assert_eq!(convert(Value::from("7"), &Type::Number), Value::from(7));
        assert_eq!(convert(Value::from("true"), &Type::Bool), Value::from(true));
        assert_eq!(
            convert(hcl::value!(["b", "a", "b"]), &ty("set(string)")),
            hcl::value!(["a", "b"])
        );
    }
}
