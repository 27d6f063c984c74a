#
# Scale-out through postgres_fdw: three local clusters on loopback ports, a
# coordinator and two shards.  The shards hold disjoint customers; the
# coordinator reaches them through postgres_fdw with "extensions
# 'engagement'", so the engagement aggregates run on the shards, their states
# travel back as text, and rollup() merges them on the coordinator.  Every
# result must equal the one computed on a single node holding all rows.
#
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

sub new_node
{
	my ($name) = @_;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init(allows_streaming => 0);
	$node->append_conf('postgresql.conf',
		"extension_destdir = '$ENV{EXT_DESTDIR}'")
	  if $ENV{EXT_DESTDIR};
	$node->start;
	$node->safe_psql('postgres', 'CREATE EXTENSION engagement');
	return $node;
}

my $coord  = new_node('coordinator');
my @shards = (new_node('shard0'), new_node('shard1'));

# The same deterministic rows everywhere; a shard keeps customer % 2 = its number.
my $data_sql = <<'EOSQL';
CREATE TABLE surveys AS
	SELECT i % 3000 AS customer_id,
		   date '2026-01-01' + (i % 90) AS day,
		   CASE WHEN i % 101 = 0 THEN NULL ELSE abs(hashint4(i)) % 11 END AS score,
		   0.5 + (abs(hashint4(i * 7)) % 200) / 100.0 AS weight
	FROM generate_series(1, 30000) i;
CREATE TABLE touches AS
	SELECT c AS customer_id,
		   timestamptz '2026-01-01 00:00+00'
			 + (k * 53 + (abs(hashint4(c * 100 + k)) % 4000) * (k % 2)) * interval '1 minute' AS ts,
		   (ARRAY['web', 'app', 'email', 'store', 'call centre'])[1 + abs(hashint4(c + k)) % 5] AS channel,
		   (ARRAY['view', 'click', NULL])[1 + abs(hashint4(c * 3 + k)) % 3] AS event
	FROM generate_series(0, 999) c, generate_series(1, 1 + c % 25) k;
-- BG/NBD purchase summaries (frequency, recency, age in weeks) simulated
-- with lambda ~ Gamma(2, 10), p ~ Beta(2, 6)
CREATE FUNCTION pg_temp.u(i bigint, k int) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT ((hashint8extended(i * 1000 + k, 7) % 1000000007 + 1000000007) % 1000000007 + 0.5) / 1000000007 $$;
CREATE TABLE purchases AS
WITH c AS (
	SELECT i, -(ln(pg_temp.u(i, 1)) + ln(pg_temp.u(i, 2))) / 10 AS lam,
		   ga / (ga + gb) AS p, 20 + 40 * pg_temp.u(i, 11) AS T
	FROM (SELECT i, -(ln(pg_temp.u(i, 3)) + ln(pg_temp.u(i, 4))) AS ga,
				 -(ln(pg_temp.u(i, 5)) + ln(pg_temp.u(i, 6)) + ln(pg_temp.u(i, 7)) +
				   ln(pg_temp.u(i, 8)) + ln(pg_temp.u(i, 9)) + ln(pg_temp.u(i, 10))) AS gb
		  FROM generate_series(0, 2999) i) g),
arrivals AS (
	SELECT i, T, sum(-ln(pg_temp.u(i, 100 + k)) / lam) OVER (PARTITION BY i ORDER BY k) AS at
	FROM c, generate_series(1, least(1 + floor(ln(pg_temp.u(i, 12)) / ln(1 - p)), ceil(3 * lam * T + 20))::int) k)
SELECT c.i::int AS customer_id, count(a.at)::float8 AS x, coalesce(max(a.at), 0) AS tx, c.T
FROM c LEFT JOIN arrivals a ON a.i = c.i AND a.at <= a.T
GROUP BY c.i, c.T;
EOSQL

$coord->safe_psql('postgres', $data_sql);
for my $i (0 .. 1)
{
	$shards[$i]->safe_psql('postgres',
		$data_sql
		  . "DELETE FROM surveys WHERE customer_id % 2 <> $i;\n"
		  . "DELETE FROM touches WHERE customer_id % 2 <> $i;\n"
		  . "DELETE FROM purchases WHERE customer_id % 2 <> $i;\n"
		  . "ANALYZE surveys; ANALYZE touches; ANALYZE purchases;");
}

# Foreign servers with the extension declared shippable, and a partitioned
# table per data set whose partitions are the shards' tables.
my $fdw_sql = "CREATE EXTENSION postgres_fdw;\n";
for my $i (0 .. 1)
{
	my $port = $shards[$i]->port;
	my $host = $shards[$i]->host;
	$fdw_sql .= <<"EOSQL";
CREATE SERVER shard$i FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host '$host', port '$port', dbname 'postgres',
			 extensions 'engagement', fetch_size '10000');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard$i;
EOSQL
}
$fdw_sql .= <<'EOSQL';
CREATE TABLE surveys_dist (customer_id int, day date, score int, weight float8)
	PARTITION BY LIST ((customer_id % 2));
