"""``python -m baocao`` runs the command line."""

from baocao.cli import main

raise SystemExit(main())
