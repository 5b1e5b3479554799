"""A failure half-way through storing files leaves no record and no stray file."""

from django.core.files.storage import FileSystemStorage
from django.test import Client

from collect.models import Attachment, Submission
from tests.collect.support import basic, sample, sample_files, stored_files, submission_files


class FlakyStorage(FileSystemStorage):
    """Stores the first file, then fails like a full disk or a lost S3 connection."""

    saved = 0

    def _save(self, name, content):
        FlakyStorage.saved += 1
        if FlakyStorage.saved > 1:
            raise OSError("No space left on device")
        return super()._save(name, content)


def test_it_removes_stored_files_when_a_later_file_fails(inspection, settings, media_root):
    FlakyStorage.saved = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.FlakyStorage"},
    }
    instance = sample()
    client = Client(raise_request_exception=False, **basic("worker"))

    response = client.post(
        "/submission", data=submission_files(instance.xml, sample_files(instance))
    )

    assert response.status_code == 500
    assert FlakyStorage.saved == 2
    assert not Submission.objects.exists()
    assert not Attachment.objects.exists()
    assert [p for p in stored_files(media_root) if "submissions" in p.parts] == []
