--
-- The BG/BB model of repeat transactions at discrete opportunities
-- (Fader, Hardie and Shang 2010, "Customer-Base Analysis in a Discrete-Time
-- Noncontractual Setting", Marketing Science 29(6), 1086-1108).
--
-- Checks: the paper's donation data reproduce its published estimates and
-- log-likelihood, Hardie's spreadsheet totals (as lifetimes' tests quote
-- them) and the paper's P(alive); predictions at fixed parameters against
-- mpmath (40 digits) evaluating the paper's closed forms; the fit of a tiny
-- data set (plain and penalized as lifetimes' penalizer_coef) against an
-- independent mpmath maximisation; identities between the predictions;
-- NULLs, empty input, one row, parallel plans, text and binary forms, and
-- every error.
--
SET extra_float_digits = 0;

--
-- Models from given parameters; text and JSON forms
--
SELECT bgbb(1.204, 0.750, 0.657, 2.783);
SELECT '(v=1,alpha=0.5,beta=2,gamma=1,delta=3)'::bgbb;
SELECT * FROM parameters(bgbb(1.204, 0.750, 0.657, 2.783));
SELECT * FROM estimates(bgbb(1.204, 0.750, 0.657, 2.783));
SELECT log_likelihood(bgbb(1, 1, 1, 1)) IS NULL AS no_ll,
	   customers(bgbb(1, 1, 1, 1)) IS NULL AS no_customers;
SELECT bgbb(1.204, 0.750, 0.657, 2.783)::json;
SELECT bgbb(1.204, 0.750, 0.657, 2.783)::jsonb -> 'parameters' ->> 'delta' AS delta;

--
-- Predictions at the published estimates (alpha 1.204, beta 0.750, gamma
-- 0.657, delta 2.783) against mpmath at 40 digits, from the paper's
-- closed forms: P(X(n) = x), E[X(n)] and E[X(n, n+n*) | x, t_x, n] with
-- their 1/(gamma - 1), P(alive at n+1 | x, t_x, n); the likelihood as the
-- sum of its terms; within 1e-12 relatively, 1e-10 for 1,000
-- opportunities and more (ln Gamma of thousands, sums of a million terms)
--
SELECT what, round(value::numeric, 8) AS value,
	   (abs(value - ref) <= CASE WHEN what LIKE '%1000%' THEN 1e-10 ELSE 1e-12 END * abs(ref)) IS TRUE AS agrees
FROM (SELECT bgbb(1.204, 0.750, 0.657, 2.783) AS m) s,
LATERAL (VALUES
	('E[X(1)]', expected_purchases(m, 1), 0.4984902763561924257932446264073694984654),
	('E[X(5)]', expected_purchases(m, 5), 1.937707208285039326793104971448815342236),
	('E[X(100)]', expected_purchases(m, 100), 11.59034999360381257976921845074142583499),
	('E[X(6,11) | 1, 1, 6]', expected_purchases(m, 5, 1, 1, 6), 0.08563539833787030216710223189918370954818),
	('E[X(6,11) | 4, 6, 6]', expected_purchases(m, 5, 4, 6, 6), 2.710439980836956686765049775585753739841),
	('E[X(6,16) | 0, 0, 6]', expected_purchases(m, 10, 0, 0, 6), 0.1301037914128486369135393547212110085326),
	('P(alive) 0, 0, 6', p_alive(m, 0, 0, 6), 0.1080165841686741951847113734296346613978),
	('P(alive) 2, 4, 6', p_alive(m, 2, 4, 6), 0.5895141164336978927812582657005527675152),
	('P(alive) 6, 6, 6', p_alive(m, 6, 6, 6), 0.9304025423728813559322033898305084745763),
	('ln L 2, 4, 6', log_likelihood(m, 2, 4, 6), -5.19569760104264696043012378816885055275),
	('ln L 0, 0, 6', log_likelihood(m, 0, 0, 6), -1.167262472673893781614426663479787998819),
	('P(X(6) = 0)', purchase_probability(m, 6, 0), 0.3112177432638493471708646313698813768263),
	('P(X(6) = 3)', purchase_probability(m, 6, 3), 0.1002631150248036897389588224800260991063),
	('P(X(6) = 6)', purchase_probability(m, 6, 6), 0.1127876482077468422644050858714155477825),
	('P(X(20) = 7)', purchase_probability(m, 20, 7), 0.02861064439600673188172331566657964782817),
	('P(X(1000) = 0)', purchase_probability(m, 1000, 0), 0.2872784856988357259),
	('P(X(1000) = 500)', purchase_probability(m, 1000, 500), 0.000041324184403267275015),
	('E[X(6,1000006) | 3, 5, 6]', expected_purchases(m, 1e6, 3, 5, 6), 586.15150130785962327)
) v(what, value, ref);
-- where the closed form of E[X(n)] is 0/0 or cancels: gamma = 1 (mpmath: the plain sum
-- alpha/(alpha+beta) sum_k B(gamma, delta+k)/B(gamma, delta)), gamma = 1 +
-- 1e-12, huge and tiny parameters (mpmath, 60 digits)
SELECT what, ref::float8 AS mpmath, (abs(value - ref) <= 1e-10 * abs(ref)) IS TRUE AS agrees
FROM (VALUES
	('gamma = 1', expected_purchases(bgbb(2, 3, 1, 1.5), 10), 1.069223406377801316554850004843274462335),
	('gamma = 1 + 1e-12', expected_purchases(bgbb(2, 3, 1 + 1e-12, 1.5), 10), 1.0692234063767264959),
	('alpha = beta = 1e6, n* = 1e6', expected_purchases(bgbb(1e6, 1e6, 1e-3, 1e3), 1e6), 497050.88824523016896),
	('gamma = 1e8, n* = 1e6', expected_purchases(bgbb(1, 1, 1e8, 1), 1e6), 5.0000000500000005e-9)
) v(what, value, ref);

--
-- Identities
--
-- the probabilities of 0..n transactions add up to 1 and their mean is E[X(n)]
SELECT n, round(sum(purchase_probability(m, n, x))::numeric, 12) AS total,
	   round((sum(x * purchase_probability(m, n, x)) - expected_purchases(m, n))::numeric, 12) AS mean_minus_expected
FROM (SELECT bgbb(1.204, 0.750, 0.657, 2.783) AS m) s, generate_series(0, 40) n, generate_series(0, n) x
WHERE n IN (0, 1, 6, 40)
GROUP BY n, m ORDER BY n;
SELECT purchase_probability(bgbb(1, 2, 3, 4), 5, 6) AS more_than_n, purchase_probability(bgbb(1, 2, 3, 4), 0, 0) AS none_of_none;
-- a customer without opportunities is a new one: E[X(0, n*) | 0, 0, 0] = E[X(n*)],
-- and P(alive at 1) = 1 - E[theta] = delta / (gamma + delta)
SELECT round((expected_purchases(m, 7, 0, 0, 0) - expected_purchases(m, 7))::numeric, 14) AS difference,
	   round((p_alive(m, 0, 0, 0) - 2.783 / (0.657 + 2.783))::numeric, 14) AS p_alive_difference,
	   log_likelihood(m, 0, 0, 0) AS ll_no_opportunities,
	   expected_purchases(m, 0) AS ex_0, expected_purchases(m, 0, 2, 3, 4) AS ey_0
FROM (SELECT bgbb(1.204, 0.750, 0.657, 2.783) AS m) s;
-- one opportunity: alive at it with 1 - E[theta], buying with E[p]:
-- E[X(1)] = alpha/(alpha+beta) delta/(gamma+delta) = 2/5 * 4/7
SELECT expected_purchases(bgbb(2, 3, 3, 4), 1) = 8 / 35.0 AS one_opportunity;
-- the likelihood is that of one sequence of n = 4 opportunities: over all
-- sequences (C(t_x - 1, x - 1) of them with x transactions, the last at t_x)
-- the probabilities add up to 1
SELECT round(sum(CASE WHEN x = 0 THEN 1 ELSE factorial(t_x - 1) / (factorial(x - 1) * factorial(t_x - x)) END
				 * exp(log_likelihood(bgbb(0.7, 1.3, 0.4, 2.5), x, t_x, 4))::numeric), 14) AS total
FROM generate_series(0, 4) t_x, generate_series(0, 4) x
WHERE x <= t_x AND (x > 0 OR t_x = 0);

--
-- The paper's donation data (Table 1 of Fader, Hardie and Shang 2010, as
-- lifetimes ships it in datasets/donations.csv): 11,104 first-time donors
-- of 1995 and their repeat donations in the six years 1996-2001, as 22
-- (x, t_x) patterns with the number of donors of each
--
CREATE TEMP TABLE donations (x int, t_x int, n int, donors bigint);
INSERT INTO donations VALUES
	(0, 0, 6, 3464), (1, 1, 6, 1091), (1, 2, 6, 277), (1, 3, 6, 129), (1, 4, 6, 78),
	(1, 5, 6, 119), (1, 6, 6, 129), (2, 2, 6, 613), (2, 3, 6, 255), (2, 4, 6, 155),
	(2, 5, 6, 173), (2, 6, 6, 234), (3, 3, 6, 322), (3, 4, 6, 181), (3, 5, 6, 225),
	(3, 6, 6, 357), (4, 4, 6, 240), (4, 5, 6, 284), (4, 6, 6, 512), (5, 5, 6, 335),
	(5, 6, 6, 728), (6, 6, 6, 1203);
