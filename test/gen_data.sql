--
-- test/gen_data.sql: a deterministic, realistic CRM data set.
--
--   psql -v customers=50000 -v seed=42 -f test/gen_data.sql
--
-- Every pseudo-random number is a hash of (row key, seed, purpose), never
-- random(), so the data are identical on every run and machine and do not
-- depend on the plan or on parallel workers.  At the default size: 50,000
-- customers signing up over two years, about 1 million touches, 43,000
-- survey answers, 100,000 orders, 5,000 referrals and 30,000 community
-- posts, all before 2026-10-31 00:00 UTC.  About 15 s on two cores.
--
-- The model, per customer: an activity level (heavy-tailed: many light
-- customers, a few very active ones), a lifetime after which the customer
-- goes quiet (a quarter do not within the window), a latent satisfaction
-- and a preferred channel.  Then
--   touches    a sign-up touch; browsing sessions (a few touches minutes
--              apart) separated by heavy-tailed gaps of hours to months,
--              more often for active customers, none after churn; opens
--              and clicks of a fortnightly newsletter; views then a
--              purchase for every order; sometimes a review or a support
--              call in the days after an order
--   orders     Pareto/NBD-like: about half buy soon after signing up, then
--              repeat as a Poisson process at their own rate until they
--              churn: many one-time buyers, some lapsed and some loyal;
--              spend per order varies around a per-customer level
--   surveys    answered while the customer is one, and after one order in
--              eight (so the engaged answer more often); promoters ~45%,
--              detractors ~25%, better in the north and online, worse in
--              the south, among enterprise accounts and before churn; an
--              upward trend, a dip in June 2026, a better October 2026;
--              post-stratification weights by region and segment
--   referrals  every customer acquired through a referral, referred by an
--              earlier customer drawn in proportion to satisfaction and
--              activity, mostly buying customers (a few advocates bring
--              many)
--   community  threads started by engaged customers, reply trees
--   identity   (appended last) identifiers seen together: e-mail, cookies and
--              app ids of each customer (crm.identity_links), and anonymous
--              web and app visits carrying only a cookie or app id, before
--              and after sign-up, and of visitors who never sign up
--              (crm.web_visits)
-- Times fall mostly in waking hours (07:00-23:00 UTC).
--
\set ON_ERROR_STOP 1
\if :{?customers}
\else
\set customers 50000
\endif
\if :{?seed}
\else
\set seed 42
\endif

SET client_min_messages = warning;
SET timezone = 'UTC';
SET work_mem = '256MB';
DROP SCHEMA IF EXISTS crm CASCADE;
CREATE SCHEMA crm;
-- this session's helpers, in case the script runs twice in one session
DROP TABLE IF EXISTS pg_temp.cp, pg_temp.sessions, pg_temp.ord, pg_temp.advocacy, pg_temp.threads;

-- u(k, purpose), u2(k1, k2, purpose): uniform in [0, 1) from 64-bit hashes
SELECT format($f$CREATE OR REPLACE FUNCTION pg_temp.u(k bigint, purpose int) RETURNS float8
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS 'SELECT (hashint8extended(k, %1$s::bigint * 1000 + purpose) & 9007199254740991)::float8 / 9007199254740992.0'$f$,
	:seed) \gexec
SELECT format($f$CREATE OR REPLACE FUNCTION pg_temp.u2(k1 bigint, k2 bigint, purpose int) RETURNS float8
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS 'SELECT (hashint8extended(k2, hashint8extended(k1, %1$s::bigint * 1000 + purpose)) & 9007199254740991)::float8 / 9007199254740992.0'$f$,
	:seed) \gexec
-- exponential with mean 1 from a uniform
CREATE OR REPLACE FUNCTION pg_temp.ex(x float8) RETURNS float8
	LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT -ln(1 - x)';
