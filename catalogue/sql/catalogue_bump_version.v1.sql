-- Version 1. Before each update of an editable record: count the change in its version.
-- A change is any column that differs from the row as it was, except `version` itself and
-- the columns the trigger names in its arguments (timestamps and derived columns), so a save
-- that changes nothing leaves the version alone. A writer may also bump the version itself
-- (the admin does when only inline rows changed); an older version written back by a stale
-- copy of the row never lowers it.
CREATE OR REPLACE FUNCTION catalogue_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ignored text[] := coalesce(TG_ARGV, '{}'::text[]) || 'version'::text;  -- TG_ARGV: NULL if none
    changed boolean := (to_jsonb(NEW) - ignored) IS DISTINCT FROM (to_jsonb(OLD) - ignored);
BEGIN
    NEW.version := GREATEST(OLD.version + changed::int, NEW.version);
    RETURN NEW;
END;
$$;
