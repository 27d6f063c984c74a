--
-- Sequence patterns: sequence_match() and sequence_count(), ClickHouse's
-- sequenceMatch and sequenceCount.
--
-- Expected values: ClickHouse's own stateless tests and documentation (the
-- file each case comes from is named above it; their expected outputs are
-- the ch_* columns), worked by hand from ClickHouse's semantics
-- (src/AggregateFunctions/AggregateFunctionSequenceMatch.h), and plain-SQL
-- formulations of simple patterns on generated data.
--

-- ClickHouse tests/queries/0_stateless/00222_sequence_aggregate_function_family.sql:
-- times 0..11, data 0 0 0 0 1 2 0 0 0 0 1 1; conditions data = 0, 1, 2, 3
CREATE TABLE seq_st (time int, data int);
INSERT INTO seq_st VALUES (0,0),(1,0),(2,0),(3,0),(4,1),(5,2),(6,0),(7,0),(8,0),(9,0),(10,1),(11,1);
SELECT p, sequence_match(p, to_timestamp(time), data = 0, data = 1, data = 2, data = 3) AS m, ch_match,
	   sequence_count(p, to_timestamp(time), data = 0, data = 1, data = 2, data = 3) AS c, ch_count,
	   sequence_match(p, to_timestamp(time), data = 0, data = 1, data = 2, data = 3) = ch_match
	   AND sequence_count(p, to_timestamp(time), data = 0, data = 1, data = 2, data = 3) = ch_count AS agrees
FROM seq_st, (VALUES (1, '', true, 12), (2, '.', true, 12), (3, '.*', true, 12),
				 (4, '(?1)', true, 8), (5, '(?2)', true, 3), (6, '(?3)', true, 1), (7, '(?4)', false, 0),
				 (8, '(?1)(?1)', true, 4), (9, '(?1)(?1)(?1)', true, 2), (10, '(?1)(?1)(?1)(?1)', true, 2),
				 (11, '(?1)(?1)(?1)(?1)(?1)', false, 0), (12, '(?1)(?1)(?1)(?1)(?2)', true, 2),
				 (13, '(?1)(?t>10)(?2)', true, 1), (14, '(?1)(?t>11)(?2)', false, 0),
				 (15, '(?1)(?t<11)(?2)', true, 2), (16, '(?1)(?t<3)(?3)', true, 1),
				 (17, '(?1)(?t<=2)(?3)', true, 1), (18, '(?1)(?t<2)(?3)', false, 0),
				 (19, '(?2)(?t>=7)(?2)', true, 1), (20, '(?2)(?t>7)(?2)', false, 0),
				 (21, '(?2)(?3)(?1)', true, 1)) v(i, p, ch_match, ch_count)
GROUP BY i, p, ch_match, ch_count ORDER BY i;
-- the same file, two conditions (data = 1, data = 2), and its newer cases
-- with a sign before the seconds
SELECT p, sequence_match(p, to_timestamp(time), data = 1, data = 2) AS m, ch_match,
	   sequence_count(p, to_timestamp(time), data = 1, data = 2) AS c, ch_count,
	   sequence_match(p, to_timestamp(time), data = 1, data = 2) = ch_match
	   AND sequence_count(p, to_timestamp(time), data = 1, data = 2) = ch_count AS agrees
FROM seq_st, (VALUES (1, '(?1)(?t==2)(?2)', false, 0), (2, '(?1)(?t==1)(?2)', true, 1),
				 (3, '(?1)(?t>+0)(?2)', true, NULL), (4, '(?1)(?t>+1)(?2)', false, NULL)) v(i, p, ch_match, ch_count)
GROUP BY i, p, ch_match, ch_count ORDER BY i;

-- 00222, issue #118120 cases: a chain must satisfy the time condition it is
-- matched under (A at 0, B at 5, B at 100, C at 101: B C are adjacent but
-- 100 s after A), and without a time condition an event of another
-- condition between two matched events breaks the chain (A B B C)
SELECT sequence_match('(?1)(?t<=10)(?2)(?3)', to_timestamp(t), e = 'A', e = 'B', e = 'C') AS m_false,
	   sequence_count('(?1)(?t<=10)(?2)(?3)', to_timestamp(t), e = 'A', e = 'B', e = 'C') AS c_0
FROM (VALUES (0, 'A'), (5, 'B'), (100, 'B'), (101, 'C')) v(t, e);
SELECT sequence_match('(?1)(?2)(?3)', to_timestamp(t), e = 'A', e = 'B', e = 'C') AS m_false
FROM (VALUES (0, 'A'), (1, 'B'), (2, 'B'), (3, 'C')) v(t, e);
-- and the gap that .* allows: the chain 1 (time 1), 2 (time 3), 1 (time 4) of
-- its sequenceMatchEvents case; the pattern's (?3) (number = 4) never holds
SELECT sequence_match('(?1).*(?2).*(?1)', to_timestamp(time), number = 1, number = 2, number = 4) AS m_true,
	   sequence_match('(?1).*(?2).*(?1)(?3)', to_timestamp(time), number = 1, number = 2, number = 4) AS m_false
