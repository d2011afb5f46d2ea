//! The add forms carry what the CLI's `add` takes (issue 28, item 9): a lead's stage, BANT,
//! consent, UTM and products; a contact's GDPR and CCPA consent; a campaign's audience, team,
//! compliance and UTM. A ticket goes to someone picked from a list, not a typed username.

use crm_tui::App;
use ratatui::crossterm::event::KeyCode;

use crate::support::{demo, frame};

fn keys_of(app: &mut App<'_>, keys: &str) {
    for c in keys.chars() {
        app.press(KeyCode::Char(c));
    }
}

fn tab(app: &mut App<'_>, times: usize) {
    for _ in 0..times {
        app.press(KeyCode::Tab);
    }
}

#[test]
fn the_lead_form_takes_stage_bant_consent_utm_and_products() {
    let demo = demo();
    let mut app = demo.logged_in("admin", 120, 40);
    keys_of(&mut app, "3a");
    app.type_text("Farah");
    tab(&mut app, 11); // stage
    app.press(KeyCode::Right);
    app.press(KeyCode::Right);
    tab(&mut app, 2); // has budget
    app.press(KeyCode::Char(' '));
    tab(&mut app, 4); // interested in
    app.type_text("3BHK flat");
    tab(&mut app, 2); // GDPR consent
    app.press(KeyCode::Char(' '));
    tab(&mut app, 2); // UTM source
    app.type_text("newsletter");
    app.press(KeyCode::Enter);
    let message = app.message().unwrap_or_default().to_string();
    assert!(
        message.contains("added: Farah"),
        "{message}\n{}",
        frame(&app, 120, 40)
    );
    let row = &crm_core::testing::rows(
        &demo.path,
        "SELECT stage, bant_budget, bant_need, interested_products, consent_gdpr, \
         consent_email, utm_source FROM leads WHERE first_name = 'Farah'",
    )[0];
    assert_eq!(
        row,
        &["Qualified", "1", "0", "3BHK flat", "1", "0", "newsletter"].map(String::from)
    );
}

#[test]
fn the_contact_form_takes_gdpr_and_ccpa_consent() {
    let demo = demo();
    let mut app = demo.logged_in("admin", 120, 40);
    keys_of(&mut app, "2a");
    app.type_text("Zoya");
    tab(&mut app, 10); // GDPR consent
    app.press(KeyCode::Char(' '));
    tab(&mut app, 1); // CCPA consent
    app.press(KeyCode::Char(' '));
    app.press(KeyCode::Enter);
    let message = app.message().unwrap_or_default().to_string();
    assert!(
        message.contains("added: Zoya"),
        "{message}\n{}",
        frame(&app, 120, 40)
    );
    let row = &crm_core::testing::rows(
        &demo.path,
        "SELECT consent_email, consent_gdpr, consent_ccpa FROM contacts WHERE first_name = 'Zoya'",
    )[0];
    assert_eq!(row, &["0", "1", "1"].map(String::from));
}

#[test]
fn the_campaign_form_takes_audience_team_compliance_and_utm() {
    let demo = demo();
    let mut app = demo.logged_in("admin", 120, 40);
    keys_of(&mut app, "4a");
    app.type_text("Diwali Mailer");
    tab(&mut app, 15); // audience
    app.type_text("Young families");
    tab(&mut app, 2); // team
    app.type_text("asha, ravi");
    tab(&mut app, 1); // compliance
    app.type_text("DND list checked");
    tab(&mut app, 2); // UTM source
    app.type_text("mailchimp");
    app.press(KeyCode::Enter);
    let message = app.message().unwrap_or_default().to_string();
    assert!(
        message.contains("diwali-mailer added"),
        "{message}\n{}",
        frame(&app, 120, 40)
    );
    let (admin, _) = demo.crm.login("admin", crm_core::DEMO_PASSWORD).unwrap();
    let campaign = demo.crm.campaign(&admin, "Diwali Mailer").unwrap();
    assert_eq!(campaign.audience_segment.as_deref(), Some("Young families"));
    assert_eq!(campaign.team, ["asha", "ravi"]);
    assert_eq!(
        campaign.compliance_checklist.as_deref(),
        Some("DND list checked")
    );
    assert_eq!(campaign.utm_source.as_deref(), Some("mailchimp"));
}

