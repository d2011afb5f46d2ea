//! Flows driven by key and mouse events, checked in the database and on the next frame.

use crm_core::{DEMO_PASSWORD, DealQuery, EntityKind, LeadQuery, LeadStage, RecordRef};
use crm_tui::App;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use crate::support::{Demo, demo, frame};

/// Presses Down until the cursor is on `record` (at most `limit` times).
fn seek(app: &mut App<'_>, record: RecordRef, limit: usize) {
    for _ in 0..limit {
        if app.focus() == Some(record) {
            return;
        }
        app.press(KeyCode::Down);
    }
    assert_eq!(app.focus(), Some(record), "never reached {record:?}");
}

fn login(app: &mut App<'_>, username: &str, password: &str) {
    app.type_text(username);
    app.press(KeyCode::Tab);
    app.type_text(password);
    app.press(KeyCode::Enter);
}

fn click(app: &mut App<'_>, kind: MouseEventKind, column: u16, row: u16) {
    app.handle_event(&ratatui::crossterm::event::Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

#[test]
fn login_shows_the_services_message_then_the_dashboard_and_the_walkthrough_once() {
    let demo = demo();
    let mut app = demo.app();
    login(&mut app, "asha", "wrong-password");
    assert!(app.actor().is_none());
    let screen = frame(&app, 80, 24);
    assert!(screen.contains("invalid username or password"), "{screen}");
    assert!(
        !screen.contains("wrong-password"),
        "the password is never drawn"
    );

    // The password field has the keyboard after a failure; the username stays.
    app.type_text(DEMO_PASSWORD);
    app.press(KeyCode::Enter);
    assert_eq!(app.actor().unwrap().username(), "asha");
    assert_eq!(app.section(), Some("Dashboard"));
    assert!(app.has_popup(), "first login opens the walkthrough");
    assert!(frame(&app, 80, 24).contains("Welcome"));
    app.press(KeyCode::Esc);
    assert!(!app.has_popup());
    assert_eq!(
        demo.count("SELECT onboarded FROM users WHERE username = 'asha'"),
        1,
        "skipping is remembered"
    );

    let mut again = demo.app();
    login(&mut again, "asha", DEMO_PASSWORD);
    assert!(!again.has_popup(), "no walkthrough the second time");
    again.press(KeyCode::Char('W'));
    assert!(again.has_popup(), "W replays it");
}

#[test]
fn five_failures_show_the_lock_out() {
    let demo = demo();
    let mut app = demo.app();
    app.type_text("ravi");
    app.press(KeyCode::Tab);
    for _ in 0..5 {
        app.type_text("nope");
        app.press(KeyCode::Enter);
    }
    // Locked, and the screen says what locks an account without telling anyone that this one
    // exists or is locked (the same words an unknown user gets).
    let screen = frame(&app, 100, 24);
    assert!(screen.contains("5 failed logins in a row"), "{screen}");
    assert_eq!(
        demo.count(
            "SELECT count(*) FROM users WHERE username = 'ravi' AND locked_until IS NOT NULL"
        ),
        1
    );
}

/// The flow: log in, open a lead, convert it, move the deal across the Kanban to Won.
#[test]
fn convert_a_lead_and_win_its_deal_on_the_board() {
    let demo = demo();
    let mut app = demo.logged_in("asha", 120, 40);
    let asha = app.actor().unwrap().clone();
    let lead = demo
        .crm
        .list_leads(
            &asha,
            &LeadQuery {
                stage: Some(LeadStage::Qualified),
                ..LeadQuery::default()
            },
        )
        .unwrap()
        .items
        .remove(0);

    app.press(KeyCode::Char('3'));
    app.press(KeyCode::Char('/'));
    app.type_text(&lead.email.clone().unwrap());
    app.press(KeyCode::Enter);
    seek(&mut app, RecordRef::new(EntityKind::Lead, lead.id.0), 5);
    app.press(KeyCode::Enter);
    let page = frame(&app, 120, 40);
    assert!(
        page.contains(&format!("Lead {} · {}", lead.id, lead.full_name())),
        "{page}"
    );

    app.press(KeyCode::Char('c'));
    let dialog = frame(&app, 120, 40);
    assert!(dialog.contains("Convert lead"), "{dialog}");
    assert!(
        dialog.contains("Deal:") && dialog.contains("in stage New"),
        "{dialog}"
    );
    app.press(KeyCode::Enter);
    assert!(
        app.message().unwrap().contains("converted"),
        "{:?}",
        app.message()
    );
    assert_eq!(
        demo.count(&format!(
            "SELECT count(*) FROM leads WHERE id = {} AND stage = 'Converted'",
            lead.id
        )),
        1
    );
    let deal_id = demo.count(&format!("SELECT deal_id FROM leads WHERE id = {}", lead.id));
    let deal = RecordRef::new(EntityKind::Deal, deal_id);

    app.press(KeyCode::Char('5'));
    seek(&mut app, deal, 60);
    for stage in ["Qualified", "Proposal", "Negotiation"] {
        app.press(KeyCode::Char('>'));
        assert_eq!(
            demo.count(&format!(
                "SELECT count(*) FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id \
                 WHERE d.id = {deal_id} AND s.name = '{stage}'"
            )),
            1,
            "moved to {stage}"
        );
        assert_eq!(app.focus(), Some(deal), "the cursor follows the deal");
    }
    app.press(KeyCode::Char('w'));
    assert!(frame(&app, 120, 40).contains("as won?"));
    app.press(KeyCode::Enter);
    assert_eq!(
        demo.count(&format!(
            "SELECT count(*) FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id \
             WHERE d.id = {deal_id} AND s.is_won = 1 AND d.closed_at IS NOT NULL"
        )),
        1
    );
    let board = frame(&app, 120, 40);
    assert!(board.contains(&format!("Deal {deal_id} won")), "{board}");

    // The dashboard reflects the win at once.
    let won = demo
        .crm
        .dashboard(&asha)
        .unwrap()
        .pipeline
        .unwrap()
        .won_this_month;
    app.press(KeyCode::Char('1'));
    let dashboard = frame(&app, 120, 40);
    assert!(dashboard.contains(&format!("{won} deals")), "{dashboard}");
}

#[test]
fn a_deal_dragged_with_the_mouse_moves_and_the_sidebar_takes_clicks() {
    let demo = demo();
    let mut app = demo.logged_in("admin", 160, 48);
    // Sidebar row 5 is the pipeline (rows count from the header at 0).
    click(&mut app, MouseEventKind::Down(MouseButton::Left), 3, 5);
    assert_eq!(app.section(), Some("Pipeline"));
    let first = app.focus().unwrap();
    // Body starts at x=16 (sidebar) and y=1; the board shows 5 columns of 28 at 160 wide.
    click(&mut app, MouseEventKind::Down(MouseButton::Left), 20, 2);
    click(
        &mut app,
        MouseEventKind::Up(MouseButton::Left),
        16 + 28 + 5,
        10,
    );
    assert_eq!(
        demo.count(&format!(
            "SELECT count(*) FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id \
             WHERE d.id = {} AND s.name = 'Qualified'",
            first.id
        )),
        1,
        "dropped on the second column"
    );
}

#[test]
fn resolving_a_ticket_queues_the_email_and_says_so() {
    let demo = demo();
    let mut app = demo.logged_in("john", 120, 30);
    app.press(KeyCode::Char('6'));
    let ticket = app.focus().unwrap();
    app.press(KeyCode::Char('v'));
    app.press(KeyCode::Enter);
    assert!(
        frame(&app, 120, 30).contains("invalid resolution"),
        "an empty resolution is refused inside the dialog"
    );
    app.type_text("Replaced the part; confirmed working.");
    app.press(KeyCode::Enter);
    assert!(
        app.message().unwrap().contains("queued in the outbox"),
        "{:?}",
        app.message()
    );
    assert_eq!(
        demo.count(&format!(
            "SELECT count(*) FROM tickets WHERE id = {} AND status = 'Resolved'",
            ticket.id
        )),
        1
    );
    assert_eq!(
        demo.count(&format!(
            "SELECT count(*) FROM outbox WHERE ticket_id = {}",
            ticket.id
        )),
        1
    );
}

#[test]
fn a_form_shows_problems_beside_fields_and_saves_nothing_until_valid() {
    let demo = demo();
    let mut app = demo.logged_in("meera", 120, 40);
    let before = demo.count("SELECT count(*) FROM leads");
    app.press(KeyCode::Char('3'));
    app.press(KeyCode::Char('a'));
    app.press(KeyCode::Enter);
    // A lead needs a name, an email or a phone: the service says so beside the first name.
    let screen = frame(&app, 120, 40);
    assert!(
        screen.contains("↳ is required without a last name, email or phone"),
        "{screen}"
    );
    assert_eq!(demo.count("SELECT count(*) FROM leads"), before);

    app.type_text("Kavya");
    for _ in 0..2 {
        app.press(KeyCode::Tab);
    }
    app.type_text("not-an-email");
    app.press(KeyCode::Enter);
    let screen = frame(&app, 120, 40);
    assert!(screen.contains("↳") && screen.contains("email"), "{screen}");
    assert_eq!(
        demo.count("SELECT count(*) FROM leads"),
        before,
        "nothing saved"
    );

    app.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    app.type_text("kavya@example.in");
    // Down to the auto-assign box and tick it.
    for _ in 0..8 {
        app.press(KeyCode::Tab);
    }
    app.press(KeyCode::Char(' '));
    app.press(KeyCode::Enter);
    assert!(
        app.message().unwrap().contains("Lead"),
        "{:?}",
        app.message()
    );
    assert_eq!(
        demo.count(
            "SELECT count(*) FROM leads l JOIN users u ON u.id = l.owner_id \
             WHERE l.email = 'kavya@example.in' AND u.role = 'sales_rep'"
        ),
        1,
        "auto-assigned to a sales rep"
    );
}

#[test]
fn marked_leads_are_nurtured_together() {
    let demo = demo();
    let mut app = demo.logged_in("admin", 120, 40);
    let tasks = demo.count("SELECT count(*) FROM tasks");
    app.press(KeyCode::Char('3'));
    let first = app.focus().unwrap();
    app.press(KeyCode::Char(' '));
    app.press(KeyCode::Char(' '));
    assert!(frame(&app, 120, 40).contains("2 marked"));
    // Someone marks the first one Lost meanwhile: it is skipped and said, the other nurtured.
    let admin = app.actor().unwrap().clone();
    demo.crm
        .edit_lead(
            &admin,
            crm_core::LeadId(first.id),
            &crm_core::LeadPatch {
                stage: Some(LeadStage::Lost),
                status_reason: Some("went quiet".into()),
                ..crm_core::LeadPatch::default()
            },
        )
        .unwrap();
    app.press(KeyCode::Char('n'));
    assert!(frame(&app, 120, 40).contains("for 2 leads"));
    app.press(KeyCode::Enter);
    assert!(demo.count("SELECT count(*) FROM tasks") >= tasks + 2);
    let message = app.message().unwrap();
    assert!(message.starts_with("Nurture started"), "{message}");
    assert!(
        message.contains(&format!(
            "lead {} skipped (Lost: reopen it to nurture it)",
            first.id
        )),
        "{message}"
    );
}

#[test]
fn notes_and_replies_are_added_on_a_record_page() {
    let demo = demo();
    let mut app = demo.logged_in("admin", 120, 40);
    app.press(KeyCode::Char('2'));
    let contact = app.focus().unwrap();
    app.press(KeyCode::Enter);
    app.press(KeyCode::Char('i'));
    app.type_text("Called; wants a demo next week @asha");
    app.press(KeyCode::Enter);
    assert_eq!(
        demo.count(&format!(
            "SELECT count(*) FROM notes WHERE contact_id = {}",
            contact.id
        )),
        1
    );
    assert!(
        app.message().unwrap().contains("task"),
        "the mention made a task"
    );
    let page = frame(&app, 120, 40);
    assert!(page.contains("Called; wants a demo"), "{page}");
    // A mention of no one is said in the footer, not dropped.
    app.press(KeyCode::Char('i'));
    app.type_text("Ask @nobody about it");
    app.press(KeyCode::Enter);
    assert!(
        app.message()
            .unwrap()
            .contains("@nobody made no task (no user has that name)"),
        "{:?}",
        app.message()
    );
    // Move onto the note and answer it.
    for _ in 0..20 {
        app.press(KeyCode::Down);
    }
    app.press(KeyCode::Char('i'));
    app.type_text("Booked for Tuesday");
    app.press(KeyCode::Enter);
    assert_eq!(
        demo.count(&format!(
            "SELECT count(*) FROM notes WHERE contact_id = {} AND parent_id IS NOT NULL",
            contact.id
        )),
        1
    );
    app.press(KeyCode::Esc);
    assert_eq!(app.section(), Some("Contacts"), "Esc goes back to the list");
}

#[test]
fn global_search_finds_across_types_and_opens_the_record() {
    let demo = demo();
    let mut app = demo.logged_in("admin", 120, 40);
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL));
    app.type_text("arjun");
    app.settle();
    let popup = frame(&app, 120, 40);
    assert!(
        popup.contains("Contacts (") && popup.contains("Arjun Mehta"),
        "{popup}"
    );
    app.press(KeyCode::Enter);
    assert_eq!(app.section(), Some("Contacts"));
    assert!(frame(&app, 120, 40).contains("Arjun Mehta"));
}

