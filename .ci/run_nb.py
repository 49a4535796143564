"""Execute notebooks in place, keeping their outputs for the docs: `python .ci/run_nb.py nbs/01_sketch.ipynb ... [--flags "slow"]`.

Runs the cells `nbdev_test` runs (skipping `tst_flags` cells unless named in `--flags`, and `eval: false` cells), in
the notebook's folder, with `HF_HUB_OFFLINE=1`. Text progress bars are dropped from the saved output: in a terminal
each bar overwrites itself with a carriage return, but a saved notebook would show every step of it. Run
`nbdev_clean` afterwards."""
import os, re, sys, time
from pathlib import Path
os.environ.setdefault('HF_HUB_OFFLINE', '1'); os.environ.setdefault('MPLBACKEND', 'Agg')
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from nbdev.process import NBProcessor
from nbdev.config import get_config
from fastcore.xtras import working_directory

_BAR = re.compile(r'\|[█\-]*\|\s*\d+\.\d+% \[')
_LEFT = re.compile(r'^\s*(Epoch \d+/\d+ :)?\s*$')  # what a finished bar leaves: its label, blanked

def clean_stream(text: str) -> str:
    "What a terminal would show of `text`: each line's last carriage-return segment, progress bars dropped."
    out = []
    for line in text.split('\n'):
        if '\r' in line:
            parts = [p for p in line.split('\r') if p.strip()]
            line = parts[-1].rstrip() if parts else ''
            if not line or _BAR.search(line) or _LEFT.match(line) or line.strip() == '█': continue
        out.append(line)
    return '\n'.join(out)

def run(fn: Path, force: set):
    skip = set(get_config().tst_flags.split()) - force
    nb = NBProcessor(fn, process=True).nb  # parses directives_
    def _skip(cell):
        if cell.cell_type != 'code' or 'nbdev_export(' in cell.source: return True
        d = getattr(cell, 'directives_', {}) or {}
        return d.get('eval:', [''])[0].lower() == 'false' or bool(skip & d.keys())
    skip_idx = {i for i, c in enumerate(nb.cells) if _skip(c)}  # same cells, same order as the raw notebook
    t, raw = time.time(), read_nb(fn)
    k = CaptureShell(fn, mpl_format='png')
    with working_directory(fn.parent): k.run_all(raw, exc_stop=True, preproc=lambda c: c.cell_type != 'code' or c.idx_ in skip_idx)
    for c in raw.cells:
        for o in c.get('outputs', []):
            if o.get('output_type') == 'stream':
                txt = clean_stream(''.join(o['text']))
                o['text'] = txt.splitlines(keepends=True)
        c['outputs'] = [o for o in c.get('outputs', []) if o.get('output_type') != 'stream' or ''.join(o['text']).strip()]
    write_nb(raw, fn)
    print(f'{fn.name}: {time.time() - t:.1f}s')

if __name__ == '__main__':
    args, force = sys.argv[1:], set()
    if '--flags' in args: i = args.index('--flags'); force = set(args[i + 1].split()); del args[i:i + 2]
    sys.path.insert(0, str(get_config().config_path))  # this checkout's package, as nbdev_test does
    for a in args: run(Path(a).absolute(), force)
