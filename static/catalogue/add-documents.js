// The "Add documents" form: while the documents are sent and read (a few seconds for a
// long PDF), say so and keep the button from being pressed twice. A file, not an inline
// script: the site's Content-Security-Policy (script-src 'self') allows none.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("add-documents-form");
  const status = document.getElementById("add-documents-reading");
  if (!form || !status) return;
  form.addEventListener("submit", () => {
    const files = form.querySelector("input[type=file]").files;
    let bytes = 0;
    for (const file of files) bytes += file.size;
    status.querySelector(".reading-what").textContent =
      `${files.length} document${files.length === 1 ? "" : "s"}, ${(bytes / 1048576).toFixed(1)} MB`;
    status.hidden = false;
    form.querySelector("input[type=submit]").disabled = true;
  });
});
