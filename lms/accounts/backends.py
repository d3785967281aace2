from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model


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
