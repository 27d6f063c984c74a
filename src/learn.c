/*-------------------------------------------------------------------------
 *
 * learn.c
 *	  Learned engagement weights: a logistic regression of an outcome on the
 *	  four decayed dimensions of engagement states (engagement_logit_fit, the
 *	  engagement_logit type and its accessors).
 *
 * The model is P(outcome) = 1 / (1 + exp(-eta)), eta = b0 + b1 involvement +
 * b2 interaction + b3 intimacy + b4 influence, each dimension decayed to the
 * row's as_of.  The fit maximises the log-likelihood minus
 * (penalty / 2) (b1^2 + b2^2 + b3^2 + b4^2) (the intercept is not
 * penalised) by Newton's method (iteratively reweighted least squares), with
 * step halving when a step lowers the objective.  The fitting state keeps
 * each row's four features and outcome (40 bytes a row, at most
 * LOGIT_MAX_ROWS rows); partial states merge by concatenation.
 *
 * The data may not determine the model: every outcome the same, a dimension
 * that is constant or a combination of the others over the rows, or rows
 * that a hyperplane separates by outcome (the coefficients then run off to
 * infinity).  Each is 22M01 with the reason in DETAIL; complete separation
 * is recognised exactly (an iterate that classifies every row strictly
 * correctly is a separating hyperplane), quasi-complete separation by its
 * symptom, coefficients that keep moving while some rows are fitted to
 * probability 0 or 1 within 1e-12.
 *
 * IDENTIFICATION
 *	  src/learn.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"
#include "utils/tuplestore.h"

#define LOGIT_VERSION		1
#define LOGIT_NDIM			4
#define LOGIT_K				(LOGIT_NDIM + 1)
#define LOGIT_NCOV			(LOGIT_K * (LOGIT_K + 1) / 2)
/* rows of a fitting state: 40 bytes each in memory, 33 serialized */
#define LOGIT_MAX_ROWS		(10 * 1000 * 1000)
/* Newton iterations of a fit */
#define LOGIT_MAX_ITER		100
/* step halvings within one iteration */
#define LOGIT_MAX_HALVINGS	40
/* a fit has converged when its last step moved no eta by more than this */
#define LOGIT_STEP_TOL		1e-9
/* a step that moves no eta by more than this is taken without a line search */
#define LOGIT_TRUST_STEP	1e-4
/* |eta| beyond which a row's fitted probability is within 1e-12 of 0 or 1 */
#define LOGIT_CERTAIN_ETA	27.6

#define LCOV(m, i, j) ((i) >= (j) ? (m)[(i) * ((i) + 1) / 2 + (j)] : (m)[(j) * ((j) + 1) / 2 + (i)])

static const char *const logit_terms[LOGIT_K] = {
	"intercept", "involvement", "interaction", "intimacy", "influence"
};

/* the model type: fixed size */
typedef struct LogitModel
{
	EngStateHeader hdr;
	int32		iterations;		/* Newton iterations of the fit */
	int32		reserved;
	int64		rows;			/* rows fitted */
	int64		positives;		/* of which outcome true */
	double		penalty;
	double		loglik;			/* log-likelihood (unpenalised) */
	double		coef[LOGIT_K];
	double		cov[LOGIT_NCOV];	/* inverse of the penalised information */
} LogitModel;

/* one row of a fitting state */
typedef struct LogitRow
{
	double		x[LOGIT_NDIM];
	double		y;				/* 0 or 1 */
} LogitRow;

#define LOGIT_ROWS_MAGIC	0x4C4F4754

typedef struct LogitRows
{
	uint32		magic;
	bool		penalized;
	double		penalty;
	int64		n;
	int64		max;
	LogitRow   *rows;
} LogitRows;

/*****************************************************************************
 * The model type
 *****************************************************************************/

static void
logit_validate(const LogitModel *m, EngSource src)
{
	const char *bad = NULL;

	eng_check_header(&m->hdr, sizeof(LogitModel), LOGIT_VERSION, 0,
					 "engagement_logit", src);
	if (m->reserved != 0)
		bad = "A reserved field is not zero.";
	else if (m->iterations < 1 || m->iterations > LOGIT_MAX_ITER)
		bad = "The number of iterations is out of range.";
	else if (m->rows < 2 || m->rows > LOGIT_MAX_ROWS ||
			 m->positives < 1 || m->positives >= m->rows)
		bad = "The numbers of rows and of true outcomes are out of range.";
	else if (!isfinite(m->penalty) || m->penalty < 0.0)
		bad = "The penalty is not a finite number of at least 0.";
	else if (!isfinite(m->loglik) || m->loglik > 0.0)
		bad = "The log-likelihood is not a finite number of at most 0.";
	if (bad == NULL)
		for (int i = 0; i < LOGIT_K && bad == NULL; i++)
		{
			if (!isfinite(m->coef[i]))
				bad = "A coefficient is not finite.";
			for (int j = 0; j <= i && bad == NULL; j++)
			{
				double		c = LCOV(m->cov, i, j);

				if (!isfinite(c) || (i == j && !(c > 0.0)) ||
					(i != j && fabs(c) > sqrt(LCOV(m->cov, i, i)) * sqrt(LCOV(m->cov, j, j)) * (1.0 + 1e-9)))
					bad = "The covariance matrix is not that of a fit.";
			}
		}
	if (bad != NULL)
		ereport(ERROR,
				errcode(eng_source_errcode(src)),
				errmsg("invalid engagement_logit value"),
				errdetail("%s", bad));
}