-- squeeze a time into the waking hours of its day (07:00 to 23:00 UTC),
-- keeping the order of times
CREATE OR REPLACE FUNCTION pg_temp.daytime(t timestamptz) RETURNS timestamptz
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS 'SELECT date_trunc(''day'', t) + interval ''7 hours'' + (t - date_trunc(''day'', t)) * (16.0 / 24)';
-- pick from a weighted list: the first item whose cumulative weight exceeds x
CREATE OR REPLACE FUNCTION pg_temp.pick(x float8, items text[], cum float8[]) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS 'SELECT items[width_bucket(x, cum) + 1]';

-- customers and their hidden traits.  Sign-ups are spread evenly over 720
-- days in id order (so an earlier id signed up earlier).
CREATE TEMP TABLE cp AS
SELECT *, pg_temp.daytime(raw_signup) AS signed_up_at,
	   least(timestamptz '2026-10-31 00:00+00', raw_signup + life_days * interval '1 day') AS active_until,
	   CASE WHEN acquisition_channel IN ('web', 'app', 'store', 'social') AND pg_temp.u(customer_id, 9) < 0.6
			THEN acquisition_channel
			ELSE pg_temp.pick(pg_temp.u(customer_id, 10), '{web,app,store,social}', '{0.42,0.76,0.86,1}')
	   END AS main_channel
FROM (SELECT id::bigint AS customer_id,
			 timestamptz '2024-11-01 00:00+00'
			   + (id - 1 + pg_temp.u(id, 1)) / :customers * interval '720 days' AS raw_signup,
			 pg_temp.pick(pg_temp.u(id, 2), '{north,south,east,west,online}',
						  '{0.22,0.42,0.6,0.75,1}') AS region,
			 pg_temp.pick(pg_temp.u(id, 3), '{consumer,smb,enterprise}', '{0.75,0.95,1}') AS segment,
			 pg_temp.pick(pg_temp.u(id, 4), '{web,app,email,store,call_centre,social,referral}',
						  '{0.3,0.45,0.55,0.7,0.75,0.9,1}') AS acquisition_channel,
			 -- heavy-tailed activity, mean about 1.4, median about 0.55
			 power(pg_temp.ex(pg_temp.u(id, 5)), 1.6) AS activity,
			 -- days until the customer goes quiet; a quarter stay
			 CASE WHEN pg_temp.u(id, 6) < 0.25 THEN 100000
				  ELSE 20 + 365 * pg_temp.ex(pg_temp.u(id, 7)) END AS life_days,
			 pg_temp.u(id, 8) AS sat
	  FROM generate_series(1, :customers) id) c;
ALTER TABLE cp ADD PRIMARY KEY (customer_id);
ANALYZE cp;

CREATE TABLE crm.customers AS
SELECT customer_id, signed_up_at, region, segment, acquisition_channel FROM cp ORDER BY customer_id;
ALTER TABLE crm.customers ADD PRIMARY KEY (customer_id);

-- browsing sessions: the first at sign-up, then gaps drawn from a Lomax
-- (Pareto II, shape 1.5) distribution: mostly hours to days, now and then
-- months; mean gap 115 days / activity.  Sessions after churn are dropped.
CREATE TEMP TABLE sessions AS
SELECT customer_id, s, started, channel, second_channel, n
FROM (SELECT c.customer_id, s, c.active_until,
			 pg_temp.daytime(c.raw_signup + interval '1 day' * sum(
				 CASE WHEN s = 1 THEN 0
					  ELSE 1.0 / 24 + 115 / (c.activity + 0.02) * 0.5
						   * (power(1 - pg_temp.u2(c.customer_id, s, 11), -1 / 1.5) - 1) END)
				 OVER (PARTITION BY c.customer_id ORDER BY s)) AS started,
			 CASE WHEN pg_temp.u2(c.customer_id, s, 12) < 0.55 THEN c.main_channel
				  ELSE pg_temp.pick(pg_temp.u2(c.customer_id, s, 13),
									'{web,app,email,store,call_centre,social}',
									'{0.3,0.52,0.62,0.7,0.82,1}') END AS channel,
			 pg_temp.pick(pg_temp.u2(c.customer_id, s, 14),
						  '{web,app,email,store,call_centre,social}',
						  '{0.55,0.8,0.83,0.88,0.95,1}') AS second_channel,
			 least(14, 1 + floor(pg_temp.ex(pg_temp.u2(c.customer_id, s, 15)) * 1.6)::int) AS n
	  FROM cp c,
		   generate_series(1, least(500, 2 + ceil(2.5 * extract(epoch FROM c.active_until - c.raw_signup) / 86400
												   / (115 / (c.activity + 0.02))))::int) s) x
