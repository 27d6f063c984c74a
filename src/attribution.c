/*-------------------------------------------------------------------------
 *
 * attribution.c
 *	  Multi-touch attribution: rule-based credits on a journey, and the
 *	  first-order Markov model (markov_agg, rollup) with exact removal
 *	  effects computed on the absorbing chain.
 *
 * Markov model (Anderl et al. 2016; ChannelAttribution's first order): the
 * states are START, the channels, CONV and NULL.  A path c1..ck with n_conv
 * conversions and n_null non-conversions adds n_conv + n_null to START->c1
 * and to every ci->ci+1, n_conv to ck->CONV and n_null to ck->NULL.  P(conv)
 * is the probability of absorption in CONV from START; removing channel c
 * sends every transition into c to NULL.  RE_c = 1 - P_-c(conv) / P(conv).
 * Instead of ChannelAttribution's simulation the absorption probabilities
 * are solved exactly, by state reduction on the absorbing chain (see
 * "Removal effects" below).
 *
 * IDENTIFICATION
 *	  src/attribution.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#define MARKOV_VERSION			1
#define MARKOV_HAS_VALUE		0x01	/* conversion values were given */
#define MARKOV_VALID_FLAGS		MARKOV_HAS_VALUE
#define MARKOV_MAX_CHANNELS		256
#define MARKOV_NAME_KIND		"attribution channel"

/*****************************************************************************
 * Rule-based attribution on a journey
 *****************************************************************************/

typedef enum AttrModel
{
	ATTR_FIRST,
	ATTR_LAST,
	ATTR_LINEAR,
	ATTR_TIME_DECAY,
	ATTR_POSITION
} AttrModel;

static AttrModel
attr_parse_model(text *t)
{
	char	   *m = text_to_cstring(t);

	if (strcmp(m, "first_touch") == 0)
		return ATTR_FIRST;
	if (strcmp(m, "last_touch") == 0)
		return ATTR_LAST;
	if (strcmp(m, "linear") == 0)
		return ATTR_LINEAR;
	if (strcmp(m, "time_decay") == 0)
		return ATTR_TIME_DECAY;
	if (strcmp(m, "position_based") == 0)
		return ATTR_POSITION;
	ereport(ERROR,
			errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			errmsg("unknown attribution model \"%s\"", m),
			errhint("Models are first_touch, last_touch, linear, time_decay and position_based."));
	return ATTR_LINEAR;			/* keep compiler quiet */
}

/* a float8 result: finite (22003), and never -0 */
static inline Datum
attr_float8(double v)
{
	return Float8GetDatum(eng_float8_result(v, "attribution result"));
}

/*
 * attribution(journey, model, half_life [, converted_at]) -> SETOF (channel,
 * credit): each touch's credit, summed per channel; the credits of a journey
 * sum to 1.  Touches after converted_at are ignored (default: the last touch
 * is the conversion).
 */
