"""Email domains: which ones can stand for an employer, and how a domain relates to its
parents.

A company is verified by a member's confirmed email at its domain (``companies``), and
only a domain that belongs to one organisation can do that: the free-mail and disposable
providers listed in ``resolvers/data/free_mail_domains.txt`` and
``resolvers/data/disposable_mail_domains.txt`` never do. A listed domain covers its
subdomains (``eu.mail.yahoo.com`` is Yahoo's), like a block by domain does.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent.parent / "data"


def _read_list(name: str) -> frozenset[str]:
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.lstrip().startswith("#"))


@cache
def free_mail_domains() -> frozenset[str]:
    """Webmail providers where anyone can open an address."""
    return _read_list("free_mail_domains.txt")


@cache
def disposable_mail_domains() -> frozenset[str]:
    """Throwaway mail services."""
    return _read_list("disposable_mail_domains.txt")


def domain_of(email: str) -> str:
    """The lower-case domain of a (normalised) email address."""
    return email.rsplit("@", 1)[1].lower().strip(".")


def parent_domains(domain: str) -> list[str]:
    """``domain`` and every parent of it that has a dot, nearest first:
    ``eu.jobs.acme.com`` → itself, ``jobs.acme.com``, ``acme.com``."""
    labels = domain.lower().strip(".").split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def is_personal_mail_domain(domain: str) -> bool:
    """Is ``domain`` (or a parent of it) a free-mail or disposable provider?"""
    listed = free_mail_domains() | disposable_mail_domains()
    return any(candidate in listed for candidate in parent_domains(domain))


def can_verify_company(domain: str) -> bool:
    """May a confirmed email at ``domain`` verify a company? Only an organisation's own
    domain: not a free-mail or disposable provider, and at least ``name.tld``."""
    return "." in domain.strip(".") and not is_personal_mail_domain(domain)


# The free-mail list under the name earlier code imported (``resolvers.accounts.FREE_MAIL_DOMAINS``).
FREE_MAIL_DOMAINS = free_mail_domains()