static LogitModel *
logit_getarg(FunctionCallInfo fcinfo, int argno)
{
	LogitModel *m = (LogitModel *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	logit_validate(m, ENG_STORED);
	return m;
}

static LogitModel *
logit_new(void)
{
	LogitModel *m = palloc0(sizeof(LogitModel));

	eng_init_header(&m->hdr, sizeof(LogitModel), LOGIT_VERSION, 0);
	return m;
}

/*
 * Text form:
 *	 (v=1,rows=200,positives=80,iterations=6,penalty=0,log_likelihood=-120.5,
 *	  coefficients=[b0,b1,b2,b3,b4],covariance=[15 numbers])
 * the covariance as its lower triangle by rows.
 */
static void
logit_append_list(StringInfo buf, const char *key, const double *v, int n)
{
	appendStringInfo(buf, ",%s=[", key);
	for (int i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoChar(buf, ',');
		eng_append_float8(buf, v[i]);
	}
	appendStringInfoChar(buf, ']');
}

static void
logit_read_list(EngTextCursor *c, const char *key, double *v, int n)
{
	eng_cursor_expect(c, ',');
	eng_cursor_expect_key(c, key);
	eng_cursor_expect(c, '[');
	for (int i = 0; i < n; i++)
	{
		if (i > 0)
			eng_cursor_expect(c, ',');
		v[i] = eng_cursor_float8(c);
	}
	eng_cursor_expect(c, ']');
}

PG_FUNCTION_INFO_V1(engagement_engagement_logit_out);
Datum
engagement_engagement_logit_out(PG_FUNCTION_ARGS)
{
	LogitModel *m = logit_getarg(fcinfo, 0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(v=%d,rows=" INT64_FORMAT ",positives=" INT64_FORMAT
					 ",iterations=%d,penalty=", LOGIT_VERSION, m->rows,
					 m->positives, m->iterations);
	eng_append_float8(&buf, m->penalty);
	appendStringInfoString(&buf, ",log_likelihood=");
	eng_append_float8(&buf, m->loglik);
	logit_append_list(&buf, "coefficients", m->coef, LOGIT_K);
	logit_append_list(&buf, "covariance", m->cov, LOGIT_NCOV);
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

/*
 * -0 reads as 0 (no function returns -0, and equal texts give equal binary
 * forms)
 */
static void
logit_no_minus_zero(LogitModel *m)
{
	m->penalty = eng_no_minus_zero(m->penalty);
	m->loglik = eng_no_minus_zero(m->loglik);
	for (int i = 0; i < LOGIT_K; i++)
		m->coef[i] = eng_no_minus_zero(m->coef[i]);
	for (int i = 0; i < LOGIT_NCOV; i++)
		m->cov[i] = eng_no_minus_zero(m->cov[i]);
}

PG_FUNCTION_INFO_V1(engagement_engagement_logit_in);
Datum
engagement_engagement_logit_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	EngTextCursor c;
	LogitModel *m = logit_new();
	int64		iterations;

	eng_cursor_begin(&c, input, "engagement_logit", LOGIT_VERSION);
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "rows");
	m->rows = eng_cursor_int64(&c);
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "positives");
	m->positives = eng_cursor_int64(&c);
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "iterations");
	iterations = eng_cursor_int64(&c);
	if (iterations < 1 || iterations > LOGIT_MAX_ITER)
		eng_cursor_error(&c, "The number of iterations is out of range.");
	m->iterations = (int32) iterations;
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "penalty");
	m->penalty = eng_cursor_float8(&c);
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "log_likelihood");
	m->loglik = eng_cursor_float8(&c);
	logit_read_list(&c, "coefficients", m->coef, LOGIT_K);
	logit_read_list(&c, "covariance", m->cov, LOGIT_NCOV);
	eng_cursor_expect(&c, ')');
	eng_cursor_expect_end(&c);
	logit_no_minus_zero(m);
	logit_validate(m, ENG_TEXT);
	PG_RETURN_POINTER(m);
}

