//! Normal forms for matching people across records: emails by case, phones by digits.

/// Lower case, trimmed.
pub(crate) fn email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// E.164-style: digits only, with the leading `+` kept, so "+91 98765 43120" equals
/// "+919876543120" and "(+91) 98765-43120".
pub(crate) fn phone(phone: &str) -> String {
    // An extension is kept as `ext` and its digits, as the generated `phone_key` column
    // strips a stored `NUMBER ext. DIGITS` (migration 0009): a number with an extension is
    // another line than the number without, however the extension was written.
    let (number, extension) = super::validate::phone_extension(phone);
    let plus = number.trim_start().trim_start_matches('(').starts_with('+');
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let key = if plus { format!("+{digits}") } else { digits };
    match extension {
        Some(ext) => format!("{key}ext{ext}"),
        None => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_compare_by_digits() {
        assert_eq!(phone("+91 98765 43120"), "+919876543120");
        assert_eq!(phone("(+91) 98765-43120"), "+919876543120");
        assert_eq!(phone("020 555 0100"), "0205550100");
        assert_eq!(phone("416-810-9897x752"), "4168109897ext752");
        assert_eq!(phone("416-810-9897 ext. 752"), "4168109897ext752");
        assert_eq!(email(" Aarav@TechVerse.in "), "aarav@techverse.in");
    }
}