#[test]
fn a_ticket_goes_to_someone_picked_from_the_people_it_may_go_to() {
    let demo = demo();
    let mut app = demo.logged_in("john", 120, 40);
    keys_of(&mut app, "6");
    let ticket = app.focus().unwrap();
    app.press(KeyCode::Char('o'));
    let dialog = frame(&app, 120, 40);
    assert!(dialog.contains("Assign ticket to"), "{dialog}");
    // Support agents, admins and managers; not the sales reps or the marketer.
    for (username, listed) in [
        ("john", true),
        ("admin", true),
        ("meera", true),
        ("asha", false),
        ("neha", false),
    ] {
        assert_eq!(
            dialog.lines().any(|l| l.contains(&format!(" {username} "))),
            listed,
            "{username}:\n{dialog}"
        );
    }
    // The list is in username order: admin, john, meera. Pick meera.
    app.press(KeyCode::Down);
    app.press(KeyCode::Down);
    app.press(KeyCode::Enter);
    let message = app.message().unwrap_or_default().to_string();
    assert!(message.contains("assigned to meera"), "{message}");
    assert_eq!(
        crm_core::testing::rows(
            &demo.path,
            &format!(
                "SELECT u.username FROM tickets t JOIN users u ON u.id = t.assignee_id \
                 WHERE t.id = {}",
                ticket.id
            )
        )[0][0],
        "meera"
    );
}

#[test]
fn the_lead_form_has_an_input_of_its_kind_for_each_custom_field() {
    let demo = demo();
    let mut app = demo.logged_in("admin", 120, 40);
    keys_of(&mut app, "3a");
    app.type_text("Ishaan");
    tab(&mut app, 26); // Preferred plan, the demo's choice field, after the built-in fields
    let drawn = frame(&app, 120, 40);
    assert!(drawn.contains("Preferred plan"), "{drawn}");
    app.press(KeyCode::Right);
    app.press(KeyCode::Right); // blank, Starter, Growth
    app.press(KeyCode::Enter);
    let message = app.message().unwrap_or_default().to_string();
    assert!(
        message.contains("added: Ishaan"),
        "{message}\n{}",
        frame(&app, 120, 40)
    );
    let row = &crm_core::testing::rows(
        &demo.path,
        "SELECT v.value FROM custom_values v JOIN custom_fields f ON f.id = v.field_id \
         JOIN leads l ON l.id = v.record_id \
         WHERE f.key = 'preferred_plan' AND l.first_name = 'Ishaan'",
    );
    assert_eq!(row, &[vec!["Growth".to_string()]]);
}

