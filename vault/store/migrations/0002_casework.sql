-- 0002: casework. The first meeting (issues, action points, narrative), parties, written
-- follow-ups owed for oral advice, escalation decisions, off-the-record consents, conflict
-- findings and decisions, an index of the paper trail's links, the change log that keeps the
-- in-memory conflict index current, and the full-text search index.
--
-- Everything here lives inside the SQLCipher database, so plaintext columns are encrypted at
-- rest with the rest of the vault. Rows that belong to a case carry its case_id so secure
-- deletion can remove them (the case row itself stays, marked destroyed).

-- The first meeting (UCU guide): date and place, the agreed narrative. One row per case.
CREATE TABLE first_meetings (
    case_id   TEXT PRIMARY KEY REFERENCES cases(id),
    held_on   TEXT,                                  -- ISO date
    place     TEXT,
    narrative TEXT,
    updated   TEXT NOT NULL
);

-- Issues identified and agreed with the member, raised_later = 1 marks an issue raised after
-- the first meeting ("new"), so the case view can check back against what was agreed.
CREATE TABLE case_issues (
    id             INTEGER PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases(id),
    text           TEXT NOT NULL,
    raised_later   INTEGER NOT NULL DEFAULT 0 CHECK (raised_later IN (0, 1)),
    raised_on      TEXT NOT NULL,                    -- ISO date
    addressed_on   TEXT,                             -- ISO date; NULL while not addressed
    addressed_note TEXT
);
CREATE INDEX case_issues_case ON case_issues(case_id, id);

CREATE TABLE action_points (
    id      INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    text    TEXT NOT NULL,
    owner   TEXT NOT NULL CHECK (owner IN ('rep', 'member', 'union')),
    due     TEXT,                                    -- ISO date or NULL
    done_on TEXT,                                    -- ISO date; NULL while open
    created TEXT NOT NULL
);
CREATE INDEX action_points_case ON action_points(case_id, id);
CREATE INDEX action_points_open_due ON action_points(due)
    WHERE done_on IS NULL AND due IS NOT NULL;

-- Other parties of a case (conflict checks run over these and over members).
CREATE TABLE parties (
    id           INTEGER PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases(id),
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('manager', 'witness', 'complainant', 'subject',
                                               'colleague', 'other')),
    union_member TEXT NOT NULL DEFAULT 'unknown' CHECK (union_member IN ('yes', 'no', 'unknown')),
    added        TEXT NOT NULL
);
CREATE INDEX parties_case ON parties(case_id, id);

-- A written follow-up owed for each oral-advice entry, discharged by a linked written-advice,
-- email-sent or letter entry, or waived with a reason.
CREATE TABLE followups (
    advice_seq     INTEGER PRIMARY KEY,              -- the oral-advice trail entry
    case_id        TEXT NOT NULL REFERENCES cases(id),
    advice_date    TEXT NOT NULL,                    -- ISO date
    due            TEXT NOT NULL,                    -- ISO date
    discharged_seq INTEGER,                          -- the entry that discharged it
    waived_on      TEXT,
    waive_reason   TEXT,
    CHECK ((waived_on IS NULL) = (waive_reason IS NULL))
);
CREATE INDEX followups_case ON followups(case_id);
CREATE INDEX followups_owed ON followups(due) WHERE discharged_seq IS NULL AND waived_on IS NULL;

-- The latest escalation decision per case (every decision is also in the paper trail).
-- rules: the escalation rules the decision answered, comma-separated.
CREATE TABLE escalation_decisions (
    case_id              TEXT PRIMARY KEY REFERENCES cases(id),
    decision             TEXT NOT NULL CHECK (decision IN ('escalated', 'not-escalating')),
    escalated_to         TEXT,
    escalated_on         TEXT,
    regional_notified_on TEXT,
    reason               TEXT,
    rules                TEXT NOT NULL,
    recorded             TEXT NOT NULL,
    trail_seq            INTEGER NOT NULL,
    CHECK ((decision = 'escalated' AND escalated_to IS NOT NULL AND escalated_on IS NOT NULL)
           OR (decision = 'not-escalating' AND reason IS NOT NULL))
);

