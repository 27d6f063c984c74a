#
# Fuzz the text input and binary receive functions of every state type with
# thousands of random and mutated values.  Each value must either be accepted
# or be refused with one of the input-error SQLSTATEs; some mutations other
# than the seeds must be accepted, through text and through binary.  Every
# valid seed goes through every accessor of its type without any error;
# accepted mutations may at worst raise a data exception (class 22) or 54000.
# The server must never crash (no backend terminated by a signal).
#
# The mutation source is seeded, so a failure reproduces; set ENG_FUZZ_SEED
# and ENG_FUZZ_COUNT to explore further.
#
use strict;
use warnings;

use FindBin;
use lib $FindBin::RealBin;
use EngFuzz;
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

# Valid seeds per state type, in text form (shared with 008_function_fuzz.pl).
my %seeds = %EngFuzz::seeds;

# Every accessor of each type (every function taking the type first, apart
# from the input, output and aggregate support functions), as an expression
# in v, with arguments any state can take (as_of at its last event).  A valid
# seed must give a result from every one of them; an accepted
# mutation may at worst raise a data exception (class 22) or 54000.
my %accessors = (
	nps_summary => {
		'nps_summary_add(nps_summary,nps_summary)' =>
		  "responses(nps_summary_add(v, '(v=1,promoters=0,passives=0,detractors=0)'))",
		'nps(nps_summary)' => 'nps(v)',
		'promoters(nps_summary)' => 'promoters(v)',
		'passives(nps_summary)' => 'passives(v)',
		'detractors(nps_summary)' => 'detractors(v)',
		'responses(nps_summary)' => 'responses(v)',
		'effective_responses(nps_summary)' => 'effective_responses(v)',
		'std_error(nps_summary)' => 'std_error(v)',
		'margin_of_error(nps_summary,double precision)' => 'margin_of_error(v, 0.95)',
		'lower_bound(nps_summary,double precision)' => 'lower_bound(v, 0.95)',
		'upper_bound(nps_summary,double precision)' => 'upper_bound(v, 0.95)',
		# (a population of the largest bigint: never smaller than the responses)
		'std_error(nps_summary,bigint)' => 'std_error(v, 9223372036854775807)',
		'margin_of_error(nps_summary,double precision,bigint)' => 'margin_of_error(v, 0.95, 9223372036854775807)',
		'lower_bound(nps_summary,double precision,bigint)' => 'lower_bound(v, 0.95, 9223372036854775807)',
		'upper_bound(nps_summary,double precision,bigint)' => 'upper_bound(v, 0.95, 9223372036854775807)',
		'nps_compare(nps_summary,nps_summary)' => 'length(nps_compare(v, v)::text)',
	},
	journey => {
		'touches(journey)' => 'touches(v)',
		'first_touch(journey)' => 'length(first_touch(v))',
		'last_touch(journey)' => 'length(last_touch(v))',
		'first_touch_at(journey)' => 'extract(epoch FROM first_touch_at(v))',
		'last_touch_at(journey)' => 'extract(epoch FROM last_touch_at(v))',
		'channel_path(journey,boolean)' => 'cardinality(channel_path(v, true)) + cardinality(channel_path(v, false))',
		'channel_switches(journey)' => 'channel_switches(v)',
		'session_count(journey,interval)' => "session_count(v, '30 minutes')",
		'sessions(journey,interval,boolean)' => "(SELECT count(*) FROM sessions(v, '30 minutes', true))",
		'session_count(journey,interval,boolean,text)' => "session_count(v, '30 minutes', true, 'Europe/Berlin')",
		'sessions(journey,interval,boolean,text,interval,integer,text[])' =>
		  "(SELECT count(*) FILTER (WHERE engaged) FROM sessions(v, '30 minutes', true, 'America/New_York', '10 seconds', 2, '{view,signup}'))",
		'engaged_session_count(journey,interval,boolean,text,interval,integer,text[])' =>
		  "engaged_session_count(v, '30 minutes', true, 'America/New_York', '10 seconds', 2, '{view}')",
		'bounce_rate(journey,interval,boolean,text,interval,integer,text[])' =>
		  "bounce_rate(v, '30 minutes', false, 'UTC', '1 minute', 3, '{x}')",
		'channel_transitions(journey)' => '(SELECT count(*) FROM channel_transitions(v))',
		'journey_add(journey,journey)' => 'touches(v + v)',
		'attribution(journey,text,interval)' =>
		  "(SELECT count(*) FROM unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay']) m, attribution(v, m, '7 days'))",
		'attribution(journey,text,interval,timestamp with time zone)' =>
		  "(SELECT count(*) FROM attribution(v, 'time_decay', '7 days', last_touch_at(v)))",
	},
	funnel => {
		'deepest_step(funnel)' => 'deepest_step(v)',
		'steps(funnel)' => 'steps(v)',
		'step_reached(funnel)' => 'cardinality(step_reached(v))',
		'step_times(funnel)' => 'cardinality(step_times(v))',
		'time_to_convert(funnel)' => "extract(epoch FROM coalesce(time_to_convert(v), '0'))",
		'funnel_add(funnel,funnel)' => 'deepest_step(v + v)',
	},
	markov_model => {
		'conversion_probability(markov_model)' => 'conversion_probability(v)',
		'removal_effects(markov_model)' => '(SELECT count(*) FROM removal_effects(v))',
		# (+ with a small model of the same order; the seeds that already hold
		# counts near 2^63 have no room, rightly)
		'markov_model_add(markov_model,markov_model)' =>
		  "(SELECT count(*) FROM unnest(v + (SELECT markov_agg(ARRAY['x'], 1, 0, NULL, o) FROM (VALUES (((v::jsonb) ->> 'order')::int)) t(o))))",
	},
	fractribution_summary => {
		'fractribution(fractribution_summary,text)' =>
		  "(SELECT count(*) FROM unnest(ARRAY['shapley', 'first_touch', 'last_touch', 'linear', 'position_based']) m, fractribution(v, m))",
		'roas(fractribution_summary,text,text[],double precision[])' =>
		  "(SELECT count(roas) FROM roas(v, 'shapley', ARRAY['A', 'a\"b', 'x'], '{1,2,0}'))",
		# (+ with a small summary; a seed at the count limit has no room, rightly)
		'fractribution_summary_add(fractribution_summary,fractribution_summary)' =>
		  "(SELECT count(*) FROM unnest(v + (SELECT fractribution_agg(ARRAY['zz'], 1, 0))))",
	},
	engagement => {
		map({ ("$_(engagement,timestamp with time zone)" => "$_(v, last_seen(v))") }
			qw(involvement interaction intimacy influence)),
		'last_seen(engagement)' => 'extract(epoch FROM last_seen(v))',
		'first_seen(engagement)' => 'extract(epoch FROM first_seen(v))',
		'events(engagement)' => 'events(v)',
		# (a state of the same half-life with one event; the seed that already
		# holds 2^63 - 1 events has no room for one more: 22003, rightly)
		'engagement_add(engagement,engagement)' =>
		  "CASE WHEN events(v) < 9223372036854775807 THEN (SELECT events(v + engagement_agg(first_seen(v), 'involvement', 0, make_interval(secs => h / 1e6))) FROM CAST((regexp_match(v::text, 'half_life_usec=(\\d+)'))[1] AS float8) h) END",
		'score(engagement,timestamp with time zone,double precision[],double precision)' =>
		  'score(v, last_seen(v))',
		'score_factors(engagement,timestamp with time zone,double precision[],double precision)' =>
		  '(SELECT count(*) FROM score_factors(v, last_seen(v)))',
	},
	identity_graph => {
		'identifiers(identity_graph)' => 'identifiers(v)',
		'pairs(identity_graph)' => 'pairs(v)',
		'canonical_id(identity_graph,text,text[],integer,text[],timestamp with time zone)' =>
		  "length(coalesce(canonical_id(v, (SELECT max(identifier_a) FROM unnest(v)), '{crm,email}', 2, '{a}', '2026-01-02'), '')) + length(canonical_id(v, (SELECT min(identifier_a) FROM unnest(v))))",
		'identities(identity_graph,text[],integer,text[],timestamp with time zone)' =>
		  "(SELECT count(*) + sum(component_size) FROM identities(v, '{crm}', 2))",
		'components(identity_graph,text[],integer,text[],timestamp with time zone)' =>
		  "(SELECT sum(size) FROM components(v, '{email}'))",
		'refused_pairs(identity_graph,integer,text[],timestamp with time zone)' =>
		  "(SELECT count(*) FROM refused_pairs(v, 2, '{b}'))",
		'identity_graph_add(identity_graph,identity_graph)' => 'identifiers(v + v)',
	},
	rfm => {
		'frequency(rfm)' => 'frequency(v)',
		'recency(rfm,interval)' => "recency(v, '1 week')",
		'age(rfm,timestamp with time zone,interval)' => "age(v, '9999-12-31 23:59:59+00', '1 day')",
		'monetary(rfm)' => 'monetary(v)',
		'rfm_add(rfm,rfm)' => 'frequency(v + v)',
	},
	bgnbd => {
		'parameters(bgnbd)' => '(SELECT count(*) FROM parameters(v))',
		'estimates(bgnbd)' => '(estimates(v)).r',
		'log_likelihood(bgnbd)' => 'coalesce(log_likelihood(v), 0)',
		'customers(bgnbd)' => 'coalesce(customers(v), 0)',
		'log_likelihood(bgnbd,double precision,double precision,double precision)' =>
		  'log_likelihood(v, 2, 5, 10)',
		'expected_purchases(bgnbd,double precision)' => 'expected_purchases(v, 10)',
		'expected_purchases(bgnbd,double precision,double precision,double precision,double precision)' =>
		  'expected_purchases(v, 10, 2, 5, 10)',
		'p_alive(bgnbd,double precision,double precision,double precision)' =>
		  'p_alive(v, 2, 5, 10)',
		'purchase_probability(bgnbd,double precision,double precision)' => 'purchase_probability(v, 10, 2)',
		'frequency_recency_matrix(bgnbd,double precision,integer,double precision)' =>
		  '(SELECT count(expected_purchases) FROM frequency_recency_matrix(v, 3, 2, 10))',
		'predicted_clv(bgnbd,gammagamma,double precision,double precision,double precision,double precision,integer,double precision,double precision)' =>
		  "predicted_clv(v, '(v=1,p=6.25,q=3.74,gamma=15.44)', 2, 5, 10, 30, 12, 4.345, 0.01)",
	},
	mbgnbd => {
		'parameters(mbgnbd)' => '(SELECT count(*) FROM parameters(v))',
		'estimates(mbgnbd)' => '(estimates(v)).r',
		'log_likelihood(mbgnbd)' => 'coalesce(log_likelihood(v), 0)',
		'customers(mbgnbd)' => 'coalesce(customers(v), 0)',
		'log_likelihood(mbgnbd,double precision,double precision,double precision)' =>
		  'log_likelihood(v, 2, 5, 10)',
		'expected_purchases(mbgnbd,double precision)' => 'expected_purchases(v, 10)',
		'expected_purchases(mbgnbd,double precision,double precision,double precision,double precision)' =>
		  'expected_purchases(v, 10, 2, 5, 10)',
		'p_alive(mbgnbd,double precision,double precision,double precision)' =>
		  'p_alive(v, 2, 5, 10)',
		'purchase_probability(mbgnbd,double precision,double precision)' => 'purchase_probability(v, 10, 2)',
		'predicted_clv(mbgnbd,gammagamma,double precision,double precision,double precision,double precision,integer,double precision,double precision)' =>
		  "predicted_clv(v, '(v=1,p=6.25,q=3.74,gamma=15.44)', 2, 5, 10, 30, 12, 4.345, 0.01)",
	},
	bgbb => {
		'parameters(bgbb)' => '(SELECT count(*) FROM parameters(v))',
		'estimates(bgbb)' => '(estimates(v)).alpha',
		'log_likelihood(bgbb)' => 'coalesce(log_likelihood(v), 0)',
		'customers(bgbb)' => 'coalesce(customers(v), 0)',
		'log_likelihood(bgbb,double precision,double precision,double precision)' =>
		  'log_likelihood(v, 2, 4, 6)',
		'expected_purchases(bgbb,double precision)' => 'expected_purchases(v, 10)',
		'expected_purchases(bgbb,double precision,double precision,double precision,double precision)' =>
		  'expected_purchases(v, 5, 2, 4, 6)',
		'p_alive(bgbb,double precision,double precision,double precision)' =>
		  'p_alive(v, 2, 4, 6)',
		'purchase_probability(bgbb,double precision,double precision)' => 'purchase_probability(v, 6, 2)',
		'predicted_clv(bgbb,gammagamma,double precision,double precision,double precision,double precision,integer,double precision)' =>
		  "predicted_clv(v, '(v=1,p=6.25,q=3.74,gamma=15.44)', 2, 4, 6, 30, 10, 0.1)",
	},
	engagement_logit => {
		'coefficients(engagement_logit)' => '(SELECT count(*) FROM coefficients(v))',
		'score_weights(engagement_logit)' => 'cardinality(score_weights(v))',
		'outcome_probability(engagement_logit,engagement,timestamp with time zone)' =>
		  q{outcome_probability(v, '(v=1,half_life_usec=604800000000,first=2026-01-01T00:00:00Z,last=2026-01-08T00:00:00Z,involvement=1.5:2@2026-01-08T00:00:00Z,interaction=0:0,intimacy=0.30475341355111885:1@2026-01-03T00:00:00Z,influence=0:0)', '2026-03-01 00:00+00')},
		'log_likelihood(engagement_logit)' => 'log_likelihood(v)',
		'customers(engagement_logit)' => 'customers(v)',
	},
	paretonbd => {
		'parameters(paretonbd)' => '(SELECT count(*) FROM parameters(v))',
		'estimates(paretonbd)' => '(estimates(v)).alpha',
		'log_likelihood(paretonbd)' => 'coalesce(log_likelihood(v), 0)',
		'customers(paretonbd)' => 'coalesce(customers(v), 0)',
		'log_likelihood(paretonbd,double precision,double precision,double precision)' =>
		  'log_likelihood(v, 2, 4, 6)',
		'expected_purchases(paretonbd,double precision)' => 'expected_purchases(v, 10)',
		'expected_purchases(paretonbd,double precision,double precision,double precision,double precision)' =>
		  'expected_purchases(v, 5, 2, 4, 6)',
		'p_alive(paretonbd,double precision,double precision,double precision)' =>
		  'p_alive(v, 2, 4, 6)',
		'predicted_clv(paretonbd,gammagamma,double precision,double precision,double precision,double precision,integer,double precision,double precision)' =>
		  "predicted_clv(v, '(v=1,p=6.25,q=3.74,gamma=15.44)', 2, 4, 6, 30, 12, 4.345, 0.01)",
	},
	gammagamma => {
		'parameters(gammagamma)' => '(SELECT count(*) FROM parameters(v))',
		'estimates(gammagamma)' => '(estimates(v)).p',
		'log_likelihood(gammagamma)' => 'coalesce(log_likelihood(v), 0)',
		'customers(gammagamma)' => 'coalesce(customers(v), 0)',
		'log_likelihood(gammagamma,double precision,double precision)' =>
		  'log_likelihood(v, 3, 10)',
		'expected_spend(gammagamma)' => 'expected_spend(v)',
		'expected_spend(gammagamma,double precision,double precision)' =>
		  'expected_spend(v, 3, 10)',
	},
	classifier_summary => {
		'auc(classifier_summary)' => 'coalesce(auc(v), 0)',
		'auc_std_error(classifier_summary)' => 'coalesce(auc_std_error(v), 0)',
		'auc_ci(classifier_summary,double precision)' => 'coalesce((auc_ci(v, 0.9)).lower, 0)',
		'positives(classifier_summary)' => 'positives(v)',
		'negatives(classifier_summary)' => 'negatives(v)',
		'lift_table(classifier_summary,integer)' => '(SELECT count(*) FROM lift_table(v, 7))',
		# (probabilities only, other scores are 22023 rightly: the state's
		# scores clamped to [0, 1], one row each, in an aggregate, which the
		# planner cannot fold into a constant before the CASE is decided)
		'log_loss(classifier_summary)' =>
		  '(SELECT log_loss(classifier_agg(greatest(0, least(1, score)), positives > 0)) FROM unnest(v))',
		'brier_score(classifier_summary)' =>
		  '(SELECT brier_score(classifier_agg(greatest(0, least(1, score)), positives > 0)) FROM unnest(v))',
		# (a state with room for twice its rows: the largest has none, rightly 22003)
		'classifier_summary_add(classifier_summary,classifier_summary)' =>
		  'CASE WHEN positives(v) + negatives(v) < 4611686018427387904 THEN positives(v + v) END',
	},
	community_health => {
		map({ ("$_(community_health)" => "coalesce($_(v), 0)") }
			qw(posts threads members views answered_threads interactivity content)),
		map({ ("$_(community_health)" => "extract(epoch FROM coalesce($_(v), '0'))") }
			qw(first_reply_time response_gap)),
		map({ ("$_(community_health,interval)" => "coalesce($_(v, '7 days'), 0)") }
			qw(liveliness traffic)),
		'growth(community_health,community_health)' => 'coalesce(growth(v, v), 0)',
		# (+ with a one-post state; the seed that already holds 2^63 - 1 posts
		# has no room for one more: 22003, rightly)
		'community_health_add(community_health,community_health)' =>
		  "CASE WHEN posts(v) < 9223372036854775807 THEN threads(v + (SELECT community_agg(0, 0, '2026-01-01', true))) END",
		'health_index(community_health,interval,community_health,double precision)' =>
		  "coalesce(health_index(v, '7 days', v, 0.1), 0) + coalesce(health_index(v, '7 days'), 0)",
		'health_factors(community_health,interval,community_health,double precision)' =>
		  "(SELECT count(*) FROM health_factors(v, '7 days', v, 0.1))",
		'unanswered_threads(community_health,timestamp with time zone,interval)' =>
		  "(SELECT count(*) FROM unanswered_threads(v, '2026-06-01', '1 day'))",
		'escalations(community_health,timestamp with time zone,interval,double precision)' =>
		  "(SELECT count(*) FROM escalations(v, '2026-06-01', '1 day', 0))",
	},
);

