/*-------------------------------------------------------------------------
 *
 * bgbb.c
 *	  The beta-geometric/beta-binomial (BG/BB) model of repeat transactions
 *	  at discrete opportunities (Fader, Hardie and Shang 2010, "Customer-Base
 *	  Analysis in a Discrete-Time Noncontractual Setting", Marketing Science
 *	  29(6)): the bgbb type, its fit by maximum likelihood and its
 *	  predictions.
 *
 * A customer who is alive transacts at each opportunity with probability
 * p and dies before each opportunity with probability theta, p ~ Beta(alpha,
 * beta) and theta ~ Beta(gamma, delta) across customers.  The data of a
 * customer are x (opportunities with a transaction after the first), t_x
 * (the opportunity of the last of them, 0 when x = 0) and n (opportunities
 * observed).  Integrating p and theta out, with B the beta function:
 *
 *   L(x, t_x, n) = B(alpha+x, beta+n-x)/B(alpha,beta) B(gamma, delta+n)/B(gamma,delta)
 *     + sum_{i=0}^{n-t_x-1} B(alpha+x, beta+t_x-x+i)/B(alpha,beta)
 *                           B(gamma+1, delta+t_x+i)/B(gamma,delta)
 *
 * (the first term: alive through opportunity n; term i: alive at t_x + i,
 * dead before t_x + i + 1).  Everything is computed from logarithms of beta
 * functions and from ratios of consecutive terms (B(a, b+1)/B(a, b) =
 * b/(a+b)), so no term overflows and nothing is subtracted.
 *
 * The fitting aggregate gathers rows (x, t_x, n, count) in an internal state
 * that partial aggregates merge by concatenation.  The final function
 * collapses identical rows into weights and groups them by (x, t_x): the
 * sum of the likelihood for every n of a group is one running sum over i,
 * so an evaluation of the likelihood costs the number of distinct rows plus,
 * per distinct (x, t_x), the largest n - t_x.  The log-likelihood is
 * maximised over the logarithms of the parameters with the BFGS minimiser of
 * numerics.c and an analytic gradient, as bgnbd_fit does (predict.c).
 *
 * IDENTIFICATION
 *	  src/bgbb.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include <float.h>
#include <math.h>

#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "numerics.h"
#include "predict.h"

#define BGBB_NPARAMS		4
#define BGBB_NCOV			(BGBB_NPARAMS * (BGBB_NPARAMS + 1) / 2)
StaticAssertDecl(BGBB_NPARAMS <= NUM_MAX_PARAMS,
				 "the BG/BB model has more parameters than num_minimise fits");

/* rows of a fitting state: 32 bytes each, so a serial form stays under 1 GB */
#define BGBB_MAX_ROWS		(25 * 1000 * 1000)
/* opportunities of one customer, and of a prediction horizon */
#define BGBB_MAX_OPPORTUNITIES	(10 * 1000 * 1000)

/* the model type: predict.h's layout, I/O and accessors */
static const PredKind bgbb_kind = {
	.typname = "bgbb",
	.fitname = "bgbb_fit",
	.penalized_call = "bgbb_fit(frequency, recency, opportunities, customers, 0.001)",
	.unit_hint = "Check the data: frequency, recency and opportunities are counts of opportunities.",
	.events = "transactions",
	.nparams = BGBB_NPARAMS,
	.names = {"alpha", "beta", "gamma", "delta"},
};


typedef PredModel BgbbModel;

/* one row of a fitting state */
typedef struct BgbbRow
{
	double		x;
	double		tx;
	double		n;
	int64		count;
} BgbbRow;

/*****************************************************************************
 * The model type: predict.h's, named by bgbb_kind
 *****************************************************************************/

static BgbbModel *
bgbb_getarg(FunctionCallInfo fcinfo, int argno)
{
	return pred_getarg(fcinfo, argno, &bgbb_kind);
}

/* bgbb(alpha, beta, gamma, delta): a model from given parameters */
PG_FUNCTION_INFO_V1(engagement_bgbb_make);
Datum
engagement_bgbb_make(PG_FUNCTION_ARGS)
{
	return pred_construct(fcinfo, &bgbb_kind);
}

/*
 * Text form: (v=1,alpha=1.2,beta=0.75,gamma=0.66,delta=2.78) for given
 * parameters; a fit adds ,customers=11104,ll=-33225.6,iterations=20,
 * cov=[c00,c10,c11,...] (the covariance of the log-parameters, lower
 * triangle by rows); the binary form has the same fields
 */
