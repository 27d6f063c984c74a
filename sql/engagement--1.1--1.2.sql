/* engagement 1.1 -> 1.2 */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION engagement UPDATE TO '1.2'" to load this file. \quit

/*
 * One naming rule (docs/naming.md): <thing>_agg builds a state whose type
 * is <thing> or <thing>_<noun>; accessors take the state first and carry no
 * type prefix, the same name meaning the same thing on every type; an
 * aggregate that returns a number is named after the number; rollup()
 * merges states in a query and + merges two of them.
 *
 * Every change is a rename: stored values, views, indexes and functions
 * that use these objects refer to them by OID and keep working (their
 * definitions show the new names).  No C symbol changes, so the 1.0 and 1.1
 * scripts still create their functions from this library.
 */

-- the NPS state: a type name without "agg"
ALTER TYPE npsagg RENAME TO nps_summary;
ALTER FUNCTION npsagg_in(cstring) RENAME TO nps_summary_in;
ALTER FUNCTION npsagg_out(nps_summary) RENAME TO nps_summary_out;
ALTER FUNCTION npsagg_recv(internal) RENAME TO nps_summary_recv;
ALTER FUNCTION npsagg_send(nps_summary) RENAME TO nps_summary_send;
ALTER FUNCTION npsagg_add(nps_summary, nps_summary) RENAME TO nps_summary_add;
ALTER FUNCTION nps_wtrans(nps_summary, integer, double precision) RENAME TO nps_trans;

-- NPS accessors
ALTER FUNCTION nps_stderr(nps_summary) RENAME TO std_error;
ALTER FUNCTION nps_margin(nps_summary, double precision) RENAME TO margin_of_error;
ALTER FUNCTION nps_lower(nps_summary, double precision) RENAME TO lower_bound;
ALTER FUNCTION nps_upper(nps_summary, double precision) RENAME TO upper_bound;

-- an aggregate that returns a number is named after it
ALTER AGGREGATE crv_agg(anyelement, boolean, double precision, double precision,
						double precision, double precision) RENAME TO crv;
ALTER AGGREGATE crv_agg(anyelement, boolean, double precision, double precision,
						double precision, double precision, double precision) RENAME TO crv;
ALTER FUNCTION pv_trans(double precision, double precision, timestamp with time zone,
						timestamp with time zone, double precision, interval)
	RENAME TO present_value_trans;
ALTER FUNCTION pv_trans_year(double precision, double precision, timestamp with time zone,
							 timestamp with time zone, double precision)
	RENAME TO present_value_trans;

-- accessors without a type prefix
ALTER FUNCTION funnel_steps(funnel) RENAME TO steps;
ALTER FUNCTION engagement_score(engagement, timestamp with time zone, double precision[],
								double precision) RENAME TO score;
ALTER FUNCTION engagement_explain(engagement, timestamp with time zone, double precision[],
								  double precision) RENAME TO score_factors;
ALTER FUNCTION community_health_index(community_health, interval, community_health,
									  double precision) RENAME TO health_index;
ALTER FUNCTION bgnbd_log_likelihood(bgnbd, double precision, double precision,
									double precision) RENAME TO log_likelihood;
ALTER FUNCTION bgnbd_expected(bgnbd, double precision) RENAME TO expected_purchases;
ALTER FUNCTION bgnbd_expected(bgnbd, double precision, double precision, double precision,
							  double precision) RENAME TO expected_purchases;
ALTER FUNCTION bgnbd_p_alive(bgnbd, double precision, double precision, double precision)
	RENAME TO p_alive;
ALTER FUNCTION bgnbd_probability(bgnbd, double precision, double precision)
	RENAME TO purchase_probability;
ALTER FUNCTION gammagamma_expected_spend(gammagamma) RENAME TO expected_spend;
ALTER FUNCTION gammagamma_expected_spend(gammagamma, double precision, double precision)
	RENAME TO expected_spend;
ALTER FUNCTION gammagamma_log_likelihood(gammagamma, double precision, double precision)
	RENAME TO log_likelihood;

-- + merges two states of every type that merges (nps_summary has it since 1.0)
CREATE FUNCTION engagement_add(engagement, engagement) RETURNS engagement
	AS 'MODULE_PATHNAME', 'engagement_engagement_add'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR + (LEFTARG = engagement, RIGHTARG = engagement,
				   FUNCTION = engagement_add, COMMUTATOR = +);

CREATE FUNCTION rfm_add(rfm, rfm) RETURNS rfm
	AS 'MODULE_PATHNAME', 'engagement_rfm_add'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR + (LEFTARG = rfm, RIGHTARG = rfm, FUNCTION = rfm_add, COMMUTATOR = +);

CREATE FUNCTION funnel_add(funnel, funnel) RETURNS funnel
	AS 'MODULE_PATHNAME', 'engagement_funnel_add'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR + (LEFTARG = funnel, RIGHTARG = funnel, FUNCTION = funnel_add, COMMUTATOR = +);

CREATE FUNCTION community_health_add(community_health, community_health)
	RETURNS community_health
	AS 'MODULE_PATHNAME', 'engagement_community_health_add'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR + (LEFTARG = community_health, RIGHTARG = community_health,
				   FUNCTION = community_health_add, COMMUTATOR = +);

/*
 * Equality, hashing and a btree order for every state type (issue 18): a
 * state's stored form is canonical, so two states are equal when they print
 * the same.  The order is consistent and total, so DISTINCT, GROUP BY, UNION,
 * count(DISTINCT), ORDER BY, sort and hash plans work, and means nothing (as
 * for hstore).  One C function each serves every type.
 */

