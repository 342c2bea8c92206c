-- 015: reports (issue #18).
--
-- The monthly report mail goes once per dealer and month, whatever the
-- number of daemons: the daemon that inserts this row queues the mail in
-- the same transaction; another one finds the row and leaves it.
CREATE TABLE report_mails (
    dealer_id  text NOT NULL,
    month      date NOT NULL,  -- the first day of the month reported on
    outbox_id  bigint,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (dealer_id, month)
);

-- What the report reads of a year's leads (report_bench: 100,000 leads),
-- each found index-only by the lead: its first reaction, its pool
-- assignment and claim, the chase's mails that went out.
CREATE INDEX lead_actions_reaction ON lead_actions (lead_id, acted_at)
    WHERE action IN ('reaction', 'reply', 'close');
CREATE INDEX assignments_pool ON assignments (lead_id, rule, assigned_at)
    WHERE rule IN ('pool', 'claim');
CREATE INDEX scheduled_events_chased ON scheduled_events (lead_id, kind)
    WHERE state = 'done' AND kind IN ('reminder', 'level1', 'level2', 'resubmission',
                                      'level2_resubmission');