PG_FUNCTION_INFO_V1(engagement_bgbb_out);
Datum
engagement_bgbb_out(PG_FUNCTION_ARGS)
{
	return pred_out(fcinfo, &bgbb_kind);
}

PG_FUNCTION_INFO_V1(engagement_bgbb_in);
Datum
engagement_bgbb_in(PG_FUNCTION_ARGS)
{
	return pred_in(fcinfo, &bgbb_kind);
}

PG_FUNCTION_INFO_V1(engagement_bgbb_send);
Datum
engagement_bgbb_send(PG_FUNCTION_ARGS)
{
	return pred_send(fcinfo, &bgbb_kind);
}

PG_FUNCTION_INFO_V1(engagement_bgbb_recv);
Datum
engagement_bgbb_recv(PG_FUNCTION_ARGS)
{
	return pred_recv(fcinfo, &bgbb_kind);
}

/* parameters(bgbb) -> (parameter, estimate, std_error) */
PG_FUNCTION_INFO_V1(engagement_bgbb_parameters);
Datum
engagement_bgbb_parameters(PG_FUNCTION_ARGS)
{
	return pred_parameters(fcinfo, &bgbb_kind);
}

/* estimates(bgbb): the parameters and their standard errors as one record */
PG_FUNCTION_INFO_V1(engagement_bgbb_estimates);
Datum
engagement_bgbb_estimates(PG_FUNCTION_ARGS)
{
	return pred_estimates(fcinfo, &bgbb_kind);
}

/* log_likelihood(bgbb): at the estimate; NULL for given parameters */
PG_FUNCTION_INFO_V1(engagement_bgbb_loglik);
Datum
engagement_bgbb_loglik(PG_FUNCTION_ARGS)
{
	return pred_loglik(fcinfo, &bgbb_kind);
}

/* customers(bgbb): customers of the fit; NULL for given parameters */
PG_FUNCTION_INFO_V1(engagement_bgbb_customers);
Datum
engagement_bgbb_customers(PG_FUNCTION_ARGS)
{
	return pred_customers(fcinfo, &bgbb_kind);
}

/* the JSON form: the keys of every model type's (predict.c) */
static Datum
bgbb_json(FunctionCallInfo fcinfo, bool jsonb)
{
	return pred_json(fcinfo, &bgbb_kind, jsonb);
}

ENG_JSON_CASTS(engagement_bgbb, bgbb_json)

/*****************************************************************************
 * Checking customer data
 *****************************************************************************/

/* a whole number of opportunities (or of transactions), 0 to the limit */
static void
bgbb_check_count(double v, const char *what)
{
	if (!isfinite(v) || v < 0.0 || v != floor(v))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("%s must be a whole number, not %g", what, v));
	if (v > BGBB_MAX_OPPORTUNITIES)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("%s %g is out of range for the BG/BB model", what, v),
				errdetail("The BG/BB model handles at most %d opportunities.",
						  BGBB_MAX_OPPORTUNITIES));
}

/*
 * The data of one customer: x, t_x and n whole, 0 <= x <= t_x <= n, and
 * t_x = 0 when x = 0
 */
static void
bgbb_check_data(double x, double tx, double n)
{
	bgbb_check_count(x, "frequency");
	bgbb_check_count(tx, "recency");
	bgbb_check_count(n, "number of opportunities");
	if (x > tx)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("frequency %g is greater than recency %g", x, tx),
				errdetail("Recency is the opportunity of the last transaction, so at most that many opportunities had one."));
	if (tx > n)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("recency %g is greater than the number of opportunities %g", tx, n));
	if (x == 0.0 && tx != 0.0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("recency must be 0 when frequency is 0"));
}

/*****************************************************************************
 * The likelihood of one customer
 *****************************************************************************/

/*
 * ln B(a+da, b+db) - ln B(a, b) for da, db >= 0, as differences of lgamma
 * (Stirling's series for huge arguments, numerics.c): the difference of two
 * ln B is useless once a + da rounds to a
 */
static double
bgbb_lbeta_ratio(double a, double b, double da, double db)
{
	return num_lgamma_ratio(a, da) + num_lgamma_ratio(b, db) -
		num_lgamma_ratio(a + b, da + db);
}