/// Custom fields of other kinds: a box per option of a multi-choice field, and text inputs
/// that say the form they take and refuse a wrong one before the service is asked.
#[test]
fn custom_inputs_tick_options_and_say_the_form_a_value_takes() {
    use crm_core::{FieldKind, FieldsOf, NewField};
    let demo = demo();
    let mut app = demo.logged_in("admin", 120, 40);
    let admin = app.actor().unwrap().clone();
    for (label, kind, choices) in [
        (
            "Wants",
            FieldKind::MultiChoice,
            &["Pool", "Lift", "Garden"][..],
        ),
        ("Visit on", FieldKind::Date, &[][..]),
        ("Budget band", FieldKind::Money, &[][..]),
    ] {
        let field = NewField {
            label: label.into(),
            kind: Some(kind),
            choices: choices.iter().map(|c| (*c).to_string()).collect(),
            ..NewField::default()
        };
        demo.crm.add_field(&admin, FieldsOf::Leads, &field).unwrap();
    }
    keys_of(&mut app, "3a");
    app.type_text("Zoya");
    tab(&mut app, 27); // Wants, after the demo's Preferred plan
    let drawn = frame(&app, 120, 40);
    assert!(drawn.contains("[ ] Pool  [ ] Lift  [ ] Garden"), "{drawn}");
    assert!(
        drawn.contains("YYYY-MM-DD"),
        "an empty date says its form: {drawn}"
    );
    assert!(
        drawn.contains("50L, 2Cr"),
        "an empty amount says its form: {drawn}"
    );
    app.press(KeyCode::Char(' ')); // Pool
    app.press(KeyCode::Right);
    app.press(KeyCode::Right);
    app.press(KeyCode::Char(' ')); // Garden
    let drawn = frame(&app, 120, 40);
    assert!(drawn.contains("[x] Pool  [ ] Lift  [x] Garden"), "{drawn}");
    tab(&mut app, 1);
    app.type_text("30/04/2027");
    tab(&mut app, 1);
    app.type_text("50L");
    app.press(KeyCode::Enter);
    let drawn = frame(&app, 120, 40);
    assert!(
        drawn.contains("'30/04/2027' is not a date like 2026-04-30"),
        "{drawn}"
    );
    let zoyas = || {
        crm_core::testing::rows(
            &demo.path,
            "SELECT count(*) FROM leads WHERE first_name = 'Zoya'",
        )[0][0]
            .clone()
    };
    assert_eq!(
        zoyas(),
        "0",
        "nothing is saved while the form shows a problem"
    );
    for _ in 0.."30/04/2027".len() {
        app.press(KeyCode::Backspace);
    }
    app.type_text("2027-04-30");
    app.press(KeyCode::Enter);
    let message = app.message().unwrap_or_default().to_string();
    assert!(
        message.contains("added: Zoya"),
        "{message}\n{}",
        frame(&app, 120, 40)
    );
    let values = crm_core::testing::rows(
        &demo.path,
        "SELECT f.key, v.value FROM custom_values v JOIN custom_fields f ON f.id = v.field_id \
         JOIN leads l ON l.id = v.record_id WHERE l.first_name = 'Zoya' ORDER BY 1, 2",
    );
    let values: Vec<(&str, &str)> = values
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(
        values,
        [
            ("budget_band", "5000000.00"),
            ("visit_on", "2027-04-30"),
            ("wants", "Garden"),
            ("wants", "Pool"),
        ]
    );
}

/// One type of custom field as the form tests fill it.
struct Typed {
    label: &'static str,
    kind: crm_core::FieldKind,
    choices: &'static [&'static str],
    /// What to do in its input: text to type, or `→` and `␣` for keys.
    good: &'static str,
    /// What is stored, several values joined by `|` in their order.
    stored: &'static str,
    /// Text that is refused, with what the refusal says; None where the input offers only
    /// its choices.
    bad: Option<(&'static str, &'static str)>,
}

const EVERY_TYPE: &[Typed] = {
    use crm_core::FieldKind as K;
    const fn t(
        label: &'static str,
        kind: K,
        choices: &'static [&'static str],
        good: &'static str,
        stored: &'static str,
        bad: Option<(&'static str, &'static str)>,
    ) -> Typed {
        Typed {
            label,
            kind,
            choices,
            good,
            stored,
            bad,
        }
    }
    &[
        t("Note", K::Text, &[], "Met at expo", "Met at expo", None),
        t("Story", K::LongText, &[], "Two lines", "Two lines", None),
        t(
            "Rooms",
            K::Number,
            &[],
            "3",
            "3",
            Some(("three", "not a number")),
        ),
        t(
            "Budget",
            K::Money,
            &[],
            "50L",
            "5000000.00",
            Some(("-5", "negative")),
        ),
        t(
            "Visit",
            K::Date,
            &[],
            "2026-12-10",
            "2026-12-10",
            Some(("10/12/2026", "date")),
        ),
        t("Loan", K::YesNo, &[], "→", "yes", None),
        t("Kind", K::Choice, &["Villa", "Flat"], "→→", "Flat", None),
        t(
            "Wants",
            K::MultiChoice,
            &["Pool", "Lift"],
            "␣→␣",
            "Lift|Pool",
            None,
        ),
        t(
            "Agent",
            K::User,
            &[],
            "asha",
            "asha",
            Some(("nobody", "nobody")),
        ),
        t(
            "Site",
            K::Url,
            &[],
            "https://x.example.in",
            "https://x.example.in",
            Some(("x.example", "http")),
        ),
        t(
            "Alt email",
            K::Email,
            &[],
            "a@b.in",
            "a@b.in",
            Some(("a.b.in", "@")),
        ),
        t(
            "Alt phone",
            K::Phone,
            &[],
            "+91 98765 43210",
            "+91 98765 43210",
            Some(("12", "digits")),
        ),
    ]
};

