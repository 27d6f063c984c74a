--
-- Markov attribution of order 2 to 4 (issue 22): markov_agg(path,
-- conversions, non_conversions, conversion_value, order).
--
-- Expected values: a small chain solved by hand below; on generated paths,
-- the k-gram transitions counted by plain SQL and removal effects computed
-- by value iteration in PL/pgSQL (both independent of the C code), and
-- conservation properties.  The states follow ChannelAttribution's
-- markov_model(order = k): the windows of k consecutive channels, a path
-- shorter than k being one state of all its channels.
--
SET extra_float_digits = 0;

--
-- A chain by hand, order 2
--
CREATE TABLE hand (path text[], conv bigint, nulls bigint);
INSERT INTO hand VALUES
	('{a,b}', 2, 1),		-- start>(a,b) 3, (a,b)>conv 2, (a,b)>null 1
	('{c,a}', 1, 1),		-- start>(c,a) 2, (c,a)>conv 1, (c,a)>null 1
	('{c}', 1, 1),			-- shorter than the order: start>(c) 2, (c)>conv 1, (c)>null 1
	('{c,a,b}', 1, 0);		-- start>(c,a) 1, (c,a)>(a,b) 1, (a,b)>conv 1
-- Transitions: start: (a,b) 3, (c,a) 3, (c) 2 (of 8); (a,b): conv 3, null 1
-- (of 4); (c,a): conv 1, null 1, (a,b) 1 (of 3); (c): conv 1, null 1.
-- P(conv from (a,b)) = 3/4, from (c,a) = 1/3 + 1/3 * 3/4 = 7/12, from (c) = 1/2;
-- P(conv) = 3/8 * 3/4 + 3/8 * 7/12 + 2/8 * 1/2 = 5/8 (= 5 conversions / 8 paths).
-- Without a ((a,b) and (c,a) lead to null): 2/8 * 1/2 = 1/8, RE = 1 - 1/5 = 0.8.
-- Without b ((a,b) leads to null): 3/8 * 1/3 + 2/8 * 1/2 = 1/4, RE = 1 - 2/5 = 0.6.
-- Without c ((c,a) and (c) lead to null): 3/8 * 3/4 = 9/32, RE = 1 - 9/20 = 0.55.
-- Shares: 0.8 / 1.95 = 0.410256, 0.6 / 1.95 = 0.307692, 0.55 / 1.95 = 0.282051;
-- conversions 5 * share: 2.051282, 1.538462, 1.410256.
CREATE TABLE hand_model AS SELECT markov_agg(path, conv, nulls, NULL, 2) AS m FROM hand;
SELECT m FROM hand_model;
SELECT u.from_channel, u.to_channel, u.to_kind, u.count, round(u.probability::numeric, 6) AS probability
FROM hand_model, unnest(m) u;
SELECT round(conversion_probability(m)::numeric, 12) = 0.625 AS p_conv_is_5_8 FROM hand_model;
SELECT r.channel, round(r.removal_effect::numeric, 6) AS removal_effect,
	   round(r.share::numeric, 6) AS share, round(r.conversions::numeric, 6) AS conversions, r.value,
	   round(r.removal_effect::numeric, 12) = CASE r.channel WHEN 'a' THEN 0.8 WHEN 'b' THEN 0.6 ELSE 0.55 END AS agrees
FROM hand_model, removal_effects(m) r ORDER BY 1;
-- the unnest states read back as text[]
SELECT from_channel::text[] AS from_state, to_channel::text[] AS to_state
FROM hand_model, unnest(m) WHERE from_channel IS NOT NULL AND to_kind = 'channel';
-- names with quotes, backslashes and commas read back from the text[] literal
-- and from the JSON arrays
SELECT (SELECT array_agg(x ORDER BY x) FROM (SELECT to_channel::text[] AS x FROM unnest(m) WHERE to_kind = 'channel') u)
	 = ARRAY[ARRAY['a"b', 'c\d'], ARRAY['c\d', 'e,f']] AS unnest_states,
	   (SELECT array_agg(ARRAY[t -> 'to' ->> 0, t -> 'to' ->> 1] ORDER BY t -> 'to' ->> 0)
		FROM jsonb_array_elements(m::jsonb -> 'transitions') t WHERE t ->> 'to_kind' = 'channel')
	 = ARRAY[ARRAY['a"b', 'c\d'], ARRAY['c\d', 'e,f']] AS json_states,
	   m::text::markov_model = m AS text_round_trip
