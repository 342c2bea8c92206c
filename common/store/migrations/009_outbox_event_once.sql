-- 009: outgoing Message-IDs carry a random part (issue #14), so a mail
-- that names one in In-Reply-To or References proves it saw that mail.
-- An event's Message-ID therefore no longer says which event it is for;
-- the outbox row says it, and holds at most one mail per event, which is
-- what keeps a replayed event from queueing a second mail.
ALTER TABLE outbox ADD COLUMN event_id bigint;
UPDATE outbox SET event_id = (payload->>'event_id')::bigint WHERE payload ? 'event_id';
CREATE UNIQUE INDEX outbox_event_once ON outbox (event_id) WHERE event_id IS NOT NULL;
