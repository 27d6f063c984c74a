--
-- Classifier quality (issue 24): classifier_agg(score, outcome) ->
-- classifier_summary; auc, auc_std_error, auc_ci, lift_table, log_loss,
-- brier_score, positives, negatives, unnest; the aggregates auc, log_loss
-- and brier_score of (score, outcome).
--
-- Expected values: small cases worked by hand (in the comments); the DeLong
-- standard errors and logit intervals of two small cases computed offline
-- with mpmath at 40 digits from the pairwise definition (DeLong, DeLong and
-- Clarke-Pearson 1988: psi(x, y) = 1, 1/2, 0 over every (positive,
-- negative) pair, the structural components as row means of the psi
-- matrix, their sample variances), numbers quoted below; on generated data
-- the plain-SQL idioms: the rank-sum AUC with average ranks for ties (window
-- functions), the log loss and the Brier score as avg() over the rows, the
-- lift table from ntile() (distinct scores) and from an overlap join
-- (tied scores), and DeLong's components from per-row counts.
--
SET extra_float_digits = 0;

-- the SQLSTATE, message and detail of a statement's error
CREATE FUNCTION err(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	st text;
	msg text;
	det text;
BEGIN
	EXECUTE stmt;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
	RETURN st || ': ' || msg || coalesce(' (' || nullif(det, '') || ')', '');
END $$;

--
-- Hand-worked cases
--

-- C1, 3 positives (0.9, 0.7, 0.5) and 3 negatives (0.6, 0.3, 0.5).  Pairs
-- won by the positive: 0.9 beats all 3, 0.7 all 3, 0.5 beats 0.3 and ties
-- 0.5 (1.5): U = 7.5, AUC = 7.5 / 9 = 5/6.  DeLong: V10 = 1, 1, 1/2 and
-- V01 (0.6, 0.3, 0.5) = 2/3, 1, 5/6; S10 = (1/36 + 1/36 + 4/36) / 2 = 1/12,
-- S01 = (1/36 + 1/36 + 0) / 2 = 1/36, var = 1/36 + 1/108 = 1/27,
-- SE = sqrt(1/27) = 0.19245008972987525484 (mpmath: the same).  Logit
-- interval, mpmath: 95% (0.24854865364827357609, 0.98694243008981914279),
-- 90% (0.33855548037736193032, 0.97993705885479619834).
CREATE TABLE c1 (score float8, outcome boolean);
INSERT INTO c1 VALUES (0.9, true), (0.7, true), (0.5, true), (0.6, false), (0.3, false), (0.5, false);
SELECT s, auc(s) AS auc, positives(s), negatives(s),
	   round(auc_std_error(s)::numeric, 15) AS se,
	   round((auc_ci(s)).lower::numeric, 15) AS lower95, round((auc_ci(s)).upper::numeric, 15) AS upper95,
	   (abs(auc(s) - 5 / 6.0) < 1e-15 AND abs(auc_std_error(s) - sqrt(1 / 27.0)) < 1e-15
		AND abs(auc_std_error(s) - 0.19245008972987525484) < 1e-15
		AND abs((auc_ci(s)).lower - 0.24854865364827357609) < 1e-14
		AND abs((auc_ci(s)).upper - 0.98694243008981914279) < 1e-14
		AND abs((auc_ci(s, 0.9)).lower - 0.33855548037736193032) < 1e-14
		AND abs((auc_ci(s, 0.9)).upper - 0.97993705885479619834) < 1e-14
		AND positives(s) = 3 AND negatives(s) = 3) IS TRUE AS agrees
FROM (SELECT classifier_agg(score, outcome) AS s FROM c1) q;
-- the aggregate of one number gives the same; the input order does not matter
SELECT auc(score, outcome) = 5 / 6.0::float8 AS auc_agrees,
	   (SELECT classifier_agg(score, outcome ORDER BY score) = classifier_agg(score, outcome ORDER BY score DESC) FROM c1) AS order_free
FROM c1;

-- C2, ties: positives (0.8, 0.8, 0.4, 0.2), negatives (0.8, 0.4, 0.4, 0.1,
-- 0.2).  Each 0.8 positive beats 4 and ties 1 (4.5, twice); 0.4 beats 2,
-- ties 2 (3); 0.2 beats 1, ties 1 (1.5): U = 13.5, AUC = 13.5 / 20 = 0.675.
-- mpmath: SE 0.19284060775676890611, 95% (0.2705152433574471191,
-- 0.92083780323088535883), 90% (0.32849194830999972014, 0.89814567736549873501)
SELECT auc(s), round(auc_std_error(s)::numeric, 15) AS se, auc_ci(s, 0.9),
	   (auc(s) = 0.675 AND abs(auc_std_error(s) - 0.19284060775676890611) < 1e-15
		AND abs((auc_ci(s)).lower - 0.2705152433574471191) < 1e-14
		AND abs((auc_ci(s)).upper - 0.92083780323088535883) < 1e-14
		AND abs((auc_ci(s, 0.9)).lower - 0.32849194830999972014) < 1e-14
		AND abs((auc_ci(s, 0.9)).upper - 0.89814567736549873501) < 1e-14) IS TRUE AS agrees
FROM (SELECT classifier_agg(score, outcome) AS s
	  FROM (VALUES (0.8, true), (0.8, true), (0.4, true), (0.2, true), (0.8, false), (0.4, false),
				   (0.4, false), (0.1, false), (0.2, false)) v(score, outcome)) q;

-- C3, all tied: every pair ties, AUC 1/2; every component is 1/2, so the
-- DeLong variance is 0 and the interval the point
SELECT auc(s), auc_std_error(s), auc_ci(s), s
FROM (SELECT classifier_agg(0.3, outcome) AS s
	  FROM (VALUES (true), (true), (false), (false), (false)) v(outcome)) q;
-- C4, perfect separation: AUC 1, variance 0; inverted: AUC 0
SELECT auc(s), auc_std_error(s), auc_ci(s)
FROM (SELECT classifier_agg(score, outcome) AS s
	  FROM (VALUES (0.9, true), (0.8, true), (0.2, false), (0.1, false)) v(score, outcome)) q;
SELECT auc(score, outcome) AS separated, auc(-score, outcome) AS inverted
FROM (VALUES (0.9, true), (0.8, true), (0.2, false), (0.1, false)) v(score, outcome);
-- C5, one class only: no AUC, no standard error, no interval (NULL, not an
-- error); log loss and Brier are defined: -ln(0.9) and (1 - 0.9)^2 = 0.01
SELECT auc(s) IS NULL AS no_auc, auc_std_error(s) IS NULL AS no_se, auc_ci(s) IS NULL AS no_ci,
	   abs(log_loss(s) + ln(0.9)) < 1e-15 AS log_loss_agrees, round(brier_score(s)::numeric, 15) AS brier,
	   positives(s), negatives(s)
FROM (SELECT classifier_agg(0.9, true) AS s FROM generate_series(1, 4)) q;
SELECT auc(score, outcome) IS NULL AS one_class_auc FROM (VALUES (0.1, false), (0.7, false)) v(score, outcome);
-- C6, one positive and one negative: AUC, but no sample variance (NULL SE)
SELECT auc(s), auc_std_error(s), auc_ci(s)
FROM (SELECT classifier_agg(score, outcome) AS s FROM (VALUES (0.4, true), (0.6, false)) v(score, outcome)) q;
-- C7, two of each class, one tie: U = 1 + 1 + 0.5 (0.5 ties 0.5) + 0 = ...
-- positives (0.9, 0.5), negatives (0.5, 0.7): 0.9 beats both (2), 0.5 ties
-- 0.5 (0.5): U = 2.5, AUC = 0.625; V10 = 1, 0.25; V01 (0.5, 0.7) = 0.75,
-- 0.5; S10 = (0.375^2 + 0.375^2) / 1 = 0.28125, S01 = (0.125^2 + 0.125^2)
-- = 0.03125; var = (0.28125 + 0.03125) / 2 = 0.15625, SE = 0.395284707521047
SELECT auc(s), round(auc_std_error(s)::numeric, 15) AS se,
	   abs(auc_std_error(s) - sqrt(0.15625)) < 1e-15 AS agrees
FROM (SELECT classifier_agg(score, outcome) AS s FROM (VALUES (0.9, true), (0.5, true), (0.5, false), (0.7, false)) v(score, outcome)) q;

-- log loss and Brier by hand: p = 0.8 positive, 0.2 negative, 0.6 negative:
-- log loss = -(ln 0.8 + ln 0.8 + ln 0.4) / 3, Brier = (0.04 + 0.04 + 0.36) / 3
SELECT abs(log_loss(score, outcome) + (ln(0.8) + ln(0.8) + ln(0.4)) / 3) < 1e-15 AS log_loss_agrees,
	   abs(brier_score(score, outcome) - 0.44 / 3) < 1e-15 AS brier_agrees
FROM (VALUES (0.8, true), (0.2, false), (0.6, false)) v(score, outcome);
-- clipping: p = 1 for a negative row and p = 0 for a positive one cost
-- -ln(eps) each, eps = 2^-52 (52 ln 2 = 36.04365338911715); p = 1 for a
-- positive costs -ln(1 - eps) = eps (to double precision)
SELECT log_loss(score, outcome) AS clipped, abs(log_loss(score, outcome) - 52 * ln(2::float8)) < 1e-12 AS agrees
FROM (VALUES (1.0, false), (0.0, true)) v(score, outcome);
SELECT log_loss(1.0, true) AS near_zero, abs(log_loss(1.0, true) - 2 ^ -52::float8) < 1e-30 AS agrees,
	   brier_score(1.0, true) AS brier_zero;

-- NULLs: a row with a NULL score or outcome is skipped; no rows left, or
-- none at all, give NULL; readers are strict
SELECT classifier_agg(score, outcome) AS s, auc(score, outcome)
FROM (VALUES (0.9, true), (NULL, false), (0.2, NULL), (0.1, false)) v(score, outcome);
SELECT classifier_agg(score, outcome) IS NULL AS all_null, auc(score, outcome) IS NULL AS auc_null,
	   log_loss(score, outcome) IS NULL AS log_loss_null, brier_score(score, outcome) IS NULL AS brier_null
FROM (VALUES (NULL::float8, true), (0.5, NULL::boolean)) v(score, outcome);
SELECT classifier_agg(score, outcome) IS NULL AS empty, auc(score, outcome) IS NULL AS auc_empty
FROM c1 WHERE false;
SELECT auc(NULL::classifier_summary) IS NULL AS strict_auc,
	   (SELECT count(*) FROM lift_table(NULL::classifier_summary)) AS lift_rows;
-- one row
SELECT classifier_agg(0.25, true) AS one_row, auc(0.25, true) IS NULL AS no_auc,
	   log_loss(0.25, true) = -ln(0.25::float8) AS log_loss_agrees, brier_score(0.25, true) AS brier;
-- -0 and 0 are one score
SELECT classifier_agg(score, outcome) AS s, auc(score, outcome)
FROM (VALUES (-0.0::float8, true), (0.0::float8, false)) v(score, outcome);

--
-- Against plain SQL on generated data: 60,000 rows in 40 groups, scores
-- rounded to two decimals (many ties), the outcome more likely at higher
-- scores; group 0 has no positive row, group 1 a single row per class
--
CREATE TABLE gen AS
SELECT g, score, outcome
FROM (SELECT i % 40 AS g,
			 round(((abs(hashint4(i)) % 1000) / 1000.0)::numeric, 2)::float8 AS score,
			 (abs(hashint4(i * 7 + 3)) % 1000) / 1000.0 < 0.15 + 0.6 * ((abs(hashint4(i)) % 1000) / 1000.0) AS outcome
	  FROM generate_series(1, 60000) i) s
WHERE NOT (g = 0 AND outcome);
DELETE FROM gen WHERE g = 1;
INSERT INTO gen VALUES (1, 0.3, true), (1, 0.6, false);
-- NULL rows, which everything below must ignore
INSERT INTO gen SELECT g, NULL, true FROM generate_series(0, 39) g;
INSERT INTO gen SELECT g, 0.5, NULL FROM generate_series(0, 39) g;
ANALYZE gen;
CREATE TABLE gen_states AS SELECT g, classifier_agg(score, outcome) AS s FROM gen GROUP BY g;

-- rank-sum: AUC = (R1 - n1 (n1 + 1) / 2) / (n1 n0), R1 the sum of the
-- positives' average ranks (ties: rank() + (ties - 1) / 2)
CREATE VIEW rank_sum AS
SELECT g, (sum(r) FILTER (WHERE outcome) - n1 * (n1 + 1) / 2.0) / nullif(n1 * n0, 0) AS auc
FROM (SELECT g, outcome,
			 rank() OVER (PARTITION BY g ORDER BY score) + (count(*) OVER (PARTITION BY g, score) - 1) / 2.0 AS r,
			 count(*) FILTER (WHERE outcome) OVER (PARTITION BY g) AS n1,
			 count(*) FILTER (WHERE NOT outcome) OVER (PARTITION BY g) AS n0
	  FROM gen WHERE score IS NOT NULL AND outcome IS NOT NULL) t
GROUP BY g, n1, n0;
SELECT count(*) AS groups, count(r.auc) AS with_auc,
	   count(*) FILTER (WHERE (abs(auc(s.s) - r.auc) <= 1e-12) IS NOT TRUE
						  AND NOT (auc(s.s) IS NULL AND r.auc IS NULL)) AS mismatch,
	   count(*) FILTER (WHERE auc(s.s) IS DISTINCT FROM a.auc) AS aggregate_mismatch
FROM gen_states s JOIN rank_sum r USING (g)
JOIN (SELECT g, auc(score, outcome) FROM gen GROUP BY g) a USING (g);

-- DeLong from per-row counts: each positive row's V10 = (negatives below +
-- half those at its score) / n0, each negative's V01 = (positives above +
-- half those at its score) / n1; var = var_samp(V10) / n1 + var_samp(V01) / n0
CREATE VIEW delong AS
WITH h AS (
	SELECT g, score, count(*) FILTER (WHERE outcome) AS pos, count(*) FILTER (WHERE NOT outcome) AS neg
	FROM gen WHERE score IS NOT NULL AND outcome IS NOT NULL GROUP BY 1, 2),
