//! One row of an imported file read as the input of a service: the same `NewContact`,
//! `NewLead`, ... that `add` takes (and the patches that `edit` takes), so every rule is the
//! service's. Only the text-to-type steps (numbers, dates, yes/no) live here.

use std::fmt::Display;
use std::str::FromStr;

use chrono::NaiveDate;

use super::columns::ColumnMap;
use super::values::ValueMap;
use crate::rules::scoring;
use crate::{
    Bant, CampaignPatch, ContactPatch, Error, LeadPatch, NewCampaign, NewContact, NewDeal, NewLead,
    Result, Temperature,
};

/// True when a cell holds no value: nothing but spaces, or alone one of the words other tools
/// export for "no value" (`null`, `NULL`, `N/A`, `#N/A`, `-`), which would otherwise be
/// stored as a company called "null" or refused as an email.
pub(crate) fn is_blank(cell: &str) -> bool {
    let cell = cell.trim();
    cell.is_empty() || is_blank_word(cell)
}

/// True when a cell holds alone one of the words for "no value" (see [`is_blank`]).
pub(crate) fn is_blank_word(cell: &str) -> bool {
    // Checked for every cell of an import: the length settles most of them.
    if cell.len() > 8 {
        return false;
    }
    let cell = cell.trim();
    ["null", "n/a", "#n/a", "-"]
        .iter()
        .any(|word| cell.eq_ignore_ascii_case(word))
}

/// What Google Contacts puts between the several values of one cell (two emails, two groups).
pub(crate) const JOINED: &str = " ::: ";

/// Whether a cell holds several values joined by [`JOINED`]. Asked of every cell of an
/// import: a search for the separator's colon settles nearly all of them without building a
/// substring searcher.
fn is_joined(cell: &str) -> bool {
    cell.as_bytes().contains(&b':') && cell.contains(JOINED)
}

/// The first of a cell's values joined by [`JOINED`]: the one a field takes.
pub(crate) fn first_value(cell: &str) -> &str {
    if !is_joined(cell) {
        return cell.trim();
    }
    cell.split(JOINED).next().unwrap_or(cell).trim()
}

/// The values of a cell after its first (see [`JOINED`]), joined by ", ", if it holds more.
pub(crate) fn other_values(cell: &str) -> Option<String> {
    if !is_joined(cell) {
        return None;
    }
    let rest: Vec<&str> = cell
        .split(JOINED)
        .skip(1)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    (!rest.is_empty()).then(|| rest.join(", "))
}

/// Whether `field` holds one address, so that `;` or `,` between values means several:
/// Outlook and HubSpot write a person's emails as `a@x.in; b@y.in`. Not phones, where
/// `tel:+1-201-555-0123;ext=102` is one phone, nor text, where a comma is part of it.
fn lists_addresses(field: &str) -> bool {
    matches!(field, "email" | "contact_email")
}

fn address_list(cell: &str) -> bool {
    cell.as_bytes().iter().any(|b| *b == b';' || *b == b',')
}

/// The value of a cell that fills `field`: its first, by [`JOINED`], or for an address by `;`
/// and `,` too.
pub(crate) fn first_value_of<'c>(field: &str, cell: &'c str) -> &'c str {
    let first = first_value(cell);
    if lists_addresses(field) && address_list(first) {
        return first
            .split([';', ','])
            .map(str::trim)
            .find(|v| !v.is_empty())
            .unwrap_or("");
    }
    first
}

/// The values of a cell filling `field` after the one the field takes, joined by ", ".
pub(crate) fn other_values_of(field: &str, cell: &str) -> Option<String> {
    if !(lists_addresses(field) && address_list(cell)) {
        return other_values(cell);
    }
    let first = first_value_of(field, cell);
    let all: Vec<&str> = cell
        .split(JOINED)
        .flat_map(|v| v.split([';', ',']))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    let rest: Vec<&str> = match all.iter().position(|v| *v == first) {
        Some(at) => all
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != at)
            .map(|(_, v)| *v)
            .collect(),
        None => all,
    };
    (!rest.is_empty()).then(|| rest.join(", "))
}

/// The cells of one row, looked up by field name.
pub(crate) struct Cells<'a> {
    pub(crate) map: &'a ColumnMap,
    pub(crate) values: &'a [String],
    /// Other tools' values of a stage or source, read as ours.
    pub(crate) synonyms: &'a ValueMap,
}

