"""The free-mail and disposable lists (resolvers/data/) and the domain rules."""

from __future__ import annotations

import pytest

from resolvers.accounts.domains import (
    can_verify_company,
    disposable_mail_domains,
    free_mail_domains,
    parent_domains,
)


@pytest.mark.parametrize(
    "domain",
    ["gmail.com", "GoogleMail.com", "outlook.com", "yahoo.co.uk", "proton.me", "web.de", "gmx.net", "qq.com",
     "mailinator.com", "yopmail.com", "guerrillamail.com", "eu.mail.yahoo.com", "example.com"],
)
def test_personal_and_throwaway_domains_never_verify_a_company(domain: str) -> None:
    assert not can_verify_company(domain.lower())


@pytest.mark.parametrize("domain", ["google.com", "acme.io", "jobs.acme.com", "blueharbor.test", "notgmail.com", "gmail.com.evil.io"])
def test_organisations_own_domains_can_verify(domain: str) -> None:
    assert can_verify_company(domain)


def test_the_lists_are_clean_data() -> None:
    for listed in (free_mail_domains(), disposable_mail_domains()):
        assert len(listed) > 40
        for domain in listed:
            assert domain == domain.strip().lower() and "." in domain and " " not in domain and "@" not in domain
    assert not free_mail_domains() & disposable_mail_domains()


def test_parent_domains_stop_before_the_top_level() -> None:
    assert parent_domains("eu.jobs.acme.com") == ["eu.jobs.acme.com", "jobs.acme.com", "acme.com"]
    assert parent_domains("acme.com") == ["acme.com"]
