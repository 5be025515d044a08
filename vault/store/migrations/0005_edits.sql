-- 0005: everyday corrections and the guide's remaining advice (issue 13): a case's stage,
-- whether informal resolution was tried, and a description; key dates and time limits; the
-- rep's own profile.

ALTER TABLE cases ADD COLUMN description TEXT;
ALTER TABLE cases ADD COLUMN stage TEXT NOT NULL DEFAULT 'informal'
    CHECK (stage IN ('informal', 'formal', 'appeal', 'tribunal'));
ALTER TABLE cases ADD COLUMN informal_tried INTEGER;  -- NULL: not recorded; 0/1


CREATE TABLE case_dates (
    id       INTEGER PRIMARY KEY,
    case_id  TEXT NOT NULL REFERENCES cases(id),
    kind     TEXT NOT NULL CHECK (kind IN ('hearing', 'meeting', 'appeal', 'response',
                                           'tribunal', 'other')),
    on_date  TEXT NOT NULL,                            -- ISO date: when it is, or the deadline
    act_date TEXT,                                     -- tribunal: the act complained of
    note     TEXT,
    added    TEXT NOT NULL
);
CREATE INDEX case_dates_case ON case_dates(case_id, on_date);
CREATE INDEX case_dates_on ON case_dates(on_date);

CREATE TABLE rep_profile (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    name      TEXT,
    role      TEXT,
    branch    TEXT,
    email     TEXT,
    phone     TEXT,
    signature TEXT
);

-- The employer's policies and procedures (guide point 10): kept apart from every member's case
-- under a key of their own (``vault_meta.policy_library_key``, wrapped by the VMK); files in a
-- folder named by a random id like any case's. A case can link to the policies it relies on.
CREATE TABLE policies (
    id          TEXT PRIMARY KEY,                -- hex of the CVF1 file id
    title       TEXT NOT NULL,
    employer    TEXT,
    version     TEXT,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    cipher_size INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    added       TEXT NOT NULL
);

CREATE TABLE case_policies (
    case_id   TEXT NOT NULL REFERENCES cases(id),
    policy_id TEXT NOT NULL REFERENCES policies(id),
    linked    TEXT NOT NULL,
    PRIMARY KEY (case_id, policy_id)
);
CREATE INDEX case_policies_policy ON case_policies(policy_id);
