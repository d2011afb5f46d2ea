//! The routes: `/healthz`, `/readyz` and the JSON API under `/api/v1`. Each handler makes one
//! service call; what it answers is the service's value as JSON.

mod campaigns;
mod capture;
mod companies;
mod contacts;
mod deals;
mod edits;
mod exports;
mod fields;
mod health;
mod imports;
mod leads;
mod reports;
mod sessions;
mod tickets;
mod users;
mod work;

use std::sync::Arc;

use axum::http::Uri;
use axum::{Extension, Json, Router, middleware};
use crm_core::Page;
use serde::Serialize;

use crate::capture_queue::CaptureQueue;
use crate::error::ApiError;
use crate::limits::read_body_in_time;
use crate::log::log_requests;
use crate::openapi::{self, Doc, Documented};
use crate::pool::Pool;
use crate::rate::RateLimiter;

/// Rows per page when a list does not say.
const DEFAULT_LIMIT: u32 = 50;

pub(crate) fn router(pool: Arc<Pool>, behind_proxy: bool) -> Router {
    let routes = [public, people, leads, sales, support, work, edits, admin]
        .into_iter()
        .fold(Documented::new(), |routes, add| add(routes));
    let (routes, operations) = routes.finish();
    let description = Arc::new(openapi::document(&operations));
    routes
        .fallback(no_route)
        .method_not_allowed_fallback(no_method)
        .layer(Extension(description))
        .layer(Extension(Arc::new(capture::Desk {
            limits: RateLimiter::default(),
            queue: CaptureQueue::start(Arc::clone(&pool)),
            visitors: capture::Visitors { behind_proxy },
        })))
        .layer(middleware::from_fn(read_body_in_time))
        .layer(middleware::from_fn(log_requests))
        .with_state(pool)
}

type Routes = Documented<Arc<Pool>>;

/// What needs no login: health, web-to-lead, this description, logging in.
fn public(routes: Routes) -> Routes {
    routes
        .get(
            "/healthz",
            health::alive,
            Doc::new("The process answers").public(),
        )
        .get(
            "/readyz",
            health::ready,
            Doc::new("The database answers with the schema this build writes").public(),
        )
        .post(
            "/capture/{key}",
            capture::post,
            Doc::new("A website's form posts a lead (no login)")
                .public()
                .body(&["application/x-www-form-urlencoded", "application/json"])
                .query(&["utm_source", "utm_medium", "utm_campaign"])
                .ok(202)
                .gives::<crm_core::Captured>(),
        )
        .options(
            "/capture/{key}",
            capture::preflight,
            Doc::new("The browser's CORS preflight of a form post")
                .public()
                .ok(204),
        )
        .get(
            "/api/v1/openapi.json",
            openapi_json,
            Doc::new("This description").public(),
        )
        .post(
            "/api/v1/sessions",
            sessions::login,
            Doc::new("Log in: username and password give a bearer token")
                .public()
                .takes::<sessions::Login>()
                .ok(201)
                .gives::<sessions::Session>(),
        )
}

/// Sessions, campaigns, contacts and companies.
fn people(routes: Routes) -> Routes {
    routes
        .delete(
            "/api/v1/sessions",
            sessions::logout,
            Doc::new("Log out").ok(204),
        )
        .get(
            "/api/v1/me",
            sessions::me,
            Doc::new("Who the token acts as").gives::<crm_core::Actor>(),
        )
        .get(
            "/api/v1/campaigns",
            campaigns::list,
            Doc::new("Every campaign with its metrics")
                .query(&["sort", "desc"])
                .gives::<Vec<crm_core::Campaign>>(),
        )
        .post(
            "/api/v1/campaigns",
            campaigns::add,
            Doc::new("Add a campaign")
                .takes::<crm_core::NewCampaign>()
                .ok(201)
                .gives::<crm_core::Campaign>(),
        )
        .get(
            "/api/v1/campaigns/{reference}",
            campaigns::one,
            Doc::new("One campaign, by code, name or id")
                .versioned()
                .gives::<crm_core::Campaign>(),
        )
        .get(
            "/api/v1/contacts",
            contacts::list,
            Doc::new("The contacts the user may read, a page at a time")
                .query(&[
                    "limit", "after", "sort", "desc", "search", "where", "owner", "company", "tag",
                ])
                .gives::<Listed<crm_core::Contact>>(),
        )
        .post(
            "/api/v1/contacts",
            contacts::add,
            Doc::new("Add a contact")
                .takes::<crm_core::NewContact>()
                .ok(201)
                .gives::<crm_core::Contact>(),
        )
        .get(
            "/api/v1/contacts/{id}",
            contacts::one,
            Doc::new("One contact")
                .versioned()
                .gives::<crm_core::Contact>(),
        )
}

