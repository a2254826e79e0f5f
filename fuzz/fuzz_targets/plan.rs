//! Any bytes read as a Terraform plan JSON file: must never panic, hang or blow up memory.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let text = format!("{{\"format_version\": \"1.2\", \"resource_changes\": [{text}]}}");
        vigil_iac::scan::read_one("plan.json", &text);
    }
});
