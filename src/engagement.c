/*-------------------------------------------------------------------------
 *
 * engagement.c
 *	  Module magic block and the helpers every capability shares: state
 *	  headers, aggregate-context checks, the text-format cursor, float
 *	  formatting, interval lengths and the normal distribution.
 *
 * IDENTIFICATION
 *	  src/engagement.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "common/hashfn.h"
#include "common/int.h"
#include "common/pg_prng.h"
#include "common/shortest_dec.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/float.h"

PG_MODULE_MAGIC;

double
eng_float8_result(double v, const char *what)
{
	if (!isfinite(v))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("%s is out of range", what));
	return eng_no_minus_zero(v);
}

/*
 * Dictionaries of names (channels, events)
 *
 * The hash table maps a name to its index in the dictionary.  An entry is
 * just the index (and the hash), so the table stays small; the key -1 stands
 * for the name being looked up, which the table's private data points to.
 * The hash is seeded per dictionary, so that names chosen to collide under
 * one seed do not collide under the next.
 */
typedef struct EngDictEntry
{
	uint32		hash;
	int32		index:24;		/* up to ENG_DICT_MAX_NAMES */
	uint32		status:8;		/* eight bytes an entry, not twelve */
} EngDictEntry;

typedef struct EngDictProbe
{
	uint64		seed;
	const EngDict *d;			/* the dictionary */
	const char *name;			/* the name being looked up (key -1) */
	int			len;
} EngDictProbe;

static inline uint32
eng_dict_hash(const EngDictProbe *probe)
{
	return (uint32) hash_bytes_extended((const unsigned char *) probe->name,
										probe->len, probe->seed);
}

/* Is name "i" of the dictionary the "len" bytes at "name"? */
static inline bool
eng_dict_name_is(const EngDict *d, int i, const char *name, int len)
{
	return eng_dict_name_len(d, i) == len &&
		memcmp(d->names[i], name, len) == 0;
}

/*
 * Is the stored name "index" the name being looked up?  An entry whose
 * insertion did not complete (an error in between) holds -1 and matches
 * nothing.
 */
static inline bool
eng_dict_equal(const EngDictProbe *probe, int32 index)
{
	if (index < 0)
		return false;
	return eng_dict_name_is(probe->d, index, probe->name, probe->len);
}

#define SH_PREFIX		engdict
#define SH_ELEMENT_TYPE	EngDictEntry
#define SH_KEY_TYPE		int32
#define SH_KEY			index
#define SH_HASH_KEY(tb, k)	eng_dict_hash((const EngDictProbe *) (tb)->private_data)
#define SH_EQUAL(tb, a, b) \
	eng_dict_equal((const EngDictProbe *) (tb)->private_data, (a) < 0 ? (b) : (a))
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a)	((a)->hash)
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

void
eng_check_name_length(int len, const char *kind)
{
	if (len > ENG_MAX_NAME_LEN)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("%s names cannot be longer than %d bytes",
					   kind, ENG_MAX_NAME_LEN));
}

/*
 * Dictionaries of up to ENG_DICT_LINEAR names are searched by a scan (most
 * journeys have a handful of channels, and hashing a name costs more than
 * comparing it with a few others); the hash table is built when the
 * dictionary reaches that size.
 */
#define ENG_DICT_LINEAR		16

pg_attribute_noreturn()
static void
eng_dict_full(const char *kind, int max_names)
{
	ereport(ERROR,
			errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			errmsg("too many distinct %s names", kind),
			errdetail("At most %d are allowed.", max_names));
}

/*
 * Names are copied into blocks of ENG_DICT_FIRST_BLOCK bytes, doubling up to
 * ENG_DICT_MAX_BLOCK: one allocation for many names, and no chunk header or
 * rounding per name.  Each copy is preceded by its length (two bytes, see
 * eng_dict_name_len()) and followed by a NUL.
 */
#define ENG_DICT_FIRST_BLOCK	128
#define ENG_DICT_MAX_BLOCK		(256 * 1024)

/*
 * Raise the error for a new name that cannot be added: one with a NUL byte
 * (names are stored NUL-terminated), one more than max_names, or one too
 * long.
 */
