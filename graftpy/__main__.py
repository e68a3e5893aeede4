from graftpy.cli import main

main()
