"""`python -m icpdsl.cli`."""

import sys

from . import main

sys.exit(main())
