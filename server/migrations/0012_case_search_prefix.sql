-- The case search answers from B-tree prefix indexes instead of the trigram index: a clerk types the
-- start of a customer number, a last name, a full name ("first last") or a mobile, or a mobile's last
-- digits. A prefix range reads only its matches, in order; a trigram lookup of a common surname reads
-- the posting lists of every trigram it holds (tens of thousands of rows on a national book), and the
-- GIN index was the slowest part of a first import. Keys are in byte order ("C"), so `LIKE 'prefix%'`
-- can range-scan them whatever the database's collation; lower() under "C" folds Latin letters only,
-- in a plain byte loop (several times cheaper than translate() or lower() under the names' ICU
-- collation, which matters when a broad search checks the keys of a few thousand rows).
DROP INDEX customers_search_trgm;
ALTER TABLE customers DROP COLUMN search_text;
DROP FUNCTION vosul_customer_search(text, text, text, text);

CREATE INDEX customers_no_key ON customers (lower(customer_no COLLATE "C"));
CREATE INDEX customers_last_name_key ON customers (lower(last_name COLLATE "C"));
CREATE INDEX customers_full_name_key ON customers (lower(btrim(coalesce(first_name, '') || ' ' || last_name) COLLATE "C"));
CREATE INDEX customers_mobile_key ON customers ((mobile COLLATE "C"));
CREATE INDEX customers_mobile_tail_key ON customers ((reverse(mobile) COLLATE "C"));

-- A facility number is searched only among one case's facilities (found by customer_id first): its
-- trigram index served no query and cost a first import as much as the facilities themselves.
DROP INDEX facilities_facility_no_trgm;
