//! Work shared out among threads in consecutive parts, the results kept in order, and the
//! joining of a scoped thread. Only with the `render` feature.
#![cfg(feature = "render")]

/// `f` applied to `items` in consecutive parts of at least `least` items, one part per thread
/// on up to `threads` threads (the first part on this one), the results joined in the items'
/// order; `None` if any part gives `None`. A thread's panic is raised again here.
pub(super) fn in_parts<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    least: usize,
    f: impl Fn(&[T]) -> Option<Vec<R>> + Sync,
) -> Option<Vec<R>> {
    let per = items.len().div_ceil(threads.max(1)).max(least.max(1));
    let mut parts = items.chunks(per);
    let first = parts.next().unwrap_or_default();
    let f = &f;
    std::thread::scope(|s| {
        let others: Vec<_> = parts.map(|part| s.spawn(move || f(part))).collect();
        let mut all = f(first)?;
        for other in others {
            all.extend(joined(other)?);
        }
        Some(all)
    })
}

/// What a scoped thread gave; its panic is raised again here.
pub(super) fn joined<T>(thread: std::thread::ScopedJoinHandle<T>) -> T {
    thread
        .join()
        .unwrap_or_else(|p| std::panic::resume_unwind(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_joined_in_order_and_any_none_is_none() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled = in_parts(&items, 3, 10, |p| Some(p.iter().map(|x| 2 * x).collect()));
        assert_eq!(doubled, Some(items.iter().map(|x| 2 * x).collect()));
        let refused = in_parts(&items, 3, 10, |p| (!p.contains(&900)).then(|| p.to_vec()));
        assert_eq!(refused, None);
        let none: Vec<u32> = Vec::new();
        assert_eq!(in_parts(&none, 2, 1, |p| Some(p.to_vec())), Some(vec![]));
    }
}
