"""An email address is valid when email_validator says so; the plainest addresses are recognised
without it (fields/simple.py, is_plain_email), and only ever ones it accepts."""

from __future__ import annotations

import email_validator
import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.questionnaire.fields.simple import RESERVED_DOMAINS, is_plain_email


def library_accepts(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


# Parts near the edges of the plain form: signs the plain form leaves out, non-ASCII letters,
# hyphens and dots in odd places, reserved and numeric top-level names, long labels.
LOCAL = st.text(alphabet="aZ09._%+-!#'~\"é ", min_size=0, max_size=12)
LABEL = st.one_of(
    st.text(alphabet="aZ09-_é", min_size=0, max_size=8),
    st.sampled_from(["xn--bcher-kva", "ab--cd", "a" * 63, "a" * 64, "-a", "a-"]),
)
TOP = st.one_of(
    st.sampled_from(["com", "org", "ORG", "test", "local", "localhost", "invalid", "onion"]),
    st.sampled_from(["arpa", "in-addr.arpa", "c0m", "123", "x", "a" * 63, "a" * 64, ""]),
    st.text(alphabet="aZ9-", min_size=0, max_size=5),
)
ADDRESS = st.builds(
    lambda local, labels, top, at: local + at + ".".join([*labels, top]),
    LOCAL,
    st.lists(LABEL, min_size=0, max_size=4),
    TOP,
    st.sampled_from(["@", "@", "@", "@@", "", "<"]),
)


@settings(max_examples=3000)
@given(ADDRESS)
def test_a_plain_address_is_one_the_library_accepts(address: str) -> None:
    if is_plain_email(address):
        assert library_accepts(address), address


@pytest.mark.parametrize(
    "address",
    [
        "name@example.com",
        "Alex.Morgan+clinic@mail.Example.ORG",
        "a_b%c-d@x-1.co",
        "x@" + "a" * 63 + ".io",
    ],
)
def test_plain_addresses_are_recognised(address: str) -> None:
    assert is_plain_email(address)
    assert library_accepts(address)


@pytest.mark.parametrize(
    "address",
    [
        "someone@mail.test",  # reserved: the library refuses it
        "someone@LOCALHOST.localhost",
        "someone@10.in-addr.arpa",
        "someone@ab--cd.com",
        "someone@xn--bcher-kva.example",  # Punycode: the library decodes it
        "someone@" + "a" * 64 + ".com",
        "someone@" + ".".join(["a" * 60] * 5) + ".com",  # domain over 253 characters
        "a" * 70 + "@" + ".".join(["b" * 60] * 3) + ".com",  # address over 254 characters
        "o'brien@example.com",  # a sign the plain form leaves out, though the library allows it
        "josé@example.com",
        "someone@example.c0m",
    ],
)
def test_anything_else_is_left_to_the_library(address: str) -> None:
    assert not is_plain_email(address)


def test_every_domain_the_library_reserves_is_reserved_here() -> None:
    assert set(email_validator.SPECIAL_USE_DOMAIN_NAMES) <= set(RESERVED_DOMAINS)