static void
eng_dict_check_new(const EngDict *d, const char *name, int len, int max_names,
				   const char *kind)
{
	if (memchr(name, '\0', len) != NULL)
		ereport(ERROR,
				errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
				errmsg("%s names cannot contain NUL bytes", kind));
	if (d->n >= max_names)
		eng_dict_full(kind, max_names);
	eng_check_name_length(len, kind);
}

/* Append a copy of a new name (already checked) as entry d->n. */
static void
eng_dict_append(EngDict *d, const char *name, int len, MemoryContext cxt)
{
	char	   *copy;
	uint16		len16;

	StaticAssertStmt(ENG_MAX_NAME_LEN <= PG_UINT16_MAX,
					 "name lengths must fit in two bytes");

	if (d->n == d->max)
	{
		d->max = (d->max == 0) ? 8 : d->max * 2;
		d->names = d->names ?
			repalloc(d->names, sizeof(char *) * d->max) :
			MemoryContextAlloc(cxt, sizeof(char *) * d->max);
	}
	if (d->arena_free < ENG_DICT_LEN_BYTES + (Size) len + 1)
	{
		Size		size;

		if (d->arena_next == 0)
			d->arena_next = ENG_DICT_FIRST_BLOCK;
		size = Max(d->arena_next, ENG_DICT_LEN_BYTES + (Size) len + 1);
		d->arena = MemoryContextAlloc(cxt, size);
		d->arena_free = size;
		d->arena_next = Min(d->arena_next * 2, ENG_DICT_MAX_BLOCK);
	}
	len16 = (uint16) len;
	memcpy(d->arena, &len16, ENG_DICT_LEN_BYTES);
	copy = d->arena + ENG_DICT_LEN_BYTES;
	d->arena += ENG_DICT_LEN_BYTES + len + 1;
	d->arena_free -= ENG_DICT_LEN_BYTES + len + 1;
	memcpy(copy, name, len);
	copy[len] = '\0';
	d->names[d->n] = copy;
	d->last = d->n;
	d->n++;
}

/* Build the hash table of a dictionary that outgrew the scan. */
static void
eng_dict_build_hash(EngDict *d, MemoryContext cxt)
{
	EngDictProbe *probe = MemoryContextAllocZero(cxt, sizeof(EngDictProbe));

	probe->seed = pg_prng_uint64(&pg_global_prng_state);
	d->hash = engdict_create(cxt, 4 * ENG_DICT_LINEAR, probe);
	probe->d = d;
	for (int i = 0; i < d->n; i++)
	{
		EngDictEntry *entry;
		bool		found;

		probe->name = d->names[i];
		probe->len = eng_dict_name_len(d, i);
		entry = engdict_insert_hash(d->hash, -1, eng_dict_hash(probe), &found);
		Assert(!found);
		entry->index = i;
	}
}

int
eng_dict_lookup(EngDict *d, const char *name, int len, int max_names,
				const char *kind, MemoryContext cxt)
{
	EngDictProbe *probe;
	EngDictEntry *entry;
	uint32		hash;
	bool		found;

	Assert(max_names <= ENG_DICT_MAX_NAMES);

	/*
	 * Stored names hold no NUL byte, so a name with one matches none of them
	 * and is refused only when it would be added.
	 */
	if (d->n > 0 && eng_dict_name_is(d, d->last, name, len))
		return d->last;
	if (d->hash == NULL)
	{
		/* a small dictionary: a scan is cheaper than hashing the name */
		for (int i = 0; i < d->n; i++)
		{
			if (eng_dict_name_is(d, i, name, len))
			{
				d->last = i;
				return i;
			}
		}
		eng_dict_check_new(d, name, len, max_names, kind);
		eng_dict_append(d, name, len, cxt);
		if (d->n == ENG_DICT_LINEAR)
			eng_dict_build_hash(d, cxt);
		return d->n - 1;
	}
	probe = (EngDictProbe *) d->hash->private_data;
	probe->d = d;
	probe->name = name;
	probe->len = len;
	hash = eng_dict_hash(probe);
	entry = engdict_insert_hash(d->hash, -1, hash, &found);
	if (found)
	{
		d->last = entry->index;
		return entry->index;
	}

	/* a new name: forget the new entry again when the name is refused */
	if (d->n >= max_names || len > ENG_MAX_NAME_LEN ||
		memchr(name, '\0', len) != NULL)
	{
		engdict_delete_item(d->hash, entry);
		eng_dict_check_new(d, name, len, max_names, kind);
	}
	entry->index = d->n;
	eng_dict_append(d, name, len, cxt);
	return d->n - 1;
}

