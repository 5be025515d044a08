-- 0005: backups (vault/backup). Every backup written through the vault is listed, so a case
-- destroyed later can be traced to the kept backups that still hold it (docs/backup-format.md
-- section 5). Holds no member data: ids, times, sizes and where the file was written.

CREATE TABLE backups (
    id       TEXT PRIMARY KEY CHECK (length(id) = 32),          -- the backup id (hex)
    created  TEXT NOT NULL,                                      -- ISO 8601, UTC
    kind     TEXT NOT NULL CHECK (kind IN ('manual', 'automatic')),
    path     TEXT NOT NULL,
    size     INTEGER NOT NULL CHECK (size >= 0),
    case_ids TEXT NOT NULL DEFAULT '',                           -- space-separated case ids
    removed  TEXT,                                               -- when the product deleted it
    removed_reason TEXT CHECK (removed_reason IS NULL
                               OR removed_reason IN ('rotation', 'erase', 'missing'))
);
CREATE INDEX backups_created ON backups(created);

-- Automatic backups: a folder the rep chose (an external drive), the number kept, on or off.
CREATE TABLE backup_settings (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    folder    TEXT,
    keep      INTEGER NOT NULL DEFAULT 5 CHECK (keep BETWEEN 1 AND 100),
    automatic INTEGER NOT NULL DEFAULT 0 CHECK (automatic IN (0, 1))
);
