#!/usr/bin/env python3
"""rectify_prep.py - data preparation for scripts/bench-rectify.sh, through the API.

  rectify_prep.py principals < "school_id username" lines
      signs in as each principal, makes a Bearer token and uploads one evidence
      photo (a PNG) of the school; prints "school_id token evidence_id" lines.
  rectify_prep.py bulk N
      files visits of 100 findings each (POST /api/v1/visits, "file": true),
      round robin over the schools, until N rectification items were created.

Environment: DUDAO_URL, DUDAO_TOKEN (a visitor's token, for bulk), DUDAO_TODAY,
BENCH_SCHOOLS and BENCH_ITEMS (comma lists of ids, for bulk). Exits 1 with a
message on the first refused request. Standard library only.
"""
import concurrent.futures as cf
import datetime
import json
import os
import struct
import sys
import urllib.error
import urllib.request
import zlib

URL = os.environ["DUDAO_URL"]
PASSWORD = os.environ.get("BENCH_PASSWORD", "Dudao@2026")


def call(method, path, body=None, headers=None, raw=None):
    """One request; returns (status, parsed JSON or None, response headers)."""
    data = raw if raw is not None else (json.dumps(body, ensure_ascii=False).encode() if body is not None else None)
    h = {"Content-Type": "application/json"} if body is not None else {}
    h.update(headers or {})
    req = urllib.request.Request(URL + path, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            text = r.read()
            return r.status, json.loads(text) if text else None, r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace"), e.headers


def need(status, want, what, body):
    if status != want:
        sys.exit(f"rectify_prep: {what}: HTTP {status}: {body}")


def png():
    """A valid 1x1 PNG (the server checks the magic bytes)."""
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def principal(line):
    school, user = line.split()
    st, out, hdrs = call("POST", "/api/v1/session", {"username": user, "password": PASSWORD})
    need(st, 201, f"sign-in of {user}", out)
    cookie = hdrs["Set-Cookie"].split(";")[0]
    st, tok, _ = call("POST", "/api/v1/tokens", {"name": "bench"},
                      {"Cookie": cookie, "X-CSRF-Token": out["csrf_token"]})
    need(st, 201, f"token of {user}", tok)
    auth = {"Authorization": "Bearer " + tok["token"]}
    st, ev, _ = call("POST", "/api/v1/evidence", None,
                     dict(auth, **{"Content-Type": "image/png", "X-Filename": "photo.png"}), raw=png())
    need(st, 201, f"evidence upload of {user}", ev)
    return f"{school} {tok['token']} {ev['id']}"


def cmd_principals():
    lines = [l for l in sys.stdin.read().splitlines() if l.strip()]
    with cf.ThreadPoolExecutor(4) as ex:
        for out in ex.map(principal, lines):
            print(out)


def cmd_bulk(n):
    schools = [int(x) for x in os.environ["BENCH_SCHOOLS"].split(",")]
    items = [int(x) for x in os.environ["BENCH_ITEMS"].split(",")]
    today = datetime.date.fromisoformat(os.environ["DUDAO_TODAY"])
    auth = {"Authorization": "Bearer " + os.environ["DUDAO_TOKEN"]}
    sev = ["一般", "较重", "严重"]
    sizes = [100] * (n // 100) + ([n % 100] if n % 100 else [])

    def visit(k):
        findings = [{"item_id": items[(k + i) % len(items)], "severity": sev[(k + i) % 3],
                     "description": f"批量问题 {k}-{i}：台账资料不全，需补齐并上传扫描件。"}
                    for i in range(sizes[k])]
        body = {"school_id": schools[k % len(schools)], "kind": "专项督导", "file": True,
                "visit_date": (today - datetime.timedelta(days=k % 150)).isoformat(), "findings": findings}
        st, out, _ = call("POST", "/api/v1/visits", body, auth)
        need(st, 201, "bulk visit", out)
        return len(out["findings"])

    with cf.ThreadPoolExecutor(4) as ex:
        made = sum(ex.map(visit, range(len(sizes))))
    print(made)


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "principals":
        cmd_principals()
    elif len(sys.argv) == 3 and sys.argv[1] == "bulk":
        cmd_bulk(int(sys.argv[2]))
    else:
        sys.exit(__doc__)
