--
-- States as BI tools and notebooks use them (issue 18): equality, hashing
-- and ordering of every state type, so that DISTINCT, GROUP BY, UNION,
-- count(DISTINCT), ORDER BY and hash, merge and sort plans work.
--
-- Reference: the same operations on the states' text forms (plain SQL on
-- text): two states are equal exactly when they print the same.
--
SET extra_float_digits = 0;
-- states of every type, with repeats: 40 rows, fewer distinct values
CREATE TABLE ev AS
	SELECT g, g % 4 AS k, timestamptz '2026-01-01 00:00+00' + (g % 13) * interval '7 hours' AS ts,
		   (ARRAY['web', 'email', 'app'])[1 + g % 3] AS channel, g % 11 AS score
	FROM generate_series(1, 200) g;
CREATE TABLE st AS
	SELECT k, g % 10 AS r,
		   nps_agg(score) AS nps_summary, journey_agg(ts, channel) AS journey,
		   funnel_agg('1 day', ts, channel = 'web', channel = 'email') AS funnel,
		   markov_agg(ARRAY[channel], (score > 8)::int, (score <= 8)::int) AS markov_model,
		   engagement_agg(ts, 'involvement', 1, '7 days') AS engagement,
		   rfm_agg(ts, score::float8) AS rfm,
		   community_agg(k, g % 3, ts, g % 3 = 0) AS community_health,
		   bgnbd(1 + k, 2, 0.5, 1.5) AS bgnbd, gammagamma(6 + k, 3, 10) AS gammagamma
	FROM ev GROUP BY k, g % 10;
-- every state of half the groups once more, so that every type repeats
INSERT INTO st SELECT * FROM st WHERE r < 5;
-- one row per type: for each, the counts by the operators and by the text
CREATE FUNCTION pg_temp.check_ops(col text) RETURNS TABLE (
	type text, rows bigint, distinct_values bigint, distinct_texts bigint,
	grouped_hash bigint, grouped_sort bigint, unioned bigint,
	joined_hash bigint, joined_merge bigint, joined_texts bigint,
	order_agrees boolean, roundtrip_equal bigint, ne_consistent boolean)
LANGUAGE plpgsql AS $$
BEGIN
	SET LOCAL enable_hashagg = on;
	SET LOCAL enable_sort = off;
	EXECUTE format('SELECT count(*) FROM (SELECT %I FROM st GROUP BY 1) g', col) INTO grouped_hash;
	SET LOCAL enable_hashagg = off;
	SET LOCAL enable_sort = on;
	EXECUTE format('SELECT count(*) FROM (SELECT %I FROM st GROUP BY 1) g', col) INTO grouped_sort;
	SET LOCAL enable_hashagg = on;
	SET LOCAL enable_mergejoin = off;
	SET LOCAL enable_nestloop = off;
	EXECUTE format('SELECT count(*) FROM st a JOIN st b ON a.%1$I = b.%1$I', col) INTO joined_hash;
	SET LOCAL enable_mergejoin = on;
	SET LOCAL enable_hashjoin = off;
	EXECUTE format('SELECT count(*) FROM st a JOIN st b ON a.%1$I = b.%1$I', col) INTO joined_merge;
	SET LOCAL enable_hashjoin = on;
	SET LOCAL enable_nestloop = on;
	EXECUTE format($q$
		SELECT %1$L, count(*), count(DISTINCT %1$I), count(DISTINCT %1$I::text),
			   (SELECT count(*) FROM (SELECT %1$I FROM st UNION SELECT %1$I FROM st) u),
			   (SELECT count(*) FROM st a JOIN st b ON a.%1$I::text = b.%1$I::text),
			   (SELECT bool_and((a.%1$I < b.%1$I) = (%1$I_cmp(a.%1$I, b.%1$I) < 0)
							AND (a.%1$I <= b.%1$I) = NOT (a.%1$I > b.%1$I)
							AND (a.%1$I >= b.%1$I) = (b.%1$I <= a.%1$I)
							AND ((a.%1$I < b.%1$I)::int + (a.%1$I = b.%1$I)::int + (a.%1$I > b.%1$I)::int) = 1)
				FROM st a, st b),
			   count(*) FILTER (WHERE %1$I::text::%1$I = %1$I),
			   bool_and((SELECT bool_and((a.%1$I <> b.%1$I) = (a.%1$I::text <> b.%1$I::text)) FROM st a, st b))
		FROM st$q$, col)
		INTO type, rows, distinct_values, distinct_texts, unioned, joined_texts, order_agrees,
			 roundtrip_equal, ne_consistent;
	RETURN NEXT;
END
$$;
SELECT c.* FROM unnest(ARRAY['nps_summary', 'journey', 'funnel', 'markov_model', 'engagement', 'rfm',
							 'community_health', 'bgnbd', 'gammagamma']) t,
	 pg_temp.check_ops(t) c;
