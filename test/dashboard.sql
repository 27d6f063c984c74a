--
-- test/dashboard.sql: the engagement dashboard over the generated CRM data
-- (test/gen_data.sql).  Each capability adds its section.
--
\set ON_ERROR_STOP 1
\set QUIET on
\pset footer off
SET timezone = 'UTC';
SET client_min_messages = warning;

\echo
\echo '==================================================================='
\echo ' Data'
\echo '==================================================================='
SELECT 'customers' AS "table", count(*) AS "rows" FROM crm.customers
UNION ALL SELECT 'touches', count(*) FROM crm.touches
UNION ALL SELECT 'survey answers', count(*) FROM crm.surveys
UNION ALL SELECT 'orders', count(*) FROM crm.orders
UNION ALL SELECT 'referrals', count(*) FROM crm.referrals
UNION ALL SELECT 'community posts', count(*) FROM crm.community_posts;

\echo
\echo ' Touches by channel'
SELECT channel, count(*) AS touches, round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "% of touches",
	   count(DISTINCT customer_id) AS customers
FROM crm.touches GROUP BY 1 ORDER BY 2 DESC;

\echo
\echo '==================================================================='
\echo ' Net Promoter Score by month, with its 95% interval'
\echo ' (daily states stored once, rolled up to months: the two-step pattern)'
\echo '==================================================================='
CREATE TEMP TABLE nps_daily AS
	SELECT answered_at::date AS day, nps_agg(score) AS s, nps_agg(score, weight) AS ws
	FROM crm.surveys GROUP BY 1;
SELECT to_char(date_trunc('month', day), 'YYYY-MM') AS month,
	   responses(rollup(s)) AS answers,
	   promoters(rollup(s)) AS promoters,
	   passives(rollup(s)) AS passives,
	   detractors(rollup(s)) AS detractors,
	   round(nps(rollup(s))::numeric, 1) AS nps,
	   round(lower_bound(rollup(s))::numeric, 1) AS "lower 95%",
	   round(upper_bound(rollup(s))::numeric, 1) AS "upper 95%",
	   round(nps(rollup(ws))::numeric, 1) AS "weighted nps"
FROM nps_daily
WHERE day >= date '2025-11-01'
GROUP BY 1 ORDER BY 1;

\echo
\echo ' NPS by region (weighted, with Kish effective sample size)'
SELECT region, responses(s) AS answers,
	   round(effective_responses(ws)::numeric, 0) AS "effective n",
	   round(nps(s)::numeric, 1) AS nps,
	   round(nps(ws)::numeric, 1) AS "weighted nps",
	   round(margin_of_error(ws)::numeric, 1) AS "+/- 95%"
FROM (SELECT region, nps_agg(score) AS s, nps_agg(score, weight) AS ws
	  FROM crm.surveys JOIN crm.customers USING (customer_id) GROUP BY region) r
ORDER BY nps DESC;

\echo
\echo ' Did NPS move? October 2026 against September 2026'
SELECT round(difference::numeric, 1) AS "difference (points)", round(z::numeric, 2) AS z,
	   round(p_value::numeric, 3) AS "p-value"
FROM nps_compare((SELECT rollup(s) FROM nps_daily WHERE day >= date '2026-10-01'),
				 (SELECT rollup(s) FROM nps_daily WHERE day >= date '2026-09-01' AND day < date '2026-10-01'));

\echo
\echo '==================================================================='
\echo ' Journeys: sessions across channels (30 minutes of inactivity)'
\echo '==================================================================='
CREATE TEMP TABLE journeys AS
	SELECT customer_id, journey_agg(ts, channel, event) AS j FROM crm.touches GROUP BY customer_id;
SELECT count(*) AS customers, sum(touches(j)) AS touches,
	   sum(session_count(j, '30 minutes')) AS sessions,
	   round(avg(session_count(j, '30 minutes')), 1) AS "sessions per customer",
	   round(avg(channel_switches(j)), 1) AS "channel switches per customer",
	   round(sum(pg_column_size(j))::numeric / sum(touches(j)), 1) AS "bytes per touch"
