/*-------------------------------------------------------------------------
 *
 * state.c
 *	  The skeleton every state type of the extension is built on: where a
 *	  value comes from and the SQLSTATE of a bad one, format-version checks
 *	  for stored, text and binary forms, a bounded reader of counted records,
 *	  the aggregate support functions of in-memory working states (state
 *	  creation, combine, serial, deserial, rollup, final and the + operator),
 *	  written once and driven by a table of per-type operations, equality,
 *	  hashing and ordering of stored states, and the JSON result helpers.
 *
 * IDENTIFICATION
 *	  src/state.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/regproc.h"

int
eng_source_errcode(EngSource src)
{
	switch (src)
	{
		case ENG_TEXT:
			return ERRCODE_INVALID_TEXT_REPRESENTATION;
		case ENG_BINARY:
			return ERRCODE_INVALID_BINARY_REPRESENTATION;
		case ENG_STORED:
			break;
	}
	return ERRCODE_DATA_CORRUPTED;
}

void
eng_init_header(EngStateHeader *hdr, Size size, uint8 version, uint8 flags)
{
	SET_VARSIZE(hdr, size);
	hdr->version = version;
	hdr->flags = flags;
	hdr->reserved = 0;
}

void
eng_check_state(const EngStateHeader *hdr, Size min_size, uint8 version,
				uint8 valid_flags, const char *typname, EngSource src)
{
	if (VARSIZE(hdr) < min_size)
		ereport(ERROR,
				errcode(eng_source_errcode(src)),
				errmsg("invalid %s value: wrong length %u", typname,
					   (unsigned) VARSIZE(hdr)),
				errdetail("Expected at least %u bytes.", (unsigned) min_size));
	eng_check_version(hdr->version, version, typname, src);
	if ((hdr->flags & ~valid_flags) != 0 || hdr->reserved != 0)
		ereport(ERROR,
				errcode(eng_source_errcode(src)),
				errmsg("invalid %s value: unknown flag bits", typname));
}

void
eng_check_header(const EngStateHeader *hdr, Size expected_size,
				 uint8 version, uint8 valid_flags, const char *typname,
				 EngSource src)
{
	if (VARSIZE(hdr) != expected_size)
		ereport(ERROR,
				errcode(eng_source_errcode(src)),
				errmsg("invalid %s value: wrong length %u", typname,
					   (unsigned) VARSIZE(hdr)),
				errdetail("Expected %u bytes.", (unsigned) expected_size));
	eng_check_state(hdr, expected_size, version, valid_flags, typname, src);
}

void
eng_check_version(int64 version, int expected, const char *typname,
				  EngSource src)
{
	eng_check_versions(version, expected, expected, typname, src);
}

void
eng_check_versions(int64 version, int oldest, int newest,
				   const char *typname, EngSource src)
{
	if (version >= oldest && version <= newest)
		return;
	if (oldest == newest)
		ereport(ERROR,
				errcode(eng_source_errcode(src)),
				errmsg("unsupported %s format version " INT64_FORMAT,
					   typname, version),
				errdetail("This version of the extension reads format version %d.",
						  oldest));
	ereport(ERROR,
			errcode(eng_source_errcode(src)),
			errmsg("unsupported %s format version " INT64_FORMAT,
				   typname, version),
			errdetail("This version of the extension reads format versions %d to %d.",
					  oldest, newest));
}

void
eng_cursor_begin(EngTextCursor *c, const char *input, const char *typname,
				 int version)
{
	eng_cursor_init(c, input, typname);
	eng_cursor_expect(c, '(');
	eng_cursor_expect_key(c, "v");
	eng_check_version(eng_cursor_int64(c), version, typname, ENG_TEXT);
}

void
eng_recv_version(StringInfo buf, int version, const char *typname)
{
	eng_check_version(pq_getmsgbyte(buf), version, typname, ENG_BINARY);
}

int32
eng_recv_count(StringInfo buf, const EngRecordCount *rc, EngSource src)
{
	int32		n = (int32) pq_getmsgint(buf, 4);
	Size		left = (Size) (buf->len - buf->cursor);

	if (n > rc->max && rc->over_max != NULL)
		rc->over_max(n);
	if (n < rc->min || n > rc->max)
		ereport(ERROR,
				errcode(eng_source_errcode(src)),
				errmsg("invalid %s value", rc->typname),
				errdetail("The number of %s, %d, is not between %d and %d.",
						  rc->what, n, rc->min, rc->max));
	/* max * record_size is far below SIZE_MAX: no overflow */
	if (rc->exact ? (Size) n * rc->record_size != left :
		(Size) n * rc->record_size > left)
		ereport(ERROR,
				errcode(eng_source_errcode(src)),
				errmsg("invalid %s value", rc->typname),
				errdetail("The number of %s does not match the data.", rc->what));
	return n;
}

