//! Deals and the pipeline: add, change, move between stages (every move recorded), win, lose,
//! reopen, and the board. Admins shape the stages themselves.

use serde::Serialize;

use super::{Crm, fields, user_named};
use crate::auth::Scope;
use crate::rules::validate;
use crate::store::{DealFilter, DealRow, Tx};
use crate::{
    Actor, BoardColumn, Deal, DealId, DealPatch, DealQuery, EntityKind, Error, FieldsOf, NewDeal,
    Page, Result, Stage, StageMove, Version, parse_amount,
};

/// What a move did, for the front ends' messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DealMove {
    pub deal: Deal,
    pub from: String,
    pub to: String,
    pub reopened: bool,
}

fn probability(value: i64) -> Result<u8> {
    u8::try_from(value)
        .ok()
        .filter(|p| *p <= 100)
        .ok_or_else(|| Error::invalid("probability", format!("{value} is outside 0..=100")))
}

fn workable(tx: &Tx<'_>, actor: &Actor, id: DealId, verb: &str) -> Result<Deal> {
    let deal = tx.deal(id)?.ok_or_else(|| Error::not_found("deal", id))?;
    let scope = actor.deal_scope();
    if scope != Scope::All && !tx.deal_in_scope(id, scope)? {
        return Err(actor.hide_record(&format!("{verb} deal {id}"), scope));
    }
    Ok(deal)
}

fn stage_named(tx: &Tx<'_>, name: &str) -> Result<Stage> {
    tx.stage_by_name(name)?.ok_or_else(|| {
        let names: Vec<String> = tx
            .stages(false)
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.name)
            .collect();
        Error::invalid(
            "stage",
            format!(
                "no stage named '{}' (stages: {})",
                name.trim(),
                names.join(", ")
            ),
        )
    })
}

fn log(
    tx: &Tx<'_>,
    actor: &Actor,
    verb: &str,
    deal: DealId,
    summary: &str,
    now: &str,
) -> Result<()> {
    tx.insert_activity(Some(actor.id), verb, EntityKind::Deal, deal.0, summary, now)
}

impl Crm {
    /// Adds a deal, in the first open stage unless another is named.
    pub fn add_deal(&self, actor: &Actor, new: &NewDeal) -> Result<Deal> {
        let now = self.now_text();
        self.store.write(|tx| {
            let id = create_deal(tx, actor, new, &now)?;
            shown(tx, id)
        })
    }

    /// One deal, if the actor may see it.
    pub fn deal(&self, actor: &Actor, id: DealId) -> Result<Deal> {
        self.store.read(|tx| {
            workable(tx, actor, id, "read")?;
            shown(tx, id)
        })
    }

    /// A page of the deals the actor may see.
    pub fn list_deals(&self, actor: &Actor, query: &DealQuery) -> Result<Page<Deal>> {
        if actor.deal_scope() == Scope::Nothing {
            return Err(actor.refuse_record("list deals", Scope::Nothing));
        }
        validate::page_limit(query.limit)?;
        let search = validate::optional("search", query.search.as_deref())?;
        self.store.read(|tx| {
            let stage = query
                .stage
                .as_deref()
                .map(|s| stage_named(tx, s))
                .transpose()?
                .map(|s| s.id);
            let owner = query
                .owner
                .as_deref()
                .map(|o| user_named(tx, "owner", o))
                .transpose()?;
            let campaign = query
                .campaign
                .as_deref()
                .map(|c| Crm::campaign_id(tx, c))
                .transpose()?;
            let mut page = tx.list_deals(&DealFilter {
                fields: fields::field_tests(tx, FieldsOf::Deals, &query.wheres)?,
                scope: actor.deal_scope(),
                stage,
                owner,
                contact: query.contact,
                campaign,
                open_only: query.open_only,
                search: search.as_deref(),
                sort: query.sort,
                by_field: fields::field_sort(tx, FieldsOf::Deals, query.sort_field.as_deref())?,
                descending: query.descending,
                limit: query.limit,
                after: query.after,
            })?;
            fields::fill(
                tx,
                FieldsOf::Deals,
                &mut page.items,
                |d| d.id.0,
                |d| &mut d.fields,
            )?;
            Ok(page)
        })
    }

