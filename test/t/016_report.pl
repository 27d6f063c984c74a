#
# The demo's HTML report (test/report.py, issue 23) in a real browser: built
# on the demo data (test/gen_data.sql, 2,000 customers, seed 42, as
# test/t/011_docs.pl) over the BI views (test/bi_views.sql), then opened in
# headless Chromium (Debian's chromium, which test/test.sh installs as root):
#  - a screenshot of the page and of each chart alone (its SVG or table on
#    a page of its own) is a PNG with ink;
#  - in the DOM Chromium builds (--dump-dom), each chart's SVG is there with
#    as many marks (bars, points, cells, table rows) as the data have, counted
#    by psql here;
#  - Chromium logs no console message, with every host name unresolvable
#    (the report needs no network) and no external reference in the file;
#  - the values on the marks of five charts equal what psql computes, three
#    of them (NPS, funnel, score bands) from the crm tables directly, not
#    through the views.
# Also at 200 customers: every chart drawn, no more marks than the report's
# bounds allow.  Skips (saying so) only when chromium is not installed.
#
use strict;
use warnings;

use File::Temp qw(tempdir);
use IPC::Run qw(run timeout);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $chromium = '/usr/bin/chromium';
plan skip_all => "chromium is not installed ($chromium): test/test.sh installs Debian's "
  . 'chromium as root (or with sudo); without it the report is not checked in a browser'
  unless -x $chromium;
my $python = '/usr/bin/python3';

my $tmp = tempdir(CLEANUP => 1);
# Chromium's profile, caches and crash reports stay in the test's directory
local $ENV{HOME} = $tmp;
local $ENV{XDG_CONFIG_HOME} = "$tmp/config";
local $ENV{XDG_CACHE_HOME} = "$tmp/cache";

my $node = PostgreSQL::Test::Cluster->new('report');
$node->init;
$node->append_conf('postgresql.conf', "extension_destdir = '$ENV{EXT_DESTDIR}'")
  if $ENV{EXT_DESTDIR};
$node->append_conf('postgresql.conf', "lc_messages = 'C'\ntimezone = 'UTC'\n");
$node->start;

# the demo data and the BI views in database DB; then the report into FILE
sub build_report
{
	my ($db, $customers, $file) = @_;
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db, 'CREATE EXTENSION engagement');
	$node->command_ok(
		[ 'psql', '-X', '-q', '-o', '/dev/null', '-v', 'ON_ERROR_STOP=1',
			'-v', "customers=$customers", '-v', 'seed=42',
			'-d', $node->connstr($db), '-f', 'test/gen_data.sql' ],
		"$customers customers: data");
	$node->command_ok(
		[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr($db),
			'-f', 'test/bi_views.sql' ],
		"$customers customers: BI views");
	my ($out, $err) = ('', '');
	local $ENV{PGHOST} = $node->host;
	local $ENV{PGPORT} = $node->port;
	local $ENV{PGDATABASE} = $db;
	my $ok = run([ $python, 'test/report.py', $file ], '>', \$out, '2>', \$err,
		timeout(600));
	ok($ok, "$customers customers: test/report.py builds the report") or diag($err);
	is($err, '', "$customers customers: test/report.py says nothing on stderr");
	open(my $fh, '<', $file) or die "$file: $!";
	local $/;
	my $html = <$fh>;
	close $fh;
	return $html;
}

# chart => SQL counting the marks it must have (in database demo)
my %expected_marks = (
	nps => q{SELECT count(*) FROM bi.monthly_nps_by_region WHERE month >= date '2025-11-01' AND responses > 0},
	funnel => q{SELECT 3 * count(*) FROM bi.funnel_by_channel},
	retention => q{SELECT count(*) FROM bi.retention_by_cohort},
	scores => q{SELECT 10},
	factors => q{SELECT 4 * least(15, count(*)) FROM bi.engagement_leaderboard},
	transitions => q{SELECT count(*) FROM bi.channel_transitions},
	attribution => q{SELECT count(*) FROM bi.attribution_by_model},
	# 0 repeats: one cell; 1 to 15+: one per 8 weeks of the oldest age
	palive => q{SELECT 1 + 15 * (floor(max(age(r, timestamptz '2026-10-31', '7 days')) / 8) + 1)
				FROM (SELECT rfm_agg(ordered_at, amount::float8) AS r FROM crm.orders GROUP BY customer_id) s},
	holdout => q{SELECT 2 * count(*) FROM bi.holdout_check},
	prediction => q{SELECT count(*) FROM bi.purchase_prediction},
	clv => q{SELECT least(15, count(*)) FROM bi.predicted_value},
	advocates => q{SELECT 3 * least(15, count(*)) FROM bi.value_leaders},
	community => q{SELECT count(*)
				   FROM (SELECT community, month, state,
								lag(state) OVER (PARTITION BY community ORDER BY month) AS previous
						 FROM bi.community_health) c,
						health_factors(c.state, (c.month + interval '1 month') - c.month, c.previous) f
				   WHERE c.month >= date '2025-11-01' AND f.score IS NOT NULL},
	escalations => q{SELECT least(15, count(*)) FROM bi.support_escalations});
