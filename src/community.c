/*-------------------------------------------------------------------------
 *
 * community.c
 *	  Community health (community_health state): the six health factors of
 *	  Lithium's Community Health Index (members, content, traffic,
 *	  responsiveness, interaction, liveliness) measured over posts, a
 *	  documented composite, and the threads waiting for an answer.
 *
 * The state keeps one record per (thread, author): the author's first and
 * last post in the thread, how many posts and views, the lowest sentiment
 * of those posts when one was given, and when the author started the thread
 * if they did.  Every factor derives from those
 * records, and two states merge exactly by adding records of the same
 * (thread, author), so daily states roll up to months even when a thread's
 * posts fall on different days or shards.
 *
 * The composite is "CHI-inspired", not Lithium's CHI: Lithium never
 * published its weighting (docs/formulas.md §11).
 *
 * IDENTIFICATION
 *	  src/community.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include <ctype.h>
#include <math.h>

#include "funcapi.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/tuplestore.h"

#define COMM_VERSION		1
#define COMM_FLAG_VIEWS		0x01	/* views were given */
/*
 * Most (thread, author) records a state may hold (documented): at most
 * about 195 bytes of text each, so that the text form of any state stays
 * under the 1 GB limit of a value and every state can be COPYed and dumped.
 * Values of up to COMM_MAX_STORED records, the limit before, are still read.
 */
#define COMM_MAX_RECORDS	(5 * 1000 * 1000)
#define COMM_MAX_STORED		(10 * 1000 * 1000)
#define COMM_NO_START		PG_INT64_MAX
#define COMM_COMPACT_MIN	1024	/* compact the build buffer from this size */

/* one (thread, author) */
typedef struct CommRecord
{
	int64		thread;
	int64		author;
	int64		first_ts;		/* the author's first post in the thread */
	int64		last_ts;		/* and last */
	int64		start_ts;		/* the thread's starting post, if this author
								 * wrote it; COMM_NO_START otherwise */
	int64		views;
	int64		posts;
	double		sentiment;		/* lowest sentiment of the posts, NaN if none */
} CommRecord;

/* Aggregation state: records in arrival order (one per post until merged). */
typedef struct CommBuild
{
	int			n;
	int			max;
	int			sorted;			/* r[0..sorted) is compacted: sorted, distinct */
	bool		views;			/* some post gave its views */
	CommRecord *r;
} CommBuild;

/* Stored: header, count, records sorted by (thread, author), distinct. */
typedef struct CommData
{
	EngStateHeader hdr;
	int32		nrecords;
	int32		reserved;
	CommRecord	r[FLEXIBLE_ARRAY_MEMBER];
} CommData;

#define COMM_SIZE(n)	(offsetof(CommData, r) + (Size) (n) * sizeof(CommRecord))

static int
comm_cmp(const void *a, const void *b)
{
	const CommRecord *x = a;
	const CommRecord *y = b;

	if (x->thread != y->thread)
		return (x->thread > y->thread) - (x->thread < y->thread);
	return (x->author > y->author) - (x->author < y->author);
}

/* the limit of records, raised before allocating for more */
pg_attribute_noreturn()
static void
comm_too_many(void)
{
	ereport(ERROR,
			errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			errmsg("a community_health state cannot hold more than %d thread and author pairs",
				   COMM_MAX_RECORDS),
			errdetail("The limit keeps the text form of every state under 1 GB."));
}

/* comm_cmp for qsort_interruptible */
static int
comm_qsort_cmp(const void *a, const void *b, void *arg)
{
	return comm_cmp(a, b);
}

/* add src into dst, both of the same (thread, author) */
static void
comm_merge_record(CommRecord *dst, const CommRecord *src)
{
	dst->first_ts = Min(dst->first_ts, src->first_ts);
	dst->last_ts = Max(dst->last_ts, src->last_ts);
	dst->start_ts = Min(dst->start_ts, src->start_ts);
	if (isnan(dst->sentiment) || src->sentiment < dst->sentiment)
		dst->sentiment = src->sentiment;
	if (pg_add_s64_overflow(dst->views, src->views, &dst->views) ||
		pg_add_s64_overflow(dst->posts, src->posts, &dst->posts))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("community_health post or view count is out of range"));
}

/*
 * Sort the build buffer and merge the records of one (thread, author), in
 * place; the state means the same before and after, so a final function
 * may do this and be called again.
 */
static void
comm_compact(CommBuild *b)
{
	int			k = 0;

	if (b->sorted == b->n)
		return;
	qsort_interruptible(b->r, b->n, sizeof(CommRecord), comm_qsort_cmp, NULL);
	for (int i = 0; i < b->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (k > 0 && comm_cmp(&b->r[k - 1], &b->r[i]) == 0)
			comm_merge_record(&b->r[k - 1], &b->r[i]);
		else
			b->r[k++] = b->r[i];
	}
	b->n = b->sorted = k;
}

/*
 * Add a record.  A full buffer is compacted before it grows, so memory
 * follows the distinct (thread, author) pairs, not the posts.
 */
