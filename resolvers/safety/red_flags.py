"""Red flags in first contact: a company's message to a candidate who has not replied
yet that asks for money or bank details, pushes to another channel (WhatsApp, Telegram,
a personal email address) or carries a link shortener.

Such a message is **delivered and shown with a warning** (``Message.redFlags``, seen by
the candidate only), not held back: holding it would let a scammer probe the filter
through delivery delays, and the candidate keeps the full context. The rule list is
data, ``resolvers/data/red_flags.json`` (regular expressions per kind, tagged with the
languages they serve). A candidate's reply ends the check for later messages of that
conversation: it only guards first contact.

Chat calls ``flag_first_contact`` once per stored message (``append_message`` and the
one-statement send); it writes a ``MessageRedFlag`` row only when a rule matches, so a
clean message costs no query.
"""

from __future__ import annotations

import json
import re
from enum import Enum
from functools import lru_cache
from pathlib import Path

from models.chat import Conversation, Message
from models.safety import MessageRedFlag

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "red_flags.json"


class RedFlagKind(str, Enum):
    MONEY_REQUEST = "MONEY_REQUEST"
    OFF_PLATFORM_CONTACT = "OFF_PLATFORM_CONTACT"
    LINK_SHORTENER = "LINK_SHORTENER"


@lru_cache(maxsize=1)
def rules() -> dict[RedFlagKind, re.Pattern[str]]:
    """One compiled alternation per kind, read once per process."""
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))["rules"]
    return {
        RedFlagKind(kind): re.compile("|".join(f"(?:{rule['pattern']})" for rule in entries), re.IGNORECASE)
        for kind, entries in data.items()
    }


def red_flags_in(body: str) -> list[RedFlagKind]:
    """The kinds of red flag ``body`` raises, in declaration order."""
    return [kind for kind, pattern in rules().items() if pattern.search(body)]


async def flag_first_contact(message: Message, conversation: Conversation) -> MessageRedFlag | None:
    """Record the red flags of ``message`` if it is a company's message to a candidate
    who has not written in the conversation yet. Call in the transaction that stored it
    (or right after)."""
    if message.sender_id is None or message.sender_id == conversation.candidate_id:
        return None
    kinds = red_flags_in(message.body)
    if not kinds:
        return None
    replied = await Message.filter(
        conversation_id=conversation.pk, sender_id=conversation.candidate_id, seq__lt=message.seq
    ).exists()
    if replied:
        return None
    return await MessageRedFlag.create(message_id=message.pk, kinds=[kind.value for kind in kinds])
