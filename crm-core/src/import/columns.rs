//! Which field of a record each column of an imported file fills: header names compared without
//! case, spaces or punctuation, common aliases from other tools' exports, and `--map` overrides.

use super::ImportKind;
use crate::{Error, Result};

/// One importable field: its name (as exported and as `--map` names it) and other headers that
/// mean it, already normalised.
pub(crate) struct Field {
    pub(crate) name: &'static str,
    aliases: &'static [&'static str],
}

const fn f(name: &'static str, aliases: &'static [&'static str]) -> Field {
    Field { name, aliases }
}

const PERSON: &[Field] = &[
    f("first_name", &["first", "givenname", "forename"]),
    f("last_name", &["last", "surname", "familyname"]),
    // Split at the last space, and only when the file has no first-name column.
    f("name", &["fullname", "contactname", "leadname"]),
    f(
        "email",
        &[
            "emailaddress",
            "mail",
            "email1",
            "primaryemail",
            "workemail",
            // Google Contacts, Outlook, Mailchimp, LinkedIn, Zoho, SuiteCRM
            "email1value",
            "emailaddress1",
            "businessemail",
            "email1address",
        ],
    ),
    f(
        "phone",
        &[
            "phonenumber",
            "mobile",
            "mobilephone",
            "telephone",
            "tel",
            "cell",
            "workphone",
            // Google Contacts, Outlook, HubSpot, Salesforce, SuiteCRM
            "phone1value",
            "businessphone",
            "mobilephonenumber",
            "primaryphone",
            "officephone",
            "homephone",
        ],
    ),
    f(
        "company",
        &[
            "companyname",
            "organization",
            "organisation",
            "org",
            "account",
            "accountname",
            // Google Contacts ("Organization 1 - Name"), Apple/iCloud
            "organization1name",
            "organizationname",
        ],
    ),
    f(
        "job_title",
        &[
            "title",
            "position",
            "designation",
            "role",
            "organization1title",
            "jobtitle1",
        ],
    ),
    f(
        "location",
        &[
            "city",
            "address",
            "mailingcity",
            "primarycity",
            "businesscity",
            "address1city",
        ],
    ),
    f(
        "owner",
        &[
            "ownerusername",
            "assignedto",
            "salesrep",
            "rep",
            // HubSpot, Zoho, Salesforce, SuiteCRM
            "contactowner",
            "leadowner",
            "owneralias",
            "assignedusername",
        ],
    ),
    f(
        "consent_email",
        &["emailconsent", "emailoptin", "optin", "marketingconsent"],
    ),
    f("consent_gdpr", &["gdpr", "gdprconsent"]),
    f("consent_ccpa", &["ccpa", "ccpaconsent"]),
];

const CONTACT: &[Field] = &[f("tags", &["tag", "labels"])];

const LEAD: &[Field] = &[
    f("industry", &["sector"]),
    f("region", &["territory"]),
    f("campaign", &["campaigncode", "campaignname"]),
    f("source", &["leadsource", "originalsource"]),
    f("utm_source", &[]),
    f("utm_medium", &[]),
    f("utm_campaign", &[]),
    f(
        "stage",
        &["status", "leadstatus", "leadstage", "hsleadstatus"],
    ),
    f("score", &["leadscore"]),
    // How warm a lead is (Salesforce's and Zoho's "Rating"): read into the score.
    f("temperature", &["rating", "leadrating", "leadtemperature"]),
    f("status_reason", &["reason"]),
    f(
        "notes",
        &["note", "comments", "comment", "description", "message"],
    ),
    f("bant_budget", &["budget"]),
    f("bant_authority", &["authority"]),
    f("bant_need", &["need"]),
    f("bant_timeline", &["timeline"]),
    f(
        "interested_products",
        &["products", "productinterest", "interestedin"],
    ),
];

const DEAL: &[Field] = &[
    f(
        "title",
        &["dealname", "deal", "opportunity", "opportunityname", "name"],
    ),
    f("contact_email", &["email"]),
    f("contact_id", &[]),
    f(
        "company",
        &[
            "account",
            "accountname",
            "companyname",
            "organisation",
            "organization",
        ],
    ),
    f("campaign", &["campaigncode", "campaignname"]),
    f("amount", &["value", "dealvalue", "dealamount"]),
    f("currency", &[]),
    f("stage", &["dealstage", "pipelinestage"]),
    f("probability", &["winprobability"]),
    f(
        "expected_close",
        &["closedate", "expectedclosedate", "expectedclosingdate"],
    ),
    f(
        "owner",
        &[
            "ownerusername",
            "assignedto",
            "salesrep",
            "rep",
            "dealowner",
            "opportunityowner",
        ],
    ),
    f(
        "lost_reason",
        &["reasonlost", "lossreason", "closedlostreason"],
    ),
];

const CAMPAIGN: &[Field] = &[
    f("name", &["campaignname", "campaign"]),
    f("code", &["campaigncode", "campaignid"]),
    f("description", &[]),
    f("business_unit", &["bu"]),
    f("objective", &["goal"]),
    f("channel", &[]),
    f("audience_segment", &["audience", "segment"]),
    f("product_line", &["product"]),
    f("start_date", &["start", "startson"]),
    f("end_date", &["end", "endson"]),
    f("currency", &[]),
    f("budget", &[]),
    f("expected_spend", &[]),
    f("planned_leads", &["leadtarget", "targetleads"]),
    f("owner", &[]),
    f("team", &["teammembers", "members"]),
    f("status", &[]),
    f("priority", &[]),
    f("compliance_checklist", &["compliance"]),
    f("external_campaign_id", &["externalid"]),
    f("utm_source", &[]),
    f("utm_medium", &[]),
    f("utm_campaign", &[]),
];

/// Every field a kind of record can be imported with, in the order of the tables above.
pub(crate) fn fields(kind: ImportKind) -> Vec<&'static Field> {
    match kind {
        ImportKind::Contacts => PERSON.iter().chain(CONTACT).collect(),
        ImportKind::Leads => PERSON.iter().chain(LEAD).collect(),
        ImportKind::Deals => DEAL.iter().collect(),
        ImportKind::Campaigns => CAMPAIGN.iter().collect(),
    }
}

