"""The ES modules a screen loads before it is interactive, read from the
guide's own import statements, so its page can announce them all at once
(<link rel="modulepreload">). A browser otherwise discovers them one level
of imports at a time: app.js, then i18n.js, then route.js's nine imports,
then theirs — on a slow phone each level costs a round trip (bench_guide).

Only static imports count: a dynamic import() is what a screen loads later
on purpose (the route screen's map library, after its controls work)."""

import posixpath
import re
from functools import cache
from pathlib import Path

GUIDE_STATIC = Path(__file__).parent / "static" / "guide"
# `import … from './x.js'`, `import './x.js'`, `export … from './x.js'` at
# the start of a line; `import('./x.js')` (dynamic) does not match.
STATIC_IMPORT = re.compile(r"^(?:import|export)\b[^;()]*?['\"](\.{1,2}/[^'\"]+)['\"]", re.MULTILINE)
ENTRY = "js/app.js"


def _imports(module: str) -> list[str]:
    """What `module` (a path under static/guide/) imports statically, in order.
    The vendored libraries are read as a whole: their imports are not ours."""
    if module.startswith("vendor/"):
        return []
    source = (GUIDE_STATIC / module).read_text(encoding="utf-8")
    folder = posixpath.dirname(module)
    return [posixpath.normpath(posixpath.join(folder, spec)) for spec in STATIC_IMPORT.findall(source)]


@cache
def screen_modules(screen: str) -> tuple[str, ...]:
    """Paths under static/guide/ of every module the screen's page loads up
    front besides app.js (its own script tag): the screen's module and all
    that both import statically, each once, importers first."""
    order: list[str] = []
    pending = [ENTRY]
    if (GUIDE_STATIC / "js" / f"{screen}.js").exists():
        pending.append(f"js/{screen}.js")
    while pending:
        module = pending.pop(0)
        if module not in order:
            order.append(module)
            pending.extend(_imports(module))
    return tuple(order[1:])
