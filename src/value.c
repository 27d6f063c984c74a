/*-------------------------------------------------------------------------
 *
 * value.c
 *	  Customer value: present_value(), Kumar's customer lifetime value
 *	  clv(), customer referral value crv_agg() and customer engagement
 *	  value cev().
 *
 * Discounting everywhere is amount / (1 + rate)^((at - as_of) / period):
 * cash flows after as_of are discounted, earlier ones compounded.
 *
 * IDENTIFICATION
 *	  src/value.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include <math.h>

#include "utils/timestamp.h"

static void
value_check_finite(double v, const char *what)
{
	if (isnan(v) || isinf(v))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("%s must be a finite number", what));
}

static void
value_check_rate(double rate)
{
	value_check_finite(rate, "discount rate");
	if (rate <= -1.0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("discount rate must be greater than -1"),
				errdetail("The rate given was %g.", rate));
}

static void
value_check_probability(double p, const char *what)
{
	if (isnan(p) || p < 0.0 || p > 1.0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("%s must be between 0 and 1", what),
				errdetail("The value given was %g.", p));
}

static void
value_check_cost(double v, const char *what)
{
	value_check_finite(v, what);
	if (v < 0.0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("%s must not be negative", what),
				errdetail("The value given was %g.", v));
}

/* a money argument: NULL counts as 0; costs must not be negative */
static double
value_money_arg(FunctionCallInfo fcinfo, int argno, const char *what, bool is_cost)
{
	double		v;

	if (PG_ARGISNULL(argno))
		return 0.0;
	v = PG_GETARG_FLOAT8(argno);
	if (is_cost)
		value_check_cost(v, what);
	else
		value_check_finite(v, what);
	return v;
}

/* 1 / (1 + rate)^((at - as_of) / period) */
static double
value_discount(TimestampTz at, TimestampTz as_of, double rate,
			   const Interval *period)
{
	double		periods;

	if (TIMESTAMP_NOT_FINITE(at) || TIMESTAMP_NOT_FINITE(as_of))
		ereport(ERROR,
				errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				errmsg("cannot discount to or from an infinite timestamp"));
	value_check_rate(rate);
	periods = ((double) at - (double) as_of) /
		(double) eng_interval_usecs_positive(period, "discounting period");
	return pow(1.0 + rate, -periods);
}

/*
 * amount / (1 + rate)^((at - as_of) / period): no cash flow is worth nothing
 * at any date (0, not the NaN of 0 times an overflowed factor).
 */
static double
value_discounted(double amount, TimestampTz at, TimestampTz as_of, double rate,
				 const Interval *period)
{
	double		d = value_discount(at, as_of, rate, period);

	return (amount == 0.0) ? 0.0 : amount * d;
}

/* state + term, refusing results that are no longer finite numbers */
static Datum
value_accumulate(FunctionCallInfo fcinfo, double term)
{
	double		sum = PG_ARGISNULL(0) ? 0.0 : PG_GETARG_FLOAT8(0);

	sum += term;
	if (isnan(sum) || isinf(sum))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("discounted value is out of range"));
	/* -0 only from a -0 state (a user's INITCOND): report 0 */
	PG_RETURN_FLOAT8(eng_no_minus_zero(sum));
}

/*
 * Keep the state as it is (NULL stays NULL: no rows counted yet).  The state
 * is a plain float8 that a user aggregate can start anywhere, so it goes
 * through the same check as a sum.
 */
#define VALUE_SKIP_ROW() \
	do { \
		if (PG_ARGISNULL(0)) \
			PG_RETURN_NULL(); \
		return value_accumulate(fcinfo, 0.0); \
	} while (0)

/*
 * present_value(amount, at, as_of, rate, period) transition.  Rows with a
 * NULL amount, at or as_of are skipped; NULL rate or period is an error.
 */
PG_FUNCTION_INFO_V1(engagement_pv_trans);
Datum
engagement_pv_trans(PG_FUNCTION_ARGS)
{
	double		amount;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		VALUE_SKIP_ROW();
	if (PG_ARGISNULL(4) || PG_ARGISNULL(5))
		ereport(ERROR,
				errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				errmsg("discount rate and period must not be NULL"));
	amount = PG_GETARG_FLOAT8(1);
	value_check_finite(amount, "amount");
	return value_accumulate(fcinfo,
							value_discounted(amount, PG_GETARG_TIMESTAMPTZ(2),
											 PG_GETARG_TIMESTAMPTZ(3),
											 PG_GETARG_FLOAT8(4),
											 PG_GETARG_INTERVAL_P(5)));
}

/*
 * clv(margin, marketing_cost, at, as_of, rate, period [, p_buy]) transition:
 * one row per customer and future (or past) period,
 * (p_buy * margin - marketing_cost) discounted.  A NULL margin counts as no
 * margin and a NULL cost as no cost; a row with both NULL, or a NULL at or
 * as_of, is skipped.
 */
