"""``python -m niaga`` runs the command line."""

from niaga.cli import main

main()
