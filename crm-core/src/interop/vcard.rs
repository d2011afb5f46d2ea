//! vCard 4.0 (RFC 6350): contacts out to phones and mail clients, and back in. Reading also
//! takes the vCard 3.0 that most phones still export.

use super::{escape, push_line, split_line, unescape, unfold};
use crate::{Contact, Error, Result};

/// One contact as a vCard.
pub fn card(contact: &Contact) -> String {
    let mut out = String::new();
    push_line(&mut out, "BEGIN:VCARD");
    push_line(&mut out, "VERSION:4.0");
    push_line(&mut out, &format!("UID:urn:x-crm:contact:{}", contact.id));
    push_line(&mut out, &format!("FN:{}", escape(&contact.full_name())));
    push_line(
        &mut out,
        &format!(
            "N:{};{};;;",
            escape(contact.last_name.as_deref().unwrap_or_default()),
            escape(&contact.first_name)
        ),
    );
    if let Some(email) = &contact.email {
        push_line(&mut out, &format!("EMAIL;TYPE=work:{}", escape(email)));
    }
    if let Some(phone) = &contact.phone {
        // As text, not a tel: URI, so the number comes back exactly as it was written.
        push_line(
            &mut out,
            &format!("TEL;VALUE=text;TYPE=voice:{}", escape(phone)),
        );
    }
    if let Some(company) = &contact.company {
        push_line(&mut out, &format!("ORG:{}", escape(company)));
    }
    if let Some(title) = &contact.job_title {
        push_line(&mut out, &format!("TITLE:{}", escape(title)));
    }
    if let Some(location) = &contact.location {
        push_line(
            &mut out,
            &format!("ADR;TYPE=work:;;;{};;;", escape(location)),
        );
    }
    if !contact.tags.is_empty() {
        let tags: Vec<String> = contact.tags.iter().map(|t| escape(t)).collect();
        push_line(&mut out, &format!("CATEGORIES:{}", tags.join(",")));
    }
    push_line(
        &mut out,
        &format!("REV:{}", contact.updated_at.format("%Y%m%dT%H%M%SZ")),
    );
    push_line(&mut out, "END:VCARD");
    out
}

/// The fields of one card, as the contact importer reads them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Person {
    first_name: String,
    last_name: String,
    email: String,
    phone: String,
    company: String,
    job_title: String,
    location: String,
    tags: Vec<String>,
}

/// The components of a structured value (`N`, `ADR`, `ORG`), split at unescaped semicolons.
fn components(value: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            // An escaped character stays escaped for `unescape`, and never splits.
            '\\' => {
                part.push('\\');
                part.extend(chars.next());
            }
            ';' => parts.push(std::mem::take(&mut part)),
            c => part.push(c),
        }
    }
    parts.push(part);
    parts
        .iter()
        .map(|p| unescape(p).trim().to_string())
        .collect()
}

