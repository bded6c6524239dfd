"""Background jobs (django-tasks, database backend; `fleksi worker` runs them). Tasks only
wrap the generation: the report row carries status and progress the page polls."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from .models import EvaluationReport, ReportFormat, ReportStatus

logger = logging.getLogger(__name__)


@task()
def generate_report(report_id: int) -> str:
    """Generate an evaluation report's file; the row shows progress 0..100 on the way."""
    from .reports import render_pdf, render_xlsx
    from .services import report_progress

    report = EvaluationReport.objects.select_related("agency", "unit", "created_by").get(pk=report_id)
    report_progress(report_id=report_id, progress=10)

    def progress(value: int) -> None:
        report_progress(report_id=report_id, progress=min(99, value))

    try:
        if report.format == ReportFormat.PDF:
            content = render_pdf(report, progress)
        else:
            content = render_xlsx(report, progress)
    except Exception as error:
        logger.exception("report %s failed", report_id)
        EvaluationReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        raise
    name = f"laporan-monev-{report.agency.code}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.{report.format}"
    report.file.save(name, ContentFile(content), save=False)
    EvaluationReport.objects.filter(pk=report_id).update(
        file=report.file.name, status=ReportStatus.DONE, progress=100, finished_at=timezone.now()
    )
    return report.file.name
