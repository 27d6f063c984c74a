#!/usr/bin/env bash
# test/bench_run.sh: the benchmark, inside a throw-away cluster (PGHOST etc.
# set by pg_virtualenv).  Run by test/bench.sh.
#
# Each case times, best of K rounds (queries interleaved), server-side (EXPLAIN ANALYZE execution
# time, so result transfer is not measured), on serial plans unless the case
# says otherwise:
#   fn     the extension's function
#   idiom  the best plain-SQL formulation of the same result
#   floor  a bare count(*) over the same rows
# and checks once that fn and idiom return the same answer.
set -euo pipefail
rows=10000000
runs=5
only=""
while [ $# -gt 0 ]; do
	case "$1" in
		--rows) rows="$2"; shift 2 ;;
		--runs) runs="$2"; shift 2 ;;
		--only) only="$2"; shift 2 ;;
		*) echo "usage: test/bench.sh [--rows N] [--runs K] [--only REGEX]" >&2; exit 2 ;;
	esac
done
case "$rows$runs" in
	*[!0-9]*) echo "--rows and --runs take whole numbers" >&2; exit 2 ;;
esac

SETTINGS="SET max_parallel_workers_per_gather = 0; SET jit = off; SET work_mem = '1GB';"
q() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$SETTINGS $1"; }

echo "==> loading: $rows survey answers, $rows touches of $((rows / 100)) customers, $rows events of $((rows / 10)) users"
psql -X -q -v ON_ERROR_STOP=1 <<EOSQL
CREATE EXTENSION engagement;
SET client_min_messages = warning;
CREATE TABLE scores AS
	SELECT i AS id, (i % 1000)::int AS g,
		   date '2024-01-01' + (i % 1095)::int AS day,
		   (abs(hashint8(i)) % 11)::int AS score
	FROM generate_series(1, $rows) i;
CREATE TABLE scores_small AS SELECT * FROM scores WHERE id <= greatest($rows / 10, 1000);
CREATE TABLE touches AS
	SELECT (i % ($rows / 100 + 1)) AS customer,
		   timestamptz '2026-01-01 00:00+00'
			 + ((i / ($rows / 100 + 1)) * 47 + abs(hashint8(i)) % 40) * interval '1 minute' AS ts,
		   (ARRAY['web', 'app', 'email', 'store', 'call_centre', 'social'])[1 + abs(hashint8(i * 7)) % 6] AS channel
	FROM generate_series(1, $rows) i;
CREATE TABLE daily AS SELECT day, nps_agg(score) AS s FROM scores GROUP BY day;
CREATE TABLE journeys1m AS
	SELECT id, (ARRAY['web', 'app', 'email', 'store', 'call_centre', 'social'])[1 + abs(hashint8(id)) % 6] AS c1,
		   (ARRAY['web', 'app', 'email', 'store', 'call_centre', 'social'])[1 + abs(hashint8(id * 3)) % 6] AS c2,
		   (ARRAY['web', 'app', 'email', 'store', 'call_centre', 'social'])[1 + abs(hashint8(id * 7)) % 6] AS c3,
		   (abs(hashint8(id * 11)) % 5 = 0)::int AS conv
	FROM scores_small;
-- BG/NBD customers (frequency, recency, age in weeks), one per 10 rows:
-- lambda ~ Gamma(2, 10), p ~ Beta(2, 6), dropping out after a repeat purchase
CREATE FUNCTION pg_temp.u(i bigint, k int) RETURNS double precision LANGUAGE sql IMMUTABLE AS
\$\$ SELECT ((hashint8extended(i * 1000 + k, 7) % 1000000007 + 1000000007) % 1000000007 + 0.5) / 1000000007 \$\$;
-- btyd_raw keeps the times as simulated (every time distinct); btyd rounds
-- them to 2 decimals (a hundredth of a week), as exported data often are
CREATE TABLE btyd_raw AS
WITH c AS (
	SELECT i, -(ln(pg_temp.u(i, 1)) + ln(pg_temp.u(i, 2))) / 10 AS lam,
		   ga / (ga + gb) AS p, 20 + 40 * pg_temp.u(i, 11) AS T
	FROM (SELECT i, -(ln(pg_temp.u(i, 3)) + ln(pg_temp.u(i, 4))) AS ga,
				 -(ln(pg_temp.u(i, 5)) + ln(pg_temp.u(i, 6)) + ln(pg_temp.u(i, 7)) +
				   ln(pg_temp.u(i, 8)) + ln(pg_temp.u(i, 9)) + ln(pg_temp.u(i, 10))) AS gb
		  FROM generate_series(1, greatest($rows / 10, 1000)) i) g),
arrivals AS (
	SELECT i, T, sum(-ln(pg_temp.u(i, 100 + k)) / lam) OVER (PARTITION BY i ORDER BY k) AS at
	FROM c, generate_series(1, least(1 + floor(ln(pg_temp.u(i, 12)) / ln(1 - p)), ceil(3 * lam * T + 20))::int) k)
SELECT c.i, count(a.at)::float8 AS x, coalesce(max(a.at), 0)::float8 AS tx, c.T::float8 AS T
FROM c LEFT JOIN arrivals a ON a.i = c.i AND a.at <= a.T
GROUP BY c.i, c.T;
CREATE TABLE btyd AS
	SELECT i, x, CASE WHEN x = 0 THEN 0 ELSE greatest(0.01, round(tx::numeric, 2)) END::float8 AS tx,
		   greatest(round(T::numeric, 2)::float8, CASE WHEN x = 0 THEN 0 ELSE greatest(0.01, round(tx::numeric, 2)) END::float8) AS T
	FROM btyd_raw;
-- engagement_logit_fit: one customer per 10 rows, a state of one event per
-- dimension (values and ages drawn from u) and an outcome drawn from a
-- logistic model of the values decayed to 2026-07-01
CREATE TABLE logit_states AS
SELECT i, engagement_agg(timestamptz '2026-07-01 00:00+00' - floor(90 * pg_temp.u(i, 20 + d)) * interval '1 day',
						 (ARRAY['involvement', 'interaction', 'intimacy', 'influence'])[d]::engagement_dimension,
						 CASE WHEN d = 3 THEN 2 * pg_temp.u(i, 30 + d) - 1 ELSE floor(10 * pg_temp.u(i, 30 + d)) END,
						 '30 days') AS e
FROM generate_series(1, greatest($rows / 10, 1000)) i, generate_series(1, 4) d GROUP BY i;
CREATE TABLE logit_rows AS
SELECT i, e, pg_temp.u(i, 40) < 1 / (1 + exp(-(-2 + 0.3 * involvement(e, '2026-07-01') + 0.2 * interaction(e, '2026-07-01')
		+ 0.8 * intimacy(e, '2026-07-01') + 0.4 * influence(e, '2026-07-01')))) AS y
FROM logit_states;
DROP TABLE logit_states;
-- community posts, one per 10 rows: threads of up to 10 posts every 5 minutes
CREATE TABLE posts AS
SELECT p AS post_id, 1 + (p - 1) / 10 AS thread_id, (p - 1) % 10 = 0 AS starts,
	   CASE WHEN (p - 1) % 10 = 0 OR abs(hashint4(p)) % 4 = 0 THEN ((p - 1) / 10) % 5000
			ELSE abs(hashint4(p * 7)) % 8000 END::bigint AS author_id,
	   timestamptz '2025-01-01 00:00+00' + ((p - 1) / 10) * interval '5 minutes'
		 + ((p - 1) % 10) * (abs(hashint4(p * 3)) % 600) * interval '1 minute' AS posted_at,
	   (abs(hashint4(p * 11)) % 50)::bigint AS views,
	   (ARRAY['help', 'ideas', 'general'])[1 + ((p - 1) / 10) % 3] AS community
FROM generate_series(1, greatest($rows / 10, 1000)) p
WHERE (p - 1) % 10 = 0 OR ((p - 1) / 10) % 7 <> 0;
-- one customer's 60,000 touches in time order, each with its own event name
-- (page URLs, in an order unrelated to time), and the same with one name
CREATE TABLE names60k AS
	SELECT timestamptz '2026-01-01 00:00+00' + (i * 47 + abs(hashint4(i)) % 40) * interval '1 second' AS ts,
		   'web' AS channel,
		   '/products/item-' || (1 + (i::bigint * 7919) % 60000) AS many,
		   '/products/item-12345' AS one
	FROM generate_series(1, 60000) i ORDER BY i;
-- identity pairs, one per 10 rows: each CRM customer seen with 5 cookies drawn
-- from 20 times as many as there are pairs, so that some cookies link two
-- customers and the components stay small (a few identifiers, chains and stars)
CREATE TABLE idpairs AS
	SELECT 'crm:' || i / 5 AS id_a, 'cookie:' || abs(hashint8(i)) % (20 * greatest($rows / 10, 1000)) AS id_b,
		   timestamptz '2026-01-01 00:00+00' + i * interval '1 minute' AS seen_at
	FROM generate_series(1, greatest($rows / 10, 1000)) i;