/// The cards of a `.vcf` file as CSV with the contact importer's column names, so a card goes
/// through the same validation, duplicate check, batch and report as a CSV row. A card
/// without a name is refused with its number.
pub fn to_csv(text: &str) -> Result<String> {
    let mut people = Vec::new();
    let mut current: Option<(Person, String)> = None;
    for (n, line) in unfold(text).iter().enumerate() {
        let Some((name, params, value)) = split_line(line) else {
            return Err(Error::invalid(
                "file",
                format!("line {} of the vCard is not NAME:value", n + 1),
            ));
        };
        match (name.as_str(), &mut current) {
            ("BEGIN", None) if value.eq_ignore_ascii_case("VCARD") => {
                current = Some((Person::default(), String::new()));
            }
            ("END", Some(_)) if value.eq_ignore_ascii_case("VCARD") => {
                let (mut person, full) = current.take().unwrap_or_default();
                if person.first_name.is_empty() && person.last_name.is_empty() {
                    // No N: the formatted name, split at its last space like a "Name" column.
                    match full.trim().rsplit_once(' ') {
                        Some((first, last)) => {
                            person.first_name = first.trim().to_string();
                            person.last_name = last.to_string();
                        }
                        None => person.first_name = full.trim().to_string(),
                    }
                }
                if person.first_name.is_empty() {
                    person.first_name = std::mem::take(&mut person.last_name);
                }
                if person.first_name.is_empty() {
                    return Err(Error::invalid(
                        "file",
                        format!("card {} has no name (FN or N)", people.len() + 1),
                    ));
                }
                people.push(person);
            }
            (_, None) => {
                return Err(Error::invalid(
                    "file",
                    format!("line {} is outside BEGIN:VCARD ... END:VCARD", n + 1),
                ));
            }
            (_, Some((person, full))) => read_property(person, full, &name, &params, value),
        }
    }
    if current.is_some() {
        return Err(Error::invalid("file", "the last card has no END:VCARD"));
    }
    if people.is_empty() {
        return Err(Error::invalid("file", "holds no vCard (BEGIN:VCARD)"));
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let csv_error = |e: csv::Error| Error::invalid("file", e.to_string());
    writer
        .write_record([
            "first_name",
            "last_name",
            "email",
            "phone",
            "company",
            "job_title",
            "location",
            "tags",
        ])
        .map_err(csv_error)?;
    for p in people {
        writer
            .write_record([
                &p.first_name,
                &p.last_name,
                &p.email,
                &p.phone,
                &p.company,
                &p.job_title,
                &p.location,
                &p.tags.join(","),
            ])
            .map_err(csv_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::invalid("file", e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| Error::invalid("file", e.to_string()))
}

/// Takes what the CRM keeps from one property; the first email, phone, organisation and
/// address win, other properties (photos, birthdays, ...) are not kept.
fn read_property(
    person: &mut Person,
    full: &mut String,
    name: &str,
    params: &[String],
    value: &str,
) {
    let first = |slot: &mut String, text: String| {
        if slot.is_empty() {
            *slot = text;
        }
    };
    match name {
        "FN" => *full = unescape(value),
        "N" => {
            let parts = components(value);
            first(
                &mut person.last_name,
                parts.first().cloned().unwrap_or_default(),
            );
            first(
                &mut person.first_name,
                parts.get(1).cloned().unwrap_or_default(),
            );
        }
        "EMAIL" => first(&mut person.email, unescape(value).trim().to_string()),
        "TEL" => {
            let is_uri = params.iter().any(|p| p.eq_ignore_ascii_case("VALUE=uri"))
                || value.to_ascii_lowercase().starts_with("tel:");
            let text = if is_uri {
                value
                    .get(4..)
                    .unwrap_or_default()
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .to_string()
            } else {
                unescape(value)
            };
            first(&mut person.phone, text.trim().to_string());
        }
        "ORG" => first(&mut person.company, components(value).swap_remove(0)),
        "TITLE" => first(&mut person.job_title, unescape(value).trim().to_string()),
        "ADR" => {
            let parts = components(value);
            // Locality, else region, else country: the CRM keeps one place name.
            let place = [3, 4, 6]
                .iter()
                .filter_map(|&i| parts.get(i))
                .find(|p| !p.is_empty())
                .cloned()
                .unwrap_or_default();
            first(&mut person.location, place);
        }
        "CATEGORIES" => {
            for tag in value.split(',') {
                let tag = unescape(tag).trim().to_string();
                if !tag.is_empty() && !person.tags.contains(&tag) {
                    person.tags.push(tag);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_export_in_vcard_3_reads_into_contact_columns() {
        let vcf = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Sharma;Aarav;;;\r\nFN:Aarav Sharma\r\n\
                   item1.EMAIL;type=INTERNET;type=pref:aarav@techverse.in\r\n\
                   TEL;type=CELL:+91 98765 43120\r\nTEL;type=HOME:020 555 0100\r\n\
                   ORG:TechVerse;Sales\r\nTITLE:CTO\r\nADR;type=WORK:;;12 MG Road;Bengaluru;KA;560001;India\r\n\
                   CATEGORIES:vip,customer\r\nNOTE:Met at the expo\\, Hall 2\r\nEND:VCARD\r\n\
                   BEGIN:VCARD\nVERSION:4.0\nFN:Priya\nTEL;VALUE=uri:tel:+44-20-7946-0958\nEND:VCARD\n";
        assert_eq!(
            to_csv(vcf).unwrap(),
            "first_name,last_name,email,phone,company,job_title,location,tags\n\
             Aarav,Sharma,aarav@techverse.in,+91 98765 43120,TechVerse,CTO,Bengaluru,\"vip,customer\"\n\
             Priya,,,+44-20-7946-0958,,,,\n"
        );
        assert!(
            to_csv("BEGIN:VCARD\nVERSION:4.0\nEND:VCARD\n")
                .unwrap_err()
                .to_string()
                .contains("card 1 has no name")
        );
        assert!(to_csv("hello").is_err());
    }
}