/// A header as compared: lower case letters and digits only, so "E-mail", "email" and
/// " Email " are one name and "First Name" is `first_name`.
pub(crate) fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where each field's value is in a row, and what the file has that no field takes.
#[derive(Debug, Default, Clone)]
pub(crate) struct ColumnMap {
    /// (field name, index of its column) for every mapped field.
    pub(crate) fields: Vec<(&'static str, usize)>,
    /// Columns that fill their field only by an alias (not its name, not `--map`): a custom
    /// field named as the header exactly takes such a column instead.
    pub(crate) by_alias: Vec<usize>,
    /// Further columns of a name the header repeats ("Company Name" and "Company name", as
    /// HubSpot exports hold): (field, column). A row's first non-empty cell of them wins.
    pub(crate) also: Vec<(&'static str, usize)>,
    /// The repeated names, as a sentence each, for the import's summary.
    pub(crate) repeated: Vec<String>,
    /// Headers no field takes, as written in the file.
    pub(crate) ignored: Vec<String>,
}

impl ColumnMap {
    /// The column whose cell fills `field` in a row: the field's own column, or the first of
    /// its further columns ([`ColumnMap::also`]) with a value.
    pub(crate) fn taken(&self, field: &str, values: &[String]) -> Option<usize> {
        let filled = |i: &usize| {
            values
                .get(*i)
                .is_some_and(|v| !super::cells::is_blank(super::cells::first_value_of(field, v)))
        };
        self.index(field)
            .into_iter()
            .chain(
                self.also
                    .iter()
                    .filter(|(name, _)| *name == field)
                    .map(|(_, i)| *i),
            )
            .find(filled)
    }

    /// The field column `index` fills, if any.
    pub(crate) fn field_at(&self, index: usize) -> Option<&'static str> {
        self.fields
            .iter()
            .chain(&self.also)
            .find(|(_, i)| *i == index)
            .map(|(name, _)| *name)
    }

    /// The column index of `field`, if the file has it.
    pub(crate) fn index(&self, field: &str) -> Option<usize> {
        self.fields
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, i)| *i)
    }
}

