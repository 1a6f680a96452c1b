"""``baocao serve`` and ``baocao build``: MkDocs run as a child process, for a user.

- Its console lines are said in Vietnamese (:mod:`baocao.console`), and it runs with
  ``NO_MKDOCS_2_WARNING=1``: Material 9.7 prints an English notice about its end of life
  (and MkDocs 2) at every MkDocs command, which says nothing to a user of this archive (the
  versions are pinned in pyproject.toml).
- ``serve`` first checks that its address is free: MkDocs would build the whole site, then
  die with a Python traceback ("Address already in use"). The user is told in Vietnamese
  which port is taken and which free one to choose instead (``-a 127.0.0.1:8001``). Should
  the port be taken between that check and MkDocs' own bind, the traceback is replaced by
  the same message.
- The child stops with ``baocao``: Ctrl+C reaches both; SIGTERM or SIGHUP (a closed
  terminal) to ``baocao`` is passed on to MkDocs; and on Linux the kernel stops MkDocs if
  ``baocao`` is killed outright (``PR_SET_PDEATHSIG``). A ``mkdocs serve`` left behind
  would keep the port, and the next ``baocao serve`` would be refused.

MkDocs is not imported: only its command line and its console output are known here.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

from baocao.console import relay
from baocao.load.siteconfig import settings

#: MkDocs' own default address of ``mkdocs serve``.
DEFAULT_ADDRESS = "127.0.0.1:8000"
#: Seconds MkDocs has to stop by itself after Ctrl+C before it is told to.
STOP_GRACE = 3.0
#: How many ports after a taken one are tried for a free one to suggest.
SUGGESTIONS = 20


def option(args: list[str], short: str, long: str) -> str | None:
    """The value of ``-a X``, ``-aX``, ``--dev-addr X`` or ``--dev-addr=X`` in ``args`` (the
    last one given, as click reads it), or None."""
    found = None
    for i, arg in enumerate(args):
        if arg in (short, long):
            found = args[i + 1] if i + 1 < len(args) else None
        elif arg.startswith(long + "="):
            found = arg[len(long) + 1:]
        elif arg.startswith(short) and not arg.startswith("--") and len(arg) > len(short):
            found = arg[len(short):]
    return found


def serve_address(root: Path, args: list[str]) -> tuple[str, int] | None:
    """The (host, port) ``mkdocs serve`` will bind: ``-a``, else ``dev_addr`` of the config
    file (``-f``), else MkDocs' default. None when it cannot be read (MkDocs then says why)."""
    address = option(args, "-a", "--dev-addr")
    if address is None:
        config = option(args, "-f", "--config-file") or "mkdocs.yml"
        written = settings(root / config).get("dev_addr")
        address = written if isinstance(written, str) else DEFAULT_ADDRESS
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        return None
    return host.strip("[]"), int(port)


def is_free(host: str, port: int) -> bool:
    """Whether ``host:port`` can be bound now, as MkDocs' server binds it (address reuse on:
    a port left in TIME_WAIT counts as free). An address that does not resolve counts as free:
    MkDocs says what is wrong with it."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return True
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            return error.errno not in (errno.EADDRINUSE, errno.EACCES)
    return True


def free_after(host: str, port: int) -> int | None:
    """The first free port after ``port`` on ``host`` (among the next few), to suggest."""
    return next((p for p in range(port + 1, min(port + 1 + SUGGESTIONS, 65536)) if is_free(host, p)), None)


def port_busy_message(host: str, port: int) -> str:
    """What to tell the user when ``host:port`` is taken, with a free port to choose instead."""
    free = free_after(host, port)
    shown = f"[{host}]" if ":" in host else host
    text = (f"Lỗi: không mở được trang xem thử: cổng {port} của {shown} đang được một chương trình khác dùng "
            "(có thể là một cửa sổ `baocao serve` khác vẫn đang chạy). Hãy đóng chương trình đó rồi chạy lại")
    if free is not None:
        text += f", hoặc chọn cổng khác: `baocao serve -a {shown}:{free}`"
    return text + "."


def die_with_parent(parent: int = os.getpid()) -> None:  # pragma: no cover - runs in the child
    """In the child, before it runs its program: the kernel sends it SIGTERM when ``baocao``
    (``parent``, this process) dies (Linux); if it died already, the child stops now."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


def run(root: Path, command: str, args: list[str]) -> int:
    """``mkdocs <command> <args>`` in ``root``; its exit code (1 when refused before)."""
    address = serve_address(root, args) if command == "serve" else None
    if address is not None and not is_free(*address):
        print(port_busy_message(*address), file=sys.stderr)
        return 1
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen([sys.executable, "-m", "mkdocs", command, *args], cwd=root, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
                             errors="replace", bufsize=1,
                             preexec_fn=die_with_parent if sys.platform == "linux" else None)
    assert child.stdout is not None

    def pass_on(signum, frame) -> None:
        if child.poll() is None:
            child.send_signal(signum)

    busy = (lambda: port_busy_message(*address)) if address is not None else None
    handlers = {sig: signal.signal(sig, pass_on) for sig in (signal.SIGTERM, signal.SIGHUP)}
    stopper = None
    try:
        while True:
            try:
                for line in relay(child.stdout, busy):
                    sys.stderr.write(line)
                    sys.stderr.flush()
                break
            except KeyboardInterrupt:
                # Ctrl+C in the terminal reaches MkDocs too: let it say goodbye. Should it
                # not have had it (the signal was sent to baocao alone), stop it shortly.
                if stopper is None:
                    stopper = threading.Timer(STOP_GRACE, pass_on, (signal.SIGTERM, None))
                    stopper.daemon = True
                    stopper.start()
        code = child.wait()
        return 128 - code if code < 0 else code  # stopped by a signal: as a shell says it
    finally:
        if stopper is not None:
            stopper.cancel()
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
