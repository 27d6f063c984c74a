/*-------------------------------------------------------------------------
 *
 * numerics_test.c
 *	  Unit tests of src/numerics.c, without a server:
 *
 *		make numerics-check
 *
 * One line per check ("ok" or "FAIL", the value, the reference and the
 * tolerance); the exit status is 1 when any check fails.
 *
 * The references were computed independently with Python's mpmath 1.3.0
 * from the exact double value of each input (F(s) = mpf(float(s))):
 *
 *   from mpmath import mp, mpf, digamma, loggamma, betainc, erfc, erfinv, sqrt, matrix, inverse
 *   mp.dps = 60; F = lambda s: mpf(float(s))
 *   digamma(F(x))
 *   loggamma(F(z) + F(d)) - loggamma(F(z))                 (lgamma ratio)
 *   loggamma(F(x)) + loggamma(F(y)) - loggamma(F(x) + F(y)) (ln B)
 *   betainc(F(a), F(b), 0, F(x), regularized=True)
 *   erfc(abs(F(z)) / sqrt(2))                              (two-sided p)
 *   inverse(matrix([[4, 2, 0], [2, 5, 3], [0, 3, 6]])) * 60
 *   mp.dps = 700; sqrt(2) * erfinv(2 * F(p) - 1)           (normal quantile)
 *
 * The minimiser's references are the known minima of the test functions
 * (Rosenbrock's at (1, 1) with Hessian [[802, -400], [-400, 200]], whose
 * inverse is [[0.5, 1], [1, 2.005]]; a quadratic's at its centre with the
 * inverse of its matrix as covariance).
 *
 * IDENTIFICATION
 *	  test/numerics_test.c
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../src/numerics.h"

static int	failures = 0;
static int	checks = 0;

/*
 * |got - want| <= tol * max(1, |want|): relative above 1, absolute below;
 * with "relative", tol * |want| (for references far below 1)
 */
static void
check_value(const char *what, double got, double want, double tol, bool relative)
{
	double		scale = relative ? fabs(want) : fabs(want) > 1.0 ? fabs(want) : 1.0;
	int			ok = fabs(got - want) <= tol * scale;

	checks++;
	if (!ok)
		failures++;
	printf("%s %s: %.17g (reference %.17g, %stolerance %.1e)\n",
		   ok ? "ok  " : "FAIL", what, got, want, relative ? "relative " : "", tol);
}

/* the common case */
static void
check_close(const char *what, double got, double want, double tol)
{
	check_value(what, got, want, tol, false);
}

static void
check_true(const char *what, int cond)
{
	checks++;
	if (!cond)
		failures++;
	printf("%s %s\n", cond ? "ok  " : "FAIL", what);
}

static const char *
status_name(NumStatus s)
{
	switch (s)
	{
		case NUM_OK:
			return "NUM_OK";
		case NUM_NOT_CONVERGED:
			return "NUM_NOT_CONVERGED";
		case NUM_NO_IMPROVEMENT:
			return "NUM_NO_IMPROVEMENT";
		case NUM_NO_DESCENT:
			return "NUM_NO_DESCENT";
		case NUM_PARAM_DIVERGES:
			return "NUM_PARAM_DIVERGES";
		case NUM_EVAL_FAILED:
			return "NUM_EVAL_FAILED";
		case NUM_EVAL_FAILED_NEAR_MINIMUM:
			return "NUM_EVAL_FAILED_NEAR_MINIMUM";
		case NUM_NOT_A_MINIMUM:
			return "NUM_NOT_A_MINIMUM";
	}
	return "unknown status";
}

static void
check_status(const char *what, NumStatus got, NumStatus want)
{
	checks++;
	if (got != want)
		failures++;
	printf("%s %s: %s (expected %s)\n", got == want ? "ok  " : "FAIL", what,
		   status_name(got), status_name(want));
}

/* f(x) against a reference, for a function of one argument */
typedef struct Case1
{
	double		x;
	double		ref;
} Case1;

static void
check_function(const char *name, double (*fn) (double), const Case1 *cases,
			   size_t n, double tol, bool relative)
{
	for (size_t i = 0; i < n; i++)
	{
		char		what[64];

		snprintf(what, sizeof(what), "%s(%g)", name, cases[i].x);
		check_value(what, fn(cases[i].x), cases[i].ref, tol, relative);
	}
}

#define lengthof(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Special functions
 */
