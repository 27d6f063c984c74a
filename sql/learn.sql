--
-- Learned engagement weights (engagement_logit_fit, issue 24): a logistic
-- regression of an outcome on the four decayed dimensions by Newton/IRLS.
--
-- Checks: a saturated design whose maximum-likelihood estimates have a
-- closed form (log odds and log odds ratios of the group proportions, their
-- standard errors Woolf's); a generated data set against an independent
-- Newton solver in mpmath at 60 digits (plain and penalised); NULL rules,
-- empty input, parallel plans, merges, text and binary forms, the accessors
-- against their formulas, separation, one class, a constant dimension and
-- every argument error.
--
SET extra_float_digits = 0;

--
-- The closed form.  Five groups of rows whose states decay, at as_of, to
-- (0,0,0,0) (one intimacy event of sentiment 0), or to 1 in exactly one
-- dimension (one event of value 1 at as_of).  With five distinct design
-- points and five coefficients the model is saturated: the fitted
-- probability of each group equals its observed proportion p_g, so
--   b0 = logit(p_A),  b_d = logit(p_d) - logit(p_A)  (a log odds ratio).
-- By hand: A 3 of 10 true, involvement 6 of 8, interaction 4 of 12,
-- intimacy 3 of 6, influence 8 of 10, so b0 = ln(3/7) = -0.8473,
-- b1 = ln(6/2) - ln(3/7) = ln 7, b2 = ln(4/8) - ln(3/7) = ln(7/6),
-- b3 = ln(3/3) - ln(3/7) = ln(7/3), b4 = ln(8/2) - ln(3/7) = ln(28/3).
-- The information matrix of a saturated design inverts to Woolf's
-- variances: var b0 = 1/3 + 1/7, var b_d = 1/k_d + 1/(n_d - k_d) + 1/3 + 1/7;
-- the log-likelihood is sum over groups of k ln p + (n - k) ln(1 - p).
--
CREATE TABLE logit_groups (grp text, dim engagement_dimension, value float8, n int, k int);
INSERT INTO logit_groups VALUES
	('A', 'intimacy', 0, 10, 3), ('B', 'involvement', 1, 8, 6),
	('C', 'interaction', 1, 12, 4), ('D', 'intimacy', 1, 6, 3),
	('E', 'influence', 1, 10, 8);
CREATE TABLE logit_saturated AS
SELECT grp, i, engagement_agg(timestamptz '2026-03-01 00:00+00', dim, value, '7 days') AS e,
	   i <= k AS y
FROM logit_groups, generate_series(1, n) i GROUP BY grp, i, k;
CREATE TABLE logit_hand (term text, estimate float8, std_error float8);
INSERT INTO logit_hand VALUES
	('intercept', ln(3.0 / 7), sqrt(1.0 / 3 + 1.0 / 7)),
	('involvement', ln(7.0), sqrt(1.0 / 6 + 1.0 / 2 + 1.0 / 3 + 1.0 / 7)),
	('interaction', ln(7.0 / 6), sqrt(1.0 / 4 + 1.0 / 8 + 1.0 / 3 + 1.0 / 7)),
	('intimacy', ln(7.0 / 3), sqrt(1.0 / 3 + 1.0 / 3 + 1.0 / 3 + 1.0 / 7)),
	('influence', ln(28.0 / 3), sqrt(1.0 / 8 + 1.0 / 2 + 1.0 / 3 + 1.0 / 7));
SELECT c.term, round(c.estimate::numeric, 6) AS estimate, round(c.std_error::numeric, 6) AS std_error,
	   round(c.z::numeric, 4) AS z,
	   (abs(c.estimate - h.estimate) <= 1e-9 AND abs(c.std_error - h.std_error) <= 1e-9
		AND abs(c.z - h.estimate / h.std_error) <= 1e-9) IS TRUE AS agrees
FROM coefficients((SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y) FROM logit_saturated)) c
JOIN logit_hand h USING (term);
SELECT customers(m), round(log_likelihood(m)::numeric, 8) AS log_likelihood,
	   (abs(log_likelihood(m) - (3 * ln(0.3) + 7 * ln(0.7) + 6 * ln(0.75) + 2 * ln(0.25)
		+ 4 * ln(1.0 / 3) + 8 * ln(2.0 / 3) + 6 * ln(0.5) + 8 * ln(0.8) + 2 * ln(0.2))) <= 1e-9) IS TRUE AS agrees