    /// Changes a deal's fields (its stage changes only by a move).
    pub fn edit_deal(&self, actor: &Actor, id: DealId, patch: &DealPatch) -> Result<Deal> {
        let now = self.now_text();
        self.store.write(|tx| {
            let deal = workable(tx, actor, id, "edit")?;
            super::records::require_version(tx, id.into(), deal.version, patch.if_version)?;
            let mut row = DealRow::from(&deal);
            if let Some(title) = &patch.title {
                row.title = validate::required("title", title)?;
            }
            if let Some(contact) = patch.contact {
                if let Some(c) = contact {
                    super::contacts::linkable_contact(tx, actor, "contact", c)?;
                }
                row.contact_id = contact;
                // A new contact brings its company; a deal left without a contact keeps its own.
                if let (None, Some(c)) = (&patch.company, contact) {
                    row.company_id = tx.contact_company(c)?;
                }
            }
            if let Some(text) = &patch.company {
                row.company_id = super::companies::for_deal(tx, text, row.owner_id, &now)?;
            }
            if let Some(c) = &patch.campaign {
                row.campaign_id = if c.trim().is_empty() {
                    None
                } else {
                    Some(Crm::campaign_id(tx, c)?)
                };
            }
            if let Some(a) = &patch.amount {
                row.amount = parse_amount("amount", a)?;
            }
            row.currency = patch.currency.unwrap_or(row.currency);
            if let Some(p) = patch.probability {
                row.probability = probability(p)?;
            }
            row.expected_close = patch.expected_close.unwrap_or(row.expected_close);
            if let Some(owner) = &patch.owner {
                row.owner_id = if owner.trim().is_empty() {
                    None
                } else {
                    Some(user_named(tx, "owner", owner)?)
                };
                if row.owner_id != deal.owner_id {
                    actor.require_assign_to(row.owner_id, "a deal")?;
                }
            }
            tx.update_deal(id, &row, &now)?;
            fields::write_fields(tx, FieldsOf::Deals, id.0, &patch.fields, false)?;
            log(
                tx,
                actor,
                "updated",
                id,
                &format!("{} updated deal '{}'", actor.display_name, deal.title),
                &now,
            )?;
            shown(tx, id)
        })
    }

    /// Deletes a deal with its history, tasks and notes.
    pub fn delete_deal(
        &self,
        actor: &Actor,
        id: DealId,
        if_version: Option<Version>,
    ) -> Result<Deal> {
        let now = self.now_text();
        self.store.write(|tx| {
            let deal = workable(tx, actor, id, "delete")?;
            super::records::require_version(tx, id.into(), deal.version, if_version)?;
            tx.delete_deal(id)?;
            log(
                tx,
                actor,
                "deleted",
                id,
                &format!("{} deleted deal '{}'", actor.display_name, deal.title),
                &now,
            )?;
            Ok(deal)
        })
    }

    /// Moves a deal to a stage by name. A lost stage needs a reason (use [`Crm::lose_deal`]);
    /// moving a closed deal back to an open stage reopens it, and the activity says so.
    pub fn move_deal(&self, actor: &Actor, id: DealId, stage: &str) -> Result<DealMove> {
        self.move_to(actor, id, |tx| stage_named(tx, stage), None)
    }

    /// Moves a deal to the won stage; pipeline and revenue figures follow at once.
    pub fn win_deal(&self, actor: &Actor, id: DealId) -> Result<DealMove> {
        self.move_to(actor, id, |tx| closing(tx, true), None)
    }

