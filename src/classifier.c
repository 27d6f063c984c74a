/*-------------------------------------------------------------------------
 *
 * classifier.c
 *	  Classifier quality (classifier_summary state): how well a score
 *	  predicts a boolean outcome.  The AUC (Mann-Whitney U / (n1 n0), ties
 *	  counted one half) with its DeLong standard error and a logit
 *	  confidence interval, a lift and cumulative-gain table per quantile,
 *	  and, for probabilities, log loss and the Brier score.
 *
 * The state is the exact histogram of the scores: every distinct score with
 * the number of positive and negative rows at it, sorted by score.  Every
 * reader above is a function of that histogram, so each is exact, and
 * states merge exactly (the counts of equal scores added).
 *
 * The working state of the aggregates is the same histogram unsorted: an
 * open-addressing hash table of (score, positives, negatives) records keyed
 * on the score (seeded per state, so that no chosen set of scores collides
 * under every seed), so a row costs a probe and memory grows with the
 * distinct scores, not the rows.  The records are sorted once, when the
 * stored value is made.
 *
 * IDENTIFICATION
 *	  src/classifier.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include <float.h>
#include <math.h>

#include "common/int.h"
#include "common/pg_prng.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "utils/tuplestore.h"

#define CLS_VERSION			1
#define CLS_TYPNAME			"classifier_summary"

/*
 * Distinct scores of a state.  The text form of one is at most 65 bytes (a
 * shortest-form double, two counts, separators), so the text of the largest
 * state stays below 1 GB.
 */
#define CLS_MAX_SCORES		(10 * 1000 * 1000)
/*
 * Probabilities are clipped to [eps, 1 - eps] for the log loss, eps the
 * machine epsilon of double precision (scikit-learn's default for float64
 * predictions since its version 1.2, eps="auto").
 */
#define CLS_LOG_LOSS_EPS	DBL_EPSILON

typedef struct ClsRecord
{
	double		score;
	int64		pos;
	int64		neg;
} ClsRecord;

/*
 * Working state: an open-addressing hash table of records (nslots, a power
 * of two, at most 3/4 full), the record itself in its slot so that a row
 * touches one cache line; a slot with both counts zero is empty.
 */
typedef struct ClsBuild
{
	int32		n;				/* distinct scores */
	int32		nslots;
	int32		last;			/* the slot of the previous row */
	int32		reserved;
	uint64		seed;
	ClsRecord  *tab;
} ClsBuild;

#define CLS_EMPTY(r)	((r)->pos == 0 && (r)->neg == 0)

/* Stored: header, count, then the distinct scores in increasing order. */
typedef struct ClsData
{
	EngStateHeader hdr;
	int32		nscores;
	int32		reserved;
	ClsRecord	rec[FLEXIBLE_ARRAY_MEMBER];
} ClsData;

#define CLS_SIZE(n)		(offsetof(ClsData, rec) + (Size) (n) * sizeof(ClsRecord))

/* binary and serial forms: a count, then per score a float8 and two int8 */
#define CLS_WIRE_RECORD	(8 + 8 + 8)

static void
cls_over_max(int64 n)
{
	ereport(ERROR,
			errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			errmsg("a classifier_summary cannot hold more than %d distinct scores",
				   CLS_MAX_SCORES),
			errdetail("The value holds " INT64_FORMAT " distinct scores.", n));
}

static const EngRecordCount cls_wire_scores = {
	CLS_TYPNAME, "scores", 1, CLS_MAX_SCORES, CLS_WIRE_RECORD, true, cls_over_max
};

/* a working state's records (unsorted, maybe none) */
static const EngRecordCount cls_serial_records = {
	CLS_TYPNAME, "records", 0, CLS_MAX_SCORES, CLS_WIRE_RECORD, true, cls_over_max
};

static pg_attribute_always_inline int
cls_cmp(const ClsRecord *a, const ClsRecord *b)
{
	/* sorts of up to 10 million scores stay cancellable */
	CHECK_FOR_INTERRUPTS();
	return (a->score > b->score) - (a->score < b->score);
}

#define ST_SORT cls_sort
#define ST_ELEMENT_TYPE ClsRecord
#define ST_COMPARE(a, b) cls_cmp(a, b)
#define ST_SCOPE static
#define ST_DECLARE
#define ST_DEFINE
#include "lib/sort_template.h"

static void
cls_count_overflow(void)
{
	ereport(ERROR,
			errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			errmsg("classifier_summary count is out of range"),
			errdetail("A count of rows would exceed 9223372036854775807."));
}

