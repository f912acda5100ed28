-- The inventory history's validity (type 2 by snapshot): each snapshot's rows of
-- core.dim_tower are valid until the next snapshot's date (NULL for the latest), so a
-- snapshot that arrives late takes its place between its neighbours. Only rows whose
-- valid_to changes are written.
UPDATE core.dim_tower AS t SET valid_to = s.next_date
FROM (SELECT snapshot_date,
             lead(snapshot_date) OVER (ORDER BY snapshot_date) AS next_date
      FROM (SELECT DISTINCT snapshot_date FROM core.dim_tower)) AS s
WHERE t.snapshot_date = s.snapshot_date
  AND t.valid_to IS DISTINCT FROM s.next_date