-- events for the funnel and retention cases: N events of N/10 users over 30
-- days.  Each user gets a depth (50% only view, 25% up to cart, 15% up to
-- checkout, 7% up to purchase, 3% never view: they came back straight to a
-- cart); each event draws a step (55% view, 23% cart, 14% checkout, 8%
-- purchase) capped at that depth.  A user's k-th event is about k * 10
-- minutes after their first, with a jitter of up to 15 minutes, so rows are
-- inserted (all users' 1st events, then their 2nd, ...) mostly but not always
-- in time order; times are whole seconds (ClickHouse's DateTime) and never
-- equal within a user (the jitter's parity is k's).
CREATE TABLE events AS
SELECT u AS user_id,
	   timestamptz '2026-01-01 00:00+00'
		 + ((abs(hashint8(u)) % 2592000) + k * 600 + 2 * (abs(hashint8(i * 3)) % 450) + k % 2) * interval '1 second' AS ts,
	   (ARRAY['view', 'cart', 'checkout', 'purchase'])[
		 CASE WHEN depth = 0 THEN 2 + abs(hashint8(i * 7)) % 3 ELSE least(depth, step) END] AS event
FROM (SELECT i, u, k,
			 CASE WHEN h < 3 THEN 0 WHEN h < 53 THEN 1 WHEN h < 78 THEN 2 WHEN h < 93 THEN 3 ELSE 4 END AS depth,
			 CASE WHEN r < 55 THEN 1 WHEN r < 78 THEN 2 WHEN r < 92 THEN 3 ELSE 4 END AS step
	  FROM (SELECT i, i % greatest($rows / 10, 1) AS u, i / greatest($rows / 10, 1) AS k,
				   abs(hashint8((i % greatest($rows / 10, 1)) * 13)) % 100 AS h, abs(hashint8(i * 7)) % 100 AS r
			FROM generate_series(1::bigint, $rows) i) s) e;
-- classifier scores: N rows in 1000 groups, a score u in [0, 1) cut to four
-- decimals (10,000 distinct values, as model outputs are usually rounded),
-- the outcome true with probability 0.1 + 0.5 u
CREATE TABLE clf AS
	SELECT i AS id, (i % 1000)::int AS g, floor(u * 10000) / 10000 AS score,
		   (abs(hashint8(i * 5 + 1)) % 1000000) / 1e6 < 0.1 + 0.5 * u AS outcome
	FROM (SELECT i, ((abs(hashint8(i * 3)) % 1000000) / 1e6)::float8 AS u
		  FROM generate_series(1, $rows) i) s;
CREATE AGGREGATE nps_noinv(integer) (SFUNC = nps_trans, STYPE = nps_summary, FINALFUNC = nps_final);
VACUUM ANALYZE scores;
VACUUM ANALYZE scores_small;
VACUUM ANALYZE touches;
VACUUM ANALYZE daily;
VACUUM ANALYZE journeys1m;
VACUUM ANALYZE btyd;
VACUUM ANALYZE btyd_raw;
VACUUM ANALYZE posts;
VACUUM ANALYZE logit_rows;
VACUUM ANALYZE names60k;
VACUUM ANALYZE events;
VACUUM ANALYZE clf;
EOSQL

# one timed execution, server-side
time_once() {
	local sql="$1" parallel="${2:-0}"
	local set="$SETTINGS"
	[ "$parallel" -eq 0 ] || set="SET max_parallel_workers_per_gather = 2; SET jit = off; SET work_mem = '1GB';"
	psql -X -q -At -v ON_ERROR_STOP=1 -c "$set EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) $sql" |
		sed -n 's/^Execution Time: \([0-9.]*\) ms$/\1/p'
}
min_of() { if [ -z "$1" ] || awk "BEGIN { exit !($2 < $1) }"; then echo "$2"; else echo "$1"; fi; }

# best of K rounds; the queries run interleaved within each round, so a
# slow spell of the machine hits all of them alike.  Sets BEST[0..n-1].
best_interleaved() {
	local rounds="$1" parallel="$2"
	shift 2
	BEST=()
	for _ in $(seq 1 "$rounds"); do
		local i=0
		for sql in "$@"; do
			BEST[$i]=$(min_of "${BEST[$i]:-}" "$(time_once "$sql" "$parallel")")
			i=$((i + 1))
		done
	done
}
best_ms() { best_interleaved "$runs" "${2:-0}" "$1"; echo "${BEST[0]}"; }

printf '\n%-44s %10s %10s %10s %9s %9s  %-6s %9s  %s\n' "case" "fn ms" "idiom ms" "count ms" "fn/idiom" "fn/count" "same" "peer ms" "peer"
# line NAME FN IDIOM FLOOR SAME [PEER_MS PEER]: PEER_MS "" prints "-"
line() {
	local peer_ms="-"
	[ -z "${6:-}" ] || peer_ms=$(printf '%.1f' "$6")
	printf '%-44s %10.1f %10.1f %10.1f %9.2f %9.2f  %-6s %9s  %s\n' "$1" "$2" "$3" "$4" \
		"$(awk "BEGIN { print $2 / $3 }")" "$(awk "BEGIN { print $2 / $4 }")" "$5" "$peer_ms" "${7:-}"
}

# case NAME FN IDIOM FLOOR CHECK [PARALLEL [ROUNDS [PEER]]]: CHECK is a query
# returning t; PEER names a function (below) that times the same work in a
# peer system after the PostgreSQL rounds and sets PEER_MS and PEER (empty
# when the peer is not available)
failed=0
case_row() {
	local name="$1" fn="$2" idiom="$3" floor="$4" check="$5" parallel="${6:-0}" rounds="${7:-$runs}" peer="${8:-}"
	local same
	[[ -z "$only" || "$name" =~ $only ]] || return 0
	same=$(q "$check")
	[ "$same" = "t" ] || failed=1
	best_interleaved "$rounds" "$parallel" "$fn" "$idiom" "$floor"
	local fn_ms="${BEST[0]}" idiom_ms="${BEST[1]}" floor_ms="${BEST[2]}"
	PEER_MS="" PEER=""
	[ -z "$peer" ] || "$peer"
	line "$name" "$fn_ms" "$idiom_ms" "$floor_ms" "$same" "$PEER_MS" "$PEER"
}

# ---------------------------------------------------------------------------
# Peers: the same work in other systems, on the same data, timed in the same
# run.  A missing peer prints one line saying so and never fails the run; a
# peer whose result differs from PostgreSQL's does (like fn vs idiom).

# ClickHouse (Debian's clickhouse-server 18.16): a private server of our own,
# as the user running this script, on a free loopback port, with its config
# and data under a temporary directory removed on exit.  Started on first use
# (ch_ready: "" not tried yet, "yes", "no").  Times are the server's own,
# system.query_log's query_duration_ms of the finished query (whole ms).
ch_ready=""
CH_DIR=""
CH_PID=""
CH_PORT=""
ch_stop() {
	if [ -n "$CH_PID" ]; then
		kill "$CH_PID" 2>/dev/null || true
		wait "$CH_PID" 2>/dev/null || true
		CH_PID=""
	fi
	[ -z "$CH_DIR" ] || rm -rf "$CH_DIR"
	CH_DIR=""
}
trap ch_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
ch() { clickhouse-client --host 127.0.0.1 --port "$CH_PORT" "$@"; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ch_skip() { echo "ClickHouse: $1; skipped" >&2; ch_ready=no; ch_stop; }

ch_start() {
	local server=""
	if command -v clickhouse-server >/dev/null 2>&1; then server=clickhouse-server
	elif [ -x /usr/sbin/clickhouse-server ]; then server=/usr/sbin/clickhouse-server
	fi
	if [ -z "$server" ] || ! command -v clickhouse-client >/dev/null 2>&1; then
		ch_skip "not installed (Debian packages clickhouse-server, clickhouse-client)"
		return
	fi
	local tries=0
	CH_PORT=$((20000 + RANDOM % 40000))
	until port_free "$CH_PORT"; do
		tries=$((tries + 1))
		[ "$tries" -lt 50 ] || { ch_skip "no free port found"; return; }
		CH_PORT=$((20000 + RANDOM % 40000))
	done
	CH_DIR="$(mktemp -d "${TMPDIR:-/tmp}/bench-clickhouse.XXXXXX")"
	# only the native TCP port, on loopback; no HTTP or interserver port
	cat >"$CH_DIR/config.xml" <<EOXML
<?xml version="1.0"?>
<yandex>
	<logger><level>warning</level><log>$CH_DIR/server.log</log><errorlog>$CH_DIR/server.err.log</errorlog></logger>
	<listen_host>127.0.0.1</listen_host>
	<tcp_port>$CH_PORT</tcp_port>
	<path>$CH_DIR/data/</path>
	<tmp_path>$CH_DIR/data/tmp/</tmp_path>
	<user_files_path>$CH_DIR/data/user_files/</user_files_path>
	<format_schema_path>$CH_DIR/data/format_schemas/</format_schema_path>
	<timezone>UTC</timezone>
	<mark_cache_size>1073741824</mark_cache_size>
	<users_config>$CH_DIR/users.xml</users_config>
	<default_profile>default</default_profile>
	<default_database>default</default_database>
	<query_log><database>system</database><table>query_log</table><flush_interval_milliseconds>1000</flush_interval_milliseconds></query_log>
</yandex>
EOXML
	cat >"$CH_DIR/users.xml" <<'EOXML'
<?xml version="1.0"?>
<yandex>
	<profiles><default><max_memory_usage>8000000000</max_memory_usage><log_queries>1</log_queries></default></profiles>
	<users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
	<quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
EOXML
	"$server" --config-file="$CH_DIR/config.xml" >"$CH_DIR/stdout" 2>&1 &
	CH_PID=$!
	tries=0
	until ch --query "SELECT 1" >/dev/null 2>&1; do
		tries=$((tries + 1))
		if [ "$tries" -ge 60 ] || ! kill -0 "$CH_PID" 2>/dev/null; then
			ch_skip "the private server did not start ($(cat "$CH_DIR/server.err.log" "$CH_DIR/stdout" 2>/dev/null |
				grep -v '^Logging' | tail -n 1))"
			return
		fi
		sleep 0.5
	done
	echo "==> ClickHouse $(ch --query "SELECT version()") on 127.0.0.1:$CH_PORT: loading the events" >&2
	# the usual ClickHouse events table: MergeTree sorted by (user_id, ts);
	# PostgreSQL's rows are exported in their heap order, times in UTC
	if ! ch --query "CREATE TABLE events (user_id UInt64, ts DateTime, event String)
			ENGINE = MergeTree ORDER BY (user_id, ts)" ||
		! psql -X -q -v ON_ERROR_STOP=1 -c "COPY (SELECT user_id,
				to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), event FROM events) TO STDOUT" |
			ch --query "INSERT INTO events FORMAT TabSeparated" ||
		! ch --query "OPTIMIZE TABLE events FINAL" ||
		[ "$(ch --query "SELECT count() FROM events")" != "$(q "SELECT count(*) FROM events")" ]; then
		ch_skip "loading the events failed"
		return
	fi
	ch_ready=yes
}
ch_available() { [ -n "$ch_ready" ] || ch_start; [ "$ch_ready" = yes ]; }

