/*-------------------------------------------------------------------------
 *
 * nps.c
 *	  Net Promoter Score: the npsagg state type, its aggregates (nps,
 *	  nps_agg, rollup), moving-aggregate support, accessors with
 *	  confidence intervals and the two-sample comparison.
 *
 * A response scores 0..10: 9-10 is a promoter, 7-8 a passive, 0-6 a
 * detractor.  NPS = 100 * (p_P - p_D).  The variance of one response's
 * score on the -1..1 scale is p_P + p_D - (p_P - p_D)^2; the standard error
 * divides it by n, or by Kish's effective sample size (sum w)^2 / sum w^2
 * for weighted states.
 *
 * IDENTIFICATION
 *	  src/nps.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include <float.h>
#include <math.h>

#include "access/htup_details.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "nodes/nodes.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

#define NPSAGG_VERSION		1
#define NPSAGG_WEIGHTED		0x01	/* the weight fields are in use */
#define NPSAGG_VALID_FLAGS	NPSAGG_WEIGHTED

/* Accepted weights: zero (row dropped) or within these bounds. */
#define NPS_MIN_WEIGHT		1e-100
#define NPS_MAX_WEIGHT		1e100

enum
{
	NPS_PROMOTER = 0,
	NPS_PASSIVE = 1,
	NPS_DETRACTOR = 2
};

typedef struct NpsAgg
{
	EngStateHeader hdr;
	int64		n[3];			/* responses per category */
	double		w[3];			/* sum of weights per category (weighted) */
	double		w2;				/* sum of squared weights (weighted) */
} NpsAgg;

#define DatumGetNpsAggP(d)	((NpsAgg *) PG_DETOAST_DATUM(d))
#define PG_GETARG_NPSAGG_P(n)	DatumGetNpsAggP(PG_GETARG_DATUM(n))

static const char *const nps_category_names[3] = {
	"promoters", "passives", "detractors"
};
static const char *const nps_weight_names[3] = {
	"promoter_weight", "passive_weight", "detractor_weight"
};

/* score -> category */
static const uint8 nps_category[11] = {
	NPS_DETRACTOR, NPS_DETRACTOR, NPS_DETRACTOR, NPS_DETRACTOR,
	NPS_DETRACTOR, NPS_DETRACTOR, NPS_DETRACTOR,
	NPS_PASSIVE, NPS_PASSIVE,
	NPS_PROMOTER, NPS_PROMOTER
};

static NpsAgg *
nps_new(MemoryContext cxt, uint8 flags)
{
	NpsAgg	   *st = MemoryContextAllocZero(cxt, sizeof(NpsAgg));

	eng_init_header(&st->hdr, sizeof(NpsAgg), NPSAGG_VERSION, flags);
	return st;
}

static inline int
nps_classify(int32 score)
{
	if (score < 0 || score > 10)
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("NPS score %d is out of range", score),
				errdetail("Scores must be integers between 0 and 10."));
	return nps_category[score];
}

pg_attribute_noreturn() static void
nps_count_overflow(void)
{
	ereport(ERROR,
			errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			errmsg("nps_summary response count is out of range"),
			errdetail("The responses of a state must add up to at most %lld.",
					  (long long) PG_INT64_MAX));
}

/*
 * The number of responses.  Checked: the transition function counts each
 * category without adding them up, so the final functions check the total
 * before a state is stored.
 */
static int64
nps_total(const NpsAgg *st)
{
	int64		total;

	if (pg_add_s64_overflow(st->n[0], st->n[1], &total) ||
		pg_add_s64_overflow(total, st->n[2], &total))
		nps_count_overflow();
	return total;
}

/* 22003 unless each weight sum, their total and w2 are finite */
static void
nps_check_weights(const NpsAgg *st)
{
	if (!isfinite(st->w[0]) || !isfinite(st->w[1]) || !isfinite(st->w[2]) ||
		!isfinite(st->w2) || !isfinite(st->w[0] + st->w[1] + st->w[2]))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("nps_summary weight sum is out of range"),
				errdetail("The weights, their sum and the sum of their squares must stay below %g.",
						  DBL_MAX));
}

/*
 * Check everything a state read from outside (text, binary, a table) must
 * satisfy, so that accessors can trust it.
 */
