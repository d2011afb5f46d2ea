//! What a rep's day is made of: tasks, notes, the board, search and the activity feed.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use chrono::{DateTime, Utc};
use crm_core::{
    Activity, ActivityQuery, BoardColumn, EntityKind, NewTask, Note, NoteAdded, NoteId, RecordRef,
    SearchHit, Task, TaskId, TaskKind, TaskQuery, TaskStatus,
};
use serde::Deserialize;

use super::{DEFAULT_LIMIT, Listed, listed};
use crate::error::ApiError;
use crate::extract::{Authed, Body, Id, Query};
use crate::pool::Pool;
use crate::version::Tagged;

/// The filters of `crm tasks list`, as query parameters.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TaskParams {
    mine: Option<bool>,
    assignee: Option<String>,
    overdue: Option<bool>,
    due_today: Option<bool>,
    status: Option<TaskStatus>,
    /// A record, as `lead:5`.
    about: Option<RecordRef>,
    search: Option<String>,
    limit: Option<u32>,
    after: Option<i64>,
}

/// `GET /tasks`.
pub(crate) async fn tasks(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    uri: Uri,
    Query(p): Query<TaskParams>,
) -> Result<Json<Listed<Task>>, ApiError> {
    let query = TaskQuery {
        mine: p.mine.unwrap_or(false),
        assignee: p.assignee,
        overdue: p.overdue.unwrap_or(false),
        due_today: p.due_today.unwrap_or(false),
        status: p.status,
        link: p.about,
        search: p.search,
        limit: p.limit.unwrap_or(DEFAULT_LIMIT),
        after: p.after.map(TaskId),
    };
    let page = pool
        .run(move |crm| crm.list_tasks(&authed.actor, &query))
        .await??;
    Ok(listed(&uri, page))
}

/// `GET /tasks/{id}`.
pub(crate) async fn task(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<TaskId>,
) -> Result<Tagged<Task>, ApiError> {
    Ok(Tagged(
        pool.run(move |crm| crm.task(&authed.actor, id)).await??,
    ))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NewTask")]
pub(crate) struct NewTaskBody {
    title: String,
    kind: Option<TaskKind>,
    due_at: Option<DateTime<Utc>>,
    assignee: Option<String>,
    /// A record, as `deal:5`.
    about: Option<RecordRef>,
}

/// `POST /tasks`: 201 with the task.
pub(crate) async fn add_task(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Body(body): Body<NewTaskBody>,
) -> Result<(StatusCode, Tagged<Task>), ApiError> {
    let new = NewTask {
        title: body.title,
        kind: body.kind,
        due_at: body.due_at,
        assignee: body.assignee,
        link: body.about,
    };
    let task = pool
        .run(move |crm| crm.add_task(&authed.actor, &new))
        .await??;
    Ok((StatusCode::CREATED, Tagged(task)))
}

/// `POST /tasks/{id}/done`.
pub(crate) async fn done(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<TaskId>,
) -> Result<Tagged<Task>, ApiError> {
    Ok(Tagged(
        pool.run(move |crm| crm.set_task_done(&authed.actor, id, true))
            .await??,
    ))
}

/// `POST /tasks/{id}/reopen`.
pub(crate) async fn reopen(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<TaskId>,
) -> Result<Tagged<Task>, ApiError> {
    Ok(Tagged(
        pool.run(move |crm| crm.set_task_done(&authed.actor, id, false))
            .await??,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NotesParams {
    /// The record, as `lead:5`.
    about: RecordRef,
}

/// `GET /notes?about=lead:5`: a record's notes with their comments.
pub(crate) async fn notes(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Query(p): Query<NotesParams>,
) -> Result<Json<Vec<Note>>, ApiError> {
    Ok(Json(
        pool.run(move |crm| crm.notes(&authed.actor, p.about))
            .await??,
    ))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NewNote")]
pub(crate) struct NoteBody {
    /// The record, as `lead:5` (or `reply_to` a note).
    about: Option<RecordRef>,
    reply_to: Option<i64>,
    body: String,
}

/// `POST /notes`: a note on a record, or a comment under a note; `@user` gives a task.
pub(crate) async fn add_note(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Body(note): Body<NoteBody>,
) -> Result<(StatusCode, Json<NoteAdded>), ApiError> {
    let added = pool
        .run(move |crm| {
            crm.add_note(
                &authed.actor,
                note.about,
                note.reply_to.map(NoteId),
                &note.body,
            )
        })
        .await??;
    Ok((StatusCode::CREATED, Json(added)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BoardParams {
    per_column: Option<u32>,
}

/// `GET /pipeline`: the board, its stages with their deals.
pub(crate) async fn board(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Query(p): Query<BoardParams>,
) -> Result<Json<Vec<BoardColumn>>, ApiError> {
    let per_column = p.per_column.unwrap_or(50);
    Ok(Json(
        pool.run(move |crm| crm.board(&authed.actor, per_column))
            .await??,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SearchParams {
    q: String,
    /// Comma-separated kinds: lead, contact, deal, ticket.
    kinds: Option<String>,
    limit: Option<u32>,
}

/// `GET /search?q=sha`: the best records matching, of the kinds asked.
pub(crate) async fn search(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Query(p): Query<SearchParams>,
) -> Result<Json<Vec<SearchHit>>, ApiError> {
    let kinds = p
        .kinds
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .filter(|k| !k.trim().is_empty())
        .map(|k| k.trim().parse::<EntityKind>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::field(StatusCode::BAD_REQUEST, "kinds", e.to_string()))?;
    let limit = p.limit.unwrap_or(20);
    Ok(Json(
        pool.run(move |crm| crm.search(&authed.actor, &p.q, &kinds, limit))
            .await??,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActivityParams {
    user: Option<String>,
    /// A record, as `deal:5`.
    about: Option<RecordRef>,
    since: Option<DateTime<Utc>>,
    limit: Option<u32>,
    before: Option<i64>,
}

/// `GET /activity`: the feed, newest first.
pub(crate) async fn activity(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Query(p): Query<ActivityParams>,
) -> Result<Json<Vec<Activity>>, ApiError> {
    let query = ActivityQuery {
        user: p.user,
        record: p.about,
        since: p.since,
        limit: p.limit.unwrap_or(DEFAULT_LIMIT),
        before: p.before,
        within_latest: None,
    };
    Ok(Json(
        pool.run(move |crm| crm.activity(&authed.actor, &query))
            .await??,
    ))
}
