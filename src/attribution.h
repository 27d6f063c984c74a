/*-------------------------------------------------------------------------
 *
 * attribution.h
 *	  Declarations shared by the attribution capabilities: rule-based
 *	  credits (attribution.c), the Markov model (markov.c) and Shapley
 *	  values (shapley.c).
 *
 * IDENTIFICATION
 *	  src/attribution.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef ATTRIBUTION_H
#define ATTRIBUTION_H

#include "engagement.h"

/*
 * A float8 result of an attribution function: 22003 ("attribution result is
 * out of range") unless finite, and never -0.
 */
static inline Datum
attr_float8(double v)
{
	return Float8GetDatum(eng_float8_result(v, "attribution result"));
}

#endif							/* ATTRIBUTION_H */
