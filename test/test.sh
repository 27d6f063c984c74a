#!/usr/bin/env bash
# test/test.sh: run every test of the engagement extension.
#
#   bash test/test.sh
#
# Installs what is missing (Debian bookworm, PostgreSQL 15), builds with
# warnings as errors, then runs the pg_regress suite and the TAP tests
# against throw-away clusters.  Works as root (CI) and as a normal user.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# the BI client test (test/t/005_bi_clients.pl) talks through PgJDBC and psqlODBC,
# the Python one (test/t/010_python.pl) through psycopg2, psycopg 3 and pandas
eng_install_deps "${ENG_BASE_PACKAGES[@]}" libpostgresql-jdbc-java odbc-postgresql \
	unixodbc libdbd-odbc-perl python3-psycopg2 python3-psycopg python3-pandas
command -v javac >/dev/null 2>&1 || eng_install_deps default-jdk-headless
# the report test (test/t/016_report.pl) builds the demo's HTML report with
# matplotlib and opens it in headless Chromium; without Chromium (it could not
# be installed) that test says so and skips
eng_install_deps "${ENG_REPORT_PACKAGES[@]}"
eng_install_deps chromium || eng_log "Chromium could not be installed: test/t/016_report.pl will skip"
# the Citus test (test/t/012_citus.pl) uses Citus when it is installed
eng_install_citus
eng_export_release
eng_drop_root test.sh "$@"

eng_build
eng_build_release
cd "$ENG_ROOT"

# unit tests of src/numerics.c, without a server (only failures and the count)
make -s numerics-check | grep -v '^ok '

# installcheck runs the pg_regress suite against a throw-away cluster; tapcheck
# runs the TAP tests, which start their own clusters: they load the staged build
# through EXT_DESTDIR.
eng_log "pg_regress suite in time zone UTC"
export EXT_DESTDIR="$ENG_STAGE"
# the released 1.0 build, for the upgrade test (empty: it skips that part)
export ENG_STAGE_1_0="$ENG_STAGE_1_0_BUILT"
if ! eng_virtualenv make -s with_llvm=no installcheck; then
	[ -f regression.diffs ] && head -n 300 regression.diffs
	exit 1
fi

eng_log "TAP tests"
if ! make -s with_llvm=no tapcheck PROVE_FLAGS="--timer"; then
	for f in tmp_check/log/regress_log_*; do
		[ -f "$f" ] && { echo "--- $f"; tail -n 40 "$f"; }
	done
	exit 1
fi

# The pg_regress suite again in a session time zone with daylight-saving
# changes: every file must show the same instants as in UTC (inputs carry
# explicit offsets; intervals added across a DST change would differ).
eng_log "pg_regress suite in time zone America/New_York"
rm -rf results regression.diffs regression.out
eng_virtualenv make -s with_llvm=no installcheck REGRESS_TZ=America/New_York \
	>regression.tz.log 2>&1 || true
tz_fail=0
for f in expected/*.out; do
	# an alternative output (name_1.out: a build without ICU) is compared
	# with its test's result below, with the main one
	case "$(basename "$f")" in *_[0-9].out) continue ;; esac
	r="results/$(basename "$f")"
	[ -f "$r" ] || { echo "no result for $f in time zone America/New_York"; tz_fail=1; continue; }
	same=0
	for g in "$f" "${f%.out}"_[0-9].out; do
		[ -f "$g" ] || continue
		if diff -q <(perl test/same_instants.pl "$g") <(perl test/same_instants.pl "$r") >/dev/null; then
			same=1
			break
		fi
	done
	[ "$same" -eq 1 ] || { diff -U2 <(perl test/same_instants.pl "$f") <(perl test/same_instants.pl "$r"); tz_fail=1; }
done
if [ "$tz_fail" -ne 0 ]; then
	tail -n 20 regression.tz.log
	exit 1
fi

eng_log "all tests passed"
