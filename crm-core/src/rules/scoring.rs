//! Lead temperature, and the explainable automatic score. Every weight lives here.

use chrono::{DateTime, Utc};

use crate::{Bant, LeadSource, ScorePart, Temperature};

/// A score above this is Hot.
pub(crate) const HOT_ABOVE: u8 = 70;
/// A score from this up to `HOT_ABOVE` is Warm; below it, Cold.
pub(crate) const WARM_FROM: u8 = 40;

/// Hot above 70, Warm 40..=70, Cold below 40.
pub(crate) fn temperature(score: u8) -> Temperature {
    if score > HOT_ABOVE {
        Temperature::Hot
    } else if score >= WARM_FROM {
        Temperature::Warm
    } else {
        Temperature::Cold
    }
}

/// The score range a temperature covers, for filtering in SQL.
pub(crate) fn score_range(t: Temperature) -> (u8, u8) {
    match t {
        Temperature::Hot => (HOT_ABOVE + 1, 100),
        Temperature::Warm => (WARM_FROM, HOT_ABOVE),
        Temperature::Cold => (0, WARM_FROM - 1),
    }
}

/// What the automatic score looks at.
pub(crate) struct ScoreInput<'a> {
    pub(crate) bant: Bant,
    pub(crate) job_title: Option<&'a str>,
    pub(crate) source: LeadSource,
    pub(crate) last_contacted_at: Option<DateTime<Utc>>,
    pub(crate) consent_email: bool,
    pub(crate) consent_gdpr: bool,
    pub(crate) now: DateTime<Utc>,
}

const BANT_BUDGET: u8 = 15;
const BANT_AUTHORITY: u8 = 15;
const BANT_NEED: u8 = 15;
const BANT_TIMELINE: u8 = 10;
const SENIOR_TITLE: u8 = 15;
const MIDDLE_TITLE: u8 = 8;
const WARM_SOURCE: u8 = 10;
const EVENT_SOURCE: u8 = 7;
const INBOUND_SOURCE: u8 = 5;
const CONTACTED_THIS_WEEK: u8 = 10;
const CONTACTED_THIS_MONTH: u8 = 5;
const CONSENT: u8 = 5;

const SENIOR_WORDS: &[&str] = &[
    "ceo",
    "cto",
    "cfo",
    "coo",
    "cmo",
    "chief",
    "founder",
    "owner",
    "president",
    "director",
    "vp",
    "vice president",
    "head",
    "partner",
    "principal",
];
const MIDDLE_WORDS: &[&str] = &["manager", "lead", "senior", "supervisor", "architect"];

