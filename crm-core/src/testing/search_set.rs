//! A set of search queries drawn from a database at random, so no query a benchmark measures is
//! chosen by hand: prefixes of 1 to 6 letters of real names, emails, companies and phones,
//! two-word name prefixes, partial emails with their dots and `@`, and strings that match
//! nothing. The same seed and data give the same set.

use std::fmt;
use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::service::Draw;

/// What a query of the set was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shape {
    /// The first 1 to 6 letters of a first or last name.
    Name,
    /// A whole first name and the first 1 to 3 letters of the surname ("kiran c").
    TwoWordName,
    /// The first 1 to 6 characters of an email, or a cut just past its `.` or `@` ("deepa.j").
    Email,
    /// The first 1 to 6 letters of a word of a company name.
    Company,
    /// The first 2 to 8 characters of a phone number as stored ("+91 98").
    Phone,
    /// Letters that are no one's name ("qzxv").
    Nothing,
}

impl Shape {
    pub const ALL: [Shape; 6] = [
        Shape::Name,
        Shape::TwoWordName,
        Shape::Email,
        Shape::Company,
        Shape::Phone,
        Shape::Nothing,
    ];
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Shape::Name => "name prefix",
            Shape::TwoWordName => "two-word name",
            Shape::Email => "partial email",
            Shape::Company => "company word",
            Shape::Phone => "phone prefix",
            Shape::Nothing => "matches nothing",
        })
    }
}

/// One query of the set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleQuery {
    pub shape: Shape,
    pub text: String,
}

/// The demo generator's numbers (SplitMix64): the set must be the same on every run of a seed.
struct Rng(Draw);

impl Rng {
    /// A number in `lo..=hi`.
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        let span = u64::try_from(hi - lo + 1).unwrap_or(u64::MAX);
        lo + usize::try_from(self.0.below(span)).unwrap_or(0)
    }
}

/// A person (lead or contact) read at random.
struct Person {
    first: String,
    last: String,
    email: String,
    company: String,
    phone: String,
}

/// The first `n` characters of `text`.
fn prefix(text: &str, n: usize) -> String {
    text.chars().take(n).collect()
}

