/*-------------------------------------------------------------------------
 *
 * score.c
 *	  Engagement score: Forrester's four I's (involvement, interaction,
 *	  intimacy, influence) as exponentially decayed sums in the engagement
 *	  state, the score and its explanation; and the RFM summary (rfm state)
 *	  with the lifetimes library's definitions.
 *
 * Decay: an event of value v at time t counts v * 2^(-(as_of - t) / h) at
 * time as_of.  The state keeps, per dimension, the decayed sum at its anchor
 * (the latest event time); a later event moves the anchor and rescales the
 * sums by a factor <= 1, an earlier one is scaled down on the way in.  All
 * factors are at most 1, so nothing overflows, and events decades older
 * than the anchor underflow gracefully to 0.  Merging rescales the state
 * with the earlier anchor, so the result does not depend on merge order
 * (beyond floating-point rounding).
 *
 * IDENTIFICATION
 *	  src/score.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

#define ENGAGEMENT_VERSION		1
#define ENG_NDIM				4

static const char *const eng_dim_names[ENG_NDIM] = {
	"involvement", "interaction", "intimacy", "influence"
};

typedef struct EngagementData
{
	EngStateHeader hdr;
	int64		half_life;		/* microseconds, > 0 */
	int64		first_seen;
	int64		last_seen;		/* the anchor of the sums */
	double		sum[ENG_NDIM];	/* decayed to last_seen */
	int64		count[ENG_NDIM];
	int64		last[ENG_NDIM]; /* latest event per dimension, 0 when none */
} EngagementData;

/*****************************************************************************
 * Helpers
 *****************************************************************************/

/* 2^(-dt / h) for dt >= 0 */
static inline double
eng_decay(int64 dt, int64 h)
{
	return exp2(-((double) dt) / (double) h);
}

static EngagementData *
engagement_new(MemoryContext cxt, int64 half_life, int64 ts)
{
	EngagementData *e = MemoryContextAllocZero(cxt, sizeof(EngagementData));

	eng_init_header(&e->hdr, sizeof(EngagementData), ENGAGEMENT_VERSION, 0);
	e->half_life = half_life;
	e->first_seen = ts;
	e->last_seen = ts;
	return e;
}

/*
 * A half-life in microseconds for messages, independent of IntervalStyle:
 * in the largest of days, hours, minutes, seconds that divides it, else in
 * seconds with a fraction ("7 days", "36 hours", "86400.5 seconds").
 */
static char *
engagement_half_life_text(int64 usecs)
{
	static const struct
	{
		int64		usecs;
		const char *unit;
	}			units[] = {
		{USECS_PER_DAY, "day"}, {USECS_PER_HOUR, "hour"},
		{USECS_PER_MINUTE, "minute"}, {USECS_PER_SEC, "second"}
	};

	for (int i = 0; i < (int) lengthof(units); i++)
		if (usecs % units[i].usecs == 0)
		{
			int64		n = usecs / units[i].usecs;

			return psprintf(INT64_FORMAT " %s%s", n, units[i].unit, n == 1 ? "" : "s");
		}
	{
		char		frac[8];
		int			len;

		/* usecs > 0 here: six digits of microseconds, trailing zeros dropped */
		len = snprintf(frac, sizeof(frac), "%06d", (int) (usecs % USECS_PER_SEC));
		while (len > 1 && frac[len - 1] == '0')
			frac[--len] = '\0';
		return psprintf(INT64_FORMAT ".%s seconds", usecs / USECS_PER_SEC, frac);
	}
}

static void
engagement_check_half_life(const EngagementData *e, int64 half_life)
{
	if (e->half_life != half_life)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("engagement half-lives differ: %s and %s",
					   engagement_half_life_text(e->half_life),
					   engagement_half_life_text(half_life)),
				errhint("Aggregate and merge engagement states with one half-life."));
}

