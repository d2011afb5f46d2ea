//! Volume data for benchmarks and load tests: a deterministic leads CSV of any length, and a
//! demo database grown to a chosen scale through the same code paths as real work (the leads
//! through the importer with round-robin, the rest through the services' transaction-level
//! functions in large transactions).

use std::io::{self, Read};

use chrono::Duration;

use super::Crm;
use super::contacts::create_contact;
use super::deals::import_deal;
use crate::clock::to_text;
use crate::import::{ImportKind, ImportObserver, ImportOptions};
use crate::seed::{COMPANIES, FIRST_NAMES, LAST_NAMES};
use crate::store::{TaskRow, TicketRow};
use crate::{
    Actor, ContactId, EntityKind, NewContact, NewDeal, RecordRef, Result, TaskKind, TicketPriority,
    UserId,
};

// Longer lists than the demo history's in seed.rs: a million rows need more variety, or every
// name sort is one long run of equal keys. RESULTS.md was measured with these.
const TITLES: &[&str] = &[
    "CTO",
    "Head of Sales",
    "Procurement Manager",
    "Founder",
    "IT Director",
    "Operations Lead",
    "Marketing Manager",
    "CFO",
];
const SOURCES: &[&str] = &[
    "Website", "Web form", "Referral", "Event", "Email", "Social", "Paid Ads",
];
/// The demo's campaigns, so the CSV imports into any demo database.
const CAMPAIGNS: &[&str] = &[
    "launch-sprint-2025",
    "webinar-series-q2",
    "festive-cashback-promo",
    "general",
];
const STAGES: &[&str] = &[
    "New",
    "New",
    "New",
    "Contacted",
    "Contacted",
    "Qualified",
    "Lost",
];
const DEAL_STAGES: &[&str] = &["New", "Qualified", "Proposal", "Negotiation", "Won", "Lost"];
const REPS: &[&str] = &["asha", "ravi"];

/// Rows committed per transaction for the non-lead records.
const CHUNK: u64 = 10_000;

/// A number generator for data, not secrets: row `i` draws from its own seed, so any row can be
/// made without the ones before it and every run makes the same rows.
pub(crate) struct Draw(pub(crate) u64);

impl Draw {
    fn row(i: u64, salt: u64) -> Draw {
        Draw(i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt.wrapping_mul(0xBF58_476D_1CE4_E5B9))
    }

