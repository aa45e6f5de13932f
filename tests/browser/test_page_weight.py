"""Self-contained, light pages: each questionnaire page with its assets transfers under 60 KB."""

from __future__ import annotations

import pytest

from tests.browser.browsing import PAGE_WEIGHTS, Browsing
from tests.browser.patient import answer_by_http
from tests.helpers import worked_example

pytestmark = pytest.mark.browser

BUDGET = 60 * 1024


def test_every_questionnaire_page_with_its_assets_transfers_under_60_kb(browse: Browsing):
    page = browse.new_page()
    pages = [*answer_by_http(page, worked_example()), "/questionnaire/review"]

    weights = {url.rsplit("/", 1)[-1]: browse.transfer_size(page, url) for url in pages}
    PAGE_WEIGHTS.update(weights)
    print("\n".join(f"{slug}: {size / 1024:.1f} KB" for slug, size in weights.items()))
    heavy = {slug: size for slug, size in weights.items() if size >= BUDGET}
    assert not heavy, f"pages of 60 KB or more: {heavy}"
    assert len(weights) == 11  # the worked example's ten question pages and the review page
