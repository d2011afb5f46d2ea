//! A WHERE clause built from fixed SQL fragments and bound values, never from user text.

use rusqlite::types::Value;

use crate::auth::Scope;

#[derive(Default)]
pub(super) struct Filter {
    clauses: Vec<String>,
    pub(super) args: Vec<Value>,
}

impl Filter {
    /// Adds `clause` (with one `?` per value) joined by AND.
    pub(super) fn and(&mut self, clause: &str, args: impl IntoIterator<Item = Value>) {
        self.clauses.push(clause.to_string());
        self.args.extend(args);
    }

    /// Restricts rows of `alias` to what the actor may see. `owner` is the owning column.
    pub(super) fn scope(&mut self, scope: Scope, alias: &str, owner: &str) {
        match scope {
            Scope::All => {}
            Scope::Own(user) => self.and(&format!("{alias}.{owner} = ?"), [Value::Integer(user.0)]),
            Scope::OnTicketsOf(user) => self.and(
                &format!(
                    "({alias}.{owner} = ? OR {alias}.id IN \
                     (SELECT contact_id FROM tickets WHERE assignee_id = ?))"
                ),
                [Value::Integer(user.0), Value::Integer(user.0)],
            ),
            Scope::Nothing => self.and("0", []),
        }
    }

    pub(super) fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// A LIKE pattern matching `text` anywhere, with LIKE's own wildcards escaped (use `ESCAPE '\'`).
pub(super) fn contains_pattern(text: &str) -> Value {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Value::Text(format!("%{escaped}%"))
}
