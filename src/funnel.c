/*-------------------------------------------------------------------------
 *
 * funnel.c
 *	  Funnels and retention with ClickHouse semantics: window_funnel(), the
 *	  funnel state built by funnel_agg() with its accessors and rollup(), and
 *	  retention().
 *
 * A funnel keeps every (time, step) event of the group: a row fulfilling
 * step conditions i, j adds (ts, i) and (ts, j); in strict_order mode a row
 * fulfilling none adds (ts, 0).  Events are sorted by (time, step) and
 * scanned once, as ClickHouse's windowFunnel does: step k extends a chain
 * whose step k-1 is filled when ts <= (time of that chain's step 1) +
 * window; a new step 1 restarts the chain start.  Keeping the events (not
 * only the result) makes funnels exactly mergeable.
 *
 * IDENTIFICATION
 *	  src/funnel.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"
#include "conditions.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

#define FUNNEL_VERSION			1
#define FUNNEL_MAX_STEPS		32

/*
 * Events of one aggregate group (16 bytes each while aggregating and 9 more
 * to sort and scan them: 1.25 GB at the limit), and events of a funnel
 * value: its text form takes at most 31 bytes per event, so 30 million
 * events stay under the 1 GB a text value (and COPY, pg_dump) can hold.
 * Stored values are read up to the larger limit (earlier versions stored up
 * to 33.5 million events).
 */
#define FUNNEL_MAX_EVENTS		(50 * 1000 * 1000)
#define FUNNEL_MAX_VALUE_EVENTS	(30 * 1000 * 1000)

/* modes (flag bits) */
#define FUNNEL_STRICT_ORDER		0x01
#define FUNNEL_STRICT_DEDUP		0x02
#define FUNNEL_STRICT_INCREASE	0x04
#define FUNNEL_ALLOW_REENTRY	0x08
#define FUNNEL_STRICT_ONCE		0x10
#define FUNNEL_VALID_FLAGS		0x1F
#define FUNNEL_NMODES			5

/*
 * strict_once needs to know which events come from the same row (a chain
 * uses a row once).  Its working state keeps one entry per row, the step
 * field holding the row's steps as bits (0: a row of no step, kept under
 * strict_order); its stored events are sorted by (time, the row's bits,
 * step), one row's events together, and an event of the same row as the
 * one before it has this bit in its step byte.
 */
#define FUNNEL_SAME_ROW			0x80
#define FUNNEL_STEP_OF(b)		((b) & 0x7F)

typedef struct FEvent
{
	int64		ts;
	int32		step;			/* 1..nsteps, 0: no condition (strict_order);
								 * strict_once: the row's steps as bits */
} FEvent;

/* Aggregation state of window_funnel(), funnel_agg() and rollup(funnel). */
#define FUNNEL_INLINE_EVENTS	12

typedef struct FunnelBuild
{
	bool		configured;		/* window, flags and nsteps are set */
	int64		window;			/* microseconds, >= 0 */
	int			flags;
	int			nsteps;
	bool		unsorted;		/* some event precedes the one before it */
	int			n;
	int			max;			/* capacity: FUNNEL_INLINE_EVENTS, or of ev */
	FEvent	   *ev;				/* events beyond the inline capacity */
	FEvent		inline_ev[FUNNEL_INLINE_EVENTS];
} FunnelBuild;

/*
 * A group's first events live in its state (one allocation, one cache line
 * fewer per row for the many groups of a few events: per-user funnels over
 * millions of users); more move to an array that doubles.
 */
#define FBUILD_EV(b)	((b)->max <= FUNNEL_INLINE_EVENTS ? (b)->inline_ev : (b)->ev)

/*
 * Stored funnel: header, window, step count, event count, then the events
 * sorted by (ts, step): int64 times, then one byte per step.
 */
typedef struct FunnelData
{
	EngStateHeader hdr;			/* flags: the modes */
	int64		window;
	int32		nsteps;
	int32		nevents;
	char		data[FLEXIBLE_ARRAY_MEMBER];
} FunnelData;

#define FUNNEL_HDRSZ			offsetof(FunnelData, data)
#define FUNNEL_SIZE(n)			(FUNNEL_HDRSZ + (Size) (n) * (sizeof(int64) + 1))
#define FUNNEL_TS(f)			((int64 *) (f)->data)
#define FUNNEL_STEPS(f)			((uint8 *) ((f)->data + (Size) (f)->nevents * sizeof(int64)))

/* The deepest chain found by the scan. */
typedef struct FunnelResult
{
	int			level;
	int64		times[FUNNEL_MAX_STEPS];	/* times of steps 1..level */
} FunnelResult;

/*****************************************************************************
 * Modes and the scan
 *****************************************************************************/

static int
funnel_parse_mode(text *mode)
{
	char	   *str = text_to_cstring(mode);
	char	   *tok;
	char	   *save;
	int			flags = 0;

	for (tok = strtok_r(str, ",: ", &save); tok; tok = strtok_r(NULL, ",: ", &save))
	{
		CHECK_FOR_INTERRUPTS();
		if (strcmp(tok, "strict_order") == 0)
			flags |= FUNNEL_STRICT_ORDER;
		else if (strcmp(tok, "strict_deduplication") == 0)
			flags |= FUNNEL_STRICT_DEDUP;
		else if (strcmp(tok, "strict_increase") == 0)
			flags |= FUNNEL_STRICT_INCREASE;
		else if (strcmp(tok, "allow_reentry") == 0)
			flags |= FUNNEL_ALLOW_REENTRY;
		else if (strcmp(tok, "strict_once") == 0)
			flags |= FUNNEL_STRICT_ONCE;
		else
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("unknown funnel mode \"%s\"", tok),
					errhint("Modes are strict_order, strict_deduplication, strict_increase, allow_reentry and strict_once, separated by commas or colons."));
	}
	if ((flags & FUNNEL_ALLOW_REENTRY) && !(flags & FUNNEL_STRICT_ORDER))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("funnel mode allow_reentry requires strict_order"));
	pfree(str);
	return flags;
}

static int
fevent_cmp(const void *a, const void *b)
{
	const FEvent *x = a;
	const FEvent *y = b;

	/* sorts of up to 50 million events stay cancellable */
	CHECK_FOR_INTERRUPTS();
	if (x->ts != y->ts)
		return (x->ts < y->ts) ? -1 : 1;
	/* unsigned: strict_once rows hold 32 step bits */
	if (x->step != y->step)
		return ((uint32) x->step < (uint32) y->step) ? -1 : 1;
	return 0;
}

/* deepest filled level of a chain table */
static int
funnel_filled_level(const bool *filled, int nsteps)
{
	for (int k = nsteps; k > 0; k--)
		if (filled[k - 1])
			return k;
	return 0;
}

/*
 * The scan over events sorted by (ts, step), one event at a time, so that
 * it reads a working state's events and a stored funnel's alike.
 * chains[k] is the chain that reached step k + 1 most recently: its step
 * times.  "level" is -1 while the scan goes on; an event that ends the
 * funnel (the last step, a repeated or out-of-order step in the strict
 * modes) sets it to the level reached.
 */
typedef struct FunnelScan
{
	int			nsteps;
	int64		window;
	int			flags;
	bool		first_event;
	int			level;
	bool		filled[FUNNEL_MAX_STEPS];
	int64		chains[FUNNEL_MAX_STEPS][FUNNEL_MAX_STEPS];
} FunnelScan;

static void
funnel_scan_begin(FunnelScan *s, int nsteps, int64 window, int flags)
{
	s->nsteps = nsteps;
	s->window = window;
	s->flags = flags;
	s->first_event = false;
	s->level = -1;
	memset(s->filled, 0, sizeof(s->filled));
}

