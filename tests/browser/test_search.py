"""Searching the archive in the browser: a Chinese word of a document finds it, with its text
for someone who may read it, and nothing of another department's is shown or counted."""

from __future__ import annotations

import re
import time
import uuid
from urllib.parse import quote

from playwright.sync_api import Page, expect

from tests.archive_api.test_search import text_pdf
from tests.browser.conftest import Company, Visit
from tests.factories import random_uscc

SLOW = 90_000  # ms: documents are read for the index in the background, on a busy machine


def _file(company: Company, who: str, name: str, *documents: tuple[str, str, str]) -> str:
    """A customer file of `who`'s department with documents (type, title, line of text)."""
    client = company.as_user(who)
    try:
        made = client.post("/api/v1/customers", json={"name": name, "uscc": random_uscc()})
        assert made.status_code == 201, made.text
        customer = str(made.json()["id"])
        for doc_type, title, line in documents:
            uploaded = client.post(
                f"/api/v1/customers/{customer}/documents",
                data={"doc_type": doc_type, "title": title},
                files={"file": (f"{title}.pdf", text_pdf(*line.split("\n")), "application/pdf")},
            )
            assert uploaded.status_code == 201, uploaded.text
    finally:
        client.close()
    return customer


def _indexed(company: Company, who: str, words: str, count: int) -> None:
    """Wait until the server's indexer has read the documents `who` should find by `words`."""
    client = company.as_user(who)
    try:
        deadline = time.monotonic() + SLOW / 1000
        while True:
            found = client.get("/api/v1/search", params={"q": words}).json()["total"]
            if found == count or time.monotonic() > deadline:
                break
            time.sleep(1)
    finally:
        client.close()
    assert found == count, f"{who} finds {found} documents by {words!r}, not {count}"


def _search(page: Page, words: str) -> None:
    """Search from the box at the top of the page, and wait for the results."""
    box = page.locator("#archive-search")
    box.fill(words)
    with page.expect_response(lambda r: "/api/v1/search?" in r.url):
        box.press("Enter")
    expect(page.locator(".hits .ant-spin-spinning")).to_have_count(0)


def _facet(page: Page, title: str) -> dict[str, str]:
    """The counts of one facet list, by label."""
    buttons = page.get_by_role("list", name=title).get_by_role("button")
    return {
        b.locator(".facet-label").inner_text(): b.locator(".facet-count").inner_text()
        for b in buttons.all()
    }


