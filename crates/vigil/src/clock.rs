//! The time, as every report, journal entry and store record writes it;
//! apart from the commands so the journal can stamp entries without
//! importing them.

use time::OffsetDateTime;

/// Now, for reports' start and finish times, journal entries and the store.
pub(crate) fn timestamp() -> String {
    format(OffsetDateTime::now_utc())
}

/// RFC 3339 in UTC with milliseconds, always the same width, so that the
/// store can compare and sort times as text.
pub(crate) fn format(at: OffsetDateTime) -> String {
    let utc = at.to_offset(time::UtcOffset::UTC);
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    utc.format(&format).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_sort_as_text() {
        let earlier = super::format(time::macros::datetime!(2026-11-27 14:00:00 UTC));
        let later = super::format(time::macros::datetime!(2026-11-27 14:00:00.5 UTC));
        assert_eq!(earlier, "2026-11-27T14:00:00.000Z");
        assert!(earlier < later);
    }
}
