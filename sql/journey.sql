--
-- Multichannel journeys and sessions: session_number(), journey_agg(),
-- journey accessors, sessions(), channel_transitions(), rollup(journey).
--
-- Expected values come from docs/formulas.md §2 (the inactivity-gap rule
-- and its worked example) and from the plain-SQL LAG + running-sum idiom
-- over the same rows.
--

CREATE TABLE ex (customer int, ts timestamptz, channel text, event text);
-- docs/formulas.md §2.3: 10:00 web | 10:20 web | 10:55 web | 11:00 email |
-- 23:50 web | 00:05 web (next day); inactivity-only rule, 30 minutes:
-- sessions {10:00,10:20} {10:55,11:00} {23:50,00:05}
INSERT INTO ex VALUES
	(1, '2026-01-05 10:00+00', 'web', 'view'),
	(1, '2026-01-05 10:20+00', 'web', 'click'),
	(1, '2026-01-05 10:55+00', 'web', NULL),
	(1, '2026-01-05 11:00+00', 'email', 'click'),
	(1, '2026-01-05 23:50+00', 'web', 'view'),
	(1, '2026-01-06 00:05+00', 'app', 'open');

SELECT ts, channel, session_number(ts, '30 minutes') OVER (ORDER BY ts),
	   (session_number(ts, '30 minutes') OVER (ORDER BY ts) = 1 + (row_number() OVER (ORDER BY ts) - 1) / 2) IS TRUE AS agrees
FROM ex ORDER BY ts;
SELECT session_count(journey_agg(ts, channel), '30 minutes'),
	   (session_count(journey_agg(ts, channel), '30 minutes') = 3) IS TRUE AS agrees
FROM ex;
SELECT * FROM sessions((SELECT journey_agg(ts, channel, event) FROM ex), '30 minutes');
-- a channel change also splits when asked to
SELECT session, started, ended, touches, channels
FROM sessions((SELECT journey_agg(ts, channel) FROM ex), '30 minutes', true);

-- the gap is inclusive: exactly 30 minutes continues, one microsecond more splits
SELECT ts, session_number(ts, '30 minutes') OVER (ORDER BY ts),
	   (session_number(ts, '30 minutes') OVER (ORDER BY ts) = CASE WHEN ts < '2026-01-01 01:00+00' THEN 1 ELSE 2 END) IS TRUE AS agrees
FROM (VALUES (timestamptz '2026-01-01 00:00+00'),
			 ('2026-01-01 00:30+00'),
			 ('2026-01-01 01:00:00.000001+00')) v(ts);

-- Bob's visit (Google Analytics help, docs/formulas.md §2.3): 14:01, 14:04, then a
-- 31-minute lunch break: the hit after lunch starts a new session
SELECT ts, session_number(ts, '30 minutes') OVER (ORDER BY ts),
	   (session_number(ts, '30 minutes') OVER (ORDER BY ts) = CASE WHEN ts < '2026-08-14 14:30+00' THEN 1 ELSE 2 END) IS TRUE AS agrees
FROM (VALUES (timestamptz '2026-08-14 14:01+00'), ('2026-08-14 14:04+00'),
			 ('2026-08-14 14:35+00')) v(ts);

-- maximum session length: a touch every 10 minutes for two hours, sessions
-- of at most one hour (a touch exactly one hour after the start stays in)
SELECT ts, session_number(ts, '30 minutes', '1 hour') OVER (ORDER BY ts)
FROM generate_series(timestamptz '2026-01-01 08:00+00', '2026-01-01 10:00+00', '10 minutes') ts;

-- ties: equal times are one session; a journey sorts them by channel, then
-- event, whatever the input order
SELECT journey_agg(ts, channel, event ORDER BY channel DESC) AS canonical
FROM (VALUES (timestamptz '2026-01-01 09:00+00', 'web', 'b'),
			 ('2026-01-01 09:00+00', 'app', NULL),
			 ('2026-01-01 09:00+00', 'web', 'a'),
			 ('2026-01-01 09:00+00', 'app', 'z')) v(ts, channel, event);
SELECT (SELECT journey_agg(ts, channel, event ORDER BY channel DESC, event)::text
		FROM (VALUES (timestamptz '2026-01-01 09:00+00', 'web', 'b'), ('2026-01-01 09:00+00', 'app', NULL),
					 ('2026-01-01 09:00+00', 'web', 'a'), ('2026-01-01 09:00+00', 'app', 'z')) v(ts, channel, event))
	 = (SELECT journey_agg(ts, channel, event ORDER BY event NULLS LAST, channel)::text
		FROM (VALUES (timestamptz '2026-01-01 09:00+00', 'web', 'b'), ('2026-01-01 09:00+00', 'app', NULL),
					 ('2026-01-01 09:00+00', 'web', 'a'), ('2026-01-01 09:00+00', 'app', 'z')) v(ts, channel, event))
	   AS input_order_does_not_matter;

--
-- Accessors
--
SELECT touches(j), first_touch(j), last_touch(j), first_touch_at(j), last_touch_at(j),
	   channel_path(j), channel_path(j, false) AS full_path, channel_switches(j)
FROM (SELECT journey_agg(ts, channel, event) AS j FROM ex) s;
SELECT * FROM channel_transitions((SELECT journey_agg(ts, channel) FROM ex));

-- one touch
SELECT touches(j), channel_path(j), channel_switches(j), session_count(j, '1 minute')
FROM (SELECT journey_agg(timestamptz '2026-01-01 00:00+00', 'store') AS j) s;
SELECT * FROM sessions((SELECT journey_agg(timestamptz '2026-01-01 00:00+00', 'store')), '1 minute');
SELECT count(*) AS transitions FROM channel_transitions((SELECT journey_agg(timestamptz '2026-01-01 00:00+00', 'store')));

--
-- NULL rules
--
-- NULL times are skipped (and get a NULL session number); NULL channels are
-- skipped; a NULL event leaves the touch without an event
SELECT journey_agg(ts, channel, event)
FROM (VALUES (timestamptz '2026-01-01 09:00+00', 'web', NULL),
			 (NULL, 'web', 'x'),
			 ('2026-01-01 09:05+00', NULL, 'y'),
			 ('2026-01-01 09:10+00', 'app', 'z')) v(ts, channel, event);
SELECT journey_agg(ts, channel) IS NULL AS all_skipped
FROM (VALUES (NULL::timestamptz, 'web'), ('2026-01-01 00:00+00', NULL)) v(ts, channel);
SELECT journey_agg(ts, channel) IS NULL AS no_rows FROM ex WHERE false;
SELECT ts, session_number(ts, '1 hour') OVER (ORDER BY ts NULLS FIRST)
FROM (VALUES (timestamptz '2026-01-01 09:00+00'), (NULL), ('2026-01-01 11:00+00')) v(ts);
SELECT rollup(j) IS NULL AS rollup_of_nulls FROM (VALUES (NULL::journey)) v(j);