/* move the anchor of e to ts (>= e->last_seen) */
static void
engagement_advance(EngagementData *e, int64 ts)
{
	if (ts > e->last_seen)
	{
		double		f = eng_decay(ts - e->last_seen, e->half_life);

		for (int d = 0; d < ENG_NDIM; d++)
			e->sum[d] *= f;
		e->last_seen = ts;
	}
}

/* a decayed sum that left the float8 range */
static void
engagement_check_sum(double sum, int d)
{
	if (!isfinite(sum))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("engagement %s sum is out of range", eng_dim_names[d]));
}

/* the number of events of all dimensions; false when it overflows int64 */
static bool
engagement_total_events(const EngagementData *e, int64 *total)
{
	*total = 0;
	for (int d = 0; d < ENG_NDIM; d++)
		if (pg_add_s64_overflow(*total, e->count[d], total))
			return false;
	return true;
}

/*
 * count[d] += n, 22003 when the count or the total of all counts leaves the
 * int64 range (events() returns the total, so every state must have one).
 */
static void
engagement_count_add(EngagementData *e, int d, int64 n)
{
	int64		total;

	if (pg_add_s64_overflow(e->count[d], n, &e->count[d]) ||
		!engagement_total_events(e, &total))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("engagement %s count is out of range", eng_dim_names[d]),
				errdetail("The events of a state must add up to at most " INT64_FORMAT ".",
						  PG_INT64_MAX));
}

/* dst += src (same half-life) */
static void
engagement_merge(EngagementData *dst, const EngagementData *src)
{
	double		f;

	engagement_check_half_life(dst, src->half_life);
	engagement_advance(dst, src->last_seen);
	f = eng_decay(dst->last_seen - src->last_seen, dst->half_life);
	for (int d = 0; d < ENG_NDIM; d++)
	{
		dst->sum[d] += src->sum[d] * f;
		engagement_check_sum(dst->sum[d], d);
		if (src->count[d] > 0 && (dst->count[d] == 0 || src->last[d] > dst->last[d]))
			dst->last[d] = src->last[d];
		engagement_count_add(dst, d, src->count[d]);
	}
	dst->first_seen = Min(dst->first_seen, src->first_seen);
}

static void
engagement_validate(const EngagementData *e, EngSource src)
{
	bool		latest = false;
	int64		total;

	eng_check_header(&e->hdr, sizeof(EngagementData), ENGAGEMENT_VERSION, 0,
					 "engagement", src);
	if (e->half_life <= 0 || e->first_seen > e->last_seen ||
		e->first_seen < ENG_MIN_TS || e->last_seen > ENG_MAX_TS)
		ereport(ERROR,
				errcode(eng_source_errcode(src)),
				errmsg("invalid engagement value"),
				errdetail("The half-life or the first and last times are out of range."));
	for (int d = 0; d < ENG_NDIM; d++)
	{
		if (!isfinite(e->sum[d]) || e->count[d] < 0 ||
			(d == 2 && fabs(e->sum[d]) > (double) e->count[d]) ||
			(d != 2 && e->sum[d] != 0.0 && e->count[d] == 0))
			ereport(ERROR,
					errcode(eng_source_errcode(src)),
					errmsg("invalid engagement value"),
					errdetail("The %s sum or count is out of range.", eng_dim_names[d]));
		if (e->count[d] == 0 ? e->last[d] != 0 :
			(e->last[d] < e->first_seen || e->last[d] > e->last_seen))
			ereport(ERROR,
					errcode(eng_source_errcode(src)),
					errmsg("invalid engagement value"),
					errdetail("The last %s event is not between the first and last events.",
							  eng_dim_names[d]));
		if (e->count[d] > 0 && e->last[d] == e->last_seen)
			latest = true;
	}
	if (!latest)
		ereport(ERROR,
				errcode(eng_source_errcode(src)),
				errmsg("invalid engagement value"),
				errdetail("The last event is not the last event of any dimension."));
	if (!engagement_total_events(e, &total))
		ereport(ERROR,
				errcode(eng_source_errcode(src)),
				errmsg("invalid engagement value"),
				errdetail("The event counts add up to more than " INT64_FORMAT ".",
						  PG_INT64_MAX));
}

