/*-------------------------------------------------------------------------
 *
 * engagement.h
 *	  Declarations shared by every capability of the engagement extension:
 *	  the versioned header of stored states, error helpers, text-format
 *	  parsing helpers, time helpers and normal-distribution helpers.
 *
 * IDENTIFICATION
 *	  src/engagement.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef ENGAGEMENT_H
#define ENGAGEMENT_H

#include "postgres.h"

#include <ctype.h>

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/timestamp.h"

/*
 * Every stored state type is a varlena that starts with this header.  The
 * version byte names the layout of what follows; readers reject versions
 * they do not know, so a future layout can be added without misreading old
 * values.  "reserved" must be zero today and is checked on every input path.
 */
typedef struct EngStateHeader
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* layout version of the payload */
	uint8		flags;			/* type-specific flag bits */
	uint16		reserved;		/* must be zero */
} EngStateHeader;				/* 8 bytes: payloads start 8-byte aligned */

/* Initialise the header of a freshly palloc0'd state of total size "size". */
extern void eng_init_header(EngStateHeader *hdr, Size size, uint8 version,
							uint8 flags);

/*
 * Check the header of a state found on disk or built by an input function:
 * exact size, known version, only known flag bits, zero reserved fields.
 * Raises XX001 (data corrupted) naming the type when anything is off.
 */
extern void eng_check_header(const EngStateHeader *hdr, Size expected_size,
							 uint8 version, uint8 valid_flags,
							 const char *typname);

/*
 * The aggregate memory context of the current call, or an error when the
 * function was not called as an aggregate support function.
 */
extern MemoryContext eng_agg_context(FunctionCallInfo fcinfo,
									 const char *funcname);

/*
 * Argument 0 of an aggregate support function, a by-reference state of a
 * real type, ready to be updated in place: normally the plain value the
 * aggregate already owns; anything else (a short header after a trip
 * through a tuple) is copied into the aggregate context.
 */
extern void *eng_state_for_update(FunctionCallInfo fcinfo,
								  MemoryContext aggcontext);

/*
 * A dictionary of names (channels, events) built in insertion order.  A
 * zeroed EngDict is an empty dictionary.  Lookups scan a small dictionary
 * and go through a hash table once it has 16 names (created then, in the
 * memory context given), with a cache of the last hit because consecutive
 * rows often repeat a name.  The names are copied into a few large blocks
 * (an arena), not allocated one by one.
 */
#define ENG_MAX_NAME_LEN	1000
#define ENG_DICT_MAX_NAMES	((1 << 23) - 1)	/* largest max_names */

struct engdict_hash;

typedef struct EngDict
{
	int			n;
	int			max;
	char	  **names;
	int			last;
	struct engdict_hash *hash;	/* name -> index; NULL while small */
	char	   *arena;			/* free space of the current name block */
	Size		arena_free;		/* bytes free there */
	Size		arena_next;		/* size of the next name block */
} EngDict;

/* Length of name "i" of a dictionary (stored just before the name). */
#define ENG_DICT_LEN_BYTES	2
static inline int
eng_dict_name_len(const EngDict *d, int i)
{
	uint16		len;

	memcpy(&len, d->names[i] - ENG_DICT_LEN_BYTES, ENG_DICT_LEN_BYTES);
	return len;
}

/* Raise 54000 when a name of "len" bytes is longer than ENG_MAX_NAME_LEN. */
extern void eng_check_name_length(int len, const char *kind);

/*
 * Index of "name" (len bytes, not NUL-terminated) in the dictionary, adding
 * it (copied into cxt) when new; "kind" names the names in errors, and more
 * than max_names names (at most ENG_DICT_MAX_NAMES) are refused.  Every call
 * on one dictionary must pass the same context.
 */
extern int	eng_dict_lookup(EngDict *d, const char *name, int len, int max_names,
							const char *kind, MemoryContext cxt);

/*
 * Sorted (bytewise) order of the dictionary entries with used[i] true (all
 * when used is NULL): order[k] = index of the k-th smallest, rank[index] = k.
 * Returns the number of entries ranked.
 */
