#
# BI clients: every example view (test/bi_views.sql, over generated CRM data)
# and every state type read through the drivers BI tools use, PgJDBC with
# server-side prepared statements and binary transfer, and psqlODBC through
# unixODBC, must give exactly what psql prints, custom types as their
# readable text form.  Every state type also goes through what a BI tool
# sends to list, group and filter by a state: DISTINCT, GROUP BY, UNION,
# count(DISTINCT), "WHERE state = ?" with a state read back sent as a text
# parameter, and the jsonb cast, over a table where each state repeats.
#
# Needs javac, Debian's libpostgresql-jdbc-java, odbc-postgresql, unixodbc
# and libdbd-odbc-perl (test/test.sh installs them); skips when absent.
#
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $jar = '/usr/share/java/postgresql.jar';
my $have_jdbc = -f $jar && system('javac -version >/dev/null 2>&1') == 0;
my $have_odbc = eval { require DBI; require DBD::ODBC; 1 }
  && -f '/etc/odbcinst.ini'
  && system("grep -q 'PostgreSQL Unicode' /etc/odbcinst.ini") == 0;
plan skip_all => 'needs javac, libpostgresql-jdbc-java, odbc-postgresql and libdbd-odbc-perl'
  unless $have_jdbc && $have_odbc;

my $node = PostgreSQL::Test::Cluster->new('bi');
$node->init;
$node->append_conf('postgresql.conf', "extension_destdir = '$ENV{EXT_DESTDIR}'")
  if $ENV{EXT_DESTDIR};
$node->append_conf('postgresql.conf', "listen_addresses = '127.0.0.1'");
$node->start;
my $port = $node->port;
my $user = getpwuid($<);

$node->safe_psql('postgres', 'CREATE EXTENSION engagement');
$node->command_ok(
	[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', 'customers=1000',
		'-d', $node->connstr('postgres'), '-f', 'test/gen_data.sql' ],
	'generated CRM data');
$node->command_ok(
	[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1',
		'-d', $node->connstr('postgres'), '-f', 'test/bi_views.sql' ],
	'BI views');

# every state type with repeats: three distinct states of each type, two of
# them twice, and a row of NULLs
$node->safe_psql('postgres', q{
CREATE TABLE bi_states AS
SELECT k,
	   (SELECT nps_agg(score, weight) FROM crm.surveys WHERE customer_id % 3 = k AND customer_id <= 60) AS nps_summary,
	   (SELECT journey_agg(ts, channel, event) FROM crm.touches WHERE customer_id = k + 1) AS journey,
	   (SELECT funnel_agg('1 day', ts, event = 'view', event = 'purchase') FROM crm.touches
		WHERE customer_id % 3 = k AND customer_id <= 30) AS funnel,
	   (SELECT markov_agg(ARRAY[channel], (event = 'purchase')::int, (event <> 'purchase')::int)
		FROM crm.touches WHERE customer_id = k + 1) AS markov_model,
	   (SELECT engagement_agg(ts, 'interaction', 1, '30 days') FROM crm.touches WHERE customer_id = k + 1) AS engagement,
	   (SELECT rfm_agg(ordered_at, amount::float8) FROM crm.orders WHERE customer_id % 3 = k AND customer_id <= 30) AS rfm,
	   (SELECT community_agg(thread_id, author_id, posted_at, parent_post_id IS NULL, views)
		FROM crm.community_posts WHERE thread_id = k + 1) AS community_health,
	   bgnbd(0.243 + k, 4.414, 0.793, 2.426) AS bgnbd,
	   gammagamma(6.25, 3.74 + k, 15.44) AS gammagamma,
	   bgbb(1.204 + k, 0.75, 0.657, 2.783) AS bgbb,
	   paretonbd(0.55 + k, 10.58, 0.61, 11.67) AS paretonbd,
	   (SELECT fractribution_agg(ARRAY[channel, coalesce(event, 'none')], (event = 'purchase')::int,
								 (event IS DISTINCT FROM 'purchase')::int, 2.5)
		FROM crm.touches WHERE customer_id = k + 1) AS fractribution_summary,
	   (SELECT identity_agg(id_a, id_b, seen_at) FROM crm.identity_links
		WHERE id_a = 'crm:' || (k + 1) OR id_b = 'crm:' || (k + 1)
		   OR id_b = 'email:customer' || (k + 1) || '@example.com') AS identity_graph,
	   (SELECT classifier_agg(score / 10.0, customer_id % 2 = 0) FROM crm.surveys
		WHERE customer_id % 3 = k AND customer_id <= 60) AS classifier_summary
FROM generate_series(0, 2) k;
INSERT INTO bi_states SELECT * FROM bi_states WHERE k < 2;
INSERT INTO bi_states (k) VALUES (3);
});
my %has_json = map { $_ => 1 }
  qw(nps_summary funnel engagement rfm community_health bgnbd gammagamma bgbb paretonbd fractribution_summary identity_graph classifier_summary);
