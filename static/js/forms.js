/* Forms that htmx swaps in place: errors shown where the user was, the result announced.
 *
 * A form answered 422 (its errors) is swapped like a success (see the htmx-config meta tag in
 * base.html). After the swap, focus goes to the first field in error, or back where the user was;
 * the page's one live region (#live) says what happened: the server's messages (the HX-Trigger
 * event "convene:announce", see convene.core.middleware), else "Saved." or the error; after a
 * success, the message banners of the previous page go. No inline script: the page's
 * Content-Security-Policy forbids it.
 */
(function () {
  "use strict";

  var where = null; // where the user was when the request left
  var pending = null; // the server's messages for the request under way

  function region() {
    return document.getElementById("live");
  }

  function say(text, isError) {
    var live = region();
    if (!live || !text) return;
    live.classList.toggle("error", Boolean(isError));
    // Emptied first so that the same sentence twice is announced twice.
    live.textContent = "";
    window.setTimeout(function () {
      live.textContent = text;
    }, 30);
  }

  function describe(el) {
    if (!el || el === document.body) return null;
    return {
      el: el,
      id: el.id || null,
      name: el.getAttribute("name"),
      form: el.form && el.form.id ? el.form.id : null,
      submit: el.type === "submit",
    };
  }

  function find(spot) {
    if (!spot) return null;
    if (spot.el.isConnected) return spot.el;
    if (spot.id && document.getElementById(spot.id)) return document.getElementById(spot.id);
    var form = spot.form && document.getElementById(spot.form);
    if (form && spot.name) {
      var named = form.querySelector('[name="' + CSS.escape(spot.name) + '"]');
      if (named) return named;
    }
    if (form && spot.submit) return form.querySelector("[type=submit]");
    return form || null;
  }

  function errorText(field) {
    var describedBy = (field.getAttribute("aria-describedby") || "").split(/\s+/);
    for (var i = 0; i < describedBy.length; i++) {
      var el = describedBy[i] && document.getElementById(describedBy[i]);
      if (el && el.classList.contains("errorlist")) return el.textContent.trim();
    }
    var box = field.closest("fieldset, div, p, td");
    var list = box && box.querySelector(".errorlist");
    return list ? list.textContent.trim() : "";
  }

  function firstInvalid(scope) {
    return scope.querySelector('[aria-invalid="true"]');
  }

  function focus(el) {
    if (!el) return;
    if (!el.matches("a[href], button, input, select, textarea, [tabindex]")) {
      el.setAttribute("tabindex", "-1");
    }
    el.focus();
  }

  function messagesText(list) {
    return list
      .map(function (m) {
        return m.text;
      })
      .join(" ");
  }

  document.addEventListener("htmx:beforeRequest", function () {
    where = describe(document.activeElement);
    pending = null;
  });

  document.addEventListener("convene:announce", function (evt) {
    pending = Array.isArray(evt.detail.value) ? evt.detail.value : [];
  });

  document.addEventListener("htmx:afterSettle", function (evt) {
    var xhr = evt.detail.xhr;
    if (!xhr) return;
    var live = region();
    var target = evt.detail.target;
    var scope = target && target.isConnected ? target : document;
    var serverSays = pending && pending.length ? messagesText(pending) : "";
    var serverError = (pending || []).some(function (m) {
      return m.level === "error";
    });
    pending = null;
    var invalid = firstInvalid(scope);
    if (xhr.status === 422 || invalid) {
      invalid = invalid || firstInvalid(document);
      var nonField = scope.querySelector(".errorlist.nonfield");
      var detail = invalid ? errorText(invalid) : nonField ? nonField.textContent.trim() : "";
      focus(invalid || find(where));
      say(serverSays || [live && live.dataset.invalid, detail].join(" ").trim(), true);
      return;
    }
    if (xhr.status >= 200 && xhr.status < 300) {
      document.querySelectorAll("main .messages").forEach(function (el) {
        el.remove();
      });
      var active = document.activeElement;
      if (!active || active === document.body || !active.isConnected) {
        focus(find(where) || (target && target.isConnected ? target : null));
      }
      say(serverSays || (live && live.dataset.saved), serverError);
    }
  });

  document.addEventListener("htmx:responseError", function () {
    var live = region();
    say(pending && pending.length ? messagesText(pending) : live && live.dataset.failed, true);
    pending = null;
  });

  document.addEventListener("htmx:sendError", function () {
    var live = region();
    say(live && live.dataset.offline, true);
  });

  // A page answered with its form's errors (without htmx): the first field in error takes focus.
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = firstInvalid(document);
    if (invalid && !document.querySelector("[autofocus]")) invalid.focus();
  });
})();
