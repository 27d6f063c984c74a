/*-------------------------------------------------------------------------
 *
 * rfm.c
 *	  The RFM summary of a customer's purchases (rfm state): frequency,
 *	  recency, age and monetary value as the lifetimes library's
 *	  summary_data_from_transaction_data defines them for daily periods.
 *
 * Purchases are grouped by UTC day; amounts of one day are summed (one
 * period, one "transaction" as lifetimes sees it).  With n purchase days,
 * frequency = n - 1 (repeat purchase days), recency = last day - first
 * day, age (T) = as_of's day - first day, monetary = mean of the repeat
 * days' amounts (0 without repeats).  The state keeps every purchase day and
 * its amount, so merging states is exact.
 *
 * IDENTIFICATION
 *	  src/rfm.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include <math.h>

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/tuplestore.h"

#define RFM_VERSION			1
#define RFM_MAX_DAYS		(10 * 1000 * 1000)

typedef struct RfmDay
{
	int32		day;			/* days since 2000-01-01 (UTC) */
	double		amount;
} RfmDay;

/* Aggregation state: purchases in arrival order. */
typedef struct RfmBuild
{
	int			n;
	int			max;
	RfmDay	   *days;
} RfmBuild;

/* Stored: header, count, then days sorted and distinct. */
typedef struct RfmData
{
	EngStateHeader hdr;
	int32		ndays;
	int32		reserved;
	RfmDay		days[FLEXIBLE_ARRAY_MEMBER];
} RfmData;

#define RFM_SIZE(n)		(offsetof(RfmData, days) + (Size) (n) * sizeof(RfmDay))

/* binary and serial forms: a count, then per day an int32 day and a float8 */
#define RFM_WIRE_DAY	(4 + 8)

static const EngRecordCount rfm_wire_days = {
	"rfm", "purchase days", 1, RFM_MAX_DAYS, RFM_WIRE_DAY, true
};

/* a working state may hold no purchase (every row had a NULL) */
static const EngRecordCount rfm_serial_days = {
	"rfm", "purchases", 0, RFM_MAX_DAYS, RFM_WIRE_DAY, true
};

static int32
rfm_day(int64 ts)
{
	/* floor division: times before 2000 belong to negative days */
	return (int32) ((ts >= 0) ? ts / USECS_PER_DAY : -((-ts - 1) / USECS_PER_DAY) - 1);
}

static void
rfm_push(RfmBuild *b, int32 day, double amount, MemoryContext cxt)
{
	if (b->n >= RFM_MAX_DAYS)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("an rfm state cannot hold more than %d purchases", RFM_MAX_DAYS));
	if (b->n == b->max)
	{
		/* doubling, capped at the limit: at most 160 MB */
		b->max = b->max ? Min(b->max * 2, RFM_MAX_DAYS) : 8;
		b->days = b->days ? repalloc(b->days, sizeof(RfmDay) * b->max) :
			MemoryContextAlloc(cxt, sizeof(RfmDay) * b->max);
	}
	b->days[b->n].day = day;
	b->days[b->n].amount = amount;
	b->n++;
}

/*
 * Order by day, then amount: amounts of one day are then always added in
 * the same order, whatever order the rows (or parallel workers) came in.
 */
static int
rfm_day_cmp(const void *a, const void *b)
{
	const RfmDay *x = a;
	const RfmDay *y = b;

	/* sorts of up to 10 million days stay cancellable */
	CHECK_FOR_INTERRUPTS();
	if (x->day != y->day)
		return (x->day > y->day) - (x->day < y->day);
	return (x->amount > y->amount) - (x->amount < y->amount);
}

/* sort, sum amounts per day, encode */
static RfmData *
rfm_encode(RfmBuild *b)
{
	RfmData    *r;
	int			k = 0;

	qsort(b->days, b->n, sizeof(RfmDay), rfm_day_cmp);
	r = palloc0(RFM_SIZE(b->n));
	for (int i = 0; i < b->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (k > 0 && r->days[k - 1].day == b->days[i].day)
			r->days[k - 1].amount += b->days[i].amount;
		else
		{
			/* field by field: the padding of r stays zeroed (stable bytes) */
			r->days[k].day = b->days[i].day;
			r->days[k].amount = b->days[i].amount;
			k++;
		}
	}
	eng_init_header(&r->hdr, RFM_SIZE(k), RFM_VERSION, 0);
	r->ndays = k;
	for (int i = 0; i < k; i++)
		if (!isfinite(r->days[i].amount))
			ereport(ERROR,
					errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					errmsg("rfm purchase amount of one day is out of range"));
	return r;
}

