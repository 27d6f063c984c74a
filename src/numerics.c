/*-------------------------------------------------------------------------
 *
 * numerics.c
 *	  Pure numerical routines: special functions, the standard normal
 *	  distribution, the inverse of a small symmetric positive definite
 *	  matrix and a BFGS minimiser (see numerics.h).
 *
 * No PostgreSQL header: failures are returned as a NumStatus, and the unit
 * tests in test/numerics_test.c compile this file with a plain C compiler.
 *
 * IDENTIFICATION
 *	  src/numerics.c
 *
 *-------------------------------------------------------------------------
 */
#include "numerics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* not in ISO C's math.h (the same digits as glibc's) */
#ifndef M_PI
#define M_PI		3.14159265358979323846
#endif
#ifndef M_LN2
#define M_LN2		0.69314718055994530942
#endif
#ifndef M_SQRT2
#define M_SQRT2		1.41421356237309504880
#endif

/* as PostgreSQL's Min and Max (c.h), which the callers' results rely on */
#define NUM_MIN(x, y)		((x) < (y) ? (x) : (y))
#define NUM_MAX(x, y)		((x) > (y) ? (x) : (y))

/*****************************************************************************
 * Special functions
 *****************************************************************************/

/* digamma: recurrence up to 6, then the asymptotic series */
double
num_digamma(double x)
{
	double		r = 0.0;
	double		f;

	while (x < 6.0)
	{
		r -= 1.0 / x;
		x += 1.0;
	}
	f = 1.0 / (x * x);
	return r + log(x) - 0.5 / x -
		f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));
}

/*
 * Arguments from NUM_STIRLING_MIN on: a difference of lgamma() values is
 * computed from Stirling's series instead, because lgamma(z + d) - lgamma(z)
 * subtracts two numbers of about z ln z, so for a large z the rounding of
 * each (several units in the last place of z ln z) swamps a small
 * difference (lgamma(1e15 + 1) - lgamma(1e15) comes out 15% off ln 1e15,
 * and at z = 1e6 the plain difference is still off by 1e-9, which exp()
 * turns into a relative error).
 *
 * ln Gamma(z + d) - ln Gamma(z) for z and z + d at least NUM_STIRLING_MIN:
 * with ln Gamma(z) = (z - 1/2) ln z - z + ln(2 pi) / 2 + C(z),
 * C(z) = 1/(12 z) - 1/(360 z^3) + 1/(1260 z^5) - 1/(1680 z^7) + R(z),
 * |R(z)| <= 1/(1188 z^9) (DLMF 5.11.1 and 5.11.10: the remainder is below
 * the first term left out), the difference is
 * d ln z + (z + d - 1/2) ln(1 + d/z) - d + C(z + d) - C(z), with no
 * cancellation of large terms; from z = 100 on, R is below 1e-21.
 */
static double
num_stirling_corr(double z)
{
	double		f = 1.0 / (z * z);

	return (1.0 / 12.0 - f * (1.0 / 360.0 - f * (1.0 / 1260.0 - f * (1.0 / 1680.0)))) / z;
}

static double
num_lgamma_ratio_large(double z, double d)
{
	return d * log(z) + ((z + d) - 0.5) * log1p(d / z) - d +
		(num_stirling_corr(z + d) - num_stirling_corr(z));
}

double
num_lgamma_ratio(double z, double d)
{
	if (NUM_MIN(z, z + d) >= NUM_STIRLING_MIN)
		return num_lgamma_ratio_large(z, d);
	return lgamma(z + d) - lgamma(z);
}

double
num_lbeta(double x, double y)
{
	if (NUM_MAX(x, y) >= NUM_STIRLING_MIN)
		return lgamma(NUM_MIN(x, y)) - num_lgamma_ratio_large(NUM_MAX(x, y), NUM_MIN(x, y));
	return lgamma(x) + lgamma(y) - lgamma(x + y);
}

/*
 * The continued fraction of the regularized incomplete beta function
 * (DLMF 8.17.22), 1 / (1 + d1 / (1 + d2 / (1 + ...))) with
 *   d(2m+1) = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),
 *   d(2m)   = m(b-m) x / ((a+2m-1)(a+2m)),
 * evaluated by the modified Lentz method into *result.  It converges fast
 * for x < (a+1)/(a+b+2), where num_beta_inc uses it.  The steps are bounded
 * (NUM_BETA_MAX_STEPS, a few milliseconds), so the loop needs no interrupt
 * check.
 */
static NumStatus
num_beta_cf(double a, double b, double x, double *result)
{
	const double tiny = 1e-300;
	double		f = 1.0,
				C = 1.0,
				D = 0.0;

	for (int n = 1; n <= NUM_BETA_MAX_STEPS; n++)
	{
		int			m = n / 2;
		double		d,
					delta;

		/* the factors are grouped so that huge a or b cannot overflow */
		if (n % 2 == 1)
			d = -((a + m) / (a + 2 * m)) * ((a + b + m) / (a + 2 * m + 1)) * x;
		else
			d = (m / (a + 2 * m - 1)) * ((b - m) / (a + 2 * m)) * x;
		D = 1.0 + d * D;
		if (fabs(D) < tiny)
			D = tiny;
		D = 1.0 / D;
		C = 1.0 + d / C;
		if (fabs(C) < tiny)
			C = tiny;
		delta = C * D;
		f *= delta;
		if (fabs(delta - 1.0) <= 1e-16)
		{
			*result = 1.0 / f;
			return NUM_OK;
		}
	}
	return NUM_NOT_CONVERGED;
}

