"""The ``refairn`` command: ``demo``, ``serve``, ``worker``, and every Django management command.

refairn demo      migrate, load the demo data, serve on http://127.0.0.1:8000 with a worker
refairn serve     production web server (gunicorn); REFAIRN_BIND, REFAIRN_WEB_WORKERS
refairn worker    the Huey job consumer (periodic jobs included)
refairn migrate   ... any ``manage.py`` command
"""

from __future__ import annotations

import os
import subprocess
import sys

from django.core.management import call_command, execute_from_command_line

DEMO_ADDRESS = "127.0.0.1:8000"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refairn.settings")
    import django

    django.setup()


def serve(bind: str | None = None) -> int:
    _setup()
    call_command("collectstatic", interactive=False, verbosity=0)
    bind = bind or os.environ.get("REFAIRN_BIND", DEMO_ADDRESS)
    workers = os.environ.get("REFAIRN_WEB_WORKERS", "2")
    # No gunicorn access log: Django's refairn.request line says the same with the route, the
    # user and the time taken, and follows REFAIRN_LOG_FORMAT.
    argv = [
        "gunicorn",
        "refairn.wsgi:application",
        "--bind",
        bind,
        "--workers",
        workers,
        "--timeout",
        "60",
    ]
    return subprocess.call([sys.executable, "-m", *argv])  # noqa: S603 - fixed argv


def worker() -> int:
    _setup()
    from refairn.core.heap import heap_settle

    heap_settle()
    call_command("run_huey")
    return 0


def demo() -> int:
    _setup()
    from refairn.demo.loader import DEMO_LOGINS, load_demo

    call_command("migrate", interactive=False, verbosity=1)
    load_demo()
    consumer = subprocess.Popen([sys.executable, "-m", "refairn.cli", "worker"])
    try:
        print("\nRefairn demo on http://127.0.0.1:8000  (API docs: /api/v1/docs)\n")
        print(f"Demo logins (password for all: {DEMO_LOGINS.password})")
        for role, email in DEMO_LOGINS.rows:
            print(f"  {role:<28} {email}")
        print("\nPress Ctrl+C to stop.\n", flush=True)
        return serve(DEMO_ADDRESS)
    finally:
        consumer.terminate()
        consumer.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else "help"
    if command == "demo":
        return demo()
    if command == "serve":
        return serve()
    if command == "worker":
        return worker()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refairn.settings")
    if command in {"help", "--help", "-h"}:
        print(__doc__)
    execute_from_command_line(["refairn", *argv[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
