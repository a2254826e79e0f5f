//! HCL parsing with a deadline. hcl-edit backtracks, and some malformed
//! inputs (found by fuzzing: a few dozen unclosed blocks) take exponential
//! time, so parsing runs on a small pool of long-lived threads and a caller
//! gives up at the deadline. A worker stuck on such an input is abandoned
//! (it ends with the process) and replaced, so later files are not delayed.
//! A pool rather than a thread per file: spawning one per `.tf` file cost
//! more than the parsing in large repositories.

use hcl_edit::parser::Error;
use hcl_edit::structure::Body;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// The parser recurses once per nesting level; the scanner's depth limit
/// keeps that far below this.
const STACK_BYTES: usize = 8 * 1024 * 1024;

type Reply = Sender<Result<Body, Error>>;

struct Pool {
    jobs: Mutex<Sender<(String, Reply)>>,
    queue: Arc<Mutex<Receiver<(String, Reply)>>>,
}

static POOL: OnceLock<Pool> = OnceLock::new();

fn pool() -> &'static Pool {
    POOL.get_or_init(|| {
        let (jobs, queue) = channel();
        let pool = Pool {
            jobs: Mutex::new(jobs),
            queue: Arc::new(Mutex::new(queue)),
        };
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get()) + 1;
        for _ in 0..workers {
            pool.add_worker();
        }
        pool
    })
}

impl Pool {
    fn add_worker(&self) {
        let queue = self.queue.clone();
        // If no thread can be started, callers time out and say so.
        let _ = std::thread::Builder::new()
            .name("vigil-hcl".into())
            .stack_size(STACK_BYTES)
            .spawn(move || loop {
                let job = queue.lock().map(|q| q.recv());
                let Ok(Ok((text, reply))) = job else { return };
                let _ = reply.send(hcl_edit::parser::parse_body(&text));
            });
    }
}

/// `None` when parsing did not finish within `deadline`.
pub fn parse(text: &str, deadline: Duration) -> Option<Result<Body, Error>> {
    let pool = pool();
    let (reply, answer) = channel();
    pool.jobs.lock().ok()?.send((text.to_owned(), reply)).ok()?;
    match answer.recv_timeout(deadline) {
        Ok(parsed) => Some(parsed),
        Err(_) => {
            pool.add_worker();
            None
        }
    }
}
