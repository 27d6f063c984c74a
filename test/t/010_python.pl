#
# From Python: states read with psycopg2, pandas and (when installed)
# psycopg 3 -- JSON casts, unnest() readers, to_json(row), DISTINCT and
# GROUP BY over states, the text form as a str and back as a parameter,
# nps() of bigint and numeric columns filled from a DataFrame.  The script,
# test/clients/python_client.py, computes every expected value itself from
# the raw rows of the generated CRM data (test/gen_data.sql).
#
# The Python examples of docs/python.md must appear verbatim in the script,
# so that the page shows what is run here.
#
# Needs python3 with Debian's python3-psycopg2 and python3-pandas (test/test.sh
# installs them); python3-psycopg (psycopg 3) is optional.  Skips when absent.
# ENG_PYTHON names another interpreter (ENG_PYTHON=/nonexistent: the skip).
#
use strict;
use warnings;

use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# Debian's interpreter, which Debian's packages are installed for, before
# any other python3 in PATH
my $python = $ENV{ENG_PYTHON} // (-x '/usr/bin/python3' ? '/usr/bin/python3' : 'python3');
my $script = 'test/clients/python_client.py';
plan skip_all => "needs $python with psycopg2 and pandas (Debian: python3-psycopg2, python3-pandas)"
  unless system($python, '-c', 'import psycopg2, pandas') == 0;
my $have_psycopg3 = system($python, '-c', 'import psycopg') == 0;
note($have_psycopg3 ? 'psycopg 3 found' : 'psycopg 3 (python3-psycopg) absent: its checks are skipped');

# the page's examples are the script's code
my $source = slurp_file($script);
my @examples = slurp_file('docs/python.md') =~ /^```python\n(.*?)^```$/msg;
ok(@examples >= 5, 'docs/python.md has Python examples (' . scalar(@examples) . ')');
for my $ex (@examples)
{
	my ($first) = $ex =~ /^(.*)$/m;
	ok(index($source, $ex) >= 0, "docs/python.md example is run by $script: $first");
}

my $node = PostgreSQL::Test::Cluster->new('python');
$node->init;
$node->append_conf('postgresql.conf', "extension_destdir = '$ENV{EXT_DESTDIR}'")
  if $ENV{EXT_DESTDIR};
$node->start;

$node->safe_psql('postgres', 'CREATE EXTENSION engagement');
# the generated CRM data (1000 customers) and the BI views over it
for my $sql ('test/gen_data.sql', 'test/bi_views.sql')
{
	$node->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', 'customers=1000',
			'-d', $node->connstr('postgres'), '-f', $sql ], $sql);
}

my ($stdout, $stderr);
my $rc = IPC::Run::run([ $python, $script, $node->connstr('postgres') ],
	'>', \$stdout, '2>', \$stderr);
ok($rc, "$script exited 0");
is($stderr, '', "$script wrote nothing to stderr");

# one TAP result per line of the script: "ok - NAME", "not ok - NAME # WHY",
# "skip - NAME # WHY"; the number of checks is fixed, so none goes missing
my $checks = 0;
for my $line (split /\n/, $stdout)
{
	if ($line =~ /^(not ok|ok) - (.*?)(?: # (.*))?$/)
	{
		$checks++;
		ok($1 eq 'ok', "python: $2") or diag($3 // '');
	}
	elsif ($line =~ /^skip - (.*?) # (.*)$/)
	{
	  SKIP: { skip "python: $1: $2", 1; }
	}
	else
	{
		fail("unexpected line from $script: $line");
	}
}
is($checks, $have_psycopg3 ? 20 : 15, 'every check of the script ran');

$node->stop;
done_testing();
