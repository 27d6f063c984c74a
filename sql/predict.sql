--
-- Predictive customer value: BG/NBD and Gamma-Gamma models.
--
-- Checks: values by hand from the formulas (docs/formulas.md §8-§10), the
-- log-likelihood against a plain-SQL evaluation at fixed parameters,
-- recovery of known parameters from data simulated in plain SQL, identities
-- between the predictions, the parallel path, and every error.  The CDNOW
-- estimates published by Fader, Hardie and Lee (2005) and lifetimes are
-- checked in test/t/006_cdnow.pl (it needs ../shared/data).
--
SET extra_float_digits = 0;

-- uniform numbers in (0, 1) from a hash, the same on every run
CREATE FUNCTION pg_temp.u(i bigint, k int) RETURNS double precision
	LANGUAGE sql IMMUTABLE AS
$$ SELECT ((hashint8extended(i * 1000 + k, 7) % 1000000007 + 1000000007) % 1000000007 + 0.5) / 1000000007 $$;

--
-- Models from given parameters; text form
--
SELECT bgnbd(0.243, 4.414, 0.793, 2.426);
SELECT gammagamma(6.25, 3.74, 15.44);
SELECT '(v=1,r=0.25,alpha=4,a=0.5,b=2)'::bgnbd;
SELECT * FROM parameters(bgnbd(0.243, 4.414, 0.793, 2.426));
SELECT * FROM parameters(gammagamma(6.25, 3.74, 15.44));
SELECT log_likelihood(bgnbd(1, 1, 1, 1)) IS NULL AS no_ll,
	   customers(gammagamma(1, 2, 3)) IS NULL AS no_customers;

--
-- Hand values (r = 2, alpha = 3, a = 1.5, b = 1.5: then a + b - 1 = r and
-- 2F1(r, b; r; z) = (1 - z)^-b, so E[X(t)] = 4 (1 - sqrt(alpha / (alpha + t))))
--
SELECT q.*, (abs(q.ex_6 - q.by_hand) <= 1e-11) IS TRUE AS agrees
FROM (SELECT round(expected_purchases(bgnbd(2, 3, 1.5, 1.5), 6)::numeric, 12) AS ex_6,
		   round((4 * (1 - sqrt(3.0 / 9)))::numeric, 12) AS by_hand) q;
-- a customer without repeats, age 3, over the next 18: 4 (1 - sqrt(6 / 24)) = 2
SELECT q.*, (abs(q.ey_18 - 2) <= 1e-11) IS TRUE AS agrees
FROM (SELECT round(expected_purchases(bgnbd(2, 3, 1.5, 1.5), 18, 0, 0, 3)::numeric, 12) AS ey_18) q;
-- the same with two purchases by time 4 of 10: divided by 1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)
SELECT q.*, (q.p_alive = q.by_hand) IS TRUE AS agrees
FROM (SELECT round(p_alive(bgnbd(2, 3, 1.5, 1.5), 2, 4, 10)::numeric, 12) AS p_alive,
		   round((1 / (1 + 1.5 / 2.5 * (13.0 / 7) ^ 4))::numeric, 12) AS by_hand) q;
SELECT p_alive(bgnbd(2, 3, 1.5, 1.5), 0, 0, 10) AS p_alive_without_repeats;
-- P(X(6) = 0) = (alpha / (alpha + t))^r = 1/9
SELECT q.*, (q.p0 = q.by_hand) IS TRUE AS agrees
FROM (SELECT round(purchase_probability(bgnbd(2, 3, 1.5, 1.5), 6, 0)::numeric, 12) AS p0,
		   round(1 / 9.0, 12) AS by_hand) q;
-- P(X(t) = 1) = B(a, b+1)/B(a, b) r u^r z + B(a+1, b)/B(a, b) (1 - u^r)
--   with u = alpha/(alpha+t), z = t/(alpha+t); B(a,b+1)/B(a,b) = b/(a+b), B(a+1,b)/B(a,b) = a/(a+b)
SELECT q.*, (q.p1 = q.by_hand) IS TRUE AS agrees
FROM (SELECT round(purchase_probability(bgnbd(2, 3, 1.5, 1.5), 6, 1)::numeric, 12) AS p1,
		   round((0.5 * 2 * (1 / 9.0) * (2 / 3.0) + 0.5 * (1 - 1 / 9.0))::numeric, 12) AS by_hand) q;
-- Gamma-Gamma: p = 2, q = 3, gamma = 10: E(M) = p gamma / (q - 1) = 10;
-- x = 4, zbar = 20: ((q-1) E(M) + p x zbar) / (p x + q - 1) = 180 / 10 = 18
SELECT q.*, (q.population_mean = 10 AND q.conditional = 18 AND q.without_repeats = 10) IS TRUE AS agrees
FROM (SELECT expected_spend(gammagamma(2, 3, 10)) AS population_mean,
		   expected_spend(gammagamma(2, 3, 10), 4, 20) AS conditional,
		   expected_spend(gammagamma(2, 3, 10), 0, 0) AS without_repeats) q;
-- ln f = lnG(11) - lnG(8) - lnG(3) + 3 ln 10 + 7 ln 20 + 8 ln 4 - 11 ln 90
SELECT q.*, (q.ll = q.by_hand) IS TRUE AS agrees
FROM (SELECT round(log_likelihood(gammagamma(2, 3, 10), 4, 20)::numeric, 12) AS ll,
		   round((ln(10 * 9 * 8 / 2.0) + 3 * ln(10) + 7 * ln(20) + 8 * ln(4) - 11 * ln(90))::numeric, 12) AS by_hand) q;
-- one period of CLV: E(M | x, zbar) E[Y(L)] / (1 + d), with E[Y(18) | 0, 0, 3] = 2
SELECT q.*, (q.clv = q.by_hand) IS TRUE AS agrees
FROM (SELECT round(predicted_clv(bgnbd(2, 3, 1.5, 1.5), gammagamma(2, 3, 10), 0, 0, 3, 0, 1, 18, 0.25)::numeric, 12) AS clv,
		   10 * 2 / 1.25 AS by_hand) q;
SELECT predicted_clv(bgnbd(2, 3, 1.5, 1.5), gammagamma(2, 3, 10), 0, 0, 3, 0, 0, 18, 0.25) AS no_periods;

--
-- Identities
--
-- probabilities add up to 1 and their mean is E[X(t)]
SELECT round(sum(purchase_probability(bgnbd(0.243, 4.414, 0.793, 2.426), 39, k))::numeric, 12) AS total,
	   round((sum(k * purchase_probability(bgnbd(0.243, 4.414, 0.793, 2.426), 39, k))
			  - expected_purchases(bgnbd(0.243, 4.414, 0.793, 2.426), 39))::numeric, 12) AS mean_minus_expected
FROM generate_series(0, 2000) k;
-- a customer seen for no time at all is a new customer: E[Y(t) | 0, 0, 0] = E[X(t)]
SELECT round((expected_purchases(m, 52, 0, 0, 0) - expected_purchases(m, 52))::numeric, 12) AS difference
FROM (SELECT bgnbd(0.243, 4.414, 0.793, 2.426) AS m) s;
-- E[X(t)] starts at the purchase rate r / alpha of a population all alive
SELECT round((expected_purchases(bgnbd(0.243, 4.414, 0.793, 2.426), 1e-7) / 1e-7)::numeric, 6) AS slope,
	   round(0.243 / 4.414, 6) AS r_over_alpha;
-- a = 1 is a removable singularity: continuous across it
SELECT round(expected_purchases(bgnbd(0.5, 4, 1, 2), 10)::numeric, 7) AS at_1,
	   round(expected_purchases(bgnbd(0.5, 4, 1.001, 2), 10)::numeric, 7) AS above,
	   round(expected_purchases(bgnbd(0.5, 4, 0.999, 2), 10)::numeric, 7) AS below;
-- many purchases: the series of the original formula overflows (x ln(1 +
-- t/(alpha+T)) > 709); the Euler-transformed one gives the values mpmath
-- computes from the formula (1.975198e-14 and 27.51312)
SELECT to_char(expected_purchases(m, 39, 2000, 38, 39), '9.999999EEEE') AS many_purchases,
	   round(expected_purchases(m, 1e4, 500, 38, 39)::numeric, 5) AS long_horizon
FROM (SELECT bgnbd(0.243, 4.414, 0.793, 2.426) AS m) s;
-- a tiny probability keeps its digits (mpmath: 4.608652e-29), never below 0
SELECT to_char(purchase_probability(bgnbd(0.243, 4.414, 0.793, 2.426), 0.01, 10), '9.999999EEEE') AS p10;
-- a = 1 exactly lies between its neighbours
SELECT expected_purchases(bgnbd(0.5, 4, 1 - 1e-9, 2), 10) >= expected_purchases(bgnbd(0.5, 4, 1, 2), 10)
	   AND expected_purchases(bgnbd(0.5, 4, 1, 2), 10) >= expected_purchases(bgnbd(0.5, 4, 1 + 1e-9, 2), 10) AS monotone_at_1;
