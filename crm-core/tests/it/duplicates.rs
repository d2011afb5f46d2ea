//! Duplicate people: refused on create by email or phone, found among existing records, merged.

use crm_core::testing::rows;
use crm_core::{Error, NewContact, NewLead, Role};

use crate::env::Env;

fn person(first: &str, last: &str, email: Option<&str>, phone: Option<&str>) -> NewContact {
    NewContact {
        first_name: first.into(),
        last_name: Some(last.into()),
        email: email.map(Into::into),
        phone: phone.map(Into::into),
        ..NewContact::default()
    }
}

#[test]
fn a_new_contact_with_a_known_email_or_phone_is_refused_naming_the_existing_one() {
    let env = Env::new();
    let aarav = env
        .crm
        .add_contact(
            &env.admin,
            &person(
                "Aarav",
                "Sharma",
                Some("aarav@techverse.in"),
                Some("+91 98765 43120"),
            ),
        )
        .unwrap();
    let before = env.dump();
    for (email, phone, field, value) in [
        (
            Some(" AARAV@TechVerse.in "),
            None,
            "email",
            "AARAV@TechVerse.in",
        ),
        (None, Some("+91-98765-43120"), "phone", "+91-98765-43120"),
        (
            None,
            Some("+91 (98765) 431.20"),
            "phone",
            "+91 (98765) 431.20",
        ),
        (
            Some("other@x.in"),
            Some("+919876543120"),
            "phone",
            "+919876543120",
        ),
    ] {
        let err = env
            .crm
            .add_contact(&env.admin, &person("A.", "Sharma", email, phone))
            .unwrap_err();
        assert!(
            matches!(&err, Error::Duplicate { entity: "contact", id, field: f, .. }
                if *id == aarav.id.0 && f == &field),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "{field} '{value}' matches contact {} 'Aarav Sharma' already in the CRM",
                aarav.id
            )
        );
    }
    assert_eq!(env.dump(), before, "a refused duplicate writes nothing");

    // Without the country code the digits differ: a different number, not a duplicate.
    env.crm
        .add_contact(
            &env.admin,
            &person("Local", "Number", None, Some("98765 43120")),
        )
        .unwrap();
    let again = NewContact {
        allow_duplicate: true,
        ..person("Aarav", "Sharma", Some("aarav@techverse.in"), None)
    };
    env.crm.add_contact(&env.admin, &again).unwrap();
}

#[test]
fn a_rep_learns_a_lead_is_taken_but_not_whose_data_it_is() {
    let env = Env::new();
    let ravi = env.user("ravi", Role::SalesRep);
    let asha = env.user("asha", Role::SalesRep);
    let lead = |first: &str, phone: &str| NewLead {
        first_name: first.into(),
        last_name: Some("Verma".into()),
        phone: Some(phone.into()),
        ..NewLead::default()
    };
    let theirs = env
        .crm
        .add_lead(&ravi, &lead("Priya", "020 555 0100"))
        .unwrap();
    let err = env
        .crm
        .add_lead(&asha, &lead("P.", "020-555-0100"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "phone '020-555-0100' matches lead {} 'kept by another user' already in the CRM",
            theirs.id
        )
    );
    let err = env
        .crm
        .add_lead(&ravi, &lead("P.", "(020) 555 0100"))
        .unwrap_err();
    assert!(err.to_string().contains("'Priya Verma'"), "{err}");
    // Contacts and leads are checked apart: the lead's phone is free for a contact.
    env.crm
        .add_contact(
            &env.admin,
            &person("Priya", "Verma", None, Some("020 555 0100")),
        )
        .unwrap();
}

#[test]
fn the_stored_phone_key_is_the_same_normal_form_as_the_rules() {
    let env = Env::new();
    let phones = [
        "+91 98765 43120",
        "+91-98765-43120",
        "(020) 555-0100",
        "020.555.0100",
        "+1 (415) 555 0100",
        "12345",
        "+44 20 7946 0958",
    ];
    for (i, phone) in phones.iter().enumerate() {
        env.crm
            .add_contact(
                &env.admin,
                &NewContact {
                    allow_duplicate: true,
                    ..person(&format!("P{i}"), "X", None, Some(phone))
                },
            )
            .unwrap();
    }
    let keys = rows(
        &env.path,
        "SELECT phone, phone_key FROM contacts ORDER BY id",
    );
    let expected = [
        "+919876543120",
        "+919876543120",
        "0205550100",
        "0205550100",
        "+14155550100",
        "12345",
        "+442079460958",
    ];
    for (row, want) in keys.iter().zip(expected) {
        assert_eq!(row[1], want, "{}", row[0]);
    }
}
