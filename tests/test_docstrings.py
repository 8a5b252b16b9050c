"""Every public class and function carries a runnable example in its docstring.

The API reference in the HTML book shows each docstring, and pytest runs each example
(--doctest-modules), so an example is documentation that cannot go stale. Constants and
preset instances (`SELU_ALPHA`, `he_normal`) are exempt: their entry shows their value.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import initact

# Names allowed to lack an example (none: every public class and function has one). A name
# is by its own name, not its module, so a move between modules is free.
LACKING_EXAMPLE: set[str] = set()


def _public_classes_and_functions() -> dict[str, object]:
    """'module.name' -> object, for each class or function in a public module's __all__."""
    found = pkgutil.walk_packages(initact.__path__, "initact.")
    names = ["initact"] + [m.name for m in found if "._" not in m.name]
    objects = {}
    for module_name in names:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isroutine(obj):
                objects[f"{module_name}.{name}"] = obj
    return objects


def test_every_public_class_and_function_has_an_example():
    objects = _public_classes_and_functions()
    assert "initact.nn.fit" in objects and "initact.VarianceScaling" in objects
    lacking = {path for path, obj in objects.items() if ">>>" not in (inspect.getdoc(obj) or "")}
    new = sorted(p for p in lacking if p.rsplit(".", 1)[1] not in LACKING_EXAMPLE)
    assert new == [], f"public classes and functions without a '>>>' example: {new}"
    names = {p.rsplit(".", 1)[1] for p in objects}
    done = sorted(n for n in LACKING_EXAMPLE if n in names and not any(
        p.rsplit(".", 1)[1] == n for p in lacking))  # fmt: skip
    gone = sorted(LACKING_EXAMPLE - names)
    assert done == [], f"these have an example now: remove them from LACKING_EXAMPLE: {done}"
    assert gone == [], f"no longer public: remove them from LACKING_EXAMPLE: {gone}"
