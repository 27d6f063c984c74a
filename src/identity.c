/*-------------------------------------------------------------------------
 *
 * identity.c
 *	  Identity stitching: identity_agg(id_a, id_b [, seen_at]) collects the
 *	  pairs of identifiers seen together (a cookie and an e-mail address, an
 *	  app id and a customer number) into an identity_graph; the readers give
 *	  each identifier's connected component, computed by union-find with
 *	  path compression and union by rank, and a canonical identifier per
 *	  component.
 *
 * The stored graph is canonical: its distinct identifiers in bytewise
 * order, each with the earliest time it was seen, and its distinct pairs
 * (a < b, as indexes into that list) in order, each with the earliest time
 * the two were seen together.  Merging two graphs is the union of both
 * lists (earliest times kept), so rollup() and + are exact, and two graphs
 * are equal exactly when their bytes are.  The components are not stored:
 * the readers compute them, with the guard rails (a maximum component size,
 * identifiers never to merge through, the graph as known at a date) as
 * their arguments, and cache what they computed for the datum in fn_extra,
 * so a join calling canonical_id() once per row decodes the graph once.
 *
 * IDENTIFICATION
 *	  src/identity.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include "access/detoast.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/pg_prng.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#define IDG_VERSION			1
#define IDG_MAX_ID_LEN		1000	/* bytes per identifier (22001) */
#define IDG_MAX_IDS			5000000 /* distinct identifiers of a graph */
#define IDG_MAX_PAIRS		8000000 /* distinct pairs of a graph */
#define IDG_MAX_BYTES		(100 * 1024 * 1024) /* identifier bytes */
#define IDG_MAX_PRIORITY	100 /* types in a priority list */

/* the two-argument form: pairs known since always */
#define IDG_NO_TIME			ENG_MIN_TS

StaticAssertDecl(IDG_MAX_IDS <= ENG_DICT_MAX_NAMES,
				 "identifiers are kept in an EngDict");
StaticAssertDecl(IDG_MAX_ID_LEN <= ENG_MAX_NAME_LEN,
				 "identifiers are kept in an EngDict");

typedef struct IdgId
{
	int64		first_seen;		/* earliest time the identifier was seen */
	uint32		offset;			/* of its bytes in the byte area */
	uint32		len;
} IdgId;

typedef struct IdgPair
{
	int32		a;				/* a < b, indexes of identifiers */
	int32		b;
	int64		seen_at;		/* earliest time seen together */
} IdgPair;

/*
 * Stored: header, counts, identifiers (sorted, distinct), pairs (sorted by
 * (a, b), distinct), then the identifiers' bytes in the same order.
 */
typedef struct IdgData
{
	EngStateHeader hdr;
	int32		nids;
	int32		npairs;
	uint32		nbytes;
	int32		reserved;
	IdgId		ids[FLEXIBLE_ARRAY_MEMBER];
} IdgData;

#define IDG_SIZE(n, p, b)	(offsetof(IdgData, ids) + (Size) (n) * sizeof(IdgId) + \
							 (Size) (p) * sizeof(IdgPair) + (Size) (b))
#define IDG_PAIRS(g)		((IdgPair *) ((g)->ids + (g)->nids))
#define IDG_BYTES(g)		((char *) (IDG_PAIRS(g) + (g)->npairs))

static void
idg_over_ids(int64 n)
{
	ereport(ERROR,
			errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			errmsg("an identity_graph cannot hold more than %d identifiers",
				   IDG_MAX_IDS),
			errdetail("The limit is %d distinct identifiers.", IDG_MAX_IDS));
}

static void
idg_over_pairs(int64 n)
{
	ereport(ERROR,
			errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			errmsg("an identity_graph cannot hold more than %d pairs",
				   IDG_MAX_PAIRS),
			errdetail("The limit is %d distinct pairs of identifiers.",
					  IDG_MAX_PAIRS));
}

static void
idg_over_bytes(void)
{
	ereport(ERROR,
			errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			errmsg("the identifiers of an identity_graph cannot take more than %d bytes",
				   IDG_MAX_BYTES),
			errdetail("The limit is %d bytes of distinct identifiers.",
					  IDG_MAX_BYTES));
}

static void
idg_check_id_len(Size len)
{
	if (len > IDG_MAX_ID_LEN)
		ereport(ERROR,
				errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				errmsg("identifier is too long for an identity_graph"),
				errdetail("An identifier has %zu bytes; the limit is %d.",
						  len, IDG_MAX_ID_LEN));
}

/* an EngTooLong for identifiers in the text form */
static void
idg_id_too_long(int len, const void *arg)
{
	idg_check_id_len((Size) len);
}

/* bytewise order, a prefix first */
static inline int
idg_bytes_cmp(const char *a, uint32 la, const char *b, uint32 lb)
{
	int			c = memcmp(a, b, Min(la, lb));

	if (c != 0)
		return c;
	return (la > lb) - (la < lb);
}

static void
idg_validate(const IdgData *g, EngSource src)
{
	int			code = eng_source_errcode(src);
	const IdgPair *pairs;
	const char *bytes;
	uint32		next = 0;

	eng_check_state(&g->hdr, IDG_SIZE(0, 0, 0), IDG_VERSION, 0,
					"identity_graph", src);
	if (g->reserved != 0 || g->nids < 1 || g->nids > IDG_MAX_IDS ||
		g->npairs < 0 || g->npairs > IDG_MAX_PAIRS ||
		g->nbytes > IDG_MAX_BYTES ||
		VARSIZE(g) != IDG_SIZE(g->nids, g->npairs, g->nbytes))
		ereport(ERROR,
				errcode(code),
				errmsg("invalid identity_graph value"),
				errdetail("The counts do not match the size of the value."));
	pairs = IDG_PAIRS(g);
	bytes = IDG_BYTES(g);
	for (int i = 0; i < g->nids; i++)
	{
		const IdgId *id = &g->ids[i];

		CHECK_FOR_INTERRUPTS();
		if (id->offset != next || id->len > IDG_MAX_ID_LEN ||
			id->len > g->nbytes - next ||
			id->first_seen < ENG_MIN_TS || id->first_seen > ENG_MAX_TS)
			ereport(ERROR,
					errcode(code),
					errmsg("invalid identity_graph value"),
					errdetail("Identifier %d is out of place, too long or seen at an invalid time.",
							  i + 1));
		if (memchr(bytes + id->offset, '\0', id->len) != NULL ||
			!pg_verify_mbstr(GetDatabaseEncoding(), bytes + id->offset,
							 id->len, true))
			ereport(ERROR,
					errcode(code),
					errmsg("invalid identity_graph value"),
					errdetail("Identifier %d is not valid text in the database encoding.",
							  i + 1));
		if (i > 0 && idg_bytes_cmp(bytes + g->ids[i - 1].offset, g->ids[i - 1].len,
								   bytes + id->offset, id->len) >= 0)
			ereport(ERROR,
					errcode(code),
					errmsg("invalid identity_graph value"),
					errdetail("Identifiers must be distinct and in order (identifier %d).",
							  i + 1));
		next += id->len;
	}
	if (next != g->nbytes)
		ereport(ERROR,
				errcode(code),
				errmsg("invalid identity_graph value"),
				errdetail("The identifiers do not fill their byte area."));
	for (int k = 0; k < g->npairs; k++)
	{
		const IdgPair *p = &pairs[k];

		CHECK_FOR_INTERRUPTS();
		if (p->a < 0 || p->a >= p->b || p->b >= g->nids ||
			(k > 0 && (p->a < pairs[k - 1].a ||
					   (p->a == pairs[k - 1].a && p->b <= pairs[k - 1].b))) ||
			p->seen_at < g->ids[p->a].first_seen ||
			p->seen_at < g->ids[p->b].first_seen ||
			p->seen_at > ENG_MAX_TS)
			ereport(ERROR,
					errcode(code),
					errmsg("invalid identity_graph value"),
					errdetail("Pair %d is out of range, out of order, or seen before one of its identifiers.",
							  k + 1));
	}
}

