#!/usr/bin/env bash
# test/demo_run.sh: the steps of test/demo.sh, as the cluster's owner ("postgres"
# when demo.sh runs as root), with arguments demo.sh has checked:
#
#   bash test/demo_run.sh CUSTOMERS SEED KEEP CITUS
#
# Builds the extension, starts a private cluster (Unix socket only, in its own
# directory under $TMPDIR or /tmp, loading a copy of the staged build), loads
# the data set, prints the dashboard and writes it with the HTML report
# (test/report.py over test/bi_views.sql) into a new directory under $TMPDIR
# or /tmp, then stops the cluster and removes its
# directory; with KEEP=1 it leaves the cluster running and prints how to
# connect to it and how to stop and remove it.  A failure or an interruption
# (INT, TERM) at any step stops the cluster and removes the directory too,
# after naming the step and keeping a copy of the server log.  With CITUS=1
# it starts three clusters in that directory (a coordinator and two workers,
# one Unix socket directory, ports 5432 to 5434), distributes the crm tables
# and runs the same dashboard on the coordinator.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

customers="$1"
seed="$2"
keep="$3"
citus="${4:-0}"
bindir="/usr/lib/postgresql/$ENG_PG_MAJOR/bin"
# the socket is in the cluster's private directory: the port cannot collide
port=5432
demo_dir=
out_dir=
step=
# the clusters: data directory and server log under $demo_dir, and port
nodes=(data)
[ "$citus" != 1 ] || nodes=(data worker1 worker2)
node_log() { [ "$1" = data ] && echo server.log || echo "$1.log"; }
node_port() {
	case "$1" in
		worker1) echo $((port + 1)) ;;
		worker2) echo $((port + 2)) ;;
		*) echo "$port" ;;
	esac
}

demo_cleanup() {
	local rc=$? logs=() n l f
	trap '' INT TERM
	set +e
	if [ -n "$demo_dir" ]; then
		for n in "${nodes[@]}"; do
			# the data are thrown away: no shutdown checkpoint to wait for
			[ ! -f "$demo_dir/$n/postmaster.pid" ] ||
				"$bindir/pg_ctl" -D "$demo_dir/$n" -m immediate -w -s stop >/dev/null 2>&1
		done
		for n in "${nodes[@]}"; do
			l="$(node_log "$n")"
			if [ "$rc" -ne 0 ] && [ -s "$demo_dir/$l" ]; then
				f="$(mktemp --suffix=.log "${TMPDIR:-/tmp}/engagement-demo-${l%.log}.XXXXXX")" &&
					cp "$demo_dir/$l" "$f" && logs+=("$f")
			fi
		done
		rm -rf "$demo_dir"
	fi
	if [ "$rc" -ne 0 ]; then
		# no half-written report
		[ -z "$out_dir" ] || rm -rf "$out_dir"
		case "$rc" in
			130 | 143) eng_log "demo interrupted at step: $step" ;;
			*) eng_log "demo failed at step: $step (exit status $rc)" ;;
		esac
		for f in "${logs[@]}"; do
			eng_log "server log kept in $f; its last lines:"
			tail -n 15 "$f" | sed 's/^/    /' >&2
		done
		[ -z "$demo_dir" ] || eng_log "${#nodes[@]} cluster(s) stopped, $demo_dir removed"
	elif [ -n "$demo_dir" ]; then
		eng_log "${#nodes[@]} cluster(s) stopped and removed (--keep leaves them running)"
	fi
	exit "$rc"
}
trap demo_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step="build"
eng_build

step="start of the cluster"
demo_dir="$(mktemp -d "${TMPDIR:-/tmp}/engagement-demo.XXXXXX")"
eng_log "starting ${#nodes[@]} throw-away cluster(s) in $demo_dir"
# a copy of the staged build: a kept cluster does not depend on the checkout
cp -a "$ENG_STAGE" "$demo_dir/stage"
# single quotes doubled: a path is a valid setting value
conf_quote() { printf "'%s'" "${1//\'/\'\'}"; }
for n in "${nodes[@]}"; do
	step="start of the cluster $n"
	if ! "$bindir/initdb" -D "$demo_dir/$n" --auth=trust --no-sync >"$demo_dir/initdb.log" 2>&1; then
		cat "$demo_dir/initdb.log" >&2
		exit 1
	fi
	cat >>"$demo_dir/$n/postgresql.conf" <<EOF

# test/demo.sh: Unix socket only, in this cluster's private directory
listen_addresses = ''
port = $(node_port "$n")
unix_socket_directories = $(conf_quote "$demo_dir")
extension_destdir = $(conf_quote "$demo_dir/stage")
fsync = off
max_worker_processes = 16
max_parallel_workers = 8
EOF
	[ "$citus" != 1 ] || cat >>"$demo_dir/$n/postgresql.conf" <<EOF
shared_preload_libraries = 'citus'
citus.shard_count = 4
EOF
	"$bindir/pg_ctl" -D "$demo_dir/$n" -l "$demo_dir/$(node_log "$n")" -w -s start
done

PGUSER="$(id -un)"
export PGHOST="$demo_dir" PGPORT="$port" PGDATABASE=postgres PGUSER
unset PGHOSTADDR PGSERVICE

