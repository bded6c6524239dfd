"""Issue 7: the request pages as people read them: post/redirect/get after a refused submit,
hidden sections stay hidden, the weekly cap names the days it counted, flexible days left,
names instead of NIPs, plain titles and date ranges, grouped findings, scroll regions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from fleksi.requests.models import FlexRequest
from tests.requests.test_views_requests import form_data, login
from tests.workflow.helpers import W48, W49, approved, submitted

pytestmark = pytest.mark.django_db

def _css() -> str:
    from django.contrib.staticfiles import finders

    return Path(finders.find("fleksi/fleksi.css")).read_text(encoding="utf-8")


def _check(client, *dates, **extra):
    return client.post(reverse("requests:request_check"), form_data(*dates, **extra), HTTP_HX_REQUEST="true").content.decode()


# 1. post/redirect/get -------------------------------------------------------------------


def test_refused_submit_redirects_to_the_drafts_edit_page_and_a_reload_adds_no_draft(client, world):
    login(client, world.e1.user)
    response = client.post(reverse("requests:request_new"), form_data(W48[0], W48[1], W48[2], action="submit"))
    draft = FlexRequest.objects.get(employee=world.e1)
    edit = reverse("requests:request_edit", args=[draft.pk])
    assert response.status_code == 302 and response["Location"] == edit
    first = client.get(edit).content.decode()
    assert 'id="submit-errors"' in first and "belum dapat diajukan" in first
    again = client.get(edit).content.decode()  # a reload is a GET: nothing is posted again
    assert 'id="submit-errors"' not in again  # the refusal is said once; the findings stay
    assert "LOCATION_MAX_DAYS_PER_WEEK" in again
    assert FlexRequest.objects.filter(employee=world.e1).count() == 1


# 2. the hidden attribute wins ------------------------------------------------------------


def test_hidden_sections_stay_hidden_whatever_their_display_rule():
    css = _css()
    assert re.search(r"\[hidden\]\s*\{\s*display:\s*none\s*!important", css)
    head, marker, _ = css.partition("/* ---- page-specific styles below ---- */")
    assert marker and "[hidden]" in head  # shared rules above the page-specific block


# 3. the cap names its days; days left --------------------------------------------------


def test_cap_finding_names_the_counted_days_and_the_other_requests(client, world):
    other = approved(world.e1, world.head, W48[0])
    pending = submitted(world.e1, W48[3])
    login(client, world.e1.user)
    html = _check(client, W48[1])
    assert "LOCATION_MAX_DAYS_PER_WEEK" in html
    assert f"Sen 23 Nov (pengajuan #{other.pk}, disetujui)" in html
    assert "Sel 24 Nov (pengajuan ini)" in html
    assert f"Kam 26 Nov (pengajuan #{pending.pk}, menunggu persetujuan)" in html


def test_flexible_days_left_on_the_form_and_the_home_page(client, world):
    approved(world.e1, world.head, W48[0])  # next week (the clock is in 2026-W47)
    login(client, world.e1.user)
    form = client.get(reverse("requests:request_new")).content.decode()
    assert "Sisa hari kerja fleksibel minggu ini" in form
    assert "2 dari 2" in form and "1 dari 2" in form  # this week untouched, next week 1 used
    home = client.get(reverse("home")).content.decode()
    assert f'hx-get="{reverse("requests:flex_allowance")}"' in home
    fragment = client.get(reverse("requests:flex_allowance")).content.decode()
    assert "Sisa hari kerja fleksibel minggu ini" in fragment and "1 dari 2" in fragment


# 4. names, not NIPs ----------------------------------------------------------------------


def test_people_are_named_in_the_menu_and_the_request_history(client, world):
    request = approved(world.e1, world.head, W48[0])
    login(client, world.e1.user)
    page = client.get(reverse("requests:request_detail", args=[request.pk])).content.decode()
    history = page.split("Riwayat", 1)[1]
    assert world.head.name in history and f"NIP {world.head.nip}" in history
    assert f">{world.head.user.username}<" not in history
    nav = page.split('id="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert world.e1.name in nav and world.e1.user.username not in nav


# 6. plain words -------------------------------------------------------------------------


def test_findings_show_plain_titles_severity_words_and_date_ranges(client, world):
    position = world.e1.position
    position.can_work_outside_office = False
    position.save(update_fields=["can_work_outside_office"])
    login(client, world.e1.user)
    html = _check(client, W48[0], W48[1], W48[2], reason="", _touched="")
    assert "galat" not in html.lower()
    assert "Melanggar aturan" in html
    assert "Tugas jabatan tidak memenuhi kriteria fleksibilitas lokasi" in html  # the title
    # One line for the rule, its dates as a range; no ISO dates or weeks in the text.
    assert html.count('<code class="code small muted">TASK_NOT_ELIGIBLE</code>') == 1
    assert "23\u201325 Nov 2026" in html
    assert not re.search(r"\b2026-11-2\d\b", html)
    assert "2026-W48" not in html.replace("(2026-W48)", "")


def test_reason_and_work_plan_are_flagged_only_once_touched(client, world):
    login(client, world.e1.user)
    untouched = _check(client, W48[0], reason="", work_plan="")
    assert "REQUEST_REASON_MISSING" not in untouched and "REQUEST_WORKPLAN_MISSING" not in untouched
    assert "diperiksa setelah Anda mengisinya" in untouched
    touched = _check(client, W48[0], reason="", work_plan="", _touched="reason")
    assert "REQUEST_REASON_MISSING" in touched and "REQUEST_WORKPLAN_MISSING" not in touched


def test_dates_are_shown_as_people_read_them(client, world):
    submitted(world.e1, W48[0], W48[1])
    login(client, world.e1.user)
    listing = client.get(reverse("requests:my_requests")).content.decode()
    assert "23\u201324 Nov 2026" in listing
    assert not re.search(r"\d{4}-\d{2}-\d{2}", listing.split("<main", 1)[1].split("</main>", 1)[0].replace('value="', ""))


# 5. tables on a phone -----------------------------------------------------------------


@pytest.mark.parametrize("page", ["my_requests", "inbox", "detail"])
def test_tables_sit_in_focusable_labelled_scroll_regions(client, world, page):
    request = submitted(world.e1, W49[0])
    if page == "my_requests":
        login(client, world.e1.user)
        html = client.get(reverse("requests:my_requests")).content.decode()
    elif page == "inbox":
        login(client, world.head.user)
        html = client.get(reverse("requests:inbox")).content.decode()
        header = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
        assert '<span class="sr-only">Pilih</span>' in header  # no empty column header
    else:
        login(client, world.e1.user)
        html = client.get(reverse("requests:request_detail", args=[request.pk])).content.decode()
    wraps = re.findall(r'<div class="table-wrap"[^>]*>', html)
    assert wraps
    for wrap in wraps:
        assert 'role="region"' in wrap and 'tabindex="0"' in wrap and "aria-label" in wrap
    assert "Geser tabel ke samping" in html


# 8. the menu -----------------------------------------------------------------------------


def test_api_tokens_are_on_the_account_page_not_in_the_main_menu(client, world):
    login(client, world.e1.user)
    home = client.get(reverse("home")).content.decode()
    nav = home.split('id="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert "Token API" not in nav and reverse("accounts:account") in nav
    assert "Kalender saya" not in home and "Umpan kalender (iCal)" in home
    account = client.get(reverse("accounts:account")).content.decode()
    assert reverse("accounts:tokens") in account and "Umpan kalender (iCal)" in account
    assert reverse("organisation:employee_detail", args=[world.e1.pk]) in account
