//! Nurture drips: a few follow-up steps, each a task kind and a day offset.

use crate::{Error, Result, TaskKind};

/// One step: what to do, and how many days after the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DripStep {
    pub(crate) kind: TaskKind,
    pub(crate) day: u32,
}

/// The default drip: call today, email in two days, call again on day five.
pub(crate) const DEFAULT: &str = "call:0,email:2,call:5";

/// Parses `call:0,email:2,call:5`. Days must not go backwards; at most 20 steps over a year.
pub(crate) fn parse(text: &str) -> Result<Vec<DripStep>> {
    let bad = |why: String| Error::invalid("drip", why);
    let mut steps = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (kind, day) = part
            .split_once(':')
            .ok_or_else(|| bad(format!("step '{part}' is not KIND:DAY, e.g. call:0")))?;
        let kind: TaskKind = kind
            .parse()
            .map_err(|e: crate::ParseEnumError| bad(e.to_string()))?;
        let day: u32 = day.trim().parse().map_err(|_| {
            bad(format!(
                "day '{}' in step '{part}' is not a whole number of days",
                day.trim()
            ))
        })?;
        if day > 365 {
            return Err(bad(format!("day {day} is more than a year away")));
        }
        if let Some(prev) = steps.last().map(|s: &DripStep| s.day)
            && day < prev
        {
            return Err(bad(format!(
                "day {day} comes before day {prev}; list steps in order"
            )));
        }
        steps.push(DripStep { kind, day });
    }
    if steps.is_empty() {
        return Err(bad("has no steps".into()));
    }
    if steps.len() > 20 {
        return Err(bad(format!("has {} steps (at most 20)", steps.len())));
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_three_steps_over_five_days() {
        let steps = parse(DEFAULT).unwrap();
        assert_eq!(steps.len(), 3);
        assert_eq!(steps.last().unwrap().day, 5);
        assert_eq!(
            steps[1],
            DripStep {
                kind: TaskKind::Email,
                day: 2
            }
        );
    }

    #[test]
    fn bad_drips_say_what_is_wrong() {
        assert_eq!(
            parse("call").unwrap_err().to_string(),
            "invalid drip: step 'call' is not KIND:DAY, e.g. call:0"
        );
        assert!(
            parse("fax:1")
                .unwrap_err()
                .to_string()
                .contains("unknown task kind 'fax'")
        );
        assert!(parse("call:x").is_err());
        assert!(
            parse("call:5,email:2")
                .unwrap_err()
                .to_string()
                .contains("comes before")
        );
        assert!(parse("").is_err());
    }
}
