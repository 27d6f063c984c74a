#!/usr/bin/env bash
# test/demo_run.sh: inside a throw-away cluster (PGHOST etc. set by
# pg_virtualenv), load the data and print the dashboard.  Run by test/demo.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
customers=50000
seed=42
while [ $# -gt 0 ]; do
	case "$1" in
		--customers) customers="$2"; shift 2 ;;
		--seed) seed="$2"; shift 2 ;;
		*) echo "usage: test/demo.sh [--customers N] [--seed S]" >&2; exit 2 ;;
	esac
done
case "$customers$seed" in
	*[!0-9]*) echo "--customers and --seed take whole numbers" >&2; exit 2 ;;
esac

psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION engagement"
echo "==> generating the CRM data set: $customers customers, seed $seed"
start=$(date +%s)
psql -X -q -v ON_ERROR_STOP=1 -v customers="$customers" -v seed="$seed" -f "$here/gen_data.sql"
echo "==> generated in $(( $(date +%s) - start )) s"
psql -X -v ON_ERROR_STOP=1 -f "$here/dashboard.sql"