NumStatus
num_beta_inc(double a, double b, double x, double y, double lx, double ly,
			 double *result)
{
	bool		swap = x >= (a + 1.0) / (a + b + 2.0);
	double		lpre;
	double		cf;
	NumStatus	status;

	if (swap)
	{
		double		tmp = a;

		a = b;
		b = tmp;
		tmp = x;
		x = y;
		y = tmp;
		tmp = lx;
		lx = ly;
		ly = tmp;
	}
	/* x^a y^b / (a B(a, b)) times the continued fraction */
	lpre = a * lx + b * ly - num_lbeta(a, b) - log(a);
	status = num_beta_cf(a, b, x, &cf);
	if (status != NUM_OK)
		return status;
	lpre = exp(lpre) * cf;
	/* a probability, also where rounding takes 1 - lpre below 0 */
	lpre = NUM_MIN(NUM_MAX(lpre, 0.0), 1.0);
	*result = swap ? 1.0 - lpre : lpre;
	return NUM_OK;
}

/*****************************************************************************
 * The expected purchases of the BG/NBD model
 *****************************************************************************/

/*
 * E[X(t)] of the BG/NBD model (r + x, alpha, a, b + x): the expected
 * purchases in t of a new customer when x = 0, and the numerator of the
 * conditional expectation of a customer with x repeat purchases when alpha
 * is alpha + T.  The textbook form is
 *   c/(a-1) [1 - u^s 2F1(s, b+x; c; z)],  s = r + x, c = a + b + x - 1,
 *   u = alpha/(alpha+t), z = 1 - u,
 * whose two terms cancel, whose factor has a pole at a = 1 and whose
 * series needs about s t/alpha terms.  Two methods replace it.
 *
 * Series.  With N the purchases of a customer who never drops out
 * (negative binomial, P(N = j) = (s)_j / j! u^s z^j) and (b+x)_n /
 * (a+b+x)_n the chance of being alive after n purchases,
 *   E = sum_{j>=1} P(N = j) W_j,   W_j = sum_{n<j} (b+x)_n / (a+b+x)_n  (1)
 * a sum of positive terms for any parameters, about s t / alpha long.
 * When s <= c, Euler's transformation gives, with q_j = u^(a-1)
 * (a)_{j-1} / j! z^j and P_j = prod_{i<j} (1 - s/(c+i)) = (c-s)_j / (c)_j,
 *   E = c sum_{j>=1} q_j (1 - P_j)                                      (2)
 * about a t / alpha long, and, as sum_{j>=1} q_j = (1 - u^(a-1)) / (a-1),
 *   E = c [(1 - u^(a-1)) / (a-1) - sum_{j>=1} q_j P_j]                  (3)
 * which is short when c is much larger than |c - s| (P_j falls fast), and
 * holds for c - s < 0 too.  (3) subtracts, so it is used only when
 * |c - s| <= c/2, where |P_j| <= 1/2 falls with j and the subtracted sum
 * is at most half the first part; at a = 1 its first part is -ln u.  The
 * terms carry a binary scale so that u^s and u^(a-1) may underflow, and
 * the sum stops once the rest is below 1e-17 of it: a geometric bound in
 * (1) and (2) (the ratio of successive terms is at most (s+j) z / j in (1)
 * and max((a-1+j) z / j, z) in (2), both falling in j), and |P_{j+1}| <=
 * 1e-17/2 in (3) (the rest is at most |P_{j+1}| (1 - u^(a-1)) / (a-1),
 * the result at least half of c times that).  A series is summed only
 * when its length is estimated at most NUM_BG_SERIES_MAX terms, and is
 * abandoned for the integral after NUM_BG_SERIES_CAP terms.
 *
 * Integral.  Otherwise E is integrated: with p ~ Beta(a, b+x) the
 * probability of dropping out after a purchase, the customer makes
 * (1 - (1 + k p)^-s) / p purchases in expectation, k = t / alpha, so
 *   E = int_0^1 p^(a-1) (1-p)^(b+x-1) h(p) dp / B(a, b+x),
 *   h(p) = (1 - (1 + k p)^-s) / p,
 * with no pole at a = 1 and positive terms everywhere.  In y = logit(p),
 * with D(y) = p^a (1-p)^(b+x), E = int D h dy / int D dy: both integrals
 * share their nodes, so no Beta function is needed.  ln D is concave with
 * slope l(y) = a - (a+b+x) p and its maximum at y = ln(a/(b+x)); h falls
 * from s k (at p = 0) and ln h has slope in [-1, 0] in y (because
 * d ln(1 - (1+w)^-s) / d ln w <= 1).  The integrals are summed by
 * adaptive 15-point Gauss-Kronrod panels (QUADPACK's rule), starting from
 * panels that grow geometrically away from the mode of D (at its scale
 * sqrt(1/a + 1/(b+x))) and from where k p = 1 and s k p = 1 (where h bends,
 * at unit scale), bisecting the panel of largest |K15 - G7| until the sum
 * of those is below NUM_BG_QUAD_TOL of both integrals.  The tails beyond
 * the panels are bounded by the concavity: beyond Y on the right (l(Y) <
 * 0) they are at most D h(Y) / |l(Y)| and D(Y) / |l(Y)| (h falls), on the
 * left (l(Y) > 0) at most s k D(Y) / l(Y) and D(Y) / l(Y); panels of
 * doubling width are added until both bounds are below 1e-17 of the
 * integrals.  Everything is in logarithms with a running scale, so nothing
 * underflows or overflows short of the result.  At most NUM_BG_QUAD_MAX
 * panels are used (a bounded amount of work; with a and b + x above about
 * 1e14, where the panels could not resolve the mode of D in double
 * precision, D is a point mass at the mean a/(a+b+x) instead, off by about
 * (1/a + 1/(b+x)) relatively).
 */

