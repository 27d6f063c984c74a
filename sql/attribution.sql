--
-- Attribution: rule-based models on journeys, first-order Markov removal
-- effects.
--
-- Expected values: docs/formulas.md §7 (Google Ads' time-decay example,
-- the 40/20/40 position-based rule, Puzyrov's published removal-effect
-- example), hand-computed absorbing-chain probabilities, and conservation
-- and symmetry properties on generated paths.
--
SET extra_float_digits = 0;

--
-- Rule-based models on one journey A > B > C > D
--
CREATE TABLE j AS SELECT '(v=1,touches=[2026-01-01T00:00:00Z A,2026-01-15T00:00:00Z B,2026-01-22T00:00:00Z C,2026-01-29T00:00:00Z D])'::journey AS j;
-- (by hand beside it: first 1/0/0/0, last 0/0/0/1, linear 1/4 each,
-- position 0.4/0.1/0.1/0.4, time decay 1/29, 4/29, 8/29, 16/29)
SELECT m.model, a.channel, round(a.credit::numeric, 6) AS credit,
	   (round(a.credit::numeric, 6) = round(CASE m.model
		WHEN 'first_touch' THEN (a.channel = 'A')::int
		WHEN 'last_touch' THEN (a.channel = 'D')::int
		WHEN 'linear' THEN 0.25
		WHEN 'position_based' THEN CASE WHEN a.channel IN ('A', 'D') THEN 0.4 ELSE 0.1 END
		ELSE CASE a.channel WHEN 'A' THEN 1 WHEN 'B' THEN 4 WHEN 'C' THEN 8 ELSE 16 END / 29.0 END, 6)) IS TRUE AS agrees
FROM j, (VALUES ('first_touch'), ('last_touch'), ('linear'), ('position_based'), ('time_decay')) m(model),
	 attribution(j.j, m.model) a
ORDER BY 1, 2;
-- time decay, h = 7 days, touches 28, 14, 7, 0 days before the conversion:
-- weights 0.0625, 0.25, 0.5, 1 -> 0.034483, 0.137931, 0.275862, 0.551724 (above)
-- Google Ads help: touches 8 days and 1 day before the conversion -> 1/3, 2/3
SELECT q.*, (q.round = round(CASE q.channel WHEN 'search' THEN 1 / 3.0 ELSE 2 / 3.0 END, 6)) IS TRUE AS agrees
FROM (SELECT channel, round(credit::numeric, 6)
	FROM attribution('(v=1,touches=[2026-01-01T00:00:00Z search,2026-01-08T00:00:00Z display])',
					 'time_decay', '7 days', timestamptz '2026-01-09 00:00+00')) q;
-- one and two touches in the position-based model: 100%, 50/50
SELECT channel, credit FROM attribution('(v=1,touches=[2026-01-01T00:00:00Z A])', 'position_based');
SELECT channel, credit FROM attribution('(v=1,touches=[2026-01-01T00:00:00Z A,2026-01-02T00:00:00Z B])', 'position_based');
-- a channel appearing several times accumulates its touches' credits
SELECT channel, round(credit::numeric, 6)
FROM attribution('(v=1,touches=[2026-01-01T00:00:00Z web,2026-01-02T00:00:00Z email,2026-01-03T00:00:00Z web])', 'linear');
-- touches after the conversion time are ignored; none before it: no rows
SELECT channel, credit FROM attribution((SELECT j FROM j), 'last_touch', '7 days', timestamptz '2026-01-20 00:00+00');
SELECT count(*) FROM attribution((SELECT j FROM j), 'linear', '7 days', timestamptz '2025-12-31 00:00+00');
-- errors
SELECT * FROM attribution((SELECT j FROM j), 'shapley');
SELECT * FROM attribution((SELECT j FROM j), 'time_decay', '0 days');