CREATE TEMP TABLE donation_fit AS SELECT bgbb_fit(x, t_x, n, donors) AS m FROM donations;
-- the published MLE: alpha 1.204, beta 0.750, gamma 0.657, delta 2.783, LL -33225.6
SELECT round(alpha::numeric, 3) AS alpha, round(beta::numeric, 3) AS beta,
	   round(gamma::numeric, 3) AS gamma, round(delta::numeric, 3) AS delta,
	   round(log_likelihood(m)::numeric, 1) AS ll, customers(m),
	   (round(alpha::numeric, 3), round(beta::numeric, 3), round(gamma::numeric, 3),
		round(delta::numeric, 3), round(log_likelihood(m)::numeric, 1)) =
	   (1.204, 0.750, 0.657, 2.783, -33225.6) AS as_published
FROM donation_fit, estimates(m);
-- standard errors (delta method from the log scale), 4 decimals
SELECT parameter, round(std_error::numeric, 4) AS std_error FROM donation_fit, parameters(m);
-- the log-likelihood of the fit is the sum of the donors' log-likelihoods
SELECT abs(sum(donors * log_likelihood(m, x, t_x, n)) - log_likelihood(m)) <= 1e-8 AS ll_is_sum
FROM donations, donation_fit GROUP BY m;
-- Hardie's BG/BB spreadsheet (brucehardie.com/notes/010), as lifetimes'
-- tests quote it: expected donations of the panel in the next five years
-- (2002-2006) 12,884.2; expected donors with 0 and with 6 repeat donations
-- in 1996-2001, 3,454.9 and 1,253.1
SELECT round(sum(donors * expected_purchases(m, 5, x, t_x, n))::numeric, 1) AS next_5_years,
	   round((11104 * purchase_probability(m, 6, 0))::numeric, 1) AS donors_with_0,
	   round((11104 * purchase_probability(m, 6, 6))::numeric, 1) AS donors_with_6
