-- as_of reads of managed tables find the row versions valid at an instant through a GiST index on
-- their period, instead of a btree on (valid_from, valid_to) that cannot bound both ends at once.
-- New tables get it from the data plane (TableProjection); this gives it to the existing ones.
DO $$
DECLARE
    history record;
BEGIN
    FOR history IN
        SELECT n.nspname AS schema_name, c.relname AS table_name
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname LIKE 'g\_%' AND c.relname ~ '^h_[0-9a-f]+$'
    LOOP
        -- a version closed before it began (clocks of two nodes apart) was never visible; it stays so
        EXECUTE format('UPDATE %I.%I SET valid_to = valid_from WHERE valid_to < valid_from',
                       history.schema_name, history.table_name);
        EXECUTE format('DROP INDEX IF EXISTS %I.%I', history.schema_name, history.table_name || '_period');
        EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gist (tstzrange(valid_from, valid_to))',
                       history.table_name || '_during', history.schema_name, history.table_name);
    END LOOP;
END
$$;