--
-- Errors
--
SELECT session_number(ts, '0 minutes') OVER (ORDER BY ts) FROM ex;
SELECT session_number(ts, '-5 minutes') OVER (ORDER BY ts) FROM ex;
SELECT session_number(ts, NULL) OVER (ORDER BY ts) FROM ex;
SELECT session_number(ts, '30 minutes', '0 seconds') OVER (ORDER BY ts) FROM ex;
SELECT session_number(ts, '30 minutes') OVER (ORDER BY ts DESC) FROM ex;
SELECT session_count(journey_agg(ts, channel), '-1 second') FROM ex;
SELECT * FROM sessions((SELECT journey_agg(ts, channel) FROM ex), '0 minutes');
SELECT journey_agg(ts, 'web') FROM (VALUES (timestamptz 'infinity')) v(ts);
SELECT journey_agg(ts, 'web') FROM (VALUES (timestamptz '10000-01-01')) v(ts);
SELECT journey_agg(timestamptz '2026-01-01 00:00+00', repeat('x', 1001));
-- months count as 30 days in a gap
SELECT session_count(journey_agg(ts, 'web'), '1 mon')
FROM (VALUES (timestamptz '2026-01-01 00:00+00'), ('2026-01-31 00:00+00'), ('2026-03-02 00:00:01+00')) v(ts);

--
-- Text input and output
--
SELECT '(v=1,touches=[2026-01-05T10:00:00Z web view,2026-01-05T10:04:00.5Z email])'::journey;
SELECT ' ( v = 1 , touches = [ 2026-01-05T10:00:00Z  web  view , 2026-01-05T10:04:00.000250Z email ] ) '::journey;
-- quoting: names outside [A-Za-z0-9_.:@+/-] are double-quoted
SELECT journey_agg(ts, channel, event)
FROM (VALUES (timestamptz '2026-01-05 10:00+00', 'call centre', 'say "hi"'),
			 ('2026-01-05 10:01+00', '', 'a,b'),
			 ('2026-01-05 10:02+00', 'café', 'x')) v(ts, channel, event);
SELECT j::text::journey::text = j::text AS round_trip
FROM (SELECT journey_agg(ts, channel, event) AS j
	  FROM (VALUES (timestamptz '2026-01-05 10:00+00', 'call centre', 'say "hi"'),
				   ('2026-01-05 10:01+00', '', 'a,b'),
				   ('2026-01-05 10:02:03.123456+00', 'café', 'x'),
				   ('0001-01-01 00:00+00', 'first', NULL),
				   ('9999-12-31 23:59:59.999999+00', 'last', NULL)) v(ts, channel, event)) s;
-- the session time zone does not change the text form
SET timezone = 'America/New_York';
SELECT '(v=1,touches=[2026-01-05T10:00:00Z web])'::journey, first_touch_at('(v=1,touches=[2026-01-05T10:00:00Z web])');
RESET timezone;
-- malformed text
SELECT ''::journey;
SELECT '(v=1,touches=[])'::journey;
SELECT '(v=2,touches=[2026-01-05T10:00:00Z web])'::journey;
SELECT '(v=1,touches=[2026-01-05 10:00:00Z web])'::journey;
SELECT '(v=1,touches=[2026-01-05T10:00:00 web])'::journey;
SELECT '(v=1,touches=[2026-02-30T10:00:00Z web])'::journey;
SELECT '(v=1,touches=[2026-01-05T24:00:00Z web])'::journey;
SELECT '(v=1,touches=[2026-01-05T10:00:00.1234567Z web])'::journey;
SELECT '(v=1,touches=[0000-01-05T10:00:00Z web])'::journey;
SELECT '(v=1,touches=[2026-01-05T10:00:00Z])'::journey;
SELECT '(v=1,touches=[2026-01-05T10:00:00Z "web])'::journey;
SELECT '(v=1,touches=[2026-01-05T10:00:00Z web view extra])'::journey;
SELECT '(v=1,touches=[2026-01-05T10:00:00Z web],x)'::journey;
SELECT '(v=1,touches=[2026-01-05T10:00:00Z web]) junk'::journey;

--
-- Agreement with the plain-SQL idiom on generated data
--
-- (every fourth customer's touches are on whole minutes, so gaps of exactly
-- the 30-minute threshold and equal times occur)
CREATE TABLE touches AS
	SELECT c AS customer,
		   timestamptz '2026-01-01 00:00+00'
			 + (k * 7919 % 1440 + (abs(hashint4(c * 1000 + k)) % 3000) * (k % 3)) * interval '1 minute'
			 + (abs(hashint4(c * 31 + k)) % 60) * (c % 4 <> 0)::int * interval '1 second' AS ts,
		   (ARRAY['web', 'app', 'email', 'store', 'call_centre', 'social'])
			 [1 + abs(hashint4(c + k * 17)) % 6] AS channel,
		   (ARRAY['view', 'click', 'open', 'purchase', NULL])
			 [1 + abs(hashint4(c * 7 + k)) % 5] AS event
	FROM generate_series(1, 2000) c,
		 generate_series(1, 1 + abs(hashint4(c)) % 40) k;
CREATE INDEX ON touches (customer, ts);
ANALYZE touches;
SELECT count(*) AS touches, count(DISTINCT customer) AS customers FROM touches;

-- session_number() = LAG + running sum (ties: equal times never split)
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE ours IS DISTINCT FROM idiom) AS mismatches,
	   count(*) FILTER (WHERE ours IS NULL) AS null_results,
	   max(ours) AS most_sessions,
	   count(*) FILTER (WHERE gap = interval '30 minutes') AS gaps_at_threshold,
	   count(*) FILTER (WHERE gap = interval '0') AS ties