static void
test_digamma(void)
{
	static const Case1 cases[] = {
		{1e-8, -100000000.57721564636},
		{0.5, -1.9635100260214234794},
		{1.0, -0.57721566490153286061},
		{2.5, 0.70315664064524318723},
		{5.999, 1.7059363290792256036},
		{6.0, 1.7061176684318004727},
		{10.0, 2.2517525890667211076},
		{1e6, 13.815510057964190771},
		{1e15, 34.53877639491068476},
	};

	/*
	 * the asymptotic series stops at x^-10: the first term left out, 691 /
	 * (32760 x^12), is 1e-11 at x = 6, where the recurrence hands over
	 */
	check_function("digamma", num_digamma, cases, lengthof(cases), 2e-11, false);
}

static void
test_lgamma_ratio(void)
{
	/* Stirling's series from min(z, z + d) >= NUM_STIRLING_MIN = 100 */
	static const struct
	{
		double		z;
		double		d;
		double		ref;
		double		tol;
	}			cases[] = {
		{0.5, 3.0, 0.62860865942237413774, 1e-15},
		/* below the switch: the plain difference */
		{99.5, 3.0, 13.830374170145519551, 1e-13},
		/* at the switch, and where the plain difference was 1e-9 off */
		{100.0, 0.5, 2.3013350982022227792, 1e-14},
		{1e4, -0.75, -6.9076896512476184893, 1e-14},
		{999999.5, 0.25, 3.4538774207409825885, 1e-14},
		/* at and above the switch, d of both signs */
		{1e6, 0.5, 6.9077551539821370521, 1e-14},
		{1000001.0, -0.5, -6.907755403982137052, 1e-14},
		{1e12, 0.25, 6.9077552789820433021, 1e-14},
		/* where the plain difference is 15% off */
		{1e15, 1.0, 34.53877639491068526, 1e-14},
	};

	for (size_t i = 0; i < lengthof(cases); i++)
	{
		char		what[80];

		snprintf(what, sizeof(what), "lgamma ratio lnG(%.10g + %g) - lnG(%.10g)",
				 cases[i].z, cases[i].d, cases[i].z);
		check_close(what, num_lgamma_ratio(cases[i].z, cases[i].d), cases[i].ref,
					cases[i].tol);
	}
}

static void
test_lbeta(void)
{
	static const struct
	{
		double		x;
		double		y;
		double		ref;
	}			cases[] = {
		{0.5, 0.5, 1.1447298858494001741},	/* ln pi */
		{2.5, 7.25, -4.9053366188393039546},
		{2e6, 3.0, -42.832827535012087932},
		{3.0, 2e15, -105.0026235458519479},
	};

	for (size_t i = 0; i < lengthof(cases); i++)
	{
		char		what[64];

		snprintf(what, sizeof(what), "lbeta(%g, %g)", cases[i].x, cases[i].y);
		check_close(what, num_lbeta(cases[i].x, cases[i].y), cases[i].ref, 1e-14);
	}
}

static void
test_beta_inc(void)
{
	/* the lower tail by the continued fraction, the upper by symmetry */
	static const struct
	{
		double		a;
		double		b;
		double		x;
		double		ref;
	}			cases[] = {
		{2.0, 3.0, 0.1, 0.052300000000000005396},
		{2.0, 3.0, 0.9, 0.9963000000000000024},
		{0.5, 0.5, 0.3, 0.36901011956554537504},
		{5.0, 1e6, 1e-6, 0.0036598851482650915553},
		{200.0, 300.0, 0.45, 0.98814634562026288124},
	};
	double		r = -1.0;

	for (size_t i = 0; i < lengthof(cases); i++)
	{
		char		what[80];
		double		x = cases[i].x;
		NumStatus	s;

		snprintf(what, sizeof(what), "incomplete beta I_%g(%g, %g)", x, cases[i].a, cases[i].b);
		s = num_beta_inc(cases[i].a, cases[i].b, x, 1.0 - x, log(x), log1p(-x), &r);
		check_status(what, s, NUM_OK);
		check_value(what, r, cases[i].ref, 1e-13, true);
	}

	/* a NaN never converges: the status, not a value */
	r = -1.0;
	check_status("incomplete beta of NaN",
				 num_beta_inc(2.0, 3.0, NAN, NAN, NAN, NAN, &r), NUM_NOT_CONVERGED);
	check_true("incomplete beta of NaN leaves the result alone", r == -1.0);
}