-- the conditional spend with q <= 1 is finite for a repeat customer:
-- p (gamma + x zbar) / (p x + q - 1) = 16 / 2.5
SELECT expected_spend(gammagamma(1, 0.5, 1), 3, 5) AS q_below_1;
-- the conditional spend moves from the population mean to the customer's own
SELECT round(expected_spend(m, 1e6, 50)::numeric, 3) AS many_repeats
FROM (SELECT gammagamma(2, 3, 10) AS m) s;
-- P(alive) falls the longer a repeat buyer has been silent
SELECT bool_and((a > b) IS TRUE) AS decreasing
FROM (SELECT p_alive(bgnbd(0.243, 4.414, 0.793, 2.426), 3, 10, T) AS a,
			 p_alive(bgnbd(0.243, 4.414, 0.793, 2.426), 3, 10, T + 1) AS b
	  FROM generate_series(10, 60) T) s;

--
-- The log-likelihood against plain SQL at fixed parameters: with whole x,
-- lnG(r+x) - lnG(r) = sum_{j<x} ln(r+j), and likewise for A2
--
CREATE TABLE cust AS
SELECT i, x::double precision AS x,
	   CASE WHEN x = 0 THEN 0 ELSE round((T * (0.05 + 0.95 * pg_temp.u(i, 2)))::numeric, 2) END::double precision AS tx,
	   T
FROM (SELECT i, floor(6 * pg_temp.u(i, 1) ^ 2)::int AS x,
			 round((10 + 30 * pg_temp.u(i, 3))::numeric, 2)::double precision AS T
	  FROM generate_series(1, 300) i) s;
SELECT q.*, (q.extension = q.plain_sql) IS TRUE AS agrees,
	   (SELECT count(*) FROM cust) AS customers,
	   (SELECT count(*) FROM cust WHERE log_likelihood(bgnbd(0.5, 3, 2, 4), x, tx, T) IS NULL) AS null_results
FROM (SELECT round(sum(log_likelihood(bgnbd(0.5, 3, 2, 4), x, tx, T))::numeric, 9) AS extension,
		   round(sum(A1 + A2 + CASE WHEN x = 0 THEN A3
								   ELSE ln(exp(A3) + exp(A4)) END)::numeric, 9) AS plain_sql
	FROM (SELECT x, tx, T,
				 (SELECT coalesce(sum(ln(0.5 + j)), 0) FROM generate_series(0, x::int - 1) j) + 0.5 * ln(3) AS A1,
				 (SELECT coalesce(sum(ln(4 + j) - ln(6 + j)), 0) FROM generate_series(0, x::int - 1) j) AS A2,
				 -(0.5 + x) * ln(3 + T) AS A3,
				 ln(2) - ln(4 + x - 1) - (0.5 + x) * ln(3 + tx) AS A4
		  FROM cust) s) q;
-- and Gamma-Gamma with whole p x and q: lnG(n) = sum_{j<n} ln j
SELECT q.*, (q.extension = q.plain_sql) IS TRUE AS agrees,
	   (SELECT count(*) FROM cust WHERE x > 0) AS customers,
	   (SELECT count(*) FROM cust WHERE x > 0 AND log_likelihood(gammagamma(2, 3, 10), x, 5 + tx) IS NULL) AS null_results
FROM (SELECT round(sum(log_likelihood(gammagamma(2, 3, 10), x, 5 + tx))::numeric, 9) AS extension,
		   round(sum((SELECT sum(ln(j)) FROM generate_series(2 * x::int, 2 * x::int + 2) j)
					 - ln(2) + 3 * ln(10) + (2 * x - 1) * ln(5 + tx) + 2 * x * ln(x)
					 - (2 * x + 3) * ln(10 + x * (5 + tx)))::numeric, 9) AS plain_sql
	FROM cust WHERE x > 0) q;

--
-- Recovering known parameters from simulated data (20,000 customers).
-- BG/NBD: lambda ~ Gamma(r = 2, rate alpha = 10), p ~ Beta(a = 2, b = 6),
-- ages between 20 and 60; after each repeat purchase the customer drops
-- out with probability p.
--
CREATE TABLE sim AS
WITH c AS (
	SELECT i, -(ln(pg_temp.u(i, 1)) + ln(pg_temp.u(i, 2))) / 10 AS lam,
		   ga / (ga + gb) AS p, 20 + 40 * pg_temp.u(i, 11) AS T
	FROM (SELECT i, -(ln(pg_temp.u(i, 3)) + ln(pg_temp.u(i, 4))) AS ga,
				 -(ln(pg_temp.u(i, 5)) + ln(pg_temp.u(i, 6)) + ln(pg_temp.u(i, 7)) +
				   ln(pg_temp.u(i, 8)) + ln(pg_temp.u(i, 9)) + ln(pg_temp.u(i, 10))) AS gb
		  FROM generate_series(1, 20000) i) g),
j AS (SELECT c.*, 1 + floor(ln(pg_temp.u(i, 12)) / ln(1 - p)) AS J FROM c),
arrivals AS (
	SELECT i, T, sum(-ln(pg_temp.u(i, 100 + k)) / lam) OVER (PARTITION BY i ORDER BY k) AS at
	FROM j, generate_series(1, least(J, ceil(3 * lam * T + 20))::int) k)
SELECT c.i, count(a.at)::double precision AS x, coalesce(max(a.at), 0) AS tx, c.T
FROM c LEFT JOIN arrivals a ON a.i = c.i AND a.at <= a.T
GROUP BY c.i, c.T;
SELECT count(*) AS customers, sum(x) AS repeat_purchases, count(*) FILTER (WHERE x = 0) AS without_repeats FROM sim;
CREATE TABLE fitted AS SELECT bgnbd_fit(x, tx, T) AS m FROM sim;
SELECT parameter, abs(estimate - truth) < 3 * std_error AS within_3_se,
	   abs(estimate / truth - 1) < 0.15 AS within_15_percent
FROM fitted, parameters(m) JOIN (VALUES ('r', 2), ('alpha', 10), ('a', 2), ('b', 6)) t(parameter, truth) USING (parameter);
SELECT customers(m) FROM fitted;
-- the fit is the maximum: its log-likelihood is the sum of the customers',
-- and moving any parameter by 1% either way lowers it
SELECT round((log_likelihood(m) - (SELECT sum(log_likelihood(m, x, tx, T)) FROM sim))::numeric, 6) AS difference
FROM fitted;
SELECT bool_and((log_likelihood(m) > (SELECT sum(log_likelihood(bgnbd(r * f1, alpha * f2, a * f3, b * f4), x, tx, T)) FROM sim)) IS TRUE) AS is_maximum
FROM fitted,
	 LATERAL (SELECT max(estimate) FILTER (WHERE parameter = 'r') AS r,
					 max(estimate) FILTER (WHERE parameter = 'alpha') AS alpha,
					 max(estimate) FILTER (WHERE parameter = 'a') AS a,
					 max(estimate) FILTER (WHERE parameter = 'b') AS b
			  FROM parameters(m)) p,
	 (VALUES (1.01, 1, 1, 1), (0.99, 1, 1, 1), (1, 1.01, 1, 1), (1, 0.99, 1, 1),
			 (1, 1, 1.01, 1), (1, 1, 0.99, 1), (1, 1, 1, 1.01), (1, 1, 1, 0.99)) f(f1, f2, f3, f4);
