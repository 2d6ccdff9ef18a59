"""No 5xx from any export, whatever its query (issue 18, finding 3): every open-data export and
the log's exports fuzzed with hostile values in their documented parameters and unknown ones,
as the public, a firm and the ministry, on each engine. Bounded by examples and a time budget.
(Paging cursors are fuzzed with the registries' listings.)"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.api.world import World

pytestmark = pytest.mark.slow
EXPORTS = {
    "/api/v1/open-data/ocds/releases.json": ("tier",),
    "/api/v1/open-data/tracker.csv": (),
    "/api/v1/open-data/feed": ("after", "limit"),
    "/api/v1/log/leaves": ("start", "limit"),
    "/api/v1/log/openings": ("seq",),
    "/api/v1/deliveries/table": (),
}
EXAMPLES = 40
BUDGET_SECONDS = 60

hostile = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(
        [
            "",
            "-1",
            "0",
            "1e309",
            "NaN",
            "inf",
            "0x10",
            "1.5",
            "confidential",
            "public",
            "PUBLIC",
            "%00",
            "\x00",
            "null",
            "[]",
            "{}",
            "🙂" * 50,
            "9" * 400,
            "' OR 1=1 --",
            "../../etc/passwd",
        ]
    ),
    st.text(max_size=300),
)
queries = st.lists(st.tuples(st.text(max_size=12), hostile), max_size=4)


@pytest.mark.parametrize("path", sorted(EXPORTS))
def test_an_export_answers_every_query_without_a_server_error(client, world: World, path):
    stop_at = time.monotonic() + BUDGET_SECONDS / len(EXPORTS)
    roles = ("anonymous", "company", "coordinator")

    @given(
        known=st.lists(st.tuples(st.sampled_from(EXPORTS[path] or ("x",)), hostile), max_size=3),
        unknown=queries,
        role=st.sampled_from(roles),
    )
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    def fuzz(known, unknown, role):
        if time.monotonic() > stop_at:
            return
        answer = client.get(path, params=[*known, *unknown], headers=world.headers(role))
        assert answer.status_code < 500, (path, known, unknown, role, answer.text[:300])
        if answer.status_code == 200 and "json" in answer.headers["content-type"]:
            answer.json()

    fuzz()
