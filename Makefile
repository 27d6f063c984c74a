# Makefile for the engagement extension (PGXS)

EXTENSION  = engagement
MODULE_big = engagement
OBJS       = src/engagement.o src/state.o src/nps.o src/journey.o src/session.o src/value.o src/funnel.o src/attribution.o src/markov.o src/shapley.o src/score.o src/rfm.o src/predict.o src/community.o src/numerics.o src/calibration.o src/bgbb.o src/sequence.o src/pareto.o src/fractribution.o src/identity.o src/classifier.o src/learn.o
DATA       = $(wildcard sql/engagement--*.sql)
PGFILEDESC = "engagement - customer-engagement analytics"

# pg_regress tests: sql/<name>.sql against expected/<name>.out
REGRESS      = nps journey score value predict predict_grid bgbb paretonbd calibration classifier funnel funnel_icu sequence attribution fractribution markov_order community identity bi learn install
# Every file runs in a fixed session time zone, UTC, set through the psql
# launcher (pg_regress itself exports PGTZ=PST8PDT); the test command runs the
# suite once more with REGRESS_TZ=America/New_York, so output that depends on
# the session time zone shows up as a diff.
REGRESS_TZ   ?= UTC
REGRESS_OPTS = --load-extension=engagement --launcher='env PGTZ=$(REGRESS_TZ)'

# TAP tests (PostgreSQL::Test::Cluster) run by "make tapcheck", not by
# installcheck, which runs only pg_regress against the server in PGHOST/PGPORT:
# each TAP file starts its own throw-away clusters (EXT_DESTDIR names a staged
# build for them).  One file: make tapcheck PROVE_TESTS=test/t/003_dump_restore.pl
PROVE_TESTS ?= test/t/*.pl

# the test command adds WERROR=-Werror; users' builds do not fail on new compiler warnings
PG_CFLAGS += -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers $(WERROR)

EXTRA_CLEAN = test/numerics_test src/typedefs.tmp results regression.diffs regression.out regression.tz.log tmp_check log

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# every object is rebuilt when a header it includes changes: all include the
# shared header (and numerics.h through it), some the journey or attribution
# header as well
$(OBJS): src/engagement.h src/numerics.h
src/funnel.o src/sequence.o: src/conditions.h
src/journey.o src/attribution.o: src/journey.h
src/attribution.o src/markov.o src/shapley.o src/fractribution.o: src/attribution.h

.PHONY: tapcheck format format-check typedefs numerics-check

tapcheck:
	$(prove_installcheck)

# C style: PostgreSQL 15's pgindent layout, by pg_bsd_indent 2.1.1 with
# pgindent's options (test/pgindent.sh).  "make format" rewrites the C files
# in place; "make format-check" changes nothing, lists the files that would
# change and fails.  Both first bring src/typedefs.list up to date: the
# typedef names (ours and PostgreSQL's) that pg_bsd_indent must know to lay
# out declarations, taken from debug information as PostgreSQL's buildfarm
# takes them: from the module's objects (PGXS compiles with -g) and from C
# files outside the module (test programs), compiled with -g for that only.
# "make typedefs" rewrites the list.
FORMAT_FILES = $(wildcard src/*.c src/*.h test/*.c test/*.h)
TYPEDEFS_EXTRA_C = $(wildcard test/*.c)

define write_typedefs
	@rm -rf src/typedefs.tmp && mkdir src/typedefs.tmp
	@for c in $(TYPEDEFS_EXTRA_C); do \
		$(CC) $(CPPFLAGS) -g -c -o src/typedefs.tmp/$$(basename $$c .c).o $$c || exit 1; \
	done
	@for o in $(OBJS) $$(ls src/typedefs.tmp/*.o 2>/dev/null); do \
		readelf --debug-dump=info $$o || echo "readelf failed on $$o"; \
	done | \
	awk '/^readelf failed/ { print; exit 1 } \
		/^ *<[0-9]+><[0-9a-f]+>: Abbrev Number/ { t = /\(DW_TAG_typedef\)/; next } \
		t && /DW_AT_name *:/ { print $$NF; t = 0 }' | LC_ALL=C sort -u >src/typedefs.tmp/list
	@grep -qx Datum src/typedefs.tmp/list || { echo "no typedef names from the debug information (compile with -g)"; exit 1; }
	@mv src/typedefs.tmp/list src/typedefs.list && rm -rf src/typedefs.tmp
endef

src/typedefs.list: $(OBJS) $(TYPEDEFS_EXTRA_C)
	$(write_typedefs)

typedefs: $(OBJS)
	$(write_typedefs)

format: src/typedefs.list
	bash test/pgindent.sh $(FORMAT_FILES)

format-check: src/typedefs.list
	bash test/pgindent.sh --check $(FORMAT_FILES)

# unit tests of the pure numerics (src/numerics.c), without a server
NUMERICS_TEST_CFLAGS = -O2 -Wall -Wextra -Werror

numerics-check:
	$(CC) $(NUMERICS_TEST_CFLAGS) -o test/numerics_test test/numerics_test.c src/numerics.c -lm
	test/numerics_test
