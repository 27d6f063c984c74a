/*-------------------------------------------------------------------------
 *
 * predict.c
 *	  Predictive customer value ("buy till you die" models): the BG/NBD
 *	  model of repeat purchases (Fader, Hardie and Lee 2005) and the
 *	  Gamma-Gamma model of spend (Fader, Hardie and Lee 2005; Fader and
 *	  Hardie 2013), fitted by maximum likelihood, their predictions, and the
 *	  discounted customer lifetime value that combines the two.
 *
 * The fitting aggregates gather one row per customer (frequency, recency
 * and age for BG/NBD; frequency and mean repeat spend for Gamma-Gamma) in
 * an internal state that partial aggregates merge by concatenation.  The
 * final function collapses identical rows into weights, caches everything
 * that depends on a distinct frequency or a distinct time only, and
 * maximises the log-likelihood over the logarithms of the parameters with
 * BFGS and an analytic gradient.  Standard errors come from a central
 * finite-difference Hessian of that gradient at the optimum.
 *
 * All times (recency, age, horizons) are in one unit the caller chooses
 * (weeks, days ...); a model only makes sense with data in the unit it was
 * fitted in.
 *
 * IDENTIFICATION
 *	  src/predict.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "numerics.h"
#include "predict.h"

StaticAssertDecl(PRED_MAX_PARAMS <= NUM_MAX_PARAMS,
				 "a model has more parameters than num_minimise fits");
#define PRED_MAX_ROWS		(40 * 1000 * 1000)


/* hint of a likelihood that cannot be evaluated */
#define PRED_UNIT_HINT "Express the times or amounts in another unit."

static const PredKind bgnbd_kind = {
	.typname = "bgnbd",
	.fitname = "bgnbd_fit",
	.penalized_call = "bgnbd_fit(frequency, recency, age, 0.001)",
	.unit_hint = PRED_UNIT_HINT,
	.events = "purchases",
	.nparams = 4,
	.names = {"r", "alpha", "a", "b"},
};
static const PredKind mbgnbd_kind = {
	.typname = "mbgnbd",
	.fitname = "mbgnbd_fit",
	.penalized_call = "mbgnbd_fit(frequency, recency, age, 0.001)",
	.unit_hint = PRED_UNIT_HINT,
	.events = "purchases",
	.nparams = 4,
	.names = {"r", "alpha", "a", "b"},
};
static const PredKind gg_kind = {
	.typname = "gammagamma",
	.fitname = "gammagamma_fit",
	.penalized_call = "gammagamma_fit(frequency, monetary, 0.001)",
	.unit_hint = PRED_UNIT_HINT,
	.events = "purchases",
	.nparams = 3,
	.names = {"p", "q", "gamma"},
};




/*
 * Fitting state: ncols doubles per customer, in arrival order, and the
 * penalizer of the fit (0 until a row or a merged state sets it).
 */
typedef struct PredRows
{
	int			ncols;
	bool		penalized;		/* penalizer set by a row */
	double		penalizer;
	int64		n;
	int64		max;
	double	   *v;
} PredRows;

/*****************************************************************************
 * Models: validation, construction, I/O
 *****************************************************************************/

static void
pred_validate(const PredModel *m, const PredKind *kind, EngSource src)
{
	bool		fitted;
	const char *problem = NULL;

	eng_check_header(&m->hdr, sizeof(PredModel), PRED_VERSION, PRED_FLAG_FITTED,
					 kind->typname, src);
	if (m->reserved != 0)
		problem = "A reserved field is not zero.";
	fitted = (m->hdr.flags & PRED_FLAG_FITTED) != 0;
	for (int i = 0; i < PRED_MAX_PARAMS; i++)
	{
		if (i < kind->nparams ? !(isfinite(m->params[i]) && m->params[i] > 0.0) :
			m->params[i] != 0.0)
			problem = "A parameter is not a positive finite number.";
	}
	for (int i = 0; i < PRED_MAX_PARAMS; i++)
		for (int j = 0; j <= i; j++)
		{
			double		c = COV(m->cov, i, j);

			if (!fitted || i >= kind->nparams ? c != 0.0 :
				!isfinite(c) || (i == j && c < 0.0))
				problem = "The covariance matrix is invalid.";
		}
	if (fitted ? (m->customers < 1 || m->iterations < 0 || !isfinite(m->loglik)) :
		(m->customers != 0 || m->iterations != 0 || m->loglik != 0.0))
		problem = "The fit fields are invalid.";
	if (problem)
		ereport(ERROR,
				errcode(eng_source_errcode(src)),
				errmsg("invalid %s value", kind->typname),
				errdetail("%s", problem));
}

PredModel *
pred_getarg(FunctionCallInfo fcinfo, int argno, const PredKind *kind)
{
	PredModel  *m = (PredModel *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	pred_validate(m, kind, ENG_STORED);
	return m;
}

PredModel *
pred_new(void)
{
	PredModel  *m = palloc0(sizeof(PredModel));

	eng_init_header(&m->hdr, sizeof(PredModel), PRED_VERSION, 0);
	return m;
}

/* bgnbd(r, alpha, a, b) and gammagamma(p, q, gamma): a model from given parameters */
Datum
pred_construct(FunctionCallInfo fcinfo, const PredKind *kind)
{
	PredModel  *m = pred_new();

	for (int i = 0; i < kind->nparams; i++)
	{
		double		v = PG_GETARG_FLOAT8(i);

		if (!(isfinite(v) && v > 0.0))
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("%s parameter \"%s\" must be a positive finite number",
						   kind->typname, kind->names[i]));
		m->params[i] = v;
	}
	PG_RETURN_POINTER(m);
}

