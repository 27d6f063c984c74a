--
-- Funnels and retention: window_funnel(), funnel_agg(), funnel accessors,
-- rollup(funnel), retention().
--
-- Expected values are worked out by hand from ClickHouse's windowFunnel and
-- retention semantics (src/AggregateFunctions/AggregateFunctionWindowFunnel.cpp
-- and AggregateFunctionRetention.cpp), and checked against a plain-SQL
-- formulation of "a chain step 1 <= step 2 <= ... within the window of step
-- 1 exists" on generated data.
--

-- one customer's events: (case, time, event name)
CREATE TABLE ev (k int, ts timestamptz, e text);
INSERT INTO ev VALUES
	-- 1: A B C in order, within the hour -> 3
	(1, '2026-01-05 10:00+00', 'A'), (1, '2026-01-05 10:10+00', 'B'), (1, '2026-01-05 10:20+00', 'C'),
	-- 2: A C B: C comes before B and does not count -> 2
	(2, '2026-01-05 10:00+00', 'A'), (2, '2026-01-05 10:10+00', 'C'), (2, '2026-01-05 10:20+00', 'B'),
	-- 3: B exactly one hour after A: the window is inclusive -> 2
	(3, '2026-01-05 10:00+00', 'A'), (3, '2026-01-05 11:00+00', 'B'),
	-- 4: B one microsecond too late -> 1
	(4, '2026-01-05 10:00+00', 'A'), (4, '2026-01-05 11:00:00.000001+00', 'B'),
	-- 5: the window runs from step 1, not from the previous step -> 2
	(5, '2026-01-05 10:00+00', 'A'), (5, '2026-01-05 10:50+00', 'B'), (5, '2026-01-05 11:10+00', 'C'),
	-- 6: a later A restarts the chain -> 3
	(6, '2026-01-05 10:00+00', 'A'), (6, '2026-01-05 12:00+00', 'A'), (6, '2026-01-05 12:30+00', 'B'),
	(6, '2026-01-05 12:40+00', 'C'),
	-- 7: A B C B D (four steps): dedup stops at the repeated B -> 3, default -> 4
	(7, '2026-01-05 10:00+00', 'A'), (7, '2026-01-05 10:01+00', 'B'), (7, '2026-01-05 10:02+00', 'C'),
	(7, '2026-01-05 10:03+00', 'B'), (7, '2026-01-05 10:04+00', 'D'),
	-- 8: A B X C: X is no step; strict_order stops there -> 2, default -> 3
	(8, '2026-01-05 10:00+00', 'A'), (8, '2026-01-05 10:01+00', 'B'), (8, '2026-01-05 10:02+00', 'X'),
	(8, '2026-01-05 10:03+00', 'C'),
	-- 9: A C B: strict_order ends at the first gap -> 1; allow_reentry skips C -> 2
	(9, '2026-01-05 10:00+00', 'A'), (9, '2026-01-05 10:01+00', 'C'), (9, '2026-01-05 10:02+00', 'B'),
	-- 10: A and B at the same time: default -> 2, strict_increase -> 1
	(10, '2026-01-05 10:00+00', 'A'), (10, '2026-01-05 10:00+00', 'B'),
	-- 11: repeats: A A B B C -> 3
	(11, '2026-01-05 10:00+00', 'A'), (11, '2026-01-05 10:01+00', 'A'), (11, '2026-01-05 10:02+00', 'B'),
	(11, '2026-01-05 10:03+00', 'B'), (11, '2026-01-05 10:04+00', 'C'),
	-- 12: no A at all -> 0
	(12, '2026-01-05 10:00+00', 'B'), (12, '2026-01-05 10:01+00', 'C'),
	-- 13: one event fulfilling both A and B (written AB) -> 2
	(13, '2026-01-05 10:00+00', 'AB');

-- (agrees: the default levels of the cases above, and the levels given
-- for strict_order in 8 and 9, allow_reentry in 9, strict_increase in 10)
SELECT q.*,
	   (q.default_mode = (ARRAY[3, 2, 2, 1, 2, 3, NULL, 3, 2, 2, 3, 0, 2])[q.k]
		AND (q.k <> 8 OR q.strict_order = 2) AND (q.k <> 9 OR (q.strict_order = 1 AND q.reentry = 2))
		AND (q.k <> 10 OR q.strict_increase = 1)) IS TRUE AS agrees
FROM (SELECT k,
			 window_funnel('1 hour', ts, e IN ('A', 'AB'), e IN ('B', 'AB'), e = 'C') AS default_mode,
			 window_funnel('1 hour', 'strict_order', ts, e IN ('A', 'AB'), e IN ('B', 'AB'), e = 'C') AS strict_order,
			 window_funnel('1 hour', 'strict_order,allow_reentry', ts, e IN ('A', 'AB'), e IN ('B', 'AB'), e = 'C') AS reentry,
			 window_funnel('1 hour', 'strict_increase', ts, e IN ('A', 'AB'), e IN ('B', 'AB'), e = 'C') AS strict_increase
	  FROM ev WHERE k <> 7 GROUP BY k) q