FROM journeys;

\echo
\echo ' Sessions by entry channel: length, touches, how often they cross channels'
SELECT s.entry_channel, count(*) AS sessions,
	   round(avg(s.touches), 1) AS "touches",
	   to_char(avg(s.ended - s.started), 'MI:SS') AS "avg length",
	   round(100.0 * avg((cardinality(s.channels) > 1)::int), 1) AS "% multichannel"
FROM journeys, sessions(j, '30 minutes') s
GROUP BY 1 ORDER BY 2 DESC;

\echo
\echo ' Most frequent channel transitions'
SELECT from_channel, to_channel, sum(n) AS transitions
FROM journeys, channel_transitions(j)
WHERE from_channel <> to_channel
GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 8;

\echo
\echo '==================================================================='
\echo ' Engagement score: four I''s, 30-day half-life, as of 2026-11-01 (default scale 10)'
\echo '==================================================================='
CREATE TEMP TABLE engagement_states AS
SELECT customer_id, engagement_agg(ts, dimension, value, '30 days') AS e
FROM (SELECT customer_id, ts,
			 CASE WHEN event IN ('view', 'open', 'visit') THEN 'involvement'
				  WHEN event IN ('share', 'signup') THEN 'influence'
				  ELSE 'interaction' END::engagement_dimension AS dimension,
			 CASE event WHEN 'purchase' THEN 5 WHEN 'review' THEN 3 WHEN 'share' THEN 3 ELSE 1 END AS value
	  FROM crm.touches
	  UNION ALL
	  SELECT customer_id, answered_at, 'intimacy', (score - 5) / 5.0
	  FROM crm.surveys WHERE score IS NOT NULL) ev
GROUP BY 1;
-- bands of 20 points, labelled by their bounds (a score of 100 is in the last)
SELECT band, (band - 1) * 20 || '-' || band * 20 AS score, count(*) AS customers
FROM (SELECT least(width_bucket(score(e, '2026-11-01'), 0, 100, 5), 5) AS band
	  FROM engagement_states) s
GROUP BY 1 ORDER BY 1;

\echo
\echo ' Top customers and why (points of the score from each dimension)'
SELECT s.customer_id, c.region,
	   round(score(s.e, '2026-11-01')::numeric, 1) AS score,
	   round(x.involvement::numeric, 1) AS involvement, round(x.interaction::numeric, 1) AS interaction,
	   round(x.intimacy::numeric, 1) AS intimacy, round(x.influence::numeric, 1) AS influence,
	   events(s.e) AS events, last_seen(s.e)::date AS last_seen
FROM engagement_states s JOIN crm.customers c USING (customer_id),
	 LATERAL (SELECT sum(contribution) FILTER (WHERE dimension = 'involvement') AS involvement,
					 sum(contribution) FILTER (WHERE dimension = 'interaction') AS interaction,
					 sum(contribution) FILTER (WHERE dimension = 'intimacy') AS intimacy,
					 sum(contribution) FILTER (WHERE dimension = 'influence') AS influence
			  FROM score_factors(s.e, '2026-11-01')) x
ORDER BY score DESC, s.customer_id LIMIT 10;

\echo
\echo ' RFM (lifetimes definitions, weeks): repeat buyers by frequency'
SELECT least(frequency(r), 5) AS "repeat purchases (5 = 5+)", count(*) AS customers,
	   round(avg(recency(r, '7 days'))::numeric, 1) AS "avg recency (weeks)",
	   round(avg(age(r, '2026-10-31', '7 days'))::numeric, 1) AS "avg age (weeks)",
	   round(avg(monetary(r))::numeric, 2) AS "avg repeat spend"
FROM (SELECT customer_id, rfm_agg(ordered_at, amount::float8) AS r FROM crm.orders GROUP BY 1) s
GROUP BY 1 ORDER BY 1;

\echo
\echo '==================================================================='
\echo ' Funnel: view -> purchase -> review within 14 days, by acquisition channel'
\echo '==================================================================='
SELECT acquisition_channel,
	   count(*) AS customers,
	   round(100.0 * avg((level >= 1)::int), 1) AS "% viewed",
	   round(100.0 * avg((level >= 2)::int), 1) AS "% purchased",
	   round(100.0 * avg((level >= 3)::int), 1) AS "% reviewed"
