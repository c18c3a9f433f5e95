// Service worker: after one visit the whole site works offline (guidance pages, self-assessments
// with their Python, templates). The build writes this file to the site root, preceded by
//   const VERSION = "…"; const PRECACHE = [ …every file of this build… ];
// A new build is a new VERSION: it installs beside the old one, then replaces it whole, so a
// teacher never runs pages of one version with assets of another.

const CACHE = `kasibi-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // "no-cache" asks the server whether its copy changed: a stale copy never enters a new version,
    // and what the page itself has just downloaded (Pyodide, 13 MB) is not sent twice.
    await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "no-cache" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("kasibi-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  return cache.match(request, { ignoreSearch: true });
}

// Pages: the network first, so a deployed version shows at once; this version's copy when offline.
async function page(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await fromCache(request);
    if (cached) return cached;
    throw error;
  }
}

// Assets: their names change with their content, so the cached copy is always right.
async function asset(request) {
  return (await fromCache(request)) ?? fetch(request);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(request.mode === "navigate" ? page(request) : asset(request));
});