ORDER BY q.k;
SELECT q.*, (q.default_mode = 4 AND q.dedup = 3) IS TRUE AS agrees
FROM (SELECT window_funnel('1 hour', ts, e = 'A', e = 'B', e = 'C', e = 'D') AS default_mode,
			 window_funnel('1 hour', 'strict_deduplication', ts, e = 'A', e = 'B', e = 'C', e = 'D') AS dedup
	  FROM ev WHERE k = 7) q;
-- one step: any occurrence reaches it
SELECT window_funnel('0 seconds', ts, e = 'C') FROM ev WHERE k = 1;
-- a zero window: only events at the same instant as step 1
SELECT window_funnel('0 seconds', ts, e IN ('A', 'AB'), e IN ('B', 'AB')) FROM ev WHERE k IN (10, 13) GROUP BY k ORDER BY k;
-- the steps as an array
SELECT window_funnel('1 hour', ts, VARIADIC ARRAY[e = 'A', e = 'B', e = 'C']) FROM ev WHERE k = 1;

--
-- funnel_agg and its accessors
--
SELECT k, f, deepest_step(f), steps(f), step_reached(f), step_times(f), time_to_convert(f)
FROM (SELECT k, funnel_agg('1 hour', ts, e IN ('A', 'AB'), e IN ('B', 'AB'), e = 'C') AS f
	  FROM ev WHERE k IN (1, 5, 6, 12) GROUP BY k) s ORDER BY k;
SELECT funnel_agg('1 hour', 'strict_order:strict_increase', ts, e = 'A', e = 'B') FROM ev WHERE k = 8;
SELECT funnel_agg('1 hour', 'strict_order,strict_increase', ts, e = 'A', e = 'B') FROM ev WHERE k = 8;

--
-- NULL rules
--
-- NULL times and NULL step arrays skip the row; NULL conditions are false
SELECT window_funnel('1 hour', ts, a, b)
FROM (VALUES (timestamptz '2026-01-05 10:00+00', true, NULL::boolean),
			 (NULL, true, true),
			 ('2026-01-05 10:10+00', NULL, true)) v(ts, a, b);
SELECT window_funnel('1 hour', ts, VARIADIC s)
FROM (VALUES (timestamptz '2026-01-05 10:00+00', ARRAY[true, false]), ('2026-01-05 10:10+00', NULL)) v(ts, s);
-- no rows: NULL; rows fulfilling no step: 0 (and an empty funnel)
SELECT window_funnel('1 hour', ts, e = 'A') IS NULL AS no_rows FROM ev WHERE false;
SELECT window_funnel('1 hour', ts, e = 'Z') AS no_step, funnel_agg('1 hour', ts, e = 'Z') AS empty_funnel,
	   deepest_step(funnel_agg('1 hour', ts, e = 'Z'))
FROM ev WHERE k = 1;

--
-- Errors
--
SELECT window_funnel('-1 hour', ts, e = 'A') FROM ev;
SELECT window_funnel(NULL, ts, e = 'A') FROM ev;
SELECT window_funnel('1 hour', 'strict', ts, e = 'A') FROM ev;
SELECT window_funnel('1 hour', 'allow_reentry', ts, e = 'A') FROM ev;
SELECT window_funnel('1 hour', ts, VARIADIC s)
FROM (VALUES (now(), ARRAY[true]), (now(), ARRAY[true, false])) v(ts, s);
SELECT window_funnel('1 hour', now(), VARIADIC array_fill(true, ARRAY[33]));
SELECT window_funnel('1 hour', now(), VARIADIC '{}'::boolean[]);
SELECT window_funnel('1 hour', now(), VARIADIC '{{true},{false}}'::boolean[]);
SELECT window_funnel(w, ts, e = 'A') FROM (SELECT ts, e, CASE WHEN e = 'A' THEN interval '1 hour' ELSE '2 hours' END AS w FROM ev WHERE k = 1) s;
SELECT window_funnel('1 hour', 'infinity', true);
SELECT rollup(f) FROM (SELECT funnel_agg('1 hour', now(), true) AS f
					   UNION ALL SELECT funnel_agg('2 hours', now(), true)) s;

