"""The full-text index behind ``searchCandidates``, kept in step by database triggers.

One search document per profile: headline, skills, summary, experience (titles and
descriptions) and career goals. Triggers on ``profile``, ``skill`` and ``experience``
rebuild a profile's document inside the same transaction as the write, so every writer
(the ORM, the seeder, the profiles API, a manual SQL fix) keeps the index fresh.

- SQLite: ``profile_search`` is an FTS5 table (rowid = profile id, porter stemming)
  and ``profile_search_vocab`` its fts5vocab view (document frequencies, used to
  estimate how many profiles a query matches before ranking them).
- PostgreSQL: ``profile_search`` holds the same columns plus a weighted ``tsvector``
  (headline and skills A, summary B, experience and goals C) with a GIN index.

Triggers need ``atomic = False`` on SQLite (Tortoise splits atomic SQL on semicolons).
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

# --- SQLite --------------------------------------------------------------------------

SQLITE_DOCUMENT = """
SELECT p.id, p.headline,
       COALESCE((SELECT group_concat(s.name, ' ') FROM skill s WHERE s.profile_id = p.id), ''),
       p.summary,
       COALESCE((SELECT group_concat(e.title || ' ' || e.description, ' ')
                 FROM experience e WHERE e.profile_id = p.id), ''),
       p.career_goals
