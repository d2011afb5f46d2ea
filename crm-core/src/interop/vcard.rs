//! vCard 4.0 (RFC 6350): contacts out to phones and mail clients, and back in. Reading also
//! takes the vCard 3.0 that most phones still export.

use std::io::{self, BufRead, Read};

use super::{escape, push_line, split_line, unescape};
use crate::import::scan::{MAX_ROW_BYTES, Malformed};
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
    /// What no contact field takes, kept as columns the import names (or keeps as custom
    /// fields with `--keep-extra`): NOTE, BDAY, URL, and the emails and phones after the first.
    note: String,
    birthday: String,
    website: String,
    other_emails: Vec<String>,
    other_phones: Vec<String>,
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

/// The columns a card becomes, in the contact importer's names; the last five are no contact
/// field's, so the import names them, or keeps them with `--keep-extra`.
const COLUMNS: [&str; 13] = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "job_title",
    "location",
    "tags",
    "Note",
    "Birthday",
    "Website",
    "Other emails",
    "Other phones",
];

/// The cards of a `.vcf` file as CSV with the contact importer's column names, so a card goes
/// through the same validation, duplicate check, batch and report as a CSV row. A card
/// without a name is refused with its number. For a file in memory; [`CardRows`] streams.
pub fn to_csv(text: &str) -> Result<String> {
    let mut csv = String::new();
    CardRows::new(text.as_bytes())
        .read_to_string(&mut csv)
        .map_err(|e| Error::invalid("file", e.to_string()))?;
    Ok(csv)
}

/// The cards of a `.vcf` stream as CSV rows, made one card at a time as the importer reads
/// them: a file of any size takes the memory of one card, and a content line longer than a CSV
/// row may be ([`MAX_ROW_BYTES`]) is refused as one would be (a `.vcf` that is not a vCard file,
/// `/dev/zero` say, took 16 GB when it was read whole). Problems reach the importer as its
/// "invalid file" errors.
pub struct CardRows<R> {
    input: R,
    /// The next raw line, read to see whether it continues the current one (folding).
    ahead: Option<String>,
    line: u64,
    card: Option<(Person, String)>,
    cards: usize,
    out: Vec<u8>,
    at: usize,
    finished: bool,
}

impl<R: BufRead> CardRows<R> {
    pub fn new(input: R) -> CardRows<R> {
        let mut out = Vec::new();
        push_record(&mut out, &COLUMNS.map(str::to_string));
        CardRows {
            input,
            ahead: None,
            line: 0,
            card: None,
            cards: 0,
            out,
            at: 0,
            finished: false,
        }
    }

    /// One raw line without its line break, or None at the end; bounded in length.
    fn raw_line(&mut self) -> io::Result<Option<String>> {
        let mut bytes = Vec::new();
        let limit = MAX_ROW_BYTES + 1;
        let read = (&mut self.input)
            .take(limit)
            .read_until(b'\n', &mut bytes)?;
        if read == 0 {
            return Ok(None);
        }
        self.line += 1;
        if bytes.len() as u64 >= limit {
            return Err(bad(format!(
                "line {} of the vCard is longer than {} MiB; is this a vCard file?",
                self.line,
                MAX_ROW_BYTES / 1024 / 1024
            )));
        }
        while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            bytes.pop();
        }
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| bad(format!("line {} of the vCard is not UTF-8 text", self.line)))
    }

    /// The next content line with its folded continuations joined, skipping blank lines.
    fn content_line(&mut self) -> io::Result<Option<(u64, String)>> {
        loop {
            let first = match self.ahead.take() {
                Some(line) => line,
                None => match self.raw_line()? {
                    Some(line) => line,
                    None => return Ok(None),
                },
            };
            if first.trim().is_empty() {
                continue;
            }
            let number = self.line;
            let mut line = first;
            while let Some(next) = self.raw_line()? {
                let Some(rest) = next.strip_prefix([' ', '\t']) else {
                    self.ahead = Some(next);
                    break;
                };
                line.push_str(rest);
                if line.len() as u64 > MAX_ROW_BYTES {
                    return Err(bad(format!(
                        "the card line starting on line {number} is longer than {} MiB",
                        MAX_ROW_BYTES / 1024 / 1024
                    )));
                }
            }
            return Ok(Some((number, line)));
        }
    }

    /// Reads until one card is complete (its row appended to `out`) or the stream ends.
    fn next_card(&mut self) -> io::Result<()> {
        while let Some((n, line)) = self.content_line()? {
            let Some((name, params, value)) = split_line(&line) else {
                return Err(bad(format!("line {n} of the vCard is not NAME:value")));
            };
            match (name.as_str(), &mut self.card) {
                ("BEGIN", None) if value.eq_ignore_ascii_case("VCARD") => {
                    self.card = Some((Person::default(), String::new()));
                }
                ("END", Some(_)) if value.eq_ignore_ascii_case("VCARD") => {
                    let (person, full) = self.card.take().unwrap_or_default();
                    let person = named(person, &full).ok_or_else(|| {
                        bad(format!(
                            "card {} has no name, email or phone",
                            self.cards + 1
                        ))
                    })?;
                    self.cards += 1;
                    push_record(
                        &mut self.out,
                        &[
                            person.first_name,
                            person.last_name,
                            person.email,
                            person.phone,
                            person.company,
                            person.job_title,
                            person.location,
                            person.tags.join(","),
                            person.note,
                            person.birthday,
                            person.website,
                            person.other_emails.join(", "),
                            person.other_phones.join(", "),
                        ],
                    );
                    return Ok(());
                }
                (_, None) => {
                    return Err(bad(format!(
                        "line {n} is outside BEGIN:VCARD ... END:VCARD"
                    )));
                }
                (_, Some((person, full))) => read_property(person, full, &name, &params, value),
            }
        }
        if self.card.is_some() {
            return Err(bad("the last card has no END:VCARD".into()));
        }
        if self.cards == 0 {
            return Err(bad("holds no vCard (BEGIN:VCARD)".into()));
        }
        self.finished = true;
        Ok(())
    }
}

