//! The email a customer gets when their ticket is resolved.

use crate::text::one_line;

/// Subject and body of the resolution email. Header text is kept to one line, so nothing a user
/// typed can add a header (subject injection).
pub(crate) fn compose(
    ticket: i64,
    subject: &str,
    first_name: &str,
    resolution: &str,
) -> (String, String) {
    let subject_line = format!("[Ticket #{ticket}] Resolved: {}", one_line(subject));
    // A contact imported without a first name (an email list) is greeted without one.
    let greeting = match one_line(first_name).trim() {
        "" => "Hello,".to_string(),
        name => format!("Hello {name},"),
    };
    let body = format!(
        "{greeting}\n\n\
         Your request \"{}\" (ticket #{ticket}) has been resolved.\n\n\
         Resolution:\n{}\n\n\
         If anything is still not right, reply to this email and quote ticket #{ticket}.\n\n\
         Thank you,\nCustomer Support\n",
        one_line(subject),
        resolution.trim()
    );
    (subject_line, body)
}

#[cfg(test)]
mod tests {
    use super::compose;

    #[test]
    fn the_mail_names_the_ticket_and_the_resolution() {
        let (subject, body) = compose(
            12,
            "Missing package",
            "Ishita",
            "Found at the depot; redelivered today.",
        );
        assert_eq!(subject, "[Ticket #12] Resolved: Missing package");
        assert!(body.starts_with("Hello Ishita,"));
        assert!(
            body.contains("ticket #12") && body.contains("Found at the depot; redelivered today.")
        );
        let (_, body) = compose(12, "Missing package", "", "Redelivered.");
        assert!(body.starts_with("Hello,\n"), "{body}");
    }

    #[test]
    fn no_line_break_reaches_the_subject() {
        let (subject, _) = compose(1, "Hi\r\nBcc: victim@example.com", "A", "done");
        assert!(!subject.contains('\r') && !subject.contains('\n'));
    }
}
