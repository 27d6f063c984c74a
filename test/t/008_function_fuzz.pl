#
# Fuzz every SQL-callable function of the extension (support functions and
# aggregates included) with edge values of its argument types and with valid
# and mutated states the extension itself produced.
#
# Every function is found in pg_proc through its pg_depend entry on the
# extension.  Each is called once per edge value of each argument (the other
# arguments at a valid base value), then with random tuples of edge values
# until the time budget is spent.  Aggregates run over small generated row
# sets, serially, as moving-frame window aggregates and in parallel plans
# (combine, serial and deserial functions).  A call fails the test when:
#   - the backend dies (crash, signal) or the server restarts;
#   - it raises an internal error (class XX; XX001 only outside an input
#     function), 53200 (out of memory), a class-42 error (the harness's own
#     SQL is wrong) or 57014 (it ran past statement_timeout on an input
#     without large values: arrays of 10,000 elements or more, texts of
#     10,000 characters or more, the large states);
#   - it does not stop within 1 s of its statement_timeout, or, run in a
#     background session, within 1 s of pg_cancel_backend;
#   - its backend's peak resident memory (VmHWM) exceeds the bound;
#   - it returns a state whose text form is not lossless
#     (send(x) <> send(x::text::type)) or cannot be read back.
# Functions that take `internal` cannot be called from SQL; they are listed.
#
# Environment: ENG_FUZZ_SEED (random source), ENG_FUZZ_SECONDS (random-phase
# budget, default 5), ENG_FUZZ_MEM_MB (peak memory bound per call, default
# 256), ENG_FUZZ_TIMEOUT_MS (statement_timeout, default 3000),
# ENG_FUZZ_VMEM_MB (address-space limit of the server, default 2048),
# ENG_FUZZ_PAIRWISE=1 (every pair of edge values of every two arguments too).
#
use strict;
use warnings;

use FindBin;
use lib $FindBin::RealBin;
use EngFuzz;
use IPC::Run;
use List::Util qw(min);
use Time::HiRes qw(time sleep);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $seed       = $ENV{ENG_FUZZ_SEED}       // 20261202;
my $budget     = $ENV{ENG_FUZZ_SECONDS}    // 5;
my $mem_mb     = $ENV{ENG_FUZZ_MEM_MB}     // 256;
my $timeout_ms = $ENV{ENG_FUZZ_TIMEOUT_MS} // 3000;
my $vmem_mb    = $ENV{ENG_FUZZ_VMEM_MB}    // 2048;
my $pairwise   = $ENV{ENG_FUZZ_PAIRWISE}   // 0;
srand($seed);
note "function fuzz: seed $seed, random phase $budget s, memory bound $mem_mb MB, "
  . "statement_timeout $timeout_ms ms";

my $node = PostgreSQL::Test::Cluster->new('ffuzz');
$node->init;
$node->append_conf('postgresql.conf',
	"extension_destdir = '$ENV{EXT_DESTDIR}'")
  if $ENV{EXT_DESTDIR};
# A crash must not end the run: the fuzzer notes it and goes on with the
# restarted server.  Statements are not logged (thousands of calls).
$node->append_conf('postgresql.conf', <<'EOC');
restart_after_crash = on
log_statement = none
shared_buffers = 16MB
jit = off
max_worker_processes = 8
max_parallel_workers = 4
EOC
$node->start;

# The address-space bound (ulimit -v) of the postmaster is inherited by every
# backend it starts: a runaway allocation fails instead of exhausting the
# machine.  The per-call bound is checked on VmHWM below.
sub limit_server
{
	my $postmaster = (split /\n/, slurp_file($node->data_dir . '/postmaster.pid'))[0];
	if (system('prlimit', "--pid=$postmaster", '--as=' . ($vmem_mb << 20)) == 0)
	{
		note "server address space limited to $vmem_mb MB";
	}
	else
	{
		note 'prlimit unavailable: no address-space limit on the server';
	}
	return;
}
limit_server();

$node->safe_psql('postgres', 'CREATE EXTENSION engagement');

#
# A psql session we can drive call by call, with per-call timing.
#
my $psql_bin = $node->installed_command('psql');

sub session_open
{
	my %s = (in => '', out => '', err => '', n => 0);
	$s{timer} = IPC::Run::timer(60);
	$s{h} = IPC::Run::start(
		[ $psql_bin, '-XAtq', '-d', $node->connstr('postgres'), '-f', '-' ],
		'<', \$s{in}, '>', \$s{out}, '2>', \$s{err}, $s{timer});
	my $self = \%s;
	my ($r) = session_run($self, "\\set VERBOSITY verbose\nSELECT pg_backend_pid()", 60);
	die "cannot start psql: $r->{err}" unless $r->{out} =~ /^(\d+)$/m;
	$s{pid} = $1;
	session_run($self, "SET statement_timeout = $timeout_ms", 60);
	return $self;
}

