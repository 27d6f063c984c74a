--
-- Engagement score and RFM: engagement_agg(), accessors, score(),
-- score_factors(), rollup(engagement); rfm_agg() and its accessors.
--
-- Expected values: the decay formula sum(value * 2^(-(as_of - ts) / h)) by
-- hand and in plain SQL over generated events; the score mapping
-- 100 * (1 - exp(-x / 10)); RFM by hand and by a plain-SQL formulation of
-- the lifetimes definitions (test/t/006_cdnow.pl checks the published
-- CDNOW summary).
--
SET extra_float_digits = 0;

-- by hand, half-life 7 days: involvement 1 at Jan 1 and 1 at Jan 8 is 1.5 on
-- Jan 8 and 0.75 on Jan 15; intimacy 0.5 on Jan 8; x = 2 on Jan 8, score
-- 100 * (1 - exp(-0.2)) = 18.126925; a week later x = 1, score
-- 100 * (1 - exp(-0.1)) = 9.516258.  Explanation on Jan 8: involvement
-- 18.126925 * 1.5 / 2 = 13.595194, intimacy 18.126925 * 0.5 / 2 = 4.531731
CREATE TABLE ev (customer int, ts timestamptz, dim engagement_dimension, value float8);
INSERT INTO ev VALUES
	(1, '2026-01-01 00:00+00', 'involvement', 1), (1, '2026-01-08 00:00+00', 'involvement', 1),
	(1, '2026-01-08 00:00+00', 'intimacy', 0.5);
SELECT q.*, (q.involvement_jan_8 = 1.5 AND q.involvement_jan_15 = 0.75 AND q.intimacy = 0.25 AND q.interaction = 0 AND q.influence = 0
		 AND q.events = 3 AND q.score = round(100 * (1 - exp(-0.2)), 6) AND q.score_a_week_later = round(100 * (1 - exp(-0.1)), 6)) IS TRUE AS agrees
FROM (SELECT e, involvement(e, '2026-01-08 00:00+00') AS involvement_jan_8, involvement(e, '2026-01-15 00:00+00') AS involvement_jan_15,
		   intimacy(e, '2026-01-15 00:00+00'), interaction(e, '2026-01-15 00:00+00'), influence(e, '2026-01-15 00:00+00'),
		   first_seen(e), last_seen(e), events(e),
		   round(score(e, '2026-01-08 00:00+00')::numeric, 6) AS score,
		   round(score(e, '2026-01-15 00:00+00')::numeric, 6) AS score_a_week_later
	FROM (SELECT engagement_agg(ts, dim, value, '7 days') AS e FROM ev) s) q;
SELECT q.*, (q.contribution = CASE q.dimension WHEN 'involvement' THEN round(100 * (1 - exp(-0.2)) * 1.5 / 2, 6)
		 WHEN 'intimacy' THEN round(100 * (1 - exp(-0.2)) * 0.5 / 2, 6) ELSE 0 END) IS TRUE AS agrees
FROM (SELECT dimension, decayed_value, weight, round(contribution::numeric, 6) AS contribution, events, last_seen
	FROM score_factors((SELECT engagement_agg(ts, dim, value, '7 days') FROM ev), '2026-01-08 00:00+00')) q;
-- with weights {2,1,0,1}: x = 3, score 25.918178, all of it from involvement
SELECT q.*, (q.contribution = CASE q.dimension WHEN 'involvement' THEN round(100 * (1 - exp(-0.3)), 6) ELSE 0 END) IS TRUE AS agrees
FROM (SELECT dimension, weight, round(contribution::numeric, 6) AS contribution
	FROM score_factors((SELECT engagement_agg(ts, dim, value, '7 days') FROM ev), '2026-01-08 00:00+00', '{2,1,0,1}')) q;
-- per-dimension last events: intimacy at Jan 3 (0.5 * 2^(-5/7) = 0.304753 on
-- Jan 8), involvement at Jan 1; the state's last event stays Jan 8
SELECT q.*, (q.decayed_value = CASE q.dimension WHEN 'involvement' THEN round(2 ^ (-1.0), 6)
		 WHEN 'intimacy' THEN round(0.5 * 2 ^ (-5 / 7.0), 6) WHEN 'influence' THEN 2 ELSE 0 END) IS TRUE AS agrees
FROM (SELECT dimension, round(decayed_value::numeric, 6) AS decayed_value, events, last_seen
	FROM score_factors((SELECT engagement_agg(ts, dim, value, '7 days')
							 FROM (VALUES (timestamptz '2026-01-01 00:00+00', 'involvement'::engagement_dimension, 1.0),
										  ('2026-01-03 00:00+00', 'intimacy', 0.5), ('2026-01-08 00:00+00', 'influence', 2.0)) v(ts, dim, value)),
							'2026-01-08 00:00+00')) q;
-- intimacy may be exactly -1 or 1: 1 * 2^(-1) - 1 = -0.5 on Jan 2
SELECT q.*, (q.intimacy = 1 * 2 ^ (-1.0) - 1) IS TRUE AS agrees
FROM (SELECT intimacy(engagement_agg(ts, 'intimacy', value, '1 day'), '2026-01-02 00:00+00')
	FROM (VALUES (timestamptz '2026-01-01 00:00+00', 1.0), ('2026-01-02 00:00+00', -1.0)) v(ts, value)) q;
