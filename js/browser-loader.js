// The browser entry's wasm: `loader(glue)` returns `load(input)`, which instantiates the glue from `input`
// (anything the glue takes: a URL, a Response or its promise, bytes, a WebAssembly.Module), or when absent from
// the package's own file; once a load is under way, `input` is only used if that one fails.
export function loader(glue) {
  let loading;
  const instantiate = async (input) => {
    await glue.default({ module_or_path: input ?? (await packagedWasm()) });
  };
  return (input) => {
    if (loading === undefined) loading = instantiate(input);
    else if (input !== undefined) loading = loading.catch(() => instantiate(input));
    return loading;
  };
}

// The package's wasm beside this module. Bundlers that follow `new URL(literal, import.meta.url)` (Vite, webpack,
// Parcel) copy it and rewrite the URL; esbuild and Rollup leave it, and the page then needs init().
async function packagedWasm() {
  let url;
  try {
    url = new URL('../pkg/web/aicc_call_bg.wasm', import.meta.url);
  } catch {
    throw new Error('aicc-call: this bundle has no import.meta.url to find the wasm from; call init() with the URL of \'aicc-call/wasm\' (README "Install")');
  }
  const answer = await fetch(url);
  if (isWasm(answer)) return answer;
  const copy = prebundledCopy(url);
  if (copy) {
    const second = await fetch(copy);
    if (isWasm(second)) return second;
  }
  throw new Error(`aicc-call: ${url} answered HTTP ${answer.status} ${answer.headers.get('content-type') ?? ''}, not the wasm; call init() with the URL of 'aicc-call/wasm' (README "Install")`);
}

function isWasm(answer) {
  return answer.ok && !/^text\/html\b/i.test(answer.headers.get('content-type') ?? '');
}

// Vite 5 to 7 pre-bundle this module in dev into <root>/node_modules/.vite/deps/ and leave the wasm behind (their
// dev server answers its URL with index.html): the package's own file is then in <root>/node_modules/aicc-call/.
function prebundledCopy(url) {
  const left = /\/node_modules\/\.vite\/pkg\/web\/aicc_call_bg\.wasm$/;
  if (!left.test(url.pathname)) return undefined;
  const copy = new URL(url);
  copy.pathname = url.pathname.replace(left, '/node_modules/aicc-call/pkg/web/aicc_call_bg.wasm');
  return copy;
}
