--
-- Engagement score and RFM: engagement_agg(), accessors, engagement_score(),
-- engagement_explain(), rollup(engagement); rfm_agg() and its accessors.
--
-- Expected values: the decay formula sum(value * 2^(-(as_of - ts) / h)) by
-- hand and in plain SQL over generated events; the score mapping
-- 100 * (1 - exp(-x / 10)); RFM by hand and by a plain-SQL formulation of
-- the lifetimes definitions (test/t/006_cdnow_rfm.pl checks the published
-- CDNOW summary).
--
SET timezone = 'UTC';
SET extra_float_digits = 0;

-- by hand, half-life 7 days: involvement 1 at Jan 1 and 1 at Jan 8 is 1.5 on
-- Jan 8 and 0.75 on Jan 15; intimacy 0.5 on Jan 8; x = 2 on Jan 8, score
-- 100 * (1 - exp(-0.2)) = 18.126925
CREATE TABLE ev (customer int, ts timestamptz, dim engagement_dimension, value float8);
INSERT INTO ev VALUES
	(1, '2026-01-01 00:00', 'involvement', 1), (1, '2026-01-08 00:00', 'involvement', 1),
	(1, '2026-01-08 00:00', 'intimacy', 0.5);
SELECT e, involvement(e, '2026-01-08'), involvement(e, '2026-01-15'),
	   intimacy(e, '2026-01-15'), interaction(e, '2026-01-15'), influence(e, '2026-01-15'),
	   first_seen(e), last_seen(e), events(e),
	   round(engagement_score(e, '2026-01-08')::numeric, 6) AS score,
	   round(engagement_score(e, '2026-01-15')::numeric, 6) AS score_a_week_later
FROM (SELECT engagement_agg(ts, dim, value, '7 days') AS e FROM ev) s;
SELECT dimension, events, decayed_value, weight, weighted_value, round(contribution::numeric, 6)
FROM engagement_explain((SELECT engagement_agg(ts, dim, value, '7 days') FROM ev), '2026-01-08');
-- weights: only involvement counts double -> x = 3, score 25.918178
SELECT round(engagement_score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08', '{2,1,0,1}')::numeric, 6)
FROM ev;
-- negative sentiment can pull the score to 0, never below
SELECT engagement_score(engagement_agg(ts, dim, value, '1 day'), '2026-01-01')
FROM (VALUES (timestamptz '2026-01-01', 'intimacy'::engagement_dimension, -1.0)) v(ts, dim, value);

-- NULL rules: rows with NULL time, dimension or value are skipped; none: NULL
SELECT engagement_agg(ts, dim, value, '1 day')
FROM (VALUES (timestamptz '2026-01-01', 'influence'::engagement_dimension, 2.0),
			 (NULL, 'influence', 1.0), ('2026-01-02', NULL, 1.0),
			 ('2026-01-02', 'influence', NULL)) v(ts, dim, value);
SELECT engagement_agg(ts, dim, value, '1 day') IS NULL AS no_rows FROM ev WHERE false;

-- errors
SELECT engagement_agg(ts, dim, value, '0 days') FROM ev;
SELECT engagement_agg(ts, dim, value, NULL) FROM ev;
SELECT engagement_agg(ts, dim, value, CASE WHEN value = 1 THEN interval '7 days' ELSE '1 day' END) FROM ev;
SELECT engagement_agg(now(), 'intimacy', 1.5, '1 day');
SELECT engagement_agg(now(), 'influence', 'NaN', '1 day');
SELECT rollup(e) FROM (SELECT engagement_agg(ts, dim, value, '7 days') AS e FROM ev
					   UNION ALL SELECT engagement_agg(ts, dim, value, '1 day') FROM ev) s;
SELECT involvement(engagement_agg(ts, dim, value, '7 days'), '2026-01-07') FROM ev;
SELECT engagement_score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08', '{1,1,1}') FROM ev;
SELECT engagement_score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08', '{1,1,-1,1}') FROM ev;
SELECT engagement_score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08', '{1,1,NULL,1}') FROM ev;
SELECT engagement_score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08', '{1,1,1,1}', 0) FROM ev;
-- the scale is the x at which the score reaches 63.2: x = 2, scale 2 -> 63.212056
SELECT round(engagement_score(engagement_agg(ts, dim, value, '7 days'), '2026-01-08', '{1,1,1,1}', 2)::numeric, 6) FROM ev;

-- stability: events fifty years before the anchor underflow to 0, no error
SELECT involvement(engagement_agg(ts, 'involvement', 1e300, '1 day'), '2026-01-01') AS sum,
	   events(engagement_agg(ts, 'involvement', 1e300, '1 day'))
FROM (VALUES (timestamptz '1976-01-01'), ('2026-01-01')) v(ts);

--
-- Agreement with the decay formula in plain SQL, 400 customers
--
CREATE TABLE events AS
	SELECT c AS customer,
		   timestamptz '2025-01-01' + (abs(hashint4(c * 1000 + k)) % 500000) * interval '1 minute' AS ts,
		   (ARRAY['involvement', 'interaction', 'intimacy', 'influence'])[1 + abs(hashint4(c + k * 7)) % 4]::engagement_dimension AS dim,
		   CASE WHEN abs(hashint4(c + k * 7)) % 4 = 2 THEN (abs(hashint4(k * 3 + c)) % 201 - 100) / 100.0
				ELSE (abs(hashint4(k * 3 + c)) % 50) / 10.0 END AS value
	FROM generate_series(1, 400) c, generate_series(1, 1 + abs(hashint4(c)) % 60) k;
CREATE TABLE states AS
	SELECT customer, engagement_agg(ts, dim, value, '30 days') AS e FROM events GROUP BY customer;
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE abs(involvement(s.e, '2026-06-01') - i.inv) > 1e-9 * greatest(1, abs(i.inv))
						   OR abs(interaction(s.e, '2026-06-01') - i.inter) > 1e-9 * greatest(1, abs(i.inter))
						   OR abs(intimacy(s.e, '2026-06-01') - i.intim) > 1e-9 * greatest(1, abs(i.intim))
						   OR abs(influence(s.e, '2026-06-01') - i.infl) > 1e-9 * greatest(1, abs(i.infl))) AS mismatch,
	   count(*) FILTER (WHERE abs(engagement_score(s.e, '2026-06-01')
							  - 100 * (1 - exp(-greatest(i.inv + i.inter + i.intim + i.infl, 0) / 10))) > 1e-9) AS score_mismatch,
	   count(*) FILTER (WHERE events(s.e) <> i.n OR last_seen(s.e) <> i.last OR first_seen(s.e) <> i.first) AS count_mismatch
