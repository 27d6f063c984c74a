--
-- test/bi_views.sql: example views a BI tool (Metabase, Tableau, Power BI,
-- Excel, DBeaver) points a dashboard at.  They read the generated CRM data
-- (test/gen_data.sql) and return plain columns (numbers, text, dates) and,
-- where useful, the state itself for further rollups.
--
--   psql -f test/bi_views.sql        (after CREATE EXTENSION engagement)
--
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bi CASCADE;
CREATE SCHEMA bi;

-- monthly NPS with its 95% interval; nps_state rolls up to quarters
CREATE VIEW bi.monthly_nps AS
SELECT month,
	   responses(s) AS responses,
	   promoters(s) AS promoters,
	   detractors(s) AS detractors,
	   round(nps(s)::numeric, 1) AS nps,
	   round(lower_bound(s)::numeric, 1) AS nps_lower_95,
	   round(upper_bound(s)::numeric, 1) AS nps_upper_95,
	   s AS nps_state
FROM (SELECT date_trunc('month', answered_at)::date AS month, nps_agg(score) AS s
	  FROM crm.surveys GROUP BY 1) m;

-- sessions per entry channel (30 minutes of inactivity ends a session)
CREATE VIEW bi.sessions_by_channel AS
SELECT s.entry_channel AS channel,
	   count(*) AS sessions,
	   round(avg(s.touches), 2) AS avg_touches,
	   round(avg(extract(epoch FROM s.ended - s.started)) / 60, 2) AS avg_minutes,
	   round(avg((cardinality(s.channels) > 1)::int), 3) AS multichannel_share
FROM (SELECT customer_id, journey_agg(ts, channel) AS j FROM crm.touches GROUP BY 1) c,
	 sessions(c.j, '30 minutes') s
GROUP BY 1;

-- customer journeys: the state and readable columns
CREATE VIEW bi.customer_journeys AS
SELECT customer_id, touches(j) AS touches, first_touch(j) AS first_channel,
	   last_touch(j) AS last_channel, channel_switches(j) AS channel_switches,
	   session_count(j, '30 minutes') AS sessions,
	   array_to_string(channel_path(j), ' > ') AS channel_path,
	   j AS journey
FROM (SELECT customer_id, journey_agg(ts, channel, event) AS j FROM crm.touches GROUP BY 1) c;

-- funnel view -> purchase -> review within 14 days, by sign-up month
CREATE VIEW bi.funnel_by_cohort AS
SELECT date_trunc('month', c.signed_up_at)::date AS cohort,
	   count(*) AS customers,
	   count(*) FILTER (WHERE deepest_step(f) >= 1) AS viewed,
	   count(*) FILTER (WHERE deepest_step(f) >= 2) AS purchased,
	   count(*) FILTER (WHERE deepest_step(f) >= 3) AS reviewed,
	   rollup(f) AS funnel
FROM (SELECT customer_id,
			 funnel_agg('14 days', ts, event = 'view', event = 'purchase', event = 'review') AS f
	  FROM crm.touches GROUP BY 1) t
JOIN crm.customers c USING (customer_id)
GROUP BY 1;

-- data-driven channel attribution of purchases
CREATE VIEW bi.channel_attribution AS
SELECT r.channel, round(r.removal_effect::numeric, 4) AS removal_effect,
	   round(r.share::numeric, 4) AS share, round(r.conversions::numeric, 1) AS conversions,
	   s.m AS model
FROM (SELECT markov_agg(channel_path(j, false),
						(EXISTS (SELECT 1 FROM crm.orders o WHERE o.customer_id = c.customer_id))::int,
						(NOT EXISTS (SELECT 1 FROM crm.orders o WHERE o.customer_id = c.customer_id))::int) AS m
	  FROM (SELECT customer_id, journey_agg(ts, channel) AS j FROM crm.touches GROUP BY 1) c) s,
	 removal_effects(s.m) r;

-- customer value leaders: CLV, CRV and CEV
CREATE VIEW bi.value_leaders AS
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
SELECT c.customer_id, c.region, coalesce(crv.referrals, 0) AS referrals,
	   round(coalesce(clv.clv, 0)::numeric, 2) AS clv,
	   round(coalesce(crv.crv, 0)::numeric, 2) AS crv,
	   round(cev(clv.clv, crv.crv)::numeric, 2) AS cev
FROM crm.customers c
LEFT JOIN clv USING (customer_id)
LEFT JOIN crv USING (customer_id)
WHERE clv.clv IS NOT NULL OR crv.crv IS NOT NULL;

