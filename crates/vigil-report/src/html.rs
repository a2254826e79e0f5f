//! A self-contained HTML report for people: one file that opens offline and
//! from a mail attachment (inline style, script and SVG; a content security
//! policy forbids every fetch), with a summary, charts, a findings table
//! that sorts and filters in the page, and the rules' articles.

use std::collections::BTreeMap;
use std::fmt::Write;
use vigil_core::{Finding, Report, Rule, Status};

/// Runs of the findings store, oldest first: when each finished and how
/// many failures were open after it, for the trend chart.
pub type Trend = [(String, i64)];

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1d2330}h1{margin:0 0 .2em}\
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border-bottom:1px solid #dde;padding:.3em .6em;text-align:left;vertical-align:top}\
th{cursor:pointer;background:#f3f4f8;user-select:none}.fail{color:#b3261e;font-weight:600}.pass{color:#1e7b34}.unknown{color:#9a6700}\
.suppressed{color:#666}.grid{display:flex;gap:2em;flex-wrap:wrap}.muted{color:#666}pre{background:#f6f8fa;padding:.6em;overflow:auto}\
input,select{font:inherit;padding:.2em .4em;margin-right:.6em}section.article{border-top:1px solid #dde;margin-top:1.5em}";

/// Sorting and filtering, and the same from the URL fragment
/// (`#status=fail&sort=resource&dir=desc&q=text`) so a link keeps a view.
const SCRIPT: &str = r#"
const body = document.querySelector('#findings tbody');
const rows = Array.from(body.rows);
const status = document.getElementById('status'), query = document.getElementById('q');
let sortKey = null, desc = false;
function apply() {
  const want = status.value, q = query.value.toLowerCase();
  const sorted = rows.slice();
  if (sortKey) {
    sorted.sort((a, b) => a.dataset[sortKey].localeCompare(b.dataset[sortKey], undefined, {numeric: true}));
    if (desc) sorted.reverse();
  }
  for (const row of sorted) {
    body.appendChild(row);
    row.hidden = (want && row.dataset.status !== want) || (q && !row.textContent.toLowerCase().includes(q));
  }
  document.getElementById('shown').textContent = sorted.filter(r => !r.hidden).length;
}
document.querySelectorAll('#findings th').forEach(th => th.addEventListener('click', () => {
  desc = sortKey === th.dataset.key ? !desc : false; sortKey = th.dataset.key; apply();
}));
status.addEventListener('change', apply); query.addEventListener('input', apply);
const hash = new URLSearchParams(location.hash.slice(1));
if (hash.get('status')) status.value = hash.get('status');
if (hash.get('q')) query.value = hash.get('q');
if (hash.get('sort')) { sortKey = hash.get('sort'); desc = hash.get('dir') === 'desc'; }
apply();
"#;

/// Text made safe for HTML, whatever it holds.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A chart label of at most 30 characters: long ones keep their end (the
/// file name of a path, the last words of a rule id).
fn label(text: &str) -> String {
    let count = text.chars().count();
    match count > 30 {
        true => format!("…{}", text.chars().skip(count - 29).collect::<String>()),
        false => text.to_owned(),
    }
}

/// A horizontal bar chart as inline SVG; nothing when there is nothing to
/// tell apart (no values, or one unnamed one).
fn bars(title: &str, values: &[(String, usize, &str)]) -> String {
    if values.is_empty() || (values.len() == 1 && values[0].0 == "-") {
        return String::new();
    }
    let max = values.iter().map(|v| v.1).max().unwrap_or(0).max(1);
    let height = 22 * values.len() + 8;
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg role=\"img\" width=\"500\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(title)
    );
    for (i, (name, value, colour)) in values.iter().enumerate() {
        let (y, width) = (4 + 22 * i, 1 + 240 * value / max);
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\" font-size=\"11\">{}</text><rect x=\"210\" y=\"{y}\" width=\"{width}\" height=\"16\" fill=\"{colour}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{value}</text>",
            y + 12,
            esc(&label(name)),
            216 + width,
            y + 12
        );
    }
    svg + "</svg></figure>"
}

/// Open failures per recorded run, as an inline SVG line.
fn trend(points: &Trend) -> String {
    if points.len() < 2 {
        return String::new();
    }
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1) as f64;
    let step = 400.0 / (points.len() - 1) as f64;
    let path: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, (_, open))| {
            format!(
                "{:.1},{:.1}",
                10.0 + step * i as f64,
                110.0 - 100.0 * *open as f64 / max
            )
        })
        .collect();
    format!(
        "<figure><figcaption>Open failures after each recorded run ({} runs, {} to {})</figcaption><svg role=\"img\" width=\"420\" height=\"120\" xmlns=\"http://www.w3.org/2000/svg\"><polyline fill=\"none\" stroke=\"#b3261e\" stroke-width=\"2\" points=\"{}\"/></svg></figure>",
        points.len(),
        esc(points[0].0.get(..10).unwrap_or_default()),
        esc(points[points.len() - 1].0.get(..10).unwrap_or_default()),
        path.join(" ")
    )
}

fn status_of(f: &Finding) -> &'static str {
    if f.suppressed {
        "suppressed"
    } else {
        f.status.as_str()
    }
}

/// Counts of findings by a key, most first.
fn count_by(findings: &[Finding], key: impl Fn(&Finding) -> String) -> Vec<(String, usize, &'static str)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for f in findings {
        *counts.entry(key(f)).or_default() += 1;
    }
    let mut list: Vec<(String, usize, &str)> = counts.into_iter().map(|(k, n)| (k, n, "#4f6bd8")).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

