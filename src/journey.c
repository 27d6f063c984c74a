/*-------------------------------------------------------------------------
 *
 * journey.c
 *	  Multichannel journeys: the journey type built by journey_agg() and
 *	  rollup(), and the functions that read a journey (paths, switches,
 *	  sessions, transitions).
 *
 * A session is a run of touches in which no gap between consecutive touches
 * exceeds the inactivity gap (a gap of exactly "gap" continues the session).
 *
 * A journey is stored compactly: the channel and event names used by the
 * journey in two sorted dictionaries, then per touch a varint time delta (in
 * seconds, milliseconds or microseconds: the coarsest unit that fits every
 * touch) and a varint code combining the channel and event indexes.  Touches are sorted
 * by (time, channel name, event name), so the same multiset of touches always
 * gives the same bytes whatever the input order.
 *
 * IDENTIFICATION
 *	  src/journey.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "journey.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/tuplestore.h"

#define JOURNEY_VERSION			1
#define JOURNEY_SECONDS			0x01	/* deltas are whole seconds */
#define JOURNEY_MILLIS			0x02	/* deltas are whole milliseconds */
#define JOURNEY_VALID_FLAGS		(JOURNEY_SECONDS | JOURNEY_MILLIS)

#define JOURNEY_MAX_TOUCHES		(10 * 1000 * 1000)
#define JOURNEY_MAX_NAMES		65535
#define JOURNEY_NAME_KIND		"journey channel and event"

/*
 * The text form of a journey must fit in a text value, and its COPY text too,
 * or the journey could not be shown, copied or dumped (pg_dump copies in
 * text): COPY writes a backslash or a control character of a quoted name as
 * two bytes, so half of MaxAllocSize, less a margin for the row and message
 * around it.  Journeys whose text form would be longer are refused when they
 * are built, and output functions check again before building.
 */
#define JOURNEY_MAX_TEXT		((int64) (MaxAllocSize / 2 - 1024))

/*
 * Input (text and binary) and output accept text forms up to what a text
 * value holds, so that journeys of up to 1 GB stored by version 1.1, before
 * the limit above, still print, dump and restore.
 */
#define JOURNEY_MAX_VALUE_TEXT	((int64) (MaxAllocSize - VARHDRSZ))
#define JOURNEY_TEXT_PREFIX		"(v=1,touches=["
#define JOURNEY_TEXT_SUFFIX		"])"

/*
 * The binary form, after its version byte, and the serial form of a working
 * state: flags, touch count, dictionary sizes, first time, then the stored
 * dictionaries and varint touches; every touch takes at least two bytes.
 */
static const EngRecordCount journey_wire_touches = {
	"journey", "touches", 1, JOURNEY_MAX_TOUCHES, 2, false
};


typedef struct JourneyData
{
	EngStateHeader hdr;
	int32		ntouches;		/* at least 1 */
	uint16		nchannels;		/* entries in the channel dictionary */
	uint16		nevents;		/* entries in the event dictionary */
	int64		first_ts;		/* time of the first touch */
	/* then: channel names, event names (NUL-terminated, sorted, distinct) */
	/* then: per touch varint(delta) varint(channel * (nevents + 1) + event) */
	char		data[FLEXIBLE_ARRAY_MEMBER];
} JourneyData;

#define JOURNEY_HDRSZ	offsetof(JourneyData, data)

/* One touch while a journey is being built. */
typedef struct JTouch
{
	int64		ts;
	int32		ch;
	int32		ev;
} JTouch;

/*
 * The internal state of journey_agg() and rollup(journey).  For each name
 * the length of its text form is kept (indexed like the dictionary), and the
 * length of the text form of the touches so far, so that a journey whose
 * text form would not fit is refused as soon as it would get there.
 */
typedef struct JourneyBuild
{
	int			n;
	int			max;
	JTouch	   *touches;
	EngDict		channels;
	EngDict		events;
	int32	   *ch_textlen;
	int32	   *ev_textlen;
	int			ch_textmax;		/* allocated entries of ch_textlen */
	int			ev_textmax;
	int64		textlen;		/* text form so far, affixes included */
	int64		textlimit;		/* JOURNEY_MAX_TEXT, or more for input */
} JourneyBuild;

/*****************************************************************************
 * Varints
 *****************************************************************************/

/* Bytes of the varint of v. */
static inline int
jv_len(uint64 v)
{
	int			len = 1;

	while (v >= 0x80)
	{
		v >>= 7;
		len++;
	}
	return len;
}

/* Write the varint of v at p; returns the byte after it. */
static inline char *
jv_write(char *p, uint64 v)
{
	while (v >= 0x80)
	{
		*p++ = (char) ((v & 0x7F) | 0x80);
		v >>= 7;
	}
	*p++ = (char) v;
	return p;
}

/* Read a varint; false when it runs past "end" or is longer than 64 bits. */
static bool
jv_get(const unsigned char **p, const unsigned char *end, uint64 *v)
{
	uint64		result = 0;
	int			shift = 0;

	while (*p < end)
	{
		unsigned char b = *(*p)++;

		if (shift == 63 && (b & 0x7E) != 0)
			return false;
		result |= (uint64) (b & 0x7F) << shift;
		if ((b & 0x80) == 0)
		{
			*v = result;
			return true;
		}
		shift += 7;
		if (shift > 63)
			return false;
	}
	return false;
}

/*****************************************************************************
 * Decoding and validation
 *****************************************************************************/

pg_attribute_noreturn()
static void
journey_corrupt(int code, const char *detail)
{
	ereport(ERROR,
			errcode(code),
			errmsg("invalid journey value"),
			errdetail("%s", detail));
}

/*
 * Read a dictionary of "count" names starting at *p; names must be valid in
 * the database encoding, not too long, and strictly ascending (bytewise).
 */
static const char *
journey_read_dict(const char *p, const char *end, int count,
				  const char **names, int code)
{
	for (int i = 0; i < count; i++)
	{
		const char *nul = memchr(p, '\0', end - p);
		int			len;

		CHECK_FOR_INTERRUPTS();
		if (nul == NULL)
			journey_corrupt(code, "A dictionary name runs past the end of the value.");
		len = nul - p;
		if (len > ENG_MAX_NAME_LEN)
			journey_corrupt(code, "A dictionary name is too long.");
		if (!pg_verify_mbstr(GetDatabaseEncoding(), p, len, true))
			journey_corrupt(code, "A dictionary name is not valid in the database encoding.");
		if (i > 0 && strcmp(names[i - 1], p) >= 0)
			journey_corrupt(code, "Dictionary names are not sorted and distinct.");
		names[i] = p;
		p = nul + 1;
	}
	return p;
}

/*
 * Decode a journey into arrays (allocated in the current context), checking
 * everything: a journey from disk, the network or text input is untrusted.
 */
