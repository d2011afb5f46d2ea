//! Flows on the lists: editing from a list, saved views, the company page, duplicates.

use crate::support::{demo, frame};
use crm_core::{DEMO_PASSWORD, EntityKind, LeadQuery, LeadStage, RecordRef};
use crm_tui::App;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[test]
fn a_deal_is_edited_from_the_deals_list() {
    let demo = demo();
    let mut app = demo.logged_in("meera", 120, 40);
    keys_of(&mut app, "5v");
    assert!(frame(&app, 120, 40).contains("Deals ·"));
    let deal = app.focus().unwrap();
    app.press(KeyCode::Char('e'));
    app.press(KeyCode::Tab);
    app.press(KeyCode::Tab);
    app.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    app.type_text("1,23,456");
    app.press(KeyCode::Tab);
    app.press(KeyCode::Tab);
    app.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    app.type_text("140");
    app.press(KeyCode::Enter);
    let form = frame(&app, 120, 40);
    assert!(form.contains("not a whole number from 0 to 100"), "{form}");
    app.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    app.type_text("40");
    app.press(KeyCode::Enter);
    assert_eq!(
        app.message(),
        Some(format!("Deal {} saved", deal.id).as_str())
    );
    assert_eq!(
        demo.count(&format!(
            "SELECT amount * 1000 + probability FROM deals WHERE id = {}",
            deal.id
        )),
        12_345_600 * 1000 + 40
    );
}

fn keys_of(app: &mut App<'_>, keys: &str) {
    for c in keys.chars() {
        app.press(KeyCode::Char(c));
    }
}

/// The views a user saved on the command line are offered on the leads list with `v`.
#[test]
fn a_saved_view_is_one_key_away_on_the_leads_list() {
    let demo = demo();
    let (asha, _) = demo.crm.login("asha", DEMO_PASSWORD).unwrap();
    let view = LeadQuery {
        stage: Some(LeadStage::Qualified),
        sort: crm_core::LeadSort::Score,
        ..LeadQuery::default()
    };
    demo.crm.save_lead_view(&asha, "qualified", &view).unwrap();
    let expected = demo.crm.list_leads(&asha, &view).unwrap().items;
    assert!(expected.len() >= 2);

    let mut app = demo.logged_in("asha", 140, 40);
    app.press(KeyCode::Char('3'));
    let before = frame(&app, 140, 40);
    assert!(
        before.contains("view:none") && before.contains("v saved view"),
        "{before}"
    );
    app.press(KeyCode::Char('v'));
    let screen = frame(&app, 140, 40);
    assert!(screen.contains("view:qualified"), "{screen}");
    assert!(
        screen.contains(&format!("Leads · {} ", expected.len())),
        "{screen}"
    );
    let first = screen
        .lines()
        .position(|l| l.contains(&expected[0].full_name()))
        .expect("the best qualified lead is listed");
    let second = screen
        .lines()
        .position(|l| l.contains(&expected[1].full_name()))
        .expect("and the next");
    assert!(first < second, "in the view's order (score, highest first)");
    // Once more: back to no view (asha has only the one).
    app.press(KeyCode::Char('v'));
    assert!(frame(&app, 140, 40).contains("view:none"));
}

/// Contacts → `c` → companies → a company's page, edited there; and a contact's page links to
/// its company.
#[test]
fn a_company_page_is_reached_from_the_contacts_and_edited() {
    let demo = demo();
    let mut app = demo.logged_in("admin", 120, 40);
    keys_of(&mut app, "2c");
    let list = frame(&app, 120, 40);
    assert!(list.contains("Companies ·"), "{list}");
    assert!(
        list.contains("c contacts"),
        "the footer names the way back:\n{list}"
    );
    let company = app.focus().unwrap();
    assert_eq!(company.kind, EntityKind::Company);
    app.press(KeyCode::Enter);
    assert_eq!(app.focus(), Some(company));
    let page = frame(&app, 120, 40);
    for expected in [
        "Company ",
        "Won revenue",
        "Contacts (",
        "Open deals (",
        "Open leads (",
    ] {
        assert!(page.contains(expected), "{expected} missing:\n{page}");
    }
    app.press(KeyCode::Char('e'));
    app.press(KeyCode::Tab);
    app.press(KeyCode::Tab);
    app.type_text("Fintech");
    app.press(KeyCode::Enter);
    assert_eq!(
        app.message(),
        Some(format!("Company {} saved", company.id).as_str())
    );
    assert_eq!(
        demo.count(&format!(
            "SELECT count(*) FROM companies WHERE id = {} AND industry = 'Fintech'",
            company.id
        )),
        1
    );

    // From a contact's page, Enter on its Company line opens the company.
    keys_of(&mut app, "2");
    let contact = app.focus().unwrap();
    let linked = demo.count(&format!(
        "SELECT company_id FROM contacts WHERE id = {}",
        contact.id
    ));
    app.press(KeyCode::Enter);
    let mut reached = None;
    for _ in 0..10 {
        app.press(KeyCode::Enter);
        match app.focus() {
            Some(r) if r.kind == EntityKind::Company => {
                reached = Some(r);
                break;
            }
            Some(r) if r != contact => app.press(KeyCode::Esc),
            _ => {}
        }
        app.press(KeyCode::Down);
    }
    assert_eq!(reached, Some(RecordRef::new(EntityKind::Company, linked)));
}

/// A new contact with a known email is refused with the existing one named; ticking "Add if
/// duplicate" adds it anyway.
#[test]
fn a_duplicate_contact_is_added_only_when_asked_to() {
    let demo = demo();
    let mut app = demo.logged_in("admin", 120, 40);
    let email: String =
        crm_core::testing::rows(&demo.path, "SELECT email FROM contacts WHERE id = 1")[0][0]
            .clone();
    let before = demo.count("SELECT count(*) FROM contacts");
    keys_of(&mut app, "2a");
    app.type_text("Twin");
    app.press(KeyCode::Tab);
    app.press(KeyCode::Tab);
    app.type_text(&email);
    app.press(KeyCode::Enter);
    let form = frame(&app, 120, 40);
    assert!(
        form.contains("matches contact 1") && form.contains("tick to add it anyway"),
        "{form}\n{:?}",
        app.message()
    );
    assert_eq!(demo.count("SELECT count(*) FROM contacts"), before);
    // The focus is on the box: tick it and save.
    app.press(KeyCode::Char(' '));
    app.press(KeyCode::Enter);
    assert!(
        app.message().unwrap().contains("added"),
        "{:?}",
        app.message()
    );
    assert_eq!(demo.count("SELECT count(*) FROM contacts"), before + 1);
}
