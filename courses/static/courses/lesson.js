// Tell the server the learner opened this lesson (for "resume"); a POST with the CSRF token.
(function () {
  var lesson = document.querySelector("[data-viewed-url]");
  if (!lesson || !window.fetch) return;
  var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  fetch(lesson.getAttribute("data-viewed-url"), {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": match ? decodeURIComponent(match[1]) : "" },
  });
})();

// Self-check questions: the learner picks an answer and checks it here; nothing is sent or recorded.
// Without JavaScript the answer stays behind "Show the answer".
(function () {
  document.querySelectorAll("form[data-self-check]").forEach(function (form) {
    var button = form.querySelector(".self-check-button");
    var result = form.querySelector(".self-check-result");
    var details = form.querySelector("[data-answer] details");
    var messages = form.querySelector("template[data-messages]").content;
    var correct = form.getAttribute("data-correct");
    button.hidden = false;
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    button.addEventListener("click", function () {
      var picked = form.querySelector("input[name=answer]:checked");
      if (!picked) {
        result.textContent = messages.querySelector("[data-choose]").textContent;
        result.className = "self-check-result";
        return;
      }
      var right = picked.value === correct;
      result.textContent = messages.querySelector(right ? "[data-right]" : "[data-wrong]").textContent;
      result.className = "self-check-result " + (right ? "ok" : "fail");
      form.querySelectorAll("label.choice").forEach(function (label) {
        var input = label.querySelector("input");
        label.classList.toggle("is-correct", input.value === correct);
        label.classList.toggle("is-wrong", input === picked && !right);
      });
      if (details) details.open = true;
    });
    form.addEventListener("change", function () {
      result.textContent = "";
      form.querySelectorAll("label.choice").forEach(function (l) { l.classList.remove("is-correct", "is-wrong"); });
    });
  });
})();
