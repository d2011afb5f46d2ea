//! `GET /exports/{kind}`: every record of a kind the user may read, streamed as CSV (the
//! columns `crm export` writes, cells guarded against spreadsheet formulas unless `raw`), JSON
//! lines or one JSON array. Pages are read one at a time on a database of the pool and sent as
//! they come, so a million rows take no more memory than a thousand; a client that hangs up
//! stops the reading.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use crm_core::interop::CsvRow;
use crm_core::{
    ActivityQuery, CampaignSort, ContactId, ContactQuery, Crm, DealId, DealQuery, LeadId,
    LeadQuery, TaskId, TaskQuery, TicketId, TicketQuery,
};
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};

use crate::error::ApiError;
use crate::extract::{Authed, Query};
use crate::pool::Pool;

/// Rows read from the database at a time.
const PAGE: u32 = 1_000;

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    Contacts,
    Leads,
    Deals,
    Campaigns,
    Tickets,
    Tasks,
    Activity,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Format {
    #[default]
    Csv,
    Jsonl,
    Json,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    format: Option<Format>,
    /// CSV cells exactly as stored, without the formula guard.
    raw: Option<bool>,
    /// Also converted leads, resolved tickets and done tasks.
    all: Option<bool>,
}

/// What the blocking reader sends the response.
type Chunk = Result<Bytes, std::io::Error>;

/// The body: chunks as the reader sends them.
struct Chunks(mpsc::Receiver<Chunk>);

impl futures_core::Stream for Chunks {
    type Item = Chunk;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Chunk>> {
        self.0.poll_recv(cx)
    }
}

/// Writes rows in the chosen format into a buffer that is sent a page at a time.
struct Writer {
    format: Format,
    raw: bool,
    buffer: Vec<u8>,
    /// CSV rows of the page being written: one writer per page, not per row.
    csv: csv::Writer<Vec<u8>>,
    rows: u64,
    out: mpsc::Sender<Chunk>,
}

impl Writer {
    fn start<T: CsvRow>(&mut self) {
        match self.format {
            Format::Csv => self.csv_line(T::FIELDS.iter().map(|f| (*f).to_string())),
            Format::Json => self.buffer.push(b'['),
            Format::Jsonl => {}
        }
    }

    fn row<T: CsvRow + Serialize>(&mut self, item: &T) -> Result<(), ApiError> {
        match self.format {
            Format::Csv => self.csv_line(item.fields().into_iter()),
            Format::Jsonl | Format::Json => {
                if self.format == Format::Json {
                    self.buffer
                        .extend_from_slice(if self.rows == 0 { b"\n" } else { b",\n" });
                }
                serde_json::to_writer(&mut self.buffer, item)
                    .map_err(|e| ApiError::internal(e.to_string()))?;
                if self.format == Format::Jsonl {
                    self.buffer.push(b'\n');
                }
            }
        }
        self.rows += 1;
        Ok(())
    }

    fn csv_line(&mut self, cells: impl Iterator<Item = String>) {
        let raw = self.raw;
        let cells = cells.map(|c| {
            if raw {
                c
            } else {
                crm_core::text::formula_safe(&c).into_owned()
            }
        });
        // Writing into a Vec cannot fail.
        let _ = self.csv.write_record(cells);
    }

    /// Sends what is buffered; false when the client has gone.
    fn flush(&mut self) -> bool {
        let page = std::mem::replace(&mut self.csv, csv::Writer::from_writer(Vec::new()));
        if let Ok(bytes) = page.into_inner() {
            self.buffer.extend_from_slice(&bytes);
        }
        if self.buffer.is_empty() {
            return true;
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buffer));
        self.out.blocking_send(Ok(chunk)).is_ok()
    }

    fn finish(&mut self) {
        if self.format == Format::Json {
            self.buffer
                .extend_from_slice(if self.rows == 0 { b"]\n" } else { b"\n]\n" });
        }
        self.flush();
    }
}

