"""Terminal front ends: ``kbuild menuconfig`` (Textual)."""
