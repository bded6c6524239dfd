"""Employee import in the web UI: upload, preview of what will change, confirm."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def import_employees(request: HttpRequest) -> HttpResponse:
    return render(request, "organisation/import.html", {})
