//! Running a future against a stop signal (an abort, a deadline): whichever ends first wins.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

/// Which of two futures ended first.
pub(crate) enum Either<A, B> {
    /// The first one.
    Left(A),
    /// The second one.
    Right(B),
}

/// Runs two futures until the first one ends; the other is dropped (which cancels it).
pub(crate) async fn first_of<A: Future, B: Future>(a: A, b: B) -> Either<A::Output, B::Output> {
    let (mut a, mut b) = (pin!(a), pin!(b));
    poll_fn(|cx| {
        if let Poll::Ready(value) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(value));
        }
        b.as_mut().poll(cx).map(Either::Right)
    })
    .await
}