my @state_queries;
for my $s (qw(nps_summary journey funnel markov_model engagement rfm
	community_health bgnbd gammagamma bgbb paretonbd fractribution_summary identity_graph classifier_summary))
{
	die "bi_states.$s has fewer than three distinct states"
	  unless $node->safe_psql('postgres',
		"SELECT count(DISTINCT ${s}::text) FROM bi_states") eq '3';
	push @state_queries,
	  "SELECT DISTINCT $s FROM bi_states ORDER BY $s",
	  "SELECT $s, count(*) FROM bi_states GROUP BY $s ORDER BY $s",
	  "SELECT $s FROM bi_states UNION SELECT $s FROM bi_states ORDER BY 1",
	  "SELECT count(DISTINCT $s) FROM bi_states",
	  # the filter: each state read back and sent as a parameter; psql's
	  # reference counts the rows whose text form is the same
	  [ "SELECT count(*) FROM bi_states WHERE $s = ? <<< "
		  . "SELECT DISTINCT $s FROM bi_states WHERE $s IS NOT NULL ORDER BY $s",
		"SELECT d.$s, (SELECT count(*) FROM bi_states b WHERE b.${s}::text = d.${s}::text) "
		  . "FROM (SELECT DISTINCT $s FROM bi_states WHERE $s IS NOT NULL) d ORDER BY d.$s" ];
	push @state_queries, "SELECT ${s}::jsonb FROM bi_states ORDER BY $s, k"
	  if $has_json{$s};
}

# [query for the drivers, query for psql] where they differ
my @queries = (
	'SELECT * FROM bi.monthly_nps ORDER BY month',
	'SELECT * FROM bi.sessions_by_channel ORDER BY channel',
	'SELECT * FROM bi.customer_journeys ORDER BY customer_id',
	'SELECT * FROM bi.funnel_by_cohort ORDER BY cohort',
	'SELECT * FROM bi.channel_attribution ORDER BY channel',
	'SELECT * FROM bi.value_leaders ORDER BY customer_id',
	'SELECT * FROM bi.engagement_leaderboard ORDER BY score DESC, customer_id LIMIT 100',
	'SELECT * FROM bi.predicted_value ORDER BY customer_id',
	'SELECT * FROM bi.community_health ORDER BY community, month',
	'SELECT * FROM bi.support_escalations ORDER BY community, thread_id',
	# the views of the demo's HTML report (test/report.py)
	'SELECT * FROM bi.monthly_nps_by_region ORDER BY region, month',
	'SELECT * FROM bi.funnel_by_channel ORDER BY acquisition_channel',
	'SELECT * FROM bi.retention_by_cohort ORDER BY cohort, months_after',
	'SELECT * FROM bi.channel_transitions ORDER BY from_channel, to_channel',
	'SELECT * FROM bi.attribution_by_model ORDER BY channel, model',
	'SELECT * FROM bi.p_alive_grid ORDER BY repeat_purchases, recency_weeks',
	'SELECT * FROM bi.holdout_check ORDER BY repeat_purchases_before',
	'SELECT * FROM bi.purchase_prediction ORDER BY position',
	"SELECT rfm_agg(ordered_at, amount::float8) FROM crm.orders WHERE customer_id <= 5 GROUP BY customer_id ORDER BY customer_id",
	# every state type, weighted NPS included, as a column of its own
	"SELECT nps_agg(score, weight), nps_agg(score) FROM crm.surveys",
	"SELECT journey_agg(ts, channel, event) FROM crm.touches WHERE customer_id <= 3 GROUP BY customer_id ORDER BY customer_id",
	"SELECT funnel_agg('1 day', 'strict_order', ts, channel = 'web', event = 'purchase') FROM crm.touches WHERE customer_id <= 3 GROUP BY customer_id ORDER BY customer_id",
	"SELECT markov_agg(ARRAY[channel], 1, 0, 2.5) FROM crm.touches WHERE customer_id <= 20",
	"SELECT bgnbd_fit(frequency(r), recency(r, '7 days'), age(r, '2026-10-31', '7 days')), gammagamma_fit(frequency(r), monetary(r)), bgnbd(0.243, 4.414, 0.793, 2.426) FROM (SELECT rfm_agg(ordered_at, amount::float8) AS r FROM crm.orders GROUP BY customer_id) s",
	# a BI tool's filter list over the views' state columns (issue 18)
	'SELECT DISTINCT nps_state FROM bi.monthly_nps ORDER BY 1',
	'SELECT DISTINCT model FROM bi.channel_attribution ORDER BY 1',
	'SELECT DISTINCT funnel FROM bi.funnel_by_cohort ORDER BY 1',
	'SELECT count(DISTINCT journey) FROM bi.customer_journeys',
	'SELECT state, count(*) FROM bi.community_health GROUP BY state ORDER BY state',
	@state_queries,
);
my @driver_sql = map { ref $_ ? $_->[0] : $_ } @queries;
my @psql_sql = map { ref $_ ? $_->[1] : $_ } @queries;

