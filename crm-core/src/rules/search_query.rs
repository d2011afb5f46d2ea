//! Turning what a user types into a safe FTS5 query: every word becomes a quoted prefix term,
//! so "sha" finds Sharma and no FTS5 syntax (quotes, NEAR, column filters) can be injected.

/// The FTS5 query for `text`, or None when it holds nothing searchable.
pub(crate) fn fts_query(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let phone_like = !digits.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')' | '.'));
    if phone_like && digits.len() >= 4 {
        // A phone number: match its digits whether it was stored with spaces or without.
        return Some(format!("\"{digits}\"*"));
    }
    let terms: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(8)
        .map(|t| format!("\"{}\"*", t.to_lowercase()))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

#[cfg(test)]
mod tests {
    use super::fts_query;
    use proptest::prelude::*;

    #[test]
    fn words_become_prefix_terms() {
        assert_eq!(fts_query("sha").as_deref(), Some("\"sha\"*"));
        assert_eq!(
            fts_query("Aarav Sharma").as_deref(),
            Some("\"aarav\"* \"sharma\"*")
        );
        assert_eq!(
            fts_query("aarav@techverse.in").as_deref(),
            Some("\"aarav\"* \"techverse\"* \"in\"*")
        );
        assert_eq!(
            fts_query("\" OR NEAR(").as_deref(),
            Some("\"or\"* \"near\"*")
        );
        assert_eq!(fts_query("  ..."), None);
    }

    #[test]
    fn phone_numbers_search_by_digits() {
        assert_eq!(
            fts_query("+91 98765 43120").as_deref(),
            Some("\"919876543120\"*")
        );
        assert_eq!(fts_query("98765-43120").as_deref(), Some("\"9876543120\"*"));
    }

    proptest! {
        #[test]
        fn no_input_escapes_its_quotes(s in any::<String>()) {
            if let Some(q) = fts_query(&s) {
                // Every term is "…"* with no quote inside.
                for term in q.split(' ') {
                    prop_assert!(term.starts_with('"') && term.ends_with("\"*"));
                    prop_assert!(!term[1..term.len() - 2].contains('"'));
                }
            }
        }
    }
}
