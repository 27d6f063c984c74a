--
-- Funnels over event names under a nondeterministic collation.  It needs a
-- PostgreSQL built with ICU (Debian's is); without ICU collations the file
-- stops here (expected/funnel_icu_1.out), as PostgreSQL's own ICU tests do.
--
SELECT (SELECT count(*) FROM pg_collation WHERE collprovider = 'i') = 0 AS skip_test \gset
\if :skip_test
\quit
\endif
-- the call's collation decides equality: a case-insensitive ICU collation
-- makes 'a' reach step 'A', as its = does; bytewise under the default
CREATE COLLATION funnel_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
SELECT window_funnel('1 hour', ts, e COLLATE funnel_ci, ARRAY['A', 'B']) AS ci_names,
	   window_funnel('1 hour', ts, e COLLATE funnel_ci = 'A', e COLLATE funnel_ci = 'B') AS ci_conditions,
	   window_funnel('1 hour', ts, e, ARRAY['A', 'B']) AS bytewise
FROM (VALUES (timestamptz '2026-01-05 10:00+00', 'a'), ('2026-01-05 10:01+00', 'b')) v(ts, e);
DROP COLLATION funnel_ci;
