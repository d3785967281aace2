from allauth.account import app_settings
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import Q


class AccountBackend(AuthenticationBackend):
    """allauth's username-or-e-mail backend; inactive accounts (leavers) never authenticate.

    Throttling happens before any backend is asked (``AccountAdapter.authenticate``), so it covers the
    directory backend too.
    """

    def get_user(self, user_id):
        """The signed-in user with their staff profile in the same query (every page asks for it).
        A deactivated officer's old session resolves to nobody: they are signed out on their next request."""
        UserModel = get_user_model()
        try:
            user = UserModel._default_manager.select_related("staff_profile").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def _authenticate_by_email(self, email, password):
        """By e-mail address in any case: the HR export keeps addresses as typed ("Nhung.Nguyen@..."), and
        allauth compares a lowercased address with the stored one exactly."""
        if not email or app_settings.LoginMethod.EMAIL not in app_settings.LOGIN_METHODS:
            return None
        email = email.strip()
        UserModel = get_user_model()
        users = UserModel._default_manager.filter(
            Q(email__iexact=email) | Q(pk__in=EmailAddress.objects.filter(email__iexact=email).values("user_id"))
        ).order_by("pk")
        for user in users[:10]:
            if self._check_password(user, password):
                return user
        return None
