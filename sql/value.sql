--
-- Customer value: present_value(), clv(), crv(), cev().
--
-- Expected values are computed by hand from the formulas in docs/formulas.md
-- §5 (Kumar's CLV, §5.2; CRV, the §5.3 worked example)
-- and from the same formulas written in plain SQL over generated data.
--
SET extra_float_digits = 0;

--
-- present_value
--
-- 100 one year ahead at 10% is 100/1.1 = 90.909091; one year back, 110;
-- half a year ahead, 100/sqrt(1.1) = 95.346259
-- (a year is 365.25 days, 8766 hours; intervals are written in hours, since
-- adding days keeps the wall-clock time across a daylight-saving change)
SELECT q.*, (q.pv = round(100 / 1.1, 6)) IS TRUE AS agrees
FROM (SELECT round(present_value(amount, at, as_of, 0.10)::numeric, 6) AS pv
	FROM (VALUES (100.0, timestamptz '2027-01-01 06:00+00', timestamptz '2026-01-01 00:00+00')) v(amount, at, as_of)) q;
SELECT q.*, (q.pv_back = 110 AND q.pv_half = round(100 / sqrt(1.1), 6)) IS TRUE AS agrees
FROM (SELECT round(present_value(100, as_of - interval '8766 hours', as_of, 0.10, '1 year')::numeric, 6) AS pv_back,
		   round(present_value(100, as_of + interval '4383 hours', as_of, 0.10, '1 year')::numeric, 6) AS pv_half
	FROM (VALUES (timestamptz '2026-01-01 00:00+00')) v(as_of)) q;
-- a year is 365.25 days: 2026-01-01 to 2027-01-01 is 365 days, 0.999316 years
SELECT q.*, (q.calendar_year = q.by_hand) IS TRUE AS agrees
FROM (SELECT round(present_value(100, timestamptz '2027-01-01 00:00+00', timestamptz '2026-01-01 00:00+00', 0.10, '1 year')::numeric, 6) AS calendar_year,
		   round((100 / power(1.1, 365 / 365.25))::numeric, 6) AS by_hand) q;
-- a stream of 12 monthly payments of 10 at 1% a month: 10 * (1 - 1.01^-12) / 0.01
SELECT q.*, (q.annuity = q.by_hand) IS TRUE AS agrees
FROM (SELECT round(present_value(10, timestamptz '2026-01-01 00:00+00' + k * interval '720 hours',
							   timestamptz '2026-01-01 00:00+00', 0.01, '1 month')::numeric, 6) AS annuity,
		   round((10 * (1 - power(1.01, -12)) / 0.01)::numeric, 6) AS by_hand
	FROM generate_series(1, 12) k) q;
-- rate 0: a plain sum
SELECT present_value(x, timestamptz '2030-01-01 00:00+00', timestamptz '2026-01-01 00:00+00', 0)
FROM (VALUES (1.5), (2.5), (-1.0)) v(x);
-- NULL amounts/times are skipped; no rows give NULL
SELECT present_value(x, at, timestamptz '2026-01-01 00:00+00', 0.1)
FROM (VALUES (10.0, timestamptz '2026-01-01 00:00+00'), (NULL, '2026-01-01 00:00+00'), (5.0, NULL)) v(x, at);
SELECT present_value(x, timestamptz '2026-01-01 00:00+00', timestamptz '2026-01-01 00:00+00', 0.1) IS NULL AS empty
FROM (VALUES (1.0)) v(x) WHERE false;
-- errors
SELECT present_value(1, now(), now(), -1);
SELECT present_value(1, now(), now(), -1.5);
SELECT present_value(1, now(), now(), 'NaN');
SELECT present_value(1, now(), now(), NULL);
SELECT present_value(1, now(), now(), 0.1, '0 days');
SELECT present_value(1, now(), now(), 0.1, '-1 year');
SELECT present_value(1, 'infinity', now(), 0.1);
SELECT present_value('Infinity', now(), now(), 0.1);
SELECT present_value(1e308, timestamptz '1000-01-01 00:00+00', timestamptz '2026-01-01 00:00+00', 1.0);

--
-- clv: docs/formulas.md §5.2, N = 2 semiannual periods, r = 0.0723805,
-- p = 0.5, CM = 200, MC = 20 each period -> CLV = 144.1656
--
SELECT q.*, (q.clv = round((0.5 * 200 - 20) / 1.0723805 + (0.5 * 200 - 20) / 1.0723805 ^ 2, 4)) IS TRUE AS agrees
FROM (SELECT round(clv(200, 20, timestamptz '2026-01-01 00:00+00' + j * interval '4320 hours',
					 timestamptz '2026-01-01 00:00+00', 0.0723805, '6 months', 0.5)::numeric, 4) AS clv
	FROM generate_series(1, 2) j) q;
-- without the probability: (200 - 20) / 1.1 + (200 - 20) / 1.21 = 312.396694
SELECT q.*, (q.clv = round(180 / 1.1 + 180 / 1.21, 6)) IS TRUE AS agrees
FROM (SELECT round(clv(200, 20, timestamptz '2026-01-01 00:00+00' + j * interval '8766 hours',
					 timestamptz '2026-01-01 00:00+00', 0.10, '1 year')::numeric, 6) AS clv
	FROM generate_series(1, 2) j) q;
-- negative margins and costs above margin lower the value; NULL margin or cost count as 0
SELECT round(clv(m, c, timestamptz '2027-01-01 06:00+00', timestamptz '2026-01-01 00:00+00', 0, '1 year')::numeric, 6)
FROM (VALUES (-50.0, 10.0), (NULL, 5.0), (30.0, NULL), (NULL, NULL)) v(m, c);
SELECT clv(200, -1, now(), now(), 0.1, '1 year');
SELECT clv(200, 1, now(), now(), 0.1, '1 year', 1.5);
SELECT clv(200, 1, now(), now(), 0.1, '1 year', NULL);
SELECT clv(200, 1, now(), now(), -1, '1 year');

--
-- crv: docs/formulas.md §5.3, T = 2, r = 0.10; one type-one referral with
-- A = 100 a year, a = 20 in year 1, M = 10 a year, ACQ1 = 50 in year 1; one
-- type-two referral with ACQ2 = 50 in year 1 -> CRV = 228.9256.  The money
-- amounts are discounted per referral first (present_value), then combined.
--
CREATE TABLE referral_flows (referee int, would_have_joined boolean, kind text, amount float8, at timestamptz);
INSERT INTO referral_flows VALUES
	(1, false, 'margin', 100, '2027-01-01 00:00+00'), (1, false, 'margin', 100, '2028-01-01 00:00+00'),
	(1, false, 'reward', 20, '2027-01-01 00:00+00'),
	(1, false, 'retention', 10, '2027-01-01 00:00+00'), (1, false, 'retention', 10, '2028-01-01 00:00+00'),
	(1, false, 'acquisition', 50, '2027-01-01 00:00+00'),
	(2, true, 'acquisition', 50, '2027-01-01 00:00+00');
CREATE TABLE referral_values AS
	SELECT referee, would_have_joined,
		   coalesce(sum(pv) FILTER (WHERE kind = 'margin'), 0) AS margin_value,
		   coalesce(sum(pv) FILTER (WHERE kind = 'reward'), 0) AS reward,
		   coalesce(sum(pv) FILTER (WHERE kind = 'retention'), 0) AS retention_cost,
		   coalesce(sum(pv) FILTER (WHERE kind = 'acquisition'), 0) AS acquisition_cost
	FROM (SELECT referee, would_have_joined, kind,
				 present_value(amount, at, timestamptz '2026-01-01 00:00+00', 0.10, '365 days') AS pv
		  FROM referral_flows GROUP BY 1, 2, 3) f
	GROUP BY 1, 2;
SELECT q.*, (q.crv = round(120 / 1.1 + 90 / 1.21 + 50 / 1.1, 4)) IS TRUE AS agrees
FROM (SELECT round(crv(referee, would_have_joined, margin_value, reward, retention_cost, acquisition_cost)::numeric, 4) AS crv
	FROM referral_values) q;
-- type one alone: 109.0909 + 74.3802 = 183.4711; type two alone: 45.4545
SELECT q.*, (q.crv = CASE WHEN q.would_have_joined THEN round(50 / 1.1, 4) ELSE round(120 / 1.1 + 90 / 1.21, 4) END) IS TRUE AS agrees
FROM (SELECT would_have_joined,
		   round(crv(referee, would_have_joined, margin_value, reward, retention_cost, acquisition_cost)::numeric, 4) AS crv
	FROM referral_values GROUP BY 1 ORDER BY 1) q;
-- unknown referrals: type two by default; with a probability, the expectation
-- 0.25 * 183.4711 + 0.75 * 45.4545 = 79.9587
SELECT q.*, (q.unknown_default = round(50 / 1.1, 4) AND q.unknown_p75 = round(0.25 * (120 / 1.1 + 90 / 1.21) + 0.75 * 50 / 1.1, 4) AND q.known_ignores_p = round(120 / 1.1 + 90 / 1.21, 4)) IS TRUE AS agrees
FROM (SELECT round(crv(referee, NULL, margin_value, reward, retention_cost, acquisition_cost)::numeric, 4) AS unknown_default,
		   round(crv(referee, NULL, margin_value, reward, retention_cost, acquisition_cost, 0.75)::numeric, 4) AS unknown_p75,
		   round(crv(referee, would_have_joined, margin_value, reward, retention_cost, acquisition_cost, 0.75)::numeric, 4) AS known_ignores_p
	FROM referral_values WHERE referee = 1) q;
-- no referrals: 0 (a customer without referrals has no referral value)
SELECT crv(e, w, m, r, rc, a) AS no_rows
FROM (VALUES (1, NULL::boolean, NULL::float8, NULL::float8, NULL::float8, NULL::float8)) v(e, w, m, r, rc, a) WHERE false;
-- the outer side of a join: a NULL referee is no referral; a referee who
-- never bought (NULL margin) still costs the reward and saves the acquisition
SELECT c.id, crv(r.referee, r.w, r.m, r.rw, 0, 30) AS crv
FROM (VALUES (1), (2), (3)) c(id)
LEFT JOIN (VALUES (1, 11, false, 80.0, 10.0), (3, 31, false, NULL, 10.0)) r(referrer, referee, w, m, rw)
	   ON r.referrer = c.id
GROUP BY c.id ORDER BY c.id;
-- any type identifies the referee
SELECT crv(e, true, 0, 0, 0, 12.5) FROM (VALUES ('alice'::text), ('bob')) v(e);
-- crv has overloads for bigint, integer, smallint, text and uuid referees (Citus can
-- partially aggregate those, not the anyelement form: issue 19).  Each gives
-- the anyelement result (reached with a numeric referee, which has no
-- overload) on the same rows; the value of each row is computed by hand from
-- the formula (type one: margin - reward - retention + acquisition; type
-- two: acquisition; unknown with p: the mix).
CREATE TEMP TABLE crv_rows AS
	SELECT i, (i % 7 = 0) AS w, CASE WHEN i % 5 = 0 THEN NULL ELSE i % 3 = 0 END AS w_null,
		   10.0 * (i % 13) AS m, i % 4 AS rw, (i % 3)::float8 AS rc, 25.0 AS a
	FROM generate_series(1, 200) i;
SELECT count(*) AS rows,
	   count(*) FILTER (WHERE (abs(via - expected) <= 1e-9 * abs(expected)) IS NOT TRUE) AS mismatches
FROM (SELECT t.referee_type, t.via, h.expected
	  FROM (SELECT 'bigint' AS referee_type, crv(i::bigint, w, m, rw, rc, a) AS via FROM crv_rows
			UNION ALL SELECT 'integer', crv(i::integer, w, m, rw, rc, a) FROM crv_rows
			UNION ALL SELECT 'smallint', crv(i::smallint, w, m, rw, rc, a) FROM crv_rows
			UNION ALL SELECT 'text', crv(i::text, w, m, rw, rc, a) FROM crv_rows
			UNION ALL SELECT 'uuid', crv(md5(i::text)::uuid, w, m, rw, rc, a) FROM crv_rows
			UNION ALL SELECT 'anyelement', crv(i::numeric, w, m, rw, rc, a) FROM crv_rows
			UNION ALL SELECT 'bigint, p', crv(i::bigint, w_null, m, rw, rc, a, 0.25) FROM crv_rows
			UNION ALL SELECT 'integer, p', crv(i::integer, w_null, m, rw, rc, a, 0.25) FROM crv_rows
			UNION ALL SELECT 'smallint, p', crv(i::smallint, w_null, m, rw, rc, a, 0.25) FROM crv_rows
			UNION ALL SELECT 'text, p', crv(i::text, w_null, m, rw, rc, a, 0.25) FROM crv_rows
			UNION ALL SELECT 'uuid, p', crv(md5(i::text)::uuid, w_null, m, rw, rc, a, 0.25) FROM crv_rows
			UNION ALL SELECT 'anyelement, p', crv(i::numeric, w_null, m, rw, rc, a, 0.25) FROM crv_rows) t,
		 (SELECT sum(CASE WHEN w THEN a ELSE m - rw - rc + a END) AS expected FROM crv_rows) e1,
		 (SELECT sum(CASE WHEN w_null IS NULL THEN 0.75 * (m - rw - rc + a) + 0.25 * a
						  WHEN w_null THEN a ELSE m - rw - rc + a END) AS expected FROM crv_rows) e2,
		 LATERAL (SELECT CASE WHEN t.referee_type LIKE '%, p' THEN e2.expected ELSE e1.expected END AS expected) h) c;
-- which overload a call picks: exact types their own (a smallint key was
-- ambiguous between integer and bigint before it had its own), an unknown
-- literal and varchar the text one, others the anyelement form (read from
-- the view's dependencies)
CREATE FUNCTION pg_temp.crv_picked(call text) RETURNS regprocedure
LANGUAGE plpgsql AS $$
DECLARE
	picked regprocedure;
BEGIN
	EXECUTE 'CREATE TEMP VIEW crv_pick AS SELECT ' || call;
	SELECT d.refobjid INTO picked
	FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
	JOIN pg_proc p ON p.oid = d.refobjid AND p.proname = 'crv'
	WHERE r.ev_class = 'crv_pick'::regclass AND d.refclassid = 'pg_proc'::regclass;
	DROP VIEW crv_pick;
	RETURN picked;
END $$;
SELECT call, pg_temp.crv_picked(call) AS picked
FROM (VALUES ('crv(1, true, 0, 0, 0, 1)'), ('crv(1::smallint, true, 0, 0, 0, 1)'),
			 ('crv(1::bigint, true, 0, 0, 0, 1, 0.5)'), ('crv(''a'', true, 0, 0, 0, 1)'),
			 ('crv(''a''::varchar, true, 0, 0, 0, 1)'),
			 ('crv(''00000000-0000-0000-0000-000000000001''::uuid, true, 0, 0, 0, 1)'),
			 ('crv(date ''2026-01-01'', true, 0, 0, 0, 1)'), ('crv(1.5, true, 0, 0, 0, 1)')) v(call);
DROP TABLE crv_rows;
-- a type-one referral who never buys costs the reward: 0 - 15 - 0 + 0
SELECT crv(1, false, 0, 15, 0, 0);
-- negative margins are allowed
SELECT crv(1, false, -40, 0, 0, 0);
-- errors
SELECT crv(1, false, 10, -1, 0, 0);
SELECT crv(1, false, 10, 0, 'NaN', 0);
SELECT crv(1, NULL, 10, 0, 0, 0, 2);
SELECT crv(1, NULL, 'Infinity', 0, 0, 0);

--
-- cev = CLV + CRV + CIV + CKV
--
SELECT cev(100, 20, 5, 1), cev(100, 20), cev(100, NULL, NULL, 3), cev(NULL, NULL) IS NULL AS all_null;

--
-- Agreement with the plain-SQL formula on generated orders, many customers,
-- serial and parallel
--
CREATE TABLE orders AS
	SELECT i AS order_id, i % 700 AS customer_id,
		   timestamptz '2025-01-01 00:00+00' + (abs(hashint4(i)) % 700) * interval '1 day'
			 + (abs(hashint4(i * 3)) % 86400) * interval '1 second' AS ordered_at,
		   (abs(hashint4(i * 7)) % 20000) / 100.0 - 20 AS margin
	FROM generate_series(1, 50000) i;
ANALYZE orders;
CREATE FUNCTION pv_by_hand(amount float8, at timestamptz, as_of timestamptz, rate float8, period interval)
	RETURNS float8 LANGUAGE sql IMMUTABLE
	AS $$ SELECT amount / power(1 + rate, extract(epoch FROM at - as_of) / extract(epoch FROM period)) $$;
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE (abs(ours - idiom) <= 1e-9 * greatest(1, abs(idiom))) IS NOT TRUE) AS mismatch
FROM (SELECT customer_id,
			 present_value(margin, ordered_at, timestamptz '2026-06-30 00:00+00', 0.08, '1 year') AS ours,
			 sum(pv_by_hand(margin, ordered_at, timestamptz '2026-06-30 00:00+00', 0.08, '1 year')) AS idiom
	  FROM orders GROUP BY customer_id) s;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT present_value(margin, ordered_at, timestamptz '2026-06-30 00:00+00', 0.08) FROM orders;
SELECT abs(present_value(margin, ordered_at, timestamptz '2026-06-30 00:00+00', 0.08)
		   - (SELECT sum(pv_by_hand(margin, ordered_at, timestamptz '2026-06-30 00:00+00', 0.08, '1 year')) FROM orders))
	   < 1e-6 AS parallel_matches
FROM orders;
RESET ALL;

DROP FUNCTION pv_by_hand(float8, timestamptz, timestamptz, float8, interval);
DROP TABLE referral_flows, referral_values, orders;

-- robustness (issue 16)
-- a zero cash flow is worth 0 even where the discount factor overflows
-- (before: 0 * Infinity = NaN, reported as 22003); a non-zero one is 22003
SELECT present_value(0, '0001-01-01 00:00+00', '9999-01-01 00:00+00', 1e300, '1 microsecond') AS zero_amount,
	   clv(0, 0, '0001-01-01 00:00+00', '9999-01-01 00:00+00', 1e300, '1 microsecond') AS zero_margin;
SELECT present_value(1, '0001-01-01 00:00+00', '9999-01-01 00:00+00', 1e300, '1 microsecond');
-- a referral that certainly would have joined anyway is worth its acquisition
-- cost whatever its type-one value (before: 0 * Infinity = NaN, 22003); a
-- type-one value out of the float8 range is 22003 where it is computed
SELECT crv(1, true, 1e308, 0, 0, 1e308) AS certain_type_two,
	   crv(1, NULL, 1e308, 0, 0, 1e308, 1.0) AS p_one;
SELECT crv(1, false, 1e308, 0, 0, 1e308);
-- the transition function called with a NULL state and no referee keeps
-- NULL (before: 0, the Datum of the NULL state)
SELECT crv_trans(NULL, NULL::int, true, 1, 1, 1, 1) IS NULL AS null_state_stays_null;
-- the float8 states are checked as sums even on skipped rows: a user
-- aggregate starting at NaN cannot return NaN (before: NaN)
CREATE AGGREGATE pv_from_nan(float8, timestamptz, timestamptz, float8, interval)
	(SFUNC = present_value_trans, STYPE = float8, INITCOND = 'NaN');
SELECT pv_from_nan(NULL, now(), now(), 0.1, '1 year');
SELECT pv_from_nan(1, now(), now(), 0.1, '1 year');
DROP AGGREGATE pv_from_nan(float8, timestamptz, timestamptz, float8, interval);
-- nor -0 (before: -0 from a -0 state and a negative cash flow discounted to -0)
CREATE AGGREGATE pv_from_minus_zero(float8, timestamptz, timestamptz, float8, interval)
	(SFUNC = present_value_trans, STYPE = float8, INITCOND = '-0');
SELECT pv_from_minus_zero(-1, '9999-01-01 00:00+00', '0001-01-01 00:00+00', 1e300, '1 microsecond');
DROP AGGREGATE pv_from_minus_zero(float8, timestamptz, timestamptz, float8, interval);
