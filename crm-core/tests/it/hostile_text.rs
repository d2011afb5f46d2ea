//! Hostile text through the services: 10,000 generated strings (escape sequences, controls,
//! bidi overrides, line breaks, NULs, formula starts, very long lines) as lead names, note
//! bodies, ticket subjects and search queries. Each is stored exactly as validation says, or
//! refused with a one-line error that names the field and is itself safe to print.

use std::collections::BTreeMap;

use crm_core::testing::{hostile_strings, terminal_hazards};
use crm_core::{Durability, EntityKind, Error, NewContact, NewLead, NewTicket, RecordRef};

use crate::env::Env;
use crate::env::loaded;

const CORPUS: usize = 10_000;

/// Stored and refused counts per use, with the checks on each outcome done as it comes.
#[derive(Default)]
struct Tally(BTreeMap<&'static str, (usize, usize)>);

impl Tally {
    /// `outcome` is the stored text or the error; `expected` what validation makes of the
    /// input; `field` the name a refusal must give.
    fn check(
        &mut self,
        what: &'static str,
        field: &str,
        input: &str,
        outcome: Result<String, Error>,
        expected: &str,
    ) {
        let counts = self.0.entry(what).or_default();
        match outcome {
            Ok(stored) => {
                counts.0 += 1;
                assert_eq!(
                    stored, expected,
                    "{what}: stored text differs from {input:?}"
                );
            }
            Err(err) => {
                counts.1 += 1;
                assert!(
                    matches!(&err, Error::Invalid { field: f, .. } if f == field),
                    "{what}: {input:?} refused without naming {field}: {err:?}"
                );
                let message = err.to_string();
                assert!(
                    terminal_hazards(&message).is_empty() && !message.contains('\n'),
                    "{what}: the error is not one safe line: {message:?}"
                );
            }
        }
    }
}

/// What single-line validation keeps of a value it accepts.
fn single_line(text: &str) -> String {
    text.trim().to_string()
}

/// What multi-line validation keeps: trimmed, Windows line breaks as `\n`.
fn multi_line(text: &str) -> String {
    text.trim().replace("\r\n", "\n")
}

crate::on_both_engines!(hostile_text_is_stored_exactly_or_refused_naming_the_field);
fn hostile_text_is_stored_exactly_or_refused_naming_the_field(env: &Env) {
    // Durability is not under test; 30,000 writes are.
    env.crm.set_durability(Durability::Normal).unwrap();
    let admin = &env.admin;
    let anchor = env
        .crm
        .add_lead(
            admin,
            &NewLead {
                first_name: "Anchor".into(),
                ..NewLead::default()
            },
        )
        .unwrap();
    let customer = env
        .crm
        .add_contact(
            admin,
            &NewContact {
                first_name: "Customer".into(),
                ..NewContact::default()
            },
        )
        .unwrap();
    let corpus = hostile_strings(CORPUS, 1);
    let mut tally = Tally::default();
    for text in &corpus {
        let lead = env.crm.add_lead(
            admin,
            &NewLead {
                first_name: text.clone(),
                company: Some(text.clone()),
                ..NewLead::default()
            },
        );
        let lead = lead
            .and_then(|l| env.crm.lead(admin, l.id))
            .map(|l| l.first_name);
        tally.check("lead name", "first name", text, lead, &single_line(text));

        let note = env
            .crm
            .add_note(
                admin,
                Some(RecordRef::new(EntityKind::Lead, anchor.id.0)),
                None,
                text,
            )
            .map(|added| added.note.body);
        tally.check("note body", "note", text, note, &multi_line(text));

        let ticket = env
            .crm
            .add_ticket(
                admin,
                &NewTicket {
                    fields: crm_core::FieldInput::default(),
                    subject: text.clone(),
                    description: Some(text.clone()),
                    contact: customer.id,
                    priority: None,
                    assignee: None,
                },
            )
            .and_then(|t| env.crm.ticket(admin, t.id))
            .map(|t| t.subject);
        tally.check(
            "ticket subject",
            "subject",
            text,
            ticket,
            &single_line(text),
        );
    }
    for (what, (stored, refused)) in &tally.0 {
        println!("hostile text as {what}: {stored} stored exactly, {refused} refused by name");
        assert_eq!(stored + refused, CORPUS);
        assert!(
            *stored > 1_000 && *refused > 1_000,
            "{what}: the corpus tests both paths"
        );
    }
}

crate::on_both_engines!(demo => loaded: hostile_search_queries_answer_or_refuse_cleanly);
fn hostile_search_queries_answer_or_refuse_cleanly(env: &Env) {
    let corpus = hostile_strings(CORPUS, 2);
    let (mut answered, mut refused) = (0, 0);
    for text in &corpus {
        match env.crm.search(&env.admin, text, EntityKind::ALL, 20) {
            Ok(_) => answered += 1,
            Err(err @ Error::Invalid { .. }) => {
                refused += 1;
                let message = err.to_string();
                assert!(terminal_hazards(&message).is_empty(), "{message:?}");
            }
            Err(err) => panic!("search for {text:?} failed: {err}"),
        }
    }
    println!("hostile search queries: {answered} answered, {refused} refused as invalid, 0 failed");
}
