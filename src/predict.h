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
