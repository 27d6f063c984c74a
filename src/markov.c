/*-------------------------------------------------------------------------
 *
 * markov.c
 *	  The Markov attribution model of order 1 to 4: the markov_model type
 *	  built by markov_agg() and rollup(), its text and binary forms, and
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
 * Order k > 1 (ChannelAttribution's "order"): the states are the sequences
 * of k consecutive channels of a path.  A path c1..cL with L >= k walks
 * START -> (c1..ck) -> (c2..ck+1) -> ... -> (cL-k+1..cL) -> CONV/NULL; a
 * shorter path is one state of all its channels, START -> (c1..cL) ->
 * CONV/NULL.  Removing channel c sends every transition into a state that
 * holds c to NULL.  Order 1 is the model above, stored in format version 1
 * as before; orders 2 to 4 are stored sparsely in format version 2.
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

#define MARKOV_VERSION			1	/* order 1: dense counts */
#define MARKOV_VERSION_ORDER	2	/* orders 2..4: sparse counts of states */
#define MARKOV_HAS_VALUE		0x01	/* conversion values were given */
#define MARKOV_VALID_FLAGS		MARKOV_HAS_VALUE
#define MARKOV_MAX_CHANNELS		256
#define MARKOV_MAX_ORDER		4
#define MARKOV_MAX_STATES		2000	/* states of an order > 1, start aside */
#define MARKOV_NAME_KIND		"attribution channel"

/*****************************************************************************
 * The Markov model state
 *****************************************************************************/

/*
 * States of a model: 0 is START, s > 0 is channel s - 1 of the dictionary
 * (order 1) or sequence s - 1 of the sequence table (order > 1), and two
 * targets stand for the absorbing states.
 */
#define MARKOV_TO_CONV			0xFFFE
#define MARKOV_TO_NULL			0xFFFF
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

/*
 * A sequence of up to MARKOV_MAX_ORDER channels as one key: 16 bits per
 * channel (dictionary index + 1), the last channel in the lowest bits, 0 for
 * no channel (the upper slots of a sequence shorter than the order).
 */
typedef struct MarkovGram
{
	uint64		key;
	char		status;			/* used by simplehash */
	int			state;			/* 1-based */
} MarkovGram;

#define SH_PREFIX		mgram
#define SH_ELEMENT_TYPE	MarkovGram
#define SH_KEY_TYPE		uint64
#define SH_KEY			key
#define SH_HASH_KEY(tb, k)	hash_combine(murmurhash32((uint32) (k)), \
										 murmurhash32((uint32) ((k) >> 32)))
#define SH_EQUAL(tb, a, b)	((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

#define GRAM_SLOT(key, i)	((int) (((key) >> (16 * (i))) & 0xFFFF))

typedef struct MarkovBuild
{
	EngDict		channels;
	mtrans_hash *trans;
	int			order;			/* 0 until the first row or model says */
	mgram_hash *grams;			/* order > 1: sequence -> state */
	uint64	   *gram_keys;		/* key of state s at [s - 1] */
	int			ngrams;
	int			gram_cap;
	int64		conversions;	/* total conversions */
	int64		non_conversions;
	double		value;			/* total conversion value */
	bool		has_value;
} MarkovBuild;

/*
 * Stored model: header, then counts in sorted channel order, then names.
 * Format version 1 (order 1, the only format before 1.2): "order" is 0 and
 * the data are int64 trans[(n+1)*(n+1)], int64 to_conv[n+1], int64
 * to_null[n+1], then the channel names, NUL-terminated, sorted.  Format
 * version 2 (orders 2 to 4): "order" is the order and the data are int32
 * nstates, int32 ntrans, MarkovRec trans[ntrans] sorted by (from, to), int16
 * states[nstates][order] (channel numbers in path order, -1 after the last
 * channel of a state shorter than the order), sorted, then the names.
 */
typedef struct MarkovData
{
	EngStateHeader hdr;
	int32		nchannels;
	int32		order;			/* 0 in format version 1 */
	int64		conversions;
	int64		non_conversions;
	double		value;
	char		data[FLEXIBLE_ARRAY_MEMBER];
} MarkovData;

/* a transition of format version 2: to > nstates is conv, then null */
typedef struct MarkovRec
{
	int32		from;			/* 0 is start */
	int32		to;
	int64		count;
} MarkovRec;

#define MARKOV_HDRSZ	offsetof(MarkovData, data)
#define MARKOV_NCOUNTS(n)	((Size) ((n) + 1) * ((n) + 1) + 2 * (Size) ((n) + 1))
#define MARKOV2_FIXED	(MARKOV_HDRSZ + 2 * sizeof(int32))
#define MARKOV2_SIZE(ntrans, nstates, order, names) \
	(MARKOV2_FIXED + (Size) (ntrans) * sizeof(MarkovRec) + \
	 (Size) (nstates) * (order) * sizeof(int16) + (names))

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

static void markov_too_many_states(int64 n);

/* format version 2: the states, then the transitions (from, to, count) */
static const EngRecordCount markov_wire_states = {
	"markov_model", "states", 0, MARKOV_MAX_STATES, 2, false,
	markov_too_many_states
};
static const EngRecordCount markov_wire_trans = {
	"markov_model", "transitions", 0, INT32_MAX, 4 + 4 + 8, false
};

/* complete a zeroed working state */
static void
mbuild_init(void *state, MemoryContext cxt)
{
	MarkovBuild *b = state;

	b->trans = mtrans_create(cxt, 16, NULL);
}

pg_attribute_noreturn()
static void
markov_too_many_states(int64 n)
{
	ereport(ERROR,
			errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			errmsg("markov_model has too many states"),
			errdetail("A model of order 2 or more holds at most %d states (distinct sequences of channels), not " INT64_FORMAT ".",
					  MARKOV_MAX_STATES, n));
}

/* The order of a row or of a model added to a working state. */
static void
mbuild_set_order(MarkovBuild *b, int order)
{
	if (b->order == order)
		return;
	if (b->order != 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("cannot merge markov_model values of different orders"),
				errdetail("A model of order %d cannot be merged with one of order %d.",
						  b->order, order));
	b->order = order;
}

