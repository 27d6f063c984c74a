#!/usr/bin/env bash
# test/demo_run.sh: the steps of test/demo.sh, as the cluster's owner ("postgres"
# when demo.sh runs as root), with arguments demo.sh has checked:
#
#   bash test/demo_run.sh CUSTOMERS SEED KEEP
#
# Builds the extension, starts a private cluster (Unix socket only, in its own
# directory under $TMPDIR or /tmp, loading a copy of the staged build), loads
# the data set, prints the dashboard, then stops the cluster and removes its
# directory; with KEEP=1 it leaves the cluster running and prints how to
# connect to it and how to stop and remove it.  A failure or an interruption
# (INT, TERM) at any step stops the cluster and removes the directory too,
# after naming the step and keeping a copy of the server log.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

customers="$1"
seed="$2"
keep="$3"
bindir="/usr/lib/postgresql/$ENG_PG_MAJOR/bin"
# the socket is in the cluster's private directory: the port cannot collide
port=5432
demo_dir=
step=

demo_cleanup() {
	local rc=$? log=
	trap '' INT TERM
	set +e
	if [ -n "$demo_dir" ]; then
		# the data are thrown away: no shutdown checkpoint to wait for
		[ ! -f "$demo_dir/data/postmaster.pid" ] ||
			"$bindir/pg_ctl" -D "$demo_dir/data" -m immediate -w -s stop >/dev/null 2>&1
		if [ "$rc" -ne 0 ] && [ -s "$demo_dir/server.log" ]; then
			log="$(mktemp --suffix=.log "${TMPDIR:-/tmp}/engagement-demo-server.XXXXXX")" &&
				cp "$demo_dir/server.log" "$log" || log=
		fi
		rm -rf "$demo_dir"
	fi
	if [ "$rc" -ne 0 ]; then
		case "$rc" in
			130 | 143) eng_log "demo interrupted at step: $step" ;;
			*) eng_log "demo failed at step: $step (exit status $rc)" ;;
		esac
		if [ -n "$log" ]; then
			eng_log "server log kept in $log; its last lines:"
			tail -n 15 "$log" | sed 's/^/    /' >&2
		fi
		[ -z "$demo_dir" ] || eng_log "cluster stopped, $demo_dir removed"
	elif [ -n "$demo_dir" ]; then
		eng_log "cluster stopped and removed (--keep leaves it running)"
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
eng_log "starting a throw-away cluster in $demo_dir"
# a copy of the staged build: a kept cluster does not depend on the checkout
cp -a "$ENG_STAGE" "$demo_dir/stage"
if ! "$bindir/initdb" -D "$demo_dir/data" --auth=trust --no-sync >"$demo_dir/initdb.log" 2>&1; then
	cat "$demo_dir/initdb.log" >&2
	exit 1
fi
# single quotes doubled: a path is a valid setting value
conf_quote() { printf "'%s'" "${1//\'/\'\'}"; }
cat >>"$demo_dir/data/postgresql.conf" <<EOF

# test/demo.sh: Unix socket only, in this cluster's private directory
listen_addresses = ''
port = $port
unix_socket_directories = $(conf_quote "$demo_dir")
extension_destdir = $(conf_quote "$demo_dir/stage")
fsync = off
max_worker_processes = 16
max_parallel_workers = 8
EOF
"$bindir/pg_ctl" -D "$demo_dir/data" -l "$demo_dir/server.log" -w -s start

PGUSER="$(id -un)"
export PGHOST="$demo_dir" PGPORT="$port" PGDATABASE=postgres PGUSER
unset PGHOSTADDR PGSERVICE

step="CREATE EXTENSION engagement"
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION engagement"

step="generation of the data set"
echo "==> generating the CRM data set: $customers customers, seed $seed"
start=$(date +%s)
psql -X -q -v ON_ERROR_STOP=1 -v customers="$customers" -v seed="$seed" -f "$ENG_ROOT/test/gen_data.sql"
echo "==> generated in $(($(date +%s) - start)) s"

step="dashboard"
psql -X -v ON_ERROR_STOP=1 -f "$ENG_ROOT/test/dashboard.sql"

step=
[ "$keep" = 1 ] || exit 0

# --keep: the trap leaves the cluster alone; say how to use it and end it
kept="$demo_dir"
demo_dir=
stop=("$bindir/pg_ctl" -D "$kept/data" stop)
[ -z "${ENG_DEMO_INVOKED_AS_ROOT:-}" ] || stop=(runuser -u "$PGUSER" -- "${stop[@]}")
cat <<EOF

==> the cluster is running (--keep); the data set is in schema crm of database $PGDATABASE
connect:          psql -h $(printf %q "$kept") -p $port -U $PGUSER $PGDATABASE
  (or: export PGHOST=$(printf %q "$kept") PGPORT=$port PGUSER=$PGUSER PGDATABASE=$PGDATABASE)
stop and remove:  $(printf '%q ' "${stop[@]}")&& rm -rf $(printf %q "$kept")
EOF