/// Reads every page `next` gives and writes it; tells `started` once the first page is read
/// (or why it could not be), so a refusal still gets its own status.
fn pages<T: CsvRow + Serialize>(
    writer: &mut Writer,
    started: oneshot::Sender<Result<(), ApiError>>,
    mut next: impl FnMut(Option<i64>) -> crm_core::Result<(Vec<T>, Option<i64>)>,
) {
    let mut started = Some(started);
    let mut cursor = None;
    writer.start::<T>();
    loop {
        let (items, after) = match next(cursor) {
            Ok(page) => page,
            Err(err) => {
                match started.take() {
                    Some(tell) => {
                        let _ = tell.send(Err(err.into()));
                    }
                    // Mid-stream: the status is sent; cut the body so the client sees it end
                    // early rather than take a partial file for a whole one.
                    None => {
                        let _ = writer
                            .out
                            .blocking_send(Err(std::io::Error::other(err.to_string())));
                    }
                }
                return;
            }
        };
        if let Some(tell) = started.take() {
            let _ = tell.send(Ok(()));
        }
        for item in &items {
            if let Err(err) = writer.row(item) {
                let _ = writer
                    .out
                    .blocking_send(Err(std::io::Error::other(format!("{err:?}"))));
                return;
            }
        }
        if !writer.flush() {
            return;
        }
        match after {
            Some(after) => cursor = Some(after),
            None => break,
        }
    }
    writer.finish();
}

/// Runs the export of `kind` on `crm` into `writer`.
fn export(
    crm: &Crm,
    actor: &crm_core::Actor,
    kind: Kind,
    all: bool,
    writer: &mut Writer,
    started: oneshot::Sender<Result<(), ApiError>>,
) {
    match kind {
        Kind::Contacts => pages(writer, started, |after| {
            let query = ContactQuery {
                limit: PAGE,
                after: after.map(ContactId),
                ..ContactQuery::default()
            };
            crm.list_contacts(actor, &query)
                .map(|p| (p.items, p.next_after))
        }),
        Kind::Leads => pages(writer, started, |after| {
            let query = LeadQuery {
                include_converted: all,
                limit: PAGE,
                after: after.map(LeadId),
                ..LeadQuery::default()
            };
            crm.list_leads(actor, &query)
                .map(|p| (p.items, p.next_after))
        }),
        Kind::Deals => pages(writer, started, |after| {
            let query = DealQuery {
                limit: PAGE,
                after: after.map(DealId),
                ..DealQuery::default()
            };
            crm.list_deals(actor, &query)
                .map(|p| (p.items, p.next_after))
        }),
        Kind::Campaigns => pages(writer, started, |_| {
            crm.list_campaigns(actor, CampaignSort::Name, false)
                .map(|all| (all, None))
        }),
        Kind::Tickets => pages(writer, started, |after| {
            let query = TicketQuery {
                include_resolved: all,
                limit: PAGE,
                after: after.map(TicketId),
                ..TicketQuery::default()
            };
            crm.list_tickets(actor, &query)
                .map(|p| (p.items, p.next_after))
        }),
        Kind::Tasks => pages(writer, started, |after| {
            let query = TaskQuery {
                status: if all {
                    None
                } else {
                    TaskQuery::default().status
                },
                limit: PAGE,
                after: after.map(TaskId),
                ..TaskQuery::default()
            };
            crm.list_tasks(actor, &query)
                .map(|p| (p.items, p.next_after))
        }),
        Kind::Activity => pages(writer, started, |before| {
            let query = ActivityQuery {
                before,
                limit: PAGE,
                ..ActivityQuery::default()
            };
            crm.activity(actor, &query).map(|items| {
                let next = (items.len() == PAGE as usize)
                    .then(|| items.last().map(|a| a.id))
                    .flatten();
                (items, next)
            })
        }),
    }
}

/// `GET /exports/{kind}?format=csv|jsonl|json&raw=false&all=false`.
pub(crate) async fn stream(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Path(kind): Path<Kind>,
    Query(p): Query<Params>,
) -> Result<Response, ApiError> {
    let format = p.format.unwrap_or_default();
    let (raw, all) = (p.raw.unwrap_or(false), p.all.unwrap_or(false));
    let (out, chunks) = mpsc::channel::<Chunk>(4);
    let (started, first) = oneshot::channel();
    let reader = Arc::clone(&pool);
    tokio::spawn(async move {
        let _ = reader
            .run(move |crm| {
                let mut writer = Writer {
                    format,
                    raw,
                    buffer: Vec::with_capacity(1 << 16),
                    csv: csv::Writer::from_writer(Vec::new()),
                    rows: 0,
                    out,
                };
                export(crm, &authed.actor, kind, all, &mut writer, started);
            })
            .await;
    });
    // The first page decides the status: a refusal is answered as any other.
    first
        .await
        .map_err(|_| ApiError::internal("the export stopped before its first page"))??;
    let media = match format {
        Format::Csv => "text/csv; charset=utf-8",
        Format::Jsonl => "application/x-ndjson",
        Format::Json => "application/json",
    };
    let mut response = Body::from_stream(Chunks(chunks)).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    Ok(response)
}