static Datum
attribution_common(FunctionCallInfo fcinfo, bool with_conv)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	EngJourney	j;
	AttrModel	model = attr_parse_model(PG_GETARG_TEXT_PP(1));
	int64		half_life = eng_interval_usecs_positive(PG_GETARG_INTERVAL_P(2),
														"attribution half-life");
	int			k;
	double	   *touch_credit;
	double	   *channel_credit;
	bool	   *used;

	InitMaterializedSRF(fcinfo, 0);
	eng_journey_get(PG_GETARG_DATUM(0), &j);

	/* touches that count: those up to the conversion */
	k = j.n;
	if (with_conv)
	{
		TimestampTz conv_at = PG_GETARG_TIMESTAMPTZ(3);

		while (k > 0 && j.ts[k - 1] > conv_at)
		{
			CHECK_FOR_INTERRUPTS();
			k--;
		}
		if (k == 0)
			return (Datum) 0;
	}

	touch_credit = palloc0(sizeof(double) * k);
	switch (model)
	{
		case ATTR_FIRST:
			touch_credit[0] = 1.0;
			break;
		case ATTR_LAST:
			touch_credit[k - 1] = 1.0;
			break;
		case ATTR_LINEAR:
			for (int i = 0; i < k; i++)
			{
				CHECK_FOR_INTERRUPTS();
				touch_credit[i] = 1.0 / k;
			}
			break;
		case ATTR_TIME_DECAY:
			{
				double		sum = 0.0;

				/*
				 * 2^(-(t_conv - t_i) / h), normalised: the common factor
				 * 2^(-(t_conv - t_k) / h) cancels, so weigh relative to the
				 * newest counted touch and nothing underflows.
				 */
				for (int i = 0; i < k; i++)
				{
					CHECK_FOR_INTERRUPTS();
					touch_credit[i] = exp2(-((double) (j.ts[k - 1] - j.ts[i])) /
										   (double) half_life);
					sum += touch_credit[i];
				}
				for (int i = 0; i < k; i++)
				{
					CHECK_FOR_INTERRUPTS();
					touch_credit[i] /= sum;
				}
				break;
			}
		case ATTR_POSITION:
			if (k == 1)
				touch_credit[0] = 1.0;
			else if (k == 2)
				touch_credit[0] = touch_credit[1] = 0.5;
			else
			{
				touch_credit[0] = touch_credit[k - 1] = 0.4;
				for (int i = 1; i < k - 1; i++)
				{
					CHECK_FOR_INTERRUPTS();
					touch_credit[i] = 0.2 / (k - 2);
				}
			}
			break;
	}

	/*
	 * One pass over the counted touches indexes the channels they use, so the
	 * work is linear in touches plus channels.
	 */
	channel_credit = palloc0(sizeof(double) * j.nchannels);
	used = palloc0(sizeof(bool) * j.nchannels);
	for (int i = 0; i < k; i++)
	{
		CHECK_FOR_INTERRUPTS();
		channel_credit[j.ch[i]] += touch_credit[i];
		used[j.ch[i]] = true;
	}
	/* the channel dictionary is sorted: rows come out ordered by channel */
	for (int c = 0; c < j.nchannels; c++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		CHECK_FOR_INTERRUPTS();
		if (!used[c])
			continue;
		values[0] = PointerGetDatum(cstring_to_text(j.channels[c]));
		values[1] = attr_float8(channel_credit[c]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(engagement_attribution);
Datum
engagement_attribution(PG_FUNCTION_ARGS)
{
	return attribution_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(engagement_attribution_at);
Datum
engagement_attribution_at(PG_FUNCTION_ARGS)
{
	return attribution_common(fcinfo, true);
}

/*****************************************************************************
 * The Markov model state
 *****************************************************************************/

/*
 * States of a model: 0 is START, s > 0 is channel s - 1 of the dictionary,
 * and two targets stand for the absorbing states.
 */
#define MARKOV_TO_CONV			(MARKOV_MAX_CHANNELS + 1)
#define MARKOV_TO_NULL			(MARKOV_MAX_CHANNELS + 2)
#define MARKOV_KEY(from, to)	(((uint32) (from) << 16) | (uint32) (to))
#define MARKOV_KEY_FROM(key)	((int) ((key) >> 16))
#define MARKOV_KEY_TO(key)		((int) ((key) & 0xFFFF))

/*
 * The counts of a model being built are sparse: one hash entry per observed
 * (from, to) pair with a positive count, so that a group's memory grows with
 * its distinct transitions, not with the square of its channels.
 */
typedef struct MarkovTrans
{
	uint32		key;			/* MARKOV_KEY(from, to) */
	char		status;			/* used by simplehash */
	int64		count;
} MarkovTrans;

#define SH_PREFIX		mtrans
#define SH_ELEMENT_TYPE	MarkovTrans
#define SH_KEY_TYPE		uint32
#define SH_KEY			key
#define SH_HASH_KEY(tb, k)	murmurhash32(k)
#define SH_EQUAL(tb, a, b)	((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

typedef struct MarkovBuild
{
	EngDict		channels;
	mtrans_hash *trans;
	int64		conversions;	/* total conversions */
	int64		non_conversions;
	double		value;			/* total conversion value */
	bool		has_value;
} MarkovBuild;

/* Stored model: header, then counts in sorted channel order, then names. */
typedef struct MarkovData
{
	EngStateHeader hdr;
	int32		nchannels;
	int32		reserved;
	int64		conversions;
	int64		non_conversions;
	double		value;
	char		data[FLEXIBLE_ARRAY_MEMBER];
	/*
	 * int64 trans[(n+1)*(n+1)], int64 to_conv[n+1], int64 to_null[n+1], then
	 * the channel names, NUL-terminated, sorted.
	 */
} MarkovData;

#define MARKOV_HDRSZ	offsetof(MarkovData, data)
#define MARKOV_NCOUNTS(n)	((Size) ((n) + 1) * ((n) + 1) + 2 * (Size) ((n) + 1))

static MarkovBuild *
mbuild_new(MemoryContext cxt)
{
	MarkovBuild *b = MemoryContextAllocZero(cxt, sizeof(MarkovBuild));

	b->trans = mtrans_create(cxt, 16, NULL);
	return b;
}

static inline void
markov_add(int64 *counter, int64 w)
{
	if (pg_add_s64_overflow(*counter, w, counter))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("markov_model transition count is out of range"));
}

/* add w to the count of from -> to (a state, MARKOV_TO_CONV or _NULL) */
static void
mbuild_count(MarkovBuild *b, int from, int to, int64 w)
{
	MarkovTrans *e;
	bool		found;

	if (w == 0)
		return;
	e = mtrans_insert(b->trans, MARKOV_KEY(from, to), &found);
	if (!found)
		e->count = 0;
	markov_add(&e->count, w);
}

/* add totals of paths or of another model */
static void
mbuild_add_totals(MarkovBuild *b, int64 conversions, int64 non_conversions,
				  double value, bool has_value)
{
	markov_add(&b->conversions, conversions);
	markov_add(&b->non_conversions, non_conversions);
	if (has_value)
	{
		b->value += value;
		if (isinf(b->value))
			ereport(ERROR,
					errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					errmsg("markov_model conversion value is out of range"),
					errdetail("The total conversion value must be a finite double precision number."));
		b->has_value = true;
	}
}

/* state index (1-based channel) of a name */
static int
mbuild_state(MarkovBuild *b, const char *name, int len, MemoryContext cxt)
{
	return eng_dict_lookup(&b->channels, name, len, MARKOV_MAX_CHANNELS,
						   MARKOV_NAME_KIND, cxt) + 1;
}

/*
 * markov_agg(path, conversions, non_conversions [, conversion_value])
 * transition.  Rows with a NULL or empty path are skipped; NULL counts are
 * 0, a NULL value adds nothing; path elements must not be NULL.  The path
 * is walked with an array iterator: nothing is allocated per element.
 */
static Datum
markov_trans_common(FunctionCallInfo fcinfo, bool with_value)
{
	MemoryContext aggcontext = eng_agg_context(fcinfo);
	MarkovBuild *b = PG_ARGISNULL(0) ? mbuild_new(aggcontext) :
		(MarkovBuild *) PG_GETARG_POINTER(0);
	ArrayType  *arr;
	ArrayIterator it;
	Datum		elem;
	bool		isnull;
	int64		conv = PG_ARGISNULL(2) ? 0 : PG_GETARG_INT64(2);
	int64		null = PG_ARGISNULL(3) ? 0 : PG_GETARG_INT64(3);
	int64		w;
	int			prev = 0;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(b);
	if (conv < 0 || null < 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("conversion counts must not be negative"));
	arr = PG_GETARG_ARRAYTYPE_P(1);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				errmsg("a path must be a one-dimensional array"));
	if (ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr)) == 0)
		PG_RETURN_POINTER(b);
	if (pg_add_s64_overflow(conv, null, &w))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("markov_model transition count is out of range"));

	it = array_create_iterator(arr, 0, NULL);
	while (array_iterate(it, &elem, &isnull))
	{
		text	   *t;
		int			s;

		CHECK_FOR_INTERRUPTS();
		if (isnull)
			ereport(ERROR,
					errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					errmsg("path elements must not be NULL"));
		t = DatumGetTextPP(elem);
		s = mbuild_state(b, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), aggcontext);
		mbuild_count(b, prev, s, w);
		prev = s;
	}
	array_free_iterator(it);
	mbuild_count(b, prev, MARKOV_TO_CONV, conv);
	mbuild_count(b, prev, MARKOV_TO_NULL, null);
	if (with_value && !PG_ARGISNULL(4))
	{
		double		v = PG_GETARG_FLOAT8(4);

		if (isnan(v) || isinf(v))
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("conversion value must be a finite number"));
		mbuild_add_totals(b, conv, null, v, true);
	}
	else
		mbuild_add_totals(b, conv, null, 0.0, false);
	PG_RETURN_POINTER(b);
}

