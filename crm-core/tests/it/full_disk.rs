//! Red-team item 9 on a real full disk: a small tmpfs the test mounts (it needs root, as CI
//! runs; elsewhere it is skipped with a message, and fails under `CI=true`). While the database
//! cannot be written, every login fails alike (an unknown user, a wrong password and the right
//! one), the error says so once, and a backup to another disk succeeds and says that the feed
//! could not record it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crm_core::{Clock, Crm, Error, NewLead, NewUser, Role};

use crate::env::{PASSWORD, start};

/// A tmpfs of `size` mounted at a new directory, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if mounted {
            return Some(SmallDisk { dir });
        }
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs as root and must be able to mount a tmpfs for the full-disk test"
        );
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        None
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills what is left of the disk.
    fn fill(&self) {
        let filler = self.path().join("filler");
        let _ = Command::new("dd")
            .arg("if=/dev/zero")
            .arg(format!("of={}", filler.display()))
            .arg("bs=4k")
            .stderr(std::process::Stdio::null())
            .status();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[test]
fn a_full_disk_refuses_every_login_alike_and_a_backup_elsewhere_still_succeeds() {
    let Some(disk) = SmallDisk::mount("4m") else {
        return;
    };
    let path: PathBuf = disk.path().join("crm.db");
    let crm = Crm::open_with_clock(&path, Clock::Fixed(start())).unwrap();
    let root = NewUser {
        username: "root".into(),
        display_name: None,
        email: None,
        role: None,
    };
    crm.bootstrap_admin(&root, PASSWORD).unwrap();
    let (admin, _) = crm.login("root", PASSWORD).unwrap();
    let asha = NewUser {
        username: "asha".into(),
        role: Some(Role::SalesRep),
        ..root.clone()
    };
    crm.add_user(&admin, &asha, PASSWORD).unwrap();
    disk.fill();

    let lead = NewLead {
        first_name: "Kavya".into(),
        notes: Some("n".repeat(9_000)),
        ..NewLead::default()
    };
    let err = crm.add_lead(&admin, &lead).unwrap_err();
    let text = err.to_string();
    assert_eq!(
        text.matches("disk is full").count(),
        1,
        "the reason once, not three times: {text}"
    );
    assert!(
        std::error::Error::source(&err).is_none(),
        "no chain that repeats it"
    );

    let unknown = crm
        .login("nobody", "wrong-password")
        .unwrap_err()
        .to_string();
    let wrong = crm.login("asha", "wrong-password").unwrap_err().to_string();
    let right = crm.login("asha", PASSWORD).unwrap_err();
    assert!(matches!(right, Error::Database(_)), "{right}");
    assert_eq!(
        unknown, wrong,
        "an unknown user and a wrong password differ"
    );
    assert_eq!(right.to_string(), wrong, "the right password is told apart");

    let elsewhere = tempfile::tempdir().unwrap();
    let copy = elsewhere.path().join("backup.db");
    let made = crm.backup(&admin, &copy, false).unwrap();
    assert!(made.bytes > 0);
    assert!(
        made.unrecorded
            .as_deref()
            .is_some_and(|w| w.contains("disk is full")),
        "{made:?}"
    );
    let checkup = Crm::doctor(&copy).unwrap();
    assert!(checkup.healthy(), "{checkup:?}");
}
