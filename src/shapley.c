/*-------------------------------------------------------------------------
 *
 * shapley.c
 *	  Exact Shapley attribution over path summaries: shapley_values().
 *
 * shapley_values(paths text[], conversions bigint[], non_conversions bigint[],
 *				  characteristic text, sep text)
 *
 * A coalition S of channels is worth v(S), computed from the journeys whose
 * set of channels is a subset of S (order and repeats ignored):
 *	 'conversion_rate': conversions / (conversions + non-conversions) of those
 *						journeys (0 when there are none);
 *	 'conversions':		their conversions.
 * phi_i = sum over S without i of |S|! (n-|S|-1)! / n! (v(S+i) - v(S)),
 * computed exactly over all 2^n coalitions (subset sums by a zeta
 * transform), so n is limited.  Attributed conversions share the observed
 * total in proportion to phi (which sums to v(all channels)).
 *
 * IDENTIFICATION
 *	  src/shapley.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include "attribution.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#define SHAPLEY_MAX_CHANNELS	20

/*
 * Make room in conv_sum/all_sum for the channel sets of n channels: the sets
 * of fewer channels keep their indexes, the new ones start at zero.
 */
static void
shapley_grow(double **conv_sum, double **all_sum, int old_n, int n)
{
	Size		old_sets = (Size) 1 << old_n;
	Size		nsets = (Size) 1 << n;

	*conv_sum = repalloc(*conv_sum, sizeof(double) * nsets);
	*all_sum = repalloc(*all_sum, sizeof(double) * nsets);
	memset(*conv_sum + old_sets, 0, sizeof(double) * (nsets - old_sets));
	memset(*all_sum + old_sets, 0, sizeof(double) * (nsets - old_sets));
}

