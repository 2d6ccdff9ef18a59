"""Canonical JSON for log leaves (RFC 8785 JCS) and salted commitments to secret fields.

A leaf is the JCS form of a record: object keys sorted by their UTF-16 code units, no whitespace,
strings escaped as ECMAScript JSON.stringify does, UTF-8. kuznia keeps money and quantities as
strings, so numbers are limited to integers within I-JSON's exact range (|n| <= 2^53 - 1); floats
are refused rather than formatted, which keeps every leaf byte-for-byte reproducible.

A secret field's value is replaced by ``{"commitment": hex(SHA-256(salt || JCS(value)))}`` with a
fresh 32-byte salt; the salt and value (the *opening*) go only to parties allowed to see them, who
can then show the logged leaf commits to exactly that value. The salt makes guessing a low-entropy
value (a city, a stock level) by hashing candidates infeasible.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from json.encoder import encode_basestring

from kuznia.errors import InvalidInput

MAX_SAFE_INTEGER = 2**53 - 1
SALT_SIZE = 32
_SURROGATE = re.compile("[\ud800-\udfff]")

SaltSource = Callable[[str], bytes]
"""Gives the salt for a secret field, by field name."""


@dataclass(frozen=True, slots=True)
class CanonicalFragment:
    """A value already in canonical form (:func:`canonical_fragment`), written as it is where
    it sits in a larger value: a leaf's records are serialised before the leaf's place in the
    log is known, and only the few members around them after."""

    text: str


def canonical_fragment(value: object) -> CanonicalFragment:
    """``value`` in canonical form, to be placed in a value given to :func:`canonical_json`:
    the result is the same bytes as with ``value`` itself there (JCS is context-free)."""
    return CanonicalFragment(_canonical_text(value))


def canonical_json(value: object) -> bytes:
    """The RFC 8785 (JCS) serialisation of ``value`` as UTF-8 bytes.

    Accepts None, bool, int (|n| <= 2^53 - 1), str, lists/tuples and mappings with str keys.
    Raises ``InvalidInput`` naming the JSON path of the first value it cannot serialise.
    """
    return _canonical_text(value).encode("utf-8")


def _canonical_text(value: object) -> str:
    out: list[str] = []
    _write(value, None, out)
    return "".join(out)


_Path = tuple["_Path", str | int] | None
"""Where a value sits, as (parent, key or index) links; formatted only when there is an error."""


def _format_path(path: _Path) -> str:
    steps: list[str] = []
    while path is not None:
        path, step = path
        steps.append(f"[{step}]" if isinstance(step, int) else f".{step}")
    return "$" + "".join(reversed(steps))


def _refuse(path: _Path, message: str) -> InvalidInput:
    return InvalidInput.single(_format_path(path), message)


def _write(value: object, path: _Path, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif isinstance(value, bool):
        out.append("true" if value else "false")
    elif isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise _refuse(path, "integer beyond 2^53 - 1; write it as a string")
        out.append(str(int(value)))
    elif isinstance(value, str):
        out.append(_string(value, path))
    elif isinstance(value, CanonicalFragment):
        out.append(value.text)
    elif isinstance(value, Mapping):
        _write_object(value, path, out)
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, (path, i), out)
        out.append("]")
    elif isinstance(value, float):
        raise _refuse(path, "floats are not allowed in the log; use a string or an integer")
    else:
        raise _refuse(path, f"{type(value).__name__} is not a JSON value")


def _write_object(value: Mapping[object, object], path: _Path, out: list[str]) -> None:
    """Members sorted by key as UTF-16 code units (RFC 8785 section 3.2.3), not code points.

    The two orders differ only for characters above U+FFFF (a surrogate pair in UTF-16, sorting
    before U+E000..U+FFFF), so all-ASCII keys, the usual case, skip the UTF-16 encoding.
    """
    for key in value:
        if not isinstance(key, str):
            raise _refuse(path, f"object key {key!r} is not a string")
    keys = sorted(str(k) for k in value)
    if not all(k.isascii() for k in keys):
        keys.sort(key=lambda k: k.encode("utf-16-be", "surrogatepass"))
    out.append("{")
    for i, key in enumerate(keys):
        if i:
            out.append(",")
        member: _Path = (path, key)
        out.append(_string(key, member))
        out.append(":")
        _write(value[key], member, out)
    out.append("}")


def _string(value: str, path: _Path) -> str:
    """A JSON string as JCS writes it (RFC 8785 section 3.2.2.2).

    The standard library's C encoder for ensure_ascii=False escapes exactly what ECMAScript does:
    the two-letter escapes for \\b \\t \\n \\f \\r " \\ and \\u00xx (lowercase) for other controls.
    """
    if not value.isascii() and _SURROGATE.search(value):
        raise _refuse(path, "string holds a lone surrogate; it is not valid Unicode")
    return encode_basestring(value)


def leaf_bytes(leaf: bytes | Mapping[str, object]) -> bytes:
    """The bytes a leaf is hashed from: given bytes as they are, a mapping as canonical JSON."""
    return leaf if isinstance(leaf, bytes) else canonical_json(leaf)


def commitment(value: object, salt: bytes) -> str:
    """hex(SHA-256(salt || JCS(value))): binds to value, hides it while the salt is secret."""
    if len(salt) != SALT_SIZE:
        raise InvalidInput.single("salt", f"{len(salt)} bytes; a salt has {SALT_SIZE}")
    return hashlib.sha256(salt + canonical_json(value)).hexdigest()


@dataclass(frozen=True, slots=True)
class Opening:
    """What opens one commitment: the field, its salt and its value (for authorised parties)."""

    field: str
    salt: bytes
    value: object

    def to_json(self) -> dict[str, object]:
        """A JSON-ready form; the salt in hex."""
        return {"field": self.field, "salt": self.salt.hex(), "value": self.value}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Opening:
        """Inverse of ``to_json``."""
        field, salt = data.get("field"), data.get("salt")
        if not isinstance(field, str) or not isinstance(salt, str) or "value" not in data:
            raise InvalidInput.single("opening", "needs string 'field', hex 'salt' and 'value'")
        try:
            raw = bytes.fromhex(salt)
        except ValueError:
            raise InvalidInput.single("opening.salt", "not hexadecimal") from None
        return cls(field, raw, data["value"])


def random_salt(_field: str) -> bytes:
    """32 bytes from the operating system's CSPRNG (the default salt source)."""
    return secrets.token_bytes(SALT_SIZE)


