#
# BI clients: every example view (test/bi_views.sql, over generated CRM data)
# and every state type read through the drivers BI tools use, PgJDBC with
# server-side prepared statements and binary transfer, and psqlODBC through
# unixODBC, must give exactly what psql prints, custom types as their
# readable text form.
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
	"SELECT rfm_agg(ordered_at, amount::float8) FROM crm.orders WHERE customer_id <= 5 GROUP BY customer_id ORDER BY customer_id",
	# every state type, weighted NPS included, as a column of its own
	"SELECT nps_agg(score, weight), nps_agg(score) FROM crm.surveys",
	"SELECT journey_agg(ts, channel, event) FROM crm.touches WHERE customer_id <= 3 GROUP BY customer_id ORDER BY customer_id",
	"SELECT funnel_agg('1 day', 'strict_order', ts, channel = 'web', event = 'purchase') FROM crm.touches WHERE customer_id <= 3 GROUP BY customer_id ORDER BY customer_id",
	"SELECT markov_agg(ARRAY[channel], 1, 0, 2.5) FROM crm.touches WHERE customer_id <= 20",
	"SELECT bgnbd_fit(frequency(r), recency(r, '7 days'), age(r, '2026-10-31', '7 days')), gammagamma_fit(frequency(r), monetary(r)), bgnbd(0.243, 4.414, 0.793, 2.426) FROM (SELECT rfm_agg(ordered_at, amount::float8) AS r FROM crm.orders GROUP BY customer_id) s",
);

# psql: unaligned, "|" between columns, NULL as the empty string
my @expected;
for my $q (@queries)
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
my ($jout, $jerr) = run_command([ 'java', '-cp', "$jar:$classes", 'BiClient', $url, @queries ]);
is($jerr, '', 'PgJDBC client ran without errors');
# run_command chomps the last newline
my @jdbc = split /^--\n/m, "$jout\n";
for my $i (0 .. $#queries)
{
	is($jdbc[$i] // '<missing>', $expected[$i], "PgJDBC, prepared and binary: $queries[$i]");
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
for my $i (0 .. $#queries)
{
	my $sth = $dbh->prepare($queries[$i]);
	$sth->execute;
	$sth->finish;
	$sth->execute;
	my $got = '';
	while (my @row = $sth->fetchrow_array)
	{
		$got .= join('|', map { defined $_ ? $_ : '' } @row) . "\n";
	}
	is($got, $expected[$i], "psqlODBC, server-side prepared: $queries[$i]");
}
$dbh->disconnect;

$node->stop;
done_testing();
