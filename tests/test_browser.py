"""End-to-end: the notebooks in a real browser, driven the way a learner drives them.

For every notebook (``notebooks/NN_topic.ipynb``, 00_index included) served
by Voilà, as ``make present`` serves them:

* the page renders with no error or stderr output, no traceback and no
  "could not draw" message, and no uncaught JavaScript error;
* the page is in the classroom template (cells off the screen are skipped);
* every figure is shown pixel for pixel (not stretched to the column, nor
  shrunk while there is room: scaled, text blurs and every frame is resampled);
* every slider is focused and moved with the keyboard (ArrowRight,
  ArrowLeft, End, Home), and each key that moves it makes its figure show a
  new image; every row of option buttons is clicked and redraws too; every
  scene button is pressed;
* nothing above appears afterwards either, and the kernel wrote no Python
  traceback to the server log (where a failing widget callback ends up).

For the first lesson, the same in JupyterLab after Run → Run All Cells.

Chromium is Debian's ``/usr/bin/chromium`` driven by Playwright, headless
and without background networking; Playwright never downloads a browser.
Without Chromium or Playwright these tests skip with the reason, except under
``CI=true``, where that is a failure.  Servers listen on 127.0.0.1 on free
ports with a token, keep their Jupyter state in a temporary folder, and are
stopped with their kernels at the end.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import e2e  # noqa: E402

NOTEBOOKS = e2e.served_notebooks()
LESSONS = [p for p in NOTEBOOKS if not p.name.startswith("00_")]
IN_CI = os.environ.get("CI", "").lower() == "true"
KEYS = ("ArrowRight", "ArrowLeft", "End", "Home")
PAGE_TIMEOUT_MS = 300_000  # executing a notebook on a busy 2-core machine


def _unavailable():
    reason = e2e.missing_browser_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"browser tests cannot run under CI=true: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")


def test_browser_is_available():
    """Says plainly why the browser tests below skip (and fails under CI=true)."""
    _unavailable()


@pytest.fixture(scope="session")
def browser():
    _unavailable()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = e2e.launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def voila():
    _unavailable()
    server = e2e.Server("voila", e2e.NOTEBOOKS)
    yield server
    server.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.js_errors = []
    page.on("pageerror", lambda err: page.js_errors.append(str(err)[:500]))
    yield page
    context.close()


# --------------------------------------------------------------------------- what a learner does
def _label(handle) -> str:
    return handle.evaluate("""el => {
      const row = el.closest('.widget-slider, .widget-toggle-buttons, .widget-hbox');
      const label = row && row.querySelector('.widget-label');
      return (label && label.textContent.trim()) || (el.textContent || '').trim() || '?';
    }""")


def _value(handle) -> float:
    return float(handle.get_attribute("aria-valuetext"))


def _settle(page, handle, quiet_ms: int = 400, timeout_ms: int = 30_000) -> None:
    """Wait until the slider's figure has shown the same image for ``quiet_ms`` (the kernel caught up)."""
    page.wait_for_function(
        f"""([el, quiet]) => {{
          const img = ({e2e.FIGURE_OF_JS})(el), now = performance.now();
          if (!img || !img.complete) return false;
          if (el.__xlSrc !== img.src) {{ el.__xlSrc = img.src; el.__xlSince = now; return false; }}
          return now - el.__xlSince >= quiet;
        }}""", arg=[handle, quiet_ms], timeout=timeout_ms, polling=100)


