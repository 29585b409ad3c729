"""Who may see a candidate, and how much: the one place these rules live.

Every path that reaches a profile — ``profile(handle:)``, ``node``, ``Offer.candidate``,
endorsers, search edges, saved-search alerts, chat — asks ``profile_access`` (or, for a
page of rows, ``profile_access_many``). Statements that filter in SQL use the same block
rule from here: ``blocks_of`` (ORM), ``blocking_profiles_subquery`` (search) and
``blocks_company_by_column_condition`` (chat's one-statement send).

The rules (DESIGN §4):

- The owner sees everything.
- ``HIDDEN``: nobody else sees the profile.
- ``EMPLOYERS``: only signed-in employers of a verified company; ``PUBLIC``: anyone,
  signed in or not. Unverified companies never see EMPLOYERS-only profiles (search,
  reads, alerts: ``visibilities_for``), and reach only candidates who accept contact
  from any company (``Profile.accept_contact_from``, checked by chat's first contact).
- A company the candidate blocked — by company, or by email domain matched against the
  company's verified domain — sees nothing, exactly as if the profile did not exist. A
  domain block covers its subdomains: ``acme.com`` hits ``acme.com`` and
  ``jobs.acme.com``, never ``notacme.com`` (``blocking_domains``).
- Anonymous until accepted: when ``Profile.anonymous`` is set, identity (name, handle,
  photo, employer names, references, links) is hidden from everyone but the owner and
  companies whose contact request the candidate accepted.
- Reference contact details: the owner, and companies in an accepted conversation.
- ``profile(handle:)`` answers only viewers who may see the identity: looking an
  anonymous profile up by handle would link the handle to the profile.
- A candidate's name follows her profile's identity wherever she is reached (endorser,
  conversation, offer): a viewer who may not see who she is reads ``ANONYMOUS_NAME``.
  No rule applies to one's own name, to employers, or to deleted accounts
  (``identity_is_plain``); ``visibility.identities_visible`` applies the rest.
- Only candidates have profiles and write to them (``require_candidate``).
- Companies that view a profile or get reference contacts revealed are logged in the
  candidate's access log (``record_access_many``), once per company, profile and kind
  within ``ACCESS_LOG_DEDUPE``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from models.accounts import Company, Role, User
from models.chat import Conversation, ConversationStatus
from models.profiles import AccessKind, AccessLogEntry, Block, ContactPolicy, Profile, Visibility
from resolvers.errors import Forbidden, Unauthenticated


@dataclass(frozen=True)
class ProfileAccess:
    """What one viewer may see of one profile."""

    visible: bool
    owner: bool = False
    identity: bool = False  # name, handle, photo, employer names, links
    references: bool = False  # reference contact details
    accepted_contact: bool = False  # the viewer's company has an accepted conversation


NO_ACCESS = ProfileAccess(visible=False)
OWNER_ACCESS = ProfileAccess(visible=True, owner=True, identity=True, references=True)
# What the endorser of a skill sees of her own endorsement: it, not the candidate's secrets.
ENDORSER_ACCESS = ProfileAccess(visible=True)
ANONYMOUS_NAME = "Anonymous candidate"


def require_candidate(user: User | None) -> User:
    """The signed-in candidate; employers have no profile to write to."""
    if user is None:
        raise Unauthenticated()
    if not user.is_candidate:
        raise Forbidden("Only candidates have profiles.")
    return user


def identity_is_plain(viewer: User | None, person: User) -> bool:
    """No privacy rule applies to ``person``'s name: the viewer themself, an employer
    (acting for the company in their own name), a deleted account (its name is already
    erased)."""
    return (
        (viewer is not None and viewer.pk == person.pk)
        or person.role != Role.CANDIDATE
        or person.deleted_at is not None
    )


@dataclass(frozen=True)
class ViewerInfo:
    """The viewer as privacy sees it: the user, and for employers their company."""

    user: User | None
    company: Company | None = None

    @property
    def is_employer(self) -> bool:
        return self.user is not None and self.user.is_employer and self.company is not None

    @property
    def is_verified_employer(self) -> bool:
        return self.is_employer and self.company is not None and self.company.verified

    @property
    def company_domain(self) -> str | None:
        if self.company is not None and self.company.verified and self.company.domain:
            return self.company.domain.lower()
        return None


async def viewer_info(user: User | None) -> ViewerInfo:
    if user is None or user.company_id is None:
        return ViewerInfo(user=user)
    return ViewerInfo(user=user, company=await _company_by_id(user.company_id))


# Every employer's request reads its company (``viewer_info``). Tortoise rebuilds a
# QuerySet's SQL each time it is awaited, which cost about four times the statement
# (0.17 ms of a search page's CPU). The statement never changes, only the id does: it is
# built once per SQL dialect by Tortoise itself and executed by Tortoise's own executor
# (as ``resolvers.accounts.access`` reads tokens): the same indexed SELECT, the same
# model instance, read fresh every time, so nothing about the company is cached.
_COMPANY_BY_ID: dict[str, str] = {}


async def _company_by_id(company_id: int) -> Company | None:
    """``Company.get_or_none(id=company_id)``, precompiled."""
    db = Company._meta.db
    sql = _COMPANY_BY_ID.get(db.capabilities.dialect)
    if sql is None:
        template = Company.filter(id=0).using_db(db)  # by primary key: one row at most
        template._make_query()
        sql, params = template.query.get_parameterized_sql()
        assert params == [0], params  # the id is the statement's only parameter
        _COMPANY_BY_ID[db.capabilities.dialect] = sql
    rows = await db.executor_class(model=Company, db=db).execute_select(sql, [company_id])
    return rows[0] if rows else None


def blocking_domains(company: Company) -> list[str]:
    """The block domains that hit ``company``: its verified domain and every parent
    domain of it (``eu.jobs.acme.com`` → itself, ``jobs.acme.com``, ``acme.com``, ``com``),
    because a domain block covers its subdomains. Empty for an unverified company."""
    if not (company.verified and company.domain):
        return []
    labels = company.domain.lower().strip(".").split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def blocks_of(company: Company) -> Q:
    """Blocks that hit ``company``: naming it, or naming its verified email domain or a
    parent domain of it."""
    blocks = Q(company_id=company.pk)
    domains = blocking_domains(company)
    if domains:
        blocks = Q(blocks, Q(domain__in=domains), join_type="OR")
    return blocks


async def blocked_profile_ids(company: Company, profile_ids: Sequence[int]) -> set[int]:
    """Profiles among ``profile_ids`` that block ``company`` (by company or domain); one query."""
    if not profile_ids:
        return set()
    rows = await Block.filter(blocks_of(company), profile_id__in=list(set(profile_ids))).values_list("profile_id")
    return {profile_id for (profile_id,) in rows}


async def is_blocked(company: Company, profile_id: int) -> bool:
    return bool(await blocked_profile_ids(company, [profile_id]))


async def accepted_candidate_ids(company_id: int, candidate_user_ids: Sequence[int]) -> set[int]:
    """Candidates (user ids) who accepted a contact request from ``company_id``."""
    if not candidate_user_ids:
        return set()
    rows = await Conversation.filter(
        company_id=company_id,
        candidate_id__in=list(set(candidate_user_ids)),
        status=ConversationStatus.ACCEPTED,
    ).values_list("candidate_id")
    return {candidate_id for (candidate_id,) in rows}


def visibilities_for(viewer: ViewerInfo) -> tuple[Visibility, ...]:
    """The visibilities an employer may list: EMPLOYERS-only profiles for verified
    companies only."""
    if viewer.is_verified_employer:
        return (Visibility.PUBLIC, Visibility.EMPLOYERS)
    return (Visibility.PUBLIC,)


def _base_visible(viewer: ViewerInfo, profile: Profile) -> bool:
    if profile.visibility == Visibility.HIDDEN:
        return False
    if profile.visibility == Visibility.EMPLOYERS:
        return viewer.is_verified_employer
    return True  # PUBLIC


def accepts_contact_from(company: Company, profile: Profile) -> bool:
    """Does the candidate take contact requests from ``company``? Verified companies
    always; others only when she accepts contact from any company."""
    return company.verified or profile.accept_contact_from == ContactPolicy.ANY_COMPANY


async def profile_access_many(viewer: ViewerInfo, profiles: Sequence[Profile]) -> list[ProfileAccess]:
    """Access for each profile, in order, with at most three queries for the batch."""
    user = viewer.user
    results: list[ProfileAccess | None] = [None] * len(profiles)
    candidates: list[int] = []
    for i, profile in enumerate(profiles):
        if user is not None and profile.user_id == user.pk:
            results[i] = OWNER_ACCESS
        elif not _base_visible(viewer, profile):
            results[i] = NO_ACCESS
        else:
            candidates.append(i)
    if not candidates:
        return [r or NO_ACCESS for r in results]
    blocked: set[int] = set()
    accepted: set[int] = set()
    if viewer.is_employer:
        assert viewer.company is not None
        blocked = await blocked_profile_ids(viewer.company, [profiles[i].pk for i in candidates])
        accepted = await accepted_candidate_ids(
            viewer.company.pk, [profiles[i].user_id for i in candidates if profiles[i].pk not in blocked]
        )
    for i in candidates:
        profile = profiles[i]
        if profile.pk in blocked:
            results[i] = NO_ACCESS
            continue
        has_contact = profile.user_id in accepted
        results[i] = ProfileAccess(
            visible=True,
            identity=has_contact or not profile.anonymous,
            references=has_contact,
            accepted_contact=has_contact,
        )
    return [r or NO_ACCESS for r in results]


async def profile_access(viewer: ViewerInfo, profile: Profile) -> ProfileAccess:
    return (await profile_access_many(viewer, [profile]))[0]


async def company_can_reach(company: Company, candidate: User) -> bool:
    """May ``company`` find and contact ``candidate``? False for hidden profiles, for
    blocks, and for anyone who is not an active candidate. Same answer as not found."""
    if not candidate.is_candidate or candidate.deleted_at is not None:
        return False
    profile = await Profile.get_or_none(user_id=candidate.pk)
    if profile is None or profile.visibility == Visibility.HIDDEN:
        return False
    if profile.visibility == Visibility.EMPLOYERS and not company.verified:
        return False
    return not await is_blocked(company, profile.pk)


def blocks_company_by_column_condition(profile_column: str, company_id_column: str) -> str:
    """SQL true when the profile in ``profile_column`` blocks the company whose id is in
    ``company_id_column`` (by company, or by its verified domain): the rule of
    ``blocked_profile_ids`` for a statement that only knows the company's id (chat's
    one-statement send). A domain block covers subdomains: ``b.domain`` equals the
    company's domain or ends it after a dot (block domains are validated to letters,
    digits, hyphens and dots, so ``LIKE`` sees no wildcard in them). No parameters."""
    return (
        "EXISTS (SELECT 1 FROM block b JOIN company bc ON bc.id = "
        f"{company_id_column} WHERE b.profile_id = {profile_column} AND (b.company_id = bc.id "
        "OR (bc.verified AND bc.domain IS NOT NULL AND bc.domain <> '' AND b.domain IS NOT NULL"
        " AND (b.domain = LOWER(bc.domain) OR LOWER(bc.domain) LIKE '%.' || b.domain))))"
    )


def reachable_by_handle(access: ProfileAccess) -> bool:
    """``profile(handle:)`` answers only viewers who may see who the candidate is."""
    return access.visible and access.identity


def browsable_profiles(viewer: ViewerInfo) -> QuerySet[Profile]:
    """Profiles an employer may list (not HIDDEN, not blocking the company); the rows
    still pass ``profile_access_many``. Non-employers get an empty queryset."""
    if not viewer.is_employer:
        return Profile.filter(id__in=[])
    assert viewer.company is not None
    blocked = Subquery(Block.filter(blocks_of(viewer.company)).values("profile_id"))
    return Profile.filter(visibility__in=list(visibilities_for(viewer))).exclude(id__in=blocked)


ACCESS_LOG_DEDUPE = timedelta(hours=1)


@dataclass(frozen=True)
class AccessEvent:
    """A company saw something of a profile; becomes an ``AccessLogEntry``."""

    profile_id: int
    company_id: int
    viewer_id: int | None
    kind: AccessKind


async def record_access_many(events: Sequence[AccessEvent]) -> list[bool]:
    """Log each event unless the same company, profile and kind was logged within
    ``ACCESS_LOG_DEDUPE``; two statements for the batch. True where a row was written."""
    if not events:
        return []
    since = datetime.now(timezone.utc) - ACCESS_LOG_DEDUPE
    recent = set(
        await AccessLogEntry.filter(
            profile_id__in={e.profile_id for e in events},
            company_id__in={e.company_id for e in events},
            created_at__gte=since,
        ).values_list("profile_id", "company_id", "kind")
    )
    recent = {(p, c, AccessKind(k)) for p, c, k in recent}
    written: list[bool] = []
    rows: list[AccessLogEntry] = []
    for event in events:
        key = (event.profile_id, event.company_id, event.kind)
        if key in recent:
            written.append(False)
            continue
        recent.add(key)
        rows.append(
            AccessLogEntry(
                profile_id=event.profile_id, company_id=event.company_id, viewer_id=event.viewer_id, kind=event.kind
            )
        )
        written.append(True)
    if rows:
        await AccessLogEntry.bulk_create(rows)
    return written


def access_event(viewer: ViewerInfo, profile: Profile, access: ProfileAccess, kind: AccessKind) -> AccessEvent | None:
    """The log event for an employer seeing ``profile``; None for owners and non-employers."""
    if access.owner or not access.visible or not viewer.is_employer:
        return None
    assert viewer.company is not None and viewer.user is not None
    return AccessEvent(profile.pk, viewer.company.pk, viewer.user.pk, kind)


def blocking_profiles_subquery(company: Company | None, placeholder: Callable[[object], str]) -> str | None:
    """A ``SELECT profile_id`` of every profile that blocks ``company`` (by company, or by
    its verified domain or a parent domain of it), for ``p.id NOT IN (...)``: evaluated once per query instead of once
    per row, which matters when a search scans thousands of profiles. ``placeholder``
    adds a parameter and returns its marker (``?`` or ``$n``); None without a company."""
    if company is None:
        return None
    condition = f"b.company_id = {placeholder(company.pk)}"
    domains = blocking_domains(company)
    if domains:
        condition += f" OR b.domain IN ({', '.join(placeholder(d) for d in domains)})"
    return f"SELECT b.profile_id FROM block b WHERE {condition}"


def accepted_contact_join(company: Company | None, placeholder: Callable[[object], str]) -> str | None:
    """A ``LEFT JOIN conversation ac`` that finds, for an anonymous profile row ``p``,
    the conversation ``company`` has with her if she accepted it: the lookup of
    ``accepted_candidate_ids`` done inside a search's page statement, so the page costs
    one round trip less. At most one row joins (one conversation per company and
    candidate). ``ac.id`` is not null exactly when the contact is accepted; it is null
    for profiles that are not anonymous, for which identity does not depend on it.
    ``placeholder`` adds a parameter and returns its marker; None without a company."""
    if company is None:
        return None
    return (
        f" LEFT JOIN conversation ac ON ac.company_id = {placeholder(company.pk)}"
        f" AND ac.candidate_id = p.user_id AND ac.status = {placeholder(ConversationStatus.ACCEPTED.value)}"
        " AND p.anonymous"
    )


def search_hits_access(viewer: ViewerInfo, profiles: Sequence[Profile], accepted_user_ids: set[int]) -> list[ProfileAccess]:
    """``profile_access_many`` for rows a search already filtered with
    ``blocking_profiles_subquery`` and the searchable visibilities in the same statement:
    visibility is re-checked here, blocks are not queried again, and
    ``accepted_user_ids`` are the candidates (user ids) the same statement found an
    accepted contact with the viewer's company for (``accepted_contact_join``): it is
    consulted only for anonymous profiles of an employer's search (the one thing
    identity depends on). References are never part of a search hit."""
    results: list[ProfileAccess] = []
    # the viewer's side of the rules, worked out once for the page (``_base_visible``)
    own_id = viewer.user.pk if viewer.user is not None else None
    visible = {Visibility.HIDDEN: False, Visibility.EMPLOYERS: viewer.is_verified_employer}  # PUBLIC: yes
    employer = viewer.is_employer
    for profile in profiles:
        if own_id is not None and profile.user_id == own_id:
            results.append(OWNER_ACCESS)
        elif not visible.get(profile.visibility, True):
            results.append(NO_ACCESS)
        else:
            contact = profile.anonymous and employer and profile.user_id in accepted_user_ids
            results.append(ProfileAccess(visible=True, identity=contact or not profile.anonymous, accepted_contact=contact))
    return results