/* one event; true when it ends the scan (s->level is then set) */
static inline bool
funnel_scan_event(FunnelScan *s, int64 t, int step)
{
	int			idx = step - 1;
	int			flags = s->flags;

	if ((flags & FUNNEL_STRICT_ORDER) && idx == -1)
	{
		if (s->first_event)
		{
			s->level = funnel_filled_level(s->filled, s->nsteps);
			return true;
		}
		return false;
	}
	if (idx < 0)
		return false;			/* cannot happen outside strict_order */
	if (idx == 0)
	{
		s->filled[0] = true;
		s->chains[0][0] = t;
		s->first_event = true;
	}
	else if ((flags & FUNNEL_STRICT_DEDUP) && s->filled[idx])
	{
		/* a repeated step ends the funnel */
		s->level = funnel_filled_level(s->filled, s->nsteps);
		return true;
	}
	else if ((flags & FUNNEL_STRICT_ORDER) && s->first_event && !s->filled[idx - 1])
	{
		if (flags & FUNNEL_ALLOW_REENTRY)
			return false;
		/* a step out of order ends the funnel at the first gap */
		for (int k = 0; k < s->nsteps; k++)
			if (!s->filled[k])
			{
				s->level = k;
				return true;
			}
	}
	else if (s->filled[idx - 1])
	{
		int64		first = s->chains[idx - 1][0];
		bool		in_window = (t - first <= s->window);

		if ((flags & FUNNEL_STRICT_INCREASE) && !(s->chains[idx - 1][idx - 1] < t))
			in_window = false;
		if (in_window)
		{
			memcpy(s->chains[idx], s->chains[idx - 1], sizeof(int64) * idx);
			s->chains[idx][idx] = t;
			s->filled[idx] = true;
			if (idx + 1 == s->nsteps)
			{
				s->level = s->nsteps;
				return true;
			}
		}
	}
	return false;
}

/* the result once the events are over or the scan ended */
static void
funnel_scan_end(FunnelScan *s, FunnelResult *res)
{
	int			level = s->level;

	if (level < 0)
		level = funnel_filled_level(s->filled, s->nsteps);
	res->level = level;
	if (level > 0)
		memcpy(res->times, s->chains[level - 1], sizeof(int64) * level);
}

/* Scan a stored funnel's events. */
static void
funnel_scan(const int64 *ts, const uint8 *steps, int n, int nsteps,
			int64 window, int flags, FunnelResult *res)
{
	FunnelScan	s;

	funnel_scan_begin(&s, nsteps, window, flags);
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (funnel_scan_event(&s, ts[i], steps[i]))
			break;
	}
	funnel_scan_end(&s, res);
}


/*
 * strict_once (ClickHouse: every event counts once in a chain): a chain
 * never uses two events of the same row.  Events are taken in (time, step)
 * order as in the other modes, with the same rules for the strict modes;
 * what a level needs is whether some chain reaches it, over every chain,
 * not only the most recent one.  Two events of a row share its time, so
 * only the events of the current instant can collide: a chain that reaches
 * step s through the event (T, s, r) is a chain that ended before T (for
 * the window only the one with the latest step-1 time matters) followed by
 * steps j+1..s-1 at T from distinct rows other than r, a matching of steps
 * to the rows of the instant (augmenting paths, at most 32 steps deep), or
 * a chain that starts at T (j = 0).  Linear in the rows, but quadratic in
 * the rows that share one instant.
 */
typedef struct FunnelOnce
{
	int			nsteps;
	int64		window;
	int			flags;
	bool		first_event;
	int			level;			/* -1 while the scan goes on */
	bool		filled[FUNNEL_MAX_STEPS];	/* a chain reached step k + 1 */
	int64		cur[FUNNEL_MAX_STEPS][FUNNEL_MAX_STEPS];	/* latest such chain */
	/* per step: the chain with the latest start that ended before now */
	bool		old_ok[FUNNEL_MAX_STEPS];
	int64		old[FUNNEL_MAX_STEPS][FUNNEL_MAX_STEPS];
	/* the same for the chains that reach it at the current instant */
	bool		grp_ok[FUNNEL_MAX_STEPS];
	int64		grp[FUNNEL_MAX_STEPS][FUNNEL_MAX_STEPS];
	/* the rows of the current instant and their matching to steps */
	const FEvent *rows;
	int			g0;
	int			g1;
	int		   *match;			/* per row: its step in the matching, or 0 */
	bool	   *visited;
} FunnelOnce;

static bool
funnel_once_augment(FunnelOnce *o, int skip, int step)
{
	for (int r = o->g0; r < o->g1; r++)
	{
		int			k = r - o->g0;

		if (r == skip || o->visited[k] ||
			!((uint32) o->rows[r].step & (((uint32) 1) << (step - 1))))
			continue;
		o->visited[k] = true;
		if (o->match[k] == 0 || funnel_once_augment(o, skip, o->match[k]))
		{
			o->match[k] = step;
			return true;
		}
	}
	return false;
}

/*
 * A chain that reaches step st through row r at time t: its step times in
 * times[0..st-1]; false when there is none.
 */
static bool
funnel_once_chain(FunnelOnce *o, int r, int st, int64 t, int64 *times)
{
	int			jmin = st - 1;

	/* steps jmin+1..st-1 can come from other rows of this instant */
	if (!(o->flags & FUNNEL_STRICT_INCREASE) && o->g1 - o->g0 > 1)
	{
		memset(o->match, 0, sizeof(int) * (o->g1 - o->g0));
		for (int x = st - 1; x >= 1; x--)
		{
			CHECK_FOR_INTERRUPTS();
			memset(o->visited, 0, sizeof(bool) * (o->g1 - o->g0));
			if (!funnel_once_augment(o, r, x))
				break;
			jmin = x - 1;
		}
	}
	if (jmin == 0)
	{
		/* the whole chain at this instant */
		for (int k = 0; k < st; k++)
			times[k] = t;
		return true;
	}
	for (int j = jmin; j <= st - 1; j++)
		if (o->old_ok[j - 1] && t - o->old[j - 1][0] <= o->window)
		{
			memcpy(times, o->old[j - 1], sizeof(int64) * j);
			for (int k = j; k < st; k++)
				times[k] = t;
			return true;
		}
	return false;
}

/* One event (time t, step st, row r); sets o->level when it ends the scan. */
static void
funnel_once_event(FunnelOnce *o, int r, int st, int64 t)
{
	int			idx = st - 1;
	int64		times[FUNNEL_MAX_STEPS];

	if (idx == 0)
	{
		o->filled[0] = true;
		o->first_event = true;
		o->cur[0][0] = t;
		o->grp_ok[0] = true;
		o->grp[0][0] = t;
		return;
	}
	if ((o->flags & FUNNEL_STRICT_DEDUP) && o->filled[idx])
	{
		o->level = funnel_filled_level(o->filled, o->nsteps);
		return;
	}
	if ((o->flags & FUNNEL_STRICT_ORDER) && o->first_event && !o->filled[idx - 1])
	{
		if (o->flags & FUNNEL_ALLOW_REENTRY)
			return;
		for (int k = 0; k < o->nsteps; k++)
			if (!o->filled[k])
			{
				o->level = k;
				return;
			}
	}
	if (!o->filled[idx - 1] || !funnel_once_chain(o, r, st, t, times))
		return;
	o->filled[idx] = true;
	memcpy(o->cur[idx], times, sizeof(int64) * st);
	if (!o->grp_ok[idx] || times[0] >= o->grp[idx][0])
	{
		o->grp_ok[idx] = true;
		memcpy(o->grp[idx], times, sizeof(int64) * st);
	}
	if (st == o->nsteps)
		o->level = o->nsteps;
}