my @charts = sort keys %expected_marks;

my $report = "$tmp/report.html";
my $html = build_report('demo', 2000, $report);

# no network: nothing the file refers to outside itself
unlike($html, qr/(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i, 'the report refers to no URL');
unlike($html, qr/url\(\s*["']?(?:https?:)?\/\/|\@import/i, 'the report loads no style from elsewhere');
unlike($html, qr/<script\b/i, 'the report has no script');
unlike($html, qr/Not drawn/, 'every chart is drawn');
# the SVGs share a page: an id used twice would make one chart clip or draw
# with another's definitions
my %ids;
$ids{$1}++ while $html =~ /\sid="([^"]+)"/g;
my @twice = grep { $ids{$_} > 1 } sort keys %ids;
is(scalar @twice, 0, 'no id is used twice in the page') or diag("@twice[0 .. ($#twice < 9 ? $#twice : 9)]");
my @refs = $html =~ /(?:url\(#|href="#)([^)"]+)/g;
is(scalar(grep { !$ids{$_} } @refs), 0, 'every reference inside the SVGs is to an id of the page');
cmp_ok(scalar @refs, '>', 0, 'the SVGs refer to their definitions');

# Chromium, headless, every host name unresolvable; returns stdout, stderr
sub chromium
{
	my @args = @_;
	my ($out, $err) = ('', '');
	run([ $chromium, '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
			"--user-data-dir=$tmp/profile", '--host-resolver-rules=MAP * ~NOTFOUND',
			'--enable-logging=stderr', '--v=0', @args ],
		'<', \undef, '>', \$out, '2>', \$err, timeout(180))
	  or diag("chromium @args: exit status " . ($? >> 8) . "\n$err");
	return ($out, $err);
}

sub console_messages
{
	my ($err) = @_;
	return grep { /:CONSOLE[:(]/ } split /\n/, $err;
}

# the console check can fail: a page that logs an error is caught
{
	open(my $fh, '>', "$tmp/console.html") or die $!;
	print $fh qq{<!DOCTYPE html><html><body><script>console.error("console-check-marker")</script></body></html>\n};
	close $fh;
	my (undef, $err) = chromium('--dump-dom', "file://$tmp/console.html");
	ok((grep { /console-check-marker/ } console_messages($err)),
		'a console error is seen in the log (the check below can fail)');
}

my ($dom, $err) = chromium('--dump-dom', "file://$report");
like($dom, qr/<h1>Engagement report<\/h1>/, 'Chromium loads the report');
my @console = console_messages($err);
is(scalar @console, 0, 'no console message') or diag(join "\n", @console);

# the marks in the DOM: chart => [ values in order ]
my %marks;
while ($dom =~ /<(?:g|tr) id="(\w+)-mark-(\d+)" class="mark" data-value="([^"]*)"/g)
{
	$marks{$1}[$2] = $3;
}
foreach my $chart (@charts)
{
	my $want = $node->safe_psql('demo', $expected_marks{$chart});
	cmp_ok($want, '>', 0, "$chart: the data give marks");
	my $got = scalar @{ $marks{$chart} // [] };
	is($got, $want, "$chart: $want marks in the DOM");
	is(scalar(grep { defined $_ && $_ ne '' && $_ ne 'None' } @{ $marks{$chart} // [] }),
		$want, "$chart: every mark has its value");
	if ($chart eq 'escalations')
	{
		like($dom, qr/<table id="table-escalations">/, 'escalations: an HTML table');
	}
	else
	{
		like($dom, qr/<svg id="svg-$chart" /, "$chart: its SVG");
		# the reading and the query under the chart
		like($dom, qr/id="chart-$chart".*?<\/svg>\s*<p class="reading">[^<]{20,}<\/p>\s*<details><summary>SQL<\/summary><pre><code>\s*SELECT [^<]*\bbi\.\w+/s,
			"$chart: a reading and the query over the BI views");
	}
}

# values on the marks against psql; the report's own order of marks
sub values_of { return join ',', map { $_ // '' } @{ $marks{ $_[0] } // [] } }

# NPS per region and month, from the survey answers: (promoters - detractors) / answers
is(values_of('nps'), $node->safe_psql('demo', q{
SELECT string_agg(v::text, ',' ORDER BY region, month)
FROM (SELECT c.region, date_trunc('month', s.answered_at) AS month,
			 round(100.0 * (count(*) FILTER (WHERE s.score >= 9) - count(*) FILTER (WHERE s.score <= 6))
				   / count(s.score), 1) AS v
	  FROM crm.surveys s JOIN crm.customers c USING (customer_id)
	  WHERE s.answered_at >= timestamptz '2025-11-01 00:00+00'
	  GROUP BY 1, 2 HAVING count(s.score) > 0) x}),
	'nps: the values are the NPS of the survey answers');

# the funnel as test/dashboard.sql computes it (window_funnel on the touches)
is(values_of('funnel'), $node->safe_psql('demo', q{
WITH f AS (
	SELECT acquisition_channel, count(*) AS customers,
		   round(100.0 * avg((level >= 1)::int), 1) AS s1, round(100.0 * avg((level >= 2)::int), 1) AS s2,
		   round(100.0 * avg((level >= 3)::int), 1) AS s3
	FROM (SELECT customer_id,
				 window_funnel('14 days', ts, event = 'view', event = 'purchase', event = 'review') AS level
		  FROM crm.touches GROUP BY customer_id) x
	JOIN crm.customers USING (customer_id) GROUP BY 1
)
SELECT string_agg(v::text, ',' ORDER BY step, customers DESC, acquisition_channel)
FROM f, LATERAL (VALUES (1, s1), (2, s2), (3, s3)) s(step, v)}),
	'funnel: the values are the dashboard\'s window_funnel percentages');

# score bands from the engagement states as test/dashboard.sql builds them
is(values_of('scores'), $node->safe_psql('demo', q{
WITH s AS (
	SELECT customer_id, round(score(engagement_agg(ts, dimension, value, '30 days'),
									'2026-11-01')::numeric, 1) AS score
	FROM (SELECT customer_id, ts,
				 CASE WHEN event IN ('view', 'open', 'visit') THEN 'involvement'
					  WHEN event IN ('share', 'signup') THEN 'influence'
					  ELSE 'interaction' END::engagement_dimension AS dimension,
				 CASE event WHEN 'purchase' THEN 5 WHEN 'review' THEN 3 WHEN 'share' THEN 3 ELSE 1 END AS value
		  FROM crm.touches
		  UNION ALL
		  SELECT customer_id, answered_at, 'intimacy', (score - 5) / 5.0
		  FROM crm.surveys WHERE score IS NOT NULL) ev
	GROUP BY 1
)
SELECT string_agg(n::text, ',' ORDER BY band)
FROM (SELECT b AS band, count(s.customer_id) AS n
	  FROM generate_series(1, 10) b LEFT JOIN s ON least(width_bucket(s.score, 0, 100, 10), 10) = b
	  GROUP BY b) x}),
	'scores: the band counts are those of the engagement states');

is(values_of('holdout'), $node->safe_psql('demo', q{
SELECT string_agg(predicted || ',' || actual, ',' ORDER BY split_part(rtrim(repeat_purchases_before, '+'), '-', 1)::int)
FROM bi.holdout_check}),
	'holdout: predicted and actual purchase days of bi.holdout_check');

# the AUCs on the prediction chart are the view's; and the view's AUC of the
# equal-weights score is the rank-sum AUC (average ranks for ties) of the
# same score computed here from the touches and surveys
my $round9 = sub { join ',', map { sprintf('%.9f', $_) } split /,/, $_[0] };
is($round9->(values_of('prediction')), $round9->($node->safe_psql('demo', q{
SELECT string_agg(auc::text, ',' ORDER BY position) FROM bi.purchase_prediction})),
	'prediction: the AUCs of bi.purchase_prediction');
is($node->safe_psql('demo', q{SELECT round(auc::numeric, 9) FROM bi.purchase_prediction WHERE position = 2}),
	$node->safe_psql('demo', q{
WITH ev AS (
	SELECT customer_id, ts,
		   CASE WHEN event IN ('view', 'open', 'visit') THEN 'involvement'
				WHEN event IN ('share', 'signup') THEN 'influence'
				ELSE 'interaction' END::engagement_dimension AS dimension,
		   CASE event WHEN 'purchase' THEN 5 WHEN 'review' THEN 3 WHEN 'share' THEN 3 ELSE 1 END AS value
	FROM crm.touches
	UNION ALL
	SELECT customer_id, answered_at, 'intimacy', (score - 5) / 5.0 FROM crm.surveys WHERE score IS NOT NULL
), y AS (
	SELECT customer_id,
		   score(engagement_agg(ts, dimension, value, '30 days'), '2026-10-01', '{1,1,1,1}', 50) AS score,
		   EXISTS (SELECT FROM crm.orders o WHERE o.customer_id = ev.customer_id
					 AND o.ordered_at >= '2026-10-01' AND o.ordered_at < '2026-11-01') AS bought
	FROM ev WHERE ts < '2026-10-01' GROUP BY customer_id
), r AS (
	SELECT bought, rank() OVER (ORDER BY score) + (count(*) OVER (PARTITION BY score) - 1) / 2.0 AS avg_rank FROM y
), c AS (
	SELECT count(*) FILTER (WHERE bought) AS n1, count(*) FILTER (WHERE NOT bought) AS n0 FROM y
)
SELECT round((sum(avg_rank) FILTER (WHERE bought) - n1 * (n1 + 1) / 2.0) / (n1 * n0), 9) FROM r, c GROUP BY n1, n0}),
	'prediction: the equal-weights AUC is the rank-sum AUC of the score');

is(values_of('escalations'), $node->safe_psql('demo', q{
SELECT string_agg(waiting_hours::text, ',' ORDER BY waiting_hours DESC, thread_id)
FROM (SELECT * FROM bi.support_escalations ORDER BY waiting_hours DESC, thread_id LIMIT 15) e}),
	'escalations: the waiting hours of the longest waits');

# screenshots: the page, then each chart alone (its SVG in a page of its own)
sub ink
{
	my ($png) = @_;
	my ($out, $err) = ('', '');
	run([ $python, '-c', q{
import sys
import matplotlib.image as mpimg
im = mpimg.imread(sys.argv[1])[:, :, :3]
ink = (im.min(axis=2) < 0.9).mean()
print("%d %d %.4f" % (im.shape[1], im.shape[0], ink))
}, $png ], '>', \$out, '2>', \$err) or diag($err);
	return split ' ', $out;
}

sub png_ok
{
	my ($png, $what, $min_ink) = @_;
	ok(-s $png, "$what: a screenshot") or return;
	open(my $fh, '<:raw', $png) or die "$png: $!";
	read($fh, my $magic, 8);
	close $fh;
	is($magic, "\x89PNG\r\n\x1a\n", "$what: the screenshot is a PNG");
	my ($w, $h, $ink) = ink($png);
	cmp_ok($ink // 0, '>', $min_ink, "$what: the screenshot is not blank (${\($w // '?')}x${\($h // '?')}, ink $ink)");
}

chromium('--window-size=1000,3000', "--screenshot=$tmp/page.png", "file://$report");
png_ok("$tmp/page.png", 'the page', 0.03);

my ($head) = $html =~ /\A(.*?<\/style>)/s;
foreach my $chart (@charts)
{
	# the chart alone: its SVG (the escalations: the table), no caption or text
	my ($figure) = $chart eq 'escalations'
	  ? $html =~ /(<table id="table-escalations">.*?<\/table>)/s
	  : $html =~ /(<svg id="svg-$chart" .*?<\/svg>)/s;
	ok($figure, "$chart: its chart in the report") or next;
	my $page = "$tmp/chart-$chart.html";
	open(my $fh, '>', $page) or die "$page: $!";
	print $fh "$head</head><body>$figure</body></html>\n";
	close $fh;
	my (undef, $err) = chromium('--window-size=1000,1400', "--screenshot=$tmp/chart-$chart.png", "file://$page");
	png_ok("$tmp/chart-$chart.png", "$chart alone", 0.01);
}

# 200 customers: every chart drawn and bounded (top 15, aggregated heatmaps)
my $small = build_report('small', 200, "$tmp/small.html");
unlike($small, qr/Not drawn/, '200 customers: every chart is drawn');
my %small_marks;
$small_marks{$1}++ while $small =~ /<(?:g|tr) id="(\w+)-mark-\d+" class="mark"/g;
is(join(',', sort keys %small_marks), join(',', grep { $_ ne 'escalations' } @charts),
	'200 customers: every chart has marks (nobody waits for an answer at this size)');
is($node->safe_psql('small', 'SELECT count(*) FROM bi.support_escalations'), 0,
	'200 customers: no escalation, as the report says')
  and like($small, qr/Nobody is waiting/, '200 customers: the escalation table says nobody waits');
cmp_ok($small_marks{factors}, '<=', 60, '200 customers: top 15 customers');
cmp_ok($small_marks{escalations} // 0, '<=', 15, '200 customers: top 15 escalations');

$node->stop;
done_testing();