/// Leads: capture, scoring, assignment, drips and conversion.
fn leads(routes: Routes) -> Routes {
    routes
        .get(
            "/api/v1/leads",
            leads::list,
            Doc::new("The leads the user may read, a page at a time")
                .query(&[
                    "limit",
                    "after",
                    "sort",
                    "desc",
                    "search",
                    "where",
                    "stage",
                    "temperature",
                    "campaign",
                    "owner",
                    "source",
                    "min_score",
                    "max_score",
                    "include_converted",
                ])
                .gives::<Listed<crm_core::Lead>>(),
        )
        .post(
            "/api/v1/leads",
            leads::add,
            Doc::new("Add a lead (scored and assigned as `crm leads add` does)")
                .takes::<crm_core::NewLead>()
                .ok(201)
                .gives::<crm_core::Lead>(),
        )
        .get(
            "/api/v1/leads/{id}",
            leads::one,
            Doc::new("One lead").versioned().gives::<crm_core::Lead>(),
        )
        .post(
            "/api/v1/leads/{id}/score",
            leads::score,
            Doc::new("Score a lead by hand (0-100), or by the rules without a score")
                .takes::<leads::ScoreBody>()
                .gives::<crm_core::Lead>(),
        )
        .post(
            "/api/v1/leads/{id}/assign",
            leads::assign,
            Doc::new("Give a lead to a sales rep")
                .takes::<leads::AssignBody>()
                .gives::<crm_core::Lead>(),
        )
        .post(
            "/api/v1/leads/nurture",
            leads::nurture,
            Doc::new("A drip of follow-up tasks for each lead")
                .takes::<leads::NurtureBody>()
                .ok(201)
                .gives::<crm_core::NurtureReport>(),
        )
        .get(
            "/api/v1/companies",
            companies::list,
            Doc::new("The companies, a page at a time")
                .query(&[
                    "search", "where", "industry", "owner", "sort", "desc", "limit", "after",
                ])
                .gives::<Listed<crm_core::Company>>(),
        )
        .post(
            "/api/v1/companies",
            companies::add,
            Doc::new("Add a company")
                .takes::<crm_core::NewCompany>()
                .ok(201)
                .gives::<crm_core::Company>(),
        )
        .get(
            "/api/v1/companies/{id}",
            companies::page,
            Doc::new("A company's page: its contacts, open leads and deals, revenue, tickets")
                .versioned()
                .gives::<crm_core::CompanyPage>(),
        )
        .post(
            "/api/v1/leads/{id}/convert",
            leads::convert,
            Doc::new("Convert a lead into a contact and a deal")
                .takes::<leads::ConvertBody>()
                .ok(201)
                .gives::<crm_core::Conversion>(),
        )
}

