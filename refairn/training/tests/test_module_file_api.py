from typing import Any

import pytest
from django.core.files.storage import default_storage

from refairn.certification.models import Certification
from refairn.core import clock
from refairn.programs.models import StaffMembership
from refairn.training.models import Module, ModuleProgress
from refairn.training.services import modules as services
from refairn.training.tests.modules import PDF, download, put_pdf
from tests.support import T0, api_as, assert_problem, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def handbook(create_module: Any) -> Module:
    module: Module = create_module("pdf", title="Support Handbook 2026")
    return module


@pytest.fixture
def uploaded(as_alice: Any, handbook: Module) -> Module:
    assert put_pdf(as_alice, handbook.id, PDF).status_code == 200
    handbook.refresh_from_db()
    return handbook


# -- PUT /modules/{m}/file ------------------------------------------------------------------


def test_staff_upload_the_pdf(as_alice: Any, handbook: Module) -> None:
    response = put_pdf(as_alice, handbook.id, PDF)
    assert response.status_code == 200, response.body
    assert response.body["has_file"] is True
    handbook.refresh_from_db()
    with handbook.file.open("rb") as stored:
        assert stored.read() == PDF


def test_a_new_upload_replaces_the_old_file(
    as_alice: Any, uploaded: Module, django_capture_on_commit_callbacks: Any
) -> None:
    old_name = uploaded.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert put_pdf(as_alice, uploaded.id, PDF + b"v2").status_code == 200
    uploaded.refresh_from_db()
    assert uploaded.file.name != old_name
    assert not default_storage.exists(old_name)
    with uploaded.file.open("rb") as stored:
        assert stored.read() == PDF + b"v2"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"<html>not a pdf</html>", "invalid_pdf"),
        (b"%PDF", "invalid_pdf"),
        (b"", "file_empty"),
    ],
)
def test_bad_files_are_refused(as_alice: Any, handbook: Module, content: bytes, code: str) -> None:
    assert_problem(put_pdf(as_alice, handbook.id, content), 422, code)
    handbook.refresh_from_db()
    assert not handbook.file


def test_a_file_over_20_mb_is_refused_naming_the_limit(as_alice: Any, handbook: Module) -> None:
    response = put_pdf(as_alice, handbook.id, PDF.ljust(services.MAX_PDF_BYTES + 1, b"0"))
    assert_problem(response, 422, "file_too_large")
    assert "20 MB" in response.body["detail"]
    assert response.body["max_bytes"] == 20 * 1024 * 1024
    handbook.refresh_from_db()
    assert not handbook.file


def test_a_file_of_exactly_20_mb_is_accepted(as_alice: Any, handbook: Module) -> None:
    response = put_pdf(as_alice, handbook.id, PDF.ljust(services.MAX_PDF_BYTES, b"0"))
    assert response.status_code == 200, response.body


def test_only_pdf_modules_take_a_file(as_alice: Any, create_module: Any) -> None:
    video = create_module("video")
    assert_problem(put_pdf(as_alice, video.id, PDF), 409, "wrong_format")
    video.refresh_from_db()
    assert not video.file


def test_agents_cannot_upload(as_bob: Any, handbook: Module, open_training: Any) -> None:
    assert_problem(put_pdf(as_bob, handbook.id, PDF), 403, "forbidden")
    handbook.refresh_from_db()
    assert not handbook.file


def test_a_reviewer_cannot_upload(handbook: Module, business_a: Any) -> None:
    reviewer = make_user("rita@a.test")
    StaffMembership.objects.create(business=business_a, user=reviewer, role="reviewer")
    assert_problem(put_pdf(api_as(reviewer), handbook.id, PDF), 403, "forbidden")


def test_other_tenant_cannot_upload(as_charlie: Any, handbook: Module) -> None:
    assert_problem(put_pdf(as_charlie, handbook.id, PDF), 404, "not_found")
    handbook.refresh_from_db()
    assert not handbook.file


def test_uploading_to_an_unknown_module_is_404(as_alice: Any, business_a: Any) -> None:
    assert_problem(put_pdf(as_alice, "nope", PDF), 404, "not_found")


# -- GET /modules/{m}/download --------------------------------------------------------------


def test_an_agent_downloads_the_pdf_and_completes_the_module(
    as_bob: Any, bob: Any, uploaded: Module, open_training: Any
) -> None:
    response = download(as_bob, uploaded.id)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="support-handbook-2026.pdf"'
    assert response.bytes == PDF
    progress = ModuleProgress.objects.get(module=uploaded, agent=bob)
    assert progress.downloaded_at == progress.completed_at == T0
    certification = Certification.objects.get(track=uploaded.track, agent=bob)
    assert certification.status == "in_progress"
    (module,) = as_bob.get(f"/tracks/{uploaded.track_id}/modules").body
    assert (module["completed"], module["progress"]) == (True, 100)


def test_downloading_again_keeps_the_first_completion(
    as_bob: Any, bob: Any, uploaded: Module, bob_requested: Any
) -> None:
    download(as_bob, uploaded.id)
    with clock.frozen(T0.replace(day=9)):
        assert download(as_bob, uploaded.id).status_code == 200
    progress = ModuleProgress.objects.get(module=uploaded, agent=bob)
    assert progress.completed_at == progress.downloaded_at == T0


def test_staff_download_without_recording_progress(as_alice: Any, uploaded: Module) -> None:
    response = download(as_alice, uploaded.id)
    assert response.status_code == 200
    assert response.bytes == PDF
    assert not ModuleProgress.objects.exists()
    assert not Certification.objects.exists()


def test_downloading_before_the_upload_is_409_file_missing(
    as_bob: Any, handbook: Module, open_training: Any
) -> None:
    assert_problem(download(as_bob, handbook.id), 409, "file_missing")
    assert not ModuleProgress.objects.exists()


def test_only_pdf_modules_download(as_bob: Any, create_module: Any, open_training: Any) -> None:
    video = create_module("video")
    assert_problem(download(as_bob, video.id), 409, "wrong_format")
    assert not ModuleProgress.objects.exists()


def test_an_agent_without_training_access_cannot_download(as_bob: Any, uploaded: Module) -> None:
    assert_problem(download(as_bob, uploaded.id), 403, "no_training_access")
    assert not ModuleProgress.objects.exists()
    assert not Certification.objects.exists()


def test_other_tenant_cannot_download(as_charlie: Any, uploaded: Module) -> None:
    assert_problem(download(as_charlie, uploaded.id), 404, "not_found")
