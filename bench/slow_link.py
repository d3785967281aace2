"""Four pages on a mission's slow link: Chromium with network emulation, cold and warm cache.

Run on demand (not part of the test suite):

    .venv/bin/python bench/slow_link.py [--database-url URL] [--static-root DIR] [--runs 3]

It serves the production profile (bench/slow_link_settings.py: lms.settings.production with plain-HTTP
cookies) with gunicorn: the demo seeded (``seed_demo``, as the browser tests do), static files collected
by WhiteNoise's compressed manifest storage (hashed names, gzip and brotli copies, a year's cache). Debian's
chromium, driven by Playwright, signs in as the learner (``staff``) and HR (``hr``, with the demo
authenticator's code), then for each page emulates 1.5 Mbit/s down (187,500 bytes/s), 0.75 Mbit/s up and
300 ms round trip (CDP ``Network.emulateNetworkConditions``) and opens it twice: with the browser cache
emptied (``Network.clearBrowserCache``: cold) and again (warm). For each visit: largest contentful paint
(a buffered ``PerformanceObserver`` read through ``page.evaluate`` once the page is idle: the pages'
Content-Security-Policy forbids eval, which ``wait_for_function`` needs, but not the debugging protocol),
DOMContentLoaded (deferred scripts have run and bound their handlers: inputs respond), the load event,
the bytes received on the wire (``Network.loadingFinished``'s encodedDataLength) and the requests made.
Plain HTTP: Chromium offers brotli only over HTTPS, so static files arrive gzipped here (behind the TLS
proxy of a real deployment they arrive in brotli, smaller). Results go to bench/results/slow_link.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import _load  # noqa: E402

PORT = 8771
DOWN = 187_500  # bytes/s: 1.5 Mbit/s
UP = 93_750  # bytes/s: 0.75 Mbit/s
LATENCY_MS = 300
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"]

LCP_JS = """() => new Promise(resolve => {
  let last = null;
  new PerformanceObserver(list => { for (const e of list.getEntries()) last = e; })
    .observe({type: 'largest-contentful-paint', buffered: true});
  setTimeout(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    resolve({
      lcp: last ? last.startTime : null,
      lcp_element: last && last.element ? last.element.tagName.toLowerCase() + (last.element.id ? '#' + last.element.id : '') : null,
      ttfb: nav.responseStart, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
    });
  }, 50);
})"""


def environment(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.slow_link_settings",
        SECRET_KEY="slow-link-bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=args.database_url,
        STATIC_ROOT=args.static_root,
        MEDIA_ROOT=str(Path(tempfile.gettempdir()) / "hocso-slow-link-media"),
        H5P_STORAGE_ROOT=str(Path(tempfile.gettempdir()) / "hocso-slow-link-h5p"),
        PYTHONPATH=str(ROOT),
    )
    for name in ("CELERY_BROKER_URL", "CACHE_URL", "H5P_XAPI_QUEUE_URL"):
        env.pop(name, None)  # the embedded profile: no broker, tasks run in the request
    return env


def manage(env: dict[str, str], *argv: str) -> str:
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", *argv], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(argv)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def page_paths(env: dict[str, str]) -> dict[str, str]:
    code = (
        "import json; from courses.models import LessonPage; "
        "p = LessonPage.objects.live().filter(locale__language_code='vi').order_by('path').first(); "
        "print(json.dumps(p.url if p else None))"
    )
    lesson = json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])
    if not lesson:
        raise SystemExit("the demo has no lesson")
    return {"Lesson page": lesson, "My learning": "/my-learning/", "My competencies": "/my/competencies/"}


def sign_in(page, env, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập hoặc mã cán bộ").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:
        code = manage(env, "totp_code", username).strip().splitlines()[-1]
        page.get_by_label("Mã xác thực").fill(code)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()
    if "/accounts/" in page.url:
        raise SystemExit(f"{username} could not sign in ({page.url})")


def visit(page, cdp, path: str) -> dict:
    received = {"bytes": 0, "requests": 0}

    def finished(event):
        received["bytes"] += event.get("encodedDataLength", 0)
        received["requests"] += 1

    cdp.on("Network.loadingFinished", finished)
    start = time.perf_counter()
    response = page.goto(path, wait_until="load")
    page.wait_for_load_state("networkidle")
    wall = time.perf_counter() - start
    timing = page.evaluate(LCP_JS)
    cdp.remove_listener("Network.loadingFinished", finished)
    return {"status": response.status if response else None, "wall_s": wall, **timing, **received}


def measure(browser, base_url: str, env, username: str, password: str, paths: dict[str, str], runs: int) -> dict:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60000)
    page = context.new_page()
    sign_in(page, env, username, password)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": LATENCY_MS, "downloadThroughput": DOWN, "uploadThroughput": UP},
    )
    out = {}
    for label, path in paths.items():
        cold, warm = [], []
        for _ in range(runs):
            cdp.send("Network.clearBrowserCache")
            cold.append(visit(page, cdp, path))
            warm.append(visit(page, cdp, path))
        out[label] = {"path": path, "cold": cold, "warm": warm}
    context.close()
    return out


def median(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


def write(results: dict, args, started: str, load_before: str, load_after: str) -> Path:
    def ms(v):
        return "–" if v is None else f"{v:,.0f}"

    lines = [
        "# Four pages on a mission's slow link (Chromium network emulation)",
        "",
        f"Run `{' '.join(['bench/slow_link.py', *sys.argv[1:]])}` on {started} UTC; {platform.node()}, "
        f"{os.cpu_count()} cores shared with other jobs, Python {platform.python_version()}, database "
        f"{args.database_url.split(':', 1)[0]}, gunicorn 2 sync workers, production profile "
        "(bench/slow_link_settings.py), demo seeded; 1-min load average before "
        f"{load_before}, after {load_after}.",
        "",
        f"Chromium (Debian's, Playwright), 1280×900, emulated link: {DOWN * 8 / 1e6:.1f} Mbit/s down, "
        f"{UP * 8 / 1e6:.2f} Mbit/s up, {LATENCY_MS} ms round trip. Cold: browser cache emptied before the visit "
        "(signed in already); warm: the same page again. Median of "
        f"{args.runs} visit(s) each. LCP = largest contentful paint; DCL = DOMContentLoaded (deferred scripts, "
        "plotly.js included, have run: inputs respond); bytes = received on the wire (headers included). "
        "Plain HTTP, so static files come gzipped (brotli needs HTTPS in Chromium).",
        "",
        "| page | path | cache | LCP ms | DCL ms | load ms | bytes | requests | LCP element |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    verdicts = []
    for label, row in results.items():
        for kind, budget in (("cold", 3000), ("warm", 1000)):
            visits = row[kind]
            lcp, dcl = median(visits, "lcp"), median(visits, "dcl")
            element = visits[-1].get("lcp_element") or "–"
            lines.append(
                f"| {label} | `{row['path']}` | {kind} | {ms(lcp)} | {ms(dcl)} | {ms(median(visits, 'load'))} | "
                f"{median(visits, 'bytes'):,.0f} | {median(visits, 'requests'):.0f} | {element} |"
            )
            worst = max(v for v in (lcp, dcl) if v is not None)
            verdicts.append((label, kind, worst, budget))
    met = all(worst <= budget for _l, _k, worst, budget in verdicts)
    lines += [
        "",
        "Target from issue 17: LCP and inputs responsive (here: the later of LCP and DCL) within 3 s cold and 1 s "
        f"warm: **{'met' if met else 'not met'}**"
        + ("" if met else " (" + "; ".join(f"{name} {k} {w:,.0f} ms" for name, k, w, b in verdicts if w > b) + ")")
        + ".",
        "",
        "Raw visits:",
        "",
        "```json",
        json.dumps(results, indent=1),
        "```",
        "",
    ]
    out = Path(args.out)
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    tmp = Path(tempfile.gettempdir())
    parser.add_argument("--database-url", default=f"sqlite:///{tmp / 'hocso-slow-link.sqlite3'}")
    parser.add_argument("--static-root", default=str(tmp / "hocso-slow-link-static"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-setup", action="store_true", help="reuse the seeded database and collected files")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "slow_link.md"))
    args = parser.parse_args()
    env = environment(args)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    if not args.skip_setup:
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo")
        if not (Path(args.static_root) / "staticfiles.json").exists():  # collected already: kept
            manage(env, "collectstatic", "--noinput", "-v0")
    paths = page_paths(env)
    from playwright.sync_api import sync_playwright

    password = env.get("DEMO_PASSWORD", "hocso-demo-2026")
    load_before = open("/proc/loadavg").read().split()[0]
    server = _load.start_server(port=PORT, workers=2, env=env)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            base = f"http://127.0.0.1:{PORT}"
            results = measure(browser, base, env, "staff", password, paths, args.runs)
            results.update(measure(browser, base, env, "hr", password, {"HR dashboard": "/reports/"}, args.runs))
            browser.close()
    finally:
        server.terminate()
        server.wait()
    load_after = open("/proc/loadavg").read().split()[0]
    print(write(results, args, started, load_before, load_after).read_text().split("Raw visits")[0])


if __name__ == "__main__":
    main()
