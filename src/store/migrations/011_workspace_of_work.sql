-- On Enterprise Grid, owners are keyed by the org (tenant_id = enterprise id) but each digest,
-- alert, job watch and flag request lives in one workspace's channel. Without an org-wide
-- install, only that workspace's installation can post there, so remember which workspace the
-- creator acted in. Null outside Grid (tenant_id is then the workspace) and for older rows.
ALTER TABLE digests ADD COLUMN team_id text;
ALTER TABLE alerts ADD COLUMN team_id text;
ALTER TABLE job_watches ADD COLUMN team_id text;
ALTER TABLE flag_requests ADD COLUMN team_id text;