#[test]
fn search_as_you_type_shows_the_results_of_the_newest_text_only() {
    let demo = demo();
    let mut app = demo.logged_in("admin", 120, 40);
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL));
    app.type_text("a");
    app.settle();
    let short = frame(&app, 120, 40);
    assert!(short.contains("type more to narrow"), "{short}");
    // Keys typed without waiting: the searches for "ar", "arj", … are overtaken and only the
    // last text's results are shown.
    app.type_text("rjun m");
    app.settle();
    let popup = frame(&app, 120, 40);
    assert!(popup.contains("Arjun Mehta"), "{popup}");
    assert!(!popup.contains("type more to narrow"), "{popup}");
    assert!(
        popup.contains("arjun.mehta@quickcart.co · QuickCart · +9"),
        "the detail is the record as stored: {popup}"
    );
    assert!(
        !popup.contains("Aarav"),
        "no result of an older text: {popup}"
    );
}

#[test]
fn hostile_stored_text_never_reaches_the_terminal() {
    let demo = demo();
    crm_core::testing::execute(
        &demo.path,
        "UPDATE leads SET first_name = 'Evil' || char(27) || '[2J' || char(27) || ']0;owned' || char(7), \
         company = 'Acme' || char(8238) || 'gpj.exe' WHERE id = (SELECT max(id) FROM leads)",
    );
    let mut app = demo.logged_in("admin", 120, 40);
    app.press(KeyCode::Char('3'));
    let list = frame(&app, 120, 40);
    assert!(list.contains("Evil"));
    app.press(KeyCode::Enter);
    let page = frame(&app, 120, 40);
    for screen in [list, page] {
        assert!(
            !screen.contains('\u{1b}') && !screen.contains('\u{7}') && !screen.contains('\u{202e}')
        );
    }
}

