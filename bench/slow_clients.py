#!/usr/bin/env python3
"""Slow-client figure of bench/README.md ("Slow and idle clients").

Keeps DRIP connections sending a request header one byte per second and IDLE connections that
send nothing (each reopened as soon as the server closes it), and meanwhile times GET /livez and
an authenticated GET (a shortlist) from a fresh connection per request: p50 and p99 in ms, and
the statuses seen. Against the server alone (plain HTTP; the attackers spread over 127.0.0.2.. so
that each address stays under the per-address limit) or behind the proxy (--tls CAFILE: the
attackers finish the TLS handshake, then drip or idle).

  bench/slow_clients.py --port 18080 --token TOKEN --path /v1/openings/12/shortlist?k=20
  bench/slow_clients.py --port 18443 --tls /tmp/px/tls/cert.pem --token TOKEN --path ...
"""
import argparse
import http.client
import socket
import ssl
import statistics
import threading
import time

stop = threading.Event()
counts = {"opened": 0, "closed_by_server": 0, "refused": 0}
lock = threading.Lock()


def count(key):
    with lock:
        counts[key] += 1


def connect(args, source):
    raw = socket.create_connection((args.host, args.port), timeout=60, source_address=(source, 0))
    if not args.tls:
        return raw
    ctx = ssl.create_default_context(cafile=args.tls)
    return ctx.wrap_socket(raw, server_hostname="localhost")


def attacker(args, source, drip):
    while not stop.is_set():
        try:
            s = connect(args, source)
        except OSError:
            count("refused")
            time.sleep(0.5)
            continue
        count("opened")
        try:
            s.settimeout(1.0)
            if drip:
                s.sendall(b"GET /livez HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
            while not stop.is_set():
                if drip:
                    s.sendall(b"a")
                try:
                    if s.recv(4096) == b"":  # closed (after a 408, or idle)
                        count("closed_by_server")
                        break
                    count("closed_by_server")  # an answer (408): the server closes next
                    break
                except (socket.timeout, ssl.SSLError):
                    pass
        except OSError:
            count("closed_by_server")
        finally:
            s.close()


def timed(args, path, token):
    start = time.perf_counter()
    if args.tls:
        ctx = ssl.create_default_context(cafile=args.tls)
        conn = http.client.HTTPSConnection(args.host, args.port, timeout=60, context=ctx)
    else:
        conn = http.client.HTTPConnection(args.host, args.port, timeout=60)
    headers = {"Host": "localhost", "Connection": "close"}
    if token:
        headers["Authorization"] = "Bearer " + token
    try:
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        resp.read()
        status = resp.status
    except OSError as e:
        status = type(e).__name__
    finally:
        conn.close()
    return (time.perf_counter() - start) * 1000.0, status


def series(args, label):
    out = {}
    for name, path, token in (("livez", "/livez", None), ("authenticated", args.path, args.token)):
        times, statuses = [], {}
        for _ in range(args.samples):
            ms, status = timed(args, path, token)
            times.append(ms)
            statuses[status] = statuses.get(status, 0) + 1
            time.sleep(args.pause)
        times.sort()
        p50 = statistics.median(times)
        p99 = times[min(len(times) - 1, int(round(0.99 * (len(times) - 1))))]
        out[name] = (p50, p99, times[-1], statuses)
        print(f"{label:>28} {name:>13}: p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  max {times[-1]:7.1f} ms  "
              f"statuses {statuses}", flush=True)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tls", help="CA file: speak HTTPS (behind the proxy)")
    parser.add_argument("--token", required=True)
    parser.add_argument("--path", required=True, help="the authenticated GET, e.g. a shortlist")
    parser.add_argument("--drip", type=int, default=100)
    parser.add_argument("--idle", type=int, default=100)
    parser.add_argument("--sources", type=int, default=4, help="attacker addresses 127.0.0.2 ...")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--pause", type=float, default=0.02, help="seconds between timed requests")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds after opening the attackers")
    args = parser.parse_args()

    series(args, "no slow clients")
    threads = []
    for i in range(args.drip + args.idle):
        source = f"127.0.0.{2 + i % args.sources}"
        t = threading.Thread(target=attacker, args=(args, source, i < args.drip), daemon=True)
        t.start()
        threads.append(t)
    time.sleep(args.settle)
    series(args, f"{args.drip} dripping + {args.idle} idle")
    stop.set()
    print(f"attackers: {counts['opened']} connections opened, {counts['closed_by_server']} closed by the "
          f"server (408 or idle close), {counts['refused']} connects refused", flush=True)


if __name__ == "__main__":
    main()