FROM donations, donation_fit GROUP BY m;
-- the paper's Table 6, P(alive in 2002): 0.11 for no repeat donation,
-- 0.59 for two with the last in 1999, 0.93 for donations every year
SELECT x, t_x, round(p_alive(m, x, t_x, 6)::numeric, 2) AS p_alive_2002
FROM donation_fit, (VALUES (0, 0), (2, 4), (6, 6)) v(x, t_x) ORDER BY x;
-- one row per donor gives the same model as the counts (a plain table, for
-- the parallel plans below)
CREATE TABLE donors AS
SELECT x, t_x, n FROM donations, generate_series(1, donors) ORDER BY x DESC, t_x, n;
SELECT count(*) AS donors,
	   (SELECT bgbb_fit(x, t_x, n)::text FROM donors) = (SELECT m::text FROM donation_fit) AS same_model
FROM donors;
-- each pattern split into two rows whose counts add up gives the same model
SELECT bgbb_fit(x, t_x, n, c)::text = (SELECT m::text FROM donation_fit) AS same_model_from_split_counts
FROM (SELECT x, t_x, n, donors / 3 AS c FROM donations
	  UNION ALL SELECT x, t_x, n, donors - donors / 3 FROM donations ORDER BY 1, 2, 3, 4) s;
-- the fit is a maximum: moving any parameter by 1% either way lowers the likelihood
SELECT count(*) AS moves,
	   count(*) FILTER (WHERE (ll < log_likelihood(m)) IS NOT TRUE) AS not_lower
