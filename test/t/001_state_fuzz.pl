#
# Fuzz the text input and binary receive functions of every state type with
# thousands of random and mutated values.  Each value must either be accepted
# or be refused with one of the input-error SQLSTATEs; the server must never
# crash (no backend terminated by a signal).
#
# The mutation source is seeded, so a failure reproduces; set ENG_FUZZ_SEED
# and ENG_FUZZ_COUNT to explore further.
#
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $seed  = $ENV{ENG_FUZZ_SEED}  // 20261123;
my $count = $ENV{ENG_FUZZ_COUNT} // 4000;
srand($seed);
note "fuzz seed $seed, $count values per type and path";

my $node = PostgreSQL::Test::Cluster->new('fuzz');
$node->init;
$node->append_conf('postgresql.conf',
	"extension_destdir = '$ENV{EXT_DESTDIR}'")
  if $ENV{EXT_DESTDIR};
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION engagement');

# Valid seeds per state type, in text form.  Each capability adds its type.
my %seeds = (
	npsagg => [
		'(v=1,promoters=250,passives=675,detractors=75)',
		'(v=1,promoters=0,passives=0,detractors=0)',
		'(v=1,promoters=2,passives=1,detractors=1,promoter_weight=3,passive_weight=1,detractor_weight=4,weight_squares=22)',
		'(v=1,promoters=9223372036854775807,passives=0,detractors=0)',
	],
	funnel => [
		'(v=1,window_usec=3600000000,mode=default,steps=3,events=[2026-01-05T10:00:00Z 1,2026-01-05T10:10:00.5Z 2])',
		'(v=1,window_usec=0,mode=strict_order:allow_reentry,steps=2,events=[])',
		'(v=1,window_usec=60000000,mode=strict_deduplication:strict_increase,steps=32,events=[2026-01-05T10:00:00Z 32,2026-01-05T10:00:00Z 32])',
	],
	markov_model => [
		'(v=1,conversions=4,non_conversions=1,transitions=[start>"google ads" 4,start>"mailing" 1,"google ads">"mailing" 1,"google ads">conv 2,"google ads">null 1,"mailing">conv 2])',
		'(v=1,conversions=0,non_conversions=0,value=12.5,transitions=[])',
		'(v=1,conversions=3,non_conversions=2,value=-0.25,transitions=[start>"a""b" 5,"a""b">"a""b" 7,"a""b">conv 3,"a""b">null 2])',
	],
	engagement => [
		'(v=1,half_life_usec=604800000000,first=2026-01-01T00:00:00Z,last=2026-01-08T00:00:00Z,involvement=1.5:2@2026-01-08T00:00:00Z,interaction=0:0,intimacy=0.5:1@2026-01-03T12:00:00Z,influence=0:0)',
		'(v=1,half_life_usec=1,first=0001-01-01T00:00:00Z,last=9999-12-31T23:59:59.999999Z,involvement=0:0,interaction=3.25:4@0001-01-01T00:00:00Z,intimacy=-0.75:1@2026-01-01T00:00:00Z,influence=1e300:9223372036854775802@9999-12-31T23:59:59.999999Z)',
	],
	rfm => [
		'(v=1,days=[2026-01-05T00:00:00Z 12.5,2026-02-01T00:00:00Z 30])',
		'(v=1,days=[0001-01-01T00:00:00Z -1e300,9999-12-31T00:00:00Z 0.1])',
	],
	bgnbd => [
		'(v=1,r=0.243,alpha=4.414,a=0.793,b=2.426)',
		'(v=1,r=0.2425929072885236,alpha=4.413531565347998,a=0.7928861471915445,b=2.425753431115753,customers=2357,ll=-9582.425560567348,iterations=24,cov=[0.002679400877153802,0.003461671141834868,0.00734378168169563,-0.0004566677934987034,-0.0008188696554104859,0.05486453216545538,0.00011155955001926128,0.0009828416015976928,0.06405271143054143,0.08454945321039871])',
	],
	gammagamma => [
		'(v=1,p=6.25,q=3.74,gamma=15.44)',
		'(v=1,p=6.248802510292562,q=3.744588452276854,gamma=15.447747948480812,customers=946,ll=-4055.923243502919,iterations=19,cov=[0.036,0.0011,0.006,-0.02,-0.0011,0.07])',
	],
	community_health => [
		'(v=1,views=1,records=[(1,10,2,105,2026-03-01T10:00:00Z,2026-03-01T11:00:00Z,2026-03-01T10:00:00Z,-0.5),(1,11,1,20,2026-03-01T10:30:00Z,2026-03-01T10:30:00Z,-,-),(2,11,1,40,2026-03-02T09:00:00Z,2026-03-02T09:00:00Z,2026-03-02T09:00:00Z,0.25),(4,10,1,10,2026-03-05T08:00:00Z,2026-03-05T08:00:00Z,-,-)])',
		'(v=1,views=0,records=[(-9223372036854775808,9223372036854775807,9223372036854775807,0,0001-01-01T00:00:00Z,9999-12-31T23:59:59.999999Z,-,-1e300)])',
	],

	journey => [
		'(v=1,touches=[2026-01-05T10:00:00Z web view,2026-01-05T10:04:00.5Z email])',
		'(v=1,touches=[2026-01-05T10:00:00Z "call centre" "say ""hi""",2026-01-05T10:01:00Z "" "a,b",2026-02-05T10:02:00Z app x,2026-02-05T10:02:00Z app y])',
		'(v=1,touches=[0001-01-01T00:00:00Z first,9999-12-31T23:59:59.999999Z last])',
	],
);

