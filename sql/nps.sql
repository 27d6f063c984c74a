--
-- Net Promoter Score: nps(), nps_agg(), nps_summary, accessors, rollup, windows.
--
-- Expected values come from docs/formulas.md §1 (worked examples N1..N7 in §1.5,
-- computed by hand from the published formulas of brendan-r/NPS R/nps.R and
-- Kish's effective sample size), or from the plain-SQL FILTER idiom over the
-- same rows.
--
SET extra_float_digits = 0;

-- the trinomial variance on the -1..1 scale, recovered from std_error
CREATE FUNCTION unit_var(a nps_summary) RETURNS double precision
	LANGUAGE sql IMMUTABLE
	AS $$ SELECT power(std_error(a) / 100, 2) * effective_responses(a) $$;

-- a 0..10 score table from a list of (score, count)
CREATE FUNCTION scores(VARIADIC pairs integer[])
	RETURNS TABLE (score integer)
	LANGUAGE sql IMMUTABLE
	AS $$
		SELECT pairs[2 * i - 1]
		FROM generate_subscripts(pairs, 1) AS i,
			 generate_series(1, pairs[2 * i])
		WHERE i <= array_length(pairs, 1) / 2
	$$;

--
-- Worked examples
--

-- N1: p_P = 1/2, p_0 = 1/3, p_D = 1/6 -> NPS 1/3, variance 5/9
SELECT q.*, (q.nps_points = round(100 / 3.0, 6) AND q.variance = round(5 / 9.0, 7)) IS TRUE AS agrees
FROM (SELECT round(nps(score)::numeric, 6) AS nps_points,
		   round(unit_var(nps_agg(score))::numeric, 7) AS variance
	FROM scores(10, 3, 8, 2, 0, 1)) q;

-- N2/N3: n = 1000, 250 promoters, 75 detractors
-- NPS 17.5; Var 0.294375; SE 0.0171574; MOE95 0.033628; CI (0.14137, 0.20863)
SELECT q.*, (q.nps = 17.5 AND q.variance = round(0.25 + 0.075 - 0.175 ^ 2, 6) AND q.stderr = round(100 * sqrt(0.294375 / 1000), 5)
		 AND q.margin95 = round(1.959963985 * 100 * sqrt(0.294375 / 1000), 4) AND q.lower95 = round(17.5 - 1.959963985 * 100 * sqrt(0.294375 / 1000), 3)
		 AND q.upper95 = round(17.5 + 1.959963985 * 100 * sqrt(0.294375 / 1000), 3) AND q.promoters = 250 AND q.passives = 675
		 AND q.detractors = 75 AND q.responses = 1000 AND q.effective_responses = 1000) IS TRUE AS agrees
FROM (SELECT round(nps(a)::numeric, 6) AS nps,
		   round(unit_var(a)::numeric, 6) AS variance,
		   round(std_error(a)::numeric, 5) AS stderr,
		   round(margin_of_error(a)::numeric, 4) AS margin95,
		   round(lower_bound(a)::numeric, 3) AS lower95,
		   round(upper_bound(a)::numeric, 3) AS upper95,
		   promoters(a), passives(a), detractors(a), responses(a),
		   effective_responses(a)
	FROM (SELECT nps_agg(score) AS a FROM scores(9, 250, 7, 675, 6, 75)) s) q;

-- other confidence levels: z(0.90) = 1.6448536, z(0.99) = 2.5758293
SELECT q.*, (q.z90 = 1.6448536 AND q.z99 = 2.5758293 AND q.z95 = 1.9599640) IS TRUE AS agrees
FROM (SELECT round((margin_of_error(a, 0.90) / std_error(a))::numeric, 7) AS z90,
		   round((margin_of_error(a, 0.99) / std_error(a))::numeric, 7) AS z99,
		   round((margin_of_error(a, 0.95) / std_error(a))::numeric, 7) AS z95
	FROM (SELECT nps_agg(score) AS a FROM scores(9, 250, 7, 675, 6, 75)) s) q;

-- N5: n = 11, 9 promoters, 2 detractors: Wald CI (0.1805, 1.0922) clamped to 100
SELECT q.*, (q.nps = round(700 / 11.0, 4) AND q.variance = round(72 / 121.0, 6) AND q.stderr = round(100 * sqrt(72 / 121.0 / 11), 4)
		 AND q.lower95 = round(700 / 11.0 - 1.959963985 * 100 * sqrt(72 / 121.0 / 11), 2) AND q.upper95_clamped = 100
		 AND q.unclamped_upper = round(700 / 11.0 + 1.959963985 * 100 * sqrt(72 / 121.0 / 11), 2)) IS TRUE AS agrees
FROM (SELECT round(nps(a)::numeric, 4) AS nps,
		   round(unit_var(a)::numeric, 6) AS variance,
		   round(std_error(a)::numeric, 4) AS stderr,
		   round(lower_bound(a)::numeric, 2) AS lower95,
		   upper_bound(a) AS upper95_clamped,
		   round((nps(a) + margin_of_error(a))::numeric, 2) AS unclamped_upper
	FROM (SELECT nps_agg(score) AS a FROM scores(10, 9, 0, 2)) s) q;

-- N6: A = 250P/75D of 1000, B = 200P/100D of 800
-- NPS_B = 12.5, SE_diff = 0.0272689, z = 1.83359, p = 0.06671
SELECT q.*, (q.difference = 5 AND q.z = round(0.05 / sqrt(0.294375 / 1000 + 0.359375 / 800), 5) AND q.p_value = 0.06671) IS TRUE AS agrees
FROM (SELECT round(difference::numeric, 6) AS difference,
		   round(z::numeric, 5) AS z,
		   round(p_value::numeric, 5) AS p_value
	FROM nps_compare((SELECT nps_agg(score) FROM scores(9, 250, 7, 675, 6, 75)),
					 (SELECT nps_agg(score) FROM scores(9, 200, 7, 500, 6, 100)))) q;
-- swapping the surveys flips the sign, not the p-value
SELECT q.*, (q.difference = -5 AND q.z = -round(0.05 / sqrt(0.294375 / 1000 + 0.359375 / 800), 5) AND q.p_value = 0.06671) IS TRUE AS agrees
FROM (SELECT round(difference::numeric, 6) AS difference,
		   round(z::numeric, 5) AS z,
		   round(p_value::numeric, 5) AS p_value
	FROM nps_compare('(v=1,promoters=200,passives=500,detractors=100)',
					 '(v=1,promoters=250,passives=675,detractors=75)')) q;

-- N7: scores [10, 9, 7, 3], weights [1, 2, 1, 4]
-- NPS_w = -12.5, n_eff = 2.909091, Var = 0.859375, SE = 0.543516
SELECT q.*, (q.nps = -12.5 AND q.n_eff = round(64 / 22.0, 6) AND q.variance = round(0.375 + 0.5 - 0.125 ^ 2, 6)
		 AND q.stderr = round(100 * sqrt((0.375 + 0.5 - 0.125 ^ 2) * 22 / 64), 4)) IS TRUE AS agrees
FROM (SELECT a,
		   nps(a),
		   round(effective_responses(a)::numeric, 6) AS n_eff,
		   round(unit_var(a)::numeric, 6) AS variance,
		   round(std_error(a)::numeric, 4) AS stderr,
		   responses(a), promoters(a), passives(a), detractors(a)
	FROM (SELECT nps_agg(s, w) AS a
		  FROM (VALUES (10, 1.0), (9, 2.0), (7, 1.0), (3, 4.0)) v(s, w)) t) q;

--
-- Edge cases and NULL rules
--

-- NULL scores are skipped; all NULL or no rows give NULL
SELECT nps(s) AS with_null, nps_agg(s) AS state
FROM (VALUES (10), (NULL), (3), (NULL)) v(s);
SELECT nps(s) IS NULL AS all_null, nps_agg(s) IS NULL AS state_null
FROM (VALUES (NULL::integer), (NULL)) v(s);
SELECT nps(s) IS NULL AS empty, nps_agg(s) IS NULL AS state_empty,
	   nps_agg(s, 1.0) IS NULL AS weighted_empty
FROM (VALUES (1)) v(s) WHERE false;
SELECT rollup(a) IS NULL AS rollup_empty
FROM (VALUES (NULL::nps_summary)) v(a);

-- one row: NPS is exact, the standard error is zero, the interval a point
SELECT nps(a), std_error(a), margin_of_error(a), lower_bound(a), upper_bound(a)
FROM (SELECT nps_agg(9) AS a) s;
SELECT nps(0), nps(7), nps(10);

-- all passives: NPS 0 with no spread
SELECT nps(a), std_error(a), lower_bound(a), upper_bound(a)
FROM (SELECT nps_agg(score) AS a FROM scores(7, 5, 8, 5)) s;

-- all detractors: the interval is clamped at -100
SELECT nps(a), lower_bound(a), upper_bound(a)
FROM (SELECT nps_agg(score) AS a FROM scores(0, 3)) s;

-- category boundaries: 6 detractor, 7 and 8 passive, 9 promoter
SELECT s, nps_agg(s) FROM generate_series(0, 10) s GROUP BY s ORDER BY s;

-- weights: NULL weight skips the row, zero weight drops it, others count
SELECT nps_agg(s, w)
FROM (VALUES (10, 2.0), (3, NULL), (0, 0.0), (NULL, 5.0), (8, 0.5)) v(s, w);
-- all weights zero or NULL: no responses
SELECT nps_agg(s, w) IS NULL AS no_weight
FROM (VALUES (10, 0.0), (3, NULL)) v(s, w);
-- equal weights give the unweighted NPS and n_eff = n
SELECT nps(nps_agg(s, 3.5)) = nps(nps_agg(s)) AS same_nps,
	   effective_responses(nps_agg(s, 3.5)) AS n_eff,
	   round(std_error(nps_agg(s, 3.5))::numeric, 9) =
	   round(std_error(nps_agg(s))::numeric, 9) AS same_stderr
FROM scores(10, 4, 8, 3, 2, 2) t(s);

--
-- Errors
--
SELECT nps(s) FROM (VALUES (5), (11)) v(s);
SELECT nps(s) FROM (VALUES (-1)) v(s);
SELECT nps_agg(s) FROM (VALUES (2147483647)) v(s);
SELECT nps_agg(s, 1.0) FROM (VALUES (12)) v(s);
-- a bad score is an error even when its weight would drop the row
SELECT nps_agg(s, w) FROM (VALUES (12, NULL::float8)) v(s, w);
SELECT nps_agg(9, -1.0);
SELECT nps_agg(9, 'NaN');
SELECT nps_agg(9, 'Infinity');
SELECT nps_agg(9, 1e-200);
SELECT nps_agg(9, 1e200);
SELECT margin_of_error(nps_agg(9), 0);
SELECT lower_bound(nps_agg(9), 1);
SELECT upper_bound(nps_agg(9), 'NaN');
SELECT margin_of_error(nps_agg(9), -0.5);
-- support functions called directly compute a new value (see the end of the file)
SELECT nps_trans(NULL, 9);
-- counts that would overflow
SELECT '(v=1,promoters=9223372036854775807,passives=0,detractors=0)'::nps_summary
	 + '(v=1,promoters=1,passives=0,detractors=0)'::nps_summary;
SELECT '(v=1,promoters=9223372036854775807,passives=1,detractors=0)'::nps_summary;
SELECT rollup(a) FROM (VALUES
	('(v=1,promoters=4611686018427387904,passives=0,detractors=0)'::nps_summary),
	('(v=1,promoters=0,passives=4611686018427387904,detractors=0)'::nps_summary)) v(a);
-- the largest representable total is fine
SELECT responses(a), nps(a)
FROM (SELECT '(v=1,promoters=4611686018427387904,passives=0,detractors=4611686018427387903)'::nps_summary AS a) s;

--
-- Text input and output
--
SELECT '(v=1,promoters=250,passives=675,detractors=75)'::nps_summary;
SELECT ' ( v = 1 , promoters = 1 , passives = 2 , detractors = 3 ) '::nps_summary;
SELECT '(v=1,promoters=0,passives=0,detractors=0)'::nps_summary AS empty_state,
	   nps('(v=1,promoters=0,passives=0,detractors=0)'::nps_summary) AS empty_nps,
	   effective_responses('(v=1,promoters=0,passives=0,detractors=0)'::nps_summary);
-- weighted states round-trip bit for bit
CREATE TABLE w AS
	SELECT nps_agg(s % 11, 0.1 + (s % 7) / 3.0) AS a
	FROM generate_series(1, 1000) s;
SELECT a::text::nps_summary::text = a::text AS text_round_trip,
	   nps(a::text::nps_summary) = nps(a) AS same_nps,
	   std_error(a::text::nps_summary) = std_error(a) AS same_stderr
FROM w;
-- malformed text
SELECT ''::nps_summary;
SELECT '('::nps_summary;
SELECT '(v=1)'::nps_summary;
SELECT 'v=1,promoters=1,passives=2,detractors=3'::nps_summary;
SELECT '(v=2,promoters=1,passives=2,detractors=3)'::nps_summary;
SELECT '(v=1,passives=2,promoters=1,detractors=3)'::nps_summary;
SELECT '(v=1,promoters=1,passives=2,detractors=3'::nps_summary;
SELECT '(v=1,promoters=1,passives=2,detractors=3))'::nps_summary;
SELECT '(v=1,promoters=1,passives=2,detractors=3) x'::nps_summary;
SELECT '(v=1,promoters=-1,passives=2,detractors=3)'::nps_summary;
SELECT '(v=1,promoters=1.5,passives=2,detractors=3)'::nps_summary;
SELECT '(v=1,promoters=99999999999999999999,passives=2,detractors=3)'::nps_summary;
SELECT '(v=1,promotersx=1,passives=2,detractors=3)'::nps_summary;
SELECT '(v=1,promoters=1,passives=0,detractors=0,promoter_weight=1)'::nps_summary;
SELECT '(v=1,promoters=1,passives=0,detractors=0,promoter_weight=nan,passive_weight=0,detractor_weight=0,weight_squares=1)'::nps_summary;
SELECT '(v=1,promoters=1,passives=0,detractors=0,promoter_weight=0x10,passive_weight=0,detractor_weight=0,weight_squares=1)'::nps_summary;
SELECT '(v=1,promoters=1,passives=0,detractors=0,promoter_weight=1e999,passive_weight=0,detractor_weight=0,weight_squares=1)'::nps_summary;
SELECT '(v=1,promoters=1,passives=0,detractors=0,promoter_weight=0,passive_weight=0,detractor_weight=0,weight_squares=1)'::nps_summary;
SELECT '(v=1,promoters=1,passives=0,detractors=0,promoter_weight=2,passive_weight=1,detractor_weight=0,weight_squares=4)'::nps_summary;
SELECT '(v=1,promoters=2,passives=0,detractors=0,promoter_weight=2,passive_weight=0,detractor_weight=0,weight_squares=5)'::nps_summary;
SELECT '(v=1,promoters=2,passives=0,detractors=0,promoter_weight=2,passive_weight=0,detractor_weight=0,weight_squares=1)'::nps_summary;
SELECT '(v=1,promoters=2,passives=0,detractors=0,promoter_weight=2,passive_weight=0,detractor_weight=0,weight_squares=2)'::nps_summary AS consistent;

--
-- Agreement with the plain-SQL idiom on generated data, 500 groups
--
CREATE TABLE survey AS
	SELECT i AS id,
		   i % 500 AS grp,
		   date '2025-01-01' + (i % 365) AS day,
		   CASE WHEN i % 97 = 0 THEN NULL
				ELSE (abs(hashint4(i)) % 11 + abs(hashint4(i + 7)) % 11 + i % 5) % 11
		   END AS score,
		   0.25 + (abs(hashint4(i * 3)) % 1000) / 400.0 AS weight
	FROM generate_series(1, 200000) i;
CREATE INDEX ON survey (id);
ANALYZE survey;

WITH ours AS (
	SELECT grp, nps(score) AS nps, nps_agg(score) AS a,
		   nps_agg(score, weight) AS wa
	FROM survey GROUP BY grp
), idiom AS (
	SELECT grp,
		   100.0 * (count(*) FILTER (WHERE score >= 9)
					- count(*) FILTER (WHERE score <= 6)) / count(score) AS nps,
		   count(*) FILTER (WHERE score >= 9)::float8 / count(score) AS pp,
		   count(*) FILTER (WHERE score <= 6)::float8 / count(score) AS pd,
		   count(score) AS n,
		   (sum(weight) FILTER (WHERE score >= 9)
			- sum(weight) FILTER (WHERE score <= 6))
			/ sum(weight) FILTER (WHERE score IS NOT NULL) AS wnps,
		   sum(weight) FILTER (WHERE score IS NOT NULL) ^ 2
			/ sum(weight ^ 2) FILTER (WHERE score IS NOT NULL) AS neff,
		   sum(weight) FILTER (WHERE score >= 9)
			/ sum(weight) FILTER (WHERE score IS NOT NULL) AS wpp,
		   sum(weight) FILTER (WHERE score <= 6)
			/ sum(weight) FILTER (WHERE score IS NOT NULL) AS wpd
	FROM survey GROUP BY grp
)
SELECT count(*) AS groups,
	   count(*) FILTER (WHERE (abs(o.nps - i.nps) <= 1e-9) IS NOT TRUE) AS nps_mismatch,
	   count(*) FILTER (WHERE (abs(nps(o.a) - i.nps) <= 1e-9) IS NOT TRUE) AS state_mismatch,
	   count(*) FILTER (WHERE responses(o.a) IS DISTINCT FROM i.n) AS count_mismatch,
	   count(*) FILTER (WHERE (abs(std_error(o.a)
			- 100 * sqrt((i.pp + i.pd - (i.pp - i.pd) ^ 2) / i.n)) <= 1e-9) IS NOT TRUE) AS se_mismatch,
	   count(*) FILTER (WHERE (abs(nps(o.wa) - 100 * i.wnps) <= 1e-9) IS NOT TRUE) AS wnps_mismatch,
	   count(*) FILTER (WHERE (abs(effective_responses(o.wa) - i.neff) <= 1e-6) IS NOT TRUE) AS neff_mismatch,
	   count(*) FILTER (WHERE (abs(std_error(o.wa)
			- 100 * sqrt((i.wpp + i.wpd - (i.wpp - i.wpd) ^ 2) / i.neff)) <= 1e-9) IS NOT TRUE) AS wse_mismatch,
	   count(*) FILTER (WHERE o.nps IS NULL OR nps(o.wa) IS NULL OR std_error(o.wa) IS NULL) AS null_results
FROM ours o JOIN idiom i USING (grp);

-- a rollup of daily states equals the direct aggregate, weighted or not
CREATE TABLE daily AS
	SELECT day, nps_agg(score) AS a, nps_agg(score, weight) AS wa
	FROM survey GROUP BY day;
SELECT (SELECT rollup(a)::text FROM daily) = (SELECT nps_agg(score)::text FROM survey) AS rollup_equal,
	   (SELECT rollup(a) FROM daily) AS whole_year;
SELECT abs(nps(r.wa) - nps(d.wa)) < 1e-9 AS weighted_nps_equal,
	   abs(effective_responses(r.wa) - effective_responses(d.wa)) < 1e-6 AS weighted_neff_equal
FROM (SELECT rollup(wa) AS wa FROM daily) r,
	 (SELECT nps_agg(score, weight) AS wa FROM survey) d;
-- monthly rollups of the daily states match a direct monthly aggregate
SELECT count(*) AS months,
	   count(*) FILTER (WHERE m.a::text IS DISTINCT FROM d.a::text) AS mismatches
FROM (SELECT date_trunc('month', day) AS month, rollup(a) AS a
	  FROM daily GROUP BY 1) m
JOIN (SELECT date_trunc('month', day) AS month, nps_agg(score) AS a
	  FROM survey GROUP BY 1) d USING (month);
-- the operator is the same merge
SELECT ((SELECT a FROM daily ORDER BY day LIMIT 1) + (SELECT a FROM daily ORDER BY day OFFSET 1 LIMIT 1))::text
	 = (SELECT rollup(a)::text FROM (SELECT a FROM daily ORDER BY day LIMIT 2) s) AS operator_is_rollup;
-- merging weighted and unweighted states counts unweighted responses with weight 1
SELECT '(v=1,promoters=2,passives=1,detractors=1,promoter_weight=3,passive_weight=1,detractor_weight=4,weight_squares=22)'::nps_summary
	 + '(v=1,promoters=1,passives=0,detractors=2)'::nps_summary;

--
-- Window frames: the inverse transition gives the same as recomputing
--
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE w.nps IS DISTINCT FROM l.nps) AS nps_mismatch,
	   count(*) FILTER (WHERE w.a::text IS DISTINCT FROM l.a::text) AS state_mismatch
