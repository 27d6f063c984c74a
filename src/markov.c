/*-------------------------------------------------------------------------
 *
 * markov.c
 *	  The first-order Markov attribution model: the markov_model type built
 *	  by markov_agg() and rollup(), its text and binary forms, and
 *	  conversion_probability() and removal_effects(), computed exactly on the
 *	  absorbing chain.
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
 *	  src/markov.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include <math.h>

#include "attribution.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/tuplestore.h"

#define MARKOV_VERSION			1
#define MARKOV_HAS_VALUE		0x01	/* conversion values were given */
#define MARKOV_VALID_FLAGS		MARKOV_HAS_VALUE
#define MARKOV_MAX_CHANNELS		256
#define MARKOV_NAME_KIND		"attribution channel"

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

/*
 * The binary form, after its version byte, and the serial form of a working
 * state: the flag byte, the channel count, the totals, the counts and the
 * names, as stored (integers and floats in network byte order).
 */
#define MARKOV_WIRE_TOTALS	(8 + 8 + 8) /* conversions, non_conversions, value */

/* the counts and names that follow have no fixed size per channel */
static const EngRecordCount markov_wire_channels = {
	"markov_model", "channels", 0, MARKOV_MAX_CHANNELS, 0, false
};

/* complete a zeroed working state */
static void
mbuild_init(void *state, MemoryContext cxt)
{
	MarkovBuild *b = state;

	b->trans = mtrans_create(cxt, 16, NULL);
}

