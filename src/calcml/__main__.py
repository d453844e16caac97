"""`python -m calcml` runs the command line."""

import sys

from calcml.cli import main

sys.exit(main())
