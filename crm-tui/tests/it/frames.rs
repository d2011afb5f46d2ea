//! Frames of the TUI drawn on the `TestBackend` of ratatui from a real database.

use crm_core::{Clock, Crm, NewContact, NewUser};
use crm_tui::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

fn crm_with_contacts() -> (tempfile::TempDir, Crm, crm_core::Actor) {
    let dir = tempfile::tempdir().unwrap();
    let at = "2026-03-01T09:00:00Z".parse().unwrap();
    let crm = Crm::open_with_clock(&dir.path().join("crm.db"), Clock::Fixed(at)).unwrap();
    let admin = NewUser {
        username: "anita".into(),
        display_name: Some("Anita Desai".into()),
        ..NewUser::default()
    };
    crm.bootstrap_admin(&admin, "password-123").unwrap();
    let (actor, _) = crm.login("anita", "password-123").unwrap();
    for (first, last, company) in [
        ("Aarav", "Sharma", "TechVerse"),
        ("Priya", "Menon", "FinEdge"),
    ] {
        crm.add_contact(
            &actor,
            &NewContact {
                first_name: first.into(),
                last_name: Some(last.into()),
                email: Some(format!("{}@example.in", first.to_lowercase())),
                company: Some(company.into()),
                ..NewContact::default()
            },
        )
        .unwrap();
    }
    (dir, crm, actor)
}

fn draw(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn contacts_screen_at_80x24() {
    let (_dir, crm, actor) = crm_with_contacts();
    let app = App::new(&crm, actor);
    insta::assert_snapshot!(draw(&app, 80, 24));
}

#[test]
fn keys_move_the_selection_and_quit() {
    let (_dir, crm, actor) = crm_with_contacts();
    let mut app = App::new(&crm, actor);
    assert_eq!(app.selected().unwrap().first_name, "Aarav");
    app.handle_key(KeyCode::Down);
    app.handle_key(KeyCode::Down);
    assert_eq!(
        app.selected().unwrap().first_name,
        "Priya",
        "stops at the last row"
    );
    app.handle_key(KeyCode::Char('g'));
    assert_eq!(app.selected().unwrap().first_name, "Aarav");
    assert!(!app.should_quit());
    app.handle_key(KeyCode::Char('q'));
    assert!(app.should_quit());
}

#[test]
fn stored_escape_sequences_never_reach_the_screen() {
    let (dir, crm, actor) = crm_with_contacts();
    // The services refuse control characters, so hostile text is planted behind their back, as an
    // older version or another tool might have written it.
    crm_core::testing::execute(
        &dir.path().join("crm.db"),
        "UPDATE contacts SET company = 'FinEdge' || char(27) || '[2J' || char(27) || ']0;owned' || char(7) WHERE first_name = 'Priya'",
    );
    let frame = draw(&App::new(&crm, actor), 120, 10);
    assert!(frame.contains("FinEdge"));
    assert!(!frame.contains('\u{1b}'));
}
