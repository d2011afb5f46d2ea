-- Each record an import creates carries its batch (issue 20). Undo used to find them as an id
-- range plus the import's timestamp, which is exact only while one writer at a time holds the
-- database; with concurrent writers (PostgreSQL, the server) ids of other work interleave.
-- No index: an undo is rare and scans one table, and every import row would pay for one.
ALTER TABLE contacts  ADD COLUMN import_batch INTEGER;
ALTER TABLE leads     ADD COLUMN import_batch INTEGER;
ALTER TABLE deals     ADD COLUMN import_batch INTEGER;
ALTER TABLE campaigns ADD COLUMN import_batch INTEGER;
ALTER TABLE companies ADD COLUMN import_batch INTEGER;

-- Batches recorded before this migration are stamped from their ranges, as their undo read them.
UPDATE contacts SET import_batch = b.id FROM import_batches b
 WHERE b.kind = 'contacts' AND contacts.id BETWEEN b.first_id AND b.last_id
   AND contacts.created_at = b.imported_at;
UPDATE leads SET import_batch = b.id FROM import_batches b
 WHERE b.kind = 'leads' AND leads.id BETWEEN b.first_id AND b.last_id
   AND leads.created_at = b.imported_at;
UPDATE deals SET import_batch = b.id FROM import_batches b
 WHERE b.kind = 'deals' AND deals.id BETWEEN b.first_id AND b.last_id
   AND deals.created_at = b.imported_at;
UPDATE campaigns SET import_batch = b.id FROM import_batches b
 WHERE b.kind = 'campaigns' AND campaigns.id BETWEEN b.first_id AND b.last_id
   AND campaigns.created_at = b.imported_at;
UPDATE companies SET import_batch = b.id FROM import_batches b
 WHERE companies.id BETWEEN b.first_company_id AND b.last_company_id;

ALTER TABLE import_batches DROP COLUMN first_id;
ALTER TABLE import_batches DROP COLUMN last_id;
ALTER TABLE import_batches DROP COLUMN first_company_id;
ALTER TABLE import_batches DROP COLUMN last_company_id;
