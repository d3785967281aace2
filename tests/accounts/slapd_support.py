"""A real OpenLDAP server (Debian's slapd) for the directory tests, with its own config dir and a free port.

Skipped with a message where slapd is not installed, except when HOCSO_REQUIRE_SLAPD is set (.ci/run sets it):
then a missing slapd fails the tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.accounts.oidc_support import free_port

SLAPD = "/usr/sbin/slapd"
LDIF = Path(__file__).with_name("directory.ldif")
SUFFIX = "dc=mofa,dc=example"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "slapd-test-admin"  # noqa: S105 - a throwaway test directory
SCHEMAS = ("core", "cosine", "inetorgperson", "nis")


def require_slapd() -> None:
    missing = [tool for tool in (SLAPD, shutil.which("ldapadd") or "ldapadd") if not os.path.exists(tool)]
    if missing:
        message = f"OpenLDAP is not installed ({', '.join(missing)}): apt-get install slapd ldap-utils"
        if os.environ.get("HOCSO_REQUIRE_SLAPD"):
            pytest.fail(message + " (HOCSO_REQUIRE_SLAPD is set: the directory tests must run)")
        pytest.skip(message)


class Slapd:
    def __init__(self, workdir: Path):
        require_slapd()
        self.port = free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}"
        data = workdir / "data"
        data.mkdir(parents=True)
        schema_dir = Path("/etc/ldap/schema")
        includes = "\n".join(f"include {schema_dir / name}.schema" for name in SCHEMAS)
        config = workdir / "slapd.conf"
        config.write_text(
            f"""{includes}
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {workdir / "slapd.pid"}
database mdb
maxsize 10485760
suffix "{SUFFIX}"
rootdn "{ROOT_DN}"
rootpw {ROOT_PASSWORD}
directory {data}
index objectClass eq
access to attrs=userPassword by anonymous auth by * none
access to * by * read
"""
        )
        self.process = subprocess.Popen(
            [SLAPD, "-f", str(config), "-h", self.uri, "-d", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._load()

    def _load(self) -> None:
        deadline = time.monotonic() + 20
        while True:
            done = subprocess.run(
                ["ldapadd", "-x", "-H", self.uri, "-D", ROOT_DN, "-w", ROOT_PASSWORD, "-f", str(LDIF)],
                capture_output=True,
                text=True,
            )
            if done.returncode == 0:
                return
            if self.process.poll() is not None or time.monotonic() > deadline:
                error = self.process.stderr.read().decode() if self.process.poll() is not None else ""
                self.stop()
                pytest.fail(f"slapd did not start or load the LDIF: {done.stderr} {error}")
            time.sleep(0.3)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def settings(self) -> dict:
        return {
            "LDAP_SERVER_URI": self.uri,
            "LDAP_BIND_DN": ROOT_DN,
            "LDAP_BIND_PASSWORD": ROOT_PASSWORD,
            "LDAP_USER_SEARCH_BASE": f"ou=people,{SUFFIX}",
            "LDAP_USER_FILTER": "(uid=%(user)s)",
            "LDAP_MATCH": "employee_number",
            "LDAP_MATCH_ATTRIBUTE": "employeeNumber",
            "LDAP_GROUP_SEARCH_BASE": f"ou=groups,{SUFFIX}",
            "LDAP_GROUP_TYPE": "group_of_names",
            "LDAP_ROLE_GROUPS": {},
            "LDAP_TIMEOUT": 3,
        }