/* ln(alpha / (alpha + t)), also when t / alpha overflows */
static double
num_bg_log_u(double alpha, double t)
{
	double		k = t / alpha;

	return isfinite(k) ? -log1p(k) : log(alpha) - log(t);
}

/*
 * Terms, about, that a series takes for a negative binomial of shape s
 * with k = t / alpha: its bulk (mean s k, variance s k (1 + k)), then a
 * tail whose terms shrink by k / (1 + k) each.
 */
static double
num_bg_series_terms(double s, double k)
{
	double		mean = s * k;

	return mean + 10.0 * sqrt(mean) * sqrt(1.0 + k) + (1.0 + k) * (40.0 + log1p(k)) + 10.0;
}

/*
 * Which series to sum, and about how many terms it takes: the cheapest of
 * those that apply (an estimate above NUM_BG_SERIES_MAX means none).
 */
static double
num_bg_series_choice(double r, double alpha, double a, double b, double x,
					 double t, NumBgMethod *series)
{
	double		s = r + x;
	double		cs = (a - 1.0) + (b - r);
	double		c = a + b + (x - 1.0);
	double		k = t / alpha;
	double		best = num_bg_series_terms(s, k);
	NumBgMethod which = NUM_BG_PURCHASES;

	if (cs >= 0.0)
	{
		double		euler = num_bg_series_terms(a, k);

		if (euler < best)
		{
			best = euler;
			which = NUM_BG_EULER;
		}
	}

	/*
	 * (3) stops once |prod_{i<j} (cs+i)/(c+i)| is below 1e-17/2: find that j
	 * within a factor 2 from the logarithm of |Gamma| (infinite at a pole: a
	 * whole negative cs ends the product)
	 */
	if (fabs(cs) <= 0.5 * c)
	{
		double		j = 1.0;
		double		limit = NUM_MIN(best, (double) NUM_BG_SERIES_MAX);

		while (j < limit &&
			   cs != 0.0 &&
			   lgamma(cs + j) - lgamma(cs) - lgamma(c + j) + lgamma(c) > -40.0)
			j *= 2.0;
		if (j < limit)
		{
			best = j + 10.0;
			which = NUM_BG_COMPLEMENT;
		}
	}
	*series = which;
	return best;
}

/*
 * keep a term v 2^e and a sum (sum 2^e) away from overflow and from
 * subnormal numbers (where a term times a factor near 1 stops changing),
 * exactly: by powers of 2.  A term far below a large sum is negligible and
 * ends the series before it would need scaling up.
 */
static inline void
num_bg_rescale(double *v, double *sum, int *e)
{
	if (*v > 0x1p600)
	{
		*v = ldexp(*v, -600);
		*sum = ldexp(*sum, -600);
		*e += 600;
	}
	else if (*v < 0x1p-600 && *v > 0.0 && fabs(*sum) < 0x1p400)
	{
		*v = ldexp(*v, 600);
		*sum = ldexp(*sum, 600);
		*e -= 600;
	}
}

/* (1 - u^(a-1)) / (a - 1), or -ln u at a = 1 */
static double
num_bg_complement_base(double a, double lu)
{
	double		am1 = a - 1.0;

	return (am1 == 0.0) ? -lu : -expm1(am1 * lu) / am1;
}

/*
 * Sum series (1), (2) or (3) into *result; false when it has not ended
 * after NUM_BG_SERIES_CAP terms.
 */
static bool
num_bg_series(double r, double alpha, double a, double b, double x, double t,
			  NumBgMethod series, double *result)
{
	double		s = r + x;
	double		bx = b + x;
	double		cs = (a - 1.0) + (b - r);	/* c - s, no rounding of x */
	double		c = a + bx - 1.0;
	double		z = 1.0 / (1.0 + alpha / t);
	double		lu = num_bg_log_u(alpha, t);
	double		l0;
	int			e;
	double		v,
				sum = 0.0;

	/* the first term, as v 2^e with v in [1, 2) */
	l0 = series == NUM_BG_PURCHASES ? s * lu : (a - 1.0) * lu + log(z);

	/*
	 * z = 0 (alpha + T overflowed) makes every term 0; NaN is passed on.  A
	 * finite l0 far outside the range of doubles is clamped before the
	 * conversion to int, so that v underflows to 0 (or overflows) instead of
	 * the cast being undefined.
	 */
	if (isnan(l0))
	{
		*result = l0;
		return true;
	}
	if (l0 == -INFINITY)
	{
		*result = series == NUM_BG_COMPLEMENT ? c * num_bg_complement_base(a, lu) : 0.0;
		return true;
	}
	e = (int) floor(NUM_MAX(NUM_MIN(l0, 0x1p20 * M_LN2), -0x1p20 * M_LN2) / M_LN2);
	v = exp(l0 - e * M_LN2);

	if (series == NUM_BG_PURCHASES)
	{
		double		W = 0.0,
					w = 1.0;

		for (int j = 0; j <= NUM_BG_SERIES_CAP; j++)
		{
			double		term = v * W;

			sum += term;
			if (j > 0)
			{
				double		rho = (s + j) * z / j;

				if (rho < 1.0 && term * rho <= 1e-17 * (1.0 - rho) * sum)
				{
					*result = ldexp(sum, e);
					return true;
				}
			}
			v *= (s + j) / (j + 1.0) * z;
			W += w;
			w *= (bx + j) / (a + bx + j);
			num_bg_rescale(&v, &sum, &e);
		}
	}
	else
	{
		bool		complement = series == NUM_BG_COMPLEMENT;
		double		D = 0.0,	/* 1 - P_j, summed to keep its digits */
					P = 1.0;

		for (int j = 1; j <= NUM_BG_SERIES_CAP; j++)
		{
			double		term;

			D += P * (s / (c + (j - 1)));
			P *= (cs + (j - 1)) / (c + (j - 1));
			term = v * (complement ? P : D);
			sum += term;
			if (complement)
			{
				if (fabs(P) <= 0.5e-17)
				{
					*result = c * (num_bg_complement_base(a, lu) - ldexp(sum, e));
					return true;
				}
			}
			else
			{
				double		rho = NUM_MAX((a - 1.0 + j) * z / j, z);

				if (rho < 1.0 && term * rho <= 1e-17 * (1.0 - rho) * sum)
				{
					*result = c * ldexp(sum, e);
					return true;
				}
			}
			v *= (a + (j - 1)) / (j + 1.0) * z;
			num_bg_rescale(&v, &sum, &e);
		}
	}
	return false;
}

