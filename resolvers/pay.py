"""The pay of a contact request or a role: a salary range and its rules (chat's
``startConversation``, hiring's roles). Comparing pay with a candidate's floor is
``resolvers/money.py``."""

from __future__ import annotations

from dataclasses import dataclass

from models.profiles import SalaryPeriod
from resolvers import validation
from resolvers.errors import Problems, UserErrorCode

SALARY_MAX = 100_000_000
# The widest range a first contact may name: max at most twice min. Pay-transparency rules
# (the EU Pay Transparency Directive 2023/970, Colorado, New York, California) ask for the
# range the employer in good faith expects to pay; the widest common salary bands (executive
# grades) span about 100% from minimum to maximum. "1 to 10,000,000" informs nobody.
RANGE_MAX_RATIO = 2


@dataclass(frozen=True)
class SalaryRange:
    minimum: int
    maximum: int
    currency: str
    period: SalaryPeriod


def check_range(problems: Problems, salary: SalaryRange) -> SalaryRange:
    """Both ends 1–100,000,000, max ≥ min and at most ``RANGE_MAX_RATIO``× min, a known
    currency; returns the range with the currency normalised."""
    path = ("salaryRange",)
    for name, value in (("min", salary.minimum), ("max", salary.maximum)):
        if not 1 <= value <= SALARY_MAX:
            problems.add(UserErrorCode.OUT_OF_RANGE, f"Salary {name} must be between 1 and {SALARY_MAX}.", *path, name)
    if salary.maximum < salary.minimum:
        problems.add(UserErrorCode.OUT_OF_RANGE, "Salary max must not be below min.", *path, "max")
    elif salary.maximum > RANGE_MAX_RATIO * salary.minimum > 0:
        problems.add(
            UserErrorCode.RANGE_TOO_WIDE,
            f"Salary max may be at most {RANGE_MAX_RATIO}× min ({RANGE_MAX_RATIO * salary.minimum:,}): "
            "name the range you expect to pay in good faith.",
            *path,
            "max",
        )
    currency = validation.currency(problems, salary.currency, (*path, "currency"), required=True) or ""
    return SalaryRange(salary.minimum, salary.maximum, currency, salary.period)