FROM donation_fit, estimates(m) e,
LATERAL (SELECT k, f FROM generate_series(0, 3) k, (VALUES (0.99), (1.01)) v(f)) mv,
LATERAL (SELECT sum(donors * log_likelihood(
			bgbb(e.alpha * CASE mv.k WHEN 0 THEN mv.f ELSE 1 END, e.beta * CASE mv.k WHEN 1 THEN mv.f ELSE 1 END,
				 e.gamma * CASE mv.k WHEN 2 THEN mv.f ELSE 1 END, e.delta * CASE mv.k WHEN 3 THEN mv.f ELSE 1 END),
			x, t_x, n)) AS ll FROM donations) l;

--
-- A tiny data set with several numbers of opportunities (13 patterns, 18
-- customers): the MLE by mpmath (Newton's method on the gradient of the
-- likelihood summed term by term, 40 digits, from alpha = beta = gamma =
-- delta = 1): 1.31685534945927, 1.65609467806985, 0.71121277765555,
-- 5.1577414301796, LL -52.515783088314; penalized as lifetimes'
-- penalizer_coef 0.01 (minus the mean log-likelihood plus 0.01 times the
-- sum of the squared parameters): 0.894569414556732, 1.14344624418598,
-- 0.163131223294861, 0.845577452576814, LL -52.8433286431397
--
CREATE TEMP TABLE tiny (x float8, t_x float8, n float8, customers bigint);
INSERT INTO tiny VALUES (0, 0, 5, 3), (1, 1, 5, 1), (1, 3, 5, 2), (2, 4, 5, 1), (3, 5, 5, 2),
	(5, 5, 5, 1), (2, 2, 7, 1), (4, 6, 7, 1), (0, 0, 7, 2), (1, 2, 7, 1), (6, 7, 7, 1),
	(0, 0, 3, 1), (2, 3, 3, 1);
SELECT fit, customers(m),
	   (abs(alpha / r_alpha - 1) <= 1e-6 AND abs(beta / r_beta - 1) <= 1e-6 AND
		abs(gamma / r_gamma - 1) <= 1e-6 AND abs(delta / r_delta - 1) <= 1e-6) IS TRUE AS parameters_agree,
	   (abs(log_likelihood(m) - r_ll) <= 1e-9) IS TRUE AS ll_agrees
FROM (VALUES ('plain', (SELECT bgbb_fit(x, t_x, n, customers) FROM tiny),
			  1.31685534945927, 1.65609467806985, 0.71121277765555, 5.1577414301796, -52.515783088314),
			 ('penalized 0.01', (SELECT bgbb_fit(x, t_x, n, customers, 0.01) FROM tiny),
			  0.894569414556732, 1.14344624418598, 0.163131223294861, 0.845577452576814, -52.8433286431397))
	 v(fit, m, r_alpha, r_beta, r_gamma, r_delta, r_ll),
	 estimates(m);
-- standard errors: mpmath's inverse Hessian of minus the log-likelihood over
-- the log-parameters (numerical derivatives at 30 digits, at its MLE) by the
-- delta method: 1.98050459801, 1.68853903023, 3.1869978888, 31.696143333
SELECT parameter, round(std_error::numeric, 4) AS std_error,
	   (abs(std_error / ref - 1) <= 1e-4) IS TRUE AS agrees
FROM (SELECT bgbb_fit(x, t_x, n, customers) AS m FROM tiny) f, parameters(m)
JOIN (VALUES ('alpha', 1.98050459801), ('beta', 1.68853903023), ('gamma', 3.1869978888),
			 ('delta', 31.696143333)) r(parameter, ref) USING (parameter);
