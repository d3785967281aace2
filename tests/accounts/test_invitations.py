import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from lms.accounts.models import Invitation, InvitationState, with_invitation_state
from lms.accounts.services.invitations import invitation_states, invitations_create
from lms.models import StaffProfile
from reports.models import AuditEntry
from tests.factories import make_person

NEW_PASSWORD = "một mật khẩu rất dài 2026"


@pytest.fixture
def imported(org):
    """Two imported officers with unusable passwords, one reading English."""
    people = []
    for username, unit, language in (("NV001", "FR", "vi"), ("NV002", "JP", "en")):
        person = make_person(username, org[unit], language=language, full_name=f"Trần Văn {username}")
        person.user.set_unusable_password()
        person.user.save()
        people.append(person)
    return people


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Create invitations and run what waits for the commit (the sending task), as a real request would."""

    def run(people, actor, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return invitations_create(people=people, actor=actor, **kwargs)

    return run


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _link(message) -> str:
    return re.search(r"https?://\S+/accounts/invitation/[^/\s]+/", message.body).group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_invitations_go_out_in_each_persons_language(imported, admin_user, invite):
    batch = invite(StaffProfile.objects.all(), admin_user)
    assert batch.invited == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    vi, en = by_to[imported[0].user.email], by_to[imported[1].user.email]
    assert "Kính gửi đồng chí Trần Văn NV001" in vi.body and "HocSo" in vi.subject
    assert "Dear Trần Văn NV002" in en.body and "invited" in en.subject
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 2
    assert AuditEntry.objects.filter(action="accounts.invite").count() == 2


def test_link_sets_the_first_password_signs_in_and_is_single_use(client, imported, admin_user, invite):
    invite(StaffProfile.objects.filter(pk=imported[0].pk), admin_user)
    path = _path(_link(mail.outbox[0]))
    page = client.get(path)
    assert page.status_code == 200 and "Chào mừng" in page.content.decode()
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(imported[0].user.pk)
    client.post(reverse("logout"))
    again = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert again.status_code == 410 and "đã được sử dụng" in again.content.decode()
    states = dict(with_invitation_state(StaffProfile.objects.all()).values_list("user__username", "invitation_state"))
    assert states == {"NV001": "joined", "NV002": "not_invited"}


def test_weak_password_is_refused_and_link_stays_usable(client, imported, admin_user, invite):
    invite(StaffProfile.objects.filter(pk=imported[0].pk), admin_user)
    path = _path(_link(mail.outbox[0]))
    response = client.post(path, {"password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    imported[0].user.refresh_from_db()
    assert not imported[0].user.has_usable_password()
    assert client.get(path).status_code == 200


def test_expired_tampered_and_replaced_links_are_refused(client, imported, admin_user, invite):
    invite(StaffProfile.objects.filter(pk=imported[0].pk), admin_user)
    first = _path(_link(mail.outbox[0]))
    assert client.get(first[:-5] + "XXXX/").status_code == 410  # tampered
    invite(StaffProfile.objects.filter(pk=imported[0].pk), admin_user, resend=True)
    second = _path(_link(mail.outbox[1]))
    replaced = client.get(first)
    assert replaced.status_code == 410 and "thay thế" in replaced.content.decode()
    with freeze_time(timezone.now() + timedelta(days=8)):
        expired = client.post(second, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        assert expired.status_code == 410 and "hết hạn" in expired.content.decode()
        assert invitation_states(StaffProfile.objects.all())[InvitationState.EXPIRED] == 1
    imported[0].user.refresh_from_db()
    assert not imported[0].user.has_usable_password()


def test_only_people_who_have_not_joined_are_invited(imported, officer, admin_user, invite):
    officer.user.last_login = timezone.now()
    officer.user.save()
    first = invite(StaffProfile.objects.all(), admin_user)
    assert first.invited == 2  # the officer who already signed in is left out
    assert invite(StaffProfile.objects.all(), admin_user).invited == 0  # not twice


def test_hr_joining_by_invitation_lands_on_enrolment(client, org, admin_user, invite):
    from tests.factories import make_hr

    newcomer = make_hr("NS0099", org["BNG"], org["BNG"], second_factor=False)
    newcomer.user.set_unusable_password()
    newcomer.user.save()
    invite(StaffProfile.objects.filter(pk=newcomer.pk), admin_user)
    path = _path(_link(mail.outbox[0]))
    client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert client.get(reverse("reports:dashboard"))["Location"] == reverse("mfa_activate_totp")


def test_invite_staff_command_dry_run_then_unit(imported, capsys, committed):
    call_command("invite_staff", "--dry-run")
    assert "2 people would be invited" in capsys.readouterr().out and not mail.outbox
    with committed():
        call_command("invite_staff", "--unit", "FR")
    assert "1 invitation(s) in FR and below sent" in capsys.readouterr().out
    assert [m.to[0] for m in mail.outbox] == [imported[0].user.email]
    with committed():
        call_command("invite_staff")
    assert len(mail.outbox) == 2


def test_invite_staff_unknown_unit(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No unit"):
        call_command("invite_staff", "--unit", "NOPE")


def test_sending_is_batched_and_idempotent(imported, admin_user, settings, django_assert_max_num_queries, invite):
    from lms.accounts.services.invitations import invitations_send

    settings.INVITATION_BATCH_SIZE = 1
    invite(StaffProfile.objects.all(), admin_user)
    assert len(mail.outbox) == 2
    ids = list(Invitation.objects.values_list("pk", flat=True))
    assert invitations_send(invitation_ids=ids) == 0  # a repeated task sends nothing twice
    assert len(mail.outbox) == 2


def test_forgot_password_of_someone_never_invited_sends_the_invitation(client, imported, committed):
    with committed():
        response = client.post(reverse("account_reset_password"), {"email": imported[1].user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/accounts/invitation/" in mail.outbox[0].body
    assert "Dear" in mail.outbox[0].body  # in the recipient's language (English), not the page's


def test_forgot_password_answers_the_same_for_unknown_addresses(client, officer):
    known = client.post(reverse("account_reset_password"), {"email": officer.user.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@mofa.example.vn"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [officer.user.email]


def test_reset_link_sets_a_new_password_once(client, officer):
    client.post(reverse("account_reset_password"), {"email": officer.user.email})
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mail.outbox[0].body).group(0)
    path = _path(link)
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    officer.user.refresh_from_db()
    assert officer.user.check_password(NEW_PASSWORD)
    reused = client.get(path, follow=True)
    assert "password1" not in reused.content.decode()


def test_reset_requests_are_throttled(client, officer):
    for _ in range(3):
        client.post(reverse("account_reset_password"), {"email": officer.user.email})
    assert client.post(reverse("account_reset_password"), {"email": officer.user.email}).status_code == 429


def test_hr_invite_people_of_their_units_from_the_staff_list(client, imported, org, committed):
    from tests.factories import make_hr

    hr_fr = make_hr("hr_fr", org["FR"], org["FR"])
    client.force_login(hr_fr.user)
    page = client.get(reverse("reports:staff", args=[org["FR"].pk]))
    assert "Chưa mời" in page.content.decode()
    with committed():
        response = client.post(reverse("accounts_invite"), {"person": imported[0].pk, "next": "/reports/"})
    assert response.status_code == 302 and response["Location"] == "/reports/"
    assert [m.to[0] for m in mail.outbox] == [imported[0].user.email]
    assert "Đã mời" in client.get(reverse("reports:staff", args=[org["FR"].pk])).content.decode()
    # Someone outside their units: refused, nothing sent.
    assert client.post(reverse("accounts_invite"), {"person": imported[1].pk}).status_code == 403
    assert client.post(reverse("accounts_invite"), {"unit": org["JP"].pk}).status_code == 403
    assert len(mail.outbox) == 1
    # An off-site "next" is ignored.
    with committed():
        response = client.post(reverse("accounts_invite"), {"unit": org["FR"].pk, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_learners_cannot_invite(client, imported, officer):
    client.force_login(officer.user)
    assert client.post(reverse("accounts_invite"), {"person": imported[0].pk}).status_code == 403
    assert not mail.outbox


def test_admin_sees_states_and_invites_from_the_admin(client, imported, admin_user, committed):
    client.force_login(admin_user)
    listing = client.get(reverse("staffprofile:index"))
    assert listing.status_code == 200 and "Chưa mời" in listing.content.decode()
    page = client.get(reverse("accounts_invite_staff"))
    assert page.status_code == 200
    with committed():
        client.post(reverse("accounts_invite_staff"), {"unit": ""})
    assert len(mail.outbox) == 2
