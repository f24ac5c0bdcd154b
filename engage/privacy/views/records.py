"""Admin pages: the record of processing activities, as a page and as CSV."""

from flask import Response, render_template

from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.core.db_types import utcnow
from engage.privacy import staff_bp
from engage.privacy.records import processing_records, processing_rows
from engage.web.csv_writing import csv_lines


@staff_bp.get("/records")
@roles_required(Role.ADMIN)
def processing_record():
    return render_template("privacy/records.html", records=processing_records())


@staff_bp.get("/records.csv")
@roles_required(Role.ADMIN)
def processing_record_csv():
    filename = f"record-of-processing-{utcnow():%Y%m%d}.csv"
    return Response(
        csv_lines(list(processing_rows())),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
