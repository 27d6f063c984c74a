--
-- Community health: the community_health state, the six factors, the
-- composite index and the unanswered-thread list.
--
-- Checks: a small community computed by hand, the same measures against
-- plain-SQL formulations on 20,000 generated posts, rollups of split states
-- (a thread's posts in different states) equal to the whole, parallel
-- plans, text and binary round trips, NULL rules and every error.
--
SET extra_float_digits = 0;

-- threads 1-3 start in the data; thread 4 started before it (only a reply)
CREATE TABLE posts (post_id int, thread_id bigint, author_id bigint, posted_at timestamptz,
					starts boolean, views bigint);
INSERT INTO posts VALUES
	(1, 1, 10, '2026-03-01 10:00+00', true, 100),
	(2, 1, 11, '2026-03-01 10:30+00', false, 20),	-- first answer after 30 minutes
	(3, 1, 10, '2026-03-01 11:00+00', false, 5),
	(4, 1, 12, '2026-03-01 13:00+00', false, 15),
	(5, 2, 11, '2026-03-02 09:00+00', true, 40),	-- never answered
	(6, 3, 12, '2026-03-03 12:00+00', true, 60),
	(7, 3, 12, '2026-03-03 12:10+00', false, 2),	-- the starter again: not an answer
	(8, 3, 13, '2026-03-04 12:00+00', false, 30),	-- first answer after 1440 minutes
	(9, 4, 10, '2026-03-05 08:00+00', false, 10);

CREATE TABLE s AS SELECT community_agg(thread_id, author_id, posted_at, starts, views) AS h FROM posts;
SELECT h FROM s;
-- 9 posts, 3 threads started, members 10-13, 282 views, threads 1 and 3 answered
SELECT q.*, (q.posts = 9 AND q.threads = 3 AND q.members = 4 AND q.views = 282 AND q.answered_threads = 2) IS TRUE AS agrees
FROM (SELECT posts(h), threads(h), members(h), views(h), answered_threads(h) FROM s) q;
-- mean wait for the first answer by another member: (30 + 1440) / 2 minutes
SELECT q.*, (q.first_reply_time = q.by_hand) IS TRUE AS agrees
FROM (SELECT first_reply_time(h), interval '735 minutes' AS by_hand FROM s) q;
-- mean gap between successive posts: (180 + 1440) minutes over 3 + 2 gaps
SELECT q.*, (q.response_gap = q.by_hand) IS TRUE AS agrees
FROM (SELECT response_gap(h), interval '324 minutes' AS by_hand FROM s) q;
-- members per started thread: (3 + 1 + 2) / 3; views per post 282 / 9
SELECT q.*, (q.content = q.by_hand) IS TRUE AS agrees
FROM (SELECT interactivity(h), round(content(h)::numeric, 9) AS content, round(282 / 9.0, 9) AS by_hand FROM s) q;
-- per week of a one-week period: 9 posts; 282 / 7 views a day
SELECT q.*, (q.traffic = q.by_hand) IS TRUE AS agrees
FROM (SELECT liveliness(h, '7 days'), round(traffic(h, '7 days')::numeric, 9) AS traffic,
		   round(282 / 7.0, 9) AS by_hand, liveliness(h, '1 day') AS per_week_of_one_day FROM s) q;

-- the factors and the composite: scores c/(c+20), v/(v+100),
-- answered share * 1000/(1000 + minutes), (p-1)/p, l/(l+50)
SELECT factor, round(value::numeric, 6) AS value, round(score::numeric, 6) AS score
FROM s, health_factors(h, '7 days');
SELECT q.*, (q.index = q.by_hand) IS TRUE AS agrees
FROM (SELECT round(health_index(h, '7 days')::numeric, 6) AS index,
		   round((1000 * ((282 / 9.0) / (282 / 9.0 + 20) + (282 / 7.0) / (282 / 7.0 + 100)
						  + (2 / 3.0) * 1000 / (1000 + 735.0) + 0.5 + 9 / 59.0) / 5)::numeric, 6) AS by_hand
	FROM s) q;
-- growth against a previous period with two members: 4 / 2 - 1 = 100%,
-- scored 0.5 + 1 clamped to 1, then six factors are averaged
CREATE TABLE prev AS
SELECT community_agg(thread_id, author_id, posted_at, starts) AS h
FROM (VALUES (90, 10, timestamptz '2026-02-01 10:00+00', true), (90, 11, '2026-02-01 11:00+00', false)) v(thread_id, author_id, posted_at, starts);
SELECT q.*, (q.index = q.by_hand) IS TRUE AS agrees
FROM (SELECT growth(s.h, prev.h),
		   round(health_index(s.h, '7 days', prev.h)::numeric, 6) AS index,
		   round((1000 * (1 + (282 / 9.0) / (282 / 9.0 + 20) + (282 / 7.0) / (282 / 7.0 + 100)
						  + (2 / 3.0) * 1000 / (1000 + 735.0) + 0.5 + 9 / 59.0) / 6)::numeric, 6) AS by_hand
	FROM s, prev) q;
SELECT factor, round(value::numeric, 6) AS value, round(score::numeric, 6) AS score
FROM s, prev, health_factors(s.h, '7 days', prev.h) WHERE factor = 'growth';
-- growth of registered members (from a members table) given directly:
-- 25% scores 0.75 and takes precedence over the posting members
SELECT factor, value, score FROM s, prev, health_factors(s.h, '7 days', prev.h, 0.25) WHERE factor = 'growth';
SELECT q.*, (q.index = q.by_hand) IS TRUE AS agrees
FROM (SELECT round(health_index(s.h, '7 days', member_growth => 0.25)::numeric, 6) AS index,
		   round((1000 * (0.75 + (282 / 9.0) / (282 / 9.0 + 20) + (282 / 7.0) / (282 / 7.0 + 100)
						  + (2 / 3.0) * 1000 / (1000 + 735.0) + 0.5 + 9 / 59.0) / 6)::numeric, 6) AS by_hand
	FROM s) q;
-- shrinking to half the members scores 0
SELECT round(growth(prev.h, s.h)::numeric, 6) AS growth, score
FROM s, prev, health_factors(prev.h, '7 days', s.h) WHERE factor = 'growth';

-- escalation: threads nobody else answered, waiting at least the threshold
SELECT u.* FROM s, unanswered_threads(h, '2026-03-03 09:00+00', '24 hours') u;
SELECT count(*) AS none_yet FROM s, unanswered_threads(h, '2026-03-03 08:59+00', '24 hours');
SELECT thread_id, waiting FROM s, unanswered_threads(h, '2026-03-10 00:00+00', '0 seconds');

-- escalations: a customer waiting for an answer, or writing upset.
-- Thread 5: answered, then the customer asked again (waiting since that
-- post); thread 6: answered last by support (not waiting); thread 7: never
-- answered; thread 8: a fresh question with a low sentiment.
-- Boundaries: thread 7 has waited exactly the 1-day threshold at 04-03 12:00
-- (listed: the wait is inclusive); thread 9's sentiment is exactly the -0.5
-- threshold (not upset: only a sentiment below it is), waiting 1 h 30 min;
-- thread 10 is answered only by its starter (still unanswered, waiting
-- since its start at 10:00: 2 hours); in thread 11 the customer and support
-- write last at the same time (a tie: the customer is not waiting).
CREATE TABLE support AS
SELECT community_agg(t, a, ts::timestamptz, st, NULL, snt) AS h
FROM (VALUES (5, 100, '2026-04-01 09:00+00', true, 0.2), (5, 900, '2026-04-01 10:00+00', false, NULL),
			 (5, 100, '2026-04-02 08:00+00', false, -0.6),
			 (6, 101, '2026-04-01 09:00+00', true, 0.0), (6, 900, '2026-04-01 09:30+00', false, NULL),
			 (7, 102, '2026-04-02 12:00+00', true, NULL),
			 (8, 103, '2026-04-03 11:00+00', true, -0.9),
			 (9, 104, '2026-04-03 10:30+00', true, -0.5),
			 (10, 105, '2026-04-03 10:00+00', true, NULL), (10, 105, '2026-04-03 11:30+00', false, NULL),
			 (11, 106, '2026-04-03 09:00+00', true, NULL), (11, 900, '2026-04-03 09:30+00', false, NULL),
			 (11, 106, '2026-04-03 09:30+00', false, NULL)) v(t, a, ts, st, snt);
-- by hand: 5 (waiting since 04-02 08:00, 28 hours) and 7 (exactly 1 day)
SELECT e.* FROM support, escalations(h, '2026-04-03 12:00+00', '1 day') e ORDER BY thread_id;
-- by hand: 5, 7, and 8 (-0.9 < -0.5); not 9 (-0.5 is not below -0.5)
SELECT thread_id, customer_id, waiting, sentiment, reason
FROM support, escalations(h, '2026-04-03 12:00+00', '1 day', -0.5) ORDER BY thread_id;
-- customers waiting longest, as a support view would list them; by hand:
-- 100 28 h, 102 24 h, 105 2 h, 104 1 h 30 min, 103 1 h (not 106: a tie)
SELECT customer_id, count(*) AS threads, max(waiting) AS longest
FROM support, escalations(h, '2026-04-03 12:00+00', '0 seconds') GROUP BY 1 ORDER BY longest DESC;
SELECT count(*) AS null_state FROM escalations(NULL, '2026-04-03 00:00+00', '1 day');
-- unanswered threads of the support state: 7 (24 h), 8 (1 h), 9 (1 h 30 min)
-- and 10 (2 h: its starter's second post is no answer); 5, 6 and 11 are answered
SELECT thread_id, waiting FROM support, unanswered_threads(h, '2026-04-03 12:00+00', '0 seconds') ORDER BY 1;

--
-- Rollups: per-day states, and states splitting threads by post, merge to
-- the whole; a thread whose start and answer are in different states is
-- answered in the rollup
--
SELECT (SELECT rollup(d)::text FROM (SELECT posted_at::date, community_agg(thread_id, author_id, posted_at, starts, views) AS d
									 FROM posts GROUP BY 1) x) = (SELECT h::text FROM s) AS daily_rollup,
	   (SELECT rollup(d)::text FROM (SELECT post_id % 2, community_agg(thread_id, author_id, posted_at, starts, views) AS d
									 FROM posts GROUP BY 1) x) = (SELECT h::text FROM s) AS split_threads;
SELECT answered_threads(d), first_reply_time(d)
FROM (SELECT community_agg(thread_id, author_id, posted_at, starts, views) AS d
	  FROM posts WHERE thread_id = 3 AND posted_at < '2026-03-04 00:00+00') x;
SELECT answered_threads(rollup(d)), first_reply_time(rollup(d))
FROM (SELECT posted_at::date, community_agg(thread_id, author_id, posted_at, starts, views) AS d
	  FROM posts WHERE thread_id = 3 GROUP BY 1) x;

--
-- NULLs, empty input, one post
--
SELECT community_agg(thread_id, author_id, posted_at, starts, views) IS NULL AS empty_is_null FROM posts WHERE false;
SELECT posts(community_agg(t, a, ts, st, v)), views(community_agg(t, a, ts, st, v))
FROM (VALUES (1, 1, timestamptz '2026-01-01 00:00+00', true, NULL::bigint), (NULL, 1, '2026-01-01 00:00+00', false, 5),
			 (1, NULL, '2026-01-01 00:00+00', false, 5), (1, 2, NULL, false, 5), (1, 2, '2026-01-02 00:00+00', NULL, 5)) v(t, a, ts, st, v);
SELECT posts(h), threads(h), members(h), answered_threads(h), first_reply_time(h) IS NULL AS no_answer,
	   response_gap(h) IS NULL AS no_gap, interactivity(h)
FROM (SELECT community_agg(1, 7, timestamptz '2026-01-01 00:00+00', true) AS h) x;
SELECT interactivity(community_agg(4, 7, timestamptz '2026-01-01 00:00+00', false)) IS NULL AS no_started_thread;
SELECT health_index(NULL, '7 days') IS NULL AS null_state,
	   (SELECT count(*) FROM health_factors(NULL, '7 days')) AS no_factors;
-- without views, views, content and traffic are NULL and left out of the
-- composite: liveliness 4/54, responsiveness 0 (nothing answered),
-- interactivity 0 (one member per thread)
SELECT q.*, (q.index = q.by_hand) IS TRUE AS agrees
FROM (SELECT views(h), content(h), traffic(h, '7 days'),
		   round(health_index(h, '7 days')::numeric, 6) AS index,
		   round((1000 * (4 / 54.0 + 0 + 0) / 3)::numeric, 6) AS by_hand
	FROM (SELECT community_agg(t, 1, timestamptz '2026-01-01 00:00+00' + t * interval '1 hour', true) AS h
		  FROM generate_series(1, 4) t) x) q;
SELECT factor, value, score
FROM (SELECT community_agg(t, 1, timestamptz '2026-01-01 00:00+00' + t * interval '1 hour', true) AS h
	  FROM generate_series(1, 4) t) x, health_factors(h, '7 days');
-- factors of a state without started threads: responsiveness and
-- interactivity are left out of the composite
SELECT f.factor, f.value IS NULL AS missing
FROM (SELECT community_agg(4, 7, timestamptz '2026-01-01 00:00+00', false, 3) AS h) x, health_factors(h, '7 days') f;
SELECT q.*, (q.index = q.by_hand) IS TRUE AS agrees
FROM (SELECT round(health_index(h, '7 days')::numeric, 6) AS index,
		   round((1000 * (3 / 23.0 + (3 / 7.0) / (3 / 7.0 + 100) + 1 / 51.0) / 3)::numeric, 6) AS by_hand
	FROM (SELECT community_agg(4, 7, timestamptz '2026-01-01 00:00+00', false, 3) AS h) x) q;
-- ties: an answer at the very time of the question waited nothing
SELECT first_reply_time(community_agg(t, a, ts, st))
FROM (VALUES (1, 1, timestamptz '2026-01-01 00:00+00', true), (1, 2, '2026-01-01 00:00+00', false)) v(t, a, ts, st);

--
-- 20,000 generated posts in 2,000 threads of 3 communities against plain SQL
--
CREATE TABLE gen AS
SELECT p AS post_id, 1 + (p - 1) / 10 AS thread_id, (p - 1) % 10 = 0 AS starts,
	   CASE WHEN (p - 1) % 10 = 0 OR abs(hashint4(p)) % 4 = 0 OR ((p - 1) / 10) % 11 = 5
			THEN ((p - 1) / 10) % 500
			ELSE abs(hashint4(p * 7)) % 800 END AS author_id,
	   timestamptz '2026-01-01 00:00+00' + ((p - 1) / 10) * interval '3 hours'
		 + ((p - 1) % 10) * (abs(hashint4(p * 3)) % 600) * interval '1 minute' AS posted_at,
	   (abs(hashint4(p * 11)) % 50)::bigint AS views,
	   (ARRAY['help', 'ideas', 'general'])[1 + ((p - 1) / 10) % 3] AS community
FROM generate_series(1, 20000) p
-- some threads stay unanswered; in some only the starter writes again
WHERE (p - 1) % 10 = 0 OR ((p - 1) / 10) % 7 <> 0;
CREATE TABLE by_community AS
SELECT community, community_agg(thread_id, author_id, posted_at, starts, views) AS h FROM gen GROUP BY 1;
WITH starters AS (
	SELECT thread_id, author_id AS starter FROM gen WHERE starts
), threads AS (
	SELECT community, thread_id, count(*) AS posts, count(DISTINCT author_id) AS participants,
		   max(posted_at) - min(posted_at) AS span,
		   min(posted_at) FILTER (WHERE starts) AS started,
		   min(posted_at) FILTER (WHERE author_id <> starter) AS answered_at
	FROM gen g LEFT JOIN starters USING (thread_id) GROUP BY 1, 2
), idiom AS (
	SELECT community, sum(posts) AS posts, count(*) FILTER (WHERE started IS NOT NULL) AS threads,
		   count(answered_at) AS answered,
		   avg(answered_at - started) AS first_reply,
		   sum(span) / sum(posts - 1) FILTER (WHERE posts > 1) AS gap,
		   avg(participants) FILTER (WHERE started IS NOT NULL) AS interactivity
	FROM threads GROUP BY 1
)
SELECT i.community, posts(h) = i.posts AS posts, threads(h) = i.threads AS threads,
	   answered_threads(h) = i.answered AS answered,
	   abs(extract(epoch FROM first_reply_time(h) - i.first_reply)) < 1e-3 AS first_reply,
	   abs(extract(epoch FROM response_gap(h) - i.gap)) < 1e-3 AS gap,
	   abs(interactivity(h) - i.interactivity) < 1e-12 AS interactivity,
	   members(h) = (SELECT count(DISTINCT author_id) FROM gen g WHERE g.community = i.community) AS members,
	   views(h) = (SELECT sum(views) FROM gen g WHERE g.community = i.community) AS views
FROM idiom i JOIN by_community USING (community) ORDER BY 1;
-- unanswered threads against plain SQL (with the threads where only the
-- starter wrote again counted apart: they are unanswered too)
SELECT (SELECT count(*) FROM by_community, unanswered_threads(h, '2027-01-01 00:00+00', '1 day')) AS ours,
	   (SELECT count(*) FROM gen g WHERE starts AND NOT EXISTS
			(SELECT FROM gen r WHERE r.thread_id = g.thread_id AND r.author_id <> g.author_id)) AS plain_sql,
	   (SELECT count(*) FROM gen g WHERE starts AND NOT EXISTS
			(SELECT FROM gen r WHERE r.thread_id = g.thread_id AND r.author_id <> g.author_id)
		  AND EXISTS (SELECT FROM gen r WHERE r.thread_id = g.thread_id AND NOT r.starts)) AS only_starter_wrote_again,
	   (SELECT count(*) FROM by_community, unanswered_threads(h, '2027-01-01 00:00+00', '1 day')) =
	   (SELECT count(*) FROM gen g WHERE starts AND NOT EXISTS
			(SELECT FROM gen r WHERE r.thread_id = g.thread_id AND r.author_id <> g.author_id)) AS unanswered;
-- monthly states roll up to the whole; so do hash-split states
SELECT (SELECT string_agg(h::text, ',' ORDER BY community) FROM by_community) =
	   (SELECT string_agg(h::text, ',' ORDER BY community)
		FROM (SELECT community, rollup(m) AS h
			  FROM (SELECT community, date_trunc('month', posted_at), community_agg(thread_id, author_id, posted_at, starts, views) AS m
					FROM gen GROUP BY 1, 2) x GROUP BY 1) y) AS monthly_rollup,
	   (SELECT string_agg(h::text, ',' ORDER BY community) FROM by_community) =
	   (SELECT string_agg(h::text, ',' ORDER BY community)
		FROM (SELECT community, rollup(m) AS h
			  FROM (SELECT community, abs(hashint4(post_id)) % 5, community_agg(thread_id, author_id, posted_at, starts, views) AS m
					FROM gen GROUP BY 1, 2) x GROUP BY 1) y) AS hash_split_rollup;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT community_agg(thread_id, author_id, posted_at, starts, views) FROM gen;
SELECT community_agg(thread_id, author_id, posted_at, starts, views)::text =
	   (SELECT rollup(h)::text FROM by_community) AS parallel_equals_serial FROM gen;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

--
-- Text and binary forms
--
SELECT h::text::community_health::text = h::text AS text_round_trip FROM by_community;
\copy by_community TO 'results/community.bin' WITH (FORMAT binary)
CREATE TABLE by_community_copy (LIKE by_community);
\copy by_community_copy FROM 'results/community.bin' WITH (FORMAT binary)
SELECT (SELECT string_agg(h::text, ',' ORDER BY community) FROM by_community) =
	   (SELECT string_agg(h::text, ',' ORDER BY community) FROM by_community_copy) AS binary_round_trip;

--
-- Errors
--
SELECT community_agg(1, 1, timestamptz '2026-01-01 00:00+00', true, -1);
SELECT community_agg(1, 1, timestamptz 'infinity', true, 1);
SELECT community_agg(t, a, ts, st)
FROM (VALUES (1, 1, timestamptz '2026-01-01 00:00+00', true), (1, 2, '2026-01-02 00:00+00', true)) v(t, a, ts, st);
SELECT health_index(h, '7 days', NULL, 'NaN') FROM s;
SELECT liveliness(h, '0 days') FROM s;
SELECT traffic(h, '-7 days') FROM s;
SELECT u.* FROM s, unanswered_threads(h, 'infinity', '1 day') u;
SELECT '(v=2,views=0,records=[(1,1,1,0,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,-,-)])'::community_health;
SELECT '(v=1,views=0,records=[])'::community_health;
SELECT '(v=1,views=0,records=[(2,1,1,0,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,-,-),(1,1,1,0,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,-,-)])'::community_health;
SELECT '(v=1,views=0,records=[(1,1,1,0,2026-01-02T00:00:00Z,2026-01-01T00:00:00Z,-,-)])'::community_health;
SELECT '(v=1,views=0,records=[(1,1,2,0,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z,2026-01-03T00:00:00Z,-)])'::community_health;
SELECT '(v=1,views=0,records=[(1,1,1,0,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,-),(1,2,1,0,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,-)])'::community_health;
SELECT '(v=1,views=0,records=[(1,1,0,0,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,-,-)])'::community_health;
SELECT '(v=1,views=1,records=[(1,1,1,-5,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,-,-)])'::community_health;
SELECT '(v=1,views=0,records=[(1,1,1,0,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z,-,-)])'::community_health;
SELECT '(v=1,views=0,records=[(1,1,1,3,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,-,-)])'::community_health;
SELECT '(v=1,views=1,records=[(1,1,1,3,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,-,Infinity)])'::community_health;
SELECT '(v=1,views=2,records=[(1,1,1,3,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,-,-)])'::community_health;
-- sums beyond int64 are errors, never wrapped
SELECT posts('(v=1,views=0,records=[(1,1,9223372036854775807,0,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z,-,-),(1,2,9223372036854775807,0,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z,-,-)])'::community_health);
SELECT views(community_agg(t, a, timestamptz '2026-01-01 00:00+00', false, 9223372036854775807))
FROM (VALUES (1, 1), (1, 2)) v(t, a);
SELECT community_agg(1, 1, timestamptz '2026-01-01 00:00+00', true, 1, 'NaN');
SELECT e.* FROM s, escalations(h, '2026-03-10 00:00+00', '1 day', 'NaN') e;

DROP TABLE posts, s, prev, support, gen, by_community, by_community_copy;

-- robustness (issue 16)
--
-- never -0: a member growth or a sentiment of -0 comes back as 0
SELECT factor, value::text
FROM health_factors('(v=1,views=0,records=[(1,1,1,0,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,-0)])'::community_health,
					'7 days', NULL, '-0')
WHERE factor = 'growth';
SELECT sentiment::text
FROM escalations('(v=1,views=0,records=[(1,1,1,0,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,-0)])'::community_health,
				 '2026-02-01 00:00+00', '1 day');
-- lossless text form, send(x) = send(in(out(x))), with extreme values
CREATE TABLE extreme AS
SELECT '(v=1,views=1,records=[(-9223372036854775808,-9223372036854775808,2,9223372036854775807,0001-01-01T00:00:00Z,9999-12-31T23:59:59.999999Z,0001-01-01T00:00:00Z,-1.7976931348623157e308),(-9223372036854775808,9223372036854775807,1,0,2026-01-01T00:00:00.000001Z,2026-01-01T00:00:00.000001Z,-,5e-324),(9223372036854775807,0,1,1,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,-,-0),(9223372036854775807,1,1,1,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,-,-)])'::community_health AS h;
SELECT count(*) AS states,
	   count(*) FILTER (WHERE community_health_send(h) IS DISTINCT FROM community_health_send(h::text::community_health)) AS mismatches
FROM extreme;
-- a sentiment that is a NaN other than the usual one (here negative, with a
-- payload), read in binary, is "no sentiment" like the text form's "-"
CREATE TABLE nan_bytes AS
SELECT overlay(community_health_send(h) PLACING '\xfff8000000000001'::bytea
			   FROM length(community_health_send(h)) - 7) AS b
FROM (SELECT '(v=1,views=0,records=[(1,1,1,0,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,-,0.5)])'::community_health AS h) q;
\copy nan_bytes TO 'results/community_nan.bin' WITH (FORMAT binary)
CREATE TABLE nan_state (h community_health);
\copy nan_state FROM 'results/community_nan.bin' WITH (FORMAT binary)
SELECT h::text AS state,
	   community_health_send(h) IS NOT DISTINCT FROM community_health_send(h::text::community_health) AS lossless
FROM nan_state;
-- a binary value claiming more records than the documented limit of
-- 5,000,000 (so that every text form stays under 1 GB): 54000 before reading
TRUNCATE nan_bytes;
INSERT INTO nan_bytes VALUES ('\x0100004c4b41'::bytea);
\copy nan_bytes TO 'results/community_big.bin' WITH (FORMAT binary)
\copy nan_state FROM 'results/community_big.bin' WITH (FORMAT binary)

DROP TABLE extreme, nan_bytes, nan_state;
-- + merges two states (1.2, issue 17): the state community_agg builds over
-- the posts of both (a thread started in one part and answered in the other),
-- NULL when a side is NULL
CREATE TABLE plus_posts AS
	SELECT g, g % 3 AS thread_id, g % 4 AS author_id,
		   timestamptz '2026-03-01 00:00+00' + g * interval '2 hours' AS posted_at, g < 3 AS starts
	FROM generate_series(0, 11) g;
WITH a AS (SELECT community_agg(thread_id, author_id, posted_at, starts) AS h FROM plus_posts WHERE g < 5),
	 b AS (SELECT community_agg(thread_id, author_id, posted_at, starts) AS h FROM plus_posts WHERE g >= 5),
	 whole AS (SELECT community_agg(thread_id, author_id, posted_at, starts) AS h FROM plus_posts)
SELECT posts(a.h + b.h) AS posts, (SELECT count(*) FROM plus_posts) AS raw_posts,
	   (a.h + b.h)::text = whole.h::text AS equals_whole, (b.h + a.h)::text = whole.h::text AS commutes,
	   (a.h + NULL::community_health) IS NULL AS null_right
FROM a, b, whole;
DROP TABLE plus_posts;
