#
# The documentation runs: every ```sql block of README.md and docs/*.md is
# executed against the demo data (test/gen_data.sql, 2,000 customers, seed 42)
# and its output compared with the ```text block that follows it.
#
# Rules (DEVELOPING.md, "Documentation examples"):
#  - a ```sql block is run by psql -X -q (aligned output, the default), one
#    psql session per block, run from the checkout's root, in a database of its own per markdown file (a
#    copy of the demo database), so a file's blocks see what its earlier
#    blocks created;
#  - the ```text block right after it (blank lines between are allowed) is
#    the expected output; without one the block must print nothing;
#    trailing spaces of each line and trailing empty lines are ignored;
#  - notices, warnings and errors follow the results, as psql prints them
#    without its "psql:<stdin>:N: " prefix; ```sql error: the block must fail
#    (its text block shows the error), any other block must succeed;
#  - ```sql norun: not run (server setup, CREATE EXTENSION, other servers);
#    counted and listed;
#  - docs/formulas.md keeps its hand computations as comments in the SQL,
#    and shows the output like every other page, compared the same way.
# Sessions run with TimeZone UTC and without parallel workers, so outputs do
# not depend on the machine.  ENG_DOCS_ACTUAL=<dir> writes each file with the
# outputs actually printed into <dir>, for review (never into the tree).
#
use strict;
use warnings;

use File::Basename qw(dirname);
use File::Path qw(make_path);
use IPC::Run;
use Time::HiRes qw(time);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my @files = ('README.md', sort glob('docs/*.md'));

my $node = PostgreSQL::Test::Cluster->new('docs');
$node->init;
$node->append_conf('postgresql.conf', "extension_destdir = '$ENV{EXT_DESTDIR}'")
  if $ENV{EXT_DESTDIR};
$node->append_conf('postgresql.conf', <<'EOC');
timezone = 'UTC'
datestyle = 'ISO, MDY'
lc_messages = 'C'
max_parallel_workers_per_gather = 0
statement_timeout = '30s'
client_min_messages = warning
EOC
$node->start;

$node->safe_psql('postgres', 'CREATE DATABASE demo');
$node->safe_psql('demo', 'CREATE EXTENSION engagement');
$node->command_ok(
	[ 'psql', '-X', '-q', '-o', '/dev/null', '-v', 'ON_ERROR_STOP=1',
		'-v', 'customers=2000', '-v', 'seed=42',
		'-d', $node->connstr('demo'), '-f', 'test/gen_data.sql' ],
	'demo data: 2,000 customers, seed 42');

# Split a markdown file into its text and its blocks.
sub parse
{
	my ($file) = @_;
	open(my $fh, '<', $file) or die "$file: $!";
	my @lines = <$fh>;
	close $fh;
	my (@blocks, $cur);
	for (my $i = 0; $i < @lines; $i++)
	{
		my $l = $lines[$i];
		next unless $l =~ /^```sql(?:\s+(\w+))?\s*$/;
		my $mark = $1 // '';
		die "$file:" . ($i + 1) . ": unknown marker '$mark'\n"
		  unless $mark =~ /^(|norun|error)$/;
		my %b = (line => $i + 1, mark => $mark, sql => '');
		$i++;
		while ($i < @lines && $lines[$i] !~ /^```\s*$/)
		{
			$b{sql} .= $lines[$i++];
		}
		die "$file:$b{line}: unterminated sql block\n" if $i >= @lines;
		$b{sql_end} = $i;    # index of the closing fence
		my $j = $i + 1;
		$j++ while $j < @lines && $lines[$j] =~ /^\s*$/;
		if ($j < @lines && $lines[$j] =~ /^```text\s*$/)
		{
			my $k = $j + 1;
			my $text = '';
			$text .= $lines[$k++] while $k < @lines && $lines[$k] !~ /^```\s*$/;
			die "$file:$b{line}: unterminated text block\n" if $k >= @lines;
			$b{expected} = $text;
			$b{text_start} = $j;
			$b{text_end} = $k;
			$i = $k;
		}
		push @blocks, \%b;
	}
	return (\@lines, \@blocks);
}

sub norm
{
	my ($s) = @_;
	$s //= '';
	$s =~ s/[ \t]+$//mg;
	$s =~ s/\n+\z//;
	$s =~ s/\A\n+//;
	return $s;
}

my ($ran, @norun) = (0);
my $dbn = 0;
for my $file (@files)
{
	my ($lines, $blocks) = parse($file);
	next unless @$blocks;
	my $db = 'doc' . $dbn++;
	$node->safe_psql('postgres', "CREATE DATABASE $db TEMPLATE demo STRATEGY FILE_COPY");
	my %actual;    # text_start or sql_end index => actual output
	for my $b (@$blocks)
	{
		my $where = "$file:$b->{line}";
		if ($b->{mark} eq 'norun')
		{
			push @norun, $where;
			next;
		}
		my ($out, $err) = ('', '');
		my $t0 = time;
		IPC::Run::run(
			[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr($db) ],
			'<', \$b->{sql}, '>', \$out, '2>', \$err);
		my $rc = $? >> 8;
		$ran++;
		my $secs = time - $t0;
		note(sprintf("%s: %.1f s", $where, $secs)) if $secs >= 0.5;
		# messages (notices, warnings, the error) follow the results, as
		# psql's prefix "psql:<stdin>:N: " stripped
		$err =~ s/^psql:<stdin>:\d+: //mg;
		if ($b->{mark} eq 'error')
		{
			ok($rc != 0, "$where: fails as documented") or diag($out);
		}
		else
		{
			ok($rc == 0, "$where: runs without error") or diag($err);
		}
		$out .= $err;
		my $got = norm($out);
		if (defined $b->{expected})
		{
			is($got, norm($b->{expected}), "$where: output as shown");
		}
		else
		{
			is($got, '', "$where: prints nothing (no text block follows)");
		}
		$actual{ $b->{sql_end} } = $got;
	}

	next unless $ENV{ENG_DOCS_ACTUAL};
	# the file with the outputs actually printed, for review
	my $doc = '';
	my %by_end = map { $_->{sql_end} => $_ } grep { $_->{mark} ne 'norun' } @$blocks;
	for (my $i = 0; $i < @$lines; $i++)
	{
		$doc .= $lines->[$i];
		my $b = $by_end{$i} or next;
		my $got = $actual{$i};
		if (defined $b->{text_start})
		{
			$doc .= join('', @{$lines}[ $i + 1 .. $b->{text_start} - 1 ]);
			$doc .= "```text\n" . ($got eq '' ? '' : "$got\n") . "```\n";
			$i = $b->{text_end};
		}
		elsif ($got ne '')
		{
			$doc .= "\n```text\n$got\n```\n";
		}
	}
	my $path = "$ENV{ENG_DOCS_ACTUAL}/$file";
	make_path(dirname($path));
	open(my $fh, '>', $path) or die "$path: $!";
	print $fh $doc;
	close $fh;
}

ok($ran > 0, "examples executed: $ran");
note("examples executed and compared: $ran; marked norun: " . scalar(@norun));
note("norun: $_") for @norun;

$node->stop;
done_testing();
