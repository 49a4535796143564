"""Preview the docs pages without Quarto (which this dev box cannot install): `python .ci/preview_docs.py [page ...]`.

Runs on nbdev's processed notebooks in `_proc/` (make them with `nbdev_proc_nbs`) and writes `_preview/<page>.html`
with nbconvert, honouring the two Quarto directives our notebooks use: `echo: false` hides a cell's input and
`output: asis` renders its markdown output as the page text. The published site is built by Quarto on GitHub."""
import re, sys
from pathlib import Path
import nbformat
from nbconvert import HTMLExporter
from traitlets.config import Config

def _directives(src):
    return dict(m.groups() for m in re.finditer(r'^#\|\s*([\w-]+):\s*(.*)$', src, re.M))

def preview(page, proc=Path('_proc'), out=Path('_preview')):
    nb = nbformat.read(proc/f'{page}.ipynb', as_version=4)
    for c in nb.cells:
        if c.cell_type != 'code': continue
        d = _directives(c.source)
        if d.get('echo') == 'false' or d.get('include') == 'false': c.metadata.setdefault('tags', []).append('hide-input')
        if d.get('include') == 'false' or d.get('output') == 'false': c.outputs = []
        c.source = re.sub(r'^#\|.*\n?', '', c.source, flags=re.M)
    c = Config(); c.TagRemovePreprocessor.remove_input_tags = {'hide-input'}; c.TagRemovePreprocessor.enabled = True
    html, _ = HTMLExporter(template_name='lab', config=c).from_notebook_node(nb)
    html = html.replace('src="images/', f'src="{(proc/"images").resolve().as_uri()}/')
    out.mkdir(exist_ok=True); (out/f'{page}.html').write_text(html)
    return out/f'{page}.html'

if __name__ == '__main__':
    pages = sys.argv[1:] or [p.stem for p in sorted(Path('_proc').glob('*.ipynb'))]
    for p in pages: print(preview(p))
