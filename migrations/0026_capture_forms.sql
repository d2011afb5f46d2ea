-- Web-to-lead forms (issue 22): a public key that a website's form posts to, the campaign its
-- leads join, who may post from where, and how fast.
CREATE TABLE capture_forms (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    name                TEXT    NOT NULL,
    -- Public: it sits in the website's HTML. It names the form; it is not a secret.
    form_key            TEXT    NOT NULL UNIQUE,
    campaign_id         INTEGER NOT NULL REFERENCES campaigns(id),
    auto_assign         INTEGER NOT NULL DEFAULT 0,
    -- Origins allowed to post from a browser, one per line ("https://example.com").
    allowed_origins     TEXT    NOT NULL DEFAULT '',
    redirect_url        TEXT,
    per_ip_per_minute   INTEGER NOT NULL,
    per_form_per_minute INTEGER NOT NULL,
    created_by          INTEGER NOT NULL REFERENCES users(id),
    disabled_at         TEXT,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL
);
