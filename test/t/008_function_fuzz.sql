--
-- Setup of test/t/008_function_fuzz.pl: the round-trip checker, valid states
-- built by the extension's own aggregates over small data, and one large
-- state per variable-length type for the heavier calls (fz_big_<type>; for
-- the fixed-size types an extreme one).
--
SET client_min_messages = warning;

-- 'ok<TAB>text' when send(v) = send(in(out(v))), 'LOSSY<TAB>text' when not,
-- 'RTERR <sqlstate> <message>' when the text form cannot be read back.
CREATE FUNCTION fz_rt(v anyelement) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	t text := pg_typeof(v)::text;
	same boolean;
	txt text;
BEGIN
	IF v IS NULL THEN
		RETURN 'null';
	END IF;
	BEGIN
		txt := v::text;
		EXECUTE format('SELECT %s_send($1) = %s_send($2::%s)', t, t, t) INTO same USING v, txt;
	EXCEPTION WHEN OTHERS THEN
		RETURN 'RTERR ' || SQLSTATE || ' ' || SQLERRM;
	END;
	RETURN CASE WHEN same THEN 'ok' ELSE 'LOSSY' END || E'\t' || txt;
END
$$;

-- Whether the input function of type t accepts the text v.
CREATE FUNCTION fz_accepts(v text, t text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('SELECT %L::%s', v, t);
	RETURN true;
EXCEPTION
	WHEN invalid_text_representation OR numeric_value_out_of_range
		OR data_corrupted OR program_limit_exceeded OR data_exception THEN
		RETURN false;
END
$$;

CREATE TABLE fz_valid (t text, v text);
INSERT INTO fz_valid
SELECT 'nps_summary', nps_agg(s)::text FROM generate_series(0, 10) s
UNION ALL SELECT 'nps_summary', nps_agg(s, 0.5 + s)::text FROM generate_series(0, 10) s
UNION ALL SELECT 'nps_summary', nps_agg(10)::text
UNION ALL SELECT 'journey', journey_agg(t, c)::text
  FROM (VALUES ('2026-01-05 10:00Z'::timestamptz, 'web'), ('2026-01-05 10:04Z', 'email'),
               ('2026-01-06 09:00Z', 'web'), ('2026-01-06 09:00Z', 'app')) v(t, c)
UNION ALL SELECT 'journey', journey_agg(t, c, e)::text
  FROM (VALUES ('2026-01-05 10:00Z'::timestamptz, 'call centre', 'say "hi"'),
               ('2026-01-05 10:00Z', '', 'a,b'), ('2026-03-01 00:00Z', 'start', NULL)) v(t, c, e)
UNION ALL SELECT 'journey', journey_agg('2026-01-05 10:00Z', 'web')::text
UNION ALL SELECT 'funnel', funnel_agg('1 hour', t, VARIADIC s)::text
  FROM (VALUES ('2026-01-05 10:00Z'::timestamptz, ARRAY[true, false, false]),
               ('2026-01-05 10:10Z', ARRAY[false, true, false]),
               ('2026-01-05 10:20Z', ARRAY[false, false, true])) v(t, s)
UNION ALL SELECT 'funnel', funnel_agg('1 day', 'strict_order', t, VARIADIC s)::text
  FROM (VALUES ('2026-01-05 10:00Z'::timestamptz, ARRAY[true, false]),
               ('2026-01-05 10:00Z', ARRAY[true, true])) v(t, s)
UNION ALL SELECT 'markov_model', markov_agg(p, c, n)::text
  FROM (VALUES (ARRAY['google ads', 'mailing'], 1::bigint, 0::bigint),
               (ARRAY['mailing'], 0, 1), (ARRAY['google ads'], 2, 1)) v(p, c, n)
UNION ALL SELECT 'markov_model', markov_agg(p, c, n, x)::text
  FROM (VALUES (ARRAY['a"b', 'a"b', 'c'], 3::bigint, 2::bigint, 12.5::float8),
               (ARRAY['c'], 0, 4, 0)) v(p, c, n, x)
UNION ALL SELECT 'fractribution_summary', fractribution_agg(p, c, n)::text
  FROM (VALUES (ARRAY['google ads', 'mailing'], 1::bigint, 0::bigint),
               (ARRAY['mailing'], 0, 1), (ARRAY['google ads'], 2, 1), (ARRAY[]::text[], 1, 0)) v(p, c, n)
UNION ALL SELECT 'fractribution_summary', fractribution_agg(p, c, n, x)::text
  FROM (VALUES (ARRAY['a"b', 'a"b', 'c(2)'], 3::bigint, 2::bigint, 12.5::float8),
               (ARRAY['c(2)'], 0, 4, 0)) v(p, c, n, x)
UNION ALL SELECT 'markov_model', markov_agg(p, c, n, x, 2)::text
  FROM (VALUES (ARRAY['a"b', 'a"b', 'c', 'd'], 3::bigint, 2::bigint, 12.5::float8),
               (ARRAY['c'], 0, 4, 0), (ARRAY['e', 'f'], 0, 0, NULL)) v(p, c, n, x)
UNION ALL SELECT 'markov_model', markov_agg(p, c, n, NULL, 4)::text
  FROM (VALUES (ARRAY['a', 'b', 'a', 'b', 'a', 'b'], 1::bigint, 1::bigint),
               (ARRAY['b', 'a', 'c'], 0, 2)) v(p, c, n)
UNION ALL SELECT 'engagement', engagement_agg(t, d::engagement_dimension, w, '7 days')::text
  FROM (VALUES ('2026-01-01 00:00Z'::timestamptz, 'involvement', 1.5::float8),
               ('2026-01-08 00:00Z', 'intimacy', -0.5), ('2026-01-03 12:00Z', 'influence', 2)) v(t, d, w)
UNION ALL SELECT 'rfm', rfm_agg(t, a)::text
  FROM (VALUES ('2026-01-05 10:00Z'::timestamptz, 12.5::float8), ('2026-01-05 18:00Z', 1),
               ('2026-02-01 00:00Z', 30)) v(t, a)
UNION ALL SELECT 'rfm', rfm_agg('2026-01-05 10:00Z', 0)::text
UNION ALL SELECT 'bgnbd', bgnbd(0.243, 4.414, 0.793, 2.426)::text
UNION ALL SELECT 'bgnbd', '(v=1,r=0.2425929072885236,alpha=4.413531565347998,a=0.7928861471915445,b=2.425753431115753,customers=2357,ll=-9582.425560567348,iterations=24,cov=[0.002679400877153802,0.003461671141834868,0.00734378168169563,-0.0004566677934987034,-0.0008188696554104859,0.05486453216545538,0.00011155955001926128,0.0009828416015976928,0.06405271143054143,0.08454945321039871])'::bgnbd::text
UNION ALL SELECT 'mbgnbd', mbgnbd(0.525, 6.183, 0.891, 1.614)::text
UNION ALL SELECT 'mbgnbd', '(v=1,r=0.524837982095677,alpha=6.182991987641489,a=0.8913561526381389,b=1.613999334487603,customers=2357,ll=-9582.132684899896,iterations=25,cov=[0.02516892725795729,0.01493755534436384,0.012656662477223073,-0.016046372529148215,-0.009653319105833835,0.03015483491391865,-0.04434827799656506,-0.02365705723131613,0.051296714717566964,0.11089336790311204])'::mbgnbd::text
UNION ALL SELECT 'bgbb', bgbb(1.204, 0.75, 0.657, 2.783)::text
UNION ALL SELECT 'bgbb', bgbb_fit(x, t_x, 6, c)::text
  FROM (VALUES (0, 0, 3464), (1, 1, 1091), (1, 4, 78), (2, 2, 613), (2, 6, 234), (3, 5, 225),
               (4, 6, 512), (5, 6, 728), (6, 6, 1203)) v(x, t_x, c)
UNION ALL SELECT 'paretonbd', paretonbd(0.55, 10.58, 0.61, 11.67)::text
UNION ALL SELECT 'paretonbd', '(v=1,r=0.553275508022462,alpha=10.577612211328615,s=0.6062135664828718,beta=11.667911125267326,customers=2357,ll=-9594.973929826854,iterations=28,cov=[0.007410637425177399,0.005636000352726506,0.0063473926458220585,-0.009403777390861193,-0.004199514157659908,0.0954398006013292,-0.021794308854905634,-0.009771852090532593,0.15977560168386967,0.28336157396338096])'::paretonbd::text
UNION ALL SELECT 'gammagamma', gammagamma(6.25, 3.74, 15.44)::text
UNION ALL SELECT 'gammagamma', gammagamma_fit(x, m)::text
  FROM (SELECT 1 + g % 6 AS x, 20 + (g * 37) % 50 AS m FROM generate_series(1, 300) g) d
UNION ALL SELECT 'engagement_logit', engagement_logit_fit(e, '2026-03-01 00:00Z', y, p)::text
  FROM (SELECT engagement_agg('2026-03-01 00:00Z'::timestamptz - (g % 3) * interval '1 day',
						  (ARRAY['involvement', 'interaction', 'intimacy', 'influence'])[1 + g % 4]::engagement_dimension,
						  (g % 5 - 2) / 2.0, '7 days') AS e, g % 3 = 0 AS y
		FROM generate_series(1, 60) g, generate_series(1, 1 + g % 4) k GROUP BY g) d,
	   (VALUES (0::float8), (1)) v(p) GROUP BY p
UNION ALL SELECT 'community_health', community_agg(th, au, t, st, vw, se)::text
  FROM (VALUES (1::bigint, 10::bigint, '2026-03-01 10:00Z'::timestamptz, true, 105::bigint, -0.5::float8),
               (1, 11, '2026-03-01 10:30Z', false, NULL, NULL),
               (2, 11, '2026-03-02 09:00Z', true, 40, 0.25),
               (2, 11, '2026-03-02 09:30Z', false, 3, 0.9)) v(th, au, t, st, vw, se)
UNION ALL SELECT 'community_health', community_agg(1, 1, '2026-03-01 10:00Z', true)::text
UNION ALL SELECT 'identity_graph', identity_agg(a, b, t)::text
  FROM (VALUES ('crm:1', 'email:a@example.com', '2026-03-01 10:00Z'::timestamptz),
               ('cookie:9', 'email:a@example.com', '2026-03-02 10:00Z'), ('lone', 'lone', '2026-03-03 10:00Z'),
               ('say "hi"', 'a,b', '2026-03-04 10:00Z')) v(a, b, t)
UNION ALL SELECT 'identity_graph', identity_agg('x', 'y')::text
UNION ALL SELECT 'classifier_summary', classifier_agg(s, o)::text
  FROM (VALUES (0.9::float8, true), (0.7, true), (0.5, true), (0.6, false), (0.3, false), (0.5, false)) v(s, o)
UNION ALL SELECT 'classifier_summary', classifier_agg(-2.5, false)::text;

-- Large states: thousands of touches, names, events, records and days;
-- extreme models (purchase_probability(fz_big_bgnbd, 1e17, 1) is issue 16's).
CREATE TABLE fz_big_nps_summary AS SELECT nps_agg(g % 11, 1 + g % 3) AS v FROM generate_series(1, 100000) g;
CREATE TABLE fz_big_journey AS
	SELECT journey_agg('2026-01-01 00:00Z'::timestamptz + g * interval '1 minute', 'channel ' || g % 6000, 'e' || g % 7) AS v
	FROM generate_series(1, 20000) g;
CREATE TABLE fz_big_funnel AS
	SELECT funnel_agg('1 day', '2026-01-01 00:00Z'::timestamptz + g * interval '1 minute',
					  VARIADIC array_fill(false, ARRAY[31]) || (g % 3 = 0)) AS v
	FROM generate_series(1, 20000) g;
CREATE TABLE fz_big_markov_model AS
	SELECT markov_agg(ARRAY['c' || g % 250, 'c' || (g * 7) % 250, 'c' || (g * 13) % 250], g % 2, 1 - g % 2, g) AS v
	FROM generate_series(1, 20000) g;
CREATE TABLE fz_big_fractribution_summary AS
	SELECT fractribution_agg(ARRAY['c' || g % 250, 'c' || (g * 7) % 250, 'c' || (g * 13) % 250], g % 2, 1 - g % 2, g) AS v
	FROM generate_series(1, 20000) g;
CREATE TABLE fz_big_engagement AS
	SELECT engagement_agg('2026-01-01 00:00Z'::timestamptz + g * interval '1 minute',
						  (ARRAY['involvement', 'interaction', 'intimacy', 'influence'])[1 + g % 4]::engagement_dimension,
						  g % 3 - 1, '7 days') AS v
	FROM generate_series(1, 20000) g;
CREATE TABLE fz_big_rfm AS
	SELECT rfm_agg('2000-01-01 00:00Z'::timestamptz + g * interval '1 day', g % 100) AS v
	FROM generate_series(1, 10000) g;
CREATE TABLE fz_big_bgnbd AS SELECT bgnbd(1e-5, 4.41, 0.79, 2.43) AS v;
CREATE TABLE fz_big_mbgnbd AS SELECT mbgnbd(1e-5, 4.41, 0.79, 2.43) AS v;
CREATE TABLE fz_big_bgbb AS SELECT bgbb(1e-300, 1e300, 1e-300, 1e300) AS v;
CREATE TABLE fz_big_paretonbd AS SELECT paretonbd(1e-300, 1e300, 1e-300, 1e300) AS v;
CREATE TABLE fz_big_gammagamma AS SELECT gammagamma(100, 100, 1e-5) AS v;
CREATE TABLE fz_big_engagement_logit AS
	SELECT '(v=1,rows=10000000,positives=1,iterations=100,penalty=1e300,log_likelihood=-1e300,coefficients=[-1e300,1e300,-1e300,1e300,-1e300],covariance=[1e300,0,1e300,0,0,1e300,0,0,0,1e300,0,0,0,0,1e300])'::engagement_logit AS v;
CREATE TABLE fz_big_community_health AS
	SELECT community_agg(g / 4, g % 997, '2026-01-01 00:00Z'::timestamptz + g * interval '1 minute',
						 g % 4 = 0, g % 50, (g % 21 - 10) / 10.0) AS v
	FROM generate_series(1, 20000) g;
-- 20,000 pairs over 5,000 identifiers (one large component)
CREATE TABLE fz_big_identity_graph AS
	SELECT identity_agg('id:' || g % 5000, 'id:' || (g * 7919) % 5000,
						'2026-01-01 00:00Z'::timestamptz + g * interval '1 minute') AS v
	FROM generate_series(1, 20000) g;
CREATE TABLE fz_big_classifier_summary AS
	SELECT classifier_agg((g * 7919 % 20011)::float8 / 20011, g % 3 = 0) AS v
	FROM generate_series(1, 20000) g;
-- 30,000 touches of one 300-byte name, one second apart.
CREATE TABLE fz_long_journey AS
	SELECT journey_agg('2026-01-01 00:00Z'::timestamptz + g * interval '1 second', repeat('n', 300)) AS v
	FROM generate_series(1, 30000) g;

-- Whether the text s of type t reads in and reads back losslessly.
CREATE FUNCTION fz_text_rt(s text, t text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	ok boolean;
BEGIN
	EXECUTE format('SELECT fz_rt(x) = ''ok'' || E''\t'' || x::text FROM (SELECT %L::%s AS x) s', s, t) INTO ok;
	RETURN ok;
EXCEPTION WHEN OTHERS THEN
	RETURN false;
END
$$;