c AS (
	SELECT g, pos, neg,
		   sum(neg) OVER (PARTITION BY g ORDER BY score) - neg AS neg_below,
		   sum(pos) OVER (PARTITION BY g) - sum(pos) OVER (PARTITION BY g ORDER BY score) AS pos_above,
		   sum(pos) OVER (PARTITION BY g) AS n1, sum(neg) OVER (PARTITION BY g) AS n0
	FROM h),
v AS (
	SELECT g, true AS outcome, ((neg_below + 0.5 * neg) / nullif(n0, 0))::float8 AS v FROM c, generate_series(1, pos)
	UNION ALL
	SELECT g, false, ((pos_above + 0.5 * pos) / nullif(n1, 0))::float8 FROM c, generate_series(1, neg))
SELECT g, sqrt(var_samp(v) FILTER (WHERE outcome) / count(*) FILTER (WHERE outcome)
			   + var_samp(v) FILTER (WHERE NOT outcome) / count(*) FILTER (WHERE NOT outcome)) AS se
FROM v GROUP BY g;
SELECT count(*) AS groups, count(d.se) AS with_se,
	   count(*) FILTER (WHERE (abs(auc_std_error(s.s) - d.se) <= 1e-12) IS NOT TRUE
						  AND NOT (auc_std_error(s.s) IS NULL AND d.se IS NULL)) AS mismatch
