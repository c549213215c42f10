"""The screens of menuconfig: a menu, a choice's radiolist, help, search and the small dialogs."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from . import model
from .widgets import MenuList

KEYS_MENU = ("<Enter> open  <Y>/<M>/<N>/<Space> set  <?> help  </> search  <Z> hidden  "
             "<U> undo  <D> changes  <S> save  <O> load  <Esc> back")


class EscMixin:
    """Esc Esc is one step back, as in mconf (whose users press it twice): the second Esc of
    a quick pair is dropped."""

    def action_esc(self, action):
        if self.app.esc_merged():
            return
        getattr(self, "action_" + action)()


def _line(text, style=None):
    return Text(text, style=style or "", no_wrap=True, overflow="ellipsis")


class MenuScreen(EscMixin, Screen):
    """One menu (mconf's conf()): the entries of build_conf(), keys as mconf's."""

    BINDINGS = [
        Binding("y", "set('y')", "Yes", show=False),
        Binding("m", "set('m')", "Module", show=False),
        Binding("n", "set('n')", "No", show=False),
        Binding("space", "toggle", "Toggle", show=False),
        Binding("question_mark,h", "help", "Help", show=False),
        Binding("slash", "search", "Search", show=False),
        Binding("z", "show_all", "Show hidden", show=False),
        Binding("s,S", "save", "Save", show=False),
        Binding("o,O,l", "load", "Load", show=False),
        Binding("d", "changes", "Changes", show=False),
        Binding("u", "undo", "Undo", show=False),
        Binding("escape", "esc('back')", "Back", show=False),
        Binding("left,x,e", "back", "Back", show=False),
        Binding("right", "open", "Open", show=False),
    ]

    def __init__(self, menu, target=None):
        super().__init__()
        self.menu = menu
        self.target = target
        self.entries = []
        self._filled = None

    # --- drawing ------------------------------------------------------------------------
    def compose(self):
        app = self.app
        yield Static(_line(app.backtitle()), id="backtitle")
        yield Static(_line(app.trail(self)), id="trail")
        with Vertical(id="box"):
            yield Static(Text(model.MENU_INSTRUCTIONS), id="instructions")
            yield MenuList(id="entries")
            yield Static("", id="reason")
        yield Static(Text(KEYS_MENU), id="keys")

    def on_mount(self):
        box = self.query_one("#box")
        box.border_title = self.menu.prompt_text() or "Main Menu"
        self.refill(self.target)
        self.option_list.focus()

    def on_screen_resume(self):
        # back from another screen: redraw only if values or the hidden-entries mode changed
        if self.entries and self._filled != (self.app.kc.generation, self.app.show_all):
            self.refill()

    @property
    def option_list(self):
        return self.query_one("#entries", MenuList)

    def current_entry(self):
        i = self.option_list.highlighted
        if i is None or not (0 <= i < len(self.entries)):
            return None
        return self.entries[i]

    def refill(self, target=None):
        """Rebuild the entries (values may have changed); keep the highlighted node."""
        app = self.app
        kc = app.kc
        keep = target if target is not None else (
            self.current_entry().menu if self.current_entry() is not None else None)
        ol = self.option_list
        old_index = ol.highlighted or 0
        entries = model.build_entries(kc, self.menu, app.show_all)
        if not entries and self.menu is not kc.rootmenu:
            # nothing left to show (mconf leaves such a menu)
            self.entries = []
            self.app.call_later(self.app.pop_screen)
            return
        self.entries = entries
        index = None
        if keep is not None:
            for i, e in enumerate(entries):
                if e.menu is keep:
                    index = i
                    break
        if index is None:
            index = min(old_index, len(entries) - 1)
        ol.set_items(len(entries), lambda i: self.render_entry(self.entries[i]), max(index, 0))
        self._filled = (kc.generation, app.show_all)
        self.show_reason()

    def render_entry(self, e):
        app = self.app
        changed = e.sym is not None and app.is_changed(e.sym)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("* " if changed else "  ", style="bold")
        if e.visible:
            text.append(e.text)
        else:
            text.append(e.text, style="dim")
            reason = model.hidden_hint(app.kc, e.menu)
            if reason:
                text.append("  # hidden: " + reason, style="dim italic")
        return text

    def show_reason(self):
        e = self.current_entry()
        line = ""
        if e is not None:
            kc = self.app.kc
            if e.sym is not None and e.sym.name:
                line = "CONFIG_%s" % e.sym.name
                if self.app.is_changed(e.sym):
                    line += "  (changed: was %s)" % self.app.before[e.sym]
            if not e.visible:
                line += ("  " if line else "") + "hidden: " + model.hidden_hint(kc, e.menu)
        self.query_one("#reason", Static).update(_line(line))

    # letters that are not commands here jump to the next entry with that hotkey (mconf's)
    HOTKEY_FREE = set("abcfgijkpqrtvw")

    def on_key(self, event):
        ch = event.character
        if ch and len(ch) == 1 and ch.lower() in self.HOTKEY_FREE and ch.isalpha():
            i = model.hotkey_target(self.entries, self.option_list.highlighted, ch)
            if i is not None:
                self.option_list.highlighted = i
            event.stop()

    def on_menu_list_highlighted(self, event):
        self.show_reason()

    def on_menu_list_selected(self, event):
        event.stop()
        self.activate(self.current_entry())

    # --- actions ------------------------------------------------------------------------
    def activate(self, e):
        if e is None:
            return
        app = self.app
        if model.is_submenu(e):
            app.push_screen(MenuScreen(e.menu))
        elif e.tag == "t" and e.sym is not None and e.sym.is_choice:
            app.push_screen(ChoiceScreen(e.menu))
        elif e.tag == "s":
            self.edit_value(e)

    def edit_value(self, e):
        sym = e.sym

        def done(value):
            if value is None:
                return
            self.app.undo.record(e)
            ok = sym.set_string_value(value)
            self.app.undo.discard_if_unchanged()
            if ok:
                self.refill()
            else:
                self.app.push_screen(MessageScreen("You have made an invalid entry."),
                                     lambda _: self.edit_value(e))
        self.app.push_screen(InputScreen(e.menu.prompt_text(), model.input_heading(sym),
                                         sym.str_value() or ""), done)

    def action_open(self):
        e = self.current_entry()
        if e is not None and (model.is_submenu(e) or e.tag == "t" and e.sym is not None
                              and e.sym.is_choice):
            self.activate(e)

    def action_set(self, key):
        e = self.current_entry()
        if e is None:
            return
        self.app.undo.record(e)
        msg = model.set_tristate(self.app.kc, e, key)
        self.app.undo.discard_if_unchanged()
        self.refill()
        if msg:
            self.app.push_screen(MessageScreen(msg))

    def action_toggle(self):
        e = self.current_entry()
        if e is None:
            return
        if e.tag == "t":
            self.app.undo.record(e)
            model.toggle(self.app.kc, e)
            self.app.undo.discard_if_unchanged()
            self.refill()
        elif e.tag == "m":
            self.activate(e)

    def action_help(self):
        e = self.current_entry()
        if e is None or e.sym is None:
            self.app.push_screen(HelpScreen("README", README))
            return
        self.app.show_help(e.menu)

    def action_search(self):
        self.app.push_screen(SearchScreen())

    def action_show_all(self):
        self.app.show_all = not self.app.show_all
        self.refill()

    def action_save(self):
        self.app.save_alternate()

    def action_load(self):
        self.app.load_alternate()

    def action_changes(self):
        self.app.show_changes()

    def action_undo(self):
        name = self.app.undo.undo()
        if name is None:
            self.app.notify("Nothing to undo.", timeout=2)
            return
        self.refill()
        self.app.notify("Undone: the last change of %s" % name, timeout=2)

    def action_back(self):
        if self.menu is self.app.kc.rootmenu:
            self.app.request_exit()
        else:
            self.app.pop_screen()


class ChoiceScreen(EscMixin, Screen):
    """A choice's radiolist (conf_choice())."""

    BINDINGS = [
        Binding("space,s,y", "pick", "Select", show=False),
        Binding("question_mark,h", "help", "Help", show=False),
        Binding("escape", "esc('back')", "Back", show=False),
        Binding("left", "back", "Back", show=False),
    ]

    def __init__(self, choice):
        super().__init__()
        self.choice = choice
        self.items = []

    def compose(self):
        app = self.app
        yield Static(_line(app.backtitle()), id="backtitle")
        yield Static(_line(app.trail(self)), id="trail")
        with Vertical(id="box"):
            yield Static("Use the arrow keys to navigate this window and <Enter> or <Space> to "
                         "select an entry.  Press <?> for additional information about this "
                         "option.", id="instructions")
            yield OptionList(id="entries")
        yield Static(_line("<Enter>/<Space> select  <?> help  <Esc> back"), id="keys")

    def on_mount(self):
        self.query_one("#box").border_title = self.choice.prompt_text() or "Main Menu"
        self.items = model.choice_items(self.app.kc, self.choice)
        ol = self.query_one("#entries", OptionList)
        ol.set_options([Option(_line(("(X) " if active else "( ) ") + text if member
                                     else "    " + text)) for _, text, member, active in self.items])
        for i, (_, _, _, active) in enumerate(self.items):
            if active:
                ol.highlighted = i
        ol.focus()

    def _current(self):
        i = self.query_one("#entries", OptionList).highlighted
        return self.items[i] if i is not None and 0 <= i < len(self.items) else None

    def on_option_list_option_selected(self, event):
        event.stop()
        self.action_pick()

    def action_pick(self):
        item = self._current()
        if item is None:
            return
        menu, _, member, _ = item
        if member:
            self.app.undo.record(model.Entry(self.choice, "", "t"))
            self.app.kc.choice_set_value(self.choice, menu.sym)
            self.app.undo.discard_if_unchanged()
            self.app.pop_screen()

    def action_help(self):
        item = self._current()
        self.app.show_help(item[0] if item is not None and item[2] else self.choice)

    def action_back(self):
        self.app.pop_screen()


class HelpScreen(EscMixin, Screen):
    """A text (help, README, changes); digits jump to the options it lists."""

    BINDINGS = [
        Binding("escape", "esc('back')", "Back", show=False),
        Binding("q,enter,left,x,e", "back", "Back", show=False),
        *[Binding(str(i), "jump(%d)" % i, show=False) for i in range(1, 10)],
    ]

    def __init__(self, title, text, jumps=()):
        super().__init__()
        self.title_text = title
        self.text = text
        self.jumps = list(jumps)

    def compose(self):
        yield Static(_line(self.app.backtitle()), id="backtitle")
        with VerticalScroll(id="helpbox"):
            yield Static(Text(self.text), id="helptext")
        keys = "<Esc>/<Enter>/<q> back  arrows/PgUp/PgDn scroll"
        if self.jumps:
            keys += "  <1>-<%d> go to the option" % len(self.jumps)
        yield Static(_line(keys), id="keys")

    def on_mount(self):
        box = self.query_one("#helpbox")
        box.border_title = self.title_text
        box.focus()

    def action_back(self):
        self.app.pop_screen()

    def action_jump(self, n):
        if 1 <= n <= len(self.jumps):
            sym = self.app.kc.find(self.jumps[n - 1])
            if sym is not None:
                menus = model.prompt_menus(sym)
                if menus:
                    self.app.jump_to(menus[0])


class SearchScreen(EscMixin, Screen):
    """`/`: matches names (regex) and prompt text as you type; each result shows its location
    and whether and why it is hidden.  Enter or a digit jumps there; Esc returns."""

    BINDINGS = [
        Binding("escape", "esc('back')", "Back", show=False),
        Binding("question_mark", "help", "Help", show=False),
        *[Binding(str(i), "jump(%d)" % i, show=False) for i in range(1, 10)],
    ]

    def __init__(self, query=""):
        super().__init__()
        self.initial = query
        self.results = []

    def compose(self):
        yield Static(_line(self.app.backtitle()), id="backtitle")
        with Vertical(id="box"):
            yield Static("Enter (sub)string or regexp to search for (with or without "
                         "\"CONFIG_\"); <Down> goes to the results.", id="instructions")
            yield Input(value=self.initial, id="query")
            yield MenuList(id="results")
            yield Static("", id="detail")
        yield Static(_line("<Enter>/<1>-<9> go there  <?> help and why  <Esc> back"), id="keys")

    def on_mount(self):
        self.query_one("#box").border_title = "Search Configuration Parameter"
        self.query_one("#query", Input).focus()
        if self.initial:
            self.update_results(self.initial)

    def on_screen_resume(self):
        # results carry values and hidden reasons: search again only if values changed
        query = self.query_one("#query", Input).value
        if (query, self.app.kc.generation) != (getattr(self, "_shown", None),
                                                getattr(self, "_shown_generation", None)):
            self.update_results(query, keep=True)

    DEBOUNCE = 0.12     # seconds of no typing before the results follow (a search of the
                        # x86_64 tree's 18,000 symbols takes up to ~0.1 s)

    def on_input_changed(self, event):
        if getattr(self, "_timer", None) is not None:
            self._timer.stop()
        value = event.value
        self._timer = self.set_timer(self.DEBOUNCE, lambda: self._search_now(value))

    def _search_now(self, value):
        self._timer = None
        if value != getattr(self, "_shown", None):
            self.update_results(value)

    def on_input_submitted(self, event):
        if getattr(self, "_timer", None) is not None:
            self._timer.stop()
            self._search_now(event.value)
        ol = self.query_one("#results", MenuList)
        if self.results:
            ol.focus()
            if ol.highlighted is None:
                ol.highlighted = 0

    def on_key(self, event):
        if event.key == "down" and self.focused is self.query_one("#query", Input) and self.results:
            ol = self.query_one("#results", MenuList)
            ol.focus()
            if ol.highlighted is None:
                ol.highlighted = 0
            event.stop()

    def update_results(self, query, keep=False):
        ml = self.query_one("#results", MenuList)
        old = ml.highlighted
        found = getattr(self, "_found", None)
        if found is None or found[0] != query:
            self._found = found = (query, model.find_symbols(self.app.kc, query))
        self.results = model.search(self.app.kc, query, found=found[1])
        self._shown = query
        self._shown_generation = self.app.kc.generation
        cursor = old if keep and old is not None and old < len(self.results) else 0
        ml.set_items(len(self.results), self.render_result, cursor)
        self.show_detail()
        n = len(self.results)
        self.query_one("#box").border_subtitle = "%d result%s" % (n, "" if n == 1 else "s")

    def render_result(self, index):
        r = self.results[index]
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append("(%d) " % (index + 1) if index < 9 else "    ")
        t.append(r.text, style="dim" if r.hidden else "")
        t.append("  @ " + r.where, style="italic")
        if r.hidden:
            names = model.options_to_change(self.app.kc, r.menu) if r.jump else []
            t.append("  [hidden: %s%s]" % (r.hidden, "; change: " + ", ".join(names)
                                           if names else ""), style="dim")
        return t

    def show_detail(self):
        r = self._current()
        text = ""
        if r is not None:
            text = "%s: %s" % (r.sym.name, r.where)
            if r.hidden:
                text += "\nhidden: " + r.hidden
            else:
                text += "\nvisible"
        self.query_one("#detail", Static).update(Text(text))

    def _current(self):
        i = self.query_one("#results", MenuList).highlighted
        return self.results[i] if i is not None and 0 <= i < len(self.results) else None

    def on_menu_list_highlighted(self, event):
        self.show_detail()

    def on_menu_list_selected(self, event):
        event.stop()
        r = self._current()
        if r is not None and r.jump:
            self.app.jump_to(r.menu)

    def action_jump(self, n):
        if self.focused is self.query_one("#query", Input):
            return
        if 1 <= n <= len(self.results) and self.results[n - 1].jump:
            self.app.jump_to(self.results[n - 1].menu)

    def action_help(self):
        r = self._current()
        if r is not None:
            self.app.show_help(r.menu)

    def action_back(self):
        self.app.pop_screen()


class LoadingScreen(Screen):
    """Shown while the Kconfig tree is parsed and .config read."""

    BINDINGS = [Binding("ctrl+c", "app.quit", show=False)]

    def compose(self):
        yield Static(_line("kbuild menuconfig"), id="backtitle")
        with Vertical(id="box"):
            yield Static(Text("Reading the Kconfig files and the configuration..."))


class MessageScreen(EscMixin, ModalScreen):
    BINDINGS = [Binding("escape", "esc('close')", show=False),
                Binding("enter,space,q", "close", "OK", show=False)]

    def __init__(self, text):
        super().__init__()
        self.text = text

    def compose(self):
        with Vertical(classes="dialog"):
            yield Static(Text(self.text))
            yield Button("OK", id="ok")

    def on_mount(self):
        self.query_one("#ok", Button).focus()

    def on_button_pressed(self, event):
        self.dismiss(None)

    def action_close(self):
        self.dismiss(None)


class YesNoScreen(EscMixin, ModalScreen):
    """Returns "yes", "no" or "esc"."""

    BINDINGS = [Binding("y", "answer('yes')", show=False), Binding("n", "answer('no')", show=False),
                Binding("escape", "esc('continue')", show=False)]

    def __init__(self, text):
        super().__init__()
        self.text = text

    def compose(self):
        with Vertical(classes="dialog"):
            yield Static(Text(self.text))
            with Horizontal(classes="buttons"):
                yield Button("Yes", id="yes", variant="primary")
                yield Button("No", id="no")

    def on_mount(self):
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event):
        self.dismiss(event.button.id)

    def action_answer(self, answer):
        self.dismiss(answer)

    def action_continue(self):
        self.dismiss("esc")


