"""`python -m cinelake.cli`: the `cinelake` command without its installed script."""

import sys

from cinelake.cli import main

sys.exit(main())
