//! `Value<T>`: a model field that knows whether it is known, a reference, or unknown until apply.

use crate::source::Loc;
use crate::syntax::{Part, Reference, Why};

#[derive(Clone, Debug, PartialEq)]
pub enum Value<T> {
    Known(T, Loc),
    /// A reference to another resource's attribute, resolved by the graph.
    Ref(Reference, Loc),
    /// A string mixing literal text and references (`"${aws_s3_bucket.dst.arn}/*"`).
    Template(Vec<Part>, Loc),
    /// Not knowable before apply (computed, data source, external input).
    Unknown(Why, Loc),
    /// Not set; the location is where it would be added (the owning block).
    Absent(Loc),
}

impl<T> Default for Value<T> {
    fn default() -> Self {
        Value::Absent(Loc::None)
    }
}

impl<T> Value<T> {
    pub fn known(value: T, loc: Loc) -> Value<T> {
        Value::Known(value, loc)
    }

    pub fn unknown(why: impl Into<Box<str>>, loc: Loc) -> Value<T> {
        Value::Unknown(Why::new(why), loc)
    }

    pub fn loc(&self) -> &Loc {
        match self {
            Value::Known(_, l)
            | Value::Ref(_, l)
            | Value::Template(_, l)
            | Value::Unknown(_, l)
            | Value::Absent(l) => l,
        }
    }

    pub fn get(&self) -> Option<&T> {
        match self {
            Value::Known(v, _) => Some(v),
            _ => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Value::Absent(_))
    }

    pub fn is_present(&self) -> bool {
        !self.is_absent()
    }

    pub fn is_known(&self) -> bool {
        matches!(self, Value::Known(..))
    }

    /// Keeps the location and the reference/unknown state, converting a known value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Value<U> {
        match self {
            Value::Known(v, l) => Value::Known(f(v), l),
            Value::Ref(r, l) => Value::Ref(r, l),
            Value::Template(p, l) => Value::Template(p, l),
            Value::Unknown(w, l) => Value::Unknown(w, l),
            Value::Absent(l) => Value::Absent(l),
        }
    }

    /// This value unless it is absent, in which case `other`.
    pub fn or(self, other: Value<T>) -> Value<T> {
        if self.is_absent() { other } else { self }
    }
}

impl Value<String> {
    pub fn as_str(&self) -> Option<&str> {
        self.get().map(String::as_str)
    }

    /// Whether the value is known and equal to `text`, ignoring ASCII case.
    pub fn is(&self, text: &str) -> bool {
        self.as_str().is_some_and(|s| s.eq_ignore_ascii_case(text))
    }
}

impl Value<bool> {
    pub fn is_true(&self) -> bool {
        matches!(self, Value::Known(true, _))
    }
}