FROM (SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y) AS m FROM logit_saturated) s;
-- the fitted probability of each group is its proportion
SELECT grp, round(outcome_probability(m, e, '2026-03-01 00:00+00')::numeric, 10) AS p,
	   (abs(outcome_probability(m, e, '2026-03-01 00:00+00') - k::float8 / n) <= 1e-12) IS TRUE AS agrees
FROM (SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y) AS m FROM logit_saturated) s,
	 (SELECT DISTINCT ON (grp) grp, e FROM logit_saturated ORDER BY grp, i) g
JOIN logit_groups USING (grp) ORDER BY grp;

--
-- Generated data against an independent fit: 200 customers, customer i
-- with an involvement event of value (17 i mod 11) i mod 3 weeks before
-- as_of, an interaction event of value (29 i mod 7) i mod 2 weeks before,
-- a sentiment ((13 i mod 9) - 4) / 4 at as_of and an influence event of
-- value (31 i mod 5) two weeks before; half-life one week, so the decayed
-- values are exact binary fractions.  The outcome is true when
-- 7919 i mod 101 < 10 + 3 a + 4 b + 5 c + 6 d (a, b, c, d the event values,
-- c the numerator of the sentiment): 95 of 200.
-- Reference: Newton's method in mpmath at 60 digits (Python, run once
-- offline, test/reference/logit_mpmath.py; the step below 1e-40), standard
-- errors from the inverse of the penalised information matrix:
--   penalty 0: ll -121.63399865850633164
--     intercept   -1.4349623968255351331  0.39153716707422213497
--     involvement  0.15515005907111182409 0.061385670427234057813
--     interaction  0.24422773284708211385 0.090514990618213317336
--     intimacy     1.1293696532478971409  0.25417023983728851398
--     influence    0.62260822988502066885 0.44028944143831622439
--   penalty 2 (ll - 2/2 (b1^2 + b2^2 + b3^2 + b4^2)): ll -121.8460579553106051
--     intercept   -1.2964805537236834417  0.36446297129220482282
--     involvement  0.14634275621131879362 0.06010683783919750814
--     interaction  0.23603987863686786532 0.088476811852032733726
--     intimacy     0.99719613639481784814 0.23404358880272616405
--     influence    0.44391924696830045691 0.36907682330843863325
--
CREATE TABLE logit_customers AS
SELECT i, engagement_agg(ts, dim, value, '7 days') AS e,
	   (i * 7919) % 101 < 10 + 3 * ((i * 17) % 11) + 4 * ((i * 29) % 7)
		+ 5 * ((i * 13) % 9 - 4) + 6 * ((i * 31) % 5) AS y
FROM generate_series(1, 200) i,
LATERAL (VALUES
	(timestamptz '2026-03-01 00:00+00' - (i % 3) * interval '7 days', 'involvement'::engagement_dimension, ((i * 17) % 11)::float8),
	(timestamptz '2026-03-01 00:00+00' - (i % 2) * interval '7 days', 'interaction', (i * 29) % 7),
	(timestamptz '2026-03-01 00:00+00', 'intimacy', ((i * 13) % 9 - 4) / 4.0),
	(timestamptz '2026-03-01 00:00+00' - interval '14 days', 'influence', (i * 31) % 5)) ev(ts, dim, value)
GROUP BY i;
SELECT count(*) AS rows, count(*) FILTER (WHERE y) AS positives FROM logit_customers;
CREATE TABLE logit_ref (penalty float8, term text, estimate float8, std_error float8);
INSERT INTO logit_ref VALUES
	(0, 'intercept', -1.4349623968255351331, 0.39153716707422213497),
	(0, 'involvement', 0.15515005907111182409, 0.061385670427234057813),
	(0, 'interaction', 0.24422773284708211385, 0.090514990618213317336),
	(0, 'intimacy', 1.1293696532478971409, 0.25417023983728851398),
	(0, 'influence', 0.62260822988502066885, 0.44028944143831622439),
	(2, 'intercept', -1.2964805537236834417, 0.36446297129220482282),
	(2, 'involvement', 0.14634275621131879362, 0.06010683783919750814),
	(2, 'interaction', 0.23603987863686786532, 0.088476811852032733726),
	(2, 'intimacy', 0.99719613639481784814, 0.23404358880272616405),
	(2, 'influence', 0.44391924696830045691, 0.36907682330843863325);