PG_FUNCTION_INFO_V1(engagement_markov_trans);
Datum
engagement_markov_trans(PG_FUNCTION_ARGS)
{
	return markov_trans_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(engagement_markov_trans_value);
Datum
engagement_markov_trans_value(PG_FUNCTION_ARGS)
{
	return markov_trans_common(fcinfo, true);
}

/*
 * States of "b" for the channels of another model (names[0..n-1]): map[0] is
 * START, map[i + 1] the state of names[i].
 */
static int *
mbuild_map_names(MarkovBuild *b, int n, const char *const *names,
				 MemoryContext cxt)
{
	int		   *map = palloc(sizeof(int) * (n + 1));

	map[0] = 0;
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		map[i + 1] = mbuild_state(b, names[i], strlen(names[i]), cxt);
	}
	return map;
}

/* dst += src */
static void
mbuild_merge(MarkovBuild *dst, MarkovBuild *src, MemoryContext cxt)
{
	int		   *map = mbuild_map_names(dst, src->channels.n,
									   (const char *const *) src->channels.names,
									   cxt);
	mtrans_iterator it;
	MarkovTrans *e;

	mtrans_start_iterate(src->trans, &it);
	while ((e = mtrans_iterate(src->trans, &it)) != NULL)
	{
		int			to = MARKOV_KEY_TO(e->key);

		CHECK_FOR_INTERRUPTS();
		mbuild_count(dst, map[MARKOV_KEY_FROM(e->key)],
					 to > MARKOV_MAX_CHANNELS ? to : map[to], e->count);
	}
	mbuild_add_totals(dst, src->conversions, src->non_conversions,
					  src->value, src->has_value);
	pfree(map);
}

PG_FUNCTION_INFO_V1(engagement_markov_combine);
Datum
engagement_markov_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = eng_agg_context(fcinfo);
	MarkovBuild *dst = PG_ARGISNULL(0) ? NULL : (MarkovBuild *) PG_GETARG_POINTER(0);
	MarkovBuild *src = PG_ARGISNULL(1) ? NULL : (MarkovBuild *) PG_GETARG_POINTER(1);

	if (src == NULL)
	{
		if (dst == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(dst);
	}
	if (dst == NULL)
		dst = mbuild_new(aggcontext);
	mbuild_merge(dst, src, aggcontext);
	PG_RETURN_POINTER(dst);
}

/* Encode a build state: channels sorted by name, counts permuted. */
static MarkovData *
mbuild_encode(const MarkovBuild *b)
{
	int			n = b->channels.n;
	Size		n1 = (Size) n + 1;
	int32	   *order = palloc(sizeof(int32) * Max(n, 1));
	int32	   *rank = palloc(sizeof(int32) * Max(n, 1));
	StringInfoData names;
	MarkovData *m;
	int64	   *counts;
	Size		size;
	mtrans_iterator it;
	MarkovTrans *e;

	eng_dict_sort(&b->channels, NULL, order, rank);
	initStringInfo(&names);
	for (int i = 0; i < n; i++)
		appendBinaryStringInfo(&names, b->channels.names[order[i]],
							   strlen(b->channels.names[order[i]]) + 1);

	size = MARKOV_HDRSZ + MARKOV_NCOUNTS(n) * sizeof(int64) + names.len;
	m = palloc0(size);
	eng_init_header(&m->hdr, size, MARKOV_VERSION,
					b->has_value ? MARKOV_HAS_VALUE : 0);
	m->nchannels = n;
	m->conversions = b->conversions;
	m->non_conversions = b->non_conversions;
	m->value = b->has_value ? b->value : 0.0;
	counts = (int64 *) m->data;
	mtrans_start_iterate(b->trans, &it);
	while ((e = mtrans_iterate(b->trans, &it)) != NULL)
	{
		int			from = MARKOV_KEY_FROM(e->key);
		int			to = MARKOV_KEY_TO(e->key);
		Size		a = (from == 0) ? 0 : rank[from - 1] + 1;

		CHECK_FOR_INTERRUPTS();
		if (to == MARKOV_TO_CONV)
			counts[n1 * n1 + a] = e->count;
		else if (to == MARKOV_TO_NULL)
			counts[n1 * n1 + n1 + a] = e->count;
		else
			counts[a * n1 + rank[to - 1] + 1] = e->count;
	}
	memcpy((char *) (counts + MARKOV_NCOUNTS(n)), names.data, names.len);
	pfree(order);
	pfree(rank);
	pfree(names.data);
	return m;
}

