//! The authorization matrix of *linking*: pointing a deal or a ticket at a contact, the
//! contact a conversion reuses, an import's `contact_email`, and the undo of imports and merges.
//! Linking to a record shows it (a deal prints its contact's name, email and company) or
//! changes it, so the same scope rules apply as for reading or writing it. Every cell runs the
//! real service on a fresh contact owned by the actor, another rep, or nobody; a refused call
//! must leave the database byte for byte as it was.

use crm_core::import::{ImportKind, ImportOptions};
use crm_core::{
    Actor, ContactId, ContactPatch, DealPatch, Error, NewContact, NewDeal, NewLead, NewTicket, Role,
};

use crate::access::{Outcome, classify};
use crate::env::Env;
use crm_core::testing::access::{OWNERSHIP, ROLES};

/// Columns as in `access.rs`: admin, manager, `sales_rep`, `support_agent`, marketer; for each
/// the contact is the actor's own, another rep's (ravi's), and nobody's.
const MATRIX: &[(&str, &str)] = &[
    //                         admin manager rep   support marketer
    ("deal-contact", "YYY YYY Y-- --- ---"),
    ("deal-edit-contact", "YYY YYY Y-- --- ---"),
    ("ticket-contact", "YYY YYY Y-- Y-- ---"),
    ("conversion-match", "YYY YYY Y-- --- ---"),
    ("import-contact-email", "YYY YYY Y-- --- ---"),
    ("import-undo", "YYY YYY Y-- --- ---"),
    ("merge-undo", "YYY YYY Y-- --- ---"),
];

fn contact(env: &Env, name: &str, owner: &str) -> ContactId {
    let new = NewContact {
        first_name: name.into(),
        email: Some(format!("{name}@example.com")),
        company: Some(format!("{name} Widgets")),
        owner: Some(owner.into()),
        allow_duplicate: true,
        ..NewContact::default()
    };
    env.crm.add_contact(&env.admin, &new).unwrap().id
}

fn set_owner(env: &Env, id: ContactId, owner: &str) {
    let patch = ContactPatch {
        owner: Some(owner.into()),
        ..ContactPatch::default()
    };
    env.crm.edit_contact(&env.admin, id, &patch).unwrap();
}

/// What a cell needs before the call under test, made by the admin (or by the actor, for the
/// import and the merge it then undoes); the contact the call links to is owned by `owner`.
struct Cell {
    contact: ContactId,
    /// The actor's own deal (deal-edit), lead (conversion), batch (import-undo) or merge.
    own: Option<i64>,
}

fn prepare(env: &Env, verb: &str, actor: &Actor, owner: &str, name: &str) -> Cell {
    let crm = &env.crm;
    match verb {
        "import-undo" => {
            // The actor imports the contact as their own; the admin then gives it to `owner`.
            let csv = format!("first_name,email\n{name},{name}@example.com\n");
            let report = crm
                .import(
                    actor,
                    csv.as_bytes(),
                    &ImportOptions::new(ImportKind::Contacts),
                    &mut (),
                )
                .ok();
            let batch = report.and_then(|r| r.batch).map(|b| b.0);
            let id = crm_core::testing::count(
                &env.path,
                &format!("SELECT ifnull(max(id), 0) FROM contacts WHERE first_name = '{name}'"),
            );
            if id > 0 && owner != actor.username() {
                set_owner(env, ContactId(id), owner);
            }
            Cell {
                contact: ContactId(id),
                own: batch,
            }
        }
        "merge-undo" => {
            let keep = contact(env, name, actor.username());
            let twin = contact(env, &format!("{name}Twin"), actor.username());
            let merge = crm
                .merge_contacts(actor, keep, &[twin])
                .ok()
                .map(|m| m.id.0);
            if owner != actor.username() {
                set_owner(env, keep, owner);
            }
            Cell {
                contact: keep,
                own: merge,
            }
        }
        _ => {
            let id = contact(env, name, owner);
            let own = match verb {
                "deal-edit-contact" => {
                    let deal = NewDeal {
                        title: format!("{name} deal"),
                        owner: Some(actor.username().to_owned()),
                        ..NewDeal::default()
                    };
                    crm.add_deal(&env.admin, &deal).ok().map(|d| d.id.0)
                }
                "conversion-match" => {
                    let lead = NewLead {
                        first_name: format!("{name}Lead"),
                        email: Some(format!("{name}@example.com")),
                        owner: Some(actor.username().to_owned()),
                        ..NewLead::default()
                    };
                    crm.add_lead(&env.admin, &lead).ok().map(|l| l.id.0)
                }
                _ => None,
            };
            Cell { contact: id, own }
        }
    }
}

