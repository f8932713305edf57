// The demo: <aicc-click-to-call> (aicc-call/widget) on the edge gateway, with the page's session token; the
// number fields and the simulator's panel are the demo's own.
import '/js/widget.js';

const $ = (id) => document.getElementById(id);
const phone = $('phone');
const numbers = { caller: $('agent-number'), called: $('customer-number') };

const config = await (await fetch('/config.json', { cache: 'no-store' })).json();
phone.setAttribute('base-url', `${config.gatewayUrl}/aicc`);
phone.token = async () => config.sessionToken;
$('session').textContent = `Agent ${config.agentWorkNo ?? '—'} · ${new URL(config.gatewayUrl).host}`;
$('simulated').hidden = $('demo').hidden = !config.demo;

for (const [attribute, input] of Object.entries(numbers)) {
  const copy = () => phone.setAttribute(attribute, input.value.trim());
  input.addEventListener('input', copy);
  copy();
}
phone.addEventListener('aicc-placed', (event) => {
  $('serial').textContent = event.detail.callSerialNo ?? '—';
});
phone.addEventListener('click', () => {
  $('lose-status').textContent = '';
});
$('lose-answer').addEventListener('click', async () => {
  const answer = await fetch('/demo/lose-next-answer', { cache: 'no-store' });
  $('lose-status').textContent = answer.ok ? 'The next call\'s answer will be lost.' : 'The simulator did not answer.';
});
