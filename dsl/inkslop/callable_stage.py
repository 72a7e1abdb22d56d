"""`inkslop.format`, `inkslop.compile` and `inkslop.estimate` name both a stage's
subpackage and a function of the public API (`inkslop.format(text)`). Python binds a
subpackage to its parent's attribute when it is first imported, which would hide the
function as soon as anything imported the stage; so each of these subpackages is made
callable, and calling it calls the function it stands for (imported on first call)."""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import Any


class CallableStage(ModuleType):
    """A stage's package that can be called like the public function of the same name."""

    public_function: tuple[str, str]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        module, name = self.public_function
        return getattr(import_module(module), name)(*args, **kwargs)


def make_callable(package: str, module: str, function: str) -> None:
    """Let `package` (already being imported) be called as `module.function`."""
    stage = sys.modules[package]
    stage.__class__ = CallableStage
    stage.public_function = (module, function)