/*
 * ln of the sum of the "dead" terms of L, sum_{i=0}^{k-1}
 * B(alpha+x, beta+t_x-x+i)/B(alpha,beta) B(gamma+1, delta+t_x+i)/B(gamma,delta),
 * for k >= 1: the first term in logs, the others by the ratio of
 * consecutive terms (below 1, so the sum lies between the first term and k
 * times it)
 */
static double
bgbb_log_dead_sum(const double *P, double x, double tx, double k)
{
	double		alpha = P[0],
				beta = P[1],
				gamma = P[2],
				delta = P[3];
	double		first = (bgbb_lbeta_ratio(alpha, beta, x, tx - x) +
						 bgbb_lbeta_ratio(gamma, delta, 1.0, tx));
	double		rho = 1.0,
				sum = 1.0;

	for (double i = 0.0; i < k - 1.0 && rho > 0.0; i += 1.0)
	{
		if (fmod(i, 65536.0) == 0.0)
			CHECK_FOR_INTERRUPTS();
		rho *= (beta + (tx - x + i)) / (alpha + beta + (tx + i)) *
			((delta + (tx + i)) / (gamma + delta + (1.0 + tx + i)));
		sum += rho;
	}
	return first + log(sum);
}

/*
 * ln L(x, t_x, n) into *ll, and ln of its first term (alive at n) into
 * *lalive
 */
static void
bgbb_loglik_parts(const double *P, double x, double tx, double n,
				  double *ll, double *lalive)
{
	double		alpha = P[0],
				beta = P[1],
				gamma = P[2],
				delta = P[3];
	double		A = (bgbb_lbeta_ratio(alpha, beta, x, n - x) +
					 bgbb_lbeta_ratio(gamma, delta, 0.0, n));
	double		B,
				m;

	*lalive = A;
	if (n == tx)
	{
		*ll = A;
		return;
	}
	B = bgbb_log_dead_sum(P, x, tx, n - tx);
	m = Max(A, B);
	*ll = m + log(exp(A - m) + exp(B - m));
}

/*****************************************************************************
 * Fitting aggregate: gathering rows
 *****************************************************************************/

static void
bgbb_check_row(const void *row)
{
	const BgbbRow *r = row;

	bgbb_check_data(r->x, r->tx, r->n);
}

StaticAssertDecl(sizeof(BgbbRow) == 3 * sizeof(float8) + sizeof(int64),
				 "a BgbbRow is the row layout of a PredFitSpec with a count");

/* the rows of bgbb_fit: x, t_x, n and a count of customers */
static const PredFitSpec bgbb_fit_spec = {
	.kind = &bgbb_kind,
	.typname = "bgbb fit",
	.repeat = "transaction",
	.nvals = 3,
	.counted = true,
	.max_rows = BGBB_MAX_ROWS,
	.limit_detail = "The limit keeps the serialized state of a parallel fit under 1 GB; summarise identical customers into one row with a count.",
	.check_row = bgbb_check_row,
};

PRED_FIT_OPS(bgbb_rows_ops, "bgbb fit", bgbb_fit_spec);

/*
 * bgbb_fit(frequency, recency, opportunities [, customers [, penalizer]]):
 * rows with a NULL frequency, recency, opportunities or count are skipped,
 * rows with a count of 0 add nothing
 */
PG_FUNCTION_INFO_V1(engagement_bgbb_trans);
Datum
engagement_bgbb_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	PredFitRows *s = pred_fit_state(eng_build_arg(fcinfo, &bgbb_rows_ops, &aggcontext),
									&bgbb_fit_spec);
	BgbbRow		row;

	if (PG_NARGS() > 5)
		pred_fit_penalize(s, PG_ARGISNULL(5) ? 0.0 : PG_GETARG_FLOAT8(5));
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) ||
		(PG_NARGS() > 4 && PG_ARGISNULL(4)))
		PG_RETURN_POINTER(s);
	row.x = PG_GETARG_FLOAT8(1);
	row.tx = PG_GETARG_FLOAT8(2);
	row.n = PG_GETARG_FLOAT8(3);
	row.count = PG_NARGS() > 4 ? PG_GETARG_INT64(4) : 1;
	bgbb_check_data(row.x, row.tx, row.n);
	if (row.count < 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("bgbb_fit customer count must not be negative, not " INT64_FORMAT,
					   row.count));
	if (row.count > 0)
		pred_fit_push(s, &row, aggcontext);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(engagement_bgbb_combine);
