/*-------------------------------------------------------------------------
 *
 * sequence.c
 *	  Event sequence patterns with ClickHouse's semantics:
 *	  sequence_match(pattern, ts, c1, ..., cN) and
 *	  sequence_count(pattern, ts, c1, ..., cN).
 *
 * An event is a row that fulfils at least one of the N conditions (rows
 * that fulfil none are not events, so `.` never matches them); the events
 * of a group are kept (exactly mergeable) and sorted by (time, condition
 * bits).  The pattern language is ClickHouse's: (?N) one event fulfilling
 * condition N, `.` any one event, `.*` any number of events, (?t<op>S)
 * a time condition of S seconds between the event matched before it and
 * the next event matched (any events may lie between them); a match may
 * start at any event (an implicit leading `.*`) and end anywhere.
 *
 * ClickHouse matches by backtracking, which takes exponential time on
 * some inputs (it gives up after a million steps).  Its search tree has
 * one node per (pattern element, event position): the reference event of
 * a time condition is fixed by the element before it, the event just
 * matched or, after `.*`, the event the `.*` stopped at.  A backward pass
 * marks the nodes from which the rest of the pattern can match (one bit
 * per node, O(events) per element: the events a `.*` or a time condition
 * may continue at form a range of positions, because times are sorted), so
 * sequence_match is one lookup and each match of sequence_count is a walk
 * that takes the first live child at every choice, which is the match
 * ClickHouse's depth-first search finds first.  (When that search ends at
 * a dead end where the events run out, no later branch can match, so its
 * answer is the exhaustive one.)  Total work O(events x pattern).
 *
 * IDENTIFICATION
 *	  src/sequence.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"
#include "conditions.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "utils/builtins.h"

#define SEQ_MAX_CONDITIONS		32

/*
 * Events of one group (16 bytes each while aggregating, plus a bit per
 * event and pattern element to match), pattern length in bytes and
 * elements (the implicit leading `.*` not counted).
 */
#define SEQ_MAX_EVENTS			(10 * 1000 * 1000)
#define SEQ_MAX_PATTERN_LEN		1000
#define SEQ_MAX_ELEMENTS		100

/*****************************************************************************
 * Patterns
 *****************************************************************************/

typedef enum SeqKind
{
	SEQ_COND,					/* (?N) */
	SEQ_ANY,					/* . */
	SEQ_STAR,					/* .* */
	SEQ_TIME					/* (?t<op>S) */
} SeqKind;

typedef enum SeqTimeOp
{
	SEQ_LE,
	SEQ_LT,
	SEQ_GE,
	SEQ_GT,
	SEQ_EQ
} SeqTimeOp;

typedef struct SeqElem
{
	SeqKind		kind;
	SeqTimeOp	op;				/* SEQ_TIME */
	int			cond;			/* SEQ_COND: condition index, 0-based */
	int64		usec;			/* SEQ_TIME: seconds in microseconds
								 * (saturated) */
	bool		zero;			/* SEQ_TIME: the number of seconds is 0 */
} SeqElem;

typedef struct SeqPattern
{
	int			nelems;			/* elements, elems[0] the implicit .* */
	SeqElem		elems[SEQ_MAX_ELEMENTS + 1];
} SeqPattern;

static void seq_pattern_error(const char *pat, int len, int at, int sqlstate,
							  const char *detail) pg_attribute_noreturn();

static void
seq_pattern_error(const char *pat, int len, int at, int sqlstate,
				  const char *detail)
{
	ereport(ERROR,
			errcode(sqlstate),
			errmsg("invalid sequence pattern \"%.*s\"", len, pat),
			errdetail("%s at character %d.", detail,
					  pg_mbstrlen_with_len(pat, at) + 1));
}

/* A run of digits as an unsigned number; false (after it) on overflow. */
static bool
seq_read_digits(const char *pat, int len, int *i, uint64 *value)
{
	uint64		v = 0;
	bool		ok = true;

	while (*i < len && pat[*i] >= '0' && pat[*i] <= '9')
	{
		int			d = pat[*i] - '0';

		if (v > (PG_UINT64_MAX - d) / 10)
			ok = false;
		else
			v = v * 10 + d;
		(*i)++;
	}
	*value = v;
	return ok;
}

