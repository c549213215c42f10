"""``python -m kbuild.ui``: menuconfig (``kbuild menuconfig`` is the same program)."""

import sys

from .app import main

sys.exit(main())
