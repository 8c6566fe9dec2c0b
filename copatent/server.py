"""A local Neo4j 5.26 Community server with the open-source Graph Data Science library.

Neo4j publishes no runnable server archive on Maven Central, but it publishes every jar the
server is made of. :func:`install` resolves them with Maven (``org.neo4j:neo4j`` and its runtime
closure into ``lib/``; the open GDS modules into ``plugins/``) and :class:`LocalServer` starts
``org.neo4j.server.CommunityEntryPoint`` with the flags ``bin/neo4j`` would pass. The notes behind
these choices are in ``docker/neo4j/README.md``.

Layout under ``COPATENT_HOME`` (default ``~/.cache/copatent``)::

    neo4j-5.26.24/
      lib/  plugins/  installed.json      the installation, shared by every instance
      default/                            the instance ``copatent db start`` runs (0700)
        conf/neo4j.conf  conf/user-logs.xml  data/  logs/  run/  import/
        password                          0600, generated on the first start
        server.json                       ports of the last start
        guide/                            Neo4j Browser's guide and style, rendered at start

An instance is private to its owner: its folders are 0700, the files copatent writes 0600, and the
server runs with umask 077, so the store, the transaction logs and the logs it creates are 0600
too; every start also takes group and other permissions off whatever an older copatent left.
The installation stays readable: it holds only the published jars.

The server's own user log, ``logs/neo4j.log``, rolls over at 20 MB and keeps five old files
(``conf/user-logs.xml``, Neo4j's default less the console copy). ``logs/console.log`` keeps only
what the JVM itself prints outside its logs (a crash, a refused setting); it is renamed to
``console.log.1`` at each start.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

from copatent import db
from copatent._errors import DatabaseUnavailableError, ServerError
from copatent.config import (
    DEFAULT_DATABASE,
    DEFAULT_USER,
    Neo4jSettings,
    copatent_home,
    settings_from_env,
)

NEO4J_VERSION = "5.26.24"
"""Neo4j release; GDS 2.13.9 is built against this patch (its ``gradle/dependencies.gradle``)."""
GDS_VERSION = "2.13.9"
"""The only 2.13.x (the line for Neo4j 5.26) whose modules are on Maven Central."""
SUPPORTED_JAVA = (17, 21)
"""Java versions Neo4j 5.26 supports."""
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_ENTRY_POINT = "org.neo4j.cli.AdminTool"
"""What ``bin/neo4j-admin`` runs (in the child JVM its bootloader starts)."""
DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474
DEFAULT_GUIDE_PORT = 7476
"""Where the guide server (:mod:`copatent.guide.serve`) listens when it is free; else any port."""
_GUIDE_ATTEMPTS = 3
"""Free ports tried for the guide after the last and the default one."""
_GUIDE_SETTLE_S = 0.2
"""How long a guide server must stay up on its port to count as started."""
START_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 60.0
PRIVATE_UMASK = 0o077
"""The server and the offline importer create their files with it: owner only."""

# Flags that bin/neo4j adds for 5.x (BootloaderOsAbstraction and the default neo4j.conf).
_JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Djol.skipHotspotSAAttach=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
)


@dataclass(frozen=True)
class Memory:
    """JVM heap and page cache, as Neo4j size strings (``"4g"``, ``"512m"``).

    The default suits a 2-core / 24 GB machine that also runs the Python analytics: GDS keeps its
    projections on the heap, the page cache holds the store.
    """

    heap_initial: str = "1g"
    heap_max: str = "4g"
    pagecache: str = "2g"


@dataclass(frozen=True)
class Installation:
    """The server's jars under ``root``: ``lib/`` (Neo4j) and ``plugins/`` (GDS)."""

    root: Path

    @property
    def lib(self) -> Path:
        return self.root / "lib"

    @property
    def plugins(self) -> Path:
        return self.root / "plugins"

    @property
    def manifest(self) -> Path:
        return self.root / "installed.json"

    def is_installed(self) -> bool:
        """True when a complete install of the pinned versions is present."""
        try:
            meta = json.loads(self.manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return bool(meta.get("neo4j") == NEO4J_VERSION and meta.get("gds") == GDS_VERSION)

    def has_browser(self) -> bool:
        return any(self.lib.glob("*neo4j-browser-*.jar"))


@dataclass(frozen=True)
class JavaRuntime:
    path: Path
    major: int


@dataclass(frozen=True)
class Status:
    """What ``copatent db status`` reports. No secret is part of it."""

    installed: bool
    running: bool
    pid: int | None
    uri: str
    browser_url: str | None
    guide_url: str | None
    neo4j_version: str | None
    gds_version: str | None
    edition: str | None
    data_dir: str
    home: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def default_installation(home: Path | None = None) -> Installation:
    return Installation((home or copatent_home()) / f"neo4j-{NEO4J_VERSION}")


# --------------------------------------------------------------------------------------------
# install


def install(
    installation: Installation | None = None,
    *,
    on_step: Callable[[str], None] = lambda _msg: None,
) -> tuple[Installation, bool]:
    """Resolve Neo4j and GDS from Maven Central into ``installation``.

    Returns the installation and whether anything was downloaded (``False`` when it was already
    complete). The jars are assembled in a temporary directory and moved into place at the end, so
    an interrupted install leaves nothing half-written.
    """
    inst = installation or default_installation()
    if inst.is_installed():
        return inst, False
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ServerError("Maven (mvn) is not installed: install it with `apt-get install maven`")
    inst.root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=inst.root, prefix=".install-") as tmp:
        staging = Path(tmp)
        on_step(f"resolving Neo4j {NEO4J_VERSION} from Maven Central")
        _copy_dependencies(mvn, "neo4j-lib.pom", staging / "lib", {"neo4j.version": NEO4J_VERSION})
        on_step(f"resolving Graph Data Science {GDS_VERSION} from Maven Central")
        _copy_dependencies(
            mvn, "gds-plugins.pom", staging / "plugins", {"gds.version": GDS_VERSION}
        )
        removed = _drop_duplicate_jars(staging / "lib", staging / "plugins")
        for name in ("lib", "plugins"):
            target = inst.root / name
            if target.exists():
                shutil.rmtree(target)
            (staging / name).rename(target)
        manifest = {"neo4j": NEO4J_VERSION, "gds": GDS_VERSION, "dropped_from_plugins": removed}
        inst.manifest.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return inst, True


