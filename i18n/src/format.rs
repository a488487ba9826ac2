use crate::{Lang, t};
use time::OffsetDateTime;

/// A whole number as the language writes it: `12,345` in English, `12.345` in Dutch.
pub fn number(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let separator = match lang {
        Lang::En => ',',
        Lang::Nl => '.',
    };
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        grouped.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    grouped
}

/// A moment as pages show it, in UTC to the minute: `1 December 2026, 17:50 UTC`, or
/// `1 december 2026, 17:50 UTC`.
pub fn date_time(lang: Lang, at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    t!(
        lang,
        "date-time",
        day = i64::from(at.day()),
        month = month(lang, at.month()),
        year = i64::from(at.year()),
        time = format!("{:02}:{:02}", at.hour(), at.minute())
    )
}

fn month(lang: Lang, month: time::Month) -> String {
    t!(lang, "month-name", month = i64::from(u8::from(month)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn numbers_are_grouped_the_languages_way() {
        assert_eq!(number(Lang::En, 0), "0");
        assert_eq!(number(Lang::En, 999), "999");
        assert_eq!(number(Lang::En, 12345), "12,345");
        assert_eq!(number(Lang::Nl, 1234567), "1.234.567");
        assert_eq!(number(Lang::Nl, -1000), "-1.000");
    }

    #[test]
    fn dates_name_their_month_in_the_language() {
        let at = datetime!(2026-12-01 17:05 UTC);
        assert_eq!(date_time(Lang::En, at), "1 December 2026, 17:05 UTC");
        assert_eq!(date_time(Lang::Nl, at), "1 december 2026, 17:05 UTC");
        let at = datetime!(2026-03-09 00:00 +02:00);
        assert_eq!(date_time(Lang::Nl, at), "8 maart 2026, 22:00 UTC");
    }
}