SELECT r.penalty, c.term, round(c.estimate::numeric, 8) AS estimate,
	   round(c.std_error::numeric, 8) AS std_error,
	   (abs(c.estimate - r.estimate) <= 1e-9 AND abs(c.std_error - r.std_error) <= 1e-9) IS TRUE AS agrees
FROM (VALUES (0::float8), (2)) p(penalty),
LATERAL (SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y, p.penalty) AS m FROM logit_customers) s,
LATERAL coefficients(s.m) c, logit_ref r
WHERE r.term = c.term AND r.penalty = p.penalty
ORDER BY r.penalty, r.std_error;
SELECT penalty, round(log_likelihood(m)::numeric, 10) AS log_likelihood,
	   (abs(log_likelihood(m) - ref) <= 1e-9) IS TRUE AS agrees
FROM (VALUES (0::float8, -121.63399865850633164::float8), (2, -121.8460579553106051)) p(penalty, ref),
LATERAL (SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y, penalty) AS m FROM logit_customers) s;
-- the three-argument form is penalty 0; a NULL penalty counts as 0
SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y) = engagement_logit_fit(e, '2026-03-01 00:00+00', y, 0) AS same,
	   engagement_logit_fit(e, '2026-03-01 00:00+00', y) = engagement_logit_fit(e, '2026-03-01 00:00+00', y, NULL) AS null_is_zero
FROM logit_customers;

--
-- The accessors.  outcome_probability is 1 / (1 + e^-eta) with eta the
-- intercept plus the coefficients times the accessors' decayed values; the
-- fitted probabilities of a logistic regression with an intercept add up
-- to the number of true outcomes (the intercept's score equation), here 95.
--
CREATE TABLE logit_model AS
SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y) AS m FROM logit_customers;
SELECT count(*) AS rows,
	   count(*) FILTER (WHERE (abs(outcome_probability(m, e, '2026-03-10 00:00+00') - 1 / (1 + exp(-(
		   (SELECT estimate FROM coefficients(m) WHERE term = 'intercept')
		   + (SELECT estimate FROM coefficients(m) WHERE term = 'involvement') * involvement(e, '2026-03-10 00:00+00')
		   + (SELECT estimate FROM coefficients(m) WHERE term = 'interaction') * interaction(e, '2026-03-10 00:00+00')
		   + (SELECT estimate FROM coefficients(m) WHERE term = 'intimacy') * intimacy(e, '2026-03-10 00:00+00')
		   + (SELECT estimate FROM coefficients(m) WHERE term = 'influence') * influence(e, '2026-03-10 00:00+00')))))
		   <= 1e-14) IS NOT TRUE) AS mismatches,
	   round(sum(outcome_probability(m, e, '2026-03-01 00:00+00'))::numeric, 8) AS sum_p,
	   (abs(sum(outcome_probability(m, e, '2026-03-01 00:00+00')) - 95) <= 1e-8) IS TRUE AS agrees
FROM logit_customers, logit_model;
-- the weights of score(): the dimension coefficients (all positive here),
-- so the score orders customers as the fitted probability does
SELECT score_weights(m) = ARRAY(SELECT estimate FROM coefficients(m) WHERE term <> 'intercept'
								ORDER BY array_position(ARRAY['involvement', 'interaction', 'intimacy', 'influence'], term)) AS weights_are_coefficients
FROM logit_model;
-- (pairs of customers whose weighted sum x is positive: score() clips x at 0)
WITH x AS (
	SELECT i, e, m, t, score(e, t, score_weights(m), 10) AS score, outcome_probability(m, e, t) AS p
	FROM logit_customers, logit_model, (VALUES (timestamptz '2026-03-01 00:00+00')) v(t)
	WHERE (SELECT sum(w * d) FROM unnest(score_weights(m), ARRAY[involvement(e, t), interaction(e, t),
			intimacy(e, t), influence(e, t)]) u(w, d)) > 0)
SELECT (SELECT count(*) FROM x) AS customers, count(*) AS pairs,
	   count(*) FILTER (WHERE sign(a.score - b.score) IS DISTINCT FROM sign(a.p - b.p)) AS order_differs
