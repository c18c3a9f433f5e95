"""Debian's Apache 2.4 serving a release as a school's IT person sets it up: Debian's own configuration
(a copy of /etc/apache2, so its modules, MIME types, deflate and `<Directory />` rules apply), on loopback
ports, with the site under /var/www-like folders at a sub-path, at the root of another virtual host, and
behind an `Alias`. Only what a setting under test changes differs from the stock configuration."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BINARY = Path("/usr/sbin/apache2")
STOCK = Path("/etc/apache2")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Apache:
    """One Apache with three virtual hosts serving ``site``: ``sub`` (http://…/kasibi/, the site copied under a
    /var/www/html-like folder), ``root`` (the same folder as another host's DocumentRoot) and ``alias``
    (``Alias /mektep/kasibi <site>``). ``override`` is the site folders' AllowOverride; ``modules`` are
    enabled beyond Debian's defaults (as `a2enmod` does)."""

    site: Path
    override: str = "None"
    modules: tuple[str, ...] = ()
    ports: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not BINARY.exists():
            raise RuntimeError("apache2 is needed for this test: make test installs it")
        # Apache's workers run as www-data: every folder they enter must be open to all.
        self.work = Path(tempfile.mkdtemp(prefix="kasibi-apache-"))
        self.work.chmod(0o755)
        self.conf = self.work / "conf"
        shutil.copytree(STOCK, self.conf, symlinks=True)
        for folder in ("run", "lock", "log"):
            (self.work / folder).mkdir(mode=0o777)
            (self.work / folder).chmod(0o777)
        www = self.work / "www"
        (www / "html").mkdir(parents=True)
        (www / "html" / "kasibi").symlink_to(self.site, target_is_directory=True)
        for module in self.modules:
            for ext in ("load", "conf"):
                available = self.conf / "mods-available" / f"{module}.{ext}"
                if available.exists():
                    (self.conf / "mods-enabled" / available.name).symlink_to(f"../mods-available/{available.name}")
        self.ports = {name: free_port() for name in ("sub", "root", "alias")}
        (self.conf / "ports.conf").write_text("".join(f"Listen 127.0.0.1:{p}\n" for p in self.ports.values()))
        for enabled in (self.conf / "sites-enabled").iterdir():
            enabled.unlink()
        (self.conf / "sites-enabled" / "kasibi.conf").write_text(self.site_config(www), encoding="utf-8")

    def site_config(self, www: Path) -> str:
        """The hosts, and the `<Directory>` Debian writes for /var/www with only AllowOverride changed."""
        directory = f"""
<Directory {www}/>
    Options Indexes FollowSymLinks
    AllowOverride {self.override}
    Require all granted
</Directory>
<Directory {self.site}/>
    Options Indexes FollowSymLinks
    AllowOverride {self.override}
    Require all granted
</Directory>"""
        hosts = {
            "sub": f"DocumentRoot {www}/html",
            "root": f"DocumentRoot {www}/html/kasibi",
            "alias": f"DocumentRoot {www}/html\n    Alias /mektep/kasibi {self.site}",
        }
        return directory + "".join(
            f"\n<VirtualHost 127.0.0.1:{self.ports[name]}>\n    {host}\n</VirtualHost>" for name, host in hosts.items()
        )

    @property
    def env(self) -> dict[str, str]:
        """What Debian's envvars file sets, pointed at this server's own folders."""
        user = "www-data" if os.geteuid() == 0 else os.environ.get("USER", "nobody")
        return {
            **os.environ,
            "APACHE_CONFDIR": str(self.conf),
            "APACHE_RUN_USER": user,
            "APACHE_RUN_GROUP": user,
            "APACHE_PID_FILE": str(self.work / "run" / "apache2.pid"),
            "APACHE_RUN_DIR": str(self.work / "run"),
            "APACHE_LOCK_DIR": str(self.work / "lock"),
            "APACHE_LOG_DIR": str(self.work / "log"),
            "LANG": "C",
        }

    def command(self, *args: str) -> list[str]:
        return [str(BINARY), "-d", str(self.conf), "-f", str(self.conf / "apache2.conf"), *args]

    def configtest(self) -> subprocess.CompletedProcess:
        """What `apache2ctl configtest` runs."""
        return subprocess.run(self.command("-t"), env=self.env, capture_output=True, text=True)

    def __enter__(self) -> Apache:
        self.process = subprocess.Popen(self.command("-DFOREGROUND"), env=self.env, stderr=subprocess.PIPE)
        for port in self.ports.values():
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"apache2 did not start: {self.process.stderr.read().decode()}") from None
                    time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        shutil.rmtree(self.work, ignore_errors=True)

    def url(self, host: str) -> str:
        path = {"sub": "/kasibi/", "root": "/", "alias": "/mektep/kasibi/"}[host]
        return f"http://127.0.0.1:{self.ports[host]}{path}"

    def errors(self) -> str:
        log = self.work / "log" / "error.log"
        return log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
