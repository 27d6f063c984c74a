--
-- fractribution (issue 22): attribution over a path summary with Google's
-- fractribution rules (py/fractribution.py of google/fractribution and
-- utils/fractribution.py of snowplow/dbt-snowplow-fractribution, read, not
-- run), ROAS against spend, and its path transforms.
--
-- Expected values: a path summary worked by hand below, a plain-SQL
-- formulation of the same leave-one-out rule on generated paths, and the
-- transform examples of fractribution's path_transforms.sql comments
-- ([D, A, B, B, C, D, C, C]).
--
-- Checked once outside this suite (their data is not copied here): the
-- per-path shapley fractions of the 758-path example summary in
-- google/fractribution's py/fractribution_model/tests, under its unique,
-- exposure, first and frequency transforms, against the expected per-customer
-- outputs published beside it (289 converting paths in all): largest
-- difference 5e-16.
--
SET extra_float_digits = 0;

--
-- The hand-worked path summary (channels A, B, C):
--   path       conv non  p = conv/(conv+non)  revenue
--   [A]          2    2   0.5                   20
--   [B]          1    3   0.25                  10
--   [A,B]        3    1   0.75                  60
--   [B,A,B]      1    1   0.5                    5
--   [C]          0    5   0                      0
--   [A,C]        1    4   0.2                    7
--   [B,A]        1    3   0.25                   4
--   []           2    0   (no channel)           8
-- totals: 11 conversions, 114 revenue.
--
-- shapley (leave one touch out, floor at 0, normalise; all 0 -> last touch):
--   [A], [B]: one touch gets 1.
--   [A,B]: without A -> [B] 0.25: 0.5; without B -> [A] 0.5: 0.25;
--          A 2/3, B 1/3; x3 conversions: A 2, B 1; x60: A 40, B 20.
--   [B,A,B]: without B1 -> [A,B] 0.75: max(-0.25, 0) = 0; without A ->
--          [B,B] absent: 0.5; without B3 -> [B,A] 0.25: 0.25; sum 0.75:
--          A 2/3, B 1/3; x1: A 2/3, B 1/3; x5: A 10/3, B 5/3.
--   [C]: no conversion: no credit (revenue 0).
--   [A,C]: without A -> [C] 0: 0.2; without C -> [A] 0.5: 0; A 1, C 0;
--          x1: A 1; x7: A 7.
--   [B,A]: without B -> [A] 0.5: 0; without A -> [B] 0.25: 0; all 0: the
--          last touch A gets 1; x1: A 1; x4: A 4.
--   []: 2 conversions and 8 revenue to no channel (NULL).
--   A = 2 + 2 + 2/3 + 1 + 1 = 20/3, B = 1 + 1 + 1/3 = 7/3, C = 0;
--   revenue A = 20 + 40 + 10/3 + 7 + 4 = 223/3, B = 10 + 20 + 5/3 = 95/3.
-- first_touch: A 2+3+1 = 6, B 1+1+1 = 3, C 0; revenue A 87, B 19, C 0.
-- last_touch: A 2+1 = 3, B 1+3+1 = 5, C 1; revenue A 24, B 75, C 7.
-- linear: A 2 + 1.5 + 1/3 + 0.5 + 0.5 = 29/6, B 1 + 1.5 + 2/3 + 0.5 = 11/3,
--   C 0.5; revenue A 20 + 30 + 5/3 + 3.5 + 2 = 343/6, B 10 + 30 + 10/3 + 2
--   = 136/3, C 3.5.
-- position_based (40/20/40; one touch 1, two 0.5/0.5): [B,A,B] gives
--   B 0.8, A 0.2: A 2 + 1.5 + 0.2 + 0.5 + 0.5 = 4.7, B 1 + 1.5 + 0.8 + 0.5
--   = 3.8, C 0.5; revenue A 20 + 30 + 1 + 3.5 + 2 = 56.5, B 10 + 30 + 4 + 2
--   = 46, C 3.5.
-- Every model gives the empty path's 2 conversions and 8 revenue to NULL.
--
CREATE TABLE ps (path text[], conv bigint, non bigint, revenue double precision);
INSERT INTO ps VALUES
	('{A}', 2, 2, 20), ('{B}', 1, 3, 10), ('{A,B}', 3, 1, 60), ('{B,A,B}', 1, 1, 5),
	('{C}', 0, 5, 0), ('{A,C}', 1, 4, 7), ('{B,A}', 1, 3, 4), ('{}', 2, 0, 8);
