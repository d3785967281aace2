"""Ways in that imported officers use: an e-mail address typed in another case, and a role gained mid-session."""

from django.contrib.auth.models import Group

from lms import roles
from tests.accounts.conftest import PASSWORD, sign_in


def test_e_mail_address_in_another_case_signs_in(client, officer):
    # The HR export keeps addresses as typed; officers type them as they remember them.
    officer.user.email = "Nhung.Nguyen@mofa.gov.vn"
    officer.user.save()
    response = sign_in(client, "nhung.nguyen@MOFA.GOV.VN")
    assert response.status_code == 302
    assert client.get("/my-learning/").status_code == 200


def test_employee_number_signs_in(client, officer):
    officer.user.username = officer.employee_number
    officer.user.save()
    assert sign_in(client, officer.employee_number).status_code == 302


def test_officer_made_hr_mid_session_must_enrol_before_reports(client, officer, org, settings):
    settings.SECOND_FACTOR_RECHECK_SECONDS = 0  # in service: within five minutes of the change
    # given an officer signed in without a second factor (learners need none)
    assert sign_in(client, "officer").status_code == 302
    assert client.get("/my-learning/").status_code == 200
    # when an administrator makes them HR while their session is open
    officer.user.groups.add(Group.objects.get_or_create(name=roles.HR)[0])
    from lms.models import HRScope

    HRScope.objects.create(user=officer.user, unit=org["FR"])
    # then their next request for reports, exports or the API leads to enrolment, not to the data
    for path in ("/reports/", f"/reports/units/{org['FR'].pk}/staff/", "/api/v1/units"):
        response = client.get(path)
        assert response.status_code in (302, 403), (path, response.status_code)
        if response.status_code == 302:
            assert "/accounts/2fa/" in response["Location"] or "/accounts/security/" in response["Location"], path
    # as for HR who sign in without one, every page leads to enrolment until they have enrolled
    assert client.get("/my-learning/")["Location"] == "/accounts/2fa/totp/activate/"


def test_wrong_password_for_mixed_case_address_is_refused(client, officer):
    officer.user.email = "Nhung.Nguyen@mofa.gov.vn"
    officer.user.save()
    response = sign_in(client, "NHUNG.NGUYEN@mofa.gov.vn", password=PASSWORD + "x")
    assert response.status_code == 200
    assert client.get("/my-learning/").status_code == 302
