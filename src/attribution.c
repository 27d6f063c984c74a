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
 * are solved exactly: (I - Q) x = r by Gaussian elimination.
 *
 * IDENTIFICATION
 *	  src/attribution.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include <math.h>

#include "catalog/pg_type.h"
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

	InitMaterializedSRF(fcinfo, 0);
	eng_journey_get(PG_GETARG_DATUM(0), &j);

	/* touches that count: those up to the conversion */
	k = j.n;
	if (with_conv)
	{
		TimestampTz conv_at = PG_GETARG_TIMESTAMPTZ(3);

		while (k > 0 && j.ts[k - 1] > conv_at)
			k--;
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
				touch_credit[i] = 1.0 / k;
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
					touch_credit[i] = exp2(-((double) (j.ts[k - 1] - j.ts[i])) /
										   (double) half_life);
					sum += touch_credit[i];
				}
				for (int i = 0; i < k; i++)
					touch_credit[i] /= sum;
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
					touch_credit[i] = 0.2 / (k - 2);
			}
			break;
	}

	channel_credit = palloc0(sizeof(double) * j.nchannels);
	for (int i = 0; i < k; i++)
		channel_credit[j.ch[i]] += touch_credit[i];
	/* the channel dictionary is sorted: rows come out ordered by channel */
	for (int c = 0; c < j.nchannels; c++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};
		bool		used = false;

		for (int i = 0; i < k && !used; i++)
			used = (j.ch[i] == c);
		if (!used)
			continue;
		values[0] = PointerGetDatum(cstring_to_text(j.channels[c]));
		values[1] = Float8GetDatum(channel_credit[c]);
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
 * Counts between the transient states: index 0 is START, i > 0 is channel
 * i - 1 of the dictionary.  trans is cap x cap (row: from, column: to).
 */
typedef struct MarkovBuild
{
	EngDict		channels;
	int			cap;			/* allocated states (START + channels) */
	int64	   *trans;
	int64	   *to_conv;
	int64	   *to_null;
	int64		conversions;	/* total conversions */
	int64		non_conversions;
	double		value;			/* total conversion value */
	bool		has_value;
} MarkovBuild;

/* Stored model: header, then names, then counts in sorted channel order. */
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
	return MemoryContextAllocZero(cxt, sizeof(MarkovBuild));
}

/* make room for "states" transient states */
static void
mbuild_reserve(MarkovBuild *b, int states, MemoryContext cxt)
{
	int			cap;
	int64	   *trans;
	int64	   *to_conv;
	int64	   *to_null;

	if (states <= b->cap)
		return;
	cap = Max(8, b->cap);
	while (cap < states)
		cap *= 2;
	trans = MemoryContextAllocZero(cxt, sizeof(int64) * cap * cap);
	to_conv = MemoryContextAllocZero(cxt, sizeof(int64) * cap);
	to_null = MemoryContextAllocZero(cxt, sizeof(int64) * cap);
	for (int i = 0; i < b->cap; i++)
	{
		memcpy(trans + (Size) i * cap, b->trans + (Size) i * b->cap,
			   sizeof(int64) * b->cap);
		to_conv[i] = b->to_conv[i];
		to_null[i] = b->to_null[i];
	}
	if (b->trans)
	{
		pfree(b->trans);
		pfree(b->to_conv);
		pfree(b->to_null);
	}
	b->trans = trans;
	b->to_conv = to_conv;
	b->to_null = to_null;
	b->cap = cap;
}

static inline void
markov_add(int64 *counter, int64 w)
{
	if (pg_add_s64_overflow(*counter, w, counter))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("markov_model transition count is out of range"));
}

/* state index (1-based channel) of a name */
static int
mbuild_state(MarkovBuild *b, const char *name, int len, MemoryContext cxt)
{
	int			c = eng_dict_lookup(&b->channels, name, len, MARKOV_MAX_CHANNELS,
									MARKOV_NAME_KIND, cxt);

	mbuild_reserve(b, c + 2, cxt);
	return c + 1;
}

/*
 * markov_agg(path, conversions, non_conversions [, conversion_value])
 * transition.  Rows with a NULL or empty path are skipped; NULL counts are
 * 0, a NULL value adds nothing; path elements must not be NULL.
 */