CREATE TABLE hand (model text, channel text, conversions float8, revenue float8);
INSERT INTO hand VALUES
	('shapley', 'A', 20 / 3.0, 223 / 3.0), ('shapley', 'B', 7 / 3.0, 95 / 3.0),
	('shapley', 'C', 0, 0), ('shapley', NULL, 2, 8),
	('first_touch', 'A', 6, 87), ('first_touch', 'B', 3, 19), ('first_touch', 'C', 0, 0),
	('first_touch', NULL, 2, 8),
	('last_touch', 'A', 3, 24), ('last_touch', 'B', 5, 75), ('last_touch', 'C', 1, 7),
	('last_touch', NULL, 2, 8),
	('linear', 'A', 29 / 6.0, 343 / 6.0), ('linear', 'B', 11 / 3.0, 136 / 3.0),
	('linear', 'C', 0.5, 3.5), ('linear', NULL, 2, 8),
	('position_based', 'A', 4.7, 56.5), ('position_based', 'B', 3.8, 46),
	('position_based', 'C', 0.5, 3.5), ('position_based', NULL, 2, 8);
CREATE TABLE s AS SELECT fractribution_agg(path, conv, non, revenue) AS s FROM ps;
SELECT s FROM s;
SELECT m.model, a.channel, round(a.conversions::numeric, 6) AS conversions,
	   round(a.revenue::numeric, 6) AS revenue,
	   ((abs(a.conversions - h.conversions) <= 1e-9 AND abs(a.revenue - h.revenue) <= 1e-9)
		IS TRUE) AS agrees
FROM s, (VALUES ('shapley'), ('first_touch'), ('last_touch'), ('linear'), ('position_based')) m(model)
	 CROSS JOIN LATERAL fractribution(s.s, m.model) a
	 LEFT JOIN hand h ON h.model = m.model AND h.channel IS NOT DISTINCT FROM a.channel
ORDER BY 1, 2 NULLS LAST;
-- every model row of the hand table is reported (none missing)
SELECT count(*) AS missing FROM hand h
WHERE NOT EXISTS (SELECT FROM s, fractribution(s.s, h.model) a
				  WHERE a.channel IS NOT DISTINCT FROM h.channel);
-- shapley is the default model
SELECT (SELECT array_agg(a ORDER BY channel) FROM s, fractribution(s.s) a)
	 = (SELECT array_agg(a ORDER BY channel) FROM s, fractribution(s.s, 'shapley') a) AS default_shapley;

-- ROAS (fractribution's report: revenue / spend, NULL for no or zero spend;
-- spend of a channel summed; channels with spend but no path left out):
-- last touch, spend A 6 + 4 = 10, B 0, D 5, C none: A 24 / 10 = 2.4.
SELECT r.channel, r.conversions, r.revenue, r.spend, r.roas
FROM s, roas(s.s, 'last_touch', ARRAY['A', 'B', 'D', 'A', 'C'],
			 ARRAY[6, 0, 5, 4, NULL]::float8[]) r
ORDER BY 1 NULLS LAST;

-- spend as daily rows: 70,000 elements over three channels (the limit is on
-- distinct names), 0.5 each: A gets 23,334 of them (g % 3 = 0 for g in
-- 0..69999), B and C 23,333: spend 11667, 11666.5, 11666.5; ROAS (last
-- touch revenue 24, 75, 7 as above) 24/11667, 75/11666.5, 7/11666.5
SELECT r.channel, r.spend, round(r.roas::numeric, 9) AS roas,
	   (abs(r.roas - CASE r.channel WHEN 'A' THEN 24 / 11667.0 WHEN 'B' THEN 75 / 11666.5
								   WHEN 'C' THEN 7 / 11666.5 END) <= 1e-12
		OR (r.channel IS NULL AND r.roas IS NULL)) IS TRUE AS agrees
FROM s, roas(s.s, 'last_touch',
			 ARRAY(SELECT (ARRAY['A', 'B', 'C'])[1 + g % 3] FROM generate_series(0, 69999) g),
			 ARRAY(SELECT 0.5::float8 FROM generate_series(0, 69999) g)) r
ORDER BY 1 NULLS LAST;

-- channel names are cut at their first "(" (fractribution undoes its
-- frequency transform so): A(2) and A(1) report as A
SELECT a.channel, a.conversions, a.revenue
FROM (SELECT fractribution_agg(path, c, n, r) AS s
	  FROM (VALUES ('{A(2),B(1)}'::text[], 1::bigint, 0::bigint, 10::float8),
				   ('{A(1)}', 1, 1, 2)) v(path, c, n, r)) t,
	 fractribution(t.s, 'linear') a