FROM (SELECT session_number(ts, '30 minutes') OVER (PARTITION BY customer ORDER BY ts) AS ours,
			 sum(new) OVER (PARTITION BY customer ORDER BY ts
							ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS idiom,
			 gap
	  FROM (SELECT customer, ts, gap,
				   CASE WHEN gap <= interval '30 minutes' THEN 0 ELSE 1 END AS new
			FROM (SELECT customer, ts, ts - lag(ts) OVER (PARTITION BY customer ORDER BY ts) AS gap
				  FROM touches) g) t) s;

-- sessions() = the session table built by the idiom
CREATE TABLE journeys AS
	SELECT customer, journey_agg(ts, channel, event) AS j FROM touches GROUP BY customer;
-- (both windows must order ties the same way, or tied touches can land in
-- the previous session: the idiom's classic trap)
WITH numbered AS (
	SELECT customer, ts, channel, event,
		   sum(new) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS session
	FROM (SELECT customer, ts, channel, event,
				 CASE WHEN ts - lag(ts) OVER w <= interval '30 minutes' THEN 0 ELSE 1 END AS new
		  FROM touches
		  WINDOW w AS (PARTITION BY customer ORDER BY ts, channel, event NULLS FIRST)) t
	WINDOW w AS (PARTITION BY customer ORDER BY ts, channel, event NULLS FIRST)
), collapsed AS (
	SELECT customer, session, ts, channel, event,
		   channel IS DISTINCT FROM lag(channel) OVER (PARTITION BY customer, session
													   ORDER BY ts, channel, event NULLS FIRST) AS keep
	FROM numbered
), idiom AS (
	SELECT customer, session::int AS session, min(ts) AS started, max(ts) AS ended,
		   count(*)::int AS touches,
		   array_agg(channel ORDER BY ts, channel, event NULLS FIRST) FILTER (WHERE keep) AS channels,
		   (array_agg(channel ORDER BY ts, channel, event NULLS FIRST))[1] AS entry_channel,
		   (array_agg(channel ORDER BY ts DESC, channel DESC, event DESC NULLS LAST))[1] AS exit_channel
	FROM collapsed GROUP BY customer, session
), ours AS (
	SELECT customer, s.* FROM journeys, sessions(j, '30 minutes') s
)
SELECT (SELECT count(*) FROM idiom) AS idiom_sessions,
	   (SELECT count(*) FROM ours) AS our_sessions,
	   (SELECT count(*) FROM (SELECT * FROM idiom EXCEPT SELECT * FROM ours) d) AS only_idiom,
	   (SELECT count(*) FROM (SELECT * FROM ours EXCEPT SELECT * FROM idiom) d) AS only_ours,
	   (SELECT count(*) FROM ours o WHERE NOT (o IS NOT NULL)) AS our_rows_with_null;

-- session_count(), channel_switches(), channel_path() and touches() per customer
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE session_count(j, '30 minutes') IS DISTINCT FROM i.sessions) AS session_count_mismatch,
	   count(*) FILTER (WHERE channel_switches(j) IS DISTINCT FROM i.switches) AS switch_mismatch,
	   count(*) FILTER (WHERE touches(j) IS DISTINCT FROM i.n) AS touch_mismatch,
	   count(*) FILTER (WHERE channel_path(j, false) IS DISTINCT FROM i.path) AS path_mismatch,
	   count(*) FILTER (WHERE first_touch(j) IS DISTINCT FROM i.path[1]
						   OR last_touch(j) IS DISTINCT FROM i.path[cardinality(i.path)]) AS first_last_mismatch,
	   count(*) FILTER (WHERE session_count(j, '30 minutes') IS NULL OR channel_switches(j) IS NULL
						   OR touches(j) IS NULL OR channel_path(j, false) IS NULL) AS null_results
FROM journeys
JOIN (SELECT customer,
			 count(*) FILTER (WHERE new) AS sessions,
			 count(*) FILTER (WHERE switched) AS switches,
			 count(*) AS n,
			 array_agg(channel ORDER BY ts, channel, event NULLS FIRST) AS path
	  FROM (SELECT customer, ts, channel, event,
				   ts - lag(ts) OVER w > interval '30 minutes' OR lag(ts) OVER w IS NULL AS new,
				   channel <> lag(channel) OVER w AS switched
			FROM touches
			WINDOW w AS (PARTITION BY customer ORDER BY ts, channel, event NULLS FIRST)) t
	  GROUP BY customer) i USING (customer);

-- channel_transitions() = counted pairs of consecutive touches (both ways;
-- EXCEPT counts NULL as equal to NULL, so rows with a NULL are counted apart)
WITH ours AS (
	SELECT from_channel, to_channel, sum(n) AS n FROM journeys, channel_transitions(j) GROUP BY 1, 2
), idiom AS (
	SELECT prev, channel, count(*) AS n FROM (
		SELECT channel, lag(channel) OVER (PARTITION BY customer ORDER BY ts, channel, event NULLS FIRST) AS prev
		FROM touches) t
	WHERE prev IS NOT NULL GROUP BY 1, 2
)
SELECT (SELECT count(*) FROM ours) AS pairs,
	   (SELECT count(*) FROM (SELECT * FROM ours EXCEPT SELECT * FROM idiom) d) AS transition_mismatch,
	   (SELECT count(*) FROM (SELECT * FROM idiom EXCEPT SELECT * FROM ours) d) AS transition_missing,
	   (SELECT count(*) FROM ours o WHERE NOT (o IS NOT NULL)) AS rows_with_null,
	   (SELECT sum(n) FROM journeys, channel_transitions(j))
	 = (SELECT count(*) - count(DISTINCT customer) FROM touches) AS all_pairs_counted;

-- merging two halves of each journey (split by a hash, not by time) gives the whole
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE m.j::text IS DISTINCT FROM w.j::text) AS merge_mismatch
FROM (SELECT customer, rollup(j) AS j
	  FROM (SELECT customer, journey_agg(ts, channel, event) AS j
			FROM touches GROUP BY customer, abs(hashtext(channel || ts::text)) % 2) h
	  GROUP BY customer) m
JOIN journeys w USING (customer);

-- time deltas are stored in seconds, milliseconds or microseconds, the
-- coarsest unit every touch fits; all read back exactly
SELECT unit, touches(j), pg_column_size(j) AS bytes, j::text::journey::text = j::text AS round_trip,
	   last_touch_at(j) - first_touch_at(j) AS span
FROM (SELECT 'seconds' AS unit, journey_agg(ts, 'web') AS j
	  FROM generate_series(timestamptz '2026-01-01 00:00+00', '2026-01-01 01:00+00', '90 seconds') ts
	  UNION ALL
	  SELECT 'milliseconds', journey_agg(ts, 'web')
	  FROM generate_series(timestamptz '2026-01-01 00:00+00', '2026-01-01 01:00+00', '90.5 seconds') ts
	  UNION ALL
	  SELECT 'microseconds', journey_agg(ts, 'web')
	  FROM generate_series(timestamptz '2026-01-01 00:00+00', '2026-01-01 01:00+00', '90.000001 seconds') ts) s;

