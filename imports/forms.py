import hashlib

from django import forms

from customers.forms import assignable_field

from .models import FileImport
from .parsers import FileRejected, read_table
from .services import limits


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Lead file",
        help_text="CSV or Excel (.xlsx). Only a phone column is required.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt,text/csv"}),
    )
    assign = forms.ChoiceField(
        choices=FileImport.Assign.choices,
        initial=FileImport.Assign.NOBODY,
        widget=forms.RadioSelect,
        label="New customers",
    )
    assign_to = assignable_field(label="Counsellor")

    def clean_file(self):
        """Read the whole file now, so a file that cannot be imported never gets queued."""
        upload = self.cleaned_data["file"]
        max_bytes = limits().max_bytes
        if upload.size > max_bytes:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{max_bytes / 1024 / 1024:.0f} MB. Split it into smaller files."
            )
        data = upload.read()
        upload.seek(0)
        try:
            self.table = read_table(data, limits())
        except FileRejected as rejection:
            raise forms.ValidationError(str(rejection)) from None
        self.sha256 = hashlib.sha256(data).hexdigest()
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("assign") == FileImport.Assign.ONE and not cleaned.get("assign_to"):
            self.add_error("assign_to", "Choose the counsellor who gets the new customers.")
        return cleaned