/// Deals and the reports.
fn sales(routes: Routes) -> Routes {
    routes
        .get(
            "/api/v1/deals",
            deals::list,
            Doc::new("The deals the user may read, a page at a time")
                .query(&[
                    "limit", "after", "sort", "desc", "search", "where", "stage", "owner",
                    "contact", "campaign", "open",
                ])
                .gives::<Listed<crm_core::Deal>>(),
        )
        .post(
            "/api/v1/deals",
            deals::add,
            Doc::new("Add a deal")
                .takes::<crm_core::NewDeal>()
                .versioned()
                .ok(201)
                .gives::<crm_core::Deal>(),
        )
        .get(
            "/api/v1/deals/{id}",
            deals::one,
            Doc::new("One deal").versioned().gives::<crm_core::Deal>(),
        )
        .post(
            "/api/v1/deals/{id}/won",
            deals::won,
            Doc::new("Win a deal").gives::<crm_core::DealMove>(),
        )
        .post(
            "/api/v1/deals/{id}/move",
            deals::move_to,
            Doc::new("Move a deal to any stage")
                .takes::<deals::MoveBody>()
                .gives::<crm_core::DealMove>(),
        )
        .post(
            "/api/v1/deals/{id}/lost",
            deals::lost,
            Doc::new("Lose a deal, with the reason")
                .takes::<deals::LostBody>()
                .gives::<crm_core::DealMove>(),
        )
        .get(
            "/api/v1/reports/marketing",
            reports::marketing,
            Doc::new("Leads by stage and source; campaigns with spend, revenue and ROI")
                .gives::<crm_core::MarketingReport>(),
        )
        .get(
            "/api/v1/reports/sales",
            reports::sales,
            Doc::new("The pipeline by stage, revenue by month, forecast and win rate")
                .gives::<crm_core::SalesReport>(),
        )
        .get(
            "/api/v1/reports/tickets",
            reports::tickets,
            Doc::new("Open tickets and how fast they close").gives::<crm_core::TicketReport>(),
        )
}

/// `GET /api/v1/openapi.json`: the description of every route above.
async fn openapi_json(
    Extension(description): Extension<Arc<serde_json::Value>>,
) -> Json<serde_json::Value> {
    Json((*description).clone())
}

/// The support queue.
fn support(routes: Routes) -> Routes {
    routes
        .get(
            "/api/v1/tickets",
            tickets::list,
            Doc::new("The tickets the user may read; open ones unless include_resolved")
                .query(&[
                    "status",
                    "priority",
                    "assignee",
                    "contact",
                    "search",
                    "where",
                    "include_resolved",
                    "limit",
                    "after",
                ])
                .gives::<Listed<crm_core::Ticket>>(),
        )
        .post(
            "/api/v1/tickets",
            tickets::add,
            Doc::new("Open a ticket")
                .takes::<tickets::NewBody>()
                .ok(201)
                .gives::<crm_core::Ticket>(),
        )
        .get(
            "/api/v1/tickets/{id}",
            tickets::one,
            Doc::new("One ticket")
                .versioned()
                .gives::<crm_core::Ticket>(),
        )
        .post(
            "/api/v1/tickets/{id}/assign",
            tickets::assign,
            Doc::new("Give a ticket to an agent")
                .takes::<tickets::AssignBody>()
                .gives::<crm_core::Ticket>(),
        )
        .post(
            "/api/v1/tickets/{id}/start",
            tickets::start,
            Doc::new("Start work on a ticket").gives::<crm_core::Ticket>(),
        )
        .post(
            "/api/v1/tickets/{id}/resolve",
            tickets::resolve,
            Doc::new("Resolve a ticket; the customer's email is queued with it")
                .takes::<tickets::ResolveBody>()
                .gives::<crm_core::Resolution>(),
        )
        .post(
            "/api/v1/tickets/{id}/reopen",
            tickets::reopen,
            Doc::new("Reopen a resolved ticket").gives::<crm_core::Ticket>(),
        )
}

