// Every URL is derived from this module's own address, so the site works under any sub-path
// (https://school.kz/kasibi/…) and on any static server, with no site_url configured.

export const siteRoot = new URL("../../", import.meta.url);
export const workerUrl = new URL("./worker.js", import.meta.url);

export function siteUrl(path) {
  return new URL(path, siteRoot).href;
}