--
-- Markov removal effects: Puzyrov (2019) -- paths google ads (2 conv),
-- mailing (1 conv), google ads > mailing (1 conv), google ads (1 null).
-- Published transitions start->google 0.8, start->mailing 0.2, google->conv
-- 0.5, google->mailing 0.25, google->null 0.25, mailing->conv 1.
-- P(conv) = 0.8; P without google 0.2 -> RE 0.75; P without mailing 0.4 ->
-- RE 0.5; 4 conversions shared 2.4 / 1.6.
--
CREATE TABLE puzyrov (path text, conv bigint, nulls bigint, value float8);
INSERT INTO puzyrov VALUES ('google ads', 2, 0, 30), ('mailing', 1, 0, 10),
	('google ads > mailing', 1, 0, 20), ('google ads', 0, 1, NULL);
SELECT markov_agg(string_to_array(path, ' > '), conv, nulls) AS model,
	   conversion_probability(markov_agg(string_to_array(path, ' > '), conv, nulls))
FROM puzyrov;
SELECT q.*, (abs(q.removal_effect - CASE q.channel WHEN 'google ads' THEN 0.75 ELSE 0.5 END) + abs(q.share - CASE q.channel WHEN 'google ads' THEN 0.6 ELSE 0.4 END)
		 + abs(q.conversions - CASE q.channel WHEN 'google ads' THEN 2.4 ELSE 1.6 END) + abs(q.value - CASE q.channel WHEN 'google ads' THEN 36 ELSE 24 END) <= 1e-12) IS TRUE AS agrees
FROM (SELECT r.* FROM (SELECT markov_agg(string_to_array(path, ' > '), conv, nulls, value) AS m FROM puzyrov) s,
		 removal_effects(m) r) q;

-- paths a > b (3 conversions, 1 null), b (1, 1), z (0, 5): start->a 4/11,
-- start->b 2/11, start->z 5/11, a->b 1, b->conv 4/6, z->null 1, so
-- P(conv) = (6/11)(2/3) = 4/11; without a: (2/11)(2/3) -> RE 2/3; without
-- b: 0 -> RE 1; z never converts -> RE 0; 4 conversions shared 1.6 / 2.4
SELECT q.*, (q.re = round(CASE q.channel WHEN 'a' THEN 2 / 3.0 WHEN 'b' THEN 1 ELSE 0 END, 6)
		 AND q.conv = CASE q.channel WHEN 'a' THEN 1.6 WHEN 'b' THEN 2.4 ELSE 0 END) IS TRUE AS agrees
FROM (SELECT channel, round(removal_effect::numeric, 6) AS re, round(conversions::numeric, 6) AS conv
	FROM removal_effects((SELECT markov_agg(p, c, n)
						  FROM (VALUES (ARRAY['a', 'b'], 3::bigint, 1::bigint),
									   (ARRAY['b'], 1, 1), (ARRAY['z'], 0, 5)) v(p, c, n)))) q;
-- a self-loop (a > a > b) changes nothing
SELECT channel, round(removal_effect::numeric, 6) AS re, round(conversions::numeric, 6) AS conv
FROM removal_effects((SELECT markov_agg(p, c, n)
					  FROM (VALUES (ARRAY['a', 'a', 'b'], 3::bigint, 1::bigint),
								   (ARRAY['b'], 1, 1), (ARRAY['z'], 0, 5)) v(p, c, n)));
-- symmetric channels get equal effects
SELECT channel, round(removal_effect::numeric, 9) AS re
FROM removal_effects((SELECT markov_agg(p, 1, 1)
					  FROM (VALUES (ARRAY['x', 'y']), (ARRAY['y', 'x']), (ARRAY['x']), (ARRAY['y'])) v(p)));
