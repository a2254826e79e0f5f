//! The time, as every report and journal entry writes it; apart from the
//! commands so the journal can stamp entries without importing them.

/// Now, as RFC 3339, for reports' start and finish times and journal entries.
pub(crate) fn timestamp() -> String {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default()
}