# the comparison and hash functions of every type (1.2): a state equals itself
foreach my $type (keys %accessors)
{
	my $sig = "$type,$type";
	$accessors{$type}{"${type}_eq($sig)"} = '(v = v)::int';
	$accessors{$type}{"${type}_ne($sig)"} = '(v <> v)::int';
	$accessors{$type}{"${type}_lt($sig)"} = '(v < v)::int';
	$accessors{$type}{"${type}_le($sig)"} = '(v <= v)::int';
	$accessors{$type}{"${type}_gt($sig)"} = '(v > v)::int';
	$accessors{$type}{"${type}_ge($sig)"} = '(v >= v)::int';
	$accessors{$type}{"${type}_cmp($sig)"} = "${type}_cmp(v, v)";
	$accessors{$type}{"${type}_hash($type)"} = "${type}_hash(v)";
	$accessors{$type}{"${type}_hash_extended($type,bigint)"} = "${type}_hash_extended(v, 1)";
}

# the JSON forms (1.2), through the casts, and the unnest() readers
foreach my $type (keys %accessors)
{
	$accessors{$type}{"${type}_json($type)"} = 'length(v::json::text)';
	$accessors{$type}{"${type}_jsonb($type)"} = 'length(v::jsonb::text)';
}
foreach my $type (qw(rfm funnel community_health journey markov_model fractribution_summary identity_graph classifier_summary))
{
	$accessors{$type}{"unnest($type)"} = '(SELECT count(*) FROM unnest(v))';
}

