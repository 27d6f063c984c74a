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

#include "numerics.h"

/*
 * The data do not determine the model: a fit that does not converge (the
 * likelihood has no proper maximum), a Markov chain with no way out.  An
 * implementation-defined subclass (M01) of class 22, data exception.
 */
#define ERRCODE_ENG_MODEL_FAILED MAKE_SQLSTATE('2','2','M','0','1')

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
 * The state skeleton (state.c).  Where a value being read comes from decides
 * the SQLSTATE of a bad one: a stored value or a working state read back
 * from its serial form is corrupted (XX001), a text input is invalid text
 * (22P02), a binary input invalid binary (22P03).
 */
typedef enum EngSource
{
	ENG_STORED,
	ENG_TEXT,
	ENG_BINARY
} EngSource;

extern int	eng_source_errcode(EngSource src);

/*
 * The header of a variable-length state: at least min_size bytes, known
 * version, only known flag bits, zero reserved fields (the type checks its
 * counts against the exact size).
 */
extern void eng_check_state(const EngStateHeader *hdr, Size min_size,
							uint8 version, uint8 valid_flags,
							const char *typname, EngSource src);

/* The same for a fixed-size state of exactly expected_size bytes. */
extern void eng_check_header(const EngStateHeader *hdr, Size expected_size,
							 uint8 version, uint8 valid_flags,
							 const char *typname, EngSource src);

/* "unsupported <typname> format version N" unless version is expected */
extern void eng_check_version(int64 version, int expected, const char *typname,
							  EngSource src);

/*
 * The same for a type that reads several format versions (oldest..newest):
 * every stored, text and binary value is checked against the range, then
 * against the layout of its own version.
 */
extern void eng_check_versions(int64 version, int oldest, int newest,
							   const char *typname, EngSource src);

/*
 * A count of fixed-size records in a binary form: it must lie between min
 * and max, and that many records of record_size bytes must fill (exact) or
 * fit in (!exact, when variable-length data follows) what is left.  A count
 * above max is reported by over_max when the type has a limit error of its
 * own (54000 with the limit), checked before the size.
 */
typedef struct EngRecordCount
{
	const char *typname;		/* type named in errors */
	const char *what;			/* what is counted, plural ("purchase days") */
	int32		min;
	int32		max;
	Size		record_size;	/* bytes per record in the binary form */
	bool		exact;
	void		(*over_max) (int64 n);	/* NULL, or raises an error */
} EngRecordCount;

/* Binary forms: version byte, then counted records, then the end. */
extern void eng_recv_version(StringInfo buf, int version, const char *typname);
extern int32 eng_recv_count(StringInfo buf, const EngRecordCount *rc,
							EngSource src);
extern void eng_recv_end(StringInfo buf, const char *typname, EngSource src);

/*
 * The aggregate memory context of the current call, or 0A000 naming the SQL
 * function (the C function when called without a catalog entry) when the
 * function was not called as an aggregate support function.
 */
extern MemoryContext eng_agg_context_of(FunctionCallInfo fcinfo,
										const char *cfunc);
#define eng_agg_context(fcinfo) eng_agg_context_of((fcinfo), __func__)

/*
 * An in-memory (internal) working state of an aggregate, described by its
 * operations; the support functions below are the same for every type.
 * "init" (may be NULL) completes a zeroed state of "size" bytes; "empty"
 * (may be NULL) says a state adds nothing when merged; "merge" adds src to
 * dst; "serialize" and "deserialize" write and read the serial form (the
 * skeleton checks that nothing follows it).  For rollup() and the +
 * operator, "add_arg" adds the stored value in argument argno (not NULL) to
 * a working state and "finish" makes the stored value of a working state
 * that has had one added.
 */
