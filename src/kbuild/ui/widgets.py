"""MenuList: a one-line-per-item list that renders only the lines on screen.

A menu of the x86_64 allyesconfig tree has up to ~460 entries and is rebuilt after every change
(values move); Textual's OptionList measures every option on each rebuild, this list renders
only the visible rows, each on demand through ``render_item(index) -> rich Text``.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip


class MenuList(ScrollView, can_focus=True):
    """The items are given as a count and a function that renders one of them."""

    DEFAULT_CSS = """
    MenuList {
        height: 1fr;
        overflow-x: hidden;
    }
    MenuList > .menulist--cursor {
        text-style: bold reverse;
    }
    MenuList:blur > .menulist--cursor {
        text-style: reverse;
    }
    """
    COMPONENT_CLASSES = {"menulist--cursor"}

    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "home", show=False),
        Binding("end", "end", show=False),
        Binding("enter", "select", show=False),
    ]

    class Highlighted(Message):
        def __init__(self, menu_list, index):
            super().__init__()
            self.menu_list = menu_list
            self.index = index

        @property
        def control(self):
            return self.menu_list

    class Selected(Highlighted):
        pass

    def __init__(self, render_item=None, **kwargs):
        super().__init__(**kwargs)
        self.render_item = render_item or (lambda i: Text(""))
        self.count = 0
        self._cursor = None
        self._cache = {}

    # --- content --------------------------------------------------------------------------
    def set_items(self, count, render_item=None, cursor=0):
        """Replace the items; the cursor goes to ``cursor`` (clamped)."""
        if render_item is not None:
            self.render_item = render_item
        self.count = count
        self._cache = {}
        self.virtual_size = Size(self.size.width, count)
        self._cursor = None
        self.highlighted = cursor if count else None
        self.refresh()

    def item_text(self, index):
        """The plain text of an item (what the terminal shows)."""
        return self._text(index).plain

    def _text(self, index):
        t = self._cache.get(index)
        if t is None:
            t = self._cache[index] = self.render_item(index)
        return t

    # --- the cursor -----------------------------------------------------------------------
    @property
    def highlighted(self):
        return self._cursor

    @highlighted.setter
    def highlighted(self, index):
        if index is None or self.count == 0:
            self._cursor = None
            return
        index = max(0, min(index, self.count - 1))
        old = self._cursor
        self._cursor = index
        self.scroll_to_cursor()
        self.refresh()
        if old != index:
            self.post_message(self.Highlighted(self, index))

    def scroll_to_cursor(self):
        if self._cursor is None:
            return
        height = self.scrollable_content_region.height or self.size.height
        top = int(self.scroll_offset.y)
        if height <= 0:
            return
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + height:
            self.scroll_to(y=self._cursor - height + 1, animate=False, immediate=True)

    def on_resize(self, event):
        self.virtual_size = Size(self.size.width, self.count)
        self.scroll_to_cursor()

    def action_cursor(self, delta):
        if self.count:
            self.highlighted = (self._cursor or 0) + delta

    def action_page(self, direction):
        if self.count:
            height = max(1, self.scrollable_content_region.height - 1)
            self.highlighted = (self._cursor or 0) + direction * height

    def action_home(self):
        if self.count:
            self.highlighted = 0

    def action_end(self):
        if self.count:
            self.highlighted = self.count - 1

    def action_select(self):
        if self._cursor is not None:
            self.post_message(self.Selected(self, self._cursor))

    def on_click(self, event):
        index = int(event.y + self.scroll_offset.y)
        if 0 <= index < self.count:
            was = self._cursor
            self.highlighted = index
            if was == index or event.chain > 1:
                self.post_message(self.Selected(self, index))

    # --- drawing --------------------------------------------------------------------------
    def render_line(self, y):
        scroll_x, scroll_y = self.scroll_offset
        index = int(scroll_y) + y
        width = self.size.width
        style = self.rich_style
        if index >= self.count:
            return Strip.blank(width, style)
        text = self._text(index)
        if index == self._cursor:
            text = text.copy()
            text.stylize(self.get_component_rich_style("menulist--cursor"))
            text.pad_right(max(0, width - cell_len(text.plain)))
        strip = Strip(text.render(self.app.console), cell_len(text.plain))
        return strip.crop_extend(int(scroll_x), int(scroll_x) + width, style)
