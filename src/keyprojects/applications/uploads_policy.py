"""Which file kinds each attachment type accepts."""

from keyprojects.documents.uploads import FileKind

from .models import AttachmentKind

SCANS = {FileKind.PDF, FileKind.JPEG, FileKind.PNG}

ALLOWED_FILE_KINDS = {
    AttachmentKind.APPROVAL: SCANS,
    AttachmentKind.TENDER_CONTRACT: {FileKind.PDF},
    AttachmentKind.ACCEPTANCE: SCANS,
    AttachmentKind.IP_PROOF: SCANS,
    AttachmentKind.OTHER: SCANS | {FileKind.DOCX, FileKind.XLSX},
}
