-- 010: per-user, per-lead reply addresses (issue #14). A notice to one user
-- carries Reply-To mailbox+r<token>@domain; only that user was sent the
-- token, so a mail to that address with that user's From is theirs and may
-- count as their reaction. One token per lead and user: every notice and
-- every resend names the same address.
CREATE TABLE reply_keys (
    token      text PRIMARY KEY,
    dealer_id  text NOT NULL,
    lead_id    bigint NOT NULL REFERENCES leads (id),
    user_id    text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (lead_id, user_id)
);