-- a penalizer of 0 (or NULL) is the unpenalized fit, bit for bit
SELECT (SELECT bgbb_fit(x, t_x, n, customers, 0)::text FROM tiny) =
	   (SELECT bgbb_fit(x, t_x, n, customers)::text FROM tiny) AS zero_is_plain,
	   (SELECT bgbb_fit(x, t_x, n, customers, NULL)::text FROM tiny) =
	   (SELECT bgbb_fit(x, t_x, n, customers)::text FROM tiny) AS null_is_zero;

--
-- Recovering known parameters from 20,000 customers simulated in plain SQL:
-- p ~ Beta(2, 3) and theta ~ Beta(1, 4) as ratios of sums of exponential
-- variables (Gamma(a) / (Gamma(a) + Gamma(b))); 6 to 15 opportunities; a
-- customer is alive at opportunity t while t <= L, L geometric
-- (P(L >= t) = (1 - theta)^t), and transacts there with probability p
--
CREATE FUNCTION pg_temp.u(i bigint, k int) RETURNS double precision
	LANGUAGE sql IMMUTABLE AS
$$ SELECT ((hashint8extended(i * 1000 + k, 11) % 1000000007 + 1000000007) % 1000000007 + 0.5) / 1000000007 $$;
CREATE TEMP TABLE bbsim AS
WITH c AS (
	SELECT i, ga / (ga + gb) AS p, gc / (gc + gd) AS theta, 6 + i % 10 AS n
	FROM (SELECT i, -(ln(pg_temp.u(i, 1)) + ln(pg_temp.u(i, 2))) AS ga,
				 -(ln(pg_temp.u(i, 3)) + ln(pg_temp.u(i, 4)) + ln(pg_temp.u(i, 5))) AS gb,
				 -ln(pg_temp.u(i, 6)) AS gc,
				 -(ln(pg_temp.u(i, 7)) + ln(pg_temp.u(i, 8)) + ln(pg_temp.u(i, 9)) + ln(pg_temp.u(i, 10))) AS gd
		  FROM generate_series(1, 20000) i) g),
l AS (SELECT c.*, floor(ln(pg_temp.u(i, 11)) / ln(1 - theta)) AS life FROM c),
o AS (SELECT i, n, t, t <= life AND pg_temp.u(i, 100 + t) < p AS bought FROM l, generate_series(1, n) t)
SELECT i, count(*) FILTER (WHERE bought) AS x, coalesce(max(t) FILTER (WHERE bought), 0) AS t_x, n
FROM o GROUP BY i, n;
SELECT count(*) AS customers, sum(x) AS transactions, count(*) FILTER (WHERE x = 0) AS without_repeats,
	   count(DISTINCT (x, t_x, n)) AS patterns
FROM bbsim;
CREATE TEMP TABLE bbsim_fit AS SELECT bgbb_fit(x, t_x, n) AS m FROM bbsim;
SELECT parameter, abs(estimate - truth) < 3 * std_error AS within_3_se,
	   abs(estimate / truth - 1) < 0.25 AS within_25_percent
FROM bbsim_fit, parameters(m) JOIN (VALUES ('alpha', 2), ('beta', 3), ('gamma', 1), ('delta', 4)) t(parameter, truth) USING (parameter);
SELECT round((log_likelihood(m) - (SELECT sum(log_likelihood(m, x, t_x, n)) FROM bbsim))::numeric, 6) AS ll_minus_sum
FROM bbsim_fit;

--
-- NULLs, empty input, one row, input order, parallel plans
--
SELECT bgbb_fit(x, t_x, n, customers) IS NULL AS empty_is_null FROM tiny WHERE false;
SELECT bgbb_fit(x, t_x, n, 0) IS NULL AS no_customers_is_null FROM tiny;
SELECT (SELECT bgbb_fit(x, t_x, n, customers)::text FROM tiny) =
	   (SELECT bgbb_fit(x, t_x, n, customers)::text
		FROM (SELECT * FROM tiny UNION ALL SELECT NULL, 1, 2, 1 UNION ALL SELECT 1, NULL, 2, 1
			  UNION ALL SELECT 1, 1, NULL, 1 UNION ALL SELECT 1, 1, 2, NULL
			  UNION ALL SELECT 1, 1, 2, 0 ORDER BY 1 DESC, 3) s) AS nulls_zeros_and_order_ignored;
