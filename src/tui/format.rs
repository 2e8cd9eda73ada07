//! Numbers and ages the way operators read them.

pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// [`thousands`] for counts, which are unsigned.
pub fn count(n: u64) -> String {
    thousands(i64::try_from(n).unwrap_or(i64::MAX))
}

/// `45s`, `12m`, `3h`, `5d`, `2y`: the largest unit that fits, no fractions.
pub fn age(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "?".into();
    }
    if seconds < 0.0 {
        return "future".into();
    }
    let s = seconds as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3_600 => format!("{}m", s / 60),
        3_600..86_400 => format!("{}h", s / 3_600),
        86_400..31_557_600 => format!("{}d", s / 86_400),
        _ => format!("{}y", s / 31_557_600),
    }
}

/// Cuts to `width` display columns, marking the cut.
pub fn fit(text: &str, width: usize, ellipsis: &str) -> String {
    use unicode_width::UnicodeWidthStr;
    if text.width() <= width {
        return text.to_owned();
    }
    let room = width.saturating_sub(ellipsis.width());
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(ch);
    }
    out.push_str(ellipsis);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(-1000), "-1,000");
        assert_eq!(thousands(12), "12");
        assert_eq!(age(59.0), "59s");
        assert_eq!(age(3.0 * 86_400.0), "3d");
        assert_eq!(age(2.5 * 31_557_600.0), "2y");
        assert_eq!(age(-5.0), "future");
        assert_eq!(fit("abcdef", 4, "…"), "abc…");
        assert_eq!(fit("ab", 4, "…"), "ab");
    }
}