/*
 * The expected purchases of the BG/NBD model, against mpmath: the textbook
 * form c/(a-1) (1 - u^r 2F1(r, b; c; z)) at 60 to 100 digits (mp.hyp2f1;
 * at a = 1, the mean of a = 1 -+ 1e-40), cross-checked by mp.quad of the
 * integral over the dropout probability (test/reference/bgnbd_grid.py has
 * both), and closed forms: a = b = r = 1 gives ln(1 + t/alpha), and for
 * a huge r with a = b = 1 and t = alpha the integral
 * int_0^1 (1 - (1+p)^-r) / p dp is ln r + Euler's gamma + O(1/r).
 * Every case by every method that applies: the automatic choice, the
 * integral, and each series forced (a series that would be too long falls
 * back on the integral).
 */
static void
count_tick(void *arg)
{
	(*(int *) arg)++;
}

static void
test_bgnbd_expectation(void)
{
	int			ticks = 0;
	static const struct
	{
		double		r,
					alpha,
					a,
					b,
					x,
					t;
		double		ref;
	}			cases[] = {
		/* large a and b: 22003 in 1.1 */
		{0.5, 5, 400, 4000, 0, 26, 1.936054395097406303214239},
		{0.6710755689373259, 8.094148152971334, 406.141574051101, 4103.12532324767, 0, 52, 2.9306558944236335},
		/* t / alpha = 520,000 with large r, a, b: too long for any series */
		{1e4, 1e-3, 1e4, 1e4, 0, 520, 2.000100010001000100010001},
		{1e-3, 1e-3, 1e-3, 1e7, 0, 520, 519.9869035921507698462431},
		{20, 1e-3, 1e4, 1e-3, 0, 520, 1.000000100010001000100012},
		{1e4, 1e-3, 0.2, 1e7, 0, 520, 1851203098.904570182142658},
		/* a = b = 0.001: log-odds tails 40,000 wide */
		{60, 4, 0.001, 0.001, 0, 7, 52.780148447918282114},
		{1.3, 150, 0.001, 0.001, 0, 520, 2.6789543034612137136},
		/* a next to and at 1 */
		{0.7, 3, 1.000001, 3, 0, 26, 2.789723796800603183564986},
		{0.5, 4, 1, 2, 0, 10, 0.8391401129137800084878188},
		/* CDNOW-like, a new customer and the numerator of one with x = 3 */
		{0.243, 4.414, 0.793, 2.426, 0, 39, 1.196723193320816866740923},
		{0.243, 4.414, 0.793, 2.426, 3, 39, 11.67238001828354231391911},
		/* closed forms: 600 ln 10, and ln 1e300 + Euler's gamma */
		{1, 1e-300, 1, 1, 0, 1e300, 1381.5510557964274104107949},
		{1e300, 1, 1, 1, 0, 1, 691.35274356311523811850868},
		/* the horizon 1e17 (54000 in 1.1) */
		{0.242594, 4.413643, 0.792923, 2.425965, 0, 1e17, 12094.4834220120538264877},
	};
	static const NumBgMethod methods[] = {
		NUM_BG_AUTO, NUM_BG_INTEGRAL, NUM_BG_PURCHASES, NUM_BG_EULER, NUM_BG_COMPLEMENT
	};
	static const char *const names[] = {"auto", "integral", "series 1", "series 2", "series 3"};

	for (size_t i = 0; i < lengthof(cases); i++)
	{
		double		s = cases[i].r + cases[i].x;
		double		c = cases[i].a + cases[i].b + cases[i].x - 1.0;

		for (size_t m = 0; m < lengthof(methods); m++)
		{
			char		what[160];

			/* Euler's forms need s <= c, the complement |c - s| <= c/2 */
			if ((methods[m] == NUM_BG_EULER && !(s <= c)) ||
				(methods[m] == NUM_BG_COMPLEMENT && !(fabs(c - s) <= 0.5 * c)))
				continue;
			snprintf(what, sizeof(what), "BG/NBD E(%g, %g, %g, %g, x %g, t %g), %s",
					 cases[i].r, cases[i].alpha, cases[i].a, cases[i].b,
					 cases[i].x, cases[i].t, names[m]);
			check_value(what,
						num_bgnbd_expectation(cases[i].r, cases[i].alpha, cases[i].a,
											  cases[i].b, cases[i].x, cases[i].t,
											  methods[m], NULL, NULL),
						cases[i].ref, 1e-12, true);
		}
	}

	/*
	 * first order in r: E = r t / alpha = 1e-295 (the integral keeps its
	 * digits far below the smallest normal double)
	 */
	check_value("BG/NBD E with a tiny r, integral",
				num_bgnbd_expectation(1e-300, 1e-5, 1e-300, 1e-5, 0, 1, NUM_BG_INTEGRAL, NULL, NULL),
				1e-295, 1e-9, true);
	check_close("BG/NBD E at t = 0",
				num_bgnbd_expectation(1, 1, 1, 1, 0, 0, NUM_BG_AUTO, NULL, NULL), 0.0, 0.0);

	/*
	 * the ends of the range: with a = 1e-300 nobody drops out, E = r t /
	 * alpha; with a = b = 1e300, p = 1/2 for everyone, E = 2 (1 - 1.5^-1);
	 * Infinity (never NaN) only where the result is beyond a double
	 */
	check_value("BG/NBD E with a = 1e-300",
				num_bgnbd_expectation(1e-3, 1e-3, 1e-300, 1e-3, 0, 520, NUM_BG_AUTO, NULL, NULL),
				520.0, 1e-12, true);
	check_value("BG/NBD E with a = b = 1e300",
				num_bgnbd_expectation(1, 1, 1e300, 1e300, 0, 1, NUM_BG_INTEGRAL, NULL, NULL),
				2.0 / 3.0, 1e-12, true);
	check_true("BG/NBD E beyond the range of doubles is Infinity",
			   isinf(num_bgnbd_expectation(1e300, 1e-300, 1e-300, 1e300, 0, 1e300, NUM_BG_INTEGRAL, NULL, NULL)));
	(void) num_bgnbd_expectation(1e-3, 1e-3, 1e-3, 1e7, 0, 520, NUM_BG_AUTO, count_tick, &ticks);
	check_true("BG/NBD E: the integral calls its tick", ticks > 0);
}