#[test]
fn roles_see_only_their_tiles_and_records() {
    let demo = demo();
    let mut support = demo.logged_in("john", 80, 24);
    let screen = frame(&support, 80, 24);
    assert!(
        screen.contains("Tickets") && !screen.contains("Pipeline"),
        "{screen}"
    );
    support.press(KeyCode::Char('3'));
    assert!(
        frame(&support, 80, 24).contains("may not"),
        "leads are refused on screen, not by a crash"
    );

    let rep = demo.logged_in("ravi", 80, 24);
    let ravi = rep.actor().unwrap();
    let shown = demo
        .crm
        .list_deals(ravi, &DealQuery::default())
        .unwrap()
        .items;
    assert!(shown.iter().all(|d| d.owner.as_deref() == Some("ravi")));
}

#[test]
fn no_color_draws_without_colours_and_resizing_redraws() {
    let demo: Demo = demo();
    let mut app = demo.logged_in("admin", 80, 24);
    let narrow = frame(&app, 80, 24);
    assert!(narrow.contains("1 Home") && !narrow.contains("1 Dashboard"));
    app.resize(160, 48);
    let wide = frame(&app, 160, 48);
    assert!(
        wide.contains(" 1 Dashboard"),
        "the sidebar appears when there is room"
    );

    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
    let colours = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .filter(|c| c.fg != ratatui::style::Color::Reset || c.bg != ratatui::style::Color::Reset)
        .count();
    assert_eq!(colours, 0, "Theme::plain (NO_COLOR) sets no colour");
}

