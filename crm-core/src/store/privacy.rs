//! Finding every row about one person, erasing them, and the suppression list.

use super::sql::{OptionalExtension, params};

use super::Tx;
use crate::{Activity, ContactId, DealId, LeadId, NoteId, OutboxId, Result, TaskId, TicketId};

/// The ids of every row that refers to one person.
#[derive(Debug, Default)]
pub(crate) struct PersonRows {
    pub(crate) leads: Vec<LeadId>,
    pub(crate) contacts: Vec<ContactId>,
    /// Deals with the person's contact or lead: kept for the revenue figures, but unlinked and
    /// stripped of their text.
    pub(crate) deals: Vec<DealId>,
    pub(crate) tickets: Vec<TicketId>,
    pub(crate) tasks: Vec<TaskId>,
    pub(crate) notes: Vec<NoteId>,
    pub(crate) outbox: Vec<OutboxId>,
    pub(crate) activities: Vec<i64>,
    /// Merges whose saved rows hold the person, and update-import changes about them.
    pub(crate) merges: Vec<crate::MergeId>,
    pub(crate) import_changes: Vec<i64>,
}

// The person's records are collected into a temporary table, so the queries below are joins
// rather than id lists spliced into SQL text. Written unqualified, `person` is the temporary
// table on both engines.
const COLLECT_SQLITE: &str = "
    DROP TABLE IF EXISTS person;
    CREATE TEMP TABLE person (kind TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (kind, id))
        WITHOUT ROWID;";
const COLLECT_POSTGRES: &str = "
    DROP TABLE IF EXISTS pg_person;
    CREATE TEMP TABLE person (kind TEXT NOT NULL, id BIGINT NOT NULL, PRIMARY KEY (kind, id))
        ON COMMIT DROP;";

/// Marks where a statement adds rows to `person`, once each: [`Tx::collect`] spells it.
const INTO: &str = "INSERT OR IGNORE INTO person";