-- storage: bytes per touch on this data
SELECT sum(pg_column_size(j))::float8 / sum(touches(j)) < 8 AS under_8_bytes_per_touch
FROM journeys;

--
-- Parallel and partial aggregation (internal state: serialise/deserialise)
--
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SET enable_indexscan = off;
SET enable_indexonlyscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT customer % 10, journey_agg(ts, channel, event) FROM touches GROUP BY 1;
SELECT count(*) AS groups, count(*) FILTER (WHERE p.j::text IS DISTINCT FROM s.j::text) AS parallel_mismatch
FROM (SELECT customer % 10 AS g, journey_agg(ts, channel, event) AS j FROM touches GROUP BY 1) p
JOIN (SELECT customer % 10 AS g, rollup(j) AS j FROM journeys GROUP BY 1) s USING (g);
EXPLAIN (COSTS OFF) SELECT rollup(j) FROM journeys;
SELECT touches(rollup(j)) = (SELECT count(*) FROM touches) AS parallel_rollup_complete FROM journeys;
RESET ALL;

--
-- Binary and text COPY
--
\copy journeys TO 'results/journeys.bin' WITH (FORMAT binary)
CREATE TABLE journeys_copy (LIKE journeys);
\copy journeys_copy FROM 'results/journeys.bin' WITH (FORMAT binary)
SELECT count(*) AS copied, count(*) FILTER (WHERE c.j::text IS DISTINCT FROM o.j::text) AS mismatch
FROM journeys o JOIN journeys_copy c USING (customer);
TRUNCATE journeys_copy;
\copy journeys TO 'results/journeys.txt'
\copy journeys_copy FROM 'results/journeys.txt'
SELECT count(*) AS copied, count(*) FILTER (WHERE c.j::text IS DISTINCT FROM o.j::text) AS mismatch
FROM journeys o JOIN journeys_copy c USING (customer);

DROP TABLE ex, touches, journeys, journeys_copy;

-- robustness (issue 16)
SET timezone = 'UTC';
-- The timeouts below prove that work is linear; assertion-enabled builds (the
-- Valgrind run) are many times slower, so they run those queries untimed and
-- give a cancelled loop more time before the cancel.
SELECT CASE WHEN current_setting('debug_assertions')::boolean THEN '0' ELSE '2s' END
	AS linear_timeout,
	   CASE WHEN current_setting('debug_assertions')::boolean THEN '10s' ELSE '200ms' END
	AS cancel_timeout \gset

-- Names are interned through a hash table, looked up once per name when
-- journeys are merged: 20,000 distinct channel and event names build, read
-- back from text and roll up well within the timeout (a linear scan per
-- touch took about 6 s).  Independent check: count(DISTINCT) in plain SQL.
SET statement_timeout = :'linear_timeout';
CREATE TEMP TABLE many AS
	SELECT journey_agg(timestamptz '2026-01-01 00:00+00' + i * interval '1 second', 'c' || i, 'e' || i) AS j
	FROM generate_series(1, 20000) i;
SELECT touches(j), (SELECT count(DISTINCT c) FROM unnest(channel_path(j)) c) AS distinct_channels,
	   first_touch(j), last_touch(j)
FROM many;
SELECT touches(j::text::journey) AS from_text,
	   journey_send(j::text::journey) = journey_send(j) AS same_bytes
FROM many;
SELECT touches(r), journey_send(r) = (SELECT journey_send(j) FROM many) AS rollup_equals_whole
FROM (SELECT rollup(j) AS r
	  FROM (SELECT journey_agg(timestamptz '2026-01-01 00:00+00' + i * interval '1 second', 'c' || i, 'e' || i) AS j
			FROM generate_series(1, 20000) i GROUP BY i % 3) parts) s;
RESET statement_timeout;

-- sessions() keeps no memory per session once its row is stored: 50,000
-- one-touch sessions of a 1000-byte channel name (about 5 KB per session
-- used to be kept until the end, 250 MB and 4 s here).  Expected by hand: every
-- touch is its own session with a gap of 0.5 s, one session with 2 s.
SET statement_timeout = :'linear_timeout';
CREATE TEMP TABLE longname AS
	SELECT journey_agg(timestamptz '2026-01-01 00:00+00' + i * interval '1 second', repeat('x', 1000)) AS j
	FROM generate_series(1, 50000) i;
SELECT count(*) AS sessions, sum(touches) AS touches,
	   count(*) FILTER (WHERE entry_channel IS DISTINCT FROM repeat('x', 1000)
						OR channels IS DISTINCT FROM ARRAY[repeat('x', 1000)]) AS mismatch
FROM longname, sessions(j, '0.5 second');
SELECT count(*) AS sessions, sum(touches) AS touches FROM longname, sessions(j, '2 seconds');
RESET statement_timeout;

-- The output function checks for interrupts while it writes: a loop writing
-- the 306 MB text form of six rolled-up long journeys is cancelled within a
-- second of the timeout (each call used to run to its end, about 2 s here,
-- before the cancel was seen).  journey_out() is called directly: a cast to
-- text and length() would add PostgreSQL's own uninterruptible passes over
-- the text; assertion-enabled builds (Valgrind) get ten seconds.
SET statement_timeout = :'cancel_timeout';
DO $$
DECLARE
	t0 timestamptz := clock_timestamp();
	margin interval := CASE WHEN current_setting('debug_assertions')::boolean
						THEN interval '10 seconds' ELSE interval '1 second' END;
BEGIN
	LOOP
		PERFORM journey_out(rollup(j)) FROM longname, generate_series(1, 6);
	END LOOP;
EXCEPTION WHEN query_canceled THEN
	RAISE NOTICE 'cancelled within the margin after the timeout: %',
		clock_timestamp() - t0 < current_setting('statement_timeout')::interval + margin;
END
$$;
RESET statement_timeout;

-- channel_transitions() counts sorted pairs instead of a channels x channels
-- matrix: 20,000 channels (3.2 GB before, XX000 from 12,000 channels).
-- Expected by hand: 19,999 transitions, each once.
SELECT count(*) AS pairs, sum(n) AS transitions, max(n)
FROM many, channel_transitions(j);
-- against the plain-SQL idiom (lag over the touches in journey order) on
-- random data: NULL-safe full comparison
CREATE TEMP TABLE rt AS
	SELECT timestamptz '2026-01-01 00:00+00' + i * interval '1 minute' AS ts,
		   'ch' || (abs(hashint4(i)) % 40) AS channel
	FROM generate_series(1, 5000) i;
SELECT (SELECT count(*) FROM rt) AS touches,
	   count(*) FILTER (WHERE a.n IS DISTINCT FROM b.n) AS mismatch, count(*) AS pairs