# one ClickHouse execution of SQL with max_threads THREADS (0: the server's
# default, one per physical core); prints its query_duration_ms, the result to
# $CH_DIR/out
ch_time_once() {
	local sql="$1" threads="$2" id="bench-$$-$RANDOM-$RANDOM" set=()
	[ "$threads" -eq 0 ] || set=(--max_threads="$threads")
	ch --query_id="$id" "${set[@]}" --query "$sql" >"$CH_DIR/out" &&
		ch --query "SYSTEM FLUSH LOGS" &&
		ch --query "SELECT query_duration_ms FROM system.query_log WHERE query_id = '$id' AND type = 2"
}

# ch_peer CH_SQL CH_FLOOR PG_SQL THREADS: best of $runs rounds of CH_SQL and
# CH_FLOOR interleaved; CH_SQL's result must equal PG_SQL's (tab-separated
# text, the same row order).  Sets PEER_MS and PEER.
ch_peer() {
	local sql="$1" floor="$2" pg="$3" threads="$4" best="" best_floor="" same label
	ch_available || return 0
	local ms ms_floor
	for _ in $(seq 1 "$runs"); do
		if ! ms=$(ch_time_once "$sql" "$threads") || ! cp "$CH_DIR/out" "$CH_DIR/result" ||
			! ms_floor=$(ch_time_once "$floor" "$threads") || [ -z "$ms" ] || [ -z "$ms_floor" ]; then
			ch_skip "a query failed"
			return 0
		fi
		best=$(min_of "$best" "$ms")
		best_floor=$(min_of "$best_floor" "$ms_floor")
	done
	if psql -X -q -At -F $'\t' -v ON_ERROR_STOP=1 -c "$SETTINGS $pg" | cmp -s - "$CH_DIR/result"; then
		same=t
	else
		same=f
		failed=1
		echo "ClickHouse's result differs from PostgreSQL's for: $sql" >&2
	fi
	if [ "$threads" -eq 0 ]; then label="default threads ($(ch --query "SELECT value FROM system.settings WHERE name = 'max_threads'"))"
	else label="max_threads=$threads"
	fi
	PEER_MS="$best"
	PEER="ClickHouse, $label, same $same, count $best_floor ms"
}

# pandas (Debian's python3-pandas, python3-psycopg2), through test/bench_peers.py;
# its times are wall-clock in the client, the export from PostgreSQL included
PY=/usr/bin/python3
[ -x "$PY" ] || PY="$(command -v python3 || echo python3)"
PEERS_PY="$(dirname "${BASH_SOURCE[0]}")/bench_peers.py"
py_ready=""
py_available() {
	if [ -z "$py_ready" ]; then
		if PANDAS_VERSION=$("$PY" "$PEERS_PY" check 2>/dev/null); then
			py_ready=yes
		else
			py_ready=no
			echo "pandas: not installed (Debian packages python3-pandas, python3-psycopg2); skipped" >&2
		fi
	fi
	[ "$py_ready" = yes ]
}
# py_peer CASE REF_SQL LABEL: sets PEER_MS and PEER
py_peer() {
	local out
	if ! out=$("$PY" "$PEERS_PY" "$1" "$runs" "$2"); then
		echo "$3: $1 failed (above); skipped" >&2
		return 0
	fi
	[ "${out#* }" = t ] || { failed=1; echo "$3's result differs from PostgreSQL's ($1)" >&2; }
	PEER_MS="${out% *}"
	PEER="$3, same ${out#* }"
}
# ---------------------------------------------------------------------------

FILTER_NPS="100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) / count(score)"

# the cheap cases get three times the rounds: their ratios are the targets
if [[ -z "$only" || "nps(score), all rows" =~ $only ]]; then
	same=$(q "SELECT abs((SELECT nps(score) FROM scores) - (SELECT $FILTER_NPS FROM scores)) < 1e-9")
	[ "$same" = "t" ] || failed=1
	best_interleaved $((runs * 3)) 0 "SELECT nps(score) FROM scores" "SELECT $FILTER_NPS FROM scores" \
		"SELECT count(*) FROM scores" "SELECT sum(score) FROM scores"
	line "nps(score), all rows" "${BEST[0]}" "${BEST[1]}" "${BEST[2]}" "$same"
	printf '%-44s %10.1f  nps/sum = %.2f\n' "  sum(score) over the same rows" "${BEST[3]}" \
		"$(awk "BEGIN { print ${BEST[0]} / ${BEST[3]} }")"
fi

case_row "nps(score), all rows, 2 workers" \
	"SELECT nps(score) FROM scores" \
	"SELECT $FILTER_NPS FROM scores" \
	"SELECT count(*) FROM scores" \
	"SELECT abs((SELECT nps(score) FROM scores) - (SELECT $FILTER_NPS FROM scores)) < 1e-9" 1 $((runs * 3))

# pandas: read g and score (COPY to memory, read_csv), NPS per group with groupby
peer_nps_groups() {
	py_available || return 0
	py_peer nps_groups "SELECT g, nps(score) FROM scores GROUP BY g" "pandas $PANDAS_VERSION, export included"
}
case_row "nps(score) GROUP BY 1000 groups" \
	"SELECT g, nps(score) FROM scores GROUP BY g" \
	"SELECT g, $FILTER_NPS FROM scores GROUP BY g" \
	"SELECT count(*) FROM scores" \
	"SELECT count(*) = 0 FROM (SELECT g, nps(score) AS a FROM scores GROUP BY g) x
	 JOIN (SELECT g, $FILTER_NPS AS b FROM scores GROUP BY g) y USING (g) WHERE abs(a - b) > 1e-9" \
	0 "$runs" peer_nps_groups

case_row "rolling nps, 30-row frame (inverse)" \
	"SELECT nps(score) OVER (ORDER BY id ROWS 29 PRECEDING) FROM scores_small" \
	"SELECT 100.0 * (sum((score >= 9)::int) OVER w - sum((score <= 6)::int) OVER w) / count(score) OVER w
	 FROM scores_small WINDOW w AS (ORDER BY id ROWS 29 PRECEDING)" \
	"SELECT count(*) FROM scores_small" \
	"SELECT count(*) = 0 FROM (SELECT id, nps(score) OVER (ORDER BY id ROWS 29 PRECEDING) AS a,
	   100.0 * (sum((score >= 9)::int) OVER w - sum((score <= 6)::int) OVER w) / count(score) OVER w AS b
	 FROM scores_small WINDOW w AS (ORDER BY id ROWS 29 PRECEDING)) s WHERE abs(a - b) > 1e-9"