static void
journey_decode(const JourneyData *jd, EngJourney *j, EngSource src)
{
	int			code = eng_source_errcode(src);
	const char *start = (const char *) jd;
	const char *end = start + VARSIZE(jd);
	const char *p;
	const unsigned char *q;
	int64		ts;
	int64		unit;
	uint64		ncodes;
	uint64		prev_code = 0;
	bool	   *ch_used;
	bool	   *ev_used;

	eng_check_state(&jd->hdr, JOURNEY_HDRSZ, JOURNEY_VERSION, JOURNEY_VALID_FLAGS,
					"journey", src);
	if ((jd->hdr.flags & JOURNEY_VALID_FLAGS) == JOURNEY_VALID_FLAGS)
		journey_corrupt(code, "The time unit flags contradict each other.");
	if (jd->ntouches < 1 || jd->ntouches > JOURNEY_MAX_TOUCHES)
		journey_corrupt(code, "The number of touches is out of range.");
	if (jd->nchannels < 1 || jd->nchannels > jd->ntouches ||
		jd->nevents > jd->ntouches)
		journey_corrupt(code, "The dictionary sizes are out of range.");
	if (jd->first_ts < ENG_MIN_TS || jd->first_ts > ENG_MAX_TS)
		journey_corrupt(code, "The first timestamp is out of range.");
	/* every touch takes at least two bytes */
	if ((int64) jd->ntouches * 2 > (int64) (VARSIZE(jd) - JOURNEY_HDRSZ))
		journey_corrupt(code, "The value is too short for its number of touches.");

	j->n = jd->ntouches;
	j->nchannels = jd->nchannels;
	j->nevents = jd->nevents;
	j->channels = palloc(sizeof(char *) * j->nchannels);
	j->events = palloc(sizeof(char *) * Max(j->nevents, 1));
	p = journey_read_dict(jd->data, end, j->nchannels, j->channels, code);
	p = journey_read_dict(p, end, j->nevents, j->events, code);

	j->ts = palloc(sizeof(int64) * j->n);
	j->ch = palloc(sizeof(int32) * j->n);
	j->ev = palloc(sizeof(int32) * j->n);
	ch_used = palloc0(sizeof(bool) * j->nchannels);
	ev_used = palloc0(sizeof(bool) * Max(j->nevents, 1));

	unit = (jd->hdr.flags & JOURNEY_SECONDS) ? USECS_PER_SEC :
		(jd->hdr.flags & JOURNEY_MILLIS) ? 1000 : 1;
	ncodes = (uint64) j->nchannels * (uint64) (j->nevents + 1);
	q = (const unsigned char *) p;
	ts = jd->first_ts;
	for (int i = 0; i < j->n; i++)
	{
		uint64		delta;
		uint64		c;

		CHECK_FOR_INTERRUPTS();
		if (!jv_get(&q, (const unsigned char *) end, &delta) ||
			!jv_get(&q, (const unsigned char *) end, &c))
			journey_corrupt(code, "The touch list is truncated.");
		if (i == 0 && delta != 0)
			journey_corrupt(code, "The first touch has a time offset.");
		if (delta > (uint64) (ENG_MAX_TS - ENG_MIN_TS) / (uint64) unit ||
			(int64) (delta * unit) > ENG_MAX_TS - ts)
			journey_corrupt(code, "A touch time is out of range.");
		ts += (int64) (delta * unit);
		if (c >= ncodes)
			journey_corrupt(code, "A touch refers to a name not in the dictionary.");
		if (i > 0 && delta == 0 && c < prev_code)
			journey_corrupt(code, "Touches at the same time are not in canonical order.");
		prev_code = c;
		j->ts[i] = ts;
		j->ch[i] = (int32) (c / (uint64) (j->nevents + 1));
		j->ev[i] = (int32) (c % (uint64) (j->nevents + 1)) - 1;
		ch_used[j->ch[i]] = true;
		if (j->ev[i] >= 0)
			ev_used[j->ev[i]] = true;
	}
	if ((const char *) q != end)
		journey_corrupt(code, "There are bytes after the last touch.");
	for (int i = 0; i < j->nchannels; i++)
		if (!ch_used[i])
			journey_corrupt(code, "A channel name in the dictionary is not used.");
	for (int i = 0; i < j->nevents; i++)
		if (!ev_used[i])
			journey_corrupt(code, "An event name in the dictionary is not used.");
	pfree(ch_used);
	pfree(ev_used);
}

void
eng_journey_get(Datum d, EngJourney *j)
{
	journey_decode((JourneyData *) PG_DETOAST_DATUM(d), j, ENG_STORED);
}

static void
journey_getarg(FunctionCallInfo fcinfo, int argno, EngJourney *j)
{
	eng_journey_get(PG_GETARG_DATUM(argno), j);
}

/*****************************************************************************
 * Lengths of the text form
 *****************************************************************************/

/* Can this byte appear in a bare (unquoted) name? */
static bool
journey_bare_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' ||
		c == '@' || c == '+' || c == '/' || c == '-' || c >= 0x80;
}

/* Length of a name as written in the text form, bare or quoted. */
static int32
journey_name_textlen(const char *name, int len)
{
	bool		bare = (len > 0);
	int32		quotes = 0;

	for (int i = 0; i < len; i++)
	{
		if (!journey_bare_char((unsigned char) name[i]))
			bare = false;
		if (name[i] == '"')
			quotes++;
	}
	return bare ? len : len + quotes + 2;
}

/*
 * Length of a touch's time in the text form: "YYYY-MM-DDTHH:MM:SSZ" and the
 * fraction of a second without trailing zeros, if any.
 */
static int32
journey_ts_textlen(int64 ts)
{
	int64		frac = ts % USECS_PER_SEC;
	int32		len = 20;

	if (frac < 0)
		frac += USECS_PER_SEC;
	if (frac != 0)
	{
		len += 7;				/* the point and six digits */
		while (frac % 10 == 0)
		{
			frac /= 10;
			len--;
		}
	}
	return len;
}

/*
 * Length of one touch in the text form: time, space, channel, and space and
 * event when there is one (the comma before every touch but the first is
 * counted by the caller).
 */
static int64
journey_touch_textlen(int64 ts, int32 chlen, int32 evlen)
{
	return journey_ts_textlen(ts) + 1 + chlen + (evlen >= 0 ? 1 + evlen : 0);
}

pg_attribute_noreturn()
static void
journey_text_too_long(int64 needed, int64 limit)
{
	ereport(ERROR,
			errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			errmsg("journey text form would be too long"),
			errdetail("The text form of a journey is limited to %lld bytes; this one needs at least %lld.",
					  (long long) limit, (long long) needed));
}

/* Lengths of the text forms of "count" names. */
static int32 *
journey_name_textlens(const char *const *names, int count)
{
	int32	   *lens = palloc(sizeof(int32) * Max(count, 1));

	for (int i = 0; i < count; i++)
	{
		CHECK_FOR_INTERRUPTS();
		lens[i] = journey_name_textlen(names[i], strlen(names[i]));
	}
	return lens;
}

/*
 * Length of the text form of a decoded journey whose names' text forms have
 * the lengths given, or the 54000 error when it would not fit in a text value
 * (output and binary input: journeys stored before the build limit are read).
 */
static int64
journey_text_length(const EngJourney *j, const int32 *chlen, const int32 *evlen)
{
	int64		len = strlen(JOURNEY_TEXT_PREFIX) + strlen(JOURNEY_TEXT_SUFFIX) - 1;

	for (int i = 0; i < j->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		len += 1 + journey_touch_textlen(j->ts[i], chlen[j->ch[i]],
										 j->ev[i] >= 0 ? evlen[j->ev[i]] : -1);
		if (len > JOURNEY_MAX_VALUE_TEXT)
			journey_text_too_long(len, JOURNEY_MAX_VALUE_TEXT);
	}
	return len;
}