static Datum
markov_trans_common(FunctionCallInfo fcinfo, bool with_value)
{
	MemoryContext aggcontext = eng_agg_context(fcinfo, "markov_agg");
	MarkovBuild *b = PG_ARGISNULL(0) ? mbuild_new(aggcontext) :
		(MarkovBuild *) PG_GETARG_POINTER(0);
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int64		conv = PG_ARGISNULL(2) ? 0 : PG_GETARG_INT64(2);
	int64		null = PG_ARGISNULL(3) ? 0 : PG_GETARG_INT64(3);
	int64		w;
	int			prev = 0;

	mbuild_reserve(b, 1, aggcontext);
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
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	if (n == 0)
		PG_RETURN_POINTER(b);
	if (pg_add_s64_overflow(conv, null, &w))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("markov_model transition count is out of range"));

	for (int i = 0; i < n; i++)
	{
		text	   *t;
		int			s;

		if (nulls[i])
			ereport(ERROR,
					errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					errmsg("path elements must not be NULL"));
		t = DatumGetTextPP(elems[i]);
		s = mbuild_state(b, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), aggcontext);
		markov_add(&b->trans[(Size) prev * b->cap + s], w);
		prev = s;
	}
	markov_add(&b->to_conv[prev], conv);
	markov_add(&b->to_null[prev], null);
	markov_add(&b->conversions, conv);
	markov_add(&b->non_conversions, null);
	if (with_value && !PG_ARGISNULL(4))
	{
		double		v = PG_GETARG_FLOAT8(4);

		if (isnan(v) || isinf(v))
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("conversion value must be a finite number"));
		b->value += v;
		b->has_value = true;
	}
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
 * b += counts of another model: n channels named names[], transition counts
 * in rows of "stride" entries (state 0 = start), channels matched by name.
 */
static void
mbuild_add_counts(MarkovBuild *b, int n, const char *const *names,
				  const int64 *trans, Size stride, const int64 *to_conv,
				  const int64 *to_null, int64 conversions, int64 non_conversions,
				  double value, bool has_value, MemoryContext cxt)
{
	int		   *map = palloc(sizeof(int) * (n + 1));

	mbuild_reserve(b, 1, cxt);
	map[0] = 0;
	for (int i = 0; i < n; i++)
		map[i + 1] = mbuild_state(b, names[i], strlen(names[i]), cxt);
	for (int a = 0; a <= n; a++)
	{
		for (int c = 0; c <= n; c++)
		{
			int64		v = trans[(Size) a * stride + c];

			if (v != 0)
				markov_add(&b->trans[(Size) map[a] * b->cap + map[c]], v);
		}
		markov_add(&b->to_conv[map[a]], to_conv[a]);
		markov_add(&b->to_null[map[a]], to_null[a]);
	}
	markov_add(&b->conversions, conversions);
	markov_add(&b->non_conversions, non_conversions);
	b->value += value;
	b->has_value |= has_value;
	pfree(map);
}

/* dst += src */
static void
mbuild_merge(MarkovBuild *dst, const MarkovBuild *src, MemoryContext cxt)
{
	mbuild_add_counts(dst, src->channels.n, (const char *const *) src->channels.names,
					  src->trans, src->cap, src->to_conv, src->to_null,
					  src->conversions, src->non_conversions, src->value,
					  src->has_value, cxt);
}

PG_FUNCTION_INFO_V1(engagement_markov_combine);
Datum
engagement_markov_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = eng_agg_context(fcinfo, "markov_combine");
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
	if (src->cap > 0)
		mbuild_merge(dst, src, aggcontext);
	PG_RETURN_POINTER(dst);
}

/* Encode a build state: channels sorted by name, counts permuted. */
static MarkovData *
mbuild_encode(const MarkovBuild *b)
{
	int			n = b->channels.n;
	int32	   *order = palloc(sizeof(int32) * Max(n, 1));
	int32	   *rank = palloc(sizeof(int32) * Max(n, 1));
	int		   *st = palloc(sizeof(int) * (n + 1));	/* new -> old state */
	StringInfoData names;
	MarkovData *m;
	int64	   *counts;
	Size		size;

	eng_dict_sort(&b->channels, NULL, order, rank);
	st[0] = 0;
	for (int i = 0; i < n; i++)
		st[i + 1] = order[i] + 1;
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
	for (int a = 0; a <= n; a++)
		for (int c = 0; c <= n; c++)
			counts[(Size) a * (n + 1) + c] =
				b->cap ? b->trans[(Size) st[a] * b->cap + st[c]] : 0;
	for (int a = 0; a <= n; a++)
	{
		counts[(Size) (n + 1) * (n + 1) + a] = b->cap ? b->to_conv[st[a]] : 0;
		counts[(Size) (n + 1) * (n + 1) + (n + 1) + a] = b->cap ? b->to_null[st[a]] : 0;
	}
	memcpy((char *) (counts + MARKOV_NCOUNTS(n)), names.data, names.len);
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
	if (m->conversions < 0 || m->non_conversions < 0 || isnan(m->value) ||
		isinf(m->value) || (!(m->hdr.flags & MARKOV_HAS_VALUE) && m->value != 0.0))
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
	mbuild_add_counts(b, mk->n, mk->names, mk->trans, mk->n + 1, mk->to_conv,
					  mk->to_null, mk->conversions, mk->non_conversions,
					  mk->value, mk->has_value, cxt);
}

