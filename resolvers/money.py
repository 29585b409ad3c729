"""Comparing pay across currencies and periods, with exchange rates shipped as data.

**Rates.** ``resolvers/data/eurofxref.csv`` holds the European Central Bank's euro foreign
exchange reference rates of one day (units of each currency for 1 EUR), in the ECB's own
CSV layout, with comment lines (``#``) naming the source and date. ``openforwork
update-rates --file F`` or ``--url U`` replaces it from an ECB CSV (the daily
``eurofxref.csv`` or the history ``eurofxref-hist.csv``, newest row) or XML
(``eurofxref-daily.xml``) file. Each process reads the file once (``shipped_rates`` caches
exactly one ``Rates``); restart the service after an update.

**Periods.** Amounts are compared per year with these factors: HOUR × 2,080 (40-hour
weeks, 52 weeks), DAY × 260 (5-day weeks), WEEK × 52, MONTH × 12, YEAR × 1.

**Comparisons** convert both sides to euros per year with the shipped rates. The result
says which rate it used, so a refusal can tell the employer how the figure was reached.
A currency with no ECB rate can only be compared with the same currency.
"""

from __future__ import annotations

import re
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from resolvers.errors import Problems, UserErrorCode

RATES_FILE = Path(__file__).resolve().parent / "data" / "eurofxref.csv"
SOURCE = "ECB euro foreign exchange reference rates"
SOURCE_URL = "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/"
PER_YEAR: dict[str, int] = {"HOUR": 2080, "DAY": 260, "WEEK": 52, "MONTH": 12, "YEAR": 1}
_CODE = re.compile(r"^[A-Z]{3}$")


class RatesFormatError(ValueError):
    """The text is not an ECB reference-rate file."""


class UnknownRate(LookupError):
    """No reference rate for this currency."""

    def __init__(self, currency: str) -> None:
        super().__init__(currency)
        self.currency = currency


@dataclass(frozen=True)
class Rates:
    """Reference rates of one day: ``per_euro[code]`` units of ``code`` buy 1 EUR."""

    day: date
    per_euro: dict[str, Decimal]

    def rate(self, currency: str) -> Decimal:
        if currency == "EUR":
            return Decimal(1)
        try:
            return self.per_euro[currency]
        except KeyError:
            raise UnknownRate(currency) from None

    def to_euros(self, amount: Decimal | int, currency: str) -> Decimal:
        return Decimal(amount) / self.rate(currency)

    def describe(self, currency: str) -> str:
        """Which rate a conversion of ``currency`` used, for messages."""
        if currency == "EUR":
            return f"{SOURCE} of {self.day.isoformat()}"
        return f"{SOURCE} of {self.day.isoformat()}: 1 EUR = {self.rate(currency)} {currency}"


@dataclass(frozen=True)
class Comparison:
    """Whether the offer is below the floor, and which rate the comparison used."""

    below: bool
    rate_used: str


def per_year(amount: Decimal | int, period: str) -> Decimal:
    return Decimal(amount) * PER_YEAR[period]


def compare_to_floor(
    rates: Rates, amount: int, currency: str, period: str, floor: int, floor_currency: str, floor_period: str
) -> Comparison:
    """Is ``amount`` ``currency`` per ``period`` below the floor? Both sides are compared
    per year, in euros when the currencies differ. Raises ``UnknownRate`` when they differ
    and one has no reference rate."""
    offered = per_year(amount, period)
    wanted = per_year(floor, floor_period)
    if currency == floor_currency:
        return Comparison(offered < wanted, "same currency, no exchange rate needed")
    below = rates.to_euros(offered, currency) < rates.to_euros(wanted, floor_currency)
    used = [rates.describe(code) for code in (currency, floor_currency) if code != "EUR"]
    return Comparison(below, "; ".join(used) if used else rates.describe("EUR"))


def period_name(period: Any) -> str:
    """``"YEAR"`` for ``SalaryPeriod.YEAR`` or ``"YEAR"``."""
    return str(getattr(period, "value", period))


def profile_floor(profile: Any) -> tuple[int | None, str | None, str | None]:
    """A candidate profile's desired minimum, its currency and period (None when unset)."""
    if profile is None:
        return None, None, None
    period = period_name(profile.salary_period) if profile.salary_period else None
    return profile.salary_min, profile.salary_currency, period


def check_floor(
    problems: Problems,
    amount: int,
    currency: str,
    period: str,
    floor: tuple[int | None, str | None, str | None],
    *field: str,
) -> None:
    """Add BELOW_CANDIDATE_FLOOR (naming the rate used) or NO_EXCHANGE_RATE when the pay
    ``amount`` ``currency`` per ``period`` is below ``floor`` (the candidate's desired
    minimum, currency and period; no floor: nothing to check; no period: ``period``)."""
    minimum, floor_currency, floor_period = floor
    if minimum is None or not floor_currency or not currency:
        return
    rates = shipped_rates()
    try:
        comparison = compare_to_floor(
            rates, amount, currency, period, minimum, floor_currency.upper(), floor_period or period
        )
    except UnknownRate as exc:
        problems.add(
            UserErrorCode.NO_EXCHANGE_RATE,
            f"{exc.currency} has no {SOURCE} rate (of {rates.day.isoformat()}), so the pay cannot be compared with "
            "the candidate's desired minimum; state it in the candidate's currency or one with a rate, such as EUR.",
            *field,
        )
        return
    if comparison.below:
        problems.add(
            UserErrorCode.BELOW_CANDIDATE_FLOOR,
            f"The pay is below the candidate's desired minimum (compared per year; {comparison.rate_used}).",
            *field,
        )