FROM (VALUES (1, 1), (2, 3), (3, 2), (4, 1), (5, 3), (6, 2)) v(time, number);

-- ClickHouse documentation (parametric functions, sequenceMatch): 1, 3, 2 at
-- times 1, 2, 3.  Rows fulfilling no condition are no events, so the 3 is
-- skipped unless it has a condition of its own.
SELECT sequence_match('(?1)(?2)', to_timestamp(time), number = 1, number = 2) AS ch_1,
	   sequence_match('(?1)(?2)', to_timestamp(time), number = 1, number = 2, number = 3) AS ch_0,
	   sequence_match('(?1)(?2)', to_timestamp(time), number = 1, number = 2, number = 4) AS ch_1
FROM (VALUES (1, 1), (2, 3), (3, 2)) v(time, number);
-- documentation, sequenceCount: 1 3 2 1 3 2 -> 2
SELECT sequence_count('(?1).*(?2)', to_timestamp(time), number = 1, number = 2) AS ch_2
FROM (VALUES (1, 1), (2, 3), (3, 2), (4, 1), (5, 3), (6, 2)) v(time, number);

-- ClickHouse tests/queries/0_stateless/02713_sequence_match_serialization_fix.sql:
-- numbers 0..99, odd then even; the same through a parallel plan below
SELECT sequence_match('(?1)(?2)', to_timestamp(n), n % 2 = 1, n % 2 = 0) AS ch_1
FROM generate_series(0, 99) n;

--
-- Semantics worked by hand
--
-- events are sorted by time; a row's arrival order does not matter
SELECT sequence_match('(?1)(?2)', ts, e = 'A', e = 'B') AS m_true,
	   sequence_match('(?2)(?1)', ts, e = 'A', e = 'B') AS m_false
FROM (VALUES ('2026-01-05 10:02+00'::timestamptz, 'B'), ('2026-01-05 10:00+00', 'A')) v(ts, e);
-- time conditions between the event matched before and the next matched
-- event, any events between: inclusive bound at exactly one hour, one
-- microsecond more fails; fractions of a second count
SELECT sequence_match('(?1)(?t<=3600)(?2)', ts, e = 'A', e = 'B') AS at_3600,
	   sequence_match('(?1)(?t<3600)(?2)', ts, e = 'A', e = 'B') AS lt_3600,
	   sequence_match('(?1)(?t==3600)(?2)', ts, e = 'A', e = 'B') AS eq_3600,
	   sequence_match('(?1)(?t>=3600)(?2)', ts, e = 'A', e = 'B') AS ge_3600,
	   sequence_match('(?1)(?t>3599)(?2)', ts, e = 'A', e = 'B') AS gt_3599
FROM (VALUES ('2026-01-05 10:00+00'::timestamptz, 'A'), ('2026-01-05 10:30+00', 'X'),
			 ('2026-01-05 11:00+00', 'B')) v(ts, e);
SELECT sequence_match('(?1)(?t<=3600)(?2)', ts, e = 'A', e = 'B') AS one_usec_late,
	   sequence_match('(?1)(?t>3600)(?2)', ts, e = 'A', e = 'B') AS gt_3600
FROM (VALUES ('2026-01-05 10:00+00'::timestamptz, 'A'), ('2026-01-05 11:00:00.000001+00', 'B')) v(ts, e);
-- (?N)(?M) needs adjacent events; . is one event of any condition; rows
-- with no condition are not events (A, none, B: (?1).(?2) fails, (?1)(?2)
-- matches)
SELECT sequence_match('(?1)(?2)', ts, e = 'A', e = 'B') AS adjacent,
	   sequence_match('(?1).(?2)', ts, e = 'A', e = 'B') AS one_between,
	   sequence_match('(?1).(?2)', ts, e = 'A', e = 'B', e = 'X') AS x_is_event
FROM (VALUES ('2026-01-05 10:00+00'::timestamptz, 'A'), ('2026-01-05 10:01+00', 'X'),
			 ('2026-01-05 10:02+00', 'B')) v(ts, e);
-- ties: events at the same instant are ordered by their conditions (the
-- condition bits as a number: condition 1 before 2), so A and B at once
-- match (?1)(?2) but not (?2)(?1); ClickHouse leaves this order undefined
SELECT sequence_match('(?1)(?2)', ts, e = 'A', e = 'B') AS a_then_b,
	   sequence_match('(?2)(?1)', ts, e = 'A', e = 'B') AS b_then_a,
	   sequence_match('(?1)(?t==0)(?2)', ts, e = 'A', e = 'B') AS zero_seconds,
	   sequence_count('(?1)', ts, e = 'A', e = 'B') AS two_a
FROM (VALUES ('2026-01-05 10:00+00'::timestamptz, 'B'), ('2026-01-05 10:00+00', 'A'),
			 ('2026-01-05 10:00+00', 'A')) v(ts, e);
