"""`python -m icpdsl` runs the `icp` command."""

import sys

from .cli import main

sys.exit(main())
