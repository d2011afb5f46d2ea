//! How the free-text company of a contact or lead finds its company: by the name in a normal
//! form that ignores case, punctuation and legal suffixes, or by the domain of a business email.

use crate::{Error, Result};

/// Words that say what kind of legal entity a company is, not which company: dropped from the
/// end of a name (repeatedly, so "Pvt Ltd" goes as a whole) before names are compared.
const LEGAL_SUFFIXES: &[&str] = &[
    "ab",
    "ag",
    "bv",
    "co",
    "company",
    "corp",
    "corporation",
    "gmbh",
    "inc",
    "incorporated",
    "limited",
    "llc",
    "llp",
    "lp",
    "ltd",
    "nv",
    "plc",
    "private",
    "pte",
    "pty",
    "pvt",
    "sa",
    "sarl",
    "sas",
    "spa",
    "srl",
];

/// Mail providers anyone can sign up to: their domain says nothing about an employer, so it
/// never makes or finds a company.
const FREE_MAIL: &[&str] = &[
    "aol.com",
    "fastmail.com",
    "gmail.com",
    "gmx.com",
    "gmx.de",
    "googlemail.com",
    "hey.com",
    "hotmail.co.uk",
    "hotmail.com",
    "icloud.com",
    "live.com",
    "mac.com",
    "mail.com",
    "me.com",
    "msn.com",
    "outlook.com",
    "outlook.in",
    "pm.me",
    "proton.me",
    "protonmail.com",
    "qq.com",
    "rediffmail.com",
    "tutanota.com",
    "web.de",
    "yahoo.co.in",
    "yahoo.co.uk",
    "yahoo.com",
    "yahoo.in",
    "yandex.com",
    "yandex.ru",
    "ymail.com",
    "zoho.com",
    "zohomail.com",
];

/// A company name in the form names are matched in: lower case, `&` as "and", dots and
/// apostrophes joined ("A.B.C." is "abc"), other punctuation as spaces, a leading "the" and
/// trailing legal suffixes dropped. None when nothing is left to match on.
pub(crate) fn name_key(name: &str) -> Option<String> {
    let mut spaced = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            '.' | '\'' | '\u{2019}' => {}
            '&' => spaced.push_str(" and "),
            c if c.is_alphanumeric() => spaced.push(c),
            _ => spaced.push(' '),
        }
    }
    let mut words: Vec<&str> = spaced.split_whitespace().collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    // A name made only of suffixes ("The Company") keeps its last word: it is all there is.
    while words.len() > 1 && words.last().is_some_and(|w| LEGAL_SUFFIXES.contains(w)) {
        words.pop();
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// The domain of a business email ("asha@Acme.com" gives "acme.com"); None for free-mail
/// providers and for text that is not an address.
pub(crate) fn email_domain(email: &str) -> Option<String> {
    let (_, domain) = email.trim().rsplit_once('@')?;
    let domain = domain.trim_end_matches('.').to_lowercase();
    (domain.contains('.') && !FREE_MAIL.contains(&domain.as_str())).then_some(domain)
}

/// A web domain as typed (`https://www.Acme.com/about`, `acme.com`) in its stored form
/// (`acme.com`); empty means none. Refused, naming `field`, when it is not a domain name.
pub(crate) fn domain(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(raw) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let lower = raw.to_lowercase();
    let without_scheme = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let host = without_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .trim_end_matches('.');
    let host = host.strip_prefix("www.").unwrap_or(host);
    let labels_ok = host.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    });
    if FREE_MAIL.contains(&host) {
        Err(Error::invalid(
            field,
            format!("'{host}' is a free-mail provider, not a company's domain"),
        ))
    } else if host.contains('.') && host.len() <= 253 && labels_ok {
        Ok(Some(host.to_string()))
    } else {
        Err(Error::invalid(
            field,
            format!("'{raw}' is not a web domain like acme.com"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_without_case_punctuation_or_legal_suffixes() {
        let key = |n: &str| name_key(n).unwrap();
        assert_eq!(key("Acme Pvt. Ltd."), "acme");
        assert_eq!(key("ACME"), "acme");
        assert_eq!(key("Acme, Inc."), "acme");
        assert_eq!(key("acme  llc"), "acme");
        assert_eq!(key("The Acme Company"), "acme");
        assert_eq!(
            key("TechVerse Solutions Private Limited"),
            "techverse solutions"
        );
        assert_eq!(key("A.B.C. Corp"), "abc");
        assert_eq!(key("Johnson & Johnson"), "johnson and johnson");
        assert_eq!(key("O'Reilly Media"), "oreilly media");
        // Suffix words inside a name are part of it.
        assert_eq!(key("Inc Magazine"), "inc magazine");
        assert_eq!(key("The Company"), "company");
        assert_eq!(name_key(" -- "), None);
        assert_ne!(key("Acme Systems"), key("Acme"));
    }

    #[test]
    fn only_business_mail_gives_a_domain() {
        assert_eq!(email_domain("asha@Acme.com").as_deref(), Some("acme.com"));
        assert_eq!(
            email_domain("r@mail.techverse.in").as_deref(),
            Some("mail.techverse.in")
        );
        assert_eq!(email_domain("someone@gmail.com"), None);
        assert_eq!(email_domain("someone@YAHOO.co.in"), None);
        assert_eq!(email_domain("no-at-sign"), None);
        assert_eq!(email_domain("x@localhost"), None);
    }

    #[test]
    fn typed_domains_are_stored_bare_and_bad_ones_refused() {
        let d = |v: &str| domain("domain", Some(v)).unwrap();
        assert_eq!(
            d("https://www.Acme.com/about?x=1").as_deref(),
            Some("acme.com")
        );
        assert_eq!(d("acme.co.in.").as_deref(), Some("acme.co.in"));
        assert_eq!(d("  "), None);
        for bad in [
            "acme",
            "acme..com",
            "-acme.com",
            "ac me.com",
            "acme.com\u{1b}[2J",
        ] {
            let err = domain("domain", Some(bad)).unwrap_err().to_string();
            assert!(
                err.contains("domain") && err.contains("not a web domain"),
                "{bad}: {err}"
            );
        }
        let err = domain("domain", Some("gmail.com")).unwrap_err().to_string();
        assert!(err.contains("free-mail"), "{err}");
    }
}
