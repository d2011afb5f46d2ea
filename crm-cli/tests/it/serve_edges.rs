//! `crm serve` at its edges: HTTPS with a certificate, and clients that send too slowly.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::Duration;

use crate::env::TestEnv;
use crate::serve::{Server, call};

/// Whether the tools a test needs are here; missing ones skip the test locally and fail it
/// under CI, where `.ci/run` installs them.
pub(crate) fn have(tools: &[&str]) -> bool {
    let missing: Vec<&&str> = tools
        .iter()
        .filter(|tool| {
            std::process::Command::new("sh")
                .args(["-c", &format!("command -v {tool}")])
                .stdout(Stdio::null())
                .status()
                .map_or(true, |s| !s.success())
        })
        .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must have {missing:?} (.ci/run installs them)"
    );
    eprintln!("skipped: {missing:?} not installed");
    false
}

/// With a certificate and key the server speaks HTTPS only; curl checks the certificate.
#[test]
fn with_a_certificate_the_server_speaks_https() {
    if !have(&["openssl", "curl"]) {
        return;
    }
    let env = TestEnv::with_admin();
    let (cert, key) = (
        env.dir.path().join("cert.pem"),
        env.dir.path().join("key.pem"),
    );
    let made = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args([
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(made.success());
    let server = Server::start_with(
        &env,
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    assert!(server.base.starts_with("https://"), "{}", server.base);
    let curl = |url: &str| {
        std::process::Command::new("curl")
            .args(["-s", "--max-time", "10", "--cacert"])
            .arg(&cert)
            .arg(url)
            .output()
            .unwrap()
    };
    let out = curl(&server.url("/healthz"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ok\n");
    let plain = curl(&server.url("/healthz").replace("https://", "http://"));
    assert!(
        !String::from_utf8_lossy(&plain.stdout).contains("ok"),
        "plain HTTP is not answered on the TLS port"
    );
    assert!(server.stop().success());
}

/// A client that opens a connection and sends nothing is cut off after the header timeout
/// (10 s), and others are served meanwhile.
#[test]
fn a_silent_client_is_cut_off_and_others_are_served_meanwhile() {
    let env = TestEnv::with_admin();
    let server = Server::start(&env);
    let address = server.base.trim_start_matches("http://").to_string();
    let mut silent = TcpStream::connect(&address).unwrap();
    silent
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let started = std::time::Instant::now();
    let (status, _) = call("GET", &server.url("/readyz"), None, None);
    assert_eq!(status, 200);
    silent
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut rest = Vec::new();
    let _ = silent.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(9) && waited < Duration::from_secs(25),
        "closed after {waited:?}"
    );
    assert!(server.stop().success());
}

/// Clients that hang up while their request runs do not cost the server its databases: with
/// one connection, many requests abandoned at once, then the next request is still served (the
/// pool used to lose the database of every request dropped during its work, and answered 503
/// to everything after; the load test found it).
#[test]
fn clients_that_hang_up_mid_request_leave_the_pool_whole() {
    let env = TestEnv::with_admin();
    let server = Server::start_with(&env, &["--connections", "1"]);
    let address = server.base.trim_start_matches("http://").to_string();
    let body = r#"{"username": "root", "password": "wrong-password-1"}"#;
    let request = format!(
        "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    for _ in 0..5 {
        let clients: Vec<_> = (0..16)
            .map(|_| {
                let (address, request) = (address.clone(), request.clone());
                std::thread::spawn(move || {
                    let mut stream = TcpStream::connect(&address).unwrap();
                    stream.write_all(request.as_bytes()).unwrap();
                    // The password checks queue on the one database; the client leaves first.
                    std::thread::sleep(Duration::from_millis(20));
                })
            })
            .collect();
        for client in clients {
            client.join().unwrap();
        }
    }
    std::thread::sleep(Duration::from_millis(500));
    let (status, body) = call("GET", &server.url("/readyz"), None, None);
    assert_eq!(status, 200, "{body}");
    assert!(server.stop().success());
}

/// A port already taken is one line that says so, once, and exit 1.
#[test]
fn a_taken_port_is_one_clear_line() {
    let env = TestEnv::with_admin();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let err = env.fails(&["serve", "--listen", &address], "");
    assert!(
        err.starts_with(&format!("error: cannot listen on {address}: ")),
        "{err}"
    );
    assert_eq!(err.matches("in use").count(), 1, "{err}");
}
