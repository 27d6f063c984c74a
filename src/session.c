/*-------------------------------------------------------------------------
 *
 * session.c
 *	  The session_number(ts, gap [, max_length]) window function: the number
 *	  of the session of each row of a window ordered by time.
 *
 * A session is a run of rows in which no gap between consecutive timestamps
 * exceeds the inactivity gap (a gap of exactly "gap" continues the session);
 * with a maximum length, a row more than max_length after the first row of
 * its session starts a new one.  Rows with a NULL timestamp belong to no
 * session.
 *
 * The forms of 1.2, session_number(ts, gap, max_length, time_zone [, source])
 * also split as Google Analytics does: at local midnight in a time zone (a
 * row on another local date than the previous row starts a session) and
 * when the source value differs from the previous row's (IS DISTINCT FROM,
 * by the type's default equality operator).  There a NULL max_length or
 * time_zone means no such limit.
 *
 * IDENTIFICATION
 *	  src/session.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "utils/typcache.h"
#include "windowapi.h"

/* what a call of session_number() has besides the timestamp and the gap */
typedef enum SessionForm
{
	SESSION_GAP,				/* (ts, gap) */
	SESSION_MAX,				/* (ts, gap, max_length), max_length required */
	SESSION_TZ,					/* (ts, gap, max_length, time_zone) */
	SESSION_SOURCE				/* (ts, gap, max_length, time_zone, source) */
} SessionForm;

typedef struct SessionCtx
{
	bool		started;		/* a non-NULL timestamp has been seen */
	bool		limits_known;	/* gap and max_len hold constant arguments */
	int64		session;		/* current session number */
	TimestampTz last_ts;		/* previous non-NULL timestamp */
	TimestampTz session_start;	/* first timestamp of the current session */
	int64		gap;			/* inactivity gap, microseconds */
	int64		max_len;		/* maximum session length, microseconds */
	bool		has_max;		/* max_len applies */
	pg_tz	   *tz;				/* split at local midnight here, or NULL */
	int32		last_day;		/* local day of last_ts (with tz) */
	TypeCacheEntry *source_type;	/* the source's type (its equality) */
	bool		source_null;	/* previous row's source is NULL */
	Datum		source;			/* previous row's source (a copy) */
} SessionCtx;

/*
 * Is the time from "from" to "to" (to >= from) longer than "limit" (> 0)?
 * The difference of two finite timestamps can exceed the int64 range, so it
 * is taken as unsigned; an infinite timestamp is infinitely far from any
 * other timestamp and no distance from itself.
 */
static bool
session_longer(TimestampTz from, TimestampTz to, int64 limit)
{
	if (TIMESTAMP_NOT_FINITE(from) || TIMESTAMP_NOT_FINITE(to))
		return from != to;
	return (uint64) to - (uint64) from > (uint64) limit;
}

/* Evaluate the gap, maximum length and time zone arguments on the current row. */
static void
session_read_limits(WindowObject win, SessionCtx *ctx, SessionForm form)
{
	bool		isnull;
	Datum		d;

	d = WinGetFuncArgCurrent(win, 1, &isnull);
	if (isnull)
		ereport(ERROR,
				errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				errmsg("session gap must not be NULL"));
	ctx->gap = eng_interval_usecs_positive(DatumGetIntervalP(d), "session gap");
	ctx->has_max = false;
	if (form != SESSION_GAP)
	{
		d = WinGetFuncArgCurrent(win, 2, &isnull);
		if (isnull && form == SESSION_MAX)
			ereport(ERROR,
					errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					errmsg("maximum session length must not be NULL"));
		if (!isnull)
		{
			ctx->max_len = eng_interval_usecs_positive(DatumGetIntervalP(d),
													   "maximum session length");
			ctx->has_max = true;
		}
	}
	if (form == SESSION_TZ || form == SESSION_SOURCE)
	{
		d = WinGetFuncArgCurrent(win, 3, &isnull);
		ctx->tz = isnull ? NULL : eng_time_zone(DatumGetTextPP(d));
	}
}

/*
 * Does the source of the current row differ from the previous row's?  The
 * previous value is kept in the partition's memory (copied, the old copy
 * freed), so memory does not grow with the rows.
 */