static void
nps_validate(const NpsAgg *st, EngSource src)
{
	int64		total = 0;

	eng_check_header(&st->hdr, sizeof(NpsAgg), NPSAGG_VERSION,
					 NPSAGG_VALID_FLAGS, "nps_summary", src);

	for (int i = 0; i < 3; i++)
	{
		if (st->n[i] < 0)
			ereport(ERROR,
					errcode(eng_source_errcode(src)),
					errmsg("invalid nps_summary value"),
					errdetail("The count of %s is negative.",
							  nps_category_names[i]));
		if (pg_add_s64_overflow(total, st->n[i], &total))
			nps_count_overflow();
	}

	if (st->hdr.flags & NPSAGG_WEIGHTED)
	{
		double		wsum = 0.0;

		for (int i = 0; i < 3; i++)
		{
			if (!isfinite(st->w[i]) || st->w[i] < 0.0 ||
				(st->w[i] > 0.0) != (st->n[i] > 0))
				ereport(ERROR,
						errcode(eng_source_errcode(src)),
						errmsg("invalid nps_summary value"),
						errdetail("The %s must be a finite number, positive exactly when there are %s.",
								  nps_weight_names[i], nps_category_names[i]));
			wsum += st->w[i];
		}

		/*
		 * Cauchy-Schwarz: (sum w)^2 / n <= sum w^2 <= (sum w)^2, divided by
		 * sum w so that no side overflows (sum w > 0 when there are
		 * responses).
		 */
		if (!isfinite(wsum) || !isfinite(st->w2) || st->w2 < 0.0 ||
			(st->w2 > 0.0) != (total > 0) ||
			(total > 0 &&
			 (st->w2 / wsum > wsum * (1.0 + 1e-6) ||
			  st->w2 / wsum < wsum / (double) total * (1.0 - 1e-6))))
			ereport(ERROR,
					errcode(eng_source_errcode(src)),
					errmsg("invalid nps_summary value"),
					errdetail("The weight_squares value is inconsistent with the weights."));
	}
	else if (st->w[0] != 0.0 || st->w[1] != 0.0 || st->w[2] != 0.0 ||
			 st->w2 != 0.0)
		ereport(ERROR,
				errcode(eng_source_errcode(src)),
				errmsg("invalid nps_summary value"),
				errdetail("An unweighted state carries weights."));
}

/*
 * A state argument as read from a table or another function: detoasted and
 * checked.
 */
static NpsAgg *
nps_getarg(FunctionCallInfo fcinfo, int argno)
{
	NpsAgg	   *st = PG_GETARG_NPSAGG_P(argno);

	nps_validate(st, ENG_STORED);
	return st;
}

/* View an unweighted state as a weighted one: every response weighs 1. */
static void
nps_make_weighted(NpsAgg *st)
{
	if (st->hdr.flags & NPSAGG_WEIGHTED)
		return;
	for (int i = 0; i < 3; i++)
		st->w[i] = (double) st->n[i];
	st->w2 = (double) nps_total(st);
	st->hdr.flags |= NPSAGG_WEIGHTED;
}

/*
 * dst += src; an unweighted side counts every response with weight 1.  Every
 * sum is checked (22003), so a merged state can always be stored and read.
 */
static void
nps_merge(NpsAgg *dst, const NpsAgg *src)
{
	NpsAgg		sum = *dst;

	if ((dst->hdr.flags | src->hdr.flags) & NPSAGG_WEIGHTED)
	{
		NpsAgg		tmp = *src;

		nps_make_weighted(&sum);
		nps_make_weighted(&tmp);
		for (int i = 0; i < 3; i++)
			sum.w[i] += tmp.w[i];
		sum.w2 += tmp.w2;
		nps_check_weights(&sum);
	}
	for (int i = 0; i < 3; i++)
		if (pg_add_s64_overflow(sum.n[i], src->n[i], &sum.n[i]))
			nps_count_overflow();
	(void) nps_total(&sum);
	memcpy(dst, &sum, sizeof(NpsAgg));
}

/*
 * Proportions of promoters and detractors and the (effective) sample size.
 * Returns false for an empty state.
 */
static bool
nps_props(const NpsAgg *st, double *pp, double *pd, double *neff)
{
	if (st->hdr.flags & NPSAGG_WEIGHTED)
	{
		double		wsum = st->w[0] + st->w[1] + st->w[2];

		if (wsum <= 0.0)
			return false;
		*pp = st->w[NPS_PROMOTER] / wsum;
		*pd = st->w[NPS_DETRACTOR] / wsum;
		*neff = (wsum / st->w2) * wsum;
	}
	else
	{
		int64		n = nps_total(st);

		if (n == 0)
			return false;
		*pp = (double) st->n[NPS_PROMOTER] / (double) n;
		*pd = (double) st->n[NPS_DETRACTOR] / (double) n;
		*neff = (double) n;
	}
	return true;
}