impl<R: BufRead> Read for CardRows<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.out.len() {
            if self.finished {
                return Ok(0);
            }
            self.out.clear();
            self.at = 0;
            self.next_card()?;
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The person's name: from `N`, else the formatted name split at its last space like a "Name"
/// column. None when the card says nothing to know the person by: no name, email or phone (a
/// card with only an email, as phones keep for shops, is someone all the same).
fn named(mut person: Person, full: &str) -> Option<Person> {
    if person.first_name.is_empty() && person.last_name.is_empty() {
        match full.trim().rsplit_once(' ') {
            Some((first, last)) => {
                person.first_name = first.trim().to_string();
                person.last_name = last.to_string();
            }
            None => person.first_name = full.trim().to_string(),
        }
    }
    let someone = [
        &person.first_name,
        &person.last_name,
        &person.email,
        &person.phone,
    ]
    .iter()
    .any(|v| !v.trim().is_empty());
    someone.then_some(person)
}

/// One CSV record, quoted where a cell needs it.
fn push_record(out: &mut Vec<u8>, cells: &[String]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if cell.contains([',', '"', '\n', '\r']) {
            out.push(b'"');
            out.extend(cell.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend(cell.as_bytes());
        }
    }
    out.push(b'\n');
}

fn bad(reason: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, Malformed(reason))
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
        "EMAIL" => {
            let email = unescape(value).trim().to_string();
            if person.email.is_empty() {
                person.email = email;
            } else if !email.is_empty() {
                person.other_emails.push(email);
            }
        }
        "TEL" => {
            let is_uri = params.iter().any(|p| p.eq_ignore_ascii_case("VALUE=uri"))
                || value.to_ascii_lowercase().starts_with("tel:");
            // A `tel:` URI keeps its `;ext=`, which the phone's rule reads as the extension.
            let text = if is_uri {
                let value = value.trim();
                value.get(4..).unwrap_or(value).to_string()
            } else {
                unescape(value).trim().to_string()
            };
            if person.phone.is_empty() {
                person.phone = text;
            } else if !text.is_empty() {
                person.other_phones.push(text);
            }
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
        "NOTE" => first(&mut person.note, unescape(value).trim().to_string()),
        "BDAY" => first(&mut person.birthday, unescape(value).trim().to_string()),
        "URL" => first(&mut person.website, unescape(value).trim().to_string()),
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
                   CATEGORIES:vip,customer\r\nNOTE:Met at the expo\\, Hall 2\r\nBDAY:1990-04-01\r\n\
                   URL:https://techverse.in\r\nEMAIL:aarav.s@gmail.com\r\nEND:VCARD\r\n\
                   BEGIN:VCARD\nVERSION:4.0\nFN:Priya\nTEL;VALUE=uri:tel:+44-20-7946-0958;ext=12\nEND:VCARD\n";
        // Nothing of a card is dropped: what no contact field takes is a column the import
        // names, or keeps with --keep-extra.
        assert_eq!(
            to_csv(vcf).unwrap(),
            "first_name,last_name,email,phone,company,job_title,location,tags,Note,Birthday,\
             Website,Other emails,Other phones\n\
             Aarav,Sharma,aarav@techverse.in,+91 98765 43120,TechVerse,CTO,Bengaluru,\"vip,customer\",\
             \"Met at the expo, Hall 2\",1990-04-01,https://techverse.in,aarav.s@gmail.com,020 555 0100\n\
             Priya,,,+44-20-7946-0958;ext=12,,,,,,,,,\n"
        );
        assert!(
            to_csv("BEGIN:VCARD\nVERSION:4.0\nEND:VCARD\n")
                .unwrap_err()
                .to_string()
                .contains("card 1 has no name, email or phone")
        );
        assert!(to_csv("hello").is_err());
    }
}
