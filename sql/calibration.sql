--
-- Calibration and holdout: calibration_holdout (lifetimes'
-- calibration_and_holdout_data as an aggregate), holdout_by_frequency,
-- frequency_histogram and frequency_recency_matrix.
--
-- Checks: a small purchase table worked by hand (same-day purchases, ties,
-- a purchase on the day of the cut-off, customers entirely after it, NULLs,
-- refunds, purchases after the observation end), agreement with a plain-SQL
-- GROUP BY ... FILTER formulation of lifetimes' definitions on generated
-- purchases at three period lengths, with rfm_agg on the calibration
-- purchases, parallel plans, and every error.  The chart tables against
-- hand values (closed forms of the BG/NBD at r = 2, alpha = 3, a = b = 1.5,
-- as in sql/predict.sql) and plain SQL over expected_purchases, p_alive and
-- purchase_probability.  The CDNOW split of lifetimes' documentation is in
-- test/t/013_cdnow_holdout.pl (it needs ../shared/data).
--
SET extra_float_digits = 0;

-- uniform numbers in (0, 1) from a hash, the same on every run
CREATE FUNCTION pg_temp.u(i bigint, k int) RETURNS double precision
	LANGUAGE sql IMMUTABLE AS
$$ SELECT ((hashint8extended(i * 1000 + k, 11) % 1000000007 + 1000000007) % 1000000007 + 0.5) / 1000000007 $$;

--
-- By hand: calibration ends on 2026-01-10 (its UTC day is the last
-- calibration day), observation on 2026-01-15 (holdout days 11..15,
-- duration 5 days)
--
CREATE TABLE tx (customer int, ts timestamptz, amount double precision);
INSERT INTO tx VALUES
	-- 1: days 1 (10 + 5, one period), 5 (20), 10 at 23:59 (30: the day of the
	-- cut-off is calibration); holdout day 12 twice (7, 9), day 16 after the
	-- observation end (ignored): frequency 2, recency 9, age 9,
	-- monetary (20 + 30) / 2 = 25; holdout 1 period, mean of the purchases
	-- (7 + 9) / 2 = 8
	(1, '2026-01-01 10:00+00', 10), (1, '2026-01-01 12:00+00', 5),
	(1, '2026-01-05 00:00+00', 20), (1, '2026-01-10 23:59+00', 30),
	(1, '2026-01-12 08:00+00', 7), (1, '2026-01-12 09:00+00', 9),
	(1, '2026-01-16 00:00+00', 100),
	-- 2: first purchase after the cut-off: not in the calibration sample
	(2, '2026-01-11 00:00+00', 1), (2, '2026-01-12 00:00+00', 2),
	-- 3: one purchase: frequency 0, recency 0, age 1, monetary 0, no holdout
	(3, '2026-01-09 00:00+00', 3),
	-- 4: NULL rows skipped; a refund on a repeat day: days 2 (4), 3 (6 - 2),
	-- 4 (6): frequency 2, recency 2, age 8, monetary (4 + 6) / 2 = 5;
	-- holdout days 11, 13, 15 (15 at 23:00 is still in the period of the
	-- observation end), mean (1 + 2 + 3) / 3 = 2
	(4, '2026-01-02 00:00+00', 4), (4, '2026-01-03 00:00+00', 6),
	(4, '2026-01-03 05:00+00', -2), (4, '2026-01-04 00:00+00', 6),
	(4, NULL, 50), (4, '2026-01-05 00:00+00', NULL),
	(4, '2026-01-11 00:00+00', 1), (4, '2026-01-13 00:00+00', 2),
	(4, '2026-01-15 23:00+00', 3),
	-- 5: only NULL rows: no result
	(5, NULL, 1), (5, '2026-01-02 00:00+00', NULL),
	-- 6: only purchases after the observation end
	(6, '2026-01-20 00:00+00', 5);

SELECT customer, (calibration_holdout(ts, amount, '2026-01-10 00:00+00', '2026-01-15 00:00+00')).*
FROM tx GROUP BY customer ORDER BY customer;
SELECT q.customer, q.c = q.by_hand AS agrees
FROM (SELECT customer, calibration_holdout(ts, amount, '2026-01-10 00:00+00', '2026-01-15 00:00+00') AS c,
			 CASE customer WHEN 1 THEN ROW(2, 9, 9, 25, 1, 8, 5)::calibration_holdout
						   WHEN 3 THEN ROW(0, 0, 1, 0, 0, 0, 5)::calibration_holdout
						   WHEN 4 THEN ROW(2, 2, 8, 5, 3, 2, 5)::calibration_holdout END AS by_hand
	  FROM tx GROUP BY customer) q