/// Tasks, notes, the board, search and the feed.
fn work(routes: Routes) -> Routes {
    routes
        .get(
            "/api/v1/tasks",
            work::tasks,
            Doc::new("Tasks, a page at a time")
                .query(&[
                    "mine",
                    "assignee",
                    "overdue",
                    "due_today",
                    "status",
                    "about",
                    "search",
                    "limit",
                    "after",
                ])
                .gives::<Listed<crm_core::Task>>(),
        )
        .post(
            "/api/v1/tasks",
            work::add_task,
            Doc::new("Add a task")
                .takes::<work::NewTaskBody>()
                .ok(201)
                .gives::<crm_core::Task>(),
        )
        .get(
            "/api/v1/tasks/{id}",
            work::task,
            Doc::new("One task").versioned().gives::<crm_core::Task>(),
        )
        .post(
            "/api/v1/tasks/{id}/done",
            work::done,
            Doc::new("Mark a task done").gives::<crm_core::Task>(),
        )
        .post(
            "/api/v1/tasks/{id}/reopen",
            work::reopen,
            Doc::new("Open a done task again").gives::<crm_core::Task>(),
        )
        .get(
            "/api/v1/notes",
            work::notes,
            Doc::new("A record's notes and their comments")
                .query(&["about"])
                .gives::<Vec<crm_core::Note>>(),
        )
        .post(
            "/api/v1/notes",
            work::add_note,
            Doc::new("A note on a record, or a comment under a note")
                .takes::<work::NoteBody>()
                .ok(201)
                .gives::<crm_core::NoteAdded>(),
        )
        .get(
            "/api/v1/pipeline",
            work::board,
            Doc::new("The board: every open stage with its deals")
                .query(&["per_column"])
                .gives::<Vec<crm_core::BoardColumn>>(),
        )
        .get(
            "/api/v1/search",
            work::search,
            Doc::new("Ranked search over leads, contacts, deals and tickets")
                .query(&["q", "kinds", "limit"])
                .gives::<Vec<crm_core::SearchHit>>(),
        )
        .get(
            "/api/v1/activity",
            work::activity,
            Doc::new("The activity feed, newest first")
                .query(&["user", "about", "since", "limit", "before"])
                .gives::<Vec<crm_core::Activity>>(),
        )
}

/// Users (admins; anyone may read themselves).
fn admin(routes: Routes) -> Routes {
    routes
        .get(
            "/api/v1/fields",
            fields::list,
            Doc::new("The custom fields of each kind of record: the keys of `fields` and `where`")
                .query(&["of", "retired"])
                .gives::<Vec<crm_core::CustomField>>(),
        )
        .get(
            "/api/v1/users",
            users::list,
            Doc::new("Every user (admins)").gives::<Vec<crm_core::User>>())
        .post(
            "/api/v1/users",
            users::add,
            Doc::new("Add a user with a role and a first password (admins)")
                .takes::<users::NewUserBody>()
                .versioned()
                .ok(201).gives::<crm_core::User>())
        .get(
            "/api/v1/users/{username}",
            users::one,
            Doc::new("One user (admins, or the user)").versioned().gives::<crm_core::User>())
        .patch(
            "/api/v1/users/{username}",
            users::edit,
            Doc::new("Change a user's name, email, role or active flag (admins)")
                .takes::<crm_core::UserPatch>()
                .versioned().gives::<crm_core::User>())
        .post(
            "/api/v1/imports/{kind}",
            imports::upload,
            Doc::new("Import a CSV file of contacts, leads, deals or campaigns as `crm import` does (dry_run tries it)")
                .body(&["text/csv"])
                .query(&["dry_run", "skip_invalid", "on_duplicate", "auto_assign", "delimiter", "file_name"])
                .ok(201),
        )
        .get(
            "/api/v1/exports/{kind}",
            exports::stream,
            Doc::new("Every record of a kind the user may read (contacts, leads, deals, campaigns, tickets, tasks, activity), streamed as CSV, JSON lines or JSON")
                .query(&["format", "raw", "all"]),
        )
        .post(
            "/api/v1/users/{username}/password",
            users::password,
            Doc::new("Set a user's password; their sessions end (admins)")
                .takes::<users::PasswordBody>()
                .ok(204))
}

