//! Imports and exports over HTTP: a CSV upload imported (or tried) as `crm import` does it,
//! and exports streamed page by page, byte for byte what `crm export` writes.

use std::fmt::Write as _;

use serde_json::Value;

use crate::env::{ADMIN_PW, TestEnv};
use crate::serve::{Server, agent, login};

/// `rows` leads as a CSV file, the odd ones owned by asha.
fn leads_csv(rows: usize) -> String {
    let mut csv = String::from("first_name,last_name,email,company,owner,notes\n");
    for i in 0..rows {
        let owner = if i % 2 == 1 { "asha" } else { "" };
        let _ = writeln!(
            csv,
            "Lead{i},Volume,lead{i}@volume.example,Company {},{owner},\"=HYPERLINK(\"\"x\"\")\"",
            i % 50
        );
    }
    csv
}

fn upload(server: &Server, token: &str, path: &str, media: &str, body: &str) -> (u16, Value) {
    let mut response = agent()
        .post(server.url(path))
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", media)
        .send(body.as_bytes())
        .unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn download(server: &Server, token: &str, path: &str) -> (u16, String, String) {
    let mut response = agent()
        .get(server.url(path))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    let status = response.status().as_u16();
    let media = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let text = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .unwrap();
    (status, media, text)
}

#[test]
fn an_upload_is_tried_then_imported_and_a_bad_row_refuses_the_whole_file() {
    let env = TestEnv::with_admin();
    env.add_user("asha", "sales_rep");
    let server = Server::start(&env);
    let root = login(&server, "root", ADMIN_PW);
    let leads = || crm_core::testing::count(&env.db(), "SELECT count(*) FROM leads");
    // Over the 1 MiB a JSON body may have: a file streams past it.
    let file = leads_csv(20_000);
    assert!(file.len() > 1 << 20);

    let (status, tried) = upload(
        &server,
        &root,
        "/api/v1/imports/leads?dry_run=true",
        "text/csv",
        &file,
    );
    assert_eq!(status, 200, "{tried}");
    assert_eq!(
        (
            tried["report"]["rows"].as_u64(),
            tried["report"]["committed"].as_bool()
        ),
        (Some(20_000), Some(false))
    );
    assert_eq!(leads(), 0, "a dry run writes nothing");

    let (status, done) = upload(
        &server,
        &root,
        "/api/v1/imports/leads?file_name=volume.csv",
        "text/csv; charset=utf-8",
        &file,
    );
    assert_eq!(status, 201, "{done}");
    assert_eq!(done["report"]["inserted"], 20_000);
    assert!(done["report"]["batch"].is_i64(), "{done}");
    assert_eq!(leads(), 20_000);
    let history = env.ok(&["import", "history"], "");
    assert!(history.contains("volume.csv"), "{history}");

    let before = env.dump();
    let bad = "first_name,email\nGood,good@example.com\nBad,not-an-email\n";
    let (status, refused) = upload(&server, &root, "/api/v1/imports/leads", "text/csv", bad);
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"]["code"], "invalid_rows");
    assert_eq!(refused["problems"][0]["row"], 3);
    assert_eq!(refused["problems"][0]["column"], "email");
    assert_eq!(env.dump(), before, "one bad row and nothing is written");
    let (status, _) = upload(
        &server,
        &root,
        "/api/v1/imports/leads?skip_invalid=true",
        "text/csv",
        bad,
    );
    assert_eq!(status, 201);

    let (status, wrong) = upload(
        &server,
        &root,
        "/api/v1/imports/leads",
        "application/json",
        "{}",
    );
    assert_eq!(status, 415, "{wrong}");
    let (status, wrong) = upload(
        &server,
        &root,
        "/api/v1/imports/leads?dryrun=true",
        "text/csv",
        bad,
    );
    assert_eq!(status, 400, "{wrong}");
    let (status, wrong) = upload(&server, &root, "/api/v1/imports/widgets", "text/csv", bad);
    assert_eq!(status, 400, "{wrong}");
    let asha = login(&server, "asha", "asha-password-1");
    let (status, refused) = upload(
        &server,
        &asha,
        "/api/v1/imports/campaigns",
        "text/csv",
        "name,code\nX,x\n",
    );
    assert_eq!(status, 403, "{refused}");
    assert!(server.stop().success());
}

#[test]
fn exports_stream_what_crm_export_writes_and_only_what_the_user_may_read() {
    let env = TestEnv::with_admin();
    env.add_user("asha", "sales_rep");
    env.add_user("john", "support_agent");
    let file = env.dir.path().join("leads.csv");
    std::fs::write(&file, leads_csv(2_500)).unwrap();
    env.ok(&["import", "leads", file.to_str().unwrap()], "");
    let server = Server::start(&env);
    let root = login(&server, "root", ADMIN_PW);

    let (status, media, csv) = download(&server, &root, "/api/v1/exports/leads");
    assert_eq!((status, media.as_str()), (200, "text/csv; charset=utf-8"));
    assert_eq!(
        csv,
        env.ok(&["export", "leads"], ""),
        "the CLI's bytes, three pages of them"
    );
    assert!(csv.contains("\"'=HYPERLINK"), "formulas guarded");
    let (_, _, raw) = download(&server, &root, "/api/v1/exports/leads?raw=true");
    assert_eq!(raw, env.ok(&["export", "leads", "--raw"], ""));

    let (_, media, lines) = download(&server, &root, "/api/v1/exports/leads?format=jsonl");
    assert_eq!(media, "application/x-ndjson");
    let rows: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2_500);
    assert!(rows.iter().any(|r| r["first_name"] == "Lead0"));
    let (_, _, array) = download(&server, &root, "/api/v1/exports/contacts?format=json");
    assert_eq!(
        serde_json::from_str::<Value>(&array).unwrap(),
        serde_json::json!([])
    );

    let asha = login(&server, "asha", "asha-password-1");
    let (_, _, hers) = download(&server, &asha, "/api/v1/exports/leads?format=jsonl");
    let hers: Vec<Value> = hers
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(hers.len(), 1_250);
    assert!(hers.iter().all(|l| l["owner"] == "asha"));
    let john = login(&server, "john", "john-password-1");
    let (status, _, _) = download(&server, &john, "/api/v1/exports/leads");
    assert_eq!(status, 403, "a support agent reads no leads");
    let (status, _, body) = download(&server, &root, "/api/v1/exports/leads?format=xml");
    assert_eq!(status, 400, "{body}");
    assert!(server.stop().success());
}
