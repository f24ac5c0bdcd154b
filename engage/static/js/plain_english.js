// Plain English as staff type (progressive enhancement): the server's check of the text, put in
// the panel under the field a moment after typing stops. Without JavaScript the panel shows the
// check of what was last saved.
(function () {
  "use strict";
  var panels = document.querySelectorAll("[data-plain-english-for]");
  Array.prototype.forEach.call(panels, function (panel) {
    var field = document.getElementById(panel.getAttribute("data-plain-english-for"));
    var body = panel.querySelector(".plain-english__body");
    var token = field && field.form && field.form.querySelector("input[name=csrf_token]");
    if (!field || !body || !token || !window.fetch) { return; }
    var timer = null;
    var sent = field.value;
    function check() {
      if (field.value === sent) { return; }
      sent = field.value;
      var data = new FormData();
      data.append("text", sent);
      data.append("csrf_token", token.value);
      fetch(panel.getAttribute("data-url"), { method: "POST", body: data, credentials: "same-origin" })
        .then(function (reply) { return reply.ok ? reply.text() : null; })
        .then(function (html) { if (html !== null && field.value === sent) { body.innerHTML = html; } })
        .catch(function () { /* offline: the panel keeps the last check */ });
    }
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 500);
    });
  });
})();