WHERE started < active_until;

-- orders: about half the customers buy within days of signing up (the
-- active and the satisfied more often), then repeat with exponential gaps
-- (mean 160 days / (activity + 0.15)) until they churn
CREATE TEMP TABLE ord AS
SELECT customer_id, k, ordered_at,
	   round(greatest(5, spend * (pg_temp.ex(pg_temp.u2(customer_id, k, 31))
								  + pg_temp.ex(pg_temp.u2(customer_id, k, 32))) / 2)::numeric, 2) AS amount,
	   0.15 + 0.25 * pg_temp.u2(customer_id, k, 33) AS margin_rate,
	   CASE WHEN pg_temp.u2(customer_id, k, 34) < 0.7 AND main_channel IN ('web', 'app', 'store')
			THEN main_channel
			ELSE pg_temp.pick(pg_temp.u2(customer_id, k, 35), '{web,app,store}', '{0.5,0.8,1}') END AS channel
FROM (SELECT c.customer_id, k, c.active_until, c.main_channel,
			 20 + 60 * pg_temp.ex(pg_temp.u(c.customer_id, 36)) AS spend,
			 pg_temp.daytime(c.raw_signup + interval '1 day' * (
				 10.0 / 1440 + 6 * pg_temp.ex(pg_temp.u(c.customer_id, 37))
				 + sum(CASE WHEN k = 1 THEN 0
							ELSE 160 / (c.activity + 0.15) * pg_temp.ex(pg_temp.u2(c.customer_id, k, 38)) END)
				   OVER (PARTITION BY c.customer_id ORDER BY k))) AS ordered_at
	  FROM cp c,
		   generate_series(1, least(300, 2 + ceil(3 * extract(epoch FROM c.active_until - c.raw_signup) / 86400
												 / (160 / (c.activity + 0.15))))::int) k
	  WHERE pg_temp.u(c.customer_id, 39) < 0.35 + 0.2 * least(c.activity, 1.5) + 0.1 * c.sat) x
WHERE ordered_at < active_until;

CREATE TABLE crm.orders AS
SELECT row_number() OVER (ORDER BY customer_id, k) AS order_id, customer_id, ordered_at,
	   amount::numeric(12, 2) AS amount, round(amount * margin_rate::numeric, 2)::numeric(12, 2) AS margin,
	   channel
FROM ord ORDER BY customer_id, k;

