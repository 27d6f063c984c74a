/*-------------------------------------------------------------------------
 *
 * fractribution.c
 *	  Attribution over a path summary as Google's fractribution (and
 *	  Snowplow's port of it) computes it: the fractribution_summary state
 *	  and fractribution_agg(), fractribution(fractribution_summary, model),
 *	  roas() against spend per channel, and path_transform().
 *
 * A summary holds each distinct path (a sequence of channels, the empty
 * path included) with its conversions, non-conversions and revenue.  The
 * "shapley" model of fractribution is a leave-one-out rule per path, not
 * the Shapley value of shapley.c: a converting path's channel i gets
 * max(0, p(path) - p(path without touch i)), where p is the conversion rate
 * of that exact path in the summary (0 when it is absent or has no
 * journeys); the contributions are normalised to sum to 1, or the last
 * touch gets 1 when they are all 0; a path of one touch gets 1.  Touches of
 * the same channel add up.  Channel names are then cut at their first "("
 * (fractribution undoes its frequency transform so) and merged.
 *
 * IDENTIFICATION
 *	  src/fractribution.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include <math.h>

#include "attribution.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "common/pg_prng.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/tuplestore.h"

#define FRACT_VERSION			1
#define FRACT_VALID_FLAGS		0
#define FRACT_TYPNAME			"fractribution_summary"
#define FRACT_NAME_KIND			"fractribution channel"
#define FRACT_MAX_CHANNELS		65535
#define FRACT_MAX_PATHS			4000000
#define FRACT_MAX_TOUCHES		40000000

/*****************************************************************************
 * The stored summary
 *****************************************************************************/

/* one distinct path of a stored summary */
typedef struct FractPath
{
	int64		conversions;
	int64		non_conversions;
	double		revenue;
	int32		len;			/* touches of the path */
	int32		reserved;
} FractPath;

/*
 * Stored summary: header, counts, then FractPath paths[npaths], int32
 * touches[ntouches] (channel numbers, the paths one after the other), then
 * the channel names, NUL-terminated, sorted bytewise.  The paths are sorted
 * by their channel sequences (the empty path first) and distinct; every
 * channel occurs in some path.  So equal summaries are equal bytes.
 */
typedef struct FractData
{
	EngStateHeader hdr;
	int32		nchannels;
	int32		npaths;
	int32		ntouches;
	int32		reserved;
	char		data[FLEXIBLE_ARRAY_MEMBER];
} FractData;

#define FRACT_HDRSZ		offsetof(FractData, data)

/* a checked summary */
typedef struct Fract
{
	int			nchannels;
	int			npaths;
	int			ntouches;
	const FractPath *paths;
	const int32 *touches;
	const char **names;
	int32	   *start;			/* first touch of each path */
} Fract;

static void
fract_corrupt(int code, const char *detail)
{
	ereport(ERROR,
			errcode(code),
			errmsg("invalid %s value", FRACT_TYPNAME),
			errdetail("%s", detail));
}

static void
fract_over_limit(const char *what, int limit)
{
	ereport(ERROR,
			errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			errmsg("a %s cannot hold more than %d %s", FRACT_TYPNAME, limit,
				   what),
			errdetail("The limit keeps the text form of a summary below 1 GB."));
}

/* lexicographic order of two channel sequences, a prefix first */
static int
fract_seq_cmp(const int32 *a, int alen, const int32 *b, int blen)
{
	int			n = Min(alen, blen);

	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	}
	return (alen > blen) - (alen < blen);
}

/* check every field of a summary read from src and decode it into *f */
static void
fract_decode(const FractData *d, Fract *f, EngSource src)
{
	int			code = eng_source_errcode(src);
	const char *end = (const char *) d + VARSIZE(d);
	const char *p;
	Size		fixed;
	int64		total = 0;
	bool	   *used;

	eng_check_state(&d->hdr, FRACT_HDRSZ, FRACT_VERSION, FRACT_VALID_FLAGS,
					FRACT_TYPNAME, src);
	if (d->reserved != 0)
		fract_corrupt(code, "A reserved field is not zero.");
	if (d->nchannels < 0 || d->nchannels > FRACT_MAX_CHANNELS ||
		d->npaths < 1 || d->npaths > FRACT_MAX_PATHS ||
		d->ntouches < 0 || d->ntouches > FRACT_MAX_TOUCHES)
		fract_corrupt(code, "A count is out of range.");
	fixed = FRACT_HDRSZ + (Size) d->npaths * sizeof(FractPath) +
		(Size) d->ntouches * sizeof(int32);
	if (VARSIZE(d) < fixed)
		fract_corrupt(code, "The value is too short for its paths.");
	f->nchannels = d->nchannels;
	f->npaths = d->npaths;
	f->ntouches = d->ntouches;
	f->paths = (const FractPath *) d->data;
	f->touches = (const int32 *) (f->paths + d->npaths);
	f->start = palloc(sizeof(int32) * d->npaths);
	used = palloc0(sizeof(bool) * Max(d->nchannels, 1));
	for (int i = 0; i < d->npaths; i++)
	{
		const FractPath *fp = &f->paths[i];

		CHECK_FOR_INTERRUPTS();
		if (fp->conversions < 0 || fp->non_conversions < 0 ||
			isnan(fp->revenue) || isinf(fp->revenue) ||
			(fp->revenue == 0.0 && signbit(fp->revenue)) ||
			fp->len < 0 || fp->reserved != 0)
			fract_corrupt(code, "A path has a count, revenue or length out of range.");
		if (total + fp->len > d->ntouches)
			fract_corrupt(code, "The paths hold more touches than the value.");
		f->start[i] = (int32) total;
		total += fp->len;
		for (int k = 0; k < fp->len; k++)
		{
			int32		c = f->touches[f->start[i] + k];

			CHECK_FOR_INTERRUPTS();

			if (c < 0 || c >= d->nchannels)
				fract_corrupt(code, "A touch names no channel.");
			used[c] = true;
		}
		if (i > 0 &&
			fract_seq_cmp(f->touches + f->start[i - 1], f->paths[i - 1].len,
						  f->touches + f->start[i], fp->len) >= 0)
			fract_corrupt(code, "The paths are unsorted or repeated.");
	}
	if (total != d->ntouches)
		fract_corrupt(code, "The paths hold fewer touches than the value.");
	f->names = palloc(sizeof(char *) * Max(d->nchannels, 1));
	p = (const char *) d + fixed;
	for (int i = 0; i < d->nchannels; i++)
	{
		const char *nul = memchr(p, '\0', end - p);

		CHECK_FOR_INTERRUPTS();
		if (nul == NULL || nul - p > ENG_MAX_NAME_LEN ||
			!pg_verify_mbstr(GetDatabaseEncoding(), p, nul - p, true) ||
			(i > 0 && strcmp(f->names[i - 1], p) >= 0))
			fract_corrupt(code, "The channel names are invalid, unsorted or repeated.");
		if (!used[i])
			fract_corrupt(code, "A channel occurs in no path.");
		f->names[i] = p;
		p = nul + 1;
	}
	if (p != end)
		fract_corrupt(code, "There are bytes after the channel names.");
	pfree(used);
}

