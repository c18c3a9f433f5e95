// Service worker: after one visit to a self-assessment, the whole site works offline (guidance
// pages, every self-assessment with its Python, templates). The build writes this file to the
// site root, preceded by
//   const VERSION = "…"; const PRECACHE = [ …the pages and assets… ]; const ENGINE = [ …the engine… ];
//   const SNAPSHOT = "…/engine/snapshot.bin";
// PRECACHE is fetched at install: it holds no engine file, so reading one page never downloads
// Pyodide. ENGINE (the Pyodide runtime and the site's Python) is kept as the engine's own worker
// fetches it on an instrument page; an instrument page opened before this worker took over asks
// it to fetch the engine afterwards ({type: "cache-engine"}). SNAPSHOT (the engine's memory at
// start, 6 MB) is kept the same way but only ever fetched when the engine's worker asks for it.
// A new build is a new VERSION: it installs beside the old one and takes over; pages of one
// version get that version's assets (their folder names carry their digest), and the old cache
// stays while a tab opened before the update still runs the old pages. The runtime's cache is
// named by its folder (assets/pyodide-<version>/), so a new build of the site reuses it.

const CACHE = `kasibi-${VERSION}`;
const scope = new URL(self.registration.scope);
const snapshotFile = new URL(SNAPSHOT, scope).href;
const engineFiles = new Set([...ENGINE.map((path) => new URL(path, scope).href), snapshotFile]);
const RUNTIME = /(^|\/)(assets\/pyodide-[^/]+)\//;

// The cache a file belongs in: the runtime's own, or this version's.
function cacheName(url) {
  const runtime = new URL(url).pathname.slice(scope.pathname.length).match(RUNTIME);
  return runtime ? `kasibi-runtime-${runtime[2].slice("assets/".length)}` : CACHE;
}
const keptCaches = () => new Set([CACHE, ...[...engineFiles].map(cacheName)]);

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // "no-cache" asks the server whether its copy changed: a stale copy never enters a new version.
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
  const kept = keptCaches();
  for (const name of await caches.keys()) {
    if (name.startsWith("kasibi-") && !kept.has(name)) await caches.delete(name);
  }
}

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    // A page is asked of the network first: the preload starts that request while this worker boots.
    await self.registration.navigationPreload?.enable();
    await self.clients.claim();
    await deleteUnusedCaches();
  })());
});

// This version's copy first, then an older version's (for a tab still running it).
async function fromCache(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request)) ?? caches.match(request);
}

// Pages: the network first, so a deployed version shows at once; this version's copy when offline.
async function page(event) {
  try {
    return (await event.preloadResponse) ?? await fetch(event.request);
  } catch (error) {
    const cached = await fromCache(event.request.url.split("?")[0]);
    if (cached) return cached;
    throw error;
  }
}

// Assets: their names change with their content, so the cached copy is always right.
async function asset(request) {
  return (await fromCache(request)) ?? fetch(request);
}

// Engine files: straight from their cache, no revalidation. The first time, the response goes to
// the engine as it streams in, and a copy of the same stream into the cache.
async function engineFile(event) {
  const cache = await caches.open(cacheName(event.request.url));
  const cached = await cache.match(event.request.url);
  if (cached) return cached;
  const response = await fetch(event.request);
  if (response.ok) event.waitUntil(cache.put(event.request.url, response.clone()).catch(() => {}));
  return response;
}

async function cacheEngine() {
  for (const url of engineFiles) {
    if (url === snapshotFile) continue; // the engine's worker decides (worker.js)
    const cache = await caches.open(cacheName(url));
    if (!(await cache.match(url))) {
      const response = await fetch(url); // the page has just fetched it: usually the browser's HTTP cache has it
      if (response.ok) await cache.put(url, response);
    }
  }
}

self.addEventListener("message", (event) => {
  if (event.data?.type === "cache-engine") event.waitUntil(cacheEngine().catch(() => {}));
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (engineFiles.has(request.url)) {
    event.respondWith(engineFile(event));
    return;
  }
  if (request.mode !== "navigate") {
    event.respondWith(asset(request));
    return;
  }
  event.respondWith(page(event));
  if (event.resultingClientId) {
    loadedHere.add(event.resultingClientId);
    event.waitUntil(deleteUnusedCaches());
  }
});