ORDER BY 1;

--
-- The same rule in plain SQL on generated paths: 3,000 journeys over five
-- channels, one to five touches, summed per distinct path (revenue in
-- quarters, so that every sum is exact in any order)
--
CREATE TABLE gen AS
SELECT i, ARRAY(SELECT chr(65 + (hashint4(i * 7 + k) & 2147483647) % 5)
				FROM generate_series(1, 1 + (hashint4(i) & 2147483647) % 5) k ORDER BY k) AS path,
	   ((hashint4(i + 1000000) & 2147483647) % 3 = 0)::int AS conv,
	   ((hashint4(i + 2000000) & 2147483647) % 1000) / 4.0 AS revenue
FROM generate_series(1, 3000) i;
CREATE TABLE gps AS
SELECT path, sum(conv)::bigint AS conv, sum(1 - conv)::bigint AS non,
	   sum(revenue * conv)::float8 AS revenue
FROM gen GROUP BY path;
-- per path: p, and for each touch k the rate of the path without it
CREATE VIEW gcredit AS
WITH p AS (SELECT path, conv, non, revenue,
				  CASE WHEN conv + non > 0 THEN conv::float8 / (conv + non) ELSE 0 END AS rate
		   FROM gps),
	 touch AS (SELECT p.path, p.conv, p.revenue, p.rate, k, p.path[k] AS channel,
					  cardinality(p.path) AS len,
					  CASE WHEN cardinality(p.path) = 1 THEN p.rate
						   ELSE greatest(p.rate - coalesce((SELECT q.rate FROM p q
							   WHERE q.path = p.path[1:k - 1] || p.path[k + 1:]), 0), 0) END AS mc
			   FROM p, generate_subscripts(p.path, 1) k
			   WHERE p.conv > 0),
	 norm AS (SELECT *, sum(mc) OVER (PARTITION BY path) AS total FROM touch)
SELECT channel, conv, revenue,
	   CASE WHEN total > 0 THEN mc / total WHEN k = len THEN 1 ELSE 0 END AS credit
FROM norm;
CREATE TABLE gs AS SELECT fractribution_agg(path, conv, non, revenue) AS s FROM gps;
SELECT count(*) AS channels,
	   count(*) FILTER (WHERE (abs(a.conversions - e.conversions) <= 1e-9 * greatest(1, abs(e.conversions))
							   AND abs(a.revenue - e.revenue) <= 1e-9 * greatest(1, abs(e.revenue))) IS NOT TRUE) AS mismatches
FROM gs, fractribution(gs.s, 'shapley') a
	 FULL JOIN (SELECT channel, sum(credit * conv) AS conversions, sum(credit * revenue) AS revenue
				FROM gcredit GROUP BY channel) e USING (channel);
-- linear and position-based in plain SQL on the same paths
SELECT m.model, count(*) AS channels,
	   count(*) FILTER (WHERE (abs(a.conversions - e.conversions) <= 1e-9 * greatest(1, abs(e.conversions))) IS NOT TRUE) AS mismatches
FROM gs, (VALUES ('linear'), ('position_based'), ('first_touch'), ('last_touch')) m(model)
	 CROSS JOIN LATERAL fractribution(gs.s, m.model) a
	 FULL JOIN (SELECT mm.model, g.path[k] AS channel,
					   sum(g.conv * CASE mm.model
							WHEN 'linear' THEN 1.0 / cardinality(g.path)
							WHEN 'first_touch' THEN (k = 1)::int
							WHEN 'last_touch' THEN (k = cardinality(g.path))::int
							ELSE CASE WHEN cardinality(g.path) = 1 THEN 1
									  WHEN cardinality(g.path) = 2 THEN 0.5
									  WHEN k IN (1, cardinality(g.path)) THEN 0.4
									  ELSE 0.2 / (cardinality(g.path) - 2) END END) AS conversions
				FROM gps g, generate_subscripts(g.path, 1) k,
					 (VALUES ('linear'), ('position_based'), ('first_touch'), ('last_touch')) mm(model)
				GROUP BY 1, 2) e ON e.model = m.model AND e.channel = a.channel