fn perform(
    env: &Env,
    actor: &Actor,
    verb: &str,
    cell: &Cell,
    name: &str,
) -> Result<Outcome, String> {
    let crm = &env.crm;
    let own = cell.own.unwrap_or_default();
    match verb {
        "deal-contact" => classify(crm.add_deal(
            actor,
            &NewDeal {
                title: format!("{name} probe"),
                contact: Some(cell.contact),
                amount: Some("100".into()),
                ..NewDeal::default()
            },
        )),
        "deal-edit-contact" => {
            if cell.own.is_none() {
                // The role may not own deals at all, so has none to point anywhere.
                return Ok(Outcome::Refused);
            }
            classify(crm.edit_deal(
                actor,
                crm_core::DealId(own),
                &DealPatch {
                    contact: Some(Some(cell.contact)),
                    ..DealPatch::default()
                },
            ))
        }
        "ticket-contact" => classify(crm.add_ticket(
            actor,
            &NewTicket {
                fields: crm_core::FieldInput::default(),
                subject: format!("{name} probe"),
                description: None,
                contact: cell.contact,
                priority: None,
                assignee: None,
            },
        )),
        "conversion-match" => {
            if cell.own.is_none() {
                return Ok(Outcome::Refused);
            }
            let before = format!("{:?}", crm.contact(&env.admin, cell.contact).unwrap());
            match crm.convert_lead(actor, crm_core::LeadId(own), None, None, false) {
                Ok(conversion) if conversion.contact_id == cell.contact => Ok(Outcome::Allowed),
                Ok(conversion) => {
                    // A new contact instead: the matched one is untouched and not linked.
                    let after = format!("{:?}", crm.contact(&env.admin, cell.contact).unwrap());
                    if before != after {
                        return Err("the conversion changed a contact it did not use".into());
                    }
                    crm.contact(actor, conversion.contact_id).map_err(|e| {
                        format!("the converting user cannot read the new contact: {e}")
                    })?;
                    Ok(Outcome::Refused)
                }
                Err(e) => classify::<()>(Err(e)),
            }
        }
        "import-contact-email" => {
            let csv = format!("title,contact_email,amount\n{name} probe,{name}@example.com,100\n");
            match crm.import(
                actor,
                csv.as_bytes(),
                &ImportOptions::new(ImportKind::Deals),
                &mut (),
            ) {
                Ok(report) if report.committed && report.inserted == 1 => Ok(Outcome::Allowed),
                Ok(_) => Ok(Outcome::Refused),
                Err(e) => classify::<()>(Err(e)),
            }
        }
        "import-undo" => match cell.own {
            None => Ok(Outcome::Refused),
            Some(batch) => classify(crm.undo_import(actor, crm_core::BatchId(batch))),
        },
        _ => {
            assert_eq!(verb, "merge-undo");
            match cell.own {
                None => Ok(Outcome::Refused),
                Some(merge) => classify(crm.undo_merge(actor, crm_core::MergeId(merge))),
            }
        }
    }
}

