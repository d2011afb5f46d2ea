//! Helpers for the test suites of the workspace (feature `testing`, never in a release build's
//! API): read or poke a database file behind the services' back.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::store::sql::{Db, ValueRef};

pub mod access;
mod import_floor;
pub use import_floor::import_floor;
pub mod postgres;
pub mod search_set;

/// The database the benchmarks measure: `CRM_BENCH_DB` when set (bench/run.sh points it at a
/// million leads), else a demo grown by 10k leads, generated once per process in a temporary
/// directory.
pub fn bench_database() -> &'static Path {
    static DB: OnceLock<(Option<tempfile::TempDir>, PathBuf)> = OnceLock::new();
    &DB.get_or_init(|| {
        if let Some(path) = std::env::var_os("CRM_BENCH_DB") {
            return (None, PathBuf::from(path));
        }
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("bench.db");
        let crm = crate::Crm::open(&path).expect("bench database");
        let admin = crm
            .load_demo(false)
            .expect("demo data")
            .admin
            .expect("demo admin");
        crm.generate_volume(&admin, 10_000, &mut ())
            .expect("volume data");
        (Some(dir), path)
    })
    .1
}

/// A new database file whose schema stops at migration `version`: rows written into it with
/// `execute` are what an older build left behind, and the next `Crm::open` migrates them.
pub fn create_at_version(path: &Path, version: usize) {
    let mut conn = rusqlite::Connection::open(path).expect("open the database");
    crate::store::apply_up_to(&mut conn, version).expect("migrate");
}

/// Every row of every table, one line each, sorted: equal dumps mean an unchanged database.
pub fn dump(path: &Path) -> String {
    dump_rows(path, &[], true)
}

/// `dump` without the tables named in `skip`: for "everything is as it was" after an undo that
/// rightly leaves its own record (the feed, the merge log, a full-text index's b-tree pages).
/// Records' `version` columns are left out too: an undo is a change, so the versions it writes
/// are new ones (a client holding one from before the undo must reload), not the old ones.
pub fn dump_except(path: &Path, skip: &[&str]) -> String {
    dump_rows(path, skip, false)
}

fn dump_rows(path: &Path, skip: &[&str], with_versions: bool) -> String {
    with_db(path, |db| {
        let list = if db.is_postgres() {
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        } else {
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        };
        let names: Vec<String> = db
            .prepare(list)
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .expect("list tables");
        let mut lines = Vec::new();
        for table in names.iter().filter(|n| !skip.contains(&n.as_str())) {
            // PostgreSQL's search entries hold their words as a tsvector, made from the name
            // and detail beside it: the dump shows those.
            let select = if db.is_postgres() {
                let columns: Vec<String> = db
                    .prepare(
                        "SELECT '\"' || column_name || '\"' FROM information_schema.columns
                         WHERE table_schema = 'public' AND table_name = ?1
                           AND data_type <> 'tsvector'
                         ORDER BY ordinal_position",
                    )
                    .and_then(|mut s| s.query_map([table], |r| r.get(0))?.collect())
                    .expect("columns");
                columns.join(", ")
            } else {
                "*".to_string()
            };
            let mut stmt = db
                .prepare(&format!("SELECT {select} FROM \"{table}\""))
                .expect("select");
            let columns: Vec<usize> = stmt
                .column_names()
                .iter()
                .enumerate()
                .filter(|(_, n)| with_versions || n.as_str() != "version")
                .map(|(i, _)| i)
                .collect();
            let mut rows = stmt.query([]).expect("query");
            let mut table_lines = Vec::new();
            while let Some(row) = rows.next().expect("row") {
                let values: Vec<String> = columns
                    .iter()
                    .map(|&i| match row.get_ref(i).expect("value") {
                        ValueRef::Null => "NULL".to_string(),
                        ValueRef::Integer(n) => n.to_string(),
                        ValueRef::Real(x) => x.to_string(),
                        ValueRef::Text(t) => format!("{t:?}"),
                        ValueRef::Blob(b) => format!("blob({} bytes)", b.len()),
                    })
                    .collect();
                table_lines.push(format!("{table}: {}", values.join(" | ")));
            }
            table_lines.sort();
            lines.extend(table_lines);
        }
        lines.join("\n")
    })
}

