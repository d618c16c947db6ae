"""Uploaded files on S3-compatible object storage, chosen by the environment.

The settings switch is read in a fresh interpreter (like tests/test_settings.py). The round trip
uses moto's in-process S3, the one thing here that stands in for a service outside the process:
an upload through the real import page is stored in the bucket and read back from it by the
import, which runs inside the request as it does on Vercel (ImmediateBackend).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto import mock_aws

from customers.models import Customer
from imports.models import FileImport

PROJECT_DIR = Path(__file__).resolve().parent.parent
BUCKET = "cms-uploads-test"
S3_STORAGE = "storages.backends.s3.S3Storage"

PRINT_STORAGES = """
import json
import config.settings as s
print(json.dumps(s.STORAGES["default"]))
"""


def default_storage_for(**environ) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PRINT_STORAGES],
        cwd=PROJECT_DIR,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "SECRET_KEY": "s", **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_a_bucket_uploads_stay_on_the_local_disk():
    assert default_storage_for() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_an_empty_bucket_name_as_in_env_example_means_the_local_disk():
    assert default_storage_for(AWS_STORAGE_BUCKET_NAME="")["BACKEND"].endswith("FileSystemStorage")


def test_a_bucket_name_switches_uploads_to_s3():
    storage = default_storage_for(AWS_STORAGE_BUCKET_NAME="cms-uploads")

    assert storage == {
        "BACKEND": S3_STORAGE,
        "OPTIONS": {
            "bucket_name": "cms-uploads",
            "endpoint_url": None,
            "region_name": None,
            "location": "",
            "file_overwrite": False,
        },
    }


def test_another_provider_is_reached_through_its_endpoint_region_and_prefix():
    options = default_storage_for(
        AWS_STORAGE_BUCKET_NAME="cms-uploads",
        AWS_S3_ENDPOINT_URL="https://minio.internal:9000",
        AWS_S3_REGION_NAME="ap-south-1",
        AWS_LOCATION="production",
    )["OPTIONS"]

    assert options["endpoint_url"] == "https://minio.internal:9000"
    assert options["region_name"] == "ap-south-1"
    assert options["location"] == "production"


@pytest.fixture
def s3_bucket(settings, monkeypatch, tmp_path):
    """An empty private bucket in moto's S3, used as the default storage."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ap-south-1",
    }.items():
        monkeypatch.setenv(name, value)
    settings.MEDIA_ROOT = tmp_path / "media"
    with mock_aws():
        s3 = boto3.client("s3", region_name="ap-south-1")
        s3.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-south-1"}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": S3_STORAGE,
                "OPTIONS": {"bucket_name": BUCKET, "file_overwrite": False},
            },
        }
        yield s3


def upload(manager_client, rows):
    data = "\n".join(["Name,Phone,Area", *rows]).encode()
    return manager_client.post(
        "/imports/new/",
        {"file": SimpleUploadedFile("leads.csv", data, "text/csv"), "assign": "NOBODY"},
    )


def bucket_keys(s3):
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_an_upload_is_stored_in_the_bucket_and_imported_from_it(
    manager_client, s3_bucket, settings
):
    response = upload(manager_client, ["Anjali Nair,9847012345,Kochi", "Rohan Das,9895022334,"])

    file_import = FileImport.objects.get()
    assert response.status_code == 302
    assert file_import.status == FileImport.Status.DONE
    assert file_import.created_records == 2
    assert set(Customer.objects.values_list("name", flat=True)) == {"Anjali Nair", "Rohan Das"}
    (key,) = bucket_keys(s3_bucket)
    assert key == file_import.file.name
    assert key.startswith("imports/") and key.endswith(".csv")
    body = s3_bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert b"Anjali Nair" in body
    assert not Path(settings.MEDIA_ROOT).exists(), "nothing written to the local disk"


def test_two_uploads_with_the_same_name_keep_both_files(manager_client, s3_bucket):
    upload(manager_client, ["Anjali Nair,9847012345,Kochi"])
    upload(manager_client, ["Rohan Das,9895022334,Thrissur"])

    first, second = FileImport.objects.order_by("imported_at")
    assert first.file.name != second.file.name
    assert bucket_keys(s3_bucket) == sorted([first.file.name, second.file.name])
    with first.file.open("rb") as stored:
        assert b"Anjali Nair" in stored.read()