FROM (SELECT id,
			 nps(score) OVER (ORDER BY id ROWS BETWEEN 29 PRECEDING AND CURRENT ROW) AS nps,
			 nps_agg(score) OVER (ORDER BY id ROWS BETWEEN 29 PRECEDING AND CURRENT ROW) AS a
	  FROM survey WHERE id <= 3000) w
JOIN LATERAL (SELECT nps(score) AS nps, nps_agg(score) AS a
			  FROM survey s WHERE s.id BETWEEN w.id - 29 AND w.id) l ON true;
-- frames that hold only NULL scores give NULL, then recover
SELECT i, nps(s) OVER (ORDER BY i ROWS 1 PRECEDING)
FROM (VALUES (1, 10), (2, NULL), (3, NULL), (4, 0), (5, 9)) v(i, s);
-- rolling 30-day NPS over daily states, with and without weights
SELECT count(*) AS days,
	   count(*) FILTER (WHERE w.a::text IS DISTINCT FROM l.a::text) AS mismatch,
	   count(*) FILTER (WHERE (abs(nps(w.wa) - nps(l.wa)) <= 1e-9) IS NOT TRUE) AS weighted_mismatch,
	   count(*) FILTER (WHERE nps(w.wa) IS NULL) AS null_results
FROM (SELECT day,
			 rollup(a) OVER (ORDER BY day ROWS 29 PRECEDING) AS a,
			 rollup(wa) OVER (ORDER BY day ROWS 29 PRECEDING) AS wa
	  FROM daily) w