case_row "rolling nps, same frame, no inverse (fn)" \
	"SELECT nps_noinv(score) OVER (ORDER BY id ROWS 29 PRECEDING) FROM scores_small" \
	"SELECT nps(score) OVER (ORDER BY id ROWS 29 PRECEDING) FROM scores_small" \
	"SELECT count(*) FROM scores_small" \
	"SELECT count(*) = 0 FROM (SELECT nps_noinv(score) OVER w AS a, nps(score) OVER w AS b
	 FROM scores_small WINDOW w AS (ORDER BY id ROWS 29 PRECEDING)) s WHERE a <> b"

case_row "rolling 30-day nps from daily states" \
	"SELECT day, nps(rollup(s) OVER (ORDER BY day ROWS 29 PRECEDING)) FROM daily" \
	"SELECT day, 100.0 * (sum(promoters(s)) OVER w - sum(detractors(s)) OVER w) / sum(responses(s)) OVER w
	 FROM daily WINDOW w AS (ORDER BY day ROWS 29 PRECEDING)" \
	"SELECT count(*) FROM daily" \
	"SELECT count(*) = 0 FROM (SELECT nps(rollup(s) OVER w) AS a,
	   100.0 * (sum(promoters(s)) OVER w - sum(detractors(s)) OVER w) / sum(responses(s)) OVER w AS b
	 FROM daily WINDOW w AS (ORDER BY day ROWS 29 PRECEDING)) x WHERE abs(a - b) > 1e-9"

case_row "rollup of 365 daily states vs raw rows" \
	"SELECT nps(rollup(s)) FROM daily WHERE day < date '2025-01-01'" \
	"SELECT nps(score) FROM scores WHERE day < date '2025-01-01'" \
	"SELECT count(*) FROM scores WHERE day < date '2025-01-01'" \
	"SELECT (SELECT rollup(s)::text FROM daily WHERE day < date '2025-01-01')
	      = (SELECT nps_agg(score)::text FROM scores WHERE day < date '2025-01-01')"

case_row "session_number() vs row_number()" \
	"SELECT session_number(ts, '30 minutes') OVER (PARTITION BY customer ORDER BY ts) FROM touches" \
	"SELECT row_number() OVER (PARTITION BY customer ORDER BY ts) FROM touches" \
	"SELECT count(*) FROM touches" \
	"SELECT true"

case_row "session_number() vs LAG + running sum" \
	"SELECT session_number(ts, '30 minutes') OVER (PARTITION BY customer ORDER BY ts) FROM touches" \
	"SELECT sum(new) OVER (PARTITION BY customer ORDER BY ts ROWS UNBOUNDED PRECEDING)
	 FROM (SELECT customer, ts, CASE WHEN ts - lag(ts) OVER (PARTITION BY customer ORDER BY ts)
			 <= interval '30 minutes' THEN 0 ELSE 1 END AS new FROM touches) t" \
	"SELECT count(*) FROM touches" \
	"SELECT count(*) = 0 FROM (SELECT session_number(ts, '30 minutes') OVER w AS a,
	   sum(new) OVER (w ROWS UNBOUNDED PRECEDING) AS b
	 FROM (SELECT customer, ts, CASE WHEN ts - lag(ts) OVER (PARTITION BY customer ORDER BY ts)
			 <= interval '30 minutes' THEN 0 ELSE 1 END AS new FROM touches) t
	 WINDOW w AS (PARTITION BY customer ORDER BY ts)) s WHERE a <> b"

# Google Analytics' rules: a session also ends at local midnight and where
# the traffic source (here the channel) changes
GA_NEW="CASE WHEN ts - lag(ts) OVER w <= interval '30 minutes'
			 AND (ts AT TIME ZONE 'America/New_York')::date = (lag(ts) OVER w AT TIME ZONE 'America/New_York')::date
			 AND channel = lag(channel) OVER w THEN 0 ELSE 1 END"
case_row "session_number(), GA rules, vs LAG idiom" \
	"SELECT session_number(ts, '30 minutes', NULL, 'America/New_York', channel) OVER (PARTITION BY customer ORDER BY ts) FROM touches" \
	"SELECT sum(new) OVER (PARTITION BY customer ORDER BY ts ROWS UNBOUNDED PRECEDING)
	 FROM (SELECT customer, ts, $GA_NEW AS new FROM touches WINDOW w AS (PARTITION BY customer ORDER BY ts)) t" \
	"SELECT count(*) FROM touches" \
	"SELECT count(*) = 0 FROM (SELECT session_number(ts, '30 minutes', NULL, 'America/New_York', channel) OVER w AS a,
	   sum(new) OVER (w ROWS UNBOUNDED PRECEDING) AS b
	 FROM (SELECT customer, ts, channel, $GA_NEW AS new FROM touches WINDOW w AS (PARTITION BY customer ORDER BY ts)) t
	 WINDOW w AS (PARTITION BY customer ORDER BY ts)) s WHERE a <> b"

GA_ENGAGED_FN="SELECT sum(engaged_session_count(j, '30 minutes', true, 'America/New_York'))
	FROM (SELECT customer, journey_agg(ts, channel) AS j FROM touches GROUP BY customer) c"
GA_ENGAGED_IDIOM="SELECT count(*) FILTER (WHERE engaged)
	FROM (SELECT customer, session, max(ts) - min(ts) >= interval '10 seconds' OR count(*) >= 2 AS engaged
		  FROM (SELECT customer, ts, sum(new) OVER (PARTITION BY customer ORDER BY ts ROWS UNBOUNDED PRECEDING) AS session
				FROM (SELECT customer, ts, $GA_NEW AS new FROM touches WINDOW w AS (PARTITION BY customer ORDER BY ts)) t) u
		  GROUP BY customer, session) v"
case_row "engaged sessions (GA4): journey_agg + count" \
	"$GA_ENGAGED_FN" \
	"$GA_ENGAGED_IDIOM" \
	"SELECT count(*) FROM touches" \
	"SELECT ($GA_ENGAGED_FN) = ($GA_ENGAGED_IDIOM)"

SESSIONS_FN="SELECT customer, s.session, s.started, s.ended, s.touches, s.channels
	FROM (SELECT customer, journey_agg(ts, channel) AS j FROM touches GROUP BY customer) c,
		 sessions(c.j, '30 minutes') s"
SESSIONS_IDIOM="WITH numbered AS (
	SELECT customer, ts, channel,
		   sum(new) OVER (w ROWS UNBOUNDED PRECEDING) AS session
	FROM (SELECT customer, ts, channel,
				 CASE WHEN ts - lag(ts) OVER w <= interval '30 minutes' THEN 0 ELSE 1 END AS new
		  FROM touches WINDOW w AS (PARTITION BY customer ORDER BY ts, channel)) t
	WINDOW w AS (PARTITION BY customer ORDER BY ts, channel)
), collapsed AS (
	SELECT customer, session, ts, channel,
		   channel IS DISTINCT FROM lag(channel) OVER (PARTITION BY customer, session ORDER BY ts, channel) AS keep
	FROM numbered
)
SELECT customer, session::int, min(ts), max(ts), count(*)::int,
	   array_agg(channel ORDER BY ts, channel) FILTER (WHERE keep)
FROM collapsed GROUP BY customer, session"
# pandas: read the touches (times as epoch microseconds), sort, mark session
# starts and channel changes with vector operations, one groupby for the
# sessions' start, end, touches and channel count (the lists are not built)
peer_sessions() {
	py_available || return 0
	py_peer sessions "SELECT count(*), sum(cardinality(channels)), extract(epoch FROM max(ended - started))
		FROM ($SESSIONS_FN) x" "pandas $PANDAS_VERSION, export included"
}
case_row "session table: journey_agg + sessions()" \
	"SELECT count(*), sum(cardinality(channels)), max(ended - started) FROM ($SESSIONS_FN) x" \
	"SELECT count(*), sum(cardinality(array_agg)), max(max - min) FROM ($SESSIONS_IDIOM) x" \
	"SELECT count(*) FROM touches" \
	"SELECT (SELECT count(*) FROM (($SESSIONS_FN) EXCEPT ($SESSIONS_IDIOM)) a) = 0" \
	0 "$runs" peer_sessions

