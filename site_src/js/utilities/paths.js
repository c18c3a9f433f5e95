// Every URL is derived from this module's own address, so the site works under any sub-path
// (https://school.kz/kasibi/…) and on any static server, with no site_url configured.
// This file sits in assets/kasibi-<digest>/js/utilities/: the one place that knows it.

import { BUILD } from "../build.js";

export const bundleUrl = new URL("../../", import.meta.url); // assets/kasibi-<digest>/: instruments/, templates/, engine/
export const siteRoot = new URL("../../", bundleUrl);
export const workerUrl = new URL("js/engine/worker.js", bundleUrl);
export const runtimeUrl = new URL(BUILD.pyodide, new URL("js/", bundleUrl)); // BUILD.pyodide is relative to js/
export const version = BUILD.version;

export function siteUrl(path) {
  return new URL(path, siteRoot).href;
}

// A page of the site by its key in the build (e.g. "my-results", "template:individual-development-plan").
export function pageUrl(key) {
  return key in BUILD.pages ? siteUrl(BUILD.pages[key]) : null;
}
