"""``python -m build_tools``: the ``archive`` command, for where its script is not on the path."""

import sys

from build_tools.cli import main

sys.exit(main())
