//! How a webhook delivery is signed and how long a failed one waits before the next try.

use chrono::Duration;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Tries before a delivery is given up (about two hours of retries).
pub(crate) const MAX_ATTEMPTS: u32 = 8;

/// `sha256=<hex>`: HMAC-SHA256 of `"{timestamp}.{body}"` under the webhook's secret. The
/// timestamp is signed with the body so a receiver that refuses old timestamps cannot be fed
/// an old delivery again (replay).
pub(crate) fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!(
        "sha256={}",
        crate::auth::token::hex(&mac.finalize().into_bytes())
    )
}

/// The wait after failed attempt number `attempts` (1 for the first), doubling from 30 s to an
/// hour; none once `MAX_ATTEMPTS` have failed.
pub(crate) fn backoff(attempts: u32) -> Option<Duration> {
    (attempts < MAX_ATTEMPTS).then(|| {
        let seconds = 30_i64 << attempts.saturating_sub(1).min(7);
        Duration::seconds(seconds.min(3600))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // Worked out independently: python3 -c "import hmac, hashlib; print(hmac.new(
        // b'whsec_test', b'1764660000.{\"event\":\"deal.won\"}', hashlib.sha256).hexdigest())"
        assert_eq!(
            signature("whsec_test", 1_764_660_000, r#"{"event":"deal.won"}"#),
            "sha256=479963219ecc214e1d8570a9c38b8d971dddd3484514a6d296108ec2d115b295"
        );
        assert_ne!(
            signature("secret", 1, "{}"),
            signature("secret", 2, "{}"),
            "the timestamp is signed"
        );
        assert_ne!(signature("a", 1, "{}"), signature("b", 1, "{}"));
    }

    #[test]
    fn retries_wait_longer_each_time_and_stop() {
        let waits: Vec<i64> = (1..=MAX_ATTEMPTS)
            .map(|n| backoff(n).map_or(-1, |d| d.num_seconds()))
            .collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, -1]);
    }
}
