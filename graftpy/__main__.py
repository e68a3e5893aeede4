from graftpy.console import run

run()