-- weights: only involvement counts double -> x = 3, score 25.918178
SELECT q.*, (q.round = round(100 * (1 - exp(-0.3)), 6)) IS TRUE AS agrees
FROM (SELECT round(score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08 00:00+00', '{2,1,0,1}')::numeric, 6)
	FROM ev) q;
-- negative sentiment can pull the score to 0, never below
SELECT score(engagement_agg(ts, dim, value, '1 day'), '2026-01-01 00:00+00')
FROM (VALUES (timestamptz '2026-01-01 00:00+00', 'intimacy'::engagement_dimension, -1.0)) v(ts, dim, value);

-- NULL rules: rows with NULL time, dimension or value are skipped; none: NULL
SELECT engagement_agg(ts, dim, value, '1 day')
FROM (VALUES (timestamptz '2026-01-01 00:00+00', 'influence'::engagement_dimension, 2.0),
			 (NULL, 'influence', 1.0), ('2026-01-02 00:00+00', NULL, 1.0),
			 ('2026-01-02 00:00+00', 'influence', NULL)) v(ts, dim, value);
SELECT engagement_agg(ts, dim, value, '1 day') IS NULL AS no_rows FROM ev WHERE false;
-- rollup skips NULL states; only NULLs: NULL
SELECT rollup(e) IS NULL AS all_null, count(*) FROM (VALUES (NULL::engagement), (NULL)) v(e);
SELECT events(rollup(e)), last_seen(rollup(e))
FROM (SELECT NULL::engagement UNION ALL SELECT engagement_agg(ts, dim, value, '7 days') FROM ev UNION ALL SELECT NULL) v(e);

-- errors
SELECT engagement_agg(ts, dim, value, '0 days') FROM ev;
SELECT engagement_agg(ts, dim, value, NULL) FROM ev;
SELECT engagement_agg(ts, dim, value, CASE WHEN value = 1 THEN interval '7 days' ELSE '1 day' END) FROM ev;
SELECT engagement_agg(ts, dim, value, CASE WHEN value = 1 THEN interval '1 day 00:00:00.5' ELSE '1 day' END) FROM ev;
SELECT engagement_agg(now(), 'intimacy', 1.5, '1 day');
SELECT engagement_agg(now(), 'intimacy', -1.0000001, '1 day');
SELECT engagement_agg(now(), 'involvement', 1, '-1 day');
SELECT engagement_agg('infinity', 'involvement', 1, '1 day');
-- a NULL half-life on a row that is skipped anyway is not an error
SELECT events(engagement_agg(ts, 'involvement', 1, h))
FROM (VALUES (timestamptz '2026-01-01 00:00+00', interval '1 day'), (NULL, NULL)) v(ts, h);
-- sums and counts that leave their range
SELECT engagement_agg(ts, 'involvement', 1e308, '1 day')
FROM (VALUES (timestamptz '2026-01-01 00:00+00'), ('2026-01-01 00:00+00')) v(ts);
SELECT rollup(e) FROM (VALUES ('(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-01T00:00:00Z,involvement=0:0,interaction=1:9223372036854775807@2026-01-01T00:00:00Z,intimacy=0:0,influence=0:0)'::engagement),
							  ('(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-01T00:00:00Z,involvement=0:0,interaction=1:1@2026-01-01T00:00:00Z,intimacy=0:0,influence=0:0)')) v(e);
SELECT events('(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-01T00:00:00Z,involvement=0:0,interaction=1:9223372036854775807@2026-01-01T00:00:00Z,intimacy=0:1@2026-01-01T00:00:00Z,influence=0:0)'::engagement);
SELECT score('(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-01T00:00:00Z,involvement=1e300:1@2026-01-01T00:00:00Z,interaction=0:0,intimacy=0:0,influence=0:0)', '2026-01-01 00:00+00', '{1e10,1,1,1}');
SELECT engagement_agg(now(), 'influence', 'NaN', '1 day');
SELECT rollup(e) FROM (SELECT engagement_agg(ts, dim, value, '7 days') AS e FROM ev
					   UNION ALL SELECT engagement_agg(ts, dim, value, '1 day') FROM ev) s;
SELECT involvement(engagement_agg(ts, dim, value, '7 days'), '2026-01-07 00:00+00') FROM ev;
SELECT score(engagement_agg(ts, dim, value, '7 days'), '2026-01-07 23:59:59.999999+00') FROM ev;
SELECT * FROM score_factors((SELECT engagement_agg(ts, dim, value, '7 days') FROM ev), '2026-01-07 00:00+00');
SELECT score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08 00:00+00', '{1,1,1}') FROM ev;
SELECT score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08 00:00+00', '{1,1,-1,1}') FROM ev;
SELECT score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08 00:00+00', '{1,1,NULL,1}') FROM ev;
SELECT score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08 00:00+00', '{1,1,1,1}', 0) FROM ev;
SELECT score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08 00:00+00', '{1,1,Infinity,1}') FROM ev;
SELECT score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08 00:00+00', '{{1,1},{1,1}}') FROM ev;
SELECT * FROM score_factors((SELECT engagement_agg(ts, dim, value, '7 days') FROM ev), '2026-01-08 00:00+00', '{1,1,1,1,1}');
-- the SQLSTATEs of those errors, as documented in the README
\set VERBOSITY sqlstate
SELECT engagement_agg(ts, dim, value, '0 days') FROM ev;
SELECT engagement_agg(ts, dim, value, NULL) FROM ev;
SELECT rollup(e) FROM (SELECT engagement_agg(ts, dim, value, '7 days') AS e FROM ev
					   UNION ALL SELECT engagement_agg(ts, dim, value, '1 day') FROM ev) s;
SELECT engagement_agg(now(), 'intimacy', 1.5, '1 day');
SELECT engagement_agg(now(), 'influence', 'NaN', '1 day');
SELECT engagement_agg('infinity', 'involvement', 1, '1 day');
SELECT engagement_agg(ts, 'involvement', 1e308, '1 day') FROM (VALUES (timestamptz '2026-01-01 00:00+00'), ('2026-01-01 00:00+00')) v(ts);
SELECT involvement(engagement_agg(ts, dim, value, '7 days'), '2026-01-07 00:00+00') FROM ev;
SELECT score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08 00:00+00', '{1,1,1}') FROM ev;
SELECT score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08 00:00+00', '{1,1,NULL,1}') FROM ev;
SELECT score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08 00:00+00', '{1,1,-1,1}') FROM ev;
SELECT score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08 00:00+00', '{{1,1},{1,1}}') FROM ev;
SELECT score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08 00:00+00', '{1,1,1,1}', 0) FROM ev;
SELECT '(v=1,days=[])'::rfm;
SELECT age(rfm_agg(ts, 1), '2025-12-31 00:00+00', '1 day') FROM ev;
SELECT rfm_agg(ts, 'Infinity') FROM ev;
\set VERBOSITY default
-- the scale is the x at which the score reaches 63.2: x = 2, scale 2 -> 63.212056
SELECT round(score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08 00:00+00', '{1,1,1,1}', 2)::numeric, 6) FROM ev;

-- stability: events fifty years before the anchor underflow to 0, no error,
-- whether they come first (rescaled when the anchor moves) or last (scaled on
-- the way in); and a state read 8000 years later is 0, not an error
SELECT involvement(engagement_agg(ts, 'involvement', 1e300, '1 day'), '2026-01-01 00:00+00') AS sum,
	   events(engagement_agg(ts, 'involvement', 1e300, '1 day'))
FROM (VALUES (timestamptz '1976-01-01 00:00+00'), ('2026-01-01 00:00+00')) v(ts);
SELECT involvement(engagement_agg(ts, 'involvement', 1e300, '1 day' ORDER BY ts DESC), '2026-01-01 00:00+00') AS sum
FROM (VALUES (timestamptz '1976-01-01 00:00+00'), ('2026-01-01 00:00+00')) v(ts);
SELECT involvement(engagement_agg(ts, 'involvement', 1e300, '1 second'), '9999-12-31 00:00+00') AS sum,
	   score(engagement_agg(ts, 'involvement', 1e300, '1 second'), '9999-12-31 00:00+00') AS score
FROM (VALUES (timestamptz '2026-01-01 00:00+00')) v(ts);
-- half-lives are compared exactly: '1 day' and '24 hours' are one half-life
SELECT events(rollup(e))
FROM (SELECT engagement_agg(now(), 'involvement', 1, '1 day') UNION ALL
	  SELECT engagement_agg(now(), 'involvement', 1, '24 hours')) s(e);

--
-- Agreement with the decay formula in plain SQL, 400 customers
--
CREATE TABLE events AS
	SELECT c AS customer,
		   timestamptz '2025-01-01 00:00+00' + (abs(hashint4(c * 1000 + k)) % 500000) * interval '1 minute' AS ts,
		   (ARRAY['involvement', 'interaction', 'intimacy', 'influence'])[1 + abs(hashint4(c + k * 7)) % 4]::engagement_dimension AS dim,
		   CASE WHEN abs(hashint4(c + k * 7)) % 4 = 2 THEN (abs(hashint4(k * 3 + c)) % 201 - 100) / 100.0
				ELSE (abs(hashint4(k * 3 + c)) % 50) / 10.0 END AS value
	FROM generate_series(1, 400) c, generate_series(1, 1 + abs(hashint4(c)) % 60) k;
CREATE TABLE states AS
	SELECT customer, engagement_agg(ts, dim, value, '30 days') AS e FROM events GROUP BY customer;
-- the four decayed sums as an array, and "a and b agree to rel relatively"
CREATE FUNCTION dims(e engagement, as_of timestamptz) RETURNS float8[] LANGUAGE sql
	AS $$ SELECT ARRAY[involvement(e, as_of), interaction(e, as_of), intimacy(e, as_of), influence(e, as_of)] $$;
CREATE FUNCTION close(a float8[], b float8[], rel float8) RETURNS boolean LANGUAGE sql
	AS $$ SELECT bool_and((abs(x - y) <= rel * greatest(1, abs(y))) IS TRUE) FROM unnest(a, b) u(x, y) $$;
-- per dimension: events and last event, as text rows
CREATE FUNCTION dim_events(e engagement) RETURNS text LANGUAGE sql
	AS $$ SELECT string_agg(dimension || ' ' || events || ' ' || coalesce(last_seen::text, '-'), ', ' ORDER BY dimension)
		  FROM score_factors(e, last_seen(e)) $$;
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE (abs(involvement(s.e, '2026-06-01 00:00+00') - i.inv) <= 1e-9 * greatest(1, abs(i.inv))) IS NOT TRUE
						   OR (abs(interaction(s.e, '2026-06-01 00:00+00') - i.inter) <= 1e-9 * greatest(1, abs(i.inter))) IS NOT TRUE
						   OR (abs(intimacy(s.e, '2026-06-01 00:00+00') - i.intim) <= 1e-9 * greatest(1, abs(i.intim))) IS NOT TRUE
						   OR (abs(influence(s.e, '2026-06-01 00:00+00') - i.infl) <= 1e-9 * greatest(1, abs(i.infl))) IS NOT TRUE) AS mismatch,
	   count(*) FILTER (WHERE (abs(score(s.e, '2026-06-01 00:00+00')
							  - 100 * (1 - exp(-greatest(i.inv + i.inter + i.intim + i.infl, 0) / 10))) <= 1e-9) IS NOT TRUE) AS score_mismatch,
	   count(*) FILTER (WHERE events(s.e) IS DISTINCT FROM i.n OR last_seen(s.e) IS DISTINCT FROM i.last OR first_seen(s.e) IS DISTINCT FROM i.first) AS count_mismatch,
	   count(*) FILTER (WHERE dim_events(s.e) IS DISTINCT FROM
						(SELECT string_agg(dim || ' ' || n || ' ' || coalesce(l::text, '-'), ', ' ORDER BY dim)
						 FROM (SELECT d.dim, count(ev.ts) AS n, max(ev.ts) AS l
							   FROM unnest(enum_range(NULL::engagement_dimension)) d(dim)
							   LEFT JOIN events ev ON ev.customer = s.customer AND ev.dim = d.dim
							   GROUP BY d.dim) x)) AS dimension_events_mismatch,
	   count(*) FILTER (WHERE score(s.e, '2026-06-01 00:00+00') IS NULL
						   OR dims(s.e, '2026-06-01 00:00+00')::text LIKE '%NULL%') AS null_results
FROM states s
JOIN (SELECT customer,
			 coalesce(sum(value * power(2, -extract(epoch FROM timestamptz '2026-06-01 00:00+00' - ts) / (30 * 86400))) FILTER (WHERE dim = 'involvement'), 0) AS inv,
			 coalesce(sum(value * power(2, -extract(epoch FROM timestamptz '2026-06-01 00:00+00' - ts) / (30 * 86400))) FILTER (WHERE dim = 'interaction'), 0) AS inter,
			 coalesce(sum(value * power(2, -extract(epoch FROM timestamptz '2026-06-01 00:00+00' - ts) / (30 * 86400))) FILTER (WHERE dim = 'intimacy'), 0) AS intim,
			 coalesce(sum(value * power(2, -extract(epoch FROM timestamptz '2026-06-01 00:00+00' - ts) / (30 * 86400))) FILTER (WHERE dim = 'influence'), 0) AS infl,
			 count(*) AS n, min(ts) AS first, max(ts) AS last
	  FROM events GROUP BY customer) i USING (customer);
-- explanations add up to the score
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE (abs(x.total - score(s.e, '2026-06-01 00:00+00')) <= 1e-9) IS NOT TRUE) AS explain_mismatch,
	   count(*) FILTER (WHERE x.total IS NULL) AS null_totals
