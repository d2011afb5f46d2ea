//! Finding duplicates among existing records without comparing every pair: records are put in
//! blocks by exact keys (email, phone, the name's normal form), and only the distinct names
//! that sort near each other are compared for typos. At 100k records that is a few hundred
//! thousand string comparisons instead of five billion.

use std::collections::HashMap;

use strsim::{damerau_levenshtein, jaro_winkler};

use super::normalise;
use crate::MatchReason;

/// What the finder needs of a record.
#[derive(Debug, Clone, Default)]
pub(crate) struct Candidate {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) email: Option<String>,
    /// A company's web domain (people have none).
    pub(crate) domain: Option<String>,
    pub(crate) phone: Option<String>,
}

/// What the records are: people's one-word names say little, a company's one-word name
/// ("Infosys") is as good as any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    People,
    Companies,
}

/// A group as the finder sees it: positions in the candidate slice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) score: u8,
    pub(crate) reasons: Vec<MatchReason>,
    pub(crate) members: Vec<usize>,
}

/// How sure each kind of evidence makes us, out of 100.
const EMAIL: u8 = 100;
/// Two companies on one web domain are one company.
const DOMAIN: u8 = 100;
const PHONE: u8 = 95;
const SAME_NAME: u8 = 80;
/// One word ("Priya") says little: many people share a first name.
const SAME_SINGLE_NAME: u8 = 50;
/// Taken off a name match when every record has an email and no two agree: two Swati Ghoshes
/// at two companies with two addresses are more likely two people.
const OTHER_EMAILS: u8 = 20;
/// Names this alike (Jaro-Winkler) count as the same name mistyped.
const SIMILAR: f64 = 0.93;
/// A company name one edit from another, at least this long, is taken as mistyped.
const COMPANY_TYPO_LENGTH: usize = 6;
const COMPANY_TYPO: u8 = 75;
/// How many neighbours each name is compared with in a sorted order of the distinct names.
const WINDOW: usize = 6;

/// A name in its normal form: lower case, letters and digits only, words sorted, so "Sharma,
/// Aarav", "aarav  sharma" and "Aarav Sharma" are one key.
pub(crate) fn name_key(name: &str) -> String {
    let mut words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.sort();
    words.join(" ")
}

/// The groups of two or more candidates that share an email, a phone or a name (or nearly a
/// name), strongest first, then by their oldest member.
pub(crate) fn groups(candidates: &[Candidate], subject: Subject) -> Vec<Found> {
    let mut links = Links::new(candidates.len());
    // Sized up front: nearly every record has its own email and phone (names repeat), and
    // growing a map to a million keys rehashed it again and again (13% of `crm leads dupes` at a
    // million leads).
    let n = candidates.len();
    let mut by_email: HashMap<String, Vec<usize>> = HashMap::with_capacity(n);
    let mut by_domain: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_phone: HashMap<String, Vec<usize>> = HashMap::with_capacity(n);
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in candidates.iter().enumerate() {
        if let Some(email) = c.email.as_deref().filter(|e| !e.trim().is_empty()) {
            by_email.entry(normalise::email(email)).or_default().push(i);
        }
        if let Some(domain) = c.domain.as_deref().filter(|d| !d.trim().is_empty()) {
            by_domain
                .entry(normalise::email(domain))
                .or_default()
                .push(i);
        }
        if let Some(phone) = c.phone.as_deref().map(normalise::phone)
            && phone.len() > 1
        {
            by_phone.entry(phone).or_default().push(i);
        }
        let key = name_key(&c.name);
        if !key.is_empty() {
            by_name.entry(key).or_default().push(i);
        }
    }
    for block in by_email.values() {
        links.join_all(block, MatchReason::Email, EMAIL);
    }
    for block in by_domain.values() {
        links.join_all(block, MatchReason::Domain, DOMAIN);
    }
    for block in by_phone.values() {
        links.join_all(block, MatchReason::Phone, PHONE);
    }
    for (key, block) in &by_name {
        let score = if key.contains(' ') || subject == Subject::Companies {
            SAME_NAME
        } else {
            SAME_SINGLE_NAME
        };
        let score = score - emails_differ(candidates, block);
        links.join_all(block, MatchReason::Name, score);
    }
    similar_names(candidates, &by_name, subject, &mut links);
    links.into_groups()
}

