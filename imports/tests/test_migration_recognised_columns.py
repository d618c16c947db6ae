"""imports/0002: imports saved with recognised columns as an object still open afterwards."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_old_recognised_columns_become_pairs_in_file_order(manager):
    executor = MigrationExecutor(connection)
    executor.migrate([("imports", "0001_initial")])
    old_apps = executor.loader.project_state([("imports", "0001_initial")]).apps
    FileImport = old_apps.get_model("imports", "FileImport")
    file_import = FileImport.objects.create(
        file_name="old.csv",
        file="imports/old.csv",
        sha256="0" * 64,
        imported_by_id=manager.pk,
        columns={
            "header": ["Mobile No", "Student Name", "City"],
            "recognised": {"name": "Student Name", "phone_number": "Mobile No", "area": "City"},
            "ignored": [],
        },
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from imports.models import FileImport as CurrentFileImport

    assert CurrentFileImport.objects.get(pk=file_import.pk).columns["recognised"] == [
        ["phone_number", "Mobile No"],
        ["name", "Student Name"],
        ["area", "City"],
    ]
