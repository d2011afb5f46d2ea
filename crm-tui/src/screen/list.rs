//! One list screen for every entity, driven by a [`Listing`]: paging from the database as the
//! cursor moves (never the whole table), sort, filters and incremental search.

use std::collections::BTreeSet;

use crm_core::{Page, RecordRef, ViewKind};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Widget};

use super::{Body, Ctx, Section};
use crate::action::Action;
use crate::theme::Theme;
use crate::widget::fit;
use crate::widget::input::Input;

/// Rows fetched per page.
pub(crate) const PAGE: u32 = 100;
/// Fetch the next page when the cursor comes this close to the last loaded row.
const PREFETCH: usize = 10;

/// A filter the user cycles through with one key.
pub(crate) struct FilterDef {
    /// The key, as typed and as the footer shows it ("f").
    pub(crate) key: &'static str,
    pub(crate) label: &'static str,
    /// The values after "any".
    pub(crate) options: &'static [&'static str],
}

/// What one entity's list shows and how it loads.
pub(crate) trait Listing {
    type Item;
    const TITLE: &'static str;
    /// The sidebar entry highlighted while it shows.
    const SECTION: Section;
    /// Shown when nothing matches.
    const EMPTY: &'static str;
    /// Column headers and widths.
    const COLUMNS: &'static [(&'static str, Constraint)];
    /// Sort names the service takes; the first is the default. Empty: fixed order.
    const SORTS: &'static [&'static str] = &[];
    const FILTERS: &'static [FilterDef] = &[];
    /// Extra keys of this list beyond the common ones.
    const KEYS: &'static [(&'static str, &'static str)] = &[];
    /// Space marks rows for a bulk action.
    const MARKABLE: bool = false;
    /// The kind of saved view (`crm leads list --save NAME`) the list offers with `v`.
    const VIEWS: Option<ViewKind> = None;

    fn fetch(
        ctx: &Ctx<'_>,
        query: &ListQuery,
        after: Option<i64>,
    ) -> crm_core::Result<Page<Self::Item>>;
    /// One span per column; the list fits each to its column's width.
    fn cells(item: &Self::Item, theme: Theme) -> Vec<Span<'static>>;
    fn id(item: &Self::Item) -> i64;
    fn record(item: &Self::Item) -> Option<RecordRef>;
    /// A key of this list on the selected item (and the marked ids).
    fn action(
        _key: KeyEvent,
        _item: Option<&Self::Item>,
        _marked: &BTreeSet<i64>,
    ) -> Option<Action> {
        None
    }
}

/// The user's choices on a list; each listing turns them into its service's query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ListQuery {
    pub(crate) search: String,
    /// Index into `Listing::SORTS`.
    pub(crate) sort: usize,
    pub(crate) descending: bool,
    /// Per filter: 0 is "any", n is `options[n - 1]`.
    pub(crate) filters: Vec<usize>,
    /// A saved view of the user's: its filters and sort replace the keys' (search still
    /// narrows it).
    pub(crate) view: Option<String>,
}

impl ListQuery {
    /// The chosen value of filter `index`, if one is chosen.
    pub(crate) fn filter<L: Listing>(&self, index: usize) -> Option<&'static str> {
        let chosen = *self.filters.get(index)?;
        L::FILTERS
            .get(index)?
            .options
            .get(chosen.checked_sub(1)?)
            .copied()
    }

    pub(crate) fn sort<L: Listing>(&self) -> Option<&'static str> {
        L::SORTS.get(self.sort).copied()
    }

    pub(crate) fn search(&self) -> Option<String> {
        let text = self.search.trim();
        (!text.is_empty()).then(|| text.to_string())
    }
}

pub(crate) struct ListScreen<L: Listing> {
    items: Vec<L::Item>,
    next: Option<i64>,
    selected: usize,
    /// First row drawn; moves only when the cursor would leave the view.
    offset: usize,
    /// Rows of the last view, for page keys and scrolling.
    view_rows: usize,
    query: ListQuery,
    /// `Some` while the search line has the keyboard.
    search: Option<Input>,
    marked: BTreeSet<i64>,
    error: Option<String>,
}

impl<L: Listing> Default for ListScreen<L> {
    fn default() -> Self {
        ListScreen {
            items: Vec::new(),
            next: None,
            selected: 0,
            offset: 0,
            view_rows: 20,
            query: ListQuery {
                filters: vec![0; L::FILTERS.len()],
                ..ListQuery::default()
            },
            search: None,
            marked: BTreeSet::new(),
            error: None,
        }
    }
}

