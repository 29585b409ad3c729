"""Test factories, one module per feature: ``tests/factories/<feature>.py`` builds that feature's
objects through the public API (a real sign-up, real mutations), never by writing rows a user could not."""