FROM gen_states s JOIN delong d USING (g);

-- log loss and Brier as avg() over the rows (eps = 2^-52)
SELECT count(*) AS groups,
	   count(*) FILTER (WHERE (abs(log_loss(s.s) - q.ll) <= 1e-12 * greatest(1, q.ll)) IS NOT TRUE) AS log_loss_mismatch,
	   count(*) FILTER (WHERE (abs(brier_score(s.s) - q.bs) <= 1e-13) IS NOT TRUE) AS brier_mismatch,
	   count(*) FILTER (WHERE log_loss(s.s) IS DISTINCT FROM q.ll_agg OR brier_score(s.s) IS DISTINCT FROM q.bs_agg) AS aggregate_mismatch
FROM gen_states s JOIN (
	SELECT g, avg(CASE WHEN outcome THEN -ln(least(greatest(score, 2 ^ -52), 1 - 2 ^ -52))
					   ELSE -ln(1 - least(greatest(score, 2 ^ -52), 1 - 2 ^ -52)) END) AS ll,
		   avg(power(score - outcome::int, 2)) AS bs,
		   log_loss(score, outcome) AS ll_agg, brier_score(score, outcome) AS bs_agg
	FROM gen WHERE score IS NOT NULL AND outcome IS NOT NULL GROUP BY g) q USING (g);