extern int	eng_dict_sort(const EngDict *d, const bool *used, int32 *order,
						  int32 *rank);

/*
 * A cursor over the text form of a state.  Every helper raises 22P02
 * ("invalid input syntax for type ...") quoting the whole input.
 */
typedef struct EngTextCursor
{
	const char *input;			/* whole input string, for messages */
	const char *p;				/* current position */
	const char *typname;		/* type being parsed */
} EngTextCursor;

/*
 * White space between tokens: ASCII only, so that no byte of a multibyte
 * character (which may be written bare) is ever taken for a separator,
 * whatever the locale.
 */
#define eng_isspace(ch) \
	((unsigned char) (ch) < 0x80 && isspace((unsigned char) (ch)))

extern void eng_cursor_init(EngTextCursor *c, const char *input,
							const char *typname);
extern void eng_cursor_expect(EngTextCursor *c, char ch);
extern bool eng_cursor_accept(EngTextCursor *c, char ch);
extern void eng_cursor_expect_key(EngTextCursor *c, const char *key);
extern int64 eng_cursor_int64(EngTextCursor *c);
extern double eng_cursor_float8(EngTextCursor *c);
extern void eng_cursor_expect_end(EngTextCursor *c);
pg_attribute_noreturn() extern void eng_cursor_error(EngTextCursor *c,
													  const char *detail);

/*
 * Timestamps in state text forms: UTC ISO 8601 ("2026-01-31T12:00:00.5Z"),
 * years 0001..9999 only, so every stored time has a text form.
 */
#define ENG_MIN_TS	INT64CONST(-63082281600000000)	/* 0001-01-01 00:00:00 */
#define ENG_MAX_TS	INT64CONST(252455615999999999)	/* 9999-12-31 23:59:59.999999 */
extern void eng_check_timestamp(int64 ts, const char *typname);
extern void eng_append_timestamp(StringInfo buf, int64 ts);
extern int64 eng_cursor_timestamp(EngTextCursor *c);

/* -0 as 0: no function returns -0 */
static inline double
eng_no_minus_zero(double v)
{
	return v == 0.0 ? 0.0 : v;
}

/*
 * A double result: 22003 ("<what> is out of range") unless finite, and never
 * -0, so every returned number can be stored and read back.
 */
extern double eng_float8_result(double v, const char *what);

/* Append a double so that it reads back bit for bit (shortest exact form). */
extern void eng_append_float8(StringInfo buf, double value);

/* Read a serialized aggregate state (bytea) with the pq_getmsg functions. */
extern void eng_bytea_reader(StringInfo buf, bytea *raw);

/* Binary-input helper: read a float8 and require it to be finite. */
extern double eng_recv_finite_float8(StringInfo buf, const char *typname);

/*
 * Length of an interval in microseconds as EXTRACT(EPOCH FROM interval)
 * counts it: a year is 365.25 days, any other month 30 days, a day 24 hours.
 * "what" names the argument in errors (out of range; for the _positive
 * variant, not positive).
 */
extern int64 eng_interval_usecs(const Interval *iv, const char *what);
extern int64 eng_interval_usecs_positive(const Interval *iv, const char *what);

/*
 * A journey decoded into arrays (journey.c): touches sorted by time, then
 * channel name, then event name; dictionaries sorted bytewise.
 */
typedef struct EngJourney
{
	int			n;				/* touches, at least 1 */
	int64	   *ts;
	int32	   *ch;				/* channel index */
	int32	   *ev;				/* event index, -1 when the touch has none */
	int			nchannels;
	int			nevents;
	const char **channels;
	const char **events;
} EngJourney;

/* Decode and check a journey Datum (detoasting it in the current context). */
extern void eng_journey_get(Datum d, EngJourney *j);

/* Standard normal distribution. */
extern double eng_norm_quantile(double p);
extern double eng_norm_two_sided_p(double z);

/*
 * The z value of a two-sided confidence level, which must lie strictly
 * between 0 and 1 (22023 otherwise).
 */
extern double eng_confidence_z(double confidence);

#endif							/* ENGAGEMENT_H */
