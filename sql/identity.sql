--
-- Identity stitching (issue 25): identity_agg, identity_graph and its
-- readers.  Hand graphs (chains, stars, cycles, self-pairs, NULLs,
-- duplicates) worked out by hand in the comments; components against a
-- plain-SQL recursive CTE on generated graphs; the guard rails; merges,
-- parallel plans, text, binary and JSON forms; every error.
--
SET extra_float_digits = 0;

-- err(sql): the SQLSTATE, message and detail of a statement, or 'no error'
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	s text;
	m text;
	d text;
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS s = RETURNED_SQLSTATE, m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL;
	RETURN s || ': ' || m || coalesce(' / ' || nullif(d, ''), '');
END $$;

--
-- A chain a-b-c-d, a star around h, a triangle (cycle) x-y-z, a self-pair
-- (lone l), rows with NULLs (skipped: q and r never appear), and a
-- duplicate pair (c, b) seen earlier than (b, c): the pair keeps the
-- earliest time, every identifier the earliest time of any row naming it.
--
CREATE TABLE hand (id_a text, id_b text, seen_at timestamptz);
INSERT INTO hand VALUES
	('a', 'b', '2026-01-01 00:00+00'), ('b', 'c', '2026-01-03 00:00+00'),
	('c', 'd', '2026-01-04 00:00+00'), ('c', 'b', '2026-01-02 00:00+00'),
	('h', 's1', '2026-02-01 00:00+00'), ('h', 's2', '2026-02-02 00:00+00'),
	('s3', 'h', '2026-02-03 00:00+00'),
	('x', 'y', '2026-03-01 00:00+00'), ('y', 'z', '2026-03-02 00:00+00'),
	('z', 'x', '2026-03-03 00:00+00'),
	('l', 'l', '2026-04-01 00:00+00'), ('l', 'l', '2026-03-31 00:00+00'),
	(NULL, 'q', '2026-01-01 00:00+00'), ('r', NULL, '2026-01-01 00:00+00'),
	('a', 'x', NULL);
-- by hand: 13 identifiers a b c d h l s1 s2 s3 x y z (12) -- q, r skipped,
-- the row with a NULL time skipped, so a and x stay apart; pairs: a-b, b-c
-- (2026-01-02, the earlier of two), c-d, h-s1, h-s2, h-s3, x-y, y-z, x-z: 9
SELECT identity_agg(id_a, id_b, seen_at) AS g FROM hand;
SELECT identifiers(g), pairs(g) FROM (SELECT identity_agg(id_a, id_b, seen_at) AS g FROM hand) s;
-- components: {a,b,c,d} (4), {h,s1,s2,s3} (4), {x,y,z} (3), {l} (1); the
-- canonical identifier is the earliest seen (a, h, x, l)
SELECT i.* FROM (SELECT identity_agg(id_a, id_b, seen_at) AS g FROM hand) s, identities(g) i;
SELECT c.* FROM (SELECT identity_agg(id_a, id_b, seen_at) AS g FROM hand) s, components(g) c;
-- one identifier, an unknown one (NULL), and NULL arguments (strict)
SELECT canonical_id(g, 'd') AS d, canonical_id(g, 's3') AS s3, canonical_id(g, 'q') AS unknown,
	   canonical_id(g, NULL) IS NULL AS null_id, canonical_id(NULL, 'd') IS NULL AS null_graph
FROM (SELECT identity_agg(id_a, id_b, seen_at) AS g FROM hand) s;
-- ties on the time: the smallest identifier (bytewise) is canonical
SELECT canonical_id(identity_agg(a, b), 'zz') AS tie
FROM (VALUES ('zz', 'b2'), ('b1', 'zz')) v(a, b);
-- the two-argument form: every pair known since always (0001-01-01)
SELECT identity_agg(a, b) FROM (VALUES ('p', 'q'), ('q', 'p'), ('r', 'r')) v(a, b);
-- empty input and only NULLs: NULL
SELECT identity_agg(a, b) IS NULL AS empty FROM (VALUES ('p', 'q')) v(a, b) WHERE false;
SELECT identity_agg(a, b, t) IS NULL AS only_nulls
FROM (VALUES (NULL::text, 'q', now()), ('p', NULL, now()), ('p', 'q', NULL)) v(a, b, t);
-- one row
SELECT identity_agg('crm:1', 'email:a@example.com', '2026-05-01 12:00+00');