/* A decoded, checked model. */
typedef struct Markov
{
	int			n;
	const int64 *trans;			/* (n+1) x (n+1) */
	const int64 *to_conv;		/* n+1 */
	const int64 *to_null;		/* n+1 */
	const char **names;
	int64		conversions;
	int64		non_conversions;
	double		value;
	bool		has_value;
} Markov;

static void
markov_corrupt(int code, const char *detail)
{
	ereport(ERROR,
			errcode(code),
			errmsg("invalid markov_model value"),
			errdetail("%s", detail));
}

static void
markov_decode(const MarkovData *m, Markov *mk, int code)
{
	const char *end = (const char *) m + VARSIZE(m);
	const char *p;
	Size		ncounts;

	if (VARSIZE(m) < MARKOV_HDRSZ)
		markov_corrupt(code, "The value is too short.");
	if (m->hdr.version != MARKOV_VERSION)
		ereport(ERROR,
				errcode(code),
				errmsg("unsupported markov_model format version %d", m->hdr.version),
				errdetail("This version of the extension reads format version %d.",
						  MARKOV_VERSION));
	if ((m->hdr.flags & ~MARKOV_VALID_FLAGS) != 0 || m->hdr.reserved != 0 ||
		m->reserved != 0)
		markov_corrupt(code, "Unknown flag bits are set.");
	if (m->nchannels < 0 || m->nchannels > MARKOV_MAX_CHANNELS)
		markov_corrupt(code, "The number of channels is out of range.");
	ncounts = MARKOV_NCOUNTS(m->nchannels);
	if (VARSIZE(m) < MARKOV_HDRSZ + ncounts * sizeof(int64))
		markov_corrupt(code, "The value is too short for its channels.");
	/* without values the value is +0: the text form has no place for -0 */
	if (m->conversions < 0 || m->non_conversions < 0 || isnan(m->value) ||
		isinf(m->value) ||
		(!(m->hdr.flags & MARKOV_HAS_VALUE) && (m->value != 0.0 || signbit(m->value))))
		markov_corrupt(code, "The totals are out of range.");

	mk->n = m->nchannels;
	mk->trans = (const int64 *) m->data;
	mk->to_conv = mk->trans + (Size) (mk->n + 1) * (mk->n + 1);
	mk->to_null = mk->to_conv + (mk->n + 1);
	for (Size i = 0; i < ncounts; i++)
		if (mk->trans[i] < 0)
			markov_corrupt(code, "A transition count is negative.");
	for (int i = 0; i <= mk->n; i++)
		if (mk->trans[(Size) i * (mk->n + 1)] != 0)
			markov_corrupt(code, "A transition leads back to start.");
	mk->names = palloc(sizeof(char *) * Max(mk->n, 1));
	p = (const char *) (mk->trans + ncounts);
	for (int i = 0; i < mk->n; i++)
	{
		const char *nul = memchr(p, '\0', end - p);

		if (nul == NULL || nul - p > ENG_MAX_NAME_LEN ||
			!pg_verify_mbstr(GetDatabaseEncoding(), p, nul - p, true) ||
			(i > 0 && strcmp(mk->names[i - 1], p) >= 0))
			markov_corrupt(code, "The channel names are invalid, unsorted or repeated.");
		mk->names[i] = p;
		p = nul + 1;
	}
	if (p != end)
		markov_corrupt(code, "There are bytes after the channel names.");
	mk->conversions = m->conversions;
	mk->non_conversions = m->non_conversions;
	mk->value = m->value;
	mk->has_value = (m->hdr.flags & MARKOV_HAS_VALUE) != 0;
}

static void
markov_getarg(FunctionCallInfo fcinfo, int argno, Markov *mk)
{
	MarkovData *m = (MarkovData *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	markov_decode(m, mk, ERRCODE_DATA_CORRUPTED);
}

/* add a decoded model to a build state */
static void
mbuild_add_model(MarkovBuild *b, const Markov *mk, MemoryContext cxt)
{
	int		   *map = mbuild_map_names(b, mk->n, mk->names, cxt);
	Size		n1 = (Size) mk->n + 1;

	for (Size a = 0; a < n1; a++)
	{
		CHECK_FOR_INTERRUPTS();
		for (Size c = 0; c < n1; c++)
			mbuild_count(b, map[a], map[c], mk->trans[a * n1 + c]);
		mbuild_count(b, map[a], MARKOV_TO_CONV, mk->to_conv[a]);
		mbuild_count(b, map[a], MARKOV_TO_NULL, mk->to_null[a]);
	}
	mbuild_add_totals(b, mk->conversions, mk->non_conversions, mk->value,
					  mk->has_value);
	pfree(map);
}

PG_FUNCTION_INFO_V1(engagement_markov_rollup_trans);
Datum
engagement_markov_rollup_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = eng_agg_context(fcinfo);
	MarkovBuild *b = PG_ARGISNULL(0) ? mbuild_new(aggcontext) :
		(MarkovBuild *) PG_GETARG_POINTER(0);

	if (!PG_ARGISNULL(1))
	{
		Markov		mk;

		markov_getarg(fcinfo, 1, &mk);
		mbuild_add_model(b, &mk, aggcontext);
	}
	PG_RETURN_POINTER(b);
}

