from django.http import HttpRequest
from ninja import Router, Status

from refairn.core.readiness import readiness
from refairn.core.schemas import ClockIn, ClockOut, HealthOut, ReadyOut
from refairn.core.services import test_clock_move, test_clock_read

router = Router(tags=["platform"])


@router.get("/health", response=HealthOut, auth=None)
def health(request: HttpRequest) -> dict[str, str]:
    """Liveness: answers without touching the database."""
    return {"status": "ok"}


@router.get("/ready", response={200: ReadyOut, 503: ReadyOut}, auth=None)
def ready(request: HttpRequest) -> Status[dict[str, object]]:
    checks = readiness()
    ok = all(v == "ok" for v in checks.values())
    return Status((200 if ok else 503), {"status": "ok" if ok else "unavailable", "checks": checks})


@router.get("/test-clock", response=ClockOut, auth=None)
def get_test_clock(request: HttpRequest) -> dict[str, object]:
    return {"now": test_clock_read()}


@router.put("/test-clock", response=ClockOut, auth=None)
def put_test_clock(request: HttpRequest, payload: ClockIn) -> dict[str, object]:
    now, runs = test_clock_move(to=payload.now)
    return {"now": now, "jobs_run": [f"{r.at.isoformat()} {r.name}" for r in runs]}
