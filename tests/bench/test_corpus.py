"""The evaluation corpus: truth that breaks its own arithmetic is caught; files are as listed."""

from __future__ import annotations

import copy
import hashlib
import io
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from bench import corpus, synthetic_scans, truth_check
from tests.statements import statement_pdf


def _item(current: str | None, prior: str | None) -> dict[str, Any]:
    values = [truth_check.amount(p) for p in (current, prior)]
    return {
        "current": None if values[0] is None else float(values[0]),
        "prior": None if values[1] is None else float(values[1]),
        "printed": [current, prior],
    }


def _record() -> dict[str, Any]:
    """A small truth record whose figures add up in both columns."""
    return {
        "file": "small.pdf",
        "statements": [
            {
                "type": "balance_sheet",
                "pages": [1],
                "items": {
                    "流动资产合计": _item("700.00", "650.00"),
                    "资产总计": _item("1,000.00", "900.00"),
                    "负债合计": _item("400.00", "380.00"),
                    "所有者权益合计": _item("600.00", "520.00"),
                    "负债和所有者权益总计": _item("1,000.00", "900.00"),
                },
            },
            {
                "type": "income_statement",
                "pages": [2],
                "items": {
                    "利润总额": _item("120.00", "(30.00)"),
                    "所得税费用": _item("(20.00)", "5.00"),
                    "净利润": _item("100.00", "(25.00)"),
                },
            },
            {
                "type": "cash_flow_statement",
                "pages": [3],
                "items": {
                    "经营活动产生的现金流量净额": _item("90.00", "40.00"),
                    "投资活动产生的现金流量净额": _item("(30.00)", "(10.00)"),
                    "筹资活动产生的现金流量净额": _item("-", "(5.00)"),
                    "现金及现金等价物净增加额": _item("60.00", "25.00"),
                    "期初现金及现金等价物余额": _item("100.00", "75.00"),
                    "期末现金及现金等价物余额": _item("160.00", "100.00"),
                },
            },
        ],
    }


def _set(record: dict[str, Any], kind: str, name: str, column: int, printed: str) -> None:
    statement = next(s for s in record["statements"] if s["type"] == kind)
    item = statement["items"][name]
    item["printed"][column] = printed
    item[("current", "prior")[column]] = float(truth_check.amount(printed) or 0)


def test_truth_that_adds_up_passes_every_identity() -> None:
    record = _record()
    outcomes = truth_check.check_record(record)
    assert truth_check.problems(record) == []
    # balance identity, L+E total, current <= total, the profit chain and both cash rolls, twice
    assert len(outcomes) == 12
    assert all(o.ok for o in outcomes)


@pytest.mark.parametrize(
    ("kind", "name", "column", "printed", "identity"),
    [
        ("balance_sheet", "负债合计", 0, "410.00", "资产总计"),  # a mistyped digit
        ("income_statement", "净利润", 1, "(26.00)", "净利润"),
        (
            "cash_flow_statement",
            "期末现金及现金等价物余额",
            0,
            "106.00",
            "期末现金及现金等价物余额",
        ),
        (
            "cash_flow_statement",
            "投资活动产生的现金流量净额",
            1,
            "(1.00)",
            "现金及现金等价物净增加额",
        ),
    ],
)
def test_identity_checker_catches_a_wrong_figure(
    kind: str, name: str, column: int, printed: str, identity: str
) -> None:
    record = _record()
    _set(record, kind, name, column, printed)
    found = truth_check.problems(record)
    assert found
    assert all(identity in problem for problem in found)
    assert ("current", "prior")[column] in found[0]


def test_rounding_of_one_unit_per_term_is_allowed_but_not_more() -> None:
    record = _record()
    _set(record, "balance_sheet", "负债合计", 0, "400.01")
    assert truth_check.problems(record) == []  # 1,000.00 vs 1,000.01: rounding
    _set(record, "balance_sheet", "负债合计", 0, "400.05")
    assert truth_check.problems(record)


def test_a_value_unlike_its_print_is_reported() -> None:
    record = _record()
    record["statements"][0]["items"]["资产总计"]["current"] = 100.0
    assert truth_check.problems(record) == [
        "balance_sheet 资产总计 current: 100.0 but printed 1,000.00"
    ]


def test_a_balance_sheet_no_identity_ties_is_reported() -> None:
    record = _record()
    items = record["statements"][0]["items"]
    del items["负债合计"], items["负债和所有者权益总计"]
    found = truth_check.problems(record)
    assert found == [
        "balance_sheet (current): no identity ties assets to the other side",
        "balance_sheet (prior): no identity ties assets to the other side",
    ]


def test_every_truth_record_of_the_corpus_holds() -> None:
    records = corpus.truths()
    assert len(records) >= 12
    assert {
        name: truth_check.problems(r) for name, r in records.items() if truth_check.problems(r)
    } == {}


