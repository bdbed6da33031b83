-- The case search reads a stored search text (customer number, names, mobile; Latin capitals folded)
-- in the byte order of "C": the index's recheck is then a plain byte match of a stored value instead
-- of rebuilding and collating the text for every candidate row (~25 µs a row).
DROP INDEX customers_search_trgm;
ALTER TABLE customers ADD COLUMN search_text text COLLATE "C"
  GENERATED ALWAYS AS (vosul_customer_search(customer_no, first_name, last_name, mobile) COLLATE "C") STORED;
CREATE INDEX customers_search_trgm ON customers USING gin (search_text gin_trgm_ops);