/* binary form: version byte, iterations, rows, positives, then the doubles */
PG_FUNCTION_INFO_V1(engagement_engagement_logit_send);
Datum
engagement_engagement_logit_send(PG_FUNCTION_ARGS)
{
	LogitModel *m = logit_getarg(fcinfo, 0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, LOGIT_VERSION);
	pq_sendint32(&buf, m->iterations);
	pq_sendint64(&buf, m->rows);
	pq_sendint64(&buf, m->positives);
	pq_sendfloat8(&buf, m->penalty);
	pq_sendfloat8(&buf, m->loglik);
	for (int i = 0; i < LOGIT_K; i++)
		pq_sendfloat8(&buf, m->coef[i]);
	for (int i = 0; i < LOGIT_NCOV; i++)
		pq_sendfloat8(&buf, m->cov[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(engagement_engagement_logit_recv);
Datum
engagement_engagement_logit_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	LogitModel *m = logit_new();

	eng_recv_version(buf, LOGIT_VERSION, "engagement_logit");
	m->iterations = (int32) pq_getmsgint(buf, 4);
	m->rows = pq_getmsgint64(buf);
	m->positives = pq_getmsgint64(buf);
	m->penalty = pq_getmsgfloat8(buf);
	m->loglik = pq_getmsgfloat8(buf);
	for (int i = 0; i < LOGIT_K; i++)
		m->coef[i] = pq_getmsgfloat8(buf);
	for (int i = 0; i < LOGIT_NCOV; i++)
		m->cov[i] = pq_getmsgfloat8(buf);
	eng_recv_end(buf, "engagement_logit", ENG_BINARY);
	logit_no_minus_zero(m);
	logit_validate(m, ENG_BINARY);
	PG_RETURN_POINTER(m);
}

/*****************************************************************************
 * Linear algebra: 5 x 5 symmetric positive definite systems, solved
 * through the Cholesky factor of the matrix scaled to a unit diagonal (so
 * that dimensions of very different magnitudes do not matter), which also
 * measures collinearity: the squared pivot of column j is 1 - R^2 of
 * column j on the columns before it.
 *****************************************************************************/

/* below this squared scaled pivot a column counts as dependent */
#define LOGIT_PIVOT_TOL		1e-12
/*
 * below this one (1 - R^2 of a column on the columns before it) as nearly
 * dependent, when a fit has not converged: its coefficients can then move
 * along the near dependency for ever without changing the likelihood
 */
#define LOGIT_NEAR_PIVOT_TOL 1e-6

/*
 * Factor the lower triangle h (LCOV layout); on success s holds the scaling
 * and l the factor of the scaled matrix, and -1 is returned; otherwise the
 * index of the first dependent column.
 */
static int
logit_factor(const double *h, double *s, double l[LOGIT_K][LOGIT_K], double tol)
{
	for (int i = 0; i < LOGIT_K; i++)
	{
		double		d = LCOV(h, i, i);

		if (!(d > 0.0) || !isfinite(d))
			return i;
		s[i] = 1.0 / sqrt(d);
	}
	for (int i = 0; i < LOGIT_K; i++)
		for (int j = 0; j <= i; j++)
		{
			double		sum = LCOV(h, i, j) * s[i] * s[j];

			for (int m = 0; m < j; m++)
				sum -= l[i][m] * l[j][m];
			if (i == j)
			{
				if (!(sum > tol))
					return i;
				l[i][i] = sqrt(sum);
			}
			else
				l[i][j] = sum / l[j][j];
		}
	return -1;
}

/* x = H^-1 b with the factor of logit_factor */
static void
logit_solve(const double *s, double l[LOGIT_K][LOGIT_K], const double *b,
			double *x)
{
	double		y[LOGIT_K];

	for (int i = 0; i < LOGIT_K; i++)
	{
		double		sum = b[i] * s[i];

		for (int m = 0; m < i; m++)
			sum -= l[i][m] * y[m];
		y[i] = sum / l[i][i];
	}
	for (int i = LOGIT_K - 1; i >= 0; i--)
	{
		double		sum = y[i];

		for (int m = i + 1; m < LOGIT_K; m++)
			sum -= l[m][i] * x[m];
		x[i] = sum / l[i][i];
	}
	/* x was computed in scaled units */
	for (int i = 0; i < LOGIT_K; i++)
		x[i] *= s[i];
}

/*****************************************************************************
 * Fitting aggregate: gathering rows
 *****************************************************************************/

static void
logit_check_rows(int64 n)
{
	if (n > LOGIT_MAX_ROWS)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("engagement_logit_fit can fit at most %d rows", LOGIT_MAX_ROWS),
				errdetail("The fit keeps every row (40 bytes each); fit a sample of the rows."));
}

static void
logit_rows_push(LogitRows *s, const LogitRow *row, MemoryContext cxt)
{
	logit_check_rows(s->n + 1);
	if (s->n == s->max)
	{
		s->max = s->max ? Min(s->max * 2, LOGIT_MAX_ROWS) : 64;
		s->rows = s->rows ? repalloc_huge(s->rows, sizeof(LogitRow) * s->max) :
			MemoryContextAllocHuge(cxt, sizeof(LogitRow) * s->max);
	}
	s->rows[s->n++] = *row;
}

static void
logit_rows_penalize(LogitRows *s, double penalty)
{
	if (!(isfinite(penalty) && penalty >= 0.0))
	{
		StringInfoData buf;

		initStringInfo(&buf);
		appendStringInfoString(&buf, isnan(penalty) ? "NaN" :
							   isinf(penalty) ? (penalty > 0 ? "Infinity" : "-Infinity") : "");
		if (isfinite(penalty))
			eng_append_float8(&buf, penalty);
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("engagement_logit_fit penalty must be finite and not negative"),
				errdetail("The penalty given was %s.", buf.data));
	}
	penalty = eng_no_minus_zero(penalty);
	if (!s->penalized)
	{
		s->penalized = true;
		s->penalty = penalty;
	}
	else if (s->penalty != penalty)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("engagement_logit_fit penalty must be the same for every row of a group"),
				errdetail("One row has %g, another %g.", s->penalty, penalty));
}

static void
logit_rows_init(void *state, MemoryContext cxt)
{
	((LogitRows *) state)->magic = LOGIT_ROWS_MAGIC;
}

static void
logit_rows_check(const LogitRows *s)
{
	if (s->magic != LOGIT_ROWS_MAGIC)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("an engagement_logit_fit support function was given the state of another aggregate"));
}

static void
logit_rows_merge(void *dst, const void *src, MemoryContext cxt)
{
	LogitRows  *to = dst;
	const LogitRows *from = src;

	logit_rows_check(to);
	logit_rows_check(from);
	if (from->penalized)
		logit_rows_penalize(to, from->penalty);
	logit_check_rows(to->n + from->n);
	for (int64 i = 0; i < from->n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		logit_rows_push(to, &from->rows[i], cxt);
	}
}

/*
 * Serial form: whether the penalty is set (byte), the penalty (float8), the
 * number of rows (int32), then per row the four features (float8) and the
 * outcome (byte).
 */
static const EngRecordCount logit_serial_rows = {
	"engagement_logit fit", "rows", 0, LOGIT_MAX_ROWS,
	LOGIT_NDIM * sizeof(float8) + 1, true, logit_check_rows
};

static void
logit_rows_serialize(StringInfo buf, const void *state)
{
	const LogitRows *s = state;

	logit_rows_check(s);
	pq_sendbyte(buf, s->penalized ? 1 : 0);
	pq_sendfloat8(buf, s->penalty);
	pq_sendint32(buf, (int32) s->n);
	for (int64 i = 0; i < s->n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		for (int d = 0; d < LOGIT_NDIM; d++)
			pq_sendfloat8(buf, s->rows[i].x[d]);
		pq_sendbyte(buf, s->rows[i].y != 0.0 ? 1 : 0);
	}
}

