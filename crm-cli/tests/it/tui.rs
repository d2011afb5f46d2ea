//! The real `crm tui` in a real terminal (tmux): log in, open the pipeline, move a deal, quit.
//! The move must be in the database and the terminal must be given back as it was.

use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::env::TestEnv;

/// One tmux server per test, on its own socket, killed when dropped.
pub(crate) struct Tmux {
    socket: String,
}

impl Tmux {
    pub(crate) fn start(command: &str, width: u16, height: u16) -> Tmux {
        // One socket per terminal: tests run side by side in one process.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let socket = format!("crm-e2e-{}-{n}", std::process::id());
        let status = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "crm",
            ])
            .args(["-x", &width.to_string(), "-y", &height.to_string(), command])
            .status()
            .expect("tmux must be installed for the end-to-end test (.ci/run installs it)");
        assert!(status.success());
        Tmux { socket }
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub(crate) fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "crm"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "crm"])
    }

    /// Waits until the screen shows `text`; fails with the screen after 20 s.
    pub(crate) fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "never saw {text:?}; the screen was:\n{screen}"
            );
            sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

#[test]
fn log_in_move_a_deal_on_the_board_and_quit_in_a_real_terminal() {
    let env = TestEnv::new();
    env.ok(&["demo", "--no-tui"], "");
    let db = env.db();
    let in_stage = |stage: &str| {
        crm_core::testing::count(
            &db,
            &format!(
                "SELECT count(*) FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id \
                 WHERE s.name = '{stage}'"
            ),
        )
    };
    let admin_moves = || {
        crm_core::testing::count(
            &db,
            "SELECT count(*) FROM deal_stage_history h JOIN users u ON u.id = h.actor_id \
             WHERE u.username = 'admin' \
             AND h.to_stage_id = (SELECT id FROM pipeline_stages WHERE name = 'Qualified')",
        )
    };
    let (new_before, qualified_before) = (in_stage("New"), in_stage("Qualified"));
    let moves_before = admin_moves();

    let command = format!(
        "env -i HOME={home} XDG_STATE_HOME={home}/state CRM_DB={db} CRM_NOW=2026-03-01T09:00:00Z \
         TERM=xterm-256color {bin} tui; echo EXIT=$?; sleep 60",
        home = env.dir.path().display(),
        db = db.display(),
        bin = assert_cmd::cargo::cargo_bin("crm").display(),
    );
    let tmux = Tmux::start(&command, 120, 36);
    tmux.wait_for("Log in");
    tmux.keys(&["admin", "Tab", crm_core::DEMO_PASSWORD, "Enter"]);
    // The admin's first login opens the walkthrough; Esc skips it.
    tmux.wait_for("Welcome");
    tmux.keys(&["Escape"]);
    // The dashboard's own footer, not the walkthrough's: the dialog is gone. (Sending the next key
    // sooner would let the terminal read Escape and "5" as one Alt-5 sequence.)
    tmux.wait_for("p pipeline");
    tmux.keys(&["5"]);
    tmux.wait_for("New (");
    tmux.keys(&[">"]);
    let moved = tmux.wait_for("moved to Qualified");
    assert!(
        moved.contains(&format!("Qualified ({})", qualified_before + 1)),
        "{moved}"
    );
    tmux.keys(&["q"]);
    let after = tmux.wait_for("EXIT=0");

    // The TUI left the alternate screen and gave the mouse back.
    assert!(
        !after.contains("Deals per stage") && !after.contains("Qualified ("),
        "{after}"
    );
    assert_eq!(
        tmux.run(&["display-message", "-p", "-t", "crm", "#{alternate_on}"])
            .trim(),
        "0"
    );
    assert_eq!(
        tmux.run(&["display-message", "-p", "-t", "crm", "#{mouse_any_flag}"])
            .trim(),
        "0"
    );

    assert_eq!(in_stage("New"), new_before - 1);
    assert_eq!(in_stage("Qualified"), qualified_before + 1);
    assert_eq!(
        admin_moves(),
        moves_before + 1,
        "the move is recorded as the admin's"
    );
    // The session opened by the TUI's login ended when it closed.
    assert_eq!(
        crm_core::testing::count(&db, "SELECT count(*) FROM sessions"),
        0
    );
}