static bool
session_source_changed(FunctionCallInfo fcinfo, WindowObject win,
					   SessionCtx *ctx, bool first)
{
	bool		isnull;
	Datum		d = WinGetFuncArgCurrent(win, 4, &isnull);
	TypeCacheEntry *typ = ctx->source_type;
	bool		changed;

	if (typ == NULL)
	{
		Oid			argtype = get_fn_expr_argtype(fcinfo->flinfo, 4);

		typ = lookup_type_cache(argtype, TYPECACHE_EQ_OPR_FINFO);
		if (!OidIsValid(typ->eq_opr_finfo.fn_oid))
			ereport(ERROR,
					errcode(ERRCODE_UNDEFINED_FUNCTION),
					errmsg("could not identify an equality operator for type %s",
						   format_type_be(argtype)));
		ctx->source_type = typ;
	}
	if (first)
		changed = false;
	else if (isnull || ctx->source_null)
		changed = (isnull != ctx->source_null);
	else
		changed = !DatumGetBool(FunctionCall2Coll(&typ->eq_opr_finfo,
												  PG_GET_COLLATION(),
												  ctx->source, d));
	if (first || changed)
	{
		MemoryContext old;

		if (!ctx->source_null && !typ->typbyval && !first)
			pfree(DatumGetPointer(ctx->source));
		old = MemoryContextSwitchTo(GetMemoryChunkContext(ctx));
		ctx->source_null = isnull;
		ctx->source = isnull ? (Datum) 0 :
			datumCopy(d, typ->typbyval, typ->typlen);
		MemoryContextSwitchTo(old);
	}
	return changed;
}

static Datum
session_number_common(FunctionCallInfo fcinfo, SessionForm form)
{
	WindowObject win = PG_WINDOW_OBJECT();
	SessionCtx *ctx = WinGetPartitionLocalMemory(win, sizeof(SessionCtx));
	bool		isnull;
	Datum		d;
	TimestampTz ts;
	int32		day = 0;
	bool		new_session = false;

	/* only the current row is ever read: the tuplestore may forget the rest */
	WinSetMarkPosition(win, WinGetCurrentPosition(win));

	d = WinGetFuncArgCurrent(win, 0, &isnull);
	if (isnull)
		PG_RETURN_NULL();		/* NULL times belong to no session */
	ts = DatumGetTimestampTz(d);

	/*
	 * Constant limits are read once per partition; limits that may change
	 * from row to row (a column, a volatile expression) are read every row.
	 */
	if (!ctx->limits_known)
	{
		session_read_limits(win, ctx, form);
		ctx->limits_known = get_fn_expr_arg_stable(fcinfo->flinfo, 1) &&
			(form == SESSION_GAP || get_fn_expr_arg_stable(fcinfo->flinfo, 2)) &&
			(form < SESSION_TZ || get_fn_expr_arg_stable(fcinfo->flinfo, 3));
	}
	if (ctx->tz != NULL)
		day = eng_local_day(ts, ctx->tz);

	if (!ctx->started)
	{
		ctx->started = true;
		ctx->session = 1;
		ctx->session_start = ts;
		if (form == SESSION_SOURCE)
			(void) session_source_changed(fcinfo, win, ctx, true);
	}
	else
	{
		if (ts < ctx->last_ts)
			ereport(ERROR,
					errcode(ERRCODE_WINDOWING_ERROR),
					errmsg("session_number() needs its window ordered by its timestamp argument"),
					errhint("Add ORDER BY on the timestamp to the OVER clause."));
		if (session_longer(ctx->last_ts, ts, ctx->gap) ||
			(ctx->has_max && session_longer(ctx->session_start, ts, ctx->max_len)))
			new_session = true;

		/*
		 * The previous row's day; in the zone of this row's arguments when
		 * they may change from row to row.
		 */
		if (ctx->tz != NULL &&
			(ctx->limits_known ? ctx->last_day :
			 eng_local_day(ctx->last_ts, ctx->tz)) != day)
			new_session = true;
		/* always read, to remember this row's source */
		if (form == SESSION_SOURCE &&
			session_source_changed(fcinfo, win, ctx, false))
			new_session = true;
		if (new_session)
		{
			ctx->session++;
			ctx->session_start = ts;
		}
	}
	ctx->last_ts = ts;
	ctx->last_day = day;
	PG_RETURN_INT64(ctx->session);
}

PG_FUNCTION_INFO_V1(engagement_session_number);
Datum
engagement_session_number(PG_FUNCTION_ARGS)
{
	return session_number_common(fcinfo, SESSION_GAP);
}

PG_FUNCTION_INFO_V1(engagement_session_number_max);
Datum
engagement_session_number_max(PG_FUNCTION_ARGS)
{
	return session_number_common(fcinfo, SESSION_MAX);
}

PG_FUNCTION_INFO_V1(engagement_session_number_time_zone);
Datum
engagement_session_number_time_zone(PG_FUNCTION_ARGS)
{
	return session_number_common(fcinfo, SESSION_TZ);
}

PG_FUNCTION_INFO_V1(engagement_session_number_source);
Datum
engagement_session_number_source(PG_FUNCTION_ARGS)
{
	return session_number_common(fcinfo, SESSION_SOURCE);
}