static void
logit_rows_deserialize(StringInfo buf, void *state, MemoryContext cxt)
{
	LogitRows  *s = state;
	int32		n;

	if (pq_getmsgbyte(buf) != 0)
		logit_rows_penalize(s, pq_getmsgfloat8(buf));
	else if (pq_getmsgfloat8(buf) != 0.0)
		ereport(ERROR,
				errcode(ERRCODE_DATA_CORRUPTED),
				errmsg("invalid engagement_logit fit value"),
				errdetail("A fitting state without a penalty has a penalty value."));
	n = eng_recv_count(buf, &logit_serial_rows, ENG_STORED);
	for (int32 i = 0; i < n; i++)
	{
		LogitRow	row;
		int			y;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		for (int d = 0; d < LOGIT_NDIM; d++)
			row.x[d] = pq_getmsgfloat8(buf);
		y = pq_getmsgbyte(buf);
		for (int d = 0; d < LOGIT_NDIM; d++)
			if (!isfinite(row.x[d]))
				ereport(ERROR,
						errcode(ERRCODE_DATA_CORRUPTED),
						errmsg("invalid engagement_logit fit value"),
						errdetail("A row of a fitting state has a feature that is not finite."));
		if (y != 0 && y != 1)
			ereport(ERROR,
					errcode(ERRCODE_DATA_CORRUPTED),
					errmsg("invalid engagement_logit fit value"),
					errdetail("A row of a fitting state has an outcome other than 0 or 1."));
		row.y = y;
		logit_rows_push(s, &row, cxt);
	}
}

static const EngBuildOps logit_rows_ops = {
	.typname = "engagement_logit fit",
	.size = sizeof(LogitRows),
	.init = logit_rows_init,
	.merge = logit_rows_merge,
	.serialize = logit_rows_serialize,
	.deserialize = logit_rows_deserialize,
};

/*
 * engagement_logit_fit(state, as_of, outcome [, penalty]) transition: rows
 * with a NULL state, as_of or outcome are skipped; the penalty (NULL is 0)
 * is checked on every row.
 */
PG_FUNCTION_INFO_V1(engagement_engagement_logit_trans);
Datum
engagement_engagement_logit_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	LogitRows  *s = eng_build_arg(fcinfo, &logit_rows_ops, &aggcontext);
	LogitRow	row;

	logit_rows_check(s);
	if (PG_NARGS() > 4)
		logit_rows_penalize(s, PG_ARGISNULL(4) ? 0.0 : PG_GETARG_FLOAT8(4));
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(s);
	eng_engagement_at(PG_GETARG_DATUM(1), PG_GETARG_TIMESTAMPTZ(2), row.x);
	row.y = PG_GETARG_BOOL(3) ? 1.0 : 0.0;
	logit_rows_push(s, &row, aggcontext);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(engagement_engagement_logit_combine);
Datum
engagement_engagement_logit_combine(PG_FUNCTION_ARGS)
{
	return eng_build_combine(fcinfo, &logit_rows_ops);
}

PG_FUNCTION_INFO_V1(engagement_engagement_logit_serial);
Datum
engagement_engagement_logit_serial(PG_FUNCTION_ARGS)
{
	return eng_build_serial(fcinfo, &logit_rows_ops);
}

PG_FUNCTION_INFO_V1(engagement_engagement_logit_deserial);
Datum
engagement_engagement_logit_deserial(PG_FUNCTION_ARGS)
{
	return eng_build_deserial(fcinfo, &logit_rows_ops);
}

/*****************************************************************************
 * Newton's method
 *****************************************************************************/

/* the penalised objective at beta, its gradient and negated Hessian */
typedef struct LogitEval
{
	double		loglik;			/* unpenalised */
	double		objective;		/* loglik - penalty / 2 * |b_1..4|^2 */
	double		grad[LOGIT_K];
	double		hess[LOGIT_NCOV];
	bool		separated;		/* every row strictly on its outcome's side */
	int64		certain;		/* rows fitted within 1e-12 of their outcome */
} LogitEval;

