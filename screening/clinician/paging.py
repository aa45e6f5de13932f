"""The page number of a paginated staff list, read from the query string within bounds."""

from __future__ import annotations

from flask import request

# Far beyond any real list, small enough that the row offset fits every database's integers.
MAX_PAGE = 100_000


def page_number() -> int:
    """`page=` as a number from 1 to MAX_PAGE; anything else is the first page."""
    page = request.args.get("page", 1, type=int)
    return page if 1 <= page <= MAX_PAGE else 1
