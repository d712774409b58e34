"""End-to-end helpers shared by tests/test_browser.py and benchmarks/bench_browser.py.

* :func:`chromium_path` / :func:`launch_chromium`: Debian's Chromium
  (``/usr/bin/chromium``, or ``$CHROMIUM``) driven by Playwright, headless,
  without sandbox, GPU or any background networking.  Playwright never
  downloads a browser here.
* :class:`Server`: a Voilà or JupyterLab server with the settings of
  ``make present`` / ``make lab`` (:data:`VOILA_ARGS`, :data:`LAB_ARGS`), on 127.0.0.1, on a free
  port, with token authentication, its own Jupyter config/data/runtime (and
  IPython, JupyterLab settings and workspaces) directories under a temporary
  folder, its output in a log file; :meth:`Server.stop` ends the server and
  its kernels (the process group it started, nothing else).
* Page helpers: wait until a notebook page has rendered every interactive
  figure, list what a learner would see as an error, and find the figure a
  slider belongs to.

The Voilà flags are the ones ``make present`` uses (see the Makefile), plus
``--show_tracebacks=True`` so that an error is visible to the tests instead of
being replaced by Voilà's generic message.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
]
#: The kernel websocket without Nagle's algorithm (see xentlib/serving.py): a figure is sent the moment it is drawn.
CONNECTION_CLASS = "xentlib.serving.NoDelayKernelConnection"
#: Where Voilà finds our template "classroom" (share/jupyter/voila/templates/classroom): `make present`
#: and the servers below put it on JUPYTER_PATH.
TEMPLATE_ROOT = ROOT / "share" / "jupyter"
#: Voilà settings shared with `make present`: localhost only, code hidden, our classroom template, no jupytext front-end
#: (Voilà cannot load JupyterLab's jupytext extension and would log errors for it), the kernel websocket above.
#: (`make present` also passes --token, which Voilà otherwise leaves off; the tests pass a token of their own.)
VOILA_ARGS = [
    "--Voila.ip=127.0.0.1", "--strip_sources=True", "--template=classroom",
    '--VoilaConfiguration.extension_denylist=jupyterlab-jupytext',
    f"--Voila.kernel_websocket_connection_class={CONNECTION_CLASS}",
    # A kernel whose page is gone (no connection) and that has been idle for 10 minutes is shut down:
    # Voilà's own shutdown on closing a tab is refused (its request lacks the _xsrf cookie, which
    # Voilà never sets), so without culling every page visited in a lecture keeps a kernel running.
    "--MappingKernelManager.cull_interval=60", "--MappingKernelManager.cull_idle_timeout=600",
]
#: JupyterLab settings shared with `make lab`.
LAB_ARGS = ["--ServerApp.ip=127.0.0.1", f"--ServerApp.kernel_websocket_connection_class={CONNECTION_CLASS}"]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
ERROR_PATTERNS = ("Traceback (most recent call last)", "There was an error when executing cell",
                  "Could not draw this frame")


# --------------------------------------------------------------------------- browser
def chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    return candidate if Path(candidate).is_file() and os.access(candidate, os.X_OK) else None


def missing_browser_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-test.txt)"
    if chromium_path() is None:
        return ("no Chromium at /usr/bin/chromium (install Debian's: apt-get install chromium; "
                "or set CHROMIUM=/path/to/chromium); Playwright's own browser download is never used")
    return None


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


# --------------------------------------------------------------------------- servers
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def isolated_env(base: Path) -> dict:
    """Environment whose Jupyter/IPython state lives under ``base``; the kernel sees the same."""
    dirs = {"JUPYTER_CONFIG_DIR": "config", "JUPYTER_DATA_DIR": "data", "JUPYTER_RUNTIME_DIR": "runtime",
            "IPYTHONDIR": "ipython", "JUPYTERLAB_SETTINGS_DIR": "config/lab/user-settings",
            "JUPYTERLAB_WORKSPACES_DIR": "config/lab/workspaces", "MPLCONFIGDIR": "matplotlib"}
    env = dict(os.environ)
    for var, sub in dirs.items():
        path = base / sub
        path.mkdir(parents=True, exist_ok=True)
        env[var] = str(path)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["JUPYTER_PATH"] = str(TEMPLATE_ROOT)  # our Voilà template, and nothing else from outside
    env["PYTHONUNBUFFERED"] = "1"
    # No news toast, no autosave (the Lab test works on a copy, but never write behind a test's back).
    settings = Path(env["JUPYTERLAB_SETTINGS_DIR"])
    for plugin, values in {"@jupyterlab/apputils-extension/notification": {"fetchNews": "false"},
                           "@jupyterlab/docmanager-extension/plugin": {"autosave": False}}.items():
        target = settings / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    return env


def _interrupt_on_sigterm() -> None:
    """Turn SIGTERM into KeyboardInterrupt, so that `with`, `finally` and pytest fixtures still stop our servers."""
    import threading

    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        def handler(signum, frame):
            raise KeyboardInterrupt(f"signal {signum}")

        signal.signal(signal.SIGTERM, handler)


class Server:
    """A Jupyter server (Voilà or JupyterLab) of our own, on 127.0.0.1 with a token.

    ``env`` adds environment variables, which its kernels inherit.
    """

    def __init__(self, kind: str, root: Path, *, workdir: Path | None = None, extra_args=(), startup_timeout=120.0,
                 connection_class: str = CONNECTION_CLASS, env: dict | None = None):
        if kind not in ("voila", "lab"):
            raise ValueError(f"kind must be 'voila' or 'lab', not {kind!r}")
        self.kind, self.root = kind, Path(root)
        self._own_workdir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix=f"xentlib-{kind}-"))
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.env = isolated_env(self.workdir) | (env or {})
        self.log_path = self.workdir / f"{kind}.log"
        settings = VOILA_ARGS if kind == "voila" else LAB_ARGS
        settings = [arg.replace(CONNECTION_CLASS, connection_class) for arg in settings]
        overridden = {arg.split("=", 1)[0] for arg in extra_args if "=" in arg}  # Jupyter takes a setting once
        settings = [arg for arg in settings if arg.split("=", 1)[0] not in overridden]
        if kind == "voila":
            cmd = [sys.executable, "-m", "voila", str(self.root), "--no-browser", f"--port={self.port}",
                   f"--token={self.token}", "--show_tracebacks=True", *settings, *extra_args]
        else:
            cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", *settings,
                   f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                   "--LabApp.news_url=None", *extra_args]
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                cmd.append("--allow-root")  # CI runs as root; Jupyter refuses root without it
        self.cmd = cmd
        _interrupt_on_sigterm()
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            self._wait_ready(startup_timeout)
        except BaseException:
            self.stop()
            raise

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}"

    def shutdown_kernel_of(self, page) -> None:
        """Shut down the kernel of a Voilà page that is done with, as closing its tab means to.

        Voilà's page asks for this itself on ``beforeunload``, but the server
        refuses that request (see :data:`VOILA_ARGS`); this one carries the token.
        """
        request = urllib.request.Request(f"{self.base}/voila/api/shutdown/{kernel_id(page)}", method="POST", data=b"",
                                         headers={"Authorization": f"token {self.token}"})
        urllib.request.urlopen(request, timeout=30).close()

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                urllib.request.urlopen(self.url("/api/status" if self.kind == "lab" else "/"), timeout=5).close()
                return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"{self.kind} did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_text(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def log_tail(self, n: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-n:])

    def stop(self) -> None:
        """End the server and every kernel it started (its own process group), then remove its folder."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
        # Kernels are started in the server's process group; make sure none outlives it.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self._log.close()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# --------------------------------------------------------------------------- notebooks and pages