case_row "journey_agg per customer vs array_agg" \
	"SELECT customer, journey_agg(ts, channel) FROM touches GROUP BY customer" \
	"SELECT customer, array_agg(ts ORDER BY ts, channel), array_agg(channel ORDER BY ts, channel) FROM touches GROUP BY customer" \
	"SELECT count(*) FROM touches" \
	"SELECT true"

ENG_DIM="(CASE WHEN channel IN ('web', 'app') THEN 'involvement' WHEN channel = 'social' THEN 'influence' ELSE 'interaction' END)"
ENG_IDIOM="SELECT customer, sum(1.0::float8 * power(2::float8, -extract(epoch FROM timestamptz '2027-01-01' - ts)::float8 / 2592000)) FILTER (WHERE $ENG_DIM = 'involvement') AS inv,
	sum(1.0::float8 * power(2::float8, -extract(epoch FROM timestamptz '2027-01-01' - ts)::float8 / 2592000)) FILTER (WHERE $ENG_DIM = 'interaction') AS inter,
	sum(1.0::float8 * power(2::float8, -extract(epoch FROM timestamptz '2027-01-01' - ts)::float8 / 2592000)) FILTER (WHERE $ENG_DIM = 'influence') AS infl
	FROM touches GROUP BY customer"
ENG_FN="SELECT customer, engagement_agg(ts, $ENG_DIM::engagement_dimension, 1.0, '30 days') AS e FROM touches GROUP BY customer"
case_row "engagement_agg per customer vs SQL formula" \
	"$ENG_FN" \
	"$ENG_IDIOM" \
	"SELECT count(*) FROM touches" \
	"SELECT count(*) = 0 FROM ($ENG_FN) a JOIN ($ENG_IDIOM) b USING (customer)
	 WHERE abs(involvement(a.e, '2027-01-01') - coalesce(b.inv, 0)) > 1e-9 * greatest(1, abs(b.inv))
		OR abs(interaction(a.e, '2027-01-01') - coalesce(b.inter, 0)) > 1e-9 * greatest(1, abs(b.inter))
		OR abs(influence(a.e, '2027-01-01') - coalesce(b.infl, 0)) > 1e-9 * greatest(1, abs(b.infl))"

PV_IDIOM="sum(score / power(1.1::float8, extract(epoch FROM (timestamptz '2024-01-01' + id * interval '1 minute') - timestamptz '2025-01-01')::float8 / 31557600))"
case_row "present_value per group vs SQL formula" \
	"SELECT g, present_value(score, timestamptz '2024-01-01' + id * interval '1 minute', timestamptz '2025-01-01', 0.1) FROM scores_small GROUP BY g" \
	"SELECT g, $PV_IDIOM FROM scores_small GROUP BY g" \
	"SELECT count(*) FROM scores_small" \
	"SELECT count(*) = 0 FROM (SELECT g, present_value(score, timestamptz '2024-01-01' + id * interval '1 minute', timestamptz '2025-01-01', 0.1) AS a FROM scores_small GROUP BY g) x
	 JOIN (SELECT g, $PV_IDIOM AS b FROM scores_small GROUP BY g) y
	 USING (g) WHERE abs(a - b) > 1e-6 * greatest(1, abs(b))"

# No plain-SQL idiom fits a model: the idiom is one evaluation of the
# log-likelihood in SQL at fixed parameters (lnG differences of whole x as
# sums of logs), of which an optimiser needs dozens
BG_LL_SQL="SELECT sum(A1 + A2 + CASE WHEN x = 0 THEN A3 ELSE ln(exp(A3) + exp(A4)) END) FROM (
	SELECT x, (SELECT coalesce(sum(ln(2 + j) + ln(6 + j) - ln(8 + j)), 0) FROM generate_series(0, x::int - 1) j) + 2 * ln(10) AS A1,
		   0 AS A2, -(2 + x) * ln(10 + T) AS A3, ln(2) - ln(6 + x - 1) - (2 + x) * ln(10 + tx) AS A4
	FROM btyd) s"
# lifetimes (not packaged in Debian): BetaGeoFitter on the exported customers,
# when the module imports
peer_bgnbd() {
	if "$PY" "$PEERS_PY" check_lifetimes 2>/dev/null; then
		py_peer bgnbd "SELECT r, alpha, a, b FROM estimates((SELECT bgnbd_fit(x, tx, T) FROM btyd))" \
			"lifetimes BetaGeoFitter, export included"
	else
		echo "lifetimes: not installed, skipped" >&2
	fi
}
case_row "bgnbd_fit, 1 customer per 10 rows (vs 1 SQL log-lik)" \
	"SELECT bgnbd_fit(x, tx, T) FROM btyd" \
	"$BG_LL_SQL" \
	"SELECT count(*) FROM btyd" \
	"SELECT log_likelihood(bgnbd_fit(x, tx, T)) >= ($BG_LL_SQL) FROM btyd" \
	0 "$runs" peer_bgnbd

# engagement_logit_fit: no plain-SQL idiom fits a logistic regression (the 5 x 5
# Newton system has to be solved between passes); the idiom is one IRLS pass in
# SQL, the gradient and the information matrix at given coefficients as
# aggregates over the rows, of which the fit needs one per iteration (about 6
# here).  The check: at the fitted coefficients the SQL gradient vanishes.
LOGIT_PASS="SELECT sum(r) AS g0, sum(r * x1) AS g1, sum(r * x2) AS g2, sum(r * x3) AS g3, sum(r * x4) AS g4,
	sum(w) AS h00, sum(w * x1) AS h10, sum(w * x1 * x1) AS h11, sum(w * x2) AS h20, sum(w * x2 * x1) AS h21,
	sum(w * x2 * x2) AS h22, sum(w * x3) AS h30, sum(w * x3 * x1) AS h31, sum(w * x3 * x2) AS h32,
	sum(w * x3 * x3) AS h33, sum(w * x4) AS h40, sum(w * x4 * x1) AS h41, sum(w * x4 * x2) AS h42,
	sum(w * x4 * x3) AS h43, sum(w * x4 * x4) AS h44
	FROM (SELECT x1, x2, x3, x4, y::int - p AS r, p * (1 - p) AS w
		  FROM (SELECT x1, x2, x3, x4, y, 1 / (1 + exp(-(b[1] + b[2] * x1 + b[3] * x2 + b[4] * x3 + b[5] * x4))) AS p
				FROM (SELECT y, involvement(e, '2026-07-01') AS x1, interaction(e, '2026-07-01') AS x2,
							 intimacy(e, '2026-07-01') AS x3, influence(e, '2026-07-01') AS x4 FROM logit_rows) d,
					 (SELECT ARRAY[-2, 0.3, 0.2, 0.8, 0.4]::float8[] AS b) c) s) t"
LOGIT_FIT="SELECT engagement_logit_fit(e, '2026-07-01', y) FROM logit_rows"
case_row "engagement_logit_fit (vs 1 IRLS pass in SQL)" \
	"$LOGIT_FIT" "$LOGIT_PASS" "SELECT count(*) FROM logit_rows" \
	"WITH m AS ($LOGIT_FIT), b AS (SELECT array_agg(estimate ORDER BY ord) AS b FROM m, coefficients(m.engagement_logit_fit) WITH ORDINALITY c(term, estimate, std_error, z, ord))
	 SELECT bool_and(abs(g) <= 1e-6 * (SELECT count(*) FROM logit_rows)) FROM (
	 SELECT unnest(ARRAY[sum(r), sum(r * x1), sum(r * x2), sum(r * x3), sum(r * x4)]) AS g
	 FROM (SELECT x1, x2, x3, x4, y::int - 1 / (1 + exp(-(b[1] + b[2] * x1 + b[3] * x2 + b[4] * x3 + b[5] * x4))) AS r
		   FROM (SELECT y, involvement(e, '2026-07-01') AS x1, interaction(e, '2026-07-01') AS x2,
						intimacy(e, '2026-07-01') AS x3, influence(e, '2026-07-01') AS x4 FROM logit_rows) d, b) s) t"

# calibration_holdout per customer (lifetimes' calibration_and_holdout_data)
# over the touches as purchases (hourly periods: the touches span 3 days)
# against lifetimes' definitions in plain SQL (GROUP BY ... FILTER over the
# periods numbered from Monday 2000-01-03 00:00 UTC, as the function counts)
CAL_FN="SELECT customer, (calibration_holdout(ts, amount, timestamptz '2026-01-02 12:00+00',
		timestamptz '2026-01-04 00:00+00', '1 hour')).*
	FROM (SELECT customer, ts, (abs(hashint8(customer * 31 + extract(epoch FROM ts)::bigint)) % 400) / 4.0 AS amount
		  FROM touches) o GROUP BY customer"
