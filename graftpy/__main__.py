from graftpy.cli import run

run()