/*
 * Parse a pattern of len bytes for nconds conditions: 22P02 for malformed
 * syntax, 22023 for a condition number out of range or a time condition
 * that does not follow an event element, 54000 beyond the limits; the
 * position in DETAIL.
 */
static void
seq_parse(const char *pat, int len, int nconds, SeqPattern *p)
{
	int			i = 0;

	if (len > SEQ_MAX_PATTERN_LEN)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("sequence pattern is too long"),
				errdetail("A pattern has at most %d bytes; this one has %d.",
						  SEQ_MAX_PATTERN_LEN, len));
	p->nelems = 1;
	p->elems[0].kind = SEQ_STAR;
	while (i < len)
	{
		int			start = i;
		SeqElem    *e;

		CHECK_FOR_INTERRUPTS();
		if (p->nelems > SEQ_MAX_ELEMENTS)
			ereport(ERROR,
					errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					errmsg("sequence pattern has too many elements"),
					errdetail("A pattern has at most %d elements.",
							  SEQ_MAX_ELEMENTS));
		e = &p->elems[p->nelems];
		memset(e, 0, sizeof(SeqElem));
		if (len - i >= 2 && pat[i] == '(' && pat[i + 1] == '?')
		{
			uint64		v;
			int			numstart;

			i += 2;
			if (i < len && pat[i] == 't')
			{
				SeqKind		prev = p->elems[p->nelems - 1].kind;

				i++;
				if (len - i >= 2 && pat[i] == '<' && pat[i + 1] == '=')
					e->op = SEQ_LE, i += 2;
				else if (len - i >= 2 && pat[i] == '>' && pat[i + 1] == '=')
					e->op = SEQ_GE, i += 2;
				else if (len - i >= 2 && pat[i] == '=' && pat[i + 1] == '=')
					e->op = SEQ_EQ, i += 2;
				else if (i < len && pat[i] == '<')
					e->op = SEQ_LT, i++;
				else if (i < len && pat[i] == '>')
					e->op = SEQ_GT, i++;
				else
					seq_pattern_error(pat, len, i, ERRCODE_INVALID_TEXT_REPRESENTATION,
									  "Expected a time comparison (<=, <, >=, >, ==)");
				if (i < len && pat[i] == '+')
					i++;
				numstart = i;
				if (!seq_read_digits(pat, len, &i, &v))
					seq_pattern_error(pat, len, numstart, ERRCODE_INVALID_PARAMETER_VALUE,
									  "The number of seconds is out of range");
				if (i == numstart)
					seq_pattern_error(pat, len, numstart, ERRCODE_INVALID_TEXT_REPRESENTATION,
									  "Expected a number of seconds");
				if (prev != SEQ_COND && prev != SEQ_ANY && prev != SEQ_STAR)
					seq_pattern_error(pat, len, start, ERRCODE_INVALID_PARAMETER_VALUE,
									  "A time condition must follow (?N), . or .*");
				e->kind = SEQ_TIME;
				e->zero = (v == 0);
				e->usec = (v > (uint64) (PG_INT64_MAX / USECS_PER_SEC)) ?
					PG_INT64_MAX : (int64) v * USECS_PER_SEC;
			}
			else
			{
				numstart = i;
				if (!seq_read_digits(pat, len, &i, &v))
					seq_pattern_error(pat, len, numstart, ERRCODE_INVALID_PARAMETER_VALUE,
									  "The condition number is out of range");
				if (i == numstart)
					seq_pattern_error(pat, len, numstart, ERRCODE_INVALID_TEXT_REPRESENTATION,
									  "Expected a condition number or t");
				if (v < 1 || v > (uint64) nconds)
					ereport(ERROR,
							errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("invalid sequence pattern \"%.*s\"", len, pat),
							errdetail("Condition (?" UINT64_FORMAT ") at character %d is not one of the %d conditions.",
									  v, pg_mbstrlen_with_len(pat, start) + 1, nconds));
				e->kind = SEQ_COND;
				e->cond = (int) v - 1;
			}
			if (i >= len || pat[i] != ')')
				seq_pattern_error(pat, len, i, ERRCODE_INVALID_TEXT_REPRESENTATION,
								  "Expected \")\"");
			i++;
		}
		else if (len - i >= 2 && pat[i] == '.' && pat[i + 1] == '*')
		{
			e->kind = SEQ_STAR;
			i += 2;
		}
		else if (pat[i] == '.')
		{
			e->kind = SEQ_ANY;
			i++;
		}
		else
			seq_pattern_error(pat, len, i, ERRCODE_INVALID_TEXT_REPRESENTATION,
							  "Expected (?N), (?t...), . or .*");
		p->nelems++;
	}
}

