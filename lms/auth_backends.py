from django.contrib.auth.backends import ModelBackend

from . import throttle


class ThrottledModelBackend(ModelBackend):
    """Django's model backend behind the failed-sign-in throttle.

    Throttling here rather than in a view covers every way in: our sign-in page,
    Wagtail's admin sign-in and anything else that calls ``authenticate()``.
    """

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
