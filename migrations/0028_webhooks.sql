-- Webhooks (issue 22): other tools hear when a lead arrives or converts, a deal is won or lost,
-- a ticket is resolved. Deliveries ride the outbox pattern of the resolution email: a row is
-- queued in the same transaction as the change, claimed for a while by the one sender that
-- sends it, and retried with backoff; the rows are the delivery log.
CREATE TABLE webhooks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    url         TEXT    NOT NULL,
    -- Event names, one per line ("deal.won").
    events      TEXT    NOT NULL,
    -- Kept as given: each delivery is signed with it (HMAC-SHA256), so it cannot be hashed.
    secret      TEXT    NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    disabled_at TEXT
);

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id      INTEGER NOT NULL REFERENCES webhooks(id),
    event           TEXT    NOT NULL,
    -- The JSON body, fixed when the change happened: retries send the same bytes.
    payload         TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status = 'pending' OR status = 'delivered' OR status = 'failed'),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    claimed_until   TEXT,
    response_status INTEGER,
    last_error      TEXT,
    delivered_at    TEXT,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at, id);
CREATE INDEX webhook_deliveries_of ON webhook_deliveries(webhook_id, id);