void
eng_recv_end(StringInfo buf, const char *typname, EngSource src)
{
	if (buf->cursor != buf->len)
		ereport(ERROR,
				errcode(eng_source_errcode(src)),
				errmsg("invalid %s value", typname),
				errdetail("%d bytes follow the end of the value.",
						  buf->len - buf->cursor));
}

MemoryContext
eng_agg_context_of(FunctionCallInfo fcinfo, const char *cfunc)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		ereport(ERROR,
				errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				errmsg("%s called in non-aggregate context",
					   fcinfo->flinfo != NULL && OidIsValid(fcinfo->flinfo->fn_oid) ?
					   format_procedure(fcinfo->flinfo->fn_oid) : cfunc));
	return aggcontext;
}

/*
 * Argument 0 of an aggregate support function, a by-reference state of a
 * real type, ready to be updated in place: normally the plain value the
 * aggregate already owns; anything else (a short header after a trip
 * through a tuple) is copied into the aggregate context.
 */
static void *
eng_state_for_update(FunctionCallInfo fcinfo, MemoryContext aggcontext)
{
	struct varlena *raw = (struct varlena *) PG_GETARG_POINTER(0);
	MemoryContext old;
	void	   *st;

	if (!VARATT_IS_EXTENDED(raw))
		return raw;
	old = MemoryContextSwitchTo(aggcontext);
	st = PG_DETOAST_DATUM_COPY(PointerGetDatum(raw));
	MemoryContextSwitchTo(old);
	return st;
}

void *
eng_fixed_state_arg(FunctionCallInfo fcinfo, Size size, EngStateGetter getarg,
					MemoryContext *cxt)
{
	void	   *copy;

	if (AggCheckCallContext(fcinfo, cxt))
		return PG_ARGISNULL(0) ? NULL : eng_state_for_update(fcinfo, *cxt);
	*cxt = CurrentMemoryContext;
	if (PG_ARGISNULL(0))
		return NULL;
	copy = palloc(size);
	memcpy(copy, getarg(fcinfo, 0), size);
	return copy;
}

/*
 * In-memory working states
 */
static void *
eng_build_new(const EngBuildOps *ops, MemoryContext cxt)
{
	void	   *state = MemoryContextAllocZero(cxt, ops->size);

	if (ops->init != NULL)
		ops->init(state, cxt);
	return state;
}

void *
eng_build_arg(FunctionCallInfo fcinfo, const EngBuildOps *ops,
			  MemoryContext *aggcontext)
{
	*aggcontext = eng_agg_context(fcinfo);
	if (!PG_ARGISNULL(0))
		return PG_GETARG_POINTER(0);
	return eng_build_new(ops, *aggcontext);
}

Datum
eng_build_combine(FunctionCallInfo fcinfo, const EngBuildOps *ops)
{
	MemoryContext aggcontext = eng_agg_context(fcinfo);
	void	   *dst = PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0);
	void	   *src = PG_ARGISNULL(1) ? NULL : PG_GETARG_POINTER(1);

	if (src == NULL || (ops->empty != NULL && ops->empty(src)))
	{
		if (dst == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(dst);
	}
	if (dst == NULL)
		dst = eng_build_new(ops, aggcontext);
	ops->merge(dst, src, aggcontext);
	PG_RETURN_POINTER(dst);
}