/// Meera saves a lead while Asha has its form open: Asha's save is refused with who and when,
/// nothing of hers lands, Ctrl-R shows Meera's change, and Asha's next save keeps both.
#[test]
fn a_save_over_a_change_made_since_the_form_opened_is_refused_and_reload_offered() {
    let demo = demo();
    let mut app = demo.logged_in("asha", 120, 40);
    let asha = app.actor().unwrap().clone();
    let lead = demo
        .crm
        .list_leads(&asha, &LeadQuery::default())
        .unwrap()
        .items
        .remove(0);
    app.press(KeyCode::Char('3'));
    app.press(KeyCode::Char('/'));
    app.type_text(&lead.email.clone().unwrap());
    app.press(KeyCode::Enter);
    seek(&mut app, RecordRef::new(EntityKind::Lead, lead.id.0), 5);
    app.press(KeyCode::Char('e'));
    assert!(frame(&app, 120, 40).contains(&format!("Edit lead {}", lead.id)));

    let (meera, _) = demo.crm.login("meera", DEMO_PASSWORD).unwrap();
    demo.crm
        .edit_lead(
            &meera,
            lead.id,
            &crm_core::LeadPatch {
                job_title: Some("Head of Platform".into()),
                ..crm_core::LeadPatch::default()
            },
        )
        .unwrap();

    app.type_text("a");
    app.press(KeyCode::Enter);
    let screen = frame(&app, 120, 40);
    assert!(
        screen.contains("Changed by meera at 2026-03-01 09:00 UTC since you")
            && screen.contains("Ctrl-R reloads it"),
        "{screen}"
    );
    let stored = demo.crm.lead(&asha, lead.id).unwrap();
    assert_eq!(
        stored.first_name, lead.first_name,
        "nothing of Asha's saved"
    );

    app.handle_key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    let screen = frame(&app, 120, 40);
    assert!(screen.contains("Reloaded as saved now"), "{screen}");
    assert!(
        screen.contains("Head of Platform"),
        "Meera's change shows: {screen}"
    );

    app.type_text("a");
    app.press(KeyCode::Enter);
    assert!(
        app.message().unwrap().contains("saved"),
        "{:?}",
        app.message()
    );
    let stored = demo.crm.lead(&asha, lead.id).unwrap();
    assert_eq!(stored.first_name, format!("{}a", lead.first_name));
    assert_eq!(
        stored.job_title.as_deref(),
        Some("Head of Platform"),
        "both kept"
    );
}

