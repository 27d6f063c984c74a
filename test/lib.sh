# test/lib.sh: shared by test/test.sh, test/demo.sh and test/bench.sh.
#
# Source it; it defines:
#   eng_install_deps PKG...   install missing Debian packages (apt-get; sudo when not root)
#   eng_drop_root SCRIPT ARGS re-run SCRIPT as the "postgres" user on a private copy
#                             of the checkout when called as root (initdb refuses root)
#   eng_build                 build with warnings as errors, stage-install into .stage/
#   eng_export_release        export the released 1.0 sources from git into .release-1.0/
#   eng_build_release         build them, stage-install into .stage-1.0/ (upgrade test)
#   eng_virtualenv CMD...     run CMD against a throw-away cluster that loads the staged build
#   eng_install_citus         install the Citus build in ../shared/citus (root only; when
#                             that folder is there and Citus is not installed yet)
set -euo pipefail

ENG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENG_STAGE="$ENG_ROOT/.stage"
# Release 1.0 has no tag: it is the commit before the one that added 1.1.
ENG_RELEASE_1_0_COMMIT=d90241b2bf305493fa94df0b45b5b0552f367197^
ENG_RELEASE_1_0_SRC="$ENG_ROOT/.release-1.0"
ENG_STAGE_1_0="$ENG_ROOT/.stage-1.0"
ENG_PG_MAJOR=15
ENG_BASE_PACKAGES=(make gcc libc6-dev perl libipc-run-perl
	"postgresql-$ENG_PG_MAJOR" "postgresql-server-dev-$ENG_PG_MAJOR"
	postgresql-common "postgresql-client-$ENG_PG_MAJOR")
# the demo's HTML report (test/report.py): Debian's matplotlib and psycopg2,
# run by Debian's /usr/bin/python3 (not another python3 first on PATH)
ENG_REPORT_PACKAGES=(python3-matplotlib python3-psycopg2)
ENG_REPORT_PYTHON=/usr/bin/python3

eng_log() { printf '==> %s\n' "$*" >&2; }

eng_install_deps() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	eng_log "installing missing packages: ${missing[*]}"
	local sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	"${sudo[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
}

# Citus, for test/t/012_citus.pl: a build for this PostgreSQL comes with
# CI's ../shared/citus (see its README.md; never part of this project).  It
# goes into the system directories, because it is preloaded; without it, or
# as a normal user, that test skips.
eng_install_citus() {
	local pkglib tarball= f
	pkglib="$(pg_config --pkglibdir 2>/dev/null)" || return 0
	[ -f "$pkglib/citus.so" ] && return 0
	for f in "$ENG_ROOT"/../shared/citus/citus-*-pg"$ENG_PG_MAJOR"-*.tar.gz; do
		[ -f "$f" ] && tarball="$f"
	done
	[ -n "$tarball" ] && [ "$(id -u)" -eq 0 ] || return 0
	eng_log "installing Citus from $tarball"
	eng_install_deps libcurl4 liblz4-1 libzstd1
	tar -xzf "$tarball" -C /
}

# As root, copy the checkout to a directory owned by "postgres" and run the
# script there as that user; CI clones may live where "postgres" cannot read.
# A failed run's copy is kept for inspection, unless ENG_CLEAN_WORK is set
# (test/demo.sh): then the copy is removed however the run ends, also when
# interrupted (INT, TERM).
eng_drop_root() {
	local script="$1"
	shift
	[ "$(id -u)" -eq 0 ] || return 0
	local work
	if [ -n "${ENG_CLEAN_WORK:-}" ]; then
		ENG_WORK=
		trap '[ -z "$ENG_WORK" ] || rm -rf "$ENG_WORK"' EXIT
		trap 'exit 130' INT
		trap 'exit 143' TERM
	fi
	work="$(mktemp -d /tmp/engagement.XXXXXX)"
	ENG_WORK="$work"
	eng_log "running as root: copying the checkout to $work for user postgres"
	(cd "$ENG_ROOT" && tar --exclude=./.git --exclude=./.stage --exclude=./.stage-1.0 -cf - .) |
		tar -C "$work" -xf -
	if [ -d "$ENG_ROOT/../shared/data" ]; then
		mkdir -p "$work/.shared"
		cp -a "$ENG_ROOT/../shared/data" "$work/.shared/"
		export ENG_SHARED_DATA="$work/.shared/data"
	fi
	chown -R postgres:postgres "$work"
	local rc=0
	runuser -u postgres -- env ENG_SHARED_DATA="${ENG_SHARED_DATA:-}" \
		bash "$work/test/$script" "$@" || rc=$?
	[ "$rc" -ne 0 ] || [ -n "${ENG_KEEP:-}" ] || rm -rf "$work"
	[ "$rc" -eq 0 ] || [ -n "${ENG_CLEAN_WORK:-}" ] || eng_log "failed; work directory kept: $work"
	exit "$rc"
}

eng_shared_data() {
	if [ -n "${ENG_SHARED_DATA:-}" ] && [ -d "$ENG_SHARED_DATA" ]; then
		echo "$ENG_SHARED_DATA"
	elif [ -d "$ENG_ROOT/../shared/data" ]; then
		(cd "$ENG_ROOT/../shared/data" && pwd)
	fi
}

eng_build() {
	eng_log "building (warnings are errors) and staging into $ENG_STAGE"
	cd "$ENG_ROOT"
	make -s clean >/dev/null
	make -s with_llvm=no WERROR=-Werror
	rm -rf "$ENG_STAGE"
	make -s with_llvm=no install DESTDIR="$ENG_STAGE" >/dev/null
}

# The released 1.0 sources, for test/t/007_upgrade.pl; called before
# eng_drop_root, which copies the checkout without .git.  Without the git
# history (an archive, a shallow clone) the upgrade test says it skips.
eng_export_release() {
	[ -f "$ENG_RELEASE_1_0_SRC/Makefile" ] && return 0
	local git=(git -c safe.directory='*' -C "$ENG_ROOT")
	if ! command -v git >/dev/null 2>&1 ||
		! "${git[@]}" rev-parse -q --verify "$ENG_RELEASE_1_0_COMMIT^{commit}" >/dev/null 2>&1; then
		eng_log "release 1.0 ($ENG_RELEASE_1_0_COMMIT) is not in the git history here"
		return 0
	fi
	rm -rf "$ENG_RELEASE_1_0_SRC"
	mkdir -p "$ENG_RELEASE_1_0_SRC"
	"${git[@]}" archive "$ENG_RELEASE_1_0_COMMIT" | tar -C "$ENG_RELEASE_1_0_SRC" -xf -
}

# Build the exported 1.0 sources (as released: without -Werror) into their
# own stage; sets ENG_STAGE_1_0_BUILT when there is one.
eng_build_release() {
	ENG_STAGE_1_0_BUILT=
	[ -f "$ENG_RELEASE_1_0_SRC/Makefile" ] || return 0
	eng_log "building the released 1.0 sources into $ENG_STAGE_1_0"
	make -s -C "$ENG_RELEASE_1_0_SRC" with_llvm=no >/dev/null
	rm -rf "$ENG_STAGE_1_0"
	make -s -C "$ENG_RELEASE_1_0_SRC" with_llvm=no install DESTDIR="$ENG_STAGE_1_0" >/dev/null
	ENG_STAGE_1_0_BUILT="$ENG_STAGE_1_0"
}

# The staged build is found through Debian's extension_destdir setting.
eng_virtualenv() {
	pg_virtualenv -o "extension_destdir=$ENG_STAGE" \
		-o "max_worker_processes=16" -o "max_parallel_workers=8" "$@"
}