typedef struct EngBuildOps
{
	const char *typname;		/* type of the final value, named in errors */
	Size		size;
	void		(*init) (void *state, MemoryContext cxt);
	bool		(*empty) (const void *state);
	void		(*merge) (void *dst, const void *src, MemoryContext cxt);
	void		(*serialize) (StringInfo buf, const void *state);
	void		(*deserialize) (StringInfo buf, void *state, MemoryContext cxt);
	void		(*add_arg) (void *state, FunctionCallInfo fcinfo, int argno,
							MemoryContext cxt);
	Datum		(*finish) (void *state);
} EngBuildOps;

/* Argument 0 of a transition function, or a new state in the agg context. */
extern void *eng_build_arg(FunctionCallInfo fcinfo, const EngBuildOps *ops,
						   MemoryContext *aggcontext);
extern Datum eng_build_combine(FunctionCallInfo fcinfo, const EngBuildOps *ops);
extern Datum eng_build_serial(FunctionCallInfo fcinfo, const EngBuildOps *ops);
extern Datum eng_build_deserial(FunctionCallInfo fcinfo, const EngBuildOps *ops);
extern Datum eng_build_rollup_trans(FunctionCallInfo fcinfo,
									const EngBuildOps *ops);

/*
 * JSON forms (the casts to json and jsonb): a type writes its JSON text into
 * buf; eng_json_result returns it as json or jsonb.  Times are written as
 * the text forms write them, quoted; numbers as eng_append_float8 writes them
 * (finite in every valid state, so always valid JSON numbers).
 */
extern void eng_json_timestamp(StringInfo buf, int64 ts);
extern Datum eng_json_result(StringInfo buf, bool jsonb);

/*
 * predicted_clv over any purchase model (predict.c): the arguments are
 * (model, spend gammagamma, frequency, recency, age, monetary, periods,
 * period_length, discount_rate); the caller checks (frequency, recency, age)
 * for its model, and expected(arg, t) is the model's expected purchases of
 * that customer in the next t.
 */
typedef double (*EngExpectedPurchases) (void *arg, double t);
extern double eng_gammagamma_spend(FunctionCallInfo fcinfo, int ggarg, double x, double zbar);
extern Datum eng_predicted_clv(FunctionCallInfo fcinfo, EngExpectedPurchases expected,
							   void *arg);

/*
 * The two entry points of a type's JSON form, "<symbol>_json" and
 * "<symbol>_jsonb", around writer(fcinfo, bool jsonb).
 */
