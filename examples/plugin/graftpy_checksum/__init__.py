"""graftpy-checksum: checksum operators for graftpy, an example plugin (docs/plugins.md)."""
