//! `vigil policy test`: a team's policy tests, run as `opa test` runs them.

use crate::exit;
use std::path::PathBuf;

pub fn test(paths: &[PathBuf]) -> anyhow::Result<u8> {
    // Every policy must load as a run would load it, tests or not.
    if let Err(err) = vigil_policy::load(paths) {
        eprintln!("vigil: error: {}", vigil_report::safe(&err.to_string()));
        return Ok(exit::USAGE);
    }
    let outcomes = match vigil_policy::run_tests(paths) {
        Ok(outcomes) => outcomes,
        Err(err) => {
            eprintln!("vigil: error: {}", vigil_report::safe(&err.to_string()));
            return Ok(exit::USAGE);
        }
    };
    let mut out = String::new();
    for outcome in &outcomes {
        match &outcome.failure {
            None => out.push_str(&format!("PASS {}\n", outcome.test)),
            Some(why) => out.push_str(&format!("FAIL {}: {}\n", outcome.test, vigil_report::safe(why))),
        }
    }
    let failed = outcomes.iter().filter(|o| o.failure.is_some()).count();
    out.push_str(&format!(
        "{} test{}, {} passed, {failed} failed\n",
        outcomes.len(),
        if outcomes.len() == 1 { "" } else { "s" },
        outcomes.len() - failed
    ));
    crate::output::write(None, &out)?;
    Ok(match (outcomes.is_empty(), failed) {
        (true, _) => {
            eprintln!("vigil: error: no test_* rule in any *_test.rego file under the paths given");
            exit::USAGE
        }
        (false, 0) => exit::CLEAN,
        (false, _) => exit::FAILURES,
    })
}
