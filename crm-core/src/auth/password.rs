//! Passwords, stored only as argon2id PHC strings.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::{Error, Result};

/// OWASP's recommended argon2id settings: 19 MiB of memory, 2 passes, 1 lane.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or(Params::DEFAULT);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password with a fresh random salt into a PHC string (`$argon2id$v=19$m=19456,...`).
pub(crate) fn hash(password: &str) -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    let salt = SaltString::encode_b64(&bytes)
        .map_err(|e| Error::invalid("password", format!("could not be salted: {e}")))?;
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::invalid("password", format!("could not be hashed: {e}")))
}

/// True when `password` matches the stored PHC string. Parameters come from the string, so
/// hashes made with older settings still verify.
pub(crate) fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| {
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash of no one's password, made once with [`hash`] and kept as text: hashing it in the
/// process made the first unknown username of each process cost two argon2 runs.
const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$tQjcyFcqrr3F0xcQcOraWw$wkrl6v9Jwnx6RNB0JbWiMOntl5XqjG6PT5AbZC6mqkE";

/// Spends the same time as a real verification (one argon2 run with the same parameters), so an
/// unknown username cannot be told apart from a wrong password by timing.
pub(crate) fn verify_nothing(password: &str) {
    let _ = verify(password, DUMMY);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_salted() {
        let a = hash("correct horse battery").unwrap();
        let b = hash("correct horse battery").unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify("correct horse battery", &a));
        assert!(!verify("correct horse batter", &a));
        assert!(!verify("anything", "not a phc string"));
    }

    #[test]
    fn the_dummy_hash_has_the_parameters_of_a_real_one() {
        let real = hash("whatever").unwrap();
        let params = |phc: &str| phc.rsplitn(3, '$').nth(2).map(str::to_string);
        assert_eq!(params(DUMMY), params(&real));
        assert!(verify("not-a-real-password", DUMMY));
    }

    #[test]
    fn long_passwords_are_not_truncated() {
        let long = "x".repeat(200);
        let phc = hash(&long).unwrap();
        assert!(verify(&long, &phc));
        assert!(!verify(&long[..199], &phc));
    }
}