/*
 * Sorting names.  The bytes that every ranked name shares at its start are
 * skipped; each entry is one integer: the next ENG_KEY_BYTES bytes, big-endian
 * and zero-padded (names hold no NUL, so integer order is bytewise order on
 * those bytes, a shorter name first), above the name's index.  Only entries
 * whose key bytes agree compare the rest of their names.
 */
#define ENG_KEY_BYTES	5
#define ENG_INDEX_BITS	24

StaticAssertDecl(ENG_DICT_MAX_NAMES < (1 << ENG_INDEX_BITS),
				 "a dictionary index must fit below the sort key");

typedef struct EngSortArg
{
	const EngDict *d;
	int			skip;			/* bytes shared by every name, then the key */
} EngSortArg;

#define eng_sort_key(e)		((e) >> ENG_INDEX_BITS)
#define eng_sort_index(e)	((int32) ((e) & ((1 << ENG_INDEX_BITS) - 1)))

static inline int
eng_name_cmp(uint64 x, uint64 y, const EngSortArg *arg)
{
	int			off = arg->skip + ENG_KEY_BYTES;
	int			xi = eng_sort_index(x);
	int			yi = eng_sort_index(y);
	int			xrest;
	int			yrest;
	int			c;

	if (eng_sort_key(x) != eng_sort_key(y))
		return (eng_sort_key(x) < eng_sort_key(y)) ? -1 : 1;
	/* equal keys: a name that ends within them is the shorter one, or equal */
	xrest = eng_dict_name_len(arg->d, xi) - off;
	yrest = eng_dict_name_len(arg->d, yi) - off;
	if (xrest > 0 && yrest > 0)
	{
		c = memcmp(arg->d->names[xi] + off, arg->d->names[yi] + off,
				   Min(xrest, yrest));
		if (c != 0)
			return c;
	}
	return (xrest > yrest) - (xrest < yrest);
}

/* eng_sort_names(): an interruptible sort with the comparison inlined */
#define ST_SORT			eng_sort_names
#define ST_ELEMENT_TYPE	uint64
#define ST_COMPARE(a, b, arg)	eng_name_cmp(*(a), *(b), arg)
#define ST_COMPARE_ARG_TYPE	const EngSortArg
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE		static
#define ST_DECLARE
#define ST_DEFINE
#include "lib/sort_template.h"

/*
 * Sort by the key bytes, most significant first (an in-place radix sort that
 * moves each entry into its byte's bucket, then sorts every bucket by the
 * next byte); buckets of fewer than ENG_RADIX_MIN entries, and entries whose
 * key bytes all agree, are sorted by comparison.  Linear in the number of
 * names for each key byte, instead of a comparison sort's n log n
 * comparisons.
 */
#define ENG_RADIX_MIN	64

static void
eng_radix_sort_names(uint64 *a, int n, int byte, const EngSortArg *arg)
{
	int			shift;
	int			count[256];
	int			next[256];
	int			end[256];
	int			pos = 0;

	CHECK_FOR_INTERRUPTS();
	if (n < ENG_RADIX_MIN || byte == ENG_KEY_BYTES)
	{
		eng_sort_names(a, n, arg);
		return;
	}
	shift = ENG_INDEX_BITS + 8 * (ENG_KEY_BYTES - 1 - byte);
	memset(count, 0, sizeof(count));
	for (int i = 0; i < n; i++)
		count[(a[i] >> shift) & 0xFF]++;
	for (int b = 0; b < 256; b++)
	{
		if (count[b] == n)
		{
			/* one bucket: nothing to move */
			eng_radix_sort_names(a, n, byte + 1, arg);
			return;
		}
		next[b] = pos;
		pos += count[b];
		end[b] = pos;
	}
	for (int b = 0; b < 256; b++)
	{
		while (next[b] < end[b])
		{
			uint64		x = a[next[b]];
			int			d = (x >> shift) & 0xFF;

			/* carry x to its bucket, taking the entry there, until one fits */
			while (d != b)
			{
				uint64		y = a[next[d]];

				a[next[d]++] = x;
				x = y;
				d = (x >> shift) & 0xFF;
			}
			a[next[b]++] = x;
		}
	}
	for (int b = 0, start = 0; b < 256; start += count[b], b++)
	{
		if (count[b] > 1)
			eng_radix_sort_names(a + start, count[b], byte + 1, arg);
	}
}

