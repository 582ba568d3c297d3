//! HCL values as the plan builds them: strings (escaped when rendered), references and
//! expressions written by capform itself, numbers, lists, objects and string templates.
//!
//! An `HclValue` serializes as its HCL text (see `render::hcl`), so a template receives it
//! ready to lay out and never handles the value's parts.

/// Text that is most often a constant of capform's (`"AWS/DynamoDB"`, `"Sum"`, an object
/// key): borrowed then, so the thousands of metric rows of a large dashboard do not each
/// allocate their own copies.
pub type Text = std::borrow::Cow<'static, str>;

/// A value the render stage writes as HCL.
#[derive(Clone, Debug, PartialEq)]
pub enum HclValue {
    /// A string literal; escaped by the render stage's one escaping function.
    Str(Text),
    /// An expression written by capform (a reference such as `var.tags`). Never user text.
    Expr(Text),
    /// A number, as its literal text.
    Num(String),
    /// `true` / `false`.
    Bool(bool),
    /// A tuple.
    List(Vec<HclValue>),
    /// An object, in order.
    Object(Vec<(Text, HclValue)>),
    /// A string template: literal text (escaped) and `${…}` interpolations (capform's own).
    Template(Vec<Seg>),
}

/// One piece of a string template.
#[derive(Clone, Debug, PartialEq)]
pub enum Seg {
    /// Literal text; escaped when rendered.
    Text(String),
    /// An interpolated expression written by capform.
    Interp(String),
}

impl HclValue {
    /// A string.
    pub fn string(v: impl Into<Text>) -> Self {
        HclValue::Str(v.into())
    }
    /// An expression.
    pub fn expr(v: impl Into<Text>) -> Self {
        HclValue::Expr(v.into())
    }
    /// A whole number.
    pub fn number(v: impl std::fmt::Display) -> Self {
        HclValue::Num(v.to_string())
    }
    /// An object from pairs.
    pub fn obj<K: Into<Text>>(pairs: impl IntoIterator<Item = (K, HclValue)>) -> Self {
        HclValue::Object(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// How many leaf metric entries a dashboard `metrics` list holds, and similar counts.
    pub fn len(&self) -> usize {
        match self {
            HclValue::List(v) => v.len(),
            HclValue::Object(v) => v.len(),
            _ => 1,
        }
    }

    /// Whether an empty list or object.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The field of an object.
    pub fn get(&self, key: &str) -> Option<&HclValue> {
        match self {
            HclValue::Object(v) => v.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string of a `Str`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            HclValue::Str(s) => Some(s.as_ref()),
            _ => None,
        }
    }

    /// The integer of a `Num`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            HclValue::Num(s) => s.parse().ok(),
            _ => None,
        }
    }
}