static void
rfm_validate(const RfmData *r, EngSource src)
{
	int			code = eng_source_errcode(src);

	eng_check_state(&r->hdr, RFM_SIZE(0), RFM_VERSION, 0, "rfm", src);
	if (r->reserved != 0 || r->ndays < 1 || r->ndays > RFM_MAX_DAYS ||
		VARSIZE(r) != RFM_SIZE(r->ndays))
		ereport(ERROR,
				errcode(code),
				errmsg("invalid rfm value"),
				errdetail("The number of days does not match the size of the value."));
	for (int i = 0; i < r->ndays; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (!isfinite(r->days[i].amount) ||
			r->days[i].day < rfm_day(ENG_MIN_TS) || r->days[i].day > rfm_day(ENG_MAX_TS) ||
			(i > 0 && r->days[i].day <= r->days[i - 1].day))
			ereport(ERROR,
					errcode(code),
					errmsg("invalid rfm value"),
					errdetail("Purchase day %d is out of range, out of order or not finite.", i + 1));
	}
}

static RfmData *
rfm_getarg(FunctionCallInfo fcinfo, int argno)
{
	RfmData    *r = (RfmData *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	rfm_validate(r, ENG_STORED);
	return r;
}

/*
 * The working state: purchases in arrival order, merged by appending; the
 * serial form is that of the binary form without its version byte.
 */
/* a state whose every row had a NULL */
static bool
rfm_empty(const void *state)
{
	return ((const RfmBuild *) state)->n == 0;
}

static void
rfm_merge(void *dst, const void *src, MemoryContext cxt)
{
	const RfmBuild *from = src;

	for (int i = 0; i < from->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		rfm_push(dst, from->days[i].day, from->days[i].amount, cxt);
	}
}

/* the count and days of the binary and serial forms */
static void
rfm_send_days(StringInfo buf, const RfmDay *days, int n)
{
	pq_sendint32(buf, n);
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		pq_sendint32(buf, days[i].day);
		pq_sendfloat8(buf, days[i].amount);
	}
}

static void
rfm_serialize(StringInfo buf, const void *state)
{
	const RfmBuild *b = state;

	rfm_send_days(buf, b->days, b->n);
}

static void
rfm_deserialize(StringInfo buf, void *state, MemoryContext cxt)
{
	int32		n = eng_recv_count(buf, &rfm_serial_days, ENG_STORED);

	for (int i = 0; i < n; i++)
	{
		int32		day = pq_getmsgint(buf, 4);

		CHECK_FOR_INTERRUPTS();
		rfm_push(state, day, pq_getmsgfloat8(buf), cxt);
	}
}

static void
rfm_add_arg(void *state, FunctionCallInfo fcinfo, int argno, MemoryContext cxt)
{
	RfmData    *r = rfm_getarg(fcinfo, argno);

	for (int i = 0; i < r->ndays; i++)
	{
		CHECK_FOR_INTERRUPTS();
		rfm_push(state, r->days[i].day, r->days[i].amount, cxt);
	}
}

static Datum
rfm_finish(void *state)
{
	PG_RETURN_POINTER(rfm_encode(state));
}

static const EngBuildOps rfm_build_ops = {
	.typname = "rfm",
	.size = sizeof(RfmBuild),
	.empty = rfm_empty,
	.merge = rfm_merge,
	.serialize = rfm_serialize,
	.deserialize = rfm_deserialize,
	.add_arg = rfm_add_arg,
	.finish = rfm_finish,
};

/* rfm_agg(ts, amount): rows with a NULL time or amount are skipped */
PG_FUNCTION_INFO_V1(engagement_rfm_trans);
Datum
engagement_rfm_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	RfmBuild   *b = eng_build_arg(fcinfo, &rfm_build_ops, &aggcontext);
	int64		ts;
	double		amount;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(b);
	ts = PG_GETARG_TIMESTAMPTZ(1);
	eng_check_timestamp(ts, "rfm");
	amount = PG_GETARG_FLOAT8(2);
	if (!isfinite(amount))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("rfm purchase amount must be a finite number"));
	rfm_push(b, rfm_day(ts), amount, aggcontext);
	PG_RETURN_POINTER(b);
}