/* Scan the rows (time, step bits) of a strict_once funnel, sorted. */
static void
funnel_scan_once(const FEvent *rows, int n, int nsteps, int64 window,
				 int flags, FunnelResult *res)
{
	FunnelOnce *o = palloc0(sizeof(FunnelOnce));
	int			i = 0;
	int			level;

	o->nsteps = nsteps;
	o->window = window;
	o->flags = flags;
	o->level = -1;
	o->rows = rows;
	while (i < n && o->level < 0)
	{
		int64		t = rows[i].ts;

		o->g0 = i;
		while (i < n && rows[i].ts == t)
			i++;
		o->g1 = i;
		if (o->g1 - o->g0 > 1)
		{
			o->match = palloc(sizeof(int) * (o->g1 - o->g0));
			o->visited = palloc(sizeof(bool) * (o->g1 - o->g0));
		}
		memset(o->grp_ok, 0, sizeof(o->grp_ok));
		/* events in (step, row) order; a row of no step comes first */
		for (int r = o->g0; r < o->g1 && o->level < 0; r++)
			if (rows[r].step == 0 && (flags & FUNNEL_STRICT_ORDER) && o->first_event)
				o->level = funnel_filled_level(o->filled, nsteps);
		for (int st = 1; st <= nsteps && o->level < 0; st++)
			for (int r = o->g0; r < o->g1 && o->level < 0; r++)
			{
				CHECK_FOR_INTERRUPTS();
				if ((uint32) rows[r].step & (((uint32) 1) << (st - 1)))
					funnel_once_event(o, r, st, t);
			}
		for (int k = 0; k < nsteps; k++)
			if (o->grp_ok[k] && (!o->old_ok[k] || o->grp[k][0] >= o->old[k][0]))
			{
				o->old_ok[k] = true;
				memcpy(o->old[k], o->grp[k], sizeof(int64) * (k + 1));
			}
		if (o->g1 - o->g0 > 1)
		{
			pfree(o->match);
			pfree(o->visited);
		}
	}
	level = o->level >= 0 ? o->level : funnel_filled_level(o->filled, nsteps);
	res->level = level;
	if (level > 0)
		memcpy(res->times, o->cur[level - 1], sizeof(int64) * level);
	pfree(o);
}

/*****************************************************************************
 * Building
 *****************************************************************************/

/* 54000 for a number of events above a limit, before allocating them */
static void
funnel_check_events(int64 n, int limit, const char *what)
{
	if (n > limit)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("%s cannot hold more than %d events", what, limit),
				errdetail("The limit is %d events; this one would hold " INT64_FORMAT ".",
						  limit, n));
}

/*
 * Binary and serial forms: a count, then per event an int64 time and a step
 * byte.  Binary input takes the values version 1.1 could store, as text
 * input does.
 */
#define FUNNEL_WIRE_EVENT		(8 + 1)

static void
funnel_value_over_max(int64 n)
{
	funnel_check_events(n, FUNNEL_MAX_EVENTS, "a funnel value");
}

static void
funnel_group_over_max(int64 n)
{
	funnel_check_events(n, FUNNEL_MAX_EVENTS, "a funnel group");
}

static const EngRecordCount funnel_wire_events = {
	"funnel", "events", 0, FUNNEL_MAX_EVENTS, FUNNEL_WIRE_EVENT, true,
	funnel_value_over_max
};

static const EngRecordCount funnel_serial_events = {
	"funnel", "events", 0, FUNNEL_MAX_EVENTS, FUNNEL_WIRE_EVENT, true,
	funnel_group_over_max
};

/* strict_once working states: per row an int64 time and uint32 step bits */
static const EngRecordCount funnel_serial_rows = {
	"funnel", "events", 0, FUNNEL_MAX_EVENTS, 8 + 4, true,
	funnel_group_over_max
};

/*
 * Append one event.  Past the inline events, the array doubles up to the
 * limit (huge allocations: the limit needs 800 MB), so the limit is
 * reached, not MaxAllocSize.
 */
static void
fbuild_push(FunnelBuild *b, int64 ts, int step, MemoryContext cxt)
{
	FEvent	   *ev;

	if (b->max == 0)
		b->max = FUNNEL_INLINE_EVENTS;
	if (b->n == b->max)
	{
		int			newmax;

		funnel_check_events((int64) b->n + 1, FUNNEL_MAX_EVENTS, "a funnel group");
		newmax = Min(b->max * 2, FUNNEL_MAX_EVENTS);
		if (b->max <= FUNNEL_INLINE_EVENTS)
		{
			b->ev = MemoryContextAllocExtended(cxt, sizeof(FEvent) * newmax,
											   MCXT_ALLOC_HUGE);
			memcpy(b->ev, b->inline_ev, sizeof(FEvent) * b->n);
		}
		else
			b->ev = repalloc_huge(b->ev, sizeof(FEvent) * newmax);
		b->max = newmax;
	}
	ev = FBUILD_EV(b);
	if (b->n > 0 && (ts < ev[b->n - 1].ts ||
					 (ts == ev[b->n - 1].ts &&
					  (uint32) step < (uint32) ev[b->n - 1].step)))
		b->unsorted = true;
	ev[b->n].ts = ts;
	ev[b->n].step = step;
	b->n++;
}

/* All rows and merged states of one group must share the parameters. */
static void
fbuild_configure(FunnelBuild *b, int64 window, int flags, int nsteps)
{
	if (!b->configured)
	{
		b->configured = true;
		b->window = window;
		b->flags = flags;
		b->nsteps = nsteps;
		return;
	}
	if (b->nsteps != nsteps)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("funnel has %d steps in one row and %d in another",
					   b->nsteps, nsteps));
	if (b->window != window || b->flags != flags)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("funnel window and mode must be the same for every row of a group"));
}

/*
 * The working state: a group's parameters and its events in arrival order,
 * merged by appending.  A state may be configured and still hold no events
 * (rows that fulfil no step add none outside strict_order), so the serial
 * form carries the parameters too: configured flag, window, flags, step
 * count, then the events as in the binary form.
 */
static bool
fbuild_empty(const void *state)
{
	return !((const FunnelBuild *) state)->configured;
}

static void
fbuild_merge(void *dst, const void *src, MemoryContext cxt)
{
	FunnelBuild *to = dst;
	const FunnelBuild *from = src;

	fbuild_configure(to, from->window, from->flags, from->nsteps);
	funnel_check_events((int64) to->n + from->n, FUNNEL_MAX_EVENTS, "a funnel group");
	for (int i = 0; i < from->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		fbuild_push(to, FBUILD_EV(from)[i].ts, FBUILD_EV(from)[i].step, cxt);
	}
}

static void
fbuild_serialize(StringInfo buf, const void *state)
{
	const FunnelBuild *b = state;

	pq_sendbyte(buf, b->configured ? 1 : 0);
	pq_sendint64(buf, b->window);
	pq_sendbyte(buf, b->flags);
	pq_sendbyte(buf, b->nsteps);
	pq_sendint32(buf, b->n);
	for (int i = 0; i < b->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		pq_sendint64(buf, FBUILD_EV(b)[i].ts);
		if (b->flags & FUNNEL_STRICT_ONCE)
			pq_sendint32(buf, (uint32) FBUILD_EV(b)[i].step);
		else
			pq_sendbyte(buf, FBUILD_EV(b)[i].step);
	}
}

static void
fbuild_deserialize(StringInfo buf, void *state, MemoryContext cxt)
{
	FunnelBuild *b = state;
	int32		n;

	b->configured = pq_getmsgbyte(buf) != 0;
	b->window = pq_getmsgint64(buf);
	b->flags = pq_getmsgbyte(buf);
	b->nsteps = pq_getmsgbyte(buf);
	n = eng_recv_count(buf, (b->flags & FUNNEL_STRICT_ONCE) ?
					   &funnel_serial_rows : &funnel_serial_events, ENG_STORED);
	for (int i = 0; i < n; i++)
	{
		int64		ts = pq_getmsgint64(buf);
		int			step;

		if (b->flags & FUNNEL_STRICT_ONCE)
			step = (int) pq_getmsgint(buf, 4);
		else
			step = pq_getmsgbyte(buf);

		CHECK_FOR_INTERRUPTS();
		fbuild_push(b, ts, step, cxt);
	}
}

