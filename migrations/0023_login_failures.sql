-- Every refused login writes one row, whether the username exists or not (red-team item 5):
-- a wrong password counts against its user, an unknown name here. The write makes the three
-- refusals cost the same, and a database that cannot be written refuses every login alike.
CREATE TABLE login_failures (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    unknown_users INTEGER NOT NULL DEFAULT 0,
    last_at       TEXT
);
INSERT INTO login_failures (id, unknown_users) VALUES (1, 0);
