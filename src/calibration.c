/*-------------------------------------------------------------------------
 *
 * calibration.c
 *	  The calibration/holdout workflow that validates a BG/NBD model: the
 *	  per-customer split of raw purchases at a cut-off (the aggregate
 *	  calibration_holdout, lifetimes' calibration_and_holdout_data), and the
 *	  tables behind the usual validation charts: mean holdout purchases by
 *	  calibration frequency, actual and predicted (holdout_by_frequency), the
 *	  frequency/recency matrix of a model (frequency_recency_matrix) and the
 *	  number of customers with 0, 1, ... repeat purchases, actual and
 *	  expected (frequency_histogram).
 *
 * Purchases are grouped into periods of a fixed length counted from Monday
 * 2000-01-03 00:00 UTC, so one-day periods are UTC days (those of rfm_agg)
 * and seven-day periods are weeks from Monday to Sunday (pandas' "W").  All
 * purchases of one period count as one, their amounts summed.  The
 * calibration holds the periods up to and including the one holding
 * calibration_end; the holdout the periods after it up to and including the
 * one holding observation_end; later purchases are ignored.  Times are
 * counted in periods.
 *
 * The model's predictions are those of the SQL functions expected_purchases,
 * p_alive and purchase_probability, called through their C symbols (which
 * never change once released, docs/naming.md).
 *
 * IDENTIFICATION
 *	  src/calibration.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"
#include "utils/typcache.h"

/* the predictions, in predict.c */
extern Datum engagement_bgnbd_expected_customer(PG_FUNCTION_ARGS);
extern Datum engagement_bgnbd_p_alive(PG_FUNCTION_ARGS);
extern Datum engagement_bgnbd_probability(PG_FUNCTION_ARGS);

/* the first period starts on Monday 2000-01-03 00:00 UTC */
#define CAL_ORIGIN			(2 * USECS_PER_DAY)
#define CAL_MAX_ROWS		(10 * 1000 * 1000)
#define CAL_MAX_BUCKETS		1000
#define CAL_MAX_CELLS		100000

/*****************************************************************************
 * calibration_holdout(ts, amount, calibration_end, observation_end[, period])
 *****************************************************************************/

typedef struct CalRow
{
	int64		period;			/* period number */
	double		amount;
} CalRow;

typedef struct CalBuild
{
	bool		has_params;		/* set by the first row not skipped */
	int64		calibration_end;
	int64		observation_end;
	int64		period_usecs;
	int64		cal_period;		/* period of calibration_end */
	int64		obs_period;		/* period of observation_end */
	int			n;
	int			max;
	CalRow	   *rows;			/* purchases up to obs_period, in any order */
} CalBuild;

/* serial form: a count, then per purchase an int64 period and a float8 */
static const EngRecordCount cal_serial_rows = {
	"calibration_holdout", "purchases", 0, CAL_MAX_ROWS, 8 + 8, true
};

static int64
cal_period_of(int64 ts, int64 period_usecs)
{
	int64		d = ts - CAL_ORIGIN;	/* |ts| < 2.6e17: no overflow */

	/* floor division */
	return (d >= 0) ? d / period_usecs : -((-d - 1) / period_usecs) - 1;
}

/* check the parameters of the aggregate and derive their periods */
static void
cal_set_params(CalBuild *b, int64 calibration_end, int64 observation_end,
			   int64 period_usecs)
{
	eng_check_timestamp(calibration_end, "calibration_holdout");
	eng_check_timestamp(observation_end, "calibration_holdout");
	if (period_usecs <= 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("calibration_holdout period must be positive"));
	b->calibration_end = calibration_end;
	b->observation_end = observation_end;
	b->period_usecs = period_usecs;
	b->cal_period = cal_period_of(calibration_end, period_usecs);
	b->obs_period = cal_period_of(observation_end, period_usecs);
	if (b->obs_period <= b->cal_period)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("observation_end must fall in a later period than calibration_end"),
				errdetail("The holdout runs from the period after the one holding calibration_end to the one holding observation_end, so it must hold at least one period."));
	b->has_params = true;
}