--
-- Text input and output
--
SELECT '(v=1,window_usec=3600000000,mode=default,steps=3,events=[2026-01-05T10:00:00Z 1,2026-01-05T10:10:00.5Z 2])'::funnel;
SELECT '(v=1,window_usec=0,mode=strict_order:allow_reentry,steps=2,events=[])'::funnel;
SELECT f::text::funnel::text = f::text AS round_trip
FROM (SELECT funnel_agg('1 hour', 'strict_order,strict_deduplication', ts, e = 'A', e = 'B', e = 'C') AS f FROM ev) s;
SELECT '(v=2,window_usec=0,mode=default,steps=1,events=[])'::funnel;
SELECT '(v=1,window_usec=-1,mode=default,steps=1,events=[])'::funnel;
SELECT '(v=1,window_usec=0,mode=fast,steps=1,events=[])'::funnel;
SELECT '(v=1,window_usec=0,mode=allow_reentry,steps=1,events=[])'::funnel;
SELECT '(v=1,window_usec=0,mode=default,steps=33,events=[])'::funnel;
SELECT '(v=1,window_usec=0,mode=default,steps=2,events=[2026-01-05T10:00:00Z 3])'::funnel;
SELECT '(v=1,window_usec=0,mode=default,steps=2,events=[2026-01-05T10:00:00Z 0])'::funnel;
SELECT '(v=1,window_usec=0,mode=default,steps=2,events=[2026-01-05T10:00:00Z])'::funnel;
SELECT '(v=1,window_usec=0,mode=default,steps=2,events=[2026-01-05T10:00:00Z 1]'::funnel;

--
-- Agreement with the plain-SQL formulation on generated data
--
CREATE TABLE events AS
	SELECT u, timestamptz '2026-01-01 00:00+00' + (abs(hashint4(u * 100 + k)) % 900) * interval '1 minute' AS ts,
		   (ARRAY['view', 'cart', 'checkout', 'other'])[1 + abs(hashint4(u * 7 + k)) % 4] AS e
	FROM generate_series(1, 3000) u, generate_series(1, abs(hashint4(u)) % 12) k;
ANALYZE events;
WITH ours AS (
	SELECT u, window_funnel('2 hours', ts, e = 'view', e = 'cart', e = 'checkout') AS level
	FROM events GROUP BY u
), idiom AS (
	SELECT u,
		   CASE WHEN EXISTS (SELECT 1 FROM events a JOIN events b ON b.u = a.u AND b.e = 'cart'
								 AND b.ts BETWEEN a.ts AND a.ts + interval '2 hours'
							 JOIN events c ON c.u = a.u AND c.e = 'checkout'
								 AND c.ts BETWEEN b.ts AND a.ts + interval '2 hours'
							 WHERE a.u = g.u AND a.e = 'view') THEN 3
				WHEN EXISTS (SELECT 1 FROM events a JOIN events b ON b.u = a.u AND b.e = 'cart'
								 AND b.ts BETWEEN a.ts AND a.ts + interval '2 hours'
							 WHERE a.u = g.u AND a.e = 'view') THEN 2
				WHEN bool_or(e = 'view') THEN 1
				ELSE 0 END AS level
	FROM events g GROUP BY u
)
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE o.level IS DISTINCT FROM i.level) AS mismatch,
	   count(*) FILTER (WHERE o.level = 3) AS converted,
	   count(*) FILTER (WHERE o.level = 2) AS reached_cart,
	   count(*) FILTER (WHERE o.level IS NULL) AS null_results,
	   -- boundaries occur (times are whole minutes): a checkout exactly the
	   -- 2-hour window after a view, and a cart at the very time of a view
	   (SELECT count(*) FROM events a JOIN events c ON c.u = a.u AND c.ts = a.ts + interval '2 hours'
		WHERE a.e = 'view' AND c.e = 'checkout') AS at_window,
	   (SELECT count(*) FROM events a JOIN events b ON b.u = a.u AND b.ts = a.ts
		WHERE a.e = 'view' AND b.e = 'cart') AS ties
FROM ours o JOIN idiom i USING (u);

-- rollup of two halves (split by a hash) equals the direct funnel
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE m.f::text IS DISTINCT FROM d.f::text) AS text_mismatch,
	   count(*) FILTER (WHERE deepest_step(m.f) IS DISTINCT FROM d.level) AS level_mismatch
FROM (SELECT u, rollup(f) AS f FROM (
		SELECT u, funnel_agg('2 hours', ts, e = 'view', e = 'cart', e = 'checkout') AS f
		FROM events GROUP BY u, abs(hashtext(e || ts::text)) % 2) h GROUP BY u) m
JOIN (SELECT u, funnel_agg('2 hours', ts, e = 'view', e = 'cart', e = 'checkout') AS f,
			 window_funnel('2 hours', ts, e = 'view', e = 'cart', e = 'checkout') AS level
	  FROM events GROUP BY u) d USING (u);

-- binary send/receive through COPY
CREATE TABLE funnels AS
	SELECT u, funnel_agg('2 hours', ts, e = 'view', e = 'cart', e = 'checkout') AS f FROM events GROUP BY u;
