--
-- test/gen_data.sql: a deterministic, realistic CRM data set.
--
--   psql -v customers=50000 -v seed=42 -f test/gen_data.sql
--
-- Every pseudo-random number is a hash of (row key, seed, purpose), never
-- random(), so the data are identical on every run and machine and do not
-- depend on the plan or on parallel workers.  At the default size: 50,000
-- customers, about 1 million touches in sessions, 30,000 survey answers,
-- orders with BG/NBD-like repeat buying, referrals and community posts, over
-- the two years ending 2026-10-31.
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
DROP SCHEMA IF EXISTS crm CASCADE;
CREATE SCHEMA crm;

-- u(key, purpose): uniform in [0, 1) from a 64-bit hash
SELECT format($f$CREATE FUNCTION pg_temp.u(k bigint, purpose int) RETURNS float8
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS 'SELECT (hashint8extended(k, %s::bigint * 1000 + purpose) & 9007199254740991)::float8 / 9007199254740992.0'$f$,
	:seed) \gexec
-- pick from a weighted list: the first item whose cumulative weight exceeds x
CREATE FUNCTION pg_temp.pick(x float8, items text[], cum float8[]) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS 'SELECT items[width_bucket(x, cum) + 1]';

-- customers: sign-ups spread over two years in id order, five regions
CREATE TABLE crm.customers AS
SELECT id::bigint AS customer_id,
	   timestamptz '2024-11-01 00:00+00'
		 + (id - 1)::float8 / :customers * interval '720 days'
		 + pg_temp.u(id, 1) * interval '1 day' AS signed_up_at,
	   pg_temp.pick(pg_temp.u(id, 2), '{north,south,east,west,online}',
					'{0.22,0.42,0.6,0.75,1}') AS region,
	   pg_temp.pick(pg_temp.u(id, 3), '{consumer,smb,enterprise}', '{0.75,0.95,1}') AS segment,
	   pg_temp.pick(pg_temp.u(id, 4), '{web,app,email,store,call_centre,social,referral}',
					'{0.3,0.45,0.55,0.7,0.75,0.9,1}') AS acquisition_channel,
	   -- activity: heavy-tailed, mean about 1
	   power(-ln(1 - pg_temp.u(id, 5)), 1.3) AS activity
FROM generate_series(1, :customers) id;
ALTER TABLE crm.customers ADD PRIMARY KEY (customer_id);

-- sessions of touches: each session has a main channel and sometimes a
-- second one (an email click that lands on the web, a call after a visit)
CREATE TABLE crm.touches AS
WITH sessions AS (
	SELECT c.customer_id, s AS session,
		   c.signed_up_at
			 + pg_temp.u(c.customer_id * 1000 + s, 11)
			   * (timestamptz '2026-10-31 00:00+00' - c.signed_up_at) AS started,
		   pg_temp.pick(pg_temp.u(c.customer_id * 1000 + s, 12),
						'{web,app,email,store,call_centre,social}',
						'{0.35,0.6,0.75,0.85,0.9,1}') AS channel,
		   pg_temp.pick(pg_temp.u(c.customer_id * 1000 + s, 13),
						'{web,app,email,store,call_centre,social}',
						'{0.45,0.7,0.75,0.85,0.95,1}') AS second_channel,
		   1 + floor(-ln(1 - pg_temp.u(c.customer_id * 1000 + s, 14)) * 1.7)::int AS n
	FROM crm.customers c,
		 generate_series(1, 1 + floor(c.activity * 7.2)::int) s
)
SELECT row_number() OVER (ORDER BY customer_id, started, t) AS touch_id,
	   customer_id, ts, channel,
	   CASE channel
		   WHEN 'web' THEN pg_temp.pick(x, '{view,click,purchase,review,signup}', '{0.55,0.85,0.95,0.99,1}')
		   WHEN 'app' THEN pg_temp.pick(x, '{open,view,purchase,review}', '{0.4,0.85,0.97,1}')
		   WHEN 'email' THEN pg_temp.pick(x, '{open,click}', '{0.7,1}')
		   WHEN 'store' THEN pg_temp.pick(x, '{visit,purchase}', '{0.6,1}')
		   WHEN 'call_centre' THEN 'support'
		   ELSE pg_temp.pick(x, '{view,share,comment}', '{0.6,0.85,1}')
	   END AS event
FROM (SELECT s.customer_id, s.started, t,
			 -- touches a few minutes apart, never 30 minutes
			 date_trunc('second', s.started
							+ ((t - 1) * 2 + pg_temp.u(s.customer_id * 100000 + s.session * 50 + t, 15) * 2)
							  * interval '1 minute') AS ts,
			 CASE WHEN t > 1 AND pg_temp.u(s.customer_id * 100000 + s.session * 50 + t, 16) < 0.2
				  THEN s.second_channel ELSE s.channel END AS channel,
			 pg_temp.u(s.customer_id * 100000 + s.session * 50 + t, 17) AS x
	  FROM sessions s, generate_series(1, least(s.n, 14)) t) tt;
CREATE INDEX ON crm.touches (customer_id, ts);

