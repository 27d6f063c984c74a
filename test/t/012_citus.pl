#
# Scale-out on Citus (issue 19): a coordinator and two workers on loopback,
# the extension created once on the coordinator, the CRM data of
# test/gen_data.sql (2,000 customers) distributed by customer (community
# posts by thread) next to local copies of the same rows.  Every aggregate
# and the main accessors and set-returning functions give the same result on
# the distributed tables as on the local ones; aggregates whose state is a
# real type are partially aggregated on the workers when grouped by a
# column that is not the distribution column; stored states in distributed
# tables roll up to the single-node result, through the binary and the text
# protocol and a binary COPY; CREATE and ALTER EXTENSION ... UPDATE reach
# the workers.
#
# Citus is preloaded from the system directories (test/test.sh installs the
# build in ../shared/citus when it is there); without it this file skips.
#
use strict;
use warnings;

use File::Basename qw(dirname);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $pkglibdir = `pg_config --pkglibdir`;
chomp $pkglibdir;
plan skip_all => "Citus is not installed ($pkglibdir/citus.so is missing; test/test.sh "
  . 'installs it as root from ../shared/citus when that folder is there)'
  unless -f "$pkglibdir/citus.so";

sub new_node
{
	my ($name) = @_;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init(allows_streaming => 0);
	$node->append_conf('postgresql.conf', <<'EOCONF');
shared_preload_libraries = 'citus'
listen_addresses = '127.0.0.1'
max_connections = 60
citus.shard_count = 4
EOCONF
	$node->append_conf('postgresql.conf',
		"extension_destdir = '$ENV{EXT_DESTDIR}'")
	  if $ENV{EXT_DESTDIR};
	$node->start;
	$node->safe_psql('postgres', 'CREATE EXTENSION citus');
	return $node;
}

# ENG_CITUS_CUSTOMERS (default 2000) sizes the data; ENG_CITUS_BENCH=K also
# times two queries, best of K runs, on the distributed and the local tables
# (see the end of this file).
my $customers = $ENV{ENG_CITUS_CUSTOMERS} // 2000;
my $bench_runs = $ENV{ENG_CITUS_BENCH} // 0;
my $t0      = time;
my $coord   = new_node('coordinator');
my @workers = (new_node('worker1'), new_node('worker2'));
$coord->safe_psql('postgres',
	"SELECT citus_set_coordinator_host('127.0.0.1', " . $coord->port . ')');
$coord->safe_psql('postgres', "SELECT citus_add_node('127.0.0.1', " . $_->port . ')')
  for @workers;
is($coord->safe_psql('postgres', 'SELECT count(*) FROM citus_get_active_worker_nodes()'),
	'2', 'two active workers');

sub ext_versions
{
	return join ' ', map {
		$_->safe_psql('postgres',
			"SELECT coalesce((SELECT extversion FROM pg_extension WHERE extname = 'engagement'), 'none')")
	} ($coord, @workers);
}

# The CRM data, local (schema crm), generated on the coordinator.
my $gen = dirname(__FILE__) . '/../gen_data.sql';
my ($rc, $out, $err) = $coord->psql('postgres', undef,
	extra_params => [ '-v', "customers=$customers", '-v', 'seed=7', '-f', $gen ]);
is($rc, 0, 'test/gen_data.sql generated the local tables') or diag($err);

# CREATE EXTENSION on the coordinator reaches the workers; so does DROP.
$coord->safe_psql('postgres', 'CREATE EXTENSION engagement');
is(ext_versions(), '1.2 1.2 1.2', 'CREATE EXTENSION engagement on the coordinator reaches both workers');
$coord->safe_psql('postgres', 'DROP EXTENSION engagement');
is(ext_versions(), 'none none none', 'DROP EXTENSION reaches both workers');

# Version 1.0 with states stored in a distributed table, then an update.
$coord->safe_psql('postgres', "CREATE EXTENSION engagement VERSION '1.0'");
is(ext_versions(), '1.0 1.0 1.0', "CREATE EXTENSION engagement VERSION '1.0' reaches both workers");