-- Standard errors against a second route: the information matrix as a
-- central second difference (step 1e-3 on the log scale) of the summed
-- log-likelihood (checked against plain SQL above) of the first 2,000
-- simulated customers at their own fit, inverted by Gauss-Jordan; the standard
-- error of p = exp(theta) is p sqrt((I^-1)_ii) (the delta method).  A
-- covariance not scaled to the data, or not taken back from the log scale,
-- is off by orders of magnitude; the two routes agree to 1e-3 relatively.
-- the diagonal of the inverse of a positive definite matrix, by Gauss-Jordan
-- elimination (no pivoting needed)
CREATE FUNCTION pg_temp.inverse_diagonal(m float8[]) RETURNS float8[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	n int := array_length(m, 1);
	a float8[] := array_fill(0::float8, ARRAY[n, 2 * n]);
	f float8;
BEGIN
	FOR i IN 1 .. n LOOP
		FOR j IN 1 .. n LOOP
			a[i][j] := m[i][j];
		END LOOP;
		a[i][n + i] := 1;
	END LOOP;
	FOR k IN 1 .. n LOOP
		f := a[k][k];
		FOR j IN 1 .. 2 * n LOOP
			a[k][j] := a[k][j] / f;
		END LOOP;
		FOR i IN 1 .. n LOOP
			IF i <> k THEN
				f := a[i][k];
				FOR j IN 1 .. 2 * n LOOP
					a[i][j] := a[i][j] - f * a[k][j];
				END LOOP;
			END IF;
		END LOOP;
	END LOOP;
	RETURN ARRAY(SELECT a[i][n + i] FROM generate_series(1, n) i);
END $$;
-- theta + di e_i + dj e_j
CREATE FUNCTION pg_temp.shift(th float8[], i int, di float8, j int, dj float8) RETURNS float8[] LANGUAGE sql IMMUTABLE AS $$
	SELECT array_agg(th[k] + CASE WHEN k = i THEN di ELSE 0 END + CASE WHEN k = j THEN dj ELSE 0 END ORDER BY k)
	FROM generate_series(1, cardinality(th)) k $$;
CREATE FUNCTION pg_temp.ll(model text, th float8[]) RETURNS float8 LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF model = 'bgnbd' THEN
		RETURN (SELECT sum(log_likelihood(bgnbd(exp(th[1]), exp(th[2]), exp(th[3]), exp(th[4])), x, tx, T))
				FROM sim_se);
	END IF;
	RETURN (SELECT sum(log_likelihood(gammagamma(exp(th[1]), exp(th[2]), exp(th[3])), x, zbar))
			FROM spend_se);
END $$;
CREATE FUNCTION pg_temp.fd_std_errors(model text, est float8[]) RETURNS float8[] LANGUAGE plpgsql STABLE AS $$
DECLARE
	k int := cardinality(est);
	h float8 := 1e-3;
	th float8[] := ARRAY(SELECT ln(e) FROM unnest(est) e);
	info float8[] := array_fill(0::float8, ARRAY[k, k]);
	v float8;
BEGIN
	FOR i IN 1 .. k LOOP
		FOR j IN i .. k LOOP
			v := -(pg_temp.ll(model, pg_temp.shift(th, i, h, j, h)) - pg_temp.ll(model, pg_temp.shift(th, i, h, j, -h))
				   - pg_temp.ll(model, pg_temp.shift(th, i, -h, j, h)) + pg_temp.ll(model, pg_temp.shift(th, i, -h, j, -h)))
				 / (4 * h * h);
			info[i][j] := v;
			info[j][i] := v;
		END LOOP;
	END LOOP;
	RETURN ARRAY(SELECT est[i] * sqrt(d) FROM unnest(pg_temp.inverse_diagonal(info)) WITH ORDINALITY v(d, i));
END $$;
CREATE TABLE sim_se AS SELECT x, tx, T FROM sim WHERE i <= 2000;
WITH f AS (SELECT bgnbd_fit(x, tx, T) AS m FROM sim_se),
p AS (SELECT t.* FROM f, parameters(m) WITH ORDINALITY t(parameter, estimate, std_error, ord))
SELECT p.parameter, (abs(p.std_error / fd.se - 1) <= 1e-3) IS TRUE AS agrees
FROM p JOIN unnest(pg_temp.fd_std_errors('bgnbd', (SELECT array_agg(estimate ORDER BY ord) FROM p)))
	 WITH ORDINALITY fd(se, ord) USING (ord)
ORDER BY ord;

-- predictions of the fitted model are checked against published figures
-- in 006_cdnow.pl; here they must be numbers in range ('NaN' >= 0 is true
-- in PostgreSQL, so NaN is excluded explicitly)
SELECT bool_and((p BETWEEN 0 AND 1 AND p <> 'NaN') IS TRUE) AS p_alive_in_range,
	   bool_and((e >= 0 AND e < 'Infinity' AND e <> 'NaN') IS TRUE) AS expected_in_range
FROM (SELECT p_alive(m, x, tx, T) AS p, expected_purchases(m, 10, x, tx, T) AS e
	  FROM fitted, sim) s;

-- Gamma-Gamma: nu ~ Gamma(q = 4, rate gamma = 20), spend per purchase
-- ~ Gamma(p = 3, rate nu); x from 1 to 8 repeat purchases
CREATE TABLE spend AS
SELECT i, x::double precision AS x,
	   (SELECT sum(-ln(pg_temp.u(i, 100 + k))) FROM generate_series(1, 3 * x) k) / nu / x AS zbar
FROM (SELECT i, 1 + i % 8 AS x,
			 -(ln(pg_temp.u(i, 1)) + ln(pg_temp.u(i, 2)) + ln(pg_temp.u(i, 3)) + ln(pg_temp.u(i, 4))) / 20 AS nu
	  FROM generate_series(1, 20000) i) s;
CREATE TABLE ggfit AS SELECT gammagamma_fit(x, zbar) AS m FROM spend;
SELECT parameter, abs(estimate - truth) < 3 * std_error AS within_3_se,
	   abs(estimate / truth - 1) < 0.15 AS within_15_percent
FROM ggfit, parameters(m) JOIN (VALUES ('p', 3), ('q', 4), ('gamma', 20)) t(parameter, truth) USING (parameter);
SELECT round((log_likelihood(m) - (SELECT sum(log_likelihood(m, x, zbar)) FROM spend))::numeric, 6) AS difference
FROM ggfit;
-- standard errors by the second route above (first 2,000 customers)
CREATE TABLE spend_se AS SELECT x, zbar FROM spend WHERE i <= 2000;
WITH f AS (SELECT gammagamma_fit(x, zbar) AS m FROM spend_se),
p AS (SELECT t.* FROM f, parameters(m) WITH ORDINALITY t(parameter, estimate, std_error, ord))
SELECT p.parameter, (abs(p.std_error / fd.se - 1) <= 1e-3) IS TRUE AS agrees
FROM p JOIN unnest(pg_temp.fd_std_errors('gammagamma', (SELECT array_agg(estimate ORDER BY ord) FROM p)))
	 WITH ORDINALITY fd(se, ord) USING (ord)
ORDER BY ord;
-- customers without repeat purchases are skipped
SELECT (SELECT gammagamma_fit(x, zbar)::text FROM spend) =
	   (SELECT gammagamma_fit(x, zbar)::text FROM (SELECT x, zbar FROM spend UNION ALL SELECT 0, 0 FROM generate_series(1, 100)) s)
	   AS zero_frequency_skipped;

--
-- NULLs, empty input, input order, parallel plans
--
SELECT bgnbd_fit(x, tx, T) IS NULL AS empty_is_null FROM sim WHERE false;
SELECT gammagamma_fit(x, zbar) IS NULL AS empty_is_null FROM spend WHERE false;
SELECT (SELECT bgnbd_fit(x, tx, T)::text FROM sim) =
	   (SELECT bgnbd_fit(x, tx, T)::text
		FROM (SELECT x, tx, T FROM sim UNION ALL SELECT NULL, 1, 2 UNION ALL SELECT 1, NULL, 2
			  UNION ALL SELECT 1, 1, NULL ORDER BY 1 DESC, 3) s) AS nulls_and_order_ignored;
SELECT expected_purchases(bgnbd(1, 1, 1, 1), NULL) IS NULL AS strict;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT bgnbd_fit(x, tx, T) FROM sim;
SELECT bgnbd_fit(x, tx, T)::text = (SELECT m::text FROM fitted) AS parallel_equals_serial FROM sim;
SELECT gammagamma_fit(x, zbar)::text = (SELECT m::text FROM ggfit) AS parallel_equals_serial FROM spend;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

--
-- Text and binary round trips of fitted models
--
SELECT m::text::bgnbd::text = m::text AS text_round_trip FROM fitted;
CREATE TABLE models AS SELECT f.m AS bg, g.m AS gg FROM fitted f, ggfit g;
\copy models TO 'results/predict_models.bin' WITH (FORMAT binary)
CREATE TABLE models_copy (LIKE models);
\copy models_copy FROM 'results/predict_models.bin' WITH (FORMAT binary)
SELECT (SELECT bg::text || gg::text FROM models) = (SELECT bg::text || gg::text FROM models_copy) AS binary_round_trip;

--
-- Errors
--
SELECT bgnbd_fit(x, tx, T) FROM (VALUES (2.0, 5.0, 4.0)) v(x, tx, T);
SELECT bgnbd_fit(x, tx, T) FROM (VALUES (-1.0, 0.0, 4.0)) v(x, tx, T);
SELECT bgnbd_fit(x, tx, T) FROM (VALUES (1.5, 1.0, 4.0)) v(x, tx, T);
SELECT bgnbd_fit(x, tx, T) FROM (VALUES (2.0, 0.0, 4.0)) v(x, tx, T);
SELECT bgnbd_fit(x, tx, T) FROM (VALUES (0.0, 1.0, 4.0)) v(x, tx, T);
SELECT bgnbd_fit(x, tx, T) FROM (VALUES (1.0, 1.0, 'NaN'::float8)) v(x, tx, T);
SELECT bgnbd_fit(x, tx, T) FROM (VALUES (0.0, 0.0, 4.0), (0.0, 0.0, 8.0)) v(x, tx, T);
SELECT bgnbd_fit(x, tx, T) FROM (VALUES (1.0, 2.0, 4.0)) v(x, tx, T);
SELECT gammagamma_fit(x, z) FROM (VALUES (2.0, 0.0)) v(x, z);
SELECT gammagamma_fit(x, z) FROM (VALUES (2.0, 10.0), (2.0, 10.0)) v(x, z);
-- every way a fit fails, with its SQLSTATE: 22M01 (the data do not
-- determine the model) with the reason in DETAIL; 22003 where the
-- likelihood overflows, which only data near the ends of the range of
-- doubles reach (a trillion purchases within 1e-299; spends of 1e305)
CREATE FUNCTION pg_temp.fit_error(q text) RETURNS TABLE (code text, message text, detail text, hint text)
	LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN QUERY SELECT '00000', 'no error', NULL::text, NULL::text;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
	RETURN NEXT;
END $$;
SELECT v.failure, f.*
FROM (VALUES ('parameter runs off', 'SELECT bgnbd_fit(x, tx, T) FROM (VALUES (1, 2, 4)) v(x, tx, T)'),
			 ('parameter runs off', 'SELECT gammagamma_fit(x, z) FROM (VALUES (2, 10), (2, 10)) v(x, z)'),
			 ('300 iterations', 'SELECT gammagamma_fit(x, z) FROM (VALUES (2, 31.2), (2, 50.5)) v(x, z)'),
			 ('stopped improving', 'SELECT gammagamma_fit(x, z) FROM (VALUES (578396, 96.5), (3410529, 29.9), (1780825, 16), (2031485, 37.9)) v(x, z)'),
			 ('no step improves', 'SELECT gammagamma_fit(x, z) FROM (VALUES (1137923, 38.9), (617651, 10.4), (1746119, 80.5), (1134257, 38.9)) v(x, z)'),
			 ('no proper maximum', 'SELECT bgnbd_fit(x, tx, T) FROM (VALUES (1, 5.7, 10.6), (0, 0, 33.4)) v(x, tx, T)'),
			 ('overflow at the start', 'SELECT bgnbd_fit(x, tx, T) FROM (VALUES (1e13, 1e-299, 1e-299)) v(x, tx, T)'),
			 ('overflow near the maximum', 'SELECT gammagamma_fit(x, z * 1e305) FROM (VALUES (2, 31.2), (2, 50.5), (3, 40), (1, 20)) v(x, z)'))
	 v(failure, q),
	 pg_temp.fit_error(v.q) f;
SELECT expected_purchases(bgnbd(1, 1, 1, 1), -1);
SELECT expected_purchases(bgnbd(1, 1, 1, 1), 'Infinity');
SELECT expected_purchases(bgnbd(1, 2, 0.5, 0.5), 3);
SELECT purchase_probability(bgnbd(1, 1, 1, 1), 5, 2.5);
SELECT p_alive(bgnbd(1, 1, 1, 1), 3, 5, 4);
SELECT expected_spend(gammagamma(1, 0.5, 1));
SELECT expected_spend(gammagamma(1, 2, 1), 3, -5);
SELECT expected_spend(gammagamma(0.1, 0.5, 1), 3, 5);
SELECT expected_purchases(bgnbd(1, 1, 1, 1), 1, 2e15, 1, 2);
SELECT predicted_clv(bgnbd(1, 1, 1, 1), gammagamma(1, 2, 1), 1, 1, 2, 10, -1, 1, 0.01);
SELECT predicted_clv(bgnbd(1, 1, 1, 1), gammagamma(1, 2, 1), 1, 1, 2, 10, 12, 0, 0.01);
SELECT predicted_clv(bgnbd(1, 1, 1, 1), gammagamma(1, 2, 1), 1, 1, 2, 10, 12, 1, -1);
SELECT bgnbd(0, 1, 1, 1);
SELECT gammagamma(1, 'NaN', 1);
SELECT '(v=1,r=0.25,alpha=4,a=0.5)'::bgnbd;
SELECT '(v=2,r=0.25,alpha=4,a=0.5,b=1)'::bgnbd;
SELECT '(v=1,r=-0.25,alpha=4,a=0.5,b=1)'::bgnbd;
SELECT '(v=1,p=1,q=2,gamma=3,customers=10,ll=-5,iterations=3,cov=[1,0,1,0,0,-1])'::gammagamma;
SELECT '(v=1,p=1,q=2,gamma=3,customers=0,ll=-5,iterations=3,cov=[1,0,1,0,0,1])'::gammagamma;
SELECT '(v=1,p=1,q=2,gamma=3,customers=10,ll=-5,iterations=3,cov=[1,0,1,0,0,1])'::gammagamma;

-- JSON forms of fitted models (1.2, issue 18): the parameters, standard
-- errors, customers and log-likelihood equal what parameters(),
-- customers() and log_likelihood() report (bit for bit: the same doubles)
SELECT count(*) AS parameters,
	   count(*) FILTER (WHERE (j->'parameters'->>p.parameter)::float8 = p.estimate
						AND (j->'std_errors'->>p.parameter)::float8 = p.std_error) AS equal,
	   bool_and((j->>'customers')::bigint = customers(f.m)) AS customers_equal,
	   bool_and((j->>'log_likelihood')::float8 = log_likelihood(f.m)) AS ll_equal,
	   min(jsonb_array_length(j->'covariance')) AS covariance_rows, bool_and((j->>'fitted')::boolean) AS fitted
FROM fitted f, LATERAL (SELECT f.m::jsonb AS j) x, parameters(f.m) p;
SELECT count(*) AS parameters,
	   count(*) FILTER (WHERE (j->'parameters'->>p.parameter)::float8 = p.estimate
						AND (j->'std_errors'->>p.parameter)::float8 = p.std_error) AS equal,
	   bool_and(g.m::json::jsonb = j) AS json_is_jsonb
FROM ggfit g, LATERAL (SELECT g.m::jsonb AS j) x, parameters(g.m) p;
-- estimates(): the parameters and standard errors of parameters() as one record
SELECT (e).r = (SELECT estimate FROM parameters(m) WHERE parameter = 'r') AS r_equal,
	   (e).b_std_error = (SELECT std_error FROM parameters(m) WHERE parameter = 'b') AS b_se_equal,
	   (e).alpha IS NOT NULL AND (e).a_std_error IS NOT NULL AS complete
FROM (SELECT m, estimates(m) AS e FROM fitted) f;
SELECT (estimates(m)).* FROM ggfit WHERE false;
SELECT * FROM estimates(gammagamma(6.25, 3.74, 15.44));
--
-- Penalized fits (issue 21): lifetimes' penalizer_coef.  lifetimes
-- (fitters/beta_geo_fitter.py and gamma_gamma_fitter.py,
-- _negative_log_likelihood) minimises minus the mean log-likelihood plus
-- c * sum(params ** 2), with BG/NBD times scaled by 1 / max(T)
-- (utils._scale_time), so alpha enters the penalty as alpha / max(T).
--
-- penalizer 0 or NULL is the unpenalized fit, bit for bit
SELECT (SELECT bgnbd_fit(x, tx, T, 0)::text FROM sim) = (SELECT m::text FROM fitted) AS bgnbd_zero,
	   (SELECT bgnbd_fit(x, tx, T, NULL)::text FROM sim) = (SELECT m::text FROM fitted) AS bgnbd_null,
	   (SELECT gammagamma_fit(x, zbar, 0)::text FROM spend) = (SELECT m::text FROM ggfit) AS gg_zero,
	   (SELECT gammagamma_fit(x, zbar, NULL)::text FROM spend) = (SELECT m::text FROM ggfit) AS gg_null;
-- the demo generator's calibration data at 200 customers, seed 3
-- (test/gen_data.sql, the RFM of test/dashboard.sql): 73 buyers, x, t_x, T
-- in weeks and zbar; unpenalized, b runs off
CREATE TABLE demo200 (x float8, tx float8, T float8, zbar float8);
INSERT INTO demo200 VALUES
	(5, 60, 76.57142857142857, 83.126), (1, 10.428571428571429, 77.57142857142857, 37.94),
	(0, 0, 75, 0), (30, 49.142857142857146, 75.57142857142857, 111.48866666666666),
	(2, 56.42857142857143, 73.85714285714286, 422.27), (1, 18.571428571428573, 72, 42.39),
	(1, 18.285714285714285, 70.14285714285714, 120.11),
	(13, 68.14285714285714, 68.85714285714286, 143.07000000000002),
	(12, 49.857142857142854, 68.28571428571429, 43.14166666666667),
	(5, 50.142857142857146, 66.28571428571429, 38.102), (0, 0, 64.42857142857143, 0),
	(1, 2.4285714285714284, 64, 128.77), (0, 0, 62.857142857142854, 0),
	(1, 52.857142857142854, 62.142857142857146, 8.23),
	(1, 12.571428571428571, 59.857142857142854, 20.78), (0, 0, 58.57142857142857, 0), (0, 0, 58, 0),
	(0, 0, 57.42857142857143, 0), (1, 43.57142857142857, 57, 51.62),
	(4, 29, 54.714285714285715, 70.73500000000001),
	(1, 17.285714285714285, 53.857142857142854, 13.73), (0, 0, 51, 0), (0, 0, 52, 0),
	(2, 38.57142857142857, 50.285714285714285, 54.22), (0, 0, 49, 0), (0, 0, 49.42857142857143, 0),
	(0, 0, 48.142857142857146, 0), (2, 36.857142857142854, 47.57142857142857, 71.14999999999999),
	(10, 36.714285714285715, 46.857142857142854, 25.389), (0, 0, 44.857142857142854, 0),
	(8, 19.428571428571427, 43.42857142857143, 31.122499999999995),
	(8, 36.857142857142854, 43.142857142857146, 39.365),
	(3, 29.142857142857142, 41.142857142857146, 72.05666666666667), (1, 5, 38.57142857142857, 55.78),
	(2, 17.857142857142858, 40.142857142857146, 36.14), (0, 0, 38.285714285714285, 0),
	(9, 29.571428571428573, 37.142857142857146, 12.454444444444443), (0, 0, 36, 0),
	(2, 24.428571428571427, 35.857142857142854, 54.675000000000004),
	(6, 19.142857142857142, 34.857142857142854, 239.4333333333333), (0, 0, 33.714285714285715, 0),
	(1, 15.142857142857142, 32.714285714285715, 6.26), (2, 21, 31.857142857142858, 117.6),
	(0, 0, 32.285714285714285, 0), (0, 0, 32, 0), (0, 0, 31.428571428571427, 0),
	(0, 0, 28.142857142857142, 0), (1, 4.857142857142857, 27.142857142857142, 20.07),
	(4, 19.142857142857142, 23.571428571428573, 19.572499999999998), (0, 0, 24.285714285714285, 0),
	(2, 22.285714285714285, 22.857142857142858, 29.284999999999997),
	(5, 19.428571428571427, 20.285714285714285, 58.73), (2, 10.857142857142858, 19, 26.395),
	(1, 13.285714285714286, 16.714285714285715, 37.13),
	(1, 2.7142857142857144, 17.428571428571427, 56.51), (1, 16.714285714285715, 17, 47.13),
	(0, 0, 16, 0), (2, 7.857142857142857, 15.285714285714286, 64.14), (0, 0, 14.142857142857142, 0),
	(1, 2.2857142857142856, 14, 70.55), (1, 5.428571428571429, 12.285714285714286, 34.73),
	(0, 0, 11.857142857142858, 0), (1, 5.714285714285714, 10, 65.87), (0, 0, 10.857142857142858, 0),
	(0, 0, 9.285714285714286, 0), (0, 0, 8, 0), (0, 0, 9.428571428571429, 0),
	(0, 0, 8.285714285714286, 0), (0, 0, 6.428571428571429, 0), (0, 0, 5, 0),
	(0, 0, 3.2857142857142856, 0), (0, 0, 1.7142857142857142, 0), (0, 0, 0.8571428571428571, 0);
SELECT * FROM pg_temp.fit_error('SELECT bgnbd_fit(x, tx, T) FROM demo200');
-- with penalizer 0.001 it converges, to lifetimes' penalized optimum:
-- references from lifetimes' objective written independently in Python
-- (numpy/scipy: the same formulas, times scaled by 1 / max(T), gradient by
-- complex step, minimised by scipy BFGS and polished by Newton until the
-- gradient is below 1e-14); log_likelihood() is the log-likelihood of the
-- data at the estimate, without the penalty
SELECT count(*) AS parameters,
	   count(*) FILTER (WHERE (abs(estimate / ref - 1) <= 1e-7) IS NOT TRUE) AS mismatches
FROM (SELECT bgnbd_fit(x, tx, T, 0.001) AS m FROM demo200) f, parameters(m)
	 JOIN (VALUES ('r', 0.48845162546163), ('alpha', 6.88739291816833),
				  ('a', 0.339754884743177), ('b', 1.66986295160216)) v(parameter, ref) USING (parameter);
SELECT (abs(log_likelihood(m) - -524.267255537046) <= 1e-6) IS TRUE AS ll_reference,
	   (abs(log_likelihood(m) - (SELECT sum(log_likelihood(m, x, tx, T)) FROM demo200)) <= 1e-9) IS TRUE AS ll_of_data
FROM (SELECT bgnbd_fit(x, tx, T, 0.001) AS m FROM demo200) f;
SELECT count(*) AS parameters,
	   count(*) FILTER (WHERE (abs(estimate / ref - 1) <= 1e-7) IS NOT TRUE) AS mismatches,
	   bool_and((abs(log_likelihood(m) - -204.571333978963) <= 1e-6) IS TRUE) AS ll_reference
FROM (SELECT gammagamma_fit(x, zbar, 0.001) AS m FROM demo200) f, parameters(m)
	 JOIN (VALUES ('p', 7.16055274765628), ('q', 1.53324505788855),
				  ('gamma', 7.35849982724627)) v(parameter, ref) USING (parameter);
-- a parallel penalized fit equals the serial one (the penalizer travels
-- with the partial states)
CREATE TABLE penfit AS SELECT bgnbd_fit(x, tx, T, 0.01) AS m FROM sim;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT bgnbd_fit(x, tx, T, 0.01) FROM sim;
SELECT bgnbd_fit(x, tx, T, 0.01)::text = (SELECT m::text FROM penfit) AS parallel_equals_serial,
	   bgnbd_fit(x, tx, T, 0.01)::text <> (SELECT m::text FROM fitted) AS penalized_differs
FROM sim;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
-- a bad penalizer
SELECT bgnbd_fit(x, tx, T, -0.001) FROM demo200;
SELECT bgnbd_fit(x, tx, T, 'NaN') FROM demo200;
SELECT gammagamma_fit(x, zbar, 'Infinity') FROM demo200;
SELECT bgnbd_fit(x, tx, T, p) FROM (VALUES (1, 2, 4, 0.1), (0, 0, 3, 0.2)) v(x, tx, T, p);
SELECT gammagamma_fit(x, z, p) FROM (VALUES (1, 2, 0.1), (0, 0, NULL)) v(x, z, p);
-- the penalizer is checked on rows the fit skips too
SELECT gammagamma_fit(x, z, p) FROM (VALUES (1, 2, 0.1), (NULL, NULL, -1)) v(x, z, p);
DROP TABLE demo200, penfit;
-- the fit takes log(alpha + t) row by row when few times repeat (sim above:
-- every time distinct) and from a table of the distinct times when many do
-- (sim rounded to half weeks here): both reach the maximum whose
-- log-likelihood is the customers' own sum, computed by another function
CREATE TABLE sim_rounded AS
	SELECT i, x, CASE WHEN x = 0 THEN 0 ELSE greatest(0.5, round(tx * 2) / 2) END AS tx, round(T * 2) / 2 AS T FROM sim;
SELECT count(DISTINCT tx) + count(DISTINCT T) AS distinct_times, count(*) AS customers FROM sim_rounded;
SELECT round((log_likelihood(m) - (SELECT sum(log_likelihood(m, x, tx, T)) FROM sim_rounded))::numeric, 6) AS difference,
	   bool_and((log_likelihood(m) > (SELECT sum(log_likelihood(bgnbd(r * f, alpha, a, b / f), x, tx, T)) FROM sim_rounded)) IS TRUE) AS is_maximum
FROM (SELECT bgnbd_fit(x, tx, T) AS m FROM sim_rounded) s,
	 LATERAL (SELECT max(estimate) FILTER (WHERE parameter = 'r') AS r,
					 max(estimate) FILTER (WHERE parameter = 'alpha') AS alpha,
					 max(estimate) FILTER (WHERE parameter = 'a') AS a,
					 max(estimate) FILTER (WHERE parameter = 'b') AS b
			  FROM parameters(m)) p,
	 (VALUES (0.99), (1.01)) v(f)
GROUP BY m;
DROP TABLE sim_rounded;
-- MBG/NBD (1.2, issue 21): 20,000 customers simulated from the MBG/NBD
-- process itself (as sim, with lambda ~ Gamma(2, 10) and p ~ Beta(2, 6),
-- but a customer may also leave before buying again at all: 0 repeat
-- purchases before leaving is possible); the fit recovers the parameters
-- and is the maximum (its log-likelihood is the customers' own sum,
-- computed by another function; moving any parameter 1% either way lowers it)
CREATE TABLE sim_mbg AS
WITH c AS (
	SELECT i, -(ln(pg_temp.u(i, 1)) + ln(pg_temp.u(i, 2))) / 10 AS lam,
		   ga / (ga + gb) AS p, 20 + 40 * pg_temp.u(i, 11) AS T
	FROM (SELECT i, -(ln(pg_temp.u(i, 3)) + ln(pg_temp.u(i, 4))) AS ga,
				 -(ln(pg_temp.u(i, 5)) + ln(pg_temp.u(i, 6)) + ln(pg_temp.u(i, 7)) +
				   ln(pg_temp.u(i, 8)) + ln(pg_temp.u(i, 9)) + ln(pg_temp.u(i, 10))) AS gb
		  FROM generate_series(1, 20000) i) g),
j AS (SELECT c.*, floor(ln(pg_temp.u(i, 12)) / ln(1 - p)) AS J FROM c),
arrivals AS (
	SELECT i, T, sum(-ln(pg_temp.u(i, 100 + k)) / lam) OVER (PARTITION BY i ORDER BY k) AS at
	FROM j, generate_series(1, least(J, ceil(3 * lam * T + 20))::int) k)
SELECT c.i, count(a.at)::double precision AS x, coalesce(max(a.at), 0) AS tx, c.T
FROM c LEFT JOIN arrivals a ON a.i = c.i AND a.at <= a.T
GROUP BY c.i, c.T;
SELECT parameter, abs(estimate - truth) < 3 * std_error AS within_3_se
FROM parameters((SELECT mbgnbd_fit(x, tx, T) FROM sim_mbg))
	 JOIN (VALUES ('r', 2), ('alpha', 10), ('a', 2), ('b', 6)) t(parameter, truth) USING (parameter);
SELECT round((log_likelihood(m) - (SELECT sum(log_likelihood(m, x, tx, T)) FROM sim_mbg))::numeric, 6) AS difference,
	   bool_and((log_likelihood(m) > (SELECT sum(log_likelihood(mbgnbd(r * f1, alpha * f2, a * f3, b * f4), x, tx, T)) FROM sim_mbg)) IS TRUE) AS is_maximum,
	   customers(m)
FROM (SELECT mbgnbd_fit(x, tx, T) AS m FROM sim_mbg) s,
	 LATERAL (SELECT * FROM estimates(m)) e,
	 (VALUES (1.01, 1, 1, 1), (0.99, 1, 1, 1), (1, 1.01, 1, 1), (1, 0.99, 1, 1),
			 (1, 1, 1.01, 1), (1, 1, 0.99, 1), (1, 1, 1, 1.01), (1, 1, 1, 0.99)) v(f1, f2, f3, f4)
GROUP BY m;
DROP TABLE sim_mbg;
-- customers simulated from a BG/NBD process (sim above: nobody leaves
-- before a first repeat) drive MBG/NBD's b to infinity: the error names it
-- and suggests the penalizer, with which the fit is found
SELECT mbgnbd_fit(x, tx, T) FROM sim;
SELECT round(b::numeric, 1) AS b, round(a::numeric, 2) AS a FROM estimates((SELECT mbgnbd_fit(x, tx, T, 0.001) FROM sim));
-- fit diagnostics (1.2, issue 21): <model>_fit_diagnostics reports the same
-- fit as <model>_fit: the same parameters, log-likelihood and iterations, a
-- covariance whose diagonal gives the standard errors, a gradient norm near 0
SELECT d.converged, d.status, d.iterations = (regexp_match(f::text, 'iterations=(\d+)'))[1]::int AS same_iterations,
	   d.parameters = ARRAY[e.r, e.alpha, e.a, e.b] AS same_parameters,
	   d.log_likelihood = log_likelihood(f) AS same_log_likelihood,
	   d.parameter_names,
	   (SELECT bool_and(abs(sqrt(d.covariance[i][i]) / se[i] - 1) < 1e-12)
		FROM generate_series(1, 4) i,
			 LATERAL (SELECT ARRAY[e.r_std_error, e.alpha_std_error, e.a_std_error, e.b_std_error] AS se) x) AS covariance_gives_std_errors,
	   d.covariance[1][2] = d.covariance[2][1] AS symmetric, d.gradient_norm < 1e-6 AS at_a_maximum
FROM (SELECT (bgnbd_fit_diagnostics(x, tx, T)).* FROM sim) d,
	 (SELECT bgnbd_fit(x, tx, T) AS f FROM sim) m, estimates(f) e;
-- penalized, and Gamma-Gamma
SELECT d.parameters = ARRAY[e.r, e.alpha, e.a, e.b] AS same_parameters,
	   d.log_likelihood = log_likelihood(f) AS same_log_likelihood, d.converged
FROM (SELECT (bgnbd_fit_diagnostics(x, tx, T, 0.01)).* FROM sim) d,
	 (SELECT bgnbd_fit(x, tx, T, 0.01) AS f FROM sim) m, estimates(f) e;
SELECT d.parameters = ARRAY[e.p, e.q, e.gamma] AS same_parameters,
	   d.log_likelihood = log_likelihood(f) AS same_log_likelihood, d.converged, d.parameter_names
FROM (SELECT (gammagamma_fit_diagnostics(x, zbar)).* FROM spend) d,
	 (SELECT gammagamma_fit(x, zbar) AS f FROM spend) m, estimates(f) e;
-- a fit that does not converge is reported, not raised: MBG/NBD on sim (b
-- runs off, as the error above says); no covariance; the gradient norm where
-- it stopped equals a central difference of the customers' summed
-- log-likelihood over the log-parameters (step 1e-4), divided by their
-- number, to 5%: with a and b near 1e5 the customers' log-gamma differences
-- keep about 1e-10 each, so a difference quotient is good to about 1% there
-- (a smaller step is noise)
CREATE TABLE mbg_diag AS SELECT (mbgnbd_fit_diagnostics(x, tx, T)).* FROM sim;
SELECT converged, status, covariance IS NULL AS no_covariance, parameters[4] > 1000 AS b_large,
	   abs(log_likelihood / (SELECT sum(log_likelihood(mbgnbd(parameters[1], parameters[2], parameters[3], parameters[4]), x, tx, T)) FROM sim) - 1) < 1e-12 AS log_likelihood_of_the_data
FROM mbg_diag;
SELECT abs(sqrt(g1 * g1 + g2 * g2 + g3 * g3 + g4 * g4) / gradient_norm - 1) < 0.05 AS gradient_norm_agrees
FROM (SELECT gradient_norm,
			 (sum(log_likelihood(mbgnbd(p[1] / e, p[2], p[3], p[4]), x, tx, T)) -
			  sum(log_likelihood(mbgnbd(p[1] * e, p[2], p[3], p[4]), x, tx, T))) / (2e-4 * count(*)) AS g1,
			 (sum(log_likelihood(mbgnbd(p[1], p[2] / e, p[3], p[4]), x, tx, T)) -
			  sum(log_likelihood(mbgnbd(p[1], p[2] * e, p[3], p[4]), x, tx, T))) / (2e-4 * count(*)) AS g2,
			 (sum(log_likelihood(mbgnbd(p[1], p[2], p[3] / e, p[4]), x, tx, T)) -
			  sum(log_likelihood(mbgnbd(p[1], p[2], p[3] * e, p[4]), x, tx, T))) / (2e-4 * count(*)) AS g3,
			 (sum(log_likelihood(mbgnbd(p[1], p[2], p[3], p[4] / e), x, tx, T)) -
			  sum(log_likelihood(mbgnbd(p[1], p[2], p[3], p[4] * e), x, tx, T))) / (2e-4 * count(*)) AS g4
	  FROM (SELECT gradient_norm, parameters AS p, exp(1e-4::float8) AS e FROM mbg_diag) d, sim
	  GROUP BY gradient_norm) g;
DROP TABLE mbg_diag;
-- NULLs and errors as the fits': no rows give NULL, data the fit refuses raise
SELECT bgnbd_fit_diagnostics(x, tx, T) IS NULL AS no_rows FROM sim WHERE false;
SELECT bgnbd_fit_diagnostics(x, tx, T) FROM (VALUES (0.0, 0.0, 2.0)) v(x, tx, T);
SELECT gammagamma_fit_diagnostics(x, z) FROM (VALUES (1.0, -5.0)) v(x, z);
DROP TABLE cust, sim, fitted, spend, ggfit, models, models_copy;

-- robustness (issue 16)
--
-- References computed offline with mpmath at 60 digits from the textbook
-- form E[X(t)] = c/(a-1) (1 - (alpha/(alpha+t))^r 2F1(r, b; c; t/(alpha+t))),
-- c = a+b-1 (mp.hyp2f1; for a + b = 1, b + 1e-50; for x = 100000 Euler's
-- transform u^(a-1) 2F1(c-r, a-1; c; z), the same function), and
-- P(X(t) = x) with P(N >= x) = mp.betainc(x, r, 0, z, regularized=True).
--
-- E[X(t)] with large a and b (22003 before): bgnbd(0.5,5,400,4000) at 26 is
-- 1.9360543950974063, bgnbd(1,1,500,500) at 26 is 1.8587467128431932, the
-- model fitted to demo data at 40 and 52 is 2.4309914933736229 and
-- 2.9306558944236335, CDNOW's at 39 is 1.1950077861639148
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE (abs(expected_purchases(bgnbd(r, alpha, a, b), t) - ref) <= 1e-12 * ref) IS NOT TRUE) AS mismatches
FROM (VALUES (0.5, 5, 400, 4000, 26, 1.9360543950974063),
			 (1, 1, 500, 500, 26, 1.8587467128431932),
			 (0.6710755689373259, 8.094148152971334, 406.141574051101, 4103.12532324767, 40, 2.4309914933736229),
			 (0.6710755689373259, 8.094148152971334, 406.141574051101, 4103.12532324767, 52, 2.9306558944236335),
			 (0.242594, 4.413643, 0.792923, 2.425965, 39, 1.1950077861639148)) v(r, alpha, a, b, t, ref);