/* rollup() and + read stored funnels (defined with the stored form below) */
static void fbuild_add_arg(void *state, FunctionCallInfo fcinfo, int argno,
						   MemoryContext cxt);
static Datum fbuild_finish(void *state);

static const EngBuildOps fbuild_ops = {
	.typname = "funnel",
	.size = sizeof(FunnelBuild),
	.empty = fbuild_empty,
	.merge = fbuild_merge,
	.serialize = fbuild_serialize,
	.deserialize = fbuild_deserialize,
	.add_arg = fbuild_add_arg,
	.finish = fbuild_finish,
};

/*
 * What the transition's calls parse once and keep in fn_extra: the text of
 * the last mode seen and its flags (the mode is nearly always a constant),
 * and for the step-name forms the last array of names (its bytes, then each
 * name), with whether the collation compares bytes.
 */
typedef struct FunnelCache
{
	bool		have_mode;
	int			mode_flags;
	int			mode_len;
	char	   *mode_text;
	Size		names_size;		/* 0: no array yet */
	char	   *names_raw;
	int			nnames;
	int		   *name_len;		/* -1: a NULL element, which no event equals */
	Datum	   *name;
	Oid			collation;
	bool		bytewise;
} FunnelCache;

static FunnelCache *
funnel_cache(FunctionCallInfo fcinfo)
{
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
														  sizeof(FunnelCache));
	return (FunnelCache *) fcinfo->flinfo->fn_extra;
}

static int
funnel_cached_mode(FunctionCallInfo fcinfo, text *mode)
{
	FunnelCache *c = funnel_cache(fcinfo);
	int			len = VARSIZE_ANY_EXHDR(mode);

	if (c->have_mode && c->mode_len == len &&
		memcmp(c->mode_text, VARDATA_ANY(mode), len) == 0)
		return c->mode_flags;
	c->mode_flags = funnel_parse_mode(mode);
	if (c->mode_text != NULL)
		pfree(c->mode_text);
	c->mode_text = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, Max(len, 1));
	memcpy(c->mode_text, VARDATA_ANY(mode), len);
	c->mode_len = len;
	c->have_mode = true;
	return c->mode_flags;
}

/*
 * The step names of the name forms, window_funnel(window, [mode,] ts, event,
 * steps text[]): step i is reached by a row whose event equals steps[i]
 * under the call's collation (byte for byte under a deterministic one, as
 * text = compares).  The array is read once per distinct array, so a
 * constant array costs one comparison of its bytes per row.
 */
static FunnelCache *
funnel_cached_names(FunctionCallInfo fcinfo, ArrayType *arr)
{
	FunnelCache *c = funnel_cache(fcinfo);
	Size		size = VARSIZE(arr);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	MemoryContext old;

	if (c->names_size == size && c->collation == PG_GET_COLLATION() &&
		memcmp(c->names_raw, arr, size) == 0)
		return c;
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				errmsg("funnel steps must be a one-dimensional array"));
	n = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	if (n < 1 || n > FUNNEL_MAX_STEPS)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("a funnel needs between 1 and %d steps, not %d",
					   FUNNEL_MAX_STEPS, n));
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	if (c->names_raw != NULL)
	{
		pfree(c->names_raw);
		pfree(c->name_len);
		pfree(c->name);
	}
	c->names_raw = palloc(size);
	memcpy(c->names_raw, arr, size);
	deconstruct_array((ArrayType *) c->names_raw, TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &n);
	c->nnames = n;
	c->name = elems;
	c->name_len = palloc(sizeof(int) * n);
	for (int i = 0; i < n; i++)
		c->name_len[i] = nulls[i] ? -1 : (int) VARSIZE_ANY_EXHDR(DatumGetPointer(elems[i]));
	pfree(nulls);
	c->names_size = size;
	c->collation = PG_GET_COLLATION();
	c->bytewise = !OidIsValid(c->collation) ||
		get_collation_isdeterministic(c->collation);
	MemoryContextSwitchTo(old);
	return c;
}

/* the steps a row's event reaches, as bits (none for a NULL event) */
static uint32
funnel_name_bits(FunnelCache *c, FunctionCallInfo fcinfo, int argno)
{
	text	   *event;
	const char *data;
	int			len;
	uint32		bits = 0;

	if (PG_ARGISNULL(argno))
		return 0;
	event = PG_GETARG_TEXT_PP(argno);
	data = VARDATA_ANY(event);
	len = VARSIZE_ANY_EXHDR(event);
	for (int i = 0; i < c->nnames; i++)
	{
		if (c->name_len[i] < 0)
			continue;
		if (c->bytewise ?
			(c->name_len[i] == len &&
			 memcmp(VARDATA_ANY(DatumGetPointer(c->name[i])), data, len) == 0) :
			DatumGetBool(DirectFunctionCall2Coll(texteq, c->collation,
												 PointerGetDatum(event), c->name[i])))
			bits |= ((uint32) 1) << i;
	}
	return bits;
}

/* how a transition gets its steps: arguments, a boolean array, or names */
typedef enum FunnelStepForm
{
	FUNNEL_STEP_ARGS,
	FUNNEL_STEP_ARRAY,
	FUNNEL_STEP_NAMES
} FunnelStepForm;

/*
 * Transition of window_funnel/funnel_agg: args (window, [mode,] ts, steps),
 * the steps as the remaining boolean arguments, as one boolean array, or as
 * an event and an array of step names.  Rows with a NULL time or a NULL
 * array are skipped; a NULL condition or event reaches no step.
 */
static Datum
funnel_trans_common(FunctionCallInfo fcinfo, bool with_mode, FunnelStepForm form)
{
	MemoryContext aggcontext;
	FunnelBuild *b = eng_build_arg(fcinfo, &fbuild_ops, &aggcontext);
	int			tsarg = with_mode ? 3 : 2;
	int			flags = 0;
	int64		window;
	int64		ts;
	int			nsteps;
	uint32		bits;

	if (PG_ARGISNULL(tsarg) ||
		(form == FUNNEL_STEP_ARRAY && PG_ARGISNULL(tsarg + 1)) ||
		(form == FUNNEL_STEP_NAMES && PG_ARGISNULL(tsarg + 2)))
		PG_RETURN_POINTER(b);
	if (PG_ARGISNULL(1) || (with_mode && PG_ARGISNULL(2)))
		ereport(ERROR,
				errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				errmsg("funnel window and mode must not be NULL"));

	window = eng_interval_usecs(PG_GETARG_INTERVAL_P(1), "funnel window");
	if (window < 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("funnel window must not be negative"));
	if (with_mode)
		flags = funnel_cached_mode(fcinfo, PG_GETARG_TEXT_PP(2));

	ts = PG_GETARG_TIMESTAMPTZ(tsarg);
	eng_check_timestamp(ts, "funnel");

	if (form == FUNNEL_STEP_ARRAY)
	{
		ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(tsarg + 1);

		if (ARR_NDIM(arr) > 1)
			ereport(ERROR,
					errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					errmsg("funnel steps must be a one-dimensional array"));
		bits = bool_array_bits(arr, FUNNEL_MAX_STEPS, &nsteps);
	}
	else if (form == FUNNEL_STEP_NAMES)
	{
		FunnelCache *c = funnel_cached_names(fcinfo, PG_GETARG_ARRAYTYPE_P(tsarg + 2));

		nsteps = c->nnames;
		bits = funnel_name_bits(c, fcinfo, tsarg + 1);
	}
	else
	{
		nsteps = PG_NARGS() - tsarg - 1;
		bits = bool_arg_bits(fcinfo, tsarg + 1, Min(nsteps, FUNNEL_MAX_STEPS));
	}
	if (nsteps < 1 || nsteps > FUNNEL_MAX_STEPS)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("a funnel needs between 1 and %d steps, not %d",
					   FUNNEL_MAX_STEPS, nsteps));
	fbuild_configure(b, window, flags, nsteps);

	/*
	 * one event per step the row fulfils; under strict_order, one for none;
	 * under strict_once, one per row (its steps as bits)
	 */
	if (bits == 0)
	{
		if (flags & FUNNEL_STRICT_ORDER)
			fbuild_push(b, ts, 0, aggcontext);
	}
	else if (flags & FUNNEL_STRICT_ONCE)
		fbuild_push(b, ts, (int32) bits, aggcontext);
	else
		for (int i = 0; i < nsteps; i++)
			if (bits & (((uint32) 1) << i))
				fbuild_push(b, ts, i + 1, aggcontext);
	PG_RETURN_POINTER(b);
}

