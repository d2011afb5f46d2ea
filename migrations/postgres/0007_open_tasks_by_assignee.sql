-- A person's open tasks, soonest due first, from an index, as SQLite's migration 0035 says.
CREATE INDEX tasks_assignee_status_due ON tasks (assignee_id, status, (coalesce(due_at, '9999')), id);