-- lift table, distinct scores: against ntile(10) OVER (ORDER BY score DESC)
CREATE TABLE distinct_scores AS
SELECT g, (i * 7919 % 10007) / 10007.0::float8 AS score, abs(hashint4(i)) % 3 = 0 AS outcome
FROM generate_series(1, 2003) i, generate_series(1, 3) g;
INSERT INTO distinct_scores VALUES (4, 0.5, true), (4, 0.25, false), (4, 0.75, false);  -- 3 rows, 10 groups
WITH t AS (SELECT g, ntile(10) OVER (PARTITION BY g ORDER BY score DESC) AS ntile, score, outcome FROM distinct_scores),
idiom AS (SELECT g, ntile, count(*) AS rows, count(*) FILTER (WHERE outcome)::float8 AS positives,
				 min(score) AS min_score, max(score) AS max_score FROM t GROUP BY 1, 2),
fn AS (SELECT g, l.* FROM (SELECT g, classifier_agg(score, outcome) AS s FROM distinct_scores GROUP BY g) q,
	   lift_table(q.s) l)
SELECT count(*) AS tiles, count(*) FILTER (WHERE fn.g IS NULL OR idiom.g IS NULL) AS missing,
	   count(*) FILTER (WHERE fn.rows IS DISTINCT FROM idiom.rows OR fn.positives IS DISTINCT FROM idiom.positives
						   OR fn.min_score IS DISTINCT FROM idiom.min_score OR fn.max_score IS DISTINCT FROM idiom.max_score) AS mismatch