impl<L: Listing> ListScreen<L> {
    /// Loads the first page for the current query again, keeping the cursor on the same row
    /// number (more pages are fetched to reach it).
    pub(crate) fn reload(&mut self, ctx: &Ctx<'_>) {
        let keep = self.selected;
        self.items.clear();
        self.next = None;
        self.error = None;
        match L::fetch(ctx, &self.query, None) {
            Ok(page) => {
                self.items = page.items;
                self.next = page.next_after;
            }
            Err(err) => self.error = Some(err.to_string()),
        }
        while keep + PREFETCH >= self.items.len() && self.next.is_some() {
            if !self.fetch_more(ctx) {
                break;
            }
        }
        self.selected = keep.min(self.items.len().saturating_sub(1));
        self.offset = self.offset.min(self.selected);
    }

    fn fetch_more(&mut self, ctx: &Ctx<'_>) -> bool {
        match L::fetch(ctx, &self.query, self.next) {
            Ok(page) => {
                self.items.extend(page.items);
                self.next = page.next_after;
                true
            }
            Err(err) => {
                self.error = Some(err.to_string());
                self.next = None;
                false
            }
        }
    }

    pub(crate) fn typing(&self) -> bool {
        self.search.is_some()
    }

    pub(crate) fn selected(&self) -> Option<&L::Item> {
        self.items.get(self.selected)
    }

    fn select(&mut self, index: usize, ctx: &Ctx<'_>) {
        if index + PREFETCH >= self.items.len() && self.next.is_some() {
            self.fetch_more(ctx);
        }
        self.selected = index.min(self.items.len().saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + self.view_rows {
            self.offset = self.selected + 1 - self.view_rows;
        }
    }

    fn requery(&mut self, ctx: &Ctx<'_>) {
        self.selected = 0;
        self.offset = 0;
        self.marked.clear();
        self.reload(ctx);
    }

    pub(crate) fn handle_key(&mut self, key: KeyEvent, ctx: &Ctx<'_>) -> Option<Action> {
        if let Some(input) = &mut self.search {
            match key.code {
                KeyCode::Enter => self.search = None,
                KeyCode::Esc => {
                    self.search = None;
                    self.query.search.clear();
                    self.requery(ctx);
                }
                _ => {
                    if input.handle(key) && input.value() != self.query.search {
                        self.query.search = input.value().to_string();
                        self.requery(ctx);
                    }
                }
            }
            return None;
        }
        let page = self.view_rows.max(1);
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => self.select(self.selected + 1, ctx),
            KeyCode::Up | KeyCode::Char('k') => self.select(self.selected.saturating_sub(1), ctx),
            KeyCode::PageDown => self.select(self.selected + page, ctx),
            KeyCode::PageUp => self.select(self.selected.saturating_sub(page), ctx),
            KeyCode::Home | KeyCode::Char('g') => self.select(0, ctx),
            KeyCode::End | KeyCode::Char('G') => self.select(self.items.len(), ctx),
            KeyCode::Enter => return self.selected().and_then(L::record).map(Action::Open),
            KeyCode::Char('/') => self.search = Some(Input::new(&self.query.search)),
            KeyCode::Char('s') if !L::SORTS.is_empty() => {
                self.query.sort = (self.query.sort + 1) % L::SORTS.len();
                self.requery(ctx);
            }
            KeyCode::Char('r') if !L::SORTS.is_empty() => {
                self.query.descending = !self.query.descending;
                self.requery(ctx);
            }
            KeyCode::Char(' ') if L::MARKABLE => {
                if let Some(id) = self.selected().map(L::id)
                    && !self.marked.remove(&id)
                {
                    self.marked.insert(id);
                }
                self.select(self.selected + 1, ctx);
            }
            KeyCode::Char('v') if L::VIEWS.is_some() => {
                self.next_view(ctx);
                self.requery(ctx);
            }
            KeyCode::Char('x')
                if !self.query.filters.iter().all(|f| *f == 0)
                    || !self.query.search.is_empty()
                    || self.query.view.is_some() =>
            {
                self.query.filters.iter_mut().for_each(|f| *f = 0);
                self.query.search.clear();
                self.query.view = None;
                self.requery(ctx);
            }
            KeyCode::Char(c) => {
                let mut typed = [0; 4];
                let typed: &str = c.encode_utf8(&mut typed);
                if let Some(index) = L::FILTERS.iter().position(|f| f.key == typed) {
                    let options = L::FILTERS[index].options.len() + 1;
                    self.query.filters[index] = (self.query.filters[index] + 1) % options;
                    self.requery(ctx);
                } else {
                    return L::action(key, self.selected(), &self.marked);
                }
            }
            _ => return L::action(key, self.selected(), &self.marked),
        }
        None
    }

