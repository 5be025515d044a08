"""App settings that hold no personal data: auto-lock, follow-up days, region, window state.

Stored as JSON in the per-user config folder (or beside a test's vault), written atomically.
Anything about members or cases lives in the encrypted vault, never here.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import platformdirs

from vault.paths import APP_NAME

log = logging.getLogger(__name__)

AUTO_LOCK_RANGE = (1, 30)
FOLLOW_UP_RANGE = (1, 20)
REGIONS = ("ENG", "WLS", "SCT", "NIR")


@dataclass(frozen=True)
class AppSettings:
    auto_lock_minutes: int = 5
    follow_up_working_days: int = 2
    bank_holiday_region: str = "ENG"
    keyring_quick_unlock: bool = False
    clipboard_clear_seconds: int = 30
    check_back_weeks: int = 4  # prompt on Home after this long without a check-back (guide pt 8)
    # Where automatic backups go, remembered outside the vault so a restore can find them when
    # the vault's own database cannot be read (issue 11). A folder path, never member data.
    backup_folder: str = ""

    def validated(self) -> AppSettings:
        """Clamp every value into its allowed range (a hand-edited file cannot break the app)."""
        lo, hi = AUTO_LOCK_RANGE
        flo, fhi = FOLLOW_UP_RANGE
        return replace(
            self,
            auto_lock_minutes=min(hi, max(lo, int(self.auto_lock_minutes))),
            follow_up_working_days=min(fhi, max(flo, int(self.follow_up_working_days))),
            bank_holiday_region=(self.bank_holiday_region if self.bank_holiday_region in REGIONS
                                 else "ENG"),
            clipboard_clear_seconds=min(120, max(5, int(self.clipboard_clear_seconds))),
            check_back_weeks=min(26, max(1, int(self.check_back_weeks))),
            backup_folder=self.backup_folder if isinstance(self.backup_folder, str) else "",
        )


def default_settings_path() -> Path:
    env = os.environ.get("CASEVAULT_CONFIG_DIR")
    base = Path(env) if env else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    return base / "settings.json"


class SettingsStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_settings_path()

    def load(self) -> AppSettings:
        """The saved settings; defaults when missing or unreadable (logged, never fatal)."""
        try:
            raw = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return AppSettings()
        except (OSError, ValueError):
            log.warning("settings file unreadable; using defaults")
            return AppSettings()
        known = {f.name for f in fields(AppSettings)}
        try:
            return AppSettings(**{k: v for k, v in raw.items() if k in known}).validated()
        except (TypeError, ValueError):
            log.warning("settings file has bad values; using defaults")
            return AppSettings()

    def save(self, settings: AppSettings) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".settings-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(settings.validated()), fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