def move_every_slider(page) -> int:
    """Move every slider with the keyboard; every key that changes its value must redraw its figure.

    Each slider starts from the notebook's values and is put back to its own
    starting value afterwards (typed into its readout), so that the next slider is
    again moved from the values the notebook chose: a slider may rightly do
    nothing in some corner of another one's range (a hump's mass when the two
    humps coincide, say).
    """
    handles = page.locator(".widget-slider [role=slider]")
    count = handles.count()
    for i in range(count):
        handle = handles.nth(i).element_handle()
        label = _label(handle)
        assert e2e.figure_src(handle), f"slider {label!r} is not inside a figure panel"
        handle.scroll_into_view_if_needed()
        handle.focus()
        start, start_text = _value(handle), e2e.readout_text(handle)
        moved = {}
        for key in KEYS:
            before, src = handle.get_attribute("aria-valuetext"), e2e.figure_src(handle)
            handle.press(key)
            moved[key] = handle.get_attribute("aria-valuetext") != before
            if moved[key]:
                try:
                    e2e.wait_for_new_figure(page, handle, src)
                except Exception as err:  # noqa: BLE001 - re-raised with what was pressed
                    raise AssertionError(f"slider {label!r}: {key} moved it from {before} to "
                                         f"{handle.get_attribute('aria-valuetext')} but the figure did not change "
                                         f"({type(err).__name__})") from None
        assert moved["ArrowRight"] or moved["ArrowLeft"], f"slider {label!r} did not move with the arrow keys"
        assert moved["End"] or moved["Home"], f"slider {label!r} did not move with End/Home"
        e2e.restore_slider(page, handle, start_text, start)  # back to where the notebook put it
        _settle(page, handle)
    return count


def click_every_option(page) -> int:
    """Click one other option in every row of option buttons; the figure must change."""
    rows = page.locator(".widget-toggle-buttons")
    for i in range(rows.count()):
        row = rows.nth(i)
        idle = row.locator("button.widget-toggle-button:not(.mod-active)")
        if idle.count() == 0:
            continue
        button = idle.first.element_handle()
        label = _label(button)
        src = e2e.figure_src(button)
        assert src, f"option row {label!r} is not inside a figure panel"
        button.scroll_into_view_if_needed()
        button.click()
        try:
            e2e.wait_for_new_figure(page, button, src)
        except Exception as err:  # noqa: BLE001
            raise AssertionError(f"option {label!r}: clicking {button.text_content()!r} did not change the figure "
                                 f"({type(err).__name__})") from None
    return rows.count()


def press_every_scene(page) -> int:
    """Press every scene button; each must leave a figure on screen (checked for errors afterwards)."""
    buttons = page.locator(".widget-hbox:has(> .widget-label:text-is('Scenes:')) > button")
    for i in range(buttons.count()):
        button = buttons.nth(i).element_handle()
        src = e2e.figure_src(button)
        button.scroll_into_view_if_needed()
        button.click()
        try:  # a scene equal to the current values sends no new image: a short wait is enough then
            e2e.wait_for_new_figure(page, button, src, timeout_ms=3_000)
        except Exception:  # noqa: BLE001
            pass
    return buttons.count()


def assert_clean(page, server, log_offset: int, when: str) -> None:
    problems = e2e.page_errors(page)
    problems += [f"JavaScript error: {e}" for e in page.js_errors]
    problems += [f"kernel traceback in the server log:\n{t}" for t in e2e.log_tracebacks(server.log_text()[log_offset:])]
    assert not problems, f"{when}:\n" + "\n".join(problems)


# --------------------------------------------------------------------------- Voilà (classroom mode)
def test_there_are_notebooks_to_serve():
    assert LESSONS, "no executed notebooks/NN_topic.ipynb"


def _status_without_token(url: str) -> tuple[int, str]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        response = urllib.request.build_opener(NoRedirect).open(url, timeout=10)
        return response.status, ""
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Location", "")


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port`` (Linux /proc; no traffic is sent)."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and state == "0A":  # LISTEN
                raw = bytes.fromhex(address)
                if width == 8:
                    found.add(".".join(str(b) for b in raw[::-1]))
                else:
                    found.add(raw.hex())
    return found


def test_voila_needs_the_token_and_listens_on_localhost_only(voila):
    status, location = _status_without_token(f"{voila.base}/voila/render/{LESSONS[0].name}")
    assert status in (302, 401, 403) and (status != 302 or "login" in location), (status, location)
    if Path("/proc/net/tcp").exists():
        assert _listening_addresses(voila.port) == {"127.0.0.1"}


