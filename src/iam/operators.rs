//! Condition operator names: base operator, `…IfExists`, `ForAnyValue:` / `ForAllValues:`.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OpBase {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

const NAMES: &[(&str, OpBase)] = &[
    ("StringEquals", OpBase::StringEquals),
    ("StringNotEquals", OpBase::StringNotEquals),
    ("StringEqualsIgnoreCase", OpBase::StringEqualsIgnoreCase),
    (
        "StringNotEqualsIgnoreCase",
        OpBase::StringNotEqualsIgnoreCase,
    ),
    ("StringLike", OpBase::StringLike),
    ("StringNotLike", OpBase::StringNotLike),
    ("NumericEquals", OpBase::NumericEquals),
    ("NumericNotEquals", OpBase::NumericNotEquals),
    ("NumericLessThan", OpBase::NumericLessThan),
    ("NumericLessThanEquals", OpBase::NumericLessThanEquals),
    ("NumericGreaterThan", OpBase::NumericGreaterThan),
    ("NumericGreaterThanEquals", OpBase::NumericGreaterThanEquals),
    ("DateEquals", OpBase::DateEquals),
    ("DateNotEquals", OpBase::DateNotEquals),
    ("DateLessThan", OpBase::DateLessThan),
    ("DateLessThanEquals", OpBase::DateLessThanEquals),
    ("DateGreaterThan", OpBase::DateGreaterThan),
    ("DateGreaterThanEquals", OpBase::DateGreaterThanEquals),
    ("Bool", OpBase::Bool),
    ("BinaryEquals", OpBase::BinaryEquals),
    ("IpAddress", OpBase::IpAddress),
    ("NotIpAddress", OpBase::NotIpAddress),
    ("ArnEquals", OpBase::ArnEquals),
    ("ArnLike", OpBase::ArnLike),
    ("ArnNotEquals", OpBase::ArnNotEquals),
    ("ArnNotLike", OpBase::ArnNotLike),
    ("Null", OpBase::Null),
];

impl OpBase {
    /// Negated operators combine their values with NOR and are true when the key is absent.
    pub fn is_negated(self) -> bool {
        matches!(
            self,
            OpBase::StringNotEquals
                | OpBase::StringNotEqualsIgnoreCase
                | OpBase::StringNotLike
                | OpBase::NumericNotEquals
                | OpBase::DateNotEquals
                | OpBase::NotIpAddress
                | OpBase::ArnNotEquals
                | OpBase::ArnNotLike
        )
    }

    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(_, b)| *b == self)
            .map_or("?", |(n, _)| n)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    None,
    ForAnyValue,
    ForAllValues,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operator {
    pub base: OpBase,
    pub if_exists: bool,
    pub set: SetQualifier,
}

impl Operator {
    /// Operator names are case-sensitive in AWS; anything else is an unknown operator.
    pub fn parse(text: &str) -> Option<Operator> {
        let (set, rest) = if let Some(r) = text.strip_prefix("ForAnyValue:") {
            (SetQualifier::ForAnyValue, r)
        } else if let Some(r) = text.strip_prefix("ForAllValues:") {
            (SetQualifier::ForAllValues, r)
        } else {
            (SetQualifier::None, text)
        };
        let lookup = |name: &str| NAMES.iter().find(|(n, _)| *n == name).map(|(_, b)| *b);
        if let Some(base) = lookup(rest) {
            return Some(Operator {
                base,
                if_exists: false,
                set,
            });
        }
        let base = lookup(rest.strip_suffix("IfExists")?)?;
        if base == OpBase::Null {
            return None;
        }
        Some(Operator {
            base,
            if_exists: true,
            set,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_names() {
        let op = Operator::parse("ForAllValues:StringLikeIfExists").unwrap();
        assert_eq!(op.base, OpBase::StringLike);
        assert!(op.if_exists);
        assert_eq!(op.set, SetQualifier::ForAllValues);
        assert!(Operator::parse("StringEqualz").is_none());
        assert!(Operator::parse("stringequals").is_none());
        assert!(Operator::parse("NullIfExists").is_none());
        assert!(OpBase::NotIpAddress.is_negated());
        assert_eq!(OpBase::ArnLike.name(), "ArnLike");
    }
}