static Datum
clv_common(FunctionCallInfo fcinfo, bool with_p)
{
	double		margin;
	double		cost;
	double		p = 1.0;

	if ((PG_ARGISNULL(1) && PG_ARGISNULL(2)) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		VALUE_SKIP_ROW();
	if (PG_ARGISNULL(5) || PG_ARGISNULL(6))
		ereport(ERROR,
				errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				errmsg("discount rate and period must not be NULL"));
	margin = value_money_arg(fcinfo, 1, "margin", false);
	cost = value_money_arg(fcinfo, 2, "marketing cost", true);
	if (with_p)
	{
		if (PG_ARGISNULL(7))
			ereport(ERROR,
					errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					errmsg("purchase probability must not be NULL"));
		p = PG_GETARG_FLOAT8(7);
		value_check_probability(p, "purchase probability");
	}
	return value_accumulate(fcinfo,
							value_discounted(p * margin - cost,
											 PG_GETARG_TIMESTAMPTZ(3),
											 PG_GETARG_TIMESTAMPTZ(4),
											 PG_GETARG_FLOAT8(5),
											 PG_GETARG_INTERVAL_P(6)));
}

PG_FUNCTION_INFO_V1(engagement_clv_trans);
Datum
engagement_clv_trans(PG_FUNCTION_ARGS)
{
	return clv_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(engagement_clv_trans_p);
Datum
engagement_clv_trans_p(PG_FUNCTION_ARGS)
{
	return clv_common(fcinfo, true);
}

/*
 * crv_agg(referee, would_have_joined, margin_value, reward, retention_cost,
 *		   acquisition_cost [, p_join_anyway]) transition: one row per referred
 * customer, money amounts already discounted to the same date.
 *
 *	 type one (would not have joined):  margin - reward - retention + acquisition
 *	 type two (would have joined anyway): acquisition
 *
 * A NULL referee means "no referral" (the outer side of a join) and adds
 * nothing.  An unknown would_have_joined (NULL) counts as type two, unless
 * p_join_anyway is given: then the referral counts as the expectation
 * (1 - p) * type one + p * type two.  NULL money amounts count as 0.
 */
static Datum
crv_common(FunctionCallInfo fcinfo, bool with_p)
{
	double		margin;
	double		reward;
	double		retention;
	double		acquisition;
	double		p_anyway;
	double		type_one;

	if (PG_ARGISNULL(1))
		VALUE_SKIP_ROW();
	margin = value_money_arg(fcinfo, 3, "referred customer's margin", false);
	reward = value_money_arg(fcinfo, 4, "referral reward", true);
	retention = value_money_arg(fcinfo, 5, "retention cost", true);
	acquisition = value_money_arg(fcinfo, 6, "acquisition cost", true);

	if (!PG_ARGISNULL(2))
		p_anyway = PG_GETARG_BOOL(2) ? 1.0 : 0.0;
	else if (with_p && !PG_ARGISNULL(7))
	{
		p_anyway = PG_GETARG_FLOAT8(7);
		value_check_probability(p_anyway, "probability of joining anyway");
	}
	else
		p_anyway = 1.0;

	/* a certain type two referral is its acquisition cost, whatever type one */
	if (p_anyway == 1.0)
		return value_accumulate(fcinfo, acquisition);
	type_one = margin - reward - retention + acquisition;
	if (!isfinite(type_one))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("referral value is out of range"));
	return value_accumulate(fcinfo,
							(1.0 - p_anyway) * type_one + p_anyway * acquisition);
}

PG_FUNCTION_INFO_V1(engagement_crv_trans);
Datum
engagement_crv_trans(PG_FUNCTION_ARGS)
{
	return crv_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(engagement_crv_trans_p);
Datum
engagement_crv_trans_p(PG_FUNCTION_ARGS)
{
	return crv_common(fcinfo, true);
}

/*
 * cev(clv, crv, civ, ckv) = CLV + CRV + CIV + CKV (Kumar et al. 2010).
 * NULL components count as 0; all four NULL give NULL.
 */
PG_FUNCTION_INFO_V1(engagement_cev);
Datum
engagement_cev(PG_FUNCTION_ARGS)
{
	double		sum = 0.0;
	bool		any = false;

	for (int i = 0; i < 4; i++)
	{
		if (PG_ARGISNULL(i))
			continue;
		any = true;
		sum += PG_GETARG_FLOAT8(i);
	}
	if (!any)
		PG_RETURN_NULL();
	if (isnan(sum) || isinf(sum))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("customer engagement value is out of range"));
	PG_RETURN_FLOAT8(sum);
}

/* present_value(amount, at, as_of, rate): the period is one year */
PG_FUNCTION_INFO_V1(engagement_pv_trans_year);
Datum
engagement_pv_trans_year(PG_FUNCTION_ARGS)
{
	Interval	year = {0, 0, MONTHS_PER_YEAR};
	double		amount;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		VALUE_SKIP_ROW();
	if (PG_ARGISNULL(4))
		ereport(ERROR,
				errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				errmsg("discount rate and period must not be NULL"));
	amount = PG_GETARG_FLOAT8(1);
	value_check_finite(amount, "amount");
	return value_accumulate(fcinfo,
							value_discounted(amount, PG_GETARG_TIMESTAMPTZ(2),
											 PG_GETARG_TIMESTAMPTZ(3),
											 PG_GETARG_FLOAT8(4), &year));
}