FROM states s, LATERAL (SELECT sum(contribution) AS total FROM score_factors(s.e, '2026-06-01 00:00+00')) x;

-- merge order does not matter: rollups of hash-split states, merged in two
-- different orders, equal the whole (all four sums within 1e-12 relative;
-- counts, first and last events, per dimension too, exactly)
CREATE TABLE parts AS
	SELECT customer, abs(hashtext(ts::text)) % 5 AS part, engagement_agg(ts, dim, value, '30 days') AS e
	FROM events GROUP BY 1, 2;
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE close(dims(m.e1, '2026-06-01 00:00+00'), dims(s.e, '2026-06-01 00:00+00'), 1e-12) IS NOT TRUE
						   OR close(dims(m.e2, '2026-06-01 00:00+00'), dims(s.e, '2026-06-01 00:00+00'), 1e-12) IS NOT TRUE
						   OR dim_events(m.e1) IS DISTINCT FROM dim_events(s.e) OR dim_events(m.e2) IS DISTINCT FROM dim_events(s.e)
						   OR first_seen(m.e1) IS DISTINCT FROM first_seen(s.e) OR first_seen(m.e2) IS DISTINCT FROM first_seen(s.e)
						   OR last_seen(m.e1) IS DISTINCT FROM last_seen(s.e) OR last_seen(m.e2) IS DISTINCT FROM last_seen(s.e)) AS merge_mismatch,
	   min(m.parts) AS min_parts, max(m.parts) AS max_parts