FROM (SELECT t.* FROM (SELECT journey_agg(ts, channel) AS j FROM rt) s, channel_transitions(j) t) a
FULL JOIN (SELECT prev AS from_channel, channel AS to_channel, count(*) AS n
		   FROM (SELECT channel, lag(channel) OVER (ORDER BY ts) AS prev FROM rt) l
		   WHERE prev IS NOT NULL GROUP BY 1, 2) b USING (from_channel, to_channel);

-- A journey whose text form would exceed half of what a text value holds
-- (536,869,887 bytes: COPY may double every byte of a quoted name) is refused
-- when built, so every journey can be shown, copied and dumped.  By hand: a
-- touch here is 20 + 1 + 2002 + 1 + 2002 bytes and a comma after the 16 bytes
-- around them, so touch 133,318 crosses the limit:
-- 16 + 133,318 * 4026 + 133,317 = 536,871,601 bytes.
SELECT touches(journey_agg(timestamptz '2026-01-01 00:00+00' + i * interval '1 second',
						   repeat('"', 1000), repeat('"', 1000)))
FROM generate_series(1, 135000) i;
SELECT touches(rollup(j))
FROM (SELECT journey_agg(timestamptz '2026-01-01 00:00+00' + i * interval '1 second',
						 repeat('"', 1000), repeat('"', 1000)) AS j
	  FROM generate_series(1, 70000) i) h, generate_series(1, 2);

-- session_number() at the ends of the timestamp range.  By hand: 4713 BC to
-- 100000 is within the gap and the length, 294276 is 298,989 years after
-- the session's start (290,000 at most): 1, 1, 2.
SELECT ts, session_number(ts, '200000 years', '290000 years') OVER (ORDER BY ts)
FROM (VALUES (timestamptz '4713-01-01 BC'), ('100000-01-01'), ('294276-01-01')) v(ts);
-- infinite timestamps are infinitely far from every other timestamp and at
-- no distance from themselves: by hand 1, 1, 2, 2, 3, 3 (and the last finite
-- timestamp is not within 30 days of infinity)
SELECT ts, session_number(ts, '1 hour') OVER w AS s, session_number(ts, '1 hour', '1 hour') OVER w AS s_max
FROM (VALUES (timestamptz '-infinity'), ('-infinity'), ('2026-01-01 00:00+00'), ('2026-01-01 00:10+00'),
			 ('infinity'), ('infinity')) v(ts)
WINDOW w AS (ORDER BY ts);
SELECT ts, session_number(ts, '30 days') OVER (ORDER BY ts)
FROM (VALUES (timestamptz '294276-12-31'), ('infinity')) v(ts);
-- huge, negative and mixed-sign intervals
SELECT session_number(ts, '300000 years') OVER (ORDER BY ts) FROM (VALUES (now())) v(ts);
SELECT session_number(ts, '1 hour', '300000 years') OVER (ORDER BY ts) FROM (VALUES (now())) v(ts);
SELECT session_number(ts, '-1 hour') OVER (ORDER BY ts) FROM (VALUES (now())) v(ts);
SELECT session_number(ts, '1 hour', '1 month -30 days') OVER (ORDER BY ts) FROM (VALUES (now())) v(ts);
SELECT session_count(j, '300000 years') FROM many;
SELECT session_count(j, '-1 microsecond') FROM many;
SELECT * FROM sessions((SELECT j FROM many), '1 month -31 days');
-- the largest gap in range: everything is one session
SELECT session_count(j, '292000 years') FROM many;

-- The text form is lossless: send(x) = send(in(out(x))) for names that need
-- quoting, empty names, quotes, non-ASCII, the first and last representable
-- microseconds and every fraction length.
WITH t(ts, ch, ev) AS (
	VALUES (timestamptz '0001-01-01 00:00:00+00', '', NULL),
		   ('0001-01-01 00:00:00.000001+00', ' ', '"'),
		   ('2026-01-01 00:00:00.1+00', 'a b', 'x""y'),
		   ('2026-01-01 00:00:00.12+00', 'é', 'ü,]'),
		   ('2026-01-01 00:00:00.123456+00', e'tab\t', e'new\nline'),
		   ('9999-12-31 23:59:59.999999+00', '-', '+'))
SELECT count(*) AS journeys,
	   count(*) FILTER (WHERE journey_send(j) IS DISTINCT FROM journey_send(j::text::journey)) AS mismatch
FROM (SELECT journey_agg(ts, ch, ev) AS j FROM t GROUP BY ts
	  UNION ALL
	  SELECT journey_agg(ts, ch, ev) FROM t) s;

DROP TABLE many, longname, rt;
-- + merges two journeys (1.2, issue 17): the journey journey_agg builds over
-- the touches of both parts, NULL when a side is NULL
CREATE TABLE plus_touches AS
	SELECT g, timestamptz '2026-01-01 00:00+00' + (g * 37 % 50) * interval '1 hour' AS ts,
		   (ARRAY['web', 'email', 'app'])[1 + g % 3] AS channel,
		   CASE WHEN g % 4 = 0 THEN NULL ELSE 'e' || g % 5 END AS event
	FROM generate_series(1, 40) g;
WITH a AS (SELECT journey_agg(ts, channel, event) AS j FROM plus_touches WHERE g <= 15),
	 b AS (SELECT journey_agg(ts, channel, event) AS j FROM plus_touches WHERE g > 15),
	 whole AS (SELECT journey_agg(ts, channel, event) AS j FROM plus_touches)
SELECT touches(a.j + b.j) AS touches, (a.j + b.j) = whole.j AS equals_whole,
	   (b.j + a.j) = whole.j AS commutes, (a.j + NULL::journey) IS NULL AS null_right
