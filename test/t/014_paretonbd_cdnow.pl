#
# The Pareto/NBD model on the public CDNOW data set against published
# results: Fader, Hardie and Lee (2005), "RFM and CLV: Using Iso-Value
# Curves for Customer Base Analysis" (and the BTYD walkthrough, Dziurzynski,
# Wadsworth and McCarthy), report r = 0.55, alpha = 10.58, s = 0.61,
# beta = 11.67 and LL = -9595.0 on the 2,357 customers' (x, t_x, T) in weeks
# over the 39-week calibration period; BTYD's pnbd.PAlive example gives
# 0.2941633 for a customer without repeat purchases at T = 39 under its
# estimate.
#
# The data live in ../shared/data/cdnow, which only CI and developers have:
# the test skips cleanly without them.
#
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $dir = ($ENV{ENG_SHARED_DATA} || '../shared/data') . '/cdnow';
plan skip_all => "CDNOW data not found in $dir"
  unless -f "$dir/cdnow_customers_summary.csv";

my $node = PostgreSQL::Test::Cluster->new('pnbd_cdnow');
$node->init;
$node->append_conf('postgresql.conf', "extension_destdir = '$ENV{EXT_DESTDIR}'")
  if $ENV{EXT_DESTDIR};
$node->start;

# ID, frequency, recency, T
my $summary = '';
open(my $fh, '<', "$dir/cdnow_customers_summary.csv") or die "cannot read the summary: $!";
<$fh>;
while (my $line = <$fh>)
{
	$line =~ s/\r?\n$//;
	$summary .= join("\t", split(/,/, $line)) . "\n";
}
close $fh;

$node->safe_psql('postgres', <<"EOSQL");
CREATE EXTENSION engagement;
CREATE TABLE cdnow (id int, x float8, t_x float8, age float8);
COPY cdnow FROM STDIN;
$summary\\.
CREATE TABLE fit AS SELECT paretonbd_fit(x, t_x, age) AS m FROM cdnow;
EOSQL

is($node->safe_psql('postgres', 'SELECT count(*), sum(x) FROM cdnow'),
	'2357|2457', 'CDNOW summary loaded: 2,357 customers, 2,457 repeat purchases');

# the published estimates to their published precision
is( $node->safe_psql(
		'postgres', q{
SELECT round(r::numeric, 2), round(alpha::numeric, 2), round(s::numeric, 2),
	   round(beta::numeric, 2), round(log_likelihood(m)::numeric, 1), customers(m)
FROM fit, estimates(m)}),
	'0.55|10.58|0.61|11.67|-9595.0|2357',
	'paretonbd_fit reproduces r, alpha, s, beta and LL of Fader, Hardie and Lee (2005)');

# the log-likelihood of the fit is the sum of the customers'
is( $node->safe_psql(
		'postgres', q{
SELECT abs(log_likelihood(m) - (SELECT sum(log_likelihood(m, x, t_x, age)) FROM cdnow)) < 1e-8
FROM fit}),
	't', 'the log-likelihood is the sum of the customers\'');

# BTYD's pnbd.PAlive example: 0.2941633 for x = 0 at T = 39 (its estimate
# differs from ours in the fourth digit, so within 5e-4)
my $p = $node->safe_psql('postgres', 'SELECT p_alive(m, 0, 0, 39) FROM fit');
ok(abs($p - 0.2941633) < 5e-4, "P(alive | 0, 0, 39) = $p, BTYD 0.2941633");

# standard errors: finite and positive
is( $node->safe_psql(
		'postgres',
		'SELECT count(*) FILTER (WHERE std_error > 0) FROM fit, parameters(m)'),
	'4', 'four finite standard errors');

# a parallel plan gives the same model
$node->safe_psql('postgres', 'ALTER TABLE cdnow SET (parallel_workers = 2)');
is( $node->safe_psql(
		'postgres', q{
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;
SELECT paretonbd_fit(x, t_x, age)::text = (SELECT m::text FROM fit) FROM cdnow}),
	't', 'parallel fit equals the serial one');

# a penalized fit (lifetimes' penalizer_coef: alpha and beta over the
# largest age, 38.86 weeks) is a minimum of minus the mean log-likelihood
# plus the penalty, computed here in SQL: moving any parameter by 0.1%
# either way raises it
is( $node->safe_psql(
		'postgres', q{
WITH p AS (SELECT paretonbd_fit(x, t_x, age, 0.01) AS m FROM cdnow),
mt AS (SELECT max(age) AS mt, count(*) AS n FROM cdnow),
e AS (SELECT e.* FROM p, estimates(m) e),
moves AS (SELECT k, f FROM generate_series(0, 4) k, (VALUES (0.999), (1.001)) v(f)),
q AS (SELECT k, f, e.r * CASE WHEN k = 1 THEN f ELSE 1 END AS r,
			 e.alpha * CASE WHEN k = 2 THEN f ELSE 1 END AS alpha,
			 e.s * CASE WHEN k = 3 THEN f ELSE 1 END AS s,
			 e.beta * CASE WHEN k = 4 THEN f ELSE 1 END AS beta
	  FROM e, moves),
obj AS (SELECT k, f, -sum(log_likelihood(paretonbd(q.r, q.alpha, q.s, q.beta), x, t_x, age)) / min(mt.n)
				  + 0.01 * (q.r ^ 2 + (q.alpha / min(mt.mt)) ^ 2 + q.s ^ 2 + (q.beta / min(mt.mt)) ^ 2) AS o
		FROM q, cdnow, mt GROUP BY k, f, q.r, q.alpha, q.s, q.beta)
SELECT count(*) FILTER (WHERE o > (SELECT o FROM obj WHERE k = 0 LIMIT 1)), count(*)
FROM obj WHERE k > 0}),
	'8|8', 'the penalized fit minimises the penalized objective');

$node->stop;
done_testing();