/* the 15-point Gauss-Kronrod rule (QUADPACK's qk15) */
static const double num_xgk[8] = {
	0.991455371120812639206854697526329,
	0.949107912342758524526189684047851,
	0.864864423359769072789712788640926,
	0.741531185599394439863864773280788,
	0.586087235467691130294144845693013,
	0.405845151377397166906606412076961,
	0.207784955007898467600689403773245,
	0.0
};
static const double num_wgk[8] = {
	0.022935322010529224963732008058970,
	0.063092092629978553290700663189204,
	0.104790010322250183839876322541518,
	0.140653259715525918745189590510238,
	0.169004726639267902826583426598550,
	0.190350578064785409913256402421014,
	0.204432940075298892414161999234649,
	0.209482141084727828012999174891714
};

/* the 7-point Gauss rule on the odd nodes above and the centre */
static const double num_wg[4] = {
	0.129484966168869693270611432679082,
	0.279705391489276667901467771423780,
	0.381830050505118944950369775488975,
	0.417959183673469387755102040816327
};

/* a panel: its ends, both integrals over it and their error estimates */
typedef struct NumBgPanel
{
	double		lo;
	double		hi;
	double		n;				/* int D h, times exp(-shn) */
	double		d;				/* int D, times exp(-shd) */
	double		en;
	double		ed;
} NumBgPanel;

typedef struct NumBgQuad
{
	double		a;
	double		bx;
	double		y1;				/* the mode of D, ln(a / (b+x)) */
	double		p1;				/* p there, a / (a+b+x) */
	double		q1;				/* and 1 - p */
	double		ls;				/* ln s */
	double		lk;				/* ln k */
	double		shn;			/* the scale of D h (D is 1 at its mode) */
	int			npanels;
	int			evaluated;		/* panels evaluated, for the tick */
	NumTick		tick;
	void	   *tick_arg;
	NumBgPanel	panel[NUM_BG_QUAD_MAX];
} NumBgQuad;

/* ln p and ln(1 - p) at y = logit(p) */
static inline void
num_bg_logs_p(double y, double *lp, double *lq)
{
	double		e = exp(-fabs(y));

	if (y > 0.0)
	{
		*lp = -log1p(e);
		*lq = -y - log1p(e);
	}
	else
	{
		*lp = y - log1p(e);
		*lq = -log1p(e);
	}
}

/* ln h(p) = ln((1 - (1 + k p)^-s) / p), from ln p */
static inline double
num_bg_log_h(const NumBgQuad *q, double lp)
{
	double		lkp = lp + q->lk;
	double		lL,
				lsL;

	/* ln L, L = ln(1 + k p); ln(1 + w) = w (1 - w/2 ...) for w < e^-40 */
	if (lkp < -40.0)
		lL = lkp;
	else if (lkp < 40.0)
		lL = log(log1p(exp(lkp)));
	else
		lL = log(lkp + log1p(exp(-lkp)));
	lsL = q->ls + lL;
	/* ln H, H = 1 - e^(-s L) = s L (1 - s L/2 ...) */
	if (lsL < -40.0)
		return (lkp < -40.0) ? q->ls + q->lk : lsL - lp;
	return log(-expm1(-exp(lsL))) - lp;
}

/*
 * g(v) = v - ln(1 + p (e^v - 1)) / p for 0 < p <= 1/2, without the
 * cancellation of its two terms near v = 0 (g is about -(1-p) v^2 / 2
 * there): for |v| <= 1, g = -(e^v - 1 - v) + (w - ln(1 + w)) / p with
 * w = p (e^v - 1), each part by its Taylor series where it is small.
 */