FROM (SELECT customer_id,
			 window_funnel('14 days', ts, event = 'view', event = 'purchase', event = 'review') AS level
	  FROM crm.touches GROUP BY customer_id) f
JOIN crm.customers USING (customer_id)
GROUP BY 1 ORDER BY 2 DESC;

\echo
\echo ' Retention of the 2026 sign-up cohorts: active in month 1, 2 and 3 after signing up'
SELECT to_char(date_trunc('quarter', signed_up_at), 'YYYY-"Q"Q') AS cohort,
	   count(*) AS customers,
	   round(100.0 * avg(r[2]::int), 1) AS "% month 1",
	   round(100.0 * avg(r[3]::int), 1) AS "% month 2",
	   round(100.0 * avg(r[4]::int), 1) AS "% month 3"
FROM (SELECT t.customer_id, c.signed_up_at,
			 retention(t.ts < c.signed_up_at + interval '30 days',
					   t.ts >= c.signed_up_at + interval '30 days' AND t.ts < c.signed_up_at + interval '60 days',
					   t.ts >= c.signed_up_at + interval '60 days' AND t.ts < c.signed_up_at + interval '90 days',
					   t.ts >= c.signed_up_at + interval '90 days' AND t.ts < c.signed_up_at + interval '120 days') AS r
	  FROM crm.touches t JOIN crm.customers c USING (customer_id)
	  WHERE c.signed_up_at >= timestamptz '2026-01-01' AND c.signed_up_at < timestamptz '2026-07-01'
	  GROUP BY 1, 2) x
GROUP BY 1 ORDER BY 1;

\echo
\echo '==================================================================='
\echo ' Attribution of first purchases: rule-based against data-driven (Markov)'
\echo '==================================================================='
CREATE TEMP TABLE buyer_paths AS
SELECT c.customer_id, first_purchase,
	   channel_path(journey_agg(t.ts, t.channel), false) AS path
FROM crm.customers c
LEFT JOIN (SELECT customer_id, min(ordered_at) AS first_purchase FROM crm.orders GROUP BY 1) o USING (customer_id)
JOIN crm.touches t ON t.customer_id = c.customer_id
	 AND t.ts <= coalesce(o.first_purchase, timestamptz '2026-10-31')
	 AND t.ts > coalesce(o.first_purchase, timestamptz '2026-10-31') - interval '30 days'
GROUP BY 1, 2;
WITH markov AS (
	SELECT r.channel, r.conversions, r.removal_effect
	FROM (SELECT markov_agg(path, (first_purchase IS NOT NULL)::int, (first_purchase IS NULL)::int) AS m
		  FROM buyer_paths) s,
		 removal_effects(s.m) r
), rules AS (
	SELECT a.channel,
		   sum(a.credit) FILTER (WHERE m.model = 'last_touch') AS last_touch,
		   sum(a.credit) FILTER (WHERE m.model = 'linear') AS linear,
		   sum(a.credit) FILTER (WHERE m.model = 'position_based') AS position_based
	FROM (SELECT customer_id, journey_agg(t.ts, t.channel) AS j
		  FROM buyer_paths b JOIN crm.touches t USING (customer_id)
		  WHERE b.first_purchase IS NOT NULL AND t.ts <= b.first_purchase
			AND t.ts > b.first_purchase - interval '30 days'
		  GROUP BY customer_id) c,
		 (VALUES ('last_touch'), ('linear'), ('position_based')) m(model),
		 attribution(c.j, m.model) a
	GROUP BY 1
)
SELECT channel, round(last_touch) AS "last touch", round(linear) AS linear,
	   round(position_based) AS "40/20/40", round(conversions) AS markov,
	   round(removal_effect::numeric, 3) AS "removal effect"
FROM rules JOIN markov USING (channel)
ORDER BY markov DESC;

