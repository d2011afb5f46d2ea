-- Every sort a list offers reads its first page, and any page after a keyset cursor, straight
-- from an index: without these, the first page of a million leads sorted by score meant sorting
-- the million first. The id tie-break of the keyset comes free (the rowid ends each index entry).
-- The expressions match the ORDER BY of the store's queries exactly, or SQLite ignores them.
-- "Created" sorts by id (creation order without ties), which needs no index of its own.
CREATE INDEX leads_updated ON leads(updated_at);
CREATE INDEX leads_score ON leads(score);
CREATE INDEX leads_stage ON leads(stage);
CREATE INDEX leads_name ON leads(first_name COLLATE NOCASE, ifnull(last_name, '') COLLATE NOCASE);
CREATE INDEX leads_company ON leads(ifnull(company, '') COLLATE NOCASE);
CREATE INDEX leads_next_action ON leads(ifnull(next_action_at, '9999'));

CREATE INDEX contacts_name ON contacts(first_name COLLATE NOCASE, ifnull(last_name, '') COLLATE NOCASE);
CREATE INDEX contacts_company ON contacts(ifnull(company, '') COLLATE NOCASE);
CREATE INDEX contacts_email_sort ON contacts(ifnull(email, '') COLLATE NOCASE);
CREATE INDEX contacts_updated ON contacts(updated_at);

CREATE INDEX deals_updated ON deals(updated_at);
CREATE INDEX deals_amount ON deals(amount);
CREATE INDEX deals_title ON deals(title COLLATE NOCASE);
CREATE INDEX deals_expected_close ON deals(ifnull(expected_close, '9999'));
-- The board and the dashboard's stage bars: count and sum per stage from the index alone, and
-- each column's biggest deals in order.
CREATE INDEX deals_stage_amount ON deals(stage_id, amount, owner_id);
-- "Won this month" on the dashboard, for everyone and for one rep.
CREATE INDEX deals_closed ON deals(closed_at);
CREATE INDEX deals_owner_closed ON deals(owner_id, closed_at);

-- The ticket queue: most urgent first, then oldest.
CREATE INDEX tickets_queue ON tickets(
    CASE priority WHEN 'Urgent' THEN 0 WHEN 'High' THEN 1 WHEN 'Medium' THEN 2 ELSE 3 END,
    created_at);
-- Tasks: soonest due first.
CREATE INDEX tasks_due ON tasks(ifnull(due_at, '9999'));
