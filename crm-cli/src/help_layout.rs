//! The examples and notes under every command's `--help`, laid out for the width they are
//! shown at. clap wraps a long line wherever a word ends, which split an example mid-argument
//! without the `\` a shell needs to read on; here an example too long for the width is broken
//! between arguments with `\` continuations (its comment, if any, goes on a line above as
//! `# …`), and a paragraph of notes is reflowed as one paragraph.

use clap::Command;

/// The width clap wraps help at, and the widest it goes in a pipe.
const WIDEST: usize = 100;
/// Where continuation lines of an example start.
const CONTINUATION: &str = "      ";

/// `cmd` and all its subcommands with their after-help laid out for the width help is shown
/// at, which is also set on `cmd` so that clap agrees with it.
pub(crate) fn for_terminal(cmd: Command) -> Command {
    let width = terminal_width();
    laid_out(cmd.term_width(width), width)
}

fn terminal_width() -> usize {
    // As clap measures: COLUMNS, else the terminal, else the widest.
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
        .unwrap_or(WIDEST)
        .clamp(40, WIDEST)
}

fn laid_out(cmd: Command, width: usize) -> Command {
    let cmd = match cmd.get_after_help().map(ToString::to_string) {
        Some(text) => cmd.after_help(lay_out(&text, width)),
        None => cmd,
    };
    cmd.mut_subcommands(|sub| laid_out(sub, width))
}

/// Help text whose lines are at most `width` characters (bar a single word longer than that).
pub(crate) fn lay_out(text: &str, width: usize) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(example) = line.strip_prefix("  ") {
            flush(&mut paragraph, &mut out, width);
            // An example written over several lines is one command.
            let mut command = example.trim().to_string();
            while command.ends_with('\\') {
                command.pop();
                let Some(next) = lines.next() else { break };
                command = format!("{} {}", command.trim_end(), next.trim());
            }
            example_lines(&command, width, &mut out);
        } else if line.trim().is_empty() {
            flush(&mut paragraph, &mut out, width);
            out.push(String::new());
        } else {
            paragraph.push(line.trim());
            // A line that ends a sentence ends the paragraph: "Examples:" stays a heading.
            if line.trim_end().ends_with(['.', ':', '!', '?']) {
                flush(&mut paragraph, &mut out, width);
            }
        }
    }
    flush(&mut paragraph, &mut out, width);
    out.join("\n")
}

fn flush(paragraph: &mut Vec<&str>, out: &mut Vec<String>, width: usize) {
    if paragraph.is_empty() {
        return;
    }
    let words: Vec<&str> = paragraph
        .iter()
        .flat_map(|l| l.split_whitespace())
        .collect();
    out.extend(fill(&words, "", "", width));
    paragraph.clear();
}

/// One example: `command   comment` on one line when it fits; else the comment above as
/// `# comment` and the command broken between arguments.
fn example_lines(line: &str, width: usize, out: &mut Vec<String>) {
    if 2 + line.chars().count() <= width {
        out.push(format!("  {line}"));
        return;
    }
    let (command, comment) = split_comment(line);
    if let Some(comment) = comment {
        let comment = comment
            .strip_prefix('(')
            .and_then(|c| c.strip_suffix(')'))
            .unwrap_or(comment);
        let words: Vec<&str> = comment.split_whitespace().collect();
        out.extend(fill(&words, "  # ", "  # ", width));
    }
    let words = with_values(shell_words(command));
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let lines = fill(&words, "  ", CONTINUATION, width.saturating_sub(2));
    let last = lines.len().saturating_sub(1);
    out.extend(
        lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| if i < last { format!("{l} \\") } else { l }),
    );
}

/// The command and the comment after it: an example's comment follows two or more spaces
/// outside quotes.
fn split_comment(line: &str) -> (&str, Option<&str>) {
    let mut quote = None;
    let mut prev_space = false;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, ' ') if prev_space => {
                let comment = line[i..].trim();
                return (
                    line[..i].trim_end(),
                    (!comment.is_empty()).then_some(comment),
                );
            }
            _ => {}
        }
        prev_space = quote.is_none() && c == ' ';
    }
    (line, None)
}

/// The command's words as written, a quoted argument with its spaces being one word.
fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    for c in command.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                word.push(c);
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                word.push(c);
            }
            (None, ' ') => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// An option and its value kept on one line (`--priority High`), as a reader takes them.
fn with_values(words: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut words = words.into_iter().peekable();
    while let Some(word) = words.next() {
        let takes_value = word.starts_with("--") && !word.contains('=');
        match words.peek() {
            Some(value) if takes_value && !value.starts_with('-') && value != "|" => {
                let value = words.next().unwrap_or_default();
                out.push(format!("{word} {value}"));
            }
            _ => out.push(word),
        }
    }
    out
}

/// Words filled into lines of at most `width` characters, the first starting with `first`
/// and the rest with `rest`.
fn fill(words: &[&str], first: &str, rest: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in words {
        let needed = line.chars().count() + usize::from(!empty) + word.chars().count();
        if !empty && needed > width {
            lines.push(std::mem::replace(&mut line, rest.to_string()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    if !empty {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::lay_out;

    #[test]
    fn a_long_example_is_broken_between_arguments_with_continuations() {
        let text = "Example:\n  crm tickets add 'Missing package' --contact 10 --priority High \
                    --description 'Order #4411 never arrived'";
        assert_eq!(
            lay_out(text, 60),
            "Example:\n  crm tickets add 'Missing package' --contact 10 \\\n      \
             --priority High \\\n      --description 'Order #4411 never arrived'"
        );
    }

    #[test]
    fn continuations_are_joined_first_and_comments_go_above() {
        let text = "Examples:\n  crm leads add --first-name Aarav \\\n      --email a@b.in\n  \
                    crm leads nurture 3 7 12       (call today, email on day 2, call on day 5)";
        assert_eq!(
            lay_out(text, 50),
            "Examples:\n  crm leads add --first-name Aarav --email a@b.in\n  \
             # call today, email on day 2, call on day 5\n  crm leads nurture 3 7 12"
        );
    }

    #[test]
    fn notes_are_reflowed_as_paragraphs() {
        let text = "Each group is scored; the oldest record comes first, the natural one\nto keep.\n\
                    Short line.";
        assert_eq!(
            lay_out(text, 40),
            "Each group is scored; the oldest record\ncomes first, the natural one to keep.\n\
             Short line."
        );
    }
}