FROM x a JOIN x b ON a.i < b.i;
-- a negative coefficient becomes the weight 0
SELECT score_weights(engagement_logit_fit(e, '2026-03-01 00:00+00', NOT y)) AS weights
FROM logit_customers;
SELECT round(estimate::numeric, 6) AS involvement_coefficient
FROM coefficients((SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', NOT y) FROM logit_customers))
WHERE term = 'involvement';

--
-- NULLs: rows with a NULL state, as_of or outcome are skipped; no rows
-- give NULL
--
SELECT engagement_logit_fit(e, t, y) = (SELECT m FROM logit_model) AS nulls_skipped
FROM (SELECT e, timestamptz '2026-03-01 00:00+00' AS t, y FROM logit_customers
	  UNION ALL VALUES (NULL::engagement, timestamptz '2026-03-01 00:00+00', true),
					   ((SELECT e FROM logit_customers WHERE i = 1), NULL, false),
					   ((SELECT e FROM logit_customers WHERE i = 2), '2026-03-01 00:00+00', NULL)) s(e, t, y);
SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y) IS NULL AS empty_is_null
FROM logit_customers WHERE false;
SELECT engagement_logit_fit(NULL::engagement, '2026-03-01 00:00+00', true) IS NULL AS null_rows_only;

--
-- Parallel plans and merges give the serial fit (the rows are the same;
-- sums in another order may differ in the last bits)
--
CREATE TABLE logit_big AS SELECT c.* FROM logit_customers c, generate_series(1, 50);
ANALYZE logit_big;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y) FROM logit_big;
SELECT count(*) AS terms,
	   count(*) FILTER (WHERE (abs(c.estimate - r.estimate) <= 1e-9 AND abs(c.std_error * sqrt(50) - r.std_error) <= 1e-9) IS NOT TRUE) AS mismatches
FROM coefficients((SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y) FROM logit_big)) c
JOIN logit_ref r ON r.term = c.term AND r.penalty = 0;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

--
-- Text, binary and JSON forms
--
SELECT m::text::engagement_logit = m AS text_round_trip,
	   engagement_logit_send(m) = engagement_logit_send(m::text::engagement_logit) AS same_bytes
FROM logit_model;
SELECT m::jsonb -> 'coefficients' ? 'influence' AS has_influence, m::jsonb -> 'rows' AS rows,
	   m::jsonb -> 'positives' AS positives, jsonb_array_length(m::jsonb -> 'covariance') AS k,
	   (m::json ->> 'log_likelihood')::float8 = log_likelihood(m) AS same_ll
FROM logit_model;
\copy logit_model TO 'results/learn_model.bin' WITH (FORMAT binary)
CREATE TABLE logit_model_copy (m engagement_logit);
\copy logit_model_copy FROM 'results/learn_model.bin' WITH (FORMAT binary)
SELECT (SELECT m FROM logit_model) = (SELECT m FROM logit_model_copy) AS binary_copy_round_trip;
-- a hand-written model; bad text
SELECT '(v=1,rows=10,positives=4,iterations=5,penalty=0,log_likelihood=-6.5,coefficients=[-0.5,0.1,0.2,0.3,0.4],covariance=[1,0,1,0,0,1,0,0,0,1,0,0,0,0,1])'::engagement_logit;
SELECT * FROM coefficients('(v=1,rows=10,positives=4,iterations=5,penalty=0,log_likelihood=-6.5,coefficients=[-0.5,0.1,0.2,0.3,0.4],covariance=[1,0,1,0,0,4,0,0,0,1,0,0,0,0,0.25])');
-- -0 reads as 0: no accessor returns -0, and the value equals the one typed with 0
SELECT m, m = '(v=1,rows=10,positives=4,iterations=5,penalty=0,log_likelihood=0,coefficients=[0,0,0,0,0],covariance=[1,0,1,0,0,1,0,0,0,1,0,0,0,0,1])'::engagement_logit AS same,
	   (SELECT string_agg(estimate::text, ',') FROM coefficients(m)) AS estimates,
	   log_likelihood(m)
