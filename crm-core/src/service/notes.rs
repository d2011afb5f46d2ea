//! Notes and comments on records. `@username` in a note gives that user a task about the record.

use super::Crm;
use crate::rules::{mentions, validate};
use crate::store::TaskRow;
use crate::{Actor, EntityKind, Error, Note, NoteAdded, NoteId, RecordRef, Result, TaskKind};

impl Crm {
    /// Adds a note to a record the actor may read, or a comment (`reply_to`) under another note.
    pub fn add_note(
        &self,
        actor: &Actor,
        record: Option<RecordRef>,
        reply_to: Option<NoteId>,
        body: &str,
    ) -> Result<NoteAdded> {
        let body = validate::multiline("note", Some(body))?
            .ok_or_else(|| Error::invalid("note", "is empty"))?;
        let body = body.as_str();
        let now = self.now_text();
        self.store.write(|tx| {
            let (record, parent) = match (record, reply_to) {
                (_, Some(parent)) => {
                    let p = tx
                        .note(parent)?
                        .ok_or_else(|| Error::not_found("note", parent))?;
                    if record.is_some_and(|r| r != p.record) {
                        return Err(Error::invalid(
                            "reply to",
                            format!(
                                "note {parent} is on {}, not {}",
                                p.record,
                                record.unwrap_or(p.record)
                            ),
                        ));
                    }
                    // A comment hangs under the thread's first note.
                    (p.record, Some(p.parent_id.unwrap_or(p.id)))
                }
                (Some(r), None) => (r, None),
                (None, None) => {
                    return Err(Error::invalid(
                        "record",
                        "name the record the note is about (e.g. --deal 5)",
                    ));
                }
            };
            Crm::require_readable(tx, actor, record)?;
            let id = tx.insert_note(body, actor.id, parent, record, &now)?;
            let mut mention_tasks = Vec::new();
            let mut unmatched_mentions = Vec::new();
            for username in mentions::usernames(body) {
                let Some(stored) = tx.user_by_username(&username)? else {
                    unmatched_mentions.push((username, "no user has that name".to_string()));
                    continue;
                };
                if !stored.user.active {
                    unmatched_mentions.push((username, "that user is disabled".to_string()));
                    continue;
                }
                if stored.user.id == actor.id {
                    unmatched_mentions.push((username, "that is you".to_string()));
                    continue;
                }
                let row = TaskRow {
                    title: mentions::task_title(&actor.display_name, body),
                    kind: TaskKind::Todo,
                    due_at: None,
                    assignee: Some(stored.user.id),
                    link: Some(record),
                };
                mention_tasks.push((
                    stored.user.username.clone(),
                    tx.insert_task(&row, actor.id, &now)?,
                ));
            }
            let kind = if parent.is_some() {
                "a comment"
            } else {
                "a note"
            };
            let tasks = if mention_tasks.is_empty() {
                String::new()
            } else {
                let names: Vec<_> = mention_tasks.iter().map(|(u, _)| u.as_str()).collect();
                format!(" and gave a task to {}", names.join(", "))
            };
            tx.insert_activity(
                Some(actor.id),
                "noted",
                EntityKind::Note,
                id.0,
                &format!("{} added {kind} on {record}{tasks}", actor.display_name),
                &now,
            )?;
            let note = tx.note(id)?.ok_or_else(|| Error::not_found("note", id))?;
            Ok(NoteAdded {
                note,
                mention_tasks,
                unmatched_mentions,
            })
        })
    }

    /// The notes of a record, each followed by its comments.
    pub fn notes(&self, actor: &Actor, record: RecordRef) -> Result<Vec<Note>> {
        self.store.read(|tx| {
            Crm::require_readable(tx, actor, record)?;
            tx.notes_of(record)
        })
    }
}
