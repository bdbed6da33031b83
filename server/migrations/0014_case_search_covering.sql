-- The case search reads its capped matches from the key indexes alone (an index-only scan): each key
-- index holds only active cases (every search filters on them) and carries what a search needs
-- besides the key, the id, the branch (the user's scope and the branch filter) and the customer
-- number (the page's default order). Before, each of up to 1,001 matches per key was checked against
-- its table row for its status. The key's own columns are carried too: the planner considers an
-- index-only scan of an expression index only when the expression's columns are in the index.
DROP INDEX customers_no_key;
DROP INDEX customers_last_name_key;
DROP INDEX customers_full_name_key;
DROP INDEX customers_mobile_key;
DROP INDEX customers_mobile_tail_key;

CREATE INDEX customers_no_key ON customers (lower(customer_no COLLATE "C"))
  INCLUDE (customer_no, id, branch_id) WHERE status = 'active';
CREATE INDEX customers_last_name_key ON customers (lower(last_name COLLATE "C"))
  INCLUDE (last_name, customer_no, id, branch_id) WHERE status = 'active';
CREATE INDEX customers_full_name_key ON customers (lower(btrim(coalesce(first_name, '') || ' ' || last_name) COLLATE "C"))
  INCLUDE (first_name, last_name, customer_no, id, branch_id) WHERE status = 'active';
CREATE INDEX customers_mobile_key ON customers ((mobile COLLATE "C"))
  INCLUDE (customer_no, id, branch_id) WHERE status = 'active';
CREATE INDEX customers_mobile_tail_key ON customers ((reverse(mobile) COLLATE "C"))
  INCLUDE (mobile, customer_no, id, branch_id) WHERE status = 'active';