CREATE TABLE touches_dist (customer_id int, ts timestamptz, channel text, event text)
	PARTITION BY LIST ((customer_id % 2));
CREATE TABLE purchases_dist (customer_id int, x float8, tx float8, T float8)
	PARTITION BY LIST ((customer_id % 2));
EOSQL
for my $i (0 .. 1)
{
	$fdw_sql .= <<"EOSQL";
CREATE FOREIGN TABLE surveys_s$i PARTITION OF surveys_dist FOR VALUES IN ($i)
	SERVER shard$i OPTIONS (table_name 'surveys');
CREATE FOREIGN TABLE touches_s$i PARTITION OF touches_dist FOR VALUES IN ($i)
	SERVER shard$i OPTIONS (table_name 'touches');
CREATE FOREIGN TABLE purchases_s$i PARTITION OF purchases_dist FOR VALUES IN ($i)
	SERVER shard$i OPTIONS (table_name 'purchases');
EOSQL
}
$coord->safe_psql('postgres', $fdw_sql);

sub same_result
{
	my ($name, $distributed, $local) = @_;
	# EXCEPT counts NULL as equal to NULL: rows holding a NULL are counted
	# apart, and none is expected
	my $sql = "SELECT count(*) FROM (($distributed) EXCEPT ($local)) a\n"
	  . "UNION ALL SELECT count(*) FROM (($local) EXCEPT ($distributed)) b\n"
	  . "UNION ALL SELECT count(*) FROM ($local) c\n"
	  . "UNION ALL SELECT count(*) FROM ($distributed) d WHERE NOT (d IS NOT NULL)\n"
	  . "UNION ALL SELECT count(*) FROM ($local) e WHERE NOT (e IS NOT NULL)";
	my @counts = split /\n/, $coord->safe_psql('postgres', $sql);
	ok( $counts[0] == 0
		  && $counts[1] == 0
		  && $counts[2] > 0
		  && $counts[3] == 0
		  && $counts[4] == 0,
		"$name: distributed result equals the single-node result ($counts[2] rows, none with a NULL)"
	  )
	  or diag("only distributed: $counts[0], only local: $counts[1], "
		  . "rows with a NULL: distributed $counts[3], local $counts[4]");
}

# 1. The two-step pattern by hand: each shard computes daily states, the
#    coordinator rolls them up.
my $plan = $coord->safe_psql('postgres',
	"EXPLAIN (VERBOSE, COSTS OFF) SELECT day, nps_agg(score) FROM surveys_s0 GROUP BY day");
like($plan, qr/Remote SQL: SELECT day, \S*nps_agg\(score\)/,
	'nps_agg is computed on the shard');

same_result('daily NPS states rolled up across shards',
	"SELECT day, rollup(s)::text FROM (
		SELECT day, nps_agg(score) AS s FROM surveys_s0 GROUP BY day
		UNION ALL
		SELECT day, nps_agg(score) AS s FROM surveys_s1 GROUP BY day) d
	 GROUP BY day",
	"SELECT day, nps_agg(score)::text FROM surveys GROUP BY day");

same_result('weighted NPS across shards',
	"SELECT round(nps(rollup(s))::numeric, 9), round(effective_responses(rollup(s))::numeric, 6)
	 FROM (SELECT nps_agg(score, weight) AS s FROM surveys_s0
		   UNION ALL SELECT nps_agg(score, weight) FROM surveys_s1) d",
	"SELECT round(nps(nps_agg(score, weight))::numeric, 9),
			round(effective_responses(nps_agg(score, weight))::numeric, 6) FROM surveys");

# 2. Partitionwise aggregation over foreign partitions: grouping by the
#    partition key pushes whole aggregates to the shards.
$coord->safe_psql('postgres', 'ALTER DATABASE postgres SET enable_partitionwise_aggregate = on');
$plan = $coord->safe_psql('postgres',
	"EXPLAIN (VERBOSE, COSTS OFF) SELECT customer_id % 2, journey_agg(ts, channel, event)
	 FROM touches_dist GROUP BY customer_id % 2");
like($plan, qr/Remote SQL: SELECT \(customer_id % 2\), \S*journey_agg\(ts, channel, event\)/,
	'journey_agg is pushed to the shards by partitionwise aggregation');

same_result('journeys per customer through the partitioned foreign table',
	"SELECT customer_id, j::text FROM (
		SELECT customer_id, journey_agg(ts, channel, event) AS j
		FROM touches_dist GROUP BY customer_id) d",
	"SELECT customer_id, journey_agg(ts, channel, event)::text FROM touches GROUP BY customer_id");

same_result('sessions computed from shard journeys',
	"SELECT customer_id, s.* FROM (
		SELECT customer_id, journey_agg(ts, channel) AS j FROM touches_dist GROUP BY customer_id) d,
		sessions(j, '30 minutes') s",
	"SELECT customer_id, s.* FROM (
		SELECT customer_id, journey_agg(ts, channel) AS j FROM touches GROUP BY customer_id) d,
		sessions(j, '30 minutes') s");

