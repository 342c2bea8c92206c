-- 008: an outbox mail ends (issue #13). A mail still refused with 4xx
-- system.smtp.max_queue_lifetime after it was queued is given up like a
-- 5xx: failed with the server's last answer, and a notice goes to the
-- dealer's admin user. `leadctl outbox retry` queues it anew, from now.
ALTER TABLE outbox ADD COLUMN queued_since timestamptz;
UPDATE outbox SET queued_since = created_at;
ALTER TABLE outbox ALTER COLUMN queued_since SET NOT NULL;
ALTER TABLE outbox ALTER COLUMN queued_since SET DEFAULT now();
CREATE INDEX outbox_failed ON outbox (dealer_id, id) WHERE state = 'failed';

-- Who holds a lease ("leadd@host:pid"): a leadd that starts again after a
-- crash takes back at once the leases of a dead leadd on its own host,
-- instead of leaving its mails for the rest of the ten minutes.
ALTER TABLE outbox ADD COLUMN leased_by text;
