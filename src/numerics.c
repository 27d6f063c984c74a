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
#include <string.h>

/* not in ISO C's math.h (the same digits as glibc's) */
#ifndef M_PI
#define M_PI		3.14159265358979323846
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
 * subtracts two numbers of about z ln z, so for a huge z the rounding of
 * each (several units in the last place) swamps a small difference
 * (lgamma(1e15 + 1) - lgamma(1e15) comes out 15% off ln 1e15).  Below the
 * threshold the plain difference loses at most about 1e-9 and is kept, so
 * ordinary models give the same bits.
 *
 * ln Gamma(z + d) - ln Gamma(z) for z and z + d at least NUM_STIRLING_MIN:
 * with ln Gamma(z) = (z - 1/2) ln z - z + ln(2 pi) / 2 + 1/(12 z) - 1/(360 z^3)
 * + O(z^-5), the difference is d ln z + (z + d - 1/2) ln(1 + d/z) - d plus the
 * difference of the corrections, with no cancellation of large terms.
 */
static double
num_lgamma_ratio_large(double z, double d)
{
	double		zd = z + d;

	return d * log(z) + (zd - 0.5) * log1p(d / z) - d +
		(1.0 / (12.0 * zd) - 1.0 / (360.0 * zd * zd * zd)) -
		(1.0 / (12.0 * z) - 1.0 / (360.0 * z * z * z));
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