-- one row fulfilling two conditions is one event: (?1) and (?2) are not both
-- matched by it
SELECT sequence_match('(?1)', ts, a, b) AS one, sequence_match('(?1)(?2)', ts, a, b) AS two
FROM (VALUES ('2026-01-05 10:00+00'::timestamptz, true, true)) v(ts, a, b);
-- sequence_count: matches do not overlap; each search starts where the
-- previous match ended.  A A B A B B: (?1).*(?2) -> A..B, A..B = 2;
-- (?1)(?2) -> 2; (?2)(?2) -> 1 (the last two Bs)
SELECT sequence_count('(?1).*(?2)', to_timestamp(t), e = 'A', e = 'B') AS c2,
	   sequence_count('(?1)(?2)', to_timestamp(t), e = 'A', e = 'B') AS adjacent_2,
	   sequence_count('(?2)(?2)', to_timestamp(t), e = 'A', e = 'B') AS bb_1,
	   sequence_count('.', to_timestamp(t), e = 'A', e = 'B') AS events_6
FROM (VALUES (1, 'A'), (2, 'A'), (3, 'B'), (4, 'A'), (5, 'B'), (6, 'B')) v(t, e);
-- patterns ClickHouse lets match no events: '' and '.*' match; a leading
-- time condition compares with the event the implicit leading .* stops at
-- (so (?t<=0)(?1) is (?1)); a trailing (?t<=S) or (?t<S) passes when the
-- events run out, a trailing (?t>S) needs a later event
SELECT sequence_match('', to_timestamp(t), e = 'A') AS empty_pattern,
	   sequence_count('', to_timestamp(t), e = 'A') AS count_empty,
	   sequence_match('(?t<=0)(?1)', to_timestamp(t), e = 'A') AS leading_time,
	   sequence_match('(?1)(?t<5)', to_timestamp(t), e = 'A') AS trailing_lt,
	   sequence_match('(?1)(?t>5)', to_timestamp(t), e = 'A') AS trailing_gt,
	   sequence_match('(?t>=0)', to_timestamp(t), e = 'A') AS only_time
FROM (VALUES (1, 'A'), (2, 'A')) v(t, e);
-- (A at 0, A at 10): a trailing (?t<5) after the first A fails at the second
-- A, after the second A the events have run out -> true; (?t>5) -> true
SELECT sequence_match('(?1)(?t<5)', to_timestamp(t), e = 'A') AS trailing_lt,
	   sequence_count('(?1)(?t>5)', to_timestamp(t), e = 'A') AS trailing_gt
FROM (VALUES (0, 'A'), (10, 'A')) v(t, e);
-- a pattern that may be skipped entirely matches even when it cannot
-- (ClickHouse's search then answers as if the events had run out):
-- (?t<0) -> true, counted once
SELECT sequence_match('(?t<0)', to_timestamp(t), e = 'A') AS m_true,
	   sequence_count('(?t<0)', to_timestamp(t), e = 'A') AS c_1,
	   sequence_match('(?1)(?t<0)(?1)', to_timestamp(t), e = 'A') AS m_false
FROM (VALUES (0, 'A'), (10, 'A')) v(t, e);

--
-- NULLs, empty input, one row
--
-- a NULL time skips the row; a NULL condition is false (the row is then no
-- event when no other condition holds)
SELECT sequence_match('(?1)(?2)', ts, e = 'A', e = 'B') AS null_ts_skipped,
	   sequence_count('.', ts, e = 'A', e = 'B') AS two_events
FROM (VALUES ('2026-01-05 10:00+00'::timestamptz, 'A'), (NULL, 'X'), ('2026-01-05 10:02+00', 'B'),
			 ('2026-01-05 10:01+00', NULL)) v(ts, e);
SELECT sequence_match('(?1).(?2)', ts, e = 'A', e = 'B', e = 'C') AS null_condition_no_event
FROM (VALUES ('2026-01-05 10:00+00'::timestamptz, 'A'), ('2026-01-05 10:01+00', NULL),
			 ('2026-01-05 10:02+00', 'B')) v(ts, e);
-- no rows, or only rows with a NULL time: NULL (like window_funnel); rows
-- that are no events: false and 0 ('' still matches)
SELECT sequence_match('(?1)', ts, true) IS NULL AS match_null, sequence_count('(?1)', ts, true) IS NULL AS count_null
FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts) WHERE false;
SELECT sequence_match('(?1)', ts, true) IS NULL AS match_null, sequence_count('(?1)', ts, true) IS NULL AS count_null
FROM (VALUES (NULL::timestamptz)) v(ts);
SELECT sequence_match('(?1)', ts, false) AS m_false, sequence_count('(?1)', ts, false) AS c_0,
	   sequence_match('', ts, false) AS empty_true, sequence_match('.*', ts, false) AS star_true,
	   sequence_match('.', ts, false) AS any_false
FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
-- one row
SELECT sequence_match('(?1)', ts, true) AS m, sequence_count('(?1)', ts, true) AS c,
	   sequence_match('(?1)(?1)', ts, true) AS two
FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
-- a NULL condition array skips the row (VARIADIC form)
SELECT sequence_count('.', ts, VARIADIC c) AS one
FROM (VALUES ('2026-01-05 10:00+00'::timestamptz, ARRAY[true]), ('2026-01-05 10:01+00', NULL)) v(ts, c);
-- a NULL pattern is an error (on a row with a time)
SELECT sequence_match(NULL, ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_count(p, ts, true) IS NULL AS skipped
FROM (VALUES (NULL::text, NULL::timestamptz)) v(p, ts);

--
-- Conditions as arguments (1 to 8) and as a VARIADIC array (up to 32): the
-- same results
--
SELECT sequence_count('(?8)(?1)', to_timestamp(t), t % 8 = 0, t % 8 = 1, t % 8 = 2, t % 8 = 3,
					  t % 8 = 4, t % 8 = 5, t % 8 = 6, t % 8 = 7) AS args8,
	   sequence_count('(?8)(?1)', to_timestamp(t), VARIADIC ARRAY[t % 8 = 0, t % 8 = 1, t % 8 = 2, t % 8 = 3,
					  t % 8 = 4, t % 8 = 5, t % 8 = 6, t % 8 = 7]) AS array8,
	   -- by hand: 8 cycles 0..7 in times 0..63: 7 -> 0 transitions = 7
	   7 AS expected
FROM generate_series(0, 63) t;
SELECT sequence_count('(?32)(?1)', to_timestamp(t),
					  VARIADIC (SELECT array_agg(t % 32 = i ORDER BY i) FROM generate_series(0, 31) i)) AS array32,
	   -- times 0..95: three cycles of 32, two 31 -> 0 transitions
	   2 AS expected
FROM generate_series(0, 95) t;
SELECT sequence_match('(?1)', ts, c1) AS m1
FROM (VALUES ('2026-01-05 10:00+00'::timestamptz, true)) v(ts, c1);

--
-- Plain-SQL cross-checks on generated data: 600 customers, about 13,000
-- rows, events A, B and C (and X, no condition) every few minutes, with
-- equal times
--
CREATE TABLE seq_gen AS
SELECT u, '2026-01-05 00:00+00'::timestamptz + ((i * 7 + (u * 13 + i * i) % 11) * interval '3 minutes') AS ts,
	   (ARRAY['A', 'B', 'C', 'X'])[1 + ((u::bigint * 7919 + i * 104729) * 2654435761 % 4294967296) / 1073741824] AS e
FROM generate_series(1, 600) u, generate_series(1, 10 + u % 25) i;
-- the events of each customer in the order the functions see them
CREATE TABLE seq_ev AS
SELECT u, ts, e, row_number() OVER (PARTITION BY u ORDER BY ts, bits) AS pos
FROM (SELECT u, ts, e, CASE e WHEN 'A' THEN 1 WHEN 'B' THEN 2 WHEN 'C' THEN 4 END AS bits
	  FROM seq_gen WHERE e <> 'X') x;
CREATE TABLE seq_res AS
SELECT u,
	   sequence_match('(?1)(?2)', ts, e = 'A', e = 'B', e = 'C') AS adjacent,
	   sequence_match('(?1).*(?2)', ts, e = 'A', e = 'B', e = 'C') AS later,
	   sequence_match('(?1)(?t<=600)(?2)', ts, e = 'A', e = 'B', e = 'C') AS within_600,
	   sequence_match('(?1)(?t>1800)(?3)', ts, e = 'A', e = 'B', e = 'C') AS after_1800,
	   sequence_count('(?1)', ts, e = 'A', e = 'B', e = 'C') AS count_a,
	   sequence_count('(?1)(?2)', ts, e = 'A', e = 'B', e = 'C') AS count_ab
FROM seq_gen GROUP BY u;
-- (?1)(?2): an A whose next event is a B
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE adjacent IS DISTINCT FROM
		   EXISTS (SELECT 1 FROM seq_ev a JOIN seq_ev b USING (u)
				   WHERE a.u = r.u AND a.e = 'A' AND b.e = 'B' AND b.pos = a.pos + 1)) AS adjacent_mismatch,
	   count(*) FILTER (WHERE adjacent) AS adjacent_true,
	   -- (?1).*(?2): an A before a B
	   count(*) FILTER (WHERE later IS DISTINCT FROM
		   EXISTS (SELECT 1 FROM seq_ev a JOIN seq_ev b USING (u)
				   WHERE a.u = r.u AND a.e = 'A' AND b.e = 'B' AND b.pos > a.pos)) AS later_mismatch,
	   count(*) FILTER (WHERE later) AS later_true,
	   -- (?1)(?t<=600)(?2): an A, then a B at most 600 s later (any events between)
	   count(*) FILTER (WHERE within_600 IS DISTINCT FROM
		   EXISTS (SELECT 1 FROM seq_ev a JOIN seq_ev b USING (u)
				   WHERE a.u = r.u AND a.e = 'A' AND b.e = 'B' AND b.pos > a.pos
					 AND b.ts - a.ts <= interval '600 seconds')) AS within_mismatch,
	   count(*) FILTER (WHERE within_600) AS within_true,
	   count(*) FILTER (WHERE after_1800 IS DISTINCT FROM
		   EXISTS (SELECT 1 FROM seq_ev a JOIN seq_ev b USING (u)
				   WHERE a.u = r.u AND a.e = 'A' AND b.e = 'C' AND b.pos > a.pos
					 AND b.ts - a.ts > interval '1800 seconds')) AS after_mismatch,
	   count(*) FILTER (WHERE after_1800) AS after_true,
	   count(*) FILTER (WHERE count_a IS DISTINCT FROM
		   (SELECT count(*) FROM seq_ev a WHERE a.u = r.u AND a.e = 'A')) AS count_a_mismatch