# Run one statement; returns {out, err, elapsed, lost, hung}.
sub session_run
{
	my ($s, $sql, $limit) = @_;
	my $n = ++$s->{n};
	$s->{out} = '';
	$s->{err} = '';
	$s->{in} .= "$sql\n;\n\\echo '~~$n~~'\n\\warn '~~$n~~'\n";
	$s->{timer}->start($limit);
	my $t0 = time;
	my %r = (lost => 0, hung => 0);
	eval {
		while (!($s->{out} =~ /~~$n~~\n/ && $s->{err} =~ /~~$n~~\n/))
		{
			if ($s->{timer}->is_expired) { $r{hung} = 1; last; }
			if (!$s->{h}->pumpable) { $r{lost} = 1; last; }
			$s->{h}->pump;
		}
		1;
	} or $r{lost} = 1;
	$r{elapsed} = time - $t0;
	($r{out} = $s->{out}) =~ s/~~$n~~\n//;
	$r{out} =~ s/\n\z//;
	($r{err} = $s->{err}) =~ s/~~$n~~\n//;
	$r{lost} = 1
	  if $r{err} =~ /server closed the connection unexpectedly|connection to server was lost|no connection to the server/;
	return \%r;
}

sub session_close
{
	my ($s) = @_;
	eval {
		$s->{in} .= "\\q\n";
		$s->{timer}->start(10);
		$s->{h}->finish;
		1;
	} or eval { $s->{h}->kill_kill; 1; };
	return;
}

# After a crash or a hang: wait for the server to accept connections again.
sub server_back
{
	for (1 .. 600)
	{
		my ($ret) = $node->psql('postgres', 'SELECT 1', timeout => 10);
		return 1 if defined $ret && $ret == 0;
		sleep 0.1;
	}
	return 0;
}

my $have_proc = -r "/proc/$$/status" && -w "/proc/$$/clear_refs";
note $have_proc ? 'peak memory measured through /proc' : 'no /proc: peak memory not checked';

sub clear_peak
{
	my ($pid) = @_;
	return unless $have_proc;
	if (open(my $fh, '>', "/proc/$pid/clear_refs")) { print $fh "5\n"; close $fh; }
	return;
}

sub peak_kb
{
	my ($pid) = @_;
	return 0 unless $have_proc;
	open(my $fh, '<', "/proc/$pid/status") or return 0;
	while (<$fh>) { return $1 if /^VmHWM:\s+(\d+)/; }
	return 0;
}

#
# Setup: a round-trip checker, valid states built by the aggregates over
# small data, and large states for the heavier calls.
#
$node->safe_psql('postgres', slurp_file("$FindBin::RealBin/008_function_fuzz.sql"));

my %statetypes = map { $_ => 1 } qw(nps_summary journey funnel markov_model fractribution_summary engagement rfm bgnbd mbgnbd bgbb paretonbd gammagamma community_health identity_graph classifier_summary engagement_logit);
my %fixed_size = map { $_ => 1 } qw(nps_summary engagement bgnbd mbgnbd bgbb paretonbd gammagamma engagement_logit);
my %pool;    # type => [ text of valid states ]
foreach my $line (split /\n/, $node->safe_psql('postgres',
		"SELECT t || E'\\t' || v FROM fz_valid ORDER BY t, v"))
{
	my ($t, $v) = split /\t/, $line, 2;
	push @{ $pool{$t} }, $v;
}
# and the hand-written valid seeds of 001_state_fuzz.pl, extremes included
push @{ $pool{$_} }, @{ $EngFuzz::seeds{$_} } for sort keys %EngFuzz::seeds;

#
# Mutated states: text and binary mutations of the valid states; the ones the
# input functions accept become edge values too.
#
my $tmp = PostgreSQL::Test::Utils::tempdir;
my %mutated;
my $session = session_open();
foreach my $t (sort keys %statetypes)
{
	my @texts = map { mutate_text($pool{$t}[ rand @{ $pool{$t} } ]) } 1 .. 60;
	my $r = session_run($session,
		"SELECT encode(convert_to(v, 'UTF8'), 'hex') FROM unnest(ARRAY["
		  . join(',', map { sql_literal($_) } @texts) . "]::text[]) v WHERE fz_accepts(v, '$t')", 60);
	# (in hex: a value may hold a newline)
	my @ok = map { pack('H*', $_) } grep { length } split /\n/, $r->{out};
	$r = session_run($session,
		"SELECT string_agg(encode(${t}_send(v::$t), 'hex'), ' ') FROM fz_valid WHERE t = '$t'", 60);
	my @bin = map { pack('H*', $_) } split / /, $r->{out};
	my $script = "CREATE TABLE fz_bin_$t (v $t);\n";
	for my $i (1 .. 60)
	{
		my $file = "$tmp/$t.$i.bin";
		write_copy_binary($file, mutate_bytes($bin[ rand @bin ]));
		$script .= "COPY fz_bin_$t FROM '$file' WITH (FORMAT binary);\n";
	}
	session_run($session, $script, 60);
	$r = session_run($session,
		"SELECT DISTINCT encode(convert_to(v::text, 'UTF8'), 'hex') FROM fz_bin_$t ORDER BY 1", 60);
	push @ok, map { pack('H*', $_) } grep { length } split /\n/, $r->{out};
	my %seen;
	$mutated{$t} = [ grep { !$seen{$_}++ } @ok ];
	note "$t: " . scalar(@{ $pool{$t} }) . ' valid states, '
	  . scalar(@{ $mutated{$t} }) . ' accepted mutations';
}