static double
num_bg_g(double v, double p)
{
	double		em = expm1(v);
	double		w = p * em;
	double		e1,
				l1;

	if (fabs(v) > 1.0)
	{
		if (p == 0.0)
			return v - em;
		/* ln(1 + p (e^v - 1)) = ln p + v + ln(1 + (1-p)/p e^-v), no overflow */
		if (v > 30.0)
			return v - (log(p) + v + log1p((1.0 - p) / p * exp(-v))) / p;
		return v - log1p(w) / p;
	}
	/* e^v - 1 - v = sum_{n>=2} v^n / n!: 1/18! < 1e-16 */
	{
		double		term = v * v / 2.0;

		e1 = 0.0;
		for (int n = 3; n <= 20; n++)
		{
			e1 += term;
			term *= v / n;
		}
	}
	/* the limit p -> 0 (a / (b+x) underflowed): g = v - (e^v - 1) */
	if (p == 0.0)
		return -e1;
	/* w - ln(1 + w) = sum_{n>=2} (-1)^n w^n / n for |w| <= 1/4 (27 terms) */
	if (fabs(w) <= 0.25)
	{
		double		pw = w * w;

		l1 = 0.0;
		for (int n = 2; n <= 28; n++)
		{
			l1 += (n % 2 ? -pw : pw) / n;
			pw *= w;
		}
	}
	else
		l1 = w - log1p(w);
	return -e1 + l1 / p;
}

/*
 * ln D at y = y1 + v, less its maximum (at v = 0): a v - (a+b+x)
 * ln(1 + p1 (e^v - 1)) = a g(v; p1), or, mirrored (y -> -y, a <-> b+x),
 * (b+x) g(-v; q1) when p1 > 1/2; accurate relatively however large a and
 * b+x are (ln D itself is not: its rounding grows with them)
 */
static inline double
num_bg_log_d(const NumBgQuad *q, double v)
{
	if (q->p1 <= 0.5)
		return q->a * num_bg_g(v, q->p1);
	return q->bx * num_bg_g(-v, q->q1);
}

/* the slope of ln D at y1 + v: -a q1 (e^v - 1) / (1 + p1 (e^v - 1)) */
static inline double
num_bg_slope(const NumBgQuad *q, double v)
{
	double		em = expm1(v);

	if (em > 1.0)
		return -(q->a * q->q1) / (q->p1 + 1.0 / em);
	return -(q->a * q->q1) * em / (1.0 + q->p1 * em);
}

/* ln D (less its maximum) and ln(D h) at y1 + v */
static inline void
num_bg_logs(const NumBgQuad *q, double v, double *ld, double *ln)
{
	double		lp,
				lq;

	num_bg_logs_p(q->y1 + v, &lp, &lq);
	*ld = num_bg_log_d(q, v);
	*ln = *ld + num_bg_log_h(q, lp);
}

/* integrate over [lo, hi] (in v) into *p */
static void
num_bg_panel(NumBgQuad *q, double lo, double hi, NumBgPanel *p)
{
	double		c = 0.5 * (lo + hi);
	double		hw = 0.5 * (hi - lo);
	double		ld[15],
				ln[15];
	double		maxn = -INFINITY;
	double		kn = 0.0,
				kd = 0.0,
				gn = 0.0,
				gd = 0.0;

	for (int i = 0; i < 15; i++)
	{
		/* node 0 is the centre, 2j+1 and 2j+2 are c -+ hw xgk[j] */
		double		v = (i == 0) ? c : (i % 2 ? c - hw * num_xgk[(i - 1) / 2] : c + hw * num_xgk[(i - 1) / 2]);

		num_bg_logs(q, v, &ld[i], &ln[i]);
		maxn = NUM_MAX(maxn, ln[i]);
	}

	/* a new largest value: rescale what is summed so far */
	if (maxn > q->shn + 300.0)
	{
		double		f = exp(q->shn - maxn);

		for (int i = 0; i < q->npanels; i++)
		{
			q->panel[i].n *= f;
			q->panel[i].en *= f;
		}
		q->shn = maxn;
	}
	for (int i = 0; i < 15; i++)
	{
		double		fn = exp(ln[i] - q->shn);
		double		fd = exp(ld[i]);
		int			j = (i == 0) ? 7 : (i - 1) / 2;

		kn += num_wgk[j] * fn;
		kd += num_wgk[j] * fd;
		if (j % 2 == 1)
		{
			gn += num_wg[j / 2] * fn;
			gd += num_wg[j / 2] * fd;
		}
	}
	p->lo = lo;
	p->hi = hi;
	p->n = kn * hw;
	p->d = kd * hw;
	p->en = fabs(kn - gn) * hw;
	p->ed = fabs(kd - gd) * hw;
	if (q->tick && (++q->evaluated & 15) == 0)
		q->tick(q->tick_arg);
}

static void
num_bg_add_panel(NumBgQuad *q, double lo, double hi)
{
	if (q->npanels < NUM_BG_QUAD_MAX && hi > lo)
	{
		num_bg_panel(q, lo, hi, &q->panel[q->npanels]);
		q->npanels++;
	}
}

static void
num_bg_totals(const NumBgQuad *q, double *n, double *d, double *en, double *ed)
{
	*n = *d = *en = *ed = 0.0;
	for (int i = 0; i < q->npanels; i++)
	{
		*n += q->panel[i].n;
		*d += q->panel[i].d;
		*en += q->panel[i].en;
		*ed += q->panel[i].ed;
	}
}