/* Variance of one response's score on the -1..1 scale. */
static double
nps_unit_variance(double pp, double pd)
{
	double		v = pp + pd - (pp - pd) * (pp - pd);

	return (v > 0.0) ? v : 0.0;
}

/* NPS points and standard error in points; false for an empty state. */
static bool
nps_estimate(const NpsAgg *st, double *points, double *se)
{
	double		pp,
				pd,
				neff;

	if (!nps_props(st, &pp, &pd, &neff))
		return false;

	/*
	 * 100 * difference / total, the difference first, so that e.g. 3 of 7
	 * against 1 of 7 is exact.  For counts (and integer weights) this is
	 * correctly rounded: 100 * difference is exact below 2^53.  It lies in
	 * [-100, 100] for counts because rounding is monotonic; weights can step
	 * out by the rounding of 100 * difference (one promoter of weight 1e-100
	 * gives 100.00000000000001 or 99.99999999999999), so all answers in one
	 * category are exactly +-100 and the clamp removes the rest.
	 */
	if (st->hdr.flags & NPSAGG_WEIGHTED)
	{
		double		diff = st->w[NPS_PROMOTER] - st->w[NPS_DETRACTOR];
		double		total = st->w[0] + st->w[1] + st->w[2];

		if (fabs(diff) == total)
			*points = (diff > 0.0) ? 100.0 : -100.0;
		else
			*points = 100.0 * diff / total;
	}
	else
		*points = 100.0 * (double) (st->n[NPS_PROMOTER] - st->n[NPS_DETRACTOR]) /
			(double) nps_total(st);
	*points = Max(-100.0, Min(100.0, *points));
	*se = 100.0 * sqrt(nps_unit_variance(pp, pd) / neff);
	return true;
}

/*****************************************************************************
 * Type I/O
 *****************************************************************************/

PG_FUNCTION_INFO_V1(engagement_npsagg_in);
Datum
engagement_npsagg_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	EngTextCursor c;
	NpsAgg	   *st = nps_new(CurrentMemoryContext, 0);

	eng_cursor_begin(&c, input, "nps_summary", NPSAGG_VERSION);
	for (int i = 0; i < 3; i++)
	{
		eng_cursor_expect(&c, ',');
		eng_cursor_expect_key(&c, nps_category_names[i]);
		st->n[i] = eng_cursor_int64(&c);
	}
	if (eng_cursor_accept(&c, ','))
	{
		st->hdr.flags |= NPSAGG_WEIGHTED;
		for (int i = 0; i < 3; i++)
		{
			if (i > 0)
				eng_cursor_expect(&c, ',');
			eng_cursor_expect_key(&c, nps_weight_names[i]);
			st->w[i] = eng_cursor_float8(&c);
		}
		eng_cursor_expect(&c, ',');
		eng_cursor_expect_key(&c, "weight_squares");
		st->w2 = eng_cursor_float8(&c);
	}
	eng_cursor_expect(&c, ')');
	eng_cursor_expect_end(&c);

	nps_validate(st, ENG_TEXT);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(engagement_npsagg_out);
