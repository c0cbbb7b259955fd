# django-environ ships annotations but no py.typed marker (and its own `-> int` inside a class
# that defines a method `int` reads as no type at all): the part of `Env` the settings use.
import builtins
from os import PathLike
from typing import IO, Any

_Str = builtins.str
_Bool = builtins.bool
_Int = builtins.int
_Float = builtins.float
_List = builtins.list

class Env:
    def __init__(self, **scheme: Any) -> None: ...
    def str(
        self, var: _Str, default: _Str = ..., multiline: _Bool = False, choices: Any = ...
    ) -> _Str: ...
    def bool(self, var: _Str, default: _Bool = ...) -> _Bool: ...
    def int(self, var: _Str, default: _Int = ...) -> _Int: ...
    def float(self, var: _Str, default: _Float = ...) -> _Float: ...
    def list(self, var: _Str, cast: Any = None, default: _List[_Str] = ...) -> _List[_Str]: ...
    def db_url(
        self, var: _Str = ..., default: _Str = ..., engine: _Str | None = None
    ) -> dict[_Str, Any]: ...
    def cache_url(
        self, var: _Str = ..., default: _Str = ..., backend: _Str | None = None
    ) -> dict[_Str, Any]: ...
    def email_url(
        self, var: _Str = ..., default: _Str = ..., backend: _Str | None = None
    ) -> dict[_Str, Any]: ...
    @classmethod
    def read_env(
        cls,
        env_file: _Str | PathLike[_Str] | IO[_Str] | None = None,
        overwrite: _Bool = False,
        parse_comments: _Bool = False,
        encoding: _Str = "utf8",
        **overrides: Any,
    ) -> None: ...