GROUP BY 1 ORDER BY 1;
-- conservation: every model credits all conversions and revenue
SELECT m.model, round(sum(a.conversions)::numeric, 6) = (SELECT sum(conv) FROM gps) AS conversions_kept,
	   round(sum(a.revenue)::numeric, 6) = (SELECT round(sum(revenue)::numeric, 6) FROM gps) AS revenue_kept
FROM gs, (VALUES ('shapley'), ('linear'), ('position_based'), ('first_touch'), ('last_touch')) m(model)
	 CROSS JOIN LATERAL fractribution(gs.s, m.model) a
GROUP BY 1 ORDER BY 1;

--
-- The summary: one row per journey equals pre-counted paths, rollup and +
-- equal the whole, parallel equals serial, text/binary/JSON forms
--
SELECT (SELECT fractribution_agg(path, conv::bigint, (1 - conv)::bigint, revenue * conv) FROM gen)
	 = (SELECT s FROM gs) AS precounted_equal;
SELECT (SELECT rollup(s) FROM (SELECT fractribution_agg(path, conv, non, revenue) AS s
							   FROM gps GROUP BY cardinality(path)) t)
	 = (SELECT s FROM gs) AS rollup_equal,
	   (SELECT (SELECT fractribution_agg(path, conv, non, revenue) FROM gps WHERE cardinality(path) <= 2)
			 + (SELECT fractribution_agg(path, conv, non, revenue) FROM gps WHERE cardinality(path) > 2))
	 = (SELECT s FROM gs) AS plus_equal;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT fractribution_agg(path, conv::bigint, (1 - conv)::bigint, revenue * conv) FROM gen;
SELECT fractribution_agg(path, conv::bigint, (1 - conv)::bigint, revenue * conv) = (SELECT s FROM gs)
	   AS parallel_equal
FROM gen;
RESET ALL;
SET extra_float_digits = 0;
SELECT (SELECT s FROM gs) = (SELECT s FROM gs)::text::fractribution_summary AS text_round_trip,
	   fractribution_summary_send((SELECT s FROM gs))
	 = fractribution_summary_send((SELECT s FROM gs)::text::fractribution_summary) AS send_equal;
SELECT s::jsonb -> 'channels' AS channels, s::jsonb -> 'paths' -> 0 AS first_path,
	   jsonb_array_length(s::jsonb -> 'paths') AS paths, s::json::jsonb = s::jsonb AS json_same
FROM s;
SELECT * FROM s, unnest(s.s) u ORDER BY u.path;
SELECT (SELECT count(*) FROM gs, unnest(gs.s)) AS unnested, (SELECT count(*) FROM gps) AS distinct_paths;
-- text input in any order is brought to the one stored form
SELECT '(v=1,channels=["web","email"],paths=[[1 0] 3 1 10.5,[] 2 0 0,[0] 1 1 0])'::fractribution_summary;
SELECT '(v=1,channels=["a""b"],paths=[[0 0] 1 2 -0])'::fractribution_summary;
CREATE TABLE both_s AS SELECT s FROM s UNION ALL SELECT s FROM gs;
\copy both_s TO 'results/fractribution.bin' WITH (FORMAT binary)
CREATE TABLE both_copy (s fractribution_summary);
\copy both_copy FROM 'results/fractribution.bin' WITH (FORMAT binary)
SELECT (SELECT array_agg(s ORDER BY s) FROM both_s) = (SELECT array_agg(s ORDER BY s) FROM both_copy)
	   AS binary_round_trip, (SELECT count(*) FROM both_copy) AS copied;
CREATE TABLE copied (s fractribution_summary);
COPY copied FROM STDIN;
(v=1,channels=["A","B"],paths=[[0 1] 3 1 60])
\.
SELECT s, s = '(v=1,channels=["A","B"],paths=[[0 1] 3 1 60])' AS same FROM copied;

--
-- NULLs, empty input, one row
--
SELECT fractribution_agg(path, conv, non) IS NULL AS empty_is_null FROM ps WHERE false;
SELECT fractribution_agg(NULL::text[], 1, 1) IS NULL AS null_paths_skipped;
SELECT fractribution_agg(path, NULL, NULL, NULL) FROM (VALUES ('{A}'::text[])) v(path);
SELECT a.* FROM (SELECT fractribution_agg('{web}'::text[], 3, 1, 12.5) AS s) t, fractribution(t.s) a;
SELECT a.* FROM (SELECT fractribution_agg('{}'::text[], 3, 1) AS s) t, fractribution(t.s, 'linear') a;
SELECT count(*) AS strict_rows FROM fractribution(NULL::fractribution_summary);
-- a summary without conversions: every channel 0
SELECT a.* FROM (SELECT fractribution_agg('{a,b}'::text[], 0, 4) AS s) t, fractribution(t.s) a;

