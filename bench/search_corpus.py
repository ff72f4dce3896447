"""Chinese documents for the search benchmarks: real report text, and contracts and letters.

Running text comes from the two committed annual reports (tests/data/statements): their text
layers cut into sentences, so word frequencies are those of real Chinese business writing.
Contracts, collection letters and bank references are made from templates with company names,
contract numbers and amounts drawn at random, so which document holds which words is known.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
REPORTS = tuple(
    ROOT / "tests" / "data" / "statements" / name
    for name in ("cn_a_moutai_2021_annual.pdf", "cn_a_shenzhen_energy_2016_annual.pdf")
)
_SENTENCE_END = re.compile(r"[。；！？\n]+")
_HAN = re.compile("[\u4e00-\u9fff]")
PLACES = (
    "北京",
    "上海",
    "深圳",
    "广州",
    "贵州",
    "四川",
    "江苏",
    "浙江",
    "湖南",
    "湖北",
    "河南",
    "山东",
    "福建",
    "安徽",
    "重庆",
    "天津",
    "云南",
    "陕西",
)
BRANDS = (
    "华信",
    "宏达",
    "鑫源",
    "恒通",
    "金桥",
    "瑞丰",
    "永盛",
    "天成",
    "中诚",
    "博远",
    "嘉和",
    "同创",
    "汇丰",
    "盛世",
    "新锐",
    "德力",
)
TRADES = (
    "电子",
    "机械",
    "化工",
    "建材",
    "食品",
    "医药",
    "物流",
    "纺织",
    "能源",
    "电气",
    "酒业",
    "贸易",
    "科技",
    "材料",
    "包装",
    "汽车配件",
)
FORMS = ("有限公司", "股份有限公司", "有限责任公司", "集团有限公司")
GOODS = (
    "电子元器件",
    "钢材",
    "水泥",
    "包装材料",
    "白酒",
    "电缆",
    "化工原料",
    "纺织面料",
    "医疗器械",
    "汽车零部件",
)
BANKS = (
    "中国工商银行",
    "中国建设银行",
    "中国农业银行",
    "中国银行",
    "交通银行",
    "招商银行",
    "兴业银行",
)


@dataclass(frozen=True)
class Made:
    """A document made for the benchmarks: its metadata, its text, and what it is about."""

    doc_type: str
    title: str
    pieces: tuple[str, ...]  # sentences and clauses; the text is all of them in order
    issued_on: date
    contract_no: str | None = None
    counterparty: str | None = None
    amount: Decimal | None = None
    topics: frozenset[str] = field(default_factory=frozenset)

    @property
    def text(self) -> str:
        """The document's text."""
        return "".join(self.pieces)


@cache
def sentences() -> tuple[str, ...]:
    """Sentences of real Chinese prose from the committed annual reports."""
    found: list[str] = []
    for path in REPORTS:
        pdf = pdfium.PdfDocument(path)
        try:
            for page in pdf:
                text = page.get_textpage().get_text_range()
                found.extend(
                    s.strip() + "。" for s in _SENTENCE_END.split(text) if len(_HAN.findall(s)) >= 8
                )
        finally:
            pdf.close()
    return tuple(found)


def report_pages() -> list[tuple[str, int, str]]:
    """Every page of the committed annual reports: file name, page number, text layer."""
    pages = []
    for path in REPORTS:
        pdf = pdfium.PdfDocument(path)
        try:
            for number, page in enumerate(pdf, start=1):
                pages.append((path.name, number, page.get_textpage().get_text_range()))
        finally:
            pdf.close()
    return pages


def company(rng: random.Random) -> str:
    """A plausible company name (地名 + 字号 + 行业 + 组织形式)."""
    return rng.choice(PLACES) + rng.choice(BRANDS) + rng.choice(TRADES) + rng.choice(FORMS)


def prose(rng: random.Random, chars: int) -> list[str]:
    """Real report sentences, drawn at random, about `chars` characters of them."""
    pool, out, size = sentences(), [], 0
    while size < chars:
        sentence = rng.choice(pool)
        out.append(sentence)
        size += len(sentence)
    return out


