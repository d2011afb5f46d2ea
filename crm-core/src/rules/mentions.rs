//! `@username` mentions in notes.

/// The usernames mentioned in a text, lower case, each once, in order of first mention. An `@`
/// inside a word (an email address) is not a mention.
pub(crate) fn usernames(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c != '@' || (i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '.')) {
            continue;
        }
        let name: String = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            .collect();
        let name = name.trim_end_matches(['.', '-']).to_lowercase();
        if !name.is_empty() && !found.contains(&name) {
            found.push(name);
        }
    }
    found
}

/// The title of the task a mention creates: who asked, and the start of the note.
pub(crate) fn task_title(author: &str, note: &str) -> String {
    let flat = crate::text::one_line(note);
    let mut short: String = flat.chars().take(60).collect();
    if flat.chars().count() > 60 {
        short.push('…');
    }
    format!("Follow up on {author}'s note: {short}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_words_starting_with_at() {
        assert_eq!(
            usernames("@Designer please start by Friday, cc @ravi."),
            ["designer", "ravi"]
        );
        assert_eq!(
            usernames("mail aarav@techverse.in about it"),
            Vec::<String>::new()
        );
        assert_eq!(usernames("@asha @asha"), ["asha"]);
        assert_eq!(usernames("@ alone"), Vec::<String>::new());
    }

    #[test]
    fn task_titles_quote_the_start_of_the_note() {
        let t = task_title(
            "Meera",
            "Client approved Facebook ad campaign; start by Friday.",
        );
        assert_eq!(
            t,
            "Follow up on Meera's note: Client approved Facebook ad campaign; start by Friday."
        );
        assert!(task_title("M", &"x".repeat(100)).ends_with('…'));
    }
}