static void
comm_push(CommBuild *b, const CommRecord *rec, MemoryContext cxt)
{
	if (b->n == b->max)
	{
		if (b->n >= COMM_COMPACT_MIN)
		{
			CHECK_FOR_INTERRUPTS();
			comm_compact(b);
		}
		if (b->n >= COMM_MAX_RECORDS)
			comm_too_many();
		if (b->n > b->max / 2 || b->max == 0)
		{
			int			newmax = b->max ? Min(b->max * 2, COMM_MAX_RECORDS + 1) : 16;

			b->r = b->r ? repalloc_huge(b->r, sizeof(CommRecord) * newmax) :
				MemoryContextAllocHuge(cxt, sizeof(CommRecord) * newmax);
			b->max = newmax;
		}
	}
	b->r[b->n++] = *rec;
}

/*
 * Index of a record starting a thread that an earlier record of the same
 * thread starts already (records sorted by thread), or -1; *first is set
 * to that earlier record.
 */
static int
comm_second_starter(const CommRecord *r, int n, int *first)
{
	int			starter = -1;

	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (i > 0 && r[i].thread != r[i - 1].thread)
			starter = -1;
		if (r[i].start_ts == COMM_NO_START)
			continue;
		if (starter >= 0)
		{
			*first = starter;
			return i;
		}
		starter = i;
	}
	return -1;
}

/* compact, check, encode */
static CommData *
comm_encode(CommBuild *b)
{
	CommData   *d;
	int			k;
	int			first,
				second;

	comm_compact(b);
	k = b->n;
	if (k > COMM_MAX_RECORDS)
		comm_too_many();
	d = palloc0(COMM_SIZE(k));
	memcpy(d->r, b->r, sizeof(CommRecord) * k);
	eng_init_header(&d->hdr, COMM_SIZE(k), COMM_VERSION, b->views ? COMM_FLAG_VIEWS : 0);
	d->nrecords = k;
	/* a thread starts once (the same author's two starts merged above) */
	second = comm_second_starter(d->r, k, &first);
	if (second >= 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("thread " INT64_FORMAT " has starting posts by two authors",
					   d->r[second].thread),
				errdetail("Authors " INT64_FORMAT " and " INT64_FORMAT " both start it.",
						  d->r[first].author, d->r[second].author));
	return d;
}

/* what is wrong with one record, or NULL; views tells whether views were given */
static const char *
comm_record_problem(const CommRecord *r, bool views)
{
	if (r->first_ts < ENG_MIN_TS || r->last_ts > ENG_MAX_TS ||
		r->first_ts > r->last_ts)
		return "A record's post times are out of range or out of order.";
	if (r->start_ts != COMM_NO_START &&
		(r->start_ts < r->first_ts || r->start_ts > r->last_ts))
		return "A thread's start is not among its author's posts.";
	if (r->posts < 1 || r->views < 0 || (r->views > 0 && !views) ||
		(r->posts == 1 && r->first_ts != r->last_ts))
		return "A record's post or view count is invalid.";
	if (isinf(r->sentiment))
		return "A record's sentiment is not finite.";
	return NULL;
}

static void
comm_validate(const CommData *d, EngSource src)
{
	const char *problem = NULL;
	int			first;

	eng_check_state(&d->hdr, offsetof(CommData, r), COMM_VERSION,
					COMM_FLAG_VIEWS, "community_health", src);
	if (d->reserved != 0 || d->nrecords < 1 || d->nrecords > COMM_MAX_STORED ||
		VARSIZE(d) != COMM_SIZE(d->nrecords))
		ereport(ERROR,
				errcode(eng_source_errcode(src)),
				errmsg("invalid community_health value"),
				errdetail("The number of records does not match the size of the value."));
	for (int i = 0; i < d->nrecords && problem == NULL; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (i > 0 && comm_cmp(&d->r[i - 1], &d->r[i]) >= 0)
			problem = "Records are not sorted by thread and author, or repeat one.";
		else
			problem = comm_record_problem(&d->r[i], (d->hdr.flags & COMM_FLAG_VIEWS) != 0);
	}
	if (problem == NULL && comm_second_starter(d->r, d->nrecords, &first) >= 0)
		problem = "A thread has two starting posts.";
	if (problem)
		ereport(ERROR,
				errcode(eng_source_errcode(src)),
				errmsg("invalid community_health value"),
				errdetail("%s", problem));
}