-- a customer of that model: x = 3, t_x = 20, T = 30 gives 2.9557706953292309529;
-- x = 100000, t_x = T = 30 gives 256.95246301757505865
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE (abs(expected_purchases(bgnbd(0.6710755689373259, 8.094148152971334, 406.141574051101, 4103.12532324767),
												 52, x, tx, 30) - ref) <= 1e-12 * ref) IS NOT TRUE) AS mismatches
FROM (VALUES (3, 20, 2.9557706953292309529), (100000, 30, 256.95246301757505865)) v(x, tx, ref);
-- predicted_clv of that model, which failed the same way, is finite
SELECT predicted_clv(bgnbd(0.6710755689373259, 8.094148152971334, 406.141574051101, 4103.12532324767),
					 gammagamma(6.25, 3.74, 15.44), 0, 0, 2.57, 0, 12, 4.35, 0.01) > 0 AS clv_positive;
-- a + b = 1 (a + b - 1 = 0) is a valid model, not an error: 0.85552417488086495
SELECT abs(expected_purchases(bgnbd(0.5, 1, 0.5, 0.5), 3) - 0.85552417488086495) <= 1e-12 AS c_zero_ok;
-- every expectation is the mean of the distribution of X(t): sum x P(X(t) = x)
-- (purchase_probability goes through the incomplete beta function, another formula)
SELECT abs(expected_purchases(bgnbd(1, 1, 500, 500), 26) -
		   (SELECT sum(x * purchase_probability(bgnbd(1, 1, 500, 500), 26, x)) FROM generate_series(1, 400) x)) <= 1e-12 AS mean_of_distribution;
