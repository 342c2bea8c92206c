-- 004: a customer's new mail on an open lead notifies its assignee
-- (SPEC §6.1, §7): one more event kind.
ALTER TABLE scheduled_events DROP CONSTRAINT scheduled_events_kind_check;
ALTER TABLE scheduled_events ADD CONSTRAINT scheduled_events_kind_check
    CHECK (kind IN ('assignment_notice', 'reminder', 'level1', 'level2', 'resubmission',
                    'level2_resubmission', 'customer_message'));