FROM (SELECT customer, count(*) AS parts, rollup(e ORDER BY part) AS e1, rollup(e ORDER BY part DESC) AS e2
	  FROM parts GROUP BY customer) m
JOIN states s USING (customer);

-- parallel
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT engagement_agg(ts, dim, value, '30 days') FROM events;
SELECT close(dims(e, '2026-06-01 00:00+00'), (SELECT dims(rollup(e), '2026-06-01 00:00+00') FROM states), 1e-12) AS parallel_matches,
	   dim_events(e) = (SELECT dim_events(rollup(e)) FROM states) AS parallel_events_match
FROM (SELECT engagement_agg(ts, dim, value, '30 days') AS e FROM events) p;
EXPLAIN (COSTS OFF) SELECT rfm_agg(ts, value) FROM events;
SELECT r::text = (SELECT rfm_agg(ts, value ORDER BY ts, value)::text FROM events) AS rfm_parallel_matches
FROM (SELECT rfm_agg(ts, value) AS r FROM events) p;
RESET ALL;
SET extra_float_digits = 0;

-- text and binary forms
SELECT bool_and((e::text::engagement::text = e::text) IS TRUE) AS text_round_trip, count(*) FROM states;
SELECT '(v=1,half_life_usec=86400000000,first=2026-01-01T00:00:00Z,last=2026-01-02T00:00:00Z,involvement=1.5:2@2026-01-02T00:00:00Z,interaction=0:0,intimacy=-0.25:1@2026-01-01T00:00:00Z,influence=0:0)'::engagement;
-- spaces are allowed between tokens; the output is canonical
SELECT ' ( v = 1 , half_life_usec = 86400000000 , first = 2026-01-01T00:00:00Z , last = 2026-01-01T00:00:00Z , involvement = 1 : 1 @ 2026-01-01T00:00:00Z , interaction = 0 : 0 , intimacy = 0 : 0 , influence = 0 : 0 ) '::engagement;
SELECT '(v=2,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-01T00:00:00Z,involvement=0:0,interaction=0:0,intimacy=0:0,influence=0:0)'::engagement;
SELECT '(v=1,half_life_usec=0,first=2026-01-01T00:00:00Z,last=2026-01-01T00:00:00Z,involvement=0:0,interaction=0:0,intimacy=0:0,influence=0:0)'::engagement;
SELECT '(v=1,half_life_usec=1,first=2026-01-02T00:00:00Z,last=2026-01-01T00:00:00Z,involvement=0:0,interaction=0:0,intimacy=0:0,influence=0:0)'::engagement;
SELECT '(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-01T00:00:00Z,involvement=0:0,interaction=0:0,intimacy=2:1@2026-01-01T00:00:00Z,influence=0:0)'::engagement;
SELECT '(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-01T00:00:00Z,involvement=5:0,interaction=0:0,intimacy=0:0,influence=0:0)'::engagement;
-- malformed: a dimension's last event missing, given without events, outside
-- first..last, none at "last"; negative count; keys out of order; truncated;
-- trailing text; a bad time; a non-finite sum
SELECT '(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-02T00:00:00Z,involvement=1:1,interaction=0:0,intimacy=0:0,influence=0:0)'::engagement;
SELECT '(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-02T00:00:00Z,involvement=1:1@2026-01-02T00:00:00Z,interaction=0:0@2026-01-02T00:00:00Z,intimacy=0:0,influence=0:0)'::engagement;
SELECT '(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-02T00:00:00Z,involvement=1:1@2026-01-03T00:00:00Z,interaction=0:0,intimacy=0:0,influence=0:0)'::engagement;
SELECT '(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-02T00:00:00Z,involvement=1:1@2026-01-01T00:00:00Z,interaction=0:0,intimacy=0:0,influence=0:0)'::engagement;
SELECT '(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-02T00:00:00Z,involvement=1:-1,interaction=0:0,intimacy=0:0,influence=0:0)'::engagement;
SELECT '(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-02T00:00:00Z,interaction=0:0,involvement=1:1@2026-01-02T00:00:00Z,intimacy=0:0,influence=0:0)'::engagement;
SELECT '(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-02T00:00:00Z,involvement=1:1@2026-01-02T00:00:00Z'::engagement;
SELECT '(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-02T00:00:00Z,involvement=1:1@2026-01-02T00:00:00Z,interaction=0:0,intimacy=0:0,influence=0:0) x'::engagement;
SELECT '(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-02T00:00:00Z,involvement=1:1@2026-01-02 00:00:00,interaction=0:0,intimacy=0:0,influence=0:0)'::engagement;
SELECT '(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-02T00:00:00Z,involvement=Infinity:1@2026-01-02T00:00:00Z,interaction=0:0,intimacy=0:0,influence=0:0)'::engagement;
SELECT ''::engagement;
\copy states TO 'results/engagement.bin' WITH (FORMAT binary)
CREATE TABLE states_copy (LIKE states);
\copy states_copy FROM 'results/engagement.bin' WITH (FORMAT binary)
SELECT count(*) FILTER (WHERE c.e::text IS DISTINCT FROM s.e::text) AS binary_mismatch, count(*) FROM states s JOIN states_copy c USING (customer);

