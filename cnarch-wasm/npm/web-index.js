// Browser and bundler entry: instantiate the module once (top-level await), then expose the
// same API as the Node build.
import init from "./cnarch.js";

await init({ module_or_path: new URL("./cnarch_bg.wasm", import.meta.url) });

export * from "./cnarch.js";