FROM states s
JOIN (SELECT customer,
			 coalesce(sum(value * power(2, -extract(epoch FROM timestamptz '2026-06-01' - ts) / (30 * 86400))) FILTER (WHERE dim = 'involvement'), 0) AS inv,
			 coalesce(sum(value * power(2, -extract(epoch FROM timestamptz '2026-06-01' - ts) / (30 * 86400))) FILTER (WHERE dim = 'interaction'), 0) AS inter,
			 coalesce(sum(value * power(2, -extract(epoch FROM timestamptz '2026-06-01' - ts) / (30 * 86400))) FILTER (WHERE dim = 'intimacy'), 0) AS intim,
			 coalesce(sum(value * power(2, -extract(epoch FROM timestamptz '2026-06-01' - ts) / (30 * 86400))) FILTER (WHERE dim = 'influence'), 0) AS infl,
			 count(*) AS n, min(ts) AS first, max(ts) AS last
	  FROM events GROUP BY customer) i USING (customer);
-- explanations add up to the score
SELECT count(*) FILTER (WHERE abs(x.total - engagement_score(s.e, '2026-06-01')) > 1e-9) AS explain_mismatch
FROM states s, LATERAL (SELECT sum(contribution) AS total FROM engagement_explain(s.e, '2026-06-01')) x;

-- merge order does not matter: rollups of hash-split states equal the whole
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE abs(involvement(m.e, '2026-06-01') - involvement(s.e, '2026-06-01'))
						   > 1e-12 * greatest(1, abs(involvement(s.e, '2026-06-01')))
						   OR events(m.e) <> events(s.e)) AS merge_mismatch
FROM (SELECT customer, rollup(e) AS e
	  FROM (SELECT customer, engagement_agg(ts, dim, value, '30 days') AS e
			FROM events GROUP BY customer, abs(hashtext(ts::text)) % 3) h GROUP BY customer) m
JOIN states s USING (customer);

-- parallel
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT engagement_agg(ts, dim, value, '30 days') FROM events;
SELECT abs(influence(engagement_agg(ts, dim, value, '30 days'), '2026-06-01')
		   - (SELECT influence(rollup(e), '2026-06-01') FROM states)) < 1e-9 AS parallel_matches
FROM events;
RESET ALL;
SET timezone = 'UTC';
SET extra_float_digits = 0;