-- touches, with a unique sort key (src, k, t) to number them
CREATE TABLE crm.touches AS
SELECT row_number() OVER (ORDER BY customer_id, ts, src, k, t) AS touch_id, customer_id, ts, channel, event
FROM (
	-- the sign-up
	SELECT customer_id, date_trunc('second', signed_up_at) AS ts, 0 AS src, 0 AS k, 0 AS t,
		   CASE acquisition_channel WHEN 'app' THEN 'app' WHEN 'store' THEN 'store'
									WHEN 'call_centre' THEN 'call_centre' ELSE 'web' END AS channel,
		   'signup' AS event
	FROM cp
	UNION ALL
	-- browsing sessions: touches one to three minutes apart; an email
	-- click or a call often continues on another channel
	SELECT customer_id, ts, 1, s, t, channel,
		   CASE channel
			   WHEN 'web' THEN pg_temp.pick(x, '{view,click,share}', '{0.62,0.97,1}')
			   WHEN 'app' THEN pg_temp.pick(x, '{open,view,click}', '{0.45,0.9,1}')
			   WHEN 'email' THEN pg_temp.pick(x, '{open,click}', '{0.7,1}')
			   WHEN 'store' THEN 'visit'
			   WHEN 'call_centre' THEN 'support'
			   ELSE pg_temp.pick(x, '{view,share,comment}', '{0.6,0.85,1}')
		   END
	FROM (SELECT s.customer_id, s.s, t,
				 date_trunc('second', s.started + ((t - 1) * 2 + 1 + pg_temp.u2(s.customer_id, s.s * 64 + t, 16))
												  * interval '1 minute') AS ts,
				 CASE WHEN t = 1 THEN s.channel
					  WHEN s.channel IN ('email', 'call_centre') AND pg_temp.u2(s.customer_id, s.s * 64 + t, 17) < 0.4
						  THEN s.second_channel
					  WHEN pg_temp.u2(s.customer_id, s.s * 64 + t, 17) < 0.15 THEN s.second_channel
					  ELSE s.channel END AS channel,
				 pg_temp.u2(s.customer_id, s.s * 64 + t, 18) AS x
		  FROM sessions s, generate_series(1, s.n) t) st
	WHERE ts < timestamptz '2026-10-31 00:00+00'
	UNION ALL
	-- the fortnightly newsletter (Tuesdays 09:00 UTC): opened now and then,
	-- more often by active customers and hardly ever after churn; a click
	-- lands on the web site
	SELECT customer_id, ts + (t - 1) * (1 + pg_temp.u2(customer_id, k * 4 + t, 27)) * interval '1 minute',
		   4, k, t, CASE WHEN t = 3 THEN 'web' ELSE 'email' END,
		   CASE t WHEN 1 THEN 'open' WHEN 2 THEN 'click' ELSE 'view' END
	FROM (SELECT c.customer_id, k, c.activity,
				 date_trunc('second', timestamptz '2024-11-05 09:00+00' + (k - 1) * interval '14 days'
									  + 12 * pg_temp.ex(pg_temp.u2(c.customer_id, k, 25)) * interval '1 hour') AS ts,
				 timestamptz '2024-11-05 09:00+00' + (k - 1) * interval '14 days' < c.active_until AS active
		  FROM cp c, generate_series(1, 52) k
		  WHERE timestamptz '2024-11-05 09:00+00' + (k - 1) * interval '14 days' > c.signed_up_at) n,
		 generate_series(1, CASE WHEN pg_temp.u2(customer_id, k, 26) < 0.3 THEN 3 ELSE 1 END) t
	WHERE pg_temp.u2(customer_id, k, 28) < CASE WHEN active THEN 0.03 + 0.05 * least(activity, 2) ELSE 0.005 END
	  AND ts < timestamptz '2026-10-31 00:00+00'
	UNION ALL
	-- each order: one or two views (visits in a store), then the purchase
	SELECT customer_id,
		   date_trunc('second', ordered_at - (nv - t) * (1 + 2 * pg_temp.u2(customer_id, k * 8 + t, 19)) * interval '1 minute'),
		   2, k, t, channel,
		   CASE WHEN t = nv THEN 'purchase' WHEN channel = 'store' THEN 'visit' ELSE 'view' END
	FROM (SELECT o.*, 2 + floor(2 * pg_temp.u2(o.customer_id, o.k, 20))::int AS nv FROM ord o) o,
		 generate_series(1, nv) t
	UNION ALL
	-- after an order: a review (more likely from very happy or unhappy
	-- customers) or a support call (more likely from unhappy ones)
	SELECT customer_id, ts, 3, k, t, channel, event
	FROM (SELECT o.customer_id, o.k, 1 AS t,
				 date_trunc('second', o.ordered_at + (0.5 + 9.5 * pg_temp.u2(o.customer_id, o.k, 21)) * interval '1 day') AS ts,
				 CASE WHEN o.channel = 'app' THEN 'app' ELSE 'web' END AS channel, 'review' AS event
		  FROM ord o JOIN cp c USING (customer_id)
		  WHERE pg_temp.u2(o.customer_id, o.k, 22) < 0.06 + 0.2 * abs(c.sat - 0.5)
		  UNION ALL
		  SELECT o.customer_id, o.k, 2,
				 date_trunc('second', o.ordered_at + (1 + 6 * pg_temp.u2(o.customer_id, o.k, 23)) * interval '1 day'),
				 'call_centre', 'support'
		  FROM ord o JOIN cp c USING (customer_id)
		  WHERE pg_temp.u2(o.customer_id, o.k, 24) < 0.02 + 0.12 * (1 - c.sat)) f
	WHERE ts < timestamptz '2026-10-31 00:00+00'
) all_touches
ORDER BY customer_id, ts, src, k, t;
CREATE INDEX ON crm.touches (customer_id, ts);

