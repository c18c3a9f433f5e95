// Every URL is derived from this module's own address, so the site works under any sub-path
// (https://school.kz/kasibi/…) and on any static server, with no site_url configured.
// This file sits in assets/kasibi-<digest>/js/utilities/: the one place that knows it.

import { BUILD, EDITIONS } from "../build.js";

export const bundleUrl = new URL("../../", import.meta.url); // assets/kasibi-<digest>/: instruments/, templates/, engine/
export const siteRoot = new URL("../../", bundleUrl);
export const workerUrl = new URL("js/engine/worker.js", bundleUrl);
export const runtimeUrl = new URL(BUILD.pyodide, new URL("js/", bundleUrl)); // BUILD.pyodide is relative to js/
export const version = BUILD.version;

// The page's language (<html lang>): its strings, its pages and its data. A worker has no page: its requests say
// which language they are for.
const pageLang = globalThis.document?.documentElement.lang;
export const lang = pageLang && pageLang in EDITIONS ? pageLang : BUILD.first;
export const edition = EDITIONS[lang];

// A file of which each language has its own copy (instruments/, templates/, attestation/): the first language's
// at the bundle's top, another's in a folder named after it (generator/build/bundle.py, Bundle.data).
export function dataUrl(path, language = lang) {
  return new URL(language === BUILD.first ? path : `${language}/${path}`, bundleUrl);
}

export function siteUrl(path) {
  return new URL(path, siteRoot).href;
}

// A page of the site by its key in the build (e.g. "my-results", "template:individual-development-plan").
export function pageUrl(key) {
  return key in edition.pages ? siteUrl(edition.pages[key]) : null;
}