-- engagement leaderboard with its explanation (the four I's, 30-day half-life,
-- the default scale 10: most of the demo's customers have gone quiet, and at
-- this scale the active ones spread over the bands)
CREATE VIEW bi.engagement_leaderboard AS
WITH events AS (
	SELECT customer_id, ts,
		   CASE WHEN event IN ('view', 'open', 'visit') THEN 'involvement'
				WHEN event IN ('share', 'signup') THEN 'influence'
				ELSE 'interaction' END::engagement_dimension AS dimension,
		   CASE event WHEN 'purchase' THEN 5 WHEN 'review' THEN 3 WHEN 'share' THEN 3 ELSE 1 END AS value
	FROM crm.touches
	UNION ALL
	SELECT customer_id, answered_at, 'intimacy', (score - 5) / 5.0
	FROM crm.surveys WHERE score IS NOT NULL
), states AS (
	SELECT customer_id, engagement_agg(ts, dimension, value, '30 days') AS e
	FROM events GROUP BY 1
)
SELECT s.customer_id,
	   round(score(s.e, timestamptz '2026-11-01')::numeric, 1) AS score,
	   round(x.involvement::numeric, 1) AS from_involvement,
	   round(x.interaction::numeric, 1) AS from_interaction,
	   round(x.intimacy::numeric, 1) AS from_intimacy,
	   round(x.influence::numeric, 1) AS from_influence,
	   events(s.e) AS events,
	   last_seen(s.e)::date AS last_seen,
	   s.e AS engagement
FROM states s,
	 LATERAL (SELECT sum(contribution) FILTER (WHERE dimension = 'involvement') AS involvement,
					 sum(contribution) FILTER (WHERE dimension = 'interaction') AS interaction,
					 sum(contribution) FILTER (WHERE dimension = 'intimacy') AS intimacy,
					 sum(contribution) FILTER (WHERE dimension = 'influence') AS influence
			  FROM score_factors(s.e, timestamptz '2026-11-01')) x;

-- predicted customer value: BG/NBD and Gamma-Gamma fitted on the order
-- history (weeks, to 2026-10-31); the models are refitted on every read,
-- a materialized view keeps them for a large customer base
CREATE VIEW bi.predicted_value AS
WITH rfm AS (
	SELECT customer_id, frequency(r)::float8 AS x, recency(r, '7 days') AS t_x,
		   age(r, timestamptz '2026-10-31', '7 days') AS t, monetary(r) AS zbar
	FROM (SELECT customer_id, rfm_agg(ordered_at, amount::float8) AS r FROM crm.orders GROUP BY 1) s
), models AS (
	SELECT bgnbd_fit(x, t_x, t) AS purchases, gammagamma_fit(x, zbar) AS spend FROM rfm
)
SELECT customer_id, x::int AS repeat_purchases,
	   round(p_alive(purchases, x, t_x, t)::numeric, 4) AS p_alive,
	   round(expected_purchases(purchases, 13, x, t_x, t)::numeric, 4) AS purchases_next_13_weeks,
	   round(expected_spend(spend, x, zbar)::numeric, 2) AS spend_per_order,
	   round(predicted_clv(purchases, spend, x, t_x, t, zbar, 12, 4.345, 0.01)::numeric, 2) AS clv_12_months
FROM rfm CROSS JOIN models;

-- community health per community and month (the composite is CHI-inspired,
-- see the README), and the support team's queue of unanswered questions
CREATE VIEW bi.community_health AS
WITH monthly AS (
	SELECT community, date_trunc('month', posted_at AT TIME ZONE 'UTC')::date AS month,
		   community_agg(thread_id, author_id, posted_at, parent_post_id IS NULL, views) AS h
	FROM crm.community_posts GROUP BY 1, 2
)
SELECT community, month, posts(h) AS posts, threads(h) AS threads, members(h) AS members,
	   answered_threads(h) AS answered_threads,
	   round((extract(epoch FROM first_reply_time(h)) / 60)::numeric, 1) AS first_reply_minutes,
	   round(interactivity(h)::numeric, 2) AS members_per_thread,
	   round(health_index(h, (month + interval '1 month') - month,
									lag(h) OVER (PARTITION BY community ORDER BY month))::numeric) AS health,
	   h AS state
FROM monthly;

