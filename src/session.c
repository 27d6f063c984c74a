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
 * IDENTIFICATION
 *	  src/session.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include "windowapi.h"

typedef struct SessionCtx
{
	bool		started;		/* a non-NULL timestamp has been seen */
	bool		limits_known;	/* gap and max_len hold constant arguments */
	int64		session;		/* current session number */
	TimestampTz last_ts;		/* previous non-NULL timestamp */
	TimestampTz session_start;	/* first timestamp of the current session */
	int64		gap;			/* inactivity gap, microseconds */
	int64		max_len;		/* maximum session length, microseconds */
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

/* Evaluate the gap (and maximum length) arguments on the current row. */
static void
session_read_limits(WindowObject win, SessionCtx *ctx, bool with_max)
{
	bool		isnull;
	Datum		d;

	d = WinGetFuncArgCurrent(win, 1, &isnull);
	if (isnull)
		ereport(ERROR,
				errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				errmsg("session gap must not be NULL"));
	ctx->gap = eng_interval_usecs_positive(DatumGetIntervalP(d), "session gap");
	if (with_max)
	{
		d = WinGetFuncArgCurrent(win, 2, &isnull);
		if (isnull)
			ereport(ERROR,
					errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					errmsg("maximum session length must not be NULL"));
		ctx->max_len = eng_interval_usecs_positive(DatumGetIntervalP(d),
												   "maximum session length");
	}
}

static Datum
session_number_common(FunctionCallInfo fcinfo, bool with_max)
{
	WindowObject win = PG_WINDOW_OBJECT();
	SessionCtx *ctx = WinGetPartitionLocalMemory(win, sizeof(SessionCtx));
	bool		isnull;
	Datum		d;
	TimestampTz ts;

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
		session_read_limits(win, ctx, with_max);
		ctx->limits_known = get_fn_expr_arg_stable(fcinfo->flinfo, 1) &&
			(!with_max || get_fn_expr_arg_stable(fcinfo->flinfo, 2));
	}

	if (!ctx->started)
	{
		ctx->started = true;
		ctx->session = 1;
		ctx->session_start = ts;
	}
	else
	{
		if (ts < ctx->last_ts)
			ereport(ERROR,
					errcode(ERRCODE_WINDOWING_ERROR),
					errmsg("session_number() needs its window ordered by its timestamp argument"),
					errhint("Add ORDER BY on the timestamp to the OVER clause."));
		if (session_longer(ctx->last_ts, ts, ctx->gap) ||
			(with_max && session_longer(ctx->session_start, ts, ctx->max_len)))
		{
			ctx->session++;
			ctx->session_start = ts;
		}
	}
	ctx->last_ts = ts;
	PG_RETURN_INT64(ctx->session);
}

PG_FUNCTION_INFO_V1(engagement_session_number);
Datum
engagement_session_number(PG_FUNCTION_ARGS)
{
	return session_number_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(engagement_session_number_max);
Datum
engagement_session_number_max(PG_FUNCTION_ARGS)
{
	return session_number_common(fcinfo, true);
}
