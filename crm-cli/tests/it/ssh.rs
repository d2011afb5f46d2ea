//! A team server over a real OpenSSH: the test starts its own `sshd` on a loopback port, with
//! its own host key, config and `AuthorizedKeysFile` (written by `crm keys`), and talks to it
//! with the real `ssh` client and keys it makes. Each key opens `crm` as its user.

use std::fmt::Write as _;
use std::io::Write as _;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::env::TestEnv;
use crate::serve_edges::have;

/// A running sshd, stopped by its pid when dropped.
struct Sshd {
    port: u16,
    dir: PathBuf,
    child: Child,
}

fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program).args(args).output().unwrap()
}

impl Sshd {
    /// Starts sshd for this test, or None when it cannot run here (skipped locally, a failure
    /// under CI).
    fn start(env: &TestEnv) -> Option<Sshd> {
        let root = run("id", &["-u"]).stdout == b"0\n";
        if !have(&["/usr/sbin/sshd", "ssh", "ssh-keygen"]) {
            return None;
        }
        if !root {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI runs the tests as root"
            );
            eprintln!("skipped: sshd needs root to switch users");
            return None;
        }
        std::fs::create_dir_all("/run/sshd").unwrap();
        let dir = env.dir.path().join("sshd");
        std::fs::create_dir_all(&dir).unwrap();
        let host_key = dir.join("host_key");
        run(
            "ssh-keygen",
            &[
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-f",
                host_key.to_str().unwrap(),
            ],
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let user = String::from_utf8(run("id", &["-un"]).stdout).unwrap();
        let config = dir.join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nPidFile {}\n\
                 AuthorizedKeysFile {}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n\
                 KbdInteractiveAuthentication no\nPubkeyAuthentication yes\n\
                 PermitRootLogin prohibit-password\nAllowUsers {}\nLogLevel VERBOSE\n",
                host_key.display(),
                dir.join("sshd.pid").display(),
                dir.join("authorized_keys").display(),
                user.trim()
            ),
        )
        .unwrap();
        let child = Command::new("/usr/sbin/sshd")
            .args(["-D", "-e", "-f", config.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("sshd.log")).unwrap())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "sshd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Sshd { port, dir, child })
    }

    fn authorized_keys(&self) -> PathBuf {
        self.dir.join("authorized_keys")
    }

    /// A new key pair for `name`; the path of its private key.
    fn key(&self, name: &str) -> PathBuf {
        let path = self.dir.join(name);
        run(
            "ssh-keygen",
            &[
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-C",
                &format!("{name}@laptop"),
                "-f",
                path.to_str().unwrap(),
            ],
        );
        path
    }

    /// `ssh host COMMAND` with `key`, standard input from `input`.
    fn ssh(&self, key: &Path, command: &str, input: &[u8]) -> Output {
        let user = String::from_utf8(run("id", &["-un"]).stdout).unwrap();
        let mut child = Command::new("ssh")
            .args([
                "-F",
                "/dev/null",
                "-i",
                key.to_str().unwrap(),
                "-p",
                &self.port.to_string(),
            ])
            .args([
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
            ])
            .args([
                "-o",
                "BatchMode=yes",
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "LogLevel=ERROR",
            ])
            .arg("--")
            .arg(format!("{}@127.0.0.1", user.trim()))
            .arg(command)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let input = input.to_vec();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        out
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A server with reps asha and ravi and manager meera, each with a key.
fn team(env: &TestEnv, sshd: &Sshd) -> [PathBuf; 3] {
    let file = sshd.authorized_keys();
    let file = file.to_str().unwrap();
    let mut keys = Vec::new();
    for (user, role) in [
        ("asha", "sales_rep"),
        ("ravi", "sales_rep"),
        ("meera", "manager"),
    ] {
        env.add_user(user, role);
        let key = sshd.key(user);
        let public = format!("{}.pub", key.display());
        env.ok(
            &["keys", "add", user, &public, "--authorized-keys", file],
            "",
        );
        keys.push(key);
    }
    [keys[0].clone(), keys[1].clone(), keys[2].clone()]
}

#[test]
fn each_key_works_as_its_user_and_only_sees_what_that_user_may() {
    let env = TestEnv::with_admin();
    let Some(sshd) = Sshd::start(&env) else {
        return;
    };
    let [asha, ravi, meera] = team(&env, &sshd);
    env.ok(
        &["leads", "add", "--first-name", "Aarav", "--owner", "asha"],
        "",
    );
    env.ok(
        &["leads", "add", "--first-name", "Ishaan", "--owner", "ravi"],
        "",
    );

    let whoami = sshd.ssh(&asha, "whoami", b"");
    assert!(whoami.status.success(), "{}", text(&whoami.stderr));
    assert!(
        text(&whoami.stdout).contains("asha"),
        "{}",
        text(&whoami.stdout)
    );
    let names = |key: &Path| -> Vec<String> {
        let out = sshd.ssh(key, "leads list --output json", b"");
        assert!(out.status.success(), "{}", text(&out.stderr));
        let leads: Value = serde_json::from_slice(&out.stdout).unwrap();
        leads
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["first_name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&asha), ["Aarav"]);
    assert_eq!(names(&ravi), ["Ishaan"]);
    let mut all = names(&meera);
    all.sort();
    assert_eq!(all, ["Aarav", "Ishaan"]);
    let feed = env.ok(&["activity", "--limit", "50"], "");
    assert!(
        feed.contains("asha logged in over SSH with key SHA256:"),
        "{feed}"
    );

    let mode = |p: &Path| {
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(p).unwrap().permissions())
            & 0o777
    };
    assert_eq!(mode(&sshd.authorized_keys()), 0o600);
    assert_eq!(mode(&env.db()), 0o600);
}

#[test]
fn import_and_export_pass_through_the_pipe_byte_for_byte() {
    let env = TestEnv::with_admin();
    let Some(sshd) = Sshd::start(&env) else {
        return;
    };
    let [asha, _, _] = team(&env, &sshd);
    let mut csv = String::from("first_name,last_name,email,notes\n");
    for i in 0..300 {
        let _ = writeln!(
            csv,
            "Lead{i},Piped,lead{i}@pipe.example,\"line one\nline two, \"\"quoted\"\"\""
        );
    }
    let imported = sshd.ssh(&asha, "import leads -", csv.as_bytes());
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    let exported = sshd.ssh(&asha, "export leads", b"");
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    env.login("asha", "asha-password-1");
    let local = env.crm(&["export", "leads"]).output().unwrap();
    assert_eq!(
        text(&exported.stdout),
        text(&local.stdout),
        "the same bytes as on the server"
    );
    assert_eq!(text(&exported.stdout).matches("@pipe.example").count(), 300);
}

#[test]
fn removed_keys_disabled_users_and_unknown_keys_get_nothing() {
    let env = TestEnv::with_admin();
    let Some(sshd) = Sshd::start(&env) else {
        return;
    };
    let [asha, ravi, _] = team(&env, &sshd);
    let stranger = sshd.key("stranger");
    let refused = sshd.ssh(&stranger, "whoami", b"");
    assert!(!refused.status.success());
    assert!(!text(&refused.stdout).contains("stranger"));

    // A line someone wrote by hand outside the block stays through every rewrite.
    let file = sshd.authorized_keys();
    let mut text_now = std::fs::read_to_string(&file).unwrap();
    text_now.insert_str(0, "# the admin's own note\n");
    std::fs::write(&file, &text_now).unwrap();

    let fingerprint = |user: &str| {
        let keys: Value =
            serde_json::from_str(&env.ok(&["keys", "list", "--output", "json"], "")).unwrap();
        keys.as_array()
            .unwrap()
            .iter()
            .find(|k| k["user"] == user)
            .unwrap()["fingerprint"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let f = file.to_str().unwrap();
    env.ok(
        &[
            "keys",
            "remove",
            &fingerprint("asha"),
            "--authorized-keys",
            f,
        ],
        "",
    );
    assert!(
        !sshd.ssh(&asha, "whoami", b"").status.success(),
        "a removed key is out"
    );
    assert!(sshd.ssh(&ravi, "whoami", b"").status.success());

    std::fs::create_dir_all(env.dir.path().join("config/crm")).unwrap();
    let doctor = |env: &TestEnv| {
        let out = env
            .crm(&["doctor", "--authorized-keys", f, "--output", "json"])
            .output()
            .unwrap();
        let checkup: Value = serde_json::from_slice(&out.stdout).unwrap();
        let check = checkup["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "ssh keys")
            .unwrap()
            .clone();
        (
            check["status"].as_str().unwrap().to_string(),
            check["detail"].as_str().unwrap().to_string(),
        )
    };
    let (status, detail) = doctor(&env);
    assert_eq!(status, "ok", "{detail}");
    assert!(detail.contains("matches the 2 key(s)"), "{detail}");
    env.ok(&["users", "disable", "ravi"], "");
    // `users disable` rewrites the file the config names; this one is elsewhere, so it still
    // lets ravi in, and `crm doctor` says so.
    let (status, detail) = doctor(&env);
    assert_eq!(status, "failed", "{detail}");
    assert!(detail.contains("run `crm keys sync`"), "{detail}");
    env.ok(&["keys", "sync", "--authorized-keys", f], "");
    assert_eq!(doctor(&env).0, "ok");
    assert!(
        !sshd.ssh(&ravi, "whoami", b"").status.success(),
        "a disabled user is out"
    );
    let now = std::fs::read_to_string(&file).unwrap();
    assert!(now.starts_with("# the admin's own note\n"), "{now}");
    assert!(
        !now.contains("asha@laptop") && !now.contains("ravi@laptop"),
        "{now}"
    );
}

#[test]
fn what_is_typed_after_ssh_runs_no_shell_and_nothing_past_the_users_rights() {
    let env = TestEnv::with_admin();
    let Some(sshd) = Sshd::start(&env) else {
        return;
    };
    let [asha, _, _] = team(&env, &sshd);
    let marker = env.dir.path().join("pwned");
    let before = env.dump();
    // As long as one argument of the ssh client may be (Linux takes 128 KiB in one), twice
    // what the shell takes.
    let long = format!("search {}", "x".repeat(120_000));
    for attack in [
        format!("whoami; touch {}", marker.display()),
        format!("whoami $(touch {})", marker.display()),
        format!("whoami `touch {}`", marker.display()),
        format!("whoami && touch {}", marker.display()),
        "leads list --db /etc/passwd".to_string(),
        "--db=/tmp/other.db leads list".to_string(),
        "shell admin --key SHA256:x".to_string(),
        "keys list".to_string(),
        "init --admin-password-stdin".to_string(),
        "backup /tmp/stolen.db".to_string(),
        "login root".to_string(),
        "leads list 'unclosed".to_string(),
        long,
    ] {
        let out = sshd.ssh(&asha, &attack, b"");
        let shown: String = attack.chars().take(60).collect();
        assert!(!out.status.success(), "{shown}: {}", text(&out.stdout));
        assert!(!text(&out.stdout).contains("uid="), "{shown}");
        let err = text(&out.stderr);
        assert!(err.trim().lines().count() <= 3, "{shown}: {err}");
    }
    assert!(!marker.exists(), "no shell ran");
    assert!(!Path::new("/tmp/stolen.db").exists());
    // Only the feed's login lines were written.
    let after = env.dump();
    let changed: Vec<&str> = after
        .lines()
        .filter(|l| !before.contains(l))
        .filter(|l| !l.starts_with("activities:"))
        .collect();
    assert!(changed.is_empty(), "{changed:?}");
}

/// `ssh -tt` in a real terminal (tmux): the rep's own dashboard, straight away, and `q` gives
/// the terminal back and ends the connection.
#[test]
fn the_tui_over_ssh_opens_on_the_reps_dashboard_and_quits_cleanly() {
    let env = TestEnv::with_admin();
    let Some(sshd) = Sshd::start(&env) else {
        return;
    };
    if !have(&["tmux"]) {
        return;
    }
    let [asha, _, _] = team(&env, &sshd);
    env.ok(
        &["leads", "add", "--first-name", "Aarav", "--owner", "asha"],
        "",
    );
    let user = String::from_utf8(run("id", &["-un"]).stdout).unwrap();
    let command = format!(
        "TERM=xterm-256color ssh -tt -F /dev/null -i {} -p {} -o StrictHostKeyChecking=no \
         -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o LogLevel=ERROR \
         -- {}@127.0.0.1; echo EXIT=$?; sleep 60",
        asha.display(),
        sshd.port,
        user.trim()
    );
    let tmux = crate::tui::Tmux::start(&command, 120, 36);
    // No login screen: the key said who this is. A first visit opens the walkthrough.
    tmux.wait_for("Welcome");
    tmux.keys(&["Escape"]);
    let dashboard = tmux.wait_for("p pipeline");
    assert!(dashboard.contains("asha"), "{dashboard}");
    assert!(!dashboard.contains("Log in"), "{dashboard}");
    tmux.keys(&["q"]);
    tmux.wait_for("EXIT=0");
}
