// Browsers run a module script (the engine's worker, Pyodide's .mjs files) only when the server
// gives it a JavaScript MIME type; many intranet servers do not know `.mjs`. This finds the type a
// server gives, so the page can tell the IT person what to fix instead of a bare browser error.

const JAVASCRIPT = /^(text|application)\/(x-)?(javascript|ecmascript)$/;

// The type the server gives `url` when it is not JavaScript; null when it is (or cannot be asked).
export async function wrongScriptType(url) {
  try {
    let response = await fetch(url, { method: "HEAD", cache: "no-store" });
    if (!response.ok) response = await fetch(url, { cache: "no-store" });
    const type = (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    return response.ok && !JAVASCRIPT.test(type) ? type || "(none)" : null;
  } catch {
    return null;
  }
}

// How browsers word a module script they refused to load.
export function isModuleLoadError(error) {
  return /imported module|module script/i.test(String(error?.message ?? error));
}