CAL_IDIOM="WITH rows AS (
	SELECT customer, floor(extract(epoch FROM ts - timestamptz '2000-01-03 00:00+00') / 3600) AS p,
		   (abs(hashint8(customer * 31 + extract(epoch FROM ts)::bigint)) % 400) / 4.0 AS amount
	FROM touches
), k AS (
	SELECT floor(extract(epoch FROM timestamptz '2026-01-02 12:00+00' - timestamptz '2000-01-03 00:00+00') / 3600) AS cp,
		   floor(extract(epoch FROM timestamptz '2026-01-04 00:00+00' - timestamptz '2000-01-03 00:00+00') / 3600) AS op
), periods AS (
	SELECT r.customer, r.p, sum(r.amount) AS amount, min(r.p) OVER (PARTITION BY r.customer) AS first
	FROM rows r, k WHERE r.p <= k.op GROUP BY r.customer, r.p
), per_customer AS (
	SELECT customer, count(*) FILTER (WHERE p <= cp) - 1 AS frequency_cal,
		   (max(p) FILTER (WHERE p <= cp) - min(p))::float8 AS recency_cal, (min(cp) - min(p))::float8 AS age_cal,
		   coalesce(avg(amount) FILTER (WHERE p <= cp AND p > first), 0)::float8 AS monetary_cal,
		   count(*) FILTER (WHERE p > cp) AS frequency_holdout, (min(op) - min(cp))::float8 AS duration_holdout
	FROM periods, k GROUP BY customer HAVING min(p) <= min(cp)
), holdout AS (
	SELECT r.customer, avg(r.amount)::float8 AS monetary_holdout FROM rows r, k WHERE r.p > k.cp AND r.p <= k.op GROUP BY 1
)
SELECT c.customer, c.frequency_cal, c.recency_cal, c.age_cal, c.monetary_cal, c.frequency_holdout,
	   coalesce(h.monetary_holdout, 0) AS monetary_holdout, c.duration_holdout
FROM per_customer c LEFT JOIN holdout h USING (customer)"
case_row "calibration_holdout per customer (vs SQL)" \
	"$CAL_FN" "$CAL_IDIOM" "SELECT count(*) FROM touches" \
	"SELECT count(*) = 0 FROM ($CAL_FN) a FULL JOIN ($CAL_IDIOM) b USING (customer)
	 WHERE a.frequency_cal IS DISTINCT FROM b.frequency_cal OR a.recency_cal IS DISTINCT FROM b.recency_cal
		OR a.age_cal IS DISTINCT FROM b.age_cal OR abs(a.monetary_cal - b.monetary_cal) > 1e-9
		OR a.frequency_holdout IS DISTINCT FROM b.frequency_holdout
		OR abs(a.monetary_holdout - b.monetary_holdout) > 1e-9 OR a.duration_holdout IS DISTINCT FROM b.duration_holdout
		OR a.customer IS NULL OR b.customer IS NULL"

# The same customers with every time distinct (no two customers share a
# time, so nothing is computed once for many) against the times rounded to
# 2 decimals: the fit without repeats should stay within 3 times the other
case_row "bgnbd_fit, times all distinct (vs rounded to 0.01)" \
	"SELECT bgnbd_fit(x, tx, T) FROM btyd_raw" \
	"SELECT bgnbd_fit(x, tx, T) FROM btyd" \
	"SELECT count(*) FROM btyd_raw" \
	"SELECT (SELECT count(DISTINCT tx) + count(DISTINCT T) FROM btyd_raw) > (SELECT count(*) FROM btyd_raw)
	    AND abs((SELECT (estimates(bgnbd_fit(x, tx, T))).r FROM btyd_raw) /
	            (SELECT (estimates(bgnbd_fit(x, tx, T))).r FROM btyd) - 1) < 0.01"

COMM_FN="SELECT community, m, posts(h), threads(h), members(h), answered_threads(h),
	first_reply_time(h), response_gap(h), interactivity(h)
	FROM (SELECT community, date_trunc('month', posted_at) AS m,
				 community_agg(thread_id, author_id, posted_at, starts, views) AS h
		  FROM posts GROUP BY 1, 2) s"
COMM_IDIOM="WITH p AS (SELECT *, date_trunc('month', posted_at) AS m FROM posts),
	st AS (SELECT thread_id, m, author_id AS starter FROM p WHERE starts),
	th AS (SELECT community, m, thread_id, count(*) AS posts, count(DISTINCT author_id) AS participants,
				  max(posted_at) - min(posted_at) AS span, min(posted_at) FILTER (WHERE starts) AS started,
				  min(posted_at) FILTER (WHERE author_id <> starter) AS answered_at
		   FROM p LEFT JOIN st USING (thread_id, m) GROUP BY 1, 2, 3),
	mem AS (SELECT community, m, count(DISTINCT author_id) AS members FROM p GROUP BY 1, 2)
	SELECT community, m, sum(posts) AS posts, count(started) AS threads, min(members) AS members,
		   count(answered_at) AS answered, avg(answered_at - started) AS first_reply,
		   sum(span) FILTER (WHERE posts > 1) / sum(posts - 1) FILTER (WHERE posts > 1) AS gap,
		   avg(participants) FILTER (WHERE started IS NOT NULL) AS interactivity
	FROM th JOIN mem USING (community, m) GROUP BY 1, 2"
case_row "community_agg per community and month (vs SQL)" \
	"$COMM_FN" "$COMM_IDIOM" "SELECT count(*) FROM posts" \
	"SELECT count(*) = 0 FROM ($COMM_FN) a FULL JOIN ($COMM_IDIOM) b USING (community, m)
	 WHERE a.posts IS DISTINCT FROM b.posts OR a.threads IS DISTINCT FROM b.threads
		OR a.members IS DISTINCT FROM b.members OR a.answered_threads IS DISTINCT FROM b.answered
		OR abs(extract(epoch FROM a.first_reply_time - b.first_reply)) > 1e-3
		OR abs(extract(epoch FROM a.response_gap - b.gap)) > 1e-3
		OR abs(a.interactivity - b.interactivity) > 1e-9"

M1="SELECT markov_agg(ARRAY[c1, c2, c3], conv, 1 - conv) FROM journeys1m"
M1_IDIOM="SELECT a, b, sum(w) FROM (
	SELECT 'start' AS a, c1 AS b, 1 AS w FROM journeys1m
	UNION ALL SELECT c1, c2, 1 FROM journeys1m
	UNION ALL SELECT c2, c3, 1 FROM journeys1m
	UNION ALL SELECT c3, CASE WHEN conv = 1 THEN 'conv' ELSE 'null' END, 1 FROM journeys1m) t GROUP BY 1, 2"
case_row "markov_agg, one row per journey (transition counts in SQL)" \
	"$M1" "$M1_IDIOM" "SELECT count(*) FROM journeys1m" \
	"SELECT abs((SELECT sum(conversions) FROM removal_effects(($M1))) - (SELECT sum(conv) FROM journeys1m)) < 1e-6"

# fractribution's leave-one-out rule (issue 22): the aggregate and
# attribution() against the path summary and the rule in plain SQL (the rate
# of each path without one touch looked up by a join on the shorter array)
FRACT="SELECT a.channel, a.conversions
	FROM (SELECT fractribution_agg(ARRAY[c1, c2, c3], conv::bigint, (1 - conv)::bigint) AS s FROM journeys1m) t,
		 fractribution(t.s, 'shapley') a"
FRACT_IDIOM="WITH ps AS (SELECT ARRAY[c1, c2, c3] AS path, sum(conv) AS conv, sum(1 - conv) AS non
				FROM journeys1m GROUP BY 1),
	 p AS (SELECT path, conv, conv::float8 / (conv + non) AS rate FROM ps),
	 touch AS (SELECT p.path, p.conv, k, p.path[k] AS channel, cardinality(p.path) AS len,
					  CASE WHEN cardinality(p.path) = 1 THEN p.rate
						   ELSE greatest(p.rate - coalesce(q.rate, 0), 0) END AS mc
			   FROM p CROSS JOIN LATERAL generate_subscripts(p.path, 1) k
			   LEFT JOIN p q ON q.path = p.path[1:k - 1] || p.path[k + 1:]
			   WHERE p.conv > 0),
	 norm AS (SELECT *, sum(mc) OVER (PARTITION BY path) AS total FROM touch)
	SELECT channel, sum(conv * CASE WHEN total > 0 THEN mc / total WHEN k = len THEN 1 ELSE 0 END) AS conversions
	FROM norm GROUP BY channel"
case_row "fractribution shapley over path summary (vs SQL)" \
	"$FRACT" "$FRACT_IDIOM" "SELECT count(*) FROM journeys1m" \
	"SELECT count(*) = 0 FROM ($FRACT) a FULL JOIN ($FRACT_IDIOM) b USING (channel)
	 WHERE (abs(a.conversions - b.conversions) <= 1e-9 * greatest(1, abs(b.conversions))) IS NOT TRUE"