static EngagementData *
engagement_getarg(FunctionCallInfo fcinfo, int argno)
{
	EngagementData *e = (EngagementData *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	engagement_validate(e, ENG_STORED);
	return e;
}

/* the index of an engagement_dimension enum value, by its label */
static int
engagement_dimension_index(Oid enumval)
{
	HeapTuple	tup = SearchSysCache1(ENUMOID, ObjectIdGetDatum(enumval));
	const char *label;
	int			d;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for enum value %u", enumval);
	label = NameStr(((Form_pg_enum) GETSTRUCT(tup))->enumlabel);
	for (d = 0; d < ENG_NDIM; d++)
		if (strcmp(label, eng_dim_names[d]) == 0)
			break;
	ReleaseSysCache(tup);
	if (d == ENG_NDIM)
		elog(ERROR, "unknown engagement dimension \"%s\"", label);
	return d;
}

/*****************************************************************************
 * Aggregates
 *****************************************************************************/

/*
 * The state argument of a support function, ready to be updated (NULL when
 * it is NULL), and in *cxt the context for a new state: see
 * eng_fixed_state_arg.
 */
static EngagementData *
engagement_state_arg(FunctionCallInfo fcinfo, MemoryContext *cxt)
{
	return eng_fixed_state_arg(fcinfo, sizeof(EngagementData),
							   (EngStateGetter) engagement_getarg, cxt);
}

/*
 * engagement_agg(ts, dimension, value, half_life) transition.  Rows with a
 * NULL time, dimension or value are skipped; a NULL half-life is an error.
 */
PG_FUNCTION_INFO_V1(engagement_engagement_trans);
Datum
engagement_engagement_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	EngagementData *e = engagement_state_arg(fcinfo, &aggcontext);
	int64		ts;
	int64		h;
	int			d;
	double		v;
	Oid		   *cache;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		if (e == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(e);
	}
	if (PG_ARGISNULL(4))
		ereport(ERROR,
				errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				errmsg("engagement half-life must not be NULL"));
	h = eng_interval_usecs_positive(PG_GETARG_INTERVAL_P(4), "engagement half-life");
	ts = PG_GETARG_TIMESTAMPTZ(1);
	eng_check_timestamp(ts, "engagement");
	v = PG_GETARG_FLOAT8(3);
	if (!isfinite(v))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("engagement value must be a finite number"));

	/* enum value -> dimension, cached per call site (OIDs never change) */
	cache = (Oid *) fcinfo->flinfo->fn_extra;
	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(Oid) * 2 * ENG_NDIM);
		fcinfo->flinfo->fn_extra = cache;
	}
	for (d = 0; d < ENG_NDIM; d++)
		if (cache[d] == PG_GETARG_OID(2))
			break;
	if (d == ENG_NDIM)
	{
		d = engagement_dimension_index(PG_GETARG_OID(2));
		cache[d] = PG_GETARG_OID(2);
	}
	if (d == 2 && (v < -1.0 || v > 1.0))
	{
		StringInfoData buf;

		initStringInfo(&buf);
		eng_append_float8(&buf, v);
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("intimacy value %s is out of range", buf.data),
				errdetail("Intimacy is a sentiment between -1 and 1."));
	}

	if (e == NULL)
		e = engagement_new(aggcontext, h, ts);
	else
		engagement_check_half_life(e, h);
	engagement_advance(e, ts);
	e->sum[d] += v * eng_decay(e->last_seen - ts, h);
	engagement_check_sum(e->sum[d], d);
	if (e->count[d] == 0 || ts > e->last[d])
		e->last[d] = ts;
	/* a state can start anywhere (an INITCOND), so even this is checked */
	engagement_count_add(e, d, 1);
	e->first_seen = Min(e->first_seen, ts);
	PG_RETURN_POINTER(e);
}

