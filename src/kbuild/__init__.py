"""kbuild: the Linux kernel's Kconfig and kbuild, in Python."""

__version__ = "0.1.0"
