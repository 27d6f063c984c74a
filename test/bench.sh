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
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

eng_install_deps "${ENG_BASE_PACKAGES[@]}"
eng_drop_root bench.sh "$@"

eng_build
eng_virtualenv -o "shared_buffers=2GB" -o "max_wal_size=4GB" \
	bash "$ENG_ROOT/test/bench_run.sh" "$@"