--
-- RFM
--
-- by hand: purchases Jan 1 (10 and 5: one day, 15), Jan 5 (20), Jan 20 (40):
-- frequency 2, recency 19 days, age on Mar 1 59 days, monetary (20 + 40) / 2
SELECT r, frequency(r), recency(r), recency(r, '1 week') AS recency_weeks,
	   age(r, '2026-03-01 00:00+00', '1 day'), round(age(r, '2026-03-01 00:00+00', '7 days')::numeric, 6) AS age_weeks, monetary(r)
FROM (SELECT rfm_agg(ts, amount) AS r
	  FROM (VALUES (timestamptz '2026-01-01 10:00+00', 10.0), ('2026-01-01 12:00+00', 5.0),
				   ('2026-01-05 00:00+00', 20.0), ('2026-01-20 00:00+00', 40.0)) v(ts, amount)) s;
-- one purchase: no repeats, monetary 0 (as in lifetimes); NULLs skipped; no rows: NULL
SELECT frequency(r), recency(r), monetary(r)
FROM (SELECT rfm_agg(ts, amount) AS r
	  FROM (VALUES (timestamptz '2026-01-01 00:00+00', 10.0), (NULL, 5.0), ('2026-01-03 00:00+00', NULL)) v(ts, amount)) s;
SELECT rfm_agg(ts, 1) IS NULL AS no_rows FROM ev WHERE false;
SELECT age(rfm_agg(ts, 1), '2025-12-31 00:00+00', '1 day') FROM ev;
-- as_of later on the day of the last purchase is fine: age counts days
SELECT age(rfm_agg(ts, 1), '2026-01-08 00:00+00', '1 day'), age(rfm_agg(ts, 1), '2026-01-08 23:59+00', '1 day') FROM ev;
-- age needs its unit: with a default, age(rfm, timestamptz) would make the
-- built-in age('2026-01-01 00:00+00', '2025-01-01 00:00+00') ambiguous, which still resolves
SELECT age('2026-01-01 00:00+00', '2025-01-01 00:00+00') AS builtin_age, age(timestamp '2026-01-01', timestamp '2025-06-01') AS builtin_age2;
SELECT age(rfm_agg(ts, 1), '2026-02-01 00:00+00') FROM ev;
-- UTC days: 23:30 and 00:30 the next day are two purchase days; negative
-- amounts (refunds) count; amounts whose mean overflows are an error
SELECT frequency(r), recency(r), monetary(r)
FROM (SELECT rfm_agg(ts, amount) AS r
	  FROM (VALUES (timestamptz '2026-01-01 23:30+00', 10.0), ('2026-01-02 00:30+00', -4.0)) v(ts, amount)) s;