PG_FUNCTION_INFO_V1(engagement_shapley_values);
Datum
engagement_shapley_values(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ArrayType  *paths = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *convs = PG_GETARG_ARRAYTYPE_P(1);
	ArrayType  *nulls_arr = PG_GETARG_ARRAYTYPE_P(2);
	char	   *characteristic = text_to_cstring(PG_GETARG_TEXT_PP(3));
	char	   *sep = text_to_cstring(PG_GETARG_TEXT_PP(4));
	size_t		seplen = strlen(sep);
	bool		rate;
	ArrayIterator pit,
				cit,
				nit;
	Datum		pd,
				cd,
				nd;
	bool		pn,
				cn,
				nn;
	EngDict		dict;
	double	   *conv_sum;
	double	   *all_sum;
	double	   *phi;
	double	   *fact;
	Size		nsets;
	double		total_conv = 0.0;
	double		phi_total = 0.0;
	int32	   *order;
	int32	   *rank;

	if (strcmp(characteristic, "conversion_rate") == 0)
		rate = true;
	else if (strcmp(characteristic, "conversions") == 0)
		rate = false;
	else
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("unknown Shapley characteristic function \"%s\"", characteristic),
				errhint("Use conversion_rate or conversions."));
	if (*sep == '\0')
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("path separator must not be empty"));
	if (ArrayGetNItems(ARR_NDIM(paths), ARR_DIMS(paths)) !=
		ArrayGetNItems(ARR_NDIM(convs), ARR_DIMS(convs)) ||
		ArrayGetNItems(ARR_NDIM(paths), ARR_DIMS(paths)) !=
		ArrayGetNItems(ARR_NDIM(nulls_arr), ARR_DIMS(nulls_arr)))
		ereport(ERROR,
				errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				errmsg("paths, conversions and non_conversions must have the same length"));

	InitMaterializedSRF(fcinfo, 0);

	/*
	 * One pass over the three arrays with iterators (nothing is allocated per
	 * path): the channel set of each path, its conversions and all its
	 * journeys summed per exact channel set.
	 */
	memset(&dict, 0, sizeof(dict));
	conv_sum = palloc0(sizeof(double));
	all_sum = palloc0(sizeof(double));
	pit = array_create_iterator(paths, 0, NULL);
	cit = array_create_iterator(convs, 0, NULL);
	nit = array_create_iterator(nulls_arr, 0, NULL);
	while (array_iterate(pit, &pd, &pn) &&
		   array_iterate(cit, &cd, &cn) &&
		   array_iterate(nit, &nd, &nn))
	{
		char	   *path;
		char	   *p;
		uint32		mask = 0;
		int			old_n = dict.n;
		double		c;
		double		n;

		CHECK_FOR_INTERRUPTS();
		if (pn)
			continue;
		path = TextDatumGetCString(pd);
		p = path;
		for (;;)
		{
			char	   *next = strstr(p, sep);
			int			len = next ? (int) (next - p) : (int) strlen(p);

			CHECK_FOR_INTERRUPTS();
			if (len > 0)
				mask |= ((uint32) 1) <<
					eng_dict_lookup(&dict, p, len, SHAPLEY_MAX_CHANNELS,
									"Shapley attribution channel",
									CurrentMemoryContext);
			if (next == NULL)
				break;
			p = next + seplen;
		}
		pfree(path);
		if ((!cn && DatumGetInt64(cd) < 0) || (!nn && DatumGetInt64(nd) < 0))
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("conversion counts must not be negative"));
		if (dict.n > old_n)
			shapley_grow(&conv_sum, &all_sum, old_n, dict.n);
		if (mask == 0)
			continue;
		c = cn ? 0.0 : (double) DatumGetInt64(cd);
		n = nn ? 0.0 : (double) DatumGetInt64(nd);
		conv_sum[mask] += c;
		all_sum[mask] += c + n;
		total_conv += c;
	}
	array_free_iterator(pit);
	array_free_iterator(cit);
	array_free_iterator(nit);
	if (dict.n == 0)
		return (Datum) 0;

	/* subset sums */
	nsets = (Size) 1 << dict.n;
	for (int b = 0; b < dict.n; b++)
	{
		for (Size s = 0; s < nsets; s++)
		{
			CHECK_FOR_INTERRUPTS();
			if (s & ((Size) 1 << b))
			{
				conv_sum[s] += conv_sum[s ^ ((Size) 1 << b)];
				all_sum[s] += all_sum[s ^ ((Size) 1 << b)];
			}
		}
	}
	/* v(S), in place of conv_sum */
	if (rate)
		for (Size s = 0; s < nsets; s++)
		{
			CHECK_FOR_INTERRUPTS();
			conv_sum[s] = (all_sum[s] > 0.0) ? conv_sum[s] / all_sum[s] : 0.0;
		}

	/* weights |S|! (n - |S| - 1)! / n! */
	fact = palloc(sizeof(double) * (dict.n + 1));
	fact[0] = 1.0;
	for (int k = 1; k <= dict.n; k++)
		fact[k] = fact[k - 1] * k;
	phi = palloc0(sizeof(double) * dict.n);
	for (Size s = 0; s < nsets; s++)
	{
		int			size = pg_popcount64((uint64) s);
		double		w;

		CHECK_FOR_INTERRUPTS();
		if (size == dict.n)
			continue;
		w = fact[size] * fact[dict.n - size - 1] / fact[dict.n];
		for (int i = 0; i < dict.n; i++)
			if (!(s & ((Size) 1 << i)))
				phi[i] += w * (conv_sum[s | ((Size) 1 << i)] - conv_sum[s]);
	}
	for (int i = 0; i < dict.n; i++)
		phi_total += phi[i];

	/* rows in channel name order */
	order = palloc(sizeof(int32) * dict.n);
	rank = palloc(sizeof(int32) * dict.n);
	eng_dict_sort(&dict, NULL, order, rank);
	for (int k = 0; k < dict.n; k++)
	{
		int			i = order[k];
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		values[0] = CStringGetTextDatum(dict.names[i]);
		values[1] = attr_float8(phi[i]);
		if (phi_total != 0.0)
		{
			values[2] = attr_float8(phi[i] / phi_total);
			values[3] = attr_float8(total_conv * phi[i] / phi_total);
		}
		else
			nulls[2] = nulls[3] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