-- text and binary forms
SELECT bool_and(e::text::engagement::text = e::text) AS text_round_trip, count(*) FROM states;
SELECT '(v=1,half_life_usec=86400000000,first=2026-01-01T00:00:00Z,last=2026-01-02T00:00:00Z,involvement=1.5:2,interaction=0:0,intimacy=-0.25:1,influence=0:0)'::engagement;
SELECT '(v=2,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-01T00:00:00Z,involvement=0:0,interaction=0:0,intimacy=0:0,influence=0:0)'::engagement;
SELECT '(v=1,half_life_usec=0,first=2026-01-01T00:00:00Z,last=2026-01-01T00:00:00Z,involvement=0:0,interaction=0:0,intimacy=0:0,influence=0:0)'::engagement;
SELECT '(v=1,half_life_usec=1,first=2026-01-02T00:00:00Z,last=2026-01-01T00:00:00Z,involvement=0:0,interaction=0:0,intimacy=0:0,influence=0:0)'::engagement;
SELECT '(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-01T00:00:00Z,involvement=0:0,interaction=0:0,intimacy=2:1,influence=0:0)'::engagement;
SELECT '(v=1,half_life_usec=1,first=2026-01-01T00:00:00Z,last=2026-01-01T00:00:00Z,involvement=5:0,interaction=0:0,intimacy=0:0,influence=0:0)'::engagement;
\copy states TO 'results/engagement.bin' WITH (FORMAT binary)
CREATE TABLE states_copy (LIKE states);
\copy states_copy FROM 'results/engagement.bin' WITH (FORMAT binary)
SELECT count(*) FILTER (WHERE c.e::text <> s.e::text) AS binary_mismatch FROM states s JOIN states_copy c USING (customer);

--
-- RFM
--
-- by hand: purchases Jan 1 (10 and 5: one day, 15), Jan 5 (20), Jan 20 (40):
-- frequency 2, recency 19 days, age on Mar 1 59 days, monetary (20 + 40) / 2
SELECT r, frequency(r), recency(r), recency(r, '1 week') AS recency_weeks,
	   age(r, '2026-03-01'), round(age(r, '2026-03-01', '7 days')::numeric, 6) AS age_weeks, monetary(r)
FROM (SELECT rfm_agg(ts, amount) AS r
	  FROM (VALUES (timestamptz '2026-01-01 10:00', 10.0), ('2026-01-01 12:00', 5.0),
				   ('2026-01-05 00:00', 20.0), ('2026-01-20 00:00', 40.0)) v(ts, amount)) s;
-- one purchase: no repeats, monetary 0 (as in lifetimes); NULLs skipped; no rows: NULL
SELECT frequency(r), recency(r), monetary(r)
FROM (SELECT rfm_agg(ts, amount) AS r
	  FROM (VALUES (timestamptz '2026-01-01', 10.0), (NULL, 5.0), ('2026-01-03', NULL)) v(ts, amount)) s;
SELECT rfm_agg(ts, 1) IS NULL AS no_rows FROM ev WHERE false;
SELECT age(rfm_agg(ts, 1), '2025-12-31') FROM ev;
SELECT recency(rfm_agg(ts, 1), '0 days') FROM ev;
SELECT rfm_agg(ts, 'Infinity') FROM ev;
-- agreement with plain SQL on generated orders (UTC days)
CREATE TABLE orders AS
	SELECT c AS customer,
		   timestamptz '2025-01-01' + (abs(hashint4(c * 100 + k)) % 600000) * interval '1 minute' AS ts,
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
	   count(*) FILTER (WHERE frequency(r) <> i.frequency OR recency(r) <> i.recency
						   OR age(r, '2026-03-01') <> i.age
						   OR abs(monetary(r) - i.monetary) > 1e-9) AS mismatch,
	   sum(frequency(r)) AS repeat_days
FROM (SELECT customer, rfm_agg(ts, amount) AS r FROM orders GROUP BY customer) o JOIN idiom i USING (customer);
-- rollup and text round trip (a day's amounts split between states are
-- added in another order: equal up to rounding)
SELECT count(*) FILTER (WHERE frequency(m.r) <> frequency(o.r) OR recency(m.r) <> recency(o.r)
						   OR abs(monetary(m.r) - monetary(o.r)) > 1e-9) AS rollup_mismatch,
	   count(*) FILTER (WHERE o.r::text::rfm::text <> o.r::text) AS text_mismatch
FROM (SELECT customer, rollup(r) AS r FROM (SELECT customer, rfm_agg(ts, amount) AS r FROM orders GROUP BY customer, abs(hashtext(ts::text)) % 2) h GROUP BY 1) m
JOIN (SELECT customer, rfm_agg(ts, amount) AS r FROM orders GROUP BY customer) o USING (customer);
SELECT '(v=1,days=[2026-01-05T00:00:00Z 12.5,2026-02-01T00:00:00Z 30])'::rfm;
SELECT '(v=1,days=[2026-01-05T10:00:00Z 12.5])'::rfm;
SELECT '(v=1,days=[2026-02-01T00:00:00Z 1,2026-01-05T00:00:00Z 2])'::rfm;
SELECT '(v=1,days=[])'::rfm;

DROP TABLE ev, events, states, states_copy, orders;