# The list above must name every accessor the extension has.
my $listed = $node->safe_psql('postgres', <<'EOSQL');
SELECT format_type(p.proargtypes[0], NULL) || ' ' || p.oid::regprocedure
FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'engagement')
  AND p.prokind = 'f' AND p.pronargs > 0
  AND p.proname !~ '(_trans|_inv|_wtrans|_combine|_final|_send|_out)$'
  AND p.proargtypes[0] IN (SELECT t.oid FROM pg_type t JOIN pg_depend td
		ON td.classid = 'pg_type'::regclass AND td.objid = t.oid AND td.deptype = 'e'
		WHERE t.typtype = 'b')
ORDER BY 1
EOSQL
my @missing;
foreach my $line (split /\n/, $listed)
{
	my ($type, $sig) = split / /, $line, 2;
	push @missing, $sig unless $accessors{$type} && $accessors{$type}{$sig};
}
is(join(', ', @missing), '', 'every accessor of every state type is exercised');

# Valid seeds through every accessor: no error at all.  One statement per
# line, so an error's line names the accessor and the seed.
foreach my $type (sort keys %seeds)
{
	my @calls;
	foreach my $seed (@{ $seeds{$type} })
	{
		push @calls, map {
			[ "$_ on $seed",
				"SELECT ($accessors{$type}{$_})::double precision IS NOT NULL FROM (SELECT "
				  . sql_literal($seed) . "::$type AS v) s;" ]
		} sort keys %{ $accessors{$type} };
	}
	my ($ret, $stdout, $stderr) = $node->psql('postgres',
		join("\n", map { $_->[1] } @calls), on_error_stop => 0);
	my @failed = map { $calls[ $_ - 1 ][0] } ($stderr =~ /^psql:<stdin>:(\d+): ERROR/mg);
	is(join("\n", @failed), '', "$type: every valid seed through every accessor without error")
	  or diag($stderr);
	is(scalar(split /\n/, $stdout), scalar(@calls), "$type: a result from every accessor call");
}

