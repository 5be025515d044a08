-- 0001: the core schema. Members, cases (each with its own wrapped data key), documents,
-- intents for multi-step operations, and the append-only paper trail.

CREATE TABLE vault_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE members (
    id                TEXT PRIMARY KEY,          -- M-0001: opaque, never a name
    name              TEXT NOT NULL,
    membership_number TEXT,
    employer          TEXT,
    department        TEXT,
    email             TEXT,
    phone             TEXT,
    created           TEXT NOT NULL
);
CREATE UNIQUE INDEX members_number ON members(membership_number)
    WHERE membership_number IS NOT NULL AND membership_number <> '';

CREATE TABLE cases (
    id                        TEXT PRIMARY KEY,  -- random hex; names the documents folder
    ref                       TEXT NOT NULL UNIQUE,  -- C-2026-0007
    member_id                 TEXT NOT NULL REFERENCES members(id),
    title                     TEXT NOT NULL,
    category                  TEXT NOT NULL,
    status                    TEXT NOT NULL DEFAULT 'open'
                              CHECK (status IN ('open', 'closed', 'destroyed')),
    opened                    TEXT NOT NULL,     -- ISO date
    closed                    TEXT,
    outcome                   TEXT,
    dismissal_threatened      INTEGER NOT NULL DEFAULT 0,
    discrimination_alleged    INTEGER NOT NULL DEFAULT 0,
    legal_action_contemplated INTEGER NOT NULL DEFAULT 0,
    consent_to_share          INTEGER NOT NULL DEFAULT 0,
    wrapped_key               BLOB,              -- NULL once the case is destroyed
    last_activity             TEXT NOT NULL
);
CREATE INDEX cases_member ON cases(member_id);

CREATE TABLE documents (
    id          TEXT PRIMARY KEY,                -- hex of the CVF1 file id
    case_id     TEXT NOT NULL REFERENCES cases(id),
    name        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    cipher_size INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    added       TEXT NOT NULL,
    is_original INTEGER NOT NULL DEFAULT 0,
    returned    TEXT
);
CREATE INDEX documents_case ON documents(case_id);

-- A multi-step operation records its intent first; the next start finishes or rolls it back.
CREATE TABLE intents (
    id      INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL,
    case_id TEXT,
    file_id TEXT,
    created TEXT NOT NULL
);

-- The paper trail: one MAC chain over every entry in the vault. Payloads are encrypted with
-- the case key (or the vault payload key for vault-level entries); payload_hash is the SHA-256
-- of the encrypted payload so the chain verifies without any case key, and still verifies
-- after a case is destroyed and its payloads removed.
CREATE TABLE trail (
    seq          INTEGER PRIMARY KEY,
    ts           TEXT NOT NULL,
    kind         TEXT NOT NULL,
    case_ref     TEXT NOT NULL,                  -- '' for vault-level entries
    case_id      TEXT,
    links        TEXT NOT NULL DEFAULT '',       -- 'corrects=12;follows_up=9', covered by the MAC
    payload      BLOB,
    payload_hash BLOB NOT NULL,
    prev_mac     BLOB NOT NULL,
    mac          BLOB NOT NULL
);
CREATE INDEX trail_case ON trail(case_id, seq);

CREATE TRIGGER trail_no_delete BEFORE DELETE ON trail
BEGIN
    SELECT RAISE(ABORT, 'the paper trail is append-only');
END;

-- The only update allowed: secure deletion removes a payload and keeps everything else.
CREATE TRIGGER trail_no_update BEFORE UPDATE ON trail
WHEN NOT (
    OLD.payload IS NOT NULL AND NEW.payload IS NULL
    AND NEW.seq = OLD.seq AND NEW.ts = OLD.ts AND NEW.kind = OLD.kind
    AND NEW.case_ref = OLD.case_ref AND NEW.case_id IS OLD.case_id AND NEW.links = OLD.links
    AND NEW.payload_hash = OLD.payload_hash AND NEW.prev_mac = OLD.prev_mac AND NEW.mac = OLD.mac
)
BEGIN
    SELECT RAISE(ABORT, 'the paper trail is append-only');
END;
