"""Answers about a configuration, for the ``kbuild`` front end (and any other): services between
the engine (kconfig/) and the front ends.  They print nothing; each returns JSON-ready data and
has a ``format_*`` helper for text.

find.py       where symbols are: file:line, type, prompt, menu location ("A -> B -> prompt")
show.py       menuconfig's help screen plus the value and where it came from
why.py        why a symbol is not at a value: the unmet conditions, down to options a user can
              set; fix_plan() turns an answer into changes
diff.py       diffconfig's comparison, and the changes as a forest rooted in the user's own
edit.py       dependency-aware edits (set/enable/disable/module/undefine)
genconfig.py  the configuration as C header, make, CMake, JSON, or the menu tree as JSON
command.py    the command-line glue for the above (argument parsing, --json)
"""
