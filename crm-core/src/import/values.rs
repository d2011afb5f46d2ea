//! The values of other CRMs' picklists read as ours: the standard lead statuses, lead sources,
//! ratings and opportunity stages of Salesforce, HubSpot, Zoho, SuiteCRM, Pipedrive and
//! EspoCRM, and
//! the `--map-value 'COLUMN:THEIRS=OURS'` a user adds for the rest.

use std::borrow::Cow;

use crate::{Error, Result};

/// (our value, the values other tools export for it). Only values that are not ours already:
/// a value we know is never translated. Compared as headers are: case, spaces and punctuation
/// aside ("Open - Not Contacted" is `opennotcontacted`).
type Synonyms = &'static [(&'static str, &'static [&'static str])];

/// A lead's stage (`New`, `Contacted`, `Qualified`, `Lost`) from other tools' lead statuses.
const LEAD_STAGES: Synonyms = &[
    (
        "New",
        &[
            // Salesforce, Zoho, HubSpot, SuiteCRM/EspoCRM
            "Open - Not Contacted",
            "Not Contacted",
            "Open",
            "Assigned",
            "Recycled",
            "Lead In",
        ],
    ),
    (
        "Contacted",
        &[
            "Working - Contacted",
            "Working",
            "Nurturing",
            "Attempted to Contact",
            "Contact in Future",
            "In Progress",
            "Connected",
            "In Process",
            "Contact Made",
        ],
    ),
    (
        "Qualified",
        &[
            "Pre-Qualified",
            "Open Deal",
            "Sales Qualified Lead",
            "Marketing Qualified Lead",
            "Closed - Converted",
        ],
    ),
    (
        "Lost",
        &[
            "Closed - Not Converted",
            "Junk Lead",
            "Lost Lead",
            "Not Qualified",
            "Unqualified",
            "Bad Timing",
            "Dead",
            "Disqualified",
        ],
    ),
];

/// A lead's source from other tools' lead sources.
const LEAD_SOURCES: Synonyms = &[
    (
        "Website",
        &[
            "Web",
            "Direct Traffic",
            "Organic Search",
            "Online Store",
            "Web Download",
            "Web Research",
            "Chat",
            "Inbound",
        ],
    ),
    ("Web form", &["Form", "Landing Page", "Contact Form"]),
    (
        "Event",
        &[
            "Trade Show",
            "Seminar - Internal",
            "Seminar - Partner",
            "Seminar Partner",
            "Internal Seminar",
            "Conference",
            "Exhibition",
        ],
    ),
    (
        "Referral",
        &[
            "Partner Referral",
            "Employee Referral",
            "External Referral",
            "Partner",
            "Referrals",
            "Word of mouth",
            "Existing Customer",
            "Employee",
            "AI Referrals",
        ],
    ),
    (
        "Email",
        &[
            "Email Marketing",
            "Sales Email Alias",
            "Sales Mail Alias",
            "Direct Mail",
            "Newsletter",
        ],
    ),
    (
        "Social",
        &[
            "Social Media",
            "Organic Social",
            "Facebook",
            "Twitter",
            "LinkedIn",
            "Instagram",
        ],
    ),
    (
        "Paid Ads",
        &[
            "Advertisement",
            "Paid Search",
            "Paid Social",
            "Google AdWords",
            "Display Ads",
        ],
    ),
    ("Cold call", &["Phone Inquiry", "Call", "Outbound"]),
    (
        "Import",
        &["Purchased List", "List Import", "Offline Sources"],
    ),
    (
        "Other",
        &[
            "Other Campaigns",
            "Public Relations",
            "Self Generated",
            "Campaign",
            "Unknown",
        ],
    ),
];

/// A lead's temperature (`Hot`, `Warm`, `Cold`) from other tools' ratings: Zoho's lead
/// "Rating" says how far a prospect has come ("Acquired", "Active", "Market Failed").
const TEMPERATURES: Synonyms = &[
    ("Hot", &["Very Hot", "High", "Hot Lead", "Acquired"]),
    ("Warm", &["Medium", "Lukewarm", "Warm Lead", "Active"]),
    (
        "Cold",
        &[
            "Low",
            "Cold Lead",
            "Market Failed",
            "Project Cancelled",
            "Project Canceled",
            "Shut Down",
            "Shutdown",
        ],
    ),
];

