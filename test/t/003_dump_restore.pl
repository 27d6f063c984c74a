#
# Nothing is lost on dump and restore: tables holding every state type,
# views and materialized views built on the extension's aggregates go
# through pg_dump (custom format) and pg_restore into a new database, and
# through COPY in text and binary form; every value and every view result
# must come back identical.
#
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('dump');
$node->init;
$node->append_conf('postgresql.conf', "extension_destdir = '$ENV{EXT_DESTDIR}'")
  if $ENV{EXT_DESTDIR};
$node->start;

$node->safe_psql('postgres', 'CREATE DATABASE src');
$node->safe_psql('src', <<'EOSQL');
CREATE SCHEMA analytics;
CREATE EXTENSION engagement SCHEMA analytics;
SET search_path = public, analytics;
CREATE TABLE surveys AS
	SELECT i % 200 AS customer_id, date '2026-01-01' + i % 60 AS day,
		   abs(hashint4(i)) % 11 AS score, 0.5 + (i % 9) / 4.0 AS weight
	FROM generate_series(1, 20000) i;
CREATE TABLE touches AS
	SELECT c AS customer_id,
		   timestamptz '2026-01-01 00:00+00' + (k * 2000 + abs(hashint4(c * 50 + k)) % 900) * interval '1 minute'
			 + (k % 3) * interval '0.25 seconds' AS ts,
		   (ARRAY['web', 'app', 'call centre', 'e"mail'])[1 + abs(hashint4(c + k)) % 4] AS channel,
		   (ARRAY['view', NULL, 'click'])[1 + k % 3] AS event
	FROM generate_series(1, 300) c, generate_series(1, 1 + c % 30) k;

-- a table of every state type
CREATE TABLE states AS
	SELECT s.day, s.nps, s.wnps, j.j, j.f, j.m, j.e, j.r, j.m3
	FROM (SELECT day, nps_agg(score) AS nps, nps_agg(score, weight) AS wnps
		  FROM surveys GROUP BY day) s
	JOIN (SELECT ts::date AS day, journey_agg(ts, channel, event) AS j,
				 funnel_agg('1 hour', 'strict_order', ts, channel = 'web', event = 'click') AS f,
				 markov_agg(ARRAY[channel, 'web'], (event = 'click')::int, (event IS NULL)::int,
							length(channel)::float8 / 4) AS m,
				 engagement_agg(ts, CASE WHEN event IS NULL THEN 'involvement' ELSE 'interaction' END::engagement_dimension,
								length(channel) / 3.0, '7 days') AS e,
				 rfm_agg(ts, length(channel) * 1.25) AS r,
				 markov_agg(ARRAY[channel, 'web', channel], (event = 'click')::int, (event IS NULL)::int,
							NULL, 3) AS m3
		  FROM touches GROUP BY 1) j USING (day);

-- predictive models: a fitted one (text form) and ones from given parameters
CREATE TABLE models AS
	SELECT 1 AS id, '(v=1,r=0.2425929072885236,alpha=4.413531565347998,a=0.7928861471915445,b=2.425753431115753,customers=2357,ll=-9582.425560567348,iterations=24,cov=[0.002679400877153802,0.003461671141834868,0.00734378168169563,-0.0004566677934987034,-0.0008188696554104859,0.05486453216545538,0.00011155955001926128,0.0009828416015976928,0.06405271143054143,0.08454945321039871])'::bgnbd AS bg,
		   gammagamma(6.25, 3.74, 15.44) AS gg,
		   '(v=1,alpha=1.203522343959383,beta=0.7497163535054521,gamma=0.6567182100942067,delta=2.7834422338364746,customers=11104,ll=-33225.581274347,iterations=24,cov=[0.003324317537542556,0.002010297460250526,0.0015427987240179066,-0.0021509270817226863,-0.0011642431676486134,0.00603323352092864,-0.004035907742535713,-0.0021261952551197435,0.00863976243826656,0.013284822323928608])'::bgbb AS bb,
		   '(v=1,r=0.553275508022462,alpha=10.577612211328615,s=0.6062135664828718,beta=11.667911125267326,customers=2357,ll=-9594.973929826854,iterations=28,cov=[0.007410637425177399,0.005636000352726506,0.0063473926458220585,-0.009403777390861193,-0.004199514157659908,0.0954398006013292,-0.021794308854905634,-0.009771852090532593,0.15977560168386967,0.28336157396338096])'::paretonbd AS pn
	UNION ALL
	SELECT 2, bgnbd(0.5, 10, 1.5, 4), gammagamma(3, 4, 20), bgbb(1.204, 0.75, 0.657, 2.783),
		   paretonbd(0.55, 10.58, 0.61, 11.67);
