//! The Kanban board: a column per stage with its count and total; the selected deal moves
//! between stages by key or by dragging it with the mouse.

use crm_core::{BoardColumn, Deal, EntityKind, RecordRef};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::{Body, Ctx, Section};
use crate::action::{Action, Command};
use crate::popup::form::Form;
use crate::popup::{Popup, Prompt};
use crate::theme::Theme;
use crate::widget::{compact_money, fit};

pub(crate) const KEYS: &[(&str, &str)] = &[
    ("← →", "column"),
    ("↑ ↓", "deal"),
    ("< > or Shift-← →", "move the deal"),
    ("w / x", "won / lost"),
    ("Enter", "open"),
    ("a", "new deal"),
    ("v", "deals as a list"),
    ("drag", "move with the mouse"),
];

/// Cards loaded per column; the column title still counts them all.
const PER_COLUMN: u32 = 50;
/// Narrowest column before fewer columns are shown (the board then scrolls sideways).
const MIN_COLUMN_WIDTH: u16 = 26;
/// Rows per card: title, amount and contact, a gap.
const CARD_ROWS: u16 = 3;

#[derive(Debug, Default)]
pub(crate) struct PipelineScreen {
    columns: Vec<BoardColumn>,
    column: usize,
    /// The selected card in each column.
    rows: Vec<usize>,
    /// A card being dragged: (column, row).
    dragging: Option<(usize, usize)>,
    /// A deal just moved: the cursor follows it into its new column on the next load.
    follow: Option<crm_core::DealId>,
    error: Option<String>,
}

/// Which columns fit in `width`: (first shown, how many, width of each).
pub(crate) fn visible(width: u16, columns: usize, focused: usize) -> (usize, usize, u16) {
    let fit = usize::from((width / MIN_COLUMN_WIDTH).max(1)).min(columns.max(1));
    let first = (focused + 1).saturating_sub(fit);
    let each = width / u16::try_from(fit).unwrap_or(1);
    (first, fit, each)
}

