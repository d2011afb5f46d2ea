//! The `capture_forms` table: web-to-lead forms and their limits.

use super::sql::{OptionalExtension, Row, params};

use super::{Tx, opt_time_at, time_at};
use crate::{CampaignId, CaptureForm, CaptureFormId, Result, UserId};

const SELECT: &str = "SELECT f.id, f.name, f.form_key, c.code, f.auto_assign, f.allowed_origins,
        f.redirect_url, f.per_ip_per_minute, f.per_form_per_minute, u.username, f.created_at,
        f.disabled_at, f.created_by, f.campaign_id
    FROM capture_forms f
    JOIN campaigns c ON c.id = f.campaign_id
    JOIN users u ON u.id = f.created_by";

/// A form with the ids its captures need.
pub(crate) struct StoredForm {
    pub(crate) form: CaptureForm,
    pub(crate) created_by: UserId,
    pub(crate) campaign_id: CampaignId,
}

fn from_row(row: &Row<'_>) -> super::sql::SqlResult<StoredForm> {
    let origins: String = row.get(5)?;
    Ok(StoredForm {
        form: CaptureForm {
            id: CaptureFormId(row.get(0)?),
            name: row.get(1)?,
            key: row.get(2)?,
            campaign: row.get(3)?,
            auto_assign: row.get(4)?,
            allowed_origins: origins.lines().map(str::to_string).collect(),
            redirect: row.get(6)?,
            per_ip_per_minute: row.get(7)?,
            per_form_per_minute: row.get(8)?,
            created_by: row.get(9)?,
            created_at: time_at(row, 10)?,
            disabled_at: opt_time_at(row, 11)?,
        },
        created_by: UserId(row.get(12)?),
        campaign_id: CampaignId(row.get(13)?),
    })
}

/// A new form's validated values.
pub(crate) struct FormRow<'a> {
    pub(crate) name: &'a str,
    pub(crate) key: &'a str,
    pub(crate) campaign: CampaignId,
    pub(crate) auto_assign: bool,
    pub(crate) allowed_origins: &'a [String],
    pub(crate) redirect: Option<&'a str>,
    pub(crate) per_ip_per_minute: u32,
    pub(crate) per_form_per_minute: u32,
    pub(crate) created_by: UserId,
}

impl Tx<'_> {
    pub(crate) fn insert_capture_form(
        &self,
        row: &FormRow<'_>,
        now: &str,
    ) -> Result<CaptureFormId> {
        Ok(self.query_row(
            "INSERT INTO capture_forms (name, form_key, campaign_id, auto_assign, allowed_origins,
                redirect_url, per_ip_per_minute, per_form_per_minute, created_by, created_at,
                updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) RETURNING id",
            params![
                row.name,
                row.key,
                row.campaign.0,
                row.auto_assign,
                row.allowed_origins.join("\n"),
                row.redirect,
                row.per_ip_per_minute,
                row.per_form_per_minute,
                row.created_by.0,
                now
            ],
            |r| r.get(0).map(CaptureFormId),
        )?)
    }

    pub(crate) fn capture_form(&self, id: CaptureFormId) -> Result<Option<StoredForm>> {
        Ok(self
            .query_row(&format!("{SELECT} WHERE f.id = ?1"), [id.0], from_row)
            .optional()?)
    }

    pub(crate) fn capture_form_by_key(&self, key: &str) -> Result<Option<StoredForm>> {
        Ok(self
            .prepare_cached(&format!("{SELECT} WHERE f.form_key = ?1"))?
            .query_row([key], from_row)
            .optional()?)
    }

    /// Every form, newest first.
    pub(crate) fn capture_forms(&self) -> Result<Vec<CaptureForm>> {
        let mut stmt = self.prepare(&format!("{SELECT} ORDER BY f.id DESC"))?;
        let rows = stmt.query_map([], |r| from_row(r).map(|s| s.form))?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    pub(crate) fn disable_capture_form(&self, id: CaptureFormId, now: &str) -> Result<bool> {
        Ok(self.execute(
            "UPDATE capture_forms SET disabled_at = ?2, updated_at = ?2
             WHERE id = ?1 AND disabled_at IS NULL",
            params![id.0, now],
        )? > 0)
    }
}