MARKOV="SELECT markov_agg(channel_path(j, false), (customer % 5 = 0)::int, (customer % 5 <> 0)::int)
	FROM (SELECT customer, journey_agg(ts, channel) AS j FROM touches GROUP BY customer) c"
case_row "markov_agg over customer paths (vs journeys only)" \
	"$MARKOV" \
	"SELECT count(*) FROM (SELECT customer, journey_agg(ts, channel) AS j FROM touches GROUP BY customer) c" \
	"SELECT count(*) FROM touches" \
	"SELECT abs((SELECT sum(conversions) FROM removal_effects(($MARKOV))) - (SELECT count(DISTINCT customer) FILTER (WHERE customer % 5 = 0) FROM touches)) < 1e-6"

# Higher-order Markov models (issue 22): 100,000 paths of 1 to 8 touches of 6
# channels, whatever --rows says; the model and its removal effects at order
# k against the same at order 1 (fn/idiom is the cost of the order).
if [[ -z "$only" || "markov_agg order" =~ $only ]]; then
	psql -X -q -v ON_ERROR_STOP=1 -c "CREATE TABLE markov_paths AS
	SELECT i, (SELECT array_agg((ARRAY['web', 'app', 'email', 'store', 'call_centre', 'social'])
								[1 + abs(hashint8(i * 16 + k)) % 6] ORDER BY k)
			   FROM generate_series(1, 1 + abs(hashint8(i)) % 8) k) AS path,
		   (abs(hashint8(i * 11)) % 5 = 0)::int AS conv
	FROM generate_series(1, 100000) i" -c "VACUUM ANALYZE markov_paths"
fi
for k in 2 3 4; do
	MK="SELECT count(*) FROM removal_effects((SELECT markov_agg(path, conv, 1 - conv, NULL, $k) FROM markov_paths))"
	MK1="SELECT count(*) FROM removal_effects((SELECT markov_agg(path, conv, 1 - conv, NULL, 1) FROM markov_paths))"
	case_row "markov_agg order $k vs order 1, 100,000 paths, with removal effects" \
		"$MK" "$MK1" "SELECT count(*) FROM markov_paths" \
		"SELECT abs((SELECT sum(conversions) FROM removal_effects((SELECT markov_agg(path, conv, 1 - conv, NULL, $k)
		 FROM markov_paths))) - (SELECT sum(conv) FROM markov_paths)) < 1e-6"
done
# identity stitching: every identifier with the smallest identifier of its
# component, by identity_agg + identities() against the recursive-CTE idiom
# (reachability over both directions of every pair)
ID_FN="SELECT identifier, min(identifier COLLATE \"C\") OVER (PARTITION BY canonical_id) AS label
	FROM (SELECT identity_agg(id_a, id_b, seen_at) AS g FROM idpairs) s, identities(g)"
ID_IDIOM="WITH RECURSIVE e AS (SELECT id_a AS x, id_b AS y FROM idpairs UNION SELECT id_b, id_a FROM idpairs),
	r(id, label) AS (SELECT x, x FROM e UNION SELECT e.y, r.label FROM r JOIN e ON e.x = r.id)
	SELECT id AS identifier, min(label COLLATE \"C\") AS label FROM r GROUP BY id"
case_row "identity_agg + identities() vs recursive CTE" \
	"$ID_FN" "$ID_IDIOM" "SELECT count(*) FROM idpairs" \
	"SELECT count(*) = 0 FROM ($ID_FN) a FULL JOIN ($ID_IDIOM) b USING (identifier)
	 WHERE a.label IS DISTINCT FROM b.label"

# journey_agg with 60,000 distinct event names against the same touches with
# one name (fn/idiom is the ratio; the goal is at most 1.5).  Both build the
# stored value and take its size: the output function is not timed.
NAMES_FN="SELECT pg_column_size(journey_agg(ts, channel, many)) FROM names60k"
NAMES_ONE="SELECT pg_column_size(journey_agg(ts, channel, one)) FROM names60k"
case_row "journey_agg, 60,000 event names (vs 1 name)" \
	"$NAMES_FN" "$NAMES_ONE" "SELECT count(*) FROM names60k" \
	"SELECT touches(a) = 60000 AND touches(b) = 60000 AND cardinality(channel_path(a)) = 1
	   AND (SELECT count(DISTINCT many) = 60000 AND count(DISTINCT one) = 1 FROM names60k)
	   AND pg_column_size(a) > (SELECT sum(octet_length(many) + 1) FROM names60k)
	 FROM (SELECT journey_agg(ts, channel, many) AS a, journey_agg(ts, channel, one) AS b FROM names60k) s" \
	0 $((runs * 3))

# AUC (Mann-Whitney U / (n1 n0), ties 1/2) against the best plain-SQL
# rank-sum: the histogram of the scores by GROUP BY (hash aggregation), each
# distinct score's average rank from a window over the histogram, then
# R1 - n1 (n1 + 1) / 2 (sorting the rows for rank() is far slower); all rows,
# and per group (1000 groups of N/1000 rows)
AUC_IDIOM="WITH h AS (SELECT score, count(*) FILTER (WHERE outcome) AS p, count(*) AS c FROM clf GROUP BY score),
	r AS (SELECT p, c, sum(c) OVER (ORDER BY score) - c AS below FROM h)
	SELECT (sum(p * (below + (c + 1) / 2.0)) - sum(p) * (sum(p) + 1) / 2.0) / (sum(p) * (sum(c) - sum(p))) AS auc FROM r"
case_row "auc(score, outcome), all rows (vs rank-sum)" \
	"SELECT auc(score, outcome) FROM clf" \
	"$AUC_IDIOM" \
	"SELECT count(*) FROM clf" \
	"SELECT abs((SELECT auc(score, outcome) FROM clf) - ($AUC_IDIOM)) < 1e-12"
AUC_G_IDIOM="WITH h AS (SELECT g, score, count(*) FILTER (WHERE outcome) AS p, count(*) AS c FROM clf GROUP BY g, score),
	r AS (SELECT g, p, c, sum(c) OVER (PARTITION BY g ORDER BY score) - c AS below FROM h)
	SELECT g, (sum(p * (below + (c + 1) / 2.0)) - sum(p) * (sum(p) + 1) / 2.0) / (sum(p) * (sum(c) - sum(p))) AS auc FROM r GROUP BY g"
case_row "auc(score, outcome) GROUP BY 1000 groups" \
	"SELECT g, auc(score, outcome) FROM clf GROUP BY g" \
	"$AUC_G_IDIOM" \
	"SELECT count(*) FROM clf" \
	"SELECT count(*) = 0 FROM (SELECT g, auc(score, outcome) AS a FROM clf GROUP BY g) x
	 FULL JOIN ($AUC_G_IDIOM) y USING (g) WHERE (abs(a - y.auc) < 1e-12) IS NOT TRUE"

# Funnel and retention per user over the events, then the number of users
# per level (per retention pattern), so that only the aggregation is timed.
# The floor is the bare per-user count.
EVENTS_FLOOR="SELECT user_id, count(*) FROM events GROUP BY user_id"
CH_FLOOR="SELECT user_id, count() FROM events GROUP BY user_id FORMAT Null"
FUNNEL_FN="SELECT level, count(*) AS users FROM (
	SELECT user_id, window_funnel('1 hour', ts, event = 'view', event = 'cart', event = 'checkout', event = 'purchase') AS level
	FROM events GROUP BY user_id) f GROUP BY level"
# The idiom: the deepest chain from a step-1 event is found by taking, at each
# step, the earliest next-step event at or after the previous one (no later
# choice can reach further within the window).  Scanning each user's events
# backwards in (time, step) order, running minimums give for every event the
# earliest later event of the next step (c4 on step-3 rows), the earliest
# step-4 time reachable through a step-3 event (b4 on step-2 rows), and so on
# up to step 1: three window passes over one sort order.  A user's level is
# the deepest step whose time is within the hour of some step-1 event, 0
# without one.  One row fulfils one step here (the conditions exclude each
# other), so one step number per row is enough.
FUNNEL_IDIOM="SELECT level, count(*) AS users FROM (
	SELECT user_id, max(CASE WHEN step IS DISTINCT FROM 1 THEN 0
							 WHEN a4 <= ts + interval '1 hour' THEN 4
							 WHEN a3 <= ts + interval '1 hour' THEN 3
							 WHEN a2 <= ts + interval '1 hour' THEN 2 ELSE 1 END) AS level
	FROM (SELECT user_id, ts, step, min(ts) FILTER (WHERE step = 2) OVER w AS a2,
				 min(b3) FILTER (WHERE step = 2) OVER w AS a3, min(b4) FILTER (WHERE step = 2) OVER w AS a4
		  FROM (SELECT user_id, ts, step, min(ts) FILTER (WHERE step = 3) OVER w AS b3,
					   min(c4) FILTER (WHERE step = 3) OVER w AS b4
				FROM (SELECT user_id, ts, step, min(ts) FILTER (WHERE step = 4) OVER w AS c4
					  FROM (SELECT user_id, ts, CASE event WHEN 'view' THEN 1 WHEN 'cart' THEN 2
								   WHEN 'checkout' THEN 3 WHEN 'purchase' THEN 4 END AS step
							FROM events) e
					  WINDOW w AS (PARTITION BY user_id ORDER BY ts DESC, step DESC ROWS UNBOUNDED PRECEDING)) c
				WINDOW w AS (PARTITION BY user_id ORDER BY ts DESC, step DESC ROWS UNBOUNDED PRECEDING)) b
		  WINDOW w AS (PARTITION BY user_id ORDER BY ts DESC, step DESC ROWS UNBOUNDED PRECEDING)) a
	GROUP BY user_id) f GROUP BY level"
