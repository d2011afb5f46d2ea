-- The activity feed is the audit trail: rows are only ever added. No command edits or deletes
-- one, and these triggers make sure no future code path can either.
CREATE TRIGGER activities_no_update BEFORE UPDATE ON activities
BEGIN
    SELECT RAISE(ABORT, 'activity rows are the audit trail and cannot be changed');
END;

CREATE TRIGGER activities_no_delete BEFORE DELETE ON activities
BEGIN
    SELECT RAISE(ABORT, 'activity rows are the audit trail and cannot be deleted');
END;