-- one customer who transacted at every opportunity does not determine a model
SELECT bgbb_fit(3, 3, 3);
-- nobody came back
SELECT bgbb_fit(0, 0, 6, 100);
SELECT expected_purchases(bgbb(1, 1, 1, 1), NULL) IS NULL AS strict;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT bgbb_fit(x, t_x, n) FROM donors;
SELECT bgbb_fit(x, t_x, n)::text = (SELECT m::text FROM donation_fit) AS parallel_equals_serial FROM donors;
SELECT bgbb_fit(x, t_x, n, 1, 0.01)::text = (SELECT bgbb_fit(x, t_x, n, donors, 0.01)::text FROM donations)
	   AS penalized_parallel_equals_serial
FROM donors;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

--
-- Text, binary and JSON forms of a fit; equality
--
SELECT m::text::bgbb::text = m::text AS text_round_trip,
	   bgbb_send(m) = bgbb_send(m::text::bgbb) AS lossless,
	   m = m::text::bgbb AS equal, m <> bgbb(1, 1, 1, 1) AS differs
FROM donation_fit;
SELECT key, jsonb_typeof(value) FROM donation_fit, jsonb_each(m::jsonb) ORDER BY key;
SELECT (m::jsonb -> 'std_errors' ->> 'delta')::float8 =
	   (SELECT std_error FROM parameters(m) WHERE parameter = 'delta') AS json_std_error
FROM donation_fit;
CREATE TEMP TABLE models AS SELECT m FROM donation_fit UNION ALL SELECT bgbb(1, 2, 3, 4);
\copy models TO 'results/bgbb_models.bin' WITH (FORMAT binary)
CREATE TEMP TABLE models_copy (LIKE models);
\copy models_copy FROM 'results/bgbb_models.bin' WITH (FORMAT binary)
SELECT (SELECT string_agg(m::text, ';' ORDER BY m) FROM models) =
	   (SELECT string_agg(m::text, ';' ORDER BY m) FROM models_copy) AS binary_round_trip,
	   (SELECT count(DISTINCT m) FROM (SELECT m FROM models UNION ALL SELECT m FROM models_copy) u) AS distinct_models;
SELECT count(*) AS models,
	   count(*) FILTER (WHERE bgbb_send(m) IS DISTINCT FROM bgbb_send(m::text::bgbb)) AS mismatches
FROM (VALUES ('(v=1,alpha=1.7976931348623157e308,beta=5e-324,gamma=2.2250738585072014e-308,delta=0.1,customers=9223372036854775807,ll=-1.7976931348623157e308,iterations=2147483647,cov=[5e-324,-0,1.7976931348623157e308,-1e-300,4.9e-324,0,1,-2.2250738585072009e-308,3,0.30000000000000004])'::bgbb),
			 (bgbb(0.1 + 0.2, 1e-310, 123456789.12345678, 1))) v(m);
-- a standard error too large for a double is NULL, never Infinity
SELECT parameter, std_error
FROM parameters('(v=1,alpha=1e300,beta=1,gamma=1,delta=1,customers=10,ll=-5,iterations=3,cov=[1e300,0,1,0,0,1,0,0,0,0])'::bgbb);