def test_committed_documents_match_their_sha256() -> None:
    committed = [d for d in corpus.documents() if d["committed"]]
    assert committed
    for document in committed:
        data = (corpus.ROOT / document["committed"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == document["sha256"], document["file"]


def test_a_download_is_kept_only_when_it_is_the_listed_file() -> None:
    data = b"%PDF-1.4 a statement"
    by_hash = {"sha256": hashlib.sha256(data).hexdigest(), "source": {}}
    by_blob = {"sha256": None, "source": {"git_blob": corpus.git_blob_id(data)}}
    assert corpus.verified(by_hash, data)
    assert corpus.verified(by_blob, data)
    assert not corpus.verified(by_hash, data + b" changed")
    assert not corpus.verified(by_blob, data + b" changed")
    # git's own id for these bytes (`git hash-object`), so a manifest can pin what a repo holds
    assert corpus.git_blob_id(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"


def test_every_document_with_truth_is_listed_and_a_third_is_held_out() -> None:
    listed = {d["file"]: d for d in corpus.documents()}
    assert set(corpus.truths()) <= set(listed)
    held = [d for d in listed.values() if d["split"] == "holdout"]
    assert 3 * len(held) >= len(listed)
    with_truth = [listed[name] for name in corpus.truths()]
    assert 3 * sum(d["split"] == "holdout" for d in with_truth) >= len(with_truth)


def test_synthetic_scan_is_image_only_the_same_every_run_and_keeps_its_truth() -> None:
    figures = {"total_assets": Decimal("1000.00"), "cash": Decimal("250.00")}
    data = statement_pdf("示例有限公司", 2024, figures, figures)
    how = synthetic_scans.degradation("small.pdf")
    first = synthetic_scans.render(data, [1, 3], how, "small.pdf")
    assert first == synthetic_scans.render(data, [1, 3], how, "small.pdf")
    scan = pdfium.PdfDocument(io.BytesIO(first))
    try:
        assert len(scan) == 2
        assert scan[0].get_textpage().get_text_range().strip() == ""  # nothing left but pixels
    finally:
        scan.close()
    assert 150 <= how.dpi <= 200
    assert abs(how.angle) <= 1
    record = copy.deepcopy(_record())
    record["statements"][1]["pages"] = [3]  # income and cash-flow statements share page 3
    record["statements"][2]["items"]["期末现金及现金等价物余额"]["page"] = 3
    assert synthetic_scans.statement_pages(record) == [1, 3]
    truth = synthetic_scans.scan_truth(record, [1, 3], how)
    assert [s["pages"] for s in truth["statements"]] == [[1], [2], [2]]
    assert truth["statements"][2]["items"]["期末现金及现金等价物余额"]["page"] == 2
    assert truth["statements"][0]["items"] == record["statements"][0]["items"]


def test_fetch_keeps_listed_bytes_in_the_cache_and_refuses_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("DANGAN_CORPUS_DIR", str(cache))
    published = tmp_path / "published.pdf"
    published.write_bytes(b"%PDF-1.4 the statements as published")
    digest = hashlib.sha256(published.read_bytes()).hexdigest()
    good = {
        "file": "good.pdf",
        "sha256": digest,
        "committed": None,
        "source": {"url": published.as_uri()},
    }
    tampered = {
        "file": "bad.pdf",
        "sha256": "0" * 64,
        "committed": None,
        "source": {"url": published.as_uri()},
    }
    assert corpus.fetch([good, tampered]) == 1
    assert (cache / "good.pdf").read_bytes() == published.read_bytes()
    assert not (cache / "bad.pdf").exists()
    assert corpus.locate(good) == cache / "good.pdf"
    assert corpus.fetch([good]) == 0  # already here: nothing downloaded again


def _snapshot(root: Path, repo: str, files: dict[str, bytes]) -> str:
    """A bare git snapshot of `repo` under `root`, as `fetch` lays them out; its commit id."""
    work = root / "work"
    work.mkdir()
    for name, data in files.items():
        (work / name).write_bytes(data)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(work)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "statements"], check=True)
    commit = subprocess.run(
        [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    bare = root / "mirror" / repo.replace("/", "+") / "repo"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
    return commit


def test_fetch_from_a_local_snapshot_keeps_only_listed_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("DANGAN_CORPUS_DIR", str(cache))
    published = b"%PDF-1.4 the statements as published"
    pointer = b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n"
    commit = _snapshot(tmp_path, "owner/reports", {"annual.pdf": published, "big.pdf": pointer})

    def listed(file: str, path: str, data: bytes, repo: str = "owner/reports") -> Any:
        source = {"repo": repo, "path": path, "commit": commit}
        digest = hashlib.sha256(data).hexdigest()
        return {"file": file, "sha256": digest, "committed": None, "source": source}

    good = listed("good.pdf", "annual.pdf", published)
    lfs = listed("lfs.pdf", "big.pdf", b"the real file")
    tampered = listed("bad.pdf", "annual.pdf", b"other bytes")
    elsewhere = listed("elsewhere.pdf", "annual.pdf", published, repo="other/reports")
    absent = listed("absent.pdf", "missing.pdf", published)
    chosen = [good, lfs, tampered, elsewhere, absent]
    assert corpus.fetch(chosen, mirror=tmp_path / "mirror") == 4
    assert (cache / "good.pdf").read_bytes() == published
    assert sorted(p.name for p in cache.iterdir()) == ["good.pdf"]
    # The blob id alone finds the bytes when the listed commit is not in the snapshot.
    blob = {**good, "file": "by_blob.pdf", "source": {**good["source"], "commit": "0" * 40}}
    blob["source"]["git_blob"] = corpus.git_blob_id(published)
    assert corpus.fetch([blob], mirror=tmp_path / "mirror") == 0
    assert (cache / "by_blob.pdf").read_bytes() == published