CREATE VIEW donor_value AS
	SELECT id, p_alive(bb, 2, 4, 6) AS p_alive, expected_purchases(bb, 5, 2, 4, 6) AS next_5
	FROM models;
CREATE VIEW buyer_value AS
	SELECT id, p_alive(pn, 2, 30.43, 38.86) AS p_alive, expected_purchases(pn, 39, 2, 30.43, 38.86) AS next_39
	FROM models;
CREATE TABLE forum AS
	SELECT customer_id % 3 AS board, community_agg(customer_id / 7, customer_id, ts, customer_id % 7 = 0 AND event IS NULL, length(channel)) AS h
	FROM touches GROUP BY 1;
CREATE VIEW forum_health AS
	SELECT board, posts(h), members(h), first_reply_time(h), health_index(h, '30 days') AS health
	FROM forum;
CREATE VIEW customer_value AS
	SELECT id, customer_id, predicted_clv(bg, gg, frequency(r), recency(r, '7 days'),
									  age(r, '2026-12-01', '7 days'), greatest(monetary(r), 1), 12, 4.345, 0.01) AS clv
	FROM models, (SELECT customer_id, rfm_agg(ts, length(channel) * 1.25) AS r FROM touches GROUP BY 1) s;
CREATE TABLE scorecards AS
	SELECT customer_id % 5 AS segment, classifier_agg(length(channel) / 20.0 + (customer_id % 7) / 100.0, event IS NOT NULL) AS c
	FROM touches GROUP BY 1;
CREATE VIEW scorecard_quality AS
	SELECT segment, auc(c), auc_std_error(c), log_loss(c), brier_score(c) FROM scorecards;

-- identity graphs: per board, one stored out of line, and a view over the mapping
CREATE TABLE idgraphs (board int, g identity_graph);
ALTER TABLE idgraphs ALTER COLUMN g SET STORAGE EXTERNAL;
INSERT INTO idgraphs
	SELECT customer_id % 3, identity_agg('crm:' || customer_id, 'cookie:' || (customer_id * 7 + length(channel)) % 500, ts)
	FROM touches GROUP BY 1;
CREATE VIEW stitched AS
	SELECT board, i.* FROM idgraphs, identities(g, '{crm}', 50, '{cookie:1}') i;

-- learned engagement weights: a fit over the daily states (penalised: two
-- dimensions have no events) and a view over it
CREATE TABLE learned AS
	SELECT engagement_logit_fit(e, '2026-06-01 00:00+00', extract(dow FROM day) < 3, 1) AS model FROM states;
CREATE VIEW learned_scores AS
	SELECT day, outcome_probability(model, e, '2026-06-01 00:00+00') AS p,
		   score(e, '2026-06-01 00:00+00', score_weights(model), 0.5) AS score
	FROM learned, states;

CREATE VIEW monthly_nps AS
	SELECT date_trunc('month', day)::date AS month, nps(rollup(nps)) AS nps,
		   lower_bound(rollup(wnps)) AS weighted_lower
	FROM states GROUP BY 1;
CREATE MATERIALIZED VIEW customer_journeys AS
	SELECT customer_id, journey_agg(ts, channel, event) AS j
	FROM touches GROUP BY customer_id;
CREATE VIEW customer_sessions AS
	SELECT customer_id, s.*
	FROM customer_journeys, sessions(j, '30 minutes') s;
-- fractribution path summaries per day and the view of their credits
CREATE TABLE daily_paths AS
	SELECT day, fractribution_agg(path_transform(channel_path(j), 'exposure'), (customer_id % 3 = 0)::int,
								  (customer_id % 3 <> 0)::int, length(channel)::float8) AS p
	FROM (SELECT customer_id, ts::date AS day, min(channel) AS channel, journey_agg(ts, channel) AS j
		  FROM touches GROUP BY 1, 2) t
	GROUP BY day;
CREATE VIEW channel_credits AS
	SELECT a.channel, a.conversions, a.revenue
	FROM (SELECT rollup(p) AS p FROM daily_paths) s, fractribution(s.p, 'shapley') a;
EOSQL

