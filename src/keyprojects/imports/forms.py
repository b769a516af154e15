from django import forms
from django.utils.translation import gettext as _


class UploadForm(forms.Form):
    file = forms.FileField()

    def __init__(self, *args, importer, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.label = importer.file_label
        limits = {"mb": importer.max_bytes // (1024 * 1024), "rows": importer.max_rows}
        field.help_text = _("Excel（.xlsx）文件，不超过 %(mb)d MB、%(rows)d 行；请使用本页的模板。")
        field.help_text %= limits
        field.widget.attrs["accept"] = ".xlsx"