def test_a_chinese_word_finds_a_document_with_its_text_only_where_it_may_be_seen(
    visit: Visit, company: Company
) -> None:
    page = visit.page
    # A word of this test alone (the server is shared): digits written in Chinese.
    code = "".join("零一二三四五六七八九"[int(d)] for d in str(uuid.uuid4().int)[:6])
    ours = f"遵义{code}商贸有限公司"
    _file(
        company, "archivist", ours,
        ("contract", "借款合同", f"本合同约定借款人应缴纳保证金人民币伍拾万元。\n项目代号{code}。"),
        ("correspondence", "催款函", f"贵司货款已逾期三十日，请于七日内付清。\n项目代号{code}。"),
    )  # fmt: skip
    _file(
        company, "other_sales", f"铜仁{code}实业有限公司",
        ("guarantee", "担保函", f"保证金由担保人代为缴纳。\n项目代号{code}。"),
    )  # fmt: skip
    _indexed(company, "archivist", code, 2)
    _indexed(company, "other_sales", code, 1)

    # The archivist of department A searches from the desk: both of the file's documents, by
    # type and by year, and nothing of department B's.
    visit.sign_in("archivist", "zh")
    page.locator("#archive-search").wait_for()
    _search(page, code)
    page.wait_for_url(re.compile(rf"/search\?q={quote(code)}$"))
    hits = page.locator(".hits article.hit")
    expect(hits).to_have_count(2)
    expect(page.locator(".search-total")).to_have_text("共 2 份文件")
    assert _facet(page, "按文件类型") == {"合同": "1", "往来函件": "1"}
    years = _facet(page, "按年份")
    assert list(years.values()) == ["2"], years
    expect(page.get_by_text("担保函")).to_have_count(0)

    # A count narrows the results when clicked, and Back undoes it.
    by_type = page.get_by_role("list", name="按文件类型")
    by_type.get_by_role("button", name=re.compile("合同")).click()
    page.wait_for_url(re.compile(r"doc_type=contract"))
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("借款合同")
    page.go_back()
    page.wait_for_url(re.compile(rf"/search\?q={quote(code)}$"))
    expect(hits).to_have_count(2)
    expect(page.locator(".facet-chosen")).to_have_count(0)
    page.get_by_text("按日期").click()
    page.wait_for_url(re.compile(r"sort=date"))
    expect(hits).to_have_count(2)
    page.go_back()

    # A Chinese word of the text, typed in either script: the text around it, the word marked.
    for typed in (f"保证金 {code}", f"保證金 {code}"):
        _search(page, typed)
        expect(hits).to_have_count(1)
        expect(hits.first.locator(".hit-snippet")).to_contain_text("借款人应缴纳保证金人民币")
        expect(hits.first.locator(".hit-snippet mark")).to_have_text(["保证金", code])
    expect(page.locator("#archive-search")).to_have_value(f"保證金 {code}")
    expect(page.locator(".snippet-note")).to_have_count(0)  # an archivist reads every text
    shared = page.url
    page.mouse.move(0, 0)  # no button shown hovered
    visit.shot("search-results-zh")

    # The result opens its customer file at the document.
    hits.first.get_by_role("link", name="借款合同").click()
    page.locator(".customer-name", has_text=ours).wait_for()
    expect(page.locator(".doc-shown")).to_contain_text("借款合同")
    visit.shot("search-opened-file-zh")
    page.go_back()
    expect(hits.first.locator(".hit-snippet mark")).to_have_text(["保证金", code])

    # Words nothing contains: said so, with a way to take the filters off.
    _search(page, f"{code} 租赁")
    expect(page.locator(".search-empty")).to_contain_text(f"没有找到含有“{code} 租赁”的文件")
    visit.shot("search-empty-zh")
    page.locator("#search-secrecy").click()
    page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="秘密"]').click()
    page.wait_for_url(re.compile(r"secrecy=confidential"))
    page.locator(".search-empty").get_by_role("button", name="清除筛选").click()
    page.wait_for_url(re.compile(r"/search\?q=[^&]+$"))
    expect(page.locator(".search-empty .ant-btn")).to_have_count(0)

    # Words the server refuses (a control character in a shared address): said, not shown raw.
    visit.expect_problem(r"HTTP 422 GET .*/api/v1/search")
    visit.go("/search?q=%E4%BF%9D%01")
    expect(page.get_by_role("alert")).to_contain_text("输入有误，请检查后重试")
    expect(page.get_by_role("button", name="重试")).to_be_visible()

    # The same search, shared as an address, in English.
    page.get_by_role("button", name="退出登录").click()
    page.locator("#username").wait_for()
    visit.sign_in("archivist", "en")
    page.goto(shared)
    expect(page.get_by_role("heading", name=f"Results for “保證金 {code}”")).to_be_visible()
    expect(hits.first.locator(".hit-snippet mark")).to_have_text(["保证金", code])
    expect(page.locator(".search-total")).to_have_text("Documents found: 1")
    assert _facet(page, "By type") == {"Contract": "1"}
    visit.shot("search-results-en")

    # A salesperson of department B finds only their own document, counted alone, with no
    # text (no borrowing); department A's customer is not found by its name either.
    page.get_by_role("button", name="Sign out").click()
    page.locator("#username").wait_for()
    visit.sign_in("other_sales", "zh")
    page.locator("#archive-search").fill(code)
    page.get_by_role("button", name="检索档案").click()
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("担保函")
    expect(page.locator(".search-total")).to_have_text("共 1 份文件")
    assert _facet(page, "按文件类型") == {"担保人资格及担保能力证明": "1"}
    assert list(_facet(page, "按年份").values()) == ["1"]
    expect(page.locator(".hit-snippet")).to_have_count(0)
    expect(page.locator(".snippet-note")).to_be_visible()
    expect(page.get_by_text("借款合同")).to_have_count(0)
    visit.shot("search-other-department-zh")
    _search(page, ours)
    expect(page.locator(".search-empty")).to_be_visible()
    expect(hits).to_have_count(0)
    assert _facet(page, "按文件类型") == {}