static CommData *
comm_getarg(FunctionCallInfo fcinfo, int argno)
{
	CommData   *d = (CommData *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	comm_validate(d, ENG_STORED);
	return d;
}

/*****************************************************************************
 * Aggregates
 *****************************************************************************/

static void
comm_send_record(StringInfo buf, const CommRecord *r)
{
	pq_sendint64(buf, r->thread);
	pq_sendint64(buf, r->author);
	pq_sendint64(buf, r->first_ts);
	pq_sendint64(buf, r->last_ts);
	pq_sendint64(buf, r->start_ts);
	pq_sendint64(buf, r->views);
	pq_sendint64(buf, r->posts);
	pq_sendfloat8(buf, r->sentiment);
}

static void
comm_recv_record(StringInfo buf, CommRecord *r)
{
	r->thread = pq_getmsgint64(buf);
	r->author = pq_getmsgint64(buf);
	r->first_ts = pq_getmsgint64(buf);
	r->last_ts = pq_getmsgint64(buf);
	r->start_ts = pq_getmsgint64(buf);
	r->views = pq_getmsgint64(buf);
	r->posts = pq_getmsgint64(buf);
	r->sentiment = pq_getmsgfloat8(buf);
	/* every NaN means "no sentiment", which the text form writes "-" */
	if (isnan(r->sentiment))
		r->sentiment = get_float8_nan();
}

/*
 * Binary and serial forms: a count, then per (thread, author) record seven
 * int64 and a float8.  Binary input takes what a build can make (stored
 * values of up to COMM_MAX_STORED records are still read from disk).
 */
static void
comm_over_max(int64 n)
{
	comm_too_many();
}

#define COMM_WIRE_RECORD	(8 * 8)

static const EngRecordCount comm_wire_records = {
	"community_health", "records", 1, COMM_MAX_RECORDS, COMM_WIRE_RECORD, true,
	comm_over_max
};

static const EngRecordCount comm_serial_records = {
	"community_health", "records", 0, COMM_MAX_RECORDS, COMM_WIRE_RECORD, true,
	comm_over_max
};

/*
 * The working state: (thread, author) records, merged by appending (the
 * build compacts them); the serial form is the views flag, then the records
 * as the binary form has them, each checked as if a user had typed it.
 */
/* a state whose every row had a NULL */
static bool
comm_empty(const void *state)
{
	return ((const CommBuild *) state)->n == 0;
}

static void
comm_merge(void *dst, const void *src, MemoryContext cxt)
{
	CommBuild  *to = dst;
	const CommBuild *from = src;

	to->views |= from->views;
	for (int i = 0; i < from->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		comm_push(to, &from->r[i], cxt);
	}
}

static void
comm_serialize(StringInfo buf, const void *state)
{
	const CommBuild *b = state;

	pq_sendbyte(buf, b->views ? 1 : 0);
	pq_sendint32(buf, b->n);
	for (int i = 0; i < b->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		comm_send_record(buf, &b->r[i]);
	}
}

static void
comm_deserialize(StringInfo buf, void *state, MemoryContext cxt)
{
	CommBuild  *b = state;
	int32		n;

	b->views = pq_getmsgbyte(buf) != 0;
	n = eng_recv_count(buf, &comm_serial_records, ENG_STORED);
	for (int i = 0; i < n; i++)
	{
		CommRecord	rec;
		const char *problem;

		CHECK_FOR_INTERRUPTS();
		comm_recv_record(buf, &rec);
		problem = comm_record_problem(&rec, b->views);
		if (problem)
			ereport(ERROR,
					errcode(ERRCODE_DATA_CORRUPTED),
					errmsg("invalid community_health value"),
					errdetail("%s", problem));
		comm_push(b, &rec, cxt);
	}
}

static void
comm_add_arg(void *state, FunctionCallInfo fcinfo, int argno,
			 MemoryContext cxt)
{
	CommBuild  *b = state;
	CommData   *d = comm_getarg(fcinfo, argno);

	b->views |= (d->hdr.flags & COMM_FLAG_VIEWS) != 0;
	for (int i = 0; i < d->nrecords; i++)
	{
		CHECK_FOR_INTERRUPTS();
		comm_push(b, &d->r[i], cxt);
	}
}

/* compacting in place keeps the state's meaning: it may be finalized again */
static Datum
comm_finish(void *state)
{
	PG_RETURN_POINTER(comm_encode(state));
}

static const EngBuildOps comm_build_ops = {
	.typname = "community_health",
	.size = sizeof(CommBuild),
	.empty = comm_empty,
	.merge = comm_merge,
	.serialize = comm_serialize,
	.deserialize = comm_deserialize,
	.add_arg = comm_add_arg,
	.finish = comm_finish,
};

PG_FUNCTION_INFO_V1(engagement_community_combine);
Datum
engagement_community_combine(PG_FUNCTION_ARGS)
{
	return eng_build_combine(fcinfo, &comm_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_community_serial);
Datum
engagement_community_serial(PG_FUNCTION_ARGS)
{
	return eng_build_serial(fcinfo, &comm_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_community_deserial);
Datum
engagement_community_deserial(PG_FUNCTION_ARGS)
{
	return eng_build_deserial(fcinfo, &comm_build_ops);
}

/*
 * community_agg(thread_id, author_id, posted_at, starts_thread, views):
 * one row per post; rows with a NULL thread, author, time or starts_thread
 * are skipped; a NULL views counts as 0.
 */
PG_FUNCTION_INFO_V1(engagement_community_trans);
Datum
engagement_community_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	CommBuild  *b = eng_build_arg(fcinfo, &comm_build_ops, &aggcontext);
	CommRecord	rec;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		PG_RETURN_POINTER(b);
	rec.thread = PG_GETARG_INT64(1);
	rec.author = PG_GETARG_INT64(2);
	rec.first_ts = rec.last_ts = PG_GETARG_TIMESTAMPTZ(3);
	eng_check_timestamp(rec.first_ts, "community_health");
	rec.start_ts = PG_GETARG_BOOL(4) ? rec.first_ts : COMM_NO_START;
	rec.views = 0;
	if (PG_NARGS() > 5 && !PG_ARGISNULL(5))
	{
		rec.views = PG_GETARG_INT64(5);
		if (rec.views < 0)
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("community_agg views must not be negative"));
		b->views = true;
	}
	rec.sentiment = get_float8_nan();
	if (PG_NARGS() > 6 && !PG_ARGISNULL(6))
	{
		rec.sentiment = PG_GETARG_FLOAT8(6);
		if (!isfinite(rec.sentiment))
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("community_agg sentiment must be a finite number"));
	}
	rec.posts = 1;
	comm_push(b, &rec, aggcontext);
	PG_RETURN_POINTER(b);
}