-- ORDER BY and DISTINCT ON use the btree order; the plans use the operators
EXPLAIN (COSTS OFF) SELECT DISTINCT journey FROM st;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT journey, count(*) FROM st GROUP BY journey;
RESET enable_hashagg;
-- NULLs: equality is strict, DISTINCT keeps one NULL
SELECT (SELECT bool_and((NULL::rfm = rfm) IS NULL) FROM st) AS null_eq,
	   (SELECT count(DISTINCT x) FROM st, LATERAL (VALUES (rfm), (NULL::rfm)) v(x)) AS distinct_non_null,
	   (SELECT count(*) FROM (SELECT DISTINCT x FROM st, LATERAL (VALUES (rfm), (NULL::rfm)) v(x)) d) AS distinct_with_null;
-- states that differ in one count are unequal and ordered one way or the other
SELECT '(v=1,promoters=1,passives=0,detractors=0)'::nps_summary = '(v=1,promoters=1,passives=0,detractors=0)'::nps_summary AS same,
	   '(v=1,promoters=1,passives=0,detractors=0)'::nps_summary < '(v=1,promoters=2,passives=0,detractors=0)'::nps_summary
	   OR '(v=1,promoters=1,passives=0,detractors=0)'::nps_summary > '(v=1,promoters=2,passives=0,detractors=0)'::nps_summary AS ordered;
-- hash functions agree with equality (equal states, equal hashes)
SELECT count(*) AS pairs_equal,
	   count(*) FILTER (WHERE journey_hash(a.journey) <> journey_hash(b.journey)
						OR journey_hash_extended(a.journey, 7) <> journey_hash_extended(b.journey, 7)) AS hash_differs
FROM st a JOIN st b ON a.journey = b.journey;
--
-- JSON forms: the casts expose every component; the numbers read back equal
-- the accessors' (reference: the accessors), json and jsonb agree, and
-- to_json of a row includes the states
--
SELECT count(*) AS states,
	   count(*) FILTER (WHERE (j->>'promoters')::bigint = promoters(nps_summary)
						AND (j->>'passives')::bigint = passives(nps_summary)
						AND (j->>'detractors')::bigint = detractors(nps_summary)
						AND (j->>'responses')::bigint = responses(nps_summary)
						AND NOT (j->>'weighted')::boolean) AS nps_equal,
	   count(*) FILTER (WHERE nps_summary::json::jsonb = j) AS json_is_jsonb
FROM st, LATERAL (SELECT nps_summary::jsonb AS j) x;
SELECT nps_agg(s, w)::jsonb AS weighted
FROM (VALUES (10, 1.5), (9, 0.5), (7, 1.0), (0, 2.0)) v(s, w);
SELECT count(*) AS states,
	   count(*) FILTER (WHERE jsonb_array_length(j->'days') = frequency(rfm) + 1
						AND (SELECT sum((d->>'amount')::float8) FROM jsonb_array_elements(j->'days') d)
							= (SELECT sum(score) FROM ev WHERE ev.k = st.k AND ev.g % 10 = st.r)
						AND (j->'days'->0->>'day')::timestamptz = (SELECT date_trunc('day', min(ts), 'UTC') FROM ev WHERE ev.k = st.k AND ev.g % 10 = st.r))
		 AS rfm_equal,
	   count(*) FILTER (WHERE (j2->'involvement'->>'events')::bigint = events(engagement)
						AND (j2->'involvement'->>'value')::float8 = involvement(engagement, last_seen(engagement))
						AND (j2->>'last_seen')::timestamptz = last_seen(engagement)
						AND (j2->>'first_seen')::timestamptz = first_seen(engagement)
						AND (j2->>'half_life_usec')::bigint = 7 * 86400000000) AS engagement_equal,
	   count(*) FILTER (WHERE (j3->>'steps')::int = steps(funnel) AND (j3->>'window_usec')::bigint = 86400000000
						AND jsonb_array_length(j3->'events') = (SELECT count(*) FROM ev WHERE ev.k = st.k AND ev.g % 10 = st.r AND channel IN ('web', 'email'))
						AND j3->'mode' = '[]') AS funnel_equal,
	   count(*) FILTER (WHERE (SELECT sum((rec->>'posts')::bigint) FROM jsonb_array_elements(j4->'records') rec) = posts(community_health)
						AND (SELECT count(DISTINCT rec->>'thread_id') FROM jsonb_array_elements(j4->'records') rec) = threads(community_health)
						AND NOT (j4->>'views')::boolean) AS community_equal
FROM st, LATERAL (SELECT rfm::jsonb AS j, engagement::jsonb AS j2, funnel::jsonb AS j3,
						 community_health::jsonb AS j4) x;
-- keys of every form (documented): a change of key is a failing test
SELECT t, (SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(j) k) AS keys
FROM (SELECT nps_summary::jsonb AS n, rfm::jsonb AS r, engagement::jsonb AS e, funnel::jsonb AS f,
			 community_health::jsonb AS c
	  FROM st ORDER BY k, r LIMIT 1) s,
	 LATERAL (VALUES ('nps_summary', n), ('rfm', r), ('rfm.days[0]', r->'days'->0), ('engagement', e),
					 ('engagement.involvement', e->'involvement'), ('funnel', f), ('funnel.events[0]', f->'events'->0),
					 ('community_health', c), ('community_health.records[0]', c->'records'->0)) v(t, j);
