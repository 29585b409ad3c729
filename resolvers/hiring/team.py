"""The team's work on an entry: notes (markdown, edited and deleted by their author),
the company's tags (at most ``MAX_TAGS``), and one rating per colleague (1–4 and a
recommendation). All company-only (``access``); notes and tags respect an anonymous
candidate (``privacy.refuse_identity``)."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import Company, User
from models.hiring import PipelineEntry, PipelineEntryTag, PipelineNote, PipelineRating, PipelineTag, Recommendation
from resolvers.errors import Forbidden, Problems, UserErrorCode, UserErrors
from resolvers.events import Publisher
from resolvers.hiring.access import entry_of_company, not_found, require_employer
from resolvers.hiring.events import PipelineChange, PipelineEventKind, publish_pipeline_changes
from resolvers.hiring.moves import utcnow
from resolvers.hiring.privacy import refuse_identity
from resolvers.validation import text

NOTE_MAX_LENGTH = 10_000
TAG_NAME_MAX_LENGTH = 40
MAX_TAGS = 300
MAX_TAGS_PER_ENTRY = 20


def _body(body: str) -> str:
    problems = Problems()
    body = text(problems, body, "body", "Note", maximum=NOTE_MAX_LENGTH, required=True)
    problems.raise_if_any()
    return body


async def add_note(broker: Publisher, viewer: User, entry_id: int | None, body: str) -> PipelineNote:
    company_id = require_employer(viewer)
    entry = await entry_of_company(company_id, entry_id)
    body = _body(body)
    await refuse_identity(entry, body, "body")
    note = await PipelineNote.create(entry_id=entry.pk, author_id=viewer.pk, body=body)
    await publish_pipeline_changes(broker, [PipelineChange(entry.pk, entry.role_id, PipelineEventKind.NOTED)])
    return note


async def _own_note(viewer: User, note_id: int | None) -> tuple[PipelineNote, PipelineEntry]:
    company_id = require_employer(viewer)
    note = await PipelineNote.get_or_none(id=note_id) if note_id is not None else None
    entry = await PipelineEntry.get_or_none(id=note.entry_id, company_id=company_id) if note is not None else None
    if note is None or entry is None:
        raise not_found("note", "noteId")
    if note.author_id != viewer.pk:
        raise Forbidden("Only the author edits or deletes a note.")
    return note, entry


async def edit_note(broker: Publisher, viewer: User, note_id: int | None, body: str) -> PipelineNote:
    note, entry = await _own_note(viewer, note_id)
    body = _body(body)
    await refuse_identity(entry, body, "body")
    await PipelineNote.filter(id=note.pk).update(body=body, updated_at=utcnow())
    await publish_pipeline_changes(broker, [PipelineChange(entry.pk, entry.role_id, PipelineEventKind.NOTED)])
    return await PipelineNote.get(id=note.pk)


async def delete_note(broker: Publisher, viewer: User, note_id: int | None) -> int:
    note, entry = await _own_note(viewer, note_id)
    await PipelineNote.filter(id=note.pk).delete()
    await publish_pipeline_changes(broker, [PipelineChange(entry.pk, entry.role_id, PipelineEventKind.NOTED)])
    return int(note.pk)


async def create_tag(viewer: User, name: str) -> PipelineTag:
    """A company tag; names are unique per company (case-insensitively), at most 300."""
    company_id = require_employer(viewer)
    problems = Problems()
    name = text(problems, name, "name", "Tag", maximum=TAG_NAME_MAX_LENGTH, required=True)
    problems.raise_if_any()
    try:
        async with in_transaction():
            await Company.select_for_update(no_key=True).get(id=company_id)
            if await PipelineTag.filter(company_id=company_id, name__iexact=name).exists():
                raise IntegrityError("duplicate tag")
            if await PipelineTag.filter(company_id=company_id).count() >= MAX_TAGS:
                raise UserErrors.single(UserErrorCode.TOO_MANY, f"At most {MAX_TAGS} tags per company.", ["name"])
            return await PipelineTag.create(company_id=company_id, name=name)
    except IntegrityError:
        raise UserErrors.single(UserErrorCode.DUPLICATE, "Your company already has this tag.", ["name"]) from None


async def set_tags(broker: Publisher, viewer: User, entry_id: int | None, tag_ids: list[int | None]) -> PipelineEntry:
    """Replace the entry's tags with the company's tags named (at most 20)."""
    company_id = require_employer(viewer)
    entry = await entry_of_company(company_id, entry_id)
    wanted = list(dict.fromkeys(tag_ids))
    if len(wanted) > MAX_TAGS_PER_ENTRY:
        raise UserErrors.single(UserErrorCode.TOO_MANY, f"At most {MAX_TAGS_PER_ENTRY} tags per entry.", ["tagIds"])
    tags = await PipelineTag.filter(company_id=company_id, id__in=[t for t in wanted if t is not None])
    if len(tags) != len(wanted):
        raise not_found("tag", "tagIds")
    for tag in tags:
        await refuse_identity(entry, tag.name, "tagIds")
    async with in_transaction():
        await PipelineEntryTag.filter(entry_id=entry.pk).delete()
        await PipelineEntryTag.bulk_create([PipelineEntryTag(entry_id=entry.pk, tag_id=tag.pk) for tag in tags])
    await publish_pipeline_changes(broker, [PipelineChange(entry.pk, entry.role_id, PipelineEventKind.TAGGED)])
    return entry


async def rate(broker: Publisher, viewer: User, entry_id: int | None, score: int, recommendation: Recommendation) -> PipelineRating:
    """The viewer's rating of the entry (1–4 and a recommendation), replacing theirs."""
    company_id = require_employer(viewer)
    entry = await entry_of_company(company_id, entry_id)
    if not 1 <= score <= 4:
        raise UserErrors.single(UserErrorCode.OUT_OF_RANGE, "A score is 1–4.", ["score"])
    async with in_transaction():
        rating, created = await PipelineRating.get_or_create(
            entry_id=entry.pk, author_id=viewer.pk, defaults={"score": score, "recommendation": recommendation}
        )
        if not created:
            rating.score, rating.recommendation = score, recommendation
            await rating.save(update_fields=["score", "recommendation", "updated_at"])
    await publish_pipeline_changes(broker, [PipelineChange(entry.pk, entry.role_id, PipelineEventKind.RATED)])
    return rating
