//! Hostile text in frames: 10,000 generated strings (escape sequences, controls, bidi
//! overrides, line breaks, NULs, very long lines) planted behind the services' back in every
//! table the screens draw. No cell of any frame holds a control character or bidi override.

use std::collections::BTreeSet;

use crm_core::testing::{DRAWN_TEXT, hostile_strings, plant, rows, terminal_hazards};
use crm_tui::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::support::demo;

const CORPUS: usize = 10_000;
const WIDTH: u16 = 220;
const HEIGHT: u16 = 120;

/// Draws the app and checks every cell; returns the numbers of the planted strings on screen.
fn draw_and_check(app: &App<'_>, seen: &mut BTreeSet<usize>, what: &str) {
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for cell in buffer.content() {
        let found = terminal_hazards(cell.symbol());
        assert!(found.is_empty(), "{what}: a cell holds {found:?}");
        text.push_str(cell.symbol());
    }
    // Planted text starts "P<number>:"; the number says which string reached the screen.
    for (i, _) in text.match_indices('P') {
        let digits: String = text[i + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if !digits.is_empty() && text[i + 1 + digits.len()..].starts_with(':') {
            seen.insert(digits.parse::<usize>().unwrap() % CORPUS);
        }
    }
}

#[test]
fn hostile_text_never_reaches_a_frame() {
    let demo = demo();
    let db = &demo.path;
    let corpus = hostile_strings(CORPUS, 6);
    let mut app = demo.logged_in("admin", WIDTH, HEIGHT);
    let (mut next, mut frames, mut seen) = (0, 0, BTreeSet::new());
    while next < CORPUS {
        for (table, column) in DRAWN_TEXT {
            let ids = rows(
                db,
                &format!("SELECT id FROM {table} ORDER BY id DESC LIMIT 100"),
            );
            let values: Vec<(i64, String)> = ids
                .iter()
                .map(|id| {
                    next += 1;
                    // Numbered: names are unique in places, and SQLite's length() stops at a
                    // NUL, so a leading NUL would fail the non-empty CHECKs.
                    (
                        id[0].parse().unwrap(),
                        format!("P{next}:{}", corpus[next % CORPUS]),
                    )
                })
                .collect();
            plant(db, table, column, &values);
        }
        for section in '1'..='9' {
            app.press(KeyCode::Char(section));
            draw_and_check(&app, &mut seen, &format!("section {section}"));
            app.press(KeyCode::Enter);
            draw_and_check(&app, &mut seen, &format!("record of section {section}"));
            app.press(KeyCode::Esc);
            frames += 2;
        }
        // The companies list and a company's page, reached from the contacts.
        app.press(KeyCode::Char('2'));
        app.press(KeyCode::Char('c'));
        draw_and_check(&app, &mut seen, "companies");
        app.press(KeyCode::Enter);
        draw_and_check(&app, &mut seen, "company page");
        app.press(KeyCode::Esc);
        frames += 2;
        app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL));
        app.type_text("P");
        app.settle();
        draw_and_check(&app, &mut seen, "search");
        app.press(KeyCode::Esc);
        frames += 1;
    }
    println!(
        "hostile text in frames: {next} strings planted, {} distinct ones drawn, {frames} frames \
         of {WIDTH}x{HEIGHT}: 0 cells with a control character or bidi override",
        seen.len()
    );
    assert!(
        seen.len() > CORPUS / 2,
        "most of the corpus reached a frame"
    );
}