-- no conversions at all: removal effects are undefined (NULL)
SELECT * FROM removal_effects((SELECT markov_agg(ARRAY['a', 'b'], 0, 3)));
-- NULL and empty paths are skipped; NULL counts are 0
SELECT markov_agg(p, c, n)
FROM (VALUES (NULL::text[], 1::bigint, 1::bigint), ('{}', 5, 5), (ARRAY['a'], NULL, 2)) v(p, c, n);
SELECT markov_agg(p, 1, 1) IS NULL AS no_paths FROM (VALUES (NULL::text[])) v(p);
-- errors
SELECT markov_agg(ARRAY['a', NULL], 1, 0);
SELECT markov_agg(ARRAY['a'], -1, 0);
SELECT markov_agg(ARRAY['a'], 1, 0, 'NaN');
SELECT markov_agg(ARRAY['c' || i], 1, 0) FROM generate_series(1, 257) i;

--
-- Conservation and agreement on generated paths
--
CREATE TABLE paths AS
	SELECT i,
		   (SELECT array_agg((ARRAY['search', 'social', 'email', 'display', 'direct', 'affiliate'])
							 [1 + abs(hashint4(i * 10 + k)) % 6] ORDER BY k)
			FROM generate_series(1, 1 + abs(hashint4(i)) % 5) k) AS path,
		   (abs(hashint4(i * 3)) % 4 = 0)::int::bigint AS conv,
		   (abs(hashint4(i * 3)) % 4 <> 0)::int::bigint AS nulls,
		   (abs(hashint4(i * 5)) % 100)::float8 AS value
	FROM generate_series(1, 20000) i;
-- conversions and values attributed add up to the totals; a first-order
-- chain fitted on its own paths has P(conv) = conversions / all paths
WITH model AS (
	SELECT markov_agg(path, conv, nulls, CASE WHEN conv > 0 THEN value END) AS m FROM paths
)
SELECT round(sum(r.conversions)::numeric, 6) = (SELECT sum(conv) FROM paths) AS conversions_conserved,
	   round(sum(r.value)::numeric, 6) = (SELECT round(sum(value * conv)::numeric, 6) FROM paths) AS value_conserved,
	   round(sum(r.share)::numeric, 9) AS shares,
	   round((SELECT conversion_probability(m) FROM model)::numeric, 9)
	 = round((SELECT sum(conv)::numeric / count(*) FROM paths), 9) AS p_conv_matches
