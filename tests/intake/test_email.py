"""E-mail intake: real MIME samples decoded, and a real IMAP server (Debian's dovecot) fetched."""
import imaplib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from app.extensions import db
from app.intake.email import decode_bytes, parse_message
from app.registers.workorders.models import WorkOrder

MAIL = Path(__file__).with_name("mail")


def _sample(name):
    return (MAIL / name).read_bytes()


def test_gb2312_labelled_mail_with_gbk_characters_decodes():
    mail = parse_message(_sample("gb2312.eml"))
    assert mail.subject == "关于喆达路施工许可的咨询"   # 喆 is GBK, not GB2312
    assert "喆达路段施工许可" in mail.body
    assert (mail.sender_name, mail.sender_address) == ("李先生", "li@example.cn")
    assert (mail.language, mail.message_id) == ("zh", "<gb2312-sample-1@example.cn>")


def test_iso_2022_jp_mail_decodes():
    mail = parse_message(_sample("iso2022jp.eml"))
    assert mail.subject == "展示会ブース補助金について"
    assert "ブース補助金の申請方法" in mail.body
    assert mail.sender_name == "松木" and mail.language == "ja"


def test_utf8_mail_keeps_its_attachment():
    mail = parse_message(_sample("utf8_attachment.eml"))
    assert mail.subject == "融资对接会报名（附申请表）"
    assert mail.attachments == [("申请表.pdf", "application/pdf",
                                 b"%PDF-1.4\n% sample attachment\n")]


def test_unknown_charset_label_falls_back_to_utf8():
    assert decode_bytes("你好".encode(), "x-unknown-charset") == "你好"


# --- against a real IMAP server --------------------------------------------------------------------

DOVECOT_CONF = """
protocols = imap
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:{base}/mail/%u
default_internal_user = dovecot
default_login_user = dovenull
mail_uid = dovecot
mail_gid = dovecot
first_valid_uid = 100
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/passwd
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={base}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def imap_server():
    dovecot = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not os.path.exists(dovecot) or os.geteuid() != 0:
        if os.environ.get("REQUIRE_DOVECOT"):
            pytest.fail("dovecot-imapd is not installed (apt-get install dovecot-imapd) or not root")
        pytest.skip("needs Debian's dovecot-imapd, run as root")
    # Not under pytest's private temp dir: dovecot's unprivileged processes must traverse it.
    base = Path(tempfile.mkdtemp(prefix="puwan-dovecot-"))
    for sub in ("run", "state", "mail"):
        (base / sub).mkdir()
    os.chmod(base, 0o755)
    shutil.chown(base / "mail", "dovecot", "dovecot")
    port = _free_port()
    (base / "passwd").write_text("intake:{PLAIN}intake-secret\n")
    (base / "dovecot.conf").write_text(DOVECOT_CONF.format(base=base, port=port))
    process = subprocess.Popen([dovecot, "-F", "-c", str(base / "dovecot.conf")])
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield {"IMAP_HOST": "127.0.0.1", "IMAP_PORT": port, "IMAP_SSL": False,
           "IMAP_USER": "intake", "IMAP_PASSWORD": "intake-secret", "IMAP_MAILBOX": "INBOX"}
    process.terminate()
    process.wait(10)
    shutil.rmtree(base, ignore_errors=True)


def _deliver(server, *names):
    connection = imaplib.IMAP4(server["IMAP_HOST"], server["IMAP_PORT"])
    connection.login(server["IMAP_USER"], server["IMAP_PASSWORD"])
    for name in names:
        connection.append("INBOX", None, None, _sample(name))
    connection.logout()


def _unseen(server) -> int:
    connection = imaplib.IMAP4(server["IMAP_HOST"], server["IMAP_PORT"])
    connection.login(server["IMAP_USER"], server["IMAP_PASSWORD"])
    connection.select("INBOX")
    count = len(connection.search(None, "UNSEEN")[1][0].split())
    connection.logout()
    return count


def test_intake_from_a_real_imap_mailbox(app, auth, imap_server):
    app.config.update(imap_server)
    try:
        _deliver(imap_server, "gb2312.eml", "iso2022jp.eml", "utf8_attachment.eml")
        runner = app.test_cli_runner()
        result = runner.invoke(args=["intake", "email"])
        assert result.exit_code == 0, result.output
        assert "3 created" in result.output
        assert _unseen(imap_server) == 0
        # the same messages again (e.g. re-marked unseen): no duplicates
        _deliver(imap_server, "gb2312.eml")
        assert "1 already known" in runner.invoke(args=["intake", "email"]).output
        with app.app_context():
            orders = {o.subject: o for o in db.session.query(WorkOrder).filter_by(channel="email")}
            assert set(orders) == {"关于喆达路施工许可的咨询", "展示会ブース補助金について",
                                   "融资对接会报名（附申请表）"}
            assert orders["展示会ブース補助金について"].language == "ja"
            order = orders["融资对接会报名（附申请表）"]
            attachment = order.attachments[0]
            assert (attachment.filename, order.contact_email) == ("申请表.pdf", "zhang@example.com")
            pk, attachment_id = order.id, attachment.id
        office = auth.client("office")
        resp = office.get(f"/workorders/attachment/{attachment_id}")
        assert resp.status_code == 200 and resp.data.startswith(b"%PDF-1.4")
        # a department that cannot see the order cannot fetch its file either
        assert auth.client("edb").get(f"/workorders/attachment/{attachment_id}").status_code == 404
        assert pk
    finally:
        for key in imap_server:
            app.config.pop(key, None)
