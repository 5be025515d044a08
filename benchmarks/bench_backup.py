"""Backup, verify and restore speed and memory, beside tar/cp measured in the same run.

- backup (snapshot through SQLite's online backup API + stream every CVF1 file into one
  encrypted file + fsync) vs `tar -cf` of the vault folder + `sync` (no encryption, not
  consistent while the vault is open — the cheapest possible copy);
- peak memory growth during the backup (must stay flat whatever the vault size);
- verify-backup (decrypts the payload and every document end to end) vs `sha256sum` of the
  backup file;
- restore into an empty folder vs `tar -xf` + `sync`.

Usage: python benchmarks/bench_backup.py [--docs 20] [--doc-mib 10] [--dir DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import figure, sample_rss, timed
from vault.backup.reader import Credential, restore_backup, verify_backup
from vault.backup.writer import write_backup
from vault.clock import SystemClock
from vault.crypto.kdf import Argon2Params
from vault.domain import Category
from vault.session import VaultManager

PASSPHRASE = "benchmark passphrase orbit lantern harbour"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=20)
    ap.add_argument("--doc-mib", type=int, default=10)
    ap.add_argument("--dir", type=Path, default=None)
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="cvbench-backup-", dir=args.dir))
    try:
        # Fast KDF: the benchmark measures the backup, not Argon2id (bench_documents does).
        manager = VaultManager(root=work / "vault", clock=SystemClock(),
                               kdf_params=Argon2Params(1, 8, 1))
        session = manager.create(PASSPHRASE)
        member = session.members.add("Benchmark Member")
        case = session.cases.open(member.id, "Benchmark case", Category.OTHER)
        src = work / "doc.bin"
        src.write_bytes(os.urandom(args.doc_mib << 20))
        for _ in range(args.docs):
            session.documents.import_file(case.ref, src)
        src.unlink()
        vault_bytes = sum(p.stat().st_size for p in manager.root.rglob("*") if p.is_file())
        print(f"vault: {args.docs} documents of {args.doc_mib} MiB, "
              f"{vault_bytes / (1 << 20):.0f} MiB on disk")

        out = work / "b.cvbackup"
        with sample_rss() as rss:
            ours = timed(lambda: write_backup(session.vault, out,
                                              now=dt.datetime.now(dt.UTC)))
        tar = work / "peer.tar"
        peer = timed(lambda: (subprocess.run(["tar", "-cf", str(tar), "-C", str(work), "vault"],
                                             check=True), subprocess.run(["sync"], check=True)))
        figure("backup (snapshot + stream + fsync)", ours, "tar -cf + sync", peer,
               target="<= 2.5")
        print(f"{'backup peak memory growth':<44} {rss.growth / (1 << 20):9.1f} MiB   "
              "(target <= 64 MiB)")
        manager.lock_all()

        cred = Credential(passphrase=PASSPHRASE)
        ours = timed(lambda: verify_backup(out, cred))
        peer = timed(lambda: subprocess.run(["sha256sum", str(out)], check=True,
                                            stdout=subprocess.DEVNULL))
        figure("verify-backup (every document end to end)", ours, "sha256sum", peer)

        ours = timed(lambda: restore_backup(out, work / "restored", cred))
        (work / "peer-x").mkdir()
        peer = timed(lambda: (subprocess.run(["tar", "-xf", str(tar), "-C",
                                              str(work / "peer-x")], check=True),
                              subprocess.run(["sync"], check=True)))
        figure("restore (verify + write + fsync)", ours, "tar -xf + sync", peer)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
