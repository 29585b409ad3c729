"""Subscriptions: the broker and the event streams built on it (one module per feature)."""
