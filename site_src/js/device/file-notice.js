// A classic (non-module) script, because module scripts do not run from file:// at all: when the
// site is opened as files rather than from a web server, say what still works and what needs one.
(function () {
  if (location.protocol !== "file:") return;
  var meta = document.querySelector("meta[name=kasibi-file-notice]");
  var text = meta && meta.getAttribute("content");
  var article = document.querySelector(".md-content__inner");
  if (!text || !article) return;
  var note = document.createElement("div");
  note.className = "admonition warning kasibi-file-notice";
  note.setAttribute("role", "status");
  var p = document.createElement("p");
  p.textContent = text;
  note.appendChild(p);
  article.insertBefore(note, article.firstChild);
  var status = document.querySelectorAll("[data-engine-status]");
  for (var i = 0; i < status.length; i++) {
    status[i].setAttribute("data-engine-status", "failed");
    status[i].textContent = text;
  }
})();
