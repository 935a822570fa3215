"""Flask's uploaded files as the plain data the domain takes: nothing of the request goes further."""

from __future__ import annotations

from collections.abc import Mapping

from werkzeug.datastructures import FileStorage

from domain.applications.intake import MaterialUploads

MATERIAL_FIELD = "material_"  # the form's file inputs are named material_<code>


def material_files(files: Mapping[str, FileStorage]) -> MaterialUploads:
    """The material files of a form: material code → (the file's name as given, its stream); empty inputs left out."""
    return {
        field.removeprefix(MATERIAL_FIELD): (upload.filename, upload.stream)
        for field, upload in files.items()
        if field.startswith(MATERIAL_FIELD) and upload.filename
    }


def file_content(upload: FileStorage | None, max_bytes: int) -> bytes | None:
    """The content of one uploaded file, read up to one byte past ``max_bytes``; None when no file was chosen."""
    if upload is None or not upload.filename:
        return None
    return upload.read(max_bytes + 1)