/* Check that a decoded journey has a text form. */
static void
journey_check_text_length(const EngJourney *j)
{
	int32	   *chlen = journey_name_textlens(j->channels, j->nchannels);
	int32	   *evlen = journey_name_textlens(j->events, j->nevents);

	journey_text_length(j, chlen, evlen);
	pfree(chlen);
	pfree(evlen);
}

/*****************************************************************************
 * Building
 *****************************************************************************/

/* complete a zeroed working state */
static void
jbuild_init(void *state, MemoryContext cxt)
{
	JourneyBuild *b = state;

	b->textlen = strlen(JOURNEY_TEXT_PREFIX) + strlen(JOURNEY_TEXT_SUFFIX);
	b->textlimit = JOURNEY_MAX_TEXT;
}

static JourneyBuild *
jbuild_new(MemoryContext cxt)
{
	JourneyBuild *b = MemoryContextAllocZero(cxt, sizeof(JourneyBuild));

	jbuild_init(b, cxt);
	return b;
}

/*
 * Index of a channel (event when "event") name in the build's dictionary,
 * adding it and the length of its text form when new.
 */
static int32
jbuild_name(JourneyBuild *b, bool event, const char *name, int len,
			MemoryContext cxt)
{
	EngDict    *d = event ? &b->events : &b->channels;
	int32	  **textlen = event ? &b->ev_textlen : &b->ch_textlen;
	int		   *textmax = event ? &b->ev_textmax : &b->ch_textmax;
	int			before = d->n;
	int32		index = eng_dict_lookup(d, name, len, JOURNEY_MAX_NAMES,
										JOURNEY_NAME_KIND, cxt);

	if (d->n > before)
	{
		if (*textmax < d->max)
		{
			*textlen = *textlen ?
				repalloc(*textlen, sizeof(int32) * d->max) :
				MemoryContextAlloc(cxt, sizeof(int32) * d->max);
			*textmax = d->max;
		}
		(*textlen)[index] = journey_name_textlen(name, len);
	}
	return index;
}

static void
jbuild_check_count(const JourneyBuild *b)
{
	if (b->n >= JOURNEY_MAX_TOUCHES)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("a journey cannot hold more than %d touches",
					   JOURNEY_MAX_TOUCHES),
				errdetail("At most %d touches are allowed.", JOURNEY_MAX_TOUCHES));
}

/* Append a touch whose names are already in the build's dictionaries. */
static void
jbuild_push(JourneyBuild *b, int64 ts, int32 ch, int32 ev, MemoryContext cxt)
{
	JTouch	   *t;
	int64		textlen;

	jbuild_check_count(b);
	textlen = b->textlen + (b->n > 0 ? 1 : 0) +
		journey_touch_textlen(ts, b->ch_textlen[ch],
							  ev >= 0 ? b->ev_textlen[ev] : -1);
	if (textlen > b->textlimit)
		journey_text_too_long(textlen, b->textlimit);
	if (b->n == b->max)
	{
		b->max = (b->max == 0) ? 16 : Min(b->max * 2, JOURNEY_MAX_TOUCHES);
		b->touches = b->touches ?
			repalloc(b->touches, sizeof(JTouch) * b->max) :
			MemoryContextAlloc(cxt, sizeof(JTouch) * b->max);
	}
	t = &b->touches[b->n++];
	t->ts = ts;
	t->ch = ch;
	t->ev = ev;
	b->textlen = textlen;
}

static void
jbuild_add(JourneyBuild *b, int64 ts, const char *ch, int chlen,
		   const char *ev, int evlen, MemoryContext cxt)
{
	int32		chi;
	int32		evi;

	jbuild_check_count(b);
	chi = jbuild_name(b, false, ch, chlen, cxt);
	evi = ev ? jbuild_name(b, true, ev, evlen, cxt) : -1;
	jbuild_push(b, ts, chi, evi, cxt);
}

/*
 * Map the names of another dictionary (a decoded journey's, or another build
 * state's) to indexes in the build's dictionary: each name is looked up
 * once, not once per touch.
 */
static int32 *
jbuild_map_names(JourneyBuild *b, bool event, const char *const *names,
				 int count, MemoryContext cxt)
{
	int32	   *map = palloc(sizeof(int32) * Max(count, 1));

	for (int i = 0; i < count; i++)
	{
		CHECK_FOR_INTERRUPTS();
		map[i] = jbuild_name(b, event, names[i], strlen(names[i]), cxt);
	}
	return map;
}

/* Append a decoded journey's touches. */
static void
jbuild_add_journey(JourneyBuild *b, const EngJourney *j, MemoryContext cxt)
{
	int32	   *chmap = jbuild_map_names(b, false, j->channels, j->nchannels, cxt);
	int32	   *evmap = jbuild_map_names(b, true, j->events, j->nevents, cxt);

	for (int i = 0; i < j->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		jbuild_push(b, j->ts[i], chmap[j->ch[i]],
					j->ev[i] >= 0 ? evmap[j->ev[i]] : -1, cxt);
	}
	pfree(chmap);
	pfree(evmap);
}

/* ranks used while sorting; qsort_arg passes them */
typedef struct JRanks
{
	int32	   *ch_rank;
	int32	   *ev_rank;		/* indexed by event + 1 (0: no event) */
} JRanks;

static inline int
jtouch_cmp(const JTouch *x, const JTouch *y, const JRanks *r)
{
	if (x->ts != y->ts)
		return (x->ts < y->ts) ? -1 : 1;
	if (x->ch != y->ch)
		return r->ch_rank[x->ch] - r->ch_rank[y->ch];
	return r->ev_rank[x->ev + 1] - r->ev_rank[y->ev + 1];
}

/* jtouch_sort(): an interruptible sort with the comparison inlined */
#define ST_SORT			jtouch_sort
#define ST_ELEMENT_TYPE	JTouch
#define ST_COMPARE(a, b, r)	jtouch_cmp(a, b, r)
#define ST_COMPARE_ARG_TYPE	const JRanks
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE		static
#define ST_DECLARE
#define ST_DEFINE
#include "lib/sort_template.h"

/* The code of a touch: channel rank * (nev + 1) + event rank + 1 (0: none). */
static inline uint64
jtouch_code(const JTouch *t, const JRanks *r, int nev)
{
	int64		evcode = (t->ev >= 0) ? r->ev_rank[t->ev + 1] + 1 : 0;

	return (uint64) r->ch_rank[t->ch] * (uint64) (nev + 1) + (uint64) evcode;
}

/* Bytes of the names order[0..count-1] of a dictionary, NULs included. */
static Size
jbuild_names_size(const EngDict *d, const int32 *order, int count)
{
	Size		size = 0;

	for (int i = 0; i < count; i++)
		size += eng_dict_name_len(d, order[i]) + 1;
	return size;
}

/* Write those names, NUL-terminated, at p; returns the byte after them. */
static char *
jbuild_write_names(char *p, const EngDict *d, const int32 *order, int count)
{
	for (int i = 0; i < count; i++)
	{
		int			len = eng_dict_name_len(d, order[i]) + 1;

		memcpy(p, d->names[order[i]], len);
		p += len;
	}
	return p;
}