-- surveys: about 0.6 answers per customer; promoters ~45%, detractors
-- ~25%, better in the north and online, drifting over the months
CREATE TABLE crm.surveys AS
SELECT row_number() OVER (ORDER BY customer_id, answered_at) AS response_id, *
FROM (SELECT (1 + floor(pg_temp.u(i, 21) * :customers))::bigint AS customer_id,
			 ts AS answered_at,
			 CASE WHEN pg_temp.u(i, 22) < 0.01 THEN NULL
				  WHEN p < 0.45 + adj THEN 9 + floor(pg_temp.u(i, 23) * 2)::int
				  WHEN p < 0.75 + adj / 2 THEN 7 + floor(pg_temp.u(i, 23) * 2)::int
				  ELSE floor(pg_temp.u(i, 23) * 7)::int
			 END AS score,
			 round((0.5 + 2 * pg_temp.u(i, 24))::numeric, 3)::float8 AS weight,
			 pg_temp.pick(pg_temp.u(i, 25), '{email,web,app,call_centre}', '{0.5,0.8,0.95,1}') AS channel
	  FROM (SELECT i, pg_temp.u(i, 26) AS p,
				   timestamptz '2024-11-01 00:00+00' + pg_temp.u(i, 27) * interval '730 days' AS ts
			FROM generate_series(1, (:customers * 0.6)::int) i) s
	  CROSS JOIN LATERAL (
		SELECT 0.06 * sin(extract(epoch FROM s.ts) / 86400 / 60)
			   + CASE (1 + floor(pg_temp.u(i, 21) * :customers)::int) % 5
					 WHEN 0 THEN 0.05 WHEN 1 THEN -0.07 ELSE 0 END AS adj) a) x;

-- orders: a share of customers buy; buyers repeat at their own rate until
-- they drop out (the shape BG/NBD models)
CREATE TABLE crm.orders AS
SELECT row_number() OVER (ORDER BY customer_id, ordered_at) AS order_id, customer_id, ordered_at,
	   round((15 + 60 * -ln(1 - pg_temp.u(customer_id * 1000 + k, 31)))::numeric, 2) AS amount,
	   round(((15 + 60 * -ln(1 - pg_temp.u(customer_id * 1000 + k, 31)))
			  * (0.15 + 0.25 * pg_temp.u(customer_id * 1000 + k, 32)))::numeric, 2) AS margin
FROM (SELECT c.customer_id, k,
			 CASE WHEN k = 1 THEN c.signed_up_at + pg_temp.u(c.customer_id, 33) * interval '3 days'
				  ELSE c.signed_up_at
					   + pg_temp.u(c.customer_id * 1000 + k, 34)
						 * least(timestamptz '2026-10-31 00:00+00' - c.signed_up_at,
								 -ln(1 - pg_temp.u(c.customer_id, 35)) * interval '400 days')
			 END AS ordered_at
	  FROM crm.customers c,
		   generate_series(1, CASE WHEN pg_temp.u(c.customer_id, 36) < 0.6
								   THEN 1 + floor(c.activity * 2.5 * -ln(1 - pg_temp.u(c.customer_id, 37)))::int
								   ELSE 0 END) k) o;

-- referrals: 12% of customers were referred by an earlier customer; a few
-- early advocates bring many
CREATE TABLE crm.referrals AS
SELECT (1 + floor(power(pg_temp.u(c.customer_id, 41), 4) * (c.customer_id - 1)))::bigint AS referrer_id,
	   c.customer_id AS referee_id,
	   c.signed_up_at AS referred_at,
	   CASE WHEN pg_temp.u(c.customer_id, 42) < 0.15 THEN NULL
			ELSE pg_temp.u(c.customer_id, 43) < 0.35 END AS would_have_joined,
	   (10 + 10 * floor(pg_temp.u(c.customer_id, 44) * 5))::numeric(10, 2) AS reward
FROM crm.customers c
WHERE c.customer_id > 1 AND pg_temp.u(c.customer_id, 40) < 0.12;

-- community: threads by 10% of customers, a few replies each
CREATE TABLE crm.community_posts AS
WITH threads AS (
	SELECT c.customer_id AS author_id, t,
		   c.customer_id * 10 + t AS thread_id,
		   pg_temp.pick(pg_temp.u(c.customer_id * 10 + t, 51), '{product-help,ideas,general}', '{0.55,0.8,1}') AS community,
		   c.signed_up_at + pg_temp.u(c.customer_id * 10 + t, 52)
			 * (timestamptz '2026-10-31 00:00+00' - c.signed_up_at) AS posted_at
	FROM crm.customers c, generate_series(1, 1 + floor(c.activity)::int) t
	WHERE pg_temp.u(c.customer_id, 50) < 0.1
)
SELECT row_number() OVER (ORDER BY thread_id, r) AS post_id, community, thread_id,
	   CASE WHEN r = 0 THEN NULL ELSE thread_id * 100 END AS parent_post_id,
	   CASE WHEN r = 0 THEN author_id
			ELSE (1 + floor(pg_temp.u(thread_id * 10 + r, 53) * :customers))::bigint END AS author_id,
	   posted_at + CASE WHEN r = 0 THEN interval '0'
						ELSE r * -ln(1 - pg_temp.u(thread_id * 10 + r, 54)) * interval '6 hours' END AS posted_at,
	   floor(5 + 200 * -ln(1 - pg_temp.u(thread_id * 10 + r, 55)))::int AS views
FROM threads, generate_series(0, floor(pg_temp.u(thread_id, 56) * 6)::int) r;

ALTER TABLE crm.customers DROP COLUMN activity;
ANALYZE crm.customers;
ANALYZE crm.touches;
ANALYZE crm.surveys;
ANALYZE crm.orders;
ANALYZE crm.referrals;
ANALYZE crm.community_posts;

SELECT 'customers' AS "table", count(*) AS "rows" FROM crm.customers
UNION ALL SELECT 'touches', count(*) FROM crm.touches
UNION ALL SELECT 'surveys', count(*) FROM crm.surveys
UNION ALL SELECT 'orders', count(*) FROM crm.orders
UNION ALL SELECT 'referrals', count(*) FROM crm.referrals
UNION ALL SELECT 'community_posts', count(*) FROM crm.community_posts;
