-- The pages of the daily run (common/src/pages.ts) for the predefined groups of existing installations:
-- the administrators get all of them; branch managers and province admins see their arrears and what
-- falls due; collection officers the arrears they follow up.
INSERT INTO access_group_pages (group_id, page_key)
SELECT g.id, p.page_key FROM access_groups g
CROSS JOIN (VALUES ('day_runs'), ('maturing_facilities'), ('vouchers'), ('overdue_cases')) AS p(page_key)
WHERE g.code = 'hq_admin'
ON CONFLICT DO NOTHING;

INSERT INTO access_group_pages (group_id, page_key)
SELECT g.id, p.page_key FROM access_groups g
CROSS JOIN (VALUES ('overdue_cases'), ('maturing_facilities')) AS p(page_key)
WHERE g.code IN ('branch_manager', 'province_admin')
ON CONFLICT DO NOTHING;

INSERT INTO access_group_pages (group_id, page_key)
SELECT id, 'overdue_cases' FROM access_groups WHERE code = 'collection_officer'
ON CONFLICT DO NOTHING;
