"""Every page in Chinese and in English: no raw catalogue key, no label in the other language.

The walk signs in as each kind of user and opens every page their menu leads to, in both
languages, saving a screenshot of each for the reviewer. The UI's own words (buttons, menus,
headings, column titles, labels, messages, placeholders) must be wholly in the page's language;
what people typed (names, titles) is data, marked `translate="no"` and left out. A key with no
text is logged by the app as a console error, which fails the walk as every browser test.
At tablet width (768 px) no page may need sideways scrolling (checked on the Chinese walk).
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import Company, Visit

# Words of the UI, not data: every element here must speak the page's language.
_READ_UI_WORDS = """
(language) => {
  const chrome = [
    "button", "[role=menuitem]", "[role=tab]", "th", "label", "h1", "h2", "h3", "h4", "h5",
    ".ant-card-head-title", ".ant-descriptions-item-label", ".ant-alert-title",
    ".ant-alert-description", ".ant-empty-description", ".ant-result-title",
    ".ant-result-subtitle", ".ant-statistic-title", ".ant-tag", ".ant-steps-item-title",
    ".ant-select-selection-placeholder", ".ant-upload-drag", ".ant-message-notice-content",
  ].join(",");
  const own = (el) => {
    // The element's text without what is marked as data.
    const copy = el.cloneNode(true);
    copy.querySelectorAll('[translate="no"]').forEach((data) => data.remove());
    return (copy.innerText ?? copy.textContent ?? "").trim();
  };
  const texts = [];
  for (const el of document.querySelectorAll(chrome)) {
    if (el.closest('[translate="no"]') || el.closest(".ant-segmented")) continue;
    const text = own(el);
    if (text) texts.push(text);
  }
  for (const el of document.querySelectorAll("[placeholder], [aria-label], [title]")) {
    // Icons are named by the icon library in English; they are not shown as words, and a
    // button is read out by its own label.
    if (el.closest('[translate="no"]') || el.classList.contains("anticon")) continue;
    // A table cell's title is the library's copy of the cell (data, such as a purpose).
    if (el.matches("td")) continue;
    // The number field's step buttons are named by the library in English in every locale.
    if (el.closest(".ant-input-number-action, .ant-input-number-handler")) continue;
    for (const name of ["placeholder", "aria-label", "title"]) {
      const text = el.getAttribute(name);
      // A machine name shown for the expert (an audit action such as auth:login:password) is
      // a code, not a word of either language.
      if (text && !/^[a-z_]+(:[a-z_]+)+$/.test(text)) texts.push(text);
    }
  }
  return texts;
}
"""

Pages = dict[str, list[tuple[str, str]]]

_OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"

# Names that stay as they are in either language.
_EVERY_LANGUAGE = {"English", "中文", "CSV", "XLSX", "PDF"}
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def _stray(text: str, language: str) -> bool:
    """Whether a UI text holds words of the other language."""
    if text in _EVERY_LANGUAGE:
        return False
    if language == "en":
        return _HAN.search(text) is not None
    words = _LATIN_WORD.findall(text)
    return any(len(w) >= 4 and w not in _EVERY_LANGUAGE and not w.isupper() for w in words)


def _pages(company: Company) -> Pages:
    """The pages each person opens: (name, path); made from a customer with a document."""
    customer = company.customer("语言测试有限公司")
    return {
        "sales": [("desk", "/"), ("customers", "/customers"),
                  ("customer-file", f"/customers/{customer}"), ("borrowings", "/borrowings"),
                  ("borrowing-request", f"/borrowings/new?customer={customer}"),
                  ("account", "/account"), ("search", "/search"),
                  ("search-results", "/search?q=语言测试")],
        "archivist": [("desk", "/"), ("borrowing-register", "/borrowings/register")],
        "dept_head": [("handovers", "/handovers"), ("handover-wizard", "/handovers/new")],
        "credit": [("credit", "/credit"), ("credit-customer", f"/credit/{customer}")],
        "auditor": [("audit", "/audit")],
        "admin": [("admin", "/admin")],
    }  # fmt: skip


@pytest.fixture(scope="module")
def pages(company: Company) -> Pages:
    """The walk's pages, prepared once."""
    return _pages(company)


def _open(visit: Visit, path: str) -> None:
    visit.go(path)
    visit.page.locator(".shell").wait_for()
    visit.page.wait_for_load_state("networkidle")
    visit.page.locator(".ant-spin-spinning").first.wait_for(state="detached")


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("who", ["sales", "archivist", "dept_head", "credit", "auditor", "admin"])
def test_every_page_speaks_one_language(
    visit: Visit, pages: Pages, who: str, language: str
) -> None:
    """Each page, in each language, shows only that language's words and no raw keys."""
    visit.sign_in(who, language)
    strays: list[str] = []
    wide: list[str] = []
    for name, path in pages[who]:
        _open(visit, path)
        texts = visit.page.evaluate(_READ_UI_WORDS, language)
        assert texts, f"{name}: no words of the UI found"
        strays += [f"{name}: {text!r}" for text in texts if _stray(text, language)]
        visit.shot(f"walk-{who}-{name}-{language}")
        if language == "zh" and _too_wide_for_a_tablet(visit):
            wide.append(name)
            visit.shot(f"tablet-too-wide-{who}-{name}")
    assert not strays, "\n".join(strays)
    assert wide == [], "need sideways scrolling at tablet width"


def _too_wide_for_a_tablet(visit: Visit) -> bool:
    """Whether the page, shown at 768 px, is wider than the screen (then back to 1280)."""
    visit.page.set_viewport_size({"width": 768, "height": 1024})
    visit.page.wait_for_timeout(300)  # the layout's breakpoints react to the resize
    wide = visit.page.evaluate(_OVERFLOW) > 1
    visit.page.set_viewport_size({"width": 1280, "height": 800})
    return bool(wide)