/* bisect the worst panel until the error estimates are small enough */
static void
num_bg_refine(NumBgQuad *q)
{
	while (q->npanels < NUM_BG_QUAD_MAX)
	{
		double		n,
					d,
					en,
					ed,
					worst = -1.0,
					mid;
		int			w = 0;
		NumBgPanel	old;

		num_bg_totals(q, &n, &d, &en, &ed);
		if (en <= NUM_BG_QUAD_TOL * n && ed <= NUM_BG_QUAD_TOL * d)
			return;
		for (int i = 0; i < q->npanels; i++)
		{
			double		bad = q->panel[i].en / n + q->panel[i].ed / d;

			if (bad > worst)
			{
				worst = bad;
				w = i;
			}
		}
		old = q->panel[w];
		mid = 0.5 * (old.lo + old.hi);
		/* a panel too narrow for its midpoint in doubles stays */
		if (!(mid > old.lo && mid < old.hi))
			return;
		num_bg_panel(q, old.lo, mid, &q->panel[w]);
		num_bg_panel(q, mid, old.hi, &q->panel[q->npanels]);
		q->npanels++;
	}
}

static int
num_cmp_double(const void *x, const void *y)
{
	double		a = *(const double *) x,
				b = *(const double *) y;

	return (a > b) - (a < b);
}

/* most initial panel ends: three features, 60 on each side, the hull */
#define NUM_BG_EDGES	(3 * 121 + 2)

static double
num_bg_quadrature(double s, double alpha, double a, double bx, double t,
				  NumTick tick, void *tick_arg)
{
	NumBgQuad  *q;
	NumBgQuad	local;
	double		centre[3],
				scale[3];
	int			ncentres;
	double		edges[NUM_BG_EDGES];
	int			nedges = 0;
	double		lo,
				hi,
				n,
				d,
				en,
				ed,
				wl = 1.0,
				wr = 1.0;
	bool		left_done = false,
				right_done = false;
	double		ld,
				ln;

	q = &local;
	q->a = a;
	q->bx = bx;
	q->y1 = log(a) - log(bx);
	q->p1 = 1.0 / (1.0 + bx / a);
	q->q1 = 1.0 / (1.0 + a / bx);
	q->ls = log(s);
	q->lk = log(t) - log(alpha);
	q->npanels = 0;
	q->evaluated = 0;
	q->tick = tick;
	q->tick_arg = tick_arg;

	/*
	 * in v = y - y1: the mode of D at its scale (1 / sqrt of minus the second
	 * derivative of ln D there, a q1), and where k p = 1 and s k p = 1 at
	 * unit scale, if p is there below 1
	 */
	centre[0] = 0.0;
	scale[0] = NUM_MIN(1.0 / sqrt(a * q->q1), 1.0);
	ncentres = 1;
	if (-q->lk < 745.0)
	{
		centre[ncentres] = -q->lk - q->y1;
		scale[ncentres++] = 1.0;
	}
	if (q->ls > 0.0 && -q->lk - q->ls < 745.0)
	{
		centre[ncentres] = -q->lk - q->ls - q->y1;
		scale[ncentres++] = 1.0;
	}
	lo = hi = centre[0];
	for (int i = 1; i < ncentres; i++)
	{
		lo = NUM_MIN(lo, centre[i]);
		hi = NUM_MAX(hi, centre[i]);
	}
	lo -= 2.0;
	hi += 2.0;
	edges[nedges++] = lo;
	edges[nedges++] = hi;
	for (int i = 0; i < ncentres; i++)
	{
		edges[nedges++] = centre[i];
		for (int j = 0; j < 60; j++)
		{
			double		step = ldexp(scale[i], j);

			if (centre[i] - step > lo)
				edges[nedges++] = centre[i] - step;
			if (centre[i] + step < hi)
				edges[nedges++] = centre[i] + step;
		}
	}
	qsort(edges, nedges, sizeof(double), num_cmp_double);

	/* the scale of D h: its value at the mode, rescaled as it goes */
	num_bg_logs(q, 0.0, &ld, &ln);
	q->shn = ln;
	for (int i = 1; i < nedges; i++)
		num_bg_add_panel(q, edges[i - 1], edges[i]);
	num_bg_refine(q);

	/* the tails, by panels of growing width until their bounds are small */
	for (int iter = 0; iter < 400 && !(left_done && right_done); iter++)
	{
		num_bg_totals(q, &n, &d, &en, &ed);
		if (!left_done)
		{
			double		sl = num_bg_slope(q, lo);

			num_bg_logs(q, lo, &ld, &ln);
			if (sl > 0.0 &&
				exp(ld + q->ls + q->lk - q->shn) / sl <= 1e-17 * n &&
				exp(ld) / sl <= 1e-17 * d)
				left_done = true;
			else
			{
				num_bg_add_panel(q, lo - wl, lo);
				lo -= wl;
				wl *= (wl < 64.0) ? 2.0 : 16.0;
			}
		}
		if (!right_done)
		{
			double		sl = num_bg_slope(q, hi);

			num_bg_logs(q, hi, &ld, &ln);
			if (sl < 0.0 &&
				exp(ln - q->shn) / -sl <= 1e-17 * n &&
				exp(ld) / -sl <= 1e-17 * d)
				right_done = true;
			else
			{
				num_bg_add_panel(q, hi, hi + wr);
				hi += wr;
				wr *= (wr < 64.0) ? 2.0 : 16.0;
			}
		}
		num_bg_refine(q);
		/* (the ends of the panels stay finite) */
		if (!isfinite(lo - wl) || !isfinite(hi + wr))
			break;
	}
	num_bg_totals(q, &n, &d, &en, &ed);
	return exp(q->shn + log(n / d));
}