--
-- Priority by type: the type is what comes before the first ':'.  The
-- component {cookie:9 (first), email:x (second), crm:7 (third), app:1}:
-- crm first when listed first; email when only email is listed; an
-- identifier of no listed type ranks last; no list: the earliest seen.
--
CREATE TABLE typed (id_a text, id_b text, seen_at timestamptz);
INSERT INTO typed VALUES
	('cookie:9', 'email:x', '2026-01-01 00:00+00'),
	('email:x', 'crm:7', '2026-01-02 00:00+00'),
	('crm:7', 'app:1', '2026-01-03 00:00+00'),
	('nocolon', 'crm:8', '2026-01-04 00:00+00');
SELECT canonical_id(g, 'app:1', '{crm,email}') AS crm_first,
	   canonical_id(g, 'app:1', '{email,crm}') AS email_first,
	   canonical_id(g, 'app:1', '{email}') AS email_only,
	   canonical_id(g, 'app:1', '{app}') AS app_only,
	   canonical_id(g, 'app:1') AS earliest,
	   canonical_id(g, 'app:1', '{nothing}') AS unlisted_is_earliest,
	   canonical_id(g, 'nocolon', '{nocolon}') AS no_type_ranks_last,
	   canonical_id(g, 'app:1', ARRAY[NULL, 'app']) AS null_entry_skipped
FROM (SELECT identity_agg(id_a, id_b, seen_at) AS g FROM typed) s;

--
-- Guard rails.  max_size: the pairs are taken in the order (seen_at, first
-- identifier, second identifier); a pair joining two components of sizes
-- adding up to more than max_size is refused and both stay as they were.
-- The chain above with max_size 3: a-b (sizes 1+1), b-c on 01-02 (2+1 = 3),
-- c-d on 01-04 (3+1 = 4 > 3: refused, d stays alone).
--
SELECT i.* FROM (SELECT identity_agg(id_a, id_b, seen_at) AS g FROM hand WHERE id_a IN ('a', 'b', 'c')) s,
	identities(g, max_size => 3) i;
SELECT r.* FROM (SELECT identity_agg(id_a, id_b, seen_at) AS g FROM hand WHERE id_a IN ('a', 'b', 'c')) s,
	refused_pairs(g, 3) r;
-- the star with max_size 2: h-s1 joins, h-s2 and h-s3 are refused (2 + 1)
SELECT r.* FROM (SELECT identity_agg(id_a, id_b, seen_at) AS g FROM hand) s,
	refused_pairs(g, 2) r ORDER BY seen_at;
-- max_size 1: every pair refused, every identifier its own component
SELECT (SELECT count(*) FROM components(g, max_size => 1)) AS components,
	   (SELECT max(size) FROM components(g, max_size => 1)) AS largest,
	   (SELECT count(*) FROM refused_pairs(g, 1)) AS refused
FROM (SELECT identity_agg(id_a, id_b, seen_at) AS g FROM hand) s;
-- two merges of equal components in a time tie: the smaller identifiers first
SELECT r.identifier_a, r.identifier_b, r.reason, r.size_a, r.size_b
FROM (SELECT identity_agg(a, b, '2026-01-01 00:00+00') AS g
	  FROM (VALUES ('m', 'n'), ('o', 'p'), ('n', 'o')) v(a, b)) s, refused_pairs(g, 3) r;

-- never_merge: a shared device links two customers; through it nothing merges
CREATE TABLE shared (id_a text, id_b text, seen_at timestamptz);
INSERT INTO shared VALUES
	('crm:1', 'device:kiosk', '2026-01-01 00:00+00'),
	('crm:2', 'device:kiosk', '2026-01-02 00:00+00'),
	('crm:2', 'email:b@example.com', '2026-01-03 00:00+00'),
	('crm:3', 'unknown@example.com', '2026-01-04 00:00+00'),
	('crm:4', 'unknown@example.com', '2026-01-05 00:00+00');