Datum
eng_build_serial(FunctionCallInfo fcinfo, const EngBuildOps *ops)
{
	StringInfoData buf;

	eng_agg_context(fcinfo);
	pq_begintypsend(&buf);
	ops->serialize(&buf, PG_GETARG_POINTER(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* a serial form (bytea) read with the pq_getmsg functions */
static void
eng_bytea_reader(StringInfo buf, bytea *raw)
{
	buf->data = VARDATA_ANY(raw);
	buf->len = VARSIZE_ANY_EXHDR(raw);
	buf->maxlen = buf->len;
	buf->cursor = 0;
}

Datum
eng_build_deserial(FunctionCallInfo fcinfo, const EngBuildOps *ops)
{
	bytea	   *raw = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	void	   *state;

	eng_agg_context(fcinfo);
	eng_bytea_reader(&buf, raw);
	state = eng_build_new(ops, CurrentMemoryContext);
	ops->deserialize(&buf, state, CurrentMemoryContext);
	eng_recv_end(&buf, ops->typname, ENG_STORED);
	PG_RETURN_POINTER(state);
}

Datum
eng_build_rollup_trans(FunctionCallInfo fcinfo, const EngBuildOps *ops)
{
	MemoryContext aggcontext;
	void	   *state = eng_build_arg(fcinfo, ops, &aggcontext);

	if (!PG_ARGISNULL(1))
		ops->add_arg(state, fcinfo, 1, aggcontext);
	PG_RETURN_POINTER(state);
}

Datum
eng_build_add(FunctionCallInfo fcinfo, const EngBuildOps *ops)
{
	void	   *state = eng_build_new(ops, CurrentMemoryContext);

	ops->add_arg(state, fcinfo, 0, CurrentMemoryContext);
	ops->add_arg(state, fcinfo, 1, CurrentMemoryContext);
	return ops->finish(state);
}

Datum
eng_build_final(FunctionCallInfo fcinfo, const EngBuildOps *ops)
{
	void	   *state;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = PG_GETARG_POINTER(0);
	if (ops->empty != NULL && ops->empty(state))
		PG_RETURN_NULL();
	return ops->finish(state);
}

/*
 * Equality and order of stored states.  Every state type stores one
 * canonical form (what its input function builds from its text, and what its
 * aggregates build), so two states are equal exactly when their bytes are,
 * which is when they print the same.  The order compares the bytes, then the
 * lengths: a consistent total order that lets DISTINCT, GROUP BY, UNION and
 * sort-based plans work, and carries no meaning.
 */
static int
eng_state_compare(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	struct varlena *b = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(1));
	Size		la = VARSIZE_ANY_EXHDR(a);
	Size		lb = VARSIZE_ANY_EXHDR(b);
	int			c = memcmp(VARDATA_ANY(a), VARDATA_ANY(b), Min(la, lb));

	if (c == 0)
		c = (la > lb) - (la < lb);
	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	return c;
}

PG_FUNCTION_INFO_V1(engagement_state_eq);
Datum
engagement_state_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(eng_state_compare(fcinfo) == 0);
}

PG_FUNCTION_INFO_V1(engagement_state_ne);
Datum
engagement_state_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(eng_state_compare(fcinfo) != 0);
}

PG_FUNCTION_INFO_V1(engagement_state_lt);
Datum
engagement_state_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(eng_state_compare(fcinfo) < 0);
}

PG_FUNCTION_INFO_V1(engagement_state_le);
Datum
engagement_state_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(eng_state_compare(fcinfo) <= 0);
}

PG_FUNCTION_INFO_V1(engagement_state_gt);
Datum
engagement_state_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(eng_state_compare(fcinfo) > 0);
}

PG_FUNCTION_INFO_V1(engagement_state_ge);
Datum
engagement_state_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(eng_state_compare(fcinfo) >= 0);
}

PG_FUNCTION_INFO_V1(engagement_state_cmp);
Datum
engagement_state_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(eng_state_compare(fcinfo));
}

/* hashes of the bytes that equality compares */
PG_FUNCTION_INFO_V1(engagement_state_hash);
Datum
engagement_state_hash(PG_FUNCTION_ARGS)
{
	struct varlena *a = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	Datum		h = hash_any((const unsigned char *) VARDATA_ANY(a),
							 VARSIZE_ANY_EXHDR(a));

	PG_FREE_IF_COPY(a, 0);
	return h;
}

PG_FUNCTION_INFO_V1(engagement_state_hash_extended);
Datum
engagement_state_hash_extended(PG_FUNCTION_ARGS)
{
	struct varlena *a = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	Datum		h = hash_any_extended((const unsigned char *) VARDATA_ANY(a),
									  VARSIZE_ANY_EXHDR(a), PG_GETARG_INT64(1));

	PG_FREE_IF_COPY(a, 0);
	return h;
}

/*
 * JSON forms
 */
void
eng_json_timestamp(StringInfo buf, int64 ts)
{
	appendStringInfoChar(buf, '"');
	eng_append_timestamp(buf, ts);
	appendStringInfoChar(buf, '"');
}

Datum
eng_json_result(StringInfo buf, bool jsonb)
{
	if (jsonb)
		return DirectFunctionCall1(jsonb_in, CStringGetDatum(buf->data));
	PG_RETURN_TEXT_P(cstring_to_text_with_len(buf->data, buf->len));
}
