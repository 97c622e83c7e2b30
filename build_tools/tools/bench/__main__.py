"""``python -m build_tools.tools.bench``."""

import sys

from build_tools.tools.bench import main

sys.exit(main())
