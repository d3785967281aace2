// Names for the Wagtail admin's inputs that arrive without one (found by axe on trainers' pages):
// rich-text editors (Draftail's contenteditable box) take the label of their field, and the tag
// widget's typing box takes the tag field's label. Runs again whenever the admin adds fields
// (stream blocks, inline panels, choosers).
(function () {
  "use strict";
  var seq = 0;

  // The field's own input (Draftail keeps its value in a hidden input, tagit in the original text input)
  // is what the field's label points at, wherever Wagtail put the label (often in the panel's heading).
  function labelFor(node) {
    var field = node.closest("[data-field-input], .w-field, [data-field-wrapper]");
    if (!field) return null;
    var inputs = field.querySelectorAll("input[id], textarea[id]");
    for (var i = 0; i < inputs.length; i++) {
      var label = document.querySelector('label[for="' + inputs[i].id + '"]');
      if (label) return label;
    }
    var wrapper = node.closest("[data-field-wrapper]");
    var label = wrapper ? wrapper.querySelector("label") : null;
    if (label) return label;
    // A rich-text block straight in a StreamField has no label, only its block's panel heading ("Text").
    var panel = node.closest("section.w-panel[aria-labelledby]");
    return panel ? document.getElementById(panel.getAttribute("aria-labelledby").split(" ")[0]) : null;
  }

  function name(node) {
    if (node.hasAttribute("aria-label") || node.hasAttribute("aria-labelledby")) return;
    var label = labelFor(node);
    if (label && label.textContent.trim()) {
      if (!label.id) label.id = "hocso-label-" + ++seq;
      node.setAttribute("aria-labelledby", label.id);
    } else if (node.dataset.hocsoName) {
      node.setAttribute("aria-label", node.dataset.hocsoName);
    }
  }

  function sweep(root) {
    root.querySelectorAll(".public-DraftEditor-content[contenteditable], input.ui-autocomplete-input").forEach(name);
  }

  function start() {
    sweep(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) sweep(node.parentNode || node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