\copy funnels TO 'results/funnels.bin' WITH (FORMAT binary)
CREATE TABLE funnels_copy (LIKE funnels);
\copy funnels_copy FROM 'results/funnels.bin' WITH (FORMAT binary)
SELECT count(*) AS copied, count(*) FILTER (WHERE c.f::text IS DISTINCT FROM o.f::text) AS mismatch
FROM funnels o JOIN funnels_copy c USING (u);
DROP TABLE funnels, funnels_copy;

-- parallel partial aggregation
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT funnel_agg('10 minutes', ts, e = 'view', e = 'cart', e = 'checkout') FROM events;
-- (both sides run in parallel: the window is also checked against its value)
SELECT funnel_agg('10 minutes', ts, e = 'view', e = 'cart', e = 'checkout')::text
	 = (SELECT rollup(f)::text FROM (SELECT u, funnel_agg('10 minutes', ts, e = 'view', e = 'cart', e = 'checkout') AS f
									 FROM events GROUP BY u) x) AS parallel_matches,
	   funnel_agg('10 minutes', ts, e = 'view', e = 'cart', e = 'checkout')::text
		 LIKE '(v=1,window_usec=600000000,%' AS parallel_window,
	   step_times(funnel_agg('10 minutes', ts, e = 'view', e = 'cart', e = 'checkout')) AS first_chain
FROM events;
RESET ALL;

--
-- retention
--
-- [c1, c1 AND c2, c1 AND c3]: later flags need the first condition somewhere
SELECT u, retention(d = 0, d = 1, d = 7)
FROM (VALUES (1, 0), (1, 1), (1, 7), (2, 0), (2, 7), (3, 1), (3, 7), (4, 0)) v(u, d)
GROUP BY u ORDER BY u;
SELECT retention(c) FROM (VALUES (true), (NULL), (false)) v(c);
SELECT retention(VARIADIC c) IS NULL AS null_rows FROM (VALUES (NULL::boolean[])) v(c);
SELECT retention(a, b) FROM (VALUES (NULL::boolean, true)) v(a, b);
SELECT retention(c) IS NULL AS no_rows FROM (VALUES (true)) v(c) WHERE false;
SELECT retention(VARIADIC c) FROM (VALUES (ARRAY[true]), (ARRAY[true, false])) v(c);
SELECT retention(VARIADIC array_fill(true, ARRAY[33]));
-- cohort retention agrees with bool_or
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE r IS DISTINCT FROM ARRAY[d0, d0 AND d1, d0 AND d2]) AS mismatch
FROM (SELECT u, retention(ts::date = date '2026-01-01', ts::date = date '2026-01-02', ts::date = date '2026-01-03') AS r,
			 bool_or(ts::date = date '2026-01-01') AS d0,
			 bool_or(ts::date = date '2026-01-02') AS d1,
			 bool_or(ts::date = date '2026-01-03') AS d2
	  FROM events GROUP BY u) s;

DROP TABLE events;

-- robustness (issue 16)
-- retention's state is a plain bigint, so its support functions check it as
-- user input: 22023 with the reason, never a crash or a 33-element result.
SELECT retention_final((64::bigint << 32) | 1);
SELECT retention_final(9223372036854775807);
SELECT retention_final((33::bigint << 32) | 1);
SELECT retention_final(-1);
SELECT retention_final((2::bigint << 32) | 4);
SELECT retention_trans((2::bigint << 32) | 8, ARRAY[true, false]);
SELECT retention_trans(-9223372036854775808, NULL::boolean[]);
SELECT retention_trans(-9223372036854775808, NULL::boolean);
SELECT retention_combine((1::bigint << 32) | 1, (40::bigint << 32));
SELECT retention_combine((2::bigint << 32), (3::bigint << 32) | 5);
-- valid states: 32 conditions at most; 0 is the empty state (identity; final NULL)
SELECT retention_final((32::bigint << 32) | 4294967295) = array_fill(true, ARRAY[32]) AS all_32,
	   retention_final((3::bigint << 32) | 5) AS c1_c3,
	   retention_final(0) IS NULL AS empty_is_null,
	   retention_combine(0, (3::bigint << 32) | 5) = (3::bigint << 32) | 5 AS empty_identity,
	   retention_trans(0, ARRAY[true, false]) = (2::bigint << 32) | 1 AS empty_trans;
