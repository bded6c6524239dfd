"""One-time form tokens (ASVS V11.1): every POST form carries {% form_once %}, and a form
sent twice (a reload, the back button, a double click) changes nothing the second time.

The concurrent case (8 copies at once, PostgreSQL) is tests/requests/test_submit_concurrency.py.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import fleksi
from fleksi.core.formonce import FIELD
from fleksi.core.models import FormSubmission
from fleksi.requests.models import FlexRequest, RequestState
from fleksi.schedules.models import CalendarFeed
from tests.requests.test_views_requests import form_data
from tests.workflow.helpers import W48

ROOT = Path(fleksi.__file__).resolve().parent
POST_FORM = re.compile(r"<form\b[^>]*\bmethod\s*=\s*[\"']?post[\"']?[^>]*>", re.I | re.S)


def forms_without_token(text: str) -> list[int]:
    """Line numbers of the POST forms whose body (up to </form>) has no {% form_once %}."""
    lines = []
    for m in POST_FORM.finditer(text):
        end = text.find("</form>", m.end())
        body = text[m.end(): end if end != -1 else len(text)]
        if not re.search(r"{%\s*form_once\s*%}", body):
            lines.append(text.count("\n", 0, m.start()) + 1)
    return lines


def test_the_scan_finds_a_post_form_without_the_token():
    assert forms_without_token('<form method="post">{% csrf_token %}<button></button></form>') == [1]
    assert forms_without_token("<form method='POST' class=x>{% csrf_token %}{% form_once %}</form>") == []
    assert forms_without_token('<form method="get"><input name="q"></form>') == []


def test_every_post_form_of_every_template_carries_the_one_time_token():
    templates = sorted(p for p in ROOT.rglob("*.html") if "templates" in p.parts)
    missing = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in templates
        for line in forms_without_token(path.read_text(encoding="utf-8"))
    ]
    assert missing == [], (
        "POST forms without {% form_once %} (add {% load form_once %} and {% form_once %} "
        "after {% csrf_token %}):\n" + "\n".join(missing)
    )


def _token_of(html: str) -> str:
    m = re.search(rf'name="{FIELD}" value="([0-9a-f-]{{36}})"', html)
    assert m, "no one-time token in the page"
    return m.group(1)


@pytest.mark.django_db
def test_a_reloaded_submit_makes_one_request_and_lands_on_the_same_page(client, world):
    client.force_login(world.e1.user)
    page = client.get(reverse("requests:request_new")).content.decode()
    data = form_data(W48[0], W48[1], action="submit") | {FIELD: _token_of(page)}
    first = client.post(reverse("requests:request_new"), data)
    again = client.post(reverse("requests:request_new"), data)
    request = FlexRequest.objects.get()
    assert request.state == RequestState.SUBMITTED
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] == reverse("requests:request_detail", args=[request.pk])
    shown = client.get(again["Location"]).content.decode()
    assert "Formulir ini sudah dikirim" in shown


@pytest.mark.django_db
def test_each_page_load_gives_a_new_token_and_tokens_are_per_user(client, world):
    client.force_login(world.e1.user)
    one = _token_of(client.get(reverse("requests:request_new")).content.decode())
    two = _token_of(client.get(reverse("requests:request_new")).content.decode())
    assert one != two
    # The same token from another person is theirs: it neither blocks nor replays.
    other = Client()
    other.force_login(world.e2.user)
    token = str(uuid.uuid4())
    client.post(reverse("requests:request_new"), form_data(W48[0], action="save") | {FIELD: token})
    other.post(reverse("requests:request_new"), form_data(W48[0], action="save") | {FIELD: token})
    assert FlexRequest.objects.filter(employee=world.e1).count() == 1
    assert FlexRequest.objects.filter(employee=world.e2).count() == 1
    assert FormSubmission.objects.count() == 2


@pytest.mark.django_db
def test_a_form_with_errors_gives_the_token_back(client, world):
    client.force_login(world.e1.user)
    token = str(uuid.uuid4())
    bad = form_data(W48[0], action="save", reason="", work_plan="") | {FIELD: token, "location_kind": "bulan"}
    assert client.post(reverse("requests:request_new"), bad).status_code == 422
    assert not FormSubmission.objects.exists()
    good = form_data(W48[0], action="save") | {FIELD: token}
    assert client.post(reverse("requests:request_new"), good).status_code == 302
    assert FlexRequest.objects.count() == 1


@pytest.mark.django_db
def test_a_resent_form_whose_answer_was_a_page_is_refused_with_409(client, world):
    """Rotating the calendar address answers with a redirect; a page answer (200) is kept
    too, so resending it shows the 'already sent' page instead of doing it again."""
    client.force_login(world.e1.user)
    token = str(uuid.uuid4())
    url = reverse("schedules:calendar_feed")
    first = client.post(url, {"action": "rotate", FIELD: token})
    assert first.status_code in (200, 302)
    feeds = sorted(CalendarFeed.objects.values_list("token", flat=True))
    again = client.post(url, {"action": "rotate", FIELD: token})
    assert sorted(CalendarFeed.objects.values_list("token", flat=True)) == feeds  # not rotated twice
    if first.status_code == 302:
        assert again.status_code == 302 and again["Location"] == first["Location"]
    else:
        assert again.status_code == 409


@pytest.mark.django_db
def test_a_malformed_token_and_the_api_are_left_alone(client, world):
    client.force_login(world.e1.user)
    response = client.post(reverse("requests:request_new"), form_data(W48[0]) | {FIELD: "not-a-uuid"})
    assert response.status_code == 302
    assert not FormSubmission.objects.exists()


@pytest.mark.django_db
def test_a_users_old_tokens_are_purged_at_their_next_submit(client, world):
    import datetime as dt

    from fleksi.core.formonce import KEEP

    client.force_login(world.e1.user)
    old = FormSubmission.objects.create(user=world.e1.user, token=uuid.uuid4(), path="/")
    FormSubmission.objects.filter(pk=old.pk).update(created_at=old.created_at - KEEP - dt.timedelta(hours=1))
    theirs = FormSubmission.objects.create(user=world.e2.user, token=uuid.uuid4(), path="/")
    FormSubmission.objects.filter(pk=theirs.pk).update(created_at=theirs.created_at - KEEP - dt.timedelta(hours=1))
    client.post(reverse("requests:request_new"), form_data(W48[0]) | {FIELD: str(uuid.uuid4())})
    assert not FormSubmission.objects.filter(pk=old.pk).exists()
    assert FormSubmission.objects.filter(pk=theirs.pk).exists()  # only the sender's own
    assert FormSubmission.objects.filter(user=world.e1.user).count() == 1