-- a long path: the leave-one-out rule looks each shorter path up by a hash
-- of prefix and suffix, so 200,000 touches (and the same path without its
-- first touch) take linear time, not the 4e10 steps of comparing paths
-- touch by touch.  P = B C A B C A ... (touch k is chr(65 + k % 3)),
-- 3 conversions, 1 non-conversion, p = 0.75; Q = P without its first touch,
-- 1 and 1, p = 0.5.  In P, leaving out the first touch gives Q: 0.25; any
-- other touch gives a path not in the summary: 0.75; the sum is
-- 0.25 + 199,999 x 0.75 = 149,999.5.  P has 66,667 B (the first), 66,667 C
-- and 66,666 A.  In Q every touch gives an absent path: 1/199,999 each, and
-- Q has 66,666 B, 66,667 C and 66,666 A.
SET statement_timeout = '20s';
SELECT a.channel, round(a.conversions::numeric, 9) AS conversions,
	   (abs(a.conversions - CASE a.channel
			WHEN 'B' THEN 3 * (0.25 + 66666 * 0.75) / 149999.5 + 66666 / 199999.0
			WHEN 'C' THEN 3 * 66667 * 0.75 / 149999.5 + 66667 / 199999.0
			ELSE 3 * 66666 * 0.75 / 149999.5 + 66666 / 199999.0 END) <= 1e-9) IS TRUE AS agrees
FROM (SELECT fractribution_agg(p, c, n) AS s
	  FROM (SELECT ARRAY(SELECT chr(65 + k % 3) FROM generate_series(1, 200000) k) AS p, 3::bigint AS c, 1::bigint AS n
			UNION ALL
			SELECT ARRAY(SELECT chr(65 + k % 3) FROM generate_series(2, 200000) k), 1, 1) v) t,
	 fractribution(t.s) a ORDER BY 1;
RESET statement_timeout;

--
-- path_transform: fractribution's examples on [D, A, B, B, C, D, C, C]
--
SELECT t.transform, path_transform('{D,A,B,B,C,D,C,C}', t.transform) AS result
FROM (VALUES ('unique'), ('exposure'), ('first'), ('frequency')) t(transform);
-- Snowplow's examples: target A on A > B > A > A
SELECT path_transform('{A,B,A,A}', 'remove_if_not_all', 'A') AS not_all,
	   path_transform('{A,B,A,A}', 'remove_if_last_and_not_all', 'A') AS last_and_not_all,
	   path_transform('{A,A}', 'remove_if_not_all', 'A') AS all_kept,
	   path_transform('{A,A}', 'remove_if_last_and_not_all', 'A') AS all_kept_last,
	   path_transform('{B,C}', 'remove_if_last_and_not_all', 'A') AS untouched;
SELECT path_transform('{}', 'exposure') AS empty, path_transform('{}', 'frequency') AS empty_freq,
	   path_transform('{}', 'remove_if_not_all', 'A') AS empty_remove,
	   path_transform(NULL, 'first') IS NULL AS strict;