/// Joins the blocks of names that differ by a typo: each distinct name of two or more words (any
/// company name) is compared with its neighbours in sorted order, and in the order of its reversed text (so a
/// typo in the first letters still has a near neighbour).
fn similar_names(
    candidates: &[Candidate],
    by_name: &HashMap<String, Vec<usize>>,
    subject: Subject,
    links: &mut Links,
) {
    let mut names: Vec<&str> = by_name
        .keys()
        .map(String::as_str)
        .filter(|k| k.contains(' ') || subject == Subject::Companies)
        .collect();
    let reversed = |s: &str| s.chars().rev().collect::<String>();
    for order in 0..2 {
        if order == 0 {
            names.sort_unstable();
        } else {
            names.sort_by_cached_key(|n| reversed(n));
        }
        for (i, a) in names.iter().enumerate() {
            for b in names.iter().skip(i + 1).take(WINDOW) {
                let Some(score) = typo_score(a, b, subject) else {
                    continue;
                };
                let (a, b) = (by_name[*a][0], by_name[*b][0]);
                let score = score - emails_differ(candidates, &[a, b]);
                links.join(a, b, MatchReason::SimilarName, score);
            }
        }
    }
}

/// How sure a pair of distinct names is one name mistyped, below a same-name match; None when
/// they are two names. People's names compare by Jaro-Winkler (0.93 gives 74, 0.99 gives 79).
/// Company names often share their last word ("Karotex Solutions", "Karovi Solutions"), which
/// Jaro-Winkler rates alike, so they must be one edit apart (a letter wrong, missing, extra or
/// swapped) and long enough for one edit to be a slip rather than another word.
fn typo_score(a: &str, b: &str, subject: Subject) -> Option<u8> {
    match subject {
        Subject::People => {
            let alike = jaro_winkler(a, b);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            // 0.93..=1.0 times 80, floored: 74..=80, capped at 79.
            (alike >= SIMILAR).then(|| (alike * f64::from(SAME_NAME)).floor().min(79.0) as u8)
        }
        Subject::Companies => (a.chars().count().min(b.chars().count()) >= COMPANY_TYPO_LENGTH
            && damerau_levenshtein(a, b) <= 1)
            .then_some(COMPANY_TYPO),
    }
}

/// `OTHER_EMAILS` when every record of `block` has an email and they are all different, else 0.
fn emails_differ(candidates: &[Candidate], block: &[usize]) -> u8 {
    let mut emails = Vec::with_capacity(block.len());
    for &i in block {
        match candidates[i]
            .email
            .as_deref()
            .filter(|e| !e.trim().is_empty())
        {
            Some(email) => emails.push(normalise::email(email)),
            None => return 0,
        }
    }
    emails.sort_unstable();
    let all = emails.len();
    emails.dedup();
    if emails.len() == all { OTHER_EMAILS } else { 0 }
}

/// Union-find over candidate positions, keeping for each group its best score and reasons.
struct Links {
    parent: Vec<usize>,
    evidence: HashMap<usize, (u8, Vec<MatchReason>)>,
}

impl Links {
    fn new(n: usize) -> Links {
        Links {
            parent: (0..n).collect(),
            evidence: HashMap::new(),
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join_all(&mut self, block: &[usize], reason: MatchReason, score: u8) {
        for pair in block.windows(2) {
            self.join(pair[0], pair[1], reason, score);
        }
    }

    fn join(&mut self, a: usize, b: usize, reason: MatchReason, score: u8) {
        let (ra, rb) = (self.root(a), self.root(b));
        let (keep, gone) = (ra.min(rb), ra.max(rb));
        let mut evidence = self.evidence.remove(&keep).unwrap_or((0, Vec::new()));
        if keep != gone {
            self.parent[gone] = keep;
            if let Some((s, reasons)) = self.evidence.remove(&gone) {
                evidence.0 = evidence.0.max(s);
                evidence.1.extend(reasons);
            }
        }
        evidence.0 = evidence.0.max(score);
        evidence.1.push(reason);
        self.evidence.insert(keep, evidence);
    }

    fn into_groups(mut self) -> Vec<Found> {
        let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
        for i in 0..self.parent.len() {
            let root = self.root(i);
            if self.evidence.contains_key(&root) {
                members.entry(root).or_default().push(i);
            }
        }
        let mut groups: Vec<Found> = members
            .into_iter()
            .filter(|(_, m)| m.len() > 1)
            .map(|(root, members)| {
                let (score, mut reasons) = self.evidence.remove(&root).unwrap_or_default();
                reasons.sort_unstable();
                reasons.dedup();
                Found {
                    score,
                    reasons,
                    members,
                }
            })
            .collect();
        groups.sort_by(|a, b| b.score.cmp(&a.score).then(a.members[0].cmp(&b.members[0])));
        groups
    }
}

/// Whether two people who share a phone are two people by their names: their first names
/// differ (neither is the other's start, so `A.` and `Aarav` agree) or both have last names
/// and they differ, in any case and with dots ignored. An office line or a family's landline
/// is shared; `Aarav` and `A. Sharma` on one mobile are one person.
pub(crate) fn other_person(
    (first_a, last_a): (&str, Option<&str>),
    (first_b, last_b): (&str, Option<&str>),
) -> bool {
    let plain = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '.')
            .flat_map(char::to_lowercase)
            .collect::<String>()
            .trim()
            .to_string()
    };
    let (first_a, first_b) = (plain(first_a), plain(first_b));
    let firsts_differ = !first_a.is_empty()
        && !first_b.is_empty()
        && !first_a.starts_with(&first_b)
        && !first_b.starts_with(&first_a);
    let lasts_differ = match (last_a.map(plain), last_b.map(plain)) {
        (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => a != b,
        _ => false,
    };
    firsts_differ || lasts_differ
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: i64, name: &str, email: Option<&str>, phone: Option<&str>) -> Candidate {
        Candidate {
            id,
            name: name.into(),
            email: email.map(Into::into),
            domain: None,
            phone: phone.map(Into::into),
        }
    }