crate::on_both_engines!(every_cell_of_the_linking_matrix_holds_and_refusals_change_nothing);
fn every_cell_of_the_linking_matrix_holds_and_refusals_change_nothing(env: &Env) {
    let actors = [
        env.admin.clone(),
        env.user("mona", Role::Manager),
        env.user("asha", Role::SalesRep),
        env.user("sam", Role::SupportAgent),
        env.user("neha", Role::Marketer),
    ];
    env.user("ravi", Role::SalesRep);
    let mut mismatches = Vec::new();
    let (mut cells, mut refused) = (0, 0);
    for (verb, row) in MATRIX {
        let expected: Vec<char> = row.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(expected.len(), 15, "{verb}");
        for (r, actor) in actors.iter().enumerate() {
            for (o, ownership) in OWNERSHIP.iter().enumerate() {
                let owner = match *ownership {
                    "own" => ROLES[r],
                    "other" => "ravi",
                    _ => "",
                };
                cells += 1;
                let name = format!("Link{cells}");
                let cell = prepare(env, verb, actor, owner, &name);
                let before = env.dump();
                let outcome = perform(env, actor, verb, &cell, &name);
                let want = expected[r * 3 + o] == 'Y';
                let at = format!("{verb} by {} on {ownership}", actor.role());
                match outcome {
                    Err(other) => mismatches.push(format!("{at}: unexpected error: {other}")),
                    Ok(Outcome::Allowed) if !want => {
                        mismatches.push(format!("{at}: allowed, table says refused"));
                    }
                    Ok(Outcome::Refused) if want => {
                        mismatches.push(format!("{at}: refused, table says allowed"));
                    }
                    Ok(Outcome::Refused) => {
                        // A conversion that declines the match still converts, into a new
                        // contact; what it must not touch is checked in `perform`.
                        if *verb != "conversion-match" && env.dump() != before {
                            mismatches.push(format!("{at}: refused but the database changed"));
                        }
                        refused += 1;
                    }
                    Ok(Outcome::Allowed) => {}
                }
            }
        }
    }
    println!(
        "linking matrix: {cells} cells, {refused} refused with the database unchanged, {} mismatches",
        mismatches.len()
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

crate::on_both_engines!(a_refused_link_names_no_one);
/// The refusal of a link shows nothing of the contact: not its name, email or company.
fn a_refused_link_names_no_one(env: &Env) {
    let asha = env.user("asha", Role::SalesRep);
    env.user("ravi", Role::SalesRep);
    let theirs = contact(env, "Vikram", "ravi");
    let deal = NewDeal {
        title: "probe".into(),
        contact: Some(theirs),
        amount: Some("100".into()),
        ..NewDeal::default()
    };
    let err = env.crm.add_deal(&asha, &deal).unwrap_err().to_string();
    assert!(matches!(
        env.crm.add_deal(&asha, &deal),
        Err(Error::Forbidden(_))
    ));
    for secret in ["Vikram", "example.com", "Widgets"] {
        assert!(!err.contains(secret), "{err}");
    }
    let csv = "title,contact_email\nprobe,Vikram@example.com\n";
    let mut options = ImportOptions::new(ImportKind::Deals);
    options.skip_invalid = true;
    let report = env
        .crm
        .import(&asha, csv.as_bytes(), &options, &mut ())
        .unwrap();
    assert_eq!(report.inserted, 0);
}

crate::on_both_engines!(a_rep_may_not_auto_assign_by_import_or_by_hand);
/// A rep's `--auto-assign` would give leads to other reps, which `--owner` already refuses.
fn a_rep_may_not_auto_assign_by_import_or_by_hand(env: &Env) {
    let asha = env.user("asha", Role::SalesRep);
    env.user("ravi", Role::SalesRep);
    let before = env.dump();
    let mut options = ImportOptions::new(ImportKind::Leads);
    options.auto_assign = true;
    let csv = "first_name,email\nOne,one@example.com\nTwo,two@example.com\n";
    assert!(matches!(
        env.crm.import(&asha, csv.as_bytes(), &options, &mut ()),
        Err(Error::Forbidden(_))
    ));
    let lead = NewLead {
        first_name: "Three".into(),
        auto_assign: true,
        ..NewLead::default()
    };
    assert!(matches!(
        env.crm.add_lead(&asha, &lead),
        Err(Error::Forbidden(_))
    ));
    assert_eq!(env.dump(), before);
}

crate::on_both_engines!(undo_of_an_import_refuses_records_that_moved_to_another_rep);
/// A lead reassigned and edited by another rep after the import is no longer the importer's
/// to delete: the undo names it and changes nothing; a manager may still undo.
fn undo_of_an_import_refuses_records_that_moved_to_another_rep(env: &Env) {
    let asha = env.user("asha", Role::SalesRep);
    let ravi = env.user("ravi", Role::SalesRep);
    let meera = env.user("meera", Role::Manager);
    let csv = "first_name,email\nOne,one@example.com\nTwo,two@example.com\n";
    let report = env
        .crm
        .import(
            &asha,
            csv.as_bytes(),
            &ImportOptions::new(ImportKind::Leads),
            &mut (),
        )
        .unwrap();
    let batch = report.batch.unwrap();
    let two = env
        .crm
        .list_leads(
            &env.admin,
            &crm_core::LeadQuery {
                search: Some("two@example.com".into()),
                ..crm_core::LeadQuery::default()
            },
        )
        .unwrap()
        .items[0]
        .id;
    env.crm.assign_lead(&meera, two, "ravi").unwrap();
    env.crm
        .edit_lead(
            &ravi,
            two,
            &crm_core::LeadPatch {
                notes: Some("ravi's now".into()),
                ..crm_core::LeadPatch::default()
            },
        )
        .unwrap();
    let before = env.dump();
    let err = env.crm.undo_import(&asha, batch).unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err}");
    assert!(err.to_string().contains(&format!("lead {two}")), "{err}");
    assert_eq!(env.dump(), before);
    let undone = env.crm.undo_import(&meera, batch).unwrap();
    assert_eq!(undone.removed, 2);
}