static void
cal_same_params(const CalBuild *b, int64 calibration_end,
				int64 observation_end, int64 period_usecs)
{
	if (b->calibration_end != calibration_end ||
		b->observation_end != observation_end ||
		b->period_usecs != period_usecs)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("calibration_holdout parameters differ between rows of one group"),
				errdetail("calibration_end, observation_end and period must be the same for every purchase of a customer."));
}

static void
cal_push(CalBuild *b, int64 period, double amount, MemoryContext cxt)
{
	if (b->n >= CAL_MAX_ROWS)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("calibration_holdout cannot take more than %d purchases in one group",
					   CAL_MAX_ROWS));
	if (b->n == b->max)
	{
		/* doubling, capped at the limit: at most 160 MB */
		b->max = b->max ? Min(b->max * 2, CAL_MAX_ROWS) : 8;
		b->rows = b->rows ? repalloc(b->rows, sizeof(CalRow) * b->max) :
			MemoryContextAlloc(cxt, sizeof(CalRow) * b->max);
	}
	b->rows[b->n].period = period;
	b->rows[b->n].amount = amount;
	b->n++;
}

/* by period, then amount: sums do not depend on the order of the input */
static int
cal_row_cmp(const void *a, const void *b)
{
	const CalRow *x = a;
	const CalRow *y = b;

	CHECK_FOR_INTERRUPTS();
	if (x->period != y->period)
		return (x->period > y->period) - (x->period < y->period);
	return (x->amount > y->amount) - (x->amount < y->amount);
}

/* a state without any row that was not skipped */
static bool
cal_empty(const void *state)
{
	return !((const CalBuild *) state)->has_params;
}

static void
cal_merge(void *dst, const void *src, MemoryContext cxt)
{
	CalBuild   *to = dst;
	const CalBuild *from = src;

	if (!to->has_params)
		cal_set_params(to, from->calibration_end, from->observation_end,
					   from->period_usecs);
	else
		cal_same_params(to, from->calibration_end, from->observation_end,
						from->period_usecs);
	for (int i = 0; i < from->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		cal_push(to, from->rows[i].period, from->rows[i].amount, cxt);
	}
}

static void
cal_serialize(StringInfo buf, const void *state)
{
	const CalBuild *b = state;

	pq_sendbyte(buf, b->has_params ? 1 : 0);
	if (b->has_params)
	{
		pq_sendint64(buf, b->calibration_end);
		pq_sendint64(buf, b->observation_end);
		pq_sendint64(buf, b->period_usecs);
	}
	pq_sendint32(buf, b->n);
	for (int i = 0; i < b->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		pq_sendint64(buf, b->rows[i].period);
		pq_sendfloat8(buf, b->rows[i].amount);
	}
}

static void
cal_deserialize(StringInfo buf, void *state, MemoryContext cxt)
{
	CalBuild   *b = state;
	int			flag = pq_getmsgbyte(buf);
	int32		n;

	if (flag != 0 && flag != 1)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("invalid calibration_holdout state"),
				errdetail("Unknown flag %d.", flag));
	if (flag == 1)
	{
		int64		cal = pq_getmsgint64(buf);
		int64		obs = pq_getmsgint64(buf);

		cal_set_params(b, cal, obs, pq_getmsgint64(buf));
	}
	n = eng_recv_count(buf, &cal_serial_rows, ENG_STORED);
	if (n > 0 && !b->has_params)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("invalid calibration_holdout state"),
				errdetail("Purchases without parameters."));
	for (int i = 0; i < n; i++)
	{
		int64		period = pq_getmsgint64(buf);
		double		amount = pq_getmsgfloat8(buf);

		CHECK_FOR_INTERRUPTS();
		if (period > b->obs_period ||
			period < cal_period_of(ENG_MIN_TS, b->period_usecs) ||
			!isfinite(amount))
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("invalid calibration_holdout state"),
					errdetail("Purchase %d is out of range or not finite.", i + 1));
		cal_push(b, period, amount, cxt);
	}
}

static double
cal_finite(double v, const char *what)
{
	if (!isfinite(v))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("calibration_holdout %s is out of range", what));
	return v;
}