/*
 * Whether elements j.. may stay unmatched when the events run out
 * (ClickHouse: .*, (?t<=S), (?t<S) and (?t>=0)).
 */
static bool
seq_tail_skippable(const SeqPattern *p, int j)
{
	for (; j < p->nelems; j++)
	{
		const SeqElem *e = &p->elems[j];

		if (e->kind == SEQ_STAR)
			continue;
		if (e->kind == SEQ_TIME &&
			(e->op == SEQ_LE || e->op == SEQ_LT || (e->op == SEQ_GE && e->zero)))
			continue;
		return false;
	}
	return true;
}

/*
 * The pattern of the calls, parsed once per query: the text and condition
 * count of the last pattern seen and its parsed form, kept in fn_extra.
 */
typedef struct SeqPatternCache
{
	int			nconds;
	int			len;
	SeqPattern	pattern;
	char		chars[FLEXIBLE_ARRAY_MEMBER];	/* the pattern's text */
} SeqPatternCache;

static const SeqPattern *
seq_cached_pattern(FunctionCallInfo fcinfo, const char *text, int len,
				   int nconds)
{
	SeqPatternCache *c = (SeqPatternCache *) fcinfo->flinfo->fn_extra;

	if (c != NULL && c->nconds == nconds && c->len == len &&
		memcmp(c->chars, text, len) == 0)
		return &c->pattern;
	if (c == NULL || c->len < len)
	{
		if (c != NULL)
			pfree(c);
		c = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
							   offsetof(SeqPatternCache, chars) + Max(len, 1));
		fcinfo->flinfo->fn_extra = c;
	}
	/* an error leaves no cache entry behind */
	c->len = -1;
	seq_parse(text, len, nconds, &c->pattern);
	c->nconds = nconds;
	c->len = len;
	memcpy(c->chars, text, len);
	return &c->pattern;
}

/*****************************************************************************
 * The working state
 *****************************************************************************/

typedef struct SeqEvent
{
	int64		ts;
	uint32		bits;			/* conditions fulfilled, never 0 */
} SeqEvent;

typedef struct SeqBuild
{
	bool		configured;		/* pattern and nconds are set */
	bool		unsorted;
	int			nconds;
	int			patlen;
	char	   *pattern;		/* patlen bytes, in the aggregate context */
	int			n;
	int			max;
	SeqEvent   *ev;
} SeqBuild;

static void
seq_check_events(int64 n)
{
	if (n > SEQ_MAX_EVENTS)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("a sequence group cannot hold more than %d events",
					   SEQ_MAX_EVENTS),
				errdetail("The limit is %d events; this one would hold " INT64_FORMAT ".",
						  SEQ_MAX_EVENTS, n));
}

