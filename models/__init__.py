"""Tortoise models, one module per feature. Never imports strawberry.

``MODEL_MODULES`` is what the ORM registers as the single ``models`` app.
"""

MODEL_MODULES = [
    "models.accounts",
    "models.profiles",
    "models.chat",
    "models.offers",
    "models.search",
    "models.operations",
    "models.mail",
    "models.audit",
    "models.interviews",
    "models.safety",
    "models.hiring",
    "models.notifications",
    "models.scheduler",
]