/*
 * The result: NULL without a purchase in the calibration period (a customer
 * whose first purchase comes later is not part of the calibration sample).
 */
static Datum
cal_finish_tuple(FunctionCallInfo fcinfo, CalBuild *b)
{
	TupleDesc	tupdesc;
	Datum		values[7];
	bool		nulls[7] = {false, false, false, false, false, false, false};
	int			ncal = 0;
	int64		periods = 0,
				first,
				last = 0;
	double		repeat_sum = 0.0,
				period_sum = 0.0,
				holdout_sum = 0.0;
	int64		holdout_periods = 0;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				errmsg("function returning record called in context that cannot accept type record"));
	qsort(b->rows, b->n, sizeof(CalRow), cal_row_cmp);
	while (ncal < b->n && b->rows[ncal].period <= b->cal_period)
		ncal++;
	if (ncal == 0)
		return (Datum) 0;

	/* calibration: amounts summed per period, then over the repeat periods */
	first = b->rows[0].period;
	for (int i = 0; i < ncal; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (i > 0 && b->rows[i].period != b->rows[i - 1].period)
		{
			/* the first period is not a repeat purchase */
			if (periods > 1)
				repeat_sum += period_sum;
			period_sum = 0.0;
		}
		if (i == 0 || b->rows[i].period != b->rows[i - 1].period)
			periods++;
		period_sum += b->rows[i].amount;
		cal_finite(period_sum, "amount of one period");
		last = b->rows[i].period;
	}
	if (periods > 1)
		repeat_sum += period_sum;
	cal_finite(repeat_sum, "monetary value");

	/* holdout: distinct periods, mean amount of the purchases */
	for (int i = ncal; i < b->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (i == ncal || b->rows[i].period != b->rows[i - 1].period)
			holdout_periods++;
		holdout_sum += b->rows[i].amount;
	}
	cal_finite(holdout_sum, "holdout monetary value");

	values[0] = Int64GetDatum(periods - 1);
	values[1] = Float8GetDatum((double) (last - first));
	values[2] = Float8GetDatum((double) (b->cal_period - first));
	values[3] = Float8GetDatum(periods > 1 ?
							   eng_no_minus_zero(repeat_sum / (double) (periods - 1)) : 0.0);
	values[4] = Int64GetDatum(holdout_periods);
	values[5] = Float8GetDatum(b->n > ncal ?
							   eng_no_minus_zero(holdout_sum / (double) (b->n - ncal)) : 0.0);
	values[6] = Float8GetDatum((double) (b->obs_period - b->cal_period));
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

static const EngBuildOps cal_build_ops = {
	.typname = "calibration_holdout",
	.size = sizeof(CalBuild),
	.empty = cal_empty,
	.merge = cal_merge,
	.serialize = cal_serialize,
	.deserialize = cal_deserialize,
};

/*
 * calibration_holdout_trans(state, ts, amount, calibration_end,
 * observation_end[, period]): rows with a NULL ts or amount are skipped; the
 * other arguments must not be NULL and must be the same on every row.
 */
PG_FUNCTION_INFO_V1(engagement_calibration_holdout_trans);
Datum
engagement_calibration_holdout_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	CalBuild   *b = eng_build_arg(fcinfo, &cal_build_ops, &aggcontext);
	int64		ts,
				cal_end,
				obs_end,
				period_usecs = USECS_PER_DAY;
	double		amount;
	int64		p;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(b);
	if (PG_ARGISNULL(3) || PG_ARGISNULL(4) || (PG_NARGS() > 5 && PG_ARGISNULL(5)))
		ereport(ERROR,
				errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				errmsg("calibration_holdout calibration_end, observation_end and period must not be NULL"));
	cal_end = PG_GETARG_TIMESTAMPTZ(3);
	obs_end = PG_GETARG_TIMESTAMPTZ(4);
	if (PG_NARGS() > 5)
		period_usecs = eng_interval_usecs_positive(PG_GETARG_INTERVAL_P(5),
												   "calibration_holdout period");
	if (!b->has_params)
		cal_set_params(b, cal_end, obs_end, period_usecs);
	else
		cal_same_params(b, cal_end, obs_end, period_usecs);

	ts = PG_GETARG_TIMESTAMPTZ(1);
	eng_check_timestamp(ts, "calibration_holdout");
	amount = PG_GETARG_FLOAT8(2);
	if (!isfinite(amount))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("calibration_holdout purchase amount must be a finite number"));
	p = cal_period_of(ts, period_usecs);
	/* purchases after the observation period are not part of the data */
	if (p <= b->obs_period)
		cal_push(b, p, amount, aggcontext);
	PG_RETURN_POINTER(b);
}