\echo
\echo '==================================================================='
\echo ' Customer value: CLV, referral value (CRV) and engagement value (CEV)'
\echo ' 10% a year; referral: 10 retention cost, 40 acquisition cost saved,'
\echo ' unknown referrals count as joining anyway with probability 0.5'
\echo '==================================================================='
WITH clv AS (
	SELECT customer_id, present_value(margin, ordered_at, timestamptz '2026-10-31', 0.10) AS clv
	FROM crm.orders GROUP BY 1
), referral_value AS (
	SELECT r.referrer_id, r.referee_id, r.would_have_joined, r.reward,
		   present_value(o.margin, o.ordered_at, r.referred_at, 0.10) AS margin_value
	FROM crm.referrals r LEFT JOIN crm.orders o ON o.customer_id = r.referee_id
	GROUP BY 1, 2, 3, 4, r.referred_at
), crv AS (
	SELECT referrer_id AS customer_id, count(*) AS referrals,
		   crv(referee_id, would_have_joined, margin_value, reward, 10.0, 40.0, 0.5) AS crv
	FROM referral_value GROUP BY 1
)
SELECT customer_id, region, referrals,
	   round(coalesce(clv, 0)::numeric, 2) AS clv,
	   round(crv::numeric, 2) AS crv,
	   round(cev(clv, crv)::numeric, 2) AS cev
FROM crv LEFT JOIN clv USING (customer_id) JOIN crm.customers USING (customer_id)
ORDER BY crv DESC LIMIT 10;

\echo
\echo '==================================================================='
\echo ' Predictive CLV: BG/NBD purchases and Gamma-Gamma spend, in weeks'
\echo ' fitted on orders before 2026-05-01, checked on the 26 weeks after'
\echo '==================================================================='
CREATE TEMP TABLE calibration AS
SELECT customer_id, frequency(r)::float8 AS x, recency(r, '7 days') AS t_x,
	   age(r, timestamptz '2026-05-01 00:00+00', '7 days') AS t, monetary(r) AS zbar
FROM (SELECT customer_id, rfm_agg(ordered_at, amount::float8) AS r
	  FROM crm.orders WHERE ordered_at < timestamptz '2026-05-01 00:00+00' GROUP BY 1) s;
-- the models unpenalized when the data determine them; when a fit does not
-- converge (22M01: too few customers or repeat buyers, as in small demos), a
-- small penalizer, then a larger one, as lifetimes' users do with
-- penalizer_coef, with a warning; when even that fails (a parameter that runs
-- to zero, which the penalty does not hold back), no model: the section says
-- why instead of presenting a model the data cannot support
CREATE FUNCTION pg_temp.fit_purchases() RETURNS bgnbd LANGUAGE plpgsql AS $$
DECLARE
	pen float8;
BEGIN
	RETURN (SELECT bgnbd_fit(x, t_x, t) FROM calibration);
EXCEPTION WHEN SQLSTATE '22M01' THEN
	FOREACH pen IN ARRAY ARRAY[0.001, 0.01] LOOP
		BEGIN
			RAISE WARNING 'BG/NBD: %; fitting with penalizer %', SQLERRM, pen;
			RETURN (SELECT bgnbd_fit(x, t_x, t, pen) FROM calibration);
		EXCEPTION WHEN SQLSTATE '22M01' THEN
			NULL;
		END;
	END LOOP;
	RETURN NULL;
END
$$;
CREATE FUNCTION pg_temp.fit_spend() RETURNS gammagamma LANGUAGE plpgsql AS $$
DECLARE
	pen float8;
BEGIN
	RETURN (SELECT gammagamma_fit(x, zbar) FROM calibration);
EXCEPTION WHEN SQLSTATE '22M01' THEN
	FOREACH pen IN ARRAY ARRAY[0.001, 0.01] LOOP
		BEGIN
			RAISE WARNING 'Gamma-Gamma: %; fitting with penalizer %', SQLERRM, pen;
			RETURN (SELECT gammagamma_fit(x, zbar, pen) FROM calibration);
		EXCEPTION WHEN SQLSTATE '22M01' THEN
			NULL;
		END;
	END LOOP;
	RETURN NULL;