#
# Edge values per argument type, as SQL expressions; the first is the base
# value the sweep holds the other arguments at.
#
my $ts_min = "'4713-01-01 00:00:00+00 BC'::timestamptz";
my $ts_max = "'294276-12-31 23:59:59.999999+00'::timestamptz";
my %edges = (
	integer => [ 9, 'NULL', 0, -1, 1, 10, 11, 2147483647, '(-2147483648)' ],
	smallint => [ 9, 'NULL', 0, -1, 10, 11, 32767, '(-32768)' ],
	numeric => [ 9, 'NULL', 0, 10, '10.000', '9.5', '-0.0', '1e-30', '1e1000', "'NaN'",
		"'Infinity'", "'-Infinity'", '(-1)', '2147483648', '(-2147483649)' ],
	bigint => [ 1, 'NULL', 0, -1, 2, '9223372036854775807', '(-9223372036854775808)',
		'4294967297', '274877906945', '141733920769' ],
	'double precision' => [ 1, 'NULL', 0, "'-0'", -1, 10, '1e-300', '5e-324',
		'1e17', '1e300', '1.7976931348623157e308', '(-1e308)', "'NaN'", "'Infinity'",
		"'-Infinity'" ],
	'timestamp with time zone' => [ "'2026-01-05 10:00:00+00'", 'NULL', "'infinity'",
		"'-infinity'", $ts_min, $ts_max, "'2000-01-01 00:00:00+00'",
		"'2026-01-05 10:00:00.000001+00'", "'1970-01-01 00:00:00+00'" ],
	interval => [ "'30 minutes'", 'NULL', "'0'", "'1 microsecond'", "'-1 microsecond'",
		"'-30 minutes'", "'1 mon'", "'0.5 second'", "'7 days'",
		"'178956970 years 7 mons 2147483647 days 2562047788:00:54.775807'",
		"'-178956970 years -8 mons -2147483648 days -2562047788:00:54.775807'",
		"'200000 years'", "'-2147483648 days'", "'2147483647 mons'" ],
	boolean => [ 'true', 'NULL', 'false' ],
	text => [ "'web'", 'NULL', "''", "'start'", "'conv'", "'null'", "'a,b \"c\" \\ d'",
		"'conversion_rate'", "' > '", "'strict_order'",
		"'strict_deduplication:strict_increase:allow_reentry'", "'é ü'",
		# sequence patterns (sequence_match, sequence_count)
		"'(?1)(?t<=1800).*(?1)'", "'.*(?1)(?t>=0).'",
		"repeat('x', 10000) /*large*/", "repeat('y', 1000000) /*large*/" ],
	'text[]' => [ "'{web,email}'", 'NULL', "'{}'", "'{NULL}'", "'{NULL,NULL}'", "'{\"\"}'",
		"'{start,conv,null}'", "'{web > email,email,web > web}'", "'{{a,b},{c,d}}'",
		"'[-5:-4]={a,b}'", "(SELECT array_agg('c' || g) FROM generate_series(1, 30) g)",
		"(SELECT array_agg('c' || g) FROM generate_series(1, 70000) g) /*large*/",
		"(SELECT array_agg(NULL::text) FROM generate_series(1, 1000) g)",
		"ARRAY[repeat('z', 100000)] /*large*/" ],
	'boolean[]' => [ "'{t,f,t}'", 'NULL', "'{}'", "'{t}'", "'{NULL}'", "'{NULL,NULL,t}'",
		"'{{t,f},{f,t}}'", "array_fill(true, ARRAY[32])", "array_fill(true, ARRAY[33])",
		"array_fill(true, ARRAY[100000]) /*large*/", "array_fill(NULL::boolean, ARRAY[1000])",
		"'[-3:-1]={t,t,t}'" ],
	'bigint[]' => [ "'{1,2,3}'", 'NULL', "'{}'", "'{NULL}'", "'{-1,0,1}'",
		"'{9223372036854775807,9223372036854775807,9223372036854775807}'",
		"(SELECT array_agg(g) FROM generate_series(1::bigint, 70000) g) /*large*/",
		"'{{1,2},{3,4}}'" ],
	'double precision[]' => [ "'{1,1,1,1}'", 'NULL', "'{}'", "'{NULL,NULL,NULL,NULL}'",
		"'{NaN,NaN,NaN,NaN}'", "'{Infinity,-Infinity,0,1}'", "'{-1,-1,-1,-1}'",
		"'{1e308,1e308,1e308,1e308}'", "'{1,1,1}'", "'{1,1,1,1,1}'",
		"array_fill(1::float8, ARRAY[100000]) /*large*/", "'{{1,1},{1,1}}'" ],
	engagement_dimension => [ "'involvement'", 'NULL', "'interaction'", "'intimacy'",
		"'influence'" ],
	uuid => [ "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", 'NULL',
		"'00000000-0000-0000-0000-000000000000'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'" ],
	anyelement => [ 1, 'NULL::integer', "'x'::text", '(-1)::bigint',
		"'infinity'::timestamptz", "'NaN'::float8" ],
);

