-- The platform admin behind a backup run started under impersonation (its started_by is the user):
-- the run's later events (succeeded, failed), sent by the node that runs it, name the admin too.
ALTER TABLE backup_runs ADD COLUMN started_by_impersonator_id TEXT;