/*
 * The normal distribution
 */
static void
test_normal(void)
{
	static const Case1 quantiles[] = {
		{0.975, 1.9599639845400538556},
		{0.025, -1.9599639845400542118},
		{1e-10, -6.3613409024040561991},
		{1e-300, -37.047096299361199237},
		{0.9999999, 5.1993375822906610937},
	};
	static const Case1 pvalues[] = {
		{1.96, 0.049995790296440872426},
		{0.0, 1.0},
		{10.0, 1.5239706048321052132e-23},
		{-3.0, 0.0026997960632601890533},
	};

	check_function("normal quantile", num_norm_quantile, quantiles,
				   lengthof(quantiles), 1e-14, false);
	check_close("normal quantile(0.5)", num_norm_quantile(0.5), 0.0, 1e-16);
	check_true("normal quantile(0), (1) and (NaN) are NaN",
			   isnan(num_norm_quantile(0.0)) && isnan(num_norm_quantile(1.0)) &&
			   isnan(num_norm_quantile(NAN)));
	check_function("two-sided p", num_norm_two_sided_p, pvalues, lengthof(pvalues),
				   1e-13, true);
}

/*
 * Linear algebra
 */
static void
test_invert_spd(void)
{
	/* det 60, inverse [[21, -12, 6], [-12, 24, -12], [6, -12, 16]] / 60 */
	double		a[9] = {4, 2, 0, 2, 5, 3, 0, 3, 6};
	static const double inv[9] = {21, -12, 6, -12, 24, -12, 6, -12, 16};
	double		b[4] = {1, 2, 2, 1};	/* eigenvalues 3 and -1 */
	double		z[4] = {1, 0, 0, 0};	/* singular */
	double		b0[4];

	check_true("Cholesky inverse of a 3x3 SPD matrix succeeds", num_invert_spd(a, 3));
	for (int i = 0; i < 9; i++)
	{
		char		what[64];

		snprintf(what, sizeof(what), "Cholesky inverse [%d][%d]", i / 3, i % 3);
		check_close(what, a[i], inv[i] / 60.0, 1e-15);
	}
	memcpy(b0, b, sizeof(b));
	check_true("a matrix that is not positive definite has no Cholesky inverse",
			   !num_invert_spd(b, 2));
	check_true("and is left as it was", memcmp(b, b0, sizeof(b)) == 0);
	check_true("a singular matrix has no Cholesky inverse", !num_invert_spd(z, 2));
}

/*
 * Minimisation: objectives
 */
/* each objective counts its calls in *(int *) arg */
static void
counted(void *arg)
{
	(*(int *) arg)++;
}

