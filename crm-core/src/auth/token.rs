//! Session tokens: 256 random bits handed to the user, stored only as their SHA-256.

use sha2::{Digest, Sha256};

use crate::{Error, Result, SessionToken};

/// A fresh session token from the operating system's random source.
pub(crate) fn generate() -> Result<SessionToken> {
    generate_with("crm_").map(SessionToken)
}

/// 256 fresh random bits as hex after `prefix`, which says what kind of secret it is.
pub(crate) fn generate_with(prefix: &str) -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    Ok(format!("{prefix}{}", hex(&bytes)))
}

/// What the database stores in place of the token.
pub(crate) fn digest(token: &SessionToken) -> String {
    hex(&Sha256::digest(token.0.as_bytes()))
}

/// Lower-case hex of some bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.0.len(), 4 + 64, "256 bits as hex after the prefix");
        let d = digest(&a);
        assert_eq!(d.len(), 64);
        assert!(!d.contains(&a.0[4..]));
        assert_eq!(d, digest(&a));
    }
}