FROM seq_res r;
-- sequence_count('(?1)(?2)'): non-overlapping A B pairs of adjacent events,
-- leftmost first (a recursive walk over the pairs)
WITH RECURSIVE pairs AS (
	SELECT a.u, a.pos FROM seq_ev a JOIN seq_ev b ON b.u = a.u AND b.pos = a.pos + 1
	WHERE a.e = 'A' AND b.e = 'B'
), walk(u, pos, n) AS (
	SELECT u, min(pos), 1 FROM pairs GROUP BY u
	UNION ALL
	SELECT w.u, (SELECT min(p.pos) FROM pairs p WHERE p.u = w.u AND p.pos >= w.pos + 2), w.n + 1
	FROM walk w WHERE w.pos IS NOT NULL
)
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE r.count_ab IS DISTINCT FROM coalesce(w.n, 0)) AS count_ab_mismatch,
	   sum(r.count_ab) AS pairs
FROM seq_res r
LEFT JOIN (SELECT u, max(n) AS n FROM walk WHERE pos IS NOT NULL GROUP BY u) w USING (u);

-- parallel partial aggregation gives the serial results (the combine,
-- serial and deserial functions keep every event)
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT sequence_count('(?1).*(?2)', ts, e = 'A', e = 'B') FROM seq_gen;
SELECT sequence_count('(?1).*(?2)', ts, e = 'A', e = 'B') AS parallel_count,
	   sequence_match('(?1)(?t<=60)(?2)(?3)', ts, e = 'A', e = 'B', e = 'C') AS parallel_match
FROM seq_gen;
SELECT sequence_match('(?1)(?2)', to_timestamp(n), n % 2 = 1, n % 2 = 0) AS ch_1_parallel
FROM generate_series(0, 99) n;
RESET ALL;
SET max_parallel_workers_per_gather = 0;
SELECT sequence_count('(?1).*(?2)', ts, e = 'A', e = 'B') AS serial_count,
	   sequence_match('(?1)(?t<=60)(?2)(?3)', ts, e = 'A', e = 'B', e = 'C') AS serial_match
FROM seq_gen;
RESET ALL;
-- as a window aggregate (the final function runs again on a growing state)
SELECT count(*) FILTER (WHERE running IS DISTINCT FROM direct) AS window_mismatch, count(*) AS rows
FROM (SELECT sequence_count('(?1)(?2)', ts, e = 'A', e = 'B', e = 'C') OVER (ORDER BY ts, e ROWS UNBOUNDED PRECEDING) AS running,
			 (SELECT sequence_count('(?1)(?2)', g2.ts, g2.e = 'A', g2.e = 'B', g2.e = 'C')
			  FROM seq_gen g2 WHERE g2.u = 7 AND (g2.ts, g2.e) <= (g.ts, g.e)) AS direct
	  FROM seq_gen g WHERE u = 7) x;

