"""The import path ``resolvers.search.saved.notify_profile_changed`` that profile writes
were given when saved-search matching moved out of the subscription layer. Saved-search
writes now live in ``commands``, the rule in ``access``, the matcher in ``matching`` and
the announcement in ``events``; ``resolvers.search.notify_profile_changed`` is the
package's own path to it."""

from resolvers.search.events import notify_profile_changed

__all__ = ["notify_profile_changed"]
