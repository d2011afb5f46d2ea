//! A lead's score: set by hand, computed from its facts, and explained.

use super::{log, not_converted, workable};
use crate::rules::scoring::{self, ScoreInput};
use crate::service::Crm;
use crate::store::LeadRow;
use crate::{Actor, Error, Lead, LeadId, Result, ScorePart};

pub(super) fn explain_parts(lead: &Lead, now: chrono::DateTime<chrono::Utc>) -> Vec<ScorePart> {
    scoring::explain(&ScoreInput {
        bant: lead.bant,
        job_title: lead.job_title.as_deref(),
        source: lead.source,
        last_contacted_at: lead.last_contacted_at,
        consent_email: lead.consent_email,
        consent_gdpr: lead.consent_gdpr,
        now,
    })
}

pub(super) fn score(value: i64) -> Result<u8> {
    u8::try_from(value)
        .ok()
        .filter(|s| *s <= 100)
        .ok_or_else(|| Error::invalid("score", format!("{value} is outside 0..=100")))
}

impl Crm {
    /// Sets the score by hand (0..=100); the temperature follows.
    pub fn set_lead_score(&self, actor: &Actor, id: LeadId, value: i64) -> Result<Lead> {
        let value = score(value)?;
        self.rescore(actor, id, |_| Ok(value), "set")
    }

    /// Computes the score from the transparent rules of `rules::scoring`.
    pub fn auto_score_lead(&self, actor: &Actor, id: LeadId) -> Result<Lead> {
        let now = self.now();
        self.rescore(
            actor,
            id,
            |lead| Ok(scoring::total(&explain_parts(lead, now))),
            "auto-scored",
        )
    }

    fn rescore(
        &self,
        actor: &Actor,
        id: LeadId,
        compute: impl Fn(&Lead) -> Result<u8>,
        how: &str,
    ) -> Result<Lead> {
        let now = self.now_text();
        self.store.write(|tx| {
            let lead = workable(tx, actor, id, "score")?;
            not_converted(&lead)?;
            let mut row = LeadRow::from(&lead);
            row.score = compute(&lead)?;
            tx.update_lead(id, &row, &now)?;
            let t = scoring::temperature(row.score);
            log(
                tx,
                actor,
                "scored",
                id,
                &format!(
                    "{} {how} the score of lead '{}': {} -> {} ({t})",
                    actor.display_name,
                    lead.full_name(),
                    lead.score,
                    row.score
                ),
                &now,
            )?;
            tx.lead(id)?.ok_or_else(|| Error::not_found("lead", id))
        })
    }

    /// Each scoring rule's points for this lead, as the automatic score would count them.
    pub fn explain_lead_score(&self, actor: &Actor, id: LeadId) -> Result<(Lead, Vec<ScorePart>)> {
        let now = self.now();
        let lead = self.lead(actor, id)?;
        let parts = explain_parts(&lead, now);
        Ok((lead, parts))
    }
}