/// The demo with a lead field of every type, and the TUI logged in as its admin.
fn with_every_type(demo: &crate::support::Demo) -> App<'_> {
    use crm_core::{FieldsOf, NewField};
    let app = demo.logged_in("admin", 120, 60);
    let admin = app.actor().unwrap().clone();
    for typed in EVERY_TYPE {
        let field = NewField {
            label: typed.label.into(),
            kind: Some(typed.kind),
            choices: typed.choices.iter().map(|c| (*c).to_string()).collect(),
            ..NewField::default()
        };
        demo.crm.add_field(&admin, FieldsOf::Leads, &field).unwrap();
    }
    app
}

/// Every type of custom field through the lead form: a good value of each is saved as the CLI
/// saves it.
#[test]
fn every_custom_type_is_saved_from_the_form() {
    let demo = demo();
    let mut app = with_every_type(&demo);
    // The demo's Preferred plan is the 27th input; these follow it.
    keys_of(&mut app, "3a");
    app.type_text("Yara");
    tab(&mut app, 27);
    for typed in EVERY_TYPE {
        match typed.good {
            keys @ ("→" | "→→" | "␣→␣") => {
                for c in keys.chars() {
                    app.press(if c == '→' {
                        KeyCode::Right
                    } else {
                        KeyCode::Char(' ')
                    });
                }
            }
            text => app.type_text(text),
        }
        tab(&mut app, 1);
    }
    app.press(KeyCode::Enter);
    let message = app.message().unwrap_or_default().to_string();
    assert!(
        message.contains("added: Yara"),
        "{message}\n{}",
        frame(&app, 120, 60)
    );
    let stored = crm_core::testing::rows(
        &demo.path,
        "SELECT f.label, group_concat(v.value, '|') FROM custom_values v
         JOIN custom_fields f ON f.id = v.field_id JOIN leads l ON l.id = v.record_id
         WHERE l.first_name = 'Yara' GROUP BY f.label",
    );
    for typed in EVERY_TYPE {
        let found = stored
            .iter()
            .find(|r| r[0] == typed.label)
            .unwrap_or_else(|| panic!("{}: {stored:?}", typed.label));
        let mut values: Vec<&str> = found[1].split('|').collect();
        values.sort_unstable();
        assert_eq!(values.join("|"), typed.stored, "{}", typed.label);
    }
}

/// A bad value of each type a person can type is refused beside its field, and nothing is
/// saved. Choice, yes/no and multi-choice inputs offer only their choices.
#[test]
fn every_custom_type_refuses_a_bad_value_beside_its_field() {
    let demo = demo();
    let mut app = with_every_type(&demo);
    for (at, typed) in EVERY_TYPE.iter().enumerate() {
        let Some((text, why)) = typed.bad else {
            continue;
        };
        keys_of(&mut app, "3a");
        app.type_text("Zed");
        tab(&mut app, 27 + at);
        app.type_text(text);
        app.press(KeyCode::Enter);
        let drawn = frame(&app, 120, 60);
        let line = drawn
            .lines()
            .skip_while(|l| !l.contains(&format!("{}  {text}", typed.label)))
            .nth(1)
            .unwrap_or_default();
        assert!(
            line.contains('↳') && line.contains(why),
            "{}: {line}\n{drawn}",
            typed.label
        );
        app.press(KeyCode::Esc);
    }
    let zeds = crm_core::testing::rows(
        &demo.path,
        "SELECT count(*) FROM leads WHERE first_name = 'Zed'",
    );
    assert_eq!(zeds[0][0], "0", "no refused form saved a lead");
}
