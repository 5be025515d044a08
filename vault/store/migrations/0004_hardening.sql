-- 0004: the intent journal's step data; the paper trail binds each entry's case id into its
-- MAC from here on; a payload can only be erased once its case is destroyed.

ALTER TABLE intents ADD COLUMN data TEXT NOT NULL DEFAULT '{}';

INSERT OR REPLACE INTO vault_meta (key, value)
    SELECT 'trail_v2_from', CAST(coalesce(max(seq), 0) + 1 AS TEXT) FROM trail;

DROP TRIGGER trail_no_update;

-- The only update allowed: secure deletion of a destroyed case removes a payload and keeps
-- everything else (the hash stays, so the chain still verifies).
CREATE TRIGGER trail_no_update BEFORE UPDATE ON trail
WHEN NOT (
    OLD.payload IS NOT NULL AND NEW.payload IS NULL
    AND NEW.seq = OLD.seq AND NEW.ts = OLD.ts AND NEW.kind = OLD.kind
    AND NEW.case_ref = OLD.case_ref AND NEW.case_id IS OLD.case_id AND NEW.links = OLD.links
    AND NEW.payload_hash = OLD.payload_hash AND NEW.prev_mac = OLD.prev_mac AND NEW.mac = OLD.mac
    AND OLD.case_id IS NOT NULL
    AND (SELECT status FROM cases WHERE id = OLD.case_id) = 'destroyed'
)
BEGIN
    SELECT RAISE(ABORT, 'the paper trail is append-only');
END;
