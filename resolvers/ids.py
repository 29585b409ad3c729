"""Global IDs: ``base64url("TypeName:primary key")``, as Relay expects them opaque."""

from __future__ import annotations

import base64
import binascii

from resolvers.errors import BadUserInput

MAX_ID_LENGTH = 200


def to_global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def parse_global_id(value: str) -> tuple[str, int]:
    """Decode a global ID; raises ``BadUserInput`` for anything malformed."""
    if not isinstance(value, str) or not value or len(value) > MAX_ID_LENGTH:
        raise BadUserInput("Malformed ID: expected a global ID returned by this API.")
    try:
        padded = value + "=" * (-len(value) % 4)
        decoded = base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
        type_name, _, raw_pk = decoded.partition(":")
        pk = int(raw_pk)
    except (ValueError, binascii.Error, UnicodeError):
        raise BadUserInput(f"Malformed ID {value[:40]!r}: expected a global ID returned by this API.") from None
    if not type_name or pk <= 0 or pk > 2**63 - 1 or raw_pk != str(pk):
        raise BadUserInput(f"Malformed ID {value[:40]!r}: expected a global ID returned by this API.")
    return type_name, pk


def parse_typed_id(value: str, expected_type: str, field_name: str = "id") -> int:
    """The primary key of a global ID of ``expected_type``; other types are refused."""
    type_name, pk = parse_global_id(value)
    if type_name != expected_type:
        raise BadUserInput(f"'{field_name}' must be the ID of a {expected_type}, got a {type_name} ID.")
    return pk