PG_FUNCTION_INFO_V1(engagement_markov_serial);
Datum
engagement_markov_serial(PG_FUNCTION_ARGS)
{
	MarkovBuild *b = (MarkovBuild *) PG_GETARG_POINTER(0);

	eng_agg_context(fcinfo);
	PG_RETURN_BYTEA_P((bytea *) mbuild_encode(b));
}

PG_FUNCTION_INFO_V1(engagement_markov_deserial);
Datum
engagement_markov_deserial(PG_FUNCTION_ARGS)
{
	MarkovData *m = (MarkovData *) PG_GETARG_BYTEA_P(0);
	MarkovBuild *b = mbuild_new(CurrentMemoryContext);
	Markov		mk;

	eng_agg_context(fcinfo);
	markov_decode(m, &mk, ERRCODE_DATA_CORRUPTED);
	mbuild_add_model(b, &mk, CurrentMemoryContext);
	PG_RETURN_POINTER(b);
}

/* final: the model; NULL when no row had a path */
PG_FUNCTION_INFO_V1(engagement_markov_final);
Datum
engagement_markov_final(PG_FUNCTION_ARGS)
{
	MarkovBuild *b;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	b = (MarkovBuild *) PG_GETARG_POINTER(0);
	if (b->channels.n == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(mbuild_encode(b));
}

/*****************************************************************************
 * Text and binary I/O
 *
 *	 (v=1,conversions=4,non_conversions=1,value=12.5,
 *	  transitions=[start>"google ads" 5,"google ads">conv 3,...],
 *	  idle=["email"])
 *
 * value is present only when conversion values were given.  Channel names
 * are always double-quoted; start, conv and null are the special states.
 * idle lists the channels the model holds without any transition count
 * (paths counted with zero conversions and zero non-conversions), and is
 * left out when there are none, so that the text form holds every channel.
 *****************************************************************************/

static void
markov_append_quoted(StringInfo buf, const char *name)
{
	appendStringInfoChar(buf, '"');
	for (const char *p = name; *p; p++)
	{
		if (*p == '"')
			appendStringInfoChar(buf, '"');
		appendStringInfoChar(buf, *p);
	}
	appendStringInfoChar(buf, '"');
}

static void
markov_append_name(StringInfo buf, const Markov *mk, int state)
{
	if (state == 0)
		appendStringInfoString(buf, "start");
	else
		markov_append_quoted(buf, mk->names[state - 1]);
}

PG_FUNCTION_INFO_V1(engagement_markov_out);
Datum
engagement_markov_out(PG_FUNCTION_ARGS)
{
	Markov		mk;
	StringInfoData buf;
	bool		first = true;
	bool	   *seen;
	int			n1;

	markov_getarg(fcinfo, 0, &mk);
	n1 = mk.n + 1;
	seen = palloc0(sizeof(bool) * n1);
	initStringInfo(&buf);
	appendStringInfo(&buf, "(v=%d,conversions=" INT64_FORMAT ",non_conversions=" INT64_FORMAT,
					 MARKOV_VERSION, mk.conversions, mk.non_conversions);
	if (mk.has_value)
	{
		appendStringInfoString(&buf, ",value=");
		eng_append_float8(&buf, mk.value);
	}
	appendStringInfoString(&buf, ",transitions=[");
	for (int a = 0; a < n1; a++)
	{
		CHECK_FOR_INTERRUPTS();
		for (int c = 0; c < n1 + 2; c++)
		{
			int64		v = (c < n1) ? mk.trans[(Size) a * n1 + c] :
				(c == n1) ? mk.to_conv[a] : mk.to_null[a];

			if (v == 0)
				continue;
			if (!first)
				appendStringInfoChar(&buf, ',');
			first = false;
			seen[a] = true;
			markov_append_name(&buf, &mk, a);
			appendStringInfoChar(&buf, '>');
			if (c < n1)
			{
				seen[c] = true;
				markov_append_name(&buf, &mk, c);
			}
			else
				appendStringInfoString(&buf, c == n1 ? "conv" : "null");
			appendStringInfo(&buf, " " INT64_FORMAT, v);
		}
	}
	appendStringInfoChar(&buf, ']');
	first = true;
	for (int a = 1; a < n1; a++)
	{
		if (seen[a])
			continue;
		appendStringInfoString(&buf, first ? ",idle=[" : ",");
		first = false;
		markov_append_name(&buf, &mk, a);
	}
	if (!first)
		appendStringInfoChar(&buf, ']');
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

/* a state name: start/conv/null (returned as -1/-2/-3) or a quoted channel */
static int
markov_parse_state(EngTextCursor *c, StringInfo name)
{
	resetStringInfo(name);
	while (isspace((unsigned char) *c->p))
		c->p++;
	if (strncmp(c->p, "start", 5) == 0)
	{
		c->p += 5;
		return -1;
	}
	if (strncmp(c->p, "conv", 4) == 0)
	{
		c->p += 4;
		return -2;
	}
	if (strncmp(c->p, "null", 4) == 0)
	{
		c->p += 4;
		return -3;
	}
	if (*c->p != '"')
		eng_cursor_error(c, "Expected start, conv, null or a double-quoted channel name.");
	c->p++;
	for (;;)
	{
		if (*c->p == '\0')
			eng_cursor_error(c, "Unterminated quoted name.");
		if (*c->p == '"')
		{
			if (c->p[1] != '"')
				break;
			c->p++;
		}
		/* stop before an overlong name grows the buffer any further */
		if (name->len >= ENG_MAX_NAME_LEN)
			ereport(ERROR,
					errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					errmsg("%s names cannot be longer than %d bytes",
						   MARKOV_NAME_KIND, ENG_MAX_NAME_LEN));
		appendStringInfoChar(name, *c->p++);
	}
	c->p++;
	if (!pg_verify_mbstr(GetDatabaseEncoding(), name->data, name->len, true))
		eng_cursor_error(c, "A channel name is not valid in the database encoding.");
	return 0;
}

PG_FUNCTION_INFO_V1(engagement_markov_in);
Datum
engagement_markov_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	EngTextCursor c;
	MarkovBuild *b = mbuild_new(CurrentMemoryContext);
	StringInfoData name;
	int64		version;
	int64		conversions;
	int64		non_conversions;
	double		value = 0.0;
	bool		has_value = false;
	MarkovData *m;
	Markov		check;

	initStringInfo(&name);
	eng_cursor_init(&c, input, "markov_model");
	eng_cursor_expect(&c, '(');
	eng_cursor_expect_key(&c, "v");
	version = eng_cursor_int64(&c);
	if (version != MARKOV_VERSION)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				errmsg("unsupported markov_model format version %lld", (long long) version),
				errdetail("This version of the extension reads format version %d.",
						  MARKOV_VERSION));
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "conversions");
	conversions = eng_cursor_int64(&c);
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "non_conversions");
	non_conversions = eng_cursor_int64(&c);
	eng_cursor_expect(&c, ',');
	while (isspace((unsigned char) *c.p))
		c.p++;
	if (strncmp(c.p, "value", 5) == 0)
	{
		eng_cursor_expect_key(&c, "value");
		value = eng_cursor_float8(&c);
		has_value = true;
		eng_cursor_expect(&c, ',');
	}
	/* negative totals are refused by the check of the encoded model */
	b->conversions = conversions;
	b->non_conversions = non_conversions;
	b->value = value;
	b->has_value = has_value;
	eng_cursor_expect_key(&c, "transitions");
	eng_cursor_expect(&c, '[');
	if (!eng_cursor_accept(&c, ']'))
	{
		do
		{
			int			from = markov_parse_state(&c, &name);
			int			to;
			int64		v;

			CHECK_FOR_INTERRUPTS();
			if (from == 0)
				from = mbuild_state(b, name.data, name.len, CurrentMemoryContext);
			else if (from != -1)
				eng_cursor_error(&c, "A transition cannot start at conv or null.");
			else
				from = 0;
			eng_cursor_expect(&c, '>');
			to = markov_parse_state(&c, &name);
			if (to == 0)
				to = mbuild_state(b, name.data, name.len, CurrentMemoryContext);
			else if (to == -1)
				eng_cursor_error(&c, "A transition cannot lead to start.");
			else
				to = (to == -2) ? MARKOV_TO_CONV : MARKOV_TO_NULL;
			v = eng_cursor_int64(&c);
			if (v <= 0)
				eng_cursor_error(&c, "Transition counts must be positive.");
			mbuild_count(b, from, to, v);
		} while (eng_cursor_accept(&c, ','));
		eng_cursor_expect(&c, ']');
	}
	if (eng_cursor_accept(&c, ','))
	{
		eng_cursor_expect_key(&c, "idle");
		eng_cursor_expect(&c, '[');
		if (!eng_cursor_accept(&c, ']'))
		{
			do
			{
				CHECK_FOR_INTERRUPTS();
				if (markov_parse_state(&c, &name) != 0)
					eng_cursor_error(&c, "Only channels can be idle.");
				mbuild_state(b, name.data, name.len, CurrentMemoryContext);
			} while (eng_cursor_accept(&c, ','));
			eng_cursor_expect(&c, ']');
		}
	}
	eng_cursor_expect(&c, ')');
	eng_cursor_expect_end(&c);

	m = mbuild_encode(b);
	markov_decode(m, &check, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(m);
}

