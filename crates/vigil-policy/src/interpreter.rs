//! The Rego interpreter as every policy gets it: its time limit, and the
//! built-ins that could build a value too large for memory in one call
//! capped (a loop is stopped by the time limit; one call is not). No
//! built-in that reads files, the network, the clock's zones or the
//! environment is compiled in (see the crate's features).

use regorus::{Engine, Value};
use std::time::Duration;

/// How long a policy may take on one resource before it is stopped and
/// the resource's verdict is unknown.
pub const LIMIT: Duration = Duration::from_secs(2);

/// The most numbers `numbers.range` and `numbers.range_step` may make.
pub const MAX_RANGE: i64 = 100_000;

/// An interpreter holding these files (a policy and the libraries it may
/// import; or a folder's policies and tests), limited.
pub(crate) fn with(sources: &[(String, String)]) -> anyhow::Result<Engine> {
    let mut engine = Engine::new();
    engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
        limit: LIMIT,
        check_interval: std::num::NonZeroU32::MIN,
    });
    engine.add_extension("numbers.range".into(), 2, Box::new(|args: Vec<Value>| range(&args, 1)))?;
    engine.add_extension(
        "numbers.range_step".into(),
        3,
        Box::new(|args: Vec<Value>| {
            let step = integer(&args[2], "numbers.range_step")?;
            anyhow::ensure!(step > 0, "numbers.range_step: the step must be positive");
            range(&args, step)
        }),
    )?;
    for (file, source) in sources {
        engine.add_policy(file.clone(), source.clone())?;
    }
    Ok(engine)
}

fn integer(value: &Value, name: &str) -> anyhow::Result<i64> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| anyhow::anyhow!("{name}: {} is not a whole number", n.format_decimal())),
        _ => anyhow::bail!("{name}: operands must be numbers"),
    }
}

/// The numbers from the first argument to the second, both included.
fn range(args: &[Value], step: i64) -> anyhow::Result<Value> {
    let name = if step == 1 {
        "numbers.range"
    } else {
        "numbers.range_step"
    };
    let (from, to) = (integer(&args[0], name)?, integer(&args[1], name)?);
    let count = from.abs_diff(to) / step.unsigned_abs() + 1;
    anyhow::ensure!(
        count <= MAX_RANGE as u64,
        "{name} would make {count} numbers; a policy may make at most {MAX_RANGE}"
    );
    let step = if to >= from { step } else { -step };
    let mut numbers = Vec::with_capacity(count as usize);
    let mut n = from;
    for _ in 0..count {
        numbers.push(Value::from(n));
        n += step;
    }
    Ok(Value::from(numbers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_made_both_ways_and_capped() {
        let numbers = |from: i64, to: i64, step: i64| range(&[Value::from(from), Value::from(to)], step);
        let list = |items: &[i64]| Value::from(items.iter().map(|n| Value::from(*n)).collect::<Vec<_>>());
        assert_eq!(numbers(1, 3, 1).unwrap(), list(&[1, 2, 3]));
        assert_eq!(numbers(3, 1, 1).unwrap(), list(&[3, 2, 1]));
        assert_eq!(numbers(0, 10, 5).unwrap(), list(&[0, 5, 10]));
        let err = numbers(1, 1_000_000_000_000, 1).unwrap_err().to_string();
        assert!(err.contains("at most 100000"), "{err}");
    }
}