    /// Moves a deal to the lost stage with the reason it was lost.
    pub fn lose_deal(&self, actor: &Actor, id: DealId, reason: &str) -> Result<DealMove> {
        let reason = validate::required("reason", reason)?;
        self.move_to(actor, id, |tx| closing(tx, false), Some(&reason))
    }

    fn move_to(
        &self,
        actor: &Actor,
        id: DealId,
        target: impl Fn(&Tx<'_>) -> Result<Stage>,
        reason: Option<&str>,
    ) -> Result<DealMove> {
        let now = self.now_text();
        self.store
            .write(|tx| move_deal_to(tx, actor, id, &target(tx)?, reason, &now))
    }

    /// Every stage a deal has been in, oldest first.
    pub fn deal_history(&self, actor: &Actor, id: DealId) -> Result<Vec<StageMove>> {
        self.store.read(|tx| {
            workable(tx, actor, id, "read")?;
            tx.deal_history(id)
        })
    }

    /// The Kanban board: every active stage in order, its count and total, and its `per_column`
    /// most valuable deals (only the actor's own for a rep).
    pub fn board(&self, actor: &Actor, per_column: u32) -> Result<Vec<BoardColumn>> {
        let scope = actor.deal_scope();
        if scope == Scope::Nothing {
            return Err(actor.refuse_record("see the pipeline", Scope::Nothing));
        }
        self.store.read(|tx| {
            tx.stages(false)?
                .into_iter()
                .map(|stage| {
                    let (count, total, deals) = tx.board_column(stage.id, scope, per_column)?;
                    Ok(BoardColumn {
                        stage,
                        deals,
                        count,
                        total,
                    })
                })
                .collect()
        })
    }

    /// The stages, in order; retired ones too with `include_retired`.
    pub fn stages(&self, include_retired: bool) -> Result<Vec<Stage>> {
        self.store.read(|tx| tx.stages(include_retired))
    }

    /// Adds a stage at a position (1-based; the end when absent). Admins only.
    pub fn add_stage(
        &self,
        actor: &Actor,
        name: &str,
        probability_value: i64,
        position: Option<i64>,
    ) -> Result<Stage> {
        actor.require_admin("change pipeline stages")?;
        let name = validate::required("stage name", name)?;
        let p = probability(probability_value)?;
        let now = self.now_text();
        self.store.write(|tx| {
            if tx.stage_by_name(&name)?.is_some() {
                return Err(Error::Conflict(format!(
                    "a stage named '{name}' already exists"
                )));
            }
            let count = i64::try_from(tx.stages(true)?.len()).unwrap_or(i64::MAX);
            let at = position.unwrap_or(count + 1).clamp(1, count + 1);
            let id = tx.insert_stage(&name, at, p, false, false, &now)?;
            tx.insert_activity(
                Some(actor.id),
                "created",
                EntityKind::Stage,
                id.0,
                &format!("{} added pipeline stage '{name}'", actor.display_name),
                &now,
            )?;
            tx.stage(id)?.ok_or_else(|| Error::not_found("stage", id))
        })
    }

    /// Renames, re-weights, reorders, retires or restores a stage. Deals stay where they are; a
    /// retired stage takes no new moves, and the last active won or lost stage cannot retire.
    pub fn edit_stage(
        &self,
        actor: &Actor,
        stage: &str,
        rename: Option<&str>,
        probability_value: Option<i64>,
        position: Option<i64>,
        active: Option<bool>,
    ) -> Result<Stage> {
        actor.require_admin("change pipeline stages")?;
        let rename = rename
            .map(|n| validate::required("stage name", n))
            .transpose()?;
        let p = probability_value.map(probability).transpose()?;
        let now = self.now_text();
        self.store.write(|tx| {
            let current = stage_named(tx, stage)?;
            if let Some(name) = &rename
                && tx.stage_by_name(name)?.is_some_and(|s| s.id != current.id)
            {
                return Err(Error::Conflict(format!(
                    "a stage named '{name}' already exists"
                )));
            }
            let active = active.unwrap_or(current.active);
            if !active && current.active {
                let siblings = tx.stages(false)?.into_iter().filter(|s| s.id != current.id);
                let still_open = siblings
                    .filter(|s| s.is_won == current.is_won && s.is_lost == current.is_lost)
                    .count();
                if still_open == 0 {
                    return Err(Error::Conflict(format!(
                        "'{}' is the last active stage of its kind; add another first",
                        current.name
                    )));
                }
            }
            let name = rename.clone().unwrap_or_else(|| current.name.clone());
            tx.update_stage(
                current.id,
                &name,
                p.unwrap_or(current.probability),
                active,
                &now,
            )?;
            if let Some(at) = position {
                tx.reorder_stage(current.id, at.max(1), &now)?;
            }
            tx.insert_activity(
                Some(actor.id),
                "updated",
                EntityKind::Stage,
                current.id.0,
                &format!(
                    "{} changed pipeline stage '{}'",
                    actor.display_name, current.name
                ),
                &now,
            )?;
            tx.stage(current.id)?
                .ok_or_else(|| Error::not_found("stage", current.id))
        })
    }
}

fn closing(tx: &Tx<'_>, won: bool) -> Result<Stage> {
    let id = tx.closing_stage(won)?.ok_or_else(|| {
        Error::Conflict(format!(
            "the pipeline has no active {} stage",
            if won { "won" } else { "lost" }
        ))
    })?;
    tx.stage(id)?.ok_or_else(|| Error::not_found("stage", id))
}

/// The body of a move inside a caller's transaction.
fn move_deal_to(
    tx: &Tx<'_>,
    actor: &Actor,
    id: DealId,
    to: &Stage,
    reason: Option<&str>,
    now: &str,
) -> Result<DealMove> {
    let deal = workable(tx, actor, id, "move")?;
    if !to.active {
        return Err(Error::invalid("stage", format!("'{}' is retired", to.name)));
    }
    if to.id == deal.stage_id {
        return Err(Error::Conflict(format!(
            "deal {id} is already in '{}'",
            to.name
        )));
    }
    if to.is_lost && reason.is_none() {
        return Err(Error::invalid(
            "reason",
            format!(
                "moving a deal to '{}' needs a reason; use `deals lost {id} --reason ...`",
                to.name
            ),
        ));
    }
    let was_closed = deal.closed_at.is_some();
    let reopened = was_closed && !to.is_closed();
    tx.move_deal(id, to.id, reason, actor.id, now)?;
    let (verb, summary) = if to.is_won {
        (
            "won",
            format!(
                "{} won deal '{}' ({})",
                actor.display_name,
                deal.title,
                deal.value()
            ),
        )
    } else if to.is_lost {
        (
            "lost",
            format!(
                "{} lost deal '{}': {}",
                actor.display_name,
                deal.title,
                reason.unwrap_or_default()
            ),
        )
    } else if reopened {
        (
            "reopened",
            format!(
                "{} reopened deal '{}' from {} to {}",
                actor.display_name, deal.title, deal.stage, to.name
            ),
        )
    } else {
        (
            "moved",
            format!(
                "{} moved deal '{}' from {} to {}",
                actor.display_name, deal.title, deal.stage, to.name
            ),
        )
    };
    log(tx, actor, verb, id, &summary, now)?;
    let moved = tx.deal(id)?.ok_or_else(|| Error::not_found("deal", id))?;
    let event = if to.is_won {
        Some(crate::WebhookEvent::DealWon)
    } else if to.is_lost {
        Some(crate::WebhookEvent::DealLost)
    } else {
        None
    };
    if let Some(event) = event {
        super::webhooks::queue(tx, event, now, || Ok(&moved))?;
    }
    Ok(DealMove {
        deal: moved,
        from: deal.stage,
        to: to.name.clone(),
        reopened,
    })
}

/// A deal as an import brings it in: like `add_deal`, except that a row in a won or lost stage
/// is added open and then closed through the same move as `deals won` / `deals lost`, so
/// history and activity read as they would by hand.
pub(crate) fn import_deal(
    tx: &Tx<'_>,
    actor: &Actor,
    new: &NewDeal,
    lost_reason: Option<&str>,
    now: &str,
) -> Result<DealId> {
    let stage = new
        .stage
        .as_deref()
        .map(|s| stage_named(tx, s))
        .transpose()?;
    match stage {
        Some(stage) if stage.is_closed() => {
            let reason = if stage.is_lost {
                Some(
                    validate::required("lost_reason", lost_reason.unwrap_or_default()).map_err(
                        |_| {
                            Error::invalid(
                                "lost_reason",
                                format!("a deal in '{}' needs the reason it was lost", stage.name),
                            )
                        },
                    )?,
                )
            } else {
                None
            };
            let open = NewDeal {
                stage: None,
                ..new.clone()
            };
            let id = create_deal(tx, actor, &open, now)?;
            move_deal_to(tx, actor, id, &stage, reason.as_deref(), now)?;
            Ok(id)
        }
        _ => create_deal(tx, actor, new, now),
    }
}

/// The body of `add_deal` inside a caller's transaction (the importer runs it once per row).
/// Deal `id` with its custom values, as the services hand a deal out.
fn shown(tx: &Tx<'_>, id: DealId) -> Result<Deal> {
    let deal = tx.deal(id)?.ok_or_else(|| Error::not_found("deal", id))?;
    fields::with_values(tx, FieldsOf::Deals, deal, |d| d.id.0, |d| &mut d.fields)
}

pub(crate) fn create_deal(tx: &Tx<'_>, actor: &Actor, new: &NewDeal, now: &str) -> Result<DealId> {
    actor.require_deal_create()?;
    let title = validate::required("title", &new.title)?;
    let amount = new
        .amount
        .as_deref()
        .map(|a| parse_amount("amount", a))
        .transpose()?
        .unwrap_or(0);
    let chosen = new.probability.map(probability).transpose()?;
    let stage = match &new.stage {
        Some(name) => stage_named(tx, name)?,
        None => tx.first_open_stage()?,
    };
    if !stage.active {
        return Err(Error::invalid(
            "stage",
            format!("'{}' is retired", stage.name),
        ));
    }
    if stage.is_closed() {
        return Err(Error::invalid(
            "stage",
            format!(
                "a new deal cannot start in '{}'; add it, then win or lose it",
                stage.name
            ),
        ));
    }
    let owner = match &new.owner {
        Some(name) => Some(user_named(tx, "owner", name)?),
        None => Some(actor.id),
    };
    actor.require_assign_to(owner, "a deal")?;
    if let Some(contact) = new.contact {
        super::contacts::linkable_contact(tx, actor, "contact", contact)?;
    }
    let campaign = new
        .campaign
        .as_deref()
        .map(|c| Crm::campaign_id(tx, c))
        .transpose()?;
    let company_id = match &new.company {
        Some(text) => super::companies::for_deal(tx, text, owner, now)?,
        None => new
            .contact
            .map(|c| tx.contact_company(c))
            .transpose()?
            .flatten(),
    };
    let row = DealRow {
        title: title.clone(),
        contact_id: new.contact,
        company_id,
        campaign_id: campaign,
        lead_id: None,
        amount,
        currency: new.currency.unwrap_or_default(),
        probability: chosen.unwrap_or(stage.probability),
        expected_close: new.expected_close,
        owner_id: owner,
    };
    let id = tx.insert_deal(&row, stage.id, actor.id, now)?;
    fields::write_fields(tx, FieldsOf::Deals, id.0, &new.fields, true)?;
    let deal = tx.deal(id)?.ok_or_else(|| Error::not_found("deal", id))?;
    log(
        tx,
        actor,
        "created",
        id,
        &format!(
            "{} added deal '{title}' ({})",
            actor.display_name,
            deal.value()
        ),
        now,
    )?;
    Ok(id)
}