SELECT to_json(r) FROM (SELECT k, nps_summary AS n FROM st ORDER BY k LIMIT 1) r;
-- NULL in, NULL out
SELECT NULL::rfm::json IS NULL AS json_null, NULL::community_health::jsonb IS NULL AS jsonb_null;
-- bgnbd and gammagamma: the parameters (a fitted model's JSON, with the fit
-- and its standard errors, is tested in predict.sql)
SELECT bgnbd(0.243, 4.414, 0.793, 2.426)::jsonb AS constructed, gammagamma(6.25, 3.74, 15.44)::json AS gg;
--
-- unnest(state): the rows a state holds; reference: plain SQL over the rows
-- the states were built from
--
SELECT count(*) AS states,
	   count(*) FILTER (WHERE (SELECT count(*) FROM unnest(rfm)) = frequency(rfm) + 1
						AND (SELECT sum(amount) FROM unnest(rfm))
							= (SELECT sum(score) FROM ev WHERE ev.k = st.k AND ev.g % 10 = st.r)) AS rfm_rows,
	   count(*) FILTER (WHERE (SELECT count(*) FROM unnest(funnel))
							= (SELECT count(*) FROM ev WHERE ev.k = st.k AND ev.g % 10 = st.r AND channel IN ('web', 'email'))
						AND (SELECT max(step) FROM unnest(funnel)) = 2) AS funnel_rows,
	   count(*) FILTER (WHERE (SELECT sum(posts) FROM unnest(community_health)) = posts(community_health)
						AND (SELECT count(*) FROM unnest(community_health))
							= (SELECT count(DISTINCT (k, g % 3)) FROM ev WHERE ev.k = st.k AND ev.g % 10 = st.r)) AS community_rows
FROM st;
SELECT * FROM unnest((SELECT rfm_agg(ts, amount) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz, 10.0),
		('2026-01-05 23:00+00', 2.5), ('2026-01-07 00:00+00', 1.0)) v(ts, amount)));
SELECT * FROM unnest((SELECT community_agg(t, a, ts, s, NULL, snt) FROM (VALUES
		(1, 10, '2026-03-01 10:00+00'::timestamptz, true, -0.5), (1, 11, '2026-03-01 11:00+00', false, NULL),
		(1, 10, '2026-03-01 12:00+00', false, 0.25)) v(t, a, ts, s, snt)));
SELECT count(*) FROM unnest(NULL::funnel);
-- journeys and Markov models: JSON forms and unnest() against the raw rows
SELECT count(*) AS states,
	   count(*) FILTER (WHERE jsonb_array_length(journey::jsonb->'touches') = touches(journey)
						AND (SELECT count(*) FROM unnest(journey)) = touches(journey)
						AND (SELECT array_agg(channel ORDER BY ts, channel) FROM unnest(journey))
							= (SELECT array_agg(channel ORDER BY ts, channel) FROM ev WHERE ev.k = st.k AND ev.g % 10 = st.r)
						AND (SELECT array_agg(u.channel ORDER BY ord) FROM unnest(journey) WITH ORDINALITY u(ts, channel, event, ord))
							= ARRAY(SELECT t->>'channel' FROM jsonb_array_elements(journey::jsonb->'touches') t)) AS journey_equal,
	   count(*) FILTER (WHERE (SELECT sum(count) FROM unnest(markov_model) WHERE to_kind = 'conversion')
							= (markov_model::jsonb->>'conversions')::bigint
						AND (SELECT count(*) FROM unnest(markov_model))
							= jsonb_array_length(markov_model::jsonb->'transitions')
						AND (SELECT bool_and(abs(s - 1) < 1e-12) FROM (SELECT sum(probability) AS s FROM unnest(markov_model)
																	   GROUP BY from_channel) p)) AS markov_equal
FROM st;
SELECT * FROM unnest((SELECT journey_agg(ts, ch, ev) FROM (VALUES ('2026-01-01 10:00+00'::timestamptz, 'web', 'view'),
		('2026-01-01 11:00+00', 'em"ail', NULL)) v(ts, ch, ev)));
SELECT (SELECT journey_agg(ts, ch, ev) FROM (VALUES ('2026-01-01 10:00+00'::timestamptz, 'web', 'view'),
		('2026-01-01 11:00+00', 'em"ail', NULL)) v(ts, ch, ev))::json AS journey_json;
SELECT * FROM unnest((SELECT markov_agg(p, c, n) FROM (VALUES (ARRAY['a', 'b'], 2::bigint, 1::bigint),
		(ARRAY['b'], 0, 3)) v(p, c, n)));
SELECT (SELECT markov_agg(p, c, n, v) FROM (VALUES (ARRAY['a'], 2::bigint, 1::bigint, 10.5)) t(p, c, n, v))::jsonb AS markov_jsonb;
DROP TABLE ev, st;
