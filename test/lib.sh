# test/lib.sh: shared by test/test.sh, test/demo.sh and test/bench.sh.
#
# Source it; it defines:
#   eng_install_deps PKG...   install missing Debian packages (apt-get; sudo when not root)
#   eng_drop_root SCRIPT ARGS re-run SCRIPT as the "postgres" user on a private copy
#                             of the checkout when called as root (initdb refuses root)
#   eng_build                 build with warnings as errors, stage-install into .stage/
#   eng_virtualenv CMD...     run CMD against a throw-away cluster that loads the staged build
set -euo pipefail

ENG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENG_STAGE="$ENG_ROOT/.stage"
ENG_PG_MAJOR=15
ENG_BASE_PACKAGES=(make gcc libc6-dev perl libipc-run-perl
	"postgresql-$ENG_PG_MAJOR" "postgresql-server-dev-$ENG_PG_MAJOR"
	postgresql-common "postgresql-client-$ENG_PG_MAJOR")

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

# As root, copy the checkout to a directory owned by "postgres" and run the
# script there as that user; CI clones may live where "postgres" cannot read.
eng_drop_root() {
	local script="$1"
	shift
	[ "$(id -u)" -eq 0 ] || return 0
	local work
	work="$(mktemp -d /tmp/engagement.XXXXXX)"
	eng_log "running as root: copying the checkout to $work for user postgres"
	(cd "$ENG_ROOT" && tar --exclude=./.git --exclude=./.stage -cf - .) | tar -C "$work" -xf -
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
	[ "$rc" -eq 0 ] || eng_log "failed; work directory kept: $work"
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

# The staged build is found through Debian's extension_destdir setting.
eng_virtualenv() {
	pg_virtualenv -o "extension_destdir=$ENG_STAGE" \
		-o "max_worker_processes=16" -o "max_parallel_workers=8" "$@"
}