/*
 * Combine function (strict: nodeAgg copies the first non-null state into
 * the aggregate context itself).
 */
PG_FUNCTION_INFO_V1(engagement_engagement_combine);
Datum
engagement_engagement_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	EngagementData *dst = engagement_state_arg(fcinfo, &aggcontext);

	engagement_merge(dst, engagement_getarg(fcinfo, 1));
	PG_RETURN_POINTER(dst);
}

/* engagement + engagement: the combine function, called directly */
PG_FUNCTION_INFO_V1(engagement_engagement_add);
Datum
engagement_engagement_add(PG_FUNCTION_ARGS)
{
	return engagement_engagement_combine(fcinfo);
}

/* rollup(engagement) transition: NULL inputs are skipped, no rows give NULL */
PG_FUNCTION_INFO_V1(engagement_engagement_rollup_trans);
Datum
engagement_engagement_rollup_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	EngagementData *dst = engagement_state_arg(fcinfo, &aggcontext);
	EngagementData *src;

	if (PG_ARGISNULL(1))
	{
		if (dst == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(dst);
	}
	src = engagement_getarg(fcinfo, 1);
	if (dst == NULL)
	{
		dst = MemoryContextAlloc(aggcontext, sizeof(EngagementData));
		memcpy(dst, src, sizeof(EngagementData));
		PG_RETURN_POINTER(dst);
	}
	engagement_merge(dst, src);
	PG_RETURN_POINTER(dst);
}

PG_FUNCTION_INFO_V1(engagement_engagement_final);
Datum
engagement_engagement_final(PG_FUNCTION_ARGS)
{
	EngagementData *result;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	result = palloc(sizeof(EngagementData));
	memcpy(result, PG_DETOAST_DATUM(PG_GETARG_DATUM(0)), sizeof(EngagementData));
	PG_RETURN_POINTER(result);
}

/*****************************************************************************
 * Text and binary I/O
 *
 *	 (v=1,half_life_usec=604800000000,first=2026-01-05T10:00:00Z,
 *	  last=2026-02-01T09:30:00Z,involvement=12.5:14@2026-02-01T09:30:00Z,
 *	  interaction=3:3@2026-01-20T08:00:00Z,intimacy=0.25:2@2026-01-07T12:00:00Z,
 *	  influence=0:0)
 *
 * Each dimension is its decayed sum at "last", its event count and, when it
 * has events, the time of its latest event after "@".
 *****************************************************************************/

PG_FUNCTION_INFO_V1(engagement_engagement_out);
Datum
engagement_engagement_out(PG_FUNCTION_ARGS)
{
	EngagementData *e = engagement_getarg(fcinfo, 0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(v=%d,half_life_usec=" INT64_FORMAT ",first=",
					 ENGAGEMENT_VERSION, e->half_life);
	eng_append_timestamp(&buf, e->first_seen);
	appendStringInfoString(&buf, ",last=");
	eng_append_timestamp(&buf, e->last_seen);
	for (int d = 0; d < ENG_NDIM; d++)
	{
		appendStringInfo(&buf, ",%s=", eng_dim_names[d]);
		eng_append_float8(&buf, e->sum[d]);
		appendStringInfo(&buf, ":" INT64_FORMAT, e->count[d]);
		if (e->count[d] > 0)
		{
			appendStringInfoChar(&buf, '@');
			eng_append_timestamp(&buf, e->last[d]);
		}
	}
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(engagement_engagement_in);
Datum
engagement_engagement_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	EngTextCursor c;
	EngagementData *e = engagement_new(CurrentMemoryContext, 1, 0);

	eng_cursor_begin(&c, input, "engagement", ENGAGEMENT_VERSION);
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "half_life_usec");
	e->half_life = eng_cursor_int64(&c);
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "first");
	e->first_seen = eng_cursor_timestamp(&c);
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "last");
	e->last_seen = eng_cursor_timestamp(&c);
	for (int d = 0; d < ENG_NDIM; d++)
	{
		eng_cursor_expect(&c, ',');
		eng_cursor_expect_key(&c, eng_dim_names[d]);
		e->sum[d] = eng_cursor_float8(&c);
		eng_cursor_expect(&c, ':');
		e->count[d] = eng_cursor_int64(&c);
		/* the latest event's time follows exactly when there are events */
		if (e->count[d] > 0)
		{
			eng_cursor_expect(&c, '@');
			e->last[d] = eng_cursor_timestamp(&c);
		}
	}
	eng_cursor_expect(&c, ')');
	eng_cursor_expect_end(&c);
	engagement_validate(e, ENG_TEXT);
	PG_RETURN_POINTER(e);
}