    pub(crate) fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[usize::try_from(self.next() % from.len() as u64).unwrap_or(0)]
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A phone number of row `i` that no other row below 100 million shares: duplicate checks
/// refuse a second record with the same number, so drawn digits alone (which repeat every few
/// thousand rows at a million) would stop the generator. `lead` keeps leads' numbers apart
/// from contacts'.
fn phone(i: u64, d: &mut Draw, lead: bool) -> String {
    let block = d.below(10) * 1000 + (i / 100_000) % 1000;
    format!(
        "+91 {}{block:04} {:05}",
        if lead { 9 } else { 8 },
        i % 100_000
    )
}

fn domain(company: &str) -> String {
    company
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// `count` generated leads as CSV with a header, produced as it is read (constant memory).
/// Emails are unique (`v{i}.` prefix), so the file imports into any demo database.
pub struct VolumeLeads {
    next: u64,
    count: u64,
    /// Three custom columns too: the demo's `preferred_plan`, a `budget` (money) and a
    /// `visit_on` (date), for measuring an import that fills custom fields.
    custom: bool,
    buf: Vec<u8>,
    pos: usize,
}

impl VolumeLeads {
    pub const HEADER: &'static str =
        "first_name,last_name,email,phone,company,job_title,source,campaign,stage,score\n";

    /// The header with the three custom columns of [`VolumeLeads::with_custom_fields`].
    pub const CUSTOM_HEADER: &'static str = "first_name,last_name,email,phone,company,job_title,\
        source,campaign,stage,score,preferred_plan,budget,visit_on\n";

    pub fn new(count: u64) -> VolumeLeads {
        VolumeLeads {
            next: 0,
            count,
            custom: false,
            buf: VolumeLeads::HEADER.as_bytes().to_vec(),
            pos: 0,
        }
    }

    /// The same rows with three custom columns after them (their fields must exist where the
    /// file is imported: `preferred_plan` as the demo has it, `budget` money, `visit_on` date).
    pub fn with_custom_fields(count: u64) -> VolumeLeads {
        VolumeLeads {
            custom: true,
            buf: VolumeLeads::CUSTOM_HEADER.as_bytes().to_vec(),
            ..VolumeLeads::new(count)
        }
    }

    /// The custom cells of row `i`, drawn apart so the rest of the row is as without them.
    fn custom_cells(i: u64, out: &mut Vec<u8>) {
        use std::io::Write as _;
        let mut d = Draw::row(i, 2);
        let plan =
            ["Starter", "Growth", "Enterprise", ""][usize::try_from(d.below(4)).unwrap_or(0)];
        let budget = 5 + d.below(196);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()
            + chrono::Days::new(d.below(365));
        // Replaces the row's line break: the custom cells end the line.
        out.pop();
        let _ = writeln!(out, ",{plan},{budget}L,{day}");
    }

    fn row(i: u64, out: &mut Vec<u8>) {
        use std::io::Write as _;
        let mut d = Draw::row(i, 1);
        let (first, last, company) = (d.pick(FIRST_NAMES), d.pick(LAST_NAMES), d.pick(COMPANIES));
        let email = format!(
            "v{i}.{}.{}@{}.example",
            first.to_lowercase(),
            last.to_lowercase(),
            domain(company)
        );
        let phone = phone(i, &mut d, true);
        let _ = writeln!(
            out,
            "{first},{last},{email},{phone},{company},{},{},{},{},{}",
            d.pick(TITLES),
            d.pick(SOURCES),
            d.pick(CAMPAIGNS),
            d.pick(STAGES),
            d.below(101)
        );
    }
}

impl Read for VolumeLeads {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.buf.len() {
            if self.next == self.count {
                return Ok(0);
            }
            self.buf.clear();
            self.pos = 0;
            // A few hundred rows per refill keeps the copies large.
            let end = (self.next + 256).min(self.count);
            for i in self.next..end {
                VolumeLeads::row(i, &mut self.buf);
                if self.custom {
                    VolumeLeads::custom_cells(i, &mut self.buf);
                }
            }
            self.next = end;
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// What `generate_volume` added.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct VolumeReport {
    pub leads: u64,
    pub contacts: u64,
    pub deals: u64,
    pub tickets: u64,
    pub tasks: u64,
    pub notes: u64,
}

/// Hears how far the generator is.
pub trait VolumeObserver {
    /// A new phase starts with `total` records to make.
    fn phase(&mut self, _name: &str, _total: u64) {}
    /// `done` records of the phase are made.
    fn progress(&mut self, _done: u64) {}
}

impl VolumeObserver for () {}

/// Passes the importer's progress on as the leads phase's.
struct LeadProgress<'a>(&'a mut dyn VolumeObserver);

impl ImportObserver for LeadProgress<'_> {
    fn progress(&mut self, rows: u64, _bytes: u64) {
        self.0.progress(rows);
    }
}

impl Crm {
    /// Grows a demo database (see `load_demo`) by `scale` leads, `scale / 5` contacts each with a
    /// deal somewhere in the pipeline, `scale / 50` tickets, `scale / 10` tasks and `scale / 20`
    /// notes, with their activity rows. The same `scale` always adds the same records.
    pub fn generate_volume(
        &self,
        admin: &Actor,
        scale: u64,
        observer: &mut dyn VolumeObserver,
    ) -> Result<VolumeReport> {
        admin.require_admin("generate volume data")?;
        observer.phase("leads", scale);
        let mut options = ImportOptions::new(ImportKind::Leads);
        options.auto_assign = true;
        let imported = self.import(
            admin,
            VolumeLeads::new(scale),
            &options,
            &mut LeadProgress(observer),
        )?;
        let contacts = scale / 5;
        observer.phase("contacts and deals", contacts);
        let first = self.volume_contacts(admin, contacts, observer)?;
        // Tickets, tasks and notes spread over the generated contacts.
        let contact_of = |i: u64| first + i64::try_from(i % contacts.max(1)).unwrap_or(0);
        let report = VolumeReport {
            leads: imported.inserted,
            contacts,
            deals: contacts,
            tickets: scale / 50,
            tasks: scale / 10,
            notes: scale / 20,
        };
        observer.phase("tickets", report.tickets);
        self.volume_tickets(admin, report.tickets, &|i| contact_of(i * 7), observer)?;
        observer.phase("tasks", report.tasks);
        self.volume_tasks(admin, report.tasks, &contact_of, observer)?;
        observer.phase("notes", report.notes);
        self.in_chunks(report.notes, observer, |tx, i, now| {
            let id = tx.insert_note(
                &format!("Call notes #{i}: interested, send the proposal."),
                admin.id,
                None,
                RecordRef::new(EntityKind::Contact, contact_of(i * 3)),
                now,
            )?;
            tx.insert_activity(
                Some(admin.id),
                "noted",
                EntityKind::Note,
                id.0,
                &format!("Generated note #{id}"),
                now,
            )
        })?;
        Ok(report)
    }