# Functions every accepted value must go through without a crash and with,
# at worst, a data exception (class 22: an overflow, a parameter the value
# cannot take, a model without a solution).
my %exercise = (
	npsagg => 'nps(v)',
	funnel => 'deepest_step(v)',
	markov_model => 'conversion_probability(v)',
	engagement => "engagement_score(v, '2026-06-01')",
	rfm => 'frequency(v) + monetary(v)',
	journey => "touches(v) + session_count(v, '30 minutes')",
	bgnbd => 'bgnbd_expected(v, 10, 2, 5, 10) + (SELECT count(*) FROM parameters(v))',
	gammagamma => 'gammagamma_expected_spend(v, 3, 10) + (SELECT count(*) FROM parameters(v))',
	community_health => "posts(v) + coalesce(views(v), 0) + extract(epoch FROM coalesce(first_reply_time(v), '0'))"
	  . " + (SELECT count(*) FROM health_factors(v, '7 days'))"
	  . " + (SELECT count(*) FROM escalations(v, '2026-06-01', '1 day', 0))",
);

# Pieces a mutation splices in.
my @tokens = (
	'(', ')', ',', '=', '-', '+', '.', 'e', 'E', ' ', "\t", "\n", '0', '1',
	'9', '2147483648', '9223372036854775808', '-9223372036854775809',
	'1e308', '1e-320', 'nan', 'inf', '-inf', 'Infinity', '0x1p3', 'v=2',
	'promoters=', 'weight_squares=', '""', 'T', 'Z', '[', ']', '"', '2026-02-29T',
	'23:59:60', '.0000001', '\\', "'", '%s', '%n', '\x01',
	'x' x 300,
);

sub mutate
{
	my ($s) = @_;
	my $rounds = 1 + int(rand(4));
	for (1 .. $rounds)
	{
		my $len = length($s);
		my $pos = $len ? int(rand($len + 1)) : 0;
		my $op  = int(rand(7));
		if ($op == 0) { substr($s, $pos, 0) = $tokens[ rand @tokens ]; }
		elsif ($op == 1 && $len) { substr($s, $pos, 1 + int(rand(5))) = ''; }
		elsif ($op == 2 && $len)
		{
			substr($s, $pos, 1) = chr(32 + int(rand(95)));
		}
		elsif ($op == 3) { $s = substr($s, 0, $pos); }
		elsif ($op == 4 && $len)
		{
			my $from = int(rand($len));
			$s .= substr($s, $from, 1 + int(rand(20)));
		}
		elsif ($op == 5)
		{
			# replace one number by another
			my @nums = ('0', '-1', '1', '18446744073709551616', '1.5', '1e300',
				'4611686018427387904', '-0', '00000000000000000000001');
			$s =~ s/(\d+(?:\.\d+)?)/$nums[rand @nums]/e;
		}
		else
		{
			$s = join('', map { chr(32 + int(rand(95))) } 1 .. int(rand(40)));
		}
	}
	return $s;
}

sub sql_literal
{
	my ($s) = @_;
	$s =~ s/'/''/g;
	return "'$s'";
}

my $tmp = PostgreSQL::Test::Utils::tempdir;

