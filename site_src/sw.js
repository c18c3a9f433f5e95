// Service worker: after one visit the whole site works offline (guidance pages, self-assessments
// with their Python, templates). The build writes this file to the site root, preceded by
//   const VERSION = "…"; const PRECACHE = [ …every file of this build… ];
// A new build is a new VERSION: it installs beside the old one and takes over; pages of one
// version get that version's assets (their folder names carry their digest), and the old cache
// stays while a tab opened before the update still runs the old pages.

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

// A tab opened before this version took over still runs the old pages and asks for the old
// assets (the deployed folder no longer has them): an older version's cache is deleted only once
// every open tab was loaded by this version.
const loadedHere = new Set(); // ids of the tabs whose page this worker served (lost when it stops: then caches stay longer)

async function deleteUnusedCaches() {
  const tabs = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  if (tabs.some((tab) => !loadedHere.has(tab.id))) return;
  for (const name of await caches.keys()) {
    if (name.startsWith("kasibi-") && name !== CACHE) await caches.delete(name);
  }
}

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    await self.clients.claim();
    await deleteUnusedCaches();
  })());
});

// This version's copy first, then an older version's (for a tab still running it).
async function fromCache(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request, { ignoreSearch: true })) ?? caches.match(request, { ignoreSearch: true });
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
  if (request.mode !== "navigate") {
    event.respondWith(asset(request));
    return;
  }
  event.respondWith(page(request));
  if (event.resultingClientId) {
    loadedHere.add(event.resultingClientId);
    event.waitUntil(deleteUnusedCaches());
  }
});
