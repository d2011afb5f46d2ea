//! The authorization matrix of `docs/reliability.md`, shared by the test that runs it against
//! the services and the one that runs it through `crm serve`: one table, two ways in.

use std::path::Path;

use crate::{
    Actor, ContactId, Crm, EntityKind, NewCompany, NewContact, NewDeal, NewLead, NewTask,
    NewTicket, RecordRef, Role,
};

/// Columns: admin, manager, `sales_rep`, `support_agent`, marketer; for each the record is the
/// actor's own, another rep's, and nobody's. `Y` allowed, `-` refused. A support agent reads
/// the contacts they added (callers) and those on their tickets, but edits none. A ticket is
/// "own" when its contact is the actor's (and it is assigned to them when they take tickets);
/// a task when it is assigned to the actor. "by-email" is finding the record by its email
/// address; "privacy-export" the person's data by email. Everyone reads companies; a company's
/// "page" lists its contact (owned as the column says) only to those who may read that contact;
/// "add" is adding a company for the owner the column names.
pub const MATRIX: &[(&str, &str)] = &[
    //                  admin manager rep   support marketer
    ("lead read", "YYY YYY Y-- --- YYY"),
    ("lead edit", "YYY YYY Y-- --- YYY"),
    ("lead bulk-edit", "YYY YYY Y-- --- YYY"),
    ("lead score", "YYY YYY Y-- --- YYY"),
    ("lead assign", "YYY YYY --- --- YYY"),
    ("lead nurture", "YYY YYY Y-- --- YYY"),
    ("lead convert", "YYY YYY Y-- --- ---"),
    ("lead delete", "YYY YYY Y-- --- YYY"),
    ("lead note", "YYY YYY Y-- --- YYY"),
    ("lead feed", "YYY YYY Y-- --- YYY"),
    ("lead listed", "YYY YYY Y-- --- YYY"),
    ("lead search", "YYY YYY Y-- --- YYY"),
    ("contact read", "YYY YYY Y-- Y-- ---"),
    ("contact edit", "YYY YYY Y-- --- ---"),
    ("contact delete", "YYY YYY Y-- --- ---"),
    ("contact bulk-delete", "YYY YYY Y-- --- ---"),
    ("contact merge", "YYY YYY Y-- --- ---"),
    ("contact dupes", "YYY YYY Y-- Y-- ---"),
    ("lead dupes", "YYY YYY Y-- --- YYY"),
    ("contact note", "YYY YYY Y-- Y-- ---"),
    ("contact feed", "YYY YYY Y-- Y-- ---"),
    ("contact listed", "YYY YYY Y-- Y-- ---"),
    ("contact search", "YYY YYY Y-- Y-- ---"),
    ("deal read", "YYY YYY Y-- --- ---"),
    ("deal move", "YYY YYY Y-- --- ---"),
    ("deal delete", "YYY YYY Y-- --- ---"),
    ("deal note", "YYY YYY Y-- --- ---"),
    ("deal feed", "YYY YYY Y-- --- ---"),
    ("deal listed", "YYY YYY Y-- --- ---"),
    ("deal search", "YYY YYY Y-- --- ---"),
    ("ticket read", "YYY YYY Y-- YYY ---"),
    ("ticket edit", "YYY YYY --- YYY ---"),
    ("ticket assign", "YYY YYY --- YYY ---"),
    ("ticket resolve", "YYY YYY --- YYY ---"),
    ("ticket note", "YYY YYY Y-- YYY ---"),
    ("ticket feed", "YYY YYY Y-- YYY ---"),
    ("ticket listed", "YYY YYY Y-- YYY ---"),
    ("ticket search", "YYY YYY Y-- YYY ---"),
    ("task read", "YYY YYY Y-- Y-- Y--"),
    ("task edit", "YYY YYY Y-- Y-- Y--"),
    ("task done", "YYY YYY Y-- Y-- Y--"),
    ("task bulk-done", "YYY YYY Y-- Y-- Y--"),
    ("task delete", "YYY YYY Y-- Y-- Y--"),
    ("task listed", "YYY YYY Y-- Y-- Y--"),
    ("lead by-email", "YYY YYY Y-- --- YYY"),
    ("contact by-email", "YYY YYY Y-- Y-- ---"),
    ("lead privacy-export", "YYY --- --- --- ---"),
    ("contact privacy-export", "YYY --- --- --- ---"),
    ("company read", "YYY YYY YYY YYY YYY"),
    ("company add", "YYY YYY Y-- --- Y--"),
    ("company edit", "YYY YYY Y-Y --- Y-Y"),
    ("company delete", "YYY YYY --- --- ---"),
    ("company merge", "YYY YYY --- --- ---"),
    ("company dupes", "YYY YYY YYY YYY YYY"),
    ("company page", "YYY YYY Y-- Y-- ---"),
];