/*
 * Encode the touches of a build state as a journey.  The touch array is
 * sorted in place (harmless: its order carries no meaning), nothing else
 * changes, so this may run more than once on the same state.
 */
static JourneyData *
jbuild_encode(JourneyBuild *b)
{
	JourneyData *jd;
	Size		size;
	char	   *p;
	JRanks		r;
	int32	   *ch_order = palloc(sizeof(int32) * Max(b->channels.n, 1));
	int32	   *ev_order = palloc(sizeof(int32) * Max(b->events.n, 1));
	bool	   *ch_used = palloc0(sizeof(bool) * Max(b->channels.n, 1));
	bool	   *ev_used = palloc0(sizeof(bool) * Max(b->events.n, 1));
	int			nch,
				nev;
	int64		unit;
	int			flags;
	int64		prev;

	Assert(b->n > 0);
	for (int i = 0; i < b->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		ch_used[b->touches[i].ch] = true;
		if (b->touches[i].ev >= 0)
			ev_used[b->touches[i].ev] = true;
	}
	r.ch_rank = palloc(sizeof(int32) * Max(b->channels.n, 1));
	r.ev_rank = palloc(sizeof(int32) * (b->events.n + 1));
	nch = eng_dict_sort(&b->channels, ch_used, ch_order, r.ch_rank);
	nev = eng_dict_sort(&b->events, ev_used, ev_order, r.ev_rank + 1);
	/* no event sorts first */
	r.ev_rank[0] = -1;
	jtouch_sort(b->touches, b->n, &r);

	/* the coarsest unit that every time offset is a multiple of */
	unit = USECS_PER_SEC;
	flags = JOURNEY_SECONDS;
	for (int i = 1; i < b->n && unit > 1; i++)
	{
		int64		offset = b->touches[i].ts - b->touches[0].ts;

		CHECK_FOR_INTERRUPTS();
		if (unit == USECS_PER_SEC && offset % USECS_PER_SEC != 0)
		{
			unit = 1000;
			flags = JOURNEY_MILLIS;
		}
		if (unit == 1000 && offset % 1000 != 0)
		{
			unit = 1;
			flags = 0;
		}
	}

	/* the exact size first, so that the value is allocated once */
	size = JOURNEY_HDRSZ + jbuild_names_size(&b->channels, ch_order, nch) +
		jbuild_names_size(&b->events, ev_order, nev);
	prev = b->touches[0].ts;
	for (int i = 0; i < b->n; i++)
	{
		const JTouch *t = &b->touches[i];

		CHECK_FOR_INTERRUPTS();
		size += jv_len((uint64) (t->ts - prev) / (uint64) unit) +
			jv_len(jtouch_code(t, &r, nev));
		prev = t->ts;
	}

	jd = palloc(size);
	memset(jd, 0, JOURNEY_HDRSZ);
	p = jbuild_write_names(jd->data, &b->channels, ch_order, nch);
	p = jbuild_write_names(p, &b->events, ev_order, nev);
	prev = b->touches[0].ts;
	for (int i = 0; i < b->n; i++)
	{
		const JTouch *t = &b->touches[i];

		CHECK_FOR_INTERRUPTS();
		p = jv_write(p, (uint64) (t->ts - prev) / (uint64) unit);
		p = jv_write(p, jtouch_code(t, &r, nev));
		prev = t->ts;
	}
	Assert(p == (char *) jd + size);

	eng_init_header(&jd->hdr, size, JOURNEY_VERSION, (uint8) flags);
	jd->ntouches = b->n;
	jd->nchannels = (uint16) nch;
	jd->nevents = (uint16) nev;
	jd->first_ts = b->touches[0].ts;

	pfree(ch_order);
	pfree(ev_order);
	pfree(ch_used);
	pfree(ev_used);
	pfree(r.ch_rank);
	pfree(r.ev_rank);
	return jd;
}

/*****************************************************************************
 * Aggregates: journey_agg(ts, channel [, event]) and rollup(journey)
 *****************************************************************************/

/* The binary form of a checked journey after its version byte. */
static void
journey_send_body(StringInfo buf, const JourneyData *jd)
{
	pq_sendbyte(buf, jd->hdr.flags);
	pq_sendint32(buf, jd->ntouches);
	pq_sendint16(buf, jd->nchannels);
	pq_sendint16(buf, jd->nevents);
	pq_sendint64(buf, jd->first_ts);
	pq_sendbytes(buf, jd->data, VARSIZE(jd) - JOURNEY_HDRSZ);
}

/*
 * Read what journey_send_body() wrote (the touches take the rest of the
 * buffer) into a new value, and decode and check it into *j.
 */
static JourneyData *
journey_recv_body(StringInfo buf, EngSource src, EngJourney *j)
{
	JourneyData *jd;
	int			flags = pq_getmsgbyte(buf);
	int32		ntouches = eng_recv_count(buf, &journey_wire_touches, src);
	int			nchannels = pq_getmsgint(buf, 2);
	int			nevents = pq_getmsgint(buf, 2);
	int64		first_ts = pq_getmsgint64(buf);
	int			rest = buf->len - buf->cursor;

	if (rest < 0 || (Size) rest > MaxAllocSize - JOURNEY_HDRSZ)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("journey value is too large"));
	jd = palloc0(JOURNEY_HDRSZ + rest);
	eng_init_header(&jd->hdr, JOURNEY_HDRSZ + rest, JOURNEY_VERSION, (uint8) flags);
	jd->ntouches = ntouches;
	jd->nchannels = (uint16) nchannels;
	jd->nevents = (uint16) nevents;
	jd->first_ts = first_ts;
	pq_copymsgbytes(buf, jd->data, rest);
	journey_decode(jd, j, src);
	return jd;
}

/*
 * The working state through the state skeleton.  Merging appends the touches
 * of src, its names mapped to dst's; the serial form is the binary form of
 * the journey it would give, without the version byte, and no bytes at all
 * for a state without touches.
 */
static bool
jbuild_empty(const void *state)
{
	return ((const JourneyBuild *) state)->n == 0;
}

static void
jbuild_merge(void *dst, const void *src, MemoryContext cxt)
{
	const JourneyBuild *from = src;
	int32	   *chmap;
	int32	   *evmap;

	chmap = jbuild_map_names(dst, false, (const char *const *) from->channels.names,
							 from->channels.n, cxt);
	evmap = jbuild_map_names(dst, true, (const char *const *) from->events.names,
							 from->events.n, cxt);
	for (int i = 0; i < from->n; i++)
	{
		const JTouch *t = &from->touches[i];

		CHECK_FOR_INTERRUPTS();
		jbuild_push(dst, t->ts, chmap[t->ch], t->ev >= 0 ? evmap[t->ev] : -1,
					cxt);
	}
	pfree(chmap);
	pfree(evmap);
}

static void
journey_serialize(StringInfo buf, const void *state)
{
	JourneyData *jd;

	if (jbuild_empty(state))
		return;
	/* encoding sorts the touches in place, which changes no meaning */
	jd = jbuild_encode(unconstify(void *, state));
	journey_send_body(buf, jd);
	pfree(jd);
}