    /// Contacts owned by the demo reps in turn, each with a deal in a drawn stage (won and lost
    /// deals go through the closing move). Returns the first contact's id.
    fn volume_contacts(
        &self,
        admin: &Actor,
        count: u64,
        observer: &mut dyn VolumeObserver,
    ) -> Result<i64> {
        let mut first_contact = None;
        self.in_chunks(count, observer, |tx, i, now| {
            let mut d = Draw::row(i, 2);
            let (first, last, company) =
                (d.pick(FIRST_NAMES), d.pick(LAST_NAMES), d.pick(COMPANIES));
            let owner = REPS[usize::try_from(i % REPS.len() as u64).unwrap_or(0)];
            let contact = create_contact(
                tx,
                admin,
                &NewContact {
                    first_name: first.into(),
                    last_name: Some(last.into()),
                    email: Some(format!(
                        "c{i}.{}.{}@{}.example",
                        first.to_lowercase(),
                        last.to_lowercase(),
                        domain(company)
                    )),
                    phone: Some(phone(i, &mut d, false)),
                    company: Some(company.into()),
                    job_title: Some(d.pick(TITLES).into()),
                    owner: Some(owner.into()),
                    ..NewContact::default()
                },
                now,
            )?;
            first_contact.get_or_insert(contact);
            let stage = d.pick(DEAL_STAGES);
            import_deal(
                tx,
                admin,
                &NewDeal {
                    title: format!("{company} — {first} {last}"),
                    contact: Some(contact),
                    amount: Some(((d.below(40) + 1) * 5_000).to_string()),
                    stage: Some(stage.into()),
                    owner: Some(owner.into()),
                    ..NewDeal::default()
                },
                (stage == "Lost").then_some("Chose a competitor"),
                now,
            )?;
            Ok(())
        })?;
        Ok(first_contact.map_or(1, |c: ContactId| c.0))
    }

    fn volume_tickets(
        &self,
        admin: &Actor,
        count: u64,
        contact_of: &dyn Fn(u64) -> i64,
        observer: &mut dyn VolumeObserver,
    ) -> Result<()> {
        let support = self
            .store
            .read(|tx| Ok(tx.user_by_username("john")?.map(|u| u.user.id)))?;
        let priorities = [
            TicketPriority::Low,
            TicketPriority::Medium,
            TicketPriority::High,
            TicketPriority::Urgent,
        ];
        self.in_chunks(count, observer, |tx, i, now| {
            let mut d = Draw::row(i, 3);
            let subject = format!(
                "{} issue #{i}",
                d.pick(&["Billing", "Login", "Delivery", "Invoice", "Portal"])
            );
            let id = tx.insert_ticket(
                &TicketRow {
                    subject: &subject,
                    description: Some("Generated for volume tests."),
                    contact: ContactId(contact_of(i)),
                    priority: priorities[usize::try_from(d.below(4)).unwrap_or(0)],
                    assignee: support,
                },
                admin.id,
                now,
            )?;
            tx.insert_activity(
                Some(admin.id),
                "created",
                EntityKind::Ticket,
                id.0,
                &format!("Generated ticket #{id} '{subject}'"),
                now,
            )
        })
    }