-- the same checks through a user aggregate with another transition function
CREATE AGGREGATE evil(bigint) (SFUNC = int8larger, STYPE = bigint, FINALFUNC = retention_final);
SELECT evil(x) FROM (VALUES (1::bigint), ((64::bigint << 32) | 1)) v(x);
SELECT evil(x) FROM (VALUES (-1::bigint)) v(x);
SELECT evil(x) FROM (VALUES (1::bigint), ((3::bigint << 32) | 5)) v(x);
DROP AGGREGATE evil(bigint);
-- funnel_agg builds values of at most 30 million events (their text form
-- stays under 1 GB); input takes up to the 50 million that version 1.1 could
-- store, so its values restore, and refuses more (54000) before allocating:
-- a binary value claiming 50,000,001 (0x02faf081) events
CREATE TABLE fb (b bytea);
INSERT INTO fb VALUES (decode('0100' || '0000000000000000' || '01' || '02faf081', 'hex'));
\copy fb TO 'results/funnel_limit.bin' WITH (FORMAT binary)
CREATE TABLE ff (f funnel);
\copy ff FROM 'results/funnel_limit.bin' WITH (FORMAT binary)
-- the same construction with a count that matches its one event is accepted
TRUNCATE fb;
INSERT INTO fb VALUES (decode('0100' || '0000000000000000' || '01' || '00000001' || '0000000000000000' || '01', 'hex'));
\copy fb TO 'results/funnel_limit.bin' WITH (FORMAT binary)
\copy ff FROM 'results/funnel_limit.bin' WITH (FORMAT binary)
SELECT f FROM ff;
DROP TABLE fb, ff;
-- the text form is lossless: send(x) = send(in(out(x))), with fractional
-- seconds, every mode, step 0, extreme years and a funnel without events
SELECT count(*) AS funnels,
	   count(*) FILTER (WHERE funnel_send(f) IS DISTINCT FROM funnel_send(f::text::funnel)) AS mismatch
FROM (SELECT funnel_agg('1 hour', 'strict_order:strict_deduplication:strict_increase:allow_reentry',
						ts, e = 'a', e = 'b') AS f
	  FROM (VALUES ('0001-01-01 00:00:00.000001+00'::timestamptz, 'a'), ('2026-01-05 10:00:00.5+00', 'b'),
				   ('2026-01-05 10:00:00.5+00', 'x'), ('9999-12-31 23:59:59.999999+00', 'a')) v(ts, e)
	  UNION ALL
	  SELECT funnel_agg('0 seconds', ts, false) FROM (VALUES (now())) v(ts)
	  UNION ALL
	  SELECT funnel_agg('106751991 days 4 hours', ts, g % 3 = 0, g % 3 = 1, g % 3 = 2)
	  FROM generate_series(1, 1000) g, LATERAL (SELECT '2026-01-01 00:00+00'::timestamptz + g * interval '1.000001 s' AS ts) t) s;
-- + merges two funnels (1.2, issue 17): the same funnel as funnel_agg over
-- the rows of both (the second step happens only in the second part), NULL
-- when a side is NULL, and the errors of rollup() for other parameters
CREATE TABLE plus_ev AS
	SELECT g, timestamptz '2026-01-01 00:00+00' + g * interval '10 minutes' AS ts,
		   (ARRAY['view', 'cart', 'checkout'])[1 + g % 3] AS e
	FROM generate_series(0, 8) g;
WITH a AS (SELECT funnel_agg('1 hour', ts, e = 'view', e = 'cart', e = 'checkout') AS f FROM plus_ev WHERE g < 1),
	 b AS (SELECT funnel_agg('1 hour', ts, e = 'view', e = 'cart', e = 'checkout') AS f FROM plus_ev WHERE g >= 1),
	 whole AS (SELECT funnel_agg('1 hour', ts, e = 'view', e = 'cart', e = 'checkout') AS f FROM plus_ev)
SELECT deepest_step(a.f) AS a_alone, deepest_step(a.f + b.f) AS merged, deepest_step(whole.f) AS whole,
	   (a.f + b.f)::text = whole.f::text AS equals_whole, (b.f + a.f)::text = whole.f::text AS commutes,
	   (a.f + NULL::funnel) IS NULL AS null_right
FROM a, b, whole;
SELECT (SELECT funnel_agg('1 hour', ts, e = 'view', e = 'cart') FROM plus_ev)
	 + (SELECT funnel_agg('1 hour', ts, e = 'view', e = 'cart', e = 'checkout') FROM plus_ev);
DROP TABLE plus_ev;

--
-- Conditions as arguments (1.2, issue 20): retention with 1 to 32 conditions
-- and funnels with 1 to 8 steps take them as separate arguments (no array
-- per row); the VARIADIC forms stay for 9 to 32 steps and VARIADIC ARRAY[...]
--
-- a call resolves to the non-variadic form where there is one
CREATE VIEW resolved AS
SELECT retention(true, false) AS r2, retention(VARIADIC ARRAY[true, false]) AS r2_array,
	   window_funnel('1 hour', now(), true, false) AS w2,
	   funnel_agg('1 hour', 'strict_order', now(), true, false, true, true, true, true, true, true) AS f8,
	   window_funnel('1 hour', now(), true, false, true, true, true, true, true, true, true) AS w9;