static void
logit_evaluate(const LogitRows *s, const double *beta, LogitEval *ev)
{
	double		ll = 0.0;
	double		g[LOGIT_K] = {0};
	double		h[LOGIT_NCOV] = {0};
	bool		separated = true;
	int64		certain = 0;

	for (int64 r = 0; r < s->n; r++)
	{
		const LogitRow *row = &s->rows[r];
		double		x[LOGIT_K];
		double		eta = beta[0];
		double		p,
					w,
					resid;

		if ((r & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		x[0] = 1.0;
		for (int d = 0; d < LOGIT_NDIM; d++)
		{
			x[d + 1] = row->x[d];
			eta += beta[d + 1] * row->x[d];
		}
		/* ln p = -ln(1 + e^-eta), ln(1 - p) = -ln(1 + e^eta), stably */
		if (eta >= 0.0)
		{
			double		e = exp(-eta);

			p = 1.0 / (1.0 + e);
			w = e / ((1.0 + e) * (1.0 + e));
			ll += (row->y != 0.0) ? -log1p(e) : -eta - log1p(e);
		}
		else
		{
			double		e = exp(eta);

			p = e / (1.0 + e);
			w = e / ((1.0 + e) * (1.0 + e));
			ll += (row->y != 0.0) ? eta - log1p(e) : -log1p(e);
		}
		if ((row->y != 0.0) ? !(eta > 0.0) : !(eta < 0.0))
			separated = false;
		if ((row->y != 0.0) ? eta > LOGIT_CERTAIN_ETA : eta < -LOGIT_CERTAIN_ETA)
			certain++;
		resid = row->y - p;
		for (int i = 0; i < LOGIT_K; i++)
		{
			g[i] += resid * x[i];
			for (int j = 0; j <= i; j++)
				h[i * (i + 1) / 2 + j] += w * x[i] * x[j];
		}
	}
	ev->loglik = ll;
	ev->objective = ll;
	for (int i = 1; i < LOGIT_K; i++)
	{
		ev->objective -= 0.5 * s->penalty * beta[i] * beta[i];
		g[i] -= s->penalty * beta[i];
		h[i * (i + 1) / 2 + i] += s->penalty;
	}
	memcpy(ev->grad, g, sizeof(g));
	memcpy(ev->hess, h, sizeof(h));
	ev->separated = separated;
	ev->certain = certain;
}

pg_attribute_noreturn()
static void
logit_fail(const char *detail, const char *hint)
{
	ereport(ERROR,
			errcode(ERRCODE_ENG_MODEL_FAILED),
			errmsg("the data do not determine the engagement_logit_fit model"),
			errdetail("%s", detail),
			hint ? errhint("%s", hint) : 0);
}

#define LOGIT_SEPARATION_HINT "Fit again with a penalty, for instance engagement_logit_fit(state, as_of, outcome, 1), or with more rows."

static void
logit_fail_singular(int col, const LogitRows *s)
{
	if (col == 0)
		logit_fail("The information matrix is not positive definite.", NULL);
	logit_fail(psprintf("Dimension \"%s\" is constant, or a linear combination of the other dimensions, over the %lld rows.",
						logit_terms[col], (long long) s->n),
			   s->penalty > 0.0 ? NULL : LOGIT_SEPARATION_HINT);
}

static void
logit_fail_separated(const LogitEval *ev, const LogitRows *s)
{
	if (ev->separated)
		logit_fail(psprintf("The four dimensions predict every outcome of the %lld rows perfectly (complete separation): the coefficients diverge.",
							(long long) s->n), LOGIT_SEPARATION_HINT);
	logit_fail(psprintf("The four dimensions predict the outcomes of %lld of the %lld rows perfectly (quasi-complete separation): the coefficients diverge.",
						(long long) ev->certain, (long long) s->n),
			   LOGIT_SEPARATION_HINT);
}

/* above this a decayed value squared, summed over rows, can overflow */
#define LOGIT_MAX_FEATURE	1e150

/*
 * The max over rows of |x_j| per term, to measure steps in units of eta, and
 * the number of true outcomes; 22003 for a value so large that the
 * information matrix would overflow
 */
static int64
logit_scan(const LogitRows *s, double *cmax)
{
	int64		positives = 0;

	cmax[0] = 1.0;
	for (int d = 0; d < LOGIT_NDIM; d++)
		cmax[d + 1] = 0.0;
	for (int64 r = 0; r < s->n; r++)
	{
		if ((r & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		positives += (s->rows[r].y != 0.0);
		for (int d = 0; d < LOGIT_NDIM; d++)
			cmax[d + 1] = Max(cmax[d + 1], fabs(s->rows[r].x[d]));
	}
	for (int d = 0; d < LOGIT_NDIM; d++)
		if (cmax[d + 1] > LOGIT_MAX_FEATURE)
			ereport(ERROR,
					errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					errmsg("engagement %s value %g is too large for engagement_logit_fit",
						   logit_terms[d + 1], cmax[d + 1]),
					errdetail("Decayed values up to %g in absolute value can be fitted.",
							  LOGIT_MAX_FEATURE),
					errhint("Use smaller event values."));
	return positives;
}

static LogitModel *
logit_fit(const LogitRows *s)
{
	int64		positives;
	double		beta[LOGIT_K] = {0};
	double		cmax[LOGIT_K];
	LogitEval	ev;
	double		sc[LOGIT_K];
	double		l[LOGIT_K][LOGIT_K];
	int			col;
	int			iter;
	bool		converged = false;
	LogitModel *m;

	positives = logit_scan(s, cmax);
	if (positives == 0 || positives == s->n)
		logit_fail(psprintf("Every outcome of the %lld rows is %s: the model needs rows of both outcomes.",
							(long long) s->n, positives == 0 ? "false" : "true"),
				   NULL);

	/* the intercept-only estimate is the start */
	beta[0] = log((double) positives / (double) (s->n - positives));
	logit_evaluate(s, beta, &ev);
	for (iter = 1; iter <= LOGIT_MAX_ITER; iter++)
	{
		double		step[LOGIT_K];
		double		size = 0.0;
		double		t = 1.0;
		int			halvings = 0;
		LogitEval	trial;

		CHECK_FOR_INTERRUPTS();
		if (s->penalty == 0.0 && ev.separated)
			logit_fail_separated(&ev, s);
		col = logit_factor(ev.hess, sc, l, LOGIT_PIVOT_TOL);
		if (col >= 0)
		{
			if (s->penalty == 0.0 && ev.certain > 0)
				logit_fail_separated(&ev, s);
			logit_fail_singular(col, s);
		}
		logit_solve(sc, l, ev.grad, step);
		for (int i = 0; i < LOGIT_K; i++)
			size = Max(size, fabs(step[i]) * cmax[i]);
		for (;;)
		{
			double		next[LOGIT_K];

			for (int i = 0; i < LOGIT_K; i++)
				next[i] = beta[i] + t * step[i];
			logit_evaluate(s, next, &trial);

			/*
			 * A step this small is in the quadratic region, where a Newton
			 * step always improves: it is taken whatever rounding does to the
			 * objective
			 */
			if (trial.objective >= ev.objective || size < LOGIT_TRUST_STEP)
			{
				memcpy(beta, next, sizeof(next));
				break;
			}
			if (++halvings > LOGIT_MAX_HALVINGS)
				logit_fail("No step improves the likelihood.", NULL);
			t *= 0.5;
		}
		ev = trial;
		if (size < LOGIT_STEP_TOL)
		{
			converged = true;
			break;
		}
	}
	if (!converged)
	{
		if (s->penalty == 0.0 && ev.certain > 0)
			logit_fail_separated(&ev, s);
		col = logit_factor(ev.hess, sc, l, LOGIT_NEAR_PIVOT_TOL);
		if (col > 0)
			logit_fail(psprintf("No maximum of the likelihood was reached in %d iterations: dimension \"%s\" is nearly a linear combination of the other dimensions over the %lld rows.",
								LOGIT_MAX_ITER, logit_terms[col], (long long) s->n),
					   "Fit again with a penalty, for instance engagement_logit_fit(state, as_of, outcome, 1), or leave the dimension out of the events.");
		logit_fail(psprintf("No maximum of the likelihood was reached in %d iterations.",
							LOGIT_MAX_ITER), NULL);
	}

	m = logit_new();
	m->iterations = iter;
	m->rows = s->n;
	m->positives = positives;
	m->penalty = s->penalty;
	m->loglik = ev.loglik;
	memcpy(m->coef, beta, sizeof(beta));
	col = logit_factor(ev.hess, sc, l, LOGIT_PIVOT_TOL);
	if (col >= 0)
		logit_fail_singular(col, s);
	/* the inverse, column by column */
	for (int c = 0; c < LOGIT_K; c++)
	{
		double		e[LOGIT_K] = {0};
		double		x[LOGIT_K];

		e[c] = 1.0;
		logit_solve(sc, l, e, x);
		for (int i = c; i < LOGIT_K; i++)
			m->cov[i * (i + 1) / 2 + c] = x[i];
	}
	for (int i = 0; i < LOGIT_K; i++)
		m->coef[i] = eng_no_minus_zero(m->coef[i]);
	for (int i = 0; i < LOGIT_NCOV; i++)
		m->cov[i] = eng_no_minus_zero(m->cov[i]);
	logit_validate(m, ENG_STORED);
	return m;
}

PG_FUNCTION_INFO_V1(engagement_engagement_logit_final);
Datum
engagement_engagement_logit_final(PG_FUNCTION_ARGS)
{
	LogitRows  *s;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (LogitRows *) PG_GETARG_POINTER(0);
	logit_rows_check(s);
	if (s->n == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(logit_fit(s));
}

/*****************************************************************************
 * Accessors
 *****************************************************************************/

/*
 * coefficients(model) -> SETOF (term, estimate, std_error, z): the intercept
 * and the four dimensions, standard errors from the inverse of the
 * (penalised) information matrix at the estimate
 */
PG_FUNCTION_INFO_V1(engagement_engagement_logit_coefficients);
Datum
engagement_engagement_logit_coefficients(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	LogitModel *m;

	InitMaterializedSRF(fcinfo, 0);
	m = logit_getarg(fcinfo, 0);
	for (int i = 0; i < LOGIT_K; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};
		double		se = sqrt(LCOV(m->cov, i, i));

		values[0] = CStringGetTextDatum(logit_terms[i]);
		values[1] = Float8GetDatum(m->coef[i]);
		values[2] = Float8GetDatum(se);
		values[3] = Float8GetDatum(eng_no_minus_zero(m->coef[i] / se));
		/* a z beyond the range of doubles (a tiny standard error) is NULL */
		nulls[3] = !isfinite(m->coef[i] / se);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * score_weights(model): the weights of score() and score_factors(), the four
 * dimension coefficients with negative ones set to 0 (score() takes no
 * negative weight) and the intercept dropped
 */
PG_FUNCTION_INFO_V1(engagement_engagement_logit_score_weights);
Datum
engagement_engagement_logit_score_weights(PG_FUNCTION_ARGS)
{
	LogitModel *m = logit_getarg(fcinfo, 0);
	Datum		w[LOGIT_NDIM];

	for (int d = 0; d < LOGIT_NDIM; d++)
		w[d] = Float8GetDatum(m->coef[d + 1] > 0.0 ? m->coef[d + 1] : 0.0);
	PG_RETURN_ARRAYTYPE_P(construct_array(w, LOGIT_NDIM, FLOAT8OID, sizeof(float8),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* outcome_probability(model, state, as_of): the fitted probability */
PG_FUNCTION_INFO_V1(engagement_engagement_logit_probability);
Datum
engagement_engagement_logit_probability(PG_FUNCTION_ARGS)
{
	LogitModel *m = logit_getarg(fcinfo, 0);
	double		x[LOGIT_NDIM];
	double		eta;

	eng_engagement_at(PG_GETARG_DATUM(1), PG_GETARG_TIMESTAMPTZ(2), x);
	eta = m->coef[0];
	for (int d = 0; d < LOGIT_NDIM; d++)
		eta += m->coef[d + 1] * x[d];
	if (isnan(eta))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("engagement_logit linear predictor is out of range"));
	if (eta >= 0.0)
		PG_RETURN_FLOAT8(1.0 / (1.0 + exp(-eta)));
	PG_RETURN_FLOAT8(eng_no_minus_zero(exp(eta) / (1.0 + exp(eta))));
}

PG_FUNCTION_INFO_V1(engagement_engagement_logit_loglik);
Datum
engagement_engagement_logit_loglik(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(logit_getarg(fcinfo, 0)->loglik);
}

PG_FUNCTION_INFO_V1(engagement_engagement_logit_rows);
Datum
engagement_engagement_logit_rows(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(logit_getarg(fcinfo, 0)->rows);
}

/* JSON form */
static Datum
engagement_logit_json(FunctionCallInfo fcinfo, bool jsonb)
{
	LogitModel *m = logit_getarg(fcinfo, 0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"rows\": " INT64_FORMAT
					 ", \"positives\": " INT64_FORMAT ", \"iterations\": %d, \"penalty\": ",
					 LOGIT_VERSION, m->rows, m->positives, m->iterations);
	eng_append_float8(&buf, m->penalty);
	appendStringInfoString(&buf, ", \"log_likelihood\": ");
	eng_append_float8(&buf, m->loglik);
	appendStringInfoString(&buf, ", \"coefficients\": {");
	for (int i = 0; i < LOGIT_K; i++)
	{
		appendStringInfo(&buf, "%s\"%s\": ", i > 0 ? ", " : "", logit_terms[i]);
		eng_append_float8(&buf, m->coef[i]);
	}
	appendStringInfoString(&buf, "}, \"covariance\": [");
	for (int i = 0; i < LOGIT_K; i++)
	{
		appendStringInfoString(&buf, i > 0 ? ", [" : "[");
		for (int j = 0; j < LOGIT_K; j++)
		{
			if (j > 0)
				appendStringInfoString(&buf, ", ");
			eng_append_float8(&buf, LCOV(m->cov, i, j));
		}
		appendStringInfoChar(&buf, ']');
	}
	appendStringInfoString(&buf, "]}");
	return eng_json_result(&buf, jsonb);
}

ENG_JSON_CASTS(engagement_engagement_logit, engagement_logit_json)

/*****************************************************************************
 * Intent against action: nps_referrals(score, referrals, converted,
 * referral_value [, confidence]) gives, per NPS category (and for all
 * respondents), the respondents, their referrals and converted referrals,
 * the referral conversion rate with its Wilson score interval, and the
 * referral value (CRV) per respondent.
 *
 * The state is a float8[] of 13 numbers: per category (detractor, passive,
 * promoter) respondents, referrals, converted referrals and the sum of the
 * referral values, then the confidence level (0 until a row sets it).  The
 * counts are whole numbers kept exactly up to 2^53.
 *****************************************************************************/

#define NR_NCAT			3
#define NR_NFIELD		4
#define NR_CONF			(NR_NCAT * NR_NFIELD)
#define NR_LEN			(NR_CONF + 1)
/*
 * counts stay exact in a double below 2^53: a sum that reaches 2^53 may have
 * been rounded (2^53 + 1 is not a double), so it is out of range
 */
#define NR_MAX_COUNT	9007199254740991.0

static const char *const nr_category[NR_NCAT] = {"detractor", "passive", "promoter"};

static void
nr_corrupt(const char *detail)
{
	ereport(ERROR,
			errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			errmsg("invalid nps_referrals state"),
			errdetail("%s", detail));
}

/*
 * The numbers of a state array without NULLs (ARR_DATA_PTR, without its
 * branch for a NULL bitmap)
 */
static inline double *
nr_data(ArrayType *arr)
{
	return (double *) ((char *) arr + ARR_OVERHEAD_NONULLS(ARR_NDIM(arr)));
}

/* the numbers of a state array, checked as a state (22023 otherwise) */
static double *
nr_state_values(ArrayType *arr)
{
	double	   *v;

	if (ARR_NDIM(arr) != 1 || ARR_ELEMTYPE(arr) != FLOAT8OID || ARR_HASNULL(arr) ||
		ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr)) != NR_LEN)
		nr_corrupt("The state is a one-dimensional array of 13 numbers without NULLs.");
	v = nr_data(arr);
	for (int c = 0; c < NR_NCAT; c++)
	{
		const double *f = &v[c * NR_NFIELD];

		for (int i = 0; i < 3; i++)
			if (!(f[i] >= 0.0 && f[i] <= NR_MAX_COUNT && f[i] == floor(f[i])))
				nr_corrupt("A count is not a whole number between 0 and 2^53 - 1.");
		if (f[2] > f[1] || !isfinite(f[3]))
			nr_corrupt("More referrals converted than were made, or a value that is not finite.");
	}
	if (v[NR_CONF] != 0.0 && !(v[NR_CONF] > 0.0 && v[NR_CONF] < 1.0))
		nr_corrupt("The confidence level is not between 0 and 1.");
	return v;
}

/* a state argument ready to update: in place in an aggregate, else a copy */
static ArrayType *
nr_state_arg(FunctionCallInfo fcinfo, int argno)
{
	ArrayType  *arr;

	if (AggCheckCallContext(fcinfo, NULL))
		arr = PG_GETARG_ARRAYTYPE_P(argno);
	else
		arr = PG_GETARG_ARRAYTYPE_P_COPY(argno);
	nr_state_values(arr);
	return arr;
}

static ArrayType *
nr_state_new(void)
{
	Datum		zeros[NR_LEN];

	for (int i = 0; i < NR_LEN; i++)
		zeros[i] = Float8GetDatum(0.0);
	return construct_array(zeros, NR_LEN, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
						   TYPALIGN_DOUBLE);
}

static void
nr_set_confidence(double *v, double confidence)
{
	(void) eng_confidence_z(confidence);	/* 22023 outside (0, 1) */
	if (v[NR_CONF] == 0.0)
		v[NR_CONF] = confidence;
	else if (v[NR_CONF] != confidence)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("nps_referrals confidence must be the same for every row of a group"),
				errdetail("One row has %g, another %g.", v[NR_CONF], confidence));
}

static void
nr_add_count(double *dst, int64 n, const char *what)
{
	/* n and *dst are below 2^53 here, so the sum is rounded at most once */
	if (n > (int64) NR_MAX_COUNT || (*dst += (double) n) > NR_MAX_COUNT)
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("nps_referrals %s count is out of range", what),
				errdetail("Counts are exact up to 2^53 - 1."));
}

static void
nr_add_value(double *dst, double value)
{
	*dst += value;
	if (!isfinite(*dst))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("nps_referrals referral value is out of range"));
}

/*
 * Transition: rows with a NULL score are skipped (not respondents); NULL
 * referrals, converted or referral_value count as 0 (a respondent without
 * referrals, the outer side of a join); a NULL confidence is 0.95.
 */
PG_FUNCTION_INFO_V1(engagement_nps_referrals_trans);
Datum
engagement_nps_referrals_trans(PG_FUNCTION_ARGS)
{
	ArrayType  *arr;
	double	   *v;
	int32		score;
	int64		referrals = PG_ARGISNULL(2) ? 0 : PG_GETARG_INT64(2);
	int64		converted = PG_ARGISNULL(3) ? 0 : PG_GETARG_INT64(3);
	double		value = PG_ARGISNULL(4) ? 0.0 : PG_GETARG_FLOAT8(4);
	double	   *f;
	int			c;

	arr = PG_ARGISNULL(0) ? nr_state_new() : nr_state_arg(fcinfo, 0);
	v = nr_data(arr);
	if (PG_NARGS() > 5)
		nr_set_confidence(v, PG_ARGISNULL(5) ? 0.95 : PG_GETARG_FLOAT8(5));
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_ARRAYTYPE_P(arr);
	}
	score = PG_GETARG_INT32(1);
	if (score < 0 || score > 10)
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("NPS score %d is out of range", score),
				errdetail("Scores must be integers between 0 and 10."));
	if (referrals < 0 || converted < 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("nps_referrals referral counts must not be negative"),
				errdetail("The row has " INT64_FORMAT " referrals and " INT64_FORMAT " converted.",
						  referrals, converted));
	if (converted > referrals)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("nps_referrals converted referrals exceed referrals"),
				errdetail("The row has " INT64_FORMAT " referrals and " INT64_FORMAT " converted.",
						  referrals, converted));
	if (!isfinite(value))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("nps_referrals referral value must be a finite number"));
	c = score <= 6 ? 0 : score <= 8 ? 1 : 2;
	f = &v[c * NR_NFIELD];
	nr_add_count(&f[0], 1, "respondent");
	nr_add_count(&f[1], referrals, "referral");
	nr_add_count(&f[2], converted, "converted referral");
	nr_add_value(&f[3], value);
	PG_RETURN_ARRAYTYPE_P(arr);
}

