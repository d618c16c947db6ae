"""Imports saved before recognised columns became ordered [field, label] pairs stored them as a
{field: label} object; turn those into pairs in the file's column order."""

from django.db import migrations


def to_pairs(apps, schema_editor):
    FileImport = apps.get_model("imports", "FileImport")
    for file_import in FileImport.objects.exclude(columns={}).iterator():
        recognised = file_import.columns.get("recognised")
        if not isinstance(recognised, dict):
            continue
        header = file_import.columns.get("header", [])

        def position(item):
            label = item[1]
            return header.index(label) if label in header else len(header)

        file_import.columns["recognised"] = [list(pair) for pair in sorted(recognised.items(), key=position)]
        file_import.save(update_fields=["columns"])


def to_objects(apps, schema_editor):
    FileImport = apps.get_model("imports", "FileImport")
    for file_import in FileImport.objects.exclude(columns={}).iterator():
        recognised = file_import.columns.get("recognised")
        if isinstance(recognised, list):
            file_import.columns["recognised"] = dict(recognised)
            file_import.save(update_fields=["columns"])


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_initial")]

    operations = [migrations.RunPython(to_pairs, to_objects)]
