// kuznia: check in the browser that a log entry is in the signed tree (RFC 9162 inclusion
// proof, SHA-256 via SubtleCrypto). The server sends the entry, the path and the checkpoint; this
// file recomputes the root from them and compares it with the root the checkpoint states, so a
// reader need not trust the page's word for it. (The checkpoint's signature is checked offline
// with the log's public key: `kuznia verify`.)
(function () {
  "use strict";

  function fromBase64(text) {
    var raw = atob(text), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function concat(prefix, a, b) {
    var out = new Uint8Array(1 + a.length + (b ? b.length : 0));
    out[0] = prefix; out.set(a, 1);
    if (b) { out.set(b, 1 + a.length); }
    return out;
  }

  async function sha256(bytes) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  }

  function equal(a, b) {
    if (a.length !== b.length) { return false; }
    var diff = 0;
    for (var i = 0; i < a.length; i++) { diff |= a[i] ^ b[i]; }
    return diff === 0;
  }

  // RFC 9162 section 2.1.3.2: verifying an inclusion proof.
  async function rootFromPath(index, size, leafHash, path) {
    if (index >= size) { return null; }
    var fn = index, sn = size - 1, r = leafHash;
    for (var i = 0; i < path.length; i++) {
      if (sn === 0) { return null; }
      if ((fn & 1) === 1 || fn === sn) {
        r = await sha256(concat(1, path[i], r));
        if ((fn & 1) === 0) {
          while ((fn & 1) === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
        }
      } else {
        r = await sha256(concat(1, r, path[i]));
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return sn === 0 ? r : null;
  }

  function checkpointParts(note) {
    var lines = note.split("\n");
    return { origin: lines[0], size: parseInt(lines[1], 10), root: fromBase64(lines[2]) };
  }

  async function verify(proof) {
    // A withheld entry comes as its hash only: the path from that hash is checked all the same.
    var leaf = proof.leaf === null ? null : fromBase64(proof.leaf);
    var leafHash = fromBase64(proof.leaf_hash);
    if (leaf !== null && !equal(await sha256(concat(0, leaf)), leafHash)) {
      return { ok: false, leaf: leaf };
    }
    var cp = checkpointParts(proof.checkpoint);
    if (cp.size !== proof.tree_size) { return { ok: false, leaf: leaf }; }
    var root = await rootFromPath(proof.index, proof.tree_size, leafHash,
                                  proof.hashes.map(fromBase64));
    return { ok: root !== null && equal(root, cp.root), leaf: leaf, size: cp.size, origin: cp.origin };
  }

  async function check(button) {
    var table = button.closest("table");
    var cell = document.getElementById("proof-" + button.dataset.seq);
    var shown = document.getElementById("leaf-content");
    cell.textContent = table.dataset.msgChecking;
    try {
      var answer = await fetch(button.dataset.url, { headers: { "Accept": "application/json" } });
      var proof = await answer.json();
      if (!answer.ok) { cell.textContent = proof.error || table.dataset.msgBad; return; }
      var result = await verify(proof);
      cell.className = result.ok ? "proof-ok" : "proof-bad";
      cell.textContent = result.ok
        ? table.dataset.msgOk.replace("%(size)s", String(result.size))
        : table.dataset.msgBad;
      if (shown && result.leaf !== null) {
        shown.hidden = false;
        var text = new TextDecoder().decode(result.leaf);
        try { text = JSON.stringify(JSON.parse(text), null, 2); } catch (ignored) { /* as sent */ }
        shown.querySelector("code").textContent = text;
        shown.querySelector("h3 span").textContent = button.dataset.seq;
      }
    } catch (error) {
      cell.className = "proof-bad";
      cell.textContent = table.dataset.msgBad + " (" + error + ")";
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-proof]");
    if (button) { event.preventDefault(); check(button); }
  });
})();