-- The member was told beforehand and agreed to an off-the-record / without-prejudice
-- conversation. Each consent allows one such entry (used_by).
CREATE TABLE off_record_consents (
    id        INTEGER PRIMARY KEY,
    case_id   TEXT NOT NULL REFERENCES cases(id),
    told_at   TEXT NOT NULL,                         -- ISO date or date-time
    how       TEXT NOT NULL,
    recorded  TEXT NOT NULL,
    trail_seq INTEGER NOT NULL,
    used_by   INTEGER UNIQUE                         -- the off-the-record entry it allowed
);
CREATE INDEX off_record_consents_case ON off_record_consents(case_id, id);

-- Possible conflicts of interest found by a check, and the rep's decision on each.
-- case_id: the case of the person checked (NULL when a new member was checked).
CREATE TABLE conflict_findings (
    id              INTEGER PRIMARY KEY,
    case_id         TEXT REFERENCES cases(id),
    subject_kind    TEXT NOT NULL CHECK (subject_kind IN ('member', 'party')),
    subject_id      TEXT NOT NULL,
    matched_kind    TEXT NOT NULL CHECK (matched_kind IN ('member', 'party')),
    matched_id      TEXT NOT NULL,
    matched_case_id TEXT,
    matched_ref     TEXT,
    matched_role    TEXT NOT NULL,
    reason          TEXT NOT NULL,
    score           INTEGER NOT NULL,
    checked         TEXT NOT NULL,
    check_seq       INTEGER NOT NULL,
    decision        TEXT CHECK (decision IN ('proceed', 'step-aside', 'refer')),
    decision_reason TEXT,
    decided         TEXT,
    decision_seq    INTEGER
);
CREATE INDEX conflict_findings_case ON conflict_findings(case_id);
CREATE INDEX conflict_findings_matched ON conflict_findings(matched_case_id);
CREATE INDEX conflict_findings_subject ON conflict_findings(subject_kind, subject_id);

-- The links of trail entries ('corrects', 'follows_up', ...) as rows, so "has #12 been
-- corrected?" is an index lookup. The MAC-covered copy stays in trail.links, this is an index
-- of it, written in the same transaction. An entry can be corrected only once.
CREATE TABLE trail_links (
    seq    INTEGER NOT NULL,
    rel    TEXT NOT NULL,
    target INTEGER NOT NULL,
    PRIMARY KEY (rel, target, seq)
) WITHOUT ROWID;
CREATE INDEX trail_links_seq ON trail_links(seq);
CREATE UNIQUE INDEX trail_links_one_correction ON trail_links(target) WHERE rel = 'corrects';

CREATE TRIGGER trail_links_no_update BEFORE UPDATE ON trail_links
BEGIN
    SELECT RAISE(ABORT, 'the paper trail is append-only');
END;

-- Which people changed (ids only, never names), so each session's in-memory conflict index
-- applies just those changes. Pruned to the last 2,000, an index older than that rebuilds.
CREATE TABLE people_changes (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('member', 'case', 'party')),
    ref  TEXT NOT NULL
);

CREATE TRIGGER people_changes_prune AFTER INSERT ON people_changes
BEGIN
    DELETE FROM people_changes WHERE id <= NEW.id - 2000;
END;

CREATE TRIGGER people_members_ai AFTER INSERT ON members
BEGIN
    INSERT INTO people_changes (kind, ref) VALUES ('member', NEW.id);
END;

CREATE TRIGGER people_members_au AFTER UPDATE ON members
BEGIN
    INSERT INTO people_changes (kind, ref) VALUES ('member', NEW.id);
END;

CREATE TRIGGER people_members_ad AFTER DELETE ON members
BEGIN
    INSERT INTO people_changes (kind, ref) VALUES ('member', OLD.id);
END;

CREATE TRIGGER people_cases_ai AFTER INSERT ON cases
BEGIN
    INSERT INTO people_changes (kind, ref) VALUES ('case', NEW.id);
END;

CREATE TRIGGER people_cases_au AFTER UPDATE OF ref, member_id, status ON cases
BEGIN
    INSERT INTO people_changes (kind, ref) VALUES ('case', NEW.id);
END;

CREATE TRIGGER people_cases_ad AFTER DELETE ON cases
BEGIN
    INSERT INTO people_changes (kind, ref) VALUES ('case', OLD.id);
