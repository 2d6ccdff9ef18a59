"""Canonical JSON (RFC 8785) for leaves, and salted commitments that hide secret fields."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kuznia.errors import InvalidInput
from kuznia.transparency import (
    Opening,
    canonical_fragment,
    canonical_json,
    commit_secrets,
    commitment,
    verify_opening,
)

SALT = bytes(range(32))


def test_keys_are_sorted_and_there_is_no_whitespace() -> None:
    assert canonical_json({"b": [1, True, None], "a": {"d": "x", "c": -5}}) == (
        b'{"a":{"c":-5,"d":"x"},"b":[1,true,null]}'
    )


def test_keys_sort_by_utf16_code_units_as_in_rfc_8785_section_3_2_3() -> None:
    keys = ["\u20ac", "\r", "\ufb33", "1", "\U0001f600", "\u0080", "\u00f6"]
    ordered = list(json.loads(canonical_json(dict.fromkeys(keys, 0))))
    assert ordered == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


def test_strings_are_escaped_as_ecmascript_does_and_otherwise_raw_utf8() -> None:
    value = '\u20ac$\u000f\nA\'B"\\\\"/\u007f\u2028'
    assert canonical_json(value) == '"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/\x7f\u2028"'.encode()


@pytest.mark.parametrize(
    ("value", "path", "message"),
    [
        ({"amount": 1.5}, r"\$\.amount", "floats"),
        ({"n": 2**53}, r"\$\.n", "2\\^53"),
        ({"s": "\ud800"}, r"\$\.s", "surrogate"),
        ({"a": {"\udfff": 1, "b": 2}}, r"\$\.a\.\udfff", "surrogate"),
        ({1: "x"}, r"\$", "not a string"),
        ({"x": [b"bytes"]}, r"\$\.x\[0\]", "bytes is not a JSON value"),
    ],
)
def test_values_json_cannot_hold_exactly_are_refused_with_their_path(
    value: object, path: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=f"{path}: .*{message}"):
        canonical_json(value)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_canonical_json_is_json_and_canonical_again_after_a_round_trip(value: object) -> None:
    encoded = canonical_json(value)
    assert json.loads(encoded) == value
    assert canonical_json(json.loads(encoded)) == encoded


@given(st.dictionaries(st.text(), json_values, max_size=6), st.text(), json_values)
def test_a_value_serialised_first_and_placed_as_a_fragment_gives_the_same_bytes(
    members: dict[str, object], key: str, value: object
) -> None:
    """A leaf's records are serialised before its place in the log is known (the commit
    sequence's lock is not yet taken); the leaf around them after, with the same bytes."""
    whole = {**members, key: value}
    placed = {**members, key: canonical_fragment(value)}
    assert canonical_json(placed) == canonical_json(whole)
    assert canonical_json([canonical_fragment(whole)]) == canonical_json([whole])


def test_a_fragment_refuses_what_canonical_json_refuses() -> None:
    with pytest.raises(InvalidInput, match=r"\$\.amount: floats"):
        canonical_fragment({"amount": 1.5})


RECORD = {
    "kind": "site",
    "id": "site-7",
    "company": "company-3",
    "address": {"city": "Dnipro", "street": "secret st. 1"},
    "stock": 120,
}


def test_secret_fields_are_replaced_by_a_salted_commitment_and_nothing_else_changes() -> None:
    public, openings = commit_secrets(RECORD, {"address", "stock"}, lambda _field: SALT)
    assert public["kind"] == "site"
    assert public["company"] == "company-3"
    assert public["stock"] == {"commitment": commitment(120, SALT)}
    assert set(openings) == {"address", "stock"}
    assert b"Dnipro" not in canonical_json(public)
    assert commitment(120, SALT) == hashlib.sha256(SALT + b"120").hexdigest()


def test_an_opening_opens_its_commitment() -> None:
    public, openings = commit_secrets(RECORD, {"address"})
    assert verify_opening(public, openings["address"])
    restored = Opening.from_json(json.loads(json.dumps(openings["address"].to_json())))
    assert verify_opening(public, restored)


def test_a_wrong_salt_or_value_or_field_does_not_open_the_commitment() -> None:
    public, openings = commit_secrets(RECORD, {"address", "stock"})
    opening = openings["stock"]
    assert not verify_opening(public, Opening("stock", bytes(32), 120))
    assert not verify_opening(public, Opening("stock", opening.salt, 121))
    assert not verify_opening(public, Opening("stock", opening.salt, "120"))
    assert not verify_opening(public, Opening("address", opening.salt, 120))
    assert not verify_opening(public, Opening("kind", opening.salt, "site"))
    assert not verify_opening(public, Opening("stock", opening.salt[:16], 120))


def test_random_salts_differ_so_equal_secrets_do_not_show_as_equal() -> None:
    first, _ = commit_secrets(RECORD, {"stock"})
    second, _ = commit_secrets(RECORD, {"stock"})
    assert first["stock"] != second["stock"]


def test_a_missing_secret_field_is_skipped_and_a_short_salt_refused() -> None:
    public, openings = commit_secrets({"id": "x"}, {"address"})
    assert public == {"id": "x"}
    assert openings == {}
    with pytest.raises(InvalidInput, match="salt"):
        commit_secrets(RECORD, {"stock"}, lambda _field: b"short")


def test_a_malformed_opening_is_refused() -> None:
    with pytest.raises(InvalidInput, match="opening"):
        Opening.from_json({"field": "stock", "salt": "zz", "value": 1})
    with pytest.raises(InvalidInput, match="opening"):
        Opening.from_json({"field": "stock", "salt": SALT.hex()})


@given(json_values, json_values, st.binary(min_size=32, max_size=32))
def test_any_value_opens_with_its_salt_and_no_other_value_does(
    value: object, other: object, salt: bytes
) -> None:
    public, openings = commit_secrets({"secret": value}, {"secret"}, lambda _field: salt)
    assert verify_opening(public, openings["secret"])
    if canonical_json(other) != canonical_json(value):
        assert not verify_opening(public, Opening("secret", salt, other))
