//! Web-to-lead posts taken many to a transaction (the server's group commit) answer each post
//! exactly as one at a time would, and one refused post changes nothing of its own.

use crm_core::{Captured, Error, NewCaptureForm};

use crate::env::Env;

fn post(key: &str, fields: &[(&str, &str)]) -> (String, Vec<(String, String)>) {
    (
        key.to_string(),
        fields
            .iter()
            .map(|(n, v)| ((*n).to_string(), (*v).to_string()))
            .collect(),
    )
}

crate::on_both_engines!(a_batch_of_posts_answers_each_as_one_at_a_time_would);
fn a_batch_of_posts_answers_each_as_one_at_a_time_would(env: &Env) {
    let form = env
        .crm
        .add_capture_form(
            &env.admin,
            &NewCaptureForm {
                name: "Website".into(),
                campaign: "General / Unassigned".into(),
                ..NewCaptureForm::default()
            },
        )
        .unwrap();
    let key = form.key.as_str();
    let posts = vec![
        post(
            key,
            &[("first_name", "Kiran"), ("email", "kiran@example.com")],
        ),
        post(key, &[("first_name", "Bad"), ("email", "not-an-email")]),
        post(
            key,
            &[
                ("first_name", "Kiran"),
                ("email", "KIRAN@example.com"),
                ("message", "again"),
            ],
        ),
        post(
            key,
            &[
                ("first_name", "Bot"),
                ("email", "bot@example.com"),
                ("_trap", "x"),
            ],
        ),
        post("no-such-form", &[("first_name", "Lost")]),
        post(
            key,
            &[("first_name", "Meera"), ("email", "meera@example.com")],
        ),
    ];
    let answers = env.crm.capture_leads(&posts).unwrap();
    assert!(matches!(answers[0], Ok(Captured::Added(_))), "{answers:?}");
    assert!(
        matches!(&answers[1], Err(Error::Invalid { field, .. }) if field == "email"),
        "{answers:?}"
    );
    let Ok(Captured::Added(first)) = answers[0] else {
        unreachable!("checked above")
    };
    assert!(
        matches!(answers[2], Ok(Captured::AddedToExisting(id)) if id == first),
        "a later post of the batch sees the earlier one's lead: {answers:?}"
    );
    assert!(matches!(answers[3], Ok(Captured::Dropped)));
    assert!(matches!(answers[4], Err(Error::NotFound { .. })));
    assert!(matches!(answers[5], Ok(Captured::Added(_))));
    let leads = crm_core::testing::count(&env.path, "SELECT count(*) FROM leads");
    assert_eq!(
        leads, 2,
        "Kiran and Meera; the refused and dropped posts left nothing"
    );
    let bad = crm_core::testing::count(
        &env.path,
        "SELECT count(*) FROM leads WHERE first_name IN ('Bad', 'Bot', 'Lost')",
    );
    assert_eq!(bad, 0);
}