--
-- Errors: every malformed pattern, with the position in DETAIL
--
SELECT sequence_match(p, ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts), (VALUES ('(?1')) p(p);
SELECT sequence_match('(?1) (?1)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?x)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?+)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?-1)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(1)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('*', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?1)(?t)(?1)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?1)(?t!=5)(?1)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?1)(?t=5)(?1)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?1)(?t<=)(?1)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?1)(?t>+)(?1)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?1)(?t>-5)(?1)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?1)(?t<5.5)(?1)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?1)(?t<5', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?1)(?t<18446744073709551616)(?1)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
-- the position counts characters, not bytes
SELECT sequence_match('(?1)é', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
-- 22023: condition numbers out of range (ClickHouse's BAD_ARGUMENTS), a
-- time condition after a time condition
SELECT sequence_match('(?0)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?1)(?2)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?18446744073709551616)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?33)', ts, VARIADIC c) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz, array_fill(true, ARRAY[32]))) v(ts, c);
SELECT sequence_match('(?1)(?t>1)(?t<5)(?1)', ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
-- a huge number of seconds is no error: it is longer than any interval
SELECT sequence_match('(?1)(?t<18446744073709551615)(?1)', to_timestamp(t), true) AS m_true
FROM (VALUES (0), (10)) v(t);
-- the same pattern and condition count on every row of a group
SELECT sequence_match(p, ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz, '(?1)'), ('2026-01-05 10:01+00', '.')) v(ts, p);
SELECT sequence_match('(?1)', ts, VARIADIC c)
FROM (VALUES ('2026-01-05 10:00+00'::timestamptz, ARRAY[true]), ('2026-01-05 10:01+00', ARRAY[true, false])) v(ts, c);
-- condition counts: 1 to 32; a one-dimensional array
SELECT sequence_match('(?1)', ts, VARIADIC ARRAY[]::boolean[]) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?1)', ts, VARIADIC array_fill(true, ARRAY[33])) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match('(?1)', ts, VARIADIC ARRAY[[true], [false]]) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
-- limits: 1000 bytes and 100 elements in a pattern
SELECT sequence_match(repeat('.', 1001), ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match(repeat('.', 101), ts, true) FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
SELECT sequence_match(repeat('.', 100), ts, true) AS hundred_false FROM (VALUES ('2026-01-05 10:00+00'::timestamptz)) v(ts);
-- timestamps outside the years 1 to 9999
SELECT sequence_match('(?1)', ts, true) FROM (VALUES ('infinity'::timestamptz)) v(ts);

--
-- robustness (issue 16)
--
-- ClickHouse tests/queries/0_stateless/00823_sequence_match_dfa.sql: A, then
-- 999,999 Bs, then C; a backtracking search takes exponential time on
-- .*-heavy patterns here, the matcher is linear (O(events x pattern)).  In
-- assertion-enabled builds (Valgrind) the query runs untimed.
SELECT CASE WHEN current_setting('debug_assertions')::boolean THEN '0' ELSE '5s' END
	AS linear_timeout \gset
CREATE TABLE seq_dfa AS
SELECT CASE WHEN n = 0 THEN 'A' WHEN n < 1000000 THEN 'B' ELSE 'C' END AS e, n
FROM generate_series(0, 1000000) n;
SET statement_timeout = :'linear_timeout';
SELECT sequence_match('(?1).*(?2).*(?3)', to_timestamp(n), e = 'A', e = 'B', e = 'C') AS abc,
	   sequence_match('(?1).*(?2).*(?3)', to_timestamp(n), e = 'A', e = 'B', e = 'A') AS aba,
	   sequence_match('(?1).*(?2).*(?3).*(?4)', to_timestamp(n), e = 'A', e = 'B', e = 'B', e = 'C') AS abbc,
	   sequence_match('(?1).*(?2).*(?3)', to_timestamp(n), e = 'C', e = 'B', e = 'A') AS cba
FROM seq_dfa;
-- huge counts: every event, and every B followed by a B (999,999 Bs pair
-- up into 499,999 non-overlapping matches, one left over)
SELECT sequence_count('.', to_timestamp(n), e = 'A', e = 'B', e = 'C') AS events,
	   sequence_count('(?2).*(?2)', to_timestamp(n), e = 'A', e = 'B', e = 'C') AS bb
FROM seq_dfa;
-- time conditions over a million events: each B within a second of the one
-- before it
SELECT sequence_count('(?2)(?t<=1)(?2)', to_timestamp(n), e = 'A', e = 'B', e = 'C') AS bb_1s,
	   sequence_match('(?1)(?t>=1000000)(?3)', to_timestamp(n), e = 'A', e = 'B', e = 'C') AS ac_far
FROM seq_dfa;
RESET statement_timeout;
DROP TABLE seq_dfa;

--
-- window_funnel / funnel_agg mode strict_once (ClickHouse windowFunnel's
-- 'strict_once': each event counts once in a chain, so one row fulfilling
-- several steps reaches only one of them)
--
-- ClickHouse tests/queries/0_stateless/00632_aggregation_window_funnel.sql:
-- (0,1000),(1,1001),(1,1002),(1,1003),(2,1004), three steps event = 1004:
-- default 3, strict_once 1, strict_increase 1
SELECT m, window_funnel('10000 s', m, to_timestamp(t), e = 1004, e = 1004, e = 1004) AS level, ch_level
FROM (VALUES (0, 1000), (1, 1001), (1, 1002), (1, 1003), (2, 1004)) v(t, e),
	 (VALUES (1, 'strict_order', 3), (2, 'strict_once', 1), (3, 'strict_increase', 1)) mm(i, m, ch_level)
GROUP BY i, m, ch_level ORDER BY i;
-- the same file: failure, failure, success within 200 s per uid, with
-- strict_once alone and with strict_increase or strict_deduplication:
-- 123 -> 3, 234 -> 2, 345 -> 1 in all three
SELECT m, uid, window_funnel('200 s', m, to_timestamp(t), r = 'failure', r = 'failure', r = 'success') AS level,
	   CASE uid WHEN 123 THEN 3 WHEN 234 THEN 2 ELSE 1 END AS ch_level
FROM (VALUES (100, 'failure', 234), (200, 'success', 345), (210, 'failure', 345), (230, 'success', 345),
			 (250, 'failure', 234), (180, 'failure', 123), (220, 'failure', 123), (250, 'success', 123)) v(t, r, uid),
	 (VALUES ('strict_once,strict_increase'), ('strict_once'), ('strict_once,strict_deduplication')) mm(m)
GROUP BY m, uid ORDER BY m, uid;
-- by hand: one row of steps 1 and 2 -> 2 by default, 1 with strict_once;
-- two such rows at one instant -> 2; rows {1,2} and {1} at one instant ->
-- 2 (step 1 from the second row, step 2 from the first: the steps are
-- matched to distinct rows); rows {1,2}, {2,3}, {1} -> 3; rows {1,2} and
-- {1,2} half an hour apart, nothing for step 3 -> 2; rows {1,2}, {2,4}, {3}
-- at one instant -> 4 by default, 3 with strict_once (step 2 moves from the
-- first row to the second so that the first can be step 1; step 4 would
-- need the second row again)
SELECT k, window_funnel('1 hour', ts, a, b, c, d) AS default_level,
	   window_funnel('1 hour', 'strict_once', ts, a, b, c, d) AS once_level, expected
FROM (VALUES (1, '2026-01-05 10:00+00'::timestamptz, true, true, false, false, 1),
			 (2, '2026-01-05 10:00+00', true, true, false, false, 2), (2, '2026-01-05 10:00+00', true, true, false, false, 2),
			 (3, '2026-01-05 10:00+00', true, true, false, false, 2), (3, '2026-01-05 10:00+00', true, false, false, false, 2),
			 (4, '2026-01-05 10:00+00', true, true, false, false, 3), (4, '2026-01-05 10:00+00', false, true, true, false, 3),
			 (4, '2026-01-05 10:00+00', true, false, false, false, 3),
			 (5, '2026-01-05 10:00+00', true, true, false, false, 2), (5, '2026-01-05 10:30+00', true, true, false, false, 2),
			 (6, '2026-01-05 10:00+00', true, true, false, false, 3), (6, '2026-01-05 10:00+00', false, true, false, true, 3),
			 (6, '2026-01-05 10:00+00', false, false, true, false, 3))
	 v(k, ts, a, b, c, d, expected)
GROUP BY k, expected ORDER BY k;
-- the window and the strict modes as without strict_once: step 2 one
-- microsecond too late, and the row of A cannot be step 1 and 2; a repeated
-- step 2 ends the funnel under strict_deduplication, not under strict_order;
-- a row of no step ends it under strict_order
SELECT window_funnel('1 hour', 'strict_once', ts, e = 'A', e = 'B') AS late_1,
	   window_funnel('1 hour', 'strict_once', ts, e = 'A', e IN ('A', 'B')) AS one_row_1
FROM (VALUES ('2026-01-05 10:00+00'::timestamptz, 'A'), ('2026-01-05 11:00:00.000001+00', 'B')) v(ts, e);
SELECT window_funnel('1 hour', 'strict_once,strict_deduplication', ts, e = 'A', e = 'B', e = 'C') AS dedup_2,
	   window_funnel('1 hour', 'strict_once', ts, e = 'A', e = 'B', e = 'C') AS once_3,
	   window_funnel('1 hour', 'strict_once,strict_order', ts, e = 'A', e = 'B', e = 'C') AS order_3
FROM (VALUES ('2026-01-05 10:00+00'::timestamptz, 'A'), ('2026-01-05 10:01+00', 'B'),
			 ('2026-01-05 10:02+00', 'B'), ('2026-01-05 10:03+00', 'C')) v(ts, e);
SELECT window_funnel('1 hour', 'strict_once,strict_order', ts, e = 'A', e = 'B', e = 'C') AS order_2
FROM (VALUES ('2026-01-05 10:00+00'::timestamptz, 'A'), ('2026-01-05 10:01+00', 'B'),
			 ('2026-01-05 10:02+00', 'X'), ('2026-01-05 10:03+00', 'C')) v(ts, e);

-- plain SQL on the generated rows: with steps A, A or B, B or C (rows
-- fulfilling two steps, equal times), the deepest level k such that k
-- distinct rows fulfil steps 1..k at non-decreasing times within 30
-- minutes of the first
CREATE TABLE seq_once AS
SELECT u, window_funnel('30 minutes', 'strict_once', ts, e = 'A', e IN ('A', 'B'), e IN ('B', 'C')) AS level,
	   deepest_step(funnel_agg('30 minutes', 'strict_once', ts, e = 'A', e IN ('A', 'B'), e IN ('B', 'C'))) AS stored
FROM (SELECT u, ts, e, row_number() OVER (PARTITION BY u ORDER BY ts, e) AS id FROM seq_gen) g GROUP BY u;
CREATE TABLE seq_id AS SELECT u, ts, e, row_number() OVER (PARTITION BY u ORDER BY ts, e) AS id FROM seq_gen;
WITH l3 AS (
	SELECT DISTINCT a.u FROM seq_id a
	JOIN seq_id b ON b.u = a.u AND b.id <> a.id AND b.ts >= a.ts
	JOIN seq_id c ON c.u = a.u AND c.id <> a.id AND c.id <> b.id AND c.ts >= b.ts
	WHERE a.e = 'A' AND b.e IN ('A', 'B') AND c.e IN ('B', 'C') AND c.ts - a.ts <= interval '30 minutes'
), l2 AS (
	SELECT DISTINCT a.u FROM seq_id a
	JOIN seq_id b ON b.u = a.u AND b.id <> a.id AND b.ts >= a.ts
	WHERE a.e = 'A' AND b.e IN ('A', 'B') AND b.ts - a.ts <= interval '30 minutes'
), l1 AS (
	SELECT DISTINCT u FROM seq_id WHERE e = 'A'
)
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE level IS DISTINCT FROM stored) AS stored_mismatch,
	   count(*) FILTER (WHERE level IS DISTINCT FROM
		   CASE WHEN l3.u IS NOT NULL THEN 3 WHEN l2.u IS NOT NULL THEN 2
				WHEN l1.u IS NOT NULL THEN 1 ELSE 0 END) AS plain_sql_mismatch,
	   count(*) FILTER (WHERE level = 3) AS level_3, count(*) FILTER (WHERE level = 2) AS level_2