-- nps_summary
CREATE FUNCTION nps_summary_eq(nps_summary, nps_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_summary_ne(nps_summary, nps_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_summary_lt(nps_summary, nps_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_summary_le(nps_summary, nps_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_summary_gt(nps_summary, nps_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_summary_ge(nps_summary, nps_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_summary_cmp(nps_summary, nps_summary) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_summary_hash(nps_summary) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_summary_hash_extended(nps_summary, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_state_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (LEFTARG = nps_summary, RIGHTARG = nps_summary, FUNCTION = nps_summary_eq, COMMUTATOR = =,
				   NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = nps_summary, RIGHTARG = nps_summary, FUNCTION = nps_summary_ne, COMMUTATOR = <>,
					NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = nps_summary, RIGHTARG = nps_summary, FUNCTION = nps_summary_lt, COMMUTATOR = >,
				   NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = nps_summary, RIGHTARG = nps_summary, FUNCTION = nps_summary_le, COMMUTATOR = >=,
				   NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = nps_summary, RIGHTARG = nps_summary, FUNCTION = nps_summary_gt, COMMUTATOR = <,
				   NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = nps_summary, RIGHTARG = nps_summary, FUNCTION = nps_summary_ge, COMMUTATOR = <=,
				   NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS nps_summary_ops DEFAULT FOR TYPE nps_summary USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 nps_summary_cmp(nps_summary, nps_summary);
CREATE OPERATOR CLASS nps_summary_hash_ops DEFAULT FOR TYPE nps_summary USING hash AS
	OPERATOR 1 =, FUNCTION 1 nps_summary_hash(nps_summary), FUNCTION 2 nps_summary_hash_extended(nps_summary, bigint);

-- journey
CREATE FUNCTION journey_eq(journey, journey) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_ne(journey, journey) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_lt(journey, journey) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_le(journey, journey) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_gt(journey, journey) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_ge(journey, journey) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_cmp(journey, journey) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_hash(journey) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_hash_extended(journey, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_state_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (LEFTARG = journey, RIGHTARG = journey, FUNCTION = journey_eq, COMMUTATOR = =,
				   NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = journey, RIGHTARG = journey, FUNCTION = journey_ne, COMMUTATOR = <>,
					NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = journey, RIGHTARG = journey, FUNCTION = journey_lt, COMMUTATOR = >,
				   NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = journey, RIGHTARG = journey, FUNCTION = journey_le, COMMUTATOR = >=,
				   NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = journey, RIGHTARG = journey, FUNCTION = journey_gt, COMMUTATOR = <,
				   NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = journey, RIGHTARG = journey, FUNCTION = journey_ge, COMMUTATOR = <=,
				   NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS journey_ops DEFAULT FOR TYPE journey USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 journey_cmp(journey, journey);
CREATE OPERATOR CLASS journey_hash_ops DEFAULT FOR TYPE journey USING hash AS
	OPERATOR 1 =, FUNCTION 1 journey_hash(journey), FUNCTION 2 journey_hash_extended(journey, bigint);

-- funnel
CREATE FUNCTION funnel_eq(funnel, funnel) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_ne(funnel, funnel) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_lt(funnel, funnel) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_le(funnel, funnel) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_gt(funnel, funnel) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_ge(funnel, funnel) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_cmp(funnel, funnel) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_hash(funnel) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_hash_extended(funnel, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_state_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (LEFTARG = funnel, RIGHTARG = funnel, FUNCTION = funnel_eq, COMMUTATOR = =,
				   NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = funnel, RIGHTARG = funnel, FUNCTION = funnel_ne, COMMUTATOR = <>,
					NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = funnel, RIGHTARG = funnel, FUNCTION = funnel_lt, COMMUTATOR = >,
				   NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = funnel, RIGHTARG = funnel, FUNCTION = funnel_le, COMMUTATOR = >=,
				   NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = funnel, RIGHTARG = funnel, FUNCTION = funnel_gt, COMMUTATOR = <,
				   NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = funnel, RIGHTARG = funnel, FUNCTION = funnel_ge, COMMUTATOR = <=,
				   NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS funnel_ops DEFAULT FOR TYPE funnel USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 funnel_cmp(funnel, funnel);
CREATE OPERATOR CLASS funnel_hash_ops DEFAULT FOR TYPE funnel USING hash AS
	OPERATOR 1 =, FUNCTION 1 funnel_hash(funnel), FUNCTION 2 funnel_hash_extended(funnel, bigint);

-- markov_model
CREATE FUNCTION markov_model_eq(markov_model, markov_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION markov_model_ne(markov_model, markov_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION markov_model_lt(markov_model, markov_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION markov_model_le(markov_model, markov_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION markov_model_gt(markov_model, markov_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION markov_model_ge(markov_model, markov_model) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION markov_model_cmp(markov_model, markov_model) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION markov_model_hash(markov_model) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION markov_model_hash_extended(markov_model, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_state_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (LEFTARG = markov_model, RIGHTARG = markov_model, FUNCTION = markov_model_eq, COMMUTATOR = =,
				   NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = markov_model, RIGHTARG = markov_model, FUNCTION = markov_model_ne, COMMUTATOR = <>,
					NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = markov_model, RIGHTARG = markov_model, FUNCTION = markov_model_lt, COMMUTATOR = >,
				   NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = markov_model, RIGHTARG = markov_model, FUNCTION = markov_model_le, COMMUTATOR = >=,
				   NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = markov_model, RIGHTARG = markov_model, FUNCTION = markov_model_gt, COMMUTATOR = <,
				   NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = markov_model, RIGHTARG = markov_model, FUNCTION = markov_model_ge, COMMUTATOR = <=,
				   NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS markov_model_ops DEFAULT FOR TYPE markov_model USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 markov_model_cmp(markov_model, markov_model);
CREATE OPERATOR CLASS markov_model_hash_ops DEFAULT FOR TYPE markov_model USING hash AS
	OPERATOR 1 =, FUNCTION 1 markov_model_hash(markov_model), FUNCTION 2 markov_model_hash_extended(markov_model, bigint);

-- engagement
CREATE FUNCTION engagement_eq(engagement, engagement) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_ne(engagement, engagement) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_lt(engagement, engagement) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_le(engagement, engagement) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_gt(engagement, engagement) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_ge(engagement, engagement) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_cmp(engagement, engagement) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_hash(engagement) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_hash_extended(engagement, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_state_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (LEFTARG = engagement, RIGHTARG = engagement, FUNCTION = engagement_eq, COMMUTATOR = =,
				   NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = engagement, RIGHTARG = engagement, FUNCTION = engagement_ne, COMMUTATOR = <>,
					NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = engagement, RIGHTARG = engagement, FUNCTION = engagement_lt, COMMUTATOR = >,
				   NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = engagement, RIGHTARG = engagement, FUNCTION = engagement_le, COMMUTATOR = >=,
				   NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = engagement, RIGHTARG = engagement, FUNCTION = engagement_gt, COMMUTATOR = <,
				   NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = engagement, RIGHTARG = engagement, FUNCTION = engagement_ge, COMMUTATOR = <=,
				   NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS engagement_ops DEFAULT FOR TYPE engagement USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 engagement_cmp(engagement, engagement);
CREATE OPERATOR CLASS engagement_hash_ops DEFAULT FOR TYPE engagement USING hash AS
	OPERATOR 1 =, FUNCTION 1 engagement_hash(engagement), FUNCTION 2 engagement_hash_extended(engagement, bigint);

-- rfm
CREATE FUNCTION rfm_eq(rfm, rfm) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_ne(rfm, rfm) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_lt(rfm, rfm) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_le(rfm, rfm) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_gt(rfm, rfm) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_ge(rfm, rfm) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_cmp(rfm, rfm) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_hash(rfm) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_hash_extended(rfm, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_state_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (LEFTARG = rfm, RIGHTARG = rfm, FUNCTION = rfm_eq, COMMUTATOR = =,
				   NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = rfm, RIGHTARG = rfm, FUNCTION = rfm_ne, COMMUTATOR = <>,
					NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = rfm, RIGHTARG = rfm, FUNCTION = rfm_lt, COMMUTATOR = >,
				   NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = rfm, RIGHTARG = rfm, FUNCTION = rfm_le, COMMUTATOR = >=,
				   NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = rfm, RIGHTARG = rfm, FUNCTION = rfm_gt, COMMUTATOR = <,
				   NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = rfm, RIGHTARG = rfm, FUNCTION = rfm_ge, COMMUTATOR = <=,
				   NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS rfm_ops DEFAULT FOR TYPE rfm USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 rfm_cmp(rfm, rfm);
CREATE OPERATOR CLASS rfm_hash_ops DEFAULT FOR TYPE rfm USING hash AS
	OPERATOR 1 =, FUNCTION 1 rfm_hash(rfm), FUNCTION 2 rfm_hash_extended(rfm, bigint);

-- bgnbd
CREATE FUNCTION bgnbd_eq(bgnbd, bgnbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_ne(bgnbd, bgnbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_lt(bgnbd, bgnbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_le(bgnbd, bgnbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_gt(bgnbd, bgnbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_ge(bgnbd, bgnbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_cmp(bgnbd, bgnbd) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_hash(bgnbd) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_hash_extended(bgnbd, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_state_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (LEFTARG = bgnbd, RIGHTARG = bgnbd, FUNCTION = bgnbd_eq, COMMUTATOR = =,
				   NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = bgnbd, RIGHTARG = bgnbd, FUNCTION = bgnbd_ne, COMMUTATOR = <>,
					NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = bgnbd, RIGHTARG = bgnbd, FUNCTION = bgnbd_lt, COMMUTATOR = >,
				   NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = bgnbd, RIGHTARG = bgnbd, FUNCTION = bgnbd_le, COMMUTATOR = >=,
				   NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = bgnbd, RIGHTARG = bgnbd, FUNCTION = bgnbd_gt, COMMUTATOR = <,
				   NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = bgnbd, RIGHTARG = bgnbd, FUNCTION = bgnbd_ge, COMMUTATOR = <=,
				   NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS bgnbd_ops DEFAULT FOR TYPE bgnbd USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 bgnbd_cmp(bgnbd, bgnbd);
CREATE OPERATOR CLASS bgnbd_hash_ops DEFAULT FOR TYPE bgnbd USING hash AS
	OPERATOR 1 =, FUNCTION 1 bgnbd_hash(bgnbd), FUNCTION 2 bgnbd_hash_extended(bgnbd, bigint);

-- gammagamma
CREATE FUNCTION gammagamma_eq(gammagamma, gammagamma) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gammagamma_ne(gammagamma, gammagamma) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gammagamma_lt(gammagamma, gammagamma) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gammagamma_le(gammagamma, gammagamma) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gammagamma_gt(gammagamma, gammagamma) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gammagamma_ge(gammagamma, gammagamma) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gammagamma_cmp(gammagamma, gammagamma) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gammagamma_hash(gammagamma) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gammagamma_hash_extended(gammagamma, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_state_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (LEFTARG = gammagamma, RIGHTARG = gammagamma, FUNCTION = gammagamma_eq, COMMUTATOR = =,
				   NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = gammagamma, RIGHTARG = gammagamma, FUNCTION = gammagamma_ne, COMMUTATOR = <>,
					NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = gammagamma, RIGHTARG = gammagamma, FUNCTION = gammagamma_lt, COMMUTATOR = >,
				   NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = gammagamma, RIGHTARG = gammagamma, FUNCTION = gammagamma_le, COMMUTATOR = >=,
				   NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = gammagamma, RIGHTARG = gammagamma, FUNCTION = gammagamma_gt, COMMUTATOR = <,
				   NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = gammagamma, RIGHTARG = gammagamma, FUNCTION = gammagamma_ge, COMMUTATOR = <=,
				   NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS gammagamma_ops DEFAULT FOR TYPE gammagamma USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 gammagamma_cmp(gammagamma, gammagamma);
CREATE OPERATOR CLASS gammagamma_hash_ops DEFAULT FOR TYPE gammagamma USING hash AS
	OPERATOR 1 =, FUNCTION 1 gammagamma_hash(gammagamma), FUNCTION 2 gammagamma_hash_extended(gammagamma, bigint);

-- community_health
CREATE FUNCTION community_health_eq(community_health, community_health) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION community_health_ne(community_health, community_health) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION community_health_lt(community_health, community_health) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION community_health_le(community_health, community_health) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION community_health_gt(community_health, community_health) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION community_health_ge(community_health, community_health) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION community_health_cmp(community_health, community_health) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION community_health_hash(community_health) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION community_health_hash_extended(community_health, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_state_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (LEFTARG = community_health, RIGHTARG = community_health, FUNCTION = community_health_eq, COMMUTATOR = =,
				   NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = community_health, RIGHTARG = community_health, FUNCTION = community_health_ne, COMMUTATOR = <>,
					NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = community_health, RIGHTARG = community_health, FUNCTION = community_health_lt, COMMUTATOR = >,
				   NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = community_health, RIGHTARG = community_health, FUNCTION = community_health_le, COMMUTATOR = >=,
				   NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = community_health, RIGHTARG = community_health, FUNCTION = community_health_gt, COMMUTATOR = <,
				   NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = community_health, RIGHTARG = community_health, FUNCTION = community_health_ge, COMMUTATOR = <=,
				   NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS community_health_ops DEFAULT FOR TYPE community_health USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 community_health_cmp(community_health, community_health);
CREATE OPERATOR CLASS community_health_hash_ops DEFAULT FOR TYPE community_health USING hash AS
	OPERATOR 1 =, FUNCTION 1 community_health_hash(community_health), FUNCTION 2 community_health_hash_extended(community_health, bigint);

/*
 * NPS of smallint, bigint and numeric scores (issue 18): CSV imports and
 * numeric columns give these types; scores are whole numbers 0..10 whatever
 * the type (22003 otherwise).  All four integer-like types are given, so that
 * a smallint argument is not ambiguous between the other three.
 */
CREATE FUNCTION nps_trans(nps_summary, smallint) RETURNS nps_summary
	AS 'MODULE_PATHNAME', 'engagement_nps_trans_int2'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION nps_inv(nps_summary, smallint) RETURNS nps_summary
	AS 'MODULE_PATHNAME', 'engagement_nps_inv_int2'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION nps_trans(nps_summary, smallint, double precision) RETURNS nps_summary
	AS 'MODULE_PATHNAME', 'engagement_nps_wtrans_int2'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE nps(smallint) (
	SFUNC = nps_trans, STYPE = nps_summary, SSPACE = 64, FINALFUNC = nps_final,
	COMBINEFUNC = nps_combine, MSFUNC = nps_trans, MINVFUNC = nps_inv, MSTYPE = nps_summary,
	MSSPACE = 64, MFINALFUNC = nps_final, PARALLEL = SAFE
);
CREATE AGGREGATE nps_agg(smallint) (
	SFUNC = nps_trans, STYPE = nps_summary, SSPACE = 64, FINALFUNC = nps_agg_final,
	COMBINEFUNC = nps_combine, MSFUNC = nps_trans, MINVFUNC = nps_inv, MSTYPE = nps_summary,
	MSSPACE = 64, MFINALFUNC = nps_agg_final, PARALLEL = SAFE
);
CREATE AGGREGATE nps_agg(smallint, double precision) (
	SFUNC = nps_trans, STYPE = nps_summary, SSPACE = 64, FINALFUNC = nps_agg_final,
	COMBINEFUNC = nps_combine, PARALLEL = SAFE
);
CREATE FUNCTION nps_trans(nps_summary, bigint) RETURNS nps_summary
	AS 'MODULE_PATHNAME', 'engagement_nps_trans_int8'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION nps_inv(nps_summary, bigint) RETURNS nps_summary
	AS 'MODULE_PATHNAME', 'engagement_nps_inv_int8'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION nps_trans(nps_summary, bigint, double precision) RETURNS nps_summary
	AS 'MODULE_PATHNAME', 'engagement_nps_wtrans_int8'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE nps(bigint) (
	SFUNC = nps_trans, STYPE = nps_summary, SSPACE = 64, FINALFUNC = nps_final,
	COMBINEFUNC = nps_combine, MSFUNC = nps_trans, MINVFUNC = nps_inv, MSTYPE = nps_summary,
	MSSPACE = 64, MFINALFUNC = nps_final, PARALLEL = SAFE
);
CREATE AGGREGATE nps_agg(bigint) (
	SFUNC = nps_trans, STYPE = nps_summary, SSPACE = 64, FINALFUNC = nps_agg_final,
	COMBINEFUNC = nps_combine, MSFUNC = nps_trans, MINVFUNC = nps_inv, MSTYPE = nps_summary,
	MSSPACE = 64, MFINALFUNC = nps_agg_final, PARALLEL = SAFE
);
CREATE AGGREGATE nps_agg(bigint, double precision) (
	SFUNC = nps_trans, STYPE = nps_summary, SSPACE = 64, FINALFUNC = nps_agg_final,
	COMBINEFUNC = nps_combine, PARALLEL = SAFE
);
CREATE FUNCTION nps_trans(nps_summary, numeric) RETURNS nps_summary
	AS 'MODULE_PATHNAME', 'engagement_nps_trans_numeric'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION nps_inv(nps_summary, numeric) RETURNS nps_summary
	AS 'MODULE_PATHNAME', 'engagement_nps_inv_numeric'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION nps_trans(nps_summary, numeric, double precision) RETURNS nps_summary
	AS 'MODULE_PATHNAME', 'engagement_nps_wtrans_numeric'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE nps(numeric) (
	SFUNC = nps_trans, STYPE = nps_summary, SSPACE = 64, FINALFUNC = nps_final,
	COMBINEFUNC = nps_combine, MSFUNC = nps_trans, MINVFUNC = nps_inv, MSTYPE = nps_summary,
	MSSPACE = 64, MFINALFUNC = nps_final, PARALLEL = SAFE
);
CREATE AGGREGATE nps_agg(numeric) (
	SFUNC = nps_trans, STYPE = nps_summary, SSPACE = 64, FINALFUNC = nps_agg_final,
	COMBINEFUNC = nps_combine, MSFUNC = nps_trans, MINVFUNC = nps_inv, MSTYPE = nps_summary,
	MSSPACE = 64, MFINALFUNC = nps_agg_final, PARALLEL = SAFE
);
CREATE AGGREGATE nps_agg(numeric, double precision) (
	SFUNC = nps_trans, STYPE = nps_summary, SSPACE = 64, FINALFUNC = nps_agg_final,
	COMBINEFUNC = nps_combine, PARALLEL = SAFE
);

/*
 * JSON forms (issue 18): casts to json and jsonb expose every component of a
 * state under documented keys (docs: "JSON form" of each type), so that
 * to_json(row) of a view includes them and BI tools and notebooks read them.
 */
CREATE FUNCTION nps_summary_json(nps_summary) RETURNS json
	AS 'MODULE_PATHNAME', 'engagement_nps_summary_json'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (nps_summary AS json) WITH FUNCTION nps_summary_json(nps_summary);
CREATE FUNCTION nps_summary_jsonb(nps_summary) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'engagement_nps_summary_jsonb'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (nps_summary AS jsonb) WITH FUNCTION nps_summary_jsonb(nps_summary);
CREATE FUNCTION rfm_json(rfm) RETURNS json
	AS 'MODULE_PATHNAME', 'engagement_rfm_json'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (rfm AS json) WITH FUNCTION rfm_json(rfm);
CREATE FUNCTION rfm_jsonb(rfm) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'engagement_rfm_jsonb'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (rfm AS jsonb) WITH FUNCTION rfm_jsonb(rfm);
CREATE FUNCTION engagement_json(engagement) RETURNS json
	AS 'MODULE_PATHNAME', 'engagement_engagement_json'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (engagement AS json) WITH FUNCTION engagement_json(engagement);
CREATE FUNCTION engagement_jsonb(engagement) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'engagement_engagement_jsonb'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (engagement AS jsonb) WITH FUNCTION engagement_jsonb(engagement);
CREATE FUNCTION funnel_json(funnel) RETURNS json
	AS 'MODULE_PATHNAME', 'engagement_funnel_json'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (funnel AS json) WITH FUNCTION funnel_json(funnel);
CREATE FUNCTION funnel_jsonb(funnel) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'engagement_funnel_jsonb'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (funnel AS jsonb) WITH FUNCTION funnel_jsonb(funnel);
CREATE FUNCTION community_health_json(community_health) RETURNS json
	AS 'MODULE_PATHNAME', 'engagement_community_health_json'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (community_health AS json) WITH FUNCTION community_health_json(community_health);
CREATE FUNCTION community_health_jsonb(community_health) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'engagement_community_health_jsonb'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (community_health AS jsonb) WITH FUNCTION community_health_jsonb(community_health);
CREATE FUNCTION bgnbd_json(bgnbd) RETURNS json
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_json'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (bgnbd AS json) WITH FUNCTION bgnbd_json(bgnbd);
CREATE FUNCTION bgnbd_jsonb(bgnbd) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_jsonb'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (bgnbd AS jsonb) WITH FUNCTION bgnbd_jsonb(bgnbd);
CREATE FUNCTION gammagamma_json(gammagamma) RETURNS json
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_json'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (gammagamma AS json) WITH FUNCTION gammagamma_json(gammagamma);
CREATE FUNCTION gammagamma_jsonb(gammagamma) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_jsonb'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (gammagamma AS jsonb) WITH FUNCTION gammagamma_jsonb(gammagamma);

/*
 * unnest(state): the rows a state holds, as PostgreSQL's unnest(tsvector)
 * gives a tsvector's (issue 18), for BI tools and notebooks.
 */
CREATE FUNCTION unnest(rfm, OUT day timestamp with time zone, OUT amount double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_rfm_unnest'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
CREATE FUNCTION unnest(funnel, OUT ts timestamp with time zone, OUT step integer)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_funnel_unnest'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
CREATE FUNCTION unnest(community_health, OUT thread_id bigint, OUT author_id bigint,
					   OUT posts bigint, OUT views bigint,
					   OUT first_post timestamp with time zone,
					   OUT last_post timestamp with time zone,
					   OUT thread_started timestamp with time zone,
					   OUT lowest_sentiment double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_community_health_unnest'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;

-- + on journeys and Markov models
CREATE FUNCTION journey_add(journey, journey) RETURNS journey
	AS 'MODULE_PATHNAME', 'engagement_journey_add'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR + (LEFTARG = journey, RIGHTARG = journey, FUNCTION = journey_add, COMMUTATOR = +);
CREATE FUNCTION markov_model_add(markov_model, markov_model) RETURNS markov_model
	AS 'MODULE_PATHNAME', 'engagement_markov_model_add'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR + (LEFTARG = markov_model, RIGHTARG = markov_model,
				   FUNCTION = markov_model_add, COMMUTATOR = +);

-- JSON forms and readers of journeys and Markov models
CREATE FUNCTION journey_json(journey) RETURNS json
	AS 'MODULE_PATHNAME', 'engagement_journey_json'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (journey AS json) WITH FUNCTION journey_json(journey);
CREATE FUNCTION journey_jsonb(journey) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'engagement_journey_jsonb'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (journey AS jsonb) WITH FUNCTION journey_jsonb(journey);
CREATE FUNCTION markov_model_json(markov_model) RETURNS json
	AS 'MODULE_PATHNAME', 'engagement_markov_model_json'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (markov_model AS json) WITH FUNCTION markov_model_json(markov_model);
CREATE FUNCTION markov_model_jsonb(markov_model) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'engagement_markov_model_jsonb'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (markov_model AS jsonb) WITH FUNCTION markov_model_jsonb(markov_model);
CREATE FUNCTION unnest(journey, OUT ts timestamp with time zone, OUT channel text, OUT event text)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_journey_unnest'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
CREATE FUNCTION unnest(markov_model, OUT from_channel text, OUT to_channel text,
					   OUT to_kind text, OUT count bigint, OUT probability double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_markov_model_unnest'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;

-- a model's parameters and standard errors as one record
CREATE FUNCTION estimates(bgnbd, OUT r double precision, OUT alpha double precision,
						  OUT a double precision, OUT b double precision,
						  OUT r_std_error double precision, OUT alpha_std_error double precision,
						  OUT a_std_error double precision, OUT b_std_error double precision)
	RETURNS record
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_estimates'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION estimates(gammagamma, OUT p double precision, OUT q double precision,
						  OUT gamma double precision, OUT p_std_error double precision,
						  OUT q_std_error double precision, OUT gamma_std_error double precision)
	RETURNS record
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_estimates'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

/*
 * A comment on every object (issue 18): what \\df+, \\dT+, \\do+ and BI tools' catalogs
 * show; support functions name the aggregate, operator or type they serve.
 */
COMMENT ON AGGREGATE nps(bigint) IS 'Net Promoter Score (-100..100) of 0..10 answers';
COMMENT ON AGGREGATE nps(numeric) IS 'Net Promoter Score (-100..100) of 0..10 answers (whole numbers; others are an error)';
COMMENT ON AGGREGATE nps(smallint) IS 'Net Promoter Score (-100..100) of 0..10 answers';
COMMENT ON AGGREGATE nps_agg(bigint) IS 'Net Promoter Score state of 0..10 answers';
COMMENT ON AGGREGATE nps_agg(bigint,double precision) IS 'Net Promoter Score state of 0..10 answers with survey weights';
COMMENT ON AGGREGATE nps_agg(numeric) IS 'Net Promoter Score state of 0..10 answers (whole numbers; others are an error)';
COMMENT ON AGGREGATE nps_agg(numeric,double precision) IS 'Net Promoter Score state of 0..10 answers with survey weights';
COMMENT ON AGGREGATE nps_agg(smallint) IS 'Net Promoter Score state of 0..10 answers';
COMMENT ON AGGREGATE nps_agg(smallint,double precision) IS 'Net Promoter Score state of 0..10 answers with survey weights';
COMMENT ON FUNCTION age(rfm,timestamp with time zone,interval) IS 'time from the first purchase day to the end of observation, in a unit';
COMMENT ON FUNCTION answered_threads(community_health) IS 'number of started threads answered by another member';
COMMENT ON FUNCTION bgnbd(double precision,double precision,double precision,double precision) IS 'a BG/NBD model from known parameters r, alpha, a, b';
COMMENT ON FUNCTION bgnbd_cmp(bgnbd,bgnbd) IS 'comparison of two bgnbd states (btree operator class support)';
COMMENT ON FUNCTION bgnbd_eq(bgnbd,bgnbd) IS 'support function of the bgnbd = operator';
COMMENT ON FUNCTION bgnbd_fit_final(internal) IS 'final function of aggregate bgnbd_fit(double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION bgnbd_fit_trans(internal,double precision,double precision,double precision) IS 'transition function of aggregate bgnbd_fit(double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION bgnbd_ge(bgnbd,bgnbd) IS 'support function of the bgnbd >= operator';
COMMENT ON FUNCTION bgnbd_gt(bgnbd,bgnbd) IS 'support function of the bgnbd > operator';
COMMENT ON FUNCTION bgnbd_hash(bgnbd) IS 'hash of a bgnbd state (hash operator class support)';
COMMENT ON FUNCTION bgnbd_hash_extended(bgnbd,bigint) IS 'extended hash of a bgnbd state (hash operator class support)';
COMMENT ON FUNCTION bgnbd_in(cstring) IS 'text input of type bgnbd';
COMMENT ON FUNCTION bgnbd_json(bgnbd) IS 'json form of bgnbd (the cast to json; keys documented)';
COMMENT ON FUNCTION bgnbd_jsonb(bgnbd) IS 'jsonb form of bgnbd (the cast to jsonb; keys documented)';
COMMENT ON FUNCTION bgnbd_le(bgnbd,bgnbd) IS 'support function of the bgnbd <= operator';
COMMENT ON FUNCTION bgnbd_lt(bgnbd,bgnbd) IS 'support function of the bgnbd < operator';
COMMENT ON FUNCTION bgnbd_ne(bgnbd,bgnbd) IS 'support function of the bgnbd <> operator';
COMMENT ON FUNCTION bgnbd_out(bgnbd) IS 'text output of type bgnbd';
COMMENT ON FUNCTION bgnbd_recv(internal) IS 'binary input of type bgnbd';
COMMENT ON FUNCTION bgnbd_send(bgnbd) IS 'binary output of type bgnbd';
COMMENT ON FUNCTION channel_path(journey,boolean) IS 'channels of the touches in order, repeats collapsed when asked';
COMMENT ON FUNCTION channel_switches(journey) IS 'number of consecutive touches on different channels';
COMMENT ON FUNCTION channel_transitions(journey) IS 'counts of consecutive touch pairs (from_channel, to_channel), same-channel pairs included';
COMMENT ON FUNCTION clv_trans(double precision,double precision,double precision,timestamp with time zone,timestamp with time zone,double precision,interval) IS 'transition function of aggregate clv(double precision,double precision,timestamp with time zone,timestamp with time zone,double precision,interval) (not meant to be called directly)';
COMMENT ON FUNCTION clv_trans(double precision,double precision,double precision,timestamp with time zone,timestamp with time zone,double precision,interval,double precision) IS 'transition function of aggregate clv(double precision,double precision,timestamp with time zone,timestamp with time zone,double precision,interval,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION community_combine(internal,internal) IS 'combine function of aggregate community_agg(bigint,bigint,timestamp with time zone,boolean), community_agg(bigint,bigint,timestamp with time zone,boolean,bigint), community_agg(bigint,bigint,timestamp with time zone,boolean,bigint,double precision), rollup(community_health) (not meant to be called directly)';
COMMENT ON FUNCTION community_deserial(bytea,internal) IS 'deserialization function of aggregate community_agg(bigint,bigint,timestamp with time zone,boolean), community_agg(bigint,bigint,timestamp with time zone,boolean,bigint), community_agg(bigint,bigint,timestamp with time zone,boolean,bigint,double precision), rollup(community_health) (not meant to be called directly)';
COMMENT ON FUNCTION community_final(internal) IS 'final function of aggregate community_agg(bigint,bigint,timestamp with time zone,boolean), community_agg(bigint,bigint,timestamp with time zone,boolean,bigint), community_agg(bigint,bigint,timestamp with time zone,boolean,bigint,double precision), rollup(community_health) (not meant to be called directly)';
COMMENT ON FUNCTION community_health_add(community_health,community_health) IS 'support function of the community_health + operator: merge two states';
COMMENT ON FUNCTION community_health_cmp(community_health,community_health) IS 'comparison of two community_health states (btree operator class support)';
COMMENT ON FUNCTION community_health_eq(community_health,community_health) IS 'support function of the community_health = operator';
COMMENT ON FUNCTION community_health_ge(community_health,community_health) IS 'support function of the community_health >= operator';
COMMENT ON FUNCTION community_health_gt(community_health,community_health) IS 'support function of the community_health > operator';
COMMENT ON FUNCTION community_health_hash(community_health) IS 'hash of a community_health state (hash operator class support)';
COMMENT ON FUNCTION community_health_hash_extended(community_health,bigint) IS 'extended hash of a community_health state (hash operator class support)';
COMMENT ON FUNCTION community_health_in(cstring) IS 'text input of type community_health';
COMMENT ON FUNCTION community_health_json(community_health) IS 'json form of community_health (the cast to json; keys documented)';
COMMENT ON FUNCTION community_health_jsonb(community_health) IS 'jsonb form of community_health (the cast to jsonb; keys documented)';
COMMENT ON FUNCTION community_health_le(community_health,community_health) IS 'support function of the community_health <= operator';
COMMENT ON FUNCTION community_health_lt(community_health,community_health) IS 'support function of the community_health < operator';
COMMENT ON FUNCTION community_health_ne(community_health,community_health) IS 'support function of the community_health <> operator';
COMMENT ON FUNCTION community_health_out(community_health) IS 'text output of type community_health';
COMMENT ON FUNCTION community_health_recv(internal) IS 'binary input of type community_health';
COMMENT ON FUNCTION community_health_send(community_health) IS 'binary output of type community_health';
COMMENT ON FUNCTION community_rollup_trans(internal,community_health) IS 'transition function of aggregate rollup(community_health) (not meant to be called directly)';
COMMENT ON FUNCTION community_serial(internal) IS 'serialization function of aggregate community_agg(bigint,bigint,timestamp with time zone,boolean), community_agg(bigint,bigint,timestamp with time zone,boolean,bigint), community_agg(bigint,bigint,timestamp with time zone,boolean,bigint,double precision), rollup(community_health) (not meant to be called directly)';
COMMENT ON FUNCTION community_trans(internal,bigint,bigint,timestamp with time zone,boolean) IS 'transition function of aggregate community_agg(bigint,bigint,timestamp with time zone,boolean) (not meant to be called directly)';
COMMENT ON FUNCTION community_trans(internal,bigint,bigint,timestamp with time zone,boolean,bigint) IS 'transition function of aggregate community_agg(bigint,bigint,timestamp with time zone,boolean,bigint) (not meant to be called directly)';
COMMENT ON FUNCTION community_trans(internal,bigint,bigint,timestamp with time zone,boolean,bigint,double precision) IS 'transition function of aggregate community_agg(bigint,bigint,timestamp with time zone,boolean,bigint,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION content(community_health) IS 'views per post (NULL without views)';
COMMENT ON FUNCTION conversion_probability(markov_model) IS 'probability of reaching a conversion from the start of the Markov chain';
COMMENT ON FUNCTION crv_trans(double precision,anyelement,boolean,double precision,double precision,double precision,double precision) IS 'transition function of aggregate crv(anyelement,boolean,double precision,double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION crv_trans(double precision,anyelement,boolean,double precision,double precision,double precision,double precision,double precision) IS 'transition function of aggregate crv(anyelement,boolean,double precision,double precision,double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION customers(bgnbd) IS 'number of customers the model was fitted on';
COMMENT ON FUNCTION customers(gammagamma) IS 'number of customers the model was fitted on';
COMMENT ON FUNCTION deepest_step(funnel) IS 'deepest step reached by a chain within the window, as window_funnel';
COMMENT ON FUNCTION detractors(nps_summary) IS 'number of detractors (answers 0 to 6)';
COMMENT ON FUNCTION effective_responses(nps_summary) IS 'number of answers, or Kish''s effective sample size when weighted';
COMMENT ON FUNCTION engagement_add(engagement,engagement) IS 'support function of the engagement + operator: merge two states';
COMMENT ON FUNCTION engagement_cmp(engagement,engagement) IS 'comparison of two engagement states (btree operator class support)';
COMMENT ON FUNCTION engagement_combine(engagement,engagement) IS 'combine function of aggregate engagement_agg(timestamp with time zone,engagement_dimension,double precision,interval), rollup(engagement) (not meant to be called directly)';
COMMENT ON FUNCTION engagement_eq(engagement,engagement) IS 'support function of the engagement = operator';
COMMENT ON FUNCTION engagement_final(engagement) IS 'final function of aggregate engagement_agg(timestamp with time zone,engagement_dimension,double precision,interval), rollup(engagement) (not meant to be called directly)';
COMMENT ON FUNCTION engagement_ge(engagement,engagement) IS 'support function of the engagement >= operator';
COMMENT ON FUNCTION engagement_gt(engagement,engagement) IS 'support function of the engagement > operator';
COMMENT ON FUNCTION engagement_hash(engagement) IS 'hash of a engagement state (hash operator class support)';
COMMENT ON FUNCTION engagement_hash_extended(engagement,bigint) IS 'extended hash of a engagement state (hash operator class support)';
COMMENT ON FUNCTION engagement_in(cstring) IS 'text input of type engagement';
COMMENT ON FUNCTION engagement_json(engagement) IS 'json form of engagement (the cast to json; keys documented)';
COMMENT ON FUNCTION engagement_jsonb(engagement) IS 'jsonb form of engagement (the cast to jsonb; keys documented)';
COMMENT ON FUNCTION engagement_le(engagement,engagement) IS 'support function of the engagement <= operator';
COMMENT ON FUNCTION engagement_lt(engagement,engagement) IS 'support function of the engagement < operator';
COMMENT ON FUNCTION engagement_ne(engagement,engagement) IS 'support function of the engagement <> operator';
COMMENT ON FUNCTION engagement_out(engagement) IS 'text output of type engagement';
COMMENT ON FUNCTION engagement_recv(internal) IS 'binary input of type engagement';
COMMENT ON FUNCTION engagement_rollup_trans(engagement,engagement) IS 'transition function of aggregate rollup(engagement) (not meant to be called directly)';
COMMENT ON FUNCTION engagement_send(engagement) IS 'binary output of type engagement';
COMMENT ON FUNCTION engagement_trans(engagement,timestamp with time zone,engagement_dimension,double precision,interval) IS 'transition function of aggregate engagement_agg(timestamp with time zone,engagement_dimension,double precision,interval) (not meant to be called directly)';
COMMENT ON FUNCTION escalations(community_health,timestamp with time zone,interval,double precision) IS 'customers waiting for an answer, or writing below a sentiment threshold';
COMMENT ON FUNCTION estimates(bgnbd) IS 'parameters r, alpha, a, b of a BG/NBD model and their standard errors, as one record';
COMMENT ON FUNCTION estimates(gammagamma) IS 'parameters p, q, gamma of a Gamma-Gamma model and their standard errors, as one record';
COMMENT ON FUNCTION events(engagement) IS 'number of events of an engagement state';
COMMENT ON FUNCTION expected_purchases(bgnbd,double precision) IS 'expected repeat purchases of a new customer in a period';
COMMENT ON FUNCTION expected_purchases(bgnbd,double precision,double precision,double precision,double precision) IS 'expected purchases of a customer in the next period, given frequency, recency and age';
COMMENT ON FUNCTION expected_spend(gammagamma) IS 'population mean spend per transaction';
COMMENT ON FUNCTION expected_spend(gammagamma,double precision,double precision) IS 'a customer''s expected spend per transaction given frequency and mean spend';
COMMENT ON FUNCTION first_reply_time(community_health) IS 'mean time from a threads start to the first post by another member';
COMMENT ON FUNCTION first_seen(engagement) IS 'time of the first event';
COMMENT ON FUNCTION first_touch(journey) IS 'channel of the first touch';
COMMENT ON FUNCTION first_touch_at(journey) IS 'time of the first touch';
COMMENT ON FUNCTION frequency(rfm) IS 'repeat purchase days (purchase days minus one)';
COMMENT ON FUNCTION funnel_add(funnel,funnel) IS 'support function of the funnel + operator: merge two states';
COMMENT ON FUNCTION funnel_cmp(funnel,funnel) IS 'comparison of two funnel states (btree operator class support)';
COMMENT ON FUNCTION funnel_combine(internal,internal) IS 'combine function of aggregate funnel_agg(interval,text,timestamp with time zone,boolean[]), funnel_agg(interval,timestamp with time zone,boolean[]), rollup(funnel), window_funnel(interval,text,timestamp with time zone,boolean[]), window_funnel(interval,timestamp with time zone,boolean[]) (not meant to be called directly)';
COMMENT ON FUNCTION funnel_deserial(bytea,internal) IS 'deserialization function of aggregate funnel_agg(interval,text,timestamp with time zone,boolean[]), funnel_agg(interval,timestamp with time zone,boolean[]), rollup(funnel), window_funnel(interval,text,timestamp with time zone,boolean[]), window_funnel(interval,timestamp with time zone,boolean[]) (not meant to be called directly)';
COMMENT ON FUNCTION funnel_eq(funnel,funnel) IS 'support function of the funnel = operator';
COMMENT ON FUNCTION funnel_final(internal) IS 'final function of aggregate funnel_agg(interval,text,timestamp with time zone,boolean[]), funnel_agg(interval,timestamp with time zone,boolean[]), rollup(funnel) (not meant to be called directly)';
COMMENT ON FUNCTION funnel_ge(funnel,funnel) IS 'support function of the funnel >= operator';
COMMENT ON FUNCTION funnel_gt(funnel,funnel) IS 'support function of the funnel > operator';
COMMENT ON FUNCTION funnel_hash(funnel) IS 'hash of a funnel state (hash operator class support)';
COMMENT ON FUNCTION funnel_hash_extended(funnel,bigint) IS 'extended hash of a funnel state (hash operator class support)';
COMMENT ON FUNCTION funnel_in(cstring) IS 'text input of type funnel';
COMMENT ON FUNCTION funnel_json(funnel) IS 'json form of funnel (the cast to json; keys documented)';
COMMENT ON FUNCTION funnel_jsonb(funnel) IS 'jsonb form of funnel (the cast to jsonb; keys documented)';
COMMENT ON FUNCTION funnel_le(funnel,funnel) IS 'support function of the funnel <= operator';
COMMENT ON FUNCTION funnel_lt(funnel,funnel) IS 'support function of the funnel < operator';
COMMENT ON FUNCTION funnel_ne(funnel,funnel) IS 'support function of the funnel <> operator';
COMMENT ON FUNCTION funnel_out(funnel) IS 'text output of type funnel';
COMMENT ON FUNCTION funnel_recv(internal) IS 'binary input of type funnel';
COMMENT ON FUNCTION funnel_rollup_trans(internal,funnel) IS 'transition function of aggregate rollup(funnel) (not meant to be called directly)';
COMMENT ON FUNCTION funnel_send(funnel) IS 'binary output of type funnel';
COMMENT ON FUNCTION funnel_serial(internal) IS 'serialization function of aggregate funnel_agg(interval,text,timestamp with time zone,boolean[]), funnel_agg(interval,timestamp with time zone,boolean[]), rollup(funnel), window_funnel(interval,text,timestamp with time zone,boolean[]), window_funnel(interval,timestamp with time zone,boolean[]) (not meant to be called directly)';
COMMENT ON FUNCTION funnel_trans(internal,interval,text,timestamp with time zone,boolean[]) IS 'transition function of aggregate funnel_agg(interval,text,timestamp with time zone,boolean[]), window_funnel(interval,text,timestamp with time zone,boolean[]) (not meant to be called directly)';
COMMENT ON FUNCTION funnel_trans(internal,interval,timestamp with time zone,boolean[]) IS 'transition function of aggregate funnel_agg(interval,timestamp with time zone,boolean[]), window_funnel(interval,timestamp with time zone,boolean[]) (not meant to be called directly)';
COMMENT ON FUNCTION gammagamma(double precision,double precision,double precision) IS 'a Gamma-Gamma model from known parameters p, q, gamma';
COMMENT ON FUNCTION gammagamma_cmp(gammagamma,gammagamma) IS 'comparison of two gammagamma states (btree operator class support)';
COMMENT ON FUNCTION gammagamma_eq(gammagamma,gammagamma) IS 'support function of the gammagamma = operator';
COMMENT ON FUNCTION gammagamma_fit_final(internal) IS 'final function of aggregate gammagamma_fit(double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION gammagamma_fit_trans(internal,double precision,double precision) IS 'transition function of aggregate gammagamma_fit(double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION gammagamma_ge(gammagamma,gammagamma) IS 'support function of the gammagamma >= operator';
COMMENT ON FUNCTION gammagamma_gt(gammagamma,gammagamma) IS 'support function of the gammagamma > operator';
COMMENT ON FUNCTION gammagamma_hash(gammagamma) IS 'hash of a gammagamma state (hash operator class support)';
COMMENT ON FUNCTION gammagamma_hash_extended(gammagamma,bigint) IS 'extended hash of a gammagamma state (hash operator class support)';
COMMENT ON FUNCTION gammagamma_in(cstring) IS 'text input of type gammagamma';
COMMENT ON FUNCTION gammagamma_json(gammagamma) IS 'json form of gammagamma (the cast to json; keys documented)';
COMMENT ON FUNCTION gammagamma_jsonb(gammagamma) IS 'jsonb form of gammagamma (the cast to jsonb; keys documented)';
COMMENT ON FUNCTION gammagamma_le(gammagamma,gammagamma) IS 'support function of the gammagamma <= operator';
COMMENT ON FUNCTION gammagamma_lt(gammagamma,gammagamma) IS 'support function of the gammagamma < operator';
COMMENT ON FUNCTION gammagamma_ne(gammagamma,gammagamma) IS 'support function of the gammagamma <> operator';
COMMENT ON FUNCTION gammagamma_out(gammagamma) IS 'text output of type gammagamma';
COMMENT ON FUNCTION gammagamma_recv(internal) IS 'binary input of type gammagamma';
COMMENT ON FUNCTION gammagamma_send(gammagamma) IS 'binary output of type gammagamma';
COMMENT ON FUNCTION growth(community_health,community_health) IS 'members over the previous states members, minus one';
COMMENT ON FUNCTION health_factors(community_health,interval,community_health,double precision) IS 'the six community health factors with their values and scores';
COMMENT ON FUNCTION health_index(community_health,interval,community_health,double precision) IS 'composite community health index 0..1000 (CHI-inspired)';
COMMENT ON FUNCTION influence(engagement,timestamp with time zone) IS 'influence, decayed to a time';
COMMENT ON FUNCTION interaction(engagement,timestamp with time zone) IS 'interaction, decayed to a time';
COMMENT ON FUNCTION interactivity(community_health) IS 'mean number of distinct members taking part in a thread';
COMMENT ON FUNCTION intimacy(engagement,timestamp with time zone) IS 'intimacy (sentiment), decayed to a time';
COMMENT ON FUNCTION involvement(engagement,timestamp with time zone) IS 'involvement, decayed to a time';
COMMENT ON FUNCTION journey_add(journey,journey) IS 'support function of the journey + operator: merge two states';
COMMENT ON FUNCTION journey_cmp(journey,journey) IS 'comparison of two journey states (btree operator class support)';
COMMENT ON FUNCTION journey_combine(internal,internal) IS 'combine function of aggregate journey_agg(timestamp with time zone,text), journey_agg(timestamp with time zone,text,text), rollup(journey) (not meant to be called directly)';
COMMENT ON FUNCTION journey_deserial(bytea,internal) IS 'deserialization function of aggregate journey_agg(timestamp with time zone,text), journey_agg(timestamp with time zone,text,text), rollup(journey) (not meant to be called directly)';
COMMENT ON FUNCTION journey_eq(journey,journey) IS 'support function of the journey = operator';
COMMENT ON FUNCTION journey_final(internal) IS 'final function of aggregate journey_agg(timestamp with time zone,text), journey_agg(timestamp with time zone,text,text), rollup(journey) (not meant to be called directly)';
COMMENT ON FUNCTION journey_ge(journey,journey) IS 'support function of the journey >= operator';
COMMENT ON FUNCTION journey_gt(journey,journey) IS 'support function of the journey > operator';
COMMENT ON FUNCTION journey_hash(journey) IS 'hash of a journey state (hash operator class support)';
COMMENT ON FUNCTION journey_hash_extended(journey,bigint) IS 'extended hash of a journey state (hash operator class support)';
COMMENT ON FUNCTION journey_in(cstring) IS 'text input of type journey';
COMMENT ON FUNCTION journey_json(journey) IS 'json form of journey (the cast to json; keys documented)';
COMMENT ON FUNCTION journey_jsonb(journey) IS 'jsonb form of journey (the cast to jsonb; keys documented)';
COMMENT ON FUNCTION journey_le(journey,journey) IS 'support function of the journey <= operator';
COMMENT ON FUNCTION journey_lt(journey,journey) IS 'support function of the journey < operator';
COMMENT ON FUNCTION journey_ne(journey,journey) IS 'support function of the journey <> operator';
COMMENT ON FUNCTION journey_out(journey) IS 'text output of type journey';
COMMENT ON FUNCTION journey_recv(internal) IS 'binary input of type journey';
COMMENT ON FUNCTION journey_rollup_trans(internal,journey) IS 'transition function of aggregate rollup(journey) (not meant to be called directly)';
COMMENT ON FUNCTION journey_send(journey) IS 'binary output of type journey';
COMMENT ON FUNCTION journey_serial(internal) IS 'serialization function of aggregate journey_agg(timestamp with time zone,text), journey_agg(timestamp with time zone,text,text), rollup(journey) (not meant to be called directly)';
COMMENT ON FUNCTION journey_trans(internal,timestamp with time zone,text) IS 'transition function of aggregate journey_agg(timestamp with time zone,text) (not meant to be called directly)';
COMMENT ON FUNCTION journey_trans(internal,timestamp with time zone,text,text) IS 'transition function of aggregate journey_agg(timestamp with time zone,text,text) (not meant to be called directly)';
COMMENT ON FUNCTION last_seen(engagement) IS 'time of the last event';
COMMENT ON FUNCTION last_touch(journey) IS 'channel of the last touch';
COMMENT ON FUNCTION last_touch_at(journey) IS 'time of the last touch';
COMMENT ON FUNCTION liveliness(community_health,interval) IS 'posts per week over the period';
COMMENT ON FUNCTION log_likelihood(bgnbd) IS 'log-likelihood of the fit';
COMMENT ON FUNCTION log_likelihood(bgnbd,double precision,double precision,double precision) IS 'one customer''s log-likelihood under a BG/NBD model';
COMMENT ON FUNCTION log_likelihood(gammagamma) IS 'log-likelihood of the fit';
COMMENT ON FUNCTION log_likelihood(gammagamma,double precision,double precision) IS 'one customer''s log-likelihood under a Gamma-Gamma model';
COMMENT ON FUNCTION lower_bound(nps_summary,double precision) IS 'lower end of the Wald confidence interval of the NPS, clamped to -100';
COMMENT ON FUNCTION margin_of_error(nps_summary,double precision) IS 'margin of error of the NPS at a confidence level (Wald)';
COMMENT ON FUNCTION markov_combine(internal,internal) IS 'combine function of aggregate markov_agg(text[],bigint,bigint), markov_agg(text[],bigint,bigint,double precision), rollup(markov_model) (not meant to be called directly)';
COMMENT ON FUNCTION markov_deserial(bytea,internal) IS 'deserialization function of aggregate markov_agg(text[],bigint,bigint), markov_agg(text[],bigint,bigint,double precision), rollup(markov_model) (not meant to be called directly)';
COMMENT ON FUNCTION markov_final(internal) IS 'final function of aggregate markov_agg(text[],bigint,bigint), markov_agg(text[],bigint,bigint,double precision), rollup(markov_model) (not meant to be called directly)';
COMMENT ON FUNCTION markov_model_add(markov_model,markov_model) IS 'support function of the markov_model + operator: merge two states';
COMMENT ON FUNCTION markov_model_cmp(markov_model,markov_model) IS 'comparison of two markov_model states (btree operator class support)';
COMMENT ON FUNCTION markov_model_eq(markov_model,markov_model) IS 'support function of the markov_model = operator';
COMMENT ON FUNCTION markov_model_ge(markov_model,markov_model) IS 'support function of the markov_model >= operator';
COMMENT ON FUNCTION markov_model_gt(markov_model,markov_model) IS 'support function of the markov_model > operator';
COMMENT ON FUNCTION markov_model_hash(markov_model) IS 'hash of a markov_model state (hash operator class support)';
COMMENT ON FUNCTION markov_model_hash_extended(markov_model,bigint) IS 'extended hash of a markov_model state (hash operator class support)';
COMMENT ON FUNCTION markov_model_in(cstring) IS 'text input of type markov_model';
COMMENT ON FUNCTION markov_model_json(markov_model) IS 'json form of markov_model (the cast to json; keys documented)';
COMMENT ON FUNCTION markov_model_jsonb(markov_model) IS 'jsonb form of markov_model (the cast to jsonb; keys documented)';
COMMENT ON FUNCTION markov_model_le(markov_model,markov_model) IS 'support function of the markov_model <= operator';
COMMENT ON FUNCTION markov_model_lt(markov_model,markov_model) IS 'support function of the markov_model < operator';
COMMENT ON FUNCTION markov_model_ne(markov_model,markov_model) IS 'support function of the markov_model <> operator';
COMMENT ON FUNCTION markov_model_out(markov_model) IS 'text output of type markov_model';
COMMENT ON FUNCTION markov_model_recv(internal) IS 'binary input of type markov_model';
COMMENT ON FUNCTION markov_model_send(markov_model) IS 'binary output of type markov_model';
COMMENT ON FUNCTION markov_rollup_trans(internal,markov_model) IS 'transition function of aggregate rollup(markov_model) (not meant to be called directly)';
COMMENT ON FUNCTION markov_serial(internal) IS 'serialization function of aggregate markov_agg(text[],bigint,bigint), markov_agg(text[],bigint,bigint,double precision), rollup(markov_model) (not meant to be called directly)';
COMMENT ON FUNCTION markov_trans(internal,text[],bigint,bigint) IS 'transition function of aggregate markov_agg(text[],bigint,bigint) (not meant to be called directly)';
COMMENT ON FUNCTION markov_trans(internal,text[],bigint,bigint,double precision) IS 'transition function of aggregate markov_agg(text[],bigint,bigint,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION members(community_health) IS 'number of distinct authors';
COMMENT ON FUNCTION model_fit_combine(internal,internal) IS 'combine function of aggregate bgnbd_fit(double precision,double precision,double precision), gammagamma_fit(double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION model_fit_deserial(bytea,internal) IS 'deserialization function of aggregate bgnbd_fit(double precision,double precision,double precision), gammagamma_fit(double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION model_fit_serial(internal) IS 'serialization function of aggregate bgnbd_fit(double precision,double precision,double precision), gammagamma_fit(double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION monetary(rfm) IS 'mean amount of the repeat purchase days (0 without repeats)';
COMMENT ON FUNCTION nps(nps_summary) IS 'Net Promoter Score (-100..100) of a state';
COMMENT ON FUNCTION nps_agg_final(nps_summary) IS 'final function of aggregate nps_agg(bigint), nps_agg(bigint,double precision), nps_agg(integer), nps_agg(integer,double precision), nps_agg(numeric), nps_agg(numeric,double precision), nps_agg(smallint), nps_agg(smallint,double precision), rollup(nps_summary) (not meant to be called directly)';
COMMENT ON FUNCTION nps_combine(nps_summary,nps_summary) IS 'combine function of aggregate nps(bigint), nps(integer), nps(numeric), nps(smallint), nps_agg(bigint), nps_agg(bigint,double precision), nps_agg(integer), nps_agg(integer,double precision), nps_agg(numeric), nps_agg(numeric,double precision), nps_agg(smallint), nps_agg(smallint,double precision), rollup(nps_summary) (not meant to be called directly)';
COMMENT ON FUNCTION nps_compare(nps_summary,nps_summary) IS 'difference of two independent surveys NPS with its z statistic and two-sided p-value';
COMMENT ON FUNCTION nps_final(nps_summary) IS 'final function of aggregate nps(bigint), nps(integer), nps(numeric), nps(smallint) (not meant to be called directly)';
COMMENT ON FUNCTION nps_inv(nps_summary,bigint) IS 'moving-aggregate inverse function of aggregate nps(bigint), nps_agg(bigint) (not meant to be called directly)';
COMMENT ON FUNCTION nps_inv(nps_summary,integer) IS 'moving-aggregate inverse function of aggregate nps(integer), nps_agg(integer) (not meant to be called directly)';
COMMENT ON FUNCTION nps_inv(nps_summary,numeric) IS 'moving-aggregate inverse function of aggregate nps(numeric), nps_agg(numeric) (not meant to be called directly)';
COMMENT ON FUNCTION nps_inv(nps_summary,smallint) IS 'moving-aggregate inverse function of aggregate nps(smallint), nps_agg(smallint) (not meant to be called directly)';
COMMENT ON FUNCTION nps_rollup_inv(nps_summary,nps_summary) IS 'moving-aggregate inverse function of aggregate rollup(nps_summary) (not meant to be called directly)';
COMMENT ON FUNCTION nps_rollup_trans(nps_summary,nps_summary) IS 'transition function of aggregate rollup(nps_summary) (not meant to be called directly)';
COMMENT ON FUNCTION nps_summary_add(nps_summary,nps_summary) IS 'support function of the nps_summary + operator: merge two states';
COMMENT ON FUNCTION nps_summary_cmp(nps_summary,nps_summary) IS 'comparison of two nps_summary states (btree operator class support)';
COMMENT ON FUNCTION nps_summary_eq(nps_summary,nps_summary) IS 'support function of the nps_summary = operator';
COMMENT ON FUNCTION nps_summary_ge(nps_summary,nps_summary) IS 'support function of the nps_summary >= operator';
COMMENT ON FUNCTION nps_summary_gt(nps_summary,nps_summary) IS 'support function of the nps_summary > operator';
COMMENT ON FUNCTION nps_summary_hash(nps_summary) IS 'hash of a nps_summary state (hash operator class support)';
COMMENT ON FUNCTION nps_summary_hash_extended(nps_summary,bigint) IS 'extended hash of a nps_summary state (hash operator class support)';
COMMENT ON FUNCTION nps_summary_in(cstring) IS 'text input of type nps_summary';
COMMENT ON FUNCTION nps_summary_json(nps_summary) IS 'json form of nps_summary (the cast to json; keys documented)';
COMMENT ON FUNCTION nps_summary_jsonb(nps_summary) IS 'jsonb form of nps_summary (the cast to jsonb; keys documented)';
COMMENT ON FUNCTION nps_summary_le(nps_summary,nps_summary) IS 'support function of the nps_summary <= operator';
COMMENT ON FUNCTION nps_summary_lt(nps_summary,nps_summary) IS 'support function of the nps_summary < operator';
COMMENT ON FUNCTION nps_summary_ne(nps_summary,nps_summary) IS 'support function of the nps_summary <> operator';
COMMENT ON FUNCTION nps_summary_out(nps_summary) IS 'text output of type nps_summary';
COMMENT ON FUNCTION nps_summary_recv(internal) IS 'binary input of type nps_summary';
COMMENT ON FUNCTION nps_summary_send(nps_summary) IS 'binary output of type nps_summary';
COMMENT ON FUNCTION nps_trans(nps_summary,bigint) IS 'transition function of aggregate nps(bigint), nps_agg(bigint) (not meant to be called directly)';
COMMENT ON FUNCTION nps_trans(nps_summary,bigint,double precision) IS 'transition function of aggregate nps_agg(bigint,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION nps_trans(nps_summary,integer) IS 'transition function of aggregate nps(integer), nps_agg(integer) (not meant to be called directly)';
COMMENT ON FUNCTION nps_trans(nps_summary,integer,double precision) IS 'transition function of aggregate nps_agg(integer,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION nps_trans(nps_summary,numeric) IS 'transition function of aggregate nps(numeric), nps_agg(numeric) (not meant to be called directly)';
COMMENT ON FUNCTION nps_trans(nps_summary,numeric,double precision) IS 'transition function of aggregate nps_agg(numeric,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION nps_trans(nps_summary,smallint) IS 'transition function of aggregate nps(smallint), nps_agg(smallint) (not meant to be called directly)';
COMMENT ON FUNCTION nps_trans(nps_summary,smallint,double precision) IS 'transition function of aggregate nps_agg(smallint,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION p_alive(bgnbd,double precision,double precision,double precision) IS 'probability that a customer is still active';
COMMENT ON FUNCTION parameters(bgnbd) IS 'parameters of a BG/NBD model with their standard errors';
COMMENT ON FUNCTION parameters(gammagamma) IS 'parameters of a Gamma-Gamma model with their standard errors';
COMMENT ON FUNCTION passives(nps_summary) IS 'number of passives (answers 7 and 8)';
COMMENT ON FUNCTION posts(community_health) IS 'number of posts';
COMMENT ON FUNCTION predicted_clv(bgnbd,gammagamma,double precision,double precision,double precision,double precision,integer,double precision,double precision) IS 'discounted customer lifetime value from a BG/NBD and a Gamma-Gamma model';
COMMENT ON FUNCTION present_value_trans(double precision,double precision,timestamp with time zone,timestamp with time zone,double precision) IS 'transition function of aggregate present_value(double precision,timestamp with time zone,timestamp with time zone,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION present_value_trans(double precision,double precision,timestamp with time zone,timestamp with time zone,double precision,interval) IS 'transition function of aggregate present_value(double precision,timestamp with time zone,timestamp with time zone,double precision,interval) (not meant to be called directly)';
COMMENT ON FUNCTION promoters(nps_summary) IS 'number of promoters (answers 9 and 10)';
COMMENT ON FUNCTION purchase_probability(bgnbd,double precision,double precision) IS 'probability that a new customer makes a given number of purchases in a period';
COMMENT ON FUNCTION recency(rfm,interval) IS 'time from the first to the last purchase day, in a unit';
COMMENT ON FUNCTION removal_effects(markov_model) IS 'removal effect of each channel, its share, and the conversions and value attributed to it';
COMMENT ON FUNCTION response_gap(community_health) IS 'mean time between successive posts of a thread';
COMMENT ON FUNCTION responses(nps_summary) IS 'number of answers';
COMMENT ON FUNCTION retention_combine(bigint,bigint) IS 'combine function of aggregate retention(boolean[]) (not meant to be called directly)';
COMMENT ON FUNCTION retention_final(bigint) IS 'final function of aggregate retention(boolean[]) (not meant to be called directly)';
COMMENT ON FUNCTION retention_trans(bigint,boolean[]) IS 'transition function of aggregate retention(boolean[]) (not meant to be called directly)';
COMMENT ON FUNCTION rfm_add(rfm,rfm) IS 'support function of the rfm + operator: merge two states';
COMMENT ON FUNCTION rfm_cmp(rfm,rfm) IS 'comparison of two rfm states (btree operator class support)';
COMMENT ON FUNCTION rfm_combine(internal,internal) IS 'combine function of aggregate rfm_agg(timestamp with time zone,double precision), rollup(rfm) (not meant to be called directly)';
COMMENT ON FUNCTION rfm_deserial(bytea,internal) IS 'deserialization function of aggregate rfm_agg(timestamp with time zone,double precision), rollup(rfm) (not meant to be called directly)';
COMMENT ON FUNCTION rfm_eq(rfm,rfm) IS 'support function of the rfm = operator';
COMMENT ON FUNCTION rfm_final(internal) IS 'final function of aggregate rfm_agg(timestamp with time zone,double precision), rollup(rfm) (not meant to be called directly)';
COMMENT ON FUNCTION rfm_ge(rfm,rfm) IS 'support function of the rfm >= operator';
COMMENT ON FUNCTION rfm_gt(rfm,rfm) IS 'support function of the rfm > operator';
COMMENT ON FUNCTION rfm_hash(rfm) IS 'hash of a rfm state (hash operator class support)';
COMMENT ON FUNCTION rfm_hash_extended(rfm,bigint) IS 'extended hash of a rfm state (hash operator class support)';
COMMENT ON FUNCTION rfm_in(cstring) IS 'text input of type rfm';
COMMENT ON FUNCTION rfm_json(rfm) IS 'json form of rfm (the cast to json; keys documented)';
COMMENT ON FUNCTION rfm_jsonb(rfm) IS 'jsonb form of rfm (the cast to jsonb; keys documented)';
COMMENT ON FUNCTION rfm_le(rfm,rfm) IS 'support function of the rfm <= operator';
COMMENT ON FUNCTION rfm_lt(rfm,rfm) IS 'support function of the rfm < operator';
COMMENT ON FUNCTION rfm_ne(rfm,rfm) IS 'support function of the rfm <> operator';
COMMENT ON FUNCTION rfm_out(rfm) IS 'text output of type rfm';
COMMENT ON FUNCTION rfm_recv(internal) IS 'binary input of type rfm';
COMMENT ON FUNCTION rfm_rollup_trans(internal,rfm) IS 'transition function of aggregate rollup(rfm) (not meant to be called directly)';
COMMENT ON FUNCTION rfm_send(rfm) IS 'binary output of type rfm';
COMMENT ON FUNCTION rfm_serial(internal) IS 'serialization function of aggregate rfm_agg(timestamp with time zone,double precision), rollup(rfm) (not meant to be called directly)';
COMMENT ON FUNCTION rfm_trans(internal,timestamp with time zone,double precision) IS 'transition function of aggregate rfm_agg(timestamp with time zone,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION score(engagement,timestamp with time zone,double precision[],double precision) IS 'engagement score 0..100 at a time, from weighted decayed dimensions';
COMMENT ON FUNCTION score_factors(engagement,timestamp with time zone,double precision[],double precision) IS 'the engagement score split into the contributions of its four dimensions';
COMMENT ON FUNCTION session_count(journey,interval) IS 'number of sessions of a journey with an inactivity gap';
COMMENT ON FUNCTION sessions(journey,interval,boolean) IS 'the sessions of a journey: times, touches, channels, entry and exit';
COMMENT ON FUNCTION std_error(nps_summary) IS 'standard error of the NPS, in points';
COMMENT ON FUNCTION step_reached(funnel) IS 'for each step, whether the deepest chain reached it';
COMMENT ON FUNCTION step_times(funnel) IS 'for each step, its time in the deepest chain (NULL when not reached)';
COMMENT ON FUNCTION steps(funnel) IS 'number of steps of a funnel';
COMMENT ON FUNCTION threads(community_health) IS 'number of threads started';
COMMENT ON FUNCTION time_to_convert(funnel) IS 'time from step 1 to the last step when every step was reached, else NULL';
COMMENT ON FUNCTION touches(journey) IS 'number of touches of a journey';
COMMENT ON FUNCTION traffic(community_health,interval) IS 'views of the periods posts per day of the period';
COMMENT ON FUNCTION unanswered_threads(community_health,timestamp with time zone,interval) IS 'threads without a reply after a threshold';
COMMENT ON FUNCTION unnest(community_health) IS 'the (thread, author) records of a community state';
COMMENT ON FUNCTION unnest(funnel) IS 'the events of a funnel: time and step';
COMMENT ON FUNCTION unnest(journey) IS 'the touches of a journey: time, channel and event';
COMMENT ON FUNCTION unnest(markov_model) IS 'the transitions of a Markov model: from, to, count and probability';
COMMENT ON FUNCTION unnest(rfm) IS 'the purchase days of an RFM state with their amounts';
COMMENT ON FUNCTION upper_bound(nps_summary,double precision) IS 'upper end of the Wald confidence interval of the NPS, clamped to 100';
COMMENT ON FUNCTION views(community_health) IS 'number of views (NULL when no post gave views)';
COMMENT ON FUNCTION window_funnel_final(internal) IS 'final function of aggregate window_funnel(interval,text,timestamp with time zone,boolean[]), window_funnel(interval,timestamp with time zone,boolean[]) (not meant to be called directly)';
COMMENT ON OPERATOR + (community_health,community_health) IS 'merge two community_health states';
COMMENT ON OPERATOR + (engagement,engagement) IS 'merge two engagement states';
COMMENT ON OPERATOR + (funnel,funnel) IS 'merge two funnel states';
COMMENT ON OPERATOR + (journey,journey) IS 'merge two journey states';
COMMENT ON OPERATOR + (markov_model,markov_model) IS 'merge two markov_model states';
COMMENT ON OPERATOR + (nps_summary,nps_summary) IS 'merge two nps_summary states';
COMMENT ON OPERATOR + (rfm,rfm) IS 'merge two rfm states';
COMMENT ON OPERATOR < (bgnbd,bgnbd) IS 'consistent total order of bgnbd states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR < (community_health,community_health) IS 'consistent total order of community_health states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR < (engagement,engagement) IS 'consistent total order of engagement states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR < (funnel,funnel) IS 'consistent total order of funnel states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR < (gammagamma,gammagamma) IS 'consistent total order of gammagamma states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR < (journey,journey) IS 'consistent total order of journey states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR < (markov_model,markov_model) IS 'consistent total order of markov_model states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR < (nps_summary,nps_summary) IS 'consistent total order of nps_summary states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR < (rfm,rfm) IS 'consistent total order of rfm states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR <= (bgnbd,bgnbd) IS 'consistent total order of bgnbd states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR <= (community_health,community_health) IS 'consistent total order of community_health states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR <= (engagement,engagement) IS 'consistent total order of engagement states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR <= (funnel,funnel) IS 'consistent total order of funnel states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR <= (gammagamma,gammagamma) IS 'consistent total order of gammagamma states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR <= (journey,journey) IS 'consistent total order of journey states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR <= (markov_model,markov_model) IS 'consistent total order of markov_model states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR <= (nps_summary,nps_summary) IS 'consistent total order of nps_summary states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR <= (rfm,rfm) IS 'consistent total order of rfm states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR <> (bgnbd,bgnbd) IS 'bgnbd states differ';
COMMENT ON OPERATOR <> (community_health,community_health) IS 'community_health states differ';
COMMENT ON OPERATOR <> (engagement,engagement) IS 'engagement states differ';
COMMENT ON OPERATOR <> (funnel,funnel) IS 'funnel states differ';
COMMENT ON OPERATOR <> (gammagamma,gammagamma) IS 'gammagamma states differ';
COMMENT ON OPERATOR <> (journey,journey) IS 'journey states differ';
COMMENT ON OPERATOR <> (markov_model,markov_model) IS 'markov_model states differ';
COMMENT ON OPERATOR <> (nps_summary,nps_summary) IS 'nps_summary states differ';
COMMENT ON OPERATOR <> (rfm,rfm) IS 'rfm states differ';
COMMENT ON OPERATOR = (bgnbd,bgnbd) IS 'bgnbd states are equal (they print the same)';
COMMENT ON OPERATOR = (community_health,community_health) IS 'community_health states are equal (they print the same)';
COMMENT ON OPERATOR = (engagement,engagement) IS 'engagement states are equal (they print the same)';
COMMENT ON OPERATOR = (funnel,funnel) IS 'funnel states are equal (they print the same)';
COMMENT ON OPERATOR = (gammagamma,gammagamma) IS 'gammagamma states are equal (they print the same)';
COMMENT ON OPERATOR = (journey,journey) IS 'journey states are equal (they print the same)';
COMMENT ON OPERATOR = (markov_model,markov_model) IS 'markov_model states are equal (they print the same)';
COMMENT ON OPERATOR = (nps_summary,nps_summary) IS 'nps_summary states are equal (they print the same)';
COMMENT ON OPERATOR = (rfm,rfm) IS 'rfm states are equal (they print the same)';
COMMENT ON OPERATOR > (bgnbd,bgnbd) IS 'consistent total order of bgnbd states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR > (community_health,community_health) IS 'consistent total order of community_health states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR > (engagement,engagement) IS 'consistent total order of engagement states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR > (funnel,funnel) IS 'consistent total order of funnel states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR > (gammagamma,gammagamma) IS 'consistent total order of gammagamma states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR > (journey,journey) IS 'consistent total order of journey states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR > (markov_model,markov_model) IS 'consistent total order of markov_model states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR > (nps_summary,nps_summary) IS 'consistent total order of nps_summary states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR > (rfm,rfm) IS 'consistent total order of rfm states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR >= (bgnbd,bgnbd) IS 'consistent total order of bgnbd states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR >= (community_health,community_health) IS 'consistent total order of community_health states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR >= (engagement,engagement) IS 'consistent total order of engagement states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR >= (funnel,funnel) IS 'consistent total order of funnel states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR >= (gammagamma,gammagamma) IS 'consistent total order of gammagamma states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR >= (journey,journey) IS 'consistent total order of journey states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR >= (markov_model,markov_model) IS 'consistent total order of markov_model states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR >= (nps_summary,nps_summary) IS 'consistent total order of nps_summary states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR >= (rfm,rfm) IS 'consistent total order of rfm states (it means nothing; for sorting and DISTINCT)';
COMMENT ON TYPE engagement_dimension IS 'the four dimensions of engagement: involvement, interaction, intimacy, influence';

-- penalized fits (issue 21): lifetimes' penalizer_coef, an L2 penalty on the
-- parameters added to minus the mean log-likelihood; the penalizer is one
-- constant per aggregate (NULL = 0), checked on every row
CREATE FUNCTION bgnbd_fit_trans(internal, double precision, double precision,
								double precision, double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION gammagamma_fit_trans(internal, double precision, double precision,
									 double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE bgnbd_fit(frequency double precision, recency double precision,
						   age double precision, penalizer double precision) (
	SFUNC = bgnbd_fit_trans,
	STYPE = internal,
	FINALFUNC = bgnbd_fit_final,
	COMBINEFUNC = model_fit_combine,
	SERIALFUNC = model_fit_serial,
	DESERIALFUNC = model_fit_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE gammagamma_fit(frequency double precision, monetary double precision,
								penalizer double precision) (
	SFUNC = gammagamma_fit_trans,
	STYPE = internal,
	FINALFUNC = gammagamma_fit_final,
	COMBINEFUNC = model_fit_combine,
	SERIALFUNC = model_fit_serial,
	DESERIALFUNC = model_fit_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE bgnbd_fit(double precision, double precision, double precision, double precision)
	IS 'BG/NBD model of (frequency, recency, age) per customer, maximising the mean log-likelihood minus penalizer times the sum of r^2, (alpha/max age)^2, a^2, b^2 (lifetimes'' penalizer_coef)';
COMMENT ON AGGREGATE gammagamma_fit(double precision, double precision, double precision)
	IS 'Gamma-Gamma model of (frequency, mean repeat spend) per customer, maximising the mean log-likelihood minus penalizer times the sum of p^2, q^2, gamma^2 (lifetimes'' penalizer_coef)';
COMMENT ON FUNCTION bgnbd_fit_trans(internal,double precision,double precision,double precision,double precision) IS 'transition function of aggregate bgnbd_fit(double precision,double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION gammagamma_fit_trans(internal,double precision,double precision,double precision) IS 'transition function of aggregate gammagamma_fit(double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION bgnbd_fit_final(internal) IS 'final function of aggregates bgnbd_fit(double precision,double precision,double precision) and bgnbd_fit(double precision,double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION gammagamma_fit_final(internal) IS 'final function of aggregates gammagamma_fit(double precision,double precision) and gammagamma_fit(double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION model_fit_combine(internal,internal) IS 'combine function of aggregates bgnbd_fit and gammagamma_fit, with and without a penalizer (not meant to be called directly)';
COMMENT ON FUNCTION model_fit_serial(internal) IS 'serialization function of aggregates bgnbd_fit and gammagamma_fit, with and without a penalizer (not meant to be called directly)';
COMMENT ON FUNCTION model_fit_deserial(bytea,internal) IS 'deserialization function of aggregates bgnbd_fit and gammagamma_fit, with and without a penalizer (not meant to be called directly)';
/*
 * crv() with a concrete referee type (issue 19).  The anyelement form works
 * on one node, but Citus cannot partially aggregate an aggregate whose
 * transition function takes a polymorphic argument ("worker_partial_agg_sfunc
 * could not confirm type correctness"), so crv grouped by anything but the
 * distribution column failed there.  The common key types get their own
 * overloads (smallint too: it casts to both integer and bigint, which
 * would make a smallint key ambiguous); the anyelement form stays for
 * other types.  The transition function only tests the referee for NULL,
 * so every overload shares the C function of the anyelement form.  An
 * integer key picks the integer form, an unknown literal the text form.
 */

CREATE FUNCTION crv_trans(double precision, bigint, boolean, double precision,
						  double precision, double precision, double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_crv_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE crv(referee bigint, would_have_joined boolean,
					 margin_value double precision, reward double precision,
					 retention_cost double precision,
					 acquisition_cost double precision) (
	SFUNC = crv_trans,
	STYPE = double precision,
	INITCOND = '0',
	COMBINEFUNC = pg_catalog.float8pl,
	PARALLEL = SAFE
);

CREATE FUNCTION crv_trans(double precision, bigint, boolean, double precision,
						  double precision, double precision, double precision,
						  double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_crv_trans_p'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE crv(referee bigint, would_have_joined boolean,
					 margin_value double precision, reward double precision,
					 retention_cost double precision,
					 acquisition_cost double precision,
					 p_join_anyway double precision) (
	SFUNC = crv_trans,
	STYPE = double precision,
	INITCOND = '0',
	COMBINEFUNC = pg_catalog.float8pl,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE crv(bigint, boolean, double precision, double precision, double precision, double precision) IS 'Kumar''s customer referral value of a referrer: one row per referred customer (bigint referee)';
COMMENT ON AGGREGATE crv(bigint, boolean, double precision, double precision, double precision, double precision, double precision) IS 'Kumar''s customer referral value; unknown referrals weighted by the probability of joining anyway (bigint referee)';
COMMENT ON FUNCTION crv_trans(double precision,bigint,boolean,double precision,double precision,double precision,double precision) IS 'transition function of aggregate crv(bigint,boolean,double precision,double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION crv_trans(double precision,bigint,boolean,double precision,double precision,double precision,double precision,double precision) IS 'transition function of aggregate crv(bigint,boolean,double precision,double precision,double precision,double precision,double precision) (not meant to be called directly)';

CREATE FUNCTION crv_trans(double precision, integer, boolean, double precision,
						  double precision, double precision, double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_crv_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE crv(referee integer, would_have_joined boolean,
					 margin_value double precision, reward double precision,
					 retention_cost double precision,
					 acquisition_cost double precision) (
	SFUNC = crv_trans,
	STYPE = double precision,
	INITCOND = '0',
	COMBINEFUNC = pg_catalog.float8pl,
	PARALLEL = SAFE
);

CREATE FUNCTION crv_trans(double precision, integer, boolean, double precision,
						  double precision, double precision, double precision,
						  double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_crv_trans_p'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE crv(referee integer, would_have_joined boolean,
					 margin_value double precision, reward double precision,
					 retention_cost double precision,
					 acquisition_cost double precision,
					 p_join_anyway double precision) (
	SFUNC = crv_trans,
	STYPE = double precision,
	INITCOND = '0',
	COMBINEFUNC = pg_catalog.float8pl,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE crv(integer, boolean, double precision, double precision, double precision, double precision) IS 'Kumar''s customer referral value of a referrer: one row per referred customer (integer referee)';
COMMENT ON AGGREGATE crv(integer, boolean, double precision, double precision, double precision, double precision, double precision) IS 'Kumar''s customer referral value; unknown referrals weighted by the probability of joining anyway (integer referee)';
COMMENT ON FUNCTION crv_trans(double precision,integer,boolean,double precision,double precision,double precision,double precision) IS 'transition function of aggregate crv(integer,boolean,double precision,double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION crv_trans(double precision,integer,boolean,double precision,double precision,double precision,double precision,double precision) IS 'transition function of aggregate crv(integer,boolean,double precision,double precision,double precision,double precision,double precision) (not meant to be called directly)';

CREATE FUNCTION crv_trans(double precision, text, boolean, double precision,
						  double precision, double precision, double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_crv_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE crv(referee text, would_have_joined boolean,
					 margin_value double precision, reward double precision,
					 retention_cost double precision,
					 acquisition_cost double precision) (
	SFUNC = crv_trans,
	STYPE = double precision,
	INITCOND = '0',
	COMBINEFUNC = pg_catalog.float8pl,
	PARALLEL = SAFE
);

CREATE FUNCTION crv_trans(double precision, text, boolean, double precision,
						  double precision, double precision, double precision,
						  double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_crv_trans_p'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE crv(referee text, would_have_joined boolean,
					 margin_value double precision, reward double precision,
					 retention_cost double precision,
					 acquisition_cost double precision,
					 p_join_anyway double precision) (
	SFUNC = crv_trans,
	STYPE = double precision,
	INITCOND = '0',
	COMBINEFUNC = pg_catalog.float8pl,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE crv(text, boolean, double precision, double precision, double precision, double precision) IS 'Kumar''s customer referral value of a referrer: one row per referred customer (text referee)';
COMMENT ON AGGREGATE crv(text, boolean, double precision, double precision, double precision, double precision, double precision) IS 'Kumar''s customer referral value; unknown referrals weighted by the probability of joining anyway (text referee)';
COMMENT ON FUNCTION crv_trans(double precision,text,boolean,double precision,double precision,double precision,double precision) IS 'transition function of aggregate crv(text,boolean,double precision,double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION crv_trans(double precision,text,boolean,double precision,double precision,double precision,double precision,double precision) IS 'transition function of aggregate crv(text,boolean,double precision,double precision,double precision,double precision,double precision) (not meant to be called directly)';

CREATE FUNCTION crv_trans(double precision, uuid, boolean, double precision,
						  double precision, double precision, double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_crv_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE crv(referee uuid, would_have_joined boolean,
					 margin_value double precision, reward double precision,
					 retention_cost double precision,
					 acquisition_cost double precision) (
	SFUNC = crv_trans,
	STYPE = double precision,
	INITCOND = '0',
	COMBINEFUNC = pg_catalog.float8pl,
	PARALLEL = SAFE
);

CREATE FUNCTION crv_trans(double precision, uuid, boolean, double precision,
						  double precision, double precision, double precision,
						  double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_crv_trans_p'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE crv(referee uuid, would_have_joined boolean,
					 margin_value double precision, reward double precision,
					 retention_cost double precision,
					 acquisition_cost double precision,
					 p_join_anyway double precision) (
	SFUNC = crv_trans,
	STYPE = double precision,
	INITCOND = '0',
	COMBINEFUNC = pg_catalog.float8pl,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE crv(uuid, boolean, double precision, double precision, double precision, double precision) IS 'Kumar''s customer referral value of a referrer: one row per referred customer (uuid referee)';
COMMENT ON AGGREGATE crv(uuid, boolean, double precision, double precision, double precision, double precision, double precision) IS 'Kumar''s customer referral value; unknown referrals weighted by the probability of joining anyway (uuid referee)';
COMMENT ON FUNCTION crv_trans(double precision,uuid,boolean,double precision,double precision,double precision,double precision) IS 'transition function of aggregate crv(uuid,boolean,double precision,double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION crv_trans(double precision,uuid,boolean,double precision,double precision,double precision,double precision,double precision) IS 'transition function of aggregate crv(uuid,boolean,double precision,double precision,double precision,double precision,double precision) (not meant to be called directly)';

CREATE FUNCTION crv_trans(double precision, smallint, boolean, double precision,
						  double precision, double precision, double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_crv_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE crv(referee smallint, would_have_joined boolean,
					 margin_value double precision, reward double precision,
					 retention_cost double precision,
					 acquisition_cost double precision) (
	SFUNC = crv_trans,
	STYPE = double precision,
	INITCOND = '0',
	COMBINEFUNC = pg_catalog.float8pl,
	PARALLEL = SAFE
);

CREATE FUNCTION crv_trans(double precision, smallint, boolean, double precision,
						  double precision, double precision, double precision,
						  double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_crv_trans_p'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE crv(referee smallint, would_have_joined boolean,
					 margin_value double precision, reward double precision,
					 retention_cost double precision,
					 acquisition_cost double precision,
					 p_join_anyway double precision) (
	SFUNC = crv_trans,
	STYPE = double precision,
	INITCOND = '0',
	COMBINEFUNC = pg_catalog.float8pl,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE crv(smallint, boolean, double precision, double precision, double precision, double precision) IS 'Kumar''s customer referral value of a referrer: one row per referred customer (smallint referee)';
COMMENT ON AGGREGATE crv(smallint, boolean, double precision, double precision, double precision, double precision, double precision) IS 'Kumar''s customer referral value; unknown referrals weighted by the probability of joining anyway (smallint referee)';
COMMENT ON FUNCTION crv_trans(double precision,smallint,boolean,double precision,double precision,double precision,double precision) IS 'transition function of aggregate crv(smallint,boolean,double precision,double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION crv_trans(double precision,smallint,boolean,double precision,double precision,double precision,double precision,double precision) IS 'transition function of aggregate crv(smallint,boolean,double precision,double precision,double precision,double precision,double precision) (not meant to be called directly)';

--
-- Conditions as separate arguments (issue 20).  retention(c1, ..., cN), N = 1
-- to 32, and window_funnel / funnel_agg with 1 to 8 steps take the conditions
-- as arguments, so no array is built per row.  PostgreSQL prefers these
-- non-variadic forms to the VARIADIC ones in the same schema, which stay for
-- funnels of 9 to 32 steps and for calls written VARIADIC ARRAY[...]; both
-- give the same results.
--

CREATE FUNCTION retention_trans(bigint, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 1 condition as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean) IS 'transition function of aggregate retention(boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 2 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 3 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 4 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 5 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 6 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 7 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 8 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 9 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 10 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 11 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 12 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 13 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 14 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 15 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean, c16 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 16 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean, c16 boolean, c17 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 17 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean, c16 boolean, c17 boolean, c18 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 18 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean, c16 boolean, c17 boolean, c18 boolean, c19 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 19 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean, c16 boolean, c17 boolean, c18 boolean, c19 boolean, c20 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 20 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean, c16 boolean, c17 boolean, c18 boolean, c19 boolean, c20 boolean, c21 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 21 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean, c16 boolean, c17 boolean, c18 boolean, c19 boolean, c20 boolean, c21 boolean, c22 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 22 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean, c16 boolean, c17 boolean, c18 boolean, c19 boolean, c20 boolean, c21 boolean, c22 boolean, c23 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 23 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean, c16 boolean, c17 boolean, c18 boolean, c19 boolean, c20 boolean, c21 boolean, c22 boolean, c23 boolean, c24 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 24 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean, c16 boolean, c17 boolean, c18 boolean, c19 boolean, c20 boolean, c21 boolean, c22 boolean, c23 boolean, c24 boolean, c25 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 25 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean, c16 boolean, c17 boolean, c18 boolean, c19 boolean, c20 boolean, c21 boolean, c22 boolean, c23 boolean, c24 boolean, c25 boolean, c26 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 26 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean, c16 boolean, c17 boolean, c18 boolean, c19 boolean, c20 boolean, c21 boolean, c22 boolean, c23 boolean, c24 boolean, c25 boolean, c26 boolean, c27 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 27 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean, c16 boolean, c17 boolean, c18 boolean, c19 boolean, c20 boolean, c21 boolean, c22 boolean, c23 boolean, c24 boolean, c25 boolean, c26 boolean, c27 boolean, c28 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 28 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean, c16 boolean, c17 boolean, c18 boolean, c19 boolean, c20 boolean, c21 boolean, c22 boolean, c23 boolean, c24 boolean, c25 boolean, c26 boolean, c27 boolean, c28 boolean, c29 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 29 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean, c16 boolean, c17 boolean, c18 boolean, c19 boolean, c20 boolean, c21 boolean, c22 boolean, c23 boolean, c24 boolean, c25 boolean, c26 boolean, c27 boolean, c28 boolean, c29 boolean, c30 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 30 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean, c16 boolean, c17 boolean, c18 boolean, c19 boolean, c20 boolean, c21 boolean, c22 boolean, c23 boolean, c24 boolean, c25 boolean, c26 boolean, c27 boolean, c28 boolean, c29 boolean, c30 boolean, c31 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 31 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean, c9 boolean, c10 boolean, c11 boolean, c12 boolean, c13 boolean, c14 boolean, c15 boolean, c16 boolean, c17 boolean, c18 boolean, c19 boolean, c20 boolean, c21 boolean, c22 boolean, c23 boolean, c24 boolean, c25 boolean, c26 boolean, c27 boolean, c28 boolean, c29 boolean, c30 boolean, c31 boolean, c32 boolean) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention), 32 conditions as arguments';
COMMENT ON FUNCTION retention_trans(bigint, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregate retention(boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION funnel_trans(internal, interval, timestamp with time zone, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(window_length interval, ts timestamptz, step1 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg(window_length interval, ts timestamptz, step1 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, timestamp with time zone, boolean) IS 'deepest funnel step reached within the window from step 1 (ClickHouse windowFunnel); 1 step as arguments';
COMMENT ON AGGREGATE funnel_agg(interval, timestamp with time zone, boolean) IS 'funnel state: step events with window and mode; 1 step as arguments';
COMMENT ON FUNCTION funnel_trans(internal, interval, timestamp with time zone, boolean) IS 'transition function of aggregates window_funnel(interval, timestamp with time zone, boolean) and funnel_agg(interval, timestamp with time zone, boolean) (not meant to be called directly)';

CREATE FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_mode_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(window_length interval, mode text, ts timestamptz, step1 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg(window_length interval, mode text, ts timestamptz, step1 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, text, timestamp with time zone, boolean) IS 'deepest funnel step reached within the window from step 1 (ClickHouse windowFunnel), with a mode; 1 step as arguments';
COMMENT ON AGGREGATE funnel_agg(interval, text, timestamp with time zone, boolean) IS 'funnel state: step events with window and mode, with a mode; 1 step as arguments';
COMMENT ON FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, boolean) IS 'transition function of aggregates window_funnel(interval, text, timestamp with time zone, boolean) and funnel_agg(interval, text, timestamp with time zone, boolean) (not meant to be called directly)';

CREATE FUNCTION funnel_trans(internal, interval, timestamp with time zone, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(window_length interval, ts timestamptz, step1 boolean, step2 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg(window_length interval, ts timestamptz, step1 boolean, step2 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, timestamp with time zone, boolean, boolean) IS 'deepest funnel step reached within the window from step 1 (ClickHouse windowFunnel); 2 steps as arguments';
COMMENT ON AGGREGATE funnel_agg(interval, timestamp with time zone, boolean, boolean) IS 'funnel state: step events with window and mode; 2 steps as arguments';
COMMENT ON FUNCTION funnel_trans(internal, interval, timestamp with time zone, boolean, boolean) IS 'transition function of aggregates window_funnel(interval, timestamp with time zone, boolean, boolean) and funnel_agg(interval, timestamp with time zone, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_mode_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(window_length interval, mode text, ts timestamptz, step1 boolean, step2 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg(window_length interval, mode text, ts timestamptz, step1 boolean, step2 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, text, timestamp with time zone, boolean, boolean) IS 'deepest funnel step reached within the window from step 1 (ClickHouse windowFunnel), with a mode; 2 steps as arguments';
COMMENT ON AGGREGATE funnel_agg(interval, text, timestamp with time zone, boolean, boolean) IS 'funnel state: step events with window and mode, with a mode; 2 steps as arguments';
COMMENT ON FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, boolean, boolean) IS 'transition function of aggregates window_funnel(interval, text, timestamp with time zone, boolean, boolean) and funnel_agg(interval, text, timestamp with time zone, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION funnel_trans(internal, interval, timestamp with time zone, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(window_length interval, ts timestamptz, step1 boolean, step2 boolean, step3 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg(window_length interval, ts timestamptz, step1 boolean, step2 boolean, step3 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, timestamp with time zone, boolean, boolean, boolean) IS 'deepest funnel step reached within the window from step 1 (ClickHouse windowFunnel); 3 steps as arguments';
COMMENT ON AGGREGATE funnel_agg(interval, timestamp with time zone, boolean, boolean, boolean) IS 'funnel state: step events with window and mode; 3 steps as arguments';
COMMENT ON FUNCTION funnel_trans(internal, interval, timestamp with time zone, boolean, boolean, boolean) IS 'transition function of aggregates window_funnel(interval, timestamp with time zone, boolean, boolean, boolean) and funnel_agg(interval, timestamp with time zone, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_mode_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(window_length interval, mode text, ts timestamptz, step1 boolean, step2 boolean, step3 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg(window_length interval, mode text, ts timestamptz, step1 boolean, step2 boolean, step3 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, text, timestamp with time zone, boolean, boolean, boolean) IS 'deepest funnel step reached within the window from step 1 (ClickHouse windowFunnel), with a mode; 3 steps as arguments';
COMMENT ON AGGREGATE funnel_agg(interval, text, timestamp with time zone, boolean, boolean, boolean) IS 'funnel state: step events with window and mode, with a mode; 3 steps as arguments';
COMMENT ON FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, boolean, boolean, boolean) IS 'transition function of aggregates window_funnel(interval, text, timestamp with time zone, boolean, boolean, boolean) and funnel_agg(interval, text, timestamp with time zone, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION funnel_trans(internal, interval, timestamp with time zone, boolean, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(window_length interval, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg(window_length interval, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, timestamp with time zone, boolean, boolean, boolean, boolean) IS 'deepest funnel step reached within the window from step 1 (ClickHouse windowFunnel); 4 steps as arguments';
COMMENT ON AGGREGATE funnel_agg(interval, timestamp with time zone, boolean, boolean, boolean, boolean) IS 'funnel state: step events with window and mode; 4 steps as arguments';
COMMENT ON FUNCTION funnel_trans(internal, interval, timestamp with time zone, boolean, boolean, boolean, boolean) IS 'transition function of aggregates window_funnel(interval, timestamp with time zone, boolean, boolean, boolean, boolean) and funnel_agg(interval, timestamp with time zone, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, boolean, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_mode_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(window_length interval, mode text, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg(window_length interval, mode text, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean) IS 'deepest funnel step reached within the window from step 1 (ClickHouse windowFunnel), with a mode; 4 steps as arguments';
COMMENT ON AGGREGATE funnel_agg(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean) IS 'funnel state: step events with window and mode, with a mode; 4 steps as arguments';
COMMENT ON FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, boolean, boolean, boolean, boolean) IS 'transition function of aggregates window_funnel(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean) and funnel_agg(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION funnel_trans(internal, interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(window_length interval, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean, step5 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg(window_length interval, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean, step5 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean) IS 'deepest funnel step reached within the window from step 1 (ClickHouse windowFunnel); 5 steps as arguments';
COMMENT ON AGGREGATE funnel_agg(interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean) IS 'funnel state: step events with window and mode; 5 steps as arguments';
COMMENT ON FUNCTION funnel_trans(internal, interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregates window_funnel(interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean) and funnel_agg(interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_mode_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(window_length interval, mode text, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean, step5 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg(window_length interval, mode text, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean, step5 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean) IS 'deepest funnel step reached within the window from step 1 (ClickHouse windowFunnel), with a mode; 5 steps as arguments';
COMMENT ON AGGREGATE funnel_agg(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean) IS 'funnel state: step events with window and mode, with a mode; 5 steps as arguments';
COMMENT ON FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregates window_funnel(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean) and funnel_agg(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION funnel_trans(internal, interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(window_length interval, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean, step5 boolean, step6 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg(window_length interval, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean, step5 boolean, step6 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean) IS 'deepest funnel step reached within the window from step 1 (ClickHouse windowFunnel); 6 steps as arguments';
COMMENT ON AGGREGATE funnel_agg(interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean) IS 'funnel state: step events with window and mode; 6 steps as arguments';
COMMENT ON FUNCTION funnel_trans(internal, interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregates window_funnel(interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean) and funnel_agg(interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_mode_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(window_length interval, mode text, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean, step5 boolean, step6 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg(window_length interval, mode text, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean, step5 boolean, step6 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean) IS 'deepest funnel step reached within the window from step 1 (ClickHouse windowFunnel), with a mode; 6 steps as arguments';
COMMENT ON AGGREGATE funnel_agg(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean) IS 'funnel state: step events with window and mode, with a mode; 6 steps as arguments';
COMMENT ON FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregates window_funnel(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean) and funnel_agg(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION funnel_trans(internal, interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(window_length interval, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean, step5 boolean, step6 boolean, step7 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg(window_length interval, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean, step5 boolean, step6 boolean, step7 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'deepest funnel step reached within the window from step 1 (ClickHouse windowFunnel); 7 steps as arguments';
COMMENT ON AGGREGATE funnel_agg(interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'funnel state: step events with window and mode; 7 steps as arguments';
COMMENT ON FUNCTION funnel_trans(internal, interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregates window_funnel(interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean) and funnel_agg(interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_mode_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(window_length interval, mode text, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean, step5 boolean, step6 boolean, step7 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg(window_length interval, mode text, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean, step5 boolean, step6 boolean, step7 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'deepest funnel step reached within the window from step 1 (ClickHouse windowFunnel), with a mode; 7 steps as arguments';
COMMENT ON AGGREGATE funnel_agg(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'funnel state: step events with window and mode, with a mode; 7 steps as arguments';
COMMENT ON FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregates window_funnel(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean) and funnel_agg(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION funnel_trans(internal, interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(window_length interval, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean, step5 boolean, step6 boolean, step7 boolean, step8 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg(window_length interval, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean, step5 boolean, step6 boolean, step7 boolean, step8 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'deepest funnel step reached within the window from step 1 (ClickHouse windowFunnel); 8 steps as arguments';
COMMENT ON AGGREGATE funnel_agg(interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'funnel state: step events with window and mode; 8 steps as arguments';
COMMENT ON FUNCTION funnel_trans(internal, interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregates window_funnel(interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) and funnel_agg(interval, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_mode_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(window_length interval, mode text, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean, step5 boolean, step6 boolean, step7 boolean, step8 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg(window_length interval, mode text, ts timestamptz, step1 boolean, step2 boolean, step3 boolean, step4 boolean, step5 boolean, step6 boolean, step7 boolean, step8 boolean) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'deepest funnel step reached within the window from step 1 (ClickHouse windowFunnel), with a mode; 8 steps as arguments';
COMMENT ON AGGREGATE funnel_agg(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'funnel state: step events with window and mode, with a mode; 8 steps as arguments';
COMMENT ON FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregates window_funnel(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) and funnel_agg(interval, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

--
-- The planner's estimate of a group's state (issue 20): without SSPACE it
-- takes 8 kB for an internal state, plans hash aggregation over a million
-- customers as spilling to disk and does; these are the sizes measured for
-- groups of ten rows.  (bgnbd_fit and gammagamma_fit keep the default: they
-- run over few groups.)
--
CREATE OR REPLACE AGGREGATE journey_agg(ts timestamptz, channel text) (
	SFUNC = journey_trans,
	STYPE = internal,
	SSPACE = 800,
	FINALFUNC = journey_final,
	COMBINEFUNC = journey_combine,
	SERIALFUNC = journey_serial,
	DESERIALFUNC = journey_deserial,
	PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE journey_agg(ts timestamptz, channel text, event text) (
	SFUNC = journey_trans,
	STYPE = internal,
	SSPACE = 1000,
	FINALFUNC = journey_final,
	COMBINEFUNC = journey_combine,
	SERIALFUNC = journey_serial,
	DESERIALFUNC = journey_deserial,
	PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE rollup(journey) (
	SFUNC = journey_rollup_trans,
	STYPE = internal,
	SSPACE = 800,
	FINALFUNC = journey_final,
	COMBINEFUNC = journey_combine,
	SERIALFUNC = journey_serial,
	DESERIALFUNC = journey_deserial,
	PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE window_funnel(window_length interval, ts timestamptz, VARIADIC steps boolean[]) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE window_funnel(window_length interval, mode text, ts timestamptz, VARIADIC steps boolean[]) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE funnel_agg(window_length interval, ts timestamptz, VARIADIC steps boolean[]) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE funnel_agg(window_length interval, mode text, ts timestamptz, VARIADIC steps boolean[]) (
	SFUNC = funnel_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE rollup(funnel) (
	SFUNC = funnel_rollup_trans,
	STYPE = internal,
	SSPACE = 272,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE rfm_agg(ts timestamptz, amount double precision) (
	SFUNC = rfm_trans,
	STYPE = internal,
	SSPACE = 500,
	FINALFUNC = rfm_final,
	COMBINEFUNC = rfm_combine,
	SERIALFUNC = rfm_serial,
	DESERIALFUNC = rfm_deserial,
	PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE rollup(rfm) (
	SFUNC = rfm_rollup_trans,
	STYPE = internal,
	SSPACE = 500,
	FINALFUNC = rfm_final,
	COMBINEFUNC = rfm_combine,
	SERIALFUNC = rfm_serial,
	DESERIALFUNC = rfm_deserial,
	PARALLEL = SAFE
);

-- Calibration and holdout (issue 21, item 4): lifetimes'
-- calibration_and_holdout_data as an aggregate, and the tables behind its
-- validation charts (src/calibration.c, docs/predictive.md)
--

CREATE TYPE calibration_holdout AS (
	frequency_cal bigint,
	recency_cal double precision,
	age_cal double precision,
	monetary_cal double precision,
	frequency_holdout bigint,
	monetary_holdout double precision,
	duration_holdout double precision
);

CREATE FUNCTION calibration_holdout_trans(internal, timestamptz, double precision,
										  timestamptz, timestamptz)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_calibration_holdout_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION calibration_holdout_trans(internal, timestamptz, double precision,
										  timestamptz, timestamptz, interval)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_calibration_holdout_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION calibration_holdout_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_calibration_holdout_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION calibration_holdout_serial(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_calibration_holdout_serial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION calibration_holdout_deserial(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_calibration_holdout_deserial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION calibration_holdout_final(internal) RETURNS calibration_holdout
	AS 'MODULE_PATHNAME', 'engagement_calibration_holdout_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE calibration_holdout(ts timestamptz, amount double precision,
									 calibration_end timestamptz,
									 observation_end timestamptz) (
	SFUNC = calibration_holdout_trans,
	STYPE = internal,
	FINALFUNC = calibration_holdout_final,
	COMBINEFUNC = calibration_holdout_combine,
	SERIALFUNC = calibration_holdout_serial,
	DESERIALFUNC = calibration_holdout_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE calibration_holdout(ts timestamptz, amount double precision,
									 calibration_end timestamptz,
									 observation_end timestamptz, period interval) (
	SFUNC = calibration_holdout_trans,
	STYPE = internal,
	FINALFUNC = calibration_holdout_final,
	COMBINEFUNC = calibration_holdout_combine,
	SERIALFUNC = calibration_holdout_serial,
	DESERIALFUNC = calibration_holdout_deserial,
	PARALLEL = SAFE
);

CREATE TYPE holdout_by_frequency AS (
	frequency_cal integer,
	customers bigint,
	actual double precision,
	predicted double precision
);

CREATE TYPE frequency_histogram AS (
	frequency integer,
	customers bigint,
	expected double precision
);

CREATE FUNCTION holdout_by_frequency_trans(internal, bgnbd, double precision,
										   double precision, double precision,
										   double precision, double precision)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_holdout_by_frequency_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION holdout_by_frequency_trans(internal, bgnbd, double precision,
										   double precision, double precision,
										   double precision, double precision, integer)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_holdout_by_frequency_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION frequency_histogram_trans(internal, bgnbd, double precision,
										  double precision)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_frequency_histogram_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION frequency_histogram_trans(internal, bgnbd, double precision,
										  double precision, integer)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_frequency_histogram_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION frequency_buckets_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_frequency_buckets_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION frequency_buckets_serial(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_frequency_buckets_serial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION frequency_buckets_deserial(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_frequency_buckets_deserial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION holdout_by_frequency_final(internal) RETURNS holdout_by_frequency[]
	AS 'MODULE_PATHNAME', 'engagement_holdout_by_frequency_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION frequency_histogram_final(internal) RETURNS frequency_histogram[]
	AS 'MODULE_PATHNAME', 'engagement_frequency_histogram_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE holdout_by_frequency(model bgnbd, frequency_cal double precision,
									  recency_cal double precision,
									  age_cal double precision,
									  frequency_holdout double precision,
									  duration_holdout double precision) (
	SFUNC = holdout_by_frequency_trans,
	STYPE = internal,
	FINALFUNC = holdout_by_frequency_final,
	COMBINEFUNC = frequency_buckets_combine,
	SERIALFUNC = frequency_buckets_serial,
	DESERIALFUNC = frequency_buckets_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE holdout_by_frequency(model bgnbd, frequency_cal double precision,
									  recency_cal double precision,
									  age_cal double precision,
									  frequency_holdout double precision,
									  duration_holdout double precision,
									  max_frequency integer) (
	SFUNC = holdout_by_frequency_trans,
	STYPE = internal,
	FINALFUNC = holdout_by_frequency_final,
	COMBINEFUNC = frequency_buckets_combine,
	SERIALFUNC = frequency_buckets_serial,
	DESERIALFUNC = frequency_buckets_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE frequency_histogram(model bgnbd, frequency double precision,
									 age double precision) (
	SFUNC = frequency_histogram_trans,
	STYPE = internal,
	FINALFUNC = frequency_histogram_final,
	COMBINEFUNC = frequency_buckets_combine,
	SERIALFUNC = frequency_buckets_serial,
	DESERIALFUNC = frequency_buckets_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE frequency_histogram(model bgnbd, frequency double precision,
									 age double precision, max_frequency integer) (
	SFUNC = frequency_histogram_trans,
	STYPE = internal,
	FINALFUNC = frequency_histogram_final,
	COMBINEFUNC = frequency_buckets_combine,
	SERIALFUNC = frequency_buckets_serial,
	DESERIALFUNC = frequency_buckets_deserial,
	PARALLEL = SAFE
);

CREATE FUNCTION frequency_recency_matrix(model bgnbd, age double precision,
										 max_frequency integer,
										 t double precision DEFAULT 1,
										 OUT frequency integer, OUT recency integer,
										 OUT expected_purchases double precision,
										 OUT p_alive double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_frequency_recency_matrix'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;

COMMENT ON TYPE calibration_holdout IS 'one customer''s calibration RFM and holdout purchases (lifetimes'' calibration_and_holdout_data, times in periods)';
COMMENT ON AGGREGATE calibration_holdout(timestamptz, double precision, timestamptz, timestamptz) IS 'a customer''s calibration frequency, recency, age, monetary value and holdout purchases from raw purchases, in days (NULL without a purchase in the calibration period)';
COMMENT ON AGGREGATE calibration_holdout(timestamptz, double precision, timestamptz, timestamptz, interval) IS 'a customer''s calibration frequency, recency, age, monetary value and holdout purchases from raw purchases, in periods of the given length (NULL without a purchase in the calibration period)';
COMMENT ON FUNCTION calibration_holdout_trans(internal, timestamptz, double precision, timestamptz, timestamptz) IS 'transition function of aggregate calibration_holdout (not meant to be called directly)';
COMMENT ON FUNCTION calibration_holdout_trans(internal, timestamptz, double precision, timestamptz, timestamptz, interval) IS 'transition function of aggregate calibration_holdout (not meant to be called directly)';
COMMENT ON FUNCTION calibration_holdout_combine(internal, internal) IS 'combine function of aggregate calibration_holdout (not meant to be called directly)';
COMMENT ON FUNCTION calibration_holdout_serial(internal) IS 'serial function of aggregate calibration_holdout (not meant to be called directly)';
COMMENT ON FUNCTION calibration_holdout_deserial(bytea, internal) IS 'deserial function of aggregate calibration_holdout (not meant to be called directly)';
COMMENT ON FUNCTION calibration_holdout_final(internal) IS 'final function of aggregate calibration_holdout (not meant to be called directly)';
COMMENT ON TYPE holdout_by_frequency IS 'one row of holdout_by_frequency: customers of a calibration frequency, their mean holdout purchases and the BG/NBD prediction';
COMMENT ON TYPE frequency_histogram IS 'one row of frequency_histogram: customers with a number of repeat purchases and the number a BG/NBD model expects';
COMMENT ON AGGREGATE holdout_by_frequency(bgnbd, double precision, double precision, double precision, double precision, double precision) IS 'per calibration frequency 0..7 (7: 7 or more), mean holdout purchases, actual and predicted by a BG/NBD model; read with unnest()';
COMMENT ON AGGREGATE holdout_by_frequency(bgnbd, double precision, double precision, double precision, double precision, double precision, integer) IS 'per calibration frequency 0..max_frequency (the last: max_frequency or more), mean holdout purchases, actual and predicted by a BG/NBD model; read with unnest()';
COMMENT ON AGGREGATE frequency_histogram(bgnbd, double precision, double precision) IS 'customers with 0..7 (7: 7 or more) repeat purchases, actual and expected by a BG/NBD model (sum of P(X(age) = x)); read with unnest()';
COMMENT ON AGGREGATE frequency_histogram(bgnbd, double precision, double precision, integer) IS 'customers with 0..max_frequency (the last: or more) repeat purchases, actual and expected by a BG/NBD model (sum of P(X(age) = x)); read with unnest()';
COMMENT ON FUNCTION holdout_by_frequency_trans(internal, bgnbd, double precision, double precision, double precision, double precision, double precision) IS 'transition function of aggregate holdout_by_frequency (not meant to be called directly)';
COMMENT ON FUNCTION holdout_by_frequency_trans(internal, bgnbd, double precision, double precision, double precision, double precision, double precision, integer) IS 'transition function of aggregate holdout_by_frequency (not meant to be called directly)';
COMMENT ON FUNCTION frequency_histogram_trans(internal, bgnbd, double precision, double precision) IS 'transition function of aggregate frequency_histogram (not meant to be called directly)';
COMMENT ON FUNCTION frequency_histogram_trans(internal, bgnbd, double precision, double precision, integer) IS 'transition function of aggregate frequency_histogram (not meant to be called directly)';
COMMENT ON FUNCTION frequency_buckets_combine(internal, internal) IS 'combine function of aggregates holdout_by_frequency and frequency_histogram (not meant to be called directly)';
COMMENT ON FUNCTION frequency_buckets_serial(internal) IS 'serial function of aggregates holdout_by_frequency and frequency_histogram (not meant to be called directly)';
COMMENT ON FUNCTION frequency_buckets_deserial(bytea, internal) IS 'deserial function of aggregates holdout_by_frequency and frequency_histogram (not meant to be called directly)';
COMMENT ON FUNCTION holdout_by_frequency_final(internal) IS 'final function of aggregate holdout_by_frequency (not meant to be called directly)';
COMMENT ON FUNCTION frequency_histogram_final(internal) IS 'final function of aggregate frequency_histogram (not meant to be called directly)';
COMMENT ON FUNCTION frequency_recency_matrix(bgnbd, double precision, integer, double precision) IS 'BG/NBD expected purchases in the next t and P(alive) for frequency 0..max_frequency and recency 0..floor(age) at one age (lifetimes'' frequency/recency matrix)';
/*
 * The BG/BB model (issue 21): the beta-geometric/beta-binomial model of
 * repeat transactions at discrete opportunities (Fader, Hardie and Shang
 * 2010), with the shape of the BG/NBD model: a type, a constructor, a
 * fitting aggregate and accessors under the names bgnbd has in 1.2.
 */
CREATE TYPE bgbb;

CREATE FUNCTION bgbb_in(cstring) RETURNS bgbb
	AS 'MODULE_PATHNAME', 'engagement_bgbb_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_out(bgbb) RETURNS cstring
	AS 'MODULE_PATHNAME', 'engagement_bgbb_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_recv(internal) RETURNS bgbb
	AS 'MODULE_PATHNAME', 'engagement_bgbb_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_send(bgbb) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_bgbb_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE bgbb (
	INTERNALLENGTH = variable,
	INPUT = bgbb_in,
	OUTPUT = bgbb_out,
	RECEIVE = bgbb_recv,
	SEND = bgbb_send,
	ALIGNMENT = double,
	STORAGE = plain
);

CREATE FUNCTION bgbb(alpha double precision, beta double precision,
					 gamma double precision, delta double precision) RETURNS bgbb
	AS 'MODULE_PATHNAME', 'engagement_bgbb_make'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- the fit: rows (frequency, recency, opportunities[, customers[, penalizer]])
CREATE FUNCTION bgbb_fit_trans(internal, double precision, double precision,
							   double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_bgbb_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_trans(internal, double precision, double precision,
							   double precision, bigint) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_bgbb_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_trans(internal, double precision, double precision,
							   double precision, bigint, double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_bgbb_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_final(internal) RETURNS bgbb
	AS 'MODULE_PATHNAME', 'engagement_bgbb_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_bgbb_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_serial(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_bgbb_serial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_deserial(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_bgbb_deserial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE bgbb_fit(frequency double precision, recency double precision,
						  opportunities double precision) (
	SFUNC = bgbb_fit_trans,
	STYPE = internal,
	FINALFUNC = bgbb_fit_final,
	COMBINEFUNC = bgbb_fit_combine,
	SERIALFUNC = bgbb_fit_serial,
	DESERIALFUNC = bgbb_fit_deserial,
	PARALLEL = SAFE
);
CREATE AGGREGATE bgbb_fit(frequency double precision, recency double precision,
						  opportunities double precision, customers bigint) (
	SFUNC = bgbb_fit_trans,
	STYPE = internal,
	FINALFUNC = bgbb_fit_final,
	COMBINEFUNC = bgbb_fit_combine,
	SERIALFUNC = bgbb_fit_serial,
	DESERIALFUNC = bgbb_fit_deserial,
	PARALLEL = SAFE
);
CREATE AGGREGATE bgbb_fit(frequency double precision, recency double precision,
						  opportunities double precision, customers bigint,
						  penalizer double precision) (
	SFUNC = bgbb_fit_trans,
	STYPE = internal,
	FINALFUNC = bgbb_fit_final,
	COMBINEFUNC = bgbb_fit_combine,
	SERIALFUNC = bgbb_fit_serial,
	DESERIALFUNC = bgbb_fit_deserial,
	PARALLEL = SAFE
);

-- accessors
CREATE FUNCTION parameters(bgbb, OUT parameter text, OUT estimate double precision,
						   OUT std_error double precision) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_bgbb_parameters'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;
CREATE FUNCTION estimates(bgbb, OUT alpha double precision, OUT beta double precision,
						  OUT gamma double precision, OUT delta double precision,
						  OUT alpha_std_error double precision, OUT beta_std_error double precision,
						  OUT gamma_std_error double precision, OUT delta_std_error double precision)
	RETURNS record
	AS 'MODULE_PATHNAME', 'engagement_bgbb_estimates'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_likelihood(bgbb) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_bgbb_loglik'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customers(bgbb) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_bgbb_customers'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- predictions (opportunities are whole numbers)
CREATE FUNCTION log_likelihood(model bgbb, frequency double precision,
							   recency double precision, opportunities double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_bgbb_loglik_customer'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model bgbb, n_star double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_bgbb_expected'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model bgbb, n_star double precision,
								   frequency double precision, recency double precision,
								   opportunities double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_bgbb_expected_customer'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION p_alive(model bgbb, frequency double precision, recency double precision,
						opportunities double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_bgbb_p_alive'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION purchase_probability(model bgbb, n double precision,
									 purchases double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_bgbb_probability'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- JSON forms
CREATE FUNCTION bgbb_json(bgbb) RETURNS json
	AS 'MODULE_PATHNAME', 'engagement_bgbb_json'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (bgbb AS json) WITH FUNCTION bgbb_json(bgbb);
CREATE FUNCTION bgbb_jsonb(bgbb) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'engagement_bgbb_jsonb'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (bgbb AS jsonb) WITH FUNCTION bgbb_jsonb(bgbb);

-- equality, hashing and a (meaningless) total order, as on every state type
CREATE FUNCTION bgbb_eq(bgbb, bgbb) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_ne(bgbb, bgbb) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_lt(bgbb, bgbb) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_le(bgbb, bgbb) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_gt(bgbb, bgbb) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_ge(bgbb, bgbb) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_cmp(bgbb, bgbb) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_hash(bgbb) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_hash_extended(bgbb, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_state_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (LEFTARG = bgbb, RIGHTARG = bgbb, FUNCTION = bgbb_eq, COMMUTATOR = =,
				   NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = bgbb, RIGHTARG = bgbb, FUNCTION = bgbb_ne, COMMUTATOR = <>,
					NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = bgbb, RIGHTARG = bgbb, FUNCTION = bgbb_lt, COMMUTATOR = >,
				   NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = bgbb, RIGHTARG = bgbb, FUNCTION = bgbb_le, COMMUTATOR = >=,
					NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = bgbb, RIGHTARG = bgbb, FUNCTION = bgbb_gt, COMMUTATOR = <,
				   NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = bgbb, RIGHTARG = bgbb, FUNCTION = bgbb_ge, COMMUTATOR = <=,
					NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS bgbb_ops DEFAULT FOR TYPE bgbb USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 bgbb_cmp(bgbb, bgbb);
CREATE OPERATOR CLASS bgbb_hash_ops DEFAULT FOR TYPE bgbb USING hash AS
	OPERATOR 1 =, FUNCTION 1 bgbb_hash(bgbb), FUNCTION 2 bgbb_hash_extended(bgbb, bigint);

COMMENT ON TYPE bgbb IS 'BG/BB model of repeat transactions at discrete opportunities (Fader, Hardie and Shang 2010)';
COMMENT ON FUNCTION bgbb_in(cstring) IS 'text input of type bgbb';
COMMENT ON FUNCTION bgbb_out(bgbb) IS 'text output of type bgbb';
COMMENT ON FUNCTION bgbb_recv(internal) IS 'binary input of type bgbb';
COMMENT ON FUNCTION bgbb_send(bgbb) IS 'binary output of type bgbb';
COMMENT ON FUNCTION bgbb(double precision,double precision,double precision,double precision) IS 'a BG/BB model from known parameters alpha, beta, gamma, delta';
COMMENT ON AGGREGATE bgbb_fit(double precision, double precision, double precision)
	IS 'maximum-likelihood BG/BB model of (frequency, recency, opportunities) per customer';
COMMENT ON AGGREGATE bgbb_fit(double precision, double precision, double precision, bigint)
	IS 'maximum-likelihood BG/BB model of (frequency, recency, opportunities) patterns, each with its number of customers';
COMMENT ON AGGREGATE bgbb_fit(double precision, double precision, double precision, bigint, double precision)
	IS 'BG/BB model of (frequency, recency, opportunities) patterns with their numbers of customers, maximising the mean log-likelihood minus penalizer times the sum of alpha^2, beta^2, gamma^2, delta^2 (lifetimes'' penalizer_coef)';
COMMENT ON FUNCTION bgbb_fit_trans(internal,double precision,double precision,double precision) IS 'transition function of aggregate bgbb_fit(double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION bgbb_fit_trans(internal,double precision,double precision,double precision,bigint) IS 'transition function of aggregate bgbb_fit(double precision,double precision,double precision,bigint) (not meant to be called directly)';
COMMENT ON FUNCTION bgbb_fit_trans(internal,double precision,double precision,double precision,bigint,double precision) IS 'transition function of aggregate bgbb_fit(double precision,double precision,double precision,bigint,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION bgbb_fit_final(internal) IS 'final function of the bgbb_fit aggregates (not meant to be called directly)';
COMMENT ON FUNCTION bgbb_fit_combine(internal,internal) IS 'combine function of the bgbb_fit aggregates (not meant to be called directly)';
COMMENT ON FUNCTION bgbb_fit_serial(internal) IS 'serialization function of the bgbb_fit aggregates (not meant to be called directly)';
COMMENT ON FUNCTION bgbb_fit_deserial(bytea,internal) IS 'deserialization function of the bgbb_fit aggregates (not meant to be called directly)';
COMMENT ON FUNCTION parameters(bgbb) IS 'parameters of a BG/BB model with their standard errors';
COMMENT ON FUNCTION estimates(bgbb) IS 'parameters alpha, beta, gamma, delta of a BG/BB model and their standard errors, as one record';
COMMENT ON FUNCTION log_likelihood(bgbb) IS 'log-likelihood of the fit';
COMMENT ON FUNCTION customers(bgbb) IS 'number of customers the model was fitted on';
COMMENT ON FUNCTION log_likelihood(bgbb,double precision,double precision,double precision) IS 'one customer''s log-likelihood under a BG/BB model';
COMMENT ON FUNCTION expected_purchases(bgbb,double precision) IS 'expected transactions of a new customer in a number of opportunities';
COMMENT ON FUNCTION expected_purchases(bgbb,double precision,double precision,double precision,double precision) IS 'expected transactions of a customer in the next opportunities, given frequency, recency and opportunities';
COMMENT ON FUNCTION p_alive(bgbb,double precision,double precision,double precision) IS 'probability that a customer is alive at the next opportunity';
COMMENT ON FUNCTION purchase_probability(bgbb,double precision,double precision) IS 'probability that a new customer transacts at a given number of a number of opportunities';
COMMENT ON FUNCTION bgbb_json(bgbb) IS 'json form of bgbb (the cast to json; keys documented)';
COMMENT ON FUNCTION bgbb_jsonb(bgbb) IS 'jsonb form of bgbb (the cast to jsonb; keys documented)';
COMMENT ON FUNCTION bgbb_eq(bgbb,bgbb) IS 'support function of the bgbb = operator';
COMMENT ON FUNCTION bgbb_ne(bgbb,bgbb) IS 'support function of the bgbb <> operator';
COMMENT ON FUNCTION bgbb_lt(bgbb,bgbb) IS 'support function of the bgbb < operator';
COMMENT ON FUNCTION bgbb_le(bgbb,bgbb) IS 'support function of the bgbb <= operator';
COMMENT ON FUNCTION bgbb_gt(bgbb,bgbb) IS 'support function of the bgbb > operator';
COMMENT ON FUNCTION bgbb_ge(bgbb,bgbb) IS 'support function of the bgbb >= operator';
COMMENT ON FUNCTION bgbb_cmp(bgbb,bgbb) IS 'comparison of two bgbb states (btree operator class support)';
COMMENT ON FUNCTION bgbb_hash(bgbb) IS 'hash of a bgbb state (hash operator class support)';
COMMENT ON FUNCTION bgbb_hash_extended(bgbb,bigint) IS 'extended hash of a bgbb state (hash operator class support)';
COMMENT ON OPERATOR = (bgbb,bgbb) IS 'bgbb states are equal (they print the same)';
COMMENT ON OPERATOR <> (bgbb,bgbb) IS 'bgbb states differ';
COMMENT ON OPERATOR < (bgbb,bgbb) IS 'consistent total order of bgbb states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR <= (bgbb,bgbb) IS 'consistent total order of bgbb states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR > (bgbb,bgbb) IS 'consistent total order of bgbb states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR >= (bgbb,bgbb) IS 'consistent total order of bgbb states (it means nothing; for sorting and DISTINCT)';

--
-- MBG/NBD (issue 21): BG/NBD with a drop-out chance at time 0 as well
-- (Batislam, Denizel and Filiztekin 2007; lifetimes' ModifiedBetaGeoFitter,
-- BTYDplus' mbgnbd), on the same data, with bgnbd's layout and accessors
--
CREATE TYPE mbgnbd;
CREATE FUNCTION mbgnbd_in(cstring) RETURNS mbgnbd
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_out(mbgnbd) RETURNS cstring
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_recv(internal) RETURNS mbgnbd
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_send(mbgnbd) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE mbgnbd (
	INTERNALLENGTH = variable,
	INPUT = mbgnbd_in,
	OUTPUT = mbgnbd_out,
	RECEIVE = mbgnbd_recv,
	SEND = mbgnbd_send,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE mbgnbd IS 'MBG/NBD model of repeat purchases (Batislam, Denizel and Filiztekin 2007)';
COMMENT ON FUNCTION mbgnbd_in(cstring) IS 'text input of type mbgnbd';
COMMENT ON FUNCTION mbgnbd_out(mbgnbd) IS 'text output of type mbgnbd';
COMMENT ON FUNCTION mbgnbd_recv(internal) IS 'binary input of type mbgnbd';
COMMENT ON FUNCTION mbgnbd_send(mbgnbd) IS 'binary output of type mbgnbd';

CREATE FUNCTION mbgnbd(r double precision, alpha double precision,
					   a double precision, b double precision) RETURNS mbgnbd
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_make'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd(double precision, double precision, double precision, double precision) IS 'an MBG/NBD model from known parameters r, alpha, a, b';

CREATE FUNCTION mbgnbd_fit_trans(internal, double precision, double precision, double precision)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mbgnbd_fit_trans(internal, double precision, double precision, double precision,
								 double precision)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mbgnbd_fit_final(internal) RETURNS mbgnbd
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE mbgnbd_fit(frequency double precision, recency double precision,
							age double precision) (
	SFUNC = mbgnbd_fit_trans,
	STYPE = internal,
	FINALFUNC = mbgnbd_fit_final,
	COMBINEFUNC = model_fit_combine,
	SERIALFUNC = model_fit_serial,
	DESERIALFUNC = model_fit_deserial,
	PARALLEL = SAFE
);
CREATE AGGREGATE mbgnbd_fit(frequency double precision, recency double precision,
							age double precision, penalizer double precision) (
	SFUNC = mbgnbd_fit_trans,
	STYPE = internal,
	FINALFUNC = mbgnbd_fit_final,
	COMBINEFUNC = model_fit_combine,
	SERIALFUNC = model_fit_serial,
	DESERIALFUNC = model_fit_deserial,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE mbgnbd_fit(double precision, double precision, double precision) IS 'maximum-likelihood MBG/NBD model of (frequency, recency, age) per customer';
COMMENT ON AGGREGATE mbgnbd_fit(double precision, double precision, double precision, double precision) IS 'penalized maximum-likelihood MBG/NBD model (lifetimes'' penalizer_coef)';
COMMENT ON FUNCTION mbgnbd_fit_trans(internal, double precision, double precision, double precision) IS 'transition function of aggregate mbgnbd_fit(double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION mbgnbd_fit_trans(internal, double precision, double precision, double precision, double precision) IS 'transition function of aggregate mbgnbd_fit(double precision,double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION mbgnbd_fit_final(internal) IS 'final function of aggregate mbgnbd_fit (not meant to be called directly)';

CREATE FUNCTION parameters(mbgnbd, OUT parameter text, OUT estimate double precision,
						   OUT std_error double precision) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_parameters'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;
CREATE FUNCTION estimates(mbgnbd, OUT r double precision, OUT alpha double precision,
						  OUT a double precision, OUT b double precision,
						  OUT r_std_error double precision, OUT alpha_std_error double precision,
						  OUT a_std_error double precision, OUT b_std_error double precision)
	RETURNS record
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_estimates'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_likelihood(mbgnbd) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_loglik'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customers(mbgnbd) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_customers'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_likelihood(model mbgnbd, frequency double precision,
							   recency double precision, age double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_loglik_customer'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model mbgnbd, t double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_expected'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model mbgnbd, t double precision, frequency double precision,
								   recency double precision, age double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_expected_customer'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION p_alive(model mbgnbd, frequency double precision, recency double precision,
						age double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_p_alive'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parameters(mbgnbd) IS 'the MBG/NBD parameters with standard errors, one row each';
COMMENT ON FUNCTION estimates(mbgnbd) IS 'parameters r, alpha, a, b of an MBG/NBD model and their standard errors, as one record';
COMMENT ON FUNCTION log_likelihood(mbgnbd) IS 'log-likelihood of the fit';
COMMENT ON FUNCTION customers(mbgnbd) IS 'number of customers the model was fitted on';
COMMENT ON FUNCTION log_likelihood(mbgnbd, double precision, double precision, double precision) IS 'one customer''s log-likelihood under an MBG/NBD model';
COMMENT ON FUNCTION expected_purchases(mbgnbd, double precision) IS 'expected repeat purchases of a new customer in a period (MBG/NBD)';
COMMENT ON FUNCTION expected_purchases(mbgnbd, double precision, double precision, double precision, double precision) IS 'expected purchases of a customer in the next period, given frequency, recency and age (MBG/NBD)';
COMMENT ON FUNCTION p_alive(mbgnbd, double precision, double precision, double precision) IS 'probability that a customer with this frequency, recency and age is still active (MBG/NBD; below 1 also without repeat purchases)';

CREATE FUNCTION mbgnbd_json(mbgnbd) RETURNS json
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_json'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (mbgnbd AS json) WITH FUNCTION mbgnbd_json(mbgnbd);
CREATE FUNCTION mbgnbd_jsonb(mbgnbd) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_jsonb'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (mbgnbd AS jsonb) WITH FUNCTION mbgnbd_jsonb(mbgnbd);
COMMENT ON FUNCTION mbgnbd_json(mbgnbd) IS 'json form of mbgnbd (the cast to json; keys documented)';
COMMENT ON FUNCTION mbgnbd_jsonb(mbgnbd) IS 'jsonb form of mbgnbd (the cast to jsonb; keys documented)';

CREATE FUNCTION mbgnbd_eq(mbgnbd, mbgnbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_ne(mbgnbd, mbgnbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_lt(mbgnbd, mbgnbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_le(mbgnbd, mbgnbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_gt(mbgnbd, mbgnbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_ge(mbgnbd, mbgnbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_cmp(mbgnbd, mbgnbd) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_hash(mbgnbd) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_hash_extended(mbgnbd, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_state_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (LEFTARG = mbgnbd, RIGHTARG = mbgnbd, FUNCTION = mbgnbd_eq, COMMUTATOR = =,
				   NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = mbgnbd, RIGHTARG = mbgnbd, FUNCTION = mbgnbd_ne, COMMUTATOR = <>,
					NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = mbgnbd, RIGHTARG = mbgnbd, FUNCTION = mbgnbd_lt, COMMUTATOR = >,
				   NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = mbgnbd, RIGHTARG = mbgnbd, FUNCTION = mbgnbd_le, COMMUTATOR = >=,
					NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = mbgnbd, RIGHTARG = mbgnbd, FUNCTION = mbgnbd_gt, COMMUTATOR = <,
				   NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = mbgnbd, RIGHTARG = mbgnbd, FUNCTION = mbgnbd_ge, COMMUTATOR = <=,
					NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS mbgnbd_ops DEFAULT FOR TYPE mbgnbd USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 mbgnbd_cmp(mbgnbd, mbgnbd);
CREATE OPERATOR CLASS mbgnbd_hash_ops DEFAULT FOR TYPE mbgnbd USING hash AS
	OPERATOR 1 =, FUNCTION 1 mbgnbd_hash(mbgnbd), FUNCTION 2 mbgnbd_hash_extended(mbgnbd, bigint);
COMMENT ON FUNCTION mbgnbd_eq(mbgnbd, mbgnbd) IS 'support function of the mbgnbd = operator';
COMMENT ON FUNCTION mbgnbd_ne(mbgnbd, mbgnbd) IS 'support function of the mbgnbd <> operator';
COMMENT ON FUNCTION mbgnbd_lt(mbgnbd, mbgnbd) IS 'support function of the mbgnbd < operator';
COMMENT ON FUNCTION mbgnbd_le(mbgnbd, mbgnbd) IS 'support function of the mbgnbd <= operator';
COMMENT ON FUNCTION mbgnbd_gt(mbgnbd, mbgnbd) IS 'support function of the mbgnbd > operator';
COMMENT ON FUNCTION mbgnbd_ge(mbgnbd, mbgnbd) IS 'support function of the mbgnbd >= operator';
COMMENT ON FUNCTION mbgnbd_cmp(mbgnbd, mbgnbd) IS 'comparison of two mbgnbd states (btree operator class support)';
COMMENT ON FUNCTION mbgnbd_hash(mbgnbd) IS 'hash of a mbgnbd state (hash operator class support)';
COMMENT ON FUNCTION mbgnbd_hash_extended(mbgnbd, bigint) IS 'extended hash of a mbgnbd state (hash operator class support)';
COMMENT ON OPERATOR = (mbgnbd, mbgnbd) IS 'mbgnbd states are equal (they print the same)';
COMMENT ON OPERATOR <> (mbgnbd, mbgnbd) IS 'mbgnbd states differ';
COMMENT ON OPERATOR < (mbgnbd, mbgnbd) IS 'consistent total order of mbgnbd states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR <= (mbgnbd, mbgnbd) IS 'consistent total order of mbgnbd states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR > (mbgnbd, mbgnbd) IS 'consistent total order of mbgnbd states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR >= (mbgnbd, mbgnbd) IS 'consistent total order of mbgnbd states (it means nothing; for sorting and DISTINCT)';

--
-- NPS of a finite population (issue 22 item 5): the standard error and the
-- intervals with the finite population correction sqrt((N - n) / (N - 1))
--

CREATE FUNCTION std_error(nps_summary, population bigint) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_nps_summary_std_error_fpc'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION margin_of_error(nps_summary, confidence double precision, population bigint)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_nps_summary_margin_of_error_fpc'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION lower_bound(nps_summary, confidence double precision, population bigint)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_nps_summary_lower_bound_fpc'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION upper_bound(nps_summary, confidence double precision, population bigint)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_nps_summary_upper_bound_fpc'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION std_error(nps_summary, bigint) IS 'standard error of the NPS, in points, of a survey of a population of the given size (finite population correction)';
COMMENT ON FUNCTION margin_of_error(nps_summary, double precision, bigint) IS 'margin of error of the NPS at a confidence level (Wald), with the finite population correction for a population of the given size';
COMMENT ON FUNCTION lower_bound(nps_summary, double precision, bigint) IS 'lower end of the Wald confidence interval of the NPS, with the finite population correction for a population of the given size, clamped to -100';
COMMENT ON FUNCTION upper_bound(nps_summary, double precision, bigint) IS 'upper end of the Wald confidence interval of the NPS, with the finite population correction for a population of the given size, clamped to 100';

--
-- Sessions as Google Analytics counts them (issue 22 item 4): a session also
-- ends at local midnight in a time zone and when the traffic source changes;
-- engaged sessions and the bounce rate of GA4
--

CREATE FUNCTION session_number(ts timestamptz, gap interval, max_length interval,
							   time_zone text)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_session_number_time_zone'
	LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION session_number(ts timestamptz, gap interval, max_length interval,
							   time_zone text, source anyelement)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_session_number_source'
	LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION session_count(journey, gap interval, split_on_channel boolean,
							  time_zone text DEFAULT NULL)
	RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_journey_session_count_split'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION sessions(journey, gap interval, split_on_channel boolean, time_zone text,
						 min_duration interval DEFAULT '10 seconds',
						 min_touches integer DEFAULT 2,
						 conversion_events text[] DEFAULT NULL,
						 OUT session integer,
						 OUT started timestamptz,
						 OUT ended timestamptz,
						 OUT touches integer,
						 OUT channels text[],
						 OUT entry_channel text,
						 OUT exit_channel text,
						 OUT engaged boolean)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_journey_sessions_engaged'
	LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 10;

CREATE FUNCTION engaged_session_count(journey, gap interval,
									  split_on_channel boolean DEFAULT false,
									  time_zone text DEFAULT NULL,
									  min_duration interval DEFAULT '10 seconds',
									  min_touches integer DEFAULT 2,
									  conversion_events text[] DEFAULT NULL)
	RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_journey_engaged_session_count'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION bounce_rate(journey, gap interval,
							split_on_channel boolean DEFAULT false,
							time_zone text DEFAULT NULL,
							min_duration interval DEFAULT '10 seconds',
							min_touches integer DEFAULT 2,
							conversion_events text[] DEFAULT NULL)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_journey_bounce_rate'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION session_number(timestamptz, interval, interval, text) IS '1-based session index with an inactivity gap, a maximum session length (NULL: none) and a split at local midnight in a time zone (NULL: none)';
COMMENT ON FUNCTION session_number(timestamptz, interval, interval, text, anyelement) IS '1-based session index with an inactivity gap, a maximum length, a midnight split in a time zone (NULL: none) and a split where the source (campaign, traffic source) changes';
COMMENT ON FUNCTION session_count(journey, interval, boolean, text) IS 'number of sessions of a journey with an inactivity gap, optionally split at channel changes and at local midnight in a time zone (NULL: no midnight split)';
COMMENT ON FUNCTION sessions(journey, interval, boolean, text, interval, integer, text[]) IS 'the sessions of a journey split at gaps, channel changes and local midnight, each with GA4''s engaged flag (duration, touches or a conversion event)';
COMMENT ON FUNCTION engaged_session_count(journey, interval, boolean, text, interval, integer, text[]) IS 'number of engaged sessions of a journey (GA4: at least min_duration long, min_touches touches, or a conversion event)';
COMMENT ON FUNCTION bounce_rate(journey, interval, boolean, text, interval, integer, text[]) IS 'share of a journey''s sessions that are not engaged (GA4''s bounce rate, 1 - engaged sessions / sessions)';

--
-- Fit diagnostics (issue 21): <model>_fit_diagnostics is the fit reported as
-- a record (converged or why not, iterations, log-likelihood, gradient norm,
-- parameters and their covariance) instead of a model, never an error for a
-- fit that does not converge
--
CREATE TYPE fit_diagnostics AS (
	converged boolean,
	status text,
	iterations integer,
	log_likelihood double precision,
	gradient_norm double precision,
	parameter_names text[],
	parameters double precision[],
	covariance double precision[]
);
COMMENT ON TYPE fit_diagnostics IS 'how a model fit went: converged, status, iterations, log-likelihood, gradient norm, parameters and their covariance';
CREATE FUNCTION bgnbd_fit_diagnostics_final(internal) RETURNS fit_diagnostics
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_diagnostics_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mbgnbd_fit_diagnostics_final(internal) RETURNS fit_diagnostics
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_diagnostics_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gammagamma_fit_diagnostics_final(internal) RETURNS fit_diagnostics
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_diagnostics_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE bgnbd_fit_diagnostics(frequency double precision, recency double precision,
									   age double precision) (
	SFUNC = bgnbd_fit_trans, STYPE = internal, FINALFUNC = bgnbd_fit_diagnostics_final,
	COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serial,
	DESERIALFUNC = model_fit_deserial, PARALLEL = SAFE);
CREATE AGGREGATE bgnbd_fit_diagnostics(frequency double precision, recency double precision,
									   age double precision, penalizer double precision) (
	SFUNC = bgnbd_fit_trans, STYPE = internal, FINALFUNC = bgnbd_fit_diagnostics_final,
	COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serial,
	DESERIALFUNC = model_fit_deserial, PARALLEL = SAFE);
CREATE AGGREGATE mbgnbd_fit_diagnostics(frequency double precision, recency double precision,
										age double precision) (
	SFUNC = mbgnbd_fit_trans, STYPE = internal, FINALFUNC = mbgnbd_fit_diagnostics_final,
	COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serial,
	DESERIALFUNC = model_fit_deserial, PARALLEL = SAFE);
CREATE AGGREGATE mbgnbd_fit_diagnostics(frequency double precision, recency double precision,
										age double precision, penalizer double precision) (
	SFUNC = mbgnbd_fit_trans, STYPE = internal, FINALFUNC = mbgnbd_fit_diagnostics_final,
	COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serial,
	DESERIALFUNC = model_fit_deserial, PARALLEL = SAFE);
CREATE AGGREGATE gammagamma_fit_diagnostics(frequency double precision, monetary double precision) (
	SFUNC = gammagamma_fit_trans, STYPE = internal, FINALFUNC = gammagamma_fit_diagnostics_final,
	COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serial,
	DESERIALFUNC = model_fit_deserial, PARALLEL = SAFE);
CREATE AGGREGATE gammagamma_fit_diagnostics(frequency double precision, monetary double precision,
											penalizer double precision) (
	SFUNC = gammagamma_fit_trans, STYPE = internal, FINALFUNC = gammagamma_fit_diagnostics_final,
	COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serial,
	DESERIALFUNC = model_fit_deserial, PARALLEL = SAFE);
COMMENT ON FUNCTION bgnbd_fit_diagnostics_final(internal) IS 'final function of aggregate bgnbd_fit_diagnostics (not meant to be called directly)';
COMMENT ON FUNCTION mbgnbd_fit_diagnostics_final(internal) IS 'final function of aggregate mbgnbd_fit_diagnostics (not meant to be called directly)';
COMMENT ON FUNCTION gammagamma_fit_diagnostics_final(internal) IS 'final function of aggregate gammagamma_fit_diagnostics (not meant to be called directly)';
COMMENT ON AGGREGATE bgnbd_fit_diagnostics(double precision, double precision, double precision) IS 'the BG/NBD fit reported as a fit_diagnostics record (no error when it does not converge)';
COMMENT ON AGGREGATE bgnbd_fit_diagnostics(double precision, double precision, double precision, double precision) IS 'the penalized BG/NBD fit reported as a fit_diagnostics record';
COMMENT ON AGGREGATE mbgnbd_fit_diagnostics(double precision, double precision, double precision) IS 'the MBG/NBD fit reported as a fit_diagnostics record (no error when it does not converge)';
COMMENT ON AGGREGATE mbgnbd_fit_diagnostics(double precision, double precision, double precision, double precision) IS 'the penalized MBG/NBD fit reported as a fit_diagnostics record';
COMMENT ON AGGREGATE gammagamma_fit_diagnostics(double precision, double precision) IS 'the Gamma-Gamma fit reported as a fit_diagnostics record (no error when it does not converge)';
COMMENT ON AGGREGATE gammagamma_fit_diagnostics(double precision, double precision, double precision) IS 'the penalized Gamma-Gamma fit reported as a fit_diagnostics record';

--
-- Sequence patterns (issue 22): sequence_match and sequence_count, ClickHouse's
-- sequenceMatch and sequenceCount.  (pattern, ts, c1, ..., cN) with 1 to 8
-- conditions as arguments, and a VARIADIC boolean[] form for up to 32; all
-- share one working state (the group's events and its pattern).
--

CREATE FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean[])
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_sequence_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION sequence_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_sequence_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION sequence_serial(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_sequence_serial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION sequence_deserial(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_sequence_deserial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION sequence_match_final(internal) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_sequence_match_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION sequence_count_final(internal) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_sequence_count_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sequence_match(pattern text, ts timestamptz, VARIADIC conditions boolean[]) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_match_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE sequence_count(pattern text, ts timestamptz, VARIADIC conditions boolean[]) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_count_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE sequence_match(text, timestamp with time zone, boolean[]) IS 'whether the events (rows fulfilling a condition) in time order match the pattern (ClickHouse sequenceMatch); conditions as a VARIADIC array of 1 to 32';
COMMENT ON AGGREGATE sequence_count(text, timestamp with time zone, boolean[]) IS 'number of non-overlapping matches of the pattern in the events in time order (ClickHouse sequenceCount); conditions as a VARIADIC array of 1 to 32';
COMMENT ON FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean[]) IS 'transition function of aggregates sequence_match and sequence_count with a condition array (not meant to be called directly)';
COMMENT ON FUNCTION sequence_combine(internal, internal) IS 'combine function of aggregates sequence_match and sequence_count (not meant to be called directly)';
COMMENT ON FUNCTION sequence_serial(internal) IS 'serialization function of aggregates sequence_match and sequence_count (not meant to be called directly)';
COMMENT ON FUNCTION sequence_deserial(bytea, internal) IS 'deserialization function of aggregates sequence_match and sequence_count (not meant to be called directly)';
COMMENT ON FUNCTION sequence_match_final(internal) IS 'final function of aggregate sequence_match (not meant to be called directly)';
COMMENT ON FUNCTION sequence_count_final(internal) IS 'final function of aggregate sequence_count (not meant to be called directly)';

CREATE FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_sequence_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sequence_match(pattern text, ts timestamptz, c1 boolean) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_match_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE sequence_count(pattern text, ts timestamptz, c1 boolean) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_count_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE sequence_match(text, timestamp with time zone, boolean) IS 'whether the events (rows fulfilling a condition) in time order match the pattern (ClickHouse sequenceMatch); 1 condition as arguments';
COMMENT ON AGGREGATE sequence_count(text, timestamp with time zone, boolean) IS 'number of non-overlapping matches of the pattern in the events in time order (ClickHouse sequenceCount); 1 condition as arguments';
COMMENT ON FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean) IS 'transition function of aggregates sequence_match(text, timestamp with time zone, boolean) and sequence_count(text, timestamp with time zone, boolean) (not meant to be called directly)';

CREATE FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_sequence_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sequence_match(pattern text, ts timestamptz, c1 boolean, c2 boolean) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_match_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE sequence_count(pattern text, ts timestamptz, c1 boolean, c2 boolean) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_count_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE sequence_match(text, timestamp with time zone, boolean, boolean) IS 'whether the events (rows fulfilling a condition) in time order match the pattern (ClickHouse sequenceMatch); 2 conditions as arguments';
COMMENT ON AGGREGATE sequence_count(text, timestamp with time zone, boolean, boolean) IS 'number of non-overlapping matches of the pattern in the events in time order (ClickHouse sequenceCount); 2 conditions as arguments';
COMMENT ON FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean, boolean) IS 'transition function of aggregates sequence_match(text, timestamp with time zone, boolean, boolean) and sequence_count(text, timestamp with time zone, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_sequence_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sequence_match(pattern text, ts timestamptz, c1 boolean, c2 boolean, c3 boolean) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_match_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE sequence_count(pattern text, ts timestamptz, c1 boolean, c2 boolean, c3 boolean) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_count_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE sequence_match(text, timestamp with time zone, boolean, boolean, boolean) IS 'whether the events (rows fulfilling a condition) in time order match the pattern (ClickHouse sequenceMatch); 3 conditions as arguments';
COMMENT ON AGGREGATE sequence_count(text, timestamp with time zone, boolean, boolean, boolean) IS 'number of non-overlapping matches of the pattern in the events in time order (ClickHouse sequenceCount); 3 conditions as arguments';
COMMENT ON FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean, boolean, boolean) IS 'transition function of aggregates sequence_match(text, timestamp with time zone, boolean, boolean, boolean) and sequence_count(text, timestamp with time zone, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_sequence_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sequence_match(pattern text, ts timestamptz, c1 boolean, c2 boolean, c3 boolean, c4 boolean) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_match_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE sequence_count(pattern text, ts timestamptz, c1 boolean, c2 boolean, c3 boolean, c4 boolean) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_count_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE sequence_match(text, timestamp with time zone, boolean, boolean, boolean, boolean) IS 'whether the events (rows fulfilling a condition) in time order match the pattern (ClickHouse sequenceMatch); 4 conditions as arguments';
COMMENT ON AGGREGATE sequence_count(text, timestamp with time zone, boolean, boolean, boolean, boolean) IS 'number of non-overlapping matches of the pattern in the events in time order (ClickHouse sequenceCount); 4 conditions as arguments';
COMMENT ON FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean, boolean, boolean, boolean) IS 'transition function of aggregates sequence_match(text, timestamp with time zone, boolean, boolean, boolean, boolean) and sequence_count(text, timestamp with time zone, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_sequence_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sequence_match(pattern text, ts timestamptz, c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_match_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE sequence_count(pattern text, ts timestamptz, c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_count_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE sequence_match(text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean) IS 'whether the events (rows fulfilling a condition) in time order match the pattern (ClickHouse sequenceMatch); 5 conditions as arguments';
COMMENT ON AGGREGATE sequence_count(text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean) IS 'number of non-overlapping matches of the pattern in the events in time order (ClickHouse sequenceCount); 5 conditions as arguments';
COMMENT ON FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregates sequence_match(text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean) and sequence_count(text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_sequence_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sequence_match(pattern text, ts timestamptz, c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_match_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE sequence_count(pattern text, ts timestamptz, c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_count_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE sequence_match(text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean) IS 'whether the events (rows fulfilling a condition) in time order match the pattern (ClickHouse sequenceMatch); 6 conditions as arguments';
COMMENT ON AGGREGATE sequence_count(text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean) IS 'number of non-overlapping matches of the pattern in the events in time order (ClickHouse sequenceCount); 6 conditions as arguments';
COMMENT ON FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregates sequence_match(text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean) and sequence_count(text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_sequence_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sequence_match(pattern text, ts timestamptz, c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_match_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE sequence_count(pattern text, ts timestamptz, c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_count_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE sequence_match(text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'whether the events (rows fulfilling a condition) in time order match the pattern (ClickHouse sequenceMatch); 7 conditions as arguments';
COMMENT ON AGGREGATE sequence_count(text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'number of non-overlapping matches of the pattern in the events in time order (ClickHouse sequenceCount); 7 conditions as arguments';
COMMENT ON FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregates sequence_match(text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean) and sequence_count(text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

CREATE FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_sequence_trans_args'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sequence_match(pattern text, ts timestamptz, c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_match_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE sequence_count(pattern text, ts timestamptz, c1 boolean, c2 boolean, c3 boolean, c4 boolean, c5 boolean, c6 boolean, c7 boolean, c8 boolean) (
	SFUNC = sequence_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = sequence_count_final,
	COMBINEFUNC = sequence_combine,
	SERIALFUNC = sequence_serial,
	DESERIALFUNC = sequence_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE sequence_match(text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'whether the events (rows fulfilling a condition) in time order match the pattern (ClickHouse sequenceMatch); 8 conditions as arguments';
COMMENT ON AGGREGATE sequence_count(text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'number of non-overlapping matches of the pattern in the events in time order (ClickHouse sequenceCount); 8 conditions as arguments';
COMMENT ON FUNCTION sequence_trans(internal, text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) IS 'transition function of aggregates sequence_match(text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) and sequence_count(text, timestamp with time zone, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean) (not meant to be called directly)';

--
-- Funnels over event names (issue 20): window_funnel(window, [mode,] ts,
-- event, steps text[]) reaches step i on a row whose event equals steps[i],
-- the usual funnel of named events without a condition per step for the
-- executor to evaluate on every row
--
CREATE FUNCTION funnel_trans(internal, interval, timestamp with time zone, text, text[])
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_names'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, text, text[])
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_mode_names'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE window_funnel(window_length interval, ts timestamptz, event text, steps text[]) (
	SFUNC = funnel_trans, STYPE = internal, SSPACE = 272, FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine, SERIALFUNC = funnel_serial, DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE);
CREATE AGGREGATE window_funnel(window_length interval, mode text, ts timestamptz, event text,
							   steps text[]) (
	SFUNC = funnel_trans, STYPE = internal, SSPACE = 272, FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine, SERIALFUNC = funnel_serial, DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE);
CREATE AGGREGATE funnel_agg(window_length interval, ts timestamptz, event text, steps text[]) (
	SFUNC = funnel_trans, STYPE = internal, SSPACE = 272, FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine, SERIALFUNC = funnel_serial, DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE);
CREATE AGGREGATE funnel_agg(window_length interval, mode text, ts timestamptz, event text,
							steps text[]) (
	SFUNC = funnel_trans, STYPE = internal, SSPACE = 272, FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine, SERIALFUNC = funnel_serial, DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE);
COMMENT ON FUNCTION funnel_trans(internal, interval, timestamp with time zone, text, text[]) IS 'transition function of aggregates window_funnel(interval, timestamp with time zone, text, text[]) and funnel_agg(interval, timestamp with time zone, text, text[]) (not meant to be called directly)';
COMMENT ON FUNCTION funnel_trans(internal, interval, text, timestamp with time zone, text, text[]) IS 'transition function of aggregates window_funnel(interval, text, timestamp with time zone, text, text[]) and funnel_agg(interval, text, timestamp with time zone, text, text[]) (not meant to be called directly)';
COMMENT ON AGGREGATE window_funnel(interval, timestamp with time zone, text, text[]) IS 'deepest funnel step reached within the window from step 1, step i being a row whose event equals steps[i]';
COMMENT ON AGGREGATE window_funnel(interval, text, timestamp with time zone, text, text[]) IS 'deepest funnel step reached, with a mode, step i being a row whose event equals steps[i]';
COMMENT ON AGGREGATE funnel_agg(interval, timestamp with time zone, text, text[]) IS 'funnel state, step i being a row whose event equals steps[i]';
COMMENT ON AGGREGATE funnel_agg(interval, text, timestamp with time zone, text, text[]) IS 'funnel state with a mode, step i being a row whose event equals steps[i]';
/*
 * The Pareto/NBD model (issue 21): the Pareto/NBD model of repeat purchases
 * in continuous time (Schmittlein, Morrison and Colombo 1987), on the
 * (frequency, recency, age) data of bgnbd_fit, with the shape of the BG/NBD
 * model: a type, a constructor, a fitting aggregate and accessors under the
 * names bgnbd has in 1.2.
 */
CREATE TYPE paretonbd;

CREATE FUNCTION paretonbd_in(cstring) RETURNS paretonbd
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION paretonbd_out(paretonbd) RETURNS cstring
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION paretonbd_recv(internal) RETURNS paretonbd
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION paretonbd_send(paretonbd) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE paretonbd (
	INTERNALLENGTH = variable,
	INPUT = paretonbd_in,
	OUTPUT = paretonbd_out,
	RECEIVE = paretonbd_recv,
	SEND = paretonbd_send,
	ALIGNMENT = double,
	STORAGE = plain
);

CREATE FUNCTION paretonbd(r double precision, alpha double precision,
						  s double precision, beta double precision) RETURNS paretonbd
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_make'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- the fit: rows (frequency, recency, age[, penalizer]), as bgnbd_fit
CREATE FUNCTION paretonbd_fit_trans(internal, double precision, double precision,
									double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION paretonbd_fit_trans(internal, double precision, double precision,
									double precision, double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION paretonbd_fit_final(internal) RETURNS paretonbd
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION paretonbd_fit_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION paretonbd_fit_serial(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_serial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION paretonbd_fit_deserial(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_deserial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE paretonbd_fit(frequency double precision, recency double precision,
							   age double precision) (
	SFUNC = paretonbd_fit_trans,
	STYPE = internal,
	FINALFUNC = paretonbd_fit_final,
	COMBINEFUNC = paretonbd_fit_combine,
	SERIALFUNC = paretonbd_fit_serial,
	DESERIALFUNC = paretonbd_fit_deserial,
	PARALLEL = SAFE
);
CREATE AGGREGATE paretonbd_fit(frequency double precision, recency double precision,
							   age double precision, penalizer double precision) (
	SFUNC = paretonbd_fit_trans,
	STYPE = internal,
	FINALFUNC = paretonbd_fit_final,
	COMBINEFUNC = paretonbd_fit_combine,
	SERIALFUNC = paretonbd_fit_serial,
	DESERIALFUNC = paretonbd_fit_deserial,
	PARALLEL = SAFE
);

-- accessors
CREATE FUNCTION parameters(paretonbd, OUT parameter text, OUT estimate double precision,
						   OUT std_error double precision) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_parameters'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;
CREATE FUNCTION estimates(paretonbd, OUT r double precision, OUT alpha double precision,
						  OUT s double precision, OUT beta double precision,
						  OUT r_std_error double precision, OUT alpha_std_error double precision,
						  OUT s_std_error double precision, OUT beta_std_error double precision)
	RETURNS record
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_estimates'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_likelihood(paretonbd) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_loglik'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customers(paretonbd) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_customers'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- predictions
CREATE FUNCTION log_likelihood(model paretonbd, frequency double precision,
							   recency double precision, age double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_loglik_customer'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model paretonbd, t double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_expected'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model paretonbd, t double precision,
								   frequency double precision, recency double precision,
								   age double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_expected_customer'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION p_alive(model paretonbd, frequency double precision, recency double precision,
						age double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_p_alive'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- JSON forms
CREATE FUNCTION paretonbd_json(paretonbd) RETURNS json
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_json'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (paretonbd AS json) WITH FUNCTION paretonbd_json(paretonbd);
CREATE FUNCTION paretonbd_jsonb(paretonbd) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_jsonb'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (paretonbd AS jsonb) WITH FUNCTION paretonbd_jsonb(paretonbd);

-- equality, hashing and a (meaningless) total order, as on every state type
CREATE FUNCTION paretonbd_eq(paretonbd, paretonbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION paretonbd_ne(paretonbd, paretonbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION paretonbd_lt(paretonbd, paretonbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION paretonbd_le(paretonbd, paretonbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION paretonbd_gt(paretonbd, paretonbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION paretonbd_ge(paretonbd, paretonbd) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION paretonbd_cmp(paretonbd, paretonbd) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION paretonbd_hash(paretonbd) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION paretonbd_hash_extended(paretonbd, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_state_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (LEFTARG = paretonbd, RIGHTARG = paretonbd, FUNCTION = paretonbd_eq, COMMUTATOR = =,
				   NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = paretonbd, RIGHTARG = paretonbd, FUNCTION = paretonbd_ne, COMMUTATOR = <>,
					NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = paretonbd, RIGHTARG = paretonbd, FUNCTION = paretonbd_lt, COMMUTATOR = >,
				   NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = paretonbd, RIGHTARG = paretonbd, FUNCTION = paretonbd_le, COMMUTATOR = >=,
					NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = paretonbd, RIGHTARG = paretonbd, FUNCTION = paretonbd_gt, COMMUTATOR = <,
				   NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = paretonbd, RIGHTARG = paretonbd, FUNCTION = paretonbd_ge, COMMUTATOR = <=,
					NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS paretonbd_ops DEFAULT FOR TYPE paretonbd USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 paretonbd_cmp(paretonbd, paretonbd);
CREATE OPERATOR CLASS paretonbd_hash_ops DEFAULT FOR TYPE paretonbd USING hash AS
	OPERATOR 1 =, FUNCTION 1 paretonbd_hash(paretonbd), FUNCTION 2 paretonbd_hash_extended(paretonbd, bigint);

COMMENT ON TYPE paretonbd IS 'Pareto/NBD model of repeat purchases in continuous time (Schmittlein, Morrison and Colombo 1987)';
COMMENT ON FUNCTION paretonbd_in(cstring) IS 'text input of type paretonbd';
COMMENT ON FUNCTION paretonbd_out(paretonbd) IS 'text output of type paretonbd';
COMMENT ON FUNCTION paretonbd_recv(internal) IS 'binary input of type paretonbd';
COMMENT ON FUNCTION paretonbd_send(paretonbd) IS 'binary output of type paretonbd';
COMMENT ON FUNCTION paretonbd(double precision,double precision,double precision,double precision) IS 'a Pareto/NBD model from known parameters r, alpha, s, beta';
COMMENT ON AGGREGATE paretonbd_fit(double precision, double precision, double precision)
	IS 'maximum-likelihood Pareto/NBD model of (frequency, recency, age) per customer';
COMMENT ON AGGREGATE paretonbd_fit(double precision, double precision, double precision, double precision)
	IS 'Pareto/NBD model of (frequency, recency, age) per customer maximising the mean log-likelihood minus penalizer times the sum of r^2, alpha^2, s^2, beta^2 (alpha and beta over the largest age; lifetimes'' penalizer_coef)';
COMMENT ON FUNCTION paretonbd_fit_trans(internal,double precision,double precision,double precision) IS 'transition function of aggregate paretonbd_fit(double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION paretonbd_fit_trans(internal,double precision,double precision,double precision,double precision) IS 'transition function of aggregate paretonbd_fit(double precision,double precision,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION paretonbd_fit_final(internal) IS 'final function of the paretonbd_fit aggregates (not meant to be called directly)';
COMMENT ON FUNCTION paretonbd_fit_combine(internal,internal) IS 'combine function of the paretonbd_fit aggregates (not meant to be called directly)';
COMMENT ON FUNCTION paretonbd_fit_serial(internal) IS 'serialization function of the paretonbd_fit aggregates (not meant to be called directly)';
COMMENT ON FUNCTION paretonbd_fit_deserial(bytea,internal) IS 'deserialization function of the paretonbd_fit aggregates (not meant to be called directly)';
COMMENT ON FUNCTION parameters(paretonbd) IS 'parameters of a Pareto/NBD model with their standard errors';
COMMENT ON FUNCTION estimates(paretonbd) IS 'parameters r, alpha, s, beta of a Pareto/NBD model and their standard errors, as one record';
COMMENT ON FUNCTION log_likelihood(paretonbd) IS 'log-likelihood of the fit';
COMMENT ON FUNCTION customers(paretonbd) IS 'number of customers the model was fitted on';
COMMENT ON FUNCTION log_likelihood(paretonbd,double precision,double precision,double precision) IS 'one customer''s log-likelihood under a Pareto/NBD model';
COMMENT ON FUNCTION expected_purchases(paretonbd,double precision) IS 'expected repeat purchases of a new customer in a period';
COMMENT ON FUNCTION expected_purchases(paretonbd,double precision,double precision,double precision,double precision) IS 'expected purchases of a customer in the next period, given frequency, recency and age';
COMMENT ON FUNCTION p_alive(paretonbd,double precision,double precision,double precision) IS 'probability that a customer is still alive at the end of the observation period';
COMMENT ON FUNCTION paretonbd_json(paretonbd) IS 'json form of paretonbd (the cast to json; keys documented)';
COMMENT ON FUNCTION paretonbd_jsonb(paretonbd) IS 'jsonb form of paretonbd (the cast to jsonb; keys documented)';
COMMENT ON FUNCTION paretonbd_eq(paretonbd,paretonbd) IS 'support function of the paretonbd = operator';
COMMENT ON FUNCTION paretonbd_ne(paretonbd,paretonbd) IS 'support function of the paretonbd <> operator';
COMMENT ON FUNCTION paretonbd_lt(paretonbd,paretonbd) IS 'support function of the paretonbd < operator';
COMMENT ON FUNCTION paretonbd_le(paretonbd,paretonbd) IS 'support function of the paretonbd <= operator';
COMMENT ON FUNCTION paretonbd_gt(paretonbd,paretonbd) IS 'support function of the paretonbd > operator';
COMMENT ON FUNCTION paretonbd_ge(paretonbd,paretonbd) IS 'support function of the paretonbd >= operator';
COMMENT ON FUNCTION paretonbd_cmp(paretonbd,paretonbd) IS 'comparison of two paretonbd states (btree operator class support)';
COMMENT ON FUNCTION paretonbd_hash(paretonbd) IS 'hash of a paretonbd state (hash operator class support)';
COMMENT ON FUNCTION paretonbd_hash_extended(paretonbd,bigint) IS 'extended hash of a paretonbd state (hash operator class support)';
COMMENT ON OPERATOR = (paretonbd,paretonbd) IS 'paretonbd states are equal (they print the same)';
COMMENT ON OPERATOR <> (paretonbd,paretonbd) IS 'paretonbd states differ';
COMMENT ON OPERATOR < (paretonbd,paretonbd) IS 'consistent total order of paretonbd states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR <= (paretonbd,paretonbd) IS 'consistent total order of paretonbd states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR > (paretonbd,paretonbd) IS 'consistent total order of paretonbd states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR >= (paretonbd,paretonbd) IS 'consistent total order of paretonbd states (it means nothing; for sorting and DISTINCT)';

--
-- predicted_clv with every purchase model over continuous time (issue 21):
-- Gamma-Gamma spend with MBG/NBD and Pareto/NBD purchases, as with BG/NBD
--
CREATE FUNCTION predicted_clv(purchases mbgnbd, spend gammagamma,
							  frequency double precision, recency double precision,
							  age double precision, monetary double precision,
							  periods integer, period_length double precision,
							  discount_rate double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_predicted_clv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION predicted_clv(purchases paretonbd, spend gammagamma,
							  frequency double precision, recency double precision,
							  age double precision, monetary double precision,
							  periods integer, period_length double precision,
							  discount_rate double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_predicted_clv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION predicted_clv(mbgnbd, gammagamma, double precision, double precision, double precision, double precision, integer, double precision, double precision) IS 'discounted expected spend of a customer over the next periods: MBG/NBD purchases times Gamma-Gamma spend';
COMMENT ON FUNCTION predicted_clv(paretonbd, gammagamma, double precision, double precision, double precision, double precision, integer, double precision, double precision) IS 'discounted expected spend of a customer over the next periods: Pareto/NBD purchases times Gamma-Gamma spend';
CREATE FUNCTION predicted_clv(purchases bgbb, spend gammagamma,
							  frequency double precision, recency double precision,
							  opportunities double precision, monetary double precision,
							  periods integer, discount_rate double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_bgbb_predicted_clv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION predicted_clv(bgbb, gammagamma, double precision, double precision, double precision, double precision, integer, double precision) IS 'discounted expected spend of a customer over the next opportunities: BG/BB transactions times Gamma-Gamma spend';
CREATE FUNCTION purchase_probability(model mbgnbd, t double precision, purchases double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_mbgnbd_probability'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION purchase_probability(mbgnbd, double precision, double precision) IS 'probability that a new customer makes exactly this many repeat purchases in a period (MBG/NBD)';

--
-- Fit diagnostics of BG/BB and Pareto/NBD (issue 21), as for the other models
--
CREATE FUNCTION bgbb_fit_diagnostics_final(internal) RETURNS fit_diagnostics
	AS 'MODULE_PATHNAME', 'engagement_bgbb_diagnostics_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION paretonbd_fit_diagnostics_final(internal) RETURNS fit_diagnostics
	AS 'MODULE_PATHNAME', 'engagement_paretonbd_diagnostics_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_fit_diagnostics_final(internal) IS 'final function of aggregate bgbb_fit_diagnostics (not meant to be called directly)';
COMMENT ON FUNCTION paretonbd_fit_diagnostics_final(internal) IS 'final function of aggregate paretonbd_fit_diagnostics (not meant to be called directly)';
CREATE AGGREGATE bgbb_fit_diagnostics(frequency double precision, recency double precision, opportunities double precision) (
	SFUNC = bgbb_fit_trans, STYPE = internal, FINALFUNC = bgbb_fit_diagnostics_final,
	COMBINEFUNC = bgbb_fit_combine, SERIALFUNC = bgbb_fit_serial,
	DESERIALFUNC = bgbb_fit_deserial, PARALLEL = SAFE);
COMMENT ON AGGREGATE bgbb_fit_diagnostics(double precision, double precision, double precision) IS 'the BG/BB fit reported as a fit_diagnostics record (no error when it does not converge)';
CREATE AGGREGATE bgbb_fit_diagnostics(frequency double precision, recency double precision, opportunities double precision, customers bigint) (
	SFUNC = bgbb_fit_trans, STYPE = internal, FINALFUNC = bgbb_fit_diagnostics_final,
	COMBINEFUNC = bgbb_fit_combine, SERIALFUNC = bgbb_fit_serial,
	DESERIALFUNC = bgbb_fit_deserial, PARALLEL = SAFE);
COMMENT ON AGGREGATE bgbb_fit_diagnostics(double precision, double precision, double precision, bigint) IS 'the BG/BB fit of patterns with counts reported as a fit_diagnostics record';
CREATE AGGREGATE bgbb_fit_diagnostics(frequency double precision, recency double precision, opportunities double precision, customers bigint, penalizer double precision) (
	SFUNC = bgbb_fit_trans, STYPE = internal, FINALFUNC = bgbb_fit_diagnostics_final,
	COMBINEFUNC = bgbb_fit_combine, SERIALFUNC = bgbb_fit_serial,
	DESERIALFUNC = bgbb_fit_deserial, PARALLEL = SAFE);
COMMENT ON AGGREGATE bgbb_fit_diagnostics(double precision, double precision, double precision, bigint, double precision) IS 'the penalized BG/BB fit reported as a fit_diagnostics record';
CREATE AGGREGATE paretonbd_fit_diagnostics(frequency double precision, recency double precision, age double precision) (
	SFUNC = paretonbd_fit_trans, STYPE = internal, FINALFUNC = paretonbd_fit_diagnostics_final,
	COMBINEFUNC = paretonbd_fit_combine, SERIALFUNC = paretonbd_fit_serial,
	DESERIALFUNC = paretonbd_fit_deserial, PARALLEL = SAFE);
COMMENT ON AGGREGATE paretonbd_fit_diagnostics(double precision, double precision, double precision) IS 'the Pareto/NBD fit reported as a fit_diagnostics record (no error when it does not converge)';
CREATE AGGREGATE paretonbd_fit_diagnostics(frequency double precision, recency double precision, age double precision, penalizer double precision) (
	SFUNC = paretonbd_fit_trans, STYPE = internal, FINALFUNC = paretonbd_fit_diagnostics_final,
	COMBINEFUNC = paretonbd_fit_combine, SERIALFUNC = paretonbd_fit_serial,
	DESERIALFUNC = paretonbd_fit_deserial, PARALLEL = SAFE);
COMMENT ON AGGREGATE paretonbd_fit_diagnostics(double precision, double precision, double precision, double precision) IS 'the penalized Pareto/NBD fit reported as a fit_diagnostics record';

--
-- fractribution (issue 22): attribution over a path summary as Google's
-- fractribution computes it, ROAS against spend, and its path transforms
--
CREATE TYPE fractribution_summary;
CREATE FUNCTION fractribution_summary_in(cstring) RETURNS fractribution_summary
	AS 'MODULE_PATHNAME', 'engagement_fractribution_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION fractribution_summary_out(fractribution_summary) RETURNS cstring
	AS 'MODULE_PATHNAME', 'engagement_fractribution_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION fractribution_summary_recv(internal) RETURNS fractribution_summary
	AS 'MODULE_PATHNAME', 'engagement_fractribution_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION fractribution_summary_send(fractribution_summary) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_fractribution_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE fractribution_summary (
	INTERNALLENGTH = variable,
	INPUT = fractribution_summary_in,
	OUTPUT = fractribution_summary_out,
	RECEIVE = fractribution_summary_recv,
	SEND = fractribution_summary_send,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE fractribution_summary IS 'path summary for fractribution: each distinct channel path with its conversions, non-conversions and revenue';
COMMENT ON FUNCTION fractribution_summary_in(cstring) IS 'text input of type fractribution_summary';
COMMENT ON FUNCTION fractribution_summary_out(fractribution_summary) IS 'text output of type fractribution_summary';
COMMENT ON FUNCTION fractribution_summary_recv(internal) IS 'binary input of type fractribution_summary';
COMMENT ON FUNCTION fractribution_summary_send(fractribution_summary) IS 'binary output of type fractribution_summary';

CREATE FUNCTION fractribution_trans(internal, text[], bigint, bigint) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_fractribution_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION fractribution_trans(internal, text[], bigint, bigint, double precision)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_fractribution_trans_revenue'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION fractribution_rollup_trans(internal, fractribution_summary) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_fractribution_rollup_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION fractribution_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_fractribution_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION fractribution_serial(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_fractribution_serial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION fractribution_deserial(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_fractribution_deserial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION fractribution_final(internal) RETURNS fractribution_summary
	AS 'MODULE_PATHNAME', 'engagement_fractribution_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION fractribution_trans(internal,text[],bigint,bigint) IS 'transition function of aggregate fractribution_agg(text[],bigint,bigint) (not meant to be called directly)';
COMMENT ON FUNCTION fractribution_trans(internal,text[],bigint,bigint,double precision) IS 'transition function of aggregate fractribution_agg(text[],bigint,bigint,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION fractribution_rollup_trans(internal,fractribution_summary) IS 'transition function of aggregate rollup(fractribution_summary) (not meant to be called directly)';
COMMENT ON FUNCTION fractribution_combine(internal,internal) IS 'combine function of aggregate fractribution_agg(text[],bigint,bigint), fractribution_agg(text[],bigint,bigint,double precision), rollup(fractribution_summary) (not meant to be called directly)';
COMMENT ON FUNCTION fractribution_serial(internal) IS 'serialization function of aggregate fractribution_agg(text[],bigint,bigint), fractribution_agg(text[],bigint,bigint,double precision), rollup(fractribution_summary) (not meant to be called directly)';
COMMENT ON FUNCTION fractribution_deserial(bytea,internal) IS 'deserialization function of aggregate fractribution_agg(text[],bigint,bigint), fractribution_agg(text[],bigint,bigint,double precision), rollup(fractribution_summary) (not meant to be called directly)';
COMMENT ON FUNCTION fractribution_final(internal) IS 'final function of aggregate fractribution_agg(text[],bigint,bigint), fractribution_agg(text[],bigint,bigint,double precision), rollup(fractribution_summary) (not meant to be called directly)';

CREATE AGGREGATE fractribution_agg(path text[], conversions bigint, non_conversions bigint) (
	SFUNC = fractribution_trans, STYPE = internal, FINALFUNC = fractribution_final,
	COMBINEFUNC = fractribution_combine, SERIALFUNC = fractribution_serial,
	DESERIALFUNC = fractribution_deserial, PARALLEL = SAFE);
COMMENT ON AGGREGATE fractribution_agg(text[], bigint, bigint) IS 'path summary for fractribution: conversions and non-conversions per distinct channel path';
CREATE AGGREGATE fractribution_agg(path text[], conversions bigint, non_conversions bigint,
								   revenue double precision) (
	SFUNC = fractribution_trans, STYPE = internal, FINALFUNC = fractribution_final,
	COMBINEFUNC = fractribution_combine, SERIALFUNC = fractribution_serial,
	DESERIALFUNC = fractribution_deserial, PARALLEL = SAFE);
COMMENT ON AGGREGATE fractribution_agg(text[], bigint, bigint, double precision) IS 'path summary for fractribution: conversions, non-conversions and revenue per distinct channel path';
CREATE AGGREGATE rollup(fractribution_summary) (
	SFUNC = fractribution_rollup_trans, STYPE = internal, FINALFUNC = fractribution_final,
	COMBINEFUNC = fractribution_combine, SERIALFUNC = fractribution_serial,
	DESERIALFUNC = fractribution_deserial, PARALLEL = SAFE);
COMMENT ON AGGREGATE rollup(fractribution_summary) IS 'merge fractribution path summaries';

CREATE FUNCTION fractribution_summary_add(fractribution_summary, fractribution_summary)
	RETURNS fractribution_summary
	AS 'MODULE_PATHNAME', 'engagement_fractribution_summary_add'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR + (LEFTARG = fractribution_summary, RIGHTARG = fractribution_summary,
				   FUNCTION = fractribution_summary_add, COMMUTATOR = +);
COMMENT ON FUNCTION fractribution_summary_add(fractribution_summary,fractribution_summary) IS 'support function of the fractribution_summary + operator: merge two states';
COMMENT ON OPERATOR + (fractribution_summary,fractribution_summary) IS 'merge two fractribution_summary states';

CREATE FUNCTION fractribution_summary_eq(fractribution_summary, fractribution_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION fractribution_summary_ne(fractribution_summary, fractribution_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION fractribution_summary_lt(fractribution_summary, fractribution_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION fractribution_summary_le(fractribution_summary, fractribution_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION fractribution_summary_gt(fractribution_summary, fractribution_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION fractribution_summary_ge(fractribution_summary, fractribution_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION fractribution_summary_cmp(fractribution_summary, fractribution_summary) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION fractribution_summary_hash(fractribution_summary) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION fractribution_summary_hash_extended(fractribution_summary, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_state_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (LEFTARG = fractribution_summary, RIGHTARG = fractribution_summary, FUNCTION = fractribution_summary_eq, COMMUTATOR = =,
				   NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = fractribution_summary, RIGHTARG = fractribution_summary, FUNCTION = fractribution_summary_ne, COMMUTATOR = <>,
					NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = fractribution_summary, RIGHTARG = fractribution_summary, FUNCTION = fractribution_summary_lt, COMMUTATOR = >,
				   NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = fractribution_summary, RIGHTARG = fractribution_summary, FUNCTION = fractribution_summary_le, COMMUTATOR = >=,
				   NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = fractribution_summary, RIGHTARG = fractribution_summary, FUNCTION = fractribution_summary_gt, COMMUTATOR = <,
				   NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = fractribution_summary, RIGHTARG = fractribution_summary, FUNCTION = fractribution_summary_ge, COMMUTATOR = <=,
				   NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS fractribution_summary_ops DEFAULT FOR TYPE fractribution_summary USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 fractribution_summary_cmp(fractribution_summary, fractribution_summary);
CREATE OPERATOR CLASS fractribution_summary_hash_ops DEFAULT FOR TYPE fractribution_summary USING hash AS
	OPERATOR 1 =, FUNCTION 1 fractribution_summary_hash(fractribution_summary),
	FUNCTION 2 fractribution_summary_hash_extended(fractribution_summary, bigint);
COMMENT ON FUNCTION fractribution_summary_eq(fractribution_summary,fractribution_summary) IS 'support function of the fractribution_summary = operator';
COMMENT ON FUNCTION fractribution_summary_ne(fractribution_summary,fractribution_summary) IS 'support function of the fractribution_summary <> operator';
COMMENT ON FUNCTION fractribution_summary_lt(fractribution_summary,fractribution_summary) IS 'support function of the fractribution_summary < operator';
COMMENT ON FUNCTION fractribution_summary_le(fractribution_summary,fractribution_summary) IS 'support function of the fractribution_summary <= operator';
COMMENT ON FUNCTION fractribution_summary_gt(fractribution_summary,fractribution_summary) IS 'support function of the fractribution_summary > operator';
COMMENT ON FUNCTION fractribution_summary_ge(fractribution_summary,fractribution_summary) IS 'support function of the fractribution_summary >= operator';
COMMENT ON FUNCTION fractribution_summary_cmp(fractribution_summary,fractribution_summary) IS 'comparison of two fractribution_summary states (btree operator class support)';
COMMENT ON FUNCTION fractribution_summary_hash(fractribution_summary) IS 'hash of a fractribution_summary state (hash operator class support)';
COMMENT ON FUNCTION fractribution_summary_hash_extended(fractribution_summary,bigint) IS 'extended hash of a fractribution_summary state (hash operator class support)';
COMMENT ON OPERATOR = (fractribution_summary,fractribution_summary) IS 'fractribution_summary states are equal (they print the same)';
COMMENT ON OPERATOR <> (fractribution_summary,fractribution_summary) IS 'fractribution_summary states differ';
COMMENT ON OPERATOR < (fractribution_summary,fractribution_summary) IS 'consistent total order of fractribution_summary states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR <= (fractribution_summary,fractribution_summary) IS 'consistent total order of fractribution_summary states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR > (fractribution_summary,fractribution_summary) IS 'consistent total order of fractribution_summary states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR >= (fractribution_summary,fractribution_summary) IS 'consistent total order of fractribution_summary states (it means nothing; for sorting and DISTINCT)';

CREATE FUNCTION fractribution_summary_json(fractribution_summary) RETURNS json
	AS 'MODULE_PATHNAME', 'engagement_fractribution_summary_json'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (fractribution_summary AS json) WITH FUNCTION fractribution_summary_json(fractribution_summary);
CREATE FUNCTION fractribution_summary_jsonb(fractribution_summary) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'engagement_fractribution_summary_jsonb'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (fractribution_summary AS jsonb) WITH FUNCTION fractribution_summary_jsonb(fractribution_summary);
COMMENT ON FUNCTION fractribution_summary_json(fractribution_summary) IS 'json form of fractribution_summary (the cast to json; keys documented)';
COMMENT ON FUNCTION fractribution_summary_jsonb(fractribution_summary) IS 'jsonb form of fractribution_summary (the cast to jsonb; keys documented)';
CREATE FUNCTION unnest(fractribution_summary, OUT path text[], OUT conversions bigint,
					   OUT non_conversions bigint, OUT revenue double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_fractribution_summary_unnest'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION unnest(fractribution_summary) IS 'the distinct paths of a fractribution path summary with their conversions, non-conversions and revenue';

CREATE FUNCTION fractribution(fractribution_summary, model text DEFAULT 'shapley',
							OUT channel text, OUT conversions double precision,
							OUT revenue double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_fractribution_summary_credits'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION fractribution(fractribution_summary, text) IS 'conversions and revenue credited to each channel by a fractribution model (shapley, first_touch, last_touch, linear, position_based)';
CREATE FUNCTION roas(fractribution_summary, model text, channels text[], spend double precision[],
					 OUT channel text, OUT conversions double precision,
					 OUT revenue double precision, OUT spend double precision,
					 OUT roas double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_fractribution_summary_roas'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION roas(fractribution_summary, text, text[], double precision[]) IS 'fractribution report: credited conversions and revenue per channel with its spend and return on ad spend';
CREATE FUNCTION path_transform(path text[], transform text) RETURNS text[]
	AS 'MODULE_PATHNAME', 'engagement_path_transform'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION path_transform(path text[], transform text, channel text) RETURNS text[]
	AS 'MODULE_PATHNAME', 'engagement_path_transform_channel'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION path_transform(text[], text) IS 'fractribution path transform: unique, exposure, first or frequency';
COMMENT ON FUNCTION path_transform(text[], text, text) IS 'fractribution path transform that drops a channel: remove_if_not_all or remove_if_last_and_not_all';

-- higher-order Markov (issue 22)
CREATE FUNCTION markov_trans(internal, text[], bigint, bigint, double precision, integer)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_markov_trans_order'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION markov_trans(internal, text[], bigint, bigint, double precision, integer) IS 'transition function of aggregate markov_agg(text[],bigint,bigint,double precision,integer) (not meant to be called directly)';
CREATE AGGREGATE markov_agg(path text[], conversions bigint, non_conversions bigint,
							conversion_value double precision, "order" integer) (
	SFUNC = markov_trans,
	STYPE = internal,
	FINALFUNC = markov_final,
	COMBINEFUNC = markov_combine,
	SERIALFUNC = markov_serial,
	DESERIALFUNC = markov_deserial,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE markov_agg(text[], bigint, bigint, double precision, integer) IS 'Markov attribution model of order 1 to 4 (states: sequences of that many consecutive channels) of channel paths, with conversion values (NULL for none)';
COMMENT ON TYPE markov_model IS 'Markov attribution model of order 1 to 4: state transition counts with conversions and values, for exact removal effects';
COMMENT ON FUNCTION markov_combine(internal,internal) IS 'combine function of aggregate markov_agg (every form) and rollup(markov_model) (not meant to be called directly)';
COMMENT ON FUNCTION markov_serial(internal) IS 'serialization function of aggregate markov_agg (every form) and rollup(markov_model) (not meant to be called directly)';
COMMENT ON FUNCTION markov_deserial(bytea,internal) IS 'deserialization function of aggregate markov_agg (every form) and rollup(markov_model) (not meant to be called directly)';
COMMENT ON FUNCTION markov_final(internal) IS 'final function of aggregate markov_agg (every form) and rollup(markov_model) (not meant to be called directly)';

--
-- identity stitching (issue 25): identity_agg(id_a, id_b [, seen_at]) builds
-- an identity_graph (the distinct identifiers and pairs seen together, with
-- the earliest times); readers compute connected components by union-find
-- under guard rails (src/identity.c, docs/identity.md)
--
CREATE TYPE identity_graph;

CREATE FUNCTION identity_graph_in(cstring) RETURNS identity_graph
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION identity_graph_out(identity_graph) RETURNS cstring
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION identity_graph_recv(internal) RETURNS identity_graph
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION identity_graph_send(identity_graph) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE identity_graph (
	INTERNALLENGTH = variable,
	INPUT = identity_graph_in,
	OUTPUT = identity_graph_out,
	RECEIVE = identity_graph_recv,
	SEND = identity_graph_send,
	ALIGNMENT = double,
	STORAGE = extended
);

CREATE FUNCTION identity_trans(internal, text, text) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION identity_trans(internal, text, text, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION identity_rollup_trans(internal, identity_graph) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_rollup_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION identity_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION identity_serial(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_serial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION identity_deserial(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_deserial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION identity_final(internal) RETURNS identity_graph
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE identity_agg(id_a text, id_b text) (
	SFUNC = identity_trans,
	STYPE = internal,
	SSPACE = 600,
	FINALFUNC = identity_final,
	COMBINEFUNC = identity_combine,
	SERIALFUNC = identity_serial,
	DESERIALFUNC = identity_deserial,
	PARALLEL = SAFE
);
CREATE AGGREGATE identity_agg(id_a text, id_b text, seen_at timestamptz) (
	SFUNC = identity_trans,
	STYPE = internal,
	SSPACE = 600,
	FINALFUNC = identity_final,
	COMBINEFUNC = identity_combine,
	SERIALFUNC = identity_serial,
	DESERIALFUNC = identity_deserial,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(identity_graph) (
	SFUNC = identity_rollup_trans,
	STYPE = internal,
	SSPACE = 600,
	FINALFUNC = identity_final,
	COMBINEFUNC = identity_combine,
	SERIALFUNC = identity_serial,
	DESERIALFUNC = identity_deserial,
	PARALLEL = SAFE
);
CREATE FUNCTION identity_graph_add(identity_graph, identity_graph) RETURNS identity_graph
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_add'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR + (LEFTARG = identity_graph, RIGHTARG = identity_graph,
				   FUNCTION = identity_graph_add, COMMUTATOR = +);

-- readers
CREATE FUNCTION identifiers(identity_graph) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_identifiers'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pairs(identity_graph) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_pairs'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION canonical_id(graph identity_graph, identifier text,
							 priority text[] DEFAULT '{}',
							 max_size integer DEFAULT 2147483647,
							 never_merge text[] DEFAULT '{}',
							 as_of timestamptz DEFAULT 'infinity') RETURNS text
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_canonical_id'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION identities(graph identity_graph, priority text[] DEFAULT '{}',
						   max_size integer DEFAULT 2147483647,
						   never_merge text[] DEFAULT '{}',
						   as_of timestamptz DEFAULT 'infinity',
						   OUT identifier text, OUT canonical_id text,
						   OUT component_size integer) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_identities'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION components(graph identity_graph, priority text[] DEFAULT '{}',
						   max_size integer DEFAULT 2147483647,
						   never_merge text[] DEFAULT '{}',
						   as_of timestamptz DEFAULT 'infinity',
						   OUT canonical_id text, OUT size integer) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_components'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION refused_pairs(graph identity_graph, max_size integer DEFAULT 2147483647,
							  never_merge text[] DEFAULT '{}',
							  as_of timestamptz DEFAULT 'infinity',
							  OUT identifier_a text, OUT identifier_b text,
							  OUT seen_at timestamptz, OUT reason text,
							  OUT size_a integer, OUT size_b integer) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_refused_pairs'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION unnest(identity_graph, OUT identifier_a text, OUT identifier_b text,
					   OUT seen_at timestamptz) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_unnest'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- JSON forms
CREATE FUNCTION identity_graph_json(identity_graph) RETURNS json
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_json'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (identity_graph AS json) WITH FUNCTION identity_graph_json(identity_graph);
CREATE FUNCTION identity_graph_jsonb(identity_graph) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'engagement_identity_graph_jsonb'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (identity_graph AS jsonb) WITH FUNCTION identity_graph_jsonb(identity_graph);

-- equality, hashing and a (meaningless) total order, as on every state type
CREATE FUNCTION identity_graph_eq(identity_graph, identity_graph) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION identity_graph_ne(identity_graph, identity_graph) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION identity_graph_lt(identity_graph, identity_graph) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION identity_graph_le(identity_graph, identity_graph) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION identity_graph_gt(identity_graph, identity_graph) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION identity_graph_ge(identity_graph, identity_graph) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION identity_graph_cmp(identity_graph, identity_graph) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION identity_graph_hash(identity_graph) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION identity_graph_hash_extended(identity_graph, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_state_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (LEFTARG = identity_graph, RIGHTARG = identity_graph, FUNCTION = identity_graph_eq,
				   COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = identity_graph, RIGHTARG = identity_graph, FUNCTION = identity_graph_ne,
					COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = identity_graph, RIGHTARG = identity_graph, FUNCTION = identity_graph_lt,
				   COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = identity_graph, RIGHTARG = identity_graph, FUNCTION = identity_graph_le,
					COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = identity_graph, RIGHTARG = identity_graph, FUNCTION = identity_graph_gt,
				   COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = identity_graph, RIGHTARG = identity_graph, FUNCTION = identity_graph_ge,
					COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS identity_graph_ops DEFAULT FOR TYPE identity_graph USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 identity_graph_cmp(identity_graph, identity_graph);
CREATE OPERATOR CLASS identity_graph_hash_ops DEFAULT FOR TYPE identity_graph USING hash AS
	OPERATOR 1 =, FUNCTION 1 identity_graph_hash(identity_graph),
	FUNCTION 2 identity_graph_hash_extended(identity_graph, bigint);

COMMENT ON TYPE identity_graph IS 'identifiers seen together (pairs with the earliest time seen), for identity stitching';
COMMENT ON FUNCTION identity_graph_in(cstring) IS 'text input of type identity_graph';
COMMENT ON FUNCTION identity_graph_out(identity_graph) IS 'text output of type identity_graph';
COMMENT ON FUNCTION identity_graph_recv(internal) IS 'binary input of type identity_graph';
COMMENT ON FUNCTION identity_graph_send(identity_graph) IS 'binary output of type identity_graph';
COMMENT ON FUNCTION identity_trans(internal,text,text) IS 'transition function of aggregate identity_agg(text,text) (not meant to be called directly)';
COMMENT ON FUNCTION identity_trans(internal,text,text,timestamp with time zone) IS 'transition function of aggregate identity_agg(text,text,timestamp with time zone) (not meant to be called directly)';
COMMENT ON FUNCTION identity_rollup_trans(internal,identity_graph) IS 'transition function of aggregate rollup(identity_graph) (not meant to be called directly)';
COMMENT ON FUNCTION identity_combine(internal,internal) IS 'combine function of aggregates identity_agg and rollup(identity_graph) (not meant to be called directly)';
COMMENT ON FUNCTION identity_serial(internal) IS 'serialization function of aggregates identity_agg and rollup(identity_graph) (not meant to be called directly)';
COMMENT ON FUNCTION identity_deserial(bytea,internal) IS 'deserialization function of aggregates identity_agg and rollup(identity_graph) (not meant to be called directly)';
COMMENT ON FUNCTION identity_final(internal) IS 'final function of aggregates identity_agg and rollup(identity_graph) (not meant to be called directly)';
COMMENT ON AGGREGATE identity_agg(text, text) IS 'identity graph of pairs of identifiers seen together (no time: known since always)';
COMMENT ON AGGREGATE identity_agg(text, text, timestamp with time zone) IS 'identity graph of pairs of identifiers seen together, with the earliest time each pair and identifier was seen';
COMMENT ON AGGREGATE rollup(identity_graph) IS 'merge identity graphs (the union of their identifiers and pairs)';
COMMENT ON FUNCTION identity_graph_add(identity_graph,identity_graph) IS 'support function of the identity_graph + operator: merge two graphs';
COMMENT ON OPERATOR + (identity_graph,identity_graph) IS 'merge two identity graphs';
COMMENT ON FUNCTION identifiers(identity_graph) IS 'number of distinct identifiers of an identity graph';
COMMENT ON FUNCTION pairs(identity_graph) IS 'number of distinct pairs of different identifiers of an identity graph';
COMMENT ON FUNCTION canonical_id(identity_graph,text,text[],integer,text[],timestamp with time zone) IS 'the canonical identifier of the component of an identifier (NULL when the graph does not hold it)';
COMMENT ON FUNCTION identities(identity_graph,text[],integer,text[],timestamp with time zone) IS 'every identifier of an identity graph with its canonical identifier and component size';
COMMENT ON FUNCTION components(identity_graph,text[],integer,text[],timestamp with time zone) IS 'the components of an identity graph: canonical identifier and size';
COMMENT ON FUNCTION refused_pairs(identity_graph,integer,text[],timestamp with time zone) IS 'the pairs the guard rails (max_size, never_merge) kept from merging, with the reason';
COMMENT ON FUNCTION unnest(identity_graph) IS 'the identifiers (as self-pairs) and pairs of an identity graph with their earliest times';
COMMENT ON FUNCTION identity_graph_json(identity_graph) IS 'json form of identity_graph (the cast to json; keys documented)';
COMMENT ON FUNCTION identity_graph_jsonb(identity_graph) IS 'jsonb form of identity_graph (the cast to jsonb; keys documented)';
COMMENT ON FUNCTION identity_graph_eq(identity_graph,identity_graph) IS 'support function of the identity_graph = operator';
COMMENT ON FUNCTION identity_graph_ne(identity_graph,identity_graph) IS 'support function of the identity_graph <> operator';
COMMENT ON FUNCTION identity_graph_lt(identity_graph,identity_graph) IS 'support function of the identity_graph < operator';
COMMENT ON FUNCTION identity_graph_le(identity_graph,identity_graph) IS 'support function of the identity_graph <= operator';
COMMENT ON FUNCTION identity_graph_gt(identity_graph,identity_graph) IS 'support function of the identity_graph > operator';
COMMENT ON FUNCTION identity_graph_ge(identity_graph,identity_graph) IS 'support function of the identity_graph >= operator';
COMMENT ON FUNCTION identity_graph_cmp(identity_graph,identity_graph) IS 'comparison of two identity_graph states (btree operator class support)';
COMMENT ON FUNCTION identity_graph_hash(identity_graph) IS 'hash of an identity_graph state (hash operator class support)';
COMMENT ON FUNCTION identity_graph_hash_extended(identity_graph,bigint) IS 'extended hash of an identity_graph state (hash operator class support)';
COMMENT ON OPERATOR = (identity_graph,identity_graph) IS 'identity_graph states are equal (they print the same)';
COMMENT ON OPERATOR <> (identity_graph,identity_graph) IS 'identity_graph states differ';
COMMENT ON OPERATOR < (identity_graph,identity_graph) IS 'consistent total order of identity_graph states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR <= (identity_graph,identity_graph) IS 'consistent total order of identity_graph states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR > (identity_graph,identity_graph) IS 'consistent total order of identity_graph states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR >= (identity_graph,identity_graph) IS 'consistent total order of identity_graph states (it means nothing; for sorting and DISTINCT)';

--
-- classifier quality (issue 24): how well a score predicts a boolean outcome.
-- classifier_agg(score, outcome) builds a classifier_summary, the exact
-- histogram of the scores (each distinct score with its positive and
-- negative rows); auc, its DeLong standard error and interval, the lift
-- table, log loss and the Brier score read it (src/classifier.c,
-- docs/classifier.md)
--
CREATE TYPE classifier_summary;
CREATE FUNCTION classifier_summary_in(cstring) RETURNS classifier_summary
	AS 'MODULE_PATHNAME', 'engagement_classifier_summary_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION classifier_summary_out(classifier_summary) RETURNS cstring
	AS 'MODULE_PATHNAME', 'engagement_classifier_summary_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION classifier_summary_recv(internal) RETURNS classifier_summary
	AS 'MODULE_PATHNAME', 'engagement_classifier_summary_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION classifier_summary_send(classifier_summary) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_classifier_summary_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE classifier_summary (
	INTERNALLENGTH = variable,
	INPUT = classifier_summary_in,
	OUTPUT = classifier_summary_out,
	RECEIVE = classifier_summary_recv,
	SEND = classifier_summary_send,
	ALIGNMENT = double,
	STORAGE = extended
);

-- aggregation: one working state for every aggregate of this section
CREATE FUNCTION classifier_trans(internal, double precision, boolean) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_classifier_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION classifier_rollup_trans(internal, classifier_summary) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_classifier_rollup_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION classifier_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_classifier_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION classifier_serial(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_classifier_serial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION classifier_deserial(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_classifier_deserial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION classifier_final(internal) RETURNS classifier_summary
	AS 'MODULE_PATHNAME', 'engagement_classifier_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION auc_final(internal) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_classifier_auc_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION log_loss_final(internal) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_classifier_log_loss_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION brier_score_final(internal) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_classifier_brier_score_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE classifier_agg(score double precision, outcome boolean) (
	SFUNC = classifier_trans, STYPE = internal, SSPACE = 256, FINALFUNC = classifier_final,
	COMBINEFUNC = classifier_combine, SERIALFUNC = classifier_serial,
	DESERIALFUNC = classifier_deserial, PARALLEL = SAFE);
CREATE AGGREGATE rollup(classifier_summary) (
	SFUNC = classifier_rollup_trans, STYPE = internal, SSPACE = 256, FINALFUNC = classifier_final,
	COMBINEFUNC = classifier_combine, SERIALFUNC = classifier_serial,
	DESERIALFUNC = classifier_deserial, PARALLEL = SAFE);
CREATE AGGREGATE auc(score double precision, outcome boolean) (
	SFUNC = classifier_trans, STYPE = internal, SSPACE = 256, FINALFUNC = auc_final,
	COMBINEFUNC = classifier_combine, SERIALFUNC = classifier_serial,
	DESERIALFUNC = classifier_deserial, PARALLEL = SAFE);
CREATE AGGREGATE log_loss(probability double precision, outcome boolean) (
	SFUNC = classifier_trans, STYPE = internal, SSPACE = 256, FINALFUNC = log_loss_final,
	COMBINEFUNC = classifier_combine, SERIALFUNC = classifier_serial,
	DESERIALFUNC = classifier_deserial, PARALLEL = SAFE);
CREATE AGGREGATE brier_score(probability double precision, outcome boolean) (
	SFUNC = classifier_trans, STYPE = internal, SSPACE = 256, FINALFUNC = brier_score_final,
	COMBINEFUNC = classifier_combine, SERIALFUNC = classifier_serial,
	DESERIALFUNC = classifier_deserial, PARALLEL = SAFE);

CREATE FUNCTION classifier_summary_add(classifier_summary, classifier_summary) RETURNS classifier_summary
	AS 'MODULE_PATHNAME', 'engagement_classifier_summary_add'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR + (LEFTARG = classifier_summary, RIGHTARG = classifier_summary,
				   FUNCTION = classifier_summary_add, COMMUTATOR = +);

-- readers
CREATE FUNCTION auc(classifier_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_classifier_summary_auc'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION auc_std_error(classifier_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_classifier_summary_auc_std_error'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION auc_ci(classifier_summary, confidence double precision DEFAULT 0.95,
					   OUT lower double precision, OUT upper double precision) RETURNS record
	AS 'MODULE_PATHNAME', 'engagement_classifier_summary_auc_ci'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_loss(classifier_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_classifier_summary_log_loss'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brier_score(classifier_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_classifier_summary_brier_score'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION positives(classifier_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_classifier_summary_positives'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION negatives(classifier_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_classifier_summary_negatives'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lift_table(classifier_summary, groups integer DEFAULT 10,
						   OUT ntile integer, OUT rows bigint, OUT positives double precision,
						   OUT min_score double precision, OUT max_score double precision,
						   OUT positive_rate double precision, OUT cumulative_rows bigint,
						   OUT cumulative_positives double precision, OUT lift double precision,
						   OUT gain double precision, OUT cumulative_lift double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_classifier_summary_lift_table'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
CREATE FUNCTION unnest(classifier_summary, OUT score double precision,
					   OUT positives bigint, OUT negatives bigint) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_classifier_summary_unnest'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- JSON forms
CREATE FUNCTION classifier_summary_json(classifier_summary) RETURNS json
	AS 'MODULE_PATHNAME', 'engagement_classifier_summary_json'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (classifier_summary AS json) WITH FUNCTION classifier_summary_json(classifier_summary);
CREATE FUNCTION classifier_summary_jsonb(classifier_summary) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'engagement_classifier_summary_jsonb'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (classifier_summary AS jsonb) WITH FUNCTION classifier_summary_jsonb(classifier_summary);

-- equality, hashing and a (meaningless) total order, as on every state type
CREATE FUNCTION classifier_summary_eq(classifier_summary, classifier_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION classifier_summary_ne(classifier_summary, classifier_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION classifier_summary_lt(classifier_summary, classifier_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION classifier_summary_le(classifier_summary, classifier_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION classifier_summary_gt(classifier_summary, classifier_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION classifier_summary_ge(classifier_summary, classifier_summary) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION classifier_summary_cmp(classifier_summary, classifier_summary) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION classifier_summary_hash(classifier_summary) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION classifier_summary_hash_extended(classifier_summary, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_state_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (LEFTARG = classifier_summary, RIGHTARG = classifier_summary,
				   FUNCTION = classifier_summary_eq, COMMUTATOR = =, NEGATOR = <>,
				   RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = classifier_summary, RIGHTARG = classifier_summary,
					FUNCTION = classifier_summary_ne, COMMUTATOR = <>, NEGATOR = =,
					RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = classifier_summary, RIGHTARG = classifier_summary,
				   FUNCTION = classifier_summary_lt, COMMUTATOR = >, NEGATOR = >=,
				   RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = classifier_summary, RIGHTARG = classifier_summary,
					FUNCTION = classifier_summary_le, COMMUTATOR = >=, NEGATOR = >,
					RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = classifier_summary, RIGHTARG = classifier_summary,
				   FUNCTION = classifier_summary_gt, COMMUTATOR = <, NEGATOR = <=,
				   RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = classifier_summary, RIGHTARG = classifier_summary,
					FUNCTION = classifier_summary_ge, COMMUTATOR = <=, NEGATOR = <,
					RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS classifier_summary_ops DEFAULT FOR TYPE classifier_summary USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 classifier_summary_cmp(classifier_summary, classifier_summary);
CREATE OPERATOR CLASS classifier_summary_hash_ops DEFAULT FOR TYPE classifier_summary USING hash AS
	OPERATOR 1 =, FUNCTION 1 classifier_summary_hash(classifier_summary),
	FUNCTION 2 classifier_summary_hash_extended(classifier_summary, bigint);

COMMENT ON TYPE classifier_summary IS 'the scores of a classifier with their outcomes: each distinct score with its positive and negative rows (AUC, lift, log loss, Brier score)';
COMMENT ON FUNCTION classifier_summary_in(cstring) IS 'text input of type classifier_summary';
COMMENT ON FUNCTION classifier_summary_out(classifier_summary) IS 'text output of type classifier_summary';
COMMENT ON FUNCTION classifier_summary_recv(internal) IS 'binary input of type classifier_summary';
COMMENT ON FUNCTION classifier_summary_send(classifier_summary) IS 'binary output of type classifier_summary';
COMMENT ON FUNCTION classifier_trans(internal, double precision, boolean) IS 'transition function of aggregates classifier_agg, auc, log_loss and brier_score (not meant to be called directly)';
COMMENT ON FUNCTION classifier_rollup_trans(internal, classifier_summary) IS 'transition function of aggregate rollup(classifier_summary) (not meant to be called directly)';
COMMENT ON FUNCTION classifier_combine(internal, internal) IS 'combine function of the classifier aggregates (not meant to be called directly)';
COMMENT ON FUNCTION classifier_serial(internal) IS 'serialization function of the classifier aggregates (not meant to be called directly)';
COMMENT ON FUNCTION classifier_deserial(bytea, internal) IS 'deserialization function of the classifier aggregates (not meant to be called directly)';
COMMENT ON FUNCTION classifier_final(internal) IS 'final function of aggregates classifier_agg and rollup(classifier_summary) (not meant to be called directly)';
COMMENT ON FUNCTION auc_final(internal) IS 'final function of aggregate auc(double precision, boolean) (not meant to be called directly)';
COMMENT ON FUNCTION log_loss_final(internal) IS 'final function of aggregate log_loss(double precision, boolean) (not meant to be called directly)';
COMMENT ON FUNCTION brier_score_final(internal) IS 'final function of aggregate brier_score(double precision, boolean) (not meant to be called directly)';
COMMENT ON AGGREGATE classifier_agg(double precision, boolean) IS 'classifier_summary of (score, outcome) rows: every distinct score with its positive and negative rows';
COMMENT ON AGGREGATE rollup(classifier_summary) IS 'merge classifier_summary states';
COMMENT ON AGGREGATE auc(double precision, boolean) IS 'area under the ROC curve of a score for a boolean outcome (Mann-Whitney U / (n1 n0), ties count one half)';
COMMENT ON AGGREGATE log_loss(double precision, boolean) IS 'mean log loss of probabilities for a boolean outcome (probabilities clipped to [eps, 1 - eps], eps = 2^-52)';
COMMENT ON AGGREGATE brier_score(double precision, boolean) IS 'Brier score: mean squared difference of probabilities and a boolean outcome';
COMMENT ON FUNCTION classifier_summary_add(classifier_summary, classifier_summary) IS 'support function of the classifier_summary + operator: the two states merged';
COMMENT ON OPERATOR + (classifier_summary, classifier_summary) IS 'merge two classifier_summary states';
COMMENT ON FUNCTION auc(classifier_summary) IS 'area under the ROC curve (Mann-Whitney U / (n1 n0), ties count one half); NULL with one class only';
COMMENT ON FUNCTION auc_std_error(classifier_summary) IS 'DeLong standard error of the AUC; NULL with fewer than two rows of a class';
COMMENT ON FUNCTION auc_ci(classifier_summary, double precision) IS 'confidence interval of the AUC: DeLong standard error on the logit scale';
COMMENT ON FUNCTION log_loss(classifier_summary) IS 'mean log loss of scores that are probabilities (clipped to [eps, 1 - eps], eps = 2^-52)';
COMMENT ON FUNCTION brier_score(classifier_summary) IS 'Brier score of scores that are probabilities: mean squared difference from the outcome';
COMMENT ON FUNCTION positives(classifier_summary) IS 'number of rows whose outcome is true';
COMMENT ON FUNCTION negatives(classifier_summary) IS 'number of rows whose outcome is false';
COMMENT ON FUNCTION lift_table(classifier_summary, integer) IS 'lift and cumulative gain per group of rows ranked by score (ntile sizes; positives of tied scores shared in proportion)';
COMMENT ON FUNCTION unnest(classifier_summary) IS 'the distinct scores of a classifier_summary with their positive and negative rows';
COMMENT ON FUNCTION classifier_summary_json(classifier_summary) IS 'json form of classifier_summary (the cast to json; keys documented)';
COMMENT ON FUNCTION classifier_summary_jsonb(classifier_summary) IS 'jsonb form of classifier_summary (the cast to jsonb; keys documented)';
COMMENT ON FUNCTION classifier_summary_eq(classifier_summary, classifier_summary) IS 'support function of the classifier_summary = operator';
COMMENT ON FUNCTION classifier_summary_ne(classifier_summary, classifier_summary) IS 'support function of the classifier_summary <> operator';
COMMENT ON FUNCTION classifier_summary_lt(classifier_summary, classifier_summary) IS 'support function of the classifier_summary < operator';
COMMENT ON FUNCTION classifier_summary_le(classifier_summary, classifier_summary) IS 'support function of the classifier_summary <= operator';
COMMENT ON FUNCTION classifier_summary_gt(classifier_summary, classifier_summary) IS 'support function of the classifier_summary > operator';
COMMENT ON FUNCTION classifier_summary_ge(classifier_summary, classifier_summary) IS 'support function of the classifier_summary >= operator';
COMMENT ON FUNCTION classifier_summary_cmp(classifier_summary, classifier_summary) IS 'comparison of two classifier_summary states (btree operator class support)';
COMMENT ON FUNCTION classifier_summary_hash(classifier_summary) IS 'hash of a classifier_summary state (hash operator class support)';
COMMENT ON FUNCTION classifier_summary_hash_extended(classifier_summary, bigint) IS 'extended hash of a classifier_summary state (hash operator class support)';
COMMENT ON OPERATOR = (classifier_summary, classifier_summary) IS 'classifier_summary states are equal (they print the same)';
COMMENT ON OPERATOR <> (classifier_summary, classifier_summary) IS 'classifier_summary states differ';
COMMENT ON OPERATOR < (classifier_summary, classifier_summary) IS 'consistent total order of classifier_summary states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR <= (classifier_summary, classifier_summary) IS 'consistent total order of classifier_summary states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR > (classifier_summary, classifier_summary) IS 'consistent total order of classifier_summary states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR >= (classifier_summary, classifier_summary) IS 'consistent total order of classifier_summary states (it means nothing; for sorting and DISTINCT)';

--
-- learned engagement weights, intent vs action (issue 24)
--
CREATE FUNCTION engagement_logit_in(cstring) RETURNS engagement_logit
	AS 'MODULE_PATHNAME', 'engagement_engagement_logit_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_logit_out(engagement_logit) RETURNS cstring
	AS 'MODULE_PATHNAME', 'engagement_engagement_logit_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_logit_recv(internal) RETURNS engagement_logit
	AS 'MODULE_PATHNAME', 'engagement_engagement_logit_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_logit_send(engagement_logit) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_engagement_logit_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE engagement_logit (
	INTERNALLENGTH = variable,
	INPUT = engagement_logit_in,
	OUTPUT = engagement_logit_out,
	RECEIVE = engagement_logit_recv,
	SEND = engagement_logit_send,
	ALIGNMENT = double,
	STORAGE = plain
);

-- the fit: rows (state, as_of, outcome[, penalty])
CREATE FUNCTION engagement_logit_fit_trans(internal, engagement, timestamptz, boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_engagement_logit_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION engagement_logit_fit_trans(internal, engagement, timestamptz, boolean,
										   double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_engagement_logit_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION engagement_logit_fit_final(internal) RETURNS engagement_logit
	AS 'MODULE_PATHNAME', 'engagement_engagement_logit_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION engagement_logit_fit_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_engagement_logit_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION engagement_logit_fit_serial(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_engagement_logit_serial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_logit_fit_deserial(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_engagement_logit_deserial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE engagement_logit_fit(state engagement, as_of timestamptz, outcome boolean) (
	SFUNC = engagement_logit_fit_trans,
	STYPE = internal,
	FINALFUNC = engagement_logit_fit_final,
	COMBINEFUNC = engagement_logit_fit_combine,
	SERIALFUNC = engagement_logit_fit_serial,
	DESERIALFUNC = engagement_logit_fit_deserial,
	PARALLEL = SAFE
);
CREATE AGGREGATE engagement_logit_fit(state engagement, as_of timestamptz, outcome boolean,
									  penalty double precision) (
	SFUNC = engagement_logit_fit_trans,
	STYPE = internal,
	FINALFUNC = engagement_logit_fit_final,
	COMBINEFUNC = engagement_logit_fit_combine,
	SERIALFUNC = engagement_logit_fit_serial,
	DESERIALFUNC = engagement_logit_fit_deserial,
	PARALLEL = SAFE
);

-- accessors
CREATE FUNCTION coefficients(engagement_logit, OUT term text, OUT estimate double precision,
							 OUT std_error double precision, OUT z double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_engagement_logit_coefficients'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 5;
CREATE FUNCTION score_weights(engagement_logit) RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'engagement_engagement_logit_score_weights'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION outcome_probability(model engagement_logit, state engagement,
									as_of timestamptz) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_engagement_logit_probability'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION log_likelihood(engagement_logit) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_engagement_logit_loglik'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customers(engagement_logit) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_engagement_logit_rows'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- JSON forms
CREATE FUNCTION engagement_logit_json(engagement_logit) RETURNS json
	AS 'MODULE_PATHNAME', 'engagement_engagement_logit_json'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (engagement_logit AS json) WITH FUNCTION engagement_logit_json(engagement_logit);
CREATE FUNCTION engagement_logit_jsonb(engagement_logit) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'engagement_engagement_logit_jsonb'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (engagement_logit AS jsonb) WITH FUNCTION engagement_logit_jsonb(engagement_logit);

-- equality, hashing and a (meaningless) total order, as on every state type
CREATE FUNCTION engagement_logit_eq(engagement_logit, engagement_logit) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_logit_ne(engagement_logit, engagement_logit) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_logit_lt(engagement_logit, engagement_logit) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_logit_le(engagement_logit, engagement_logit) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_logit_gt(engagement_logit, engagement_logit) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_logit_ge(engagement_logit, engagement_logit) RETURNS boolean
	AS 'MODULE_PATHNAME', 'engagement_state_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_logit_cmp(engagement_logit, engagement_logit) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_logit_hash(engagement_logit) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_state_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION engagement_logit_hash_extended(engagement_logit, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_state_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (LEFTARG = engagement_logit, RIGHTARG = engagement_logit, FUNCTION = engagement_logit_eq, COMMUTATOR = =,
				   NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = engagement_logit, RIGHTARG = engagement_logit, FUNCTION = engagement_logit_ne, COMMUTATOR = <>,
					NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = engagement_logit, RIGHTARG = engagement_logit, FUNCTION = engagement_logit_lt, COMMUTATOR = >,
				   NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = engagement_logit, RIGHTARG = engagement_logit, FUNCTION = engagement_logit_le, COMMUTATOR = >=,
					NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = engagement_logit, RIGHTARG = engagement_logit, FUNCTION = engagement_logit_gt, COMMUTATOR = <,
				   NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = engagement_logit, RIGHTARG = engagement_logit, FUNCTION = engagement_logit_ge, COMMUTATOR = <=,
					NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS engagement_logit_ops DEFAULT FOR TYPE engagement_logit USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 engagement_logit_cmp(engagement_logit, engagement_logit);
CREATE OPERATOR CLASS engagement_logit_hash_ops DEFAULT FOR TYPE engagement_logit USING hash AS
	OPERATOR 1 =, FUNCTION 1 engagement_logit_hash(engagement_logit), FUNCTION 2 engagement_logit_hash_extended(engagement_logit, bigint);

COMMENT ON TYPE engagement_logit IS 'logistic regression of an outcome on the four decayed engagement dimensions (engagement_logit_fit)';
COMMENT ON FUNCTION engagement_logit_in(cstring) IS 'text input of type engagement_logit';
COMMENT ON FUNCTION engagement_logit_out(engagement_logit) IS 'text output of type engagement_logit';
COMMENT ON FUNCTION engagement_logit_recv(internal) IS 'binary input of type engagement_logit';
COMMENT ON FUNCTION engagement_logit_send(engagement_logit) IS 'binary output of type engagement_logit';
COMMENT ON AGGREGATE engagement_logit_fit(engagement, timestamptz, boolean)
	IS 'maximum-likelihood logistic regression of an outcome on involvement, interaction, intimacy and influence decayed to as_of (Newton/IRLS)';
COMMENT ON AGGREGATE engagement_logit_fit(engagement, timestamptz, boolean, double precision)
	IS 'logistic regression of an outcome on the four decayed dimensions, maximising the log-likelihood minus penalty/2 times the sum of the squared dimension coefficients (the intercept is not penalised)';
COMMENT ON FUNCTION engagement_logit_fit_trans(internal,engagement,timestamptz,boolean) IS 'transition function of aggregate engagement_logit_fit(engagement,timestamptz,boolean) (not meant to be called directly)';
COMMENT ON FUNCTION engagement_logit_fit_trans(internal,engagement,timestamptz,boolean,double precision) IS 'transition function of aggregate engagement_logit_fit(engagement,timestamptz,boolean,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION engagement_logit_fit_final(internal) IS 'final function of the engagement_logit_fit aggregates (not meant to be called directly)';
COMMENT ON FUNCTION engagement_logit_fit_combine(internal,internal) IS 'combine function of the engagement_logit_fit aggregates (not meant to be called directly)';
COMMENT ON FUNCTION engagement_logit_fit_serial(internal) IS 'serialization function of the engagement_logit_fit aggregates (not meant to be called directly)';
COMMENT ON FUNCTION engagement_logit_fit_deserial(bytea,internal) IS 'deserialization function of the engagement_logit_fit aggregates (not meant to be called directly)';
COMMENT ON FUNCTION coefficients(engagement_logit) IS 'intercept and dimension coefficients of an engagement_logit model with standard errors and z values';
COMMENT ON FUNCTION score_weights(engagement_logit) IS 'the dimension coefficients as weights for score() and score_factors(), negative ones set to 0';
COMMENT ON FUNCTION outcome_probability(engagement_logit,engagement,timestamptz) IS 'fitted probability of the outcome for an engagement state decayed to as_of';
COMMENT ON FUNCTION log_likelihood(engagement_logit) IS 'log-likelihood of the fit (without the penalty)';
COMMENT ON FUNCTION customers(engagement_logit) IS 'number of rows the model was fitted on';
COMMENT ON FUNCTION engagement_logit_json(engagement_logit) IS 'json form of engagement_logit (the cast to json; keys documented)';
COMMENT ON FUNCTION engagement_logit_jsonb(engagement_logit) IS 'jsonb form of engagement_logit (the cast to jsonb; keys documented)';
COMMENT ON FUNCTION engagement_logit_eq(engagement_logit,engagement_logit) IS 'support function of the engagement_logit = operator';
COMMENT ON FUNCTION engagement_logit_ne(engagement_logit,engagement_logit) IS 'support function of the engagement_logit <> operator';
COMMENT ON FUNCTION engagement_logit_lt(engagement_logit,engagement_logit) IS 'support function of the engagement_logit < operator';
COMMENT ON FUNCTION engagement_logit_le(engagement_logit,engagement_logit) IS 'support function of the engagement_logit <= operator';
COMMENT ON FUNCTION engagement_logit_gt(engagement_logit,engagement_logit) IS 'support function of the engagement_logit > operator';
COMMENT ON FUNCTION engagement_logit_ge(engagement_logit,engagement_logit) IS 'support function of the engagement_logit >= operator';
COMMENT ON FUNCTION engagement_logit_cmp(engagement_logit,engagement_logit) IS 'comparison of two engagement_logit states (btree operator class support)';
COMMENT ON FUNCTION engagement_logit_hash(engagement_logit) IS 'hash of a engagement_logit state (hash operator class support)';
COMMENT ON FUNCTION engagement_logit_hash_extended(engagement_logit,bigint) IS 'extended hash of a engagement_logit state (hash operator class support)';
COMMENT ON OPERATOR = (engagement_logit,engagement_logit) IS 'engagement_logit states are equal (they print the same)';
COMMENT ON OPERATOR <> (engagement_logit,engagement_logit) IS 'engagement_logit states differ';
COMMENT ON OPERATOR < (engagement_logit,engagement_logit) IS 'consistent total order of engagement_logit states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR <= (engagement_logit,engagement_logit) IS 'consistent total order of engagement_logit states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR > (engagement_logit,engagement_logit) IS 'consistent total order of engagement_logit states (it means nothing; for sorting and DISTINCT)';
COMMENT ON OPERATOR >= (engagement_logit,engagement_logit) IS 'consistent total order of engagement_logit states (it means nothing; for sorting and DISTINCT)';

-- intent against action: NPS categories against referral outcomes
CREATE TYPE nps_referral_row AS (
	category text,
	respondents bigint,
	referrals bigint,
	converted bigint,
	conversion_rate double precision,
	conversion_lower double precision,
	conversion_upper double precision,
	referral_value double precision,
	crv_per_respondent double precision
);
CREATE FUNCTION nps_referrals_trans(double precision[], integer, bigint, bigint, double precision)
	RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'engagement_nps_referrals_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION nps_referrals_trans(double precision[], integer, bigint, bigint, double precision,
									double precision) RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'engagement_nps_referrals_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION nps_referrals_combine(double precision[], double precision[])
	RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'engagement_nps_referrals_combine'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_referrals_final(double precision[]) RETURNS nps_referral_row[]
	AS 'MODULE_PATHNAME', 'engagement_nps_referrals_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE nps_referrals(score integer, referrals bigint, converted bigint,
							   referral_value double precision) (
	SFUNC = nps_referrals_trans,
	STYPE = double precision[],
	FINALFUNC = nps_referrals_final,
	COMBINEFUNC = nps_referrals_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE nps_referrals(score integer, referrals bigint, converted bigint,
							   referral_value double precision, confidence double precision) (
	SFUNC = nps_referrals_trans,
	STYPE = double precision[],
	FINALFUNC = nps_referrals_final,
	COMBINEFUNC = nps_referrals_combine,
	PARALLEL = SAFE
);
COMMENT ON TYPE nps_referral_row IS 'one NPS category of nps_referrals: respondents, referrals, converted referrals, conversion rate with its Wilson interval, referral value';
COMMENT ON FUNCTION nps_referrals_trans(double precision[],integer,bigint,bigint,double precision) IS 'transition function of aggregate nps_referrals(integer,bigint,bigint,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION nps_referrals_trans(double precision[],integer,bigint,bigint,double precision,double precision) IS 'transition function of aggregate nps_referrals(integer,bigint,bigint,double precision,double precision) (not meant to be called directly)';
COMMENT ON FUNCTION nps_referrals_combine(double precision[],double precision[]) IS 'combine function of the nps_referrals aggregates (not meant to be called directly)';
COMMENT ON FUNCTION nps_referrals_final(double precision[]) IS 'final function of the nps_referrals aggregates (not meant to be called directly)';
COMMENT ON AGGREGATE nps_referrals(integer, bigint, bigint, double precision)
	IS 'intent against action: per NPS category (promoter, passive, detractor, all) respondents, referrals, converted referrals, conversion rate with its 95% Wilson interval, referral value per respondent';
COMMENT ON AGGREGATE nps_referrals(integer, bigint, bigint, double precision, double precision)
	IS 'intent against action with a Wilson interval at the given confidence level';
