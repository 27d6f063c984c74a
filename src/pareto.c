/*-------------------------------------------------------------------------
 *
 * pareto.c
 *	  The Pareto/NBD model of repeat purchases in continuous time
 *	  (Schmittlein, Morrison and Colombo 1987, "Counting Your Customers:
 *	  Who Are They and What Will They Do Next?", Management Science 33(1)):
 *	  the paretonbd type, its fit by maximum likelihood and its predictions.
 *
 * While alive a customer purchases as a Poisson process of rate lambda and
 * dies after an exponential lifetime of rate mu, lambda ~ Gamma(r, alpha)
 * and mu ~ Gamma(s, beta) across customers.  The data of a customer are x
 * (repeat purchases), t_x (time of the last of them since the first
 * purchase, 0 when x = 0) and T (time since the first purchase), as for
 * bgnbd_fit.  Integrating lambda and mu out (Fader and Hardie 2005, "A Note
 * on Deriving the Pareto/NBD Model and Related Expressions"):
 *
 *   L = Gamma(r+x) alpha^r beta^s / Gamma(r)
 *       [ (alpha+T)^-(r+x) (beta+T)^-s + s I ]
 *   I = int_{t_x}^{T} (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau
 *
 * (the first term: alive at T; the second: died at some tau between the
 * last purchase and T).  The note writes s I as s/(r+s+x) A0, A0 a
 * difference of two Gaussian hypergeometric functions
 * 2F1(r+s+x, s+1 or r+x; r+s+x+1; z) of z = |alpha-beta|/(max(alpha,beta)+t)
 * at t = t_x and t = T.  That difference cancels when t_x is near T, and
 * needs a special case at alpha = beta; pnbd_integral instead sums I as one
 * series of positive terms (see there), whose truncation is bounded.
 *
 * The fitting aggregate gathers rows (x, t_x, T) in an internal state that
 * partial aggregates merge by concatenation; the final function collapses
 * identical rows into weights and maximises the log-likelihood over the
 * logarithms of the parameters with the BFGS minimiser of numerics.c and
 * an analytic gradient, as bgnbd_fit does (predict.c).
 *
 * IDENTIFICATION
 *	  src/pareto.c
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

#define PNBD_NPARAMS		4
#define PNBD_NCOV			(PNBD_NPARAMS * (PNBD_NPARAMS + 1) / 2)
StaticAssertDecl(PNBD_NPARAMS <= NUM_MAX_PARAMS,
				 "the Pareto/NBD model has more parameters than num_minimise fits");

/* rows of a fitting state: 24 bytes each, so a serial form stays under 1 GB */
#define PNBD_MAX_ROWS		(40 * 1000 * 1000)

/*
 * Most terms of one series of the death integral (see pnbd_integral and
 * pnbd_log_integral); the predictions reach the bound only at millions of
 * purchases
 */
#define PNBD_MAX_TERMS		(16 * 1000 * 1000)

/*
 * The same bound inside a fit, where each evaluation sums three series per
 * customer: parameters that need more make the objective fail, and the
 * minimiser steps back (no estimate lies there in practice: it takes rate
 * parameters some 10^4 times apart with small times)
 */
#define PNBD_FIT_MAX_TERMS	(64 * 1024)

/* the model type: predict.h's layout, I/O and accessors */
static const PredKind paretonbd_kind = {
	.typname = "paretonbd",
	.fitname = "paretonbd_fit",
	.penalized_call = "paretonbd_fit(frequency, recency, age, 0.001)",
	.unit_hint = "Express the times in another unit.",
	.events = "purchases",
	.nparams = PNBD_NPARAMS,
	.names = {"r", "alpha", "s", "beta"},
};


typedef PredModel PnbdModel;

/* one row of a fitting state: frequency, recency, age */
typedef struct PnbdRow
{
	double		x;
	double		tx;
	double		T;
} PnbdRow;

/*****************************************************************************
 * The model type: predict.h's, named by paretonbd_kind
 *****************************************************************************/

static PnbdModel *
paretonbd_getarg(FunctionCallInfo fcinfo, int argno)
{
	return pred_getarg(fcinfo, argno, &paretonbd_kind);
}

/* paretonbd(r, alpha, s, beta): a model from given parameters */
PG_FUNCTION_INFO_V1(engagement_paretonbd_make);
Datum
engagement_paretonbd_make(PG_FUNCTION_ARGS)
{
	return pred_construct(fcinfo, &paretonbd_kind);
}

/*
 * Text form: (v=1,r=0.55,alpha=10.58,s=0.61,beta=11.67) for given
 * parameters; a fit adds ,customers=2357,ll=-9595.0,iterations=20,
 * cov=[c00,c10,c11,...] (the covariance of the log-parameters, lower
 * triangle by rows); the binary form has the same fields
 */
