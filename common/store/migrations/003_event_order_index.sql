-- 003: due events are taken in (send_at, id) order; an index in exactly
-- that order lets a firing batch read its first rows instead of sorting
-- every due event (100,000 due at once after a weekend).
DROP INDEX scheduled_events_pending;
CREATE INDEX scheduled_events_pending ON scheduled_events (send_at, id) WHERE state = 'pending';
