#!/usr/bin/env python3
"""roster_orgs.py - creates the province of scripts/bench-roster.sh through the API:
reads roster_gen.awk's "orgs" lines on stdin (towns, each followed by its schools),
POSTs each town under ROOT_ID, then the schools under their town over CONNS
keep-alive connections (each POST is its own durable transaction, so a few run at
once). Needs DUDAO_URL and DUDAO_TOKEN. Prints "towns schools seconds" on stdout;
exits non-zero (with the answer on stderr) when a POST fails.

usage: roster_orgs.py ROOT_ID [CONNS]"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse


def connection():
    u = urllib.parse.urlparse(os.environ['DUDAO_URL'])
    return http.client.HTTPConnection(u.hostname, u.port, timeout=60)


def post(conn, body):
    """POST /api/v1/orgs; returns the new id or raises with the answer."""
    conn.request('POST', '/api/v1/orgs', body=json.dumps(body, ensure_ascii=False).encode(),
                 headers={'Authorization': 'Bearer ' + os.environ['DUDAO_TOKEN'],
                          'Content-Type': 'application/json'})
    r = conn.getresponse()
    data = r.read()
    if r.status != 201:
        raise RuntimeError('POST /api/v1/orgs %s: %d %s' % (body['name'], r.status, data[:300]))
    return json.loads(data)['id']


def main():
    root = int(sys.argv[1])
    conns = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    towns, schools = [], []
    for line in sys.stdin:
        f = line.rstrip('\n').split('\t')
        if f[0] == 'town':
            towns.append(f[2])
        else:
            schools.append((int(f[1]), f[2], f[3]))
    t0 = time.time()
    c = connection()
    town_ids = [post(c, {'kind': 'town', 'name': name, 'parent_id': root}) for name in towns]
    c.close()
    failed = []

    def worker(part):
        conn = connection()
        try:
            for t, code, name in part:
                post(conn, {'kind': 'school', 'name': name, 'parent_id': town_ids[t], 'code': code,
                            'stages': ['小学', '初中'], 'boarding': False})
        except Exception as e:  # reported below, the others stop at their next POST
            failed.append(str(e))
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(schools[i::conns],)) for i in range(conns)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if failed:
        print(failed[0], file=sys.stderr)
        sys.exit(1)
    print(len(towns), len(schools), '%.1f' % (time.time() - t0))


if __name__ == '__main__':
    main()