/* dst += src, counts checked */
static inline void
cls_add_counts(ClsRecord *dst, int64 pos, int64 neg)
{
	if (pg_add_s64_overflow(dst->pos, pos, &dst->pos) ||
		pg_add_s64_overflow(dst->neg, neg, &dst->neg))
		cls_count_overflow();
}

/* the bits of a score, mixed (splitmix64's finaliser) with the state's seed */
static inline uint32
cls_hash(double score, uint64 seed)
{
	uint64		x;

	memcpy(&x, &score, sizeof(x));
	x ^= seed;
	x ^= x >> 33;
	x *= UINT64CONST(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64CONST(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return (uint32) x;
}

/* the slot of a score: its record, or the empty slot where it goes */
static inline int32
cls_probe(const ClsRecord *tab, int32 nslots, uint64 seed, double score)
{
	uint32		mask = (uint32) nslots - 1;
	uint32		h = cls_hash(score, seed) & mask;

	while (!CLS_EMPTY(&tab[h]) && tab[h].score != score)
		h = (h + 1) & mask;
	return (int32) h;
}

/* a table of nslots slots, the records moved over */
static void
cls_grow(ClsBuild *b, int32 nslots, MemoryContext cxt)
{
	ClsRecord  *old = b->tab;
	int32		oldslots = b->nslots;
	ClsRecord  *tab = MemoryContextAllocZero(cxt, sizeof(ClsRecord) * (Size) nslots);

	if (old == NULL)
		b->seed = pg_prng_uint64(&pg_global_prng_state);
	for (int32 i = 0; i < oldslots; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!CLS_EMPTY(&old[i]))
			tab[cls_probe(tab, nslots, b->seed, old[i].score)] = old[i];
	}
	if (old != NULL)
		pfree(old);
	b->tab = tab;
	b->nslots = nslots;
	b->last = 0;
}

static void
cls_push(ClsBuild *b, double score, int64 pos, int64 neg, MemoryContext cxt)
{
	int32		h;

	/* one zero: -0 and 0 are the same score */
	if (score == 0.0)
		score = 0.0;
	/* runs of one score (sorted or repeated input) need no probe */
	if (b->n > 0 && b->tab[b->last].score == score && !CLS_EMPTY(&b->tab[b->last]))
	{
		cls_add_counts(&b->tab[b->last], pos, neg);
		return;
	}
	if (b->tab == NULL)
		cls_grow(b, 16, cxt);
	h = cls_probe(b->tab, b->nslots, b->seed, score);
	if (!CLS_EMPTY(&b->tab[h]))
	{
		b->last = h;
		cls_add_counts(&b->tab[h], pos, neg);
		return;
	}
	if (b->n >= CLS_MAX_SCORES)
		cls_over_max((int64) b->n + 1);
	if ((int64) (b->n + 1) * 4 > (int64) b->nslots * 3)
	{
		/*
		 * Doubling: 2^24 slots (384 MB) at most, since 10 million scores fill
		 * them to less than 3/4.
		 */
		cls_grow(b, b->nslots * 2, cxt);
		h = cls_probe(b->tab, b->nslots, b->seed, score);
	}
	b->tab[h].score = score;
	b->tab[h].pos = pos;
	b->tab[h].neg = neg;
	b->n++;
	b->last = h;
}

/*
 * The checks every stored value passes: distinct finite scores in
 * increasing order (no -0), counts not negative and not both zero, and
 * totals (positives, negatives and all rows) within bigint.
 */
static void
cls_validate(const ClsData *c, EngSource src)
{
	int			code = eng_source_errcode(src);
	int64		pos = 0,
				neg = 0,
				all;

	eng_check_state(&c->hdr, CLS_SIZE(0), CLS_VERSION, 0, CLS_TYPNAME, src);
	if (c->reserved != 0 || c->nscores < 1 || c->nscores > CLS_MAX_SCORES ||
		VARSIZE(c) != CLS_SIZE(c->nscores))
		ereport(ERROR,
				errcode(code),
				errmsg("invalid classifier_summary value"),
				errdetail("The number of scores does not match the size of the value."));
	for (int32 i = 0; i < c->nscores; i++)
	{
		const ClsRecord *r = &c->rec[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!isfinite(r->score) || (r->score == 0.0 && signbit(r->score)) ||
			(i > 0 && r->score <= c->rec[i - 1].score))
			ereport(ERROR,
					errcode(code),
					errmsg("invalid classifier_summary value"),
					errdetail("Score %d is not finite, or not greater than the one before.", i + 1));
		if (r->pos < 0 || r->neg < 0 || (r->pos == 0 && r->neg == 0))
			ereport(ERROR,
					errcode(code),
					errmsg("invalid classifier_summary value"),
					errdetail("The counts of score %d are negative or both zero.", i + 1));
		if (pg_add_s64_overflow(pos, r->pos, &pos) ||
			pg_add_s64_overflow(neg, r->neg, &neg))
			ereport(ERROR,
					errcode(code),
					errmsg("invalid classifier_summary value"),
					errdetail("The counts add up to more than 9223372036854775807."));
	}
	if (pg_add_s64_overflow(pos, neg, &all))
		ereport(ERROR,
				errcode(code),
				errmsg("invalid classifier_summary value"),
				errdetail("The counts add up to more than 9223372036854775807."));
}

static ClsData *
cls_getarg(FunctionCallInfo fcinfo, int argno)
{
	ClsData    *c = (ClsData *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	cls_validate(c, ENG_STORED);
	return c;
}

/*
 * The stored value of a working state: its records sorted (the working
 * state is left as it is, so a window aggregate can go on), the totals
 * checked (22003 where a merge of states would overflow a count).
 */
static ClsData *
cls_encode(ClsBuild *b)
{
	ClsData    *c;
	int64		pos = 0,
				neg = 0,
				all;

	for (int32 i = 0; i < b->nslots; i++)
	{
		if (pg_add_s64_overflow(pos, b->tab[i].pos, &pos) ||
			pg_add_s64_overflow(neg, b->tab[i].neg, &neg))
			cls_count_overflow();
	}
	if (pg_add_s64_overflow(pos, neg, &all))
		cls_count_overflow();
	c = palloc0(CLS_SIZE(b->n));
	eng_init_header(&c->hdr, CLS_SIZE(b->n), CLS_VERSION, 0);
	c->nscores = b->n;
	for (int32 i = 0, k = 0; i < b->nslots; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (CLS_EMPTY(&b->tab[i]))
			continue;
		/* field by field: padding stays zeroed (there is none today) */
		c->rec[k].score = b->tab[i].score;
		c->rec[k].pos = b->tab[i].pos;
		c->rec[k].neg = b->tab[i].neg;
		k++;
	}
	cls_sort(c->rec, c->nscores);
	return c;
}

/*
 * Working-state operations
 */
static bool
cls_empty(const void *state)
{
	return ((const ClsBuild *) state)->n == 0;
}

static void
cls_merge(void *dst, const void *src, MemoryContext cxt)
{
	const ClsBuild *from = src;

	for (int32 i = 0; i < from->nslots; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!CLS_EMPTY(&from->tab[i]))
			cls_push(dst, from->tab[i].score, from->tab[i].pos, from->tab[i].neg, cxt);
	}
}

static void
cls_send_records(StringInfo buf, const ClsRecord *rec, int32 n)
{
	pq_sendint32(buf, n);
	for (int32 i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendfloat8(buf, rec[i].score);
		pq_sendint64(buf, rec[i].pos);
		pq_sendint64(buf, rec[i].neg);
	}
}

static void
cls_serialize(StringInfo buf, const void *state)
{
	const ClsBuild *b = state;

	pq_sendint32(buf, b->n);
	for (int32 i = 0; i < b->nslots; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (CLS_EMPTY(&b->tab[i]))
			continue;
		pq_sendfloat8(buf, b->tab[i].score);
		pq_sendint64(buf, b->tab[i].pos);
		pq_sendint64(buf, b->tab[i].neg);
	}
}

static void
cls_deserialize(StringInfo buf, void *state, MemoryContext cxt)
{
	int32		n = eng_recv_count(buf, &cls_serial_records, ENG_STORED);

	for (int32 i = 0; i < n; i++)
	{
		double		score = pq_getmsgfloat8(buf);
		int64		pos = pq_getmsgint64(buf);
		int64		neg = pq_getmsgint64(buf);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!isfinite(score) || pos < 0 || neg < 0 || (pos == 0 && neg == 0))
			ereport(ERROR,
					errcode(ERRCODE_DATA_CORRUPTED),
					errmsg("invalid classifier_summary value"),
					errdetail("Record %d of the serial form is not finite or has bad counts.", i + 1));
		cls_push(state, score, pos, neg, cxt);
	}
}

