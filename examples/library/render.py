"""graftpy as a library: merge files, YAML text and dicts; handle errors; print YAML."""

import sys

import graftpy

overrides = {"meta": {"environment": "prod"}, "instance_groups": [{"name": "web", "instances": 4}]}

data = graftpy.merge(
    "base.yml",  # a path
    overrides,  # a dict
    'extra:\n  owner: (( concat meta.team "@example.com" ))\n',  # YAML text
    prune=["meta"],
)
print(data["name"], data["instance_groups"][0]["instances"], data["extra"]["owner"])

try:
    graftpy.merge("base.yml")  # meta.environment is a (( param )): someone must set it
except graftpy.GraftError as err:
    for e in getattr(err, "errors", [err]):
        print(f"error at $.{e.path}: {e.message}", file=sys.stderr)
        print(f"caught: $.{e.path}")

sys.stdout.write(graftpy.dumps(data) + "\n")  # exactly what `graftpy merge` prints