FROM a, b, whole;
DROP TABLE plus_touches;
--
-- Sessions as Google Analytics counts them (1.2, issue 22 item 4)
--
-- midnight splits across daylight-saving changes, by hand.  A gap of 2 days
-- so that only midnight splits.  New York, 2026-11-01 (EDT -04 -> EST -05 at
-- 02:00 local): local midnight of Nov 1 is 04:00Z, of Nov 2 05:00Z (a 25-hour
-- day).  03:50Z = Oct 31 23:50 | 04:10Z = Nov 1 00:10 (new) |
-- Nov 2 04:30Z = Nov 1 23:30 EST (same day; a fixed -04 offset would say
-- Nov 2 00:30) | Nov 2 05:10Z = Nov 2 00:10 (new): sessions 1, 2, 2, 3.
-- New York, 2026-03-08 (EST -> EDT): midnight of Mar 8 is 05:00Z, of Mar 9
-- 04:00Z (a 23-hour day).  Mar 8 04:50Z = Mar 7 23:50 | 05:10Z = Mar 8 00:10
-- (new) | Mar 9 03:30Z = Mar 8 23:30 EDT (same day) | Mar 9 04:10Z = Mar 9
-- 00:10 EDT (new; a fixed -05 offset would say Mar 8 23:10): 1, 2, 2, 3.
-- Berlin, 2026-03-29 (CET +01 -> CEST +02): midnight of Mar 29 is Mar 28
-- 23:00Z, of Mar 30 Mar 29 22:00Z.  Mar 28 22:50Z = 23:50 | 23:10Z = Mar 29
-- 00:10 (new) | Mar 29 21:30Z = 23:30 CEST (same day) | 22:10Z = Mar 30 00:10
-- (new): 1, 2, 2, 3.  Berlin, 2026-10-25 (CEST -> CET): midnight of Oct 25 is
-- Oct 24 22:00Z, of Oct 26 Oct 25 23:00Z.  Oct 24 21:50Z = 23:50 | 22:10Z =
-- Oct 25 00:10 (new) | Oct 25 22:30Z = 23:30 CET (same day; +02 would say
-- Oct 26 00:30) | 23:10Z = Oct 26 00:10 (new): 1, 2, 2, 3.
CREATE TABLE dst (k text, zone text, ts timestamptz, expected bigint);
INSERT INTO dst VALUES
	('ny-fall', 'America/New_York', '2026-11-01 03:50+00', 1),
	('ny-fall', 'America/New_York', '2026-11-01 04:10+00', 2),
	('ny-fall', 'America/New_York', '2026-11-02 04:30+00', 2),
	('ny-fall', 'America/New_York', '2026-11-02 05:10+00', 3),
	('ny-spring', 'America/New_York', '2026-03-08 04:50+00', 1),
	('ny-spring', 'America/New_York', '2026-03-08 05:10+00', 2),
	('ny-spring', 'America/New_York', '2026-03-09 03:30+00', 2),
	('ny-spring', 'America/New_York', '2026-03-09 04:10+00', 3),
	('berlin-spring', 'Europe/Berlin', '2026-03-28 22:50+00', 1),
	('berlin-spring', 'Europe/Berlin', '2026-03-28 23:10+00', 2),
	('berlin-spring', 'Europe/Berlin', '2026-03-29 21:30+00', 2),
	('berlin-spring', 'Europe/Berlin', '2026-03-29 22:10+00', 3),
	('berlin-fall', 'Europe/Berlin', '2026-10-24 21:50+00', 1),
	('berlin-fall', 'Europe/Berlin', '2026-10-24 22:10+00', 2),
	('berlin-fall', 'Europe/Berlin', '2026-10-25 22:30+00', 2),
	('berlin-fall', 'Europe/Berlin', '2026-10-25 23:10+00', 3);
SELECT k, ts, expected,
	   session_number(ts, '2 days', NULL, zone) OVER w AS by_zone,
	   session_number(ts, '2 days', NULL, NULL) OVER w AS no_zone,
	   session_number(ts, '2 days', NULL, 'UTC') OVER w AS utc,
	   session_number(ts, '2 days', NULL, zone) OVER w = expected AS agrees
FROM dst WINDOW w AS (PARTITION BY k ORDER BY ts) ORDER BY k, ts;
-- the same from the journeys (one per case), and PostgreSQL's own local
-- date (ts AT TIME ZONE zone)::date counted in plain SQL
SELECT k, session_count(journey_agg(ts, 'web'), '2 days', false, min(zone)) AS sessions,
	   count(DISTINCT (ts AT TIME ZONE zone)::date) AS local_dates,
	   session_count(journey_agg(ts, 'web'), '2 days', false) AS no_zone,
	   session_count(journey_agg(ts, 'web'), '2 days', false, 'Asia/Kolkata') AS kolkata
FROM dst GROUP BY k ORDER BY k;
-- the session's TimeZone plays no part (a zone with a 30-minute DST shift)
SET timezone = 'Australia/Lord_Howe';
SELECT k, session_count(journey_agg(ts, 'web'), '2 days', false, min(zone)) AS sessions,
	   string_agg(w::text, ',' ORDER BY ts) AS numbers,
	   string_agg(w::text, ',' ORDER BY ts) = '1,2,2,3' AS agrees
FROM (SELECT k, zone, ts, session_number(ts, '2 days', NULL, zone) OVER (PARTITION BY k ORDER BY ts) AS w
	  FROM dst) x
GROUP BY k ORDER BY k;
RESET timezone;
SELECT s.session, s.started, s.ended, s.touches, s.engaged
FROM (SELECT journey_agg(ts, 'web') AS j FROM dst WHERE k = 'berlin-fall') d,
	 sessions(j, '2 days', false, 'Europe/Berlin') s;
-- the gap and the maximum length still split; a constant, NULL or per-row zone
SELECT ts, session_number(ts, '30 minutes', '10 minutes', 'Europe/Berlin') OVER w AS capped,
	   session_number(ts, '30 minutes', NULL, 'Europe/Berlin') OVER w AS gap_and_midnight,
	   session_number(ts, '30 minutes', NULL, zone) OVER w AS per_row_zone
FROM (VALUES (timestamptz '2026-10-24 21:40+00', 'Europe/Berlin'), ('2026-10-24 21:55+00', 'Europe/Berlin'),
			 ('2026-10-24 22:05+00', 'Europe/Berlin'), ('2026-10-24 22:20+00', 'UTC'),
			 ('2026-10-24 23:30+00', 'UTC')) v(ts, zone)
WINDOW w AS (ORDER BY ts) ORDER BY ts;
-- a POSIX time zone specification, as PostgreSQL's timezone() takes it:
-- 'UTC+3' is 3 hours behind UTC, so 02:30Z is 23:30 of the day before and
-- 03:30Z the next day (by hand: 1, 2); 'UTC' itself splits neither
SELECT ts, session_number(ts, '1 day', NULL, 'UTC+3') OVER (ORDER BY ts) AS utc_plus_3,
	   session_number(ts, '1 day', NULL, 'UTC') OVER (ORDER BY ts) AS utc
