//! `POST /imports/{kind}`: a CSV file in the body, imported as `crm import` does it (the same
//! column names, checks, duplicates rule and limits), or tried with `dry_run`. The body is
//! written to a private spool file as it arrives, within a size limit and with a deadline
//! between chunks, before any database is taken: a slow upload holds no connection and, above
//! all, no write transaction.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use crm_core::import::{ImportKind, ImportObserver, ImportOptions, ImportProblem, OnDuplicate};
use http_body_util::BodyExt;
use serde::Deserialize;

use crate::error::ApiError;
use crate::extract::{Authed, Query};
use crate::pool::Pool;

/// The largest file taken (a million leads of the seed's columns is about 250 MiB).
pub(crate) const IMPORT_LIMIT: u64 = 1 << 30;
/// How long the client may pause between two pieces of the file.
const IDLE: Duration = Duration::from_secs(30);
/// Problems listed in the answer; all are counted.
const LISTED: usize = 1_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    dry_run: Option<bool>,
    skip_invalid: Option<bool>,
    on_duplicate: Option<OnDuplicate>,
    auto_assign: Option<bool>,
    /// `,` (default), `;` or `tab`.
    delimiter: Option<String>,
    /// Recorded in the import history.
    file_name: Option<String>,
}

/// The rows that were not imported as they stand, up to `LISTED`.
#[derive(Default)]
struct Problems(Vec<ImportProblem>);

impl ImportObserver for Problems {
    fn problem(&mut self, problem: &ImportProblem) {
        if self.0.len() < LISTED {
            self.0.push(problem.clone());
        }
    }
}

fn delimiter(text: Option<&str>) -> Result<u8, ApiError> {
    match text.unwrap_or(",") {
        "," => Ok(b','),
        ";" => Ok(b';'),
        "tab" | "\t" => Ok(b'\t'),
        other => Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "delimiter",
            format!("'{other}' is not one of: , ; tab"),
        )),
    }
}

/// Writes the body to a new private temporary file, refusing it over the limit or when the
/// client stalls.
async fn spool(body: Body) -> Result<tempfile::NamedTempFile, ApiError> {
    let file = tempfile::NamedTempFile::new()
        .map_err(|e| ApiError::internal(format!("cannot spool the upload: {e}")))?;
    let mut out = std::io::BufWriter::new(
        file.reopen()
            .map_err(|e| ApiError::internal(format!("cannot spool the upload: {e}")))?,
    );
    let mut body = body;
    let mut written: u64 = 0;
    loop {
        let frame = match tokio::time::timeout(IDLE, body.frame()).await {
            Err(_) => {
                return Err(ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "timeout",
                    "the file stopped arriving for 30 s",
                ));
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "bad_request",
                    format!("the upload broke off: {e}"),
                ));
            }
            Ok(Some(Ok(frame))) => frame,
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        written += data.len() as u64;
        if written > IMPORT_LIMIT {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("the file is over {} MiB", IMPORT_LIMIT >> 20),
            ));
        }
        // Small writes into a buffer: the blocking is bounded and brief.
        out.write_all(&data)
            .map_err(|e| ApiError::internal(format!("cannot spool the upload: {e}")))?;
    }
    out.flush()
        .map_err(|e| ApiError::internal(format!("cannot spool the upload: {e}")))?;
    Ok(file)
}

/// `POST /imports/{contacts|leads|deals|campaigns}`: 201 with the report when rows were
/// imported, 200 after a dry run, 422 with the report and the bad rows when they refused it.
pub(crate) async fn upload(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Path(kind): Path<ImportKind>,
    Query(p): Query<Params>,
    request: axum::extract::Request,
) -> Result<Response, ApiError> {
    let media = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !(media.starts_with("text/csv") || media.starts_with("text/plain")) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the file as Content-Type: text/csv",
        ));
    }
    let mut options = ImportOptions::new(kind);
    options.delimiter = delimiter(p.delimiter.as_deref())?;
    options.dry_run = p.dry_run.unwrap_or(false);
    options.skip_invalid = p.skip_invalid.unwrap_or(false);
    options.auto_assign = p.auto_assign.unwrap_or(false);
    if let Some(rule) = p.on_duplicate {
        options.on_duplicate = rule;
    }
    options.file_name = p
        .file_name
        .unwrap_or_else(|| format!("upload ({kind}).csv"));
    let file = spool(request.into_body()).await?;
    let (report, problems) = pool
        .run(move |crm| {
            let input = std::io::BufReader::new(file.reopen()?);
            let mut problems = Problems::default();
            let report = crm.import(&authed.actor, input, &options, &mut problems)?;
            Ok::<_, crm_core::Error>((report, problems.0))
        })
        .await??;
    let status = if report.committed {
        StatusCode::CREATED
    } else if report.dry_run {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut body = serde_json::json!({ "report": report, "problems": problems });
    if status == StatusCode::UNPROCESSABLE_ENTITY {
        body["error"] = serde_json::json!({
            "code": "invalid_rows",
            "message": format!(
                "{} of {} rows are invalid, so nothing was imported; fix them, or send skip_invalid=true to import the rest",
                report.invalid, report.rows
            ),
        });
    }
    Ok((status, Json(body)).into_response())
}