def test_landing_page_lists_every_notebook(voila, page):
    page.goto(voila.url("/"))
    for notebook in NOTEBOOKS:
        page.get_by_text(notebook.name, exact=True).first.wait_for(state="visible", timeout=60_000)
    assert not page.js_errors, page.js_errors


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_in_voila(voila, page, notebook):
    offset = len(voila.log_text())
    page.goto(voila.url(f"/voila/render/{notebook.name}"), timeout=PAGE_TIMEOUT_MS)
    e2e.wait_for_voila(page, e2e.expected_figures(notebook), PAGE_TIMEOUT_MS)
    assert page.locator(".jp-InputArea-editor, .jp-CodeMirrorEditor").count() == 0, "code must be hidden"
    assert page.evaluate("() => getComputedStyle(document.querySelector('.jp-Cell')).contentVisibility") == "auto", \
        "Voilà is not using the classroom template (share/jupyter/voila/templates/classroom)"
    assert_clean(page, voila, offset, "after the page rendered")
    assert not e2e.scaled_figures(page), e2e.scaled_figures(page)
    sliders = move_every_slider(page)
    click_every_option(page)
    press_every_scene(page)
    if notebook in LESSONS:
        assert sliders > 0, f"{notebook.name} shows no slider in Voilà"
    assert_clean(page, voila, offset, "after moving every control")
    voila.shutdown_kernel_of(page)


def test_voila_shuts_down_the_kernels_of_closed_pages(browser, tmp_path):
    """A closed page's idle kernel is culled (`make present`'s settings, with shorter times); an open one is not."""
    index = e2e.NOTEBOOKS / "00_index.ipynb"
    server = e2e.Server("voila", e2e.NOTEBOOKS, workdir=tmp_path, extra_args=[
        "--MappingKernelManager.cull_interval=1", "--MappingKernelManager.cull_idle_timeout=2"])
    contexts, kernels = {}, {}
    try:
        for name in ("closed", "open"):
            contexts[name] = browser.new_context()
            page = contexts[name].new_page()
            page.goto(server.url(f"/voila/render/{index.name}"), timeout=PAGE_TIMEOUT_MS)
            e2e.wait_for_voila(page, 0, PAGE_TIMEOUT_MS)
            kernels[name] = e2e.kernel_id(page)
        contexts.pop("closed").close()
        deadline = time.monotonic() + 60
        culled = f"({kernels['closed']}) with 0 connections"
        while culled not in server.log_text() and time.monotonic() < deadline:
            time.sleep(0.5)
        log = server.log_text()
        assert culled in log, server.log_tail()
        assert f"({kernels['open']}) with" not in log, "a page still open lost its kernel"
    finally:
        for context in contexts.values():
            context.close()
        server.stop()


# --------------------------------------------------------------------------- JupyterLab, Run All
_KERNEL_IDLE = """() => [...document.querySelectorAll('.jp-StatusBar-TextItem, .jp-Toolbar-kernelStatus')]
                         .some(e => /\\|\\s*Idle|^Idle$/.test(e.textContent.trim()) || e.dataset.status === 'idle')"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    _unavailable()
    root = tmp_path_factory.mktemp("lab-notebooks")
    shutil.copy2(LESSONS[0], root / LESSONS[0].name)  # a copy: Run All must never write the repository's file
    server = e2e.Server("lab", root)
    yield server
    server.stop()


def test_first_lesson_in_jupyterlab_after_run_all(lab, page):
    notebook = LESSONS[0]
    offset = len(lab.log_text())
    page.goto(lab.url(f"/lab/tree/{notebook.name}"), timeout=120_000)
    page.wait_for_function(_KERNEL_IDLE, timeout=120_000, polling=200)
    assert _listening_addresses(lab.port) in ({"127.0.0.1"}, set()), "JupyterLab must listen on 127.0.0.1 only"
    assert page.locator("img.widget-image").count() == 0, "before running, no live figure"
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    e2e.wait_for_figures(page, e2e.expected_figures(notebook), PAGE_TIMEOUT_MS)
    page.wait_for_function(
        "() => ![...document.querySelectorAll('.jp-InputArea-prompt')].some(e => e.textContent.includes('*'))",
        timeout=PAGE_TIMEOUT_MS, polling=200)
    page.wait_for_function(_KERNEL_IDLE, timeout=PAGE_TIMEOUT_MS, polling=200)
    assert_clean(page, lab, offset, "after Run All")
    assert not e2e.scaled_figures(page), e2e.scaled_figures(page)
    assert move_every_slider(page) > 0
    click_every_option(page)
    press_every_scene(page)
    assert_clean(page, lab, offset, "after moving every control")