int
eng_dict_sort(const EngDict *d, const bool *used, int32 *order, int32 *rank)
{
	uint64	   *sorted = palloc(sizeof(uint64) * Max(d->n, 1));
	EngSortArg	arg;
	const char *first = NULL;
	int			k = 0;

	/* the ranked names, and the length of the start they all share */
	arg.d = d;
	arg.skip = 0;
	for (int i = 0; i < d->n; i++)
	{
		const char *name = d->names[i];
		int			len = eng_dict_name_len(d, i);

		CHECK_FOR_INTERRUPTS();
		if (used != NULL && !used[i])
			continue;
		if (first == NULL)
		{
			first = name;
			arg.skip = len;
		}
		else
		{
			int			j = 0;

			while (j < arg.skip && j < len && name[j] == first[j])
				j++;
			arg.skip = j;
		}
		sorted[k++] = (uint64) i;
	}
	for (int i = 0; i < k; i++)
	{
		int			index = (int) sorted[i];
		const char *name = d->names[index];
		int			len = eng_dict_name_len(d, index);
		uint64		key = 0;

		for (int j = arg.skip; j < arg.skip + ENG_KEY_BYTES; j++)
			key = (key << 8) | (j < len ? (unsigned char) name[j] : 0);
		sorted[i] = (key << ENG_INDEX_BITS) | (uint64) index;
	}
	eng_radix_sort_names(sorted, k, 0, &arg);
	for (int i = 0; i < k; i++)
	{
		order[i] = eng_sort_index(sorted[i]);
		rank[order[i]] = i;
	}
	pfree(sorted);
	return k;
}

/*
 * Text-format cursor
 */
void
eng_cursor_init(EngTextCursor *c, const char *input, const char *typname)
{
	c->input = input;
	c->p = input;
	c->typname = typname;
}

void
eng_cursor_quoted(EngTextCursor *c, StringInfo buf, const char *what,
				  int limit, EngTooLong too_long, const void *arg)
{
	for (;;)
	{
		if (*c->p == '\0')
			eng_cursor_error(c, psprintf("Unterminated quoted %s.", what));
		if (*c->p == '"')
		{
			if (c->p[1] != '"')
				break;
			c->p++;
		}
		/* stop before an overlong string grows the buffer any further */
		if (buf->len >= limit)
			too_long(buf->len + 1, arg);
		appendStringInfoChar(buf, *c->p++);
	}
	c->p++;
}

void
eng_append_quoted(StringInfo buf, const char *s, int len)
{
	appendStringInfoChar(buf, '"');
	for (int i = 0; i < len; i++)
	{
		if (s[i] == '"')
			appendStringInfoChar(buf, '"');
		appendStringInfoChar(buf, s[i]);
	}
	appendStringInfoChar(buf, '"');
}

void
eng_name_too_long(int len, const void *kind)
{
	eng_check_name_length(len, (const char *) kind);
}

void
eng_cursor_error(EngTextCursor *c, const char *detail)
{
	ereport(ERROR,
			errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			errmsg("invalid input syntax for type %s: \"%s\"",
				   c->typname, c->input),
			detail ? errdetail("%s", detail) : 0);
}

static void
eng_cursor_skip_space(EngTextCursor *c)
{
	while (eng_isspace(*c->p))
		c->p++;
}

bool
eng_cursor_accept(EngTextCursor *c, char ch)
{
	eng_cursor_skip_space(c);
	if (*c->p == ch)
	{
		c->p++;
		return true;
	}
	return false;
}

void
eng_cursor_expect(EngTextCursor *c, char ch)
{
	if (!eng_cursor_accept(c, ch))
	{
		char		detail[64];

		snprintf(detail, sizeof(detail), "Expected \"%c\" at offset %d.",
				 ch, (int) (c->p - c->input));
		eng_cursor_error(c, detail);
	}
}

/* Expect "key" followed by "=". */
void
eng_cursor_expect_key(EngTextCursor *c, const char *key)
{
	size_t		len = strlen(key);

	eng_cursor_skip_space(c);
	if (strncmp(c->p, key, len) != 0 ||
		isalnum((unsigned char) c->p[len]) || c->p[len] == '_')
	{
		char		detail[128];

		snprintf(detail, sizeof(detail), "Expected \"%s=\" at offset %d.",
				 key, (int) (c->p - c->input));
		eng_cursor_error(c, detail);
	}
	c->p += len;
	eng_cursor_expect(c, '=');
}

