/* engagement--1.0.sql: customer-engagement analytics */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION engagement" to load this file. \quit

--
-- Net Promoter Score
--

CREATE TYPE npsagg;

CREATE FUNCTION npsagg_in(cstring) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_npsagg_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION npsagg_out(npsagg) RETURNS cstring
	AS 'MODULE_PATHNAME', 'engagement_npsagg_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION npsagg_recv(internal) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_npsagg_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION npsagg_send(npsagg) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_npsagg_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE npsagg (
	INTERNALLENGTH = variable,
	INPUT = npsagg_in,
	OUTPUT = npsagg_out,
	RECEIVE = npsagg_recv,
	SEND = npsagg_send,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE npsagg IS 'Net Promoter Score state: response counts per category, with survey weights when weighted';

-- aggregate support functions (not meant to be called directly)

CREATE FUNCTION nps_trans(npsagg, integer) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_nps_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION nps_inv(npsagg, integer) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_nps_inv'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION nps_wtrans(npsagg, integer, double precision) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_nps_wtrans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION nps_combine(npsagg, npsagg) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_nps_combine'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION nps_rollup_trans(npsagg, npsagg) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_nps_rollup_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION nps_rollup_inv(npsagg, npsagg) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_nps_rollup_inv'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION nps_final(npsagg) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_nps_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION nps_agg_final(npsagg) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_nps_agg_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE nps(integer) (
	SFUNC = nps_trans,
	STYPE = npsagg,
	SSPACE = 64,
	FINALFUNC = nps_final,
	COMBINEFUNC = nps_combine,
	MSFUNC = nps_trans,
	MINVFUNC = nps_inv,
	MSTYPE = npsagg,
	MSSPACE = 64,
	MFINALFUNC = nps_final,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE nps(integer) IS 'Net Promoter Score (-100..100) of 0..10 answers';

CREATE AGGREGATE nps_agg(integer) (
	SFUNC = nps_trans,
	STYPE = npsagg,
	SSPACE = 64,
	FINALFUNC = nps_agg_final,
	COMBINEFUNC = nps_combine,
	MSFUNC = nps_trans,
	MINVFUNC = nps_inv,
	MSTYPE = npsagg,
	MSSPACE = 64,
	MFINALFUNC = nps_agg_final,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE nps_agg(integer) IS 'Net Promoter Score state of 0..10 answers';

CREATE AGGREGATE nps_agg(integer, double precision) (
	SFUNC = nps_wtrans,
	STYPE = npsagg,
	SSPACE = 64,
	FINALFUNC = nps_agg_final,
	COMBINEFUNC = nps_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE nps_agg(integer, double precision) IS 'Net Promoter Score state of 0..10 answers with survey weights';

CREATE AGGREGATE rollup(npsagg) (
	SFUNC = nps_rollup_trans,
	STYPE = npsagg,
	SSPACE = 64,
	FINALFUNC = nps_agg_final,
	COMBINEFUNC = nps_combine,
	MSFUNC = nps_rollup_trans,
	MINVFUNC = nps_rollup_inv,
	MSTYPE = npsagg,
	MSSPACE = 64,
	MFINALFUNC = nps_agg_final,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rollup(npsagg) IS 'merge Net Promoter Score states';

CREATE FUNCTION npsagg_add(npsagg, npsagg) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_npsagg_add'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR + (
	LEFTARG = npsagg,
	RIGHTARG = npsagg,
	FUNCTION = npsagg_add,
	COMMUTATOR = +
);

-- accessors

CREATE FUNCTION nps(npsagg) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_npsagg_nps'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION promoters(npsagg) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_npsagg_promoters'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION passives(npsagg) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_npsagg_passives'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION detractors(npsagg) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_npsagg_detractors'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION responses(npsagg) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_npsagg_responses'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION effective_responses(npsagg) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_npsagg_effective_responses'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION nps_stderr(npsagg) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_npsagg_stderr'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION nps_margin(npsagg, confidence double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_npsagg_margin'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION nps_lower(npsagg, confidence double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_npsagg_lower'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION nps_upper(npsagg, confidence double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_npsagg_upper'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION nps_compare(a npsagg, b npsagg,
							OUT difference double precision,
							OUT z double precision,
							OUT p_value double precision)
	AS 'MODULE_PATHNAME', 'engagement_nps_compare'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