SELECT monetary(rfm_agg(ts, amount))
FROM (VALUES (timestamptz '2026-01-01 00:00+00', 1e308), ('2026-01-02 00:00+00', 1e308), ('2026-01-03 00:00+00', 1e308)) v(ts, amount);
SELECT rfm_agg(ts, amount)
FROM (VALUES (timestamptz '2026-01-01 00:00+00', 1e308), ('2026-01-01 00:00+00', 1e308)) v(ts, amount);
SELECT recency(rfm_agg(ts, 1), '0 days') FROM ev;
SELECT rfm_agg(ts, 'Infinity') FROM ev;
-- agreement with plain SQL on generated orders (UTC days)
CREATE TABLE orders AS
	SELECT c AS customer,
		   timestamptz '2025-01-01 00:00+00' + (abs(hashint4(c * 100 + k)) % 600000) * interval '1 minute' AS ts,
		   (abs(hashint4(c + k)) % 10000) / 100.0 AS amount
	FROM generate_series(1, 500) c, generate_series(1, 1 + abs(hashint4(c)) % 8) k;
WITH daily AS (
	SELECT customer, (ts AT TIME ZONE 'UTC')::date AS day, sum(amount) AS amount FROM orders GROUP BY 1, 2
), idiom AS (
	SELECT customer, count(*) - 1 AS frequency, max(day) - min(day) AS recency,
		   date '2026-03-01' - min(day) AS age,
		   coalesce(avg(amount) FILTER (WHERE day > (SELECT min(day) FROM daily d2 WHERE d2.customer = d.customer)), 0) AS monetary
	FROM daily d GROUP BY customer
)
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE frequency(r) IS DISTINCT FROM i.frequency OR recency(r) IS DISTINCT FROM i.recency
						   OR age(r, '2026-03-01 00:00+00', '1 day') IS DISTINCT FROM i.age
						   OR (abs(monetary(r) - i.monetary) <= 1e-9) IS NOT TRUE) AS mismatch,
	   count(*) FILTER (WHERE frequency(r) IS NULL OR recency(r) IS NULL OR monetary(r) IS NULL) AS null_results,
	   sum(frequency(r)) AS repeat_days
FROM (SELECT customer, rfm_agg(ts, amount) AS r FROM orders GROUP BY customer) o JOIN idiom i USING (customer);
-- rollup and text round trip (a day's amounts split between states are
-- added in another order: equal up to rounding)
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE frequency(m.r) IS DISTINCT FROM frequency(o.r) OR recency(m.r) IS DISTINCT FROM recency(o.r)
						   OR (abs(monetary(m.r) - monetary(o.r)) <= 1e-9) IS NOT TRUE) AS rollup_mismatch,
	   count(*) FILTER (WHERE o.r::text::rfm::text IS DISTINCT FROM o.r::text) AS text_mismatch
FROM (SELECT customer, rollup(r) AS r FROM (SELECT customer, rfm_agg(ts, amount) AS r FROM orders GROUP BY customer, abs(hashtext(ts::text)) % 2) h GROUP BY 1) m
JOIN (SELECT customer, rfm_agg(ts, amount) AS r FROM orders GROUP BY customer) o USING (customer);
SELECT '(v=1,days=[2026-01-05T00:00:00Z 12.5,2026-02-01T00:00:00Z 30])'::rfm;
SELECT '(v=1,days=[2026-01-05T10:00:00Z 12.5])'::rfm;
SELECT '(v=1,days=[2026-02-01T00:00:00Z 1,2026-01-05T00:00:00Z 2])'::rfm;
SELECT '(v=1,days=[])'::rfm;
SELECT '(v=2,days=[2026-01-05T00:00:00Z 1])'::rfm;
SELECT '(v=1,days=[2026-01-05T00:00:00Z 1,2026-01-05T00:00:00Z 2])'::rfm;
SELECT '(v=1,days=[2026-01-05T00:00:00Z NaN])'::rfm;
SELECT '(v=1,days=[2026-01-05T00:00:00Z 1]'::rfm;
SELECT '(v=1,days=[2026-01-05T00:00:00Z 1])x'::rfm;
-- binary COPY round trip of rfm states
CREATE TABLE rfm_states AS SELECT customer, rfm_agg(ts, amount) AS r FROM orders GROUP BY customer;
\copy rfm_states TO 'results/rfm.bin' WITH (FORMAT binary)
CREATE TABLE rfm_copy (LIKE rfm_states);
\copy rfm_copy FROM 'results/rfm.bin' WITH (FORMAT binary)
SELECT count(*) FILTER (WHERE c.r::text IS DISTINCT FROM s.r::text) AS binary_mismatch, count(*)
FROM rfm_states s JOIN rfm_copy c USING (customer);

DROP TABLE ev, events, states, states_copy, parts, orders, rfm_states, rfm_copy;
DROP FUNCTION dims(engagement, timestamptz), close(float8[], float8[], float8), dim_events(engagement);