FROM (SELECT '(v=1,rows=10,positives=4,iterations=5,penalty=-0,log_likelihood=-0,coefficients=[-0,-0,0,0,0],covariance=[1,-0,1,0,0,1,0,0,0,1,0,0,0,0,1])'::engagement_logit AS m) s;
SELECT '(v=2,rows=10)'::engagement_logit;
SELECT '(v=1,rows=10,positives=10,iterations=5,penalty=0,log_likelihood=-6.5,coefficients=[-0.5,0.1,0.2,0.3,0.4],covariance=[1,0,1,0,0,1,0,0,0,1,0,0,0,0,1])'::engagement_logit;
SELECT '(v=1,rows=10,positives=4,iterations=5,penalty=0,log_likelihood=-6.5,coefficients=[-0.5,0.1,0.2,0.3,0.4],covariance=[1,0,1,0,0,1,0,0,0,1,0,0,0,0,0])'::engagement_logit;
SELECT '(v=1,rows=10,positives=4,iterations=5,penalty=0,log_likelihood=-6.5,coefficients=[-0.5,0.1,0.2,0.3,0.4],covariance=[1,2,1,0,0,1,0,0,0,1,0,0,0,0,1])'::engagement_logit;
SELECT '(v=1,rows=10,positives=4,iterations=5,penalty=-1,log_likelihood=-6.5,coefficients=[-0.5,0.1,0.2,0.3,0.4],covariance=[1,0,1,0,0,1,0,0,0,1,0,0,0,0,1])'::engagement_logit;
SELECT '(v=1,rows=10,positives=4,iterations=0,penalty=0,log_likelihood=-6.5,coefficients=[-0.5,0.1,0.2,0.3,0.4],covariance=[1,0,1,0,0,1,0,0,0,1,0,0,0,0,1])'::engagement_logit;
SELECT '(v=1,rows=10,positives=4,iterations=5,penalty=0,log_likelihood=-6.5,coefficients=[-0.5,0.1,0.2,0.3],covariance=[1,0,1,0,0,1,0,0,0,1,0,0,0,0,1])'::engagement_logit;

--
-- When the data do not determine the model (22M01, the reason in DETAIL)
--
-- complete separation: the outcome is true exactly when involvement > 5
SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', involvement(e, '2026-03-01 00:00+00') > 5)
FROM logit_customers;
-- with a penalty the fit exists
SELECT round(estimate::numeric, 4) AS estimate, term
FROM coefficients((SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', involvement(e, '2026-03-01 00:00+00') > 5, 1)
				   FROM logit_customers)) ORDER BY term;
-- quasi-complete separation: the saturated design with no true outcome in
-- group D (its log odds are -infinity)
SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y AND grp <> 'D') FROM logit_saturated;
-- quasi-complete separation on continuous values: true above involvement 5,
-- false below, both at exactly 5 (12 customers)
SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', involvement(e, '2026-03-01 00:00+00') > 5
		OR (involvement(e, '2026-03-01 00:00+00') = 5 AND i % 2 = 0))
FROM logit_customers;
-- one class only
SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', true) FROM logit_customers;
SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', false, 1) FROM logit_customers;
-- a dimension without events
SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y) FROM logit_saturated WHERE grp <> 'E';
-- as_of at infinity: every dimension 0
SELECT engagement_logit_fit(e, 'infinity', y) FROM logit_customers;
-- a penalty gives the constant dimension the coefficient 0
SELECT term, round(estimate::numeric, 6) AS estimate
FROM coefficients((SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y, 1) FROM logit_saturated WHERE grp <> 'E'))
ORDER BY term;

-- a dimension that is *nearly* a linear combination of the others
-- (interaction = involvement + eps times noise in [-1, 1], 2,000 customers):
-- with eps = 1e-3 the fit converges (the two coefficients large and opposite),
-- with eps = 3e-5 the information matrix is nearly singular and the Newton
-- steps run along the near dependency without converging: after 100
-- iterations the error names the dimension (it said only "no maximum"
-- before); below eps = 1e-6 it is found dependent at once; a penalty fits
CREATE TABLE logit_near AS
SELECT eps, g, engagement_agg(timestamptz '2026-01-01', dv.d, dv.v, '30 days') AS e,
	   (abs(hashint4(g * 7)) % 100) < 30 AS y
