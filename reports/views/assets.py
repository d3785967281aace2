from pathlib import Path

from django.http import FileResponse, Http404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


def _plotly_path() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@require_GET
@cache_control(max_age=7 * 24 * 3600, public=True)
def plotly_js(request):
    """plotly.js from the installed plotly Python package: no CDN, nothing committed."""
    path = _plotly_path()
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), content_type="text/javascript; charset=utf-8")
