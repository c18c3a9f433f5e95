// The language switch (Material's, site_src/theme/partials/alternate.html) remembers the reader's choice on this
// device. The site's home page in its first language opens the chosen language's home page instead: a teacher who
// works in Russian and comes back through a bookmark or the app's icon lands in Russian. The home page still opens
// in the first language for anyone who has not chosen, and for anyone who chose it.

import { chooseLanguage, chosenLanguage } from "../storage/store.js";
import { BUILD } from "../build.js";
import { lang, siteRoot } from "../utilities/paths.js";

for (const link of document.querySelectorAll("a[data-kasibi-language]")) {
  link.addEventListener("click", () => chooseLanguage(/** @type {HTMLElement} */ (link).dataset.kasibiLanguage));
}

const chosen = chosenLanguage();
const home = new URL("index.html", siteRoot).href;
const atHome = lang === BUILD.first && [siteRoot.href, home].includes(location.href.split(/[?#]/)[0]);
if (atHome && chosen && chosen !== lang) {
  const there = document.querySelector(`a[data-kasibi-language="${CSS.escape(chosen)}"]`);
  if (there instanceof HTMLAnchorElement) location.replace(there.href);
}