/* combine (strict): the sums of two states */
PG_FUNCTION_INFO_V1(engagement_nps_referrals_combine);
Datum
engagement_nps_referrals_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = nr_state_arg(fcinfo, 0);
	double	   *v = nr_data(arr);
	const double *w = nr_state_values(PG_GETARG_ARRAYTYPE_P(1));

	if (w[NR_CONF] != 0.0)
		nr_set_confidence(v, w[NR_CONF]);
	for (int c = 0; c < NR_NCAT; c++)
	{
		double	   *f = &v[c * NR_NFIELD];
		const double *g = &w[c * NR_NFIELD];

		nr_add_count(&f[0], (int64) g[0], "respondent");
		nr_add_count(&f[1], (int64) g[1], "referral");
		nr_add_count(&f[2], (int64) g[2], "converted referral");
		nr_add_value(&f[3], g[3]);
	}
	PG_RETURN_ARRAYTYPE_P(arr);
}

/*
 * Wilson's score interval for k successes in n trials at z:
 *   (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), p = k/n
 */
static void
nr_wilson(double k, double n, double z, double *lo, double *hi)
{
	double		p = k / n;
	double		z2n = z * z / n;
	double		center = p + z2n / 2.0;
	double		half = z * sqrt(p * (1.0 - p) / n + z2n / (4.0 * n));
	double		denom = 1.0 + z2n;

	*lo = Max(0.0, (center - half) / denom);
	*hi = Min(1.0, (center + half) / denom);
	/* exactly 0 and 1 at the ends, whatever the rounding */
	if (k == 0.0)
		*lo = 0.0;
	if (k == n)
		*hi = 1.0;
}