pub const ROLES: [&str; 5] = ["root", "mona", "asha", "sam", "neha"];
pub const OWNERSHIP: [&str; 3] = ["own", "other", "nobody"];

/// The users of the matrix's columns, in order, and the other rep whose records are "other".
pub const USERS: [(&str, Role); 5] = [
    ("root", Role::Admin),
    ("mona", Role::Manager),
    ("asha", Role::SalesRep),
    ("sam", Role::SupportAgent),
    ("neha", Role::Marketer),
];
pub const OTHER_REP: &str = "ravi";

/// Whether the cell of `op` for the user in column `role` on a record of `ownership` allows it.
pub fn allowed(op: &str, role: usize, ownership: usize) -> bool {
    let row = MATRIX
        .iter()
        .find(|(name, _)| *name == op)
        .unwrap_or_else(|| panic!("no operation {op} in the matrix"))
        .1;
    let cells: Vec<char> = row.chars().filter(|c| !c.is_whitespace()).collect();
    cells[role * 3 + ownership] == 'Y'
}

/// The owner a record of the cell has: the column's user, the other rep, or nobody.
pub fn owner_of(role: usize, ownership: usize) -> Option<&'static str> {
    match OWNERSHIP[ownership] {
        "own" => Some(ROLES[role]),
        "other" => Some(OTHER_REP),
        _ => None,
    }
}

/// A fresh record of `kind` owned by `owner` (None: nobody's), made by the admin.
pub fn create(
    crm: &Crm,
    admin: &Actor,
    path: &Path,
    kind: &str,
    owner: Option<&str>,
    name: &str,
) -> RecordRef {
    match kind {
        "lead" => {
            let new = NewLead {
                first_name: name.into(),
                email: Some(format!("{name}@example.com")),
                owner: owner.map(Into::into),
                ..NewLead::default()
            };
            RecordRef::new(
                EntityKind::Lead,
                crm.add_lead(admin, &new)
                    .expect("the admin makes the record")
                    .id
                    .0,
            )
        }
        "contact" => {
            let new = NewContact {
                first_name: name.into(),
                email: Some(format!("{name}@example.com")),
                owner: Some(owner.unwrap_or("").into()),
                ..NewContact::default()
            };
            RecordRef::new(
                EntityKind::Contact,
                crm.add_contact(admin, &new)
                    .expect("the admin makes the record")
                    .id
                    .0,
            )
        }
        "company" => {
            let new = NewCompany {
                name: name.into(),
                domain: Some(format!("{}.com", name.to_lowercase())),
                owner: Some(owner.unwrap_or("").into()),
                ..NewCompany::default()
            };
            RecordRef::new(
                EntityKind::Company,
                crm.add_company(admin, &new)
                    .expect("the admin makes the record")
                    .id
                    .0,
            )
        }
        "ticket" => {
            let contact = create(crm, admin, path, "contact", owner, &format!("{name}Caller"));
            let takes_tickets = matches!(owner, Some("root" | "mona" | "sam"));
            let new = NewTicket {
                fields: crate::FieldInput::default(),
                subject: name.into(),
                description: None,
                contact: ContactId(contact.id),
                priority: None,
                assignee: owner.filter(|_| takes_tickets).map(Into::into),
            };
            RecordRef::new(
                EntityKind::Ticket,
                crm.add_ticket(admin, &new)
                    .expect("the admin makes the record")
                    .id
                    .0,
            )
        }
        "task" => task(crm, admin, path, owner, name),
        _ => {
            assert_eq!(kind, "deal");
            deal(crm, admin, path, owner, name)
        }
    }
}

fn task(crm: &Crm, admin: &Actor, path: &Path, owner: Option<&str>, name: &str) -> RecordRef {
    let new = NewTask {
        title: name.into(),
        kind: None,
        due_at: None,
        assignee: Some(owner.unwrap_or("root").into()),
        link: None,
    };
    let id = crm
        .add_task(admin, &new)
        .expect("the admin makes the record")
        .id
        .0;
    if owner.is_none() {
        super::execute(
            path,
            &format!("UPDATE tasks SET assignee_id = NULL WHERE id = {id}"),
        );
    }
    RecordRef::new(EntityKind::Task, id)
}

fn deal(crm: &Crm, admin: &Actor, path: &Path, owner: Option<&str>, name: &str) -> RecordRef {
    let new = NewDeal {
        title: name.into(),
        owner: owner.map(Into::into),
        ..NewDeal::default()
    };
    let id = crm
        .add_deal(admin, &new)
        .expect("the admin makes the record")
        .id
        .0;
    if owner.is_none() {
        // The services always give a deal an owner; older or imported data may not.
        super::execute(
            path,
            &format!("UPDATE deals SET owner_id = NULL WHERE id = {id}"),
        );
    }
    RecordRef::new(EntityKind::Deal, id)
}