-- surveys: invitations reach customers at an even rate while they are
-- customers (and up to two weeks after they went quiet), and after one
-- order in eight (a transactional survey); about 0.8 answers per customer
-- overall
CREATE TABLE crm.surveys AS
SELECT row_number() OVER (ORDER BY answered_at, customer_id, j) AS response_id, customer_id, answered_at,
	   CASE WHEN pg_temp.u2(customer_id, j, 62) < 0.01 THEN NULL
			WHEN p < 0.44 + adj THEN pg_temp.pick(pg_temp.u2(customer_id, j, 63), '{10,9}', '{0.55,1}')::int
			WHEN p < 0.75 + adj / 2 THEN pg_temp.pick(pg_temp.u2(customer_id, j, 63), '{8,7}', '{0.55,1}')::int
			ELSE pg_temp.pick(pg_temp.u2(customer_id, j, 63), '{6,5,4,3,2,1,0}',
							  '{0.34,0.58,0.7,0.8,0.87,0.91,1}')::int
	   END AS score,
	   -- post-stratification weights: the customer base's region and
	   -- segment mix against the respondents'
	   round(least(2.5, greatest(0.5,
			 CASE segment WHEN 'enterprise' THEN 2.0 WHEN 'smb' THEN 1.25 ELSE 0.85 END
			 * CASE region WHEN 'online' THEN 0.8 WHEN 'south' THEN 1.2 WHEN 'west' THEN 1.1 ELSE 1.0 END
			 * (0.95 + 0.1 * pg_temp.u2(customer_id, j, 64))))::numeric, 3)::float8 AS weight,
	   pg_temp.pick(pg_temp.u2(customer_id, j, 65), '{email,web,app,call_centre}', '{0.5,0.8,0.95,1}') AS channel