END
$$;
CREATE TEMP TABLE clv_models AS
SELECT pg_temp.fit_purchases() AS purchases, pg_temp.fit_spend() AS spend;
SELECT purchases IS NOT NULL AND spend IS NOT NULL AS have_models,
	   (SELECT count(*) FROM calibration) AS cal_customers,
	   (SELECT count(*) FILTER (WHERE x > 0) FROM calibration) AS cal_repeaters
FROM clv_models \gset
\if :have_models
SELECT 'BG/NBD' AS model, p.parameter, round(p.estimate::numeric, 4) AS estimate,
	   round(p.std_error::numeric, 4) AS "std error", customers(purchases) AS customers
FROM clv_models, parameters(purchases) p
UNION ALL
SELECT 'Gamma-Gamma', p.parameter, round(p.estimate::numeric, 4), round(p.std_error::numeric, 4),
	   customers(spend)
FROM clv_models, parameters(spend) p;

\echo 'holdout: purchase days predicted by the model vs what happened (26 weeks)'
SELECT CASE WHEN x = 0 THEN '0' WHEN x < 3 THEN '1-2' WHEN x < 6 THEN '3-5' ELSE '6+' END AS "repeat purchases before",
	   count(*) AS customers,
	   round(sum(expected_purchases(purchases, 26, x, t_x, t))::numeric) AS predicted,
	   sum(coalesce(actual, 0)) AS actual,
	   round(avg(p_alive(purchases, x, t_x, t))::numeric, 3) AS "mean p(alive)"
FROM calibration CROSS JOIN clv_models
LEFT JOIN (SELECT customer_id, count(DISTINCT (ordered_at AT TIME ZONE 'UTC')::date) AS actual
		   FROM crm.orders WHERE ordered_at >= timestamptz '2026-05-01 00:00+00' GROUP BY 1) h
	USING (customer_id)
GROUP BY 1 ORDER BY 1;

\echo 'top 10 by predicted 12-month CLV (months of 4.345 weeks, 1% a month)'
SELECT customer_id, x::int AS "repeats", round(t_x::numeric, 1) AS "recency (w)",
	   round(t::numeric, 1) AS "age (w)",
	   round(p_alive(purchases, x, t_x, t)::numeric, 3) AS "p(alive)",
	   round(expected_purchases(purchases, 52, x, t_x, t)::numeric, 2) AS "next 52 w",
	   round(expected_spend(spend, x, zbar)::numeric, 2) AS "spend/order",
	   round(predicted_clv(purchases, spend, x, t_x, t, zbar, 12, 4.345, 0.01)::numeric, 2) AS "CLV 12 m"
FROM calibration CROSS JOIN clv_models
ORDER BY "CLV 12 m" DESC LIMIT 10;
\else
\echo 'no model: the' :cal_customers 'customers before 2026-05-01, of whom' :cal_repeaters 'bought again, do not determine BG/NBD and Gamma-Gamma even with a penalizer'
\endif

\echo
\echo '==================================================================='
\echo ' Community health: the six factors per community, last 3 months'
\echo ' (composite 0..1000, CHI-inspired: Lithium''s weighting is not public)'
\echo '==================================================================='
CREATE TEMP TABLE community_months AS
SELECT community, date_trunc('month', posted_at AT TIME ZONE 'UTC')::date AS month,
	   community_agg(thread_id, author_id, posted_at, parent_post_id IS NULL, views) AS h
FROM crm.community_posts GROUP BY 1, 2;
SELECT community, month, posts(h) AS posts, members(h) AS members,
	   round(100.0 * answered_threads(h) / nullif(threads(h), 0)) AS "answered %",
	   justify_hours(date_trunc('minute', first_reply_time(h))) AS "first reply",
	   round(interactivity(h)::numeric, 2) AS "members/thread",
	   round(liveliness(h, month + interval '1 month' - month)::numeric, 1) AS "posts/week",
	   round(health_index(h, month + interval '1 month' - month, previous)::numeric) AS health
FROM (SELECT *, lag(h) OVER (PARTITION BY community ORDER BY month) AS previous
	  FROM community_months) m
