//! Campaign and marketing figures computed from counts and sums.

/// Return on investment as a percentage: (revenue - spend) / spend x 100; None when nothing
/// was spent (a ratio over zero means nothing).
pub(crate) fn roi_percent(revenue: i64, spend: i64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)] // Money in minor units stays far below 2^52.
    (spend > 0).then(|| (revenue - spend) as f64 / spend as f64 * 100.0)
}

/// Converted leads as a percentage of all leads; 0 when there are none.
pub(crate) fn conversion_rate(converted: i64, total: i64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    if total == 0 {
        0.0
    } else {
        converted as f64 / total as f64 * 100.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roi_and_conversion() {
        assert_eq!(roi_percent(150, 100), Some(50.0));
        assert_eq!(roi_percent(50, 100), Some(-50.0));
        assert_eq!(roi_percent(500, 0), None);
        assert!((conversion_rate(1, 3) - 33.333).abs() < 0.01);
        assert!(conversion_rate(0, 0).abs() < f64::EPSILON);
    }
}