-- robustness (issue 16)
-- as_of = +infinity: every decayed value is the limit, exactly 0 (before:
-- Infinity, NaN, or 22003 because as_of - last_seen wrapped); as_of before
-- the last event, -infinity included, is the documented 22023
CREATE TABLE es AS
SELECT engagement_agg(ts, dim::engagement_dimension, v, '7 days') AS e
FROM (VALUES ('1990-01-01 00:00+00'::timestamptz, 'involvement', 2.0::float8), ('1990-01-02 00:00+00', 'intimacy', -0.5),
			 ('1990-01-03 00:00+00', 'interaction', 1.0)) x(ts, dim, v);
SELECT involvement(e, 'infinity'), interaction(e, 'infinity'), intimacy(e, 'infinity'),
	   influence(e, 'infinity')
FROM es;
SELECT score(e, 'infinity'),
	   score(e, 'infinity', '{1,1,1e308,1}', 1e-300) AS extreme_weights
FROM es;
SELECT * FROM score_factors((SELECT e FROM es), 'infinity');
SELECT involvement(e, '-infinity') FROM es;
SELECT score(e, '-infinity') FROM es;
SELECT * FROM score_factors((SELECT e FROM es), '-infinity');
-- the latest finite as_of: the decay underflows to 0, and a negative sum
-- gives 0, not -0 (before: -0 for intimacy from the year 2500 on)
SELECT involvement(e, '294276-12-31 23:59:59.999999+00'), intimacy(e, '294276-12-31 23:59:59.999999+00'),
	   intimacy(e, '2500-01-01 00:00+00'), score(e, '294276-12-31 23:59:59.999999+00')
FROM es;
SELECT dimension, decayed_value, contribution FROM score_factors((SELECT e FROM es), '2500-01-01 00:00+00');
-- as_of - last_seen beyond the int64 range (0001 to 294276) with a half-life
-- of 100,000 years: the factor 2^(-dt/h) ~ 0.13 computed in float8, checked
-- against the formula in numeric epochs
SELECT count(*) AS states,
	   count(*) FILTER (WHERE (abs(involvement(e, t) / expected - 1) <= 1e-12) IS NOT TRUE) AS mismatch
FROM (SELECT engagement_agg('0001-01-01 00:00+00', 'involvement', 1, '100000 years') AS e,
			 '294276-12-31 23:59:59.999999+00'::timestamptz AS t) s,
	 LATERAL (SELECT (2 ^ (-(extract(epoch FROM t) - extract(epoch FROM timestamptz '0001-01-01 00:00+00'))
						   / extract(epoch FROM interval '100000 years')))::float8 AS expected) x;
-- the text forms are lossless: send(x) = send(in(out(x)))
SELECT count(*) AS states,
	   count(*) FILTER (WHERE engagement_send(e) IS DISTINCT FROM engagement_send(e::text::engagement)) AS mismatch
FROM (SELECT e FROM es
	  UNION ALL
	  SELECT engagement_agg(ts, dim, v, h)
	  FROM (SELECT g % 50 AS grp, '0001-01-01 00:00+00'::timestamptz + g * interval '97 years 13 days 0.000001 s' AS ts,
				   (ARRAY['involvement', 'interaction', 'intimacy', 'influence'])[1 + g % 4]::engagement_dimension AS dim,
				   CASE WHEN g % 4 = 2 THEN sin(g) ELSE g * 1.1e-3 END AS v,
				   (1 + g % 3) * interval '3 years 1.5 s' AS h
			FROM generate_series(1, 100) g) x
	  GROUP BY grp, h) s;
SELECT count(*) AS states,
	   count(*) FILTER (WHERE rfm_send(r) IS DISTINCT FROM rfm_send(r::text::rfm)) AS mismatch
FROM (SELECT rfm_agg(ts, a) AS r
	  FROM (SELECT g % 20 AS grp, '0001-01-01 00:00+00'::timestamptz + g * interval '49 years 7 hours' AS ts,
				   CASE WHEN g % 3 = 0 THEN -1e-300 * g ELSE 1e300 / g END AS a
			FROM generate_series(1, 200) g) x
	  GROUP BY grp) s;
-- rfm age: +infinity has no finite age (22008), -infinity is before the last
-- purchase (22023); any finite as_of works, the latest one in microseconds
-- checked against the day count of plain date arithmetic
SELECT age(rfm_agg(ts, 1), 'infinity', '1 day') FROM (VALUES ('2026-01-01 00:00+00'::timestamptz)) v(ts);
SELECT age(rfm_agg(ts, 1), '-infinity', '1 day') FROM (VALUES ('2026-01-01 00:00+00'::timestamptz)) v(ts);
SELECT (abs(age(r, '294276-12-31 23:59:59.999999+00', '1 microsecond')
			/ ((date '294276-12-31' - date '0001-01-01') * 86400e6::float8) - 1) <= 1e-12) IS TRUE AS micro_ok,
	   (abs(age(r, '294276-12-31 23:59:59.999999+00', '100000 years')
			- (date '294276-12-31' - date '0001-01-01') / (100000 * 365.25)::float8) <= 1e-12) IS TRUE AS years_ok,
	   recency(r, '1 microsecond') AS recency_zero