    /// Moves to the user's next saved view of this list, after the last back to none.
    fn next_view(&mut self, ctx: &Ctx<'_>) {
        let names: Vec<String> = match ctx.crm.views(ctx.actor) {
            Ok(views) => views
                .into_iter()
                .filter(|v| Some(v.kind) == L::VIEWS)
                .map(|v| v.name)
                .collect(),
            Err(err) => {
                self.error = Some(err.to_string());
                return;
            }
        };
        self.query.view = match &self.query.view {
            None => names.first().cloned(),
            Some(current) => names.iter().skip_while(|n| *n != current).nth(1).cloned(),
        };
        if names.is_empty() {
            self.error = None;
        }
    }

    pub(crate) fn handle_mouse(
        &mut self,
        mouse: MouseEvent,
        body: Rect,
        ctx: &Ctx<'_>,
    ) -> Option<Action> {
        match mouse.kind {
            MouseEventKind::ScrollDown => self.select(self.selected + 3, ctx),
            MouseEventKind::ScrollUp => self.select(self.selected.saturating_sub(3), ctx),
            MouseEventKind::Down(MouseButton::Left) => {
                let table = table_area(body);
                // Rows start below the border and the header.
                let first = table.y + 2;
                if mouse.row >= first && mouse.row < table.y + table.height.saturating_sub(1) {
                    let index = self.offset + usize::from(mouse.row - first);
                    if index < self.items.len() {
                        if index == self.selected {
                            return self.selected().and_then(L::record).map(Action::Open);
                        }
                        self.select(index, ctx);
                    }
                }
            }
            _ => {}
        }
        None
    }

    /// Tells the list how many rows its view holds (from the terminal size).
    pub(crate) fn set_view_rows(&mut self, body: Rect) {
        self.view_rows = usize::from(table_area(body).height.saturating_sub(3)).max(1);
        if self.selected >= self.offset + self.view_rows {
            self.offset = self.selected + 1 - self.view_rows;
        }
    }

    pub(crate) fn keys(&self) -> Vec<(&'static str, &'static str)> {
        if self.search.is_some() {
            return vec![
                ("type", "filter as you type"),
                ("Enter", "keep"),
                ("Esc", "clear"),
            ];
        }
        let mut keys = vec![("↑↓", "move"), ("Enter", "open"), ("/", "search")];
        keys.extend_from_slice(L::KEYS);
        for f in L::FILTERS {
            keys.push((f.key, f.label));
        }
        if L::VIEWS.is_some() {
            keys.push(("v", "saved view"));
        }
        if !L::SORTS.is_empty() {
            keys.push(("s", "sort"));
            keys.push(("r", "reverse"));
        }
        if L::MARKABLE {
            keys.push(("Space", "mark"));
        }
        keys.push(("x", "clear filters"));
        keys.push(("PgUp/PgDn g/G", "page, first, last"));
        keys
    }

    pub(crate) fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let [bar, table] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        self.draw_bar(bar, buf, theme);

