import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const vectors = (name) => JSON.parse(readFileSync(join(root, "testdata", name), "utf8"));
export const read = (rel) => readFileSync(join(root, rel), "utf8");

// The Node build of the package as built by build.sh.
export const cnarch = createRequire(import.meta.url)("../pkg/node/cnarch.js");
// The package's second module, cnarch/eventsourcing (Node build).
export const eventsourcing = createRequire(import.meta.url)("../pkg/node/eventsourcing.js");
