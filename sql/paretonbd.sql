--
-- The Pareto/NBD model of repeat purchases in continuous time (Schmittlein,
-- Morrison and Colombo 1987; the expressions of Fader and Hardie 2005, "A
-- Note on Deriving the Pareto/NBD Model and Related Expressions").
--
-- Checks: the log-likelihood, P(alive) and expected purchases at a grid of
-- parameters (alpha = beta, alpha and beta 1e-9 apart, either much the
-- larger, s = 1, 500 purchases, an age of 10,000, recency 1e-6 before the
-- age) against mpmath (test/reference/paretonbd_mpmath.py: the death
-- integral by quadrature and by the note's hypergeometric closed form,
-- which agree to 25 digits); identities; recovery of known parameters from
-- customers simulated in plain SQL; NULLs, empty input, one row, parallel
-- plans, text, binary and JSON forms, and every error.  The CDNOW fit
-- against the published estimates is in test/t/014_paretonbd_cdnow.pl (the
-- data are not part of the repository).
--
SET extra_float_digits = 0;

--
-- Models from given parameters; text and JSON forms
--
SELECT paretonbd(0.5534, 10.5802, 0.6061, 11.6685);
SELECT '(v=1,r=0.5,alpha=2,s=1,beta=3)'::paretonbd;
SELECT * FROM parameters(paretonbd(0.5534, 10.5802, 0.6061, 11.6685));
SELECT * FROM estimates(paretonbd(0.5534, 10.5802, 0.6061, 11.6685));
SELECT log_likelihood(paretonbd(1, 1, 1, 1)) IS NULL AS no_ll,
	   customers(paretonbd(1, 1, 1, 1)) IS NULL AS no_customers;
SELECT paretonbd(0.5534, 10.5802, 0.6061, 11.6685)::json;
SELECT paretonbd(0.5534, 10.5802, 0.6061, 11.6685)::jsonb -> 'parameters' ->> 'beta' AS beta;

--
-- Against mpmath (40 digits; test/reference/paretonbd_mpmath.py prints the
-- VALUES list): per model, customer and horizon the log-likelihood, P(alive)
-- at T, E[X(T, T+t) | x, t_x, T] for t = 1 and 39, and E[X(t)] for t = 1,
-- 39 and 1000; all within 1e-12 relatively, or 1e-13 absolutely for ln L
-- (a sum of terms of order 1 that can end near 0), 1e-10 relatively for
-- 500 purchases (ln L sums terms of 1e3)
--
CREATE TEMP TABLE pnbd_models (name text, m paretonbd);
INSERT INTO pnbd_models VALUES
	('cdnow', paretonbd(0.5534, 10.5802, 0.6061, 11.6685)),
	('equal', paretonbd(1.2, 5, 0.8, 5)),
	('near', paretonbd(1.2, 5, 0.8, 5.000000001)),
	('alpha_big', paretonbd(0.5, 100, 1.5, 0.2)),
	('beta_big', paretonbd(2, 0.5, 0.3, 40)),
	('s_one', paretonbd(0.7, 8, 1, 12));
CREATE TEMP TABLE pnbd_ref (name text, what text, x float8, t_x float8, age float8, t float8, ref float8);
INSERT INTO pnbd_ref VALUES
	('cdnow', 'll', 0, 0, 39, 0, -0.5217492913250727679213896),
	('cdnow', 'p_alive', 0, 0, 39, 0, 0.2943338629185265526430283),
	('cdnow', 'cond', 0, 0, 39, 1, 0.003265825995990313907985295),
	('cdnow', 'cond', 0, 0, 39, 39, 0.1065475171386575125694432),
	('cdnow', 'll', 1, 30.43, 38.86, 0, -6.106398201468848247183147),
	('cdnow', 'p_alive', 1, 30.43, 38.86, 0, 0.8802160677615361820247918),
	('cdnow', 'cond', 1, 30.43, 38.86, 1, 0.02749205570874962173634332),
	('cdnow', 'cond', 1, 30.43, 38.86, 39, 0.896572011949890982231315),
	('cdnow', 'll', 2, 1.5, 39, 0, -6.933496651332603232557843),
	('cdnow', 'p_alive', 2, 1.5, 39, 0, 0.06268052639707110756807371),
	('cdnow', 'cond', 2, 1.5, 39, 1, 0.003208966222380859335289269),
	('cdnow', 'cond', 2, 1.5, 39, 39, 0.1046924679992999007575793),
	('cdnow', 'll', 7, 35, 39, 0, -21.83642186516218343815735),
	('cdnow', 'p_alive', 7, 35, 39, 0, 0.9331980788257013683032614),
	('cdnow', 'cond', 7, 35, 39, 1, 0.1413285738794409938045553),
	('cdnow', 'cond', 7, 35, 39, 39, 4.610842300260269221576568),
	('cdnow', 'll', 500, 30, 39, 0, 748.1810574492643907494666),
	('cdnow', 'p_alive', 500, 30, 39, 0, 2.148942400306111049144027e-41),
	('cdnow', 'cond', 500, 30, 39, 1, 2.156695574731114144160823e-40),
	('cdnow', 'cond', 500, 30, 39, 39, 7.036215615702133469836818e-39),
	('cdnow', 'll', 3, 20, 10000, 0, -12.61764754564747443118003),
	('cdnow', 'p_alive', 3, 20, 10000, 0, 2.482846510994303702013591e-10),
	('cdnow', 'cond', 3, 20, 10000, 1, 8.812955467636335776457718e-14),
	('cdnow', 'cond', 3, 20, 10000, 39, 3.43310748554771019009752e-12),
	('cdnow', 'll', 4, 38.999999, 39, 0, -15.30505352767699484546912),
	('cdnow', 'p_alive', 4, 38.999999, 39, 0, 0.9999999880379322421669561),
	('cdnow', 'cond', 4, 38.999999, 39, 1, 0.09129551748293621708184659),
	('cdnow', 'cond', 4, 38.999999, 39, 39, 2.978514692956287965609946),
	('cdnow', 'll', 5, 39, 39, 0, -17.69277089346681685089085),
	('cdnow', 'p_alive', 5, 39, 39, 0, 1.0),
	('cdnow', 'cond', 5, 39, 39, 1, 0.1113454853196540420796474),
	('cdnow', 'cond', 5, 39, 39, 39, 3.632644549946550074013228),
	('cdnow', 'uncond', 0, 0, 0, 1, 0.05100584606439252185094737),
	('cdnow', 'uncond', 0, 0, 0, 39, 1.213514087478740873892639),
	('cdnow', 'uncond', 0, 0, 0, 1000, 7.436463280746529783829334),
	('equal', 'll', 0, 0, 39, 0, -0.8971061046077755879587128),
	('equal', 'p_alive', 0, 0, 39, 0, 0.03166962249809982265011401),
	('equal', 'cond', 0, 0, 39, 1, 0.0008559704025271698123624971),
	('equal', 'cond', 0, 0, 39, 39, 0.02571657509021358329585383),
	('equal', 'll', 1, 30.43, 38.86, 0, -7.727321249245971650121115),
	('equal', 'p_alive', 1, 30.43, 38.86, 0, 0.8069532055661844425485788),
	('equal', 'cond', 1, 30.43, 38.86, 1, 0.04011227732074861441316207),
	('equal', 'cond', 1, 30.43, 38.86, 39, 1.204344869278058170572076),
	('equal', 'll', 2, 1.5, 39, 0, -4.905088656373997704075429),
	('equal', 'p_alive', 2, 1.5, 39, 0, 0.00237676457772796585035096),
	('equal', 'cond', 2, 1.5, 39, 1, 0.0001713052843141987452888203),
	('equal', 'cond', 2, 1.5, 39, 39, 0.005146655999331291663240171),
	('equal', 'll', 7, 35, 39, 0, -21.70856842889972765922014),
	('equal', 'p_alive', 7, 35, 39, 0, 0.8922943111534836712862755),
	('equal', 'cond', 7, 35, 39, 1, 0.1647997664544295767080041),
	('equal', 'cond', 7, 35, 39, 39, 4.951205738378876270694077),
	('equal', 'll', 500, 30, 39, 0, 824.6513993440588457128762),
	('equal', 'p_alive', 500, 30, 39, 0, 8.063589263441184000842314e-48),
	('equal', 'cond', 500, 30, 39, 1, 9.102780607624572764641324e-47),
	('equal', 'cond', 500, 30, 39, 39, 2.734818170518307194165225e-45),
	('equal', 'll', 3, 20, 10000, 0, -12.57415503625669605293747),
	('equal', 'p_alive', 3, 20, 10000, 0, 6.088279697441778118330397e-13),
	('equal', 'cond', 3, 20, 10000, 1, 2.555697398373858957191664e-16),
	('equal', 'cond', 3, 20, 10000, 39, 9.952112872039910822293681e-15),
	('equal', 'll', 4, 38.999999, 39, 0, -15.91724770820631848472604),
	('equal', 'p_alive', 4, 38.999999, 39, 0, 0.9999999818181807024792978),
	('equal', 'cond', 4, 38.999999, 39, 1, 0.117121857401369141532696),
	('equal', 'cond', 4, 38.999999, 39, 39, 3.518781761232675833271529),
	('equal', 'll', 5, 39, 39, 0, -18.05277873471901743956247),
	('equal', 'p_alive', 5, 39, 39, 0, 1.0),
	('equal', 'cond', 5, 39, 39, 1, 0.1396452940560225556416507),
	('equal', 'cond', 5, 39, 39, 39, 4.195470637751017881774383),
	('equal', 'uncond', 0, 0, 0, 1, 0.2228237360198886090845771),
	('equal', 'uncond', 0, 0, 0, 39, 3.269318067773672326777345),
	('equal', 'uncond', 0, 0, 0, 1000, 11.32967674847191634961179),
	('near', 'll', 0, 0, 39, 0, -0.8971061046834454868405697),
	('near', 'p_alive', 0, 0, 39, 0, 0.03166962250498758806396934),
	('near', 'cond', 0, 0, 39, 1, 0.0008559704027135068728739086),
	('near', 'cond', 0, 0, 39, 39, 0.02571657509593033068099152),
	('near', 'll', 1, 30.43, 38.86, 0, -7.72732124910962201547572),
	('near', 'p_alive', 1, 30.43, 38.86, 0, 0.8069532055705504719516993),
	('near', 'cond', 1, 30.43, 38.86, 1, 0.04011227732097383383529869),
	('near', 'cond', 1, 30.43, 38.86, 39, 1.204344869290397116949472),
	('near', 'll', 2, 1.5, 39, 0, -4.905088656435142586697168),
	('near', 'p_alive', 2, 1.5, 39, 0, 0.0023767645782103612725103),
	('near', 'cond', 2, 1.5, 39, 1, 0.0001713052843490021534197943),
	('near', 'cond', 2, 1.5, 39, 39, 0.005146656000400628572177095),
	('near', 'll', 7, 35, 39, 0, -21.70856842876060529615696),
	('near', 'p_alive', 7, 35, 39, 0, 0.8922943111558891350111735),
	('near', 'cond', 7, 35, 39, 1, 0.1647997664549072895246589),
	('near', 'cond', 7, 35, 39, 39, 4.951205738416039527853272),
	('near', 'll', 500, 30, 39, 0, 824.6513993441675193851132),
	('near', 'p_alive', 500, 30, 39, 0, 8.063589263708447712320774e-48),
	('near', 'cond', 500, 30, 39, 1, 9.102780607928127174344722e-47),
	('near', 'cond', 500, 30, 39, 39, 2.734818170622106099922181e-45),
	('near', 'll', 3, 20, 10000, 0, -12.57415503615669605295236),
	('near', 'p_alive', 3, 20, 10000, 0, 6.088279697806588081214759e-13),
	('near', 'cond', 3, 20, 10000, 1, 2.555697398526996457692541e-16),
	('near', 'cond', 3, 20, 10000, 39, 9.952112872636243369636744e-15),
	('near', 'll', 4, 38.999999, 39, 0, -15.91724770806450030333687),
	('near', 'p_alive', 4, 38.999999, 39, 0, 0.9999999818181807028925209),
	('near', 'cond', 4, 38.999999, 39, 1, 0.1171218574013929089074196),
	('near', 'cond', 4, 38.999999, 39, 39, 3.518781761249601462362753),
	('near', 'll', 5, 39, 39, 0, -18.05277873457719925776008),
	('near', 'p_alive', 5, 39, 39, 0, 1.0),
	('near', 'cond', 5, 39, 39, 1, 0.1396452940560508936081702),
	('near', 'cond', 5, 39, 39, 39, 4.19547063777119843817025),
	('near', 'uncond', 0, 0, 0, 1, 0.2228237360229678647145357),
	('near', 'uncond', 0, 0, 0, 39, 3.269318068098896481542255),
	('near', 'uncond', 0, 0, 0, 1000, 11.32967675004811332120264),
	('alpha_big', 'll', 0, 0, 39, 0, -0.001796862539068770074341821),
	('alpha_big', 'p_alive', 0, 0, 39, 0, 0.0003096626744513205979146916),
	('alpha_big', 'cond', 0, 0, 39, 1, 0.000001093025925246601590783843),
	('alpha_big', 'cond', 0, 0, 39, 39, 0.00002549925323984779746222606),
	('alpha_big', 'll', 1, 30.43, 38.86, 0, -13.32183855531539901797382),
	('alpha_big', 'p_alive', 1, 30.43, 38.86, 0, 0.683363646300356876426556),
	('alpha_big', 'cond', 1, 30.43, 38.86, 1, 0.007243079751455927715382701),
	('alpha_big', 'cond', 1, 30.43, 38.86, 39, 0.1687463780538264675514566),
	('alpha_big', 'll', 2, 1.5, 39, 0, -12.80234189869369662450269),
	('alpha_big', 'p_alive', 2, 1.5, 39, 0, 0.004356388448263568507286438),
	('alpha_big', 'cond', 2, 1.5, 39, 1, 0.0000768843956223311507730464),
	('alpha_big', 'cond', 2, 1.5, 39, 39, 0.001793639683088169215593881),
	('alpha_big', 'll', 7, 35, 39, 0, -35.48154777249214693021152),
	('alpha_big', 'p_alive', 7, 35, 39, 0, 0.8356091258830893333392026),
	('alpha_big', 'cond', 7, 35, 39, 1, 0.04424213087262700103064624),
	('alpha_big', 'cond', 7, 35, 39, 39, 1.0321267528371572884757),
	('alpha_big', 'll', 500, 30, 39, 0, 161.8565811123316222059544),
	('alpha_big', 'p_alive', 500, 30, 39, 0, 1.504971764492013658238735e-13),
	('alpha_big', 'cond', 500, 30, 39, 1, 5.317457557410905728780075e-13),
	('alpha_big', 'cond', 500, 30, 39, 39, 1.240512175573255188735598e-11),
	('alpha_big', 'll', 3, 20, 10000, 0, -21.18632574310160215858146),
	('alpha_big', 'p_alive', 3, 20, 10000, 0, 2.573432554914131257726065e-11),
	('alpha_big', 'cond', 3, 20, 10000, 1, 8.917166817772975872972307e-15),
	('alpha_big', 'cond', 3, 20, 10000, 39, 3.467816009754116765594854e-13),
	('alpha_big', 'll', 4, 38.999999, 39, 0, -25.93834792875679370353755),
	('alpha_big', 'p_alive', 4, 38.999999, 39, 0, 0.9999999617346935021875392),
	('alpha_big', 'cond', 4, 38.999999, 39, 1, 0.03176757731045526001771974),
	('alpha_big', 'cond', 4, 38.999999, 39, 39, 0.7411073058244098175790969),
	('alpha_big', 'll', 5, 39, 39, 0, -29.36874450337651861728239),
	('alpha_big', 'p_alive', 5, 39, 39, 0, 1.0),
	('alpha_big', 'cond', 5, 39, 39, 1, 0.03882704042072947545715745),
	('alpha_big', 'cond', 5, 39, 39, 39, 0.9057978528904666873997133),
	('alpha_big', 'uncond', 0, 0, 0, 1, 0.001183503419072273967267572),
	('alpha_big', 'uncond', 0, 0, 0, 39, 0.001857142857142857142857143),
	('alpha_big', 'uncond', 0, 0, 0, 1000, 0.001971718556755469474808112),
	('beta_big', 'll', 0, 0, 39, 0, -5.6081808048070732209416),
	('beta_big', 'p_alive', 0, 0, 39, 0, 0.03561866717752907741663542),
	('beta_big', 'cond', 0, 0, 39, 1, 0.001800071143666547470281567),
	('beta_big', 'cond', 0, 0, 39, 39, 0.06600155214328410267309018),
	('beta_big', 'll', 1, 30.43, 38.86, 0, -11.86593651452713703945588),
	('beta_big', 'p_alive', 1, 30.43, 38.86, 0, 0.9520865971968459482517275),
	('beta_big', 'cond', 1, 30.43, 38.86, 1, 0.07243029784950243758046891),
	('beta_big', 'cond', 1, 30.43, 38.86, 39, 2.655483814399684751972707),
	('beta_big', 'll', 2, 1.5, 39, 0, -7.741331119013610872865336),
	('beta_big', 'p_alive', 2, 1.5, 39, 0, 0.00115624570930895524447747),
	('beta_big', 'cond', 2, 1.5, 39, 1, 0.0001168670644491922392041464),
	('beta_big', 'cond', 2, 1.5, 39, 39, 0.004285057107445509124796722),
	('beta_big', 'll', 7, 35, 39, 0, -24.04660104885243965662393),
	('beta_big', 'p_alive', 7, 35, 39, 0, 0.9743672663951565368162397),
	('beta_big', 'cond', 7, 35, 39, 1, 0.2215884934360933688110875),
	('beta_big', 'cond', 7, 35, 39, 39, 8.124781376187269466284828),
	('beta_big', 'll', 500, 30, 39, 0, 892.0416115978191043136123),
	('beta_big', 'p_alive', 500, 30, 39, 0, 1.566839783623163121879954e-53),
	('beta_big', 'cond', 500, 30, 39, 1, 1.987514552032592346362825e-52),
	('beta_big', 'cond', 500, 30, 39, 39, 7.287436710657877789095056e-51),
	('beta_big', 'll', 3, 20, 10000, 0, -17.21644393453579499362563),
	('beta_big', 'p_alive', 3, 20, 10000, 0, 3.428839539704719235402617e-13),
	('beta_big', 'cond', 3, 20, 10000, 1, 1.714308441694539601706986e-16),
	('beta_big', 'cond', 3, 20, 10000, 39, 6.682013679667626734215464e-15),
	('beta_big', 'll', 4, 38.999999, 39, 0, -18.86077716548875862363686),
	('beta_big', 'p_alive', 4, 38.999999, 39, 0, 0.9999999962025313403300572),
	('beta_big', 'cond', 4, 38.999999, 39, 1, 0.1516118888889632616303069),
	('beta_big', 'cond', 4, 38.999999, 39, 39, 5.559013611908869944220312),
	('beta_big', 'll', 5, 39, 39, 0, -20.74531837196524847446043),
	('beta_big', 'p_alive', 5, 39, 39, 0, 1.0),
	('beta_big', 'cond', 5, 39, 39, 1, 0.1768805377088221036901775),
	('beta_big', 'cond', 5, 39, 39, 39, 6.485515905188891660002787),
	('beta_big', 'uncond', 0, 0, 0, 1, 3.985160201927726339902589),
	('beta_big', 'uncond', 0, 0, 0, 39, 139.4888179046964522613712),
	('beta_big', 'uncond', 0, 0, 0, 1000, 2007.590690687635315717222),
	('s_one', 'll', 0, 0, 39, 0, -0.5895355010554442438531037),
	('s_one', 'p_alive', 0, 0, 39, 0, 0.122839368543521641152832),
	('s_one', 'cond', 0, 0, 39, 1, 0.001811817084231187379797014),
	('s_one', 'cond', 0, 0, 39, 39, 0.05299611869460828796317141),
	('s_one', 'll', 1, 30.43, 38.86, 0, -6.672431611476969781977743),
	('s_one', 'p_alive', 1, 30.43, 38.86, 0, 0.8081691488554632974332483),
	('s_one', 'cond', 1, 30.43, 38.86, 1, 0.02903447423062824542051759),
	('s_one', 'cond', 1, 30.43, 38.86, 39, 0.8487346824419992571945599),
	('s_one', 'll', 2, 1.5, 39, 0, -6.074706136291514504280127),
	('s_one', 'p_alive', 2, 1.5, 39, 0, 0.01595394755179865858191162),
	('s_one', 'cond', 2, 1.5, 39, 1, 0.0009076337974731037023338611),
	('s_one', 'cond', 2, 1.5, 39, 39, 0.02654852351308603744623749),
	('s_one', 'll', 7, 35, 39, 0, -21.85600476150151933432644),
	('s_one', 'p_alive', 7, 35, 39, 0, 0.8906822243485732727720131),
	('s_one', 'cond', 7, 35, 39, 1, 0.1445081181068132324331165),
	('s_one', 'cond', 7, 35, 39, 39, 4.226899859912095453926483),
	('s_one', 'll', 500, 30, 39, 0, 781.7507480072875645819367),
	('s_one', 'p_alive', 500, 30, 39, 0, 2.739514778531438624100277e-44),
	('s_one', 'cond', 500, 30, 39, 1, 2.890213825426826299197758e-43),
	('s_one', 'cond', 500, 30, 39, 39, 8.453950251281188270864313e-42),
	('s_one', 'll', 3, 20, 10000, 0, -12.32282751021603395106631),
	('s_one', 'p_alive', 3, 20, 10000, 0, 5.863880523174226066137193e-12),
	('s_one', 'cond', 3, 20, 10000, 1, 2.167793214449599311660406e-15),
	('s_one', 'cond', 3, 20, 10000, 39, 8.438391250883181448237232e-14),
	('s_one', 'll', 4, 38.999999, 39, 0, -15.61146571240597119197973),
	('s_one', 'p_alive', 4, 38.999999, 39, 0, 0.9999999803921558823529144),
	('s_one', 'cond', 4, 38.999999, 39, 1, 0.09903223592940939173958607),
	('s_one', 'cond', 4, 38.999999, 39, 39, 2.896718534991883804820685),
	('s_one', 'll', 5, 39, 39, 0, -17.91405082500786118587859),
	('s_one', 'p_alive', 5, 39, 39, 0, 1.0),
	('s_one', 'cond', 5, 39, 39, 1, 0.1201029267799878776338309),
	('s_one', 'cond', 5, 39, 39, 39, 3.513041696426522406469962),
	('s_one', 'uncond', 0, 0, 0, 1, 0.08404484305721324711496686),
	('s_one', 'uncond', 0, 0, 0, 39, 1.519264932083141734485824),
	('s_one', 'uncond', 0, 0, 0, 1000, 4.656516060062381070647124);
CREATE TEMP TABLE pnbd_ours AS
SELECT r.*, CASE what
		WHEN 'll' THEN log_likelihood(m, x, t_x, age)
		WHEN 'p_alive' THEN p_alive(m, x, t_x, age)
		WHEN 'cond' THEN expected_purchases(m, t, x, t_x, age)
		WHEN 'uncond' THEN expected_purchases(m, t) END AS value
FROM pnbd_ref r JOIN pnbd_models USING (name);
SELECT name, count(*) AS values,
	   count(*) FILTER (WHERE abs(value - ref) <= greatest(CASE WHEN x = 500 THEN 1e-10 ELSE 1e-12 END * abs(ref), CASE WHEN what = 'll' THEN 1e-13 ELSE 0 END)) AS agree
FROM pnbd_ours GROUP BY name ORDER BY name;
-- any that do not (none)
SELECT name, what, x, t_x, age, t, ref, value FROM pnbd_ours
WHERE NOT abs(value - ref) <= greatest(CASE WHEN x = 500 THEN 1e-10 ELSE 1e-12 END * abs(ref), CASE WHEN what = 'll' THEN 1e-13 ELSE 0 END);
-- a few of them, rounded, to read
SELECT name, what, x, t_x, age, t, round(value::numeric, 10) AS value
FROM pnbd_ours WHERE name = 'cdnow' AND x IN (0, 2) ORDER BY what, x, t;

--
-- Identities
--
-- continuity through alpha = beta: 1e-12 apart either way
SELECT what, abs(a - b) <= 1e-10 * abs(a) AS continuous
FROM (SELECT 'll' AS what, log_likelihood(paretonbd(1.2, 5, 0.8, 5), 3, 20, 39) AS a,
			 log_likelihood(paretonbd(1.2, 5 * (1 + 1e-12), 0.8, 5), 3, 20, 39) AS b
	  UNION ALL
	  SELECT 'll', log_likelihood(paretonbd(1.2, 5, 0.8, 5), 3, 20, 39),
			 log_likelihood(paretonbd(1.2, 5 * (1 - 1e-12), 0.8, 5), 3, 20, 39)
	  UNION ALL
	  SELECT 'p_alive', p_alive(paretonbd(1.2, 5, 0.8, 5), 0, 0, 39),
			 p_alive(paretonbd(1.2, 5, 0.8, 5 * (1 + 1e-12)), 0, 0, 39)) v;
-- purchases at the end of the period: certainly alive
SELECT p_alive(paretonbd(0.5, 3, 0.7, 4), 5, 39, 39) AS alive_at_t,
	   expected_purchases(paretonbd(0.5, 3, 0.7, 4), 0, 5, 39, 39) AS nothing_in_no_time;
-- a customer just born is a new customer: E[X(T, T+t) | 0, 0, 0] = E[X(t)]
SELECT abs(expected_purchases(m, 10, 0, 0, 0) - expected_purchases(m, 10)) <= 1e-15 AS new_customer,
	   p_alive(m, 0, 0, 0) AS alive_at_birth, log_likelihood(m, 0, 0, 0) AS ll_at_birth,
	   expected_purchases(m, 0) AS ex_0
FROM (SELECT paretonbd(0.5534, 10.5802, 0.6061, 11.6685) AS m) s;
-- s = 1 is the limit of s near 1 (r beta/alpha ln(1 + t/beta))
SELECT abs(expected_purchases(paretonbd(0.7, 8, 1, 12), 39) -
		   expected_purchases(paretonbd(0.7, 8, 1 + 1e-12, 12), 39)) <= 1e-11 AS s_one_from_above,
	   abs(expected_purchases(paretonbd(0.7, 8, 1, 12), 39) -
		   expected_purchases(paretonbd(0.7, 8, 1 - 1e-12, 12), 39)) <= 1e-11 AS s_one_from_below,
	   abs(expected_purchases(paretonbd(0.7, 8, 1, 12), 39) - 0.7 * 12 / 8 * ln(1 + 39 / 12.0)) <= 1e-14 AS closed_form;
-- the likelihood is a density of (x, t_x) given T: over a grid of x and
-- t_x, the probabilities of x = 0 and the densities of t_x for x >= 1 add
-- up to 1 (the density of the last purchase time is L times t_x^(x-1)/(x-1)!,
-- the orderings of the earlier purchases)
SELECT round((sum(p)::numeric), 6) AS total
FROM (SELECT exp(log_likelihood(paretonbd(1.5, 4, 0.8, 6), 0, 0, 3)) AS p
	  UNION ALL
	  SELECT 0.001 * exp(log_likelihood(paretonbd(1.5, 4, 0.8, 6), x, tx, 3) + (x - 1) * ln(tx) - lgamma_x)
	  FROM generate_series(1, 40) x,
		   LATERAL (SELECT ln(factorial(x - 1)::float8) AS lgamma_x) g,
		   LATERAL (SELECT 0.001 * (k - 0.5) AS tx FROM generate_series(1, 3000) k) t) s;

--
-- Recovering known parameters from 10,000 customers simulated in plain SQL:
-- lambda ~ Gamma(2, 20) and mu ~ Gamma(1, 20) as sums of exponential
-- variables; ages 20 to 39; a lifetime Exp(mu); purchases at the partial
-- sums of Exp(lambda) gaps (40 gaps: at these rates more are practically
-- never needed), counted while within both the lifetime and the age
--
CREATE FUNCTION pg_temp.u(i bigint, k int) RETURNS double precision
	LANGUAGE sql IMMUTABLE AS
$$ SELECT ((hashint8extended(i * 1000 + k, 29) % 1000000007 + 1000000007) % 1000000007 + 0.5) / 1000000007 $$;
CREATE TABLE pnbd_sim AS
WITH c AS (
	SELECT i, -(ln(pg_temp.u(i, 1)) + ln(pg_temp.u(i, 2))) / 20 AS lambda,
		   -ln(pg_temp.u(i, 3)) / 20 AS mu, 20 + i % 20 AS age
	FROM generate_series(1, 10000) i),
l AS (SELECT c.*, -ln(pg_temp.u(i, 4)) / mu AS life FROM c),
p AS (SELECT i, age, life, sum(-ln(pg_temp.u(i, 100 + j)) / lambda) OVER (PARTITION BY i ORDER BY j) AS at
	  FROM l, generate_series(1, 40) j)
SELECT i, count(*) FILTER (WHERE at <= least(life, age))::float8 AS x,
	   coalesce(max(at) FILTER (WHERE at <= least(life, age)), 0) AS t_x, age::float8 AS age
FROM p GROUP BY i, age;
SELECT count(*) AS customers, sum(x) AS purchases, count(*) FILTER (WHERE x = 0) AS without_repeats,
	   max(x) < 40 AS gaps_enough
FROM pnbd_sim;
CREATE TEMP TABLE pnbd_sim_fit AS SELECT paretonbd_fit(x, t_x, age) AS m FROM pnbd_sim;
SELECT parameter, abs(estimate - truth) < 3 * std_error AS within_3_se,
	   abs(estimate / truth - 1) < 0.25 AS within_25_percent
FROM pnbd_sim_fit, parameters(m)
JOIN (VALUES ('r', 2), ('alpha', 20), ('s', 1), ('beta', 20)) t(parameter, truth) USING (parameter);
-- the standard errors against the curvature of the likelihood computed in
-- SQL: for each log-parameter, H_ii = -(LL(+h) - 2 LL + LL(-h))/h^2 (h =
-- 1e-3); the variance of the log-parameter (std_error/estimate)^2, a
-- diagonal element of the inverse of the whole Hessian, lies between
-- 1/H_ii (no correlation with the others) and at most some hundreds of
-- times that (r and alpha, s and beta are correlated; a covariance not
-- scaled back to the total would be 10,000 times larger)
WITH e AS (SELECT p.parameter, p.estimate, p.std_error, ord
		   FROM pnbd_sim_fit, parameters(m) WITH ORDINALITY p(parameter, estimate, std_error, ord)),
ll AS (SELECT e.parameter, f, sum(log_likelihood(paretonbd(
				 (SELECT estimate FROM e WHERE ord = 1) * CASE WHEN e.ord = 1 THEN exp(f) ELSE 1 END,
				 (SELECT estimate FROM e WHERE ord = 2) * CASE WHEN e.ord = 2 THEN exp(f) ELSE 1 END,
				 (SELECT estimate FROM e WHERE ord = 3) * CASE WHEN e.ord = 3 THEN exp(f) ELSE 1 END,
				 (SELECT estimate FROM e WHERE ord = 4) * CASE WHEN e.ord = 4 THEN exp(f) ELSE 1 END),
				 x, t_x, age)) AS ll
	   FROM e, (VALUES (-1e-3), (0), (1e-3)) v(f), pnbd_sim GROUP BY e.parameter, f),
h AS (SELECT parameter, -(sum(ll) FILTER (WHERE f <> 0) - 2 * sum(ll) FILTER (WHERE f = 0)) / 1e-6 AS hii
	  FROM ll GROUP BY parameter)
SELECT parameter, round(((std_error / estimate) ^ 2 * hii)::numeric, 1) AS variance_times_curvature,
	   (std_error / estimate) ^ 2 * hii BETWEEN 1 AND 1000 AS plausible
FROM e JOIN h USING (parameter) ORDER BY ord;
-- the log-likelihood of the fit is the sum of the customers'
SELECT round((log_likelihood(m) - (SELECT sum(log_likelihood(m, x, t_x, age)) FROM pnbd_sim))::numeric, 6) AS ll_minus_sum,
	   customers(m)
FROM pnbd_sim_fit;
-- the fit is a maximum: moving any parameter by 1% either way lowers the likelihood
SELECT count(*) AS moves,
	   count(*) FILTER (WHERE (ll < log_likelihood(m)) IS NOT TRUE) AS not_lower
FROM pnbd_sim_fit, estimates(m) e,
LATERAL (SELECT k, f FROM generate_series(0, 3) k, (VALUES (0.99), (1.01)) v(f)) mv,
LATERAL (SELECT sum(log_likelihood(
			paretonbd(e.r * CASE mv.k WHEN 0 THEN mv.f ELSE 1 END, e.alpha * CASE mv.k WHEN 1 THEN mv.f ELSE 1 END,
					  e.s * CASE mv.k WHEN 2 THEN mv.f ELSE 1 END, e.beta * CASE mv.k WHEN 3 THEN mv.f ELSE 1 END),
			x, t_x, age)) AS ll FROM pnbd_sim) l;
-- penalized: a penalizer of 0 (or NULL) is the unpenalized fit bit for bit;
-- a positive one pulls the parameters towards 0 and lowers the likelihood
SELECT (SELECT paretonbd_fit(x, t_x, age, 0)::text FROM pnbd_sim) = (SELECT m::text FROM pnbd_sim_fit) AS zero_is_plain,
	   (SELECT paretonbd_fit(x, t_x, age, NULL)::text FROM pnbd_sim) = (SELECT m::text FROM pnbd_sim_fit) AS null_is_zero;
SELECT e.r < f.r AS r_smaller, log_likelihood(p) < log_likelihood(m) AS ll_lower
FROM pnbd_sim_fit, (SELECT paretonbd_fit(x, t_x, age, 0.01) AS p FROM pnbd_sim) q,
	 estimates(p) e, estimates(m) f;
-- the penalized fit minimises lifetimes' objective for ParetoNBDFitter,
-- written here in SQL: minus the mean log-likelihood plus 0.01 (r^2 +
-- (alpha/T_max)^2 + s^2 + (beta/T_max)^2), T_max = 39 (the largest age):
-- moving any parameter by 0.1% either way raises it
CREATE TEMP TABLE pnbd_pen AS SELECT paretonbd_fit(x, t_x, age, 0.01) AS p FROM pnbd_sim;
WITH e AS (SELECT e.* FROM pnbd_pen, estimates(p) e),
q AS (SELECT k, f, e.r * CASE WHEN k = 1 THEN f ELSE 1 END AS r,
			 e.alpha * CASE WHEN k = 2 THEN f ELSE 1 END AS alpha,
			 e.s * CASE WHEN k = 3 THEN f ELSE 1 END AS s,
			 e.beta * CASE WHEN k = 4 THEN f ELSE 1 END AS beta
	  FROM e, generate_series(0, 4) k, (VALUES (0.999), (1.001)) v(f)),
obj AS (SELECT k, f, -avg(log_likelihood(paretonbd(q.r, q.alpha, q.s, q.beta), x, t_x, age))
				  + 0.01 * (q.r ^ 2 + (q.alpha / 39) ^ 2 + q.s ^ 2 + (q.beta / 39) ^ 2) AS o
		FROM q, pnbd_sim GROUP BY k, f, q.r, q.alpha, q.s, q.beta)
SELECT count(*) AS moves, count(*) FILTER (WHERE o > (SELECT o FROM obj WHERE k = 0 LIMIT 1)) AS higher
FROM obj WHERE k > 0;

--
-- NULLs, empty input, one row, input order, parallel plans
--
SELECT paretonbd_fit(x, t_x, age) IS NULL AS empty_is_null FROM pnbd_sim WHERE false;
SELECT (SELECT paretonbd_fit(x, t_x, age)::text FROM pnbd_sim) =
	   (SELECT paretonbd_fit(x, t_x, age)::text
		FROM (SELECT x, t_x, age FROM pnbd_sim UNION ALL SELECT NULL, 1, 2 UNION ALL SELECT 1, NULL, 2
			  UNION ALL SELECT 1, 1, NULL ORDER BY 1 DESC, 3, 2) s) AS nulls_and_order_ignored;
-- one customer does not determine a model
SELECT paretonbd_fit(3, 20, 39);
-- recencies near 0 drive beta to 0: the death integral's series would need
-- of the order of alpha/beta terms at every step (2 to 5 s before, at the
-- fit's 65,536-term limit); the alternating series answers in milliseconds
-- (the timeout fails the test if not), and the failure names the parameter
SET statement_timeout = '1s';
SELECT paretonbd_fit(x, t_x, age)
FROM (VALUES (1, 1, 1), (1, 5e-324, 1), (1, 5e-324, 1)) v(x, t_x, age);
RESET statement_timeout;
-- nobody came back
SELECT paretonbd_fit(0, 0, 39) FROM generate_series(1, 10);
SELECT expected_purchases(paretonbd(1, 1, 1, 1), NULL) IS NULL AS strict;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT paretonbd_fit(x, t_x, age) FROM pnbd_sim;
SELECT paretonbd_fit(x, t_x, age)::text = (SELECT m::text FROM pnbd_sim_fit) AS parallel_equals_serial FROM pnbd_sim;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

--
-- Text, binary and JSON forms of a fit; equality
--
SELECT m::text::paretonbd::text = m::text AS text_round_trip,
	   paretonbd_send(m) = paretonbd_send(m::text::paretonbd) AS lossless,
	   m = m::text::paretonbd AS equal, m <> paretonbd(1, 1, 1, 1) AS differs
FROM pnbd_sim_fit;
SELECT key, jsonb_typeof(value) FROM pnbd_sim_fit, jsonb_each(m::jsonb) ORDER BY key;
SELECT (m::jsonb -> 'std_errors' ->> 'beta')::float8 =
	   (SELECT std_error FROM parameters(m) WHERE parameter = 'beta') AS json_std_error
FROM pnbd_sim_fit;
CREATE TEMP TABLE models AS SELECT m FROM pnbd_sim_fit UNION ALL SELECT paretonbd(1, 2, 3, 4);
\copy models TO 'results/paretonbd_models.bin' WITH (FORMAT binary)
CREATE TEMP TABLE models_copy (LIKE models);
\copy models_copy FROM 'results/paretonbd_models.bin' WITH (FORMAT binary)
SELECT (SELECT string_agg(m::text, ';' ORDER BY m) FROM models) =
	   (SELECT string_agg(m::text, ';' ORDER BY m) FROM models_copy) AS binary_round_trip,
	   (SELECT count(DISTINCT m) FROM (SELECT m FROM models UNION ALL SELECT m FROM models_copy) u) AS distinct_models;
SELECT count(*) AS models,
	   count(*) FILTER (WHERE paretonbd_send(m) IS DISTINCT FROM paretonbd_send(m::text::paretonbd)) AS mismatches
FROM (VALUES ('(v=1,r=1.7976931348623157e308,alpha=5e-324,s=2.2250738585072014e-308,beta=0.1,customers=9223372036854775807,ll=-1.7976931348623157e308,iterations=2147483647,cov=[5e-324,-0,1.7976931348623157e308,-1e-300,4.9e-324,0,1,-2.2250738585072009e-308,3,0.30000000000000004])'::paretonbd),
			 (paretonbd(0.1 + 0.2, 1e-310, 123456789.12345678, 1))) v(m);
-- a standard error too large for a double is NULL, never Infinity
SELECT parameter, std_error
FROM parameters('(v=1,r=1e300,alpha=1,s=1,beta=1,customers=10,ll=-5,iterations=3,cov=[1e300,0,1,0,0,1,0,0,0,1])'::paretonbd);

--
-- Errors
--
SELECT paretonbd(0, 1, 1, 1);
SELECT paretonbd(1, 1, 'NaN', 1);
SELECT paretonbd(1, 1, 1, 'Infinity');
SELECT '(v=1,r=1,alpha=1,s=1)'::paretonbd;
SELECT '(v=1,r=1,alpha=1,s=1,beta=-1)'::paretonbd;
SELECT '(v=2,r=1,alpha=1,s=1,beta=1)'::paretonbd;
SELECT '(v=1,r=1,alpha=1,s=1,beta=1,customers=0,ll=-1,iterations=1,cov=[1,0,1,0,0,1,0,0,0,1])'::paretonbd;
SELECT '(v=1,r=1,alpha=1,s=1,beta=1,customers=5,ll=-1,iterations=1,cov=[-1,0,1,0,0,1,0,0,0,1])'::paretonbd;
-- customer data: the rules and messages of bgnbd_fit
SELECT p_alive(paretonbd(1, 1, 1, 1), 2, 7, 6);
SELECT p_alive(paretonbd(1, 1, 1, 1), 0, 3, 6);
SELECT p_alive(paretonbd(1, 1, 1, 1), 2, 0, 6);
SELECT p_alive(paretonbd(1, 1, 1, 1), 1.5, 3, 6);
SELECT log_likelihood(paretonbd(1, 1, 1, 1), -1, 3, 6);
SELECT log_likelihood(paretonbd(1, 1, 1, 1), 2e15, 3, 6);
SELECT log_likelihood(paretonbd(1, 1, 1, 1), 1, 'NaN', 6);
SELECT expected_purchases(paretonbd(1, 1, 1, 1), 5, 1, 3, 'Infinity');
-- horizons
SELECT expected_purchases(paretonbd(1, 1, 1, 1), -1);
SELECT expected_purchases(paretonbd(1, 1, 1, 1), 'Infinity', 1, 3, 6);
-- fits
SELECT paretonbd_fit(x, t_x, age) FROM (VALUES (1, 2, 1)) v(x, t_x, age);
SELECT paretonbd_fit(x, t_x, age, -0.1) FROM pnbd_sim;
SELECT paretonbd_fit(x, t_x, age, CASE WHEN x = 0 THEN 0.1 ELSE 0.2 END) FROM pnbd_sim;
SELECT paretonbd_fit(x, t_x, age, 'Infinity') FROM pnbd_sim;
-- the support functions refuse another aggregate's state
CREATE AGGREGATE pg_temp.mixed(double precision, double precision, double precision) (
	SFUNC = bgnbd_fit_trans, STYPE = internal, FINALFUNC = paretonbd_fit_final);
SELECT pg_temp.mixed(1, 2, 3);

--
-- Robustness
--
SET statement_timeout = '5s';
-- rate parameters far apart, against mpmath (test/reference/paretonbd_mpmath.py,
-- "far apart"): 10^5 to 10^12 apart either way, and 10^8 with 200
-- purchases (z = 1 - 1e-12 at t_x = 0 at worst), where the stretch next to
-- t_x is summed in powers of (m + tau)/(M - m) and the rest by the series
-- at z <= 2/3; within 1e-11 relatively, ln L within 1e-11 absolutely (at
-- x = 0 it is a sum of terms near 10 that ends near 0)
SELECT what, m, x, t_x, round(value::numeric, 12) AS value,
	   (abs(value - ref) <= greatest(1e-11 * abs(ref), CASE WHEN what = 'll' THEN 1e-11 ELSE 0 END)) IS TRUE AS agrees
FROM (VALUES
	('ll', paretonbd(1, 1e5, 1, 1), 0, 0, 39, -0.00003688241463972816179982444),
	('p_alive', paretonbd(1, 1e5, 1, 1), 0, 0, 39, 0.02499117551891773071008114),
	('ll', paretonbd(1, 1e5, 1, 1), 3, 10, 39, -35.14587999055248906105144),
	('p_alive', paretonbd(1, 1e5, 1, 1), 3, 10, 39, 0.2748372746165532616086833),
	('ll', paretonbd(2, 0.001, 0.5, 3000), 40, 38, 39, -53.65812541558503555600565),
	('p_alive', paretonbd(2, 0.001, 0.5, 3000), 40, 38, 39, 0.9997025239883540551017211),
	('ll', paretonbd(1, 1e9, 1, 0.001), 0, 0, 39, -1.057134248788572063392127e-11),
	('p_alive', paretonbd(1, 1e9, 1, 0.001), 0, 0, 39, 0.00002564036719598402253982205),
	('ll', paretonbd(1, 1e9, 1, 0.001), 3, 10, 39, -69.58847850302922373345697),
	('p_alive', paretonbd(1, 1e9, 1, 0.001), 3, 10, 39, 0.2564293065396729087753005),
	('ll', paretonbd(1, 1e9, 1, 0.001), 2, 38.999999, 39, -51.32472715050120522341391),
	('p_alive', paretonbd(1, 1e9, 1, 0.001), 2, 38.999999, 39, 0.9999999743596318043126715),
	('ll', paretonbd(0.5, 0.001, 2, 1e8), 0, 0, 39, -5.285670510764268034483705),
	('p_alive', paretonbd(0.5, 0.001, 2, 1e8), 0, 0, 39, 0.9999984478612751897967193),
	('ll', paretonbd(0.5, 0.001, 2, 1e8), 5, 20, 39, -20.21815614622341846971306),
	('p_alive', paretonbd(0.5, 0.001, 2, 1e8), 5, 20, 39, 0.999996673885958921073411),
	('ll', paretonbd(0.5, 1e6, 0.7, 0.01), 200, 30, 39, -1908.704620319114839297157),
	('p_alive', paretonbd(0.5, 1e6, 0.7, 0.01), 200, 30, 39, 0.8321323293898658780949971),
	('ll', paretonbd(2, 0.001, 0.5, 3000), 0, 0, 39, -15.60338880838245108121142),
	('p_alive', paretonbd(2, 0.001, 0.5, 3000), 0, 0, 39, 0.003903996777495558636527629)
) v(what, m, x, t_x, age, ref),
LATERAL (SELECT CASE what WHEN 'll' THEN log_likelihood(m, x, t_x, age) ELSE p_alive(m, x, t_x, age) END AS value) o;
-- 10^600 apart: (m + t_x)/(M - m) underflows a double, its logarithm does
-- not; the death integral is practically 1/alpha int_0^39 (beta+tau)^-2 =
-- 1e-300 (1e300 - 1/39) = 1, the first term 1e-300/39, so P(alive) =
-- 1e-300/39 within 1e-9 relatively
SELECT abs(p_alive(paretonbd(1, 1e300, 1, 1e-300), 0, 0, 39) / (1e-300 / 39) - 1) < 1e-9 AS p_alive_600_digits_apart;
-- a billion purchases with beta > alpha: the terms of the series rise for
-- some 3e7 terms before they fall; 54000 after 16 million, in under a second
SELECT p_alive(paretonbd(1, 1, 1, 2), 1e9, 30, 39);
-- huge and tiny parameters, long ages, many purchases: finite.  ln L of
-- 10^15 purchases up to T = 1e300 (r, s tiny) is lnG(1e15) - lnG(1e-300)
-- - 1e15 ln(2e300) = -6.579e17; a mean lifetime beta/s of 1e-600 makes
-- P(alive) at T = 1e-300 zero in doubles; times whose ratio to the
-- parameters overflows a double
SELECT round(log_likelihood(paretonbd(1e-300, 1e300, 1e-300, 1e300), 1e15, 1e300, 1e300)::numeric / 1e14) AS ll_extreme_1e14,
	   p_alive(paretonbd(1e300, 1e-300, 1e300, 1e-300), 0, 0, 1e-300) AS p_alive_extreme,
	   p_alive(paretonbd(1, 1e-300, 1, 1e-300), 1, 1, 1e300) BETWEEN 0 AND 1 AS p_alive_huge_ratio,
	   expected_purchases(paretonbd(1, 1, 2, 1e-300), 1e300) AS ex_huge_ratio;
-- r/alpha and s/beta overflow a double, their ratio does not: E[X(t)] =
-- r beta/(alpha (s-1)) [1 - (beta/(beta+t))^(s-1)] = 1e300/(1e300 - 1) = 1
SELECT expected_purchases(paretonbd(1e300, 1e-300, 1e300, 1e-300), 10) AS ex_ratio_of_huge,
	   expected_purchases(paretonbd(1e300, 1e-300, 1e300, 1e-300), 10, 2, 4, 6) BETWEEN 0 AND 1e300 AS ey_finite;
RESET statement_timeout;
-- expected purchases that overflow a double: 22003 (s < 1: the expectation
-- grows like t^(1-s); r/alpha = 1e300)
SELECT expected_purchases(paretonbd(1, 1e-300, 0.5, 1), 1e300);
SELECT expected_purchases(paretonbd(1, 1e-300, 0.5, 1), 1e300, 2, 3, 4);

-- paretonbd_fit_diagnostics (1.2, issue 21): the same fit as paretonbd_fit
-- on the simulated customers, converged with a gradient near 0, the
-- covariance's diagonal giving the standard errors; penalized too
SELECT d.converged, d.status, d.parameters = ARRAY[e.r, e.alpha, e.s, e.beta] AS same_parameters,
	   abs(d.log_likelihood / log_likelihood(f) - 1) < 1e-12 AS same_log_likelihood,
	   d.gradient_norm < 1e-6 AS at_a_maximum,
	   abs(sqrt(d.covariance[1][1]) / e.r_std_error - 1) < 1e-12 AS covariance_gives_std_errors
FROM (SELECT (paretonbd_fit_diagnostics(x, t_x, age)).* FROM pnbd_sim) d,
	 (SELECT paretonbd_fit(x, t_x, age) AS f FROM pnbd_sim) m, estimates(f) e;
SELECT d.parameters = ARRAY[e.r, e.alpha, e.s, e.beta] AS same_parameters, d.converged
FROM (SELECT (paretonbd_fit_diagnostics(x, t_x, age, 0.01)).* FROM pnbd_sim) d,
	 (SELECT paretonbd_fit(x, t_x, age, 0.01) AS f FROM pnbd_sim) m, estimates(f) e;
DROP TABLE pnbd_sim;
