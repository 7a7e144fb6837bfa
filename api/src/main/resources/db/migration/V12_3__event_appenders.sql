-- Which transactions may still commit an event at a global index already drawn. An INSERT into the
-- event table takes RowExclusiveLock on it before it draws its index (the column's default) and holds
-- it until its transaction ends: the transactions holding that lock are the appenders in flight.
-- Transaction ids would not do. A snapshot lists only the ids below its xmax (one past the latest
-- completed), so a transaction that took its id before another, and its index after it, is not
-- listed once the other commits while nothing newer has; and a transaction can draw its index before
-- it has an id at all.

-- The virtual transaction ids of the appenders in flight, other than the caller.
CREATE FUNCTION event_appenders() RETURNS text[] LANGUAGE sql VOLATILE AS $$
    SELECT coalesce(array_agg(virtualtransaction), '{}')
    FROM pg_locks
    WHERE locktype = 'relation' AND relation = 'domainevententry'::regclass AND mode = 'RowExclusiveLock'
      AND pid IS DISTINCT FROM pg_backend_pid()
$$;

-- Whether any of the appenders (as event_appenders() listed them) is still in flight.
CREATE FUNCTION event_appenders_remain(appenders text[]) RETURNS boolean LANGUAGE sql VOLATILE AS $$
    SELECT EXISTS (
        SELECT 1 FROM pg_locks
        WHERE locktype = 'relation' AND relation = 'domainevententry'::regclass AND mode = 'RowExclusiveLock'
          AND virtualtransaction = ANY (appenders))
$$;
