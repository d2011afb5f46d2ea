//! The `fixed_set!` macro: one definition gives an enum its `ALL`, `as_str`, `Display`, a
//! case-insensitive `FromStr` whose error lists the valid values, and serde as the same text.

use std::fmt;

/// A value outside a fixed set; the message lists what would have been accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    /// What kind of value was being parsed ("role", "stage", ...).
    pub kind: &'static str,
    /// The rejected input.
    pub value: String,
    /// Every accepted value.
    pub valid: &'static [&'static str],
}

impl fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} '{}' (expected one of: {})",
            self.kind,
            self.value,
            self.valid.join(", ")
        )
    }
}

impl std::error::Error for ParseEnumError {}

impl From<ParseEnumError> for crate::Error {
    fn from(err: ParseEnumError) -> Self {
        crate::Error::invalid(err.kind, err.to_string())
    }
}

/// Loose comparison for user input: case, spaces, dashes and underscores do not matter, so
/// `Sales Rep`, `sales-rep` and `SALES_REP` all name `sales_rep`. Compared char by char, without
/// building the folded strings: every import row parses its stage and source through here,
/// against each name of the set (the allocations were 2.4% of a million-lead import).
pub(crate) fn loosely_equal(a: &str, b: &str) -> bool {
    fn fold(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
    }
    fold(a).eq(fold(b))
}

macro_rules! fixed_set {
    (
        $(#[$doc:meta])*
        $name:ident, $kind:literal { $( $(#[$vdoc:meta])* $variant:ident => $text:literal ),+ $(,)? }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vdoc])* $variant ),+
        }

        impl $name {
            /// Every value, in their natural order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The text of every value, as stored and shown.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The stored and displayed text.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::model::ParseEnumError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let wanted = s.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| $crate::model::fixed_set::loosely_equal(v.as_str(), wanted))
                    .ok_or_else(|| $crate::model::ParseEnumError {
                        kind: $kind,
                        value: s.to_string(),
                        valid: $name::NAMES,
                    })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "enum": [$($text),+] })
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use fixed_set;

#[cfg(test)]
mod tests {
    use super::loosely_equal;

    #[test]
    fn loose_equality_ignores_case_and_separators() {
        assert!(loosely_equal("sales_rep", "Sales Rep"));
        assert!(loosely_equal("In Progress", "in-progress"));
        assert!(!loosely_equal("sales_rep", "sales"));
    }
}
