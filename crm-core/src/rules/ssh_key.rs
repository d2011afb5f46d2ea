//! OpenSSH public keys as `authorized_keys` and `~/.ssh/id_*.pub` write them: which kinds a
//! team server takes, and the fingerprint `ssh-keygen -l` prints.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use sha2::{Digest, Sha256};

use crate::{Error, Result};

/// The smallest RSA modulus taken: shorter ones are breakable.
const RSA_MIN_BITS: usize = 2048;

/// A public key that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PublicKey {
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, ...
    pub(crate) algorithm: String,
    /// The key as base64, as it goes back into `authorized_keys`.
    pub(crate) blob: String,
    /// What followed the key on its line (usually `user@host`), single-line.
    pub(crate) comment: String,
    /// `SHA256:` and the unpadded base64 of the blob's SHA-256, as `ssh-keygen -l` prints it.
    pub(crate) fingerprint: String,
}

fn refuse(reason: impl Into<String>) -> Error {
    Error::invalid("key", reason)
}

/// Reads the length-prefixed strings of an SSH wire blob (RFC 4251 `string` and `mpint`).
struct Wire<'a>(&'a [u8]);

impl<'a> Wire<'a> {
    fn next(&mut self) -> Result<&'a [u8]> {
        let (len, rest) = self
            .0
            .split_first_chunk::<4>()
            .ok_or_else(|| refuse("the key's data is cut short"))?;
        let len = u32::from_be_bytes(*len) as usize;
        if rest.len() < len {
            return Err(refuse("the key's data is cut short"));
        }
        let (value, rest) = rest.split_at(len);
        self.0 = rest;
        Ok(value)
    }
}

/// Bits of an `mpint`: its length without leading zero bytes.
fn bits(mpint: &[u8]) -> usize {
    let trimmed: &[u8] = match mpint.iter().position(|b| *b != 0) {
        Some(i) => &mpint[i..],
        None => &[],
    };
    trimmed.first().map_or(0, |first| {
        trimmed.len() * 8 - first.leading_zeros() as usize
    })
}

/// Parses one public key line: `ALGORITHM BASE64 [COMMENT]`. Options before the key (as in
/// `authorized_keys`) are refused: the server writes its own.
pub(crate) fn parse(line: &str) -> Result<PublicKey> {
    let line = line.trim();
    if line.contains(['\n', '\r', '\0']) {
        return Err(refuse("give one key on one line"));
    }
    let mut parts = line.splitn(3, char::is_whitespace);
    let algorithm = parts.next().unwrap_or_default();
    let encoded = parts.next().unwrap_or_default().trim();
    let comment = parts.next().unwrap_or_default().trim().to_string();
    match algorithm {
        "ssh-ed25519"
        | "ecdsa-sha2-nistp256"
        | "ecdsa-sha2-nistp384"
        | "ecdsa-sha2-nistp521"
        | "ssh-rsa" => {}
        "ssh-dss" => {
            return Err(refuse(
                "DSA keys are broken; make an ed25519 key with `ssh-keygen -t ed25519`",
            ));
        }
        "" => {
            return Err(refuse(
                "empty; give a public key like `ssh-ed25519 AAAA... you@laptop`",
            ));
        }
        other if other.contains("PRIVATE") || other.starts_with("-----") => {
            return Err(refuse(
                "this is a private key: give the .pub file, and keep the private one to yourself",
            ));
        }
        other => {
            let shown: String = other.chars().take(40).collect();
            return Err(refuse(format!(
                "'{}' is not a key type this server takes (ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa of 2048 bits or more)",
                crate::text::one_line(&shown)
            )));
        }
    }
    let blob = STANDARD
        .decode(encoded)
        .map_err(|_| refuse("the key's base64 does not decode"))?;
    let mut wire = Wire(&blob);
    if wire.next()? != algorithm.as_bytes() {
        return Err(refuse("the key's data names another type than its line"));
    }
    match algorithm {
        "ssh-ed25519" => {
            if wire.next()?.len() != 32 {
                return Err(refuse("an ed25519 key is 32 bytes"));
            }
        }
        "ssh-rsa" => {
            let _exponent = wire.next()?;
            let modulus = bits(wire.next()?);
            if modulus < RSA_MIN_BITS {
                return Err(refuse(format!(
                    "an RSA key of {modulus} bits is too short (2048 at least; ed25519 is better)"
                )));
            }
        }
        _ => {
            let _curve = wire.next()?;
            if wire.next()?.is_empty() {
                return Err(refuse("the ECDSA key has no point"));
            }
        }
    }
    if !wire.0.is_empty() {
        return Err(refuse("the key's data has bytes after the key"));
    }
    Ok(PublicKey {
        algorithm: algorithm.to_string(),
        fingerprint: format!("SHA256:{}", STANDARD_NO_PAD.encode(Sha256::digest(&blob))),
        blob: encoded.to_string(),
        comment: crate::text::one_line(&comment),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Made with `ssh-keygen -t ed25519 -C kiran@laptop`; the fingerprint is what
    // `ssh-keygen -lf` printed for it.
    const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIND7Mxt8kZxu5SqpCUPDjU2Xw1sacEtaimsnwlSG4fqQ kiran@laptop";

    #[test]
    fn an_ed25519_key_reads_with_the_fingerprint_ssh_keygen_prints() {
        let key = parse(ED25519).unwrap();
        assert_eq!(key.algorithm, "ssh-ed25519");
        assert_eq!(key.comment, "kiran@laptop");
        assert_eq!(
            key.fingerprint,
            "SHA256:r1dONfrcr4ivOQQN1OyptCfPgz4jriYR1CMTezderOM"
        );
    }

    #[test]
    fn what_is_not_a_good_public_key_is_refused_with_the_reason() {
        for (line, words) in [
            ("", "empty"),
            ("ssh-dss AAAAB3NzaC1kc3MAAACBAP", "DSA"),
            ("-----BEGIN OPENSSH PRIVATE KEY-----", "private key"),
            ("ssh-ed25519 !!!", "base64"),
            (
                "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIND7Mxt8kZxu5SqpCUPDjU2Xw1sacEtaimsnwlSG4fqQ",
                "another type",
            ),
            (
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAEOMqqnkVzrm0SdG6UOoqKLs=",
                "32 bytes",
            ),
            ("pgp-key AAAA", "not a key type"),
            ("ssh-ed25519 AAAA\nssh-ed25519 AAAA", "one line"),
        ] {
            let err = parse(line).unwrap_err().to_string();
            assert!(
                err.starts_with("invalid key:") && err.contains(words),
                "{line:?}: {err}"
            );
        }
    }

    #[test]
    fn a_short_rsa_key_is_refused_and_a_long_one_taken() {
        let rsa = |modulus_bytes: usize| {
            let mut blob = Vec::new();
            for part in [b"ssh-rsa".to_vec(), vec![1, 0, 1], {
                let mut n = vec![0u8];
                n.extend(std::iter::repeat_n(0xC5, modulus_bytes));
                n
            }] {
                blob.extend(u32::try_from(part.len()).unwrap().to_be_bytes());
                blob.extend(part);
            }
            format!("ssh-rsa {} me@host", STANDARD.encode(blob))
        };
        let err = parse(&rsa(128)).unwrap_err().to_string();
        assert!(err.contains("1024 bits is too short"), "{err}");
        assert_eq!(parse(&rsa(256)).unwrap().algorithm, "ssh-rsa");
    }
}
