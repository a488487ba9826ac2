"""Measures how long a committed ticket change takes to reach a webhook callback: subscribes a
local callback to "When a ticket's status changes", changes a ticket's status through the REST
API again and again, and for each takes the time from the PATCH's answer (the change is
committed before Flowhost answers) to the callback's request. Prints the median, p90 and max.

Usage: hook_latency.py FLOWHOST_URL TOKEN TICKET_ID [COUNT]
"""

import json
import statistics
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

arrived = {}
arrival = threading.Condition()


class Callback(BaseHTTPRequestHandler):
    def do_POST(self):
        now = time.monotonic()
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with arrival:
            arrived[body["version"]] = now
            arrival.notify_all()
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def call(method, url, token, body=None):
    request = urllib.request.Request(
        url,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def main(base, token, ticket, count=50):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Callback)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    callback = f"http://127.0.0.1:{server.server_address[1]}/callback"
    call("POST", f"{base}/api/v1/hooks/ticket-status-changed", token, {"callbackUrl": callback})
    latencies = []
    for n in range(int(count)):
        status = "pending" if n % 2 == 0 else "open"
        changed = call("PATCH", f"{base}/api/v1/tickets/{ticket}", token, {"status": status})
        committed = time.monotonic()
        with arrival:
            if not arrival.wait_for(lambda: changed["version"] in arrived, timeout=10):
                sys.exit(f"no callback within 10 s for version {changed['version']}")
            latencies.append((arrived[changed["version"]] - committed) * 1000)
    latencies.sort()
    p90 = latencies[int(len(latencies) * 0.9) - 1]
    print(
        f"{len(latencies)} changes: median {statistics.median(latencies):.1f} ms, "
        f"p90 {p90:.1f} ms, max {latencies[-1]:.1f} ms"
    )


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    main(*sys.argv[1:])