PG_FUNCTION_INFO_V1(engagement_community_rollup_trans);
Datum
engagement_community_rollup_trans(PG_FUNCTION_ARGS)
{
	return eng_build_rollup_trans(fcinfo, &comm_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_community_health_add);
Datum
engagement_community_health_add(PG_FUNCTION_ARGS)
{
	return eng_build_add(fcinfo, &comm_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_community_final);
Datum
engagement_community_final(PG_FUNCTION_ARGS)
{
	return eng_build_final(fcinfo, &comm_build_ops);
}

/*****************************************************************************
 * Text and binary I/O:
 *   (v=1,views=0|1,records=[(thread,author,posts,views,first,last,start|-,sentiment|-),...])
 *****************************************************************************/

PG_FUNCTION_INFO_V1(engagement_community_out);
Datum
engagement_community_out(PG_FUNCTION_ARGS)
{
	CommData   *d = comm_getarg(fcinfo, 0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(v=%d,views=%d,records=[", COMM_VERSION,
					 (d->hdr.flags & COMM_FLAG_VIEWS) ? 1 : 0);
	for (int i = 0; i < d->nrecords; i++)
	{
		const CommRecord *r = &d->r[i];

		CHECK_FOR_INTERRUPTS();
		appendStringInfo(&buf, "%s(" INT64_FORMAT "," INT64_FORMAT "," INT64_FORMAT "," INT64_FORMAT ",",
						 i > 0 ? "," : "", r->thread, r->author, r->posts, r->views);
		eng_append_timestamp(&buf, r->first_ts);
		appendStringInfoChar(&buf, ',');
		eng_append_timestamp(&buf, r->last_ts);
		appendStringInfoChar(&buf, ',');
		if (r->start_ts == COMM_NO_START)
			appendStringInfoChar(&buf, '-');
		else
			eng_append_timestamp(&buf, r->start_ts);
		appendStringInfoChar(&buf, ',');
		if (isnan(r->sentiment))
			appendStringInfoChar(&buf, '-');
		else
			eng_append_float8(&buf, r->sentiment);
		appendStringInfoChar(&buf, ')');
	}
	appendStringInfoString(&buf, "])");
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(engagement_community_in);
Datum
engagement_community_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	EngTextCursor c;
	CommBuild	b;
	CommData   *d;
	int64		views;

	memset(&b, 0, sizeof(b));
	eng_cursor_begin(&c, input, "community_health", COMM_VERSION);
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "views");
	views = eng_cursor_int64(&c);
	if (views != 0 && views != 1)
		eng_cursor_error(&c, "views is 0 or 1.");
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "records");
	eng_cursor_expect(&c, '[');
	do
	{
		CommRecord	rec;

		CHECK_FOR_INTERRUPTS();
		eng_cursor_expect(&c, '(');
		rec.thread = eng_cursor_int64(&c);
		eng_cursor_expect(&c, ',');
		rec.author = eng_cursor_int64(&c);
		eng_cursor_expect(&c, ',');
		rec.posts = eng_cursor_int64(&c);
		eng_cursor_expect(&c, ',');
		rec.views = eng_cursor_int64(&c);
		eng_cursor_expect(&c, ',');
		rec.first_ts = eng_cursor_timestamp(&c);
		eng_cursor_expect(&c, ',');
		rec.last_ts = eng_cursor_timestamp(&c);
		eng_cursor_expect(&c, ',');
		rec.start_ts = eng_cursor_accept(&c, '-') ? COMM_NO_START : eng_cursor_timestamp(&c);
		eng_cursor_expect(&c, ',');
		/* "-" alone is no sentiment; "-0.5" is a number */
		while (isspace((unsigned char) *c.p))
			c.p++;
		if (c.p[0] == '-' && (c.p[1] == ')' || isspace((unsigned char) c.p[1])))
		{
			c.p++;
			rec.sentiment = get_float8_nan();
		}
		else
			rec.sentiment = eng_cursor_float8(&c);
		eng_cursor_expect(&c, ')');
		if (b.n > 0 && comm_cmp(&b.r[b.n - 1], &rec) >= 0)
			eng_cursor_error(&c, "Records must be sorted by thread and author, each once.");
		comm_push(&b, &rec, CurrentMemoryContext);
	} while (eng_cursor_accept(&c, ','));
	eng_cursor_expect(&c, ']');
	eng_cursor_expect(&c, ')');
	eng_cursor_expect_end(&c);
	d = palloc0(COMM_SIZE(b.n));
	eng_init_header(&d->hdr, COMM_SIZE(b.n), COMM_VERSION, views ? COMM_FLAG_VIEWS : 0);
	d->nrecords = b.n;
	memcpy(d->r, b.r, sizeof(CommRecord) * b.n);
	comm_validate(d, ENG_TEXT);
	PG_RETURN_POINTER(d);
}

PG_FUNCTION_INFO_V1(engagement_community_send);
Datum
engagement_community_send(PG_FUNCTION_ARGS)
{
	CommData   *d = comm_getarg(fcinfo, 0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, COMM_VERSION);
	pq_sendbyte(&buf, d->hdr.flags);
	pq_sendint32(&buf, d->nrecords);
	for (int i = 0; i < d->nrecords; i++)
	{
		CHECK_FOR_INTERRUPTS();
		comm_send_record(&buf, &d->r[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(engagement_community_recv);
Datum
engagement_community_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			flags;
	int32		n;
	CommData   *d;

	eng_recv_version(buf, COMM_VERSION, "community_health");
	flags = pq_getmsgbyte(buf);
	n = eng_recv_count(buf, &comm_wire_records, ENG_BINARY);
	d = palloc0(COMM_SIZE(n));
	eng_init_header(&d->hdr, COMM_SIZE(n), COMM_VERSION, (uint8) flags);
	d->nrecords = n;
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		comm_recv_record(buf, &d->r[i]);
	}
	comm_validate(d, ENG_BINARY);
	PG_RETURN_POINTER(d);
}

/*****************************************************************************
 * Measures
 *****************************************************************************/

typedef struct CommStats
{
	int64		posts;			/* all posts */
	int64		starts;			/* threads started (starting post present) */
	int64		members;		/* distinct authors */
	int64		views;
	bool		have_views;		/* views were given */
	int64		answered;		/* started threads answered by others */
	double		reply_wait_usecs;	/* sum over answered threads of the first
									 * other member's post - the start */
	int64		gap_count;		/* successive-post gaps inside threads */
	double		gap_usecs;		/* their sum */
	int64		participants;	/* sum over started threads of their authors */
} CommStats;

static int
comm_cmp_int64(const void *a, const void *b, void *arg)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

static void
comm_add(int64 *sum, int64 v)
{
	if (pg_add_s64_overflow(*sum, v, sum))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("community_health post or view count is out of range"));
}

/*
 * One thread of a state: its starter's record (NULL when the start is not
 * in the state), posts, first and last post, and the first and last post
 * of the other members.
 */
typedef struct CommThread
{
	const CommRecord *starter;
	int			authors;		/* records, i.e. distinct authors */
	int64		posts;
	int64		first;
	int64		last;
	int64		others_first;	/* PG_INT64_MAX when nobody else posted */
	int64		others_last;	/* PG_INT64_MIN when nobody else posted */
} CommThread;

/* the thread whose records start at i; returns the index after them */
static int
comm_next_thread(const CommData *d, int i, CommThread *t)
{
	int			j = i;

	t->starter = NULL;
	t->posts = 0;
	t->first = PG_INT64_MAX;
	t->last = PG_INT64_MIN;
	t->others_first = PG_INT64_MAX;
	t->others_last = PG_INT64_MIN;
	while (j < d->nrecords && d->r[j].thread == d->r[i].thread)
	{
		CHECK_FOR_INTERRUPTS();
		if (d->r[j].start_ts != COMM_NO_START)
			t->starter = &d->r[j];
		comm_add(&t->posts, d->r[j].posts);
		t->first = Min(t->first, d->r[j].first_ts);
		t->last = Max(t->last, d->r[j].last_ts);
		j++;
	}
	t->authors = j - i;
	for (int k = i; k < j && t->starter; k++)
		if (d->r[k].author != t->starter->author)
		{
			CHECK_FOR_INTERRUPTS();
			t->others_first = Min(t->others_first, d->r[k].first_ts);
			t->others_last = Max(t->others_last, d->r[k].last_ts);
		}
	return j;
}

/* the statistics of a state; distinct members (a sort) only when asked */
static void
comm_stats_ext(const CommData *d, CommStats *st, bool members)
{
	int			i = 0;

	memset(st, 0, sizeof(*st));
	st->have_views = (d->hdr.flags & COMM_FLAG_VIEWS) != 0;
	for (int k = 0; k < d->nrecords; k++)
	{
		CHECK_FOR_INTERRUPTS();
		comm_add(&st->posts, d->r[k].posts);
		comm_add(&st->views, d->r[k].views);
	}
	if (members)
	{
		int64	   *authors = palloc(sizeof(int64) * d->nrecords);

		for (int k = 0; k < d->nrecords; k++)
			authors[k] = d->r[k].author;
		qsort_interruptible(authors, d->nrecords, sizeof(int64), comm_cmp_int64, NULL);
		for (int k = 0; k < d->nrecords; k++)
			if (k == 0 || authors[k] != authors[k - 1])
				st->members++;
		pfree(authors);
	}

	/* one thread at a time */
	while (i < d->nrecords)
	{
		CommThread	t;

		CHECK_FOR_INTERRUPTS();
		i = comm_next_thread(d, i, &t);
		if (t.posts > 1)
		{
			comm_add(&st->gap_count, t.posts - 1);
			/* both times are range-checked: the difference fits */
			st->gap_usecs += (double) (t.last - t.first);
		}
		if (t.starter)
		{
			st->starts++;
			st->participants += t.authors;
			if (t.others_first != PG_INT64_MAX)
			{
				st->answered++;
				/* an answer dated before the question waited no time */
				st->reply_wait_usecs += (double) Max(t.others_first - t.starter->start_ts, 0);
			}
		}
	}
}

static void
comm_stats(const CommData *d, CommStats *st)
{
	comm_stats_ext(d, st, false);
}

/* a duration as timestamp subtraction gives it: whole days, then time */
static Interval *
comm_interval(int64 usecs)
{
	Interval   *iv = palloc0(sizeof(Interval));

	iv->day = (int32) (usecs / USECS_PER_DAY);
	iv->time = usecs % USECS_PER_DAY;
	return iv;
}

static Interval *
comm_mean_interval(double usecs, int64 n)
{
	return comm_interval((int64) rint(usecs / (double) n));
}

PG_FUNCTION_INFO_V1(engagement_community_posts);
Datum
engagement_community_posts(PG_FUNCTION_ARGS)
{
	CommStats	st;

	comm_stats(comm_getarg(fcinfo, 0), &st);
	PG_RETURN_INT64(st.posts);
}

PG_FUNCTION_INFO_V1(engagement_community_threads);
Datum
engagement_community_threads(PG_FUNCTION_ARGS)
{
	CommStats	st;

	comm_stats(comm_getarg(fcinfo, 0), &st);
	PG_RETURN_INT64(st.starts);
}

PG_FUNCTION_INFO_V1(engagement_community_members);
Datum
engagement_community_members(PG_FUNCTION_ARGS)
{
	CommStats	st;

	comm_stats_ext(comm_getarg(fcinfo, 0), &st, true);
	PG_RETURN_INT64(st.members);
}

/* NULL when no post gave its views */
PG_FUNCTION_INFO_V1(engagement_community_views);
Datum
engagement_community_views(PG_FUNCTION_ARGS)
{
	CommStats	st;

	comm_stats(comm_getarg(fcinfo, 0), &st);
	if (!st.have_views)
		PG_RETURN_NULL();
	PG_RETURN_INT64(st.views);
}

PG_FUNCTION_INFO_V1(engagement_community_answered);
Datum
engagement_community_answered(PG_FUNCTION_ARGS)
{
	CommStats	st;

	comm_stats(comm_getarg(fcinfo, 0), &st);
	PG_RETURN_INT64(st.answered);
}

/* mean time from a thread's start to the first post by another member */
PG_FUNCTION_INFO_V1(engagement_community_first_reply);
Datum
engagement_community_first_reply(PG_FUNCTION_ARGS)
{
	CommStats	st;

	comm_stats(comm_getarg(fcinfo, 0), &st);
	if (st.answered == 0)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(comm_mean_interval(st.reply_wait_usecs, st.answered));
}

/* mean time between successive posts of a thread */
PG_FUNCTION_INFO_V1(engagement_community_response_gap);
Datum
engagement_community_response_gap(PG_FUNCTION_ARGS)
{
	CommStats	st;

	comm_stats(comm_getarg(fcinfo, 0), &st);
	if (st.gap_count == 0)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(comm_mean_interval(st.gap_usecs, st.gap_count));
}

/* mean number of distinct members taking part in a thread started here */
PG_FUNCTION_INFO_V1(engagement_community_interactivity);
Datum
engagement_community_interactivity(PG_FUNCTION_ARGS)
{
	CommStats	st;

	comm_stats(comm_getarg(fcinfo, 0), &st);
	if (st.starts == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) st.participants / st.starts);
}

static double
comm_weeks(FunctionCallInfo fcinfo, int argno)
{
	return (double) eng_interval_usecs_positive(PG_GETARG_INTERVAL_P(argno), "period") /
		(double) (7 * USECS_PER_DAY);
}

/* posts per week over the period */
PG_FUNCTION_INFO_V1(engagement_community_liveliness);
Datum
engagement_community_liveliness(PG_FUNCTION_ARGS)
{
	CommStats	st;
	double		weeks = comm_weeks(fcinfo, 1);

	comm_stats(comm_getarg(fcinfo, 0), &st);
	PG_RETURN_FLOAT8((double) st.posts / weeks);
}

/* views of the period's posts per day of the period; NULL without views */
PG_FUNCTION_INFO_V1(engagement_community_traffic);
Datum
engagement_community_traffic(PG_FUNCTION_ARGS)
{
	CommStats	st;
	double		weeks = comm_weeks(fcinfo, 1);

	comm_stats(comm_getarg(fcinfo, 0), &st);
	if (!st.have_views)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) st.views / (weeks * 7.0));
}