static IdgData *
idg_getarg(FunctionCallInfo fcinfo, int argno)
{
	IdgData    *g = (IdgData *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	idg_validate(g, ENG_STORED);
	return g;
}

/*****************************************************************************
 * The working state: identifiers in an EngDict (arrival order), earliest
 * times per identifier, and a hash table of the distinct pairs.
 *****************************************************************************/

typedef struct IdgPairEntry
{
	uint64		key;			/* low index << 32 | high index */
	int64		seen_at;
	char		status;
} IdgPairEntry;

/*
 * Pairs hash with a seed drawn per table, so that no chosen input makes them
 * collide (the table's private data points at the seed).
 */
static inline uint32
idg_pair_hash(uint64 k, const uint64 *seed)
{
	return (uint32) hash_bytes_extended((const unsigned char *) &k, sizeof(k), *seed);
}

#define SH_PREFIX		idgpairs
#define SH_ELEMENT_TYPE	IdgPairEntry
#define SH_KEY_TYPE		uint64
#define SH_KEY			key
#define SH_HASH_KEY(tb, k)	idg_pair_hash(k, (const uint64 *) (tb)->private_data)
#define SH_EQUAL(tb, a, b)	((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

typedef struct IdgBuild
{
	EngDict		dict;
	int64	   *first;			/* per identifier */
	int			firstmax;
	Size		nbytes;
	idgpairs_hash *pairs;		/* NULL until the first pair */
} IdgBuild;

static bool
idg_empty(const void *state)
{
	return ((const IdgBuild *) state)->dict.n == 0;
}

static int32
idg_add_id(IdgBuild *b, const char *s, Size len, int64 seen, MemoryContext cxt)
{
	int			n = b->dict.n;
	int32		i;

	idg_check_id_len(len);
	/* the dictionary's own limit one above: the graph's error says it first */
	i = eng_dict_lookup(&b->dict, s, (int) len, IDG_MAX_IDS + 1, "identifier", cxt);
	if (i == n)
	{
		/* a new identifier */
		if (n >= IDG_MAX_IDS)
			idg_over_ids(n + 1);
		b->nbytes += len;
		if (b->nbytes > IDG_MAX_BYTES)
			idg_over_bytes();
		if (n == b->firstmax)
		{
			b->firstmax = b->firstmax ? Min(b->firstmax * 2, IDG_MAX_IDS) : 16;
			b->first = b->first ? repalloc(b->first, sizeof(int64) * b->firstmax) :
				MemoryContextAlloc(cxt, sizeof(int64) * b->firstmax);
		}
		b->first[i] = seen;
	}
	else if (seen < b->first[i])
		b->first[i] = seen;
	return i;
}

static void
idg_add_pair(IdgBuild *b, int32 x, int32 y, int64 seen, MemoryContext cxt)
{
	uint64		key;
	IdgPairEntry *e;
	bool		found;

	if (x == y)
		return;
	key = x < y ? ((uint64) x << 32) | (uint32) y : ((uint64) y << 32) | (uint32) x;
	if (b->pairs == NULL)
	{
		uint64	   *seed = MemoryContextAlloc(cxt, sizeof(uint64));

		*seed = pg_prng_uint64(&pg_global_prng_state);
		b->pairs = idgpairs_create(cxt, 64, seed);
	}
	e = idgpairs_lookup(b->pairs, key);
	if (e != NULL)
	{
		if (seen < e->seen_at)
			e->seen_at = seen;
		return;
	}
	if (b->pairs->members >= IDG_MAX_PAIRS)
		idg_over_pairs(b->pairs->members + 1);
	e = idgpairs_insert(b->pairs, key, &found);
	e->seen_at = seen;
}

static void
idg_merge(void *dst, const void *src, MemoryContext cxt)
{
	IdgBuild   *to = dst;
	const IdgBuild *from = src;
	int32	   *map;
	idgpairs_iterator it;
	IdgPairEntry *e;

	if (from->dict.n == 0)
		return;
	map = palloc(sizeof(int32) * from->dict.n);
	for (int i = 0; i < from->dict.n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		map[i] = idg_add_id(to, from->dict.names[i],
							eng_dict_name_len(&from->dict, i), from->first[i], cxt);
	}
	if (from->pairs != NULL)
	{
		idgpairs_start_iterate(from->pairs, &it);
		while ((e = idgpairs_iterate(from->pairs, &it)) != NULL)
		{
			CHECK_FOR_INTERRUPTS();
			idg_add_pair(to, map[e->key >> 32], map[(uint32) e->key], e->seen_at, cxt);
		}
	}
	pfree(map);
}

/* serial form: count, (len, bytes, first_seen) per identifier, count, pairs */
static void
idg_serialize(StringInfo buf, const void *state)
{
	const IdgBuild *b = state;
	idgpairs_iterator it;
	IdgPairEntry *e;

	pq_sendint32(buf, b->dict.n);
	for (int i = 0; i < b->dict.n; i++)
	{
		int			len = eng_dict_name_len(&b->dict, i);

		CHECK_FOR_INTERRUPTS();
		pq_sendint32(buf, len);
		pq_sendbytes(buf, b->dict.names[i], len);
		pq_sendint64(buf, b->first[i]);
	}
	pq_sendint32(buf, b->pairs ? b->pairs->members : 0);
	if (b->pairs != NULL)
	{
		idgpairs_start_iterate(b->pairs, &it);
		while ((e = idgpairs_iterate(b->pairs, &it)) != NULL)
		{
			CHECK_FOR_INTERRUPTS();
			pq_sendint32(buf, (int32) (e->key >> 32));
			pq_sendint32(buf, (int32) (uint32) e->key);
			pq_sendint64(buf, e->seen_at);
		}
	}
}

static const EngRecordCount idg_serial_ids = {
	"identity_graph", "identifiers", 0, IDG_MAX_IDS, 4 + 8, false, idg_over_ids
};
static const EngRecordCount idg_serial_pairs = {
	"identity_graph", "pairs", 0, IDG_MAX_PAIRS, 4 + 4 + 8, true, idg_over_pairs
};

static void
idg_deserialize(StringInfo buf, void *state, MemoryContext cxt)
{
	IdgBuild   *b = state;
	int32		n = eng_recv_count(buf, &idg_serial_ids, ENG_STORED);
	int32		np;

	for (int i = 0; i < n; i++)
	{
		int32		len = pq_getmsgint(buf, 4);
		const char *s;

		CHECK_FOR_INTERRUPTS();
		if (len < 0 || len > IDG_MAX_ID_LEN)
			ereport(ERROR,
					errcode(ERRCODE_DATA_CORRUPTED),
					errmsg("invalid identity_graph value"),
					errdetail("An identifier length is out of range."));
		s = pq_getmsgbytes(buf, len);
		if (idg_add_id(b, s, len, pq_getmsgint64(buf), cxt) != i)
			ereport(ERROR,
					errcode(ERRCODE_DATA_CORRUPTED),
					errmsg("invalid identity_graph value"),
					errdetail("An identifier occurs twice."));
	}
	np = eng_recv_count(buf, &idg_serial_pairs, ENG_STORED);
	for (int k = 0; k < np; k++)
	{
		int32		x = pq_getmsgint(buf, 4);
		int32		y = pq_getmsgint(buf, 4);

		CHECK_FOR_INTERRUPTS();
		if (x < 0 || y < 0 || x >= n || y >= n || x == y)
			ereport(ERROR,
					errcode(ERRCODE_DATA_CORRUPTED),
					errmsg("invalid identity_graph value"),
					errdetail("A pair names an unknown identifier."));
		idg_add_pair(b, x, y, pq_getmsgint64(buf), cxt);
	}
}

static void
idg_add_arg(void *state, FunctionCallInfo fcinfo, int argno, MemoryContext cxt)
{
	IdgData    *g = idg_getarg(fcinfo, argno);
	IdgPair    *pairs = IDG_PAIRS(g);
	const char *bytes = IDG_BYTES(g);
	int32	   *map = palloc(sizeof(int32) * g->nids);

	for (int i = 0; i < g->nids; i++)
	{
		CHECK_FOR_INTERRUPTS();
		map[i] = idg_add_id(state, bytes + g->ids[i].offset, g->ids[i].len,
							g->ids[i].first_seen, cxt);
	}
	for (int k = 0; k < g->npairs; k++)
	{
		CHECK_FOR_INTERRUPTS();
		idg_add_pair(state, map[pairs[k].a], map[pairs[k].b], pairs[k].seen_at, cxt);
	}
	pfree(map);
}

static int
idg_pair_cmp(const void *x, const void *y)
{
	const IdgPair *p = x;
	const IdgPair *q = y;

	CHECK_FOR_INTERRUPTS();
	if (p->a != q->a)
		return (p->a > q->a) - (p->a < q->a);
	return (p->b > q->b) - (p->b < q->b);
}

/* the stored (canonical) form of a working state with identifiers */
static Datum
idg_finish(void *state)
{
	IdgBuild   *b = state;
	int			n = b->dict.n;
	int			np = b->pairs ? (int) b->pairs->members : 0;
	int32	   *order = palloc(sizeof(int32) * n);
	int32	   *rank = palloc(sizeof(int32) * n);
	IdgData    *g;
	IdgPair    *pairs;
	char	   *bytes;
	uint32		off = 0;

	eng_dict_sort(&b->dict, NULL, order, rank);
	g = palloc0(IDG_SIZE(n, np, b->nbytes));
	eng_init_header(&g->hdr, IDG_SIZE(n, np, b->nbytes), IDG_VERSION, 0);
	g->nids = n;
	g->npairs = np;
	g->nbytes = (uint32) b->nbytes;
	pairs = IDG_PAIRS(g);
	bytes = IDG_BYTES(g);
	for (int k = 0; k < n; k++)
	{
		int			i = order[k];
		int			len = eng_dict_name_len(&b->dict, i);

		CHECK_FOR_INTERRUPTS();
		g->ids[k].first_seen = b->first[i];
		g->ids[k].offset = off;
		g->ids[k].len = len;
		memcpy(bytes + off, b->dict.names[i], len);
		off += len;
	}
	if (np > 0)
	{
		idgpairs_iterator it;
		IdgPairEntry *e;
		int			k = 0;

		idgpairs_start_iterate(b->pairs, &it);
		while ((e = idgpairs_iterate(b->pairs, &it)) != NULL)
		{
			int32		x = rank[e->key >> 32];
			int32		y = rank[(uint32) e->key];

			CHECK_FOR_INTERRUPTS();
			pairs[k].a = Min(x, y);
			pairs[k].b = Max(x, y);
			pairs[k].seen_at = e->seen_at;
			k++;
		}
		qsort(pairs, np, sizeof(IdgPair), idg_pair_cmp);
	}
	pfree(order);
	pfree(rank);
	PG_RETURN_POINTER(g);
}

static const EngBuildOps idg_build_ops = {
	.typname = "identity_graph",
	.size = sizeof(IdgBuild),
	.empty = idg_empty,
	.merge = idg_merge,
	.serialize = idg_serialize,
	.deserialize = idg_deserialize,
	.add_arg = idg_add_arg,
	.finish = idg_finish,
};

/*
 * identity_agg(id_a, id_b [, seen_at]): a row with a NULL identifier (or a
 * NULL seen_at) is skipped; (a, a) registers a lone identifier.
 */
PG_FUNCTION_INFO_V1(engagement_identity_graph_trans);
Datum
engagement_identity_graph_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	IdgBuild   *b = eng_build_arg(fcinfo, &idg_build_ops, &aggcontext);
	int64		seen = IDG_NO_TIME;
	text	   *ta;
	text	   *tb;
	int32		x;
	int32		y;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(b);
	if (PG_NARGS() > 3)
	{
		if (PG_ARGISNULL(3))
			PG_RETURN_POINTER(b);
		seen = PG_GETARG_TIMESTAMPTZ(3);
		eng_check_timestamp(seen, "identity_graph");
	}
	ta = PG_GETARG_TEXT_PP(1);
	tb = PG_GETARG_TEXT_PP(2);
	/* both lengths first: a refused row adds nothing */
	idg_check_id_len(VARSIZE_ANY_EXHDR(ta));
	idg_check_id_len(VARSIZE_ANY_EXHDR(tb));
	x = idg_add_id(b, VARDATA_ANY(ta), VARSIZE_ANY_EXHDR(ta), seen, aggcontext);
	y = idg_add_id(b, VARDATA_ANY(tb), VARSIZE_ANY_EXHDR(tb), seen, aggcontext);
	idg_add_pair(b, x, y, seen, aggcontext);
	PG_RETURN_POINTER(b);
}