foreach my $type (sort keys %seeds)
{
	#
	# Text input: every value goes through the input function inside its own
	# subtransaction; any SQLSTATE outside the allowed set is reported.
	#
	my @values = map { mutate($seeds{$type}[ rand @{ $seeds{$type} } ]) } 1 .. $count;
	push @values, @{ $seeds{$type} };
	my $sql = "CREATE TABLE fuzz_text_$type (s text);\n"
	  . "INSERT INTO fuzz_text_$type VALUES "
	  . join(",\n", map { '(' . sql_literal($_) . ')' } @values) . ";\n";
	$sql .= <<"EOSQL";
DO \$\$
DECLARE
	r record;
	ok int := 0;
	refused int := 0;
	v $type;
BEGIN
	FOR r IN SELECT s FROM fuzz_text_$type LOOP
		BEGIN
			v := r.s::$type;
			-- an accepted value must print and read back to itself
			IF v::text::$type\::text <> v::text THEN
				RAISE EXCEPTION 'round trip changed %', r.s;
			END IF;
			ok := ok + 1;
		EXCEPTION
			WHEN invalid_text_representation OR numeric_value_out_of_range
				OR data_corrupted OR program_limit_exceeded THEN
				refused := refused + 1;
		END;
	END LOOP;
	RAISE NOTICE 'accepted %, refused %', ok, refused;
END
\$\$;
EOSQL
	my ($ret, $stdout, $stderr) = $node->psql('postgres', $sql);
	is($ret, 0, "$type text input: every mutated value accepted or refused cleanly")
	  or diag($stderr);
	like($stderr, qr/accepted \d+, refused \d+/, "$type text input: summary");
	note $stderr =~ /(accepted \d+, refused \d+)/ ? $1 : '';

	#
	# Binary receive: take the binary form of the seeds, mutate the bytes and
	# feed each through COPY FROM (FORMAT binary).
	#
	my $hex = $node->safe_psql('postgres',
		"SELECT string_agg(encode(${type}_send(s::$type), 'hex'), ' ') "
		  . "FROM unnest(ARRAY[" . join(',', map { sql_literal($_) } @{ $seeds{$type} })
		  . "]) s");
	my @bin = map { pack('H*', $_) } split / /, $hex;
	$node->safe_psql('postgres', "CREATE TABLE fuzz_bin_$type (v $type)");

	my $script = "\\set VERBOSITY verbose\n";
	for my $i (1 .. $count)
	{
		my $b = $bin[ rand @bin ];
		my $ops = 1 + int(rand(3));
		for (1 .. $ops)
		{
			my $op = int(rand(5));
			my $len = length($b);
			if ($op == 0 && $len)
			{
				substr($b, int(rand($len)), 1) = chr(int(rand(256)));
			}
			elsif ($op == 1) { $b = substr($b, 0, int(rand($len + 1))); }
			elsif ($op == 2) { $b .= join('', map { chr(int(rand(256))) } 1 .. 1 + int(rand(16))); }
			elsif ($op == 3 && $len)
			{
				# flip one bit
				my $p = int(rand($len));
				substr($b, $p, 1) = chr(ord(substr($b, $p, 1)) ^ (1 << int(rand(8))));
			}
			else
			{
				$b = join('', map { chr(int(rand(256))) } 1 .. int(rand(72)));
			}
		}
		my $file = "$tmp/${type}_$i.bin";
		open(my $fh, '>:raw', $file) or die "cannot write $file: $!";
		print $fh "PGCOPY\n\377\r\n\0", pack('N', 0), pack('N', 0);
		print $fh pack('n', 1), pack('N', length($b)), $b;
		print $fh pack('n', 0xFFFF);
		close $fh;
		$script .= "COPY fuzz_bin_$type FROM '$file' WITH (FORMAT binary);\n";
	}
	($ret, $stdout, $stderr) =
	  $node->psql('postgres', $script, on_error_stop => 0);
	my @errors = ($stderr =~ /^(?:psql:[^\n]*?)?ERROR:\s+([0-9A-Z]{5}):/mg);
	my %allowed = map { $_ => 1 } qw(22P03 08P01 22003 XX001 54000);
	my @bad = grep { !$allowed{$_} } @errors;
	is(scalar(@bad), 0, "$type binary receive: only input-error SQLSTATEs")
	  or diag(join("\n", grep { /ERROR/ } split /\n/, $stderr));
	my $accepted = $node->safe_psql('postgres', "SELECT count(*) FROM fuzz_bin_$type");
	note "$type binary: accepted $accepted, refused " . scalar(@errors);

	# whatever was accepted must be usable and print/read back unchanged
	is( $node->safe_psql('postgres',
			"SELECT count(*) FROM fuzz_bin_$type WHERE v::text::$type\::text <> v::text"),
		'0', "$type binary receive: accepted values round-trip");

	# and must go through the type's functions
	($ret, $stdout, $stderr) = $node->psql('postgres', <<"EOSQL");
DO \$\$
DECLARE
	r record;
	x double precision;
BEGIN
	FOR r IN SELECT v FROM fuzz_bin_$type LOOP
		BEGIN
			SELECT ($exercise{$type})::double precision INTO x FROM (SELECT r.v AS v) s;
		EXCEPTION
			-- any data exception (class 22) is a clean refusal
			WHEN data_exception OR program_limit_exceeded THEN
				NULL;
		END;
	END LOOP;
END
\$\$;
EOSQL
	is($ret, 0, "$type: accepted values go through its functions") or diag($stderr);
}

# The server survived: still answering, and no backend died by a signal.
is($node->safe_psql('postgres', 'SELECT 1'), '1', 'server still answers');
my $log = slurp_file($node->logfile);
unlike($log, qr/terminated by signal/, 'no backend terminated by a signal');

$node->stop;
done_testing();