PG_FUNCTION_INFO_V1(engagement_funnel_trans);
Datum
engagement_funnel_trans(PG_FUNCTION_ARGS)
{
	return funnel_trans_common(fcinfo, false, FUNNEL_STEP_ARRAY);
}

PG_FUNCTION_INFO_V1(engagement_funnel_trans_mode);
Datum
engagement_funnel_trans_mode(PG_FUNCTION_ARGS)
{
	return funnel_trans_common(fcinfo, true, FUNNEL_STEP_ARRAY);
}

/* the fixed-arity forms: the steps are the arguments after the time */
PG_FUNCTION_INFO_V1(engagement_funnel_trans_args);
Datum
engagement_funnel_trans_args(PG_FUNCTION_ARGS)
{
	return funnel_trans_common(fcinfo, false, FUNNEL_STEP_ARGS);
}

/* the name forms: an event and the steps' names */
PG_FUNCTION_INFO_V1(engagement_funnel_trans_names);
Datum
engagement_funnel_trans_names(PG_FUNCTION_ARGS)
{
	return funnel_trans_common(fcinfo, false, FUNNEL_STEP_NAMES);
}

PG_FUNCTION_INFO_V1(engagement_funnel_trans_mode_names);
Datum
engagement_funnel_trans_mode_names(PG_FUNCTION_ARGS)
{
	return funnel_trans_common(fcinfo, true, FUNNEL_STEP_NAMES);
}

PG_FUNCTION_INFO_V1(engagement_funnel_trans_mode_args);
Datum
engagement_funnel_trans_mode_args(PG_FUNCTION_ARGS)
{
	return funnel_trans_common(fcinfo, true, FUNNEL_STEP_ARGS);
}

/*
 * Sort a build state's events by (time, step), unless they arrived in that
 * order (the usual case when rows come in time order): idempotent.
 */
static void
fbuild_sort(FunnelBuild *b)
{
	if (!b->unsorted)
		return;
	qsort(FBUILD_EV(b), b->n, sizeof(FEvent), fevent_cmp);
	b->unsorted = false;
}

/*
 * The events of the funnel value a build state encodes to: strict_once
 * keeps one entry per row, which is as many events as it has steps (one
 * for a row of none).
 */
static int64
fbuild_value_events(const FunnelBuild *b)
{
	int64		n = 0;

	if (!(b->flags & FUNNEL_STRICT_ONCE))
		return b->n;
	for (int i = 0; i < b->n; i++)
		n += Max(pg_popcount32((uint32) FBUILD_EV(b)[i].step), 1);
	return n;
}

/* Sort a build state's events (idempotent) and encode it. */
static FunnelData *
fbuild_encode(FunnelBuild *b)
{
	FunnelData *f;
	int64	   *ts;
	uint8	   *steps;

	int64		n = fbuild_value_events(b);
	int			k = 0;

	fbuild_sort(b);
	funnel_check_events(n, FUNNEL_MAX_EVENTS, "a funnel value");
	f = palloc0(FUNNEL_SIZE(n));
	eng_init_header(&f->hdr, FUNNEL_SIZE(n), FUNNEL_VERSION, (uint8) b->flags);
	f->window = b->window;
	f->nsteps = b->nsteps;
	f->nevents = (int32) n;
	ts = FUNNEL_TS(f);
	steps = FUNNEL_STEPS(f);
	for (int i = 0; i < b->n; i++)
	{
		uint32		bits = (uint32) FBUILD_EV(b)[i].step;
		bool		more = false;

		CHECK_FOR_INTERRUPTS();
		if (!(b->flags & FUNNEL_STRICT_ONCE) || bits == 0)
		{
			ts[k] = FBUILD_EV(b)[i].ts;
			steps[k++] = (uint8) bits;
			continue;
		}
		for (int st = 1; st <= FUNNEL_MAX_STEPS; st++)
			if (bits & (((uint32) 1) << (st - 1)))
			{
				ts[k] = FBUILD_EV(b)[i].ts;
				steps[k++] = (uint8) (st | (more ? FUNNEL_SAME_ROW : 0));
				more = true;
			}
	}
	return f;
}

/*
 * The events of a strict_once funnel: rows sorted by (time, step bits), a
 * row's steps increasing, its later events marked FUNNEL_SAME_ROW; a row of
 * no step (step 0, strict_order) alone.
 */
static void
funnel_validate_rows(const FunnelData *f, EngSource src)
{
	const int64 *ts = FUNNEL_TS(f);
	const uint8 *steps = FUNNEL_STEPS(f);
	uint32		prev_bits = 0;
	int			i = 0;

	while (i < f->nevents)
	{
		int			start = i;
		uint32		bits = 0;
		int			last = -1;

		for (; i < f->nevents && (i == start || (steps[i] & FUNNEL_SAME_ROW)); i++)
		{
			int			st = FUNNEL_STEP_OF(steps[i]);

			CHECK_FOR_INTERRUPTS();
			if (ts[i] < ENG_MIN_TS || ts[i] > ENG_MAX_TS || st > f->nsteps ||
				(i == start && (steps[i] & FUNNEL_SAME_ROW)) ||
				(i > start && (ts[i] != ts[start] || st <= last || last == 0)) ||
				(st == 0 && !(f->hdr.flags & FUNNEL_STRICT_ORDER)))
				ereport(ERROR,
						errcode(eng_source_errcode(src)),
						errmsg("invalid funnel value"),
						errdetail("Event %d is out of range or out of order.", i + 1));
			last = st;
			if (st > 0)
				bits |= ((uint32) 1) << (st - 1);
		}
		if (start > 0 && (ts[start] < ts[start - 1] ||
						  (ts[start] == ts[start - 1] && bits < prev_bits)))
			ereport(ERROR,
					errcode(eng_source_errcode(src)),
					errmsg("invalid funnel value"),
					errdetail("Event %d is out of range or out of order.", start + 1));
		prev_bits = bits;
	}
}