FROM (SELECT rfm_agg('0001-01-01 00:00+00', 1) AS r) s;
-- monetary: a mean of tiny refunds that underflows is 0, not -0
SELECT monetary(rfm_agg(ts, a))
FROM (VALUES ('2026-01-01 00:00+00'::timestamptz, 1.0::float8), ('2026-01-02 00:00+00', -5e-324), ('2026-01-03 00:00+00', 0.0)) v(ts, a);
DROP TABLE es;
-- the transition function counts from any valid state (a user aggregate's
-- INITCOND): a count at the int64 maximum is 22003, not stored negative
-- (before: the stored state failed to read back, XX001)
CREATE AGGREGATE engagement_from(timestamptz, engagement_dimension, float8, interval)
	(SFUNC = engagement_trans, STYPE = engagement,
	 INITCOND = '(v=1,half_life_usec=604800000000,first=2026-01-01T00:00:00Z,last=2026-01-01T00:00:00Z,involvement=1:9223372036854775807@2026-01-01T00:00:00Z,interaction=0:0,intimacy=0:0,influence=0:0)');
SELECT engagement_from('2026-01-02 00:00+00', 'involvement', 1, '7 days')::text;
SELECT events(engagement_from('2026-01-02 00:00+00', 'interaction', 1, '7 days'));
DROP AGGREGATE engagement_from(timestamptz, engagement_dimension, float8, interval);
-- events() returns the total of the counts, so a state whose counts add up
-- past the int64 maximum is invalid input (before: accepted, then events()
-- failed with 22003); at the maximum it works
SELECT '(v=1,half_life_usec=1,first=0001-01-01T00:00:00Z,last=9999-12-31T23:59:59.999999Z,involvement=0:0,interaction=3.25:4@0001-01-01T00:00:00Z,intimacy=-0.75:1@2026-01-01T00:00:00Z,influence=1e300:9223372036854775807@9999-12-31T23:59:59.999999Z)'::engagement;
SELECT events('(v=1,half_life_usec=1,first=0001-01-01T00:00:00Z,last=9999-12-31T23:59:59.999999Z,involvement=0:0,interaction=3.25:4@0001-01-01T00:00:00Z,intimacy=-0.75:1@2026-01-01T00:00:00Z,influence=1e300:9223372036854775802@9999-12-31T23:59:59.999999Z)'::engagement);
-- the support functions called directly (any role can) compute a new value
-- from a checked copy of their argument, never writing to it (before: XX000
-- "called in non-aggregate context")
CREATE TABLE direct AS SELECT engagement_trans(NULL, '2026-01-01 00:00+00', 'involvement', 1, '7 days') AS e;
SELECT involvement(engagement_trans(e, '2026-01-08 00:00+00', 'involvement', 1, '7 days'), '2026-01-08 00:00+00') AS trans,
	   events(engagement_combine(e, e)) AS combine, events(engagement_rollup_trans(NULL, e)) AS rollup_trans,
	   events(e) AS unchanged
FROM direct;
DROP TABLE direct;
-- + merges two states (1.2, issue 17). Reference: the state aggregated over
-- the raw rows of both parts; + is commutative, NULL when a side is NULL, and
-- refuses states of different half-lives like rollup() does
CREATE TABLE plus_raw AS
	SELECT g % 2 AS part, timestamptz '2026-01-01 00:00+00' + g * interval '5 hours' AS ts,
		   (ARRAY['involvement', 'interaction', 'intimacy', 'influence'])[1 + g % 4]::engagement_dimension AS dim,
		   CASE WHEN g % 4 = 2 THEN 0.5 ELSE g END::float8 AS v
	FROM generate_series(1, 40) g;
CREATE TABLE plus_e AS SELECT part, engagement_agg(ts, dim, v, '7 days') AS e FROM plus_raw GROUP BY part;
WITH a AS (SELECT e FROM plus_e WHERE part = 0), b AS (SELECT e FROM plus_e WHERE part = 1),
	 whole AS (SELECT engagement_agg(ts, dim, v, '7 days') AS e FROM plus_raw)
SELECT events(a.e + b.e) AS events, (SELECT count(*) FROM plus_raw) AS raw_rows,
	   abs(score(a.e + b.e, '2026-01-10') - score(whole.e, '2026-01-10')) < 1e-12 AS score_equals_whole,
	   abs(influence(a.e + b.e, '2026-01-10') - influence(whole.e, '2026-01-10')) < 1e-9 AS influence_equals_whole,
	   (a.e + b.e)::text = (b.e + a.e)::text AS commutes,
	   (a.e + NULL::engagement) IS NULL AS null_right, (NULL::engagement + b.e) IS NULL AS null_left
FROM a, b, whole;
SELECT (SELECT e FROM plus_e WHERE part = 0)
	 + (SELECT engagement_agg('2026-01-01', 'involvement', 1, '1 day'));
-- rfm: frequency is the number of distinct purchase days minus one, monetary
-- the mean of the repeat days' amounts (plain SQL over the raw rows)
CREATE TABLE plus_r AS SELECT part, rfm_agg(ts, v) AS r FROM plus_raw GROUP BY part;
WITH a AS (SELECT r FROM plus_r WHERE part = 0), b AS (SELECT r FROM plus_r WHERE part = 1),
	 days AS (SELECT date_trunc('day', ts AT TIME ZONE 'UTC') AS d, sum(v) AS amount FROM plus_raw GROUP BY 1)
SELECT frequency(a.r + b.r) AS frequency, (SELECT count(*) - 1 FROM days) AS sql_frequency,
	   monetary(a.r + b.r) AS monetary,
	   (SELECT avg(amount) FROM days WHERE d > (SELECT min(d) FROM days)) AS sql_monetary,
	   (a.r + b.r)::text = (b.r + a.r)::text AS commutes, (a.r + NULL::rfm) IS NULL AS null_right
FROM a, b;
DROP TABLE plus_raw, plus_e, plus_r;
