/*-------------------------------------------------------------------------
 *
 * predict.h
 *	  The fitted-model types of the purchase models (bgnbd, mbgnbd,
 *	  gammagamma in predict.c; bgbb in bgbb.c): one stored layout, its
 *	  validation, text, binary and JSON forms and the accessors every model
 *	  has (parameters, estimates, log_likelihood, customers), driven by a
 *	  PredKind that names the type and its parameters.
 *
 * IDENTIFICATION
 *	  src/predict.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PREDICT_H
#define PREDICT_H

#include "engagement.h"
#include "numerics.h"

#define PRED_VERSION		1
#define PRED_FLAG_FITTED	0x01
#define PRED_MAX_PARAMS		4
#define PRED_NCOV			(PRED_MAX_PARAMS * (PRED_MAX_PARAMS + 1) / 2)

/* what tells the model types apart */
typedef struct PredKind
{
	const char *typname;
	const char *fitname;
	const char *penalized_call; /* a penalized fit, for hints */
	const char *unit_hint;		/* hint when the likelihood cannot be
								 * evaluated */
	const char *events;			/* "purchases", "transactions": for hints */
	int			nparams;
	const char *names[PRED_MAX_PARAMS];
} PredKind;

/*
 * A model (every model type has this layout).  Parameters beyond nparams, and
 * for a model built from given parameters the fit fields, are zero.  The
 * covariance is that of the logarithms of the parameters (the scale the
 * optimiser works on), lower triangle by rows.
 */
typedef struct PredModel
{
	EngStateHeader hdr;
	int32		iterations;		/* BFGS iterations of the fit */
	int32		reserved;
	int64		customers;		/* rows the fit used */
	double		loglik;			/* log-likelihood at the estimate */
	double		params[PRED_MAX_PARAMS];
	double		cov[PRED_NCOV];
} PredModel;

#define COV(m, i, j) ((i) >= (j) ? (m)[(i) * ((i) + 1) / 2 + (j)] : (m)[(j) * ((j) + 1) / 2 + (i)])

extern PredModel *pred_getarg(FunctionCallInfo fcinfo, int argno, const PredKind *kind);
extern PredModel *pred_new(void);
extern double pred_std_error(const PredModel *m, int i);
extern Datum pred_construct(FunctionCallInfo fcinfo, const PredKind *kind);
extern Datum pred_in(FunctionCallInfo fcinfo, const PredKind *kind);
extern Datum pred_out(FunctionCallInfo fcinfo, const PredKind *kind);
extern Datum pred_send(FunctionCallInfo fcinfo, const PredKind *kind);
extern Datum pred_recv(FunctionCallInfo fcinfo, const PredKind *kind);
extern Datum pred_parameters(FunctionCallInfo fcinfo, const PredKind *kind);
extern Datum pred_estimates(FunctionCallInfo fcinfo, const PredKind *kind);
extern Datum pred_loglik(FunctionCallInfo fcinfo, const PredKind *kind);
extern Datum pred_customers(FunctionCallInfo fcinfo, const PredKind *kind);
extern Datum pred_json(FunctionCallInfo fcinfo, const PredKind *kind, bool jsonb);

/*
 * The rows of a fitting aggregate that keeps one row per customer (or per
 * group of identical customers): bgbb_fit, paretonbd_fit.  A row is nvals
 * float8 values and, when the spec says so, an int64 count of customers; the
 * C struct of a row must have exactly that layout.  The state holds the rows
 * in arrival order, merged by appending, and the penalizer of the fit (0
 * until a row or a merged state sets it).  Serial form: whether the
 * penalizer is set (byte), the penalizer (float8), the number of rows
 * (int32), then each row's values (float8) and count (int64).
 */
#define PRED_FIT_MAGIC		0x50464954	/* marks a PredFitRows */