JOIN LATERAL (SELECT rollup(a) AS a, rollup(wa) AS wa FROM daily d
			  WHERE d.day BETWEEN w.day - 29 AND w.day) l ON true;

--
-- Parallel and partial aggregation use the combine function
--
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT nps(score) FROM survey;
SELECT nps(score) = (SELECT 100.0 * (count(*) FILTER (WHERE score >= 9)
					 - count(*) FILTER (WHERE score <= 6)) / count(score) FROM survey)::float8
	   OR abs(nps(score) - (SELECT 100.0 * (count(*) FILTER (WHERE score >= 9)
					 - count(*) FILTER (WHERE score <= 6)) / count(score) FROM survey)::float8) < 1e-9
	   AS parallel_matches,
	   nps_agg(score)::text = (SELECT rollup(a)::text FROM daily) AS parallel_state_matches
FROM survey;
EXPLAIN (COSTS OFF) SELECT grp % 3, nps_agg(score, weight) FROM survey GROUP BY 1;
SELECT count(*) AS groups,
	   count(*) FILTER (WHERE (abs(nps(p.wa) - nps(s.wa)) <= 1e-9) IS NOT TRUE) AS weighted_parallel_mismatch,
	   count(*) FILTER (WHERE nps(p.wa) IS NULL) AS null_results
