//! TUI figures: the first frame (load the dashboard and draw it) and drawing each screen once its
//! data is loaded, at 160x48. `CRM_BENCH_DB=path` measures an existing database (bench/run.sh
//! points it at a million leads); without it a 10k-lead demo database is generated once.
#![allow(clippy::unwrap_used)]

use crm_core::{Crm, DEMO_PASSWORD};
use crm_tui::{App, Start, Theme};
use divan::Bencher;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

fn main() {
    divan::main();
}

const AREA: Rect = Rect::new(0, 0, 160, 48);

/// The admin, logged in once (argon2 takes longer than a frame), walkthrough already seen.
fn admin(crm: &Crm) -> crm_core::Actor {
    let (mut actor, _) = crm.login("admin", DEMO_PASSWORD).unwrap();
    crm.mark_onboarded(&mut actor).unwrap();
    actor
}

/// From a logged-in user to the dashboard drawn: loads the dashboard's figures and draws them.
#[divan::bench]
fn first_frame(bencher: Bencher) {
    let crm = Crm::open(crm_core::testing::bench_database()).unwrap();
    let actor = admin(&crm);
    bencher.bench_local(|| {
        let mut app = App::new(&crm, Start::Session(actor.clone()), Theme::colored());
        app.resize(AREA.width, AREA.height);
        let mut buf = Buffer::empty(AREA);
        (&app).render(AREA, &mut buf);
        buf
    });
}

/// Drawing a screen whose data is loaded: what every key press costs on top of its action.
#[divan::bench(args = ["1 dashboard", "2 contacts", "3 leads", "5 pipeline", "6 tickets", "8 activity", "9 reports"])]
fn draw(bencher: Bencher, screen: &str) {
    let crm = Crm::open(crm_core::testing::bench_database()).unwrap();
    let mut app = App::new(&crm, Start::Session(admin(&crm)), Theme::colored());
    app.resize(AREA.width, AREA.height);
    app.press(KeyCode::Char(screen.chars().next().unwrap()));
    let mut buf = Buffer::empty(AREA);
    bencher.bench_local(|| {
        buf.reset();
        (&app).render(AREA, &mut buf);
    });
}

/// Moving the cursor down a list, fetching the next page from the database when it is near.
#[divan::bench]
fn scroll_leads_one_page(bencher: Bencher) {
    let crm = Crm::open(crm_core::testing::bench_database()).unwrap();
    let mut app = App::new(&crm, Start::Session(admin(&crm)), Theme::colored());
    app.resize(AREA.width, AREA.height);
    app.press(KeyCode::Char('3'));
    bencher.bench_local(|| app.press(KeyCode::PageDown));
}
