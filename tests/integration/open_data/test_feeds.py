"""The tracker CSV and the public feed paged by the log's sequence numbers."""

import csv
import io
from datetime import date

from kuznia.money import Money
from kuznia.services.contracting.money_flows import FlowRequest, commit_funds, disburse
from kuznia.services.kernel.actors import Actor
from kuznia.services.open_data.feeds import TRACKER_COLUMNS, crawl, public_feed, tracker_csv
from tests.integration.contracting.world import (
    DANISH,
    UA_BUDGET,
    fpv_draft,
    load_world,
    shell_draft,
    signed,
)

DEPOT = "brigade depot, Sumy oblast"


def pay(database, actor, contract, amount, currency, on, disbursed=None):
    with database.unit_of_work(actor) as uow:
        commitment = commit_funds(uow, contract, FlowRequest(Money.parse(amount, currency), on))
        if disbursed:
            disburse(uow, commitment.id, FlowRequest(Money.parse(disbursed, currency), on))


def world(database):
    load_world(database)
    signed(database, fpv_draft(), UA_BUDGET)
    signed(database, shell_draft(), DANISH)
    pay(database, UA_BUDGET, "contract-1", "100000.00", "EUR", date(2026, 2, 3), "40000.00")
    pay(database, UA_BUDGET, "contract-1", "20000.50", "EUR", date(2026, 2, 20))
    pay(database, DANISH, "contract-dk", "700000.00", "DKK", date(2026, 3, 1), "70000.00")


def test_the_tracker_csv_sums_commitments_and_disbursements_by_partner_month_and_category(
    database,
):
    world(database)
    with database.reading() as session:
        rows = list(csv.DictReader(io.StringIO(tracker_csv(session).decode("utf-8"))))
    assert tuple(rows[0]) == TRACKER_COLUMNS
    summary = [
        (
            r["value_date"],
            r["provider_org_ref"],
            r["sector_category"],
            r["transaction_type_code"],
            r["currency"],
            r["value"],
            r["value_base"],
            r["transactions"],
        )
        for r in rows
    ]
    assert summary == [
        ("2026-02", "ua-budget", "drones", "2", "EUR", "120000.50", "120000.50", "2"),
        ("2026-02", "ua-budget", "drones", "3", "EUR", "40000.00", "40000.00", "1"),
        ("2026-03", "dk", "uncategorised", "2", "DKK", "700000.00", "93800.00", "1"),
        ("2026-03", "dk", "uncategorised", "3", "DKK", "70000.00", "9380.00", "1"),
    ]


def test_a_crawler_paging_by_sequence_sees_every_published_record_once(database):
    world(database)
    with database.reading() as session:
        first = [(i.seq, i.entity, i.record_id) for i in crawl(session, page_size=3)]
    seqs = [seq for seq, _, _ in first]
    assert seqs == sorted(set(seqs))
    assert {entity for _, entity, _ in first} == {"contracts", "money_flows"}
    contracts = [record for _, entity, record in first if entity == "contracts"]
    assert contracts == ["contract-1", "contract-dk"]  # only once both parties signed
    with database.reading() as session:
        last = public_feed(session, -1, 1000)
    assert last.at_end
    pay(database, DANISH, "contract-dk", "1.00", "DKK", date(2026, 4, 1))
    with database.reading() as session:
        page = public_feed(session, last.next_after, 1000)
    assert [i.entity for i in page.items] == ["money_flows"]
    assert page.items[0].seq > seqs[-1]


def test_the_public_feed_carries_no_secret_field_and_no_recorder(database):
    world(database)
    with database.unit_of_work(Actor.system("test")) as uow:
        record = {"id": "delivery-1", "contract_id": "contract-1", "units": 5, "destination": DEPOT}
        uow.record("deliveries", "delivery-1", "create", None, record)
    with database.reading() as session:
        items = list(crawl(session))
    delivery = next(i for i in items if i.entity == "deliveries")
    assert delivery.record == {"id": "delivery-1", "contract_id": "contract-1", "units": 5}
    text = repr([i.document() for i in items])
    assert DEPOT not in text
    assert "olena@ministry" not in text
    assert len(delivery.leaf_hash) == 64


def test_a_page_of_leaves_that_are_not_published_still_moves_the_cursor(database):
    load_world(database)  # only registry leaves: nothing is published
    with database.reading() as session:
        page = public_feed(session, -1, 10)
    assert page.items == ()
    assert page.at_end
    assert page.next_after == page.log_size - 1