FROM (SELECT c.customer_id, j, c.region, c.segment, a.ts AS answered_at, pg_temp.u2(c.customer_id, j, 66) AS p,
			 -- region and segment
			 CASE c.region WHEN 'north' THEN 0.06 WHEN 'online' THEN 0.03 WHEN 'west' THEN -0.01
						   WHEN 'south' THEN -0.06 ELSE 0 END
			 + CASE c.segment WHEN 'enterprise' THEN -0.07 WHEN 'smb' THEN -0.02 ELSE 0.01 END
			 -- the customer: satisfaction, activity, about to churn
			 + 0.16 * (c.sat - 0.5) + 0.02 * least(c.activity, 3)
			 - CASE WHEN c.active_until < timestamptz '2026-10-31 00:00+00'
						 AND c.active_until - ts < interval '60 days' THEN 0.08 ELSE 0 END
			 -- time: a slow improvement, a service incident in June 2026,
			 -- a fix that shows in October 2026
			 + 0.04 * extract(epoch FROM ts - timestamptz '2025-11-01 00:00+00') / (365.25 * 86400)
			 + 0.025 * sin(extract(epoch FROM ts) / 86400 / 58)
			 - CASE WHEN ts >= timestamptz '2026-06-01' AND ts < timestamptz '2026-07-01' THEN 0.08 ELSE 0 END
			 + CASE WHEN ts >= timestamptz '2026-10-01' THEN 0.04 ELSE 0 END AS adj
	  FROM (-- relationship surveys
			SELECT c.customer_id, j, t.ts
			FROM (SELECT c.*, w.window_end,
						 extract(epoch FROM w.window_end - c.raw_signup) / (365.25 * 86400) AS years
				  FROM cp c,
					   LATERAL (SELECT least(timestamptz '2026-10-31 00:00+00',
											 c.active_until + interval '14 days') AS window_end) w) c,
				 generate_series(1, floor(0.83 * c.years + pg_temp.u(c.customer_id, 60))::int) j,
				 LATERAL (SELECT pg_temp.daytime(c.raw_signup
												 + pg_temp.u2(c.customer_id, j, 61) * (c.window_end - c.raw_signup)) AS ts) t
			UNION ALL
			-- transactional surveys: one order in eight asks for an answer,
			-- given one to seven days later (j above 1000: keys of their own)
			SELECT o.customer_id, 1000 + o.k,
				   pg_temp.daytime(o.ordered_at + (1 + 6 * pg_temp.u2(o.customer_id, o.k, 67)) * interval '1 day')
			FROM ord o
			WHERE pg_temp.u2(o.customer_id, o.k, 68) < 0.125) a
	  JOIN cp c USING (customer_id)
	  WHERE a.ts < timestamptz '2026-10-31 00:00+00') s
ORDER BY answered_at, customer_id, j;

-- referrals: every customer acquired through a referral was referred by an
-- earlier customer, drawn in proportion to advocacy (satisfaction cubed
-- times activity, a twentieth of it for customers who never buy: advocates
-- are mostly buying customers), so a few advocates bring many
CREATE TEMP TABLE advocacy AS
SELECT customer_id,
	   sum(0.001 + power(sat, 3) * activity * CASE WHEN b.customer_id IS NULL THEN 0.05 ELSE 1 END)
		   OVER (ORDER BY customer_id) AS cw
FROM cp LEFT JOIN (SELECT DISTINCT customer_id FROM ord) b USING (customer_id);
CREATE INDEX ON advocacy (cw);
ALTER TABLE advocacy ADD PRIMARY KEY (customer_id);
ANALYZE advocacy;

CREATE TABLE crm.referrals AS
SELECT r.referrer_id, c.customer_id AS referee_id, c.signed_up_at AS referred_at,
	   CASE WHEN pg_temp.u(c.customer_id, 42) < 0.15 THEN NULL
			ELSE pg_temp.u(c.customer_id, 43) < 0.35 END AS would_have_joined,
	   (10 + 10 * floor(pg_temp.u(c.customer_id, 44) * 5))::numeric(10, 2) AS reward
FROM cp c
CROSS JOIN LATERAL (
	SELECT a.customer_id AS referrer_id FROM advocacy a
	WHERE a.cw >= pg_temp.u(c.customer_id, 41) * (SELECT b.cw FROM advocacy b WHERE b.customer_id = c.customer_id - 1)
	ORDER BY a.cw LIMIT 1) r
WHERE c.acquisition_channel = 'referral' AND c.customer_id > 1
ORDER BY c.customer_id;

-- community: engaged customers start threads; replies come hours to days
-- apart, most answer the starter, some answer an earlier reply
CREATE TEMP TABLE threads AS
SELECT row_number() OVER (ORDER BY customer_id, t) AS thread_id, *
FROM (SELECT c.customer_id, t,
			 pg_temp.pick(pg_temp.u2(c.customer_id, t, 51), '{product-help,ideas,general}', '{0.55,0.8,1}') AS community,
			 pg_temp.daytime(c.raw_signup + pg_temp.u2(c.customer_id, t, 52) * (c.active_until - c.raw_signup)) AS started
	  FROM cp c, generate_series(1, least(40, 1 + floor(c.activity * pg_temp.ex(pg_temp.u(c.customer_id, 53))))::int) t
	  WHERE pg_temp.u(c.customer_id, 50) < 0.02 + 0.03 * least(c.activity, 3)) x;