PG_FUNCTION_INFO_V1(engagement_identity_graph_rollup_trans);
Datum
engagement_identity_graph_rollup_trans(PG_FUNCTION_ARGS)
{
	return eng_build_rollup_trans(fcinfo, &idg_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_identity_graph_add);
Datum
engagement_identity_graph_add(PG_FUNCTION_ARGS)
{
	return eng_build_add(fcinfo, &idg_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_identity_graph_combine);
Datum
engagement_identity_graph_combine(PG_FUNCTION_ARGS)
{
	return eng_build_combine(fcinfo, &idg_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_identity_graph_serial);
Datum
engagement_identity_graph_serial(PG_FUNCTION_ARGS)
{
	return eng_build_serial(fcinfo, &idg_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_identity_graph_deserial);
Datum
engagement_identity_graph_deserial(PG_FUNCTION_ARGS)
{
	return eng_build_deserial(fcinfo, &idg_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_identity_graph_final);
Datum
engagement_identity_graph_final(PG_FUNCTION_ARGS)
{
	return eng_build_final(fcinfo, &idg_build_ops);
}

/*****************************************************************************
 * Text and binary I/O:
 * (v=1,identifiers=["a" 2026-01-01T00:00:00Z,"b" ...],pairs=[0 1 2026-...])
 * Identifiers are double-quoted, a quote inside doubled; pairs name the
 * identifiers by their position (from 0) in the list.
 *****************************************************************************/

PG_FUNCTION_INFO_V1(engagement_identity_graph_out);
Datum
engagement_identity_graph_out(PG_FUNCTION_ARGS)
{
	IdgData    *g = idg_getarg(fcinfo, 0);
	IdgPair    *pairs = IDG_PAIRS(g);
	const char *bytes = IDG_BYTES(g);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(v=%d,identifiers=[", IDG_VERSION);
	for (int i = 0; i < g->nids; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		eng_append_quoted(&buf, bytes + g->ids[i].offset, (int) g->ids[i].len);
		appendStringInfoChar(&buf, ' ');
		eng_append_timestamp(&buf, g->ids[i].first_seen);
	}
	appendStringInfoString(&buf, "],pairs=[");
	for (int k = 0; k < g->npairs; k++)
	{
		CHECK_FOR_INTERRUPTS();
		if (k > 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfo(&buf, "%d %d ", pairs[k].a, pairs[k].b);
		eng_append_timestamp(&buf, pairs[k].seen_at);
	}
	appendStringInfoString(&buf, "])");
	PG_RETURN_CSTRING(buf.data);
}

/* growable arrays of the text and binary readers, bounded by the limits */
typedef struct IdgReader
{
	int			n;
	int			max;
	IdgId	   *ids;
	int			np;
	int			maxp;
	IdgPair    *pairs;
	StringInfoData bytes;
} IdgReader;

static void
idg_reader_id(IdgReader *r, const char *s, int len, int64 first)
{
	idg_check_id_len(len);
	if (r->n >= IDG_MAX_IDS)
		idg_over_ids(r->n + 1);
	if ((Size) r->bytes.len + len > IDG_MAX_BYTES)
		idg_over_bytes();
	if (r->n == r->max)
	{
		r->max = r->max ? Min(r->max * 2, IDG_MAX_IDS) : 16;
		r->ids = r->ids ? repalloc(r->ids, sizeof(IdgId) * r->max) :
			palloc(sizeof(IdgId) * r->max);
	}
	r->ids[r->n].first_seen = first;
	r->ids[r->n].offset = r->bytes.len;
	r->ids[r->n].len = len;
	appendBinaryStringInfo(&r->bytes, s, len);
	r->n++;
}

static void
idg_reader_pair(IdgReader *r, int64 a, int64 b, int64 seen, int code)
{
	if (r->np >= IDG_MAX_PAIRS)
		idg_over_pairs(r->np + 1);
	if (a < 0 || b < 0 || a >= r->n || b >= r->n)
		ereport(ERROR,
				errcode(code),
				errmsg("invalid identity_graph value"),
				errdetail("Pair %d names an identifier that does not exist.",
						  r->np + 1));
	if (r->np == r->maxp)
	{
		r->maxp = r->maxp ? Min(r->maxp * 2, IDG_MAX_PAIRS) : 16;
		r->pairs = r->pairs ? repalloc(r->pairs, sizeof(IdgPair) * r->maxp) :
			palloc(sizeof(IdgPair) * r->maxp);
	}
	r->pairs[r->np].a = (int32) a;
	r->pairs[r->np].b = (int32) b;
	r->pairs[r->np].seen_at = seen;
	r->np++;
}

static IdgData *
idg_reader_value(IdgReader *r)
{
	Size		size = IDG_SIZE(r->n, r->np, r->bytes.len);
	IdgData    *g = palloc0(size);

	eng_init_header(&g->hdr, size, IDG_VERSION, 0);
	g->nids = r->n;
	g->npairs = r->np;
	g->nbytes = r->bytes.len;
	if (r->n > 0)
		memcpy(g->ids, r->ids, sizeof(IdgId) * r->n);
	for (int k = 0; k < r->np; k++)
	{
		/* field by field: no padding to copy */
		IDG_PAIRS(g)[k].a = r->pairs[k].a;
		IDG_PAIRS(g)[k].b = r->pairs[k].b;
		IDG_PAIRS(g)[k].seen_at = r->pairs[k].seen_at;
	}
	if (r->bytes.len > 0)
		memcpy(IDG_BYTES(g), r->bytes.data, r->bytes.len);
	return g;
}

PG_FUNCTION_INFO_V1(engagement_identity_graph_in);
Datum
engagement_identity_graph_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	EngTextCursor c;
	IdgReader	r;
	StringInfoData id;
	IdgData    *g;

	memset(&r, 0, sizeof(r));
	initStringInfo(&r.bytes);
	initStringInfo(&id);
	eng_cursor_begin(&c, input, "identity_graph", IDG_VERSION);
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "identifiers");
	eng_cursor_expect(&c, '[');
	do
	{
		CHECK_FOR_INTERRUPTS();
		eng_cursor_expect(&c, '"');
		resetStringInfo(&id);
		eng_cursor_quoted(&c, &id, "identifier", IDG_MAX_ID_LEN, idg_id_too_long, NULL);
		idg_reader_id(&r, id.data, id.len, eng_cursor_timestamp(&c));
	} while (eng_cursor_accept(&c, ','));
	eng_cursor_expect(&c, ']');
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "pairs");
	eng_cursor_expect(&c, '[');
	if (!eng_cursor_accept(&c, ']'))
	{
		do
		{
			int64		a;
			int64		b;

			CHECK_FOR_INTERRUPTS();
			a = eng_cursor_int64(&c);
			b = eng_cursor_int64(&c);
			idg_reader_pair(&r, a, b, eng_cursor_timestamp(&c),
							ERRCODE_INVALID_TEXT_REPRESENTATION);
		} while (eng_cursor_accept(&c, ','));
		eng_cursor_expect(&c, ']');
	}
	eng_cursor_expect(&c, ')');
	eng_cursor_expect_end(&c);
	g = idg_reader_value(&r);
	idg_validate(g, ENG_TEXT);
	PG_RETURN_POINTER(g);
}

/* binary: version, count, (len, bytes, first_seen)..., count, (a, b, seen)... */
static const EngRecordCount idg_wire_ids = {
	"identity_graph", "identifiers", 1, IDG_MAX_IDS, 4 + 8, false, idg_over_ids
};
static const EngRecordCount idg_wire_pairs = {
	"identity_graph", "pairs", 0, IDG_MAX_PAIRS, 4 + 4 + 8, true, idg_over_pairs
};

PG_FUNCTION_INFO_V1(engagement_identity_graph_send);
Datum
engagement_identity_graph_send(PG_FUNCTION_ARGS)
{
	IdgData    *g = idg_getarg(fcinfo, 0);
	IdgPair    *pairs = IDG_PAIRS(g);
	const char *bytes = IDG_BYTES(g);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, IDG_VERSION);
	pq_sendint32(&buf, g->nids);
	for (int i = 0; i < g->nids; i++)
	{
		CHECK_FOR_INTERRUPTS();
		pq_sendint32(&buf, g->ids[i].len);
		pq_sendbytes(&buf, bytes + g->ids[i].offset, g->ids[i].len);
		pq_sendint64(&buf, g->ids[i].first_seen);
	}
	pq_sendint32(&buf, g->npairs);
	for (int k = 0; k < g->npairs; k++)
	{
		CHECK_FOR_INTERRUPTS();
		pq_sendint32(&buf, pairs[k].a);
		pq_sendint32(&buf, pairs[k].b);
		pq_sendint64(&buf, pairs[k].seen_at);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(engagement_identity_graph_recv);
Datum
engagement_identity_graph_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	IdgReader	r;
	int32		n;
	int32		np;
	IdgData    *g;

	memset(&r, 0, sizeof(r));
	initStringInfo(&r.bytes);
	eng_recv_version(buf, IDG_VERSION, "identity_graph");
	n = eng_recv_count(buf, &idg_wire_ids, ENG_BINARY);
	for (int i = 0; i < n; i++)
	{
		int32		len = pq_getmsgint(buf, 4);
		const char *s;

		CHECK_FOR_INTERRUPTS();
		if (len < 0 || len > IDG_MAX_ID_LEN || len > buf->len - buf->cursor)
			ereport(ERROR,
					errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					errmsg("invalid identity_graph value"),
					errdetail("The length of identifier %d is out of range.", i + 1));
		s = pq_getmsgbytes(buf, len);
		idg_reader_id(&r, s, len, pq_getmsgint64(buf));
	}
	np = eng_recv_count(buf, &idg_wire_pairs, ENG_BINARY);
	for (int k = 0; k < np; k++)
	{
		int32		a = pq_getmsgint(buf, 4);
		int32		b = pq_getmsgint(buf, 4);

		CHECK_FOR_INTERRUPTS();
		idg_reader_pair(&r, a, b, pq_getmsgint64(buf),
						ERRCODE_INVALID_BINARY_REPRESENTATION);
	}
	g = idg_reader_value(&r);
	idg_validate(g, ENG_BINARY);
	PG_RETURN_POINTER(g);
}

/*****************************************************************************
 * Counts, JSON form and unnest()
 *****************************************************************************/

PG_FUNCTION_INFO_V1(engagement_identity_graph_identifiers);
Datum
engagement_identity_graph_identifiers(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(idg_getarg(fcinfo, 0)->nids);
}

PG_FUNCTION_INFO_V1(engagement_identity_graph_pairs);
Datum
engagement_identity_graph_pairs(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(idg_getarg(fcinfo, 0)->npairs);
}

static void
idg_json_string(StringInfo buf, const char *s, uint32 len)
{
	char	   *copy = pnstrdup(s, len);

	escape_json(buf, copy);
	pfree(copy);
}

/*
 * {"version": 1, "identifiers": [{"identifier": "a", "first_seen": "..."}],
 * "pairs": [{"identifier_a": "a", "identifier_b": "b", "seen_at": "..."}]}
 */
static Datum
idg_json(FunctionCallInfo fcinfo, bool jsonb)
{
	IdgData    *g = idg_getarg(fcinfo, 0);
	IdgPair    *pairs = IDG_PAIRS(g);
	const char *bytes = IDG_BYTES(g);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"identifiers\": [", IDG_VERSION);
	for (int i = 0; i < g->nids; i++)
	{
		CHECK_FOR_INTERRUPTS();
		appendStringInfoString(&buf, i > 0 ? ", {\"identifier\": " : "{\"identifier\": ");
		idg_json_string(&buf, bytes + g->ids[i].offset, g->ids[i].len);
		appendStringInfoString(&buf, ", \"first_seen\": ");
		eng_json_timestamp(&buf, g->ids[i].first_seen);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "], \"pairs\": [");
	for (int k = 0; k < g->npairs; k++)
	{
		CHECK_FOR_INTERRUPTS();
		appendStringInfoString(&buf, k > 0 ? ", {\"identifier_a\": " : "{\"identifier_a\": ");
		idg_json_string(&buf, bytes + g->ids[pairs[k].a].offset, g->ids[pairs[k].a].len);
		appendStringInfoString(&buf, ", \"identifier_b\": ");
		idg_json_string(&buf, bytes + g->ids[pairs[k].b].offset, g->ids[pairs[k].b].len);
		appendStringInfoString(&buf, ", \"seen_at\": ");
		eng_json_timestamp(&buf, pairs[k].seen_at);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "]}");
	return eng_json_result(&buf, jsonb);
}

ENG_JSON_CASTS(engagement_identity_graph, idg_json)

static Datum
idg_text(const IdgData *g, int32 i)
{
	return PointerGetDatum(cstring_to_text_with_len(IDG_BYTES(g) + g->ids[i].offset,
													g->ids[i].len));
}

/*
 * unnest(identity_graph): (identifier_a, identifier_b, seen_at), one row
 * (a, a, first_seen) per identifier, then one row per pair: identity_agg
 * over these rows gives the graph back.
 */
PG_FUNCTION_INFO_V1(engagement_identity_graph_unnest);
Datum
engagement_identity_graph_unnest(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	IdgData    *g;
	IdgPair    *pairs;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	InitMaterializedSRF(fcinfo, 0);
	g = idg_getarg(fcinfo, 0);
	pairs = IDG_PAIRS(g);
	for (int i = 0; i < g->nids; i++)
	{
		CHECK_FOR_INTERRUPTS();
		values[0] = values[1] = idg_text(g, i);
		values[2] = TimestampTzGetDatum(g->ids[i].first_seen);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	for (int k = 0; k < g->npairs; k++)
	{
		CHECK_FOR_INTERRUPTS();
		values[0] = idg_text(g, pairs[k].a);
		values[1] = idg_text(g, pairs[k].b);
		values[2] = TimestampTzGetDatum(pairs[k].seen_at);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*****************************************************************************
 * Components: union-find over the pairs under the guard rails, cached per
 * (graph, options) in fn_extra.
 *
 * The options are (priority text[], max_size integer, never_merge text[],
 * as_of timestamptz).  Identifiers first seen after as_of are absent, pairs
 * seen after it ignored.  The pairs are taken in the order (seen_at, first
 * identifier, second identifier), identifiers bytewise; a pair with an
 * identifier of never_merge is refused ("never_merge"); a pair joining two
 * components whose sizes add up to more than max_size is refused
 * ("max_size"), and both components stay as they were.
 *****************************************************************************/

typedef struct IdgRefused
{
	int32		pair;			/* index in the stored pairs */
	int32		size_a;			/* component sizes when refused, 0 for */
	int32		size_b;			/* never_merge */
} IdgRefused;

typedef struct IdgView
{
	MemoryContext cxt;			/* everything below lives here */
	/* the key: raw datum bytes and the options */
	char	   *key;
	Size		keylen;
	char	   *prio_key;
	Size		prio_len;
	char	   *never_key;
	Size		never_len;
	int32		max_size;
	int64		as_of;
	/* the decoded graph */
	IdgData    *g;
	uint64		seed;			/* of the hash, drawn per decoding */
	uint32	   *hash;			/* index + 1, 0 empty; open addressing */
	uint32		hmask;
	int32	   *parent;			/* -1 for an absent identifier */
	int32	   *size;			/* per root */
	int32	   *canon;			/* per root: its canonical identifier */
	IdgRefused *refused;
	int			nrefused;
} IdgView;

static inline uint32
idg_hash_bytes(const IdgView *v, const char *s, uint32 len)
{
	return (uint32) hash_bytes_extended((const unsigned char *) s, (int) len, v->seed);
}

/* index of an identifier, or -1 */
static int32
idg_view_find(const IdgView *v, const char *s, uint32 len)
{
	const IdgData *g = v->g;
	const char *bytes = IDG_BYTES(g);
	uint32		h = idg_hash_bytes(v, s, len) & v->hmask;

	for (;;)
	{
		uint32		e = v->hash[h];

		if (e == 0)
			return -1;
		if (g->ids[e - 1].len == len &&
			memcmp(bytes + g->ids[e - 1].offset, s, len) == 0)
			return (int32) (e - 1);
		h = (h + 1) & v->hmask;
	}
}

static int32
idg_find(int32 *parent, int32 x)
{
	int32		root = x;

	while (parent[root] != root)
		root = parent[root];
	/* path compression: every node on the way points at the root */
	while (parent[x] != root)
	{
		int32		next = parent[x];

		parent[x] = root;
		x = next;
	}
	return root;
}

/* raw bytes of a datum that identify it: a toast pointer or the value */
static void
idg_datum_key(Datum d, const char **key, Size *len)
{
	struct varlena *raw = (struct varlena *) DatumGetPointer(d);

	if (VARATT_IS_EXTERNAL_ONDISK(raw))
	{
		*key = (const char *) raw;
		*len = VARSIZE_EXTERNAL(raw);
	}
	else if (VARATT_IS_EXTERNAL(raw))
	{
		raw = detoast_external_attr(raw);
		*key = (const char *) raw;
		*len = VARSIZE_ANY(raw);
	}
	else
	{
		*key = (const char *) raw;
		*len = VARSIZE_ANY(raw);
	}
}

static ArrayType *
idg_text_array(FunctionCallInfo fcinfo, int argno, const char *what)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(argno);

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				errmsg("%s must be a one-dimensional array", what));
	return arr;
}

typedef struct IdgOrderArg
{
	const IdgPair *pairs;
} IdgOrderArg;

static int
idg_order_cmp(const void *x, const void *y, void *arg)
{
	const IdgPair *pairs = ((const IdgOrderArg *) arg)->pairs;
	const IdgPair *p = &pairs[*(const int32 *) x];
	const IdgPair *q = &pairs[*(const int32 *) y];

	CHECK_FOR_INTERRUPTS();
	if (p->seen_at != q->seen_at)
		return (p->seen_at > q->seen_at) - (p->seen_at < q->seen_at);
	if (p->a != q->a)
		return (p->a > q->a) - (p->a < q->a);
	return (p->b > q->b) - (p->b < q->b);
}

/* the priority rank of identifier i: its type's place in the list */
static int
idg_priority(const IdgData *g, int32 i, Datum *prio, bool *pnull, int nprio)
{
	const char *s = IDG_BYTES(g) + g->ids[i].offset;
	const char *colon = memchr(s, ':', g->ids[i].len);
	int			tlen;

	if (colon == NULL)
		return nprio;
	tlen = (int) (colon - s);
	for (int k = 0; k < nprio; k++)
	{
		text	   *t;

		if (pnull[k])
			continue;
		t = DatumGetTextPP(prio[k]);
		if (VARSIZE_ANY_EXHDR(t) == (Size) tlen && memcmp(VARDATA_ANY(t), s, tlen) == 0)
			return k;
	}
	return nprio;
}

/*
 * The components of argument 0 under the options in arguments prio_arg
 * (-1: none), size_arg, never_arg and asof_arg.
 */
static IdgView *
idg_view(FunctionCallInfo fcinfo, int prio_arg, int size_arg, int never_arg,
		 int asof_arg)
{
	IdgView    *v = (IdgView *) fcinfo->flinfo->fn_extra;
	const char *key;
	Size		keylen;
	ArrayType  *prio = prio_arg >= 0 ? idg_text_array(fcinfo, prio_arg, "priority") : NULL;
	ArrayType  *never = idg_text_array(fcinfo, never_arg, "never_merge");
	int32		max_size = PG_GETARG_INT32(size_arg);
	int64		as_of = PG_GETARG_TIMESTAMPTZ(asof_arg);
	Size		prio_len = prio ? VARSIZE(prio) : 0;
	Size		never_len = VARSIZE(never);
	MemoryContext old;
	IdgData    *g;
	IdgPair    *pairs;
	Datum	   *prio_elems = NULL;
	bool	   *prio_nulls = NULL;
	int			nprio = 0;
	Datum	   *never_elems;
	bool	   *never_nulls;
	int			nnever;
	bool	   *blocked;
	int32	   *order;
	int			norder = 0;
	int		   *prank;
	uint32		hsize;
	IdgOrderArg oarg;

	if (max_size < 1)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("max_size must be at least 1"));
	idg_datum_key(PG_GETARG_DATUM(0), &key, &keylen);
	if (v != NULL && v->keylen == keylen && v->max_size == max_size &&
		v->as_of == as_of && v->prio_len == prio_len && v->never_len == never_len &&
		memcmp(v->key, key, keylen) == 0 &&
		(prio_len == 0 || memcmp(v->prio_key, prio, prio_len) == 0) &&
		memcmp(v->never_key, never, never_len) == 0)
		return v;

	if (v == NULL)
	{
		MemoryContext cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt,
												  "identity_graph reader",
												  ALLOCSET_DEFAULT_SIZES);

		v = MemoryContextAllocZero(cxt, sizeof(IdgView));
		v->cxt = cxt;
		fcinfo->flinfo->fn_extra = v;
	}
	else
	{
		MemoryContext cxt = v->cxt;

		/* forget the previous graph first: a failure leaves no stale key */
		fcinfo->flinfo->fn_extra = NULL;
		MemoryContextReset(cxt);
		v = MemoryContextAllocZero(cxt, sizeof(IdgView));
		v->cxt = cxt;
	}
	old = MemoryContextSwitchTo(v->cxt);
	g = (IdgData *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
	idg_validate(g, ENG_STORED);
	v->g = g;
	pairs = IDG_PAIRS(g);

	/* the hash table of identifiers: at most half full */
	hsize = 16;
	while (hsize < (uint32) g->nids * 2)
		hsize *= 2;
	v->seed = pg_prng_uint64(&pg_global_prng_state);
	v->hash = palloc0(sizeof(uint32) * hsize);
	v->hmask = hsize - 1;
	for (int i = 0; i < g->nids; i++)
	{
		uint32		h = idg_hash_bytes(v, IDG_BYTES(g) + g->ids[i].offset,
									   g->ids[i].len) & v->hmask;

		CHECK_FOR_INTERRUPTS();
		while (v->hash[h] != 0)
			h = (h + 1) & v->hmask;
		v->hash[h] = (uint32) i + 1;
	}

	/* identifiers never to merge through */
	blocked = palloc0(sizeof(bool) * g->nids);
	deconstruct_array(never, TEXTOID, -1, false, TYPALIGN_INT,
					  &never_elems, &never_nulls, &nnever);
	for (int k = 0; k < nnever; k++)
	{
		text	   *t;
		int32		i;

		CHECK_FOR_INTERRUPTS();
		if (never_nulls[k])
			continue;
		t = DatumGetTextPP(never_elems[k]);
		i = idg_view_find(v, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
		if (i >= 0)
			blocked[i] = true;
	}

	/* priority types */
	if (prio != NULL)
	{
		deconstruct_array(prio, TEXTOID, -1, false, TYPALIGN_INT,
						  &prio_elems, &prio_nulls, &nprio);
		if (nprio > IDG_MAX_PRIORITY)
			ereport(ERROR,
					errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					errmsg("a priority list cannot name more than %d identifier types",
						   IDG_MAX_PRIORITY),
					errdetail("The list has %d entries; the limit is %d.",
							  nprio, IDG_MAX_PRIORITY));
	}

	/* union-find over the pairs known at as_of, in their order */
	v->parent = palloc(sizeof(int32) * g->nids);
	v->size = palloc(sizeof(int32) * g->nids);
	v->canon = palloc(sizeof(int32) * g->nids);
	{
		uint8	   *rank = palloc0(g->nids);

		for (int i = 0; i < g->nids; i++)
		{
			v->parent[i] = g->ids[i].first_seen <= as_of ? i : -1;
			v->size[i] = 1;
		}
		order = palloc(sizeof(int32) * Max(g->npairs, 1));
		for (int k = 0; k < g->npairs; k++)
			if (pairs[k].seen_at <= as_of)
				order[norder++] = k;
		oarg.pairs = pairs;
		qsort_arg(order, norder, sizeof(int32), idg_order_cmp, &oarg);
		v->refused = palloc(sizeof(IdgRefused) * Max(norder, 1));
		for (int j = 0; j < norder; j++)
		{
			const IdgPair *p = &pairs[order[j]];
			int32		ra;
			int32		rb;

			CHECK_FOR_INTERRUPTS();
			if (blocked[p->a] || blocked[p->b])
			{
				v->refused[v->nrefused].pair = order[j];
				v->refused[v->nrefused].size_a = 0;
				v->refused[v->nrefused].size_b = 0;
				v->nrefused++;
				continue;
			}
			ra = idg_find(v->parent, p->a);
			rb = idg_find(v->parent, p->b);
			if (ra == rb)
				continue;
			if ((int64) v->size[ra] + v->size[rb] > max_size)
			{
				v->refused[v->nrefused].pair = order[j];
				v->refused[v->nrefused].size_a = v->size[ra];
				v->refused[v->nrefused].size_b = v->size[rb];
				v->nrefused++;
				continue;
			}
			/* union by rank */
			if (rank[ra] < rank[rb])
			{
				int32		t = ra;

				ra = rb;
				rb = t;
			}
			v->parent[rb] = ra;
			v->size[ra] += v->size[rb];
			if (rank[ra] == rank[rb])
				rank[ra]++;
		}
		pfree(rank);
		pfree(order);
	}

	/*
	 * The canonical identifier of each component: the highest priority (the
	 * earliest type in the list; an identifier of no listed type comes last),
	 * then the earliest seen, then the smallest.
	 */
	prank = palloc(sizeof(int) * g->nids);
	for (int i = 0; i < g->nids; i++)
		v->canon[i] = -1;
	for (int i = 0; i < g->nids; i++)
	{
		int32		r;
		int32		c;

		CHECK_FOR_INTERRUPTS();
		if (v->parent[i] < 0)
			continue;
		r = idg_find(v->parent, i);
		prank[i] = idg_priority(g, i, prio_elems, prio_nulls, nprio);
		c = v->canon[r];
		if (c < 0 || prank[i] < prank[c] ||
			(prank[i] == prank[c] && g->ids[i].first_seen < g->ids[c].first_seen))
			v->canon[r] = i;
	}
	pfree(prank);
	pfree(blocked);

	/* the key: the graph itself when the argument was a plain value */
	if (keylen == VARSIZE(g) && memcmp(key, g, keylen) == 0)
		v->key = (char *) g;
	else
	{
		v->key = palloc(keylen);
		memcpy(v->key, key, keylen);
	}
	v->keylen = keylen;
	v->prio_len = prio_len;
	if (prio_len > 0)
	{
		v->prio_key = palloc(prio_len);
		memcpy(v->prio_key, prio, prio_len);
	}
	v->never_len = never_len;
	v->never_key = palloc(never_len);
	memcpy(v->never_key, never, never_len);
	v->max_size = max_size;
	v->as_of = as_of;
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = v;
	return v;
}

/* canonical_id(graph, identifier, priority, max_size, never_merge, as_of) */
PG_FUNCTION_INFO_V1(engagement_identity_graph_canonical_id);
Datum
engagement_identity_graph_canonical_id(PG_FUNCTION_ARGS)
{
	text	   *id = PG_GETARG_TEXT_PP(1);
	IdgView    *v = idg_view(fcinfo, 2, 3, 4, 5);
	int32		i;

	if (VARSIZE_ANY_EXHDR(id) > IDG_MAX_ID_LEN)
		PG_RETURN_NULL();
	i = idg_view_find(v, VARDATA_ANY(id), VARSIZE_ANY_EXHDR(id));
	if (i < 0 || v->parent[i] < 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(idg_text(v->g, v->canon[idg_find(v->parent, i)]));
}

/*
 * identities(graph, priority, max_size, never_merge, as_of):
 * (identifier, canonical_id, component_size) per identifier present
 */
PG_FUNCTION_INFO_V1(engagement_identity_graph_identities);
Datum
engagement_identity_graph_identities(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	IdgView    *v;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	InitMaterializedSRF(fcinfo, 0);
	v = idg_view(fcinfo, 1, 2, 3, 4);
	for (int i = 0; i < v->g->nids; i++)
	{
		int32		r;

		CHECK_FOR_INTERRUPTS();
		if (v->parent[i] < 0)
			continue;
		r = idg_find(v->parent, i);
		values[0] = idg_text(v->g, i);
		values[1] = idg_text(v->g, v->canon[r]);
		values[2] = Int32GetDatum(v->size[r]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * components(graph, priority, max_size, never_merge, as_of):
 * (canonical_id, size) per component, in the order of the canonical ids
 */
PG_FUNCTION_INFO_V1(engagement_identity_graph_components);
Datum
engagement_identity_graph_components(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	IdgView    *v;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	InitMaterializedSRF(fcinfo, 0);
	v = idg_view(fcinfo, 1, 2, 3, 4);
	for (int i = 0; i < v->g->nids; i++)
	{
		int32		r;

		CHECK_FOR_INTERRUPTS();
		if (v->parent[i] < 0)
			continue;
		r = idg_find(v->parent, i);
		if (v->canon[r] != i)
			continue;
		values[0] = idg_text(v->g, i);
		values[1] = Int32GetDatum(v->size[r]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * refused_pairs(graph, max_size, never_merge, as_of): (identifier_a,
 * identifier_b, seen_at, reason, size_a, size_b) per refused pair, in the
 * order the pairs were taken; the sizes are those of the two components the
 * pair would have joined (NULL for never_merge).
 */
PG_FUNCTION_INFO_V1(engagement_identity_graph_refused_pairs);
Datum
engagement_identity_graph_refused_pairs(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	IdgView    *v;
	Datum		values[6];
	bool		nulls[6];

	InitMaterializedSRF(fcinfo, 0);
	v = idg_view(fcinfo, -1, 1, 2, 3);
	for (int j = 0; j < v->nrefused; j++)
	{
		const IdgRefused *r = &v->refused[j];
		const IdgPair *p = &IDG_PAIRS(v->g)[r->pair];
		bool		never = r->size_a == 0;

		CHECK_FOR_INTERRUPTS();
		memset(nulls, 0, sizeof(nulls));
		values[0] = idg_text(v->g, p->a);
		values[1] = idg_text(v->g, p->b);
		values[2] = TimestampTzGetDatum(p->seen_at);
		values[3] = CStringGetTextDatum(never ? "never_merge" : "max_size");
		values[4] = Int32GetDatum(r->size_a);
		values[5] = Int32GetDatum(r->size_b);
		nulls[4] = nulls[5] = never;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
