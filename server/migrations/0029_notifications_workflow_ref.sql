-- The planner writes a day's notifications in one statement (a hundred thousand rows and more); a
-- foreign key checks each row by itself (a per-row trigger), which made a fifth of that insert. The
-- workflow is the one the planner has just read; a deleted workflow's messages keep its number, and
-- the report, which joins workflows for the title, shows none for them (as with SET NULL before).
ALTER TABLE notifications DROP CONSTRAINT notifications_workflow_id_fkey;