FROM (SELECT grp % 3 AS g, nps_agg(score, weight) AS wa FROM survey GROUP BY 1) p
JOIN (SELECT grp % 3 AS g, rollup(wa) AS wa
	  FROM (SELECT grp, nps_agg(score, weight) AS wa FROM survey GROUP BY grp) x
	  GROUP BY 1) s USING (g);
EXPLAIN (COSTS OFF) SELECT rollup(a) FROM daily;
SELECT rollup(a)::text = (SELECT nps_agg(score)::text FROM survey) AS parallel_rollup_matches
FROM daily;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- partitionwise partial aggregation (combine without workers)
CREATE TABLE survey_part (id int, grp int, score int, weight float8)
	PARTITION BY LIST (grp);
CREATE TABLE survey_part_0 PARTITION OF survey_part FOR VALUES IN (0);
CREATE TABLE survey_part_1 PARTITION OF survey_part FOR VALUES IN (1);
CREATE TABLE survey_part_2 PARTITION OF survey_part FOR VALUES IN (2);
INSERT INTO survey_part SELECT id, grp % 3, score, weight FROM survey;
ANALYZE survey_part;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT nps_agg(score) FROM survey_part;
SELECT (SELECT nps_agg(score)::text FROM survey_part)
	 = (SELECT nps_agg(score)::text FROM survey) AS partitionwise_matches,
	   (SELECT abs(nps(nps_agg(score, weight)) - (SELECT nps(nps_agg(score, weight)) FROM survey))
		FROM survey_part) < 1e-9 AS weighted_partitionwise_matches;