PG_FUNCTION_INFO_V1(engagement_paretonbd_out);
Datum
engagement_paretonbd_out(PG_FUNCTION_ARGS)
{
	return pred_out(fcinfo, &paretonbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_paretonbd_in);
Datum
engagement_paretonbd_in(PG_FUNCTION_ARGS)
{
	return pred_in(fcinfo, &paretonbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_paretonbd_send);
Datum
engagement_paretonbd_send(PG_FUNCTION_ARGS)
{
	return pred_send(fcinfo, &paretonbd_kind);
}

PG_FUNCTION_INFO_V1(engagement_paretonbd_recv);
Datum
engagement_paretonbd_recv(PG_FUNCTION_ARGS)
{
	return pred_recv(fcinfo, &paretonbd_kind);
}

/* parameters(paretonbd) -> (parameter, estimate, std_error) */
PG_FUNCTION_INFO_V1(engagement_paretonbd_parameters);
Datum
engagement_paretonbd_parameters(PG_FUNCTION_ARGS)
{
	return pred_parameters(fcinfo, &paretonbd_kind);
}

/* estimates(paretonbd): the parameters and standard errors as one record */
PG_FUNCTION_INFO_V1(engagement_paretonbd_estimates);
Datum
engagement_paretonbd_estimates(PG_FUNCTION_ARGS)
{
	return pred_estimates(fcinfo, &paretonbd_kind);
}

/* log_likelihood(paretonbd): at the estimate; NULL for given parameters */
PG_FUNCTION_INFO_V1(engagement_paretonbd_loglik);
Datum
engagement_paretonbd_loglik(PG_FUNCTION_ARGS)
{
	return pred_loglik(fcinfo, &paretonbd_kind);
}

/* customers(paretonbd): customers of the fit; NULL for given parameters */
PG_FUNCTION_INFO_V1(engagement_paretonbd_customers);
Datum
engagement_paretonbd_customers(PG_FUNCTION_ARGS)
{
	return pred_customers(fcinfo, &paretonbd_kind);
}

/* the JSON form: the keys of every model type's (predict.c) */
static Datum
paretonbd_json(FunctionCallInfo fcinfo, bool jsonb)
{
	return pred_json(fcinfo, &paretonbd_kind, jsonb);
}

ENG_JSON_CASTS(engagement_paretonbd, paretonbd_json)

/*****************************************************************************
 * Checking customer data
 *****************************************************************************/

/*
 * The data of one customer, with the rules and messages of bgnbd_fit: x a
 * whole number from 0 to 10^15, 0 <= t_x <= T finite, t_x > 0 exactly when
 * x > 0
 */
static void
pnbd_check_data(double x, double tx, double T)
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

/*****************************************************************************
 * The death integral and the likelihood of one customer
 *****************************************************************************/

/* ln I and its derivatives over the exponents a and b */
typedef struct PnbdIntegral
{
	double		logI;			/* -inf when I is below the smallest double */
	double		da;
	double		db;
} PnbdIntegral;

/*
 * I(a, b) = int_u^v (alpha+tau)^-a (beta+tau)^-b dtau, for 0 <= u < v,
 * a > 0, b > 1.
 *
 * Let M = max(alpha, beta), m = min(alpha, beta), e the exponent of the
 * factor of m (b when alpha >= beta, a otherwise) and n = a + b - 1.  With
 * m + tau = (M + tau)(1 - z(tau)), z(tau) = (M - m)/(M + tau) in [0, 1),
 * the binomial series of (1 - z)^-e integrated power by power gives
 *
 *   I = (M+u)^-n sum_{k>=0} t_k,   t_k = (e)_k/k! z^k E_k/(n+k),
 *   z = z(u),  E_k = 1 - ((M+u)/(M+v))^(n+k) = -expm1(-(n+k) l),
 *   l = ln((M+v)/(M+u)) = log1p((v-u)/(M+u))
 *
 * ((M+u)^-(n+k) E_k/(n+k) is the integral of (M+tau)^-(n+k+1)).  This is
 * the note's difference of two 2F1 at z(u) and z(v) summed as one series:
 * every term is positive, so nothing cancels, also when v is near u
 * (expm1); at alpha = beta, z = 0 and I is the first term alone.
 *
 * Truncation: E_k/(n+k) falls with k (1 - exp(-c l) is concave in c), so
 * t_{j+1}/t_j <= z (e+j)/(j+1), and for j >= k that is at most
 * rho = z max(1, (e+k)/(k+1)).  Once rho < 1 the terms after t_k sum to at
 * most tail = t_k rho/(1-rho).  The derivatives (below) weight term j by
 * g_j, |g_j| <= 1/n, and by H_j <= H_k + (j-k)/(e+k); their tails are at
 * most tail/n and tail (H_k + 1/((1-rho)(e+k))).  The sum stops when
 * tail (1 + 1/n + H_k + 1/((1-rho)(e+k))) <= 2^-60 sum, so each of the
 * three truncated sums is within 2^-60 times the sum of its full value.  The
 * number of terms grows like 1/(1-z) and, when e is large, like z e/(1-z)
 * (the terms rise before they fall); beyond max_terms terms the function
 * returns false.  Terms are kept on a binary scale so that a
 * large peak cannot overflow.
 *
 * Derivatives: d ln t_k/dn = g_k - ln(M+u) with g_k = l/expm1((n+k) l) -
 * 1/(n+k) (the derivative of ln(E_k/(n+k))), and d ln (e)_k/de = H_k =
 * sum_{j<k} 1/(e+j); n grows with a and with b alike.
 */
static bool
pnbd_integral(double a, double b, double alpha, double beta, double u, double v,
			  int64 max_terms, PnbdIntegral *out)
{
	bool		alpha_larger = alpha >= beta;
	double		M = alpha_larger ? alpha : beta;
	double		m = alpha_larger ? beta : alpha;
	double		e = alpha_larger ? b : a;
	double		n = a + b - 1.0;
	double		lnMu = log(M + u);
	double		z = (M - m) / (M + u);
	double		q = (v - u) / (M + u);
	double		l = isfinite(q) ? log1p(q) : log(M + v) - log(M + u);
	double		c = 1.0;		/* (e)_k/k! z^k, times 2^-scale */
	double		H = 0.0;
	double		S = 0.0,
				Sg = 0.0,
				SH = 0.0;
	int			scale = 0;
	double		dn,
				de;

	for (int64 k = 0;; k++)
	{
		double		nk = n + (double) k;
		double		t = c * (-expm1(-nk * l)) / nk;

		/* l e^-(n+k)l / E_k is below 1e-300 l beyond nk l = 700 */
		double		g = (nk * l > 700.0 ? 0.0 : l / expm1(nk * l)) - 1.0 / nk;
		double		rho;

		S += t;
		Sg += t * g;
		SH += t * H;
		rho = z * Max(1.0, (e + (double) k) / ((double) k + 1.0));
		if (rho < 1.0)
		{
			double		tail = t * rho / (1.0 - rho);

			if (tail * (1.0 + 1.0 / n + H + 1.0 / ((1.0 - rho) * (e + (double) k))) <=
				0x1p-60 * S)
				break;
		}
		if (k >= max_terms)
			return false;
		if ((k & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		H += 1.0 / (e + (double) k);
		c *= z * ((e + (double) k) / ((double) k + 1.0));
		if (c > 0x1p500)
		{
			c = ldexp(c, -500);
			S = ldexp(S, -500);
			Sg = ldexp(Sg, -500);
			SH = ldexp(SH, -500);
			scale += 500;
		}
	}
	if (!(S > 0.0))
	{
		/* I is below the smallest double: its weight in L is 0 */
		out->logI = -INFINITY;
		out->da = out->db = 0.0;
		return true;
	}
	out->logI = -n * lnMu + log(S) + scale * M_LN2;
	dn = Sg / S - lnMu;
	de = dn + SH / S;
	out->da = alpha_larger ? dn : de;
	out->db = alpha_larger ? de : dn;
	return true;
}

/* ln(e^p + e^q) for p finite, q finite or -inf */
static double
pnbd_logaddexp(double p, double q)
{
	double		mx = Max(p, q);

	if (q == -INFINITY)
		return p;
	return mx + log1p(exp(Min(p, q) - mx));
}

/*
 * ln of int_{q1}^{q2} q^(j-e) dq for 0 < q1 < q2, c = j - e + 1: from the
 * larger end's power when c > 0, the smaller end's when c < 0 (so that no
 * power overflows), by expm1 (no cancellation when q2 is near q1 or c near
 * 0)
 */
static double
pnbd_log_power_integral(double c, double lq1, double lq2)
{
	double		L = lq2 - lq1;

	if (c == 0.0)
		return log(L);
	if (c > 0.0)
		return c * lq2 + log(-expm1(-c * L)) - log(c);
	return c * lq1 + log(-expm1(c * L)) - log(-c);
}

/*
 * ln I(a, b) as pnbd_integral computes it, also when z(u) is close to 1
 * (the larger rate parameter M many times m + u), for the predictions
 * (without derivatives).
 *
 * With p the exponent of the factor of M and e that of m (n = p + e - 1),
 * D = M - m and q = (m + tau)/D, the integral over tau < D q_s - m is
 *
 *   D^-n int_{q1}^{q2} q^-e (1+q)^-p dq
 *     = D^-n sum_j (-1)^j (p)_j/j! int_{q1}^{q2} q^(j-e) dq
 *
 * (q1 = (m+u)/D, q2 = min(q_s, (m+v)/D)), and the rest, from D q_s - m to v,
 * is pnbd_integral's series at z <= 1/(1+q_s).  The terms alternate; the
 * sum of their magnitudes is the same integral with (1-q)^-p, at most
 * K = ((1+q_s)/(1-q_s))^p times the sum, and q_s = min(1/2, tanh(ln(K)/(2p)))
 * keeps K <= 256: at most 8 bits of 53 cancel.  Term j+1 is at most
 * q2 (p+j)/(j+1) times term j (the integral of q^(j+1-e) is at most q2
 * times that of q^(j-e)), so once rho = q2 max(1, (p+j)/(j+1)) < 1 the
 * magnitudes after term j sum to at most |t_j| rho/(1-rho); the series
 * stops when that is below 2^-68 |t_0|, which is below 2^-60 of the sum.
 * Two passes: the largest term's logarithm, then the sum scaled by it.
 * False beyond max_terms terms.
 */
static bool
pnbd_log_integral(double a, double b, double alpha, double beta, double u, double v,
				  int64 max_terms, double *logI)
{
	bool		alpha_larger = alpha >= beta;
	double		M = alpha_larger ? alpha : beta;
	double		m = alpha_larger ? beta : alpha;
	double		p = alpha_larger ? a : b;
	double		e = alpha_larger ? b : a;
	double		n = a + b - 1.0;
	double		D = M - m;
	double		qs = Min(0.5, tanh(log(256.0) / (2.0 * p)));
	double		q2,
				lq1,
				lq2,
				lt0 = 0.0,
				lmax = -INFINITY,
				sum = 0.0,
				llow;
	PnbdIntegral hi;

	/* the plain series where it converges at least as fast as 1/(1+q_s)^k */
	if (!(D > 0.0) || (m + u) / D >= qs || !isfinite((m + u) / D))
	{
		PnbdIntegral I;

		if (!pnbd_integral(a, b, alpha, beta, u, v, max_terms, &I))
			return false;
		*logI = I.logI;
		return true;
	}
	/* logarithms from the parts: (m + u)/D can underflow */
	q2 = Min(qs, (m + v) / D);
	lq1 = log(m + u) - log(D);
	lq2 = Min(log(qs), log(m + v) - log(D));

	for (int pass = 0; pass < 2; pass++)
	{
		double		lc = 0.0;	/* ln (p)_j/j! */

		for (int64 j = 0;; j++)
		{
			double		lt = lc + pnbd_log_power_integral((double) j - e + 1.0, lq1, lq2);
			double		rho = q2 * Max(1.0, (p + (double) j) / ((double) j + 1.0));

			if (j == 0)
				lt0 = lt;
			if (pass == 0)
				lmax = Max(lmax, lt);
			else
				sum += (j % 2 == 0 ? 1.0 : -1.0) * exp(lt - lmax);
			if (rho < 1.0 && lt + log(rho / (1.0 - rho)) <= lt0 - 68.0 * M_LN2)
				break;
			if (j >= max_terms)
				return false;
			if ((j & 0xFFFF) == 0xFFFF)
				CHECK_FOR_INTERRUPTS();
			lc += log((p + (double) j) / ((double) j + 1.0));
		}
	}
	if (!(sum > 0.0))
		return false;
	llow = -n * log(D) + lmax + log(sum);

	/* the rest of the range, if any, by the series */
	if ((m + v) / D <= qs)
	{
		*logI = llow;
		return true;
	}
	if (!pnbd_integral(a, b, alpha, beta, D * qs - m, v, max_terms, &hi))
		return false;
	*logI = pnbd_logaddexp(llow, hi.logI);
	return true;
}

/*
 * ln I(a, b) and, when want_d, its derivatives over a and b.  Where z(u) is
 * near 1 (min(alpha, beta) + u below 1/64 of max(alpha, beta) + u) the
 * series of pnbd_integral needs of the order of (M+u)/(m+u) terms; there,
 * if pnbd_log_integral's alternating series applies, ln I comes from it and
 * the derivatives from central differences of it (steps of 1e-5 of a and of
 * b - 1: relative error about 1e-10, ample for a gradient), so a fit that
 * wanders to such parameters does not sum tens of thousands of terms per
 * customer at every step.
 */
static bool
pnbd_integral_any(double a, double b, double alpha, double beta, double u, double v,
				  int64 max_terms, bool want_d, PnbdIntegral *out)
{
	double		M = Max(alpha, beta);
	double		m = Min(alpha, beta);
	double		p = alpha >= beta ? a : b;
	double		qs = Min(0.5, tanh(log(256.0) / (2.0 * p)));
	double		ha = 1e-5 * a,
				hb = 1e-5 * (b - 1.0),
				l[4];

	if (!(m + u < (M + u) / 64.0 && (m + u) / (M - m) < qs))
		return pnbd_integral(a, b, alpha, beta, u, v, max_terms, out);
	if (!pnbd_log_integral(a, b, alpha, beta, u, v, max_terms, &out->logI))
		return false;
	out->da = out->db = 0.0;
	if (!want_d || out->logI == -INFINITY)
		return true;
	if (!pnbd_log_integral(a + ha, b, alpha, beta, u, v, max_terms, &l[0]) ||
		!pnbd_log_integral(a - ha, b, alpha, beta, u, v, max_terms, &l[1]) ||
		!pnbd_log_integral(a, b + hb, alpha, beta, u, v, max_terms, &l[2]) ||
		!pnbd_log_integral(a, b - hb, alpha, beta, u, v, max_terms, &l[3]))
		return false;
	out->da = (l[0] - l[1]) / (2.0 * ha);
	out->db = (l[2] - l[3]) / (2.0 * hb);
	return isfinite(out->da) && isfinite(out->db);
}

/* ln L of one customer, its parts and (on request) its gradient */
typedef struct PnbdParts
{
	double		ll;				/* ln L */
	double		lalive;			/* ln of the first term of the bracket */
	double		lbracket;		/* ln of the bracket */
	double		grad[PNBD_NPARAMS]; /* d ln L / d (r, alpha, s, beta) */
} PnbdParts;

/*
 * The likelihood of (x, t_x, T):
 *   ln L = lnG(r+x) - lnG(r) + r ln alpha + s ln beta + ln(e^A + e^D)
 *   A = -(r+x) ln(alpha+T) - s ln(beta+T),   D = ln s + ln I(r+x, s+1)
 * (I over (t_x, T), absent when t_x = T).  The gradient uses
 * dI(a,b)/dalpha = -a I(a+1, b) and dI(a,b)/dbeta = -b I(a, b+1).  False
 * when a series needs more than max_terms terms.
 */
static bool
pnbd_loglik_parts(const double *P, double x, double tx, double T, bool want_grad,
				  int64 max_terms, PnbdParts *out)
{
	double		r = P[0],
				alpha = P[1],
				s = P[2],
				beta = P[3];
	double		a = r + x,
				b = s + 1.0;
	double		lalive = -a * log(alpha + T) - s * log(beta + T);
	double		ldead = -INFINITY;
	double		pA,
				pD;
	PnbdIntegral I0 = {-INFINITY, 0.0, 0.0};

	if (T > tx && !want_grad)
	{
		if (!pnbd_log_integral(a, b, alpha, beta, tx, T, max_terms, &I0.logI))
			return false;
		ldead = log(s) + I0.logI;
	}
	else if (T > tx)
	{
		if (!pnbd_integral_any(a, b, alpha, beta, tx, T, max_terms, true, &I0))
			return false;
		ldead = log(s) + I0.logI;
	}
	out->lalive = lalive;
	out->lbracket = pnbd_logaddexp(lalive, ldead);
	out->ll = num_lgamma_ratio(r, x) + r * log(alpha) + s * log(beta) + out->lbracket;
	if (!want_grad)
		return true;

	pA = exp(lalive - out->lbracket);
	pD = ldead == -INFINITY ? 0.0 : exp(ldead - out->lbracket);
	out->grad[0] = num_digamma(a) - num_digamma(r) + log(alpha) - pA * log(alpha + T);
	out->grad[1] = r / alpha - pA * a / (alpha + T);
	out->grad[2] = log(beta) - pA * log(beta + T);
	out->grad[3] = s / beta - pA * s / (beta + T);
	if (pD > 0.0)
	{
		PnbdIntegral Ia,
					Ib;

		if (!pnbd_integral_any(a + 1.0, b, alpha, beta, tx, T, max_terms, false, &Ia) ||
			!pnbd_integral_any(a, b + 1.0, alpha, beta, tx, T, max_terms, false, &Ib))
			return false;
		out->grad[0] += pD * I0.da;
		out->grad[1] -= pD * a * exp(Ia.logI - I0.logI);
		out->grad[2] += pD * (1.0 / s + I0.db);
		out->grad[3] -= pD * b * exp(Ib.logI - I0.logI);
	}
	return true;
}

/* the parts of one customer for an accessor: 54000 when a series is too long */
static void
pnbd_parts_or_error(const double *P, double x, double tx, double T, PnbdParts *out)
{
	if (!pnbd_loglik_parts(P, x, tx, T, false, PNBD_MAX_TERMS, out))
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("the Pareto/NBD likelihood of this customer needs more than %d terms",
					   PNBD_MAX_TERMS),
				errdetail("The series is this long only at millions of purchases."));
}

/*****************************************************************************
 * Fitting aggregate: gathering rows
 *****************************************************************************/

static void
pnbd_check_row(const void *row)
{
	const PnbdRow *r = row;

	pnbd_check_data(r->x, r->tx, r->T);
}

StaticAssertDecl(sizeof(PnbdRow) == 3 * sizeof(float8),
				 "a PnbdRow is the row layout of a PredFitSpec without a count");

/* the rows of paretonbd_fit: x, t_x, T */
static const PredFitSpec pnbd_fit_spec = {
	.kind = &paretonbd_kind,
	.typname = "paretonbd fit",
	.repeat = "purchase",
	.nvals = 3,
	.counted = false,
	.max_rows = PNBD_MAX_ROWS,
	.limit_detail = "The limit keeps the serialized state of a parallel fit under 1 GB.",
	.check_row = pnbd_check_row,
};

PRED_FIT_OPS(pnbd_rows_ops, "paretonbd fit", pnbd_fit_spec);

/*
 * paretonbd_fit(frequency, recency, age [, penalizer]): rows with a NULL
 * frequency, recency or age are skipped
 */
PG_FUNCTION_INFO_V1(engagement_paretonbd_trans);
Datum
engagement_paretonbd_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	PredFitRows *s = pred_fit_state(eng_build_arg(fcinfo, &pnbd_rows_ops, &aggcontext),
									&pnbd_fit_spec);
	PnbdRow		row;

	if (PG_NARGS() > 4)
		pred_fit_penalize(s, PG_ARGISNULL(4) ? 0.0 : PG_GETARG_FLOAT8(4));
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(s);
	row.x = PG_GETARG_FLOAT8(1);
	row.tx = PG_GETARG_FLOAT8(2);
	row.T = PG_GETARG_FLOAT8(3);
	pnbd_check_data(row.x, row.tx, row.T);
	pred_fit_push(s, &row, aggcontext);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(engagement_paretonbd_combine);
Datum
engagement_paretonbd_combine(PG_FUNCTION_ARGS)
{
	return eng_build_combine(fcinfo, &pnbd_rows_ops);
}

PG_FUNCTION_INFO_V1(engagement_paretonbd_serial);
Datum
engagement_paretonbd_serial(PG_FUNCTION_ARGS)
{
	return eng_build_serial(fcinfo, &pnbd_rows_ops);
}

PG_FUNCTION_INFO_V1(engagement_paretonbd_deserial);
Datum
engagement_paretonbd_deserial(PG_FUNCTION_ARGS)
{
	return eng_build_deserial(fcinfo, &pnbd_rows_ops);
}

/*****************************************************************************
 * Maximum likelihood
 *****************************************************************************/

/* the data prepared for the likelihood: distinct rows sorted, with weights */
typedef struct PnbdData
{
	int64		nrows;
	PnbdRow    *rows;
	double	   *w;
	double		wsum;
	double		penalizer;
	double		time_scale;		/* 1 / the largest age, as lifetimes scales */
} PnbdData;

static int
pnbd_row_cmp(const void *a, const void *b, void *arg)
{
	const PnbdRow *p = a;
	const PnbdRow *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	if (p->tx != q->tx)
		return p->tx < q->tx ? -1 : 1;
	return (p->T > q->T) - (p->T < q->T);
}

/*
 * Minus the mean log-likelihood and its gradient at theta = log(r, alpha,
 * s, beta), for num_minimise; false (the minimiser shortens its step) where
 * a series of the likelihood is too long or a value is not finite.
 * numerics.c cannot check for interrupts: this does, and the minimiser
 * calls it every iteration.
 */
static bool
pnbd_objective(const double *theta, double *f, double *grad, void *arg)
{
	PnbdData   *d = (PnbdData *) arg;
	double		P[PNBD_NPARAMS];
	double		ll = 0.0;
	double		g[PNBD_NPARAMS] = {0.0, 0.0, 0.0, 0.0};

	CHECK_FOR_INTERRUPTS();
	for (int i = 0; i < PNBD_NPARAMS; i++)
		P[i] = exp(theta[i]);
	for (int64 i = 0; i < d->nrows; i++)
	{
		PnbdParts	parts;
		double		w = d->w[i];

		if ((i & 0x3FF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!pnbd_loglik_parts(P, d->rows[i].x, d->rows[i].tx, d->rows[i].T, true,
							   PNBD_FIT_MAX_TERMS, &parts))
			return false;
		ll += w * parts.ll;
		for (int k = 0; k < PNBD_NPARAMS; k++)
			g[k] += w * parts.grad[k];
	}
	*f = -ll / d->wsum;
	for (int k = 0; k < PNBD_NPARAMS; k++)
		grad[k] = -g[k] * P[k] / d->wsum;

	/*
	 * lifetimes' penalizer_coef for ParetoNBDFitter: c times the sum of the
	 * squared parameters, alpha and beta on the time scale where the largest
	 * age is 1; not applied for c = 0, so that such a fit is the unpenalized
	 * one bit for bit
	 */
	if (d->penalizer > 0.0)
	{
		const double scale[PNBD_NPARAMS] = {1.0, d->time_scale, 1.0, d->time_scale};

		for (int k = 0; k < PNBD_NPARAMS; k++)
		{
			double		v = P[k] * scale[k];

			*f += d->penalizer * v * v;
			grad[k] += 2.0 * d->penalizer * v * v;
		}
	}
	return isfinite(*f) && isfinite(grad[0]) && isfinite(grad[1]) &&
		isfinite(grad[2]) && isfinite(grad[3]);
}

/* final of paretonbd_fit, and of paretonbd_fit_diagnostics (the fit as a record) */
static Datum
paretonbd_final_common(FunctionCallInfo fcinfo, bool diagnostics)
{
	PredFitRows *s;
	MemoryContext fitcxt,
				oldcxt;
	PnbdData	d;
	NumFit		fit;
	double		theta0[PNBD_NPARAMS];
	double		sx = 0.0,
				sT = 0.0,
				maxT = 0.0;
	PnbdModel  *result;
	bool		finite;
	void	   *rows;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = pred_fit_state(PG_GETARG_POINTER(0), &pnbd_fit_spec);
	if (s->n == 0)
		PG_RETURN_NULL();
	pred_fit_need_repeat(s);

	fitcxt = AllocSetContextCreate(CurrentMemoryContext, "paretonbd_fit",
								   ALLOCSET_DEFAULT_SIZES);
	oldcxt = MemoryContextSwitchTo(fitcxt);

	/* distinct rows with weights */
	d.nrows = pred_fit_distinct(s, pnbd_row_cmp, &rows, &d.w);
	d.rows = rows;
	d.wsum = (double) s->n;
	d.penalizer = s->penalizer;

	/*
	 * start: r = s = 1, alpha at the observed purchase rate, beta at the mean
	 * age (summed over the sorted rows, so the start does not depend on the
	 * input order)
	 */
	for (int64 i = 0; i < d.nrows; i++)
	{
		sx += d.w[i] * d.rows[i].x;
		sT += d.w[i] * d.rows[i].T;
		maxT = Max(maxT, d.rows[i].T);
	}
	d.time_scale = 1.0 / maxT;
	theta0[0] = 0.0;
	theta0[1] = log(sT / Max(sx, 1.0));
	theta0[2] = 0.0;
	theta0[3] = log(sT / d.wsum);

	if (diagnostics)
	{
		Datum		report = pred_diagnostics(fcinfo, pnbd_objective, &d, &d.penalizer,
											  &paretonbd_kind, theta0, d.wsum, oldcxt);

		MemoryContextSwitchTo(oldcxt);
		MemoryContextDelete(fitcxt);
		return report;
	}
	pred_maximise(pnbd_objective, &d, &paretonbd_kind, theta0, d.wsum, d.penalizer, &fit);
	if (d.penalizer != 0.0)
	{
		double		grad[PNBD_NPARAMS];

		/* store the log-likelihood of the data, without the penalty */
		d.penalizer = 0.0;
		(void) pnbd_objective(fit.theta, &fit.f, grad, &d);
	}
	MemoryContextSwitchTo(oldcxt);

	result = pred_new();
	result->hdr.flags = PRED_FLAG_FITTED;
	result->iterations = fit.iterations;
	result->customers = s->n;
	result->loglik = eng_no_minus_zero(-fit.f * d.wsum);
	for (int i = 0; i < PNBD_NPARAMS; i++)
		result->params[i] = exp(fit.theta[i]);
	/* the Hessian was of the per-customer objective: scale back */
	for (int i = 0; i < PNBD_NCOV; i++)
		result->cov[i] = eng_no_minus_zero(fit.cov[i] / d.wsum);
	MemoryContextDelete(fitcxt);

	/* what is stored must read back: a model that would not is an error now */
	finite = isfinite(result->loglik);
	for (int i = 0; i < PNBD_NPARAMS; i++)
		finite &= isfinite(result->params[i]) && result->params[i] > 0.0;
	for (int i = 0; i < PNBD_NCOV; i++)
		finite &= isfinite(result->cov[i]);
	if (!finite)
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("paretonbd_fit estimate is out of range"),
				errdetail("A parameter, the log-likelihood or the covariance is zero or too large for a double."),
				errhint("Express the times in another unit."));
	PG_RETURN_POINTER(result);
}

PG_FUNCTION_INFO_V1(engagement_paretonbd_final);
Datum
engagement_paretonbd_final(PG_FUNCTION_ARGS)
{
	return paretonbd_final_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(engagement_paretonbd_diagnostics_final);
Datum
engagement_paretonbd_diagnostics_final(PG_FUNCTION_ARGS)
{
	return paretonbd_final_common(fcinfo, true);
}

/*****************************************************************************
 * Predictions
 *****************************************************************************/

/*
 * (1 - (c/(c+t))^(s-1)) / (s-1) for c > 0, t >= 0, and its limit ln(1+t/c)
 * at s = 1: L (1 - e^-y)/y with L = ln(1+t/c), y = (s-1) L, by expm1 (no
 * cancellation near s = 1; Taylor below |y| = 1e-8); ln(t) - ln(c) when t/c
 * overflows
 */
static double
pnbd_horizon_factor(double s, double c, double t)
{
	double		k = t / c;
	double		L = isfinite(k) ? log1p(k) : log(t) - log(c);
	double		y = (s - 1.0) * L;

	if (fabs(y) < 1e-8)
		return L * (1.0 - y / 2.0);
	return L * (-expm1(-y) / y);
}

/*
 * a b d / c for positive finite a, b, c and d >= 0, also when a partial product
 * overflows or underflows on the way to a representable result (then from
 * logarithms); 0 when d is 0
 */
static double
pnbd_ratio_product(double a, double b, double c, double d)
{
	double		v = a / c * b * d;

	if (d == 0.0 || (isfinite(v) && v >= DBL_MIN))
		return v;
	return exp(log(a) - log(c) + log(b) + log(d));
}

/* log_likelihood(paretonbd, frequency, recency, age) */
PG_FUNCTION_INFO_V1(engagement_paretonbd_loglik_customer);
Datum
engagement_paretonbd_loglik_customer(PG_FUNCTION_ARGS)
{
	PnbdModel  *m = paretonbd_getarg(fcinfo, 0);
	double		x = PG_GETARG_FLOAT8(1),
				tx = PG_GETARG_FLOAT8(2),
				T = PG_GETARG_FLOAT8(3);
	PnbdParts	parts;

	pnbd_check_data(x, tx, T);
	pnbd_parts_or_error(m->params, x, tx, T, &parts);
	PG_RETURN_FLOAT8(eng_float8_result(parts.ll, "Pareto/NBD log-likelihood"));
}

/*
 * expected_purchases(paretonbd, t): E[X(t)] of a new customer,
 *   r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)]
 * (r beta/alpha ln(1 + t/beta) at s = 1)
 */
PG_FUNCTION_INFO_V1(engagement_paretonbd_expected);
Datum
engagement_paretonbd_expected(PG_FUNCTION_ARGS)
{
	PnbdModel  *m = paretonbd_getarg(fcinfo, 0);
	double		t = pred_horizon(PG_GETARG_FLOAT8(1));
	const double *P = m->params;
	double		e = pnbd_ratio_product(P[0], P[3], P[1], pnbd_horizon_factor(P[2], P[3], t));

	PG_RETURN_FLOAT8(eng_float8_result(e, "Pareto/NBD expected purchases"));
}

/*
 * expected_purchases(paretonbd, t, frequency, recency, age): purchases in
 * (T, T+t] of a customer with history (x, t_x, T),
 *   P(alive) (r+x)(beta+T) / ((alpha+T)(s-1)) [1 - ((beta+T)/(beta+T+t))^(s-1)]
 */
PG_FUNCTION_INFO_V1(engagement_paretonbd_expected_customer);
Datum
engagement_paretonbd_expected_customer(PG_FUNCTION_ARGS)
{
	PnbdModel  *m = paretonbd_getarg(fcinfo, 0);
	double		t = pred_horizon(PG_GETARG_FLOAT8(1));
	double		x = PG_GETARG_FLOAT8(2),
				tx = PG_GETARG_FLOAT8(3),
				T = PG_GETARG_FLOAT8(4);
	const double *P = m->params;
	PnbdParts	parts;
	double		e;

	pnbd_check_data(x, tx, T);
	if (t == 0.0)
		PG_RETURN_FLOAT8(0.0);
	pnbd_parts_or_error(P, x, tx, T, &parts);
	e = exp(Min(parts.lalive - parts.lbracket, 0.0)) *
		pnbd_ratio_product(P[0] + x, P[3] + T, P[1] + T,
						   pnbd_horizon_factor(P[2], P[3] + T, t));
	PG_RETURN_FLOAT8(eng_float8_result(e, "Pareto/NBD expected purchases"));
}

/*
 * predicted_clv(paretonbd, gammagamma, ...): the conditional expectation
 * above at each period's end; P(alive) does not depend on t, so it is taken
 * once
 */
typedef struct PnbdCustomer
{
	const double *P;
	double		x,
				T,
				alive;
} PnbdCustomer;

static double
pnbd_expected_of(void *arg, double t)
{
	PnbdCustomer *c = arg;
	const double *P = c->P;

	if (t == 0.0)
		return 0.0;
	return c->alive * pnbd_ratio_product(P[0] + c->x, P[3] + c->T, P[1] + c->T,
										 pnbd_horizon_factor(P[2], P[3] + c->T, t));
}

PG_FUNCTION_INFO_V1(engagement_paretonbd_predicted_clv);
Datum
engagement_paretonbd_predicted_clv(PG_FUNCTION_ARGS)
{
	PnbdModel  *m = paretonbd_getarg(fcinfo, 0);
	double		x = PG_GETARG_FLOAT8(2),
				tx = PG_GETARG_FLOAT8(3),
				T = PG_GETARG_FLOAT8(4);
	PnbdParts	parts;
	PnbdCustomer c;

	pnbd_check_data(x, tx, T);
	pnbd_parts_or_error(m->params, x, tx, T, &parts);
	c.P = m->params;
	c.x = x;
	c.T = T;
	c.alive = exp(Min(parts.lalive - parts.lbracket, 0.0));
	return eng_predicted_clv(fcinfo, pnbd_expected_of, &c);
}

/*
 * p_alive(paretonbd, frequency, recency, age): the probability that the
 * customer is alive at T, the first term of the bracket over the bracket
 */
PG_FUNCTION_INFO_V1(engagement_paretonbd_p_alive);
Datum
engagement_paretonbd_p_alive(PG_FUNCTION_ARGS)
{
	PnbdModel  *m = paretonbd_getarg(fcinfo, 0);
	double		x = PG_GETARG_FLOAT8(1),
				tx = PG_GETARG_FLOAT8(2),
				T = PG_GETARG_FLOAT8(3);
	PnbdParts	parts;

	pnbd_check_data(x, tx, T);
	pnbd_parts_or_error(m->params, x, tx, T, &parts);
	PG_RETURN_FLOAT8(eng_float8_result(exp(Min(parts.lalive - parts.lbracket, 0.0)),
									   "Pareto/NBD P(alive)"));
}
