"""A real IMAP server for the intake tests: Debian's dovecot on loopback, with a throw-away
configuration, users and mail store in a temporary directory (installed by
scripts/ensure-system-deps.sh, which ``make test`` and CI run).

Run as the current user; as root (CI), dovecot's own unprivileged users do the logging in and
own the mail. Two listeners on 127.0.0.1: plain IMAP (which offers STARTTLS, and which the code
allows unencrypted only with ``INTAKE_IMAP_ALLOW_PLAINTEXT_LOOPBACK``: most tests switch it on)
and IMAPS, with a certificate for ``localhost``/127.0.0.1 signed by a throw-away CA made here, so
the production path (TLS, certificate checked against ``INTAKE_IMAP_CA_FILE``) runs for real.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path

import pytest
from imap_tools import MailBoxUnencrypted

from tests.conftest import free_port

DOVECOT = "/usr/sbin/dovecot"
_users = itertools.count(1)
PASSWORD = "rahasia-uji"


@dataclass
class ImapServer:
    host: str
    port: int
    root: Path
    owner: tuple[int, int] | None
    tls_port: int = 0
    ca_file: str = ""

    def add_user(self) -> tuple[str, str]:
        """A new account with an empty mailbox (and an empty Processed folder): every name
        logs in with the one test password (a static passdb), and its store is made at the
        first login."""
        return f"unit{next(_users)}-{os.getpid()}", PASSWORD

    def client(self, user: str, password: str, folder: str = "INBOX"):
        return MailBoxUnencrypted(self.host, self.port, timeout=10).login(
            user, password, initial_folder=folder
        )

    def deliver(self, user, password, raw: bytes, *, at: dt.datetime | None = None, folder="INBOX"):
        """Put one message into the mailbox with IMAP APPEND, stamped by "our mail server"
        (a topmost ``Received`` header) at ``at``. dovecot's INTERNALDATE is the real clock's
        (it refuses dates ahead of it), which the suite's clock is not."""
        if at is not None:
            stamp = format_datetime(at.astimezone(dt.UTC))
            raw = (
                f"Received: from mx.warga.example by mx.kalbarprov.go.id; {stamp}\r\n".encode()
                + raw
            )
        with self.client(user, password) as box:
            box.append(raw, folder)

    def uids(self, user, password, folder="INBOX", criteria="ALL") -> list[str]:
        with self.client(user, password, folder) as box:
            return box.uids(criteria)


def _certificates(directory: Path) -> tuple[Path, Path, Path]:
    """A throw-away CA and a server certificate it signs for localhost and 127.0.0.1:
    (CA certificate, server certificate, server key), as PEM files in ``directory``."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)  # the real clock: the TLS library checks validity with it

    def _key_usage(**allowed) -> x509.KeyUsage:
        usages = [
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ]
        return x509.KeyUsage(**{usage: allowed.get(usage, False) for usage in usages})

    def name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    def certificate(subject, issuer, key, signer, *, ca: bool, extensions=()):
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        for extension, critical in extensions:
            builder = builder.add_extension(extension, critical=critical)
        return builder.sign(signer, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = name("Layanan test CA")
    ca = certificate(
        ca_name,
        ca_name,
        ca_key,
        ca_key,
        ca=True,
        extensions=[
            (x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False),
            (_key_usage(key_cert_sign=True, crl_sign=True), True),
        ],
    )
    key = ec.generate_private_key(ec.SECP256R1())
    server = certificate(
        name("localhost"),
        ca_name,
        key,
        ca_key,
        ca=False,
        extensions=[
            (
                x509.SubjectAlternativeName(
                    [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                False,
            ),
            (x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False),
            (_key_usage(digital_signature=True), True),
            (x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), False),
        ],
    )
    paths = (directory / "ca.pem", directory / "server.pem", directory / "server.key")
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    paths[2].chmod(0o600)
    return paths


def _config(root: Path, port: int, tls_port: int, owner) -> str:
    if owner is None:  # an ordinary user runs everything itself
        me = pwd.getpwuid(os.getuid())
        internal, login, uid, gid = me.pw_name, me.pw_name, me.pw_uid, me.pw_gid
    else:
        internal, login, (uid, gid) = "dovecot", "dovenull", owner
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/tls/server.pem
ssl_key = <{root}/tls/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u
auth_failure_delay = 0
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Processed {{
    auto = create
  }}
}}
"""


@pytest.fixture(scope="session")
def imap_server():
    """dovecot on 127.0.0.1 for the whole session (stopped at the end)."""
    if not os.path.exists(DOVECOT):
        pytest.fail(f"{DOVECOT} is missing: run scripts/ensure-system-deps.sh --with-browser")
    root = Path(tempfile.mkdtemp(prefix="layanan-imap-"))
    root.chmod(0o755)  # dovecot's own users (as root) must reach the mail store
    owner = None
    if os.geteuid() == 0:
        account = pwd.getpwnam("dovecot")
        owner = (account.pw_uid, account.pw_gid)
    for sub in ("run", "state", "mail", "home", "tls"):
        (root / sub).mkdir()
        if owner and sub in ("mail", "home"):
            os.chown(root / sub, *owner)
    ca_file, _cert, _key = _certificates(root / "tls")
    port, tls_port = free_port(), free_port()
    while tls_port == port:
        tls_port = free_port()
    (root / "dovecot.conf").write_text(_config(root, port, tls_port, owner))
    subprocess.run([DOVECOT, "-c", str(root / "dovecot.conf")], check=True)
    server = ImapServer("127.0.0.1", port, root, owner, tls_port, str(ca_file))
    deadline = time.monotonic() + 10
    user, password = server.add_user()
    while True:
        try:
            with server.client(user, password):
                break
        except Exception:
            if time.monotonic() > deadline:
                log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                pytest.fail(f"dovecot did not start:\n{log}")
            time.sleep(0.1)
    yield server
    pid_file = root / "run" / "master.pid"
    if pid_file.exists():
        pid = int(pid_file.read_text().strip())
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_account(imap_server, settings):
    """A fresh account on the test server; plain IMAP to loopback allowed for this test."""
    settings.INTAKE_IMAP_ALLOW_PLAINTEXT_LOOPBACK = True
    return imap_server.add_user()


@pytest.fixture(autouse=True)
def _outbox_settings(settings):
    """Nothing is dispatched on commit unless a test asks; a known sender address."""
    settings.NOTIFY_DISPATCH_ON_COMMIT = False
    settings.DEFAULT_FROM_EMAIL = "Layanan Kalbar <layanan@kalbarprov.go.id>"
    settings.WHATSAPP_ENABLED = False


@pytest.fixture
def mailbox(org):
    """Biro Kesra's mailbox record (no server behind it: for tests that receive directly)."""
    from layanan.intake.models import Mailbox

    box = Mailbox(
        unit=org["biro-kesra"],
        address="kesra@kalbarprov.go.id",
        host="imap.kalbarprov.go.id",
        username="kesra",
    )
    box.set_password("rahasia")
    box.save()
    return box


@pytest.fixture
def kesra_mailbox(org, imap_server, imap_account):
    """Biro Kesra's mailbox on the test server, its password stored encrypted."""
    from layanan.intake.models import Mailbox, MailSecurity

    user, password = imap_account
    mailbox = Mailbox(
        unit=org["biro-kesra"],
        address="kesra@kalbarprov.go.id",
        host=imap_server.host,
        port=imap_server.port,
        security=MailSecurity.PLAIN_LOOPBACK,
        username=user,
    )
    mailbox.set_password(password)
    mailbox.save()
    return mailbox