static FractData *
fract_getarg(FunctionCallInfo fcinfo, int argno, Fract *f)
{
	FractData  *d = (FractData *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	fract_decode(d, f, ENG_STORED);
	return d;
}

/*****************************************************************************
 * The working state: distinct paths in a hash table
 *
 * The touches of every distinct path are kept one after the other in one
 * array; a hash entry names its path by offset and length.  A new row's path
 * is appended first and looked up; when it is already known the append is
 * undone, so only distinct paths take memory.
 *****************************************************************************/

typedef struct FractEntry
{
	uint64		key;			/* length << 32 | first touch in touches */
	uint32		hash;
	char		status;			/* used by simplehash */
	int64		conversions;
	int64		non_conversions;
	double		revenue;
} FractEntry;

#define FRACT_KEY(off, len)		(((uint64) (len) << 32) | (uint64) (off))
#define FRACT_KEY_OFF(key)		((int64) ((key) & 0xFFFFFFFF))
#define FRACT_KEY_LEN(key)		((int32) ((key) >> 32))

typedef struct FractBuild
{
	EngDict		channels;
	struct fpath_hash *paths;
	int32	   *touches;
	int64		ntouches;
	int64		maxtouches;
	int32		npaths;
} FractBuild;

static inline bool
fract_key_equal(const FractBuild *b, uint64 x, uint64 y)
{
	return FRACT_KEY_LEN(x) == FRACT_KEY_LEN(y) &&
		memcmp(b->touches + FRACT_KEY_OFF(x), b->touches + FRACT_KEY_OFF(y),
			   sizeof(int32) * FRACT_KEY_LEN(x)) == 0;
}

static inline uint32
fract_hash_seq(const int32 *s, int32 len)
{
	return (uint32) hash_bytes_extended((const unsigned char *) s,
										sizeof(int32) * len, len);
}

static inline uint32
fract_key_hash(const FractBuild *b, uint64 key)
{
	return fract_hash_seq(b->touches + FRACT_KEY_OFF(key), FRACT_KEY_LEN(key));
}

#define SH_PREFIX		fpath
#define SH_ELEMENT_TYPE	FractEntry
#define SH_KEY_TYPE		uint64
#define SH_KEY			key
#define SH_HASH_KEY(tb, k)	fract_key_hash((tb)->private_data, k)
#define SH_EQUAL(tb, a, b)	fract_key_equal((tb)->private_data, a, b)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a)	((a)->hash)
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

static void
fbuild_init(void *state, MemoryContext cxt)
{
	FractBuild *b = state;

	b->paths = fpath_create(cxt, 16, b);
	b->maxtouches = 64;
	b->touches = MemoryContextAlloc(cxt, sizeof(int32) * b->maxtouches);
}

/* room for n more touches */
static void
fbuild_reserve(FractBuild *b, int64 n)
{
	int64		need = b->ntouches + n;

	if (need > FRACT_MAX_TOUCHES)
		fract_over_limit("touches", FRACT_MAX_TOUCHES);
	if (need > b->maxtouches)
	{
		int64		m = b->maxtouches;

		while (m < need)
			m *= 2;
		m = Min(m, (int64) FRACT_MAX_TOUCHES);
		b->touches = repalloc(b->touches, sizeof(int32) * m);
		b->maxtouches = m;
	}
}

static inline void
fract_add_count(int64 *counter, int64 w)
{
	if (pg_add_s64_overflow(*counter, w, counter))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("%s count is out of range", FRACT_TYPNAME));
}

/*
 * Count the path whose touches were just appended at b->touches[off..]
 * (len of them): a new distinct path keeps them, a known one drops them.
 */
static void
fbuild_count(FractBuild *b, int64 off, int32 len, int64 conv, int64 nonconv,
			 double revenue)
{
	uint64		key = FRACT_KEY(off, len);
	FractEntry *e;
	bool		found;

	e = fpath_insert_hash(b->paths, key, fract_key_hash(b, key), &found);
	if (found)
		b->ntouches = off;
	else
	{
		if (b->npaths >= FRACT_MAX_PATHS)
			fract_over_limit("distinct paths", FRACT_MAX_PATHS);
		b->npaths++;
		e->conversions = 0;
		e->non_conversions = 0;
		e->revenue = 0.0;
	}
	fract_add_count(&e->conversions, conv);
	fract_add_count(&e->non_conversions, nonconv);
	e->revenue += revenue;
	if (isinf(e->revenue))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("%s revenue is out of range", FRACT_TYPNAME),
				errdetail("The revenue of a path must be a finite double precision number."));
}

static int
fbuild_channel(FractBuild *b, const char *name, int len, MemoryContext cxt)
{
	return eng_dict_lookup(&b->channels, name, len, FRACT_MAX_CHANNELS,
						   FRACT_NAME_KIND, cxt);
}

/* add a checked summary */
static void
fbuild_add_summary(FractBuild *b, const Fract *f, MemoryContext cxt)
{
	int		   *map = palloc(sizeof(int) * Max(f->nchannels, 1));

	for (int i = 0; i < f->nchannels; i++)
	{
		CHECK_FOR_INTERRUPTS();
		map[i] = fbuild_channel(b, f->names[i], strlen(f->names[i]), cxt);
	}
	for (int i = 0; i < f->npaths; i++)
	{
		const FractPath *fp = &f->paths[i];
		int64		off = b->ntouches;

		CHECK_FOR_INTERRUPTS();
		fbuild_reserve(b, fp->len);
		for (int k = 0; k < fp->len; k++)
		{
			CHECK_FOR_INTERRUPTS();
			b->touches[off + k] = map[f->touches[f->start[i] + k]];
		}
		b->ntouches += fp->len;
		fbuild_count(b, off, fp->len, fp->conversions, fp->non_conversions,
					 fp->revenue);
	}
	pfree(map);
}

/* sort of the entries of a working state by their sequences of ranks */
typedef struct FractSortArg
{
	const FractBuild *b;
	const int32 *rank;
} FractSortArg;

static int
fract_entry_cmp(const void *x, const void *y, void *arg)
{
	const FractEntry *a = *(FractEntry *const *) x;
	const FractEntry *c = *(FractEntry *const *) y;
	const FractSortArg *sa = arg;
	int32		alen = FRACT_KEY_LEN(a->key);
	int32		clen = FRACT_KEY_LEN(c->key);
	const int32 *ta = sa->b->touches + FRACT_KEY_OFF(a->key);
	const int32 *tc = sa->b->touches + FRACT_KEY_OFF(c->key);
	int			n = Min(alen, clen);

	for (int i = 0; i < n; i++)
	{
		int32		ra = sa->rank[ta[i]];
		int32		rc = sa->rank[tc[i]];

		if (ra != rc)
			return ra < rc ? -1 : 1;
	}
	return (alen > clen) - (alen < clen);
}

