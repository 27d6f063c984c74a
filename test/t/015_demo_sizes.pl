#
# The demo's dashboard at every size from 50 customers up, several seeds
# (issue 21): the data generator (test/gen_data.sql) and the dashboard
# (test/dashboard.sql) as test/demo.sh runs them, on one cluster, one database
# per run.  Every run must finish (psql ON_ERROR_STOP) and print its
# predictive section: a model, or, where the data cannot determine one even
# penalized, the line saying so.  ENG_DEMO_SIZES="N:S N:S ..." replaces the
# list (e.g. "50000:42 50000:7" for the large sizes, which CI leaves to
# test/t/009_demo_args.pl's default run).
#
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my @runs = split ' ', ($ENV{ENG_DEMO_SIZES}
	  // '50:1 50:2 50:3 50:42 200:1 200:2 200:3 200:42 1000:1 1000:2 1000:3 1000:42 5000:7');

my $node = PostgreSQL::Test::Cluster->new('sizes');
$node->init;
$node->append_conf('postgresql.conf', "extension_destdir = '$ENV{EXT_DESTDIR}'")
  if $ENV{EXT_DESTDIR};
$node->append_conf('postgresql.conf', "lc_messages = 'C'\n");
$node->start;

foreach my $run (@runs)
{
	my ($customers, $seed) = split /:/, $run;
	my $db = "demo_${customers}_$seed";
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db, 'CREATE EXTENSION engagement');
	$node->command_ok(
		[ 'psql', '-X', '-q', '-o', '/dev/null', '-v', 'ON_ERROR_STOP=1',
			'-v', "customers=$customers", '-v', "seed=$seed",
			'-d', $node->connstr($db), '-f', 'test/gen_data.sql' ],
		"$customers customers, seed $seed: data");
	my ($out, $err) = ('', '');
	my $ok = IPC::Run::run(
		[ 'psql', '-X', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr($db),
			'-f', 'test/dashboard.sql' ],
		'>', \$out, '2>', \$err);
	ok($ok, "$customers customers, seed $seed: the dashboard runs to its end")
	  or diag($err);
	like($out, qr/(top 10 by predicted 12-month CLV|no model: the)/,
		"$customers customers, seed $seed: the predictive section");
	my @warnings = ($err =~ /WARNING:\s+(.*)/g);
	note("$customers customers, seed $seed: $_") for @warnings;
	note("$customers customers, seed $seed: no model")
	  if $out =~ /no model: the/;
	$node->safe_psql('postgres', "DROP DATABASE $db");
}

$node->stop;
done_testing();
