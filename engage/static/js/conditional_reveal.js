// Conditional reveal (the GOV.UK pattern): a question asked only after a certain answer on the
// same page stays hidden until that answer is chosen. The options that reveal it get
// aria-controls pointing at it. Like GOV.UK Frontend today, no aria-expanded on the radios or
// checkboxes themselves: ARIA does not allow it there (axe-core reports it).
// Without JavaScript every question is shown, with a hint saying when to answer it, and the
// server ignores the answer to a question whose rule the earlier answer does not meet.
(function () {
  "use strict";
  var blocks = document.querySelectorAll("[data-controlled-by]");
  Array.prototype.forEach.call(blocks, function (block) {
    var name = block.getAttribute("data-controlled-by");
    var values = block.getAttribute("data-show-values").split(" ");
    var negate = block.getAttribute("data-negate") === "true";
    var inputs = document.querySelectorAll("input[name='" + name + "']");
    if (!inputs.length) { return; }
    var why = block.querySelector(".conditional-question__why");
    if (why) { why.hidden = true; }
    block.classList.add("conditional-question--js");
    // The options whose choice shows the question: those listed, or with negate all the others.
    var controls = Array.prototype.filter.call(inputs, function (input) {
      return (values.indexOf(input.value) !== -1) !== negate;
    });
    controls.forEach(function (input) {
      var owned = (input.getAttribute("aria-controls") || "").split(" ").filter(Boolean);
      owned.push(block.id);
      input.setAttribute("aria-controls", owned.join(" "));
    });
    function update() {
      var shown = controls.some(function (input) { return input.checked; });
      block.hidden = !shown;
    }
    Array.prototype.forEach.call(inputs, function (input) {
      input.addEventListener("change", update);
    });
    update();
  });
})();
