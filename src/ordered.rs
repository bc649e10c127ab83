//! Work on many items on every core, handing the results on in item order.

use std::collections::BTreeMap;
use std::num::NonZero;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, mpsc};

/// Runs `work` on every item on all cores and calls `emit` with each result
/// in item order, on the calling thread.
///
/// At most `window` items are taken and not yet emitted at any time, so
/// memory does not grow with the number of items, however slow one item is.
/// Workers never wait for each other, only for the window. The first error
/// `emit` returns stops the work and is returned.
pub fn for_each<T, R, E>(
    items: &[T],
    window: usize,
    work: impl Fn(&T) -> R + Sync,
    mut emit: impl FnMut(&T, R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
{
    let cores = std::thread::available_parallelism().map_or(1, NonZero::get);
    if cores <= 1 || items.len() <= 1 {
        // One item (a pre-commit hook) or one core: no threads to start.
        return items.iter().try_for_each(|item| emit(item, work(item)));
    }
    // The calling thread works too, between emitting results: one thread
    // per core in all, and a worker's result wakes no one while the caller
    // is busy (waking it for each item had cost a context switch per file).
    let workers = (cores - 1).min(items.len() - 1);
    let window = window.max(cores);
    let taken = AtomicUsize::new(0);
    let gate = Gate::default();

    std::thread::scope(|scope| {
        let (sender, results) = mpsc::channel();
        for _ in 0..workers {
            let sender = sender.clone();
            let (taken, gate, work) = (&taken, &gate, &work);
            let spawned = std::thread::Builder::new()
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, move || {
                    // A panicking worker stops the others, which would otherwise
                    // wait for its item forever; the scope then re-raises the panic.
                    let _stop_on_panic = StopOnPanic(gate);
                    loop {
                        let index = taken.fetch_add(1, Ordering::Relaxed);
                        if index >= items.len() || !gate.wait_for(index, window) {
                            return;
                        }
                        if sender.send((index, work(&items[index]))).is_err() {
                            return;
                        }
                    }
                });
            // A worker the system would not start leaves its share to the
            // calling thread.
            drop(spawned);
        }
        drop(sender);

        // The workers must not wait at the gate for a caller that is gone.
        let _stop_on_panic = StopOnPanic(&gate);
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        while next < items.len() {
            waiting.extend(results.try_iter());
            while let Some(result) = waiting.remove(&next) {
                if let Err(err) = emit(&items[next], result) {
                    gate.stop();
                    return Err(err);
                }
                next += 1;
                gate.emitted(next);
            }
            if next == items.len() {
                break;
            }
            // Take the next item within the window, or wait for a worker's.
            let limit = items.len().min(next + window);
            let mine = taken.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
                (t < limit).then_some(t + 1)
            });
            match mine {
                Ok(index) => {
                    waiting.insert(index, work(&items[index]));
                }
                Err(_) => match results.recv() {
                    Ok((index, result)) => {
                        waiting.insert(index, result);
                    }
                    // Every worker has ended and the next result is not
                    // here: one panicked, which the scope re-raises.
                    Err(_) => break,
                },
            }
        }
        Ok(())
    })
}

/// Parsing recurses once per level of YAML nesting, up to the parser's depth
/// budget; the main thread's 8 MiB holds that in a debug build, a spawned
/// thread's default 2 MiB does not.
const WORKER_STACK: usize = 16 << 20;

/// Where workers wait for the window to move. The count of emitted results
/// and the stop flag share one lock, so that a waiting worker misses neither.
#[derive(Default)]
struct Gate {
    progress: Mutex<Progress>,
    moved: Condvar,
}

#[derive(Default)]
struct Progress {
    emitted: usize,
    /// Workers waiting for the window to move.
    waiting: usize,
    stop: bool,
}