Datum
engagement_bgbb_combine(PG_FUNCTION_ARGS)
{
	return eng_build_combine(fcinfo, &bgbb_rows_ops);
}

PG_FUNCTION_INFO_V1(engagement_bgbb_serial);
Datum
engagement_bgbb_serial(PG_FUNCTION_ARGS)
{
	return eng_build_serial(fcinfo, &bgbb_rows_ops);
}

PG_FUNCTION_INFO_V1(engagement_bgbb_deserial);
Datum
engagement_bgbb_deserial(PG_FUNCTION_ARGS)
{
	return eng_build_deserial(fcinfo, &bgbb_rows_ops);
}

/*****************************************************************************
 * Maximum likelihood
 *****************************************************************************/

/*
 * The data prepared for the likelihood: distinct rows (x, t_x, n) sorted,
 * with weights; rows of one (x, t_x) are consecutive, by increasing n.
 */
typedef struct BgbbData
{
	int64		nrows;
	BgbbRow    *rows;			/* distinct rows, count unused */
	double	   *w;				/* weight (customers) of each row */
	double		wsum;
	double		penalizer;
} BgbbData;

static int
bgbb_row_cmp(const void *a, const void *b, void *arg)
{
	const BgbbRow *p = a;
	const BgbbRow *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	if (p->tx != q->tx)
		return p->tx < q->tx ? -1 : 1;
	return (p->n > q->n) - (p->n < q->n);
}

/*
 * Minus the log-likelihood divided by the total weight, and its gradient,
 * at theta = log(alpha, beta, gamma, delta), for num_minimise.  Per
 * customer ln L = logaddexp(A, D) with
 *   A = ln B(alpha+x, beta+n-x) + ln B(gamma, delta+n) - ln B(alpha, beta) - ln B(gamma, delta)
 *   D = ln sum_{i<n-t_x} T_i - ln B(alpha, beta) - ln B(gamma, delta)
 *   T_i = B(alpha+x, beta+t_x-x+i) B(gamma+1, delta+t_x+i)
 * The derivative of ln B(a, b) over a is psi(a) - psi(a+b); along i the
 * derivatives of ln T_i change by reciprocals (psi(y+1) = psi(y) + 1/y), so
 * the loop over i needs no special function.  numerics.c cannot check for
 * interrupts: this does, and the minimiser calls it every iteration.
 */
