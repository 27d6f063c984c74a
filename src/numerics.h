/*-------------------------------------------------------------------------
 *
 * numerics.h
 *	  Pure numerical routines: special functions (digamma, differences of
 *	  lgamma, ln B, the regularized incomplete beta function), the standard
 *	  normal distribution, the inverse of a small symmetric positive definite
 *	  matrix and a BFGS minimiser.
 *
 * Plain C (math.h, stdbool.h): no PostgreSQL header, no allocation, no
 * error reporting.  A routine that can fail returns a NumStatus and the
 * caller turns it into its error; test/numerics_test.c compiles this file
 * on its own ("make numerics-check").  Nothing here checks for interrupts:
 * the minimiser calls its objective at least once per iteration, and the
 * objective is where a caller that must be cancellable checks.
 *
 * IDENTIFICATION
 *	  src/numerics.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NUMERICS_H
#define NUMERICS_H

#include <stdbool.h>

/* What a routine that can fail returns. */
typedef enum NumStatus
{
	NUM_OK = 0,
	/* an iteration limit was reached (NUM_MAX_ITER, NUM_BETA_MAX_STEPS) */
	NUM_NOT_CONVERGED,
	/* steps stopped improving the objective away from a minimum */
	NUM_NO_IMPROVEMENT,
	/* no step along the search direction improves the objective */
	NUM_NO_DESCENT,
	/* parameter fit->param ran off (NUM_MAX_MOVE from its start) */
	NUM_PARAM_DIVERGES,
	/* the objective is not finite at the starting point */
	NUM_EVAL_FAILED,
	/* the objective is not finite near the minimum (for the Hessian) */
	NUM_EVAL_FAILED_NEAR_MINIMUM,
	/* the Hessian at the estimate is singular or not positive definite */
	NUM_NOT_A_MINIMUM
} NumStatus;

/*
 * Special functions
 */

/* digamma(x) for x > 0 */
extern double num_digamma(double x);

/*
 * From this argument on, a difference of lgamma() values is computed from
 * Stirling's series (see numerics.c).
 */
#define NUM_STIRLING_MIN	100.0

/* ln Gamma(z + d) - ln Gamma(z), z > 0, z + d > 0 */
extern double num_lgamma_ratio(double z, double d);

/* ln B(x, y), also when one argument is huge and the other is not */
extern double num_lbeta(double x, double y);

/* most steps of the continued fraction of the incomplete beta function */
#define NUM_BETA_MAX_STEPS	(1000 * 1000)

/*
 * *result = I_x(a, b), the regularized incomplete beta function, for
 * 0 <= x <= 1, given x, y = 1 - x and their logarithms lx and ly (each
 * computed by the caller without cancellation).  NUM_NOT_CONVERGED when the
 * continued fraction takes more than NUM_BETA_MAX_STEPS steps.
 */
extern NumStatus num_beta_inc(double a, double b, double x, double y,
							  double lx, double ly, double *result);

/*
 * Called now and then by a long computation (a PostgreSQL caller checks for
 * interrupts there); may be NULL.
 */
typedef void (*NumTick) (void *arg);

/*
 * The expected number of purchases of the BG/NBD model (see numerics.c):
 * the method num_bgnbd_expectation uses, or is told to use (the three
 * series are for tests: one that does not apply, or does not end within
 * NUM_BG_SERIES_CAP terms, falls back on the integral).
 */
typedef enum NumBgMethod
{
	NUM_BG_AUTO = 0,
	NUM_BG_PURCHASES,			/* series (1) */
	NUM_BG_EULER,				/* series (2) */
	NUM_BG_COMPLEMENT,			/* series (3) */
	NUM_BG_INTEGRAL				/* the integral over the dropout probability */
} NumBgMethod;

/* a series estimated longer than this is not summed */
#define NUM_BG_SERIES_MAX	3000
/* a series not ended after this many terms is abandoned */
#define NUM_BG_SERIES_CAP	(8 * NUM_BG_SERIES_MAX)
/* most panels of the integral */
#define NUM_BG_QUAD_MAX		1200
/* the integral's target: sum of |K15 - G7| over the panels, relative */
#define NUM_BG_QUAD_TOL		1e-13

/*
 * E[X(t)] of the BG/NBD model with parameters (r + x, alpha, a, b + x), for
 * any r, alpha, a, b > 0 and x, t >= 0: the expected purchases in t of a
 * new customer (x = 0), or the numerator of the conditional expectation of
 * a customer with x repeat purchases and age T (alpha + T for alpha).
 * Finite unless the result is beyond the range of doubles (Infinity);
 * tick (if not NULL) is called every few microseconds of work, and the
 * work is bounded whatever the arguments.
 */
extern double num_bgnbd_expectation(double r, double alpha, double a, double b,
									double x, double t, NumBgMethod method,
									NumTick tick, void *tick_arg);

/*
 * The standard normal distribution
 */

/* the quantile Phi^-1(p) for 0 < p < 1 (NaN otherwise) */
extern double num_norm_quantile(double p);

/* the two-sided p-value of a z statistic, 2 (1 - Phi(|z|)) */
extern double num_norm_two_sided_p(double z);

/*
 * Linear algebra and minimisation, for at most NUM_MAX_PARAMS unknowns
 */
#define NUM_MAX_PARAMS		4
/* a symmetric matrix as its lower triangle by rows */
#define NUM_NCOV			(NUM_MAX_PARAMS * (NUM_MAX_PARAMS + 1) / 2)

/*
 * Invert the symmetric k x k matrix a (row-major, k <= NUM_MAX_PARAMS) in
 * place through its Cholesky factor; false, leaving a as it was, when it
 * has none (a is not positive definite).
 */
extern bool num_invert_spd(double *a, int k);

/* most iterations of num_minimise */
#define NUM_MAX_ITER		300

/*
 * A coordinate that moves more than this from its starting value is taken
 * to run off: for an objective over logarithms of parameters, a factor e^12
 * (about 160,000), so that the objective has no interior minimum.
 */
#define NUM_MAX_MOVE		12.0

/*
 * An objective: its value *f and gradient grad[0..k) at theta; false when
 * they are not all finite (the minimiser then shortens its step).
 */
typedef bool (*NumObjective) (const double *theta, double *f, double *grad, void *arg);

/* the result of num_minimise */
typedef struct NumFit
{
	int			k;
	double		theta[NUM_MAX_PARAMS];	/* the estimate */
	double		f;				/* objective at theta */
	double		cov[NUM_NCOV];	/* inverse Hessian at theta, lower triangle */
	int			iterations;
	int			param;			/* NUM_PARAM_DIVERGES: which coordinate */
} NumFit;

/*
 * Minimise obj over k <= NUM_MAX_PARAMS coordinates from theta0 by BFGS
 * with a backtracking line search, then invert a finite-difference Hessian
 * of the gradient at the estimate.  The objective is a total divided by
 * scale: convergence allows for the floor of floating-point sums of that
 * total.  NUM_OK fills all of *fit; otherwise theta and f are where the
 * search stopped.
 */
extern NumStatus num_minimise(NumObjective obj, void *arg, int k,
							  const double *theta0, double scale, NumFit *fit);

#endif							/* NUMERICS_H */