CREATE TABLE crm.community_posts AS
SELECT row_number() OVER (ORDER BY thread_id, r) AS post_id, community, thread_id,
	   -- posts of a thread are numbered consecutively, so post_id - r is its starter
	   CASE WHEN r = 0 THEN NULL
			WHEN pg_temp.u2(thread_id, r, 57) < 0.6 THEN row_number() OVER (ORDER BY thread_id, r) - r
			ELSE row_number() OVER (ORDER BY thread_id, r) - r + floor(pg_temp.u2(thread_id, r, 58) * r)::bigint
	   END AS parent_post_id,
	   author_id, posted_at, views
FROM (SELECT thread_id, r, community,
			 CASE WHEN r = 0 OR pg_temp.u2(thread_id, r, 54) < 0.25 THEN customer_id
				  -- anyone who had signed up by then (a sign-up moves by at
				  -- most 7 hours into the waking hours)
				  ELSE 1 + floor(pg_temp.u2(thread_id, r, 55)
								 * greatest(1, floor(extract(epoch FROM posted_at - interval '8 hours'
																- timestamptz '2024-11-01 00:00+00')
													 / extract(epoch FROM interval '720 days') * :customers) - 1))::bigint
			 END AS author_id,
			 posted_at,
			 CASE WHEN r = 0 THEN floor(20 + 150 * power(pg_temp.ex(pg_temp.u2(thread_id, r, 56)), 1.5))
				  ELSE floor(3 + 40 * pg_temp.ex(pg_temp.u2(thread_id, r, 56))) END::int AS views
	  FROM (SELECT th.thread_id, th.customer_id, th.community, r,
				   th.started + interval '1 hour' * sum(CASE WHEN r = 0 THEN 0
														  ELSE 0.2 + 8 * (1 + r / 3.0) * pg_temp.ex(pg_temp.u2(th.thread_id, r, 59)) END)
											 OVER (PARTITION BY th.thread_id ORDER BY r) AS posted_at
			FROM threads th,
				 generate_series(0, least(80, floor(2.5 * power(pg_temp.ex(pg_temp.u(th.thread_id, 70)), 1.4))::int)) r) p
	  WHERE posted_at < timestamptz '2026-10-31 00:00+00') q
ORDER BY thread_id, r;

CREATE INDEX ON crm.orders (customer_id, ordered_at);
CREATE INDEX ON crm.surveys (answered_at);
ANALYZE crm.customers;
ANALYZE crm.touches;
ANALYZE crm.surveys;
ANALYZE crm.orders;
ANALYZE crm.referrals;
ANALYZE crm.community_posts;
DROP TABLE cp, sessions, ord, advocacy, threads;

SELECT 'customers' AS "table", count(*) AS "rows" FROM crm.customers
UNION ALL SELECT 'touches', count(*) FROM crm.touches
UNION ALL SELECT 'surveys', count(*) FROM crm.surveys
UNION ALL SELECT 'orders', count(*) FROM crm.orders
UNION ALL SELECT 'referrals', count(*) FROM crm.referrals
UNION ALL SELECT 'community_posts', count(*) FROM crm.community_posts;

-- identity stitching (issue 25), appended so that every draw above stays as
-- it was.  Each customer is seen under several identifiers: an e-mail
-- address given at sign-up (one in 200 types unknown@example.com), one to
-- three browser cookies (the first at sign-up, the others at later logins),
-- for two in five an app install id linked some days after sign-up.
-- crm.identity_links holds the pairs seen together (logins repeat a pair);
-- crm.web_visits the anonymous visits, carrying only a cookie or app id:
-- some before the identifier was linked (before sign-up, for the first
-- cookie), some after, and those of visitors who never signed up.
CREATE TEMP TABLE idents AS
SELECT c.customer_id, c.signed_up_at,
	   CASE WHEN pg_temp.u(c.customer_id, 103) < 0.005 THEN 'email:unknown@example.com'
			ELSE 'email:customer' || c.customer_id || '@example.com' END AS email,
	   1 + floor(3 * power(pg_temp.u(c.customer_id, 101), 2))::int AS cookies,
	   pg_temp.u(c.customer_id, 102) < 0.4 AS has_app