static MarkovBuild *
mbuild_new(MemoryContext cxt)
{
	MarkovBuild *b = MemoryContextAllocZero(cxt, sizeof(MarkovBuild));

	mbuild_init(b, cxt);
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
mbuild_merge(void *dst, const void *src, MemoryContext cxt)
{
	const MarkovBuild *from = src;
	int		   *map = mbuild_map_names(dst, from->channels.n,
									   (const char *const *) from->channels.names,
									   cxt);
	mtrans_iterator it;
	MarkovTrans *e;

	mtrans_start_iterate(from->trans, &it);
	while ((e = mtrans_iterate(from->trans, &it)) != NULL)
	{
		int			to = MARKOV_KEY_TO(e->key);

		CHECK_FOR_INTERRUPTS();
		mbuild_count(dst, map[MARKOV_KEY_FROM(e->key)],
					 to > MARKOV_MAX_CHANNELS ? to : map[to], e->count);
	}
	mbuild_add_totals(dst, from->conversions, from->non_conversions,
					  from->value, from->has_value);
	pfree(map);
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
markov_decode(const MarkovData *m, Markov *mk, EngSource src)
{
	int			code = eng_source_errcode(src);
	const char *end = (const char *) m + VARSIZE(m);
	const char *p;
	Size		ncounts;

	eng_check_state(&m->hdr, MARKOV_HDRSZ, MARKOV_VERSION, MARKOV_VALID_FLAGS,
					"markov_model", src);
	if (m->reserved != 0)
		markov_corrupt(code, "A reserved field is not zero.");
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

	markov_decode(m, mk, ENG_STORED);
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

/* The binary form of a checked model after its version byte. */
static void
markov_send_body(StringInfo buf, const MarkovData *m)
{
	const int64 *counts = (const int64 *) m->data;
	Size		ncounts = MARKOV_NCOUNTS(m->nchannels);
	const char *names = (const char *) (counts + ncounts);

	pq_sendbyte(buf, m->hdr.flags);
	pq_sendint32(buf, m->nchannels);
	pq_sendint64(buf, m->conversions);
	pq_sendint64(buf, m->non_conversions);
	pq_sendfloat8(buf, m->value);
	for (Size i = 0; i < ncounts; i++)
		pq_sendint64(buf, counts[i]);
	pq_sendbytes(buf, names, ((const char *) m + VARSIZE(m)) - names);
}

/*
 * Read what markov_send_body() wrote (the names take the rest of the
 * buffer) into a new value, and decode and check it into *mk.
 */
static MarkovData *
markov_recv_body(StringInfo buf, EngSource src, Markov *mk)
{
	int			flags = pq_getmsgbyte(buf);
	int32		n = eng_recv_count(buf, &markov_wire_channels, src);
	Size		ncounts = MARKOV_NCOUNTS(n);
	Size		fixed = MARKOV_WIRE_TOTALS + ncounts * sizeof(int64);
	Size		rest;
	Size		size;
	MarkovData *m;
	int64	   *counts;

	if ((Size) (buf->len - buf->cursor) < fixed)
		markov_corrupt(eng_source_errcode(src),
					   "The value is too short for its channels.");
	rest = buf->len - buf->cursor - fixed;
	if (rest > (Size) MARKOV_MAX_CHANNELS * (ENG_MAX_NAME_LEN + 1))
		markov_corrupt(eng_source_errcode(src),
					   "The channel names are too long.");
	size = MARKOV_HDRSZ + ncounts * sizeof(int64) + rest;
	m = palloc0(size);
	eng_init_header(&m->hdr, size, MARKOV_VERSION, (uint8) flags);
	m->nchannels = n;
	m->conversions = pq_getmsgint64(buf);
	m->non_conversions = pq_getmsgint64(buf);
	m->value = pq_getmsgfloat8(buf);
	counts = (int64 *) m->data;
	for (Size i = 0; i < ncounts; i++)
		counts[i] = pq_getmsgint64(buf);
	pq_copymsgbytes(buf, (char *) (counts + ncounts), rest);
	markov_decode(m, mk, src);
	return m;
}

/*
 * The working state through the state skeleton: its serial form is the
 * binary form of the model it would give, without the version byte.
 */
static void
markov_serialize(StringInfo buf, const void *state)
{
	MarkovData *m = mbuild_encode(state);

	markov_send_body(buf, m);
	pfree(m);
}

static void
markov_deserialize(StringInfo buf, void *state, MemoryContext cxt)
{
	Markov		mk;
	MarkovData *m = markov_recv_body(buf, ENG_STORED, &mk);

	mbuild_add_model(state, &mk, cxt);
	pfree(mk.names);
	pfree(m);
}

/* rollup(): add the stored model in argument argno */
static void
markov_add_arg(void *state, FunctionCallInfo fcinfo, int argno,
			   MemoryContext cxt)
{
	Markov		mk;

	markov_getarg(fcinfo, argno, &mk);
	mbuild_add_model(state, &mk, cxt);
}

static Datum
markov_finish(void *state)
{
	PG_RETURN_POINTER(mbuild_encode(state));
}

static const EngBuildOps markov_build_ops = {
	.typname = "markov_model",
	.size = sizeof(MarkovBuild),
	.init = mbuild_init,
	.merge = mbuild_merge,
	.serialize = markov_serialize,
	.deserialize = markov_deserialize,
	.add_arg = markov_add_arg,
	.finish = markov_finish,
};

/*****************************************************************************
 * Aggregates: markov_agg(path, conversions, non_conversions [, value]) and
 * rollup(markov_model)
 *****************************************************************************/

/*
 * markov_agg(path, conversions, non_conversions [, conversion_value])
 * transition.  Rows with a NULL or empty path are skipped; NULL counts are
 * 0, a NULL value adds nothing; path elements must not be NULL.  The path
 * is walked with an array iterator: nothing is allocated per element.
 */
static Datum
markov_trans_common(FunctionCallInfo fcinfo, bool with_value)
{
	MemoryContext aggcontext;
	MarkovBuild *b = eng_build_arg(fcinfo, &markov_build_ops, &aggcontext);
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

PG_FUNCTION_INFO_V1(engagement_markov_rollup_trans);
Datum
engagement_markov_rollup_trans(PG_FUNCTION_ARGS)
{
	return eng_build_rollup_trans(fcinfo, &markov_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_markov_combine);
Datum
engagement_markov_combine(PG_FUNCTION_ARGS)
{
	return eng_build_combine(fcinfo, &markov_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_markov_serial);
Datum
engagement_markov_serial(PG_FUNCTION_ARGS)
{
	return eng_build_serial(fcinfo, &markov_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_markov_deserial);
Datum
engagement_markov_deserial(PG_FUNCTION_ARGS)
{
	return eng_build_deserial(fcinfo, &markov_build_ops);
}

/*
 * final: the model; NULL when no row had a path.  Not eng_build_final(): a
 * state without channels may still hold totals (rollup of models typed in
 * without transitions), which combine must keep, so it is not "empty".
 */
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
	return markov_finish(b);
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
	int64		conversions;
	int64		non_conversions;
	double		value = 0.0;
	bool		has_value = false;
	MarkovData *m;
	Markov		check;

	initStringInfo(&name);
	eng_cursor_begin(&c, input, "markov_model", MARKOV_VERSION);
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
	markov_decode(m, &check, ENG_TEXT);
	PG_RETURN_POINTER(m);
}

/* Binary form: the version byte, then markov_send_body(). */
PG_FUNCTION_INFO_V1(engagement_markov_send);
Datum
engagement_markov_send(PG_FUNCTION_ARGS)
{
	MarkovData *m = (MarkovData *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	Markov		mk;
	StringInfoData buf;

	markov_decode(m, &mk, ENG_STORED);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, MARKOV_VERSION);
	markov_send_body(&buf, m);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(engagement_markov_recv);
Datum
engagement_markov_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Markov		check;

	eng_recv_version(buf, MARKOV_VERSION, "markov_model");
	PG_RETURN_POINTER(markov_recv_body(buf, ENG_BINARY, &check));
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

/*
 * The walk from "channel" never ends: the model does not determine a
 * probability of conversion (22M01).
 */
pg_attribute_noreturn()
static void
markov_no_exit(const char *channel)
{
	ereport(ERROR,
			errcode(ERRCODE_ENG_MODEL_FAILED),
			errmsg("markov_model has a channel from which no path leads to a conversion or a null"),
			errdetail("Every path from channel \"%s\" loops among channels without a transition to conv or null, so the probability of conversion is undefined.",
					  channel),
			errhint("Give a channel of the loop a transition to conv or null, as markov_agg() does at the end of every path it counts."));
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
	{
		int			trapped = 1;

		/*
		 * Name the first channel that reaches no exit.  There is one: START
		 * has no transition to itself, so it reaches no exit only through a
		 * channel that reaches none.
		 */
		while (exits[trapped])
			trapped++;
		markov_no_exit(mk->names[trapped - 1]);
	}
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

/* markov_model + markov_model: the model of both parts' paths */
PG_FUNCTION_INFO_V1(engagement_markov_model_add);
Datum
engagement_markov_model_add(PG_FUNCTION_ARGS)
{
	return eng_build_add(fcinfo, &markov_build_ops);
}

/*
 * The transitions of a model in the order of the text form, with the
 * probability of each among the transitions out of its state.  From start
 * the channel is NULL; the target is a channel, the conversion or null.
 */
typedef void (*MarkovTransitionFn) (const Markov *mk, int from, int to,
									int64 count, double probability, void *arg);

static void
markov_each_transition(const Markov *mk, MarkovTransitionFn fn, void *arg)
{
	int			n1 = mk->n + 1;

	for (int a = 0; a < n1; a++)
	{
		double		total = 0.0;

		CHECK_FOR_INTERRUPTS();
		for (int c = 0; c < n1 + 2; c++)
			total += (double) ((c < n1) ? mk->trans[(Size) a * n1 + c] :
							   (c == n1) ? mk->to_conv[a] : mk->to_null[a]);
		for (int c = 0; c < n1 + 2; c++)
		{
			int64		v = (c < n1) ? mk->trans[(Size) a * n1 + c] :
			(c == n1) ? mk->to_conv[a] : mk->to_null[a];

			if (v != 0)
				fn(mk, a, c, v, (double) v / total, arg);
		}
	}
}

static const char *
markov_target_kind(const Markov *mk, int to)
{
	return to <= mk->n ? "channel" : to == mk->n + 1 ? "conversion" : "null";
}

static void
markov_unnest_row(const Markov *mk, int from, int to, int64 count,
				  double probability, void *arg)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) arg;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	if (from > 0)
		values[0] = CStringGetTextDatum(mk->names[from - 1]);
	else
		nulls[0] = true;
	if (to > 0 && to <= mk->n)
		values[1] = CStringGetTextDatum(mk->names[to - 1]);
	else
		nulls[1] = true;
	values[2] = CStringGetTextDatum(markov_target_kind(mk, to));
	values[3] = Int64GetDatum(count);
	values[4] = Float8GetDatum(probability);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/*
 * unnest(markov_model): (from_channel, to_channel, to_kind, count,
 * probability); from_channel NULL is start, to_kind 'channel', 'conversion'
 * or 'null'
 */
PG_FUNCTION_INFO_V1(engagement_markov_model_unnest);
Datum
engagement_markov_model_unnest(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Markov		mk;

	InitMaterializedSRF(fcinfo, 0);
	markov_getarg(fcinfo, 0, &mk);
	markov_each_transition(&mk, markov_unnest_row, rsinfo);
	return (Datum) 0;
}

/*****************************************************************************
 * JSON form: {"version": 1, "conversions": n, "non_conversions": n, "value":
 * x or null, "channels": [every channel, idle ones included], "transitions":
 * [{"from": channel or null (start), "to": channel or null, "to_kind":
 * "channel", "conversion" or "null", "count": n}, ...]}
 *****************************************************************************/

static void
markov_json_transition(const Markov *mk, int from, int to, int64 count,
					   double probability, void *arg)
{
	StringInfo	buf = (StringInfo) arg;

	if (buf->data[buf->len - 1] != '[')
		appendStringInfoString(buf, ", ");
	appendStringInfoString(buf, "{\"from\": ");
	if (from > 0)
		escape_json(buf, mk->names[from - 1]);
	else
		appendStringInfoString(buf, "null");
	appendStringInfoString(buf, ", \"to\": ");
	if (to > 0 && to <= mk->n)
		escape_json(buf, mk->names[to - 1]);
	else
		appendStringInfoString(buf, "null");
	appendStringInfo(buf, ", \"to_kind\": \"%s\", \"count\": " INT64_FORMAT "}",
					 markov_target_kind(mk, to), count);
}

static Datum
markov_json(FunctionCallInfo fcinfo, bool jsonb)
{
	Markov		mk;
	StringInfoData buf;

	markov_getarg(fcinfo, 0, &mk);
	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"conversions\": " INT64_FORMAT
					 ", \"non_conversions\": " INT64_FORMAT ", \"value\": ",
					 MARKOV_VERSION, mk.conversions, mk.non_conversions);
	if (mk.has_value)
		eng_append_float8(&buf, mk.value);
	else
		appendStringInfoString(&buf, "null");
	appendStringInfoString(&buf, ", \"channels\": [");
	for (int i = 0; i < mk.n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (i > 0)
			appendStringInfoString(&buf, ", ");
		escape_json(&buf, mk.names[i]);
	}
	appendStringInfoString(&buf, "], \"transitions\": [");
	markov_each_transition(&mk, markov_json_transition, &buf);
	appendStringInfoString(&buf, "]}");
	return eng_json_result(&buf, jsonb);
}

ENG_JSON_CASTS(engagement_markov_model, markov_json)