/// A deal's stage, as the default pipeline names them, from other tools' opportunity stages.
const DEAL_STAGES: Synonyms = &[
    (
        "New",
        &[
            "Prospecting",
            "appointmentscheduled",
            "Appointment Scheduled",
            "Lead In",
        ],
    ),
    (
        "Qualified",
        &[
            "Qualification",
            "Needs Analysis",
            "Id. Decision Makers",
            "Identify Decision Makers",
            "Perception Analysis",
            "qualifiedtobuy",
            "Qualified To Buy",
            "Contact Made",
        ],
    ),
    (
        "Proposal",
        &[
            "Value Proposition",
            "Proposal/Price Quote",
            "Proposal Made",
            "presentationscheduled",
            "Presentation Scheduled",
            "Demo Scheduled",
        ],
    ),
    (
        "Negotiation",
        &[
            "Negotiation/Review",
            "decisionmakerboughtin",
            "Decision Maker Bought-In",
            "contractsent",
            "Contract Sent",
            "Negotiations Started",
        ],
    ),
    ("Won", &["Closed Won", "closedwon", "Closed - Won"]),
    (
        "Lost",
        &[
            "Closed Lost",
            "closedlost",
            "Closed - Lost",
            "Closed-Lost to Competition",
        ],
    ),
];

/// The fields whose values are read through the tables above, by import field name.
fn synonyms_of(field: &str, deals: bool) -> Option<Synonyms> {
    match (field, deals) {
        ("stage", false) => Some(LEAD_STAGES),
        ("source", false) => Some(LEAD_SOURCES),
        ("temperature", false) => Some(TEMPERATURES),
        ("stage", true) => Some(DEAL_STAGES),
        _ => None,
    }
}

/// `a` and `b` compared as headers are (letters and digits, any case), without building either.
fn same(a: &str, b: &str) -> bool {
    fn folded(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
    }
    folded(a).eq(folded(b))
}

/// Our value for another tool's standard `value` of `field`, if the tables know it.
pub(crate) fn built_in(field: &str, deals: bool, value: &str) -> Option<&'static str> {
    synonyms_of(field, deals)?
        .iter()
        .find(|(_, theirs)| theirs.iter().any(|t| same(t, value)))
        .map(|(ours, _)| *ours)
}

/// The user's `--map-value 'COLUMN:THEIRS=OURS'` pairs, by field.
#[derive(Debug, Default, Clone)]
pub(crate) struct ValueMap {
    /// (field, their value, our value).
    pairs: Vec<(&'static str, String, String)>,
    deals: bool,
}

impl ValueMap {
    /// Reads the pairs; COLUMN is a field's name or a header of the file that maps to one.
    pub(crate) fn parse(
        given: &[String],
        deals: bool,
        field_of: impl Fn(&str) -> Option<&'static str>,
    ) -> Result<ValueMap> {
        let mut pairs = Vec::with_capacity(given.len());
        for text in given {
            let bad = || {
                Error::invalid(
                    "map-value",
                    format!("'{text}' is not COLUMN:THEIRS=OURS (stage:Working=Contacted)"),
                )
            };
            let (column, rest) = text.split_once(':').ok_or_else(bad)?;
            let (theirs, ours) = rest.split_once('=').ok_or_else(bad)?;
            let field = field_of(column.trim()).ok_or_else(|| {
                Error::invalid(
                    "map-value",
                    format!("'{}' names no column or field of the file", column.trim()),
                )
            })?;
            if ours.trim().is_empty() {
                return Err(bad());
            }
            pairs.push((field, theirs.trim().to_string(), ours.trim().to_string()));
        }
        Ok(ValueMap { pairs, deals })
    }

