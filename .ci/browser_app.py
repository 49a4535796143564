#!/usr/bin/env python
"""Real-browser test of `sketch2real app`: serve the drawing app with a small trained checkpoint, open the page in
headless Chromium (Playwright), draw a face with the mouse, and check that the result changes, that undo restores
it exactly, that redo brings the drawing back and that Save writes the two PNGs; a screenshot of the page goes to
nbs/images/app.png for the docs. The server and its kernel are stopped with Ctrl-C (SIGINT) at the end and must
exit 0 and leave no process behind.

Needs Chromium (`apt-get install chromium`: /usr/bin/chromium, or CHROMIUM=path) and `pip install playwright`
(no `playwright install`: the system's Chromium is used). Run from the repository root:

    python .ci/browser_app.py            # about a minute; --no-shot leaves nbs/images/app.png alone
"""
import argparse, base64, os, signal, socket, subprocess, sys, tempfile, threading, time
from pathlib import Path

import cv2
import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
SHOT = ROOT/'nbs'/'images'/'app.png'
t0 = time.time()


def log(msg: str): print(f"[{time.time() - t0:5.1f}s] {msg}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start_app(ck: Path, out: Path, port: int) -> tuple:
    "Start `sketch2real app` and wait for the line with its URL: `(process, url)`."
    code = "import sys; from sketch2real.cli import main; sys.exit(main(sys.argv[1:]))"
    p = subprocess.Popen([sys.executable, '-c', code, 'app', str(ck), '--port', str(port), '--out', str(out)],
                         stdout=subprocess.PIPE, text=True, cwd=ROOT)
    line = []
    th = threading.Thread(target=lambda: line.append(p.stdout.readline()), daemon=True)
    th.start(); th.join(180)
    assert line and line[0].startswith('serving '), f"no URL from sketch2real app: {line}"
    return p, line[0].split(' at ')[1].split()[0]


def stop_app(p) -> None:
    "Ctrl-C: exit status 0, `stopped`, and no voila or kernel left running."
    kids = psutil.Process(p.pid).children(recursive=True)
    p.send_signal(signal.SIGINT)
    rc = p.wait(60)
    rest = p.stdout.read()
    assert (rc, rest) == (0, 'stopped\n'), (rc, rest)
    left = [k for k in kids if k.is_running() and k.status() != psutil.STATUS_ZOMBIE]
    assert not left, f"left running: {left}"
    log(f"Ctrl-C: exit status 0, 'stopped', {len(kids)} child processes (voila, kernel) gone")


JS_RESULT = """async () => {
  const img = document.querySelector('.s2r-result');
  if (!img || !img.src) return null;
  const b = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
  let s = ''; for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}"""


def result_png(page) -> bytes | None:
    "The bytes of the PNG the result image shows now."
    try: r = page.evaluate(JS_RESULT)
    except Exception: return None  # the blob was replaced while it was read
    return base64.b64decode(r) if r else None


def wait_result(page, pred, what: str, timeout: float = 60) -> bytes:
    "Poll the result image until `pred(png)` holds."
    t = time.time()
    while time.time() - t < timeout:
        png = result_png(page)
        if png and pred(png): return png
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for the result to {what}")


def draw(page, strokes, canvas: int) -> None:
    "Draw `strokes` (canvas pixels) with the mouse on the app's canvas."
    box = page.locator('canvas').last.bounding_box()
    k = box['width'] / canvas
    for s in strokes:
        (x, y), *rest = s.points
        page.mouse.move(box['x'] + x * k, box['y'] + y * k)
        page.mouse.down()
        for x, y in rest: page.mouse.move(box['x'] + x * k, box['y'] + y * k)
        page.mouse.up()


def click(page, label: str, n: int = 1) -> None:
    for _ in range(n): page.get_by_role('button', name=label, exact=True).click()


def main(keep_shot: bool = True):
    from playwright.sync_api import sync_playwright
    from sketch2real.app import face_strokes, run_demo
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        m = run_demo(d/'demo', n=100, size=64, epochs=3, quiet=True)  # a small trained checkpoint: face-like results
        log(f"demo checkpoint trained (64 px, SSIM {m['ssim']:.3f} on held-out faces)")
        (d/'saved').mkdir()
        p, url = start_app(d/'demo'/'run', d/'saved', free_port())
        log(f"server up: {url}")
        try:
            with sync_playwright() as pw:
                exe = os.environ.get('CHROMIUM', '/usr/bin/chromium')
                browser = pw.chromium.launch(executable_path=exe, args=['--no-sandbox'])
                page = browser.new_page(viewport=dict(width=900, height=640))
                page.goto(url, timeout=180_000)
                page.locator('canvas').last.wait_for(timeout=180_000)
                blank = wait_result(page, lambda b: b[:4] == b'\x89PNG', 'appear')
                log(f"page rendered: canvas and result ({len(blank)} B PNG) shown")
                strokes = face_strokes(384)
                draw(page, strokes, 384)
                drawn = wait_result(page, lambda b: b != blank, 'change after drawing')
                time.sleep(1.0)  # the last stroke's update
                drawn = wait_result(page, lambda b: True, 'settle')
                assert drawn != blank
                log(f"drew {len(strokes)} strokes with the mouse: the result changed")
                page.get_by_text('ms per update').wait_for(timeout=10_000)
                latency = page.get_by_text('ms per update').inner_text()
                log(f"latency shown: {latency!r}")
                page.screenshot(path=str(d/'shot.png'), full_page=True)
                click(page, 'Undo')
                one_less = wait_result(page, lambda b: b != drawn, 'change after one undo')
                click(page, 'Undo', len(strokes) - 1)
                wait_result(page, lambda b: b == blank, 'be the blank page\'s after undoing every stroke')
                log(f"undo x{len(strokes)}: the result is the blank page's again, byte for byte")
                click(page, 'Redo', len(strokes))
                wait_result(page, lambda b: b == drawn, 'be the drawing\'s again after redo')
                log("redo: the drawing's result is back, byte for byte")
                click(page, 'Save')
                page.get_by_text('saved drawing-001.png').wait_for(timeout=30_000)
                saved = sorted(f.name for f in (d/'saved').iterdir())
                assert saved == ['drawing-001.png', 'result-001.png'], saved
                assert (d/'saved'/'result-001.png').read_bytes() == drawn, 'the saved result is not the one shown'
                sk = cv2.imread(str(d/'saved'/'drawing-001.png'), cv2.IMREAD_UNCHANGED)
                assert sk.shape == (64, 64) and (sk < 128).mean() > 0.02, (sk.shape, (sk < 128).mean())
                log(f"Save: {', '.join(saved)} written; the result file is the PNG the page shows")
                browser.close()
        finally:
            if p.poll() is None: stop_app(p)
        if keep_shot:
            shot = cv2.imread(str(d/'shot.png'))
            ys, xs = np.where((shot < 250).any(2))  # crop the page's white margins
            shot = shot[max(ys.min() - 8, 0):ys.max() + 8, max(xs.min() - 8, 0):xs.max() + 8]
            cv2.imwrite(str(SHOT), shot, [cv2.IMWRITE_PNG_COMPRESSION, 9])
            log(f"screenshot {shot.shape[1]}x{shot.shape[0]} -> {SHOT.relative_to(ROOT)} ({SHOT.stat().st_size // 1024} kB)")
    log("browser test passed")


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--no-shot', action='store_true', help="don't write nbs/images/app.png")
    main(keep_shot=not ap.parse_args().no_shot)