# --- Reading and writing ECB files -----------------------------------------------------

def _day(text: str) -> date:
    text = text.strip()
    for layout in ("%d %B %Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise RatesFormatError(f"not a date: {text[:40]!r}")


def _rate(code: str, value: str) -> Decimal | None:
    value = value.strip()
    if not value or value == "N/A":
        return None
    try:
        rate = Decimal(value)
    except InvalidOperation:
        raise RatesFormatError(f"rate of {code} is not a number: {value[:20]!r}") from None
    if not rate.is_finite() or rate <= 0:
        raise RatesFormatError(f"rate of {code} must be positive, got {value[:20]!r}")
    return rate


def parse_ecb(text: str) -> Rates:
    """Rates from an ECB CSV (daily or history: the newest row) or XML file."""
    stripped = text.lstrip("\ufeff").strip()
    if stripped.startswith("<"):
        return _parse_xml(stripped)
    lines = [line for line in stripped.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if len(lines) < 2 or not lines[0].split(",")[0].strip().lower() == "date":
        raise RatesFormatError("expected a header line starting with 'Date' and a line of rates")
    header = [cell.strip() for cell in lines[0].split(",")]
    rows = [[cell.strip() for cell in line.split(",")] for line in lines[1:]]
    newest = max(rows, key=lambda row: _day(row[0]))
    per_euro: dict[str, Decimal] = {}
    for code, value in zip(header[1:], newest[1:], strict=False):  # a short row lacks the last currencies
        if not code:
            continue
        if not _CODE.match(code):
            raise RatesFormatError(f"not a currency code: {code[:10]!r}")
        rate = _rate(code, value)
        if rate is not None:
            per_euro[code] = rate
    if not per_euro:
        raise RatesFormatError("no rates in the file")
    return Rates(_day(newest[0]), per_euro)


def _parse_xml(text: str) -> Rates:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise RatesFormatError(f"not XML: {exc}") from None
    days = [cube for cube in root.iter() if cube.tag.endswith("Cube") and cube.get("time")]
    if not days:
        raise RatesFormatError("no <Cube time='…'> element")
    newest = max(days, key=lambda cube: _day(cube.get("time", "")))
    per_euro: dict[str, Decimal] = {}
    for cube in newest:
        code = (cube.get("currency") or "").strip()
        if not _CODE.match(code):
            raise RatesFormatError(f"not a currency code: {code[:10]!r}")
        rate = _rate(code, cube.get("rate", ""))
        if rate is not None:
            per_euro[code] = rate
    if not per_euro:
        raise RatesFormatError("no rates in the file")
    return Rates(_day(newest.get("time", "")), per_euro)


def render(rates: Rates, origin: str) -> str:
    """The shipped file's text: comment lines naming source, date and origin, then the ECB CSV."""
    codes = sorted(rates.per_euro)
    return (
        f"# Euro foreign exchange reference rates of the European Central Bank (ECB), in the ECB's\n"
        f"# own CSV layout (eurofxref.csv): units of each currency for 1 EUR.\n"
        f"# Source: {SOURCE_URL}\n"
        f"# Reference date: {rates.day.strftime('%d %B %Y')}.\n"
        f"# Written by `openforwork update-rates` from {origin}.\n"
        "Date, " + ", ".join(codes) + ", \n"
        + rates.day.strftime("%d %B %Y") + ", " + ", ".join(str(rates.per_euro[c]) for c in codes) + ", \n"
    )


def read_source(file: str | None = None, url: str | None = None, timeout: float = 20.0) -> str:
    """The text of an ECB file from a path or an http(s) URL."""
    if file is not None:
        return Path(file).read_text(encoding="utf-8-sig")
    if url is None or not url.startswith(("https://", "http://")):
        raise ValueError("give a file or an http(s) URL")
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - http(s) only, checked above
        data: bytes = response.read(5_000_000)
        return data.decode("utf-8-sig")


def update_rates(text: str, origin: str, path: Path = RATES_FILE) -> Rates:
    """Parse ``text`` (an ECB file) and replace the shipped rates with it."""
    rates = parse_ecb(text)
    path.write_text(render(rates, origin), encoding="utf-8")
    shipped_rates.cache_clear()
    return rates


@lru_cache(maxsize=1)
def shipped_rates() -> Rates:
    """The shipped rates, read once per process (a cache of one entry)."""
    return parse_ecb(RATES_FILE.read_text(encoding="utf-8"))