--
-- Errors
--
SELECT bgbb(0, 1, 1, 1);
SELECT bgbb(1, 1, 'NaN', 1);
SELECT bgbb(1, 1, 1, 'Infinity');
SELECT '(v=1,alpha=1,beta=1,gamma=1)'::bgbb;
SELECT '(v=1,alpha=1,beta=1,gamma=1,delta=-1)'::bgbb;
SELECT '(v=2,alpha=1,beta=1,gamma=1,delta=1)'::bgbb;
SELECT '(v=1,alpha=1,beta=1,gamma=1,delta=1,customers=0,ll=-1,iterations=1,cov=[1,0,1,0,0,1,0,0,0,1])'::bgbb;
SELECT '(v=1,alpha=1,beta=1,gamma=1,delta=1,customers=5,ll=-1,iterations=1,cov=[-1,0,1,0,0,1,0,0,0,1])'::bgbb;
-- customer data
SELECT p_alive(bgbb(1, 1, 1, 1), 2, 1, 6);
SELECT p_alive(bgbb(1, 1, 1, 1), 2, 7, 6);
SELECT p_alive(bgbb(1, 1, 1, 1), 0, 3, 6);
SELECT p_alive(bgbb(1, 1, 1, 1), 1.5, 3, 6);
SELECT log_likelihood(bgbb(1, 1, 1, 1), -1, 3, 6);
SELECT log_likelihood(bgbb(1, 1, 1, 1), 1, 'NaN', 6);
SELECT expected_purchases(bgbb(1, 1, 1, 1), 5, 1, 3, 'Infinity');
SELECT expected_purchases(bgbb(1, 1, 1, 1), 5, 1, 3, 2e7);
-- horizons and counts
SELECT expected_purchases(bgbb(1, 1, 1, 1), -1);
SELECT expected_purchases(bgbb(1, 1, 1, 1), 2.5);
SELECT expected_purchases(bgbb(1, 1, 1, 1), 1e8, 1, 3, 6);
SELECT purchase_probability(bgbb(1, 1, 1, 1), 6, -2);
SELECT purchase_probability(bgbb(1, 1, 1, 1), 'NaN', 2);
-- fits
SELECT bgbb_fit(x, t_x, n) FROM (VALUES (1, 2, 1)) v(x, t_x, n);
SELECT bgbb_fit(x, t_x, n, c) FROM (VALUES (1, 2, 3, -1)) v(x, t_x, n, c);
SELECT bgbb_fit(x, t_x, n, c) FROM (VALUES (1, 2, 3, 9223372036854775807), (2, 2, 3, 1)) v(x, t_x, n, c);
SELECT bgbb_fit(x, t_x, n, 1, -0.1) FROM tiny;
SELECT bgbb_fit(x, t_x, n, 1, CASE WHEN x = 0 THEN 0.1 ELSE 0.2 END) FROM tiny;
SELECT bgbb_fit(x, t_x, n, 1, 'Infinity') FROM tiny;
-- the support functions refuse another aggregate's state
CREATE AGGREGATE pg_temp.mixed(double precision, double precision, double precision) (
	SFUNC = bgnbd_fit_trans, STYPE = internal, FINALFUNC = bgbb_fit_final);
SELECT pg_temp.mixed(1, 2, 3);
CREATE AGGREGATE pg_temp.mixed2(double precision, double precision, double precision) (
	SFUNC = bgnbd_fit_trans, STYPE = internal, FINALFUNC = bgnbd_fit_final,
	COMBINEFUNC = bgbb_fit_combine, SERIALFUNC = bgbb_fit_serial, DESERIALFUNC = bgbb_fit_deserial,
	PARALLEL = SAFE);
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT pg_temp.mixed2(x, t_x, n) FROM donors;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

--
-- Robustness
--
-- huge alpha = beta and gamma = delta make p = theta = 1/2 for everyone,
-- where differences of ln B(alpha + x, ...) - ln B(alpha, beta) would lose
-- x (alpha + x = alpha in doubles): P(X(4) = 2) = C(4,2)/2^8 + sum_{i=2..3}
-- C(i,2) 2^-(2i+1) = 0.078125; L(1, 2, 4) = 2^-8 + 2^-5 + 2^-7 = 11/256;
-- P(alive at 5 | 1, 2, 4) = 2^-8 / L / 2 = 1/22; E[X(4)] = 1/2 (1/2 + 1/4
-- + 1/8 + 1/16) = 15/32
SELECT what, round(value::numeric, 10) AS value, (abs(value - ref) <= 1e-12 * ref) IS TRUE AS agrees
FROM (SELECT bgbb(1e300, 1e300, 1e300, 1e300) AS m) s,
LATERAL (VALUES ('P(X(4) = 2)', purchase_probability(m, 4, 2), 0.078125),
				('L(1, 2, 4)', exp(log_likelihood(m, 1, 2, 4)), 11 / 256.0),
				('P(alive)', p_alive(m, 1, 2, 4), 1 / 22.0),
				('E[X(4)]', expected_purchases(m, 4), 15 / 32.0)) v(what, value, ref);