PG_FUNCTION_INFO_V1(engagement_rfm_rollup_trans);
Datum
engagement_rfm_rollup_trans(PG_FUNCTION_ARGS)
{
	return eng_build_rollup_trans(fcinfo, &rfm_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_rfm_add);
Datum
engagement_rfm_add(PG_FUNCTION_ARGS)
{
	return eng_build_add(fcinfo, &rfm_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_rfm_combine);
Datum
engagement_rfm_combine(PG_FUNCTION_ARGS)
{
	return eng_build_combine(fcinfo, &rfm_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_rfm_serial);
Datum
engagement_rfm_serial(PG_FUNCTION_ARGS)
{
	return eng_build_serial(fcinfo, &rfm_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_rfm_deserial);
Datum
engagement_rfm_deserial(PG_FUNCTION_ARGS)
{
	return eng_build_deserial(fcinfo, &rfm_build_ops);
}

PG_FUNCTION_INFO_V1(engagement_rfm_final);
Datum
engagement_rfm_final(PG_FUNCTION_ARGS)
{
	return eng_build_final(fcinfo, &rfm_build_ops);
}

/*****************************************************************************
 * Text and binary I/O: (v=1,days=[2026-01-05 12.5,2026-02-01 30])
 *****************************************************************************/

PG_FUNCTION_INFO_V1(engagement_rfm_out);
Datum
engagement_rfm_out(PG_FUNCTION_ARGS)
{
	RfmData    *r = rfm_getarg(fcinfo, 0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(v=%d,days=[", RFM_VERSION);
	for (int i = 0; i < r->ndays; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		eng_append_timestamp(&buf, (int64) r->days[i].day * USECS_PER_DAY);
		appendStringInfoChar(&buf, ' ');
		eng_append_float8(&buf, r->days[i].amount);
	}
	appendStringInfoString(&buf, "])");
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(engagement_rfm_in);
Datum
engagement_rfm_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	EngTextCursor c;
	RfmBuild	b;
	RfmData    *r;

	memset(&b, 0, sizeof(b));
	eng_cursor_begin(&c, input, "rfm", RFM_VERSION);
	eng_cursor_expect(&c, ',');
	eng_cursor_expect_key(&c, "days");
	eng_cursor_expect(&c, '[');
	do
	{
		int64		ts = eng_cursor_timestamp(&c);
		int32		day = rfm_day(ts);

		CHECK_FOR_INTERRUPTS();
		if ((int64) day * USECS_PER_DAY != ts)
			eng_cursor_error(&c, "Purchase days are written at midnight UTC.");
		if (b.n > 0 && day <= b.days[b.n - 1].day)
			eng_cursor_error(&c, "Purchase days must be distinct and in order.");
		rfm_push(&b, day, eng_cursor_float8(&c), CurrentMemoryContext);
	} while (eng_cursor_accept(&c, ','));
	eng_cursor_expect(&c, ']');
	eng_cursor_expect(&c, ')');
	eng_cursor_expect_end(&c);
	r = rfm_encode(&b);
	rfm_validate(r, ENG_TEXT);
	PG_RETURN_POINTER(r);
}

PG_FUNCTION_INFO_V1(engagement_rfm_send);
Datum
engagement_rfm_send(PG_FUNCTION_ARGS)
{
	RfmData    *r = rfm_getarg(fcinfo, 0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, RFM_VERSION);
	rfm_send_days(&buf, r->days, r->ndays);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(engagement_rfm_recv);
Datum
engagement_rfm_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		n;
	RfmData    *r;

	eng_recv_version(buf, RFM_VERSION, "rfm");
	n = eng_recv_count(buf, &rfm_wire_days, ENG_BINARY);
	r = palloc0(RFM_SIZE(n));
	eng_init_header(&r->hdr, RFM_SIZE(n), RFM_VERSION, 0);
	r->ndays = n;
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		r->days[i].day = pq_getmsgint(buf, 4);
		r->days[i].amount = pq_getmsgfloat8(buf);
	}
	rfm_validate(r, ENG_BINARY);
	PG_RETURN_POINTER(r);
}

/*****************************************************************************
 * Accessors
 *****************************************************************************/

static double
rfm_unit_days(FunctionCallInfo fcinfo, int argno)
{
	return (double) eng_interval_usecs_positive(PG_GETARG_INTERVAL_P(argno), "rfm time unit") /
		(double) USECS_PER_DAY;
}

PG_FUNCTION_INFO_V1(engagement_rfm_frequency);
Datum
engagement_rfm_frequency(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(rfm_getarg(fcinfo, 0)->ndays - 1);
}

PG_FUNCTION_INFO_V1(engagement_rfm_recency);
Datum
engagement_rfm_recency(PG_FUNCTION_ARGS)
{
	RfmData    *r = rfm_getarg(fcinfo, 0);

	PG_RETURN_FLOAT8((double) (r->days[r->ndays - 1].day - r->days[0].day) /
					 rfm_unit_days(fcinfo, 1));
}

PG_FUNCTION_INFO_V1(engagement_rfm_age);
Datum
engagement_rfm_age(PG_FUNCTION_ARGS)
{
	RfmData    *r = rfm_getarg(fcinfo, 0);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
	int32		day;

	/*
	 * Any finite as_of has a day (|day| < 2^27); -infinity is before the last
	 * purchase; at +infinity the age has no finite value.
	 */
	if (TIMESTAMP_IS_NOEND(as_of))
		ereport(ERROR,
				errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				errmsg("rfm age is infinite when as_of is infinity"),
				errhint("Give a finite observation end."));
	day = TIMESTAMP_IS_NOBEGIN(as_of) ? PG_INT32_MIN : rfm_day(as_of);
	if (day < r->days[r->ndays - 1].day)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("as_of is earlier than the last purchase of the rfm state"),
				errhint("The observation period must end on or after the last purchase."));
	PG_RETURN_FLOAT8((double) (day - r->days[0].day) / rfm_unit_days(fcinfo, 2));
}

PG_FUNCTION_INFO_V1(engagement_rfm_monetary);
Datum
engagement_rfm_monetary(PG_FUNCTION_ARGS)
{
	RfmData    *r = rfm_getarg(fcinfo, 0);
	double		sum = 0.0;

	if (r->ndays == 1)
		PG_RETURN_FLOAT8(0.0);
	for (int i = 1; i < r->ndays; i++)
	{
		CHECK_FOR_INTERRUPTS();
		sum += r->days[i].amount;
	}
	if (!isfinite(sum))
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("rfm monetary value is out of range"));
	sum /= (r->ndays - 1);
	/* a mean of tiny refunds can underflow to -0: report 0 */
	PG_RETURN_FLOAT8(eng_no_minus_zero(sum));
}

/*****************************************************************************
 * JSON form: {"version": 1, "days": [{"day": "2026-01-05T00:00:00Z",
 * "amount": 12.5}, ...]}, days in order, amounts summed per UTC day
 *****************************************************************************/

static Datum
rfm_json(FunctionCallInfo fcinfo, bool jsonb)
{
	RfmData    *r = rfm_getarg(fcinfo, 0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"days\": [", RFM_VERSION);
	for (int i = 0; i < r->ndays; i++)
	{
		CHECK_FOR_INTERRUPTS();
		appendStringInfoString(&buf, i > 0 ? ", {\"day\": " : "{\"day\": ");
		eng_json_timestamp(&buf, (int64) r->days[i].day * USECS_PER_DAY);
		appendStringInfoString(&buf, ", \"amount\": ");
		eng_append_float8(&buf, r->days[i].amount);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "]}");
	return eng_json_result(&buf, jsonb);
}

ENG_JSON_CASTS(engagement_rfm, rfm_json)

/* unnest(rfm): the purchase days, (day timestamptz, amount double precision) */
PG_FUNCTION_INFO_V1(engagement_rfm_unnest);
Datum
engagement_rfm_unnest(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	RfmData    *r;

	InitMaterializedSRF(fcinfo, 0);
	r = rfm_getarg(fcinfo, 0);
	for (int i = 0; i < r->ndays; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		CHECK_FOR_INTERRUPTS();
		values[0] = TimestampTzGetDatum((int64) r->days[i].day * USECS_PER_DAY);
		values[1] = Float8GetDatum(r->days[i].amount);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