CREATE VIEW bi.support_escalations AS
SELECT c.community, e.thread_id, e.customer_id,
	   CASE WHEN e.answered THEN 'yes' ELSE 'no' END AS answered_before,
	   (e.waiting_since AT TIME ZONE 'UTC')::timestamp(0) AS waiting_since_utc,
	   round((extract(epoch FROM e.waiting) / 3600)::numeric, 1) AS waiting_hours
FROM (SELECT community, community_agg(thread_id, author_id, posted_at, parent_post_id IS NULL) AS h
	  FROM crm.community_posts
	  WHERE posted_at >= timestamptz '2026-10-31 00:00+00' - interval '30 days' GROUP BY 1) c,
	 escalations(c.h, timestamptz '2026-10-31 00:00+00', '24 hours') e;

-- The views below feed the demo's HTML report (test/report.py); each chart
-- of the report shows the one query over these views that produced it.

-- monthly NPS with its 95% interval per region
CREATE VIEW bi.monthly_nps_by_region AS
SELECT region, month,
	   responses(s) AS responses,
	   round(nps(s)::numeric, 1) AS nps,
	   round(lower_bound(s)::numeric, 1) AS nps_lower_95,
	   round(upper_bound(s)::numeric, 1) AS nps_upper_95,
	   s AS nps_state
FROM (SELECT c.region, date_trunc('month', v.answered_at)::date AS month, nps_agg(v.score) AS s
	  FROM crm.surveys v JOIN crm.customers c USING (customer_id) GROUP BY 1, 2) m;

-- funnel view -> purchase -> review within 14 days, by acquisition channel
CREATE VIEW bi.funnel_by_channel AS
SELECT c.acquisition_channel,
	   count(*) AS customers,
	   count(*) FILTER (WHERE deepest_step(f) >= 1) AS viewed,
	   count(*) FILTER (WHERE deepest_step(f) >= 2) AS purchased,
	   count(*) FILTER (WHERE deepest_step(f) >= 3) AS reviewed,
	   rollup(f) AS funnel
FROM (SELECT customer_id,
			 funnel_agg('14 days', ts, event = 'view', event = 'purchase', event = 'review') AS f
	  FROM crm.touches GROUP BY 1) t
JOIN crm.customers c USING (customer_id)
GROUP BY 1;

-- retention of each sign-up month: the share of its customers with a touch
-- in days 30k to 30(k+1) after signing up, k = 1 to 6; only the windows
-- every customer of the cohort has completed by 2026-10-31
CREATE VIEW bi.retention_by_cohort AS
SELECT cohort, k AS months_after, count(*) AS customers,
	   count(*) FILTER (WHERE r[k + 1]) AS retained,
	   round(avg(r[k + 1]::int), 3) AS retained_share
FROM (SELECT date_trunc('month', c.signed_up_at)::date AS cohort,
			 retention(t.ts < c.signed_up_at + interval '30 days',
					   t.ts >= c.signed_up_at + interval '30 days' AND t.ts < c.signed_up_at + interval '60 days',
					   t.ts >= c.signed_up_at + interval '60 days' AND t.ts < c.signed_up_at + interval '90 days',
					   t.ts >= c.signed_up_at + interval '90 days' AND t.ts < c.signed_up_at + interval '120 days',
					   t.ts >= c.signed_up_at + interval '120 days' AND t.ts < c.signed_up_at + interval '150 days',
					   t.ts >= c.signed_up_at + interval '150 days' AND t.ts < c.signed_up_at + interval '180 days',
					   t.ts >= c.signed_up_at + interval '180 days' AND t.ts < c.signed_up_at + interval '210 days') AS r
	  FROM crm.touches t JOIN crm.customers c USING (customer_id)
	  GROUP BY t.customer_id, c.signed_up_at) x,
	 generate_series(1, 6) k
WHERE cohort + interval '1 month' + (k + 1) * interval '30 days' <= timestamp '2026-10-31'
GROUP BY 1, 2;

-- moves from one channel to another within customers' journeys
CREATE VIEW bi.channel_transitions AS
SELECT t.from_channel, t.to_channel, sum(t.n) AS transitions
FROM (SELECT customer_id, journey_agg(ts, channel) AS j FROM crm.touches GROUP BY 1) c,
	 channel_transitions(c.j) t
WHERE t.from_channel <> t.to_channel
GROUP BY 1, 2;