FROM (VALUES (timestamptz '2026-01-02 02:30+00'), ('2026-01-02 03:30+00')) v(ts) ORDER BY ts;
-- NULL times get NULL and do not affect the other rows
SELECT ts, session_number(ts, '1 day', NULL, 'UTC') OVER (ORDER BY ts) AS s
FROM (VALUES (timestamptz '2026-01-01 23:00+00'), (NULL), ('2026-01-02 01:00+00')) v(ts) ORDER BY ts;
-- infinite times are days of their own
SELECT ts, session_number(ts, '1000 years', NULL, 'Europe/Berlin') OVER (ORDER BY ts) AS s
FROM (VALUES (timestamptz '-infinity'), ('-infinity'), ('2026-01-01 10:00+00'), ('2026-01-01 11:00+00'),
			 ('infinity')) v(ts) ORDER BY ts;
-- an unknown time zone is 22023 as in timezone(); so is a bad limit
SELECT session_number(ts, '1 hour', NULL, 'Mars/Olympus_Mons') OVER (ORDER BY ts) FROM dst;
SELECT session_count(journey_agg(ts, 'web'), '1 hour', false, 'Mars/Olympus_Mons') FROM dst;
SELECT session_number(ts, '1 hour', '0 seconds', 'UTC') OVER (ORDER BY ts) FROM dst;
SELECT session_number(ts, NULL, NULL, 'UTC') OVER (ORDER BY ts) FROM dst;
SELECT session_number(ts, '1 hour', NULL::interval) OVER (ORDER BY ts) FROM dst;
-- one row, no rows
SELECT session_number(ts, '1 hour', NULL, 'Europe/Berlin') OVER (ORDER BY ts) FROM dst WHERE ts = '2026-10-24 21:50+00';
SELECT session_number(ts, '1 hour', NULL, 'Europe/Berlin') OVER (ORDER BY ts) FROM dst WHERE false;
DROP TABLE dst;
-- a source column (campaign): a change starts a session, NULL to NULL is no
-- change (IS DISTINCT FROM).  By hand: a a | NULL NULL | b | a a, all within
-- 30 minutes: sessions 1 1 2 2 3 4 4; with the gap too, the 12:00 touch
-- starts session 5
SELECT ts, campaign, session_number(ts, '30 minutes', NULL, NULL, campaign) OVER w AS s,
	   session_number(ts, '30 minutes', NULL, NULL, campaign) OVER w = expected AS agrees
FROM (VALUES (timestamptz '2026-05-01 10:00+00', 'a', 1), ('2026-05-01 10:05+00', 'a', 1),
			 ('2026-05-01 10:10+00', NULL, 2), ('2026-05-01 10:15+00', NULL, 2),
			 ('2026-05-01 10:20+00', 'b', 3), ('2026-05-01 10:25+00', 'a', 4),
			 ('2026-05-01 10:30+00', 'a', 4), ('2026-05-01 12:00+00', 'a', 5)) v(ts, campaign, expected)
WINDOW w AS (ORDER BY ts) ORDER BY ts;
-- any type with an equality operator: the type's equality, not the bytes
-- (numeric 1.0 = 1.00); a type without one is an error
SELECT ts, session_number(ts, '1 hour', NULL, NULL, x) OVER (ORDER BY ts) AS s
FROM (VALUES (timestamptz '2026-05-01 10:00+00', 1.0), ('2026-05-01 10:01+00', 1.00),
			 ('2026-05-01 10:02+00', 2)) v(ts, x) ORDER BY ts;
-- a row of columns (source, medium) compares field by field
SELECT ts, session_number(ts, '1 hour', NULL, NULL, (src, medium)) OVER (ORDER BY ts) AS s
FROM (VALUES (timestamptz '2026-05-01 10:00+00', 'google', 'cpc'), ('2026-05-01 10:01+00', 'google', 'cpc'),
			 ('2026-05-01 10:02+00', 'google', 'organic'), ('2026-05-01 10:03+00', 'google', 'organic')) v(ts, src, medium)
ORDER BY ts;
SELECT session_number(ts, '1 hour', NULL, NULL, point(1, 2)) OVER (ORDER BY ts)
FROM (VALUES (timestamptz '2026-05-01 10:00+00')) v(ts);
-- engaged sessions and bounce rate (GA4): engaged when at least 10 seconds
-- long, or 2 touches, or a conversion.  By hand, one journey, gap 30 minutes:
-- {10:00:00} bounce | {11:00:00, 11:00:05} engaged (2 touches) |
-- {12:00:00 purchase} engaged only as a conversion | {13:00:00} bounce:
-- 2 of 4 engaged, bounce rate 0.5; without conversions 1 of 4, 0.75; with
-- min_touches 3 and min_duration 5 s: {11:00:00, 11:00:05} lasted 5 s:
-- still engaged; with 6 s not: 0 of 4 without conversions
CREATE TABLE eng AS SELECT journey_agg(ts, ch, ev) AS j
FROM (VALUES (timestamptz '2026-05-01 10:00:00+00', 'web', 'view'),
			 ('2026-05-01 11:00:00+00', 'web', 'view'), ('2026-05-01 11:00:05+00', 'web', 'view'),
			 ('2026-05-01 12:00:00+00', 'app', 'purchase'),
			 ('2026-05-01 13:00:00+00', 'email', NULL)) v(ts, ch, ev);
SELECT s.session, s.started, s.touches, s.engaged
FROM eng, sessions(j, '30 minutes', false, NULL, conversion_events => ARRAY['purchase']) s;
SELECT engaged_session_count(j, '30 minutes', conversion_events => ARRAY['purchase', 'signup', NULL]) AS engaged,
	   bounce_rate(j, '30 minutes', conversion_events => ARRAY['purchase']) AS bounce,
	   engaged_session_count(j, '30 minutes') AS engaged_no_conv,
	   bounce_rate(j, '30 minutes') AS bounce_no_conv,
	   engaged_session_count(j, '30 minutes', min_touches => 3, min_duration => '5 seconds') AS five_s,
	   engaged_session_count(j, '30 minutes', min_touches => 3, min_duration => '6 seconds') AS six_s,
	   bounce_rate(j, '30 minutes', min_touches => 3, min_duration => '6 seconds') AS bounce_six_s,
	   engaged_session_count(j, '30 minutes', conversion_events => '{}') AS empty_conv
FROM eng;
-- NULLs: the journey, gap, split, thresholds give NULL; a NULL time zone or
-- NULL conversion events mean none
SELECT engaged_session_count(NULL, '30 minutes') AS null_journey,
	   engaged_session_count(j, NULL) AS null_gap,
	   bounce_rate(j, '30 minutes', NULL) AS null_split,
	   bounce_rate(j, '30 minutes', min_touches => NULL) AS null_min_touches,
	   engaged_session_count(j, '30 minutes', min_duration => NULL) AS null_min_duration,
	   session_count(j, '30 minutes', false, NULL) AS null_zone,
	   session_count(j, NULL, false) AS null_gap_count,
	   (SELECT count(*) FROM sessions(NULL::journey, '30 minutes', false, NULL)) AS no_rows,
	   (SELECT count(*) FROM sessions(j, '30 minutes', NULL, NULL)) AS null_split_rows