PG_FUNCTION_INFO_V1(engagement_markov_rollup_trans);
Datum
engagement_markov_rollup_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = eng_agg_context(fcinfo, "rollup(markov_model)");
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

	eng_agg_context(fcinfo, "markov_serial");
	PG_RETURN_BYTEA_P((bytea *) mbuild_encode(b));
}

PG_FUNCTION_INFO_V1(engagement_markov_deserial);
Datum
engagement_markov_deserial(PG_FUNCTION_ARGS)
{
	MarkovData *m = (MarkovData *) PG_GETARG_BYTEA_P(0);
	MarkovBuild *b = mbuild_new(CurrentMemoryContext);
	Markov		mk;

	eng_agg_context(fcinfo, "markov_deserial");
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
 *	  transitions=[start>"google ads" 5,"google ads">conv 3,...])
 *
 * value is present only when conversion values were given.  Channel names
 * are always double-quoted; start, conv and null are the special states.
 *****************************************************************************/

static void
markov_append_name(StringInfo buf, const Markov *mk, int state)
{
	if (state == 0)
	{
		appendStringInfoString(buf, "start");
		return;
	}
	appendStringInfoChar(buf, '"');
	for (const char *p = mk->names[state - 1]; *p; p++)
	{
		if (*p == '"')
			appendStringInfoChar(buf, '"');
		appendStringInfoChar(buf, *p);
	}
	appendStringInfoChar(buf, '"');
}

