-- A load is abandoned when a later attempt at the same partition starts before it
-- finished. That used to be an event the later attempt appended to the earlier load's
-- history. On DuckLake the earlier attempt may still be alive on another worker and append
-- its own next event at the same moment, under the same event_no, so one load's history
-- had two writers (and the chain saw an edit). Now only a load's own writer appends to it,
-- and audit.load derives "abandoned" from the attempts' order: a load still running while
-- a later attempt at its partition has started. Its own later events (a publish that got
-- there first) still win, as before.
CREATE OR REPLACE VIEW audit.load AS
WITH latest AS (
    SELECT *, min(event_no) OVER (PARTITION BY load_id) AS first_event
    FROM audit.load_event
    QUALIFY row_number() OVER (PARTITION BY load_id ORDER BY event_no DESC) = 1
), attempts AS (
    -- An attempt's place: the first event it wrote (a later attempt saw the earlier one's
    -- start, so it numbered its own higher), then start time, then id for a total order.
    SELECT *, status = 'running' AND lead(load_id) OVER attempt IS NOT NULL AS overtaken,
           lead(load_id) OVER attempt AS next_load, lead(started_at) OVER attempt AS next_start
    FROM latest
    WINDOW attempt AS (PARTITION BY dataset, partition_key
                       ORDER BY first_event, started_at, load_id)
)
SELECT load_id, source, dataset, partition_key, sha256, file_name,
       CASE WHEN overtaken THEN 'abandoned' ELSE status END AS status,
       rows_read, rows_published, rows_quarantined,
       CASE WHEN overtaken THEN 'superseded by retry ' || next_load ELSE message END AS message,
       started_at,
       CASE WHEN overtaken THEN next_start ELSE finished_at END AS finished_at
FROM attempts;
COMMENT ON VIEW audit.load IS 'One row per attempt to load one file into one dataset partition, in its latest state (the newest of its audit.load_event rows); rows_read = rows_published + rows_quarantined once published. An attempt still running when a later attempt at its partition started shows as abandoned, finished when that one started.';