/* Binary form: the stored layout after the varlena header, big-endian. */
PG_FUNCTION_INFO_V1(engagement_markov_send);
Datum
engagement_markov_send(PG_FUNCTION_ARGS)
{
	MarkovData *m = (MarkovData *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	Markov		mk;
	StringInfoData buf;
	Size		ncounts;
	const char *names;

	markov_decode(m, &mk, ERRCODE_DATA_CORRUPTED);
	ncounts = MARKOV_NCOUNTS(mk.n);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, MARKOV_VERSION);
	pq_sendbyte(&buf, m->hdr.flags);
	pq_sendint32(&buf, mk.n);
	pq_sendint64(&buf, mk.conversions);
	pq_sendint64(&buf, mk.non_conversions);
	pq_sendfloat8(&buf, mk.value);
	for (Size i = 0; i < ncounts; i++)
		pq_sendint64(&buf, mk.trans[i]);
	names = (const char *) (mk.trans + ncounts);
	pq_sendbytes(&buf, names, ((const char *) m + VARSIZE(m)) - names);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(engagement_markov_recv);
Datum
engagement_markov_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = pq_getmsgbyte(buf);
	int			flags = pq_getmsgbyte(buf);
	int32		n = pq_getmsgint(buf, 4);
	MarkovData *m;
	Markov		check;
	Size		ncounts;
	Size		rest;
	int64	   *counts;

	if (version != MARKOV_VERSION)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				errmsg("unsupported markov_model format version %d", version),
				errdetail("This version of the extension reads format version %d.",
						  MARKOV_VERSION));
	if (n < 0 || n > MARKOV_MAX_CHANNELS)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				errmsg("invalid markov_model value"),
				errdetail("The number of channels is out of range."));
	ncounts = MARKOV_NCOUNTS(n);
	if ((Size) (buf->len - buf->cursor) < 24 + ncounts * sizeof(int64))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				errmsg("invalid markov_model value"),
				errdetail("The value is too short for its channels."));
	rest = buf->len - buf->cursor - 24 - ncounts * sizeof(int64);
	if (rest > (Size) MARKOV_MAX_CHANNELS * (ENG_MAX_NAME_LEN + 1))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				errmsg("invalid markov_model value"),
				errdetail("The channel names are too long."));
	m = palloc0(MARKOV_HDRSZ + ncounts * sizeof(int64) + rest);
	eng_init_header(&m->hdr, MARKOV_HDRSZ + ncounts * sizeof(int64) + rest,
					(uint8) version, (uint8) flags);
	m->nchannels = n;
	m->conversions = pq_getmsgint64(buf);
	m->non_conversions = pq_getmsgint64(buf);
	m->value = pq_getmsgfloat8(buf);
	counts = (int64 *) m->data;
	for (Size i = 0; i < ncounts; i++)
		counts[i] = pq_getmsgint64(buf);
	pq_copymsgbytes(buf, (char *) (counts + ncounts), rest);
	markov_decode(m, &check, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(m);
}

