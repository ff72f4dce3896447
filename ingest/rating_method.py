"""The method of a rating: its reference table and scoring method, refusals, and every choice
it used with its source."""

from __future__ import annotations

from ingest.credit_schemas import CreditPolicy, RatingPolicy, ReferenceTable
from ingest.errors import InvalidField
from ingest.method_schemas import Bilingual, Choice, ScoringMethod
from ingest.rating_schemas import CreditWarning, RatingRequest

UNSTATED = Bilingual(zh="策略文件未说明来源", en="not stated in the policy")


class InvalidCreditPolicy(ValueError):
    """A credit policy or tables file cannot be used; the message names the file and the problem."""


def _table_for(name: str, policy: CreditPolicy) -> tuple[str, ReferenceTable] | None:
    # A table by its name or by an industry it is for; a refused industry is refused.
    wanted = name.strip().casefold()
    for refused, why in policy.refused_tables.items():
        if wanted == refused.casefold():
            # The web UI says it in the reader's language by the reason; the detail is English.
            raise InvalidField(f"no rating against {name!r}: {why.en}", reason="industry_refused")
    for table_name, table in policy.tables.items():
        if wanted in {table_name.casefold(), *(i.casefold() for i in table.industries)}:
            return table_name, table
    return None


def chosen_table(request: RatingRequest, policy: CreditPolicy) -> tuple[str, ReferenceTable]:
    """The table named, else the one for the customer's industry, else the default; a refused
    industry or an unknown table name is refused."""
    if request.table is not None:
        found = _table_for(request.table, policy)
        if found is None:
            raise InvalidField(f"no credit reference table named {request.table!r}")
        return found
    if request.industry is not None:
        found = _table_for(request.industry, policy)
        if found is not None:
            return found
    return policy.default_table, policy.tables[policy.default_table]


def chosen_method(request: RatingRequest, rules: RatingPolicy) -> tuple[str, ScoringMethod]:
    """The scoring method named, or the policy's."""
    name = request.method or rules.method
    if name is None or rules.coverage is None:
        raise InvalidCreditPolicy("the credit policy names no scoring method or coverage rules")
    method = rules.methods.get(name)
    if method is None:
        raise InvalidField(f"no scoring method named {name!r}")
    return name, method


def how_chosen(request: RatingRequest, policy: CreditPolicy) -> Bilingual:
    """How the reference table was chosen: named, by the customer's industry, or by default."""
    table, industry = request.table, request.industry
    if table is not None:
        return Bilingual(zh=f"由信用经理选定：{table}", en=f"chosen by the credit manager: {table}")
    if industry is not None and _table_for(industry, policy) is not None:
        return Bilingual(
            zh=f"按客户所属行业选定：{industry}",
            en=f"chosen by the customer's industry: {industry}",
        )
    if industry is not None:
        return Bilingual(
            zh=f"默认表：没有适用于客户所属行业 {industry} 的参照表",
            en=f"the default: no table is for the customer's industry {industry}",
        )
    return Bilingual(
        zh="默认表：客户未登记行业", en="the default: the customer has no industry on file"
    )


def refuse_mixed_scope(request: RatingRequest) -> None:
    """Refuse figures of another scope than the rating's."""
    # Figures of another scope would mix, say, parent receivables into group turnover.
    scopes = {s.scope for year in request.sources.values() for s in year.values()}
    if request.scope is not None and scopes - {request.scope}:
        raise InvalidField(f"figures of {sorted(scopes)} given for a {request.scope} rating")


def table_warnings(
    request: RatingRequest, policy: CreditPolicy, table: ReferenceTable
) -> list[CreditWarning]:
    """Warnings on how the customer is rated: a default or example table."""
    warnings = []
    by_industry = request.industry is not None and _table_for(request.industry, policy) is not None
    if request.table is None and request.industry is None:
        warnings.append(
            CreditWarning(
                code="default_table",
                message_zh=f"客户未登记行业，也未选择行业参照表，按默认的{table.title.zh}评分",
                message_en="The customer has no industry on file and no table was chosen: "
                f"scored against the default, {table.title.en}",
                figures={},
            )
        )
    elif request.table is None and not by_industry:
        warnings.append(
            CreditWarning(
                code="default_table",
                message_zh=f"客户所属行业 {request.industry} 没有参照表，"
                f"按默认的{table.title.zh}评分",
                message_en=f"No table is for the customer's industry {request.industry!r}: "
                f"scored against the default, {table.title.en}",
                figures={},
            )
        )
    if table.example:
        warnings.append(
            CreditWarning(
                code="example_table",
                message_zh=f"参照表“{table.title.zh}”为示例，应以委员会确定的数值替换",
                message_en=f"The table {table.title.en} is an example to replace with the "
                "committee's",
                figures={},
            )
        )
    return warnings


def choices_used(
    rules: RatingPolicy,
    method: str,
    table: str,
    source: Bilingual | None,
    how: Bilingual | None = None,
) -> list[Choice]:
    """Every choice the rating used, its value, source and whether the seeds give it; `how`
    says how the table was chosen."""
    grades = rules.grades
    values = {
        "method": method,
        "quantitative_weight": f"{rules.quantitative_weight} / {rules.qualitative_weight}",
        "indicator_weights": ", ".join(f"{i}={w}" for i, w in rules.indicator_weights.items())
        or "all 1",
        "grade_names": ", ".join(grades),
        "top_grade_bound": str(max(g.min_score for g in grades.values())),
        "lower_grade_bounds": ", ".join(f"{n} {g.min_score}" for n, g in grades.items()),
        "risk_coefficients": ", ".join(f"{n} {g.risk_coefficient}" for n, g in grades.items()),
        "review_months": ", ".join(f"{n} {g.review_months}" for n, g in grades.items()),
        "order_window_days": str(rules.order_window_days),
    }
    if rules.coverage is not None:
        values["required_statements"] = ", ".join(rules.coverage.required_statements)
        values["required_indicators"] = ", ".join(rules.coverage.required_indicators)
        values["grade_cap"] = (
            f"{rules.coverage.capped_grade} below {rules.coverage.history_years} years"
        )
    if rules.rules is not None and rules.rules.warning_limits:
        values["warning_limits"] = ", ".join(
            f"{code} {share}" for code, share in rules.rules.warning_limits.items()
        )
    values["reference_table"] = table
    chosen = []
    for name, value in values.items():
        given = rules.choices.get(name)
        origin = given.source if given else UNSTATED
        if name == "reference_table" and source:
            origin = source
            if how is not None:
                origin = Bilingual(zh=f"{source.zh}；{how.zh}", en=f"{source.en}; {how.en}")
        seed = bool(given and given.seed)
        chosen.append(Choice(name=name, value=value, source=origin, seed=seed))
    return chosen
