"""The data protection officer's page: who viewed or exported personal data, filterable, CSV."""

from flask import Response, render_template, request, stream_with_context

from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.privacy import staff_bp
from engage.privacy.access_log import (
    AccessFilters,
    AccessKind,
    access_page,
    access_rows,
    check_access_filters,
)
from engage.web.csv_writing import csv_lines


@staff_bp.get("/access-log")
@roles_required(Role.ADMIN)
def access_log():
    try:
        filters = check_access_filters(request.args)
    except DomainError as error:
        return _page(AccessFilters(), error, 422)
    return _page(filters)


def _page(filters: AccessFilters, error: DomainError | None = None, status: int = 200):
    page = None if error else access_page(filters, request.args.get("page", 1, type=int))
    return render_template(
        "privacy/access_log.html",
        filters=filters,
        kinds=list(AccessKind),
        kind_labels={kind.value: kind.label for kind in AccessKind},
        page=page,
        error=error,
        values=request.args,
    ), status


@staff_bp.get("/access-log.csv")
@roles_required(Role.ADMIN)
def access_log_csv():
    try:
        filters = check_access_filters(request.args)
    except DomainError as error:
        return _page(AccessFilters(), error, 422)
    filename = f"personal-data-access-{utcnow():%Y%m%d}.csv"
    return Response(
        stream_with_context(csv_lines(access_rows(filters))),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
