//! A record's version: how many times it has been saved, so a writer can say which state it read
//! and be refused when someone else saved in between ("no lost updates").

use std::fmt;
use std::str::FromStr;

/// The number the database keeps per record; every change adds one.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct Version(pub i64);

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for Version {
    type Err = crate::Error;

    /// "3", or an HTTP entity tag of one (`"3"`, `W/"3"`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bare = s.trim().trim_start_matches("W/").trim_matches('"');
        match bare.parse::<i64>() {
            Ok(n) if n > 0 => Ok(Version(n)),
            _ => Err(crate::Error::invalid(
                "version",
                format!("'{s}' is not a record version (a positive whole number)"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Version;

    #[test]
    fn a_version_reads_from_a_number_or_an_entity_tag() {
        assert_eq!("3".parse::<Version>().unwrap(), Version(3));
        assert_eq!("\"12\"".parse::<Version>().unwrap(), Version(12));
        assert_eq!("W/\"7\"".parse::<Version>().unwrap(), Version(7));
        for bad in ["", "0", "-1", "x", "\"\""] {
            let err = bad.parse::<Version>().unwrap_err().to_string();
            assert!(err.starts_with("invalid version:"), "{bad}: {err}");
        }
    }
}