double
num_bgnbd_expectation(double r, double alpha, double a, double b, double x,
					  double t, NumBgMethod method, NumTick tick, void *tick_arg)
{
	NumBgMethod series;
	double		result;

	if (t == 0.0)
		return 0.0;
	if (method != NUM_BG_INTEGRAL)
	{
		double		terms = num_bg_series_choice(r, alpha, a, b, x, t, &series);

		if (method != NUM_BG_AUTO)
			series = method;
		if ((method != NUM_BG_AUTO || terms <= NUM_BG_SERIES_MAX) &&
			num_bg_series(r, alpha, a, b, x, t, series, &result))
			return result;
	}
	return num_bg_quadrature(r + x, alpha, a, b + x, t, tick, tick_arg);
}

/*****************************************************************************
 * The standard normal distribution
 *****************************************************************************/

/* P(Z <= x) */
static double
num_norm_cdf(double x)
{
	return 0.5 * erfc(-x / M_SQRT2);
}

/*
 * For 0 < p < 1 (NaN otherwise, from the logarithm).
 *
 * A rational starting value (Abramowitz and Stegun 26.2.23, error below
 * 4.5e-4) is refined by Halley steps on the exact CDF from erfc(); the
 * cubic convergence gives full double precision after three steps.
 */
double
num_norm_quantile(double p)
{
	double		q = (p < 0.5) ? p : 1.0 - p;
	double		t;
	double		x;

	/* solve Phi(x) = q for the lower tail, where erfc() is accurate */
	t = sqrt(-2.0 * log(q));
	x = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) /
		  (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308))));

	for (int i = 0; i < 3; i++)
	{
		double		density = exp(-0.5 * x * x) / sqrt(2.0 * M_PI);
		double		step;

		if (density <= 0.0)
			break;
		step = (num_norm_cdf(x) - q) / density;
		/* Halley: x -= u / (1 + x u / 2) */
		x -= step / (1.0 + 0.5 * x * step);
	}
	return (p < 0.5) ? x : -x;
}

double
num_norm_two_sided_p(double z)
{
	return erfc(fabs(z) / M_SQRT2);
}

/*****************************************************************************
 * Linear algebra
 *****************************************************************************/

/* through the Cholesky factor L L' = a */
bool
num_invert_spd(double *a, int k)
{
	double		l[NUM_MAX_PARAMS][NUM_MAX_PARAMS];
	double		inv[NUM_MAX_PARAMS][NUM_MAX_PARAMS];

	for (int i = 0; i < k; i++)
		for (int j = 0; j <= i; j++)
		{
			double		sum = a[i * k + j];

			for (int m = 0; m < j; m++)
				sum -= l[i][m] * l[j][m];
			if (i == j)
			{
				if (!(sum > 0.0))
					return false;
				l[i][i] = sqrt(sum);
			}
			else
				l[i][j] = sum / l[j][j];
		}
	/* column c of the inverse: solve L y = e_c, then L' x = y */
	for (int c = 0; c < k; c++)
	{
		double		y[NUM_MAX_PARAMS];

		for (int i = 0; i < k; i++)
		{
			double		sum = (i == c) ? 1.0 : 0.0;

			for (int m = 0; m < i; m++)
				sum -= l[i][m] * y[m];
			y[i] = sum / l[i][i];
		}
		for (int i = k - 1; i >= 0; i--)
		{
			double		sum = y[i];

			for (int m = i + 1; m < k; m++)
				sum -= l[m][i] * inv[m][c];
			inv[i][c] = sum / l[i][i];
		}
	}
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++)
			a[i * k + j] = inv[i][j];
	return true;
}

/*****************************************************************************
 * Minimisation
 *****************************************************************************/

static double
num_norm_inf(const double *v, int k)
{
	double		m = 0.0;

	for (int i = 0; i < k; i++)
		m = NUM_MAX(m, fabs(v[i]));
	return m;
}

/* g' H g: with H the inverse Hessian, twice the gain a Newton step expects */
static double
num_decrement(double H[NUM_MAX_PARAMS][NUM_MAX_PARAMS], const double *g, int k)
{
	double		dec = 0.0;

	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++)
			dec += g[i] * H[i][j] * g[j];
	return dec;
}

static void
num_identity(double H[NUM_MAX_PARAMS][NUM_MAX_PARAMS], int k)
{
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++)
			H[i][j] = (i == j) ? 1.0 : 0.0;
}

/*
 * Converged when the largest gradient component is below 1e-9 (the
 * objective of a fit is per customer), or when steps stop improving the
 * objective (five in a row by less than 1e-14 of it, or no step at all)
 * while a Newton step could not lower the total (the objective times scale)
 * by 1e-4: the floor of floating-point sums over many terms.
 */