        let count = if self.next.is_some() {
            format!(" {} · {}+ ", L::TITLE, self.items.len())
        } else {
            format!(" {} · {} ", L::TITLE, self.items.len())
        };
        let mut title = vec![Span::styled(count, theme.title())];
        if !self.marked.is_empty() {
            title.push(Span::styled(
                format!("{} marked ", self.marked.len()),
                theme.marked(),
            ));
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border())
            .title(Line::from(title));
        if let Some(error) = &self.error {
            Paragraph::new(crm_core::text::terminal_safe(error).into_owned())
                .style(theme.bad())
                .block(block)
                .render(table, buf);
            return;
        }
        if self.items.is_empty() {
            let text = if self.query.search.is_empty() && self.query.filters.iter().all(|f| *f == 0)
            {
                L::EMPTY.to_string()
            } else {
                "Nothing matches. Press x to clear the search and filters.".to_string()
            };
            Paragraph::new(text)
                .style(theme.dim())
                .block(block)
                .render(table, buf);
            return;
        }
        let rows_shown = usize::from(table.height.saturating_sub(3));
        // The table's own widths, so each cell is cut with an ellipsis (the table would cut
        // mid-word without a sign that anything is missing).
        let widths: Vec<usize> = Layout::horizontal(L::COLUMNS.iter().map(|(_, width)| *width))
            .flex(Flex::Start)
            .spacing(1)
            .split(block.inner(table))
            .iter()
            .map(|column| usize::from(column.width))
            .collect();
        let rows = self
            .items
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(rows_shown)
            .map(|(i, item)| {
                let mut style = theme.text();
                if self.marked.contains(&L::id(item)) {
                    style = theme.marked();
                }
                if i == self.selected {
                    style = theme.selected();
                }
                let cells = L::cells(item, theme)
                    .into_iter()
                    .zip(&widths)
                    .map(|(span, &w)| {
                        let fitted = fit(&span.content, w);
                        Cell::from(Span::styled(fitted, span.style))
                    });
                Row::new(cells).style(style)
            });
        let header =
            Row::new(L::COLUMNS.iter().map(|(name, _)| Cell::from(*name))).style(theme.heading());
        Table::new(rows, L::COLUMNS.iter().map(|(_, width)| *width))
            .flex(Flex::Start)
            .header(header)
            .column_spacing(1)
            .block(block)
            .render(table, buf);
    }

    fn draw_bar(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let mut spans = Vec::new();
        match &self.search {
            Some(input) => {
                let (text, _) = input.view(usize::from(area.width.saturating_sub(12)));
                spans.push(Span::styled(" search: ", theme.accent()));
                spans.push(Span::raw(text));
                spans.push(Span::styled("▏", theme.accent()));
            }
            None if !self.query.search.is_empty() => {
                spans.push(Span::styled(" search: ", theme.dim()));
                spans.push(Span::raw(
                    crm_core::text::terminal_safe(&self.query.search).into_owned(),
                ));
            }
            None => spans.push(Span::styled(" / to search", theme.dim())),
        }
        for (index, f) in L::FILTERS.iter().enumerate() {
            let value = self.query.filter::<L>(index).unwrap_or("any");
            let style = if value == "any" {
                theme.dim()
            } else {
                theme.accent()
            };
            spans.push(Span::styled(format!("  {}:", f.label), theme.dim()));
            spans.push(Span::styled(value, style));
        }
        if L::VIEWS.is_some() {
            spans.push(Span::styled("  view:", theme.dim()));
            match &self.query.view {
                Some(name) => spans.push(Span::styled(
                    crm_core::text::terminal_safe(name).into_owned(),
                    theme.accent(),
                )),
                None => spans.push(Span::styled("none", theme.dim())),
            }
        }
        if let Some(sort) = self.query.sort::<L>() {
            spans.push(Span::styled("  sort:", theme.dim()));
            spans.push(Span::styled(sort, theme.accent()));
            if self.query.descending {
                spans.push(Span::styled(" reversed", theme.accent()));
            }
        }
        Line::from(spans).render(area, buf);
    }
}

fn table_area(body: Rect) -> Rect {
    let [_, table] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(body);
    table
}

impl<L: Listing> Body for ListScreen<L> {
    fn section(&self) -> Option<Section> {
        Some(L::SECTION)
    }

    fn reload(&mut self, ctx: &Ctx<'_>) {
        ListScreen::reload(self, ctx);
    }

    fn fit(&mut self, body: Rect) {
        self.set_view_rows(body);
    }

    fn typing(&self) -> bool {
        ListScreen::typing(self)
    }

    fn filters_itself(&self) -> bool {
        true
    }

    fn handle_key(&mut self, key: KeyEvent, ctx: &Ctx<'_>) -> Option<Action> {
        ListScreen::handle_key(self, key, ctx)
    }

    fn handle_mouse(&mut self, mouse: MouseEvent, body: Rect, ctx: &Ctx<'_>) -> Option<Action> {
        ListScreen::handle_mouse(self, mouse, body, ctx)
    }

    fn keys(&self) -> Vec<(&'static str, &'static str)> {
        ListScreen::keys(self)
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        ListScreen::draw(self, area, buf, theme);
    }

    fn focus(&self) -> Option<RecordRef> {
        self.selected().and_then(L::record)
    }
}