END;

CREATE TRIGGER people_parties_ai AFTER INSERT ON parties
BEGIN
    INSERT INTO people_changes (kind, ref) VALUES ('party', CAST(NEW.id AS TEXT));
END;

CREATE TRIGGER people_parties_au AFTER UPDATE ON parties
BEGIN
    INSERT INTO people_changes (kind, ref) VALUES ('party', CAST(NEW.id AS TEXT));
END;

CREATE TRIGGER people_parties_ad AFTER DELETE ON parties
BEGIN
    INSERT INTO people_changes (kind, ref) VALUES ('party', CAST(OLD.id AS TEXT));
END;

-- Full-text search (DESIGN §5): FTS5 inside the encrypted database with secure-delete on, so
-- a deleted row leaves no trace of its words in the index. Three indexes:
--   search_fts: members, cases and parties (names, references, titles), short rows queried by
--     relevance (bm25).
--   text_fts: first-meeting text (place and narrative, issues, action points), queried newest
--     first. search_docs says what each row of these two is (its id is the FTS rowid), and
--     the triggers below keep both current on every write.
--   trail_fts: paper-trail entries, rowid = trail.seq. Their payloads are encrypted in the
--     trail table, so the paper-trail service indexes the plaintext when it writes an entry.
--     Queried newest first.
-- Long texts are read newest first because ranking every match of a common word ("meeting")
-- over hundreds of thousands of rows costs tens of milliseconds, reading the newest costs few.
CREATE TABLE search_docs (
    id        INTEGER PRIMARY KEY,
    source    TEXT NOT NULL,      -- member, case, party, meeting, issue, action
    source_id TEXT NOT NULL,
    case_id   TEXT,
    label     TEXT NOT NULL DEFAULT '',   -- role or entry kind; never personal data
    UNIQUE (source, source_id)
);
CREATE INDEX search_docs_case ON search_docs(case_id);