NumStatus
num_minimise(NumObjective obj, void *arg, int k, const double *theta0,
			 double scale, NumFit *fit)
{
	double		H[NUM_MAX_PARAMS][NUM_MAX_PARAMS];
	double		g[NUM_MAX_PARAMS];
	double		hess[NUM_MAX_PARAMS * NUM_MAX_PARAMS];
	bool		identity = true;	/* H is still the (unscaled) identity */
	int			stalled = 0;
	int			iter;

	fit->k = k;
	fit->iterations = 0;
	fit->param = -1;
	memcpy(fit->theta, theta0, sizeof(double) * k);
	if (!obj(fit->theta, &fit->f, g, arg))
		return NUM_EVAL_FAILED;
	num_identity(H, k);

	for (iter = 0;; iter++)
	{
		double		d[NUM_MAX_PARAMS];
		double		newtheta[NUM_MAX_PARAMS];
		double		newg[NUM_MAX_PARAMS];
		double		s[NUM_MAX_PARAMS];
		double		y[NUM_MAX_PARAMS];
		double		newf = 0.0;
		double		slope = 0.0;
		double		step = 1.0;
		double		dmax;
		double		sy = 0.0;
		bool		accepted = false;

		fit->iterations = iter;
		if (num_norm_inf(g, k) < 1e-9)
			break;
		if (stalled >= 5)
		{
			/*
			 * no more progress: the floor of floating point, if a Newton step
			 * could not gain 1e-4 in the total either
			 */
			if (scale * num_decrement(H, g, k) < 2e-4)
				break;
			return NUM_NO_IMPROVEMENT;
		}
		if (iter >= NUM_MAX_ITER)
			return NUM_NOT_CONVERGED;

		/* direction d = -H g, or steepest descent when that does not descend */
		for (int i = 0; i < k; i++)
		{
			d[i] = 0.0;
			for (int j = 0; j < k; j++)
				d[i] -= H[i][j] * g[j];
			slope += d[i] * g[i];
		}
		if (!(slope < 0.0))
		{
			slope = 0.0;
			for (int i = 0; i < k; i++)
			{
				d[i] = -g[i];
				slope -= g[i] * g[i];
			}
		}
		/* at most a move of 2 in any coordinate per step */
		dmax = num_norm_inf(d, k);
		if (dmax > 2.0)
			step = 2.0 / dmax;
		for (int tries = 0; tries < 40 && !accepted; tries++)
		{
			for (int i = 0; i < k; i++)
				newtheta[i] = fit->theta[i] + step * d[i];
			accepted = obj(newtheta, &newf, newg, arg) &&
				newf <= fit->f + 1e-4 * step * slope;
			step *= 0.5;
		}
		if (!accepted)
		{
			if (!identity && scale * num_decrement(H, g, k) < 2e-4)
				break;			/* as close as floating point gets */
			if (!identity)
			{
				/* forget the curvature learnt so far and try again */
				num_identity(H, k);
				identity = true;
				continue;
			}
			return NUM_NO_DESCENT;
		}
		stalled = (fit->f - newf <= 1e-14 * fabs(fit->f)) ? stalled + 1 : 0;

		/* BFGS update of H^-1: s = theta' - theta, y = g' - g */
		for (int i = 0; i < k; i++)
		{
			s[i] = newtheta[i] - fit->theta[i];
			y[i] = newg[i] - g[i];
			sy += s[i] * y[i];
		}
		if (sy > 1e-300)
		{
			double		Hy[NUM_MAX_PARAMS];
			double		yHy = 0.0;

			if (identity)
			{
				double		yy = 0.0;

				for (int i = 0; i < k; i++)
					yy += y[i] * y[i];
				for (int i = 0; i < k; i++)
					H[i][i] = sy / yy;
				identity = false;
			}
			for (int i = 0; i < k; i++)
			{
				Hy[i] = 0.0;
				for (int j = 0; j < k; j++)
					Hy[i] += H[i][j] * y[j];
				yHy += y[i] * Hy[i];
			}
			for (int i = 0; i < k; i++)
				for (int j = 0; j < k; j++)
					H[i][j] += ((sy + yHy) * s[i] * s[j]) / (sy * sy) -
						(Hy[i] * s[j] + s[i] * Hy[j]) / sy;
		}
		memcpy(fit->theta, newtheta, sizeof(double) * k);
		memcpy(g, newg, sizeof(double) * k);
		fit->f = newf;

		for (int i = 0; i < k; i++)
			if (fabs(fit->theta[i] - theta0[i]) > NUM_MAX_MOVE)
			{
				fit->param = i;
				return NUM_PARAM_DIVERGES;
			}
	}

	/* Hessian by central differences of the gradient, then its inverse */
	for (int j = 0; j < k; j++)
	{
		double		h = 1e-4;
		double		tp[NUM_MAX_PARAMS];
		double		tm[NUM_MAX_PARAMS];
		double		gp[NUM_MAX_PARAMS];
		double		gm[NUM_MAX_PARAMS];
		double		fp,
					fm;

		memcpy(tp, fit->theta, sizeof(double) * k);
		memcpy(tm, fit->theta, sizeof(double) * k);
		tp[j] += h;
		tm[j] -= h;
		if (!obj(tp, &fp, gp, arg) || !obj(tm, &fm, gm, arg))
			return NUM_EVAL_FAILED_NEAR_MINIMUM;
		for (int i = 0; i < k; i++)
			hess[i * k + j] = (gp[i] - gm[i]) / (2.0 * h);
	}
	for (int i = 0; i < k; i++)
		for (int j = 0; j < i; j++)
			hess[i * k + j] = hess[j * k + i] = 0.5 * (hess[i * k + j] + hess[j * k + i]);
	memset(fit->cov, 0, sizeof(fit->cov));
	if (num_invert_spd(hess, k))
	{
		for (int i = 0; i < k; i++)
			for (int j = 0; j <= i; j++)
				fit->cov[i * (i + 1) / 2 + j] = hess[i * k + j];
	}
	for (int i = 0; i < k; i++)
		if (!(fit->cov[i * (i + 1) / 2 + i] > 0.0) || !isfinite(fit->cov[i * (i + 1) / 2 + i]))
			return NUM_NOT_A_MINIMUM;
	return NUM_OK;
}