/// A rule's article, from its Markdown: paragraphs and code blocks.
fn article(rule: &Rule) -> String {
    let mut out = format!(
        "<section class=\"article\" id=\"rule-{0}\"><h3>{1}</h3><p class=\"muted\">{0}</p>",
        esc(rule.id),
        esc(rule.title)
    );
    for (heading, body) in rule.article.sections() {
        let _ = write!(out, "<h4>{}</h4>", esc(heading));
        for (i, part) in body.split("```").enumerate() {
            if i % 2 == 1 {
                let code = part.split_once('\n').map_or(part, |(_, rest)| rest);
                let _ = write!(out, "<pre>{}</pre>", esc(code.trim_end()));
            } else {
                for paragraph in part.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
                    let _ = write!(out, "<p>{}</p>", esc(&paragraph.replace('\n', " ")));
                }
            }
        }
    }
    out + "</section>"
}

/// The whole report as one HTML page; `trend` from the store, if any.
pub fn render_html(report: &Report, trend_points: &Trend) -> String {
    // A page is one document: its findings are held to be drawn.
    let findings: Vec<Finding> = report.findings.iter().map(std::borrow::Cow::into_owned).collect();
    let findings = &findings;
    let mut page = String::from("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    page.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">");
    let scope = report.account.clone().unwrap_or_else(|| "templates".into());
    let _ = write!(
        page,
        "<title>Vigil {} report</title><style>{STYLE}</style></head><body><h1>Vigil {} report</h1><p class=\"muted\">{} · {} to {} · Vigil {}</p>",
        esc(report.command),
        esc(report.command),
        esc(&scope),
        esc(&report.started_at),
        esc(&report.finished_at),
        env!("CARGO_PKG_VERSION")
    );
    let c = &report.summary.counts;
    let by_status = vec![
        ("fail".to_owned(), c.fail, "#b3261e"),
        ("unknown".to_owned(), c.unknown, "#9a6700"),
        ("pass".to_owned(), c.pass, "#1e7b34"),
        ("suppressed".to_owned(), c.suppressed, "#888"),
    ];
    let open: Vec<Finding> = findings.iter().filter(|f| f.is_open_failure()).cloned().collect();
    page.push_str("<div class=\"grid\">");
    page.push_str(&bars("Findings by status", &by_status));
    page.push_str(&bars("Open failures by risk", &count_by(&open, |f| f.risk.to_string())));
    page.push_str(&bars(
        "Open failures by rule",
        &count_by(&open, |f| f.rule.id.to_owned()),
    ));
    let place = |f: &Finding| {
        f.resource
            .region
            .clone()
            .or_else(|| f.location.as_ref().map(|l| l.file.clone()))
    };
    page.push_str(&bars(
        "Open failures by region or file",
        &count_by(&open, |f| place(f).unwrap_or_default()),
    ));
    page.push_str(&bars(
        "Open failures by account",
        &count_by(&open, |f| f.resource.account.clone().unwrap_or_else(|| "-".into())),
    ));
    page.push_str(&trend(trend_points));
    page.push_str("</div>");
    let _ = write!(
        page,
        "<h2>Findings (<span id=\"shown\">{}</span> of {})</h2><p><input id=\"q\" placeholder=\"Filter\"><select id=\"status\"><option value=\"\">every status</option><option>fail</option><option>unknown</option><option>pass</option><option>suppressed</option></select></p>",
        findings.len(),
        findings.len()
    );
    page.push_str("<table id=\"findings\"><thead><tr>");
    for (key, heading) in [
        ("status", "Status"),
        ("risk", "Risk"),
        ("rule", "Rule"),
        ("resource", "Resource"),
        ("place", "Region / file"),
        ("account", "Account"),
    ] {
        let _ = write!(page, "<th data-key=\"{key}\">{heading}</th>");
    }
    page.push_str("<th>Detail</th>");
    page.push_str("</tr></thead><tbody>");
    for f in findings {
        let status = status_of(f);
        let place = match &f.location {
            Some(l) => format!("{}:{}", l.file, l.line),
            None => f.resource.region.clone().unwrap_or_default(),
        };
        let account = f.resource.account.clone().unwrap_or_default();
        let mut detail = esc(&f.message);
        if f.is_open_failure() {
            let _ = write!(
                detail,
                "<br><span class=\"muted\">what to do: {}</span>",
                esc(&crate::text::what_to_do(f))
            );
        }
        if let Status::Unknown { reason } = &f.status {
            let _ = write!(
                detail,
                "<br><span class=\"unknown\">why unknown: {}</span>",
                esc(reason)
            );
        }
        if let Some(s) = &f.suppression {
            let _ = write!(
                detail,
                "<br><span class=\"suppressed\">suppressed: {}</span>",
                esc(&s.reason)
            );
        }
        let _ = write!(
            page,
            "<tr data-status=\"{status}\" data-risk=\"{}\" data-rule=\"{rule}\" data-resource=\"{name}\" data-place=\"{place}\" data-account=\"{account}\"><td class=\"{status}\">{status}</td><td>{}</td><td><a href=\"#rule-{rule}\">{rule}</a></td><td>{name}{arn}</td><td>{place}</td><td>{account}</td><td>{detail}</td></tr>",
            f.risk as u8,
            f.risk,
            rule = esc(f.rule.id),
            name = esc(&f.resource.name),
            arn = f.resource.arn.as_deref().map_or(String::new(), |a| format!("<br><span class=\"muted\">{}</span>", esc(a))),
            place = esc(&place),
            account = esc(&account),
        );
    }
    page.push_str("</tbody></table><h2>Rules</h2>");
    let mut rules: Vec<&Rule> = findings.iter().map(|f| f.rule).collect();
    rules.sort_by_key(|r| r.id);
    rules.dedup();
    for rule in rules {
        page.push_str(&article(rule));
    }
    let _ = writeln!(page, "<script>{SCRIPT}</script></body></html>");
    page
}