def commit_secrets(
    record: Mapping[str, object],
    secret_fields: Iterable[str],
    salt_source: SaltSource = random_salt,
) -> tuple[dict[str, object], dict[str, Opening]]:
    """Replace each secret top-level field present in ``record`` by its commitment.

    Returns the public leaf (safe to log and publish) and the openings by field name. A listed
    field missing from the record is skipped: there is nothing to hide. Pass ``salt_source`` only
    in tests, to make salts deterministic.
    """
    public: dict[str, object] = dict(record)
    openings: dict[str, Opening] = {}
    for field in sorted(set(secret_fields)):
        if field not in record:
            continue
        salt = salt_source(field)
        value = record[field]
        public[field] = {"commitment": commitment(value, salt)}
        openings[field] = Opening(field, salt, value)
    canonical_json(public)  # refuse a record the log could not hold, before anyone stores salts
    return public, openings


def verify_opening(public_leaf: Mapping[str, object], opening: Opening) -> bool:
    """True if ``public_leaf[opening.field]`` commits to ``opening.value`` with ``opening.salt``."""
    committed = public_leaf.get(opening.field)
    if not isinstance(committed, Mapping) or set(committed) != {"commitment"}:
        return False
    expected = committed["commitment"]
    if not isinstance(expected, str) or len(opening.salt) != SALT_SIZE:
        return False
    try:
        actual = commitment(opening.value, opening.salt)
    except InvalidInput:
        return False
    return hmac.compare_digest(actual.encode(), expected.encode("utf-8", "replace"))
