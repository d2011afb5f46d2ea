//! The demo data of `seeds/`, embedded at build time and loaded through the services, so demo
//! rows obey every rule that real ones do. Loading twice adds nothing the second time.

use serde::Deserialize;

use crate::{Actor, Contact, ContactQuery, Crm, Error, NewContact, NewUser, Result, Role};

/// The password of every demo user; printed by `crm demo`, never used outside a demo database.
pub const DEMO_PASSWORD: &str = "demo-pass-2025";

const USERS: &str = include_str!("../../seeds/users.json");
const CONTACTS: &str = include_str!("../../seeds/contacts.json");

#[derive(Deserialize)]
struct SeedUser {
    username: String,
    display_name: String,
    email: String,
    role: Role,
}

#[derive(Deserialize)]
struct SeedContact {
    first_name: String,
    last_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    company: Option<String>,
    job_title: Option<String>,
    location: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    owner: String,
    #[serde(default)]
    consent_email: bool,
}

/// What a demo load did.
#[derive(Debug, Clone, Default)]
pub struct DemoReport {
    /// Users created in this run (username, role); empty on a rerun.
    pub users_created: Vec<(String, Role)>,
    pub contacts_created: usize,
    /// The demo admin, for front ends that open straight onto the demo.
    pub admin: Option<Actor>,
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Result<T> {
    serde_json::from_str(text)
        .map_err(|e| Error::invalid(format!("seed file {name}"), e.to_string()))
}

impl Crm {
    /// Loads the demo users and contacts that are not there yet.
    pub fn load_demo(&self) -> Result<DemoReport> {
        let users: Vec<SeedUser> = parse("users.json", USERS)?;
        let contacts: Vec<SeedContact> = parse("contacts.json", CONTACTS)?;
        let mut report = DemoReport::default();

        let (first, rest) = users
            .split_first()
            .ok_or_else(|| Error::invalid("seed file users.json", "has no users"))?;
        if self.store.read(|tx| tx.count_users())? == 0 {
            self.bootstrap_admin(&new_user(first), DEMO_PASSWORD)?;
            report
                .users_created
                .push((first.username.clone(), Role::Admin));
        }
        let admin = self.actor_named(&first.username)?;
        for user in rest {
            if self.store.read(|tx| tx.user_id(&user.username))?.is_none() {
                self.add_user(&admin, &new_user(user), DEMO_PASSWORD)?;
                report
                    .users_created
                    .push((user.username.clone(), user.role));
            }
        }

        for seed in &contacts {
            if self.demo_contact_exists(&admin, seed.email.as_deref())? {
                continue;
            }
            self.add_contact(
                &admin,
                &NewContact {
                    first_name: seed.first_name.clone(),
                    last_name: seed.last_name.clone(),
                    email: seed.email.clone(),
                    phone: seed.phone.clone(),
                    company: seed.company.clone(),
                    job_title: seed.job_title.clone(),
                    location: seed.location.clone(),
                    tags: seed.tags.clone(),
                    owner: Some(seed.owner.clone()),
                    consent_email: seed.consent_email,
                    ..NewContact::default()
                },
            )?;
            report.contacts_created += 1;
        }
        report.admin = Some(admin);
        Ok(report)
    }

    fn demo_contact_exists(&self, admin: &Actor, email: Option<&str>) -> Result<bool> {
        let Some(email) = email else { return Ok(false) };
        let page = self.list_contacts(
            admin,
            &ContactQuery {
                search: Some(email.to_string()),
                ..ContactQuery::default()
            },
        )?;
        Ok(page.items.iter().any(|c: &Contact| {
            c.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
        }))
    }
}

fn new_user(seed: &SeedUser) -> NewUser {
    NewUser {
        username: seed.username.clone(),
        display_name: Some(seed.display_name.clone()),
        email: Some(seed.email.clone()),
        role: Some(seed.role),
    }
}