# what the restored database must reproduce
my %checks = (
	'states'            => 'SELECT day, nps::text, wnps::text, j::text, f::text, m::text, e::text, r::text, m3::text FROM states ORDER BY day',
	'monthly view'      => 'SELECT * FROM monthly_nps ORDER BY month',
	'materialized view' => 'SELECT customer_id, j::text FROM customer_journeys ORDER BY customer_id',
	'sessions view'     => 'SELECT * FROM customer_sessions ORDER BY customer_id, session',
	'models'            => 'SELECT id, bg::text, gg::text, bb::text, pn::text FROM models ORDER BY id',
	'bgbb view'         => 'SELECT * FROM donor_value ORDER BY id',
	'paretonbd view'    => 'SELECT * FROM buyer_value ORDER BY id',
	'forum'             => 'SELECT board, h::text FROM forum ORDER BY board',
	'forum view'        => 'SELECT * FROM forum_health ORDER BY board',
	'value view'        => 'SELECT * FROM customer_value ORDER BY id, customer_id',
	'fractribution'     => 'SELECT day, p::text FROM daily_paths ORDER BY day',
	'fractribution view' => 'SELECT * FROM channel_credits ORDER BY channel NULLS LAST',
	'identity graphs'   => 'SELECT board, g::text FROM idgraphs ORDER BY board',
	'identity view'     => 'SELECT * FROM stitched ORDER BY board, identifier',
	'scorecards'        => 'SELECT segment, c::text FROM scorecards ORDER BY segment',
	'scorecard view'    => 'SELECT * FROM scorecard_quality ORDER BY segment',
	'learned model'     => 'SELECT model::text, c.* FROM learned, coefficients(model) c',
	'learned view'      => 'SELECT * FROM learned_scores ORDER BY day',
);
my %before;
for my $name (sort keys %checks)
{
	$before{$name} = $node->safe_psql('src',
		"SET search_path = public, analytics; $checks{$name}");
	my $rows = () = $before{$name} =~ /\n/g;
	ok($rows >= 1, "$name has rows before the dump");
}

my $dump = PostgreSQL::Test::Utils::tempdir . '/src.dump';
$node->command_ok(
	[ 'pg_dump', '-Fc', '-d', $node->connstr('src'), '-f', $dump ],
	'pg_dump of a database using the extension');
$node->safe_psql('postgres', 'CREATE DATABASE dst');
$node->command_ok(
	[ 'pg_restore', '--exit-on-error', '-d', $node->connstr('dst'), $dump ],
	'pg_restore into a new database');

for my $name (sort keys %checks)
{
	my $after = $node->safe_psql('dst',
		"SET search_path = public, analytics; $checks{$name}");
	is($after, $before{$name}, "$name identical after dump and restore");
}

# refreshing the restored materialized view gives the same rows again
$node->safe_psql('dst',
	'SET search_path = public, analytics; REFRESH MATERIALIZED VIEW customer_journeys');
is( $node->safe_psql('dst',
		"SET search_path = public, analytics; $checks{'materialized view'}"),
	$before{'materialized view'},
	'materialized view identical after refresh in the restored database');

# COPY out and in, text and binary
my $dir = PostgreSQL::Test::Utils::tempdir;
for my $format ('text', 'binary')
{
	$node->safe_psql('src', <<"EOSQL");
SET search_path = public, analytics;
COPY states TO '$dir/states.$format' WITH (FORMAT $format);
CREATE TABLE states_$format (LIKE states);
COPY states_$format FROM '$dir/states.$format' WITH (FORMAT $format);
COPY models TO '$dir/models.$format' WITH (FORMAT $format);
CREATE TABLE models_$format (LIKE models);
COPY models_$format FROM '$dir/models.$format' WITH (FORMAT $format);
COPY idgraphs TO '$dir/idgraphs.$format' WITH (FORMAT $format);
CREATE TABLE idgraphs_$format (LIKE idgraphs);
COPY idgraphs_$format FROM '$dir/idgraphs.$format' WITH (FORMAT $format);
COPY scorecards TO '$dir/scorecards.$format' WITH (FORMAT $format);
CREATE TABLE scorecards_$format (LIKE scorecards);
COPY scorecards_$format FROM '$dir/scorecards.$format' WITH (FORMAT $format);
EOSQL
	is( $node->safe_psql('src',
			"SET search_path = public, analytics; SELECT board, g::text FROM idgraphs_$format ORDER BY board"),
		$before{'identity graphs'},
		"identity graphs survive COPY in $format format");
	is( $node->safe_psql('src',
			"SET search_path = public, analytics; SELECT segment, c::text FROM scorecards_$format ORDER BY segment"),
		$before{scorecards},
		"classifier states survive COPY in $format format");
	is( $node->safe_psql('src',
			"SET search_path = public, analytics; SELECT id, bg::text, gg::text, bb::text, pn::text FROM models_$format ORDER BY id"),
		$before{models},
		"models survive COPY in $format format");
	is( $node->safe_psql('src',
			"SET search_path = public, analytics; "
			  . "SELECT day, nps::text, wnps::text, j::text, f::text, m::text, e::text, r::text, m3::text FROM states_$format ORDER BY day"),
		$before{states},
		"every state type survives COPY in $format format");
}

$node->stop;
done_testing();
