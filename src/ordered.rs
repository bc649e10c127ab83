//! Work on many items on every core, handing the results on in item order.

use std::collections::BTreeMap;
use std::num::NonZero;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError, mpsc};

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
    let workers = std::thread::available_parallelism()
        .map_or(1, NonZero::get)
        .min(items.len());
    if workers <= 1 {
        // One item (a pre-commit hook) or one core: no threads to start.
        return items.iter().try_for_each(|item| emit(item, work(item)));
    }
    let window = window.max(workers);
    let taken = AtomicUsize::new(0);
    // How many results were emitted, and whether to stop, under one lock so
    // that a worker waiting for the window cannot miss either.
    let progress = Mutex::new(Progress::default());
    let moved = Condvar::new();
    let lock = || progress.lock().unwrap_or_else(PoisonError::into_inner);

    std::thread::scope(|scope| {
        let (sender, results) = mpsc::channel();
        for _ in 0..workers {
            let sender = sender.clone();
            let (taken, moved, work) = (&taken, &moved, &work);
            scope.spawn(move || {
                loop {
                    let index = taken.fetch_add(1, Ordering::Relaxed);
                    if index >= items.len() {
                        return;
                    }
                    let mut seen = lock();
                    while index >= seen.emitted + window && !seen.stop {
                        seen.waiting += 1;
                        seen = moved.wait(seen).unwrap_or_else(PoisonError::into_inner);
                        seen.waiting -= 1;
                    }
                    let stop = seen.stop;
                    drop(seen);
                    if stop {
                        return;
                    }
                    if sender.send((index, work(&items[index]))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);

        let mut waiting = BTreeMap::new();
        let mut next = 0;
        for (index, result) in &results {
            waiting.insert(index, result);
            while let Some(result) = waiting.remove(&next) {
                if let Err(err) = emit(&items[next], result) {
                    lock().stop = true;
                    moved.notify_all();
                    return Err(err);
                }
                next += 1;
                let mut seen = lock();
                seen.emitted = next;
                // Waking is a system call: only when a worker waits.
                if seen.waiting > 0 {
                    moved.notify_all();
                }
            }
        }
        Ok(())
    })
}

#[derive(Default)]
struct Progress {
    emitted: usize,
    /// Workers waiting for the window to move.
    waiting: usize,
    stop: bool,
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
}