FROM seq_once o LEFT JOIN l3 USING (u) LEFT JOIN l2 USING (u) LEFT JOIN l1 USING (u);
-- the stored form: rows merge exactly (halves rolled up = the whole), text
-- and binary forms read back, parallel plans give the serial result
SELECT count(*) FILTER (WHERE whole::text IS DISTINCT FROM (h1 + h2)::text) AS rollup_mismatch,
	   count(*) FILTER (WHERE whole::text::funnel IS DISTINCT FROM whole) AS text_mismatch,
	   count(*) FILTER (WHERE funnel_send(whole) IS DISTINCT FROM funnel_send(whole::text::funnel)) AS binary_mismatch,
	   count(*) AS customers
FROM (SELECT u, funnel_agg('30 minutes', 'strict_once', ts, e = 'A', e IN ('A', 'B'), e IN ('B', 'C')) AS whole,
			 funnel_agg('30 minutes', 'strict_once', ts, e = 'A', e IN ('A', 'B'), e IN ('B', 'C')) FILTER (WHERE id % 2 = 0) AS h1,
			 funnel_agg('30 minutes', 'strict_once', ts, e = 'A', e IN ('A', 'B'), e IN ('B', 'C')) FILTER (WHERE id % 2 = 1) AS h2
	  FROM seq_id GROUP BY u) s;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT funnel_agg('30 minutes', 'strict_once', ts, e = 'A', e IN ('A', 'B'), e IN ('B', 'C'))::text
	   = (SELECT rollup(f)::text FROM (SELECT funnel_agg('30 minutes', 'strict_once', ts, e = 'A', e IN ('A', 'B'), e IN ('B', 'C')) AS f
									   FROM seq_gen GROUP BY u) x) AS parallel_matches,
	   window_funnel('30 minutes', 'strict_once', ts, e = 'A', e IN ('A', 'B'), e IN ('B', 'C')) AS parallel_level