SELECT p.oid::regprocedure AS aggregate, p.provariadic <> 0 AS variadic
FROM pg_depend d JOIN pg_proc p ON p.oid = d.refobjid
WHERE d.classid = 'pg_rewrite'::regclass AND p.prokind = 'a'
  AND d.objid = (SELECT oid FROM pg_rewrite WHERE ev_class = 'resolved'::regclass)
ORDER BY 1::text;
DROP VIEW resolved;
-- retention: every arity agrees with the VARIADIC form, and with the bool_or
-- idiom ([c1, c1 AND c2, ...], a condition NULL in every row counts false),
-- on rows of 32 random conditions with NULLs
CREATE TABLE rc AS
	SELECT u, array_agg(CASE abs(hashint4(u * 64 + i)) % 7 WHEN 0 THEN NULL
						ELSE abs(hashint4(u * 64 + i + 1000000)) % (2 + i % 3) = 0 END ORDER BY i) AS c
	FROM generate_series(1, 200) u, generate_series(1, 32) i, generate_series(1, 1 + u % 5) r
	GROUP BY u, r;
SELECT string_agg(format(
	'SELECT %1$s AS n, count(*) AS groups, count(*) FILTER (WHERE f IS DISTINCT FROM v OR f IS DISTINCT FROM i) AS mismatch,
			count(*) FILTER (WHERE f[%1$s]) AS last_true
	 FROM (SELECT u, retention(%2$s) AS f, retention(VARIADIC c[1:%1$s]) AS v,
				  (SELECT array_agg(coalesce(b1, false) AND (k = 1 OR coalesce(bk, false)) ORDER BY k)
				   FROM generate_series(1, %1$s) k,
						LATERAL (SELECT bool_or(x.c[1]) AS b1, bool_or(x.c[k]) AS bk FROM rc x WHERE x.u = rc.u) o) AS i
		   FROM rc GROUP BY u) s',
	n, (SELECT string_agg(format('c[%s]', k), ', ' ORDER BY k) FROM generate_series(1, n) k)),
	E'\nUNION ALL\n' ORDER BY n) || E'\nORDER BY n' AS by_arity
FROM generate_series(1, 32) n \gset
:by_arity;
DROP TABLE rc;
-- funnels: every arity, without and with each mode, agrees with the VARIADIC form (the level and
-- the stored funnel), on groups of up to 40 events given out of time order
-- (a state keeps 12 events inline, then an array that doubles)
CREATE TABLE fe AS
	SELECT u, timestamptz '2026-01-01 00:00+00' + (abs(hashint4(u * 100 + k)) % 300) * interval '1 minute' AS ts,
		   1 + abs(hashint4(u * 7 + k)) % 9 AS s
	FROM generate_series(1, 300) u, generate_series(1, 1 + abs(hashint4(u)) % 40) k;
SELECT string_agg(format(
	'SELECT %1$s AS steps, %3$L AS mode, count(*) AS groups, max(n) AS max_events,
			count(*) FILTER (WHERE f IS DISTINCT FROM v) AS level_mismatch,
			count(*) FILTER (WHERE a::text IS DISTINCT FROM b::text) AS funnel_mismatch,
			count(*) FILTER (WHERE f = %1$s) AS completed
	 FROM (SELECT u, count(*) AS n,
				  window_funnel(''90 minutes'', %4$s ts, %2$s) AS f,
				  window_funnel(''90 minutes'', %4$s ts, VARIADIC ARRAY[%2$s]) AS v,
				  funnel_agg(''90 minutes'', %4$s ts, %2$s) AS a,
				  funnel_agg(''90 minutes'', %4$s ts, VARIADIC ARRAY[%2$s]) AS b
		   FROM fe GROUP BY u) s',
	n, (SELECT string_agg(format('s = %s', k), ', ' ORDER BY k) FROM generate_series(1, n) k),
	coalesce(m, '(none)'), CASE WHEN m IS NULL THEN '' ELSE quote_literal(m) || ',' END),
	E'\nUNION ALL\n' ORDER BY n, m) || E'\nORDER BY steps, mode' AS by_arity
FROM generate_series(1, 8) n,
	 unnest(ARRAY[NULL, 'strict_increase', 'strict_order', 'strict_deduplication', 'strict_order,allow_reentry']) m \gset
