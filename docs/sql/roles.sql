-- BaserDB's database roles for a managed PostgreSQL (one where BaserDB does not get a superuser).
-- Run it once as the database's administrator (a role with CREATEROLE and CREATEDB), with psql:
--
--   psql "postgresql://admin@db.example.com/postgres" \
--     -v database=baserdb -v tag=baserdb \
--     -v owner_password='…' -v authenticator_password='…' -v role_manager_password='…' \
--     -f docs/sql/roles.sql
--
-- `tag` prefixes every role name (roles belong to the whole server); BaserDB derives it from the
-- database name: the name itself when it is at most 16 of a-z, 0-9 and _, otherwise "bdb" and 12
-- hex digits of its SHA-256 (the startup log names the roles it expects). Then start BaserDB with
--   BASERDB_DATABASE_URL=jdbc:postgresql://db.example.com:5432/<database>
--   BASERDB_DATABASE_USER=<tag>_owner             BASERDB_DATABASE_PASSWORD=<owner_password>
--   BASERDB_DATABASE_AUTHENTICATOR_PASSWORD=<authenticator_password>
--   BASERDB_DATABASE_ROLE_MANAGER_PASSWORD=<role_manager_password>
-- See docs/operations.md ("Database roles") for what each role may do and why.
\set ON_ERROR_STOP on

-- The owner: owns every platform and data-plane object; no superuser, no BYPASSRLS, no CREATEROLE.
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD %L',
              :'tag' || '_owner', :'owner_password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'tag' || '_owner') \gexec
-- The authenticator: data-API reads of anonymous callers and project users run in its sessions,
-- as the project's own role; NOINHERIT, so as itself it can read nothing.
SELECT format('CREATE ROLE %I LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
              :'tag' || '_authenticator', :'authenticator_password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'tag' || '_authenticator') \gexec
-- The role manager: creates and drops the per-project data roles (and, later, credential roles);
-- its small pool runs only that fixed DDL, never tenant SQL.
SELECT format('CREATE ROLE %I LOGIN NOINHERIT CREATEROLE NOSUPERUSER NOCREATEDB NOREPLICATION NOBYPASSRLS PASSWORD %L',
              :'tag' || '_role_manager', :'role_manager_password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'tag' || '_role_manager') \gexec
-- Named by the first read-schema migration; they hold no privileges.
SELECT 'CREATE ROLE bdb_anon NOLOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bdb_anon') \gexec
SELECT 'CREATE ROLE bdb_authenticated NOLOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bdb_authenticated') \gexec

SELECT format('CREATE DATABASE %I', :'database')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'database') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'database') \gexec
SELECT format('GRANT CONNECT, TEMPORARY, CREATE ON DATABASE %I TO %I', :'database', :'tag' || '_owner') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', :'database', :'tag' || '_authenticator') \gexec
-- With grant option: the role manager grants CONNECT to the login roles of read-only credentials.
SELECT format('GRANT CONNECT ON DATABASE %I TO %I WITH GRANT OPTION', :'database', :'tag' || '_role_manager') \gexec
-- A revoked credential's sessions end with it: the role manager (NOINHERIT) becomes pg_signal_backend
-- for that one statement (see docs/operations.md).
SELECT format('GRANT pg_signal_backend TO %I', :'tag' || '_role_manager') \gexec

\connect :database
SELECT format('ALTER SCHEMA public OWNER TO %I', :'tag' || '_owner') \gexec
-- Functions no tenant expression may call, even one that got past the grammar of constraint_sql:
-- changing role or settings, running SQL given as text, sleeping, advisory locks, notifications,
-- signalling backends, large objects. The owner keeps the few it uses.
SELECT format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', p.oid::regprocedure)
FROM pg_proc p
WHERE p.pronamespace = 'pg_catalog'::regnamespace
  AND p.proname IN ('set_config', 'pg_sleep', 'pg_sleep_for', 'pg_sleep_until',
                    'query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema',
                    'table_to_xml', 'table_to_xmlschema', 'table_to_xml_and_xmlschema',
                    'cursor_to_xml', 'cursor_to_xmlschema', 'schema_to_xml', 'schema_to_xmlschema',
                    'schema_to_xml_and_xmlschema', 'database_to_xml', 'database_to_xmlschema',
                    'database_to_xml_and_xmlschema', 'ts_stat',
                    'pg_advisory_lock', 'pg_advisory_lock_shared', 'pg_try_advisory_lock',
                    'pg_try_advisory_lock_shared', 'pg_advisory_xact_lock', 'pg_advisory_xact_lock_shared',
                    'pg_try_advisory_xact_lock', 'pg_try_advisory_xact_lock_shared', 'pg_advisory_unlock',
                    'pg_advisory_unlock_shared', 'pg_advisory_unlock_all', 'pg_notify',
                    'pg_terminate_backend', 'pg_cancel_backend',
                    'lo_create', 'lo_creat', 'lo_from_bytea', 'lo_open', 'lo_put', 'lo_get', 'lo_unlink',
                    'lo_truncate', 'lo_truncate64', 'lowrite', 'loread') \gexec
SELECT format('GRANT EXECUTE ON FUNCTION %s TO %I', p.oid::regprocedure, :'tag' || '_owner')
FROM pg_proc p
WHERE p.pronamespace = 'pg_catalog'::regnamespace
  AND p.proname IN ('set_config', 'pg_notify', 'pg_advisory_lock', 'pg_advisory_lock_shared',
                    'pg_try_advisory_lock', 'pg_try_advisory_lock_shared', 'pg_advisory_xact_lock',
                    'pg_advisory_xact_lock_shared', 'pg_try_advisory_xact_lock',
                    'pg_try_advisory_xact_lock_shared', 'pg_advisory_unlock', 'pg_advisory_unlock_shared',
                    'pg_advisory_unlock_all') \gexec
-- pg_terminate_backend was taken from PUBLIC above; members of pg_signal_backend (the role manager) may end sessions.
GRANT EXECUTE ON FUNCTION pg_catalog.pg_terminate_backend(integer, bigint) TO pg_signal_backend;
