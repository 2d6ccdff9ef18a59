"""``kuznia export ocds|tracker|feed`` end to end."""

import json
from datetime import date

import pytest

from kuznia.cli.main import run
from kuznia.money import Money
from kuznia.services.contracting.money_flows import FlowRequest, commit_funds
from kuznia.services.open_data.ocds_schema import validation_errors
from kuznia.services.wiring import database_at
from tests.integration.contracting.world import UA_BUDGET, fpv_draft, load_world, signed


@pytest.fixture
def kuznia(database_url, capsys):
    database = database_at(database_url)
    load_world(database)
    signed(database, fpv_draft(), UA_BUDGET)
    with database.unit_of_work(UA_BUDGET) as uow:
        commit_funds(uow, "contract-1", FlowRequest(Money.parse("10.00", "EUR"), date(2026, 2, 1)))
    database.dispose()

    def invoke(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run(["--database-url", database_url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def test_an_ocds_package_is_written_valid_with_the_configured_prefix(kuznia, tmp_path):
    out = tmp_path / "releases.json"
    code, _, _ = kuznia("export", "ocds", "--ocid-prefix", "ocds-a1b2c3", "--out", str(out))
    assert code == 0
    assert validation_errors(out.read_bytes()) == []
    assert json.loads(out.read_bytes())["releases"][0]["ocid"] == "ocds-a1b2c3-contract-1"
    assert kuznia("export", "ocds", "--ocid-prefix", "bad prefix", "--out", str(out))[0] == 2


def test_the_tracker_csv_and_a_feed_page_are_written(kuznia, tmp_path):
    out = tmp_path / "tracker.csv"
    assert kuznia("export", "tracker", "--out", str(out))[0] == 0
    assert "ua-budget" in out.read_text("utf-8")
    code, printed, _ = kuznia("export", "feed", "--limit", "1000")
    assert code == 0
    page = json.loads(printed)
    assert page["at_end"]
    assert [i["entity"] for i in page["items"]] == ["contracts", "money_flows"]