# Cast every plain edge to its type so that VALUES rows and polymorphic
# functions see the intended type.
foreach my $t (keys %edges)
{
	next if $t eq 'anyelement';
	$edges{$t} = [ map { "($_)::$t" } @{ $edges{$t} } ];
}
foreach my $t (sort keys %statetypes)
{
	$edges{$t} = [
		(map { sql_literal($_) . "::$t" } @{ $pool{$t} }),
		"NULL::$t",
		(map { sql_literal($_) . "::$t" } (@{ $mutated{$t} })[ 0 .. min(5, $#{ $mutated{$t} }) ]),
		# the variable-length types' are large; the others' only extreme
		"(SELECT v FROM fz_big_$t" . ($fixed_size{$t} ? ')' : ' /*large*/)'),
	];
	push @{ $edges{$t} }, '(SELECT v FROM fz_long_journey /*large*/)' if $t eq 'journey';
}
# Input functions (argument "cstring:<type>" below): the type's valid texts,
# mutations of them (accepted or not), junk.
foreach my $t (sort keys %statetypes)
{
	my @cstrings = ("''", "'('", "'(v=1)'", "'(v=2,'", "repeat('(', 100000) /*large*/");
	push @cstrings, map { sql_literal($_) } @{ $pool{$t} };
	push @cstrings, map { sql_literal(mutate_text($pool{$t}[ rand @{ $pool{$t} } ])) } 1 .. 8;
	$edges{"cstring:$t"} = [ map { "($_)::cstring" } @cstrings ];
}

#
# The extension's functions.
#
my @funcs;
foreach my $line (split /\n/, $node->safe_psql('postgres', <<'EOSQL'))
SELECT p.oid, p.oid::regprocedure, p.proname, p.prokind, p.proretset,
       format_type(p.prorettype, NULL), p.provariadic <> 0,
       coalesce(array_to_string(ARRAY(SELECT format_type(t, NULL)
                                      FROM unnest(p.proargtypes) WITH ORDINALITY a(t, i)
                                      ORDER BY i), '|'), ''),
       coalesce((SELECT a.aggmtransfn <> 0 FROM pg_aggregate a WHERE a.aggfnoid = p.oid), false),
       coalesce((SELECT a.aggcombinefn <> 0 FROM pg_aggregate a WHERE a.aggfnoid = p.oid), false)
FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'engagement')
ORDER BY 2::text
EOSQL
{
	# the argument types are '|'-separated too, between the fixed columns
	my @f = split /\|/, $line, -1;
	my ($oid, $sig, $name, $kind, $retset, $rettype, $variadic) = @f[ 0 .. 6 ];
	my ($moving, $combine) = @f[ -2, -1 ];
	my @args = @f[ 7 .. $#f - 2 ];
	@args = () if @args == 1 && $args[0] eq '';
	@args = ("cstring:$1") if "@args" eq 'cstring' && $name =~ /^(\w+)_in$/;
	push @funcs, {
		sig => $sig, name => $name, kind => $kind, retset => $retset eq 't',
		rettype => $rettype, variadic => $variadic eq 't', args => \@args,
		moving => $moving eq 't', combine => $combine eq 't',
	};
}
cmp_ok(scalar(@funcs), '>=', 200, 'functions of the extension found through pg_depend');

my @unreachable = grep { grep { $_ eq 'internal' } @{ $_->{args} } } @funcs;
my @callable    = grep { !grep { $_ eq 'internal' } @{ $_->{args} } } @funcs;
my %missing_edges;
foreach my $f (@callable)
{
	$missing_edges{$_} = 1 for grep { !$edges{$_} } @{ $f->{args} };
}
is(join(', ', sort keys %missing_edges), '', 'every argument type has edge values');
@callable = grep { my $f = $_; !grep { !$edges{$_} } @{ $f->{args} } } @callable;

#
# Building the SQL of one call.
#
sub arglist
{
	my ($f, @exprs) = @_;
	$exprs[-1] = "VARIADIC $exprs[-1]" if $f->{variadic} && @exprs;
	return join(', ', @exprs);
}

sub wrap_result
{
	my ($f, $expr) = @_;
	return $statetypes{ $f->{rettype} } ? "fz_rt($expr)" : "length(($expr)::text)::text";
}

# The rows of one aggregate call must agree on the type of a polymorphic
# column: those values are passed as text.
sub same_types
{
	my ($f, $rows) = @_;
	my @poly = grep { $f->{args}[$_] eq 'anyelement' } 0 .. $#{ $f->{args} };
	return [ map { my @r = @$_; $r[$_] = "($r[$_])::text" for @poly; \@r } @$rows ];
}

# $rows: for plain functions one tuple, for aggregates and window functions a
# list of tuples; $how: 'plain', 'moving' (window frame) or 'parallel'.
sub call_sql
{
	my ($f, $rows, $how) = @_;
	if ($f->{kind} eq 'f')
	{
		my $call = "$f->{name}(" . arglist($f, @{ $rows->[0] }) . ')';
		return "SELECT count(*) || ' ' || coalesce(sum(length(r::text)), 0) FROM $call r"
		  if $f->{retset};
		return 'SELECT ' . wrap_result($f, $call);
	}
	my @cols = map { "c$_" } 1 .. scalar(@{ $f->{args} });
	$rows = same_types($f, $rows);
	my $call = "$f->{name}(" . arglist($f, @cols) . ')';
	my $from;
	if ($how eq 'parallel')
	{
		$from = 'fz_par';
	}
	elsif (@$rows)
	{
		$from = '(VALUES ' . join(', ', map { my $i = $_; '(' . join(', ', $i + 1, @{ $rows->[$i] }) . ')' } 0 .. $#$rows)
		  . ') v(ord, ' . join(', ', @cols) . ')';
	}
	else
	{
		$from = '(VALUES (0, ' . join(', ', map { $edges{$_}[0] } @{ $f->{args} })
		  . ')) v(ord, ' . join(', ', @cols) . ') WHERE false';
	}
	if ($f->{kind} eq 'w' || $how eq 'moving')
	{
		my $order = $f->{kind} eq 'w' ? 'c1' : 'ord ROWS BETWEEN 1 PRECEDING AND CURRENT ROW';
		return "SELECT string_agg(" . wrap_result($f, 'x') . ", chr(30)) FROM (SELECT $call OVER (ORDER BY $order) x FROM $from) s";
	}
	return 'SELECT string_agg(' . wrap_result($f, 'x') . ", chr(30)) FROM (SELECT $call x FROM $from GROUP BY g) s"
	  if $how eq 'parallel';
	return 'SELECT ' . wrap_result($f, $call) . " FROM $from";
}

#
# Running calls and judging the outcome.
#
my %failures;    # function => [ "what: sql" ]
my $calls = 0;
my %outcomes;    # 'value' or the SQLSTATE => number of calls
my @timings;     # [ elapsed, function, sql ]
my %produced;    # state type => { text => 1 } returned by calls

sub fail_call
{
	my ($f, $what, $sql) = @_;
	my $list = $failures{ $f->{sig} } //= [];
	push @$list, "$what\n    SQL: " . (length($sql) > 2000 ? substr($sql, 0, 2000) . '...' : $sql);
	return;
}

sub input_function
{
	my ($f) = @_;
	return $f->{name} =~ /_in$/;
}

# SQLSTATEs that fail a call: internal errors (class XX; XX001 only outside
# an input function, where it refuses corrupt input), out of memory, errors
# of the harness's own SQL (class 42), and a statement timeout on an input
# without large values (a large one may take longer on a loaded machine, as
# long as the timeout stops it within 1 s).
sub failing_sqlstate
{
	my ($code, $f, $sql) = @_;
	return !input_function($f) if $code eq 'XX001';
	return 1 if $code =~ /^(XX|42)/ || $code eq '53200';
	return $code eq '57014' && !large($sql);
}

sub run_call
{
	my ($f, $sql) = @_;
	$calls++;
	clear_peak($session->{pid});
	my $r = session_run($session, $sql, $timeout_ms / 1000 + 30);
	# (the parallel phase's calls build their table first: not timed)
	push @timings, [ $r->{elapsed}, $f, $sql ] unless $sql =~ /^DROP TABLE/;
	if ($r->{lost} || $r->{hung})
	{
		fail_call($f, $r->{hung}
			? sprintf('no answer %.1f s after the call (statement_timeout %d ms)', $r->{elapsed}, $timeout_ms)
			: 'backend lost (crash): ' . join(' ', grep { /\S/ } split /\n/, $r->{err}), $sql);
		if ($r->{hung})
		{
			$node->psql('postgres', "SELECT pg_terminate_backend($session->{pid})");
			sleep 1;
			if (kill(0, $session->{pid}))
			{
				$node->stop('immediate');
				$node->start;
				limit_server();
			}
		}
		session_close($session);
		server_back() or BAIL_OUT('server did not come back after a crash');
		$session = session_open();
		return;
	}
	my $peak = peak_kb($session->{pid});
	fail_call($f, sprintf('peak memory %.0f MB over the %d MB bound', $peak / 1024, $mem_mb), $sql)
	  if $peak > $mem_mb * 1024;
	if ($r->{err} =~ /ERROR:\s+([0-9A-Z]{5}):\s*([^\n]*)(?:.*?LOCATION:\s+([^\n]*))?/s)
	{
		my ($code, $msg, $loc) = ($1, $2, $3 // '');
		$outcomes{$code}++;
		fail_call($f, sprintf('%s %s (%s) after %.2f s', $code, $msg, $loc, $r->{elapsed}), $sql)
		  if failing_sqlstate($code, $f, $sql);
		fail_call($f, sprintf('did not stop within 1 s of statement_timeout (%.2f s)', $r->{elapsed}), $sql)
		  if $code eq '57014' && $r->{elapsed} > $timeout_ms / 1000 + 1;
		return;
	}
	$outcomes{value}++;
	foreach my $res (split /\x1e/, $r->{out})
	{
		if ($res =~ /^(LOSSY|RTERR)\b/)
		{
			fail_call($f, "state returned is not lossless text: $res", $sql);
		}
		elsif ($res =~ /^ok\t(.+)$/s && length($1) <= 4000)
		{
			$produced{ $f->{rettype} }{$1} = 1;
		}
	}
	return;
}

# Large values: at most one per call, so that a row set does not hold the
# same large state twice (its text form alone would pass the memory bound).
sub large
{
	my ($e) = @_;
	return index($e, '/*large*/') >= 0;
}

# Edge values for one to three arguments, the others at their base; or, one
# time in four, an edge value for every argument.  $small leaves out the
# large values.
sub random_tuple
{
	my ($f, $small) = @_;
	my @args = @{ $f->{args} };
	my %vary = map { int(rand(@args)) => 1 } 1 .. 1 + int(rand(3));
	%vary = map { $_ => 1 } 0 .. $#args if rand() < 0.25;
	my @tuple;
	for my $i (0 .. $#args)
	{
		my @e = @{ $edges{ $args[$i] } };
		@e = grep { !large($_) } @e if $small;
		push @tuple, $vary{$i} ? $e[ rand @e ] : $e[0];
	}
	return \@tuple;
}

sub base_tuple
{
	my ($f) = @_;
	return [ map { $edges{$_}[0] } @{ $f->{args} } ];
}

# Sweep: every edge value of every argument once, the others at their base.
my $t_sweep = time;
foreach my $f (@callable)
{
	my @args = @{ $f->{args} };
	my $agg = $f->{kind} ne 'f';
	run_call($f, call_sql($f, $agg ? [] : [ base_tuple($f) ], 'plain')) if $agg;
	for my $i (0 .. $#args)
	{
		for my $e (@{ $edges{ $args[$i] } })
		{
			my $tuple = base_tuple($f);
			$tuple->[$i] = $e;
			# twice in a row set: sums of two extreme values must not overflow
			my $rows = !$agg ? [$tuple] : large($e) ? [ base_tuple($f), $tuple ]
			  : [ base_tuple($f), $tuple, $tuple ];
			run_call($f, call_sql($f, $rows, 'plain'));
			run_call($f, call_sql($f, $rows, 'moving')) if $f->{moving};
		}
	}
	run_call($f, call_sql($f, [ base_tuple($f) ], 'plain')) unless @args;

	# ENG_FUZZ_PAIRWISE=1: every pair of edge values of every two arguments
	# (long: tens of thousands of calls).
	next unless $pairwise;
	for my $i (0 .. $#args - 1)
	{
		for my $j ($i + 1 .. $#args)
		{
			for my $a (@{ $edges{ $args[$i] } })
			{
				for my $b (@{ $edges{ $args[$j] } })
				{
					next if large($a) && large($b);
					my $tuple = base_tuple($f);
					@$tuple[ $i, $j ] = ($a, $b);
					run_call($f, call_sql($f, $agg ? [ base_tuple($f), $tuple ] : [$tuple], 'plain'));
				}
			}
		}
	}
}
note sprintf('sweep: %d calls in %.1f s', $calls, time - $t_sweep);

# Pinned combinations the sweep (one edge argument at a time) does not make:
# reproductions (issue 16's, and longer runs') that need two edge arguments
# together.
my %by_sig = map { $_->{sig} => $_ } @callable;
my @pinned = (
	# a model with a tiny r and a horizon of 1e17: unbounded series
	[ 'purchase_probability(bgnbd,double precision,double precision)',
		[ [ '(SELECT v FROM fz_big_bgnbd)', '(1e17)::double precision', '(1)::double precision' ] ] ],
	# a path with no conversion and no non-conversion: idle channels, which
	# the text form must keep
	[ 'markov_agg(text[],bigint,bigint)',
		[ [ "('{a,b}')::text[]", '(0)::bigint', '(0)::bigint' ],
		  [ "('{c}')::text[]", '(1)::bigint', '(0)::bigint' ] ] ],
	# order 2: a path shorter than the order, a zero-weight path (idle
	# channels), a repeated channel (a state that loops on itself)
	[ 'markov_agg(text[],bigint,bigint,double precision,integer)',
		[ [ "('{a,b,b,b}')::text[]", '(1)::bigint', '(0)::bigint', '(2.5)::double precision', '(2)::integer' ],
		  [ "('{c}')::text[]", '(0)::bigint', '(1)::bigint', 'NULL::double precision', '(2)::integer' ],
		  [ "('{d,e}')::text[]", '(0)::bigint', '(0)::bigint', 'NULL::double precision', '(2)::integer' ] ] ],
	# one more response to a state at the count limit (found by a long run)
	[ 'nps_trans(nps_summary,integer)',
		[ [ "'(v=1,promoters=9223372036854775807,passives=0,detractors=0)'::nps_summary", '(0)::integer' ] ] ],
);
foreach my $p (@pinned)
{
	my ($sig, $rows) = @$p;
	my $f = $by_sig{$sig} or die "pinned call of an unknown function $sig";
	run_call($f, call_sql($f, $rows, 'plain'));
}

# Parallel plans: the combine, serial and deserial functions of every
# aggregate that has them, over a table of random edge rows.
session_run($session, 'SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; '
	  . 'SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2; '
	  . 'SET parallel_leader_participation = off', 10);
foreach my $f (grep { $_->{combine} } @callable)
{
	my @args = @{ $f->{args} };
	my @rows = @{ same_types($f, [ map { rand() < 0.7 ? base_tuple($f) : random_tuple($f, 1) } 1 .. 20 ]) };
	my $cols = join(', ', map { "c$_" } 1 .. @args);
	my $create = "DROP TABLE IF EXISTS fz_par; CREATE TABLE fz_par AS SELECT g % 4 AS g, ord, $cols FROM "
	  . '(VALUES ' . join(', ', map { my $i = $_; '(' . join(', ', $i, @{ $rows[$i] }) . ')' } 0 .. $#rows)
	  . ") v(ord, $cols), generate_series(1, 20) g";
	run_call($f, "$create;\n" . call_sql($f, [], 'parallel'));
}
session_run($session, 'RESET parallel_setup_cost; RESET parallel_tuple_cost; '
	  . 'RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather; '
	  . 'RESET parallel_leader_participation', 10);

# Random phase: random tuples of edge values (and of states earlier calls
# returned) until the budget is spent.
foreach my $t (sort keys %produced)
{
	my @more = sort keys %{ $produced{$t} };
	push @{ $edges{$t} }, map { sql_literal($_) . "::$t" } @more[ 0 .. min(19, $#more) ];
}
my $t_random = time;
my $random_calls = 0;
while (time - $t_random < $budget)
{
	my $f = $callable[ rand @callable ];
	my $rows = $f->{kind} eq 'f' ? [ random_tuple($f) ] : [ map { random_tuple($f, $_ > 1) } 1 .. int(rand(5)) ];
	run_call($f, call_sql($f, $rows, ($f->{moving} && rand() < 0.3) ? 'moving' : 'plain'));
	$random_calls++;
}
note "random phase: $random_calls calls";

# Functions taking `internal`: SQL cannot pass them a value.
foreach my $f (@unreachable)
{
	my $sql = "SELECT $f->{name}(" . join(', ', map { $_ eq 'internal' ? 'NULL::internal' : $edges{$_} ? $edges{$_}[0] : "NULL::$_" } @{ $f->{args} }) . ')';
	my $r = session_run($session, $sql, 10);
	if ($r->{err} =~ /ERROR:\s+42846/) { }
	else { fail_call($f, "an internal-taking function was callable from SQL: $r->{out} $r->{err}", $sql); }
}
note 'unreachable from SQL (take internal; run through their aggregates): '
  . join(', ', map { $_->{sig} } @unreachable);

#
# Cancellation: the four slowest calls (of at least 0.5 s) again, in a
# background session without a statement_timeout, cancelled half-way (after
# 1 s at most); each must answer within 1 s.
#
my @slowest = sort { $b->[0] <=> $a->[0] } @timings;
note sprintf("slowest: %.2f s %s", $_->[0], substr($_->[2], 0, 300)) for @slowest[ 0 .. 4 ];

my %done;
my @slow = grep { $_->[0] >= 0.5 && !$done{ $_->[1]{sig} }++ } @slowest;
@slow = @slow[ 0 .. 3 ] if @slow > 4;
foreach my $s (@slow)
{
	my ($elapsed, $f, $sql) = @$s;
	my $bg = session_open();
	session_run($bg, 'SET statement_timeout = 0', 10);
	my $n = ++$bg->{n};
	$bg->{out} = $bg->{err} = '';
	$bg->{in} .= "$sql\n;\n\\echo '~~$n~~'\n\\warn '~~$n~~'\n";
	$bg->{h}->pump_nb;
	my $wait = $elapsed / 2 > 1 ? 1 : $elapsed / 2;
	sleep $wait;
	$bg->{h}->pump_nb;
	if ($bg->{err} =~ /~~$n~~/)
	{
		note sprintf('%s finished before the cancel (%.2f s)', $f->{sig}, $elapsed);
		session_close($bg);
		next;
	}
	my $t0 = time;
	session_run($session, "SELECT pg_cancel_backend($bg->{pid})", 10);
	$bg->{timer}->start(60);
	while (!($bg->{err} =~ /~~$n~~/) && !$bg->{timer}->is_expired && $bg->{h}->pumpable)
	{
		$bg->{h}->pump;
	}
	my $answer = time - $t0;
	note sprintf('%s: cancelled after %.2f s, answered in %.2f s', $f->{sig}, $wait, $answer);
	fail_call($f, sprintf('answered pg_cancel_backend after %.2f s (limit 1 s)', $answer), $sql)
	  if $answer > 1;
	$node->psql('postgres', "SELECT pg_terminate_backend($bg->{pid})") if $answer > 60;
	session_close($bg);
}

#
# Every valid, mutated and produced state reads back to itself.
#
foreach my $t (sort keys %statetypes)
{
	my %met = (
		valid => $pool{$t},
		'accepted mutated' => $mutated{$t},
		returned => [ sort keys %{ $produced{$t} // {} } ]);
	foreach my $kind (sort keys %met)
	{
		my @all = @{ $met{$kind} };
		my $r = session_run($session,
			"SELECT count(*) FILTER (WHERE NOT ok), count(*) FROM unnest(ARRAY["
			  . join(',', map { sql_literal($_) } @all, "''")
			  . "]::text[]) WITH ORDINALITY v(s, i), fz_text_rt(s, '$t') ok WHERE i <= "
			  . scalar(@all) . ";\n"
			  . "SELECT s FROM unnest(ARRAY[" . join(',', map { sql_literal($_) } @all, "''")
			  . "]::text[]) WITH ORDINALITY v(s, i) WHERE i <= " . scalar(@all)
			  . " AND NOT fz_text_rt(s, '$t')", 60);
		my ($bad, $n, @which) = split /\n|\|/, $r->{out};
		is("$bad of $n", '0 of ' . scalar(@all), "$t: every $kind state reads back losslessly")
		  or diag("not lossless:\n" . join("\n", @which) . "\n$r->{err}");
	}
}

session_close($session);
note "$calls calls in total: "
  . join(', ', map { "$_ $outcomes{$_}" } sort { $outcomes{$b} <=> $outcomes{$a} } keys %outcomes);
# The harness itself works: most calls reach the functions and answer.
cmp_ok($outcomes{value} // 0, '>', $calls / 2, 'most calls returned a value');

# One result per function, with the calls that failed.
foreach my $f (@funcs)
{
	my $list = $failures{ $f->{sig} } // [];
	my %seen;
	my @distinct = grep { my ($w) = /^([^\n]*)/; $w =~ s/[\d.]+/N/g; !$seen{$w}++ } @$list;
	ok(!@$list, "$f->{sig}: no crash, internal error, hang or memory blow-up")
	  or diag(scalar(@$list) . " failing calls; distinct:\n  " . join("\n  ", @distinct[ 0 .. ($#distinct > 4 ? 4 : $#distinct) ]));
}

my $log = slurp_file($node->logfile);
my @signals = $log =~ /(server process \(PID \d+\) was terminated by signal[^\n]*)/g;
is(scalar(@signals), 0, 'no backend terminated by a signal') or diag(join("\n", @signals));

$node->stop;
done_testing();