PG_FUNCTION_INFO_V1(engagement_engagement_send);
Datum
engagement_engagement_send(PG_FUNCTION_ARGS)
{
	EngagementData *e = engagement_getarg(fcinfo, 0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, ENGAGEMENT_VERSION);
	pq_sendint64(&buf, e->half_life);
	pq_sendint64(&buf, e->first_seen);
	pq_sendint64(&buf, e->last_seen);
	for (int d = 0; d < ENG_NDIM; d++)
	{
		pq_sendfloat8(&buf, e->sum[d]);
		pq_sendint64(&buf, e->count[d]);
		pq_sendint64(&buf, e->last[d]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(engagement_engagement_recv);
Datum
engagement_engagement_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = pq_getmsgbyte(buf);
	EngagementData *e;

	eng_check_version(version, ENGAGEMENT_VERSION, "engagement", ENG_BINARY);
	e = engagement_new(CurrentMemoryContext, 1, 0);
	e->half_life = pq_getmsgint64(buf);
	e->first_seen = pq_getmsgint64(buf);
	e->last_seen = pq_getmsgint64(buf);
	for (int d = 0; d < ENG_NDIM; d++)
	{
		e->sum[d] = pq_getmsgfloat8(buf);
		e->count[d] = pq_getmsgint64(buf);
		e->last[d] = pq_getmsgint64(buf);
	}
	engagement_validate(e, ENG_BINARY);
	PG_RETURN_POINTER(e);
}

/*****************************************************************************
 * Accessors, score and explanation
 *****************************************************************************/

/*
 * Factor from the anchor to as_of, which must not be earlier (-infinity
 * included).  +infinity gives the limit, exactly 0; a finite as_of so far
 * ahead that as_of - last_seen leaves the int64 range is measured in
 * float8 (the factor is then tiny but not necessarily 0: half-lives reach
 * 292,000 years).
 */
static double
engagement_factor(const EngagementData *e, TimestampTz as_of)
{
	int64		dt;

	if (TIMESTAMP_IS_NOEND(as_of))
		return 0.0;
	if (as_of < e->last_seen)
	{
		StringInfoData buf;

		initStringInfo(&buf);
		eng_append_timestamp(&buf, e->last_seen);
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("as_of is earlier than the last event of the engagement state"),
				errdetail("The last event is at %s.", buf.data),
				errhint("Use as_of >= last_seen(state), for instance greatest(now(), last_seen(state))."));
	}
	if (pg_sub_s64_overflow(as_of, e->last_seen, &dt))
		return exp2(-((double) as_of - (double) e->last_seen) / (double) e->half_life);
	return eng_decay(dt, e->half_life);
}

/* a sum decayed by factor f: a negative sum decayed to nothing is 0, not -0 */
static inline double
engagement_decayed(double sum, double f)
{
	double		v = sum * f;

	return (v == 0.0) ? 0.0 : v;
}

/*
 * The four decayed dimensions of a stored engagement state at as_of, as the
 * accessors compute them (the same checks and errors): for learn.c.
 */
void
eng_engagement_at(Datum state, TimestampTz as_of, double *decayed)
{
	EngagementData *e = (EngagementData *) PG_DETOAST_DATUM(state);
	double		f;

	engagement_validate(e, ENG_STORED);
	f = engagement_factor(e, as_of);
	for (int d = 0; d < ENG_NDIM; d++)
		decayed[d] = engagement_decayed(e->sum[d], f);
}

static Datum
engagement_dimension_at(FunctionCallInfo fcinfo, int d)
{
	EngagementData *e = engagement_getarg(fcinfo, 0);

	PG_RETURN_FLOAT8(engagement_decayed(e->sum[d],
										engagement_factor(e, PG_GETARG_TIMESTAMPTZ(1))));
}

PG_FUNCTION_INFO_V1(engagement_involvement);
Datum
engagement_involvement(PG_FUNCTION_ARGS)
{
	return engagement_dimension_at(fcinfo, 0);
}

PG_FUNCTION_INFO_V1(engagement_interaction);
Datum
engagement_interaction(PG_FUNCTION_ARGS)
{
	return engagement_dimension_at(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(engagement_intimacy);
Datum
engagement_intimacy(PG_FUNCTION_ARGS)
{
	return engagement_dimension_at(fcinfo, 2);
}

PG_FUNCTION_INFO_V1(engagement_influence);
Datum
engagement_influence(PG_FUNCTION_ARGS)
{
	return engagement_dimension_at(fcinfo, 3);
}

PG_FUNCTION_INFO_V1(engagement_last_seen);
Datum
engagement_last_seen(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(engagement_getarg(fcinfo, 0)->last_seen);
}

PG_FUNCTION_INFO_V1(engagement_first_seen);
Datum
engagement_first_seen(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(engagement_getarg(fcinfo, 0)->first_seen);
}

PG_FUNCTION_INFO_V1(engagement_events);
Datum
engagement_events(PG_FUNCTION_ARGS)
{
	int64		n;

	/* cannot fail: every valid state's total fits (engagement_validate) */
	(void) engagement_total_events(engagement_getarg(fcinfo, 0), &n);
	PG_RETURN_INT64(n);
}

static void
engagement_weights(ArrayType *arr, double *w)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("engagement weights must be a one-dimensional array"));
	/* count before deconstructing: a huge array is refused without copying */
	n = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	if (n == ENG_NDIM)
		deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
						  &elems, &nulls, &n);
	if (n != ENG_NDIM)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("engagement weights must have 4 elements, not %d", n),
				errhint("Give weights for involvement, interaction, intimacy and influence."));
	for (int d = 0; d < ENG_NDIM; d++)
	{
		if (nulls[d])
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("engagement weights must not contain NULLs"));
		w[d] = DatumGetFloat8(elems[d]);
		if (!isfinite(w[d]) || w[d] < 0.0)
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("engagement weights must be finite and not negative"));
	}
}