    #[test]
    fn company_names_sharing_a_word_are_not_typos_of_each_other() {
        let companies = [
            c(1, "karotex solutions", None, None),
            c(2, "karovi solutions", None, None),
            c(3, "karotex solutons", None, None),
            c(4, "acme", None, None),
            c(5, "acne", None, None),
        ];
        let found = groups(&companies, Subject::Companies);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].members, [0, 2]);
        assert_eq!(found[0].reasons, [MatchReason::SimilarName]);
    }

    #[test]
    fn name_order_spacing_case_and_commas_do_not_matter() {
        assert_eq!(name_key("Sharma, Aarav"), "aarav sharma");
        assert_eq!(name_key("  AARAV   Sharma "), "aarav sharma");
        assert_eq!(name_key("Aarav Sharma"), "aarav sharma");
        assert_eq!(name_key("José  Álvarez-Ruiz"), "josé ruiz álvarez");
    }

    #[test]
    fn evidence_chains_into_one_group_with_every_reason() {
        let people = [
            c(1, "Aarav Sharma", Some("aarav@x.in"), None),
            c(2, "A. Sharma", Some("AARAV@x.in"), Some("+91 98765 43120")),
            c(3, "Someone Else", None, Some("+91-98765-43120")),
            c(4, "Kavya Reddy", Some("kavya@a.in"), None),
            c(5, "Kavya Reddi", None, None),
            c(6, "Priya", None, None),
            c(7, "Priya", None, None),
            c(8, "Alone Here", Some("alone@x.in"), Some("12345")),
            c(9, "Swati Ghosh", Some("swati@a.in"), None),
            c(10, "Ghosh Swati", Some("swati@b.in"), None),
        ];
        let found = groups(&people, Subject::People);
        assert_eq!(
            found,
            vec![
                Found {
                    score: 100,
                    reasons: vec![MatchReason::Email, MatchReason::Phone],
                    members: vec![0, 1, 2],
                },
                Found {
                    score: 77,
                    reasons: vec![MatchReason::SimilarName],
                    members: vec![3, 4],
                },
                Found {
                    score: 60,
                    reasons: vec![MatchReason::Name],
                    members: vec![8, 9],
                },
                Found {
                    score: 50,
                    reasons: vec![MatchReason::Name],
                    members: vec![5, 6],
                },
            ]
        );
    }

    #[test]
    fn people_who_share_a_phone_are_told_apart_by_their_names() {
        use super::other_person;
        assert!(other_person(
            ("Asha", Some("Rao")),
            ("Vikram", Some("Shah"))
        ));
        assert!(other_person(("Asha", Some("Rao")), ("Asha", Some("Shah"))));
        assert!(!other_person(("Aarav", None), ("A.", Some("Sharma"))));
        assert!(!other_person(("asha", Some("RAO")), ("Asha", Some("Rao"))));
        assert!(!other_person(("Old", None), ("Old", None)));
        assert!(!other_person(("Priya", Some("Nair")), ("Priya", None)));
    }
}
