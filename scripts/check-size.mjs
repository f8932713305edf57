// The size check of `npm test`, after the build: the browser payload (the wasm and every JS module
// js/browser.js loads, gzip -9 file by file) against its budget of 60 KiB (issue 13), and what the widget
// (js/widget.js and what it loads beyond the browser entry) adds, against its 6 KiB (issue 23).
//
// Until the payload is within the budget, the check fails above CEILING, the size already reached: a ratchet
// that catches any regression and is lowered with each saving (and becomes the budget once it is met).
import { entrySizes, widgetSize, BUDGET_GZIP, WIDGET_BUDGET_GZIP } from './payload.mjs';

// 82,178 after js/deferred.js was folded into js/runtime.js; issue 23's placeCall session in every entry adds
// about 2,750 B (js/call-session.js 2,273 B, the core's state machine 332 B of wasm, the client hook).
// 85,350 with placeCall; then 87,543: the core's option rules and unknown-option refusals with the nearest name
// (issue 22 item 6, about 1.6 KB), callRecords' paging and the caller's frames in an error's stack (about 0.7 KB).
// 86,713 with serde-wasm-bindgen results and field-by-field requests; 87,149 with placeCall's options checked by
// the core before its createCall (checkPlaceCallOptions: 382 B of wasm, 40 B of glue, 14 B of JS); then about
// 127 B more for fetch(url, init) with fetch.js's refusal of what a Request would refuse: 87,276. 85,943 with
// talc as the wasm's allocator instead of dlmalloc (1,333 B less). 85,960 with the ±2^53 rule named for whole-number
// inputs. 85,491 with a second wasm-opt after the renaming (--flatten --rereloop -Oz -Oz, 436 B less);
// 85,501 with parse-json.js's check for a bare long number (10 B); 85,571 with fetch.js's URLs checked once each
// (61 B; about 16 µs a call less in workerd, where parsing a URL is a call into the runtime).
const CEILING = 85_580;

const { browser } = entrySizes();
for (const f of [...browser.wasm.files, ...browser.js.files]) {
  console.log(`${String(f.gzip).padStart(7)} B gzip  ${String(f.raw).padStart(7)} B raw  ${f.file}`);
}
for (const f of browser.onDemand.files) {
  console.log(`${String(f.gzip).padStart(7)} B gzip  ${String(f.raw).padStart(7)} B raw  ${f.file} (only in pages that use its export)`);
}
const total = browser.total.gzip;
const limit = Math.max(BUDGET_GZIP, CEILING);
console.log(`browser payload: ${total} B gzip (${(total / 1024).toFixed(1)} KiB); budget ${BUDGET_GZIP} B (60 KiB)` +
  (total <= BUDGET_GZIP ? ': within budget' : `: ${total - BUDGET_GZIP} B over budget, ratchet ceiling ${CEILING} B`));
if (total > limit) {
  console.error(`browser payload grew past ${limit} B by ${total - limit} B`);
  process.exit(1);
}

const widget = widgetSize();
console.log(`widget: ${widget.gzip} B gzip (${widget.files.map((f) => `${f.file} ${f.gzip}`).join(', ')}) beyond the browser payload; budget ${WIDGET_BUDGET_GZIP} B`);
if (widget.gzip > WIDGET_BUDGET_GZIP) {
  console.error(`the widget is over its budget by ${widget.gzip - WIDGET_BUDGET_GZIP} B`);
  process.exit(1);
}
