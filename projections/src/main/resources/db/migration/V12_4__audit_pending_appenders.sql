-- An entry held back from the audit chain waits for the appenders of events in flight when it was
-- held (event_appenders(), V12_3), no longer for the transaction ids in progress then: those missed an
-- appender whose id was above the snapshot's xmax, and its event then joined the chain after later
-- ones. Entries held before this upgrade keep no appender to wait for: the transactions they awaited
-- were the stopped application's, which have ended, so a gap below them is filled or abandoned.
ALTER TABLE audit_pending ALTER COLUMN running TYPE text[] USING '{}';
ALTER TABLE audit_pending RENAME COLUMN running TO appenders;
DROP FUNCTION audit_running_transactions();