#define ENG_JSON_CASTS(symbol, writer) \
PG_FUNCTION_INFO_V1(symbol##_json); \
Datum \
symbol##_json(PG_FUNCTION_ARGS) \
{ \
	return writer(fcinfo, false); \
} \
PG_FUNCTION_INFO_V1(symbol##_jsonb); \
Datum \
symbol##_jsonb(PG_FUNCTION_ARGS) \
{ \
	return writer(fcinfo, true); \
}

/* final function: the stored value, NULL for no state or an empty one */
extern Datum eng_build_final(FunctionCallInfo fcinfo, const EngBuildOps *ops);

/* <type> + <type>: the two stored values merged (a strict function) */
extern Datum eng_build_add(FunctionCallInfo fcinfo, const EngBuildOps *ops);

/*
 * Argument 0 of a support function of a fixed-size state of a real type,
 * ready to be updated, or NULL when it is NULL; *cxt is the context for a
 * new state.  Called by an aggregate: the state the aggregate owns, updated
 * in place, and the aggregate context.  Called directly (any role can call
 * these functions): a copy of the value as "getarg" checks it, and the
 * current context, so the call returns a new value and never writes to its
 * argument.
 */
typedef void *(*EngStateGetter) (FunctionCallInfo fcinfo, int argno);

extern void *eng_fixed_state_arg(FunctionCallInfo fcinfo, Size size,
								 EngStateGetter getarg, MemoryContext *cxt);

/*
 * A dictionary of names (channels, events) built in insertion order.  A
 * zeroed EngDict is an empty dictionary.  Lookups scan a small dictionary
 * and go through a hash table once it has 16 names (created then, in the
 * memory context given), with a cache of the last hit because consecutive
 * rows often repeat a name.  The names are copied into a few large blocks
 * (an arena), not allocated one by one.
 */
#define ENG_MAX_NAME_LEN	1000
#define ENG_DICT_MAX_NAMES	((1 << 23) - 1) /* largest max_names */

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

/* Start a state's text form: "(v=N" with N the version this build reads. */
extern void eng_cursor_begin(EngTextCursor *c, const char *input,
							 const char *typname, int version);
extern void eng_cursor_expect(EngTextCursor *c, char ch);
extern bool eng_cursor_accept(EngTextCursor *c, char ch);
extern void eng_cursor_expect_key(EngTextCursor *c, const char *key);
extern int64 eng_cursor_int64(EngTextCursor *c);
extern double eng_cursor_float8(EngTextCursor *c);
extern void eng_cursor_expect_end(EngTextCursor *c);
pg_attribute_noreturn() extern void eng_cursor_error(EngTextCursor *c,
													 const char *detail);

/*
 * The rest of a double-quoted string whose opening quote the caller has read
 * (a quote inside is doubled), appended to buf; the cursor ends past the
 * closing quote.  Before buf grows beyond limit bytes, too_long(the length it
 * would have, arg) must raise the type's error; what names the string in
 * the error of an unterminated one ("name", "identifier").
 */
typedef void (*EngTooLong) (int len, const void *arg);
extern void eng_cursor_quoted(EngTextCursor *c, StringInfo buf, const char *what,
							  int limit, EngTooLong too_long, const void *arg);

/* an EngTooLong for names: eng_check_name_length, arg the kind of name */
extern void eng_name_too_long(int len, const void *kind);

/* its writer: len bytes of s double-quoted, a quote inside doubled */
extern void eng_append_quoted(StringInfo buf, const char *s, int len);

/*
 * Timestamps in state text forms: UTC ISO 8601 ("2026-01-31T12:00:00.5Z"),
 * years 0001..9999 only, so every stored time has a text form.
 */
#define ENG_MIN_TS	INT64CONST(-63082281600000000)	/* 0001-01-01 00:00:00 */
/* 9999-12-31 23:59:59.999999 */
#define ENG_MAX_TS	INT64CONST(252455615999999999)
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


/*
 * Length of an interval in microseconds as EXTRACT(EPOCH FROM interval)
 * counts it: a year is 365.25 days, any other month 30 days, a day 24 hours.
 * "what" names the argument in errors (out of range; for the _positive
 * variant, not positive).
 */
extern int64 eng_interval_usecs(const Interval *iv, const char *what);
extern int64 eng_interval_usecs_positive(const Interval *iv, const char *what);

/*
 * The standard normal distribution is in numerics.h (num_norm_quantile(),
 * num_norm_two_sided_p()).
 */

/*
 * The z value of a two-sided confidence level, which must lie strictly
 * between 0 and 1 (22023 otherwise).
 */
extern double eng_confidence_z(double confidence);

/*
 * Local calendar days (sessions split at midnight, 1.2).  eng_time_zone()
 * looks a time zone name up as PostgreSQL's timezone(zone, ts) does for a
 * full zone name (pg_tzset: names of pg_timezone_names and POSIX
 * specifications); an unknown name is 22023.  eng_local_day() is the Julian
 * day number of the local date of a timestamp in that zone (-infinity and
 * infinity have days of their own, before and after every other).
 */
struct pg_tz;
extern struct pg_tz *eng_time_zone(const text *zone);
extern int32 eng_local_day(int64 ts, struct pg_tz *tz);

/*
 * The involvement, interaction, intimacy and influence of a stored
 * engagement state decayed to as_of (score.c), as its accessors give them.
 */
extern void eng_engagement_at(Datum state, TimestampTz as_of, double *decayed);

#endif							/* ENGAGEMENT_H */
