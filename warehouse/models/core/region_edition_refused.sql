-- Not a table of its own: the (edition, code) pairs whose row the edition's load
-- quarantined (an empty name, a wrong shape...) and that the edition does not also
-- list in a row that passed (a repeated code keeps its first, valid row).
-- core.dim_region and core.region_code_succession treat them as unknown, so a refused
-- row never makes a region look ended.
SELECT DISTINCT e.edition_date, q.record ->> 'code' AS code
FROM audit.quarantine AS q
JOIN (SELECT DISTINCT edition_date, load_id FROM core.region_edition) AS e
  ON e.load_id = q.load_id
WHERE q.record ->> 'code' IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM core.region_edition AS r
      WHERE r.edition_date = e.edition_date AND r.code = (q.record ->> 'code')
  )