/*****************************************************************************
 * Removal effects
 *
 * The absorbing chain is solved by state reduction (the Grassmann, Taksar
 * and Heyman elimination).  A row holds the probabilities of leaving a
 * transient state for another transient state, conv or null, its self-loop
 * left out (a self-loop only delays the walk).  Eliminating state k adds
 * p_ik * p_kj to every p_ij and renormalises row i by the sum of its
 * entries, dropping the new self-loop p_ik * p_ki.  Only sums and products
 * of non-negative numbers occur, never a difference such as 1 - p_ii, so a
 * count near INT64_MAX next to a count of 1 keeps both their weights.
 *
 * The probability of conversion without channel c is that of reaching conv
 * from START when c absorbs like null.  Rather than one elimination per
 * channel (n^4 work), the channels are split in halves: eliminating one
 * half leaves the problems of the other half, each half recursively, which
 * costs O(n^3) in all.
 *****************************************************************************/

typedef struct MarkovChain
{
	int			m;				/* transient states; row 0 is START */
	int		   *state;			/* model state of each row */
	double	   *p;				/* m rows of m + 2: states, conv, null */
} MarkovChain;

#define MC_ROW(ch, i)	((ch)->p + (Size) (i) * ((ch)->m + 2))

static void
markov_no_exit(void)
{
	ereport(ERROR,
			errcode(ERRCODE_DATA_EXCEPTION),
			errmsg("markov_model has a channel from which no path leads to a conversion or a null"),
			errdetail("Every channel must have a transition to another state or to conv or null."));
}

/*
 * The chain of a model.  A state with no count at all (a channel seen only
 * on paths counted zero times) is a dead end and absorbs like null; a state
 * from which no sequence of transitions reaches conv, null or a dead end
 * would trap the walk forever and is refused.
 */
static MarkovChain *
mchain_build(const Markov *mk)
{
	MarkovChain *ch = palloc(sizeof(MarkovChain));
	int			m = mk->n + 1;
	int			w = m + 2;
	bool	   *exits = palloc0(sizeof(bool) * m);
	int		   *queue = palloc(sizeof(int) * m);
	int			nqueue = 0;

	ch->m = m;
	ch->state = palloc(sizeof(int) * m);
	ch->p = palloc0(sizeof(double) * m * w);
	for (int i = 0; i < m; i++)
	{
		double	   *row = MC_ROW(ch, i);
		double		sum = 0.0;

		CHECK_FOR_INTERRUPTS();
		ch->state[i] = i;
		for (int j = 0; j < m; j++)
			if (j != i)
				row[j] = (double) mk->trans[(Size) i * m + j];
		row[m] = (double) mk->to_conv[i];
		row[m + 1] = (double) mk->to_null[i];
		for (int j = 0; j < w; j++)
			sum += row[j];
		if (sum > 0.0)
		{
			for (int j = 0; j < w; j++)
				row[j] /= sum;
		}
		else if (mk->trans[(Size) i * m + i] == 0)
			row[m + 1] = 1.0;	/* a dead end */
		if (row[m] > 0.0 || row[m + 1] > 0.0)
		{
			exits[i] = true;
			queue[nqueue++] = i;
		}
	}

	/* every state must reach an exit: search backwards from the exits */
	for (int q = 0; q < nqueue; q++)
	{
		int			j = queue[q];

		CHECK_FOR_INTERRUPTS();
		for (int i = 0; i < m; i++)
			if (!exits[i] && MC_ROW(ch, i)[j] > 0.0)
			{
				exits[i] = true;
				queue[nqueue++] = i;
			}
	}
	if (nqueue < m)
		markov_no_exit();
	pfree(exits);
	pfree(queue);
	return ch;
}

/* eliminate row k; rows with gone[i] set were eliminated before */
static void
mchain_eliminate(MarkovChain *ch, int k, const bool *gone)
{
	int			w = ch->m + 2;
	const double *pk = MC_ROW(ch, k);

	for (int i = 0; i < ch->m; i++)
	{
		double	   *pi = MC_ROW(ch, i);
		double		f = pi[k];
		double		sum = 0.0;

		CHECK_FOR_INTERRUPTS();
		if (i == k || gone[i] || f == 0.0)
			continue;
		pi[k] = 0.0;
		for (int j = 0; j < w; j++)
		{
			if (j == i)
				continue;
			pi[j] += f * pk[j];
			sum += pi[j];
		}
		pi[i] = 0.0;
		/* no trap is left, so only an underflow can empty the row */
		if (!(sum > 0.0))
			ereport(ERROR,
					errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					errmsg("markov_model transition probabilities are too small to represent"));
		for (int j = 0; j < w; j++)
			pi[j] /= sum;
	}
}

