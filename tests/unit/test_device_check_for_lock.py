"""The device check reports what it can see and says "unknown" where it cannot (no Qt)."""

from __future__ import annotations

import json
from pathlib import Path

from vault.device_check import CLOUD_SYNC_WARNING, Finding, run_device_check


def _runner(answers: dict[str, str | None]):  # type: ignore[no-untyped-def]
    calls: list[list[str]] = []

    def run(argv: list[str]) -> str | None:
        calls.append(argv)
        for prefix, answer in answers.items():
            if " ".join(argv).startswith(prefix):
                return answer
        return None

    run.calls = calls  # type: ignore[attr-defined]
    return run


def _lsblk(*nodes: dict) -> str:  # type: ignore[type-arg]
    return json.dumps({"blockdevices": list(nodes)})


LUKS_TREE = _lsblk({"name": "luks-1234", "type": "crypt", "fstype": "ext4", "children": [
    {"name": "nvme0n1p3", "type": "part", "fstype": "crypto_LUKS",
     "children": [{"name": "nvme0n1", "type": "disk", "fstype": None}]}]})
PLAIN_TREE = _lsblk({"name": "sda2", "type": "part", "fstype": "ext4",
                     "children": [{"name": "sda", "type": "disk", "fstype": None}]})


def test_linux_luks_is_seen(tmp_path: Path):
    run = _runner({"findmnt": "/dev/mapper/luks-1234 ext4\n", "lsblk": LUKS_TREE})
    report = run_device_check(tmp_path / "vault", runner=run, platform="linux", env={})
    item = report.item("disk-encryption")
    assert item.finding is Finding.OK and "LUKS" in item.detail
    assert ["lsblk", "-J", "-s", "-o", "NAME,TYPE,FSTYPE", "/dev/mapper/luks-1234"] in run.calls


def test_linux_plain_disk_is_a_warning_that_admits_hardware_encryption(tmp_path: Path):
    run = _runner({"findmnt": "/dev/sda2[/@home] btrfs\n", "lsblk": PLAIN_TREE})
    item = run_device_check(tmp_path, runner=run, platform="linux", env={}).item(
        "disk-encryption")
    assert item.finding is Finding.WARNING and "hardware" in item.detail
    assert ["lsblk", "-J", "-s", "-o", "NAME,TYPE,FSTYPE", "/dev/sda2"] in run.calls


def test_linux_overlay_or_missing_tools_are_unknown_never_ok(tmp_path: Path):
    overlay = _runner({"findmnt": "overlay overlay\n"})
    assert run_device_check(tmp_path, runner=overlay, platform="linux", env={}).item(
        "disk-encryption").finding is Finding.UNKNOWN
    nothing = _runner({})
    report = run_device_check(tmp_path, runner=nothing, platform="linux", env={})
    assert report.item("disk-encryption").finding is Finding.UNKNOWN
    assert report.item("screen-lock").finding is Finding.UNKNOWN


def test_gnome_screen_lock_settings(tmp_path: Path):
    env = {"XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}
    on = _runner({"gsettings get org.gnome.desktop.screensaver lock-enabled": "true\n",
                  "gsettings get org.gnome.desktop.session idle-delay": "uint32 300\n"})
    item = run_device_check(tmp_path, runner=on, platform="linux", env=env).item("screen-lock")
    assert item.finding is Finding.OK and "5 minutes" in item.detail
    never = _runner({"gsettings get org.gnome.desktop.screensaver lock-enabled": "true\n",
                     "gsettings get org.gnome.desktop.session idle-delay": "uint32 0\n"})
    assert run_device_check(tmp_path, runner=never, platform="linux", env=env).item(
        "screen-lock").finding is Finding.WARNING


def test_gnome_defaults_without_a_gnome_desktop_are_not_trusted(tmp_path: Path):
    run = _runner({"gsettings": "true\n"})
    item = run_device_check(tmp_path, runner=run, platform="linux", env={}).item("screen-lock")
    assert item.finding is Finding.UNKNOWN
    assert not any(c[0] == "gsettings" for c in run.calls)


def test_kde_autolock_off_is_a_warning(tmp_path: Path):
    run = _runner({"kreadconfig6 --file kscreenlockerrc --group Daemon --key Autolock": "false"})
    item = run_device_check(tmp_path, runner=run, platform="linux",
                            env={"XDG_CURRENT_DESKTOP": "KDE"}).item("screen-lock")
    assert item.finding is Finding.WARNING


def test_macos_filevault_and_screen_lock(tmp_path: Path):
    run = _runner({"fdesetup status": "FileVault is On.\n",
                   "sysadminctl -screenLock status": "screenLock delay is immediate\n"})
    report = run_device_check(tmp_path, runner=run, platform="darwin", env={})
    assert report.item("disk-encryption").finding is Finding.OK
    assert report.item("screen-lock").finding is Finding.OK
    off = _runner({"fdesetup status": "FileVault is Off.\n"})
    assert run_device_check(tmp_path, runner=off, platform="darwin", env={}).item(
        "disk-encryption").finding is Finding.WARNING


def test_windows_bitlocker_and_secure_screensaver(tmp_path: Path):
    values = {"ScreenSaveActive": "1", "ScreenSaverIsSecure": "1", "ScreenSaveTimeOut": "600"}
    on = _runner({"powershell": "1\r\n"})
    report = run_device_check(tmp_path, runner=on, platform="win32", env={},
                              registry=values.get)
    assert report.item("disk-encryption").finding is Finding.OK
    assert report.item("screen-lock").detail.startswith("The screen locks after 10 minutes")
    off = _runner({"powershell": "2\r\n"})
    report = run_device_check(tmp_path, runner=off, platform="win32", env={},
                              registry={}.get)
    assert report.item("disk-encryption").finding is Finding.WARNING
    assert report.item("screen-lock").finding is Finding.UNKNOWN


def test_a_vault_in_a_cloud_sync_folder_is_warned_about(tmp_path: Path):
    synced = tmp_path / "OneDrive - Northfield University" / "casevault"
    report = run_device_check(synced, runner=_runner({}), platform="linux", env={})
    assert report.item("cloud-sync").finding is Finding.WARNING
    assert report.item("cloud-sync").detail == CLOUD_SYNC_WARNING
    assert run_device_check(tmp_path / "vault", runner=_runner({}), platform="linux",
                            env={}).item("cloud-sync").finding is Finding.OK
