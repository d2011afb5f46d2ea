//! Round-robin assignment: the active rep after the one who got the last lead.

use crate::UserId;

/// Picks the next rep. `reps` are the active sales reps sorted by id; `last` is who received the
/// previous lead (possibly since deactivated). None when there are no reps.
pub(crate) fn next(reps: &[UserId], last: Option<UserId>) -> Option<UserId> {
    let after = last.and_then(|l| reps.iter().copied().find(|r| *r > l));
    after.or_else(|| reps.first().copied())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ids(v: &[i64]) -> Vec<UserId> {
        v.iter().copied().map(UserId).collect()
    }

    #[test]
    fn goes_around_in_id_order() {
        let reps = ids(&[3, 5, 9]);
        assert_eq!(next(&reps, None), Some(UserId(3)));
        assert_eq!(next(&reps, Some(UserId(3))), Some(UserId(5)));
        assert_eq!(next(&reps, Some(UserId(9))), Some(UserId(3)));
        assert_eq!(next(&[], Some(UserId(3))), None);
    }

    #[test]
    fn a_deactivated_last_rep_passes_the_turn_on() {
        // Rep 5 got the last lead and was then deactivated: 9 is next, not 3 again.
        assert_eq!(next(&ids(&[3, 9]), Some(UserId(5))), Some(UserId(9)));
    }

    proptest! {
        #[test]
        fn every_rep_gets_floor_or_ceil_of_n_over_k(k in 1i64..8, n in 0usize..200, start in 0usize..8) {
            let reps: Vec<UserId> = (1..=k).map(|i| UserId(i * 10)).collect();
            let k = reps.len();
            let mut last = if start < k { Some(reps[start]) } else { None };
            let mut counts = vec![0usize; k];
            for _ in 0..n {
                let rep = next(&reps, last).unwrap();
                counts[reps.iter().position(|r| *r == rep).unwrap()] += 1;
                last = Some(rep);
            }
            for c in counts {
                prop_assert!(c == n / k || c == n.div_ceil(k), "{c} of {n} over {k}");
            }
        }
    }
}