:by_arity;
-- without a mode, against the plain-SQL chain formulation (as above) on
-- these larger groups: 3 steps, a 90-minute window
WITH ours AS (
	SELECT u, window_funnel('90 minutes', ts, s = 1, s = 2, s = 3) AS level FROM fe GROUP BY u
), idiom AS (
	SELECT u,
		   CASE WHEN EXISTS (SELECT 1 FROM fe a JOIN fe b ON b.u = a.u AND b.s = 2
								 AND b.ts BETWEEN a.ts AND a.ts + interval '90 minutes'
							 JOIN fe c ON c.u = a.u AND c.s = 3
								 AND c.ts BETWEEN b.ts AND a.ts + interval '90 minutes'
							 WHERE a.u = g.u AND a.s = 1) THEN 3
				WHEN EXISTS (SELECT 1 FROM fe a JOIN fe b ON b.u = a.u AND b.s = 2
								 AND b.ts BETWEEN a.ts AND a.ts + interval '90 minutes'
							 WHERE a.u = g.u AND a.s = 1) THEN 2
				WHEN bool_or(s = 1) THEN 1
				ELSE 0 END AS level
	FROM fe g GROUP BY u
)
SELECT count(*) AS customers, count(*) FILTER (WHERE o.level IS DISTINCT FROM i.level) AS mismatch,
	   count(*) FILTER (WHERE o.level = 3) AS converted, count(*) FILTER (WHERE o.level = 2) AS reached_2,
	   count(*) FILTER (WHERE o.level = 1) AS reached_1,
	   (SELECT max(n) FROM (SELECT count(*) AS n FROM fe GROUP BY u) c) AS max_events
FROM ours o JOIN idiom i USING (u);
-- the same rows in time order, reversed, and shuffled: the same funnels
SELECT count(DISTINCT f) AS distinct_funnels
FROM (SELECT funnel_agg('90 minutes', ts, s = 1, s = 2, s = 3)::text AS f FROM (SELECT * FROM fe WHERE u = 7 ORDER BY ts, s) o
	  UNION ALL SELECT funnel_agg('90 minutes', ts, s = 1, s = 2, s = 3)::text FROM (SELECT * FROM fe WHERE u = 7 ORDER BY ts DESC, s DESC) r
	  UNION ALL SELECT funnel_agg('90 minutes', ts, s = 1, s = 2, s = 3)::text FROM (SELECT * FROM fe WHERE u = 7 ORDER BY hashint4(s * 1000 + extract(minute FROM ts)::int)) h) x;
-- NULL rules of the argument forms: a NULL condition is false, a NULL time
-- skips the row; a row of NULL conditions still counts (level 0, not NULL)
SELECT retention(a, b) AS r, window_funnel('1 hour', t, a, b) AS w,
	   window_funnel('1 hour', 'strict_order', t, a, b) AS w_strict
FROM (VALUES (NULL::boolean, true, timestamptz '2026-01-01 00:00+00'),
			 (true, NULL, NULL)) v(a, b, t);
SELECT retention(a, b) IS NULL AS no_rows, window_funnel('1 hour', now(), a, b) IS NULL AS no_rows_funnel
FROM (VALUES (true, true)) v(a, b) WHERE false;
-- errors of the argument forms: a NULL window, a negative window, an unknown
-- mode, and a state built with another condition count
SELECT window_funnel(NULL, now(), true, false);
SELECT window_funnel('-1 second', now(), true, false);
SELECT window_funnel('1 hour', 'strict', now(), true, false);
SELECT retention_trans((3::bigint << 32) | 1, true, false);
DROP TABLE fe;

--
-- Funnels over event names (1.2, issue 20): window_funnel(window, [mode,] ts,
-- event, steps text[]) reaches step i on a row whose event equals steps[i];
-- the same as the conditions event = steps[1], event = steps[2], ...
--
-- the hand-worked cases above, every mode: names and conditions agree
SELECT m AS mode, count(*) AS cases,
	   count(*) FILTER (WHERE names IS DISTINCT FROM conds) AS mismatch,
	   string_agg(names::text, ',' ORDER BY k) AS levels
FROM (SELECT m, k,
			 CASE WHEN m = '' THEN window_funnel('1 hour', ts, e, ARRAY['A', 'B', 'C'])
				  ELSE window_funnel('1 hour', m, ts, e, ARRAY['A', 'B', 'C']) END AS names,
			 CASE WHEN m = '' THEN window_funnel('1 hour', ts, e = 'A', e = 'B', e = 'C')
				  ELSE window_funnel('1 hour', m, ts, e = 'A', e = 'B', e = 'C') END AS conds
	  FROM ev, unnest(ARRAY['', 'strict_order', 'strict_deduplication', 'strict_increase',
							'strict_order,allow_reentry', 'strict_once']) m
	  GROUP BY m, k) s
