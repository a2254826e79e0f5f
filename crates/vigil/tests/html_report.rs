//! `--format html`: one self-contained page, rendered by a real headless
//! Chromium (Debian's `chromium`): every model is in it, the table filters
//! and sorts in the page (driven through the URL fragment the page reads),
//! and a content security policy forbids every fetch.

mod support;

use std::process::Command;
use support::seed;
use support::{vigil, Emulator};

/// Chromium: `VIGIL_CHROMIUM`, else `chromium` or `chromium-browser` on the PATH.
fn chromium() -> String {
    if let Ok(path) = std::env::var("VIGIL_CHROMIUM") {
        return path;
    }
    ["chromium", "chromium-browser"]
        .into_iter()
        .find(|name| {
            Command::new("which")
                .arg(name)
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("no Chromium: install the Debian package chromium, or set VIGIL_CHROMIUM")
        .to_owned()
}

/// The DOM after the page's script ran, for `page#fragment`.
fn rendered(page: &std::path::Path, fragment: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium())
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}#{fragment}", page.display()))
        .output()
        .expect("running chromium");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The resource names of the table rows that are shown, in order.
fn shown(dom: &str) -> Vec<String> {
    dom.split("<tr data-status=")
        .skip(1)
        .filter(|row| !row.split('>').next().unwrap().contains("hidden"))
        .map(|row| {
            let at = row.find("data-resource=\"").unwrap() + "data-resource=\"".len();
            row[at..].split('"').next().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn chromium_renders_every_model_and_the_table_filters_and_sorts() {
    let emulator = Emulator::start();
    let names = seed::six_models(&emulator.url);
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let out = vigil(&[
        "audit",
        "--format",
        "html",
        "--output",
        &page.display().to_string(),
        "--regions",
        "eu-west-1",
        "--endpoint-url",
        &emulator.url,
        "--rules",
        "sagemaker-model-network-isolation",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(&page).unwrap();
    // Nothing to fetch: no external script, style, image or font, and a policy that forbids it.
    assert!(html.contains("default-src 'none'"));
    for outside in ["src=", "<link", "@import", "url(", "href=\"http"] {
        assert!(
            !html.contains(outside),
            "the page refers to something outside: {outside}"
        );
    }

    let all = rendered(&page, "");
    let mut every = shown(&all);
    every.sort();
    assert_eq!(every, names);
    assert!(all.contains("<span id=\"shown\">6</span>"));
    assert!(
        all.contains("id=\"rule-sagemaker-model-network-isolation\""),
        "the article is there"
    );

    let failing = rendered(&page, "status=fail&sort=resource&dir=desc");
    assert_eq!(shown(&failing), ["e", "c", "a"]);
    assert!(failing.contains("<span id=\"shown\">3</span>"));
    let searched = rendered(&page, "q=model/d");
    assert_eq!(shown(&searched), ["d"]);
}