impl PipelineScreen {
    pub(crate) fn reload(&mut self, ctx: &Ctx<'_>) {
        match ctx.crm.board(ctx.actor, PER_COLUMN) {
            Ok(columns) => {
                self.rows.resize(columns.len(), 0);
                for (row, column) in self.rows.iter_mut().zip(&columns) {
                    *row = (*row).min(column.deals.len().saturating_sub(1));
                }
                self.column = self.column.min(columns.len().saturating_sub(1));
                self.columns = columns;
                self.error = None;
                if let Some(id) = self.follow.take() {
                    self.select_deal(id);
                }
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    pub(crate) fn selected(&self) -> Option<&Deal> {
        self.columns
            .get(self.column)?
            .deals
            .get(*self.rows.get(self.column)?)
    }

    fn select_deal(&mut self, id: crm_core::DealId) {
        for (c, column) in self.columns.iter().enumerate() {
            if let Some(r) = column.deals.iter().position(|d| d.id == id) {
                self.column = c;
                self.rows[c] = r;
            }
        }
    }

    /// The action that puts the selected deal into column `to`.
    fn move_to(&mut self, to: usize) -> Option<Action> {
        self.follow = Some(self.selected()?.id);
        let deal = self.selected()?;
        let stage = &self.columns.get(to)?.stage;
        if to == self.column {
            return None;
        }
        Some(if stage.is_won {
            Action::Show(Popup::confirm_win(deal.id, &deal.title))
        } else if stage.is_lost {
            Action::Show(Popup::Prompt(Prompt::lose(deal.id)))
        } else {
            Action::Do(Command::MoveDeal(deal.id, stage.name.clone()))
        })
    }

    pub(crate) fn handle_key(&mut self, key: KeyEvent) -> Option<Action> {
        let last_column = self.columns.len().saturating_sub(1);
        let shift = key.modifiers.contains(KeyModifiers::SHIFT);
        match key.code {
            KeyCode::Left if shift => return self.move_to(self.column.checked_sub(1)?),
            KeyCode::Right if shift => return self.move_to(self.column + 1),
            KeyCode::Char('<' | 'H') => return self.move_to(self.column.checked_sub(1)?),
            KeyCode::Char('>' | 'L') => return self.move_to(self.column + 1),
            KeyCode::Left | KeyCode::Char('h') => self.column = self.column.saturating_sub(1),
            KeyCode::Right | KeyCode::Char('l') => self.column = (self.column + 1).min(last_column),
            KeyCode::Down | KeyCode::Char('j') => {
                let len = self.columns.get(self.column).map_or(0, |c| c.deals.len());
                if let Some(row) = self.rows.get_mut(self.column) {
                    *row = (*row + 1).min(len.saturating_sub(1));
                }
            }
            KeyCode::Up | KeyCode::Char('k') => {
                if let Some(row) = self.rows.get_mut(self.column) {
                    *row = row.saturating_sub(1);
                }
            }
            KeyCode::Enter => {
                return self
                    .selected()
                    .map(|d| Action::Open(RecordRef::new(EntityKind::Deal, d.id.0)));
            }
            KeyCode::Char('w') => {
                let won = self.columns.iter().position(|c| c.stage.is_won)?;
                return self.move_to(won);
            }
            KeyCode::Char('x') => {
                let lost = self.columns.iter().position(|c| c.stage.is_lost)?;
                return self.move_to(lost);
            }
            KeyCode::Char('a') => return Some(Action::Show(Popup::Form(Form::new_deal(None)))),
            KeyCode::Char('v') => return Some(Action::DealList),
            _ => {}
        }
        None
    }

    /// The (column, card row) under a point of the body, if any.
    fn hit(&self, body: Rect, x: u16, y: u16) -> (Option<usize>, Option<usize>) {
        let (first, count, each) = visible(body.width, self.columns.len(), self.column);
        if x < body.x || y < body.y || each == 0 {
            return (None, None);
        }
        let offset = usize::from((x - body.x) / each);
        if offset >= count {
            return (None, None);
        }
        let column = first + offset;
        // Cards start below the border; each takes CARD_ROWS rows.
        let row = y
            .checked_sub(body.y + 1)
            .map(|r| usize::from(r / CARD_ROWS));
        let row = row.filter(|r| self.columns.get(column).is_some_and(|c| *r < c.deals.len()));
        (Some(column), row)
    }

    pub(crate) fn handle_mouse(&mut self, mouse: MouseEvent, body: Rect) -> Option<Action> {
        let (column, row) = self.hit(body, mouse.column, mouse.row);
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                let column = column?;
                self.column = column;
                if let Some(row) = row {
                    self.rows[column] = row;
                    self.dragging = Some((column, row));
                }
            }
            MouseEventKind::Up(MouseButton::Left) => {
                let from = self.dragging.take()?;
                let to = column?;
                if to != from.0 {
                    self.column = from.0;
                    self.rows[from.0] = from.1;
                    return self.move_to(to);
                }
            }
            MouseEventKind::ScrollDown => return self.handle_key(KeyEvent::from(KeyCode::Down)),
            MouseEventKind::ScrollUp => return self.handle_key(KeyEvent::from(KeyCode::Up)),
            _ => {}
        }
        None
    }

    pub(crate) fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        if let Some(error) = &self.error {
            Paragraph::new(fit(error, usize::from(area.width)))
                .style(theme.bad())
                .render(area, buf);
            return;
        }
        let (first, count, each) = visible(area.width, self.columns.len(), self.column);
        for (offset, column) in self.columns.iter().enumerate().skip(first).take(count) {
            let x = area.x + each * u16::try_from(offset - first).unwrap_or(0);
            let width = if offset - first + 1 == count {
                area.right() - x
            } else {
                each
            };
            let rect = Rect::new(x, area.y, width, area.height);
            self.draw_column(offset, column, rect, buf, theme);
        }
        if first > 0 {
            buf.set_string(area.x, area.y, "◀", theme.accent());
        }
        if first + count < self.columns.len() {
            buf.set_string(area.right().saturating_sub(1), area.y, "▶", theme.accent());
        }
    }

