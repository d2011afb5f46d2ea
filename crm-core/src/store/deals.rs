//! The `deals` and `deal_stage_history` tables (what exists so far: moves to a won stage).

use rusqlite::{OptionalExtension, params};

use super::Tx;
use crate::{DealId, Result, StageId, UserId};

impl Tx<'_> {
    /// The first active stage that counts as won.
    pub(crate) fn won_stage(&self) -> Result<Option<StageId>> {
        Ok(self
            .query_row(
                "SELECT id FROM pipeline_stages WHERE is_won = 1 AND active = 1 ORDER BY position LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .map(StageId))
    }

    /// Moves a deal to `stage`, records the move, and closes the deal when the stage is final.
    pub(crate) fn move_deal(
        &self,
        deal: DealId,
        stage: StageId,
        actor: UserId,
        now: &str,
    ) -> Result<()> {
        self.execute(
            "INSERT INTO deal_stage_history (deal_id, from_stage_id, to_stage_id, actor_id, at, created_at, updated_at)
             SELECT id, stage_id, ?2, ?3, ?4, ?4, ?4 FROM deals WHERE id = ?1",
            params![deal.0, stage.0, actor.0, now],
        )?;
        self.execute(
            "UPDATE deals SET stage_id = s.id, probability = s.probability,
                closed_at = CASE WHEN s.is_won = 1 OR s.is_lost = 1 THEN ?3 ELSE NULL END, updated_at = ?3
             FROM (SELECT id, probability, is_won, is_lost FROM pipeline_stages WHERE id = ?2) AS s
             WHERE deals.id = ?1",
            params![deal.0, stage.0, now],
        )?;
        Ok(())
    }
}
