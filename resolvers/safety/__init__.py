"""Trust and safety: reports, moderation, suspensions and red flags in first contact.

- ``access``: who may report (anyone signed in) and moderate (moderators only);
- ``targets``: what a report is about, read with the reporter's access, and its snapshot;
- ``commands``: report content, resolve a report, lift a suspension;
- ``suspension``: what suspending an account or company does, and how lifting restores it;
- ``events``: what a suspension announces after commit (through accounts, chat, offers);
- ``queries``: my reports, the moderation queue, the audit log;
- ``loaders``: the batch functions;
- ``red_flags``: the first-contact check chat calls on every stored message (rules in
  ``resolvers/data/red_flags.json``);
- ``moderators``: creating a moderator (command line only);
- ``data_rights``: reports in ``exportMyData`` and what ``deleteMyAccount`` erases.

Only the light modules are re-exported here: chat imports ``red_flags`` while it loads,
and the heavy modules (``commands``, ``queries`` …) import chat; they are imported by
their full module path.
"""

from resolvers.safety.access import require_moderator, require_signed_in
from resolvers.safety.red_flags import RedFlagKind, flag_first_contact, red_flags_in

__all__ = ["RedFlagKind", "flag_first_contact", "red_flags_in", "require_moderator", "require_signed_in"]