static void
journey_deserialize(StringInfo buf, void *state, MemoryContext cxt)
{
	EngJourney	j;
	JourneyData *jd;

	if (buf->cursor == buf->len)
		return;
	jd = journey_recv_body(buf, ENG_STORED, &j);
	jbuild_add_journey(state, &j, cxt);
	pfree(jd);
}

/* rollup(): add the stored journey in argument argno */
static void
journey_add_arg(void *state, FunctionCallInfo fcinfo, int argno,
				MemoryContext cxt)
{
	EngJourney	j;

	journey_getarg(fcinfo, argno, &j);
	jbuild_add_journey(state, &j, cxt);
}

static Datum
journey_finish(void *state)
{
	PG_RETURN_POINTER(jbuild_encode(state));
}

static const EngBuildOps journey_build_ops = {
	.typname = "journey",
	.size = sizeof(JourneyBuild),
	.init = jbuild_init,
	.empty = jbuild_empty,
	.merge = jbuild_merge,
	.serialize = journey_serialize,
	.deserialize = journey_deserialize,
	.add_arg = journey_add_arg,
	.finish = journey_finish,
};

static Datum
journey_agg_common(FunctionCallInfo fcinfo, bool with_event)
{
	MemoryContext aggcontext;
	JourneyBuild *b = eng_build_arg(fcinfo, &journey_build_ops, &aggcontext);

	/* rows with a NULL time or channel are skipped */
	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
	{
		TimestampTz ts = PG_GETARG_TIMESTAMPTZ(1);
		text	   *ch = PG_GETARG_TEXT_PP(2);
		text	   *ev = NULL;

		if (with_event && !PG_ARGISNULL(3))
			ev = PG_GETARG_TEXT_PP(3);
		eng_check_timestamp(ts, "journey");
		jbuild_add(b, ts, VARDATA_ANY(ch), VARSIZE_ANY_EXHDR(ch),
				   ev ? VARDATA_ANY(ev) : NULL,
				   ev ? VARSIZE_ANY_EXHDR(ev) : 0, aggcontext);
	}
	PG_RETURN_POINTER(b);
}