GROUP BY m ORDER BY m;
-- generated data (groups of up to 40 events, out of order): levels and
-- stored funnels equal to the conditions form, with and without modes
CREATE TABLE fe2 AS
	SELECT u, timestamptz '2026-01-01 00:00+00' + (abs(hashint4(u * 100 + k)) % 300) * interval '1 minute' AS ts,
		   CASE WHEN abs(hashint4(u * 3 + k)) % 10 = 0 THEN NULL
				ELSE 'step ' || (1 + abs(hashint4(u * 7 + k)) % 5) END AS e
	FROM generate_series(1, 300) u, generate_series(1, 1 + abs(hashint4(u)) % 40) k;
SELECT m AS mode, count(*) AS groups,
	   count(*) FILTER (WHERE l1 IS DISTINCT FROM l2) AS level_mismatch,
	   count(*) FILTER (WHERE f1::text IS DISTINCT FROM f2::text) AS funnel_mismatch,
	   count(*) FILTER (WHERE l1 = 3) AS completed
FROM (SELECT m, u,
			 window_funnel('90 minutes', m, ts, e, ARRAY['step 1', 'step 2', 'step 3']) AS l1,
			 window_funnel('90 minutes', m, ts, e = 'step 1', e = 'step 2', e = 'step 3') AS l2,
			 funnel_agg('90 minutes', m, ts, e, ARRAY['step 1', 'step 2', 'step 3']) AS f1,
			 funnel_agg('90 minutes', m, ts, e = 'step 1', e = 'step 2', e = 'step 3') AS f2
	  FROM fe2, unnest(ARRAY['strict_order', 'strict_deduplication', 'strict_increase', 'strict_once']) m
	  GROUP BY m, u) s
GROUP BY m ORDER BY m;
SELECT count(*) AS groups, count(*) FILTER (WHERE l1 IS DISTINCT FROM l2) AS mismatch,
	   count(*) FILTER (WHERE f1::text IS DISTINCT FROM f2::text) AS funnel_mismatch
FROM (SELECT u, window_funnel('90 minutes', ts, e, ARRAY['step 1', 'step 2', 'step 3', 'step 4']) AS l1,
			 window_funnel('90 minutes', ts, e = 'step 1', e = 'step 2', e = 'step 3', e = 'step 4') AS l2,
			 funnel_agg('90 minutes', ts, e, ARRAY['step 1', 'step 2', 'step 3', 'step 4']) AS f1,
			 funnel_agg('90 minutes', ts, e = 'step 1', e = 'step 2', e = 'step 3', e = 'step 4') AS f2
	  FROM fe2 GROUP BY u) s;
-- an array that changes from row to row is read on each change: the same as
-- the conditions on that row's array (event = arr[1], event = arr[2])
SELECT count(*) AS groups, count(*) FILTER (WHERE l1 IS DISTINCT FROM l2) AS mismatch
FROM (SELECT u, window_funnel('90 minutes', ts, e, arr) AS l1,
			 window_funnel('90 minutes', ts, e = arr[1], e = arr[2]) AS l2
	  FROM (SELECT *, CASE WHEN extract(minute FROM ts)::int % 2 = 0 THEN ARRAY['step 1', 'step 2']
						   ELSE ARRAY['step 2', 'step 1'] END AS arr FROM fe2) x
	  GROUP BY u) s;
DROP TABLE fe2;
-- a name twice reaches both steps (as two equal conditions); NULL names
-- match nothing; a NULL event reaches no step (under strict_order it is a
-- row of no step, which ends the funnel); a NULL array skips the row
SELECT window_funnel('1 hour', ts, e, ARRAY['A', 'A']) AS twice,
	   window_funnel('1 hour', ts, e, ARRAY['A', NULL, 'B']) AS null_name,
	   window_funnel('1 hour', 'strict_order', ts, e, ARRAY['A', 'B']) AS strict_null_event,
	   window_funnel('1 hour', ts, e, CASE WHEN e = 'B' THEN NULL ELSE ARRAY['A', 'B'] END) AS null_array
FROM (VALUES (timestamptz '2026-01-05 10:00+00', 'A'), ('2026-01-05 10:01+00', NULL),
			 ('2026-01-05 10:02+00', 'B')) v(ts, e);
SELECT window_funnel('1 hour', ts, e, ARRAY['A']) IS NULL AS no_rows
FROM (VALUES (timestamptz '2026-01-05 10:00+00', 'A')) v(ts, e) WHERE false;
-- (a nondeterministic collation: sql/funnel_icu.sql, which needs ICU)
-- errors: no names, more than 32, a two-dimensional array, a NULL window
SELECT window_funnel('1 hour', now(), 'A', '{}'::text[]);
SELECT window_funnel('1 hour', now(), 'A', array_fill('A'::text, ARRAY[33]));
SELECT window_funnel('1 hour', now(), 'A', ARRAY[['A', 'B'], ['C', 'D']]);
SELECT window_funnel(NULL, now(), 'A', ARRAY['A']);
DROP TABLE ev;