RESET max_parallel_workers_per_gather;
RESET enable_partitionwise_aggregate;

-- hash aggregation
SET enable_sort = off;
SELECT count(*) AS days, count(*) FILTER (WHERE h.a::text IS DISTINCT FROM d.a::text) AS hash_mismatch
FROM (SELECT day, nps_agg(score) AS a FROM survey GROUP BY day) h
JOIN daily d USING (day);
RESET enable_sort;

--
-- Binary send/receive through COPY
--
\copy daily TO 'results/nps_daily.bin' WITH (FORMAT binary)
CREATE TABLE daily_copy (LIKE daily);
\copy daily_copy FROM 'results/nps_daily.bin' WITH (FORMAT binary)
SELECT count(*) AS copied,
	   count(*) FILTER (WHERE c.a::text IS DISTINCT FROM d.a::text OR c.wa::text IS DISTINCT FROM d.wa::text) AS mismatch
FROM daily d JOIN daily_copy c USING (day);
\copy daily TO 'results/nps_daily.txt'
TRUNCATE daily_copy;
\copy daily_copy FROM 'results/nps_daily.txt'
SELECT count(*) AS copied,
	   count(*) FILTER (WHERE c.a::text IS DISTINCT FROM d.a::text OR c.wa::text IS DISTINCT FROM d.wa::text) AS mismatch
FROM daily d JOIN daily_copy c USING (day);

--
-- A BI-friendly view: monthly NPS with its interval
--
CREATE VIEW monthly_nps AS
	SELECT month,
		   responses(a) AS responses,
		   round(nps(a)::numeric, 1) AS nps,
		   round(lower_bound(a)::numeric, 1) AS lower_bound,
		   round(upper_bound(a)::numeric, 1) AS upper_bound,
		   a AS state
	FROM (SELECT date_trunc('month', day)::date AS month, rollup(a) AS a
		  FROM daily GROUP BY 1) m;
SELECT * FROM monthly_nps ORDER BY month LIMIT 3;

DROP VIEW monthly_nps;
DROP TABLE survey, survey_part, daily, daily_copy, w;
DROP FUNCTION unit_var(nps_summary), scores(integer[]);

-- robustness (issue 16)
-- merges check every sum: a state whose weight_squares doubles past the
-- float8 range is 22003 where it is computed, never stored to fail later
SELECT a + a FROM (SELECT '(v=1,promoters=1,passives=0,detractors=0,promoter_weight=1e154,passive_weight=0,detractor_weight=0,weight_squares=1e308)'::nps_summary AS a) s;
SELECT rollup(a) FROM (VALUES ('(v=1,promoters=1,passives=0,detractors=0,promoter_weight=1e154,passive_weight=0,detractor_weight=0,weight_squares=1e308)'::nps_summary),
							  ('(v=1,promoters=1,passives=0,detractors=0,promoter_weight=1e154,passive_weight=0,detractor_weight=0,weight_squares=1e308)')) v(a);
