#!/usr/bin/env bash
# test/demo.sh: the engagement demo.
#
#   bash test/demo.sh [--customers N] [--seed S] [--keep] [--citus] [--help]
#
# Installs what is missing (Debian bookworm, PostgreSQL 15), builds the
# extension, starts a throw-away cluster, generates a realistic CRM data set
# (default 50,000 customers, about 1 million touches) and prints the
# engagement dashboard, and writes it with an HTML report of charts
# (test/report.py) into a directory of its own under $TMPDIR or /tmp, whose
# path it prints.  Works as root and as a normal user.  The arguments
# are checked first, so --help and a bad argument are answered at once; the
# steps after the installation are test/demo_run.sh's.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

demo_usage() {
	cat <<'EOF'
usage: bash test/demo.sh [--customers N] [--seed S] [--keep] [--citus] [--help]

Installs what is missing, builds the extension, starts a throw-away cluster,
generates a CRM data set (schema crm) and prints the engagement dashboard;
writes the dashboard and an HTML report of charts (one self-contained file)
into a new directory under $TMPDIR (or /tmp) and prints their paths.

  --customers N  size of the data set: N customers, 1 to 10000000
                 (default 50000, about 1 million touches)
  --seed S       seed of the generated data, 0 to 999999999 (default 42)
  --keep         leave the cluster running after the dashboard and print
                 how to connect to it and how to stop and remove it
  --citus        run the demo on Citus: a coordinator and two workers, the
                 crm tables distributed by customer (community posts by
                 thread); needs Citus installed, or root and the build in
                 ../shared/citus to install it
  -h, --help     print this help and exit

Without --keep, and after a failure at any step, the cluster (with --citus,
all three) is stopped and its directory removed.
EOF
}

demo_bad_argument() {
	{
		echo "test/demo.sh: $*"
		demo_usage
	} >&2
	exit 2
}

# demo_number OPTION VALUE MAX: VALUE if it is a whole number from 0 to MAX
demo_number() {
	case "$2" in
		'' | *[!0-9]*) demo_bad_argument "$1 takes a whole number, not '$2'" ;;
	esac
	# at most 9 digits after the leading zeros: no overflow, base 10
	local digits="${2#"${2%%[!0]*}"}"
	if [ ${#digits} -gt 9 ] || [ "$((10#${digits:-0}))" -gt "$3" ]; then
		demo_bad_argument "$1 is at most $3, not $2"
	fi
	echo "$((10#${digits:-0}))"
}

demo_args=("$@")
demo_customers=50000
demo_seed=42
demo_keep=0
demo_citus=0
while [ $# -gt 0 ]; do
	case "$1" in
		-h | --help)
			demo_usage
			exit 0
			;;
		--customers=* | --seed=*)
			set -- "${1%%=*}" "${1#*=}" "${@:2}"
			continue
			;;
		--customers | --seed)
			[ $# -ge 2 ] || demo_bad_argument "$1 needs a value"
			if [ "$1" = --customers ]; then
				demo_customers="$(demo_number "$1" "$2" 10000000)" || exit 2
				[ "$demo_customers" -ge 1 ] || demo_bad_argument "--customers is at least 1, not $2"
			else
				demo_seed="$(demo_number "$1" "$2" 999999999)" || exit 2
			fi
			shift 2
			;;
		--keep)
			demo_keep=1
			shift
			;;
		--citus)
			demo_citus=1
			shift
			;;
		*) demo_bad_argument "unknown argument '$1'" ;;
	esac
done

# --citus: fail now, before installing or building anything, when Citus is
# neither installed nor installable (eng_install_citus needs root and the
# build in ../shared/citus).
demo_citus_so="/usr/lib/postgresql/$ENG_PG_MAJOR/lib/citus.so"
if [ "$demo_citus" = 1 ] && [ ! -f "$demo_citus_so" ]; then
	demo_citus_tarballs=("$ENG_ROOT"/../shared/citus/citus-*-pg"$ENG_PG_MAJOR"-*.tar.gz)
	if [ "$(id -u)" -ne 0 ] || [ ! -f "${demo_citus_tarballs[-1]}" ]; then
		echo "test/demo.sh: --citus: Citus is not installed ($demo_citus_so is missing) and cannot be installed here: that needs root and a Citus build for PostgreSQL $ENG_PG_MAJOR in $(cd "$ENG_ROOT/.." && pwd)/shared/citus" >&2
		exit 1
	fi
fi

eng_install_deps "${ENG_BASE_PACKAGES[@]}" "${ENG_REPORT_PACKAGES[@]}"
if [ "$demo_citus" = 1 ]; then
	eng_install_citus
	[ -f "$demo_citus_so" ] || {
		echo "test/demo.sh: --citus: installing Citus failed ($demo_citus_so is missing)" >&2
		exit 1
	}
fi
# As root, the steps run as "postgres" on a copy of the checkout, removed
# whatever the outcome; demo_run.sh prints the commands root needs.
[ "$(id -u)" -ne 0 ] || export ENG_DEMO_INVOKED_AS_ROOT=1
ENG_CLEAN_WORK=1 eng_drop_root demo.sh "${demo_args[@]}"

exec bash "$ENG_ROOT/test/demo_run.sh" "$demo_customers" "$demo_seed" "$demo_keep" "$demo_citus"