/// The most columns a file may have. Exports of other CRMs with every property run to a few
/// hundred, at most a few thousand; a header of 100,000 columns is not a contact list.
pub(crate) const MAX_COLUMNS: usize = 5_000;

/// A header of more columns than any export holds is not a contact list (a wrong delimiter, a
/// binary file).
fn refuse_too_many(headers: &[String]) -> Result<()> {
    if headers.len() > MAX_COLUMNS {
        return Err(Error::invalid(
            "file",
            format!(
                "the header has {} columns, more than the {MAX_COLUMNS} an import takes; \
                 is the delimiter right, or is it not a CSV file?",
                headers.len()
            ),
        ));
    }
    Ok(())
}

/// For each column no field took, the field it would fill by name or alias when another
/// column took that field by name, not by `--map`.
fn further_columns(
    known: &[&Field],
    headers: &[String],
    chosen: &[Option<&'static str>],
    by_override: &[bool],
    forced: &[bool],
    repeats: &[Option<usize>],
) -> Vec<Option<&'static str>> {
    // A further column that names a field another column took by name (Outlook's "Home
    // Phone", "Business Phone" and "Mobile Phone"): a row's first non-empty cell of them fills
    // the field, and the others are passed over, said in the summary. A field `--map` gave a
    // column keeps only that one.
    let mut further: Vec<Option<&'static str>> = vec![None; headers.len()];
    for (index, header) in headers.iter().enumerate() {
        if forced[index] || chosen[index].is_some() || repeats[index].is_some() {
            continue;
        }
        let name = normalise(header);
        let field = known
            .iter()
            .find(|f| normalise(f.name) == name || f.aliases.contains(&name.as_str()));
        if let Some(field) = field {
            let taken_by_name = chosen
                .iter()
                .zip(by_override)
                .any(|(c, o)| *c == Some(field.name) && !o);
            if taken_by_name {
                further[index] = Some(field.name);
            }
        }
    }
    further
}

