"""Paths, lookups and the shared document tree."""

from graftpy.tree.lookup import (
    NotFoundError,
    TypeMismatchError,
    canonical,
    exists,
    find_in_list,
    glob,
    name_of,
    resolve,
)
from graftpy.tree.paths import Path, dollar, format_path, is_under, parse_path

__all__ = [
    "NotFoundError",
    "Path",
    "TypeMismatchError",
    "canonical",
    "dollar",
    "exists",
    "find_in_list",
    "format_path",
    "glob",
    "is_under",
    "name_of",
    "parse_path",
    "resolve",
]
