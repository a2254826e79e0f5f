//! Any bytes read as a Terraform `.tf` file: must never panic, hang or blow up memory.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        vigil_iac::scan::read_one("main.tf", text);
    }
});
