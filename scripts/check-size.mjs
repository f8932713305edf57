// The size check of `npm test`: fails when the browser payload (the wasm and every JS module js/browser.js
// loads, gzip -9 file by file) is above its 60 KiB budget. Run after the build.
import { entrySizes, BUDGET_GZIP } from './payload.mjs';

const { browser } = entrySizes();
for (const f of [...browser.wasm.files, ...browser.js.files]) {
  console.log(`${String(f.gzip).padStart(7)} B gzip  ${String(f.raw).padStart(7)} B raw  ${f.file}`);
}
const total = browser.total.gzip;
console.log(`browser payload: ${total} B gzip (${(total / 1024).toFixed(1)} KiB) / budget ${BUDGET_GZIP} B (60 KiB)`);
if (total > BUDGET_GZIP) {
  console.error(`browser payload is ${total - BUDGET_GZIP} B over its budget`);
  process.exit(1);
}