/* state (1-based) of a sequence of channels, created when new */
static int
mbuild_gram_state(MarkovBuild *b, uint64 key, MemoryContext cxt)
{
	MarkovGram *e;
	bool		found;

	if (b->grams == NULL)
		b->grams = mgram_create(cxt, 64, NULL);
	e = mgram_lookup(b->grams, key);
	if (e != NULL)
		return e->state;
	if (b->ngrams >= MARKOV_MAX_STATES)
		markov_too_many_states(b->ngrams + 1);
	e = mgram_insert(b->grams, key, &found);
	if (b->ngrams == b->gram_cap)
	{
		int			cap = Max(64, b->gram_cap * 2);

		cap = Min(cap, MARKOV_MAX_STATES);
		b->gram_keys = b->gram_keys == NULL ?
			MemoryContextAlloc(cxt, sizeof(uint64) * cap) :
			repalloc(b->gram_keys, sizeof(uint64) * cap);
		b->gram_cap = cap;
	}
	b->gram_keys[b->ngrams++] = key;
	e->state = b->ngrams;
	return e->state;
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

/*
 * States of "b" for the sequences of another model of the same order, given
 * as keys over that model's channels (mapped by "map", as from
 * mbuild_map_names()): smap[0] is START, smap[s] the state of keys[s - 1].
 */
static int *
mbuild_map_grams(MarkovBuild *b, int n, const uint64 *keys, const int *map,
				 MemoryContext cxt)
{
	int		   *smap = palloc(sizeof(int) * (n + 1));

	smap[0] = 0;
	for (int s = 0; s < n; s++)
	{
		uint64		key = 0;

		CHECK_FOR_INTERRUPTS();
		for (int i = MARKOV_MAX_ORDER - 1; i >= 0; i--)
		{
			int			slot = GRAM_SLOT(keys[s], i);

			key = (key << 16) | (uint64) (slot == 0 ? 0 : map[slot]);
		}
		smap[s + 1] = mbuild_gram_state(b, key, cxt);
	}
	return smap;
}

/* dst += src */
static void
mbuild_merge(void *dst, const void *src, MemoryContext cxt)
{
	const MarkovBuild *from = src;
	MarkovBuild *b = dst;
	int		   *map;
	int		   *smap;
	mtrans_iterator it;
	MarkovTrans *e;

	if (from->order == 0)
		return;					/* nothing was added to it */
	mbuild_set_order(b, from->order);
	map = mbuild_map_names(b, from->channels.n,
						   (const char *const *) from->channels.names, cxt);
	smap = (from->order == 1) ? map :
		mbuild_map_grams(b, from->ngrams, from->gram_keys, map, cxt);
	mtrans_start_iterate(from->trans, &it);
	while ((e = mtrans_iterate(from->trans, &it)) != NULL)
	{
		int			to = MARKOV_KEY_TO(e->key);

		CHECK_FOR_INTERRUPTS();
		mbuild_count(b, smap[MARKOV_KEY_FROM(e->key)],
					 to >= MARKOV_TO_CONV ? to : smap[to], e->count);
	}
	mbuild_add_totals(b, from->conversions, from->non_conversions,
					  from->value, from->has_value);
	if (smap != map)
		pfree(smap);
	pfree(map);
}

static MarkovData *mbuild_encode_order(const MarkovBuild *b);

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

	if (b->order > 1)
	{
		pfree(order);
		pfree(rank);
		return mbuild_encode_order(b);
	}
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

/* states of an order > 1 in the order they are stored */
typedef struct MarkovSortGram
{
	int16		slots[MARKOV_MAX_ORDER];	/* ranks; -1 after the last */
	int			state;			/* of the build state */
} MarkovSortGram;

static int
markov_gram_cmp(const void *a, const void *b, void *arg)
{
	const MarkovSortGram *x = a;
	const MarkovSortGram *y = b;
	int			k = *(const int *) arg;

	for (int i = 0; i < k; i++)
		if (x->slots[i] != y->slots[i])
			return (x->slots[i] < y->slots[i]) ? -1 : 1;
	return 0;
}

static int
markov_rec_cmp(const void *a, const void *b)
{
	const MarkovRec *x = a;
	const MarkovRec *y = b;

	if (x->from != y->from)
		return (x->from < y->from) ? -1 : 1;
	if (x->to != y->to)
		return (x->to < y->to) ? -1 : 1;
	return 0;
}

/*
 * Encode a build state of order > 1 (format version 2): channels sorted by
 * name, the states that have a transition sorted by their channels, the
 * transitions sorted by (from, to).
 */
static MarkovData *
mbuild_encode_order(const MarkovBuild *b)
{
	int			n = b->channels.n;
	int			k = b->order;
	int32	   *order = palloc(sizeof(int32) * Max(n, 1));
	int32	   *rank = palloc(sizeof(int32) * Max(n, 1));
	bool	   *used = palloc0(sizeof(bool) * (b->ngrams + 1));
	int		   *snew = palloc0(sizeof(int) * (b->ngrams + 1));
	MarkovSortGram *grams = palloc(sizeof(MarkovSortGram) * Max(b->ngrams, 1));
	MarkovRec  *recs;
	int			nstates = 0;
	int			ntrans = 0;
	StringInfoData names;
	MarkovData *m;
	Size		size;
	char	   *p;
	mtrans_iterator it;
	MarkovTrans *e;

	eng_dict_sort(&b->channels, NULL, order, rank);
	initStringInfo(&names);
	for (int i = 0; i < n; i++)
		appendBinaryStringInfo(&names, b->channels.names[order[i]],
							   strlen(b->channels.names[order[i]]) + 1);

	/* the states with a transition, in the order of their channels */
	mtrans_start_iterate(b->trans, &it);
	while ((e = mtrans_iterate(b->trans, &it)) != NULL)
	{
		int			to = MARKOV_KEY_TO(e->key);

		CHECK_FOR_INTERRUPTS();
		used[MARKOV_KEY_FROM(e->key)] = true;
		if (to < MARKOV_TO_CONV)
			used[to] = true;
		ntrans++;
	}
	for (int s = 1; s <= b->ngrams; s++)
	{
		uint64		key = b->gram_keys[s - 1];
		int			len = 0;

		CHECK_FOR_INTERRUPTS();
		if (!used[s])
			continue;
		for (int i = MARKOV_MAX_ORDER - 1; i >= 0; i--)
			if (GRAM_SLOT(key, i) != 0)
				grams[nstates].slots[len++] = rank[GRAM_SLOT(key, i) - 1];
		while (len < MARKOV_MAX_ORDER)
			grams[nstates].slots[len++] = -1;
		grams[nstates].state = s;
		nstates++;
	}
	qsort_arg(grams, nstates, sizeof(MarkovSortGram), markov_gram_cmp, &k);
	for (int i = 0; i < nstates; i++)
		snew[grams[i].state] = i + 1;

	recs = palloc(sizeof(MarkovRec) * Max(ntrans, 1));
	ntrans = 0;
	mtrans_start_iterate(b->trans, &it);
	while ((e = mtrans_iterate(b->trans, &it)) != NULL)
	{
		int			to = MARKOV_KEY_TO(e->key);

		CHECK_FOR_INTERRUPTS();
		recs[ntrans].from = snew[MARKOV_KEY_FROM(e->key)];
		recs[ntrans].to = (to == MARKOV_TO_CONV) ? nstates + 1 :
			(to == MARKOV_TO_NULL) ? nstates + 2 : snew[to];
		recs[ntrans].count = e->count;
		ntrans++;
	}
	qsort(recs, ntrans, sizeof(MarkovRec), markov_rec_cmp);

	size = MARKOV2_SIZE(ntrans, nstates, k, names.len);
	m = palloc0(size);
	eng_init_header(&m->hdr, size, MARKOV_VERSION_ORDER,
					b->has_value ? MARKOV_HAS_VALUE : 0);
	m->nchannels = n;
	m->order = k;
	m->conversions = b->conversions;
	m->non_conversions = b->non_conversions;
	m->value = b->has_value ? b->value : 0.0;
	p = m->data;
	memcpy(p, &nstates, sizeof(int32));
	memcpy(p + sizeof(int32), &ntrans, sizeof(int32));
	p += 2 * sizeof(int32);
	memcpy(p, recs, sizeof(MarkovRec) * ntrans);
	p += sizeof(MarkovRec) * ntrans;
	for (int i = 0; i < nstates; i++)
	{
		memcpy(p, grams[i].slots, sizeof(int16) * k);
		p += sizeof(int16) * k;
	}
	memcpy(p, names.data, names.len);
	pfree(order);
	pfree(rank);
	pfree(used);
	pfree(snew);
	pfree(grams);
	pfree(recs);
	pfree(names.data);
	return m;
}

/*
 * A decoded, checked model.  Its transient states are 0 (START) and
 * 1..nstates; a transition target nstates + 1 is conv, nstates + 2 null.
 */
typedef struct Markov
{
	int			n;
	int			order;
	int			nstates;		/* n for order 1 */
	/* order 1 */
	const int64 *trans;			/* (n+1) x (n+1) */
	const int64 *to_conv;		/* n+1 */
	const int64 *to_null;		/* n+1 */
	/* order > 1 */
	const MarkovRec *recs;
	int			ntrans;
	const int16 *states;		/* nstates x order */
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

/* a state of order > 1: its channel numbers, -1 after the last */
#define MK_STATE(mk, s)		((mk)->states + (Size) ((s) - 1) * (mk)->order)

/* channels of state s of a checked model of order > 1 */
static int
markov_state_len(const Markov *mk, int s)
{
	const int16 *st = MK_STATE(mk, s);
	int			len = 0;

	while (len < mk->order && st[len] >= 0)
		len++;
	return len;
}

/*
 * Check the states and transitions of format version 2: states of 1..order
 * known channels, strictly sorted; transitions strictly sorted by (from,
 * to), positive; a transition between two states moves a full window by one
 * channel, a shorter state is entered only from start and left only for conv
 * or null; every state has a transition.
 */
static void
markov_check_order(const Markov *mk, int code)
{
	int			k = mk->order;
	bool	   *seen = palloc0(sizeof(bool) * (mk->nstates + 1));

	for (int s = 1; s <= mk->nstates; s++)
	{
		const int16 *st = MK_STATE(mk, s);
		int			len = markov_state_len(mk, s);

		CHECK_FOR_INTERRUPTS();
		if (len == 0)
			markov_corrupt(code, "A state has no channel.");
		for (int i = 0; i < k; i++)
			if ((i < len && st[i] >= mk->n) || (i >= len && st[i] != -1))
				markov_corrupt(code, "A state holds an unknown channel.");
		if (s > 1)
		{
			const int16 *prev = MK_STATE(mk, s - 1);
			int			c = 0;

			for (int i = 0; i < k && c == 0; i++)
				c = (prev[i] < st[i]) ? -1 : (prev[i] > st[i]) ? 1 : 0;
			if (c >= 0)
				markov_corrupt(code, "The states are unsorted or repeated.");
		}
	}
	for (int t = 0; t < mk->ntrans; t++)
	{
		const MarkovRec *r = &mk->recs[t];

		CHECK_FOR_INTERRUPTS();
		if (r->from < 0 || r->from > mk->nstates || r->to < 1 ||
			r->to > mk->nstates + 2)
			markov_corrupt(code, "A transition leads from or to an unknown state.");
		if (r->count <= 0)
			markov_corrupt(code, "A transition count is not positive.");
		if (t > 0 && markov_rec_cmp(&mk->recs[t - 1], r) >= 0)
			markov_corrupt(code, "The transitions are unsorted or repeated.");
		if (r->to <= mk->nstates)
		{
			if (r->from > 0)
			{
				const int16 *a = MK_STATE(mk, r->from);
				const int16 *b = MK_STATE(mk, r->to);

				if (markov_state_len(mk, r->from) < k ||
					markov_state_len(mk, r->to) < k ||
					memcmp(a + 1, b, sizeof(int16) * (k - 1)) != 0)
					markov_corrupt(code, "A transition between two states does not move their channels by one.");
			}
			seen[r->to] = true;
		}
		seen[r->from] = true;
	}
	for (int s = 1; s <= mk->nstates; s++)
		if (!seen[s])
			markov_corrupt(code, "A state has no transition.");
	pfree(seen);
}

/*
 * The text form of a model of order > 1 must stay below MARKOV_MAX_TEXT
 * bytes: its states repeat the channel names, so a model of a few hundred
 * kilobytes could print to more than 1 GB, and a table holding it could not
 * be dumped.  Checked on every model built or read (54000).
 */
#define MARKOV_MAX_TEXT		((Size) 1000 * 1000 * 1000)

static Size
markov_digits(int64 v)
{
	Size		d = 1;

	while (v >= 10)
	{
		v /= 10;
		d++;
	}
	return d;
}

static void
markov_check_text_size(const Markov *mk)
{
	Size	   *qlen = palloc(sizeof(Size) * Max(mk->n, 1));
	Size	   *slen = palloc(sizeof(Size) * (mk->nstates + 1));
	Size		total = 200;	/* the header, totals and value at most */

	for (int c = 0; c < mk->n; c++)
	{
		qlen[c] = 2;
		for (const char *p = mk->names[c]; *p; p++)
			qlen[c] += (*p == '"') ? 2 : 1;
		/* an idle channel is listed with its comma */
		total += qlen[c] + 1;
	}
	slen[0] = strlen("start");
	for (int s = 1; s <= mk->nstates; s++)
	{
		int			len = markov_state_len(mk, s);

		slen[s] = 2 + (len - 1);
		for (int i = 0; i < len; i++)
			slen[s] += qlen[MK_STATE(mk, s)[i]];
	}
	for (int t = 0; t < mk->ntrans; t++)
	{
		const MarkovRec *r = &mk->recs[t];

		if ((t & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		/* from>to count, */
		total += slen[r->from] + 1 + (r->to <= mk->nstates ? slen[r->to] : 4) +
			1 + markov_digits(r->count) + 1;
	}
	if (total > MARKOV_MAX_TEXT)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("markov_model of order %d is too large for its text form", mk->order),
				errdetail("Its text form would take %zu bytes; the limit is %zu.",
						  total, MARKOV_MAX_TEXT),
				errhint("Use shorter channel names or a lower order."));
	pfree(qlen);
	pfree(slen);
}

static void
markov_decode(const MarkovData *m, Markov *mk, EngSource src)
{
	int			code = eng_source_errcode(src);
	const char *end = (const char *) m + VARSIZE(m);
	const char *p;
	Size		ncounts;

	if (VARSIZE(m) >= MARKOV_HDRSZ)
		eng_check_versions(m->hdr.version, MARKOV_VERSION, MARKOV_VERSION_ORDER,
						   "markov_model", src);
	eng_check_state(&m->hdr, MARKOV_HDRSZ,
					VARSIZE(m) >= MARKOV_HDRSZ ? m->hdr.version : MARKOV_VERSION,
					MARKOV_VALID_FLAGS, "markov_model", src);
	if (m->nchannels < 0 || m->nchannels > MARKOV_MAX_CHANNELS)
		markov_corrupt(code, "The number of channels is out of range.");
	/* without values the value is +0: the text form has no place for -0 */
	if (m->conversions < 0 || m->non_conversions < 0 || isnan(m->value) ||
		isinf(m->value) ||
		(!(m->hdr.flags & MARKOV_HAS_VALUE) && (m->value != 0.0 || signbit(m->value))))
		markov_corrupt(code, "The totals are out of range.");
	mk->n = m->nchannels;
	mk->trans = mk->to_conv = mk->to_null = NULL;
	mk->recs = NULL;
	mk->states = NULL;
	mk->ntrans = 0;
	if (m->hdr.version == MARKOV_VERSION)
	{
		if (m->order != 0)
			markov_corrupt(code, "A reserved field is not zero.");
		ncounts = MARKOV_NCOUNTS(m->nchannels);
		if (VARSIZE(m) < MARKOV_HDRSZ + ncounts * sizeof(int64))
			markov_corrupt(code, "The value is too short for its channels.");
		mk->order = 1;
		mk->nstates = mk->n;
		mk->trans = (const int64 *) m->data;
		mk->to_conv = mk->trans + (Size) (mk->n + 1) * (mk->n + 1);
		mk->to_null = mk->to_conv + (mk->n + 1);
		for (Size i = 0; i < ncounts; i++)
			if (mk->trans[i] < 0)
				markov_corrupt(code, "A transition count is negative.");
		for (int i = 0; i <= mk->n; i++)
			if (mk->trans[(Size) i * (mk->n + 1)] != 0)
				markov_corrupt(code, "A transition leads back to start.");
		p = (const char *) (mk->trans + ncounts);
	}
	else
	{
		int32		nstates;
		int32		ntrans;

		if (m->order < 2 || m->order > MARKOV_MAX_ORDER)
			markov_corrupt(code, "The order is out of range.");
		if (VARSIZE(m) < MARKOV2_FIXED)
			markov_corrupt(code, "The value is too short for its states.");
		memcpy(&nstates, m->data, sizeof(int32));
		memcpy(&ntrans, m->data + sizeof(int32), sizeof(int32));
		if (nstates < 0 || nstates > MARKOV_MAX_STATES || ntrans < 0 ||
			(Size) ntrans > (Size) (nstates + 1) * (nstates + 2) ||
			VARSIZE(m) < MARKOV2_SIZE(ntrans, nstates, m->order, 0))
			markov_corrupt(code, "The value is too short for its states.");
		mk->order = m->order;
		mk->nstates = nstates;
		mk->ntrans = ntrans;
		mk->recs = (const MarkovRec *) (m->data + 2 * sizeof(int32));
		mk->states = (const int16 *) (mk->recs + ntrans);
		markov_check_order(mk, code);
		p = (const char *) (mk->states + (Size) nstates * mk->order);
	}
	mk->names = palloc(sizeof(char *) * Max(mk->n, 1));
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
	if (mk->order > 1)
		markov_check_text_size(mk);
}

/*
 * A built model, checked as it will be read: a model of order > 1 whose text
 * form would pass the limit is refused here, where it is made (54000)
 */
static MarkovData *
mbuild_encode_checked(const MarkovBuild *b)
{
	MarkovData *m = mbuild_encode(b);

	if (m->hdr.version != MARKOV_VERSION)
	{
		Markov		mk;

		markov_decode(m, &mk, ENG_STORED);
		pfree(mk.names);
	}
	return m;
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
	int		   *map;
	Size		n1 = (Size) mk->n + 1;

	mbuild_set_order(b, mk->order);
	map = mbuild_map_names(b, mk->n, mk->names, cxt);
	if (mk->order > 1)
	{
		int		   *smap = palloc(sizeof(int) * (mk->nstates + 3));

		smap[0] = 0;
		for (int s = 1; s <= mk->nstates; s++)
		{
			const int16 *st = MK_STATE(mk, s);
			uint64		key = 0;

			CHECK_FOR_INTERRUPTS();
			for (int i = 0; i < mk->order && st[i] >= 0; i++)
				key = (key << 16) | (uint64) map[st[i] + 1];
			smap[s] = mbuild_gram_state(b, key, cxt);
		}
		smap[mk->nstates + 1] = MARKOV_TO_CONV;
		smap[mk->nstates + 2] = MARKOV_TO_NULL;
		for (int t = 0; t < mk->ntrans; t++)
		{
			CHECK_FOR_INTERRUPTS();
			mbuild_count(b, smap[mk->recs[t].from], smap[mk->recs[t].to],
						 mk->recs[t].count);
		}
		mbuild_add_totals(b, mk->conversions, mk->non_conversions, mk->value,
						  mk->has_value);
		pfree(smap);
		pfree(map);
		return;
	}
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

/*
 * The binary form of a checked model after its version byte.  Format
 * version 2 adds the order after the channel count, and has the states
 * (count, then order int16 each) and the transitions (count, then from, to
 * and count each) in place of the dense counts.
 */
static void
markov_send_body(StringInfo buf, const MarkovData *m)
{
	const char *names;

	pq_sendbyte(buf, m->hdr.flags);
	pq_sendint32(buf, m->nchannels);
	if (m->hdr.version == MARKOV_VERSION_ORDER)
		pq_sendint32(buf, m->order);
	pq_sendint64(buf, m->conversions);
	pq_sendint64(buf, m->non_conversions);
	pq_sendfloat8(buf, m->value);
	if (m->hdr.version == MARKOV_VERSION)
	{
		const int64 *counts = (const int64 *) m->data;
		Size		ncounts = MARKOV_NCOUNTS(m->nchannels);

		for (Size i = 0; i < ncounts; i++)
			pq_sendint64(buf, counts[i]);
		names = (const char *) (counts + ncounts);
	}
	else
	{
		int32		nstates;
		int32		ntrans;
		const MarkovRec *recs = (const MarkovRec *) (m->data + 2 * sizeof(int32));
		const int16 *states;

		memcpy(&nstates, m->data, sizeof(int32));
		memcpy(&ntrans, m->data + sizeof(int32), sizeof(int32));
		states = (const int16 *) (recs + ntrans);
		pq_sendint32(buf, nstates);
		for (Size i = 0; i < (Size) nstates * m->order; i++)
			pq_sendint16(buf, states[i]);
		pq_sendint32(buf, ntrans);
		for (int t = 0; t < ntrans; t++)
		{
			pq_sendint32(buf, recs[t].from);
			pq_sendint32(buf, recs[t].to);
			pq_sendint64(buf, recs[t].count);
		}
		names = (const char *) (states + (Size) nstates * m->order);
	}
	pq_sendbytes(buf, names, ((const char *) m + VARSIZE(m)) - names);
}

/* the rest of a binary form: the channel names */
static Size
markov_recv_names_len(StringInfo buf, EngSource src)
{
	Size		rest = buf->len - buf->cursor;

	if (rest > (Size) MARKOV_MAX_CHANNELS * (ENG_MAX_NAME_LEN + 1))
		markov_corrupt(eng_source_errcode(src),
					   "The channel names are too long.");
	return rest;
}

/* markov_recv_body() for format version 2 */
static MarkovData *
markov_recv_body_order(StringInfo buf, EngSource src, Markov *mk)
{
	int			flags;
	int32		n;
	int32		k;
	int64		conversions;
	int64		non_conversions;
	double		value;
	int32		nstates;
	int32		ntrans;
	int16	   *states;
	MarkovRec  *recs;
	Size		rest;
	Size		size;
	MarkovData *m;
	char	   *p;

	flags = pq_getmsgbyte(buf);
	n = eng_recv_count(buf, &markov_wire_channels, src);
	/* the order, the totals and the count of states */
	if ((Size) (buf->len - buf->cursor) < 4 + MARKOV_WIRE_TOTALS + 4)
		markov_corrupt(eng_source_errcode(src),
					   "The value is too short for its states.");
	k = (int32) pq_getmsgint(buf, 4);
	conversions = pq_getmsgint64(buf);
	non_conversions = pq_getmsgint64(buf);
	value = pq_getmsgfloat8(buf);
	if (k < 2 || k > MARKOV_MAX_ORDER)
		markov_corrupt(eng_source_errcode(src), "The order is out of range.");
	nstates = eng_recv_count(buf, &markov_wire_states, src);
	if ((Size) (buf->len - buf->cursor) < (Size) nstates * k * sizeof(int16))
		markov_corrupt(eng_source_errcode(src),
					   "The value is too short for its states.");
	states = palloc(sizeof(int16) * Max((Size) nstates * k, 1));
	for (Size i = 0; i < (Size) nstates * k; i++)
		states[i] = (int16) pq_getmsgint(buf, 2);
	ntrans = eng_recv_count(buf, &markov_wire_trans, src);
	recs = palloc(sizeof(MarkovRec) * Max(ntrans, 1));
	for (int t = 0; t < ntrans; t++)
	{
		CHECK_FOR_INTERRUPTS();
		recs[t].from = (int32) pq_getmsgint(buf, 4);
		recs[t].to = (int32) pq_getmsgint(buf, 4);
		recs[t].count = pq_getmsgint64(buf);
	}
	rest = markov_recv_names_len(buf, src);
	size = MARKOV2_SIZE(ntrans, nstates, k, rest);
	m = palloc0(size);
	eng_init_header(&m->hdr, size, MARKOV_VERSION_ORDER, (uint8) flags);
	m->nchannels = n;
	m->order = k;
	m->conversions = conversions;
	m->non_conversions = non_conversions;
	m->value = value;
	p = m->data;
	memcpy(p, &nstates, sizeof(int32));
	memcpy(p + sizeof(int32), &ntrans, sizeof(int32));
	p += 2 * sizeof(int32);
	memcpy(p, recs, sizeof(MarkovRec) * ntrans);
	p += sizeof(MarkovRec) * ntrans;
	memcpy(p, states, sizeof(int16) * nstates * k);
	p += sizeof(int16) * nstates * k;
	pq_copymsgbytes(buf, p, rest);
	pfree(states);
	pfree(recs);
	markov_decode(m, mk, src);
	return m;
}

/*
 * Read what markov_send_body() wrote (the names take the rest of the
 * buffer) into a new value, and decode and check it into *mk.
 */
static MarkovData *
markov_recv_body(StringInfo buf, EngSource src, Markov *mk)
{
	int			flags;
	int32		n;
	Size		ncounts;
	Size		fixed;
	Size		rest;
	Size		size;
	MarkovData *m;
	int64	   *counts;

	flags = pq_getmsgbyte(buf);
	n = eng_recv_count(buf, &markov_wire_channels, src);
	ncounts = MARKOV_NCOUNTS(n);
	fixed = MARKOV_WIRE_TOTALS + ncounts * sizeof(int64);
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

/* A binary form with its version byte (read by either layout). */
static MarkovData *
markov_recv_versioned(StringInfo buf, EngSource src, Markov *mk)
{
	int			version = pq_getmsgbyte(buf);

	eng_check_versions(version, MARKOV_VERSION, MARKOV_VERSION_ORDER,
					   "markov_model", src);
	if (version == MARKOV_VERSION_ORDER)
		return markov_recv_body_order(buf, src, mk);
	return markov_recv_body(buf, src, mk);
}

/*
 * The working state through the state skeleton: its serial form is its
 * order (0 while no row has given one), then the binary form of the model
 * it would give.
 */
static void
markov_serialize(StringInfo buf, const void *state)
{
	const MarkovBuild *b = state;
	MarkovData *m = mbuild_encode_checked(b);

	pq_sendbyte(buf, b->order);
	pq_sendbyte(buf, m->hdr.version);
	markov_send_body(buf, m);
	pfree(m);
}

static void
markov_deserialize(StringInfo buf, void *state, MemoryContext cxt)
{
	Markov		mk;
	int			order = pq_getmsgbyte(buf);
	MarkovData *m = markov_recv_versioned(buf, ENG_STORED, &mk);

	if (order == 0 ? (mk.n != 0 || mk.conversions != 0 ||
					  mk.non_conversions != 0 || mk.has_value) :
		order != mk.order)
		markov_corrupt(ERRCODE_DATA_CORRUPTED,
					   "The order of the working state does not match its model.");
	if (order != 0)
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
	PG_RETURN_POINTER(mbuild_encode_checked(state));
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
 * markov_agg(path, conversions, non_conversions [, conversion_value [,
 * order]]) transition.  Rows with a NULL or empty path are skipped; NULL
 * counts are 0, a NULL value adds nothing; path elements must not be NULL;
 * the order must be given, 1 to 4, the same on every row.  The path is
 * walked with an array iterator: nothing is allocated per element.
 */
static Datum
markov_trans_common(FunctionCallInfo fcinfo, bool with_value, bool with_order)
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
	int			k = 1;
	int			len = 0;
	uint64		key = 0;
	uint64		mask;

	if (with_order)
	{
		if (PG_ARGISNULL(5))
			ereport(ERROR,
					errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					errmsg("the order of a Markov model must not be NULL"));
		if (PG_GETARG_INT32(5) < 1 || PG_GETARG_INT32(5) > MARKOV_MAX_ORDER)
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("the order of a Markov model must be between 1 and %d",
						   MARKOV_MAX_ORDER),
					errdetail("The order given is %d.", PG_GETARG_INT32(5)));
		k = PG_GETARG_INT32(5);
	}
	mbuild_set_order(b, k);
	mask = (k == MARKOV_MAX_ORDER) ? ~(uint64) 0 :
		(((uint64) 1 << (16 * k)) - 1);
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
		if (k > 1)
		{
			/* the state is the window of the last k channels */
			key = ((key << 16) | (uint64) s) & mask;
			if (len < k)
				len++;
			if (len < k || w == 0)
				continue;
			s = mbuild_gram_state(b, key, aggcontext);
		}
		mbuild_count(b, prev, s, w);
		prev = s;
	}
	array_free_iterator(it);
	/* a path shorter than the order is one state of all its channels */
	if (k > 1 && len < k && w != 0)
	{
		prev = mbuild_gram_state(b, key, aggcontext);
		mbuild_count(b, 0, prev, w);
	}
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
	return markov_trans_common(fcinfo, false, false);
}

PG_FUNCTION_INFO_V1(engagement_markov_trans_value);
Datum
engagement_markov_trans_value(PG_FUNCTION_ARGS)
{
	return markov_trans_common(fcinfo, true, false);
}

/* markov_agg(path, conversions, non_conversions, conversion_value, order) */
PG_FUNCTION_INFO_V1(engagement_markov_trans_order);
Datum
engagement_markov_trans_order(PG_FUNCTION_ARGS)
{
	return markov_trans_common(fcinfo, true, true);
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

/* a state: start, a quoted channel, or (order > 1) its quoted channels */
static void
markov_append_name(StringInfo buf, const Markov *mk, int state)
{
	if (state == 0)
		appendStringInfoString(buf, "start");
	else if (mk->order == 1)
		eng_append_quoted(buf, mk->names[state - 1], strlen(mk->names[state - 1]));
	else
	{
		int			len = markov_state_len(mk, state);

		appendStringInfoChar(buf, '(');
		for (int i = 0; i < len; i++)
		{
			const char *name = mk->names[MK_STATE(mk, state)[i]];

			if (i > 0)
				appendStringInfoChar(buf, ',');
			eng_append_quoted(buf, name, strlen(name));
		}
		appendStringInfoChar(buf, ')');
	}
}

/*
 * The transitions of a model in the order of the text form, with the
 * probability of each among the transitions out of its state.  States are
 * numbered as in Markov: "to" is a state 1..nstates, nstates + 1 (conv) or
 * nstates + 2 (null).
 */
typedef void (*MarkovTransitionFn) (const Markov *mk, int from, int to,
									int64 count, double probability, void *arg);

static void
markov_each_transition(const Markov *mk, MarkovTransitionFn fn, void *arg)
{
	int			n1 = mk->n + 1;

	if (mk->order > 1)
	{
		for (int t = 0; t < mk->ntrans;)
		{
			int			u = t;
			double		total = 0.0;

			CHECK_FOR_INTERRUPTS();
			while (u < mk->ntrans && mk->recs[u].from == mk->recs[t].from)
				total += (double) mk->recs[u++].count;
			for (; t < u; t++)
				fn(mk, mk->recs[t].from, mk->recs[t].to, mk->recs[t].count,
				   (double) mk->recs[t].count / total, arg);
		}
		return;
	}
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

typedef struct MarkovOut
{
	StringInfo	buf;
	bool	   *seen;			/* channels named by some transition */
	bool		first;
} MarkovOut;

static void
markov_mark_seen(const Markov *mk, int state, bool *seen)
{
	if (state == 0 || state > mk->nstates)
		return;
	if (mk->order == 1)
		seen[state - 1] = true;
	else
		for (int i = 0; i < markov_state_len(mk, state); i++)
			seen[MK_STATE(mk, state)[i]] = true;
}

static void
markov_out_transition(const Markov *mk, int from, int to, int64 count,
					  double probability, void *arg)
{
	MarkovOut  *o = arg;

	if (!o->first)
		appendStringInfoChar(o->buf, ',');
	o->first = false;
	markov_mark_seen(mk, from, o->seen);
	markov_mark_seen(mk, to, o->seen);
	markov_append_name(o->buf, mk, from);
	appendStringInfoChar(o->buf, '>');
	if (to <= mk->nstates)
		markov_append_name(o->buf, mk, to);
	else
		appendStringInfoString(o->buf, to == mk->nstates + 1 ? "conv" : "null");
	appendStringInfo(o->buf, " " INT64_FORMAT, count);
}

PG_FUNCTION_INFO_V1(engagement_markov_out);
Datum
engagement_markov_out(PG_FUNCTION_ARGS)
{
	Markov		mk;
	StringInfoData buf;
	MarkovOut	o;
	bool		first = true;

	markov_getarg(fcinfo, 0, &mk);
	initStringInfo(&buf);
	if (mk.order == 1)
		appendStringInfo(&buf, "(v=%d", MARKOV_VERSION);
	else
		appendStringInfo(&buf, "(v=%d,order=%d", MARKOV_VERSION_ORDER, mk.order);
	appendStringInfo(&buf, ",conversions=" INT64_FORMAT ",non_conversions=" INT64_FORMAT,
					 mk.conversions, mk.non_conversions);
	if (mk.has_value)
	{
		appendStringInfoString(&buf, ",value=");
		eng_append_float8(&buf, mk.value);
	}
	appendStringInfoString(&buf, ",transitions=[");
	o.buf = &buf;
	o.seen = palloc0(sizeof(bool) * Max(mk.n, 1));
	o.first = true;
	markov_each_transition(&mk, markov_out_transition, &o);
	appendStringInfoChar(&buf, ']');
	for (int c = 0; c < mk.n; c++)
	{
		if (o.seen[c])
			continue;
		appendStringInfoString(&buf, first ? ",idle=[" : ",");
		first = false;
		eng_append_quoted(&buf, mk.names[c], strlen(mk.names[c]));
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
	eng_cursor_quoted(c, name, "name", ENG_MAX_NAME_LEN, eng_name_too_long, MARKOV_NAME_KIND);
	if (!pg_verify_mbstr(GetDatabaseEncoding(), name->data, name->len, true))
		eng_cursor_error(c, "A channel name is not valid in the database encoding.");
	return 0;
}

/*
 * A state of the text form of a model of order k: start, conv, null (as 0,
 * MARKOV_TO_CONV, MARKOV_TO_NULL), a quoted channel (order 1) or a
 * parenthesised list of 1..k quoted channels (order > 1), as the state of
 * the working state "b".
 */
static int
markov_parse_any(EngTextCursor *c, MarkovBuild *b, StringInfo name)
{
	int			kind;
	uint64		key = 0;
	int			len = 0;

	while (isspace((unsigned char) *c->p))
		c->p++;
	if (b->order == 1 || *c->p != '(')
	{
		kind = markov_parse_state(c, name);
		if (kind == -1)
			return 0;
		if (kind == -2)
			return MARKOV_TO_CONV;
		if (kind == -3)
			return MARKOV_TO_NULL;
		if (b->order > 1)
			eng_cursor_error(c, "A state of a model of order 2 or more is a parenthesised list of channels.");
		return mbuild_state(b, name->data, name->len, CurrentMemoryContext);
	}
	c->p++;
	do
	{
		if (markov_parse_state(c, name) != 0)
			eng_cursor_error(c, "A state holds only double-quoted channel names.");
		if (++len > b->order)
			eng_cursor_error(c, "A state holds more channels than the order.");
		key = (key << 16) |
			(uint64) mbuild_state(b, name->data, name->len, CurrentMemoryContext);
	} while (eng_cursor_accept(c, ','));
	eng_cursor_expect(c, ')');
	return mbuild_gram_state(b, key, CurrentMemoryContext);
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
	eng_check_versions(version, MARKOV_VERSION, MARKOV_VERSION_ORDER,
					   "markov_model", ENG_TEXT);
	eng_cursor_expect(&c, ',');
	if (version == MARKOV_VERSION_ORDER)
	{
		int64		k;

		eng_cursor_expect_key(&c, "order");
		k = eng_cursor_int64(&c);
		if (k < 2 || k > MARKOV_MAX_ORDER)
			eng_cursor_error(&c, "Format version 2 holds a model of order 2 to 4.");
		b->order = (int) k;
		eng_cursor_expect(&c, ',');
	}
	else
		b->order = 1;
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
			int			from;
			int			to;
			int64		v;

			CHECK_FOR_INTERRUPTS();
			from = markov_parse_any(&c, b, &name);
			if (from >= MARKOV_TO_CONV)
				eng_cursor_error(&c, "A transition cannot start at conv or null.");
			eng_cursor_expect(&c, '>');
			to = markov_parse_any(&c, b, &name);
			if (to == 0)
				eng_cursor_error(&c, "A transition cannot lead to start.");
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

	m = mbuild_encode_checked(b);
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
	pq_sendbyte(&buf, m->hdr.version);
	markov_send_body(&buf, m);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(engagement_markov_recv);
Datum
engagement_markov_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Markov		check;

	PG_RETURN_POINTER(markov_recv_versioned(buf, ENG_BINARY, &check));
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
	const Markov *mk;			/* the model, for the channels of a state */
} MarkovChain;

#define MC_ROW(ch, i)	((ch)->p + (Size) (i) * ((ch)->m + 2))

/*
 * The walk from "channel" never ends: the model does not determine a
 * probability of conversion (22M01).
 */
pg_attribute_noreturn()
static void
markov_no_exit(const Markov *mk, int state)
{
	StringInfoData name;

	initStringInfo(&name);
	markov_append_name(&name, mk, state);
	ereport(ERROR,
			errcode(ERRCODE_ENG_MODEL_FAILED),
			errmsg("markov_model has a channel from which no path leads to a conversion or a null"),
			mk->order == 1 ?
			errdetail("Every path from channel %s loops among channels without a transition to conv or null, so the probability of conversion is undefined.",
					  name.data) :
			errdetail("Every path from state %s loops among states without a transition to conv or null, so the probability of conversion is undefined.",
					  name.data),
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
	int			m = mk->nstates + 1;
	int			w = m + 2;
	bool	   *exits = palloc0(sizeof(bool) * m);
	int		   *queue = palloc(sizeof(int) * m);
	bool	   *loops = palloc0(sizeof(bool) * m);
	int			nqueue = 0;

	ch->m = m;
	ch->mk = mk;
	ch->state = palloc(sizeof(int) * m);
	ch->p = palloc0(sizeof(double) * m * w);
	/* the counts; a self-loop only delays the walk and is left out */
	if (mk->order == 1)
		for (int i = 0; i < m; i++)
		{
			double	   *row = MC_ROW(ch, i);

			CHECK_FOR_INTERRUPTS();
			for (int j = 0; j < m; j++)
				if (j != i)
					row[j] = (double) mk->trans[(Size) i * m + j];
			loops[i] = mk->trans[(Size) i * m + i] != 0;
			row[m] = (double) mk->to_conv[i];
			row[m + 1] = (double) mk->to_null[i];
		}
	else
		for (int t = 0; t < mk->ntrans; t++)
		{
			const MarkovRec *r = &mk->recs[t];

			CHECK_FOR_INTERRUPTS();
			if (r->to == r->from)
				loops[r->from] = true;
			else
				MC_ROW(ch, r->from)[r->to] = (double) r->count;
		}
	for (int i = 0; i < m; i++)
	{
		double	   *row = MC_ROW(ch, i);
		double		sum = 0.0;

		CHECK_FOR_INTERRUPTS();
		ch->state[i] = i;
		for (int j = 0; j < w; j++)
			sum += row[j];
		if (sum > 0.0)
		{
			for (int j = 0; j < w; j++)
				row[j] /= sum;
		}
		else if (!loops[i])
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
		markov_no_exit(mk, trapped);
	}
	pfree(exits);
	pfree(queue);
	pfree(loops);
	return ch;
}

/*
 * Eliminate row k.  alive[0..nalive-1] lists, in ascending order, the
 * columns of the rows not eliminated before (k among them), then conv and
 * null: the columns of eliminated rows hold zeros only, so both the rows
 * updated and the entries summed are those of alive, in the same order as a
 * scan of every column would add the non-zero ones.
 */
static void
mchain_eliminate(MarkovChain *ch, int k, const int *alive, int nalive)
{
	const double *pk = MC_ROW(ch, k);

	for (int a = 0; a < nalive; a++)
	{
		int			i = alive[a];
		double	   *pi;
		double		f;
		double		sum = 0.0;

		if (i >= ch->m)
			break;				/* conv and null are not rows */
		pi = MC_ROW(ch, i);
		f = pi[k];
		CHECK_FOR_INTERRUPTS();
		if (i == k || f == 0.0)
			continue;
		pi[k] = 0.0;
		for (int b = 0; b < nalive; b++)
		{
			int			j = alive[b];

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
		for (int b = 0; b < nalive; b++)
			pi[alive[b]] /= sum;
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
	int			wold = ch->m + 2;
	int		   *alive = palloc(sizeof(int) * wold);
	int			nalive = wold;
	int			r = 0;

	work.p = palloc(sizeof(double) * ch->m * wold);
	memcpy(work.p, ch->p, sizeof(double) * ch->m * wold);
	for (int j = 0; j < wold; j++)
		alive[j] = j;
	for (int k = 1; k < ch->m; k++)
		if (!keep[k])
		{
			int			a = 0;

			mchain_eliminate(&work, k, alive, nalive);
			/* k leaves the columns */
			while (alive[a] != k)
				a++;
			memmove(alive + a, alive + a + 1, sizeof(int) * (nalive - a - 1));
			nalive--;
		}

	res->m = 0;
	res->mk = ch->mk;
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
	pfree(alive);
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

/* Does model state "state" hold one of the channels lo..hi-1? */
static bool
mchain_holds(const Markov *mk, int state, int lo, int hi)
{
	if (mk->order == 1)
		return state - 1 >= lo && state - 1 < hi;
	for (int i = 0; i < mk->order && MK_STATE(mk, state)[i] >= 0; i++)
		if (MK_STATE(mk, state)[i] >= lo && MK_STATE(mk, state)[i] < hi)
			return true;
	return false;
}

/*
 * p_without[c] = P(conv) with channel c removed, for the channels lo..hi-1;
 * rows 1..m-1 of "ch" are the states that hold one of them (every other
 * state is already eliminated).  The states of one half of the channels are
 * kept and the others eliminated, for each half in turn; a state that holds
 * channels of both halves stays in both.  For order 1 every channel is one
 * state, and each half is that of the rows.
 */
static void
mchain_p_without(const MarkovChain *ch, int lo, int hi, double *p_without)
{
	int			mid = lo + (hi - lo) / 2;
	bool	   *keep;

	CHECK_FOR_INTERRUPTS();
	if (hi - lo < 1)
		return;
	if (hi - lo == 1)
	{
		p_without[lo] = mchain_p_start(ch);
		return;
	}
	keep = palloc(sizeof(bool) * ch->m);
	for (int part = 0; part < 2; part++)
	{
		MarkovChain *sub;

		keep[0] = true;
		for (int i = 1; i < ch->m; i++)
			keep[i] = (part == 0) ?
				mchain_holds(ch->mk, ch->state[i], lo, mid) :
				mchain_holds(ch->mk, ch->state[i], mid, hi);
		sub = mchain_reduce(ch, keep);
		if (part == 0)
			mchain_p_without(sub, lo, mid, p_without);
		else
			mchain_p_without(sub, mid, hi, p_without);
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
		mchain_p_without(ch, 0, mk.n, re);
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

static const char *
markov_target_kind(const Markov *mk, int to)
{
	return to <= mk->nstates ? "channel" :
		to == mk->nstates + 1 ? "conversion" : "null";
}

/*
 * A state of unnest(): the channel (order 1), or the channels as the text of
 * a text[] literal, every element quoted (order > 1).
 */
static Datum
markov_state_text(const Markov *mk, int state)
{
	StringInfoData buf;

	if (mk->order == 1)
		return CStringGetTextDatum(mk->names[state - 1]);
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int i = 0; i < markov_state_len(mk, state); i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfoChar(&buf, '"');
		for (const char *p = mk->names[MK_STATE(mk, state)[i]]; *p; p++)
		{
			if (*p == '"' || *p == '\\')
				appendStringInfoChar(&buf, '\\');
			appendStringInfoChar(&buf, *p);
		}
		appendStringInfoChar(&buf, '"');
	}
	appendStringInfoChar(&buf, '}');
	return PointerGetDatum(cstring_to_text_with_len(buf.data, buf.len));
}

/* A state of the JSON form: the channel, or an array of its channels. */
static void
markov_json_state(StringInfo buf, const Markov *mk, int state)
{
	if (mk->order == 1)
	{
		escape_json(buf, mk->names[state - 1]);
		return;
	}
	appendStringInfoChar(buf, '[');
	for (int i = 0; i < markov_state_len(mk, state); i++)
	{
		if (i > 0)
			appendStringInfoString(buf, ", ");
		escape_json(buf, mk->names[MK_STATE(mk, state)[i]]);
	}
	appendStringInfoChar(buf, ']');
}

static void
markov_unnest_row(const Markov *mk, int from, int to, int64 count,
				  double probability, void *arg)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) arg;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	if (from > 0)
		values[0] = markov_state_text(mk, from);
	else
		nulls[0] = true;
	if (to > 0 && to <= mk->nstates)
		values[1] = markov_state_text(mk, to);
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
 * JSON form: {"version": 1 or 2, "order": k, "conversions": n,
 * "non_conversions": n, "value": x or null, "channels": [every channel, idle
 * ones included], "transitions": [{"from": state or null (start), "to":
 * state or null, "to_kind": "channel", "conversion" or "null", "count": n},
 * ...]}, a state being a channel (order 1) or an array of channels
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
		markov_json_state(buf, mk, from);
	else
		appendStringInfoString(buf, "null");
	appendStringInfoString(buf, ", \"to\": ");
	if (to > 0 && to <= mk->nstates)
		markov_json_state(buf, mk, to);
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
	appendStringInfo(&buf, "{\"version\": %d, \"order\": %d, \"conversions\": " INT64_FORMAT
					 ", \"non_conversions\": " INT64_FORMAT ", \"value\": ",
					 mk.order == 1 ? MARKOV_VERSION : MARKOV_VERSION_ORDER,
					 mk.order, mk.conversions, mk.non_conversions);
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
