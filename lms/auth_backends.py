from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from . import throttle


class ThrottledModelBackend(ModelBackend):
    """Django's model backend behind the failed-sign-in throttle.

    Throttling here rather than in a view covers every way in: our sign-in page,
    Wagtail's admin sign-in and anything else that calls ``authenticate()``.
    """

    def get_user(self, user_id):
        """The signed-in user with their staff profile in the same query (every page asks for it)."""
        UserModel = get_user_model()
        try:
            user = UserModel._default_manager.select_related("staff_profile").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        address = throttle.client_address(request) if request is not None else "local"
        if throttle.is_locked(username, address):
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.record_failure(username, address)
        else:
            throttle.clear(username)
        return user