typedef struct PredFitSpec
{
	const PredKind *kind;		/* fitname for messages */
	const char *typname;		/* named when a serial form is invalid */
	const char *repeat;			/* "purchase": what a repeat customer made */
	int			nvals;			/* float8 values per row */
	bool		counted;		/* an int64 count of customers follows them */
	int32		max_rows;
	const char *limit_detail;	/* DETAIL of the row limit's error */
	/* a row as if typed by a user: raises the transition function's error */
	void		(*check_row) (const void *row);
} PredFitSpec;

typedef struct PredFitRows
{
	uint32		magic;			/* PRED_FIT_MAGIC */
	const PredFitSpec *spec;
	bool		penalized;
	double		penalizer;
	int64		customers;		/* rows, or the sum of their counts */
	int64		n;
	int64		max;
	char	   *rows;
} PredFitRows;

extern PredFitRows *pred_fit_state(const void *state, const PredFitSpec *spec);
extern void pred_fit_push(PredFitRows *s, const void *row, MemoryContext cxt);
extern void pred_fit_penalize(PredFitRows *s, double penalizer);
extern void pred_fit_init(void *state, const PredFitSpec *spec);
extern void pred_fit_merge(void *dst, const void *src, const PredFitSpec *spec,
						   MemoryContext cxt);
extern void pred_fit_serialize(StringInfo buf, const void *state,
							   const PredFitSpec *spec);
extern void pred_fit_deserialize(StringInfo buf, void *state,
								 const PredFitSpec *spec, MemoryContext cxt);

/*
 * The EngBuildOps "ops" (typname a string literal) of the fitting state of
 * spec, and the support functions it names
 */
#define PRED_FIT_OPS(ops, typname_, spec) \
static void ops##_init(void *state, MemoryContext cxt) \
{ \
	pred_fit_init(state, &(spec)); \
} \
static void ops##_merge(void *dst, const void *src, MemoryContext cxt) \
{ \
	pred_fit_merge(dst, src, &(spec), cxt); \
} \
static void ops##_serialize(StringInfo buf, const void *state) \
{ \
	pred_fit_serialize(buf, state, &(spec)); \
} \
static void ops##_deserialize(StringInfo buf, void *state, MemoryContext cxt) \
{ \
	pred_fit_deserialize(buf, state, &(spec), cxt); \
} \
static const EngBuildOps ops = { \
	.typname = typname_, \
	.size = sizeof(PredFitRows), \
	.init = ops##_init, \
	.merge = ops##_merge, \
	.serialize = ops##_serialize, \
	.deserialize = ops##_deserialize, \
}

extern void pred_fit_need_repeat(const PredFitRows *s);
extern int64 pred_fit_distinct(const PredFitRows *s, qsort_arg_comparator cmp,
							   void **rows, double **weights);

/* a prediction horizon: finite and not negative (22023 otherwise) */
extern double pred_horizon(double t);

/*
 * Maximise a model's likelihood (obj is minus the log-likelihood over wsum),
 * or raise the error of the failure: 22M01 when the data do not determine
 * the model (the reason in DETAIL), 22003 when it cannot be evaluated
 */
extern void pred_maximise(NumObjective obj, void *arg, const PredKind *kind,
						  const double *theta0, double wsum, double penalizer,
						  NumFit *fit);

/* why a fit stopped without a maximum (a 22M01 DETAIL); NULL for NUM_OK */
extern const char *pred_status_reason(NumStatus status, const NumFit *fit,
									  const double *theta0, const PredKind *kind);

/*
 * A fit reported as a fit_diagnostics record (<model>_fit_diagnostics): called
 * from a fit's final function in its fit context, with the objective, its
 * data (whose penalizer is *penalizer), the start and the number of
 * customers the objective divides by; the record is built in resultcxt.
 */
extern Datum pred_diagnostics(FunctionCallInfo fcinfo, NumObjective obj, void *arg,
							  double *penalizer, const PredKind *kind,
							  const double *theta0, double wsum, MemoryContext resultcxt);

#endif							/* PREDICT_H */