/// Runs `work` on a connection of its own to the database at `path`: a SQLite file, or a
/// PostgreSQL database when `path` is its URL.
fn with_db<T>(path: &Path, work: impl FnOnce(Db<'_>) -> T) -> T {
    if let Some(url) = path.to_str().filter(|p| crate::store::is_database_url(p)) {
        let client = ::postgres::Client::connect(url, ::postgres::NoTls).expect("connect");
        let conn = std::cell::RefCell::new(crate::store::sql::PgConn::new(client, url));
        work(Db::Postgres(&conn))
    } else {
        let conn = rusqlite::Connection::open(path).expect("open database");
        work(Db::Sqlite(&conn))
    }
}

/// Runs raw SQL and returns the database's error, if any (to prove the schema refuses
/// something).
pub fn try_execute(path: &Path, sql: &str) -> Result<(), String> {
    with_db(path, |db| db.execute_batch(sql).map_err(|e| e.to_string()))
}

/// Runs raw SQL, for planting rows the services would refuse (hostile text, legacy data).
pub fn execute(path: &Path, sql: &str) {
    with_db(path, |db| db.execute_batch(sql).expect("raw SQL"));
}

/// Runs `work` and returns the SQL of every statement the store prepared meanwhile (this thread).
pub fn statements_of<T>(work: impl FnOnce() -> T) -> (T, Vec<String>) {
    crate::store::statements_of(work)
}

/// SQLite's plan for `sql` (parameters unbound), one step per line: `SCAN l USING INDEX ...`.
pub fn query_plan(path: &Path, sql: &str) -> String {
    let conn = rusqlite::Connection::open(path).expect("open database");
    // The search reads the vocabulary through a table each connection makes for itself.
    conn.execute_batch(crate::store::SEARCH_TERMS)
        .expect("the search vocabulary");
    let mut stmt = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("explain");
    let mut rows = stmt.raw_query();
    let mut steps = Vec::new();
    while let Some(row) = rows.next().expect("plan row") {
        steps.push(row.get::<_, String>(3).expect("plan detail"));
    }
    steps.join("\n")
}

/// One integer from raw SQL, for checking a service's figure against a direct query.
pub fn count(path: &Path, sql: &str) -> i64 {
    with_db(path, |db| {
        db.query_row(sql, [], |r| r.get(0)).expect("one integer")
    })
}

/// A real SMTP server on loopback, small enough to read: it accepts every message and keeps
/// the raw DATA of each for the test to inspect. Stops when dropped.
pub struct SmtpListener {
    pub port: u16,
    received: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl SmtpListener {
    pub fn start() -> SmtpListener {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::{Arc, Mutex};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("addr").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (store, halt) = (received.clone(), stop.clone());
        std::thread::spawn(move || {
            // Bounded: the listener lives at most a minute even if a test forgets it.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
            while !halt.load(Ordering::Relaxed) && std::time::Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        stream.set_nonblocking(false).expect("blocking");
                        let _ = serve(stream, &store);
                    }
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(10)),
                }
            }
        });
        SmtpListener {
            port,
            received,
            stop,
        }
    }

    /// The raw messages received so far.
    pub fn messages(&self) -> Vec<String> {
        self.received.lock().expect("lock").clone()
    }
}

impl Drop for SmtpListener {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

fn serve(
    stream: std::net::TcpStream,
    store: &std::sync::Mutex<Vec<String>>,
) -> std::io::Result<()> {
    use std::io::{BufRead, BufReader, Write};
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let mut out = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    out.write_all(b"220 localhost test SMTP\r\n")?;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" | "HELO" => out.write_all(b"250-localhost\r\n250 8BITMIME\r\n")?,
            "DATA" => {
                out.write_all(b"354 end with <CRLF>.<CRLF>\r\n")?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line)? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(&line);
                }
                store.lock().expect("lock").push(data);
                out.write_all(b"250 queued\r\n")?;
            }
            "QUIT" => {
                out.write_all(b"221 bye\r\n")?;
                return Ok(());
            }
            _ => out.write_all(b"250 ok\r\n")?,
        }
    }
}

