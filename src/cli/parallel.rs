//! Work spread over threads with results in input order, for the commands that go through a
//! list of independent inputs (`report`'s datasets, `revman`'s reviews).

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// The number of threads for `--jobs`: the value given, else the number of cores the system
/// reports (1 when it reports none).
pub(super) fn threads(jobs: Option<NonZeroUsize>) -> usize {
    jobs.or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get)
}

/// `f` applied to every item on up to `threads` scoped threads, each taking the next item not
/// yet taken, and `each` called on the calling thread with every item's index and result in
/// the order of `items`, as soon as that item and all before it are done (a result that comes
/// early waits in memory for those before it). A panic in `f` or `each` is passed on once
/// every thread has stopped.
pub(super) fn for_each_in_order<T, R, F, E>(items: &[T], threads: usize, f: F, mut each: E)
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
    E: FnMut(usize, R),
{
    let workers = threads.clamp(1, items.len().max(1));
    if workers == 1 {
        for (k, item) in items.iter().enumerate() {
            each(k, f(item));
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let (next, f) = (&next, &f);
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|s| {
        for _ in 0..workers {
            let tx = tx.clone();
            s.spawn(move || loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(k) else { break };
                if tx.send((k, f(item))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut early = BTreeMap::new();
        let mut due = 0;
        for (k, r) in rx {
            early.insert(k, r);
            while let Some(r) = early.remove(&due) {
                each(due, r);
                due += 1;
            }
        }
    });
}

/// `f` applied to every item on up to `threads` threads ([`for_each_in_order`]), the results
/// in the order of `items`.
pub(super) fn map_in_order<T, R, F>(items: &[T], threads: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let mut out = Vec::with_capacity(items.len());
    for_each_in_order(items, threads, f, |_, r| out.push(r));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order_whatever_the_thread_count() {
        let items: Vec<u64> = (0..100).collect();
        for threads in [1, 2, 7, 200] {
            let out = map_in_order(&items, threads, |&x| {
                // Later items finish first.
                std::thread::sleep(std::time::Duration::from_micros(100 - x));
                x * x
            });
            assert_eq!(out, items.iter().map(|x| x * x).collect::<Vec<_>>());
        }
        assert!(map_in_order(&[] as &[u8], 4, |&x| x).is_empty());
    }

    #[test]
    fn each_result_is_handed_over_in_input_order_as_soon_as_it_is_due() {
        let items: Vec<u64> = (0..50).collect();
        let mut seen = Vec::new();
        for_each_in_order(
            &items,
            4,
            |&x| {
                std::thread::sleep(std::time::Duration::from_micros((x * 37) % 200));
                x + 1
            },
            |k, r| seen.push((k, r)),
        );
        let want: Vec<(usize, u64)> = items.iter().map(|&x| (x as usize, x + 1)).collect();
        assert_eq!(seen, want);
    }
}
