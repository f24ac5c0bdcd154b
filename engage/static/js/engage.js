// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary, for browsers that ignore autofocus on non-form elements.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // Character count (the GOV.UK pattern): say how many characters are left as people type.
  // Without JavaScript the hint still gives the limit and the server still checks it.
  var boxes = document.querySelectorAll("textarea[data-maxlength]");
  Array.prototype.forEach.call(boxes, function (box) {
    var limit = parseInt(box.getAttribute("data-maxlength"), 10);
    var status = document.createElement("div");
    status.className = "hint character-count";
    status.id = box.id + "-count";
    status.setAttribute("aria-live", "polite");
    box.parentNode.insertBefore(status, box.nextSibling);
    function update() {
      var left = limit - box.value.length;
      status.textContent = left >= 0
        ? "You have " + left.toLocaleString("en-GB") + " character" + (left === 1 ? "" : "s") + " remaining"
        : "You have " + (-left).toLocaleString("en-GB") + " character" + (left === -1 ? "" : "s") + " too many";
      status.classList.toggle("character-count--over", left < 0);
    }
    box.addEventListener("input", update);
    update();
  });

  // Exclusive checkbox (the GOV.UK pattern): ticking "None of these" unticks the other options,
  // and ticking another option unticks it. Without JavaScript the server refuses the mixture.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.checked || box.type !== "checkbox" || !box.closest(".checkboxes")) { return; }
    var group = box.closest(".checkboxes").querySelectorAll("input[type=checkbox]");
    var alone = box.getAttribute("data-behaviour") === "exclusive";
    Array.prototype.forEach.call(group, function (other) {
      var otherAlone = other.getAttribute("data-behaviour") === "exclusive";
      if (other !== box && other.name === box.name && (alone || otherAlone)) {
        other.checked = false;
      }
    });
  });
})();
