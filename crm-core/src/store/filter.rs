//! A WHERE clause built from fixed SQL fragments and bound values, never from user text.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::search::{Clause, Narrowing};
use super::sql::Value;

use crate::auth::Scope;

#[derive(Default, Clone)]
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
            Scope::Nothing => self.and("1 = 0", []),
        }
    }

    /// As [`Filter::scope`], for a sorted page: the owner test is kept out of index choice (the
    /// unary `+`), so the page is read in order from the sort's index and filtered, instead of
    /// fetching all of a user's rows through the owner index and sorting them to keep 50.
    pub(super) fn scope_for_page(&mut self, scope: Scope, alias: &str, owner: &str) {
        match scope {
            Scope::Own(user) => {
                self.and(&format!("+{alias}.{owner} = ?"), [Value::Integer(user.0)]);
            }
            other => self.scope(other, alias, owner),
        }
    }

    /// The clauses joined by AND, for a filter used inside a larger condition ("1 = 1" when none).
    pub(super) fn conditions(&self) -> String {
        if self.clauses.is_empty() {
            "1 = 1".to_string()
        } else {
            self.clauses.join(" AND ")
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

/// A LIKE pattern matching `text` anywhere in any case, with LIKE's own wildcards escaped (use
/// `ESCAPE '\'`), for `lower(column) LIKE ?`: SQLite's LIKE ignores case and PostgreSQL's
/// does not, so both compare lowered text.
pub(super) fn contains_pattern(text: &str) -> Value {
    let escaped = text
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Value::Text(format!("%{escaped}%"))
}

/// The statements of one keyset page: each tier is a condition, its values and the order it is
/// read in; every row of a tier sorts before the rows of the next.
pub(super) struct Keyset {
    tiers: Vec<Tier>,
}

struct Tier {
    condition: Option<String>,
    values: Vec<Value>,
    order: String,
}

impl Keyset {
    /// Keyset paging over `table` aliased `alias`: `keys` are sort expressions over `{t}` (the id
    /// is added last as the tie-break). Rows come after the row `after` in that order, found by
    /// its own sort values, so no OFFSET scan is ever needed.
    pub(super) fn new(
        table: &str,
        alias: &str,
        keys: &[impl AsRef<str>],
        descending: bool,
        after: Option<i64>,
    ) -> Keyset {
        let exprs = |a: &str| -> Vec<String> {
            keys.iter()
                .map(|k| k.as_ref().replace("{t}", a))
                .chain(std::iter::once(format!("{a}.id")))
                .collect()
        };
        let outer = exprs(alias);
        let (cmp, dir) = if descending {
            ("<", " DESC")
        } else {
            (">", "")
        };
        let order_from = |level: usize| {
            outer[level..]
                .iter()
                .map(|k| format!("{k}{dir}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Some(after) = after else {
            return Keyset {
                tiers: vec![Tier {
                    condition: None,
                    values: Vec::new(),
                    order: order_from(0),
                }],
            };
        };
        // One tier per key level, each a seek into the sort's index: the rest of the cursor
        // row's run of equal keys after its id, then the rest of each shorter run, then
        // everything past its first key. A single row-value comparison `(a, b, id) > (x, y, z)`
        // narrows an index range only on plain columns; over expressions (`first_name COLLATE
        // NOCASE`) SQLite scans the whole run, tens of thousands of rows per page at a million
        // leads sharing a few hundred names. A tier is ordered by its free keys alone: SQLite
        // does not see that an expression held equal needs no sorting.
        let inner = exprs("k");
        let id_level = outer.len() - 1;
        let tiers = (0..outer.len())
            .rev()
            .map(|level| {
                let value_of = |i: usize| {
                    if i == id_level {
                        "?".to_string()
                    } else {
                        format!("(SELECT {} FROM {table} k WHERE k.id = ?)", inner[i])
                    }
                };
                let mut clauses: Vec<String> = (0..level)
                    .map(|i| format!("{} = {}", outer[i], value_of(i)))
                    .collect();
                clauses.push(format!("{} {cmp} {}", outer[level], value_of(level)));
                Tier {
                    condition: Some(clauses.join(" AND ")),
                    values: vec![Value::Integer(after); level + 1],
                    order: order_from(level),
                }
            })
            .collect();
        Keyset { tiers }
    }
}

/// Cuts the one extra row a page query fetched (`LIMIT limit + 1`) and, when it was there,
/// names the last row's id as the cursor for the next page. No COUNT(*) needed.
pub(super) fn page<T>(mut items: Vec<T>, limit: u32, id: impl Fn(&T) -> i64) -> crate::Page<T> {
    let limit = limit as usize;
    let next_after = if items.len() > limit {
        items.truncate(limit);
        items.last().map(id)
    } else {
        None
    };
    crate::Page { items, next_after }
}

impl super::Tx<'_> {
    /// True when row `id` of `table` exists and lies in `scope` (owner column `owner_id`).
    pub(super) fn in_scope(&self, table: &str, id: i64, scope: Scope) -> crate::Result<bool> {
        let mut filter = Filter::default();
        filter.and("x.id = ?", [Value::Integer(id)]);
        filter.scope(scope, "x", "owner_id");
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM {table} x {})",
            filter.where_sql()
        );
        Ok(
            self.query_row(&sql, super::sql::params_from_iter(&filter.args), |r| {
                r.get(0)
            })?,
        )
    }

    /// Every row of `select` that the filter lets through; `tail` follows the WHERE (an
    /// ORDER BY, a GROUP BY).
    pub(super) fn all_of<T>(
        &self,
        select: &str,
        filter: &Filter,
        tail: &str,
        map: fn(&super::sql::Row<'_>) -> super::sql::SqlResult<T>,
    ) -> crate::Result<Vec<T>> {
        let sql = format!("{select} {} {tail}", filter.where_sql());
        let mut stmt = self.prepare(&sql)?;
        let rows = stmt.query_map(super::sql::params_from_iter(&filter.args), map)?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    /// Runs `select` with the filter in the keyset's order for one row more than `limit`, tier
    /// by tier until the page is full, and cuts the page.
    pub(super) fn page_of<T>(
        &self,
        select: &str,
        filter: &Filter,
        keyset: &Keyset,
        limit: u32,
        map: fn(&super::sql::Row<'_>) -> super::sql::SqlResult<T>,
        id: impl Fn(&T) -> i64,
    ) -> crate::Result<crate::Page<T>> {
        // One row more than asked tells whether there is a next page, without a COUNT(*).
        let wanted = limit as usize + 1;
        let mut items = Vec::with_capacity(wanted);
        for tier in &keyset.tiers {
            let mut filter = filter.clone();
            if let Some(condition) = &tier.condition {
                filter.and(condition, tier.values.iter().cloned());
            }
            let sql = format!(
                "{select} {} ORDER BY {} LIMIT ?",
                filter.where_sql(),
                tier.order
            );
            let mut args = filter.args;
            args.push(Value::Integer(
                i64::try_from(wanted - items.len()).unwrap_or(i64::MAX),
            ));
            let mut stmt = self.prepare_cached(&sql)?;
            let rows = stmt.query_map(super::sql::params_from_iter(&args), map)?;
            for row in rows {
                items.push(row?);
            }
            if items.len() == wanted {
                break;
            }
        }
        Ok(page(items, limit, id))
    }
}

/// Work a listing may spend reading its rows in order to check their search entries before it
/// collects the matches from the index instead ([`Narrowing::Many`]): steps of SQLite's
/// virtual machine, about 6 ms of reading at a million leads.
const WALK_BUDGET: u64 = 100_000;
/// Steps between two looks at the budget.
const STEPS_PER_LOOK: u32 = 10_000;

impl super::Tx<'_> {
    /// [`Tx::page_of`] narrowed by a search, when there is one.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn searched_page_of<T>(
        &self,
        select: &str,
        filter: &Filter,
        search: Option<Narrowing>,
        keyset: &Keyset,
        limit: u32,
        map: fn(&super::sql::Row<'_>) -> super::sql::SqlResult<T>,
        id: impl Fn(&T) -> i64,
    ) -> crate::Result<crate::Page<T>> {
        let narrowed = |clause: Clause| {
            let mut filter = filter.clone();
            filter.and(&clause.sql, clause.values);
            filter
        };
        match search {
            None => self.page_of(select, filter, keyset, limit, map, id),
            Some(Narrowing::Few(clause)) => {
                self.page_of(select, &narrowed(clause), keyset, limit, map, id)
            }
            Some(Narrowing::Many { walk, collect }) => {
                let walking = narrowed(walk);
                if let Some(page) = self.within_budget(WALK_BUDGET, || {
                    self.page_of(select, &walking, keyset, limit, map, &id)
                })? {
                    return Ok(page);
                }
                self.page_of(select, &narrowed(collect), keyset, limit, map, id)
            }
        }
    }

    /// Runs `f`, or gives up (None) once its statements have taken `steps` steps of SQLite's
    /// virtual machine. PostgreSQL runs it to the end.
    fn within_budget<T>(
        &self,
        steps: u64,
        f: impl FnOnce() -> crate::Result<T>,
    ) -> crate::Result<Option<T>> {
        let super::sql::Db::Sqlite(conn) = self.conn() else {
            return f().map(Some);
        };
        let spent = Arc::new(AtomicBool::new(false));
        let looks = steps / u64::from(STEPS_PER_LOOK);
        let (flag, mut taken) = (Arc::clone(&spent), 0_u64);
        conn.progress_handler(
            i32::try_from(STEPS_PER_LOOK).unwrap_or(i32::MAX),
            Some(move || {
                taken += 1;
                let over = taken > looks;
                if over {
                    flag.store(true, Ordering::Relaxed);
                }
                over
            }),
        )
        .map_err(super::sql::SqlError::from)?;
        let result = f();
        conn.progress_handler(0, None::<fn() -> bool>)
            .map_err(super::sql::SqlError::from)?;
        match result {
            Ok(value) => Ok(Some(value)),
            // The interruption surfaces as the statement's error.
            Err(_) if spent.load(Ordering::Relaxed) => Ok(None),
            Err(err) => Err(err),
        }
    }
}