FROM fn FULL JOIN idiom USING (g, ntile);

-- lift table, tied scores: a group's rows in ntile()'s sizes from the top;
-- a run of equal scores that a boundary cuts gives each side its positives
-- in proportion to its rows.  Idiom: each run's row range [lo, hi) in
-- descending score order, each tile's range [tlo, thi), the overlap.
CREATE VIEW lift_idiom AS
WITH runs AS (
	SELECT g, score, count(*) AS n, count(*) FILTER (WHERE outcome) AS pos
	FROM gen WHERE score IS NOT NULL AND outcome IS NOT NULL GROUP BY 1, 2),
ranged AS (
	SELECT g, score, n, pos, (sum(n) OVER (PARTITION BY g ORDER BY score DESC) - n)::bigint AS lo,
		   sum(n) OVER (PARTITION BY g ORDER BY score DESC)::bigint AS hi, sum(n) OVER (PARTITION BY g)::bigint AS total,
		   sum(pos) OVER (PARTITION BY g)::bigint AS total_pos
	FROM runs),
tiles AS (
	SELECT DISTINCT g, k, total, total_pos,
		   (k - 1) * (total / 10) + least(k - 1, total % 10) AS tlo, k * (total / 10) + least(k, total % 10) AS thi
	FROM ranged, generate_series(1, 10) k),
parts AS (
	SELECT t.g, t.k, t.thi - t.tlo AS rows, t.thi AS cum_rows, t.total, t.total_pos,
		   sum(r.pos * (least(r.hi, t.thi) - greatest(r.lo, t.tlo))::float8 / r.n) AS positives,
		   min(r.score) AS min_score, max(r.score) AS max_score
	FROM tiles t JOIN ranged r ON r.g = t.g AND r.lo < t.thi AND r.hi > t.tlo
	WHERE t.thi > t.tlo GROUP BY 1, 2, 3, 4, 5, 6)
SELECT g, k AS ntile, rows, positives, min_score, max_score, positives / rows AS positive_rate, cum_rows,
	   sum(positives) OVER (PARTITION BY g ORDER BY k) AS cum_pos,
	   positives / rows / nullif(total_pos::float8 / total, 0) AS lift,
	   sum(positives) OVER (PARTITION BY g ORDER BY k) / nullif(total_pos, 0) AS gain,
	   sum(positives) OVER (PARTITION BY g ORDER BY k) / cum_rows / nullif(total_pos::float8 / total, 0) AS cumulative_lift
FROM parts;
SELECT count(*) AS tiles, count(*) FILTER (WHERE f.g IS NULL OR i.g IS NULL) AS missing,
	   count(*) FILTER (WHERE f.rows IS DISTINCT FROM i.rows OR f.cumulative_rows IS DISTINCT FROM i.cum_rows
						   OR f.min_score IS DISTINCT FROM i.min_score OR f.max_score IS DISTINCT FROM i.max_score
						   OR (abs(f.positives - i.positives) <= 1e-9) IS NOT TRUE
						   OR (abs(f.positive_rate - i.positive_rate) <= 1e-12) IS NOT TRUE
						   OR (abs(f.cumulative_positives - i.cum_pos) <= 1e-9) IS NOT TRUE
						   OR (abs(f.lift - i.lift) <= 1e-12 OR (f.lift IS NULL AND i.lift IS NULL)) IS NOT TRUE
						   OR (abs(f.gain - i.gain) <= 1e-12 OR (f.gain IS NULL AND i.gain IS NULL)) IS NOT TRUE
						   OR (abs(f.cumulative_lift - i.cumulative_lift) <= 1e-12
							   OR (f.cumulative_lift IS NULL AND i.cumulative_lift IS NULL)) IS NOT TRUE) AS mismatch,
	   count(*) FILTER (WHERE f.lift IS NULL) AS without_lift
