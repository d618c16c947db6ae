from django.contrib import admin

from accounts.audit import AuditedAdmin

from .models import FileImport, ImportMergedRow, ImportRowError


@admin.register(FileImport)
class FileImportAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = [
        "file_name",
        "imported_by",
        "imported_at",
        "status",
        "total_records",
        "created_records",
        "updated_records",
        "unchanged_records",
        "failed_records",
    ]
    list_filter = ["status", "format"]
    list_select_related = ["imported_by"]
    readonly_fields = [f.name for f in FileImport._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ImportRowError)
class ImportRowErrorAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["file_import", "row_number", "column", "value", "reason", "warning"]
    list_filter = ["warning"]
    list_select_related = ["file_import"]
    readonly_fields = [
        "file_import",
        "row_number",
        "column",
        "value",
        "reason",
        "cells",
        "warning",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(ImportMergedRow)
class ImportMergedRowAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["file_import", "row_number", "first_row_number", "phone_number"]
    list_select_related = ["file_import"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