/* (1 - x)^2 + c (y - x^2)^2: Rosenbrock's function for c = 100 */
static bool
valley(const double *t, double *f, double *g, double c)
{
	double		x = t[0],
				y = t[1];

	*f = (1 - x) * (1 - x) + c * (y - x * x) * (y - x * x);
	g[0] = -2 * (1 - x) - 4 * c * x * (y - x * x);
	g[1] = 2 * c * (y - x * x);
	return true;
}

static bool
rosenbrock(const double *t, double *f, double *g, void *arg)
{
	counted(arg);
	return valley(t, f, g, 100);
}

/* 1/2 (t - c)' Q (t - c) with Q the matrix of test_invert_spd */
static const double quad_q[3][3] = {{4, 2, 0}, {2, 5, 3}, {0, 3, 6}};
static const double quad_c[3] = {0.5, -2.0, 3.0};

static bool
quadratic(const double *t, double *f, double *g, void *arg)
{
	double		d[3];

	counted(arg);
	*f = 0.0;
	for (int i = 0; i < 3; i++)
		d[i] = t[i] - quad_c[i];
	for (int i = 0; i < 3; i++)
	{
		g[i] = 0.0;
		for (int j = 0; j < 3; j++)
			g[i] += quad_q[i][j] * d[j];
		*f += 0.5 * d[i] * g[i];
	}
	return true;
}

/* (y - 1)^2 - x: unbounded below as x grows */
static bool
unbounded(const double *t, double *f, double *g, void *arg)
{
	counted(arg);
	*f = (t[1] - 1) * (t[1] - 1) - t[0];
	g[0] = -1.0;
	g[1] = 2 * (t[1] - 1);
	return true;
}

/* e^x + y^2: the infimum lies at x = -infinity */
static bool
falls_forever(const double *t, double *f, double *g, void *arg)
{
	counted(arg);
	*f = exp(t[0]) + t[1] * t[1];
	g[0] = exp(t[0]);
	g[1] = 2 * t[1];
	return true;
}

/* not finite anywhere */
static bool
nowhere_finite(const double *t, double *f, double *g, void *arg)
{
	(void) t;
	(void) f;
	(void) g;
	counted(arg);
	return false;
}

/* x^2, not finite for x > 5e-5: the Hessian's steps of 1e-4 leave it */
static bool
edge_at_minimum(const double *t, double *f, double *g, void *arg)
{
	counted(arg);
	*f = t[0] * t[0];
	g[0] = 2 * t[0];
	return t[0] <= 5e-5;
}

/* x^2 - y^2 from y = 0: the gradient vanishes at the saddle (0, 0) */
static bool
saddle(const double *t, double *f, double *g, void *arg)
{
	counted(arg);
	*f = t[0] * t[0] - t[1] * t[1];
	g[0] = 2 * t[0];
	g[1] = -2 * t[1];
	return true;
}

/* x^2 with the gradient's sign wrong: every step goes uphill */
static bool
wrong_gradient(const double *t, double *f, double *g, void *arg)
{
	counted(arg);
	*f = t[0] * t[0];
	g[0] = -2 * t[0];
	return true;
}

/*
 * 1e20 + x^4: the value no longer changes in floating point while x is
 * still far from 0, where a Newton step would gain more than the floor
 */
static bool
flat_in_floating_point(const double *t, double *f, double *g, void *arg)
{
	double		x2 = t[0] * t[0];

	counted(arg);
	*f = 1e20 + x2 * x2;
	g[0] = 4 * x2 * t[0];
	return true;
}

/* the valley 10^6 times narrower: BFGS creeps along it */
static bool
narrow_valley(const double *t, double *f, double *g, void *arg)
{
	counted(arg);
	return valley(t, f, g, 1e8);
}