fn has_word(title: &str, words: &[&'static str]) -> Option<&'static str> {
    let lower = title.to_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    words.iter().copied().find(|w| {
        if w.contains(' ') {
            lower.contains(w)
        } else {
            tokens.contains(w)
        }
    })
}

/// Every rule's contribution, including the zeros, so a rep can see what would raise the score.
pub(crate) fn explain(input: &ScoreInput<'_>) -> Vec<ScorePart> {
    let flag = |rule: &'static str, on: bool, points: u8, what: &str| ScorePart {
        rule,
        points: if on { points } else { 0 },
        reason: if on {
            format!("{what}: yes")
        } else {
            format!("{what}: not confirmed (worth {points})")
        },
    };
    let mut parts = vec![
        flag("bant.budget", input.bant.budget, BANT_BUDGET, "has budget"),
        flag(
            "bant.authority",
            input.bant.authority,
            BANT_AUTHORITY,
            "can decide",
        ),
        flag("bant.need", input.bant.need, BANT_NEED, "has a need"),
        flag(
            "bant.timeline",
            input.bant.timeline,
            BANT_TIMELINE,
            "has a timeline",
        ),
    ];
    parts.push(match input.job_title {
        Some(title) => match (has_word(title, SENIOR_WORDS), has_word(title, MIDDLE_WORDS)) {
            (Some(w), _) => ScorePart {
                rule: "seniority",
                points: SENIOR_TITLE,
                reason: format!("'{title}' is senior ({w})"),
            },
            (None, Some(w)) => ScorePart {
                rule: "seniority",
                points: MIDDLE_TITLE,
                reason: format!("'{title}' is mid-level ({w})"),
            },
            (None, None) => ScorePart {
                rule: "seniority",
                points: 0,
                reason: format!("'{title}' shows no seniority"),
            },
        },
        None => ScorePart {
            rule: "seniority",
            points: 0,
            reason: "no job title".into(),
        },
    });
    let (source_points, source_why) = match input.source {
        LeadSource::Referral => (WARM_SOURCE, "referrals convert best"),
        LeadSource::Event | LeadSource::Webinar => (EVENT_SOURCE, "met us at an event or webinar"),
        LeadSource::Website | LeadSource::WebForm | LeadSource::Email => {
            (INBOUND_SOURCE, "came to us inbound")
        }
        _ => (0, "cold or unknown source"),
    };
    parts.push(ScorePart {
        rule: "source",
        points: source_points,
        reason: format!("{}: {source_why}", input.source),
    });
    parts.push(
        match input
            .last_contacted_at
            .map(|at| (input.now - at).num_days())
        {
            Some(days) if days <= 7 => ScorePart {
                rule: "recency",
                points: CONTACTED_THIS_WEEK,
                reason: format!("contacted {days} day(s) ago"),
            },
            Some(days) if days <= 30 => ScorePart {
                rule: "recency",
                points: CONTACTED_THIS_MONTH,
                reason: format!("contacted {days} days ago"),
            },
            Some(days) => ScorePart {
                rule: "recency",
                points: 0,
                reason: format!("last contacted {days} days ago"),
            },
            None => ScorePart {
                rule: "recency",
                points: 0,
                reason: "never contacted".into(),
            },
        },
    );
    let consent = input.consent_email || input.consent_gdpr;
    parts.push(flag("consent", consent, CONSENT, "agreed to be contacted"));
    parts
}

/// The automatic score: the sum of the parts, capped at 100.
pub(crate) fn total(parts: &[ScorePart]) -> u8 {
    let sum: u32 = parts.iter().map(|p| u32::from(p.points)).sum();
    u8::try_from(sum.min(100)).unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn temperature_bands_follow_the_seed() {
        assert_eq!(temperature(72), Temperature::Hot);
        assert_eq!(temperature(71), Temperature::Hot);
        assert_eq!(temperature(70), Temperature::Warm);
        assert_eq!(temperature(40), Temperature::Warm);
        assert_eq!(temperature(39), Temperature::Cold);
        assert_eq!(temperature(0), Temperature::Cold);
    }

    proptest! {
        #[test]
        fn score_ranges_agree_with_temperature(score in 0u8..=100) {
            let t = temperature(score);
            let (lo, hi) = score_range(t);
            prop_assert!(lo <= score && score <= hi);
        }
    }

    fn input() -> ScoreInput<'static> {
        ScoreInput {
            bant: Bant::default(),
            job_title: None,
            source: LeadSource::Other,
            last_contacted_at: None,
            consent_email: false,
            consent_gdpr: false,
            now: "2026-03-01T09:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn an_unknown_lead_scores_zero_and_a_perfect_one_is_hot() {
        assert_eq!(total(&explain(&input())), 0);
        let best = ScoreInput {
            bant: Bant {
                budget: true,
                authority: true,
                need: true,
                timeline: true,
            },
            job_title: Some("Founder & CEO"),
            source: LeadSource::Referral,
            last_contacted_at: Some("2026-02-27T09:00:00Z".parse().unwrap()),
            consent_email: true,
            ..input()
        };
        let parts = explain(&best);
        assert_eq!(total(&parts), 95);
        assert_eq!(temperature(total(&parts)), Temperature::Hot);
        assert!(
            parts
                .iter()
                .any(|p| p.rule == "seniority" && p.reason.contains("senior"))
        );
    }

    #[test]
    fn titles_are_matched_by_whole_words() {
        let score = |title: &'static str| {
            let parts = explain(&ScoreInput {
                job_title: Some(title),
                ..input()
            });
            parts.iter().find(|p| p.rule == "seniority").unwrap().points
        };
        assert_eq!(score("Head of Sales"), SENIOR_TITLE);
        assert_eq!(score("VP Engineering"), SENIOR_TITLE);
        assert_eq!(score("Operations Manager"), MIDDLE_TITLE);
        assert_eq!(score("Intern"), 0);
        assert_eq!(score("Headhunter"), 0, "not the word 'head'");
    }
}