FROM (SELECT markov_agg(ARRAY['a"b', 'c\d', 'e,f'], 1, 0, NULL, 2) AS m) s;
-- JSON form: the order and states as arrays
SELECT m::jsonb - 'transitions' AS model, m::jsonb -> 'transitions' -> 3 AS a_transition FROM hand_model;
SELECT m::json::jsonb = m::jsonb AS json_agrees FROM hand_model;
-- order 1 of the same paths: the first-order chain of today
SELECT m = (SELECT markov_agg(path, conv, nulls) FROM hand) AS order_1_is_first_order,
	   m::text FROM (SELECT markov_agg(path, conv, nulls, NULL, 1) AS m FROM hand) s;
-- order 3: every path is as long as the order or shorter, so one state per
-- path: start>(a,b) 3, (c) 2, (c,a) 2, (c,a,b) 1; P(conv) 2/3, 1/2, 1/2, 1.
-- Without a: only (c) is left, 2/8 * 1/2 = 1/8, RE 0.8; without b: (c) and
-- (c,a), 1/8 + 1/8, RE 0.6; without c: (a,b), 3/8 * 2/3 = 1/4, RE 0.6.
SELECT m FROM (SELECT markov_agg(path, conv, nulls, NULL, 3) AS m FROM hand) s;
SELECT channel, round(removal_effect::numeric, 6) FROM removal_effects((SELECT markov_agg(path, conv, nulls, NULL, 3) FROM hand)) ORDER BY 1;
-- repeated channels: (b,b) loops on itself, which only delays the walk
SELECT m, round(conversion_probability(m)::numeric, 12) AS p_conv
FROM (SELECT markov_agg(p, c, n, NULL, 2) AS m
	  FROM (VALUES ('{b,b,b}'::text[], 1::bigint, 0::bigint), ('{b,a}', 0, 1)) v(p, c, n)) s;
-- values: a NULL value adds nothing; values attributed add up
SELECT m, round(sum(r.value)::numeric, 9) AS value_attributed
FROM (SELECT markov_agg(path, conv, nulls, conv * 10.5, 2) AS m FROM hand) s, removal_effects(s.m) r
GROUP BY m;

--
-- Text and binary forms
--
CREATE TABLE forms AS
	SELECT k, markov_agg(path, conv, nulls, conv * 2.5, k) AS m FROM hand, generate_series(1, 4) k GROUP BY k;
CREATE TABLE forms_copy (LIKE forms);
\copy forms TO '/tmp/markov_order_forms.bin' WITH (FORMAT binary)
\copy forms_copy FROM '/tmp/markov_order_forms.bin' WITH (FORMAT binary)
SELECT k, f.m = c.m AS binary_round_trip, f.m::text::markov_model = f.m AS text_round_trip,
	   (f.m::text::markov_model)::text = f.m::text AS prints_same
FROM forms f JOIN forms_copy c USING (k) ORDER BY k;
-- idle channels (paths counted zero times) are kept, as for order 1
SELECT m, m::text::markov_model = m AS round_trip
FROM (SELECT markov_agg(p, c, n, NULL, 2) AS m
	  FROM (VALUES ('{a,b}'::text[], 1::bigint, 0::bigint), ('{z,y}', 0, 0)) v(p, c, n)) s;
SELECT channel, removal_effect FROM removal_effects(
	(SELECT markov_agg(p, c, n, NULL, 2) FROM (VALUES ('{a,b}'::text[], 1::bigint, 0::bigint), ('{z,y}', 0, 0)) v(p, c, n)))
