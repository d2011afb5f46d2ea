//! What a search is made of, whatever engine runs it: the words a user typed, each to be found
//! as the start of a word ("sha" finds Sharma), and how well a hit matches them. Nothing here
//! is query syntax; the store renders the words for its engine (`store/search.rs` quotes each
//! as an FTS5 prefix term, so no syntax a user types can reach the engine).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The words of `text` to search for as prefixes, lower case, or None when it holds nothing
/// searchable. A phone number is one word of its digits, so it matches whether it was stored
/// with spaces or without.
pub(crate) fn words(text: &str) -> Option<Vec<String>> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let phone_like = !digits.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')' | '.'));
    // "+91 9" is the start of a number, not the words "91" and "9".
    if phone_like && (digits.len() >= 4 || text.trim_start().starts_with('+')) {
        return Some(vec![digits]);
    }
    let words: Vec<String> = tokens(text).take(8).collect();
    (!words.is_empty()).then_some(words)
}

/// The words of a text, lower case and without diacritics, as the search index reads them
/// (FTS5's `unicode61 remove_diacritics 2`): what a search is made of and what its hits are
/// ranked by.
fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| fold(&t.to_lowercase()))
}

/// A lower-case word without its diacritics ("josé" is "jose").
fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_string();
    }
    word.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

/// True when each of `words` starts some word of the title or the detail: what the index's
/// prefix match means, for checking candidates read through a shorter prefix.
pub(crate) fn matches_all(words: &[String], title: &str, detail: &str) -> bool {
    // Search asks this of every candidate, most with nothing to check.
    if words.is_empty() {
        return true;
    }
    let found: Vec<String> = tokens(title).chain(tokens(detail)).collect();
    words
        .iter()
        .all(|w| found.iter().any(|t| t.starts_with(w.as_str())))
}

/// How well a record's title and detail match the searched words, lower is better (as FTS5's
/// bm25 reads): per word, a whole word counts more than a word that only starts with it, and a
/// title match three times a detail match; shorter titles come first among equals, as a closer
/// match. Computed here over the few hundred candidates a search reads, because FTS5's bm25
/// first counts every row that matches each word (70,000 for "sha" at a million leads) on each
/// query it ranks.
pub(crate) fn rank(words: &[String], title: &str, detail: &str) -> f64 {
    let title_words: Vec<String> = tokens(title).collect();
    let detail_words: Vec<String> = tokens(detail).collect();
    let best = |words: &[String], word: &str| -> f64 {
        words.iter().fold(0.0, |best: f64, w| {
            if w == word {
                best.max(1.0)
            } else if w.starts_with(word) {
                best.max(0.5)
            } else {
                best
            }
        })
    };
    let score: f64 = words
        .iter()
        .map(|w| 3.0 * best(&title_words, w) + best(&detail_words, w))
        .sum();
    #[allow(clippy::cast_precision_loss)] // a title's word count is small
    let length = title_words.len() as f64;
    -score / (1.0 + 0.1 * length)
}

#[cfg(test)]
mod tests {
    use super::{rank, words};

    fn words_of(text: &str) -> Option<Vec<String>> {
        words(text)
    }

    fn owned(words: &[&str]) -> Vec<String> {
        words.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_search_is_its_lower_case_words() {
        assert_eq!(words_of("sha"), Some(owned(&["sha"])));
        assert_eq!(words_of("Aarav Sharma"), Some(owned(&["aarav", "sharma"])));
        assert_eq!(
            words_of("aarav@techverse.in"),
            Some(owned(&["aarav", "techverse", "in"]))
        );
        assert_eq!(words_of("\" OR NEAR("), Some(owned(&["or", "near"])));
        assert_eq!(words_of("  ..."), None);
    }

    #[test]
    fn diacritics_are_folded_as_the_index_folds_them() {
        assert_eq!(words_of("José Müller"), Some(owned(&["jose", "muller"])));
        assert!(super::matches_all(
            &owned(&["jose", "mul"]),
            "Josée Müller",
            ""
        ));
        assert!(super::matches_all(
            &owned(&["9198"]),
            "Asha",
            "asha@x.in 919876543120"
        ));
        assert!(!super::matches_all(
            &owned(&["9198"]),
            "Asha",
            "asha@x.in 919176543120"
        ));
    }

    #[test]
    fn phone_numbers_search_by_digits() {
        assert_eq!(words_of("+91 98765 43120"), Some(owned(&["919876543120"])));
        assert_eq!(words_of("98765-43120"), Some(owned(&["9876543120"])));
        assert_eq!(words_of("+91 9"), Some(owned(&["919"])));
        assert_eq!(words_of("+9"), Some(owned(&["9"])));
    }

    fn ranked(title: &str, detail: &str, text: &str) -> f64 {
        rank(&words(text).unwrap(), title, detail)
    }

    #[test]
    fn whole_words_and_titles_rank_first() {
        // Lower is better.
        assert!(ranked("Sha Li", "", "sha") < ranked("Sharma Aarav", "", "sha"));
        assert!(ranked("Aarav Sharma", "", "sha") < ranked("Ravi Kumar", "sharma@x.in", "sha"));
        assert!(
            ranked("Ravi Sharma", "", "sharma") < ranked("Ravi Sharma Kumar Iyer", "", "sharma"),
            "a shorter title is a closer match"
        );
        assert!(
            ranked("Aditi Patel", "", "aditi pat") < ranked("Aditi Rao", "patna", "aditi pat"),
            "both words in the title beat one in the detail"
        );
        assert!(ranked("Ravi Kumar", "ravi@x.in", "zed") == 0.0);
    }
}
