// The demo page: load the example into the text area, validate it with cnarch, render the
// documents or every violation.
import { load, version } from "../pkg/web/index.js";

const $ = (id) => document.getElementById(id);

function rows(table, cells) {
  const body = table.querySelector("tbody");
  body.replaceChildren(
    ...cells.map((row) => {
      const tr = document.createElement("tr");
      for (const text of row) {
        const td = document.createElement("td");
        td.textContent = String(text);
        tr.append(td);
      }
      return tr;
    }),
  );
  table.hidden = cells.length === 0;
}

function validateSpec() {
  rows($("summary"), []);
  rows($("violations"), []);
  const status = $("status");
  try {
    const docs = load($("spec").value);
    status.className = "ok";
    status.textContent = `valid: ${docs.length} documents`;
    rows($("summary"), docs.map((d) => [d.kind, d.name ?? "-"]));
  } catch (e) {
    status.className = "bad";
    if (e.name === "ValidationError") {
      status.textContent = `invalid: ${e.violations.length} violations`;
      rows($("violations"), e.violations.map((v) => [v.document, v.path, v.code, v.message]));
    } else {
      const where = e.position ? ` (line ${e.position.line}, column ${e.position.column})` : "";
      status.textContent = `${e.name}: ${e.message}${where}`;
    }
  }
}

async function loadExample() {
  const response = await fetch("../../examples/architecture.yaml");
  $("spec").value = await response.text();
  validateSpec();
}

$("version").textContent = version();
$("example").addEventListener("click", loadExample);
$("validate").addEventListener("click", validateSpec);
await loadExample();