static const struct
{
	const char *what;
	NumObjective obj;
	int			k;
	double		theta0[2];
	double		scale;
	NumStatus	want;
	int			dir;			/* NUM_PARAM_DIVERGES: up 1, down -1 */
}			failing[] = {
	{"unbounded objective", unbounded, 2, {0, 0}, 1.0, NUM_PARAM_DIVERGES, 1},
	{"objective with its infimum at -infinity", falls_forever, 2, {0, 0}, 1.0, NUM_PARAM_DIVERGES, -1},
	{"objective not finite at the start", nowhere_finite, 2, {0, 0}, 1.0, NUM_EVAL_FAILED, 0},
	{"objective not finite next to its minimum", edge_at_minimum, 1, {-1}, 1.0, NUM_EVAL_FAILED_NEAR_MINIMUM, 0},
	{"saddle point", saddle, 2, {1, 0}, 1.0, NUM_NOT_A_MINIMUM, 0},
	{"gradient pointing uphill", wrong_gradient, 1, {1}, 1.0, NUM_NO_DESCENT, 0},
	{"value flat in floating point away from the minimum", flat_in_floating_point, 1, {0.3}, 1e6, NUM_NO_IMPROVEMENT, 0},
	{"the same where that is the floor of the total", flat_in_floating_point, 1, {0.3}, 1.0, NUM_OK, 0},
	{"Rosenbrock's valley made 10^6 times narrower", narrow_valley, 2, {-1.2, 1}, 1.0, NUM_NOT_CONVERGED, 0},
};

static void
test_minimise(void)
{
	NumFit		fit;
	NumStatus	s;
	const double rb0[2] = {-1.2, 1.0};
	const double q0[3] = {0.0, 0.0, 0.0};
	static const double rb_cov[3] = {0.5, 1.0, 2.005};	/* lower triangle */
	int			evaluations = 0;

	s = num_minimise(rosenbrock, &evaluations, 2, rb0, 1.0, &fit);
	check_status("Rosenbrock from (-1.2, 1)", s, NUM_OK);
	check_close("Rosenbrock x", fit.theta[0], 1.0, 1e-9);
	check_close("Rosenbrock y", fit.theta[1], 1.0, 1e-9);
	check_close("Rosenbrock minimum", fit.f, 0.0, 1e-18);
	for (int i = 0; i < 3; i++)
	{
		char		what[64];

		snprintf(what, sizeof(what), "Rosenbrock inverse Hessian (lower triangle %d)", i);

		/*
		 * central differences of step 1e-4 of a cubic gradient are off by
		 * 4e-6 in 802, which the condition number (about 2500) amplifies
		 */
		check_close(what, fit.cov[i], rb_cov[i], 1e-5);
	}
	check_true("Rosenbrock within the iteration limit",
			   fit.iterations > 0 && fit.iterations < NUM_MAX_ITER);
	printf("     (Rosenbrock: %d iterations, %d evaluations)\n", fit.iterations, evaluations);

	s = num_minimise(quadratic, &evaluations, 3, q0, 1.0, &fit);
	check_status("quadratic", s, NUM_OK);
	for (int i = 0; i < 3; i++)
	{
		char		what[64];

		snprintf(what, sizeof(what), "quadratic minimum coordinate %d", i);
		check_close(what, fit.theta[i], quad_c[i], 1e-9);
	}
	{
		/*
		 * the covariance is Q^-1 = [[21, -12, 6], [-12, 24, -12], [6, -12,
		 * 16]] / 60
		 */
		static const double lower[6] = {21, -12, 24, 6, -12, 16};

		for (int i = 0; i < 6; i++)
		{
			char		what[64];

			snprintf(what, sizeof(what), "quadratic covariance (lower triangle %d)", i);
			check_close(what, fit.cov[i], lower[i] / 60.0, 1e-9);
		}
	}

	/*
	 * one objective per failure; in the flat one, five steps that do not
	 * change the value end at x = 0.065, where a Newton step gains about
	 * 2.4e-5 of the objective: times scale 1e6 that is more than the floor of
	 * 1e-4, times scale 1 less (converged)
	 */
	for (size_t i = 0; i < lengthof(failing); i++)
	{
		s = num_minimise(failing[i].obj, &evaluations, failing[i].k,
						 failing[i].theta0, failing[i].scale, &fit);
		check_status(failing[i].what, s, failing[i].want);
		if (failing[i].want == NUM_PARAM_DIVERGES)
			check_true("  parameter 0 runs off that way",
					   fit.param == 0 &&
					   failing[i].dir * (fit.theta[0] - failing[i].theta0[0]) > NUM_MAX_MOVE);
		if (failing[i].want == NUM_NOT_CONVERGED)
			check_true("  after the iteration limit", fit.iterations == NUM_MAX_ITER);
	}
}

int
main(void)
{
	test_digamma();
	test_lgamma_ratio();
	test_lbeta();
	test_beta_inc();
	test_bgnbd_expectation();
	test_normal();
	test_invert_spd();
	test_minimise();
	printf("%d checks, %d failed\n", checks, failures);
	return failures == 0 ? 0 : 1;
}