SELECT i.* FROM (SELECT identity_agg(id_a, id_b, seen_at) AS g FROM shared) s,
	identities(g, '{crm}', never_merge => '{device:kiosk,unknown@example.com,not-in-graph}') i;
SELECT r.* FROM (SELECT identity_agg(id_a, id_b, seen_at) AS g FROM shared) s,
	refused_pairs(g, never_merge => '{device:kiosk,unknown@example.com}') r;
-- without the list, everything through the kiosk is one customer
SELECT c.* FROM (SELECT identity_agg(id_a, id_b, seen_at) AS g FROM shared) s, components(g, '{crm}') c;

-- as_of: the graph as known then equals the graph of the rows seen by then
SELECT to_char(d AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS as_of,
	   (SELECT array_agg(i ORDER BY i.identifier) FROM identities(g, as_of => d) i) =
	   (SELECT array_agg(i ORDER BY i.identifier)
		FROM (SELECT identity_agg(id_a, id_b, seen_at) AS g2 FROM hand WHERE seen_at <= d) s2, identities(g2) i)
		 AS agrees,
	   (SELECT count(*) FROM identities(g, as_of => d)) AS identifiers
FROM (SELECT identity_agg(id_a, id_b, seen_at) AS g FROM hand) s,
	 unnest(ARRAY['2026-01-01 00:00+00', '2026-01-02 23:59+00', '2026-02-02 00:00+00',
				  '2026-03-02 00:00+00', '2026-12-31 00:00+00']::timestamptz[]) d;
SELECT count(*) AS before_everything
FROM (SELECT identity_agg(id_a, id_b, seen_at) AS g FROM hand) s, identities(g, as_of => '-infinity');
SELECT canonical_id(g, 'd', as_of => '2026-01-03 00:00+00') AS d_not_yet_seen,
	   canonical_id(g, 'c', as_of => '2026-01-02 00:00+00') AS c_joined_b
FROM (SELECT identity_agg(id_a, id_b, seen_at) AS g FROM hand) s;

--
-- Components against a plain-SQL recursive CTE (reachability over both
-- directions of every pair) on generated graphs: 4 graphs of 30 to 240
-- pairs over 60 to 300 identifiers, chosen by hashes.  Membership: each
-- identifier's component named by its smallest member; and the canonical id
-- (earliest first time, then smallest) computed in plain SQL.
--
CREATE TABLE gen AS
	SELECT k AS graph, 'u' || abs(hashint4(k * 100000 + j)) % (60 * k) AS id_a,
		   'u' || abs(hashint4(k * 100000 + j + 50000)) % (60 * k) AS id_b,
		   timestamptz '2026-01-01 00:00+00' + (abs(hashint4(k * 7 + j)) % 1000) * interval '1 hour' AS seen_at
	FROM generate_series(1, 4) k, generate_series(1, 30 * k * k / 2 + 15) j;
CREATE TABLE gen_plain AS
WITH RECURSIVE e AS (
	SELECT graph, id_a AS x, id_b AS y FROM gen UNION SELECT graph, id_b, id_a FROM gen
	UNION SELECT graph, id_a, id_a FROM gen UNION SELECT graph, id_b, id_b FROM gen),
reach AS (SELECT graph, x AS src, y AS dst FROM e
		  UNION SELECT r.graph, r.src, e.y FROM reach r JOIN e ON e.graph = r.graph AND e.x = r.dst),
first AS (SELECT graph, id, min(seen_at) AS first_seen
		  FROM (SELECT graph, id_a AS id, seen_at FROM gen UNION ALL SELECT graph, id_b, seen_at FROM gen) u
		  GROUP BY 1, 2)
SELECT DISTINCT ON (r.graph, r.src) r.graph, r.src AS identifier,
	   min(r.dst COLLATE "C") OVER w AS label, count(*) OVER w AS size, r.dst AS canonical
FROM reach r JOIN first f ON f.graph = r.graph AND f.id = r.dst
WINDOW w AS (PARTITION BY r.graph, r.src)
ORDER BY r.graph, r.src, f.first_seen, r.dst COLLATE "C";
CREATE TABLE gen_graphs AS SELECT graph, identity_agg(id_a, id_b, seen_at) AS g FROM gen GROUP BY 1;
CREATE TABLE gen_ext AS
	SELECT gg.graph, i.identifier, i.canonical_id, i.component_size,
		   min(i.identifier COLLATE "C") OVER (PARTITION BY gg.graph, i.canonical_id) AS label
	FROM gen_graphs gg, identities(gg.g) i;
SELECT p.graph, count(*) AS identifiers, count(DISTINCT p.label) AS components, max(p.size) AS largest,
	   count(*) FILTER (WHERE e.label IS DISTINCT FROM p.label) AS label_mismatches,
	   count(*) FILTER (WHERE e.canonical_id IS DISTINCT FROM p.canonical) AS canonical_mismatches,
	   count(*) FILTER (WHERE e.component_size IS DISTINCT FROM p.size) AS size_mismatches
FROM gen_plain p FULL JOIN gen_ext e USING (graph, identifier)
GROUP BY 1 ORDER BY 1;
-- canonical_id per identifier in a join (the cached graph) equals identities()
SELECT count(*) AS rows, count(*) FILTER (WHERE canonical_id(gg.g, e.identifier) IS DISTINCT FROM e.canonical_id) AS mismatches
FROM gen_ext e JOIN gen_graphs gg USING (graph);
-- alternating graphs in one call site: the cache follows the datum
-- (u1 is not in graph 1: NULL there)
SELECT gg.graph, canonical_id(gg.g, 'u1') AS u1,
	   canonical_id(gg.g, 'u1') IS NOT DISTINCT FROM (SELECT canonical_id FROM gen_ext e WHERE e.graph = gg.graph AND identifier = 'u1') AS agrees
FROM gen_graphs gg, generate_series(1, 2) rep ORDER BY rep, gg.graph;

-- a graph stored out of line (a TOAST pointer, the cache key) over 20,000
-- lookups: canonical_id equals identities()
CREATE TABLE big_pairs AS
	SELECT 'id:' || g % 5000 AS id_a, 'id:' || (g * 7919 + g / 3) % 6000 AS id_b,
		   timestamptz '2026-01-01 00:00+00' + g * interval '1 minute' AS seen_at
	FROM generate_series(1, 3000) g;
CREATE TABLE big_graph (g identity_graph);
ALTER TABLE big_graph ALTER COLUMN g SET STORAGE EXTERNAL;
INSERT INTO big_graph SELECT identity_agg(id_a, id_b, seen_at) FROM big_pairs;
SELECT pg_column_size(g) > 50000 AS stored_large, identifiers(g), pairs(g) FROM big_graph;
SELECT count(*) AS lookups,
	   count(*) FILTER (WHERE canonical_id(b.g, 'id:' || n % 7000) IS DISTINCT FROM i.canonical_id) AS mismatches,
	   count(i.canonical_id) AS found
FROM big_graph b, generate_series(1, 20000) n
LEFT JOIN (SELECT i.* FROM big_graph, identities(g) i) i ON i.identifier = 'id:' || n % 7000;
DROP TABLE big_pairs, big_graph;

-- merges: rollup of parts (by time, by hash) and + equal the whole graph
SELECT gg.graph,
	   (SELECT rollup(p) FROM (SELECT identity_agg(id_a, id_b, seen_at) AS p FROM gen
							   WHERE graph = gg.graph GROUP BY date_trunc('day', seen_at)) x) = gg.g AS daily_rollup,
	   (SELECT rollup(p) FROM (SELECT identity_agg(id_a, id_b, seen_at) AS p FROM gen
							   WHERE graph = gg.graph GROUP BY abs(hashtext(id_a)) % 3) x) = gg.g AS hash_rollup,
	   (SELECT identity_agg(id_a, id_b, seen_at) FROM gen WHERE graph = gg.graph AND seen_at < '2026-01-20 00:00+00') +
	   (SELECT identity_agg(id_a, id_b, seen_at) FROM gen WHERE graph = gg.graph AND seen_at >= '2026-01-20 00:00+00') = gg.g AS plus,
	   (SELECT identity_agg(id_a, id_b, seen_at) FROM gen WHERE graph = gg.graph AND seen_at >= '2026-01-20 00:00+00') +
	   (SELECT identity_agg(id_a, id_b, seen_at) FROM gen WHERE graph = gg.graph AND seen_at < '2026-01-20 00:00+00') = gg.g AS commutes,
	   (gg.g + NULL::identity_graph) IS NULL AS null_side,
	   (SELECT identity_agg(u.identifier_a, u.identifier_b, u.seen_at) FROM unnest(gg.g) u) = gg.g AS unnest_round_trip
FROM gen_graphs gg ORDER BY 1;
-- a graph merged with itself is itself; rollup skips NULLs
SELECT bool_and(g + g = g) AS idempotent,
	   (SELECT rollup(x) FROM (VALUES (NULL::identity_graph), ((SELECT g FROM gen_graphs WHERE graph = 1))) v(x)) =
	   (SELECT g FROM gen_graphs WHERE graph = 1) AS rollup_skips_null
FROM gen_graphs;

-- parallel plans equal serial ones
CREATE TABLE gen_all AS SELECT * FROM gen, generate_series(1, 20) rep;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT identity_agg(id_a, id_b, seen_at) FROM gen_all;
SELECT identity_agg(id_a, id_b, seen_at) = (SELECT rollup(g) FROM gen_graphs) AS parallel_equals_serial FROM gen_all;
EXPLAIN (COSTS OFF) SELECT rollup(g) FROM (SELECT g FROM gen_graphs, generate_series(1, 50)) x;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

--
-- Text, binary and JSON forms
--
SELECT count(*) AS graphs,
	   count(*) FILTER (WHERE identity_graph_send(g) IS DISTINCT FROM identity_graph_send(g::text::identity_graph)) AS text_mismatches,
	   count(*) FILTER (WHERE g::text::identity_graph <> g) AS not_equal
FROM gen_graphs;
\copy gen_graphs TO 'results/identity.bin' WITH (FORMAT binary)
CREATE TABLE gen_copy (graph integer, g identity_graph);
\copy gen_copy FROM 'results/identity.bin' WITH (FORMAT binary)
SELECT count(*) AS copied, count(*) FILTER (WHERE c.g = gg.g) AS equal
FROM gen_copy c JOIN gen_graphs gg USING (graph);
-- quotes, commas and multibyte characters in identifiers
SELECT g, g::text::identity_graph = g AS round_trip, g::jsonb
FROM (SELECT identity_agg(a, b, '2026-01-01 00:00:00.5+00') AS g
	  FROM (VALUES ('say "hi"', 'a,b'), ('ü', '')) v(a, b)) s;
SELECT g::json FROM (SELECT identity_agg('x', 'y', '2026-01-01 00:00+00') AS g) s;
-- equality, order, DISTINCT
SELECT count(DISTINCT g) AS distinct_graphs, count(*) FILTER (WHERE g < g OR g > g) AS self_less
FROM (SELECT g FROM gen_graphs UNION ALL SELECT g FROM gen_graphs) x;

--
-- Bad input, with the exact errors
--
-- an identifier longer than 1,000 bytes: 22001
SELECT pg_temp.err($$SELECT identity_agg(repeat('x', 1001), 'y')$$);
SELECT identifiers(identity_agg(repeat('x', 1000), 'y')) AS at_the_limit;
-- a time outside the years 1 to 9999: 22008
SELECT pg_temp.err($$SELECT identity_agg('x', 'y', 'infinity')$$);
-- arguments of the readers
SELECT pg_temp.err($$SELECT canonical_id(identity_agg('x', 'y'), 'x', max_size => 0)$$);
SELECT pg_temp.err($$SELECT canonical_id(identity_agg('x', 'y'), 'x', '{{a},{b}}')$$);
SELECT pg_temp.err($$SELECT count(*) FROM (SELECT identity_agg('x', 'y') AS g) s, identities(g, never_merge => '{{a},{b}}')$$);
SELECT pg_temp.err($$SELECT canonical_id(identity_agg('x', 'y'), 'x', array_fill('t'::text, ARRAY[101]))$$);
SELECT canonical_id(identity_agg('x', 'y'), 'x', array_fill('t'::text, ARRAY[100])) AS hundred_types;
SELECT canonical_id(identity_agg('x', 'y'), repeat('x', 2000)) AS long_lookup_is_unknown;
-- malformed text: 22P02
SELECT pg_temp.err($$SELECT '(v=2,identifiers=["a" 2026-01-01T00:00:00Z],pairs=[])'::identity_graph$$);
SELECT pg_temp.err($$SELECT '(v=1,identifiers=[],pairs=[])'::identity_graph$$);
SELECT pg_temp.err($$SELECT '(v=1,identifiers=["b" 2026-01-01T00:00:00Z,"a" 2026-01-01T00:00:00Z],pairs=[])'::identity_graph$$);
SELECT pg_temp.err($$SELECT '(v=1,identifiers=["a" 2026-01-01T00:00:00Z,"a" 2026-01-01T00:00:00Z],pairs=[])'::identity_graph$$);
SELECT pg_temp.err($$SELECT '(v=1,identifiers=["a" 2026-01-01T00:00:00Z,"b" 2026-01-01T00:00:00Z],pairs=[0 2 2026-01-01T00:00:00Z])'::identity_graph$$);
SELECT pg_temp.err($$SELECT '(v=1,identifiers=["a" 2026-01-01T00:00:00Z,"b" 2026-01-01T00:00:00Z],pairs=[1 0 2026-01-01T00:00:00Z])'::identity_graph$$);
SELECT pg_temp.err($$SELECT '(v=1,identifiers=["a" 2026-01-01T00:00:00Z,"b" 2026-01-01T00:00:00Z],pairs=[0 0 2026-01-01T00:00:00Z])'::identity_graph$$);
SELECT pg_temp.err($$SELECT '(v=1,identifiers=["a" 2026-01-01T00:00:00Z,"b" 2026-01-01T00:00:00Z,"c" 2026-01-01T00:00:00Z],pairs=[0 2 2026-01-01T00:00:00Z,0 1 2026-01-01T00:00:00Z])'::identity_graph$$);
SELECT pg_temp.err($$SELECT '(v=1,identifiers=["a" 2026-01-01T00:00:00Z,"b" 2026-01-01T00:00:00Z],pairs=[0 1 2026-01-01T00:00:00Z,0 1 2026-01-02T00:00:00Z])'::identity_graph$$);
-- a pair seen before one of its identifiers cannot be
SELECT pg_temp.err($$SELECT '(v=1,identifiers=["a" 2026-01-01T00:00:00Z,"b" 2026-01-02T00:00:00Z],pairs=[0 1 2026-01-01T00:00:00Z])'::identity_graph$$);
SELECT pg_temp.err($$SELECT '(v=1,identifiers=["a 2026-01-01T00:00:00Z],pairs=[])'::identity_graph$$);
SELECT pg_temp.err($$SELECT '(v=1,identifiers=["a" 2026-01-01T00:00:00Z],pairs=[]) x'::identity_graph$$);
SELECT pg_temp.err(format('SELECT %L::identity_graph', '(v=1,identifiers=["' || repeat('x', 1001) || '" 2026-01-01T00:00:00Z],pairs=[])'));
-- malformed binary: 22P03; more identifiers or pairs than the limits: 54000
-- with the limit in DETAIL (checked before reading on)
CREATE TABLE bin (b bytea);
CREATE TABLE bin_graph (g identity_graph);
-- 5,000,001 identifiers
INSERT INTO bin VALUES ('\x01'::bytea || int4send(5000001));
\copy bin TO 'results/identity_big.bin' WITH (FORMAT binary)
\copy bin_graph FROM 'results/identity_big.bin' WITH (FORMAT binary)
TRUNCATE bin;
-- one identifier "x" seen at 2000-01-01, then 8,000,001 pairs
INSERT INTO bin VALUES ('\x01'::bytea || int4send(1) || int4send(1) || 'x'::bytea || int8send(0) || int4send(8000001));
\copy bin TO 'results/identity_big.bin' WITH (FORMAT binary)
\copy bin_graph FROM 'results/identity_big.bin' WITH (FORMAT binary)
TRUNCATE bin;
-- the same identifier, then a pair naming identifier 5: 22P03
INSERT INTO bin VALUES ('\x01'::bytea || int4send(1) || int4send(1) || 'x'::bytea || int8send(0) || int4send(1)
						|| int4send(0) || int4send(5) || int8send(0));
\copy bin TO 'results/identity_big.bin' WITH (FORMAT binary)
\copy bin_graph FROM 'results/identity_big.bin' WITH (FORMAT binary)
TRUNCATE bin;
-- an identifier length beyond the data: 22P03
INSERT INTO bin VALUES ('\x01'::bytea || int4send(1) || int4send(1000) || 'x'::bytea || int8send(0) || int4send(0));
\copy bin TO 'results/identity_big.bin' WITH (FORMAT binary)
\copy bin_graph FROM 'results/identity_big.bin' WITH (FORMAT binary)
TRUNCATE bin;
-- the identifier with no pair reads
INSERT INTO bin VALUES ('\x01'::bytea || int4send(1) || int4send(1) || 'x'::bytea || int8send(0) || int4send(0));
\copy bin TO 'results/identity_big.bin' WITH (FORMAT binary)
\copy bin_graph FROM 'results/identity_big.bin' WITH (FORMAT binary)
SELECT g FROM bin_graph;

-- an identifier that is not valid UTF-8 (the database encoding): 22P03
TRUNCATE bin;
TRUNCATE bin_graph;
INSERT INTO bin VALUES ('\x01'::bytea || int4send(1) || int4send(1) || '\xff'::bytea || int8send(0) || int4send(0));
\copy bin TO 'results/identity_big.bin' WITH (FORMAT binary)
\copy bin_graph FROM 'results/identity_big.bin' WITH (FORMAT binary)
SELECT count(*) AS stored FROM bin_graph;

--
-- Deep and wide graphs: a chain of 100,000 pairs seen in reverse order
-- (every union joins a growing component) and a star of 100,000 spokes are
-- each one component of 100,001 identifiers.  Canonical: for the chain, the
-- end seen first (n100000 and n100001 at the earliest time; the smaller
-- bytewise is n100000); for the star, the hub (seen with spoke1 first, and
-- "hub" < "spoke1").  At max_size 50,000 the star takes spokes 1 to 49,999
-- (a component of 50,000) and refuses the other 50,001.
--
SELECT (SELECT count(*) FROM components(g)) AS components, (SELECT max(size) FROM components(g)) AS size,
	   canonical_id(g, 'n1') AS of_n1, canonical_id(g, 'n100001') AS of_last
FROM (SELECT identity_agg('n' || k, 'n' || (k + 1), timestamptz '2026-01-01 00:00+00' - k * interval '1 second') AS g
	  FROM generate_series(1, 100000) k) s;
SELECT (SELECT count(*) FROM components(g)) AS components, (SELECT max(size) FROM components(g)) AS size,
	   canonical_id(g, 'spoke77') AS of_spoke77,
	   (SELECT count(*) FROM refused_pairs(g, 50000)) AS refused_at_50000,
	   (SELECT max(size) FROM components(g, max_size => 50000)) AS largest_at_50000
FROM (SELECT identity_agg('hub', 'spoke' || k, timestamptz '2026-01-01 00:00+00' + k * interval '1 second') AS g
	  FROM generate_series(1, 100000) k) s;

DROP TABLE hand, typed, shared, gen, gen_plain, gen_graphs, gen_ext, gen_all, gen_copy, bin, bin_graph;
