"""Benchmark importing enterprises: 100,000 rows through the list page's import and the CLI.

    python -m bench.bench_import                   # 100k rows, SQLite (a temporary file)
    python -m bench.bench_import --rows 20000      # a quick look
    python -m bench.bench_import --database-url postgresql://postgres@127.0.0.1:5432/scratch
                                                   # a throw-away database: its tables are dropped

It writes an XLSX file of N new enterprises the way an export of the list looks (Chinese
headers, labels, the department by name) and imports it, each path in a fresh database and in a
process of its own (so that each peak memory is its own):

- ``ui``: the path a person takes, through the test client: log in, upload the file (CSRF
  token and all), poll the job's progress until the preview is ready, confirm, poll until it
  is imported;
- ``cli``: ``flask records import enterprise FILE --user …`` (preview, then write);
- ``again``: the CLI on the same file once more (every row unchanged: nothing written).

Each prints its time and the process's peak memory (``ru_maxrss``), and checks that every row
became one enterprise with one history row. Figures: bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "Bench-pass-2026"
USER = "bench_ipb"  # Department staff of the Investment Promotion Bureau
HEADER = ["统一社会信用代码", "名称（中文）", "名称（日文）", "名称（英文）", "行业", "阶段",
          "日资企业", "出口企业", "地址", "联系人", "联系电话", "联系邮箱", "所属部门"]
INDUSTRIES = ["石化及新材料", "装备制造", "汽车及零部件", "电子信息", "食品加工", "物流商贸"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_file(path: str, rows: int) -> None:
    from app.core.transfer.sheets import write_xlsx
    from app.registers.enterprises.validators import uscc_check_char

    def lines():
        for n in range(rows):
            body = f"91210213{n:09d}"
            yield [body + uscc_check_char(body), f"大连普湾测试企业{n:06d}有限公司",
                   f"テスト企業{n:06d}" if n % 5 == 0 else None, f"Test Enterprise {n:06d} Co., Ltd.",
                   INDUSTRIES[n % len(INDUSTRIES)], "已投产" if n % 3 else "在建项目",
                   "是" if n % 5 == 0 else "否", "否", f"普湾经济区{n % 300}号路{n % 97}号",
                   "张经理", f"0411-8{n % 10_000_000:07d}", f"contact{n}@example.cn", "投资促进局"]

    write_xlsx(path, "企业", HEADER, lines())


def make_app(url: str, upload_dir: str):
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": True,
                       "AUTH_RATE_LIMIT": "10000 per minute", "AUTH_ACCOUNT_RATE_LIMIT": "10000 per minute",
                       "RATELIMIT_STORAGE_URI": "memory://",
                       "UPLOAD_FOLDER": upload_dir})


def prepare(app) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import MetaData

    from app.core.seeds import load_all
    from app.core.users import create_user
    from app.extensions import db

    with app.app_context():
        meta = MetaData()
        meta.reflect(bind=db.engine)
        meta.drop_all(bind=db.engine)
        upgrade()
        load_all()
        create_user(USER, PASSWORD, "IPB", ["Department staff"], first_name="Bench",
                    last_name="IPB")
        db.session.commit()


def counts(app) -> dict:
    from app.core.models import RecordChange
    from app.extensions import db
    from app.registers.enterprises.models import Enterprise

    with app.app_context():
        return {"enterprises": db.session.query(Enterprise).count(),
                "history rows": db.session.query(RecordChange).count()}


def _csrf(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _wait(client, url: str) -> dict:
    while True:
        state = client.get(url + "/progress").json
        if state["state"] not in ("checking", "importing"):
            return state
        time.sleep(0.5)


def phase_ui(app, path: str) -> dict:
    client = app.test_client()
    client.post("/login/", data={"username": USER, "password": PASSWORD,
                                 "csrf_token": _csrf(client, "/login/")})
    began = time.perf_counter()
    with open(path, "rb") as fh:
        resp = client.post("/enterprises/import/", content_type="multipart/form-data", data={
            "csrf_token": _csrf(client, "/enterprises/import/"),
            "file": (io.BytesIO(fh.read()), "enterprises.xlsx")})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:800]
    job = resp.headers["Location"]
    preview = _wait(client, job)
    previewed = time.perf_counter()
    assert preview["state"] == "ready", preview
    resp = client.post(job + "/confirm", data={"csrf_token": _csrf(client, job)})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:800]
    done = _wait(client, job)
    finished = time.perf_counter()
    assert done["state"] == "done", client.get(job).get_data(as_text=True)[-3000:]
    return {"preview s": round(previewed - began, 1), "import s": round(finished - previewed, 1),
            "total s": round(finished - began, 1), "counts": done["counts"]}


def phase_cli(app, path: str) -> dict:
    began = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["records", "import", "enterprise", path,
                                                "--user", USER])
    assert result.exit_code == 0, result.output
    return {"total s": round(time.perf_counter() - began, 1),
            "output": result.output.strip().splitlines()}


def run_phase(args) -> None:
    """One path, in this process (started by main)."""
    app = make_app(args.url, args.uploads)
    if args.phase != "again":
        prepare(app)
    began = time.process_time()
    result = {"ui": phase_ui, "cli": phase_cli, "again": phase_cli}[args.phase](app, args.file)
    result.update(counts(app), phase=args.phase, **{"cpu s": round(time.process_time() - began, 1),
                                                   "peak MB": round(peak_mb())})
    print(json.dumps(result, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="a throw-away database (default: SQLite)")
    parser.add_argument("--phase", choices=["ui", "cli", "again"])
    parser.add_argument("--url")
    parser.add_argument("--file")
    parser.add_argument("--uploads")
    args = parser.parse_args()
    if args.phase:
        run_phase(args)
        return
    with tempfile.TemporaryDirectory(prefix="puwan-bench-import-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench-import.sqlite"
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        path = os.path.join(tmp, "enterprises.xlsx")
        began = time.perf_counter()
        write_file(path, args.rows)
        size = os.path.getsize(path) / 1024 / 1024
        print(f"{args.rows:,} rows written to an XLSX file of {size:.1f} MB in "
              f"{time.perf_counter() - began:.0f} s", flush=True)
        for phase in ("ui", "cli", "again"):
            command = [sys.executable, "-m", "bench.bench_import", "--phase", phase, "--url", url,
                       "--file", path, "--uploads", os.path.join(tmp, "uploads"),
                       "--rows", str(args.rows)]
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"{phase}: failed\n{done.stderr[-5000:]}")
            print(done.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