/// A number is never cut: a campaign's ROI of four digits shows whole on the dashboard (it
/// once read "108…", which looks like 108 %), at 80 columns too.
#[test]
fn the_dashboard_shows_a_four_digit_roi_whole() {
    let demo = demo();
    let (admin, _) = demo.crm.login("admin", DEMO_PASSWORD).unwrap();
    let festive = demo
        .crm
        .list_campaigns(&admin, crm_core::CampaignSort::Name, false)
        .unwrap()
        .into_iter()
        .find(|c| c.name.starts_with("Festive"))
        .unwrap();
    let deal = demo
        .crm
        .add_deal(
            &admin,
            &crm_core::NewDeal {
                title: "Bulk festive order".into(),
                campaign: Some(festive.code.clone()),
                amount: Some("5000000".into()),
                ..crm_core::NewDeal::default()
            },
        )
        .unwrap();
    demo.crm.win_deal(&admin, deal.id).unwrap();
    let roi = demo
        .crm
        .campaign(&admin, &festive.code)
        .unwrap()
        .metrics
        .roi_percent
        .unwrap();
    assert!(roi >= 1000.0, "{roi}");
    let shown = format!("{roi:.0}%");
    for width in [80, 120] {
        let app = demo.logged_in("admin", width, 30);
        let screen = frame(&app, width, 30);
        assert!(
            screen.contains(&shown),
            "{shown} at {width} columns:\n{screen}"
        );
    }
}