/* views per post; NULL without views */
PG_FUNCTION_INFO_V1(engagement_community_content);
Datum
engagement_community_content(PG_FUNCTION_ARGS)
{
	CommStats	st;

	comm_stats(comm_getarg(fcinfo, 0), &st);
	if (!st.have_views)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) st.views / st.posts);
}

/* members now against the previous period's: relative change */
PG_FUNCTION_INFO_V1(engagement_community_growth);
Datum
engagement_community_growth(PG_FUNCTION_ARGS)
{
	CommStats	cur,
				prev;

	comm_stats_ext(comm_getarg(fcinfo, 0), &cur, true);
	comm_stats_ext(comm_getarg(fcinfo, 1), &prev, true);
	PG_RETURN_FLOAT8((double) cur.members / prev.members - 1.0);
}

/*
 * health_factors(state, period, previous, member_growth): the six factors as
 * 0..1 scores and the composite 0..1000.  Scores (documented in the README):
 *   growth          0.5 + growth, clamped to 0..1: member_growth when given,
 *                   else posting members against previous (neither: skipped)
 *   content         c / (c + 20), c = views per post (no views: skipped)
 *   traffic         v / (v + 100), v = views per day (no views: skipped)
 *   responsiveness  answered share * 1000 / (1000 + w), w = mean minutes to first reply
 *   interactivity   (p - 1) / p, p = members per started thread
 *   liveliness      l / (l + 50), l = posts per week
 * composite = 1000 * mean of the scores available.
 */