# psql: unaligned, "|" between columns, NULL as the empty string
my @expected;
for my $q (@psql_sql)
{
	my $out = $node->safe_psql('postgres', $q);
	push @expected, $out eq '' ? '' : "$out\n";
}

# PgJDBC
my $classes = PostgreSQL::Test::Utils::tempdir;
system('javac', '-d', $classes, '-cp', $jar, 'test/clients/BiClient.java') == 0
  or die 'cannot compile test/clients/BiClient.java';
my $url = "jdbc:postgresql://127.0.0.1:$port/postgres?user=$user"
  . '&prepareThreshold=-1&binaryTransfer=true';
my ($jout, $jerr) = run_command([ 'java', '-cp', "$jar:$classes", 'BiClient', $url, @driver_sql ]);
is($jerr, '', 'PgJDBC client ran without errors');
# run_command chomps the last newline
my @jdbc = split /^--\n/m, "$jout\n";
for my $i (0 .. $#queries)
{
	is($jdbc[$i] // '<missing>', $expected[$i], "PgJDBC, prepared and binary: $driver_sql[$i]");
}

# psqlODBC through unixODBC, server-side prepared statements; custom types
# arrive as long varchar (UnknownsAsLongVarchar), so nothing is truncated
my $odbcdir = PostgreSQL::Test::Utils::tempdir;
open(my $ini, '>', "$odbcdir/odbc.ini") or die;
print $ini <<"EOINI";
[engagement]
Driver=PostgreSQL Unicode
Servername=127.0.0.1
Port=$port
Database=postgres
Username=$user
UseServerSidePrepare=1
UnknownsAsLongVarchar=1
EOINI
close $ini;
$ENV{ODBCINI} = "$odbcdir/odbc.ini";
my $dbh = DBI->connect('dbi:ODBC:DSN=engagement', undef, undef,
	{ RaiseError => 1, PrintError => 0, LongReadLen => 50_000_000, LongTruncOk => 0,
	  odbc_ignore_named_placeholders => 1 });
# the rows of a prepared statement executed twice, "|" between columns
sub odbc_rows
{
	my ($sth, @params) = @_;
	$sth->execute(@params);
	$sth->finish;
	$sth->execute(@params);
	my $got = '';
	while (my @row = $sth->fetchrow_array)
	{
		$got .= join('|', map { defined $_ ? $_ : '' } @row) . "\n";
	}
	return $got;
}
for my $i (0 .. $#queries)
{
	my ($q, $source) = split / <<< /, $driver_sql[$i], 2;
	my $got = '';
	if (defined $source)
	{
		# the filter: each value read back is sent as a text parameter
		my $values = $dbh->selectcol_arrayref($source);
		my $sth = $dbh->prepare($q);
		$got .= "$_|" . odbc_rows($sth, $_) for @$values;
	}
	else
	{
		$got = odbc_rows($dbh->prepare($q));
	}
	is($got, $expected[$i], "psqlODBC, server-side prepared: $driver_sql[$i]");
}
$dbh->disconnect;

$node->stop;
done_testing();