-- weight sums above 1.34e154 (whose square overflows) are valid and read back
-- (before: a + a was stored, then reading it was XX001)
SELECT b, nps_summary_send(b) = nps_summary_send(b::text::nps_summary) AS reads_back, nps(b), effective_responses(b)
FROM (SELECT a + a AS b FROM (SELECT '(v=1,promoters=10,passives=0,detractors=0,promoter_weight=1e154,passive_weight=0,detractor_weight=0,weight_squares=5e307)'::nps_summary AS a) s) t;
-- counts: a state may start anywhere (INITCOND); the increment and the total are checked
CREATE AGGREGATE nps_from(integer) (SFUNC = nps_trans, STYPE = nps_summary, FINALFUNC = nps_agg_final,
	INITCOND = '(v=1,promoters=9223372036854775807,passives=0,detractors=0)');
SELECT nps_from(10);
SELECT nps_from(0);
SELECT nps_from(NULL) AS at_the_limit;
DROP AGGREGATE nps_from(integer);
SELECT a + a FROM (SELECT '(v=1,promoters=4611686018427387904,passives=0,detractors=0)'::nps_summary AS a) s;
SELECT a + b FROM (SELECT '(v=1,promoters=4611686018427387903,passives=0,detractors=0)'::nps_summary AS a,
						  '(v=1,promoters=0,passives=0,detractors=4611686018427387905)'::nps_summary AS b) s;
-- NPS lies in [-100, 100] for any weights: 100 * difference / total, whose
-- rounding can step out only by the rounding of 100 * difference, clamped;
-- one-category states must give exactly +-100 (before: 100.00000000000001
-- for a weight of 1e-100, and 12% of these off by one unit in the last place)
SELECT nps(nps_agg(10, 1e-100)) AS tiny_promoter, nps(nps_agg(0, 1e-100)) AS tiny_detractor;
SELECT count(*) AS states,
	   count(*) FILTER (WHERE nps(a) IS DISTINCT FROM (CASE WHEN s = 10 THEN 100 ELSE -100 END)::float8) AS not_exact,
	   count(*) FILTER (WHERE (lower_bound(a) BETWEEN -100 AND nps(a) AND upper_bound(a) BETWEEN nps(a) AND 100
							   AND margin_of_error(a) >= 0 AND std_error(a) BETWEEN 0 AND 100) IS NOT TRUE) AS insane
FROM (SELECT s, nps_agg(s, w) AS a
	  FROM (SELECT g, CASE WHEN g % 2 = 0 THEN 10 ELSE 0 END AS s, 1e-100::float8 * 10::float8 ^ ((g % 20000) / 100.0::float8) AS w
			FROM generate_series(1, 20000) g) x
	  GROUP BY g, s) y;
-- mixed states with weights spread over 200 orders of magnitude: in range,
-- and equal to the same ratio computed in numeric (within 1e-9 points)
SELECT count(*) AS states,
	   count(*) FILTER (WHERE (abs(nps(a)) <= 100 AND lower_bound(a) >= -100 AND upper_bound(a) <= 100
							   AND margin_of_error(a) >= 0) IS NOT TRUE) AS out_of_range,
	   count(*) FILTER (WHERE (abs(nps(a) - expected) <= 1e-9) IS NOT TRUE) AS mismatch
FROM (SELECT grp, nps_agg(s, w) AS a,
			 (100 * (sum(w::numeric) FILTER (WHERE s >= 9) - coalesce(sum(w::numeric) FILTER (WHERE s <= 6), 0))
				  / sum(w::numeric))::float8 AS expected
	  FROM (SELECT g % 500 AS grp, (g * 7) % 11 AS s, 10::float8 ^ (((g * 7919) % 20001) / 100.0::float8 - 100) AS w
			FROM generate_series(1, 20000) g) x
	  GROUP BY grp) y;
-- the text form is lossless: send(x) = send(in(out(x)))
SELECT count(*) AS states,
	   count(*) FILTER (WHERE nps_summary_send(a) IS DISTINCT FROM nps_summary_send(a::text::nps_summary)) AS mismatch
FROM (SELECT nps_agg(s, w) AS a
	  FROM (SELECT g % 300 AS grp, (g * 7) % 11 AS s, 1e-100::float8 * 10::float8 ^ (((g * 7919) % 19001) / 100.0::float8) * (1 + g / 7e4::float8) AS w
			FROM generate_series(1, 6000) g) x GROUP BY grp
	  UNION ALL SELECT nps_agg(s) FROM generate_series(0, 10) s
	  UNION ALL SELECT '(v=1,promoters=9223372036854775807,passives=0,detractors=0)'::nps_summary) y;