impl Cells<'_> {
    /// The cell of `field` if the file has the column and the cell is not blank; of a name
    /// the header repeats, the first such cell.
    pub(crate) fn text(&self, field: &str) -> Option<String> {
        // A cell of several values fills the field with its first (`other_values` are kept
        // or reported by the import).
        let cell = |i: usize| {
            self.values
                .get(i)
                .map(|v| first_value_of(field, v))
                .filter(|v| !is_blank(v))
                .map(str::to_string)
        };
        self.map.index(field).and_then(cell).or_else(|| {
            self.map
                .also
                .iter()
                .filter(|(name, _)| *name == field)
                .find_map(|(_, i)| cell(*i))
        })
    }

    /// The cell of `field` as its type. A value the type refuses is read through the
    /// synonyms (the user's `--map-value`, then other CRMs' standard values) before it is
    /// refused: most cells are ours already, and cost no lookup.
    fn parse<T>(&self, field: &str) -> Result<Option<T>>
    where
        T: FromStr,
        T::Err: Display,
    {
        self.text(field)
            .map(|v| {
                v.trim().parse().or_else(|e: T::Err| {
                    let ours = self.synonyms.translate(field, v.trim());
                    if ours == v.trim() {
                        return Err(Error::invalid(field, e.to_string()));
                    }
                    ours.parse()
                        .map_err(|e: T::Err| Error::invalid(field, e.to_string()))
                })
            })
            .transpose()
    }

    /// The cell of `field` read through the synonyms, for a field checked later by name (a
    /// deal's stage is one of the pipeline's).
    pub(crate) fn translated(&self, field: &str) -> Option<String> {
        self.text(field)
            .map(|v| self.synonyms.translate(field, v.trim()).into_owned())
    }

    fn number(&self, field: &str) -> Result<Option<i64>> {
        self.text(field)
            .map(|v| {
                v.trim().parse().map_err(|_| {
                    Error::invalid(field, format!("'{}' is not a whole number", v.trim()))
                })
            })
            .transpose()
    }

    fn date(&self, field: &str) -> Result<Option<NaiveDate>> {
        self.text(field)
            .map(|v| {
                NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| {
                    Error::invalid(
                        field,
                        format!("'{}' is not a date like 2025-03-31", v.trim()),
                    )
                })
            })
            .transpose()
    }

    /// A lead's score: the row's own, or for a row that says only how warm the lead is
    /// (Salesforce's "Rating": Hot, Warm, Cold) the lowest score of that temperature, so the
    /// lead is as warm here as it was there. A score outside the temperature's range is
    /// refused: one of the two cells is wrong, and which one is for a person to say.
    fn score(&self) -> Result<Option<i64>> {
        let score = self.number("score")?;
        let Some(temperature) = self.parse::<Temperature>("temperature")? else {
            return Ok(score);
        };
        let (low, high) = scoring::score_range(temperature);
        match score {
            None => Ok(Some(i64::from(low))),
            Some(s) if (i64::from(low)..=i64::from(high)).contains(&s) => Ok(Some(s)),
            Some(s) => Err(Error::invalid(
                "temperature",
                format!(
                    "'{temperature}' is a score of {low} to {high}, but the row's score is {s}"
                ),
            )),
        }
    }

    /// Yes/no cells as spreadsheets write them; blank means "not given".
    fn flag(&self, field: &str) -> Result<Option<bool>> {
        self.text(field)
            .map(|v| match v.trim().to_lowercase().as_str() {
                "true" | "yes" | "y" | "1" | "x" | "on" => Ok(true),
                "false" | "no" | "n" | "0" | "off" => Ok(false),
                other => Err(Error::invalid(
                    field,
                    format!("'{other}' is not yes/no (or true/false, 1/0)"),
                )),
            })
            .transpose()
    }

    /// Comma- or semicolon-separated values, as tags and team members are written.
    fn list(&self, field: &str) -> Vec<String> {
        self.text(field)
            .map(|v| {
                v.split([',', ';'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// First and last name, from their own columns or split from a full-name column.
    fn names(&self) -> (String, Option<String>) {
        if self.map.index("first_name").is_some() {
            return (
                self.text("first_name").unwrap_or_default(),
                self.text("last_name"),
            );
        }
        let full = self.text("name").unwrap_or_default();
        match full.trim().rsplit_once(char::is_whitespace) {
            Some((first, last)) => (first.trim().to_string(), Some(last.to_string())),
            None => (full.trim().to_string(), self.text("last_name")),
        }
    }

    /// The name fields of a patch: only what the row fills.
    fn patch_names(&self) -> (Option<String>, Option<String>) {
        let (first, last) = self.names();
        (Some(first).filter(|f| !f.is_empty()), last)
    }
}

pub(crate) fn new_contact(c: &Cells<'_>) -> Result<NewContact> {
    let (first_name, last_name) = c.names();
    Ok(NewContact {
        fields: crate::FieldInput::default(),
        first_name,
        last_name,
        email: c.text("email"),
        phone: c.text("phone"),
        company: c.text("company"),
        job_title: c.text("job_title"),
        location: c.text("location"),
        tags: c.list("tags"),
        owner: c.text("owner"),
        consent_email: c.flag("consent_email")?.unwrap_or(false),
        consent_gdpr: c.flag("consent_gdpr")?.unwrap_or(false),
        consent_ccpa: c.flag("consent_ccpa")?.unwrap_or(false),
        allow_duplicate: false,
    })
}

/// What an update from a row changes: the cells it fills. Blank cells leave fields alone, so a
/// sparse file cannot wipe data by accident.
pub(crate) fn contact_patch(c: &Cells<'_>) -> Result<ContactPatch> {
    let (first_name, last_name) = c.patch_names();
    Ok(ContactPatch {
        fields: crate::FieldInput::default(),
        first_name,
        last_name,
        email: c.text("email"),
        phone: c.text("phone"),
        company: c.text("company"),
        job_title: c.text("job_title"),
        location: c.text("location"),
        add_tags: c.list("tags"),
        remove_tags: Vec::new(),
        owner: c.text("owner"),
        consent_email: c.flag("consent_email")?,
        consent_gdpr: c.flag("consent_gdpr")?,
        consent_ccpa: c.flag("consent_ccpa")?,
        if_version: None,
    })
}

pub(crate) fn new_lead(c: &Cells<'_>, auto_assign: bool) -> Result<NewLead> {
    let (first_name, last_name) = c.names();
    Ok(NewLead {
        fields: crate::FieldInput::default(),
        first_name,
        last_name,
        company: c.text("company"),
        job_title: c.text("job_title"),
        email: c.text("email"),
        phone: c.text("phone"),
        location: c.text("location"),
        industry: c.text("industry"),
        region: c.text("region"),
        campaign: c.text("campaign"),
        source: c.parse("source")?,
        utm_source: c.text("utm_source"),
        utm_medium: c.text("utm_medium"),
        utm_campaign: c.text("utm_campaign"),
        stage: c.parse("stage")?,
        score: c.score()?,
        status_reason: c.text("status_reason"),
        owner: if auto_assign { None } else { c.text("owner") },
        auto_assign,
        notes: c.text("notes"),
        bant: Bant {
            budget: c.flag("bant_budget")?.unwrap_or(false),
            authority: c.flag("bant_authority")?.unwrap_or(false),
            need: c.flag("bant_need")?.unwrap_or(false),
            timeline: c.flag("bant_timeline")?.unwrap_or(false),
        },
        interested_products: c.text("interested_products"),
        consent_email: c.flag("consent_email")?.unwrap_or(false),
        consent_gdpr: c.flag("consent_gdpr")?.unwrap_or(false),
        consent_ccpa: c.flag("consent_ccpa")?.unwrap_or(false),
        allow_duplicate: false,
    })
}

pub(crate) fn lead_patch(c: &Cells<'_>) -> Result<LeadPatch> {
    let (first_name, last_name) = c.patch_names();
    Ok(LeadPatch {
        fields: crate::FieldInput::default(),
        first_name,
        last_name,
        company: c.text("company"),
        job_title: c.text("job_title"),
        email: c.text("email"),
        phone: c.text("phone"),
        location: c.text("location"),
        industry: c.text("industry"),
        region: c.text("region"),
        campaign: c.text("campaign"),
        source: c.parse("source")?,
        utm_source: c.text("utm_source"),
        utm_medium: c.text("utm_medium"),
        utm_campaign: c.text("utm_campaign"),
        stage: c.parse("stage")?,
        score: c.score()?,
        status_reason: c.text("status_reason"),
        notes: c.text("notes"),
        last_contacted_at: None,
        next_action_at: None,
        bant_budget: c.flag("bant_budget")?,
        bant_authority: c.flag("bant_authority")?,
        bant_need: c.flag("bant_need")?,
        bant_timeline: c.flag("bant_timeline")?,
        interested_products: c.text("interested_products"),
        consent_email: c.flag("consent_email")?,
        consent_gdpr: c.flag("consent_gdpr")?,
        consent_ccpa: c.flag("consent_ccpa")?,
        // An update-import changes a lead's fields; handing leads to others stays `assign`'s.
        owner: None,
        if_version: None,
    })
}

/// A deal without its contact: the importer looks that up by email or id inside the
/// transaction.
pub(crate) fn new_deal(c: &Cells<'_>) -> Result<NewDeal> {
    Ok(NewDeal {
        fields: crate::FieldInput::default(),
        title: c.text("title").unwrap_or_default(),
        contact: None,
        company: c.text("company"),
        campaign: c.text("campaign"),
        amount: c.text("amount"),
        currency: c.parse("currency")?,
        stage: c.translated("stage"),
        probability: c.number("probability")?,
        expected_close: c.date("expected_close")?,
        owner: c.text("owner"),
    })
}

pub(crate) fn new_campaign(c: &Cells<'_>) -> Result<NewCampaign> {
    Ok(NewCampaign {
        name: c.text("name").unwrap_or_default(),
        code: c.text("code"),
        description: c.text("description"),
        business_unit: c.text("business_unit"),
        objective: c.text("objective"),
        channel: c.parse("channel")?,
        audience_segment: c.text("audience_segment"),
        product_line: c.text("product_line"),
        start_date: c.date("start_date")?,
        end_date: c.date("end_date")?,
        currency: c.parse("currency")?,
        budget: c.text("budget"),
        expected_spend: c.text("expected_spend"),
        planned_leads: c.number("planned_leads")?,
        owner: c.text("owner"),
        team: c.list("team"),
        status: c.parse("status")?,
        priority: c.parse("priority")?,
        compliance_checklist: c.text("compliance_checklist"),
        external_campaign_id: c.text("external_campaign_id"),
        utm_source: c.text("utm_source"),
        utm_medium: c.text("utm_medium"),
        utm_campaign: c.text("utm_campaign"),
    })
}

pub(crate) fn campaign_patch(c: &Cells<'_>) -> Result<CampaignPatch> {
    let team = c.list("team");
    Ok(CampaignPatch {
        name: c.text("name"),
        code: c.text("code"),
        description: c.text("description"),
        business_unit: c.text("business_unit"),
        objective: c.text("objective"),
        channel: c.parse("channel")?,
        audience_segment: c.text("audience_segment"),
        product_line: c.text("product_line"),
        start_date: c.date("start_date")?.map(Some),
        end_date: c.date("end_date")?.map(Some),
        currency: c.parse("currency")?,
        budget: c.text("budget"),
        expected_spend: c.text("expected_spend"),
        planned_leads: c.number("planned_leads")?,
        owner: c.text("owner"),
        team: (!team.is_empty()).then_some(team),
        status: c.parse("status")?,
        priority: c.parse("priority")?,
        compliance_checklist: c.text("compliance_checklist"),
        external_campaign_id: c.text("external_campaign_id"),
        utm_source: c.text("utm_source"),
        utm_medium: c.text("utm_medium"),
        utm_campaign: c.text("utm_campaign"),
        if_version: None,
    })
}

#[cfg(test)]
mod tests {
    use super::is_blank;

    #[test]
    fn a_cell_of_several_values_gives_its_first_to_the_field_and_keeps_the_rest() {
        use super::{first_value, first_value_of, other_values, other_values_of};
        assert_eq!(first_value("a@x.in ::: b@y.in ::: c@z.in"), "a@x.in");
        assert_eq!(
            other_values("a@x.in ::: b@y.in ::: c@z.in").as_deref(),
            Some("b@y.in, c@z.in")
        );
        assert_eq!(first_value(" plain "), "plain");
        assert_eq!(other_values("plain"), None);
        assert_eq!(other_values("a ::: "), None);
        // Three colons without the spaces are a value's own text.
        assert_eq!(first_value("urn:a:::b"), "urn:a:::b");
        let emails = "a@x.in; b@y.in, c@z.in ::: d@w.in";
        assert_eq!(first_value_of("email", emails), "a@x.in");
        assert_eq!(
            other_values_of("email", emails).as_deref(),
            Some("b@y.in, c@z.in, d@w.in")
        );
        // A phone's parameters and a company's commas are one value.
        let tel = "tel:+1-201-555-0123;ext=102";
        assert_eq!(first_value_of("phone", tel), tel);
        assert_eq!(other_values_of("phone", tel), None);
        assert_eq!(first_value_of("company", "Acme, Inc."), "Acme, Inc.");
        assert_eq!(other_values_of("email", "a@x.in"), None);
    }

    #[test]
    fn words_for_no_value_are_blank_cells() {
        for cell in [
            "", "  ", "null", "NULL", " Null ", "N/A", "n/a", "#N/A", "-", " - ",
        ] {
            assert!(is_blank(cell), "{cell:?}");
        }
        for cell in ["0", "--", "Nullarbor Farms", "n/a please", "-5", "none"] {
            assert!(!is_blank(cell), "{cell:?}");
        }
    }
}
