"""Loopback load: gunicorn (4 workers) serving the bench database, wrk driving it.

    python -m bench.load --database sqlite        # after `python -m bench.run --database sqlite`
    python -m bench.load --database postgresql    # after `python -m bench.run … --keep`

A department user's session (and a JWT for the REST call) rotates over the list page with and
without a text search, an order page, the REST list and the dashboard data, for ``--seconds``
with ``--connections`` open connections. Prints wrk's figures and the count of errors (socket
errors and any answer but a 200); the run is bounded in time by wrk itself.
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import requests

from bench.run import PASSWORD, SEARCH, USER, WORKORDERS_DEFAULT, database_url, rison_list

ROOT = Path(__file__).resolve().parent.parent
LUA = """
local paths = {%(paths)s}
local cookie = "%(cookie)s"
local bearer = "%(bearer)s"
local i = 0
request = function()
  i = i + 1
  local path = paths[(i %% #paths) + 1]
  local headers = {}
  if string.sub(path, 1, 5) == "/api/" then
    headers["Authorization"] = "Bearer " .. bearer
  else
    headers["Cookie"] = cookie
  end
  return wrk.format("GET", path, headers)
end

-- Every answer must be a 200: a redirect to the login page would count as a success for wrk.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end
function done(summary, latency, requests)
  local n = 0
  for _, thread in ipairs(threads) do n = n + thread:get("not_ok") end
  io.write(string.format("not 200: %%d\\n", n))
end
"""


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not come up")


def login(base: str) -> tuple[str, str, int]:
    http = requests.Session()
    page = http.get(f"{base}/login/").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'id="csrf_token"[^>]*value="([^"]+)"', page)
    resp = http.post(f"{base}/login/", data={"username": USER, "password": PASSWORD,
                                             "csrf_token": token.group(1) if token else ""},
                     allow_redirects=False)
    if resp.status_code != 302:
        raise SystemExit(f"login failed: {resp.status_code}")
    cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
    jwt = requests.post(f"{base}/api/v1/security/login", json={
        "username": USER, "password": PASSWORD, "provider": "db"}).json()["access_token"]
    listed = requests.get(f"{base}{rison_list('workorder')}",
                          headers={"Authorization": f"Bearer {jwt}"}).json()
    return cookie, jwt, listed["ids"][0]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--workorders", type=int, default=WORKORDERS_DEFAULT)
    parser.add_argument("--dir", default="/tmp/puwan-bench")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8099)
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian package 'wrk')")

    base = f"http://127.0.0.1:{args.port}"
    instance = tempfile.mkdtemp(prefix="puwan-load-")
    env = {**os.environ, "DATABASE_URL": database_url(args), "INSTANCE_PATH": instance,
           "SECRET_KEY": secrets.token_urlsafe(32),  # one key for all workers
           "AUTH_RATE_LIMIT": "100000 per minute", "AUTH_ACCOUNT_RATE_LIMIT": "100000 per minute",
           "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(args.workers), "--bind",
         f"127.0.0.1:{args.port}", "--log-level", "warning", "app:create_app()"],
        cwd=ROOT, env=env, start_new_session=True)
    try:
        wait_for(f"{base}/login/")
        cookie, jwt, order_id = login(base)
        paths = [f"/workorders/list/?_flt_2_subject={quote(SEARCH)}", "/workorders/list/",
                 f"/workorders/show/{order_id}", rison_list("workorder"),
                 "/workorders/dashboard/data.json"]
        script = Path(instance) / "paths.lua"
        script.write_text(LUA % {"paths": ", ".join(f'"{p}"' for p in paths),
                                 "cookie": cookie, "bearer": jwt})
        print(f"# gunicorn {args.workers} workers, wrk {args.connections} connections, "
              f"{args.seconds} s, {args.database}; paths: {', '.join(paths)}", flush=True)
        out = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency",
             "--timeout", "10s", "-s", str(script), base],
            capture_output=True, text=True, check=True).stdout
        print(out)
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        socket = re.search(r"Socket errors: (.*)", out)
        not_ok = re.search(r"not 200: (\d+)", out)
        errors = int(non_2xx.group(1)) if non_2xx else 0
        errors += int(not_ok.group(1)) if not_ok else 1  # (no count: something went wrong)
        if socket:
            errors += sum(int(n) for n in re.findall(r"\d+", socket.group(1)))
        print(f"errors: {errors}")
        if errors:
            raise SystemExit(1)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
