-- 005: a sender leases the mails it is sending. A crash leaves the lease
-- to expire and the mail is sent again later: never lost, and sent twice
-- only when the crash fell between the server's 250 and the commit that
-- records it (then the Message-ID shows the duplicate).
ALTER TABLE outbox ADD COLUMN lease_until timestamptz;
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (not_before, id) WHERE state = 'queued';
