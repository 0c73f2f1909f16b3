"""labcheck's extensions to moto (see labcheck_moto.py, the entry point).

A package, because moto files every model class under the second part of its module
name (``moto_ext.config_remediation`` -> "config_remediation") for its dashboard.
"""

from __future__ import annotations

from typing import Any, Callable

_MARK = "_labcheck"


def wrap_once(owner: Any, name: str, make_wrapper: Callable[[Any], Any]) -> None:
    """Replace ``owner.name`` with ``make_wrapper(original)``, unless that was done already.

    Each extension wraps a moto function to add what AWS does on top of what moto does.
    The wrapper is marked, so a second ``install()`` in the same process (the tests install
    into an imported moto) keeps one wrapper instead of stacking two.
    """
    original = getattr(owner, name)
    if getattr(original, _MARK, False):
        return
    wrapper = make_wrapper(original)
    setattr(wrapper, _MARK, True)
    setattr(owner, name, wrapper)
