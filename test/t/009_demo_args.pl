#
# test/demo.sh answers --help and bad arguments at once: before installing,
# building or starting anything (it used to build and start a cluster first,
# about 30 s, then print a server log).  --help prints the usage on stdout and
# exits 0; a bad argument prints a one-line error and the usage on stderr and
# exits 2; --citus is checked the same way, and without Citus (not
# installed, not installable) it fails at once too.  None creates anything
# under TMPDIR.  The demo itself is not run
# here (too slow for the test suite).
#
use strict;
use warnings;

use FindBin;
use File::Temp qw(tempdir);
use IPC::Run qw(run timeout);
use Time::HiRes qw(time);
use Test::More;

my $demo = "$FindBin::RealBin/../demo.sh";
my $tmpdir = tempdir(CLEANUP => 1);
local $ENV{TMPDIR} = $tmpdir;

# run the demo with ARGS; returns exit status, stdout, stderr, seconds
sub demo
{
	my @args = @_;
	my ($out, $err) = ('', '');
	my $start = time;
	run([ 'bash', $demo, @args ], '<', \undef, '>', \$out, '2>', \$err,
		timeout(60));
	return ($? >> 8, $out, $err, time - $start);
}

for my $help ('--help', '-h')
{
	my ($rc, $out, $err, $secs) = demo('--citus', $help, '--customers', '2000');
	is($rc, 0, "$help exits 0");
	like($out, qr/\Ausage: bash test\/demo\.sh \[--customers N\] \[--seed S\] \[--keep\] \[--citus\] \[--help\]\n/,
		"$help prints the usage on stdout");
	like($out, qr/^  --keep /m, "$help documents --keep");
	like($out, qr/^  --citus /m, "$help documents --citus");
	is($err, '', "$help prints nothing on stderr");
	cmp_ok($secs, '<', 10, "$help answers at once");
}

my @bad = (
	[ [ '--customers', 'abc' ],  "--customers takes a whole number, not 'abc'" ],
	[ ['--customers=abc'],       "--customers takes a whole number, not 'abc'" ],
	[ [ '--customers', '0' ],    '--customers is at least 1, not 0' ],
	[ [ '--customers', '-5' ],   "--customers takes a whole number, not '-5'" ],
	[ [ '--customers', '99999999999999999999' ],
		'--customers is at most 10000000, not 99999999999999999999' ],
	[ [ '--seed', '1.5' ],       "--seed takes a whole number, not '1.5'" ],
	[ ['--customers'],           '--customers needs a value' ],
	[ [ '--keep', '--bogus' ],   "unknown argument '--bogus'" ],
	[ [ 'extra' ],               "unknown argument 'extra'" ],
	# --citus takes no value; the other arguments are checked with it too
	[ ['--citus=yes'],           "unknown argument '--citus=yes'" ],
	[ [ '--citus', '--bogus' ],  "unknown argument '--bogus'" ],
	[ [ '--citus', '--customers', '0' ], '--customers is at least 1, not 0' ]);
for my $case (@bad)
{
	my ($args, $message) = @$case;
	my ($rc, $out, $err, $secs) = demo(@$args);
	my @lines = split /\n/, $err;
	is($rc, 2, "@$args exits 2");
	is($out, '', "@$args prints nothing on stdout");
	is($lines[0], "test/demo.sh: $message", "@$args: the error, on one line");
	like($lines[1] // '', qr/\Ausage: bash test\/demo\.sh /,
		"@$args: then the usage");
	cmp_ok($secs, '<', 10, "@$args answered at once");
}

# --citus without Citus (and without root and ../shared/citus to install
# it): a clear error at once, before installing or building anything.
my $citus_so = '/usr/lib/postgresql/15/lib/citus.so';
SKIP:
{
	skip "Citus is installed ($citus_so) or installable (root and ../shared/citus)", 5
	  if -f $citus_so
	  || ($> == 0 && glob("$FindBin::RealBin/../../../shared/citus/citus-*-pg15-*.tar.gz"));
	my ($rc, $out, $err, $secs) = demo('--citus', '--customers', '2000');
	is($rc, 1, '--citus without Citus exits 1');
	is($out, '', '--citus without Citus prints nothing on stdout');
	like($err, qr/\Atest\/demo\.sh: --citus: Citus is not installed \(\Q$citus_so\E is missing\) and cannot be installed here/,
		'--citus without Citus: the error');
	unlike($err, qr/building|installing|starting/, '--citus without Citus: nothing built or started');
	cmp_ok($secs, '<', 10, '--citus without Citus answered at once');
}

opendir(my $dh, $tmpdir) or die "opendir $tmpdir: $!";
my @left = grep { !/\A\.\.?\z/ } readdir $dh;
closedir $dh;
is(scalar @left, 0, 'nothing left in TMPDIR') or diag("left: @left");

done_testing();