FROM crm.customers c;
CREATE TEMP TABLE id_devices AS
SELECT i.customer_id, i.email, d.k,
	   CASE WHEN d.k <= i.cookies
			THEN 'cookie:' || to_hex(hashint8extended(i.customer_id * 16 + d.k, :seed * 1000 + 104))
			ELSE 'app:' || to_hex(hashint8extended(i.customer_id * 16 + d.k, :seed * 1000 + 105)) END AS device,
	   CASE WHEN d.k = 1 THEN i.signed_up_at
			ELSE i.signed_up_at + pg_temp.ex(pg_temp.u2(i.customer_id, d.k, 106)) * interval '45 days' END AS linked_at
FROM idents i, generate_series(1, i.cookies + i.has_app::int) d(k);

CREATE TABLE crm.identity_links AS
SELECT id_a, id_b, date_trunc('second', seen_at) AS seen_at
FROM (SELECT 'crm:' || customer_id AS id_a, email AS id_b, signed_up_at AS seen_at FROM idents
	  UNION ALL
	  -- cookies log in with the e-mail address; the app knows the customer number
	  SELECT device, CASE WHEN device LIKE 'app:%' THEN 'crm:' || customer_id ELSE email END, linked_at
	  FROM id_devices
	  UNION ALL
	  -- later logins repeat a pair
	  SELECT d.device, d.email, d.linked_at + r * pg_temp.ex(pg_temp.u2(d.customer_id * 16 + d.k, r, 107)) * interval '20 days'
	  FROM id_devices d, generate_series(1, floor(3 * pg_temp.u(d.customer_id * 16 + d.k, 108))::int) r
	  WHERE d.device LIKE 'cookie:%') l
WHERE seen_at < timestamptz '2026-10-31 00:00+00'
ORDER BY seen_at, id_a, id_b;

CREATE TABLE crm.web_visits AS
SELECT visitor_id, date_trunc('second', ts) AS ts, channel
FROM (SELECT d.device AS visitor_id,
			 CASE WHEN d.device LIKE 'app:%' THEN 'app' ELSE 'web' END AS channel,
			 pg_temp.daytime(CASE WHEN pg_temp.u2(d.customer_id * 16 + d.k, v, 110) < 0.5
								  THEN d.linked_at - pg_temp.u2(d.customer_id * 16 + d.k, v, 111) * interval '30 days'
								  ELSE d.linked_at + pg_temp.ex(pg_temp.u2(d.customer_id * 16 + d.k, v, 111)) * interval '60 days' END) AS ts
	  FROM id_devices d,
		   generate_series(1, floor(4 * pg_temp.ex(pg_temp.u(d.customer_id * 16 + d.k, 109)))::int) v
	  UNION ALL
	  -- visitors who never sign up: half as many as customers, one to four visits
	  SELECT 'cookie:' || to_hex(hashint8extended(-n, :seed * 1000 + 112)), 'web',
			 pg_temp.daytime(timestamptz '2024-10-01 00:00+00'
							 + pg_temp.u2(n, v, 114) * (timestamptz '2026-10-30 00:00+00' - timestamptz '2024-10-01 00:00+00'))
	  FROM generate_series(1, greatest(1, :customers / 2)) n,
		   generate_series(1, 1 + floor(4 * pg_temp.u(n, 113))::int) v) x
WHERE ts < timestamptz '2026-10-31 00:00+00'
ORDER BY ts, visitor_id;
ANALYZE crm.identity_links;
ANALYZE crm.web_visits;
DROP TABLE idents, id_devices;
