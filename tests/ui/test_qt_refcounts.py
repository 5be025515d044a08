"""The Qt binding must not drop references it does not own (PySide6 6.12.0 did).

PySide6 6.12.0's ``beginResetModel``/``endResetModel``/``beginInsertRows`` … each dropped one
reference to ``None``; every table refresh at 10,000 cases took hundreds, and after a few
unlock/lock cycles the app died with "Fatal Python error: none_dealloc". pyproject.toml keeps
the binding below 6.12; this test fails on any version that brings the fault back.
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QModelIndex

from vault.ui.models.case_table_model import CaseTableModel

CYCLES = 2_000


def _none_refs() -> int:
    gc.collect()
    return sys.getrefcount(None)


def test_model_notifications_keep_none_alive(qapp) -> None:  # type: ignore[no-untyped-def]
    model = CaseTableModel()
    root = QModelIndex()
    before = _none_refs()
    for _ in range(CYCLES):
        model.beginResetModel()
        model.endResetModel()
        model.beginInsertRows(root, 0, 0)
        model.endInsertRows()
        model.beginRemoveRows(root, 0, 0)
        model.endRemoveRows()
    lost = before - _none_refs()
    # 6 calls per cycle: a binding with the fault loses 12,000 here; noise is a few dozen.
    assert lost < CYCLES // 10, f"{lost} references to None lost in {CYCLES} cycles"
