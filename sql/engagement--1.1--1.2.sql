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
