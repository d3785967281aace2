"""A password hasher for tests that counts (and slows) every password check, to observe races."""

import threading
import time

from django.contrib.auth.hashers import MD5PasswordHasher


class CountingSlowHasher(MD5PasswordHasher):
    algorithm = "counting_md5"
    checks = 0
    delay = 0.2
    _lock = threading.Lock()

    def verify(self, password, encoded):
        with CountingSlowHasher._lock:
            CountingSlowHasher.checks += 1
        time.sleep(self.delay)  # widen the window between "is it locked?" and "count the failure"
        return super().verify(password, encoded)
