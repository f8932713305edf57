//! The executor and the promise futures of the bindings, over `host.js`: every callback from JS into the wasm
//! enters through it, so a callback of an instance that trapped is dropped and a trap inside one is reported to
//! js/runtime.js (wasm-bindgen-futures' executor calls back through `queueMicrotask` directly, where neither
//! can be done without editing the generated glue).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use js_sys::Promise;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/host.js")]
extern "C" {
    fn schedule(callback: &Closure<dyn FnMut()>);
    fn settle(promise: &JsValue, callback: &JsValue);
    #[wasm_bindgen(js_name = startTimer)]
    pub(crate) fn start_timer(callback: &Closure<dyn FnMut()>, ms: u32) -> JsValue;
}

type Task = Pin<Box<dyn Future<Output = ()>>>;

/// A task's place: a slot is reused once its task has ended (a waker left over then polls the next task of the
/// slot once more, which a future allows).
enum Slot {
    Free,
    Polling,
    Waiting(Task),
}

thread_local! {
    static TASKS: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
    static READY: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
    static SCHEDULED: Cell<bool> = const { Cell::new(false) };
    static RUN: Closure<dyn FnMut()> = Closure::new(run_ready);
}

/// Wakes one task: it is polled in the next microtask.
struct TaskWaker(usize);

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        ready(self.0);
    }
}

fn ready(id: usize) {
    READY.with(|r| r.borrow_mut().push(id));
    if !SCHEDULED.with(|s| s.replace(true)) {
        RUN.with(schedule);
    }
}

fn set_slot(id: usize, slot: Slot) {
    TASKS.with(|t| {
        if let Some(place) = t.borrow_mut().get_mut(id) {
            *place = slot;
        }
    });
}

/// The task waiting in `id`, now marked as being polled (none for a slot that is free or being polled).
fn take_waiting(id: usize) -> Option<Task> {
    TASKS.with(|t| match t.borrow_mut().get_mut(id) {
        Some(place @ Slot::Waiting(_)) => match std::mem::replace(place, Slot::Polling) {
            Slot::Waiting(task) => Some(task),
            _ => None,
        },
        _ => None,
    })
}

#[inline(never)]
fn run_ready() {
    SCHEDULED.with(|s| s.set(false));
    let ids = READY.with(|r| std::mem::take(&mut *r.borrow_mut()));
    for id in ids {
        let Some(mut task) = take_waiting(id) else { continue };
        let waker = Waker::from(Arc::new(TaskWaker(id)));
        let next = if task.as_mut().poll(&mut Context::from_waker(&waker)).is_pending() { Slot::Waiting(task) } else { Slot::Free };
        set_slot(id, next);
    }
}

/// Runs `task` to its end, starting in the next microtask.
#[inline(never)]
fn spawn(task: Task) {
    let id = TASKS.with(|t| {
        let mut tasks = t.borrow_mut();
        match tasks.iter().position(|slot| matches!(slot, Slot::Free)) {
            Some(free) => {
                if let Some(place) = tasks.get_mut(free) {
                    *place = Slot::Waiting(task);
                }
                free
            }
            None => {
                tasks.push(Slot::Waiting(task));
                tasks.len() - 1
            }
        }
    });
    ready(id);
}

/// A Promise of `future`'s result.
pub(crate) fn to_promise(future: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    settle_into_promise(Box::pin(future))
}

#[inline(never)]
fn settle_into_promise(future: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>) -> Promise {
    let mut settlers = None;
    let promise = Promise::new(&mut |resolve, reject| settlers = Some((resolve, reject)));
    if let Some((resolve, reject)) = settlers {
        spawn(Box::pin(async move {
            let _ = match future.await {
                Ok(value) => resolve.call1(&JsValue::UNDEFINED, &value),
                Err(error) => reject.call1(&JsValue::UNDEFINED, &error),
            };
        }));
    }
    promise
}

#[derive(Default)]
struct Outcome {
    result: Option<Result<JsValue, JsValue>>,
    waker: Option<Waker>,
    /// Kept until JS calls it, then dropped by itself: its wasm memory is freed at once, not at garbage collection.
    callback: Option<Closure<dyn FnMut(bool, JsValue)>>,
}

/// A JS promise (or any value, as `await` takes it) as a future of its value or its rejection.
pub(crate) struct Settled(Rc<RefCell<Outcome>>);

impl Settled {
    #[inline(never)]
    pub(crate) fn new(promise: &JsValue) -> Settled {
        let slot = Rc::new(RefCell::new(Outcome::default()));
        let filled = slot.clone();
        let callback = Closure::<dyn FnMut(bool, JsValue)>::new(move |ok: bool, value: JsValue| {
            let (waker, itself) = {
                let mut outcome = filled.borrow_mut();
                outcome.result = Some(if ok { Ok(value) } else { Err(value) });
                (outcome.waker.take(), outcome.callback.take())
            };
            drop(itself);
            if let Some(waker) = waker {
                waker.wake();
            }
        });
        settle(promise, callback.as_ref());
        slot.borrow_mut().callback = Some(callback);
        Settled(slot)
    }
}

impl Future for Settled {
    type Output = Result<JsValue, JsValue>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut outcome = self.0.borrow_mut();
        match outcome.result.take() {
            Some(result) => Poll::Ready(result),
            None => {
                outcome.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

#[wasm_bindgen(module = "/src/host.js")]
extern "C" {
    #[wasm_bindgen(js_name = hooks)]
    fn host_module_hooks() -> JsValue;
}

/// `{ setTrapHandler, abandonInstance }` of `host.js`, for js/runtime.js.
#[wasm_bindgen(js_name = hostHooks)]
pub fn host_hooks() -> JsValue {
    host_module_hooks()
}