/// One HTTP request a [`HttpReceiver`] took.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Received {
    /// What a webhook's receiver checks, written here from the documentation rather than
    /// from the sender's code: `X-CRM-Signature` is `sha256=` and the hex HMAC-SHA256 of
    /// `"{X-CRM-Timestamp}.{body}"` under the secret.
    pub fn signed_with(&self, secret: &str) -> bool {
        use hmac::Mac;
        use std::fmt::Write;
        let Some(timestamp) = self.header("x-crm-timestamp") else {
            return false;
        };
        let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(secret.as_bytes())
            .expect("HMAC takes any key");
        mac.update(format!("{timestamp}.{}", self.body).as_bytes());
        let hex = mac
            .finalize()
            .into_bytes()
            .iter()
            .fold(String::new(), |mut hex, b| {
                let _ = write!(hex, "{b:02x}");
                hex
            });
        self.header("x-crm-signature") == Some(format!("sha256={hex}").as_str())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct ReceiverState {
    received: Vec<Received>,
    /// Statuses to answer before answering 200.
    statuses: std::collections::VecDeque<u16>,
    /// While set, requests are recorded but not answered.
    held: bool,
}

/// A real HTTP server on loopback that a webhook is pointed at: it records every request and
/// answers 200, or the statuses it is told to first, or nothing while held. Each connection
/// is served on its own thread; it stops taking connections when dropped.
pub struct HttpReceiver {
    pub url: String,
    state: std::sync::Arc<(std::sync::Mutex<ReceiverState>, std::sync::Condvar)>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl HttpReceiver {
    pub fn start() -> HttpReceiver {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::{Arc, Condvar, Mutex};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("addr").port();
        let state = Arc::new((Mutex::new(ReceiverState::default()), Condvar::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (shared, halt) = (state.clone(), stop.clone());
        std::thread::spawn(move || {
            // Bounded: the receiver lives at most two minutes even if a test forgets it.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
            while !halt.load(Ordering::Relaxed) && std::time::Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let shared = shared.clone();
                        std::thread::spawn(move || {
                            let _ = answer(stream, &shared);
                        });
                    }
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(5)),
                }
            }
        });
        HttpReceiver {
            url: format!("http://127.0.0.1:{port}/hooks/crm"),
            state,
            stop,
        }
    }

    /// Answer these statuses to the next requests, then 200 again.
    pub fn answer_next(&self, statuses: &[u16]) {
        let mut state = self.state.0.lock().expect("lock");
        state.statuses.extend(statuses);
    }

    /// Record requests without answering them until `release`.
    pub fn hold(&self) {
        self.state.0.lock().expect("lock").held = true;
    }

    pub fn release(&self) {
        self.state.0.lock().expect("lock").held = false;
        self.state.1.notify_all();
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.0.lock().expect("lock").received.clone()
    }

    /// The requests once there are at least `count`, waiting at most `timeout`.
    pub fn wait_for(&self, count: usize, timeout: std::time::Duration) -> Vec<Received> {
        let (lock, ready) = &*self.state;
        let state = lock.lock().expect("lock");
        let (state, _) = ready
            .wait_timeout_while(state, timeout, |s| s.received.len() < count)
            .expect("lock");
        state.received.clone()
    }
}

impl Drop for HttpReceiver {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.release();
    }
}