WHERE month BETWEEN date '2026-08-01' AND date '2026-10-01'
ORDER BY community, month;

\echo 'escalation: customers of October waiting over 24 hours for an answer (as of 2026-10-31)'
SELECT community, e.thread_id, e.customer_id, e.answered AS "answered before",
	   e.waiting_since::timestamp(0) AS "waiting since", justify_hours(date_trunc('minute', e.waiting)) AS waiting
FROM (SELECT community, rollup(h) AS h FROM community_months
	  WHERE month = date '2026-10-01' GROUP BY 1) c,
	 escalations(c.h, timestamptz '2026-10-31 00:00+00', '24 hours') e
ORDER BY e.waiting DESC LIMIT 10;

\echo
\echo '==================================================================='
\echo ' Identity stitching: anonymous visits attached to customers'
\echo ' (pairs of identifiers seen together; unknown@example.com never merges)'
\echo '==================================================================='
CREATE TEMP TABLE identity AS
	SELECT identity_agg(id_a, id_b, seen_at) AS g FROM crm.identity_links;
CREATE TEMP TABLE identity_map AS
	SELECT i.* FROM identity, identities(g, '{crm}', never_merge => '{email:unknown@example.com}') i;
SELECT identifiers(g) AS identifiers, pairs(g) AS "distinct pairs",
	   (SELECT count(*) FROM crm.identity_links) AS "pairs seen",
	   (SELECT count(*) FROM components(g, '{crm}', never_merge => '{email:unknown@example.com}')) AS components,
	   (SELECT max(size) FROM components(g, '{crm}', never_merge => '{email:unknown@example.com}')) AS "largest",
	   (SELECT max(size) FROM components(g)) AS "largest without the guard rail",
	   (SELECT count(*) FROM refused_pairs(g, never_merge => '{email:unknown@example.com}')) AS "refused pairs"
FROM identity;
SELECT v.channel, count(*) AS "anonymous visits",
	   count(*) FILTER (WHERE m.canonical_id LIKE 'crm:%') AS "attached to a customer",
	   round(100.0 * count(*) FILTER (WHERE m.canonical_id LIKE 'crm:%') / count(*), 1) AS "% attached",
	   count(*) FILTER (WHERE v.ts < f.first_seen) AS "before sign-up",
	   count(DISTINCT m.canonical_id) FILTER (WHERE m.canonical_id LIKE 'crm:%') AS customers