/* Check a stored funnel completely: it comes from disk or a client. */
static void
funnel_validate(const FunnelData *f, EngSource src)
{
	const int64 *ts;
	const uint8 *steps;

	eng_check_state(&f->hdr, FUNNEL_HDRSZ, FUNNEL_VERSION, FUNNEL_VALID_FLAGS,
					"funnel", src);
	if (((f->hdr.flags & FUNNEL_ALLOW_REENTRY) && !(f->hdr.flags & FUNNEL_STRICT_ORDER)))
		ereport(ERROR,
				errcode(eng_source_errcode(src)),
				errmsg("invalid funnel value"),
				errdetail("The mode flags are invalid."));
	if (f->window < 0 || f->nsteps < 1 || f->nsteps > FUNNEL_MAX_STEPS ||
		f->nevents < 0 || f->nevents > FUNNEL_MAX_EVENTS ||
		VARSIZE(f) != FUNNEL_SIZE(f->nevents))
		ereport(ERROR,
				errcode(eng_source_errcode(src)),
				errmsg("invalid funnel value"),
				errdetail("The window, step count or event count is out of range."));
	ts = FUNNEL_TS(f);
	steps = FUNNEL_STEPS(f);
	if (f->hdr.flags & FUNNEL_STRICT_ONCE)
	{
		funnel_validate_rows(f, src);
		return;
	}
	for (int i = 0; i < f->nevents; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (ts[i] < ENG_MIN_TS || ts[i] > ENG_MAX_TS ||
			steps[i] > f->nsteps ||
			(steps[i] == 0 && !(f->hdr.flags & FUNNEL_STRICT_ORDER)) ||
			(i > 0 && (ts[i] < ts[i - 1] ||
					   (ts[i] == ts[i - 1] && steps[i] < steps[i - 1]))))
			ereport(ERROR,
					errcode(eng_source_errcode(src)),
					errmsg("invalid funnel value"),
					errdetail("Event %d is out of range or out of order.", i + 1));
	}
}

static FunnelData *
funnel_getarg(FunctionCallInfo fcinfo, int argno)
{
	FunnelData *f = (FunnelData *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	funnel_validate(f, ENG_STORED);
	return f;
}

static void
fbuild_add_funnel(FunnelBuild *b, const FunnelData *f, MemoryContext cxt)
{
	const int64 *ts = FUNNEL_TS(f);
	const uint8 *steps = FUNNEL_STEPS(f);

	fbuild_configure(b, f->window, f->hdr.flags, f->nsteps);
	funnel_check_events((int64) b->n + f->nevents, FUNNEL_MAX_EVENTS, "a funnel group");
	for (int i = 0; i < f->nevents; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (f->hdr.flags & FUNNEL_STRICT_ONCE)
		{
			/* one entry per row: its events' steps as bits */
			uint32		bits = 0;
			int			start = i;

			for (; i < f->nevents && (i == start || (steps[i] & FUNNEL_SAME_ROW)); i++)
				if (FUNNEL_STEP_OF(steps[i]) > 0)
					bits |= ((uint32) 1) << (FUNNEL_STEP_OF(steps[i]) - 1);
			i--;
			fbuild_push(b, ts[start], (int32) bits, cxt);
		}
		else
			fbuild_push(b, ts[i], steps[i], cxt);
	}
}

static void
fbuild_add_arg(void *state, FunctionCallInfo fcinfo, int argno,
			   MemoryContext cxt)
{
	fbuild_add_funnel(state, funnel_getarg(fcinfo, argno), cxt);
}

static Datum
fbuild_finish(void *state)
{
	FunnelBuild *b = state;

	funnel_check_events(fbuild_value_events(b), FUNNEL_MAX_VALUE_EVENTS,
						"a funnel value");
	PG_RETURN_POINTER(fbuild_encode(b));
}

PG_FUNCTION_INFO_V1(engagement_funnel_rollup_trans);
Datum
engagement_funnel_rollup_trans(PG_FUNCTION_ARGS)
{
	return eng_build_rollup_trans(fcinfo, &fbuild_ops);
}

PG_FUNCTION_INFO_V1(engagement_funnel_add);
Datum
engagement_funnel_add(PG_FUNCTION_ARGS)
{
	return eng_build_add(fcinfo, &fbuild_ops);
}

PG_FUNCTION_INFO_V1(engagement_funnel_combine);
Datum
engagement_funnel_combine(PG_FUNCTION_ARGS)
{
	return eng_build_combine(fcinfo, &fbuild_ops);
}

PG_FUNCTION_INFO_V1(engagement_funnel_serial);
Datum
engagement_funnel_serial(PG_FUNCTION_ARGS)
{
	return eng_build_serial(fcinfo, &fbuild_ops);
}

PG_FUNCTION_INFO_V1(engagement_funnel_deserial);
Datum
engagement_funnel_deserial(PG_FUNCTION_ARGS)
{
	return eng_build_deserial(fcinfo, &fbuild_ops);
}

/* window_funnel final: the deepest step; NULL without rows */
PG_FUNCTION_INFO_V1(engagement_window_funnel_final);
Datum
engagement_window_funnel_final(PG_FUNCTION_ARGS)
{
	FunnelBuild *b;
	FunnelScan	s;
	FunnelResult res;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	b = (FunnelBuild *) PG_GETARG_POINTER(0);
	if (!b->configured)
		PG_RETURN_NULL();
	if (b->n == 0)
		PG_RETURN_INT32(0);
	/* the working state's events, sorted in place: no stored form */
	fbuild_sort(b);
	if (b->flags & FUNNEL_STRICT_ONCE)
	{
		funnel_scan_once(FBUILD_EV(b), b->n, b->nsteps, b->window, b->flags, &res);
		PG_RETURN_INT32(res.level);
	}
	funnel_scan_begin(&s, b->nsteps, b->window, b->flags);
	for (int i = 0; i < b->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (funnel_scan_event(&s, FBUILD_EV(b)[i].ts, FBUILD_EV(b)[i].step))
			break;
	}
	funnel_scan_end(&s, &res);
	PG_RETURN_INT32(res.level);
}

/*
 * funnel_agg and rollup(funnel) final: the funnel, NULL without rows.  A
 * group whose rows fulfil no step gives a funnel without events (level 0).
 */
PG_FUNCTION_INFO_V1(engagement_funnel_final);
Datum
engagement_funnel_final(PG_FUNCTION_ARGS)
{
	return eng_build_final(fcinfo, &fbuild_ops);
}

/*****************************************************************************
 * Text and binary I/O
 *
 *	 (v=1,window_usec=3600000000,mode=strict_order,steps=3,
 *	  events=[2026-01-05T10:00:00Z 1,2026-01-05T10:20:00Z 2])
 *****************************************************************************/

static const char *const funnel_mode_names[FUNNEL_NMODES] = {
	"strict_order", "strict_deduplication", "strict_increase", "allow_reentry",
	"strict_once"
};

PG_FUNCTION_INFO_V1(engagement_funnel_out);
Datum
engagement_funnel_out(PG_FUNCTION_ARGS)
{
	FunnelData *f = funnel_getarg(fcinfo, 0);
	StringInfoData buf;
	bool		first = true;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(v=%d,window_usec=" INT64_FORMAT ",mode=",
					 FUNNEL_VERSION, f->window);
	for (int i = 0; i < FUNNEL_NMODES; i++)
		if (f->hdr.flags & (1 << i))
		{
			appendStringInfo(&buf, "%s%s", first ? "" : ":", funnel_mode_names[i]);
			first = false;
		}
	if (first)
		appendStringInfoString(&buf, "default");
	appendStringInfo(&buf, ",steps=%d,events=[", f->nsteps);
	for (int i = 0; i < f->nevents; i++)
	{
		uint8		st = FUNNEL_STEPS(f)[i];

		CHECK_FOR_INTERRUPTS();
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		eng_append_timestamp(&buf, FUNNEL_TS(f)[i]);
		/* strict_once: "&k" is step k of the same row as the event before */
		appendStringInfo(&buf, (st & FUNNEL_SAME_ROW) ? " &%d" : " %d",
						 FUNNEL_STEP_OF(st));
	}
	appendStringInfoString(&buf, "])");
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(engagement_funnel_in);
Datum
engagement_funnel_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	EngTextCursor c;
	FunnelBuild b;
	FunnelData *f;
	int64		nsteps;

	memset(&b, 0, sizeof(b));
	eng_cursor_begin(&c, input, "funnel", FUNNEL_VERSION);
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "window_usec");
	b.window = eng_cursor_int64(&c);
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "mode");
	while (*c.p == ' ')
		c.p++;
	if (strncmp(c.p, "default", 7) == 0)
		c.p += 7;
	else
	{
		do
		{
			int			i;

			CHECK_FOR_INTERRUPTS();
			for (i = 0; i < FUNNEL_NMODES; i++)
			{
				size_t		len = strlen(funnel_mode_names[i]);

				if (strncmp(c.p, funnel_mode_names[i], len) == 0 &&
					(c.p[len] == ':' || c.p[len] == ',' || c.p[len] == ' '))
				{
					b.flags |= 1 << i;
					c.p += len;
					break;
				}
			}
			if (i == FUNNEL_NMODES)
				eng_cursor_error(&c, "Expected a funnel mode.");
		} while (*c.p == ':' && c.p++);
	}
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "steps");
	nsteps = eng_cursor_int64(&c);
	if (nsteps < 1 || nsteps > FUNNEL_MAX_STEPS)
		eng_cursor_error(&c, "A funnel has between 1 and 32 steps.");
	b.nsteps = (int) nsteps;
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "events");
	eng_cursor_expect(&c, '[');
	if (!eng_cursor_accept(&c, ']'))
	{
		int64		nevents = 0;
		int64		row_ts = 0;
		int64		row_last = -1;

		do
		{
			int64		ts = eng_cursor_timestamp(&c);
			bool		same_row;
			int64		step;

			while (eng_isspace(*c.p))
				c.p++;
			same_row = (*c.p == '&');
			if (same_row)
				c.p++;
			step = eng_cursor_int64(&c);
			if (step < 0 || step > b.nsteps)
				eng_cursor_error(&c, "An event's step is out of range.");
			CHECK_FOR_INTERRUPTS();
			/* input takes what 1.1 could store, so its values restore */
			funnel_check_events(++nevents, FUNNEL_MAX_EVENTS, "a funnel value");
			if (!(b.flags & FUNNEL_STRICT_ONCE))
			{
				if (same_row)
					eng_cursor_error(&c, "Only strict_once funnels mark events of the same row.");
				fbuild_push(&b, ts, (int) step, CurrentMemoryContext);
				continue;
			}
			/* strict_once: one entry per row, its steps as bits */
			if (same_row)
			{
				if (b.n == 0 || ts != row_ts || step <= row_last || row_last == 0)
					eng_cursor_error(&c, "An event of the same row must have the row's time and a later step.");
				FBUILD_EV(&b)[b.n - 1].step =
					(int32) ((uint32) FBUILD_EV(&b)[b.n - 1].step | ((uint32) 1) << (step - 1));
			}
			else
				fbuild_push(&b, ts, step == 0 ? 0 : (int32) (((uint32) 1) << (step - 1)),
							CurrentMemoryContext);
			row_ts = ts;
			row_last = step;
		} while (eng_cursor_accept(&c, ','));
		eng_cursor_expect(&c, ']');
	}
	eng_cursor_expect(&c, ')');
	eng_cursor_expect_end(&c);

	b.configured = true;
	f = fbuild_encode(&b);
	funnel_validate(f, ENG_TEXT);
	PG_RETURN_POINTER(f);
}