PG_FUNCTION_INFO_V1(engagement_calibration_holdout_combine);
Datum
engagement_calibration_holdout_combine(PG_FUNCTION_ARGS)
{
	return eng_build_combine(fcinfo, &cal_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_calibration_holdout_serial);
Datum
engagement_calibration_holdout_serial(PG_FUNCTION_ARGS)
{
	return eng_build_serial(fcinfo, &cal_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_calibration_holdout_deserial);
Datum
engagement_calibration_holdout_deserial(PG_FUNCTION_ARGS)
{
	return eng_build_deserial(fcinfo, &cal_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_calibration_holdout_final);
Datum
engagement_calibration_holdout_final(PG_FUNCTION_ARGS)
{
	CalBuild   *b;
	Datum		result;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	b = (CalBuild *) PG_GETARG_POINTER(0);
	if (!b->has_params)
		PG_RETURN_NULL();
	result = cal_finish_tuple(fcinfo, b);
	if (result == (Datum) 0)
		PG_RETURN_NULL();
	return result;
}

/*****************************************************************************
 * holdout_by_frequency and frequency_histogram: per-bucket sums over the
 * customers, for a model and a number of buckets that are the same on every
 * row; the last bucket holds every frequency from max_frequency up.
 *****************************************************************************/

#define BUCKETS_VERSION		1

typedef struct BucketBuild
{
	bool		has_params;
	int32		max_frequency;	/* buckets 0..max_frequency */
	struct varlena *model;		/* a copy, in the aggregate context */
	int64	   *customers;		/* per bucket */
	double	   *actual;			/* per bucket: sum of the actual values */
	double	   *predicted;		/* per bucket: sum of the model's values */
} BucketBuild;

static void
bucket_set_params(BucketBuild *b, const struct varlena *model,
				  int32 max_frequency, MemoryContext cxt)
{
	if (max_frequency < 0 || max_frequency > CAL_MAX_BUCKETS)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("max_frequency must be between 0 and %d, not %d",
					   CAL_MAX_BUCKETS, max_frequency));
	b->model = MemoryContextAlloc(cxt, VARSIZE(model));
	memcpy(b->model, model, VARSIZE(model));
	b->max_frequency = max_frequency;
	b->customers = MemoryContextAllocZero(cxt, sizeof(int64) * (max_frequency + 1));
	b->actual = MemoryContextAllocZero(cxt, sizeof(double) * (max_frequency + 1));
	b->predicted = MemoryContextAllocZero(cxt, sizeof(double) * (max_frequency + 1));
	b->has_params = true;
}

static void
bucket_same_params(const BucketBuild *b, const struct varlena *model,
				   int32 max_frequency)
{
	if (VARSIZE(model) != VARSIZE(b->model) ||
		memcmp(model, b->model, VARSIZE(model)) != 0 ||
		max_frequency != b->max_frequency)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("model and max_frequency differ between rows of one group"),
				errdetail("The model and max_frequency must be the same for every customer."));
}

/* the model and max_frequency of a row; NULLs are 22004 */
static void
bucket_row_params(FunctionCallInfo fcinfo, BucketBuild *b, int nargs_base,
				  MemoryContext cxt, const char *fname)
{
	struct varlena *model;
	int32		max_frequency = 7;

	if (PG_ARGISNULL(1) || (PG_NARGS() > nargs_base && PG_ARGISNULL(nargs_base)))
		ereport(ERROR,
				errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				errmsg("%s model and max_frequency must not be NULL", fname));
	model = PG_DETOAST_DATUM(PG_GETARG_DATUM(1));
	if (PG_NARGS() > nargs_base)
		max_frequency = PG_GETARG_INT32(nargs_base);
	if (!b->has_params)
		bucket_set_params(b, model, max_frequency, cxt);
	else
		bucket_same_params(b, model, max_frequency);
}

static void
bucket_add(BucketBuild *b, int bucket, int64 customers, double actual,
		   double predicted)
{
	if (pg_add_s64_overflow(b->customers[bucket], customers, &b->customers[bucket]))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("number of customers is out of range"));
	b->actual[bucket] += actual;
	b->predicted[bucket] += predicted;
	if (!isfinite(b->actual[bucket]) || !isfinite(b->predicted[bucket]))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("sum of a frequency bucket is out of range"));
}