FROM (SELECT g, l.* FROM gen_states, lift_table(s) l) f FULL JOIN lift_idiom i USING (g, ntile);
-- the last group's cumulative gain is 1, its cumulative lift 1
SELECT count(*) AS groups, count(*) FILTER (WHERE (abs(gain - 1) < 1e-12 AND abs(cumulative_lift - 1) < 1e-12) IS NOT TRUE) AS mismatch
FROM (SELECT g, l.* FROM gen_states, lift_table(s, 7) l WHERE g > 0) f
WHERE ntile = 7;

-- a lift table by hand: scores 0.9 (1 positive), 0.5 (1 positive, 2
-- negatives), 0.1 (1 negative), 5 rows in 2 groups of 3 and 2 rows: group 1
-- is 0.9 and two of the three 0.5 rows (1 + 2/3 positives), group 2 the
-- third 0.5 row and 0.1 (1/3); rate 2/5, lift (5/9) / (2/5) = 25/18
SELECT ntile, rows, round(positives::numeric, 12) AS positives, min_score, max_score,
	   round(lift::numeric, 12) AS lift, round(gain::numeric, 12) AS gain, round(cumulative_lift::numeric, 12) AS cumulative_lift
FROM lift_table('(v=1,scores=[0.1 0 1,0.5 1 2,0.9 1 0])', 2);
-- more groups than rows: one row per group (as ntile())
SELECT ntile, rows, positives FROM lift_table('(v=1,scores=[0.1 0 1,0.9 1 0])', 5);

--
-- Merges: rollup of parts equals the whole, + of two halves, parallel plans
--
CREATE TABLE gen_parts AS
SELECT g, abs(hashint4(g * 31 + coalesce((score * 100)::int, -1))) % 4 AS part, classifier_agg(score, outcome) AS s
FROM gen GROUP BY 1, 2;
SELECT count(*) AS groups,
	   count(*) FILTER (WHERE m.s1 IS DISTINCT FROM w.s OR m.s2 IS DISTINCT FROM w.s) AS rollup_mismatch
FROM (SELECT g, rollup(s ORDER BY part) AS s1, rollup(s ORDER BY part DESC) AS s2 FROM gen_parts GROUP BY g) m
JOIN gen_states w USING (g);
SELECT count(*) FILTER (WHERE a.s + b.s IS DISTINCT FROM w.s) AS add_mismatch, count(*) AS groups
FROM (SELECT g, classifier_agg(score, outcome) AS s FROM gen WHERE score < 0.5 GROUP BY g) a
JOIN (SELECT g, classifier_agg(score, outcome) AS s FROM gen WHERE score >= 0.5 GROUP BY g) b USING (g)
JOIN gen_states w USING (g);
SELECT rollup(s) IS NULL AS rollup_of_nothing FROM gen_states WHERE false;

-- 300,000 rows of distinct scores: the working state compacts many times
CREATE TABLE many AS
SELECT (i::bigint * 104729 % 300007)::float8 / 300007 AS score, abs(hashint4(i)) % 1000 < 300 + (i::bigint * 104729 % 300007) / 600 AS outcome
FROM generate_series(1, 300000) i;
ANALYZE many;
SELECT (SELECT count(*) FROM unnest(s)) AS distinct_scores, positives(s) + negatives(s) AS rows,
	   abs(auc(s) - (SELECT (sum(r) FILTER (WHERE outcome) - n1 * (n1 + 1) / 2.0) / (n1 * n0)
					 FROM (SELECT outcome, rank() OVER (ORDER BY score) AS r,
								  count(*) FILTER (WHERE outcome) OVER () AS n1,
								  count(*) FILTER (WHERE NOT outcome) OVER () AS n0 FROM many) t
					 GROUP BY n1, n0)) < 1e-12 AS auc_agrees
FROM (SELECT classifier_agg(score, outcome) AS s FROM many) q;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT classifier_agg(score, outcome) FROM many;
SELECT p.s = (SELECT classifier_agg(score, outcome ORDER BY score) FROM many) AS parallel_matches,
	   (SELECT auc(score, outcome) FROM many) = auc(p.s) AS auc_parallel_matches,
	   (SELECT log_loss(score, outcome) FROM many) = log_loss(p.s) AS log_loss_parallel_matches