static void
seq_push(SeqBuild *b, int64 ts, uint32 bits, MemoryContext cxt)
{
	if (b->n == b->max)
	{
		int			newmax;

		seq_check_events((int64) b->n + 1);
		newmax = b->max == 0 ? 8 : Min(b->max * 2, SEQ_MAX_EVENTS);
		if (b->ev == NULL)
			b->ev = MemoryContextAlloc(cxt, sizeof(SeqEvent) * newmax);
		else
			b->ev = repalloc_huge(b->ev, sizeof(SeqEvent) * newmax);
		b->max = newmax;
	}
	if (b->n > 0 && (ts < b->ev[b->n - 1].ts ||
					 (ts == b->ev[b->n - 1].ts && bits < b->ev[b->n - 1].bits)))
		b->unsorted = true;
	b->ev[b->n].ts = ts;
	b->ev[b->n].bits = bits;
	b->n++;
}

/* All rows and merged states of a group share the pattern and conditions. */
static void
seq_configure(SeqBuild *b, const char *pattern, int patlen, int nconds,
			  MemoryContext cxt)
{
	if (!b->configured)
	{
		b->pattern = MemoryContextAlloc(cxt, Max(patlen, 1));
		memcpy(b->pattern, pattern, patlen);
		b->patlen = patlen;
		b->nconds = nconds;
		b->configured = true;
		return;
	}
	if (b->nconds != nconds)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("sequence has %d conditions in one row and %d in another",
					   b->nconds, nconds));
	if (b->patlen != patlen || memcmp(b->pattern, pattern, patlen) != 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("sequence pattern must be the same for every row of a group"),
				errdetail("One row has \"%.*s\", another \"%.*s\".",
						  Min(b->patlen, SEQ_MAX_PATTERN_LEN), b->pattern,
						  Min(patlen, SEQ_MAX_PATTERN_LEN), pattern));
}

static bool
seq_empty(const void *state)
{
	return !((const SeqBuild *) state)->configured;
}

static void
seq_merge(void *dst, const void *src, MemoryContext cxt)
{
	SeqBuild   *to = dst;
	const SeqBuild *from = src;

	seq_configure(to, from->pattern, from->patlen, from->nconds, cxt);
	seq_check_events((int64) to->n + from->n);
	for (int i = 0; i < from->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		seq_push(to, from->ev[i].ts, from->ev[i].bits, cxt);
	}
}

/*
 * Serial form: configured byte, condition count byte, pattern length and
 * bytes, event count, then per event an int64 time and uint32 bits.
 */
#define SEQ_WIRE_EVENT	(8 + 4)

static void
seq_group_over_max(int64 n)
{
	seq_check_events(n);
}

static const EngRecordCount seq_serial_events = {
	"sequence", "events", 0, SEQ_MAX_EVENTS, SEQ_WIRE_EVENT, true,
	seq_group_over_max
};

static void
seq_serialize(StringInfo buf, const void *state)
{
	const SeqBuild *b = state;

	pq_sendbyte(buf, b->configured ? 1 : 0);
	pq_sendbyte(buf, b->nconds);
	pq_sendint32(buf, b->patlen);
	pq_sendbytes(buf, b->pattern, b->patlen);
	pq_sendint32(buf, b->n);
	for (int i = 0; i < b->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		pq_sendint64(buf, b->ev[i].ts);
		pq_sendint32(buf, b->ev[i].bits);
	}
}

static void
seq_deserialize(StringInfo buf, void *state, MemoryContext cxt)
{
	SeqBuild   *b = state;
	bool		configured = pq_getmsgbyte(buf) != 0;
	int			nconds = pq_getmsgbyte(buf);
	int32		patlen = (int32) pq_getmsgint(buf, 4);
	const char *pattern;
	int32		n;

	if (patlen < 0 || patlen > SEQ_MAX_PATTERN_LEN ||
		nconds > SEQ_MAX_CONDITIONS || (configured && nconds < 1) ||
		(!configured && (nconds != 0 || patlen != 0)))
		ereport(ERROR,
				errcode(ERRCODE_DATA_CORRUPTED),
				errmsg("invalid sequence value"),
				errdetail("The pattern length or condition count is out of range."));
	pattern = pq_getmsgbytes(buf, patlen);
	if (configured)
		seq_configure(b, pattern, patlen, nconds, cxt);
	n = eng_recv_count(buf, &seq_serial_events, ENG_STORED);
	if (n > 0 && !configured)
		ereport(ERROR,
				errcode(ERRCODE_DATA_CORRUPTED),
				errmsg("invalid sequence value"),
				errdetail("Events without a pattern."));
	for (int i = 0; i < n; i++)
	{
		int64		ts = pq_getmsgint64(buf);
		uint32		bits = (uint32) pq_getmsgint(buf, 4);

		CHECK_FOR_INTERRUPTS();
		if (ts < ENG_MIN_TS || ts > ENG_MAX_TS || bits == 0 ||
			(((uint64) bits) >> nconds) != 0)
			ereport(ERROR,
					errcode(ERRCODE_DATA_CORRUPTED),
					errmsg("invalid sequence value"),
					errdetail("Event %d is out of range.", i + 1));
		seq_push(b, ts, bits, cxt);
	}
}