FROM eng;
-- one touch: one session, not engaged by default (bounce rate 1); engaged as
-- a conversion or with min_touches 1
SELECT engaged_session_count(j, '1 hour') AS engaged, bounce_rate(j, '1 hour') AS bounce,
	   engaged_session_count(j, '1 hour', conversion_events => ARRAY['view']) AS as_conversion,
	   bounce_rate(j, '1 hour', min_touches => 1) AS bounce_min_1,
	   session_count(j, '1 hour', true, 'Europe/Berlin') AS sessions
FROM (SELECT journey_agg(timestamptz '2026-05-01 10:00+00', 'web', 'view') AS j) o;
-- errors
SELECT engaged_session_count(j, '30 minutes', min_touches => 0) FROM eng;
SELECT bounce_rate(j, '30 minutes', min_duration => '-1 second') FROM eng;
SELECT bounce_rate(j, '0 minutes') FROM eng;
SELECT engaged_session_count(j, '30 minutes', conversion_events => ARRAY[ARRAY['a'], ARRAY['b']]) FROM eng;
SELECT bounce_rate(j, '30 minutes', time_zone => 'Nowhere/Land') FROM eng;
DROP TABLE eng;
-- against the plain-SQL idiom on generated data: LAG-based sessionization
-- (a new session after a gap over 30 minutes, at a change of local date in
-- New York, at a channel change) and GROUP BY per session; engaged when
-- max - min >= 10 s, 2 touches or a purchase.  Ties in time are ordered by
-- channel and event, as a journey orders its touches.
-- Touches come in bursts of 6 within 25 minutes, bursts 7 hours apart and
-- shifted per user, over the New York change of 2026-11-01, so that bursts
-- straddle local midnights; channels change now and then, purchases are rare.
CREATE TABLE gen AS
	SELECT u, timestamptz '2026-10-31 20:00+00' + (g / 6) * interval '7 hours'
			  + ((u * 137) % 7200 + (g * 7919 + u * 104729) % 1500) * interval '1 second' AS ts,
		   (ARRAY['web', 'app', 'email'])[1 + ((g * 31 + u) % 10 = 0)::int + ((g * 17 + u) % 13 = 0)::int] AS ch,
		   CASE WHEN (g * 13 + u * 5) % 17 = 0 THEN 'purchase' ELSE 'view' END AS ev
	FROM generate_series(1, 40) u, generate_series(0, 59) g;
-- how many touches start a session only through the midnight rule
SELECT count(*) AS midnight_only_splits
FROM (SELECT ts, lag(ts) OVER w AS prev, ch, lag(ch) OVER w AS prev_ch
	  FROM gen WINDOW w AS (PARTITION BY u ORDER BY ts, ch, ev)) x
WHERE ts - prev <= interval '30 minutes' AND ch = prev_ch
  AND (ts AT TIME ZONE 'America/New_York')::date <> (prev AT TIME ZONE 'America/New_York')::date;
CREATE TABLE plain AS
WITH o AS (
	SELECT u, ts, ch, ev,
		   CASE WHEN lag(ts) OVER w IS NULL OR ts - lag(ts) OVER w > interval '30 minutes'
					 OR (ts AT TIME ZONE 'America/New_York')::date <> (lag(ts) OVER w AT TIME ZONE 'America/New_York')::date
					 OR ch <> lag(ch) OVER w THEN 1 ELSE 0 END AS starts
	FROM gen WINDOW w AS (PARTITION BY u ORDER BY ts, ch, ev)),
n AS (SELECT *, sum(starts) OVER (PARTITION BY u ORDER BY ts, ch, ev) AS s FROM o),
sess AS (SELECT u, s, (max(ts) - min(ts) >= interval '10 seconds' OR count(*) >= 2
					 OR bool_or(ev = 'purchase')) AS engaged
		 FROM n GROUP BY u, s)
SELECT u, count(*)::int AS sessions, count(*) FILTER (WHERE engaged)::int AS engaged
FROM sess GROUP BY u;
CREATE TABLE ext AS
SELECT u, session_count(j, '30 minutes', true, 'America/New_York') AS sessions,
	   engaged_session_count(j, '30 minutes', true, 'America/New_York',
							 conversion_events => ARRAY['purchase']) AS engaged,
	   bounce_rate(j, '30 minutes', true, 'America/New_York',
				   conversion_events => ARRAY['purchase']) AS bounce,
	   (SELECT count(*) FILTER (WHERE engaged)
		FROM sessions(j, '30 minutes', true, 'America/New_York', conversion_events => ARRAY['purchase'])) AS engaged_rows
FROM (SELECT u, journey_agg(ts, ch, ev) AS j FROM gen GROUP BY u) g;
SELECT count(*) AS users, sum(p.sessions) AS sessions, sum(p.engaged) AS engaged,
	   count(*) FILTER (WHERE p.sessions IS DISTINCT FROM e.sessions OR p.engaged IS DISTINCT FROM e.engaged
						OR e.engaged_rows IS DISTINCT FROM p.engaged
						OR (abs(e.bounce - (1 - p.engaged::float8 / p.sessions)) <= 1e-12) IS NOT TRUE) AS mismatches,
	   round(1 - sum(e.engaged)::numeric / sum(e.sessions), 4) AS overall_bounce_rate
FROM plain p FULL JOIN ext e USING (u);
-- the window function with the time zone and the channel as its source agrees
-- with the idiom row by row
WITH o AS (
	SELECT u, ts, ch, ev,
		   CASE WHEN lag(ts) OVER w IS NULL OR ts - lag(ts) OVER w > interval '30 minutes'
					 OR (ts AT TIME ZONE 'America/New_York')::date <> (lag(ts) OVER w AT TIME ZONE 'America/New_York')::date
					 OR ch <> lag(ch) OVER w THEN 1 ELSE 0 END AS starts,
		   session_number(ts, '30 minutes', NULL, 'America/New_York', ch) OVER w AS sn
	FROM gen WINDOW w AS (PARTITION BY u ORDER BY ts, ch, ev))
SELECT count(*) AS rows, count(DISTINCT (u, sn)) AS sessions,
	   count(*) FILTER (WHERE sn IS DISTINCT FROM s) AS mismatches
FROM (SELECT *, sum(starts) OVER (PARTITION BY u ORDER BY ts, ch, ev) AS s FROM o) n;
DROP TABLE gen, plain, ext;