ORDER BY 1;
-- a hand-typed model, and the checks of the text form
SELECT '(v=2,order=2,conversions=1,non_conversions=0,transitions=[start>("a","b") 1,("a","b")>conv 1])'::markov_model;
SELECT '(v=2,order=2,conversions=1,non_conversions=0,transitions=[start>("a","b") 1,("a","b")>("a","c") 1,("a","c")>conv 1])'::markov_model;
SELECT '(v=2,order=2,conversions=1,non_conversions=0,transitions=[start>("a") 1,("a")>("a","b") 1,("a","b")>conv 1])'::markov_model;
SELECT '(v=2,order=2,conversions=1,non_conversions=0,transitions=[start>("a","b","c") 1])'::markov_model;
SELECT '(v=2,order=2,conversions=1,non_conversions=0,transitions=[start>"a" 1])'::markov_model;
SELECT '(v=2,order=5,conversions=1,non_conversions=0,transitions=[])'::markov_model;
SELECT '(v=2,order=1,conversions=1,non_conversions=0,transitions=[])'::markov_model;
SELECT '(v=3,conversions=1,non_conversions=0,transitions=[])'::markov_model;
SELECT '(v=1,order=2,conversions=1,non_conversions=0,transitions=[])'::markov_model;
-- a loop with no exit is refused when read for probabilities (22M01)
SELECT conversion_probability('(v=2,order=2,conversions=0,non_conversions=0,transitions=[start>("a","a") 1,("a","a")>("a","a") 1])'::markov_model);

--
-- Bad input
--
SELECT markov_agg(path, conv, nulls, NULL, 0) FROM hand;
SELECT markov_agg(path, conv, nulls, NULL, 5) FROM hand;
SELECT markov_agg(path, conv, nulls, NULL, NULL) FROM hand;
-- the order must not change within a group
SELECT markov_agg(path, conv, nulls, NULL, CASE WHEN conv = 2 THEN 3 ELSE 2 END) FROM hand;
-- models of different orders do not merge
SELECT rollup(m) FROM forms;
SELECT f1.m + f2.m FROM forms f1, forms f2 WHERE f1.k = 1 AND f2.k = 2;
SELECT (SELECT m FROM forms WHERE k = 3) + (SELECT m FROM forms WHERE k = 3) = (SELECT markov_agg(path, conv * 2, nulls * 2, conv * 5.0, 3) FROM hand) AS add_same_order;
-- NULL and empty paths are skipped, NULL counts are 0; no row: NULL
SELECT markov_agg(path, conv, nulls, NULL, 2) IS NULL AS empty FROM hand WHERE false;
SELECT markov_agg(p, c, n, NULL, 2)
FROM (VALUES (NULL::text[], 1::bigint, 0::bigint), ('{}', 1, 0), ('{x,y}', NULL, 1)) v(p, c, n);
SELECT markov_agg(ARRAY['a', NULL], 1, 0, NULL, 2);
SELECT markov_agg(ARRAY['a'], -1, 0, NULL, 2);
-- the limit on states: 2,000 besides start (54000)
SELECT markov_agg(ARRAY['c' || (i % 50), 'd' || (i / 50)], 1, 0, NULL, 2) IS NOT NULL AS at_limit
FROM generate_series(0, 1999) i;
SELECT markov_agg(ARRAY['c' || (i % 50), 'd' || (i / 50)], 1, 0, NULL, 2)
FROM generate_series(0, 2000) i;

--
-- Generated paths: independent counts and removal effects
--
CREATE TABLE gen AS
	SELECT i,
		   (SELECT array_agg((ARRAY['search', 'social', 'email', 'display'])
							 [1 + abs(hashint4(i * 10 + k)) % 4] ORDER BY k)
			FROM generate_series(1, 1 + abs(hashint4(i)) % 6) k) AS path,
		   (abs(hashint4(i * 3)) % 3 = 0)::int::bigint AS conv,
		   (abs(hashint4(i * 3)) % 3 <> 0)::int::bigint AS nulls
	FROM generate_series(1, 3000) i;
-- the states of a path by plain SQL: windows of k channels, or the whole
-- path when shorter (k = 2, 3, 4)
CREATE TABLE gen_states AS
	SELECT k, i, s, CASE WHEN cardinality(path) < k THEN path ELSE path[s:s + k - 1] END AS st,
		   s = greatest(cardinality(path) - k + 1, 1) AS last, conv, nulls
	FROM gen, generate_series(2, 4) k,
		 generate_series(1, greatest(cardinality(path) - k + 1, 1)) s;