ORDER BY q.customer;

-- the same in weeks from Monday (2026-01-05 is a Monday): customer 1 buys in
-- the week of 2025-12-29 and that of 2026-01-05 (20 + 30): frequency 1,
-- recency 1, age 1 (the cut-off's week is that of 2026-01-05), monetary 50;
-- holdout: the week of 2026-01-12 (7, 9, and 100 on the 16th, which is in
-- the observation end's week), mean (7 + 9 + 100) / 3; duration 1 week
SELECT customer, (calibration_holdout(ts, amount, '2026-01-10 00:00+00', '2026-01-15 00:00+00', '7 days')).*
FROM tx WHERE customer IN (1, 4) GROUP BY customer ORDER BY customer;

-- whole-table forms: one row, empty input, NULL rows only, the cut-off's
-- period itself (a purchase at the last microsecond of the calibration day)
SELECT (calibration_holdout(ts, amount, '2026-01-10 00:00+00', '2026-01-15 00:00+00')).*
FROM tx WHERE customer = 3;
SELECT calibration_holdout(ts, amount, '2026-01-10 00:00+00', '2026-01-15 00:00+00') IS NULL AS empty_is_null
FROM tx WHERE false;
SELECT calibration_holdout(ts, amount, '2026-01-10 00:00+00', '2026-01-15 00:00+00') IS NULL AS null_rows_only
FROM tx WHERE customer = 5;
SELECT calibration_holdout(ts, amount, '2026-01-10 00:00+00', '2026-01-15 00:00+00') IS NULL AS after_observation_only
FROM tx WHERE customer = 6;
SELECT (calibration_holdout(ts, 1, '2026-01-10 12:00+00', '2026-01-11 00:00+00')).*
FROM (VALUES (timestamptz '2026-01-01 00:00+00'), ('2026-01-10 23:59:59.999999+00'), ('2026-01-11 00:00+00')) v(ts);
-- the parameters are checked only on rows that are not skipped
SELECT calibration_holdout(ts, amount, NULL, NULL) IS NULL AS skipped_rows_unchecked
FROM tx WHERE customer = 5;

--
-- Against plain SQL: lifetimes' definitions as GROUP BY ... FILTER over
-- periods numbered from Monday 2000-01-03 00:00 UTC, on 4,400 generated
-- purchases of 300 customers (same-day repeats, refunds, NULLs, customers
-- 271..300 starting after the first cut-off).  Amounts are multiples of
-- 0.25, so every sum is exact and the comparison is exact.
--
CREATE TABLE gen AS
SELECT c AS customer,
	   CASE WHEN i % 97 = 0 THEN NULL
			ELSE (CASE WHEN c > 270 THEN timestamptz '2026-07-15 00:00+00' ELSE timestamptz '2026-01-01 00:00+00' END)
				 + floor(pg_temp.u(i, 1) * (CASE WHEN c > 270 THEN 160 ELSE 360 END) * 4) * interval '6 hours'
				 + CASE WHEN i % 5 = 0 THEN interval '0' ELSE floor(pg_temp.u(i, 2) * 21600) * interval '1 second' END
	   END AS ts,
	   CASE WHEN i % 89 = 0 THEN NULL ELSE (floor(pg_temp.u(i, 3) * 400) - 20) / 4.0 END::float8 AS amount
FROM generate_series(1, 4000) i, LATERAL (SELECT 1 + (i % 300)::int AS c) k;
-- same-day repeats: a tenth of the purchases again an hour later
INSERT INTO gen SELECT customer, ts + interval '1 hour', amount + 1 FROM gen WHERE ts IS NOT NULL AND customer % 10 = 0;
SELECT count(*) AS purchases, count(DISTINCT customer) AS customers FROM gen;

CREATE FUNCTION pg_temp.plain_split(cal timestamptz, obs timestamptz, period interval)
	RETURNS TABLE (customer int, frequency_cal bigint, recency_cal float8, age_cal float8,
				   monetary_cal float8, frequency_holdout bigint, monetary_holdout float8,
				   duration_holdout float8)
	LANGUAGE sql AS
$$
WITH k AS (
	SELECT floor(extract(epoch FROM cal - timestamptz '2000-01-03 00:00+00') / extract(epoch FROM period)) AS cp,
		   floor(extract(epoch FROM obs - timestamptz '2000-01-03 00:00+00') / extract(epoch FROM period)) AS op
), rows AS (
	SELECT g.customer, floor(extract(epoch FROM g.ts - timestamptz '2000-01-03 00:00+00') / extract(epoch FROM period)) AS p,
		   g.amount
	FROM gen g WHERE g.ts IS NOT NULL AND g.amount IS NOT NULL
), periods AS (
	SELECT r.customer, r.p, sum(r.amount) AS amount, min(r.p) OVER (PARTITION BY r.customer) AS first
	FROM rows r, k WHERE r.p <= k.op GROUP BY r.customer, r.p
), per_customer AS (
	SELECT customer,
		   count(*) FILTER (WHERE p <= cp) - 1 AS frequency_cal,
		   (max(p) FILTER (WHERE p <= cp) - min(p))::float8 AS recency_cal,
		   (min(cp) - min(p))::float8 AS age_cal,
		   coalesce(avg(amount) FILTER (WHERE p <= cp AND p > first), 0) AS monetary_cal,
		   count(*) FILTER (WHERE p > cp) AS frequency_holdout,
		   (min(op) - min(cp))::float8 AS duration_holdout
	FROM periods, k GROUP BY customer
	HAVING min(p) <= min(cp)
), holdout_amounts AS (
	SELECT r.customer, avg(r.amount) AS monetary_holdout
	FROM rows r, k WHERE r.p > k.cp AND r.p <= k.op GROUP BY r.customer
)
SELECT c.customer, c.frequency_cal, c.recency_cal, c.age_cal, c.monetary_cal, c.frequency_holdout,
	   coalesce(h.monetary_holdout, 0), c.duration_holdout
FROM per_customer c LEFT JOIN holdout_amounts h USING (customer)
$$;

CREATE FUNCTION pg_temp.ours(cal timestamptz, obs timestamptz, period interval)
	RETURNS TABLE (customer int, c calibration_holdout)
	LANGUAGE sql AS
$$ SELECT customer, calibration_holdout(ts, amount, cal, obs, period) FROM gen GROUP BY customer $$;

SELECT s.period, count(*) AS customers, count(*) FILTER (WHERE o.c IS NULL) AS excluded,
	   count(*) FILTER (WHERE o.c IS NOT NULL AND p.customer IS NULL) AS only_ours,
	   count(*) FILTER (WHERE (ROW((o.c).*) IS DISTINCT FROM ROW(p.frequency_cal, p.recency_cal, p.age_cal, p.monetary_cal,
																 p.frequency_holdout, p.monetary_holdout, p.duration_holdout))
						AND NOT (o.c IS NULL AND p.customer IS NULL)) AS mismatches,
	   sum((o.c).frequency_holdout) AS holdout_periods, max((o.c).duration_holdout) AS duration
FROM (VALUES ('2026-06-30 00:00+00'::timestamptz, '2026-12-31 00:00+00'::timestamptz, '1 day'::interval),
			 ('2026-06-30 15:00+00', '2026-12-31 00:00+00', '7 days'),
			 ('2026-03-31 00:00+00', '2026-05-01 12:00+00', '6 hours')) s(cal, obs, period),
	 LATERAL (SELECT * FROM pg_temp.ours(s.cal, s.obs, s.period)) o
	 LEFT JOIN LATERAL (SELECT * FROM pg_temp.plain_split(s.cal, s.obs, s.period)) p USING (customer)
GROUP BY s.period ORDER BY s.period;
-- and nothing in plain SQL is missing from ours
SELECT count(*) AS plain_customers_without_ours
FROM pg_temp.plain_split('2026-06-30 00:00+00', '2026-12-31 00:00+00', '1 day') p
WHERE NOT EXISTS (SELECT FROM pg_temp.ours('2026-06-30 00:00+00', '2026-12-31 00:00+00', '1 day') o
				  WHERE o.customer = p.customer AND o.c IS NOT NULL);

-- with daily periods the calibration columns are rfm_agg's over the
-- calibration purchases (age at the cut-off's day)
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE (frequency(r), recency(r), age(r, '2026-06-30 00:00+00', '1 day'), monetary(r))
						IS DISTINCT FROM ((c).frequency_cal, (c).recency_cal, (c).age_cal, (c).monetary_cal)) AS mismatches
FROM (SELECT customer, rfm_agg(ts, amount) FILTER (WHERE ts < '2026-07-01 00:00+00') AS r,
			 calibration_holdout(ts, amount, '2026-06-30 00:00+00', '2026-12-31 00:00+00') AS c
	  FROM gen GROUP BY customer) s
WHERE c IS NOT NULL;

-- input order does not matter, parallel plans equal serial ones
SELECT count(*) FILTER (WHERE a.c IS DISTINCT FROM b.c) AS order_mismatches
FROM (SELECT customer, calibration_holdout(ts, amount, '2026-06-30 00:00+00', '2026-12-31 00:00+00') AS c FROM gen GROUP BY customer) a
JOIN (SELECT customer, calibration_holdout(ts, amount, '2026-06-30 00:00+00', '2026-12-31 00:00+00' ORDER BY amount DESC, ts) AS c
	  FROM gen GROUP BY customer) b USING (customer);
CREATE TABLE serial_split AS SELECT * FROM pg_temp.ours('2026-06-30 15:00+00', '2026-12-31 00:00+00', '7 days');
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT calibration_holdout(ts, amount, '2026-06-30 15:00+00', '2026-12-31 00:00+00', '7 days') FROM gen;
SELECT calibration_holdout(ts, amount, '2026-06-30 15:00+00', '2026-12-31 00:00+00', '7 days') =
	   (SELECT calibration_holdout(ts, amount, '2026-06-30 15:00+00', '2026-12-31 00:00+00', '7 days' ORDER BY ts) FROM gen)
	   AS parallel_equals_serial
FROM gen;
SELECT count(*) FILTER (WHERE p.c IS DISTINCT FROM s.c) AS parallel_mismatches, count(*) AS customers
FROM (SELECT customer, calibration_holdout(ts, amount, '2026-06-30 15:00+00', '2026-12-31 00:00+00', '7 days') AS c
	  FROM gen GROUP BY customer) p JOIN serial_split s USING (customer);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
RESET enable_hashagg;

-- as a moving window aggregate (the final function runs on a growing state)
SELECT ts, (calibration_holdout(ts, amount, '2026-01-10 00:00+00', '2026-01-15 00:00+00') OVER (ORDER BY ts)).frequency_cal,
	   (calibration_holdout(ts, amount, '2026-01-10 00:00+00', '2026-01-15 00:00+00') OVER (ORDER BY ts)).frequency_holdout
FROM tx WHERE customer = 1 ORDER BY ts;

--
-- Errors
--
-- the holdout must end in a later period than the calibration
SELECT calibration_holdout(ts, amount, '2026-01-10 00:00+00', '2026-01-09 00:00+00') FROM tx;
SELECT calibration_holdout(ts, amount, '2026-01-10 00:00+00', '2026-01-10 23:00+00') FROM tx;
SELECT calibration_holdout(ts, amount, '2026-01-05 00:00+00', '2026-01-11 00:00+00', '7 days') FROM tx;
SELECT calibration_holdout(ts, amount, NULL, '2026-01-15 00:00+00') FROM tx;
SELECT calibration_holdout(ts, amount, '2026-01-10 00:00+00', '2026-01-15 00:00+00', NULL) FROM tx;
SELECT calibration_holdout(ts, amount, '2026-01-10 00:00+00', '2026-01-15 00:00+00', '0 days') FROM tx;
SELECT calibration_holdout(ts, amount, '2026-01-10 00:00+00', '2026-01-15 00:00+00', '-1 hour') FROM tx;
SELECT calibration_holdout(ts, amount, '2026-01-10 00:00+00', 'infinity') FROM tx;
SELECT calibration_holdout(ts, amount, '-infinity', '2026-01-15 00:00+00') FROM tx;
SELECT calibration_holdout(ts, 'Infinity', '2026-01-10 00:00+00', '2026-01-15 00:00+00') FROM tx;
SELECT calibration_holdout('infinity', amount, '2026-01-10 00:00+00', '2026-01-15 00:00+00') FROM tx;
-- parameters must be the same on every row of a group
SELECT calibration_holdout(ts, amount, timestamptz '2026-01-10 00:00+00' + customer * interval '1 hour', '2026-01-15 00:00+00') FROM tx;
-- a period too long for an interval length in microseconds
SELECT calibration_holdout(ts, amount, '2026-01-10 00:00+00', '2026-01-15 00:00+00', '178000000 years') FROM tx;
-- a sum that leaves the range of doubles
SELECT calibration_holdout(ts, 1e308, '2026-01-10 00:00+00', '2026-01-15 00:00+00')
FROM (VALUES (timestamptz '2026-01-01 00:00+00'), ('2026-01-02 00:00+00'), ('2026-01-02 01:00+00')) v(ts);

--
-- holdout_by_frequency: at r = 2, alpha = 3, a = b = 1.5 a customer without
-- repeats of age 3 expects 4 (1 - sqrt(6 / 24)) = 2 purchases in the next 18
-- (sql/predict.sql); two such customers with 1 and 4 holdout purchases:
-- actual mean 2.5, predicted 2
--
SELECT u.*, (u.actual = 2.5 AND abs(u.predicted - 2) <= 1e-12) IS TRUE AS agrees
FROM unnest((SELECT holdout_by_frequency(bgnbd(2, 3, 1.5, 1.5), x, tx, t, h, d)
			 FROM (VALUES (0, 0, 3, 1, 18), (0, 0, 3, 4, 18)) v(x, tx, t, h, d))) u;

-- against plain SQL on the generated split
CREATE TABLE split AS
SELECT customer, (c).* FROM pg_temp.ours('2026-06-30 00:00+00', '2026-12-31 00:00+00', '1 day') WHERE c IS NOT NULL;
-- (a given model in days: uniform purchase times do not identify a fit)
CREATE TABLE model AS SELECT bgnbd(0.5, 10, 0.7, 2.5) AS m;
SELECT k AS max_frequency, count(*) AS buckets,
	   sum(u.customers) AS customers,
	   count(*) FILTER (WHERE (u.customers, u.actual) IS DISTINCT FROM (p.customers, p.actual)
						OR (abs(u.predicted - p.predicted) <= 1e-12 * p.predicted) IS NOT TRUE) AS mismatches
FROM generate_series(0, 9) k,
	 LATERAL unnest((SELECT holdout_by_frequency(m, frequency_cal, recency_cal, age_cal, frequency_holdout, duration_holdout, k)
					 FROM split, model)) u
	 FULL JOIN LATERAL (SELECT least(frequency_cal, k) AS frequency_cal, count(*) AS customers,
							   avg(frequency_holdout::float8) AS actual,
							   avg(expected_purchases(m, duration_holdout, frequency_cal, recency_cal, age_cal)) AS predicted
						FROM split, model GROUP BY 1) p USING (frequency_cal)
GROUP BY k ORDER BY k;
-- default max_frequency 7; NULL rows are skipped; empty input is NULL
SELECT (SELECT holdout_by_frequency(m, frequency_cal, recency_cal, age_cal, frequency_holdout, duration_holdout) FROM split, model)::text =
	   (SELECT holdout_by_frequency(m, frequency_cal, recency_cal, age_cal, frequency_holdout, duration_holdout, 7) FROM split, model)::text
	   AS default_is_7,
	   (SELECT holdout_by_frequency(m, x, 1, 2, 3, 4) FROM model, (VALUES (NULL::float8)) v(x)) IS NULL AS null_rows_skipped,
	   (SELECT holdout_by_frequency(m, 1, 1, 2, 3, 4) FROM model WHERE false) IS NULL AS empty_is_null;
SELECT array_length(holdout_by_frequency(m, frequency_cal, recency_cal, age_cal, frequency_holdout, duration_holdout), 1) AS buckets,
	   (holdout_by_frequency(m, frequency_cal, recency_cal, age_cal, frequency_holdout, duration_holdout))[1].frequency_cal AS first
FROM split, model;

--
-- frequency_histogram: P(X(6) = 0) = 1/9, P(X(6) = 1) = 0.5 * 2 * (1/9) * (2/3)
-- + 0.5 * (8/9) = 14/27 at the same model (sql/predict.sql), the rest
-- 1 - 1/9 - 14/27 = 10/27; two customers of age 6 with 0 and 5 repeats
--
SELECT u.*, round(u.expected::numeric, 12) = round((CASE u.frequency WHEN 0 THEN 2 / 9.0 WHEN 1 THEN 28 / 27.0 ELSE 20 / 27.0 END)::numeric, 12) AS agrees
FROM unnest((SELECT frequency_histogram(bgnbd(2, 3, 1.5, 1.5), x, t, 2)
			 FROM (VALUES (0, 6), (5, 6)) v(x, t))) u;
-- against plain SQL: the sum over the customers of purchase_probability;
-- the expected counts add up to the number of customers
SELECT count(*) AS buckets, sum(u.customers) AS customers,
	   round(sum(u.expected)::numeric, 9) AS expected_total,
	   count(*) FILTER (WHERE u.customers IS DISTINCT FROM p.customers
						OR (abs(u.expected - p.expected) <= 1e-9) IS NOT TRUE) AS mismatches
FROM unnest((SELECT frequency_histogram(m, frequency_cal, age_cal) FROM split, model)) u
FULL JOIN (SELECT x AS frequency,
				  (SELECT count(*) FROM split WHERE least(frequency_cal, 7) = x) AS customers,
				  CASE WHEN x < 7 THEN (SELECT sum(purchase_probability(m, age_cal, x)) FROM split, model)
					   ELSE (SELECT sum(1 - (SELECT sum(purchase_probability(m, age_cal, j)) FROM generate_series(0, 6) j)) FROM split, model)
				  END AS expected
		   FROM generate_series(0, 7) x) p USING (frequency);
SELECT (SELECT frequency_histogram(m, x, 5) FROM model, (VALUES (NULL::float8)) v(x)) IS NULL AS null_rows_skipped,
	   (SELECT frequency_histogram(m, 1, 5) FROM model WHERE false) IS NULL AS empty_is_null,
	   (SELECT frequency_histogram(m, x, 5, 0) FROM model, (VALUES (0), (3)) v(x))::text AS one_bucket;

-- parallel plans equal serial ones (to rounding: the sums run in another order)
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
CREATE TABLE split_p AS SELECT * FROM split;
CREATE TABLE par AS
SELECT (SELECT holdout_by_frequency(bgnbd(0.5, 10, 0.7, 2.5), frequency_cal, recency_cal, age_cal, frequency_holdout, duration_holdout) FROM split_p) AS h,
	   (SELECT frequency_histogram(bgnbd(0.5, 10, 0.7, 2.5), frequency_cal, age_cal) FROM split_p) AS f;
EXPLAIN (COSTS OFF)
SELECT frequency_histogram(bgnbd(0.5, 10, 0.7, 2.5), frequency_cal, age_cal) FROM split_p;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
SELECT count(*) FILTER (WHERE (a.customers, round(a.actual::numeric, 9), round(a.predicted::numeric, 9))
						IS DISTINCT FROM (b.customers, round(b.actual::numeric, 9), round(b.predicted::numeric, 9))) AS holdout_mismatches
FROM par, unnest(h) WITH ORDINALITY a(frequency_cal, customers, actual, predicted, i)
FULL JOIN unnest((SELECT holdout_by_frequency(m, frequency_cal, recency_cal, age_cal, frequency_holdout, duration_holdout) FROM split, model))
		  WITH ORDINALITY b(frequency_cal, customers, actual, predicted, i) USING (i);
SELECT count(*) FILTER (WHERE (a.customers, round(a.expected::numeric, 9)) IS DISTINCT FROM (b.customers, round(b.expected::numeric, 9))) AS histogram_mismatches
FROM par, unnest(f) WITH ORDINALITY a(frequency, customers, expected, i)
FULL JOIN unnest((SELECT frequency_histogram(m, frequency_cal, age_cal) FROM split, model))
		  WITH ORDINALITY b(frequency, customers, expected, i) USING (i);

-- errors
SELECT holdout_by_frequency(bgnbd(2, 3, 1.5, 1.5), 1, 5, 3, 1, 2) AS recency_over_age;
SELECT holdout_by_frequency(bgnbd(2, 3, 1.5, 1.5), 1, 1, 3, -1, 2) AS negative_holdout;
SELECT holdout_by_frequency(bgnbd(2, 3, 1.5, 1.5), 1, 1, 3, 1, -2) AS negative_duration;
SELECT holdout_by_frequency(bgnbd(2, 3, 1.5, 1.5), 1, 1, 3, 1, 2, -1) AS negative_max;
SELECT holdout_by_frequency(bgnbd(2, 3, 1.5, 1.5), 1, 1, 3, 1, 2, 1001) AS max_too_large;
SELECT holdout_by_frequency(NULL, 1, 1, 3, 1, 2) AS null_model;
SELECT holdout_by_frequency(bgnbd(2, 3, 1.5, 1.5 + x), 1, 1, 3, 1, 2) FROM generate_series(0, 1) x;
SELECT holdout_by_frequency(bgnbd(2, 3, 1.5, 1.5), 1, 1, 3, 1, 2, x) FROM generate_series(3, 4) x;
SELECT frequency_histogram(bgnbd(2, 3, 1.5, 1.5), 1.5, 3) AS fractional_frequency;
SELECT frequency_histogram(bgnbd(2, 3, 1.5, 1.5), 1, 'NaN') AS nan_age;
SELECT frequency_histogram(bgnbd(2, 3, 1.5, 1.5), 1, 3, NULL) AS null_max;

--
-- frequency_recency_matrix: each cell is expected_purchases and p_alive of
-- (frequency, recency, age); NULL where no customer can be (frequency 0 with
-- recency > 0, or frequency > 0 with recency 0); recency 0..floor(age)
--
SELECT * FROM frequency_recency_matrix(bgnbd(2, 3, 1.5, 1.5), 3.5, 2, 18) ORDER BY frequency, recency;
-- the cell (0, 0) of age 3 over 18 is 2 (by hand, above); (2, 2) of age 3:
-- p_alive = 1 / (1 + 1.5 / 2.5 * (6 / 5)^4) (sql/predict.sql's formula)
SELECT (SELECT abs(expected_purchases - 2) <= 1e-12 FROM frequency_recency_matrix(bgnbd(2, 3, 1.5, 1.5), 3, 2, 18) WHERE frequency = 0 AND recency = 0) AS cell_0_0,
	   (SELECT round(p_alive::numeric, 12) = round((1 / (1 + 1.5 / 2.5 * (6 / 5.0) ^ 4))::numeric, 12)
		FROM frequency_recency_matrix(bgnbd(2, 3, 1.5, 1.5), 3, 2) WHERE frequency = 2 AND recency = 2) AS cell_2_2;
-- against plain SQL over the model above: 26 x 27 cells at age 26.5, t = 13
SELECT count(*) AS cells, count(*) FILTER (WHERE f.expected_purchases IS NULL) AS null_cells,
	   count(*) FILTER (WHERE (f.expected_purchases, f.p_alive) IS DISTINCT FROM (p.e, p.a)) AS mismatches
FROM model, frequency_recency_matrix(m, 26.5, 25, 13) f
FULL JOIN (SELECT x AS frequency, r AS recency,
				  CASE WHEN (x = 0) = (r = 0) THEN expected_purchases(m, 13, x, r, 26.5) END AS e,
				  CASE WHEN (x = 0) = (r = 0) THEN p_alive(m, x, r, 26.5) END AS a
		   FROM model, generate_series(0, 25) x, generate_series(0, 26) r) p USING (frequency, recency);
SELECT count(*) AS cells FROM frequency_recency_matrix(bgnbd(2, 3, 1.5, 1.5), 0.5, 0);
SELECT count(*) AS strict FROM frequency_recency_matrix(NULL, 1, 1);
SELECT * FROM frequency_recency_matrix(bgnbd(2, 3, 1.5, 1.5), -1, 2);
SELECT * FROM frequency_recency_matrix(bgnbd(2, 3, 1.5, 1.5), 'Infinity', 2);
SELECT * FROM frequency_recency_matrix(bgnbd(2, 3, 1.5, 1.5), 3, -1);
SELECT * FROM frequency_recency_matrix(bgnbd(2, 3, 1.5, 1.5), 999, 100);
SELECT * FROM frequency_recency_matrix(bgnbd(2, 3, 1.5, 1.5), 3, 2, -1);


DROP TABLE tx, gen, serial_split, split, model, split_p, par;
