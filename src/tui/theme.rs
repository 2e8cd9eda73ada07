//! Styles and glyphs chosen from the environment: only the 16 ANSI colours (so any
//! terminal and any SSH hop renders them), none at all under `NO_COLOR`, and ASCII
//! borders and spinner when the locale is not UTF-8.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

#[derive(Debug, Clone)]
pub struct Theme {
    pub color: bool,
    pub unicode: bool,
}

impl Theme {
    pub fn from_env() -> Self {
        let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Self {
            color,
            unicode: locale_is_utf8(),
        }
    }

    /// Plain and ASCII: what render tests use so snapshots do not depend on the host.
    pub fn plain() -> Self {
        Self {
            color: false,
            unicode: false,
        }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            self.fg(Color::DarkGray)
        }
    }

    /// A pane's frame: the theme's borders, highlighted when focused, and its title.
    pub fn pane<'a>(
        &self,
        title: impl Into<ratatui::text::Line<'a>>,
        focused: bool,
    ) -> ratatui::widgets::Block<'a> {
        ratatui::widgets::Block::bordered()
            .border_set(self.border_set())
            .border_style(self.border(focused))
            .title(title)
    }

    pub fn border_set(&self) -> border::Set<'static> {
        if self.unicode {
            border::ROUNDED
        } else {
            border::Set {
                top_left: "+",
                top_right: "+",
                bottom_left: "+",
                bottom_right: "+",
                vertical_left: "|",
                vertical_right: "|",
                horizontal_top: "-",
                horizontal_bottom: "-",
            }
        }
    }

    pub fn header(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn null(&self) -> Style {
        self.fg(Color::DarkGray).add_modifier(Modifier::ITALIC)
    }

    pub fn muted(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn warning(&self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn accent(&self) -> Style {
        self.fg(Color::Cyan)
    }

    /// The production marker: white on red, so nobody mistakes the database.
    pub fn production(&self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn read_only(&self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn spinner_frame(&self, tick: u64) -> &'static str {
        const UNICODE: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
        const ASCII: [&str; 4] = ["|", "/", "-", "\\"];
        if self.unicode {
            UNICODE[(tick % UNICODE.len() as u64) as usize]
        } else {
            ASCII[(tick % ASCII.len() as u64) as usize]
        }
    }

    /// Separates items in titles and footers.
    pub fn dot(&self) -> &'static str {
        if self.unicode { " · " } else { " | " }
    }

    pub fn ellipsis(&self) -> &'static str {
        if self.unicode { "…" } else { "..." }
    }
}

/// Makes every cell ASCII: the console's one-cell glyphs become their nearest ASCII
/// look-alike, anything else (data beyond ASCII) `?`. A wide character's trailing cell
/// is already blank, so the layout stays as drawn.
pub fn ascii_only(buffer: &mut ratatui::buffer::Buffer) {
    for cell in &mut buffer.content {
        if !cell.symbol().is_ascii() {
            let plain = cell.symbol().chars().next().map_or("?", ascii_look_alike);
            cell.set_symbol(plain);
        }
    }
}

fn ascii_look_alike(glyph: char) -> &'static str {
    match glyph {
        '·' | '•' => "-",
        '→' | '▸' | '›' => ">",
        '←' | '‹' => "<",
        '…' => ".",
        '─' | '━' | '—' | '–' => "-",
        '│' | '┃' | '▏' => "|",
        '╭' | '╮' | '╰' | '╯' | '┌' | '┐' | '└' | '┘' | '┼' => "+",
        '█' | '▇' | '▆' | '▅' => "#",
        '▄' | '▃' => "=",
        '▂' | '▁' => "_",
        '░' => ".",
        '✗' => "x",
        '✓' => "v",
        '↻' => "@",
        '≥' => ">",
        '≤' => "<",
        _ => "?",
    }
}

/// The first of LC_ALL, LC_CTYPE, LANG that is set decides, as in C's setlocale.
fn locale_is_utf8() -> bool {
    for var in ["LC_ALL", "LC_CTYPE", "LANG"] {
        if let Ok(value) = std::env::var(var)
            && !value.is_empty()
        {
            let v = value.to_ascii_lowercase();
            return v.contains("utf-8") || v.contains("utf8");
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_only_keeps_glyph_shapes_and_marks_foreign_data() {
        let mut buffer = ratatui::buffer::Buffer::with_lines(["Chloé · 写真 ╭─│ 100%█░"]);
        ascii_only(&mut buffer);
        let text: String = buffer.content.iter().map(|c| c.symbol()).collect();
        assert!(text.is_ascii(), "{text}");
        assert!(text.starts_with("Chlo? - ?"), "{text}");
        assert!(text.contains("+-| 100%#."), "{text}");
    }
}