static const EngBuildOps seq_ops = {
	.typname = "sequence",
	.size = sizeof(SeqBuild),
	.empty = seq_empty,
	.merge = seq_merge,
	.serialize = seq_serialize,
	.deserialize = seq_deserialize,
};

/*****************************************************************************
 * Transition
 *****************************************************************************/

/*
 * Args (pattern, ts, conditions): the conditions as one boolean array
 * (array = true) or as the remaining arguments.  Rows with a NULL time or
 * a NULL condition array are skipped; a NULL pattern is 22004.
 */
static Datum
seq_trans_common(FunctionCallInfo fcinfo, bool array)
{
	MemoryContext aggcontext;
	SeqBuild   *b = eng_build_arg(fcinfo, &seq_ops, &aggcontext);
	text	   *pattern;
	int64		ts;
	int			nconds;
	uint32		bits;

	if (PG_ARGISNULL(2) || (array && PG_ARGISNULL(3)))
		PG_RETURN_POINTER(b);
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				errmsg("sequence pattern must not be NULL"));
	pattern = PG_GETARG_TEXT_PP(1);
	ts = PG_GETARG_TIMESTAMPTZ(2);
	eng_check_timestamp(ts, "sequence");

	if (array)
	{
		ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(3);

		if (ARR_NDIM(arr) > 1)
			ereport(ERROR,
					errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					errmsg("sequence conditions must be a one-dimensional array"));
		bits = bool_array_bits(arr, SEQ_MAX_CONDITIONS, &nconds);
	}
	else
	{
		nconds = PG_NARGS() - 3;
		bits = bool_arg_bits(fcinfo, 3, Min(nconds, SEQ_MAX_CONDITIONS));
	}
	if (nconds < 1 || nconds > SEQ_MAX_CONDITIONS)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("a sequence needs between 1 and %d conditions, not %d",
					   SEQ_MAX_CONDITIONS, nconds));
	/* validates the pattern (once per query) before it is stored */
	seq_cached_pattern(fcinfo, VARDATA_ANY(pattern),
					   VARSIZE_ANY_EXHDR(pattern), nconds);
	seq_configure(b, VARDATA_ANY(pattern), VARSIZE_ANY_EXHDR(pattern),
				  nconds, aggcontext);
	if (bits != 0)
		seq_push(b, ts, bits, aggcontext);
	PG_RETURN_POINTER(b);
}

PG_FUNCTION_INFO_V1(engagement_sequence_trans);
Datum
engagement_sequence_trans(PG_FUNCTION_ARGS)
{
	return seq_trans_common(fcinfo, true);
}