static bool
bgbb_objective(const double *theta, double *f, double *grad, void *arg)
{
	BgbbData   *d = (BgbbData *) arg;
	double		alpha = exp(theta[0]),
				beta = exp(theta[1]),
				gamma = exp(theta[2]),
				delta = exp(theta[3]);
	double		dnorm[4];
	double		ll = 0.0;
	double		g[4] = {0.0, 0.0, 0.0, 0.0};
	int64		r = 0;

	CHECK_FOR_INTERRUPTS();
	dnorm[0] = num_digamma(alpha) - num_digamma(alpha + beta);
	dnorm[1] = num_digamma(beta) - num_digamma(alpha + beta);
	dnorm[2] = num_digamma(gamma) - num_digamma(gamma + delta);
	dnorm[3] = num_digamma(delta) - num_digamma(gamma + delta);

	while (r < d->nrows)
	{
		double		x = d->rows[r].x,
					tx = d->rows[r].tx;
		double		psi_ax = num_digamma(alpha + x);

		/* the running sum of T_i / T_0 and of T_i / T_0 times d ln T_i */
		double		lT0 = (bgbb_lbeta_ratio(alpha, beta, x, tx - x) +
						   bgbb_lbeta_ratio(gamma, delta, 1.0, tx));
		double		rho = 1.0;
		double		gT[4];
		double		S = 0.0;
		double		SG[4] = {0.0, 0.0, 0.0, 0.0};
		double		i = 0.0;	/* terms summed so far */

		gT[0] = psi_ax - num_digamma(alpha + beta + tx);
		gT[1] = num_digamma(beta + (tx - x)) - num_digamma(alpha + beta + tx);
		gT[2] = num_digamma(gamma + 1.0) - num_digamma(gamma + delta + 1.0 + tx);
		gT[3] = num_digamma(delta + tx) - num_digamma(gamma + delta + 1.0 + tx);

		for (; r < d->nrows && d->rows[r].x == x && d->rows[r].tx == tx; r++)
		{
			double		n = d->rows[r].n;
			double		w = d->w[r];
			double		A,
						gA[4];

			if ((r & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			/* sum the terms i < n - t_x */
			while (i < n - tx)
			{
				if (fmod(i, 65536.0) == 65535.0)
					CHECK_FOR_INTERRUPTS();
				if (i > 0.0)
				{
					double		b1 = beta + (tx - x + i - 1.0),
								ab = alpha + beta + (tx + i - 1.0),
								d1 = delta + (tx + i - 1.0),
								gd = gamma + delta + (tx + i);

					rho *= (b1 / ab) * (d1 / gd);
					gT[0] -= 1.0 / ab;
					gT[1] += 1.0 / b1 - 1.0 / ab;
					gT[2] -= 1.0 / gd;
					gT[3] += 1.0 / d1 - 1.0 / gd;
				}
				S += rho;
				for (int k = 0; k < 4; k++)
					SG[k] += rho * gT[k];
				i += 1.0;
			}

			A = (bgbb_lbeta_ratio(alpha, beta, x, n - x) +
				 bgbb_lbeta_ratio(gamma, delta, 0.0, n));
			gA[0] = psi_ax - num_digamma(alpha + beta + n) - dnorm[0];
			gA[1] = num_digamma(beta + (n - x)) - num_digamma(alpha + beta + n) - dnorm[1];
			gA[2] = num_digamma(gamma) - num_digamma(gamma + delta + n) - dnorm[2];
			gA[3] = num_digamma(delta + n) - num_digamma(gamma + delta + n) - dnorm[3];
			if (n == tx)
			{
				ll += w * A;
				for (int k = 0; k < 4; k++)
					g[k] += w * gA[k];
			}
			else
			{
				double		D = lT0 + log(S);
				double		m = Max(A, D);
				double		eA = exp(A - m),
							eD = exp(D - m);
				double		pA = eA / (eA + eD),
							pD = 1.0 - pA;

				ll += w * (m + log(eA + eD));
				g[0] += w * (pA * gA[0] + pD * (SG[0] / S - dnorm[0]));
				g[1] += w * (pA * gA[1] + pD * (SG[1] / S - dnorm[1]));
				g[2] += w * (pA * gA[2] + pD * (SG[2] / S - dnorm[2]));
				g[3] += w * (pA * gA[3] + pD * (SG[3] / S - dnorm[3]));
			}
		}
	}
	*f = -ll / d->wsum;
	grad[0] = -g[0] * alpha / d->wsum;
	grad[1] = -g[1] * beta / d->wsum;
	grad[2] = -g[2] * gamma / d->wsum;
	grad[3] = -g[3] * delta / d->wsum;

	/*
	 * lifetimes' penalizer_coef: c (alpha^2 + beta^2 + gamma^2 + delta^2)
	 * added to minus the mean log-likelihood (no time scale: opportunities
	 * are counts); not applied for c = 0, so such a fit is the unpenalized
	 * one bit for bit
	 */
	if (d->penalizer > 0.0)
	{
		double		P[4] = {alpha, beta, gamma, delta};

		for (int k = 0; k < 4; k++)
		{
			*f += d->penalizer * P[k] * P[k];
			grad[k] += 2.0 * d->penalizer * P[k] * P[k];
		}
	}
	return isfinite(*f) && isfinite(grad[0]) && isfinite(grad[1]) &&
		isfinite(grad[2]) && isfinite(grad[3]);
}


/* final of bgbb_fit, and of bgbb_fit_diagnostics (the fit as a record) */
static Datum
bgbb_final_common(FunctionCallInfo fcinfo, bool diagnostics)
{
	PredFitRows *s;
	MemoryContext fitcxt,
				oldcxt;
	BgbbData	d;
	NumFit		fit;
	double		theta0[BGBB_NPARAMS] = {0.0, 0.0, 0.0, 0.0};
	BgbbModel  *result;
	bool		finite;
	void	   *rows;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = pred_fit_state(PG_GETARG_POINTER(0), &bgbb_fit_spec);
	if (s->n == 0)
		PG_RETURN_NULL();
	pred_fit_need_repeat(s);

	fitcxt = AllocSetContextCreate(CurrentMemoryContext, "bgbb_fit",
								   ALLOCSET_DEFAULT_SIZES);
	oldcxt = MemoryContextSwitchTo(fitcxt);

	/* distinct rows with weights */
	d.nrows = pred_fit_distinct(s, bgbb_row_cmp, &rows, &d.w);
	d.rows = rows;
	d.wsum = (double) s->customers;
	d.penalizer = s->penalizer;

	/* start at alpha = beta = gamma = delta = 1 (uniform p and theta) */
	if (diagnostics)
	{
		Datum		report = pred_diagnostics(fcinfo, bgbb_objective, &d, &d.penalizer,
											  &bgbb_kind, theta0, d.wsum, oldcxt);

		MemoryContextSwitchTo(oldcxt);
		MemoryContextDelete(fitcxt);
		return report;
	}
	pred_maximise(bgbb_objective, &d, &bgbb_kind, theta0, d.wsum, d.penalizer, &fit);
	if (d.penalizer != 0.0)
	{
		double		grad[BGBB_NPARAMS];

		/* store the log-likelihood of the data, without the penalty */
		d.penalizer = 0.0;
		(void) bgbb_objective(fit.theta, &fit.f, grad, &d);
	}
	MemoryContextSwitchTo(oldcxt);

	result = pred_new();
	result->hdr.flags = PRED_FLAG_FITTED;
	result->iterations = fit.iterations;
	result->customers = s->customers;
	result->loglik = eng_no_minus_zero(-fit.f * d.wsum);
	for (int i = 0; i < BGBB_NPARAMS; i++)
		result->params[i] = exp(fit.theta[i]);
	/* the Hessian was of the per-customer objective: scale back */
	for (int i = 0; i < BGBB_NCOV; i++)
		result->cov[i] = eng_no_minus_zero(fit.cov[i] / d.wsum);
	MemoryContextDelete(fitcxt);

	/* what is stored must read back: a model that would not is an error now */
	finite = isfinite(result->loglik);
	for (int i = 0; i < BGBB_NPARAMS; i++)
		finite &= isfinite(result->params[i]) && result->params[i] > 0.0;
	for (int i = 0; i < BGBB_NCOV; i++)
		finite &= isfinite(result->cov[i]);
	if (!finite)
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("bgbb_fit estimate is out of range"),
				errdetail("A parameter, the log-likelihood or the covariance is zero or too large for a double."));
	PG_RETURN_POINTER(result);
}

PG_FUNCTION_INFO_V1(engagement_bgbb_final);
Datum
engagement_bgbb_final(PG_FUNCTION_ARGS)
{
	return bgbb_final_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(engagement_bgbb_diagnostics_final);
Datum
engagement_bgbb_diagnostics_final(PG_FUNCTION_ARGS)
{
	return bgbb_final_common(fcinfo, true);
}

/*****************************************************************************
 * Predictions
 *****************************************************************************/

/* a horizon: a whole number of future opportunities */
static double
bgbb_horizon(double n_star)
{
	bgbb_check_count(n_star, "prediction horizon");
	return n_star;
}

/*
 * sum_{k=1}^{N} B(gamma, delta+m+k) / B(gamma, delta+m): the expected
 * number of the next N opportunities at which a customer alive at m is
 * still alive.  Terms fall (each is the last times (delta+m+k-1) /
 * (gamma+delta+m+k-1)), so the sum stops once the rest cannot reach 1e-17
 * of it.
 */
static double
bgbb_alive_sum(double gamma, double delta, double m, double N)
{
	double		rho = 1.0,
				sum = 0.0;

	for (double k = 1.0; k <= N; k += 1.0)
	{
		if (fmod(k, 65536.0) == 0.0)
			CHECK_FOR_INTERRUPTS();
		rho *= (delta + (m + k - 1.0)) / (gamma + delta + (m + k - 1.0));
		sum += rho;
		if (rho * (N - k) <= 1e-17 * sum)
			break;
	}
	return sum;
}

/* log_likelihood(bgbb, frequency, recency, opportunities) */
PG_FUNCTION_INFO_V1(engagement_bgbb_loglik_customer);
Datum
engagement_bgbb_loglik_customer(PG_FUNCTION_ARGS)
{
	BgbbModel  *m = bgbb_getarg(fcinfo, 0);
	double		x = PG_GETARG_FLOAT8(1),
				tx = PG_GETARG_FLOAT8(2),
				n = PG_GETARG_FLOAT8(3);
	double		ll,
				lalive;

	bgbb_check_data(x, tx, n);
	bgbb_loglik_parts(m->params, x, tx, n, &ll, &lalive);
	PG_RETURN_FLOAT8(eng_float8_result(ll, "BG/BB log-likelihood"));
}

/*
 * expected_purchases(bgbb, n_star): E[X(n*)], a new customer's expected
 * transactions at n* opportunities, alpha/(alpha+beta) times the expected
 * number of them the customer is alive at
 */
PG_FUNCTION_INFO_V1(engagement_bgbb_expected);
Datum
engagement_bgbb_expected(PG_FUNCTION_ARGS)
{
	BgbbModel  *m = bgbb_getarg(fcinfo, 0);
	double		N = bgbb_horizon(PG_GETARG_FLOAT8(1));
	const double *P = m->params;
	double		e = P[0] / (P[0] + P[1]) * bgbb_alive_sum(P[2], P[3], 0.0, N);

	PG_RETURN_FLOAT8(eng_float8_result(e, "BG/BB expected purchases"));
}

/*
 * expected_purchases(bgbb, n_star, frequency, recency, opportunities): the
 * expected transactions in the next n* opportunities (n, n + n*] of a
 * customer with history (x, t_x, n), the paper's expression without its
 * 1/(gamma-1):
 *   P(alive at n | x, t_x, n) (alpha+x)/(alpha+beta+n)
 *     sum_{k=1}^{n*} B(gamma, delta+n+k)/B(gamma, delta+n)
 */
PG_FUNCTION_INFO_V1(engagement_bgbb_expected_customer);
Datum
engagement_bgbb_expected_customer(PG_FUNCTION_ARGS)
{
	BgbbModel  *m = bgbb_getarg(fcinfo, 0);
	double		N = bgbb_horizon(PG_GETARG_FLOAT8(1));
	double		x = PG_GETARG_FLOAT8(2),
				tx = PG_GETARG_FLOAT8(3),
				n = PG_GETARG_FLOAT8(4);
	const double *P = m->params;
	double		ll,
				lalive,
				e;

	bgbb_check_data(x, tx, n);
	if (N == 0.0)
		PG_RETURN_FLOAT8(0.0);
	bgbb_loglik_parts(P, x, tx, n, &ll, &lalive);
	e = exp(lalive - ll) * ((P[0] + x) / (P[0] + P[1] + n)) *
		bgbb_alive_sum(P[2], P[3], n, N);
	PG_RETURN_FLOAT8(eng_float8_result(e, "BG/BB expected purchases"));
}

/*
 * predicted_clv(bgbb, gammagamma, frequency, recency, opportunities,
 * monetary, periods, discount_rate): Gamma-Gamma spend times the expected
 * transactions at each of the next `periods` opportunities, discounted by
 * (1 + d)^k at the k-th: E(M) c sum_k rho_k / (1 + d)^k with c and rho_k the
 * terms of the conditional expectation above (P(alive at n) (alpha+x) /
 * (alpha+beta+n) and B(gamma, delta+n+k) / B(gamma, delta+n)).  Every term
 * is taken (they are positive and fall; a discount keeps them from
 * vanishing less than the sum's own), at most 100,000 opportunities.
 */
PG_FUNCTION_INFO_V1(engagement_bgbb_predicted_clv);
Datum
engagement_bgbb_predicted_clv(PG_FUNCTION_ARGS)
{
	BgbbModel  *m = bgbb_getarg(fcinfo, 0);
	double		x = PG_GETARG_FLOAT8(2),
				tx = PG_GETARG_FLOAT8(3),
				n = PG_GETARG_FLOAT8(4),
				zbar = PG_GETARG_FLOAT8(5);
	int32		periods = PG_GETARG_INT32(6);
	double		d = PG_GETARG_FLOAT8(7);
	const double *P = m->params;
	double		spend,
				ll,
				lalive,
				c,
				rho = 1.0,
				f = 1.0,
				sum = 0.0;

	bgbb_check_data(x, tx, n);
	spend = eng_gammagamma_spend(fcinfo, 1, x, zbar);
	if (periods < 0 || periods > 100000)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("number of periods must be between 0 and 100000, not %d", periods));
	if (!(isfinite(d) && d > -1.0))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("discount rate must be greater than -1, not %g", d));
	if (periods == 0)
		PG_RETURN_FLOAT8(0.0);
	bgbb_loglik_parts(P, x, tx, n, &ll, &lalive);
	c = exp(lalive - ll) * ((P[0] + x) / (P[0] + P[1] + n));
	for (int32 k = 1; k <= periods; k++)
	{
		if ((k & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		rho *= (P[3] + (n + k - 1.0)) / (P[2] + P[3] + (n + k - 1.0));
		f *= 1.0 + d;
		if (!isfinite(f))
			break;				/* later terms are discounted to nothing */
		sum += rho / f;
	}
	PG_RETURN_FLOAT8(eng_float8_result(spend * c * sum, "predicted customer lifetime value"));
}

/*
 * p_alive(bgbb, frequency, recency, opportunities): the probability that the
 * customer is alive at the next opportunity, n + 1 (the paper's P(alive)):
 *   P(alive at n | x, t_x, n) (delta+n)/(gamma+delta+n)
 */
PG_FUNCTION_INFO_V1(engagement_bgbb_p_alive);
Datum
engagement_bgbb_p_alive(PG_FUNCTION_ARGS)
{
	BgbbModel  *m = bgbb_getarg(fcinfo, 0);
	double		x = PG_GETARG_FLOAT8(1),
				tx = PG_GETARG_FLOAT8(2),
				n = PG_GETARG_FLOAT8(3);
	const double *P = m->params;
	double		ll,
				lalive,
				p;

	bgbb_check_data(x, tx, n);
	bgbb_loglik_parts(P, x, tx, n, &ll, &lalive);
	p = exp(Min(lalive - ll, 0.0)) * ((P[3] + n) / (P[2] + P[3] + n));
	PG_RETURN_FLOAT8(eng_float8_result(p, "BG/BB P(alive)"));
}

/*
 * purchase_probability(bgbb, n, x): P(X(n) = x), the probability that a new
 * customer transacts at exactly x of n opportunities (the paper's expression):
 *   C(n,x) B(alpha+x, beta+n-x)/B(alpha,beta) B(gamma, delta+n)/B(gamma,delta)
 *   + sum_{i=x}^{n-1} C(i,x) B(alpha+x, beta+i-x)/B(alpha,beta)
 *                    B(gamma+1, delta+i)/B(gamma,delta)
 * The sum runs by the ratio of consecutive terms, on a binary scale that
 * keeps the running term and sum finite (terms can grow by binomial
 * factors before they fall).
 */
PG_FUNCTION_INFO_V1(engagement_bgbb_probability);
Datum
engagement_bgbb_probability(PG_FUNCTION_ARGS)
{
	BgbbModel  *m = bgbb_getarg(fcinfo, 0);
	double		n = PG_GETARG_FLOAT8(1);
	double		x = PG_GETARG_FLOAT8(2);
	const double *P = m->params;
	double		alpha = P[0],
				beta = P[1],
				gamma = P[2],
				delta = P[3];
	double		A,
				p;

	bgbb_check_count(n, "number of opportunities");
	if (!isfinite(x) || x < 0.0 || x != floor(x))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("number of transactions must be a whole number, not %g", x));
	if (x > n)
		PG_RETURN_FLOAT8(0.0);
	/* ln C(n, x) = -ln(n+1) - ln B(x+1, n-x+1) */
	A = -log1p(n) - num_lbeta(x + 1.0, n - x + 1.0) +
		bgbb_lbeta_ratio(alpha, beta, x, n - x) + bgbb_lbeta_ratio(gamma, delta, 0.0, n);
	if (x == n)
		p = exp(A);
	else
	{
		double		first = (bgbb_lbeta_ratio(alpha, beta, x, 0.0) +
							 bgbb_lbeta_ratio(gamma, delta, 1.0, x));
		double		v = 1.0,
					sum = 1.0,
					mx;
		int			e = 0;
		double		lsum;

		for (double i = x; i < n - 1.0; i += 1.0)
		{
			if (fmod(i - x, 65536.0) == 65535.0)
				CHECK_FOR_INTERRUPTS();
			v *= (i + 1.0) / (i + 1.0 - x) *
				((beta + (i - x)) / (alpha + beta + i)) *
				((delta + i) / (gamma + delta + 1.0 + i));
			sum += v;
			if (v > 0x1p500)
			{
				v = ldexp(v, -500);
				sum = ldexp(sum, -500);
				e += 500;
			}
		}
		lsum = first + log(sum) + e * log(2.0);
		mx = Max(A, lsum);
		p = exp(mx) * (exp(A - mx) + exp(lsum - mx));
	}
	PG_RETURN_FLOAT8(eng_float8_result(Min(p, 1.0), "BG/BB probability"));
}
