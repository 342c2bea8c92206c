-- 007: writes that cannot double even if a bug elsewhere races (issue #13).
-- Every assignment of a lead is a numbered generation: the lead row counts
-- them, and the audit trail holds at most one row per lead and generation.
-- A chain of scheduled events holds at most one event of each kind (but
-- customer_message, which comes once per customer mail). A decision made
-- on a stale rotation cursor is refused by leadrouter_refuse(), so the
-- batch rolls back whole and is decided again.
ALTER TABLE leads ADD COLUMN generation integer NOT NULL DEFAULT 0;
ALTER TABLE assignments ADD COLUMN generation integer;
UPDATE assignments a SET generation = n.g
  FROM (SELECT id, row_number() OVER (PARTITION BY lead_id ORDER BY id) AS g FROM assignments) n
 WHERE n.id = a.id;
UPDATE leads l SET generation = c.n
  FROM (SELECT lead_id, count(*) AS n FROM assignments GROUP BY lead_id) c
 WHERE c.lead_id = l.id;
ALTER TABLE assignments ALTER COLUMN generation SET NOT NULL;
CREATE UNIQUE INDEX assignments_once ON assignments (lead_id, generation);

-- Duplicates that interleaved daemons left before this migration keep
-- their rows (they are history), moved out of the chain numbering; a
-- pending one is cancelled, so it cannot fire a second time.
WITH ranked AS (
    SELECT id, row_number() OVER (PARTITION BY lead_id, chain, kind ORDER BY id) AS n
      FROM scheduled_events WHERE kind <> 'customer_message')
UPDATE scheduled_events e
   SET chain = -e.id,
       state = CASE WHEN e.state = 'pending' THEN 'cancelled' ELSE e.state END
  FROM ranked r WHERE r.id = e.id AND r.n > 1;
CREATE UNIQUE INDEX scheduled_events_once ON scheduled_events (lead_id, chain, kind)
    WHERE kind <> 'customer_message';

CREATE FUNCTION leadrouter_refuse(reason text) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'leadrouter refused a write: %', reason USING ERRCODE = 'serialization_failure';
END
$$;
