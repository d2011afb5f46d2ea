//! Normal forms for matching people across records: emails by case, phones by digits.

/// Lower case, trimmed.
pub(crate) fn email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// E.164-style: digits only, with the leading `+` kept, so "+91 98765 43120" equals
/// "+919876543120" and "(+91) 98765-43120".
pub(crate) fn phone(phone: &str) -> String {
    let plus = phone.trim_start().trim_start_matches('(').starts_with('+');
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if plus { format!("+{digits}") } else { digits }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_compare_by_digits() {
        assert_eq!(phone("+91 98765 43120"), "+919876543120");
        assert_eq!(phone("(+91) 98765-43120"), "+919876543120");
        assert_eq!(phone("020 555 0100"), "0205550100");
        assert_eq!(email(" Aarav@TechVerse.in "), "aarav@techverse.in");
    }
}