-- first purchases credited to channels (touches of the 30 days before) by
-- five rule-based models and the Markov model (customers without a purchase:
-- the 30 days before 2026-10-31, as non-conversions)
CREATE VIEW bi.attribution_by_model AS
WITH paths AS (
	SELECT c.customer_id, o.first_purchase, journey_agg(t.ts, t.channel) AS j
	FROM crm.customers c
	LEFT JOIN (SELECT customer_id, min(ordered_at) AS first_purchase FROM crm.orders GROUP BY 1) o
		USING (customer_id)
	JOIN crm.touches t ON t.customer_id = c.customer_id
		 AND t.ts <= coalesce(o.first_purchase, timestamptz '2026-10-31 00:00+00')
		 AND t.ts > coalesce(o.first_purchase, timestamptz '2026-10-31 00:00+00') - interval '30 days'
	GROUP BY 1, 2
)
SELECT a.channel, m.model, round(sum(a.credit)::numeric, 1) AS conversions
FROM paths p,
	 (VALUES ('first_touch'), ('last_touch'), ('linear'), ('position_based'), ('time_decay')) m(model),
	 attribution(p.j, m.model) a
WHERE p.first_purchase IS NOT NULL
GROUP BY 1, 2
UNION ALL
SELECT r.channel, 'markov', round(r.conversions::numeric, 1)
FROM (SELECT markov_agg(channel_path(j, false), (first_purchase IS NOT NULL)::int,
						(first_purchase IS NULL)::int) AS m
	  FROM paths) s,
	 removal_effects(s.m) r;

-- BG/NBD probability of being alive over a grid of repeat purchases (0 to
-- 15, the last row 15 or more) and recency (weeks, buckets of 8, P(alive)
-- at the middle of each) at the age of the oldest customer, with the
-- customers whose frequency and recency fall in each cell; the model is
-- bi.predicted_value's, refitted on each read.  A grid joined to the cells,
-- not a LATERAL subquery: Citus 13's planner crashes (SIGSEGV in
-- find_lateral_references) planning that form over distributed tables.
CREATE VIEW bi.p_alive_grid AS
WITH rfm AS (
	SELECT customer_id, frequency(r)::float8 AS x, recency(r, '7 days') AS t_x,
		   age(r, timestamptz '2026-10-31', '7 days') AS t
	FROM (SELECT customer_id, rfm_agg(ordered_at, amount::float8) AS r FROM crm.orders GROUP BY 1) s
), model AS (
	SELECT bgnbd_fit(x, t_x, t) AS purchases, max(t) AS age FROM rfm
), cells AS (
	SELECT least(x, 15)::int AS x, (floor(t_x / 8) * 8)::int AS r, count(*) AS customers
	FROM rfm GROUP BY 1, 2
), grid AS (
	SELECT x, r
	FROM generate_series(0, 15) x, generate_series(0, (SELECT floor(age)::int FROM model), 8) r
	WHERE x > 0 OR r = 0
)
SELECT g.x AS repeat_purchases, g.r AS recency_weeks,
	   round(p_alive(m.purchases, g.x, CASE WHEN g.x = 0 THEN 0 ELSE least(g.r + 4, m.age) END,
					 m.age)::numeric, 4) AS p_alive,
	   coalesce(c.customers, 0) AS customers
FROM grid g CROSS JOIN model m LEFT JOIN cells c USING (x, r);

-- the holdout check of BG/NBD: fitted on orders before 2026-05-01, purchase
-- days predicted for the 26 weeks after against those that happened, by
-- repeat purchases before
CREATE VIEW bi.holdout_check AS
WITH calibration AS (
	SELECT customer_id, frequency(r)::float8 AS x, recency(r, '7 days') AS t_x,
		   age(r, timestamptz '2026-05-01 00:00+00', '7 days') AS t
	FROM (SELECT customer_id, rfm_agg(ordered_at, amount::float8) AS r
		  FROM crm.orders WHERE ordered_at < timestamptz '2026-05-01 00:00+00' GROUP BY 1) s
), model AS (
	SELECT bgnbd_fit(x, t_x, t) AS purchases FROM calibration
)
SELECT CASE WHEN x = 0 THEN '0' WHEN x < 3 THEN '1-2' WHEN x < 6 THEN '3-5' ELSE '6+' END AS repeat_purchases_before,
	   count(*) AS customers,
	   round(sum(expected_purchases(purchases, 26, x, t_x, t))::numeric, 1) AS predicted,
	   sum(coalesce(h.actual, 0)) AS actual
FROM calibration CROSS JOIN model
LEFT JOIN (SELECT customer_id, count(DISTINCT (ordered_at AT TIME ZONE 'UTC')::date) AS actual
		   FROM crm.orders WHERE ordered_at >= timestamptz '2026-05-01 00:00+00' GROUP BY 1) h
	USING (customer_id)