FROM (SELECT classifier_agg(score, outcome) AS s FROM many) p;
EXPLAIN (COSTS OFF) SELECT g, classifier_agg(score, outcome) FROM gen GROUP BY g;
SELECT count(*) FILTER (WHERE p.s IS DISTINCT FROM w.s) AS parallel_mismatch, count(*) AS groups
FROM (SELECT g, classifier_agg(score, outcome) AS s FROM gen GROUP BY g) p JOIN gen_states w USING (g);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- as a window aggregate: AUC of a growing frame
SELECT score, outcome, auc(score, outcome) OVER (ORDER BY score, outcome ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
FROM c1 ORDER BY score, outcome;

--
-- Text, binary and JSON forms; comparisons
--
SELECT s, s::json, s::jsonb -> 'positives' AS positives_key, (SELECT array_agg(u ORDER BY u.score) FROM unnest(s) u) AS rows
FROM (SELECT classifier_agg(score, outcome) AS s FROM c1) q;
SELECT count(*) FILTER (WHERE classifier_summary_send(s) IS DISTINCT FROM classifier_summary_send(s::text::classifier_summary)) AS text_mismatch,
	   count(*) FILTER (WHERE (s::jsonb ->> 'positives')::bigint IS DISTINCT FROM positives(s)
						   OR jsonb_array_length(s::jsonb -> 'scores') IS DISTINCT FROM (SELECT count(*)::int FROM unnest(s))) AS json_mismatch,
	   count(*) AS states
FROM gen_states;
-- spaces between tokens; canonical output
SELECT ' ( v = 1 , scores = [ -1e300 1 0 , 0.5 0 2 , 1e300 3 4 ] ) '::classifier_summary;
-- binary COPY round trip
\copy gen_states TO 'results/classifier.bin' WITH (FORMAT binary)
CREATE TABLE gen_copy (LIKE gen_states);
\copy gen_copy FROM 'results/classifier.bin' WITH (FORMAT binary)
SELECT count(*) FILTER (WHERE c.s IS DISTINCT FROM w.s) AS binary_mismatch, count(*)
FROM gen_states w JOIN gen_copy c USING (g);
-- equality, DISTINCT, hashing, ordering
SELECT count(DISTINCT s) AS distinct_states, count(*) AS states,
	   (SELECT count(*) FROM (SELECT DISTINCT s FROM (SELECT s FROM gen_states UNION ALL SELECT s FROM gen_copy) u) d) AS union_distinct,
	   bool_and(s = s AND NOT s <> s AND s <= s AND s >= s AND NOT s < s AND NOT s > s AND classifier_summary_cmp(s, s) = 0
				AND classifier_summary_hash(s) = classifier_summary_hash(s::text::classifier_summary)) AS consistent
FROM gen_states;

--
-- Huge counts: totals up to 2^63 - 1; products beyond 64 bits
--
-- 2^60 positives at 0.2 and at 0.3, 3 * 2^59 negatives at 0.1 and 2^59 at
-- 0.2: n1 = n0 = 2^61; U = 2^60 (3 * 2^59 + 2^59 / 2) + 2^60 * 2^61 =
-- 7.5 * 2^119, AUC = 7.5 * 2^119 / 2^122 = 0.9375
SELECT auc(s), positives(s), negatives(s), auc_std_error(s) > 0 AS has_se
FROM (SELECT '(v=1,scores=[0.1 0 1729382256910270464,0.2 1152921504606846976 576460752303423488,0.3 1152921504606846976 0])'::classifier_summary AS s) q;
-- all tied at the largest total: AUC 1/2 exactly
SELECT auc(s), positives(s) + negatives(s) AS rows
FROM (SELECT '(v=1,scores=[0.5 4611686018427387904 4611686018427387903])'::classifier_summary AS s) q;
-- lift table of the largest total: no overflow
SELECT ntile, rows, positives, cumulative_rows FROM lift_table('(v=1,scores=[0.5 4611686018427387904 4611686018427387903])', 2);
-- a merge beyond 2^63 - 1 rows: 22003
SELECT err($$SELECT '(v=1,scores=[0.1 9223372036854775807 0])'::classifier_summary + '(v=1,scores=[0.1 1 0])'$$);
SELECT err($$SELECT '(v=1,scores=[0.1 9223372036854775807 0])'::classifier_summary + '(v=1,scores=[0.2 0 1])'$$);
SELECT err($$SELECT rollup(s) FROM (VALUES ('(v=1,scores=[0.1 4611686018427387904 0])'::classifier_summary), ('(v=1,scores=[0.1 0 4611686018427387904])')) v(s)$$);

--
-- Errors
--
SELECT err($$SELECT classifier_agg(score, true) FROM (VALUES ('NaN'::float8)) v(score)$$);
SELECT err($$SELECT auc(score, false) FROM (VALUES ('Infinity'::float8)) v(score)$$);
SELECT err($$SELECT log_loss(score, false) FROM (VALUES ('-Infinity'::float8)) v(score)$$);
SELECT err($$SELECT log_loss(score, true) FROM (VALUES (0.5), (1.5)) v(score)$$);
SELECT err($$SELECT brier_score(score, true) FROM (VALUES (-0.25), (0.5)) v(score)$$);
SELECT err($$SELECT log_loss(classifier_agg(score, true)) FROM (VALUES (1e-320), (1 + 2 ^ -52)) v(score)$$);
SELECT err($$SELECT auc_ci(classifier_agg(score, outcome), 1) FROM c1$$);
SELECT err($$SELECT auc_ci(classifier_agg(score, outcome), 'NaN') FROM c1$$);
SELECT err($$SELECT * FROM lift_table('(v=1,scores=[0.1 1 1])', 0)$$);
SELECT err($$SELECT * FROM lift_table('(v=1,scores=[0.1 1 1])', 10001)$$);
-- malformed text: 22P02 (out of order, repeated, -0, negative and zero
-- counts, no scores, a NaN, a missing count, the version, junk); counts over
-- bigint 22003
SELECT err($$SELECT '(v=1,scores=[0.5 1 0,0.1 0 1])'::classifier_summary$$);
SELECT err($$SELECT '(v=1,scores=[0.5 1 0,0.5 0 1])'::classifier_summary$$);
SELECT err($$SELECT '(v=1,scores=[-0 1 0])'::classifier_summary$$);
SELECT err($$SELECT '(v=1,scores=[0.5 -1 2])'::classifier_summary$$);
SELECT err($$SELECT '(v=1,scores=[0.5 0 0])'::classifier_summary$$);
SELECT err($$SELECT '(v=1,scores=[])'::classifier_summary$$);
SELECT err($$SELECT '(v=1,scores=[NaN 1 0])'::classifier_summary$$);
SELECT err($$SELECT '(v=1,scores=[1e400 1 0])'::classifier_summary$$);
SELECT err($$SELECT '(v=1,scores=[0.5 1])'::classifier_summary$$);
SELECT err($$SELECT '(v=2,scores=[0.5 1 0])'::classifier_summary$$);
SELECT err($$SELECT '(v=1,scores=[0.5 1 0])x'::classifier_summary$$);
SELECT err($$SELECT '(v=1,scores=[0.5 1 9223372036854775808])'::classifier_summary$$);
SELECT err($$SELECT '(v=1,scores=[0.4 1 0,0.5 9223372036854775807 0])'::classifier_summary$$);
-- malformed binary: 22P03.  A bytea column's binary COPY holds its bytes
-- as they are, so a crafted bytea read back as a classifier_summary reaches
-- the receive function: version 2; a count of 2 with one record; scores out
-- of order; a negative count; a count of scores over the limit (54000); and
-- a good one
\getenv abs_builddir PG_ABS_BUILDDIR
\set binfile :abs_builddir '/results/classifier_bad.bin'
CREATE TABLE raw (i int, b bytea);
CREATE TABLE bad_bin (s classifier_summary);
INSERT INTO raw VALUES
	(1, '\x02'::bytea || int4send(1) || float8send(0.5) || int8send(1) || int8send(0)),
	(2, '\x01'::bytea || int4send(2) || float8send(0.5) || int8send(1) || int8send(0)),
	(3, '\x01'::bytea || int4send(2) || float8send(0.5) || int8send(1) || int8send(0) || float8send(0.25) || int8send(1) || int8send(0)),
	(4, '\x01'::bytea || int4send(1) || float8send(0.5) || int8send(-1) || int8send(3)),
	(5, '\x01'::bytea || int4send(10000001) || float8send(0.5) || int8send(1) || int8send(0)),
	(6, '\x01'::bytea || int4send(2) || float8send(0.25) || int8send(1) || int8send(0) || float8send(0.5) || int8send(2) || int8send(3));
SELECT i, err(format('COPY (SELECT b FROM raw WHERE i = %s) TO %L WITH (FORMAT binary)', i, :'binfile')) AS copy_out,
	   err(format('COPY bad_bin FROM %L WITH (FORMAT binary)', :'binfile')) AS copy_in
FROM raw ORDER BY i;
SELECT s FROM bad_bin;

DROP TABLE c1, gen, gen_states, distinct_scores, gen_parts, many, gen_copy, bad_bin, raw CASCADE;
DROP FUNCTION err(text);