# The distributed copies (schema dist): facts by customer_id, community
# posts by thread_id, all co-located with the customers.
my $dist_sql = "CREATE SCHEMA dist;\n";
for my $t (qw(customers orders touches surveys referrals community_posts))
{
	my $key = { referrals => 'referrer_id', community_posts => 'thread_id' }->{$t} // 'customer_id';
	$dist_sql .= "CREATE TABLE dist.$t (LIKE crm.$t);\n"
	  . "SELECT create_distributed_table('dist.$t', '$key');\n"
	  . "INSERT INTO dist.$t SELECT * FROM crm.$t;\n";
}
$coord->safe_psql('postgres', $dist_sql);
is( $coord->safe_psql('postgres',
		"SELECT string_agg(logicalrelid::text || ':' || column_to_column_name(logicalrelid, partkey), ' ' ORDER BY logicalrelid::text)
		 FROM pg_dist_partition WHERE logicalrelid::text LIKE 'dist.%'"),
	'dist.community_posts:thread_id dist.customers:customer_id dist.orders:customer_id '
	  . 'dist.referrals:referrer_id dist.surveys:customer_id dist.touches:customer_id',
	'six distributed tables with their distribution columns');
is( $coord->safe_psql('postgres',
		"SELECT (SELECT count(*) FROM dist.touches) = (SELECT count(*) FROM crm.touches)
			AND (SELECT count(*) FROM crm.touches) > 10000"),
	't', 'the distributed touches hold the local rows');

$coord->safe_psql('postgres', <<'EOSQL');
CREATE TABLE crm.old_nps AS SELECT customer_id, nps_agg(score) AS n FROM crm.surveys GROUP BY customer_id;
CREATE TABLE dist.old_nps (LIKE crm.old_nps);
SELECT create_distributed_table('dist.old_nps', 'customer_id', colocate_with => 'dist.customers');
INSERT INTO dist.old_nps SELECT customer_id, nps_agg(score) FROM dist.surveys GROUP BY customer_id;
EOSQL
$coord->safe_psql('postgres', 'ALTER EXTENSION engagement UPDATE');
is(ext_versions(), '1.2 1.2 1.2', 'ALTER EXTENSION engagement UPDATE on the coordinator reaches both workers');

#
# Comparison.  Both queries are run ordered on exact columns; each line's
# text without its numbers must be equal, and its numbers equal within a
# relative tolerance of 1e-12 (floating-point sums differ in the order of
# their terms), absolute 1e-12 below 1.
#
my $tol = 1e-12;
my $num = qr/-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/;

sub differs
{
	my ($a, $b) = @_;
	my @na = $a =~ /($num)/g;
	my @nb = $b =~ /($num)/g;
	(my $sa = $a) =~ s/$num/#/g;
	(my $sb = $b) =~ s/$num/#/g;
	return 1 if $sa ne $sb || @na != @nb;
	for my $i (0 .. $#na)
	{
		my $scale = abs($na[$i]) > abs($nb[$i]) ? abs($na[$i]) : abs($nb[$i]);
		$scale = 1 if $scale < 1;
		return 1 if abs($na[$i] - $nb[$i]) > $tol * $scale;
	}
	return 0;
}

sub same_result
{
	my ($name, $query) = @_;
	(my $dq = $query) =~ s/\{s\}/dist/g;
	(my $lq = $query) =~ s/\{s\}/crm/g;
	my @d = split /\n/, $coord->safe_psql('postgres', $dq);
	my @l = split /\n/, $coord->safe_psql('postgres', $lq);
	my $bad = 0;
	my $first;
	for my $i (0 .. ($#d > $#l ? $#d : $#l))
	{
		next unless !defined $d[$i] || !defined $l[$i] || differs($d[$i], $l[$i]);
		$bad++;
		$first //= "distributed: " . ($d[$i] // '(none)') . "\nlocal:       " . ($l[$i] // '(none)');
	}
	ok($bad == 0 && @l > 0,
		"$name: distributed equals local (" . scalar(@l) . ' rows, ' . $bad . ' differ)')
	  or diag($first // 'no rows');
}

# How Citus ran a query on the distributed tables: partial aggregation on
# the workers (worker_partial_agg) is 1, else 0; in list context also how,
# in words (an Aggregate node above the Citus scan aggregates on the
# coordinator).
sub partial
{
	my ($query) = @_;
	(my $dq = $query) =~ s/\{s\}/dist/g;
	my $plan = $coord->safe_psql('postgres', "EXPLAIN (VERBOSE, COSTS OFF) $dq");
	my ($above) = $plan =~ /\A(.*?)Custom Scan \(Citus/s;
	my $how =
	    $plan =~ /worker_partial_agg/ ? 'partial on the workers'
	  : ($above // '') =~ /Aggregate/ ? 'aggregated on the coordinator from the workers\' rows'
	  : $plan =~ /Distributed Subplan/
	  ? 'the workers\' rows collected by a distributed subplan, aggregated on the coordinator'
	  : 'other plan: ' . (split /\n/, $plan)[0];
	return wantarray ? ($plan =~ /worker_partial_agg/ ? 1 : 0, $how) : ($plan =~ /worker_partial_agg/ ? 1 : 0);
}

# name => [query, grouped by a non-distribution column with a real-typed
# state (1: must be partial; 0: internal state, recorded only; undef: not
# checked)]
my @cases = (
	# NPS: integer, smallint, bigint and numeric scores, weighted
	[ 'nps by region', 1, q{
		SELECT c.region, nps(s.score), nps_agg(s.score)::text FROM {s}.surveys s JOIN {s}.customers c USING (customer_id)
		GROUP BY 1 ORDER BY 1} ],
	[ 'nps of smallint, bigint and numeric scores by channel', 1, q{
		SELECT channel, nps(score::smallint), nps(score::bigint), nps(score::numeric),
			   nps_agg(score::smallint)::text, nps_agg(score::bigint)::text, nps_agg(score::numeric)::text
		FROM {s}.surveys GROUP BY 1 ORDER BY 1} ],
	[ 'weighted nps_agg and accessors by month', 1, q{
		SELECT date_trunc('month', answered_at) AS m, nps(a), promoters(a), passives(a), detractors(a),
			   responses(a), effective_responses(a), std_error(a), margin_of_error(a, 0.9),
			   lower_bound(a, 0.9), upper_bound(a, 0.9)
		FROM (SELECT date_trunc('month', answered_at) AS answered_at, nps_agg(score, weight) AS a
			  FROM {s}.surveys GROUP BY 1) x ORDER BY 1} ],
	[ 'weighted nps_agg of bigint and numeric scores by channel', 1, q{
		SELECT channel, nps_agg(score::bigint, weight)::text, nps_agg(score::numeric, weight)::text,
			   nps_agg(score::smallint, weight)::text
		FROM {s}.surveys GROUP BY 1 ORDER BY 1} ],
	[ 'rollup of nps states stored under 1.0', undef, q{
		SELECT rollup(n)::text FROM {s}.old_nps} ],
	# engagement states
	[ 'engagement_agg by channel', 1, q{
		SELECT channel, e::text, score(e, '2026-11-01', '{1,1,1,1}', 50), involvement(e, '2026-11-01'),
			   interaction(e, '2026-11-01'), intimacy(e, '2026-11-01'), influence(e, '2026-11-01'),
			   events(e), first_seen(e), last_seen(e)
		FROM (SELECT channel, engagement_agg(ts,
				CASE WHEN event IN ('view', 'signup') THEN 'involvement' WHEN event = 'purchase' THEN 'intimacy'
					 WHEN event = 'review' THEN 'influence' ELSE 'interaction' END::engagement_dimension,
				1.0, '30 days') AS e
			  FROM {s}.touches GROUP BY 1) x ORDER BY 1} ],
	[ 'score_factors of engagement per customer', undef, q{
		SELECT customer_id, f.*
		FROM (SELECT customer_id, engagement_agg(ts, 'interaction', 1.0, '30 days') AS e
			  FROM {s}.touches GROUP BY 1) x, score_factors(e, '2026-11-01', '{1,1,1,1}', 50) f
		ORDER BY 1, 2} ],
	# value aggregates (float8 states)
	[ 'present_value and clv by channel', 1, q{
		SELECT channel, present_value(amount::float8, ordered_at, '2026-10-31', 0.1),
			   present_value(amount::float8, ordered_at, '2026-10-31', 0.01, '1 month'),
			   clv(margin::float8, 1.0, ordered_at, '2026-10-31', 0.1, '1 year'),
			   clv(margin::float8, 1.0, ordered_at, '2026-10-31', 0.1, '1 year', 0.8)
		FROM {s}.orders GROUP BY 1 ORDER BY 1} ],
	[ 'crv (bigint referee) by month', 1, q{
		SELECT date_trunc('month', referred_at), crv(referee_id, would_have_joined, 100, reward::float8, 5, 30),
			   crv(referee_id, would_have_joined, 100, reward::float8, 5, 30, 0.3)
		FROM {s}.referrals GROUP BY 1 ORDER BY 1} ],
	[ 'crv (text, integer, smallint and uuid referees) by month', 1, q{
		SELECT date_trunc('month', referred_at), crv(referee_id::text, would_have_joined, 100, reward::float8, 5, 30),
			   crv(referee_id::int, would_have_joined, 100, reward::float8, 5, 30, 0.3),
			   crv((referee_id % 30000)::smallint, would_have_joined, 100, reward::float8, 5, 30),
			   crv(md5(referee_id::text)::uuid, would_have_joined, 100, reward::float8, 5, 30, 0.3)
		FROM {s}.referrals GROUP BY 1 ORDER BY 1} ],
	[ 'crv per referrer (distribution column)', undef, q{
		SELECT referrer_id, crv(referee_id, would_have_joined, 100, reward::float8, 5, 30)
		FROM {s}.referrals GROUP BY 1 ORDER BY 1} ],
	[ 'retention by signup month', 1, q{
		SELECT date_trunc('month', c.signed_up_at) AS m,
			   retention(true, o.ordered_at < c.signed_up_at + interval '30 days',
						 o.ordered_at >= c.signed_up_at + interval '90 days')::text
		FROM {s}.orders o JOIN {s}.customers c USING (customer_id) GROUP BY 1 ORDER BY 1} ],
	# internal states: journeys, funnels, Markov models, RFM, community, fits
	[ 'journey_agg per customer and accessors', undef, q{
		SELECT customer_id, j::text, touches(j), first_touch(j), last_touch(j), first_touch_at(j),
			   last_touch_at(j), channel_path(j), channel_switches(j), session_count(j, '30 minutes')
		FROM (SELECT customer_id, journey_agg(ts, channel, event) AS j FROM {s}.touches GROUP BY 1) x ORDER BY 1} ],
	[ 'journey_agg by region', 0, q{
		SELECT c.region, journey_agg(t.ts, t.channel)::text FROM {s}.touches t JOIN {s}.customers c USING (customer_id)
		WHERE t.customer_id % 50 = 0 GROUP BY 1 ORDER BY 1} ],
	[ 'sessions and attribution of journeys', undef, q{
		SELECT customer_id, s.*, a.*
		FROM (SELECT customer_id, journey_agg(ts, channel, event) AS j FROM {s}.touches
			  WHERE customer_id % 20 = 0 GROUP BY 1) x,
			 LATERAL (SELECT count(*) AS sessions, sum(touches) AS touches FROM sessions(j, '30 minutes')) s,
			 LATERAL (SELECT string_agg(channel || '=' || credit, ',' ORDER BY channel) AS credit
					  FROM attribution(j, 'linear')) a
		ORDER BY 1} ],
	[ 'funnel_agg and window_funnel per customer', undef, q{
		SELECT customer_id, f::text, deepest_step(f), steps(f), step_times(f)::text, w
		FROM (SELECT customer_id, funnel_agg('7 days', ts, event = 'view', event = 'click', event = 'purchase') AS f,
					 window_funnel('7 days', ts, event = 'view', event = 'click', event = 'purchase') AS w
			  FROM {s}.touches GROUP BY 1) x ORDER BY 1} ],
	[ 'funnel_agg and window_funnel by channel', 0, q{
		SELECT channel, funnel_agg('7 days', 'strict_order', ts, event = 'view', event = 'purchase')::text,
			   window_funnel('7 days', 'strict_order', ts, event = 'view', event = 'purchase')
		FROM {s}.touches WHERE customer_id % 10 = 0 GROUP BY 1 ORDER BY 1} ],
	[ 'markov_agg by region over per-customer paths', 0, q{
		SELECT region, m::text, conversion_probability(m)
		FROM (SELECT c.region, markov_agg(channel_path(p.j, false), p.conv, 1 - p.conv) AS m
			  FROM (SELECT customer_id, journey_agg(ts, channel) AS j,
						   (count(*) FILTER (WHERE event = 'purchase') > 0)::int AS conv
					FROM {s}.touches GROUP BY 1) p JOIN {s}.customers c USING (customer_id)
			  GROUP BY 1) x ORDER BY 1} ],
	[ 'markov_agg with values and removal_effects', undef, q{
		SELECT r.* FROM (SELECT markov_agg(ARRAY[channel], (event = 'purchase')::int, (event <> 'purchase')::int, 2.5) AS m
						 FROM {s}.touches) x, removal_effects(m) r ORDER BY 1} ],
	[ 'rfm_agg by region', 0, q{
		SELECT c.region, rfm_agg(o.ordered_at, o.amount::float8)::text,
			   frequency(rfm_agg(o.ordered_at, o.amount::float8)), monetary(rfm_agg(o.ordered_at, o.amount::float8))
		FROM {s}.orders o JOIN {s}.customers c USING (customer_id) GROUP BY 1 ORDER BY 1} ],
	[ 'rfm accessors per customer', undef, q{
		SELECT customer_id, frequency(r), recency(r), monetary(r), age(r, '2026-11-01', '1 day')
		FROM (SELECT customer_id, rfm_agg(ordered_at, amount::float8) AS r FROM {s}.orders GROUP BY 1) x ORDER BY 1} ],
	[ 'community_agg per community', 0, q{
		SELECT community, c::text, posts(c), threads(c), members(c), answered_threads(c), views(c),
			   health_index(c, '30 days', c, 0.1)
		FROM (SELECT community, community_agg(thread_id, author_id, posted_at, parent_post_id IS NULL, views) AS c
			  FROM {s}.community_posts GROUP BY 1) x ORDER BY 1} ],
	[ 'community_agg with sentiment over all posts', 0, q{
		SELECT community_agg(thread_id, author_id, posted_at, parent_post_id IS NULL, views, 0.5)::text,
			   community_agg(thread_id, author_id, posted_at, parent_post_id IS NULL)::text
		FROM {s}.community_posts} ],
	[ 'bgnbd_fit and gammagamma_fit (plain and penalized) with predictions', 0, q{
		WITH s AS (SELECT customer_id, count(*) - 1.0 AS x,
						  extract(epoch FROM max(ordered_at) - min(ordered_at)) / 604800 AS tx,
						  extract(epoch FROM timestamptz '2026-10-31' - min(ordered_at)) / 604800 AS t,
						  avg(amount)::float8 AS m
				   FROM {s}.orders GROUP BY 1),
			 f AS (SELECT bgnbd_fit(x, tx, t) AS b, gammagamma_fit(x, m) FILTER (WHERE x > 0) AS g,
						  bgnbd_fit(x, tx, t, 0.01) AS bp, gammagamma_fit(x, m, 0.01) FILTER (WHERE x > 0) AS gp
				   FROM s)
		SELECT b::text, g::text, bp::text, gp::text, (estimates(b)).*, (estimates(g)).*,
			   (SELECT sum(expected_purchases(b, 13, x, tx, t)) FROM s)
		FROM f} ],
);

my @internal_ways;
for my $c (@cases)
{
	my ($name, $must_partial, $query) = @$c;
	same_result($name, $query);
	next unless defined $must_partial;
	if ($must_partial)
	{
		ok(partial($query), "$name: partially aggregated on the workers (worker_partial_agg)");
	}
	else
	{
		my (undef, $how) = partial($query);
		push @internal_ways, "$name: $how";
	}
}
diag("internal-state aggregates not grouped by the distribution column: $_") for @internal_ways;

# Internal-state aggregates grouped by the distribution column run whole on
# the workers: the coordinator's plan is the Citus scan alone, the
# aggregation is in the workers' plan.
for my $q (
	'SELECT customer_id, journey_agg(ts, channel, event) FROM dist.touches GROUP BY 1',
	"SELECT customer_id, funnel_agg('7 days', ts, event = 'view', event = 'purchase') FROM dist.touches GROUP BY 1",
	'SELECT customer_id, markov_agg(ARRAY[channel], 1, 0) FROM dist.touches GROUP BY 1',
	'SELECT customer_id, rfm_agg(ordered_at, amount::float8) FROM dist.orders GROUP BY 1',
	'SELECT thread_id, community_agg(thread_id, author_id, posted_at, parent_post_id IS NULL) FROM dist.community_posts GROUP BY 1')
{
	my $plan = $coord->safe_psql('postgres', "EXPLAIN (VERBOSE, COSTS OFF) $q");
	my ($agg) = $q =~ /, (\w+)\(/;
	ok($plan =~ /\ACustom Scan \(Citus Adaptive\)/ && $plan =~ /Aggregate/,
		"$agg grouped by the distribution column runs whole on the workers")
	  or diag($plan);
}

# The anyelement form of crv (a key type without an overload) grouped by a
# non-distribution column: recorded, not asserted (Citus 13 refuses it).
($rc, $out, $err) = $coord->psql('postgres',
	"SELECT date_trunc('month', referred_at), crv(referee_id::numeric, would_have_joined, 100, 1, 5, 30)
	 FROM dist.referrals GROUP BY 1");
diag('crv(numeric referee, ...) by month on Citus: ' . ($rc == 0 ? 'works' : $err));

# An aggregate as a window function over a distributed table: the argument
# forms (1.2) work and agree with one node; the VARIADIC form is recorded
# (Citus 13 sends it to the workers without VARIADIC).
my $win_sql = q{SELECT count(*), sum(l), count(*) FILTER (WHERE l = 2) FROM (
	SELECT customer_id, deepest_step(funnel_agg('7 days', ts, event = 'view', event = 'purchase')
		OVER (PARTITION BY customer_id)) AS l FROM {s}.touches) w};
(my $win_local = $win_sql) =~ s/\{s\}/crm/g;
(my $win_dist = $win_sql) =~ s/\{s\}/dist/g;
is($coord->safe_psql('postgres', $win_dist), $coord->safe_psql('postgres', $win_local),
	'funnel_agg(...) OVER (PARTITION BY customer_id) with the steps as arguments: same as one node');
($rc, $out, $err) = $coord->psql('postgres',
	"SELECT customer_id, deepest_step(funnel_agg('7 days', ts, VARIADIC ARRAY[event = 'view', event = 'purchase'])
		OVER (PARTITION BY customer_id)) FROM dist.touches");
diag('funnel_agg(..., VARIADIC ARRAY[...]) OVER (PARTITION BY customer_id) on Citus: ' . ($rc == 0 ? 'works' : $err));

# EXPLAIN ANALYZE of a partially aggregated custom aggregate: recorded (a
# Citus 13 bug makes it fail).
($rc, $out, $err) = $coord->psql('postgres',
	'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT channel, nps(score) FROM dist.surveys GROUP BY 1');
diag('EXPLAIN ANALYZE of nps() by channel on Citus: ' . ($rc == 0 ? 'works' : $err));

#
# Stored states: per-customer states in a distributed table, computed on the
# workers, rolled up on the coordinator; equal to one node, through the
# binary and the text protocol between the nodes.
#
my $states_sql = q{
CREATE TABLE {s}.states AS
SELECT t.customer_id, n.n, t.j, t.e, t.f, t.m, r.r
FROM (SELECT customer_id, journey_agg(ts, channel, event) AS j,
			 engagement_agg(ts, 'interaction', 1.0, '30 days') AS e,
			 funnel_agg('7 days', ts, event = 'view', event = 'purchase') AS f,
			 markov_agg(ARRAY[channel], (event = 'purchase')::int, (event <> 'purchase')::int) AS m
	  FROM {s}.touches GROUP BY 1) t
LEFT JOIN (SELECT customer_id, nps_agg(score, weight) AS n FROM {s}.surveys GROUP BY 1) n USING (customer_id)
LEFT JOIN (SELECT customer_id, rfm_agg(ordered_at, amount::float8) AS r FROM {s}.orders GROUP BY 1) r USING (customer_id);
};
(my $lsql = $states_sql) =~ s/\{s\}/crm/g;
$coord->safe_psql('postgres', $lsql);
(my $dsql = $states_sql) =~ s/\{s\}/dist/g;
$dsql =~ s/CREATE TABLE dist.states AS/CREATE TABLE dist.states (customer_id bigint, n nps_summary, j journey, e engagement, f funnel, m markov_model, r rfm);
SELECT create_distributed_table('dist.states', 'customer_id', colocate_with => 'dist.customers');
INSERT INTO dist.states/;
$coord->safe_psql('postgres', $dsql);

my $rollups = q{
	SELECT customer_id % 5 AS k, rollup(n)::text, rollup(j)::text, rollup(e)::text, rollup(f)::text,
		   rollup(m)::text, rollup(r)::text
	FROM {s}.states GROUP BY 1 ORDER BY 1};
for my $binary ('on', 'off')
{
	$coord->safe_psql('postgres', "ALTER SYSTEM SET citus.enable_binary_protocol = $binary");
	$coord->reload;
	same_result("states stored per customer rolled up by customer_id % 5, binary protocol $binary", $rollups);
	same_result("stored states read back row by row, binary protocol $binary",
		'SELECT customer_id, n::text, j::text, e::text, f::text, m::text, r::text FROM {s}.states ORDER BY 1');
}
ok(partial('SELECT customer_id % 5, rollup(n), rollup(e) FROM {s}.states GROUP BY 1'),
	'rollup() of nps_summary and engagement states is partially aggregated on the workers');

# A binary COPY of the distributed state table, out and back in.
my $file = $coord->basedir . '/states.bin';
$coord->safe_psql('postgres', <<"EOSQL");
COPY (SELECT * FROM dist.states) TO '$file' (FORMAT binary);
CREATE TABLE dist.states_copy (LIKE dist.states);
SELECT create_distributed_table('dist.states_copy', 'customer_id', colocate_with => 'dist.customers');
COPY dist.states_copy FROM '$file' (FORMAT binary);
EOSQL
is( $coord->safe_psql('postgres', q{
		SELECT count(*), count(*) FILTER (WHERE ROW(a.n::text, a.j::text, a.e::text, a.f::text, a.m::text, a.r::text)
			IS DISTINCT FROM ROW(b.n::text, b.j::text, b.e::text, b.f::text, b.m::text, b.r::text))
		FROM dist.states a FULL JOIN dist.states_copy b USING (customer_id)}),
	$coord->safe_psql('postgres', 'SELECT count(*) FROM crm.states') . '|0',
	'a binary COPY of the distributed states reads back equal');

#
# Benchmark (only with ENG_CITUS_BENCH=K): one real-typed aggregate (NPS by
# region, partial on the workers) and one internal-state aggregate (journeys
# per customer, whole on the workers), best of K runs on the distributed
# tables next to the same query on the local tables of the coordinator.  All
# three servers share this machine's cores, so the ratio shows Citus's
# overhead and what the workers' parallelism gives on these cores, not what
# separate machines would give.
# A worker added after CREATE EXTENSION: Citus copies the extension to it on
# activation, and a table distributed afterwards has shards there, whose
# aggregates run on it and agree with one node.
my $w3 = new_node('worker3');
$coord->safe_psql('postgres', "SELECT citus_add_node('127.0.0.1', " . $w3->port . ')');
is( $w3->safe_psql('postgres',
		"SELECT coalesce((SELECT extversion FROM pg_extension WHERE extname = 'engagement'), 'none')"),
	'1.2', 'a worker added after CREATE EXTENSION has the extension');
$coord->safe_psql('postgres', q{
SET client_min_messages = warning;
CREATE TABLE dist.touches_late AS SELECT * FROM crm.touches;
SELECT create_distributed_table('dist.touches_late', 'customer_id', colocate_with => 'none');
});
ok( $coord->safe_psql('postgres',
		"SELECT count(*) FROM citus_shards WHERE table_name = 'dist.touches_late'::regclass AND nodeport = "
		  . $w3->port) > 0,
	'a table distributed after the new worker has shards on it');
my $late_sql = q{SELECT sum(session_count(j, '30 minutes')), sum(l), count(*) FROM (
	SELECT customer_id, journey_agg(ts, channel, event) AS j,
		   window_funnel('7 days', ts, event, ARRAY['view', 'purchase']) AS l
	FROM {s} GROUP BY 1) x};
(my $late_dist = $late_sql) =~ s/\{s\}/dist.touches_late/;
(my $late_local = $late_sql) =~ s/\{s\}/crm.touches/;
is($coord->safe_psql('postgres', $late_dist), $coord->safe_psql('postgres', $late_local),
	'journey_agg and window_funnel over shards on the new worker: same as one node');

if ($bench_runs > 0)
{
	my %bench = (
		'nps_agg by region (real-typed state)' => q{
			SELECT c.region, nps_agg(s.score, s.weight) FROM {s}.surveys s JOIN {s}.customers c USING (customer_id)
			GROUP BY 1},
		'journey_agg per customer, session_count (internal state)' => q{
			SELECT sum(session_count(j, '30 minutes')) FROM (
				SELECT customer_id, journey_agg(ts, channel, event) AS j FROM {s}.touches GROUP BY 1) x});
	for my $name (sort keys %bench)
	{
		my %best;
		for my $schema ('dist', 'crm')
		{
			(my $q = $bench{$name}) =~ s/\{s\}/$schema/g;
			my $timings = $coord->safe_psql('postgres',
				"\\timing on\n" . join('', map { "$q;\n" } 1 .. $bench_runs));
			my @ms = $timings =~ /^Time: ([\d.]+) ms/mg;
			$best{$schema} = (sort { $a <=> $b } @ms)[0];
		}
		diag(sprintf('bench %s, %d customers: Citus %.1f ms, one node %.1f ms, ratio %.2f',
				$name, $customers, $best{dist}, $best{crm}, $best{dist} / $best{crm}));
	}
}

note('elapsed: ' . (time - $t0) . ' s');
$coord->stop;
$_->stop for @workers, $w3;
done_testing();
