#!/usr/bin/env bash
# Formats C files the way PostgreSQL 15's pgindent does: pg_bsd_indent 2.1.1
# with pgindent's options and a typedef list, plus a little text processing
# before and after it.  Used by "make format" and "make format-check".
#
# usage: test/pgindent.sh [--check] [--typedefs FILE] FILE...
#   without --check  rewrites each FILE that pg_bsd_indent would change
#   --check          changes nothing: lists each FILE that would change and
#                    exits 1 when there is one
#   --typedefs FILE  the typedef names, one a line (default src/typedefs.list,
#                    written by "make typedefs" from the objects' debug info)
# PG_BSD_INDENT names the program (default pg_bsd_indent; Debian and Ubuntu:
# apt-get install pg-bsd-indent).  Exit status 2: pg_bsd_indent is missing or
# of another version, or failed on a file (that file is left alone).
set -euo pipefail

indent=${PG_BSD_INDENT:-pg_bsd_indent}
# the version PostgreSQL 15's pgindent asks for; other versions lay code out
# differently, so one version for everybody
want_version=2.1.1
# pgindent's settings: Allman braces (-bl -nce), declared names at column 12
# (-di12), trailing comments at column 33 (-cp33), a blank line after
# declarations and before block comments (-bad -bap -bbb), block comments
# refilled to 79 columns except those in column 1 (-nfc1), continuation lines
# under the open parenthesis (-lp -lpl), tabs of 4 (-ts4), -tpg
# (PostgreSQL's switch: a space rather than a tab that advances one column).
opts=(-bad -bap -bbb -bc -bl -cli1 -cp33 -cdb -nce -d0 -di12 -nfc1 -i4 -l79
	-lp -lpl -nip -npro -sac -tpg -ts4)

check=0
typedefs=src/typedefs.list
while [ $# -gt 0 ]; do
	case $1 in
		--check) check=1; shift ;;
		--typedefs) typedefs=$2; shift 2 ;;
		--) shift; break ;;
		-*) echo "usage: $0 [--check] [--typedefs FILE] FILE..." >&2; exit 2 ;;
		*) break ;;
	esac
done

if ! command -v "$indent" >/dev/null; then
	echo "$indent not found (Debian, Ubuntu: apt-get install pg-bsd-indent)" >&2
	exit 2
fi
version=$("$indent" --version 2>&1 || true)
if [[ $version != *" $want_version "* ]]; then
	echo "$indent is \"$version\"; PostgreSQL 15's layout needs version $want_version" >&2
	exit 2
fi
if [ ! -s "$typedefs" ]; then
	echo "typedef list $typedefs missing or empty (make typedefs)" >&2
	exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The list from debug info lacks "bool" (a macro of <stdbool.h>), and words
# that are typedefs in some system header but variables or macros in ordinary
# code would be misread as types: the same additions and exclusions as
# pgindent's.
{
	cat "$typedefs"
	echo bool
} | grep -vxE 'ANY|FD_SET|U|abs|allocfunc|boolean|date|digit|ilist|interval|iterator|other|pointer|printfunc|reference|string|timestamp|type|wrap' \
	| sort -u >"$tmp/typedefs"

# Before pg_bsd_indent:
# - "// text" comments on their own lines become "/* text */" (pgindent);
# - "/* ---" comments keep their layout: pg_bsd_indent leaves "/*-" comments
#   alone, so they are "/*---@@" while it runs (pgindent does the same);
# - hexadecimal floating-point constants (0x1p-600), which pg_bsd_indent would
#   split into "0x1 p - 600", become identifiers of the same length while it
#   runs: 0x -> _x, "." -> "_", exponent sign - -> m, + -> n (ours: PostgreSQL's
#   own code has no such constants).
pre='
	die "placeholder-like identifier in the source\n"
		if /\b_[xX][0-9a-fA-F_]*[pP][mn]?[0-9]+[fFlL]?\b/ || m{/\*---@@};
	s{^([ \t]*)//(.*)$}{$1/* $2 */}gm;
	s{/\* +---}{/*---@@}g;
	s{\b0([xX])([0-9a-fA-F.]*)([pP])([-+]?)([0-9]+[fFlL]?)\b}{
		my ($x, $m, $p, $s, $e) = ($1, $2, $3, $4, $5);
		$m =~ tr/./_/;
		$s =~ tr/-+/mn/;
		"_$x$m$p$s$e"
	}ge;
'
# After it:
# - the two protections above undone;
# - a comment right after another ("*/" + "/*") gets a tab between (pgindent);
# - a definition'\''s return type ending in "*" alone on its line keeps a
#   single space ("void *", not "void" at column 12 and then "*"; pgindent).
post='
	s{\b_([xX])([0-9a-fA-F_]*)([pP])([mn]?)([0-9]+[fFlL]?)\b}{
		my ($x, $m, $p, $s, $e) = ($1, $2, $3, $4, $5);
		$m =~ tr/_/./;
		$s =~ tr/mn/-+/;
		"0$x$m$p$s$e"
	}ge;
	s{/\*---@@}{/* ---}g;
	s{\*/(/\*.*\*/)$}{*/\t$1}gm;
	s{^([A-Za-z_]\S*)[ \t]+\*$}{$1 *}gm;
'

rc=0
for f in "$@"; do
	: >"$tmp/err"
	if ! perl -0777 -pe "$pre" "$f" >"$tmp/in.c" 2>"$tmp/err" ||
		! "$indent" "${opts[@]}" "-U$tmp/typedefs" "$tmp/in.c" "$tmp/out.c" \
			>"$tmp/err" 2>&1 ||
		[ -s "$tmp/err" ] ||
		! perl -0777 -pe "$post" "$tmp/out.c" >"$tmp/new.c" 2>"$tmp/err"; then
		echo "$f: not formatted (left alone):" >&2
		cat "$tmp/err" >&2
		rc=2
		continue
	fi
	cmp -s "$tmp/new.c" "$f" && continue
	if [ $check = 1 ]; then
		echo "$f would change (make format)"
		[ $rc = 2 ] || rc=1
	else
		cat "$tmp/new.c" >"$f"
	fi
done
exit $rc