-- a horizon far beyond alpha: P(X(1e17) = x) in constant time (it ran until
-- cancelled): 0.99962347018623508708, 0.000099922174906772272587 and
-- 2.0611772232178495958e-9 for x = 0, 1 and 1000
SET statement_timeout = '5s';
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE (abs(purchase_probability(bgnbd(1e-5, 4.41, 0.79, 2.43), 1e17, x) - ref) <= 1e-9 * ref) IS NOT TRUE) AS mismatches
FROM (VALUES (0, 0.99962347018623508708), (1, 0.000099922174906772272587), (1000, 2.0611772232178495958e-9)) v(x, ref);
-- the large model: 0.13874241416883949732 for x = 2 at 52; CDNOW at 39 for x = 0..3
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE (abs(purchase_probability(bgnbd(r, alpha, a, b), t, x) - ref) <= 1e-10 * ref) IS NOT TRUE) AS mismatches
FROM (VALUES (0.6710755689373259, 8.094148152971334, 406.141574051101, 4103.12532324767, 52, 2, 0.13874241416883949732),
			 (0.242594, 4.413643, 0.792923, 2.425965, 39, 0, 0.57430901650976384037),
			 (0.242594, 4.413643, 0.792923, 2.425965, 39, 1, 0.19919081085083761478),
			 (0.242594, 4.413643, 0.792923, 2.425965, 39, 2, 0.085322666353768872885),
			 (0.242594, 4.413643, 0.792923, 2.425965, 39, 3, 0.045797555044520240209)) v(r, alpha, a, b, t, x, ref);
