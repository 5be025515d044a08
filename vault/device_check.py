"""The device check: what the app can see of the guide's prerequisites on this computer.

A leaf (no Qt; only ``paths``): full-disk encryption of the disk holding the vault (LUKS /
dm-crypt through ``findmnt`` and ``lsblk`` on Linux, BitLocker through the shell's volume
property on Windows, FileVault through ``fdesetup`` on macOS), whether the screen locks by itself
(GNOME and KDE settings, the Windows secure screensaver, macOS ``sysadminctl``), and whether the
vault sits in a cloud-sync folder. Each finding is ``ok``, ``warning`` or ``unknown``; the app
says "unknown" — never "ok" — where it cannot see (hardware-encrypted drives, other desktops,
policies set by an IT department). Every command runs with a short timeout; call
``run_device_check`` off the GUI thread.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from vault.paths import looks_cloud_synced

log = logging.getLogger(__name__)

COMMAND_TIMEOUT_SECONDS = 3.0

Runner = Callable[[list[str]], "str | None"]


class Finding(Enum):
    OK = "ok"
    WARNING = "warning"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CheckItem:
    key: str
    title: str
    finding: Finding
    detail: str


@dataclass(frozen=True)
class DeviceReport:
    items: tuple[CheckItem, ...]

    def item(self, key: str) -> CheckItem:
        return next(i for i in self.items if i.key == key)

    @property
    def warnings(self) -> list[CheckItem]:
        return [i for i in self.items if i.finding is Finding.WARNING]


def run_command(argv: list[str]) -> str | None:
    """stdout (and stderr) of ``argv``, or None if it is missing, fails or takes too long."""
    if shutil.which(argv[0]) is None:
        return None
    try:
        done = subprocess.run(argv, capture_output=True, text=True,
                              timeout=COMMAND_TIMEOUT_SECONDS, check=False,
                              env={**os.environ, "LC_ALL": "C"})
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("device check command %s failed: %s", argv[0], type(exc).__name__)
        return None
    if done.returncode != 0:
        return None
    return (done.stdout or "") + (done.stderr or "")


def run_device_check(vault_root: Path, *, runner: Runner = run_command,
                     platform: str = sys.platform,
                     env: Mapping[str, str] | None = None,
                     registry: Callable[[str], str | None] | None = None) -> DeviceReport:
    """Look at this computer. ``runner``, ``platform``, ``env`` and ``registry`` (Windows
    ``HKCU\\Control Panel\\Desktop`` values) are for tests."""
    environ = os.environ if env is None else env
    return DeviceReport((
        disk_encryption(vault_root, runner, platform),
        screen_lock(runner, platform, environ, registry),
        cloud_sync(vault_root),
    ))


# -- disk encryption ---------------------------------------------------------------------------

_DISK = "disk-encryption"
_DISK_TITLE = "Disk encryption"


def disk_encryption(vault_root: Path, runner: Runner, platform: str) -> CheckItem:
    if platform.startswith("linux"):
        return _linux_disk(vault_root, runner)
    if platform == "win32":
        return _windows_disk(vault_root, runner)
    if platform == "darwin":
        return _mac_disk(runner)
    return _unknown_disk("The app cannot check disk encryption on this system.")


def _unknown_disk(why: str) -> CheckItem:
    return CheckItem(_DISK, _DISK_TITLE, Finding.UNKNOWN,
                     why + " Make sure full-disk encryption is on (the guide's prerequisite).")


def _linux_disk(vault_root: Path, runner: Runner) -> CheckItem:
    target = _existing_ancestor(vault_root)
    found = runner(["findmnt", "-n", "-o", "SOURCE,FSTYPE", "--target", str(target)])
    if not found or not found.split():
        return _unknown_disk("The app could not find which disk holds the vault folder.")
    parts = found.split()
    source = parts[0].split("[", 1)[0]  # btrfs shows /dev/sda2[/@home]
    fstype = parts[1] if len(parts) > 1 else ""
    if fstype == "ecryptfs":
        return CheckItem(_DISK, _DISK_TITLE, Finding.OK,
                         "The vault folder is inside an encrypted home folder (eCryptfs).")
    if not source.startswith("/dev/"):
        return _unknown_disk(f"The vault folder is on a {fstype or 'virtual'} file system; the "
                             "app cannot see the disk beneath it.")
    tree = runner(["lsblk", "-J", "-s", "-o", "NAME,TYPE,FSTYPE", source])
    if not tree:
        return _unknown_disk("The app could not read the disk layout (lsblk).")
    try:
        nodes = list(_walk(json.loads(tree).get("blockdevices", [])))
    except (ValueError, AttributeError):
        return _unknown_disk("The app could not read the disk layout (lsblk).")
    if not nodes:
        return _unknown_disk("The app could not read the disk layout (lsblk).")
    if any(n.get("type") == "crypt" or n.get("fstype") == "crypto_LUKS" for n in nodes):
        return CheckItem(_DISK, _DISK_TITLE, Finding.OK,
                         "The disk holding the vault is encrypted (LUKS / dm-crypt).")
    return CheckItem(_DISK, _DISK_TITLE, Finding.WARNING,
                     "The disk holding the vault shows no LUKS encryption. Unless the drive "
                     "encrypts itself in hardware (the app cannot see that), turn on full-disk "
                     "encryption: a stolen laptop's disk can otherwise be read.")


def _walk(nodes: list[Any]) -> Any:
    for node in nodes:
        if isinstance(node, dict):
            yield node
            yield from _walk(node.get("children") or [])


def _existing_ancestor(path: Path) -> Path:
    current = Path(path).absolute()
    while not current.exists() and current.parent != current:
        current = current.parent
    return current


_BITLOCKER_PS = ("(New-Object -ComObject Shell.Application).NameSpace('{drive}')"
                 ".Self.ExtendedProperty('System.Volume.BitLockerProtection')")


def _windows_disk(vault_root: Path, runner: Runner) -> CheckItem:
    drive = Path(vault_root).absolute().drive or "C:"
    out = runner(["powershell", "-NoProfile", "-NonInteractive", "-Command",
                  _BITLOCKER_PS.format(drive=drive.rstrip("\\") + "\\")])
    value = (out or "").strip()
    if value in ("1", "3", "5"):
        return CheckItem(_DISK, _DISK_TITLE, Finding.OK,
                         f"BitLocker protects drive {drive}.")
    if value == "2":
        return CheckItem(_DISK, _DISK_TITLE, Finding.WARNING,
                         f"BitLocker is off on drive {drive}. Turn on device encryption or "
                         "BitLocker: a stolen laptop's disk can otherwise be read.")
    return _unknown_disk(f"Windows did not say whether drive {drive} is encrypted.")


def _mac_disk(runner: Runner) -> CheckItem:
    out = runner(["fdesetup", "status"]) or ""
    if "FileVault is On" in out:
        return CheckItem(_DISK, _DISK_TITLE, Finding.OK, "FileVault is on.")
    if "FileVault is Off" in out:
        return CheckItem(_DISK, _DISK_TITLE, Finding.WARNING,
                         "FileVault is off. Turn it on in System Settings → Privacy & Security.")
    return _unknown_disk("macOS did not say whether FileVault is on.")


# -- screen lock -------------------------------------------------------------------------------

_LOCK = "screen-lock"
_LOCK_TITLE = "Screen lock"
_LOCK_ADVICE = " Make sure the screen locks after a few minutes and when you close the lid."


def screen_lock(runner: Runner, platform: str, env: Mapping[str, str],
                registry: Callable[[str], str | None] | None) -> CheckItem:
    if platform.startswith("linux"):
        return _linux_lock(runner, env)
    if platform == "win32":
        return _windows_lock(registry or _windows_desktop_value)
    if platform == "darwin":
        out = runner(["sysadminctl", "-screenLock", "status"]) or ""
        if "screenLock is off" in out:
            return CheckItem(_LOCK, _LOCK_TITLE, Finding.WARNING,
                             "The screen does not ask for a password after sleep or the "
                             "screensaver." + _LOCK_ADVICE)
        if "screenLock delay is" in out:
            return CheckItem(_LOCK, _LOCK_TITLE, Finding.OK,
                             "The screen asks for a password after sleep or the screensaver.")
    return CheckItem(_LOCK, _LOCK_TITLE, Finding.UNKNOWN,
                     "The app cannot read this computer's screen-lock settings." + _LOCK_ADVICE)


def _linux_lock(runner: Runner, env: Mapping[str, str]) -> CheckItem:
    desktop = env.get("XDG_CURRENT_DESKTOP", "").casefold()
    if "kde" in desktop:
        for tool in ("kreadconfig6", "kreadconfig5"):
            autolock = runner([tool, "--file", "kscreenlockerrc", "--group", "Daemon", "--key",
                               "Autolock", "--default", "true"])
            if autolock is None:
                continue
            if autolock.strip() == "false":
                return CheckItem(_LOCK, _LOCK_TITLE, Finding.WARNING,
                                 "KDE's screen locker does not lock by itself." + _LOCK_ADVICE)
            minutes = (runner([tool, "--file", "kscreenlockerrc", "--group", "Daemon", "--key",
                               "Timeout", "--default", "5"]) or "5").strip()
            return CheckItem(_LOCK, _LOCK_TITLE, Finding.OK,
                             f"KDE locks the screen after {minutes} minutes without input.")
    # GNOME's settings mean something only under a GNOME-family desktop (elsewhere gsettings
    # answers with defaults nobody applies).
    gnome_family = any(name in desktop for name in ("gnome", "unity", "budgie", "pop"))
    enabled = runner(["gsettings", "get", "org.gnome.desktop.screensaver", "lock-enabled"]
                     ) if gnome_family else None
    delay = runner(["gsettings", "get", "org.gnome.desktop.session", "idle-delay"]
                   ) if gnome_family else None
    if enabled is not None and delay is not None:
        seconds = _last_int(delay)
        if enabled.strip() != "true" or seconds == 0:
            return CheckItem(_LOCK, _LOCK_TITLE, Finding.WARNING,
                             "The desktop does not lock the screen by itself." + _LOCK_ADVICE)
        if seconds is not None:
            return CheckItem(_LOCK, _LOCK_TITLE, Finding.OK,
                             f"The screen locks after {max(1, seconds // 60)} minutes without "
                             "input.")
    return CheckItem(_LOCK, _LOCK_TITLE, Finding.UNKNOWN,
                     "The app cannot read this desktop's screen-lock settings." + _LOCK_ADVICE)


def _last_int(text: str) -> int | None:
    try:
        return int(text.split()[-1])
    except (ValueError, IndexError):
        return None


def _windows_lock(read: Callable[[str], str | None]) -> CheckItem:
    active, secure, timeout = (read("ScreenSaveActive"), read("ScreenSaverIsSecure"),
                               read("ScreenSaveTimeOut"))
    if active == "1" and secure == "1" and timeout and timeout.isdigit():
        return CheckItem(_LOCK, _LOCK_TITLE, Finding.OK,
                         f"The screen locks after {max(1, int(timeout) // 60)} minutes without "
                         "input.")
    # Windows also locks on sleep by default through power settings the app cannot read.
    return CheckItem(_LOCK, _LOCK_TITLE, Finding.UNKNOWN,
                     "The app cannot see whether Windows locks the screen by itself (it may "
                     "through sleep or a policy)." + _LOCK_ADVICE)


def _windows_desktop_value(name: str) -> str | None:
    if sys.platform != "win32":
        return None
    import winreg  # type: ignore[import-not-found,unused-ignore]

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, r"Control Panel\Desktop") as key:
            value, _kind = winreg.QueryValueEx(key, name)
    except OSError:
        return None
    return str(value)


# -- cloud sync --------------------------------------------------------------------------------


def cloud_sync(vault_root: Path) -> CheckItem:
    if looks_cloud_synced(vault_root):
        return CheckItem("cloud-sync", "Cloud sync", Finding.WARNING, CLOUD_SYNC_WARNING)
    return CheckItem("cloud-sync", "Cloud sync", Finding.OK,
                     "The vault folder is not inside a folder of a known cloud-sync service.")


CLOUD_SYNC_WARNING = ("The vault folder looks like it is inside a cloud-sync folder (OneDrive, "
                      "Dropbox, iCloud, Google Drive…). Its encrypted files would be copied to "
                      "that service and could conflict between computers: move the vault to a "
                      "folder that is not synced, and use backups instead.")