PG_FUNCTION_INFO_V1(engagement_journey_trans);
Datum
engagement_journey_trans(PG_FUNCTION_ARGS)
{
	return journey_agg_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(engagement_journey_trans_event);
Datum
engagement_journey_trans_event(PG_FUNCTION_ARGS)
{
	return journey_agg_common(fcinfo, true);
}

PG_FUNCTION_INFO_V1(engagement_journey_rollup_trans);
Datum
engagement_journey_rollup_trans(PG_FUNCTION_ARGS)
{
	return eng_build_rollup_trans(fcinfo, &journey_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_journey_combine);
Datum
engagement_journey_combine(PG_FUNCTION_ARGS)
{
	return eng_build_combine(fcinfo, &journey_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_journey_serial);
Datum
engagement_journey_serial(PG_FUNCTION_ARGS)
{
	return eng_build_serial(fcinfo, &journey_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_journey_deserial);
Datum
engagement_journey_deserial(PG_FUNCTION_ARGS)
{
	return eng_build_deserial(fcinfo, &journey_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_journey_final);
Datum
engagement_journey_final(PG_FUNCTION_ARGS)
{
	return eng_build_final(fcinfo, &journey_build_ops);
}

/*****************************************************************************
 * Text and binary I/O
 *
 *	 (v=1,touches=[2026-01-05T10:00:00Z web view,2026-01-05T10:04:00.5Z email])
 *
 * Times are UTC in ISO 8601 with up to six fractional digits.  A name is
 * written bare when it consists of letters, digits and _ . : @ + / -, and
 * double-quoted otherwise (a double quote inside is doubled).
 *****************************************************************************/

/*
 * The text forms of "count" names, of the lengths given: bare, or quoted
 * with a quote inside doubled.
 */
static char **
journey_name_texts(const char *const *names, int count, const int32 *lens)
{
	char	  **texts = palloc(sizeof(char *) * Max(count, 1));

	for (int i = 0; i < count; i++)
	{
		int			len = strlen(names[i]);
		char	   *t = palloc(lens[i] + 1);

		CHECK_FOR_INTERRUPTS();
		if (lens[i] == len)
			memcpy(t, names[i], len);
		else
		{
			char	   *q = t;

			*q++ = '"';
			for (const char *p = names[i]; *p; p++)
			{
				if (*p == '"')
					*q++ = '"';
				*q++ = *p;
			}
			*q++ = '"';
			Assert(q - t == lens[i]);
		}
		t[lens[i]] = '\0';
		texts[i] = t;
	}
	return texts;
}

PG_FUNCTION_INFO_V1(engagement_journey_out);
Datum
engagement_journey_out(PG_FUNCTION_ARGS)
{
	EngJourney	j;
	StringInfoData buf;
	int32	   *chlen;
	int32	   *evlen;
	char	  **chtext;
	char	  **evtext;
	int64		textlen;

	journey_getarg(fcinfo, 0, &j);
	chlen = journey_name_textlens(j.channels, j.nchannels);
	evlen = journey_name_textlens(j.events, j.nevents);

	/* the exact length is known: one allocation, never enlarged */
	textlen = journey_text_length(&j, chlen, evlen);
	buf.maxlen = textlen + 1;
	buf.data = palloc(buf.maxlen);
	resetStringInfo(&buf);
	chtext = journey_name_texts(j.channels, j.nchannels, chlen);
	evtext = journey_name_texts(j.events, j.nevents, evlen);
	appendStringInfoString(&buf, JOURNEY_TEXT_PREFIX);
	for (int i = 0; i < j.n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		eng_append_timestamp(&buf, j.ts[i]);
		appendStringInfoChar(&buf, ' ');
		appendBinaryStringInfo(&buf, chtext[j.ch[i]], chlen[j.ch[i]]);
		if (j.ev[i] >= 0)
		{
			appendStringInfoChar(&buf, ' ');
			appendBinaryStringInfo(&buf, evtext[j.ev[i]], evlen[j.ev[i]]);
		}
	}
	appendStringInfoString(&buf, JOURNEY_TEXT_SUFFIX);
	if (buf.len != textlen)
		elog(ERROR, "journey text form has %d bytes, not the %lld computed",
			 buf.len, (long long) textlen);
	PG_RETURN_CSTRING(buf.data);
}

/* parse a bare or quoted name into buf (reset first); false when absent */
static bool
journey_parse_name(EngTextCursor *c, StringInfo buf)
{
	resetStringInfo(buf);
	while (eng_isspace(*c->p))
		c->p++;
	if (*c->p == '"')
	{
		c->p++;
		eng_cursor_quoted(c, buf, "name", ENG_MAX_NAME_LEN, eng_name_too_long, JOURNEY_NAME_KIND);
		return true;
	}
	if (!journey_bare_char((unsigned char) *c->p))
		return false;
	while (journey_bare_char((unsigned char) *c->p))
	{
		appendStringInfoChar(buf, *c->p++);
		eng_check_name_length(buf->len, JOURNEY_NAME_KIND);
	}
	return true;
}

PG_FUNCTION_INFO_V1(engagement_journey_in);
Datum
engagement_journey_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	EngTextCursor c;
	JourneyBuild *b = jbuild_new(CurrentMemoryContext);
	StringInfoData ch;
	StringInfoData ev;
	JourneyData *jd;
	EngJourney	check;

	/* a value stored before the build limit must restore */
	b->textlimit = JOURNEY_MAX_VALUE_TEXT;
	initStringInfo(&ch);
	initStringInfo(&ev);
	eng_cursor_begin(&c, input, "journey", JOURNEY_VERSION);
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "touches");
	eng_cursor_expect(&c, '[');
	do
	{
		int64		ts = eng_cursor_timestamp(&c);
		bool		has_event;

		CHECK_FOR_INTERRUPTS();
		if (!eng_isspace(*c.p))
			eng_cursor_error(&c, "Expected a space and a channel name after the timestamp.");
		if (!journey_parse_name(&c, &ch))
			eng_cursor_error(&c, "Expected a channel name.");
		has_event = journey_parse_name(&c, &ev);
		if (!pg_verify_mbstr(GetDatabaseEncoding(), ch.data, ch.len, true) ||
			(has_event && !pg_verify_mbstr(GetDatabaseEncoding(), ev.data, ev.len, true)))
			eng_cursor_error(&c, "A name is not valid in the database encoding.");
		eng_check_timestamp(ts, "journey");
		jbuild_add(b, ts, ch.data, ch.len, has_event ? ev.data : NULL,
				   has_event ? ev.len : 0, CurrentMemoryContext);
	} while (eng_cursor_accept(&c, ','));
	eng_cursor_expect(&c, ']');
	eng_cursor_expect(&c, ')');
	eng_cursor_expect_end(&c);

	jd = jbuild_encode(b);
	journey_decode(jd, &check, ENG_TEXT);
	PG_RETURN_POINTER(jd);
}

/*
 * Binary form: the stored layout after the varlena header, integers in
 * network byte order: version, flags, ntouches, nchannels, nevents,
 * first_ts, then the dictionaries and the varint touch stream as stored.
 */
PG_FUNCTION_INFO_V1(engagement_journey_send);
Datum
engagement_journey_send(PG_FUNCTION_ARGS)
{
	JourneyData *jd = (JourneyData *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	EngJourney	j;
	StringInfoData buf;

	journey_decode(jd, &j, ENG_STORED);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, JOURNEY_VERSION);
	journey_send_body(&buf, jd);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(engagement_journey_recv);
Datum
engagement_journey_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	JourneyData *jd;
	EngJourney	check;

	eng_recv_version(buf, JOURNEY_VERSION, "journey");
	jd = journey_recv_body(buf, ENG_BINARY, &check);
	/* as when a journey is built: every stored journey has a text form */
	journey_check_text_length(&check);
	PG_RETURN_POINTER(jd);
}

/*****************************************************************************
 * Reading journeys
 *****************************************************************************/

PG_FUNCTION_INFO_V1(engagement_journey_touches);
Datum
engagement_journey_touches(PG_FUNCTION_ARGS)
{
	EngJourney	j;

	journey_getarg(fcinfo, 0, &j);
	PG_RETURN_INT32(j.n);
}

PG_FUNCTION_INFO_V1(engagement_journey_first_touch);
Datum
engagement_journey_first_touch(PG_FUNCTION_ARGS)
{
	EngJourney	j;

	journey_getarg(fcinfo, 0, &j);
	PG_RETURN_TEXT_P(cstring_to_text(j.channels[j.ch[0]]));
}

PG_FUNCTION_INFO_V1(engagement_journey_last_touch);
Datum
engagement_journey_last_touch(PG_FUNCTION_ARGS)
{
	EngJourney	j;

	journey_getarg(fcinfo, 0, &j);
	PG_RETURN_TEXT_P(cstring_to_text(j.channels[j.ch[j.n - 1]]));
}

PG_FUNCTION_INFO_V1(engagement_journey_first_ts);
Datum
engagement_journey_first_ts(PG_FUNCTION_ARGS)
{
	EngJourney	j;

	journey_getarg(fcinfo, 0, &j);
	PG_RETURN_TIMESTAMPTZ(j.ts[0]);
}

PG_FUNCTION_INFO_V1(engagement_journey_last_ts);
Datum
engagement_journey_last_ts(PG_FUNCTION_ARGS)
{
	EngJourney	j;

	journey_getarg(fcinfo, 0, &j);
	PG_RETURN_TIMESTAMPTZ(j.ts[j.n - 1]);
}

/*
 * One text value per channel of a journey, shared by every array element
 * and every row that names the channel.
 */
static Datum *
journey_channel_texts(const EngJourney *j)
{
	Datum	   *texts = palloc(sizeof(Datum) * j->nchannels);

	for (int i = 0; i < j->nchannels; i++)
	{
		CHECK_FOR_INTERRUPTS();
		texts[i] = CStringGetTextDatum(j->channels[i]);
	}
	return texts;
}

/*
 * text[] of the channels of touches from..to-1, repeats collapsed or not.
 * The size of the array is computed first: one over the limit of a varlena
 * is refused before anything is built.
 */
static ArrayType *
journey_channel_array(const EngJourney *j, const Datum *texts, int from,
					  int to, bool collapse)
{
	Datum	   *elems;
	int			n = 0;
	int64		size = ARR_OVERHEAD_NONULLS(1);
	ArrayType  *result;

	for (int i = from; i < to; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (collapse && i > from && j->ch[i] == j->ch[i - 1])
			continue;
		size += INTALIGN(VARSIZE(DatumGetPointer(texts[j->ch[i]])));
		if (size > (int64) MaxAllocSize)
			ereport(ERROR,
					errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					errmsg("channel path would be too large"),
					errdetail("An array is limited to %d bytes; this one needs at least %lld.",
							  (int) MaxAllocSize, (long long) size));
		n++;
	}
	elems = palloc(sizeof(Datum) * Max(n, 1));
	n = 0;
	for (int i = from; i < to; i++)
	{
		if (collapse && i > from && j->ch[i] == j->ch[i - 1])
			continue;
		elems[n++] = texts[j->ch[i]];
	}
	result = construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT);
	pfree(elems);
	return result;
}

PG_FUNCTION_INFO_V1(engagement_journey_channel_path);
Datum
engagement_journey_channel_path(PG_FUNCTION_ARGS)
{
	EngJourney	j;

	journey_getarg(fcinfo, 0, &j);
	PG_RETURN_ARRAYTYPE_P(journey_channel_array(&j, journey_channel_texts(&j),
												0, j.n, PG_GETARG_BOOL(1)));
}

PG_FUNCTION_INFO_V1(engagement_journey_channel_switches);
Datum
engagement_journey_channel_switches(PG_FUNCTION_ARGS)
{
	EngJourney	j;
	int32		switches = 0;

	journey_getarg(fcinfo, 0, &j);
	for (int i = 1; i < j.n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (j.ch[i] != j.ch[i - 1])
			switches++;
	}
	PG_RETURN_INT32(switches);
}

static int64
journey_gap_arg(FunctionCallInfo fcinfo, int argno)
{
	return eng_interval_usecs_positive(PG_GETARG_INTERVAL_P(argno),
									   "session gap");
}

/* does touch i (> 0) start a new session? */
static inline bool
journey_new_session(const EngJourney *j, int i, int64 gap, bool split_on_channel)
{
	return (j->ts[i] - j->ts[i - 1] > gap) ||
		(split_on_channel && j->ch[i] != j->ch[i - 1]);
}

PG_FUNCTION_INFO_V1(engagement_journey_session_count);
Datum
engagement_journey_session_count(PG_FUNCTION_ARGS)
{
	EngJourney	j;
	int64		gap = journey_gap_arg(fcinfo, 1);
	int32		sessions = 1;

	journey_getarg(fcinfo, 0, &j);
	for (int i = 1; i < j.n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (journey_new_session(&j, i, gap, false))
			sessions++;
	}
	PG_RETURN_INT32(sessions);
}

/*
 * A memory context for the values of one result row of a set-returning
 * function, reset after the row is put in the tuplestore (which copies it).
 */
static MemoryContext
journey_row_context(void)
{
	return AllocSetContextCreate(CurrentMemoryContext, "journey result row",
								 ALLOCSET_DEFAULT_SIZES);
}

/*
 * sessions(journey, gap, split_on_channel) -> SETOF (session, started, ended,
 * touches, channels, entry_channel, exit_channel)
 */
PG_FUNCTION_INFO_V1(engagement_journey_sessions);
Datum
engagement_journey_sessions(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	EngJourney	j;
	int64		gap = journey_gap_arg(fcinfo, 1);
	bool		split = PG_GETARG_BOOL(2);
	int			start = 0;
	int32		session = 0;
	Datum	   *texts;
	MemoryContext rowcxt;

	InitMaterializedSRF(fcinfo, 0);
	journey_getarg(fcinfo, 0, &j);
	texts = journey_channel_texts(&j);
	rowcxt = journey_row_context();
	for (int i = 1; i <= j.n; i++)
	{
		Datum		values[7];
		bool		nulls[7] = {false, false, false, false, false, false, false};
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		if (i < j.n && !journey_new_session(&j, i, gap, split))
			continue;
		old = MemoryContextSwitchTo(rowcxt);
		values[0] = Int32GetDatum(++session);
		values[1] = TimestampTzGetDatum(j.ts[start]);
		values[2] = TimestampTzGetDatum(j.ts[i - 1]);
		values[3] = Int32GetDatum(i - start);
		values[4] = PointerGetDatum(journey_channel_array(&j, texts, start, i, true));
		values[5] = texts[j.ch[start]];
		values[6] = texts[j.ch[i - 1]];
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
		start = i;
	}
	return (Datum) 0;
}

/*****************************************************************************
 * Sessions as Google Analytics counts them (1.2): besides the inactivity gap
 * (and the channel, the journey's traffic source), a session ends at local
 * midnight in a time zone; a session is engaged when it lasted at least
 * min_duration, had at least min_touches touches or a touch whose event is
 * one of the conversion events.
 *
 * These functions are not strict: a NULL time zone means no midnight split
 * and NULL conversion events no conversion rule; any other NULL argument
 * gives NULL (no rows for sessions()), as the strict forms do.
 *****************************************************************************/

typedef struct JourneySplit
{
	int64		gap;
	bool		split_on_channel;
	pg_tz	   *tz;				/* split at local midnight, or NULL */
	int32		day;			/* local day of the previous touch */
	/* engagement */
	int64		min_duration;
	int32		min_touches;
	bool	   *conversion;		/* per event index, or NULL */
} JourneySplit;

/*
 * Read the arguments (journey, gap, split_on_channel, time_zone
 * [, min_duration, min_touches, conversion_events]); false when one that
 * must not be NULL is.
 */
static bool
journey_split_args(FunctionCallInfo fcinfo, bool engagement, EngJourney *j,
				   JourneySplit *sp)
{
	memset(sp, 0, sizeof(JourneySplit));
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) ||
		(engagement && (PG_ARGISNULL(4) || PG_ARGISNULL(5))))
		return false;
	sp->gap = journey_gap_arg(fcinfo, 1);
	sp->split_on_channel = PG_GETARG_BOOL(2);
	if (!PG_ARGISNULL(3))
		sp->tz = eng_time_zone(PG_GETARG_TEXT_PP(3));
	if (engagement)
	{
		sp->min_duration = eng_interval_usecs(PG_GETARG_INTERVAL_P(4),
											  "minimum engaged session duration");
		if (sp->min_duration < 0)
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("minimum engaged session duration must not be negative"));
		sp->min_touches = PG_GETARG_INT32(5);
		if (sp->min_touches < 1)
			ereport(ERROR,
					errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("minimum engaged session touches must be positive"),
					errdetail("The value given was %d.", sp->min_touches));
	}
	journey_getarg(fcinfo, 0, j);
	if (sp->tz != NULL)
		sp->day = eng_local_day(j->ts[0], sp->tz);
	if (engagement && !PG_ARGISNULL(6) && j->nevents > 0)
	{
		ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(6);
		Datum	   *elems;
		bool	   *nulls;
		int			nelems;

		if (ARR_NDIM(arr) > 1)
			ereport(ERROR,
					errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					errmsg("conversion events must be a one-dimensional array"));
		deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT,
						  &elems, &nulls, &nelems);
		sp->conversion = palloc0(sizeof(bool) * j->nevents);
		for (int k = 0; k < nelems; k++)
		{
			char	   *name;
			int			lo = 0,
						hi = j->nevents - 1;

			CHECK_FOR_INTERRUPTS();
			if (nulls[k])
				continue;
			name = TextDatumGetCString(elems[k]);
			/* the event dictionary is sorted bytewise (strcmp) */
			while (lo <= hi)
			{
				int			mid = lo + (hi - lo) / 2;
				int			c = strcmp(j->events[mid], name);

				if (c == 0)
				{
					sp->conversion[mid] = true;
					break;
				}
				if (c < 0)
					lo = mid + 1;
				else
					hi = mid - 1;
			}
			pfree(name);
		}
	}
	return true;
}