if [ "$citus" = 1 ]; then
	# the nodes reach each other through the Unix socket directory
	step="CREATE EXTENSION citus"
	for n in "${nodes[@]}"; do
		psql -X -q -v ON_ERROR_STOP=1 -p "$(node_port "$n")" -c "CREATE EXTENSION citus"
	done
	step="citus_add_node"
	psql -X -q -v ON_ERROR_STOP=1 -v dir="$demo_dir" -v p1="$(node_port worker1)" \
		-v p2="$(node_port worker2)" -v p0="$port" >/dev/null <<'EOF'
SELECT citus_set_coordinator_host(:'dir', :p0);
SELECT citus_add_node(:'dir', :p1);
SELECT citus_add_node(:'dir', :p2);
EOF
	echo "==> Citus: a coordinator (port $port) and two workers (ports $(node_port worker1) and $(node_port worker2))"
fi

step="CREATE EXTENSION engagement"
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION engagement"

step="generation of the data set"
echo "==> generating the CRM data set: $customers customers, seed $seed"
start=$(date +%s)
# with Citus, on the coordinator only (no warnings about its temporary
# helper functions); distributing the tables creates schema crm on the workers
PGOPTIONS="${PGOPTIONS:-}$([ "$citus" != 1 ] || echo ' -c citus.enable_ddl_propagation=off')" \
	psql -X -q -v ON_ERROR_STOP=1 -v customers="$customers" -v seed="$seed" -f "$ENG_ROOT/test/gen_data.sql"
echo "==> generated in $(($(date +%s) - start)) s"

if [ "$citus" = 1 ]; then
	# as test/t/012_citus.pl: the facts by customer, co-located with the
	# customers, community posts by thread; but referrals by referee (the
	# referred customer), as the dashboard joins them to that customer's orders
	# (by referrer, that outer join is not co-located and Citus 13 refuses it)
	step="distribution of the crm tables"
	start=$(date +%s)
	psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'EOF'
SET client_min_messages = warning;
SELECT create_distributed_table('crm.customers', 'customer_id');
SELECT create_distributed_table('crm.touches', 'customer_id', colocate_with => 'crm.customers');
SELECT create_distributed_table('crm.orders', 'customer_id', colocate_with => 'crm.customers');
SELECT create_distributed_table('crm.surveys', 'customer_id', colocate_with => 'crm.customers');
SELECT create_distributed_table('crm.referrals', 'referee_id', colocate_with => 'crm.customers');
SELECT create_distributed_table('crm.community_posts', 'thread_id', colocate_with => 'crm.customers');
-- the rows are in the shards now: drop the coordinator's local copies
SELECT truncate_local_data_after_distributing_table(logicalrelid)
FROM pg_dist_partition WHERE logicalrelid::text LIKE 'crm.%';
ANALYZE;
EOF
	echo "==> distributed in $(($(date +%s) - start)) s:"
	psql -X -q -v ON_ERROR_STOP=1 -c "
SELECT table_name AS \"table\", distribution_column AS \"distributed by\", shard_count AS shards,
	   colocation_id AS \"co-location group\", table_size AS size
FROM citus_tables WHERE table_name::text LIKE 'crm.%' ORDER BY 1" -P footer=off
	psql -X -q -v ON_ERROR_STOP=1 -c "
SELECT nodename || ':' || nodeport AS worker, count(*) AS shards,
	   pg_size_pretty(sum(shard_size)) AS size
FROM citus_shards WHERE table_name::text LIKE 'crm.%' GROUP BY 1 ORDER BY 1" -P footer=off
fi

# the dashboard, printed and kept with the HTML report in a directory of
# their own that outlives the cluster (and, as root, the copy of the checkout)
step="dashboard"
out_dir="$(mktemp -d "${TMPDIR:-/tmp}/engagement-report.XXXXXX")"
chmod 755 "$out_dir"
psql -X -v ON_ERROR_STOP=1 -f "$ENG_ROOT/test/dashboard.sql" | tee "$out_dir/dashboard.txt"

step="HTML report"
psql -X -q -v ON_ERROR_STOP=1 -f "$ENG_ROOT/test/bi_views.sql"
start=$(date +%s)
"$ENG_REPORT_PYTHON" "$ENG_ROOT/test/report.py" "$out_dir/report.html"
chmod 644 "$out_dir/dashboard.txt" "$out_dir/report.html"
echo "==> report built in $(($(date +%s) - start)) s"
echo "==> dashboard: $out_dir/dashboard.txt"
echo "==> report:    $out_dir/report.html"

step=
[ "$keep" = 1 ] || exit 0

# --keep: the trap leaves the clusters alone; say how to use them and end them
kept="$demo_dir"
demo_dir=
stop=()
for n in "${nodes[@]}"; do
	cmd=("$bindir/pg_ctl" -D "$kept/$n" stop)
	[ -z "${ENG_DEMO_INVOKED_AS_ROOT:-}" ] || cmd=(runuser -u "$PGUSER" -- "${cmd[@]}")
	stop+=("$(printf '%q ' "${cmd[@]}")&& ")
done
what="the cluster is running"
[ "$citus" != 1 ] || what="the Citus coordinator (port $port) and its two workers (ports $(node_port worker1) and $(node_port worker2)) are running"
cat <<EOF

==> $what (--keep); the data set is in schema crm of database $PGDATABASE
connect:          psql -h $(printf %q "$kept") -p $port -U $PGUSER $PGDATABASE
  (or: export PGHOST=$(printf %q "$kept") PGPORT=$port PGUSER=$PGUSER PGDATABASE=$PGDATABASE)
stop and remove:  $(printf '%s' "${stop[@]}")rm -rf $(printf %q "$kept")
EOF