static void
cls_add_arg(void *state, FunctionCallInfo fcinfo, int argno, MemoryContext cxt)
{
	ClsData    *c = cls_getarg(fcinfo, argno);

	for (int32 i = 0; i < c->nscores; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		cls_push(state, c->rec[i].score, c->rec[i].pos, c->rec[i].neg, cxt);
	}
}

static Datum
cls_finish(void *state)
{
	PG_RETURN_POINTER(cls_encode(state));
}

static const EngBuildOps cls_build_ops = {
	.typname = CLS_TYPNAME,
	.size = sizeof(ClsBuild),
	.empty = cls_empty,
	.merge = cls_merge,
	.serialize = cls_serialize,
	.deserialize = cls_deserialize,
	.add_arg = cls_add_arg,
	.finish = cls_finish,
};

/*
 * classifier_agg(score, outcome) and the aggregates of one number: rows with
 * a NULL score or outcome are skipped; a score must be finite.
 */
PG_FUNCTION_INFO_V1(engagement_classifier_trans);
Datum
engagement_classifier_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	ClsBuild   *b = eng_build_arg(fcinfo, &cls_build_ops, &aggcontext);
	double		score;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(b);
	score = PG_GETARG_FLOAT8(1);
	if (!isfinite(score))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("classifier score must be a finite number"),
				errdetail("The score is %s.",
						  isnan(score) ? "NaN" : score > 0 ? "Infinity" : "-Infinity"));
	if (PG_GETARG_BOOL(2))
		cls_push(b, score, 1, 0, aggcontext);
	else
		cls_push(b, score, 0, 1, aggcontext);
	PG_RETURN_POINTER(b);
}

