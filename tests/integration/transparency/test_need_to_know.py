"""The log under need-to-know, tried as each role over HTTP (API and web): a reader receives a
leaf's content only if it may read the record, and its openings only if it may also see the
record's secret fields; everyone still receives every hash and proof, and they verify."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pytest

from kuznia.api.deps import SESSION_COOKIE
from kuznia.services.identity.sessions import SessionPolicy, log_in
from kuznia.transparency import open_checkpoint, root_from_leaf_hashes, verify_inclusion
from tests.integration.api.conftest import _cheap_argon2, make_client  # noqa: F401
from tests.integration.api.world import PASSWORD, World, seed

PARTIES = ("coordinator", "partner", "company", "auditor")
"""Who may read contract C1 (paid by partner a's pledge, made by company a)."""
OUTSIDERS = ("other_partner", "other_company", "anonymous")


@dataclass
class Log:
    client: object
    world: World
    contract: str
    delivery: str
    secret: str

    def get(self, path: str, role: str) -> object:
        return self.client.get(path, headers=self.world.headers(role))  # type: ignore[attr-defined]

    def leaves(self, role: str) -> list[dict]:
        answer = self.get("/api/v1/log/leaves?limit=1000", role)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def seqs_of(self, record_id: str) -> list[int]:
        return [x["seq"] for x in self.leaves("coordinator") if x["record_id"] == record_id]


@pytest.fixture
def log(database, tmp_path, monkeypatch) -> Log:
    key = tmp_path / "log-key.pem"
    from kuznia.transparency import generate_private_key, private_key_to_pem

    key.write_bytes(private_key_to_pem(generate_private_key()))
    monkeypatch.setenv("KUZNIA_LOG_KEY_FILE", str(key))
    monkeypatch.setenv("KUZNIA_LOG_ORIGIN", "kuznia.test/need-to-know")
    world = seed(database)
    contract, delivery = world.delivered("a")
    secret = world.secrets[-1].value
    with make_client(database) as client:
        signed = client.post("/api/v1/log/checkpoint", headers=world.headers("coordinator"))
        assert signed.status_code == 201
        yield Log(client, world, contract, delivery, secret)


def test_a_reader_not_party_to_a_contract_gets_none_of_its_content_from_the_log(log: Log):
    seqs = set(log.seqs_of(log.contract) + log.seqs_of(log.delivery))
    assert seqs, "the contract and its delivery are logged"
    everything = {x["seq"]: x for x in log.leaves("coordinator")}
    for role in OUTSIDERS:
        answer = log.get("/api/v1/log/leaves?limit=1000", role)
        assert log.contract not in answer.text
        assert log.delivery not in answer.text
        for leaf in answer.json():
            if leaf["seq"] in seqs:
                assert leaf["withheld"], (role, leaf)
                assert (leaf["entity"], leaf["record_id"], leaf["leaf"]) == (None, None, None)
            assert leaf["leaf_hash"] == everything[leaf["seq"]]["leaf_hash"]


def test_by_record_the_log_has_no_leaf_for_a_reader_who_may_not_read_it(log: Log):
    for role in OUTSIDERS:
        for entity, record in (("contracts", log.contract), ("deliveries", log.delivery)):
            answer = log.get(f"/api/v1/log/proof?entity={entity}&record_id={record}", role)
            assert answer.status_code == 404, (role, answer.text)
            missing = log.get(f"/api/v1/log/proof?entity={entity}&record_id=nothing-here", role)
            assert answer.json()["detail"].replace(record, "X") == missing.json()["detail"].replace(
                "nothing-here", "X"
            )
    for role in PARTIES:
        answer = log.get(f"/api/v1/log/proof?entity=contracts&record_id={log.contract}", role)
        assert answer.status_code == 200, (role, answer.text)
        assert log.contract in answer.json()["leaf"]["leaf"]


def _verify_by_hash(bundle: dict, vkey: str) -> None:
    checkpoint = open_checkpoint(bundle["checkpoint"], vkey)
    hashes = [base64.b64decode(h) for h in bundle["proof"]["hashes"]]
    index, size = bundle["proof"]["index"], bundle["proof"]["tree_size"]
    verify_inclusion(
        index, size, bytes.fromhex(bundle["leaf"]["leaf_hash"]), hashes, checkpoint.root_hash
    )


def test_by_index_everyone_gets_the_hash_and_a_proof_that_verifies_without_the_content(log):
    vkey = log.get("/api/v1/log/vkey", "anonymous").json()["vkey"]
    for seq in log.seqs_of(log.contract):
        for role in (*PARTIES, *OUTSIDERS):
            bundle = log.get(f"/api/v1/log/proof?seq={seq}", role).json()
            assert bundle["leaf"]["withheld"] is (role in OUTSIDERS), role
            _verify_by_hash(bundle, vkey)


def test_anyone_recomputes_the_signed_root_from_the_hashes_alone(log: Log):
    checkpoint = log.get("/api/v1/log/checkpoint", "anonymous").json()
    hashes = [bytes.fromhex(x["leaf_hash"]) for x in log.leaves("anonymous")]
    assert len(hashes) == checkpoint["size"]
    assert root_from_leaf_hashes(hashes).hex() == checkpoint["root_hash"]


def _openings(log: Log, seq: int, role: str) -> tuple[int, str]:
    answer = log.get(f"/api/v1/log/openings?seq={seq}", role)
    return answer.status_code, answer.text


def test_a_delivery_destination_opens_for_the_coordinator_and_the_delivering_company_only(log):
    (seq,) = log.seqs_of(log.delivery)
    for role in ("coordinator", "company"):
        status, text = _openings(log, seq, role)
        assert status == 200, (role, text)
        assert log.secret in text
    for role in ("partner", "auditor", "other_partner", "other_company"):
        status, text = _openings(log, seq, role)
        assert status == 403, (role, text)
        assert log.secret not in text


def test_a_site_location_opens_for_its_company_and_the_partner_of_its_country_only(log: Log):
    sites = [x for x in log.leaves("coordinator") if x["entity"] == "sites"]
    site_b_dk = sites[-1]  # the world's third site: company b's, in Denmark (partner a's)
    seq = site_b_dk["seq"]
    for role in ("coordinator", "other_company", "partner"):
        assert _openings(log, seq, role)[0] == 200, role
    for role in ("company", "other_partner", "auditor"):
        assert _openings(log, seq, role)[0] == 403, role


def _sign_in_on_the_web(log: Log, role: str) -> None:
    client = log.client
    client.cookies.clear()  # type: ignore[attr-defined]
    if role != "anonymous":
        email = f"{role}@test.kuznia"
        policy = SessionPolicy()
        signed = log_in(log.world.database, email, PASSWORD, client="test", policy=policy)
        client.cookies.set(SESSION_COOKIE, signed.token)  # type: ignore[attr-defined]


def test_the_web_log_shows_an_outsider_neither_the_contract_nor_its_content(log: Log):
    seqs = log.seqs_of(log.contract)
    for role in (*OUTSIDERS, "company"):
        _sign_in_on_the_web(log, role)
        page = log.client.get("/log?page=1")  # type: ignore[attr-defined]
        assert page.status_code == 200
        assert (log.contract in page.text) is (role == "company"), role
        proof = log.client.get(f"/log/proof/{seqs[-1]}").json()  # type: ignore[attr-defined]
        assert (proof["leaf"] is None) is (role != "company"), role
        assert proof["leaf_hash"]