static double
engagement_scale(double scale)
{
	if (!isfinite(scale) || scale <= 0.0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("engagement score scale must be a positive number"));
	return scale;
}

/*
 * x = sum_d w_d * D_d(as_of), score = 100 * (1 - exp(-max(x, 0) / scale)).
 * decayed[] and x are returned for the explanation.
 */
static double
engagement_compute(const EngagementData *e, TimestampTz as_of, const double *w,
				   double scale, double *decayed, double *x)
{
	double		f = engagement_factor(e, as_of);

	*x = 0.0;
	for (int d = 0; d < ENG_NDIM; d++)
	{
		decayed[d] = engagement_decayed(e->sum[d], f);
		*x += w[d] * decayed[d];
	}
	if (!isfinite(*x))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("weighted engagement is out of range"),
				errhint("Use smaller weights."));
	return 100.0 * (1.0 - exp(-Max(*x, 0.0) / scale));
}

PG_FUNCTION_INFO_V1(engagement_score);
Datum
engagement_score(PG_FUNCTION_ARGS)
{
	EngagementData *e = engagement_getarg(fcinfo, 0);
	double		w[ENG_NDIM];
	double		decayed[ENG_NDIM];
	double		x;

	engagement_weights(PG_GETARG_ARRAYTYPE_P(2), w);
	PG_RETURN_FLOAT8(engagement_compute(e, PG_GETARG_TIMESTAMPTZ(1), w,
										engagement_scale(PG_GETARG_FLOAT8(3)),
										decayed, &x));
}