CREATE TABLE gen_trans AS
	SELECT k, f.st::text AS from_state, t.st::text AS to_state, sum(f.conv + f.nulls) AS count
	FROM gen_states f JOIN gen_states t USING (k, i) WHERE t.s = f.s + 1 GROUP BY 1, 2, 3
	UNION ALL
	SELECT k, NULL, st::text, sum(conv + nulls) FROM gen_states WHERE s = 1 GROUP BY 1, 3
	UNION ALL
	SELECT k, st::text, 'conv', sum(conv) FROM gen_states WHERE last GROUP BY 1, 2 HAVING sum(conv) > 0
	UNION ALL
	SELECT k, st::text, 'null', sum(nulls) FROM gen_states WHERE last GROUP BY 1, 2 HAVING sum(nulls) > 0;
CREATE TABLE gen_models AS
	SELECT k, markov_agg(path, conv, nulls, NULL, k) AS m FROM gen, generate_series(1, 4) k GROUP BY k;
-- unnest gives exactly the transitions counted by SQL (expect no rows)
(SELECT k, from_state, to_state, count FROM gen_trans
 EXCEPT
 SELECT k, u.from_channel::text[]::text,
		CASE u.to_kind WHEN 'channel' THEN u.to_channel::text[]::text WHEN 'conversion' THEN 'conv' ELSE 'null' END,
		u.count
 FROM gen_models g, unnest(g.m) u WHERE k > 1)
UNION ALL
(SELECT k, u.from_channel::text[]::text,
		CASE u.to_kind WHEN 'channel' THEN u.to_channel::text[]::text WHEN 'conversion' THEN 'conv' ELSE 'null' END,
		u.count
 FROM gen_models g, unnest(g.m) u WHERE k > 1
 EXCEPT
 SELECT k, from_state, to_state, count FROM gen_trans);
SELECT k, count(*) AS transitions FROM gen_trans GROUP BY k ORDER BY k;
-- P(conv) of a chain fitted on its own paths is conversions / paths, at
-- every order; conversions attributed add up
SELECT k, round(conversion_probability(m)::numeric, 9) = round((SELECT sum(conv)::numeric / count(*) FROM gen), 9) AS p_conv_matches,
	   (SELECT round(sum(conversions)::numeric, 6) FROM removal_effects(m)) = (SELECT sum(conv) FROM gen) AS conserved
