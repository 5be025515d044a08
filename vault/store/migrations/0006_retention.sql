-- 0005: retention. The closing record of a case (paper copies shredded, retention date and
-- the rule applied), legal holds, destruction certificates, and the mark on a member whose
-- record was erased with their last case.
--
-- A destroyed case keeps a tombstone row in cases (reference, category, dates, status
-- 'destroyed'; title blanked, outcome and key gone) so references are never reused and the
-- trail's erased entries still name a destroyed case. A member erased with their last case
-- keeps only an id (every personal field cleared, removed set), because the tombstone still
-- refers to it; lists, search and the conflict matcher skip removed members.

ALTER TABLE cases ADD COLUMN paper_shredded TEXT;     -- ISO date the rep confirmed it
ALTER TABLE cases ADD COLUMN retain_until TEXT;       -- ISO date; NULL while open
ALTER TABLE cases ADD COLUMN retention_rule TEXT
    CHECK (retention_rule IS NULL OR retention_rule IN ('profile', 'per-case'));
ALTER TABLE cases ADD COLUMN retention_years INTEGER;
ALTER TABLE cases ADD COLUMN retention_days INTEGER;
ALTER TABLE cases ADD COLUMN retention_reason TEXT;   -- stays in the vault, never reported
ALTER TABLE cases ADD COLUMN destroyed_at TEXT;       -- ISO date-time of the erase

ALTER TABLE members ADD COLUMN removed TEXT;          -- ISO date-time the record was erased

-- The legal hold in force on a case (every set and release is also in the paper trail).
CREATE TABLE retention_holds (
    case_id   TEXT PRIMARY KEY REFERENCES cases(id),
    reason    TEXT NOT NULL,
    since     TEXT NOT NULL,                     -- ISO date-time
    trail_seq INTEGER NOT NULL
);

-- Destruction certificates, made exactly once per destroyed case: the canonical JSON
-- (no personal data by construction) and its SHA-256.
CREATE TABLE destruction_certificates (
    id        TEXT PRIMARY KEY,                  -- CERT-2032-0001
    case_id   TEXT NOT NULL UNIQUE,
    case_ref  TEXT NOT NULL UNIQUE,
    destroyed TEXT NOT NULL,                     -- ISO date-time
    body      BLOB NOT NULL,
    digest    TEXT NOT NULL
);

CREATE TRIGGER destruction_certificates_no_update BEFORE UPDATE ON destruction_certificates
BEGIN
    SELECT RAISE(ABORT, 'a destruction certificate never changes');
END;

CREATE TRIGGER destruction_certificates_no_delete BEFORE DELETE ON destruction_certificates
BEGIN
    SELECT RAISE(ABORT, 'a destruction certificate is never deleted');
END;
