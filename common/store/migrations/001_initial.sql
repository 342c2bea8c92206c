-- 001: the first schema. One row per stored message, the leads made from
-- them, their contacts and vehicles, the assignment audit trail, rotation
-- cursors, absences, scheduled reminders/escalations and the outbox.
-- Dealers, locations and users live in the YAML configuration; rows refer
-- to them by their configured ids.

CREATE TABLE contacts (
    id          bigserial PRIMARY KEY,
    dealer_id   text NOT NULL,
    email       text,            -- lower-cased
    phone       text,            -- E.164
    salutation  text,
    first_name  text,
    last_name   text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
CREATE INDEX contacts_email ON contacts (dealer_id, email) WHERE email IS NOT NULL;
CREATE INDEX contacts_phone ON contacts (dealer_id, phone) WHERE phone IS NOT NULL;

CREATE TABLE vehicles (
    id               bigserial PRIMARY KEY,
    dealer_id        text NOT NULL,
    internal_number  text NOT NULL,
    location_id      text,
    condition        text CHECK (condition IN ('new', 'used')),
    make             text,
    model            text,
    vin              text,
    UNIQUE (dealer_id, internal_number)
);
CREATE INDEX vehicles_vin ON vehicles (dealer_id, vin) WHERE vin IS NOT NULL;

CREATE TABLE vehicle_listings (
    vehicle_id   bigint NOT NULL REFERENCES vehicles ON DELETE CASCADE,
    marketplace  text NOT NULL,
    listing_id   text NOT NULL,
    PRIMARY KEY (vehicle_id, marketplace)
);
CREATE INDEX vehicle_listings_listing ON vehicle_listings (listing_id);

CREATE TABLE vehicle_exposes (
    vehicle_id  bigint NOT NULL REFERENCES vehicles ON DELETE CASCADE,
    type        text NOT NULL,
    path        text NOT NULL,
    PRIMARY KEY (vehicle_id, type)
);

CREATE TABLE leads (
    id             bigserial PRIMARY KEY,
    dealer_id      text NOT NULL,
    location_id    text,
    kind           text NOT NULL CHECK (kind IN ('lead', 'tradein')),
    source         text NOT NULL,
    provider       text,
    contact_id     bigint REFERENCES contacts,
    vehicle_id     bigint REFERENCES vehicles ON DELETE SET NULL,
    vehicle        jsonb,
    trade_in       jsonb,
    message        text,
    token          text NOT NULL UNIQUE,   -- tracking address: mailbox+<token>
    state          text NOT NULL DEFAULT 'new'
                   CHECK (state IN ('new', 'assigned', 'responded', 'closed')),
    assignee       text,
    assigned_rule  text,
    assigned_at    timestamptz,
    received_at    timestamptz NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX leads_unassigned ON leads (id) WHERE state = 'new';
CREATE INDEX leads_dealer ON leads (dealer_id, received_at);
CREATE INDEX leads_assignee ON leads (dealer_id, assignee) WHERE state IN ('new', 'assigned');
CREATE INDEX leads_contact ON leads (contact_id);

CREATE TABLE messages (
    id              bigserial PRIMARY KEY,
    dealer_id       text NOT NULL,
    location_id     text,
    queue_id        text,           -- Postfix queue id
    message_id      text,           -- the Message-ID header
    envelope_from   text,
    recipients      text[] NOT NULL DEFAULT '{}',
    received_at     timestamptz NOT NULL DEFAULT now(),
    kind            text NOT NULL
                    CHECK (kind IN ('lead', 'tradein', 'reply', 'unassignable', 'reaction')),
    reason          text,
    lead_id         bigint REFERENCES leads,
    classification  jsonb,
    raw             bytea
);
CREATE INDEX messages_message_id ON messages (message_id);
CREATE INDEX messages_lead ON messages (lead_id);

-- The audit trail: who got the lead, when, and why.
CREATE TABLE assignments (
    id           bigserial PRIMARY KEY,
    lead_id      bigint NOT NULL REFERENCES leads,
    dealer_id    text NOT NULL,
    user_id      text NOT NULL,
    rule         text NOT NULL,      -- existing_contact, pool, group:<id>, rotation, fallback, admin, claim, reassign
    explanation  jsonb NOT NULL DEFAULT '{}',
    assigned_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assignments_lead ON assignments (lead_id);

-- Round-robin position per dealer and scope ('general' or 'group:<id>').
CREATE TABLE rotation_cursors (
    dealer_id  text NOT NULL,
    scope      text NOT NULL,
    last_user  text,
    turns      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (dealer_id, scope)
);

CREATE TABLE absences (
    id         bigserial PRIMARY KEY,
    dealer_id  text NOT NULL,
    user_id    text NOT NULL,
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    note       text,
    CHECK (ends_at > starts_at)
);
CREATE INDEX absences_user ON absences (dealer_id, user_id, ends_at);

CREATE TABLE scheduled_events (
    id          bigserial PRIMARY KEY,
    lead_id     bigint NOT NULL REFERENCES leads,
    kind        text NOT NULL CHECK (kind IN ('assignment_notice', 'reminder', 'level1', 'level2',
                                              'resubmission', 'level2_resubmission')),
    chain       integer NOT NULL DEFAULT 0,
    anchor_at   timestamptz NOT NULL,
    due_at      timestamptz NOT NULL,
    send_at     timestamptz NOT NULL,
    addressee   text NOT NULL,
    state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'cancelled')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    done_at     timestamptz
);
CREATE INDEX scheduled_events_pending ON scheduled_events (send_at) WHERE state = 'pending';
CREATE INDEX scheduled_events_lead ON scheduled_events (lead_id);

CREATE TABLE outbox (
    id           bigserial PRIMARY KEY,
    dealer_id    text NOT NULL,
    lead_id      bigint REFERENCES leads,
    kind         text NOT NULL,
    message_id   text NOT NULL UNIQUE,  -- deterministic: a rare duplicate is recognisable
    mail_from    text NOT NULL,
    recipients   text[] NOT NULL,
    content      bytea,                 -- the whole message, or NULL while it is built at send time
    payload      jsonb NOT NULL DEFAULT '{}',
    state        text NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'sent', 'failed', 'suppressed')),
    not_before   timestamptz NOT NULL DEFAULT now(),
    attempts     integer NOT NULL DEFAULT 0,
    last_error   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    sent_at      timestamptz
);
CREATE INDEX outbox_due ON outbox (not_before) WHERE state = 'queued';
