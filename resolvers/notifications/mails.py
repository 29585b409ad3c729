"""Mails rendered from templates (``templates/``, jinja2): plain text and HTML, HTML
autoescaped, so a name or a headline can never inject markup. One template pair for a
single notification, one for a digest; every mail carries an unsubscribe link per kind
it tells about."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from models.notifications import NotificationKind
from resolvers.notifications.kinds import LABELS
from resolvers.notifications.rendering import MailItem
from resolvers.notifications.unsubscribe import unsubscribe_url


@dataclass(frozen=True)
class MailLinks:
    """Where links in mails point: the public address of the service and the secret that
    signs unsubscribe tokens (``Settings.public_url``, ``Settings.secret_key``)."""

    public_url: str
    secret_key: str

    def unsubscribe(self, user_id: int, kind: NotificationKind) -> str:
        return unsubscribe_url(self.public_url, self.secret_key, user_id, kind)


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    body_text: str
    body_html: str


@dataclass(frozen=True)
class _Entry:
    item: MailItem


@dataclass(frozen=True)
class _Link:
    label: str
    url: str


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("resolvers.notifications", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _render(template: str, **context: object) -> tuple[str, str]:
    env = _environment()
    return env.get_template(f"{template}.txt").render(**context), env.get_template(f"{template}.html").render(**context)


def single_mail(links: MailLinks, user_id: int, name: str, item: MailItem) -> RenderedMail:
    text, html = _render(
        "notification", name=name, item=item, app_url=links.public_url, label=LABELS[item.kind],
        unsubscribe_url=links.unsubscribe(user_id, item.kind),
    )
    return RenderedMail(item.title, text, html)


def digest_mail(links: MailLinks, user_id: int, name: str, period: str, items: list[MailItem]) -> RenderedMail:
    kinds = list(dict.fromkeys(item.kind for item in items))
    text, html = _render(
        "digest", name=name, period=period, entries=[_Entry(item) for item in items], app_url=links.public_url,
        links=[_Link(LABELS[kind], links.unsubscribe(user_id, kind)) for kind in kinds],
    )
    count = len(items)
    return RenderedMail(f"Your {period} OpenForWork digest: {count} update{'s' if count != 1 else ''}", text, html)