/// Changing and deleting records, each against the version the client read.
fn edits(routes: Routes) -> Routes {
    const CHANGE: Doc = Doc::new("").json().versioned();
    const DELETE: Doc = Doc::new("").versioned().ok(204);
    routes
        .patch(
            "/api/v1/contacts/{id}",
            edits::contact,
            CHANGE
                .summary("Change a contact's fields")
                .takes::<crm_core::ContactPatch>()
                .gives::<crm_core::Contact>(),
        )
        .delete(
            "/api/v1/contacts/{id}",
            edits::delete_contact,
            DELETE.summary("Delete a contact with its notes and tasks"),
        )
        .patch(
            "/api/v1/companies/{id}",
            edits::company,
            CHANGE
                .summary("Change a company's fields")
                .takes::<crm_core::CompanyPatch>()
                .gives::<crm_core::Company>(),
        )
        .delete(
            "/api/v1/companies/{id}",
            edits::delete_company,
            DELETE.summary("Delete a company nothing links to"),
        )
        .patch(
            "/api/v1/campaigns/{reference}",
            edits::campaign,
            CHANGE
                .summary("Change a campaign's fields")
                .takes::<crm_core::CampaignPatch>()
                .gives::<crm_core::Campaign>(),
        )
        .delete(
            "/api/v1/campaigns/{reference}",
            edits::delete_campaign,
            DELETE.summary("Delete a campaign no lead or deal points to"),
        )
        .patch(
            "/api/v1/leads/{id}",
            edits::lead,
            CHANGE
                .summary("Change a lead's fields")
                .takes::<crm_core::LeadPatch>()
                .gives::<crm_core::Lead>(),
        )
        .delete(
            "/api/v1/leads/{id}",
            edits::delete_lead,
            DELETE.summary("Delete a lead with its tasks and notes"),
        )
        .patch(
            "/api/v1/deals/{id}",
            edits::deal,
            CHANGE
                .summary("Change a deal's fields (not its stage)")
                .takes::<crm_core::DealPatch>()
                .gives::<crm_core::Deal>(),
        )
        .delete(
            "/api/v1/deals/{id}",
            edits::delete_deal,
            DELETE.summary("Delete a deal with its history, tasks and notes"),
        )
        .patch(
            "/api/v1/tickets/{id}",
            edits::ticket,
            CHANGE
                .summary("Change a ticket's subject, description or priority")
                .takes::<crm_core::TicketPatch>()
                .gives::<crm_core::Ticket>(),
        )
        .patch(
            "/api/v1/tasks/{id}",
            edits::task,
            CHANGE
                .summary("Change a task")
                .takes::<crm_core::TaskPatch>()
                .gives::<crm_core::Task>(),
        )
        .delete(
            "/api/v1/tasks/{id}",
            edits::delete_task,
            DELETE.summary("Delete a task"),
        )
}

/// A path that exists, asked with a method it does not take (`PUT`: records change by `PATCH`
/// of the fields that change). axum has set `Allow` on the answer already.
async fn no_method(method: axum::http::Method, uri: Uri) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!(
            "{} does not take {method}; see the Allow header (records change by PATCH)",
            uri.path()
        ),
    )
}

/// The `where` parameter of a list: conditions on custom fields separated by `;`.
fn conditions(text: Option<&str>) -> Result<Vec<crm_core::FieldCondition>, ApiError> {
    text.into_iter()
        .flat_map(|t| t.split(';'))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| c.parse().map_err(ApiError::from))
        .collect()
}

/// The `sort` parameter of a list: one of the kind's own orders (`fallback` when absent) or a
/// custom field's key, as the order and the field's key.
fn sort<S>(text: Option<&str>, fallback: S) -> Result<(S, Option<String>), ApiError>
where
    S: Copy + std::str::FromStr<Err = crm_core::ParseEnumError>,
{
    match text {
        None => Ok((fallback, None)),
        Some(t) => Ok(t
            .parse::<crm_core::SortChoice<S>>()
            .map_err(ApiError::from)?
            .split(fallback)),
    }
}

async fn no_route(uri: Uri) -> ApiError {
    ApiError::not_found(format!("no route {}", uri.path()))
}

/// A page of a list: its rows, and the link to the next page (the same query, continued after
/// the last row) or null on the last page.
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(rename = "{T}List")]
struct Listed<T> {
    items: Vec<T>,
    next: Option<String>,
}

fn listed<T: Serialize>(uri: &Uri, page: Page<T>) -> Json<Listed<T>> {
    let next = page.next_after.map(|after| {
        let kept: Vec<&str> = uri
            .query()
            .unwrap_or_default()
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with("after="))
            .collect();
        let mut query = kept.join("&");
        if !query.is_empty() {
            query.push('&');
        }
        format!("/api/v1{}?{query}after={after}", uri.path())
    });
    Json(Listed {
        items: page.items,
        next,
    })
}
