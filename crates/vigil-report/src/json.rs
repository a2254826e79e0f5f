//! The JSON report: the serialised `Report`, whose shape README.md documents.

use vigil_core::Report;

/// The report as JSON, written into `out` as it is serialised (a report of
/// 100,000 findings is never held as one string).
pub fn write_json(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}

pub fn render_json(report: &Report) -> String {
    let mut out = Vec::new();
    write_json(report, &mut out).expect("a report always serialises");
    String::from_utf8(out).expect("JSON is UTF-8")
}