FROM gen_models ORDER BY k;
-- removal effects by value iteration over the SQL transitions: x(s) =
-- P(s, conv) + sum P(s, t) x(t), the states holding the removed channel at 0
CREATE FUNCTION indep_p_conv(order_k int, removed text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
	delta float8 := 1;
	iter int := 0;
	result float8;
BEGIN
	CREATE TEMP TABLE x (state text PRIMARY KEY, v float8);
	INSERT INTO x SELECT DISTINCT from_state, 0 FROM gen_trans WHERE k = order_k AND from_state IS NOT NULL;
	CREATE TEMP TABLE p AS
		SELECT from_state, to_state, count::float8 / sum(count) OVER (PARTITION BY from_state) AS prob
		FROM gen_trans WHERE k = order_k AND from_state IS NOT NULL;
	WHILE delta > 1e-14 AND iter < 10000 LOOP
		WITH u AS (
			UPDATE x SET v = q.v
			FROM (SELECT x0.state, x0.v AS old,
						 CASE WHEN removed = ANY (x0.state::text[]) THEN 0
							  ELSE sum(p.prob * CASE p.to_state WHEN 'conv' THEN 1 WHEN 'null' THEN 0 ELSE y.v END) END AS v
				  FROM x x0 JOIN p ON p.from_state = x0.state LEFT JOIN x y ON y.state = p.to_state
				  GROUP BY x0.state, x0.v) q
			WHERE x.state = q.state RETURNING abs(q.v - q.old) AS d)
		SELECT max(d) INTO delta FROM u;
		iter := iter + 1;
	END LOOP;
	SELECT sum(t.count * x.v) / sum(t.count) INTO result
	FROM gen_trans t JOIN x ON x.state = t.to_state WHERE t.k = order_k AND t.from_state IS NULL;
	DROP TABLE x;
	DROP TABLE p;
	RETURN result;
END $$;
CREATE TABLE indep AS
	SELECT k, c.channel, indep_p_conv(k, c.channel) AS p_without, indep_p_conv(k, '') AS p
	FROM generate_series(2, 4) k, (VALUES ('search'), ('social'), ('email'), ('display')) c(channel);
SELECT g.k, r.channel, round(r.removal_effect::numeric, 6) AS removal_effect,
	   abs(r.removal_effect - (1 - i.p_without / i.p)) < 1e-10 AS agrees_with_value_iteration
FROM gen_models g, removal_effects(g.m) r JOIN indep i ON i.channel = r.channel
WHERE i.k = g.k ORDER BY 1, 2;

--
-- Merging: rollup of partial models equals the whole, also in parallel
--
SELECT k, (SELECT rollup(m) FROM (SELECT markov_agg(path, conv, nulls, NULL, k) AS m FROM gen GROUP BY i % 7) s)
		= (SELECT markov_agg(path, conv, nulls, NULL, k) FROM gen) AS rollup_equal,
	   (SELECT a.m + b.m FROM (SELECT markov_agg(path, conv, nulls, NULL, k) AS m FROM gen WHERE i % 2 = 0) a,
							  (SELECT markov_agg(path, conv, nulls, NULL, k) AS m FROM gen WHERE i % 2 = 1) b)
		= (SELECT markov_agg(path, conv, nulls, NULL, k) FROM gen) AS add_equal
FROM generate_series(1, 4) k ORDER BY k;
-- order 1 through the new form is byte for byte the first-order model
SELECT (SELECT markov_agg(path, conv, nulls, conv * 3.0, 1) FROM gen) = (SELECT markov_agg(path, conv, nulls, conv * 3.0) FROM gen) AS order_1_equal;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT markov_agg(path, conv, nulls, NULL, 3) FROM gen;
SELECT markov_agg(path, conv, nulls, NULL, 3) = (SELECT m FROM gen_models WHERE k = 3) AS parallel_equal FROM gen;
-- a group whose rows all have NULL paths still carries its order through a worker
SELECT markov_agg(CASE WHEN i > 1500 THEN path END, conv, nulls, NULL, 2)
	 = (SELECT markov_agg(path, conv, nulls, NULL, 2) FROM gen WHERE i > 1500) AS parallel_partial_equal FROM gen;
RESET ALL;
SET extra_float_digits = 0;

--
-- Upgrade path: a model stored by 1.1 (format version 1) reads as order 1
--
SELECT m, (m::jsonb) ->> 'order' AS json_order, round(conversion_probability(m)::numeric, 6) AS p_conv
FROM (SELECT '(v=1,conversions=1,non_conversions=1,transitions=[start>"a" 2,"a">conv 1,"a">null 1])'::markov_model AS m) s;
SELECT rollup(m) FROM (VALUES ('(v=1,conversions=1,non_conversions=1,transitions=[start>"a" 2,"a">conv 1,"a">null 1])'::markov_model),
							  ((SELECT markov_agg(ARRAY['a'], 1, 0, NULL, 1)))) v(m);
SELECT '(v=1,conversions=1,non_conversions=1,transitions=[start>"a" 2,"a">conv 1,"a">null 1])'::markov_model
	 + markov_agg(ARRAY['a', 'b'], 1, 0, NULL, 2) FROM (VALUES (1)) v;

--
-- The text form is bounded: states repeat the channel names, so 252 channels
-- of 994-byte names (990 of them quotes, doubled in the text form) through 3
-- middle channels give 190,512 second-order transitions between states of two
-- names each: a model of about 640 kB stored (each name once) whose text form
-- would pass 1.5 GB.  Such a model could not be printed (nor its table
-- dumped): it is refused where it is built (54000), as it is on input.
--
WITH ch AS (SELECT i, repeat('"', 990) || lpad(i::text, 4, '0') AS nm FROM generate_series(1, 252) i),
	 mid AS (SELECT repeat('"', 990) || 'M' || j AS nm FROM generate_series(1, 3) j)
SELECT markov_agg(ARRAY[a.nm, m.nm, c.nm], 1, 0, NULL, 2) IS NOT NULL FROM ch a, mid m, ch c;

DROP TABLE hand, hand_model, forms, forms_copy, gen, gen_states, gen_trans, gen_models, indep;
DROP FUNCTION indep_p_conv(int, text);