    fn volume_tasks(
        &self,
        admin: &Actor,
        count: u64,
        contact_of: &dyn Fn(u64) -> i64,
        observer: &mut dyn VolumeObserver,
    ) -> Result<()> {
        let reps: Vec<UserId> = self
            .store
            .read(|tx| {
                REPS.iter()
                    .map(|name| Ok(tx.user_by_username(name)?.map(|u| u.user.id)))
                    .collect::<Result<Vec<_>>>()
            })?
            .into_iter()
            .flatten()
            .collect();
        let kinds = [
            TaskKind::Call,
            TaskKind::Email,
            TaskKind::Meeting,
            TaskKind::Todo,
        ];
        // Due times over the month before and the month after now: some overdue, some ahead.
        let start = self.now() - Duration::days(30);
        self.in_chunks(count, observer, |tx, i, now| {
            let mut d = Draw::row(i, 4);
            let id = tx.insert_task(
                &TaskRow {
                    title: format!("Follow up #{i}"),
                    kind: kinds[usize::try_from(d.below(4)).unwrap_or(0)],
                    due_at: Some(
                        start + Duration::hours(i64::try_from(d.below(24 * 60)).unwrap_or(0)),
                    ),
                    assignee: reps
                        .get(usize::try_from(i % reps.len().max(1) as u64).unwrap_or(0))
                        .copied(),
                    link: Some(RecordRef::new(EntityKind::Contact, contact_of(i))),
                },
                admin.id,
                now,
            )?;
            tx.insert_activity(
                Some(admin.id),
                "created",
                EntityKind::Task,
                id.0,
                &format!("Generated task #{id}"),
                now,
            )
        })
    }

    /// Runs `make(tx, i, now)` for i in 0..count, `CHUNK` rows per transaction.
    fn in_chunks(
        &self,
        count: u64,
        observer: &mut dyn VolumeObserver,
        mut make: impl FnMut(&crate::store::Tx<'_>, u64, &str) -> Result<()>,
    ) -> Result<()> {
        let now = to_text(self.now());
        let mut done = 0;
        while done < count {
            let end = (done + CHUNK).min(count);
            self.store.write(|tx| {
                for i in done..end {
                    make(tx, i, &now)?;
                }
                Ok(())
            })?;
            done = end;
            observer.progress(done);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_is_the_same_every_time_and_any_length() {
        let read = |n| {
            let mut text = String::new();
            VolumeLeads::new(n).read_to_string(&mut text).unwrap();
            text
        };
        let a = read(1000);
        assert_eq!(a, read(1000));
        assert_eq!(a.lines().count(), 1001);
        assert!(a.starts_with(VolumeLeads::HEADER));
        assert!(
            read(2000).starts_with(&a),
            "row i does not depend on the length"
        );
        let emails: std::collections::HashSet<&str> = a
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(2).unwrap())
            .collect();
        assert_eq!(emails.len(), 1000, "emails are unique");
    }

    /// The million-lead tier makes 200,000 contacts and a million leads; a number drawn twice
    /// made the duplicate check refuse a generated contact and roll the whole run back.
    #[test]
    fn no_two_generated_rows_share_a_phone_number() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..1_000_000 {
            assert!(
                seen.insert(phone(i, &mut Draw::row(i, 1), true)),
                "lead {i}"
            );
        }
        for i in 0..200_000 {
            assert!(
                seen.insert(phone(i, &mut Draw::row(i, 2), false)),
                "contact {i}"
            );
        }
    }
}
