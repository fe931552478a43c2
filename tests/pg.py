"""A throw-away PostgreSQL server for tests: Debian's ``postgresql`` package, run from its own bin folder.

    server = PostgresServer()
    url = server.start(tmp_dir)          # postgres://postgres@127.0.0.1:PORT/postgres
    server.createdb("shop")              # or createdb("copy", template="shop")
    server.stop()

The cluster lives in ``tmp_dir/pgdata``, listens on 127.0.0.1 only (no Unix socket outside the temp
folder), trusts loopback connections and runs as the ``postgres`` user when we are root (PostgreSQL
refuses to run as root). ``find_bindir()`` says where initdb/pg_ctl are, or None when not installed.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

__all__ = ["PostgresServer", "PostgresError", "find_bindir", "free_port"]


class PostgresError(RuntimeError):
    """initdb, pg_ctl or a client command failed (its output is in the message)."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_bindir() -> Path | None:
    """The folder with initdb and pg_ctl: ``pg_config --bindir``, else the newest /usr/lib/postgresql/*/bin."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10).stdout.strip()
            if out:
                candidates.append(Path(out))
        except (OSError, subprocess.SubprocessError):
            pass
    def version(path: str) -> float:
        try:
            return float(Path(path).parent.name)
        except ValueError:
            return 0.0
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)]
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


class PostgresServer:
    """One PostgreSQL cluster in a temporary folder (see the module docstring)."""

    user = "postgres"

    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir()
        if self.bindir is None:
            raise PostgresError("PostgreSQL is not installed (no initdb/pg_ctl; apt-get install postgresql)")
        self.port: int | None = None
        self.datadir: Path | None = None
        self.timings: dict[str, float] = {}
        self._as_root = os.geteuid() == 0

    # -- running commands (as the postgres user when we are root) ------------------------------------------

    def _cmd(self, name: str, *args: str) -> list[str]:
        cmd = [str(self.bindir / name), *args]
        if self._as_root:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return cmd

    def _run(self, name: str, *args: str, timeout: float = 120) -> str:
        proc = subprocess.run(self._cmd(name, *args), capture_output=True, text=True, timeout=timeout,
                              cwd="/", env=self._env())
        if proc.returncode != 0:
            raise PostgresError(f"{name} {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
        return proc.stdout

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = env.get("LC_ALL") or "C.UTF-8"
        if self.port:
            env.update(PGHOST="127.0.0.1", PGPORT=str(self.port), PGUSER=self.user)
        return env

    # -- the API -------------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self.url_for("postgres")

    def url_for(self, dbname: str) -> str:
        if self.port is None:
            raise PostgresError("not started")
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def start(self, tmpdir: str | os.PathLike[str]) -> str:
        """initdb into ``tmpdir/pgdata`` and start on a free loopback port; returns the server's URL."""
        base = Path(tmpdir)
        base.mkdir(parents=True, exist_ok=True)
        self.datadir = base / "pgdata"
        sockets = base / "pgsock"
        sockets.mkdir(exist_ok=True)
        if self._as_root:
            import pwd
            entry = pwd.getpwnam(self.user)
            # the postgres user must reach the folder: make the parents traversable and hand it the subfolders
            for folder in [base, *base.parents]:
                if folder == Path("/"):
                    break
                mode = folder.stat().st_mode
                if not mode & 0o001:
                    os.chmod(folder, mode | 0o711)
            os.chown(base, entry.pw_uid, entry.pw_gid)
            os.chown(sockets, entry.pw_uid, entry.pw_gid)
        started = time.monotonic()
        self._run("initdb", "-D", str(self.datadir), "-U", self.user, "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        self.timings["initdb"] = time.monotonic() - started
        with open(self.datadir / "postgresql.conf", "a") as conf:
            conf.write("\n# tests/pg.py\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                       "max_connections = 200\nshared_buffers = 128MB\n")
        # trust, and only on loopback (initdb's default lines also allow the local socket, kept in our folder)
        (self.datadir / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n")
        for attempt in range(3):
            self.port = free_port()
            started = time.monotonic()
            try:
                self._run("pg_ctl", "-D", str(self.datadir), "-l", str(self.datadir / "server.log"), "-w",
                          "-t", "60", "-o", f"-c listen_addresses=127.0.0.1 -p {self.port} "
                          f"-c unix_socket_directories={sockets}", "start")
                break
            except PostgresError:
                if attempt == 2:
                    raise PostgresError(f"pg_ctl start failed; log:\n{self.log_tail()}") from None
        self.timings["start"] = time.monotonic() - started
        return self.url

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        """Run ``sql`` with psql (-At: unaligned, tuples only) and return its output."""
        return self._run("psql", "-X", "-v", "ON_ERROR_STOP=1", "-At", "-h", "127.0.0.1", "-p", str(self.port),
                         "-d", dbname, "-c", sql)

    def createdb(self, name: str, template: str | None = None) -> str:
        """Create database ``name`` (a copy of ``template`` when given; nobody may be connected to it)."""
        args = ["-h", "127.0.0.1", "-p", str(self.port)]
        if template:
            args += ["-T", template]
        self._run("createdb", *args, name)
        return self.url_for(name)

    def dropdb(self, name: str) -> None:
        self._run("dropdb", "-h", "127.0.0.1", "-p", str(self.port), "--if-exists", "--force", name)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join((self.datadir / "server.log").read_text(errors="replace").splitlines()[-lines:])
        except (OSError, TypeError):
            return ""

    def stop(self) -> None:
        """Stop the server (fast shutdown); safe to call twice or when never started."""
        if self.datadir is None or not (self.datadir / "postmaster.pid").exists():
            return
        try:
            self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "-t", "30", "stop", timeout=60)
        except (PostgresError, subprocess.TimeoutExpired):
            self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "stop", timeout=30)


class FreshDatabases:
    """Throw-away store databases on one server: a template migrated once (``kefu_template``), then a
    copy of it per ``new()`` (fast: no migrations) or per file path (``for_path()``), all dropped by
    ``drop_all()``."""

    template = "kefu_template"

    def __init__(self, server: PostgresServer) -> None:
        import psycopg

        from core.store.database import open_database

        self._server = server
        self._admin = psycopg.connect(self.url_for("postgres"), autocommit=True)
        self._admin.execute(f"drop database if exists {self.template}")
        self._admin.execute(f"create database {self.template}")
        open_database(self.url_for(self.template)).close()
        self._made: list[str] = []
        self._paths: dict[Path, str] = {}
        self._count = 0

    def url_for(self, name: str) -> str:
        """A psycopg URL of database ``name``."""
        return self._server.url_for(name).replace("postgres://", "postgresql://", 1)

    def new(self) -> str:
        """The URL of a new database holding the migrated, empty store."""
        self._count += 1
        name = f"kefu_test_{os.getpid()}_{self._count}"
        self._admin.execute(f"create database {name} template {self.template}")
        self._made.append(name)
        return self.url_for(name)

    def for_path(self, path: str | os.PathLike[str]) -> str:
        """The URL of the database standing in for the SQLite file ``path``: a new one the first time,
        the same one again until ``drop_all()`` (so that a store reopened on the path finds its data)."""
        key = Path(path).resolve()
        if key not in self._paths:
            self._paths[key] = self.new()
        return self._paths[key]

    def count(self) -> int:
        """How many databases ``new()`` has made and not yet dropped (a mark for ``drop_all(since=)``)."""
        return len(self._made)

    def drop_all(self, since: int = 0) -> None:
        """Drop every database ``new()`` made (after the first ``since``), closing what still holds them."""
        dropped = set()
        while len(self._made) > since:
            name = self._made.pop()
            self._admin.execute(f"drop database if exists {name} with (force)")
            dropped.add(self.url_for(name))
        self._paths = {path: url for path, url in self._paths.items() if url not in dropped}

    def close(self) -> None:
        self.drop_all()
        self._admin.close()
