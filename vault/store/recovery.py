"""Start-up recovery: finish or roll back interrupted operations, and explain every file.

Runs at every unlock. An ``import`` intent whose document row exists was finished (the intent
is cleared); one without a row is rolled back (its partial file removed). A file under
``documents/`` with neither a row nor an intent is moved to ``quarantine/``, never deleted.
The private folder for external opens is scrubbed.
"""

from __future__ import annotations

import logging
import shutil
from typing import TYPE_CHECKING

from vault.store.fsutil import safe_mkdir

if TYPE_CHECKING:
    from vault.store.unlocked_vault import RecoveryReport, UnlockedVault

log = logging.getLogger(__name__)

IMPORT = "import"


def recover(vault: UnlockedVault) -> RecoveryReport:
    from vault.store.unlocked_vault import RecoveryReport

    db = vault.db
    rolled_back = finished = 0
    with db.transaction() as conn:
        intents = conn.execute("SELECT id, kind, case_id, file_id FROM intents").fetchall()
        for intent in intents:
            if intent["kind"] != IMPORT:
                continue  # other kinds belong to the services that own them
            row = conn.execute(
                "SELECT 1 FROM documents WHERE id = ?", (intent["file_id"],)
            ).fetchone()
            if row is None:
                vault.documents.delete(intent["case_id"], intent["file_id"])
                rolled_back += 1
            else:
                finished += 1
            conn.execute("DELETE FROM intents WHERE id = ?", (intent["id"],))

    known = {r["id"] for r in db.query("SELECT id FROM documents")}
    pending = {
        r["file_id"] for r in db.query("SELECT file_id FROM intents WHERE file_id IS NOT NULL")
    }
    quarantined = 0
    for _case_id, file_id, path in list(vault.documents.iter_files()):
        if path.name.endswith(".cvf") and file_id in known:
            continue
        if file_id in pending:
            continue
        vault.documents.quarantine(path)
        quarantined += 1

    scrubbed = scrub_external(vault)
    if rolled_back or finished or quarantined:
        log.warning("recovery: %d import(s) rolled back, %d finished, %d file(s) quarantined",
                    rolled_back, finished, quarantined)
    return RecoveryReport(rolled_back, finished, quarantined, scrubbed)


def scrub_external(vault: UnlockedVault) -> int:
    """Remove every decrypted copy left in the external-open folder; returns how many."""
    folder = vault.paths.external_tmp
    if not folder.exists():
        return 0
    count = sum(1 for p in folder.rglob("*") if p.is_file())
    shutil.rmtree(folder, ignore_errors=True)
    safe_mkdir(folder)
    return count