FROM model, removal_effects(model.m) r;
-- pre-counted paths (ChannelAttribution's data shape) give the same model as one row per journey
SELECT (SELECT markov_agg(path, conv, nulls)::text FROM paths)
	 = (SELECT markov_agg(path, c, n)::text
		FROM (SELECT path, sum(conv)::bigint AS c, sum(nulls)::bigint AS n FROM paths GROUP BY path) g)
	   AS precounted_equal;
-- rollup of partial models equals the whole, also through parallel workers
SELECT (SELECT rollup(m)::text FROM (SELECT markov_agg(path, conv, nulls) AS m FROM paths GROUP BY i % 7) s)
	 = (SELECT markov_agg(path, conv, nulls)::text FROM paths) AS rollup_equal;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT markov_agg(path, conv, nulls) FROM paths;
SELECT markov_agg(path, conv, nulls)::text = (SELECT rollup(m)::text FROM (SELECT markov_agg(path, conv, nulls) AS m FROM paths GROUP BY i % 7) s)
	   AS parallel_equal
FROM paths;
RESET ALL;
-- rule-based credits of every journey sum to 1
SELECT m.model, count(*) AS journeys,
	   count(*) FILTER (WHERE (abs(total - 1) <= 1e-12) IS NOT TRUE) AS not_one
FROM (VALUES ('first_touch'), ('last_touch'), ('linear'), ('position_based'), ('time_decay')) m(model),
	 LATERAL (SELECT i, sum(a.credit) AS total
			  FROM (SELECT i, journey_agg(timestamptz '2026-01-01 00:00+00' + k * interval '1 day', path[k]) AS jj
					FROM paths, generate_subscripts(path, 1) k WHERE i <= 500 GROUP BY i) g,
				   attribution(g.jj, m.model) a
			  GROUP BY i) t
GROUP BY m.model ORDER BY 1;

--
-- Exact Shapley values over path summaries
--
-- 'conversions': v(a) = 10, v(b) = 20, v(ab) = 10 + 20 + 30 = 60:
-- phi_a = (10 - 0)/2 + (60 - 20)/2 = 25, phi_b = 20/2 + (60 - 10)/2 = 35
SELECT channel, shapley_value, share, conversions
FROM shapley_values(ARRAY['a', 'b', 'a > b'], ARRAY[10, 20, 30]::bigint[], ARRAY[0, 0, 0]::bigint[], 'conversions');
-- 'conversion_rate': v(a) = 1/10, v(b) = 1/5, v(ab) = 5/19:
-- phi_a = 0.1/2 + (5/19 - 0.2)/2 = 0.081579, phi_b = 0.2/2 + (5/19 - 0.1)/2 = 0.181579,
-- which sum to v(ab); 5 conversions shared 1.55 / 3.45
SELECT channel, round(shapley_value::numeric, 6) AS phi, round(share::numeric, 6) AS share,
	   round(conversions::numeric, 6) AS conversions
FROM shapley_values(ARRAY['a', 'b', 'a > b'], ARRAY[1, 1, 3]::bigint[], ARRAY[9, 4, 1]::bigint[]);
-- order and repeats inside a path do not matter; symmetric channels are equal
SELECT channel, round(shapley_value::numeric, 9)
FROM shapley_values(ARRAY['x > y > x', 'y > x', 'x', 'y'], ARRAY[2, 2, 1, 1]::bigint[], ARRAY[1, 1, 3, 3]::bigint[]);
-- efficiency on generated paths: the values add up to v(all channels), and
-- the attributed conversions to the total
SELECT round(sum(s.shapley_value)::numeric, 9) = round((SELECT sum(conv)::numeric / count(*) FROM paths), 9) AS efficient,
	   round(sum(s.conversions)::numeric, 6) = (SELECT sum(conv) FROM paths) AS conserved
FROM (SELECT array_agg(array_to_string(path, ' > ')) AS p, array_agg(conv) AS c, array_agg(nulls) AS n FROM paths) a,
	 shapley_values(a.p, a.c, a.n) s;
-- the Snowplow fractribution fixture's path summary, with true Shapley values
-- (fractribution's own "shapley" is a leave-one-out heuristic: other numbers)
SELECT channel, round(shapley_value::numeric, 6) AS phi, round(conversions::numeric, 4) AS conversions
FROM shapley_values(ARRAY['Direct', 'Organic_Search', 'Referral > Direct', 'Video', 'Organic_Search > Paid_Search_Other',
						  'Referral', 'Organic_Search > Direct', 'Paid_Search_Other', 'Unmatched_Channel'],
					ARRAY[3, 1, 0, 1, 0, 0, 1, 0, 0]::bigint[], ARRAY[25, 26, 1, 2, 2, 2, 1, 1, 1]::bigint[], 'conversions');
-- NULL paths are skipped; errors
SELECT * FROM shapley_values(ARRAY[NULL, 'a'], ARRAY[1, 1]::bigint[], ARRAY[0, 0]::bigint[], 'conversions');
SELECT * FROM shapley_values(ARRAY['a'], ARRAY[1, 2]::bigint[], ARRAY[0]::bigint[]);
SELECT * FROM shapley_values(ARRAY['a'], ARRAY[1]::bigint[], ARRAY[0]::bigint[], 'shap');
SELECT * FROM shapley_values(ARRAY['a'], ARRAY[-1]::bigint[], ARRAY[0]::bigint[]);
SELECT * FROM shapley_values(ARRAY[(SELECT string_agg('c' || i, ' > ') FROM generate_series(1, 21) i)],
							 ARRAY[1]::bigint[], ARRAY[0]::bigint[]);

--
-- Text and binary forms
--
SELECT '(v=1,conversions=4,non_conversions=1,transitions=[start>"google ads" 4,start>"mailing" 1,"google ads">"mailing" 1,"google ads">conv 2,"google ads">null 1,"mailing">conv 2])'::markov_model;
SELECT m::text::markov_model::text = m::text AS round_trip
FROM (SELECT markov_agg(path, conv, nulls, value) AS m FROM paths) s;
SELECT '(v=3,conversions=0,non_conversions=0,transitions=[])'::markov_model;
SELECT '(v=1,conversions=0,non_conversions=0,transitions=[conv>"a" 1])'::markov_model;
SELECT '(v=1,conversions=0,non_conversions=0,transitions=["a">start 1])'::markov_model;
SELECT '(v=1,conversions=0,non_conversions=0,transitions=[start>a 1])'::markov_model;
SELECT '(v=1,conversions=0,non_conversions=0,transitions=[start>"a" 0])'::markov_model;
SELECT '(v=1,conversions=-1,non_conversions=0,transitions=[start>"a" 1])'::markov_model;
-- a model typed in by hand can trap the walk in a loop
SELECT * FROM removal_effects('(v=1,conversions=1,non_conversions=0,transitions=[start>"a" 1,"a">"a" 5])');
CREATE TABLE models AS SELECT markov_agg(path, conv, nulls, value) AS m FROM paths;
\copy models TO 'results/models.bin' WITH (FORMAT binary)
CREATE TABLE models_copy (LIKE models);
\copy models_copy FROM 'results/models.bin' WITH (FORMAT binary)
SELECT (SELECT m::text FROM models) = (SELECT m::text FROM models_copy) AS binary_round_trip;

DROP TABLE j, puzyrov, paths, models, models_copy;

-- robustness (issue 16)
--
-- 1. attribution() indexes the channels of the counted touches in one pass:
-- 200,000 touches of "a" up to the conversion and 10,000 channels after it
-- took 2e9 comparisons (one scan of the touches per channel, ~1.9 s, not
-- cancellable) before; about 25 ms now.
-- (the timeouts prove linear work; assertion-enabled builds, the Valgrind
-- run, are many times slower and run these queries untimed)
SELECT CASE WHEN current_setting('debug_assertions')::boolean THEN '0' ELSE '500ms' END
	AS linear_timeout,
	   CASE WHEN current_setting('debug_assertions')::boolean THEN '0' ELSE '1s' END
	AS cubic_timeout \gset
CREATE TABLE bigj AS
	SELECT journey_agg(timestamptz '2026-01-01 00:00+00' + i * interval '1 second',
					   CASE WHEN i <= 200000 THEN 'a' ELSE 'c' || i END) AS j
	FROM generate_series(1, 210000) i;
SET statement_timeout = :'linear_timeout';
SELECT channel, round(credit::numeric, 9) AS credit
FROM attribution((SELECT j FROM bigj), 'linear', '7 days', timestamptz '2026-01-01 00:00+00' + 200000 * interval '1 second');
RESET statement_timeout;
-- and all 10,001 channels when every touch counts: "a" 200000/210000, the others 1/210000 each
SELECT count(*) AS channels,
	   count(*) FILTER (WHERE (abs(credit - CASE WHEN channel = 'a' THEN 200000 ELSE 1 END / 210000.0::float8) <= 1e-9) IS NOT TRUE) AS wrong
FROM attribution((SELECT j FROM bigj), 'linear');

-- 2. markov_agg keeps its counts sparse: 40 groups of 256 channels each
-- (512 distinct transitions per group) fit in work_mem = 4MB under
-- HashAggregate without spilling; a dense 257 x 257 matrix per group took
-- 20 MB and spilled.  The models are those of the plain aggregate.
CREATE TABLE wide AS SELECT g, ARRAY['ch' || c] AS path FROM generate_series(1, 40) g, generate_series(1, 256) c;
ANALYZE wide;
CREATE FUNCTION pg_temp.hashagg_fits(q text) RETURNS TABLE (hash_aggregate boolean, batches jsonb, under_4mb boolean)
LANGUAGE plpgsql AS $$
DECLARE
	plan jsonb;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, FORMAT JSON) ' || q INTO plan;
	RETURN QUERY SELECT jsonb_path_exists(plan, 'strict $.**."Strategy" ? (@ == "Hashed")'),
		jsonb_path_query_first(plan, 'strict $.**."HashAgg Batches"'),
		(jsonb_path_query_first(plan, 'strict $.**."Peak Memory Usage"'))::int < 4096;
END $$;
SET work_mem = '4MB';
SET hash_mem_multiplier = 1;
SET enable_sort = off;
SET max_parallel_workers_per_gather = 0;
SELECT * FROM pg_temp.hashagg_fits('SELECT g, markov_agg(path, 1, 0) FROM wide GROUP BY g');
CREATE TABLE wide_models AS SELECT g, markov_agg(path, 1, 0) AS m FROM wide GROUP BY g;
RESET ALL;
SET timezone = 'UTC';
SET extra_float_digits = 0;
-- every group: start -> ch_k 1 and ch_k -> conv 1 for 256 channels; compared with
-- the model of one group built on its own (GroupAggregate)
SELECT count(*) AS groups,
	   count(*) FILTER (WHERE m::text IS DISTINCT FROM
						(SELECT markov_agg(path, 1, 0)::text FROM wide WHERE g = 1)) AS different,
	   (SELECT count(*) FROM removal_effects((SELECT m FROM wide_models WHERE g = 1))) AS channels,
	   (SELECT conversion_probability(m) FROM wide_models WHERE g = 1) AS p_conv
FROM wide_models;

-- 3. sums that overflow are 22003 where they are computed, not a stored
-- value that cannot be read back (XX001 before)
CREATE TABLE overflow AS SELECT markov_agg(ARRAY['a'], 1, 0, 1e308) FROM generate_series(1, 2);
SELECT markov_agg(ARRAY['a'], 1, 0, -1e308) FROM generate_series(1, 2);
SELECT rollup(m) FROM (SELECT markov_agg(ARRAY['a'], 1, 0, 1e308) AS m FROM generate_series(1, 2) g GROUP BY g) s;
SELECT rollup(m) FROM (VALUES ('(v=1,conversions=9223372036854775807,non_conversions=0,transitions=[start>"a" 1])'::markov_model),
							  ('(v=1,conversions=1,non_conversions=0,transitions=[start>"a" 1])')) v(m);
SELECT '(v=1,conversions=0,non_conversions=0,transitions=[start>"a" 9223372036854775807,start>"a" 1])'::markov_model;
-- the largest finite sum still works
SELECT markov_agg(ARRAY['a'], 1, 0, v) FROM (VALUES (1e308::float8), (0.7976931348623157e308)) s(v);

-- 4. the text form is lossless: channels without any count (paths counted
-- zero times) are listed in idle=[...]; send(x) = send(in(out(x)))
CREATE TABLE lossless (label text, m markov_model);
INSERT INTO lossless
	SELECT 'zero-count paths only', markov_agg(p, 0, 0) FROM (VALUES (ARRAY['a', 'b']), (ARRAY['c'])) v(p)
	UNION ALL
	SELECT 'zero-count channels beside counted ones', markov_agg(p, c, n)
	FROM (VALUES (ARRAY['a', 'b'], 0::bigint, 0::bigint), (ARRAY['x'], 1, 0), (ARRAY['y', 'x'], 0, 2)) v(p, c, n)
	UNION ALL
	SELECT 'value 0 given', markov_agg(ARRAY['a'], 1, 0, 0)
	UNION ALL
	SELECT 'negative zero value', '(v=1,conversions=1,non_conversions=0,value=-0,transitions=[start>"a" 1,"a">conv 1])'
	UNION ALL
	SELECT 'quotes, empty and odd names', markov_agg(ARRAY['', 'say "hi"', 'a>b,c', 'idle=['], 1, 1)
	UNION ALL
	SELECT 'no channel, start to conv', '(v=1,conversions=2,non_conversions=0,transitions=[start>conv 2])'
	UNION ALL
	SELECT 'generated paths', markov_agg((ARRAY['s', 'e', 'd'])[1 + i % 3:1 + i % 7], i % 2, (i + 1) % 2, i)
	FROM generate_series(1, 300) i;
SELECT label, markov_model_send(m) = markov_model_send(m::text::markov_model) AS lossless,
	   (SELECT count(*) FROM removal_effects(m)) AS effects,
	   (SELECT count(*) FROM removal_effects(m::text::markov_model)) AS effects_after_text
FROM lossless ORDER BY label;
SELECT m FROM lossless WHERE label IN ('zero-count paths only', 'zero-count channels beside counted ones') ORDER BY label;
-- through a text COPY as well
\copy lossless TO 'results/lossless.txt'
CREATE TABLE lossless_copy (LIKE lossless);
\copy lossless_copy FROM 'results/lossless.txt'
SELECT count(*) AS models,
	   count(*) FILTER (WHERE markov_model_send(a.m) IS DISTINCT FROM markov_model_send(b.m)) AS changed
FROM lossless a JOIN lossless_copy b USING (label);
-- a binary value without conversion values must hold +0, not -0 (which the
-- text form cannot carry): byte 23 of the send form is the sign of the value
CREATE TABLE negzero AS
	SELECT overlay(markov_model_send(markov_agg(ARRAY['a'], 1, 0)) PLACING '\x80'::bytea FROM 23 FOR 1) AS b;
\copy negzero TO 'results/negzero.bin' WITH (FORMAT binary)
CREATE TABLE negzero_model (m markov_model);
\copy negzero_model FROM 'results/negzero.bin' WITH (FORMAT binary)
SELECT count(*) AS models,
	   count(*) FILTER (WHERE markov_model_send(m) IS DISTINCT FROM markov_model_send(m::text::markov_model)) AS changed
FROM negzero_model;
-- idle lists: empty is accepted, special states are not
SELECT '(v=1,conversions=0,non_conversions=0,transitions=[],idle=[])'::markov_model;
SELECT '(v=1,conversions=0,non_conversions=0,transitions=[],idle=[start])'::markov_model;

-- 5. removal effects with counts at INT64_MAX: the chain is solved by state
-- reduction with sums of non-negative terms only (the Gaussian elimination
-- computed 1 - 9223372036854775807/9223372036854775808 = 0 and called the
-- chain a trap)
-- a -> a 2^63-1 beside a -> conv 1: the walk leaves a for conv surely, P = 1
SELECT conversion_probability('(v=1,conversions=1,non_conversions=0,transitions=[start>"a" 1,"a">"a" 9223372036854775807,"a">conv 1])');
-- start -> a, b 1 each; a -> a 2^63-1, a -> conv 1, a -> null 3; b -> null 1:
-- P = 1/2 * 1/4 = 0.125; without a 0 (RE 1), without b 0.125 (RE 0)
SELECT channel, removal_effect, share, conversions
FROM removal_effects('(v=1,conversions=1,non_conversions=4,transitions=[start>"a" 1,start>"b" 1,"a">"a" 9223372036854775807,"a">conv 1,"a">null 3,"b">null 1])');
-- a <-> b at 2^63-1 both ways, b -> conv 1: P = 1, each channel RE 1
SELECT channel, removal_effect, share
FROM removal_effects('(v=1,conversions=1,non_conversions=0,transitions=[start>"a" 1,"a">"b" 9223372036854775807,"b">"a" 9223372036854775807,"b">conv 1])');
-- every count 2^63-1: start -> a, b; a -> b, conv; b -> conv, null:
-- P(b) = 1/2, P(a) = 3/4, P = 5/8; without a 1/4, without b 1/4: RE 0.6 each
SELECT channel, round(removal_effect::numeric, 12) AS re, conversion_probability(m) AS p
FROM (SELECT '(v=1,conversions=1,non_conversions=0,transitions=[start>"a" 9223372036854775807,start>"b" 9223372036854775807,"a">"b" 9223372036854775807,"a">conv 9223372036854775807,"b">conv 9223372036854775807,"b">null 9223372036854775807])'::markov_model AS m) s,
	 removal_effects(m);
-- a real trap is still refused
SELECT conversion_probability('(v=1,conversions=0,non_conversions=0,transitions=[start>"a" 1,"a">"b" 2,"b">"a" 3])');
-- the DETAIL names the first trapped channel ("b"; "a" converts), and the
-- SQLSTATE is 22M01, a model the data do not determine (22000 before)
SELECT * FROM removal_effects('(v=1,conversions=1,non_conversions=0,transitions=[start>"a" 1,start>"b" 1,"a">conv 1,"b">"c" 1,"c">"b" 1])');
\set VERBOSITY sqlstate
SELECT conversion_probability('(v=1,conversions=0,non_conversions=0,transitions=[start>"a" 1,"a">"b" 2,"b">"a" 3])');
SELECT * FROM removal_effects('(v=1,conversions=1,non_conversions=0,transitions=[start>"a" 1,"a">"a" 5])');
\set VERBOSITY default

-- 6. audit of the other functions
-- removal_effects never returns -0: a channel with no effect on a negative
-- total value (a refund) gets 0 (-10 * 0 / 1 printed -0 before)
SELECT channel, removal_effect, value
FROM removal_effects((SELECT markov_agg(p, c, n, v)
					  FROM (VALUES (ARRAY['a'], 1::bigint, 0::bigint, -10::float8), (ARRAY['z'], 0, 1, NULL)) s(p, c, n, v)));
-- removal effects of 256 densely connected channels are O(n^3) (one
-- elimination per removed channel, O(n^4), took ~1.4 s before; ~0.2 s now); the
-- effects add up like the conversions they share
CREATE TABLE dense AS
	SELECT markov_agg(ARRAY['c' || (i % 256), 'c' || ((i / 256) % 256)], (i % 3 = 0)::int, (i % 3 <> 0)::int) AS m
	FROM generate_series(0, 65535) i;
SET statement_timeout = :'cubic_timeout';
SELECT count(*) AS channels, round(sum(share)::numeric, 9) AS shares,
	   round(sum(conversions)::numeric, 6) = (SELECT count(*) FROM generate_series(0, 65535) i WHERE i % 3 = 0) AS conserved
FROM removal_effects((SELECT m FROM dense));
RESET statement_timeout;

DROP TABLE bigj, wide, wide_models, lossless, lossless_copy, negzero, negzero_model, dense;
-- + merges two Markov models (1.2, issue 17): the model markov_agg builds
-- over the paths of both parts, NULL when a side is NULL
CREATE TABLE plus_paths AS
	SELECT g, string_to_array((ARRAY['a,b', 'b,c', 'a,c', 'c'])[1 + g % 4], ',') AS path,
		   (g % 3 = 0)::int::bigint AS conv, (g % 3 <> 0)::int::bigint AS nonconv
	FROM generate_series(1, 30) g;
WITH a AS (SELECT markov_agg(path, conv, nonconv) AS m FROM plus_paths WHERE g <= 10),
	 b AS (SELECT markov_agg(path, conv, nonconv) AS m FROM plus_paths WHERE g > 10),
	 whole AS (SELECT markov_agg(path, conv, nonconv) AS m FROM plus_paths)
SELECT (a.m + b.m) = whole.m AS equals_whole, (b.m + a.m) = whole.m AS commutes,
	   conversion_probability(a.m + b.m) = conversion_probability(whole.m) AS same_probability,
	   (a.m + NULL::markov_model) IS NULL AS null_right
FROM a, b, whole;
DROP TABLE plus_paths;