static bool
bucket_empty(const void *state)
{
	return !((const BucketBuild *) state)->has_params;
}

static void
bucket_merge(void *dst, const void *src, MemoryContext cxt)
{
	BucketBuild *to = dst;
	const BucketBuild *from = src;

	if (!to->has_params)
		bucket_set_params(to, from->model, from->max_frequency, cxt);
	else
		bucket_same_params(to, from->model, from->max_frequency);
	for (int i = 0; i <= from->max_frequency; i++)
		bucket_add(to, i, from->customers[i], from->actual[i], from->predicted[i]);
}

static void
bucket_serialize(StringInfo buf, const void *state)
{
	const BucketBuild *b = state;

	pq_sendbyte(buf, b->has_params ? 1 : 0);
	if (!b->has_params)
		return;
	pq_sendint32(buf, VARSIZE(b->model));
	pq_sendbytes(buf, (const char *) b->model, VARSIZE(b->model));
	pq_sendint32(buf, b->max_frequency);
	for (int i = 0; i <= b->max_frequency; i++)
	{
		pq_sendint64(buf, b->customers[i]);
		pq_sendfloat8(buf, b->actual[i]);
		pq_sendfloat8(buf, b->predicted[i]);
	}
}

static void
bucket_deserialize(StringInfo buf, void *state, MemoryContext cxt)
{
	BucketBuild *b = state;
	int			flag = pq_getmsgbyte(buf);
	int32		len;
	struct varlena *model;

	if (flag == 0)
		return;
	len = (int32) pq_getmsgint(buf, 4);
	/* a model is a small plain varlena */
	if (flag != 1 || len < (int32) VARHDRSZ || len > 4096)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("invalid frequency bucket state"));
	model = palloc(len);
	memcpy(model, pq_getmsgbytes(buf, len), len);
	SET_VARSIZE(model, len);
	bucket_set_params(b, model, (int32) pq_getmsgint(buf, 4), cxt);
	for (int i = 0; i <= b->max_frequency; i++)
	{
		int64		customers = pq_getmsgint64(buf);
		double		actual = pq_getmsgfloat8(buf);
		double		predicted = pq_getmsgfloat8(buf);

		if (customers < 0)
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("invalid frequency bucket state"));
		bucket_add(b, i, customers, actual, predicted);
	}
}

static const EngBuildOps bucket_build_ops = {
	.typname = "frequency buckets",
	.size = sizeof(BucketBuild),
	.empty = bucket_empty,
	.merge = bucket_merge,
	.serialize = bucket_serialize,
	.deserialize = bucket_deserialize,
};

/*
 * The result: an array of the element type of the final function's return
 * type.  With "means", one (bucket, customers, mean actual, mean predicted)
 * record per bucket that has customers; otherwise one (bucket, customers,
 * expected customers) record per bucket.
 */
