--
-- BG/NBD predictions over a grid of parameters (issue 21): expected_purchases
-- (new customer and customer forms), p_alive and purchase_probability at
-- every point of
--   r, alpha in {1e-3, 0.05 or 0.06, 1.3 or 4, 60 or 150, 1e4}
--   a in {1e-3, 0.25, 0.999999, 1, 1.000001, 2.5, 90, 1e4}
--   b in {1e-3, 0.5, 3, 250, 1e4, 1e7}
--   t in {0.1, 7, 52, 520} (520 for customers: 7 and 520)
--   customers (x, t_x, T) = (1, 2, 40), (6, 35, 52), (120, 100, 104)
--   purchases 0, 1 and 40
-- against references computed offline with mpmath from the textbook
-- formulas (test/reference/bgnbd_grid.py, which says how and how to rerun
-- it; its output is test/reference/bgnbd_grid.csv).  Every call must
-- succeed, and every value must be within 1e-9 of its reference relatively
-- (with an absolute floor of 1e-300 for references that underflow a
-- double): the bad points are counted, must be 0, and are listed.
--
\getenv abs_srcdir PG_ABS_SRCDIR
\set grid_file :abs_srcdir '/test/reference/bgnbd_grid.csv'
CREATE TEMP TABLE grid (kind text, r float8, alpha float8, a float8, b float8, t float8,
						x float8, tx float8, "T" float8, n int, ref_text text, method text);
COPY grid FROM :'grid_file' (FORMAT csv);
-- references below 1e-400 (down to 1e-20044), beyond doubles and numeric,
-- are 0 here: the absolute floor covers them
ALTER TABLE grid ADD COLUMN ref numeric;
UPDATE grid SET ref = CASE WHEN ref_text ~ 'e-([4-9][0-9]{2}|[0-9]{4,})$' THEN 0 ELSE ref_text::numeric END;
-- E expected_purchases(m, t), C expected_purchases(m, t, x, t_x, T),
-- A p_alive(m, x, t_x, T), P purchase_probability(m, t, n); the reference
-- method: h the hypergeometric form, q the integral where mpmath's 2F1 was
-- too slow or outside the bounds of the integral, f the closed form, b the
-- incomplete beta function
SELECT kind, method, count(*) AS points,
	   count(*) FILTER (WHERE ref = 0) AS zero, count(*) FILTER (WHERE ref < 1e-300) AS below_1e_300
FROM grid GROUP BY kind, method ORDER BY kind, method;
CREATE TEMP TABLE graded AS
SELECT g.*, v.value,
	   abs(v.value::numeric - g.ref) / greatest(abs(g.ref), 1e-300) AS rel
FROM grid g,
	 LATERAL (SELECT bgnbd(g.r, g.alpha, g.a, g.b) AS m) s,
	 LATERAL (SELECT CASE g.kind
						 WHEN 'E' THEN expected_purchases(s.m, g.t)
						 WHEN 'C' THEN expected_purchases(s.m, g.t, g.x, g.tx, g."T")
						 WHEN 'A' THEN p_alive(s.m, g.x, g.tx, g."T")
						 WHEN 'P' THEN purchase_probability(s.m, g.t, g.n)
					 END AS value) v;
-- per function: points, bad points (must be 0), and the largest relative
-- error against two thresholds below the 1e-9 asserted (when this was
-- written: 3e-13 for both expectations, 1.2e-13 for P(alive), 1.1e-11 for
-- purchase_probability)
SELECT kind, count(*) AS points,
	   count(*) FILTER (WHERE (abs(value::numeric - ref) <= 1e-9 * abs(ref) + 1e-300) IS NOT TRUE) AS bad,
	   max(rel) <= 1e-10 AS max_below_1e_10,
	   max(rel) <= 1e-12 AS max_below_1e_12
FROM graded GROUP BY kind ORDER BY kind;
-- the bad points, if any
SELECT kind, r, alpha, a, b, t, x, tx, "T", n, value, ref
FROM graded
WHERE (abs(value::numeric - ref) <= 1e-9 * abs(ref) + 1e-300) IS NOT TRUE
ORDER BY kind, r, alpha, a, b, t, x, n
LIMIT 20;
DROP TABLE grid, graded;
