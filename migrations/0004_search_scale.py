"""Search at a million profiles (issue 18): a partial covering index of searchable profiles.

PostgreSQL: ``profile_searchable_idx`` holds only the profiles default search can return
(visibility PUBLIC or EMPLOYERS, open to work ACTIVELY_LOOKING or OPEN: ~65% of rows),
keyed by the filter columns (country, remote preference, years) and carrying every other
column the filters, freshness, facets and the bounded count read. Searches then read
profiles with an index-only scan instead of the 370 MB heap: at 1M profiles "countries
US, GB + minYears 5" went from a bitmap heap scan of 133k rows (9,666 heap blocks) to an
index-only scan with no heap fetches, and the text searches drive their nested loop from
it (docs/search-plans.md has the EXPLAINs). Search statements run with
``plan_cache_mode=force_custom_plan`` (graph/database.py), so the planner sees the status
and visibility values and can prove the index predicate.

SQLite: nothing. SQLite can use a partial index only when the query's WHERE repeats the
index's terms with the same literals; search binds them as parameters (``?``), so a
partial index would never be chosen, and a full covering index would double the size
of ``profile`` for a gain we did not measure.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

POSTGRES_FORWARD = """
CREATE INDEX IF NOT EXISTS profile_searchable_idx
    ON profile (country_code, remote_preference, years_of_experience)
    INCLUDE (id, open_to_work, availability_confirmed_at, created_at, updated_at)
    WHERE visibility IN ('PUBLIC', 'EMPLOYERS') AND open_to_work IN ('ACTIVELY_LOOKING', 'OPEN')
"""

POSTGRES_BACKWARD = "DROP INDEX IF EXISTS profile_searchable_idx"


def _script(forward: bool):
    async def run(apps, schema_editor) -> None:
        dialect = schema_editor.client.capabilities.dialect
        if dialect == "sqlite":
            return
        if dialect != "postgres":
            raise RuntimeError(f"search scale: unsupported database dialect {dialect!r}")
        await schema_editor.client.execute_script(POSTGRES_FORWARD if forward else POSTGRES_BACKWARD)

    return run


class Migration(migrations.Migration):
    dependencies = [("models", "0003_offer_status_closed")]
    atomic = False

    operations = [ops.RunPython(_script(True), _script(False))]