/* Binary form: version, flags, window, steps, count, then (ts, step) pairs. */
PG_FUNCTION_INFO_V1(engagement_funnel_send);
Datum
engagement_funnel_send(PG_FUNCTION_ARGS)
{
	FunnelData *f = funnel_getarg(fcinfo, 0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, FUNNEL_VERSION);
	pq_sendbyte(&buf, f->hdr.flags);
	pq_sendint64(&buf, f->window);
	pq_sendbyte(&buf, f->nsteps);
	pq_sendint32(&buf, f->nevents);
	for (int i = 0; i < f->nevents; i++)
	{
		CHECK_FOR_INTERRUPTS();
		pq_sendint64(&buf, FUNNEL_TS(f)[i]);
		pq_sendbyte(&buf, FUNNEL_STEPS(f)[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(engagement_funnel_recv);
Datum
engagement_funnel_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			flags;
	int64		window;
	int			nsteps;
	int32		n;
	FunnelData *f;

	eng_recv_version(buf, FUNNEL_VERSION, "funnel");
	flags = pq_getmsgbyte(buf);
	window = pq_getmsgint64(buf);
	nsteps = pq_getmsgbyte(buf);
	n = eng_recv_count(buf, &funnel_wire_events, ENG_BINARY);
	f = palloc0(FUNNEL_SIZE(n));
	eng_init_header(&f->hdr, FUNNEL_SIZE(n), FUNNEL_VERSION, (uint8) flags);
	f->window = window;
	f->nsteps = nsteps;
	f->nevents = n;
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		FUNNEL_TS(f)[i] = pq_getmsgint64(buf);
		FUNNEL_STEPS(f)[i] = (uint8) pq_getmsgbyte(buf);
	}
	funnel_validate(f, ENG_BINARY);
	PG_RETURN_POINTER(f);
}

/*****************************************************************************
 * Accessors
 *****************************************************************************/

static void
funnel_result(FunctionCallInfo fcinfo, FunnelData **fp, FunnelResult *res)
{
	FunnelData *f = funnel_getarg(fcinfo, 0);

	if (f->hdr.flags & FUNNEL_STRICT_ONCE)
	{
		/* the rows back from the events (validated: rows are sorted) */
		FunnelBuild b;

		memset(&b, 0, sizeof(b));
		fbuild_add_funnel(&b, f, CurrentMemoryContext);
		funnel_scan_once(FBUILD_EV(&b), b.n, f->nsteps, f->window,
						 f->hdr.flags, res);
	}
	else
		funnel_scan(FUNNEL_TS(f), FUNNEL_STEPS(f), f->nevents, f->nsteps,
					f->window, f->hdr.flags, res);
	*fp = f;
}

PG_FUNCTION_INFO_V1(engagement_funnel_deepest_step);
Datum
engagement_funnel_deepest_step(PG_FUNCTION_ARGS)
{
	FunnelData *f;
	FunnelResult res;

	funnel_result(fcinfo, &f, &res);
	PG_RETURN_INT32(res.level);
}

PG_FUNCTION_INFO_V1(engagement_funnel_steps);
Datum
engagement_funnel_steps(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(funnel_getarg(fcinfo, 0)->nsteps);
}

/* reached flags of steps 1..nsteps in the deepest chain */
PG_FUNCTION_INFO_V1(engagement_funnel_step_reached);
Datum
engagement_funnel_step_reached(PG_FUNCTION_ARGS)
{
	FunnelData *f;
	FunnelResult res;
	Datum		elems[FUNNEL_MAX_STEPS];

	funnel_result(fcinfo, &f, &res);
	for (int k = 0; k < f->nsteps; k++)
		elems[k] = BoolGetDatum(k < res.level);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, f->nsteps, BOOLOID, 1, true,
										  TYPALIGN_CHAR));
}

