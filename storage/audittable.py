"""The audit export as a table an auditor reads without a lookup: names, two times, typed cells.

Each event keeps the names of its actor, department, customer, document and borrowing as they
read when it happened, so the table shows them beside the ids. Headings are in Chinese and
English; the XLSX has numbers and times as typed cells (UTC and the company's zone), a frozen
heading row, filters and widths; every text cell is neutralised against formulas (`cell`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from storage.sheets import cell

Event = dict[str, Any]
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def _part(name: str) -> Callable[[Event], dict[str, Any]]:
    def read(event: Event) -> dict[str, Any]:
        value = event.get(name)
        return value if isinstance(value, dict) else {}

    return read


_actor, _target = _part("actor"), _part("target")
_decision, _client = _part("decision"), _part("client")


def _borrowing(event: Event, field: str) -> Any:
    # A borrowing's own steps name it in the target; a read under a borrowing, in the decision.
    return _target(event).get(field) or _decision(event).get(field)


# (heading, width, value of an event); the first three are filled in by `row`.
COLUMNS: list[tuple[str, int, Callable[[Event], Any]]] = [
    ("序号 position", 9, lambda e: None),
    ("时间 at (UTC)", 20, lambda e: None),
    ("公司时间 company time", 20, lambda e: None),
    ("账号 username", 14, lambda e: _actor(e).get("username")),
    ("姓名 name", 12, lambda e: _actor(e).get("name")),
    ("部门 department", 16, lambda e: _actor(e).get("department_name")),
    ("角色 roles", 24, lambda e: _actor(e).get("roles")),
    ("许可密级 clearance", 12, lambda e: _actor(e).get("clearance")),
    ("操作 action", 28, lambda e: e.get("action")),
    ("结果 outcome", 10, lambda e: e.get("outcome")),
    ("客户 customer", 38, lambda e: _target(e).get("customer")),
    ("客户名称 customer name", 24, lambda e: _target(e).get("customer_name")),
    ("文件 document", 38, lambda e: _target(e).get("document")),
    ("文件标题 document title", 24, lambda e: _target(e).get("title")),
    ("版本 version", 8, lambda e: _whole(_target(e).get("version"))),
    ("密级 secrecy", 12, lambda e: _target(e).get("secrecy")),
    ("借阅单 borrowing", 16, lambda e: _borrowing(e, "number")),
    ("方式 mode", 10, lambda e: _borrowing(e, "mode")),
    ("用途 purpose", 24, lambda e: _borrowing(e, "purpose")),
    ("决定 decision", 10, lambda e: _decision(e).get("effect")),
    ("依据 rule", 28, lambda e: _decision(e).get("rule")),
    ("地址 address", 16, lambda e: _client(e).get("address")),
    ("请求 request id", 34, lambda e: _client(e).get("request_id")),
]


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def headings(zone: tzinfo) -> list[str]:
    """The heading row; the company time's names its zone."""
    names = [heading for heading, _, _ in COLUMNS]
    names[2] = f"{names[2]} ({zone})"
    return names


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None  # a quarantined body may hold anything where a time is expected


def row(position: int, event: Event, zone: tzinfo) -> list[Any]:
    """One event's values: ints, timezone-aware times, text (or None) for the rest."""
    at = _when(event.get("at"))
    values: list[Any] = [position, at, at.astimezone(zone) if at else None]
    values += [read(event) for _, _, read in COLUMNS[3:]]
    return [v if isinstance(v, (int, datetime)) or v is None else _text(v) for v in values]


def _text(value: Any) -> str:
    # Spreadsheets refuse control characters; a quarantined body may hold them.
    text = ";".join(map(str, value)) if isinstance(value, list) else str(value)
    return cell(ILLEGAL_CHARACTERS_RE.sub("", text))


def csv_row(values: list[Any]) -> list[str]:
    """The row as CSV text: times with their offset, so the zone is never in doubt."""
    return ["" if v is None else v.isoformat(sep=" ") if isinstance(v, datetime) else str(v)
            for v in values]  # fmt: skip


def start_sheet(sheet: WriteOnlyWorksheet, zone: tzinfo) -> None:
    """Widths, the heading row, frozen, with filters (before any event is appended)."""
    for index, (_, width, _) in enumerate(COLUMNS, start=1):
        # Bound at run time from Worksheet's, so openpyxl's stubs do not list them.
        sheet.column_dimensions[get_column_letter(index)].width = width  # type: ignore[attr-defined]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}1"  # type: ignore[attr-defined]
    sheet.append(headings(zone))


def sheet_row(sheet: WriteOnlyWorksheet, values: list[Any]) -> list[Any]:
    """The row as XLSX cells: times as dates (openpyxl keeps no zone: the heading names it)."""
    cells: list[Any] = []
    for value in values:
        if isinstance(value, datetime):
            typed = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
            typed.number_format = TIME_FORMAT
            cells.append(typed)
        else:
            cells.append(value)
    return cells