    /// `value` of `field` as ours: the user's mapping first, then the built-in synonyms, else
    /// as it is (ours already, or refused by the field's own rule).
    pub(crate) fn translate<'v>(&self, field: &str, value: &'v str) -> Cow<'v, str> {
        if let Some((_, _, ours)) = self
            .pairs
            .iter()
            .find(|(f, theirs, _)| *f == field && same(theirs, value))
        {
            return Cow::Owned(ours.clone());
        }
        match built_in(field, self.deals, value) {
            Some(ours) => Cow::Borrowed(ours),
            None => Cow::Borrowed(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::columns::normalise;
    use crate::{LeadSource, LeadStage, Temperature};

    /// Every row of the tables, one at a time: its value is one of ours, and none of the
    /// values it translates is ours already (a value we know is never changed).
    fn is_ours(table: &str, value: &str) -> bool {
        match table {
            "lead stage" => value.parse::<LeadStage>().is_ok(),
            "lead source" => value.parse::<LeadSource>().is_ok(),
            "temperature" => value.parse::<Temperature>().is_ok(),
            _ => ["New", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]
                .iter()
                .any(|s| normalise(s) == normalise(value)),
        }
    }

    #[test]
    fn every_synonym_names_one_of_our_values_and_none_is_ours_already() {
        for (name, table) in [
            ("lead stage", LEAD_STAGES),
            ("lead source", LEAD_SOURCES),
            ("temperature", TEMPERATURES),
            ("deal stage", DEAL_STAGES),
        ] {
            for (ours, theirs) in table {
                assert!(is_ours(name, ours), "{name}: '{ours}' is not ours");
                for t in *theirs {
                    assert!(!is_ours(name, t), "{name}: '{t}' is ours already");
                }
            }
        }
    }

    #[test]
    fn each_tools_standard_values_read_as_ours() {
        let lead = |field, v| built_in(field, false, v);
        assert_eq!(lead("stage", "Open - Not Contacted"), Some("New"));
        assert_eq!(lead("stage", "Working - Contacted"), Some("Contacted"));
        assert_eq!(lead("stage", "Nurturing"), Some("Contacted"));
        assert_eq!(lead("stage", "Closed - Not Converted"), Some("Lost"));
        assert_eq!(lead("stage", "Attempted to Contact"), Some("Contacted"));
        assert_eq!(lead("stage", "Junk Lead"), Some("Lost"));
        assert_eq!(lead("stage", "Pre-Qualified"), Some("Qualified"));
        assert_eq!(lead("stage", "BAD TIMING"), Some("Lost"));
        assert_eq!(lead("stage", "In Process"), Some("Contacted"));
        assert_eq!(lead("stage", "Recycled"), Some("New"));
        assert_eq!(lead("source", "Web"), Some("Website"));
        assert_eq!(lead("source", "Phone Inquiry"), Some("Cold call"));
        assert_eq!(lead("source", "Partner Referral"), Some("Referral"));
        assert_eq!(lead("source", "Purchased List"), Some("Import"));
        assert_eq!(lead("source", "Sales Mail Alias"), Some("Email"));
        assert_eq!(lead("source", "Direct Traffic"), Some("Website"));
        assert_eq!(lead("source", "Paid Social"), Some("Paid Ads"));
        assert_eq!(lead("source", "Self Generated"), Some("Other"));
        assert_eq!(lead("temperature", "Acquired"), Some("Hot"));
        assert_eq!(lead("temperature", "Market Failed"), Some("Cold"));
        assert_eq!(lead("temperature", "medium"), Some("Warm"));
        assert_eq!(built_in("stage", true, "Closed Won"), Some("Won"));
        assert_eq!(built_in("stage", true, "closedlost"), Some("Lost"));
        assert_eq!(
            built_in("stage", true, "Proposal/Price Quote"),
            Some("Proposal")
        );
        // Ours, or nobody's: left as they are.
        assert_eq!(lead("stage", "Qualified"), None);
        assert_eq!(lead("stage", "Thinking about it"), None);
        assert_eq!(lead("notes", "Working"), None);
    }

    /// Every (field, their value, our value) of the tables.
    fn every_synonym() -> Vec<(&'static str, bool, &'static str, &'static str)> {
        [
            ("stage", false, LEAD_STAGES),
            ("source", false, LEAD_SOURCES),
            ("temperature", false, TEMPERATURES),
            ("stage", true, DEAL_STAGES),
        ]
        .into_iter()
        .flat_map(|(field, deals, table)| {
            table.iter().flat_map(move |(ours, theirs)| {
                theirs.iter().map(move |t| (field, deals, *t, *ours))
            })
        })
        .collect()
    }

    proptest::proptest! {
        /// Any mix of case, spacing and punctuation of a known value maps to the same value
        /// (issue 21's property).
        #[test]
        fn any_case_and_spacing_of_a_known_value_maps_alike(
            pick in 0usize..1000,
            cases in proptest::collection::vec(proptest::bool::ANY, 64),
            gaps in proptest::collection::vec(0usize..4, 64),
        ) {
            let all = every_synonym();
            let (field, deals, theirs, ours) = all[pick % all.len()];
            let mut mixed = String::new();
            for (i, c) in theirs.chars().enumerate() {
                let upper = cases[i % cases.len()];
                if upper {
                    mixed.extend(c.to_uppercase());
                } else {
                    mixed.extend(c.to_lowercase());
                }
                mixed.push_str(["", " ", "-", "_"][gaps[i % gaps.len()]]);
            }
            proptest::prop_assert_eq!(built_in(field, deals, &mixed), Some(ours), "{}", mixed);
        }
    }

    #[test]
    fn the_users_map_comes_first_and_names_columns_or_fields() {
        let field_of = |c: &str| match normalise(c).as_str() {
            "stage" | "leadstatus" => Some("stage"),
            _ => None,
        };
        let map = ValueMap::parse(
            &[
                "Lead Status:Working=Qualified".into(),
                "stage:Hot=Qualified".into(),
            ],
            false,
            field_of,
        )
        .unwrap();
        assert_eq!(map.translate("stage", "working"), "Qualified");
        assert_eq!(map.translate("stage", "HOT"), "Qualified");
        assert_eq!(map.translate("stage", "Nurturing"), "Contacted");
        assert_eq!(map.translate("source", "Working"), "Working");
        for bad in [
            "stage=Working",
            "stage:Working",
            "colour:red=Lost",
            "stage:x=",
        ] {
            let err = ValueMap::parse(&[bad.into()], false, field_of).unwrap_err();
            assert!(
                err.to_string().starts_with("invalid map-value:"),
                "{bad}: {err}"
            );
        }
    }
}
