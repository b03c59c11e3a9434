"""The upload form for SEN2-shaped CSV files."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from ehcp.imports.service import size_label


class ChildImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "Select a CSV file",
            "missing": "Select a CSV file",
            "empty": "The selected file is empty",
            "invalid": "Select a CSV file",
        },
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        # Size first, from the upload's metadata: an oversize file is refused before anything reads it.
        if upload.size > settings.QAF_IMPORT_MAX_BYTES:
            raise ValidationError(
                f"The selected file must be smaller than {size_label(settings.QAF_IMPORT_MAX_BYTES)}"
            )
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError("The selected file must be a CSV")
        return upload
