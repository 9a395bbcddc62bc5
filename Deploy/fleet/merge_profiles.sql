-- Spark SQL (>= 4.1.2): driftd's profile lines of every replica merged into hourly windows (docs/fleet.md).
-- ${PROFILES} is the profile files' location: a glob, or a directory tree such as the one
-- Deploy/fleet/vector-profiles.yaml writes (model=<model>/hour=<hour>/<instance>-*.jsonl).
-- Run with the session time zone in UTC (spark.sql.session.timeZone=UTC): windows are aligned in UTC.
-- scripts/spark_merge_check runs this file and compares its answers with one driftd replay of all the logs.

CREATE OR REPLACE TEMPORARY VIEW profiles
USING json
OPTIONS (path '${PROFILES}', recursiveFileLookup 'true');

-- Counts add, and the KLL and HLL sketches merge in DataSketches' formats (NULL kll on categorical features is
-- ignored by the aggregate).
CREATE OR REPLACE TEMPORARY VIEW hourly AS
SELECT model, model_version, feature, type,
       date_trunc('HOUR', to_timestamp(window_start)) AS hour,
       sum(n) AS n, sum(missing) AS missing, sum(invalid) AS invalid,
       sum(non_finite) AS non_finite, min(min) AS min, max(max) AS max,
       kll_merge_agg_double(unbase64(kll.b64)) AS kll,
       hll_union_agg(unbase64(hll.b64)) AS hll
FROM profiles
WHERE schema = 'driftd.profile.v1'
GROUP BY model, model_version, feature, type, date_trunc('HOUR', to_timestamp(window_start));

-- Counts on the reference's bins, summed position by position (lines of one reference fingerprint only).
CREATE OR REPLACE TEMPORARY VIEW hourly_hist AS
SELECT model, model_version, feature, hour,
       transform(array_sort(collect_list(struct(pos, c))), x -> x.c) AS hist
FROM (
  SELECT model, model_version, feature, ref,
         date_trunc('HOUR', to_timestamp(window_start)) AS hour, pos, sum(c) AS c
  FROM profiles LATERAL VIEW posexplode(hist) h AS pos, c
  WHERE schema = 'driftd.profile.v1'
  GROUP BY model, model_version, feature, ref, date_trunc('HOUR', to_timestamp(window_start)), pos
)
GROUP BY model, model_version, feature, hour;

SELECT h.model, h.model_version, h.feature, h.type, h.hour, h.n, h.missing, h.invalid, h.min, h.max,
       CASE WHEN h.kll IS NOT NULL AND kll_sketch_get_n_double(h.kll) > 0
            THEN kll_sketch_get_n_double(h.kll) END AS kll_n,
       CASE WHEN h.kll IS NOT NULL AND kll_sketch_get_n_double(h.kll) > 0
            THEN array(kll_sketch_get_quantile_double(h.kll, 0.01), kll_sketch_get_quantile_double(h.kll, 0.1),
                       kll_sketch_get_quantile_double(h.kll, 0.25), kll_sketch_get_quantile_double(h.kll, 0.5),
                       kll_sketch_get_quantile_double(h.kll, 0.75), kll_sketch_get_quantile_double(h.kll, 0.9),
                       kll_sketch_get_quantile_double(h.kll, 0.99)) END AS quantiles,
       hll_sketch_estimate(h.hll) AS distinct_estimate,
       b.hist
FROM hourly h
LEFT JOIN hourly_hist b
  ON h.model = b.model AND h.feature = b.feature AND h.hour = b.hour
     AND h.model_version <=> b.model_version
ORDER BY h.model, h.feature, h.hour;