/* the fixed-arity forms: the conditions are the arguments after the time */
PG_FUNCTION_INFO_V1(engagement_sequence_trans_args);
Datum
engagement_sequence_trans_args(PG_FUNCTION_ARGS)
{
	return seq_trans_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(engagement_sequence_combine);
Datum
engagement_sequence_combine(PG_FUNCTION_ARGS)
{
	return eng_build_combine(fcinfo, &seq_ops);
}

PG_FUNCTION_INFO_V1(engagement_sequence_serial);
Datum
engagement_sequence_serial(PG_FUNCTION_ARGS)
{
	return eng_build_serial(fcinfo, &seq_ops);
}

PG_FUNCTION_INFO_V1(engagement_sequence_deserial);
Datum
engagement_sequence_deserial(PG_FUNCTION_ARGS)
{
	return eng_build_deserial(fcinfo, &seq_ops);
}

/*****************************************************************************
 * Matching
 *****************************************************************************/

static int
seq_event_cmp(const void *a, const void *b)
{
	const SeqEvent *x = a;
	const SeqEvent *y = b;

	/* sorts of up to 10 million events stay cancellable */
	CHECK_FOR_INTERRUPTS();
	if (x->ts != y->ts)
		return (x->ts < y->ts) ? -1 : 1;
	if (x->bits != y->bits)
		return (x->bits < y->bits) ? -1 : 1;
	return 0;
}

/* bitsets of n + 1 positions */
#define SEQ_WORDS(n)	((Size) ((n) + 1 + 63) / 64)
#define SEQ_TEST(bs, i) (((bs)[(i) / 64] >> ((i) % 64)) & 1)
#define SEQ_SET(bs, i)	((bs)[(i) / 64] |= UINT64CONST(1) << ((i) % 64))

/* The first position q in [from, to] whose bit is set, or -1. */
static int
seq_next_set(const uint64 *bs, int from, int to)
{
	int			w;
	uint64		word;

	if (from > to)
		return -1;
	w = from / 64;
	word = bs[w] & (~UINT64CONST(0) << (from % 64));
	for (;;)
	{
		if (word != 0)
		{
			int			q = w * 64 + pg_rightmost_one_pos64(word);

			return q <= to ? q : -1;
		}
		w++;
		if ((Size) w * 64 > (Size) to)
			return -1;
		if ((w & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		word = bs[w];
	}
}

/* A group's sorted events, its pattern and the live nodes. */
typedef struct SeqMatcher
{
	const SeqPattern *p;
	const SeqEvent *ev;
	int			n;
	uint64	  **live;			/* live[j]: nodes (j, pos) that can match,
								 * kept for the elements that follow a choice */
} SeqMatcher;

/* reference event of the time condition j at a node at position pos */
static inline int
seq_time_base(const SeqPattern *p, int j, int pos)
{
	return p->elems[j - 1].kind == SEQ_STAR ? pos : pos - 1;
}

/* whether an event dt after the reference satisfies time condition e */
static inline bool
seq_time_lower_ok(const SeqElem *e, int64 dt)
{
	/* the lower bound of the range: dt >= S, dt > S, dt == S (dt >= S) */
	switch (e->op)
	{
		case SEQ_GE:
		case SEQ_EQ:
			return dt >= e->usec;
		case SEQ_GT:
			return dt > e->usec;
		default:
			return true;
	}
}

static inline bool
seq_time_upper_ok(const SeqElem *e, int64 dt)
{
	switch (e->op)
	{
		case SEQ_LE:
		case SEQ_EQ:
			return dt <= e->usec;
		case SEQ_LT:
			return dt < e->usec;
		default:
			return true;
	}
}

/*
 * The events time condition j lets the match continue at from a node at
 * position pos (< n): [*lo, *hi], empty when *lo > *hi; found by binary
 * search (times are sorted, so each bound is monotone).
 */
static void
seq_time_range(const SeqMatcher *m, int j, int pos, int *lo, int *hi)
{
	const SeqElem *e = &m->p->elems[j];
	int			b = seq_time_base(m->p, j, pos);
	int64		tb = m->ev[b].ts;
	int			l,
				r;

	/* first r >= pos satisfying the lower bound (monotone in r) */
	l = pos;
	r = m->n;
	while (l < r)
	{
		int			mid = l + (r - l) / 2;

		if (seq_time_lower_ok(e, m->ev[mid].ts - tb))
			r = mid;
		else
			l = mid + 1;
	}
	*lo = l;
	/* last r <= n - 1 satisfying the upper bound */
	l = pos - 1;
	r = m->n - 1;
	while (l < r)
	{
		int			mid = r - (r - l) / 2;

		if (seq_time_upper_ok(e, m->ev[mid].ts - tb))
			l = mid;
		else
			r = mid - 1;
	}
	*hi = l;
}

/*
 * The backward pass: live bits of every element from the last to 1 (the
 * root, element 0 at a position, is read off live[1]).  Kept: live[j] for
 * the elements j that follow a .* or a time condition (the children of a
 * choice); the others use two scratch bitsets.
 */
static void
seq_mark(SeqMatcher *m)
{
	const SeqPattern *p = m->p;
	int			n = m->n;
	int			nel = p->nelems;
	Size		words = SEQ_WORDS(n);
	uint64	   *scratch[2];
	int32	   *nxt;
	uint64	   *next;

	m->live = palloc0(sizeof(uint64 *) * (nel + 1));
	scratch[0] = palloc_extended(words * sizeof(uint64), MCXT_ALLOC_HUGE);
	scratch[1] = palloc_extended(words * sizeof(uint64), MCXT_ALLOC_HUGE);
	nxt = palloc_extended(sizeof(int32) * ((Size) n + 1), MCXT_ALLOC_HUGE);

	/* the end of the pattern: every node is a match */
	next = (p->elems[nel - 1].kind == SEQ_STAR || p->elems[nel - 1].kind == SEQ_TIME) ?
		palloc_extended(words * sizeof(uint64), MCXT_ALLOC_HUGE) : scratch[nel % 2];
	memset(next, 0xFF, words * sizeof(uint64));
	m->live[nel] = next;

	for (int j = nel - 1; j >= 1; j--)
	{
		const SeqElem *e = &p->elems[j];
		uint64	   *cur;
		bool		keep = (p->elems[j - 1].kind == SEQ_STAR ||
							p->elems[j - 1].kind == SEQ_TIME);

		cur = keep ? palloc_extended(words * sizeof(uint64), MCXT_ALLOC_HUGE) :
			scratch[j % 2];
		memset(cur, 0, words * sizeof(uint64));

		/* next live position >= x among 0..n-1 (n: none) */
		if (e->kind == SEQ_STAR || e->kind == SEQ_TIME)
		{
			nxt[n] = n;
			for (int x = n - 1; x >= 0; x--)
			{
				if ((x & 65535) == 0)
					CHECK_FOR_INTERRUPTS();
				nxt[x] = SEQ_TEST(next, x) ? x : nxt[x + 1];
			}
		}

		if (e->kind == SEQ_TIME)
		{
			int			lo = 0,
						hi = -1;

			for (int pos = 0; pos < n; pos++)
			{
				int			b = seq_time_base(p, j, pos);
				int64		tb;

				if ((pos & 65535) == 0)
					CHECK_FOR_INTERRUPTS();
				if (b < 0)
					continue;
				tb = m->ev[b].ts;
				/* both ends only move forward, as pos and the reference do */
				if (lo < pos)
					lo = pos;
				while (lo < n && !seq_time_lower_ok(e, m->ev[lo].ts - tb))
					lo++;
				if (hi < pos - 1)
					hi = pos - 1;
				while (hi + 1 < n && seq_time_upper_ok(e, m->ev[hi + 1].ts - tb))
					hi++;
				if (lo <= hi && nxt[lo] <= hi)
					SEQ_SET(cur, pos);
			}
		}
		else
		{
			for (int pos = 0; pos < n; pos++)
			{
				bool		ok;

				if ((pos & 65535) == 0)
					CHECK_FOR_INTERRUPTS();
				switch (e->kind)
				{
					case SEQ_COND:
						ok = ((m->ev[pos].bits >> e->cond) & 1) &&
							SEQ_TEST(next, pos + 1);
						break;
					case SEQ_ANY:
						ok = SEQ_TEST(next, pos + 1);
						break;
					default:	/* SEQ_STAR */
						ok = nxt[pos] < n;
						break;
				}
				if (ok)
					SEQ_SET(cur, pos);
			}
		}
		/* the events have run out: the rest must be skippable */
		if (seq_tail_skippable(p, j))
			SEQ_SET(cur, n);
		m->live[j] = cur;
		next = cur;
	}
	pfree(nxt);
}

/*
 * The first match starting at an event at or after start, as ClickHouse's
 * search finds it: the position after it (n when it ends with the events),
 * or -1 without a match.
 */
static int
seq_walk(const SeqMatcher *m, int start)
{
	const SeqPattern *p = m->p;
	int			n = m->n;
	int			nel = p->nelems;
	int			pos = seq_next_set(m->live[1], start, n - 1);
	int			j = 1;

	if (pos < 0)
		return -1;
	for (;;)
	{
		const SeqElem *e;

		if (j == nel)
			return pos;
		if (pos == n)
			return n;			/* the rest is skippable: the node is live */
		e = &p->elems[j];
		switch (e->kind)
		{
			case SEQ_COND:
			case SEQ_ANY:
				pos++;
				break;
			case SEQ_STAR:
				pos = seq_next_set(m->live[j + 1], pos, n - 1);
				break;
			case SEQ_TIME:
				{
					int			lo,
								hi;

					seq_time_range(m, j, pos, &lo, &hi);
					pos = seq_next_set(m->live[j + 1], lo, hi);
					break;
				}
		}
		/* a live node always has a live child */
		if (pos < 0)
			elog(ERROR, "sequence match lost its way");
		j++;
	}
}

/* Sort a group's events (idempotent) and return its parsed pattern. */
static const SeqPattern *
seq_final_pattern(FunctionCallInfo fcinfo, SeqBuild *b)
{
	if (b->unsorted)
	{
		qsort(b->ev, b->n, sizeof(SeqEvent), seq_event_cmp);
		b->unsorted = false;
	}
	return seq_cached_pattern(fcinfo, b->pattern, b->patlen, b->nconds);
}

/* sequence_match final: whether some events match; NULL without rows */
PG_FUNCTION_INFO_V1(engagement_sequence_match_final);
Datum
engagement_sequence_match_final(PG_FUNCTION_ARGS)
{
	SeqBuild   *b;
	SeqMatcher	m;
	const SeqPattern *p;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	b = (SeqBuild *) PG_GETARG_POINTER(0);
	if (!b->configured)
		PG_RETURN_NULL();
	p = seq_final_pattern(fcinfo, b);
	if (b->n == 0)
		PG_RETURN_BOOL(seq_tail_skippable(p, 0));
	m.p = p;
	m.ev = b->ev;
	m.n = b->n;
	seq_mark(&m);
	/* ClickHouse: a pattern that may be skipped entirely always matches */
	PG_RETURN_BOOL(seq_walk(&m, 0) >= 0 || seq_tail_skippable(p, 0));
}

/*
 * sequence_count final: the number of matches that do not overlap, each
 * searched from where the one before ended; NULL without rows.
 */
PG_FUNCTION_INFO_V1(engagement_sequence_count_final);
Datum
engagement_sequence_count_final(PG_FUNCTION_ARGS)
{
	SeqBuild   *b;
	SeqMatcher	m;
	int64		count = 0;
	int			start = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	b = (SeqBuild *) PG_GETARG_POINTER(0);
	if (!b->configured)
		PG_RETURN_NULL();
	m.p = seq_final_pattern(fcinfo, b);
	m.ev = b->ev;
	m.n = b->n;
	if (b->n == 0)
		PG_RETURN_INT64(0);
	seq_mark(&m);
	while (start < m.n)
	{
		int			end;

		CHECK_FOR_INTERRUPTS();
		end = seq_walk(&m, start);
		if (end < 0)
		{
			/*
			 * ClickHouse: when its search fails, a pattern that may be
			 * skipped entirely (.* and time conditions that pass on no
			 * events, even (?t<0)) matches the rest of the events.
			 */
			if (seq_tail_skippable(m.p, 0))
				count++;
			break;
		}
		count++;
		/* a match of no events moves on by one */
		start = (end == start) ? start + 1 : end;
	}
	PG_RETURN_INT64(count);
}