-- the longest horizon, 10^7 opportunities, with terms that hardly fall
-- (gamma tiny: nobody dies, E[X(n*)] = n* alpha/(alpha+beta)), and the most
-- opportunities in a probability and a likelihood: a fraction of a second
SET statement_timeout = '5s';
SELECT expected_purchases(bgbb(1, 1, 1e-300, 1), 1e7) AS everyone_alive,
	   purchase_probability(bgbb(1e300, 1e300, 1e300, 1e300), 1e7, 5e6) AS practically_none,
	   log_likelihood(bgbb(1, 1, 1, 1), 1, 1, 1e7) < 0 AS ll_negative;
RESET statement_timeout;
-- parameters whose sums overflow a double: 22003, not NaN
SELECT expected_purchases(bgbb(1e308, 1e308, 1e308, 1e308), 10, 5, 7, 10);

DROP TABLE donors;
--
-- predicted_clv with BG/BB transactions (1.2, issue 21): Gamma-Gamma spend
-- times the expected transactions at each of the next opportunities,
-- discounted per opportunity; against the sum written in SQL from
-- expected_purchases(bgbb, k, ...) increments and expected_spend, for the
-- donation model and three donors (none, some, every year)
--
WITH m AS (SELECT bgbb(1.204, 0.75, 0.657, 2.783) AS bb, gammagamma(6.25, 3.74, 15.44) AS gg),
c AS (SELECT * FROM (VALUES (0.0, 0.0, 6.0, 0.0), (2.0, 4.0, 6.0, 25.0), (6.0, 6.0, 6.0, 40.0)) v(x, tx, n, zbar))
SELECT c.x,
	   abs(predicted_clv(bb, gg, x, tx, n, zbar, 10, 0.1) /
		   (SELECT sum(expected_spend(gg, x, zbar) * (expected_purchases(bb, k, x, tx, n) -
													  expected_purchases(bb, k - 1, x, tx, n)) / 1.1 ^ k)
			FROM generate_series(1, 10) k) - 1) < 1e-12 AS agrees,
	   round(predicted_clv(bb, gg, x, tx, n, zbar, 10, 0.1)::numeric, 4) AS clv_10,
	   predicted_clv(bb, gg, x, tx, n, zbar, 0, 0.1) AS no_periods
FROM m, c ORDER BY c.x;
SELECT predicted_clv(bgbb(1, 1, 1, 1), gammagamma(6.25, 3.74, 15.44), 1, 3, 2, 10, 12, 0);
SELECT predicted_clv(bgbb(1, 1, 1, 1), gammagamma(6.25, 3.74, 15.44), 1, 1, 2, 10, 12, -1);
SELECT predicted_clv(bgbb(1, 1, 1, 1), gammagamma(6.25, 3.74, 15.44), 1, 1, 2, 10, 100001, 0);
-- bgbb_fit_diagnostics (1.2, issue 21): the same fit as bgbb_fit on the
-- donation data (parameters, log-likelihood; the covariance's diagonal gives
-- the standard errors), converged with a gradient near 0
SELECT d.converged, d.status, d.parameters = ARRAY[e.alpha, e.beta, e.gamma, e.delta] AS same_parameters,
	   d.log_likelihood = log_likelihood(f) AS same_log_likelihood, d.gradient_norm < 1e-6 AS at_a_maximum,
	   abs(sqrt(d.covariance[3][3]) / e.gamma_std_error - 1) < 1e-12 AS covariance_gives_std_errors,
	   d.parameter_names
FROM (SELECT (bgbb_fit_diagnostics(x, t_x, n, donors)).* FROM donations) d,
	 (SELECT bgbb_fit(x, t_x, n, donors) AS f FROM donations) m, estimates(f) e;
