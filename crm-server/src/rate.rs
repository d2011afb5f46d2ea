//! Posts a minute, counted in memory per key (a form, or a form and an address): the public
//! capture forms take no login, so this is what stands between them and a flood.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

const MINUTE: Duration = Duration::from_secs(60);
/// Past this many keys, windows that have ended are swept out.
const SWEEP_FROM: usize = 100_000;

#[derive(Default)]
pub(crate) struct RateLimiter {
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    /// Counts one post under `key`, or says how many seconds to wait when `per_minute` are
    /// spent in the current minute.
    pub(crate) fn take(&self, key: String, per_minute: u32) -> Result<(), u64> {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        if windows.len() > SWEEP_FROM {
            windows.retain(|_, (started, _)| now.duration_since(*started) < MINUTE);
        }
        let (started, count) = windows.entry(key).or_insert((now, 0));
        if now.duration_since(*started) >= MINUTE {
            (*started, *count) = (now, 0);
        }
        if *count >= per_minute {
            let left = MINUTE.saturating_sub(now.duration_since(*started));
            return Err(left.as_secs().max(1));
        }
        *count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_limit_a_minute_and_others_theirs() {
        let limits = RateLimiter::default();
        for _ in 0..3 {
            assert_eq!(limits.take("a".into(), 3), Ok(()));
        }
        let wait = limits.take("a".into(), 3).unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert_eq!(limits.take("b".into(), 3), Ok(()));
    }
}
