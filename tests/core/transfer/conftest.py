"""Helpers of the import/export tests: files made like people make them, imports run as a
user (in a request context, as the job's thread does), uploads through the page with CSRF."""
from __future__ import annotations

import csv
import io
import re
import tempfile
import time

import pytest
from flask import g

from app.core import registry
from app.core.models import PuwanUser, RecordChange
from app.core.transfer.importer import Importer
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from tests.conftest import csrf_token

ENTERPRISE_HEADER_ZH = ["统一社会信用代码", "名称（中文）", "行业", "阶段", "日资企业"]


def csv_bytes(header: list, rows: list[list], encoding: str = "utf-8-sig",
              delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header: list, rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


class Importing:
    """Run the Importer on a file's bytes as a user, the way the job's thread does."""

    def __init__(self, app):
        self.app = app

    def __call__(self, username: str | None, content: bytes, table: str = "enterprise",
                 commit: bool = True, lang: str = "en", **config) -> dict:
        with tempfile.NamedTemporaryFile(suffix=".bin") as fh:
            fh.write(content)
            fh.flush()
            old = {key: self.app.config[key] for key in config if key in self.app.config}
            self.app.config.update(config)
            try:
                with self.app.test_request_context("/", headers={"Accept-Language": lang}):
                    from flask_babel import force_locale

                    if username:
                        g.user = db.session.query(PuwanUser).filter_by(username=username).one()
                    with force_locale(lang):
                        importer = Importer(registry.get(table), fh.name)
                        summary = importer.preview()
                        if commit and not summary["counts"]["refused"]:
                            summary["committed"] = importer.commit()
                    db.session.remove()
            finally:
                for key in config:
                    self.app.config.pop(key, None)
                self.app.config.update(old)
        return summary


@pytest.fixture
def importing(app):
    return Importing(app)


def totals(app) -> tuple[int, int]:
    """(enterprises, history rows): nothing written means neither moved."""
    with app.app_context():
        counts = (db.session.query(Enterprise).count(), db.session.query(RecordChange).count())
        db.session.remove()
    return counts


def reasons(summary: dict) -> list[str]:
    return [reason for row in summary["rows"] for reason in row["reasons"]]


def upload(client, path: str, content: bytes, filename: str):
    """Upload through the import page like a person: its form's CSRF token, multipart."""
    token = csrf_token(client, path)
    return client.post(path, data={"csrf_token": token, "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def wait(client, job_url: str, timeout: float = 30) -> dict:
    """Poll the job's progress (as its page does) until the step ends."""
    deadline = time.monotonic() + timeout
    while True:
        state = client.get(job_url + "/progress").json
        if state["state"] not in ("checking", "importing") or time.monotonic() > deadline:
            return state
        time.sleep(0.05)


def confirm(client, job_url: str):
    html = client.get(job_url).get_data(as_text=True)
    token = re.search(r'id="import-confirm-form".*?name="csrf_token" value="([^"]+)"', html,
                      re.S).group(1)
    return client.post(job_url + "/confirm", data={"csrf_token": token})