def served_notebooks() -> list[Path]:
    """Every executed notebook pair notebooks/NN_topic.ipynb (00_index included), in order."""
    return [p.with_suffix(".ipynb") for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))
            if p.with_suffix(".ipynb").exists()]


def expected_figures(ipynb: Path) -> int:
    """How many interactive figures the notebook displays: its stored static frames say "[interactive figure"."""
    nb = json.loads(Path(ipynb).read_text())
    count = 0
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            text = "".join(out.get("data", {}).get("text/plain", ""))
            if text.startswith("[interactive figure") or WIDGET_VIEW in out.get("data", {}):
                count += 1
    return count


_FIGURES_JS = """(selector) => ({
  found: document.querySelectorAll(selector).length,
  ready: [...document.querySelectorAll('img.widget-image')].every(i => i.src && i.complete),
  signature: [selector, '[role=slider]', 'button', 'img.widget-image']
      .map(s => document.querySelectorAll(s).length).join(','),
})"""


def wait_for_figures(page, want: int, timeout_ms: float, selector: str = "img.widget-image") -> None:
    """Wait until at least ``want`` figure images are shown and the widget tree has stopped growing.

    "Stopped growing": the numbers of sliders, buttons and images are the same
    in three polls 250 ms apart, with every image loaded.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    last, same, state = None, 0, {}
    while time.monotonic() < deadline:
        state = page.evaluate(_FIGURES_JS, selector)
        ok = state["found"] >= want and state["ready"]
        same = same + 1 if ok and state["signature"] == last else 0
        last = state["signature"]
        if same >= 2:
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"expected {want} interactive figure(s), found {state.get('found')} after "
                         f"{timeout_ms / 1000:.0f} s (images loaded: {state.get('ready')}); on the page: "
                         f"{page_errors(page) or 'no error output'}")


def wait_for_voila(page, want_figures: int, timeout_ms: float = 300_000, render_ms: float = 120_000) -> None:
    """A Voilà page: execution finished (spinner gone, cells shown), then every figure rendered."""
    page.wait_for_function(
        """() => !document.querySelector('#loading') && document.querySelector('#rendered_cells')
                 && getComputedStyle(document.querySelector('#rendered_cells')).display !== 'none'
                 && !document.querySelector('script[type="application/vnd.voila.cell-output+json"]')""",
        timeout=timeout_ms, polling=200)
    wait_for_figures(page, want_figures, render_ms)


# The text of every node, read with textContent: innerText leaves out what the browser is skipping
# (content-visibility: auto, in the classroom template, skips every cell off the screen).
_PAGE_ERRORS_JS = """(patterns) => {
  const found = [];
  for (const el of document.querySelectorAll(
      '[data-mime-type="application/vnd.jupyter.stderr"], [data-mime-type="application/vnd.jupyter.error"]')) {
    found.push('error/stderr output: ' + el.textContent.slice(0, 400));
  }
  let text = '';
  if (document.body) {
    const code = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {acceptNode: node =>
        code.has(node.parentNode.nodeName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
    while (walker.nextNode()) text += walker.currentNode.data;
  }
  for (const p of patterns) if (text.includes(p)) found.push('page text contains ' + JSON.stringify(p));
  return found;
}"""


def kernel_id(page) -> str:
    """The id of a Voilà page's kernel (from the page's Jupyter config)."""
    return page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def page_errors(page) -> list[str]:
    """Error or stderr outputs, and traceback / failed-frame messages, that a learner would see on the page."""
    return page.evaluate(_PAGE_ERRORS_JS, list(ERROR_PATTERNS))


def log_tracebacks(text: str) -> list[str]:
    """Python tracebacks in a server log (kernels write theirs there, e.g. from a widget callback)."""
    return [m.group(0)[:1500] for m in re.finditer(r"Traceback \(most recent call last\):[\s\S]*?(?=\n\S|\Z)", text)]


_SCALED_FIGURES_JS = """() => [...document.querySelectorAll('img.widget-image')].flatMap(img => {
  const px = v => parseFloat(v) || 0;
  const box = getComputedStyle(img.parentElement), own = getComputedStyle(img);
  const room = img.parentElement.clientWidth - px(box.paddingLeft) - px(box.paddingRight)
               - px(own.marginLeft) - px(own.marginRight);
  const shown = img.getBoundingClientRect().width, natural = img.naturalWidth;
  if (shown > natural + 0.5) return [`a ${natural} px wide figure is stretched to ${shown.toFixed(0)} px`];
  if (shown < natural - 0.5 && shown < room - 0.5)
    return [`a ${natural} px wide figure is shrunk to ${shown.toFixed(0)} px with ${room.toFixed(0)} px of room`];
  return [];
})"""


def scaled_figures(page) -> list[str]:
    """Figures the page resamples: shown wider than their pixels, or narrower while the column has room.

    A figure's PNG is drawn for 1:1 display.  Scaled, its text blurs (or
    shrinks below the projector size the figure tests check), and the browser
    resamples every new frame.  Only a column narrower than the figure may
    shrink it.
    """
    return page.evaluate(_SCALED_FIGURES_JS)


#: The figure a control belongs to: the image inside the nearest enclosing box that has one.
FIGURE_OF_JS = """el => {
  for (let box = el.parentElement; box; box = box.parentElement) {
    const img = box.querySelector('img.widget-image');
    if (img) return img;
  }
  return null;
}"""


def figure_src(handle) -> str | None:
    return handle.evaluate(f"el => {{ const img = ({FIGURE_OF_JS})(el); return img ? img.src : null; }}")


def wait_for_new_figure(page, handle, old_src: str, timeout_ms: float = 20_000) -> None:
    page.wait_for_function(
        f"([el, old]) => {{ const img = ({FIGURE_OF_JS})(el); return img && img.src !== old && img.complete; }}",
        arg=[handle, old_src], timeout=timeout_ms, polling="raf")


def readout_text(handle) -> str:
    """The text of a slider's readout (the number shown beside it), as the learner sees it."""
    return handle.evaluate("el => el.closest('.widget-slider').querySelector('.widget-readout').textContent.trim()")


def restore_slider(page, handle, text: str, value: float) -> None:
    """Put a slider back to ``value`` by typing ``text`` into its readout (one change), arrows as a fallback."""
    def close() -> bool:
        return abs(float(handle.get_attribute("aria-valuetext")) - value) <= 1e-9 * max(1.0, abs(value))

    if close():
        return
    readout = handle.evaluate_handle("el => el.closest('.widget-slider').querySelector('.widget-readout')")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    handle.focus()
    for _ in range(1000):
        if close():
            return
        before = handle.get_attribute("aria-valuetext")
        page.keyboard.press("ArrowRight" if float(before) < value else "ArrowLeft")
        if handle.get_attribute("aria-valuetext") == before:
            return