/*
 * Final: one nps_referral_row per category, promoter, passive, detractor,
 * then "all"; no rows give NULL.
 */
PG_FUNCTION_INFO_V1(engagement_nps_referrals_final);
Datum
engagement_nps_referrals_final(PG_FUNCTION_ARGS)
{
	const double *v;
	Oid			arraytype = get_fn_expr_rettype(fcinfo->flinfo);
	Oid			rowtype;
	TupleDesc	desc;
	Datum		rows[NR_NCAT + 1];
	double		all[NR_NFIELD] = {0, 0, 0, 0};
	double		z;
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	v = nr_state_values(PG_GETARG_ARRAYTYPE_P(0));
	z = eng_confidence_z(v[NR_CONF] == 0.0 ? 0.95 : v[NR_CONF]);
	rowtype = OidIsValid(arraytype) ? get_element_type(arraytype) : InvalidOid;
	if (!OidIsValid(rowtype))
		ereport(ERROR,
				errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				errmsg("nps_referrals_final must return an array of nps_referral_row"));
	desc = lookup_rowtype_tupdesc_copy(rowtype, -1);
	if (desc->natts != 9)
		ereport(ERROR,
				errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				errmsg("nps_referrals_final must return an array of nps_referral_row"));
	desc = BlessTupleDesc(desc);
	for (int c = 0; c < NR_NCAT; c++)
	{
		nr_add_count(&all[0], (int64) v[c * NR_NFIELD], "respondent");
		nr_add_count(&all[1], (int64) v[c * NR_NFIELD + 1], "referral");
		nr_add_count(&all[2], (int64) v[c * NR_NFIELD + 2], "converted referral");
		nr_add_value(&all[3], v[c * NR_NFIELD + 3]);
	}
	for (int r = 0; r <= NR_NCAT; r++)
	{
		/* promoter, passive, detractor, all */
		const double *f = r < NR_NCAT ? &v[(NR_NCAT - 1 - r) * NR_NFIELD] : all;
		Datum		values[9];
		bool		nulls[9] = {false};

		values[0] = CStringGetTextDatum(r < NR_NCAT ? nr_category[NR_NCAT - 1 - r] : "all");
		values[1] = Int64GetDatum((int64) f[0]);
		values[2] = Int64GetDatum((int64) f[1]);
		values[3] = Int64GetDatum((int64) f[2]);
		if (f[1] > 0.0)
		{
			double		lo,
						hi;

			nr_wilson(f[2], f[1], z, &lo, &hi);
			values[4] = Float8GetDatum(f[2] / f[1]);
			values[5] = Float8GetDatum(lo);
			values[6] = Float8GetDatum(hi);
		}
		else
			nulls[4] = nulls[5] = nulls[6] = true;
		values[7] = Float8GetDatum(eng_no_minus_zero(f[3]));
		if (f[0] > 0.0)
			values[8] = Float8GetDatum(eng_no_minus_zero(f[3] / f[0]));
		else
			nulls[8] = true;
		rows[r] = heap_copy_tuple_as_datum(heap_form_tuple(desc, values, nulls), desc);
	}
	get_typlenbyvalalign(rowtype, &typlen, &typbyval, &typalign);
	PG_RETURN_ARRAYTYPE_P(construct_array(rows, NR_NCAT + 1, rowtype, typlen, typbyval,
										  typalign));
}
