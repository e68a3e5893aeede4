"""graft-exact YAML in and out.

* ``load_documents`` / ``load_file``: YAML to plain data as graft decodes its
  input files (go-yaml v3 rules; libyaml's C parser underneath);
* ``require_map``: graft's "Root of YAML document is not a hash/map" check;
* ``dump_yaml``: byte-exact ``yaml.Marshal`` of graft's (2016 go-yaml) encoder;
* ``dump_json`` / ``json_command``: ``graft json``.

The C parser is imported on first use only, so importing this package is cheap.
"""

from graftpy.yamlio.documents import (
    display_name,
    load_documents,
    load_file,
    load_file_named,
    load_named,
    require_map,
)
from graftpy.yamlio.emitter import dump_yaml
from graftpy.yamlio.errors import DocumentError, InputReadError, YAMLSyntaxError
from graftpy.yamlio.jsonout import dump_json, json_command

__all__ = [
    "DocumentError",
    "InputReadError",
    "YAMLSyntaxError",
    "display_name",
    "dump_json",
    "dump_yaml",
    "json_command",
    "load_documents",
    "load_file",
    "load_file_named",
    "load_named",
    "require_map",
]
