"""The table models: qtmodeltester, native sort values, the row role and in-place updates."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import Qt

from vault.casework.cases import CaseSummary
from vault.casework.members import MemberSummary
from vault.domain import Case, CaseFlags, CaseStatus, Category, Document, Member
from vault.ui.models.case_table_model import CaseTableModel
from vault.ui.models.document_table_model import DocumentTableModel
from vault.ui.models.member_table_model import MemberTableModel
from vault.ui.models.row_table_model import ROW_ROLE, SORT_ROLE, RowTableModel
from vault.ui.models.table_filter_proxy import CaseFilterProxy, TableFilterProxy

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def _member(i: int, email: str | None = None, employer: str | None = None) -> MemberSummary:
    m = Member(id=f"M{i:04d}", name=f"Member {i}", membership_number=f"N{i}",
               employer=employer, department=None, email=email, phone=None, created=NOW)
    return MemberSummary(m, open_cases=i % 3, email_warning="work?" if email else None)


def _case(i: int, status: CaseStatus = CaseStatus.OPEN,
          category: Category = Category.GRIEVANCE) -> CaseSummary:
    c = Case(id=f"{i:032x}", ref=f"C-2026-{i:04d}", member_id="M0001", title=f"Case {i}",
             category=category, status=status, opened=dt.date(2026, 1, i),
             closed=None, outcome=None, flags=CaseFlags(dismissal_threatened=i % 2 == 0),
             consent_to_share=False, last_activity=NOW + dt.timedelta(hours=i))
    return CaseSummary(c, "Member 1")


def _doc(i: int) -> Document:
    return Document(id=f"{i:032x}", case_id="c" * 32, name=f"doc{i}.pdf",
                    media_type="application/pdf", size=1000 * i, cipher_size=1100 * i,
                    sha256=f"{i:064x}", added=NOW + dt.timedelta(minutes=i),
                    is_original=i == 1, returned=None)


def test_member_model_passes_qtmodeltester(qtmodeltester):
    model = MemberTableModel()
    model.set_rows([_member(i, "a@northfield.ac.uk" if i == 2 else None) for i in range(1, 6)])
    qtmodeltester.check(model, force_py=True)
    proxy = TableFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)


def test_case_model_passes_qtmodeltester(qtmodeltester):
    model = CaseTableModel()
    model.set_rows([_case(i) for i in range(1, 6)])
    qtmodeltester.check(model, force_py=True)
    proxy = CaseFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)


def test_document_model_passes_qtmodeltester(qtmodeltester):
    model = DocumentTableModel()
    model.set_rows([_doc(i) for i in range(1, 4)])
    qtmodeltester.check(model, force_py=True)


def test_sort_role_is_native_and_row_role_is_the_record():
    model = CaseTableModel()
    rows = [_case(i) for i in (3, 1, 2)]
    model.set_rows(rows)
    assert model.index(0, CaseTableModel.OPENED).data(SORT_ROLE) == dt.date(2026, 1, 3).toordinal()
    assert model.index(0, CaseTableModel.OPENED).data() == "3 Jan 2026"
    assert model.index(1, 0).data(ROW_ROLE) is rows[1]
    proxy = CaseFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(CaseTableModel.OPENED, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 0).data() for r in range(3)] == ["C-2026-0001", "C-2026-0002",
                                                              "C-2026-0003"]
    docs = DocumentTableModel()
    docs.set_rows([_doc(2), _doc(10)])
    dproxy = TableFilterProxy()
    dproxy.setSourceModel(docs)
    dproxy.sort(DocumentTableModel.SIZE, Qt.SortOrder.DescendingOrder)
    assert dproxy.index(0, DocumentTableModel.NAME).data() == "doc10.pdf"  # 10 KB > 2 KB


def test_set_rows_updates_in_place(qtbot):
    model = MemberTableModel()
    model.set_rows([_member(1), _member(2), _member(3)])
    inserted, removed, changed = [], [], []
    model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    model.rowsRemoved.connect(lambda _p, a, b: removed.append((a, b)))
    model.dataChanged.connect(lambda tl, br: changed.append((tl.row(), br.row())))
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    renamed = _member(2)
    renamed = MemberSummary(replace(renamed.member, name="Renamed"), 5, None)
    model.set_rows([renamed, _member(3), _member(4)])
    assert removed == [(0, 0)]
    assert changed == [(0, 0)]
    assert inserted == [(2, 2)]
    assert resets == []
    assert [model.index(r, 0).data() for r in range(3)] == ["Renamed", "Member 3", "Member 4"]
    model.clear()
    assert model.rowCount() == 0


def test_case_proxy_filters_status_category_and_text():
    model = CaseTableModel()
    model.set_rows([_case(1), _case(2, CaseStatus.CLOSED), _case(3, category=Category.DISMISSAL)])
    proxy = CaseFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_status(CaseStatus.OPEN)
    assert proxy.rowCount() == 2
    proxy.set_category(Category.DISMISSAL)
    assert proxy.rowCount() == 1
    proxy.set_category(None)
    proxy.set_status(None)
    proxy.set_filter_text("case 2")
    assert proxy.rowCount() == 1


def test_work_email_shows_a_warning_icon_and_tooltip():
    model = MemberTableModel()
    model.set_rows([_member(1, "a@northfield.ac.uk")])
    index = model.index(0, MemberTableModel.EMAIL)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "work?"
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None


def test_rows_ordered_on_a_worker_are_used_as_they_are_when_nothing_changed():
    """Cases and Members sort on the worker that reads them (``ordered_for``); ``set_rows``
    then only shows them — unless the rep changed the sort or filter in the meantime."""
    model = CaseTableModel()
    model.sort(CaseTableModel.OPENED, Qt.SortOrder.DescendingOrder)
    rows = [_case(i) for i in (2, 3, 1)]
    prepared = model.ordered_for(rows, model.ordering)
    assert [r.case.ref for r in prepared.ordered] == ["C-2026-0003", "C-2026-0002",
                                                      "C-2026-0001"]
    # nothing changed: the worker's order is taken as it is (a sentinel order proves it)
    sentinel = replace(prepared, ordered=[rows[2], rows[0], rows[1]])
    model.set_rows(sentinel)
    assert [model.row_at(i).case.ref for i in range(3)] == ["C-2026-0001", "C-2026-0002",
                                                            "C-2026-0003"]
    # the rep re-sorted while the worker ran: the rows are ordered again on arrival
    stale = model.ordered_for(rows, model.ordering)
    model.sort(CaseTableModel.OPENED, Qt.SortOrder.AscendingOrder)
    model.set_rows(replace(stale, ordered=list(reversed(stale.ordered))))
    assert [model.row_at(i).case.ref for i in range(3)] == ["C-2026-0001", "C-2026-0002",
                                                            "C-2026-0003"]


def test_sort_puts_none_first_and_copes_with_values_that_do_not_compare():
    class Mixed(RowTableModel[tuple[int, object]]):
        HEADERS = ("value",)

        def key(self, row):  # type: ignore[no-untyped-def]
            return row[0]

        def display(self, row, column):  # type: ignore[no-untyped-def]
            return str(row[1])

        def sort_value(self, row, column):  # type: ignore[no-untyped-def]
            return row[1]

    model = Mixed()
    up = Qt.SortOrder.AscendingOrder
    assert [v for _k, v in model.order_rows([(1, 3), (2, None), (3, 1)], 0, up)] == [None, 1, 3]
    mixed = model.order_rows([(1, "b"), (2, 2), (3, None), (4, "a")], 0, up)
    assert [v for _k, v in mixed] == [None, 2, "a", "b"]  # by text where kinds differ
    # equal keys keep the order given, in both directions (a stable sort)
    same = [(1, 5), (2, 5), (3, 5)]
    assert model.order_rows(same, 0, Qt.SortOrder.DescendingOrder) == same
