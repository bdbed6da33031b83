-- The case search matched with ILIKE, which under the ICU collation of the name columns lowercases
-- every candidate row through ICU (~10 µs a row; a common surname has thousands). Persian has no
-- letter case: the search text now folds Latin capitals itself and is matched with LIKE.
CREATE OR REPLACE FUNCTION vosul_customer_search(customer_no text, first_name text, last_name text, mobile text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN translate(
  customer_no || ' ' || coalesce(first_name, '') || ' ' || last_name || ' ' || coalesce(mobile, ''),
  'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  'abcdefghijklmnopqrstuvwxyz'
);
REINDEX INDEX customers_search_trgm;