typedef struct CommScores
{
	double		score[6];
	double		raw[6];
	bool		have[6];		/* the factor has a score */
	bool		have_raw[6];	/* and a value */
} CommScores;

static const char *const comm_factor_names[6] = {
	"growth", "content", "traffic", "responsiveness", "interactivity", "liveliness"
};

static void
comm_scores(FunctionCallInfo fcinfo, CommScores *s)
{
	CommStats	st;
	double		weeks = comm_weeks(fcinfo, 1);

	memset(s, 0, sizeof(*s));
	/* distinct members only for growth against a previous state */
	comm_stats_ext(comm_getarg(fcinfo, 0), &st, PG_ARGISNULL(3) && !PG_ARGISNULL(2));
	if (!PG_ARGISNULL(3))
	{
		/* growth given by the caller, e.g. of registered members */
		s->raw[0] = PG_GETARG_FLOAT8(3);
		if (!isfinite(s->raw[0]))
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("member growth must be a finite number"));
		/* no function returns -0 */
		if (s->raw[0] == 0.0)
			s->raw[0] = 0.0;
		s->have[0] = true;
	}
	else if (!PG_ARGISNULL(2))
	{
		CommStats	prev;

		comm_stats_ext(comm_getarg(fcinfo, 2), &prev, true);
		s->raw[0] = (double) st.members / prev.members - 1.0;
		s->have[0] = true;
	}
	s->score[0] = Min(1.0, Max(0.0, 0.5 + s->raw[0]));
	if (st.have_views)
	{
		s->raw[1] = (double) st.views / st.posts;
		s->score[1] = s->raw[1] / (s->raw[1] + 20.0);
		s->raw[2] = (double) st.views / (weeks * 7.0);
		s->score[2] = s->raw[2] / (s->raw[2] + 100.0);
		s->have[1] = s->have[2] = true;
	}
	if (st.starts > 0)
	{
		double		minutes = st.answered > 0 ?
		st.reply_wait_usecs / st.answered / USECS_PER_MINUTE : 0.0;

		/* the value is NULL without an answer; the score is then 0 */
		s->raw[3] = minutes;
		s->have_raw[3] = st.answered > 0;
		s->score[3] = (double) st.answered / st.starts * 1000.0 / (1000.0 + minutes);
		s->raw[4] = (double) st.participants / st.starts;
		s->score[4] = (s->raw[4] - 1.0) / s->raw[4];
		s->have[3] = s->have[4] = true;
	}
	s->raw[5] = (double) st.posts / weeks;
	s->score[5] = s->raw[5] / (s->raw[5] + 50.0);
	s->have[5] = true;
	for (int i = 0; i < 6; i++)
		if (i != 3)
			s->have_raw[i] = s->have[i];
}

