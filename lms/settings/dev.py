from .base import *  # noqa: F403
from .base import E

# The demo (`make run`) shows the product's own 404, 403 and 500 pages, never Django's debug page with its
# settings and stack; a developer sets DEBUG=1 to get the debug page back.
DEBUG = E.env_bool("DEBUG", False)
# Uploaded images and documents are served by runserver in this profile whatever DEBUG says.
SERVE_MEDIA = True
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