/*
 * engagement_explain(e, as_of, weights, scale) -> SETOF (dimension,
 * decayed_value, weight, contribution, events, last_seen): the score split
 * between the dimensions in proportion to their weighted values (the
 * contributions of a positive x sum to the score); last_seen is NULL for a
 * dimension without events.
 */
PG_FUNCTION_INFO_V1(engagement_explain);
Datum
engagement_explain(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	EngagementData *e = engagement_getarg(fcinfo, 0);
	double		w[ENG_NDIM];
	double		decayed[ENG_NDIM];
	double		x;
	double		score;
	Oid			dimtype;

	engagement_weights(PG_GETARG_ARRAYTYPE_P(2), w);
	score = engagement_compute(e, PG_GETARG_TIMESTAMPTZ(1), w,
							   engagement_scale(PG_GETARG_FLOAT8(3)), decayed, &x);
	InitMaterializedSRF(fcinfo, 0);
	/* the OUT column's type is the extension's engagement_dimension enum */
	dimtype = TupleDescAttr(rsinfo->setDesc, 0)->atttypid;
	for (int d = 0; d < ENG_NDIM; d++)
	{
		Datum		values[6];
		bool		nulls[6] = {false, false, false, false, false, false};

		values[0] = DirectFunctionCall2(enum_in, CStringGetDatum(eng_dim_names[d]),
										ObjectIdGetDatum(dimtype));
		values[1] = Float8GetDatum(decayed[d]);
		values[2] = Float8GetDatum(w[d]);
		values[3] = Float8GetDatum(x > 0.0 ? engagement_decayed(score, w[d] * decayed[d] / x) : 0.0);
		values[4] = Int64GetDatum(e->count[d]);
		values[5] = TimestampTzGetDatum(e->last[d]);
		nulls[5] = (e->count[d] == 0);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*****************************************************************************
 * JSON form: {"version": 1, "half_life_usec": n, "first_seen": t,
 * "last_seen": t, "involvement": {"value": x, "events": n, "last_event": t or
 * null}, "interaction": {...}, "intimacy": {...}, "influence": {...}}; each
 * value is the sum decayed to last_seen, as in the text form
 *****************************************************************************/

static Datum
engagement_json(FunctionCallInfo fcinfo, bool jsonb)
{
	EngagementData *e = engagement_getarg(fcinfo, 0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"half_life_usec\": " INT64_FORMAT
					 ", \"first_seen\": ", ENGAGEMENT_VERSION, e->half_life);
	eng_json_timestamp(&buf, e->first_seen);
	appendStringInfoString(&buf, ", \"last_seen\": ");
	eng_json_timestamp(&buf, e->last_seen);
	for (int d = 0; d < ENG_NDIM; d++)
	{
		appendStringInfo(&buf, ", \"%s\": {\"value\": ", eng_dim_names[d]);
		eng_append_float8(&buf, e->sum[d]);
		appendStringInfo(&buf, ", \"events\": " INT64_FORMAT ", \"last_event\": ",
						 e->count[d]);
		if (e->count[d] > 0)
			eng_json_timestamp(&buf, e->last[d]);
		else
			appendStringInfoString(&buf, "null");
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoChar(&buf, '}');
	return eng_json_result(&buf, jsonb);
}

ENG_JSON_CASTS(engagement_engagement, engagement_json)
