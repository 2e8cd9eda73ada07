//! Doubling pauses between tries, capped: how the console waits for a database that is
//! gone (a purge reconnecting, a commit whose answer was lost, the worker's link).

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Backoff {
    next: Duration,
    longest: Duration,
}

impl Backoff {
    pub fn new(first: Duration, longest: Duration) -> Self {
        Self {
            next: first,
            longest,
        }
    }

    /// The pause before the next try: the first, then twice the last, up to the longest.
    pub fn next_pause(&mut self) -> Duration {
        let pause = self.next;
        self.next = self.next.saturating_mul(2).min(self.longest);
        pause
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_the_cap() {
        let mut pauses = Backoff::new(Duration::from_millis(200), Duration::from_secs(5));
        let seen: Vec<u128> = (0..8).map(|_| pauses.next_pause().as_millis()).collect();
        assert_eq!(seen, [200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000]);
    }
}
