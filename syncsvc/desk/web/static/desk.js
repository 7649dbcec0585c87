// The office desk's little script: focus the error summary, fill the
// birth date and gender as an ID number is typed, show a sync's progress
// live, and ask before an action that cannot be undone. Every page works
// without it.
(function () {
  "use strict";
  var token = function () {
    var f = document.querySelector('input[name="_token"]');
    return f ? f.value : "";
  };

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-autofocus]");
    if (summary) summary.focus();
    idNumberFill();
    syncLive();
    confirmations();
    asOfFromFile();
  });

  // A roster's time is its file's: what the import holds newer work
  // against. Shanghai time, as the desk shows every time.
  function asOfFromFile() {
    document.querySelectorAll("input[type=file][data-asof]").forEach(function (f) {
      f.addEventListener("change", function () {
        var t = document.getElementById(f.dataset.asof);
        if (!t || !f.files.length || (t.value && t.dataset.filled !== "1")) return;
        var sh = new Date(f.files[0].lastModified + 8 * 3600 * 1000);
        t.value = sh.toISOString().slice(0, 16).replace("T", " ");
        t.dataset.filled = "1";
      });
    });
  }

  // The ID number gives the birth date and gender: the server reads it
  // (the same rule as everywhere) and the form shows what it gives.
  function idNumberFill() {
    var id = document.getElementById("f-id_number");
    var birth = document.getElementById("f-birth_date");
    var gender = document.getElementById("f-gender");
    var note = document.getElementById("f-id_number-live");
    if (!id || !birth) return;
    var asked = "";
    var ask = function () {
      var v = id.value.replace(/\s+/g, "");
      if (v.length < 18 || v === asked) {
        if (v.length < 18 && note) note.textContent = "";
        return;
      }
      asked = v;
      var body = new URLSearchParams();
      body.set("id_number", v);
      fetch("/id-number", { method: "POST", headers: { "X-Desk-Token": token() }, body: body, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (info) {
          if (info.ok) {
            if (!birth.value || birth.dataset.filled === "1") { birth.value = info.birth_date; birth.dataset.filled = "1"; }
            if (gender && (!gender.value || gender.dataset.filled === "1")) { gender.value = info.gender; gender.dataset.filled = "1"; }
            if (note) note.textContent = note.dataset.ok.replace("%s", info.birth_date).replace("%g", gender ? gender.options[gender.selectedIndex].text : "");
          } else if (note) {
            note.textContent = info.problem || "";
          }
        })
        .catch(function () {});
    };
    id.addEventListener("input", ask);
    id.addEventListener("change", ask);
    birth.addEventListener("input", function () { birth.dataset.filled = ""; });
    if (gender) gender.addEventListener("change", function () { gender.dataset.filled = ""; });
  }

  // The 同步 button starts the sync and the panel follows it.
  function syncLive() {
    var panel = document.getElementById("sync");
    if (!panel) return;
    var back = "";
    var form = panel.querySelector("form[data-sync]");
    if (form && form.elements.back) back = form.elements.back.value;
    var poll = function () {
      fetch("/sync/panel?back=" + encodeURIComponent(back), { credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          var now = document.getElementById("sync");
          var box = document.createElement("div");
          box.innerHTML = html;
          var fresh = box.querySelector("#sync");
          if (!now || !fresh) return;
          now.replaceWith(fresh);
          bind();
          if (fresh.dataset.running === "true") setTimeout(poll, 600);
        })
        .catch(function () { setTimeout(poll, 2000); });
    };
    var bind = function () {
      var f = document.querySelector("#sync form[data-sync]");
      if (!f) return;
      f.addEventListener("submit", function (e) {
        e.preventDefault();
        var b = f.querySelector("button");
        if (b) b.disabled = true;
        fetch("/sync", { method: "POST", headers: { "X-Desk-Token": token() }, credentials: "same-origin" })
          .then(function () { poll(); })
          .catch(function () { f.submit(); });
      });
    };
    bind();
    if (panel.dataset.running === "true") setTimeout(poll, 600);
  }

  // A button or form with data-confirm asks first.
  function confirmations() {
    document.addEventListener("submit", function (e) {
      var f = e.target;
      var b = e.submitter;
      var text = (b && b.dataset.confirm) || f.dataset.confirm;
      if (text && !window.confirm(text)) e.preventDefault();
    }, true);
  }
})();
