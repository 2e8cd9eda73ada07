//! The status bar: where the console is connected, whether it may write, whether work is
//! pending, and the last thing that went wrong.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::theme::Theme;

#[derive(Debug, Default)]
pub struct StatusBar {
    pub backend: String,
    pub database: String,
    pub read_only: bool,
    /// The config marks this database as production: shown in red, first.
    pub production: Option<String>,
    pub last_error: Option<String>,
    pub notice: Option<String>,
    /// The database link is lost and being tried again: said before anything else.
    pub link: Option<String>,
    /// Who the console acts as: the database role the server authenticated, and the
    /// OS account (from the real uid).
    pub who: Option<String>,
}

impl StatusBar {
    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, busy: bool, tick: u64) {
        let mut spans = Vec::new();
        if let Some(name) = &self.production {
            spans.push(Span::styled(
                format!(" PRODUCTION {name} "),
                theme.production(),
            ));
            spans.push(Span::raw(" "));
        }
        spans.extend([
            Span::styled(format!(" {} ", self.backend), theme.accent()),
            Span::raw(self.database.clone()),
            Span::raw(" "),
        ]);
        if self.read_only {
            spans.push(Span::styled(" READ-ONLY ", theme.read_only()));
            spans.push(Span::raw(" "));
        }
        if busy {
            spans.push(Span::styled(
                format!("{} working ", theme.spinner_frame(tick)),
                theme.accent(),
            ));
        }
        if let Some(link) = &self.link {
            spans.push(Span::styled(link.clone(), theme.error()));
        } else if let Some(e) = &self.last_error {
            spans.push(Span::styled(format!("error: {e}"), theme.error()));
        } else if let Some(n) = &self.notice {
            spans.push(Span::styled(n.clone(), theme.warning()));
        } else {
            spans.push(Span::styled(
                format!("? help{}q quit", theme.dot()),
                theme.muted(),
            ));
        }
        // Last: on a narrow terminal a message matters more than who is asking.
        if let Some(who) = &self.who {
            spans.push(Span::styled(format!("{}{who}", theme.dot()), theme.muted()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }
}