def _copy_dependencies(mvn: str, pom: str, out: Path, props: dict[str, str]) -> None:
    out.mkdir(parents=True)
    with resources.as_file(resources.files("copatent.resources.maven").joinpath(pom)) as pom_path:
        cmd = [
            mvn,
            "-B",
            "-q",
            "-f",
            str(pom_path),
            "dependency:copy-dependencies",
            "-DincludeScope=runtime",
            "-Dmdep.prependGroupId=true",
            f"-DoutputDirectory={out}",
            *(f"-D{k}={v}" for k, v in props.items()),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        lines = [ln for ln in (proc.stdout + proc.stderr).splitlines() if "[ERROR]" in ln]
        first = (
            re.sub(r"\x1b\[[0-9;]*m", "", lines[0]).replace("[ERROR]", "").strip() if lines else ""
        )
        raise ServerError(f"Maven could not resolve {pom} (exit {proc.returncode}): {first}")


_JAR = re.compile(r"^(?P<ga>.+?)-(?P<version>\d[^-]*(?:-[A-Za-z][A-Za-z0-9.]*)?)\.jar$")


def _drop_duplicate_jars(lib: Path, plugins: Path) -> list[str]:
    """Remove from ``plugins`` every artifact that ``lib`` already has (in any version).

    Jar names carry the group id (``-Dmdep.prependGroupId``), so ``groupId.artifactId`` is the key.
    Neo4j's own copy wins: it is what the server was tested with, and two versions of one library
    on a classpath is a class-loading lottery.
    """

    def key(jar: Path) -> str:
        m = _JAR.match(jar.name)
        return m.group("ga") if m else jar.name

    have = {key(j) for j in lib.glob("*.jar")}
    removed = []
    for jar in sorted(plugins.glob("*.jar")):
        if key(jar) in have:
            jar.unlink()
            removed.append(jar.name)
    return removed


# --------------------------------------------------------------------------------------------
# java


def find_java() -> JavaRuntime:
    """Find a Java 17 or 21: ``JAVA_HOME`` if set (and only it), else PATH, else /usr/lib/jvm."""
    java_home = os.environ.get("JAVA_HOME")
    hint = "install one with `apt-get install openjdk-17-jre-headless`"
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if not os.access(candidate, os.X_OK):
            raise ServerError(
                f"JAVA_HOME={java_home} has no bin/java: "
                f"point JAVA_HOME at a Java 17 or 21, or {hint}"
            )
        major = _java_major(candidate)
        if major not in SUPPORTED_JAVA:
            raise ServerError(
                f"JAVA_HOME={java_home} is Java {major}; Neo4j {NEO4J_VERSION} needs Java 17 or 21"
            )
        return JavaRuntime(candidate, major)
    on_path = shutil.which("java")
    candidates = [Path(on_path)] if on_path else []
    candidates += sorted(Path("/usr/lib/jvm").glob("*/bin/java"))
    seen = []
    for candidate in candidates:
        major = _java_major(candidate)
        seen.append(f"{candidate} ({major or '?'})")
        if major in SUPPORTED_JAVA:
            return JavaRuntime(candidate, major)
    found = "; found " + ", ".join(seen) if seen else ""
    raise ServerError(f"no Java 17 or 21 found{found}: {hint}, or set JAVA_HOME")


def _java_major(java: Path) -> int:
    try:
        proc = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return 0
    m = re.search(r'version "(\d+)(?:\.(\d+))?', proc.stderr)
    if not m:
        return 0
    major = int(m.group(1))
    return int(m.group(2) or 0) if major == 1 else major  # "1.8.0" is Java 8


# --------------------------------------------------------------------------------------------
# the server instance


@dataclass(frozen=True)
class LocalServer:
    """One server instance: its own conf, data, logs and password, on the shared installation."""

    installation: Installation
    directory: Path
    memory: Memory = Memory()

    @classmethod
    def default(cls, home: Path | None = None) -> LocalServer:
        inst = default_installation(home)
        return cls(inst, inst.root / "default")

    # paths ---------------------------------------------------------------------------------
    @property
    def conf_file(self) -> Path:
        return self.directory / "conf" / "neo4j.conf"

    @property
    def data_dir(self) -> Path:
        return self.directory / "data"

    @property
    def password_file(self) -> Path:
        return self.directory / "password"

    @property
    def pid_file(self) -> Path:
        return self.directory / "run" / "copatent-neo4j.pid"

    @property
    def state_file(self) -> Path:
        return self.directory / "server.json"

    @property
    def guide_dir(self) -> Path:
        return self.directory / "guide"

    @property
    def guide_pid_file(self) -> Path:
        return self.directory / "run" / "copatent-guide.pid"

    @property
    def guide_log(self) -> Path:
        return self.directory / "logs" / "guide.log"

    @property
    def console_log(self) -> Path:
        return self.directory / "logs" / "console.log"

    @property
    def user_log(self) -> Path:
        return self.directory / "logs" / "neo4j.log"

    @property
    def user_log_config(self) -> Path:
        return self.directory / "conf" / "user-logs.xml"

    # ports and settings ---------------------------------------------------------------------
    def _state(self, *keys: str) -> tuple[int, ...] | None:
        """The ports ``keys`` recorded by the last start, or None if any is missing."""
        try:
            state = json.loads(self.state_file.read_text(encoding="utf-8"))
            return tuple(int(state[key]) for key in keys)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def ports(self) -> tuple[int, int]:
        """Bolt and HTTP ports of the last start (the defaults before the first)."""
        found = self._state("bolt_port", "http_port")
        return (found[0], found[1]) if found else (DEFAULT_BOLT_PORT, DEFAULT_HTTP_PORT)

    def guide_port(self) -> int | None:
        """The guide server's port of the last start (None before a start that had one)."""
        found = self._state("guide_port")
        return found[0] if found else None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.ports()[0]}"

    def settings(self) -> Neo4jSettings:
        """Connection settings for this instance, with the password from its 0600 file."""
        try:
            password = self.password_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise DatabaseUnavailableError(
                f"the local server under {self.directory} has never been started: "
                "run `copatent db start`, or set NEO4J_URI for another server"
            ) from None
        return Neo4jSettings(uri=self.uri, user=DEFAULT_USER, password=password)

    # process --------------------------------------------------------------------------------
    def pid(self) -> int | None:
        """PID of this instance's server process, or None (a stale pid file is removed)."""
        try:
            pid = int(self.pid_file.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return None
        if _is_our_server(pid, self.directory):
            return pid
        self.pid_file.unlink(missing_ok=True)
        return None

    def is_running(self) -> bool:
        return self.pid() is not None

    def make_private(self) -> int:
        """Create the instance folder 0700 and take group and other rights off all inside it.

        Returns how many files and folders were changed (those an older copatent left readable).
        Symbolic links are left alone: their own mode means nothing, and their targets are not
        the instance's.
        """
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        changed = 0
        for folder, folders, files in os.walk(self.directory):  # never into linked folders
            for path in (Path(folder), *(Path(folder, name) for name in folders + files)):
                mode = path.lstat().st_mode
                if not stat.S_ISLNK(mode) and stat.S_IMODE(mode) & 0o077:
                    path.chmod(stat.S_IMODE(mode) & 0o700)
                    changed += 1
        return changed

    def start(
        self,
        *,
        bolt_port: int | None = None,
        http_port: int | None = None,
        timeout: float = START_TIMEOUT_S,
    ) -> Status:
        """Start the server in the background and wait until ``RETURN gds.version()`` answers.

        Starting a running instance is harmless when no port is asked for or the ports asked for
        are the ones it runs on: it waits for it to answer and returns its status. Other ports
        are an error, since they would need a restart.
        """
        if not self.installation.is_installed():
            raise ServerError(
                f"Neo4j {NEO4J_VERSION} is not installed under {self.installation.root}: "
                "run `copatent db install`"
            )
        self.make_private()
        if self.is_running():
            self._refuse_other_ports(bolt_port, http_port)
            self._wait_ready(None, timeout)
            self.ensure_guide()  # a guide server that died comes back
            return self.status()
        java = find_java()
        last_bolt, last_http = self.ports()
        bolt = bolt_port or last_bolt
        http = http_port or last_http
        browser = self.installation.has_browser()
        for port, what, flag in ((bolt, "Bolt", "--port"), (http, "HTTP", "--http-port")):
            if (port == bolt or browser) and not _port_free(port):
                raise ServerError(
                    f"{what} port {port} on 127.0.0.1 is in use: choose another with {flag}"
                )
        for sub in ("conf", "data", "logs", "run", "import"):
            (self.directory / sub).mkdir(mode=0o700, exist_ok=True)
        first_start = not self.password_file.exists()
        if first_start and (self.data_dir / "databases" / "system").exists():
            raise ServerError(
                f"{self.data_dir} holds a database but {self.password_file} is missing: "
                "remove the data directory to start afresh"
            )
        guide = self._start_guide(http) if browser else None
        _write_private(
            self.conf_file, self._render_conf(bolt, http, browser=browser, guide_port=guide)
        )
        _write_private(self.user_log_config, _USER_LOGS_XML)
        state = {"bolt_port": bolt, "http_port": http, "browser": browser, "guide_port": guide}
        _write_private(self.state_file, json.dumps(state) + "\n")
        cmd = [
            str(java.path),
            f"-Xms{self.memory.heap_initial}",
            f"-Xmx{self.memory.heap_max}",
            *_JVM_FLAGS,
            "-cp",
            f"{self.installation.lib}/*:{self.installation.plugins}/*",
            ENTRY_POINT,
            f"--home-dir={self.directory}",
            f"--config-dir={self.conf_file.parent}",
            "--console-mode",
        ]
        # what the JVM prints outside its logs, one start's worth (the previous kept as .1)
        if self.console_log.exists():
            self.console_log.replace(self.console_log.with_name("console.log.1"))
        # where this start's lines begin in the user log, to quote the first error on failure
        logs = {self.console_log: 0, self.user_log: _size(self.user_log)}
        fd = os.open(self.console_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "ab") as log:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.directory,
                start_new_session=True,  # survives the CLI; stop() signals it by pid
                umask=PRIVATE_UMASK,
            )
        _CHILDREN[proc.pid] = proc
        _write_private(self.pid_file, f"{proc.pid}\n")
        try:
            self._wait_ready(proc, timeout, first_start=first_start, logs=logs)
        except BaseException:
            _terminate(proc.pid, STOP_TIMEOUT_S)
            self.pid_file.unlink(missing_ok=True)
            self.stop_guide()
            raise
        self.ensure_guide()
        return self.status()

    # the guide server ---------------------------------------------------------------------
    def _start_guide(self, http: int) -> int:
        """Start the guide server before Neo4j and return its port, bound and ours.

        The last port, else the default, else any free port. The port is bound before it is
        written into neo4j.conf, so two instances starting at the same moment cannot both pick
        it; one that loses the race to another program takes the next free port.
        Nobody types the port: it reaches Browser through ``browser.post_connect_cmd``.
        """
        self.stop_guide()
        tried: list[int] = []
        for wanted in (self.guide_port(), DEFAULT_GUIDE_PORT, *(None,) * _GUIDE_ATTEMPTS):
            port = wanted or free_port()
            if port in tried or not _port_free(port):
                continue
            tried.append(port)
            if self._launch_guide(port, http):
                return port
        raise ServerError(
            f"the guide server could not bind any of the ports {', '.join(map(str, tried))} "
            f"on 127.0.0.1 (log: {self.guide_log})"
        )

    def guide_pid(self) -> int | None:
        """PID of this instance's guide server, or None (a stale pid file is removed)."""
        try:
            pid = int(self.guide_pid_file.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return None
        if _is_our_guide(pid, self.guide_dir):
            return pid
        self.guide_pid_file.unlink(missing_ok=True)
        return None

    def ensure_guide(self, timeout: float = 10.0) -> str | None:
        """Render the Browser guide and make sure its server runs; return the guide's URL.

        None when this instance has no Browser or no guide port (started by an older copatent:
        restart it). A guide server that died is started again on its port.
        """
        from copatent import guide  # noqa: PLC0415

        port = self.guide_port()
        if port is None or not self.installation.has_browser():
            return None
        guide.render(self.guide_dir, port=port)
        url = guide.urls(port)[0]
        if self.guide_pid() is not None:
            return url
        _, http = self.ports()
        if not _port_free(port) or not self._launch_guide(port, http, timeout):
            raise ServerError(
                f"the guide's port {port} on 127.0.0.1 is taken by another program: "
                "restart the server (`copatent db stop`, `copatent db start`) to choose another"
            )
        return url

    def _launch_guide(self, port: int, http: int, timeout: float = 10.0) -> bool:
        """Render the guide and serve it on ``port``; False when another program bound it first."""
        from copatent import guide  # noqa: PLC0415

        guide.render(self.guide_dir, port=port)
        origins = [f"http://{host}:{http}" for host in ("127.0.0.1", "localhost")]
        cmd = [
            sys.executable, "-m", "copatent.guide.serve",
            "--directory", str(self.guide_dir), "--port", str(port),
            *(arg for origin in origins for arg in ("--origin", origin)),
        ]  # fmt: skip
        fd = os.open(self.guide_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "ab") as log:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.directory,
                start_new_session=True,
                umask=PRIVATE_UMASK,
            )
        _CHILDREN[proc.pid] = proc
        deadline = time.monotonic() + timeout
        while _port_free(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        time.sleep(_GUIDE_SETTLE_S)  # a server that lost the port to another exits at once
        if proc.poll() is not None or _port_free(port):
            _terminate(proc.pid, 1.0)
            return False
        _write_private(self.guide_pid_file, f"{proc.pid}\n")
        return True

    def stop_guide(self) -> bool:
        pid = self.guide_pid()
        if pid is None:
            return False
        _terminate(pid, 5.0)
        self.guide_pid_file.unlink(missing_ok=True)
        return True

    def _refuse_other_ports(self, bolt_port: int | None, http_port: int | None) -> None:
        bolt, http = self.ports()
        for asked, running, what, flag in (
            (bolt_port, bolt, "Bolt", "--port"),
            (http_port, http, "HTTP", "--http-port"),
        ):
            if asked and asked != running:
                raise ServerError(
                    f"the local server already runs with {what} on port {running}, not {asked}: "
                    f"run `copatent db stop` first to start it on another port ({flag})"
                )

    def _wait_ready(
        self,
        proc: subprocess.Popen[bytes] | None,
        timeout: float,
        *,
        first_start: bool = False,
        logs: Mapping[Path, int] | None = None,
    ) -> None:
        deadline = time.monotonic() + timeout
        if first_start:
            new_password = secrets.token_urlsafe(24)
            # the built-in user starts with password "neo4j" marked for change; change it over
            # Bolt so the new one never appears on a command line
            self._until_up(
                proc,
                deadline,
                lambda: db.change_initial_password(self.uri, new_password),
                logs or {},
            )
            _write_private(self.password_file, new_password + "\n")
        settings = self.settings()
        self._until_up(proc, deadline, lambda: db.server_versions(settings), logs or {})

    def _until_up(
        self,
        proc: subprocess.Popen[bytes] | None,
        deadline: float,
        attempt: Callable[[], object],
        logs: Mapping[Path, int],
    ) -> None:
        while True:
            if proc is not None and proc.poll() is not None:
                line, log = _error_line(logs, default=self.user_log)
                raise ServerError(
                    f"Neo4j exited during start-up (code {proc.returncode}): {line} (log: {log})"
                )
            try:
                attempt()
                return
            except db.ServerNotReadyError:
                if time.monotonic() > deadline:
                    raise ServerError(
                        f"Neo4j did not answer on {self.uri} within the start timeout "
                        f"(log: {self.user_log})"
                    ) from None
                time.sleep(0.5)

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> bool:
        """Shut the server down cleanly (SIGTERM, then SIGKILL after ``timeout``).

        Returns False when it was not running.
        """
        self.stop_guide()
        pid = self.pid()
        if pid is None:
            return False
        _terminate(pid, timeout)
        self.pid_file.unlink(missing_ok=True)
        return True

    def import_full(self, database: str, arguments: list[str]) -> str:
        """Run ``neo4j-admin database import full`` for ``database`` on this stopped instance.

        ``arguments`` are the ``--nodes`` / ``--relationships`` / option flags. Returns the tool's
        summary (its last lines); a failure raises with the tool's first error line.
        """
        if self.is_running():
            raise ServerError("neo4j-admin import needs the server stopped: run `copatent db stop`")
        java = find_java()
        self.make_private()
        for sub in ("conf", "data", "logs"):
            (self.directory / sub).mkdir(mode=0o700, exist_ok=True)
        if not self.conf_file.exists():
            bolt, http = self.ports()
            browser = self.installation.has_browser()
            _write_private(self.conf_file, self._render_conf(bolt, http, browser=browser))
            _write_private(self.user_log_config, _USER_LOGS_XML)
        cmd = [
            str(java.path),
            f"-Xmx{self.memory.heap_max}",
            "-cp",
            f"{self.installation.lib}/*",
            ADMIN_ENTRY_POINT,
            "database",
            "import",
            "full",
            *arguments,
            "--overwrite-destination=true",
            database,
        ]
        env = {
            **os.environ,
            "NEO4J_HOME": str(self.directory),
            "NEO4J_CONF": str(self.conf_file.parent),
        }
        proc = subprocess.run(
            cmd, capture_output=True, text=True, env=env, check=False, umask=PRIVATE_UMASK
        )
        output = (proc.stdout + "\n" + proc.stderr).strip()
        if proc.returncode != 0:
            errors = [ln for ln in output.splitlines() if "rror" in ln or "xception" in ln]
            first = (errors or output.splitlines() or ["no output"])[0].strip()[:300]
            raise ServerError(f"neo4j-admin import failed (exit {proc.returncode}): {first}")
        return "\n".join(output.splitlines()[-8:])

    def status(self) -> Status:
        pid = self.pid()
        bolt, http = self.ports()
        browser = self.installation.has_browser()
        versions: dict[str, str] = {}
        if pid is not None:
            with contextlib.suppress(DatabaseUnavailableError, db.ServerNotReadyError):
                versions = db.server_versions(self.settings())
        return Status(
            installed=self.installation.is_installed(),
            running=pid is not None,
            pid=pid,
            uri=f"bolt://127.0.0.1:{bolt}",
            browser_url=f"http://127.0.0.1:{http}/browser/" if browser else None,
            guide_url=self._guide_url() if browser and pid is not None else None,
            neo4j_version=versions.get("neo4j"),
            gds_version=versions.get("gds"),
            edition=versions.get("edition"),
            data_dir=str(self.data_dir),
            home=str(self.installation.root),
        )

    def _guide_url(self) -> str | None:
        from copatent import guide  # noqa: PLC0415

        port = self.guide_port()
        return guide.urls(port)[0] if port and self.guide_pid() is not None else None

    def _render_conf(
        self, bolt: int, http: int, *, browser: bool, guide_port: int | None = None
    ) -> str:
        d, m = self.directory, self.memory
        lines = [
            "# Written by copatent (copatent/server.py) on every start; edits are overwritten.",
            f"server.directories.data={d / 'data'}",
            f"server.directories.logs={d / 'logs'}",
            f"server.directories.run={d / 'run'}",
            f"server.directories.import={d / 'import'}",
            f"server.directories.lib={self.installation.lib}",
            f"server.directories.plugins={self.installation.plugins}",
            "server.default_listen_address=127.0.0.1",
            "server.default_advertised_address=127.0.0.1",
            "server.bolt.enabled=true",
            f"server.bolt.listen_address=127.0.0.1:{bolt}",
            f"server.bolt.advertised_address=127.0.0.1:{bolt}",
            f"server.http.enabled={'true' if browser else 'false'}",
            f"server.http.listen_address=127.0.0.1:{http}",
            f"server.http.advertised_address=127.0.0.1:{http}",
            "server.https.enabled=false",
            "dbms.security.auth_enabled=true",
            "dbms.security.procedures.unrestricted=gds.*",
            "dbms.security.procedures.allowlist=gds.*",
            f"server.memory.heap.initial_size={m.heap_initial}",
            f"server.memory.heap.max_size={m.heap_max}",
            f"server.memory.pagecache.size={m.pagecache}",
            f"server.logs.user.config={self.user_log_config}",
            "dbms.usage_report.enabled=false",
            "client.allow_telemetry=false",  # Neo4j Browser sends no usage data either
            # Bolt's netty event loops wait a 5 s quiet period each on shutdown (10 s per stop);
            # the databases are already closed by then, so there is nothing left to wait for
            "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
        ]
        if guide_port is not None:
            from copatent import guide  # noqa: PLC0415

            # Browser may fetch guides and styles from these hosts only (the guide server's);
            # on connect it sets the guide's parameters, applies the style and opens the guide
            lines += [
                "browser.remote_content_hostname_whitelist=localhost,127.0.0.1",
                f"browser.post_connect_cmd={guide.post_connect_command(guide_port)}",
            ]
        return "\n".join(lines) + "\n"


def connection_settings(
    *,
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    home: Path | None = None,
) -> Neo4jSettings:
    """Where commands connect: ``uri`` if given, else the local server under ``home``.

    ``uri`` falls back to ``NEO4J_URI`` and friends, ``home`` to ``COPATENT_HOME``.
    """
    if uri:
        found = settings_from_env()
        return Neo4jSettings(
            uri=uri,
            user=user or (found.user if found else DEFAULT_USER),
            password=password if password is not None else (found.password if found else ""),
            database=found.database if found else DEFAULT_DATABASE,
        )
    return settings_from_env() or LocalServer.default(home).settings()


# --------------------------------------------------------------------------------------------
# helpers


_USER_LOGS_XML = """\
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by copatent (copatent/server.py) on every start; edits are overwritten.
     Neo4j's default-user-logs.xml without its console appender: the server runs in the
     background, so a console copy only grew logs/console.log, which nothing rotates. -->
<Configuration>
    <Appenders>
        <RollingRandomAccessFile name="RollingFile"
                                 fileName="${config:server.directories.logs}/neo4j.log"
                                 filePattern="$${config:server.directories.logs}/neo4j.log.%02i">
            <PatternLayout pattern="%d{yyyy-MM-dd HH:mm:ss.SSSZ}{GMT+0} %-5p %m%n"/>
            <Policies>
                <SizeBasedTriggeringPolicy size="20 MB"/>
            </Policies>
            <DefaultRolloverStrategy fileIndex="min" max="5"/>
        </RollingRandomAccessFile>
    </Appenders>
    <Loggers>
        <Root level="info">
            <AppenderRef ref="RollingFile"/>
        </Root>
        <!-- GDS writes a Start and a Finished line for every step of every algorithm run (a
             Louvain call: dozens) even with logProgress false; debug.log keeps them -->
        <Logger name="org.neo4j.gds" level="warn"/>
    </Loggers>
</Configuration>
"""


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to a file only the owner can read, created with mode 0600."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cmdline(pid: int) -> list[bytes]:
    """The arguments of process ``pid`` (empty if it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return []


def _is_our_server(pid: int, directory: Path) -> bool:
    """True if ``pid`` is a Neo4j server started for ``directory`` (not a recycled pid)."""
    cmdline = _cmdline(pid)
    return ENTRY_POINT.encode() in cmdline and f"--home-dir={directory}".encode() in cmdline


def _is_our_guide(pid: int, directory: Path) -> bool:
    """True if ``pid`` is the guide server serving ``directory`` (not a recycled pid)."""
    cmdline = _cmdline(pid)
    return b"copatent.guide.serve" in cmdline and str(directory).encode() in cmdline


def _terminate(pid: int, timeout: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    while _alive(pid):
        time.sleep(0.1)


_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}
"""Servers started by this process, kept so that they are reaped (not left as zombies)."""


def _alive(pid: int) -> bool:
    child = _CHILDREN.get(pid)
    if child is not None:
        if child.poll() is None:
            return True
        del _CHILDREN[pid]
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _error_line(logs: Mapping[Path, int], *, default: Path) -> tuple[str, Path]:
    """The last error line written to ``logs`` (each read from its offset), and its file.

    The JVM prints to ``console.log`` what fails before logging is up (a refused setting, an
    unknown flag); later failures go to the user log.
    """
    last: tuple[str, Path] | None = None
    for log, offset in logs.items():
        try:
            with log.open("rb") as fh:
                fh.seek(offset)
                lines = fh.read().decode("utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in reversed(lines):
            if "ERROR" in line or "Exception" in line or "Error:" in line:
                return line.strip()[:300], log
        if lines and last is None:
            last = (lines[-1].strip()[:300], log)
    return last or ("no output", default)
