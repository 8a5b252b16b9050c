"""Sphinx configuration of the HTML book (Sphinx + MyST-NB + sphinx-book-theme).

Build it with `.ci/build-html` (it installs the browser assets with `npm ci` first).

- Offline: the pages load nothing from the internet. MathJax 3 and the ipywidgets
  HTML manager come from the npm registry (package.json pins them, package-lock.json
  holds their checksums); `copy_browser_assets` below copies only the files the pages
  use from node_modules/ into the output's _static/ folder. Nothing vendored is committed.
- No execution: each chapter is read from its committed, executed .ipynb. Its Jupytext
  twin (book/NN_name.md, the source authors edit) is excluded, so each chapter is read once.
- The chapter list in the sidebar is a hidden toctree added to index.md when Sphinx reads
  it (`add_chapter_toctree`), so index.md stays a plain page that reads well anywhere.
"""

import shutil
from pathlib import Path

BOOK = Path(__file__).resolve().parent
NODE_MODULES = BOOK.parent / "node_modules"

project = "initact"
author = "the initact authors"
copyright = "the initact authors"
html_title = "initact: initialization and activations"

extensions = ["myst_nb"]
# index.md is a plain MyST page; a chapter is its .ipynb (its paired .md is excluded below).
source_suffix = {".ipynb": "myst-nb", ".md": "myst-nb"}
root_doc = "index"
exclude_patterns = [
    "_build",
    "node_modules",
    "**.ipynb_checkpoints",
    "[0-9][0-9]_*.md",  # Jupytext twins of the chapters: the .ipynb is rendered instead
]

# --- MyST and MyST-NB ------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
nb_execution_mode = "off"  # outputs come from the committed notebooks, never re-executed
nb_merge_streams = True
# Saved widget state is drawn by the ipywidgets HTML manager, served from _static/ instead
# of a CDN (its self-contained embed.js bundles the standard widgets, so no require.js).
nb_ipywidgets_js = {"widgets/embed.js": {}}

# --- Math: MathJax 3 from node_modules, served from _static/mathjax/ --------------------
# Sphinx 9 defaults to MathJax 4 from a CDN; a relative mathjax_path is read from _static/.
mathjax_path = "mathjax/tex-mml-chtml.js"
# Setting mathjax3_config (not mathjax4_config) also makes MyST write its settings for v3.
# MyST has already turned $...$ into \(...\), so MathJax needs only its default delimiters.
mathjax3_config = {"tex": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]]}}

# --- Theme -----------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": True,  # download the .ipynb to run it
    "announcement": (
        "Read it here, or run any chapter live: jupyter lab book/ "
        "from the repository, then open the chapter's notebook."
    ),
}
html_context = {"default_mode": "light"}  # the theme's light/dark switch starts on light
html_static_path = ["_static"]
# After MathJax (both deferred, in this order): lets the widget manager typeset with MathJax 3.
html_js_files = [("mathjax2-compat.js", {"defer": "defer"})]
html_copy_source = True  # the download button serves the chapter's own .ipynb

# --- Browser assets copied from node_modules/ (see package.json) ------------------------
# (package folder, files or folders inside it, where they go under _static/)
BROWSER_ASSETS = [
    (
        "mathjax/es5",
        [
            "tex-mml-chtml.js",  # TeX input, CommonHTML output, menu: one file
            "output/chtml/fonts/woff-v2",  # the fonts CommonHTML draws with
            "input/tex/extensions",  # loaded on demand by \require and autoload macros
        ],
        "mathjax",
    ),
    (
        "@jupyter-widgets/html-manager/dist",
        ["embed.js", "embed.js.LICENSE.txt", "*.woff2", "*.woff"],  # fonts: Font Awesome
        "widgets",
    ),
]


def copy_browser_assets(app):
    """Copy MathJax and the widget manager into <outdir>/_static before pages are written."""
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for package, patterns, target in BROWSER_ASSETS:
        source = NODE_MODULES / package
        if not source.is_dir():
            raise RuntimeError(
                f"{source} is missing: run `npm ci` in {BOOK.parent} first "
                "(.ci/build-html does), so the book can render math offline."
            )
        for pattern in patterns:
            matches = sorted(source.glob(pattern))
            if not matches:
                raise RuntimeError(f"{package}/{pattern} not found: check package.json's version")
            for path in matches:
                destination = static / target / path.relative_to(source)
                if path.is_dir():
                    shutil.copytree(path, destination, dirs_exist_ok=True)
                else:
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, destination)


CHAPTER_TOCTREE = """

```{toctree}
:hidden:
:glob:
:caption: Chapters

[0-9][0-9]_*
```
"""


def add_chapter_toctree(app, docname, source):
    """Give the root page a hidden toctree of every chapter, for the sidebar and next/prev."""
    if docname == app.config.root_doc and "{toctree}" not in source[0]:
        source[0] += CHAPTER_TOCTREE


def setup(app):
    app.connect("builder-inited", copy_browser_assets)
    app.connect("source-read", add_chapter_toctree)