FROM seq_gen;
RESET ALL;
-- the text and JSON forms: "&k" is step k of the same row as the event
-- before it; JSON gives each event's row
SELECT f, f::jsonb -> 'events' AS events,
	   (SELECT array_agg(extract(epoch FROM x)::bigint ORDER BY o) FROM unnest(step_times(f)) WITH ORDINALITY u(x, o)) AS step_seconds
FROM (SELECT funnel_agg('200 s', 'strict_once', to_timestamp(t), r = 'failure', r = 'failure', r = 'success') AS f
	  FROM (VALUES (180, 'failure'), (250, 'success'), (250, 'failure')) v(t, r)) s;
SELECT deepest_step('(v=1,window_usec=0,mode=strict_once,steps=2,events=[2026-01-05T10:00:00Z 1,2026-01-05T10:00:00Z &2])'::funnel) AS one_row,
	   deepest_step('(v=1,window_usec=0,mode=strict_once,steps=2,events=[2026-01-05T10:00:00Z 1,2026-01-05T10:00:00Z &2,2026-01-05T10:00:00Z 1,2026-01-05T10:00:00Z &2])'::funnel) AS two_rows,
	   deepest_step('(v=1,window_usec=0,mode=default,steps=2,events=[2026-01-05T10:00:00Z 1,2026-01-05T10:00:00Z 2])'::funnel) AS default_2;
-- bad forms: a same-row mark outside strict_once, steps of a row out of
-- order or at another time
SELECT '(v=1,window_usec=1,mode=default,steps=2,events=[2026-01-05T10:00:00Z 1,2026-01-05T10:00:00Z &2])'::funnel;
SELECT '(v=1,window_usec=1,mode=strict_once,steps=2,events=[2026-01-05T10:00:00Z 2,2026-01-05T10:00:00Z &1])'::funnel;
SELECT '(v=1,window_usec=1,mode=strict_once,steps=2,events=[2026-01-05T10:00:00Z 1,2026-01-05T10:00:01Z &2])'::funnel;
SELECT '(v=1,window_usec=1,mode=strict_once,steps=2,events=[&2])'::funnel;
-- rows in any order read into the canonical order (time, then the row's steps)
SELECT '(v=1,window_usec=1,mode=strict_once,steps=2,events=[2026-01-05T10:00:00Z 2,2026-01-05T10:00:00Z 1,2026-01-05T10:00:00Z &2,2026-01-05T09:00:00Z 1])'::funnel AS canonical;
SELECT window_funnel('1 hour', 'strict_once,strict_oncee', now(), true);
DROP TABLE seq_once, seq_id;
DROP TABLE seq_st, seq_gen, seq_ev, seq_res;
