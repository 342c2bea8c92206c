-- 014: privacy (issue #17). Personal data is anonymised, not deleted: the
-- rows stay with their times, kinds, sources and assignees, so counts and
-- reaction times still add up; what names or reaches a person goes.
--   anonymised_at: when a row's personal data went (retention or erasure)
--   deal_at:       the dealer marked the lead a concluded deal (HGB §257,
--                  AO §147 keep its letters): erasure restricts it instead
--   restricted_at: erasure was asked for a deal lead (BDSG §35(3))
ALTER TABLE leads ADD COLUMN anonymised_at timestamptz,
                  ADD COLUMN deal_at timestamptz,
                  ADD COLUMN restricted_at timestamptz;
ALTER TABLE contacts ADD COLUMN anonymised_at timestamptz;
-- A contact is reachable, or it was anonymised.
ALTER TABLE contacts DROP CONSTRAINT contacts_check;
ALTER TABLE contacts ADD CONSTRAINT contacts_reachable
    CHECK (email IS NOT NULL OR phone IS NOT NULL OR anonymised_at IS NOT NULL);
ALTER TABLE messages ADD COLUMN anonymised_at timestamptz;
ALTER TABLE outbox ADD COLUMN anonymised_at timestamptz;

-- What leadd's daily pass looks for, without reading what it already did.
CREATE INDEX messages_raw_age ON messages (received_at) WHERE raw IS NOT NULL;
CREATE INDEX messages_unassignable_age ON messages (received_at)
    WHERE kind = 'unassignable' AND anonymised_at IS NULL;
CREATE INDEX leads_personal_age ON leads (received_at) WHERE anonymised_at IS NULL;
CREATE INDEX outbox_content_age ON outbox (created_at)
    WHERE content IS NOT NULL AND state <> 'queued';

-- That an erasure or an export happened and how much it touched (leadd
-- logs its retention passes to the journal): never whom (the subject is
-- masked, "j***@e***.org").
CREATE TABLE privacy_log (
    id        bigserial PRIMARY KEY,
    dealer_id text,
    action    text NOT NULL CHECK (action IN ('erase', 'export')),
    subject   text,
    counts    jsonb NOT NULL DEFAULT '{}',
    actor     text NOT NULL,
    at        timestamptz NOT NULL
);
