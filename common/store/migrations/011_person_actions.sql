-- 011: people act on leads from their mail (issue #15).
--
-- Every notice goes to one user: a notice that reaches several (the pool's
-- members, a substitute beside the addressee) is one mail per user, so each
-- carries that user's own reply address and, later, that user's links.
-- The outbox row names its user; an event queues at most one mail per user.
ALTER TABLE outbox ADD COLUMN user_id text;
UPDATE outbox SET user_id = payload->'users'->>0
 WHERE jsonb_typeof(payload->'users') = 'array' AND jsonb_array_length(payload->'users') = 1;
DROP INDEX outbox_event_once;
CREATE UNIQUE INDEX outbox_event_once ON outbox (event_id, user_id) NULLS NOT DISTINCT
    WHERE event_id IS NOT NULL;

-- A reply address works for commands until system.action_lifetime after
-- the last notice that named it.
ALTER TABLE reply_keys ADD COLUMN renewed_at timestamptz;
UPDATE reply_keys SET renewed_at = created_at;
ALTER TABLE reply_keys ALTER COLUMN renewed_at SET NOT NULL;
ALTER TABLE reply_keys ALTER COLUMN renewed_at SET DEFAULT now();

-- A command mail ("übernehmen", "erledigt", ...) is stored as such.
ALTER TABLE messages DROP CONSTRAINT messages_kind_check;
ALTER TABLE messages ADD CONSTRAINT messages_kind_check
    CHECK (kind IN ('lead', 'tradein', 'reply', 'unassignable', 'reaction', 'command'));

-- The audit trail of what people did to a lead, and through which
-- channel: leadctl (cli), a reply command (mail), a link (web).
-- Assignments keep their own trail; a claim or reassignment is in both.
CREATE TABLE lead_actions (
    id        bigserial PRIMARY KEY,
    lead_id   bigint NOT NULL REFERENCES leads,
    dealer_id text NOT NULL,
    action    text NOT NULL
              CHECK (action IN ('claim', 'reaction', 'resubmission', 'reassign', 'close', 'reply')),
    user_id   text,
    channel   text NOT NULL CHECK (channel IN ('cli', 'mail', 'web')),
    detail    jsonb NOT NULL DEFAULT '{}',
    acted_at  timestamptz NOT NULL
);
CREATE INDEX lead_actions_lead ON lead_actions (lead_id, id);
