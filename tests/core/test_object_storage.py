"""Attachments and generated documents on S3-compatible object storage, as in production.

The S3 server is moto's, started on loopback by the test: real HTTP, real S3 requests from
boto3 through django-storages, no internet. The settings are the ones production uses
(KEYPROJECTS_S3_* environment variables → STORAGES["default"]).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keyprojects import settings as project_settings
from keyprojects.applications.models import Attachment
from keyprojects.core.management.commands.worker import beat

from .. import s3
from ..factories import PASSWORD, make_application, pdf_bytes

BUCKET = "keyprojects-test"


@pytest.fixture(scope="module")
def s3_endpoint():
    with s3.moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_client(s3_endpoint, settings):
    """STORAGES as settings.py builds it from the production environment variables."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": project_settings.object_storage(s3.environment(s3_endpoint, BUCKET)),
    }
    client = s3.client(s3_endpoint)
    client.create_bucket(Bucket=BUCKET)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_settings_choose_object_storage_from_the_environment():
    assert project_settings.object_storage({}) is None  # local files without a bucket
    storage = project_settings.object_storage(s3.environment("http://s3.test", BUCKET))
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == BUCKET
    assert storage["OPTIONS"]["endpoint_url"] == "http://s3.test"
    assert storage["OPTIONS"]["default_acl"] is None  # private objects


def test_an_attachment_goes_to_the_bucket_and_back_through_the_checked_view(
    s3_client, client, call, applicant, stranger
):
    application = make_application(call, applicant, attach=False)
    client.login(username=applicant.username, password=PASSWORD)

    client.post(
        reverse("applications:upload_attachment", args=[application.pk]),
        {"kind": "approval", "file": SimpleUploadedFile("立项批复.pdf", pdf_bytes())},
    )

    attachment = Attachment.objects.get(application=application)
    keys = [item["Key"] for item in s3_client.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"media/{attachment.file.name}"]
    stored = s3_client.get_object(Bucket=BUCKET, Key=keys[0])
    assert stored["Body"].read() == pdf_bytes()
    grants = s3_client.get_object_acl(Bucket=BUCKET, Key=keys[0])["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner's; no public read
    assert all("URI" not in g["Grantee"] for g in grants)
    url = reverse("applications:attachment", args=[application.pk, attachment.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_health_checks_the_bucket(s3_client, client, db):
    beat("worker-s3", started=True)
    assert client.get("/healthz").json()["checks"]["storage"] == "ok"
    s3_client.delete_bucket(Bucket=BUCKET)
    try:
        assert client.get("/healthz").json()["checks"]["storage"] == "fail"
    finally:
        s3_client.create_bucket(Bucket=BUCKET)


def test_backup_refuses_rather_than_miss_the_files_in_the_bucket(s3_client, db, tmp_path):
    from keyprojects.core.backup import BackupError, create_backup

    with pytest.raises(BackupError, match="对象存储"):
        create_backup(tmp_path)
    assert list(tmp_path.iterdir()) == []
