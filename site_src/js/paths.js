// Every URL is derived from this module's own address, so the site works under any sub-path
// (https://school.kz/kasibi/…) and on any static server, with no site_url configured.
// This file sits in assets/kasibi-<digest>/js/.

import { BUILD } from "./build.js";

export const siteRoot = new URL("../../../", import.meta.url);
export const workerUrl = new URL("./worker.js", import.meta.url);
export const runtimeUrl = new URL(BUILD.pyodide, import.meta.url);
export const version = BUILD.version;

export function siteUrl(path) {
  return new URL(path, siteRoot).href;
}

// A page of the site by its key in the build (e.g. "my-results", "template:individual-development-plan").
export function pageUrl(key) {
  return key in BUILD.pages ? siteUrl(BUILD.pages[key]) : null;
}