FROM (VALUES (1e-3::float8), (3e-5), (1e-8)) k(eps), generate_series(1, 2000) g,
	 LATERAL (SELECT (abs(hashint4(g)) % 10000) / 1000.0::float8 AS x,
					 ((abs(hashint4(g * 3)) % 2001) - 1000) / 1000.0::float8 AS n,
					 ((abs(hashint4(g * 5)) % 2001) - 1000) / 1000.0::float8 AS i,
					 (abs(hashint4(g * 11)) % 1000) / 100.0::float8 AS f) r,
	 LATERAL (VALUES ('involvement'::engagement_dimension, r.x), ('interaction', r.x + k.eps * r.n),
					 ('intimacy', r.i), ('influence', r.f)) dv(d, v)
GROUP BY eps, g;
SELECT term, round(estimate::numeric, 1) AS estimate
FROM coefficients((SELECT engagement_logit_fit(e, '2026-01-01', y) FROM logit_near WHERE eps = 1e-3))
WHERE term IN ('involvement', 'interaction') ORDER BY term;
SELECT engagement_logit_fit(e, '2026-01-01', y) FROM logit_near WHERE eps = 3e-5;
SELECT engagement_logit_fit(e, '2026-01-01', y) FROM logit_near WHERE eps = 1e-8;
SELECT count(*) AS fitted_terms
FROM coefficients((SELECT engagement_logit_fit(e, '2026-01-01', y, 1) FROM logit_near WHERE eps = 3e-5))
WHERE abs(estimate) < 1;
DROP TABLE logit_near;

--
-- Argument errors
--
SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y, -1) FROM logit_customers;
SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y, 'NaN') FROM logit_customers;
SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y, 'Infinity') FROM logit_customers;
SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y, i % 2) FROM logit_customers;
-- as_of before a state's last event
SELECT engagement_logit_fit(e, '2026-02-01 00:00+00', y) FROM logit_customers;
-- a decayed value whose square, summed, could overflow the information matrix
SELECT engagement_logit_fit(e, '2026-03-01 00:00+00', y)
FROM (SELECT engagement_agg('2026-03-01 00:00+00', 'influence', v, '7 days') AS e, v > 1 AS y
	  FROM (VALUES (1e151::float8), (1)) t(v) GROUP BY v) s;
SELECT outcome_probability(m, e, '2026-02-01 00:00+00') FROM logit_model, logit_customers WHERE i = 1;

--
-- Intent against action: nps_referrals(score, referrals, converted,
-- referral_value [, confidence]).
--
-- By hand: promoters 10 (2 referrals, 1 converted, value 50) and 9 (none,
-- value 0): 2 respondents, 2 referrals, 1 converted, rate 1/2, value 50,
-- 25 per respondent; passive 7 (1 referral, converted, 20); detractor 3
-- (NULL value: 0); a NULL score is not a respondent.  Wilson at 95%,
-- z = 1.959963984540054: for 1 of 2, (1/2 + z^2/4 -+ z sqrt(1/8 + z^2/16))
-- / (1 + z^2/2) = 0.0945312 .. 0.9054688; for 1 of 1, (1 + z^2/2 -
-- z sqrt(z^2/4)) / (1 + z^2) = 1 / (1 + z^2) = 0.2065493 .. 1; all: 2 of 3.
--
CREATE TABLE nr_hand (s int, r bigint, c bigint, v float8);
INSERT INTO nr_hand VALUES (10, 2, 1, 50), (9, 0, 0, 0), (7, 1, 1, 20), (3, 0, 0, NULL), (NULL, 5, 5, 100);
SELECT category, respondents, referrals, converted, round(conversion_rate::numeric, 6) AS rate,
	   round(conversion_lower::numeric, 7) AS lower, round(conversion_upper::numeric, 7) AS upper,
	   referral_value, crv_per_respondent
FROM unnest((SELECT nps_referrals(s, r, c, v) FROM nr_hand));
WITH z AS (SELECT 1.959963984540054::float8 AS z)
SELECT category,
	   (abs(conversion_lower - w.lo) <= 1e-15 AND abs(conversion_upper - w.hi) <= 1e-15) IS TRUE AS agrees