/* the stored summary of a working state with at least one path */
static FractData *
fbuild_encode(const FractBuild *b)
{
	int			n = b->channels.n;
	int32	   *order = palloc(sizeof(int32) * Max(n, 1));
	int32	   *rank = palloc(sizeof(int32) * Max(n, 1));
	FractEntry **entries = palloc(sizeof(FractEntry *) * Max(b->npaths, 1));
	StringInfoData names;
	fpath_iterator it;
	FractEntry *e;
	FractSortArg sa;
	FractData  *d;
	FractPath  *paths;
	int32	   *touches;
	Size		size;
	int			k = 0;
	int64		t = 0;

	eng_dict_sort(&b->channels, NULL, order, rank);
	initStringInfo(&names);
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		appendBinaryStringInfo(&names, b->channels.names[order[i]],
							   strlen(b->channels.names[order[i]]) + 1);
	}
	fpath_start_iterate(b->paths, &it);
	while ((e = fpath_iterate(b->paths, &it)) != NULL)
	{
		CHECK_FOR_INTERRUPTS();
		entries[k++] = e;
	}
	Assert(k == b->npaths);
	sa.b = b;
	sa.rank = rank;
	qsort_arg(entries, k, sizeof(FractEntry *), fract_entry_cmp, &sa);

	size = FRACT_HDRSZ + (Size) k * sizeof(FractPath) +
		(Size) b->ntouches * sizeof(int32) + names.len;
	d = palloc0(size);
	eng_init_header(&d->hdr, size, FRACT_VERSION, 0);
	d->nchannels = n;
	d->npaths = k;
	d->ntouches = (int32) b->ntouches;
	paths = (FractPath *) d->data;
	touches = (int32 *) (paths + k);
	for (int i = 0; i < k; i++)
	{
		CHECK_FOR_INTERRUPTS();
		paths[i].conversions = entries[i]->conversions;
		paths[i].non_conversions = entries[i]->non_conversions;
		paths[i].revenue = eng_no_minus_zero(entries[i]->revenue);
		paths[i].len = FRACT_KEY_LEN(entries[i]->key);
		for (int j = 0; j < paths[i].len; j++)
			touches[t++] = rank[b->touches[FRACT_KEY_OFF(entries[i]->key) + j]];
	}
	memcpy(touches + t, names.data, names.len);
	pfree(order);
	pfree(rank);
	pfree(entries);
	pfree(names.data);
	return d;
}

/*
 * Binary form after the version byte, and the serial form of a working
 * state: channel, path and touch counts, each path's conversions,
 * non-conversions, revenue and length, the touches, then the names (the
 * rest).
 */
static void
fract_send_body(StringInfo buf, const FractData *d)
{
	const FractPath *paths = (const FractPath *) d->data;
	const int32 *touches = (const int32 *) (paths + d->npaths);
	const char *names = (const char *) (touches + d->ntouches);

	pq_sendint32(buf, d->nchannels);
	pq_sendint32(buf, d->npaths);
	for (int i = 0; i < d->npaths; i++)
	{
		CHECK_FOR_INTERRUPTS();
		pq_sendint64(buf, paths[i].conversions);
		pq_sendint64(buf, paths[i].non_conversions);
		pq_sendfloat8(buf, paths[i].revenue);
		pq_sendint32(buf, paths[i].len);
	}
	pq_sendint32(buf, d->ntouches);
	for (int i = 0; i < d->ntouches; i++)
	{
		CHECK_FOR_INTERRUPTS();
		pq_sendint32(buf, touches[i]);
	}
	pq_sendbytes(buf, names, ((const char *) d + VARSIZE(d)) - names);
}

static const EngRecordCount fract_wire_channels = {
	FRACT_TYPNAME, "channels", 0, FRACT_MAX_CHANNELS, 0, false
};
static const EngRecordCount fract_wire_paths = {
	FRACT_TYPNAME, "paths", 1, FRACT_MAX_PATHS, 8 + 8 + 8 + 4, false
};
static const EngRecordCount fract_wire_touches = {
	FRACT_TYPNAME, "touches", 0, FRACT_MAX_TOUCHES, 4, false
};

static FractData *
fract_recv_body(StringInfo buf, EngSource src, Fract *f)
{
	int32		nchannels = eng_recv_count(buf, &fract_wire_channels, src);
	int32		npaths = eng_recv_count(buf, &fract_wire_paths, src);
	FractPath  *paths = palloc(sizeof(FractPath) * npaths);
	int32		ntouches;
	int32	   *touches;
	Size		rest;
	Size		size;
	FractData  *d;

	for (int i = 0; i < npaths; i++)
	{
		CHECK_FOR_INTERRUPTS();
		paths[i].conversions = pq_getmsgint64(buf);
		paths[i].non_conversions = pq_getmsgint64(buf);
		paths[i].revenue = pq_getmsgfloat8(buf);
		paths[i].len = (int32) pq_getmsgint(buf, 4);
		paths[i].reserved = 0;
	}
	ntouches = eng_recv_count(buf, &fract_wire_touches, src);
	rest = buf->len - buf->cursor - (Size) ntouches * 4;
	if (rest > (Size) nchannels * (ENG_MAX_NAME_LEN + 1))
		fract_corrupt(eng_source_errcode(src), "The channel names are too long.");
	size = FRACT_HDRSZ + (Size) npaths * sizeof(FractPath) +
		(Size) ntouches * sizeof(int32) + rest;
	d = palloc0(size);
	eng_init_header(&d->hdr, size, FRACT_VERSION, 0);
	d->nchannels = nchannels;
	d->npaths = npaths;
	d->ntouches = ntouches;
	memcpy(d->data, paths, sizeof(FractPath) * npaths);
	pfree(paths);
	touches = (int32 *) (d->data + sizeof(FractPath) * npaths);
	for (int i = 0; i < ntouches; i++)
	{
		CHECK_FOR_INTERRUPTS();
		touches[i] = (int32) pq_getmsgint(buf, 4);
	}
	pq_copymsgbytes(buf, (char *) (touches + ntouches), rest);
	fract_decode(d, f, src);
	return d;
}

static bool
fract_empty(const void *state)
{
	return ((const FractBuild *) state)->npaths == 0;
}

/* the serial form: a byte, 1 when a summary follows (0: no path yet) */
static void
fract_serialize(StringInfo buf, const void *state)
{
	FractData  *d;

	if (fract_empty(state))
	{
		pq_sendbyte(buf, 0);
		return;
	}
	pq_sendbyte(buf, 1);
	d = fbuild_encode(state);
	fract_send_body(buf, d);
	pfree(d);
}

static void
fract_deserialize(StringInfo buf, void *state, MemoryContext cxt)
{
	Fract		f;
	FractData  *d;
	int			flag = pq_getmsgbyte(buf);

	if (flag == 0)
		return;
	if (flag != 1)
		fract_corrupt(ERRCODE_DATA_CORRUPTED, "The serial form starts with an unknown byte.");
	d = fract_recv_body(buf, ENG_STORED, &f);

	fbuild_add_summary(state, &f, cxt);
	pfree(d);
}

static void
fract_add_arg(void *state, FunctionCallInfo fcinfo, int argno,
			  MemoryContext cxt)
{
	Fract		f;

	fract_getarg(fcinfo, argno, &f);
	fbuild_add_summary(state, &f, cxt);
}

/* merge: the paths of src into dst */
static void
fbuild_merge(void *dst, const void *src, MemoryContext cxt)
{
	FractData  *d = fbuild_encode(src);
	Fract		f;

	fract_decode(d, &f, ENG_STORED);
	fbuild_add_summary(dst, &f, cxt);
	pfree(d);
}