PG_FUNCTION_INFO_V1(engagement_classifier_rollup_trans);
Datum
engagement_classifier_rollup_trans(PG_FUNCTION_ARGS)
{
	return eng_build_rollup_trans(fcinfo, &cls_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_classifier_summary_add);
Datum
engagement_classifier_summary_add(PG_FUNCTION_ARGS)
{
	return eng_build_add(fcinfo, &cls_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_classifier_combine);
Datum
engagement_classifier_combine(PG_FUNCTION_ARGS)
{
	return eng_build_combine(fcinfo, &cls_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_classifier_serial);
Datum
engagement_classifier_serial(PG_FUNCTION_ARGS)
{
	return eng_build_serial(fcinfo, &cls_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_classifier_deserial);
Datum
engagement_classifier_deserial(PG_FUNCTION_ARGS)
{
	return eng_build_deserial(fcinfo, &cls_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_classifier_final);
Datum
engagement_classifier_final(PG_FUNCTION_ARGS)
{
	return eng_build_final(fcinfo, &cls_build_ops);
}

/*****************************************************************************
 * Text and binary I/O: (v=1,scores=[0.1 3 2,0.5 0 1]), each distinct score
 * with its positive and its negative rows, scores increasing
 *****************************************************************************/

PG_FUNCTION_INFO_V1(engagement_classifier_summary_out);
Datum
engagement_classifier_summary_out(PG_FUNCTION_ARGS)
{
	ClsData    *c = cls_getarg(fcinfo, 0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(v=%d,scores=[", CLS_VERSION);
	for (int32 i = 0; i < c->nscores; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		eng_append_float8(&buf, c->rec[i].score);
		appendStringInfo(&buf, " " INT64_FORMAT " " INT64_FORMAT,
						 c->rec[i].pos, c->rec[i].neg);
	}
	appendStringInfoString(&buf, "])");
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(engagement_classifier_summary_in);
Datum
engagement_classifier_summary_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	EngTextCursor c;
	ClsBuild	b;
	ClsData    *r;
	double		prev = 0.0;
	int64		tpos = 0,
				tneg = 0,
				tall;

	memset(&b, 0, sizeof(b));
	eng_cursor_begin(&c, input, CLS_TYPNAME, CLS_VERSION);
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "scores");
	eng_cursor_expect(&c, '[');
	do
	{
		double		score = eng_cursor_float8(&c);
		int64		pos = eng_cursor_int64(&c);
		int64		neg = eng_cursor_int64(&c);

		CHECK_FOR_INTERRUPTS();
		if (score == 0.0 && signbit(score))
			eng_cursor_error(&c, "A score of zero is written 0.");
		if (b.n > 0 && score <= prev)
			eng_cursor_error(&c, "Scores must be distinct and in increasing order.");
		prev = score;
		if (pos < 0 || neg < 0 || (pos == 0 && neg == 0))
			eng_cursor_error(&c, "The counts of a score must not be negative, nor both zero.");
		/* as the binary form: totals beyond bigint make the value invalid */
		if (pg_add_s64_overflow(tpos, pos, &tpos) ||
			pg_add_s64_overflow(tneg, neg, &tneg) ||
			pg_add_s64_overflow(tpos, tneg, &tall))
			eng_cursor_error(&c, "The counts add up to more than 9223372036854775807 rows.");
		cls_push(&b, score, pos, neg, CurrentMemoryContext);
	} while (eng_cursor_accept(&c, ','));
	eng_cursor_expect(&c, ']');
	eng_cursor_expect(&c, ')');
	eng_cursor_expect_end(&c);
	r = cls_encode(&b);
	cls_validate(r, ENG_TEXT);
	PG_RETURN_POINTER(r);
}

PG_FUNCTION_INFO_V1(engagement_classifier_summary_send);
Datum
engagement_classifier_summary_send(PG_FUNCTION_ARGS)
{
	ClsData    *c = cls_getarg(fcinfo, 0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CLS_VERSION);
	cls_send_records(&buf, c->rec, c->nscores);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(engagement_classifier_summary_recv);
Datum
engagement_classifier_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		n;
	ClsData    *c;

	eng_recv_version(buf, CLS_VERSION, CLS_TYPNAME);
	n = eng_recv_count(buf, &cls_wire_scores, ENG_BINARY);
	c = palloc0(CLS_SIZE(n));
	eng_init_header(&c->hdr, CLS_SIZE(n), CLS_VERSION, 0);
	c->nscores = n;
	for (int32 i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		c->rec[i].score = pq_getmsgfloat8(buf);
		c->rec[i].pos = pq_getmsgint64(buf);
		c->rec[i].neg = pq_getmsgint64(buf);
	}
	cls_validate(c, ENG_BINARY);
	PG_RETURN_POINTER(c);
}

/*****************************************************************************
 * Readers
 *****************************************************************************/

typedef struct ClsTotals
{
	int64		pos;
	int64		neg;
} ClsTotals;

static ClsTotals
cls_totals(const ClsData *c)
{
	ClsTotals	t = {0, 0};

	/* validated: no overflow */
	for (int32 i = 0; i < c->nscores; i++)
	{
		t.pos += c->rec[i].pos;
		t.neg += c->rec[i].neg;
	}
	return t;
}

PG_FUNCTION_INFO_V1(engagement_classifier_summary_positives);
Datum
engagement_classifier_summary_positives(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(cls_totals(cls_getarg(fcinfo, 0)).pos);
}

PG_FUNCTION_INFO_V1(engagement_classifier_summary_negatives);
Datum
engagement_classifier_summary_negatives(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(cls_totals(cls_getarg(fcinfo, 0)).neg);
}

/*
 * AUC = U / (n1 n0), U = sum over positive rows of the negative rows below
 * them plus half of those at the same score.  2U is summed exactly in 128
 * bits (each term below 2^127, the sum at most 2 n1 n0 < 2^127), so the
 * result is the exact ratio rounded once or twice.  False when one class is
 * missing (no AUC).
 */
#ifdef HAVE_INT128
typedef uint128 ClsWide;

static inline void
cls_wide_add_product(ClsWide *acc, uint64 a, uint64 b)
{
	*acc += (uint128) a * b;
}

static inline long double
cls_wide_value(ClsWide acc)
{
	return (long double) acc;
}
#else
/* without a 128-bit integer type: two 64-bit halves */
typedef struct ClsWide
{
	uint64		hi;
	uint64		lo;
} ClsWide;

static inline void
cls_wide_add_product(ClsWide *acc, uint64 a, uint64 b)
{
	uint64		a0 = a & 0xFFFFFFFF,
				a1 = a >> 32,
				b0 = b & 0xFFFFFFFF,
				b1 = b >> 32;
	uint64		p00 = a0 * b0,
				p01 = a0 * b1,
				p10 = a1 * b0,
				p11 = a1 * b1;
	uint64		mid = (p00 >> 32) + (p01 & 0xFFFFFFFF) + (p10 & 0xFFFFFFFF);
	uint64		lo = (mid << 32) | (p00 & 0xFFFFFFFF);
	uint64		hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);

	acc->lo += lo;
	acc->hi += hi + (acc->lo < lo ? 1 : 0);
}

static inline long double
cls_wide_value(ClsWide acc)
{
	return (long double) acc.hi * 18446744073709551616.0L + (long double) acc.lo;
}
#endif

static bool
cls_auc(const ClsData *c, const ClsTotals *t, double *auc)
{
	ClsWide		twice_u = {0};
	uint64		below = 0;

	if (t->pos == 0 || t->neg == 0)
		return false;
	for (int32 i = 0; i < c->nscores; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		cls_wide_add_product(&twice_u, (uint64) c->rec[i].pos,
							 2 * below + (uint64) c->rec[i].neg);
		below += (uint64) c->rec[i].neg;
	}
	*auc = (double) (cls_wide_value(twice_u) /
					 (2.0L * (long double) t->pos * (long double) t->neg));
	return true;
}

PG_FUNCTION_INFO_V1(engagement_classifier_summary_auc);
Datum
engagement_classifier_summary_auc(PG_FUNCTION_ARGS)
{
	ClsData    *c = cls_getarg(fcinfo, 0);
	ClsTotals	t = cls_totals(c);
	double		auc;

	if (!cls_auc(c, &t, &auc))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(auc);
}

/*
 * DeLong's variance of the AUC (DeLong, DeLong and Clarke-Pearson 1988),
 * ties counted one half: the structural component of a positive row at
 * score s is V10 = (negatives below s + half those at s) / n0, of a
 * negative row V01 = (positives above s + half those at s) / n1; then
 * var = S10 / n1 + S01 / n0 with S10, S01 the sample variances (n - 1) of
 * the components over the positive and the negative rows.  Rows at one
 * score share their component, so each sum runs over the distinct scores.
 * False when a class has fewer than two rows (no sample variance).
 */
static bool
cls_delong(const ClsData *c, const ClsTotals *t, double *auc, double *se)
{
	long double s10 = 0.0L,
				s01 = 0.0L,
				a;
	uint64		below = 0;
	uint64		above = (uint64) t->pos;

	if (t->pos < 2 || t->neg < 2 || !cls_auc(c, t, auc))
		return false;
	a = *auc;
	for (int32 i = 0; i < c->nscores; i++)
	{
		const ClsRecord *r = &c->rec[i];
		long double v10,
					v01;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		above -= (uint64) r->pos;
		v10 = ((long double) below + 0.5L * (long double) r->neg) / (long double) t->neg;
		v01 = ((long double) above + 0.5L * (long double) r->pos) / (long double) t->pos;
		s10 += (long double) r->pos * (v10 - a) * (v10 - a);
		s01 += (long double) r->neg * (v01 - a) * (v01 - a);
		below += (uint64) r->neg;
	}
	s10 /= (long double) (t->pos - 1);
	s01 /= (long double) (t->neg - 1);
	*se = eng_no_minus_zero((double) sqrtl(s10 / (long double) t->pos +
										   s01 / (long double) t->neg));
	return true;
}

PG_FUNCTION_INFO_V1(engagement_classifier_summary_auc_std_error);
Datum
engagement_classifier_summary_auc_std_error(PG_FUNCTION_ARGS)
{
	ClsData    *c = cls_getarg(fcinfo, 0);
	ClsTotals	t = cls_totals(c);
	double		auc,
				se;

	if (!cls_delong(c, &t, &auc, &se))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(se);
}

/*
 * auc_ci(state, confidence): the DeLong standard error on the logit scale,
 * logit(A) +- z se / (A (1 - A)), back through the logistic function, so
 * the interval stays inside (0, 1).  At an AUC of 0 or 1 (perfect
 * separation) the DeLong variance is 0 and the interval is that point.
 */
PG_FUNCTION_INFO_V1(engagement_classifier_summary_auc_ci);
Datum
engagement_classifier_summary_auc_ci(PG_FUNCTION_ARGS)
{
	ClsData    *c = cls_getarg(fcinfo, 0);
	double		z = eng_confidence_z(PG_GETARG_FLOAT8(1));
	ClsTotals	t = cls_totals(c);
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	double		auc,
				se,
				lo,
				hi;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				errmsg("function returning record called in context that cannot accept type record"));
	tupdesc = BlessTupleDesc(tupdesc);
	if (!cls_delong(c, &t, &auc, &se))
		PG_RETURN_NULL();
	if (auc <= 0.0 || auc >= 1.0)
		lo = hi = auc;
	else
	{
		double		l = log(auc / (1.0 - auc));
		double		h = z * se / (auc * (1.0 - auc));

		/* the round trip through the logit may move the AUC by an ulp */
		lo = Min(1.0 / (1.0 + exp(-(l - h))), auc);
		hi = Max(1.0 / (1.0 + exp(-(l + h))), auc);
	}
	values[0] = Float8GetDatum(eng_no_minus_zero(lo));
	values[1] = Float8GetDatum(eng_no_minus_zero(hi));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* log loss and the Brier score need probabilities: 22023 otherwise */
static void
cls_check_probabilities(const ClsData *c, const char *what)
{
	double		bad;
	StringInfoData buf;

	if (c->rec[0].score < 0.0)
		bad = c->rec[0].score;
	else if (c->rec[c->nscores - 1].score > 1.0)
		bad = c->rec[c->nscores - 1].score;
	else
		return;
	initStringInfo(&buf);
	eng_append_float8(&buf, bad);
	ereport(ERROR,
			errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			errmsg("%s needs scores between 0 and 1", what),
			errdetail("A score is %s.", buf.data));
}

/*
 * Mean of -ln(p) over the positive rows and -ln(1 - p) over the negative
 * ones, p clipped to [eps, 1 - eps].
 */
static double
cls_log_loss(const ClsData *c)
{
	ClsTotals	t = cls_totals(c);
	long double sum = 0.0L;

	cls_check_probabilities(c, "log_loss");
	for (int32 i = 0; i < c->nscores; i++)
	{
		double		p = c->rec[i].score;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		p = Min(Max(p, CLS_LOG_LOSS_EPS), 1.0 - CLS_LOG_LOSS_EPS);
		if (c->rec[i].pos > 0)
			sum -= (long double) c->rec[i].pos * log(p);
		if (c->rec[i].neg > 0)
			sum -= (long double) c->rec[i].neg * log1p(-p);
	}
	return eng_no_minus_zero((double) (sum / ((long double) t.pos + (long double) t.neg)));
}

/* mean of (1 - p)^2 over the positive rows and p^2 over the negative ones */
static double
cls_brier(const ClsData *c)
{
	ClsTotals	t = cls_totals(c);
	long double sum = 0.0L;

	cls_check_probabilities(c, "brier_score");
	for (int32 i = 0; i < c->nscores; i++)
	{
		long double p = c->rec[i].score;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		sum += (long double) c->rec[i].pos * (1.0L - p) * (1.0L - p) +
			(long double) c->rec[i].neg * p * p;
	}
	return eng_no_minus_zero((double) (sum / ((long double) t.pos + (long double) t.neg)));
}

PG_FUNCTION_INFO_V1(engagement_classifier_summary_log_loss);
Datum
engagement_classifier_summary_log_loss(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(cls_log_loss(cls_getarg(fcinfo, 0)));
}

PG_FUNCTION_INFO_V1(engagement_classifier_summary_brier_score);
Datum
engagement_classifier_summary_brier_score(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(cls_brier(cls_getarg(fcinfo, 0)));
}

/*
 * Final functions of the aggregates of one number: NULL for no rows, and
 * for auc() one class only.
 */
static ClsData *
cls_final_state(FunctionCallInfo fcinfo)
{
	ClsBuild   *b;

	if (PG_ARGISNULL(0))
		return NULL;
	b = (ClsBuild *) PG_GETARG_POINTER(0);
	if (b->n == 0)
		return NULL;
	return cls_encode(b);
}

PG_FUNCTION_INFO_V1(engagement_classifier_auc_final);
Datum
engagement_classifier_auc_final(PG_FUNCTION_ARGS)
{
	ClsData    *c = cls_final_state(fcinfo);
	ClsTotals	t;
	double		auc;

	if (c == NULL)
		PG_RETURN_NULL();
	t = cls_totals(c);
	if (!cls_auc(c, &t, &auc))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(auc);
}

PG_FUNCTION_INFO_V1(engagement_classifier_log_loss_final);
Datum
engagement_classifier_log_loss_final(PG_FUNCTION_ARGS)
{
	ClsData    *c = cls_final_state(fcinfo);

	if (c == NULL)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(cls_log_loss(c));
}

PG_FUNCTION_INFO_V1(engagement_classifier_brier_score_final);
Datum
engagement_classifier_brier_score_final(PG_FUNCTION_ARGS)
{
	ClsData    *c = cls_final_state(fcinfo);

	if (c == NULL)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(cls_brier(c));
}

/*
 * lift_table(state, groups): the rows ranked by score, highest first, cut
 * into groups of ntile()'s sizes (the first N mod groups one row larger).
 * Where a group boundary falls inside a run of equal scores, the run's
 * positives are shared in proportion to the rows on each side: the mean of
 * what ntile() gives over every order of the tied rows.
 */
#define CLS_MAX_GROUPS		10000

PG_FUNCTION_INFO_V1(engagement_classifier_summary_lift_table);
Datum
engagement_classifier_summary_lift_table(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ClsData    *c;
	int32		groups = PG_GETARG_INT32(1);
	ClsTotals	t;
	int64		n,
				size,
				extra,
				cum_rows = 0;
	long double cum_pos = 0.0L;
	long double rate;
	int32		k;
	int64		left;

	if (groups < 1 || groups > CLS_MAX_GROUPS)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("lift_table groups must be between 1 and %d", CLS_MAX_GROUPS),
				errdetail("The number of groups given was %d.", groups));
	InitMaterializedSRF(fcinfo, 0);
	c = cls_getarg(fcinfo, 0);
	t = cls_totals(c);
	n = t.pos + t.neg;
	size = n / groups;
	extra = n % groups;
	rate = (long double) t.pos / (long double) n;
	/* walk the scores from the highest; left = rows of score k not yet used */
	k = c->nscores - 1;
	left = c->rec[k].pos + c->rec[k].neg;
	for (int32 g = 1; g <= groups; g++)
	{
		int64		rows = size + (g <= extra ? 1 : 0);
		int64		need = rows;
		long double pos = 0.0L;
		double		max_score = c->rec[k].score,
					min_score;
		Datum		values[11];
		bool		nulls[11];

		CHECK_FOR_INTERRUPTS();
		if (rows == 0)
			break;
		for (;;)
		{
			int64		take = Min(need, left);
			int64		run = c->rec[k].pos + c->rec[k].neg;

			if ((k & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (take == run)
				pos += (long double) c->rec[k].pos;
			else
				pos += (long double) c->rec[k].pos * (long double) take / (long double) run;
			need -= take;
			left -= take;
			min_score = c->rec[k].score;
			if (left == 0 && k > 0)
			{
				k--;
				left = c->rec[k].pos + c->rec[k].neg;
			}
			if (need == 0)
				break;
		}
		cum_rows += rows;
		cum_pos += pos;
		memset(nulls, 0, sizeof(nulls));
		values[0] = Int32GetDatum(g);
		values[1] = Int64GetDatum(rows);
		values[2] = Float8GetDatum(eng_no_minus_zero((double) pos));
		values[3] = Float8GetDatum(min_score);
		values[4] = Float8GetDatum(max_score);
		values[5] = Float8GetDatum(eng_no_minus_zero((double) (pos / (long double) rows)));
		values[6] = Int64GetDatum(cum_rows);
		values[7] = Float8GetDatum(eng_no_minus_zero((double) cum_pos));
		if (t.pos == 0)
		{
			/* no positive rows: no lift, no share of them */
			nulls[8] = nulls[9] = nulls[10] = true;
		}
		else
		{
			values[8] = Float8GetDatum(eng_no_minus_zero((double) (pos / (long double) rows / rate)));
			values[9] = Float8GetDatum(eng_no_minus_zero((double) (cum_pos / (long double) t.pos)));
			values[10] = Float8GetDatum(eng_no_minus_zero((double) (cum_pos / (long double) cum_rows / rate)));
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* unnest(classifier_summary): (score, positives, negatives), scores increasing */
PG_FUNCTION_INFO_V1(engagement_classifier_summary_unnest);
Datum
engagement_classifier_summary_unnest(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ClsData    *c;

	InitMaterializedSRF(fcinfo, 0);
	c = cls_getarg(fcinfo, 0);
	for (int32 i = 0; i < c->nscores; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		values[0] = Float8GetDatum(c->rec[i].score);
		values[1] = Int64GetDatum(c->rec[i].pos);
		values[2] = Int64GetDatum(c->rec[i].neg);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*****************************************************************************
 * JSON form: {"version": 1, "positives": 3, "negatives": 3, "scores":
 * [{"score": 0.1, "positives": 0, "negatives": 2}, ...]}, scores increasing
 *****************************************************************************/

static Datum
cls_json(FunctionCallInfo fcinfo, bool jsonb)
{
	ClsData    *c = cls_getarg(fcinfo, 0);
	ClsTotals	t = cls_totals(c);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"positives\": " INT64_FORMAT
					 ", \"negatives\": " INT64_FORMAT ", \"scores\": [",
					 CLS_VERSION, t.pos, t.neg);
	for (int32 i = 0; i < c->nscores; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		appendStringInfoString(&buf, i > 0 ? ", {\"score\": " : "{\"score\": ");
		eng_append_float8(&buf, c->rec[i].score);
		appendStringInfo(&buf, ", \"positives\": " INT64_FORMAT
						 ", \"negatives\": " INT64_FORMAT "}",
						 c->rec[i].pos, c->rec[i].neg);
	}
	appendStringInfoString(&buf, "]}");
	return eng_json_result(&buf, jsonb);
}

ENG_JSON_CASTS(engagement_classifier_summary, cls_json)
