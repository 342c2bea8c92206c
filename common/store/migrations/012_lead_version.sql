-- 012: a lead's version (issue #15). The links in a notice are signed over
-- it, so a link dies as soon as the lead changes: a link is used once
-- without the server keeping a list of used ones.
--
-- Bumped when the state or the assignee changes (assignment, claim,
-- reaction, reassignment, close: by leadd, the milter, leadctl, leadweb
-- alike), and by every person's action (a resubmission changes neither).
ALTER TABLE leads ADD COLUMN version bigint NOT NULL DEFAULT 0;

CREATE FUNCTION leads_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END $$;
CREATE TRIGGER leads_version BEFORE UPDATE OF state, assignee ON leads
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state
                       OR OLD.assignee IS DISTINCT FROM NEW.assignee)
    EXECUTE FUNCTION leads_bump_version();

CREATE FUNCTION lead_actions_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE leads SET version = version + 1 WHERE id = NEW.lead_id;
    RETURN NULL;
END $$;
CREATE TRIGGER lead_actions_version AFTER INSERT ON lead_actions
    FOR EACH ROW EXECUTE FUNCTION lead_actions_bump_version();


-- The pool's oldest lead, asked before every claim (a link's page asks it
-- for each view): found by the index instead of sorting the whole pool.
CREATE INDEX leads_pool_head ON leads (dealer_id, assignee, received_at, id)
    WHERE state = 'assigned';