-- the unweighted transition on a weighted state (a user's INITCOND) counts
-- the answer with weight 1, as a merge does, so the state stays valid
-- (before: passives=1 with passive_weight=0, stored and then XX001)
CREATE AGGREGATE nps_from(integer) (SFUNC = nps_trans, STYPE = nps_summary, FINALFUNC = nps_agg_final,
	INITCOND = '(v=1,promoters=1,passives=0,detractors=0,promoter_weight=2,passive_weight=0,detractor_weight=0,weight_squares=4)');
SELECT nps_from(s)::text, nps(nps_from(s)) FROM (VALUES (8), (0), (NULL)) v(s);
DROP AGGREGATE nps_from(integer);
-- the inverse cannot remove a weighted answer exactly: the frame is
-- recomputed (before: the weights stayed while the count dropped)
CREATE AGGREGATE nps_moving(integer) (SFUNC = nps_trans, STYPE = nps_summary, FINALFUNC = nps_agg_final,
	MSFUNC = nps_trans, MINVFUNC = nps_inv, MSTYPE = nps_summary, MFINALFUNC = nps_agg_final,
	MINITCOND = '(v=1,promoters=1,passives=0,detractors=0,promoter_weight=2,passive_weight=0,detractor_weight=0,weight_squares=4)');
SELECT i, nps_moving(s) OVER (ORDER BY i ROWS 1 PRECEDING)::text
FROM (VALUES (1, 0), (2, 8), (3, 10)) v(i, s);
DROP AGGREGATE nps_moving(integer);
-- the support functions called directly (any role can) compute a new value
-- from a checked copy of their argument, never writing to it (before: XX000
-- "called in non-aggregate context")
CREATE TABLE direct AS SELECT '(v=1,promoters=1,passives=1,detractors=0)'::nps_summary AS a;
SELECT nps_trans(a, 9) AS trans, nps_inv(a, 8) AS inv, nps_trans(NULL, 0, 2) AS wtrans,
	   nps_combine(a, a) AS combine, nps_rollup_trans(NULL, a) AS rollup_trans,
	   nps_rollup_inv(a + a, a) AS rollup_inv, a AS unchanged
FROM direct;
SELECT nps_inv(a, 0) FROM direct;
SELECT nps_inv(NULL, 0);
DROP TABLE direct;
-- counts are correctly rounded (100 * (P - D) / n: 100/3 is 33.333333333333336,
-- the double nearest to it), and integer weights give the same value as the
-- counts, bit for bit, over every composition of up to 20 answers
SELECT nps(s) = 100::float8 / 3 AS one_third_correctly_rounded,
	   nps(s) = 100 * (1::float8 / 3) AS one_third_rounded_twice
FROM (VALUES (10), (9), (3)) v(s);
SELECT count(*) AS compositions,
	   count(*) FILTER (WHERE u IS DISTINCT FROM w1 OR u IS DISTINCT FROM w7) AS mismatch
FROM (SELECT nps(nps_agg(s)) AS u, nps(nps_agg(s, 1)) AS w1, nps(nps_agg(s, 7)) AS w7
	  FROM generate_series(0, 20) p, generate_series(0, 20) q, generate_series(0, 20) d,
		   LATERAL (SELECT 10 FROM generate_series(1, p) UNION ALL SELECT 8 FROM generate_series(1, q)
					UNION ALL SELECT 0 FROM generate_series(1, d)) a(s)
	  WHERE p + q + d BETWEEN 1 AND 20
	  GROUP BY p, q, d) x;
-- a transition called as a plain function returns a value, so it checks the
-- total it produces (the aggregate leaves that to its final function): a
-- state at 2^63 - 1 answers grows past the limit with 22003 here, instead of
-- giving a value that the output function then refuses (function fuzzer F9)
-- (IS NOT NULL: the call itself must fail, not a later output function)
SELECT nps_trans('(v=1,promoters=9223372036854775807,passives=0,detractors=0)'::nps_summary, 0) IS NOT NULL AS stored;
SELECT nps_trans('(v=1,promoters=9223372036854775807,passives=0,detractors=0)'::nps_summary, 0, 1) IS NOT NULL AS stored;
SELECT nps_trans('(v=1,promoters=9223372036854775806,passives=0,detractors=0)'::nps_summary, 0)::text AS at_the_limit;
-- scores of smallint, bigint and numeric type (1.2, issue 18): the NPS of
-- the plain-SQL idiom, 100 (promoters - detractors) / responses, for every
-- type; the moving frame and the weighted state take them too
CREATE TABLE typed_scores AS SELECT g, (g * 7) % 11 AS s FROM generate_series(1, 50) g;
SELECT nps(s::smallint) AS smallint_nps, nps(s::bigint) AS bigint_nps, nps(s::numeric) AS numeric_nps,
	   nps(s::numeric(4, 2)) AS numeric_scale_2,
	   100.0 * (count(*) FILTER (WHERE s >= 9) - count(*) FILTER (WHERE s <= 6)) / count(*) AS sql_idiom,
	   responses(nps_agg(s::bigint)) AS responses, nps(nps_agg(s::numeric, 2.5)) AS weighted
FROM typed_scores;
SELECT count(*) AS frames,
	   count(*) FILTER (WHERE a IS DISTINCT FROM b OR a IS DISTINCT FROM c) AS differing
FROM (SELECT nps(s) OVER w AS a, nps(s::bigint) OVER w AS b, nps(s::numeric) OVER w AS c
	  FROM typed_scores WINDOW w AS (ORDER BY g ROWS 4 PRECEDING)) f;
-- anything but a whole number 0..10 is 22003, naming the value
SELECT nps(x) FROM (VALUES (7.5::numeric)) v(x);
SELECT nps(x) FROM (VALUES ('NaN'::numeric)) v(x);
SELECT nps(x) FROM (VALUES ('-Infinity'::numeric)) v(x);
SELECT nps(x) FROM (VALUES (1e-30::numeric)) v(x);
SELECT nps(x) FROM (VALUES (9999999999999::numeric)) v(x);
SELECT nps(x) FROM (VALUES (11::bigint)) v(x);
SELECT nps(x) FROM (VALUES ('-9223372036854775808'::bigint)) v(x);
SELECT nps(x) FROM (VALUES (-1::smallint)) v(x);
SELECT nps_agg(x, 1) FROM (VALUES (10.5::numeric)) v(x);
-- NULL scores are skipped; only NULLs give NULL
SELECT nps(x) FROM (VALUES (NULL::bigint), (NULL)) v(x);
SELECT nps(x) FROM (VALUES (NULL::numeric), (10)) v(x);
DROP TABLE typed_scores;
--
-- finite population (1.2, issue 22 item 5): SE_fpc = SE * sqrt((N - n) / (N - 1))
--
-- By hand: scores 10, 10, 10, 8, 8, 0 (n = 6): p_P = 1/2, p_D = 1/6,
-- NPS = 100/3, variance 1/2 + 1/6 - (1/3)^2 = 5/9, SE = 100 sqrt(5/9 / 6)
-- = 100 sqrt(5/54) = 30.4290; N = 10: fpc = sqrt(4/9) = 2/3, so
-- SE = 20.2860, margin95 = 1.959963985 * 20.286021 = 39.7599,
-- interval (33.33333 - 39.75985, 33.33333 + 39.75985) = (-6.4265, 73.0932)
CREATE TABLE fpc_s AS SELECT nps_agg(score) AS a FROM (VALUES (10), (10), (10), (8), (8), (0)) v(score);
SELECT q.*, (q.se = round(100 * (2 / 3.0) * sqrt(5 / 54.0), 6)
		 AND q.margin95 = round(1.959963985 * 100 * (2 / 3.0) * sqrt(5 / 54.0), 4)
		 AND q.lower95 = round(100 / 3.0 - 1.959963985 * 100 * (2 / 3.0) * sqrt(5 / 54.0), 4)
		 AND q.upper95 = round(100 / 3.0 + 1.959963985 * 100 * (2 / 3.0) * sqrt(5 / 54.0), 4)) IS TRUE AS agrees
FROM (SELECT round(std_error(a, 10)::numeric, 6) AS se,
			 round(margin_of_error(a, 0.95, 10)::numeric, 4) AS margin95,
			 round(lower_bound(a, 0.95, 10)::numeric, 4) AS lower95,
			 round(upper_bound(a, 0.95, 10)::numeric, 4) AS upper95
	  FROM fpc_s) q;
-- named arguments; the 90% margin is z(0.90) = 1.6448536 times the corrected SE
SELECT round(margin_of_error(a, confidence => 0.90, population => 10)::numeric, 4) AS margin90,
	   round((1.6448536 * 100 * (2 / 3.0) * sqrt(5 / 54.0))::numeric, 4) AS by_hand,
	   round(margin_of_error(a, confidence => 0.90, population => 10)::numeric, 4) =
	   round((1.6448536 * 100 * (2 / 3.0) * sqrt(5 / 54.0))::numeric, 4) AS agrees
FROM fpc_s;
-- a census (N = n) has no sampling error: SE and margin 0, a point interval
SELECT std_error(a, 6) AS se, margin_of_error(a, 0.95, 6) AS margin,
	   lower_bound(a, 0.99, 6) = nps(a) AS lower_is_nps, upper_bound(a, 0.99, 6) = nps(a) AS upper_is_nps
FROM fpc_s;
-- N = n + 1: fpc = sqrt(1/6)
SELECT abs(std_error(a, 7) - 100 * sqrt(5 / 54.0) * sqrt(1 / 6.0)) < 1e-9 AS agrees FROM fpc_s;
-- a huge population is the infinite one (to 1e-9), at both ends of bigint
SELECT abs(std_error(a, 9223372036854775807) - std_error(a)) < 1e-9 AS se_same,
	   abs(margin_of_error(a, 0.95, 9223372036854775807) - margin_of_error(a, 0.95)) < 1e-9 AS margin_same,
	   abs(lower_bound(a, 0.9, 1000000000000) - lower_bound(a, 0.9)) < 1e-9 AS lower_same,
	   abs(upper_bound(a, 0.9, 1000000000000) - upper_bound(a, 0.9)) < 1e-9 AS upper_same
FROM fpc_s;
-- weighted: n is the number of respondents (the sampling fraction), the SE
-- Kish's.  By hand: (10, w 2), (10, w 1), (0, w 1): W = 4, p_P = 3/4,
-- p_D = 1/4, variance 1 - (1/2)^2 = 3/4, sum w^2 = 6, n_eff = 16/6 = 8/3,
-- SE = 100 sqrt(3/4 / (8/3)) = 100 sqrt(9/32); n = 3, N = 5: fpc = sqrt(2/4),
-- SE = 100 sqrt(9/64) = 37.5; N = 3 (a census) gives 0
CREATE TABLE fpc_w AS SELECT nps_agg(s, w) AS a FROM (VALUES (10, 2.0), (10, 1.0), (0, 1.0)) v(s, w);
SELECT round(std_error(a)::numeric, 6) AS se, round((100 * sqrt(9 / 32.0))::numeric, 6) AS se_by_hand,
	   round(std_error(a, 5)::numeric, 12) AS se_n5, std_error(a, 3) AS se_census,
	   round(margin_of_error(a, 0.95, 5)::numeric, 6) AS margin95_n5,
	   round((1.959963985 * 37.5)::numeric, 6) AS by_hand,
	   (abs(std_error(a, 5) - 37.5) < 1e-9 AND std_error(a, 3) = 0
		AND round(margin_of_error(a, 0.95, 5)::numeric, 6) = round((1.959963985 * 37.5)::numeric, 6)) IS TRUE AS agrees
FROM fpc_w;
-- NULL population: NULL (the functions are strict); an empty state: NULL
SELECT std_error(a, NULL) AS se, margin_of_error(a, 0.95, NULL) AS margin,
	   lower_bound(a, 0.95, NULL) AS lower, upper_bound(a, NULL, 10) AS upper
FROM fpc_s;
SELECT std_error('(v=1,promoters=0,passives=0,detractors=0)'::nps_summary, 0) AS empty_se,
	   margin_of_error('(v=1,promoters=0,passives=0,detractors=0)'::nps_summary, 0.95, 5) AS empty_margin;
-- a population smaller than the responses, or negative, is 22023
SELECT std_error(a, 5) FROM fpc_s;
SELECT margin_of_error(a, 0.95, 0) FROM fpc_s;
SELECT lower_bound(a, 0.95, -1) FROM fpc_w;
SELECT upper_bound(a, 0.95, 2) FROM fpc_w;
SELECT std_error('(v=1,promoters=0,passives=0,detractors=0)'::nps_summary, -1);
-- the confidence level is checked as without a population
SELECT margin_of_error(a, 1.0, 10) FROM fpc_s;
DROP TABLE fpc_s, fpc_w;
