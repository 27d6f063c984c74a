#!/usr/bin/env bash
# test/bench.sh: the benchmark command.
#
#   bash test/bench.sh [--rows N] [--runs K] [--only REGEX]
#
# Loads N rows (default 10,000,000) into a throw-away cluster and prints, per
# function, the best of K runs (default 5) as ratios against the best
# plain-SQL idiom for the same result and against a bare count(*) over the
# same rows, checking that function and idiom agree.  --only runs the
# cases whose name matches REGEX.
#
# Peers, timed in the same run on the same data where they apply: ClickHouse
# (a private server the benchmark starts and stops) and pandas.  As root their
# Debian packages are installed when missing; a peer that cannot be installed
# or is missing is skipped with a one-line message, never failing the run.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

eng_install_deps "${ENG_BASE_PACKAGES[@]}"
if [ "$(id -u)" -eq 0 ]; then
	eng_install_deps clickhouse-server clickhouse-client ||
		eng_log "ClickHouse: installing clickhouse-server and clickhouse-client failed; it will be skipped"
	eng_install_deps python3-pandas python3-psycopg2 ||
		eng_log "pandas: installing python3-pandas and python3-psycopg2 failed; it will be skipped"
fi
eng_drop_root bench.sh "$@"

eng_build
eng_virtualenv -o "shared_buffers=2GB" -o "max_wal_size=4GB" \
	bash "$ENG_ROOT/test/bench_run.sh" "$@"