Datum
engagement_npsagg_out(PG_FUNCTION_ARGS)
{
	NpsAgg	   *st = nps_getarg(fcinfo, 0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(v=%d", NPSAGG_VERSION);
	for (int i = 0; i < 3; i++)
		appendStringInfo(&buf, ",%s=" INT64_FORMAT, nps_category_names[i],
						 st->n[i]);
	if (st->hdr.flags & NPSAGG_WEIGHTED)
	{
		for (int i = 0; i < 3; i++)
		{
			appendStringInfo(&buf, ",%s=", nps_weight_names[i]);
			eng_append_float8(&buf, st->w[i]);
		}
		appendStringInfoString(&buf, ",weight_squares=");
		eng_append_float8(&buf, st->w2);
	}
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: version byte, flags byte, three int64 counts, and for a
 * weighted state four float8 (three weight sums, sum of squares).
 */
PG_FUNCTION_INFO_V1(engagement_npsagg_recv);
Datum
engagement_npsagg_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	NpsAgg	   *st = nps_new(CurrentMemoryContext, 0);
	int			version = pq_getmsgbyte(buf);
	int			flags = pq_getmsgbyte(buf);

	eng_check_version(version, NPSAGG_VERSION, "nps_summary", ENG_BINARY);
	if ((flags & ~NPSAGG_VALID_FLAGS) != 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				errmsg("invalid nps_summary flags %d", flags));
	st->hdr.flags = (uint8) flags;
	for (int i = 0; i < 3; i++)
		st->n[i] = pq_getmsgint64(buf);
	if (flags & NPSAGG_WEIGHTED)
	{
		for (int i = 0; i < 3; i++)
			st->w[i] = pq_getmsgfloat8(buf);
		st->w2 = pq_getmsgfloat8(buf);
	}
	nps_validate(st, ENG_BINARY);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(engagement_npsagg_send);
Datum
engagement_npsagg_send(PG_FUNCTION_ARGS)
{
	NpsAgg	   *st = nps_getarg(fcinfo, 0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, NPSAGG_VERSION);
	pq_sendbyte(&buf, st->hdr.flags);
	for (int i = 0; i < 3; i++)
		pq_sendint64(&buf, st->n[i]);
	if (st->hdr.flags & NPSAGG_WEIGHTED)
	{
		for (int i = 0; i < 3; i++)
			pq_sendfloat8(&buf, st->w[i]);
		pq_sendfloat8(&buf, st->w2);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*****************************************************************************
 * Aggregate support
 *****************************************************************************/

/*
 * True when called by nodeAgg or nodeWindowAgg: the inline form of
 * AggCheckCallContext() for the per-row path, where the state already
 * exists and its memory context is not needed.
 */
static inline bool
nps_in_aggregate(FunctionCallInfo fcinfo)
{
	return fcinfo->context != NULL &&
		(IsA(fcinfo->context, AggState) || IsA(fcinfo->context, WindowAggState));
}

/*
 * The state argument of a support function, ready to be updated (see
 * eng_fixed_state_arg); a new state with new_flags when it is NULL.
 */
static NpsAgg *
nps_state_arg(FunctionCallInfo fcinfo, uint8 new_flags)
{
	MemoryContext cxt;
	NpsAgg	   *st = eng_fixed_state_arg(fcinfo, sizeof(NpsAgg),
										 (EngStateGetter) nps_getarg, &cxt);

	return st != NULL ? st : nps_new(cxt, new_flags);
}

/*
 * nps_agg(integer) / nps(integer) transition, also the moving-aggregate
 * forward function: the state is created on the first call, even for a NULL
 * score, because a moving-aggregate transition must not return NULL.
 *
 * This is the hot path of nps(score): one branch for the common case, a
 * table lookup, a checked increment (a state can start from any valid value,
 * an INITCOND for instance).  The total is checked by the final functions.
 */
PG_FUNCTION_INFO_V1(engagement_nps_trans);
Datum
engagement_nps_trans(PG_FUNCTION_ARGS)
{
	NpsAgg	   *st;
	bool		direct = false;

	if (likely(!PG_ARGISNULL(0) && nps_in_aggregate(fcinfo) &&
			   !VARATT_IS_EXTENDED(PG_GETARG_POINTER(0))))
		st = (NpsAgg *) PG_GETARG_POINTER(0);
	else
	{
		st = nps_state_arg(fcinfo, 0);
		direct = !nps_in_aggregate(fcinfo);
	}

	if (likely(!PG_ARGISNULL(1)))
	{
		int32		score = PG_GETARG_INT32(1);

		if (unlikely((uint32) score > 10))
			(void) nps_classify(score); /* raises the out-of-range error */
		if (unlikely(pg_add_s64_overflow(st->n[nps_category[score]], 1,
										 &st->n[nps_category[score]])))
			nps_count_overflow();
		/* a weighted state (an INITCOND) counts it with weight 1 */
		if (unlikely(st->hdr.flags & NPSAGG_WEIGHTED))
		{
			st->w[nps_category[score]] += 1.0;
			st->w2 += 1.0;
			nps_check_weights(st);
		}
		/* called as a plain function, the result is a value: check it whole */
		if (unlikely(direct))
			(void) nps_total(st);
	}
	PG_RETURN_POINTER(st);
}

/*
 * Errors of the inverse functions, which a user-defined moving aggregate can
 * call with any state.
 */
pg_attribute_noreturn() static void
nps_null_state(const char *funcname)
{
	ereport(ERROR,
			errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			errmsg("%s needs a state, not NULL", funcname));
}

pg_attribute_noreturn() static void
nps_inverse_error(void)
{
	ereport(ERROR,
			errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			errmsg("nps_summary inverse transition removed responses never added"));
}

/* Moving-aggregate inverse: remove one score (exact, counts only). */
PG_FUNCTION_INFO_V1(engagement_nps_inv);
Datum
engagement_nps_inv(PG_FUNCTION_ARGS)
{
	NpsAgg	   *st;

	if (PG_ARGISNULL(0))
		nps_null_state("nps_inv");
	st = nps_state_arg(fcinfo, 0);
	/* weights cannot be removed exactly: NULL makes the frame recomputed */
	if (st->hdr.flags & NPSAGG_WEIGHTED)
		PG_RETURN_NULL();
	if (!PG_ARGISNULL(1))
	{
		int			cat = nps_classify(PG_GETARG_INT32(1));

		if (st->n[cat] <= 0)
			nps_inverse_error();
		st->n[cat]--;
	}
	PG_RETURN_POINTER(st);
}

/* nps_agg(integer, double precision) transition. */
PG_FUNCTION_INFO_V1(engagement_nps_wtrans);
Datum
engagement_nps_wtrans(PG_FUNCTION_ARGS)
{
	NpsAgg	   *st = nps_state_arg(fcinfo, NPSAGG_WEIGHTED);
	int			cat;
	double		w;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	cat = nps_classify(PG_GETARG_INT32(1));
	if (PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);

	w = PG_GETARG_FLOAT8(2);
	if (isnan(w) || isinf(w))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("NPS weight must be a finite number"),
				errdetail("The weight given was %g.", w));
	if (w < 0.0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("NPS weight must not be negative"),
				errdetail("The weight given was %g.", w));
	if (w == 0.0)
		PG_RETURN_POINTER(st);	/* zero weight: the response is dropped */
	if (w < NPS_MIN_WEIGHT || w > NPS_MAX_WEIGHT)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("NPS weight %g is out of range", w),
				errdetail("Weights must be zero or between %g and %g.",
						  NPS_MIN_WEIGHT, NPS_MAX_WEIGHT));

	nps_make_weighted(st);
	if (pg_add_s64_overflow(st->n[cat], 1, &st->n[cat]))
		nps_count_overflow();
	(void) nps_total(st);
	st->w[cat] += w;
	st->w2 += w * w;
	nps_check_weights(st);
	PG_RETURN_POINTER(st);
}

/*
 * Combine function (strict: nodeAgg copies the first non-null state into
 * the aggregate context itself).
 */
PG_FUNCTION_INFO_V1(engagement_nps_combine);
Datum
engagement_nps_combine(PG_FUNCTION_ARGS)
{
	NpsAgg	   *st = nps_state_arg(fcinfo, 0);

	nps_merge(st, nps_getarg(fcinfo, 1));
	PG_RETURN_POINTER(st);
}

/*
 * rollup(npsagg) transition and moving-aggregate forward function: never
 * returns NULL (see engagement_nps_trans).
 */
PG_FUNCTION_INFO_V1(engagement_nps_rollup_trans);
Datum
engagement_nps_rollup_trans(PG_FUNCTION_ARGS)
{
	NpsAgg	   *st = nps_state_arg(fcinfo, 0);

	if (!PG_ARGISNULL(1))
		nps_merge(st, nps_getarg(fcinfo, 1));
	PG_RETURN_POINTER(st);
}

/*
 * rollup(npsagg) inverse: exact for unweighted states.  Weighted sums are
 * not subtracted (floating-point removal is not exact): returning NULL makes
 * the window machinery recompute the frame.
 */
PG_FUNCTION_INFO_V1(engagement_nps_rollup_inv);
Datum
engagement_nps_rollup_inv(PG_FUNCTION_ARGS)
{
	NpsAgg	   *st;
	NpsAgg	   *src;

	if (PG_ARGISNULL(0))
		nps_null_state("nps_rollup_inv");
	st = nps_state_arg(fcinfo, 0);
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	src = nps_getarg(fcinfo, 1);
	if ((st->hdr.flags | src->hdr.flags) & NPSAGG_WEIGHTED)
		PG_RETURN_NULL();
	for (int i = 0; i < 3; i++)
	{
		if (st->n[i] < src->n[i])
			nps_inverse_error();
		st->n[i] -= src->n[i];
	}
	PG_RETURN_POINTER(st);
}

/* Final function of nps(integer): NPS points, NULL without responses. */
PG_FUNCTION_INFO_V1(engagement_nps_final);
Datum
engagement_nps_final(PG_FUNCTION_ARGS)
{
	NpsAgg	   *st;
	double		points,
				se;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (NpsAgg *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	if (!nps_estimate(st, &points, &se))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(points);
}

/*
 * Final function of nps_agg and rollup: a copy of the state (the window
 * machinery may keep updating the original), NULL without responses.
 */
PG_FUNCTION_INFO_V1(engagement_nps_agg_final);
Datum
engagement_nps_agg_final(PG_FUNCTION_ARGS)
{
	NpsAgg	   *st;
	NpsAgg	   *result;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (NpsAgg *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	if (nps_total(st) == 0)
		PG_RETURN_NULL();
	result = palloc(sizeof(NpsAgg));
	memcpy(result, st, sizeof(NpsAgg));
	PG_RETURN_POINTER(result);
}

/*****************************************************************************
 * Operators and accessors
 *****************************************************************************/

/* npsagg + npsagg */
PG_FUNCTION_INFO_V1(engagement_npsagg_add);
Datum
engagement_npsagg_add(PG_FUNCTION_ARGS)
{
	NpsAgg	   *a = nps_getarg(fcinfo, 0);
	NpsAgg	   *b = nps_getarg(fcinfo, 1);
	NpsAgg	   *result = palloc(sizeof(NpsAgg));

	memcpy(result, a, sizeof(NpsAgg));
	nps_merge(result, b);
	PG_RETURN_POINTER(result);
}

PG_FUNCTION_INFO_V1(engagement_npsagg_nps);
Datum
engagement_npsagg_nps(PG_FUNCTION_ARGS)
{
	double		points,
				se;

	if (!nps_estimate(nps_getarg(fcinfo, 0), &points, &se))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(points);
}

PG_FUNCTION_INFO_V1(engagement_npsagg_promoters);
Datum
engagement_npsagg_promoters(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(nps_getarg(fcinfo, 0)->n[NPS_PROMOTER]);
}

PG_FUNCTION_INFO_V1(engagement_npsagg_passives);
Datum
engagement_npsagg_passives(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(nps_getarg(fcinfo, 0)->n[NPS_PASSIVE]);
}

PG_FUNCTION_INFO_V1(engagement_npsagg_detractors);
Datum
engagement_npsagg_detractors(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(nps_getarg(fcinfo, 0)->n[NPS_DETRACTOR]);
}

PG_FUNCTION_INFO_V1(engagement_npsagg_responses);
Datum
engagement_npsagg_responses(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(nps_total(nps_getarg(fcinfo, 0)));
}

PG_FUNCTION_INFO_V1(engagement_npsagg_effective_responses);
Datum
engagement_npsagg_effective_responses(PG_FUNCTION_ARGS)
{
	double		pp,
				pd,
				neff;

	if (!nps_props(nps_getarg(fcinfo, 0), &pp, &pd, &neff))
		PG_RETURN_FLOAT8(0.0);
	PG_RETURN_FLOAT8(neff);
}

PG_FUNCTION_INFO_V1(engagement_npsagg_stderr);
Datum
engagement_npsagg_stderr(PG_FUNCTION_ARGS)
{
	double		points,
				se;

	if (!nps_estimate(nps_getarg(fcinfo, 0), &points, &se))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(se);
}

/*
 * Finite population correction sqrt((N - n) / (N - 1)) of a survey of n
 * respondents out of a population of N.  n is the number of respondents
 * (responses(), the sampling fraction n / N), also for weighted states: the
 * weights change the variance through Kish's effective n, the sampling
 * fraction is still that of the people asked, so that a census (n = N) has
 * no sampling error whatever its weights.  N < n is 22023.
 */
static double
nps_fpc(const NpsAgg *st, int64 population)
{
	int64		n = nps_total(st);

	if (population < n)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("NPS population size must not be smaller than the number of responses"),
				errdetail("The population size is " INT64_FORMAT ", the survey has " INT64_FORMAT " responses.",
						  population, n));
	if (population == n)
		return 0.0;
	/* N > n >= 0, so N - 1 >= n >= 0; N = 1 only with n = 0 (no estimate) */
	if (population == 1)
		return 1.0;
	return sqrt((double) (population - n) / (double) (population - 1));
}

PG_FUNCTION_INFO_V1(engagement_nps_summary_std_error_fpc);
Datum
engagement_nps_summary_std_error_fpc(PG_FUNCTION_ARGS)
{
	NpsAgg	   *st = nps_getarg(fcinfo, 0);
	double		fpc = nps_fpc(st, PG_GETARG_INT64(1));
	double		points,
				se;

	if (!nps_estimate(st, &points, &se))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(se * fpc);
}

/*
 * Margin of error and interval bounds at a confidence level.  which: 0 the
 * margin, -1 the lower bound, +1 the upper bound (bounds clamped to
 * [-100, 100]).  A third argument is the population size (1.2): the
 * standard error gets the finite population correction.
 */
static Datum
nps_interval_common(FunctionCallInfo fcinfo, int which)
{
	NpsAgg	   *st = nps_getarg(fcinfo, 0);
	double		z = eng_confidence_z(PG_GETARG_FLOAT8(1));
	double		fpc = (PG_NARGS() > 2) ? nps_fpc(st, PG_GETARG_INT64(2)) : 1.0;
	double		points,
				se,
				margin;

	if (!nps_estimate(st, &points, &se))
		PG_RETURN_NULL();
	margin = z * (se * fpc);
	if (which == 0)
		PG_RETURN_FLOAT8(margin);
	if (which < 0)
		PG_RETURN_FLOAT8(Max(-100.0, points - margin));
	PG_RETURN_FLOAT8(Min(100.0, points + margin));
}

PG_FUNCTION_INFO_V1(engagement_npsagg_margin);
Datum
engagement_npsagg_margin(PG_FUNCTION_ARGS)
{
	return nps_interval_common(fcinfo, 0);
}

PG_FUNCTION_INFO_V1(engagement_npsagg_lower);
Datum
engagement_npsagg_lower(PG_FUNCTION_ARGS)
{
	return nps_interval_common(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(engagement_npsagg_upper);
Datum
engagement_npsagg_upper(PG_FUNCTION_ARGS)
{
	return nps_interval_common(fcinfo, 1);
}

/* the three with a population size (1.2): the C symbols of 1.2 */
PG_FUNCTION_INFO_V1(engagement_nps_summary_margin_of_error_fpc);
Datum
engagement_nps_summary_margin_of_error_fpc(PG_FUNCTION_ARGS)
{
	return nps_interval_common(fcinfo, 0);
}

PG_FUNCTION_INFO_V1(engagement_nps_summary_lower_bound_fpc);
Datum
engagement_nps_summary_lower_bound_fpc(PG_FUNCTION_ARGS)
{
	return nps_interval_common(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(engagement_nps_summary_upper_bound_fpc);
Datum
engagement_nps_summary_upper_bound_fpc(PG_FUNCTION_ARGS)
{
	return nps_interval_common(fcinfo, 1);
}

/*
 * nps_compare(a, b) -> (difference, z, p_value): Wald test of two
 * independent surveys.  z and p_value are NULL when both variances are zero.
 */
PG_FUNCTION_INFO_V1(engagement_nps_compare);
Datum
engagement_nps_compare(PG_FUNCTION_ARGS)
{
	NpsAgg	   *a = nps_getarg(fcinfo, 0);
	NpsAgg	   *b = nps_getarg(fcinfo, 1);
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	double		pa,
				da,
				na,
				pb,
				db,
				nb;
	double		diff,
				se;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (!nps_props(a, &pa, &da, &na) || !nps_props(b, &pb, &db, &nb))
		PG_RETURN_NULL();

	diff = 100.0 * ((pa - da) - (pb - db));
	se = 100.0 * sqrt(nps_unit_variance(pa, da) / na +
					  nps_unit_variance(pb, db) / nb);
	values[0] = Float8GetDatum(diff);
	if (se > 0.0)
	{
		values[1] = Float8GetDatum(diff / se);
		values[2] = Float8GetDatum(num_norm_two_sided_p(diff / se));
	}
	else
		nulls[1] = nulls[2] = true;

	tupdesc = BlessTupleDesc(tupdesc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*****************************************************************************
 * Scores of other integer types (1.2): smallint, bigint and numeric scores
 * (what CSV imports and numeric columns give) are whole numbers 0..10 like
 * integer ones; anything else is 22003, naming the value.  Each entry point
 * turns its score argument into an integer and runs the integer function on
 * the same call.
 *****************************************************************************/

pg_attribute_noreturn() static void
nps_score_out_of_range(const char *value)
{
	ereport(ERROR,
			errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			errmsg("NPS score %s is out of range", value),
			errdetail("Scores must be integers between 0 and 10."));
}

static void
nps_score_from_int2(FunctionCallInfo fcinfo, int argno)
{
	if (!PG_ARGISNULL(argno))
		fcinfo->args[argno].value = Int32GetDatum((int32) PG_GETARG_INT16(argno));
}

static void
nps_score_from_int8(FunctionCallInfo fcinfo, int argno)
{
	int64		v;
	char		buf[32];

	if (PG_ARGISNULL(argno))
		return;
	v = PG_GETARG_INT64(argno);
	if (v < 0 || v > 10)
	{
		snprintf(buf, sizeof(buf), INT64_FORMAT, v);
		nps_score_out_of_range(buf);
	}
	fcinfo->args[argno].value = Int32GetDatum((int32) v);
}

static void
nps_score_from_numeric(FunctionCallInfo fcinfo, int argno)
{
	Numeric		num;
	bool		error = true;
	int32		v = -1;

	if (PG_ARGISNULL(argno))
		return;
	num = PG_GETARG_NUMERIC(argno);
	/* rounded to the nearest integer, then compared with the value */
	if (!numeric_is_nan(num) && !numeric_is_inf(num))
	{
		error = false;
		v = numeric_int4_opt_error(num, &error);
	}
	if (error || v < 0 || v > 10 ||
		!DatumGetBool(DirectFunctionCall2(numeric_eq, NumericGetDatum(num),
										  NumericGetDatum(int64_to_numeric(v)))))
		nps_score_out_of_range(DatumGetCString(DirectFunctionCall1(numeric_out,
																   NumericGetDatum(num))));
	fcinfo->args[argno].value = Int32GetDatum(v);
}

#define NPS_SCORE_ENTRY(name, target, convert) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	convert(fcinfo, 1); \
	return target(fcinfo); \
}

NPS_SCORE_ENTRY(engagement_nps_trans_int2, engagement_nps_trans, nps_score_from_int2)
NPS_SCORE_ENTRY(engagement_nps_trans_int8, engagement_nps_trans, nps_score_from_int8)
NPS_SCORE_ENTRY(engagement_nps_trans_numeric, engagement_nps_trans, nps_score_from_numeric)
NPS_SCORE_ENTRY(engagement_nps_inv_int2, engagement_nps_inv, nps_score_from_int2)
NPS_SCORE_ENTRY(engagement_nps_inv_int8, engagement_nps_inv, nps_score_from_int8)
NPS_SCORE_ENTRY(engagement_nps_inv_numeric, engagement_nps_inv, nps_score_from_numeric)
NPS_SCORE_ENTRY(engagement_nps_wtrans_int2, engagement_nps_wtrans, nps_score_from_int2)
NPS_SCORE_ENTRY(engagement_nps_wtrans_int8, engagement_nps_wtrans, nps_score_from_int8)
NPS_SCORE_ENTRY(engagement_nps_wtrans_numeric, engagement_nps_wtrans, nps_score_from_numeric)

/*****************************************************************************
 * JSON form: {"version": 1, "promoters": n, "passives": n, "detractors": n,
 * "responses": n, "weighted": bool, and when weighted "promoter_weight",
 * "passive_weight", "detractor_weight", "weight_squares"}
 *****************************************************************************/

static Datum
nps_json(FunctionCallInfo fcinfo, bool jsonb)
{
	NpsAgg	   *st = nps_getarg(fcinfo, 0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d", NPSAGG_VERSION);
	for (int i = 0; i < 3; i++)
		appendStringInfo(&buf, ", \"%s\": " INT64_FORMAT, nps_category_names[i], st->n[i]);
	appendStringInfo(&buf, ", \"responses\": " INT64_FORMAT ", \"weighted\": %s",
					 nps_total(st), (st->hdr.flags & NPSAGG_WEIGHTED) ? "true" : "false");
	if (st->hdr.flags & NPSAGG_WEIGHTED)
	{
		for (int i = 0; i < 3; i++)
		{
			appendStringInfo(&buf, ", \"%s\": ", nps_weight_names[i]);
			eng_append_float8(&buf, st->w[i]);
		}
		appendStringInfoString(&buf, ", \"weight_squares\": ");
		eng_append_float8(&buf, st->w2);
	}
	appendStringInfoChar(&buf, '}');
	return eng_json_result(&buf, jsonb);
}

ENG_JSON_CASTS(engagement_nps_summary, nps_json)