/*
 * A new chain of the rows of "ch" with keep[i] set (keep[0] must be set):
 * the others are eliminated.
 */
static MarkovChain *
mchain_reduce(const MarkovChain *ch, const bool *keep)
{
	MarkovChain work = *ch;
	MarkovChain *res = palloc(sizeof(MarkovChain));
	bool	   *gone = palloc0(sizeof(bool) * ch->m);
	int			wold = ch->m + 2;
	int			r = 0;

	work.p = palloc(sizeof(double) * ch->m * wold);
	memcpy(work.p, ch->p, sizeof(double) * ch->m * wold);
	for (int k = 1; k < ch->m; k++)
		if (!keep[k])
		{
			mchain_eliminate(&work, k, gone);
			gone[k] = true;
		}

	res->m = 0;
	for (int i = 0; i < ch->m; i++)
		res->m += keep[i];
	res->state = palloc(sizeof(int) * res->m);
	res->p = palloc(sizeof(double) * res->m * (res->m + 2));
	for (int i = 0; i < ch->m; i++)
	{
		const double *src = MC_ROW(&work, i);
		double	   *dst;
		int			c = 0;

		if (!keep[i])
			continue;
		res->state[r] = ch->state[i];
		dst = MC_ROW(res, r);
		for (int j = 0; j < ch->m; j++)
			if (keep[j])
				dst[c++] = src[j];
		dst[c++] = src[ch->m];
		dst[c] = src[ch->m + 1];
		r++;
	}
	pfree(work.p);
	pfree(gone);
	return res;
}

static void
mchain_free(MarkovChain *ch)
{
	pfree(ch->state);
	pfree(ch->p);
	pfree(ch);
}

/*
 * Probability of conv from START, the rows 1..m-1 left in the chain
 * absorbing like null.
 */
static double
mchain_p_start(const MarkovChain *ch)
{
	const double *p0 = MC_ROW(ch, 0);
	double		sum = 0.0;

	for (int j = 1; j < ch->m + 2; j++)
		sum += p0[j];
	return sum > 0.0 ? p0[ch->m] / sum : 0.0;
}

/* P(conv) of the whole model */
static double
mchain_p_conv(const MarkovChain *ch)
{
	bool	   *keep = palloc0(sizeof(bool) * ch->m);
	MarkovChain *start;
	double		p;

	keep[0] = true;
	start = mchain_reduce(ch, keep);
	p = mchain_p_start(start);
	mchain_free(start);
	pfree(keep);
	return p;
}

/*
 * p_without[s - 1] = P(conv) with channel s removed, for every channel s in
 * rows 1..m-1 of "ch" (every other channel is already eliminated).
 */
static void
mchain_p_without(const MarkovChain *ch, double *p_without)
{
	int			half = (ch->m - 1) / 2;
	bool	   *keep;

	CHECK_FOR_INTERRUPTS();
	if (ch->m < 2)
		return;
	if (ch->m == 2)
	{
		p_without[ch->state[1] - 1] = mchain_p_start(ch);
		return;
	}
	keep = palloc(sizeof(bool) * ch->m);
	for (int part = 0; part < 2; part++)
	{
		MarkovChain *sub;

		keep[0] = true;
		for (int i = 1; i < ch->m; i++)
			keep[i] = (part == 0) == (i <= half);
		sub = mchain_reduce(ch, keep);
		mchain_p_without(sub, p_without);
		mchain_free(sub);
	}
	pfree(keep);
}

PG_FUNCTION_INFO_V1(engagement_markov_p_conversion);
Datum
engagement_markov_p_conversion(PG_FUNCTION_ARGS)
{
	Markov		mk;

	markov_getarg(fcinfo, 0, &mk);
	PG_RETURN_DATUM(attr_float8(mchain_p_conv(mchain_build(&mk))));
}

/*
 * removal_effects(markov_model) -> SETOF (channel, removal_effect, share,
 * conversions, value)
 */
PG_FUNCTION_INFO_V1(engagement_removal_effects);
Datum
engagement_removal_effects(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Markov		mk;
	MarkovChain *ch;
	double	   *re;
	double		p;
	double		total = 0.0;

	InitMaterializedSRF(fcinfo, 0);
	markov_getarg(fcinfo, 0, &mk);
	ch = mchain_build(&mk);
	p = mchain_p_conv(ch);
	re = palloc0(sizeof(double) * Max(mk.n, 1));
	if (p > 0.0)
	{
		mchain_p_without(ch, re);
		for (int c = 0; c < mk.n; c++)
		{
			re[c] = 1.0 - re[c] / p;
			/* rounding can leave -1e-17 for a channel that changes nothing */
			if (re[c] < 0.0)
				re[c] = 0.0;
			total += re[c];
		}
	}

	for (int c = 0; c < mk.n; c++)
	{
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		CHECK_FOR_INTERRUPTS();
		values[0] = PointerGetDatum(cstring_to_text(mk.names[c]));
		if (p > 0.0)
			values[1] = attr_float8(re[c]);
		else
			nulls[1] = true;
		if (total > 0.0)
		{
			values[2] = attr_float8(re[c] / total);
			values[3] = attr_float8((double) mk.conversions * re[c] / total);
			if (mk.has_value)
				values[4] = attr_float8(mk.value * re[c] / total);
			else
				nulls[4] = true;
		}
		else
			nulls[2] = nulls[3] = nulls[4] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*****************************************************************************
 * Exact Shapley attribution over path summaries
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
 *****************************************************************************/

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
	 * One pass over the three arrays with iterators (nothing is allocated
	 * per path): the channel set of each path, its conversions and all its
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
