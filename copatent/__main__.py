"""``python -m copatent`` runs the command line."""

from copatent.cli import main

if __name__ == "__main__":
    main()
