"""Every service and selector is scoped: another unit or agency gets NOT_FOUND, never the data."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fleksi.accounts.models import User
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.organisation import selectors as org_selectors
from fleksi.organisation import services as org_services
from fleksi.requests import decisions as request_decisions
from fleksi.requests import evidence as request_evidence
from fleksi.requests import selectors as request_selectors
from fleksi.requests import services as request_services
from fleksi.scheme import selectors as scheme_selectors
from fleksi.scheme import services as scheme_services
from tests.factories import UserFactory
from tests.workflow.helpers import W48, approved, counts, fresh, request_data, submitted

pytestmark = pytest.mark.django_db


def outsiders(world) -> dict[str, User]:
    """People who must not even learn that e1's request exists."""
    return {
        "colleague": fresh(world.e2.user),
        "head of sibling unit": fresh(world.head_sibling.user),
        "head of sub-unit": fresh(world.head_sub.user),
        "employee of sibling unit": fresh(world.ev.user),
        "head of other agency": fresh(world.foreign_head.user),
        "HR of other agency": fresh(world.foreign_hr),
        "national monitor": UserFactory(is_national_monitor=True),
        "no employee record": UserFactory(),
    }


REQUEST_CALLS = {
    "request_get": lambda actor, pk: request_selectors.request_get(actor=actor, request_id=pk),
    "request_update": lambda actor, pk: request_services.request_update(actor=actor, request_id=pk, data=request_data(W48[1])),
    "request_submit": lambda actor, pk: request_services.request_submit(actor=actor, request_id=pk),
    "request_approve": lambda actor, pk: request_decisions.request_approve(actor=actor, request_id=pk),
    "request_reject": lambda actor, pk: request_decisions.request_reject(actor=actor, request_id=pk, reason="Tidak."),
    "request_return": lambda actor, pk: request_decisions.request_return(actor=actor, request_id=pk, reason="Perbaiki."),
    "request_revoke": lambda actor, pk: request_decisions.request_revoke(actor=actor, request_id=pk, reason="Cabut."),
    "request_cancel": lambda actor, pk: request_services.request_cancel(actor=actor, request_id=pk),
    "request_check": lambda actor, pk: request_services.request_check(actor=actor, data=request_data(W48[1]), request_id=pk),
    "evidence_add": lambda actor, pk: request_evidence.evidence_add(
        actor=actor, request_id=pk, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    ),
}


@pytest.mark.parametrize("call", sorted(REQUEST_CALLS))
def test_outsiders_get_not_found_and_nothing_changes(world, call):
    request = submitted(world.e1, W48[0])
    before = counts()
    for label, actor in outsiders(world).items():
        with pytest.raises(ApplicationError) as error:
            REQUEST_CALLS[call](actor, request.pk)
        assert error.value.code == ErrorCode.NOT_FOUND, label
    assert counts() == before


def test_drafts_are_private_to_their_employee(world):
    draft = request_services.request_create(actor=fresh(world.e1.user), data=request_data(W48[0]))
    for actor in (world.head.user, world.head_root.user, world.hr, world.ppk):
        with pytest.raises(ApplicationError) as error:
            request_selectors.request_get(actor=fresh(actor), request_id=draft.pk)
        assert error.value.code == ErrorCode.NOT_FOUND
    assert request_selectors.request_get(actor=fresh(world.e1.user), request_id=draft.pk).pk == draft.pk


def test_who_sees_a_submitted_request(world):
    request = submitted(world.e1, W48[0])
    superuser = UserFactory(is_superuser=True)
    for actor in (world.e1.user, world.head.user, world.head_root.user, world.hr, world.ppk, superuser):
        assert request_selectors.request_get(actor=fresh(actor), request_id=request.pk).pk == request.pk


def test_delegate_of_today_sees_and_decides(world):
    from fleksi.organisation.models import Delegation

    request = submitted(world.e1, W48[0])
    with pytest.raises(ApplicationError):
        request_selectors.request_get(actor=fresh(world.ev.user), request_id=request.pk)
    Delegation.objects.create(unit=world.unit, delegate=world.ev, kind="plh", start=W48[0].replace(day=1), end=W48[4])
    actor = fresh(world.ev.user)
    assert request_selectors.request_get(actor=actor, request_id=request.pk).pk == request.pk
    assert [r.pk for r in request_selectors.inbox_list(actor=actor)] == [request.pk]
    assert request_decisions.request_approve(actor=actor, request_id=request.pk).state == "approved"


def test_viewers_who_may_not_decide_get_permission_denied(world):
    request = submitted(world.e1, W48[0])
    for actor in (world.hr, world.ppk, world.e1.user):
        with pytest.raises(ApplicationError) as error:
            request_decisions.request_approve(actor=fresh(actor), request_id=request.pk)
        assert error.value.code == ErrorCode.PERMISSION_DENIED
    assert request.state == "submitted"


def test_ppk_may_revoke_but_hr_may_not(world):
    request = approved(world.e1, world.head, W48[0])
    with pytest.raises(ApplicationError) as error:
        request_decisions.request_revoke(actor=fresh(world.hr), request_id=request.pk, reason="Cabut.")
    assert error.value.code == ErrorCode.PERMISSION_DENIED
    assert request_decisions.request_revoke(actor=fresh(world.ppk), request_id=request.pk, reason="Cabut.").state == "revoked"


