"""Profiles: editing (``editing``), validation, social graph (endorsements, blocks), data rights,
freshness and the batch loaders (``loaders``). Privacy rules for every path live in
``resolvers/profiles/access.py``."""