GROUP BY 1;

-- Does engagement predict a purchase? Customers as they stood on 2026-08-01
-- (features from before, an order in the next 31 days as the outcome) train
-- the learned weights; on 2026-10-01 four scores are judged by their AUC with
-- DeLong's 95% interval: the fitted probability, the engagement score with
-- equal weights, the latest NPS answer (respondents only) and the sum of the
-- RFM quintiles (docs/classifier.md, "Recipe").  Each fact is grouped by
-- customer, so Citus runs the pieces on the workers.
CREATE VIEW bi.purchase_prediction AS
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
	SELECT 'train' AS sample, timestamptz '2026-08-01 00:00+00' AS cutoff, customer_id,
		   engagement_agg(ts, dimension, value, '30 days') AS e
	FROM ev WHERE ts < timestamptz '2026-08-01 00:00+00' GROUP BY customer_id
	UNION ALL
	SELECT 'holdout', timestamptz '2026-10-01 00:00+00', customer_id, engagement_agg(ts, dimension, value, '30 days')
	FROM ev WHERE ts < timestamptz '2026-10-01 00:00+00' GROUP BY customer_id
), o AS (
	SELECT customer_id,
		   rfm_agg(ordered_at, amount::float8) FILTER (WHERE ordered_at < timestamptz '2026-08-01 00:00+00') AS r_train,
		   rfm_agg(ordered_at, amount::float8) FILTER (WHERE ordered_at < timestamptz '2026-10-01 00:00+00') AS r_holdout,
		   bool_or(ordered_at >= timestamptz '2026-08-01 00:00+00' AND ordered_at < timestamptz '2026-09-01 00:00+00') AS bought_train,
		   bool_or(ordered_at >= timestamptz '2026-10-01 00:00+00' AND ordered_at < timestamptz '2026-11-01 00:00+00') AS bought_holdout
	FROM crm.orders GROUP BY customer_id
), n AS (
	SELECT customer_id,
		   (array_agg(score ORDER BY answered_at DESC) FILTER (WHERE answered_at < timestamptz '2026-08-01 00:00+00'))[1] AS nps_train,
		   (array_agg(score ORDER BY answered_at DESC) FILTER (WHERE answered_at < timestamptz '2026-10-01 00:00+00'))[1] AS nps_holdout
	FROM crm.surveys WHERE score IS NOT NULL GROUP BY customer_id
), samples AS (
	SELECT e.sample, e.cutoff, e.customer_id, e.e,
		   CASE e.sample WHEN 'train' THEN o.r_train ELSE o.r_holdout END AS r,
		   CASE e.sample WHEN 'train' THEN n.nps_train ELSE n.nps_holdout END AS nps_answer,
		   coalesce(CASE e.sample WHEN 'train' THEN o.bought_train ELSE o.bought_holdout END, false) AS bought
	FROM e LEFT JOIN o USING (customer_id) LEFT JOIN n USING (customer_id)
), model AS (
	SELECT engagement_logit_fit(e, cutoff, bought) AS m FROM samples WHERE sample = 'train'
), holdout AS (
	SELECT s.*, outcome_probability(m, e, cutoff) AS learned,
		   score(e, cutoff, '{1,1,1,1}', 50) AS equal_weights,
		   ntile(5) OVER (ORDER BY age(r, cutoff, '1 day') - recency(r) DESC NULLS FIRST, customer_id)
		   + ntile(5) OVER (ORDER BY frequency(r) NULLS FIRST, customer_id)
		   + ntile(5) OVER (ORDER BY monetary(r) NULLS FIRST, customer_id) AS rfm_score
	FROM samples s CROSS JOIN model WHERE sample = 'holdout'
)
SELECT position, predictor, positives(c) AS buyers, negatives(c) AS others, auc(c) AS auc,
	   (auc_ci(c)).lower AS lower_95, (auc_ci(c)).upper AS upper_95
FROM (SELECT 1 AS position, 'learned weights (fitted on August)' AS predictor, classifier_agg(learned, bought) AS c FROM holdout
	  UNION ALL SELECT 2, 'engagement score, equal weights', classifier_agg(equal_weights, bought) FROM holdout
	  UNION ALL SELECT 3, 'latest NPS answer (respondents)', classifier_agg(nps_answer, bought) FROM holdout
	  UNION ALL SELECT 4, 'RFM quintiles (3..15)', classifier_agg(rfm_score, bought) FROM holdout) q;