-- the probabilities of 0..2000 purchases add up to 1 (the rest is below 1e-40)
SELECT count(*) AS models,
	   count(*) FILTER (WHERE (abs(1 - (SELECT sum(purchase_probability(m, t, x)) FROM generate_series(0, 2000) x)) <= 1e-11) IS NOT TRUE) AS mismatches
FROM (VALUES (bgnbd(0.242594, 4.413643, 0.792923, 2.425965), 39),
			 (bgnbd(0.6710755689373259, 8.094148152971334, 406.141574051101, 4103.12532324767), 52)) v(m, t);
-- t / alpha = 1e600 overflows and u = alpha/(alpha+t) underflows to 0, while
-- u^r = exp(r ln u) = exp(-1.4e-297) = 1 for r = 1e-300: P(X = 0) = u^r = 1 and
-- P(X = 1) = B(a, b+1)/B(a, b) r u^r z + B(a+1, b)/B(a, b) (1 - u^r)
--          = b/(a+b) r + a/(a+b) 1.4e-297 = 1e-300 (0 and 1e-295 before)
SELECT purchase_probability(bgnbd(1e-300, 1e-300, 1e-300, 1e-5), 1e300, 0) AS p0,
	   abs(purchase_probability(bgnbd(1e-300, 1e-300, 1e-300, 1e-5), 1e300, 1) - 1e-300) <= 1e-12 * 1e-300 AS p1_ok;