static Datum
bucket_result(FunctionCallInfo fcinfo, const BucketBuild *b, bool means)
{
	Oid			arraytype = get_func_rettype(fcinfo->flinfo->fn_oid);
	Oid			elemtype = get_element_type(arraytype);
	TupleDesc	tupdesc;
	Datum	   *elems;
	int			n = 0;
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (!OidIsValid(elemtype))
		ereport(ERROR,
				errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				errmsg("frequency bucket final function must return an array"));
	tupdesc = lookup_rowtype_tupdesc_copy(elemtype, -1);
	elems = palloc(sizeof(Datum) * (b->max_frequency + 1));
	for (int i = 0; i <= b->max_frequency; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};
		double		k = (double) b->customers[i];

		values[0] = Int32GetDatum(i);
		values[1] = Int64GetDatum(b->customers[i]);
		if (means)
		{
			/* (frequency_cal, customers, actual, predicted), never empty */
			if (b->customers[i] == 0)
				continue;
			values[2] = Float8GetDatum(eng_no_minus_zero(b->actual[i] / k));
			values[3] = Float8GetDatum(eng_no_minus_zero(b->predicted[i] / k));
		}
		else
			/* (frequency, customers, expected), every bucket */
			values[2] = Float8GetDatum(eng_no_minus_zero(b->predicted[i]));
		elems[n++] = HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
	}
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, elemtype, typlen, typbyval, typalign));
}

/*
 * holdout_by_frequency(model, frequency_cal, recency_cal, age_cal,
 * frequency_holdout, duration_holdout[, max_frequency]): per calibration
 * frequency, the mean holdout purchases and the mean of the model's
 * conditional expectation over each customer's holdout duration.
 */
PG_FUNCTION_INFO_V1(engagement_holdout_by_frequency_trans);
Datum
engagement_holdout_by_frequency_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	BucketBuild *b = eng_build_arg(fcinfo, &bucket_build_ops, &aggcontext);
	double		x,
				tx,
				T,
				actual,
				duration,
				predicted;

	for (int i = 2; i <= 6; i++)
		if (PG_ARGISNULL(i))
			PG_RETURN_POINTER(b);
	bucket_row_params(fcinfo, b, 7, aggcontext, "holdout_by_frequency");
	x = PG_GETARG_FLOAT8(2);
	tx = PG_GETARG_FLOAT8(3);
	T = PG_GETARG_FLOAT8(4);
	actual = PG_GETARG_FLOAT8(5);
	duration = PG_GETARG_FLOAT8(6);
	if (!isfinite(actual) || actual < 0.0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("frequency_holdout must be finite and not negative, not %g", actual));
	/* checks the model, the horizon and the customer's data */
	predicted = DatumGetFloat8(DirectFunctionCall5(engagement_bgnbd_expected_customer,
												   PointerGetDatum(b->model),
												   Float8GetDatum(duration),
												   Float8GetDatum(x),
												   Float8GetDatum(tx),
												   Float8GetDatum(T)));
	bucket_add(b, x >= b->max_frequency ? b->max_frequency : (int) x, 1,
			   actual, predicted);
	PG_RETURN_POINTER(b);
}

/*
 * frequency_histogram(model, frequency, age[, max_frequency]): per number of
 * repeat purchases, the customers who made them and the number the model
 * expects, the sum over the customers of P(X(age) = x) (the last bucket:
 * P(X(age) >= max_frequency)).
 */
PG_FUNCTION_INFO_V1(engagement_frequency_histogram_trans);
Datum
engagement_frequency_histogram_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	BucketBuild *b = eng_build_arg(fcinfo, &bucket_build_ops, &aggcontext);
	double		x,
				T,
				rest = 1.0;

	if (PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(b);
	bucket_row_params(fcinfo, b, 4, aggcontext, "frequency_histogram");
	x = PG_GETARG_FLOAT8(2);
	T = PG_GETARG_FLOAT8(3);
	if (!isfinite(x) || x < 0.0 || x != floor(x))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("frequency must be a whole number of repeat purchases, not %g", x));
	if (!isfinite(T) || T < 0.0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("age must be finite and not negative, not %g", T));
	for (int i = 0; i < b->max_frequency; i++)
	{
		double		p;

		CHECK_FOR_INTERRUPTS();
		p = DatumGetFloat8(DirectFunctionCall3(engagement_bgnbd_probability,
											   PointerGetDatum(b->model),
											   Float8GetDatum(T),
											   Float8GetDatum((double) i)));
		bucket_add(b, i, 0, 0.0, p);
		rest -= p;
	}
	/* the tail; rounding may leave it a hair below 0 */
	bucket_add(b, b->max_frequency, 0, 0.0, rest > 0.0 ? rest : 0.0);
	bucket_add(b, x >= b->max_frequency ? b->max_frequency : (int) x, 1, 0.0, 0.0);
	PG_RETURN_POINTER(b);
}