def test_list_mine_shows_only_own(world):
    own = submitted(world.e1, W48[0])
    submitted(world.e2, W48[0])
    assert [r.pk for r in request_selectors.request_list_mine(actor=fresh(world.e1.user))] == [own.pk]
    assert [r.pk for r in request_selectors.request_list_mine(actor=fresh(world.e1.user), state="approved")] == []
    assert list(request_selectors.request_list_mine(actor=fresh(world.hr))) == []


def test_inbox_is_the_subtree_the_actor_decides(world):
    in_unit = submitted(world.e1, W48[0])
    in_sub = submitted(world.es, W48[0])
    in_sibling = submitted(world.ev, W48[0])
    foreign = submitted(world.foreign, W48[0])
    assert {r.pk for r in request_selectors.inbox_list(actor=fresh(world.head.user))} == {in_unit.pk, in_sub.pk}
    assert {r.pk for r in request_selectors.inbox_list(actor=fresh(world.head_sub.user))} == {in_sub.pk}
    assert {r.pk for r in request_selectors.inbox_list(actor=fresh(world.head_root.user))} == {in_unit.pk, in_sub.pk, in_sibling.pk}
    assert {r.pk for r in request_selectors.inbox_list(actor=fresh(world.foreign_head.user))} == {foreign.pk}
    assert list(request_selectors.inbox_list(actor=fresh(world.hr))) == []
    assert list(request_selectors.inbox_list(actor=fresh(world.e1.user))) == []
    by_unit = request_selectors.inbox_list(actor=fresh(world.head.user), unit_id=world.sub.pk)
    assert [r.pk for r in by_unit] == [in_sub.pk]
    by_name = request_selectors.inbox_list(actor=fresh(world.head.user), search=world.e1.name)
    assert [r.pk for r in by_name] == [in_unit.pk]
    request_decisions.request_approve(actor=fresh(world.head.user), request_id=in_unit.pk)
    assert [r.pk for r in request_selectors.inbox_list(actor=fresh(world.head.user), state="approved")] == [in_unit.pk]


def test_agency_settings_are_for_managers_of_that_agency(world):
    calls = {
        "agency_settings_get": lambda a: scheme_selectors.agency_settings_get(actor=a, agency_id=world.agency.pk),
        "agency_policy_update": lambda a: scheme_services.agency_policy_update(actor=a, agency_id=world.agency.pk, data={}),
        "agency_settings_update": lambda a: scheme_services.agency_settings_update(
            actor=a, agency_id=world.agency.pk, flexible_work_enabled=True, approval_supervisor_first=False, reminder_after_days=3
        ),
        "office_save": lambda a: org_services.office_save(actor=a, agency_id=world.agency.pk, name=f"Kantor {a.pk}"),
        "place_save": lambda a: org_services.place_save(actor=a, agency_id=world.agency.pk, name=f"Perpustakaan {a.pk}"),
        "flex_day_declare": lambda a: scheme_services.flex_day_declare(
            actor=a, agency_id=world.agency.pk, date=W48[0], circular="SE 1/2026", max_share="0.5"
        ),
    }
    before = counts()
    for name, call in calls.items():
        for actor, code in ((world.foreign_hr, ErrorCode.NOT_FOUND), (world.e1.user, ErrorCode.PERMISSION_DENIED),
                            (world.head.user, ErrorCode.PERMISSION_DENIED)):
            with pytest.raises(ApplicationError) as error:
                call(fresh(actor))
            assert error.value.code == code, name
    assert counts() == before
    for actor in (world.hr, world.ppk):
        for call in calls.values():
            call(fresh(actor))


def test_flex_day_remove_is_scoped(world):
    day = scheme_services.flex_day_declare(actor=fresh(world.hr), agency_id=world.agency.pk, date=W48[0], circular="SE 1/2026", max_share=1)
    with pytest.raises(ApplicationError) as error:
        scheme_services.flex_day_remove(actor=fresh(world.foreign_hr), flex_day_id=day.pk)
    assert error.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(ApplicationError) as error:
        scheme_services.flex_day_remove(actor=fresh(world.e1.user), flex_day_id=day.pk)
    assert error.value.code == ErrorCode.PERMISSION_DENIED
    scheme_services.flex_day_remove(actor=fresh(world.ppk), flex_day_id=day.pk)
    assert not type(day).objects.exists()


def test_offices_and_places_for_the_form_are_own_agency_active_only(world):
    org_services.office_save(actor=fresh(world.hr), agency_id=world.agency.pk, name="Kantor Aktif")
    org_services.office_save(actor=fresh(world.hr), agency_id=world.agency.pk, name="Kantor Tutup", is_active=False)
    org_services.office_save(actor=fresh(world.foreign_hr), agency_id=world.foreign_agency.pk, name="Kantor Asing")
    org_services.place_save(actor=fresh(world.hr), agency_id=world.agency.pk, name="Perpustakaan Daerah")
    assert [o.name for o in org_selectors.offices_for(actor=fresh(world.e1.user))] == ["Kantor Aktif"]
    assert [p.name for p in org_selectors.places_for(actor=fresh(world.e1.user))] == ["Perpustakaan Daerah"]
    assert [o.name for o in org_selectors.offices_for(actor=fresh(world.foreign.user))] == ["Kantor Asing"]