CH_FUNNEL="SELECT level, count() AS users FROM (
	SELECT user_id, windowFunnel(3600)(ts, event = 'view', event = 'cart', event = 'checkout', event = 'purchase') AS level
	FROM events GROUP BY user_id) GROUP BY level ORDER BY level"
peer_funnel() { ch_peer "$CH_FUNNEL" "$CH_FLOOR" "$FUNNEL_FN ORDER BY level" 1; }
# the idiom takes several times as long: fewer rounds, at most 3
case_row "window_funnel per user, level histogram" \
	"$FUNNEL_FN" "$FUNNEL_IDIOM" "$EVENTS_FLOOR" \
	"SELECT count(*) = 0 FROM ($FUNNEL_FN) a FULL JOIN ($FUNNEL_IDIOM) b USING (level)
	 WHERE a.users IS DISTINCT FROM b.users" \
	0 "$((runs < 3 ? runs : 3))" peer_funnel
if [[ "$ch_ready" = yes && ( -z "$only" || "window_funnel per user, level histogram" =~ $only ) ]]; then
	peer_funnel_threads() { ch_peer "$CH_FUNNEL" "$CH_FLOOR" "$FUNNEL_FN ORDER BY level" 0; }
	peer_funnel_threads
	printf '%-44s %10s %10s %10s %9s %9s  %-6s %9.1f  %s\n' "  the same in ClickHouse, all threads" "" "" "" "" "" "" \
		"$PEER_MS" "$PEER"
fi

# The same funnel over event names: the extension compares each row's event
# with the steps' names, no condition per step for the executor
FUNNEL_NAMES_FN="SELECT level, count(*) AS users FROM (
	SELECT user_id, window_funnel('1 hour', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase']) AS level
	FROM events GROUP BY user_id) f GROUP BY level"
case_row "window_funnel over event names (vs conditions)" \
	"$FUNNEL_NAMES_FN" "$FUNNEL_FN" "$EVENTS_FLOOR" \
	"SELECT count(*) = 0 FROM ($FUNNEL_NAMES_FN) a FULL JOIN ($FUNNEL_FN) b USING (level)
	 WHERE a.users IS DISTINCT FROM b.users" \
	0 "$runs" peer_funnel

# How much of a function's time beyond the per-user count is PostgreSQL
# evaluating the conditions: the per-user count with the same conditions
# evaluated (and ignored), timed in the same rounds as the function and the
# bare count.  cond_row NAME FN CONDFLOOR
cond_row() {
	local name="$1" fn="$2" cond="$3"
	[[ -z "$only" || "$name" =~ $only ]] || return 0
	best_interleaved "$runs" 0 "$fn" "$EVENTS_FLOOR" "$cond"
	printf '%-44s %10.1f %10s %10.1f  conditions %.1f ms: beyond them %.1f ms, beyond the count %.1f ms\n' \
		"  (the count with its conditions)" "${BEST[0]}" "" "${BEST[1]}" "${BEST[2]}" \
		"$(awk "BEGIN { print ${BEST[0]} - ${BEST[2]} }")" "$(awk "BEGIN { print ${BEST[0]} - ${BEST[1]} }")"
}
cond_row "window_funnel per user, level histogram" "$FUNNEL_FN" \
	"SELECT user_id, count(*) FILTER (WHERE (event = 'view') IS NOT NULL AND (event = 'cart') IS NOT NULL
		AND (event = 'checkout') IS NOT NULL AND (event = 'purchase') IS NOT NULL AND ts IS NOT NULL)
	 FROM events GROUP BY user_id"

# sequence_match('(?1)(?2)'): a view immediately followed by a cart among the
# user's view and cart rows (rows of neither are not events), per user, then
# the number of users who match; the idiom takes lag() over those rows (a
# user's times never repeat in this table, so the order is the same)
SEQ_FN="SELECT m, count(*) AS users FROM (
	SELECT user_id, sequence_match('(?1)(?2)', ts, event = 'view', event = 'cart') AS m
	FROM events GROUP BY user_id) s GROUP BY m"
SEQ_IDIOM="SELECT m, count(*) AS users FROM (
	SELECT u.user_id, CASE WHEN e.user_id IS NULL THEN false ELSE e.m END AS m
	FROM (SELECT DISTINCT user_id FROM events) u
	LEFT JOIN (SELECT user_id, coalesce(bool_or(prev = 'view' AND event = 'cart'), false) AS m
			   FROM (SELECT user_id, event, lag(event) OVER (PARTITION BY user_id ORDER BY ts) AS prev
					 FROM events WHERE event IN ('view', 'cart')) x
			   GROUP BY user_id) e USING (user_id)) s GROUP BY m"
case_row "sequence_match (?1)(?2) per user (vs lag)" \
	"$SEQ_FN" "$SEQ_IDIOM" "$EVENTS_FLOOR" \
	"SELECT count(*) = 0 FROM ($SEQ_FN) a FULL JOIN ($SEQ_IDIOM) b USING (m)
	 WHERE a.users IS DISTINCT FROM b.users"

# retention's result as text "1,1,0" on both sides, for the comparison
RET_FN="SELECT r, count(*) AS users FROM (
	SELECT user_id, retention(event = 'view', event = 'cart', event = 'purchase') AS r
	FROM events GROUP BY user_id) t GROUP BY r"
RET_IDIOM="SELECT r, count(*) AS users FROM (
	SELECT user_id, ARRAY[bool_or(event = 'view'), bool_or(event = 'view') AND bool_or(event = 'cart'),
						  bool_or(event = 'view') AND bool_or(event = 'purchase')] AS r
	FROM events GROUP BY user_id) t GROUP BY r"
RET_PG_TEXT="SELECT array_to_string(r::int[], ','), users FROM ($RET_FN) x ORDER BY 1"
CH_RET="SELECT arrayStringConcat(arrayMap(x -> toString(x), r), ',') AS pattern, count() AS users FROM (
	SELECT user_id, retention(event = 'view', event = 'cart', event = 'purchase') AS r
	FROM events GROUP BY user_id) GROUP BY pattern ORDER BY pattern"
RET_CHECK="SELECT count(*) = 0 FROM ($RET_FN) a FULL JOIN ($RET_IDIOM) b USING (r)
	WHERE a.users IS DISTINCT FROM b.users"
peer_retention() { ch_peer "$CH_RET" "$CH_FLOOR" "$RET_PG_TEXT" 1; }
peer_retention_threads() { ch_peer "$CH_RET" "$CH_FLOOR" "$RET_PG_TEXT" 0; }
case_row "retention, 3 conditions, per user" \
	"$RET_FN" "$RET_IDIOM" "$EVENTS_FLOOR" "$RET_CHECK" 0 "$runs" peer_retention
cond_row "retention, 3 conditions, per user" "$RET_FN" \
	"SELECT user_id, count(*) FILTER (WHERE (event = 'view') IS NOT NULL AND (event = 'cart') IS NOT NULL
		AND (event = 'purchase') IS NOT NULL)
	 FROM events GROUP BY user_id"
case_row "retention, 3 conditions, per user, 2 workers" \
	"$RET_FN" "$RET_IDIOM" "$EVENTS_FLOOR" "$RET_CHECK" 1 "$runs" peer_retention_threads

[ -n "$only" ] && { [ "$failed" -eq 0 ] || exit 1; exit 0; }
echo
echo "journey storage: $(q "SELECT round(sum(pg_column_size(j))::numeric / sum(touches(j)), 2) FROM (SELECT customer, journey_agg(ts, channel) AS j FROM touches GROUP BY customer) c") bytes per touch"
echo "removal effects on that model: $(best_ms "SELECT * FROM removal_effects(($MARKOV))") ms (model built from scratch included)"
echo "removal effects of the 1M-journey model: $(best_ms "SELECT * FROM removal_effects(($M1))") ms (model built from scratch included)"
[ "$failed" -eq 0 ] || { echo "some results differed between function and idiom" >&2; exit 1; }
