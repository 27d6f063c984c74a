--
-- Installation: trusted install by an ordinary role, a hostile search_path,
-- relocation, and the catalog shape (every object belongs to the extension,
-- every aggregate is parallel safe with a combine function).
--
DROP EXTENSION engagement;

-- a hostile schema early in the search_path: objects that would capture
-- unqualified references made by the install script
CREATE SCHEMA hostile;
CREATE FUNCTION hostile.round(double precision, integer) RETURNS numeric
	LANGUAGE sql AS $$ SELECT 42::numeric $$;
CREATE FUNCTION hostile.nps_trans(hostile_state integer, score integer) RETURNS integer
	LANGUAGE sql AS $$ SELECT 42 $$;
CREATE TYPE hostile.interval AS (x int);

-- an ordinary role with CREATE on the database can install it (trusted)
CREATE ROLE engagement_app LOGIN;
-- the database is whichever the suite runs in (psql's DBNAME variable)
GRANT CREATE ON DATABASE :"DBNAME" TO engagement_app;
CREATE SCHEMA analytics AUTHORIZATION engagement_app;
GRANT USAGE ON SCHEMA hostile TO engagement_app;
SET ROLE engagement_app;
SET search_path = hostile, analytics, public;
CREATE EXTENSION engagement SCHEMA analytics;
SELECT extname, extversion, nspname, extrelocatable
FROM pg_extension JOIN pg_namespace n ON n.oid = extnamespace
WHERE extname = 'engagement';
-- it works from there, hostile objects notwithstanding
SELECT analytics.nps(s) FROM (VALUES (10), (9), (3)) v(s);
SELECT analytics.session_count(analytics.journey_agg(ts, 'web'), '30 minutes')
FROM (VALUES (timestamptz '2026-01-01 10:00'), ('2026-01-01 11:00')) v(ts);
RESET search_path;
RESET ROLE;

-- every aggregate: parallel safe, with a combine function, and with
-- serial/deserial functions when the state is internal (expect no rows)
SELECT p.oid::regprocedure AS offending_aggregate
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'engagement'
WHERE p.proparallel <> 's' OR a.aggcombinefn = 0 OR
	  (a.aggtranstype = 'internal'::regtype AND
	   (a.aggserialfn = 0 OR a.aggdeserialfn = 0));

-- every function is immutable and parallel safe, so postgres_fdw can ship
-- it (expect no rows)
SELECT p.oid::regprocedure AS offending_function
FROM pg_proc p
JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'engagement'
WHERE p.proparallel <> 's' OR p.provolatile <> 'i';

-- every function, aggregate, operator and type has a comment (issue 18):
-- the objects without one are listed, so a new object without a comment
-- fails this test
SELECT count(*) AS objects,
	   string_agg(pg_describe_object(d.classid, d.objid, 0), ', ')
		 FILTER (WHERE obj_description(d.objid, c.relname) IS NULL) AS without_comment
FROM pg_depend d
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'engagement'
JOIN pg_class c ON c.oid = d.classid
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.classid IN ('pg_proc'::regclass, 'pg_type'::regclass, 'pg_operator'::regclass)
  AND NOT (d.classid = 'pg_type'::regclass
		   AND EXISTS (SELECT FROM pg_type t WHERE t.oid = d.objid AND t.typcategory = 'A'));

-- relocatable
ALTER EXTENSION engagement SET SCHEMA public;
SELECT nps(s) FROM (VALUES (10), (9), (3)) v(s);

DROP EXTENSION engagement;
DROP SCHEMA analytics;
DROP SCHEMA hostile CASCADE;
REVOKE CREATE ON DATABASE :"DBNAME" FROM engagement_app;
DROP ROLE engagement_app;
CREATE EXTENSION engagement;
