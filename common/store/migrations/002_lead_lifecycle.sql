-- 002: what assignment and reactions need. A lead from a contact who
-- already has an open lead is attached to it (state merged, merged_into);
-- reactions and closing are timestamped; the audit row says who acted.

ALTER TABLE leads DROP CONSTRAINT leads_state_check;
ALTER TABLE leads ADD CONSTRAINT leads_state_check
    CHECK (state IN ('new', 'assigned', 'responded', 'closed', 'merged'));
ALTER TABLE leads ADD COLUMN merged_into bigint REFERENCES leads;
ALTER TABLE leads ADD COLUMN responded_at timestamptz;
ALTER TABLE leads ADD COLUMN responded_by text;
ALTER TABLE leads ADD COLUMN closed_at timestamptz;

ALTER TABLE assignments ADD COLUMN actor text NOT NULL DEFAULT 'leadd';

-- Earlier leads of a contact: found by e-mail or phone (SPEC §6.1).
CREATE INDEX leads_dealer_contact ON leads (dealer_id, contact_id, id);

-- A lead attached to an open lead that nobody holds yet has no user.
ALTER TABLE assignments ALTER COLUMN user_id DROP NOT NULL;