int64
eng_cursor_int64(EngTextCursor *c)
{
	char	   *end;
	long long	v;

	eng_cursor_skip_space(c);
	if (!(isdigit((unsigned char) *c->p) ||
		  ((*c->p == '-' || *c->p == '+') && isdigit((unsigned char) c->p[1]))))
		eng_cursor_error(c, "Expected an integer.");
	errno = 0;
	v = strtoll(c->p, &end, 10);
	if (errno == ERANGE)
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("value out of range in %s input: \"%s\"",
					   c->typname, c->input));
	c->p = end;
	return (int64) v;
}

double
eng_cursor_float8(EngTextCursor *c)
{
	char	   *end;
	double		v;

	eng_cursor_skip_space(c);
	/* strtod would accept "nan", "inf" and hex floats: allow only decimals */
	if (!(isdigit((unsigned char) *c->p) || *c->p == '.' ||
		  ((*c->p == '-' || *c->p == '+') &&
		   (isdigit((unsigned char) c->p[1]) || c->p[1] == '.'))))
		eng_cursor_error(c, "Expected a finite number.");
	if ((c->p[0] == '0' && (c->p[1] == 'x' || c->p[1] == 'X')) ||
		((c->p[0] == '-' || c->p[0] == '+') && c->p[1] == '0' &&
		 (c->p[2] == 'x' || c->p[2] == 'X')))
		eng_cursor_error(c, "Expected a decimal number.");
	errno = 0;
	v = strtod(c->p, &end);
	if (end == c->p)
		eng_cursor_error(c, "Expected a finite number.");
	if (errno == ERANGE && (v == 0.0 || isinf(v)))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("value out of range in %s input: \"%s\"",
					   c->typname, c->input));
	c->p = end;
	return v;
}

void
eng_cursor_expect_end(EngTextCursor *c)
{
	eng_cursor_skip_space(c);
	if (*c->p != '\0')
		eng_cursor_error(c, "Junk after the closing parenthesis.");
}

/*
 * Timestamps in state text forms: UTC, ISO 8601, up to six fractional
 * digits, years 0001..9999.
 */
void
eng_check_timestamp(int64 ts, const char *typname)
{
	if (ts < ENG_MIN_TS || ts > ENG_MAX_TS)
		ereport(ERROR,
				errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				errmsg("%s timestamps must lie between the years 1 and 9999",
					   typname));
}

void
eng_append_timestamp(StringInfo buf, int64 ts)
{
	struct pg_tm tm;
	fsec_t		fsec;
	char		tmp[64];
	int			len;

	if (timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0)
		elog(ERROR, "timestamp out of range");

	/*
	 * Formatted here and appended in one piece: a buffer sized exactly by the
	 * caller is never enlarged (appendStringInfo would enlarge a buffer with
	 * little room left before even trying).
	 */
	len = snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d",
				   tm.tm_year, tm.tm_mon, tm.tm_mday,
				   tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (fsec != 0)
	{
		len += snprintf(tmp + len, sizeof(tmp) - len, ".%06d", (int) fsec);
		while (tmp[len - 1] == '0')
			len--;
	}
	tmp[len++] = 'Z';
	appendBinaryStringInfo(buf, tmp, len);
}

#define ENG_TS_SYNTAX "Expected a timestamp like 2026-01-31T12:00:00Z."

/* parse exactly "ndigits" decimal digits */
static int
eng_cursor_digits(EngTextCursor *c, int ndigits)
{
	int			v = 0;

	for (int i = 0; i < ndigits; i++)
	{
		if (!isdigit((unsigned char) *c->p))
			eng_cursor_error(c, ENG_TS_SYNTAX);
		v = v * 10 + (*c->p++ - '0');
	}
	return v;
}

static void
eng_cursor_sep(EngTextCursor *c, char sep)
{
	if (*c->p != sep)
		eng_cursor_error(c, ENG_TS_SYNTAX);
	c->p++;
}

