//! Any bytes read as a CloudFormation YAML/JSON file: must never panic, hang or blow up memory.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        // Make the cheap pre-filter pass so the parser always runs.
        let text = format!("Resources:\n{text}");
        vigil_iac::scan::read_one("fuzz.yaml", &text);
        vigil_iac::scan::read_one("fuzz.json", text.trim_start_matches("Resources:\n"));
    }
});
