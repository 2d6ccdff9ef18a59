"""The log over HTTP: public key, checkpoints, leaf hashes and proofs for anyone, a leaf's
content for who may read its record, openings for who may see its secret fields; a proof
fetched from the API verifies offline."""

from __future__ import annotations

import base64

import pytest

from kuznia.transparency import generate_private_key, private_key_to_pem, verify_record_inclusion
from tests.integration.api.conftest import _cheap_argon2, make_client  # noqa: F401
from tests.integration.api.world import seed


@pytest.fixture
def api(database, tmp_path, monkeypatch):
    key = tmp_path / "log-key.pem"
    key.write_bytes(private_key_to_pem(generate_private_key()))
    monkeypatch.setenv("KUZNIA_LOG_KEY_FILE", str(key))
    monkeypatch.setenv("KUZNIA_LOG_ORIGIN", "kuznia.test/api-log")
    world = seed(database)
    with make_client(database) as client:
        yield client, world


def test_anyone_reads_the_public_key_but_only_the_coordinator_signs_checkpoints(api):
    client, world = api
    assert client.get("/api/v1/log/vkey").json()["vkey"].startswith("kuznia.test/api-log+")
    assert client.get("/api/v1/log/checkpoint").status_code == 404
    assert client.post("/api/v1/log/checkpoint").status_code == 401
    assert (
        client.post("/api/v1/log/checkpoint", headers=world.headers("auditor")).status_code == 403
    )
    made = client.post("/api/v1/log/checkpoint", headers=world.headers("coordinator"))
    assert made.status_code == 201
    assert client.get("/api/v1/log/checkpoint").json() == made.json()


def test_a_proof_from_the_api_verifies_offline_and_leaks_no_secret(api):
    client, world = api
    vkey = client.get("/api/v1/log/vkey").json()["vkey"]
    client.post("/api/v1/log/checkpoint", headers=world.headers("coordinator"))
    public = client.get("/api/v1/log/leaves?limit=1000")  # hashes only, for anyone
    assert public.status_code == 200
    assert public.json()
    assert all(leaf["withheld"] for leaf in public.json())
    assert {(leaf["entity"], leaf["record_id"], leaf["leaf"]) for leaf in public.json()} == {
        (None, None, None)
    }
    leaves = client.get("/api/v1/log/leaves?limit=1000", headers=world.headers("partner"))
    assert leaves.status_code == 200
    assert all(secret.value not in leaves.text for secret in world.secrets)
    site = next(leaf for leaf in leaves.json() if leaf["entity"] == "sites")
    bundle = client.get(
        f"/api/v1/log/proof?entity=sites&record_id={site['record_id']}",
        headers=world.headers("company"),
    ).json()
    hashes = [base64.b64decode(h) for h in bundle["proof"]["hashes"]]
    verify_record_inclusion(
        vkey,
        bundle["checkpoint"],
        bundle["leaf"]["leaf"].encode(),
        bundle["proof"]["index"],
        hashes,
    )


def test_only_the_coordinator_opens_the_secret_fields_of_a_leaf(api):
    client, world = api
    leaves = client.get("/api/v1/log/leaves?limit=1000", headers=world.headers("auditor")).json()
    site = next(leaf for leaf in leaves if leaf["entity"] == "sites")
    path = f"/api/v1/log/openings?seq={site['seq']}"
    assert client.get(path, headers=world.headers("auditor")).status_code == 403
    opened = client.get(path, headers=world.headers("coordinator")).json()
    assert {o["field"] for o in opened} >= {"address", "latitude"}
    assert any(o["value"] == world.secrets[0].value for o in opened)


def test_consistency_proofs_and_the_audit_answer(api):
    client, world = api
    proof = client.get("/api/v1/log/consistency?old_size=3").json()
    assert proof["index"] == 3
    assert proof["hashes"]
    audit = client.get("/api/v1/log/audit", headers=world.headers("auditor")).json()
    assert audit["ok"] is True
    assert audit["leaves_checked"] == proof["tree_size"]