static Datum
fract_finish(void *state)
{
	PG_RETURN_POINTER(fbuild_encode(state));
}

static const EngBuildOps fract_build_ops = {
	.typname = FRACT_TYPNAME,
	.size = sizeof(FractBuild),
	.init = fbuild_init,
	.empty = fract_empty,
	.merge = fbuild_merge,
	.serialize = fract_serialize,
	.deserialize = fract_deserialize,
	.add_arg = fract_add_arg,
	.finish = fract_finish,
};

/*****************************************************************************
 * Aggregates
 *****************************************************************************/

/*
 * fractribution_agg(path, conversions, non_conversions [, revenue]):
 * rows with a NULL path are skipped; an empty path is counted (it is the
 * conversions no channel touched); NULL counts and revenue are 0.
 */
static Datum
fract_trans_common(FunctionCallInfo fcinfo, bool with_revenue)
{
	MemoryContext aggcontext;
	FractBuild *b = eng_build_arg(fcinfo, &fract_build_ops, &aggcontext);
	ArrayType  *arr;
	ArrayIterator it;
	Datum		elem;
	bool		isnull;
	int64		conv = PG_ARGISNULL(2) ? 0 : PG_GETARG_INT64(2);
	int64		nonconv = PG_ARGISNULL(3) ? 0 : PG_GETARG_INT64(3);
	double		revenue = 0.0;
	int			n;
	int64		off;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(b);
	if (conv < 0 || nonconv < 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("conversion counts must not be negative"));
	if (with_revenue && !PG_ARGISNULL(4))
	{
		revenue = PG_GETARG_FLOAT8(4);
		if (isnan(revenue) || isinf(revenue))
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("revenue must be a finite number"));
	}
	arr = PG_GETARG_ARRAYTYPE_P(1);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				errmsg("a path must be a one-dimensional array"));
	n = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	fbuild_reserve(b, n);
	off = b->ntouches;
	if (n > 0)
	{
		it = array_create_iterator(arr, 0, NULL);
		while (array_iterate(it, &elem, &isnull))
		{
			text	   *t;

			CHECK_FOR_INTERRUPTS();
			if (isnull)
				ereport(ERROR,
						errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("path elements must not be NULL"));
			t = DatumGetTextPP(elem);
			b->touches[b->ntouches++] =
				fbuild_channel(b, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
							   aggcontext);
		}
		array_free_iterator(it);
	}
	fbuild_count(b, off, n, conv, nonconv, revenue);
	PG_RETURN_POINTER(b);
}