PG_FUNCTION_INFO_V1(engagement_community_index);
Datum
engagement_community_index(PG_FUNCTION_ARGS)
{
	CommScores	s;
	double		sum = 0.0;
	int			n = 0;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	comm_scores(fcinfo, &s);
	for (int i = 0; i < 6; i++)
		if (s.have[i])
		{
			sum += s.score[i];
			n++;
		}
	PG_RETURN_FLOAT8(1000.0 * sum / n);
}

PG_FUNCTION_INFO_V1(engagement_community_factors);
Datum
engagement_community_factors(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CommScores	s;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		return (Datum) 0;
	comm_scores(fcinfo, &s);
	for (int i = 0; i < 6; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, !s.have_raw[i], !s.have[i]};

		values[0] = CStringGetTextDatum(comm_factor_names[i]);
		values[1] = Float8GetDatum(s.raw[i]);
		values[2] = Float8GetDatum(s.score[i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * unanswered_threads(state, as_of, threshold): threads started in the state
 * that no other member has answered and that have waited at least
 * threshold at as_of.
 */
PG_FUNCTION_INFO_V1(engagement_community_unanswered);
Datum
engagement_community_unanswered(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CommData   *d;
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
	int64		threshold;
	int			i = 0;

	InitMaterializedSRF(fcinfo, 0);
	d = comm_getarg(fcinfo, 0);
	eng_check_timestamp(as_of, "community_health");
	threshold = eng_interval_usecs(PG_GETARG_INTERVAL_P(2), "threshold");
	while (i < d->nrecords)
	{
		CommThread	t;

		CHECK_FOR_INTERRUPTS();
		i = comm_next_thread(d, i, &t);
		if (t.starter && t.others_first == PG_INT64_MAX &&
			as_of - t.starter->start_ts >= threshold)
		{
			Datum		values[5];
			bool		nulls[5] = {false, false, false, false, false};

			values[0] = Int64GetDatum(t.starter->thread);
			values[1] = Int64GetDatum(t.starter->author);
			values[2] = TimestampTzGetDatum(t.starter->start_ts);
			values[3] = IntervalPGetDatum(comm_interval(as_of - t.starter->start_ts));
			values[4] = Int64GetDatum(t.posts);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}

/*
 * escalations(state, as_of, threshold, sentiment_below): threads whose
 * starter is waiting for an answer (nobody else posted, or the starter
 * posted again after everyone else) for at least threshold, or whose
 * starter wrote with a sentiment below sentiment_below while waiting.
 * The wait runs from the start when nobody answered, else from the
 * starter's last post.
 */
PG_FUNCTION_INFO_V1(engagement_community_escalations);
Datum
engagement_community_escalations(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CommData   *d;
	TimestampTz as_of;
	int64		threshold;
	bool		by_sentiment;
	double		sentiment_below = 0.0;
	int			i = 0;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return (Datum) 0;
	d = comm_getarg(fcinfo, 0);
	as_of = PG_GETARG_TIMESTAMPTZ(1);
	eng_check_timestamp(as_of, "community_health");
	threshold = eng_interval_usecs(PG_GETARG_INTERVAL_P(2), "threshold");
	by_sentiment = !PG_ARGISNULL(3);
	if (by_sentiment)
	{
		sentiment_below = PG_GETARG_FLOAT8(3);
		if (isnan(sentiment_below))
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("sentiment threshold must be a number"));
	}
	while (i < d->nrecords)
	{
		CommThread	t;
		bool		answered;
		int64		since;
		bool		late,
					upset;

		CHECK_FOR_INTERRUPTS();
		i = comm_next_thread(d, i, &t);
		if (t.starter == NULL)
			continue;
		answered = t.others_first != PG_INT64_MAX;
		/* waiting: never answered, or the starter spoke last */
		if (answered && t.starter->last_ts <= t.others_last)
			continue;
		since = answered ? t.starter->last_ts : t.starter->start_ts;
		late = as_of - since >= threshold;
		upset = by_sentiment && !isnan(t.starter->sentiment) &&
			t.starter->sentiment < sentiment_below;
		if (late || upset)
		{
			Datum		values[8];
			bool		nulls[8] = {false, false, false, false, false, false, false, false};

			values[0] = Int64GetDatum(t.starter->thread);
			values[1] = Int64GetDatum(t.starter->author);
			values[2] = TimestampTzGetDatum(t.starter->start_ts);
			values[3] = TimestampTzGetDatum(since);
			values[4] = IntervalPGetDatum(comm_interval(as_of - since));
			values[5] = BoolGetDatum(answered);
			values[6] = Float8GetDatum(eng_no_minus_zero(t.starter->sentiment));
			nulls[6] = isnan(t.starter->sentiment);
			values[7] = CStringGetTextDatum(late && upset ? "waiting, sentiment" :
											late ? "waiting" : "sentiment");
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}

/*****************************************************************************
 * JSON form: {"version": 1, "views": bool, "records": [{"thread_id": n,
 * "author_id": n, "posts": n, "views": n, "first_post": t, "last_post": t,
 * "thread_started": t or null, "lowest_sentiment": x or null}, ...]}: one
 * record per thread and author, as in the text form
 *****************************************************************************/

static Datum
comm_json(FunctionCallInfo fcinfo, bool jsonb)
{
	CommData   *d = comm_getarg(fcinfo, 0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"views\": %s, \"records\": [", COMM_VERSION,
					 (d->hdr.flags & COMM_FLAG_VIEWS) ? "true" : "false");
	for (int i = 0; i < d->nrecords; i++)
	{
		const CommRecord *r = &d->r[i];

		CHECK_FOR_INTERRUPTS();
		appendStringInfo(&buf, "%s{\"thread_id\": " INT64_FORMAT ", \"author_id\": " INT64_FORMAT
						 ", \"posts\": " INT64_FORMAT ", \"views\": " INT64_FORMAT ", \"first_post\": ",
						 i > 0 ? ", " : "", r->thread, r->author, r->posts, r->views);
		eng_json_timestamp(&buf, r->first_ts);
		appendStringInfoString(&buf, ", \"last_post\": ");
		eng_json_timestamp(&buf, r->last_ts);
		appendStringInfoString(&buf, ", \"thread_started\": ");
		if (r->start_ts == COMM_NO_START)
			appendStringInfoString(&buf, "null");
		else
			eng_json_timestamp(&buf, r->start_ts);
		appendStringInfoString(&buf, ", \"lowest_sentiment\": ");
		if (isnan(r->sentiment))
			appendStringInfoString(&buf, "null");
		else
			eng_append_float8(&buf, r->sentiment);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "]}");
	return eng_json_result(&buf, jsonb);
}

ENG_JSON_CASTS(engagement_community_health, comm_json)

/*
 * unnest(community_health): one row per thread and author, (thread_id,
 * author_id, posts, views, first_post, last_post, thread_started,
 * lowest_sentiment); thread_started is NULL unless this author started the
 * thread, lowest_sentiment NULL without sentiment
 */
PG_FUNCTION_INFO_V1(engagement_community_health_unnest);
Datum
engagement_community_health_unnest(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CommData   *d;

	InitMaterializedSRF(fcinfo, 0);
	d = comm_getarg(fcinfo, 0);
	for (int i = 0; i < d->nrecords; i++)
	{
		const CommRecord *r = &d->r[i];
		Datum		values[8];
		bool		nulls[8] = {false};

		CHECK_FOR_INTERRUPTS();
		values[0] = Int64GetDatum(r->thread);
		values[1] = Int64GetDatum(r->author);
		values[2] = Int64GetDatum(r->posts);
		values[3] = Int64GetDatum(r->views);
		values[4] = TimestampTzGetDatum(r->first_ts);
		values[5] = TimestampTzGetDatum(r->last_ts);
		values[6] = TimestampTzGetDatum(r->start_ts);
		nulls[6] = r->start_ts == COMM_NO_START;
		values[7] = Float8GetDatum(r->sentiment);
		nulls[7] = isnan(r->sentiment);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
