"""``kbuild``: the command line for people.  For now it offers the configuration targets of
``kbuild-conf`` under friendlier names; later issues grow it."""

from __future__ import annotations

import sys

from . import __version__


def main(argv=None):
    """Entry point of ``kbuild``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: kbuild conf [kbuild-conf arguments...]\n"
              "       kbuild --version")
        return 0 if argv else 2
    if argv[0] == "--version":
        print("kbuild %s" % __version__)
        return 0
    if argv[0] == "conf":
        from .conf import main as conf_main
        return conf_main(["kbuild conf"] + argv[1:])
    sys.stderr.write("kbuild: unknown command '%s' (try: kbuild --help)\n" % argv[0])
    return 2


if __name__ == "__main__":
    sys.exit(main())
