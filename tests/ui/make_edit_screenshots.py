"""Screenshots of issue 13's screens (member correction, case correction with key dates, the
profile in Settings, dates on Home) into docs/screenshots/:

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.make_edit_screenshots [OUT_DIR]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from tests.ui.make_screenshots import (
    DEFAULT_OUT,
    NOW,
    PASSPHRASE,
    _populate,
    _save,
    _save_with_dialog,
)
from vault.clock import FixedClock
from vault.crypto.kdf import Argon2Params
from vault.session import VaultManager
from vault.settings import SettingsStore
from vault.store.rep_profile_repo import RepProfile
from vault.ui.application import create_application
from vault.ui.vault_controller import VaultController


def make_edit_screenshots(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="casevault-edit-shots-") as tmp:
        base = Path(tmp)
        clock = FixedClock(NOW)
        manager = VaultManager(root=base / "vault", clock=clock,
                               kdf_params=Argon2Params(1, 8, 1), is_accredited=lambda: True)
        controller = VaultController(app, manager,
                                     settings_store=SettingsStore(base / "settings.json"))
        try:
            session = manager.create(PASSPHRASE)
            files = base / "files"
            files.mkdir()
            ref = _populate(session, clock, files)
            today = clock.today()
            session.key_dates.add(ref, "hearing", today + dt.timedelta(days=4),
                                  note="Room 2.14, HR present")
            session.key_dates.add(ref, "tribunal", act_date=today - dt.timedelta(days=20))
            session.key_dates.add(ref, "response", today - dt.timedelta(days=1))
            session.profile.set(RepProfile(name="Sam Okafor", role="Branch caseworker",
                                           branch="Northfield UCU",
                                           email="sam.casework@example.org"))
            policy_file = files / "Grievance procedure.txt"
            policy_file.write_text("Northfield University grievance procedure, stage one ...\n")
            policy = session.policies.add(policy_file, "Grievance procedure",
                                          employer="Northfield University", version="2025")
            session.policies.link(ref, policy.id)
            controller.open_session(session)
            window = controller.main_window
            window.resize(1280, 900)
            saved.append(_save(window, out, "home-key-dates"))
            window.open_case(ref, "overview")
            overview = window.case_page.tab_by_key["overview"]
            saved.append(_save(window, out, "case-overview-key-dates"))
            dialog = overview.open_edit_dialog()
            saved.append(_save_with_dialog(window, dialog, out, "case-edit-dialog"))
            dialog.reject()
            date_dialog = overview.open_date_dialog()
            date_dialog.kind.setCurrentIndex(date_dialog.kind.findData("tribunal"))
            saved.append(_save_with_dialog(window, date_dialog, out, "key-date-tribunal"))
            date_dialog.reject()
            window.show_page("members")
            members = window.pages["members"]
            member_id = session.members.list()[0].member.id
            members.select_member(member_id)
            edit = members.edit_member(member_id)
            saved.append(_save_with_dialog(window, edit, out, "member-edit-dialog"))
            edit.reject()
            window.show_page("settings")
            saved.append(_save(window, out, "settings-you"))
            window.show_page("policies")
            saved.append(_save(window, out, "policies"))
        finally:
            controller.shutdown()
    return saved


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    for path in make_edit_screenshots(out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