-- beyond any series (54000 "prediction horizon is too long" in 1.1, past
-- 10^7 terms): the integral over the dropout probability, in bounded time
-- (issue 21).  References: r = 1e300, a = b = 1, t = alpha gives
-- int_0^1 (1 - (1+p)^-r) / p dp = ln 1e300 + Euler's gamma + O(1/r) =
-- 691.35274356311523812; mpmath (the integral, 40 digits) 12094.483422012053826
-- for the CDNOW model at 1e17 and 19622.172882324373333 for a customer
-- (1, 1, 2) there; CLV over 3 periods of 1e15 at 1%, spend p gamma/(q-1):
-- 159002.06094444253782
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE (abs(v - ref) <= 1e-12 * ref) IS NOT TRUE) AS mismatches
FROM (VALUES (expected_purchases(bgnbd(1e300, 1, 1, 1), 1), 691.35274356311523812),
			 (expected_purchases(bgnbd(0.242594, 4.413643, 0.792923, 2.425965), 1e17), 12094.483422012053826),
			 (expected_purchases(bgnbd(0.242594, 4.413643, 0.792923, 2.425965), 1e17, 1, 1, 2), 19622.172882324373333),
			 (predicted_clv(bgnbd(0.242594, 4.413643, 0.792923, 2.425965), gammagamma(6.25, 3.74, 15.44),
							0, 0, 10, 0, 3, 1e15, 0.01), 159002.06094444253782)) v(v, ref);
-- 100,000 periods of such horizons take seconds, and can be cancelled
SET statement_timeout = '200ms';
SELECT predicted_clv(bgnbd(0.242594, 4.413643, 0.792923, 2.425965), gammagamma(6.25, 3.74, 15.44),
					 0, 0, 10, 0, 100000, 100, 0.01);
SET statement_timeout = '5s';
-- while a customer with 1000 purchases needs a few terms at that horizon:
-- 3.2062439807593733468e-64 (mpmath, Euler's transform)
SELECT abs(expected_purchases(bgnbd(0.242594, 4.413643, 0.792923, 2.425965), 1e17, 1000, 1, 2)
		   - 3.2062439807593733468e-64) <= 1e-12 * 3.2062439807593733468e-64 AS many_purchases_ok;
-- c - s < 0 with many purchases: r = a + b makes c - s = -1 and, with a = 1,
-- E[Y(t) | x, T, T] = ((b + x) ln(1 + t/(alpha+T)) + t/(alpha+T+t)) / (1 + a/(b+x-1)),
-- summed here in numeric
SELECT abs(expected_purchases(bgnbd(2, 1, 1, 1), 52, 1e9, 30, 30) -
		   ((1e9 + 1) * ln(83 / 31::numeric) + 52 / 83::numeric) / (1 + 1e-9::numeric)) <= 1e-12 * 984853403.9 AS negative_c_minus_s_ok;
-- a huge horizon (t / alpha overflows) with a = b = r = 1 has the closed form
-- E[X(t)] = ln(1 + t / alpha) = ln(1e300) + ln(1e300) (it was 22003)
SELECT abs(expected_purchases(bgnbd(1, 1e-300, 1, 1), 1e300) - 2 * ln(1e300::float8)) <= 1e-12 * 1381.55 AS closed_form_ok;
-- b + x - 1 with b = 1e-300 and x = 1 is b, not 0 (22003 before):
-- P(X(1) = 1) = B(a, b+1)/B(a, b) r u^r z + B(a+1, b)/B(a, b) (1 - u^r), with
-- r = alpha = 1, a = 1: b/(b+1) 1/4 + 1/(1+b) 1/2 = 0.5
SELECT abs(purchase_probability(bgnbd(1, 1, 1, 1e-300), 1, 1) - 0.5) <= 1e-15 AS tiny_b_ok;
-- P(alive) with a/(b+x-1) underflowing against a power overflowing (22003
-- before): 1/(1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)) = 1/(1 + 1e-600 (5e299)^3)
SELECT abs(p_alive(bgnbd(1e-300, 1e-300, 1e-300, 1e300), 3, 2, 1e300) - 1 / (1 + 1.25e299))
	   <= 1e-12 * 8e-300 AS p_alive_ok;
-- a tiny r: to first order in r (and with a tiny a, nobody drops out)
-- E[X(t)] = r t / alpha = 1e-295 (it was 1.455e-11): terms far below the
-- smallest normal double keep their digits
SELECT abs(expected_purchases(bgnbd(1e-300, 1e-5, 1e-300, 1e-5), 1) - 1e-295) <= 1e-9 * 1e-295 AS tiny_r_ok;
RESET statement_timeout;
-- never -0: a short horizon with a < 1 gave -0; E[X(t)] is r t / alpha there
SELECT expected_purchases(bgnbd(0.5, 1, 0.75, 1), 1e-300)::text AS short_horizon,
	   abs(expected_purchases(bgnbd(0.5, 1, 0.75, 1), 1e-300) - 0.5e-300) <= 1e-315 AS is_r_t_over_alpha;
SELECT log_likelihood('(v=1,p=1,q=2,gamma=3,customers=10,ll=-0,iterations=3,cov=[1,0,1,0,0,1])'::gammagamma)::text AS ll;
-- a standard error too large for a double is NULL, never Infinity; -0 is 0
SELECT parameter, std_error
FROM parameters('(v=1,r=1e300,alpha=1,a=1,b=1,customers=10,ll=-5,iterations=3,cov=[1e300,0,1,0,0,1,0,0,0,-0])'::bgnbd);
-- lossless text form: send(x) = send(in(out(x))) with extreme doubles
SELECT count(*) AS models,
	   count(*) FILTER (WHERE bgnbd_send(m) IS DISTINCT FROM bgnbd_send(m::text::bgnbd)) AS mismatches
FROM (VALUES ('(v=1,r=1.7976931348623157e308,alpha=5e-324,a=2.2250738585072014e-308,b=0.1,customers=9223372036854775807,ll=-1.7976931348623157e308,iterations=2147483647,cov=[5e-324,-0,1.7976931348623157e308,-1e-300,4.9e-324,0,1,-2.2250738585072009e-308,3,0.30000000000000004])'::bgnbd),
			 (bgnbd(0.1 + 0.2, 1e-310, 123456789.12345678, 1))) v(m);
SELECT count(*) AS models,
	   count(*) FILTER (WHERE gammagamma_send(m) IS DISTINCT FROM gammagamma_send(m::text::gammagamma)) AS mismatches
FROM (VALUES ('(v=1,p=1.7976931348623157e308,q=5e-324,gamma=0.30000000000000004,customers=1,ll=-0,iterations=0,cov=[5e-324,-0,1e308,-1e-320,0,2.2250738585072014e-308])'::gammagamma),
			 (gammagamma(1e-300, 3, 7))) v(m);