PG_FUNCTION_INFO_V1(engagement_markov_out);
Datum
engagement_markov_out(PG_FUNCTION_ARGS)
{
	Markov		mk;
	StringInfoData buf;
	bool		first = true;
	int			n1;

	markov_getarg(fcinfo, 0, &mk);
	n1 = mk.n + 1;
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
		for (int c = 0; c < n1 + 2; c++)
		{
			int64		v = (c < n1) ? mk.trans[(Size) a * n1 + c] :
				(c == n1) ? mk.to_conv[a] : mk.to_null[a];

			if (v == 0)
				continue;
			if (!first)
				appendStringInfoChar(&buf, ',');
			first = false;
			markov_append_name(&buf, &mk, a);
			appendStringInfoChar(&buf, '>');
			if (c < n1)
				markov_append_name(&buf, &mk, c);
			else
				appendStringInfoString(&buf, c == n1 ? "conv" : "null");
			appendStringInfo(&buf, " " INT64_FORMAT, v);
		}
	}
	appendStringInfoString(&buf, "])");
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
	MarkovData *m;
	Markov		check;

	initStringInfo(&name);
	mbuild_reserve(b, 1, CurrentMemoryContext);
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
	b->conversions = eng_cursor_int64(&c);
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "non_conversions");
	b->non_conversions = eng_cursor_int64(&c);
	eng_cursor_expect(&c, ',');
	while (isspace((unsigned char) *c.p))
		c.p++;
	if (strncmp(c.p, "value", 5) == 0)
	{
		eng_cursor_expect_key(&c, "value");
		b->value = eng_cursor_float8(&c);
		b->has_value = true;
		eng_cursor_expect(&c, ',');
	}
	eng_cursor_expect_key(&c, "transitions");
	eng_cursor_expect(&c, '[');
	if (!eng_cursor_accept(&c, ']'))
	{
		do
		{
			int			from = markov_parse_state(&c, &name);
			int			to;
			int64		v;

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
			v = eng_cursor_int64(&c);
			if (v <= 0)
				eng_cursor_error(&c, "Transition counts must be positive.");
			if (to > 0)
				markov_add(&b->trans[(Size) from * b->cap + to], v);
			else if (to == -2)
				markov_add(&b->to_conv[from], v);
			else
				markov_add(&b->to_null[from], v);
		} while (eng_cursor_accept(&c, ','));
		eng_cursor_expect(&c, ']');
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
 *****************************************************************************/

/*
 * Probability of absorption in CONV from START, with the states in
 * "removed" (may be NULL) turned into NULL: solve (I - Q) x = r over the
 * transient states by Gaussian elimination with partial pivoting.
 */
static double
markov_p_conv(const Markov *mk, const double *rowsum, int removed)
{
	int			n1 = mk->n + 1;
	double	   *a = palloc(sizeof(double) * n1 * n1);
	double	   *x = palloc(sizeof(double) * n1);
	double		result;

	for (int i = 0; i < n1; i++)
	{
		for (int j = 0; j < n1; j++)
			a[i * n1 + j] = (i == j) ? 1.0 : 0.0;
		x[i] = 0.0;
		/* a removed state, or one never left, absorbs nothing */
		if (i == removed || rowsum[i] <= 0.0)
			continue;
		for (int j = 0; j < n1; j++)
			if (j != removed)
				a[i * n1 + j] -= (double) mk->trans[(Size) i * n1 + j] / rowsum[i];
		x[i] = (double) mk->to_conv[i] / rowsum[i];
	}

	for (int col = 0; col < n1; col++)
	{
		int			piv = col;

		CHECK_FOR_INTERRUPTS();
		for (int i = col + 1; i < n1; i++)
			if (fabs(a[i * n1 + col]) > fabs(a[piv * n1 + col]))
				piv = i;
		if (fabs(a[piv * n1 + col]) < 1e-300)
			ereport(ERROR,
					errcode(ERRCODE_DATA_EXCEPTION),
					errmsg("markov_model has a channel from which no path leads to a conversion or a null"),
					errdetail("Every channel must have a transition to another state or to conv or null."));
		if (piv != col)
		{
			for (int j = 0; j < n1; j++)
			{
				double		t = a[col * n1 + j];

				a[col * n1 + j] = a[piv * n1 + j];
				a[piv * n1 + j] = t;
			}
			{
				double		t = x[col];

				x[col] = x[piv];
				x[piv] = t;
			}
		}
		for (int i = col + 1; i < n1; i++)
		{
			double		f = a[i * n1 + col] / a[col * n1 + col];

			if (f == 0.0)
				continue;
			for (int j = col; j < n1; j++)
				a[i * n1 + j] -= f * a[col * n1 + j];
			x[i] -= f * x[col];
		}
	}
	for (int i = n1 - 1; i >= 0; i--)
	{
		double		s = x[i];

		for (int j = i + 1; j < n1; j++)
			s -= a[i * n1 + j] * x[j];
		x[i] = s / a[i * n1 + i];
	}
	result = x[0];
	pfree(a);
	pfree(x);
	return result;
}

PG_FUNCTION_INFO_V1(engagement_markov_p_conversion);
Datum
engagement_markov_p_conversion(PG_FUNCTION_ARGS)
{
	Markov		mk;
	double	   *rowsum;
	int			n1;

	markov_getarg(fcinfo, 0, &mk);
	n1 = mk.n + 1;
	rowsum = palloc0(sizeof(double) * n1);
	for (int i = 0; i < n1; i++)
	{
		for (int j = 0; j < n1; j++)
			rowsum[i] += (double) mk.trans[(Size) i * n1 + j];
		rowsum[i] += (double) mk.to_conv[i] + (double) mk.to_null[i];
	}
	PG_RETURN_FLOAT8(markov_p_conv(&mk, rowsum, -1));
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
	double	   *rowsum;
	double	   *re;
	double		p;
	double		total = 0.0;
	int			n1;

	InitMaterializedSRF(fcinfo, 0);
	markov_getarg(fcinfo, 0, &mk);
	n1 = mk.n + 1;
	rowsum = palloc0(sizeof(double) * n1);
	for (int i = 0; i < n1; i++)
	{
		for (int j = 0; j < n1; j++)
			rowsum[i] += (double) mk.trans[(Size) i * n1 + j];
		rowsum[i] += (double) mk.to_conv[i] + (double) mk.to_null[i];
	}
	p = markov_p_conv(&mk, rowsum, -1);
	re = palloc0(sizeof(double) * Max(mk.n, 1));
	for (int c = 0; c < mk.n; c++)
	{
		if (p > 0.0)
		{
			re[c] = 1.0 - markov_p_conv(&mk, rowsum, c + 1) / p;
			/* rounding can leave -1e-17 for a channel that changes nothing */
			if (re[c] < 0.0)
				re[c] = 0.0;
		}
		total += re[c];
	}

	for (int c = 0; c < mk.n; c++)
	{
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		values[0] = PointerGetDatum(cstring_to_text(mk.names[c]));
		if (p > 0.0)
			values[1] = Float8GetDatum(re[c]);
		else
			nulls[1] = true;
		if (total > 0.0)
		{
			values[2] = Float8GetDatum(re[c] / total);
			values[3] = Float8GetDatum((double) mk.conversions * re[c] / total);
			if (mk.has_value)
				values[4] = Float8GetDatum(mk.value * re[c] / total);
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
	bool		rate;
	Datum	   *pd,
			   *cd,
			   *nd;
	bool	   *pn,
			   *cn,
			   *nn;
	int			np,
				nc,
				nnull;
	EngDict		dict;
	uint32	   *masks;
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

	deconstruct_array(paths, TEXTOID, -1, false, TYPALIGN_INT, &pd, &pn, &np);
	deconstruct_array(convs, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &cd, &cn, &nc);
	deconstruct_array(nulls_arr, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &nd, &nn, &nnull);
	if (np != nc || np != nnull)
		ereport(ERROR,
				errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				errmsg("paths, conversions and non_conversions must have the same length"));

	InitMaterializedSRF(fcinfo, 0);

	/* channel sets of the paths */
	memset(&dict, 0, sizeof(dict));
	masks = palloc0(sizeof(uint32) * Max(np, 1));
	for (int i = 0; i < np; i++)
	{
		char	   *path;
		char	   *p;
		size_t		seplen = strlen(sep);

		if (pn[i])
			continue;
		path = TextDatumGetCString(pd[i]);
		p = path;
		for (;;)
		{
			char	   *next = strstr(p, sep);
			int			len = next ? (int) (next - p) : (int) strlen(p);
			int			c;

			if (len > 0)
			{
				c = eng_dict_lookup(&dict, p, len, SHAPLEY_MAX_CHANNELS,
									"Shapley attribution channel", CurrentMemoryContext);
				masks[i] |= ((uint32) 1) << c;
			}
			if (next == NULL)
				break;
			p = next + seplen;
		}
		if ((!cn[i] && DatumGetInt64(cd[i]) < 0) || (!nn[i] && DatumGetInt64(nd[i]) < 0))
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("conversion counts must not be negative"));
	}
	if (dict.n == 0)
		return (Datum) 0;

	/* conversions and all journeys per exact channel set, then subset sums */
	nsets = (Size) 1 << dict.n;
	conv_sum = palloc0(sizeof(double) * nsets);
	all_sum = palloc0(sizeof(double) * nsets);
	for (int i = 0; i < np; i++)
	{
		double		c = cn[i] ? 0.0 : (double) DatumGetInt64(cd[i]);
		double		n = nn[i] ? 0.0 : (double) DatumGetInt64(nd[i]);

		if (pn[i] || masks[i] == 0)
			continue;
		conv_sum[masks[i]] += c;
		all_sum[masks[i]] += c + n;
		total_conv += c;
	}
	for (int b = 0; b < dict.n; b++)
	{
		CHECK_FOR_INTERRUPTS();
		for (Size s = 0; s < nsets; s++)
			if (s & ((Size) 1 << b))
			{
				conv_sum[s] += conv_sum[s ^ ((Size) 1 << b)];
				all_sum[s] += all_sum[s ^ ((Size) 1 << b)];
			}
	}
	/* v(S), in place of conv_sum */
	if (rate)
		for (Size s = 0; s < nsets; s++)
			conv_sum[s] = (all_sum[s] > 0.0) ? conv_sum[s] / all_sum[s] : 0.0;

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
		values[1] = Float8GetDatum(phi[i]);
		if (phi_total != 0.0)
		{
			values[2] = Float8GetDatum(phi[i] / phi_total);
			values[3] = Float8GetDatum(total_conv * phi[i] / phi_total);
		}
		else
			nulls[2] = nulls[3] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