PG_FUNCTION_INFO_V1(engagement_frequency_buckets_combine);
Datum
engagement_frequency_buckets_combine(PG_FUNCTION_ARGS)
{
	return eng_build_combine(fcinfo, &bucket_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_frequency_buckets_serial);
Datum
engagement_frequency_buckets_serial(PG_FUNCTION_ARGS)
{
	return eng_build_serial(fcinfo, &bucket_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_frequency_buckets_deserial);
Datum
engagement_frequency_buckets_deserial(PG_FUNCTION_ARGS)
{
	return eng_build_deserial(fcinfo, &bucket_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_holdout_by_frequency_final);
Datum
engagement_holdout_by_frequency_final(PG_FUNCTION_ARGS)
{
	BucketBuild *b = PG_ARGISNULL(0) ? NULL : (BucketBuild *) PG_GETARG_POINTER(0);

	if (b == NULL || !b->has_params)
		PG_RETURN_NULL();
	return bucket_result(fcinfo, b, true);
}

PG_FUNCTION_INFO_V1(engagement_frequency_histogram_final);
Datum
engagement_frequency_histogram_final(PG_FUNCTION_ARGS)
{
	BucketBuild *b = PG_ARGISNULL(0) ? NULL : (BucketBuild *) PG_GETARG_POINTER(0);

	if (b == NULL || !b->has_params)
		PG_RETURN_NULL();
	return bucket_result(fcinfo, b, false);
}

/*****************************************************************************
 * frequency_recency_matrix(model, age, max_frequency, t): for frequency
 * 0..max_frequency and recency 0..floor(age), the expected purchases in the
 * next t and P(alive) of a customer of that age; NULL where no customer can
 * have the values (frequency 0 with recency > 0, frequency > 0 with
 * recency 0).
 *****************************************************************************/

PG_FUNCTION_INFO_V1(engagement_bgnbd_frequency_recency_matrix);
Datum
engagement_bgnbd_frequency_recency_matrix(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum		model = PointerGetDatum(PG_DETOAST_DATUM(PG_GETARG_DATUM(0)));
	double		T = PG_GETARG_FLOAT8(1);
	int32		max_frequency = PG_GETARG_INT32(2);
	double		t = PG_GETARG_FLOAT8(3);
	int64		max_recency;

	if (!isfinite(T) || T < 0.0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("age must be finite and not negative, not %g", T));
	if (max_frequency < 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("max_frequency must not be negative, not %d", max_frequency));
	if ((floor(T) + 1.0) * ((double) max_frequency + 1.0) > CAL_MAX_CELLS)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("frequency_recency_matrix cannot have more than %d cells", CAL_MAX_CELLS),
				errdetail("(max_frequency + 1) * (floor(age) + 1) is %.0f.",
						  (floor(T) + 1.0) * ((double) max_frequency + 1.0)));
	max_recency = (int64) floor(T);

	InitMaterializedSRF(fcinfo, 0);
	for (int32 x = 0; x <= max_frequency; x++)
	{
		for (int64 r = 0; r <= max_recency; r++)
		{
			Datum		values[4];
			bool		nulls[4] = {false, false, false, false};

			CHECK_FOR_INTERRUPTS();
			values[0] = Int32GetDatum(x);
			values[1] = Int32GetDatum((int32) r);
			if ((x == 0) != (r == 0))
			{
				nulls[2] = nulls[3] = true;
				values[2] = values[3] = (Datum) 0;
			}
			else
			{
				values[2] = DirectFunctionCall5(engagement_bgnbd_expected_customer, model,
												Float8GetDatum(t),
												Float8GetDatum((double) x),
												Float8GetDatum((double) r),
												Float8GetDatum(T));
				values[3] = DirectFunctionCall4(engagement_bgnbd_p_alive, model,
												Float8GetDatum((double) x),
												Float8GetDatum((double) r),
												Float8GetDatum(T));
			}
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}