same_result('NPS per customer segment, states shipped as text and rolled up',
	"SELECT customer_id % 10, rollup(s)::text FROM (
		SELECT customer_id, nps_agg(score) AS s FROM surveys_dist GROUP BY customer_id) d
	 GROUP BY 1",
	"SELECT customer_id % 10, nps_agg(score)::text FROM surveys GROUP BY 1");

# A journey state built on a shard, rolled up on the coordinator over all
# customers at once.
same_result('one rollup of every shard journey',
	"SELECT touches(rollup(j)), channel_switches(rollup(j)) FROM (
		SELECT journey_agg(ts, channel) AS j FROM touches_s0
		UNION ALL SELECT journey_agg(ts, channel) FROM touches_s1) d",
	"SELECT touches(j), channel_switches(j) FROM (SELECT journey_agg(ts, channel) AS j FROM touches) d");

# Markov models and funnels built on the shards, merged on the coordinator.
same_result('markov model rolled up across shards',
	"SELECT rollup(m)::text FROM (
		SELECT markov_agg(channel_path(j, false), 1, 0) AS m
		FROM (SELECT customer_id, journey_agg(ts, channel) AS j FROM touches_s0 GROUP BY customer_id) a
		UNION ALL
		SELECT markov_agg(channel_path(j, false), 1, 0)
		FROM (SELECT customer_id, journey_agg(ts, channel) AS j FROM touches_s1 GROUP BY customer_id) b) d",
	"SELECT markov_agg(channel_path(j, false), 1, 0)::text
	 FROM (SELECT customer_id, journey_agg(ts, channel) AS j FROM touches GROUP BY customer_id) a");
# fractribution path summaries built on the shards, merged on the coordinator,
# and their credits
same_result('fractribution summary rolled up across shards',
	"SELECT s::text, (SELECT array_agg(a ORDER BY a.channel) FROM fractribution(s, 'shapley') a)::text
	 FROM (SELECT rollup(p) AS s FROM (
		SELECT fractribution_agg(path_transform(channel_path(j, false), 'exposure'), (customer_id % 4 = 0)::int, (customer_id % 4 <> 0)::int) AS p
		FROM (SELECT customer_id, journey_agg(ts, channel) AS j FROM touches_s0 GROUP BY customer_id) a
		UNION ALL
		SELECT fractribution_agg(path_transform(channel_path(j, false), 'exposure'), (customer_id % 4 = 0)::int, (customer_id % 4 <> 0)::int)
		FROM (SELECT customer_id, journey_agg(ts, channel) AS j FROM touches_s1 GROUP BY customer_id) b) d) r",
	"SELECT s::text, (SELECT array_agg(a ORDER BY a.channel) FROM fractribution(s, 'shapley') a)::text
	 FROM (SELECT fractribution_agg(path_transform(channel_path(j, false), 'exposure'), (customer_id % 4 = 0)::int, (customer_id % 4 <> 0)::int) AS s
		   FROM (SELECT customer_id, journey_agg(ts, channel) AS j FROM touches GROUP BY customer_id) a) r");
same_result('funnels per customer through the partitioned foreign table',
	"SELECT customer_id, f::text FROM (
		SELECT customer_id, funnel_agg('1 day', ts, channel = 'web', channel = 'app', event = 'click') AS f
		FROM touches_dist GROUP BY customer_id) d",
	"SELECT customer_id, funnel_agg('1 day', ts, channel = 'web', channel = 'app', event = 'click')::text
	 FROM touches GROUP BY customer_id");

# 3. Predictive models: filters on predictions run on the shards; a fit cannot be
#    merged, so the coordinator fits over the shards' summary rows, and
#    the model equals the single-node fit exactly (the fit sorts its rows)
$plan = $coord->safe_psql('postgres',
	"EXPLAIN (VERBOSE, COSTS OFF) SELECT customer_id FROM purchases_s1 WHERE p_alive(bgnbd(2, 10, 2, 6), x, tx, T) < 0.5");
like($plan, qr/Remote SQL: SELECT customer_id FROM public.purchases WHERE \(\(\S*p_alive\(/,
	'a filter on BG/NBD predictions runs on the shard');
same_result('customers likely gone, filtered on the shards',
	"SELECT customer_id FROM purchases_dist WHERE p_alive(bgnbd(2, 10, 2, 6), x, tx, T) < 0.5",
	"SELECT customer_id FROM purchases WHERE p_alive(bgnbd(2, 10, 2, 6), x, tx, T) < 0.5");
same_result('BG/NBD fit over the shards equals the single-node fit',
	'SELECT bgnbd_fit(x, tx, T)::text FROM purchases_dist',
	'SELECT bgnbd_fit(x, tx, T)::text FROM purchases');
same_result('predictions of that model on the shards',
	"SELECT customer_id, expected_purchases(m, 13, x, tx, T) FROM purchases_dist, (SELECT bgnbd_fit(x, tx, T) AS m FROM purchases) f",
	"SELECT customer_id, expected_purchases(m, 13, x, tx, T) FROM purchases, (SELECT bgnbd_fit(x, tx, T) AS m FROM purchases) f");

$coord->stop;
$_->stop for @shards;
done_testing();
