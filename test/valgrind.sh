#!/usr/bin/env bash
# test/valgrind.sh: run the pg_regress suite under Valgrind against a
# PostgreSQL 15 server built with USE_VALGRIND and assertions.
#
#   bash test/valgrind.sh [REGRESS="score funnel"]
#
# Not part of test/test.sh (it takes tens of minutes).  It fetches the
# source of Debian's postgresql-15 (adding a deb-src entry if needed),
# builds it at -O0 into /var/tmp/engagement-pg15-valgrind, builds the extension against it,
# starts that server under Valgrind memcheck and runs `make installcheck`.
# The run fails if Valgrind reports any error (VALGRINDERROR markers).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ENG_VG_PACKAGES=(valgrind dpkg-dev build-essential bison flex perl libipc-run-perl
	postgresql-client-15 postgresql-server-dev-15)

if ! grep -rqs "deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
	eng_log "adding a deb-src entry for Debian bookworm"
	sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' |
		"${sudo[@]}" tee /etc/apt/sources.list.d/engagement-deb-src.sources >/dev/null
	"${sudo[@]}" apt-get update -qq
fi
eng_install_deps "${ENG_VG_PACKAGES[@]}"
eng_drop_root valgrind.sh "$@"

PREFIX="${ENG_VG_PREFIX:-/var/tmp/engagement-pg15-valgrind}"
SRC="${ENG_VG_SRC:-/var/tmp/engagement-pg15-valgrind-src}"
PGBIN="$PREFIX/bin"

if [ ! -x "$PGBIN/postgres" ]; then
	eng_log "building PostgreSQL 15 with USE_VALGRIND into $PREFIX (a few minutes)"
	mkdir -p "$SRC"
	# upstream source without Debian's patches (they pin the install paths)
	srcdir="$SRC/postgresql-15-upstream"
	rm -rf "$srcdir"
	(cd "$SRC" && apt-get source --download-only -qq postgresql-15 >/dev/null 2>&1 &&
		dpkg-source -x --skip-patches postgresql-15_*.dsc "$srcdir" >/dev/null 2>&1) ||
		{ eng_log "could not fetch and unpack the postgresql-15 source"; exit 1; }
	(cd "$srcdir" &&
		./configure --prefix="$PREFIX" --enable-cassert --enable-debug --without-llvm \
			--without-icu --without-readline --without-zlib --enable-tap-tests \
			CFLAGS="-O0 -g -fno-omit-frame-pointer" CPPFLAGS="-DUSE_VALGRIND" >/dev/null &&
		make -s -j"$(nproc)" >/dev/null && make -s install >/dev/null)
	cp "$srcdir/src/tools/valgrind.supp" "$PREFIX/valgrind.supp"
fi

cd "$ENG_ROOT"
make -s clean >/dev/null
make -s PG_CONFIG="$PGBIN/pg_config" WERROR=-Werror
make -s PG_CONFIG="$PGBIN/pg_config" install >/dev/null

WORK="$(mktemp -d /tmp/engagement-vg.XXXXXX)"
mkdir -p "$WORK/vg"
"$PGBIN/initdb" -D "$WORK/data" -A trust >/dev/null
PORT=55432
valgrind --quiet --trace-children=yes --track-origins=yes --read-var-info=no \
	--leak-check=no --suppressions="$PREFIX/valgrind.supp" \
	--error-markers=VALGRINDERROR-BEGIN,VALGRINDERROR-END \
	--log-file="$WORK/vg/%p.log" \
	"$PGBIN/postgres" -D "$WORK/data" -p "$PORT" -k "$WORK" -c listen_addresses='' \
	>"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null' EXIT
for _ in $(seq 1 120); do
	"$PGBIN/pg_isready" -h "$WORK" -p "$PORT" -q && break
	sleep 2
done

eng_log "running the regression suite under Valgrind (slow)"
rc=0
make -s PG_CONFIG="$PGBIN/pg_config" installcheck PGHOST="$WORK" PGPORT="$PORT" \
	TAP_TESTS= "$@" || rc=$?
"$PGBIN/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true
wait $SERVER 2>/dev/null || true
trap - EXIT

errors=$({ grep -l VALGRINDERROR "$WORK"/vg/*.log 2>/dev/null || true; } | wc -l)
eng_log "Valgrind logs in $WORK/vg: $errors with errors; regression exit status $rc"
if [ "$errors" -ne 0 ]; then
	grep -h -A30 VALGRINDERROR-BEGIN "$WORK"/vg/*.log | head -n 200
	exit 1
fi
exit "$rc"
