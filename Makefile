# Makefile for the engagement extension (PGXS)

EXTENSION  = engagement
MODULE_big = engagement
OBJS       = src/engagement.o src/state.o src/nps.o src/journey.o src/session.o src/value.o src/funnel.o src/attribution.o src/markov.o src/shapley.o src/score.o src/rfm.o src/predict.o src/community.o src/numerics.o
DATA       = $(wildcard sql/engagement--*.sql)
PGFILEDESC = "engagement - customer-engagement analytics"

# pg_regress tests: sql/<name>.sql against expected/<name>.out
REGRESS      = nps journey score value predict funnel attribution community bi install
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

EXTRA_CLEAN = test/numerics_test results regression.diffs regression.out regression.tz.log tmp_check log

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# every object is rebuilt when a header it includes changes: all include the
# shared header (and numerics.h through it), some the journey or attribution
# header as well
$(OBJS): src/engagement.h src/numerics.h
src/journey.o src/attribution.o: src/journey.h
src/attribution.o src/markov.o src/shapley.o: src/attribution.h

.PHONY: tapcheck format format-check numerics-check

tapcheck:
	$(prove_installcheck)

# C style: clang-format with .clang-format (PostgreSQL's pgindent layout, as
# near as clang-format gets); format-check lists the files it would change
FORMAT_FILES = $(wildcard src/*.c src/*.h)
CLANG_FORMAT ?= clang-format

format:
	$(CLANG_FORMAT) -i $(FORMAT_FILES)

format-check:
	@command -v $(CLANG_FORMAT) >/dev/null || { echo "$(CLANG_FORMAT) not found"; exit 2; }; \
	rc=0; for f in $(FORMAT_FILES); do \
		$(CLANG_FORMAT) $$f | cmp -s - $$f || { echo "$$f would change (make format)"; rc=1; }; \
	done; exit $$rc

# unit tests of the pure numerics (src/numerics.c), without a server
NUMERICS_TEST_CFLAGS = -O2 -Wall -Wextra -Werror

numerics-check:
	$(CC) $(NUMERICS_TEST_CFLAGS) -o test/numerics_test test/numerics_test.c src/numerics.c -lm
	test/numerics_test
