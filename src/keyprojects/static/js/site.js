// Countdowns: elements with data-deadline (ISO 8601) show the time left, updated each
// second. The server renders the same text first, so the page reads right without script.
(function () {
  function render(el) {
    var left = Math.max(0, new Date(el.dataset.deadline) - Date.now());
    var s = Math.floor(left / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    var m = Math.floor((s % 3600) / 60), sec = s % 60;
    var u = (el.dataset.units || "d,h,m,s").split(",");
    el.textContent = left === 0 ? el.dataset.closedText
      : d + " " + u[0] + " " + h + " " + u[1] + " " + m + " " + u[2] + " " + sec + " " + u[3];
  }
  function start() {
    var els = document.querySelectorAll("[data-deadline]");
    els.forEach(render);
    if (els.length) setInterval(function () { els.forEach(render); }, 1000);
  }
  // Parts of a form that only apply when a checkbox is ticked (e.g. 合作建设).
  function toggleDependents() {
    document.querySelectorAll("[data-shown-by]").forEach(function (el) {
      var box = document.getElementById(el.dataset.shownBy);
      if (box) el.classList.toggle("d-none", !box.checked);
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
  });
  // Progress bars carry their value as data-progress: the Content-Security-Policy allows no
  // style attributes in markup, while setting a style from script is allowed.
  function showProgress() {
    document.querySelectorAll("[data-progress]").forEach(function (el) {
      el.style.width = el.dataset.progress + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", showProgress);
  document.addEventListener("htmx:afterSwap", showProgress);
  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("DOMContentLoaded", toggleDependents);
  document.addEventListener("change", toggleDependents);
  // Print buttons (data-print) on the notice, the summary table and the case pages: no inline
  // handler under the Content-Security-Policy. The print stylesheet is in site.css.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  // Actions that run inside the request for seconds (an expert assignment run, a batch of
  // reminder e-mails): a form with data-busy says so while the server works, and its buttons
  // are disabled after the submit is on its way (so the pressed button's value is sent).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-busy]") || event.defaultPrevented) return;
    var note = form.querySelector(".busy-note");
    if (!note) {
      note = document.createElement("span");
      note.className = "busy-note small text-secondary ms-2";
      note.setAttribute("role", "status");
      form.appendChild(note);
    }
    note.textContent = form.dataset.busy;
    form.setAttribute("aria-busy", "true");
    setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) {
        b.disabled = true;
      });
    }, 0);
  });
  // The application form (data-keep-on-leave) saves itself 1.5 s after typing stops. What
  // was typed just before leaving the page (a link, a reload, closing the tab) is sent
  // with sendBeacon, which the browser delivers after the page is gone. Each edit counts
  // up the form's editor_seq, sent with every save: the server keeps the latest of one
  // tab's saves whatever order they arrive in.
  function counted(event) {
    var form = event.target.form;
    if (!form || !form.matches("[data-keep-on-leave]")) return;
    form.elements.editor_seq.value = Number(form.elements.editor_seq.value) + 1;
  }
  // Capture: counted before htmx reads the form for the save this edit triggers.
  document.addEventListener("input", counted, true);
  document.addEventListener("change", counted, true);
  // What the page was drawn with is saved already (a page drawn again after a refused
  // submit goes on with the count it posted). If this page follows the one that sent the
  // form as it was left (a reload), it may have been drawn before that save was stored
  // (data-stored names the tab and count of the last stored save): it is drawn again once
  // that save is stored.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-keep-on-leave]").forEach(function (form) {
      form.dataset.answered = form.elements.editor_seq.value;
      var kept = JSON.parse(sessionStorage.getItem("kept-on-leave") || "{}");
      if (kept.action !== form.getAttribute("hx-post")) return;
      sessionStorage.removeItem("kept-on-leave");
      if (form.dataset.stored !== kept.save) redrawWhenStored(form, kept.save, 10);
    });
  });
  // Asks a few times, 0.3 s apart, and only while nothing has been typed here: a redraw
  // then loses nothing. Otherwise the next autosave meets the newer version and says so.
  function redrawWhenStored(form, save, tries) {
    setTimeout(function () {
      if (form.elements.editor_seq.value !== form.dataset.answered) return;
      fetch(location.href, { credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var drawn = new DOMParser().parseFromString(html, "text/html");
          var again = drawn.querySelector("form[data-keep-on-leave]");
          if (again && again.dataset.stored === save) location.reload();
          else if (tries > 1) redrawWhenStored(form, save, tries - 1);
        });
    }, 300);
  }
  // A refused save (409: someone saved since; 403: the window closed) says so in the page.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var form = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (form && form.matches("[data-keep-on-leave]") && (status === 409 || status === 403)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (form.matches("[data-keep-on-leave]")) form.dataset.sending = event.detail.parameters.editor_seq;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    // Answered (saved, or refused with the values kept in the record): nothing to resend.
    if (form.matches("[data-keep-on-leave]") && event.detail.xhr.status) {
      form.dataset.answered = form.dataset.sending;
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // The page's own save or submit carries every edit so far.
    if (form.matches("[data-keep-on-leave]")) form.dataset.answered = form.elements.editor_seq.value;
  });
  window.addEventListener("pagehide", function () {
    document.querySelectorAll("form[data-keep-on-leave]").forEach(function (form) {
      var seq = Number(form.elements.editor_seq.value);
      if (seq > Number(form.dataset.answered || 0)) {
        navigator.sendBeacon(form.getAttribute("hx-post"), new FormData(form));
        form.dataset.answered = seq;
        sessionStorage.setItem("kept-on-leave", JSON.stringify({
          action: form.getAttribute("hx-post"),
          save: form.elements.editor_token.value + ":" + seq,
        }));
      }
    });
  });
  // Partner rows: "add a row" reveals the next hidden blank row of the formset.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-reveal-next]");
    if (!button) return;
    var hidden = document.querySelector(button.dataset.revealNext + ".d-none");
    if (hidden) hidden.classList.remove("d-none");
  });
})();
