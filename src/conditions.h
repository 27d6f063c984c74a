/*-------------------------------------------------------------------------
 *
 * conditions.h
 *	  The conditions of a row (funnel steps, retention and sequence
 *	  conditions) as bits, from separate boolean arguments or from one
 *	  boolean array: shared by funnel.c and sequence.c.
 *
 * IDENTIFICATION
 *	  src/conditions.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CONDITIONS_H
#define CONDITIONS_H

#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"

/*
 * The conditions of a row as bits (bit i - 1: condition i), from a
 * one-dimensional boolean array (the VARIADIC forms) or from separate
 * arguments (the fixed-arity forms, which build no array per row).  NULL
 * conditions count as false.  The array's element count goes to *nconds;
 * the bits are read only when it is within 1..max (the caller reports it
 * otherwise), so a huge array is refused without being read.
 */
static inline uint32
bool_array_bits(ArrayType *arr, int max, int *nconds)
{
	int			n = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	bits8	   *nulls = ARR_NULLBITMAP(arr);
	const char *data;
	uint32		bits = 0;

	Assert(ARR_ELEMTYPE(arr) == BOOLOID);
	*nconds = n;
	if (n < 1 || n > max)
		return 0;
	/* ARR_DATA_PTR, with the offset's sign made explicit */
	data = (const char *) arr + (ARR_HASNULL(arr) ? (Size) arr->dataoffset :
								 ARR_OVERHEAD_NONULLS(ARR_NDIM(arr)));
	/* booleans take one byte each, unaligned; NULL elements take none */
	for (int i = 0; i < n; i++)
	{
		if (nulls && !(nulls[i / 8] & (1 << (i % 8))))
			continue;
		if (*data != 0)
			bits |= ((uint32) 1) << i;
		data++;
	}
	return bits;
}

static inline uint32
bool_arg_bits(FunctionCallInfo fcinfo, int first, int n)
{
	uint32		bits = 0;

	for (int i = 0; i < n; i++)
		if (!PG_ARGISNULL(first + i) && PG_GETARG_BOOL(first + i))
			bits |= ((uint32) 1) << i;
	return bits;
}

#endif							/* CONDITIONS_H */
