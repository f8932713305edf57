// The test page of <aicc-click-to-call>: records the events it sends (caught on the document, so they bubble
// out of the shadow root) and the live intervals (none may be left behind), then sets the element up.
const live = new Set();
const setI = window.setInterval.bind(window);
const clearI = window.clearInterval.bind(window);
window.setInterval = (...args) => {
  const id = setI(...args);
  live.add(id);
  return id;
};
window.clearInterval = (id) => {
  live.delete(id);
  clearI(id);
};
window.liveIntervals = () => live.size;
window.events = [];
window.clicks = []; // aria-disabled of the element's call button at each click on it
document.addEventListener('click', (e) => {
  const target = e.composedPath()[0];
  if (target.getAttribute?.('part') === 'button') window.clicks.push(target.getAttribute('aria-disabled'));
}, true);
for (const type of ['aicc-placed', 'aicc-state', 'aicc-ended', 'aicc-unknown', 'aicc-resolved', 'aicc-error']) {
  document.addEventListener(type, (e) => window.events.push({ type, detail: JSON.parse(JSON.stringify(e.detail ?? null)), composed: e.composed }));
}
const config = await (await fetch('/config.json')).json();
await import('/js/widget.js');
const widget = document.getElementById('w');
widget.setAttribute('base-url', `${config.gatewayUrl}/aicc`);
widget.token = async () => config.sessionToken;
window.widgetReady = true;