-- review of the merged fixes: a negative sum of the complement series was
-- scaled up twice and overflowed (22003); mpmath (80 digits, a = 1 as the
-- mean of a = 1 +- 1e-30): E[X(3)] = 0.0044999989875340503, E[X(5)] =
-- 0.0074999971875951467
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE (abs(expected_purchases(bgnbd(15000, 1e7, 1, 10000), t) - ref) <= 1e-9 * ref) IS NOT TRUE) AS mismatches
FROM (VALUES (3, 0.0044999989875340503), (5, 0.0074999971875951467)) v(t, ref);
-- lgamma(r + x) - lgamma(r) for a huge r lost its digits (0.426 at 1e14,
-- 0.054 at 1e15): Stirling's series there; mpmath: 0.49999999999981606 at
-- r = alpha = 1e12, 0.4999999999999982 at 1e14, 0.49999999999999982 at 1e15
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE (abs(purchase_probability(bgnbd(r, r, 1, 1), 1, 1) - ref) <= 1e-9) IS NOT TRUE) AS mismatches
FROM (VALUES (1e12, 0.49999999999981606), (1e14, 0.4999999999999982), (1e15, 0.49999999999999982)) v(r, ref);
-- a horizon past the range of doubles dropped its periods silently (NaN
-- increments counted as 0): an error now
SELECT predicted_clv(bgnbd(0.5, 1, 0.5, 1), gammagamma(1, 2, 1), 0, 0, 0, 0, 1000, 1e306, 0);

--
-- MBG/NBD (1.2, issue 21): Batislam, Denizel and Filiztekin (2007), as
-- lifetimes' ModifiedBetaGeoFitter and BTYDplus' mbgnbd define it.  Values
-- from the model's closed forms in mpmath at 50 digits
-- (test/reference/mbgnbd_values.py): model 1 is the published CDNOW fit
-- (BTYDplus, r 0.525, alpha 6.183, a 0.891, b 1.614), model 2 has b < 1
-- and a > 1; customers without repeats have P(alive) < 1 here (unlike
-- BG/NBD), and their expectation is scaled by it.
--
CREATE TABLE mbg_ref (m int, x float8, tx float8, T float8, ll float8, p_alive float8, e39 float8);
INSERT INTO mbg_ref VALUES
(1, 0.0, 0.0, 38.86, -0.53983746353101455604, 0.38973508091876290083, 0.15401274667514667952),
(1, 2.0, 30.43, 38.86, -9.4855513145339315392, 0.70620226511848727576, 1.2629606232673656765),
(1, 7.0, 35.5, 39.0, -22.099788424535055049, 0.84051667411482273272, 4.2648068726955806529),
(1, 1.0, 1.71, 38.86, -4.4603606125843175884, 0.17083648431040802984, 0.18883654136434289011),
(2, 0.0, 0.0, 38.86, -0.066005314914350167537, 0.0029830982663831816452, 0.0024851470705058522957),
(2, 2.0, 30.43, 38.86, -12.677420975082268668, 0.23158540823207423271, 0.34881839793612418051),
(2, 7.0, 35.5, 39.0, -26.816024666847965119, 0.51531189846584527621, 1.5897650065109950765),
(2, 1.0, 1.71, 38.86, -5.0915396060068113906, 0.0048924039412338056167, 0.005756310541251378355);
CREATE TABLE mbg_models (m int, model mbgnbd);
INSERT INTO mbg_models VALUES (1, mbgnbd(0.525, 6.183, 0.891, 1.614)), (2, mbgnbd(2, 10, 3.5, 0.25));
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE abs(log_likelihood(model, x, tx, T) / ll - 1) > 1e-9) AS ll_off,
	   count(*) FILTER (WHERE abs(p_alive(model, x, tx, T) / r.p_alive - 1) > 1e-9) AS p_alive_off,
	   count(*) FILTER (WHERE abs(expected_purchases(model, 39, x, tx, T) / e39 - 1) > 1e-9) AS expected_off
FROM mbg_ref r JOIN mbg_models USING (m);
SELECT m, t, abs(expected_purchases(model, t) / ref - 1) <= 1e-9 AS matches
FROM mbg_models JOIN (VALUES (1, 1, 0.053084795263701838189), (1, 39, 1.1829536655971726405),
							 (1, 520, 4.4144453267990473208), (2, 1, 0.011999195512754350971),
							 (2, 39, 0.090190360462480676014), (2, 520, 0.099838489278717035327)) v(m, t, ref) USING (m)
ORDER BY m, t;
-- the text, binary and JSON forms; equality
SELECT model::text, model::text::mbgnbd = model AS text_round_trip,
	   mbgnbd_recv_check.ok AS binary_round_trip, model::jsonb -> 'parameters' ->> 'b' AS json_b
FROM mbg_models,
	 LATERAL (SELECT mbgnbd_send(model) = mbgnbd_send(model::text::mbgnbd) AS ok) mbgnbd_recv_check
WHERE m = 2;
-- NULLs and errors: no rows, NULL rows, no repeat buyer, bad parameters and data
SELECT mbgnbd_fit(x, tx, T) IS NULL AS no_rows FROM (VALUES (1.0, 1.0, 2.0)) v(x, tx, T) WHERE false;
SELECT mbgnbd_fit(x, tx, T) IS NULL AS null_rows FROM (VALUES (NULL::float8, 1.0, 2.0)) v(x, tx, T);
SELECT mbgnbd_fit(x, tx, T) FROM (VALUES (0.0, 0.0, 2.0)) v(x, tx, T);
SELECT mbgnbd_fit(x, tx, T, -1) FROM (VALUES (1.0, 1.0, 2.0)) v(x, tx, T);
SELECT mbgnbd(0, 1, 1, 1);
SELECT p_alive(mbgnbd(1, 1, 1, 1), 1, 3, 2);
SELECT expected_purchases(mbgnbd(1, 1, 1, 1), -1);
DROP TABLE mbg_ref, mbg_models;
--
-- predicted_clv with MBG/NBD and Pareto/NBD purchases (1.2, issue 21): the
-- discounted sum of Gamma-Gamma spend times each period's increment of the
-- model's expected purchases, written in SQL from expected_purchases and
-- expected_spend; customers with and without repeat purchases
--
WITH m AS (SELECT mbgnbd(0.525, 6.183, 0.891, 1.614) AS mb, paretonbd(0.553, 10.578, 0.606, 11.669) AS pn,
				  gammagamma(6.25, 3.74, 15.44) AS gg),
c AS (SELECT * FROM (VALUES (2.0, 30.43, 38.86, 30.0), (0.0, 0.0, 38.86, 0.0), (7.0, 35.5, 39.0, 12.5)) v(x, tx, T, zbar))
SELECT c.x,
	   abs(predicted_clv(mb, gg, x, tx, T, zbar, 12, 4.345, 0.01) /
		   (SELECT sum(expected_spend(gg, x, zbar) * (expected_purchases(mb, i * 4.345, x, tx, T) -
													  expected_purchases(mb, (i - 1) * 4.345, x, tx, T)) / 1.01 ^ i)
			FROM generate_series(1, 12) i) - 1) < 1e-12 AS mbgnbd_agrees,
	   abs(predicted_clv(pn, gg, x, tx, T, zbar, 12, 4.345, 0.01) /
		   (SELECT sum(expected_spend(gg, x, zbar) * (expected_purchases(pn, i * 4.345, x, tx, T) -
													  expected_purchases(pn, (i - 1) * 4.345, x, tx, T)) / 1.01 ^ i)
			FROM generate_series(1, 12) i) - 1) < 1e-12 AS paretonbd_agrees,
	   predicted_clv(mb, gg, x, tx, T, zbar, 0, 4.345, 0.01) AS no_periods
FROM m, c ORDER BY c.x;
SELECT predicted_clv(mbgnbd(1, 1, 1, 1), gammagamma(6.25, 3.74, 15.44), 1, 3, 2, 10, 12, 1, 0);
SELECT predicted_clv(paretonbd(1, 1, 1, 1), gammagamma(6.25, 3.74, 15.44), 1, 1, 2, 10, 100001, 1, 0);
-- purchase_probability(mbgnbd) against P(X(t) = n) written from the model
-- (a customer gone at time 0 buys nothing; otherwise n purchases and still
-- there, or gone after the n-th), in mpmath at 50 digits
-- (test/reference/mbgnbd_values.py); the probabilities sum to 1 and their
-- mean is expected_purchases(mbgnbd, t)
WITH m(k, model) AS (VALUES (1, mbgnbd(0.525, 6.183, 0.891, 1.614)), (2, mbgnbd(2, 10, 3.5, 0.25))),
ref(k, t, n, p) AS (VALUES
	(1, 1, 0, 0.95123395449165930582), (1, 1, 1, 0.044859520780194292342),
	(1, 39, 0, 0.58247318949328896996), (1, 39, 2, 0.086894825673490519206),
	(1, 39, 10, 0.0036261877952900275919), (1, 520, 5, 0.031055238151955213101),
	(2, 1, 0, 0.98842975206611570248), (2, 1, 1, 0.011161638129885193826),
	(2, 39, 0, 0.93610995418575593503), (2, 39, 2, 0.010069488876083336807),
	(2, 39, 10, 0.00002725742966775119407), (2, 520, 5, 0.00072347875151337158344))
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE abs(purchase_probability(model, t, n) / p - 1) > 1e-9) AS mismatches
FROM ref JOIN m USING (k);
SELECT k, abs(sum(purchase_probability(model, 39, n)) - 1) < 1e-9 AS sums_to_1,
	   abs(sum(n * purchase_probability(model, 39, n)) / expected_purchases(model, 39) - 1) < 1e-9 AS mean_is_expected
FROM (VALUES (1, mbgnbd(0.525, 6.183, 0.891, 1.614)), (2, mbgnbd(2, 10, 3.5, 0.25))) m(k, model),
	 generate_series(0, 400) n
GROUP BY k, model ORDER BY k;
SELECT purchase_probability(mbgnbd(1, 1, 1, 1), 1, 1.5);