/* times of steps 1..nsteps in the deepest chain, NULL where not reached */
PG_FUNCTION_INFO_V1(engagement_funnel_step_times);
Datum
engagement_funnel_step_times(PG_FUNCTION_ARGS)
{
	FunnelData *f;
	FunnelResult res;
	Datum		elems[FUNNEL_MAX_STEPS];
	bool		nulls[FUNNEL_MAX_STEPS];
	int			dims[1];
	int			lbs[1] = {1};

	funnel_result(fcinfo, &f, &res);
	for (int k = 0; k < f->nsteps; k++)
	{
		nulls[k] = (k >= res.level);
		elems[k] = nulls[k] ? (Datum) 0 : TimestampTzGetDatum(res.times[k]);
	}
	dims[0] = f->nsteps;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(elems, nulls, 1, dims, lbs,
											 TIMESTAMPTZOID, sizeof(int64),
											 FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* time from step 1 to the last step of a completed funnel, else NULL */
PG_FUNCTION_INFO_V1(engagement_funnel_time_to_convert);
Datum
engagement_funnel_time_to_convert(PG_FUNCTION_ARGS)
{
	FunnelData *f;
	FunnelResult res;
	Interval   *iv;

	funnel_result(fcinfo, &f, &res);
	if (res.level < f->nsteps)
		PG_RETURN_NULL();
	iv = palloc0(sizeof(Interval));
	iv->time = res.times[f->nsteps - 1] - res.times[0];
	PG_RETURN_INTERVAL_P(iv);
}

/*****************************************************************************
 * retention(VARIADIC conditions boolean[]) -> boolean[]
 *
 * State: int8, bits 0..31 "condition i was true in some row", bits 32..37
 * the number of conditions (1..32).  The state 0 is the empty state (no
 * conditions seen).  Result [c1, c1 AND c2, ..., c1 AND cN].
 *
 * The state is a plain bigint, so any bigint can reach the support
 * functions (a direct call, or a user aggregate with another transition
 * function): each of them checks its state as it would check user input.
 *****************************************************************************/

#define RET_MAX_CONDITIONS	32

/*
 * Check a retention state completely and return its condition count (0 for
 * the empty state); 22023 naming the reason otherwise.
 */
static int
retention_check_state(int64 state)
{
	uint64		u = (uint64) state;
	uint64		count = u >> 32;
	uint64		bits = u & UINT64CONST(0xFFFFFFFF);

	if (state < 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("invalid retention state " INT64_FORMAT, state),
				errdetail("The sign bit is set: a state is its condition count (at most %d) times 2^32 plus one bit per condition.",
						  RET_MAX_CONDITIONS));
	if (count > RET_MAX_CONDITIONS)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("invalid retention state " INT64_FORMAT, state),
				errdetail("The condition count " UINT64_FORMAT " is above the maximum of %d.",
						  count, RET_MAX_CONDITIONS));
	if ((bits >> count) != 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("invalid retention state " INT64_FORMAT, state),
				errdetail("Condition bits are set beyond the condition count " UINT64_FORMAT ".",
						  count));
	return (int) count;
}

/*
 * Transition: the conditions as one boolean array (array = true; a NULL
 * array skips the row) or as the arguments after the state.
 */
static Datum
retention_trans_common(FunctionCallInfo fcinfo, bool array)
{
	uint64		state = 0;
	int			count = 0;
	int			n;
	uint32		bits;

	if (!PG_ARGISNULL(0))
	{
		count = retention_check_state(PG_GETARG_INT64(0));
		state = (uint64) PG_GETARG_INT64(0);
	}
	if (array)
	{
		ArrayType  *arr;

		if (PG_ARGISNULL(1))
		{
			if (PG_ARGISNULL(0))
				PG_RETURN_NULL();
			PG_RETURN_INT64((int64) state);
		}
		arr = PG_GETARG_ARRAYTYPE_P(1);
		if (ARR_NDIM(arr) > 1)
			ereport(ERROR,
					errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					errmsg("retention conditions must be a one-dimensional array"));
		bits = bool_array_bits(arr, RET_MAX_CONDITIONS, &n);
	}
	else
	{
		n = PG_NARGS() - 1;
		bits = bool_arg_bits(fcinfo, 1, Min(n, RET_MAX_CONDITIONS));
	}
	if (n < 1 || n > RET_MAX_CONDITIONS)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("retention needs between 1 and %d conditions, not %d",
					   RET_MAX_CONDITIONS, n));
	if (count != 0 && count != n)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("retention has %d conditions in one row and %d in another",
					   count, n));
	PG_RETURN_INT64((int64) (state | ((uint64) n) << 32 | bits));
}

PG_FUNCTION_INFO_V1(engagement_retention_trans);
Datum
engagement_retention_trans(PG_FUNCTION_ARGS)
{
	return retention_trans_common(fcinfo, true);
}

/* retention(c1, ..., cN), N = 1..32: no array per row */
PG_FUNCTION_INFO_V1(engagement_retention_trans_args);
Datum
engagement_retention_trans_args(PG_FUNCTION_ARGS)
{
	return retention_trans_common(fcinfo, false);
}

/* Combine (strict): the empty state is the identity. */
PG_FUNCTION_INFO_V1(engagement_retention_combine);
Datum
engagement_retention_combine(PG_FUNCTION_ARGS)
{
	int64		a = PG_GETARG_INT64(0);
	int64		b = PG_GETARG_INT64(1);
	int			na = retention_check_state(a);
	int			nb = retention_check_state(b);

	if (na != 0 && nb != 0 && na != nb)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("retention has %d conditions in one row and %d in another",
					   na, nb));
	PG_RETURN_INT64(a | b);
}

/* Final: NULL for no rows and for the empty state. */
PG_FUNCTION_INFO_V1(engagement_retention_final);
Datum
engagement_retention_final(PG_FUNCTION_ARGS)
{
	uint64		state;
	int			n;
	Datum		elems[RET_MAX_CONDITIONS];
	bool		first;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	n = retention_check_state(PG_GETARG_INT64(0));
	if (n == 0)
		PG_RETURN_NULL();
	state = (uint64) PG_GETARG_INT64(0);
	first = (state & 1) != 0;
	elems[0] = BoolGetDatum(first);
	for (int i = 1; i < n; i++)
		elems[i] = BoolGetDatum(first && (state & (UINT64CONST(1) << i)) != 0);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, BOOLOID, 1, true, TYPALIGN_CHAR));
}

/*****************************************************************************
 * JSON form: {"version": 1, "window_usec": n, "mode": ["strict_order", ...],
 * "steps": n, "events": [{"ts": t, "step": k}, ...]}: the events in time
 * order, each with the step it fulfils (1..steps; 0: none, under
 * strict_order), as in the text form
 *****************************************************************************/

static Datum
funnel_json(FunctionCallInfo fcinfo, bool jsonb)
{
	FunnelData *f = funnel_getarg(fcinfo, 0);
	StringInfoData buf;
	bool		first = true;
	int			row = 0;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"window_usec\": " INT64_FORMAT ", \"mode\": [",
					 FUNNEL_VERSION, f->window);
	for (int i = 0; i < FUNNEL_NMODES; i++)
		if (f->hdr.flags & (1 << i))
		{
			appendStringInfo(&buf, "%s\"%s\"", first ? "" : ", ", funnel_mode_names[i]);
			first = false;
		}
	appendStringInfo(&buf, "], \"steps\": %d, \"events\": [", f->nsteps);
	for (int i = 0; i < f->nevents; i++)
	{
		CHECK_FOR_INTERRUPTS();
		appendStringInfoString(&buf, i > 0 ? ", {\"ts\": " : "{\"ts\": ");
		eng_json_timestamp(&buf, FUNNEL_TS(f)[i]);
		appendStringInfo(&buf, ", \"step\": %d", FUNNEL_STEP_OF(FUNNEL_STEPS(f)[i]));
		/* strict_once: the row (1, 2, ...) the event comes from */
		if (f->hdr.flags & FUNNEL_STRICT_ONCE)
		{
			if (!(FUNNEL_STEPS(f)[i] & FUNNEL_SAME_ROW))
				row++;
			appendStringInfo(&buf, ", \"row\": %d", row);
		}
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "]}");
	return eng_json_result(&buf, jsonb);
}

ENG_JSON_CASTS(engagement_funnel, funnel_json)

/* unnest(funnel): the events, (ts timestamptz, step integer) in time order */
PG_FUNCTION_INFO_V1(engagement_funnel_unnest);
Datum
engagement_funnel_unnest(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	FunnelData *f;

	InitMaterializedSRF(fcinfo, 0);
	f = funnel_getarg(fcinfo, 0);
	for (int i = 0; i < f->nevents; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		CHECK_FOR_INTERRUPTS();
		values[0] = TimestampTzGetDatum(FUNNEL_TS(f)[i]);
		values[1] = Int32GetDatum(FUNNEL_STEP_OF(FUNNEL_STEPS(f)[i]));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
