"""``python -m kg`` runs the ``pfocr-kg`` command."""

import sys

from kg.cli import main

sys.exit(main())