/// `count` queries drawn from the leads and contacts of the database at `path`, the shapes
/// taking turns.
///
/// # Panics
/// When the database cannot be read or holds no lead.
#[must_use]
pub fn search_queries(path: &Path, seed: u64, count: usize) -> Vec<SampleQuery> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open the database");
    let max_id = |table: &str| -> i64 {
        conn.query_row(
            &format!("SELECT ifnull(max(id), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )
        .expect("count the records")
    };
    let tables = [("leads", max_id("leads")), ("contacts", max_id("contacts"))];
    assert!(tables[0].1 > 0, "the database holds no lead");
    let mut rng = Rng(Draw(seed));
    let person = |rng: &mut Rng| -> Person {
        loop {
            // Four leads to one contact, as a CRM holds more leads than customers.
            let (table, max) = tables[usize::from(rng.between(0, 4) == 0)];
            if max == 0 {
                continue;
            }
            let id = i64::try_from(rng.between(1, usize::try_from(max).unwrap_or(1))).unwrap_or(1);
            let sql = format!(
                "SELECT first_name, ifnull(last_name, ''), ifnull(email, ''),
                        ifnull(company, ''), ifnull(phone, '')
                 FROM {table} WHERE id >= ?1 ORDER BY id LIMIT 1"
            );
            let row = conn
                .query_row(&sql, [id], |r| {
                    Ok(Person {
                        first: r.get(0)?,
                        last: r.get(1)?,
                        email: r.get(2)?,
                        company: r.get(3)?,
                        phone: r.get(4)?,
                    })
                })
                .optional()
                .expect("read a record");
            if let Some(p) = row {
                return p;
            }
        }
    };
    let mut queries = Vec::with_capacity(count);
    while queries.len() < count {
        let shape = Shape::ALL[queries.len() % Shape::ALL.len()];
        let p = person(&mut rng);
        let Some(text) = query_of(shape, &p, &mut rng) else {
            continue;
        };
        let text = text.trim().to_string();
        if !text.is_empty() {
            queries.push(SampleQuery { shape, text });
        }
    }
    queries
}

/// A query of `shape` made from the person `p`, or None when the person has no such field.
fn query_of(shape: Shape, p: &Person, rng: &mut Rng) -> Option<String> {
    let text = match shape {
        Shape::Name => {
            let name = if rng.between(0, 1) == 0 {
                &p.first
            } else {
                &p.last
            };
            prefix(name, rng.between(1, 6))
        }
        Shape::TwoWordName => {
            if p.last.is_empty() {
                return None;
            }
            format!("{} {}", p.first, prefix(&p.last, rng.between(1, 3)))
        }
        Shape::Email => {
            if p.email.is_empty() {
                return None;
            }
            // Half the time a plain prefix, half a cut one or two letters past a `.` or
            // `@`, as a person types an address they half remember.
            let cuts: Vec<usize> = p
                .email
                .char_indices()
                .filter(|(_, c)| matches!(c, '.' | '@'))
                .map(|(i, _)| i)
                .collect();
            if cuts.is_empty() || rng.between(0, 1) == 0 {
                prefix(&p.email, rng.between(1, 6))
            } else {
                let at = cuts[rng.between(0, cuts.len() - 1)];
                prefix(&p.email, p.email[..at].chars().count() + rng.between(1, 3))
            }
        }
        Shape::Company => {
            let words: Vec<&str> = p.company.split_whitespace().collect();
            if words.is_empty() {
                return None;
            }
            prefix(words[rng.between(0, words.len() - 1)], rng.between(1, 6))
        }
        Shape::Phone => {
            if p.phone.is_empty() {
                return None;
            }
            prefix(&p.phone, rng.between(2, 8))
        }
        Shape::Nothing => {
            const RARE: &[u8] = b"qxzjvkw";
            (0..rng.between(3, 7))
                .map(|_| char::from(RARE[rng.between(0, RARE.len() - 1)]))
                .collect()
        }
    };
    Some(text)
}

/// `count` names of leads drawn at random, first name and surname, each cut to `letters`
/// characters (names shorter than that are skipped): what a user types into the search popup.
///
/// # Panics
/// When the database cannot be read.
#[must_use]
pub fn typed_names(path: &Path, seed: u64, count: usize, letters: usize) -> Vec<String> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open the database");
    let max: i64 = conn
        .query_row("SELECT ifnull(max(id), 0) FROM leads", [], |r| r.get(0))
        .expect("count the leads");
    let mut rng = Rng(Draw(seed));
    let mut names = Vec::with_capacity(count);
    let mut tries = 0;
    while names.len() < count && tries < count * 100 {
        tries += 1;
        let id =
            i64::try_from(rng.between(1, usize::try_from(max.max(1)).unwrap_or(1))).unwrap_or(1);
        let name: Option<String> = conn
            .query_row(
                "SELECT first_name || ' ' || ifnull(last_name, '') FROM leads
                 WHERE id >= ?1 ORDER BY id LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .expect("read a lead");
        if let Some(name) = name.filter(|n| n.trim().chars().count() >= letters) {
            names.push(name.chars().take(letters).collect());
        }
    }
    names
}

/// The `p`-th percentile (0 to 100) of sorted figures, nearest rank.
#[must_use]
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let figures: Vec<f64> = (1..=100).map(f64::from).collect();
        assert!((percentile(&figures, 50.0) - 50.0).abs() < f64::EPSILON);
        assert!((percentile(&figures, 99.0) - 99.0).abs() < f64::EPSILON);
        assert!((percentile(&figures[..1], 95.0) - 1.0).abs() < f64::EPSILON);
    }
}
