-- Placeholder for migration 010, which belongs to another branch (issue 19, OAuth installs);
-- it is replaced at merge so that 011 follows a strict sequence here.
SELECT 1;