impl Gate {
    fn lock(&self) -> MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until item `index` is within `window` of the next one to emit;
    /// false when the run stopped instead.
    fn wait_for(&self, index: usize, window: usize) -> bool {
        let mut progress = self.lock();
        while index >= progress.emitted + window && !progress.stop {
            progress.waiting += 1;
            progress = self
                .moved
                .wait(progress)
                .unwrap_or_else(PoisonError::into_inner);
            progress.waiting -= 1;
        }
        !progress.stop
    }

    fn emitted(&self, count: usize) {
        let mut progress = self.lock();
        progress.emitted = count;
        // Waking is a system call: only when a worker waits.
        if progress.waiting > 0 {
            self.moved.notify_all();
        }
    }

    fn stop(&self) {
        self.lock().stop = true;
        self.moved.notify_all();
    }
}

struct StopOnPanic<'a>(&'a Gate);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    #[test]
    fn results_come_in_item_order_even_when_early_items_are_slow() {
        let items: Vec<u64> = (0..200).collect();
        let mut seen = Vec::new();
        for_each(
            &items,
            8,
            |&i| {
                if i % 17 == 0 {
                    std::thread::sleep(Duration::from_millis(2));
                }
                i * 10
            },
            |&i, result| {
                assert_eq!(result, i * 10);
                seen.push(i);
                Ok::<_, ()>(())
            },
        )
        .expect("no emit error");
        assert_eq!(seen, items);
    }

    #[test]
    fn no_more_than_the_window_is_in_flight() {
        let items: Vec<usize> = (0..300).collect();
        let live = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        for_each(
            &items,
            5,
            |_| {
                let now = live.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_micros(50));
            },
            |_, ()| {
                live.fetch_sub(1, Ordering::SeqCst);
                Ok::<_, ()>(())
            },
        )
        .expect("no emit error");
        let workers = std::thread::available_parallelism().map_or(1, NonZero::get);
        assert!(most.load(Ordering::SeqCst) <= 5.max(workers));
    }

    #[test]
    fn the_first_emit_error_stops_the_run() {
        let items: Vec<usize> = (0..10_000).collect();
        let worked = AtomicUsize::new(0);
        let mut emitted = 0;
        let result = for_each(
            &items,
            16,
            |_| worked.fetch_add(1, Ordering::Relaxed),
            |_, _| {
                emitted += 1;
                if emitted == 3 { Err("closed") } else { Ok(()) }
            },
        );
        assert_eq!(result, Err("closed"));
        assert_eq!(emitted, 3);
        assert!(
            worked.load(Ordering::Relaxed) < 100,
            "work went on after the error"
        );
    }

    #[test]
    fn no_items_and_one_item() {
        let none: [u8; 0] = [];
        for_each(&none, 4, |_| (), |_, ()| Err("never called")).expect("nothing to emit");
        let mut seen = Vec::new();
        for_each(
            &[7],
            4,
            |&i| i + 1,
            |_, r| {
                seen.push(r);
                Ok::<_, ()>(())
            },
        )
        .expect("no emit error");
        assert_eq!(seen, [8]);
    }

    #[test]
    fn a_panic_in_the_work_reaches_the_caller() {
        let items: Vec<usize> = (0..1000).collect();
        let outcome = std::panic::catch_unwind(|| {
            for_each(
                &items,
                2,
                |&i| assert!(i != 5, "item 5 is bad"),
                |_, ()| Ok::<_, ()>(()),
            )
        });
        assert!(outcome.is_err(), "the panic was swallowed");
    }

    #[test]
    fn a_panic_in_the_calling_thread_s_share_stops_the_workers() {
        let items: Vec<usize> = (0..1000).collect();
        // Workers are unnamed; the test's own thread is named after the test.
        let outcome = std::panic::catch_unwind(|| {
            for_each(
                &items,
                2,
                |_| assert!(std::thread::current().name().is_none(), "caller fails"),
                |_, ()| Ok::<_, ()>(()),
            )
        });
        assert!(outcome.is_err(), "the panic was swallowed");
    }
}