# Accepted mutations through every accessor of their type: at worst a data
# exception (class 22) or a limit (54000).
sub exercise_accepted
{
	my ($type, $table) = @_;
	my $exprs = join(",\n\t\t\t\t",
		map { "($accessors{$type}{$_})::double precision" } sort keys %{ $accessors{$type} });
	my ($ret, $stdout, $stderr) = $node->psql('postgres', <<"EOSQL");
DO \$\$
DECLARE
	r record;
	x double precision[];
BEGIN
	FOR r IN SELECT v FROM $table LOOP
		BEGIN
			SELECT ARRAY[$exprs] INTO x FROM (SELECT r.v AS v) s;
		EXCEPTION
			WHEN data_exception OR program_limit_exceeded THEN
				NULL;
		END;
	END LOOP;
END
\$\$;
EOSQL
	is($ret, 0, "$type: accepted values from $table go through every accessor")
	  or diag($stderr);
	return;
}

my $tmp = PostgreSQL::Test::Utils::tempdir;

foreach my $type (sort keys %seeds)
{
	#
	# Text input: every value goes through the input function inside its own
	# subtransaction; any SQLSTATE outside the allowed set is reported.
	#
	my @values = map { mutate_text($seeds{$type}[ rand @{ $seeds{$type} } ]) } 1 .. $count;
	push @values, @{ $seeds{$type} };
	my $seeds = 'ARRAY[' . join(',', map { sql_literal($_) . "::$type" } @{ $seeds{$type} }) . ']';
	my $sql = "CREATE TABLE fuzz_text_$type (s text);\n"
	  . "CREATE TABLE fuzz_ok_$type (v $type);\n"
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
			INSERT INTO fuzz_ok_$type VALUES (v);
		EXCEPTION
			WHEN invalid_text_representation OR numeric_value_out_of_range
				OR data_corrupted OR program_limit_exceeded
				OR string_data_right_truncation THEN
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
	# some mutations must get through, or the accessors below see only seeds
	my $new = $node->safe_psql('postgres',
		"SELECT count(*) FROM fuzz_ok_$type WHERE ${type}_send(v) <> ALL "
		  . "(SELECT ${type}_send(s) FROM unnest($seeds) s)");
	cmp_ok($new, '>', 0, "$type text input: accepted mutations other than the seeds");

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
		my $file = "$tmp/${type}_$i.bin";
		write_copy_binary($file, mutate_bytes($bin[ rand @bin ]));
		$script .= "COPY fuzz_bin_$type FROM '$file' WITH (FORMAT binary);\n";
	}
	($ret, $stdout, $stderr) =
	  $node->psql('postgres', $script, on_error_stop => 0);
	my @errors = ($stderr =~ /^(?:psql:[^\n]*?)?ERROR:\s+([0-9A-Z]{5}):/mg);
	my %allowed = map { $_ => 1 } qw(22P03 08P01 22003 XX001 54000 22001);
	my @bad = grep { !$allowed{$_} } @errors;
	is(scalar(@bad), 0, "$type binary receive: only input-error SQLSTATEs")
	  or diag(join("\n", grep { /ERROR/ } split /\n/, $stderr));
	my $accepted = $node->safe_psql('postgres', "SELECT count(*) FROM fuzz_bin_$type");
	note "$type binary: accepted $accepted, refused " . scalar(@errors);
	$new = $node->safe_psql('postgres',
		"SELECT count(*) FROM fuzz_bin_$type WHERE ${type}_send(v) <> ALL "
		  . "(SELECT ${type}_send(s) FROM unnest($seeds) s)");
	cmp_ok($new, '>', 0, "$type binary receive: accepted mutations other than the seeds");

	# whatever was accepted must be usable and print/read back unchanged
	is( $node->safe_psql('postgres',
			"SELECT count(*) FROM fuzz_bin_$type WHERE v::text::$type\::text <> v::text"),
		'0', "$type binary receive: accepted values round-trip");

	# and must go through every accessor of the type
	exercise_accepted($type, "fuzz_ok_$type");
	exercise_accepted($type, "fuzz_bin_$type");
}

# The server survived: still answering, and no backend died by a signal.
is($node->safe_psql('postgres', 'SELECT 1'), '1', 'server still answers');
my $log = slurp_file($node->logfile);
unlike($log, qr/terminated by signal/, 'no backend terminated by a signal');

$node->stop;
done_testing();
