#
# Concurrency: several pgbench clients at once record survey answers and
# touches, keep daily states up to date with the + operator and rollup(),
# and read rolling and total rollups, some through parallel plans.  No
# client may fail, and afterwards the stored states must equal the states
# recomputed from the raw rows.
#
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('concurrency');
$node->init;
$node->append_conf('postgresql.conf', "extension_destdir = '$ENV{EXT_DESTDIR}'")
  if $ENV{EXT_DESTDIR};
$node->append_conf('postgresql.conf', "max_connections = 40");
$node->start;

$node->safe_psql('postgres', <<'EOSQL');
CREATE EXTENSION engagement;
CREATE TABLE answers (id bigserial, day date, score int, weight float8);
CREATE TABLE daily_states (day date PRIMARY KEY, s nps_summary, ws nps_summary);
CREATE TABLE touches (customer int, ts timestamptz, channel text);
CREATE TABLE journeys (customer int PRIMARY KEY, j journey);
EOSQL

my $writer = <<'EOSQL';
\set d random(0, 29)
\set sc random(0, 10)
\set w random(1, 20)
\set c random(1, 50)
\set m random(0, 43199)
\set ch random(1, 4)
BEGIN;
INSERT INTO answers (day, score, weight) VALUES (date '2026-01-01' + :d, :sc, :w / 4.0);
INSERT INTO daily_states
	SELECT date '2026-01-01' + :d, nps_agg(:sc), nps_agg(:sc, :w / 4.0)
ON CONFLICT (day) DO UPDATE
	SET s = daily_states.s + excluded.s, ws = daily_states.ws + excluded.ws;
INSERT INTO touches VALUES (:c, timestamptz '2026-01-01 00:00+00' + :m * interval '1 minute',
	(ARRAY['web', 'app', 'email', 'store'])[:ch]);
INSERT INTO journeys
	SELECT :c, journey_agg(timestamptz '2026-01-01 00:00+00' + :m * interval '1 minute',
						   (ARRAY['web', 'app', 'email', 'store'])[:ch])
ON CONFLICT (customer) DO UPDATE
	SET j = (SELECT rollup(x) FROM (VALUES (journeys.j), (excluded.j)) v(x));
COMMIT;
EOSQL

my $reader = <<'EOSQL';
SELECT nps(rollup(s)), upper_bound(rollup(ws)) FROM daily_states;
SELECT day, nps(rollup(s) OVER (ORDER BY day ROWS 6 PRECEDING)) FROM daily_states;
SELECT customer, session_count(j, '30 minutes'), channel_switches(j) FROM journeys;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SELECT nps(score), nps(nps_agg(score, weight)) FROM answers;
SELECT customer, touches(journey_agg(ts, channel)) FROM touches GROUP BY customer;
EOSQL

$node->pgbench(
	'--no-vacuum --client=8 --jobs=2 --transactions=300',
	0,
	[qr{processed: \d+/\d+}],
	[qr{^$}],
	'8 clients writing and reading states at once',
	{
		'001_writer' => "$writer",
		'002_reader' => "$reader",
	});

is($node->safe_psql('postgres', 'SELECT count(*) FROM answers') > 0, 1, 'answers were written');

# stored states equal the states recomputed from the raw rows
is( $node->safe_psql('postgres', <<'EOSQL'),
SELECT count(*) FROM daily_states d
FULL JOIN (SELECT day, nps_agg(score) AS s FROM answers GROUP BY day) a USING (day)
WHERE d.s::text IS DISTINCT FROM a.s::text
EOSQL
	'0', 'every stored daily state equals the aggregate of its answers');
is( $node->safe_psql('postgres', <<'EOSQL'),
SELECT abs(nps(rollup(ws)) - (SELECT nps(nps_agg(score, weight)) FROM answers)) < 1e-9
FROM daily_states
EOSQL
	't', 'weighted states merged concurrently match the direct aggregate');
is( $node->safe_psql('postgres', <<'EOSQL'),
SELECT count(*) FROM journeys j
FULL JOIN (SELECT customer, journey_agg(ts, channel) AS j FROM touches GROUP BY customer) t USING (customer)
WHERE j.j::text IS DISTINCT FROM t.j::text
EOSQL
	'0', 'every stored journey equals the journey of its touches');

my $log = slurp_file($node->logfile);
unlike($log, qr/terminated by signal/, 'no backend terminated by a signal');

$node->stop;
done_testing();
