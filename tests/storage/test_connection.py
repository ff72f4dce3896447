"""How Dangan's PostgreSQL connections are set up for the archive's skewed data."""

from __future__ import annotations

from sqlalchemy import text

from storage.db import make_engine


def test_statements_are_planned_for_their_own_values_and_never_jit_compiled(
    postgres_url: str,
) -> None:
    # A statement the driver has prepared keeps being planned for the department and words it
    # is run with; a generic plan made a two-word search a third slower at a million documents.
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as connection:
            setting = connection.execute(text("SHOW plan_cache_mode")).scalar_one()
            jit = connection.execute(text("SHOW jit")).scalar_one()
    finally:
        engine.dispose()
    assert (setting, jit) == ("force_custom_plan", "off")