fn answer(
    stream: std::net::TcpStream,
    shared: &(std::sync::Mutex<ReceiverState>, std::sync::Condvar),
) -> std::io::Result<()> {
    use std::io::{BufRead, BufReader, Read, Write};
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let mut out = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.trim_end().split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let (lock, ready) = shared;
    let mut state = lock.lock().expect("lock");
    state.received.push(Received {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    ready.notify_all();
    let mut state = ready.wait_while(state, |s| s.held).expect("lock");
    let status = state.statuses.pop_front().unwrap_or(200);
    drop(state);
    write!(
        out,
        "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
}

/// Pieces hostile text is made of: escape sequences that repaint, retitle or reprogram a
/// terminal, C0 and C1 controls, bidi overrides, line breaks, spreadsheet formula starts, CSV
/// quoting, and plain multi-byte text for them to hide in.
const HOSTILE_PIECES: &[&str] = &[
    "\u{1b}[2J",
    "\u{1b}[31m",
    "\u{1b}[1;1H",
    "\u{1b}[?1049h",
    "\u{1b}[6n",
    "\u{1b}]0;owned\u{7}",
    "\u{1b}]8;;https://evil.example/\u{1b}\\click\u{1b}]8;;\u{1b}\\",
    "\u{1b}]52;c;cHduZWQ=\u{7}",
    "\u{1b}P+q544e\u{1b}\\",
    "\u{1b}c",
    "\u{1b}",
    "\u{9b}2J",
    "\u{9d}0;title\u{9c}",
    "\u{85}",
    "\u{0}",
    "\u{7}",
    "\u{8}",
    "\u{7f}",
    "\r\n",
    "\n",
    "\r",
    "\t",
    "\u{2028}",
    "\u{202e}",
    "\u{202d}",
    "\u{2066}",
    "\u{2069}",
    "\u{200f}",
    "\u{61c}",
    "=",
    "+",
    "-",
    "@",
    "'=",
    "=HYPERLINK(\"https://evil.example/\",\"x\")",
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    ",",
    "\"",
    "\"\"",
    ";",
    " ",
    "Aarav",
    "Müller",
    "東京",
    "🙂",
    "Sharma, Aarav",
    "O'Brien",
];

/// `count` strings of hostile text, the same for the same `seed`: each one to six
/// [`HOSTILE_PIECES`], and about one in ten with a run of 150 to 5,000 characters (very long
/// lines, some just under and some far over the single-line limit).
pub fn hostile_strings(count: usize, seed: u64) -> Vec<String> {
    let mut state = seed;
    // SplitMix64: deterministic and dependency-free.
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        usize::try_from((z ^ (z >> 31)) >> 33).expect("31 bits fit")
    };
    (0..count)
        .map(|_| {
            let mut text = String::new();
            for _ in 0..=next() % 6 {
                text.push_str(HOSTILE_PIECES[next() % HOSTILE_PIECES.len()]);
            }
            if next() % 10 == 0 {
                let run = 150 + next() % 4_850;
                text.insert_str(0, &"long ".repeat(run / 5));
            }
            text
        })
        .collect()
}

/// The characters of `text` that act on a terminal instead of being drawn: C0 and C1 controls
/// (line feed aside, which ends a line of output), DEL, and the bidi controls that reorder what
/// follows them.
pub fn terminal_hazards(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{61c}')
        })
        .collect()
}

/// The stored text the front ends draw: names, companies, titles, subjects, notes, feed
/// summaries, campaign and user names, as (table, column).
pub const DRAWN_TEXT: [(&str, &str); 13] = [
    ("leads", "first_name"),
    ("leads", "company"),
    ("contacts", "last_name"),
    ("contacts", "company"),
    ("deals", "title"),
    ("tickets", "subject"),
    ("tasks", "title"),
    ("notes", "body"),
    ("activities", "summary"),
    ("campaigns", "name"),
    ("users", "display_name"),
    ("companies", "name"),
    ("companies", "domain"),
];

/// Sets `table.column` of each `(id, text)` row to the text, bound as a parameter (hostile text
/// holds quotes and NULs), in one transaction: text the services would refuse, as another
/// tool, an old version or a hand-edited backup might have left it.
pub fn plant(path: &Path, table: &str, column: &str, rows: &[(i64, String)]) {
    with_db(path, |db| {
        // The feed is append-only; only an erasure may rewrite a summary, so plant as one.
        db.execute_batch(
            "BEGIN; INSERT INTO erasure_window (id) VALUES (1) ON CONFLICT DO NOTHING",
        )
        .expect("open the erasure window");
        {
            let mut stmt = db
                .prepare(&format!(
                    "UPDATE \"{table}\" SET \"{column}\" = ?2 WHERE id = ?1"
                ))
                .expect("prepare plant");
            for (id, text) in rows {
                assert_eq!(
                    stmt.execute(crate::store::sql::params![id, text])
                        .expect("plant"),
                    1,
                    "no {table} {id}"
                );
            }
        }
        db.execute_batch("DELETE FROM erasure_window; COMMIT")
            .expect("close the erasure window");
    });
}

/// Every row `sql` returns, each cell as text (NULL as the empty string, numbers in decimal),
/// for comparing stored text exactly.
pub fn rows(path: &Path, sql: &str) -> Vec<Vec<String>> {
    with_db(path, |db| {
        let mut stmt = db.prepare(sql).expect("prepare");
        let columns = stmt.column_names().len();
        stmt.query_map([], |row| {
            (0..columns)
                .map(|i| {
                    Ok(match row.get_ref(i)? {
                        ValueRef::Null => String::new(),
                        ValueRef::Integer(n) => n.to_string(),
                        ValueRef::Real(x) => x.to_string(),
                        ValueRef::Text(t) => t.to_string(),
                        ValueRef::Blob(b) => format!("blob({} bytes)", b.len()),
                    })
                })
                .collect()
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
    })
}
