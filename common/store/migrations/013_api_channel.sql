-- 013: the integration API acts on leads (issue #16). Its actions are
-- audited with channel api and the name of the integration's token.
ALTER TABLE lead_actions DROP CONSTRAINT lead_actions_channel_check;
ALTER TABLE lead_actions ADD CONSTRAINT lead_actions_channel_check
    CHECK (channel IN ('cli', 'mail', 'web', 'api'));
ALTER TABLE lead_actions ADD COLUMN integration text;