/* does touch i (> 0, asked in order) start a new session? */
static bool
journey_split_at(const EngJourney *j, int i, JourneySplit *sp)
{
	bool		split = journey_new_session(j, i, sp->gap, sp->split_on_channel);

	if (sp->tz != NULL)
	{
		int32		day = eng_local_day(j->ts[i], sp->tz);

		if (day != sp->day)
			split = true;
		sp->day = day;
	}
	return split;
}

/* is the session of touches from .. to - 1 engaged? */
static bool
journey_engaged(const EngJourney *j, int from, int to, const JourneySplit *sp)
{
	/* journey times are years 1..9999: the difference fits */
	if (to - from >= sp->min_touches ||
		j->ts[to - 1] - j->ts[from] >= sp->min_duration)
		return true;
	if (sp->conversion != NULL)
	{
		for (int k = from; k < to; k++)
		{
			CHECK_FOR_INTERRUPTS();
			if (j->ev[k] >= 0 && sp->conversion[j->ev[k]])
				return true;
		}
	}
	return false;
}

/* count the sessions, and the engaged ones when engaged is not NULL */
static int32
journey_count_sessions(const EngJourney *j, JourneySplit *sp, int32 *engaged)
{
	int32		sessions = 1;
	int			start = 0;

	if (engaged)
		*engaged = 0;
	for (int i = 1; i <= j->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (i < j->n && !journey_split_at(j, i, sp))
			continue;
		if (engaged && journey_engaged(j, start, i, sp))
			(*engaged)++;
		if (i < j->n)
			sessions++;
		start = i;
	}
	return sessions;
}