/// The summary's sentence for each field that several columns fill, once per field.
fn say_repeated(map: &mut ColumnMap, headers: &[String]) {
    for (field, first) in map.fields.clone() {
        let further: Vec<usize> = map
            .also
            .iter()
            .filter(|(name, _)| *name == field)
            .map(|(_, i)| *i)
            .collect();
        if further.is_empty() {
            continue;
        }
        let all: Vec<usize> = std::iter::once(first).chain(further).collect();
        let names: Vec<String> = all.iter().map(|i| format!("'{}'", headers[*i])).collect();
        let numbers: Vec<String> = all.iter().map(|i| (i + 1).to_string()).collect();
        let (names, numbers) = (and_list(&names), and_list(&numbers));
        let both = if all.len() == 2 { "both" } else { "all" };
        map.repeated.push(format!(
            "columns {names} (columns {numbers}) {both} fill {field}: a row's first non-empty \
             cell of them is taken"
        ));
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// For each column, the first column of the same name (after normalising) when it is not the
/// first itself. One pass with a map of the names seen: comparing every pair took 419 s on
/// 100,000 columns.
fn first_of_name(headers: &[String]) -> Vec<Option<usize>> {
    let mut seen = std::collections::HashMap::with_capacity(headers.len());
    headers
        .iter()
        .enumerate()
        .map(|(i, header)| {
            let name = normalise(header);
            if name.is_empty() {
                return None;
            }
            let first = seen.get(&name).copied();
            if first.is_none() {
                seen.insert(name, i);
            }
            first
        })
        .collect()
}

/// The column `#N` names: the file's Nth (1 the first), for a header that names two columns
/// alike or none at all.
fn by_position(column: &str, columns: usize) -> Result<Option<usize>> {
    let Some(number) = column.trim().strip_prefix('#') else {
        return Ok(None);
    };
    match number.trim().parse::<usize>() {
        Ok(n) if (1..=columns).contains(&n) => Ok(Some(n - 1)),
        _ => Err(Error::invalid(
            "map",
            format!(
                "'{}' is not a column of the file: #1 to #{columns}",
                column.trim()
            ),
        )),
    }
}

/// The columns `--map COLUMN=FIELD` names: (the field each fills, whether `--map` named it).
#[allow(clippy::type_complexity)]
fn overridden(
    kind: ImportKind,
    headers: &[String],
    overrides: &[String],
) -> Result<(Vec<Option<&'static str>>, Vec<bool>)> {
    let known = fields(kind);
    let field_named = |name: &str| {
        let wanted = normalise(name);
        known
            .iter()
            .find(|f| normalise(f.name) == wanted)
            .map(|f| f.name)
    };
    let mut chosen: Vec<Option<&'static str>> = vec![None; headers.len()];
    let mut forced = vec![false; headers.len()];
    for pair in overrides {
        let (column, field) = pair
            .split_once('=')
            .ok_or_else(|| Error::invalid("map", format!("'{pair}' is not COLUMN=FIELD")))?;
        let index = by_position(column, headers.len())?
            .or_else(|| {
                headers
                    .iter()
                    .position(|h| normalise(h) == normalise(column))
            })
            .ok_or_else(|| {
                Error::invalid(
                    "map",
                    format!(
                        "the file has no column '{}' (it has: {})",
                        column.trim(),
                        headers.join(", ")
                    ),
                )
            })?;
        let field = field.trim();
        chosen[index] = if field.is_empty() || field == "-" {
            None
        } else {
            Some(field_named(field).ok_or_else(|| {
                Error::invalid(
                    "map",
                    format!(
                        "'{field}' is not a field of {kind} (fields: {})",
                        known.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
                    ),
                )
            })?)
        };
        forced[index] = true;
    }
    Ok((chosen, forced))
}

/// Maps `headers` to fields of `kind`. `overrides` are `COLUMN=FIELD` pairs from `--map`; an
/// empty FIELD (or `-`) ignores the column. Two columns for one field is an error, and so is a
/// required field no column fills when the file is to `create` records (a file that only
/// updates may name just the email and the fields it changes).
pub(crate) fn map(
    kind: ImportKind,
    headers: &[String],
    overrides: &[String],
    create: bool,
) -> Result<ColumnMap> {
    refuse_too_many(headers)?;
    let known = fields(kind);
    let repeats = first_of_name(headers);
    // Per column: Some(field), None (no field), or explicitly ignored (`forced`).
    let (mut chosen, forced) = overridden(kind, headers, overrides)?;
    let by_override: Vec<bool> = chosen.iter().map(Option::is_some).collect();
    let mut aliased = vec![false; headers.len()];
    // Exact field names win over aliases, so a file with both "title" and "job_title" columns
    // puts each where its name says.
    for exact in [true, false] {
        for (index, header) in headers.iter().enumerate() {
            if forced[index] || chosen[index].is_some() || repeats[index].is_some() {
                continue;
            }
            let name = normalise(header);
            let field = known.iter().find(|f| {
                normalise(f.name) == name || (!exact && f.aliases.contains(&name.as_str()))
            });
            if let Some(field) = field.filter(|f| !chosen.contains(&Some(f.name))) {
                chosen[index] = Some(field.name);
                aliased[index] = !exact;
            }
        }
    }
    let further = further_columns(&known, headers, &chosen, &by_override, &forced, &repeats);
    let mut map = ColumnMap::default();
    for (index, field) in chosen.iter().enumerate() {
        match field {
            Some(name) => {
                if let Some(other) = map.index(name) {
                    return Err(Error::invalid(
                        "map",
                        format!(
                            "columns '{}' and '{}' both fill {name}; map one elsewhere with --map COLUMN=",
                            headers[other], headers[index]
                        ),
                    ));
                }
                map.fields.push((name, index));
                if aliased[index] {
                    map.by_alias.push(index);
                }
            }
            None if forced[index] => {}
            None if further[index].is_some() => {
                map.also.push((further[index].unwrap_or_default(), index));
            }
            None => match repeats[index].and_then(|first| Some((first, chosen[first]?))) {
                // The same name again: the first non-empty cell of a row fills the field.
                Some((_, name)) => map.also.push((name, index)),
                _ => map.ignored.push(headers[index].clone()),
            },
        }
    }
    say_repeated(&mut map, headers);
    let required = match kind {
        ImportKind::Contacts | ImportKind::Leads => ("first_name", Some("name")),
        ImportKind::Deals => ("title", None),
        ImportKind::Campaigns => ("name", None),
    };
    if create
        && map.index(required.0).is_none()
        && required.1.is_none_or(|alt| map.index(alt).is_none())
    {
        return Err(Error::invalid(
            required.0,
            format!(
                "no column of the file fills it (columns: {}); name one with --map COLUMN={}",
                headers.join(", "),
                required.0
            ),
        ));
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn headers_match_by_name_without_case_spaces_or_punctuation() {
        let map = map(
            ImportKind::Contacts,
            &headers(&[
                "First Name",
                "last_name",
                "E-Mail",
                " Phone Number ",
                "Organisation",
            ]),
            &[],
            true,
        )
        .unwrap();
        assert_eq!(
            map.fields,
            vec![
                ("first_name", 0),
                ("last_name", 1),
                ("email", 2),
                ("phone", 3),
                ("company", 4)
            ]
        );
        assert!(map.ignored.is_empty());
    }

    /// The headers of real exports of other tools (issue 21, item 3), each a tool's own, with
    /// the field each fills.
    #[allow(clippy::type_complexity)]
    const EXPORTS: &[(&str, ImportKind, &[(&str, &str)])] = &[
        (
            "Google Contacts",
            ImportKind::Contacts,
            &[
                ("Given Name", "first_name"),
                ("Family Name", "last_name"),
                ("E-mail 1 - Value", "email"),
                ("Phone 1 - Value", "phone"),
                ("Organization 1 - Name", "company"),
                ("Organization 1 - Title", "job_title"),
            ],
        ),
        (
            "Outlook",
            ImportKind::Contacts,
            &[
                ("First Name", "first_name"),
                ("Last Name", "last_name"),
                ("E-mail Address", "email"),
                ("Business Phone", "phone"),
                ("Company", "company"),
                ("Job Title", "job_title"),
                ("Business City", "location"),
            ],
        ),
        (
            "HubSpot",
            ImportKind::Leads,
            &[
                ("First Name", "first_name"),
                ("Email", "email"),
                ("Mobile Phone Number", "phone"),
                ("Contact owner", "owner"),
                ("Lead Status", "stage"),
                ("Original Source", "source"),
            ],
        ),
        (
            "Salesforce",
            ImportKind::Leads,
            &[
                ("First Name", "first_name"),
                ("Email", "email"),
                ("Phone", "phone"),
                ("Lead Owner", "owner"),
                ("Lead Status", "stage"),
                ("Lead Source", "source"),
                ("Mailing City", "location"),
            ],
        ),
        (
            "Salesforce opportunities",
            ImportKind::Deals,
            &[
                ("Opportunity Name", "title"),
                ("Account Name", "company"),
                ("Amount", "amount"),
                ("Stage", "stage"),
                ("Close Date", "expected_close"),
                ("Opportunity Owner", "owner"),
            ],
        ),
        (
            "Mailchimp",
            ImportKind::Contacts,
            &[("Email Address", "email"), ("First Name", "first_name")],
        ),
        (
            "LinkedIn connections",
            ImportKind::Contacts,
            &[
                ("First Name", "first_name"),
                ("Last Name", "last_name"),
                ("Email Address", "email"),
                ("Company", "company"),
                ("Position", "job_title"),
            ],
        ),
        (
            "SuiteCRM",
            ImportKind::Leads,
            &[
                ("First Name", "first_name"),
                ("Email Address", "email"),
                ("Office Phone", "phone"),
                ("Assigned User Name", "owner"),
                ("Status", "stage"),
                ("Lead Source", "source"),
            ],
        ),
    ];

    #[test]
    fn other_tools_export_headers_fill_our_fields() {
        for (tool, kind, columns) in EXPORTS {
            let names: Vec<&str> = columns.iter().map(|(h, _)| *h).collect();
            let found = map(*kind, &headers(&names), &[], true).unwrap();
            for (i, (header, field)) in columns.iter().enumerate() {
                assert_eq!(
                    found.index(field),
                    Some(i),
                    "{tool}: '{header}' fills {field}"
                );
            }
            assert!(found.ignored.is_empty(), "{tool}: {:?}", found.ignored);
        }
    }

    #[test]
    fn unknown_columns_are_listed_not_dropped_silently() {
        let map = map(
            ImportKind::Leads,
            &headers(&["first", "Favourite colour", "id"]),
            &[],
            true,
        )
        .unwrap();
        assert_eq!(map.ignored, vec!["Favourite colour", "id"]);
    }

    #[test]
    fn exact_names_beat_aliases() {
        let map = map(
            ImportKind::Contacts,
            &headers(&["title", "first_name", "job_title"]),
            &[],
            true,
        )
        .unwrap();
        assert_eq!(map.index("job_title"), Some(2));
        // The alias's column fills the field where the exact one is empty.
        assert_eq!(map.also, vec![("job_title", 0)]);
        assert!(map.ignored.is_empty());
    }

    #[test]
    fn overrides_map_and_ignore_columns() {
        let map = map(
            ImportKind::Contacts,
            &headers(&["Given", "Mail", "Notes"]),
            &["given=first_name".into(), "Notes=".into()],
            true,
        )
        .unwrap();
        assert_eq!(map.fields, vec![("first_name", 0), ("email", 1)]);
        assert!(map.ignored.is_empty());
    }

    #[test]
    fn a_missing_required_column_names_the_field_and_the_columns() {
        let err = map(ImportKind::Contacts, &headers(&["email"]), &[], true).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid first_name: no column of the file fills it (columns: email); name one with --map COLUMN=first_name"
        );
        let err = map(
            ImportKind::Deals,
            &headers(&["Title", "x"]),
            &["x=colour".into()],
            true,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("invalid map: 'colour' is not a field of deals"),
            "{err}"
        );
    }

    #[test]
    fn a_mapped_column_takes_the_field_from_the_column_of_that_name() {
        let map = map(
            ImportKind::Contacts,
            &headers(&["first_name", "x"]),
            &["x=first_name".into()],
            true,
        )
        .unwrap();
        assert_eq!(map.fields, vec![("first_name", 1)]);
        assert_eq!(map.ignored, vec!["first_name"]);
    }

    #[test]
    fn two_columns_mapped_to_one_field_is_refused() {
        let err = map(
            ImportKind::Contacts,
            &headers(&["a", "b"]),
            &["a=first_name".into(), "b=first name".into()],
            true,
        )
        .unwrap_err();
        assert!(err.to_string().contains("both fill first_name"), "{err}");
    }
}