    fn draw_column(
        &self,
        index: usize,
        column: &BoardColumn,
        rect: Rect,
        buf: &mut Buffer,
        theme: Theme,
    ) {
        let focused = index == self.column;
        let currency = column
            .deals
            .first()
            .map_or("INR".to_string(), |d| d.currency.to_string());
        let title = format!(
            " {} ({}) {} ",
            column.stage.name,
            column.count,
            compact_money(column.total, &currency)
        );
        let width = usize::from(rect.width.saturating_sub(2));
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(if focused {
                theme.focus_border()
            } else {
                theme.border()
            })
            .title(Span::styled(
                fit(&title, width),
                if focused {
                    theme.title()
                } else {
                    theme.heading()
                },
            ));
        let inner = block.inner(rect);
        block.render(rect, buf);
        let fits = usize::from(inner.height / CARD_ROWS);
        let selected = self.rows.get(index).copied().unwrap_or(0);
        let skip = (selected + 1).saturating_sub(fits.max(1));
        let mut lines = Vec::new();
        for (row, deal) in column.deals.iter().enumerate().skip(skip).take(fits) {
            let style = if focused && row == selected {
                theme.selected()
            } else {
                theme.heading()
            };
            lines.push(Line::from(Span::styled(
                format!("{:<width$}", fit(&deal.title, width)),
                style,
            )));
            let detail = format!(
                "{} · {}",
                crm_core::Money::new(deal.amount, deal.currency),
                deal.contact.as_deref().unwrap_or("no contact")
            );
            lines.push(Line::from(Span::styled(fit(&detail, width), theme.dim())));
            lines.push(Line::from(""));
        }
        let more = usize::try_from(column.count)
            .unwrap_or(0)
            .saturating_sub(skip + lines.len() / 3);
        if column.deals.is_empty() {
            lines.push(Line::from(Span::styled("no deals", theme.dim())));
        } else if more > 0 && lines.len() / 3 < usize::from(inner.height / CARD_ROWS) + 1 {
            lines.push(Line::from(Span::styled(
                format!("+{more} more"),
                theme.dim(),
            )));
        }
        Paragraph::new(lines).render(inner, buf);
    }
}

impl Body for PipelineScreen {
    fn section(&self) -> Option<Section> {
        Some(Section::Pipeline)
    }

    fn reload(&mut self, ctx: &Ctx<'_>) {
        PipelineScreen::reload(self, ctx);
    }

    fn handle_key(&mut self, key: KeyEvent, _ctx: &Ctx<'_>) -> Option<Action> {
        PipelineScreen::handle_key(self, key)
    }

    fn handle_mouse(&mut self, mouse: MouseEvent, body: Rect, _ctx: &Ctx<'_>) -> Option<Action> {
        PipelineScreen::handle_mouse(self, mouse, body)
    }

    fn keys(&self) -> Vec<(&'static str, &'static str)> {
        KEYS.to_vec()
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        PipelineScreen::draw(self, area, buf, theme);
    }

    fn focus(&self) -> Option<RecordRef> {
        self.selected()
            .map(|d| RecordRef::new(EntityKind::Deal, d.id.0))
    }
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn narrow_terminals_show_fewer_columns_and_follow_the_focus() {
        assert_eq!(visible(80, 6, 0), (0, 3, 26));
        assert_eq!(visible(80, 6, 4), (2, 3, 26));
        assert_eq!(visible(144, 6, 5), (1, 5, 28));
        assert_eq!(visible(200, 6, 0).1, 6);
    }
}
