"""Open early warnings reach the allowed credit (赊销额度): the policy names, per warning, the
share of the allowed credit kept while it is open, 0 freezing it.

Invariants: only the warnings about the customer count, not those about the rating's own terms;
the strictest open warning's share applies, so a further warning never raises the allowed
credit; the credit limit (信用限额) is left as computed, the cut is on the allowed credit only,
and the rating carries a warning naming the warnings that cut it.
"""

from __future__ import annotations

from decimal import Decimal

from ingest.credit import PLACES, rounded
from ingest.credit_schemas import Unit
from ingest.credit_terms_schemas import CreditRules, WarningCut
from ingest.rating_schemas import CreditLimit, CreditWarning


def restricted(
    limit: CreditLimit | None, warnings: list[CreditWarning], rules: CreditRules | None
) -> CreditLimit | None:
    """`limit` with its allowed credit cut by the open warnings the policy names."""
    if limit is None or limit.allowed is None or rules is None:
        return limit
    shares = {
        w.code: rules.warning_limits[w.code] for w in warnings if w.code in rules.warning_limits
    }
    if not shares:
        return limit
    share = min(shares.values())
    cut = WarningCut(
        warnings=sorted(shares), share=share, frozen=share == 0, allowed_before=limit.allowed
    )
    allowed = rounded(limit.allowed * share, PLACES[Unit.yuan])
    return limit.model_copy(update={"allowed": allowed, "warning_cut": cut})


def cut_warning(limit: CreditLimit | None, warnings: list[CreditWarning]) -> list[CreditWarning]:
    """A warning saying the allowed credit was cut or frozen, and by which warnings."""
    cut = limit.warning_cut if limit else None
    if limit is None or cut is None or limit.allowed is None:
        return []
    named = [w for w in warnings if w.code in cut.warnings]
    why_zh = "；".join(w.message_zh for w in named)
    why_en = "; ".join(w.message_en for w in named)
    figures: dict[str, Decimal] = {
        "allowed_credit_before": cut.allowed_before,
        "share_kept": cut.share,
        "allowed_credit": limit.allowed,
    }
    if cut.frozen:
        return [
            CreditWarning(
                code="allowed_credit_frozen",
                message_zh=f"存在预警，赊销额度冻结为 0：{why_zh}",
                message_en=f"Open warnings freeze the allowed credit at 0: {why_en}",
                figures=figures,
            )
        ]
    percent = rounded(cut.share * 100, 0)
    return [
        CreditWarning(
            code="allowed_credit_reduced",
            message_zh=f"存在预警，赊销额度按 {percent}% 核定：{why_zh}",
            message_en=f"Open warnings cut the allowed credit to {percent}%: {why_en}",
            figures=figures,
        )
    ]