/* session_count(journey, gap, split_on_channel, time_zone) */
PG_FUNCTION_INFO_V1(engagement_journey_session_count_split);
Datum
engagement_journey_session_count_split(PG_FUNCTION_ARGS)
{
	EngJourney	j;
	JourneySplit sp;

	if (!journey_split_args(fcinfo, false, &j, &sp))
		PG_RETURN_NULL();
	PG_RETURN_INT32(journey_count_sessions(&j, &sp, NULL));
}

/* engaged_session_count(journey, gap, split_on_channel, time_zone, ...) */
PG_FUNCTION_INFO_V1(engagement_journey_engaged_session_count);
Datum
engagement_journey_engaged_session_count(PG_FUNCTION_ARGS)
{
	EngJourney	j;
	JourneySplit sp;
	int32		engaged;

	if (!journey_split_args(fcinfo, true, &j, &sp))
		PG_RETURN_NULL();
	(void) journey_count_sessions(&j, &sp, &engaged);
	PG_RETURN_INT32(engaged);
}

/* bounce_rate(journey, ...): 1 - engaged sessions / sessions */
PG_FUNCTION_INFO_V1(engagement_journey_bounce_rate);
Datum
engagement_journey_bounce_rate(PG_FUNCTION_ARGS)
{
	EngJourney	j;
	JourneySplit sp;
	int32		engaged;
	int32		sessions;

	if (!journey_split_args(fcinfo, true, &j, &sp))
		PG_RETURN_NULL();
	sessions = journey_count_sessions(&j, &sp, &engaged);
	/* the bounced sessions first: exact for counts, never -0 */
	PG_RETURN_FLOAT8((double) (sessions - engaged) / (double) sessions);
}

/*
 * sessions(journey, gap, split_on_channel, time_zone, min_duration,
 * min_touches, conversion_events) -> SETOF (session, started, ended, touches,
 * channels, entry_channel, exit_channel, engaged)
 */
PG_FUNCTION_INFO_V1(engagement_journey_sessions_engaged);
Datum
engagement_journey_sessions_engaged(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	EngJourney	j;
	JourneySplit sp;
	int			start = 0;
	int32		session = 0;
	Datum	   *texts;
	MemoryContext rowcxt;

	InitMaterializedSRF(fcinfo, 0);
	if (!journey_split_args(fcinfo, true, &j, &sp))
		return (Datum) 0;
	texts = journey_channel_texts(&j);
	rowcxt = journey_row_context();
	for (int i = 1; i <= j.n; i++)
	{
		Datum		values[8];
		bool		nulls[8] = {false, false, false, false, false, false, false, false};
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		if (i < j.n && !journey_split_at(&j, i, &sp))
			continue;
		old = MemoryContextSwitchTo(rowcxt);
		values[0] = Int32GetDatum(++session);
		values[1] = TimestampTzGetDatum(j.ts[start]);
		values[2] = TimestampTzGetDatum(j.ts[i - 1]);
		values[3] = Int32GetDatum(i - start);
		values[4] = PointerGetDatum(journey_channel_array(&j, texts, start, i, true));
		values[5] = texts[j.ch[start]];
		values[6] = texts[j.ch[i - 1]];
		values[7] = BoolGetDatum(journey_engaged(&j, start, i, &sp));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
		start = i;
	}
	return (Datum) 0;
}

/* journey_pair_sort(): an interruptible sort of uint32 */
#define ST_SORT			journey_pair_sort
#define ST_ELEMENT_TYPE	uint32
#define ST_COMPARE(a, b)	((*(a) > *(b)) - (*(a) < *(b)))
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE		static
#define ST_DECLARE
#define ST_DEFINE
#include "lib/sort_template.h"

/*
 * channel_transitions(journey) -> SETOF (from_channel, to_channel, n)
 *
 * Each pair of consecutive touches is coded from * nchannels + to (below
 * 2^32 with at most 65,535 channels); the codes are sorted and counted in
 * runs, so memory grows with the touches, never with the square of the
 * channels.  The dictionary is sorted, so the code order is (from, to).
 */
PG_FUNCTION_INFO_V1(engagement_journey_channel_transitions);
Datum
engagement_journey_channel_transitions(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	EngJourney	j;
	uint32	   *pairs;
	int			npairs;
	Datum	   *texts;
	int			run;

	InitMaterializedSRF(fcinfo, 0);
	journey_getarg(fcinfo, 0, &j);
	npairs = j.n - 1;
	pairs = palloc(sizeof(uint32) * Max(npairs, 1));
	for (int i = 0; i < npairs; i++)
	{
		CHECK_FOR_INTERRUPTS();
		pairs[i] = (uint32) j.ch[i] * (uint32) j.nchannels + (uint32) j.ch[i + 1];
	}
	journey_pair_sort(pairs, npairs);
	texts = journey_channel_texts(&j);
	for (int i = 0; i < npairs; i += run)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		CHECK_FOR_INTERRUPTS();
		for (run = 1; i + run < npairs && pairs[i + run] == pairs[i]; run++)
			;
		values[0] = texts[pairs[i] / (uint32) j.nchannels];
		values[1] = texts[pairs[i] % (uint32) j.nchannels];
		values[2] = Int64GetDatum((int64) run);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* journey + journey: the journey of both parts' touches */
PG_FUNCTION_INFO_V1(engagement_journey_add);
Datum
engagement_journey_add(PG_FUNCTION_ARGS)
{
	return eng_build_add(fcinfo, &journey_build_ops);
}

/* unnest(journey): the touches, (ts, channel, event) in the stored order */
PG_FUNCTION_INFO_V1(engagement_journey_unnest);
Datum
engagement_journey_unnest(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	EngJourney	j;

	InitMaterializedSRF(fcinfo, 0);
	journey_getarg(fcinfo, 0, &j);
	for (int i = 0; i < j.n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		CHECK_FOR_INTERRUPTS();
		values[0] = TimestampTzGetDatum(j.ts[i]);
		values[1] = CStringGetTextDatum(j.channels[j.ch[i]]);
		if (j.ev[i] >= 0)
			values[2] = CStringGetTextDatum(j.events[j.ev[i]]);
		else
			nulls[2] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*****************************************************************************
 * JSON form: {"version": 1, "touches": [{"ts": t, "channel": "web",
 * "event": "view" or null}, ...]}, the touches in the stored order
 *****************************************************************************/

static Datum
journey_json(FunctionCallInfo fcinfo, bool jsonb)
{
	EngJourney	j;
	StringInfoData buf;

	journey_getarg(fcinfo, 0, &j);
	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"touches\": [", JOURNEY_VERSION);
	for (int i = 0; i < j.n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		appendStringInfoString(&buf, i > 0 ? ", {\"ts\": " : "{\"ts\": ");
		eng_json_timestamp(&buf, j.ts[i]);
		appendStringInfoString(&buf, ", \"channel\": ");
		escape_json(&buf, j.channels[j.ch[i]]);
		appendStringInfoString(&buf, ", \"event\": ");
		if (j.ev[i] >= 0)
			escape_json(&buf, j.events[j.ev[i]]);
		else
			appendStringInfoString(&buf, "null");
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "]}");
	return eng_json_result(&buf, jsonb);
}

ENG_JSON_CASTS(engagement_journey, journey_json)