class InputScreen(EscMixin, ModalScreen):
    """Returns the text entered, or None (Esc)."""

    BINDINGS = [Binding("escape", "esc('cancel')", show=False)]

    def __init__(self, title, heading, value):
        super().__init__()
        self.title_text = title
        self.heading = heading
        self.value = value

    def compose(self):
        with Vertical(classes="dialog") as v:
            v.border_title = self.title_text
            yield Static(Text(self.heading))
            yield Input(value=self.value, id="value")

    def on_mount(self):
        self.query_one("#value", Input).focus()

    def on_input_submitted(self, event):
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self):
        self.dismiss(None)


README = """\
Menu items beginning with following braces represent features that
  [ ] can be built in or removed
  < > can be built in, modularized or removed
  { } can be built in or modularized (selected by other feature)
  - - are selected by other feature,
while *, M or whitespace inside braces means to build in, build as
a module or to exclude the feature respectively.

Keys
  Up/Down, PgUp/PgDn, Home/End   move
  a letter                       the next entry with that hotkey (as mconf's highlighted
                                 letters; not for the letters that are commands here)
  Enter, Right                   open a submenu ---> (empty ones: ----), a choice or a value
  Y / M / N                      build in / module / exclude;  Space cycles
  ?  or  H                       help: the option's text, its value's origin and why it is
                                 not at another value, with jumps to the options to change
  /                              search names and prompts as you type; results show where
                                 they are and why they are hidden; Enter or 1-9 go there
  Z                              show hidden entries too (greyed, with the reason)
  U                              undo the last change (again: the one before)
  D                              the changes since the configuration was loaded
  S / O                          save to / load from a file of your choosing
  Esc, Left                      back; in the main menu: exit (you are asked to save)

Entries marked '*' in the left column have changed since the configuration was loaded.
"""
