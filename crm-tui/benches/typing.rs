//! Typing a 12-letter name into the search popup one key at a time, as a user does, at 160x48:
//! the time of every frame (the key handled, arrived results shown, the screen drawn) and how
//! long after the last key the whole name's results are on screen. The names are drawn at
//! random from the database's leads (seeded), never chosen by hand.
//!
//! `CRM_BENCH_DB=path` measures an existing database (bench/run.sh: a million leads); without
//! it a 10k-lead demo is generated. `CRM_BENCH_NAMES` (default 20) names are typed,
//! `CRM_BENCH_KEY_MS` (default 120) milliseconds apart, a fast typist's pace; at 0 every search
//! but the last is overtaken and interrupted.
#![allow(clippy::unwrap_used, clippy::cast_precision_loss)]

use std::time::{Duration, Instant};

use crm_core::testing::search_set::{percentile, typed_names};
use crm_core::{Crm, DEMO_PASSWORD};
use crm_tui::{App, Start, Theme};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

const AREA: Rect = Rect::new(0, 0, 160, 48);
/// The length of a typed name.
const LETTERS: usize = 12;

fn main() {
    let path = crm_core::testing::bench_database();
    let wanted: usize = std::env::var("CRM_BENCH_NAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let names = typed_names(path, 12, wanted, LETTERS);
    let pace = Duration::from_millis(
        std::env::var("CRM_BENCH_KEY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(120),
    );
    let crm = Crm::open(path).unwrap();
    let (mut actor, _) = crm.login("admin", DEMO_PASSWORD).unwrap();
    crm.mark_onboarded(&mut actor).unwrap();
    let mut app = App::new(&crm, Start::Session(actor), Theme::colored());
    app.resize(AREA.width, AREA.height);
    let mut buf = Buffer::empty(AREA);
    let mut frames = Vec::new();
    let mut latencies = Vec::new();
    for name in &names {
        app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL));
        for c in name.chars() {
            // The time a fast typist leaves between two keys.
            std::thread::sleep(pace);
            let start = Instant::now();
            app.press(KeyCode::Char(c));
            app.tick();
            buf.reset();
            (&app).render(AREA, &mut buf);
            frames.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        let start = Instant::now();
        app.settle();
        buf.reset();
        (&app).render(AREA, &mut buf);
        latencies.push(start.elapsed().as_secs_f64() * 1000.0);
        app.press(KeyCode::Esc);
    }
    frames.sort_by(f64::total_cmp);
    latencies.sort_by(f64::total_cmp);
    println!(
        "typing: {} names of {LETTERS} characters, {} frames, a key every {} ms",
        names.len(),
        frames.len(),
        pace.as_millis()
    );
    println!(
        "frame (key, arrived results, draw)   p50 {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms",
        percentile(&frames, 50.0),
        percentile(&frames, 99.0),
        frames.last().copied().unwrap_or(0.0)
    );
    println!(
        "whole name's results after last key  p50 {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms",
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        latencies.last().copied().unwrap_or(0.0)
    );
    println!("names: {}", names.join(", "));
}
