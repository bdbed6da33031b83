-- Indexes the whole-book import has to maintain for every row it writes, and nothing reads: the
-- daily run scans the book set-based, and the import_id columns are kept for tracing, not looked up.
DROP INDEX IF EXISTS installments_due_on;
DROP INDEX IF EXISTS payments_facility_paid_on;
DROP INDEX IF EXISTS payments_import_id;
DROP INDEX IF EXISTS customers_import_id;
DROP INDEX IF EXISTS facilities_import_id;
