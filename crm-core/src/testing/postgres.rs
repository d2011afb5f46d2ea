//! A throwaway PostgreSQL server for the test suites, started by the first test that asks for
//! a database and gone when the test process ends: `initdb` into a temporary directory, the
//! server on a free loopback port, one migrated template database, and a fresh copy of it for
//! every test. `CRM_TEST_PG=postgres://user@host:port/db` uses that server instead.
//!
//! Without PostgreSQL's programs (and without `CRM_TEST_PG`) a test that asks is skipped with a
//! message; under `CI=true` it fails, so CI never passes by skipping.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// A server the tests may create databases on.
struct Server {
    /// The URL of a database to connect to for `CREATE DATABASE`, without its name.
    base: String,
    template: String,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
/// `CREATE DATABASE … TEMPLATE` refuses to copy a template another copy is reading.
static CREATING: Mutex<()> = Mutex::new(());
static NEXT: AtomicUsize = AtomicUsize::new(0);

/// The URL of a new, migrated, empty PostgreSQL database of its own; `None` (after saying so
/// on stderr) when no server can be had. Panics under `CI=true` instead of skipping.
pub fn database(test: &str) -> Option<String> {
    new_database(test, true)
}

/// As [`database`], but empty: no schema yet, for tests of migrating.
pub fn empty_database(test: &str) -> Option<String> {
    new_database(test, false)
}

fn new_database(test: &str, migrated: bool) -> Option<String> {
    let server = match SERVER.get_or_init(start) {
        Ok(server) => server,
        Err(why) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{test}: no PostgreSQL for the tests under CI: {why}"
            );
            eprintln!("{test}: skipped on PostgreSQL: {why}");
            return None;
        }
    };
    let name = format!(
        "crm_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let _one_at_a_time = CREATING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut admin =
        ::postgres::Client::connect(&format!("{}/postgres", server.base), ::postgres::NoTls)
            .expect("connect to the test server");
    admin
        .batch_execute(&format!(
            "CREATE DATABASE {name} TEMPLATE {}",
            if migrated {
                server.template.as_str()
            } else {
                "template0"
            }
        ))
        .expect("create a test database");
    Some(format!("{}/{name}", server.base))
}

fn start() -> Result<Server, String> {
    let base = match std::env::var("CRM_TEST_PG") {
        Ok(url) => url
            .rsplit_once('/')
            .map(|(base, _)| base.to_string())
            .ok_or_else(|| format!("CRM_TEST_PG={url} is not a database URL"))?,
        Err(_) => start_cluster()?,
    };
    let template = format!("crm_template_{}", std::process::id());
    let mut admin = ::postgres::Client::connect(&format!("{base}/postgres"), ::postgres::NoTls)
        .map_err(|e| format!("cannot connect to {base}: {e}"))?;
    admin
        .batch_execute(&format!("CREATE DATABASE {template}"))
        .map_err(|e| format!("cannot create a database on {base}: {e}"))?;
    drop(admin);
    // Migrating once here makes every test's copy ready at once.
    crate::Crm::open(Path::new(&format!("{base}/{template}")))
        .map_err(|e| format!("cannot migrate the template database: {e}"))?;
    Ok(Server { base, template })
}

/// The programs of the newest PostgreSQL installed the Debian way.
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").is_file())
        .collect();
    versions.sort();
    versions.pop()
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Runs `program` as the `postgres` account when the tests run as root (PostgreSQL refuses to
/// run as root), else as ourselves.
fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// `initdb` and the server, on a free port; a watcher stops the server and removes its files
/// when this test process is gone.
fn start_cluster() -> Result<String, String> {
    let bin = bin_dir().ok_or("PostgreSQL's programs are not installed (/usr/lib/postgresql)")?;
    let dir = std::env::temp_dir().join(format!("crm-test-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    if is_root() {
        let chown = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(&dir)
            .status()
            .map_err(|e| e.to_string())?;
        if !chown.success() {
            return Err("no postgres account to run the server as".into());
        }
    }
    let data = dir.join("data");
    let init = as_server_user(&bin.join("initdb"))
        .arg("-D")
        .arg(&data)
        .args([
            "-U",
            "crm",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ])
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run initdb: {e}"))?;
    if !init.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&init.stderr).trim()
        ));
    }
    let port = free_port()?;
    let watcher = format!(
        "'{postgres}' -D '{data}' -p {port} -k '{dir}' -c listen_addresses=127.0.0.1 \
         -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
         > '{dir}/server.log' 2>&1 & server=$!
         while [ -d /proc/{parent} ] && kill -0 $server 2>/dev/null; do sleep 0.5; done
         kill $server 2>/dev/null; wait $server; rm -rf '{dir}'",
        postgres = bin.join("postgres").display(),
        data = data.display(),
        dir = dir.display(),
        parent = std::process::id(),
    );
    as_server_user(Path::new("/bin/sh"))
        .args(["-c", &watcher])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let base = format!("postgres://crm@127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match ::postgres::Client::connect(&format!("{base}/postgres"), ::postgres::NoTls) {
            Ok(_) => return Ok(base),
            Err(e) if Instant::now() > deadline => {
                let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
                return Err(format!("the server did not start: {e}\n{log}"));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}