PG_FUNCTION_INFO_V1(engagement_fractribution_trans);
Datum
engagement_fractribution_trans(PG_FUNCTION_ARGS)
{
	return fract_trans_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(engagement_fractribution_trans_revenue);
Datum
engagement_fractribution_trans_revenue(PG_FUNCTION_ARGS)
{
	return fract_trans_common(fcinfo, true);
}

PG_FUNCTION_INFO_V1(engagement_fractribution_rollup_trans);
Datum
engagement_fractribution_rollup_trans(PG_FUNCTION_ARGS)
{
	return eng_build_rollup_trans(fcinfo, &fract_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_fractribution_combine);
Datum
engagement_fractribution_combine(PG_FUNCTION_ARGS)
{
	return eng_build_combine(fcinfo, &fract_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_fractribution_serial);
Datum
engagement_fractribution_serial(PG_FUNCTION_ARGS)
{
	return eng_build_serial(fcinfo, &fract_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_fractribution_deserial);
Datum
engagement_fractribution_deserial(PG_FUNCTION_ARGS)
{
	return eng_build_deserial(fcinfo, &fract_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_fractribution_final);
Datum
engagement_fractribution_final(PG_FUNCTION_ARGS)
{
	return eng_build_final(fcinfo, &fract_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_fractribution_summary_add);
Datum
engagement_fractribution_summary_add(PG_FUNCTION_ARGS)
{
	return eng_build_add(fcinfo, &fract_build_ops);
}

/*****************************************************************************
 * Text, binary and JSON forms
 *
 *	 (v=1,channels=["email","web"],paths=[[] 2 0 0,[0 1] 3 1 10.5])
 *
 * Channel names are double-quoted (a quote doubled); a path is the list of
 * the numbers of its channels in that list, followed by its conversions,
 * non-conversions and revenue.
 *****************************************************************************/

PG_FUNCTION_INFO_V1(engagement_fractribution_out);
Datum
engagement_fractribution_out(PG_FUNCTION_ARGS)
{
	Fract		f;
	StringInfoData buf;

	fract_getarg(fcinfo, 0, &f);
	initStringInfo(&buf);
	appendStringInfo(&buf, "(v=%d,channels=[", FRACT_VERSION);
	for (int i = 0; i < f.nchannels; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		eng_append_quoted(&buf, f.names[i], strlen(f.names[i]));
	}
	appendStringInfoString(&buf, "],paths=[");
	for (int i = 0; i < f.npaths; i++)
	{
		const FractPath *fp = &f.paths[i];

		CHECK_FOR_INTERRUPTS();
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfoChar(&buf, '[');
		for (int k = 0; k < fp->len; k++)
		{
			CHECK_FOR_INTERRUPTS();

			if (k > 0)
				appendStringInfoChar(&buf, ' ');
			appendStringInfo(&buf, "%d", f.touches[f.start[i] + k]);
		}
		appendStringInfo(&buf, "] " INT64_FORMAT " " INT64_FORMAT " ",
						 fp->conversions, fp->non_conversions);
		eng_append_float8(&buf, fp->revenue);
	}
	appendStringInfoString(&buf, "])");
	PG_RETURN_CSTRING(buf.data);
}

/* a double-quoted channel name into name */
static void
fract_parse_name(EngTextCursor *c, StringInfo name)
{
	resetStringInfo(name);
	while (eng_isspace(*c->p))
		c->p++;
	if (*c->p != '"')
		eng_cursor_error(c, "Expected a double-quoted channel name.");
	c->p++;
	eng_cursor_quoted(c, name, "name", ENG_MAX_NAME_LEN, eng_name_too_long, FRACT_NAME_KIND);
	if (!pg_verify_mbstr(GetDatabaseEncoding(), name->data, name->len, true))
		eng_cursor_error(c, "A channel name is not valid in the database encoding.");
}

PG_FUNCTION_INFO_V1(engagement_fractribution_in);
Datum
engagement_fractribution_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	EngTextCursor c;
	FractBuild *b = palloc0(sizeof(FractBuild));
	StringInfoData name;
	int			nlisted = 0;
	FractData  *d;
	Fract		check;

	fbuild_init(b, CurrentMemoryContext);
	initStringInfo(&name);
	eng_cursor_begin(&c, input, FRACT_TYPNAME, FRACT_VERSION);
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "channels");
	eng_cursor_expect(&c, '[');
	if (!eng_cursor_accept(&c, ']'))
	{
		do
		{
			CHECK_FOR_INTERRUPTS();
			fract_parse_name(&c, &name);
			fbuild_channel(b, name.data, name.len, CurrentMemoryContext);
			if (b->channels.n == nlisted)
				eng_cursor_error(&c, "A channel is listed twice.");
			nlisted++;
		} while (eng_cursor_accept(&c, ','));
		eng_cursor_expect(&c, ']');
	}
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "paths");
	eng_cursor_expect(&c, '[');
	do
	{
		int64		off = b->ntouches;
		int64		len = 0;
		int64		conv;
		int64		nonconv;
		double		revenue;

		CHECK_FOR_INTERRUPTS();
		eng_cursor_expect(&c, '[');
		if (!eng_cursor_accept(&c, ']'))
		{
			do
			{
				int64		k = eng_cursor_int64(&c);

				CHECK_FOR_INTERRUPTS();
				if (k < 0 || k >= nlisted)
					eng_cursor_error(&c, "A touch names no listed channel.");
				fbuild_reserve(b, 1);
				b->touches[b->ntouches++] = (int32) k;
				len++;
			} while (!eng_cursor_accept(&c, ']'));
		}
		conv = eng_cursor_int64(&c);
		nonconv = eng_cursor_int64(&c);
		revenue = eng_cursor_float8(&c);
		if (conv < 0 || nonconv < 0)
			eng_cursor_error(&c, "Conversion counts must not be negative.");
		fbuild_count(b, off, (int32) len, conv, nonconv, revenue);
	} while (eng_cursor_accept(&c, ','));
	eng_cursor_expect(&c, ']');
	eng_cursor_expect(&c, ')');
	eng_cursor_expect_end(&c);

	d = fbuild_encode(b);
	fract_decode(d, &check, ENG_TEXT);
	PG_RETURN_POINTER(d);
}

PG_FUNCTION_INFO_V1(engagement_fractribution_send);
Datum
engagement_fractribution_send(PG_FUNCTION_ARGS)
{
	Fract		f;
	FractData  *d = fract_getarg(fcinfo, 0, &f);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, FRACT_VERSION);
	fract_send_body(&buf, d);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(engagement_fractribution_recv);
Datum
engagement_fractribution_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Fract		check;

	eng_recv_version(buf, FRACT_VERSION, FRACT_TYPNAME);
	PG_RETURN_POINTER(fract_recv_body(buf, ENG_BINARY, &check));
}

/*
 * The channel names of a path as a text[]; chtext caches each channel's text
 * (NULL until first used), so a long path costs one pointer per touch
 * beside the array itself, whose size is checked before it is built
 */
static Datum
fract_path_array(const Fract *f, int i, text **chtext)
{
	int			len = f->paths[i].len;
	Datum	   *elems = palloc(sizeof(Datum) * Max(len, 1));
	Size		size = ARR_OVERHEAD_NONULLS(1);
	ArrayType  *a;

	for (int k = 0; k < len; k++)
	{
		int			c = f->touches[f->start[i] + k];

		if ((k & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (chtext[c] == NULL)
			chtext[c] = cstring_to_text(f->names[c]);
		size += INTALIGN(VARSIZE(chtext[c]));
		if (size > MaxAllocSize)
			ereport(ERROR,
					errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					errmsg("a path of this fractribution_summary is too long for a text[]"),
					errdetail("Its %d touches need more than %zu bytes as an array.",
							  len, (Size) MaxAllocSize));
		elems[k] = PointerGetDatum(chtext[c]);
	}
	a = construct_array(elems, len, TEXTOID, -1, false, TYPALIGN_INT);
	pfree(elems);
	return PointerGetDatum(a);
}

/* unnest(fractribution_summary): the paths as rows */
PG_FUNCTION_INFO_V1(engagement_fractribution_summary_unnest);
Datum
engagement_fractribution_summary_unnest(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Fract		f;
	text	  **chtext;

	InitMaterializedSRF(fcinfo, 0);
	fract_getarg(fcinfo, 0, &f);
	chtext = palloc0(sizeof(text *) * Max(f.nchannels, 1));
	for (int i = 0; i < f.npaths; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		CHECK_FOR_INTERRUPTS();
		values[0] = fract_path_array(&f, i, chtext);
		values[1] = Int64GetDatum(f.paths[i].conversions);
		values[2] = Int64GetDatum(f.paths[i].non_conversions);
		values[3] = Float8GetDatum(f.paths[i].revenue);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		/* the tuplestore has its copy (spilled to disk beyond work_mem) */
		pfree(DatumGetPointer(values[0]));
	}
	return (Datum) 0;
}

static Datum
fract_json(FunctionCallInfo fcinfo, bool jsonb)
{
	Fract		f;
	StringInfoData buf;

	fract_getarg(fcinfo, 0, &f);
	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"channels\": [", FRACT_VERSION);
	for (int i = 0; i < f.nchannels; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (i > 0)
			appendStringInfoString(&buf, ", ");
		escape_json(&buf, f.names[i]);
	}
	appendStringInfoString(&buf, "], \"paths\": [");
	for (int i = 0; i < f.npaths; i++)
	{
		const FractPath *fp = &f.paths[i];

		CHECK_FOR_INTERRUPTS();
		if (i > 0)
			appendStringInfoString(&buf, ", ");
		appendStringInfoString(&buf, "{\"path\": [");
		for (int k = 0; k < fp->len; k++)
		{
			CHECK_FOR_INTERRUPTS();

			if (k > 0)
				appendStringInfoString(&buf, ", ");
			escape_json(&buf, f.names[f.touches[f.start[i] + k]]);
		}
		appendStringInfo(&buf, "], \"conversions\": " INT64_FORMAT
						 ", \"non_conversions\": " INT64_FORMAT ", \"revenue\": ",
						 fp->conversions, fp->non_conversions);
		eng_append_float8(&buf, fp->revenue);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "]}");
	return eng_json_result(&buf, jsonb);
}

ENG_JSON_CASTS(engagement_fractribution_summary, fract_json)

/*****************************************************************************
 * Attribution
 *****************************************************************************/

typedef enum FractModel
{
	FRACT_SHAPLEY,
	FRACT_FIRST,
	FRACT_LAST,
	FRACT_LINEAR,
	FRACT_POSITION
} FractModel;

static FractModel
fract_parse_model(text *t)
{
	char	   *m = text_to_cstring(t);

	if (strcmp(m, "shapley") == 0)
		return FRACT_SHAPLEY;
	if (strcmp(m, "first_touch") == 0)
		return FRACT_FIRST;
	if (strcmp(m, "last_touch") == 0)
		return FRACT_LAST;
	if (strcmp(m, "linear") == 0)
		return FRACT_LINEAR;
	if (strcmp(m, "position_based") == 0)
		return FRACT_POSITION;
	ereport(ERROR,
			errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			errmsg("unknown fractribution model \"%s\"", m),
			errhint("Models are shapley, first_touch, last_touch, linear and position_based."));
	return FRACT_SHAPLEY;		/* keep compiler quiet */
}

/*
 * Polynomial hashes of channel sequences, so that the hash of a path without
 * one touch comes from its prefix hashes in O(1); a match is confirmed by
 * comparing the touches, so the hash only decides the speed.  Modulo the
 * prime 2^61 - 1 with a base drawn per call, so that no input is built to
 * make many paths collide (sequences that collide modulo 2^64 for every base
 * are known); modulo 2^64 where the compiler has no 128-bit integers.
 */
#ifdef HAVE_INT128
#define FRACT_MOD			((UINT64CONST(1) << 61) - 1)

static inline uint64
fract_mul(uint64 a, uint64 b)
{
	uint128		p = (uint128) a * b;
	uint64		r = (uint64) (p & FRACT_MOD) + (uint64) (p >> 61);

	return r >= FRACT_MOD ? r - FRACT_MOD : r;
}

static inline uint64
fract_addm(uint64 a, uint64 b)
{
	uint64		r = a + b;

	return r >= FRACT_MOD ? r - FRACT_MOD : r;
}

static inline uint64
fract_subm(uint64 a, uint64 b)
{
	return a >= b ? a - b : a + FRACT_MOD - b;
}

static uint64
fract_hash_base(void)
{
	return pg_prng_uint64_range(&pg_global_prng_state, UINT64CONST(1) << 20,
								FRACT_MOD - 2);
}
#else
static inline uint64
fract_mul(uint64 a, uint64 b)
{
	return a * b;
}

static inline uint64
fract_addm(uint64 a, uint64 b)
{
	return a + b;
}

static inline uint64
fract_subm(uint64 a, uint64 b)
{
	return a - b;
}

static uint64
fract_hash_base(void)
{
	return pg_prng_uint64(&pg_global_prng_state) | 1;
}
#endif

static inline uint64
fract_poly_step(uint64 h, int32 c, uint64 base)
{
	return fract_addm(fract_mul(h, base), (uint64) c + 1);
}

/* the paths of a summary by (hash, length): chained bucket heads */
typedef struct FractIndex
{
	uint64		base;			/* of the polynomial hashes */
	int			nbuckets;		/* a power of two */
	int32	   *head;			/* first path of a bucket, -1 if none */
	int32	   *next;			/* next path in the same bucket */
	uint64	   *hash;			/* polynomial hash of each path */
} FractIndex;

static inline uint32
fract_bucket(const FractIndex *ix, uint64 h, int32 len)
{
	uint64		x = hash_combine64(h, (uint64) len);

	return murmurhash32((uint32) (x ^ (x >> 32))) & (uint32) (ix->nbuckets - 1);
}

static void
fract_index_build(const Fract *f, FractIndex *ix)
{
	ix->nbuckets = 1;
	while (ix->nbuckets < f->npaths * 2)
		ix->nbuckets <<= 1;
	ix->head = palloc(sizeof(int32) * ix->nbuckets);
	memset(ix->head, -1, sizeof(int32) * ix->nbuckets);
	ix->next = palloc(sizeof(int32) * f->npaths);
	ix->hash = palloc(sizeof(uint64) * f->npaths);
	for (int i = 0; i < f->npaths; i++)
	{
		uint64		h = 0;
		uint32		bkt;

		CHECK_FOR_INTERRUPTS();
		for (int k = 0; k < f->paths[i].len; k++)
			h = fract_poly_step(h, f->touches[f->start[i] + k], ix->base);
		ix->hash[i] = h;
		bkt = fract_bucket(ix, h, f->paths[i].len);
		ix->next[i] = ix->head[bkt];
		ix->head[bkt] = i;
	}
}

/* the conversion rate of a path's exact sequence; 0 without journeys */
static inline double
fract_rate(const FractPath *fp)
{
	double		all = (double) fp->conversions + (double) fp->non_conversions;

	return all > 0.0 ? (double) fp->conversions / all : 0.0;
}

/*
 * The conversion rate of path i without its touch "skip" (hash h), or 0
 * when the summary has no such path.
 */
static double
fract_rate_without(const Fract *f, const FractIndex *ix, int i, int skip,
				   uint64 h)
{
	int32		len = f->paths[i].len - 1;
	const int32 *t = f->touches + f->start[i];

	for (int32 j = ix->head[fract_bucket(ix, h, len)]; j >= 0; j = ix->next[j])
	{
		const int32 *u = f->touches + f->start[j];
		bool		same = true;

		CHECK_FOR_INTERRUPTS();

		if (ix->hash[j] != h || f->paths[j].len != len)
			continue;
		for (int k = 0; k < len && same; k++)
		{
			CHECK_FOR_INTERRUPTS();
			same = (u[k] == t[k < skip ? k : k + 1]);
		}
		if (same)
			return fract_rate(&f->paths[j]);
	}
	return 0.0;
}

/*
 * The credit of every touch of path i under the model into credit[]
 * (fractribution's rules); false when the path gets no credit (the shapley
 * model on a path without conversions).
 */
static bool
fract_path_credit(const Fract *f, const FractIndex *ix, FractModel model,
				  int i, double *credit, uint64 *prefix, uint64 *pow)
{
	int			len = f->paths[i].len;
	const int32 *t = f->touches + f->start[i];

	for (int k = 0; k < len; k++)
	{
		CHECK_FOR_INTERRUPTS();
		credit[k] = 0.0;
	}
	switch (model)
	{
		case FRACT_FIRST:
			credit[0] = 1.0;
			break;
		case FRACT_LAST:
			credit[len - 1] = 1.0;
			break;
		case FRACT_LINEAR:
			for (int k = 0; k < len; k++)
			{
				CHECK_FOR_INTERRUPTS();
				credit[k] = 1.0 / len;
			}
			break;
		case FRACT_POSITION:
			if (len == 1)
				credit[0] = 1.0;
			else if (len == 2)
				credit[0] = credit[1] = 0.5;
			else
			{
				credit[0] = credit[len - 1] = 0.4;
				for (int k = 1; k < len - 1; k++)
				{
					CHECK_FOR_INTERRUPTS();
					credit[k] = 0.2 / (len - 2);
				}
			}
			break;
		case FRACT_SHAPLEY:
			{
				double		p = fract_rate(&f->paths[i]);
				double		sum = 0.0;
				uint64		whole;

				if (f->paths[i].conversions == 0)
					return false;
				if (len == 1)
				{
					credit[0] = 1.0;
					break;
				}
				prefix[0] = 0;
				for (int k = 0; k < len; k++)
				{
					CHECK_FOR_INTERRUPTS();
					prefix[k + 1] = fract_poly_step(prefix[k], t[k], ix->base);
				}
				whole = prefix[len];
				for (int k = 0; k < len; k++)
				{
					uint64		w = pow[len - 1 - k];
					uint64		rest = fract_subm(whole, fract_mul(prefix[k + 1], w));
					uint64		h = fract_addm(fract_mul(prefix[k], w), rest);
					double		mc;

					CHECK_FOR_INTERRUPTS();
					/* removing any touch of a run of one channel is the same */
					if (k > 0 && t[k] == t[k - 1])
						mc = credit[k - 1];
					else
						mc = Max(p - fract_rate_without(f, ix, i, k, h), 0.0);
					credit[k] = mc;
				}
				for (int k = 0; k < len; k++)
				{
					CHECK_FOR_INTERRUPTS();
					sum += credit[k];
				}
				if (sum > 0.0)
				{
					for (int k = 0; k < len; k++)
					{
						CHECK_FOR_INTERRUPTS();
						credit[k] /= sum;
					}
				}
				else
					credit[len - 1] = 1.0;
				break;
			}
	}
	return true;
}

/*
 * The attributed conversions and revenue of every reported channel (names
 * cut at their first "(", merged, sorted), and of no channel: the empty
 * paths, and under shapley the revenue of paths without conversions
 * (fractribution's Unmatched_Channel).
 */
typedef struct FractResult
{
	int			n;				/* reported channels */
	char	  **names;
	double	   *conversions;
	double	   *revenue;
	double		unmatched_conversions;
	double		unmatched_revenue;
} FractResult;

static void
fract_attribute(const Fract *f, FractModel model, FractResult *r)
{
	EngDict		out;
	int		   *map = palloc(sizeof(int) * Max(f->nchannels, 1));
	double	   *conv;
	double	   *rev;
	int			maxlen = 0;
	double	   *credit;
	uint64	   *prefix;
	uint64	   *pow;
	FractIndex	ix = {0};
	int32	   *order;
	int32	   *rank;

	/* reported channels: each name up to its first "(" */
	memset(&out, 0, sizeof(out));
	for (int c = 0; c < f->nchannels; c++)
	{
		const char *paren = strchr(f->names[c], '(');
		int			len = paren ? (int) (paren - f->names[c]) : (int) strlen(f->names[c]);

		CHECK_FOR_INTERRUPTS();
		map[c] = eng_dict_lookup(&out, f->names[c], len, FRACT_MAX_CHANNELS,
								 FRACT_NAME_KIND, CurrentMemoryContext);
	}
	conv = palloc0(sizeof(double) * Max(out.n, 1));
	rev = palloc0(sizeof(double) * Max(out.n, 1));
	for (int i = 0; i < f->npaths; i++)
		maxlen = Max(maxlen, f->paths[i].len);
	credit = palloc(sizeof(double) * Max(maxlen, 1));
	prefix = palloc(sizeof(uint64) * (maxlen + 1));
	pow = palloc(sizeof(uint64) * (maxlen + 1));
	ix.base = fract_hash_base();
	pow[0] = 1;
	for (int k = 1; k <= maxlen; k++)
	{
		CHECK_FOR_INTERRUPTS();
		pow[k] = fract_mul(pow[k - 1], ix.base);
	}
	if (model == FRACT_SHAPLEY)
		fract_index_build(f, &ix);

	r->unmatched_conversions = 0.0;
	r->unmatched_revenue = 0.0;
	for (int i = 0; i < f->npaths; i++)
	{
		const FractPath *fp = &f->paths[i];
		const int32 *t = f->touches + f->start[i];

		CHECK_FOR_INTERRUPTS();
		if (fp->len == 0 ||
			!fract_path_credit(f, &ix, model, i, credit, prefix, pow))
		{
			r->unmatched_conversions += (double) fp->conversions;
			r->unmatched_revenue += fp->revenue;
			continue;
		}
		for (int k = 0; k < fp->len; k++)
		{
			int			o = map[t[k]];

			CHECK_FOR_INTERRUPTS();

			conv[o] += credit[k] * (double) fp->conversions;
			rev[o] += credit[k] * fp->revenue;
		}
	}

	order = palloc(sizeof(int32) * Max(out.n, 1));
	rank = palloc(sizeof(int32) * Max(out.n, 1));
	eng_dict_sort(&out, NULL, order, rank);
	r->n = out.n;
	r->names = palloc(sizeof(char *) * Max(out.n, 1));
	r->conversions = palloc(sizeof(double) * Max(out.n, 1));
	r->revenue = palloc(sizeof(double) * Max(out.n, 1));
	for (int k = 0; k < out.n; k++)
	{
		r->names[k] = out.names[order[k]];
		r->conversions[k] = conv[order[k]];
		r->revenue[k] = rev[order[k]];
	}
}

/* fractribution(fractribution_summary, model) */
PG_FUNCTION_INFO_V1(engagement_fractribution_summary_credits);
Datum
engagement_fractribution_summary_credits(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	FractModel	model = fract_parse_model(PG_GETARG_TEXT_PP(1));
	Fract		f;
	FractResult r;

	InitMaterializedSRF(fcinfo, 0);
	fract_getarg(fcinfo, 0, &f);
	fract_attribute(&f, model, &r);
	for (int k = 0; k <= r.n; k++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		CHECK_FOR_INTERRUPTS();
		if (k < r.n)
		{
			values[0] = CStringGetTextDatum(r.names[k]);
			values[1] = attr_float8(r.conversions[k]);
			values[2] = attr_float8(r.revenue[k]);
		}
		else
		{
			if (r.unmatched_conversions == 0.0 && r.unmatched_revenue == 0.0)
				break;
			nulls[0] = true;
			values[1] = attr_float8(r.unmatched_conversions);
			values[2] = attr_float8(r.unmatched_revenue);
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * roas(fractribution_summary, model, channels text[], spend float8[]): the
 * attribution with the spend of each channel (the spend of a name summed
 * over the arrays; NULL spend elements skipped) and revenue / spend (NULL
 * without spend or for a spend of 0).  Channels with spend but no path are
 * not reported, as in fractribution's report.
 */
PG_FUNCTION_INFO_V1(engagement_fractribution_summary_roas);
Datum
engagement_fractribution_summary_roas(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	FractModel	model = fract_parse_model(PG_GETARG_TEXT_PP(1));
	ArrayType  *chans = PG_GETARG_ARRAYTYPE_P(2);
	ArrayType  *spends = PG_GETARG_ARRAYTYPE_P(3);
	ArrayIterator cit,
				sit;
	Datum		cd,
				sd;
	bool		cn,
				sn;
	EngDict		sdict;
	double	   *spend;
	bool	   *has_spend;
	int			nspent;
	Fract		f;
	FractResult r;

	if (ARR_NDIM(chans) > 1 || ARR_NDIM(spends) > 1 ||
		ArrayGetNItems(ARR_NDIM(chans), ARR_DIMS(chans)) !=
		ArrayGetNItems(ARR_NDIM(spends), ARR_DIMS(spends)))
		ereport(ERROR,
				errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				errmsg("channels and spend must be one-dimensional arrays of the same length"));

	/*
	 * One slot per distinct spend channel: the dictionary refuses more than
	 * FRACT_MAX_CHANNELS names (54000), however long the arrays are.
	 */
	memset(&sdict, 0, sizeof(sdict));
	spend = palloc0(sizeof(double) * FRACT_MAX_CHANNELS);
	has_spend = palloc0(sizeof(bool) * FRACT_MAX_CHANNELS);
	cit = array_create_iterator(chans, 0, NULL);
	sit = array_create_iterator(spends, 0, NULL);
	while (array_iterate(cit, &cd, &cn) && array_iterate(sit, &sd, &sn))
	{
		text	   *t;
		int			k;
		double		v;

		CHECK_FOR_INTERRUPTS();
		if (cn)
			ereport(ERROR,
					errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					errmsg("spend channel names must not be NULL"));
		if (sn)
			continue;
		v = DatumGetFloat8(sd);
		if (isnan(v) || isinf(v))
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("spend must be a finite number"));
		t = DatumGetTextPP(cd);
		k = eng_dict_lookup(&sdict, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
							FRACT_MAX_CHANNELS, "spend channel",
							CurrentMemoryContext);
		spend[k] += v;
		has_spend[k] = true;
		if (isinf(spend[k]))
			ereport(ERROR,
					errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					errmsg("spend of channel \"%s\" is out of range",
						   sdict.names[k]));
	}
	array_free_iterator(cit);
	array_free_iterator(sit);
	nspent = sdict.n;

	InitMaterializedSRF(fcinfo, 0);
	fract_getarg(fcinfo, 0, &f);
	fract_attribute(&f, model, &r);
	for (int k = 0; k <= r.n; k++)
	{
		Datum		values[5];
		bool		nulls[5] = {false, false, false, true, true};

		CHECK_FOR_INTERRUPTS();
		if (k < r.n)
		{
			int			s = -1;

			values[0] = CStringGetTextDatum(r.names[k]);
			values[1] = attr_float8(r.conversions[k]);
			values[2] = attr_float8(r.revenue[k]);
			/* names added here get numbers from nspent on: no spend */
			s = eng_dict_lookup(&sdict, r.names[k], strlen(r.names[k]),
								2 * FRACT_MAX_CHANNELS, "spend channel",
								CurrentMemoryContext);
			if (s >= nspent)
				s = -1;
			if (s >= 0 && has_spend[s])
			{
				nulls[3] = false;
				values[3] = attr_float8(spend[s]);
				if (spend[s] != 0.0)
				{
					nulls[4] = false;
					values[4] = attr_float8(r.revenue[k] / spend[s]);
				}
			}
		}
		else
		{
			if (r.unmatched_conversions == 0.0 && r.unmatched_revenue == 0.0)
				break;
			nulls[0] = true;
			values[1] = attr_float8(r.unmatched_conversions);
			values[2] = attr_float8(r.unmatched_revenue);
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*****************************************************************************
 * path_transform(path text[], transform text [, channel text])
 *****************************************************************************/

typedef enum FractTransform
{
	FT_UNIQUE,
	FT_EXPOSURE,
	FT_FIRST,
	FT_FREQUENCY,
	FT_REMOVE_IF_NOT_ALL,
	FT_REMOVE_IF_LAST_AND_NOT_ALL
} FractTransform;

static FractTransform
fract_parse_transform(const char *m)
{
	if (strcmp(m, "unique") == 0)
		return FT_UNIQUE;
	if (strcmp(m, "exposure") == 0)
		return FT_EXPOSURE;
	if (strcmp(m, "first") == 0)
		return FT_FIRST;
	if (strcmp(m, "frequency") == 0)
		return FT_FREQUENCY;
	if (strcmp(m, "remove_if_not_all") == 0)
		return FT_REMOVE_IF_NOT_ALL;
	if (strcmp(m, "remove_if_last_and_not_all") == 0)
		return FT_REMOVE_IF_LAST_AND_NOT_ALL;
	ereport(ERROR,
			errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			errmsg("unknown path transform \"%s\"", m),
			errhint("Transforms are unique, exposure, first, frequency, remove_if_not_all and remove_if_last_and_not_all."));
	return FT_UNIQUE;			/* keep compiler quiet */
}

static inline bool
fract_text_eq(Datum a, Datum b)
{
	text	   *x = DatumGetTextPP(a);
	text	   *y = DatumGetTextPP(b);

	return VARSIZE_ANY_EXHDR(x) == VARSIZE_ANY_EXHDR(y) &&
		memcmp(VARDATA_ANY(x), VARDATA_ANY(y), VARSIZE_ANY_EXHDR(x)) == 0;
}

static Datum
fract_path_transform(FunctionCallInfo fcinfo, bool with_channel)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(1));
	FractTransform tr = fract_parse_transform(name);
	bool		needs_channel = (tr == FT_REMOVE_IF_NOT_ALL ||
								 tr == FT_REMOVE_IF_LAST_AND_NOT_ALL);
	Datum		channel = with_channel ? PG_GETARG_DATUM(2) : (Datum) 0;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	Datum	   *out;
	int			m = 0;

	if (needs_channel && !with_channel)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("path transform \"%s\" needs a channel", name));
	if (!needs_channel && with_channel)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("path transform \"%s\" takes no channel", name));
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				errmsg("a path must be a one-dimensional array"));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (nulls[i])
			ereport(ERROR,
					errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					errmsg("path elements must not be NULL"));
	}
	out = palloc(sizeof(Datum) * Max(n, 1));
	switch (tr)
	{
		case FT_UNIQUE:
			for (int i = 0; i < n; i++)
				out[m++] = elems[i];
			break;
		case FT_EXPOSURE:
			for (int i = 0; i < n; i++)
			{
				CHECK_FOR_INTERRUPTS();
				if (i == 0 || !fract_text_eq(elems[i], elems[i - 1]))
					out[m++] = elems[i];
			}
			break;
		case FT_FIRST:
		case FT_FREQUENCY:
			{
				EngDict		d;
				int64	   *count = palloc0(sizeof(int64) * Max(n, 1));
				int		   *firstpos = palloc(sizeof(int) * Max(n, 1));

				memset(&d, 0, sizeof(d));
				for (int i = 0; i < n; i++)
				{
					text	   *t = DatumGetTextPP(elems[i]);
					int			before = d.n;
					int			k;

					CHECK_FOR_INTERRUPTS();
					k = eng_dict_lookup(&d, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
										FRACT_MAX_CHANNELS, FRACT_NAME_KIND,
										CurrentMemoryContext);
					if (d.n > before)
						firstpos[k] = i;
					count[k]++;
				}
				for (int k = 0; k < d.n; k++)
				{
					CHECK_FOR_INTERRUPTS();
					if (tr == FT_FIRST)
						out[m++] = elems[firstpos[k]];
					else
					{
						char	   *s = psprintf("%s(" INT64_FORMAT ")",
												 d.names[k], count[k]);

						out[m++] = CStringGetTextDatum(s);
						pfree(s);
					}
				}
				break;
			}
		case FT_REMOVE_IF_NOT_ALL:
			for (int i = 0; i < n; i++)
			{
				CHECK_FOR_INTERRUPTS();
				if (!fract_text_eq(elems[i], channel))
					out[m++] = elems[i];
			}
			if (m == 0)
				for (int i = 0; i < n; i++)
					out[m++] = elems[i];
			break;
		case FT_REMOVE_IF_LAST_AND_NOT_ALL:
			{
				int			tail = n;

				while (tail > 0 && fract_text_eq(elems[tail - 1], channel))
				{
					CHECK_FOR_INTERRUPTS();
					tail--;
				}
				if (tail == 0)
					tail = n;
				for (int i = 0; i < tail; i++)
					out[m++] = elems[i];
				break;
			}
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(out, m, TEXTOID, -1, false,
										  TYPALIGN_INT));
}

PG_FUNCTION_INFO_V1(engagement_path_transform);
Datum
engagement_path_transform(PG_FUNCTION_ARGS)
{
	return fract_path_transform(fcinfo, false);
}

PG_FUNCTION_INFO_V1(engagement_path_transform_channel);
Datum
engagement_path_transform_channel(PG_FUNCTION_ARGS)
{
	return fract_path_transform(fcinfo, true);
}
