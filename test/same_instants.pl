#!/usr/bin/perl
# test/same_instants.pl FILE: print FILE (a pg_regress result) with every
# timestamp printed in the Postgres date style ("Mon Jan 05 10:00:00 2026 EST")
# rewritten as the UTC instant it denotes ("2026-01-05T15:00:00Z").  The
# suite's expected files are recorded in UTC; test/test.sh compares them so
# with the results of a run in a daylight-saving time zone, which must show
# the same instants and otherwise the same text.
use strict;
use warnings;
use Time::Local qw(timegm);

my %month = (Jan => 0, Feb => 1, Mar => 2, Apr => 3, May => 4, Jun => 5,
	Jul => 6, Aug => 7, Sep => 8, Oct => 9, Nov => 10, Dec => 11);
# UTC offsets in hours of the zone abbreviations the suite's time zones print
my %offset = (UTC => 0, EST => -5, EDT => -4, PST => -8, PDT => -7);
my $zones = join('|', keys %offset);

while (my $l = <>)
{
	$l =~ s{\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\w{3}) (\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)? (\d{4}) ($zones)\b}{
		my @g = gmtime(timegm($5, $4, $3, $2, $month{$1}, $7) - $offset{$8} * 3600);
		sprintf('%04d-%02d-%02dT%02d:%02d:%02d%sZ', $g[5] + 1900, $g[4] + 1, $g[3],
			$g[2], $g[1], $g[0], $6 // '')
	}ge;
	print $l;
}
