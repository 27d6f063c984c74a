#
# RFM against the published CDNOW summary (lifetimes'
# summary_data_from_transaction_data on the CDNOW sample, as shipped in
# CamDavidsonPilon/lifetimes lifetimes/datasets): frequency, recency and T in
# weeks over the 39-week calibration period ending 1997-09-30, and zbar, the
# mean spend of repeat purchases.  The data live in ../shared/data/cdnow,
# which only CI and developers have: the test skips cleanly without them.
#
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $dir = ($ENV{ENG_SHARED_DATA} || '../shared/data') . '/cdnow';
plan skip_all => "CDNOW data not found in $dir"
  unless -f "$dir/CDNOW_sample.txt"
  && -f "$dir/cdnow_customers_summary_with_transactions.csv";

my $node = PostgreSQL::Test::Cluster->new('cdnow');
$node->init;
$node->append_conf('postgresql.conf', "extension_destdir = '$ENV{EXT_DESTDIR}'")
  if $ENV{EXT_DESTDIR};
$node->start;

# the raw transactions: master id, customer id (1..2357, the ID of the
# summary), YYYYMMDD, CDs, dollars
my $copy = '';
open(my $fh, '<', "$dir/CDNOW_sample.txt") or die "cannot read CDNOW_sample.txt: $!";
while (my $line = <$fh>)
{
	my @f = split ' ', $line;
	next unless @f == 5;
	$copy .= join("\t", $f[1] + 0, $f[2], $f[4]) . "\n";
}
close $fh;
my $summary = '';
open($fh, '<', "$dir/cdnow_customers_summary_with_transactions.csv") or die;
<$fh>;
while (my $line = <$fh>)
{
	$line =~ s/\r?\n$//;
	$summary .= join("\t", split(/,/, $line)) . "\n";
}
close $fh;

$node->safe_psql('postgres', <<"EOSQL");
CREATE EXTENSION engagement;
CREATE TABLE tx (customer int, day date, dollars float8);
COPY tx FROM STDIN;
$copy\\.
CREATE TABLE published (id int, x int, t_x float8, t float8, zbar float8);
COPY published FROM STDIN;
$summary\\.
EOSQL

is($node->safe_psql('postgres', 'SELECT count(*), count(DISTINCT customer) FROM tx'),
	'6919|2357', 'CDNOW sample loaded: 6,919 transactions of 2,357 customers');

my $compare = <<'EOSQL';
WITH ours AS (
	SELECT customer AS id, r
	FROM (SELECT customer, rfm_agg(day::timestamp AT TIME ZONE 'UTC', dollars) AS r
		  FROM tx WHERE day <= date '1997-09-30' GROUP BY customer) s
)
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE frequency(r) <> p.x) AS frequency_mismatch,
	   count(*) FILTER (WHERE round(recency(r, '7 days')::numeric, 2) <> round(p.t_x::numeric, 2)) AS recency_mismatch,
	   count(*) FILTER (WHERE round(age(r, '1997-09-30 00:00+00', '7 days')::numeric, 2) <> round(p.t::numeric, 2)) AS age_mismatch,
	   count(*) FILTER (WHERE round(monetary(r)::numeric, 2) <> round(p.zbar::numeric, 2)) AS monetary_mismatch
FROM ours JOIN published p USING (id)
EOSQL
is($node->safe_psql('postgres', $compare), '2357|0|0|0|0',
	'frequency, recency, T and zbar equal the published CDNOW summary for all 2,357 customers');

# and the number of customers without a repeat purchase in the period
is($node->safe_psql('postgres',
		"SELECT count(*) FILTER (WHERE frequency(r) = 0) FROM (SELECT rfm_agg(day::timestamp AT TIME ZONE 'UTC', dollars) AS r FROM tx WHERE day <= date '1997-09-30' GROUP BY customer) s"),
	$node->safe_psql('postgres', 'SELECT count(*) FILTER (WHERE x = 0) FROM published'),
	'customers without repeat purchases match');

$node->stop;
done_testing();