CREATE VIRTUAL TABLE search_fts USING fts5(
    body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

INSERT INTO search_fts (search_fts, rank) VALUES ('secure-delete', 1);

CREATE VIRTUAL TABLE text_fts USING fts5(
    body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

INSERT INTO text_fts (text_fts, rank) VALUES ('secure-delete', 1);

CREATE VIRTUAL TABLE trail_fts USING fts5(
    body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

INSERT INTO trail_fts (trail_fts, rank) VALUES ('secure-delete', 1);

CREATE TRIGGER search_members_ai AFTER INSERT ON members
BEGIN
    INSERT INTO search_docs (source, source_id, case_id, label)
        VALUES ('member', NEW.id, NULL, 'member');
    INSERT INTO search_fts (rowid, body) VALUES (
        (SELECT id FROM search_docs WHERE source = 'member' AND source_id = NEW.id),
        concat_ws(' ', NEW.name, NEW.membership_number, NEW.employer, NEW.department, NEW.email));
END;

CREATE TRIGGER search_members_au AFTER UPDATE ON members
BEGIN
    DELETE FROM search_fts WHERE rowid =
        (SELECT id FROM search_docs WHERE source = 'member' AND source_id = OLD.id);
    INSERT INTO search_fts (rowid, body) VALUES (
        (SELECT id FROM search_docs WHERE source = 'member' AND source_id = OLD.id),
        concat_ws(' ', NEW.name, NEW.membership_number, NEW.employer, NEW.department, NEW.email));
END;

CREATE TRIGGER search_members_ad AFTER DELETE ON members
BEGIN
    DELETE FROM search_fts WHERE rowid =
        (SELECT id FROM search_docs WHERE source = 'member' AND source_id = OLD.id);
    DELETE FROM search_docs WHERE source = 'member' AND source_id = OLD.id;
END;

CREATE TRIGGER search_cases_ai AFTER INSERT ON cases
BEGIN
    INSERT INTO search_docs (source, source_id, case_id, label)
        VALUES ('case', NEW.id, NEW.id, NEW.category);
    INSERT INTO search_fts (rowid, body) VALUES (
        (SELECT id FROM search_docs WHERE source = 'case' AND source_id = NEW.id),
        concat_ws(' ', NEW.ref, NEW.title, replace(NEW.category, '-', ' '), NEW.outcome));
END;

CREATE TRIGGER search_cases_au AFTER UPDATE OF ref, title, category, outcome ON cases
WHEN NEW.status <> 'destroyed'
BEGIN
    DELETE FROM search_fts WHERE rowid =
        (SELECT id FROM search_docs WHERE source = 'case' AND source_id = OLD.id);
    INSERT INTO search_fts (rowid, body) VALUES (
        (SELECT id FROM search_docs WHERE source = 'case' AND source_id = OLD.id),
        concat_ws(' ', NEW.ref, NEW.title, replace(NEW.category, '-', ' '), NEW.outcome));
END;

-- A destroyed case leaves nothing searchable (secure deletion also purges explicitly).
CREATE TRIGGER search_cases_destroyed AFTER UPDATE OF status ON cases
WHEN NEW.status = 'destroyed'
BEGIN
    DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs WHERE case_id = NEW.id);
    DELETE FROM text_fts WHERE rowid IN (SELECT id FROM search_docs WHERE case_id = NEW.id);
    DELETE FROM search_docs WHERE case_id = NEW.id;
    DELETE FROM trail_fts WHERE rowid IN (SELECT seq FROM trail WHERE case_id = NEW.id);
END;

CREATE TRIGGER search_cases_ad AFTER DELETE ON cases
BEGIN
    DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs WHERE case_id = OLD.id);
    DELETE FROM text_fts WHERE rowid IN (SELECT id FROM search_docs WHERE case_id = OLD.id);
    DELETE FROM search_docs WHERE case_id = OLD.id;
    DELETE FROM trail_fts WHERE rowid IN (SELECT seq FROM trail WHERE case_id = OLD.id);
END;

CREATE TRIGGER search_parties_ai AFTER INSERT ON parties
BEGIN
    INSERT INTO search_docs (source, source_id, case_id, label)
        VALUES ('party', CAST(NEW.id AS TEXT), NEW.case_id, NEW.role);
    INSERT INTO search_fts (rowid, body) VALUES (
        (SELECT id FROM search_docs WHERE source = 'party' AND source_id = CAST(NEW.id AS TEXT)),
        NEW.name);
END;

CREATE TRIGGER search_parties_au AFTER UPDATE ON parties
BEGIN
    DELETE FROM search_fts WHERE rowid =
        (SELECT id FROM search_docs WHERE source = 'party' AND source_id = CAST(OLD.id AS TEXT));
    UPDATE search_docs SET label = NEW.role
        WHERE source = 'party' AND source_id = CAST(OLD.id AS TEXT);
    INSERT INTO search_fts (rowid, body) VALUES (
        (SELECT id FROM search_docs WHERE source = 'party' AND source_id = CAST(OLD.id AS TEXT)),
        NEW.name);
END;

CREATE TRIGGER search_parties_ad AFTER DELETE ON parties
BEGIN
    DELETE FROM search_fts WHERE rowid =
        (SELECT id FROM search_docs WHERE source = 'party' AND source_id = CAST(OLD.id AS TEXT));
    DELETE FROM search_docs WHERE source = 'party' AND source_id = CAST(OLD.id AS TEXT);
END;

CREATE TRIGGER search_meetings_ai AFTER INSERT ON first_meetings
BEGIN
    INSERT INTO search_docs (source, source_id, case_id, label)
        VALUES ('meeting', NEW.case_id, NEW.case_id, 'first meeting');
    INSERT INTO text_fts (rowid, body) VALUES (
        (SELECT id FROM search_docs WHERE source = 'meeting' AND source_id = NEW.case_id),
        concat_ws(' ', NEW.place, NEW.narrative));
END;

CREATE TRIGGER search_meetings_au AFTER UPDATE ON first_meetings
BEGIN
    DELETE FROM text_fts WHERE rowid =
        (SELECT id FROM search_docs WHERE source = 'meeting' AND source_id = OLD.case_id);
    INSERT INTO text_fts (rowid, body) VALUES (
        (SELECT id FROM search_docs WHERE source = 'meeting' AND source_id = OLD.case_id),
        concat_ws(' ', NEW.place, NEW.narrative));
END;

CREATE TRIGGER search_meetings_ad AFTER DELETE ON first_meetings
BEGIN
    DELETE FROM text_fts WHERE rowid =
        (SELECT id FROM search_docs WHERE source = 'meeting' AND source_id = OLD.case_id);
    DELETE FROM search_docs WHERE source = 'meeting' AND source_id = OLD.case_id;
END;

CREATE TRIGGER search_issues_ai AFTER INSERT ON case_issues
BEGIN
    INSERT INTO search_docs (source, source_id, case_id, label)
        VALUES ('issue', CAST(NEW.id AS TEXT), NEW.case_id, 'issue');
    INSERT INTO text_fts (rowid, body) VALUES (
        (SELECT id FROM search_docs WHERE source = 'issue' AND source_id = CAST(NEW.id AS TEXT)),
        concat_ws(' ', NEW.text, NEW.addressed_note));
END;

CREATE TRIGGER search_issues_au AFTER UPDATE OF text, addressed_note ON case_issues
BEGIN
    DELETE FROM text_fts WHERE rowid =
        (SELECT id FROM search_docs WHERE source = 'issue' AND source_id = CAST(OLD.id AS TEXT));
    INSERT INTO text_fts (rowid, body) VALUES (
        (SELECT id FROM search_docs WHERE source = 'issue' AND source_id = CAST(OLD.id AS TEXT)),
        concat_ws(' ', NEW.text, NEW.addressed_note));
END;

CREATE TRIGGER search_issues_ad AFTER DELETE ON case_issues
BEGIN
    DELETE FROM text_fts WHERE rowid =
        (SELECT id FROM search_docs WHERE source = 'issue' AND source_id = CAST(OLD.id AS TEXT));
    DELETE FROM search_docs WHERE source = 'issue' AND source_id = CAST(OLD.id AS TEXT);
END;

CREATE TRIGGER search_actions_ai AFTER INSERT ON action_points
BEGIN
    INSERT INTO search_docs (source, source_id, case_id, label)
        VALUES ('action', CAST(NEW.id AS TEXT), NEW.case_id, NEW.owner);
    INSERT INTO text_fts (rowid, body) VALUES (
        (SELECT id FROM search_docs WHERE source = 'action' AND source_id = CAST(NEW.id AS TEXT)),
        NEW.text);
END;

CREATE TRIGGER search_actions_au AFTER UPDATE OF text ON action_points
BEGIN
    DELETE FROM text_fts WHERE rowid =
        (SELECT id FROM search_docs WHERE source = 'action' AND source_id = CAST(OLD.id AS TEXT));
    INSERT INTO text_fts (rowid, body) VALUES (
        (SELECT id FROM search_docs WHERE source = 'action' AND source_id = CAST(OLD.id AS TEXT)),
        NEW.text);
END;

CREATE TRIGGER search_actions_ad AFTER DELETE ON action_points
BEGIN
    DELETE FROM text_fts WHERE rowid =
        (SELECT id FROM search_docs WHERE source = 'action' AND source_id = CAST(OLD.id AS TEXT));
    DELETE FROM search_docs WHERE source = 'action' AND source_id = CAST(OLD.id AS TEXT);
END;

-- Rows that existed before this migration: index members and cases now, the trail (encrypted
-- payloads, links in text) is indexed by the application at the next unlock.
INSERT INTO search_docs (source, source_id, case_id, label)
    SELECT 'member', id, NULL, 'member' FROM members;
INSERT INTO search_fts (rowid, body)
    SELECT d.id, concat_ws(' ', m.name, m.membership_number, m.employer, m.department, m.email)
    FROM search_docs d JOIN members m ON d.source = 'member' AND d.source_id = m.id;
INSERT INTO search_docs (source, source_id, case_id, label)
    SELECT 'case', id, id, category FROM cases WHERE status <> 'destroyed';
INSERT INTO search_fts (rowid, body)
    SELECT d.id, concat_ws(' ', c.ref, c.title, replace(c.category, '-', ' '), c.outcome)
    FROM search_docs d JOIN cases c ON d.source = 'case' AND d.source_id = c.id;
INSERT INTO vault_meta (key, value)
    SELECT 'trail_index_pending', '1' WHERE EXISTS (SELECT 1 FROM trail);