--
-- Errors
--
SELECT * FROM fractribution((SELECT s FROM s), 'time_decay');
SELECT * FROM roas((SELECT s FROM s), 'markov', '{}', '{}');
SELECT * FROM roas((SELECT s FROM s), 'linear', '{A,B}', '{1}');
SELECT * FROM roas((SELECT s FROM s), 'linear', ARRAY['A', NULL], '{1,2}');
SELECT * FROM roas((SELECT s FROM s), 'linear', '{A}', '{NaN}');
SELECT path_transform('{A}', 'recency');
SELECT path_transform('{A}', 'remove_if_not_all');
SELECT path_transform('{A}', 'first', 'A');
SELECT path_transform('{A,NULL}', 'first');
SELECT path_transform('{{A},{B}}', 'first');
SELECT fractribution_agg('{A}', -1, 0);
SELECT fractribution_agg('{A}', 1, 0, 'Infinity');
SELECT fractribution_agg('{A,NULL}', 1, 0);
SELECT fractribution_agg('{{A},{B}}', 1, 0);
SELECT fractribution_agg(path, 9223372036854775807, 0) FROM (VALUES ('{A}'::text[]), ('{A}')) v(path);
SELECT fractribution_agg('{A}', 1, 0, 1e308) + fractribution_agg('{A}', 1, 0, 1e308);
-- 65,536 distinct channels: one more than a summary (and a path for
-- first/frequency) may hold
SELECT fractribution_agg(ARRAY(SELECT 'c' || g FROM generate_series(0, 65535) g), 1, 0);
SELECT cardinality(path_transform(ARRAY(SELECT 'c' || g FROM generate_series(0, 65535) g), 'first'));
SELECT '(v=2,channels=[],paths=[[] 1 0 0])'::fractribution_summary;
SELECT '(v=1,channels=["a"],paths=[])'::fractribution_summary;
SELECT '(v=1,channels=["a","b"],paths=[[0] 1 0 0])'::fractribution_summary;
SELECT '(v=1,channels=["a"],paths=[[1] 1 0 0])'::fractribution_summary;
SELECT '(v=1,channels=["a","a"],paths=[[0] 1 0 0])'::fractribution_summary;
SELECT '(v=1,channels=["a"],paths=[[0] -1 0 0])'::fractribution_summary;
SELECT '(v=1,channels=["a"],paths=[[0] 1 0 nan])'::fractribution_summary;
-- the same errors with their SQLSTATEs: 22023 unknown model, transform or
-- channel argument, bad counts and revenue; 2202E arrays; 22004 NULL names;
-- 22003 sums out of range; 54000 limits; 22P02 bad text
\set VERBOSITY sqlstate
SELECT * FROM fractribution((SELECT s FROM s), 'time_decay');
SELECT * FROM roas((SELECT s FROM s), 'markov', '{}', '{}');
SELECT * FROM roas((SELECT s FROM s), 'linear', '{A,B}', '{1}');
SELECT * FROM roas((SELECT s FROM s), 'linear', ARRAY['A', NULL], '{1,2}');
SELECT * FROM roas((SELECT s FROM s), 'linear', '{A}', '{NaN}');
SELECT path_transform('{A}', 'recency');
SELECT path_transform('{A}', 'remove_if_not_all');
SELECT path_transform('{A}', 'first', 'A');
SELECT path_transform('{A,NULL}', 'first');
SELECT path_transform('{{A},{B}}', 'first');
SELECT fractribution_agg('{A}', -1, 0);
SELECT fractribution_agg('{A}', 1, 0, 'Infinity');
SELECT fractribution_agg('{A,NULL}', 1, 0);
SELECT fractribution_agg('{{A},{B}}', 1, 0);
SELECT fractribution_agg(path, 9223372036854775807, 0) FROM (VALUES ('{A}'::text[]), ('{A}')) v(path);
SELECT fractribution_agg('{A}', 1, 0, 1e308) + fractribution_agg('{A}', 1, 0, 1e308);
SELECT fractribution_agg(ARRAY(SELECT 'c' || g FROM generate_series(0, 65535) g), 1, 0);
SELECT cardinality(path_transform(ARRAY(SELECT 'c' || g FROM generate_series(0, 65535) g), 'first'));
SELECT '(v=2,channels=[],paths=[[] 1 0 0])'::fractribution_summary;
SELECT '(v=1,channels=["a"],paths=[])'::fractribution_summary;
SELECT '(v=1,channels=["a","b"],paths=[[0] 1 0 0])'::fractribution_summary;
SELECT '(v=1,channels=["a"],paths=[[1] 1 0 0])'::fractribution_summary;
SELECT '(v=1,channels=["a","a"],paths=[[0] 1 0 0])'::fractribution_summary;
SELECT '(v=1,channels=["a"],paths=[[0] -1 0 0])'::fractribution_summary;
SELECT '(v=1,channels=["a"],paths=[[0] 1 0 nan])'::fractribution_summary;
-- a path that is small stored (4,000,000 touches of one 1,000-byte name, 8 MB)
-- but would need 4 GB as a text[]: refused before it is built (it used to
-- allocate a copy of the name per touch, 4 GB and more, before the array
-- limit stopped it)
SELECT count(*) FROM unnest(('(v=1,channels=["' || repeat('x', 1000) || '"],paths=[['
	|| rtrim(repeat('0 ', 4000000)) || '] 1 0 0])')::fractribution_summary);
\set VERBOSITY default
-- clean up (install.sql drops the extension)
DROP VIEW gcredit;
DROP TABLE ps, hand, s, gen, gps, gs, both_s, both_copy, copied;
