//! Every screen drawn at 80x24 and at 160x48 on the demo data (fixed clock), as insta snapshots.

use crm_core::{EntityKind, LeadQuery, LeadStage, RecordRef};
use crm_tui::App;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::support::{demo, frame};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

/// Snapshots of the app at both sizes; `setup` brings a fresh app (logged in as `user`) to the
/// screen to draw.
fn screen(name: &str, user: &str, setup: impl Fn(&mut App<'_>)) {
    let demo = demo();
    for (width, height) in SIZES {
        let mut app = demo.logged_in(user, width, height);
        setup(&mut app);
        insta::assert_snapshot!(
            format!("{name}_{width}x{height}"),
            frame(&app, width, height)
        );
    }
}

fn keys(app: &mut App<'_>, keys: &str) {
    for c in keys.chars() {
        app.press(KeyCode::Char(c));
    }
}

#[test]
fn login() {
    let demo = demo();
    for (width, height) in SIZES {
        let mut app = demo.app();
        app.type_text("asha");
        insta::assert_snapshot!(
            format!("login_{width}x{height}"),
            frame(&app, width, height)
        );
    }
}

#[test]
fn dashboard() {
    screen("dashboard", "admin", |_| {});
    screen("dashboard_sales_rep", "asha", |_| {});
}

#[test]
fn lists() {
    screen("contacts", "admin", |app| keys(app, "2"));
    screen("companies", "admin", |app| keys(app, "2c"));
    screen("leads", "admin", |app| keys(app, "3"));
    screen("leads_hot_by_score", "admin", |app| keys(app, "3hhs"));
    screen("campaigns", "admin", |app| keys(app, "4"));
    screen("tickets", "john", |app| keys(app, "6"));
    screen("tasks", "asha", |app| keys(app, "7"));
    screen("activity", "admin", |app| keys(app, "8"));
}

#[test]
fn pipeline() {
    screen("pipeline", "admin", |app| keys(app, "5"));
    screen("pipeline_scrolled", "admin", |app| keys(app, "5llll"));
    screen("deals_list_open", "admin", |app| keys(app, "5vf"));
}

#[test]
fn reports() {
    screen("reports_sales", "admin", |app| keys(app, "9"));
    screen("reports_marketing", "admin", |app| {
        keys(app, "9");
        app.press(KeyCode::Right);
    });
    screen("reports_support", "admin", |app| {
        keys(app, "9");
        app.press(KeyCode::Left);
    });
}

#[test]
fn detail_pages() {
    screen("contact_page", "admin", |app| {
        keys(app, "2");
        app.press(KeyCode::Enter);
    });
    screen("company_page", "admin", |app| {
        keys(app, "2c");
        app.press(KeyCode::Enter);
    });
    screen("ticket_page", "john", |app| {
        keys(app, "6");
        app.press(KeyCode::Enter);
    });
    screen("deal_page", "admin", |app| {
        keys(app, "5");
        app.press(KeyCode::Enter);
    });
    screen("campaign_page", "admin", |app| {
        keys(app, "4");
        app.press(KeyCode::Enter);
    });
}

#[test]
fn lead_page_and_convert_dialog() {
    let demo = demo();
    let admin = demo.crm.login("admin", crm_core::DEMO_PASSWORD).unwrap().0;
    let lead = demo
        .crm
        .list_leads(
            &admin,
            &LeadQuery {
                stage: Some(LeadStage::Qualified),
                ..LeadQuery::default()
            },
        )
        .unwrap()
        .items
        .remove(0);
    let record = RecordRef::new(EntityKind::Lead, lead.id.0);
    for (width, height) in SIZES {
        let mut app = demo.logged_in("admin", width, height);
        keys(&mut app, "3");
        while app.focus() != Some(record) {
            app.press(KeyCode::Down);
        }
        app.press(KeyCode::Enter);
        insta::assert_snapshot!(
            format!("lead_page_{width}x{height}"),
            frame(&app, width, height)
        );
        app.press(KeyCode::Char('c'));
        insta::assert_snapshot!(
            format!("convert_dialog_{width}x{height}"),
            frame(&app, width, height)
        );
    }
}

#[test]
fn popups() {
    screen("help", "admin", |app| keys(app, "5?"));
    screen("search", "admin", |app| {
        app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL));
        app.type_text("sha");
        app.settle();
    });
    screen("new_lead_form", "admin", |app| keys(app, "3a"));
    screen("new_campaign_form_errors", "admin", |app| {
        keys(app, "4a");
        app.press(KeyCode::Tab);
        app.press(KeyCode::Tab);
        app.press(KeyCode::Tab);
        app.press(KeyCode::Tab);
        app.press(KeyCode::Tab);
        app.press(KeyCode::Tab);
        app.type_text("lots");
        app.press(KeyCode::Enter);
    });
    screen("walkthrough", "admin", |app| keys(app, "W"));
    screen("walkthrough_screens", "admin", |app| {
        keys(app, "W");
        app.press(KeyCode::Enter);
    });
}

/// Figures are never cut, at any width: the campaign name gives way, then whole columns
/// (issue 28, item 7).
#[test]
fn the_marketing_reports_figures_are_whole_at_every_width() {
    let demo = demo();
    let (admin, _) = demo.crm.login("admin", crm_core::DEMO_PASSWORD).unwrap();
    let report = demo.crm.marketing_report(&admin).unwrap();
    for width in (70..=160).step_by(10) {
        let mut app = demo.logged_in("admin", width, 30);
        keys(&mut app, "9");
        app.press(KeyCode::Right);
        let text = frame(&app, width, 30);
        for c in &report.campaigns {
            let row = text
                .lines()
                .skip_while(|l| !l.contains("┌ Campaigns "))
                .find(|l| l.contains(&c.name[..6]))
                .unwrap_or_else(|| panic!("no row for {} at {width}:\n{text}", c.name));
            let roi = c.roi_percent.map_or("—".into(), |r| format!("{r:.0}%"));
            assert!(
                row.trim_end_matches('│').trim_end().ends_with(&roi),
                "ROI {roi} cut at {width} columns: {row}"
            );
        }
    }
}