FROM profile p WHERE p.id = {profile_id}
"""


def _sqlite_refresh(profile_id: str) -> str:
    return (
        f"DELETE FROM profile_search WHERE rowid = {profile_id};\n"
        "INSERT INTO profile_search(rowid, headline, skills, summary, experience, goals)"
        + SQLITE_DOCUMENT.format(profile_id=profile_id)
        + ";"
    )


# Index every existing profile at once (the migration, and bulk loaders that drop the
# triggers while they load).
SQLITE_REBUILD = (
    "INSERT INTO profile_search(rowid, headline, skills, summary, experience, goals)"
    + SQLITE_DOCUMENT.format(profile_id="p.id").replace("WHERE p.id = p.id", "")
)

SQLITE_FORWARD = f"""
CREATE VIRTUAL TABLE profile_search USING fts5(
    headline, skills, summary, experience, goals,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE profile_search_vocab USING fts5vocab(profile_search, 'row');

CREATE TRIGGER profile_search_profile_insert AFTER INSERT ON profile BEGIN
{_sqlite_refresh("NEW.id")}
END;
CREATE TRIGGER profile_search_profile_update AFTER UPDATE OF headline, summary, career_goals ON profile
WHEN OLD.headline IS NOT NEW.headline OR OLD.summary IS NOT NEW.summary
     OR OLD.career_goals IS NOT NEW.career_goals BEGIN
{_sqlite_refresh("NEW.id")}
END;
CREATE TRIGGER profile_search_profile_delete AFTER DELETE ON profile BEGIN
DELETE FROM profile_search WHERE rowid = OLD.id;
END;

CREATE TRIGGER profile_search_skill_insert AFTER INSERT ON skill BEGIN
{_sqlite_refresh("NEW.profile_id")}
END;
CREATE TRIGGER profile_search_skill_update AFTER UPDATE OF name, profile_id ON skill
WHEN OLD.name IS NOT NEW.name OR OLD.profile_id IS NOT NEW.profile_id BEGIN
{_sqlite_refresh("OLD.profile_id")}
{_sqlite_refresh("NEW.profile_id")}
END;
CREATE TRIGGER profile_search_skill_delete AFTER DELETE ON skill BEGIN
{_sqlite_refresh("OLD.profile_id")}
END;

CREATE TRIGGER profile_search_experience_insert AFTER INSERT ON experience BEGIN
{_sqlite_refresh("NEW.profile_id")}
END;
CREATE TRIGGER profile_search_experience_update AFTER UPDATE OF title, description, profile_id ON experience
WHEN OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description
     OR OLD.profile_id IS NOT NEW.profile_id BEGIN
{_sqlite_refresh("OLD.profile_id")}
{_sqlite_refresh("NEW.profile_id")}
END;
CREATE TRIGGER profile_search_experience_delete AFTER DELETE ON experience BEGIN
{_sqlite_refresh("OLD.profile_id")}
END;

{SQLITE_REBUILD};
"""

SQLITE_BACKWARD = """
DROP TRIGGER IF EXISTS profile_search_profile_insert;
DROP TRIGGER IF EXISTS profile_search_profile_update;
DROP TRIGGER IF EXISTS profile_search_profile_delete;
DROP TRIGGER IF EXISTS profile_search_skill_insert;
DROP TRIGGER IF EXISTS profile_search_skill_update;
DROP TRIGGER IF EXISTS profile_search_skill_delete;
DROP TRIGGER IF EXISTS profile_search_experience_insert;
DROP TRIGGER IF EXISTS profile_search_experience_update;
DROP TRIGGER IF EXISTS profile_search_experience_delete;
DROP TABLE IF EXISTS profile_search_vocab;
DROP TABLE IF EXISTS profile_search;
"""

# --- PostgreSQL ----------------------------------------------------------------------

# Index every existing profile in one set-based statement (the migration, and bulk
# loaders that disable the triggers while they load): the same document as
# ``profile_search_refresh`` builds for one profile, with skills and experience
# aggregated once per table instead of two subqueries per profile.
POSTGRES_REBUILD = """
INSERT INTO profile_search (profile_id, headline, skills, summary, experience, goals, document)
SELECT d.id, d.headline, d.skills, d.summary, d.experience, d.goals,
       setweight(to_tsvector('english', d.headline), 'A')
       || setweight(to_tsvector('english', d.skills), 'A')
       || setweight(to_tsvector('english', d.summary), 'B')
       || setweight(to_tsvector('english', d.experience), 'C')
       || setweight(to_tsvector('english', d.goals), 'C')
FROM (
    SELECT p.id, p.headline, p.summary, p.career_goals AS goals,
           COALESCE(s.skills, '') AS skills, COALESCE(e.experience, '') AS experience
    FROM profile p
    LEFT JOIN (SELECT profile_id, string_agg(name, ' ' ORDER BY id) AS skills
               FROM skill GROUP BY profile_id) s ON s.profile_id = p.id
    LEFT JOIN (SELECT profile_id, string_agg(title || ' ' || description, ' ' ORDER BY id) AS experience
               FROM experience GROUP BY profile_id) e ON e.profile_id = p.id
) d
ON CONFLICT (profile_id) DO UPDATE SET
    headline = EXCLUDED.headline, skills = EXCLUDED.skills, summary = EXCLUDED.summary,
    experience = EXCLUDED.experience, goals = EXCLUDED.goals, document = EXCLUDED.document
"""

POSTGRES_FORWARD = f"""
CREATE TABLE profile_search (
    profile_id BIGINT PRIMARY KEY REFERENCES profile (id) ON DELETE CASCADE,
    headline TEXT NOT NULL DEFAULT '',
    skills TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    experience TEXT NOT NULL DEFAULT '',
    goals TEXT NOT NULL DEFAULT '',
    document TSVECTOR NOT NULL
);
CREATE INDEX profile_search_document_idx ON profile_search USING GIN (document);
-- Skill names are long-tailed: with the default 100 most-common values a rare skill
-- (cobol in 0.1% of profiles) is estimated like an average one (~30x too many rows), and
-- "rare skill, newest first" walked profiles by updated_at instead of starting from the
-- skill index (136 ms instead of 0.5 ms at 100k profiles).
ALTER TABLE skill ALTER COLUMN normalized_name SET STATISTICS 1000;

CREATE FUNCTION profile_search_refresh(target BIGINT) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO profile_search (profile_id, headline, skills, summary, experience, goals, document)
    SELECT d.id, d.headline, d.skills, d.summary, d.experience, d.goals,
           setweight(to_tsvector('english', d.headline), 'A')
           || setweight(to_tsvector('english', d.skills), 'A')
           || setweight(to_tsvector('english', d.summary), 'B')
           || setweight(to_tsvector('english', d.experience), 'C')
           || setweight(to_tsvector('english', d.goals), 'C')
    FROM (
        SELECT p.id, p.headline, p.summary, p.career_goals AS goals,
               COALESCE((SELECT string_agg(s.name, ' ' ORDER BY s.id) FROM skill s
                         WHERE s.profile_id = p.id), '') AS skills,
               COALESCE((SELECT string_agg(e.title || ' ' || e.description, ' ' ORDER BY e.id)
                         FROM experience e WHERE e.profile_id = p.id), '') AS experience
        FROM profile p WHERE p.id = target
    ) d
    ON CONFLICT (profile_id) DO UPDATE SET
        headline = EXCLUDED.headline, skills = EXCLUDED.skills, summary = EXCLUDED.summary,
        experience = EXCLUDED.experience, goals = EXCLUDED.goals, document = EXCLUDED.document;
END;
$$;

CREATE FUNCTION profile_search_on_profile() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR OLD.headline IS DISTINCT FROM NEW.headline
       OR OLD.summary IS DISTINCT FROM NEW.summary
       OR OLD.career_goals IS DISTINCT FROM NEW.career_goals THEN
        PERFORM profile_search_refresh(NEW.id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION profile_search_on_part() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM profile_search_refresh(OLD.profile_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.profile_id IS DISTINCT FROM OLD.profile_id) THEN
        PERFORM profile_search_refresh(NEW.profile_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER profile_search_profile AFTER INSERT OR UPDATE ON profile
    FOR EACH ROW EXECUTE FUNCTION profile_search_on_profile();
CREATE TRIGGER profile_search_skill AFTER INSERT OR UPDATE OR DELETE ON skill
    FOR EACH ROW EXECUTE FUNCTION profile_search_on_part();
CREATE TRIGGER profile_search_experience AFTER INSERT OR UPDATE OR DELETE ON experience
    FOR EACH ROW EXECUTE FUNCTION profile_search_on_part();

{POSTGRES_REBUILD};
"""

POSTGRES_BACKWARD = """
ALTER TABLE skill ALTER COLUMN normalized_name SET STATISTICS -1;
DROP TRIGGER IF EXISTS profile_search_profile ON profile;
DROP TRIGGER IF EXISTS profile_search_skill ON skill;
DROP TRIGGER IF EXISTS profile_search_experience ON experience;
DROP FUNCTION IF EXISTS profile_search_on_part();
DROP FUNCTION IF EXISTS profile_search_on_profile();
DROP FUNCTION IF EXISTS profile_search_refresh(BIGINT);
DROP TABLE IF EXISTS profile_search;
"""


def _script(forward: bool):
    async def run(apps, schema_editor) -> None:
        dialect = schema_editor.client.capabilities.dialect
        if dialect == "sqlite":
            sql = SQLITE_FORWARD if forward else SQLITE_BACKWARD
        elif dialect == "postgres":
            sql = POSTGRES_FORWARD if forward else POSTGRES_BACKWARD
        else:
            raise RuntimeError(f"search index: unsupported database dialect {dialect!r}")
        await schema_editor.client.execute_script(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]
    atomic = False

    operations = [ops.RunPython(_script(True), _script(False))]