PG_FUNCTION_INFO_V1(engagement_bgnbd_make);
Datum
engagement_bgnbd_make(PG_FUNCTION_ARGS)
{
	return pred_construct(fcinfo, &bgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_gammagamma_make);
Datum
engagement_gammagamma_make(PG_FUNCTION_ARGS)
{
	return pred_construct(fcinfo, &gg_kind);
}

/*
 * Text form: (v=1,r=0.24,alpha=4.41,a=0.79,b=2.43) for given parameters;
 * a fit adds ,customers=2357,ll=-9582.43,iterations=31,cov=[c00,c10,c11,...]
 * (the covariance of the log-parameters, lower triangle by rows).
 */
Datum
pred_out(FunctionCallInfo fcinfo, const PredKind *kind)
{
	PredModel  *m = pred_getarg(fcinfo, 0, kind);
	StringInfoData buf;
	int			k = kind->nparams;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(v=%d", PRED_VERSION);
	for (int i = 0; i < k; i++)
	{
		appendStringInfo(&buf, ",%s=", kind->names[i]);
		eng_append_float8(&buf, m->params[i]);
	}
	if (m->hdr.flags & PRED_FLAG_FITTED)
	{
		appendStringInfo(&buf, ",customers=" INT64_FORMAT ",ll=", m->customers);
		eng_append_float8(&buf, m->loglik);
		appendStringInfo(&buf, ",iterations=%d,cov=[", m->iterations);
		for (int i = 0; i < k; i++)
			for (int j = 0; j <= i; j++)
			{
				if (i + j > 0)
					appendStringInfoChar(&buf, ',');
				eng_append_float8(&buf, COV(m->cov, i, j));
			}
		appendStringInfoChar(&buf, ']');
	}
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

Datum
pred_in(FunctionCallInfo fcinfo, const PredKind *kind)
{
	char	   *input = PG_GETARG_CSTRING(0);
	EngTextCursor c;
	PredModel  *m = pred_new();
	int			k = kind->nparams;

	eng_cursor_begin(&c, input, kind->typname, PRED_VERSION);
	for (int i = 0; i < k; i++)
	{
		eng_cursor_expect(&c, ',');
		eng_cursor_expect_key(&c, kind->names[i]);
		m->params[i] = eng_cursor_float8(&c);
	}
	if (eng_cursor_accept(&c, ','))
	{
		int64		iterations;

		m->hdr.flags |= PRED_FLAG_FITTED;
		eng_cursor_expect_key(&c, "customers");
		m->customers = eng_cursor_int64(&c);
		eng_cursor_expect(&c, ',');
		eng_cursor_expect_key(&c, "ll");
		m->loglik = eng_cursor_float8(&c);
		eng_cursor_expect(&c, ',');
		eng_cursor_expect_key(&c, "iterations");
		iterations = eng_cursor_int64(&c);
		if (iterations < 0 || iterations > PG_INT32_MAX)
			eng_cursor_error(&c, "The number of iterations is out of range.");
		m->iterations = (int32) iterations;
		eng_cursor_expect(&c, ',');
		eng_cursor_expect_key(&c, "cov");
		eng_cursor_expect(&c, '[');
		for (int i = 0; i < k; i++)
			for (int j = 0; j <= i; j++)
			{
				if (i + j > 0)
					eng_cursor_expect(&c, ',');
				m->cov[i * (i + 1) / 2 + j] = eng_cursor_float8(&c);
			}
		eng_cursor_expect(&c, ']');
	}
	eng_cursor_expect(&c, ')');
	eng_cursor_expect_end(&c);
	pred_validate(m, kind, ENG_TEXT);
	PG_RETURN_POINTER(m);
}

/* binary: version, flags, parameters; a fit adds customers, ll, iterations, covariance */
Datum
pred_send(FunctionCallInfo fcinfo, const PredKind *kind)
{
	PredModel  *m = pred_getarg(fcinfo, 0, kind);
	StringInfoData buf;
	int			k = kind->nparams;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, PRED_VERSION);
	pq_sendbyte(&buf, m->hdr.flags);
	for (int i = 0; i < k; i++)
		pq_sendfloat8(&buf, m->params[i]);
	if (m->hdr.flags & PRED_FLAG_FITTED)
	{
		pq_sendint64(&buf, m->customers);
		pq_sendfloat8(&buf, m->loglik);
		pq_sendint32(&buf, m->iterations);
		for (int i = 0; i < k * (k + 1) / 2; i++)
			pq_sendfloat8(&buf, m->cov[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
pred_recv(FunctionCallInfo fcinfo, const PredKind *kind)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	PredModel  *m = pred_new();
	int			k = kind->nparams;

	eng_recv_version(buf, PRED_VERSION, kind->typname);
	m->hdr.flags = pq_getmsgbyte(buf);
	for (int i = 0; i < k; i++)
		m->params[i] = pq_getmsgfloat8(buf);
	if (m->hdr.flags & PRED_FLAG_FITTED)
	{
		m->customers = pq_getmsgint64(buf);
		m->loglik = pq_getmsgfloat8(buf);
		m->iterations = pq_getmsgint(buf, 4);
		for (int i = 0; i < k * (k + 1) / 2; i++)
			m->cov[i] = pq_getmsgfloat8(buf);
	}
	eng_recv_end(buf, kind->typname, ENG_BINARY);
	pred_validate(m, kind, ENG_BINARY);
	PG_RETURN_POINTER(m);
}

PG_FUNCTION_INFO_V1(engagement_bgnbd_in);
Datum
engagement_bgnbd_in(PG_FUNCTION_ARGS)
{
	return pred_in(fcinfo, &bgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_bgnbd_out);
Datum
engagement_bgnbd_out(PG_FUNCTION_ARGS)
{
	return pred_out(fcinfo, &bgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_bgnbd_send);
Datum
engagement_bgnbd_send(PG_FUNCTION_ARGS)
{
	return pred_send(fcinfo, &bgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_bgnbd_recv);
Datum
engagement_bgnbd_recv(PG_FUNCTION_ARGS)
{
	return pred_recv(fcinfo, &bgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_gammagamma_in);
Datum
engagement_gammagamma_in(PG_FUNCTION_ARGS)
{
	return pred_in(fcinfo, &gg_kind);
}

PG_FUNCTION_INFO_V1(engagement_gammagamma_out);
Datum
engagement_gammagamma_out(PG_FUNCTION_ARGS)
{
	return pred_out(fcinfo, &gg_kind);
}

PG_FUNCTION_INFO_V1(engagement_gammagamma_send);
Datum
engagement_gammagamma_send(PG_FUNCTION_ARGS)
{
	return pred_send(fcinfo, &gg_kind);
}

PG_FUNCTION_INFO_V1(engagement_gammagamma_recv);
Datum
engagement_gammagamma_recv(PG_FUNCTION_ARGS)
{
	return pred_recv(fcinfo, &gg_kind);
}

/*
 * parameters(model) -> (parameter, estimate, std_error): the standard error
 * of a fitted parameter by the delta method from the log scale, NULL for a
 * model built from given parameters, and NULL when it is too large to be a
 * finite number (a parameter the data hardly identify).
 */
/*
 * The standard error of parameter i by the delta method: the covariance is
 * that of the log parameters (Infinity or NaN when the information matrix
 * was singular; callers report NULL then)
 */
double
pred_std_error(const PredModel *m, int i)
{
	return m->params[i] * sqrt(COV(m->cov, i, i));
}

Datum
pred_parameters(FunctionCallInfo fcinfo, const PredKind *kind)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	PredModel  *m;

	InitMaterializedSRF(fcinfo, 0);
	m = pred_getarg(fcinfo, 0, kind);
	for (int i = 0; i < kind->nparams; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = CStringGetTextDatum(kind->names[i]);
		values[1] = Float8GetDatum(m->params[i]);
		if (m->hdr.flags & PRED_FLAG_FITTED)
		{
			double		se = pred_std_error(m, i);

			values[2] = Float8GetDatum(eng_no_minus_zero(se));
			nulls[2] = !isfinite(se);
		}
		else
			nulls[2] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(engagement_bgnbd_parameters);
Datum
engagement_bgnbd_parameters(PG_FUNCTION_ARGS)
{
	return pred_parameters(fcinfo, &bgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_gammagamma_parameters);
Datum
engagement_gammagamma_parameters(PG_FUNCTION_ARGS)
{
	return pred_parameters(fcinfo, &gg_kind);
}

/* log_likelihood(model): at the estimate; NULL for given parameters */
Datum
pred_loglik(FunctionCallInfo fcinfo, const PredKind *kind)
{
	PredModel  *m = pred_getarg(fcinfo, 0, kind);

	if (!(m->hdr.flags & PRED_FLAG_FITTED))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(eng_no_minus_zero(m->loglik));
}

PG_FUNCTION_INFO_V1(engagement_bgnbd_loglik);
Datum
engagement_bgnbd_loglik(PG_FUNCTION_ARGS)
{
	return pred_loglik(fcinfo, &bgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_gammagamma_loglik);
Datum
engagement_gammagamma_loglik(PG_FUNCTION_ARGS)
{
	return pred_loglik(fcinfo, &gg_kind);
}

/* customers(model): rows the fit used; NULL for given parameters */
Datum
pred_customers(FunctionCallInfo fcinfo, const PredKind *kind)
{
	PredModel  *m = pred_getarg(fcinfo, 0, kind);

	if (!(m->hdr.flags & PRED_FLAG_FITTED))
		PG_RETURN_NULL();
	PG_RETURN_INT64(m->customers);
}

PG_FUNCTION_INFO_V1(engagement_bgnbd_customers);
Datum
engagement_bgnbd_customers(PG_FUNCTION_ARGS)
{
	return pred_customers(fcinfo, &bgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_gammagamma_customers);
Datum
engagement_gammagamma_customers(PG_FUNCTION_ARGS)
{
	return pred_customers(fcinfo, &gg_kind);
}

/*****************************************************************************
 * Checking customer data
 *****************************************************************************/

/* frequency: a whole number of repeat purchases, at least 0 */
static double
pred_frequency(double x)
{
	if (!isfinite(x) || x < 0.0 || x != floor(x))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("frequency must be a whole number of repeat purchases, not %g", x));
	if (x > 1e15)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("frequency %g is out of range", x),
				errdetail("Frequencies up to 10^15 are supported."));
	return x;
}

/* the BG/NBD data of one customer: x whole >= 0, 0 <= t_x <= T, t_x > 0 iff x > 0 */
static void
pred_check_bgnbd_data(double x, double tx, double T)
{
	pred_frequency(x);
	if (!isfinite(tx) || !isfinite(T) || tx < 0.0 || T < 0.0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("recency and age must be finite and not negative"));
	if (tx > T)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("recency %g is greater than age %g", tx, T),
				errdetail("Recency is the time from the first to the last purchase, age the time from the first purchase to the end of the observation period."));
	if (x == 0.0 && tx != 0.0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("recency must be 0 when frequency is 0"));
	if (x > 0.0 && tx == 0.0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("recency must be positive when frequency is positive"),
				errhint("Count purchases in the same period as one, as rfm_agg does."));
}

/* the Gamma-Gamma data of one repeat customer: monetary > 0 */
static void
pred_check_spend(double x, double zbar)
{
	pred_frequency(x);
	if (x > 0.0 && !(isfinite(zbar) && zbar > 0.0))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("monetary value must be positive for a customer with repeat purchases, not %g", zbar));
}

/*****************************************************************************
 * Fitting aggregates: gathering rows
 *****************************************************************************/

static void
pred_check_rows(int64 n)
{
	if (n > PRED_MAX_ROWS)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("a model can be fitted to at most %d customers", PRED_MAX_ROWS),
				errdetail("The limit keeps the serialized state of a parallel fit under 1 GB."));
}

static void
pred_rows_push(PredRows *s, const double *row, MemoryContext cxt)
{
	pred_check_rows(s->n + 1);
	if (s->n == s->max)
	{
		/* never more room than the limit allows */
		s->max = s->max ? Min(s->max * 2, PRED_MAX_ROWS) : 64;
		s->v = s->v ? repalloc_huge(s->v, sizeof(double) * s->ncols * s->max) :
			MemoryContextAllocHuge(cxt, sizeof(double) * s->ncols * s->max);
	}
	memcpy(s->v + s->n * s->ncols, row, sizeof(double) * s->ncols);
	s->n++;
}

/*
 * The working state of both fits, one C implementation of the shared
 * model_fit_combine, _serial and _deserial: rows in arrival order, merged
 * by appending.  A new state takes its number of columns from its first
 * transition or merge.  Serial form: ncols (int32), whether the penalizer
 * is set (byte), the penalizer (float8), the number of rows (int32), then
 * the rows of ncols float8 each.
 */
static const EngRecordCount pred_serial_rows[2] = {
	{"model fit", "Gamma-Gamma customers", 0, PRED_MAX_ROWS, 2 * sizeof(float8), true,
	pred_check_rows},
	{"model fit", "BG/NBD customers", 0, PRED_MAX_ROWS, 3 * sizeof(float8), true,
	pred_check_rows},
};

/*
 * The penalizer of a fit (a NULL is 0): finite, not negative, and the same
 * on every row of a group; *penalized says whether *current is set
 */
static void
pred_penalize(bool *penalized, double *current, double penalizer,
			  const char *fitname)
{
	if (!(isfinite(penalizer) && penalizer >= 0.0))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("%s penalizer must be finite and not negative, not %g",
					   fitname, penalizer));
	if (!*penalized)
	{
		*penalized = true;
		*current = penalizer;
	}
	else if (*current != penalizer)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("%s penalizer must be the same for every row of a group", fitname),
				errdetail("One row has %g, another %g.", *current, penalizer));
}

static void
pred_rows_penalize(PredRows *s, double penalizer, const char *fitname)
{
	/* merged states do not know which of the two BG/NBD fits they serve */
	if (fitname == NULL)
		fitname = s->ncols == 2 ? gg_kind.fitname : "bgnbd_fit or mbgnbd_fit";
	pred_penalize(&s->penalized, &s->penalizer, penalizer, fitname);
}

static void
pred_rows_merge(void *dst, const void *src, MemoryContext cxt)
{
	PredRows   *to = dst;
	const PredRows *from = src;

	if (to->ncols == 0)
		to->ncols = from->ncols;
	if (to->ncols != from->ncols)
		elog(ERROR, "model fit states of different kinds cannot be combined");
	if (from->penalized)
		pred_rows_penalize(to, from->penalizer, NULL);
	for (int64 i = 0; i < from->n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pred_rows_push(to, from->v + i * from->ncols, cxt);
	}
}

static void
pred_rows_serialize(StringInfo buf, const void *state)
{
	const PredRows *s = state;

	pq_sendint32(buf, s->ncols);
	pq_sendbyte(buf, s->penalized ? 1 : 0);
	pq_sendfloat8(buf, s->penalizer);
	pq_sendint32(buf, (int32) s->n);
	for (int64 i = 0; i < s->n * s->ncols; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendfloat8(buf, s->v[i]);
	}
}

static void
pred_rows_deserialize(StringInfo buf, void *state, MemoryContext cxt)
{
	PredRows   *s = state;
	int32		n;

	s->ncols = pq_getmsgint(buf, 4);
	if (s->ncols != 2 && s->ncols != 3)
		ereport(ERROR,
				errcode(ERRCODE_DATA_CORRUPTED),
				errmsg("invalid model fit value"),
				errdetail("A fitting state has %d columns, not 2 or 3.", s->ncols));
	if (pq_getmsgbyte(buf) != 0)
		pred_rows_penalize(s, pq_getmsgfloat8(buf), NULL);
	else if (pq_getmsgfloat8(buf) != 0.0)
		ereport(ERROR,
				errcode(ERRCODE_DATA_CORRUPTED),
				errmsg("invalid model fit value"),
				errdetail("A fitting state without a penalizer has a penalizer value."));
	n = eng_recv_count(buf, &pred_serial_rows[s->ncols - 2], ENG_STORED);
	for (int32 i = 0; i < n; i++)
	{
		double		row[3];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		for (int j = 0; j < s->ncols; j++)
			row[j] = pq_getmsgfloat8(buf);
		/* checked as if typed by a user, as the transition functions do */
		if (s->ncols == 3)
			pred_check_bgnbd_data(row[0], row[1], row[2]);
		else
		{
			pred_check_spend(row[0], row[1]);
			if (row[0] == 0.0)
				ereport(ERROR,
						errcode(ERRCODE_DATA_CORRUPTED),
						errmsg("invalid model fit value"),
						errdetail("A Gamma-Gamma fitting state holds a customer without repeat purchases."));
		}
		pred_rows_push(s, row, cxt);
	}
}

static const EngBuildOps pred_rows_ops = {
	.typname = "model fit",
	.size = sizeof(PredRows),
	.merge = pred_rows_merge,
	.serialize = pred_rows_serialize,
	.deserialize = pred_rows_deserialize,
};

/*
 * argument 0 of a fit's transition function, for rows of ncols columns;
 * argument ncols + 1, where the aggregate has it, is the penalizer
 */
static PredRows *
pred_rows_arg(FunctionCallInfo fcinfo, int ncols, const PredKind *kind,
			  MemoryContext *aggcontext)
{
	PredRows   *s = eng_build_arg(fcinfo, &pred_rows_ops, aggcontext);

	if (s->ncols == 0)
		s->ncols = ncols;
	if (PG_NARGS() > ncols + 1)
		pred_rows_penalize(s, PG_ARGISNULL(ncols + 1) ? 0.0 :
						   PG_GETARG_FLOAT8(ncols + 1), kind->fitname);
	return s;
}

/*
 * bgnbd_fit(frequency, recency, age [, penalizer]): rows with a NULL are
 * skipped
 */
static Datum
bgnbd_trans_common(FunctionCallInfo fcinfo, const PredKind *kind)
{
	MemoryContext aggcontext;
	PredRows   *s = pred_rows_arg(fcinfo, 3, kind, &aggcontext);
	double		row[3];

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(s);
	row[0] = PG_GETARG_FLOAT8(1);
	row[1] = PG_GETARG_FLOAT8(2);
	row[2] = PG_GETARG_FLOAT8(3);
	pred_check_bgnbd_data(row[0], row[1], row[2]);
	pred_rows_push(s, row, aggcontext);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(engagement_bgnbd_trans);
Datum
engagement_bgnbd_trans(PG_FUNCTION_ARGS)
{
	return bgnbd_trans_common(fcinfo, &bgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_mbgnbd_trans);
Datum
engagement_mbgnbd_trans(PG_FUNCTION_ARGS)
{
	return bgnbd_trans_common(fcinfo, &mbgnbd_kind);
}

/*
 * gammagamma_fit(frequency, monetary [, penalizer]): NULLs and customers
 * without repeats are skipped
 */
PG_FUNCTION_INFO_V1(engagement_gammagamma_trans);
Datum
engagement_gammagamma_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	PredRows   *s = pred_rows_arg(fcinfo, 2, &gg_kind, &aggcontext);
	double		row[2];

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(s);
	row[0] = PG_GETARG_FLOAT8(1);
	row[1] = PG_GETARG_FLOAT8(2);
	pred_check_spend(row[0], row[1]);
	if (row[0] > 0.0)
		pred_rows_push(s, row, aggcontext);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(engagement_pred_combine);
Datum
engagement_pred_combine(PG_FUNCTION_ARGS)
{
	return eng_build_combine(fcinfo, &pred_rows_ops);
}

PG_FUNCTION_INFO_V1(engagement_pred_serial);
Datum
engagement_pred_serial(PG_FUNCTION_ARGS)
{
	return eng_build_serial(fcinfo, &pred_rows_ops);
}

PG_FUNCTION_INFO_V1(engagement_pred_deserial);
Datum
engagement_pred_deserial(PG_FUNCTION_ARGS)
{
	return eng_build_deserial(fcinfo, &pred_rows_ops);
}

/*****************************************************************************
 * Fitting rows of the models with their own row layouts (predict.h)
 *****************************************************************************/

static Size
pred_fit_row_size(const PredFitSpec *spec)
{
	return sizeof(float8) * spec->nvals + (spec->counted ? sizeof(int64) : 0);
}

static int64
pred_fit_row_count(const PredFitSpec *spec, const char *row)
{
	int64		count;

	if (!spec->counted)
		return 1;
	memcpy(&count, row + sizeof(float8) * spec->nvals, sizeof(int64));
	return count;
}

/* the init of a spec's EngBuildOps */
void
pred_fit_init(void *state, const PredFitSpec *spec)
{
	PredFitRows *s = state;

	s->magic = PRED_FIT_MAGIC;
	s->spec = spec;
}

/*
 * A working state of this spec (an aggregate of the user's own can pair the
 * support functions with the state of another aggregate)
 */
PredFitRows *
pred_fit_state(const void *state, const PredFitSpec *spec)
{
	const PredFitRows *s = state;

	if (s->magic != PRED_FIT_MAGIC || s->spec != spec)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("a %s support function was given the state of another aggregate",
					   spec->kind->fitname));
	return (PredFitRows *) s;
}

void
pred_fit_push(PredFitRows *s, const void *row, MemoryContext cxt)
{
	const PredFitSpec *spec = s->spec;
	Size		size = pred_fit_row_size(spec);

	if (s->n >= spec->max_rows)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("%s can fit at most %d rows", spec->kind->fitname, spec->max_rows),
				errdetail("%s", spec->limit_detail));
	if (pg_add_s64_overflow(s->customers, pred_fit_row_count(spec, row), &s->customers))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("%s customer count is out of range", spec->kind->fitname),
				errdetail("The counts add up to more than %lld customers.",
						  (long long) PG_INT64_MAX));
	if (s->n == s->max)
	{
		/* never more room than the limit allows */
		s->max = s->max ? Min(s->max * 2, spec->max_rows) : 64;
		s->rows = s->rows ? repalloc_huge(s->rows, size * s->max) :
			MemoryContextAllocHuge(cxt, size * s->max);
	}
	memcpy(s->rows + size * s->n, row, size);
	s->n++;
}

/* the penalizer of a fit, as pred_penalize checks it */
void
pred_fit_penalize(PredFitRows *s, double penalizer)
{
	pred_penalize(&s->penalized, &s->penalizer, penalizer, s->spec->kind->fitname);
}

void
pred_fit_merge(void *dst, const void *src, const PredFitSpec *spec,
			   MemoryContext cxt)
{
	PredFitRows *to = pred_fit_state(dst, spec);
	const PredFitRows *from = pred_fit_state(src, spec);
	Size		size = pred_fit_row_size(spec);

	if (from->penalized)
		pred_fit_penalize(to, from->penalizer);
	for (int64 i = 0; i < from->n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pred_fit_push(to, from->rows + size * i, cxt);
	}
}

void
pred_fit_serialize(StringInfo buf, const void *state, const PredFitSpec *spec)
{
	const PredFitRows *s = pred_fit_state(state, spec);
	Size		size = pred_fit_row_size(spec);

	pq_sendbyte(buf, s->penalized ? 1 : 0);
	pq_sendfloat8(buf, s->penalizer);
	pq_sendint32(buf, (int32) s->n);
	for (int64 i = 0; i < s->n; i++)
	{
		const char *row = s->rows + size * i;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		for (int j = 0; j < spec->nvals; j++)
		{
			float8		v;

			memcpy(&v, row + sizeof(float8) * j, sizeof(float8));
			pq_sendfloat8(buf, v);
		}
		if (spec->counted)
			pq_sendint64(buf, pred_fit_row_count(spec, row));
	}
}

void
pred_fit_deserialize(StringInfo buf, void *state, const PredFitSpec *spec,
					 MemoryContext cxt)
{
	PredFitRows *s = pred_fit_state(state, spec);
	const EngRecordCount rc = {spec->typname, "rows", 0, spec->max_rows,
	pred_fit_row_size(spec), true, NULL};
	char		row[PRED_MAX_PARAMS * sizeof(float8) + sizeof(int64)];
	int32		n;

	Assert(spec->nvals <= PRED_MAX_PARAMS);
	if (pq_getmsgbyte(buf) != 0)
		pred_fit_penalize(s, pq_getmsgfloat8(buf));
	else if (pq_getmsgfloat8(buf) != 0.0)
		ereport(ERROR,
				errcode(ERRCODE_DATA_CORRUPTED),
				errmsg("invalid %s value", spec->typname),
				errdetail("A fitting state without a penalizer has a penalizer value."));
	n = eng_recv_count(buf, &rc, ENG_STORED);
	for (int32 i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		for (int j = 0; j < spec->nvals; j++)
		{
			float8		v = pq_getmsgfloat8(buf);

			memcpy(row + sizeof(float8) * j, &v, sizeof(float8));
		}
		if (spec->counted)
		{
			int64		count = pq_getmsgint64(buf);

			if (count <= 0)
				ereport(ERROR,
						errcode(ERRCODE_DATA_CORRUPTED),
						errmsg("invalid %s value", spec->typname),
						errdetail("A row of a fitting state has a count below 1."));
			memcpy(row + sizeof(float8) * spec->nvals, &count, sizeof(int64));
		}
		/* checked as if typed by a user, as the transition function does */
		spec->check_row(row);
		pred_fit_push(s, row, cxt);
	}
}

/* a fit needs a customer with a repeat: the first value of a row > 0 */
void
pred_fit_need_repeat(const PredFitRows *s)
{
	Size		size = pred_fit_row_size(s->spec);

	for (int64 i = 0; i < s->n; i++)
	{
		float8		x;

		memcpy(&x, s->rows + size * i, sizeof(float8));
		if (x > 0.0)
			return;
	}
	ereport(ERROR,
			errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			errmsg("%s needs at least one customer with a repeat %s",
				   s->spec->kind->fitname, s->spec->repeat));
}

/*
 * The distinct rows of a fit, sorted by cmp, in *rows (a copy: the state may
 * be reused), and their weights (the customers of each) in *weights, both
 * allocated in the current context; returns their number
 */
int64
pred_fit_distinct(const PredFitRows *s, qsort_arg_comparator cmp,
				  void **rows, double **weights)
{
	Size		size = pred_fit_row_size(s->spec);
	char	   *r = palloc_extended(size * Max(s->n, 1), MCXT_ALLOC_HUGE);
	double	   *w = palloc_extended(sizeof(double) * Max(s->n, 1), MCXT_ALLOC_HUGE);
	int64		k = 0;

	memcpy(r, s->rows, size * s->n);
	qsort_interruptible(r, s->n, size, cmp, NULL);
	for (int64 i = 0; i < s->n; i++)
	{
		double		count = (double) pred_fit_row_count(s->spec, r + size * i);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (k > 0 && cmp(r + size * (k - 1), r + size * i, NULL) == 0)
			w[k - 1] += count;
		else
		{
			if (k != i)
				memcpy(r + size * k, r + size * i, size);
			w[k++] = count;
		}
	}
	*rows = r;
	*weights = w;
	return k;
}

/*****************************************************************************
 * Maximum likelihood
 *****************************************************************************/

/*
 * The objectives below are minus the log-likelihood divided by the total
 * weight, and its gradient, at theta = log(parameters), for num_minimise.
 * numerics.c cannot check for interrupts: each objective does, and the
 * minimiser calls one at least once per iteration, so a fit is cancellable.
 */

/*
 * lifetimes' penalizer (penalizer_coef): c times the sum of the squared
 * parameters, added to the objective, each parameter times scale[i] (the
 * time scale lifetimes fits alpha on); its gradient over theta is added to
 * grad.  Not called for c = 0, so that such a fit is the unpenalized one,
 * bit for bit.
 */
static double
pred_penalty(const double *theta, const double *scale, int k, double c, double *grad)
{
	double		sum = 0.0;

	for (int i = 0; i < k; i++)
	{
		double		v = exp(theta[i]) * scale[i];

		sum += v * v;
		grad[i] += 2.0 * c * v * v;
	}
	return c * sum;
}

/*
 * After a penalized fit, fit->f becomes the unpenalized objective at the
 * estimate (*penalizer is set to 0 to evaluate it), so that the model
 * stores the log-likelihood of the data.
 */
static void
pred_unpenalize(NumObjective obj, void *arg, double *penalizer, NumFit *fit)
{
	double		grad[NUM_MAX_PARAMS];

	if (*penalizer == 0.0)
		return;
	*penalizer = 0.0;
	(void) obj(fit->theta, &fit->f, grad, arg);
}

/* the hint of an overflow that the data's units cause */

/*
 * Maximise the likelihood of a fit (minimise its objective), or raise the
 * error of the failure: 22M01 when the data do not determine the model,
 * with the reason in DETAIL; 22003 when the likelihood overflows at the
 * start or next to the maximum, which only data near the ends of the range
 * of doubles reach (amounts of 1e305, a trillion purchases in 1e-299).
 */
/*
 * Why a fit stopped without a maximum (the DETAIL of its 22M01 error, and
 * the status of its diagnostics); NULL for NUM_OK.
 */
const char *
pred_status_reason(NumStatus status, const NumFit *fit, const double *theta0,
				   const PredKind *kind)
{
	switch (status)
	{
		case NUM_OK:
			return NULL;
		case NUM_EVAL_FAILED:
			return "The likelihood cannot be evaluated on this data.";
		case NUM_EVAL_FAILED_NEAR_MINIMUM:
			return "The likelihood cannot be evaluated near its maximum.";
		case NUM_PARAM_DIVERGES:
			return psprintf("Parameter \"%s\" tends to %s.", kind->names[fit->param],
							fit->theta[fit->param] > theta0[fit->param] ? "infinity" : "zero");
		case NUM_NOT_CONVERGED:
			return psprintf("No maximum of the likelihood was reached in %d iterations.",
							NUM_MAX_ITER);
		case NUM_NO_IMPROVEMENT:
			return "The likelihood stopped improving away from a maximum.";
		case NUM_NO_DESCENT:
			return "No step improves the likelihood.";
		case NUM_NOT_A_MINIMUM:
			return "The likelihood has no proper maximum: the information matrix at the estimate is singular or not positive definite.";
		default:
			elog(ERROR, "unexpected status %d of num_minimise", (int) status);
			return NULL;
	}
}

void
pred_maximise(NumObjective obj, void *arg, const PredKind *kind,
			  const double *theta0, double wsum, double penalizer, NumFit *fit)
{
	NumStatus	status = num_minimise(obj, arg, kind->nparams, theta0, wsum, fit);
	const char *reason;
	const char *hint = psprintf("The data may not identify the model: check that enough customers made repeat %s.",
								kind->events);

	switch (status)
	{
		case NUM_OK:
			return;
		case NUM_EVAL_FAILED:
		case NUM_EVAL_FAILED_NEAR_MINIMUM:
			ereport(ERROR,
					errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					status == NUM_EVAL_FAILED ?
					errmsg("%s cannot evaluate the likelihood of this data", kind->fitname) :
					errmsg("%s cannot evaluate the likelihood near its maximum", kind->fitname),
					errhint("%s", kind->unit_hint));
			return;
		case NUM_PARAM_DIVERGES:
			if (penalizer == 0.0)
				hint = psprintf("Fit again with a penalizer, as lifetimes' penalizer_coef: %s.",
								kind->penalized_call);
			else
				hint = "Fit again with a larger penalizer.";
			break;
		default:
			break;
	}
	reason = pred_status_reason(status, fit, theta0, kind);
	ereport(ERROR,
			errcode(ERRCODE_ENG_MODEL_FAILED),
			errmsg("%s did not converge", kind->fitname),
			errdetail("%s", reason),
			errhint("%s", hint));
}

/* the model of a finished fit; the objective was divided by wsum */
static PredModel *
pred_fitted_model(const NumFit *fit, const PredKind *kind, double wsum, int64 customers)
{
	PredModel  *m = pred_new();
	bool		finite;

	m->hdr.flags = PRED_FLAG_FITTED;
	m->iterations = fit->iterations;
	m->customers = customers;
	m->loglik = -fit->f * wsum;
	for (int i = 0; i < fit->k; i++)
		m->params[i] = exp(fit->theta[i]);
	/* the Hessian was of the per-customer objective: scale back */
	for (int i = 0; i < PRED_NCOV; i++)
		m->cov[i] = fit->cov[i] / wsum;
	/* what is stored must read back: a model that would not is an error now */
	finite = isfinite(m->loglik);
	for (int i = 0; i < fit->k; i++)
		finite &= isfinite(m->params[i]) && m->params[i] > 0.0;
	for (int i = 0; i < PRED_NCOV; i++)
		finite &= isfinite(m->cov[i]);
	if (!finite)
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("%s estimate is out of range", kind->fitname),
				errdetail("A parameter, the log-likelihood or the covariance is zero or too large for a double."),
				errhint(PRED_UNIT_HINT));
	return m;
}

/* comparators for qsort_interruptible: a fit sorts up to 40M rows */
static int
pred_cmp3(const void *a, const void *b, void *arg)
{
	const double *x = a;
	const double *y = b;

	for (int i = 0; i < 3; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

static int
pred_cmp2(const void *a, const void *b, void *arg)
{
	const double *x = a;
	const double *y = b;

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return (x[1] > y[1]) - (x[1] < y[1]);
}

static int
pred_cmp_double(const void *a, const void *b, void *arg)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

/* index of v in the sorted distinct array t[0..n) */
static int32
pred_find(const double *t, int32 n, double v)
{
	int32		lo = 0,
				hi = n - 1;

	while (lo < hi)
	{
		int32		mid = lo + (hi - lo) / 2;

		if (t[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The fit as a fit_diagnostics record instead of a model
 * (<model>_fit_diagnostics): whether it converged and why not, its
 * iterations, the log-likelihood of the data (without the penalty), the norm
 * of the gradient of the objective it minimised (minus the mean
 * log-likelihood plus the penalty, over the logarithms of the parameters) at
 * the estimate, the parameters (where the search stopped when it did not
 * converge) and their covariance matrix (delta method from the inverse
 * Hessian over the log-parameters, as the standard errors; NULL without a
 * maximum).  A fit that does not converge is reported, not raised; data the
 * fit refuses still raise their errors.
 */
Datum
pred_diagnostics(FunctionCallInfo fcinfo, NumObjective obj, void *arg, double *penalizer,
				 const PredKind *kind, const double *theta0, double wsum,
				 MemoryContext resultcxt)
{
	NumFit		fit;
	NumStatus	status;
	double		grad[NUM_MAX_PARAMS];
	double		f;
	bool		have_grad;
	int			k = kind->nparams;
	TupleDesc	tupdesc;
	Datum		values[8];
	bool		nulls[8] = {false};
	Datum		params[PRED_MAX_PARAMS];
	Datum		names[PRED_MAX_PARAMS];
	Datum		cov[PRED_MAX_PARAMS * PRED_MAX_PARAMS];
	const char *reason;
	double		gnorm = 0.0;
	MemoryContext old;
	Datum		result;

	status = num_minimise(obj, arg, k, theta0, wsum, &fit);
	if (status == NUM_EVAL_FAILED)
		memcpy(fit.theta, theta0, sizeof(double) * k);
	reason = pred_status_reason(status, &fit, theta0, kind);
	have_grad = obj(fit.theta, &f, grad, arg);
	for (int i = 0; i < k; i++)
		gnorm += grad[i] * grad[i];
	/* the log-likelihood of the data, without the penalty */
	*penalizer = 0.0;
	if (!obj(fit.theta, &fit.f, grad, arg))
		fit.f = INFINITY;

	old = MemoryContextSwitchTo(resultcxt);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE ||
		tupdesc->natts != 8)
		elog(ERROR, "%s_diagnostics must return a fit_diagnostics record", kind->fitname);
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = BoolGetDatum(status == NUM_OK);
	values[1] = CStringGetTextDatum(reason ? reason : "converged");
	values[2] = Int32GetDatum(fit.iterations);
	if (isfinite(fit.f))
		values[3] = Float8GetDatum(-fit.f * wsum);
	else
		nulls[3] = true;
	if (have_grad && isfinite(gnorm))
		values[4] = Float8GetDatum(sqrt(gnorm));
	else
		nulls[4] = true;
	for (int i = 0; i < k; i++)
	{
		params[i] = Float8GetDatum(exp(fit.theta[i]));
		names[i] = CStringGetTextDatum(kind->names[i]);
	}
	values[5] = PointerGetDatum(construct_array(names, k, TEXTOID, -1, false, TYPALIGN_INT));
	values[6] = PointerGetDatum(construct_array(params, k, FLOAT8OID, sizeof(float8),
												FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	if (status == NUM_OK)
	{
		int			dims[2] = {k, k};
		int			lbs[2] = {1, 1};

		for (int i = 0; i < k; i++)
			for (int j = 0; j < k; j++)
				cov[i * k + j] = Float8GetDatum(exp(fit.theta[i]) * exp(fit.theta[j]) *
												COV(fit.cov, i, j) / wsum);
		values[7] = PointerGetDatum(construct_md_array(cov, NULL, 2, dims, lbs, FLOAT8OID,
													   sizeof(float8), FLOAT8PASSBYVAL,
													   TYPALIGN_DOUBLE));
	}
	else
		nulls[7] = true;
	/* the record in the caller's context: the fit's is deleted on return */
	result = HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
	MemoryContextSwitchTo(old);
	PG_RETURN_DATUM(result);
}

/*
 * BG/NBD data prepared for the likelihood: distinct rows (x, t_x, T) with
 * weights, grouped by x; times as indexes into the sorted distinct times.
 */
typedef struct BgData
{
	int32		nrows;
	int32	   *tx_idx;
	int32	   *T_idx;
	double	   *w;
	int32	   *group;			/* distinct-x group of each row */
	int32		ngroups;
	double	   *gx;				/* x of each group */
	double	   *gw;				/* weight of each group */
	int32		ntimes;
	double	   *times;
	double	   *lt;				/* scratch: log(alpha + time) */
	double	   *it;				/* scratch: 1 / (alpha + time) */

	/*
	 * When few times repeat, the logarithms are taken row by row from the
	 * rows' own times (sequential reads) instead of from the table of
	 * distinct times (as many logarithms, read at random).  Both give the
	 * same numbers.
	 */
	bool		by_row;
	double	   *row_tx;
	double	   *row_T;
	double		wsum;
	double		penalizer;
	double		alpha_scale;	/* 1 / the largest age, as lifetimes scales */
	bool		modified;		/* MBG/NBD: a customer may drop out at time 0 */
} BgData;

/*
 * Per customer (weights w):
 *   ln L = A1 + A2 + ln(e^A3 + [x > 0] e^A4)
 *   A1 = lnG(r+x) - lnG(r) + r ln alpha
 *   A2 = lnG(a+b) + lnG(b+x) - lnG(b) - lnG(a+b+x)
 *   A3 = -(r+x) ln(alpha+T)
 *   A4 = ln a - ln(b+x-1) - (r+x) ln(alpha+t_x)
 *
 * MBG/NBD (Batislam, Denizel and Filiztekin 2007) lets a customer drop out
 * at time 0 too, so b + x takes the place of b + x - 1 and the e^A4 term
 * is there for every x:
 *   A2 = lnG(a+b) + lnG(b+x+1) - lnG(b) - lnG(a+b+x+1)
 *   A4 = ln a - ln(b+x) - (r+x) ln(alpha+t_x)
 */
static bool
bgnbd_objective(const double *theta, double *f, double *grad, void *arg)
{
	BgData	   *d = (BgData *) arg;
	double		r = exp(theta[0]),
				alpha = exp(theta[1]),
				a = exp(theta[2]),
				b = exp(theta[3]);
	double		ll = 0.0;
	double		gr = 0.0,
				galpha = 0.0,
				ga = 0.0,
				gb = 0.0;
	double		lna = log(a);
	double		lnalpha = log(alpha);
	int32		gi = -1;
	double		x = 0.0,
				lnbx1 = 0.0,
				ibx1 = 0.0;

	CHECK_FOR_INTERRUPTS();
	for (int32 i = 0; i < d->ntimes && !d->by_row; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		d->lt[i] = log(alpha + d->times[i]);
		d->it[i] = 1.0 / (alpha + d->times[i]);
	}

	/* terms of x alone (bx: x, or x + 1 for MBG/NBD) */
	for (int32 g = 0; g < d->ngroups; g++)
	{
		double		gx = d->gx[g];
		double		bx = d->modified ? gx + 1.0 : gx;
		double		w = d->gw[g];

		if ((g & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		ll += w * (lgamma(r + gx) - lgamma(r) + r * lnalpha +
				   lgamma(a + b) + lgamma(b + bx) - lgamma(b) - lgamma(a + b + bx));
		gr += w * (num_digamma(r + gx) - num_digamma(r) + lnalpha);
		galpha += w * r / alpha;
		ga += w * (num_digamma(a + b) - num_digamma(a + b + bx));
		gb += w * (num_digamma(a + b) + num_digamma(b + bx) - num_digamma(b) -
				   num_digamma(a + b + bx));
	}

	for (int32 i = 0; i < d->nrows; i++)
	{
		double		w = d->w[i];
		double		lT,
					iT,
					A3;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (d->group[i] != gi)
		{
			gi = d->group[i];
			x = d->gx[gi];
			if (d->modified)
			{
				lnbx1 = log(b + x);
				ibx1 = 1.0 / (b + x);
			}
			else if (x > 0.0)
			{
				lnbx1 = log(b + (x - 1.0));
				ibx1 = 1.0 / (b + (x - 1.0));
			}
		}
		if (d->by_row)
		{
			lT = log(alpha + d->row_T[i]);
			iT = 1.0 / (alpha + d->row_T[i]);
		}
		else
		{
			lT = d->lt[d->T_idx[i]];
			iT = d->it[d->T_idx[i]];
		}
		A3 = -(r + x) * lT;
		if (x == 0.0 && !d->modified)
		{
			ll += w * A3;
			gr -= w * lT;
			galpha -= w * (r + x) * iT;
		}
		else
		{
			double		ltx,
						itx;
			double		A4,
						m,
						e3,
						e4,
						p3,
						p4;

			if (d->by_row)
			{
				ltx = log(alpha + d->row_tx[i]);
				itx = 1.0 / (alpha + d->row_tx[i]);
			}
			else
			{
				ltx = d->lt[d->tx_idx[i]];
				itx = d->it[d->tx_idx[i]];
			}
			A4 = lna - lnbx1 - (r + x) * ltx;
			m = Max(A3, A4);
			e3 = exp(A3 - m);
			e4 = exp(A4 - m);
			p3 = e3 / (e3 + e4);
			p4 = 1.0 - p3;

			ll += w * (m + log(e3 + e4));
			gr -= w * (p3 * lT + p4 * ltx);
			galpha -= w * (r + x) * (p3 * iT + p4 * itx);
			ga += w * p4 / a;
			gb -= w * p4 * ibx1;
		}
	}
	*f = -ll / d->wsum;
	grad[0] = -gr * r / d->wsum;
	grad[1] = -galpha * alpha / d->wsum;
	grad[2] = -ga * a / d->wsum;
	grad[3] = -gb * b / d->wsum;
	if (d->penalizer > 0.0)
	{
		const double scale[4] = {1.0, d->alpha_scale, 1.0, 1.0};

		*f += pred_penalty(theta, scale, 4, d->penalizer, grad);
	}
	return isfinite(*f) && isfinite(grad[0]) && isfinite(grad[1]) &&
		isfinite(grad[2]) && isfinite(grad[3]);
}

static void
bgnbd_prepare(PredRows *s, BgData *d)
{
	double	   *v = s->v;
	int32		k = 0;
	int64		nt = 0;

	/* distinct rows with weights */
	qsort_interruptible(v, s->n, sizeof(double) * 3, pred_cmp3, NULL);
	d->w = palloc_extended(sizeof(double) * s->n, MCXT_ALLOC_HUGE);
	for (int64 i = 0; i < s->n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (k > 0 && pred_cmp3(v + 3 * (k - 1), v + 3 * i, NULL) == 0)
			d->w[k - 1] += 1.0;
		else
		{
			memmove(v + 3 * k, v + 3 * i, sizeof(double) * 3);
			d->w[k++] = 1.0;
		}
	}
	d->nrows = k;
	d->wsum = (double) s->n;

	/* distinct times */
	d->times = palloc_extended(sizeof(double) * 2 * k, MCXT_ALLOC_HUGE);
	for (int32 i = 0; i < k; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		d->times[nt++] = v[3 * i + 1];
		d->times[nt++] = v[3 * i + 2];
	}
	qsort_interruptible(d->times, nt, sizeof(double), pred_cmp_double, NULL);
	d->ntimes = 0;
	for (int64 i = 0; i < nt; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (d->ntimes == 0 || d->times[d->ntimes - 1] != d->times[i])
			d->times[d->ntimes++] = d->times[i];
	}
	d->lt = palloc_extended(sizeof(double) * d->ntimes, MCXT_ALLOC_HUGE);
	d->it = palloc_extended(sizeof(double) * d->ntimes, MCXT_ALLOC_HUGE);

	/*
	 * Row by row when the distinct times are more than half the rows: the
	 * table then saves few logarithms and its reads miss the cache.
	 */
	d->by_row = d->ntimes > k / 2;
	if (d->by_row)
	{
		d->row_tx = palloc_extended(sizeof(double) * k, MCXT_ALLOC_HUGE);
		d->row_T = palloc_extended(sizeof(double) * k, MCXT_ALLOC_HUGE);
		for (int32 i = 0; i < k; i++)
		{
			d->row_tx[i] = v[3 * i + 1];
			d->row_T[i] = v[3 * i + 2];
		}
	}

	/* rows point at times and at their distinct-x group */
	d->tx_idx = palloc_extended(sizeof(int32) * k, MCXT_ALLOC_HUGE);
	d->T_idx = palloc_extended(sizeof(int32) * k, MCXT_ALLOC_HUGE);
	d->group = palloc_extended(sizeof(int32) * k, MCXT_ALLOC_HUGE);
	d->gx = palloc_extended(sizeof(double) * k, MCXT_ALLOC_HUGE);
	d->gw = palloc_extended(sizeof(double) * k, MCXT_ALLOC_HUGE);
	d->ngroups = 0;
	for (int32 i = 0; i < k; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (d->ngroups == 0 || d->gx[d->ngroups - 1] != v[3 * i])
		{
			d->gx[d->ngroups] = v[3 * i];
			d->gw[d->ngroups++] = 0.0;
		}
		d->gw[d->ngroups - 1] += d->w[i];
		d->group[i] = d->ngroups - 1;
		d->tx_idx[i] = pred_find(d->times, d->ntimes, v[3 * i + 1]);
		d->T_idx[i] = pred_find(d->times, d->ntimes, v[3 * i + 2]);
	}
}

/* final of bgnbd_fit and mbgnbd_fit (the modified model) */
static Datum
bgnbd_final_common(FunctionCallInfo fcinfo, const PredKind *kind, bool modified,
				   bool diagnostics)
{
	PredRows   *s;
	MemoryContext fitcxt,
				oldcxt;
	BgData		d;
	NumFit		fit;
	double		theta0[4];
	double		sx = 0.0,
				sT = 0.0;
	PredModel  *result;
	bool		repeat = false;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (PredRows *) PG_GETARG_POINTER(0);
	if (s->ncols != 3)
		elog(ERROR, "%s_final called with a state of another aggregate", kind->fitname);
	if (s->n == 0)
		PG_RETURN_NULL();
	for (int64 i = 0; i < s->n && !repeat; i++)
		repeat = s->v[3 * i] > 0.0;
	if (!repeat)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("%s needs at least one customer with a repeat purchase", kind->fitname));

	fitcxt = AllocSetContextCreate(CurrentMemoryContext, "bgnbd_fit",
								   ALLOCSET_DEFAULT_SIZES);
	memset(&d, 0, sizeof(d));
	oldcxt = MemoryContextSwitchTo(fitcxt);
	/* the rows are sorted in place: work on a copy, the state may be reused */
	{
		PredRows	copy = *s;

		copy.v = palloc_extended(sizeof(double) * 3 * s->n, MCXT_ALLOC_HUGE);
		memcpy(copy.v, s->v, sizeof(double) * 3 * s->n);
		bgnbd_prepare(&copy, &d);
	}

	/*
	 * start: r = 1 with the observed purchase rate, a = b = 1 (summed over
	 * the sorted rows, so the result does not depend on the input order)
	 */
	for (int32 i = 0; i < d.nrows; i++)
	{
		sx += d.w[i] * d.gx[d.group[i]];
		sT += d.w[i] * d.times[d.T_idx[i]];
	}
	theta0[0] = 0.0;
	theta0[1] = log(sT / Max(sx, 1.0));
	theta0[2] = 0.0;
	theta0[3] = 0.0;
	d.penalizer = s->penalizer;
	d.alpha_scale = 1.0 / d.times[d.ntimes - 1];
	d.modified = modified;
	if (diagnostics)
	{
		Datum		report = pred_diagnostics(fcinfo, bgnbd_objective, &d, &d.penalizer,
											  kind, theta0, d.wsum, oldcxt);

		MemoryContextSwitchTo(oldcxt);
		MemoryContextDelete(fitcxt);
		return report;
	}
	pred_maximise(bgnbd_objective, &d, kind, theta0, d.wsum, d.penalizer, &fit);
	pred_unpenalize(bgnbd_objective, &d, &d.penalizer, &fit);
	MemoryContextSwitchTo(oldcxt);
	result = pred_fitted_model(&fit, kind, d.wsum, s->n);
	MemoryContextDelete(fitcxt);
	PG_RETURN_POINTER(result);
}

PG_FUNCTION_INFO_V1(engagement_bgnbd_final);
Datum
engagement_bgnbd_final(PG_FUNCTION_ARGS)
{
	return bgnbd_final_common(fcinfo, &bgnbd_kind, false, false);
}

PG_FUNCTION_INFO_V1(engagement_bgnbd_diagnostics_final);
Datum
engagement_bgnbd_diagnostics_final(PG_FUNCTION_ARGS)
{
	return bgnbd_final_common(fcinfo, &bgnbd_kind, false, true);
}

PG_FUNCTION_INFO_V1(engagement_mbgnbd_final);
Datum
engagement_mbgnbd_final(PG_FUNCTION_ARGS)
{
	return bgnbd_final_common(fcinfo, &mbgnbd_kind, true, false);
}

PG_FUNCTION_INFO_V1(engagement_mbgnbd_diagnostics_final);
Datum
engagement_mbgnbd_diagnostics_final(PG_FUNCTION_ARGS)
{
	return bgnbd_final_common(fcinfo, &mbgnbd_kind, true, true);
}

/*
 * Gamma-Gamma data: distinct rows (x, zbar) with weights grouped by x.
 * Per customer:
 *   ln f = lnG(px+q) - lnG(px) - lnG(q) + q ln gamma + (px-1) ln zbar
 *          + px ln x - (px+q) ln(gamma + x zbar)
 */
typedef struct GgData
{
	int32		nrows;
	double	   *w;
	double	   *s;				/* x * zbar */
	int32	   *group;
	int32		ngroups;
	double	   *gx;
	double	   *gw;
	double		sum_xlog;		/* sum w x (ln zbar + ln x) */
	double		sum_logz;		/* sum w ln zbar */
	double		wsum;
	double		penalizer;
} GgData;

static bool
gg_objective(const double *theta, double *f, double *grad, void *arg)
{
	GgData	   *d = (GgData *) arg;
	double		p = exp(theta[0]),
				q = exp(theta[1]),
				gam = exp(theta[2]);
	double		ll,
				gp,
				gq,
				gg;
	double		lngam = log(gam);
	int32		gi = -1;
	double		x = 0.0;

	CHECK_FOR_INTERRUPTS();
	ll = p * d->sum_xlog - d->sum_logz + d->wsum * (q * lngam - lgamma(q));
	gp = d->sum_xlog;
	gq = d->wsum * (lngam - num_digamma(q));
	gg = d->wsum * q / gam;
	for (int32 g = 0; g < d->ngroups; g++)
	{
		double		gx = d->gx[g];
		double		w = d->gw[g];

		if ((g & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		ll += w * (lgamma(p * gx + q) - lgamma(p * gx));
		gp += w * gx * (num_digamma(p * gx + q) - num_digamma(p * gx));
		gq += w * num_digamma(p * gx + q);
	}
	for (int32 i = 0; i < d->nrows; i++)
	{
		double		w = d->w[i];
		double		lg;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (d->group[i] != gi)
		{
			gi = d->group[i];
			x = d->gx[gi];
		}
		lg = log(gam + d->s[i]);
		ll -= w * (p * x + q) * lg;
		gp -= w * x * lg;
		gq -= w * lg;
		gg -= w * (p * x + q) / (gam + d->s[i]);
	}
	*f = -ll / d->wsum;
	grad[0] = -gp * p / d->wsum;
	grad[1] = -gq * q / d->wsum;
	grad[2] = -gg * gam / d->wsum;
	if (d->penalizer > 0.0)
	{
		const double scale[3] = {1.0, 1.0, 1.0};

		*f += pred_penalty(theta, scale, 3, d->penalizer, grad);
	}
	return isfinite(*f) && isfinite(grad[0]) && isfinite(grad[1]) && isfinite(grad[2]);
}

static Datum
gammagamma_final_common(FunctionCallInfo fcinfo, bool diagnostics)
{
	PredRows   *s;
	MemoryContext fitcxt,
				oldcxt;
	GgData		d;
	NumFit		fit;
	double		theta0[3];
	double	   *v;
	int32		k = 0;
	double		mean = 0.0;
	PredModel  *result;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (PredRows *) PG_GETARG_POINTER(0);
	if (s->ncols != 2)
		elog(ERROR, "gammagamma_fit_final called with a state of another aggregate");
	if (s->n == 0)
		PG_RETURN_NULL();

	fitcxt = AllocSetContextCreate(CurrentMemoryContext, "gammagamma_fit",
								   ALLOCSET_DEFAULT_SIZES);
	oldcxt = MemoryContextSwitchTo(fitcxt);
	v = palloc_extended(sizeof(double) * 2 * s->n, MCXT_ALLOC_HUGE);
	memcpy(v, s->v, sizeof(double) * 2 * s->n);
	qsort_interruptible(v, s->n, sizeof(double) * 2, pred_cmp2, NULL);
	memset(&d, 0, sizeof(d));
	d.w = palloc_extended(sizeof(double) * s->n, MCXT_ALLOC_HUGE);
	d.s = palloc_extended(sizeof(double) * s->n, MCXT_ALLOC_HUGE);
	d.group = palloc_extended(sizeof(int32) * s->n, MCXT_ALLOC_HUGE);
	d.gx = palloc_extended(sizeof(double) * s->n, MCXT_ALLOC_HUGE);
	d.gw = palloc_extended(sizeof(double) * s->n, MCXT_ALLOC_HUGE);
	for (int64 i = 0; i < s->n; i++)
	{
		double		x = v[2 * i],
					z = v[2 * i + 1];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		mean += z / s->n;
		d.sum_xlog += x * (log(z) + log(x));
		d.sum_logz += log(z);
		if (k > 0 && v[2 * (k - 1)] == x && v[2 * (k - 1) + 1] == z)
		{
			d.w[k - 1] += 1.0;
			d.gw[d.ngroups - 1] += 1.0;
			continue;
		}
		v[2 * k] = x;
		v[2 * k + 1] = z;
		d.w[k] = 1.0;
		d.s[k] = x * z;
		if (d.ngroups == 0 || d.gx[d.ngroups - 1] != x)
		{
			d.gx[d.ngroups] = x;
			d.gw[d.ngroups++] = 0.0;
		}
		d.gw[d.ngroups - 1] += 1.0;
		d.group[k] = d.ngroups - 1;
		k++;
	}
	d.nrows = k;
	d.wsum = (double) s->n;
	if (!isfinite(mean) || !isfinite(d.sum_xlog))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("gammagamma_fit input is out of range"));

	/* start: p = 1, q = 2, gamma = mean, so p gamma / (q - 1) = mean */
	theta0[0] = 0.0;
	theta0[1] = log(2.0);
	theta0[2] = log(mean);
	d.penalizer = s->penalizer;
	if (diagnostics)
	{
		Datum		report = pred_diagnostics(fcinfo, gg_objective, &d, &d.penalizer,
											  &gg_kind, theta0, d.wsum, oldcxt);

		MemoryContextSwitchTo(oldcxt);
		MemoryContextDelete(fitcxt);
		return report;
	}
	pred_maximise(gg_objective, &d, &gg_kind, theta0, d.wsum, d.penalizer, &fit);
	pred_unpenalize(gg_objective, &d, &d.penalizer, &fit);
	MemoryContextSwitchTo(oldcxt);
	result = pred_fitted_model(&fit, &gg_kind, d.wsum, s->n);
	MemoryContextDelete(fitcxt);
	PG_RETURN_POINTER(result);
}

PG_FUNCTION_INFO_V1(engagement_gammagamma_final);
Datum
engagement_gammagamma_final(PG_FUNCTION_ARGS)
{
	return gammagamma_final_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(engagement_gammagamma_diagnostics_final);
Datum
engagement_gammagamma_diagnostics_final(PG_FUNCTION_ARGS)
{
	return gammagamma_final_common(fcinfo, true);
}

/*****************************************************************************
 * BG/NBD predictions
 *****************************************************************************/

double
pred_horizon(double t)
{
	if (!isfinite(t) || t < 0.0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("prediction horizon must be finite and not negative, not %g", t));
	return t;
}

/* per-customer log-likelihood */
static double
bgnbd_loglik_one(const double *P, double x, double tx, double T)
{
	double		r = P[0],
				alpha = P[1],
				a = P[2],
				b = P[3];
	double		A12 = lgamma(r + x) - lgamma(r) + r * log(alpha) +
	lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
	double		A3 = -(r + x) * log(alpha + T);
	double		A4,
				m;

	if (x == 0.0)
		return A12 + A3;
	A4 = log(a) - log(b + (x - 1.0)) - (r + x) * log(alpha + tx);
	m = Max(A3, A4);
	return A12 + m + log(exp(A3 - m) + exp(A4 - m));
}

/* ln(alpha / (alpha + t)), also when t / alpha overflows */
static double
bgnbd_log_u(double alpha, double t)
{
	double		k = t / alpha;

	return isfinite(k) ? -log1p(k) : log(alpha) - log(t);
}

/* the interrupt check of the long computations in numerics.c */
static void
pred_tick(void *arg)
{
	CHECK_FOR_INTERRUPTS();
}

/*
 * E[X(t)] of the BG/NBD model (r + x, alpha, a, b + x): see
 * num_bgnbd_expectation (a short series of positive terms, or an integral
 * over the dropout probability; bounded work for any parameters)
 */
static double
bgnbd_expectation(double r, double alpha, double a, double b, double x, double t)
{
	return num_bgnbd_expectation(r, alpha, a, b, x, t, NUM_BG_AUTO, pred_tick, NULL);
}

/*
 * The odds that a customer with x > 0 repeat purchases has dropped out:
 * a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x), in logs so that a factor that
 * underflows cannot meet one that overflows (Infinity is a valid answer:
 * P(alive) 0)
 */
static double
bgnbd_odds_gone(const double *P, double x, double tx, double T)
{
	/*
	 * P is r, alpha, a, b; ln((alpha+T)/(alpha+t_x)) also when alpha + T
	 * overflows
	 */
	return exp(log(P[2]) - log(P[3] + (x - 1.0)) +
			   (P[0] + x) * log1p((T - tx) / (P[1] + tx)));
}

static double
bgnbd_unconditional(const double *P, double t)
{
	return bgnbd_expectation(P[0], P[1], P[2], P[3], 0.0, t);
}

/* E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] */
static double
bgnbd_conditional(const double *P, double t, double x, double tx, double T)
{
	double		r = P[0],
				alpha = P[1],
				a = P[2],
				b = P[3];
	double		num,
				den = 1.0;

	if (t == 0.0)
		return 0.0;
	num = bgnbd_expectation(r, alpha + T, a, b, x, t);
	if (x > 0.0)
		den += bgnbd_odds_gone(P, x, tx, T);
	return num / den;
}

static double
bgnbd_p_alive_one(const double *P, double x, double tx, double T)
{
	if (x == 0.0)
		return 1.0;
	return 1.0 / (1.0 + bgnbd_odds_gone(P, x, tx, T));
}

/*
 * ln((b)_n / (b+a)_n) = ln(B(a, b+n) / B(a, b)), as the difference of two
 * lgamma ratios that stays small: ln G(b+n) - ln G(b) - (ln G(b+a+n) -
 * ln G(b+a)) when n <= a, else ln G(b+a) - ln G(b) - (ln G(b+a+n) -
 * ln G(b+n)); each difference is exact to rounding unless its smaller
 * argument is below NUM_STIRLING_MIN while its larger one is huge
 */
static double
pred_log_poch_ratio(double b, double a, double n)
{
	if (n <= a)
		return num_lgamma_ratio(b, n) - num_lgamma_ratio(b + a, n);
	return num_lgamma_ratio(b, a) - num_lgamma_ratio(b + n, a);
}

/*
 * P(X(t) = x) = B(a, b+x)/B(a, b) G(r+x)/(G(r) x!) u^r z^x
 *   + [x > 0] B(a+1, b+x-1)/B(a, b) P(N >= x)
 * with u = alpha/(alpha+t), z = 1 - u and N negative binomial
 * (P(N = j) = G(r+j)/(G(r) j!) u^r z^j), whose upper tail is the
 * incomplete beta function P(N >= x) = I_z(x, r): no loop over x or over
 * the tail, however long the horizon.  The logarithms of the factors are
 * grouped so that no two large lgamma values are subtracted:
 * B(a, b+x)/B(a, b) = (b)_x / (a+b)_x, B(a+1, b+x-1)/B(a, b) =
 * a (b)_{x-1} / ((a+b)_{x-1} (a+b+x-1)), and G(r+x)/(G(r) x!) as
 * G(x+1+(r-1))/G(x+1) / G(r) when r <= x.
 */
static double
bgnbd_probability_one(const double *P, double t, double x)
{
	double		r = P[0],
				alpha = P[1],
				a = P[2],
				b = P[3];
	double		k = t / alpha;
	double		u = 1.0 / (1.0 + k);
	double		z = 1.0 / (1.0 + alpha / t);
	double		lu = bgnbd_log_u(alpha, t);
	double		lz = -log1p(alpha / t);
	double		lnb;
	double		p;

	if (t == 0.0)
		return x == 0.0 ? 1.0 : 0.0;
	/* ln(G(r+x) / (G(r) x!)) */
	if (r <= x)
		lnb = num_lgamma_ratio(x + 1.0, r - 1.0) - lgamma(r);
	else
		lnb = num_lgamma_ratio(r, x) - lgamma(x + 1.0);
	p = exp(pred_log_poch_ratio(b, a, x) + lnb + r * lu + (x > 0.0 ? x * lz : 0.0));
	if (x > 0.0)
	{
		double		tail;

		/* P(N >= x) */
		if (num_beta_inc(x, r, z, u, lz, lu, &tail) != NUM_OK)
			ereport(ERROR,
					errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					errmsg("the BG/NBD probability did not converge for these parameters"),
					errdetail("The continued fraction of the incomplete beta function did not converge in %d steps.",
							  NUM_BETA_MAX_STEPS));
		p += exp(log(a) + pred_log_poch_ratio(b, a, x - 1.0) - log(a + b + (x - 1.0))) * tail;
	}
	/* NaN stays NaN, for the caller's range error */
	return p > 1.0 ? 1.0 : p;
}

PG_FUNCTION_INFO_V1(engagement_bgnbd_loglik_customer);
Datum
engagement_bgnbd_loglik_customer(PG_FUNCTION_ARGS)
{
	PredModel  *m = pred_getarg(fcinfo, 0, &bgnbd_kind);
	double		x = PG_GETARG_FLOAT8(1),
				tx = PG_GETARG_FLOAT8(2),
				T = PG_GETARG_FLOAT8(3);

	pred_check_bgnbd_data(x, tx, T);
	PG_RETURN_FLOAT8(eng_float8_result(bgnbd_loglik_one(m->params, x, tx, T), "BG/NBD log-likelihood"));
}

PG_FUNCTION_INFO_V1(engagement_bgnbd_expected);
Datum
engagement_bgnbd_expected(PG_FUNCTION_ARGS)
{
	PredModel  *m = pred_getarg(fcinfo, 0, &bgnbd_kind);

	PG_RETURN_FLOAT8(eng_float8_result(bgnbd_unconditional(m->params, pred_horizon(PG_GETARG_FLOAT8(1))),
									   "BG/NBD expected purchases"));
}

PG_FUNCTION_INFO_V1(engagement_bgnbd_expected_customer);
Datum
engagement_bgnbd_expected_customer(PG_FUNCTION_ARGS)
{
	PredModel  *m = pred_getarg(fcinfo, 0, &bgnbd_kind);
	double		t = pred_horizon(PG_GETARG_FLOAT8(1));
	double		x = PG_GETARG_FLOAT8(2),
				tx = PG_GETARG_FLOAT8(3),
				T = PG_GETARG_FLOAT8(4);

	pred_check_bgnbd_data(x, tx, T);
	PG_RETURN_FLOAT8(eng_float8_result(bgnbd_conditional(m->params, t, x, tx, T),
									   "BG/NBD expected purchases"));
}

PG_FUNCTION_INFO_V1(engagement_bgnbd_p_alive);
Datum
engagement_bgnbd_p_alive(PG_FUNCTION_ARGS)
{
	PredModel  *m = pred_getarg(fcinfo, 0, &bgnbd_kind);
	double		x = PG_GETARG_FLOAT8(1),
				tx = PG_GETARG_FLOAT8(2),
				T = PG_GETARG_FLOAT8(3);

	pred_check_bgnbd_data(x, tx, T);
	PG_RETURN_FLOAT8(eng_float8_result(bgnbd_p_alive_one(m->params, x, tx, T), "BG/NBD P(alive)"));
}

PG_FUNCTION_INFO_V1(engagement_bgnbd_probability);
Datum
engagement_bgnbd_probability(PG_FUNCTION_ARGS)
{
	PredModel  *m = pred_getarg(fcinfo, 0, &bgnbd_kind);
	double		t = pred_horizon(PG_GETARG_FLOAT8(1));
	double		x = PG_GETARG_FLOAT8(2);

	if (!isfinite(x) || x < 0.0 || x != floor(x) || x > 1e7)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("number of purchases must be a whole number between 0 and 10000000, not %g", x));
	PG_RETURN_FLOAT8(eng_float8_result(bgnbd_probability_one(m->params, t, x), "BG/NBD probability"));
}

/*****************************************************************************
 * Gamma-Gamma predictions and CLV
 *****************************************************************************/

static double
gg_loglik_one(const double *P, double x, double zbar)
{
	double		p = P[0],
				q = P[1],
				gam = P[2];

	return lgamma(p * x + q) - lgamma(p * x) - lgamma(q) + q * log(gam) +
		(p * x - 1.0) * log(zbar) + p * x * log(x) - (p * x + q) * log(gam + x * zbar);
}

/*
 * x y / w for positive finite x, y, w, without an intermediate overflow or
 * underflow: the product of the mantissas and the sum of the exponents
 * (Infinity or 0 only when the result itself is out of range)
 */
static double
pred_mul_div(double x, double y, double w)
{
	int			ex,
				ey,
				ew;
	double		mx = frexp(x, &ex),
				my = frexp(y, &ey),
				mw = frexp(w, &ew);

	return ldexp(mx * my / mw, ex + ey - ew);
}

/* E(M) = p gamma / (q - 1), which needs q > 1 */
static double
gg_population_mean(const double *P)
{
	if (!(P[1] > 1.0))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("the Gamma-Gamma mean spend is infinite when q <= 1 (q = %g)", P[1]));
	return pred_mul_div(P[0], P[2], P[1] - 1.0);
}


/*
 * E(M | x, zbar): a weighted mean of the population mean and zbar,
 * p (gamma + x zbar) / (p x + q - 1), computed as
 * (gamma/x + zbar) w with w = p x / (p x + q - 1) when x >= 1 (so that
 * neither p x nor x zbar overflows on the way), and as
 * (gamma + x zbar) p / (p x + q - 1) for a fractional x below 1
 */
static double
gg_conditional(const double *P, double x, double zbar)
{
	double		p = P[0],
				q = P[1],
				gam = P[2];
	double		px = p * x;

	if (x == 0.0)
		return gg_population_mean(P);
	/* finite whenever p x + q > 1 */
	if (!(px + q > 1.0))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("the Gamma-Gamma expected spend is infinite when p x + q <= 1"));
	{
		/* the plain form where nothing on the way overflows or underflows */
		double		num = p * (gam + x * zbar);
		double		plain = num / (px + q - 1.0);

		if (isfinite(num) && num >= DBL_MIN && isfinite(plain) && plain >= DBL_MIN)
			return plain;
	}
	if (x >= 1.0)
	{
		/* p x / (p x + q - 1), also when p x overflows or q - 1 < 0 */
		double		w = (px >= 1.0) ? 1.0 / (1.0 + (q - 1.0) / px) : px / (px + (q - 1.0));

		return (gam / x + zbar) * w;
	}
	return (gam + x * zbar) * (p / (px + (q - 1.0)));
}

PG_FUNCTION_INFO_V1(engagement_gammagamma_loglik_customer);
Datum
engagement_gammagamma_loglik_customer(PG_FUNCTION_ARGS)
{
	PredModel  *m = pred_getarg(fcinfo, 0, &gg_kind);
	double		x = PG_GETARG_FLOAT8(1),
				zbar = PG_GETARG_FLOAT8(2);

	pred_check_spend(x, zbar);
	if (x == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(eng_float8_result(gg_loglik_one(m->params, x, zbar), "Gamma-Gamma log-likelihood"));
}

PG_FUNCTION_INFO_V1(engagement_gammagamma_mean);
Datum
engagement_gammagamma_mean(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(eng_float8_result(gg_population_mean(pred_getarg(fcinfo, 0, &gg_kind)->params),
									   "Gamma-Gamma expected spend"));
}

PG_FUNCTION_INFO_V1(engagement_gammagamma_expected_spend);
Datum
engagement_gammagamma_expected_spend(PG_FUNCTION_ARGS)
{
	PredModel  *m = pred_getarg(fcinfo, 0, &gg_kind);
	double		x = PG_GETARG_FLOAT8(1),
				zbar = PG_GETARG_FLOAT8(2);

	pred_check_spend(x, zbar);
	PG_RETURN_FLOAT8(eng_float8_result(gg_conditional(m->params, x, zbar), "Gamma-Gamma expected spend"));
}

/*
 * predicted_clv(bgnbd, gammagamma, frequency, recency, age, monetary,
 *               periods, period_length, discount_rate)
 *   = sum_{i=1..periods} E(M | x, zbar) (E[Y(i L)] - E[Y((i-1) L)]) / (1+d)^i
 * with L = period_length in the models' time unit (lifetimes'
 * customer_lifetime_value with time = periods and an explicit period).
 */
/*
 * predicted_clv(purchases, spend gammagamma, frequency, recency, age,
 * monetary, periods, period_length, discount_rate) over any purchase model:
 * the caller has checked (frequency, recency, age) for its model, and
 * expected(arg, t) is the model's E[Y(t) | frequency, recency, age].
 */
Datum
eng_predicted_clv(FunctionCallInfo fcinfo, EngExpectedPurchases expected, void *arg)
{
	PredModel  *gg = pred_getarg(fcinfo, 1, &gg_kind);
	double		x = PG_GETARG_FLOAT8(2),
				zbar = PG_GETARG_FLOAT8(5);
	int32		periods = PG_GETARG_INT32(6);
	double		L = PG_GETARG_FLOAT8(7),
				d = PG_GETARG_FLOAT8(8);
	double		spend,
				prev = 0.0,
				clv = 0.0;

	pred_check_spend(x, zbar);
	if (periods < 0 || periods > 100000)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("number of periods must be between 0 and 100000, not %d", periods));
	if (!(isfinite(L) && L > 0.0))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("period length must be a positive finite number, not %g", L));
	if (!(isfinite(d) && d > -1.0))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("discount rate must be greater than -1, not %g", d));
	spend = gg_conditional(gg->params, x, zbar);
	if (!isfinite(periods * L))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("predicted customer lifetime value is out of range"),
				errdetail("The horizon of %d periods of %g is too long for a double precision number.",
						  periods, L));
	for (int32 i = 1; i <= periods; i++)
	{
		double		cur;

		CHECK_FOR_INTERRUPTS();
		cur = eng_float8_result(expected(arg, i * L), "predicted customer lifetime value");

		/*
		 * E[Y(t)] grows with t: an increment below 0 is rounding.  The
		 * discounted increment without an intermediate overflow: Infinity
		 * only when it is beyond a double itself (a discount factor that
		 * underflows to 0), 0 when the factor overflows.
		 */
		if (cur > prev)
		{
			double		f = pow(1.0 + d, i);

			if (isfinite(f))
				clv += (f > 0.0) ? pred_mul_div(spend, cur - prev, f) : INFINITY;
		}
		prev = cur;
	}
	PG_RETURN_FLOAT8(eng_float8_result(clv, "predicted customer lifetime value"));
}

/*
 * A customer's expected spend per purchase under the Gamma-Gamma model in
 * argument ggarg, for predicted_clv over a purchase model of another file
 * (BG/BB): monetary is checked as for predicted_clv.
 */
double
eng_gammagamma_spend(FunctionCallInfo fcinfo, int ggarg, double x, double zbar)
{
	PredModel  *gg = pred_getarg(fcinfo, ggarg, &gg_kind);

	pred_check_spend(x, zbar);
	return gg_conditional(gg->params, x, zbar);
}

/* a BG/NBD or MBG/NBD customer: parameters and (frequency, recency, age) */
typedef struct PredCustomer
{
	const double *P;
	double		x,
				tx,
				T;
} PredCustomer;

static double
bgnbd_expected_of(void *arg, double t)
{
	PredCustomer *c = arg;

	return bgnbd_conditional(c->P, t, c->x, c->tx, c->T);
}

PG_FUNCTION_INFO_V1(engagement_predicted_clv);
Datum
engagement_predicted_clv(PG_FUNCTION_ARGS)
{
	PredModel  *bg = pred_getarg(fcinfo, 0, &bgnbd_kind);
	PredCustomer c = {bg->params, PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4)};

	pred_check_bgnbd_data(c.x, c.tx, c.T);
	return eng_predicted_clv(fcinfo, bgnbd_expected_of, &c);
}

/*****************************************************************************
 * JSON form: {"version": 1, "parameters": {"r": x, ...}, "fitted": bool, and
 * for a fitted model "customers": n, "log_likelihood": x, "iterations": n,
 * "std_errors": {"r": x or null, ...}, "covariance": [[...], ...]} (the
 * covariance of the log parameters, as the text form's cov, in full)
 *****************************************************************************/

Datum
pred_json(FunctionCallInfo fcinfo, const PredKind *kind, bool jsonb)
{
	PredModel  *m = pred_getarg(fcinfo, 0, kind);
	StringInfoData buf;
	int			k = kind->nparams;
	bool		fitted = (m->hdr.flags & PRED_FLAG_FITTED) != 0;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"parameters\": {", PRED_VERSION);
	for (int i = 0; i < k; i++)
	{
		appendStringInfo(&buf, "%s\"%s\": ", i > 0 ? ", " : "", kind->names[i]);
		eng_append_float8(&buf, m->params[i]);
	}
	appendStringInfo(&buf, "}, \"fitted\": %s", fitted ? "true" : "false");
	if (fitted)
	{
		appendStringInfo(&buf, ", \"customers\": " INT64_FORMAT ", \"log_likelihood\": ",
						 m->customers);
		eng_append_float8(&buf, m->loglik);
		appendStringInfo(&buf, ", \"iterations\": %d, \"std_errors\": {", m->iterations);
		for (int i = 0; i < k; i++)
		{
			/* the delta method, as parameters() reports it */
			double		se = pred_std_error(m, i);

			appendStringInfo(&buf, "%s\"%s\": ", i > 0 ? ", " : "", kind->names[i]);
			if (isfinite(se))
				eng_append_float8(&buf, eng_no_minus_zero(se));
			else
				appendStringInfoString(&buf, "null");
		}
		appendStringInfoString(&buf, "}, \"covariance\": [");
		for (int i = 0; i < k; i++)
		{
			appendStringInfoString(&buf, i > 0 ? ", [" : "[");
			for (int j = 0; j < k; j++)
			{
				if (j > 0)
					appendStringInfoString(&buf, ", ");
				eng_append_float8(&buf, COV(m->cov, i, j));
			}
			appendStringInfoChar(&buf, ']');
		}
		appendStringInfoChar(&buf, ']');
	}
	appendStringInfoChar(&buf, '}');
	return eng_json_result(&buf, jsonb);
}

static Datum
bgnbd_json(FunctionCallInfo fcinfo, bool jsonb)
{
	return pred_json(fcinfo, &bgnbd_kind, jsonb);
}

static Datum
gammagamma_json(FunctionCallInfo fcinfo, bool jsonb)
{
	return pred_json(fcinfo, &gg_kind, jsonb);
}

ENG_JSON_CASTS(engagement_bgnbd, bgnbd_json)
ENG_JSON_CASTS(engagement_gammagamma, gammagamma_json)

/*
 * estimates(model): the parameters and their standard errors as one record,
 * (r, alpha, a, b, r_std_error, ...) for bgnbd; the standard errors are NULL
 * for a model given by its parameters, as in parameters()
 */
Datum
pred_estimates(FunctionCallInfo fcinfo, const PredKind *kind)
{
	PredModel  *m = pred_getarg(fcinfo, 0, kind);
	TupleDesc	tupdesc;
	Datum		values[2 * PRED_MAX_PARAMS];
	bool		nulls[2 * PRED_MAX_PARAMS];
	int			k = kind->nparams;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE ||
		tupdesc->natts != 2 * k)
		ereport(ERROR,
				errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				errmsg("estimates() must return a record of %d columns", 2 * k));
	for (int i = 0; i < k; i++)
	{
		double		se = pred_std_error(m, i);

		values[i] = Float8GetDatum(m->params[i]);
		nulls[i] = false;
		values[k + i] = Float8GetDatum(eng_no_minus_zero(se));
		nulls[k + i] = !(m->hdr.flags & PRED_FLAG_FITTED) || !isfinite(se);
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc),
													  values, nulls)));
}

PG_FUNCTION_INFO_V1(engagement_bgnbd_estimates);
Datum
engagement_bgnbd_estimates(PG_FUNCTION_ARGS)
{
	return pred_estimates(fcinfo, &bgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_gammagamma_estimates);
Datum
engagement_gammagamma_estimates(PG_FUNCTION_ARGS)
{
	return pred_estimates(fcinfo, &gg_kind);
}

/*****************************************************************************
 * MBG/NBD (Batislam, Denizel and Filiztekin 2007): BG/NBD with a drop-out
 * chance at time 0 as well as after each purchase.  Same layout, I/O and
 * fit machinery as bgnbd; its predictions are BG/NBD's with b + 1 in place
 * of b (the same hypergeometric series):
 *   E[X(t)]      = b / (a + b) * E_BG[X(t) | r, alpha, a, b + 1]
 *   E[Y(t) | x]  = E_BG[Y(t) | x; r, alpha, a, b + 1] * (x = 0 ? P(alive) : 1)
 *   P(alive | x) = 1 / (1 + a / (b + x) * ((alpha + T) / (alpha + t_x))^(r + x))
 * (for x > 0 the BG/NBD conditional with b + 1 already divides by that
 * P(alive)'s odds; for x = 0 BG/NBD has none to divide by).
 *****************************************************************************/

static void
mbgnbd_shifted(const double *P, double *Q)
{
	Q[0] = P[0];
	Q[1] = P[1];
	Q[2] = P[2];
	Q[3] = P[3] + 1.0;
}

static double
mbgnbd_p_alive_one(const double *P, double x, double tx, double T)
{
	double		Q[4];

	/* BG/NBD's odds at b + 1 are a / (b + x) ((alpha+T)/(alpha+t_x))^(r+x) */
	mbgnbd_shifted(P, Q);
	return 1.0 / (1.0 + bgnbd_odds_gone(Q, x, tx, T));
}

static double
mbgnbd_loglik_one(const double *P, double x, double tx, double T)
{
	double		r = P[0],
				alpha = P[1],
				a = P[2],
				b = P[3];
	double		A12 = lgamma(r + x) - lgamma(r) + r * log(alpha) +
	lgamma(a + b) + lgamma(b + x + 1.0) - lgamma(b) - lgamma(a + b + x + 1.0);
	double		A3 = -(r + x) * log(alpha + T);
	double		A4 = log(a) - log(b + x) - (r + x) * log(alpha + tx);
	double		m = Max(A3, A4);

	return A12 + m + log(exp(A3 - m) + exp(A4 - m));
}

PG_FUNCTION_INFO_V1(engagement_mbgnbd_make);
Datum
engagement_mbgnbd_make(PG_FUNCTION_ARGS)
{
	return pred_construct(fcinfo, &mbgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_mbgnbd_in);
Datum
engagement_mbgnbd_in(PG_FUNCTION_ARGS)
{
	return pred_in(fcinfo, &mbgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_mbgnbd_out);
Datum
engagement_mbgnbd_out(PG_FUNCTION_ARGS)
{
	return pred_out(fcinfo, &mbgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_mbgnbd_send);
Datum
engagement_mbgnbd_send(PG_FUNCTION_ARGS)
{
	return pred_send(fcinfo, &mbgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_mbgnbd_recv);
Datum
engagement_mbgnbd_recv(PG_FUNCTION_ARGS)
{
	return pred_recv(fcinfo, &mbgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_mbgnbd_parameters);
Datum
engagement_mbgnbd_parameters(PG_FUNCTION_ARGS)
{
	return pred_parameters(fcinfo, &mbgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_mbgnbd_estimates);
Datum
engagement_mbgnbd_estimates(PG_FUNCTION_ARGS)
{
	return pred_estimates(fcinfo, &mbgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_mbgnbd_loglik);
Datum
engagement_mbgnbd_loglik(PG_FUNCTION_ARGS)
{
	return pred_loglik(fcinfo, &mbgnbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_mbgnbd_customers);
Datum
engagement_mbgnbd_customers(PG_FUNCTION_ARGS)
{
	return pred_customers(fcinfo, &mbgnbd_kind);
}

static Datum
mbgnbd_json(FunctionCallInfo fcinfo, bool jsonb)
{
	return pred_json(fcinfo, &mbgnbd_kind, jsonb);
}

ENG_JSON_CASTS(engagement_mbgnbd, mbgnbd_json)

PG_FUNCTION_INFO_V1(engagement_mbgnbd_loglik_customer);
Datum
engagement_mbgnbd_loglik_customer(PG_FUNCTION_ARGS)
{
	PredModel  *m = pred_getarg(fcinfo, 0, &mbgnbd_kind);
	double		x = PG_GETARG_FLOAT8(1),
				tx = PG_GETARG_FLOAT8(2),
				T = PG_GETARG_FLOAT8(3);

	pred_check_bgnbd_data(x, tx, T);
	PG_RETURN_FLOAT8(eng_float8_result(mbgnbd_loglik_one(m->params, x, tx, T),
									   "MBG/NBD log-likelihood"));
}

PG_FUNCTION_INFO_V1(engagement_mbgnbd_expected);
Datum
engagement_mbgnbd_expected(PG_FUNCTION_ARGS)
{
	PredModel  *m = pred_getarg(fcinfo, 0, &mbgnbd_kind);
	double		t = pred_horizon(PG_GETARG_FLOAT8(1));
	double		Q[4];
	double		P3 = m->params[3];

	mbgnbd_shifted(m->params, Q);
	/* b / (a + b) as 1 / (1 + a / b): no overflow of a + b */
	PG_RETURN_FLOAT8(eng_float8_result(bgnbd_unconditional(Q, t) / (1.0 + m->params[2] / P3),
									   "MBG/NBD expected purchases"));
}

static double
mbgnbd_conditional(const double *P, double t, double x, double tx, double T)
{
	double		Q[4];
	double		e;

	mbgnbd_shifted(P, Q);
	e = bgnbd_conditional(Q, t, x, tx, T);
	if (x == 0.0)
		e *= mbgnbd_p_alive_one(P, x, tx, T);
	return e;
}

PG_FUNCTION_INFO_V1(engagement_mbgnbd_expected_customer);
Datum
engagement_mbgnbd_expected_customer(PG_FUNCTION_ARGS)
{
	PredModel  *m = pred_getarg(fcinfo, 0, &mbgnbd_kind);
	double		t = pred_horizon(PG_GETARG_FLOAT8(1));
	double		x = PG_GETARG_FLOAT8(2),
				tx = PG_GETARG_FLOAT8(3),
				T = PG_GETARG_FLOAT8(4);

	pred_check_bgnbd_data(x, tx, T);
	PG_RETURN_FLOAT8(eng_float8_result(mbgnbd_conditional(m->params, t, x, tx, T),
									   "MBG/NBD expected purchases"));
}

static double
mbgnbd_expected_of(void *arg, double t)
{
	PredCustomer *c = arg;

	return mbgnbd_conditional(c->P, t, c->x, c->tx, c->T);
}

/* predicted_clv(mbgnbd, gammagamma, ...) */
PG_FUNCTION_INFO_V1(engagement_mbgnbd_predicted_clv);
Datum
engagement_mbgnbd_predicted_clv(PG_FUNCTION_ARGS)
{
	PredModel  *m = pred_getarg(fcinfo, 0, &mbgnbd_kind);
	PredCustomer c = {m->params, PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4)};

	pred_check_bgnbd_data(c.x, c.tx, c.T);
	return eng_predicted_clv(fcinfo, mbgnbd_expected_of, &c);
}

/*
 * purchase_probability(mbgnbd, t, purchases): P(X(t) = n) of a new customer.
 * A customer gone at time 0 (chance a/(a+b)) makes no purchase; one still
 * there has BG/NBD's purchase count with b + 1 in place of b:
 *   P(n) = b/(a+b) P_BG(n; r, alpha, a, b+1) + [n = 0] a/(a+b)
 */
PG_FUNCTION_INFO_V1(engagement_mbgnbd_probability);
Datum
engagement_mbgnbd_probability(PG_FUNCTION_ARGS)
{
	PredModel  *m = pred_getarg(fcinfo, 0, &mbgnbd_kind);
	double		t = pred_horizon(PG_GETARG_FLOAT8(1));
	double		x = PG_GETARG_FLOAT8(2);
	double		a = m->params[2],
				b = m->params[3];
	double		Q[4];
	double		p;

	if (!isfinite(x) || x < 0.0 || x != floor(x) || x > 1e7)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("number of purchases must be a whole number between 0 and 10000000, not %g", x));
	mbgnbd_shifted(m->params, Q);

	/*
	 * b/(a+b) and a/(a+b) as 1/(1 + a/b) and 1/(1 + b/a): no overflow of a +
	 * b
	 */
	p = bgnbd_probability_one(Q, t, x) / (1.0 + a / b);
	if (x == 0.0)
		p += 1.0 / (1.0 + b / a);
	PG_RETURN_FLOAT8(eng_float8_result(Min(p, 1.0), "MBG/NBD probability"));
}

PG_FUNCTION_INFO_V1(engagement_mbgnbd_p_alive);
Datum
engagement_mbgnbd_p_alive(PG_FUNCTION_ARGS)
{
	PredModel  *m = pred_getarg(fcinfo, 0, &mbgnbd_kind);
	double		x = PG_GETARG_FLOAT8(1),
				tx = PG_GETARG_FLOAT8(2),
				T = PG_GETARG_FLOAT8(3);

	pred_check_bgnbd_data(x, tx, T);
	PG_RETURN_FLOAT8(eng_float8_result(mbgnbd_p_alive_one(m->params, x, tx, T),
									   "MBG/NBD P(alive)"));
}
