-- Ids are never reused (red-team item 3). Without AUTOINCREMENT SQLite gives a new row the
-- largest id + 1, so deleting the newest record handed its id to the next one: feeds, merges
-- and score history of the old record showed up under the new one. SQLite cannot add
-- AUTOINCREMENT to a table in place; the Rust hook of this migration (store/autoincrement.rs)
-- rebuilds each record table with it, keeping its indexes and triggers, and starts each
-- table's sequence above every id the feed or the merge records remember, so ids deleted
-- before this upgrade are not handed out again either.
SELECT 1;