FROM unnest((SELECT nps_referrals(s, r, c, v) FROM nr_hand)) u
JOIN (SELECT 'promoter' AS category, (0.5 + z * z / 4 - z * sqrt(1.0 / 8 + z * z / 16)) / (1 + z * z / 2) AS lo,
			 (0.5 + z * z / 4 + z * sqrt(1.0 / 8 + z * z / 16)) / (1 + z * z / 2) AS hi FROM z
	  UNION ALL SELECT 'passive', 1 / (1 + z * z), 1 FROM z
	  UNION ALL SELECT 'all', (2.0 / 3 + z * z / 6 - z * sqrt(2.0 / 27 + z * z / 36)) / (1 + z * z / 3),
						(2.0 / 3 + z * z / 6 + z * sqrt(2.0 / 27 + z * z / 36)) / (1 + z * z / 3) FROM z) w
USING (category) ORDER BY category;
-- another confidence level: 90%, z = 1.6448536269514722
SELECT category, round(conversion_lower::numeric, 7) AS lower, round(conversion_upper::numeric, 7) AS upper,
	   (abs(conversion_lower - (0.5 + 1.6448536269514722 ^ 2 / 4 - 1.6448536269514722 * sqrt(1.0 / 8 + 1.6448536269514722 ^ 2 / 16)) / (1 + 1.6448536269514722 ^ 2 / 2)) <= 1e-15) IS TRUE AS agrees
FROM unnest((SELECT nps_referrals(s, r, c, v, 0.90) FROM nr_hand)) WHERE category = 'promoter';
-- no rows, or only rows without a score: NULL
SELECT nps_referrals(s, r, c, v) IS NULL AS empty FROM nr_hand WHERE false;
SELECT nps_referrals(NULL, 1, 1, 1) IS NULL AS no_respondents;

--
-- Against plain SQL (GROUP BY with CASE) on generated data: 20,000
-- respondents in 7 segments, scores 0..10, referrals 0..4, converted up
-- to the referrals, values in cents, some NULL referral columns (the outer
-- side of a join) and NULL scores; the Wilson bounds from the formula
--
CREATE TABLE nr_gen AS
SELECT g, g % 7 AS segment,
	   CASE WHEN g % 97 = 0 THEN NULL ELSE (g * 7) % 11 END AS score,
	   CASE WHEN g % 13 = 0 THEN NULL ELSE ((g * 31) % 5)::bigint END AS referrals,
	   CASE WHEN g % 13 = 0 THEN NULL ELSE least((g * 17) % 4, (g * 31) % 5)::bigint END AS converted,
	   CASE WHEN g % 13 = 0 THEN NULL ELSE ((g * 53) % 10000) / 100.0 - 20 END::float8 AS referral_value
FROM generate_series(1, 20000) g;
CREATE TABLE nr_sql AS
SELECT segment, category, count(*) AS respondents, coalesce(sum(referrals), 0) AS referrals,
	   coalesce(sum(converted), 0) AS converted, coalesce(sum(referral_value), 0) AS referral_value
FROM (SELECT segment, referrals, converted, referral_value,
			 CASE WHEN score >= 9 THEN 'promoter' WHEN score >= 7 THEN 'passive' ELSE 'detractor' END AS category
	  FROM nr_gen WHERE score IS NOT NULL) t
GROUP BY GROUPING SETS ((segment, category), (segment))
ORDER BY 1, 2;
UPDATE nr_sql SET category = 'all' WHERE category IS NULL;
SELECT count(*) AS rows,
	   count(*) FILTER (WHERE u.respondents IS DISTINCT FROM q.respondents OR u.referrals IS DISTINCT FROM q.referrals
		   OR u.converted IS DISTINCT FROM q.converted
		   OR (abs(u.referral_value - q.referral_value) <= 1e-9) IS NOT TRUE
		   OR (abs(u.crv_per_respondent - q.referral_value / q.respondents) <= 1e-12) IS NOT TRUE
		   OR (abs(u.conversion_rate - q.converted::float8 / q.referrals) <= 1e-15) IS NOT TRUE
		   OR (abs(u.conversion_lower - w.lo) <= 1e-12) IS NOT TRUE
		   OR (abs(u.conversion_upper - w.hi) <= 1e-12) IS NOT TRUE) AS mismatches,
	   sum(u.respondents) FILTER (WHERE u.category = 'all') AS respondents
FROM (SELECT segment, (unnest(nps_referrals(score, referrals, converted, referral_value))).*
	  FROM nr_gen GROUP BY segment) u