impl Tx<'_> {
    /// Every row about the person with this email (any case): their leads and contacts, each
    /// other's conversions, the deals and tickets of those, the tasks and notes on any of them,
    /// mail to the address or about the tickets, and the activity rows of all these records.
    pub(crate) fn person_rows(&self, email: &str) -> Result<PersonRows> {
        self.execute_batch(self.dialect(COLLECT_SQLITE, COLLECT_POSTGRES))?;
        let by_email = |sql: &str| -> Result<()> {
            self.execute(&self.collect(sql), [email])?;
            Ok(())
        };
        let add = |sql: &str| -> Result<()> {
            self.execute(&self.collect(sql), [])?;
            Ok(())
        };
        by_email(
            "INSERT OR IGNORE INTO person SELECT 'lead', id FROM leads
             WHERE email = ?1 COLLATE NOCASE",
        )?;
        by_email(
            "INSERT OR IGNORE INTO person SELECT 'contact', id FROM contacts
             WHERE email = ?1 COLLATE NOCASE
                OR id IN (SELECT converted_contact_id FROM leads
                          WHERE email = ?1 COLLATE NOCASE AND converted_contact_id IS NOT NULL)",
        )?;
        self.collect_merges(email)?;
        // A lead converted into one of the person's contacts is the person too.
        add(
            "INSERT OR IGNORE INTO person SELECT 'lead', l.id FROM leads l
             JOIN person p ON p.kind = 'contact' AND p.id = l.converted_contact_id",
        )?;
        add(
            "INSERT OR IGNORE INTO person SELECT 'deal', d.id FROM deals d
             WHERE (
                 d.contact_id IN (SELECT id FROM person WHERE kind = 'contact')
              OR d.lead_id IN (SELECT id FROM person WHERE kind = 'lead'))",
        )?;
        add(
            "INSERT OR IGNORE INTO person SELECT 'ticket', t.id FROM tickets t
             WHERE t.contact_id IN (SELECT id FROM person WHERE kind = 'contact')",
        )?;
        for (kind, table) in [("task", "tasks"), ("note", "notes")] {
            add(&format!(
                "INSERT OR IGNORE INTO person SELECT '{kind}', x.id FROM {table} x
                 WHERE (
                     x.lead_id IN (SELECT id FROM person WHERE kind = 'lead')
                  OR x.contact_id IN (SELECT id FROM person WHERE kind = 'contact')
                  OR x.deal_id IN (SELECT id FROM person WHERE kind = 'deal')
                  OR x.ticket_id IN (SELECT id FROM person WHERE kind = 'ticket'))"
            ))?;
        }
        by_email(
            "INSERT OR IGNORE INTO person SELECT 'outbox', o.id FROM outbox o
             WHERE o.to_addr = ?1 COLLATE NOCASE
                OR o.ticket_id IN (SELECT id FROM person WHERE kind = 'ticket')",
        )?;
        add(
            "INSERT OR IGNORE INTO person SELECT 'activity', a.id FROM activities a
             JOIN person p ON p.kind = a.entity_type AND p.id = a.entity_id",
        )?;
        add(self.dialect(
            "INSERT OR IGNORE INTO person SELECT 'activity', a.id FROM activities a
                 WHERE a.entity_type = 'contact' AND a.entity_id IN (
                     SELECT j.value FROM merges m JOIN person p ON p.kind = 'merge' AND p.id = m.id,
                         json_each(m.merged_ids) j)",
            "INSERT OR IGNORE INTO person SELECT 'activity', a.id FROM activities a
                 WHERE a.entity_type = 'contact' AND a.entity_id IN (
                     SELECT CAST(j.value AS BIGINT) FROM merges m
                     JOIN person p ON p.kind = 'merge' AND p.id = m.id,
                         jsonb_array_elements_text(CAST(m.merged_ids AS jsonb)) j)",
        ))?;
        self.collect_import_changes(email)?;
        // Activity rows are chosen by the records they are about, never by their text: a
        // name or an address inside a summary also matches other people ("Kavya Reddy" is
        // many people; "a@corp.com" is inside "vikasa@corp.com").
        let ids = |kind: &str| -> Result<Vec<i64>> {
            let mut stmt = self.prepare("SELECT id FROM person WHERE kind = ?1 ORDER BY id")?;
            let rows = stmt.query_map([kind], |r| r.get(0))?;
            Ok(rows.collect::<super::sql::SqlResult<_>>()?)
        };
        Ok(PersonRows {
            leads: ids("lead")?.into_iter().map(LeadId).collect(),
            contacts: ids("contact")?.into_iter().map(ContactId).collect(),
            deals: ids("deal")?.into_iter().map(DealId).collect(),
            tickets: ids("ticket")?.into_iter().map(TicketId).collect(),
            tasks: ids("task")?.into_iter().map(TaskId).collect(),
            notes: ids("note")?.into_iter().map(NoteId).collect(),
            outbox: ids("outbox")?.into_iter().map(OutboxId).collect(),
            activities: ids("activity")?,
            merges: ids("merge")?.into_iter().map(crate::MergeId).collect(),
            import_changes: ids("import_change")?,
        })
    }

    /// Merges that took in a record with the address (a value of their snapshot is exactly
    /// it, in any case: never a substring, which would match other addresses), the contact
    /// each went into (the same person while the merge stands), and merges into the person's
    /// contacts.
    fn collect_merges(&self, email: &str) -> Result<()> {
        self.execute(
            &self.collect(self.dialect(
                "INSERT OR IGNORE INTO person SELECT 'merge', m.id FROM merges m
                 WHERE m.snapshot IS NOT NULL AND json_valid(m.snapshot) AND EXISTS (
                     SELECT 1 FROM json_tree(m.snapshot) j
                     WHERE j.type = 'text' AND j.atom = ?1 COLLATE NOCASE)",
                "INSERT OR IGNORE INTO person SELECT 'merge', m.id FROM merges m
                 WHERE m.snapshot IS NOT NULL AND EXISTS (
                     SELECT 1 FROM jsonb_path_query(CAST(m.snapshot AS jsonb), 'strict $.**') j
                     WHERE jsonb_typeof(j) = 'string' AND lower(j #>> '{}') = lower(?1))",
            )),
            [email],
        )?;
        self.execute(
            &self.collect(
                "INSERT OR IGNORE INTO person SELECT 'contact', c.id FROM contacts c
             JOIN merges m ON m.keep_id = c.id AND m.entity_type = 'contact' AND m.undone_at IS NULL
             JOIN person p ON p.kind = 'merge' AND p.id = m.id WHERE true",
            ),
            [],
        )?;
        self.execute(
            &self.collect(
                "INSERT OR IGNORE INTO person SELECT 'merge', m.id FROM merges m
                 WHERE m.entity_type = 'contact'
                   AND m.keep_id IN (SELECT id FROM person WHERE kind = 'contact')",
            ),
            [],
        )?;
        Ok(())
    }

    /// What update-imports changed on the person's records, kept for the imports' undo.
    fn collect_import_changes(&self, email: &str) -> Result<()> {
        let mentions = self.dialect(
            "json_valid(c.changes) AND EXISTS (
                 SELECT 1 FROM json_tree(c.changes) j
                 WHERE j.type = 'text' AND j.atom = ?1 COLLATE NOCASE)",
            "EXISTS (
                 SELECT 1 FROM jsonb_path_query(CAST(c.changes AS jsonb), 'strict $.**') j
                 WHERE jsonb_typeof(j) = 'string' AND lower(j #>> '{}') = lower(?1))",
        );
        self.execute(
            &self.collect(&format!(
                "INSERT OR IGNORE INTO person SELECT 'import_change', c.id
             FROM import_changes c JOIN import_batches b ON b.id = c.batch_id
             WHERE ({mentions})
                OR (b.kind = 'leads' AND c.entity_id IN (SELECT id FROM person WHERE kind = 'lead'))
                OR (b.kind = 'contacts'
                    AND c.entity_id IN (SELECT id FROM person WHERE kind = 'contact'))"
            )),
            [email],
        )?;
        Ok(())
    }

    pub(crate) fn activity(&self, id: i64) -> Result<Option<Activity>> {
        Ok(self
            .prepare_cached(
                "SELECT a.id, u.username, a.verb, a.entity_type, a.entity_id, a.summary, a.at
                 FROM activities a LEFT JOIN users u ON u.id = a.actor_id WHERE a.id = ?1",
            )?
            .query_row([id], super::activities::activity_from_row)
            .optional()?)
    }

    /// Removes the person's rows collected by `person_rows`, in the order the foreign keys
    /// need; their deals stay, unlinked, titled by id, without a lost reason. Activity rows
    /// stay too (the feed is the audit trail) with their summaries replaced.
    pub(crate) fn erase_person_rows(&self, now: &str) -> Result<()> {
        self.execute_batch(
            "INSERT INTO erasure_window (id) VALUES (1);
             UPDATE activities SET
                 summary = verb || ' ' || entity_type || ' #' || entity_id
                           || ' (details erased on request)'
             WHERE id IN (SELECT id FROM person WHERE kind = 'activity');
             DELETE FROM erasure_window;
             UPDATE merges SET snapshot = NULL
             WHERE id IN (SELECT id FROM person WHERE kind = 'merge');
             DELETE FROM import_changes
             WHERE id IN (SELECT id FROM person WHERE kind = 'import_change');
             DELETE FROM outbox WHERE id IN (SELECT id FROM person WHERE kind = 'outbox');
             DELETE FROM tasks WHERE id IN (SELECT id FROM person WHERE kind = 'task');
             DELETE FROM notes WHERE id IN (SELECT id FROM person WHERE kind = 'note');
             DELETE FROM tickets WHERE id IN (SELECT id FROM person WHERE kind = 'ticket');",
        )?;
        self.execute(
            "UPDATE deals SET contact_id = NULL, lead_id = NULL,
                 title = 'Deal ' || id || ' (details erased on request)',
                 lost_reason = CASE WHEN lost_reason IS NULL THEN NULL ELSE 'erased on request' END,
                 updated_at = ?1
             WHERE id IN (SELECT id FROM person WHERE kind = 'deal')",
            [now],
        )?;
        // A company that only the person's leads and contacts linked to (made from what they
        // typed, often their own name: "Priya Nair & Co") goes with them; one that anything
        // else links to, an anonymised deal included, stays.
        for people in ["leads", "contacts"] {
            let kind = &people[..people.len() - 1];
            self.execute(
                &self.collect(&format!(
                    "INSERT OR IGNORE INTO person SELECT 'company', company_id FROM {people}
                     WHERE id IN (SELECT id FROM person WHERE kind = '{kind}')
                       AND company_id IS NOT NULL"
                )),
                [],
            )?;
        }
        self.execute_batch(
            "DELETE FROM leads WHERE id IN (SELECT id FROM person WHERE kind = 'lead');
             DELETE FROM contacts WHERE id IN (SELECT id FROM person WHERE kind = 'contact');
             DELETE FROM companies WHERE id IN (SELECT id FROM person WHERE kind = 'company')
                AND NOT EXISTS (SELECT 1 FROM contacts x WHERE x.company_id = companies.id)
                AND NOT EXISTS (SELECT 1 FROM leads x WHERE x.company_id = companies.id)
                AND NOT EXISTS (SELECT 1 FROM deals x WHERE x.company_id = companies.id);
             DROP TABLE person;",
        )?;
        Ok(())
    }

    pub(crate) fn suppress_email(&self, hash: &str, now: &str) -> Result<()> {
        self.prepare_cached(
            "INSERT INTO suppressed_emails (email_hash, created_at) VALUES (?1, ?2)
             ON CONFLICT DO NOTHING",
        )?
        .execute(params![hash, now])?;
        Ok(())
    }

    pub(crate) fn is_suppressed(&self, hash: &str) -> Result<bool> {
        Ok(self
            .prepare_cached("SELECT 1 FROM suppressed_emails WHERE email_hash = ?1")?
            .query_row([hash], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// A statement that adds rows to `person` (starting with [`INTO`]) in this engine's words
    /// for "skip a row already there".
    fn collect(&self, sql: &str) -> String {
        match sql.strip_prefix(INTO) {
            Some(rest) if self.conn().is_postgres() => {
                format!("INSERT INTO person{rest} ON CONFLICT DO NOTHING")
            }
            _ => sql.to_string(),
        }
    }

    /// Drops what `person_rows` collected, when nothing is erased (an export).
    pub(crate) fn drop_person_table(&self) -> Result<()> {
        self.execute_batch("DROP TABLE IF EXISTS person")?;
        Ok(())
    }
}
