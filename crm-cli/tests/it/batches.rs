//! `crm import history` and `crm import undo` on the real binary.

use std::fmt::Write as _;

use crm_core::testing::count;

use crate::env::TestEnv;

#[test]
fn history_lists_each_import_and_undo_takes_one_back() {
    let env = TestEnv::with_admin();
    let file = crate::transfer::fixture("duplicate-contacts.csv");
    let before = env.dump();
    let out = env
        .crm(&["import", "contacts", &file, "--on-duplicate", "add"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr)
            .matches("import batch 1; take it back with: crm import undo 1")
            .count(),
        1,
        "said once: {out:?}"
    );
    let history = env.json(&["import", "history"]);
    assert_eq!(history[0]["id"], 1);
    assert_eq!(history[0]["inserted"], 11);
    assert_eq!(history[0]["imported_by"], "root");
    assert!(
        history[0]["file_name"]
            .as_str()
            .unwrap()
            .ends_with("duplicate-contacts.csv")
    );

    // A sales rep sees only their own imports and cannot undo someone else's.
    env.add_user("asha", "sales_rep");
    env.login("asha", "asha-password-1");
    assert_eq!(env.json(&["import", "history"]), serde_json::json!([]));
    let err = env.fails(&["import", "undo", "1"], "");
    assert!(err.contains("may not undo import batch 1"), "{err}");

    env.login("root", crate::env::ADMIN_PW);
    let companies = count(&env.db(), "SELECT count(*) FROM companies");
    assert!(companies > 0, "the import linked its rows to companies");
    let out = env.ok(&["import", "undo", "1"], "");
    assert!(
        out.trim().ends_with(&format!(
            "11 contacts removed, 0 restored, {companies} company(ies) it created removed"
        )),
        "{out}"
    );
    assert_eq!(count(&env.db(), "SELECT count(*) FROM contacts"), 0);
    assert_eq!(count(&env.db(), "SELECT count(*) FROM companies"), 0);
    let kept = |dump: &str| {
        dump.lines()
            .filter(|l| {
                [
                    "contacts:",
                    "contact_tags:",
                    "deals:",
                    "notes:",
                    "tasks:",
                    "leads:",
                ]
                .iter()
                .any(|t| l.starts_with(t))
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(kept(&env.dump()), kept(&before));
    let err = env.fails(&["import", "undo", "1"], "");
    assert_eq!(err, "error: import batch 1 was already undone");
    let err = env.fails(&["import", "undo", "9"], "");
    assert_eq!(err, "error: import batch 9 not found");
}

/// Issue 20: an undo takes back exactly its own batch while others write. Two processes import
/// at once into one file, then one import is undone: the other's rows are all there and the
/// undone batch's are all gone.
#[test]
fn two_imports_at_once_then_one_undone_leaves_the_other_whole() {
    let env = TestEnv::with_admin();
    let file = |tag: &str| {
        let path = env.dir.path().join(format!("{tag}.csv"));
        let mut text = String::from("first_name,email\n");
        for i in 0..3_000 {
            let _ = writeln!(text, "{tag}{i},{tag}{i}@example.com");
        }
        std::fs::write(&path, text).unwrap();
        path
    };
    let (a, b) = (file("alpha"), file("beta"));
    let children: Vec<_> = [&a, &b]
        .iter()
        .map(|path| {
            env.process(&["import", "leads", path.to_str().unwrap()])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let batch_of = |tag: &str| -> i64 {
        let history = env.json(&["import", "history"]);
        let batch = history
            .as_array()
            .unwrap()
            .iter()
            .find(|b| {
                b["file_name"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("{tag}.csv"))
            })
            .unwrap();
        batch["id"].as_i64().unwrap()
    };
    let alpha = batch_of("alpha");
    env.ok(&["import", "undo", &alpha.to_string()], "");
    let leads = |tag: &str| {
        count(
            &env.db(),
            &format!("SELECT count(*) FROM leads WHERE first_name LIKE '{tag}%'"),
        )
    };
    assert_eq!(leads("alpha"), 0, "the undone batch is all gone");
    assert_eq!(leads("beta"), 3_000, "the other import is whole");
    assert!(env.ok(&["doctor"], "").contains("ok"));
}