int64
eng_cursor_timestamp(EngTextCursor *c)
{
	struct pg_tm tm;
	fsec_t		fsec = 0;
	Timestamp	ts;

	memset(&tm, 0, sizeof(tm));
	eng_cursor_skip_space(c);
	tm.tm_year = eng_cursor_digits(c, 4);
	eng_cursor_sep(c, '-');
	tm.tm_mon = eng_cursor_digits(c, 2);
	eng_cursor_sep(c, '-');
	tm.tm_mday = eng_cursor_digits(c, 2);
	eng_cursor_sep(c, 'T');
	tm.tm_hour = eng_cursor_digits(c, 2);
	eng_cursor_sep(c, ':');
	tm.tm_min = eng_cursor_digits(c, 2);
	eng_cursor_sep(c, ':');
	tm.tm_sec = eng_cursor_digits(c, 2);
	if (*c->p == '.')
	{
		int			scale = 100000;

		c->p++;
		if (!isdigit((unsigned char) *c->p))
			eng_cursor_error(c, ENG_TS_SYNTAX);
		while (isdigit((unsigned char) *c->p))
		{
			if (scale == 0)
				eng_cursor_error(c, "Timestamps have at most six fractional digits.");
			fsec += (*c->p++ - '0') * scale;
			scale /= 10;
		}
	}
	eng_cursor_sep(c, 'Z');

	if (tm.tm_year < 1 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
		tm.tm_mday > day_tab[isleap(tm.tm_year)][tm.tm_mon - 1] ||
		tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
		eng_cursor_error(c, "A timestamp is not a valid date and time.");
	if (tm2timestamp(&tm, fsec, NULL, &ts) != 0)
		eng_cursor_error(c, "A timestamp is out of range.");
	return ts;
}

void
eng_append_float8(StringInfo buf, double value)
{
	char		tmp[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(value, tmp);
	appendStringInfoString(buf, tmp);
}

/*
 * Time helpers
 */
int64
eng_interval_usecs(const Interval *iv, const char *what)
{
	int64		usecs;
	int64		part;

	/* years as 365.25 days, other months as 30 days: EXTRACT(EPOCH ...) */
	if (pg_mul_s64_overflow((int64) (iv->month / MONTHS_PER_YEAR),
							(int64) (DAYS_PER_YEAR * 4) * USECS_PER_DAY / 4,
							&usecs) ||
		pg_mul_s64_overflow((int64) (iv->month % MONTHS_PER_YEAR),
							DAYS_PER_MONTH * USECS_PER_DAY, &part) ||
		pg_add_s64_overflow(usecs, part, &usecs) ||
		pg_mul_s64_overflow((int64) iv->day, USECS_PER_DAY, &part) ||
		pg_add_s64_overflow(usecs, part, &usecs) ||
		pg_add_s64_overflow(usecs, iv->time, &usecs))
		ereport(ERROR,
				errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				errmsg("%s is out of range", what));
	return usecs;
}

int64
eng_interval_usecs_positive(const Interval *iv, const char *what)
{
	int64		usecs = eng_interval_usecs(iv, what);

	if (usecs <= 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("%s must be positive", what));
	return usecs;
}

/*
 * Normal distribution (the pure functions are in numerics.c)
 */

double
eng_confidence_z(double confidence)
{
	if (isnan(confidence) || confidence <= 0.0 || confidence >= 1.0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("confidence level must be between 0 and 1, exclusive"),
				errdetail("The confidence level given was %g.", confidence));
	return -num_norm_quantile(0.5 * (1.0 - confidence));
}

/*
 * Time zones and local days
 */

struct pg_tz *
eng_time_zone(const text *zone)
{
	char		tzname[TZ_STRLEN_MAX + 1];
	pg_tz	   *tz;

	text_to_cstring_buffer(zone, tzname, sizeof(tzname));
	tz = pg_tzset(tzname);
	if (tz == NULL)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("time zone \"%s\" not recognized", tzname));
	return tz;
}

int32
eng_local_day(int64 ts, struct pg_tz *tz)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tzoff;

	if (TIMESTAMP_IS_NOBEGIN(ts))
		return PG_INT32_MIN;
	if (TIMESTAMP_IS_NOEND(ts))
		return PG_INT32_MAX;
	if (timestamp2tm(ts, &tzoff, &tm, &fsec, NULL, tz) != 0)
		ereport(ERROR,
				errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				errmsg("timestamp out of range"));
	return date2j(tm.tm_year, tm.tm_mon, tm.tm_mday);
}