FROM crm.web_visits v
LEFT JOIN identity_map m ON m.identifier = v.visitor_id
-- a customer number is first seen at sign-up (the graph's own first times)
LEFT JOIN (SELECT u.identifier_a AS identifier, u.seen_at AS first_seen
		   FROM identity, unnest(g) u WHERE u.identifier_a = u.identifier_b) f
	   ON m.canonical_id LIKE 'crm:%' AND f.identifier = m.canonical_id
GROUP BY 1 ORDER BY 1;

\echo
\echo '==================================================================='
\echo ' Does engagement predict a purchase? Fitted on 2026-08-01 (orders in'
\echo ' the next 31 days), judged on 2026-10-01 (AUC with DeLong''s 95% interval)'
\echo '==================================================================='
-- per customer and cut-off, each fact grouped by customer (so that Citus runs
-- every piece on the workers), then joined here: the engagement state, the
-- RFM state and the latest NPS answer from before the cut-off, and whether an
-- order followed within 31 days; customers without events before it are out
CREATE TEMP TABLE predict_samples AS
WITH ev AS (
	SELECT customer_id, ts,
		   CASE WHEN event IN ('view', 'open', 'visit') THEN 'involvement'
				WHEN event IN ('share', 'signup') THEN 'influence'
				ELSE 'interaction' END::engagement_dimension AS dimension,
		   CASE event WHEN 'purchase' THEN 5 WHEN 'review' THEN 3 WHEN 'share' THEN 3 ELSE 1 END AS value
	FROM crm.touches
	UNION ALL
	SELECT customer_id, answered_at, 'intimacy', (score - 5) / 5.0
	FROM crm.surveys WHERE score IS NOT NULL
), e AS (
	SELECT 'train' AS sample, timestamptz '2026-08-01' AS cutoff, customer_id,
		   engagement_agg(ts, dimension, value, '30 days') AS e
	FROM ev WHERE ts < '2026-08-01' GROUP BY customer_id
	UNION ALL
	SELECT 'holdout', timestamptz '2026-10-01', customer_id, engagement_agg(ts, dimension, value, '30 days')
	FROM ev WHERE ts < '2026-10-01' GROUP BY customer_id
), o AS (
	SELECT customer_id,
		   rfm_agg(ordered_at, amount::float8) FILTER (WHERE ordered_at < '2026-08-01') AS r_train,
		   rfm_agg(ordered_at, amount::float8) FILTER (WHERE ordered_at < '2026-10-01') AS r_holdout,
		   bool_or(ordered_at >= '2026-08-01' AND ordered_at < timestamptz '2026-08-01' + interval '31 days') AS bought_train,
		   bool_or(ordered_at >= '2026-10-01' AND ordered_at < timestamptz '2026-10-01' + interval '31 days') AS bought_holdout
	FROM crm.orders GROUP BY customer_id
), n AS (
	SELECT customer_id,
		   (array_agg(score ORDER BY answered_at DESC) FILTER (WHERE answered_at < '2026-08-01'))[1] AS nps_train,
		   (array_agg(score ORDER BY answered_at DESC) FILTER (WHERE answered_at < '2026-10-01'))[1] AS nps_holdout
	FROM crm.surveys WHERE score IS NOT NULL GROUP BY customer_id
)
SELECT e.sample, e.cutoff, e.customer_id, e.e,
	   CASE e.sample WHEN 'train' THEN o.r_train ELSE o.r_holdout END AS r,
	   CASE e.sample WHEN 'train' THEN n.nps_train ELSE n.nps_holdout END AS nps_answer,
	   coalesce(CASE e.sample WHEN 'train' THEN o.bought_train ELSE o.bought_holdout END, false) AS bought
FROM e LEFT JOIN o USING (customer_id) LEFT JOIN n USING (customer_id);
-- a fit the data do not determine (a demo too small) says so instead of failing the dashboard
CREATE TEMP TABLE predict_model (m engagement_logit);
DO $$
BEGIN
	INSERT INTO predict_model
	SELECT engagement_logit_fit(e, cutoff, bought) FROM predict_samples WHERE sample = 'train';
EXCEPTION WHEN SQLSTATE '22M01' THEN
	RAISE NOTICE 'learned weights: %', SQLERRM;
END $$;
WITH holdout AS (
	SELECT s.*, (SELECT outcome_probability(m, s.e, s.cutoff) FROM predict_model) AS learned,
		   score(e, cutoff, '{1,1,1,1}', 50) AS equal_weights,
		   ntile(5) OVER (ORDER BY age(r, cutoff, '1 day') - recency(r) DESC NULLS FIRST, customer_id)
		   + ntile(5) OVER (ORDER BY frequency(r) NULLS FIRST, customer_id)
		   + ntile(5) OVER (ORDER BY monetary(r) NULLS FIRST, customer_id) AS rfm_score
	FROM predict_samples s WHERE sample = 'holdout'
)
SELECT predictor, positives(c) AS buyers, negatives(c) AS others, round(auc(c)::numeric, 3) AS auc,
	   round((auc_ci(c)).lower::numeric, 3) AS lower_95, round((auc_ci(c)).upper::numeric, 3) AS upper_95
FROM (SELECT 1 AS k, 'learned weights (fitted on August)' AS predictor, classifier_agg(learned, bought) AS c FROM holdout
	  UNION ALL SELECT 2, 'engagement score, equal weights', classifier_agg(equal_weights, bought) FROM holdout
	  UNION ALL SELECT 3, 'latest NPS answer (respondents)', classifier_agg(nps_answer, bought) FROM holdout
	  UNION ALL SELECT 4, 'RFM quintiles (3..15)', classifier_agg(rfm_score, bought) FROM holdout) q
ORDER BY k;
