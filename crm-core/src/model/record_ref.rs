//! A reference to one record, written `deal:5`, as tasks, notes and the activity feed use it.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::EntityKind;
use crate::Error;

/// One record: its kind and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
pub struct RecordRef {
    pub kind: EntityKind,
    pub id: i64,
}

impl RecordRef {
    pub fn new(kind: EntityKind, id: i64) -> RecordRef {
        RecordRef { kind, id }
    }
}

/// A typed id names its record: `RecordRef::from(deal_id)`.
macro_rules! record_of {
    ($($id:ident => $kind:ident),* $(,)?) => {$(
        impl From<crate::$id> for RecordRef {
            fn from(id: crate::$id) -> RecordRef {
                RecordRef::new(EntityKind::$kind, id.0)
            }
        }
    )*};
}

record_of! {
    ContactId => Contact,
    CompanyId => Company,
    CampaignId => Campaign,
    LeadId => Lead,
    DealId => Deal,
    TicketId => Ticket,
    TaskId => Task,
}

impl fmt::Display for RecordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind, self.id)
    }
}

impl FromStr for RecordRef {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            Error::invalid(
                "record",
                format!("'{s}' is not KIND:ID, e.g. deal:5 or lead:12"),
            )
        };
        let (kind, id) = s.trim().split_once(':').ok_or_else(bad)?;
        let kind: EntityKind = kind
            .parse()
            .map_err(|e: super::ParseEnumError| Error::invalid("record", e.to_string()))?;
        let id: i64 = id.trim().parse().ok().filter(|n| *n > 0).ok_or_else(bad)?;
        Ok(RecordRef { kind, id })
    }
}

/// Read from the text `deal:5`, as the CLI's arguments and the server's parameters write it
/// (it is written out as `{"kind", "id"}`).
impl<'de> serde::Deserialize<'de> for RecordRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse_and_print_the_same() {
        let r: RecordRef = "Deal:5".parse().unwrap();
        assert_eq!(r, RecordRef::new(EntityKind::Deal, 5));
        assert_eq!(r.to_string(), "deal:5");
        assert!("deal".parse::<RecordRef>().is_err());
        assert!("deal:-1".parse::<RecordRef>().is_err());
        assert!(
            "planet:1"
                .parse::<RecordRef>()
                .unwrap_err()
                .to_string()
                .contains("unknown entity type 'planet'")
        );
    }
}