FULL JOIN nr_sql q USING (segment, category),
LATERAL (SELECT q.converted::float8 / q.referrals AS p, 1.959963984540054::float8 AS z, q.referrals::float8 AS n) x,
LATERAL (SELECT (p + z * z / (2 * n) - z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n) AS lo,
				(p + z * z / (2 * n) + z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n) AS hi) w;
-- parallel plans give the same rows
CREATE TABLE nr_big AS SELECT n.* FROM nr_gen n, generate_series(1, 5);
ANALYZE nr_big;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT nps_referrals(score, referrals, converted, referral_value) FROM nr_big;
SELECT category, respondents, referrals, converted,
	   (abs(crv_per_respondent - (SELECT crv_per_respondent FROM unnest((SELECT nps_referrals(score, referrals, converted, referral_value) FROM nr_gen)) x
								  WHERE x.category = u.category)) <= 1e-9) IS TRUE AS same_crv
FROM unnest((SELECT nps_referrals(score, referrals, converted, referral_value) FROM nr_big)) u;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
-- the NPS to CRV link in one query: NPS answers joined to the referrals
-- each respondent made and their crv()
WITH referrals AS (
	SELECT referrer, count(*) AS made, count(*) FILTER (WHERE joined) AS converted,
		   crv(referee, NULL, margin, 10, 0, 40) AS value
	FROM (VALUES (1, 101, true, 120.0::float8), (1, 102, false, NULL), (2, 103, true, 80), (4, 104, true, 0))
		 r(referrer, referee, joined, margin)
	GROUP BY referrer)
SELECT u.category, u.respondents, u.referrals, u.converted, u.referral_value, u.crv_per_respondent
FROM unnest((SELECT nps_referrals(a.score, r.made, r.converted, r.value)
			 FROM (VALUES (1, 10), (2, 9), (3, 8), (4, 2)) a(customer, score)
			 LEFT JOIN referrals r ON r.referrer = a.customer)) u;

--
-- nps_referrals errors
--
SELECT nps_referrals(11, 0, 0, 0);
SELECT nps_referrals(-1, 0, 0, 0);
SELECT nps_referrals(9, -1, 0, 0);
SELECT nps_referrals(9, 1, 2, 0);
SELECT nps_referrals(9, 1, 1, 'NaN');
SELECT nps_referrals(9, 1, 1, 1, 1.5);
SELECT nps_referrals(s, 1, 1, 1, s / 10.0) FROM (VALUES (8), (9)) v(s);
-- counts are exact below 2^53 (9007199254740992): 2^53 - 1 referrals fit,
-- 2^53 + 1 (which a double would round to 2^53) and sums reaching 2^53 are
-- 22003, from a row and from a state (a state holding 2^53 is invalid: 22023)
SELECT referrals FROM unnest((SELECT nps_referrals(10, 9007199254740991, 0, 0))) WHERE category = 'all';
SELECT nps_referrals(10, 9007199254740993, 0, 0);
SELECT nps_referrals(10, r, 0, 0) FROM (VALUES (9007199254740991), (1)) v(r);
SELECT nps_referrals_final('{1,9007199254740991,0,0,0,0,0,0,0,0,0,0,0.95}');
SELECT nps_referrals_final('{1,9007199254740992,0,0,0,0,0,0,0,0,0,0,0.95}');
-- the support functions check a state given to them
SELECT nps_referrals_final('{1,2,3}');
SELECT nps_referrals_final('{1,1,2,0,0,0,0,0,0,0,0,0,0}');
SELECT nps_referrals_combine('{1,1,1,0,0,0,0,0,0,0,0,0,0}', '{1,1,1,0,0,0,0,0,0,0,0,0,0.5}');
SELECT nps_referrals_combine('{1,1,1,0,0,0,0,0,0,0,0,0,0}', '{1,1,1,0,0,0,0,0,0,0,0,0,1}');
SELECT nps_referrals_trans('{1,1,1,0,0,0,0,0,0,0,0,0,0.95}', 10, 1, 0, 5.0);

DROP TABLE logit_groups, logit_saturated, logit_hand, logit_customers, logit_ref, logit_model,
	logit_big, logit_model_copy, nr_hand, nr_gen, nr_sql, nr_big;