def contract(rng: random.Random, seller: str, buyer: str, number: str, day: date) -> Made:
    """A sales contract; with a deposit clause, a late-payment clause, or both."""
    goods, amount = rng.choice(GOODS), Decimal(rng.randrange(50_000, 50_000_000)) / 100
    topics = {"保证金"} if rng.random() < 0.4 else set()
    if rng.random() < 0.5:
        topics.add("违约金")
    clauses = [
        f"购销合同。合同编号：{number}。甲方（买方）：{buyer}。乙方（卖方）：{seller}。",
        f"甲乙双方经友好协商，就甲方向乙方采购{goods}事宜达成如下协议。",
        f"合同总金额为人民币{amount:,.2f}元（含税），签订日期为{day:%Y年%m月%d日}。",
        f"乙方应于收到订单后{rng.randrange(5, 60)}日内交货，货到验收合格后甲方按约定付款。",
    ]
    if "保证金" in topics:
        clauses.append(
            f"甲方应于合同签订后七日内向乙方支付履约保证金人民币{amount / 10:,.2f}元，"
            "合同履行完毕后无息退还。"
        )
    if "违约金" in topics:
        clauses.append(
            f"甲方逾期付款的，每逾期一日按未付金额的万分之{rng.randrange(3, 10)}向乙方支付违约金。"
        )
    clauses.extend(prose(rng, rng.randrange(200, 1500)))
    clauses.append("本合同一式两份，双方各执一份，自双方签字盖章之日起生效。")
    return Made(
        "contract", f"{goods}购销合同 {number}", tuple(clauses), day, number, buyer, amount,
        frozenset(topics),
    )  # fmt: skip


def collection_letter(rng: random.Random, seller: str, debtor: str, number: str, day: date) -> Made:
    """A letter asking an overdue customer to pay."""
    owed, days = Decimal(rng.randrange(10_000, 5_000_000)) / 100, rng.randrange(15, 400)
    letter = (
        f"催款函。致{debtor}：根据双方签订的合同（编号：{number}），截至{day:%Y年%m月%d日}，"
        f"贵司尚欠我司货款人民币{owed:,.2f}元，已逾期{days}天。请贵司于接函后十日内付清欠款，"
        f"否则我司将依法追究贵司的违约责任，并暂停供货。{seller}财务部。"
    )
    return Made(
        "collection_letter", f"催款函 {debtor}", (letter, *prose(rng, rng.randrange(100, 600))),
        day, number, debtor, owed, frozenset({"逾期", "催款"}),
    )  # fmt: skip


def bank_reference(rng: random.Random, customer: str, day: date) -> Made:
    """A bank's reference letter for a customer."""
    bank = rng.choice(BANKS)
    letter = (
        f"资信证明书。兹证明{customer}在我行开立基本存款账户，截至{day:%Y年%m月%d日}，"
        f"该单位在我行信用记录良好，无不良贷款记录。{bank}{rng.choice(PLACES)}分行。"
    )
    return Made(
        "bank_reference", f"{bank}资信证明", (letter, *prose(rng, rng.randrange(100, 400))),
        day, None, bank, None, frozenset({"资信证明"}),
    )  # fmt: skip


def report_extract(rng: random.Random, customer: str, day: date) -> Made:
    """A long report-like document of real prose (statement notes, an annual review)."""
    heading = f"{customer}{day.year}年度报告摘要。"
    kind = rng.choice(("financial_statement", "annual_review", "credit_survey", "correspondence"))
    pieces = (heading, *prose(rng, rng.randrange(300, 3000)))
    return Made(kind, f"{customer} {day.year} 年度资料", pieces, day)


def documents_of(
    rng: random.Random, customer: str, seller: str, count: int, prefix: str
) -> list[Made]:
    """`count` documents of one customer's file, a realistic mix of kinds."""
    made = []
    for index in range(count):
        day = date(2015, 1, 1) + timedelta(days=rng.randrange(0, 4300))
        number = f"{prefix}-{day.year}-{index + 1:04d}"
        roll = rng.random()
        if roll < 0.35:
            made.append(contract(rng, seller, customer, number, day))
        elif roll < 0.5:
            made.append(collection_letter(rng, seller, customer, number, day))
        elif roll < 0.6:
            made.append(bank_reference(rng, customer, day))
        else:
            made.append(report_extract(rng, customer, day))
    return made
